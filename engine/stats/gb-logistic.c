/* gb-logistic.c — logistic regression by IRLS (Newton–Raphson) with LAPACKE.
 *
 * Maximises the (frequency-weighted) log-likelihood
 *
 *   ℓ(β) = Σᵢ wᵢ [ yᵢ log μᵢ + (1 − yᵢ) log(1 − μᵢ) ],   μᵢ = 1 / (1 + exp(−xᵢ'β))
 *
 * minus the ridge penalty (λ/2) Σⱼ βⱼ² (j ≥ 1 when column 0 is an intercept).
 * Each Newton step solves (X'WX + λP) δ = X'w(y − μ) − λPβ with W = diag(wᵢ μᵢ(1 − μᵢ))
 * by Cholesky (LAPACKE_dposv); the step is halved while the penalised
 * log-likelihood decreases (a safeguard that plain IRLS never needs on
 * well-posed data).  Source: McCullagh & Nelder (1989), Generalized Linear
 * Models, 2nd ed., §4.4; the reference is statsmodels' Logit / GLM(Binomial).
 */
#include "gb-config.h"
#include "gb-logistic.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#define GB_LOGISTIC_MAX_ITER 100
#define GB_LOGISTIC_TOL      1e-10
#define GB_LOGISTIC_RCOND    1e-13

/* Numerically stable log(1 + exp(x)). */
static inline double
log1pexp (double x)
{
  if (x > 0)
    return x + log1p (exp (-x));
  return log1p (exp (x));
}

static inline double
sigmoid (double eta)
{
  if (eta >= 0)
    return 1.0 / (1.0 + exp (-eta));
  double e = exp (eta);
  return e / (1.0 + e);
}

/* η = Xβ. */
static void
linear_predictor (const double *X, /* (n, p) */
                  const double *beta, /* (p) */
                  gsize n, gsize p,
                  double *eta /* (n) out */)
{
  cblas_dgemv (CblasRowMajor, CblasNoTrans, (int) n, (int) p, 1.0, X, (int) p, beta, 1,
               0.0, eta, 1);
}

/* Log-likelihood from the linear predictor, stable for large |η|:
 * y log μ + (1 − y) log(1 − μ) = y η − log(1 + e^η). */
static double
log_likelihood (const double *eta, const double *y, const double *weights, gsize n)
{
  double ll = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      double w = weights ? weights[i] : 1.0;
      if (w == 0.0)
        continue;
      ll += w * (y[i] * eta[i] - log1pexp (eta[i]));
    }
  return ll;
}

static double
penalty (const double *beta, gsize p, double l2, gsize first_penalised)
{
  double s = 0.0;
  if (l2 <= 0.0)
    return 0.0;
  for (gsize j = first_penalised; j < p; j++)
    s += beta[j] * beta[j];
  return 0.5 * l2 * s;
}

/* Fills H (p, p) row-major, upper triangle and mirrored, with X'WX + λP and
 * g (p) with X'w(y − μ) − λPβ.  scratch is (n, p). */
static void
hessian_and_gradient (const double *X, const double *y, const double *weights,
                      const double *beta, const double *eta, gsize n, gsize p, double l2,
                      gsize first_penalised, double *scratch, double *resid,
                      double *H, double *g)
{
  for (gsize i = 0; i < n; i++)
    {
      double w = weights ? weights[i] : 1.0;
      double mu = sigmoid (eta[i]);
      double s = sqrt (w * mu * (1.0 - mu));
      const double *xi = X + i * p;
      double *si = scratch + i * p;
      for (gsize j = 0; j < p; j++)
        si[j] = s * xi[j];
      resid[i] = w * (y[i] - mu);
    }
  /* H = S'S with S = W^½ X. */
  cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, (int) p, (int) n, 1.0, scratch, (int) p,
               0.0, H, (int) p);
  for (gsize j = 0; j < p; j++)
    for (gsize k = 0; k < j; k++)
      H[j * p + k] = H[k * p + j];
  /* g = X'r. */
  cblas_dgemv (CblasRowMajor, CblasTrans, (int) n, (int) p, 1.0, X, (int) p, resid, 1, 0.0, g, 1);
  if (l2 > 0.0)
    for (gsize j = first_penalised; j < p; j++)
      {
        H[j * p + j] += l2;
        g[j] -= l2 * beta[j];
      }
}

