/* gb-audit.c — GbAudit, the main job: CSV → transformer → explanations,
 * fairness, causal effects, with provenance. */
#include "gb-config.h"
#include "gb-audit.h"
#include "gb-audit-private.h"
#include "gb-variable.h"
#include "gb-dataset-summary.h"
#include "gb-design.h"
#include "gb-logistic.h"
#include "gb-metrics.h"
#include "gb-metrics-class.h"
#include "gb-vocab.h"
#include "gb-model-io.h"
#include "gb-report-pdf.h"
#include "gb-model-private.h"

#include <cairo.h>
#include <pango/pango.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

struct _GbAudit
{
  GObject parent_instance;

  GbAuditSettings settings;
  GbDataset *dataset;
  GbModel *model;
  GbAuditResults *results;
};

G_DEFINE_FINAL_TYPE (GbAudit, gb_audit, G_TYPE_OBJECT)

/* ---------------------------------------------------------------- settings */

static void
settings_clear (GbAuditSettings *s)
{
  g_clear_pointer (&s->csv_path, g_free);
  g_clear_pointer (&s->csv_arguments, g_strfreev);
  g_clear_pointer (&s->target, g_free);
  g_clear_pointer (&s->positive, g_free);
  g_clear_pointer (&s->protected_attributes, g_strfreev);
  g_clear_pointer (&s->treatment, g_free);
  g_clear_pointer (&s->outcome, g_free);
  g_clear_pointer (&s->covariates, g_strfreev);
  g_clear_pointer (&s->features, g_strfreev);
  g_clear_pointer (&s->command_line, g_free);
  g_clear_pointer (&s->prediction, g_free);
  g_clear_pointer (&s->prediction_positive, g_strfreev);
  g_clear_pointer (&s->score, g_free);
  g_clear_pointer (&s->reference_groups, g_strfreev);
  g_clear_pointer (&s->mitigate, g_free);
  g_clear_pointer (&s->explainers, g_strfreev);
  g_clear_pointer (&s->explain_row_ids, g_free);
  s->n_explain_row_ids = 0;
  g_clear_pointer (&s->explain_class, g_free);
  g_clear_pointer (&s->model_dir, g_free);
  g_clear_pointer (&s->save_model_dir, g_free);
  g_clear_pointer (&s->text_column, g_free);
  g_clear_pointer (&s->paper, g_free);
  g_clear_pointer (&s->auditor, g_free);
  g_clear_pointer (&s->organisation, g_free);
  g_clear_pointer (&s->model_card_details, g_free);
  g_clear_pointer (&s->model_card_intended_use, g_free);
  g_clear_pointer (&s->model_card_factors, g_free);
  g_clear_pointer (&s->model_card_ethical_considerations, g_free);
  g_clear_pointer (&s->model_card_caveats, g_free);
  g_clear_pointer (&s->model_card_path, g_free);
  g_clear_pointer (&s->tcav_concepts, g_strfreev);
  g_clear_pointer (&s->counterfactual_pairs, g_strfreev);
}

void
gb_audit_settings_clear (GbAuditSettings *settings)
{
  g_return_if_fail (settings != NULL);
  settings_clear (settings);
}

/* Every owned pointer of GbAuditSettings must be duplicated here (and freed
 * in settings_clear()), or a copy would share it. */
void
gb_audit_settings_copy (GbAuditSettings *dst, const GbAuditSettings *src)
{
  g_return_if_fail (dst != NULL && src != NULL);
  if (dst == src)
    return;
  settings_clear (dst);
  *dst = *src;   /* the scalars; every owned pointer is replaced below */
#define DUP_STR(f) dst->f = g_strdup (src->f)
#define DUP_STRV(f) dst->f = g_strdupv (src->f)
  DUP_STRV (csv_arguments);
  DUP_STR (csv_path); DUP_STR (target); DUP_STR (positive); DUP_STRV (protected_attributes);
  DUP_STR (treatment); DUP_STR (outcome); DUP_STRV (covariates); DUP_STRV (features);
  DUP_STR (command_line); DUP_STR (prediction); DUP_STRV (prediction_positive); DUP_STR (score);
  DUP_STRV (reference_groups); DUP_STR (mitigate); DUP_STRV (explainers);
  DUP_STR (explain_class);
  DUP_STR (model_dir); DUP_STR (save_model_dir); DUP_STR (text_column); DUP_STR (paper);
  DUP_STR (auditor); DUP_STR (organisation); DUP_STR (model_card_details);
  DUP_STR (model_card_intended_use); DUP_STR (model_card_factors);
  DUP_STR (model_card_ethical_considerations); DUP_STR (model_card_caveats);
  DUP_STR (model_card_path); DUP_STRV (tcav_concepts); DUP_STRV (counterfactual_pairs);
#undef DUP_STR
#undef DUP_STRV
  dst->explain_row_ids = src->explain_row_ids != NULL && src->n_explain_row_ids > 0
    ? g_memdup2 (src->explain_row_ids, src->n_explain_row_ids * sizeof (gsize)) : NULL;
  dst->n_explain_row_ids = dst->explain_row_ids != NULL ? src->n_explain_row_ids : 0;
}

static void
settings_init_default (GbAuditSettings *s)
{
  memset (s, 0, sizeof *s);
  s->seed = 42;
  s->test_fraction = 0.3;
  s->explain_rows = 16;
  s->ig_steps = 32;
  s->shap_samples = 256;
  s->background_size = 10;
  s->threshold = 0.5;
  s->min_group_size = 30;
  s->bootstrap = 1000;
  s->decompose_rows = 100;
  s->causal_methods = GB_CAUSAL_ALL_METHODS;
  s->estimand = GB_ESTIMAND_ATE;
  s->vocab_min_freq = 2;
  gb_transformer_config_init_default (&s->model);
  gb_train_config_init_default (&s->train);
}

void
gb_audit_results_free (GbAuditResults *r)
{
  if (r == NULL)
    return;
  g_free (r->created);
  g_free (r->glassbox_version);
  g_strfreev (r->library_versions);
  g_free (r->dataset_path);
  g_free (r->dataset_sha256);
  g_strfreev (r->column_names);
  g_strfreev (r->column_types);
  g_free (r->column_missing);
  g_free (r->column_distinct);
  g_strfreev (r->dataset_notices);
  g_free (r->target_description);
  g_strfreev (r->feature_names);
  g_free (r->roc_fpr);
  g_free (r->roc_tpr);
  g_clear_pointer (&r->integrated_gradients, gb_ig_result_free);
  g_clear_pointer (&r->explanations, g_ptr_array_unref);
  g_free (r->explain_background);
  g_clear_pointer (&r->fairness, g_ptr_array_unref);
  g_free (r->treatment_description);
  g_free (r->outcome_description);
  g_strfreev (r->covariate_names);
  g_clear_pointer (&r->notes, g_ptr_array_unref);
  g_free (r->prediction_description);
  g_clear_pointer (&r->fairness_mitigation, g_ptr_array_unref);
  g_clear_pointer (&r->fairness_proxies, g_array_unref);
  g_clear_pointer (&r->causal, gb_causal_analysis_free);
  g_clear_pointer (&r->model_interventions, g_array_unref);
  g_free (r->text_column);
  g_strfreev (r->class_names);
  g_clear_pointer (&r->reliability, gb_reliability_free);
  g_free (r->confusion);
  g_free (r->baseline_description);
  g_free (r->split);
  g_free (r->labels);
  g_free (r->model_sha256);
  g_clear_pointer (&r->tcav, g_ptr_array_unref);
  g_clear_pointer (&r->counterfactual, g_ptr_array_unref);
  if (r->estimates != NULL)
    {
      for (guint i = 0; i < r->estimates->len; i++)
        gb_estimate_clear (&g_array_index (r->estimates, GbEstimate, i));
      g_array_unref (r->estimates);
    }
  g_free (r);
}

static void
gb_audit_finalize (GObject *object)
{
  GbAudit *self = GB_AUDIT (object);

  settings_clear (&self->settings);
  g_clear_object (&self->dataset);
  g_clear_object (&self->model);
  g_clear_pointer (&self->results, gb_audit_results_free);
  G_OBJECT_CLASS (gb_audit_parent_class)->finalize (object);
}

static void
gb_audit_class_init (GbAuditClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gb_audit_finalize;
}

static void
gb_audit_init (GbAudit *self)
{
  settings_init_default (&self->settings);
}

GbAudit *
gb_audit_new (void)
{
  return g_object_new (GB_TYPE_AUDIT, NULL);
}

GbAuditSettings *
gb_audit_get_settings (GbAudit *self)
{
  g_return_val_if_fail (GB_IS_AUDIT (self), NULL);
  return &self->settings;
}

void
gb_audit_apply_example (GbAudit *self, const char *examples_dir)
{
  GbAuditSettings *s = &self->settings;
  const char *protected[] = { "sex", "race", NULL };
  const char *covariates[] = { "age", "sex", "race", "marital-status", "hours-per-week", NULL };

  settings_clear (s);
  s->csv_path = g_build_filename (examples_dir, "adult", "adult.csv", NULL);
  s->target = g_strdup ("income-per-year");
  s->positive = g_strdup (">50K");
  s->protected_attributes = g_strdupv ((char **) protected);
  s->treatment = g_strdup ("education-num>=13");
  s->outcome = g_strdup ("income-per-year==>50K");
  s->covariates = g_strdupv ((char **) covariates);
  s->intersections = TRUE;
  /* thresholds need no retraining; --mitigate=reweighing retrains the
   * transformer (a second training run) */
  s->mitigate = g_strdup ("thresholds");
}

void
gb_audit_use_text (GbAudit *self, const char *column)
{
  GbAuditSettings *s = &self->settings;

  g_return_if_fail (GB_IS_AUDIT (self));
  g_free (s->text_column);
  s->text_column = g_strdup (column);
  if (column == NULL)
    return;
  /* a small text transformer trained from scratch on a few thousand rows
   * (the settings of tests/test-model.c's SMS spam and Symptom2Disease runs) */
  s->train.batch_size = 32;
  s->train.learning_rate = 2e-3;
  s->train.warmup_fraction = 0.1;
  s->train.dropout = 0.1;
  s->model.max_length = 64;
}

void
gb_audit_set_dataset (GbAudit *self, GbDataset *dataset)
{
  g_return_if_fail (GB_IS_AUDIT (self));
  g_set_object (&self->dataset, dataset);
  if (dataset != NULL)
    {
      g_free (self->settings.csv_path);
      self->settings.csv_path = g_strdup (gb_dataset_get_path (dataset));
    }
}

GbDataset *
gb_audit_get_dataset (GbAudit *self)
{
  return self->dataset;
}

GbModel *
gb_audit_get_model (GbAudit *self)
{
  return self->model;
}

const GbAuditResults *
gb_audit_get_results (GbAudit *self)
{
  g_return_val_if_fail (GB_IS_AUDIT (self), NULL);
  return self->results;
}

/* ---------------------------------------------------------- command line */

static void
append_opt (GString *cmd, const char *name, const char *value)
{
  g_autofree char *arg = g_strdup_printf ("--%s=%s", name, value);
  g_autofree char *q = g_shell_quote (arg);
  g_string_append_c (cmd, ' ');
  g_string_append (cmd, q);
}

/* The reading options of @ds that a plain run (every option detected) would
 * not choose by itself, as glassbox-audit arguments: type overrides,
 * missing-value tokens, a delimiter other than the comma, an encoding other
 * than UTF-8, no header row.  What detection found is repeated only where it
 * differs from those defaults, so the command reads the file the same way. */
static char **
csv_arguments (GbDataset *ds)
{
  const GbCsvOptions *o = ds != NULL ? gb_dataset_get_options (ds) : NULL;
  GPtrArray *a;

  if (o == NULL)
    return NULL;
  a = g_ptr_array_new ();
  if (o->delimiter != '\0' && o->delimiter != ',')
    g_ptr_array_add (a, g_strdup_printf ("--delimiter=%s", o->delimiter == '\t' ? "tab"
                                         : o->delimiter == '|' ? "pipe"
                                         : (char[]) { o->delimiter, '\0' }));
  if (o->encoding != NULL && g_ascii_strcasecmp (o->encoding, "UTF-8") != 0
      && g_ascii_strcasecmp (o->encoding, "UTF8") != 0)
    g_ptr_array_add (a, g_strconcat ("--encoding=", o->encoding, NULL));
  if (o->header == GB_HEADER_ABSENT)
    g_ptr_array_add (a, g_strdup ("--header=no"));
  if (o->na_values != NULL)
    {
      g_autofree char *v = g_strjoinv (",", o->na_values);
      g_ptr_array_add (a, g_strconcat ("--na-values=", v, NULL));
    }
  for (guint i = 0; o->column_types && o->column_types[i]; i++)
    g_ptr_array_add (a, g_strconcat ("--column-type=", o->column_types[i], NULL));
  g_ptr_array_add (a, NULL);
  return (char **) g_ptr_array_free (a, FALSE);
}

char *
gb_audit_build_command_line (GbAudit *self)
{
  return gb_audit_settings_build_command_line (&self->settings);
}

