/* test-schema.c — the audit JSON validates against docs/audit-schema.json
 * (issue 8: "the JSON validates against its schema").
 *
 * A validator for the JSON Schema (draft 2020-12) subset the schema uses:
 * type (string or array of strings), const, enum, required, properties,
 * additionalProperties (boolean or schema), items, minItems, maxItems,
 * pattern and local "$ref": "#/$defs/NAME".  Every violation is reported
 * with its JSON path ("$.model.metrics.roc_auc"), so the test also proves
 * the validator fails on a broken document. */
#include "gb-config.h"
#include "glassbox-engine.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *tmpdir;

static const char *
source_dir (void)
{
  const char *s = g_getenv ("GB_SOURCE_DIR");
  return s ? s : GB_SOURCE_DIR;
}

/* ------------------------------------------------------------ validator */

typedef struct
{
  JsonObject *root;   /* the schema document, for $ref */
  GPtrArray *errors;  /* char*: "PATH: message" */
} Validator;

static void
fail (Validator *v, const char *path, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
fail (Validator *v, const char *path, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_ptr_array_add (v->errors, g_strdup_printf ("%s: %s", path, msg));
}

static gboolean
is_type (JsonNode *n, const char *type)
{
  if (g_str_equal (type, "null"))
    return JSON_NODE_HOLDS_NULL (n);
  if (g_str_equal (type, "object"))
    return JSON_NODE_HOLDS_OBJECT (n);
  if (g_str_equal (type, "array"))
    return JSON_NODE_HOLDS_ARRAY (n);
  if (!JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  GType vt = json_node_get_value_type (n);
  if (g_str_equal (type, "string"))
    return vt == G_TYPE_STRING;
  if (g_str_equal (type, "boolean"))
    return vt == G_TYPE_BOOLEAN;
  if (g_str_equal (type, "number"))
    return vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE;
  if (g_str_equal (type, "integer"))
    {
      if (vt == G_TYPE_INT64)
        return TRUE;
      if (vt == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (n);
          return isfinite (d) && d == floor (d);
        }
      return FALSE;
    }
  g_error ("schema uses unsupported type “%s”", type);
  return FALSE;
}

static const char *
type_name (JsonNode *n)
{
  if (JSON_NODE_HOLDS_NULL (n))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (n))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (n))
    return "array";
  GType vt = json_node_get_value_type (n);
  return vt == G_TYPE_STRING ? "string" : vt == G_TYPE_BOOLEAN ? "boolean"
         : vt == G_TYPE_INT64 ? "integer" : "number";
}

static gboolean
nodes_equal (JsonNode *a, JsonNode *b)
{
  if (JSON_NODE_HOLDS_VALUE (a) && JSON_NODE_HOLDS_VALUE (b)
      && (json_node_get_value_type (a) == G_TYPE_DOUBLE || json_node_get_value_type (b) == G_TYPE_DOUBLE)
      && is_type (a, "number") && is_type (b, "number"))
    return json_node_get_double (a) == json_node_get_double (b);
  return json_node_equal (a, b);
}

static const char *const known_keywords[] = {
  "$schema", "$id", "$defs", "$ref", "title", "description", "type", "const", "enum", "required",
  "properties", "additionalProperties", "items", "minItems", "maxItems", "pattern", NULL,
};

static void validate (Validator *v, JsonNode *node, JsonObject *schema, const char *path);

static JsonObject *
resolve_ref (Validator *v, const char *ref)
{
  g_assert_true (g_str_has_prefix (ref, "#/$defs/"));
  JsonObject *defs = json_object_get_object_member (v->root, "$defs");
  g_assert_nonnull (defs);
  JsonObject *target = json_object_get_object_member (defs, ref + strlen ("#/$defs/"));
  g_assert_nonnull (target);
  return target;
}