static double
one_norm_sym (const double *H, gsize p)
{
  double best = 0.0;
  for (gsize j = 0; j < p; j++)
    {
      double s = 0.0;
      for (gsize k = 0; k < p; k++)
        s += fabs (H[k * p + j]);
      best = MAX (best, s);
    }
  return best;
}

static gboolean
column_is_ones (const double *X, gsize n, gsize p, gsize col)
{
  for (gsize i = 0; i < n; i++)
    if (X[i * p + col] != 1.0)
      return FALSE;
  return n > 0;
}

void
gb_logistic_fit_free (GbLogisticFit *fit)
{
  if (fit == NULL)
    return;
  g_free (fit->coef);
  g_free (fit->std_error);
  g_free (fit->cov);
  g_free (fit);
}

GbLogisticFit *
gb_logistic_fit (const double *X, const double *y, const double *weights,
                 gsize n, gsize p, double l2, GError **error)
{
  g_autoptr(GbLogisticFit) fit = NULL;
  g_autofree double *eta = NULL, *eta_new = NULL, *scratch = NULL, *resid = NULL;
  g_autofree double *H = NULL, *g = NULL, *beta_new = NULL;
  double total_weight = 0.0;
  gsize first_penalised;
  double obj;

  if (n == 0 || p == 0 || X == NULL || y == NULL)
    {
      g_set_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Logistic regression needs at least one row and one column");
      return NULL;
    }
  if (!(l2 >= 0.0) || !isfinite (l2))
    {
      g_set_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Ridge penalty must be a finite number ≥ 0 (got %g)", l2);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (y[i] != 0.0 && y[i] != 1.0)
        {
          g_set_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Logistic regression outcome must be 0 or 1; row %" G_GSIZE_FORMAT
                       " has %g", i, y[i]);
          return NULL;
        }
      if (weights && (!(weights[i] >= 0.0) || !isfinite (weights[i])))
        {
          g_set_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Weights must be finite and ≥ 0; row %" G_GSIZE_FORMAT " has %g",
                       i, weights[i]);
          return NULL;
        }
      for (gsize j = 0; j < p; j++)
        if (!isfinite (X[i * p + j]))
          {
            g_set_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                         "Design matrix has a missing or infinite value at row %"
                         G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT, i, j);
            return NULL;
          }
      total_weight += weights ? weights[i] : 1.0;
    }
  if (total_weight <= 0.0)
    {
      g_set_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Logistic regression weights sum to zero");
      return NULL;
    }

  first_penalised = column_is_ones (X, n, p, 0) ? 1 : 0;

  fit = g_new0 (GbLogisticFit, 1);
  fit->p = p;
  fit->coef = g_new0 (double, p);
  fit->std_error = g_new0 (double, p);
  fit->cov = g_new0 (double, p * p);

  eta = g_new0 (double, n);
  eta_new = g_new0 (double, n);
  scratch = g_new (double, n * p);
  resid = g_new (double, n);
  H = g_new (double, p * p);
  g = g_new (double, p);
  beta_new = g_new (double, p);

  obj = log_likelihood (eta, y, weights, n); /* β = 0, penalty 0 */

  for (guint it = 0; it < GB_LOGISTIC_MAX_ITER; it++)
    {
      double max_step = 0.0, step = 1.0, obj_new = -INFINITY;
      lapack_int info;

      hessian_and_gradient (X, y, weights, fit->coef, eta, n, p, l2, first_penalised,
                            scratch, resid, H, g);
      /* g ← H⁻¹g (the Newton step), H ← its Cholesky factor. */
      info = LAPACKE_dposv (LAPACK_ROW_MAJOR, 'U', (lapack_int) p, 1, H, (lapack_int) p, g, 1);
      if (info != 0)
        {
          g_set_error (error, GB_STATS_ERROR, GB_ERROR_NUMERIC,
                       "Logistic regression failed: X'WX is singular at iteration %u "
                       "(collinear columns, a constant column besides the intercept, or "
                       "perfect separation of the outcome)", it + 1);
          return NULL;
        }
      for (gsize j = 0; j < p; j++)
        max_step = MAX (max_step, fabs (g[j]));

      /* Step halving on the penalised log-likelihood. */
      for (int half = 0; half < 30; half++)
        {
          for (gsize j = 0; j < p; j++)
            beta_new[j] = fit->coef[j] + step * g[j];
          linear_predictor (X, beta_new, n, p, eta_new);
          obj_new = log_likelihood (eta_new, y, weights, n)
                    - penalty (beta_new, p, l2, first_penalised);
          if (obj_new >= obj - 1e-12 * fabs (obj) || !isfinite (obj))
            break;
          step *= 0.5;
        }
      memcpy (fit->coef, beta_new, p * sizeof (double));
      memcpy (eta, eta_new, n * sizeof (double));
      obj = obj_new;
      fit->iterations = it + 1;

      if (max_step * step < GB_LOGISTIC_TOL)
        {
          fit->converged = TRUE;
          break;
        }

      /* Perfect separation: every (weighted) row is fitted exactly. */
      if (l2 == 0.0)
        {
          gboolean perfect = TRUE;
          for (gsize i = 0; i < n && perfect; i++)
            if ((weights == NULL || weights[i] > 0.0) && fabs (y[i] - sigmoid (eta[i])) > 1e-8)
              perfect = FALSE;
          if (perfect)
            {
              g_set_error (error, GB_STATS_ERROR, GB_ERROR_NUMERIC,
                           "Logistic regression failed: perfect separation — the columns "
                           "predict the outcome exactly, so the maximum-likelihood "
                           "coefficients are infinite (drop the separating column or use "
                           "a ridge penalty)");
              return NULL;
            }
        }
    }

  /* Covariance (X'WX + λP)⁻¹ at the final coefficients. */
  {
    lapack_int info;
    double anorm, rcond = 0.0;

    hessian_and_gradient (X, y, weights, fit->coef, eta, n, p, l2, first_penalised,
                          scratch, resid, H, g);
    anorm = one_norm_sym (H, p);
    info = LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'U', (lapack_int) p, H, (lapack_int) p);
    if (info == 0)
      info = LAPACKE_dpocon (LAPACK_ROW_MAJOR, 'U', (lapack_int) p, H, (lapack_int) p, anorm,
                             &rcond);
    if (info != 0 || !(rcond > GB_LOGISTIC_RCOND))
      {
        g_set_error (error, GB_STATS_ERROR, GB_ERROR_NUMERIC,
                     "Logistic regression failed: X'WX is singular (reciprocal condition "
                     "number %.3g) — collinear columns, a constant column besides the "
                     "intercept, or perfect separation of the outcome", rcond);
        return NULL;
      }
    info = LAPACKE_dpotri (LAPACK_ROW_MAJOR, 'U', (lapack_int) p, H, (lapack_int) p);
    if (info != 0)
      {
        g_set_error (error, GB_STATS_ERROR, GB_ERROR_NUMERIC,
                     "Logistic regression failed: cannot invert X'WX");
        return NULL;
      }
    for (gsize j = 0; j < p; j++)
      for (gsize k = 0; k < p; k++)
        fit->cov[j * p + k] = j <= k ? H[j * p + k] : H[k * p + j];
    for (gsize j = 0; j < p; j++)
      fit->std_error[j] = l2 > 0.0 ? NAN : sqrt (fit->cov[j * p + j]);
  }

  fit->log_likelihood = log_likelihood (eta, y, weights, n);
  return g_steal_pointer (&fit);
}

void
gb_logistic_predict (const GbLogisticFit *fit, const double *X, gsize n, double *out_prob)
{
  g_return_if_fail (fit != NULL);
  g_return_if_fail (X != NULL || n == 0);
  g_return_if_fail (out_prob != NULL || n == 0);

  if (n == 0)
    return;
  linear_predictor (X, fit->coef, n, fit->p, out_prob);
  for (gsize i = 0; i < n; i++)
    out_prob[i] = sigmoid (out_prob[i]);
}
