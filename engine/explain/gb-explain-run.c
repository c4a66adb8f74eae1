/* gb-explain-run.c — run the chosen explainers on a GbModel. */
#include "gb-explain-run.h"
#include "gb-attention.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

static const char *const method_names[] = {
  "integrated_gradients", "kernel_shap", "lime", "gradient_input", "occlusion",
  "attention_rollout", NULL,
};

const char *const *
gb_explain_method_names (void)
{
  return method_names;
}

void
gb_explain_settings_init_default (GbExplainSettings *s)
{
  memset (s, 0, sizeof *s);
  s->class_index = 1;
  gb_ig_options_init_default (&s->ig);
  gb_kernel_shap_options_init_default (&s->shap);
  gb_lime_options_init_default (&s->lime);
  s->background_size = 10;
  s->background_kmeans = TRUE;
  s->background_pool = 1000;
  s->faithfulness = TRUE;
  s->seed = 42;
}

void
gb_explain_settings_clear (GbExplainSettings *s)
{
  g_clear_pointer (&s->methods, g_strfreev);
}

gboolean
gb_explain_check_methods (const char *const *methods, GError **error)
{
  for (guint i = 0; methods && methods[i]; i++)
    {
      if (!g_strv_contains (method_names, methods[i]))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) method_names);
          g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Unknown explainer “%s”; choose from %s", methods[i], known);
          return FALSE;
        }
    }
  return TRUE;
}

void
gb_explain_run_free (GbExplainRun *run)
{
  if (run == NULL)
    return;
  g_clear_pointer (&run->ig, gb_ig_result_free);
  g_clear_pointer (&run->explanations, g_ptr_array_unref);
  g_clear_pointer (&run->background, gb_background_free);
  g_free (run);
}

const GbExplanation *
gb_explain_run_lookup (const GbExplainRun *run, const char *method)
{
  for (guint i = 0; run && run->explanations && i < run->explanations->len; i++)
    {
      const GbExplanation *e = g_ptr_array_index (run->explanations, i);
      if (g_strcmp0 (e->method, method) == 0)
        return e;
    }
  return NULL;
}

typedef struct {
  GbProgressFunc progress;
  gpointer user_data;
  double lo, hi;
  const char *message;
} Stage;

static void
stage_progress (double fraction, const char *message, gpointer data)
{
  Stage *st = data;
  if (st->progress)
    st->progress (st->lo + (st->hi - st->lo) * CLAMP (fraction, 0, 1), st->message, st->user_data);
}

