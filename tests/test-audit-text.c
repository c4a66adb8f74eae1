/* test-audit-text.c — the main job with text and multi-class models: a
 * text-only audit of SMS spam, a 24-class audit of Symptom2Disease through
 * glassbox-audit (its metrics recomputed from --export-scores), and the
 * command line's errors for --text. */
#include "gb-config.h"
#include "glassbox-engine.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char *tmpdir;
static char *sms_slice;        /* header + first 1500 messages of SMS spam */
static char *symptom_slice;    /* header + every other row of Symptom2Disease (600 rows) */

static const char *
source_dir (void)
{
  const char *s = g_getenv ("GB_SOURCE_DIR");
  return s ? s : GB_SOURCE_DIR;
}

/* Writes the header and the data lines of @rel whose 0-based index i has
 * i % @step == 0, up to @n of them (neither file has line breaks inside a
 * quoted field). */
static char *
make_slice (const char *rel, const char *name, guint n, guint step)
{
  g_autofree char *path = g_build_filename (source_dir (), "data", "examples", rel, NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (lines[0]);
  g_string_append_c (out, '\n');
  guint kept = 0;
  for (guint i = 1; lines[i] && kept < n; i++)
    if (*lines[i] && (i - 1) % step == 0)
      {
        g_string_append (out, lines[i]);
        g_string_append_c (out, '\n');
        kept++;
      }
  g_assert_cmpuint (kept, ==, n);
  char *file = g_build_filename (tmpdir, name, NULL);
  g_assert_true (g_file_set_contents (file, out->str, out->len, NULL));
  g_string_free (out, TRUE);
  return file;
}

static gboolean
spawn (const char *const *argv, char **out, char **err, int *status)
{
  GError *error = NULL;
  int wait_status = 0;
  gboolean ok = g_spawn_sync (tmpdir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                              out, err, &wait_status, &error);
  if (!ok)
    {
      g_test_message ("spawn %s: %s", argv[0], error->message);
      g_error_free (error);
      return FALSE;
    }
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return TRUE;
}

static char *
cli_path (void)
{
  const char *b = g_getenv ("GB_BUILD_DIR");
  g_assert_nonnull (b);
  return g_build_filename (b, "app", "glassbox-audit", NULL);
}

static JsonNode *
json_at (JsonNode *root, const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;
  for (guint i = 0; parts[i]; i++)
    {
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      JsonObject *o = json_node_get_object (node);
      if (!json_object_has_member (o, parts[i]))
        g_error ("JSON lacks %s (at %s)", path, parts[i]);
      node = json_object_get_member (o, parts[i]);
    }
  return node;
}

static double
json_number (JsonNode *root, const char *path)
{
  JsonNode *n = json_at (root, path);
  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  return json_node_get_double (n);
}

static void
assert_metric_keys (JsonNode *root, const char *prefix)
{
  static const char *const keys[] = { "accuracy", "roc_auc", "balanced_accuracy", "f1_macro",
                                      "log_loss", "brier", "ece", NULL };
  for (guint i = 0; keys[i]; i++)
    {
      g_autofree char *p = g_strdup_printf ("%s.%s", prefix, keys[i]);
      double v = json_number (root, p);
      g_assert_true (isfinite (v));
      g_assert_cmpfloat (v, >=, 0.0);
    }
}

/* ---------------------------------------------------------- SMS spam, API */

static void
test_sms_spam_text_audit (void)
{
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  g_autoptr(GError) error = NULL;

  s->csv_path = g_strdup (sms_slice);
  s->target = g_strdup ("label");
  gb_audit_use_text (audit, "text");
  s->model.n_layers = 1;
  s->train.epochs = 3;
  s->train.n_threads = 2;
  s->explain_rows = 2;
  g_assert_true (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  const GbAuditResults *r = gb_audit_get_results (audit);
  g_assert_true (r->has_model);
  g_assert_cmpuint (r->n_classes, ==, 2);
  g_assert_cmpstr (r->class_names[0], ==, "ham");
  g_assert_cmpstr (r->class_names[1], ==, "spam");
  g_assert_cmpuint (r->n_features, ==, 0);                 /* text-only */
  g_assert_cmpstr (r->text_column, ==, "text");
  g_assert_cmpuint (r->vocab_size, >, 500);
  g_test_message ("SMS spam slice (1500 rows, 30 %% held out, 3 epochs): accuracy %.4f, "
                  "ROC-AUC %.4f, balanced accuracy %.4f, macro F1 %.4f, log loss %.4f, "
                  "Brier %.4f, ECE %.4f; majority class %.4f; bag-of-words baseline accuracy "
                  "%.4f, ROC-AUC %.4f; vocabulary %" G_GSIZE_FORMAT " tokens, training %.1f s",
                  r->accuracy, r->roc_auc, r->balanced_accuracy, r->f1_macro, r->log_loss,
                  r->brier, r->ece, r->majority_rate_test, r->baseline_accuracy,
                  r->baseline_roc_auc, r->vocab_size, r->train_seconds);
  /* ham is 85.7 % of the slice: the text model must do clearly better */
  g_assert_cmpfloat (r->majority_rate_test, <, 0.88);
  g_assert_cmpfloat (r->accuracy, >=, 0.95);
  g_assert_cmpfloat (r->roc_auc, >=, 0.97);
  g_assert_cmpfloat (r->baseline_accuracy, >=, 0.93);
  /* the confusion matrix covers the held-out rows */
  g_assert_cmpuint (r->confusion[0] + r->confusion[1] + r->confusion[2] + r->confusion[3], ==,
                    r->n_test);
  /* the explainers run on the text rows (gb-explain-text.h): integrated
   * gradients from the [MASK] baseline, complete on every row, with one
   * attribution per word piece and none on padding */
  g_assert_nonnull (r->integrated_gradients);
  g_assert_cmpuint (r->integrated_gradients->n_rows, ==, 2);
  g_assert_cmpint (r->integrated_gradients->baseline_kind, ==, GB_IG_BASELINE_MASK);
  for (gsize i = 0; i < r->integrated_gradients->n_rows; i++)
    {
      const GbIgRow *row = &r->integrated_gradients->rows[i];
      const guint nt = g_strv_length (row->tokens);
      double sum = 0;
      g_assert_cmpuint (nt, >, 0);
      for (guint j = 0; j < r->integrated_gradients->n_features; j++)
        {
          if (j >= nt)
            g_assert_cmpfloat (row->attributions[j], ==, 0.0);
          sum += row->attributions[j];
        }
      g_assert_cmpfloat (fabs (sum - (row->prediction - row->baseline_prediction)), <=,
                         MAX (0.01 * fabs (row->prediction - row->baseline_prediction), 1e-6));
    }

  g_autofree char *json = gb_audit_to_json (audit);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  JsonNode *root = json_parser_get_root (parser);
  assert_metric_keys (root, "model.metrics");
  assert_metric_keys (root, "model.baseline.metrics");
  g_assert_cmpfloat (json_number (root, "model.metrics.accuracy"), ==, r->accuracy);
  g_assert_cmpstr (json_node_get_string (json_at (root, "model.text.column")), ==, "text");
  JsonArray *classes = json_node_get_array (json_at (root, "model.classes"));
  g_assert_cmpuint (json_array_get_length (classes), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (classes, 1), ==, "spam");
  JsonArray *cm = json_node_get_array (json_at (root, "model.confusion_matrix"));
  g_assert_cmpuint (json_array_get_length (cm), ==, 2);
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (cm, 1), 1), ==,
                   (gint64) r->confusion[3]);
  g_assert_cmpfloat (json_number (root, "model.reliability.ece"), ==, r->ece);
  g_assert_nonnull (strstr (json_node_get_string (json_at (root, "model.baseline.type")),
                            "most frequent vocabulary words"));
  /* text rows in the JSON: tokens, and one attribution per token ("k:piece") */
  g_assert_cmpstr (json_node_get_string (json_at (root, "explanations.integrated_gradients.baseline")),
                   ==, "mask");
  for (guint m = 0; m < 2; m++)
    {
      JsonArray *rows = json_node_get_array (json_at (root, m ? "explanations.kernel_shap.rows"
                                                              : "explanations.integrated_gradients.rows"));
      g_assert_cmpuint (json_array_get_length (rows), ==, 2);
      JsonObject *row0 = json_array_get_object_element (rows, 0);
      JsonArray *tokens = json_object_get_array_member (row0, "tokens");
      JsonObject *attr = json_object_get_object_member (row0, "attributions");
      g_assert_cmpuint (json_array_get_length (tokens), ==, json_object_get_size (attr));
      g_autofree char *key0 = g_strdup_printf ("0:%s", json_array_get_string_element (tokens, 0));
      g_assert_true (json_object_has_member (attr, key0));
    }

  g_autofree char *pdf = g_build_filename (tmpdir, "sms.pdf", NULL);
  g_assert_true (gb_audit_write_pdf (audit, pdf, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------- Symptom2Disease, command line */

static char *symptom_json, *symptom_scores;

/* Runs glassbox-audit once on the Symptom2Disease slice. */
static void
run_symptom_cli (void)
{
  if (symptom_json != NULL)
    return;
  g_autofree char *cli = cli_path ();
  symptom_json = g_build_filename (tmpdir, "symptom.json", NULL);
  symptom_scores = g_build_filename (tmpdir, "symptom-scores.csv", NULL);
  g_autofree char *json_opt = g_strdup_printf ("--json=%s", symptom_json);
  g_autofree char *scores_opt = g_strdup_printf ("--export-scores=%s", symptom_scores);
  g_autofree char *pdf_opt = g_strdup_printf ("--report=%s/symptom.pdf", tmpdir);
  const char *argv[] = { cli, "--target=label", "--text=text", "--layers=1", "--d-model=32",
                         "--heads=4", "--max-length=48", "--epochs=12", "--threads=2", "-q",
                         json_opt, scores_opt, pdf_opt, symptom_slice, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;
  g_assert_true (spawn (argv, &out, &err, &status));
  if (status != 0)
    g_test_message ("glassbox-audit: %s", err);
  g_assert_cmpint (status, ==, 0);
}

typedef struct {
  gsize n_rows;
  guint K;
  char **classes;       /* from the header, p(CLASS) */
  GArray *split;        /* (char *) "train" / "held-out" / "excluded" per row */
  GArray *y;            /* double class index (NAN when no label) */
  GArray *proba;        /* (n_rows, K) */
} Scores;

static void
scores_free (Scores *sc)
{
  g_strfreev (sc->classes);
  g_array_unref (sc->split);
  g_array_unref (sc->y);
  g_array_unref (sc->proba);
  g_free (sc);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scores, scores_free)

/* Reads the --export-scores file back (its labels have no commas or quotes). */
static Scores *
read_scores (const char *path)
{
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  Scores *sc = g_new0 (Scores, 1);
  g_auto(GStrv) head = g_strsplit (lines[0], ",", -1);
  g_assert_cmpstr (head[0], ==, "row");
  g_assert_cmpstr (head[1], ==, "split");
  g_assert_cmpstr (head[2], ==, "label");
  sc->K = g_strv_length (head) - 3;
  sc->classes = g_new0 (char *, sc->K + 1);
  for (guint k = 0; k < sc->K; k++)
    {
      g_assert_true (g_str_has_prefix (head[3 + k], "p(") && g_str_has_suffix (head[3 + k], ")"));
      sc->classes[k] = g_strndup (head[3 + k] + 2, strlen (head[3 + k]) - 3);
    }
  sc->split = g_array_new (FALSE, FALSE, sizeof (char *));
  sc->y = g_array_new (FALSE, FALSE, sizeof (double));
  sc->proba = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 3 + sc->K);
      g_assert_cmpuint (g_ascii_strtoull (f[0], NULL, 10), ==, i - 1);   /* one line per row, in order */
      static const char *const splits[] = { "train", "held-out", "excluded" };
      const char *sp = NULL;
      for (guint k = 0; k < 3; k++)
        if (g_strcmp0 (f[1], splits[k]) == 0)
          sp = splits[k];
      g_assert_nonnull (sp);
      g_array_append_val (sc->split, sp);
      double y = NAN;
      for (guint k = 0; k < sc->K; k++)
        if (g_strcmp0 (f[2], sc->classes[k]) == 0)
          y = k;
      g_assert_true (*f[2] == '\0' || !isnan (y));
      g_array_append_val (sc->y, y);
      double sum = 0.0;
      for (guint k = 0; k < sc->K; k++)
        {
          char *end = NULL;
          double p = g_ascii_strtod (f[3 + k], &end);
          g_assert_true (end != f[3 + k] && *end == '\0');
          g_assert_cmpfloat (p, >=, 0.0);
          g_assert_cmpfloat (p, <=, 1.0);
          sum += p;
          g_array_append_val (sc->proba, p);
        }
      /* the model's softmax is float32: the sum is 1 to its rounding */
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-6);
      sc->n_rows++;
    }
  return sc;
}

static void
test_symptom_multiclass_metrics (void)
{
  run_symptom_cli ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  g_assert_true (json_parser_load_from_file (parser, symptom_json, &error));
  g_assert_no_error (error);
  JsonNode *root = json_parser_get_root (parser);
  g_autoptr(Scores) sc = read_scores (symptom_scores);
  const guint K = sc->K;

  g_assert_cmpuint (K, ==, 24);
  JsonArray *classes = json_node_get_array (json_at (root, "model.classes"));
  g_assert_cmpuint (json_array_get_length (classes), ==, K);
  for (guint k = 0; k < K; k++)
    g_assert_cmpstr (json_array_get_string_element (classes, k), ==, sc->classes[k]);

  /* the held-out rows of the exported scores */
  g_autoptr(GArray) yt = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pt = g_array_new (FALSE, FALSE, sizeof (double));
  for (gsize i = 0; i < sc->n_rows; i++)
    if (strcmp (g_array_index (sc->split, const char *, i), "held-out") == 0)
      {
        g_array_append_val (yt, g_array_index (sc->y, double, i));
        g_array_append_vals (pt, &g_array_index (sc->proba, double, i * K), K);
      }
  const gsize n = yt->len;
  g_assert_cmpint (json_node_get_int (json_at (root, "model.n_test")), ==, (gint64) n);
  const double *y = (const double *) yt->data, *p = (const double *) pt->data;
  g_autofree double *pred = g_new (double, n);
  gb_metrics_argmax (p, n, K, pred);
  g_autoptr(GbClassReport) rep = gb_class_report_new (y, pred, n, K);
  const double expect[][2] = {
    { json_number (root, "model.metrics.accuracy"), rep->accuracy },
    { json_number (root, "model.metrics.balanced_accuracy"), rep->balanced_accuracy },
    { json_number (root, "model.metrics.f1_macro"), rep->f1_macro },
    { json_number (root, "model.metrics.roc_auc"), gb_roc_auc_ovr (y, p, n, K) },
    { json_number (root, "model.metrics.log_loss"), gb_log_loss (y, p, n, K) },
    { json_number (root, "model.metrics.brier"), gb_brier_score (y, p, n, K) },
    { json_number (root, "model.metrics.ece"), gb_expected_calibration_error (y, p, n, K, 15) },
  };
  static const char *const names[] = { "accuracy", "balanced_accuracy", "f1_macro", "roc_auc",
                                       "log_loss", "brier", "ece" };
  for (guint m = 0; m < G_N_ELEMENTS (expect); m++)
    {
      g_test_message ("Symptom2Disease slice %s: JSON %.6f, from the scores %.6f", names[m],
                      expect[m][0], expect[m][1]);
      /* the export predicts again in other batches: float32 sums may differ in the last bits */
      g_assert_cmpfloat (fabs (expect[m][0] - expect[m][1]), <=, 1e-6);
    }
  JsonArray *cm = json_node_get_array (json_at (root, "model.confusion_matrix"));
  g_assert_cmpuint (json_array_get_length (cm), ==, K);
  for (guint i = 0; i < K; i++)
    for (guint j = 0; j < K; j++)
      g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (cm, i), j), ==,
                       (gint64) rep->confusion[i * K + j]);
  g_test_message ("Symptom2Disease slice (600 rows, 24 classes, 12 epochs): baseline accuracy "
                  "%.4f, macro F1 %.4f",
                  json_number (root, "model.baseline.metrics.accuracy"),
                  json_number (root, "model.baseline.metrics.f1_macro"));
  /* 24 balanced classes: chance is 1/24; the text model learns far more */
  g_assert_cmpfloat (rep->accuracy, >=, 0.5);
  /* no ROC curve for 24 classes (the AUC is the one-vs-rest mean) */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_at (root, "model.roc_curve.fpr"))),
                    ==, 0);
}

