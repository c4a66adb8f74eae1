/* test-explain-multiclass.c — explanations of multi-class models (issue 5).
 *
 * A small text transformer trained for a few epochs on Symptom2Disease (24
 * diseases; data/examples/symptom2disease) and a tabular transformer on a
 * synthetic 3-class table are explained with GB_EXPLAIN_CLASS_PREDICTED:
 * every row must explain the argmax of the model's own probabilities for
 * it (gb_model_predict_proba(), independent of the explainers), integrated
 * gradients must be complete within the default tolerance on every row,
 * and KernelSHAP additive: φ₀ + Σφ = f_c(x) with f_c(x) from the same
 * independent prediction.  Tabular rows of different classes are explained
 * per class and merged; each merged row must equal the row explained alone
 * for its class. */
#include "gb-config.h"
#include "glassbox-engine.h"
#include "gb-test-text.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#define MAX_LEN 32
#define N_EXPLAIN 6

static const char *
cell (GbDataset *ds, const char *col, gsize r)
{
  const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, col));
  return c->text ? c->text[r] : g_ptr_array_index (c->levels, c->codes[r]);
}

/* The class codes of categorical column @col as doubles. */
static void
class_codes (GbDataset *ds, const char *col, double *y, guint *K)
{
  const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, col));
  g_assert_nonnull (c->codes);
  for (gsize r = 0; r < gb_dataset_get_n_rows (ds); r++)
    y[r] = c->codes[r] < 0 ? NAN : c->codes[r];
  *K = c->levels->len;
}

