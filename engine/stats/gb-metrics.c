/* gb-metrics.c — classification metrics on held-out predictions.
 *
 * ROC-AUC is the Mann–Whitney U statistic divided by n₁n₀, with tied scores
 * given mid-ranks (each tied positive/negative pair counts one half): this is
 * what sklearn.metrics.roc_auc_score computes (trapezoidal area under the
 * ROC curve).  The ROC curve is sklearn.metrics.roc_curve with
 * drop_intermediate=False.  Normal quantities come from GSL.
 */
#include "gb-config.h"
#include "gb-metrics.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

typedef struct {
  double score;
  double y;
} ScoreLabel;

/* Descending by score. */
static int
cmp_score_desc (gconstpointer a, gconstpointer b)
{
  double sa = ((const ScoreLabel *) a)->score, sb = ((const ScoreLabel *) b)->score;
  return (sa < sb) - (sa > sb);
}

/* Copies the usable rows (finite score, label 0 or 1) and sorts them by
 * descending score.  Returns the number kept. */
static gsize
collect_sorted (const double *score, const double *y, gsize n, ScoreLabel **out)
{
  ScoreLabel *v = g_new (ScoreLabel, MAX (n, 1));
  gsize m = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (isnan (score[i]) || (y[i] != 0.0 && y[i] != 1.0))
        continue;
      v[m].score = score[i];
      v[m].y = y[i];
      m++;
    }
  qsort (v, m, sizeof *v, cmp_score_desc);
  *out = v;
  return m;
}

double
gb_roc_auc (const double *score, const double *y, gsize n)
{
  g_autofree ScoreLabel *v = NULL;
  gsize m = collect_sorted (score, y, n, &v);
  double n_pos = 0.0, n_neg = 0.0, pairs = 0.0;
  gsize i = 0;

  /* Walk the tie blocks from the highest score down.  For each block, every
   * positive in it beats every negative seen later (lower scores) and ties
   * with each negative in the block; equivalently, every negative in the block
   * loses to the positives already seen and ties with those in the block. */
  while (i < m)
    {
      gsize j = i;
      double blk_pos = 0.0, blk_neg = 0.0;
      while (j < m && v[j].score == v[i].score)
        {
          if (v[j].y == 1.0)
            blk_pos += 1.0;
          else
            blk_neg += 1.0;
          j++;
        }
      pairs += blk_neg * (n_pos + 0.5 * blk_pos);
      n_pos += blk_pos;
      n_neg += blk_neg;
      i = j;
    }
  if (n_pos == 0.0 || n_neg == 0.0)
    return NAN;
  return pairs / (n_pos * n_neg);
}

void
gb_roc_curve (const double *score, const double *y, gsize n,
              double **out_fpr, double **out_tpr, gsize *out_len)
{
  g_autofree ScoreLabel *v = NULL;
  gsize m, len = 1, i = 0;
  double n_pos = 0.0, n_neg = 0.0, tp = 0.0, fp = 0.0;
  double *fpr, *tpr;

  g_return_if_fail (out_fpr != NULL && out_tpr != NULL && out_len != NULL);

  m = collect_sorted (score, y, n, &v);
  for (gsize k = 0; k < m; k++)
    {
      if (v[k].y == 1.0)
        n_pos += 1.0;
      else
        n_neg += 1.0;
    }

  /* One point at (0, 0) plus one per distinct threshold. */
  for (gsize k = 1; k < m; k++)
    if (v[k].score != v[k - 1].score)
      len++;
  if (m > 0)
    len++;

  fpr = g_new (double, len);
  tpr = g_new (double, len);
  fpr[0] = n_neg > 0 ? 0.0 : NAN;
  tpr[0] = n_pos > 0 ? 0.0 : NAN;
  for (gsize pt = 1; i < m; pt++)
    {
      gsize j = i;
      while (j < m && v[j].score == v[i].score)
        {
          if (v[j].y == 1.0)
            tp += 1.0;
          else
            fp += 1.0;
          j++;
        }
      fpr[pt] = n_neg > 0 ? fp / n_neg : NAN;
      tpr[pt] = n_pos > 0 ? tp / n_pos : NAN;
      i = j;
    }
  *out_fpr = fpr;
  *out_tpr = tpr;
  *out_len = len;
}

double
gb_accuracy (const double *score, const double *y, gsize n, double threshold)
{
  gsize used = 0, right = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (isnan (score[i]) || isnan (y[i]))
        continue;
      used++;
      if ((score[i] >= threshold ? 1.0 : 0.0) == y[i])
        right++;
    }
  return used > 0 ? (double) right / (double) used : NAN;
}

double
gb_normal_two_sided_p (double z)
{
  if (isnan (z))
    return NAN;
  return 2.0 * gsl_cdf_ugaussian_Q (fabs (z));
}

double
gb_normal_quantile (double p)
{
  if (!(p > 0.0 && p < 1.0))
    return p == 0.0 ? -INFINITY : p == 1.0 ? INFINITY : NAN;
  return gsl_cdf_ugaussian_Pinv (p);
}

double
gb_roc_auc_ci (double auc, double n_pos, double n_neg, double confidence,
               double *out_low, double *out_high)
{
  double se = NAN, lo = NAN, hi = NAN;

  if (isfinite (auc) && n_pos >= 1 && n_neg >= 1 && confidence > 0 && confidence < 1)
    {
      double q1 = auc / (2.0 - auc), q2 = 2.0 * auc * auc / (1.0 + auc), a2 = auc * auc;
      double var = (auc * (1.0 - auc) + (n_pos - 1.0) * (q1 - a2) + (n_neg - 1.0) * (q2 - a2))
                   / (n_pos * n_neg);
      double z = gb_normal_quantile (0.5 + confidence / 2.0);
      se = sqrt (MAX (var, 0.0));
      lo = CLAMP (auc - z * se, 0.0, 1.0);
      hi = CLAMP (auc + z * se, 0.0, 1.0);
    }
  if (out_low)
    *out_low = lo;
  if (out_high)
    *out_high = hi;
  return se;
}
