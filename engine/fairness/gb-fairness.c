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
 *   equalized odds ratio            min(TPR min/max, FPR min/max)
 *                                   (Fairlearn equalized_odds_ratio)
 *   average odds difference         (TPR gap + FPR gap) / 2 (AIF360, which
 *                                   takes it between two groups)
 *   predictive parity difference    max − min PPV
 *   accuracy difference             max − min accuracy
 * and each group against a reference group (ratio group / reference and
 * difference group − reference, AIF360's unprivileged-vs-privileged form).
 * Groups whose TPR (FPR) is undefined — no positives (negatives) — are left
 * out of the TPR (FPR) gaps; Fairlearn would count them as 0.
 *
 * Every metric is a function of the per-group confusion tables only, so the
 * stratified bootstrap resamples the tables (gb-fairness-stats.c) and
 * re-evaluates metrics_from_counts() per replicate.
 */
#include "gb-config.h"
#include "gb-fairness.h"
#include "gb-metrics.h"

#include <math.h>
#include <string.h>

static const char *const rate_names[GB_N_RATES] = {
  "base_rate", "selection_rate", "tpr", "fpr", "tnr", "fnr", "ppv", "npv", "fdr", "for", "accuracy",
};
static const char *const rate_labels[GB_N_RATES] = {
  "base rate", "selection rate", "TPR", "FPR", "TNR", "FNR", "PPV", "NPV", "FDR", "FOR", "accuracy",
};

enum {
  S_DI, S_SPD, S_EOPP, S_EODDS, S_EODDS_RATIO, S_AOD, S_PPD, S_ACC, S_THEIL, S_GE2, S_THEIL_BETWEEN,
  N_SUMMARY
};
static const char *const summary_names[N_SUMMARY + 1] = {
  "disparate_impact_ratio", "statistical_parity_difference", "equal_opportunity_difference",
  "equalized_odds_difference", "equalized_odds_ratio", "average_odds_difference",
  "predictive_parity_difference", "accuracy_difference", "theil_index",
  "generalized_entropy_index", "theil_between_groups", NULL,
};

enum {
  C_DI, C_SPD, C_EOPP, C_EOPP_RATIO, C_FPRD, C_EODDS, C_EODDS_RATIO, C_AOD, C_PPD, C_PP_RATIO,
  C_ACC, C_ACC_RATIO, N_COMPARISON
};
static const char *const comparison_names[N_COMPARISON + 1] = {
  "disparate_impact_ratio", "statistical_parity_difference", "equal_opportunity_difference",
  "equal_opportunity_ratio", "false_positive_rate_difference", "equalized_odds_difference",
  "equalized_odds_ratio", "average_odds_difference", "predictive_parity_difference",
  "predictive_parity_ratio", "accuracy_difference", "accuracy_ratio", NULL,
};

const char *
gb_rate_name (GbRate rate)
{
  g_return_val_if_fail (rate < GB_N_RATES, NULL);
  return rate_names[rate];
}

const char *
gb_rate_label (GbRate rate)
{
  g_return_val_if_fail (rate < GB_N_RATES, NULL);
  return rate_labels[rate];
}

const char *const *
gb_fairness_summary_metric_names (void)
{
  return summary_names;
}

const char *const *
gb_fairness_comparison_metric_names (void)
{
  return comparison_names;
}

const char *
gb_fairness_test_name (GbFairnessTest test)
{
  switch (test)
    {
    case GB_FAIRNESS_TEST_Z: return "z";
    case GB_FAIRNESS_TEST_FISHER: return "fisher";
    case GB_FAIRNESS_TEST_CHI2: return "chi2";
    case GB_FAIRNESS_TEST_BONFERRONI: return "bonferroni";
    case GB_FAIRNESS_TEST_NONE:
    default: return "none";
    }
}

double
gb_rate_from_counts (GbRate rate, double tp, double fp, double tn, double fn,
                     double *out_num, double *out_den)
{
  double num = 0, den = 0;
  switch (rate)
    {
    case GB_RATE_BASE: num = tp + fn; den = tp + fp + tn + fn; break;
    case GB_RATE_SELECTION: num = tp + fp; den = tp + fp + tn + fn; break;
    case GB_RATE_TPR: num = tp; den = tp + fn; break;
    case GB_RATE_FPR: num = fp; den = fp + tn; break;
    case GB_RATE_TNR: num = tn; den = fp + tn; break;
    case GB_RATE_FNR: num = fn; den = tp + fn; break;
    case GB_RATE_PPV: num = tp; den = tp + fp; break;
    case GB_RATE_NPV: num = tn; den = tn + fn; break;
    case GB_RATE_FDR: num = fp; den = tp + fp; break;
    case GB_RATE_FOR: num = fn; den = tn + fn; break;
    case GB_RATE_ACCURACY: num = tp + tn; den = tp + fp + tn + fn; break;
    default: g_return_val_if_reached (NAN);
    }
  if (out_num)
    *out_num = num;
  if (out_den)
    *out_den = den;
  return den > 0 ? num / den : NAN;
}

double
gb_group_rates_get (const GbGroupRates *gr, GbRate rate)
{
  switch (rate)
    {
    case GB_RATE_BASE: return gr->base_rate;
    case GB_RATE_SELECTION: return gr->selection_rate;
    case GB_RATE_TPR: return gr->tpr;
    case GB_RATE_FPR: return gr->fpr;
    case GB_RATE_TNR: return gr->tnr;
    case GB_RATE_FNR: return gr->fnr;
    case GB_RATE_PPV: return gr->ppv;
    case GB_RATE_NPV: return gr->npv;
    case GB_RATE_FDR: return gr->fdr;
    case GB_RATE_FOR: return gr->for_rate;
    case GB_RATE_ACCURACY: return gr->accuracy;
    default: g_return_val_if_reached (NAN);
    }
}

void
gb_fairness_options_init_default (GbFairnessOptions *o)
{
  memset (o, 0, sizeof *o);
  o->confidence = 0.95;
  o->bootstrap = 1000;
  o->seed = 42;
  o->min_group_size = 30;
  o->reference = NULL;
  o->calibration_bins = 10;
}

void
gb_fairness_result_free (GbFairnessResult *result)
{
  if (result == NULL)
    return;
  for (guint g = 0; g < result->n_groups; g++)
    {
      g_free (result->groups[g].group);
      g_free (result->groups[g].calibration_score);
      g_free (result->groups[g].calibration_observed);
      g_free (result->groups[g].calibration_n);
      g_free (result->groups[g].roc_fpr);
      g_free (result->groups[g].roc_tpr);
    }
  for (guint c = 0; c < result->n_comparisons; c++)
    g_free (result->comparisons[c].metrics);
  g_free (result->comparisons);
  g_free (result->metrics);
  g_free (result->test_p);
  g_free (result->test_p_adjusted);
  g_free (result->groups);
  g_free (result->attribute);
  gb_fairness_decomposition_free (result->decomposition);
  g_free (result);
}

static const GbFairnessMetric *
find_metric (const GbFairnessMetric *m, guint n, const char *name)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (m[i].name, name) == 0)
      return &m[i];
  return NULL;
}

