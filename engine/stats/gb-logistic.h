/* gb-logistic.h — logistic regression by IRLS (Newton–Raphson) with LAPACKE. */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

/**
 * GbLogisticFit:
 * @p: number of coefficients (columns of the design matrix)
 * @coef: (p) coefficients, in design-matrix column order
 * @std_error: (p) model-based standard errors, sqrt(diag((X'WX)^-1)),
 *   as statsmodels' Logit.fit().bse (NaN when l2 > 0)
 * @cov: (p, p) row-major inverse Fisher information (X'WX + l2·I)^-1
 * @log_likelihood: log-likelihood at @coef (weighted when weights given;
 *   without the ridge penalty term)
 * @iterations: Newton iterations used
 * @converged: %TRUE when the max |step| fell below 1e-10
 */
typedef struct {
  gsize p;
  double *coef;
  double *std_error;
  double *cov;
  double log_likelihood;
  guint iterations;
  gboolean converged;
} GbLogisticFit;

/**
 * gb_logistic_fit:
 * @X: (n, p) row-major design matrix; include a column of ones yourself for
 *   an intercept (see gb_design_matrix_build())
 * @y: (n) outcomes in {0, 1}
 * @weights: (nullable) (n) non-negative frequency weights
 * @n: rows
 * @p: columns
 * @l2: ridge penalty λ on all coefficients except column 0 when it is the
 *   intercept (column 0 is taken as the intercept when it is all ones); the
 *   fit maximises ℓ(β) − (λ/2)·Σⱼ βⱼ², the objective of scikit-learn's
 *   LogisticRegression(C = 1/λ) (pass 0 for the maximum-likelihood fit)
 * @error: GB_STATS_ERROR / GB_ERROR_NUMERIC when X'WX is singular
 *   (perfect separation, collinear columns) — the message says so.
 *
 * Iteratively reweighted least squares (McCullagh & Nelder 1989, §4.4),
 * each step solved by Cholesky (LAPACKE_dposv), at most 100 iterations,
 * with step halving if the objective would decrease.  Rows, labels or
 * weights that are not finite / not in {0, 1} / negative are a
 * GB_ERROR_INVALID_ARGUMENT error.  A fit that has not converged after 100
 * iterations is returned with @converged %FALSE.  Checked against
 * statsmodels' Logit (unweighted), GLM(Binomial, freq_weights) (weighted)
 * and scikit-learn's LogisticRegression (ridge).
 *
 * Returns: (transfer full) (nullable): the fit; free with gb_logistic_fit_free().
 */
GbLogisticFit *gb_logistic_fit (const double *X, const double *y, const double *weights,
                                gsize n, gsize p, double l2, GError **error);

/**
 * gb_logistic_predict:
 * @fit: a fit
 * @X: (n, p) row-major design matrix with the fit's columns
 * @n: rows
 * @out_prob: (out caller-allocates) (n): P(y = 1 | x)
 */
void gb_logistic_predict (const GbLogisticFit *fit, const double *X, gsize n, double *out_prob);

void gb_logistic_fit_free (GbLogisticFit *fit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbLogisticFit, gb_logistic_fit_free)

G_END_DECLS