char *
gb_audit_settings_build_command_line (const GbAuditSettings *s)
{
  GString *cmd = g_string_new ("glassbox-audit");

  if (s->target)
    append_opt (cmd, "target", s->target);
  if (s->positive)
    append_opt (cmd, "positive", s->positive);
  for (guint i = 0; s->protected_attributes && s->protected_attributes[i]; i++)
    append_opt (cmd, "protected", s->protected_attributes[i]);
  if (s->treatment)
    append_opt (cmd, "treatment", s->treatment);
  if (s->outcome)
    append_opt (cmd, "outcome", s->outcome);
  if (s->covariates && s->covariates[0])
    {
      g_autofree char *v = g_strjoinv (",", s->covariates);
      append_opt (cmd, "covariates", v);
    }
  if (s->features && s->features[0])
    {
      g_autofree char *v = g_strjoinv (",", s->features);
      append_opt (cmd, "features", v);
    }
  if (s->text_column)
    append_opt (cmd, "text", s->text_column);
  {
    GbTransformerConfig def;
    gb_transformer_config_init_default (&def);
    if (s->model.n_layers != def.n_layers)
      g_string_append_printf (cmd, " --layers=%u", s->model.n_layers);
    if (s->model.d_model != def.d_model)
      g_string_append_printf (cmd, " --d-model=%u", s->model.d_model);
    if (s->model.n_heads != def.n_heads)
      g_string_append_printf (cmd, " --heads=%u", s->model.n_heads);
    if (s->text_column && s->model.max_length > 0)
      g_string_append_printf (cmd, " --max-length=%u", s->model.max_length);
  }
  if (s->prediction)
    append_opt (cmd, "prediction", s->prediction);
  if (s->model_dir)
    append_opt (cmd, "model", s->model_dir);
  if (s->save_model_dir)
    append_opt (cmd, "save-model", s->save_model_dir);
  for (guint i = 0; s->tcav_concepts && s->tcav_concepts[i]; i++)
    append_opt (cmd, "tcav", s->tcav_concepts[i]);
  if (s->tcav_concepts && s->tcav_concepts[0] && s->tcav_layer > 0)
    g_string_append_printf (cmd, " --tcav-layer=%u", s->tcav_layer);
  if (s->text_column && s->counterfactual_pairs && s->counterfactual_pairs[0])
    {
      g_autofree char *v = g_strjoinv (",", s->counterfactual_pairs);
      append_opt (cmd, "counterfactual-pairs", v);
    }
  if (s->prediction_positive && s->prediction_positive[0])
    {
      g_autofree char *v = g_strjoinv (",", s->prediction_positive);
      append_opt (cmd, "prediction-positive", v);
    }
  if (s->score)
    {
      g_autofree char *t = gb_format_double (s->threshold);
      append_opt (cmd, "score", s->score);
      append_opt (cmd, "threshold", t);
    }
  for (guint i = 0; s->reference_groups && s->reference_groups[i]; i++)
    append_opt (cmd, "reference-group", s->reference_groups[i]);
  if (s->intersections)
    g_string_append (cmd, " --intersections");
  if (s->protected_attributes && s->protected_attributes[0])
    g_string_append_printf (cmd, " --min-group-size=%u --bootstrap=%u", s->min_group_size,
                            s->bootstrap);
  if (s->protected_attributes && s->protected_attributes[0] && s->decompose_rows != 100)
    g_string_append_printf (cmd, " --decompose-rows=%u", s->decompose_rows);
  if (s->mitigate)
    append_opt (cmd, "mitigate", s->mitigate);
  if (s->treatment && s->outcome)
    {
      g_autofree char *m = gb_causal_methods_to_string (s->causal_methods ? s->causal_methods
                                                                          : GB_CAUSAL_ALL_METHODS);
      append_opt (cmd, "estimators", m);
      append_opt (cmd, "estimand", gb_estimand_to_string (s->estimand));
      if (s->trim_alpha > 0)
        {
          g_autofree char *a = gb_format_double (s->trim_alpha);
          append_opt (cmd, "trim", a);
        }
      if (s->causal_bootstrap > 0)
        g_string_append_printf (cmd, " --causal-bootstrap=%u", s->causal_bootstrap);
      if (s->psm_known_propensity)
        g_string_append (cmd, " --psm-se=known");
    }
  g_string_append_printf (cmd, " --seed=%" G_GUINT64_FORMAT, s->seed);
  g_string_append_printf (cmd, " --epochs=%u", s->train.epochs);
  if (s->explain_row_ids && s->n_explain_row_ids > 0)
    {
      g_string_append (cmd, " --explain-rows=");
      for (gsize i = 0; i < s->n_explain_row_ids; i++)
        g_string_append_printf (cmd, "%s%" G_GSIZE_FORMAT, i ? "," : "", s->explain_row_ids[i]);
    }
  else
    g_string_append_printf (cmd, " --explain=%u", s->explain_rows);
  if (s->explainers && s->explainers[0])
    {
      g_autofree char *m = g_strjoinv (",", s->explainers);
      append_opt (cmd, "explainers", m);
    }
  if (s->shap_samples != 256)
    g_string_append_printf (cmd, " --shap-samples=%u", s->shap_samples);
  if (s->background_size != 10)
    g_string_append_printf (cmd, " --background=%u", s->background_size);
  if (s->lime_selection != GB_LIME_SELECTION_AUTO)
    append_opt (cmd, "lime-selection", gb_lime_selection_to_string (s->lime_selection));
  if (s->ig_baseline != GB_IG_BASELINE_DEFAULT)
    append_opt (cmd, "ig-baseline", gb_ig_baseline_to_string (s->ig_baseline));
  if (s->explain_class)
    append_opt (cmd, "explain-class", s->explain_class);
  if (s->train.n_threads > 0)
    g_string_append_printf (cmd, " --threads=%u", s->train.n_threads);
  g_autofree char *tf = gb_format_double (s->test_fraction);
  g_string_append_printf (cmd, " --test-fraction=%s", tf);
  /* the report (issue 8): the paper as printed (resolved from the locale
   * when "auto"), who signed it, the model card's texts and the sections */
  append_opt (cmd, "paper", s->paper && *s->paper && g_ascii_strcasecmp (s->paper, "auto") != 0
                              ? s->paper : gb_report_paper_for_locale ());
  if (s->model_card_path)
    append_opt (cmd, "model-card", s->model_card_path);
  if (s->auditor && *s->auditor)
    append_opt (cmd, "auditor", s->auditor);
  if (s->organisation && *s->organisation)
    append_opt (cmd, "organisation", s->organisation);
  if (s->omit_sections & GB_REPORT_OPTIONAL_SECTIONS)
    {
      g_autofree char *o = gb_report_sections_to_string (s->omit_sections
                                                         & GB_REPORT_OPTIONAL_SECTIONS);
      append_opt (cmd, "omit-sections", o);
    }
  for (guint i = 0; s->csv_arguments && s->csv_arguments[i]; i++)
    {
      g_autofree char *q = g_shell_quote (s->csv_arguments[i]);
      g_string_append_c (cmd, ' ');
      g_string_append (cmd, q);
    }
  if (s->csv_path)
    {
      g_autofree char *q = g_shell_quote (s->csv_path);
      g_string_append_c (cmd, ' ');
      g_string_append (cmd, q);
    }
  return g_string_free (cmd, FALSE);
}

/* ------------------------------------------------------------ validation */

static gboolean
check_column (GbDataset *ds, const char *option, const char *name, GError **error)
{
  if (gb_dataset_find_column (ds, name) < 0)
    {
      g_autofree char *known = gb_dataset_describe_columns (ds, 12);
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--%s: unknown column “%s” in %s; the columns are %s", option, name,
                   gb_dataset_get_path (ds), known);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_spec (GbDataset *ds, const char *option, const char *spec, GError **error)
{
  int col;
  GbCompareOp op;
  g_autofree char *value = NULL;
  GError *local = NULL;

  if (!gb_variable_spec_parse (ds, spec, &col, &op, &value, &local))
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT, "--%s: %s", option,
                   local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}

/* The options of the fairness audit (issue 6): prediction or score column,
 * reference groups, mitigation. */
static gboolean
validate_fairness (const GbAuditSettings *s, GbDataset *ds, GError **error)
{
  if (s->prediction && s->score)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--prediction and --score: give one of them (a column of predicted labels, "
                   "or a column of scores with --threshold)");
      return FALSE;
    }
  if ((s->prediction || s->score) && s->target == NULL)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--%s needs --target: the true labels the predictions are compared with",
                   s->prediction ? "prediction" : "score");
      return FALSE;
    }
  if (s->prediction_positive && s->prediction == NULL)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--prediction-positive needs --prediction=COLUMN");
      return FALSE;
    }
  if (s->prediction)
    {
      if (!check_column (ds, "prediction", s->prediction, error))
        return FALSE;
      const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, s->prediction));
      if (c->type == GB_COLUMN_TEXT)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--prediction: column “%s” is text; it must hold labels (categorical or 0/1)",
                       s->prediction);
          return FALSE;
        }
      if (c->type == GB_COLUMN_CATEGORICAL && !(s->prediction_positive && s->prediction_positive[0]))
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--prediction: column “%s” is categorical; say which values mean selected "
                       "with --prediction-positive=VALUE[,VALUE…]", s->prediction);
          return FALSE;
        }
      for (guint i = 0; c->type == GB_COLUMN_CATEGORICAL && s->prediction_positive[i]; i++)
        {
          gboolean found = FALSE;
          for (guint l = 0; l < c->levels->len; l++)
            found |= g_strcmp0 (g_ptr_array_index (c->levels, l), s->prediction_positive[i]) == 0;
          if (!found)
            {
              g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "--prediction-positive: value “%s” does not occur in column “%s”",
                           s->prediction_positive[i], c->name);
              return FALSE;
            }
        }
    }
  if (s->score)
    {
      if (!check_column (ds, "score", s->score, error))
        return FALSE;
      const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, s->score));
      if (c->type != GB_COLUMN_NUMERIC)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--score: column “%s” is %s; a score column must be numeric",
                       s->score, gb_column_type_to_string (c->type));
          return FALSE;
        }
      if (!isfinite (s->threshold))
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--threshold: must be a finite number");
          return FALSE;
        }
    }
  for (guint i = 0; s->reference_groups && s->reference_groups[i]; i++)
    if (strchr (s->reference_groups[i], '=') == NULL)
      {
        g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                     "--reference-group: “%s” must be ATTRIBUTE=VALUE, e.g. race=White",
                     s->reference_groups[i]);
        return FALSE;
      }
  /* a reference VALUE of a protected column must be one of its groups
   * (an intersection's groups are checked by the run) */
  for (guint i = 0; s->reference_groups && s->reference_groups[i]; i++)
    {
      const char *eq = strchr (s->reference_groups[i], '=');
      g_autofree char *attr = g_strndup (s->reference_groups[i], eq - s->reference_groups[i]);
      int col = gb_dataset_find_column (ds, attr);
      if (col < 0 || !(s->protected_attributes
                       && g_strv_contains ((const char *const *) s->protected_attributes, attr)))
        continue;
      const GbColumn *c = gb_dataset_get_column (ds, col);
      if (c->type != GB_COLUMN_CATEGORICAL)
        continue;
      gboolean found = FALSE;
      for (guint l = 0; l < c->levels->len && !found; l++)
        found = g_strcmp0 (g_ptr_array_index (c->levels, l), eq + 1) == 0;
      if (!found)
        {
          /* as gb_fairness_audit() names them */
          g_autoptr(GString) groups = g_string_new (NULL);
          for (guint l = 0; l < c->levels->len; l++)
            g_string_append_printf (groups, "%s“%s”", l ? ", " : "",
                                    (char *) g_ptr_array_index (c->levels, l));
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--reference-group: “%s” is not a group of “%s”; the groups are %s",
                       eq + 1, attr, groups->str);
          return FALSE;
        }
    }
  if (s->mitigate)
    {
      g_auto(GStrv) parts = g_strsplit (s->mitigate, ",", -1);
      for (guint i = 0; parts[i]; i++)
        if (g_strcmp0 (g_strstrip (parts[i]), "reweighing") != 0 && g_strcmp0 (parts[i], "thresholds") != 0)
          {
            g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                         "--mitigate: unknown method “%s”; use reweighing, thresholds or both "
                         "(reweighing,thresholds)", parts[i]);
            return FALSE;
          }
      if (!(s->protected_attributes && s->protected_attributes[0]))
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--mitigate needs --protected: the attribute whose gap to reduce");
          return FALSE;
        }
    }
  if (s->bootstrap > 0 && s->bootstrap < 100)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--bootstrap: %u replicates are too few for a 95 %% interval; use 0 (none) or "
                   "at least 100 (default 1000)", s->bootstrap);
      return FALSE;
    }
  return TRUE;
}

static int spec_column (GbDataset *ds, const char *spec);
static gboolean eval_target_classes (GbDataset *ds, const GbAuditSettings *s, double *y,
                                     guint *n_classes, char ***class_names, GError **error);

/* --explain-class=NAME: the index of NAME among the target's classes, or
 * GB_EXPLAIN_CLASS_PREDICTED (K > 2) / 1 (binary) without it; an unknown
 * name is a GB_DATA_ERROR / GB_ERROR_INVALID_ARGUMENT naming the classes. */
static gboolean
explain_class_index (GbDataset *ds, const GbAuditSettings *s, guint *out, GError **error)
{
  g_autofree double *y = g_new (double, MAX (gb_dataset_get_n_rows (ds), 1));
  g_auto(GStrv) names = NULL;
  guint K = 0;

  if (!eval_target_classes (ds, s, y, &K, &names, error))
    return FALSE;
  if (s->explain_class == NULL)
    {
      *out = K > 2 ? GB_EXPLAIN_CLASS_PREDICTED : 1;
      return TRUE;
    }
  for (guint k = 0; k < K; k++)
    if (g_strcmp0 (names[k], s->explain_class) == 0)
      {
        *out = k;
        return TRUE;
      }
  /* --positive=spam on a two-valued column names the other class “not spam”;
   * its own spelling (“ham”) names the same class. */
  if (K == 2 && s->positive && s->target)
    {
      int col = -1;
      GbCompareOp op = GB_COMPARE_NONE;
      g_autofree char *value = NULL;
      if (gb_variable_spec_parse (ds, s->target, &col, &op, &value, NULL) && col >= 0
          && op == GB_COMPARE_NONE)
        {
          const GbColumn *c = gb_dataset_get_column (ds, col);
          if (c->type == GB_COLUMN_CATEGORICAL && c->levels->len == 2)
            for (guint i = 0; i < 2; i++)
              if (g_strcmp0 (g_ptr_array_index (c->levels, i), s->explain_class) == 0
                  && g_strcmp0 (g_ptr_array_index (c->levels, 1 - i), s->positive) == 0)
                {
                  *out = 0;
                  return TRUE;
                }
        }
    }
  g_autofree char *known = g_strjoinv (", ", names);
  g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
               "--explain-class: “%s” is not a class of the target “%s”; the classes are %s",
               s->explain_class, s->target, known);
  return FALSE;
}

char **
gb_audit_settings_target_classes (const GbAuditSettings *settings, GbDataset *dataset,
                                  GError **error)
{
  g_autofree double *y = NULL;
  char **names = NULL;
  guint K = 0;

  g_return_val_if_fail (settings != NULL && GB_IS_DATASET (dataset), NULL);
  if (settings->target == NULL || settings->target[0] == '\0')
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT, "--target: no target chosen");
      return NULL;
    }
  if (!check_spec (dataset, "target", settings->target, error))
    return NULL;
  y = g_new (double, MAX (gb_dataset_get_n_rows (dataset), 1));
  if (!eval_target_classes (dataset, settings, y, &K, &names, error))
    return NULL;
  return names;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Whether @positive is a value of the categorical or numeric column @c;
 * *@values the column's distinct values for a message (the first 20). */