const GbFairnessMetric *
gb_fairness_result_get_metric (const GbFairnessResult *result, const char *name)
{
  return find_metric (result->metrics, result->n_metrics, name);
}

const GbFairnessMetric *
gb_fairness_comparison_get_metric (const GbFairnessComparison *comparison, const char *name)
{
  return find_metric (comparison->metrics, comparison->n_metrics, name);
}

/* ------------------------------------------------------------- metrics */

#define CNT(c, g, j) ((c)[(g) * 4 + (j)])   /* j: 0 tp, 1 fp, 2 tn, 3 fn */

static inline double
rate_of (const double *c, guint g, GbRate r)
{
  return gb_rate_from_counts (r, CNT (c, g, 0), CNT (c, g, 1), CNT (c, g, 2), CNT (c, g, 3),
                              NULL, NULL);
}

/* max − min of a rate over the groups in @use with a defined value. */
static double
rate_gap (const double *c, guint G, const gboolean *use, GbRate r, double *out_lo, double *out_hi)
{
  double lo = INFINITY, hi = -INFINITY;
  guint seen = 0;
  for (guint g = 0; g < G; g++)
    {
      if (!use[g])
        continue;
      const double v = rate_of (c, g, r);
      if (isnan (v))
        continue;
      lo = MIN (lo, v);
      hi = MAX (hi, v);
      seen++;
    }
  if (out_lo)
    *out_lo = seen ? lo : NAN;
  if (out_hi)
    *out_hi = seen ? hi : NAN;
  return seen >= 2 ? hi - lo : NAN;
}

static inline double
safe_ratio (double a, double b)
{
  return (isnan (a) || isnan (b) || b == 0.0) ? NAN : a / b;
}

/* min(a, b) / max(a, b) — 1 is parity (Fairlearn's ratio form). */
static inline double
sym_ratio (double a, double b)
{
  if (isnan (a) || isnan (b))
    return NAN;
  const double hi = MAX (a, b);
  return hi > 0.0 ? MIN (a, b) / hi : NAN;
}

