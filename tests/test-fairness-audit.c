/* test-fairness-audit.c — the fairness audit inside GbAudit: an existing
 * score column audited without training (Ricci v. DeStefano, the published
 * pass counts), the JSON form of issue 6, and the command line's checks.
 *
 * tests/data/fairness/ricci.csv: see tests/data/fairness/PROVENANCE.md. */
#include "gb-config.h"
#include "glassbox-engine.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

static char *
data_path (const char *rel)
{
  const char *dir = g_getenv ("GB_TEST_DATA");
  if (dir == NULL)
    return g_build_filename (GB_SOURCE_DIR, "tests", "data", rel, NULL);
  return g_build_filename (dir, rel, NULL);
}

static GbAudit *
ricci_audit (const char *mitigate)
{
  GbAudit *audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  const char *protected[] = { "Race", "Position", NULL };
  s->csv_path = data_path ("fairness/ricci.csv");
  s->target = g_strdup ("Combine>=70");
  s->score = g_strdup ("Combine");
  s->threshold = 70;
  s->protected_attributes = g_strdupv ((char **) protected);
  s->intersections = TRUE;
  s->bootstrap = 500;
  s->mitigate = g_strdup (mitigate);
  return audit;
}

static const GbGroupRates *
find_group (const GbFairnessResult *fr, const char *name)
{
  for (guint g = 0; g < fr->n_groups; g++)
    if (g_strcmp0 (fr->groups[g].group, name) == 0)
      return &fr->groups[g];
  g_error ("no group %s in %s", name, fr->attribute);
  return NULL;
}

/* Pass rates 41/68 (W), 9/27 (B), 6/23 (H) as in the case record; no
 * model; B and H are below 30 rows, so flagged small, still compared with
 * the reference group W; the intersection Race*Position is audited. */
static void
test_score_column (void)
{
  g_autoptr(GbAudit) audit = ricci_audit (NULL);
  g_autoptr(GError) error = NULL;
  g_assert_true (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  const GbAuditResults *r = gb_audit_get_results (audit);
  g_assert_false (r->has_model);
  g_assert_cmpuint (r->n_fairness_rows, ==, 118);
  g_assert_cmpuint (r->fairness->len, ==, 3);
  const GbFairnessResult *race = g_ptr_array_index (r->fairness, 0);
  g_assert_cmpstr (race->attribute, ==, "Race");
  const GbGroupRates *w = find_group (race, "W"), *b = find_group (race, "B"), *h = find_group (race, "H");
  g_assert_cmpuint (w->n, ==, 68);
  g_assert_cmpuint (w->tp + w->fp, ==, 41);
  g_assert_cmpuint (b->tp + b->fp, ==, 9);
  g_assert_cmpuint (h->tp + h->fp, ==, 6);
  g_assert_cmpuint (w->fp + b->fp + h->fp, ==, 0);   /* the score defines the target */
  g_assert_true (w->is_reference);
  g_assert_false (w->small);
  g_assert_true (b->small);
  g_assert_true (h->small);
  g_assert_true (race->summary_uses_all);   /* only W reaches 30 rows */
  for (guint c = 0; c < race->n_comparisons; c++)
    {
      const GbFairnessComparison *cmp = &race->comparisons[c];
      const GbFairnessMetric *di = gb_fairness_comparison_get_metric (cmp, "disparate_impact_ratio");
      const GbGroupRates *g = &race->groups[cmp->group];
      g_assert_cmpfloat_with_epsilon (di->value, g->selection_rate / (41.0 / 68.0), 1e-12);
      g_assert_cmpfloat (di->ci_low, <, di->value);
      g_assert_cmpfloat (di->ci_high, >, di->value);
      g_assert_cmpfloat (di->p_value, <, 0.05);   /* both gaps are significant */
      g_assert_cmpfloat (di->p_adjusted, >=, di->p_value);
    }
  const GbFairnessResult *inter = g_ptr_array_index (r->fairness, 2);
  g_assert_cmpstr (inter->attribute, ==, "Race*Position");
  g_assert_cmpuint (inter->n_groups, ==, 6);
  g_assert_cmpuint (inter->n_small, >=, 4);
  /* a note says which groups are small */
  gboolean noted = FALSE;
  for (guint i = 0; i < r->notes->len; i++)
    noted |= strstr (g_ptr_array_index (r->notes, i), "“Race”") != NULL;
  g_assert_true (noted);
}

static JsonNode *
json_at (JsonNode *root, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) res = json_path_query (path, root, &error);
  g_assert_no_error (error);
  JsonArray *a = json_node_get_array (res);
  return json_array_get_length (a) ? json_node_copy (json_array_get_element (a, 0)) : NULL;
}

/* The JSON form: plain rates plus {rate}_ci, metrics as objects,
 * comparisons, the intersection under "Race*Position", mitigation under
 * fairness.mitigation.{method}.{before,after}. */
