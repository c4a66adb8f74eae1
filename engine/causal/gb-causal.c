/* gb-causal.c — average treatment effects from observational data.
 *
 * difference in means   ȳ₁ − ȳ₀ with the pooled-variance (Student t, n − 2 df)
 *                       or Welch (Student t, Welch–Satterthwaite df) standard
 *                       error; p-value and 95 % interval from that t.
 * IPW                   Horvitz–Thompson and Hájek estimators of the ATE / ATT with
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
#include "gb-causal-private.h"
#include "gb-logistic.h"
#include "gb-metrics.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#define Z975 GB_Z975

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
gb_causal_check_inputs (const double *y, const double *t, gsize n, guint min_per_arm,
                        const char *what, GError **error)
{
  gsize n1 = 0, n0 = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (t[i] != 0.0 && t[i] != 1.0)
        {
          g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "%s: treatment must be 0 or 1; row %" G_GSIZE_FORMAT " has %g", what, i, t[i]);
          return FALSE;
        }
      if (y != NULL && !isfinite (y[i]))
        {
          g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "%s: outcome is missing or infinite in row %" G_GSIZE_FORMAT
                       " (the estimators need complete rows)", what, i);
          return FALSE;
        }
      if (t[i] == 1.0)
        n1++;
      else
        n0++;
    }
  if (n1 < min_per_arm || n0 < min_per_arm)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "%s needs at least %u treated and %u control rows (have %" G_GSIZE_FORMAT
                   " treated, %" G_GSIZE_FORMAT " control)", what, min_per_arm, min_per_arm, n1, n0);
      return FALSE;
    }
  return TRUE;
}

void
gb_causal_estimate_set_normal (GbEstimate *out, const char *method, const char *estimand,
                               const char *se_method, double estimate, double se, gsize n_used)
{
  estimate_set (out, method, estimand, se_method, estimate, se, n_used);
  out->ci_low = estimate - Z975 * se;
  out->ci_high = estimate + Z975 * se;
  out->p_value = se > 0 ? gb_normal_two_sided_p (estimate / se) : (se == 0 ? (estimate == 0 ? 1.0 : 0.0) : NAN);
}

void
gb_estimate_copy (const GbEstimate *src, GbEstimate *dest)
{
  *dest = *src;
  dest->method = g_strdup (src->method);
  dest->estimand = g_strdup (src->estimand);
  dest->se_method = g_strdup (src->se_method);
}

const char *
gb_estimand_to_string (GbEstimand estimand)
{
  return estimand == GB_ESTIMAND_ATT ? "ATT" : "ATE";
}

gboolean
gb_estimand_from_string (const char *text, GbEstimand *out, GError **error)
{
  if (text != NULL && g_ascii_strcasecmp (text, "ATE") == 0)
    *out = GB_ESTIMAND_ATE;
  else if (text != NULL && g_ascii_strcasecmp (text, "ATT") == 0)
    *out = GB_ESTIMAND_ATT;
  else
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Unknown estimand “%s”: use ATE (effect on everyone) or ATT (effect on "
                   "the treated)", text ? text : "");
      return FALSE;
    }
  return TRUE;
}

static const char *const method_names[GB_CAUSAL_N_METHODS] = {
  "naive", "stratification", "regression_adjustment", "ipw", "ipw_hajek", "psm",
  "mahalanobis_matching", "aipw",
};

const char *
gb_causal_method_to_string (GbCausalMethod method)
{
  g_return_val_if_fail (method < GB_CAUSAL_N_METHODS, NULL);
  return method_names[method];
}

gboolean
gb_causal_methods_parse (const char *text, guint *out_mask, GError **error)
{
  g_auto(GStrv) parts = NULL;
  guint mask = 0;

  g_autofree char *trimmed = g_strstrip (g_strdup (text ? text : "all"));
  if (g_ascii_strcasecmp (trimmed, "all") == 0)
    {
      *out_mask = GB_CAUSAL_ALL_METHODS;
      return TRUE;
    }
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      const char *name = g_strstrip (parts[i]);
      guint m;
      if (*name == '\0')
        continue;
      for (m = 0; m < GB_CAUSAL_N_METHODS; m++)
        if (g_ascii_strcasecmp (name, method_names[m]) == 0)
          break;
      if (m == GB_CAUSAL_N_METHODS)
        {
          g_autofree char *all = gb_causal_methods_to_string (GB_CAUSAL_ALL_METHODS);
          g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Unknown estimator “%s”; choose from %s", name, all);
          return FALSE;
        }
      mask |= 1u << m;
    }
  if (mask == 0)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "No estimator named in “%s”", text);
      return FALSE;
    }
  *out_mask = mask;
  return TRUE;
}

char *
gb_causal_methods_to_string (guint mask)
{
  GString *s = g_string_new (NULL);
  for (guint m = 0; m < GB_CAUSAL_N_METHODS; m++)
    if (mask & (1u << m))
      {
        if (s->len)
          g_string_append_c (s, ',');
        g_string_append (s, method_names[m]);
      }
  return g_string_free (s, FALSE);
}

GbLogisticFit *
gb_causal_propensity_fit (const double *X, const double *t, gsize n, gsize p, double l2,
                          double *out_e, GError **error)
{
  g_autoptr(GbLogisticFit) fit = NULL;
  g_autoptr(GError) local = NULL;

  fit = gb_logistic_fit (X, t, NULL, n, p, l2, &local);
  if (fit == NULL)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                   "Propensity score model failed: %s", local->message);
      return NULL;
    }
  if (!fit->converged)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                   "Propensity score model did not converge in %u iterations "
                   "(treatment nearly separable by the covariates)", fit->iterations);
      return NULL;
    }
  gb_logistic_predict (fit, X, n, out_e);
  for (gsize i = 0; i < n; i++)
    if (!(out_e[i] > 0.0 && out_e[i] < 1.0))
      {
        g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                     "Propensity score of row %" G_GSIZE_FORMAT " is %g: no overlap between "
                     "treated and control rows, so inverse-propensity weights are infinite; "
                     "trim the sample (--trim) or remove the covariate that separates them",
                     i, out_e[i]);
        return NULL;
      }
  return g_steal_pointer (&fit);
}

void
gb_causal_ipw_weights (const double *t, const double *e, gsize n, GbEstimand estimand,
                       double *out_w)
{
  for (gsize i = 0; i < n; i++)
    {
      if (estimand == GB_ESTIMAND_ATE)
        out_w[i] = t[i] == 1.0 ? 1.0 / e[i] : 1.0 / (1.0 - e[i]);
      else
        out_w[i] = t[i] == 1.0 ? 1.0 : e[i] / (1.0 - e[i]);
    }
}

gboolean
gb_causal_ipw (const double *y, const double *t, const double *X, gsize n, gsize p,
               gboolean hajek, GbEstimate *out, double *out_propensity, GError **error)
{
  return gb_causal_ipw_estimand (y, t, X, n, p, 0.0, hajek, GB_ESTIMAND_ATE, out,
                                 out_propensity, error);
}

gboolean
gb_causal_ipw_ridge (const double *y, const double *t, const double *X, gsize n, gsize p,
                     double l2, gboolean hajek, GbEstimate *out, double *out_propensity,
                     GError **error)
{
  return gb_causal_ipw_estimand (y, t, X, n, p, l2, hajek, GB_ESTIMAND_ATE, out,
                                 out_propensity, error);
}

gboolean
gb_causal_ipw_estimand (const double *y, const double *t, const double *X, gsize n, gsize p,
                        double l2, gboolean hajek, GbEstimand estimand, GbEstimate *out,
                        double *out_propensity, GError **error)
{
  g_autoptr(GbLogisticFit) fit = NULL;
  g_autofree double *e = NULL, *w = NULL, *a_beta = NULL, *h = NULL, *psi_b = NULL;
  double mu[2], meanD[2], num[2] = { 0, 0 }, den[2] = { 0, 0 }, n1 = 0, tau, var = 0.0, se;
  gsize j, k;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (y != NULL && t != NULL && X != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (!gb_causal_check_inputs (y, t, n, 1, "IPW", error))
    return FALSE;

  e = g_new (double, n);
  fit = gb_causal_propensity_fit (X, t, n, p, l2, e, error);
  if (fit == NULL)
    return FALSE;
  w = g_new (double, n);
  gb_causal_ipw_weights (t, e, n, estimand, w);

  /* Arm a's mean μₐ = Σ 1[tᵢ = a] wᵢyᵢ / Dₐ, with the per-row denominator
   * dₐ,ᵢ = 1[tᵢ = a] wᵢ (Hájek), 1 (HT ATE) or tᵢ (HT ATT). */
  for (gsize i = 0; i < n; i++)
    {
      int a = t[i] == 1.0;
      num[a] += w[i] * y[i];
      n1 += t[i];
      if (hajek)
        den[a] += w[i];
    }
  for (int a = 0; a < 2; a++)
    {
      if (!hajek)
        den[a] = estimand == GB_ESTIMAND_ATE ? (double) n : n1;
      mu[a] = num[a] / den[a];
      meanD[a] = den[a] / (double) n;
    }
  tau = mu[1] - mu[0];

  /* A_aβ: mean ∂ψₐ/∂β, ψₐ,ᵢ = 1[tᵢ = a] wᵢ yᵢ − dₐ,ᵢ μₐ; only w depends on β:
   *   ∂wᵢ/∂β = g(eᵢ) xᵢ with g = −(1 − e)/e (ATE treated), e/(1 − e) (ATE
   *   control and ATT control), 0 (ATT treated),
   * and for Hájek dₐ,ᵢ also carries wᵢ, giving the factor (yᵢ − μₐ).
   * The correction vector for τ = μ₁ − μ₀ is A_τβ = A_1β/meanD₁ − A_0β/meanD₀. */
  a_beta = g_new0 (double, p);
  for (gsize i = 0; i < n; i++)
    {
      int a = t[i] == 1.0;
      double g;
      if (a == 1)
        g = estimand == GB_ESTIMAND_ATE ? -(1.0 - e[i]) / e[i] : 0.0;
      else
        g = e[i] / (1.0 - e[i]);
      double c = g * (hajek ? (y[i] - mu[a]) : y[i]);
      c = a == 1 ? c / meanD[1] : -c / meanD[0];
      if (c == 0.0)
        continue;
      for (j = 0; j < p; j++)
        a_beta[j] += c * X[i * p + j];
    }
  for (j = 0; j < p; j++)
    a_beta[j] /= (double) n;

  /* h = A_ββ⁻ᵀ A_τβ' = −n · cov · A_τβ' (cov = (X'WX + λI)⁻¹ is symmetric). */
  h = g_new0 (double, p);
  for (j = 0; j < p; j++)
    {
      double s = 0.0;
      for (k = 0; k < p; k++)
        s += fit->cov[j * p + k] * a_beta[k];
      h[j] = -(double) n * s;
    }

  /* IFᵢ = ψ_τ,ᵢ − A_τβ A_ββ⁻¹ ψ_β,ᵢ with ψ_τ = ψ₁/meanD₁ − ψ₀/meanD₀; with a
   * ridge penalty ψ_β,ᵢ = xᵢ(tᵢ − eᵢ) − (λ/n)β̃ (intercept unpenalised). */
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
      int a = t[i] == 1.0;
      double d1, d0, psi1, psi0, adj = 0.0, r = t[i] - e[i], inf;
      if (hajek)
        {
          d1 = a == 1 ? w[i] : 0.0;
          d0 = a == 0 ? w[i] : 0.0;
        }
      else
        {
          d1 = estimand == GB_ESTIMAND_ATE ? 1.0 : t[i];
          d0 = d1;
        }
      psi1 = (a == 1 ? w[i] * y[i] : 0.0) - d1 * mu[1];
      psi0 = (a == 0 ? w[i] * y[i] : 0.0) - d0 * mu[0];
      for (j = 0; j < p; j++)
        adj += h[j] * (X[i * p + j] * r - psi_b[j]);
      inf = psi1 / meanD[1] - psi0 / meanD[0] - adj;
      var += inf * inf;
    }
  var /= (double) n * (double) n;
  se = sqrt (var);

  gb_causal_estimate_set_normal (out, hajek ? "ipw_hajek" : "ipw",
                                 gb_estimand_to_string (estimand),
                                 l2 > 0.0 ? "sandwich (M-estimation, ridge propensity estimated)"
                                          : "sandwich (M-estimation, propensity estimated)",
                                 tau, se, n);
  if (out_propensity)
    memcpy (out_propensity, e, n * sizeof (double));
  return TRUE;
}

char *
gb_causal_fmt (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isnan (v))
    return g_strdup ("n/a");
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4g", v));
}
