/* gb-causal.h — average treatment effects from observational data. */
#pragma once

#include "gb-common.h"
#include "gb-logistic.h"

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

/* ------------------------------------------------------------------------ */
/* Estimands, propensity, estimators                                        */

/**
 * GbEstimand:
 * @GB_ESTIMAND_ATE: average treatment effect E[Y(1) − Y(0)]
 * @GB_ESTIMAND_ATT: average treatment effect on the treated E[Y(1) − Y(0) | T = 1]
 */
typedef enum {
  GB_ESTIMAND_ATE,
  GB_ESTIMAND_ATT,
} GbEstimand;

/* Returns: (transfer none): "ATE" or "ATT". */
const char *gb_estimand_to_string (GbEstimand estimand);

/**
 * gb_estimand_from_string:
 * @text: "ATE" or "ATT" (case-insensitive)
 * @out: (out): the estimand
 * @error: GB_CAUSAL_ERROR / GB_ERROR_INVALID_ARGUMENT naming the text
 * Returns: %TRUE on success.
 */
gboolean gb_estimand_from_string (const char *text, GbEstimand *out, GError **error);

/**
 * GbCausalMethod:
 * The estimators, in the order of the command line's --estimators list.
 * Their names (gb_causal_method_to_string()) are "naive", "stratification",
 * "regression_adjustment", "ipw", "ipw_hajek", "psm",
 * "mahalanobis_matching", "aipw".
 */
typedef enum {
  GB_CAUSAL_NAIVE,
  GB_CAUSAL_STRATIFICATION,
  GB_CAUSAL_REGRESSION_ADJUSTMENT,
  GB_CAUSAL_IPW,
  GB_CAUSAL_IPW_HAJEK,
  GB_CAUSAL_PSM,
  GB_CAUSAL_MAHALANOBIS_MATCHING,
  GB_CAUSAL_AIPW,
  GB_CAUSAL_N_METHODS,
} GbCausalMethod;

#define GB_CAUSAL_ALL_METHODS ((1u << GB_CAUSAL_N_METHODS) - 1u)

/* Returns: (transfer none): the method's name, e.g. "ipw_hajek". */
const char *gb_causal_method_to_string (GbCausalMethod method);

/**
 * gb_causal_methods_parse:
 * @text: comma-separated method names ("naive,ipw,aipw") or "all"
 * @out_mask: (out): bit (1 << #GbCausalMethod) set per method named
 * @error: GB_CAUSAL_ERROR / GB_ERROR_INVALID_ARGUMENT naming an unknown
 *   method and listing the valid ones
 * Returns: %TRUE on success.
 */
gboolean gb_causal_methods_parse (const char *text, guint *out_mask, GError **error);

/**
 * gb_causal_methods_to_string:
 * @mask: bits (1 << #GbCausalMethod)
 * Returns: (transfer full): the comma-separated names, in method order.
 */
char *gb_causal_methods_to_string (guint mask);

/**
 * gb_causal_propensity_fit:
 * @X: (n, p) row-major design with an intercept in column 0
 * @t: (n) treatment in {0, 1}
 * @n: rows
 * @p: columns
 * @l2: ridge penalty of the logistic model (0 = maximum likelihood)
 * @out_e: (out caller-allocates) (n): fitted propensity scores e(xᵢ)
 * @error: GB_CAUSAL_ERROR / GB_ERROR_NUMERIC when the fit fails, does not
 *   converge, or a score is exactly 0 or 1 (no overlap)
 *
 * Logistic regression by IRLS (gb_logistic_fit()).
 *
 * Returns: (transfer full) (nullable): the logistic fit.
 */
GbLogisticFit *gb_causal_propensity_fit (const double *X, const double *t, gsize n, gsize p,
                                         double l2, double *out_e, GError **error);

