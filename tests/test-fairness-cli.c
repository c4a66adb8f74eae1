/* test-fairness-cli.c — the fairness options of the glassbox-audit command
 * line (issue 6), run as the built binary on tests/data/fairness/cli.csv
 * (tests/reference/make_fairness_cli_csv.py; see PROVENANCE.md), checking
 * its JSON against figures this test recomputes from the CSV itself: group
 * counts and rates, Wilson intervals (closed form), ROC-AUC per group
 * (Mann–Whitney, counted pair by pair), the reference group, the small-group
 * flags of --min-group-size, the intersection, the bootstrap settings, the
 * mitigations' JSON and the gap decomposition's efficiency. */
#include "gb-config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

typedef struct {
  char sex[4];
  char race[4];
  double x1, x2, score;
  char decision[16];
  int label;
} Row;

static GArray *
load_rows (void)
{
  g_autofree char *path = g_build_filename (GB_SOURCE_DIR, "tests", "data", "fairness", "cli.csv",
                                            NULL);
  g_autofree char *text = NULL;
  GError *error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_assert_cmpstr (lines[0], ==, "sex,race,x1,x2,score,decision,label");
  for (guint i = 1; lines[i] && lines[i][0]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      Row r = { 0 };
      g_assert_cmpuint (g_strv_length (f), ==, 7);
      g_strlcpy (r.sex, f[0], sizeof r.sex);
      g_strlcpy (r.race, f[1], sizeof r.race);
      r.x1 = g_ascii_strtod (f[2], NULL);
      r.x2 = g_ascii_strtod (f[3], NULL);
      r.score = g_ascii_strtod (f[4], NULL);
      g_strlcpy (r.decision, f[5], sizeof r.decision);
      r.label = (int) g_ascii_strtoll (f[6], NULL, 10);
      g_array_append_val (rows, r);
    }
  g_assert_cmpuint (rows->len, ==, 360);
  return rows;
}

static const char *
attr_value (const Row *r, const char *attribute)
{
  return g_str_equal (attribute, "sex") ? r->sex : r->race;
}

/* Runs glassbox-audit with @args, the JSON written to a temporary file.
 * Returns the exit status; *@out_root the parsed JSON when it succeeded. */
static int
run_cli (const char *const *args, JsonNode **out_root, char **out_stderr)
{
  const char *b = g_getenv ("GB_BUILD_DIR");
  g_assert_nonnull (b);
  g_autofree char *exe = g_build_filename (b, "app", "glassbox-audit", NULL);
  g_autofree char *csv = g_build_filename (GB_SOURCE_DIR, "tests", "data", "fairness", "cli.csv",
                                           NULL);
  GError *error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gb-fairness-cli-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *json = g_build_filename (dir, "out.json", NULL);
  g_autofree char *json_opt = g_strconcat ("--json=", json, NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, exe);
  g_ptr_array_add (argv, (char *) "-q");
  g_ptr_array_add (argv, (char *) "--threads=1");
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, json_opt);
  g_ptr_array_add (argv, csv);
  g_ptr_array_add (argv, NULL);
  g_autofree char *out = NULL, *err = NULL;
  int wait_status = 0;
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &wait_status, &error));
  g_assert_no_error (error);
  const int status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  if (out_root)
    *out_root = NULL;
  if (status == 0 && out_root)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_assert_true (json_parser_load_from_file (parser, json, &error));
      g_assert_no_error (error);
      *out_root = json_node_copy (json_parser_get_root (parser));
    }
  if (out_stderr)
    *out_stderr = g_steal_pointer (&err);
  g_unlink (json);
  g_rmdir (dir);
  return status;
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  g_assert_true (json_object_has_member (o, name));
  return json_object_get_object_member (o, name);
}

static JsonObject *
find_group (JsonObject *attribute, const char *name)
{
  JsonArray *groups = json_object_get_array_member (attribute, "groups");
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *g = json_array_get_object_element (groups, i);
      if (g_str_equal (json_object_get_string_member (g, "group"), name))
        return g;
    }
  g_error ("no group %s", name);
  return NULL;
}

