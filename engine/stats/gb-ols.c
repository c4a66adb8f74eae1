/* gb-ols.c — ordinary and weighted least squares by Householder QR.
 *
 * √W X = QR (LAPACKE_dgeqrf, column-major), Q'√W y by LAPACKE_dormqr, then
 * β̂ = R⁻¹ (Q'√W y)[0:p] by back substitution.  (X'WX)⁻¹ = R⁻¹R⁻ᵀ and the
 * leverages hᵢᵢ = ‖(√wᵢ xᵢ)' R⁻¹‖² come from the same factor.  Sources:
 * Golub & Van Loan (2013), Matrix Computations, 4th ed., §5.3; White (1980);
 * MacKinnon & White (1985).  Reference implementation: statsmodels
 * OLS/WLS with cov_type "nonrobust", "HC0" … "HC3".
 */
#include "gb-config.h"
#include "gb-ols.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#define GB_OLS_RANK_TOL 1e-10

void
gb_ols_fit_free (GbOlsFit *fit)
{
  if (fit == NULL)
    return;
  g_free (fit->coef);
  g_free (fit->xtwx_inv);
  g_free (fit->residuals);
  g_free (fit->leverage);
  g_free (fit->weights);
  g_free (fit);
}

GbOlsFit *
gb_ols_fit (const double *X, const double *y, const double *weights, gsize n, gsize p,
            GError **error)
{
  g_autofree double *A = NULL, *tau = NULL, *c = NULL, *Rinv = NULL, *Z = NULL, *Xw = NULL;
  double rmax = 0.0;
  lapack_int info;
  GbOlsFit *fit;

  g_return_val_if_fail (X != NULL && y != NULL, NULL);
  if (p == 0 || n < p)
    {
      g_set_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Least squares needs at least as many rows as coefficients "
                   "(have %" G_GSIZE_FORMAT " rows, %" G_GSIZE_FORMAT " coefficients)", n, p);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (y[i]))
        {
          g_set_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Least squares: response of row %" G_GSIZE_FORMAT " is not a finite number", i);
          return NULL;
        }
      if (weights && !(weights[i] > 0.0 && isfinite (weights[i])))
        {
          g_set_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Least squares: weight of row %" G_GSIZE_FORMAT " is %g; weights must be "
                       "positive and finite", i, weights[i]);
          return NULL;
        }
      for (gsize j = 0; j < p; j++)
        if (!isfinite (X[i * p + j]))
          {
            g_set_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                         "Least squares: design matrix entry (%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT
                         ") is not a finite number", i, j);
            return NULL;
          }
    }

  /* Column-major √W X and √W y. */
  A = g_new (double, n * p);
  Xw = g_new (double, n * p);
  c = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    {
      double sw = weights ? sqrt (weights[i]) : 1.0;
      for (gsize j = 0; j < p; j++)
        {
          A[j * n + i] = sw * X[i * p + j];
          Xw[i * p + j] = sw * X[i * p + j];
        }
      c[i] = sw * y[i];
    }
  tau = g_new (double, p);
  info = LAPACKE_dgeqrf (LAPACK_COL_MAJOR, (lapack_int) n, (lapack_int) p, A, (lapack_int) n, tau);
  if (info != 0)
    {
      g_set_error (error, GB_STATS_ERROR, GB_ERROR_NUMERIC,
                   "Least squares: QR factorisation failed (LAPACK info %d)", (int) info);
      return NULL;
    }
  for (gsize j = 0; j < p; j++)
    rmax = MAX (rmax, fabs (A[j * n + j]));
  for (gsize j = 0; j < p; j++)
    if (!(fabs (A[j * n + j]) > GB_OLS_RANK_TOL * rmax))
      {
        g_set_error (error, GB_STATS_ERROR, GB_ERROR_NUMERIC,
                     "Least squares: column %" G_GSIZE_FORMAT " of the design matrix is a linear "
                     "combination of the columns before it (collinear covariates, or a "
                     "category with no rows); remove it", j);
        return NULL;
      }
  info = LAPACKE_dormqr (LAPACK_COL_MAJOR, 'L', 'T', (lapack_int) n, 1, (lapack_int) p, A,
                         (lapack_int) n, tau, c, (lapack_int) n);
  if (info != 0)
    {
      g_set_error (error, GB_STATS_ERROR, GB_ERROR_NUMERIC,
                   "Least squares: applying Q failed (LAPACK info %d)", (int) info);
      return NULL;
    }

  fit = g_new0 (GbOlsFit, 1);
  fit->n = n;
  fit->p = p;
  fit->coef = g_new (double, p);
  /* Back substitution R β = c[0:p]; R is the upper triangle of A. */
  for (gsize jj = p; jj-- > 0;)
    {
      double s = c[jj];
      for (gsize k = jj + 1; k < p; k++)
        s -= A[k * n + jj] * fit->coef[k];
      fit->coef[jj] = s / A[jj * n + jj];
    }
  /* R⁻¹ (row-major, upper triangular), column by column. */
  Rinv = g_new0 (double, p * p);
  for (gsize col = 0; col < p; col++)
    for (gsize jj = col + 1; jj-- > 0;)
      {
        double s = jj == col ? 1.0 : 0.0;
        for (gsize k = jj + 1; k <= col; k++)
          s -= A[k * n + jj] * Rinv[k * p + col];
        Rinv[jj * p + col] = s / A[jj * n + jj];
      }
  fit->xtwx_inv = g_new (double, p * p);
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) p, (int) p, (int) p, 1.0, Rinv,
               (int) p, Rinv, (int) p, 0.0, fit->xtwx_inv, (int) p);
  /* Leverages: rows of Z = (√W X) R⁻¹ are orthonormal-basis coordinates. */
  Z = g_new (double, n * p);
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) p, (int) p, 1.0, Xw,
               (int) p, Rinv, (int) p, 0.0, Z, (int) p);
  fit->leverage = g_new (double, n);
  fit->residuals = g_new (double, n);
  fit->rss = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      double h = 0.0, r = y[i];
      for (gsize j = 0; j < p; j++)
        {
          h += Z[i * p + j] * Z[i * p + j];
          r -= X[i * p + j] * fit->coef[j];
        }
      fit->leverage[i] = h;
      fit->residuals[i] = r;
      fit->rss += (weights ? weights[i] : 1.0) * r * r;
    }
  if (weights)
    fit->weights = g_memdup2 (weights, n * sizeof (double));
  fit->df_resid = (double) (n - p);
  fit->sigma2 = n > p ? fit->rss / fit->df_resid : NAN;
  return fit;
}