/**
 * gb_causal_ipw_estimand:
 * @y: (n) outcomes; @t: (n) treatment in {0, 1}
 * @X: (n, p) propensity design with an intercept in column 0
 * @n: rows; @p: columns
 * @l2: ridge penalty of the propensity model (0 = maximum likelihood)
 * @hajek: %FALSE: Horvitz–Thompson ("ipw"); %TRUE: normalised Hájek ("ipw_hajek")
 * @estimand: ATE weights tᵢ/eᵢ and (1 − tᵢ)/(1 − eᵢ); ATT weights tᵢ and
 *   (1 − tᵢ)eᵢ/(1 − eᵢ) (Hirano, Imbens & Ridder 2003)
 * @out: (out caller-allocates): the estimate
 * @out_propensity: (nullable) (out caller-allocates) (n): the fitted scores
 * @error: as gb_causal_ipw()
 *
 * Each arm mean is μₐ = Σ 1[tᵢ = a] wᵢyᵢ / Dₐ with Dₐ = Σ 1[tᵢ = a] wᵢ
 * (Hájek), n (Horvitz–Thompson ATE) or n₁ (Horvitz–Thompson ATT, the
 * treated count); τ = μ₁ − μ₀.  The standard error is the sandwich of the
 * stacked estimating equations (logistic score, then the arm means), which
 * accounts for the estimated propensity (Lunceford & Davidian 2004;
 * Stefanski & Boos 2002), evaluated through the influence function
 * IFᵢ = (ψₐ,ᵢ − A_aβ A_ββ⁻¹ ψ_β,ᵢ) / mean(D) per arm.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_ipw_estimand (const double *y, const double *t, const double *X, gsize n,
                                 gsize p, double l2, gboolean hajek, GbEstimand estimand,
                                 GbEstimate *out, double *out_propensity, GError **error);

/**
 * gb_causal_stratification:
 * @y: (n) outcomes; @t: (n) treatment; @e: (n) propensity scores
 * @n: rows
 * @n_strata: number of strata S (≥ 1; default 5, Rosenbaum & Rubin 1984)
 * @estimand: ATE weights strata by their size n_s / n, ATT by their treated
 *   count n₁ₛ / n₁
 * @out: (out caller-allocates): method "stratification"
 * @error: GB_CAUSAL_ERROR / GB_ERROR_NUMERIC when no stratum has two
 *   treated and two control rows
 *
 * Rows are sorted by e and cut into S strata of equal size (rank-based
 * quantiles of the propensity score over all rows); within a stratum the
 * effect is the difference in means; a stratum with fewer than two treated
 * or two control rows is left out (n_used counts the rows kept).  SE²
 * = Σ wₛ² (s²₁ₛ/n₁ₛ + s²₀ₛ/n₀ₛ) (Neyman within strata, propensity taken as
 * known; se_method says so).  Imbens & Rubin (2015), ch. 17.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_stratification (const double *y, const double *t, const double *e, gsize n,
                                   guint n_strata, GbEstimand estimand, GbEstimate *out,
                                   GError **error);

/**
 * gb_causal_regression_adjustment:
 * @y: (n) outcomes; @t: (n) treatment
 * @X: (n, p) outcome-model design with an intercept in column 0
 * @n: rows; @p: columns
 * @estimand: ATE averages m₁(x) − m₀(x) over all rows; ATT averages
 *   yᵢ − m₀(xᵢ) over the treated rows
 * @out: (out caller-allocates): method "regression_adjustment"
 * @out_m1: (nullable) (out caller-allocates) (n): fitted m₁(xᵢ)
 * @out_m0: (nullable) (out caller-allocates) (n): fitted m₀(xᵢ)
 * @error: GB_CAUSAL_ERROR / GB_ERROR_NUMERIC when an arm's least squares fails
 *
 * G-computation with a linear outcome model fitted separately in each arm
 * (equivalent to one model with every treatment × covariate interaction;
 * Imbens & Wooldridge 2009, §5.3).  Columns constant within an arm are
 * left out of that arm's model.  The SE is the sandwich of the stacked
 * equations (both arms' OLS normal equations and the mean), through the
 * influence function IFᵢ = m₁ᵢ − m₀ᵢ − τ + x̄'(X₁'X₁)⁻¹ n tᵢxᵢr₁ᵢ −
 * x̄'(X₀'X₀)⁻¹ n (1 − tᵢ)xᵢr₀ᵢ (HC0-type, robust to heteroskedasticity).
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_regression_adjustment (const double *y, const double *t, const double *X,
                                          gsize n, gsize p, GbEstimand estimand,
                                          GbEstimate *out, double *out_m1, double *out_m0,
                                          GError **error);

/**
 * gb_causal_aipw:
 * @y: (n) outcomes; @t: (n) treatment
 * @X: (n, p) design (propensity and outcome models) with an intercept in column 0
 * @e: (n) propensity scores in (0, 1)
 * @n: rows; @p: columns
 * @estimand: ATE or ATT
 * @out: (out caller-allocates): method "aipw"
 * @error: GB_CAUSAL_ERROR / GB_ERROR_NUMERIC
 *
 * Augmented IPW (doubly robust; Robins, Rotnitzky & Zhao 1994; Glynn &
 * Quinn 2010) with the linear outcome models of
 * gb_causal_regression_adjustment().  ATE: φᵢ = m₁ᵢ − m₀ᵢ + tᵢ(yᵢ − m₁ᵢ)/eᵢ −
 * (1 − tᵢ)(yᵢ − m₀ᵢ)/(1 − eᵢ), τ = mean φ, SE² = Σ(φᵢ − τ)²/n² (the
 * efficient influence function; nuisance estimation is first-order
 * negligible when both models are consistent).  ATT (Moodie et al. 2018):
 * τ = Σ[tᵢ(yᵢ − m₀ᵢ) − (1 − tᵢ)eᵢ/(1 − eᵢ)(yᵢ − m₀ᵢ)]/n₁ with IFᵢ = [tᵢ(yᵢ
 * − m₀ᵢ − τ) − (1 − tᵢ)eᵢ/(1 − eᵢ)(yᵢ − m₀ᵢ)] / (n₁/n).
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_aipw (const double *y, const double *t, const double *X, const double *e,
                         gsize n, gsize p, GbEstimand estimand, GbEstimate *out,
                         GError **error);

/* ------------------------------------------------------------------------ */
/* Matching                                                                 */

