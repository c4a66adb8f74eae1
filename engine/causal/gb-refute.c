/* gb-refute.c — refutations of a causal estimate, as DoWhy's refuters.
 *
 * placebo_treatment     the treatment randomly permuted: the effect should vanish
 * random_common_cause   an independent N(0, 1) covariate added: the estimate
 *                       should not move
 * data_subset           random 80 % subsets: the estimate should not move
 *
 * Each re-estimates S times (seeded GSL mt19937) and reports the mean, the
 * SD and the p-value of the original estimate in the normal distribution
 * fitted to the re-estimates (DoWhy's CausalRefuter.test_significance with
 * the normal approximation; Sharma & Kiciman 2020, arXiv:2011.04216).
 */
#include "gb-config.h"
#include "gb-causal-private.h"
#include "gb-metrics.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

typedef enum { PLACEBO, COMMON_CAUSE, SUBSET } Kind;

static const char *const kind_names[] = { "placebo_treatment", "random_common_cause", "data_subset" };

static void
refute_one (GbCausalAnalysis *an, Kind kind, GbCausalMethod method, const GbEstimate *orig,
            const double *y, const double *t, const double *X, gsize n, gsize p,
            const GbCausalOptions *o, GCancellable *cancellable)
{
  const guint S = o->refute_simulations;
  const gsize q = kind == COMMON_CAUSE ? p + 1 : p;
  const gsize m = kind == SUBSET ? MAX ((gsize) (0.8 * (double) n), 4) : n;
  g_autofree double *yb = g_new (double, n), *tb = g_new (double, n), *Xb = g_new (double, n * q);
  g_autofree double *vals = g_new (double, MAX (S, 1));
  g_autofree gsize *idx = g_new (gsize, n);
  g_autofree char *s_mean = NULL, *s_orig = NULL, *s_p = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  GbRefutation r = { 0 };
  guint ok = 0;
  GbCausalOptions oo = *o;

  oo.bootstrap = 0;
  gsl_rng_set (rng, (unsigned long) (o->seed + 104729u * (kind + 1u)));
  for (gsize i = 0; i < n; i++)
    idx[i] = i;
  for (guint s = 0; s < S; s++)
    {
      GbEstimate est;
      if (g_cancellable_is_cancelled (cancellable))
        break;
      if (kind == SUBSET)
        gsl_ran_shuffle (rng, idx, n, sizeof (gsize));
      for (gsize i = 0; i < m; i++)
        {
          gsize r0 = idx[i];
          yb[i] = y[r0];
          tb[i] = t[r0];
          memcpy (Xb + i * q, X + r0 * p, p * sizeof (double));
          if (kind == COMMON_CAUSE)
            Xb[i * q + p] = gsl_ran_gaussian (rng, 1.0);
        }
      if (kind == PLACEBO)
        gsl_ran_shuffle (rng, tb, m, sizeof (double));
      if (gb_causal_estimate_method (method, yb, tb, Xb, m, q, &oo, &est, NULL, NULL, NULL)
          && isfinite (est.estimate))
        vals[ok++] = est.estimate;
      gb_estimate_clear (&est);
    }
  gsl_rng_free (rng);

  r.name = g_strdup (kind_names[kind]);
  r.n_simulations = ok;
  if (ok >= 2)
    {
      r.estimate = gsl_stats_mean (vals, 1, ok);
      r.std_dev = gsl_stats_sd_m (vals, 1, ok, r.estimate);
      r.p_value = r.std_dev > 0 ? gb_normal_two_sided_p ((orig->estimate - r.estimate) / r.std_dev)
                                : (orig->estimate == r.estimate ? 1.0 : 0.0);
    }
  else
    r.estimate = r.std_dev = r.p_value = NAN;
  s_mean = gb_causal_fmt (r.estimate);
  s_orig = gb_causal_fmt (orig->estimate);
  if (r.p_value < 0.001)
    s_p = g_strdup ("p < 0.001");
  else
    {
      g_autofree char *v = gb_causal_fmt (r.p_value);
      s_p = g_strdup_printf ("p = %s", v);
    }
  if (ok < 2)
    r.sentence = g_strdup_printf ("The %s estimator failed on the modified data, so this check "
                                  "could not be made.", gb_causal_method_to_string (method));
  else if (kind == PLACEBO)
    {
      r.passed = r.p_value < 0.05;
      r.sentence = r.passed
        ? g_strdup_printf ("With the treatment shuffled at random the estimated effect averages %s "
                           "(it should be near 0); the real estimate %s lies far outside that "
                           "spread (%s), so it is not an artefact of the method.",
                           s_mean, s_orig, s_p)
        : g_strdup_printf ("With the treatment shuffled at random the estimated effect averages %s; "
                           "the real estimate %s is within that spread (%s), so the data "
                           "cannot tell it apart from no effect.", s_mean, s_orig, s_p);
    }
  else if (kind == COMMON_CAUSE)
    {
      r.passed = r.p_value >= 0.05;
      r.sentence = r.passed
        ? g_strdup_printf ("Adding a covariate of pure noise leaves the estimate at %s on average "
                           "(original %s, %s): it is stable, as it should be.",
                           s_mean, s_orig, s_p)
        : g_strdup_printf ("Adding a covariate of pure noise moves the estimate to %s on average "
                           "(original %s, %s): the estimator is unstable here.",
                           s_mean, s_orig, s_p);
    }
  else
    {
      r.passed = r.p_value >= 0.05;
      r.sentence = r.passed
        ? g_strdup_printf ("On random 80 %% subsets of the rows the estimate averages %s "
                           "(original %s, %s): it does not hinge on a few rows.",
                           s_mean, s_orig, s_p)
        : g_strdup_printf ("On random 80 %% subsets of the rows the estimate averages %s "
                           "(original %s, %s): it depends on which rows are included.",
                           s_mean, s_orig, s_p);
    }
  g_array_append_val (an->refutations, r);
}

void
gb_causal_refute (GbCausalAnalysis *analysis, GbCausalMethod method, const GbEstimate *original,
                  const double *y, const double *t, const double *X, gsize n, gsize p,
                  const GbCausalOptions *options, GCancellable *cancellable)
{
  for (Kind k = PLACEBO; k <= SUBSET; k++)
    refute_one (analysis, k, method, original, y, t, X, n, p, options, cancellable);
}
