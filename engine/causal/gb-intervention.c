/* gb-intervention.c — interventions do(A = a) on a trained model's input.
 *
 * Tokens: gb_model_embed_rows() gives the (B, T, C) input tokens; token
 * j + 1 of a categorical feature j is its level's table row, a function of
 * that cell only, so do(A = a) replaces it by the token of level a (read off
 * a dataset row that has level a) and runs gb_model_forward_embedded().
 * The interval is a percentile bootstrap over rows (Efron & Tibshirani
 * 1993) of the per-row changes, with the model held fixed.
 */
#include "gb-config.h"
#include "gb-intervention.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#define GB_INTERVENTION_CHUNK 512

void
gb_model_intervention_clear (GbModelIntervention *mi)
{
  if (mi == NULL)
    return;
  g_clear_pointer (&mi->attribute, g_free);
  g_clear_pointer (&mi->value, g_free);
}

/* P(class k) for rows, with token @tok of feature @feat replaced by @token
 * (C floats) when @token is non-NULL. */
static void
predict_tokens (GbModel *model, GbDataset *ds, const gsize *rows, gsize n, int feat,
                const float *token, guint k, double *out)
{
  const gsize T = gb_model_get_seq_len (model), C = gb_model_get_d_model (model);
  const guint K = gb_model_get_n_classes (model);
  g_autofree float *emb = g_new (float, GB_INTERVENTION_CHUNK * T * C);
  g_autofree float *probs = g_new (float, GB_INTERVENTION_CHUNK * K);

  for (gsize s = 0; s < n; s += GB_INTERVENTION_CHUNK)
    {
      gsize B = MIN ((gsize) GB_INTERVENTION_CHUNK, n - s);
      gb_model_embed_rows (model, ds, rows + s, B, emb);
      if (token != NULL && feat >= 0)
        for (gsize b = 0; b < B; b++)
          memcpy (emb + (b * T + (gsize) feat + 1) * C, token, C * sizeof (float));
      gb_model_forward_embedded (model, emb, B, probs);
      for (gsize b = 0; b < B; b++)
        out[s + b] = probs[b * K + k];
    }
}

GArray *
gb_causal_model_interventions (GbModel *model, GbDataset *ds, const char *attribute,
                               const gsize *rows, gsize n_rows, guint positive_class,
                               guint bootstrap, guint64 seed, GCancellable *cancellable,
                               GError **error)
{
  const gsize T = gb_model_get_seq_len (model), C = gb_model_get_d_model (model);
  int ci = gb_dataset_find_column (ds, attribute), feat = -1;
  const GbColumn *col;
  g_autofree double *p0 = NULL, *pa = NULL, *d = NULL, *boot = NULL;
  g_autofree float *emb1 = NULL;
  GArray *out;
  gsl_rng *rng;

  if (ci < 0)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Model intervention: unknown column “%s”", attribute);
      return NULL;
    }
  col = gb_dataset_get_column (ds, (guint) ci);
  if (col->type != GB_COLUMN_CATEGORICAL || col->levels == NULL || col->levels->len == 0)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Model intervention: “%s” is not a categorical column; do(A = a) is "
                   "defined here for categorical attributes", attribute);
      return NULL;
    }
  if (n_rows == 0 || positive_class >= gb_model_get_n_classes (model))
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Model intervention on “%s”: no rows, or class %u out of range",
                   attribute, positive_class);
      return NULL;
    }
  for (guint j = 0; j < gb_model_get_n_features (model); j++)
    if (g_strcmp0 (gb_model_get_feature_name (model, j), attribute) == 0)
      feat = (int) j;

  p0 = g_new (double, n_rows);
  pa = g_new (double, n_rows);
  d = g_new (double, n_rows);
  boot = g_new (double, MAX (bootstrap, 2));
  emb1 = g_new (float, T * C);
  predict_tokens (model, ds, rows, n_rows, -1, NULL, positive_class, p0);

  out = g_array_new (FALSE, TRUE, sizeof (GbModelIntervention));
  g_array_set_clear_func (out, (GDestroyNotify) gb_model_intervention_clear);
  rng = gsl_rng_alloc (gsl_rng_mt19937);
  for (guint lev = 0; lev < col->levels->len; lev++)
    {
      GbModelIntervention mi = { 0 };
      gsize example = G_MAXSIZE, flips = 0;
      double sum = 0, sump = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          gsl_rng_free (rng);
          g_array_unref (out);
          return NULL;
        }
      for (gsize i = 0; i < col->n_rows && example == G_MAXSIZE; i++)
        if (col->codes[i] == (gint32) lev)
          example = i;
      mi.attribute = g_strdup (attribute);
      mi.value = g_strdup (g_ptr_array_index (col->levels, lev));
      mi.n_rows = n_rows;
      for (gsize r = 0; r < n_rows; r++)
        mi.n_already += col->codes[rows[r]] == (gint32) lev;
      if (feat >= 0 && example != G_MAXSIZE)
        {
          gb_model_embed_rows (model, ds, &example, 1, emb1);
          predict_tokens (model, ds, rows, n_rows, feat, emb1 + ((gsize) feat + 1) * C,
                          positive_class, pa);
        }
      else
        memcpy (pa, p0, n_rows * sizeof (double));
      for (gsize r = 0; r < n_rows; r++)
        {
          d[r] = pa[r] - p0[r];
          sum += d[r];
          sump += pa[r];
          flips += (pa[r] >= 0.5) != (p0[r] >= 0.5);
        }
      mi.mean_change = sum / (double) n_rows;
      mi.mean_probability = sump / (double) n_rows;
      mi.flip_rate = (double) flips / (double) n_rows;
      gsl_rng_set (rng, (unsigned long) (seed + 31u * lev));
      for (guint b = 0; b < MAX (bootstrap, 2); b++)
        {
          double s = 0;
          for (gsize r = 0; r < n_rows; r++)
            s += d[gsl_rng_uniform_int (rng, (unsigned long) n_rows)];
          boot[b] = s / (double) n_rows;
        }
      gsl_sort (boot, 1, MAX (bootstrap, 2));
      mi.ci_low = gsl_stats_quantile_from_sorted_data (boot, 1, MAX (bootstrap, 2), 0.025);
      mi.ci_high = gsl_stats_quantile_from_sorted_data (boot, 1, MAX (bootstrap, 2), 0.975);
      g_array_append_val (out, mi);
    }
  gsl_rng_free (rng);
  return out;
}
