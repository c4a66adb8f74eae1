/* gb-fairness.h — group fairness metrics of binary predictions, with
 * intervals, tests, intersections and mitigation.
 *
 * The pieces live in several files of engine/fairness:
 *   gb-fairness.c            per-group rates, between-group metrics, the audit
 *   gb-fairness-stats.c      Wilson intervals, two-proportion z, Fisher's exact,
 *                            chi-square, Benjamini–Hochberg, generalized entropy
 *   gb-fairness-bootstrap.c  stratified bootstrap of per-group confusion counts
 *   gb-fairness-intersect.c  intersectional groups (race*sex)
 *   gb-fairness-mitigation.c reweighing, group thresholds, trade-off curve
 *   gb-fairness-proxy.c      single-feature proxy AUC
 *   gb-fairness-run.c        the audit over a GbDataset (used by GbAudit)
 * and are declared here and in gb-fairness-stats.h / gb-fairness-mitigation.h,
 * which this header includes. */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

/**
 * GbRate:
 * The per-group rates, in the order of the @ci array of #GbGroupRates.
 * Their JSON names are given by gb_rate_name(): base_rate, selection_rate,
 * tpr, fpr, tnr, fnr, ppv, npv, fdr, for, accuracy.
 */
typedef enum {
  GB_RATE_BASE,
  GB_RATE_SELECTION,
  GB_RATE_TPR,
  GB_RATE_FPR,
  GB_RATE_TNR,
  GB_RATE_FNR,
  GB_RATE_PPV,
  GB_RATE_NPV,
  GB_RATE_FDR,
  GB_RATE_FOR,
  GB_RATE_ACCURACY,
  GB_N_RATES
} GbRate;

/* Returns: (transfer none): the rate's JSON name ("selection_rate", "tpr", ...). */
const char *gb_rate_name (GbRate rate);
/* Returns: (transfer none): the rate's name in prose ("selection rate", "TPR"). */
const char *gb_rate_label (GbRate rate);

/**
 * gb_rate_from_counts:
 * @rate: which rate
 * @tp: @fp: @tn: @fn: confusion counts (may be fractional, e.g. expected counts)
 * @out_num: (out) (optional): numerator
 * @out_den: (out) (optional): denominator
 *
 * Returns: num / den, NAN when den is 0.
 */
double gb_rate_from_counts (GbRate rate, double tp, double fp, double tn, double fn,
                            double *out_num, double *out_den);

/**
 * GbGroupRates:
 * @group: (transfer full): the group's label (level text)
 * @n: rows in the group (rows with a missing group, label or prediction are skipped)
 * @tp: @fp: @tn: @fn: confusion counts (prediction 1 = selected)
 * @base_rate: (tp + fn) / n
 * @selection_rate: (tp + fp) / n
 * @tpr: tp / (tp + fn), NAN when the group has no positives
 * @fpr: fp / (fp + tn), NAN when the group has no negatives
 * @fnr: fn / (tp + fn)
 * @ppv: tp / (tp + fp), NAN when nobody in the group is selected
 * @accuracy: (tp + tn) / n
 * @tnr: tn / (fp + tn)
 * @npv: tn / (tn + fn)
 * @fdr: fp / (tp + fp)
 * @for_rate: false omission rate fn / (tn + fn)
 * @ci: (GB_N_RATES, 2) Wilson score interval [low, high] of every rate at the
 *   result's confidence level, indexed by #GbRate; NAN when the rate is
 * @roc_auc: the group's ROC-AUC of the score (NAN without a score or when a
 *   class is absent); @brier: mean (score − y)² (NAN without a score)
 * @small: n is below the minimum group size: listed, flagged, left out of
 *   the min/max metrics and never chosen as the reference
 * @is_reference: the reference group of the comparisons
 * @n_calibration: bins of the calibration curve (0 without a score)
 * @calibration_score: @calibration_observed: (n_calibration) mean score and
 *   observed positive rate per equal-width score bin; NAN for an empty bin
 * @calibration_n: (n_calibration) rows per bin
 * @roc_fpr: @roc_tpr: (roc_len) (nullable): the group's ROC curve
 *   (gb_roc_curve(): one point per distinct score, from (0, 0) to (1, 1));
 *   NULL without a score
 * @roc_len: its number of points
 */
