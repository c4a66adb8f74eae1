/* test-report.c — the main job end to end: GbAudit on real data, the JSON
 * and PDF it writes, and the glassbox-audit command line. */
#include "gb-config.h"
#include "glassbox-engine.h"
#include "gb-model-private.h"   /* gb_model_new_from_config */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmpdir;
static char *adult_slice;      /* first 4000 rows of the bundled Adult data */
static GbAudit *slice_audit;   /* run once, shared by the read-only tests */

static const char *
source_dir (void)
{
  const char *s = g_getenv ("GB_SOURCE_DIR");
  return s ? s : GB_SOURCE_DIR;
}

static char *
example_path (const char *rel)
{
  return g_build_filename (source_dir (), "data", "examples", rel, NULL);
}

/* Writes the header and the first n data lines of the Adult example. */
static char *
make_adult_slice (guint n)
{
  g_autofree char *path = example_path ("adult/adult.csv");
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

static GbAudit *
get_slice_audit (void)
{
  if (slice_audit == NULL)
    {
      GError *error = NULL;
      slice_audit = gb_audit_new ();
      gb_audit_apply_example (slice_audit, "/nonexistent");
      GbAuditSettings *s = gb_audit_get_settings (slice_audit);
      g_free (s->csv_path);
      s->csv_path = g_strdup (adult_slice);
      s->train.epochs = 3;
      s->train.n_threads = 1;
      s->explain_rows = 6;
      gboolean ok = gb_audit_run (slice_audit, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  return slice_audit;
}

/* ----------------------------------------------------------------- helpers */

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
parse_json_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
json_at (JsonNode *root, const char *path)
{
  GError *error = NULL;
  g_autoptr(JsonNode) res = json_path_query (path, root, &error);
  g_assert_no_error (error);
  JsonArray *a = json_node_get_array (res);
  if (json_array_get_length (a) == 0)
    return NULL;
  return json_node_copy (json_array_get_element (a, 0));
}

/* ------------------------------------------------------------------- tests */

/* The held-out fairness table recomputed from the raw group counts: the DI
 * ratio is min/max of the selection rates, and the counts add up to n. */
static void
test_fairness_consistent (void)
{
  GbAudit *audit = get_slice_audit ();
  const GbAuditResults *r = gb_audit_get_results (audit);

  g_assert_true (r->has_model);
  g_assert_cmpuint (r->fairness->len, ==, 3);   /* sex, race and their intersection */
  g_assert_cmpstr (((GbFairnessResult *) g_ptr_array_index (r->fairness, 2))->attribute, ==, "sex*race");
  for (guint a = 0; a < r->fairness->len; a++)
    {
      const GbFairnessResult *fr = g_ptr_array_index (r->fairness, a);
      double lo = INFINITY, hi = -INFINITY, tlo = INFINITY, thi = -INFINITY;
      gsize total = 0;
      for (guint g = 0; g < fr->n_groups; g++)
        {
          const GbGroupRates *gr = &fr->groups[g];
          g_assert_cmpuint (gr->tp + gr->fp + gr->tn + gr->fn, ==, gr->n);
          g_assert_cmpfloat_with_epsilon (gr->selection_rate, (double) (gr->tp + gr->fp) / gr->n, 1e-12);
          total += gr->n;
          /* groups below the minimum size are left out of the min/max metrics */
          if (gr->small && !fr->summary_uses_all)
            continue;
          lo = MIN (lo, gr->selection_rate);
          hi = MAX (hi, gr->selection_rate);
          if (!isnan (gr->tpr))
            {
              tlo = MIN (tlo, gr->tpr);
              thi = MAX (thi, gr->tpr);
            }
        }
      g_assert_cmpuint (total, ==, r->n_test);
      g_assert_cmpfloat_with_epsilon (fr->disparate_impact_ratio, lo / hi, 1e-12);
      g_assert_cmpfloat_with_epsilon (fr->statistical_parity_difference, hi - lo, 1e-12);
      g_assert_cmpfloat_with_epsilon (fr->equal_opportunity_difference, thi - tlo, 1e-12);
    }
}

/* The naive ATE equals the difference in outcome means computed here
 * directly from the CSV text. */
static void
test_causal_naive_matches_csv (void)
{
  GbAudit *audit = get_slice_audit ();
  const GbAuditResults *r = gb_audit_get_results (audit);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (adult_slice, &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  double sum1 = 0, sum0 = 0;
  gsize n1 = 0, n0 = 0;

  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 15);
      const double edu = g_ascii_strtod (f[4], NULL);
      const double y = strcmp (f[14], ">50K") == 0 ? 1.0 : 0.0;
      if (edu >= 13)
        sum1 += y, n1++;
      else
        sum0 += y, n0++;
    }
  g_assert_true (r->has_causal);
  const GbEstimate *naive = &g_array_index (r->estimates, GbEstimate, 0);
  g_assert_cmpstr (naive->method, ==, "naive");
  g_assert_cmpfloat_with_epsilon (naive->estimate, sum1 / n1 - sum0 / n0, 1e-12);
  g_assert_cmpuint (naive->n_used, ==, n1 + n0);
  /* every estimator of issue 7 by default, with its diagnostics */
  g_assert_cmpuint (r->estimates->len, ==, GB_CAUSAL_N_METHODS);
  g_assert_nonnull (r->causal);
  g_assert_cmpuint (r->causal->balance->len, >, 0);
  g_assert_cmpuint (r->causal->refutations->len, ==, 3);
  g_assert_cmpuint (r->causal->n_all, ==, n1 + n0);
  for (guint i = 0; i < r->estimates->len; i++)
    {
      const GbEstimate *e = &g_array_index (r->estimates, GbEstimate, i);
      g_assert_true (e->ci_low < e->estimate && e->estimate < e->ci_high);
      g_assert_cmpfloat (e->std_error, >, 0.0);
    }
}

/* IG on the audit's rows satisfies completeness within 1 % of |f(x) − f(x′)|. */
static void
test_ig_completeness_in_audit (void)
{
  GbAudit *audit = get_slice_audit ();
  const GbIgResult *ig = gb_audit_get_results (audit)->integrated_gradients;
  g_assert_nonnull (ig);
  g_assert_cmpuint (ig->n_rows, ==, 6);
  for (gsize i = 0; i < ig->n_rows; i++)
    {
      const GbIgRow *row = &ig->rows[i];
      double sum = 0;
      for (guint f = 0; f < ig->n_features; f++)
        sum += row->attributions[f];
      g_assert_cmpfloat_with_epsilon (row->completeness_residual,
                                      fabs (sum - (row->prediction - row->baseline_prediction)), 1e-9);
      g_assert_cmpfloat (row->completeness_residual, <=,
                         MAX (0.01 * fabs (row->prediction - row->baseline_prediction), 1e-6));
    }
}

/* The JSON has every key the issue fixes, with numbers (fractions) in range. */
static void
test_json_keys (void)
{
  GbAudit *audit = get_slice_audit ();
  g_autofree char *path = g_build_filename (tmpdir, "slice.json", NULL);
  GError *error = NULL;
  g_assert_true (gb_audit_write_json (audit, path, &error));
  g_assert_no_error (error);
  g_autoptr(JsonNode) root = parse_json_file (path);

  const char *must[] = {
    "$.dataset.path", "$.dataset.sha256", "$.dataset.rows", "$.dataset.columns",
    "$.model.metrics.accuracy", "$.model.metrics.roc_auc",
    "$.fairness.sex.groups[0].group", "$.fairness.sex.groups[0].n",
    "$.fairness.sex.groups[0].selection_rate", "$.fairness.sex.groups[0].tpr",
    "$.fairness.sex.groups[0].fpr", "$.fairness.sex.groups[0].fnr", "$.fairness.sex.groups[0].ppv",
    "$.fairness.race.metrics.disparate_impact_ratio.value",
    "$.fairness.race.metrics.disparate_impact_ratio.ci_low",
    "$.fairness.race.metrics.disparate_impact_ratio.p_adjusted",
    "$.fairness.sex.metrics.statistical_parity_difference.value",
    "$.fairness.sex.metrics.equal_opportunity_difference.value",
    "$.fairness.sex.metrics.equalized_odds_difference.value",
    "$.fairness.sex.groups[0].selection_rate_ci",
    "$.causal.estimates[0].method", "$.causal.estimates[0].estimate",
    "$.causal.estimates[0].std_error", "$.causal.estimates[0].ci_low",
    "$.causal.estimates[0].ci_high", "$.causal.estimates[0].p_value",
    "$.explanations.integrated_gradients.rows[0].row",
    "$.explanations.integrated_gradients.rows[0].prediction",
    "$.explanations.integrated_gradients.rows[0].attributions.age",
    "$.explanations.integrated_gradients.rows[0].completeness_residual",
    "$.explanations.integrated_gradients.global.age",
    "$.provenance.command_line", "$.provenance.seed",
  };
  for (guint i = 0; i < G_N_ELEMENTS (must); i++)
    {
      g_autoptr(JsonNode) n = json_at (root, must[i]);
      if (n == NULL)
        g_error ("JSON key %s missing", must[i]);
    }
  g_autoptr(JsonNode) rows = json_at (root, "$.dataset.rows");
  g_assert_cmpint (json_node_get_int (rows), ==, 4000);
  g_autoptr(JsonNode) sha = json_at (root, "$.dataset.sha256");
  g_autofree char *want = gb_sha256_file (adult_slice, NULL);
  g_assert_cmpstr (json_node_get_string (sha), ==, want);
  g_autoptr(JsonNode) sr = json_at (root, "$.fairness.sex.groups[0].selection_rate");
  g_assert_cmpfloat (json_node_get_double (sr), >=, 0.0);
  g_assert_cmpfloat (json_node_get_double (sr), <=, 1.0);
}

/* The PDF has every section, the reproduction command and metadata. */
static void
test_pdf_sections (void)
{
  GbAudit *audit = get_slice_audit ();
  g_autofree char *path = g_build_filename (tmpdir, "slice.pdf", NULL);
  GError *error = NULL;
  g_assert_true (gb_audit_write_pdf (audit, path, &error));
  g_assert_no_error (error);

  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;
  g_assert_true (spawn (argv, &out, &err, &status));
  g_assert_cmpint (status, ==, 0);
  const char *sections[] = { "Glassbox audit report", "1 Data", "2 Model performance",
                             "3 Explanations", "4 Fairness", "5 Causal effects", "6 Provenance",
                             "glassbox-audit", "--seed=42" };
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    if (strstr (out, sections[i]) == NULL)
      g_error ("PDF text lacks “%s”", sections[i]);

  const char *iargv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = NULL, *ierr = NULL;
  g_assert_true (spawn (iargv, &info, &ierr, &status));
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (info, "Title:"));
  const char *pages = strstr (info, "Pages:");
  g_assert_nonnull (pages);
  g_assert_cmpint (atoi (pages + 6), >=, 6);
}

/* The Lalonde NSW experiment: difference in means 1794.34, Welch SE 671.0
 * (Dehejia & Wahba 1999; PROVENANCE.md). */
static void
test_nsw_causal_only (void)
{
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  const char *cov[] = { "age", "education", "black", "hispanic", "married", "nodegree", "re74", "re75", NULL };
  GError *error = NULL;

  s->csv_path = example_path ("lalonde/nsw_dw.csv");
  s->treatment = g_strdup ("treat");
  s->outcome = g_strdup ("re78");
  s->covariates = g_strdupv ((char **) cov);
  g_assert_true (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  const GbAuditResults *r = gb_audit_get_results (audit);
  g_assert_false (r->has_model);
  g_assert_true (r->has_causal);
  const GbEstimate *naive = &g_array_index (r->estimates, GbEstimate, 0);
  g_assert_cmpfloat (fabs (naive->estimate - 1794.34), <, 0.01);
  g_assert_cmpfloat (fabs (naive->std_error - 671.0), <, 0.1);
  g_assert_cmpuint (r->n_treated, ==, 185);
  g_assert_cmpuint (r->n_control, ==, 260);
  /* randomised: every adjusted estimate within one SE of the experimental benchmark */
  for (guint i = 1; i < r->estimates->len; i++)
    {
      const GbEstimate *e = &g_array_index (r->estimates, GbEstimate, i);
      g_test_message ("nsw_dw %s: %.2f (SE %.2f)", e->method, e->estimate, e->std_error);
      g_assert_cmpfloat (fabs (e->estimate - 1794.34), <, naive->std_error);
    }
  /* and a PDF without a model section still has every heading */
  g_autofree char *pdf = g_build_filename (tmpdir, "nsw.pdf", NULL);
  g_assert_true (gb_audit_write_pdf (audit, pdf, &error));
  g_assert_no_error (error);
}

/* Unknown columns and bad values: one line naming the option and the column, exit 2. */
static void
test_cli_unknown_column (void)
{
  g_autofree char *cli = cli_path ();
  const char *argv[] = { cli, "--target=income-per-year", "--positive=>50K", "--protected=gender",
                         "-q", adult_slice, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;
  g_assert_true (spawn (argv, &out, &err, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_true (g_str_has_prefix (err, "glassbox-audit: "));
  g_auto(GStrv) lines = g_strsplit (err, "\n", 2);
  g_assert_nonnull (strstr (lines[0], "--protected"));     /* one line names option and column */
  g_assert_nonnull (strstr (lines[0], "gender"));

  const char *argv2[] = { cli, "--target=income-per-year", "--positive=>60K", "-q", adult_slice, NULL };
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_assert_true (spawn (argv2, &out2, &err2, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err2, "--positive"));
  g_assert_nonnull (strstr (err2, ">60K"));

  const char *argv3[] = { cli, "--treatment=educ>=13", "--outcome=income-per-year==>50K", "-q", adult_slice, NULL };
  g_autofree char *out3 = NULL, *err3 = NULL;
  g_assert_true (spawn (argv3, &out3, &err3, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err3, "--treatment"));
  g_assert_nonnull (strstr (err3, "educ"));

  /* a [MASK] baseline on a tabular model: a usage error before any training */
  const char *argv4[] = { cli, "--target=income-per-year", "--positive=>50K", "--ig-baseline=mask",
                          "-q", adult_slice, NULL };
  g_autofree char *out4 = NULL, *err4 = NULL;
  g_assert_true (spawn (argv4, &out4, &err4, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err4, "--ig-baseline"));
  g_assert_nonnull (strstr (err4, "--text"));

  /* a row listed twice would be explained (and averaged) twice */
  const char *argv5[] = { cli, "--target=income-per-year", "--positive=>50K", "--explain-rows=3,1, 3",
                          "-q", adult_slice, NULL };
  g_autofree char *out5 = NULL, *err5 = NULL;
  g_assert_true (spawn (argv5, &out5, &err5, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err5, "--explain-rows: row 3 is listed twice"));
}

/* Settings that only fail once the model exists are refused by
 * gb_audit_validate() before training: a TCAV layer deeper than --layers,
 * and a [MASK] integrated-gradients baseline without a text column. */
static void
test_validate_before_training (void)
{
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  const char *concepts[] = { "age>=30", NULL };
  GError *error = NULL;
  g_autofree char *csv = example_path ("lalonde/nsw_dw.csv");
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (csv, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  s->target = g_strdup ("treat");
  s->tcav_concepts = g_strdupv ((char **) concepts);
  s->tcav_layer = s->model.n_layers;
  g_assert_true (gb_audit_validate (audit, ds, &error));
  g_assert_no_error (error);
  s->tcav_layer = s->model.n_layers + 1;
  g_assert_false (gb_audit_validate (audit, ds, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "--tcav-layer"));
  g_clear_error (&error);
  s->tcav_layer = 0;

  s->ig_baseline = GB_IG_BASELINE_MASK;
  g_assert_false (gb_audit_validate (audit, ds, &error));
  g_assert_nonnull (strstr (error->message, "--ig-baseline"));
  g_clear_error (&error);
  s->ig_baseline = GB_IG_BASELINE_EXPECTED;
  g_assert_true (gb_audit_validate (audit, ds, &error));
  g_assert_no_error (error);
}

/* Under LC_ALL=C a UTF-8 --auditor is taken as it is (GOption refused it:
 * "Invalid byte sequence in conversion input"), and a value that is not
 * UTF-8 is a usage error naming the argument. */
static void
test_cli_c_locale (void)
{
  g_autofree char *cli = cli_path ();
  g_autofree char *csv = example_path ("lalonde/nsw_dw.csv");
  g_autofree char *json = g_build_filename (tmpdir, "c-locale.json", NULL);
  g_autofree char *jopt = g_strdup_printf ("--json=%s", json);
  g_autofree char *ropt = g_strdup_printf ("--report=%s/c-locale.pdf", tmpdir);
  const char *argv[] = { "env", "LC_ALL=C", cli, "--auditor=Zoë 王", "--treatment=treat",
                         "--outcome=re78", "--estimators=naive", "-q", jopt, ropt, csv, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;
  g_assert_true (spawn (argv, &out, &err, &status));
  if (status != 0)
    g_error ("glassbox-audit under LC_ALL=C: %s", err);
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  JsonObject *rep = json_object_get_object_member (
      json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                     "provenance"), "report");
  g_assert_cmpstr (json_object_get_string_member (rep, "auditor"), ==, "Zoë 王");

  const char *argv2[] = { "env", "LC_ALL=C", cli, "--auditor=J\xe9r\xf4me", "--treatment=treat",
                          "--outcome=re78", "-q", csv, NULL };
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_assert_true (spawn (argv2, &out2, &err2, &status));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err2, "--auditor=J"));
  g_assert_nonnull (strstr (err2, "is not valid UTF-8 text"));
}

/* A malformed CSV: exit status 1 with the file, line and column. */
static void
test_cli_malformed_csv (void)
{
  g_autofree char *cli = cli_path ();
  g_autofree char *bad = g_build_filename (tmpdir, "ragged.csv", NULL);
  g_assert_true (g_file_set_contents (bad, "a,b,c\n1,2,3\n4,5\n6,7,8\n", -1, NULL));
  const char *argv[] = { cli, "--target=a", "-q", bad, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;
  g_assert_true (spawn (argv, &out, &err, &status));
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "ragged.csv"));
  g_assert_nonnull (strstr (err, "line 3"));
}

/* --help exits 0 and lists the options the issue names. */
static void
test_cli_help (void)
{
  g_autofree char *cli = cli_path ();
  const char *argv[] = { cli, "--help", NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;
  g_assert_true (spawn (argv, &out, &err, &status));
  g_assert_cmpint (status, ==, 0);
  const char *opts[] = { "--target", "--positive", "--protected", "--treatment", "--outcome",
                         "--covariates", "--features", "--seed", "--epochs", "--explain",
                         "--report", "--json", "--example" };
  for (guint i = 0; i < G_N_ELEMENTS (opts); i++)
    g_assert_nonnull (strstr (out, opts[i]));
}

/* The reproduction command printed in the provenance, re-run, gives the same numbers. */
static void
test_cli_reproduces (void)
{
  GbAudit *audit = get_slice_audit ();
  const GbAuditSettings *s = gb_audit_get_settings (audit);
  const GbAuditResults *r = gb_audit_get_results (audit);
  g_autofree char *cli = cli_path ();
  g_autofree char *json = g_build_filename (tmpdir, "repro.json", NULL);
  g_autofree char *cmd = g_strdup_printf ("%s -q --json=%s%s", cli, json,
                                          s->command_line + strlen ("glassbox-audit"));
  g_auto(GStrv) argv = NULL;
  GError *error = NULL;
  g_assert_true (g_shell_parse_argv (cmd, NULL, &argv, &error));
  g_autofree char *out = NULL, *err = NULL;
  int status;
  g_assert_true (spawn ((const char *const *) argv, &out, &err, &status));
  if (status != 0)
    g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
  g_autoptr(JsonNode) root = parse_json_file (json);
  g_autoptr(JsonNode) auc = json_at (root, "$.model.metrics.roc_auc");
  g_assert_cmpfloat (json_node_get_double (auc), ==, r->roc_auc);
  g_autoptr(JsonNode) ate = json_at (root, "$.causal.estimates[1].estimate");
  g_assert_cmpfloat (json_node_get_double (ate), ==, g_array_index (r->estimates, GbEstimate, 1).estimate);
}

/* The CSV reading options reach the reproduction command: a semicolon file
 * with a missing-value token and a numeric column read as categorical; the
 * recorded command, re-run, reads the file the same way (same features, same
 * ROC-AUC).  Before, the command dropped --column-type and the re-run
 * trained on another feature set. */
static void
test_cli_reproduces_csv_options (void)
{
  g_autofree char *cli = cli_path ();
  g_autofree char *csv = g_build_filename (tmpdir, "semi colon.csv", NULL);
  g_autofree char *json = g_build_filename (tmpdir, "csvopt.json", NULL);
  g_autofree char *json2 = g_build_filename (tmpdir, "csvopt2.json", NULL);
  g_autofree char *json_opt = g_strdup_printf ("--json=%s", json);
  GString *text = g_string_new ("grade;score;note;label\n");
  g_autofree char *out = NULL, *err = NULL, *cmd = NULL;
  g_auto(GStrv) argv2 = NULL;
  int status;

  for (guint i = 0; i < 240; i++)
    g_string_append_printf (text, "%u;%u;%s;%s\n", 1 + i % 4, (i * 37) % 100,
                            i % 11 == 0 ? "none" : (i % 3 ? "x" : "y"),
                            (i % 4 >= 2) != (i % 7 == 0) ? "yes" : "no");
  g_assert_true (g_file_set_contents (csv, text->str, -1, NULL));
  g_string_free (text, TRUE);
  {
    const char *argv[] = { cli, "-q", "--threads=1", "--epochs=1", "--layers=1", "--explain=2",
                           "--bootstrap=0", "--target=label", "--column-type=grade=categorical",
                           "--na-values=none", json_opt, csv, NULL };
    g_assert_true (spawn (argv, &out, &err, &status));
    if (status != 0)
      g_test_message ("stderr: %s", err);
    g_assert_cmpint (status, ==, 0);
  }
  g_autoptr(JsonNode) root = parse_json_file (json);
  g_autoptr(JsonNode) line = json_at (root, "$.provenance.command_line");
  const char *command = json_node_get_string (line);
  g_test_message ("recorded: %s", command);
  g_assert_nonnull (strstr (command, "'--delimiter=;'"));
  g_assert_nonnull (strstr (command, "'--column-type=grade=categorical'"));
  g_assert_nonnull (strstr (command, "'--na-values=none'"));
  cmd = g_strdup_printf ("%s -q --json=%s%s", cli, json2, command + strlen ("glassbox-audit"));
  g_assert_true (g_shell_parse_argv (cmd, NULL, &argv2, NULL));
  g_free (out);
  g_free (err);
  g_assert_true (spawn ((const char *const *) argv2, &out, &err, &status));
  if (status != 0)
    g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr(JsonNode) root2 = parse_json_file (json2);
    g_autoptr(JsonNode) f1 = json_at (root, "$.model.features");
    g_autoptr(JsonNode) f2 = json_at (root2, "$.model.features");
    g_autoptr(JsonNode) a1 = json_at (root, "$.model.metrics.roc_auc");
    g_autoptr(JsonNode) a2 = json_at (root2, "$.model.metrics.roc_auc");
    g_autoptr(JsonNode) c1 = json_at (root, "$.dataset.columns");
    g_autoptr(JsonNode) c2 = json_at (root2, "$.dataset.columns");
    g_autofree char *s1 = json_to_string (f1, FALSE), *s2 = json_to_string (f2, FALSE);
    g_autofree char *t1 = json_to_string (c1, FALSE), *t2 = json_to_string (c2, FALSE);
    g_assert_cmpstr (s1, ==, s2);
    g_assert_cmpstr (t1, ==, t2);
    g_assert_cmpfloat (json_node_get_double (a1), ==, json_node_get_double (a2));
  }
  g_unlink (json);
  g_unlink (json2);
  g_unlink (csv);
}

/* The causal options of issue 7 on nsw_dw: the JSON has the chosen
 * estimators in method order with the chosen estimand, the rows trimming
 * dropped, balance/refutation/E-value keys; bad values exit 2 naming them. */
static void
test_cli_causal_options (void)
{
  g_autofree char *cli = cli_path ();
  g_autofree char *csv = example_path ("lalonde/nsw_dw.csv");
  g_autofree char *json = g_build_filename (tmpdir, "nsw-causal.json", NULL);
  g_autofree char *json_opt = g_strdup_printf ("--json=%s", json);
  g_autofree char *pdf_opt = g_strdup_printf ("--report=%s/nsw-causal.pdf", tmpdir);
  const char *argv[] = { cli, "--treatment=treat", "--outcome=re78",
                         "--covariates=age,education,black,hispanic,married,nodegree,re74,re75",
                         "--estimators=aipw,naive,psm", "--estimand=ATT", "--trim=0.3",
                         json_opt, pdf_opt, "-q", csv, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;
  static const char *const order[] = { "naive", "psm", "aipw" };

  g_assert_true (spawn (argv, &out, &err, &status));
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr(JsonNode) root = parse_json_file (json);
    JsonObject *c = json_object_get_object_member (json_node_get_object (root), "causal");
    JsonArray *est = json_object_get_array_member (c, "estimates");
    JsonObject *ov = json_object_get_object_member (c, "overlap");
    JsonArray *bal = json_object_get_array_member (c, "balance");
    JsonArray *ref = json_object_get_array_member (c, "refutations");
    gint64 dropped = json_object_get_int_member (ov, "rows_dropped");
    g_assert_cmpuint (json_array_get_length (est), ==, 3);
    for (guint i = 0; i < 3; i++)
      {
        JsonObject *e = json_array_get_object_element (est, i);
        g_assert_cmpstr (json_object_get_string_member (e, "method"), ==, order[i]);
        g_assert_cmpstr (json_object_get_string_member (e, "estimand"), ==, "ATT");
        g_assert_true (json_object_has_member (e, "se_method"));
        if (i != 1) /* matching keeps only matched rows */
          g_assert_cmpint (json_object_get_int_member (e, "n_used"), ==, 445 - dropped);
      }
    g_assert_cmpfloat (json_object_get_double_member (ov, "trim_alpha"), ==, 0.3);
    g_assert_cmpint (dropped, >, 0);
    g_assert_cmpuint (json_array_get_length (bal), ==, 8);
    for (guint i = 0; i < 8; i++)
      {
        JsonObject *b = json_array_get_object_element (bal, i);
        static const char *const keys[] = { "covariate", "smd_before", "smd_after",
                                            "variance_ratio_before", "variance_ratio_after" };
        for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
          g_assert_true (json_object_has_member (b, keys[k]));
      }
    g_assert_cmpuint (json_array_get_length (ref), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ref, 0), "name"),
                     ==, "placebo_treatment");
    g_assert_cmpfloat (json_object_get_double_member (c, "e_value"), >=, 1.0);
    g_assert_true (json_object_has_member (c, "model_interventions"));
  }

  {
    const char *bad[] = { cli, "--treatment=treat", "--outcome=re78", "--estimators=naive,ipw_hayek",
                          "-q", csv, NULL };
    g_autofree char *o2 = NULL, *e2 = NULL;
    g_assert_true (spawn (bad, &o2, &e2, &status));
    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (e2, "ipw_hayek"));
  }
  {
    const char *bad[] = { cli, "--treatment=treat", "--outcome=re78", "--trim=0.7", "-q", csv, NULL };
    g_autofree char *o2 = NULL, *e2 = NULL;
    g_assert_true (spawn (bad, &o2, &e2, &status));
    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (e2, "--trim"));
  }
}