/* Argmax of each row's independently predicted probabilities (p: n × K). */
static void
predicted (GbModel *m, GbDataset *ds, const gsize *rows, gsize n, double *p, guint *cls)
{
  const guint K = gb_model_get_n_classes (m);
  GError *error = NULL;
  g_assert_true (gb_model_predict_proba (m, ds, rows, n, p, NULL, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    {
      cls[i] = 0;
      for (guint c = 1; c < K; c++)
        if (p[i * K + c] > p[i * K + cls[i]])
          cls[i] = c;
    }
}

static GbExplainRun *
explain (GbModel *m, GbDataset *ds, const gsize *rows, gsize n, const gsize *pool, gsize n_pool,
         const char *methods, guint class_index, gboolean faithfulness)
{
  GbExplainSettings s;
  GError *error = NULL;
  gb_explain_settings_init_default (&s);
  s.methods = g_strsplit (methods, ",", -1);
  s.class_index = class_index;
  s.background_size = 6;
  s.background_pool = 200;
  s.faithfulness = faithfulness;
  s.shap.n_samples = 512;
  GbExplainRun *run = gb_explain_run (m, ds, rows, n, pool, n_pool, &s, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  gb_explain_settings_clear (&s);
  return run;
}

/* Every row of @run explains cls[i]: recorded class, f_c(x) against the
 * independent prediction, IG completeness within the default tolerance,
 * KernelSHAP additivity. */
static void
check_classes (GbExplainRun *run, guint K, const double *p, const guint *cls, gsize n,
               const char *what)
{
  const GbIgResult *ig = run->ig;
  double worst = 0, worst_rel = 0, worst_add = 0;

  g_assert_nonnull (ig);
  g_assert_cmpuint (ig->n_rows, ==, n);
  for (gsize i = 0; i < n; i++)
    {
      const GbIgRow *row = &ig->rows[i];
      const double fx = p[i * K + cls[i]];
      const double d = fabs (row->prediction - row->baseline_prediction);
      double sum = 0;
      g_assert_cmpuint (row->class_index, ==, cls[i]);
      g_assert_cmpfloat (fabs (row->prediction - fx), <, 1e-5);
      for (guint j = 0; j < ig->n_features; j++)
        sum += row->attributions[j];
      g_assert_cmpfloat (fabs (sum - (row->prediction - row->baseline_prediction)), <=,
                         row->completeness_residual + 1e-9);
      /* the default tolerance: 1 % of |f(x) − f(x′)| */
      g_assert_cmpfloat (ig->tolerance, ==, 0.01);
      g_assert_cmpfloat (row->completeness_residual, <=, MAX (0.01 * d, 1e-7));
      worst = MAX (worst, row->completeness_residual);
      worst_rel = MAX (worst_rel, d > 0 ? row->completeness_residual / d : 0);
    }
  for (guint k = 0; k < run->explanations->len; k++)
    {
      const GbExplanation *e = g_ptr_array_index (run->explanations, k);
      g_assert_cmpuint (e->n_rows, ==, n);
      for (gsize i = 0; i < n; i++)
        {
          const GbAttributionRow *row = &e->rows[i];
          g_assert_cmpuint (row->class_index, ==, cls[i]);
          g_assert_cmpfloat (fabs (row->prediction - p[i * K + cls[i]]), <, 1e-5);
          if (strcmp (e->method, "kernel_shap") == 0)
            {
              double sum = row->base_value;
              for (guint j = 0; j < e->n_units; j++)
                sum += row->values[j];
              g_assert_cmpfloat (fabs (sum - p[i * K + cls[i]]), <=, 1e-5);
              g_assert_cmpfloat (fabs (sum - row->prediction), <=, 1e-6);
              worst_add = MAX (worst_add, fabs (sum - p[i * K + cls[i]]));
            }
        }
    }
  g_test_message ("%s: largest IG completeness residual %.3g (%.3g %% of |f(x) - f(x')|); "
                  "largest |phi0 + sum phi - f_c(x)| %.3g", what, worst, 100 * worst_rel,
                  worst_add);
}

/* ---- Symptom2Disease: 24 classes, text */

static void
test_symptom2disease (void)
{
  const char *src = g_getenv ("GB_SOURCE_DIR");
  g_autofree char *path = g_build_filename (src ? src : GB_SOURCE_DIR, "data", "examples",
                                            "symptom2disease", "Symptom2Disease.csv", NULL);
  GError *error = NULL;
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new (guint8, n);
  g_autofree gsize *train = g_new (gsize, n);
  g_autofree const char **texts = g_new0 (const char *, n);
  gsize n_train = 0;
  guint K;

  class_codes (ds, "label", y, &K);
  g_assert_cmpuint (K, ==, 24);
  gb_split_stratified (y, n, 0.3, 42, split);
  for (gsize r = 0; r < n; r++)
    if (split[r] == 0)
      {
        texts[n_train] = cell (ds, "text", r);
        train[n_train++] = r;
      }
  GbTransformerConfig mc;
  GbTrainConfig tc;
  g_autoptr(GbTokenizer) tok = tiny_text_model (texts, n_train, MAX_LEN, &mc);
  g_autoptr(GbModel) m = gb_model_new_text (ds, "text", NULL, 0, NULL, K, &mc, 42, &error);
  g_assert_no_error (error);
  gb_model_use_tokenizer (m, tok);
  gb_train_config_init_default (&tc);
  tc.epochs = 3;
  tc.batch_size = 32;
  tc.learning_rate = 5e-3;
  g_assert_true (gb_model_train (m, ds, y, split, &tc, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* the first held-out row of N_EXPLAIN different diseases */
  gsize rows[N_EXPLAIN];
  guint nr = 0;
  for (gsize r = 0; r < n && nr < N_EXPLAIN; r++)
    if (split[r] == 1 && (nr == 0 || y[r] != y[rows[nr - 1]]))
      {
        gboolean seen = FALSE;
        for (guint i = 0; i < nr; i++)
          seen = seen || y[rows[i]] == y[r];
        if (!seen)
          rows[nr++] = r;
      }
  g_assert_cmpuint (nr, ==, N_EXPLAIN);
  g_autofree double *p = g_new (double, N_EXPLAIN * K);
  guint cls[N_EXPLAIN];
  predicted (m, ds, rows, N_EXPLAIN, p, cls);
  guint n_distinct = 0;
  for (guint i = 0; i < N_EXPLAIN; i++)
    {
      gboolean seen = FALSE;
      for (guint j = 0; j < i; j++)
        seen = seen || cls[j] == cls[i];
      n_distinct += !seen;
    }
  g_test_message ("Symptom2Disease: %u distinct predicted classes among %u rows", n_distinct,
                  N_EXPLAIN);
  g_assert_cmpuint (n_distinct, >=, 2);   /* the rows really explain different classes */

  g_autoptr(GbExplainRun) run = explain (m, ds, rows, N_EXPLAIN, train, n_train,
                                         "integrated_gradients,kernel_shap,occlusion",
                                         GB_EXPLAIN_CLASS_PREDICTED, TRUE);
  check_classes (run, K, p, cls, N_EXPLAIN, "Symptom2Disease, predicted classes");

  /* a class chosen for every row: the one row 0 does not predict */
  guint fixed[N_EXPLAIN];
  const guint other = cls[0] == 0 ? 1 : 0;
  for (guint i = 0; i < N_EXPLAIN; i++)
    fixed[i] = other;
  g_autoptr(GbExplainRun) run2 = explain (m, ds, rows, N_EXPLAIN, train, n_train,
                                          "integrated_gradients,kernel_shap", other, FALSE);
  check_classes (run2, K, p, fixed, N_EXPLAIN, "Symptom2Disease, one chosen class");
}

/* ---- a tabular 3-class model: rows of different classes are run per class
 * and merged */

static GbDataset *
three_class_table (gsize n)
{
  GString *csv = g_string_new ("x1,x2,label\n");
  GRand *rng = g_rand_new_with_seed (11);
  GError *error = NULL;
  for (gsize i = 0; i < n; i++)
    {
      double x1 = g_rand_double_range (rng, -1, 1), x2 = g_rand_double_range (rng, -1, 1);
      char b1[G_ASCII_DTOSTR_BUF_SIZE], b2[G_ASCII_DTOSTR_BUF_SIZE];
      const char *label = x1 < -0.33 ? "left" : x1 > 0.33 ? "right" : "middle";
      g_string_append_printf (csv, "%s,%s,%s\n", g_ascii_formatd (b1, sizeof b1, "%.4f", x1),
                              g_ascii_formatd (b2, sizeof b2, "%.4f", x2), label);
    }
  g_rand_free (rng);
  GbDataset *d = gb_dataset_new_from_data (csv->str, csv->len, "three-class.csv", &error);
  g_assert_no_error (error);
  g_string_free (csv, TRUE);
  return d;
}

static void
test_tabular_merge (void)
{
  g_autoptr(GbDataset) ds = three_class_table (900);
  const gsize n = gb_dataset_get_n_rows (ds);
  GError *error = NULL;
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new (guint8, n);
  g_autofree guint8 *train_mask = g_new (guint8, n);
  g_autofree gsize *train = g_new (gsize, n);
  gsize n_train = 0;
  guint K;

  class_codes (ds, "label", y, &K);
  g_assert_cmpuint (K, ==, 3);
  gb_split_stratified (y, n, 0.3, 42, split);
  for (gsize r = 0; r < n; r++)
    {
      train_mask[r] = split[r] == 0;
      if (split[r] == 0)
        train[n_train++] = r;
    }
  const char *features[] = { "x1", "x2" };
  GbTransformerConfig mc = { 1, 16, 2, 32 };
  g_autoptr(GbModel) m = gb_model_new_tabular (ds, features, 2, train_mask, K, &mc, 3, &error);
  g_assert_no_error (error);
  GbTrainConfig tc;
  gb_train_config_init_default (&tc);
  tc.epochs = 4;
  tc.batch_size = 32;
  tc.n_threads = 1;
  g_assert_true (gb_model_train (m, ds, y, split, &tc, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* held-out rows, two of each true class, interleaved */
  gsize rows[N_EXPLAIN];
  guint nr = 0, per[3] = { 0 };
  for (gsize r = 0; r < n && nr < N_EXPLAIN; r++)
    if (split[r] == 1 && per[(guint) y[r]] < 2)
      {
        per[(guint) y[r]]++;
        rows[nr++] = r;
      }
  g_assert_cmpuint (nr, ==, N_EXPLAIN);
  double p[N_EXPLAIN * 3];
  guint cls[N_EXPLAIN];
  predicted (m, ds, rows, N_EXPLAIN, p, cls);
  gboolean differ = FALSE;
  for (guint i = 1; i < N_EXPLAIN; i++)
    differ = differ || cls[i] != cls[0];
  g_assert_true (differ);   /* the merge path runs */

  const char *methods = "integrated_gradients,kernel_shap,occlusion,gradient_input,lime";
  g_autoptr(GbExplainRun) run = explain (m, ds, rows, N_EXPLAIN, train, n_train, methods,
                                         GB_EXPLAIN_CLASS_PREDICTED, TRUE);
  check_classes (run, K, p, cls, N_EXPLAIN, "three-class table, predicted classes");
  g_assert_cmpuint (run->explanations->len, ==, 5);

  /* each merged row equals that row explained alone for its class */
  double del_mean[3] = { 0 };
  for (guint i = 0; i < N_EXPLAIN; i++)
    {
      g_autoptr(GbExplainRun) one = explain (m, ds, &rows[i], 1, train, n_train, methods, cls[i],
                                             TRUE);
      for (guint k = 0; k < run->explanations->len; k++)
        {
          const GbExplanation *e = g_ptr_array_index (run->explanations, k);
          const GbExplanation *o = gb_explain_run_lookup (one, e->method);
          g_assert_nonnull (o);
          g_assert_cmpuint (e->rows[i].row, ==, rows[i]);
          g_assert_cmpfloat (fabs (e->rows[i].prediction - o->rows[0].prediction), <, 1e-6);
          if (strcmp (e->method, "lime") == 0)
            continue;   /* its samples depend on the rows asked together */
          for (guint j = 0; j < e->n_units; j++)
            g_assert_cmpfloat (fabs (e->rows[i].values[j] - o->rows[0].values[j]), <, 1e-6);
        }
      del_mean[0] += gb_explain_run_lookup (one, "kernel_shap")->deletion_aopc / N_EXPLAIN;
    }
  const GbExplanation *ks = gb_explain_run_lookup (run, "kernel_shap");
  double gsum[2] = { 0 };
  for (guint i = 0; i < N_EXPLAIN; i++)
    for (guint j = 0; j < 2; j++)
      gsum[j] += fabs (ks->rows[i].values[j]) / N_EXPLAIN;
  for (guint j = 0; j < 2; j++)
    g_assert_cmpfloat (fabs (ks->global[j] - gsum[j]), <=, 1e-12);
  /* the merged AOPC is the row-weighted mean of the per-row AOPCs */
  g_assert_cmpfloat (fabs (ks->deletion_aopc - del_mean[0]), <, 1e-6);
  for (guint i = 0; i < N_EXPLAIN; i++)
    g_assert_cmpuint (run->ig->rows[i].row, ==, rows[i]);
}

/* ---- glassbox-audit --explain-class */

static gboolean
run_cli (const char *const *args, char **err, int *status)
{
  const char *b = g_getenv ("GB_BUILD_DIR");
  g_autofree char *cli = g_build_filename (b, "app", "glassbox-audit", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  GError *error = NULL;
  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  /* the CLI prints the files it wrote on stdout: keep them out of the TAP stream */
  gboolean ok = g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                              NULL, NULL, NULL, err, status, &error);
  g_assert_no_error (error);
  *status = WIFEXITED (*status) ? WEXITSTATUS (*status) : -1;
  return ok;
}

/* An unknown class is a usage error (exit 2) naming the known classes; a
 * known one is the class of every explained row in the JSON. */
static void
test_cli_explain_class (void)
{
  const char *src = g_getenv ("GB_SOURCE_DIR");
  if (g_getenv ("GB_BUILD_DIR") == NULL)
    {
      g_test_skip ("GB_BUILD_DIR is not set (run through meson test)");
      return;
    }
  g_autofree char *csv = g_build_filename (src ? src : GB_SOURCE_DIR, "data", "examples",
                                           "symptom2disease", "Symptom2Disease.csv", NULL);
  g_autofree char *err = NULL;
  int status;
  const char *bad[] = { "--target=label", "--text=text", "--explain-class=Hiccups", "-q", csv,
                        NULL };
  g_assert_true (run_cli (bad, &err, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "--explain-class"));
  g_assert_nonnull (strstr (err, "Hiccups"));
  g_assert_nonnull (strstr (err, "Psoriasis"));
  g_assert_nonnull (strstr (err, "urinary tract infection"));

  g_autofree char *dir = g_dir_make_tmp ("gb-mc-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (dir, "a.json", NULL);
  g_autofree char *jopt = g_strdup_printf ("--json=%s", json);
  g_autofree char *err2 = NULL;
  const char *good[] = { "--target=label", "--text=text", "--explain-class=Jaundice",
                         "--explain=3", "--explainers=integrated_gradients,kernel_shap",
                         "--epochs=1", "--max-length=32", "-q", jopt, csv, NULL };
  g_assert_true (run_cli (good, &err2, &status));
  if (status != 0)
    g_error ("glassbox-audit failed: %s", err2);
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  JsonObject *ex = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "explanations");
  static const char *const methods[] = { "integrated_gradients", "kernel_shap" };
  for (guint k = 0; k < 2; k++)
    {
      JsonArray *rows = json_object_get_array_member (json_object_get_object_member (ex, methods[k]),
                                                      "rows");
      g_assert_cmpuint (json_array_get_length (rows), ==, 3);
      for (guint i = 0; i < 3; i++)
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, i),
                                                        "class"), ==, "Jaundice");
    }
  g_unlink (json);
  g_rmdir (dir);
}

/* --positive=spam on the two-valued label: its other value “ham” names the
 * class “not spam” (the JSON's name for it), as “--explain-class=not spam”
 * does; a value of no class still exits 2. */
static void
test_cli_explain_class_binary (void)
{
  const char *src = g_getenv ("GB_SOURCE_DIR");
  if (g_getenv ("GB_BUILD_DIR") == NULL)
    {
      g_test_skip ("GB_BUILD_DIR is not set (run through meson test)");
      return;
    }
  g_autofree char *csv = g_build_filename (src ? src : GB_SOURCE_DIR, "data", "examples",
                                           "sms_spam", "sms_spam.csv", NULL);
  g_autofree char *dir = g_dir_make_tmp ("gb-mc-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (dir, "b.json", NULL);
  g_autofree char *jopt = g_strdup_printf ("--json=%s", json);
  g_autofree char *ropt = g_strdup_printf ("--report=%s/b.pdf", dir);
  int status;
  g_autofree char *err0 = NULL;
  const char *bad[] = { "--target=label", "--positive=spam", "--text=text",
                        "--explain-class=eggs", "-q", csv, NULL };
  g_assert_true (run_cli (bad, &err0, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err0, "not spam"));
  g_autofree char *err = NULL;
  const char *good[] = { "--target=label", "--positive=spam", "--text=text",
                         "--explain-class=ham", "--explain=2",
                         "--explainers=integrated_gradients", "--decompose-rows=0",
                         "--bootstrap=0", "--counterfactual-pairs=none", "--epochs=1",
                         "--max-length=16", "-q", jopt, ropt, csv, NULL };
  g_assert_true (run_cli (good, &err, &status));
  if (status != 0)
    g_error ("glassbox-audit failed: %s", err);
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  JsonObject *ig = json_object_get_object_member (
      json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                     "explanations"), "integrated_gradients");
  JsonArray *rows = json_object_get_array_member (ig, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, i),
                                                    "class"), ==, "not spam");
  g_autofree char *pdf = g_build_filename (dir, "b.pdf", NULL);
  g_unlink (pdf);
  g_unlink (json);
  g_rmdir (dir);
}

/* gb_audit_settings_target_classes() (what the GUI's Class to Explain
 * lists): the classes by hand for each kind of target, and every name it
 * gives is one gb_audit_validate() accepts as --explain-class. */
static void
check_target_classes (GbDataset *ds, const char *target, const char *positive,
                      const char *const *expected)
{
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  s->target = g_strdup (target);
  s->positive = g_strdup (positive);
  names = gb_audit_settings_target_classes (s, ds, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, expected);
  for (guint k = 0; names[k] != NULL; k++)
    {
      g_free (s->explain_class);
      s->explain_class = g_strdup (names[k]);
      g_assert_true (gb_audit_validate (audit, ds, &error));
      g_assert_no_error (error);
    }
  /* a name that is no class is refused by both */
  g_free (s->explain_class);
  s->explain_class = g_strdup ("no such class");
  g_assert_false (gb_audit_validate (audit, ds, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
}

static void
test_target_classes (void)
{
  static const char csv[] = "kind,yes,age\n"
                            "pear,b,30\n"
                            "apple,a,41\n"
                            "fig,b,52\n"
                            "apple,a,23\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDataset) ds = gb_dataset_new_from_data (csv, sizeof csv - 1, "classes.csv", &error);
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  const char *three[] = { "apple", "fig", "pear", NULL };   /* levels in byte order */
  const char *positive[] = { "not fig", "fig", NULL };
  const char *two[] = { "a", "b", NULL };
  const char *condition[] = { "false", "true", NULL };

  g_assert_no_error (error);
  check_target_classes (ds, "kind", NULL, three);
  check_target_classes (ds, "kind", "fig", positive);
  check_target_classes (ds, "yes", NULL, two);
  check_target_classes (ds, "age>=40", NULL, condition);

  /* no target, an unknown column: an error naming --target */
  g_assert_null (gb_audit_settings_target_classes (s, ds, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "--target"));
  g_clear_error (&error);
  s->target = g_strdup ("colour");
  g_assert_null (gb_audit_settings_target_classes (s, ds, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "colour"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/explain-multiclass/target-classes", test_target_classes);
  g_test_add_func ("/explain-multiclass/symptom2disease", test_symptom2disease);
  g_test_add_func ("/explain-multiclass/tabular-merge", test_tabular_merge);
  g_test_add_func ("/explain-multiclass/cli-explain-class", test_cli_explain_class);
  g_test_add_func ("/explain-multiclass/cli-explain-class-binary", test_cli_explain_class_binary);
  return g_test_run ();
}
