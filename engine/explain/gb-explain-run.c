/* gb-explain-run.c — run the chosen explainers on a GbModel. */
#include "gb-explain-run.h"
#include "gb-attention.h"
#include "gb-explain-text.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

static const char *const method_names[] = {
  "integrated_gradients", "kernel_shap", "lime", "gradient_input", "occlusion",
  "attention_rollout", NULL,
};

/* what runs when the settings name no method */
static const char *const default_methods[] = { "integrated_gradients", "kernel_shap", NULL };

const char *const *
gb_explain_method_names (void)
{
  return method_names;
}

const char *const *
gb_explain_default_method_names (void)
{
  return default_methods;
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

/* ---- text and text+feature models: every method runs row by row on the
 * row's own units (features, then its word pieces) with its attention mask,
 * and the one-row results are merged into explanations of U = F + the
 * longest row's tokens units, zero beyond each row's tokens (padding). */

/* Copies the one-row explanation @src into row @i of @dst (faithfulness
 * curves padded with their last value: deleting padding changes nothing). */
static void
merge_text_row (GbExplanation *dst, gsize i, const GbExplanation *src, char **tokens)
{
  GbAttributionRow *d = &dst->rows[i];
  const GbAttributionRow *r = &src->rows[0];
  const guint U = dst->n_units, M = MIN (src->n_units, U);

  d->row = r->row;
  d->prediction = r->prediction;
  d->base_value = r->base_value;
  /* a row without units (M = 0: no features, empty text) has NULL arrays */
  if (U > 0)
    memset (d->values, 0, U * sizeof (double));
  if (M > 0)
    memcpy (d->values, r->values, M * sizeof (double));
  if (r->std_errors && U > 0)
    {
      d->std_errors = g_new0 (double, U);
      if (M > 0)
        memcpy (d->std_errors, r->std_errors, M * sizeof (double));
    }
  d->completeness_residual = r->completeness_residual;
  d->fidelity_r2 = r->fidelity_r2;
  d->n_evaluations = r->n_evaluations;
  d->steps = r->steps;
  d->tokens = g_strdupv (tokens);
  dst->n_evaluations += src->n_evaluations;
  dst->exact = (i == 0 || dst->exact) && src->exact;
  if (!isnan (src->stability))
    dst->stability = (isnan (dst->stability) ? 0 : dst->stability) + src->stability / dst->n_rows;
  /* the description of the row with the most units (a row of one or no
   * unit describes a degenerate case, not the method as run) */
  guint most = 0;
  for (gsize q = 0; q < i; q++)
    most = MAX (most, dst->n_feature_units + (dst->rows[q].tokens
                                              ? g_strv_length (dst->rows[q].tokens) : 0));
  if (i == 0 || src->n_units > most)
    {
      g_free (dst->description);
      dst->description = g_strdup (src->description);
    }
  if (src->deletion_curve && dst->deletion_curve)
    {
      for (guint k = 0; k <= U; k++)
        {
          dst->deletion_curve[k] += src->deletion_curve[MIN (k, src->n_units)] / dst->n_rows;
          dst->insertion_curve[k] += src->insertion_curve[MIN (k, src->n_units)] / dst->n_rows;
        }
      dst->deletion_aopc = (i == 0 ? 0 : dst->deletion_aopc) + src->deletion_aopc / dst->n_rows;
      dst->insertion_aopc = (i == 0 ? 0 : dst->insertion_aopc) + src->insertion_aopc / dst->n_rows;
    }
}

static void
merge_ig_row (GbIgResult *dst, gsize i, gsize n_total, const GbIgResult *src, char **tokens)
{
  GbIgRow *d = &dst->rows[i];
  const GbIgRow *r = &src->rows[0];

  *d = *r;
  d->attributions = g_new0 (double, dst->n_features);
  if (MIN (src->n_features, dst->n_features) > 0)
    memcpy (d->attributions, r->attributions,
            MIN (src->n_features, dst->n_features) * sizeof (double));
  d->tokens = g_strdupv (tokens);
  for (guint j = 0; j < dst->n_features; j++)
    dst->global[j] += fabs (d->attributions[j]) / n_total;
  dst->n_rows = i + 1;
  if (i == 0)
    {
      dst->steps = src->steps;
      dst->rule = src->rule;
      dst->tolerance = src->tolerance;
      dst->class_index = src->class_index;
    }
}

/* One method on row @i of @tr: a one-row explanation (and, for integrated
 * gradients, *@ig_out). */
static GbExplanation *
text_method_row (const char *m, GbModel *model, const GbTextRows *tr, gsize i, gsize row_id,
                 guint class_index, const GbExplainSettings *s, const GbBackground *run_bg,
                 const GbBackground *tbg, GbIgResult **ig_out, GCancellable *cancellable,
                 GError **error)
{
  const gsize TC = (gsize) tr->T * tr->C;
  const float *x = tr->x + i * TC;
  GbExplainTarget t;
  gint64 t0 = g_get_monotonic_time ();
  g_autofree const char **names = gb_text_rows_unit_names (tr, i, model);
  GbExplanation *e = NULL;

  gb_text_rows_target (tr, i, model, class_index, &t);
  if (strcmp (m, "integrated_gradients") == 0)
    {
      GbIgBaseline kind = s->ig.baseline == GB_IG_BASELINE_DEFAULT ? GB_IG_BASELINE_MASK
                                                                   : s->ig.baseline;
      GbIgResult *ig;
      if (kind == GB_IG_BASELINE_EXPECTED)
        ig = gb_expected_gradients_target (&t, x, run_bg, &row_id, 1, names, &s->ig,
                                           cancellable, NULL, NULL, error);
      else
        {
          g_autofree float *xb = g_new (float, TC);
          if (!gb_text_rows_baseline (tr, i, kind, xb, error))
            return NULL;
          ig = gb_integrated_gradients_target (&t, x, xb, &row_id, 1, names, &s->ig,
                                               cancellable, NULL, NULL, error);
          if (ig)
            {
              g_free (ig->baseline);
              ig->baseline_kind = kind;
              ig->baseline = g_strdup (kind == GB_IG_BASELINE_ZERO
                                         ? "zero token embeddings ([CLS], [SEP] unchanged)"
                                       : kind == GB_IG_BASELINE_MEAN
                                         ? "the mean embedding of each position over the "
                                           "background candidates"
                                       : kind == GB_IG_BASELINE_PAD
                                         ? "the [PAD] embedding at every token position "
                                           "(mean embeddings for features)"
                                         : "the [MASK] embedding at every token position "
                                           "(mean embeddings for features)");
            }
        }
      if (ig == NULL)
        return NULL;
      e = gb_explanation_from_ig (ig, (g_get_monotonic_time () - t0) / 1e6);
      *ig_out = ig;
    }
  else if (strcmp (m, "kernel_shap") == 0)
    {
      GbKernelShapOptions o = s->shap;
      o.seed = (o.seed == 0 ? s->seed : o.seed) + i;
      e = gb_kernel_shap (&t, x, &row_id, 1, tbg, names, &o, cancellable, NULL, NULL, error);
    }
  else if (strcmp (m, "lime") == 0)
    {
      GbLimeOptions o = s->lime;
      o.seed = s->seed;
      e = gb_lime_text (&t, x, row_id, tbg->emb, names, &o, cancellable, error);
    }
  else if (strcmp (m, "gradient_input") == 0)
    e = gb_gradient_input (&t, x, &row_id, 1, names, error);
  else if (strcmp (m, "occlusion") == 0)
    e = gb_occlusion (&t, x, &row_id, 1, tbg, names, cancellable, error);
  else if (strcmp (m, "attention_rollout") == 0)
    {
      const guint L = gb_model_get_config (model)->n_layers;
      const guint H = gb_model_get_config (model)->n_heads;
      const guint K = gb_model_get_n_classes (model);
      g_autofree float *att = g_new (float, (gsize) L * H * tr->T * tr->T);
      g_autofree float *pk = g_new (float, K);
      double pred;
      gb_model_attention_embedded (model, x, t.mask, 1, att, pk);
      pred = pk[class_index];
      e = gb_attention_rollout_explain (&t, att, L, H, &row_id, &pred, 1, names);
    }
  if (e != NULL)
    e->seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (e != NULL && s->faithfulness
      && !gb_explain_faithfulness (e, &t, x, tbg, cancellable, error))
    g_clear_pointer (&e, gb_explanation_free);
  return e;
}

static gboolean
run_text (GbExplainRun *run, GbModel *model, GbDataset *ds, const gsize *rows, gsize n_rows,
          const guint *cls, const float *cand_emb, gsize n_cand, const GbExplainSettings *s,
          const char *const *methods, GCancellable *cancellable, GbProgressFunc progress,
          gpointer user_data, GError **error)
{
  g_autoptr(GbTextRows) tr = gb_text_rows_new (model, ds, rows, n_rows, cand_emb, n_cand, error);
  if (tr == NULL)
    return FALSE;
  g_autoptr(GbBackground) tbg = gb_text_background (tr, run->background);
  const guint F = tr->F;
  guint max_tokens = 0;
  for (gsize i = 0; i < n_rows; i++)
    max_tokens = MAX (max_tokens, tr->n_tokens[i]);
  const guint U = F + max_tokens;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (guint f = 0; f < F; f++)
    g_ptr_array_add (names, g_strdup (gb_model_get_feature_name (model, f)));
  for (guint k = 0; k < max_tokens; k++)
    g_ptr_array_add (names, g_strdup_printf ("token %u", k + 1));
  g_ptr_array_add (names, NULL);

  const guint n_methods = g_strv_length ((char **) methods);
  for (guint k = 0; k < n_methods; k++)
    {
      const char *m = methods[k];
      gint64 t0 = g_get_monotonic_time ();
      if (gb_explain_run_lookup (run, m) != NULL)
        continue;
      GbExplanation *e = gb_explanation_new (m, U, (const char *const *) names->pdata, n_rows);
      g_ptr_array_add (run->explanations, e);
      e->text = TRUE;
      e->n_feature_units = F;
      if (s->faithfulness)
        {
          e->deletion_curve = g_new0 (double, U + 1);
          e->insertion_curve = g_new0 (double, U + 1);
        }
      GbIgResult *ig_all = NULL;
      if (strcmp (m, "integrated_gradients") == 0)
        {
          ig_all = g_new0 (GbIgResult, 1);
          ig_all->n_features = U;
          ig_all->feature_names = g_strdupv ((char **) names->pdata);
          ig_all->rows = g_new0 (GbIgRow, MAX (n_rows, 1));
          ig_all->global = g_new0 (double, U);
          ig_all->text = TRUE;
          ig_all->n_feature_units = F;
          ig_all->class_index = n_rows > 0 ? cls[0] : s->class_index;
          ig_all->steps = s->ig.steps;
          ig_all->rule = s->ig.rule;
          ig_all->tolerance = s->ig.tolerance;
          ig_all->baseline_kind = s->ig.baseline == GB_IG_BASELINE_DEFAULT ? GB_IG_BASELINE_MASK
                                                                           : s->ig.baseline;
          g_clear_pointer (&run->ig, gb_ig_result_free);
          run->ig = ig_all;
        }
      for (gsize i = 0; i < n_rows; i++)
        {
          g_autoptr(GbIgResult) ig1 = NULL;
          g_autoptr(GbExplanation) e1 = text_method_row (m, model, tr, i, rows[i], cls[i], s,
                                                         run->background, tbg, &ig1,
                                                         cancellable, error);
          if (e1 == NULL)
            return FALSE;
          merge_text_row (e, i, e1, tr->tokens[i]);
          if (ig_all && ig1)
            {
              if (i == 0)
                {
                  ig_all->baseline = g_strdup (ig1->baseline);
                  ig_all->baseline_kind = ig1->baseline_kind;
                }
              merge_ig_row (ig_all, i, n_rows, ig1, tr->tokens[i]);
            }
          if (progress)
            progress ((k + (i + 1.0) / n_rows) / n_methods, "Explanations", user_data);
        }
      if (ig_all && ig_all->baseline == NULL)
        ig_all->baseline = g_strdup (gb_ig_baseline_to_string (ig_all->baseline_kind));
      gb_explanation_update_global (e);
      if (n_rows == 0)
        {
          g_free (e->description);
          e->description = g_strdup ("No rows to explain.");
        }
      else if (F == 0)
        {
          /* rows without a word piece (empty text) have nothing to attribute:
           * they keep their prediction and no values; say which */
          g_autoptr(GString) empty = g_string_new (NULL);
          guint n_empty = 0;
          for (gsize i = 0; i < n_rows; i++)
            if (tr->n_tokens[i] == 0)
              g_string_append_printf (empty, "%s%" G_GSIZE_FORMAT, n_empty++ ? ", " : "",
                                      rows[i]);
          if (n_empty > 0)
            {
              char *d = g_strdup_printf ("%s%s%s %s %s no word pieces to attribute the "
                                         "prediction to (empty text): no attributions.",
                                         e->description, *e->description ? " " : "",
                                         n_empty == 1 ? "Row" : "Rows", empty->str,
                                         n_empty == 1 ? "has" : "have");
              g_free (e->description);
              e->description = d;
            }
        }
      e->seconds = (g_get_monotonic_time () - t0) / 1e6;
      e->unit_values = g_new (double, MAX (n_rows, 1) * MAX (U, 1));
      for (guint j = 0; j < U; j++)
        {
          const GbColumn *col = NULL;
          if (j < F)
            {
              int ci = gb_dataset_find_column (ds, gb_model_get_feature_name (model, j));
              col = ci >= 0 ? gb_dataset_get_column (ds, ci) : NULL;
            }
          for (gsize i = 0; i < n_rows; i++)
            e->unit_values[i * U + j] = col && col->numeric ? col->numeric[rows[i]] : NAN;
        }
      if (progress)
        progress ((k + 1.0) / n_methods, "Explanations", user_data);
    }
  /* what "removed" meant for these rows */
  {
    char *d = g_strdup_printf ("%s; expected gradients use a %s", tbg->description,
                               run->background->description);
    g_free (run->background->description);
    run->background->description = d;
  }
  return TRUE;
}

/* The class each row explains: @class_index, or the argmax of the model's
 * probabilities for the row (GB_EXPLAIN_CLASS_PREDICTED; ties → lower). */
static gboolean
explain_row_classes (GbModel *model, GbDataset *ds, const gsize *rows, gsize n_rows,
                     guint class_index, guint *cls, GCancellable *cancellable, GError **error)
{
  const guint K = gb_model_get_n_classes (model);
  if (class_index != GB_EXPLAIN_CLASS_PREDICTED)
    {
      for (gsize i = 0; i < n_rows; i++)
        cls[i] = class_index;
      return TRUE;
    }
  if (n_rows == 0)
    return TRUE;
  g_autofree double *p = g_new (double, n_rows * K);
  if (!gb_model_predict_proba (model, ds, rows, n_rows, p, cancellable, error))
    {
      g_prefix_error (error, "Explanations (the rows' predicted classes): ");
      return FALSE;
    }
  for (gsize i = 0; i < n_rows; i++)
    {
      cls[i] = 0;
      for (guint c = 1; c < K; c++)
        if (p[i * K + c] > p[i * K + cls[i]])
          cls[i] = c;
    }
  return TRUE;
}

/* Moves the explanations of @part (rows where[0 .. n_sub−1] of the @n_rows
 * asked for, one class) into @run. */
static void
merge_class_part (GbExplainRun *run, GbExplainRun *part, const gsize *where, gsize n_sub,
                  gsize n_rows)
{
  const double w = (double) n_sub / n_rows;

  if (run->background == NULL)
    run->background = g_steal_pointer (&part->background);
  for (guint k = 0; k < part->explanations->len; k++)
    {
      const GbExplanation *src = g_ptr_array_index (part->explanations, k);
      GbExplanation *dst = (GbExplanation *) gb_explain_run_lookup (run, src->method);
      const guint M = src->n_units;
      if (dst == NULL)
        {
          dst = gb_explanation_new (src->method, M, (const char *const *) src->unit_names,
                                    n_rows);
          g_free (dst->description);
          dst->description = g_strdup (src->description);
          dst->exact = src->exact;
          dst->text = src->text;
          dst->n_feature_units = src->n_feature_units;
          if (src->deletion_curve && src->insertion_curve)
            {
              dst->deletion_curve = g_new0 (double, M + 1);
              dst->insertion_curve = g_new0 (double, M + 1);
              dst->deletion_aopc = dst->insertion_aopc = 0;
            }
          if (src->unit_values)
            dst->unit_values = g_new (double, n_rows * M);
          g_ptr_array_add (run->explanations, dst);
        }
      dst->seconds += src->seconds;
      dst->n_evaluations += src->n_evaluations;
      dst->exact = dst->exact && src->exact;
      if (!isnan (src->stability))
        dst->stability = (isnan (dst->stability) ? 0 : dst->stability) + w * src->stability;
      if (dst->deletion_curve && src->deletion_curve)
        {
          for (guint q = 0; q <= M; q++)
            {
              dst->deletion_curve[q] += w * src->deletion_curve[q];
              dst->insertion_curve[q] += w * src->insertion_curve[q];
            }
          dst->deletion_aopc += w * src->deletion_aopc;
          dst->insertion_aopc += w * src->insertion_aopc;
        }
      for (gsize r = 0; r < n_sub; r++)
        {
          GbAttributionRow *d = &dst->rows[where[r]];
          const GbAttributionRow *o = &src->rows[r];
          double *values = d->values;
          *d = *o;
          d->values = values;
          memcpy (d->values, o->values, M * sizeof (double));
          d->std_errors = o->std_errors ? g_memdup2 (o->std_errors, M * sizeof (double)) : NULL;
          d->tokens = g_strdupv (o->tokens);
          if (dst->unit_values && src->unit_values)
            memcpy (dst->unit_values + where[r] * M, src->unit_values + r * M,
                    M * sizeof (double));
        }
    }
  if (part->ig)
    {
      const GbIgResult *src = part->ig;
      if (run->ig == NULL)
        {
          GbIgResult *ig = g_new0 (GbIgResult, 1);
          *ig = *src;
          ig->feature_names = g_strdupv (src->feature_names);
          ig->baseline = g_strdup (src->baseline);
          ig->n_rows = n_rows;
          ig->rows = g_new0 (GbIgRow, n_rows);
          ig->global = g_new0 (double, src->n_features);
          run->ig = ig;
        }
      for (gsize r = 0; r < n_sub; r++)
        {
          GbIgRow *d = &run->ig->rows[where[r]];
          *d = src->rows[r];
          d->attributions = g_memdup2 (src->rows[r].attributions,
                                       src->n_features * sizeof (double));
          d->tokens = g_strdupv (src->rows[r].tokens);
        }
    }
}

/* Tabular rows whose explained classes differ: one batched run per class,
 * merged back into the order asked. */
static GbExplainRun *
explain_by_class (GbModel *model, GbDataset *ds, const gsize *rows, gsize n_rows,
                  const guint *cls, const gsize *pool_rows, gsize n_pool,
                  const GbExplainSettings *s, GCancellable *cancellable,
                  GbProgressFunc progress, gpointer user_data, GError **error)
{
  const guint K = gb_model_get_n_classes (model);
  g_autofree gsize *sub_rows = g_new (gsize, n_rows);
  g_autofree gsize *where = g_new (gsize, n_rows);
  g_autoptr(GbExplainRun) run = g_new0 (GbExplainRun, 1);
  guint n_groups = 0, g = 0;

  run->explanations = g_ptr_array_new_with_free_func ((GDestroyNotify) gb_explanation_free);
  for (guint c = 0; c < K; c++)
    for (gsize i = 0; i < n_rows; i++)
      if (cls[i] == c)
        {
          n_groups++;
          break;
        }
  for (guint c = 0; c < K; c++)
    {
      gsize n_sub = 0;
      for (gsize i = 0; i < n_rows; i++)
        if (cls[i] == c)
          {
            where[n_sub] = i;
            sub_rows[n_sub++] = rows[i];
          }
      if (n_sub == 0)
        continue;
      GbExplainSettings sub = *s;
      sub.class_index = c;
      Stage st = { progress, user_data, (double) g / n_groups, (g + 1.0) / n_groups,
                   "Explanations" };
      g_autoptr(GbExplainRun) part = gb_explain_run (model, ds, sub_rows, n_sub, pool_rows,
                                                     n_pool, &sub, cancellable,
                                                     progress ? stage_progress : NULL, &st,
                                                     error);
      if (part == NULL)
        return NULL;
      merge_class_part (run, part, where, n_sub, n_rows);
      g++;
    }
  for (guint k = 0; k < run->explanations->len; k++)
    gb_explanation_update_global (g_ptr_array_index (run->explanations, k));
  if (run->ig)
    for (guint j = 0; j < run->ig->n_features; j++)
      {
        double sum = 0;
        for (gsize i = 0; i < n_rows; i++)
          sum += fabs (run->ig->rows[i].attributions[j]);
        run->ig->global[j] = sum / n_rows;
      }
  return g_steal_pointer (&run);
}

/* Records each row's explained class in every result of @run. */
static void
set_row_classes (GbExplainRun *run, const guint *cls, gsize n_rows)
{
  for (guint k = 0; k < run->explanations->len; k++)
    {
      GbExplanation *e = g_ptr_array_index (run->explanations, k);
      for (gsize i = 0; i < MIN (n_rows, e->n_rows); i++)
        e->rows[i].class_index = cls[i];
    }
  for (gsize i = 0; run->ig && i < MIN (n_rows, run->ig->n_rows); i++)
    run->ig->rows[i].class_index = cls[i];
}

GbExplainRun *
gb_explain_run (GbModel *model, GbDataset *ds, const gsize *rows, gsize n_rows,
                const gsize *pool_rows, gsize n_pool, const GbExplainSettings *settings,
                GCancellable *cancellable, GbProgressFunc progress, gpointer user_data,
                GError **error)
{
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
  if (s->class_index != GB_EXPLAIN_CLASS_PREDICTED
      && s->class_index >= gb_model_get_n_classes (model))
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

  g_autofree guint *cls = g_new0 (guint, MAX (n_rows, 1));
  if (!explain_row_classes (model, ds, rows, n_rows, s->class_index, cls, cancellable, error))
    return NULL;
  gboolean one_class = TRUE;
  for (gsize i = 1; i < n_rows; i++)
    one_class = one_class && cls[i] == cls[0];
  if (!one_class && gb_model_get_text_column (model) == NULL)
    {
      GbExplainRun *run = explain_by_class (model, ds, rows, n_rows, cls, pool_rows, n_pool, s,
                                            cancellable, progress, user_data, error);
      if (run)
        set_row_classes (run, cls, n_rows);
      return run;
    }
  /* one class for every row (tabular), or row-by-row text explanations */
  const guint class_index = n_rows > 0 ? cls[0]
                            : s->class_index == GB_EXPLAIN_CLASS_PREDICTED ? 0 : s->class_index;

  gb_explain_target_init_model (&t, model, class_index);
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
  /* text models: a random sample (k-means over every token position of
   * long sequences would cost much and mean little) */
  run->background = s->background_kmeans && gb_model_get_text_column (model) == NULL
    ? gb_background_kmeans (cand_emb, cand, n_cand, t.T, t.C, t.first_unit,
                            MAX (s->background_size, 1u), s->seed)
    : gb_background_sample (cand_emb, cand, n_cand, t.T, t.C, MAX (s->background_size, 1u),
                            s->seed);

  if (gb_model_get_text_column (model) != NULL)
    {
      if (!run_text (run, model, ds, rows, n_rows, cls, cand_emb, n_cand, s, methods,
                     cancellable, progress, user_data, error))
        return NULL;
      set_row_classes (run, cls, n_rows);
      return g_steal_pointer (&run);
    }

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
          const GbIgBaseline kind = s->ig.baseline == GB_IG_BASELINE_DEFAULT
                                      ? GB_IG_BASELINE_ZERO : s->ig.baseline;
          st.message = "Explaining rows with integrated gradients";
          if (kind == GB_IG_BASELINE_MASK || kind == GB_IG_BASELINE_PAD)
            {
              g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "The %s baseline of integrated gradients needs a text model; "
                           "choose zero, mean or expected for a tabular model",
                           gb_ig_baseline_to_string (kind));
              return NULL;
            }
          if (kind == GB_IG_BASELINE_EXPECTED)
            run->ig = gb_expected_gradients_target (&t, x, run->background, rows, n_rows, names,
                                                    &s->ig, cancellable, stage_progress, &st,
                                                    error);
          else if (kind == GB_IG_BASELINE_MEAN)
            {
              /* every feature token at its mean embedding over the candidates */
              g_autofree double *mean = g_new0 (double, TC);
              g_autofree float *xb = g_new (float, MAX (n_rows, 1) * TC);
              for (gsize i = 0; i < n_cand; i++)
                for (gsize q = 0; q < TC; q++)
                  mean[q] += cand_emb[i * TC + q] / n_cand;
              for (gsize i = 0; i < n_rows; i++)
                {
                  memcpy (xb + i * TC, x + i * TC, TC * sizeof (float));
                  for (gsize q = (gsize) t.first_unit * t.C;
                       q < (gsize) (t.first_unit + M) * t.C; q++)
                    xb[i * TC + q] = (float) mean[q];
                }
              run->ig = gb_integrated_gradients_target (&t, x, xb, rows, n_rows, names, &s->ig,
                                                        cancellable, stage_progress, &st, error);
              if (run->ig)
                {
                  g_free (run->ig->baseline);
                  run->ig->baseline = g_strdup_printf ("the mean feature-token embeddings over "
                                                       "%" G_GSIZE_FORMAT " training rows",
                                                       n_cand);
                  run->ig->baseline_kind = GB_IG_BASELINE_MEAN;
                }
            }
          else
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
            pred[i] = pk[i * K + class_index];
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
  set_row_classes (run, cls, n_rows);
  return g_steal_pointer (&run);
}
