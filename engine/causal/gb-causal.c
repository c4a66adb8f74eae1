/* gb-causal.c — average treatment effects from observational data.
 *
 * difference in means   ȳ₁ − ȳ₀ with the pooled-variance (Student t, n − 2 df)
 *                       or Welch (Student t, Welch–Satterthwaite df) standard
 *                       error; p-value and 95 % interval from that t.
 * IPW                   Horvitz–Thompson and Hájek estimators of the ATE with
 *                       the logistic propensity score fitted by gb_logistic_fit();
 *                       the standard error is the empirical sandwich of the
 *                       stacked estimating equations (logistic score + IPW),
 *                       so it accounts for the estimated propensity
 *                       (Lunceford & Davidian 2004, Stat Med 23:2937, §3.1–3.2).
 *                       It is evaluated here through the influence function
 *                       of the stacked system (the block-triangular form of
 *                       A⁻¹ B A⁻ᵀ / n); the test fixture computes the full
 *                       stacked matrices independently in numpy.
 */
#include "gb-config.h"
#include "gb-causal.h"
#include "gb-logistic.h"
#include "gb-metrics.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#define Z975 1.959963984540054

void
gb_estimate_clear (GbEstimate *estimate)
{
  if (estimate == NULL)
    return;
  g_clear_pointer (&estimate->method, g_free);
  g_clear_pointer (&estimate->estimand, g_free);
  g_clear_pointer (&estimate->se_method, g_free);
  memset (estimate, 0, sizeof *estimate);
}

static void
estimate_set (GbEstimate *out, const char *method, const char *estimand, const char *se_method,
              double estimate, double se, gsize n_used)
{
  memset (out, 0, sizeof *out);
  out->method = g_strdup (method);
  out->estimand = g_strdup (estimand);
  out->se_method = g_strdup (se_method);
  out->estimate = estimate;
  out->std_error = se;
  out->n_used = n_used;
}

gboolean
gb_causal_difference_in_means (const double *y, const double *t, gsize n,
                               gboolean welch, GbEstimate *out, GError **error)
{
  double n1 = 0, n0 = 0, m1 = 0, m0 = 0, ss1 = 0, ss0 = 0;
  double v1, v0, diff, se, df, tq, tstat;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (y != NULL || n == 0, FALSE);
  g_return_val_if_fail (t != NULL || n == 0, FALSE);

  /* Welford's running means and sums of squares, per arm. */
  for (gsize i = 0; i < n; i++)
    {
      double d;
      if (isnan (y[i]) || isnan (t[i]))
        continue;
      if (t[i] != 0.0 && t[i] != 1.0)
        {
          g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Treatment must be 0 or 1; row %" G_GSIZE_FORMAT " has %g", i, t[i]);
          return FALSE;
        }
      if (!isfinite (y[i]))
        {
          g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Outcome is infinite in row %" G_GSIZE_FORMAT, i);
          return FALSE;
        }
      if (t[i] == 1.0)
        {
          n1 += 1;
          d = y[i] - m1;
          m1 += d / n1;
          ss1 += d * (y[i] - m1);
        }
      else
        {
          n0 += 1;
          d = y[i] - m0;
          m0 += d / n0;
          ss0 += d * (y[i] - m0);
        }
    }
  if (n1 < 2 || n0 < 2)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Difference in means needs at least two treated and two control rows "
                   "(have %.0f treated, %.0f control)", n1, n0);
      return FALSE;
    }

  v1 = ss1 / (n1 - 1);
  v0 = ss0 / (n0 - 1);
  diff = m1 - m0;
  if (welch)
    {
      double a = v1 / n1, b = v0 / n0;
      se = sqrt (a + b);
      df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n0 - 1));
    }
  else
    {
      double sp2 = (ss1 + ss0) / (n1 + n0 - 2);
      se = sqrt (sp2 * (1 / n1 + 1 / n0));
      df = n1 + n0 - 2;
    }

  estimate_set (out, "naive", "ATE", welch ? "welch" : "pooled", diff, se, (gsize) (n1 + n0));
  if (se > 0 && isfinite (df))
    {
      tq = gsl_cdf_tdist_Qinv (0.025, df);
      tstat = diff / se;
      out->p_value = 2.0 * gsl_cdf_tdist_Q (fabs (tstat), df);
    }
  else
    {
      /* Both arms constant: the SE is 0 (or undefined); fall back to the
       * normal quantile so the interval degenerates to the point. */
      tq = Z975;
      out->p_value = se == 0 ? (diff == 0 ? 1.0 : 0.0) : NAN;
    }
  out->ci_low = diff - tq * se;
  out->ci_high = diff + tq * se;
  return TRUE;
}