/**
 * GbMatchOptions:
 * @k: neighbours per unit (1:k matching, k ≥ 1)
 * @replace: %TRUE to match with replacement (a control can serve many
 *   treated rows); %FALSE: greedy matching without replacement
 * @caliper: maximum distance of a match in the matching metric (≤ 0 = none);
 *   for propensity matching gb_causal_match_propensity() takes it in
 *   standard deviations of the logit propensity (Austin 2011: 0.2)
 */
typedef struct {
  guint k;
  gboolean replace;
  double caliper;
} GbMatchOptions;

/**
 * gb_causal_match:
 * @y: (n) outcomes; @t: (n) treatment
 * @Z: (n, q) row-major matching coordinates; the distance is Euclidean in
 *   @Z (pass the logit propensity for q = 1, or whitened covariates)
 * @n: rows; @q: coordinates
 * @estimand: ATT matches every treated row to its k nearest controls; ATE
 *   also matches every control row to its k nearest treated rows
 * @opts: k, replacement and caliper (in the units of @Z)
 * @method: the method name to record ("psm", "mahalanobis_matching")
 * @out: (out caller-allocates): the estimate
 * @out_weights: (nullable) (out caller-allocates) (n): matching weights
 *   for balance checks: ATT: 1 for matched treated rows, Σ 1/Mᵢ over the
 *   treated rows i that used the control; ATE: 1 + (the same sum over the
 *   other arm); 0 for rows left out
 * @error: GB_CAUSAL_ERROR / GB_ERROR_NUMERIC when no unit has a match
 *
 * Nearest-neighbour matching (Abadie & Imbens 2006, Econometrica 74:235),
 * ties broken by the lower row index.  Without replacement, treated rows
 * (for ATE then control rows) are matched greedily in the order of
 * decreasing first coordinate of @Z (for the logit propensity: MatchIt's
 * m.order = "largest"), each taking the nearest still-unused units.  Units
 * with no match within the caliper are dropped (n_used counts the units
 * that contribute).  The SE is Abadie & Imbens's (2006, Theorem 7)
 * estimator of the population-effect variance, generalised to Mᵢ matches
 * per unit: V = (1/N²)[Σ(Ŷᵢ(1) − Ŷᵢ(0) − τ)² + Σⱼ (2K̃ⱼ + K̃ⱼ² − Lⱼ)σ̂²ⱼ] for the
 * ATE, V = (1/N₁²)[Σ_treated(yᵢ − Ŷᵢ(0) − τ)² + Σ_controls (K̃ⱼ² − Lⱼ)σ̂²ⱼ]
 * for the ATT, with K̃ⱼ = Σᵢ 1/Mᵢ and Lⱼ = Σᵢ 1/Mᵢ² over the units i that
 * used j (with Mᵢ = M these are their (K/M)² + (2M − 1)K/M² and
 * K(K − 1)/M²), and σ̂²ⱼ = J/(J + 1)(yⱼ − mean of its J = 2 nearest
 * same-arm neighbours)².  The propensity is treated as known (no Abadie &
 * Imbens 2016 correction; for the ATE this is conservative) and there is
 * no bias correction.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_match (const double *y, const double *t, const double *Z, gsize n, gsize q,
                          GbEstimand estimand, const GbMatchOptions *opts, const char *method,
                          GbEstimate *out, double *out_weights, GError **error);

/**
 * gb_causal_match_propensity:
 * @e: (n) propensity scores in (0, 1)
 * @opts: @opts->caliper in standard deviations of logit(e) over the rows
 *   (Austin 2011, Pharm Stat 10:150: 0.2)
 *
 * Propensity-score matching on logit(e) (method "psm"); see gb_causal_match().
 * The SE is Abadie & Imbens's (2006) with the propensity taken as known;
 * gb_causal_match_propensity_estimated() adds their 2016 adjustment.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_match_propensity (const double *y, const double *t, const double *e,
                                     gsize n, GbEstimand estimand, const GbMatchOptions *opts,
                                     GbEstimate *out, double *out_weights, GError **error);

/**
 * gb_causal_match_propensity_estimated:
 * @y: (n) outcomes; @t: (n) treatment
 * @X: (n, p) row-major design of the logistic propensity model (intercept
 *   in column 0)
 * @e: (n) fitted propensity scores expit(Xθ̂) in (0, 1)
 * @cov: (p, p) row-major inverse Fisher information of θ̂,
 *   (X'diag(e(1 − e))X + λI)⁻¹ (#GbLogisticFit.cov)
 * @n: rows; @p: columns
 * @estimand: ATE or ATT
 * @opts: as for gb_causal_match_propensity()
 * @out: (out caller-allocates): method "psm"
 * @out_weights: (nullable) (out caller-allocates) (n): as gb_causal_match()
 * @error: as gb_causal_match_propensity(); GB_ERROR_INVALID_ARGUMENT for a
 *   non-finite covariate
 *
 * Propensity-score matching with the standard error of Abadie & Imbens
 * (2016), "Matching on the estimated propensity score", Econometrica
 * 84:781, Theorems 1–2 and §4, which accounts for θ̂ having been estimated
 * by maximum likelihood.  With V₀ the 2006 variance of gb_causal_match()
 * and N·@cov = I⁻¹ (I = E[f XX'], f = e(1 − e) for the logit):
 * ATE: V = V₀ − c'·@cov·c, c = (1/N)Σᵢ [(1 − eᵢ)cov̂₁(i) + eᵢ cov̂₀(i)]
 * (the sample version of E[(cov(X, μ(1,X)|p)/p + cov(X, μ(0,X)|p)/(1 − p)) f]);
 * the adjustment is never positive.  ATT: V = V₀ − c_t'·@cov·c_t +
 * ∂'·@cov·∂ with, over all N rows and N₁ treated ones,
 * c_t = (1/N₁)Σᵢ [Xᵢfᵢ(μ̄̂₁(i) − μ̄̂₀(i) − τ̂) + fᵢcov̂₁(i) + eᵢ²cov̂₀(i)] and
 * ∂ = (1/N₁)Σᵢ [Xᵢfᵢ(μ̄̂₁(i) − μ̄̂₀(i) − τ̂) + fᵢ(cov̂₁(i) − cov̂₀(i))]
 * (the latter is ∂τ_t/∂θ = E[X f (μ(1,X) − μ(0,X) − τ_t)]/E[p], written
 * with the conditional-on-p means), so its sign depends on the data.
 * cov̂_w(i) is the covariance of (X, y) over unit i and its J = 2 nearest
 * units of arm w in logit(e) (the J + 1 nearest when i is not in arm w);
 * μ̄̂_w(i) the mean y of those neighbours without i.  With a caliper the
 * ATE sums run over the matched units.  When the adjusted variance is not
 * positive (tiny samples) the 2006 one is kept and se_method says so.
 * The estimate is that of gb_causal_match_propensity().
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_match_propensity_estimated (const double *y, const double *t, const double *X,
                                               const double *e, const double *cov, gsize n,
                                               gsize p, GbEstimand estimand,
                                               const GbMatchOptions *opts, GbEstimate *out,
                                               double *out_weights, GError **error);

/**
 * gb_causal_match_mahalanobis:
 * @X: (n, p) design with an intercept in column 0 (skipped)
 * @opts: @opts->caliper in Mahalanobis distance units (≤ 0 = none)
 *
 * Mahalanobis matching (method "mahalanobis_matching"; Rubin 1980): the
 * covariates X[:, 1:] are whitened by the Cholesky factor of their sample
 * covariance over all rows, so Euclidean distance in the whitened
 * coordinates is the Mahalanobis distance; see gb_causal_match().
 * GB_ERROR_NUMERIC when the covariance is singular (collinear covariates).
 *
 * Returns: %TRUE on success.
 */
