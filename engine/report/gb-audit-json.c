/* gb-audit-json.c — the audit as JSON (schema "glassbox-audit/1", see README). */
#include "gb-audit.h"
#include "gb-audit-private.h"
#include "gb-report-pdf.h"

#include <json-glib/json-glib.h>
#include <math.h>

#define GB_JSON_SCHEMA "glassbox-audit/1"

/* Plain number, or null for NaN / infinity (JSON has neither). */
static void
add_number (JsonBuilder *b, const char *key, double v)
{
  if (key)
    json_builder_set_member_name (b, key);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *key, gint64 v)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, v);
}

static void
add_string (JsonBuilder *b, const char *key, const char *v)
{
  json_builder_set_member_name (b, key);
  if (v)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_strv (JsonBuilder *b, const char *key, char **v)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (guint i = 0; v && v[i]; i++)
    json_builder_add_string_value (b, v[i]);
  json_builder_end_array (b);
}

static void
add_doubles (JsonBuilder *b, const char *key, const double *v, gsize n)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (gsize i = 0; i < n; i++)
    add_number (b, NULL, v[i]);
  json_builder_end_array (b);
}

static void
build_dataset (JsonBuilder *b, const GbAuditResults *r)
{
  json_builder_set_member_name (b, "dataset");
  json_builder_begin_object (b);
  add_string (b, "path", r->dataset_path);
  add_string (b, "sha256", r->dataset_sha256);
  add_int (b, "rows", r->n_rows);
  add_int (b, "n_columns", r->n_columns);
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint j = 0; j < r->n_columns; j++)
    {
      json_builder_begin_object (b);
      add_string (b, "name", r->column_names[j]);
      add_string (b, "type", r->column_types[j]);
      add_int (b, "missing", r->column_missing[j]);
      if (r->column_distinct != NULL)
        add_int (b, "distinct", r->column_distinct[j]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "notices");
  json_builder_begin_array (b);
  for (guint i = 0; r->dataset_notices != NULL && r->dataset_notices[i] != NULL; i++)
    json_builder_add_string_value (b, r->dataset_notices[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
build_model (JsonBuilder *b, const GbAuditSettings *s, const GbAuditResults *r)
{
  json_builder_set_member_name (b, "model");
  if (!r->has_model)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_string (b, "type", r->text_column == NULL
                            ? "tabular transformer (FT-Transformer tokens, post-LN encoder)"
                            : r->n_features > 0
                            ? "text+features transformer (BERT-style word tokens after feature tokens, post-LN encoder)"
                            : "text transformer (BERT-style word tokens, post-LN encoder)");
  add_string (b, "target", r->target_description);
  add_strv (b, "features", r->feature_names);
  add_int (b, "n_parameters", r->n_parameters);
  add_string (b, "parameters_sha256", r->model_sha256);   /* null when unknown */
  add_string (b, "loaded_from", s->model_dir);   /* --model / --hub; null = trained here */
  add_string (b, "saved_to", s->save_model_dir); /* --save-model */
  json_builder_set_member_name (b, "architecture");
  json_builder_begin_object (b);
  add_int (b, "layers", s->model.n_layers);
  add_int (b, "d_model", s->model.d_model);
  add_int (b, "heads", s->model.n_heads);
  add_int (b, "d_ff", s->model.d_ff);
  if (r->text_column != NULL)
    add_int (b, "max_length", s->model.max_length);
  json_builder_end_object (b);
  /* text models (issue 4): the word-level vocabulary of the training rows */
  json_builder_set_member_name (b, "text");
  if (r->text_column == NULL)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      add_string (b, "column", r->text_column);
      add_int (b, "vocab_size", r->vocab_size);
      add_int (b, "vocab_min_freq", r->vocab_min_freq);
      json_builder_end_object (b);
    }
  add_strv (b, "classes", r->class_names);
  json_builder_set_member_name (b, "training");
  json_builder_begin_object (b);
  add_int (b, "epochs", s->train.epochs);
  add_int (b, "batch_size", s->train.batch_size);
  add_number (b, "learning_rate", s->train.learning_rate);
  add_number (b, "weight_decay", s->train.weight_decay);
  add_int (b, "seed", (gint64) s->seed);
  add_number (b, "seconds", r->train_seconds);
  add_number (b, "final_train_loss", r->final_train_loss);
  json_builder_end_object (b);
  add_int (b, "n_train", r->n_train);
  add_int (b, "n_test", r->n_test);
  add_number (b, "positive_rate_test", r->positive_rate_test);
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
  add_number (b, "accuracy", r->accuracy);
  add_number (b, "roc_auc", r->roc_auc);   /* K > 2: macro one-vs-rest mean */
  add_number (b, "balanced_accuracy", r->balanced_accuracy);
  add_number (b, "f1_macro", r->f1_macro);
  add_number (b, "log_loss", r->class_names != NULL ? r->log_loss : r->final_val_loss);
  add_number (b, "brier", r->brier);
  add_number (b, "ece", r->ece);
  json_builder_end_object (b);
  /* row = true class, column = predicted class (argmax), classes in model.classes order */
  json_builder_set_member_name (b, "confusion_matrix");
  json_builder_begin_array (b);
  for (guint i = 0; r->confusion != NULL && i < r->n_classes; i++)
    {
      json_builder_begin_array (b);
      for (guint j = 0; j < r->n_classes; j++)
        json_builder_add_int_value (b, (gint64) r->confusion[(gsize) i * r->n_classes + j]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "reliability");
  if (r->reliability == NULL)
    json_builder_add_null_value (b);
  else
    {
      const GbReliability *rel = r->reliability;
      g_autofree double *counts = g_new (double, MAX (rel->n_bins, 1));
      for (guint m = 0; m < rel->n_bins; m++)
        counts[m] = (double) rel->count[m];
      json_builder_begin_object (b);
      add_string (b, "kind", "top-label (confidence = highest class probability)");
      add_doubles (b, "edges", rel->edges, rel->n_bins + 1);
      add_doubles (b, "count", counts, rel->n_bins);
      add_doubles (b, "confidence", rel->confidence, rel->n_bins);
      add_doubles (b, "accuracy", rel->frequency, rel->n_bins);
      add_number (b, "ece", rel->ece);
      add_number (b, "mce", rel->mce);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "roc_curve");
  json_builder_begin_object (b);
  add_doubles (b, "fpr", r->roc_fpr, r->roc_len);
  add_doubles (b, "tpr", r->roc_tpr, r->roc_len);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "baseline");
  json_builder_begin_object (b);
  add_string (b, "type", r->baseline_description != NULL
                            ? r->baseline_description
                            : "logistic regression (ridge λ = 1, standardised numeric, one-hot categorical)");
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
  add_number (b, "accuracy", r->baseline_accuracy);
  add_number (b, "roc_auc", r->baseline_roc_auc);
  if (r->class_names != NULL)
    {
      add_number (b, "balanced_accuracy", r->baseline_balanced_accuracy);
      add_number (b, "f1_macro", r->baseline_f1_macro);
      add_number (b, "log_loss", r->baseline_log_loss);
      add_number (b, "brier", r->baseline_brier);
      add_number (b, "ece", r->baseline_ece);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

/* explanations.{method}.faithfulness (issue 5) */
static void
add_faithfulness (JsonBuilder *b, const GbExplanation *e)
{
  if (e == NULL || e->deletion_curve == NULL)
    return;
  json_builder_set_member_name (b, "faithfulness");
  json_builder_begin_object (b);
  add_number (b, "deletion_aopc", e->deletion_aopc);
  add_number (b, "insertion_aopc", e->insertion_aopc);
  json_builder_set_member_name (b, "deletion_curve");
  json_builder_begin_array (b);
  for (guint k = 0; k <= e->n_units; k++)
    json_builder_add_double_value (b, e->deletion_curve[k]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "insertion_curve");
  json_builder_begin_array (b);
  for (guint k = 0; k <= e->n_units; k++)
    json_builder_add_double_value (b, e->insertion_curve[k]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* A text row's attributions: the F feature names, then one key per word
 * piece, "k:piece" (k = its 0-based place among the row's pieces, so
 * repeated words stay apart); padding is left out.  Also writes
 * "tokens": the pieces in order.  @values (and @std_errors) are indexed by
 * unit. */
static void
add_text_attributions (JsonBuilder *b, const char *const *names, guint F, char **tokens,
                       const double *values, const double *std_errors)
{
  const guint nt = tokens ? g_strv_length (tokens) : 0;

  json_builder_set_member_name (b, "tokens");
  json_builder_begin_array (b);
  for (guint k = 0; k < nt; k++)
    json_builder_add_string_value (b, tokens[k]);
  json_builder_end_array (b);
  for (guint pass = 0; pass < (std_errors ? 2u : 1u); pass++)
    {
      const double *v = pass ? std_errors : values;
      json_builder_set_member_name (b, pass ? "std_errors" : "attributions");
      json_builder_begin_object (b);
      for (guint f = 0; f < F; f++)
        add_number (b, names[f], v[f]);
      for (guint k = 0; k < nt; k++)
        {
          g_autofree char *key = g_strdup_printf ("%u:%s", k, tokens[k]);
          add_number (b, key, v[F + k]);
        }
      json_builder_end_object (b);
    }
}

/* The "global" of text rows, where token positions differ between rows:
 * features by mean |attribution| over the rows, word pieces over their
 * occurrences (gb_explanation_text_global()). */
static void
add_text_global (JsonBuilder *b, const GbExplanation *e)
{
  g_auto(GStrv) labels = NULL;
  g_autofree double *values = NULL;
  const guint n = gb_explanation_text_global (e, 0, &labels, &values);

  json_builder_set_member_name (b, "global");
  json_builder_begin_object (b);
  for (guint k = 0; k < n; k++)
    add_number (b, labels[k], values[k]);
  json_builder_end_object (b);
}

/* explanations.{method} for every method but integrated gradients (which
 * keeps its own, older layout plus these keys) */
/* "class": the label of the class a row explains (its index when the
 * audit has no class names) */
static void
add_row_class (JsonBuilder *b, char **class_names, guint class_index)
{
  if (class_names != NULL && class_index < g_strv_length (class_names))
    add_string (b, "class", class_names[class_index]);
  else
    add_int (b, "class", class_index);
}

static void
add_explanation (JsonBuilder *b, const GbExplanation *e, char **class_names)
{
  json_builder_set_member_name (b, e->method);
  json_builder_begin_object (b);
  add_string (b, "description", e->description);
  add_number (b, "seconds", e->seconds);
  add_int (b, "model_evaluations", e->n_evaluations);
  if (g_strcmp0 (e->method, "kernel_shap") == 0)
    add_string (b, "mode", e->exact ? "exact" : "sampled");
  if (!isnan (e->stability))
    add_number (b, "stability_jaccard", e->stability);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (gsize i = 0; i < e->n_rows; i++)
    {
      const GbAttributionRow *row = &e->rows[i];
      json_builder_begin_object (b);
      add_int (b, "row", row->row);
      add_row_class (b, class_names, row->class_index);
      add_number (b, "prediction", row->prediction);
      if (!isnan (row->base_value))
        add_number (b, "base_value", row->base_value);
      if (e->text)
        add_text_attributions (b, (const char *const *) e->unit_names, e->n_feature_units,
                               row->tokens, row->values, row->std_errors);
      else
        {
          json_builder_set_member_name (b, "attributions");
          json_builder_begin_object (b);
          for (guint f = 0; f < e->n_units; f++)
            add_number (b, e->unit_names[f], row->values[f]);
          json_builder_end_object (b);
        }
      if (row->std_errors && !e->text)
        {
          json_builder_set_member_name (b, "std_errors");
          json_builder_begin_object (b);
          for (guint f = 0; f < e->n_units; f++)
            add_number (b, e->unit_names[f], row->std_errors[f]);
          json_builder_end_object (b);
        }
      if (!isnan (row->completeness_residual))
        add_number (b, "completeness_residual", row->completeness_residual);
      if (!isnan (row->fidelity_r2))
        add_number (b, "fidelity_r2", row->fidelity_r2);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (e->text)
    add_text_global (b, e);
  else
    {
      json_builder_set_member_name (b, "global");
      json_builder_begin_object (b);
      for (guint f = 0; f < e->n_units; f++)
        add_number (b, e->unit_names[f], e->global[f]);
      json_builder_end_object (b);
    }
  add_faithfulness (b, e);
  json_builder_end_object (b);
}

static void
build_explanations (JsonBuilder *b, const GbAuditResults *r)
{
  const GbIgResult *ig = r->integrated_gradients;
  const GbExplanation *ig_e = NULL;   /* the same attributions as a GbExplanation */

  for (guint k = 0; r->explanations && k < r->explanations->len; k++)
    if (g_strcmp0 (((GbExplanation *) g_ptr_array_index (r->explanations, k))->method,
                   "integrated_gradients") == 0)
      ig_e = g_ptr_array_index (r->explanations, k);

  json_builder_set_member_name (b, "explanations");
  json_builder_begin_object (b);
  if (ig != NULL)
    {
      json_builder_set_member_name (b, "integrated_gradients");
      json_builder_begin_object (b);
      add_string (b, "baseline", gb_ig_baseline_to_string (ig->baseline_kind));
      add_string (b, "baseline_description", ig->baseline);
      gboolean one_class = TRUE;
      for (gsize i = 1; i < ig->n_rows; i++)
        one_class = one_class && ig->rows[i].class_index == ig->rows[0].class_index;
      if (one_class)   /* else each row says which class it explains */
        add_int (b, "class", ig->n_rows > 0 ? ig->rows[0].class_index : ig->class_index);
      add_string (b, "rule", gb_ig_rule_to_string (ig->rule));
      add_int (b, "steps", ig->steps);
      add_number (b, "tolerance", ig->tolerance);
      add_number (b, "seconds", r->ig_seconds);
      json_builder_set_member_name (b, "rows");
      json_builder_begin_array (b);
      for (gsize i = 0; i < ig->n_rows; i++)
        {
          const GbIgRow *row = &ig->rows[i];
          json_builder_begin_object (b);
          add_int (b, "row", row->row);
          add_row_class (b, r->class_names, row->class_index);
          add_number (b, "prediction", row->prediction);
          add_number (b, "baseline_prediction", row->baseline_prediction);
          add_number (b, "base_value", row->baseline_prediction);
          if (ig->text)
            add_text_attributions (b, (const char *const *) ig->feature_names,
                                   ig->n_feature_units, row->tokens, row->attributions, NULL);
          else
            {
              json_builder_set_member_name (b, "attributions");
              json_builder_begin_object (b);
              for (guint f = 0; f < ig->n_features; f++)
                add_number (b, ig->feature_names[f], row->attributions[f]);
              json_builder_end_object (b);
            }
          add_number (b, "completeness_residual", row->completeness_residual);
          add_int (b, "steps", row->steps);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      if (ig->text && ig_e != NULL)
        add_text_global (b, ig_e);
      else
        {
          json_builder_set_member_name (b, "global");
          json_builder_begin_object (b);
          for (guint f = 0; f < ig->n_features; f++)
            add_number (b, ig->feature_names[f], ig->global[f]);
          json_builder_end_object (b);
        }
      for (guint k = 0; r->explanations && k < r->explanations->len; k++)
        {
          const GbExplanation *e = g_ptr_array_index (r->explanations, k);
          if (g_strcmp0 (e->method, "integrated_gradients") == 0)
            add_faithfulness (b, e);
        }
      json_builder_end_object (b);
    }
  for (guint k = 0; r->explanations && k < r->explanations->len; k++)
    {
      const GbExplanation *e = g_ptr_array_index (r->explanations, k);
      if (g_strcmp0 (e->method, "integrated_gradients") != 0)
        add_explanation (b, e, r->class_names);
    }
  if (r->explain_background)
    add_string (b, "background", r->explain_background);
  /* explanations.tcav[] (engine/explain/gb-tcav-run.c) */
  if (r->tcav != NULL)
    {
      json_builder_set_member_name (b, "tcav");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->tcav->len; i++)
        {
          const GbTcavResult *t = g_ptr_array_index (r->tcav, i);
          json_builder_begin_object (b);
          add_string (b, "concept", t->concept);
          if (r->class_names != NULL && t->class_index < g_strv_length (r->class_names))
            add_string (b, "class", r->class_names[t->class_index]);
          else
            add_int (b, "class", t->class_index);
          add_int (b, "class_index", t->class_index);
          add_int (b, "layer", r->tcav_layer);
          add_number (b, "score", t->score);
          add_number (b, "score_sd", t->score_sd);
          add_number (b, "random_score", t->random_score);
          add_int (b, "n_runs", t->n_runs);
          add_int (b, "n_random", r->tcav_n_random);
          add_number (b, "p_value", t->p_value);
          json_builder_set_member_name (b, "significant");
          json_builder_add_boolean_value (b, t->significant);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

static void
add_metric (JsonBuilder *b, const GbFairnessMetric *m)
{
  json_builder_set_member_name (b, m->name);
  json_builder_begin_object (b);
  add_number (b, "value", m->value);
  add_number (b, "ci_low", m->ci_low);
  add_number (b, "ci_high", m->ci_high);
  add_number (b, "p_value", m->p_value);
  add_number (b, "p_adjusted", m->p_adjusted);
  add_string (b, "test", gb_fairness_test_name (m->test));
  if (g_strcmp0 (m->name, "disparate_impact_ratio") == 0)
    {
      json_builder_set_member_name (b, "below_four_fifths");
      if (isnan (m->value))
        json_builder_add_null_value (b);
      else
        json_builder_add_boolean_value (b, m->value < 0.8);
    }
  json_builder_end_object (b);
}

/* fairness.{attribute}.decomposition: the gap in mean predicted probability
 * (group − reference) and each feature's share of it, largest first
 * (engine/fairness/gb-fairness-decompose.h). */
static void
build_decomposition (JsonBuilder *b, const GbFairnessDecomposition *d)
{
  json_builder_set_member_name (b, "decomposition");
  json_builder_begin_object (b);
  add_string (b, "group", d->group);
  add_string (b, "reference", d->reference);
  add_number (b, "gap", d->gap);
  add_number (b, "gap_ci_low", d->gap_ci_low);
  add_number (b, "gap_ci_high", d->gap_ci_high);
  add_number (b, "mean_group", d->mean_group);
  add_number (b, "mean_reference", d->mean_reference);
  add_number (b, "base_value", d->base_value);
  add_number (b, "residual", d->residual);
  add_int (b, "n_group", d->n_group);
  add_int (b, "n_reference", d->n_reference);
  add_int (b, "n_group_available", d->n_group_available);
  add_int (b, "n_reference_available", d->n_reference_available);
  add_number (b, "confidence", d->confidence);
  add_int (b, "bootstrap", d->bootstrap);
  add_int (b, "seed", (gint64) d->seed);
  json_builder_set_member_name (b, "exact");
  json_builder_add_boolean_value (b, d->exact);
  add_string (b, "method", d->description);
  json_builder_set_member_name (b, "contributions");
  json_builder_begin_array (b);
  for (guint j = 0; j < d->n_contributions; j++)
    {
      const GbGapContribution *c = &d->contributions[j];
      json_builder_begin_object (b);
      add_string (b, "feature", c->feature);
      add_number (b, "value", c->value);
      add_number (b, "ci_low", c->ci_low);
      add_number (b, "ci_high", c->ci_high);
      add_number (b, "mean_group", c->mean_group);
      add_number (b, "mean_reference", c->mean_reference);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* fairness.{attribute}: groups[] with every rate and its Wilson interval,
 * metrics.{name} (min/max across groups) and comparisons[] (each group
 * against the reference), each metric {value, ci_low, ci_high, p_value,
 * p_adjusted, test}. */
static void
build_fairness_result (JsonBuilder *b, const GbFairnessResult *fr, const char *split,
                       double threshold)
{
  json_builder_begin_object (b);
  add_string (b, "split", split);
  add_number (b, "threshold", threshold);
  add_string (b, "reference_group", fr->groups[fr->reference].group);
  add_int (b, "min_group_size", fr->min_group_size);
  add_number (b, "confidence", fr->confidence);
  add_int (b, "bootstrap", fr->bootstrap);
  add_int (b, "bootstrap_seed", (gint64) fr->seed);
  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  for (guint g = 0; g < fr->n_groups; g++)
    {
      const GbGroupRates *gr = &fr->groups[g];
      json_builder_begin_object (b);
      add_string (b, "group", gr->group);
      add_int (b, "n", gr->n);
      json_builder_set_member_name (b, "small");
      json_builder_add_boolean_value (b, gr->small);
      json_builder_set_member_name (b, "reference");
      json_builder_add_boolean_value (b, gr->is_reference);
      for (int rt = 0; rt < GB_N_RATES; rt++)
        add_number (b, gb_rate_name (rt), gb_group_rates_get (gr, rt));
      for (int rt = 0; rt < GB_N_RATES; rt++)
        {
          g_autofree char *key = g_strdup_printf ("%s_ci", gb_rate_name (rt));
          add_doubles (b, key, gr->ci[rt], 2);
        }
      add_int (b, "tp", gr->tp);
      add_int (b, "fp", gr->fp);
      add_int (b, "tn", gr->tn);
      add_int (b, "fn", gr->fn);
      if (fr->has_score)
        {
          add_number (b, "roc_auc", gr->roc_auc);
          add_number (b, "brier", gr->brier);
          json_builder_set_member_name (b, "calibration");
          json_builder_begin_object (b);
          add_doubles (b, "mean_score", gr->calibration_score, gr->n_calibration);
          add_doubles (b, "observed_rate", gr->calibration_observed, gr->n_calibration);
          json_builder_set_member_name (b, "n");
          json_builder_begin_array (b);
          for (guint k = 0; k < gr->n_calibration; k++)
            json_builder_add_int_value (b, gr->calibration_n[k]);
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
  for (guint i = 0; i < fr->n_metrics; i++)
    add_metric (b, &fr->metrics[i]);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "comparisons");
  json_builder_begin_array (b);
  for (guint c = 0; c < fr->n_comparisons; c++)
    {
      const GbFairnessComparison *cmp = &fr->comparisons[c];
      json_builder_begin_object (b);
      add_string (b, "group", fr->groups[cmp->group].group);
      add_string (b, "reference", fr->groups[fr->reference].group);
      json_builder_set_member_name (b, "metrics");
      json_builder_begin_object (b);
      for (guint i = 0; i < cmp->n_metrics; i++)
        add_metric (b, &cmp->metrics[i]);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (fr->decomposition)
    build_decomposition (b, fr->decomposition);
  json_builder_end_object (b);
}

/* One direction's paired statistics (gb-counterfactual.h). */
static void
build_counterfactual_stats (JsonBuilder *b, const GbCounterfactualDirection *d)
{
  static const char *const names[] = { "swap", "a_to_b", "b_to_a" };
  add_string (b, "direction", names[d->direction]);
  add_string (b, "label", d->label);
  add_int (b, "n_rows", (gint64) d->n_rows);
  add_number (b, "mean_before", d->mean_before);
  add_number (b, "mean_after", d->mean_after);
  add_number (b, "mean_change", d->mean_change);
  add_number (b, "ci_low", d->ci_low);
  add_number (b, "ci_high", d->ci_high);
  add_number (b, "t_statistic", d->t_statistic);
  add_number (b, "t_p_value", d->t_p_value);
  add_number (b, "wilcoxon_statistic", d->wilcoxon_statistic);
  add_number (b, "wilcoxon_p_value", d->wilcoxon_p_value);
  add_string (b, "wilcoxon_method", d->wilcoxon_exact ? "exact" : "normal approximation");
  add_int (b, "n_flips", (gint64) d->n_flips);
  add_number (b, "flip_rate", d->flip_rate);
  add_number (b, "mean_abs_change", d->mean_abs_change);
}

static void
build_counterfactual_examples (JsonBuilder *b, const GbCounterfactualDirection *d)
{
  json_builder_set_member_name (b, "examples");
  json_builder_begin_array (b);
  for (guint i = 0; d->examples && i < d->examples->len; i++)
    {
      const GbCounterfactualExample *e = &g_array_index (d->examples, GbCounterfactualExample, i);
      json_builder_begin_object (b);
      add_int (b, "row", (gint64) e->row);
      add_string (b, "before", e->before);
      add_string (b, "after", e->after);
      add_number (b, "p_before", e->p_before);
      add_number (b, "p_after", e->p_after);
      add_number (b, "change", e->p_after - e->p_before);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* fairness.counterfactual: the swap's figures at the top, each direction in directions[]. */
static void
build_counterfactual (JsonBuilder *b, const GbAuditResults *r, const GbCounterfactualResult *cf)
{
  const GbCounterfactualDirection *swap = g_ptr_array_index (cf->directions, 0);
  json_builder_begin_object (b);
  add_string (b, "pair_list", cf->pair_list);
  add_string (b, "group_a", cf->group_a);
  add_string (b, "group_b", cf->group_b);
  add_int (b, "n_pairs", cf->n_pairs);
  add_string (b, "text_column", cf->text_column);
  add_int (b, "n_rows_examined", (gint64) cf->n_rows_examined);
  add_int (b, "class_index", cf->class_index);
  add_string (b, "class", r->class_names && cf->class_index < g_strv_length (r->class_names)
                            ? r->class_names[cf->class_index] : NULL);
  add_string (b, "ci_method", "paired t interval (95 %)");
  build_counterfactual_stats (b, swap);
  add_doubles (b, "class_mean_change", swap->class_mean_change, cf->n_classes);
  build_counterfactual_examples (b, swap);
  json_builder_set_member_name (b, "directions");
  json_builder_begin_array (b);
  for (guint i = 0; i < cf->directions->len; i++)
    {
      const GbCounterfactualDirection *d = g_ptr_array_index (cf->directions, i);
      json_builder_begin_object (b);
      build_counterfactual_stats (b, d);
      add_doubles (b, "class_mean_change", d->class_mean_change, cf->n_classes);
      build_counterfactual_examples (b, d);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
build_fairness (JsonBuilder *b, const GbAuditSettings *s, const GbAuditResults *r)
{
  const char *split = r->has_model ? "held-out" : "all rows with a label";
  const double threshold = r->has_model ? 0.5 : s->score ? s->threshold : NAN;

  json_builder_set_member_name (b, "fairness");
  json_builder_begin_object (b);
  for (guint a = 0; r->fairness && a < r->fairness->len; a++)
    {
      const GbFairnessResult *fr = g_ptr_array_index (r->fairness, a);
      json_builder_set_member_name (b, fr->attribute);
      build_fairness_result (b, fr, split, threshold);
    }
  if (r->prediction_description)
    add_string (b, "predictions", r->prediction_description);
  if (r->counterfactual && r->counterfactual->len > 0)
    {
      /* the first pair list at fairness.counterfactual, every list in counterfactual_lists[] */
      json_builder_set_member_name (b, "counterfactual");
      build_counterfactual (b, r, g_ptr_array_index (r->counterfactual, 0));
      json_builder_set_member_name (b, "counterfactual_lists");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->counterfactual->len; i++)
        build_counterfactual (b, r, g_ptr_array_index (r->counterfactual, i));
      json_builder_end_array (b);
    }
  if (r->fairness_proxies && r->fairness_proxies->len > 0)
    {
      json_builder_set_member_name (b, "proxies");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->fairness_proxies->len; i++)
        {
          const GbFairnessProxy *p = &g_array_index (r->fairness_proxies, GbFairnessProxy, i);
          json_builder_begin_object (b);
          add_string (b, "feature", p->feature);
          add_string (b, "attribute", p->attribute);
          add_string (b, "group", p->group);
          add_number (b, "auc", p->auc);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  if (r->fairness_mitigation && r->fairness_mitigation->len > 0)
    {
      json_builder_set_member_name (b, "mitigation");
      json_builder_begin_object (b);
      for (guint i = 0; i < r->fairness_mitigation->len; i++)
        {
          const GbFairnessMitigation *m = g_ptr_array_index (r->fairness_mitigation, i);
          json_builder_set_member_name (b, m->method);
          json_builder_begin_object (b);
          add_string (b, "attribute", m->attribute);
          add_string (b, "description", m->description);
          add_int (b, "n_fit", m->n_fit);
          add_int (b, "n_eval", m->n_eval);
          add_number (b, "accuracy_before", m->accuracy_before);
          add_number (b, "accuracy_after", m->accuracy_after);
          if (m->before)
            {
              json_builder_set_member_name (b, "before");
              build_fairness_result (b, m->before, "evaluation rows", m->threshold);
            }
          if (m->after)
            {
              json_builder_set_member_name (b, "after");
              build_fairness_result (b, m->after, "evaluation rows", NAN);
            }
          if (m->weights)
            {
              json_builder_set_member_name (b, "weights");
              json_builder_begin_array (b);
              for (guint g = 0; g < m->n_groups; g++)
                {
                  json_builder_begin_object (b);
                  add_string (b, "group", m->groups[g]);
                  add_number (b, "label_0", m->weights[g * 2]);
                  add_number (b, "label_1", m->weights[g * 2 + 1]);
                  json_builder_end_object (b);
                }
              json_builder_end_array (b);
            }
          if (m->rules)
            {
              json_builder_set_member_name (b, "thresholds");
              json_builder_begin_array (b);
              for (guint g = 0; g < m->n_groups; g++)
                {
                  const GbGroupThreshold *t = &m->rules[g];
                  json_builder_begin_object (b);
                  add_string (b, "group", m->groups[g]);
                  add_number (b, "threshold_high", t->threshold_high);
                  add_number (b, "threshold_low", t->threshold_low);
                  add_number (b, "p_high", t->p_high);
                  add_number (b, "p_random", t->p_random);
                  add_number (b, "random_rate", t->random_rate);
                  add_number (b, "fitted_rate", t->rate);
                  add_number (b, "fitted_fpr", t->fpr);
                  json_builder_end_object (b);
                }
              json_builder_end_array (b);
            }
          if (m->n_tradeoff > 0)
            {
              json_builder_set_member_name (b, "tradeoff");
              json_builder_begin_object (b);
              add_doubles (b, "threshold", m->tradeoff_threshold, m->n_tradeoff);
              add_doubles (b, "accuracy", m->tradeoff_accuracy, m->n_tradeoff);
              add_doubles (b, "statistical_parity_difference", m->tradeoff_parity_difference, m->n_tradeoff);
              add_doubles (b, "equal_opportunity_difference", m->tradeoff_opportunity_difference,
                           m->n_tradeoff);
              json_builder_end_object (b);
            }
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static void
build_balance (JsonBuilder *b, const char *key, GArray *rows)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (guint i = 0; rows && i < rows->len; i++)
    {
      const GbBalanceRow *row = &g_array_index (rows, GbBalanceRow, i);
      json_builder_begin_object (b);
      add_string (b, "covariate", row->covariate);
      add_number (b, "smd_before", row->smd_before);
      add_number (b, "smd_after", row->smd_after);
      add_number (b, "variance_ratio_before", row->variance_ratio_before);
      add_number (b, "variance_ratio_after", row->variance_ratio_after);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* causal.{estimand, balance[], balance_matching[], effective_sample_size,
 * overlap, refutations[], e_value, e_value_ci, e_value_method} (issue 7). */
static void
build_causal_diagnostics (JsonBuilder *b, const GbCausalAnalysis *a)
{
  guint h1[20] = { 0 }, h0[20] = { 0 };

  add_string (b, "estimand", gb_estimand_to_string (a->estimand));
  add_string (b, "balance_weights", a->estimand == GB_ESTIMAND_ATT
                                     ? "IPW (Hájek) weights for the ATT: 1 and e/(1 − e)"
                                     : "IPW (Hájek) weights for the ATE: 1/e and 1/(1 − e)");
  build_balance (b, "balance", a->balance);
  build_balance (b, "balance_matching", a->balance_matching);
  json_builder_set_member_name (b, "effective_sample_size");
  json_builder_begin_object (b);
  add_number (b, "treated", a->ess_treated);
  add_number (b, "control", a->ess_control);
  json_builder_end_object (b);

  for (gsize i = 0; i < a->n_all; i++)
    {
      int k = CLAMP ((int) floor (a->propensity[i] * 20), 0, 19);
      if (a->treatment[i] == 1.0)
        h1[k]++;
      else
        h0[k]++;
    }
  json_builder_set_member_name (b, "overlap");
  json_builder_begin_object (b);
  add_number (b, "trim_alpha", a->trim_alpha);
  add_int (b, "rows_dropped", (gint64) a->n_trimmed);
  json_builder_set_member_name (b, "histogram_treated");
  json_builder_begin_array (b);
  for (int k = 0; k < 20; k++)
    json_builder_add_int_value (b, h1[k]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "histogram_control");
  json_builder_begin_array (b);
  for (int k = 0; k < 20; k++)
    json_builder_add_int_value (b, h0[k]);
  json_builder_end_array (b);
  json_builder_end_object (b);

  add_string (b, "refutation_method", a->refute_method);
  json_builder_set_member_name (b, "refutations");
  json_builder_begin_array (b);
  for (guint i = 0; a->refutations && i < a->refutations->len; i++)
    {
      const GbRefutation *rf = &g_array_index (a->refutations, GbRefutation, i);
      json_builder_begin_object (b);
      add_string (b, "name", rf->name);
      add_number (b, "estimate", rf->estimate);
      add_number (b, "p_value", rf->p_value);
      add_number (b, "std_dev", rf->std_dev);
      add_int (b, "simulations", rf->n_simulations);
      json_builder_set_member_name (b, "passed");
      json_builder_add_boolean_value (b, rf->passed);
      add_string (b, "sentence", rf->sentence);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_number (b, "e_value", a->e_value.e_value);
  add_number (b, "e_value_ci", a->e_value.e_value_ci);
  add_string (b, "e_value_method", a->e_value.method);
}

static void
build_model_interventions (JsonBuilder *b, const GbAuditResults *r)
{
  json_builder_set_member_name (b, "model_interventions");
  json_builder_begin_array (b);
  for (guint i = 0; r->model_interventions && i < r->model_interventions->len; i++)
    {
      const GbModelIntervention *mi = &g_array_index (r->model_interventions,
                                                      GbModelIntervention, i);
      json_builder_begin_object (b);
      add_string (b, "attribute", mi->attribute);
      add_string (b, "value", mi->value);
      add_number (b, "mean_change", mi->mean_change);
      add_number (b, "ci_low", mi->ci_low);
      add_number (b, "ci_high", mi->ci_high);
      add_number (b, "flip_rate", mi->flip_rate);
      add_number (b, "mean_probability", mi->mean_probability);
      add_int (b, "n_rows", (gint64) mi->n_rows);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
build_causal (JsonBuilder *b, const GbAuditResults *r)
{
  json_builder_set_member_name (b, "causal");
  if (!r->has_causal && r->model_interventions == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  build_model_interventions (b, r);
  if (!r->has_causal)
    {
      json_builder_end_object (b);
      return;
    }
  add_string (b, "treatment", r->treatment_description);
  add_string (b, "outcome", r->outcome_description);
  add_strv (b, "covariates", r->covariate_names);
  add_int (b, "n_treated", r->n_treated);
  add_int (b, "n_control", r->n_control);
  json_builder_set_member_name (b, "estimates");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->estimates->len; i++)
    {
      const GbEstimate *e = &g_array_index (r->estimates, GbEstimate, i);
      json_builder_begin_object (b);
      add_string (b, "method", e->method);
      add_string (b, "estimand", e->estimand);
      add_number (b, "estimate", e->estimate);
      add_number (b, "std_error", e->std_error);
      add_string (b, "se_method", e->se_method);
      add_number (b, "ci_low", e->ci_low);
      add_number (b, "ci_high", e->ci_high);
      add_number (b, "p_value", e->p_value);
      add_int (b, "n_used", e->n_used);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (r->causal != NULL)
    build_causal_diagnostics (b, r->causal);
  json_builder_end_object (b);
}

static void
build_provenance (JsonBuilder *b, const GbAuditSettings *s, const GbAuditResults *r)
{
  json_builder_set_member_name (b, "provenance");
  json_builder_begin_object (b);
  add_string (b, "created", r->created);
  add_string (b, "glassbox_version", r->glassbox_version);
  add_strv (b, "libraries", r->library_versions);
  add_int (b, "seed", (gint64) s->seed);
  add_number (b, "test_fraction", s->test_fraction);
  add_string (b, "command_line", s->command_line);
  add_number (b, "elapsed_seconds", r->elapsed_seconds);
  /* the report's settings (issue 8): paper, who signed it, its sections */
  json_builder_set_member_name (b, "report");
  json_builder_begin_object (b);
  add_string (b, "paper", s->paper && *s->paper && g_ascii_strcasecmp (s->paper, "auto") != 0
                            ? s->paper : gb_report_paper_for_locale ());
  add_string (b, "auditor", s->auditor);
  add_string (b, "organisation", s->organisation);
  json_builder_set_member_name (b, "sections");
  json_builder_begin_array (b);
  for (guint k = 0; k < GB_REPORT_N_SECTIONS; k++)
    if (gb_report_section_included (s->omit_sections, k))
      json_builder_add_string_value (b, gb_report_section_name (k));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "omit_sections");
  json_builder_begin_array (b);
  for (guint k = 0; k < GB_REPORT_N_SECTIONS; k++)
    if (!gb_report_section_included (s->omit_sections, k))
      json_builder_add_string_value (b, gb_report_section_name (k));
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

char *
gb_audit_to_json (GbAudit *self)
{
  const GbAuditResults *r = gb_audit_get_results (self);
  const GbAuditSettings *s = gb_audit_get_settings (self);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "schema", GB_JSON_SCHEMA);
  if (r != NULL)
    {
      build_dataset (b, r);
      build_model (b, s, r);
      build_explanations (b, r);
      build_fairness (b, s, r);
      build_causal (b, r);
      build_provenance (b, s, r);
      json_builder_set_member_name (b, "notes");
      json_builder_begin_array (b);
      for (guint i = 0; r->notes && i < r->notes->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (r->notes, i));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);

  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

gboolean
gb_audit_write_json (GbAudit *self, const char *path, GError **error)
{
  g_return_val_if_fail (GB_IS_AUDIT (self), FALSE);
  if (gb_audit_get_results (self) == NULL)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Cannot write “%s”: the audit has not run yet", path);
      return FALSE;
    }
  g_autofree char *text = gb_audit_to_json (self);
  GError *local = NULL;
  /* g_file_set_contents writes a temporary file and renames it: atomic. */
  if (!g_file_set_contents (path, text, -1, &local))
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_IO, "Cannot write “%s”: %s", path,
                   local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}
