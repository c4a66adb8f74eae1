/* gb-fairness-stats.c — Wilson intervals, proportion tests, Benjamini–
 * Hochberg, generalized entropy indices, percentile intervals and the
 * stratified bootstrap of confusion counts. */
#include "gb-config.h"
#include "gb-fairness.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void
gb_wilson_interval (double x, double n, double confidence, double *out_low, double *out_high)
{
  if (!(n > 0.0))
    {
      *out_low = *out_high = NAN;
      return;
    }
  const double z = gsl_cdf_ugaussian_Qinv ((1.0 - confidence) / 2.0);
  const double z2 = z * z;
  const double p = x / n;
  const double denom = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denom;
  const double half = z * sqrt (p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom;
  *out_low = MAX (0.0, centre - half);
  *out_high = MIN (1.0, centre + half);
}

double
gb_two_proportion_z_test (double x1, double n1, double x2, double n2, double *out_z)
{
  if (out_z)
    *out_z = NAN;
  if (!(n1 > 0.0) || !(n2 > 0.0))
    return NAN;
  const double pooled = (x1 + x2) / (n1 + n2);
  const double var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2);
  if (!(var > 0.0))
    {
      if (out_z)
        *out_z = 0.0;
      return 1.0;
    }
  const double z = (x1 / n1 - x2 / n2) / sqrt (var);
  if (out_z)
    *out_z = z;
  return MIN (1.0, 2.0 * gsl_cdf_ugaussian_Q (fabs (z)));
}

double
gb_fisher_exact_test (guint64 a, guint64 b, guint64 c, guint64 d)
{
  const guint64 r1 = a + b, r2 = c + d, c1 = a + c;
  const guint64 lo = c1 > r2 ? c1 - r2 : 0;
  const guint64 hi = MIN (r1, c1);
  if (r1 == 0 || r2 == 0 || c1 == 0 || c1 == r1 + r2)
    return 1.0;
  /* log pmf keeps large tables finite; gsl_ran_hypergeometric_pdf works in logs too */
  const double p_obs = gsl_ran_hypergeometric_pdf ((unsigned) a, (unsigned) r1, (unsigned) r2,
                                                   (unsigned) c1);
  double p = 0.0;
  for (guint64 k = lo; k <= hi; k++)
    {
      const double pk = gsl_ran_hypergeometric_pdf ((unsigned) k, (unsigned) r1, (unsigned) r2,
                                                    (unsigned) c1);
      if (pk <= p_obs * (1.0 + 1e-7))
        p += pk;
    }
  return MIN (1.0, p);
}

double
gb_proportion_test (guint64 x1, guint64 n1, guint64 x2, guint64 n2, int *out_test)
{
  if (out_test)
    *out_test = 0;
  if (n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2)
    return NAN;
  const double N = (double) (n1 + n2);
  const double s = (double) (x1 + x2), f = N - s;
  const double min_expected = MIN (MIN (n1, n2) * s / N, MIN (n1, n2) * f / N);
  if (min_expected < 5.0)
    {
      if (out_test)
        *out_test = GB_FAIRNESS_TEST_FISHER;
      return gb_fisher_exact_test (x1, n1 - x1, x2, n2 - x2);
    }
  if (out_test)
    *out_test = GB_FAIRNESS_TEST_Z;
  return gb_two_proportion_z_test (x1, n1, x2, n2, NULL);
}

double
gb_chi2_homogeneity_test (const double *x, const double *m, guint k, guint *out_df)
{
  double sx = 0.0, sm = 0.0, stat = 0.0;
  guint used = 0;

  for (guint g = 0; g < k; g++)
    if (m[g] > 0.0)
      {
        sx += x[g];
        sm += m[g];
        used++;
      }
  if (out_df)
    *out_df = used > 0 ? used - 1 : 0;
  if (used < 2)
    return NAN;
  const double p = sx / sm;
  if (p <= 0.0 || p >= 1.0)
    return 1.0;
  for (guint g = 0; g < k; g++)
    {
      if (!(m[g] > 0.0))
        continue;
      const double e1 = m[g] * p, e0 = m[g] * (1.0 - p);
      stat += (x[g] - e1) * (x[g] - e1) / e1 + (m[g] - x[g] - e0) * (m[g] - x[g] - e0) / e0;
    }
  return gsl_cdf_chisq_Q (stat, used - 1);
}