gboolean gb_causal_match_mahalanobis (const double *y, const double *t, const double *X,
                                      gsize n, gsize p, GbEstimand estimand,
                                      const GbMatchOptions *opts, GbEstimate *out,
                                      double *out_weights, GError **error);

/* ------------------------------------------------------------------------ */
/* Diagnostics                                                              */

/**
 * GbBalanceRow:
 * @covariate: (transfer full): design column name
 * @smd_before: standardized mean difference (x̄₁ − x̄₀)/√((s₁² + s₀²)/2)
 *   (Austin 2009, Stat Med 28:3083)
 * @smd_after: weighted means over the same unweighted denominator
 * @variance_ratio_before: s₁²/s₀²
 * @variance_ratio_after: weighted s₁²/s₀² (NaN when a weighted variance is 0)
 */
typedef struct {
  char *covariate;
  double smd_before;
  double smd_after;
  double variance_ratio_before;
  double variance_ratio_after;
} GbBalanceRow;

void gb_balance_row_clear (GbBalanceRow *row);

/**
 * gb_causal_balance:
 * @X: (n, p) design with an intercept in column 0 (skipped)
 * @names: (array length=p): column names
 * @t: (n) treatment
 * @w: (nullable) (n) weights after adjustment (NULL = before only; the
 *   after columns then equal the before columns)
 * @n: rows; @p: columns
 * Returns: (transfer full) (element-type GbBalanceRow): p − 1 rows.
 *
 * Weighted variances are Σw(x − x̄_w)² / (Σw − Σw²/Σw) (reliability
 * weights, as R's cobalt).
 */