static void
validate_schema_node (Validator *v, JsonNode *node, JsonNode *schema, const char *path)
{
  if (JSON_NODE_HOLDS_VALUE (schema) && json_node_get_value_type (schema) == G_TYPE_BOOLEAN)
    {
      if (!json_node_get_boolean (schema))
        fail (v, path, "not allowed here");
      return;
    }
  g_assert_true (JSON_NODE_HOLDS_OBJECT (schema));
  validate (v, node, json_node_get_object (schema), path);
}

static void
validate (Validator *v, JsonNode *node, JsonObject *schema, const char *path)
{
  /* the schema must use nothing this validator ignores */
  g_autoptr(GList) keys = json_object_get_members (schema);
  for (GList *l = keys; l; l = l->next)
    if (!g_strv_contains (known_keywords, l->data))
      g_error ("schema at %s uses unsupported keyword “%s”", path, (char *) l->data);

  if (json_object_has_member (schema, "$ref"))
    validate (v, node, resolve_ref (v, json_object_get_string_member (schema, "$ref")), path);

  if (json_object_has_member (schema, "type"))
    {
      JsonNode *t = json_object_get_member (schema, "type");
      gboolean ok = FALSE;
      g_autoptr(GString) want = g_string_new (NULL);
      if (JSON_NODE_HOLDS_ARRAY (t))
        {
          JsonArray *ta = json_node_get_array (t);
          for (guint i = 0; i < json_array_get_length (ta); i++)
            {
              const char *ty = json_array_get_string_element (ta, i);
              ok = ok || is_type (node, ty);
              g_string_append_printf (want, "%s%s", i ? " or " : "", ty);
            }
        }
      else
        {
          ok = is_type (node, json_node_get_string (t));
          g_string_append (want, json_node_get_string (t));
        }
      if (!ok)
        {
          fail (v, path, "expected %s, found %s", want->str, type_name (node));
          return;   /* the other keywords would only repeat it */
        }
    }

  if (json_object_has_member (schema, "const")
      && !nodes_equal (node, json_object_get_member (schema, "const")))
    fail (v, path, "not the constant %s",
          json_to_string (json_object_get_member (schema, "const"), FALSE));

  if (json_object_has_member (schema, "enum"))
    {
      JsonArray *e = json_object_get_array_member (schema, "enum");
      gboolean found = FALSE;
      for (guint i = 0; i < json_array_get_length (e) && !found; i++)
        found = nodes_equal (node, json_array_get_element (e, i));
      if (!found)
        {
          g_autofree char *s = json_to_string (node, FALSE);
          fail (v, path, "%s is not one of the enumerated values", s);
        }
    }

  if (json_object_has_member (schema, "pattern") && is_type (node, "string"))
    {
      const char *re = json_object_get_string_member (schema, "pattern");
      if (!g_regex_match_simple (re, json_node_get_string (node), 0, 0))
        fail (v, path, "“%s” does not match %s", json_node_get_string (node), re);
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      JsonObject *props = json_object_has_member (schema, "properties")
                          ? json_object_get_object_member (schema, "properties") : NULL;
      if (json_object_has_member (schema, "required"))
        {
          JsonArray *req = json_object_get_array_member (schema, "required");
          for (guint i = 0; i < json_array_get_length (req); i++)
            {
              const char *k = json_array_get_string_element (req, i);
              if (!json_object_has_member (o, k))
                fail (v, path, "required key “%s” is missing", k);
            }
        }
      g_autoptr(GList) members = json_object_get_members (o);
      for (GList *l = members; l; l = l->next)
        {
          const char *k = l->data;
          g_autofree char *sub = g_strdup_printf ("%s.%s", path, k);
          JsonNode *child = json_object_get_member (o, k);
          if (props && json_object_has_member (props, k))
            validate_schema_node (v, child, json_object_get_member (props, k), sub);
          else if (json_object_has_member (schema, "additionalProperties"))
            {
              JsonNode *ap = json_object_get_member (schema, "additionalProperties");
              if (JSON_NODE_HOLDS_VALUE (ap) && !json_node_get_boolean (ap))
                fail (v, sub, "key not in the schema");
              else
                validate_schema_node (v, child, ap, sub);
            }
        }
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      guint n = json_array_get_length (a);
      if (json_object_has_member (schema, "minItems")
          && n < json_object_get_int_member (schema, "minItems"))
        fail (v, path, "%u items, at least %" G_GINT64_FORMAT " required", n,
              json_object_get_int_member (schema, "minItems"));
      if (json_object_has_member (schema, "maxItems")
          && n > json_object_get_int_member (schema, "maxItems"))
        fail (v, path, "%u items, at most %" G_GINT64_FORMAT " allowed", n,
              json_object_get_int_member (schema, "maxItems"));
      if (json_object_has_member (schema, "items"))
        for (guint i = 0; i < n; i++)
          {
            g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);
            validate_schema_node (v, json_array_get_element (a, i),
                                  json_object_get_member (schema, "items"), sub);
          }
    }
}

