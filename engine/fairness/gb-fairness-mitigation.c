/* gb-fairness-mitigation.c — reweighing (Kamiran & Calders 2012), group
 * thresholds (Hardt, Price & Srebro 2016) and the trade-off curve. */
#include "gb-config.h"
#include "gb-fairness.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static inline gboolean
usable (const gint32 *codes, const double *y, const double *score, const guint8 *mask, gsize i,
        guint n_levels)
{
  return !(mask && !mask[i]) && codes[i] >= 0 && (guint) codes[i] < n_levels && !isnan (y[i])
    && (score == NULL || !isnan (score[i]));
}

gboolean
gb_fairness_reweighing (const gint32 *codes, guint n_levels, const double *y,
                        const guint8 *mask, gsize n, double *out_weights, double *out_table,
                        GError **error)
{
  g_autofree double *cell = g_new0 (double, (gsize) MAX (n_levels, 1) * 2);
  double total = 0.0, pos = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      if (!usable (codes, y, NULL, mask, i, n_levels))
        continue;
      if (y[i] != 0.0 && y[i] != 1.0)
        {
          g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Row %" G_GSIZE_FORMAT ": reweighing needs labels 0 or 1 (got %g)", i, y[i]);
          return FALSE;
        }
      cell[codes[i] * 2 + (int) y[i]] += 1.0;
      total += 1.0;
      pos += y[i];
    }
  if (total == 0.0)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Reweighing needs rows with a group and a label; none were given");
      return FALSE;
    }
  g_autofree double *w = g_new (double, (gsize) MAX (n_levels, 1) * 2);
  for (guint g = 0; g < n_levels; g++)
    {
      const double ng = cell[g * 2] + cell[g * 2 + 1];
      for (int l = 0; l < 2; l++)
        {
          const double ny = l ? pos : total - pos;
          w[g * 2 + l] = cell[g * 2 + l] > 0 ? ng * ny / (total * cell[g * 2 + l]) : NAN;
        }
    }
  for (gsize i = 0; i < n; i++)
    out_weights[i] = usable (codes, y, NULL, mask, i, n_levels) ? w[codes[i] * 2 + (int) y[i]] : NAN;
  if (out_table)
    memcpy (out_table, w, (gsize) n_levels * 2 * sizeof (double));
  return TRUE;
}

const char *
gb_fairness_constraint_name (GbFairnessConstraint c)
{
  switch (c)
    {
    case GB_FAIRNESS_CONSTRAINT_DEMOGRAPHIC_PARITY: return "demographic_parity";
    case GB_FAIRNESS_CONSTRAINT_EQUAL_OPPORTUNITY: return "equal_opportunity";
    case GB_FAIRNESS_CONSTRAINT_EQUALIZED_ODDS: return "equalized_odds";
    default: return "unknown";
    }
}

double
gb_group_threshold_probability (const GbGroupThreshold *r, double s)
{
  const double det = r->p_high * (s >= r->threshold_high) + (1.0 - r->p_high) * (s >= r->threshold_low);
  return (1.0 - r->p_random) * det + r->p_random * r->random_rate;
}

/* One group's operating points: thresholds tau[0] = +inf > tau[1] > … (the
 * distinct scores), and cumulative counts sel/tp/fp of rows with s >= tau[k]. */
typedef struct {
  gsize K;          /* points 0..K */
  double *tau, *tp, *fp;
  double P, N;      /* positives, negatives */
} Curve;

typedef struct {
  double s, y;
} SY;

static int
cmp_sy_desc (const void *a, const void *b)
{
  const SY *x = a, *y = b;
  return x->s > y->s ? -1 : x->s < y->s;
}

static void
curve_build (Curve *c, SY *v, gsize m)
{
  qsort (v, m, sizeof *v, cmp_sy_desc);
  c->tau = g_new (double, m + 1);
  c->tp = g_new (double, m + 1);
  c->fp = g_new (double, m + 1);
  c->tau[0] = INFINITY;
  c->tp[0] = c->fp[0] = 0.0;
  gsize k = 0, i = 0;
  while (i < m)
    {
      gsize j = i;
      double tp = c->tp[k], fp = c->fp[k];
      while (j < m && v[j].s == v[i].s)
        {
          tp += v[j].y;
          fp += 1.0 - v[j].y;
          j++;
        }
      k++;
      c->tau[k] = v[i].s;
      c->tp[k] = tp;
      c->fp[k] = fp;
      i = j;
    }
  c->K = k;
  c->P = c->tp[k];
  c->N = c->fp[k];
}

