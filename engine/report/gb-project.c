/* gb-project.c — the `.glassbox` project file (JSON via json-glib). */
#include "gb-config.h"
#include "gb-project.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define GB_PROJECT_FORMAT 1

static void
settings_clear_strings (GbAuditSettings *s)
{
  gb_audit_settings_clear (s);
}

void
gb_project_free (GbProject *p)
{
  if (p == NULL)
    return;
  g_free (p->path);
  g_free (p->dataset_path);
  g_free (p->recorded_sha256);
  g_free (p->current_sha256);
  g_free (p->status_message);
  gb_csv_options_free (p->csv_options);
  settings_clear_strings (&p->settings);
  g_free (p);
}

/* ------------------------------------------------------------------ save */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_strv (JsonBuilder *b, const char *name, char **v)
{
  json_builder_set_member_name (b, name);
  if (v == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; v[i] != NULL; i++)
    json_builder_add_string_value (b, v[i]);
  json_builder_end_array (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
add_double (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, v);
}

/* @csv relative to the folder of @project when inside it, else absolute. */
static char *
stored_dataset_path (const char *project, const char *csv)
{
  g_autofree char *pdir = g_path_get_dirname (project);
  g_autofree char *pabs = g_canonicalize_filename (pdir, NULL);
  g_autofree char *cabs = g_canonicalize_filename (csv, NULL);
  gsize n = strlen (pabs);

  if (strncmp (cabs, pabs, n) == 0 && (cabs[n] == G_DIR_SEPARATOR || (n == 1 && pabs[0] == '/')))
    return g_strdup (cabs + n + (n == 1 ? 0 : 1));
  return g_steal_pointer (&cabs);
}

static const char *
delimiter_name (char d)
{
  switch (d)
    {
    case ',': return ",";
    case ';': return ";";
    case '\t': return "tab";
    case '|': return "|";
    default: return "auto";
    }
}

gboolean
gb_project_save (const char *path, const GbAuditSettings *s, const GbCsvOptions *csv_options,
                 const char *sha256, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *text = NULL;
  g_autofree char *seed = NULL;
  GError *local = NULL;

  g_return_val_if_fail (path != NULL && s != NULL, FALSE);
  if (s->csv_path == NULL)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "cannot save the project “%s”: no dataset is open", path);
      return FALSE;
    }
  if (sha256 == NULL)
    {
      hash = gb_sha256_file (s->csv_path, &local);
      if (hash == NULL)
        {
          g_set_error (error, GB_REPORT_ERROR, GB_ERROR_IO, "cannot save the project “%s”: %s",
                       path, local->message);
          g_error_free (local);
          return FALSE;
        }
      sha256 = hash;
    }
  stored = stored_dataset_path (path, s->csv_path);
  seed = g_strdup_printf ("%" G_GUINT64_FORMAT, s->seed);

  json_builder_begin_object (b);
  add_int (b, "glassbox_project", GB_PROJECT_FORMAT);
  add_string (b, "glassbox_version", gb_version_string ());

  json_builder_set_member_name (b, "dataset");
  json_builder_begin_object (b);
  add_string (b, "path", stored);
  add_string (b, "sha256", sha256);
  json_builder_set_member_name (b, "read");
  json_builder_begin_object (b);
  add_string (b, "delimiter", delimiter_name (csv_options ? csv_options->delimiter : 0));
  add_string (b, "encoding", csv_options ? csv_options->encoding : NULL);
  add_string (b, "header", !csv_options || csv_options->header == GB_HEADER_AUTO ? "auto"
                           : csv_options->header == GB_HEADER_PRESENT ? "present" : "absent");
  add_strv (b, "na_values", csv_options ? csv_options->na_values : NULL);
  add_strv (b, "column_types", csv_options ? csv_options->column_types : NULL);
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "roles");
  json_builder_begin_object (b);
  add_string (b, "target", s->target);
  add_string (b, "positive", s->positive);
  add_strv (b, "protected", s->protected_attributes);
  add_string (b, "treatment", s->treatment);
  add_string (b, "outcome", s->outcome);
  add_strv (b, "covariates", s->covariates);
  add_strv (b, "features", s->features);
  add_string (b, "prediction", s->prediction);
  add_strv (b, "prediction_positive", s->prediction_positive);
  add_string (b, "score", s->score);
  add_strv (b, "reference_groups", s->reference_groups);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "settings");
  json_builder_begin_object (b);
  add_string (b, "seed", seed);
  add_double (b, "test_fraction", s->test_fraction);
  add_int (b, "explain_rows", s->explain_rows);
  add_int (b, "ig_steps", s->ig_steps);
  add_double (b, "threshold", s->threshold);
  json_builder_set_member_name (b, "intersections");
  json_builder_add_boolean_value (b, s->intersections);
  add_int (b, "min_group_size", s->min_group_size);
  add_int (b, "bootstrap", s->bootstrap);
  add_int (b, "decompose_rows", s->decompose_rows);
  add_string (b, "mitigate", s->mitigate);
  json_builder_set_member_name (b, "model");
  json_builder_begin_object (b);
  add_int (b, "layers", s->model.n_layers);
  add_int (b, "d_model", s->model.d_model);
  add_int (b, "heads", s->model.n_heads);
  add_int (b, "d_ff", s->model.d_ff);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "train");
  json_builder_begin_object (b);
  add_int (b, "epochs", s->train.epochs);
  add_int (b, "batch_size", s->train.batch_size);
  add_double (b, "learning_rate", s->train.learning_rate);
  add_double (b, "weight_decay", s->train.weight_decay);
  add_double (b, "warmup_fraction", s->train.warmup_fraction);
  add_int (b, "threads", s->train.n_threads);
  json_builder_end_object (b);
  /* the rest of the analysis (issues 4, 5, 7) */
  add_int (b, "max_length", s->model.max_length);
  add_string (b, "text_column", s->text_column);
  add_int (b, "vocab_min_freq", s->vocab_min_freq);
  add_string (b, "model_dir", s->model_dir);
  add_strv (b, "explainers", s->explainers);
  json_builder_set_member_name (b, "explain_row_ids");
  if (s->explain_row_ids == NULL || s->n_explain_row_ids == 0)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_array (b);
      for (gsize i = 0; i < s->n_explain_row_ids; i++)
        json_builder_add_int_value (b, (gint64) s->explain_row_ids[i]);
      json_builder_end_array (b);
    }
  add_int (b, "shap_samples", s->shap_samples);
  add_int (b, "background_size", s->background_size);
  add_string (b, "ig_baseline", gb_ig_baseline_to_string (s->ig_baseline));
  add_string (b, "explain_class", s->explain_class);
  add_string (b, "lime_selection", gb_lime_selection_to_string (s->lime_selection));
  add_strv (b, "tcav_concepts", s->tcav_concepts);
  add_int (b, "tcav_layer", s->tcav_layer);
  {
    g_autofree char *methods = gb_causal_methods_to_string (s->causal_methods ? s->causal_methods
                                                                              : GB_CAUSAL_ALL_METHODS);
    add_string (b, "causal_methods", methods);
  }
  add_string (b, "estimand", gb_estimand_to_string (s->estimand));
  add_double (b, "trim_alpha", s->trim_alpha);
  add_int (b, "causal_bootstrap", s->causal_bootstrap);
  json_builder_set_member_name (b, "psm_known_propensity");
  json_builder_add_boolean_value (b, s->psm_known_propensity);
  json_builder_end_object (b);

  /* the report and the analyst's notes (issue 8) */
  json_builder_set_member_name (b, "report");
  json_builder_begin_object (b);
  add_string (b, "paper", s->paper);
  add_string (b, "auditor", s->auditor);
  add_string (b, "organisation", s->organisation);
  json_builder_set_member_name (b, "model_card");
  json_builder_begin_object (b);
  add_string (b, "model_details", s->model_card_details);
  add_string (b, "intended_use", s->model_card_intended_use);
  add_string (b, "factors", s->model_card_factors);
  add_string (b, "ethical_considerations", s->model_card_ethical_considerations);
  add_string (b, "caveats_and_recommendations", s->model_card_caveats);
  json_builder_end_object (b);
  add_string (b, "model_card_path", s->model_card_path);
  json_builder_set_member_name (b, "omit_sections");
  json_builder_begin_array (b);
  for (guint k = 0; k < GB_REPORT_N_SECTIONS; k++)
    if (!gb_report_section_included (s->omit_sections, k))
      json_builder_add_string_value (b, gb_report_section_name (k));
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  if (!g_file_set_contents (path, text, -1, &local))
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_IO, "cannot save the project: %s", local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ load */

