/* gb-causal.h — average treatment effects from observational data. */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

/**
 * GbEstimate:
 * @method: (transfer full): "naive", "ipw", "ipw_hajek", ...
 * @estimand: (transfer full): "ATE" or "ATT"
 * @estimate: the point estimate, in outcome units
 * @std_error: its standard error
 * @se_method: (transfer full): how @std_error was obtained, e.g. "welch",
 *   "pooled", "sandwich (M-estimation, propensity estimated)"
 * @ci_low: @ci_high: 95 % interval (estimate ± 1.959964·SE)
 * @p_value: two-sided p for H0: effect = 0 (normal reference distribution,
 *   Student t with Welch–Satterthwaite df for the naive Welch estimate)
 * @n_used: rows used (complete cases, after trimming)
 */
typedef struct {
  char *method;
  char *estimand;
  double estimate;
  double std_error;
  char *se_method;
  double ci_low;
  double ci_high;
  double p_value;
  gsize n_used;
} GbEstimate;

void gb_estimate_clear (GbEstimate *estimate);

/**
 * gb_causal_difference_in_means:
 * @y: (n) outcomes (NaN rows skipped)
 * @t: (n) treatment in {0, 1} (NaN rows skipped)
 * @n: rows
 * @welch: %TRUE for Welch's unequal-variance SE, %FALSE for the pooled-variance SE
 * @out: (out caller-allocates): method "naive", estimand "ATE"
 * @error: GB_CAUSAL_ERROR / GB_ERROR_INVALID_ARGUMENT when a group has < 2 rows
 *
 * ȳ₁ − ȳ₀.  On Lalonde nsw_dw: 1794.34, SE 632.9 (pooled) / 671.0 (Welch).
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_difference_in_means (const double *y, const double *t, gsize n,
                                        gboolean welch, GbEstimate *out, GError **error);

/**
 * gb_causal_ipw:
 * @y: (n) outcomes
 * @t: (n) treatment in {0, 1}
 * @X: (n, p) row-major propensity design matrix with an intercept column
 *   (from gb_design_matrix_build(), rows aligned with @y and @t)
 * @n: rows (all complete)
 * @p: columns of @X
 * @hajek: %FALSE for Horvitz–Thompson (method "ipw"), %TRUE for the
 *   normalised Hájek estimator (method "ipw_hajek")
 * @out: (out caller-allocates): the ATE estimate
 * @out_propensity: (nullable) (out caller-allocates) (n): fitted propensity scores
 * @error: GB_CAUSAL_ERROR / GB_ERROR_NUMERIC when the propensity fit fails
 *   or a score is 0 or 1 (no overlap)
 *
 * Propensity e(x) by logistic regression (gb_logistic_fit()); ATE by
 * inverse-propensity weighting.  The standard error is the empirical
 * sandwich of the stacked estimating equations (propensity score equations
 * + the IPW equation), which accounts for the estimated propensity
 * (Lunceford & Davidian 2004, Stat Med 23:2937).
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_ipw (const double *y, const double *t, const double *X, gsize n, gsize p,
                        gboolean hajek, GbEstimate *out, double *out_propensity,
                        GError **error);

G_END_DECLS