GArray *gb_causal_balance (const double *X, const char *const *names, const double *t,
                           const double *w, gsize n, gsize p);

/**
 * gb_causal_effective_sample_size:
 * @t: (n) treatment; @w: (n) weights; @n: rows
 * @out_treated: (out): Kish's (Σw)²/Σw² over treated rows
 * @out_control: (out): the same over control rows
 */
void gb_causal_effective_sample_size (const double *t, const double *w, gsize n,
                                      double *out_treated, double *out_control);

/**
 * gb_causal_ipw_weights:
 * @t: (n) treatment; @e: (n) propensity; @n: rows; @estimand: ATE or ATT
 * @out_w: (out caller-allocates) (n): ATE 1/e and 1/(1 − e); ATT 1 and e/(1 − e)
 */
void gb_causal_ipw_weights (const double *t, const double *e, gsize n, GbEstimand estimand,
                            double *out_w);

/**
 * GbEValue:
 * @e_value: the E-value of the point estimate (≥ 1)
 * @e_value_ci: the E-value of the interval limit closer to the null (1 when
 *   the interval contains the null)
 * @risk_ratio: the risk ratio the E-value was computed from
 * @method: (transfer full): how the risk ratio was obtained, in words
 *
 * VanderWeele & Ding (2017, Ann Intern Med 167:268).
 */