static gboolean
positive_occurs (const GbColumn *c, const char *positive, char **values)
{
  const guint shown_max = 20;
  g_autoptr(GString) list = g_string_new (NULL);
  gboolean found = FALSE;
  guint n_distinct = 0;

  if (c->type == GB_COLUMN_CATEGORICAL)
    {
      n_distinct = c->levels->len;
      for (guint i = 0; i < c->levels->len; i++)
        {
          const char *level = g_ptr_array_index (c->levels, i);
          found |= g_strcmp0 (level, positive) == 0;
          if (i < shown_max)
            g_string_append_printf (list, "%s%s", i ? ", " : "", level);
        }
    }
  else
    {
      char *end = NULL;
      double v = g_ascii_strtod (positive, &end);
      gboolean is_number = end != positive && *end == '\0' && isfinite (v);
      g_autoptr(GArray) d = g_array_sized_new (FALSE, FALSE, sizeof (double), c->n_rows);
      for (gsize i = 0; i < c->n_rows; i++)
        if (!isnan (c->numeric[i]))
          g_array_append_val (d, c->numeric[i]);
      g_array_sort (d, compare_doubles);
      for (guint i = 0; i < d->len; i++)
        {
          double x = g_array_index (d, double, i);
          if (i > 0 && x == g_array_index (d, double, i - 1))
            continue;
          found |= is_number && x == v;
          if (n_distinct++ < shown_max)
            {
              g_autofree char *s = gb_format_double (x);
              g_string_append_printf (list, "%s%s", list->len ? ", " : "", s);
            }
        }
    }
  if (n_distinct == 0)
    g_string_append (list, "all missing");
  else if (n_distinct > shown_max)
    g_string_append_printf (list, ", … (%u in all)", n_distinct);
  *values = g_string_free (g_steal_pointer (&list), FALSE);
  return found;
}

gboolean
gb_audit_validate (GbAudit *self, GbDataset *ds, GError **error)
{
  const GbAuditSettings *s = &self->settings;

  if (s->target && !check_spec (ds, "target", s->target, error))
    return FALSE;
  if (s->target && s->positive)
    {
      int col;
      GbCompareOp op;
      g_autofree char *value = NULL;
      gb_variable_spec_parse (ds, s->target, &col, &op, &value, NULL);
      const GbColumn *c = gb_dataset_get_column (ds, col);
      if (op != GB_COMPARE_NONE)
        {
          /* “y==1” with --positive=0 would silently invert every rate */
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--positive: the target “%s” is a condition, which already says which "
                       "rows are positive; leave out --positive (or give --target=%s "
                       "--positive=VALUE)", s->target, c->name);
          return FALSE;
        }
      if (c->type == GB_COLUMN_CATEGORICAL || c->type == GB_COLUMN_NUMERIC)
        {
          g_autofree char *values = NULL;
          if (!positive_occurs (c, s->positive, &values))
            {
              g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "--positive: value “%s” does not occur in column “%s”; its values "
                           "are %s", s->positive, c->name, values);
              return FALSE;
            }
        }
    }
  /* the classes a model would learn: binary or multi-class, two values at least */
  if (s->target && s->prediction == NULL && s->score == NULL)
    {
      g_autofree double *y = g_new (double, MAX (gb_dataset_get_n_rows (ds), 1));
      g_auto(GStrv) names = NULL;
      guint K = 0;
      if (!eval_target_classes (ds, s, y, &K, &names, error))
        return FALSE;
    }
  for (guint i = 0; s->protected_attributes && s->protected_attributes[i]; i++)
    {
      const char *name = s->protected_attributes[i];
      if (!check_column (ds, "protected", name, error))
        return FALSE;
      const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, name));
      if (c->type != GB_COLUMN_CATEGORICAL)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--protected: column “%s” is %s; a protected attribute must be "
                       "categorical (use a condition such as “%s>=40” as a column of its own)",
                       name, gb_column_type_to_string (c->type), name);
          return FALSE;
        }
    }
  if ((s->treatment != NULL) != (s->outcome != NULL))
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   s->treatment ? "--treatment needs --outcome" : "--outcome needs --treatment");
      return FALSE;
    }
  if (s->treatment && !check_spec (ds, "treatment", s->treatment, error))
    return FALSE;
  if (s->outcome && !check_spec (ds, "outcome", s->outcome, error))
    return FALSE;
  for (guint i = 0; s->covariates && s->covariates[i]; i++)
    {
      if (!check_column (ds, "covariates", s->covariates[i], error))
        return FALSE;
      /* adjusting for the outcome (or the treatment's own column) estimates nothing */
      const int ci = gb_dataset_find_column (ds, s->covariates[i]);
      if ((s->outcome && spec_column (ds, s->outcome) == ci)
          || (s->treatment && spec_column (ds, s->treatment) == ci))
        {
          gboolean is_outcome = s->outcome && spec_column (ds, s->outcome) == ci;
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--covariates: %s is the %s; a covariate must be measured before the "
                       "treatment and be neither — leave it out", s->covariates[i],
                       is_outcome ? "outcome" : "treatment");
          return FALSE;
        }
      const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, s->covariates[i]));
      if (c->type == GB_COLUMN_TEXT)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--covariates: column “%s” is text; covariates must be numeric or categorical",
                       s->covariates[i]);
          return FALSE;
        }
    }
  for (guint i = 0; s->features && s->features[i]; i++)
    {
      if (!check_column (ds, "features", s->features[i], error))
        return FALSE;
      /* a model given its own label scores 1.0 and audits nothing */
      if (s->target && s->prediction == NULL && s->score == NULL
          && spec_column (ds, s->target) == gb_dataset_find_column (ds, s->features[i]))
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--features: %s is the target; a model that reads its own label learns "
                       "nothing — leave it out", s->features[i]);
          return FALSE;
        }
      const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, s->features[i]));
      if (c->type == GB_COLUMN_TEXT)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--features: column “%s” is text; text features are not supported "
                       "by the tabular model yet", s->features[i]);
          return FALSE;
        }
    }
  if (s->text_column)
    {
      if (!check_column (ds, "text", s->text_column, error))
        return FALSE;
      const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, s->text_column));
      if (c->type == GB_COLUMN_NUMERIC)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--text: column “%s” is numeric; give a column of text (or read it as "
                       "text with --column-type=%s=text)", s->text_column, s->text_column);
          return FALSE;
        }
      if (s->target && spec_column (ds, s->target) == gb_dataset_find_column (ds, s->text_column))
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--text: column “%s” is also the target", s->text_column);
          return FALSE;
        }
    }
  {
    /* sizes past these abort in malloc during the run */
    const struct { const char *option; guint value, min, max; } sizes[] = {
      { "layers", s->model.n_layers, 1, GB_AUDIT_MAX_LAYERS },
      { "d-model", s->model.d_model, 1, GB_AUDIT_MAX_D_MODEL },
      { "heads", s->model.n_heads, 1, GB_AUDIT_MAX_HEADS },
      { "max-length", s->model.max_length, 0, GB_AUDIT_MAX_LENGTH },
    };
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      if (sizes[i].value < sizes[i].min || sizes[i].value > sizes[i].max)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--%s: %u is out of range; give %u to %u", sizes[i].option,
                       sizes[i].value, MAX (sizes[i].min, 1u), sizes[i].max);
          return FALSE;
        }
  }
  if (s->target && s->model_dir == NULL && s->prediction == NULL && s->score == NULL)
    {
      /* training keeps each block's activations of a batch: about 4 bytes ×
       * batch × layers × (3 heads T² + 10 T d_model + 3 T d_ff) (measured:
       * 0.65 GB for the estimated 0.88 GB at --max-length=512); more than
       * 8 GB would be killed or abort, not fail cleanly */
      const double n_feat = s->features && s->features[0] ? g_strv_length (s->features)
                                                          : gb_dataset_get_n_columns (ds);
      const double T = n_feat + 1.0 + (s->text_column ? (s->model.max_length ? s->model.max_length
                                                                              : 64) : 0);
      const double bytes = 4.0 * MAX (s->train.batch_size, 1u) * s->model.n_layers
                           * (3.0 * s->model.n_heads * T * T + 10.0 * T * s->model.d_model
                              + 3.0 * T * s->model.d_ff);
      if (bytes > 8e9)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--layers=%u, --d-model=%u, --heads=%u: training would hold about %"
                       G_GUINT64_FORMAT " GB of activations (batch %u, %u tokens per row); at "
                       "most 8 GB — make the model smaller%s", s->model.n_layers,
                       s->model.d_model, s->model.n_heads, (guint64) ceil (bytes / 1e9),
                       s->train.batch_size, (guint) T,
                       s->text_column ? " or --max-length shorter" : "");
          return FALSE;
        }
    }
  if (s->model.n_heads == 0 || s->model.d_model == 0 || s->model.d_model % s->model.n_heads != 0)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--heads: %u heads do not divide --d-model=%u", s->model.n_heads,
                   s->model.d_model);
      return FALSE;
    }
  if (!validate_fairness (s, ds, error))
    return FALSE;
  if (s->explainers)
    {
      GError *e = NULL;
      if (!gb_explain_check_methods ((const char *const *) s->explainers, &e))
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT, "--explainers: %s",
                       e->message);
          g_error_free (e);
          return FALSE;
        }
    }
  for (guint i = 0; s->tcav_concepts && s->tcav_concepts[i]; i++)
    {
      GError *e = NULL;
      g_autofree double *v = g_new (double, MAX (gb_dataset_get_n_rows (ds), 1));
      if (s->prediction != NULL || s->score != NULL || s->target == NULL)
        {
          g_set_error_literal (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                               "--tcav needs a model trained or loaded here (--target without "
                               "--prediction or --score)");
          return FALSE;
        }
      if (!gb_dataset_eval_variable (ds, s->tcav_concepts[i], NULL, v, &e))
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT, "--tcav: %s", e->message);
          g_error_free (e);
          return FALSE;
        }
      if (!gb_variable_is_binary (v, gb_dataset_get_n_rows (ds)))
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--tcav: “%s” is not a condition; write it as e.g. “sex==Female”",
                       s->tcav_concepts[i]);
          return FALSE;
        }
    }
  for (gsize i = 0; i < s->n_explain_row_ids; i++)
    if (s->explain_row_ids[i] >= gb_dataset_get_n_rows (ds))
      {
        g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                     "--explain-rows: row %" G_GSIZE_FORMAT " does not exist (rows are numbered "
                     "0 to %" G_GSIZE_FORMAT ")", s->explain_row_ids[i],
                     gb_dataset_get_n_rows (ds) - 1);
        return FALSE;
      }
  if (s->explain_class && s->target)
    {
      guint c;
      if (!explain_class_index (ds, s, &c, error))
        return FALSE;
    }
  /* a model trained here has s->model.n_layers blocks: a deeper TCAV layer
   * is known to be wrong before training (a saved model is checked later) */
  if (s->tcav_concepts && s->tcav_concepts[0] && s->model_dir == NULL && s->prediction == NULL
      && s->score == NULL && s->model.n_layers > 0 && s->tcav_layer > s->model.n_layers)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--tcav-layer: the model has %u encoder layers (1 to %u, see --layers); got %u",
                   s->model.n_layers, s->model.n_layers, s->tcav_layer);
      return FALSE;
    }
  /* a tabular model has no [MASK]/[PAD] position to fill: say so before training */
  if ((s->ig_baseline == GB_IG_BASELINE_MASK || s->ig_baseline == GB_IG_BASELINE_PAD)
      && s->text_column == NULL && s->model_dir == NULL && s->prediction == NULL
      && s->score == NULL
      && (s->explainers == NULL || g_strv_contains ((const char *const *) s->explainers,
                                                    "integrated_gradients")))
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--ig-baseline: the %s baseline needs a text model (--text); choose zero, "
                   "mean or expected for a tabular model", gb_ig_baseline_to_string (s->ig_baseline));
      return FALSE;
    }
  if (s->test_fraction <= 0.0 || s->test_fraction >= 1.0)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--test-fraction: must be between 0 and 1 (exclusive)");
      return FALSE;
    }
  return TRUE;
}

/* The column named by a spec (bare or condition), or -1. */
static int
spec_column (GbDataset *ds, const char *spec)
{
  int col = -1;
  GbCompareOp op;
  g_autofree char *value = NULL;
  if (spec == NULL || !gb_variable_spec_parse (ds, spec, &col, &op, &value, NULL))
    return -1;
  return col;
}

static char *
describe_spec (GbDataset *ds, const char *spec, const char *positive)
{
  int col;
  GbCompareOp op;
  g_autofree char *value = NULL;
  static const char *ops[] = { "", "=", "≠", "≥", "≤", ">", "<" };

  if (!gb_variable_spec_parse (ds, spec, &col, &op, &value, NULL))
    return g_strdup (spec);
  const char *name = gb_dataset_get_column (ds, col)->name;
  if (op == GB_COMPARE_NONE)
    return positive ? g_strdup_printf ("%s = %s", name, positive) : g_strdup (name);
  return g_strdup_printf ("%s %s %s", name, ops[op], value);
}

/* Whether a numeric column holds at most one distinct value (NaN, missing,
 * not counted): nothing a model could learn from. */
static gboolean
numeric_constant (const GbColumn *c)
{
  double first = NAN;

  for (gsize i = 0; i < c->n_rows; i++)
    if (!isnan (c->numeric[i]))
      {
        if (isnan (first))
          first = c->numeric[i];
        else if (c->numeric[i] != first)
          return FALSE;
      }
  return TRUE;
}

/* Features: the given list, else every column that is not the target or the
 * outcome, not text, not constant and not identifier-like. */
