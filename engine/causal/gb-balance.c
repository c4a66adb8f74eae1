/* gb-balance.c — covariate balance (standardized mean differences, variance
 * ratios), effective sample size and the E-value.
 *
 * Austin (2009), "Balance diagnostics for comparing the distribution of
 * baseline covariates between treatment groups in propensity-score matched
 * samples", Stat Med 28:3083; Kish (1965), Survey Sampling (effective
 * sample size); VanderWeele & Ding (2017), "Sensitivity analysis in
 * observational research: introducing the E-value", Ann Intern Med 167:268.
 */
#include "gb-config.h"
#include "gb-causal-private.h"

#include <math.h>
#include <string.h>

void
gb_balance_row_clear (GbBalanceRow *row)
{
  if (row)
    g_clear_pointer (&row->covariate, g_free);
}

/* Weighted mean and variance (reliability weights) of column j over arm a. */
static void
arm_moments (const double *X, gsize p, gsize j, const double *t, const double *w, gsize n,
             int arm, double *mean, double *var)
{
  double sw = 0, sw2 = 0, m = 0, v = 0;
  for (gsize i = 0; i < n; i++)
    {
      double wi = w ? w[i] : 1.0;
      if ((t[i] == 1.0) != arm || wi <= 0.0)
        continue;
      sw += wi;
      sw2 += wi * wi;
      m += wi * X[i * p + j];
    }
  m = sw > 0 ? m / sw : NAN;
  for (gsize i = 0; i < n; i++)
    {
      double wi = w ? w[i] : 1.0;
      if ((t[i] == 1.0) != arm || wi <= 0.0)
        continue;
      v += wi * (X[i * p + j] - m) * (X[i * p + j] - m);
    }
  *mean = m;
  *var = sw - sw2 / sw > 0 ? v / (sw - sw2 / sw) : NAN;
}

GArray *
gb_causal_balance (const double *X, const char *const *names, const double *t, const double *w,
                   gsize n, gsize p)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (GbBalanceRow));
  g_array_set_clear_func (rows, (GDestroyNotify) gb_balance_row_clear);
  for (gsize j = 1; j < p; j++)
    {
      GbBalanceRow r = { 0 };
      double m1, v1, m0, v0, sd;
      arm_moments (X, p, j, t, NULL, n, 1, &m1, &v1);
      arm_moments (X, p, j, t, NULL, n, 0, &m0, &v0);
      sd = sqrt ((v1 + v0) / 2.0);
      r.covariate = g_strdup (names ? names[j] : "");
      r.smd_before = sd > 0 ? (m1 - m0) / sd : 0.0;
      r.variance_ratio_before = v0 > 0 ? v1 / v0 : NAN;
      if (w)
        {
          arm_moments (X, p, j, t, w, n, 1, &m1, &v1);
          arm_moments (X, p, j, t, w, n, 0, &m0, &v0);
        }
      r.smd_after = sd > 0 ? (m1 - m0) / sd : 0.0;
      r.variance_ratio_after = v0 > 0 ? v1 / v0 : NAN;
      g_array_append_val (rows, r);
    }
  return rows;
}

void
gb_causal_effective_sample_size (const double *t, const double *w, gsize n,
                                 double *out_treated, double *out_control)
{
  double s[2] = { 0, 0 }, s2[2] = { 0, 0 };
  for (gsize i = 0; i < n; i++)
    {
      int a = t[i] == 1.0;
      s[a] += w[i];
      s2[a] += w[i] * w[i];
    }
  *out_treated = s2[1] > 0 ? s[1] * s[1] / s2[1] : 0.0;
  *out_control = s2[0] > 0 ? s[0] * s[0] / s2[0] : 0.0;
}

void
gb_e_value_clear (GbEValue *ev)
{
  if (ev)
    g_clear_pointer (&ev->method, g_free);
}

double
gb_causal_e_value_rr (double rr)
{
  if (!(rr > 0) || !isfinite (rr))
    return NAN;
  if (rr < 1.0)
    rr = 1.0 / rr;
  return rr + sqrt (rr * (rr - 1.0));
}

gboolean
gb_causal_e_value (const GbEstimate *est, gboolean binary_outcome, double baseline,
                   GbEValue *out, GError **error)
{
  double rr, rr_lo, rr_hi;

  memset (out, 0, sizeof *out);
  if (!(baseline > 0) || !isfinite (baseline))
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "E-value: the %s must be positive (got %g)",
                   binary_outcome ? "control-group risk" : "outcome standard deviation", baseline);
      return FALSE;
    }
  if (binary_outcome)
    {
      double p1 = baseline + est->estimate;
      if (!(p1 > 0.0 && p1 <= 1.0) || baseline > 1.0)
        {
          g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "E-value: control risk %g plus the effect %g is not a probability",
                       baseline, est->estimate);
          return FALSE;
        }
      rr = p1 / baseline;
      rr_lo = MAX (baseline + est->ci_low, 1e-12) / baseline;
      rr_hi = (baseline + est->ci_high) / baseline;
      g_autofree char *b = gb_causal_fmt (baseline);
      out->method = g_strdup_printf ("risk ratio (p₀ + τ)/p₀ with control-group risk p₀ = %s "
                                     "(VanderWeele & Ding 2017)", b);
    }
  else
    {
      double d = est->estimate / baseline;
      rr = exp (0.91 * d);
      rr_lo = exp (0.91 * est->ci_low / baseline);
      rr_hi = exp (0.91 * est->ci_high / baseline);
      g_autofree char *ds = gb_causal_fmt (d);
      out->method = g_strdup_printf ("continuous outcome: standardized effect d = τ/SD = %s "
                                     "converted by RR ≈ exp(0.91·d), the approximation of "
                                     "VanderWeele & Ding (2017)", ds);
    }
  out->risk_ratio = rr;
  out->e_value = gb_causal_e_value_rr (rr);
  /* the interval limit closer to the null; 1 when the interval contains it */
  if (rr_lo <= 1.0 && rr_hi >= 1.0)
    out->e_value_ci = 1.0;
  else
    out->e_value_ci = gb_causal_e_value_rr (rr > 1.0 ? rr_lo : rr_hi);
  return TRUE;
}