typedef struct {
  double e_value;
  double e_value_ci;
  double risk_ratio;
  char *method;
} GbEValue;

void gb_e_value_clear (GbEValue *ev);

/**
 * gb_causal_e_value_rr:
 * @rr: a risk ratio (> 0)
 * Returns: RR + √(RR(RR − 1)) for RR ≥ 1, applied to 1/RR below 1.
 */
double gb_causal_e_value_rr (double rr);

/**
 * gb_causal_e_value:
 * @est: an estimate with its interval
 * @binary_outcome: %TRUE when the outcome is 0/1
 * @baseline: binary: the control-arm risk p₀ (RR = (p₀ + τ)/p₀);
 *   continuous: the outcome's standard deviation (d = τ/SD,
 *   RR ≈ exp(0.91·d), VanderWeele & Ding 2017, for a standardized mean
 *   difference; an approximation, and @out->method says so)
 * @out: (out caller-allocates): the E-values
 * @error: GB_CAUSAL_ERROR / GB_ERROR_INVALID_ARGUMENT when the baseline is
 *   not positive or the implied risk is outside (0, 1]
 * Returns: %TRUE on success.
 */
gboolean gb_causal_e_value (const GbEstimate *est, gboolean binary_outcome, double baseline,
                            GbEValue *out, GError **error);

/* ------------------------------------------------------------------------ */
/* The whole analysis                                                        */

/**
 * GbCausalOptions:
 * @methods: bits (1 << #GbCausalMethod); default all
 * @estimand: ATE (default) or ATT
 * @trim_alpha: drop rows with propensity outside [α, 1 − α] before every
 *   estimator, then refit the propensity (Crump et al. 2009, Biometrika
 *   96:187; they suggest 0.1); 0 = keep all rows (default)
 * @n_strata: propensity strata (default 5)
 * @match: matching options (default k 1, with replacement, caliper 0.2 SD
 *   of the logit propensity for "psm"; Mahalanobis matching has no caliper)
 * @bootstrap: B > 0: every estimator's SE, interval (percentile) and
 *   p-value come from B nonparametric bootstrap resamples that refit every
 *   model; 0 (default): the formula SEs
 * @refute_simulations: re-estimates per refutation (default 20)
 * @refute_method: the estimator the refutations and the E-value use
 *   (default AIPW; the first requested adjusted method when AIPW is not)
 * @seed: seeds every random step (GSL mt19937)
 * @l2: ridge penalty of the propensity model (0 = maximum likelihood,
 *   falling back to 1 when the MLE does not exist)
 * @psm_known_propensity: %TRUE: "psm" reports the Abadie & Imbens (2006)
 *   SE that treats the propensity as known; %FALSE (default): the Abadie &
 *   Imbens (2016) SE for the estimated logistic propensity
 */
typedef struct {
  guint methods;
  GbEstimand estimand;
  double trim_alpha;
  guint n_strata;
  GbMatchOptions match;
  guint bootstrap;
  guint refute_simulations;
  int refute_method;
  guint64 seed;
  double l2;
  gboolean psm_known_propensity;
} GbCausalOptions;

void gb_causal_options_init_default (GbCausalOptions *options);

/**
 * GbRefutation:
 * @name: (transfer full): "placebo_treatment", "random_common_cause", "data_subset"
 * @estimate: the mean of the re-estimated effects
 * @std_dev: their standard deviation
 * @p_value: two-sided p of the original estimate in the normal
 *   distribution fitted to the re-estimates (DoWhy's refuter test)
 * @n_simulations: re-estimates that succeeded
 * @passed: %TRUE when the refutation does not call the estimate into
 *   question (placebo: p < 0.05; the others: p ≥ 0.05)
 * @sentence: (transfer full): what the result means for this estimate
 */