static inline double
nan_max (double a, double b)
{
  if (isnan (a))
    return b;
  if (isnan (b))
    return a;
  return MAX (a, b);
}

static inline double
nan_min (double a, double b)
{
  if (isnan (a))
    return b;
  if (isnan (b))
    return a;
  return MIN (a, b);
}

/* The metrics of one set of tables: summary (N_SUMMARY) and, per group,
 * the comparison with @ref ((G, N_COMPARISON), row @ref left NAN). */
static void
metrics_from_counts (const double *c, guint G, const gboolean *use, guint ref,
                     double *summary, double *cmp)
{
  double lo, hi, tpr_gap, fpr_gap, tlo, thi, flo, fhi;

  summary[S_SPD] = rate_gap (c, G, use, GB_RATE_SELECTION, &lo, &hi);
  summary[S_DI] = hi > 0.0 ? lo / hi : NAN;
  tpr_gap = rate_gap (c, G, use, GB_RATE_TPR, &tlo, &thi);
  fpr_gap = rate_gap (c, G, use, GB_RATE_FPR, &flo, &fhi);
  summary[S_EOPP] = tpr_gap;
  summary[S_EODDS] = nan_max (tpr_gap, fpr_gap);
  summary[S_EODDS_RATIO] = nan_min (thi > 0.0 ? tlo / thi : NAN, fhi > 0.0 ? flo / fhi : NAN);
  summary[S_AOD] = (isnan (tpr_gap) || isnan (fpr_gap)) ? NAN : 0.5 * (tpr_gap + fpr_gap);
  summary[S_PPD] = rate_gap (c, G, use, GB_RATE_PPV, NULL, NULL);
  summary[S_ACC] = rate_gap (c, G, use, GB_RATE_ACCURACY, NULL, NULL);

  /* Benefits b = ŷ − y + 1: FN → 0, TP and TN → 1, FP → 2 (all groups). */
  double vals[3] = { 0.0, 1.0, 2.0 }, w[3] = { 0, 0, 0 };
  g_autofree double *mu = g_new (double, G);
  g_autofree double *ng = g_new (double, G);
  for (guint g = 0; g < G; g++)
    {
      w[0] += CNT (c, g, 3);
      w[1] += CNT (c, g, 0) + CNT (c, g, 2);
      w[2] += CNT (c, g, 1);
      ng[g] = CNT (c, g, 0) + CNT (c, g, 1) + CNT (c, g, 2) + CNT (c, g, 3);
      mu[g] = ng[g] > 0 ? (CNT (c, g, 0) + CNT (c, g, 2) + 2.0 * CNT (c, g, 1)) / ng[g] : 0.0;
    }
  summary[S_THEIL] = gb_generalized_entropy_weighted (vals, w, 3, 1.0);
  summary[S_GE2] = gb_generalized_entropy_weighted (vals, w, 3, 2.0);
  summary[S_THEIL_BETWEEN] = gb_generalized_entropy_weighted (mu, ng, G, 1.0);

  if (cmp == NULL)
    return;
  const double sel_r = rate_of (c, ref, GB_RATE_SELECTION);
  const double tpr_r = rate_of (c, ref, GB_RATE_TPR);
  const double fpr_r = rate_of (c, ref, GB_RATE_FPR);
  const double ppv_r = rate_of (c, ref, GB_RATE_PPV);
  const double acc_r = rate_of (c, ref, GB_RATE_ACCURACY);
  for (guint g = 0; g < G; g++)
    {
      double *o = cmp + (gsize) g * N_COMPARISON;
      if (g == ref)
        {
          for (int k = 0; k < N_COMPARISON; k++)
            o[k] = NAN;
          continue;
        }
      const double sel = rate_of (c, g, GB_RATE_SELECTION);
      const double tpr = rate_of (c, g, GB_RATE_TPR);
      const double fpr = rate_of (c, g, GB_RATE_FPR);
      const double ppv = rate_of (c, g, GB_RATE_PPV);
      const double acc = rate_of (c, g, GB_RATE_ACCURACY);
      const double dt = tpr - tpr_r, df = fpr - fpr_r;
      o[C_DI] = safe_ratio (sel, sel_r);
      o[C_SPD] = sel - sel_r;
      o[C_EOPP] = dt;
      o[C_EOPP_RATIO] = safe_ratio (tpr, tpr_r);
      o[C_FPRD] = df;
      o[C_EODDS] = nan_max (fabs (dt), fabs (df));
      o[C_EODDS_RATIO] = nan_min (sym_ratio (tpr, tpr_r), sym_ratio (fpr, fpr_r));
      o[C_AOD] = 0.5 * (dt + df);
      o[C_PPD] = ppv - ppv_r;
      o[C_PP_RATIO] = safe_ratio (ppv, ppv_r);
      o[C_ACC] = acc - acc_r;
      o[C_ACC_RATIO] = safe_ratio (acc, acc_r);
    }
}