static GPtrArray *
choose_features (GbAudit *self, GbDataset *ds)
{
  const GbAuditSettings *s = &self->settings;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const int target_col = spec_column (ds, s->target);
  const int outcome_col = spec_column (ds, s->outcome);

  if (s->features && s->features[0])
    {
      for (guint i = 0; s->features[i]; i++)
        g_ptr_array_add (out, g_strdup (s->features[i]));
      return out;
    }
  for (guint j = 0; j < gb_dataset_get_n_columns (ds); j++)
    {
      const GbColumn *c = gb_dataset_get_column (ds, j);
      if ((int) j == target_col || (int) j == outcome_col || c->type == GB_COLUMN_TEXT)
        continue;
      if (c->type == GB_COLUMN_CATEGORICAL
          && (c->levels->len < 2 || c->levels->len > MAX (50, c->n_rows / 2)))
        continue;   /* constant or identifier-like */
      if (c->type == GB_COLUMN_NUMERIC && numeric_constant (c))
        continue;   /* constant, or missing in every row */
      g_ptr_array_add (out, g_strdup (c->name));
    }
  return out;
}

/* ------------------------------------------------------------- baseline */

/* Ridge logistic regression (λ = 1) on the training rows of X: one fit for
 * K = 2, one-vs-rest fits for K > 2 whose probabilities are renormalised
 * to sum 1 (scikit-learn's OneVsRestClassifier).  Fills proba (n, K). */
static gboolean
baseline_fit_proba (const double *X, gsize n, gsize p, const guint8 *split, const double *y,
                    guint K, double *proba, GError **error)
{
  gsize n_train = 0;
  for (gsize i = 0; i < n; i++)
    n_train += split[i] == 0;
  g_autofree double *Xt = g_new (double, n_train * p);
  g_autofree double *yt = g_new (double, n_train);
  g_autofree double *pk = g_new (double, n);
  for (gsize i = 0, k = 0; i < n; i++)
    if (split[i] == 0)
      memcpy (Xt + k++ * p, X + i * p, p * sizeof (double));
  for (guint c = (K == 2 ? 1 : 0); c < K; c++)
    {
      for (gsize i = 0, k = 0; i < n; i++)
        if (split[i] == 0)
          yt[k++] = y[i] == (double) c ? 1.0 : 0.0;
      g_autoptr(GbLogisticFit) fit = gb_logistic_fit (Xt, yt, NULL, n_train, p, 1.0, error);
      if (fit == NULL)
        return FALSE;
      gb_logistic_predict (fit, X, n, pk);
      for (gsize i = 0; i < n; i++)
        {
          proba[i * K + c] = pk[i];
          if (K == 2)
            proba[i * K] = 1.0 - pk[i];
        }
    }
  for (gsize i = 0; K > 2 && i < n; i++)
    {
      double sum = 0.0;
      for (guint c = 0; c < K; c++)
        sum += proba[i * K + c];
      for (guint c = 0; c < K; c++)
        proba[i * K + c] = sum > 0.0 ? proba[i * K + c] / sum : 1.0 / K;
    }
  return TRUE;
}

/* Logistic-regression baseline on the model's features: numeric columns
 * standardised on the training rows with a missing indicator (missing → 0),
 * categorical columns one-hot with a level for missing, then the p_extra
 * columns of @extra (n_rows, p_extra) (a text model's bag of words), if
 * any.  Ridge λ = 1 keeps rare levels finite.  Fills proba (n_rows of ds,
 * K) for every row. */
static gboolean
baseline_scores (GbDataset *ds, GPtrArray *features, const double *extra, gsize p_extra,
                 const guint8 *split, const double *y, guint K, double *proba, GError **error)
{
  const gsize n = gb_dataset_get_n_rows (ds);
  gsize p = 1 + p_extra;

  for (guint f = 0; f < features->len; f++)
    {
      const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, g_ptr_array_index (features, f)));
      p += c->type == GB_COLUMN_NUMERIC ? 2 : c->levels->len;   /* levels + missing − first */
    }
  g_autofree double *X = g_new0 (double, n * p);
  gsize off = 1;
  for (gsize i = 0; i < n; i++)
    X[i * p] = 1.0;
  for (guint f = 0; f < features->len; f++)
    {
      const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, g_ptr_array_index (features, f)));
      if (c->type == GB_COLUMN_NUMERIC)
        {
          double sum = 0, sum2 = 0;
          gsize cnt = 0;
          for (gsize i = 0; i < n; i++)
            if (split[i] == 0 && !isnan (c->numeric[i]))
              {
                sum += c->numeric[i];
                sum2 += c->numeric[i] * c->numeric[i];
                cnt++;
              }
          const double mean = cnt ? sum / cnt : 0.0;
          double sd = cnt > 1 ? sqrt (MAX (sum2 / cnt - mean * mean, 0.0)) : 1.0;
          if (sd <= 0.0)
            sd = 1.0;
          for (gsize i = 0; i < n; i++)
            {
              if (isnan (c->numeric[i]))
                X[i * p + off + 1] = 1.0;
              else
                X[i * p + off] = (c->numeric[i] - mean) / sd;
            }
          off += 2;
        }
      else
        {
          /* columns: levels 1..L-1, then "missing" */
          const guint L = c->levels->len;
          for (gsize i = 0; i < n; i++)
            {
              const gint32 code = c->codes[i];
              if (code < 0)
                X[i * p + off + (L - 1)] = 1.0;
              else if (code > 0)
                X[i * p + off + code - 1] = 1.0;
            }
          off += L;
        }
    }
  for (gsize i = 0; i < n && p_extra > 0; i++)
    memcpy (X + i * p + off, extra + i * p_extra, p_extra * sizeof (double));
  off += p_extra;
  g_assert (off == p);
  return baseline_fit_proba (X, n, p, split, y, K, proba, error);
}

/* Words of the bag-of-words baseline: the most frequent ones of the vocabulary. */
#define GB_AUDIT_BOW_WORDS 500u

/* The cell of a text (or categorical) column as text; NULL when missing. */
static const char *
text_cell (const GbColumn *c, gsize row)
{
  if (c->type == GB_COLUMN_TEXT)
    return c->text[row];
  if (c->type == GB_COLUMN_CATEGORICAL)
    return c->codes[row] >= 0 ? g_ptr_array_index (c->levels, c->codes[row]) : NULL;
  return NULL;
}

/* Bag of words for the baseline: per row, the count of each of the
 * GB_AUDIT_BOW_WORDS most frequent vocabulary words (ids 5 ..; the
 * vocabulary is ordered by training frequency) in the row's text as the
 * model's tokenizer splits it.  Returns (n_rows, *p_out), transfer full. */
static double *
bag_of_words (GbDataset *ds, const char *column, GbTokenizer *tok, gsize vocab_size, gsize *p_out)
{
  const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, column));
  const gsize n = gb_dataset_get_n_rows (ds);
  const gsize p = MIN ((gsize) GB_AUDIT_BOW_WORDS, vocab_size - GB_VOCAB_N_SPECIAL);
  double *bow = g_new0 (double, n * MAX (p, 1));

  for (gsize i = 0; i < n; i++)
    {
      const char *text = text_cell (c, i);
      g_autofree gint32 *ids = NULL;
      gsize n_ids = 0;
      if (text == NULL)
        continue;
      g_strfreev (gb_tokenizer_tokenize (tok, text, &ids, &n_ids));
      for (gsize t = 0; t < n_ids; t++)
        if (ids[t] >= GB_VOCAB_N_SPECIAL && (gsize) ids[t] < GB_VOCAB_N_SPECIAL + p)
          bow[i * p + ids[t] - GB_VOCAB_N_SPECIAL] += 1.0;
    }
  *p_out = p;
  return bow;
}

/* ------------------------------------------------------------------ run */

typedef struct {
  GbProgressFunc progress;
  gpointer user_data;
  double lo, hi;
  const char *message;
  double last_train_loss;   /* training only */
  double last_val_loss;
} Stage;

static void
stage_progress (double fraction, const char *message, gpointer data)
{
  Stage *st = data;
  if (st->progress)
    st->progress (st->lo + (st->hi - st->lo) * CLAMP (fraction, 0.0, 1.0),
                  st->message ? st->message : message, st->user_data);
}

static void
train_progress (guint epoch, guint n_epochs, double fraction, double train_loss,
                double val_loss, gpointer data)
{
  Stage *st = data;
  if (!isnan (train_loss))
    st->last_train_loss = train_loss;
  if (!isnan (val_loss))
    st->last_val_loss = val_loss;
  if (st->progress)
    {
      g_autofree char *msg = NULL;
      char b1[32], b2[32];
      if (!isnan (val_loss))
        msg = g_strdup_printf ("Training the transformer: epoch %u of %u, loss %s, validation loss %s",
                               epoch, n_epochs, g_ascii_formatd (b1, sizeof b1, "%.4f", train_loss),
                               g_ascii_formatd (b2, sizeof b2, "%.4f", val_loss));
      else
        msg = g_strdup_printf ("Training the transformer: epoch %u of %u", epoch, n_epochs);
      st->progress (st->lo + (st->hi - st->lo) * CLAMP (fraction, 0.0, 1.0), msg, st->user_data);
    }
}

/* g_strv_builder_take() is GLib 2.80; Debian 12 has 2.74. */
static void
strv_builder_take (GStrvBuilder *b, char *s)
{
  g_strv_builder_add (b, s);
  g_free (s);
}

static char **
library_versions (void)
{
  g_auto(GStrv) base = gb_library_versions ();
  GStrvBuilder *b = g_strv_builder_new ();
  g_strv_builder_addv (b, (const char **) base);
  strv_builder_take (b, g_strdup_printf ("Cairo %s", cairo_version_string ()));
  strv_builder_take (b, g_strdup_printf ("Pango %s", pango_version_string ()));
  strv_builder_take (b, g_strdup_printf ("json-glib %d.%d.%d", JSON_MAJOR_VERSION,
                                           JSON_MINOR_VERSION, JSON_MICRO_VERSION));
  strv_builder_take (b, g_strdup_printf ("libsoup %u.%u.%u", soup_get_major_version (),
                                           soup_get_minor_version (), soup_get_micro_version ()));
  char **out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

/* --model=DIR (engine/model/gb-model-io.h): the model's own features (and
 * text column) replace the chosen ones; *@tok receives a text model's
 * tokenizer. */
static gboolean
open_saved_model (GbAudit *self, const char *dir, GPtrArray *features, guint K,
                  GbAuditResults *r, GbTokenizer **tok, GError **error)
{
  GbAuditSettings *s = &self->settings;
  GbModelInfo info = { 0 };
  g_autoptr(GbModel) m = gb_model_io_open_with_text (dir, s->text_column, &info, tok, error);
  if (m == NULL)
    {
      g_prefix_error (error, "--model: ");
      return FALSE;
    }
  /* the JSON and the report describe the loaded model, not the defaults */
  s->model = *gb_model_get_config (m);
  if (info.has_train_config)
    {
      s->train = info.train;
      s->train.class_weights = NULL;
    }
  gb_model_info_clear (&info);
  /* A folder that does not fit the command line (the target's classes, the
   * text column) is a usage error (GB_DATA_ERROR, exit 2 in glassbox-audit);
   * one that cannot be read is a file error (GB_MODEL_ERROR, exit 1). */
  if (gb_model_get_n_classes (m) != K)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--model: %s has %u classes but the target has %u", dir,
                   gb_model_get_n_classes (m), K);
      return FALSE;
    }
  if (gb_model_get_config (m)->vocab_size > 0)
    {
      if (gb_model_get_text_column (m) == NULL)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--model: %s is a text model: give --text=COLUMN, the column it reads",
                       dir);
          return FALSE;
        }
      if (s->text_column == NULL)
        s->text_column = g_strdup (gb_model_get_text_column (m));
      r->vocab_size = gb_model_get_config (m)->vocab_size;
      g_free (r->text_column);
      r->text_column = g_strdup (s->text_column);
    }
  g_ptr_array_set_size (features, 0);
  for (guint j = 0; j < gb_model_get_n_features (m); j++)
    g_ptr_array_add (features, g_strdup (gb_model_get_feature_name (m, j)));
  self->model = g_steal_pointer (&m);
  return TRUE;
}

/* --save-model=DIR: the model with its schema, training settings and the
 * dataset's sha256. */
static gboolean
save_audit_model (GbAudit *self, GbDataset *ds, gsize n_train, gsize n_test, GbTokenizer *tok,
                  char **class_names, GError **error)
{
  GbAuditSettings *s = &self->settings;
  g_autofree char *source = s->model_dir ? g_strdup_printf ("glassbox:%s", s->model_dir) : NULL;
  GbModelInfo info = { 0 };

  info.source = source != NULL ? source : "trained";
  info.target = s->target;
  info.class_labels = class_names;
  info.data_path = s->csv_path;
  info.data_sha256 = (char *) gb_dataset_get_sha256 (ds);
  info.n_train_rows = n_train;
  info.n_validation_rows = n_test;
  info.has_train_config = s->model_dir == NULL;
  info.train = s->train;
  info.init_seed = s->seed;
  if (!gb_model_io_save (self->model, tok, &info, s->save_model_dir, error))
    {
      g_prefix_error (error, "--save-model: ");
      return FALSE;
    }
  return TRUE;
}

/* Most classes a categorical target may have before it looks like an identifier. */
#define GB_AUDIT_MAX_CLASSES 100u

/* The target as class indices (0 .. K−1 as double, NAN = missing) and the
 * class names.  A bare categorical target with more than two levels and no
 * --positive is a K-class target, class k being level k (levels are in
 * byte order); every other target is binary, 1 = the positive value or the
 * condition (gb_dataset_eval_variable()). */