typedef struct {
  char *name;
  double estimate;
  double std_dev;
  double p_value;
  guint n_simulations;
  gboolean passed;
  char *sentence;
} GbRefutation;

void gb_refutation_clear (GbRefutation *r);

/**
 * GbCausalAnalysis:
 * @estimand: the estimand
 * @estimates: (element-type GbEstimate): one per requested method, in method order
 * @balance: (element-type GbBalanceRow): before / after IPW weighting
 *   (Hájek weights of the estimand)
 * @balance_matching: (element-type GbBalanceRow): before / after propensity
 *   matching (empty when "psm" did not run)
 * @ess_treated: @ess_control: effective sample sizes under the IPW weights
 * @n_all: rows given
 * @propensity: (n_all) propensity scores fitted on all rows (before trimming)
 * @treatment: (n_all) the treatment
 * @trim_alpha: α used (0 = none)
 * @n_trimmed: rows dropped by trimming
 * @refutations: (element-type GbRefutation)
 * @refute_method: (transfer full): the estimator the refutations used
 * @e_value: of the same estimator's estimate
 * @binary_outcome: the outcome is 0/1
 * @notes: (element-type utf8): fallbacks taken, strata dropped, ...
 */
typedef struct {
  GbEstimand estimand;
  GArray *estimates;
  GArray *balance;
  GArray *balance_matching;
  double ess_treated;
  double ess_control;
  gsize n_all;
  double *propensity;
  double *treatment;
  double trim_alpha;
  gsize n_trimmed;
  GArray *refutations;
  char *refute_method;
  GbEValue e_value;
  gboolean binary_outcome;
  GPtrArray *notes;
} GbCausalAnalysis;

/**
 * gb_causal_analyze:
 * @y: (n) outcomes (finite); @t: (n) treatment in {0, 1}
 * @X: (n, p) design with an intercept in column 0 (gb_design_matrix_build())
 * @names: (array length=p): the design's column names (for balance)
 * @n: rows; @p: columns
 * @options: (nullable): settings (NULL = defaults)
 * @cancellable: (nullable): checked between estimators and resamples
 * @error: the first failing step, with the method named
 *
 * Fits the propensity, trims, runs every requested estimator with its SE
 * (or the bootstrap), the balance and overlap diagnostics, the
 * refutations and the E-value.
 *
 * Returns: (transfer full) (nullable): the analysis; free with gb_causal_analysis_free().
 */
GbCausalAnalysis *gb_causal_analyze (const double *y, const double *t, const double *X,
                                     const char *const *names, gsize n, gsize p,
                                     const GbCausalOptions *options, GCancellable *cancellable,
                                     GError **error);

void gb_causal_analysis_free (GbCausalAnalysis *analysis);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbCausalAnalysis, gb_causal_analysis_free)

/**
 * gb_estimate_copy:
 * @src: an estimate
 * @dest: (out caller-allocates): a deep copy
 */
void gb_estimate_copy (const GbEstimate *src, GbEstimate *dest);

/**
 * GbModelIntervention:
 * @attribute: (transfer full): the intervened column (a categorical model feature)
 * @value: (transfer full): the level every row was set to, do(A = value)
 * @mean_change: mean over the rows of P(positive | do(A = value)) − P(positive | row as is)
 * @ci_low: @ci_high: 95 % percentile bootstrap interval of @mean_change
 *   (rows resampled; the model is fixed)
 * @flip_rate: share of rows whose predicted class (threshold 0.5) changes
 * @mean_probability: mean P(positive | do(A = value))
 * @n_rows: rows intervened on
 * @n_already: rows that already had @value (their change is 0 by construction)
 */
typedef struct {
  char *attribute;
  char *value;
  double mean_change;
  double ci_low;
  double ci_high;
  double flip_rate;
  double mean_probability;
  gsize n_rows;
  gsize n_already;
} GbModelIntervention;

void gb_model_intervention_clear (GbModelIntervention *mi);

G_END_DECLS