static JsonNode *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
load_schema (void)
{
  g_autofree char *path = g_build_filename (source_dir (), "docs", "audit-schema.json", NULL);
  JsonNode *schema = load_json (path);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (schema));
  return schema;
}

/* Returns: (transfer full): the violations, "PATH: message" each. */
static GPtrArray *
validate_document (JsonNode *doc, JsonNode *schema)
{
  Validator v = { json_node_get_object (schema), g_ptr_array_new_with_free_func (g_free) };
  validate (&v, doc, json_node_get_object (schema), "$");
  return v.errors;
}

static gboolean
has_error (GPtrArray *errors, const char *prefix, const char *needle)
{
  for (guint i = 0; i < errors->len; i++)
    {
      const char *e = g_ptr_array_index (errors, i);
      if (g_str_has_prefix (e, prefix) && strstr (e, needle))
        return TRUE;
    }
  return FALSE;
}

static void
assert_valid (JsonNode *doc, JsonNode *schema, const char *what)
{
  g_autoptr(GPtrArray) errors = validate_document (doc, schema);
  for (guint i = 0; i < errors->len; i++)
    g_test_message ("%s: %s", what, (char *) g_ptr_array_index (errors, i));
  g_assert_cmpuint (errors->len, ==, 0);
}

/* ---------------------------------------------------------------- audits */