/* --------------------------------------------------------------- tests */

typedef struct {
  GArray *p;   /* double */
} Tests;

static int
add_test (Tests *t, double p)
{
  g_array_append_val (t->p, p);
  return (int) t->p->len - 1;
}

/* Test that a rate is equal across the groups in @use: 2 groups → z or
 * Fisher; more → chi-square. */
static double
test_rate_across (const double *c, guint G, const gboolean *use, GbRate r, GbFairnessTest *kind)
{
  g_autofree double *x = g_new0 (double, G);
  g_autofree double *m = g_new0 (double, G);
  guint idx[2] = { 0, 0 }, used = 0;

  for (guint g = 0; g < G; g++)
    {
      if (!use[g])
        continue;
      gb_rate_from_counts (r, CNT (c, g, 0), CNT (c, g, 1), CNT (c, g, 2), CNT (c, g, 3),
                           &x[g], &m[g]);
      if (m[g] > 0)
        {
          if (used < 2)
            idx[used] = g;
          used++;
        }
    }
  if (used < 2)
    {
      *kind = GB_FAIRNESS_TEST_NONE;
      return NAN;
    }
  if (used == 2)
    {
      int k;
      const double p = gb_proportion_test ((guint64) x[idx[0]], (guint64) m[idx[0]],
                                           (guint64) x[idx[1]], (guint64) m[idx[1]], &k);
      *kind = (GbFairnessTest) k;
      return p;
    }
  *kind = GB_FAIRNESS_TEST_CHI2;
  return gb_chi2_homogeneity_test (x, m, G, NULL);
}

static double
test_rate_pair (const double *c, guint g, guint ref, GbRate r, GbFairnessTest *kind)
{
  double x1, m1, x2, m2;
  int k;
  gb_rate_from_counts (r, CNT (c, g, 0), CNT (c, g, 1), CNT (c, g, 2), CNT (c, g, 3), &x1, &m1);
  gb_rate_from_counts (r, CNT (c, ref, 0), CNT (c, ref, 1), CNT (c, ref, 2), CNT (c, ref, 3),
                       &x2, &m2);
  const double p = gb_proportion_test ((guint64) x1, (guint64) m1, (guint64) x2, (guint64) m2, &k);
  *kind = isnan (p) ? GB_FAIRNESS_TEST_NONE : (GbFairnessTest) k;
  return p;
}

static inline double
bonferroni2 (double a, double b)
{
  if (isnan (a) && isnan (b))
    return NAN;
  if (isnan (a) || isnan (b))
    return isnan (a) ? b : a;
  return MIN (1.0, 2.0 * MIN (a, b));
}

static void
set_metric (GbFairnessMetric *m, const char *name, double value, Tests *t, double p,
            GbFairnessTest kind, int shared_id)
{
  m->name = name;
  m->value = value;
  m->ci_low = m->ci_high = NAN;
  m->p_value = p;
  m->p_adjusted = NAN;
  m->test = isnan (p) ? GB_FAIRNESS_TEST_NONE : kind;
  if (isnan (p))
    m->test_id = -1;
  else if (shared_id >= 0)
    m->test_id = shared_id;
  else
    m->test_id = add_test (t, p);
}

/* ---------------------------------------------------------- the audit */

static void
group_score_stats (GbGroupRates *gr, const double *score, const double *y, gsize m, guint bins)
{
  double sse = 0.0;
  for (gsize i = 0; i < m; i++)
    sse += (score[i] - y[i]) * (score[i] - y[i]);
  gr->brier = m > 0 ? sse / m : NAN;
  gr->roc_auc = gb_roc_auc (score, y, m);
  gb_roc_curve (score, y, m, &gr->roc_fpr, &gr->roc_tpr, &gr->roc_len);
  if (bins == 0)
    return;
  gr->n_calibration = bins;
  gr->calibration_score = g_new0 (double, bins);
  gr->calibration_observed = g_new0 (double, bins);
  gr->calibration_n = g_new0 (gsize, bins);
  for (gsize i = 0; i < m; i++)
    {
      guint b = (guint) floor (CLAMP (score[i], 0.0, 1.0) * bins);
      b = MIN (b, bins - 1);
      gr->calibration_score[b] += score[i];
      gr->calibration_observed[b] += y[i];
      gr->calibration_n[b]++;
    }
  for (guint b = 0; b < bins; b++)
    {
      const gsize k = gr->calibration_n[b];
      gr->calibration_score[b] = k ? gr->calibration_score[b] / k : NAN;
      gr->calibration_observed[b] = k ? gr->calibration_observed[b] / k : NAN;
    }
}

