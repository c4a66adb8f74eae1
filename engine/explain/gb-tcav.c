/* gb-tcav.c — testing with concept activation vectors (Kim et al. 2018). */
#include "gb-tcav.h"
#include "gb-logistic.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

void
gb_tcav_result_free (GbTcavResult *result)
{
  if (result == NULL)
    return;
  g_free (result->concept);
  g_free (result->scores);
  g_free (result->random_scores);
  g_free (result);
}

double
gb_t_test_ind (const double *a, gsize na, const double *b, gsize nb, double *t_out)
{
  double ma = 0, mb = 0, va = 0, vb = 0, sp, t;

  for (gsize i = 0; i < na; i++)
    ma += a[i] / na;
  for (gsize i = 0; i < nb; i++)
    mb += b[i] / nb;
  for (gsize i = 0; i < na; i++)
    va += (a[i] - ma) * (a[i] - ma);
  for (gsize i = 0; i < nb; i++)
    vb += (b[i] - mb) * (b[i] - mb);
  sp = (va + vb) / (double) (na + nb - 2);
  if (!(sp > 0))
    {
      t = ma == mb ? 0 : (ma > mb ? INFINITY : -INFINITY);
      if (t_out)
        *t_out = t;
      return ma == mb ? 1.0 : 0.0;
    }
  t = (ma - mb) / sqrt (sp * (1.0 / na + 1.0 / nb));
  if (t_out)
    *t_out = t;
  return 2.0 * gsl_cdf_tdist_Q (fabs (t), (double) (na + nb - 2));
}

/* CAV of @pos against @neg: the weights (without intercept) of a ridge
 * logistic regression; then the share of gradients with a positive
 * directional derivative. */
static gboolean
cav_score (const double *pos, gsize np, const double *neg, gsize nn, const double *grads,
           gsize n_x, guint D, double l2, double *score, GError **error)
{
  const gsize n = np + nn, p = (gsize) D + 1;
  g_autofree double *X = g_new (double, n * p);
  g_autofree double *y = g_new (double, n);
  gsize hits = 0;

  for (gsize i = 0; i < n; i++)
    {
      const double *src = i < np ? pos + i * D : neg + (i - np) * D;
      X[i * p] = 1.0;
      memcpy (X + i * p + 1, src, D * sizeof (double));
      y[i] = i < np ? 1.0 : 0.0;
    }
  g_autoptr(GbLogisticFit) fit = gb_logistic_fit (X, y, NULL, n, p, l2, error);
  if (fit == NULL)
    return FALSE;
  for (gsize k = 0; k < n_x; k++)
    {
      double d = 0;
      for (guint j = 0; j < D; j++)
        d += grads[k * D + j] * fit->coef[j + 1];
      hits += d > 0;
    }
  *score = (double) hits / n_x;
  return TRUE;
}

GbTcavResult *
gb_tcav (const char *concept_name, const double *concept, gsize n_concept, const double *random,
         guint n_random_sets, gsize n_random, const double *grads, gsize n_x, guint D,
         guint class_index, double l2, GError **error)
{
  const guint R = n_random_sets;

  if (R < 3 || n_concept < 2 || n_random < 2 || n_x == 0 || D == 0)
    {
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "TCAV needs at least 3 random sets (10 recommended), 2 concept and 2 random "
                   "examples and one class example; got %u sets, %" G_GSIZE_FORMAT " concept, %"
                   G_GSIZE_FORMAT " random, %" G_GSIZE_FORMAT " class examples",
                   R, n_concept, n_random, n_x);
      return NULL;
    }
  g_autoptr(GbTcavResult) res = g_new0 (GbTcavResult, 1);
  res->concept = g_strdup (concept_name ? concept_name : "concept");
  res->class_index = class_index;
  res->n_runs = R;
  res->scores = g_new (double, R);
  res->random_scores = g_new (double, R);
  for (guint r = 0; r < R; r++)
    {
      const double *neg = random + (gsize) r * n_random * D;
      const double *other = random + (gsize) ((r + 1) % R) * n_random * D;
      GError *err = NULL;
      if (!cav_score (concept, n_concept, neg, n_random, grads, n_x, D, l2, &res->scores[r], &err)
          || !cav_score (other, n_random, neg, n_random, grads, n_x, D, l2,
                         &res->random_scores[r], &err))
        {
          g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_NUMERIC,
                       "TCAV: the concept activation vector of run %u could not be fit (%s)",
                       r + 1, err->message);
          g_error_free (err);
          return NULL;
        }
    }
  res->score = res->random_score = 0;
  for (guint r = 0; r < R; r++)
    {
      res->score += res->scores[r] / R;
      res->random_score += res->random_scores[r] / R;
    }
  double v = 0;
  for (guint r = 0; r < R; r++)
    v += (res->scores[r] - res->score) * (res->scores[r] - res->score);
  res->score_sd = sqrt (v / (R - 1));
  res->p_value = gb_t_test_ind (res->scores, R, res->random_scores, R, NULL);
  res->significant = res->p_value <= 0.05;
  return g_steal_pointer (&res);
}
