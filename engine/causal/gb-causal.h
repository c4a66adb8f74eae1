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
 * @ci_low: @ci_high: 95 % interval, estimate ± q·SE with the quantile q of
 *   the same reference distribution as @p_value: Student t for the naive
 *   estimates (q = t₀.₉₇₅ with n − 2 df for "pooled", Welch–Satterthwaite df
 *   for "welch"), the normal q = 1.959964 for all others
 * @p_value: two-sided p for H0: effect = 0: Student t with n − 2 df for the
 *   naive pooled estimate, Student t with Welch–Satterthwaite df for the
 *   naive Welch estimate (GSL gsl_cdf_tdist_Q), normal otherwise
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
 * ȳ₁ − ȳ₀.  Pooled: SE = s_p·√(1/n₁ + 1/n₀), t with n₁ + n₀ − 2 df (Student's
 * two-sample t test).  Welch: SE = √(s₁²/n₁ + s₀²/n₀), t with the
 * Welch–Satterthwaite df (scipy.stats.ttest_ind(equal_var=False)).
 * On Lalonde nsw_dw: 1794.34, SE 632.9 (pooled) / 671.0 (Welch).
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
 * (Lunceford & Davidian 2004, Stat Med 23:2937): V = A⁻¹ B A⁻ᵀ / n with A the
 * mean Jacobian and B the mean outer product of the stacked estimating
 * functions (θ = (β, τ) for Horvitz–Thompson, θ = (β, μ₁, μ₀) for Hájek,
 * τ = μ₁ − μ₀).  Estimates and estimating functions:
 *   HT:     τ = (1/n) Σ [tᵢyᵢ/eᵢ − (1 − tᵢ)yᵢ/(1 − eᵢ)]
 *   Hájek:  μ₁ = Σ tᵢyᵢ/eᵢ / Σ tᵢ/eᵢ,  μ₀ = Σ (1−tᵢ)yᵢ/(1−eᵢ) / Σ (1−tᵢ)/(1−eᵢ)
 * The interval and p-value use the normal distribution.  With an
 * intercept-only @X both equal the difference in means exactly.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_ipw (const double *y, const double *t, const double *X, gsize n, gsize p,
                        gboolean hajek, GbEstimate *out, double *out_propensity,
                        GError **error);

/**
 * gb_causal_ipw_ridge:
 * @l2: ridge penalty λ of the propensity model (gb_logistic_fit(); the
 *   intercept in column 0 is not penalised); 0 gives gb_causal_ipw()
 *
 * As gb_causal_ipw(), with a ridge-penalised propensity score, for data
 * where the maximum-likelihood fit does not exist (quasi-complete
 * separation, e.g. a rare category whose rows are all treated).  The
 * sandwich standard error uses the penalised score equations
 * xᵢ(tᵢ − eᵢ) − (λ/n)β̃ and their Jacobian −(X'WX + λI)/n.  se_method says
 * "ridge".
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_ipw_ridge (const double *y, const double *t, const double *X, gsize n,
                              gsize p, double l2, gboolean hajek, GbEstimate *out,
                              double *out_propensity, GError **error);

G_END_DECLS