static gboolean
eval_target_classes (GbDataset *ds, const GbAuditSettings *s, double *y, guint *n_classes,
                     char ***class_names, GError **error)
{
  const gsize n = gb_dataset_get_n_rows (ds);
  int col = -1;
  GbCompareOp op = GB_COMPARE_NONE;
  g_autofree char *value = NULL;
  const GbColumn *c = NULL;

  if (gb_variable_spec_parse (ds, s->target, &col, &op, &value, NULL))
    c = gb_dataset_get_column (ds, col);
  if (c != NULL && op == GB_COMPARE_NONE && s->positive == NULL
      && c->type == GB_COLUMN_CATEGORICAL && c->levels->len > 2)
    {
      if (c->levels->len > GB_AUDIT_MAX_CLASSES)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--target: column “%s” has %u values, more than the %u classes a "
                       "multi-class model may have; give --positive=VALUE for a binary target",
                       c->name, c->levels->len, GB_AUDIT_MAX_CLASSES);
          return FALSE;
        }
      for (gsize i = 0; i < n; i++)
        y[i] = c->codes[i] >= 0 ? (double) c->codes[i] : NAN;
      *n_classes = c->levels->len;
      *class_names = g_new0 (char *, c->levels->len + 1);
      for (guint k = 0; k < c->levels->len; k++)
        (*class_names)[k] = g_strdup (g_ptr_array_index (c->levels, k));
      return TRUE;
    }
  if (c != NULL && op == GB_COMPARE_NONE && s->positive == NULL
      && c->type == GB_COLUMN_CATEGORICAL && c->levels->len == 1)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--target: %s has only one value (%s) among the rows with a target; a "
                   "classifier needs two", s->target, (char *) g_ptr_array_index (c->levels, 0));
      return FALSE;
    }
  if (!gb_dataset_eval_variable (ds, s->target, s->positive, y, error))
    {
      g_prefix_error (error, "--target: ");
      return FALSE;
    }
  if (!gb_variable_is_binary (y, n))
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--target: “%s” is not binary; give --positive=VALUE or a condition "
                   "such as “%s>=VALUE”", s->target, s->target);
      return FALSE;
    }
  *n_classes = 2;
  *class_names = g_new0 (char *, 3);
  if (c != NULL && op == GB_COMPARE_NONE && c->type == GB_COLUMN_CATEGORICAL && s->positive == NULL)
    {
      (*class_names)[0] = g_strdup (g_ptr_array_index (c->levels, 0));
      (*class_names)[1] = g_strdup (g_ptr_array_index (c->levels, 1));
    }
  else if (s->positive != NULL)
    {
      (*class_names)[0] = g_strdup_printf ("not %s", s->positive);
      (*class_names)[1] = g_strdup (s->positive);
    }
  else
    {
      (*class_names)[0] = g_strdup (op == GB_COMPARE_NONE ? "0" : "false");
      (*class_names)[1] = g_strdup (op == GB_COMPARE_NONE ? "1" : "true");
    }
  /* a one-valued target would train a model on an invented second class */
  gsize n_class[2] = { 0, 0 };
  for (gsize i = 0; i < n; i++)
    if (!isnan (y[i]))
      n_class[y[i] == 1.0]++;
  if (n_class[0] == 0 || n_class[1] == 0)
    {
      if (n_class[0] + n_class[1] == 0)
        g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                     "--target: %s is missing on every row", s->target);
      else
        g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                     "--target: %s has only one value (%s) among the rows with a target; a "
                     "classifier needs two", s->target, (*class_names)[n_class[1] > 0]);
      g_clear_pointer (class_names, g_strfreev);
      return FALSE;
    }
  return TRUE;
}

/* --text: the word-level vocabulary of the training rows' text, and a text
 * (or text+features) model over it (engine/model/gb-vocab.h, gb-model.h).
 * Sets r->vocab_size; returns the tokenizer (transfer full) for the
 * bag-of-words baseline, or NULL with @error set. */
static GbTokenizer *
create_text_model (GbAudit *self, GbDataset *ds, GPtrArray *features, const guint8 *split,
                   const guint8 *train_mask, guint n_classes, GbAuditResults *r, GError **error)
{
  GbAuditSettings *s = &self->settings;
  const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, s->text_column));
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autofree const char **texts = g_new0 (const char *, MAX (n, 1));
  gsize n_texts = 0;

  for (gsize i = 0; i < n; i++)
    if (split[i] == 0)
      texts[n_texts++] = text_cell (c, i);
  g_autoptr(GbVocab) vocab = gb_vocab_build (texts, n_texts, MAX (s->vocab_min_freq, 1u), 20000,
                                             error);
  if (vocab == NULL)
    {
      g_prefix_error (error, "--text: column “%s”: ", s->text_column);
      return NULL;
    }
  g_autoptr(GbTokenizer) tok = gb_vocab_new_tokenizer (vocab);
  GbTransformerConfig cfg = s->model;
  cfg.vocab_size = gb_vocab_get_size (vocab);
  if (cfg.max_length == 0)
    cfg.max_length = 64;
  self->model = gb_model_new_text (ds, s->text_column, (const char *const *) features->pdata,
                                   features->len, train_mask, n_classes, &cfg, s->seed, error);
  if (self->model == NULL)
    return NULL;
  gb_model_use_tokenizer (self->model, tok);
  r->vocab_size = gb_vocab_get_size (vocab);
  r->vocab_min_freq = MAX (s->vocab_min_freq, 1u);
  r->text_column = g_strdup (s->text_column);
  return g_steal_pointer (&tok);
}

/* Held-out metrics of class probabilities @proba (n_test, K) against @yt. */
static void
held_out_metrics (const double *proba, const double *yt, gsize n_test, guint K,
                  double *accuracy, double *roc_auc, double *balanced_accuracy,
                  double *f1_macro, double *log_loss, double *brier, double *ece,
                  GbReliability **reliability, guint64 **confusion)
{
  g_autofree double *pred = g_new (double, MAX (n_test, 1));
  gb_metrics_argmax (proba, n_test, K, pred);
  g_autoptr(GbClassReport) rep = gb_class_report_new (yt, pred, n_test, K);
  g_autoptr(GbReliability) rel = gb_reliability_top_label (yt, proba, n_test, K, 15);

  if (K > 2)
    {
      *accuracy = rep->accuracy;
      *roc_auc = gb_roc_auc_ovr (yt, proba, n_test, K);
    }
  *balanced_accuracy = rep->balanced_accuracy;
  *f1_macro = rep->f1_macro;
  *log_loss = gb_log_loss (yt, proba, n_test, K);
  *brier = gb_brier_score (yt, proba, n_test, K);
  *ece = rel->ece;
  if (reliability)
    *reliability = g_steal_pointer (&rel);
  if (confusion)
    *confusion = g_memdup2 (rep->confusion, (gsize) K * K * sizeof (guint64));
}

static gboolean
run_model (GbAudit *self, GbDataset *ds, GbAuditResults *r, double **out_test_score,
           double **out_y, guint8 **out_split, GCancellable *cancellable,
           GbProgressFunc progress, gpointer user_data, GError **error)
{
  GbAuditSettings *s = &self->settings;
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new (guint8, n);
  guint K = 2;
  g_auto(GStrv) class_names = NULL;
  g_autoptr(GbTokenizer) text_tok = NULL;

  if (!eval_target_classes (ds, s, y, &K, &class_names, error))
    return FALSE;
  gb_split_stratified (y, n, s->test_fraction, s->seed, split);

  /* with --text and no --features the model is text-only */
  g_autoptr(GPtrArray) features = s->text_column != NULL && !(s->features && s->features[0])
    ? g_ptr_array_new_with_free_func (g_free) : choose_features (self, ds);
  if (s->text_column != NULL)
    for (guint f = features->len; f-- > 0;)
      if (g_strcmp0 (g_ptr_array_index (features, f), s->text_column) == 0)
        g_ptr_array_remove_index (features, f);
  if (features->len == 0 && s->text_column == NULL && s->model_dir == NULL)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--features: no usable feature columns");
      return FALSE;
    }
  g_autofree guint8 *train_mask = g_new (guint8, n);
  gsize n_train = 0, n_test = 0, n_pos_test = 0;
  g_autofree gsize *class_count = g_new0 (gsize, K);
  for (gsize i = 0; i < n; i++)
    {
      train_mask[i] = split[i] == 0;
      n_train += split[i] == 0;
      n_test += split[i] == 1;
      n_pos_test += split[i] == 1 && y[i] == 1.0;
      if (split[i] == 1)
        class_count[(guint) y[i]]++;
    }
  if (n_train + n_test < 12)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--target: %" G_GSIZE_FORMAT " row(s) have a target value; at least 12 are "
                   "needed to train and evaluate", n_train + n_test);
      return FALSE;
    }
  if (n_train < 10 || n_test < 2)
    {
      g_autofree char *share = gb_format_double (s->test_fraction);
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--test-fraction=%s leaves %" G_GSIZE_FORMAT " of the %" G_GSIZE_FORMAT
                   " rows with a target for training and %" G_GSIZE_FORMAT " held out; at least "
                   "10 and 2 are needed", share, n_train, n_train + n_test, n_test);
      return FALSE;
    }

  s->train.seed = s->seed;
  g_clear_object (&self->model);
  Stage st = { progress, user_data, 0.10, 0.72, NULL, NAN, NAN };
  if (s->model_dir != NULL)
    {
      /* --model=DIR: a saved model predicts, nothing is trained */
      if (!open_saved_model (self, s->model_dir, features, K, r, &text_tok, error))
        return FALSE;
      r->train_seconds = 0.0;
      r->epochs_run = 0;
    }
  else
    {
      if (s->text_column != NULL)
        {
          text_tok = create_text_model (self, ds, features, split, train_mask, K, r, error);
          if (text_tok == NULL)
            return FALSE;
        }
      else
        self->model = gb_model_new_tabular (ds, (const char *const *) features->pdata,
                                            features->len, train_mask, K, &s->model, s->seed,
                                            error);
      if (self->model == NULL)
        return FALSE;
      gint64 t0 = g_get_monotonic_time ();
      if (!gb_model_train (self->model, ds, y, split, &s->train, cancellable, train_progress, &st,
                           error))
        return FALSE;
      r->train_seconds = (g_get_monotonic_time () - t0) / 1e6;
      gb_model_get_train_summary (self->model, &r->epochs_run, NULL, NULL);
    }
  r->n_parameters = gb_model_get_n_parameters (self->model);
  {
    /* the trained (or loaded) parameters, as model.safetensors stores them */
    gsize n_params = 0;
    const float *params = gb_model_get_parameters (self->model, &n_params);
    g_free (r->model_sha256);
    r->model_sha256 = params ? g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                            (const guchar *) params,
                                                            n_params * sizeof (float))
                             : NULL;
  }
  if (s->save_model_dir != NULL
      && !save_audit_model (self, ds, n_train, n_test, text_tok, class_names, error))
    return FALSE;

  /* held-out predictions */
  g_autofree gsize *test_rows = g_new (gsize, n_test);
  for (gsize i = 0, k = 0; i < n; i++)
    if (split[i] == 1)
      test_rows[k++] = i;
  if (gb_model_get_n_classes (self->model) != K)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--target: the model has %u classes but “%s” has %u",
                   gb_model_get_n_classes (self->model), s->target, K);
      return FALSE;
    }
  g_autofree double *proba = g_new (double, n_test * K);
  if (!gb_model_predict_proba (self->model, ds, test_rows, n_test, proba, cancellable, error))
    return FALSE;
  g_autofree double *score = g_new (double, n);
  g_autofree double *yt = g_new (double, n_test);
  g_autofree double *st_score = g_new (double, n_test);
  for (gsize i = 0; i < n; i++)
    score[i] = NAN;
  double ll = 0.0;
  for (gsize k = 0; k < n_test; k++)
    {
      /* K > 2: no single score; fairness and explanations are skipped */
      score[test_rows[k]] = K == 2 ? proba[k * 2 + 1] : NAN;
      st_score[k] = proba[k * K + MIN (K - 1, 1u)];
      yt[k] = y[test_rows[k]];
      const double pk = CLAMP (proba[k * K + (int) yt[k]], 1e-12, 1.0);
      ll -= log (pk);
    }
  r->final_val_loss = ll / n_test;     /* held-out cross-entropy of the final weights */
  r->final_train_loss = st.last_train_loss;
  if (K == 2)
    {
      r->accuracy = gb_accuracy (st_score, yt, n_test, 0.5);
      r->roc_auc = gb_roc_auc (st_score, yt, n_test);
      gb_roc_curve (st_score, yt, n_test, &r->roc_fpr, &r->roc_tpr, &r->roc_len);
    }
  held_out_metrics (proba, yt, n_test, K, &r->accuracy, &r->roc_auc, &r->balanced_accuracy,
                    &r->f1_macro, &r->log_loss, &r->brier, &r->ece, &r->reliability,
                    &r->confusion);
  r->n_classes = K;
  r->class_names = g_steal_pointer (&class_names);
  r->n_train = n_train;
  r->n_test = n_test;
  r->positive_rate_test = K == 2 ? (double) n_pos_test / n_test : NAN;
  {
    gsize most = 0;
    for (guint k = 0; k < K; k++)
      most = MAX (most, class_count[k]);
    r->majority_rate_test = (double) most / n_test;
  }
  r->has_model = TRUE;
  r->target_description = describe_spec (ds, s->target, s->positive);
  r->n_features = features->len;
  r->feature_names = g_new0 (char *, features->len + 1);
  for (guint f = 0; f < features->len; f++)
    r->feature_names[f] = g_strdup (g_ptr_array_index (features, f));

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (progress)
    progress (0.73, "Fitting the logistic-regression baseline", user_data);
  g_autofree double *bproba = g_new (double, n * K);
  g_autofree double *bproba_test = g_new (double, n_test * K);
  g_autofree double *bow = NULL;
  gsize p_bow = 0;
  GError *berr = NULL;
  if (text_tok != NULL)
    bow = bag_of_words (ds, s->text_column, text_tok, r->vocab_size, &p_bow);
  r->baseline_description =
    text_tok != NULL
      ? g_strdup_printf ("logistic regression (ridge λ = 1%s) on the counts of the %" G_GSIZE_FORMAT
                         " most frequent vocabulary words%s", K > 2 ? ", one-vs-rest" : "", p_bow,
                         features->len > 0 ? " and the model's features" : "")
      : g_strdup_printf ("logistic regression (ridge λ = 1%s, standardised numeric, one-hot "
                         "categorical)", K > 2 ? ", one-vs-rest" : "");
  if (baseline_scores (ds, features, bow, p_bow, split, y, K, bproba, &berr))
    {
      for (gsize k = 0; k < n_test; k++)
        {
          memcpy (bproba_test + k * K, bproba + test_rows[k] * K, K * sizeof (double));
          st_score[k] = bproba[test_rows[k] * K + MIN (K - 1, 1u)];
        }
      if (K == 2)
        {
          r->baseline_accuracy = gb_accuracy (st_score, yt, n_test, 0.5);
          r->baseline_roc_auc = gb_roc_auc (st_score, yt, n_test);
        }
      held_out_metrics (bproba_test, yt, n_test, K, &r->baseline_accuracy, &r->baseline_roc_auc,
                        &r->baseline_balanced_accuracy, &r->baseline_f1_macro,
                        &r->baseline_log_loss, &r->baseline_brier, &r->baseline_ece, NULL, NULL);
    }
  else
    {
      g_warning ("Logistic-regression baseline failed: %s", berr->message);
      g_error_free (berr);
      r->baseline_accuracy = r->baseline_roc_auc = NAN;
      r->baseline_balanced_accuracy = r->baseline_f1_macro = r->baseline_log_loss = NAN;
      r->baseline_brier = r->baseline_ece = NAN;
    }
  r->split = g_memdup2 (split, n);
  r->labels = g_memdup2 (y, n * sizeof (double));

  *out_test_score = g_steal_pointer (&score);
  *out_y = g_steal_pointer (&y);
  *out_split = g_steal_pointer (&split);
  return TRUE;
}

