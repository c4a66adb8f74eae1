/* gb-fairness.c — group fairness metrics of binary predictions.
 *
 * Per-group confusion counts and rates as Fairlearn's MetricFrame reports
 * them (selection_rate, true_positive_rate, false_positive_rate, ...), and the
 * between-group disparities:
 *   disparate impact ratio          min / max selection rate
 *                                   (AIF360 disparate_impact, taken over all
 *                                   groups; Fairlearn demographic_parity_ratio)
 *   statistical parity difference   max − min selection rate
 *                                   (Fairlearn demographic_parity_difference)
 *   equal opportunity difference    max − min TPR
 *   equalized odds difference       max(TPR gap, FPR gap)
 *                                   (Fairlearn equalized_odds_difference)
 * Groups whose TPR (FPR) is undefined — no positives (negatives) — are left
 * out of the TPR (FPR) gaps; Fairlearn would count them as 0.
 */
#include "gb-config.h"
#include "gb-fairness.h"

#include <math.h>

void
gb_fairness_result_free (GbFairnessResult *result)
{
  if (result == NULL)
    return;
  for (guint g = 0; g < result->n_groups; g++)
    g_free (result->groups[g].group);
  g_free (result->groups);
  g_free (result->attribute);
  g_free (result);
}

static inline double
ratio (gsize num, gsize den)
{
  return den > 0 ? (double) num / (double) den : NAN;
}

/* max − min over the non-NaN values of one rate; NAN when fewer than two. */
static double
gap (const GbGroupRates *groups, guint n_groups, gsize offset, double *out_min, double *out_max)
{
  double lo = INFINITY, hi = -INFINITY;
  guint seen = 0;
  for (guint g = 0; g < n_groups; g++)
    {
      double v = G_STRUCT_MEMBER (double, &groups[g], offset);
      if (isnan (v))
        continue;
      lo = MIN (lo, v);
      hi = MAX (hi, v);
      seen++;
    }
  if (out_min)
    *out_min = seen ? lo : NAN;
  if (out_max)
    *out_max = seen ? hi : NAN;
  return seen >= 2 ? hi - lo : NAN;
}

GbFairnessResult *
gb_fairness_compute (const char *attribute, const gint32 *group_codes,
                     const char *const *levels, guint n_levels,
                     const double *y_true, const double *y_pred,
                     const guint8 *row_mask, gsize n, GError **error)
{
  g_autofree gsize *tp = g_new0 (gsize, MAX (n_levels, 1));
  g_autofree gsize *fp = g_new0 (gsize, MAX (n_levels, 1));
  g_autofree gsize *tn = g_new0 (gsize, MAX (n_levels, 1));
  g_autofree gsize *fn = g_new0 (gsize, MAX (n_levels, 1));
  GbFairnessResult *res;
  guint non_empty = 0, k = 0;
  double lo, hi, tpr_gap, fpr_gap;

  g_return_val_if_fail (group_codes != NULL || n == 0, NULL);
  g_return_val_if_fail (y_true != NULL || n == 0, NULL);
  g_return_val_if_fail (y_pred != NULL || n == 0, NULL);
  g_return_val_if_fail (levels != NULL || n_levels == 0, NULL);

  for (gsize i = 0; i < n; i++)
    {
      gint32 c = group_codes[i];
      double yt = y_true[i], yp = y_pred[i];

      if (row_mask && !row_mask[i])
        continue;
      if (c < 0 || isnan (yt) || isnan (yp))
        continue;
      if ((guint) c >= n_levels)
        {
          g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Row %" G_GSIZE_FORMAT ": group code %d is outside the %u levels of “%s”",
                       i, c, n_levels, attribute ? attribute : "");
          return NULL;
        }
      if ((yt != 0.0 && yt != 1.0) || (yp != 0.0 && yp != 1.0))
        {
          g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Row %" G_GSIZE_FORMAT ": labels must be 0 or 1 (true %g, predicted %g)",
                       i, yt, yp);
          return NULL;
        }
      if (yt == 1.0)
        {
          if (yp == 1.0)
            tp[c]++;
          else
            fn[c]++;
        }
      else
        {
          if (yp == 1.0)
            fp[c]++;
          else
            tn[c]++;
        }
    }

  for (guint g = 0; g < n_levels; g++)
    if (tp[g] + fp[g] + tn[g] + fn[g] > 0)
      non_empty++;
  if (non_empty < 2)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Fairness metrics need at least two groups with rows; “%s” has %u",
                   attribute ? attribute : "", non_empty);
      return NULL;
    }

  res = g_new0 (GbFairnessResult, 1);
  res->attribute = g_strdup (attribute ? attribute : "");
  res->groups = g_new0 (GbGroupRates, non_empty);
  res->n_groups = non_empty;
  for (guint g = 0; g < n_levels; g++)
    {
      GbGroupRates *r;
      gsize m = tp[g] + fp[g] + tn[g] + fn[g];
      if (m == 0)
        continue;
      r = &res->groups[k++];
      r->group = g_strdup (levels[g] ? levels[g] : "");
      r->n = m;
      r->tp = tp[g];
      r->fp = fp[g];
      r->tn = tn[g];
      r->fn = fn[g];
      r->base_rate = ratio (tp[g] + fn[g], m);
      r->selection_rate = ratio (tp[g] + fp[g], m);
      r->tpr = ratio (tp[g], tp[g] + fn[g]);
      r->fpr = ratio (fp[g], fp[g] + tn[g]);
      r->fnr = ratio (fn[g], tp[g] + fn[g]);
      r->ppv = ratio (tp[g], tp[g] + fp[g]);
      r->accuracy = ratio (tp[g] + tn[g], m);
    }

  res->statistical_parity_difference =
    gap (res->groups, res->n_groups, G_STRUCT_OFFSET (GbGroupRates, selection_rate), &lo, &hi);
  res->disparate_impact_ratio = hi > 0.0 ? lo / hi : NAN;
  tpr_gap = gap (res->groups, res->n_groups, G_STRUCT_OFFSET (GbGroupRates, tpr), NULL, NULL);
  fpr_gap = gap (res->groups, res->n_groups, G_STRUCT_OFFSET (GbGroupRates, fpr), NULL, NULL);
  res->equal_opportunity_difference = tpr_gap;
  if (isnan (tpr_gap))
    res->equalized_odds_difference = fpr_gap;
  else if (isnan (fpr_gap))
    res->equalized_odds_difference = tpr_gap;
  else
    res->equalized_odds_difference = MAX (tpr_gap, fpr_gap);
  return res;
}