typedef struct
{
  const char *file;
  GError **error;
  gboolean failed;
} Ctx;

static void
bad_member (Ctx *ctx, const char *where, const char *name, const char *want)
{
  if (ctx->failed)
    return;
  ctx->failed = TRUE;
  g_set_error (ctx->error, GB_REPORT_ERROR, GB_ERROR_PARSE, "%s: “%s.%s” must be %s",
               ctx->file, where, name, want);
}

static JsonObject *
get_object (Ctx *ctx, JsonObject *o, const char *where, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      bad_member (ctx, where, name, "an object");
      return NULL;
    }
  return json_node_get_object (n);
}

static char *
get_string (Ctx *ctx, JsonObject *o, const char *where, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (json_node_get_value_type (n) != G_TYPE_STRING)
    {
      bad_member (ctx, where, name, "a string");
      return NULL;
    }
  return g_strdup (json_node_get_string (n));
}

static char **
get_strv (Ctx *ctx, JsonObject *o, const char *where, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  JsonArray *a;
  GPtrArray *v;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      bad_member (ctx, where, name, "an array of strings");
      return NULL;
    }
  a = json_node_get_array (n);
  v = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (json_node_get_value_type (e) != G_TYPE_STRING)
        {
          bad_member (ctx, where, name, "an array of strings");
          g_ptr_array_set_free_func (v, g_free);
          g_ptr_array_unref (v);
          return NULL;
        }
      g_ptr_array_add (v, g_strdup (json_node_get_string (e)));
    }
  g_ptr_array_add (v, NULL);
  return (char **) g_ptr_array_free (v, FALSE);
}