GbExplainRun *
gb_explain_run (GbModel *model, GbDataset *ds, const gsize *rows, gsize n_rows,
                const gsize *pool_rows, gsize n_pool, const GbExplainSettings *settings,
                GCancellable *cancellable, GbProgressFunc progress, gpointer user_data,
                GError **error)
{
  static const char *const default_methods[] = { "integrated_gradients", "kernel_shap", NULL };
  GbExplainSettings def;
  const GbExplainSettings *s = settings;
  GbExplainTarget t;

  g_return_val_if_fail (GB_IS_MODEL (model) && GB_IS_DATASET (ds), NULL);
  if (s == NULL)
    {
      gb_explain_settings_init_default (&def);
      s = &def;
    }
  const char *const *methods = s->methods ? (const char *const *) s->methods : default_methods;
  if (!gb_explain_check_methods (methods, error))
    return NULL;
  if (s->class_index >= gb_model_get_n_classes (model))
    {
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Explanations: class %u does not exist (the model has %u classes)",
                   s->class_index, gb_model_get_n_classes (model));
      return NULL;
    }
  if (n_pool == 0)
    {
      g_set_error_literal (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "Explanations need training rows for the background set; the "
                           "training split is empty");
      return NULL;
    }

  gb_explain_target_init_model (&t, model, s->class_index);
  const guint M = t.n_units;
  const gsize TC = (gsize) t.T * t.C;
  g_autofree const char **names = g_new0 (const char *, M + 1);
  for (guint j = 0; j < M; j++)
    names[j] = gb_model_get_feature_name (model, j);

  g_autoptr(GbExplainRun) run = g_new0 (GbExplainRun, 1);
  run->explanations = g_ptr_array_new_with_free_func ((GDestroyNotify) gb_explanation_free);

  /* rows to explain, and the background candidates (a random subset of the pool) */
  g_autofree float *x = g_new (float, MAX (n_rows, 1) * TC);
  if (n_rows > 0)
    gb_model_embed_rows (model, ds, rows, n_rows, x);
  const gsize n_cand = MIN ((gsize) MAX (s->background_pool, 1u), n_pool);
  g_autofree gsize *cand = g_memdup2 (pool_rows, n_pool * sizeof (gsize));
  {
    gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
    gsl_rng_set (rng, s->seed);
    for (gsize i = 0; i < n_cand; i++)
      {
        gsize j = i + gsl_rng_uniform_int (rng, n_pool - i);
        gsize tmp = cand[i];
        cand[i] = cand[j];
        cand[j] = tmp;
      }
    gsl_rng_free (rng);
  }
  g_autofree float *cand_emb = g_new (float, n_cand * TC);
  gb_model_embed_rows (model, ds, cand, n_cand, cand_emb);
  run->background = s->background_kmeans
    ? gb_background_kmeans (cand_emb, cand, n_cand, t.T, t.C, t.first_unit,
                            MAX (s->background_size, 1u), s->seed)
    : gb_background_sample (cand_emb, cand, n_cand, t.T, t.C, MAX (s->background_size, 1u),
                            s->seed);

  const guint n_methods = g_strv_length ((char **) methods);
  for (guint k = 0; k < n_methods; k++)
    {
      const char *m = methods[k];
      Stage st = { progress, user_data, (double) k / n_methods, (k + 0.8) / n_methods, NULL };
      GbExplanation *e = NULL;
      gint64 t0 = g_get_monotonic_time ();

      if (gb_explain_run_lookup (run, m) != NULL)
        continue;   /* listed twice */
      if (strcmp (m, "integrated_gradients") == 0)
        {
          st.message = "Explaining rows with integrated gradients";
          run->ig = gb_integrated_gradients_target (&t, x, NULL, rows, n_rows, names, &s->ig,
                                                    cancellable, stage_progress, &st, error);
          if (run->ig == NULL)
            return NULL;
          e = gb_explanation_from_ig (run->ig, (g_get_monotonic_time () - t0) / 1e6);
        }
      else if (strcmp (m, "kernel_shap") == 0)
        {
          GbKernelShapOptions o = s->shap;
          st.message = "Explaining rows with KernelSHAP";
          if (o.seed == 0)
            o.seed = s->seed;
          e = gb_kernel_shap (&t, x, rows, n_rows, run->background, names, &o, cancellable,
                              stage_progress, &st, error);
        }
      else if (strcmp (m, "lime") == 0)
        {
          GbLimeOptions o = s->lime;
          const gsize n_lime_pool = n_cand;
          g_autofree gint32 *xb = g_new (gint32, MAX (n_rows, 1) * M);
          g_autofree gint32 *pb = g_new (gint32, n_lime_pool * M);
          st.message = "Explaining rows with LIME";
          o.seed = s->seed;
          gb_lime_quartile_bins (ds, names, M, pool_rows, n_pool, rows, n_rows, xb);
          gb_lime_quartile_bins (ds, names, M, pool_rows, n_pool, cand, n_lime_pool, pb);
          e = gb_lime (&t, x, xb, rows, n_rows, cand_emb, pb, n_lime_pool, names, &o,
                       cancellable, stage_progress, &st, error);
        }
      else if (strcmp (m, "gradient_input") == 0)
        e = gb_gradient_input (&t, x, rows, n_rows, names, error);
      else if (strcmp (m, "occlusion") == 0)
        e = gb_occlusion (&t, x, rows, n_rows, run->background, names, cancellable, error);
      else if (strcmp (m, "attention_rollout") == 0)
        {
          /* the softmax attention maps of one forward pass per row
           * (gb_model_attention_embedded), rolled out from [CLS] */
          const guint L = gb_model_get_config (model)->n_layers;
          const guint H = gb_model_get_config (model)->n_heads;
          const guint K = gb_model_get_n_classes (model);
          g_autofree float *att = g_new (float, MAX (n_rows, 1) * L * H * t.T * t.T);
          g_autofree float *pk = g_new (float, MAX (n_rows, 1) * K);
          g_autofree double *pred = g_new (double, MAX (n_rows, 1));
          gb_model_attention_embedded (model, x, NULL, n_rows, att, pk);
          for (gsize i = 0; i < n_rows; i++)
            pred[i] = pk[i * K + s->class_index];
          e = gb_attention_rollout_explain (&t, att, L, H, rows, pred, n_rows, names);
          e->seconds = (g_get_monotonic_time () - t0) / 1e6;
        }
      if (e == NULL)
        return NULL;
      g_ptr_array_add (run->explanations, e);
      e->unit_values = g_new (double, MAX (n_rows, 1) * M);
      for (guint j = 0; j < M; j++)
        {
          int ci = gb_dataset_find_column (ds, names[j]);
          const GbColumn *col = ci >= 0 ? gb_dataset_get_column (ds, ci) : NULL;
          for (gsize i = 0; i < n_rows; i++)
            e->unit_values[i * M + j] = col && col->numeric ? col->numeric[rows[i]] : NAN;
        }
      if (s->faithfulness
          && !gb_explain_faithfulness (e, &t, x, run->background, cancellable, error))
        return NULL;
      if (progress)
        progress ((k + 1.0) / n_methods, "Explanations", user_data);
    }
  return g_steal_pointer (&run);
}