/* Wilson score interval at 95 %, closed form (Wilson 1927). */
static void
wilson (double k, double n, double *lo, double *hi)
{
  const double z = 1.959963984540054, p = k / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z * sqrt (p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  *lo = centre - half;
  *hi = centre + half;
}

static gboolean
selected_by_decision (const Row *r)
{
  return g_str_equal (r->decision, "approve") || g_str_equal (r->decision, "yes");
}

/* The rates of every group of @attribute (or "sex*race") against the rows. */
static void
check_rates (JsonObject *fairness, const char *attribute, GArray *rows, gboolean by_score,
             double threshold, gsize min_group_size)
{
  JsonObject *a = member_object (fairness, attribute);
  JsonArray *groups = json_object_get_array_member (a, "groups");
  g_assert_cmpint (json_object_get_int_member (a, "min_group_size"), ==, min_group_size);
  for (guint gi = 0; gi < json_array_get_length (groups); gi++)
    {
      JsonObject *g = json_array_get_object_element (groups, gi);
      const char *name = json_object_get_string_member (g, "group");
      double n = 0, sel = 0, tp = 0, fp = 0, fn = 0, tn = 0;
      for (guint i = 0; i < rows->len; i++)
        {
          const Row *r = &g_array_index (rows, Row, i);
          g_autofree char *v = g_str_equal (attribute, "sex*race")
                                 ? g_strdup_printf ("%s*%s", r->sex, r->race)
                                 : g_strdup (attr_value (r, attribute));
          if (!g_str_equal (v, name))
            continue;
          const gboolean s = by_score ? r->score >= threshold : selected_by_decision (r);
          n++;
          sel += s;
          tp += s && r->label == 1;
          fp += s && r->label == 0;
          fn += !s && r->label == 1;
          tn += !s && r->label == 0;
        }
      g_assert_cmpfloat (n, >, 0);
      g_assert_cmpint (json_object_get_int_member (g, "n"), ==, (gint64) n);
      g_assert_cmpint (json_object_get_boolean_member (g, "small"), ==, n < min_group_size);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (g, "selection_rate"),
                                      sel / n, 1e-12);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (g, "base_rate"),
                                      (tp + fn) / n, 1e-12);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (g, "tpr"), tp / (tp + fn),
                                      1e-12);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (g, "fpr"), fp / (fp + tn),
                                      1e-12);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (g, "ppv"), tp / (tp + fp),
                                      1e-12);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (g, "for"), fn / (fn + tn),
                                      1e-12);
      double lo, hi;
      JsonArray *ci = json_object_get_array_member (g, "selection_rate_ci");
      wilson (sel, n, &lo, &hi);
      g_assert_cmpfloat_with_epsilon (json_array_get_double_element (ci, 0), lo, 1e-9);
      g_assert_cmpfloat_with_epsilon (json_array_get_double_element (ci, 1), hi, 1e-9);
      if (by_score)
        {
          /* ROC-AUC as the Mann–Whitney statistic: P(score+ > score−) + ½ P(tie) */
          double pairs = 0, wins = 0;
          for (guint i = 0; i < rows->len; i++)
            for (guint k = 0; k < rows->len; k++)
              {
                const Row *p = &g_array_index (rows, Row, i), *q = &g_array_index (rows, Row, k);
                g_autofree char *vp = g_strdup (attr_value (p, attribute));
                g_autofree char *vq = g_strdup (attr_value (q, attribute));
                if (p->label != 1 || q->label != 0 || !g_str_equal (vp, name)
                    || !g_str_equal (vq, name))
                  continue;
                pairs++;
                wins += p->score > q->score ? 1.0 : p->score == q->score ? 0.5 : 0.0;
              }
          g_assert_cmpfloat_with_epsilon (json_object_get_double_member (g, "roc_auc"),
                                          wins / pairs, 1e-12);
        }
    }
}

/* --prediction with two --prediction-positive values, --intersections,
 * --min-group-size, --reference-group and --bootstrap. */