GbFairnessResult *
gb_fairness_audit (const char *attribute, const gint32 *group_codes,
                   const char *const *levels, guint n_levels,
                   const double *y_true, const double *y_pred, const double *score,
                   const guint8 *row_mask, gsize n, const GbFairnessOptions *options,
                   GError **error)
{
  GbFairnessOptions defaults;
  const GbFairnessOptions *o = options;
  const guint L = MAX (n_levels, 1);
  g_autofree double *lcounts = g_new0 (double, (gsize) L * 4);
  GbFairnessResult *res;
  guint non_empty = 0, k = 0;

  g_return_val_if_fail (group_codes != NULL || n == 0, NULL);
  g_return_val_if_fail (y_true != NULL || n == 0, NULL);
  g_return_val_if_fail (y_pred != NULL || n == 0, NULL);
  g_return_val_if_fail (levels != NULL || n_levels == 0, NULL);
  if (o == NULL)
    {
      gb_fairness_options_init_default (&defaults);
      o = &defaults;
    }
  if (!(o->confidence > 0.0 && o->confidence < 1.0))
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "The confidence level must be between 0 and 1 (exclusive)");
      return NULL;
    }

  for (gsize i = 0; i < n; i++)
    {
      gint32 c = group_codes[i];
      double yt = y_true[i], yp = y_pred[i];

      if (row_mask && !row_mask[i])
        continue;
      if (c < 0 || isnan (yt) || isnan (yp) || (score && isnan (score[i])))
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
      const int cell = yt == 1.0 ? (yp == 1.0 ? 0 : 3) : (yp == 1.0 ? 1 : 2);
      lcounts[(gsize) c * 4 + cell] += 1.0;
    }

  g_autofree gint *level_to_group = g_new (gint, L);
  for (guint g = 0; g < n_levels; g++)
    {
      const double m = lcounts[g * 4] + lcounts[g * 4 + 1] + lcounts[g * 4 + 2] + lcounts[g * 4 + 3];
      level_to_group[g] = m > 0 ? (gint) non_empty++ : -1;
    }
  if (non_empty < 2)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Fairness metrics need at least two groups with rows; “%s” has %u",
                   attribute ? attribute : "", non_empty);
      return NULL;
    }

  const guint G = non_empty;
  g_autofree double *counts = g_new (double, (gsize) G * 4);
  res = g_new0 (GbFairnessResult, 1);
  res->attribute = g_strdup (attribute ? attribute : "");
  res->groups = g_new0 (GbGroupRates, G);
  res->n_groups = G;
  res->confidence = o->confidence;
  res->bootstrap = o->bootstrap;
  res->seed = o->seed;
  res->min_group_size = o->min_group_size;
  res->has_score = score != NULL;
  for (guint g = 0; g < n_levels; g++)
    {
      if (level_to_group[g] < 0)
        continue;
      GbGroupRates *r = &res->groups[k];
      const double *lc = lcounts + (gsize) g * 4;
      memcpy (counts + (gsize) k * 4, lc, 4 * sizeof (double));
      k++;
      r->group = g_strdup (levels[g] ? levels[g] : "");
      r->tp = (gsize) lc[0];
      r->fp = (gsize) lc[1];
      r->tn = (gsize) lc[2];
      r->fn = (gsize) lc[3];
      r->n = r->tp + r->fp + r->tn + r->fn;
      r->base_rate = gb_rate_from_counts (GB_RATE_BASE, lc[0], lc[1], lc[2], lc[3], NULL, NULL);
      r->selection_rate = gb_rate_from_counts (GB_RATE_SELECTION, lc[0], lc[1], lc[2], lc[3], NULL, NULL);
      r->tpr = gb_rate_from_counts (GB_RATE_TPR, lc[0], lc[1], lc[2], lc[3], NULL, NULL);
      r->fpr = gb_rate_from_counts (GB_RATE_FPR, lc[0], lc[1], lc[2], lc[3], NULL, NULL);
      r->fnr = gb_rate_from_counts (GB_RATE_FNR, lc[0], lc[1], lc[2], lc[3], NULL, NULL);
      r->ppv = gb_rate_from_counts (GB_RATE_PPV, lc[0], lc[1], lc[2], lc[3], NULL, NULL);
      r->accuracy = gb_rate_from_counts (GB_RATE_ACCURACY, lc[0], lc[1], lc[2], lc[3], NULL, NULL);
      r->tnr = gb_rate_from_counts (GB_RATE_TNR, lc[0], lc[1], lc[2], lc[3], NULL, NULL);
      r->npv = gb_rate_from_counts (GB_RATE_NPV, lc[0], lc[1], lc[2], lc[3], NULL, NULL);
      r->fdr = gb_rate_from_counts (GB_RATE_FDR, lc[0], lc[1], lc[2], lc[3], NULL, NULL);
      r->for_rate = gb_rate_from_counts (GB_RATE_FOR, lc[0], lc[1], lc[2], lc[3], NULL, NULL);
      for (int rt = 0; rt < GB_N_RATES; rt++)
        {
          double num, den;
          gb_rate_from_counts (rt, lc[0], lc[1], lc[2], lc[3], &num, &den);
          gb_wilson_interval (num, den, o->confidence, &r->ci[rt][0], &r->ci[rt][1]);
        }
      r->small = r->n < o->min_group_size;
      res->n_small += r->small;
      r->roc_auc = r->brier = NAN;
    }

  /* per-group score statistics */
  if (score != NULL)
    {
      g_autofree gsize *offset = g_new0 (gsize, G + 1);
      for (guint g = 0; g < G; g++)
        offset[g + 1] = offset[g] + res->groups[g].n;
      g_autofree gsize *fill = g_memdup2 (offset, (G + 1) * sizeof (gsize));
      g_autofree double *ss = g_new (double, MAX (offset[G], 1));
      g_autofree double *yy = g_new (double, MAX (offset[G], 1));
      for (gsize i = 0; i < n; i++)
        {
          if ((row_mask && !row_mask[i]) || group_codes[i] < 0 || isnan (y_true[i])
              || isnan (y_pred[i]) || isnan (score[i]))
            continue;
          const gint g = level_to_group[group_codes[i]];
          ss[fill[g]] = score[i];
          yy[fill[g]] = y_true[i];
          fill[g]++;
        }
      for (guint g = 0; g < G; g++)
        group_score_stats (&res->groups[g], ss + offset[g], yy + offset[g], res->groups[g].n,
                           o->calibration_bins);
    }

  /* reference group */
  gint ref = -1;
  if (o->reference != NULL)
    {
      for (guint g = 0; g < G; g++)
        if (g_strcmp0 (res->groups[g].group, o->reference) == 0)
          ref = (gint) g;
      if (ref < 0)
        {
          GString *names = g_string_new (NULL);
          for (guint g = 0; g < G; g++)
            g_string_append_printf (names, "%s“%s”", g ? ", " : "", res->groups[g].group);
          g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--reference-group: “%s” is not a group of “%s” with rows; the groups are %s",
                       o->reference, res->attribute, names->str);
          g_string_free (names, TRUE);
          gb_fairness_result_free (res);
          return NULL;
        }
    }
  else
    {
      for (guint pass = 0; pass < 2 && ref < 0; pass++)
        for (guint g = 0; g < G; g++)
          if ((pass == 1 || !res->groups[g].small)
              && (ref < 0 || res->groups[g].n > res->groups[ref].n))
            ref = (gint) g;
    }
  res->reference = (guint) ref;
  res->groups[ref].is_reference = TRUE;

  /* groups in the min/max metrics: those that are not small (all if fewer than two) */
  g_autofree gboolean *use = g_new (gboolean, G);
  guint n_use = 0;
  for (guint g = 0; g < G; g++)
    n_use += (use[g] = !res->groups[g].small);
  if (n_use < 2)
    {
      for (guint g = 0; g < G; g++)
        use[g] = TRUE;
      res->summary_uses_all = TRUE;
    }

  /* point estimates */
  double summary[N_SUMMARY];
  g_autofree double *cmp = g_new (double, (gsize) G * N_COMPARISON);
  metrics_from_counts (counts, G, use, (guint) ref, summary, cmp);
  res->disparate_impact_ratio = summary[S_DI];
  res->statistical_parity_difference = summary[S_SPD];
  res->equal_opportunity_difference = summary[S_EOPP];
  res->equalized_odds_difference = summary[S_EODDS];

  /* tests */
  Tests t = { g_array_new (FALSE, FALSE, sizeof (double)) };
  GbFairnessTest kind_sel, kind_tpr, kind_fpr, kind_ppv, kind_acc;
  {
    const double p_sel = test_rate_across (counts, G, use, GB_RATE_SELECTION, &kind_sel);
    const double p_tpr = test_rate_across (counts, G, use, GB_RATE_TPR, &kind_tpr);
    const double p_fpr = test_rate_across (counts, G, use, GB_RATE_FPR, &kind_fpr);
    const double p_ppv = test_rate_across (counts, G, use, GB_RATE_PPV, &kind_ppv);
    const double p_acc = test_rate_across (counts, G, use, GB_RATE_ACCURACY, &kind_acc);
    const double p_eo = bonferroni2 (p_tpr, p_fpr);
    GbFairnessMetric *m = res->metrics = g_new0 (GbFairnessMetric, N_SUMMARY);
    res->n_metrics = N_SUMMARY;
    set_metric (&m[S_DI], summary_names[S_DI], summary[S_DI], &t, p_sel, kind_sel, -1);
    set_metric (&m[S_SPD], summary_names[S_SPD], summary[S_SPD], &t, p_sel, kind_sel, m[S_DI].test_id);
    set_metric (&m[S_EOPP], summary_names[S_EOPP], summary[S_EOPP], &t, p_tpr, kind_tpr, -1);
    set_metric (&m[S_EODDS], summary_names[S_EODDS], summary[S_EODDS], &t, p_eo,
                GB_FAIRNESS_TEST_BONFERRONI, -1);
    set_metric (&m[S_EODDS_RATIO], summary_names[S_EODDS_RATIO], summary[S_EODDS_RATIO], &t, p_eo,
                GB_FAIRNESS_TEST_BONFERRONI, m[S_EODDS].test_id);
    set_metric (&m[S_AOD], summary_names[S_AOD], summary[S_AOD], &t, p_eo,
                GB_FAIRNESS_TEST_BONFERRONI, m[S_EODDS].test_id);
    set_metric (&m[S_PPD], summary_names[S_PPD], summary[S_PPD], &t, p_ppv, kind_ppv, -1);
    set_metric (&m[S_ACC], summary_names[S_ACC], summary[S_ACC], &t, p_acc, kind_acc, -1);
    for (int s = S_THEIL; s < N_SUMMARY; s++)
      set_metric (&m[s], summary_names[s], summary[s], &t, NAN, GB_FAIRNESS_TEST_NONE, -1);
  }
  res->comparisons = g_new0 (GbFairnessComparison, G - 1);
  res->n_comparisons = G - 1;
  for (guint g = 0, ci = 0; g < G; g++)
    {
      if (g == (guint) ref)
        continue;
      GbFairnessComparison *c = &res->comparisons[ci++];
      const double *v = cmp + (gsize) g * N_COMPARISON;
      const double p_sel = test_rate_pair (counts, g, ref, GB_RATE_SELECTION, &kind_sel);
      const double p_tpr = test_rate_pair (counts, g, ref, GB_RATE_TPR, &kind_tpr);
      const double p_fpr = test_rate_pair (counts, g, ref, GB_RATE_FPR, &kind_fpr);
      const double p_ppv = test_rate_pair (counts, g, ref, GB_RATE_PPV, &kind_ppv);
      const double p_acc = test_rate_pair (counts, g, ref, GB_RATE_ACCURACY, &kind_acc);
      const double p_eo = bonferroni2 (p_tpr, p_fpr);
      GbFairnessMetric *m = c->metrics = g_new0 (GbFairnessMetric, N_COMPARISON);
      c->group = g;
      c->n_metrics = N_COMPARISON;
      set_metric (&m[C_DI], comparison_names[C_DI], v[C_DI], &t, p_sel, kind_sel, -1);
      set_metric (&m[C_SPD], comparison_names[C_SPD], v[C_SPD], &t, p_sel, kind_sel, m[C_DI].test_id);
      set_metric (&m[C_EOPP], comparison_names[C_EOPP], v[C_EOPP], &t, p_tpr, kind_tpr, -1);
      set_metric (&m[C_EOPP_RATIO], comparison_names[C_EOPP_RATIO], v[C_EOPP_RATIO], &t, p_tpr,
                  kind_tpr, m[C_EOPP].test_id);
      set_metric (&m[C_FPRD], comparison_names[C_FPRD], v[C_FPRD], &t, p_fpr, kind_fpr, -1);
      set_metric (&m[C_EODDS], comparison_names[C_EODDS], v[C_EODDS], &t, p_eo,
                  GB_FAIRNESS_TEST_BONFERRONI, -1);
      set_metric (&m[C_EODDS_RATIO], comparison_names[C_EODDS_RATIO], v[C_EODDS_RATIO], &t, p_eo,
                  GB_FAIRNESS_TEST_BONFERRONI, m[C_EODDS].test_id);
      set_metric (&m[C_AOD], comparison_names[C_AOD], v[C_AOD], &t, p_eo,
                  GB_FAIRNESS_TEST_BONFERRONI, m[C_EODDS].test_id);
      set_metric (&m[C_PPD], comparison_names[C_PPD], v[C_PPD], &t, p_ppv, kind_ppv, -1);
      set_metric (&m[C_PP_RATIO], comparison_names[C_PP_RATIO], v[C_PP_RATIO], &t, p_ppv, kind_ppv,
                  m[C_PPD].test_id);
      set_metric (&m[C_ACC], comparison_names[C_ACC], v[C_ACC], &t, p_acc, kind_acc, -1);
      set_metric (&m[C_ACC_RATIO], comparison_names[C_ACC_RATIO], v[C_ACC_RATIO], &t, p_acc,
                  kind_acc, m[C_ACC].test_id);
    }
  res->n_tests = t.p->len;
  res->test_p = (double *) g_array_free (t.p, FALSE);
  res->test_p_adjusted = g_new (double, MAX (res->n_tests, 1));
  gb_fairness_results_adjust (&res, 1);

  /* stratified bootstrap intervals */
  if (o->bootstrap > 0)
    {
      const guint B = o->bootstrap;
      g_autofree double *reps = g_new (double, (gsize) B * G * 4);
      g_autofree double *bs = g_new (double, (gsize) B * N_SUMMARY);
      g_autofree double *bc = g_new (double, (gsize) B * G * N_COMPARISON);
      g_autofree double *col = g_new (double, B);
      gb_fairness_bootstrap_counts (counts, G, B, o->seed, reps);
      for (guint b = 0; b < B; b++)
        metrics_from_counts (reps + (gsize) b * G * 4, G, use, (guint) ref,
                             bs + (gsize) b * N_SUMMARY, bc + (gsize) b * G * N_COMPARISON);
      for (int s = 0; s < N_SUMMARY; s++)
        {
          for (guint b = 0; b < B; b++)
            col[b] = bs[(gsize) b * N_SUMMARY + s];
          gb_percentile_interval (col, B, o->confidence, (B + 1) / 2,
                                  &res->metrics[s].ci_low, &res->metrics[s].ci_high);
        }
      for (guint ci = 0; ci < res->n_comparisons; ci++)
        {
          GbFairnessComparison *c = &res->comparisons[ci];
          for (int s = 0; s < N_COMPARISON; s++)
            {
              for (guint b = 0; b < B; b++)
                col[b] = bc[((gsize) b * G + c->group) * N_COMPARISON + s];
              gb_percentile_interval (col, B, o->confidence, (B + 1) / 2,
                                      &c->metrics[s].ci_low, &c->metrics[s].ci_high);
            }
        }
    }
  return res;
}