static void
curve_clear (Curve *c)
{
  g_free (c->tau);
  g_free (c->tp);
  g_free (c->fp);
}

/* The rule mixing points a < b (thresholds tau[a] > tau[b]) with weight lam on b. */
static GbGroupThreshold
mix_rule (const Curve *c, gsize a, gsize b, double lam)
{
  GbGroupThreshold r = { 0 };
  r.threshold_high = c->tau[a];
  r.threshold_low = c->tau[b];
  r.p_high = 1.0 - lam;
  r.p_random = 0.0;
  r.random_rate = 0.0;
  r.rate = r.fpr = NAN;
  return r;
}

/* Reach q on the cumulative quantity Q (tp, or sel = tp + fp) exactly in
 * expectation, with the fewest selected; fills expected tp and fp. */
static GbGroupThreshold
reach (const Curve *c, gboolean on_tp, double q, double *out_tp, double *out_fp)
{
  gsize k = 0;
#define Q(i) (on_tp ? c->tp[i] : c->tp[i] + c->fp[i])
  while (k < c->K && Q (k) < q)
    k++;
  if (k == 0 || Q (k) <= q)
    {
      *out_tp = c->tp[k];
      *out_fp = c->fp[k];
      return mix_rule (c, k, k, 0.0);
    }
  const double lam = (q - Q (k - 1)) / (Q (k) - Q (k - 1));
#undef Q
  *out_tp = (1.0 - lam) * c->tp[k - 1] + lam * c->tp[k];
  *out_fp = (1.0 - lam) * c->fp[k - 1] + lam * c->fp[k];
  return mix_rule (c, k - 1, k, lam);
}

/* Upper convex hull of the ROC points (fp/N, tp/P), as indices into the curve. */
static GArray *
roc_hull (const Curve *c)
{
  GArray *h = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize k = 0; k <= c->K; k++)
    {
      const double x = c->fp[k] / c->N, y = c->tp[k] / c->P;
      while (h->len >= 2)
        {
          const gsize a = g_array_index (h, gsize, h->len - 2), b = g_array_index (h, gsize, h->len - 1);
          const double ax = c->fp[a] / c->N, ay = c->tp[a] / c->P;
          const double bx = c->fp[b] / c->N, by = c->tp[b] / c->P;
          /* drop b when it lies on or below the chord a → k */
          if ((bx - ax) * (y - ay) - (by - ay) * (x - ax) >= 0.0)
            g_array_set_size (h, h->len - 1);
          else
            break;
        }
      g_array_append_val (h, k);
    }
  return h;
}

/* Hull TPR at FPR x, with the two vertices and the weight on the second. */
static double
hull_at (const Curve *c, const GArray *h, double x, gsize *out_a, gsize *out_b, double *out_lam)
{
  for (guint i = 1; i < h->len; i++)
    {
      const gsize a = g_array_index (h, gsize, i - 1), b = g_array_index (h, gsize, i);
      const double ax = c->fp[a] / c->N, bx = c->fp[b] / c->N;
      if (x <= bx || i == h->len - 1)
        {
          const double lam = bx > ax ? CLAMP ((x - ax) / (bx - ax), 0.0, 1.0) : 1.0;
          *out_a = a;
          *out_b = b;
          *out_lam = lam;
          return (1.0 - lam) * c->tp[a] / c->P + lam * c->tp[b] / c->P;
        }
    }
  *out_a = *out_b = g_array_index (h, gsize, 0);
  *out_lam = 0.0;
  return c->tp[*out_a] / c->P;
}