void
gb_ols_covariance (const GbOlsFit *fit, const double *X, GbOlsCovType type, double *out_cov)
{
  const gsize n = fit->n, p = fit->p;
  g_autofree double *meat = NULL, *tmp = NULL;

  if (type == GB_OLS_COV_CLASSICAL)
    {
      for (gsize k = 0; k < p * p; k++)
        out_cov[k] = fit->sigma2 * fit->xtwx_inv[k];
      return;
    }
  meat = g_new0 (double, p * p);
  for (gsize i = 0; i < n; i++)
    {
      double w = fit->weights ? fit->weights[i] : 1.0;
      double u = w * w * fit->residuals[i] * fit->residuals[i];
      double h = fit->leverage[i];
      if (type == GB_OLS_COV_HC2)
        u /= 1.0 - h;
      else if (type == GB_OLS_COV_HC3)
        u /= (1.0 - h) * (1.0 - h);
      cblas_dsyr (CblasRowMajor, CblasUpper, (int) p, u, X + i * p, 1, meat, (int) p);
    }
  for (gsize j = 0; j < p; j++)
    for (gsize k = 0; k < j; k++)
      meat[j * p + k] = meat[k * p + j];
  if (type == GB_OLS_COV_HC1)
    for (gsize k = 0; k < p * p; k++)
      meat[k] *= (double) n / (double) (n - p);
  tmp = g_new (double, p * p);
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) p, (int) p, (int) p, 1.0,
               fit->xtwx_inv, (int) p, meat, (int) p, 0.0, tmp, (int) p);
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) p, (int) p, (int) p, 1.0, tmp,
               (int) p, fit->xtwx_inv, (int) p, 0.0, out_cov, (int) p);
}

void
gb_ols_std_errors (const GbOlsFit *fit, const double *X, GbOlsCovType type, double *out_se)
{
  g_autofree double *cov = g_new (double, fit->p * fit->p);
  gb_ols_covariance (fit, X, type, cov);
  for (gsize j = 0; j < fit->p; j++)
    out_se[j] = sqrt (cov[j * fit->p + j]);
}

void
gb_ols_predict (const GbOlsFit *fit, const double *X, gsize m, double *out)
{
  if (m == 0)
    return;
  cblas_dgemv (CblasRowMajor, CblasNoTrans, (int) m, (int) fit->p, 1.0, X, (int) fit->p,
               fit->coef, 1, 0.0, out, 1);
}