void
gb_fairness_results_adjust (GbFairnessResult **results, guint n_results)
{
  gsize m = 0;
  for (guint r = 0; r < n_results; r++)
    m += results[r]->n_tests;
  g_autofree double *p = g_new (double, MAX (m, 1));
  gsize k = 0;
  for (guint r = 0; r < n_results; r++)
    for (guint i = 0; i < results[r]->n_tests; i++)
      p[k++] = results[r]->test_p[i];
  gb_benjamini_hochberg (p, m, p);
  k = 0;
  for (guint r = 0; r < n_results; r++)
    {
      GbFairnessResult *res = results[r];
      for (guint i = 0; i < res->n_tests; i++)
        res->test_p_adjusted[i] = p[k++];
      for (guint i = 0; i < res->n_metrics; i++)
        res->metrics[i].p_adjusted =
          res->metrics[i].test_id >= 0 ? res->test_p_adjusted[res->metrics[i].test_id] : NAN;
      for (guint c = 0; c < res->n_comparisons; c++)
        for (guint i = 0; i < res->comparisons[c].n_metrics; i++)
          {
            GbFairnessMetric *mm = &res->comparisons[c].metrics[i];
            mm->p_adjusted = mm->test_id >= 0 ? res->test_p_adjusted[mm->test_id] : NAN;
          }
    }
}

GbFairnessResult *
gb_fairness_compute (const char *attribute, const gint32 *group_codes,
                     const char *const *levels, guint n_levels,
                     const double *y_true, const double *y_pred,
                     const guint8 *row_mask, gsize n, GError **error)
{
  GbFairnessOptions o;
  gb_fairness_options_init_default (&o);
  o.bootstrap = 0;
  o.min_group_size = 0;
  return gb_fairness_audit (attribute, group_codes, levels, n_levels, y_true, y_pred, NULL,
                            row_mask, n, &o, error);
}