static char *
adult_slice (guint n)
{
  g_autofree char *path = g_build_filename (source_dir (), "data", "examples", "adult", "adult.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  char *p = text;
  for (guint i = 0; i <= n && p; i++)
    {
      p = strchr (p, '\n');
      if (p)
        p++;
    }
  g_assert_nonnull (p);
  char *out = g_build_filename (tmpdir, "adult-slice.csv", NULL);
  g_assert_true (g_file_set_contents (out, text, p - text, NULL));
  return out;
}

static JsonNode *
run_and_write (GbAudit *audit, const char *name)
{
  GError *error = NULL;
  gboolean ok = gb_audit_run (audit, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_assert_true (gb_audit_write_json (audit, path, &error));
  g_assert_no_error (error);
  return load_json (path);
}

static JsonNode *adult_doc;   /* the example audit on a slice, shared */

static JsonNode *
get_adult_doc (void)
{
  if (adult_doc == NULL)
    {
      g_autofree char *csv = adult_slice (3000);
      g_autoptr(GbAudit) audit = gb_audit_new ();
      gb_audit_apply_example (audit, "/nonexistent");
      GbAuditSettings *s = gb_audit_get_settings (audit);
      g_free (s->csv_path);
      s->csv_path = g_strdup (csv);
      s->train.epochs = 2;
      s->train.n_threads = 1;
      s->explain_rows = 4;
      /* every optional block the writer has: all tabular explainers, TCAV,
       * both mitigations */
      const char *methods[] = { "integrated_gradients", "kernel_shap", "lime", "gradient_input",
                                "occlusion", NULL };
      const char *concepts[] = { "sex==Female", NULL };
      g_strfreev (s->explainers);
      s->explainers = g_strdupv ((char **) methods);
      g_strfreev (s->tcav_concepts);
      s->tcav_concepts = g_strdupv ((char **) concepts);
      g_free (s->mitigate);
      s->mitigate = g_strdup ("reweighing,thresholds");
      adult_doc = run_and_write (audit, "adult.json");
    }
  return adult_doc;
}

/* ----------------------------------------------------------------- tests */

/* The example audit (model, explanations, fairness, causal) validates, and
 * carries the keys the issues ask for. */
static void
test_adult_valid (void)
{
  g_autoptr(JsonNode) schema = load_schema ();
  JsonNode *doc = get_adult_doc ();
  assert_valid (doc, schema, "adult");

  JsonObject *root = json_node_get_object (doc);
  g_assert_cmpstr (json_object_get_string_member (root, "schema"), ==, "glassbox-audit/1");
  JsonObject *model = json_object_get_object_member (root, "model");
  const char *sha = json_object_get_string_member (model, "parameters_sha256");
  g_assert_nonnull (sha);
  g_assert_cmpuint (strlen (sha), ==, 64);
  JsonObject *expl = json_object_get_object_member (root, "explanations");
  const char *blocks[] = { "integrated_gradients", "kernel_shap", "lime", "gradient_input", "occlusion",
                           "tcav", NULL };
  for (guint i = 0; blocks[i]; i++)
    g_assert_true (json_object_has_member (expl, blocks[i]));
  JsonObject *fair = json_object_get_object_member (root, "fairness");
  g_assert_true (json_object_has_member (fair, "sex"));
  JsonObject *mit = json_object_get_object_member (fair, "mitigation");
  g_assert_nonnull (mit);
  g_assert_true (json_object_has_member (mit, "reweighing"));
  g_autoptr(GList) mkeys = json_object_get_members (mit);
  gboolean has_thresholds = FALSE;
  for (GList *l = mkeys; l; l = l->next)
    has_thresholds = has_thresholds || g_str_has_prefix (l->data, "thresholds_");
  g_assert_true (has_thresholds);
  JsonNode *causal = json_object_get_member (root, "causal");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (causal));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (causal), "estimates")), >, 0);
}

/* A causal-only audit (no target: model = null) on nsw_dw validates. */
static void
test_causal_only_valid (void)
{
  g_autoptr(JsonNode) schema = load_schema ();
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  s->csv_path = g_build_filename (source_dir (), "data", "examples", "lalonde", "nsw_dw.csv", NULL);
  s->treatment = g_strdup ("treat");
  s->outcome = g_strdup ("re78");
  g_autoptr(JsonNode) doc = run_and_write (audit, "nsw.json");
  assert_valid (doc, schema, "nsw_dw");
  JsonObject *root = json_node_get_object (doc);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (root, "model")));
  JsonObject *causal = json_object_get_object_member (root, "causal");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (causal, "estimates")), >=, 2);
}

/* A text audit of EEC's emotion (every eighth sentence, one epoch) with the
 * counterfactual substitution of both built-in pair lists validates. */
static void
test_text_counterfactual_valid (void)
{
  g_autoptr(JsonNode) schema = load_schema ();
  g_autofree char *path = g_build_filename (source_dir (), "data", "examples", "eec",
                                            "Equity-Evaluation-Corpus.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *slice = g_string_new (lines[0]);
  g_string_append_c (slice, '\n');
  for (guint i = 1; lines[i]; i++)
    if (*lines[i] && (i - 1) % 8 == 0)
      g_string_append_printf (slice, "%s\n", lines[i]);
  g_autofree char *csv = g_build_filename (tmpdir, "eec-slice.csv", NULL);
  g_assert_true (g_file_set_contents (csv, slice->str, slice->len, NULL));
  g_string_free (slice, TRUE);

  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  s->csv_path = g_strdup (csv);
  s->target = g_strdup ("Emotion");
  gb_audit_use_text (audit, "Sentence");
  s->model.n_layers = 1;
  s->model.max_length = 16;
  s->train.epochs = 1;
  s->explain_rows = 0;
  const char *lists[] = { "gender", "race-names", NULL };
  s->counterfactual_pairs = g_strdupv ((char **) lists);
  g_autoptr(JsonNode) doc = run_and_write (audit, "eec.json");
  assert_valid (doc, schema, "EEC text audit");
  JsonObject *fairness = json_object_get_object_member (json_node_get_object (doc), "fairness");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      fairness, "counterfactual_lists")), ==, 2);
}

