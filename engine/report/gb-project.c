/* gb-project.c — the `.glassbox` project file (JSON via json-glib). */
#include "gb-config.h"
#include "gb-project.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define GB_PROJECT_FORMAT 1

static void
settings_clear_strings (GbAuditSettings *s)
{
  g_clear_pointer (&s->csv_path, g_free);
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
  JsonObject *top, *dataset, *read, *roles, *settings, *model, *train;
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
  p->settings = *gb_audit_get_settings (defaults);    /* numbers only: pointers cleared next */
  p->settings.csv_path = p->settings.target = p->settings.positive = NULL;
  p->settings.protected_attributes = p->settings.covariates = p->settings.features = NULL;
  p->settings.treatment = p->settings.outcome = p->settings.command_line = NULL;
  p->settings.prediction = p->settings.score = p->settings.mitigate = NULL;
  p->settings.prediction_positive = p->settings.reference_groups = NULL;

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
  if (ctx.failed)
    return NULL;

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
  settings_clear_strings (s);
  *s = p->settings;
  s->csv_path = g_strdup (p->settings.csv_path);
  s->target = g_strdup (p->settings.target);
  s->positive = g_strdup (p->settings.positive);
  s->protected_attributes = g_strdupv (p->settings.protected_attributes);
  s->treatment = g_strdup (p->settings.treatment);
  s->outcome = g_strdup (p->settings.outcome);
  s->covariates = g_strdupv (p->settings.covariates);
  s->features = g_strdupv (p->settings.features);
  s->command_line = NULL;
  s->prediction = g_strdup (p->settings.prediction);
  s->prediction_positive = g_strdupv (p->settings.prediction_positive);
  s->score = g_strdup (p->settings.score);
  s->reference_groups = g_strdupv (p->settings.reference_groups);
  s->mitigate = g_strdup (p->settings.mitigate);
  gb_audit_set_dataset (audit, NULL);
  return TRUE;
}
