/* gb-analysis.c — the whole causal analysis: propensity, trimming, every
 * requested estimator with its standard error (formula or bootstrap),
 * balance, overlap, refutations and the E-value.
 *
 * Trimming: Crump, Hotz, Imbens & Mitnik (2009), "Dealing with limited
 * overlap in estimation of average treatment effects", Biometrika 96:187.
 * Bootstrap: Efron & Tibshirani (1993), nonparametric, percentile interval;
 * every model (propensity, outcome) is refitted in each resample.  Abadie &
 * Imbens (2008, Econometrica 76:1537) show the bootstrap is not valid for
 * matching with replacement; the formula SE is the default.
 */
#include "gb-config.h"
#include "gb-causal-private.h"
#include "gb-metrics.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

void
gb_causal_options_init_default (GbCausalOptions *o)
{
  memset (o, 0, sizeof *o);
  o->methods = GB_CAUSAL_ALL_METHODS;
  o->estimand = GB_ESTIMAND_ATE;
  o->trim_alpha = 0.0;
  o->n_strata = 5;
  o->match.k = 1;
  o->match.replace = TRUE;
  o->match.caliper = 0.2;
  o->bootstrap = 0;
  o->refute_simulations = 20;
  o->refute_method = -1;
  o->seed = 42;
  o->l2 = 0.0;
}

void
gb_refutation_clear (GbRefutation *r)
{
  if (r == NULL)
    return;
  g_clear_pointer (&r->name, g_free);
  g_clear_pointer (&r->sentence, g_free);
}

void
gb_causal_analysis_free (GbCausalAnalysis *a)
{
  if (a == NULL)
    return;
  g_clear_pointer (&a->estimates, g_array_unref);
  g_clear_pointer (&a->balance, g_array_unref);
  g_clear_pointer (&a->balance_matching, g_array_unref);
  g_clear_pointer (&a->refutations, g_array_unref);
  g_clear_pointer (&a->notes, g_ptr_array_unref);
  g_free (a->propensity);
  g_free (a->treatment);
  g_free (a->refute_method);
  gb_e_value_clear (&a->e_value);
  g_free (a);
}

static gboolean
method_needs_propensity (GbCausalMethod m)
{
  return m == GB_CAUSAL_STRATIFICATION || m == GB_CAUSAL_PSM || m == GB_CAUSAL_AIPW;
}

/* Propensity with the ridge fallback. */
static GbLogisticFit *
propensity_with_fallback (const double *X, const double *t, gsize n, gsize p, double l2,
                          double *e, gboolean *fell_back, GError **error)
{
  GError *local = NULL;
  GbLogisticFit *fit = gb_causal_propensity_fit (X, t, n, p, l2, e, &local);
  if (fit == NULL && l2 == 0.0 && g_error_matches (local, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC))
    {
      g_clear_error (&local);
      fit = gb_causal_propensity_fit (X, t, n, p, 1.0, e, &local);
      if (fit && fell_back)
        *fell_back = TRUE;
    }
  if (fit == NULL)
    g_propagate_error (error, local);
  return fit;
}