/* The validator fails, with the JSON path, on a broken document. */
static void
test_validator_fails (void)
{
  g_autoptr(JsonNode) schema = load_schema ();
  g_autoptr(JsonNode) doc = json_node_copy (get_adult_doc ());
  JsonObject *root = json_node_get_object (doc);
  JsonObject *model = json_object_get_object_member (root, "model");
  JsonObject *metrics = json_object_get_object_member (model, "metrics");

  /* a required key removed */
  json_object_remove_member (metrics, "roc_auc");
  {
    g_autoptr(GPtrArray) errors = validate_document (doc, schema);
    g_assert_true (has_error (errors, "$.model.metrics:", "“roc_auc” is missing"));
    g_assert_cmpuint (errors->len, ==, 1);
  }
  json_object_set_double_member (metrics, "roc_auc", 0.5);

  /* a type changed: a number becomes a string, an integer a fraction */
  json_object_set_string_member (metrics, "accuracy", "0.8");
  JsonObject *dataset = json_object_get_object_member (root, "dataset");
  json_object_set_double_member (dataset, "rows", 2999.5);
  {
    g_autoptr(GPtrArray) errors = validate_document (doc, schema);
    g_assert_true (has_error (errors, "$.model.metrics.accuracy:", "expected number or null, found string"));
    g_assert_true (has_error (errors, "$.dataset.rows:", "expected integer"));
    g_assert_cmpuint (errors->len, ==, 2);
  }
  json_object_set_double_member (metrics, "accuracy", 0.8);
  json_object_set_int_member (dataset, "rows", 3000);

  /* deep inside arrays and additionalProperties: a group's rate and a
   * causal estimate's field; an unknown top-level key; a wrong schema id */
  JsonObject *sex = json_object_get_object_member (json_object_get_object_member (root, "fairness"), "sex");
  JsonObject *g0 = json_array_get_object_element (json_object_get_array_member (sex, "groups"), 0);
  json_object_remove_member (g0, "tpr");
  JsonObject *e0 = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (root, "causal"), "estimates"), 0);
  json_object_set_boolean_member (e0, "std_error", TRUE);
  json_object_set_int_member (root, "extra", 1);
  json_object_set_string_member (root, "schema", "glassbox-audit/2");
  {
    g_autoptr(GPtrArray) errors = validate_document (doc, schema);
    for (guint i = 0; i < errors->len; i++)
      g_test_message ("expected violation: %s", (char *) g_ptr_array_index (errors, i));
    g_assert_true (has_error (errors, "$.fairness.sex.groups[0]:", "“tpr” is missing"));
    g_assert_true (has_error (errors, "$.causal.estimates[0].std_error:", "found boolean"));
    g_assert_true (has_error (errors, "$.extra:", "not in the schema"));
    g_assert_true (has_error (errors, "$.schema:", "not the constant"));
    g_assert_cmpuint (errors->len, ==, 4);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("gb-schema-XXXXXX", NULL);
  g_test_add_func ("/schema/adult-valid", test_adult_valid);
  g_test_add_func ("/schema/causal-only-valid", test_causal_only_valid);
  g_test_add_func ("/schema/text-counterfactual-valid", test_text_counterfactual_valid);
  g_test_add_func ("/schema/validator-fails", test_validator_fails);
  int ret = g_test_run ();
  if (adult_doc)
    json_node_unref (adult_doc);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
  (void) !system (cmd);
  return ret;
}