gboolean
gb_causal_ipw (const double *y, const double *t, const double *X, gsize n, gsize p,
               gboolean hajek, GbEstimate *out, double *out_propensity, GError **error)
{
  return gb_causal_ipw_ridge (y, t, X, n, p, 0.0, hajek, out, out_propensity, error);
}

gboolean
gb_causal_ipw_ridge (const double *y, const double *t, const double *X, gsize n, gsize p,
                     double l2, gboolean hajek, GbEstimate *out, double *out_propensity,
                     GError **error)
{
  g_autoptr(GbLogisticFit) fit = NULL;
  g_autofree double *e = NULL, *a_beta = NULL, *h = NULL, *psi_b = NULL;
  g_autoptr(GError) local = NULL;
  double n1 = 0, n0 = 0, tau, var = 0.0, se;
  double mu1 = 0, mu0 = 0, a11 = 0, a00 = 0;
  gsize j, k;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (y != NULL && t != NULL && X != NULL, FALSE);

  memset (out, 0, sizeof *out);
  for (gsize i = 0; i < n; i++)
    {
      if (t[i] != 0.0 && t[i] != 1.0)
        {
          g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Treatment must be 0 or 1; row %" G_GSIZE_FORMAT " has %g", i, t[i]);
          return FALSE;
        }
      if (!isfinite (y[i]))
        {
          g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Outcome is missing or infinite in row %" G_GSIZE_FORMAT
                       " (IPW needs complete rows)", i);
          return FALSE;
        }
      if (t[i] == 1.0)
        n1++;
      else
        n0++;
    }
  if (n1 < 1 || n0 < 1)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "IPW needs treated and control rows (have %.0f treated, %.0f control)",
                   n1, n0);
      return FALSE;
    }

  fit = gb_logistic_fit (X, t, NULL, n, p, l2, &local);
  if (fit == NULL)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                   "Propensity score model failed: %s", local->message);
      return FALSE;
    }
  if (!fit->converged)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                   "Propensity score model did not converge in %u iterations", fit->iterations);
      return FALSE;
    }

  e = g_new (double, n);
  gb_logistic_predict (fit, X, n, e);
  for (gsize i = 0; i < n; i++)
    if (!(e[i] > 0.0 && e[i] < 1.0))
      {
        g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                     "Propensity score of row %" G_GSIZE_FORMAT " is %g: no overlap between "
                     "treated and control rows, so inverse-propensity weights are infinite",
                     i, e[i]);
        return FALSE;
      }

  /* Point estimate.  Notation: ψ_β,i = xᵢ (tᵢ − eᵢ) are the logistic score
   * equations; A_ββ = −(1/n) Σ eᵢ(1 − eᵢ) xᵢxᵢ' = −(1/n) X'WX, so
   * A_ββ⁻¹ = −n (X'WX)⁻¹ = −n · fit->cov. */
  if (!hajek)
    {
      double s = 0.0;
      for (gsize i = 0; i < n; i++)
        s += t[i] * y[i] / e[i] - (1.0 - t[i]) * y[i] / (1.0 - e[i]);
      tau = s / (double) n;
    }
  else
    {
      double s1 = 0, w1 = 0, s0 = 0, w0 = 0;
      for (gsize i = 0; i < n; i++)
        {
          if (t[i] == 1.0)
            {
              s1 += y[i] / e[i];
              w1 += 1.0 / e[i];
            }
          else
            {
              s0 += y[i] / (1.0 - e[i]);
              w0 += 1.0 / (1.0 - e[i]);
            }
        }
      mu1 = s1 / w1;
      mu0 = s0 / w0;
      tau = mu1 - mu0;
      a11 = -w1 / (double) n; /* ∂ψ_μ1/∂μ1 averaged: ψ_μ1 = t (y − μ1) / e */
      a00 = -w0 / (double) n; /* ψ_μ0 = (1 − t)(y − μ0) / (1 − e) */
    }

  /* A_τβ: mean derivative of the effect's estimating function w.r.t. β.
   * HT, ψ_τ = ty/e − (1−t)y/(1−e) − τ:
   *   ∂ψ_τ/∂β = −[t y (1−e)/e + (1−t) y e/(1−e)] x
   * Hájek, ψ_τ ≡ ψ_μ1/(−a11) − ψ_μ0/(−a00) after solving the μ rows:
   *   ∂ψ_μ1/∂β = −t (y−μ1)(1−e)/e · x,  ∂ψ_μ0/∂β = (1−t)(y−μ0) e/(1−e) · x. */
  a_beta = g_new0 (double, p);
  for (gsize i = 0; i < n; i++)
    {
      double c;
      if (!hajek)
        c = -(t[i] * y[i] * (1.0 - e[i]) / e[i] + (1.0 - t[i]) * y[i] * e[i] / (1.0 - e[i]));
      else
        c = (-t[i] * (y[i] - mu1) * (1.0 - e[i]) / e[i]) / (-a11)
            - ((1.0 - t[i]) * (y[i] - mu0) * e[i] / (1.0 - e[i])) / (-a00);
      for (j = 0; j < p; j++)
        a_beta[j] += c * X[i * p + j];
    }
  for (j = 0; j < p; j++)
    a_beta[j] /= (double) n;

  /* h = A_ββ⁻ᵀ A_τβ' = −n · cov · A_τβ' (cov is symmetric). */
  h = g_new0 (double, p);
  for (j = 0; j < p; j++)
    {
      double s = 0.0;
      for (k = 0; k < p; k++)
        s += fit->cov[j * p + k] * a_beta[k];
      h[j] = -(double) n * s;
    }

  /* Influence function IFᵢ = ψ_τ,i − A_τβ A_ββ⁻¹ ψ_β,i (A_ττ = −1 after the
   * μ rows are scaled), variance = Σ IFᵢ² / n².  With a ridge penalty the
   * score is ψ_β,i = xᵢ(tᵢ − eᵢ) − (λ/n)β̃ (β̃: β with the intercept
   * zeroed) and A_ββ = −(X'WX + λI)/n, whose inverse fit->cov already is. */
  psi_b = g_new0 (double, p);
  if (l2 > 0.0)
    {
      gboolean has_intercept = TRUE;
      for (gsize i = 0; i < n && has_intercept; i++)
        has_intercept = X[i * p] == 1.0;
      for (j = has_intercept ? 1 : 0; j < p; j++)
        psi_b[j] = l2 * fit->coef[j] / (double) n;
    }
  for (gsize i = 0; i < n; i++)
    {
      double psi_tau, adj = 0.0, r = t[i] - e[i], inf;
      if (!hajek)
        psi_tau = t[i] * y[i] / e[i] - (1.0 - t[i]) * y[i] / (1.0 - e[i]) - tau;
      else
        psi_tau = (t[i] * (y[i] - mu1) / e[i]) / (-a11)
                  - ((1.0 - t[i]) * (y[i] - mu0) / (1.0 - e[i])) / (-a00);
      for (j = 0; j < p; j++)
        adj += h[j] * (X[i * p + j] * r - psi_b[j]);
      inf = psi_tau - adj;
      var += inf * inf;
    }
  var /= (double) n * (double) n;
  se = sqrt (var);

  estimate_set (out, hajek ? "ipw_hajek" : "ipw", "ATE",
                l2 > 0.0 ? "sandwich (M-estimation, ridge propensity estimated)"
                         : "sandwich (M-estimation, propensity estimated)", tau, se, n);
  out->ci_low = tau - Z975 * se;
  out->ci_high = tau + Z975 * se;
  out->p_value = se > 0 ? gb_normal_two_sided_p (tau / se) : NAN;

  if (out_propensity)
    memcpy (out_propensity, e, n * sizeof (double));
  return TRUE;
}