static void
test_prediction_column (void)
{
  const char *args[] = { "--target=label", "--positive=1", "--prediction=decision",
                         "--prediction-positive=approve,yes", "--protected=sex",
                         "--protected=race", "--intersections", "--min-group-size=40",
                         "--reference-group=race=B", "--bootstrap=200", "--seed=7", NULL };
  g_autoptr(GArray) rows = load_rows ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *err = NULL;
  g_assert_cmpint (run_cli (args, &root, &err), ==, 0);
  JsonObject *fairness = member_object (json_node_get_object (root), "fairness");

  check_rates (fairness, "sex", rows, FALSE, 0, 40);
  check_rates (fairness, "race", rows, FALSE, 0, 40);
  check_rates (fairness, "sex*race", rows, FALSE, 0, 40);
  JsonObject *race = member_object (fairness, "race");
  JsonObject *sex = member_object (fairness, "sex");
  /* the chosen reference, and the largest group by default */
  g_assert_cmpstr (json_object_get_string_member (race, "reference_group"), ==, "B");
  g_assert_true (json_object_get_boolean_member (find_group (race, "B"), "reference"));
  g_assert_false (json_object_get_boolean_member (find_group (race, "A"), "reference"));
  g_assert_cmpstr (json_object_get_string_member (sex, "reference_group"), ==, "M");
  /* race C (39 rows) is flagged small, still compared with the reference */
  g_assert_true (json_object_get_boolean_member (find_group (race, "C"), "small"));
  JsonArray *cmps = json_object_get_array_member (race, "comparisons");
  g_assert_cmpuint (json_array_get_length (cmps), ==, 2);
  const double sel_b = json_object_get_double_member (find_group (race, "B"), "selection_rate");
  for (guint c = 0; c < 2; c++)
    {
      JsonObject *cmp = json_array_get_object_element (cmps, c);
      const char *g = json_object_get_string_member (cmp, "group");
      g_assert_cmpstr (json_object_get_string_member (cmp, "reference"), ==, "B");
      JsonObject *di = member_object (member_object (cmp, "metrics"), "disparate_impact_ratio");
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (di, "value"),
                                      json_object_get_double_member (find_group (race, g),
                                                                     "selection_rate") / sel_b,
                                      1e-12);
    }
  /* every metric an object {value, ci_low, ci_high, p_value, p_adjusted}
   * with the bootstrap of 200 replicates behind the interval */
  g_assert_cmpint (json_object_get_int_member (race, "bootstrap"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (race, "bootstrap_seed"), ==, 7);
  JsonObject *spd = member_object (member_object (sex, "metrics"), "statistical_parity_difference");
  const double v = json_object_get_double_member (spd, "value");
  g_assert_cmpfloat_with_epsilon (v, fabs (json_object_get_double_member (find_group (sex, "F"), "selection_rate")
                                           - json_object_get_double_member (find_group (sex, "M"), "selection_rate")),
                                  1e-12);
  g_assert_cmpfloat (json_object_get_double_member (spd, "ci_low"), <=,
                     json_object_get_double_member (spd, "ci_high"));
  g_assert_cmpfloat (json_object_get_double_member (spd, "p_adjusted"), >=,
                     json_object_get_double_member (spd, "p_value"));
  /* the intersection, its small groups flagged */
  JsonObject *inter = member_object (fairness, "sex*race");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (inter, "groups")), ==, 6);
  g_assert_true (json_object_get_boolean_member (find_group (inter, "F*C"), "small"));
  g_assert_true (json_object_get_boolean_member (find_group (inter, "M*C"), "small"));
  /* no model: no decomposition, and no model section */
  g_assert_false (json_object_has_member (sex, "decomposition"));
}

/* --score with --threshold, and --mitigate=thresholds on that score column. */
static void
test_score_thresholds (void)
{
  const char *args[] = { "--target=label", "--positive=1", "--score=score", "--threshold=0.6",
                         "--protected=sex", "--protected=race", "--bootstrap=0",
                         "--mitigate=thresholds", NULL };
  g_autoptr(GArray) rows = load_rows ();
  g_autoptr(JsonNode) root = NULL;
  g_assert_cmpint (run_cli (args, &root, NULL), ==, 0);
  JsonObject *fairness = member_object (json_node_get_object (root), "fairness");
  check_rates (fairness, "sex", rows, TRUE, 0.6, 30);
  check_rates (fairness, "race", rows, TRUE, 0.6, 30);
  JsonObject *sex = member_object (fairness, "sex");
  g_assert_cmpfloat (json_object_get_double_member (sex, "threshold"), ==, 0.6);
  /* --bootstrap=0: no intervals on the gaps (JSON null) */
  JsonObject *di = member_object (member_object (sex, "metrics"), "disparate_impact_ratio");
  g_assert_true (json_node_is_null (json_object_get_member (di, "ci_low")));
  /* the three threshold rules on the first protected attribute, fitted and
   * evaluated on disjoint halves of the 360 labelled rows */
  JsonObject *mit = member_object (fairness, "mitigation");
  const char *methods[] = { "thresholds_demographic_parity", "thresholds_equal_opportunity",
                            "thresholds_equalized_odds" };
  for (guint k = 0; k < G_N_ELEMENTS (methods); k++)
    {
      JsonObject *m = member_object (mit, methods[k]);
      g_assert_cmpstr (json_object_get_string_member (m, "attribute"), ==, "sex");
      g_assert_cmpint (json_object_get_int_member (m, "n_fit")
                       + json_object_get_int_member (m, "n_eval"), ==, 360);
      g_assert_cmpfloat (json_object_get_double_member (member_object (m, "before"), "threshold"),
                         ==, 0.6);
      member_object (member_object (m, "after"), "metrics");
      JsonArray *t = json_object_get_array_member (m, "thresholds");
      g_assert_cmpuint (json_array_get_length (t), ==, 2);   /* F and M */
    }
}