static gboolean
run_explanations (GbAudit *self, GbDataset *ds, GbAuditResults *r, const guint8 *split,
                  GCancellable *cancellable, GbProgressFunc progress, gpointer user_data,
                  GError **error)
{
  const GbAuditSettings *s = &self->settings;
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));

  /* Text models are explained row by row over each row's features and
   * word pieces, with its attention mask (gb-explain-text.h).  Each row
   * explains --explain-class, else the positive class of a binary target,
   * else (K > 2) its own predicted class; the rows record it. */
  guint explain_class;
  if (!explain_class_index (ds, s, &explain_class, error))
    return FALSE;

  /* the rows asked for, else the first explain_rows rows of the held-out
   * split, in file order */
  if (s->explain_row_ids && s->n_explain_row_ids > 0)
    g_array_append_vals (rows, s->explain_row_ids, s->n_explain_row_ids);
  else
    for (gsize i = 0; i < n && rows->len < s->explain_rows; i++)
      if (split[i] == 1)
        g_array_append_val (rows, i);
  if (rows->len == 0)
    return TRUE;

  /* engine/explain/gb-explain-run.c: one background (a k-means summary of
   * the training split), every method, deletion/insertion faithfulness */
  g_autoptr(GArray) pool = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    if (split[i] == 0)
      g_array_append_val (pool, i);
  GbExplainSettings es;
  gb_explain_settings_init_default (&es);
  es.methods = g_strdupv (s->explainers);
  es.ig.steps = s->ig_steps;
  es.seed = s->seed;
  es.background_size = MAX (s->background_size, 1u);
  /* 2^14 coalitions × the background per row is minutes per row for the
   * transformer, so the audit samples 256 paired coalitions (with standard
   * errors) beyond 9 features unless asked for exact values */
  es.shap.max_exact_units = s->shap_samples == 0 ? 14 : 9;
  es.shap.n_samples = s->shap_samples == 0 ? 2048 : s->shap_samples;
  es.lime.n_samples = 1000;
  es.lime.n_seeds = 3;
  es.lime.selection = s->lime_selection;
  es.ig.baseline = s->ig_baseline;
  es.class_index = explain_class;
  Stage st = { progress, user_data, 0.75, 0.90, "Explaining rows", NAN, NAN };
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GbExplainRun) run = gb_explain_run (self->model, ds, (gsize *) rows->data, rows->len,
                                                (gsize *) pool->data, pool->len, &es,
                                                cancellable, stage_progress, &st, error);
  gb_explain_settings_clear (&es);
  if (run == NULL)
    return FALSE;
  const GbExplanation *ige = gb_explain_run_lookup (run, "integrated_gradients");
  r->ig_seconds = ige ? ige->seconds : (g_get_monotonic_time () - t0) / 1e6;
  r->integrated_gradients = g_steal_pointer (&run->ig);
  r->explanations = g_steal_pointer (&run->explanations);
  r->explain_background = g_strdup (run->background->description);
  return TRUE;
}

/* --tcav=CONDITION (engine/explain/gb-tcav-run.c): per concept and class,
 * CAVs on the [CLS] output of one block from the training rows, directional
 * derivatives of the held-out rows. */
static gboolean
run_tcav (GbAudit *self, GbDataset *ds, GbAuditResults *r, const guint8 *split, const double *y,
          GCancellable *cancellable, GbProgressFunc progress, gpointer user_data,
          GError **error)
{
  const GbAuditSettings *s = &self->settings;
  const gsize n = gb_dataset_get_n_rows (ds);
  GbTcavOptions o;

  if (!(s->tcav_concepts && s->tcav_concepts[0]))
    return TRUE;
  const guint L = gb_model_get_config (self->model)->n_layers;
  if (s->tcav_layer > L)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--tcav-layer: the model has %u encoder layers (1 to %u); got %u", L, L,
                   s->tcav_layer);
      return FALSE;
    }
  g_autoptr(GArray) pool = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    if (split[i] == 0 || split[i] == 1)
      g_array_append_val (split[i] == 0 ? pool : held, i);
  gb_tcav_options_init_default (&o);
  o.layer = s->tcav_layer == 0 ? L - 1 : s->tcav_layer - 1;
  o.seed = s->seed;
  r->tcav = g_ptr_array_new_with_free_func ((GDestroyNotify) gb_tcav_result_free);
  r->tcav_layer = o.layer + 1;
  r->tcav_n_random = MIN (o.n_random, pool->len / o.n_runs);
  for (guint c = 0; s->tcav_concepts[c]; c++)
    {
      if (progress)
        progress (0.90, "Testing concepts (TCAV)", user_data);
      g_autoptr(GPtrArray) res = gb_tcav_model (self->model, ds, s->tcav_concepts[c],
                                                (gsize *) pool->data, pool->len,
                                                (gsize *) held->data, held->len, y, &o,
                                                cancellable, error);
      if (res == NULL)
        {
          g_prefix_error (error, "--tcav: ");
          return FALSE;
        }
      for (guint k = 0; k < res->len; k++)
        g_ptr_array_add (r->tcav, g_steal_pointer (&res->pdata[k]));
      g_ptr_array_set_free_func (res, NULL);
    }
  return TRUE;
}

/* --mitigate=reweighing with a transformer trained here: the model is
 * retrained from the same initialisation seed, architecture and training
 * settings with the Kamiran & Calders weights of @m (fitted on the training
 * split) as sample weights (gb_model_train_weighted()), and @m's before/after
 * become the audited model's and the retrained model's held-out predictions
 * at threshold 0.5.  Without such a model (loaded, text, no codes) @m keeps
 * the logistic-regression comparison and a note says so. */
static gboolean
reweigh_transformer (GbAudit *self, GbDataset *ds, GbAuditResults *r, GbFairnessMitigation *m,
                     const double *y, const double *score, const guint8 *split,
                     GPtrArray *features, const GbFairnessOptions *options, GError **error)
{
  const GbAuditSettings *s = &self->settings;
  const gsize n = gb_dataset_get_n_rows (ds);
  int ci = gb_dataset_find_column (ds, m->attribute);
  const GbColumn *c = ci >= 0 ? gb_dataset_get_column (ds, ci) : NULL;
  GbFairnessOptions o = *options;

  if (self->model == NULL || s->model_dir != NULL || gb_model_get_text_column (self->model) != NULL
      || c == NULL || c->codes == NULL || m->weights == NULL || score == NULL)
    {
      g_ptr_array_add (r->notes, g_strdup ("Reweighing was evaluated on a logistic-regression "
                                           "model, not by retraining the audited transformer "
                                           "(it was loaded, reads text, or the protected "
                                           "attribute is not categorical)."));
      return TRUE;
    }
  o.reference = NULL;
  g_autofree double *w = g_new (double, MAX (n, 1));
  g_autofree guint8 *train = g_new (guint8, MAX (n, 1));
  g_autofree guint8 *eval = g_new0 (guint8, MAX (n, 1));
  g_autofree double *before = g_new (double, MAX (n, 1));
  g_autofree double *after = g_new (double, MAX (n, 1));
  g_autofree double *s1 = g_new (double, MAX (n, 1));
  g_autoptr(GArray) test_rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize n_fit = 0;
  for (gsize i = 0; i < n; i++)
    {
      const gint32 g = c->codes[i];
      double wi = g >= 0 && !isnan (y[i]) && (y[i] == 0.0 || y[i] == 1.0)
        ? m->weights[(gsize) g * 2 + (int) y[i]] : NAN;
      w[i] = isnan (wi) ? 1.0 : wi;   /* rows without a group or label keep weight 1 */
      train[i] = split[i] == 0;
      n_fit += split[i] == 0 && !isnan (y[i]);
      before[i] = after[i] = s1[i] = NAN;
      if (split[i] == 1 && !isnan (y[i]) && !isnan (score[i]) && g >= 0)
        {
          eval[i] = 1;
          g_array_append_val (test_rows, i);
          before[i] = score[i] >= 0.5 ? 1.0 : 0.0;
        }
    }
  g_autoptr(GbModel) rw = gb_model_new_tabular (ds, (const char *const *) features->pdata,
                                                features->len, train, 2, &s->model, s->seed,
                                                error);
  if (rw == NULL)
    return FALSE;
  if (!gb_model_train_weighted (rw, ds, y, split, w, &s->train, NULL, NULL, NULL, error))
    return FALSE;
  g_autofree double *proba = g_new (double, MAX (test_rows->len, 1) * 2);
  if (!gb_model_predict_proba (rw, ds, (gsize *) test_rows->data, test_rows->len, proba, NULL,
                               error))
    return FALSE;
  for (guint k = 0; k < test_rows->len; k++)
    {
      const gsize i = g_array_index (test_rows, gsize, k);
      s1[i] = proba[k * 2 + 1];
      after[i] = s1[i] >= 0.5 ? 1.0 : 0.0;
    }
  const char *const *levels = (const char *const *) c->levels->pdata;
  GbFairnessResult *fb = gb_fairness_audit (c->name, c->codes, levels, c->levels->len, y, before,
                                            score, eval, n, &o, error);
  if (fb == NULL)
    return FALSE;
  GbFairnessResult *fa = gb_fairness_audit (c->name, c->codes, levels, c->levels->len, y, after,
                                            s1, eval, n, &o, error);
  if (fa == NULL)
    {
      gb_fairness_result_free (fb);
      return FALSE;
    }
  g_clear_pointer (&m->before, gb_fairness_result_free);
  g_clear_pointer (&m->after, gb_fairness_result_free);
  m->before = fb;
  m->after = fa;
  double ok0 = 0, ok1 = 0;
  for (guint k = 0; k < test_rows->len; k++)
    {
      const gsize i = g_array_index (test_rows, gsize, k);
      ok0 += before[i] == y[i];
      ok1 += after[i] == y[i];
    }
  m->accuracy_before = test_rows->len ? ok0 / test_rows->len : NAN;
  m->accuracy_after = test_rows->len ? ok1 / test_rows->len : NAN;
  m->n_fit = n_fit;
  m->n_eval = test_rows->len;
  m->threshold = 0.5;
  g_free (m->description);
  m->description = g_strdup_printf ("Reweighing (Kamiran & Calders 2012): the transformer was "
                                    "retrained with the weights P(group)·P(label)/P(group, label) "
                                    "of its %" G_GSIZE_FORMAT " training rows as sample weights "
                                    "(same architecture, initialisation seed and %u epochs) "
                                    "and both models are evaluated on the %" G_GSIZE_FORMAT
                                    " held-out rows at threshold 0.5.", n_fit, s->train.epochs,
                                    (gsize) test_rows->len);
  return TRUE;
}

/* Fairness on the rows of @mask (the held-out split, or every row with a
 * label when a prediction column is audited): every protected attribute,
 * their intersection, one Benjamini–Hochberg family, the proxy check and
 * the mitigations asked for (engine/fairness/gb-fairness-run.c). */
static gboolean
run_fairness_rows (GbAudit *self, GbDataset *ds, GbAuditResults *r, const double *pred,
                   const double *score, const double *y, const guint8 *mask,
                   const guint8 *split, GPtrArray *features, GError **error)
{
  const GbAuditSettings *s = &self->settings;
  const gsize n = gb_dataset_get_n_rows (ds);
  GbFairnessOptions o;

  gb_fairness_options_init_default (&o);
  o.bootstrap = s->bootstrap;
  o.seed = s->seed;
  o.min_group_size = s->min_group_size;
  g_clear_pointer (&r->fairness, g_ptr_array_unref);
  r->fairness = gb_fairness_audit_dataset (ds, (const char *const *) s->protected_attributes,
                                           (const char *const *) s->reference_groups,
                                           s->intersections, y, pred, score, mask, &o, error);
  if (r->fairness == NULL)
    return FALSE;
  r->n_fairness_rows = 0;
  for (gsize i = 0; i < n; i++)
    r->n_fairness_rows += mask[i] && !isnan (pred[i]) && !isnan (y[i]);
  for (guint a = 0; a < r->fairness->len; a++)
    {
      const GbFairnessResult *fr = g_ptr_array_index (r->fairness, a);
      if (fr->n_small > 0)
        g_ptr_array_add (r->notes, g_strdup_printf ("%u group(s) of “%s” have fewer than %u rows: "
                                                    "they are listed and flagged, compared with the "
                                                    "reference group, and left out of the min/max "
                                                    "metrics%s.", fr->n_small, fr->attribute,
                                                    s->min_group_size,
                                                    fr->summary_uses_all
                                                      ? " — except that fewer than two groups were "
                                                        "large enough, so all are used there" : ""));
    }

  /* proxy check over the model's (or every non-role) feature */
  if (features != NULL && features->len > 0)
    r->fairness_proxies = gb_fairness_proxy_check (ds, (const char *const *) s->protected_attributes,
                                                   (const char *const *) features->pdata,
                                                   features->len, mask);

  if (s->mitigate == NULL)
    return TRUE;
  const char *attribute = s->protected_attributes[0];
  g_auto(GStrv) methods = g_strsplit (s->mitigate, ",", -1);
  r->fairness_mitigation = g_ptr_array_new_with_free_func ((GDestroyNotify) gb_fairness_mitigation_free);
  for (guint k = 0; methods[k]; k++)
    {
      const char *method = g_strstrip (methods[k]);
      if (g_strcmp0 (method, "reweighing") == 0)
        {
          if (split == NULL || features == NULL)
            {
              g_ptr_array_add (r->notes, g_strdup ("Reweighing was asked for, but no model was "
                                                   "trained here (the predictions come from a "
                                                   "column), so it could not be evaluated."));
              continue;
            }
          GbFairnessMitigation *m =
            gb_fairness_mitigate_reweighing (ds, attribute, (const char *const *) features->pdata,
                                             features->len, y, split, &o, error);
          if (m == NULL)
            {
              g_prefix_error (error, "--mitigate=reweighing: ");
              return FALSE;
            }
          g_ptr_array_add (r->fairness_mitigation, m);
          if (!reweigh_transformer (self, ds, r, m, y, score, split, features, &o, error))
            {
              g_prefix_error (error, "--mitigate=reweighing: ");
              return FALSE;
            }
        }
      else if (g_strcmp0 (method, "thresholds") == 0)
        {
          if (score == NULL)
            {
              g_ptr_array_add (r->notes, g_strdup ("Group thresholds were asked for, but the "
                                                   "predictions have no score (use --score "
                                                   "instead of --prediction)."));
              continue;
            }
          for (int c = GB_FAIRNESS_CONSTRAINT_DEMOGRAPHIC_PARITY; c <= GB_FAIRNESS_CONSTRAINT_EQUALIZED_ODDS; c++)
            {
              GbFairnessMitigation *m =
                gb_fairness_mitigate_thresholds (ds, attribute, y, score,
                                                 s->score ? s->threshold : 0.5, mask, c, &o, error);
              if (m == NULL)
                {
                  g_prefix_error (error, "--mitigate=thresholds: ");
                  return FALSE;
                }
              g_ptr_array_add (r->fairness_mitigation, m);
            }
        }
    }
  return TRUE;
}