typedef struct {
  char *group;
  gsize n;
  gsize tp, fp, tn, fn;
  double base_rate;
  double selection_rate;
  double tpr;
  double fpr;
  double fnr;
  double ppv;
  double accuracy;
  /* added for the in-depth audit (issue 6) */
  double tnr;
  double npv;
  double fdr;
  double for_rate;
  double ci[GB_N_RATES][2];
  double roc_auc;
  double brier;
  gboolean small;
  gboolean is_reference;
  guint n_calibration;
  double *calibration_score;
  double *calibration_observed;
  gsize *calibration_n;
  double *roc_fpr;
  double *roc_tpr;
  gsize roc_len;
} GbGroupRates;

/* Returns: the value of @rate for @gr (the stored field). */
double gb_group_rates_get (const GbGroupRates *gr, GbRate rate);

/**
 * GbFairnessTest:
 * @GB_FAIRNESS_TEST_NONE: no test (e.g. the Theil index; p_value is NAN)
 * @GB_FAIRNESS_TEST_Z: pooled two-proportion z test
 * @GB_FAIRNESS_TEST_FISHER: Fisher's exact test (an expected count below 5)
 * @GB_FAIRNESS_TEST_CHI2: chi-square test of homogeneity over all groups
 * @GB_FAIRNESS_TEST_BONFERRONI: 2 × the smaller p of the TPR and FPR tests
 *   (equalized odds: both rates equal)
 */
typedef enum {
  GB_FAIRNESS_TEST_NONE,
  GB_FAIRNESS_TEST_Z,
  GB_FAIRNESS_TEST_FISHER,
  GB_FAIRNESS_TEST_CHI2,
  GB_FAIRNESS_TEST_BONFERRONI,
} GbFairnessTest;

/* Returns: (transfer none): "none", "z", "fisher", "chi2", "bonferroni". */
const char *gb_fairness_test_name (GbFairnessTest test);

/**
 * GbFairnessMetric:
 * @name: (transfer none): static name, e.g. "disparate_impact_ratio"
 * @value: the metric on the data
 * @ci_low: @ci_high: stratified bootstrap percentile interval (NAN when the
 *   bootstrap was off or fewer than half the replicates were defined)
 * @p_value: the test of "no gap" (NAN for metrics without a test)
 * @p_adjusted: Benjamini–Hochberg adjusted p over every test of the audit
 * @test: which test gave @p_value
 * @test_id: index of the test in the result (metrics sharing a null
 *   hypothesis, e.g. a ratio and a difference of one rate, share it)
 */
typedef struct {
  const char *name;
  double value;
  double ci_low;
  double ci_high;
  double p_value;
  double p_adjusted;
  GbFairnessTest test;
  int test_id;
} GbFairnessMetric;

/**
 * GbFairnessComparison:
 * @group: index into the result's groups of the group compared
 * @metrics: (n_metrics) the group against the reference group: ratio and
 *   difference (group − reference) as named in
 *   gb_fairness_comparison_metric_names()
 */
typedef struct {
  guint group;
  GbFairnessMetric *metrics;
  guint n_metrics;
} GbFairnessComparison;

/**
 * GbFairnessResult:
 * @attribute: (transfer full): the protected attribute's name ("race", or
 *   "race*sex" for an intersection)
 * @groups: (n_groups) per-group rates, in level order; empty groups omitted
 * @n_groups: number of groups with n > 0
 * @disparate_impact_ratio: min over groups of the selection rate divided by
 *   the max (AIF360/Fairlearn "demographic parity ratio"); NAN if max is 0
 * @statistical_parity_difference: max − min selection rate across groups
 *   (Fairlearn's demographic_parity_difference)
 * @equal_opportunity_difference: max − min TPR across groups (groups with
 *   undefined TPR skipped)
 * @equalized_odds_difference: max(TPR gap, FPR gap) (Fairlearn's
 *   equalized_odds_difference)
 * @reference: index into @groups of the reference (privileged) group
 * @min_group_size: groups with fewer rows are flagged @small
 * @n_small: number of small groups
 * @summary_uses_all: TRUE when fewer than two groups reach @min_group_size,
 *   so the min/max metrics had to use the small groups too
 * @metrics: (n_metrics) min/max metrics across the (non-small) groups, named
 *   as in gb_fairness_summary_metric_names(); the first four equal the
 *   fields above
 * @comparisons: (n_comparisons) every other group against the reference
 * @confidence: level of every interval (0.95)
 * @bootstrap: replicates B of the bootstrap (0 = none); @seed: its seed
 * @has_score: the per-group ROC-AUC, Brier score and calibration exist
 * @n_tests: @test_p: @test_p_adjusted: (n_tests) the distinct tests
 * @decomposition: (nullable) (transfer full): the gap in mean predicted
 *   probability between one group and the reference group decomposed into
 *   features (gb-fairness-decompose.h); set by the audit when a model exists
 */