GbGroupThreshold *
gb_fairness_fit_thresholds (const gint32 *codes, guint n_levels, const double *score,
                            const double *y, const guint8 *mask, gsize n,
                            GbFairnessConstraint constraint, double grid_step,
                            double *out_accuracy, GError **error)
{
  if (!(grid_step > 0.0 && grid_step <= 0.5))
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "The threshold grid step must be in (0, 0.5]; got %g", grid_step);
      return NULL;
    }
  g_autofree gsize *cnt = g_new0 (gsize, MAX (n_levels, 1));
  gsize total = 0;
  for (gsize i = 0; i < n; i++)
    if (usable (codes, y, score, mask, i, n_levels))
      {
        if (y[i] != 0.0 && y[i] != 1.0)
          {
            g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                         "Row %" G_GSIZE_FORMAT ": group thresholds need labels 0 or 1 (got %g)",
                         i, y[i]);
            return NULL;
          }
        cnt[codes[i]]++;
        total++;
      }
  if (total == 0)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Group thresholds need rows with a group, a score and a label; none were given");
      return NULL;
    }
  Curve *cv = g_new0 (Curve, MAX (n_levels, 1));
  for (guint g = 0; g < n_levels; g++)
    {
      g_autofree SY *v = g_new (SY, MAX (cnt[g], 1));
      gsize m = 0;
      for (gsize i = 0; i < n; i++)
        if (usable (codes, y, score, mask, i, n_levels) && codes[i] == (gint32) g)
          {
            v[m].s = score[i];
            v[m].y = y[i];
            m++;
          }
      curve_build (&cv[g], v, m);
    }

  GbGroupThreshold *rules = g_new0 (GbGroupThreshold, MAX (n_levels, 1));
  const guint steps = (guint) floor (1.0 / grid_step + 1e-9);
  double best_acc = -1.0, best_t = 0.0;
  GArray **hulls = NULL;

  if (constraint == GB_FAIRNESS_CONSTRAINT_EQUALIZED_ODDS)
    {
      hulls = g_new0 (GArray *, MAX (n_levels, 1));
      for (guint g = 0; g < n_levels; g++)
        if (cv[g].P > 0 && cv[g].N > 0)
          hulls[g] = roc_hull (&cv[g]);
    }
  for (guint s = 0; s <= steps; s++)
    {
      const double t = s == steps ? 1.0 : s * grid_step;
      double correct = 0.0, tp, fp;
      if (constraint == GB_FAIRNESS_CONSTRAINT_EQUALIZED_ODDS)
        {
          double yv = INFINITY;
          gsize a, b;
          double lam;
          for (guint g = 0; g < n_levels; g++)
            if (hulls[g])
              yv = MIN (yv, hull_at (&cv[g], hulls[g], t, &a, &b, &lam));
          for (guint g = 0; g < n_levels; g++)
            {
              if (hulls[g])
                correct += yv * cv[g].P + (1.0 - t) * cv[g].N;
              else if (cv[g].P > 0)   /* only positives: reach TPR yv */
                correct += yv * cv[g].P;
              else                      /* only negatives: reach FPR t */
                correct += (1.0 - t) * cv[g].N;
            }
        }
      else
        for (guint g = 0; g < n_levels; g++)
          {
            const Curve *c = &cv[g];
            if (constraint == GB_FAIRNESS_CONSTRAINT_EQUAL_OPPORTUNITY)
              {
                if (c->P == 0)
                  {
                    correct += c->N;   /* select nobody */
                    continue;
                  }
                reach (c, TRUE, t * c->P, &tp, &fp);
              }
            else
              reach (c, FALSE, t * (c->P + c->N), &tp, &fp);
            correct += tp + (c->N - fp);
          }
      if (correct > best_acc + 1e-12)
        {
          best_acc = correct;
          best_t = t;
        }
    }

  /* the rules at the best target */
  double yv = INFINITY;
  if (constraint == GB_FAIRNESS_CONSTRAINT_EQUALIZED_ODDS)
    for (guint g = 0; g < n_levels; g++)
      if (hulls[g])
        {
          gsize a, b;
          double lam;
          yv = MIN (yv, hull_at (&cv[g], hulls[g], best_t, &a, &b, &lam));
        }
  for (guint g = 0; g < n_levels; g++)
    {
      const Curve *c = &cv[g];
      double tp = 0, fp = 0;
      GbGroupThreshold *r = &rules[g];
      if (constraint == GB_FAIRNESS_CONSTRAINT_EQUALIZED_ODDS)
        {
          if (hulls[g])
            {
              gsize a, b;
              double lam;
              const double h = hull_at (c, hulls[g], best_t, &a, &b, &lam);
              *r = mix_rule (c, a, b, lam);
              r->random_rate = best_t;
              r->p_random = h > best_t ? 1.0 - (yv - best_t) / (h - best_t) : 0.0;
              r->p_random = CLAMP (r->p_random, 0.0, 1.0);
              r->rate = yv;
              r->fpr = best_t;
            }
          else if (c->P > 0)
            {
              *r = reach (c, TRUE, (isfinite (yv) ? yv : best_t) * c->P, &tp, &fp);
              r->rate = tp / c->P;
            }
          else if (c->N > 0)
            {
              /* negatives only: FPR best_t by the constant classifier */
              *r = mix_rule (c, 0, 0, 0.0);
              r->p_random = 1.0;
              r->random_rate = best_t;
              r->fpr = best_t;
            }
          else
            *r = mix_rule (c, 0, 0, 0.0);
        }
      else if (constraint == GB_FAIRNESS_CONSTRAINT_EQUAL_OPPORTUNITY)
        {
          if (c->P == 0)
            *r = mix_rule (c, 0, 0, 0.0);
          else
            {
              *r = reach (c, TRUE, best_t * c->P, &tp, &fp);
              r->rate = tp / c->P;
            }
        }
      else
        {
          *r = reach (c, FALSE, best_t * (c->P + c->N), &tp, &fp);
          r->rate = c->P + c->N > 0 ? (tp + fp) / (c->P + c->N) : NAN;
        }
    }
  if (out_accuracy)
    *out_accuracy = best_acc / total;
  for (guint g = 0; g < n_levels; g++)
    {
      curve_clear (&cv[g]);
      if (hulls && hulls[g])
        g_array_unref (hulls[g]);
    }
  g_free (hulls);
  g_free (cv);
  return rules;
}