gboolean
gb_causal_estimate_method (GbCausalMethod method, const double *y, const double *t,
                           const double *X, gsize n, gsize p, const GbCausalOptions *o,
                           GbEstimate *out, double *out_weights, gboolean *fell_back,
                           GError **error)
{
  g_autofree double *e = NULL;
  g_autoptr(GbLogisticFit) fit = NULL;

  memset (out, 0, sizeof *out);
  if (method_needs_propensity (method))
    {
      if (!gb_causal_check_inputs (y, t, n, 1, gb_causal_method_to_string (method), error))
        return FALSE;
      e = g_new (double, n);
      fit = propensity_with_fallback (X, t, n, p, o->l2, e, fell_back, error);
      if (fit == NULL)
        return FALSE;
    }
  switch (method)
    {
    case GB_CAUSAL_NAIVE:
      if (!gb_causal_difference_in_means (y, t, n, TRUE, out, error))
        return FALSE;
      g_free (out->estimand);
      out->estimand = g_strdup (gb_estimand_to_string (o->estimand));
      return TRUE;
    case GB_CAUSAL_STRATIFICATION:
      return gb_causal_stratification (y, t, e, n, o->n_strata, o->estimand, out, error);
    case GB_CAUSAL_REGRESSION_ADJUSTMENT:
      return gb_causal_regression_adjustment (y, t, X, n, p, o->estimand, out, NULL, NULL, error);
    case GB_CAUSAL_IPW:
    case GB_CAUSAL_IPW_HAJEK:
      {
        gboolean hajek = method == GB_CAUSAL_IPW_HAJEK;
        GError *local = NULL;
        if (gb_causal_ipw_estimand (y, t, X, n, p, o->l2, hajek, o->estimand, out, NULL, &local))
          return TRUE;
        if (o->l2 == 0.0 && g_error_matches (local, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC))
          {
            g_clear_error (&local);
            if (fell_back)
              *fell_back = TRUE;
            return gb_causal_ipw_estimand (y, t, X, n, p, 1.0, hajek, o->estimand, out, NULL,
                                           error);
          }
        g_propagate_error (error, local);
        return FALSE;
      }
    case GB_CAUSAL_PSM:
      if (o->psm_known_propensity)
        return gb_causal_match_propensity (y, t, e, n, o->estimand, &o->match, out, out_weights,
                                           error);
      return gb_causal_match_propensity_estimated (y, t, X, e, fit->cov, n, p, o->estimand,
                                                   &o->match, out, out_weights, error);
    case GB_CAUSAL_MAHALANOBIS_MATCHING:
      {
        GbMatchOptions mo = o->match;
        mo.caliper = 0.0;
        return gb_causal_match_mahalanobis (y, t, X, n, p, o->estimand, &mo, out, out_weights,
                                            error);
      }
    case GB_CAUSAL_AIPW:
      return gb_causal_aipw (y, t, X, e, n, p, o->estimand, out, error);
    case GB_CAUSAL_N_METHODS:
    default:
      break;
    }
  g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT, "Unknown estimator %d",
               (int) method);
  return FALSE;
}

/* Bootstrap SE, percentile interval and normal p-value for @est. */
static gboolean
bootstrap_estimate (GbCausalMethod method, const double *y, const double *t, const double *X,
                    gsize n, gsize p, const GbCausalOptions *o, GbEstimate *est,
                    GCancellable *cancellable, GError **error)
{
  g_autofree double *yb = g_new (double, n), *tb = g_new (double, n), *Xb = g_new (double, n * p);
  g_autofree double *vals = g_new (double, o->bootstrap);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  guint ok = 0, failed = 0;
  double se;
  char *se_method;

  gsl_rng_set (rng, (unsigned long) (o->seed + 7919u * (method + 1u)));
  for (guint b = 0; b < o->bootstrap; b++)
    {
      GbEstimate eb;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          gsl_rng_free (rng);
          return FALSE;
        }
      for (gsize i = 0; i < n; i++)
        {
          gsize r = (gsize) gsl_rng_uniform_int (rng, (unsigned long) n);
          yb[i] = y[r];
          tb[i] = t[r];
          memcpy (Xb + i * p, X + r * p, p * sizeof (double));
        }
      if (gb_causal_estimate_method (method, yb, tb, Xb, n, p, o, &eb, NULL, NULL, NULL)
          && isfinite (eb.estimate))
        vals[ok++] = eb.estimate;
      else
        failed++;
      gb_estimate_clear (&eb);
    }
  gsl_rng_free (rng);
  if (ok < 2)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                   "%s: the estimator failed on %u of %u bootstrap resamples",
                   gb_causal_method_to_string (method), failed, o->bootstrap);
      return FALSE;
    }
  se = gsl_stats_sd (vals, 1, ok);
  gsl_sort (vals, 1, ok);
  if (failed > 0)
    se_method = g_strdup_printf ("bootstrap (B = %u, percentile interval; %u resamples where the "
                                 "estimator failed left out)", o->bootstrap, failed);
  else
    se_method = g_strdup_printf ("bootstrap (B = %u, percentile interval)", o->bootstrap);
  g_free (est->se_method);
  est->se_method = se_method;
  est->std_error = se;
  est->ci_low = gsl_stats_quantile_from_sorted_data (vals, 1, ok, 0.025);
  est->ci_high = gsl_stats_quantile_from_sorted_data (vals, 1, ok, 0.975);
  est->p_value = se > 0 ? gb_normal_two_sided_p (est->estimate / se) : NAN;
  return TRUE;
}