/* Why the gap exists (engine/fairness/gb-fairness-decompose.c): per
 * protected attribute (and intersection), the gap in mean predicted
 * probability between the group farthest from the reference group and the
 * reference, decomposed into features by KernelSHAP on --decompose-rows
 * held-out rows of each, with the explanations' background recipe. */
static gboolean
run_gap_decomposition (GbAudit *self, GbDataset *ds, GbAuditResults *r, const double *score,
                       const guint8 *mask, const guint8 *split, GError **error)
{
  const GbAuditSettings *s = &self->settings;
  const gsize n = gb_dataset_get_n_rows (ds);
  GbDecomposeOptions o;

  if (s->decompose_rows == 0 || self->model == NULL || r->fairness == NULL)
    return TRUE;
  if (gb_model_get_text_column (self->model) != NULL)
    {
      g_ptr_array_add (r->notes, g_strdup ("No decomposition of the fairness gaps: KernelSHAP "
                                           "attributes to feature tokens and does not yet handle "
                                           "a text model."));
      return TRUE;
    }
  g_autoptr(GArray) pool = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    if (split[i] == 0)
      g_array_append_val (pool, i);
  gb_decompose_options_init_default (&o);
  o.rows_per_group = s->decompose_rows;
  o.bootstrap = s->bootstrap;
  o.seed = s->seed;
  o.background_size = MAX (s->background_size, 1u);
  /* exact up to 9 features, else 64 paired coalition samples per row: a
   * decomposition explains hundreds of rows, and only their means matter —
   * each row's KernelSHAP sampling error is independent and averages out,
   * and the row bootstrap's intervals include it (gb-fairness-decompose.h) */
  o.shap.max_exact_units = 9;
  o.shap.n_samples = s->shap_samples == 0 ? 64 : MIN (s->shap_samples, 64u);
  /* enough coalitions for a non-singular system with many features */
  o.shap.n_samples = MAX (o.shap.n_samples, 4 * (r->n_features + 1));
  /* a decomposition that cannot be computed is a note, not a failed audit */
  g_autoptr(GError) local = NULL;
  if (!gb_fairness_decompose_results (self->model, ds, r->fairness,
                                      (const char *const *) s->protected_attributes, score, mask,
                                      (const gsize *) pool->data, pool->len, &o, NULL, &local))
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_ptr_array_add (r->notes, g_strdup_printf ("The gap decomposition stopped: %s",
                                                  local->message));
    }
  return TRUE;
}

static gboolean
run_fairness (GbAudit *self, GbDataset *ds, GbAuditResults *r, const double *score,
              const double *y, const guint8 *split, GError **error)
{
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autofree double *pred = g_new (double, n);
  g_autofree guint8 *mask = g_new (guint8, n);
  g_autoptr(GPtrArray) features = g_ptr_array_new ();

  for (gsize i = 0; i < n; i++)
    {
      pred[i] = isnan (score[i]) ? NAN : (score[i] >= 0.5 ? 1.0 : 0.0);
      mask[i] = split[i] == 1;
    }
  for (guint f = 0; f < r->n_features; f++)
    g_ptr_array_add (features, r->feature_names[f]);
  g_free (r->prediction_description);
  r->prediction_description = g_strdup ("the model trained here, held-out split, threshold 0.5");
  if (!run_fairness_rows (self, ds, r, pred, score, y, mask, split, features, error))
    return FALSE;
  return run_gap_decomposition (self, ds, r, score, mask, split, error);
}

/* No model: the predictions are a column of the CSV (--prediction with
 * --prediction-positive, or --score with --threshold); fairness runs on
 * every row with a label and a prediction. */
static gboolean
run_prediction_column (GbAudit *self, GbDataset *ds, GbAuditResults *r, GError **error)
{
  GbAuditSettings *s = &self->settings;
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autofree double *y = g_new (double, n);
  g_autofree double *pred = g_new (double, n);
  g_autofree double *score = NULL;
  g_autofree guint8 *mask = g_new (guint8, n);

  if (!gb_dataset_eval_variable (ds, s->target, s->positive, y, error))
    {
      g_prefix_error (error, "--target: ");
      return FALSE;
    }
  if (!gb_variable_is_binary (y, n))
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--target: “%s” is not binary; give --positive=VALUE or a condition "
                   "such as “%s>=VALUE”", s->target, s->target);
      return FALSE;
    }
  if (s->score)
    {
      const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, s->score));
      gboolean unit = TRUE;
      score = g_new (double, n);
      for (gsize i = 0; i < n; i++)
        {
          score[i] = c->numeric[i];
          pred[i] = isnan (score[i]) ? NAN : (score[i] >= s->threshold ? 1.0 : 0.0);
          unit &= isnan (score[i]) || (score[i] >= 0.0 && score[i] <= 1.0);
        }
      g_autofree char *t = gb_format_double (s->threshold);
      r->prediction_description = g_strdup_printf ("column “%s” ≥ %s (no model trained)", c->name, t);
      if (!unit)
        g_ptr_array_add (r->notes, g_strdup_printf ("Scores of “%s” fall outside [0, 1]: the "
                                                    "per-group Brier scores and calibration curves "
                                                    "treat them as probabilities and mean little.",
                                                    c->name));
    }
  else
    {
      const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, s->prediction));
      if (c->type == GB_COLUMN_CATEGORICAL)
        {
          g_autofree guint8 *positive = g_new0 (guint8, c->levels->len);
          for (guint l = 0; l < c->levels->len; l++)
            positive[l] = g_strv_contains ((const char *const *) s->prediction_positive,
                                           g_ptr_array_index (c->levels, l));
          for (gsize i = 0; i < n; i++)
            pred[i] = c->codes[i] < 0 ? NAN : positive[c->codes[i]];
        }
      else
        for (gsize i = 0; i < n; i++)
          {
            const double v = c->numeric[i];
            gboolean pos = FALSE;
            for (guint k = 0; s->prediction_positive && s->prediction_positive[k]; k++)
              pos |= v == g_ascii_strtod (s->prediction_positive[k], NULL);
            if (isnan (v))
              pred[i] = NAN;
            else if (s->prediction_positive && s->prediction_positive[0])
              pred[i] = pos;
            else if (v == 0.0 || v == 1.0)
              pred[i] = v;
            else
              {
                g_autofree char *vs = gb_format_double (v);
                g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                             "--prediction: column “%s” holds %s in row %" G_GSIZE_FORMAT
                             "; give --prediction-positive=VALUE[,VALUE…] or a column of 0/1",
                             c->name, vs, i + 1);
                return FALSE;
              }
          }
      g_autofree char *vals = s->prediction_positive ? g_strjoinv (", ", s->prediction_positive)
                                                     : g_strdup ("1");
      r->prediction_description = g_strdup_printf ("column “%s” = %s (no model trained)", c->name, vals);
    }
  gsize used = 0;
  for (gsize i = 0; i < n; i++)
    used += (mask[i] = !isnan (y[i]) && !isnan (pred[i]));
  if (used < 2)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--%s: only %" G_GSIZE_FORMAT " rows have both a target and a prediction",
                   s->score ? "score" : "prediction", used);
      return FALSE;
    }
  r->has_model = FALSE;
  r->target_description = describe_spec (ds, s->target, s->positive);
  if (!(s->protected_attributes && s->protected_attributes[0]))
    return TRUE;

  /* proxy candidates: every column without a role */
  g_autoptr(GPtrArray) features = choose_features (self, ds);
  for (guint f = features->len; f-- > 0;)
    if (g_strcmp0 (g_ptr_array_index (features, f), s->prediction) == 0
        || g_strcmp0 (g_ptr_array_index (features, f), s->score) == 0)
      g_ptr_array_remove_index (features, f);
  return run_fairness_rows (self, ds, r, pred, score, y, mask, NULL, features, error);
}

static gboolean
run_causal (GbAudit *self, GbDataset *ds, GbAuditResults *r, GError **error)
{
  const GbAuditSettings *s = &self->settings;
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autofree double *t = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *mask = g_new (guint8, n);
  GbEstimate est;

  if (!gb_dataset_eval_variable (ds, s->treatment, NULL, t, error))
    {
      g_prefix_error (error, "--treatment: ");
      return FALSE;
    }
  if (!gb_variable_is_binary (t, n))
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--treatment: “%s” is not binary; use a condition such as “%s>=VALUE”",
                   s->treatment, s->treatment);
      return FALSE;
    }
  if (!gb_dataset_eval_variable (ds, s->outcome, NULL, y, error))
    {
      g_prefix_error (error, "--outcome: ");
      return FALSE;
    }
  r->estimates = g_array_new (FALSE, TRUE, sizeof (GbEstimate));
  r->treatment_description = describe_spec (ds, s->treatment, NULL);
  r->outcome_description = describe_spec (ds, s->outcome, NULL);
  r->covariate_names = g_strdupv (s->covariates);
  if (r->covariate_names == NULL)
    r->covariate_names = g_new0 (char *, 1);

  for (gsize i = 0; i < n; i++)
    mask[i] = !isnan (t[i]) && !isnan (y[i]);

  /* propensity design on complete cases of the covariates */
  guint n_cov = s->covariates ? g_strv_length (s->covariates) : 0;
  g_autoptr(GbDesign) d = gb_design_matrix_build (ds, (const char *const *) s->covariates, n_cov,
                                                  mask, TRUE, TRUE, error);
  if (d == NULL)
    return FALSE;
  guint dropped = gb_design_drop_constant_columns (d);
  if (dropped > 0)
    g_ptr_array_add (r->notes, g_strdup_printf ("%u covariate level(s) absent from the rows used "
                                                "were left out of the propensity model.", dropped));
  if (d->n < n)
    {
      gsize complete = 0;
      for (gsize i = 0; i < n; i++)
        complete += mask[i];
      if (d->n < complete)
        g_ptr_array_add (r->notes, g_strdup_printf ("%" G_GSIZE_FORMAT " rows with a missing covariate "
                                                    "were left out of the causal estimates.",
                                                    complete - d->n));
    }
  g_autofree double *ys = g_new (double, d->n);
  g_autofree double *ts = g_new (double, d->n);
  for (gsize i = 0; i < d->n; i++)
    {
      ys[i] = y[d->rows[i]];
      ts[i] = t[d->rows[i]];
      r->n_treated += ts[i] == 1.0;
    }
  r->n_control = d->n - r->n_treated;

  /* Every requested estimator, balance, overlap, refutations and the
   * E-value (engine/causal/gb-analysis.c).  The propensity model is fitted
   * by maximum likelihood, falling back to a ridge penalty λ = 1 on the
   * standardised covariates where the MLE does not exist (a note says so). */
  GbCausalOptions co;
  gb_causal_options_init_default (&co);
  co.methods = s->causal_methods ? s->causal_methods : GB_CAUSAL_ALL_METHODS;
  co.estimand = s->estimand;
  co.trim_alpha = s->trim_alpha;
  co.bootstrap = s->causal_bootstrap;
  co.psm_known_propensity = s->psm_known_propensity;
  co.seed = s->seed;
  r->causal = gb_causal_analyze (ys, ts, d->X, (const char *const *) d->names->pdata, d->n, d->p,
                                 &co, NULL, error);
  if (r->causal == NULL)
    return FALSE;
  for (guint i = 0; i < r->causal->estimates->len; i++)
    {
      gb_estimate_copy (&g_array_index (r->causal->estimates, GbEstimate, i), &est);
      g_array_append_val (r->estimates, est);
    }
  for (guint i = 0; i < r->causal->notes->len; i++)
    g_ptr_array_add (r->notes, g_strdup (g_ptr_array_index (r->causal->notes, i)));
  r->has_causal = TRUE;
  return TRUE;
}

/* Held-out rows the model interventions use at most (a seeded random subset). */
#define GB_AUDIT_INTERVENTION_ROWS 2000u

/* do(A = a) for every level of every categorical protected attribute, on
 * the held-out rows (engine/causal/gb-intervention.c). */
static gboolean
run_model_interventions (GbAudit *self, GbDataset *ds, GbAuditResults *r, const guint8 *split,
                         GCancellable *cancellable, GError **error)
{
  const GbAuditSettings *s = &self->settings;
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));

  for (gsize i = 0; i < n; i++)
    if (split[i] == 1)
      g_array_append_val (rows, i);
  if (rows->len == 0 || gb_model_get_n_classes (self->model) != 2)
    return TRUE;
  if (rows->len > GB_AUDIT_INTERVENTION_ROWS)
    {
      /* a seeded random subset keeps the forward passes (one per level) cheap */
      g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (s->seed ^ 0x5eed));
      gsize *v = (gsize *) rows->data;
      guint total = rows->len;
      for (guint i = 0; i < GB_AUDIT_INTERVENTION_ROWS; i++)
        {
          guint j = (guint) g_rand_int_range (rand, (gint32) i, (gint32) rows->len);
          gsize tmp = v[i];
          v[i] = v[j];
          v[j] = tmp;
        }
      g_array_set_size (rows, GB_AUDIT_INTERVENTION_ROWS);
      g_ptr_array_add (r->notes, g_strdup_printf ("The interventions on the model use a random %u "
                                                  "of the %u held-out rows.",
                                                  GB_AUDIT_INTERVENTION_ROWS, total));
    }
  r->model_interventions = g_array_new (FALSE, TRUE, sizeof (GbModelIntervention));
  g_array_set_clear_func (r->model_interventions, (GDestroyNotify) gb_model_intervention_clear);
  for (guint a = 0; s->protected_attributes[a]; a++)
    {
      int ci = gb_dataset_find_column (ds, s->protected_attributes[a]);
      GArray *iv;
      if (ci < 0 || gb_dataset_get_column (ds, (guint) ci)->type != GB_COLUMN_CATEGORICAL)
        {
          g_ptr_array_add (r->notes, g_strdup_printf ("No model intervention on “%s”: it is not a "
                                                      "categorical column.",
                                                      s->protected_attributes[a]));
          continue;
        }
      iv = gb_causal_model_interventions (self->model, ds, s->protected_attributes[a],
                                          (const gsize *) rows->data, rows->len, 1, 200,
                                          s->seed, cancellable, error);
      if (iv == NULL)
        return FALSE;
      for (guint k = 0; k < iv->len; k++)
        {
          GbModelIntervention *mi = &g_array_index (iv, GbModelIntervention, k);
          g_array_append_val (r->model_interventions, *mi);
          memset (mi, 0, sizeof *mi);
        }
      g_array_unref (iv);
    }
  return TRUE;
}