void
gb_fairness_apply_thresholds (const GbGroupThreshold *rules, guint n_levels,
                              const gint32 *codes, const double *score, const guint8 *mask,
                              gsize n, guint64 seed, double *out_pred, double *out_prob)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, (unsigned long) seed);
  for (gsize i = 0; i < n; i++)
    {
      if ((mask && !mask[i]) || codes[i] < 0 || (guint) codes[i] >= n_levels || isnan (score[i]))
        {
          out_pred[i] = NAN;
          if (out_prob)
            out_prob[i] = NAN;
          continue;
        }
      const double p = gb_group_threshold_probability (&rules[codes[i]], score[i]);
      /* one draw per row, whether needed or not, so decisions do not depend on other rows' rules */
      const double u = gsl_rng_uniform (rng);
      out_pred[i] = u < p ? 1.0 : 0.0;
      if (out_prob)
        out_prob[i] = p;
    }
  gsl_rng_free (rng);
}

void
gb_fairness_tradeoff (const gint32 *codes, guint n_levels, const double *score, const double *y,
                      const guint8 *mask, gsize n, guint n_points, double *out_threshold,
                      double *out_accuracy, double *out_spd, double *out_eod)
{
  g_return_if_fail (n_points >= 2);
  g_autofree double *sel = g_new (double, MAX (n_levels, 1) * 4);   /* n, selected, pos, tp */
  for (guint p = 0; p < n_points; p++)
    {
      const double t = (double) p / (n_points - 1);
      double correct = 0.0, total = 0.0;
      memset (sel, 0, MAX (n_levels, 1) * 4 * sizeof (double));
      for (gsize i = 0; i < n; i++)
        {
          if (!usable (codes, y, score, mask, i, n_levels))
            continue;
          const double pred = score[i] >= t;
          double *c = sel + codes[i] * 4;
          c[0] += 1.0;
          c[1] += pred;
          c[2] += y[i];
          c[3] += pred * y[i];
          correct += pred == y[i];
          total += 1.0;
        }
      double slo = INFINITY, shi = -INFINITY, tlo = INFINITY, thi = -INFINITY;
      guint ns = 0, nt = 0;
      for (guint g = 0; g < n_levels; g++)
        {
          const double *c = sel + g * 4;
          if (c[0] > 0)
            {
              slo = MIN (slo, c[1] / c[0]);
              shi = MAX (shi, c[1] / c[0]);
              ns++;
            }
          if (c[2] > 0)
            {
              tlo = MIN (tlo, c[3] / c[2]);
              thi = MAX (thi, c[3] / c[2]);
              nt++;
            }
        }
      out_threshold[p] = t;
      out_accuracy[p] = total > 0 ? correct / total : NAN;
      out_spd[p] = ns >= 2 ? shi - slo : NAN;
      out_eod[p] = nt >= 2 ? thi - tlo : NAN;
    }
}