typedef struct {
  char *attribute;
  GbGroupRates *groups;
  guint n_groups;
  double disparate_impact_ratio;
  double statistical_parity_difference;
  double equal_opportunity_difference;
  double equalized_odds_difference;
  /* added for the in-depth audit (issue 6) */
  guint reference;
  gsize min_group_size;
  guint n_small;
  gboolean summary_uses_all;
  GbFairnessMetric *metrics;
  guint n_metrics;
  GbFairnessComparison *comparisons;
  guint n_comparisons;
  double confidence;
  guint bootstrap;
  guint64 seed;
  gboolean has_score;
  guint n_tests;
  double *test_p;
  double *test_p_adjusted;
  struct _GbFairnessDecomposition *decomposition;
} GbFairnessResult;

/**
 * GbFairnessOptions:
 * @confidence: interval level (default 0.95)
 * @bootstrap: stratified bootstrap replicates (default 1000; 0 = no bootstrap intervals)
 * @seed: seed of the bootstrap's GSL mt19937 generator (default 42)
 * @min_group_size: groups below it are flagged small (default 30)
 * @reference: (nullable): label of the reference group; NULL = the largest
 *   group that is not small
 * @calibration_bins: equal-width score bins of the calibration curves (default 10)
 */
typedef struct {
  double confidence;
  guint bootstrap;
  guint64 seed;
  gsize min_group_size;
  const char *reference;
  guint calibration_bins;
} GbFairnessOptions;

void gb_fairness_options_init_default (GbFairnessOptions *options);

/* Returns: (transfer none) (array zero-terminated=1): the names of the
 * min/max metrics in GbFairnessResult.metrics order. */
const char *const *gb_fairness_summary_metric_names (void);
/* Returns: (transfer none) (array zero-terminated=1): the names of the
 * comparison metrics in GbFairnessComparison.metrics order. */
const char *const *gb_fairness_comparison_metric_names (void);

/**
 * gb_fairness_compute:
 * @attribute: name recorded in the result
 * @group_codes: (n) group index per row in [0, n_levels), -1 = missing (skipped)
 * @levels: (array length=n_levels): group labels
 * @n_levels: number of groups
 * @y_true: (n) true labels in {0, 1}, NAN = missing (skipped)
 * @y_pred: (n) predicted labels in {0, 1}, NAN = missing (skipped)
 * @row_mask: (nullable) (n): rows to use (non-zero), e.g. the held-out split
 * @n: rows
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_INVALID_ARGUMENT when fewer than two
 *   groups have rows
 *
 * Definitions follow Fairlearn (MetricFrame, demographic_parity_*,
 * equalized_odds_difference) and AIF360 (disparate impact).  Same as
 * gb_fairness_audit() with no score, no bootstrap, minimum group size 0.
 *
 * Returns: (transfer full) (nullable): the result; free with gb_fairness_result_free().
 */
GbFairnessResult *gb_fairness_compute (const char *attribute, const gint32 *group_codes,
                                       const char *const *levels, guint n_levels,
                                       const double *y_true, const double *y_pred,
                                       const guint8 *row_mask, gsize n, GError **error);