typedef struct {
  double p;
  gsize i;
} PIndex;

static int
cmp_pindex (const void *a, const void *b)
{
  const PIndex *x = a, *y = b;
  if (x->p < y->p)
    return -1;
  if (x->p > y->p)
    return 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

void
gb_benjamini_hochberg (const double *p, gsize m, double *out)
{
  g_autofree PIndex *v = g_new (PIndex, MAX (m, 1));
  gsize k = 0;

  for (gsize i = 0; i < m; i++)
    if (!isnan (p[i]))
      {
        v[k].p = p[i];
        v[k].i = i;
        k++;
      }
  for (gsize i = 0; i < m; i++)
    if (isnan (p[i]))
      out[i] = NAN;
  qsort (v, k, sizeof *v, cmp_pindex);
  double running = 1.0;
  for (gsize j = k; j-- > 0;)
    {
      const double q = MIN (1.0, v[j].p * (double) k / (double) (j + 1));
      running = MIN (running, q);
      out[v[j].i] = running;
    }
}

double
gb_generalized_entropy_weighted (const double *values, const double *weights, gsize k,
                                 double alpha)
{
  double n = 0.0, total = 0.0, sum = 0.0;

  for (gsize i = 0; i < k; i++)
    {
      n += weights[i];
      total += weights[i] * values[i];
    }
  if (!(n > 0.0) || !(total > 0.0))
    return NAN;
  const double mu = total / n;
  for (gsize i = 0; i < k; i++)
    {
      if (weights[i] == 0.0)
        continue;
      const double r = values[i] / mu;
      if (alpha == 1.0)
        sum += weights[i] * (r > 0.0 ? r * log (r) : 0.0);
      else if (alpha == 0.0)
        sum += weights[i] * (r > 0.0 ? -log (r) : INFINITY);
      else
        sum += weights[i] * (pow (r, alpha) - 1.0);
    }
  if (alpha == 1.0 || alpha == 0.0)
    return sum / n;
  return sum / (n * alpha * (alpha - 1.0));
}

double
gb_generalized_entropy_index (const double *b, gsize n, double alpha)
{
  g_autofree double *w = g_new (double, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    w[i] = 1.0;
  return gb_generalized_entropy_weighted (b, w, n, alpha);
}

static int
cmp_double (const void *a, const void *b)
{
  const double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
quantile_sorted (const double *v, gsize n, double q)
{
  const double h = (n - 1) * q;
  const gsize lo = (gsize) floor (h);
  const gsize hi = MIN (lo + 1, n - 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

void
gb_percentile_interval (double *values, gsize n, double confidence, gsize min_valid,
                        double *out_low, double *out_high)
{
  gsize k = 0;
  for (gsize i = 0; i < n; i++)
    if (!isnan (values[i]))
      values[k++] = values[i];
  if (k == 0 || k < min_valid)
    {
      *out_low = *out_high = NAN;
      return;
    }
  qsort (values, k, sizeof (double), cmp_double);
  *out_low = quantile_sorted (values, k, (1.0 - confidence) / 2.0);
  *out_high = quantile_sorted (values, k, (1.0 + confidence) / 2.0);
}

void
gb_fairness_bootstrap_counts (const double *counts, guint n_groups, guint replicates,
                              guint64 seed, double *out)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, (unsigned long) seed);
  for (guint b = 0; b < replicates; b++)
    for (guint g = 0; g < n_groups; g++)
      {
        const double *c = counts + g * 4;
        double *o = out + ((gsize) b * n_groups + g) * 4;
        const double m = c[0] + c[1] + c[2] + c[3];
        unsigned int draw[4];
        if (!(m > 0.0))
          {
            memset (o, 0, 4 * sizeof (double));
            continue;
          }
        gsl_ran_multinomial (rng, 4, (unsigned int) llround (m), c, draw);
        for (int j = 0; j < 4; j++)
          o[j] = draw[j];
      }
  gsl_rng_free (rng);
}