/* Held-out rows the counterfactual substitution uses at most (a seeded random subset). */
#define GB_AUDIT_COUNTERFACTUAL_ROWS 5000u

/* Counterfactual substitution of identity terms for a text model (issues 6
 * and 7; engine/fairness/gb-counterfactual.h) on the held-out rows, one
 * result per pair list; each direction also becomes a model intervention
 * "text:LIST" = "A→B". */
static gboolean
run_counterfactual (GbAudit *self, GbDataset *ds, GbAuditResults *r, const guint8 *split,
                    GCancellable *cancellable, GError **error)
{
  const GbAuditSettings *s = &self->settings;
  static const char *const default_lists[] = { "gender", NULL };
  const char *const *lists = s->counterfactual_pairs && s->counterfactual_pairs[0]
    ? (const char *const *) s->counterfactual_pairs : default_lists;
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));

  if (g_strv_length ((char **) lists) == 1 && g_ascii_strcasecmp (lists[0], "none") == 0)
    return TRUE;
  for (gsize i = 0; i < n; i++)
    if (split[i] == 1)
      g_array_append_val (rows, i);
  if (rows->len == 0)
    return TRUE;
  if (rows->len > GB_AUDIT_COUNTERFACTUAL_ROWS)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (s->seed ^ 0xcf));
      gsize *v = (gsize *) rows->data;
      guint total = rows->len;
      for (guint i = 0; i < GB_AUDIT_COUNTERFACTUAL_ROWS; i++)
        {
          guint j = (guint) g_rand_int_range (rand, (gint32) i, (gint32) rows->len);
          gsize tmp = v[i];
          v[i] = v[j];
          v[j] = tmp;
        }
      g_array_set_size (rows, GB_AUDIT_COUNTERFACTUAL_ROWS);
      g_ptr_array_add (r->notes, g_strdup_printf ("The counterfactual term substitution uses a "
                                                  "random %u of the %u held-out rows.",
                                                  GB_AUDIT_COUNTERFACTUAL_ROWS, total));
    }
  r->counterfactual = g_ptr_array_new_with_free_func ((GDestroyNotify) gb_counterfactual_result_free);
  for (guint l = 0; lists[l]; l++)
    {
      g_autoptr(GbPairList) pairs = gb_pair_list_load (lists[l], error);
      if (pairs == NULL)
        {
          g_prefix_error (error, "--counterfactual-pairs: ");
          return FALSE;
        }
      GbCounterfactualResult *cf = gb_counterfactual_run (self->model, ds, pairs,
                                                          (const gsize *) rows->data, rows->len,
                                                          -1, 5, cancellable, error);
      if (cf == NULL)
        return FALSE;
      g_ptr_array_add (r->counterfactual, cf);
      if (r->model_interventions == NULL)
        {
          r->model_interventions = g_array_new (FALSE, TRUE, sizeof (GbModelIntervention));
          g_array_set_clear_func (r->model_interventions,
                                  (GDestroyNotify) gb_model_intervention_clear);
        }
      for (guint d = 0; d < cf->directions->len; d++)
        {
          const GbCounterfactualDirection *dir = g_ptr_array_index (cf->directions, d);
          /* the directed swaps when the list has groups, else the swap */
          if (cf->directions->len > 1 && dir->direction == GB_PAIR_SWAP)
            continue;
          GbModelIntervention mi = { 0 };
          mi.attribute = g_strdup_printf ("text:%s", cf->pair_list);
          mi.value = g_strdup (dir->label);
          mi.mean_change = dir->mean_change;
          mi.ci_low = dir->ci_low;
          mi.ci_high = dir->ci_high;
          mi.flip_rate = dir->flip_rate;
          mi.mean_probability = dir->mean_after;
          mi.n_rows = dir->n_rows;
          g_array_append_val (r->model_interventions, mi);
        }
    }
  return TRUE;
}

gboolean
gb_audit_run (GbAudit *self, GCancellable *cancellable, GbProgressFunc progress,
              gpointer user_data, GError **error)
{
  g_return_val_if_fail (GB_IS_AUDIT (self), FALSE);
  GbAuditSettings *s = &self->settings;
  gint64 t0 = g_get_monotonic_time ();

  if (self->dataset == NULL)
    {
      if (s->csv_path == NULL)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT, "No CSV file given");
          return FALSE;
        }
      Stage st = { progress, user_data, 0.0, 0.10, "Reading the CSV file", NAN, NAN };
      self->dataset = gb_dataset_new_from_file (s->csv_path, cancellable, stage_progress, &st, error);
      if (self->dataset == NULL)
        return FALSE;
    }
  GbDataset *ds = self->dataset;
  if (!gb_audit_validate (self, ds, error))
    return FALSE;

  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GbAuditResults *r = g_new0 (GbAuditResults, 1);
  r->created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  r->glassbox_version = g_strdup (gb_version_string ());
  r->library_versions = library_versions ();
  r->dataset_path = g_strdup (gb_dataset_get_path (ds));
  r->dataset_sha256 = g_strdup (gb_dataset_get_sha256 (ds));
  r->n_rows = gb_dataset_get_n_rows (ds);
  r->n_columns = gb_dataset_get_n_columns (ds);
  r->column_names = g_new0 (char *, r->n_columns + 1);
  r->column_types = g_new0 (char *, r->n_columns + 1);
  r->column_missing = g_new0 (gsize, r->n_columns);
  for (guint j = 0; j < r->n_columns; j++)
    {
      const GbColumn *c = gb_dataset_get_column (ds, j);
      r->column_names[j] = g_strdup (c->name);
      r->column_types[j] = g_strdup (gb_column_type_to_string (c->logical_type));
      r->column_missing[j] = c->n_missing;
    }
  r->column_distinct = g_new0 (gsize, MAX (r->n_columns, 1));
  for (guint j = 0; j < r->n_columns; j++)
    {
      g_autoptr(GbColumnSummary) cs = gb_dataset_summarize_column (ds, j, 0);
      r->column_distinct[j] = cs->distinct;
    }
  {
    GPtrArray *notices = gb_dataset_get_notices (ds);
    r->dataset_notices = g_new0 (char *, notices->len + 1);
    for (guint i = 0; i < notices->len; i++)
      r->dataset_notices[i] = g_strdup (g_ptr_array_index (notices, i));
  }
  r->fairness = g_ptr_array_new_with_free_func ((GDestroyNotify) gb_fairness_result_free);
  r->notes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < gb_dataset_get_notices (ds)->len; i++)
    g_ptr_array_add (r->notes, g_strdup (g_ptr_array_index (gb_dataset_get_notices (ds), i)));

  g_strfreev (s->csv_arguments);
  s->csv_arguments = csv_arguments (ds);
  g_free (s->command_line);
  s->command_line = gb_audit_build_command_line (self);

  gboolean ok = TRUE;
  if (s->target != NULL && (s->prediction != NULL || s->score != NULL))
    {
      if (progress)
        progress (0.50, "Computing fairness metrics of the prediction column", user_data);
      ok = run_prediction_column (self, ds, r, error);
    }
  else if (s->target != NULL)
    {
      g_autofree double *score = NULL, *y = NULL;
      g_autofree guint8 *split = NULL;
      ok = run_model (self, ds, r, &score, &y, &split, cancellable, progress, user_data, error)
        && run_explanations (self, ds, r, split, cancellable, progress, user_data, error)
        && run_tcav (self, ds, r, split, y, cancellable, progress, user_data, error);
      if (ok && s->protected_attributes && s->protected_attributes[0] && r->n_classes > 2)
        g_ptr_array_add (r->notes, g_strdup_printf ("No fairness metrics: they compare the rate of "
                                                    "a positive prediction between groups, and "
                                                    "the target has %u classes (give --positive="
                                                    "VALUE for a binary target).", r->n_classes));
      else if (ok && s->protected_attributes && s->protected_attributes[0])
        {
          if (progress)
            progress (0.90, "Computing fairness metrics", user_data);
          g_clear_pointer (&r->fairness, g_ptr_array_unref);
          ok = run_fairness (self, ds, r, score, y, split, error);
        }
      if (ok && s->protected_attributes && s->protected_attributes[0] && self->model
          && gb_model_get_text_column (self->model) != NULL)
        g_ptr_array_add (r->notes, g_strdup ("No interventions on the protected attributes: they "
                                             "swap feature tokens of an unmasked sequence, which "
                                             "a text model's padding does not allow yet."));
      else if (ok && s->protected_attributes && s->protected_attributes[0] && self->model)
        {
          if (progress)
            progress (0.91, "Intervening on the protected attributes", user_data);
          ok = run_model_interventions (self, ds, r, split, cancellable, error);
        }
      if (ok && self->model && gb_model_get_text_column (self->model) != NULL)
        {
          if (progress)
            progress (0.915, "Substituting identity terms in the text", user_data);
          ok = run_counterfactual (self, ds, r, split, cancellable, error);
        }
      else if (ok && s->counterfactual_pairs && s->counterfactual_pairs[0]
               && g_ascii_strcasecmp (s->counterfactual_pairs[0], "none") != 0)
        g_ptr_array_add (r->notes, g_strdup ("No counterfactual term substitution: the model "
                                             "reads no text (give --text=COLUMN)."));
    }
  if (ok && s->treatment != NULL && s->outcome != NULL)
    {
      if (progress)
        progress (0.92, "Estimating causal effects", user_data);
      ok = !g_cancellable_set_error_if_cancelled (cancellable, error)
        && run_causal (self, ds, r, error);
    }
  if (!ok)
    {
      gb_audit_results_free (r);
      return FALSE;
    }
  r->elapsed_seconds = (g_get_monotonic_time () - t0) / 1e6;
  g_clear_pointer (&self->results, gb_audit_results_free);
  self->results = r;
  if (progress)
    progress (1.0, "Audit finished", user_data);
  return TRUE;
}

gboolean
gb_audit_write_pdf (GbAudit *self, const char *path, GError **error)
{
  g_return_val_if_fail (GB_IS_AUDIT (self), FALSE);
  if (self->results == NULL)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Cannot write “%s”: the audit has not run yet", path);
      return FALSE;
    }
  return gb_report_write_pdf (&self->settings, self->results, path, error);
}

/* A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break. */
static void
csv_field (GString *out, const char *s)
{
  if (s == NULL)
    return;
  if (strpbrk (s, ",\"\r\n") == NULL)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *c = s; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

/* Rows predicted per model call when writing the scores. */
#define GB_AUDIT_SCORE_CHUNK 4096u

gboolean
gb_audit_write_scores (GbAudit *self, const char *path, GError **error)
{
  g_return_val_if_fail (GB_IS_AUDIT (self), FALSE);
  const GbAuditResults *r = self->results;
  static const char *const split_names[] = { "train", "held-out", "excluded" };

  if (r == NULL || self->model == NULL || self->dataset == NULL || r->split == NULL
      || r->labels == NULL || r->class_names == NULL)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--export-scores: cannot write “%s”: the audit has no model predictions "
                   "(it has not run, or audited a prediction column)", path);
      return FALSE;
    }
  GbDataset *ds = self->dataset;
  const gsize n = gb_dataset_get_n_rows (ds);
  const guint K = r->n_classes;
  GString *out = g_string_new ("row,split,label");
  for (guint k = 0; k < K; k++)
    {
      g_autofree char *h = g_strdup_printf ("p(%s)", r->class_names[k]);
      g_string_append_c (out, ',');
      csv_field (out, h);
    }
  g_string_append_c (out, '\n');

  g_autofree gsize *rows = g_new (gsize, GB_AUDIT_SCORE_CHUNK);
  g_autofree double *proba = g_new (double, (gsize) GB_AUDIT_SCORE_CHUNK * K);
  for (gsize start = 0; start < n; start += GB_AUDIT_SCORE_CHUNK)
    {
      const gsize B = MIN ((gsize) GB_AUDIT_SCORE_CHUNK, n - start);
      for (gsize b = 0; b < B; b++)
        rows[b] = start + b;
      if (!gb_model_predict_proba (self->model, ds, rows, B, proba, NULL, error))
        {
          g_prefix_error (error, "--export-scores: ");
          g_string_free (out, TRUE);
          return FALSE;
        }
      for (gsize b = 0; b < B; b++)
        {
          const gsize i = start + b;
          const double y = r->labels[i];
          g_string_append_printf (out, "%" G_GSIZE_FORMAT ",%s,", i, split_names[MIN (r->split[i], 2)]);
          if (!isnan (y) && y >= 0 && y < K)
            csv_field (out, r->class_names[(guint) y]);
          for (guint k = 0; k < K; k++)
            {
              g_autofree char *v = gb_format_double (proba[b * K + k]);
              g_string_append_c (out, ',');
              g_string_append (out, v);
            }
          g_string_append_c (out, '\n');
        }
    }
  GError *local = NULL;
  /* g_file_set_contents writes a temporary file and renames it: atomic. */
  gboolean ok = g_file_set_contents (path, out->str, (gssize) out->len, &local);
  if (!ok)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_IO, "--export-scores: cannot write “%s”: %s",
                   path, local->message);
      g_error_free (local);
    }
  g_string_free (out, TRUE);
  return ok;
}