/**
 * gb_fairness_audit:
 * @attribute: @group_codes: @levels: @n_levels: @y_true: @y_pred: @row_mask: @n:
 *   as gb_fairness_compute()
 * @score: (nullable) (n): scores in [0, 1] behind @y_pred, for the per-group
 *   ROC-AUC, Brier score and calibration curve
 * @options: (nullable): NULL = defaults
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_INVALID_ARGUMENT (fewer than two
 *   groups, labels not 0/1, unknown reference group)
 *
 * Every rate of every group with its Wilson interval; the min/max metrics
 * across groups and every group against the reference group, each with a
 * stratified bootstrap percentile interval (groups resampled separately,
 * B replicates, seeded) and a test of no gap: two-proportion z, or Fisher's
 * exact test when an expected count is below 5; chi-square homogeneity
 * across three or more groups.  p_adjusted is the Benjamini–Hochberg
 * adjustment within this result; call gb_fairness_results_adjust() to
 * adjust over several results (attributes and intersections) at once.
 * The Theil and generalized entropy (α = 2) indices of the benefits
 * b = ŷ − y + 1 follow Speicher et al. (KDD 2018) as AIF360 computes them.
 *
 * Returns: (transfer full) (nullable): the result; free with gb_fairness_result_free().
 */
GbFairnessResult *gb_fairness_audit (const char *attribute, const gint32 *group_codes,
                                     const char *const *levels, guint n_levels,
                                     const double *y_true, const double *y_pred,
                                     const double *score, const guint8 *row_mask, gsize n,
                                     const GbFairnessOptions *options, GError **error);

/**
 * gb_fairness_results_adjust:
 * @results: (array length=n_results): results whose tests form one family
 * @n_results: number of results
 *
 * Benjamini–Hochberg over every test of every result (an intersectional
 * audit tests many gaps); rewrites p_adjusted of all their metrics.
 */
void gb_fairness_results_adjust (GbFairnessResult **results, guint n_results);

/* Returns: (transfer none) (nullable): the min/max metric called @name. */
const GbFairnessMetric *gb_fairness_result_get_metric (const GbFairnessResult *result,
                                                       const char *name);
/* Returns: (transfer none) (nullable): the comparison metric @name of
 * comparison @comparison. */
const GbFairnessMetric *gb_fairness_comparison_get_metric (const GbFairnessComparison *comparison,
                                                           const char *name);

void gb_fairness_result_free (GbFairnessResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbFairnessResult, gb_fairness_result_free)

/**
 * gb_fairness_intersect:
 * @n_attributes: number of attributes (>= 2)
 * @codes: (array length=n_attributes): per attribute, (n) level codes, −1 missing
 * @levels: (array length=n_attributes): per attribute, its level labels
 * @n_levels: (array length=n_attributes): per attribute, its number of levels
 * @n: rows
 * @out_codes: (out caller-allocates) (n): the intersection's code per row,
 *   −1 when any attribute is missing
 * @out_n_levels: (out): number of intersection levels that occur
 *
 * Intersectional groups: one level per combination that occurs in the data,
 * labelled "White*Male", in lexicographic order of the attributes' level
 * indices.
 *
 * Returns: (transfer full): the labels, NULL-terminated; g_strfreev().
 */
char **gb_fairness_intersect (guint n_attributes, const gint32 *const *codes,
                              const char *const *const *levels, const guint *n_levels,
                              gsize n, gint32 *out_codes, guint *out_n_levels);

/**
 * gb_fairness_proxy_auc:
 * @numeric: (nullable) (n): a numeric feature (NAN = missing), or NULL
 * @feature_codes: (nullable) (n): a categorical feature's codes (−1 =
 *   missing) when @numeric is NULL
 * @n_feature_levels: levels of the categorical feature
 * @group_codes: (n): the protected attribute's codes (−1 = missing)
 * @n_levels: its levels
 * @row_mask: (nullable) (n): rows to use
 * @n: rows
 * @out_group: (out) (optional): the group the feature separates best
 *
 * How well the feature alone predicts membership of a protected group: the
 * largest one-vs-rest ROC-AUC over groups, folded so that 0.5 is no
 * information and 1 a perfect proxy (max(AUC, 1 − AUC)).  A numeric feature
 * is its own score; a categorical one is scored by the group's share in
 * each level (the best single-feature classifier, in sample).
 *
 * Returns: the AUC in [0.5, 1], NAN when no group has members and non-members.
 */
double gb_fairness_proxy_auc (const double *numeric, const gint32 *feature_codes,
                              guint n_feature_levels, const gint32 *group_codes,
                              guint n_levels, const guint8 *row_mask, gsize n,
                              guint *out_group);

G_END_DECLS

#include "gb-fairness-stats.h"
#include "gb-fairness-mitigation.h"
#include "gb-fairness-decompose.h"