GbCausalAnalysis *
gb_causal_analyze (const double *y_in, const double *t_in, const double *X_in,
                   const char *const *names_in, gsize n_in, gsize p_in,
                   const GbCausalOptions *options, GCancellable *cancellable, GError **error)
{
  GbCausalOptions defaults;
  const GbCausalOptions *o = options;
  g_autoptr(GbCausalAnalysis) a = NULL;
  g_autofree double *y = NULL, *t = NULL, *X = NULL, *e = NULL, *w = NULL, *mw = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree guint8 *keep_col = NULL;
  gsize n = 0, p = 0;
  gboolean fell_back = FALSE, binary = TRUE;
  int refute_m = -1;
  const GbEstimate *refute_est = NULL;

  if (o == NULL)
    {
      gb_causal_options_init_default (&defaults);
      o = &defaults;
    }
  if (!gb_causal_check_inputs (y_in, t_in, n_in, 2, "The causal analysis", error))
    return NULL;
  if (p_in < 1)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "The causal analysis needs a design matrix with an intercept column");
      return NULL;
    }
  if (!(o->trim_alpha >= 0.0 && o->trim_alpha < 0.5))
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Trimming α must be in [0, 0.5) (got %g); Crump et al. suggest 0.1", o->trim_alpha);
      return NULL;
    }

  a = g_new0 (GbCausalAnalysis, 1);
  a->estimand = o->estimand;
  a->notes = g_ptr_array_new_with_free_func (g_free);
  a->estimates = g_array_new (FALSE, TRUE, sizeof (GbEstimate));
  g_array_set_clear_func (a->estimates, (GDestroyNotify) gb_estimate_clear);
  a->refutations = g_array_new (FALSE, TRUE, sizeof (GbRefutation));
  g_array_set_clear_func (a->refutations, (GDestroyNotify) gb_refutation_clear);
  a->n_all = n_in;
  a->trim_alpha = o->trim_alpha;
  a->propensity = g_new (double, n_in);
  a->treatment = g_memdup2 (t_in, n_in * sizeof (double));

  /* 1. the propensity on all rows (overlap plot, trimming) */
  {
    g_autoptr(GbLogisticFit) fit = propensity_with_fallback (X_in, t_in, n_in, p_in, o->l2,
                                                             a->propensity, &fell_back, error);
    if (fit == NULL)
      return NULL;
  }

  /* 2. trimming to [α, 1 − α] */
  y = g_new (double, n_in);
  t = g_new (double, n_in);
  X = g_new (double, n_in * p_in);
  for (gsize i = 0; i < n_in; i++)
    {
      double ei = a->propensity[i];
      if (o->trim_alpha > 0 && (ei < o->trim_alpha || ei > 1.0 - o->trim_alpha))
        continue;
      y[n] = y_in[i];
      t[n] = t_in[i];
      memcpy (X + n * p_in, X_in + i * p_in, p_in * sizeof (double));
      n++;
    }
  a->n_trimmed = n_in - n;
  if (!gb_causal_check_inputs (y, t, n, 2, "The trimmed sample", error))
    {
      g_prefix_error (error, "After trimming to [%g, %g] (%" G_GSIZE_FORMAT " rows dropped): ",
                      o->trim_alpha, 1.0 - o->trim_alpha, a->n_trimmed);
      return NULL;
    }
  if (a->n_trimmed > 0)
    {
      g_autofree char *lo = gb_causal_fmt (o->trim_alpha), *hi = gb_causal_fmt (1.0 - o->trim_alpha);
      g_ptr_array_add (a->notes,
                       g_strdup_printf ("%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " rows with a "
                                        "propensity score outside [%s, %s] were dropped before "
                                        "estimation (Crump et al. 2009); the estimates refer to "
                                        "the rows that remain.", a->n_trimmed, n_in, lo, hi));
    }

  /* constant columns after trimming would make the models singular */
  keep_col = g_new0 (guint8, p_in);
  for (gsize j = 0; j < p_in; j++)
    {
      keep_col[j] = j == 0;
      for (gsize i = 1; i < n && !keep_col[j]; i++)
        keep_col[j] = X[i * p_in + j] != X[j];
      if (keep_col[j])
        g_ptr_array_add (names, (gpointer) (names_in ? names_in[j] : ""));
    }
  p = names->len;
  if (p < p_in)
    {
      for (gsize i = 0; i < n; i++)
        {
          gsize c = 0;
          for (gsize j = 0; j < p_in; j++)
            if (keep_col[j])
              X[i * p + c++] = X[i * p_in + j];
        }
      g_ptr_array_add (a->notes, g_strdup_printf ("%" G_GSIZE_FORMAT " covariate column(s) "
                                                  "constant in the rows used were left out.",
                                                  p_in - p));
    }

  for (gsize i = 0; i < n && binary; i++)
    binary = y[i] == 0.0 || y[i] == 1.0;
  a->binary_outcome = binary;

  /* 3. the estimators */
  mw = g_new0 (double, n);
  for (guint m = 0; m < GB_CAUSAL_N_METHODS; m++)
    {
      GbEstimate est;
      GError *local = NULL;
      if (!(o->methods & (1u << m)))
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!gb_causal_estimate_method (m, y, t, X, n, p, o, &est,
                                      m == GB_CAUSAL_PSM ? mw : NULL, &fell_back, &local)
          || (o->bootstrap > 0 && !bootstrap_estimate (m, y, t, X, n, p, o, &est, cancellable,
                                                       &local)))
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, local);
              return NULL;
            }
          g_ptr_array_add (a->notes, g_strdup_printf ("Estimator %s failed: %s",
                                                      gb_causal_method_to_string (m),
                                                      local->message));
          gb_estimate_clear (&est);
          est.method = g_strdup (gb_causal_method_to_string (m));
          est.estimand = g_strdup (gb_estimand_to_string (o->estimand));
          est.se_method = g_strdup ("failed");
          est.estimate = est.std_error = est.ci_low = est.ci_high = est.p_value = NAN;
          g_clear_error (&local);
          if (m == GB_CAUSAL_PSM)
            memset (mw, 0, n * sizeof (double));
        }
      g_array_append_val (a->estimates, est);
    }
  if (fell_back)
    g_ptr_array_add (a->notes, g_strdup ("The maximum-likelihood propensity model does not exist "
                                         "(quasi-separation); a ridge-penalised model (λ = 1) was "
                                         "used instead."));

  /* 4. balance under the IPW (Hájek) weights of the estimand, and after matching */
  e = g_new (double, n);
  w = g_new (double, n);
  {
    g_autoptr(GbLogisticFit) fit = propensity_with_fallback (X, t, n, p, o->l2, e, NULL, error);
    if (fit == NULL)
      return NULL;
  }
  gb_causal_ipw_weights (t, e, n, o->estimand, w);
  a->balance = gb_causal_balance (X, (const char *const *) names->pdata, t, w, n, p);
  gb_causal_effective_sample_size (t, w, n, &a->ess_treated, &a->ess_control);
  {
    gboolean any = FALSE;
    for (gsize i = 0; i < n && !any; i++)
      any = mw[i] > 0;
    if (any)
      a->balance_matching = gb_causal_balance (X, (const char *const *) names->pdata, t, mw, n, p);
    else
      {
        a->balance_matching = g_array_new (FALSE, TRUE, sizeof (GbBalanceRow));
        g_array_set_clear_func (a->balance_matching, (GDestroyNotify) gb_balance_row_clear);
      }
  }

  /* 5. refutations and the E-value of one estimator */
  if (o->refute_method >= 0 && o->refute_method < GB_CAUSAL_N_METHODS
      && (o->methods & (1u << o->refute_method)))
    refute_m = o->refute_method;
  else if (o->methods & (1u << GB_CAUSAL_AIPW))
    refute_m = GB_CAUSAL_AIPW;
  else
    for (guint m = 1; m < GB_CAUSAL_N_METHODS && refute_m < 0; m++)
      if (o->methods & (1u << m))
        refute_m = (int) m;
  if (refute_m < 0)
    refute_m = GB_CAUSAL_NAIVE;
  for (guint i = 0; i < a->estimates->len; i++)
    {
      const GbEstimate *ei = &g_array_index (a->estimates, GbEstimate, i);
      if (g_strcmp0 (ei->method, gb_causal_method_to_string (refute_m)) == 0)
        refute_est = ei;
    }
  a->refute_method = g_strdup (gb_causal_method_to_string (refute_m));
  if (refute_est && isfinite (refute_est->estimate))
    {
      GError *local = NULL;
      double baseline;
      if (binary)
        {
          double s = 0, c = 0;
          for (gsize i = 0; i < n; i++)
            if (t[i] == 0.0)
              s += y[i], c++;
          baseline = s / c;
        }
      else
        baseline = gsl_stats_sd (y, 1, n);
      if (!gb_causal_e_value (refute_est, binary, baseline, &a->e_value, &local))
        {
          g_ptr_array_add (a->notes, g_strdup_printf ("No E-value: %s", local->message));
          g_clear_error (&local);
          a->e_value.e_value = a->e_value.e_value_ci = a->e_value.risk_ratio = NAN;
        }
      if (o->refute_simulations > 0)
        gb_causal_refute (a, refute_m, refute_est, y, t, X, n, p, o, cancellable);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  else
    a->e_value.e_value = a->e_value.e_value_ci = a->e_value.risk_ratio = NAN;

  return g_steal_pointer (&a);
}