/* --psm-se: the default "psm" SE is Abadie & Imbens's (2016) for the
 * estimated propensity, --psm-se=known their 2006 one; both equal the
 * independent numpy values of tests/data/causal/estimators.json (nsw_dw,
 * ATE, 1:1 with replacement, caliper 0.2 SD); a bad value exits 2. */
static void
test_cli_psm_se (void)
{
  g_autofree char *cli = cli_path ();
  g_autofree char *csv = example_path ("lalonde/nsw_dw.csv");
  g_autofree char *fixture = g_build_filename (g_getenv ("GB_TEST_DATA"), "causal",
                                               "estimators.json", NULL);
  g_autoptr(JsonNode) ref = parse_json_file (fixture);
  JsonObject *ate = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (ref), "nsw_dw"), "ATE");
  struct { const char *opt, *key, *se_prefix; } cases[] = {
    { "--psm-se=estimated", "psm_ai2016", "Abadie-Imbens 2016, estimated propensity" },
    { NULL, "psm_ai2016", "Abadie-Imbens 2016, estimated propensity" },
    { "--psm-se=known", "psm", "Abadie-Imbens 2006, propensity taken as known (" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *json = g_strdup_printf ("%s/nsw-psm-%u.json", tmpdir, k);
      g_autofree char *json_opt = g_strdup_printf ("--json=%s", json);
      g_autofree char *pdf_opt = g_strdup_printf ("--report=%s/nsw-psm-%u.pdf", tmpdir, k);
      const char *argv[] = { cli, "--treatment=treat", "--outcome=re78",
                             "--covariates=age,education,black,hispanic,married,nodegree,re74,re75",
                             "--estimators=psm", "--estimand=ATE", json_opt, pdf_opt, "-q",
                             cases[k].opt != NULL ? cases[k].opt : csv,
                             cases[k].opt != NULL ? csv : NULL, NULL };
      g_autofree char *out = NULL, *err = NULL;
      int status;
      JsonObject *want = json_object_get_object_member (ate, cases[k].key);
      g_assert_true (spawn (argv, &out, &err, &status));
      g_assert_cmpint (status, ==, 0);
      {
        g_autoptr(JsonNode) root = parse_json_file (json);
        JsonObject *c = json_object_get_object_member (json_node_get_object (root), "causal");
        JsonObject *e = json_array_get_object_element (json_object_get_array_member (c, "estimates"), 0);
        double se = json_object_get_double_member (e, "std_error");
        double se_ref = json_object_get_double_member (want, "std_error");
        g_test_message ("%s: psm SE %.4f (%s), reference %.4f",
                        cases[k].opt ? cases[k].opt : "default", se,
                        json_object_get_string_member (e, "se_method"), se_ref);
        g_assert_cmpstr (json_object_get_string_member (e, "method"), ==, "psm");
        g_assert_true (g_str_has_prefix (json_object_get_string_member (e, "se_method"),
                                         cases[k].se_prefix));
        g_assert_cmpfloat (fabs (se - se_ref), <=, 1e-6 * se_ref);
        g_assert_cmpfloat (fabs (json_object_get_double_member (e, "estimate")
                                 - json_object_get_double_member (want, "estimate")),
                           <=, 1e-6 * fabs (json_object_get_double_member (want, "estimate")));
      }
    }
  {
    const char *bad[] = { cli, "--treatment=treat", "--outcome=re78", "--psm-se=guess", "-q",
                          csv, NULL };
    g_autofree char *o2 = NULL, *e2 = NULL;
    int status;
    g_assert_true (spawn (bad, &o2, &e2, &status));
    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (e2, "--psm-se"));
  }
}

