/* test-audit-explain.c — GbAudit's attention rollout, TCAV (--tcav) and
 * reweighing retraining of the transformer (--mitigate=reweighing) on a
 * synthetic table whose label is planted in a feature. */
#include "gb-config.h"
#include "glassbox-engine.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <unistd.h>
#include <math.h>
#include <string.h>

static char *csv_path;

/* P(label = 1) = 0.3 + 0.25·[color = red] + 0.25·[grp = A] + 0.05·x1, so
 * red&A 0.8, red&B and blue&A 0.55, blue&B 0.3: the label depends on the
 * concept (color) and on the protected group; coin is independent of
 * everything and not a model input. */
static void
write_planted_csv (void)
{
  GString *csv = g_string_new ("x1,x2,color,grp,coin,label\n");
  GRand *rng = g_rand_new_with_seed (11);
  GError *error = NULL;
  int fd;
  for (guint i = 0; i < 3000; i++)
    {
      double x1 = g_rand_double_range (rng, -1, 1), x2 = g_rand_double_range (rng, -1, 1);
      gboolean a = g_rand_boolean (rng);
      gboolean red = g_rand_boolean (rng), heads = g_rand_boolean (rng);
      double p = 0.3 + (red ? 0.25 : 0.0) + (a ? 0.25 : 0.0) + 0.05 * x1;
      char b1[G_ASCII_DTOSTR_BUF_SIZE], b2[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (csv, "%s,%s,%s,%s,%s,%s\n",
                              g_ascii_formatd (b1, sizeof b1, "%.4f", x1),
                              g_ascii_formatd (b2, sizeof b2, "%.4f", x2), red ? "red" : "blue",
                              a ? "A" : "B", heads ? "heads" : "tails",
                              g_rand_double (rng) < p ? "yes" : "no");
    }
  g_rand_free (rng);
  fd = g_file_open_tmp ("glassbox-planted-XXXXXX.csv", &csv_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (csv_path, csv->str, csv->len, &error));
  g_string_free (csv, TRUE);
}

static GbAudit *
planted_audit (void)
{
  GbAudit *audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  const char *features[] = { "x1", "x2", "color", "grp", NULL };
  const char *prot[] = { "grp", NULL };
  const char *concepts[] = { "color==red", "coin==heads", NULL };
  const char *methods[] = { "integrated_gradients", "attention_rollout", NULL };
  s->csv_path = g_strdup (csv_path);
  s->target = g_strdup ("label");
  s->positive = g_strdup ("yes");
  s->features = g_strdupv ((char **) features);
  s->protected_attributes = g_strdupv ((char **) prot);
  s->tcav_concepts = g_strdupv ((char **) concepts);
  s->explainers = g_strdupv ((char **) methods);
  s->explain_rows = 4;
  s->bootstrap = 100;
  s->mitigate = g_strdup ("reweighing");
  s->model.d_model = 16;
  s->model.n_heads = 2;
  s->model.d_ff = 32;
  s->train.epochs = 4;
  s->train.batch_size = 64;
  s->train.n_threads = 1;
  return audit;
}

static void
test_audit_planted (void)
{
  g_autoptr(GbAudit) audit = planted_audit ();
  g_autoptr(GError) error = NULL;
  g_assert_true (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  const GbAuditResults *r = gb_audit_get_results (audit);

  /* attention rollout: one row per explained row, shares in [0, 1] summing to ≤ 1 */
  const GbExplanation *ar = NULL;
  for (guint k = 0; k < r->explanations->len; k++)
    if (g_strcmp0 (((GbExplanation *) g_ptr_array_index (r->explanations, k))->method,
                   "attention_rollout") == 0)
      ar = g_ptr_array_index (r->explanations, k);
  g_assert_nonnull (ar);
  g_assert_cmpuint (ar->n_rows, ==, 4);
  for (gsize i = 0; i < ar->n_rows; i++)
    {
      double sum = 0;
      for (guint j = 0; j < ar->n_units; j++)
        {
          g_assert_cmpfloat (ar->rows[i].values[j], >=, 0.0);
          sum += ar->rows[i].values[j];
        }
      g_assert_cmpfloat (sum, >, 0.0);
      g_assert_cmpfloat (sum, <=, 1.0 + 1e-9);
    }

  /* TCAV: 2 concepts × 2 classes; the planted concept significant, the random one not */
  g_assert_nonnull (r->tcav);
  g_assert_cmpuint (r->tcav->len, ==, 4);
  g_assert_cmpuint (r->tcav_layer, ==, 2);
  const GbTcavResult *red1 = g_ptr_array_index (r->tcav, 1);
  const GbTcavResult *coin1 = g_ptr_array_index (r->tcav, 3);
  g_assert_cmpstr (red1->concept, ==, "color==red");
  g_assert_cmpuint (red1->class_index, ==, 1);
  g_assert_cmpstr (coin1->concept, ==, "coin==heads");
  g_test_message ("audit TCAV: color==red → yes %.3f (p = %.2e); coin==heads → yes %.3f "
                  "(p = %.3f)", red1->score, red1->p_value, coin1->score, coin1->p_value);
  g_assert_cmpfloat (red1->score, >=, 0.9);
  g_assert_true (red1->significant);
  g_assert_cmpfloat (coin1->p_value, >, 0.05);
  g_assert_false (coin1->significant);

  /* reweighing: the "after" block is the retrained transformer's */
  g_assert_nonnull (r->fairness_mitigation);
  const GbFairnessMitigation *m = g_ptr_array_index (r->fairness_mitigation, 0);
  g_assert_cmpstr (m->method, ==, "reweighing");
  g_assert_nonnull (strstr (m->description, "transformer was retrained"));
  g_assert_cmpuint (m->n_eval, ==, r->n_test);
  /* "before" is the audited model: its selection counts equal the main audit's */
  const GbFairnessResult *main_fr = g_ptr_array_index (r->fairness, 0);
  gsize sel_main = 0, sel_before = 0, sel_after = 0;
  for (guint g = 0; g < main_fr->n_groups; g++)
    sel_main += main_fr->groups[g].tp + main_fr->groups[g].fp;
  for (guint g = 0; g < m->before->n_groups; g++)
    {
      sel_before += m->before->groups[g].tp + m->before->groups[g].fp;
      sel_after += m->after->groups[g].tp + m->after->groups[g].fp;
    }
  g_assert_cmpuint (sel_before, ==, sel_main);
  g_assert_cmpuint (sel_after, !=, sel_before);   /* a different model's predictions */
  const GbFairnessMetric *di0 = gb_fairness_result_get_metric (m->before, "disparate_impact_ratio");
  const GbFairnessMetric *di1 = gb_fairness_result_get_metric (m->after, "disparate_impact_ratio");
  g_test_message ("reweighing (transformer retrained): disparate impact ratio %.3f → %.3f, "
                  "accuracy %.3f → %.3f, selected %" G_GSIZE_FORMAT " → %" G_GSIZE_FORMAT,
                  di0->value, di1->value, m->accuracy_before, m->accuracy_after, sel_before,
                  sel_after);
  g_assert_cmpfloat (di1->value, >, di0->value);   /* the weights remove the group–label link */

  /* JSON keys */
  g_autofree char *json = gb_audit_to_json (audit);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *ex = json_object_get_object_member (root, "explanations");
  JsonObject *aro = json_object_get_object_member (ex, "attention_rollout");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (aro, "rows")), ==, 4);
  g_assert_true (json_object_has_member (aro, "global"));
  g_assert_true (json_object_has_member (aro, "faithfulness"));
  JsonArray *tc = json_object_get_array_member (ex, "tcav");
  g_assert_cmpuint (json_array_get_length (tc), ==, 4);
  JsonObject *t1 = json_array_get_object_element (tc, 1);
  g_assert_cmpstr (json_object_get_string_member (t1, "concept"), ==, "color==red");
  g_assert_cmpstr (json_object_get_string_member (t1, "class"), ==, "yes");
  g_assert_true (json_object_get_boolean_member (t1, "significant"));
  g_assert_cmpfloat (json_object_get_double_member (t1, "p_value"), <, 0.05);
  JsonObject *rw = json_object_get_object_member (
    json_object_get_object_member (json_object_get_object_member (root, "fairness"), "mitigation"),
    "reweighing");
  g_assert_true (json_object_has_member (rw, "before") && json_object_has_member (rw, "after"));
  /* the reproducing command line carries the concepts */
  g_assert_nonnull (strstr (gb_audit_get_settings (audit)->command_line, "--tcav=color==red"));
}

static void
test_tcav_validation (void)
{
  g_autoptr(GbAudit) audit = planted_audit ();
  g_autoptr(GError) error = NULL;
  GbAuditSettings *s = gb_audit_get_settings (audit);
  g_strfreev (s->tcav_concepts);
  s->tcav_concepts = g_strsplit ("colour==red", ",", -1);
  g_assert_false (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "--tcav"));
  g_clear_error (&error);
  g_strfreev (s->tcav_concepts);
  s->tcav_concepts = g_strsplit ("color==red", ",", -1);
  s->tcav_layer = 5;
  g_assert_false (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "--tcav-layer"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gb_set_blas_threads (1);
  write_planted_csv ();
  g_test_add_func ("/engine/report/audit/attention-tcav-reweighing", test_audit_planted);
  g_test_add_func ("/engine/report/audit/tcav-validation", test_tcav_validation);
  int rc = g_test_run ();
  g_unlink (csv_path);
  g_free (csv_path);
  return rc;
}