static void
test_json_form (void)
{
  g_autoptr(GbAudit) audit = ricci_audit ("thresholds");
  g_autoptr(GError) error = NULL;
  g_assert_true (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_autofree char *text = gb_audit_to_json (audit);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  JsonNode *root = json_parser_get_root (parser);
  const char *must[] = {
    "$.fairness.Race.groups[0].selection_rate", "$.fairness.Race.groups[0].selection_rate_ci[1]",
    "$.fairness.Race.groups[0].tpr_ci[0]", "$.fairness.Race.groups[0].npv",
    "$.fairness.Race.groups[0].roc_auc", "$.fairness.Race.groups[0].calibration.mean_score",
    "$.fairness.Race.metrics.disparate_impact_ratio.value",
    "$.fairness.Race.metrics.disparate_impact_ratio.ci_low",
    "$.fairness.Race.metrics.disparate_impact_ratio.p_adjusted",
    "$.fairness.Race.metrics.theil_index.value",
    "$.fairness.Race.comparisons[0].metrics.statistical_parity_difference.p_value",
    "$.fairness['Race*Position'].groups[0].small",
    "$.fairness.mitigation.thresholds_equalized_odds.before.metrics.equalized_odds_difference.value",
    "$.fairness.mitigation.thresholds_equalized_odds.after.metrics.equalized_odds_difference.value",
    "$.fairness.mitigation.thresholds_demographic_parity.thresholds[0].threshold_high",
    "$.fairness.mitigation.thresholds_equal_opportunity.tradeoff.accuracy",
    "$.fairness.predictions",
  };
  for (guint i = 0; i < G_N_ELEMENTS (must); i++)
    {
      g_autoptr(JsonNode) n = json_at (root, must[i]);
      if (n == NULL)
        g_error ("JSON key %s missing", must[i]);
    }
  g_autoptr(JsonNode) model = json_at (root, "$.model");
  g_assert_true (JSON_NODE_HOLDS_NULL (model));
  g_autoptr(JsonNode) sr = json_at (root, "$.fairness.Race.groups[0].selection_rate");
  g_autoptr(JsonNode) ci = json_at (root, "$.fairness.Race.groups[0].selection_rate_ci");
  JsonArray *a = json_node_get_array (ci);
  g_assert_cmpfloat (json_array_get_double_element (a, 0), <=, json_node_get_double (sr));
  g_assert_cmpfloat (json_array_get_double_element (a, 1), >=, json_node_get_double (sr));
}

/* Bad fairness options are errors that name the option. */
static void
test_validation (void)
{
  static const struct { const char *field, *value, *needle; } cases[] = {
    { "score", "Race", "--score: column “Race” is categorical" },
    { "prediction", "Position", "--prediction-positive" },
    { "mitigate", "magic", "--mitigate: unknown method “magic”" },
    { "reference", "Race:W", "ATTRIBUTE=VALUE" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GbAudit) audit = ricci_audit (NULL);
      GbAuditSettings *s = gb_audit_get_settings (audit);
      g_autoptr(GError) error = NULL;
      if (g_str_equal (cases[k].field, "score"))
        {
          g_free (s->score);
          s->score = g_strdup (cases[k].value);
        }
      else if (g_str_equal (cases[k].field, "prediction"))
        {
          g_clear_pointer (&s->score, g_free);
          s->prediction = g_strdup (cases[k].value);
        }
      else if (g_str_equal (cases[k].field, "mitigate"))
        s->mitigate = g_strdup (cases[k].value);
      else
        {
          const char *refs[] = { cases[k].value, NULL };
          s->reference_groups = g_strdupv ((char **) refs);
        }
      g_assert_false (gb_audit_run (audit, NULL, NULL, NULL, &error));
      g_assert_nonnull (error);
      if (strstr (error->message, cases[k].needle) == NULL)
        g_error ("message “%s” lacks “%s”", error->message, cases[k].needle);
    }
  /* an unknown reference value names the groups */
  g_autoptr(GbAudit) audit = ricci_audit (NULL);
  const char *refs[] = { "Race=X", NULL };
  gb_audit_get_settings (audit)->reference_groups = g_strdupv ((char **) refs);
  g_autoptr(GError) error = NULL;
  g_assert_false (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "“B”, “H”, “W”"));
}

/* A chosen reference group is used. */
static void
test_reference_option (void)
{
  g_autoptr(GbAudit) audit = ricci_audit (NULL);
  const char *refs[] = { "Race=H", NULL };
  gb_audit_get_settings (audit)->reference_groups = g_strdupv ((char **) refs);
  g_autoptr(GError) error = NULL;
  g_assert_true (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  const GbFairnessResult *race = g_ptr_array_index (gb_audit_get_results (audit)->fairness, 0);
  g_assert_cmpstr (race->groups[race->reference].group, ==, "H");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/fairness/audit/score-column-ricci", test_score_column);
  g_test_add_func ("/engine/fairness/audit/json-form", test_json_form);
  g_test_add_func ("/engine/fairness/audit/validation", test_validation);
  g_test_add_func ("/engine/fairness/audit/reference-option", test_reference_option);
  return g_test_run ();
}