static void
test_export_scores_lines (void)
{
  run_symptom_cli ();
  g_autoptr(Scores) sc = read_scores (symptom_scores);   /* checks each line and its sum */
  g_assert_cmpuint (sc->n_rows, ==, 600);
  gsize train = 0, held = 0;
  for (gsize i = 0; i < sc->n_rows; i++)
    {
      const char *sp = g_array_index (sc->split, const char *, i);
      train += strcmp (sp, "train") == 0;
      held += strcmp (sp, "held-out") == 0;
    }
  g_assert_cmpuint (train + held, ==, 600);
  g_assert_cmpuint (held, ==, 24 * 8);   /* 25 per class, round(0.3 × 25) = 8 held out */
}

/* ------------------------------------------------------------ CLI errors */

static void
test_cli_unknown_text_column (void)
{
  g_autofree char *cli = cli_path ();
  const char *argv[] = { cli, "--target=label", "--text=message", "-q", sms_slice, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;
  g_assert_true (spawn (argv, &out, &err, &status));
  g_assert_cmpint (status, ==, 2);
  g_auto(GStrv) lines = g_strsplit (err, "\n", 2);
  g_assert_true (g_str_has_prefix (lines[0], "glassbox-audit: "));
  g_assert_nonnull (strstr (lines[0], "--text"));
  g_assert_nonnull (strstr (lines[0], "message"));

  const char *argv2[] = { cli, "--target=label", "--text=text", "--d-model=30", "--heads=4", "-q",
                          sms_slice, NULL };
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_assert_true (spawn (argv2, &out2, &err2, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err2, "--heads"));
}

/* --model=DIR on a folder that cannot be used: exit 1, as for an unreadable
 * or malformed CSV, with one "glassbox-audit: --model: …" line naming the
 * file and the reason; a good checkpoint that does not fit the command line
 * (a text model without --text) is a usage error, exit 2. */
static void
cli_model_case (const char *dir, gboolean with_text, int want_status, const char *want_file,
                const char *want_reason)
{
  g_autofree char *cli = cli_path ();
  g_autofree char *opt = g_strdup_printf ("--model=%s", dir);
  const char *argv[] = { cli, "--target=label", opt, "-q", "--explain=0",
                         with_text ? "--text=text" : sms_slice, with_text ? sms_slice : NULL,
                         NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;

  g_assert_true (spawn (argv, &out, &err, &status));
  g_test_message ("%s: exit %d: %s", dir, status, err);
  g_assert_cmpint (status, ==, want_status);
  g_assert_true (g_str_has_prefix (err, "glassbox-audit: --model: "));
  g_assert_nonnull (strstr (err, want_file));
  g_assert_nonnull (strstr (err, want_reason));
}

static void
test_cli_bad_model_folder (void)
{
  const char *data = g_getenv ("GB_TEST_DATA");
  g_autofree char *tiny = g_build_filename (data, "hf", "tiny-bert", NULL);
  g_autofree char *pickle = g_build_filename (data, "hf", "pickle-only", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "no-such-model", NULL);
  g_autofree char *empty = g_build_filename (tmpdir, "empty-model", NULL);
  g_autofree char *trunc = g_build_filename (tmpdir, "truncated-model", NULL);
  g_autofree char *trunc_st = g_build_filename (trunc, "model.safetensors", NULL);
  const char *names[] = { "config.json", "vocab.txt", "tokenizer_config.json",
                          "model.safetensors" };

  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (trunc, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *a = g_build_filename (tiny, names[i], NULL);
      g_autofree char *b = g_build_filename (trunc, names[i], NULL);
      g_autofree char *c = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (a, &c, &len, NULL));
      /* model.safetensors cut to two thirds */
      g_assert_true (g_file_set_contents (b, c, i == 3 ? (gssize) (len * 2 / 3) : (gssize) len,
                                          NULL));
    }

  cli_model_case (missing, TRUE, 1, missing, "is not a folder");
  cli_model_case (empty, TRUE, 1, empty, "holds neither glassbox-model.json");
  cli_model_case (trunc, TRUE, 1, trunc_st, "truncated");
  cli_model_case (pickle, TRUE, 1, "pytorch_model.bin", "pickle");
  cli_model_case (tiny, FALSE, 2, tiny, "give --text=COLUMN");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *b = g_build_filename (trunc, names[i], NULL);
      g_unlink (b);
    }
  g_rmdir (trunc);
  g_rmdir (empty);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("gb-audit-text-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  sms_slice = make_slice ("sms_spam/sms_spam.csv", "sms-slice.csv", 1500, 1);
  symptom_slice = make_slice ("symptom2disease/Symptom2Disease.csv", "symptom-slice.csv", 600, 2);

  g_test_add_func ("/engine/audit-text/sms-spam/text-audit", test_sms_spam_text_audit);
  g_test_add_func ("/engine/audit-text/symptom2disease/metrics-from-scores",
                   test_symptom_multiclass_metrics);
  g_test_add_func ("/engine/audit-text/export-scores/one-line-per-row", test_export_scores_lines);
  g_test_add_func ("/engine/audit-text/cli/unknown-text-column", test_cli_unknown_text_column);
  g_test_add_func ("/engine/audit-text/cli/bad-model-folder", test_cli_bad_model_folder);

  int rc = g_test_run ();
  g_autoptr(GDir) d = g_dir_open (tmpdir, 0, NULL);
  for (const char *name; d && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *p = g_build_filename (tmpdir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (tmpdir);
  return rc;
}