/* ------------------------------------------- command-line misuse (tester) */

/* Writes tmpdir/NAME: columns a,b,sex,y with 40 rows; y is 0/1 alternating
 * in blocks unless @one_class, then every y is 1. */
static char *
tiny_csv (const char *name, gboolean one_class)
{
  g_autoptr(GString) t = g_string_new ("a,b,sex,y\n");
  for (guint i = 0; i < 40; i++)
    g_string_append_printf (t, "%u,%u,%s,%u\n", i, (i * 7) % 11, i % 3 ? "F" : "M",
                            one_class ? 1u : (i / 2) % 2);
  char *path = g_build_filename (tmpdir, name, NULL);
  g_assert_true (g_file_set_contents (path, t->str, t->len, NULL));
  return path;
}

/* Runs glassbox-audit -q --threads=1 with the NULL-terminated arguments;
 * returns the exit status (−1 when it died of a signal), *@err its stderr. */
static int
run_audit (char **err, ...)
{
  g_autofree char *cli = cli_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *a;
  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (char *) "-q");
  g_ptr_array_add (argv, (char *) "--threads=1");
  va_start (ap, err);
  while ((a = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_autofree char *out = NULL;
  int status;
  g_assert_true (spawn ((const char *const *) argv->pdata, &out, err, &status));
  g_test_message ("%s → %d: %s", (char *) argv->pdata[3], status, *err);
  return status;
}

/* The value of an option is text, never a printf format: “%s%s%s%s” once
 * crashed (SIGSEGV) and “%n%n” aborted. */
static void
test_cli_format_in_value (void)
{
  g_autofree char *csv = tiny_csv ("fmt.csv", FALSE);
  g_autofree char *e1 = NULL, *e2 = NULL;
  g_assert_cmpint (run_audit (&e1, "--lime-selection=%s%s%s%s", "--target=y", csv, NULL), ==, 2);
  g_assert_nonnull (strstr (e1, "--lime-selection"));
  g_assert_nonnull (strstr (e1, "%s%s%s%s"));
  g_assert_cmpint (run_audit (&e2, "--ig-baseline=%n%n", "--target=y", csv, NULL), ==, 2);
  g_assert_nonnull (strstr (e2, "--ig-baseline"));
  g_assert_nonnull (strstr (e2, "%n%n"));
}

/* Outputs never destroy inputs or each other, and are checked before any
 * work: an output that is the input CSV (by name or through a link), two
 * options naming one file, a folder, a FIFO, a missing folder or a file
 * where a folder goes are usage errors naming the options, and nothing is
 * written; an output that is a symbolic link replaces its target and stays
 * a link. */
static void
test_cli_outputs_checked (void)
{
  g_autofree char *csv = tiny_csv ("outs.csv", FALSE);
  g_autofree char *before = NULL;
  gsize len_before;
  g_assert_true (g_file_get_contents (csv, &before, &len_before, NULL));
  g_autofree char *in_link = g_build_filename (tmpdir, "outs-link.json", NULL);
  g_assert_cmpint (symlink (csv, in_link), ==, 0);
  g_autofree char *json = g_build_filename (tmpdir, "outs.json", NULL);
  g_autofree char *json_opt = g_strdup_printf ("--json=%s", json);
  g_autofree char *fifo = g_build_filename (tmpdir, "outs.fifo", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  static const char *const opts[] = { "--report", "--json", "--export-scores", "--tables-dir",
                                      "--save-model" };
  for (guint k = 0; k < G_N_ELEMENTS (opts); k++)
    {
      g_autofree char *o1 = g_strdup_printf ("%s=%s", opts[k], csv);
      g_autofree char *o2 = g_strdup_printf ("%s=%s", opts[k], in_link);
      g_autofree char *e1 = NULL, *e2 = NULL;
      g_assert_cmpint (run_audit (&e1, "--target=y", o1, csv, NULL), ==, 2);
      g_assert_nonnull (strstr (e1, opts[k]));
      g_assert_cmpint (run_audit (&e2, "--target=y", o2, csv, NULL), ==, 2);
      g_assert_nonnull (strstr (e2, opts[k]));
    }
  {
    g_autofree char *e = NULL;
    g_autofree char *r = g_strdup_printf ("--report=%s/same.pdf", tmpdir);
    g_autofree char *j = g_strdup_printf ("--json=%s/./same.pdf", tmpdir);
    g_assert_cmpint (run_audit (&e, "--target=y", r, j, csv, NULL), ==, 2);
    g_assert_nonnull (strstr (e, "--report"));
    g_assert_nonnull (strstr (e, "--json"));
  }
  {
    g_autofree char *e = NULL;
    g_autofree char *j = g_strdup_printf ("--json=%s", tmpdir);
    g_assert_cmpint (run_audit (&e, "--target=y", j, csv, NULL), ==, 2);
    g_assert_nonnull (strstr (e, "folder"));
  }
  {
    g_autofree char *e = NULL;
    g_autofree char *j = g_strdup_printf ("--json=%s", fifo);
    g_assert_cmpint (run_audit (&e, "--target=y", j, csv, NULL), ==, 2);
    g_assert_nonnull (strstr (e, "not a regular file"));
  }
  {
    /* a missing folder: refused before training, the other output unwritten */
    g_autofree char *e = NULL;
    g_autofree char *missing = g_build_filename (tmpdir, "no-such-folder", NULL);
    g_autofree char *r = g_strdup_printf ("--report=%s/x.pdf", missing);
    g_assert_cmpint (run_audit (&e, "--target=y", json_opt, r, csv, NULL), ==, 2);
    g_assert_nonnull (strstr (e, "--report"));
    g_assert_nonnull (strstr (e, missing));
    g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  }
  g_autofree char *after = NULL;
  gsize len_after;
  g_assert_true (g_file_get_contents (csv, &after, &len_after, NULL));
  g_assert_cmpmem (before, len_before, after, len_after);
  g_assert_true (g_file_test (in_link, G_FILE_TEST_IS_SYMLINK));

  /* a link to an earlier output: the target is replaced, the link kept */
  g_autofree char *target = g_build_filename (tmpdir, "outs-target.json", NULL);
  g_autofree char *link = g_build_filename (tmpdir, "outs-out-link.json", NULL);
  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_autofree char *lj = g_strdup_printf ("--json=%s", link);
  g_autofree char *r = g_strdup_printf ("--report=%s/outs.pdf", tmpdir);
  g_autofree char *e = NULL;
  g_assert_cmpint (run_audit (&e, "--target=y", "--epochs=1", "--explain=0", "--bootstrap=0",
                              "--decompose-rows=0", lj, r, csv, NULL), ==, 0);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_autoptr(JsonNode) root = parse_json_file (target);
  g_assert_nonnull (json_object_get_member (json_node_get_object (root), "schema"));
  g_unlink (fifo);
}

/* Targets that cannot be audited are usage errors before training: the
 * target among the features (label leakage), a --positive the target never
 * takes (the message lists the values it takes), --positive with a
 * condition target, and a target with one value. */
static void
test_cli_bad_target (void)
{
  g_autofree char *csv = tiny_csv ("target.csv", FALSE);
  g_autofree char *one = tiny_csv ("target-one.csv", TRUE);
  static const struct { const char *a1, *a2, *needle1, *needle2; gboolean one_class; } cases[] = {
    { "--target=y", "--features=y,a", "--features: y is the target", NULL, FALSE },
    { "--target=y==1", "--features=a,y", "--features: y is the target", NULL, FALSE },
    { "--target=y", "--positive=7", "--positive", "its values are 0, 1", FALSE },
    { "--target=sex", "--positive=X", "--positive", "its values are F, M", FALSE },
    { "--target=y==1", "--positive=0", "--positive", "condition", FALSE },
    { "--target=y", "--features=a,b", "--target: y has only one value (1) among the rows with "
      "a target", NULL, TRUE },
    { "--target=y", "--positive=1", "--target: y has only one value (1)", NULL, TRUE },
    { "--target=a>=0", "--features=b", "--target: a>=0 has only one value (true)", NULL, FALSE },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *e = NULL;
      g_assert_cmpint (run_audit (&e, cases[k].a1, cases[k].a2, cases[k].one_class ? one : csv,
                                  NULL), ==, 2);
      g_assert_nonnull (strstr (e, cases[k].needle1));
      if (cases[k].needle2)
        g_assert_nonnull (strstr (e, cases[k].needle2));
    }

  /* the GUI validates before a run: the same one-class error */
  GError *error = NULL;
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (one, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  s->target = g_strdup ("y");
  g_assert_false (gb_audit_validate (audit, ds, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "y has only one value (1)"));
  g_clear_error (&error);
  /* and the two-valued file is accepted */
  g_autoptr(GbDataset) ds2 = gb_dataset_new_from_file (csv, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gb_audit_validate (audit, ds2, &error));
  g_assert_no_error (error);
}

/* Transformer sizes past the bounds are usage errors, not an abort in
 * malloc: on the command line, in gb_audit_validate (a project's settings)
 * and, for sizes read from a checkpoint, in gb_model_new_from_config. */
static void
test_cli_model_sizes (void)
{
  g_autofree char *csv = tiny_csv ("sizes.csv", FALSE);
  static const struct { const char *a1, *a2, *needle; } cases[] = {
    { "--d-model=65536", NULL, "--d-model" },
    { "--layers=100000000", NULL, "--layers" },
    { "--heads=2147483647", "--d-model=2147483647", "--d-model" },
    { "--heads=128", "--d-model=128", "--heads" },
    { "--max-length=2000000000", "--text=sex", "--max-length" },
    /* trained on a 40-row file, this one once took 23 GB before it was killed */
    { "--max-length=4096", "--text=sex", "--max-length" },
  };
  {
    /* each size within bounds, together ≈ 450 GB of activations while training */
    g_autofree char *e = NULL;
    g_assert_cmpint (run_audit (&e, "--target=y", "--text=sex", "--max-length=512", "--heads=64",
                                "--d-model=4096", "--layers=48", csv, NULL), ==, 2);
    g_assert_nonnull (strstr (e, "GB of activations"));
  }
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *e = NULL;
      g_assert_cmpint (run_audit (&e, "--target=y", cases[k].a1, cases[k].a2 ? cases[k].a2 : csv,
                                  cases[k].a2 ? csv : NULL, NULL), ==, 2);
      g_assert_nonnull (strstr (e, cases[k].needle));
    }

  GError *error = NULL;
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (csv, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  s->target = g_strdup ("y");
  g_assert_true (gb_audit_validate (audit, ds, &error));
  s->model.n_layers = GB_AUDIT_MAX_LAYERS + 1;
  g_assert_false (gb_audit_validate (audit, ds, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "--layers"));
  g_clear_error (&error);
  s->model.n_layers = GB_AUDIT_MAX_LAYERS;
  s->model.max_length = GB_AUDIT_MAX_LENGTH + 1;
  g_assert_false (gb_audit_validate (audit, ds, &error));
  g_assert_nonnull (strstr (error->message, "--max-length"));
  g_clear_error (&error);

  /* a checkpoint's config.json with 10^5 layers of BERT-base width */
  GbTransformerConfig cfg = { .n_layers = 100000, .d_model = 768, .n_heads = 12, .d_ff = 3072,
                              .vocab_size = 30522, .max_length = 128, .max_position = 512,
                              .type_vocab_size = 2 };
  g_autoptr(GbModel) m = gb_model_new_from_config (&cfg, 2, NULL, 0, NULL, 1, &error);
  g_assert_null (m);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);
}

/* A covariate that is the outcome, or the column the treatment is read
 * from, is a usage error (the adjusted estimate would be ≈ 0 or have no
 * overlap); other covariates are accepted. */
static void
test_cli_covariate_roles (void)
{
  g_autofree char *csv = tiny_csv ("covroles.csv", FALSE);
  g_autofree char *e1 = NULL, *e2 = NULL;
  g_assert_cmpint (run_audit (&e1, "--treatment=a>=20", "--outcome=y", "--covariates=b,y", csv,
                              NULL), ==, 2);
  g_assert_nonnull (strstr (e1, "--covariates: y is the outcome"));
  g_assert_cmpint (run_audit (&e2, "--treatment=a>=20", "--outcome=y", "--covariates=a,b", csv,
                              NULL), ==, 2);
  g_assert_nonnull (strstr (e2, "--covariates: a is the treatment"));

  GError *error = NULL;
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (csv, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  const char *cov[] = { "b", "sex", NULL };
  s->treatment = g_strdup ("a>=20");
  s->outcome = g_strdup ("y");
  s->covariates = g_strdupv ((char **) cov);
  g_assert_true (gb_audit_validate (audit, ds, &error));
  g_assert_no_error (error);
}

/* A reference group that is not a group of its attribute is a usage error
 * before training, with one prefix and the groups listed; every negative
 * --seed is refused (−1 once silently meant the default 42). */
static void
test_cli_reference_group_seed (void)
{
  g_autofree char *csv = tiny_csv ("refgroup.csv", FALSE);
  g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL;
  g_assert_cmpint (run_audit (&e1, "--target=y", "--protected=sex", "--reference-group=sex=Nobody",
                              csv, NULL), ==, 2);
  g_assert_true (g_str_has_prefix (e1, "glassbox-audit: --reference-group: "));
  g_assert_null (strstr (e1, "--protected=sex:"));
  g_assert_nonnull (strstr (e1, "Nobody"));
  g_assert_nonnull (strstr (e1, "the groups are “F”, “M”"));
  g_assert_cmpint (run_audit (&e2, "--target=y", "--seed=-1", csv, NULL), ==, 2);
  g_assert_nonnull (strstr (e2, "--seed"));
  g_assert_cmpint (run_audit (&e3, "--target=y", "--seed=-5", csv, NULL), ==, 2);
  g_assert_nonnull (strstr (e3, "--seed"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gb_set_blas_threads (1);
  tmpdir = g_dir_make_tmp ("glassbox-test-report-XXXXXX", NULL);
  adult_slice = make_adult_slice (4000);

  g_test_add_func ("/engine/report/audit/fairness-consistent", test_fairness_consistent);
  g_test_add_func ("/engine/report/audit/causal-naive-matches-csv", test_causal_naive_matches_csv);
  g_test_add_func ("/engine/report/audit/ig-completeness", test_ig_completeness_in_audit);
  g_test_add_func ("/engine/report/json/keys", test_json_keys);
  g_test_add_func ("/engine/report/pdf/sections", test_pdf_sections);
  g_test_add_func ("/engine/report/audit/nsw-causal-only", test_nsw_causal_only);
  g_test_add_func ("/app/cli/unknown-column", test_cli_unknown_column);
  g_test_add_func ("/engine/report/validate-before-training", test_validate_before_training);
  g_test_add_func ("/app/cli/c-locale", test_cli_c_locale);
  g_test_add_func ("/app/cli/psm-se", test_cli_psm_se);
  g_test_add_func ("/app/cli/malformed-csv", test_cli_malformed_csv);
  g_test_add_func ("/app/cli/help", test_cli_help);
  g_test_add_func ("/app/cli/reproduces", test_cli_reproduces);
  g_test_add_func ("/app/cli/causal-options", test_cli_causal_options);
  g_test_add_func ("/app/cli/format-in-value", test_cli_format_in_value);
  g_test_add_func ("/app/cli/outputs-checked", test_cli_outputs_checked);
  g_test_add_func ("/app/cli/bad-target", test_cli_bad_target);
  g_test_add_func ("/app/cli/model-sizes", test_cli_model_sizes);
  g_test_add_func ("/app/cli/reference-group-seed", test_cli_reference_group_seed);
  g_test_add_func ("/app/cli/covariate-roles", test_cli_covariate_roles);
  g_test_add_func ("/app/cli/reproduces-csv-options", test_cli_reproduces_csv_options);

  int rc = g_test_run ();
  g_clear_object (&slice_audit);
  /* remove the temporary folder */
  g_autoptr(GDir) d = g_dir_open (tmpdir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (tmpdir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (tmpdir);
  return rc;
}