/* A model trained here: --mitigate=reweighing retrains it with the
 * Kamiran–Calders weights, and the gap in mean predicted probability
 * between F and M is decomposed into the four features (exact KernelSHAP:
 * the contributions sum to the gap). */
static void
test_reweighing_decomposition (void)
{
  const char *args[] = { "--target=label", "--positive=1", "--features=x1,x2,sex,race",
                         "--protected=sex", "--mitigate=reweighing", "--epochs=2",
                         "--bootstrap=100", "--decompose-rows=25", "--explain=2",
                         "--explainers=gradient_input", "--layers=1", "--d-model=16",
                         "--heads=2", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *err = NULL;
  const int status = run_cli (args, &root, &err);
  if (status != 0)
    g_error ("glassbox-audit failed (%d): %s", status, err);
  JsonObject *fairness = member_object (json_node_get_object (root), "fairness");
  JsonObject *rw = member_object (member_object (fairness, "mitigation"), "reweighing");
  member_object (member_object (rw, "before"), "metrics");
  member_object (member_object (rw, "after"), "metrics");
  JsonArray *w = json_object_get_array_member (rw, "weights");
  g_assert_cmpuint (json_array_get_length (w), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *g = json_array_get_object_element (w, i);
      g_assert_cmpfloat (json_object_get_double_member (g, "label_0"), >, 0);
      g_assert_cmpfloat (json_object_get_double_member (g, "label_1"), >, 0);
    }

  JsonObject *d = member_object (member_object (fairness, "sex"), "decomposition");
  g_assert_cmpstr (json_object_get_string_member (d, "group"), ==, "F");
  g_assert_cmpstr (json_object_get_string_member (d, "reference"), ==, "M");
  g_assert_cmpint (json_object_get_int_member (d, "n_group"), ==, 25);
  g_assert_cmpint (json_object_get_int_member (d, "n_reference"), ==, 25);
  g_assert_true (json_object_get_boolean_member (d, "exact"));
  const double gap = json_object_get_double_member (d, "gap");
  g_assert_cmpfloat_with_epsilon (gap, json_object_get_double_member (d, "mean_group")
                                         - json_object_get_double_member (d, "mean_reference"),
                                  1e-12);
  JsonArray *c = json_object_get_array_member (d, "contributions");
  g_assert_cmpuint (json_array_get_length (c), ==, 4);
  double sum = 0;
  for (guint j = 0; j < 4; j++)
    {
      JsonObject *cj = json_array_get_object_element (c, j);
      sum += json_object_get_double_member (cj, "value");
      g_assert_cmpfloat (json_object_get_double_member (cj, "ci_low"), <=,
                         json_object_get_double_member (cj, "ci_high"));
    }
  g_assert_cmpfloat_with_epsilon (sum, gap, 1e-6);
}

/* Bad fairness options (and negative counts of the other options) exit
 * with status 2 and name the option. */
static void
test_bad_options (void)
{
  static const struct { const char *opt, *needle; } cases[] = {
    { "--decompose-rows=-2", "--decompose-rows" },
    { "--reference-group=race:B", "ATTRIBUTE=VALUE" },
    { "--mitigate=magic", "--mitigate" },
    { "--min-group-size=-1", "--min-group-size" },
    { "--bootstrap=-1", "--bootstrap" },
    /* −1 was once the "not given" value of every count option, so a typed
     * −1 silently meant the default */
    { "--causal-bootstrap=-1", "--causal-bootstrap" },
    { "--shap-samples=-1", "--shap-samples" },
    { "--background=-1", "--background" },
    { "--layers=-1", "--layers" },
    { "--d-model=-1", "--d-model" },
    { "--heads=-1", "--heads" },
    { "--max-length=-1", "--max-length" },
    { "--tcav-layer=-1", "--tcav-layer" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      const char *args[] = { "--target=label", "--positive=1", "--score=score",
                             "--protected=race", cases[k].opt, NULL };
      g_autofree char *err = NULL;
      g_assert_cmpint (run_cli (args, NULL, &err), ==, 2);
      if (strstr (err, cases[k].needle) == NULL)
        g_error ("stderr “%s” lacks “%s”", err, cases[k].needle);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/fairness/prediction-column", test_prediction_column);
  g_test_add_func ("/cli/fairness/score-thresholds", test_score_thresholds);
  g_test_add_func ("/cli/fairness/reweighing-decomposition", test_reweighing_decomposition);
  g_test_add_func ("/cli/fairness/bad-options", test_bad_options);
  return g_test_run ();
}