static gboolean
is_number (JsonNode *n)
{
  GType t = json_node_get_value_type (n);
  return JSON_NODE_HOLDS_VALUE (n) && (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE);
}

static void
get_uint (Ctx *ctx, JsonObject *o, const char *where, const char *name, guint *out)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64
      || json_node_get_int (n) < 0 || json_node_get_int (n) > G_MAXUINT)
    {
      bad_member (ctx, where, name, "a whole number ≥ 0");
      return;
    }
  *out = (guint) json_node_get_int (n);
}

static void
get_double (Ctx *ctx, JsonObject *o, const char *where, const char *name, double *out)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return;
  if (!is_number (n))
    {
      bad_member (ctx, where, name, "a number");
      return;
    }
  *out = json_node_get_double (n);
}

GbProject *
gb_project_load (const char *path, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GbProject) p = NULL;
  g_autoptr(GbAudit) defaults = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *stored = NULL;
  g_autofree char *delim = NULL;
  g_autofree char *header = NULL;
  g_autofree char *seed = NULL;
  GError *local = NULL;
  JsonNode *root;
  JsonObject *top, *dataset, *read, *roles, *settings, *model, *train, *report, *card;
  g_autofree char *causal_methods = NULL, *estimand = NULL;
  g_auto(GStrv) omit = NULL;
  JsonNode *version;
  Ctx ctx = { base, error, FALSE };

  g_return_val_if_fail (path != NULL, NULL);

  if (!json_parser_load_from_file (parser, path, &local))
    {
      gboolean io = local->domain == G_FILE_ERROR;
      g_set_error (error, GB_REPORT_ERROR, io ? GB_ERROR_IO : GB_ERROR_PARSE,
                   "cannot open the project “%s”: %s", path, local->message);
      g_error_free (local);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || (version = json_object_get_member (json_node_get_object (root), "glassbox_project")) == NULL
      || !JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_PARSE,
                   "%s is not a Glassbox project (no “glassbox_project” version member)", base);
      return NULL;
    }
  if (json_node_get_int (version) > GB_PROJECT_FORMAT)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_PARSE,
                   "%s was saved by a newer Glassbox (project format %" G_GINT64_FORMAT
                   ", this version reads %d); update Glassbox to open it",
                   base, json_node_get_int (version), GB_PROJECT_FORMAT);
      return NULL;
    }
  top = json_node_get_object (root);

  p = g_new0 (GbProject, 1);
  p->path = g_strdup (path);
  p->csv_options = gb_csv_options_new ();
  defaults = gb_audit_new ();
  gb_audit_settings_copy (&p->settings, gb_audit_get_settings (defaults));
  gb_audit_settings_clear (&p->settings);   /* the default numbers; no strings */

  dataset = get_object (&ctx, top, "", "dataset");
  stored = get_string (&ctx, dataset, "dataset", "path");
  p->recorded_sha256 = get_string (&ctx, dataset, "dataset", "sha256");
  read = get_object (&ctx, dataset, "dataset", "read");
  delim = get_string (&ctx, read, "dataset.read", "delimiter");
  p->csv_options->encoding = get_string (&ctx, read, "dataset.read", "encoding");
  header = get_string (&ctx, read, "dataset.read", "header");
  p->csv_options->na_values = get_strv (&ctx, read, "dataset.read", "na_values");
  p->csv_options->column_types = get_strv (&ctx, read, "dataset.read", "column_types");

  roles = get_object (&ctx, top, "", "roles");
  p->settings.target = get_string (&ctx, roles, "roles", "target");
  p->settings.positive = get_string (&ctx, roles, "roles", "positive");
  p->settings.protected_attributes = get_strv (&ctx, roles, "roles", "protected");
  p->settings.treatment = get_string (&ctx, roles, "roles", "treatment");
  p->settings.outcome = get_string (&ctx, roles, "roles", "outcome");
  p->settings.covariates = get_strv (&ctx, roles, "roles", "covariates");
  p->settings.features = get_strv (&ctx, roles, "roles", "features");
  p->settings.prediction = get_string (&ctx, roles, "roles", "prediction");
  p->settings.prediction_positive = get_strv (&ctx, roles, "roles", "prediction_positive");
  p->settings.score = get_string (&ctx, roles, "roles", "score");
  p->settings.reference_groups = get_strv (&ctx, roles, "roles", "reference_groups");

  settings = get_object (&ctx, top, "", "settings");
  seed = get_string (&ctx, settings, "settings", "seed");
  get_double (&ctx, settings, "settings", "test_fraction", &p->settings.test_fraction);
  get_uint (&ctx, settings, "settings", "explain_rows", &p->settings.explain_rows);
  get_uint (&ctx, settings, "settings", "ig_steps", &p->settings.ig_steps);
  get_double (&ctx, settings, "settings", "threshold", &p->settings.threshold);
  {
    JsonNode *n = settings ? json_object_get_member (settings, "intersections") : NULL;
    if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
      {
        if (json_node_get_value_type (n) != G_TYPE_BOOLEAN)
          bad_member (&ctx, "settings", "intersections", "true or false");
        else
          p->settings.intersections = json_node_get_boolean (n);
      }
  }
  get_uint (&ctx, settings, "settings", "min_group_size", &p->settings.min_group_size);
  get_uint (&ctx, settings, "settings", "bootstrap", &p->settings.bootstrap);
  get_uint (&ctx, settings, "settings", "decompose_rows", &p->settings.decompose_rows);
  p->settings.mitigate = get_string (&ctx, settings, "settings", "mitigate");
  model = get_object (&ctx, settings, "settings", "model");
  get_uint (&ctx, model, "settings.model", "layers", &p->settings.model.n_layers);
  get_uint (&ctx, model, "settings.model", "d_model", &p->settings.model.d_model);
  get_uint (&ctx, model, "settings.model", "heads", &p->settings.model.n_heads);
  get_uint (&ctx, model, "settings.model", "d_ff", &p->settings.model.d_ff);
  train = get_object (&ctx, settings, "settings", "train");
  get_uint (&ctx, train, "settings.train", "epochs", &p->settings.train.epochs);
  get_uint (&ctx, train, "settings.train", "batch_size", &p->settings.train.batch_size);
  get_double (&ctx, train, "settings.train", "learning_rate", &p->settings.train.learning_rate);
  get_double (&ctx, train, "settings.train", "weight_decay", &p->settings.train.weight_decay);
  get_double (&ctx, train, "settings.train", "warmup_fraction", &p->settings.train.warmup_fraction);
  get_uint (&ctx, train, "settings.train", "threads", &p->settings.train.n_threads);
  get_uint (&ctx, settings, "settings", "max_length", &p->settings.model.max_length);
  p->settings.text_column = get_string (&ctx, settings, "settings", "text_column");
  get_uint (&ctx, settings, "settings", "vocab_min_freq", &p->settings.vocab_min_freq);
  p->settings.model_dir = get_string (&ctx, settings, "settings", "model_dir");
  p->settings.explainers = get_strv (&ctx, settings, "settings", "explainers");
  {
    JsonNode *n = settings ? json_object_get_member (settings, "explain_row_ids") : NULL;
    if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
      {
        JsonArray *a = JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
        guint len = a ? json_array_get_length (a) : 0;
        p->settings.explain_row_ids = g_new0 (gsize, MAX (len, 1));
        for (guint i = 0; a != NULL && i < len; i++)
          {
            JsonNode *e = json_array_get_element (a, i);
            if (json_node_get_value_type (e) != G_TYPE_INT64 || json_node_get_int (e) < 0)
              {
                a = NULL;
                break;
              }
            p->settings.explain_row_ids[i] = (gsize) json_node_get_int (e);
          }
        if (a == NULL)
          bad_member (&ctx, "settings", "explain_row_ids", "an array of row numbers ≥ 0");
        else
          p->settings.n_explain_row_ids = len;
      }
  }
  get_uint (&ctx, settings, "settings", "shap_samples", &p->settings.shap_samples);
  get_uint (&ctx, settings, "settings", "background_size", &p->settings.background_size);
  {
    g_autofree char *ig_baseline = get_string (&ctx, settings, "settings", "ig_baseline");
    if (ig_baseline != NULL
        && !gb_ig_baseline_from_string (ig_baseline, &p->settings.ig_baseline, NULL))
      bad_member (&ctx, "settings", "ig_baseline",
                  "“default”, “zero”, “mask”, “pad”, “mean” or “expected”");
  }
  p->settings.explain_class = get_string (&ctx, settings, "settings", "explain_class");
  {
    g_autofree char *lime_selection = get_string (&ctx, settings, "settings", "lime_selection");
    if (lime_selection != NULL
        && !gb_lime_selection_from_string (lime_selection, &p->settings.lime_selection, NULL))
      bad_member (&ctx, "settings", "lime_selection",
                  "“auto”, “highest_weights” or “forward_selection”");
  }
  p->settings.tcav_concepts = get_strv (&ctx, settings, "settings", "tcav_concepts");
  get_uint (&ctx, settings, "settings", "tcav_layer", &p->settings.tcav_layer);
  causal_methods = get_string (&ctx, settings, "settings", "causal_methods");
  estimand = get_string (&ctx, settings, "settings", "estimand");
  get_double (&ctx, settings, "settings", "trim_alpha", &p->settings.trim_alpha);
  get_uint (&ctx, settings, "settings", "causal_bootstrap", &p->settings.causal_bootstrap);
  {
    JsonNode *n = settings ? json_object_get_member (settings, "psm_known_propensity") : NULL;
    if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
      {
        if (json_node_get_value_type (n) != G_TYPE_BOOLEAN)
          bad_member (&ctx, "settings", "psm_known_propensity", "true or false");
        else
          p->settings.psm_known_propensity = json_node_get_boolean (n);
      }
  }

  report = get_object (&ctx, top, "", "report");
  p->settings.paper = get_string (&ctx, report, "report", "paper");
  p->settings.auditor = get_string (&ctx, report, "report", "auditor");
  p->settings.organisation = get_string (&ctx, report, "report", "organisation");
  card = get_object (&ctx, report, "report", "model_card");
  p->settings.model_card_details = get_string (&ctx, card, "report.model_card", "model_details");
  p->settings.model_card_intended_use = get_string (&ctx, card, "report.model_card", "intended_use");
  p->settings.model_card_factors = get_string (&ctx, card, "report.model_card", "factors");
  p->settings.model_card_ethical_considerations = get_string (&ctx, card, "report.model_card",
                                                              "ethical_considerations");
  p->settings.model_card_caveats = get_string (&ctx, card, "report.model_card",
                                               "caveats_and_recommendations");
  p->settings.model_card_path = get_string (&ctx, report, "report", "model_card_path");
  omit = get_strv (&ctx, report, "report", "omit_sections");
  if (ctx.failed)
    return NULL;
  if (causal_methods != NULL
      && !gb_causal_methods_parse (causal_methods, &p->settings.causal_methods, NULL))
    {
      bad_member (&ctx, "settings", "causal_methods", "a list of known causal estimators");
      return NULL;
    }
  if (estimand != NULL && !gb_estimand_from_string (estimand, &p->settings.estimand, NULL))
    {
      bad_member (&ctx, "settings", "estimand", "“ATE” or “ATT”");
      return NULL;
    }
  if (p->settings.paper != NULL && g_ascii_strcasecmp (p->settings.paper, "a4") != 0
      && g_ascii_strcasecmp (p->settings.paper, "letter") != 0
      && g_ascii_strcasecmp (p->settings.paper, "auto") != 0)
    {
      bad_member (&ctx, "report", "paper", "“a4”, “letter” or “auto”");
      return NULL;
    }
  if (omit != NULL)
    {
      g_autofree char *list = g_strjoinv (",", omit);
      if (!gb_report_sections_parse (list, &p->settings.omit_sections, NULL)
          || (p->settings.omit_sections & ~GB_REPORT_OPTIONAL_SECTIONS) != 0)
        {
          bad_member (&ctx, "report", "omit_sections",
                      "a list of optional report sections (summary, data, model-card, "
                      "performance, explanations, fairness, causal, methods)");
          return NULL;
        }
    }

  if (stored == NULL || p->recorded_sha256 == NULL)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_PARSE,
                   "%s: “dataset.path” and “dataset.sha256” are required", base);
      return NULL;
    }
  if (seed != NULL)
    {
      guint64 v;
      if (!g_ascii_string_to_unsigned (seed, 10, 0, G_MAXUINT64, &v, NULL))
        {
          bad_member (&ctx, "settings", "seed", "a decimal string such as \"42\"");
          return NULL;
        }
      p->settings.seed = v;
    }
  if (delim != NULL && !gb_csv_options_parse_delimiter (delim, &p->csv_options->delimiter, NULL))
    {
      bad_member (&ctx, "dataset.read", "delimiter", "“,”, “;”, “tab”, “|” or “auto”");
      return NULL;
    }
  if (header == NULL || strcmp (header, "auto") == 0)
    p->csv_options->header = GB_HEADER_AUTO;
  else if (strcmp (header, "present") == 0)
    p->csv_options->header = GB_HEADER_PRESENT;
  else if (strcmp (header, "absent") == 0)
    p->csv_options->header = GB_HEADER_ABSENT;
  else
    {
      bad_member (&ctx, "dataset.read", "header", "“auto”, “present” or “absent”");
      return NULL;
    }

  if (g_path_is_absolute (stored))
    p->dataset_path = g_strdup (stored);
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);
      p->dataset_path = g_canonicalize_filename (stored, dir);
    }
  p->settings.csv_path = g_strdup (p->dataset_path);

  p->current_sha256 = gb_sha256_file (p->dataset_path, &local);
  if (p->current_sha256 == NULL)
    {
      p->status = GB_PROJECT_DATASET_MISSING;
      p->status_message = g_strdup_printf ("the project's dataset cannot be read (%s); choose where the "
                                           "file is now", local->message);
      g_clear_error (&local);
    }
  else if (g_ascii_strcasecmp (p->current_sha256, p->recorded_sha256) != 0)
    {
      g_autofree char *name = g_path_get_basename (p->dataset_path);
      p->status = GB_PROJECT_DATASET_CHANGED;
      p->status_message = g_strdup_printf ("%s has changed since the project was saved (sha256 %.12s… then, "
                                           "%.12s… now); check the data, then open it anyway or choose "
                                           "the original file", name, p->recorded_sha256, p->current_sha256);
    }
  return g_steal_pointer (&p);
}

gboolean
gb_project_apply (GbProject *p, GbAudit *audit, gboolean accept_changed_dataset, GError **error)
{
  GbAuditSettings *s;

  g_return_val_if_fail (p != NULL && GB_IS_AUDIT (audit), FALSE);
  if (p->status == GB_PROJECT_DATASET_MISSING
      || (p->status == GB_PROJECT_DATASET_CHANGED && !accept_changed_dataset))
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_INVALID_ARGUMENT, "%s", p->status_message);
      return FALSE;
    }
  s = gb_audit_get_settings (audit);
  gb_audit_settings_copy (s, &p->settings);
  g_clear_pointer (&s->command_line, g_free);
  gb_audit_set_dataset (audit, NULL);
  return TRUE;
}
