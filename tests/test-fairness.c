/* test-fairness.c — group fairness metrics.
 *
 * References: a hand-computed table (below),
 * tests/data/fairness/fairlearn-definitions.json, written by
 * tests/reference/fairness_reference.py (Fairlearn's definitions implemented
 * from sklearn confusion matrices), and tests/data/fairness/fairness-stats.json,
 * written by tests/reference/fairness_stats_reference.py (scipy, statsmodels,
 * sklearn: Wilson intervals, z / Fisher / chi-square tests, Benjamini–Hochberg,
 * Theil index, proxy AUC).
 */
#include "gb-config.h"
#include "gb-fairness.h"

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

typedef struct {
  GArray *code;  /* gint32 */
  GArray *yt;    /* double */
  GArray *yp;    /* double */
  GArray *mask;  /* guint8 */
} Rows;

static void
rows_init (Rows *r)
{
  r->code = g_array_new (FALSE, FALSE, sizeof (gint32));
  r->yt = g_array_new (FALSE, FALSE, sizeof (double));
  r->yp = g_array_new (FALSE, FALSE, sizeof (double));
  r->mask = g_array_new (FALSE, FALSE, sizeof (guint8));
}

static void
rows_clear (Rows *r)
{
  g_array_free (r->code, TRUE);
  g_array_free (r->yt, TRUE);
  g_array_free (r->yp, TRUE);
  g_array_free (r->mask, TRUE);
}

static void
rows_add (Rows *r, gint32 code, double yt, double yp, guint8 mask, int count)
{
  for (int i = 0; i < count; i++)
    {
      g_array_append_val (r->code, code);
      g_array_append_val (r->yt, yt);
      g_array_append_val (r->yp, yp);
      g_array_append_val (r->mask, mask);
    }
}

#define EPS 1e-15

/* The hand table.  Confusion counts per group (prediction 1 = selected):
 *
 *   group  n   TP FP TN FN | base  sel   TPR  FPR   FNR  PPV  acc
 *   a      10   4  1  4  1 | 5/10  5/10  4/5  1/5   1/5  4/5  8/10
 *   b       8   1  1  4  2 | 3/8   2/8   1/3  1/5   2/3  1/2  5/8
 *   c       4   0  1  3  0 | 0     1/4   —    1/4   —    0    3/4
 *   d       0  (no rows: omitted)
 *
 * plus rows that must be skipped: one with a missing group (code −1), one
 * with a missing true label, one with a missing prediction, and five masked
 * out (all of them predicted 1 in group b, which would change b's rates).
 *
 *   disparate impact ratio  = min sel / max sel = (1/4)/(1/2) = 0.5
 *   statistical parity diff = 1/2 − 1/4         = 0.25
 *   equal opportunity diff  = 4/5 − 1/3         = 7/15   (c has no positives: skipped)
 *   FPR gap                 = 1/4 − 1/5         = 1/20
 *   equalized odds diff     = max(7/15, 1/20)   = 7/15
 */
static void
build_hand_table (Rows *r)
{
  rows_init (r);
  /* a */
  rows_add (r, 0, 1, 1, 1, 4);
  rows_add (r, 0, 0, 1, 1, 1);
  rows_add (r, 0, 0, 0, 1, 4);
  rows_add (r, 0, 1, 0, 1, 1);
  /* b, interleaved with rows to skip */
  rows_add (r, 1, 1, 1, 1, 1);
  rows_add (r, 1, 1, 1, 0, 5);   /* masked out */
  rows_add (r, 1, 0, 1, 1, 1);
  rows_add (r, -1, 1, 1, 1, 1);  /* missing group */
  rows_add (r, 1, 0, 0, 1, 4);
  rows_add (r, 1, NAN, 1, 1, 1); /* missing true label */
  rows_add (r, 1, 1, 0, 1, 2);
  rows_add (r, 1, 0, NAN, 1, 1); /* missing prediction */
  /* c */
  rows_add (r, 2, 0, 1, 1, 1);
  rows_add (r, 2, 0, 0, 1, 3);
}

static const char *const hand_levels[] = { "a", "b", "c", "d" };

static void
test_hand_table (void)
{
  Rows r;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbFairnessResult) res = NULL;
  const GbGroupRates *a, *b, *c;

  build_hand_table (&r);
  res = gb_fairness_compute ("grp", (gint32 *) r.code->data, hand_levels, 4,
                             (double *) r.yt->data, (double *) r.yp->data,
                             (guint8 *) r.mask->data, r.code->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (res->attribute, ==, "grp");
  g_assert_cmpuint (res->n_groups, ==, 3);
  a = &res->groups[0];
  b = &res->groups[1];
  c = &res->groups[2];
  g_assert_cmpstr (a->group, ==, "a");
  g_assert_cmpstr (b->group, ==, "b");
  g_assert_cmpstr (c->group, ==, "c");

  g_assert_cmpuint (a->n, ==, 10);
  g_assert_cmpuint (a->tp, ==, 4);
  g_assert_cmpuint (a->fp, ==, 1);
  g_assert_cmpuint (a->tn, ==, 4);
  g_assert_cmpuint (a->fn, ==, 1);
  g_assert_cmpfloat_with_epsilon (a->base_rate, 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (a->selection_rate, 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (a->tpr, 0.8, EPS);
  g_assert_cmpfloat_with_epsilon (a->fpr, 0.2, EPS);
  g_assert_cmpfloat_with_epsilon (a->fnr, 0.2, EPS);
  g_assert_cmpfloat_with_epsilon (a->ppv, 0.8, EPS);
  g_assert_cmpfloat_with_epsilon (a->accuracy, 0.8, EPS);

  g_assert_cmpuint (b->n, ==, 8);
  g_assert_cmpuint (b->tp, ==, 1);
  g_assert_cmpuint (b->fp, ==, 1);
  g_assert_cmpuint (b->tn, ==, 4);
  g_assert_cmpuint (b->fn, ==, 2);
  g_assert_cmpfloat_with_epsilon (b->base_rate, 0.375, EPS);
  g_assert_cmpfloat_with_epsilon (b->selection_rate, 0.25, EPS);
  g_assert_cmpfloat_with_epsilon (b->tpr, 1.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (b->fpr, 0.2, EPS);
  g_assert_cmpfloat_with_epsilon (b->fnr, 2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (b->ppv, 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (b->accuracy, 0.625, EPS);

  g_assert_cmpuint (c->n, ==, 4);
  g_assert_cmpuint (c->tp, ==, 0);
  g_assert_cmpuint (c->fp, ==, 1);
  g_assert_cmpuint (c->tn, ==, 3);
  g_assert_cmpuint (c->fn, ==, 0);
  g_assert_cmpfloat (c->base_rate, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (c->selection_rate, 0.25, EPS);
  g_assert_true (isnan (c->tpr));
  g_assert_cmpfloat_with_epsilon (c->fpr, 0.25, EPS);
  g_assert_true (isnan (c->fnr));
  g_assert_cmpfloat (c->ppv, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (c->accuracy, 0.75, EPS);

  g_assert_cmpfloat_with_epsilon (res->disparate_impact_ratio, 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (res->statistical_parity_difference, 0.25, EPS);
  g_assert_cmpfloat_with_epsilon (res->equal_opportunity_difference, 7.0 / 15.0, EPS);
  g_assert_cmpfloat_with_epsilon (res->equalized_odds_difference, 7.0 / 15.0, EPS);
  rows_clear (&r);
}

/* Two groups where the FPR gap dominates equalized odds:
 *   x: TP 2 FN 2 FP 3 TN 1 → TPR 1/2, FPR 3/4, sel 5/8
 *   y: TP 1 FN 1 FP 0 TN 4 → TPR 1/2, FPR 0,   sel 1/6
 * DI = (1/6)/(5/8) = 4/15; SPD = 5/8 − 1/6 = 11/24; EOD = 0; EqOdds = 3/4. */
static void
test_fpr_gap (void)
{
  Rows r;
  const char *levels[] = { "x", "y" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GbFairnessResult) res = NULL;

  rows_init (&r);
  rows_add (&r, 0, 1, 1, 1, 2);
  rows_add (&r, 0, 1, 0, 1, 2);
  rows_add (&r, 0, 0, 1, 1, 3);
  rows_add (&r, 0, 0, 0, 1, 1);
  rows_add (&r, 1, 1, 1, 1, 1);
  rows_add (&r, 1, 1, 0, 1, 1);
  rows_add (&r, 1, 0, 0, 1, 4);
  res = gb_fairness_compute ("s", (gint32 *) r.code->data, levels, 2, (double *) r.yt->data,
                             (double *) r.yp->data, NULL, r.code->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (res->n_groups, ==, 2);
  g_assert_cmpfloat_with_epsilon (res->disparate_impact_ratio, 4.0 / 15.0, EPS);
  g_assert_cmpfloat_with_epsilon (res->statistical_parity_difference, 11.0 / 24.0, EPS);
  g_assert_cmpfloat_with_epsilon (res->equal_opportunity_difference, 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (res->equalized_odds_difference, 0.75, EPS);
  rows_clear (&r);
}

/* Every per-group rate and disparity equals the Fairlearn-definition
 * reference computed from sklearn confusion matrices. */
static void
test_fairlearn_definitions (void)
{
  g_autofree char *path = data_path ("fairness/fairlearn-definitions.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GbFairnessResult) res = NULL;
  JsonObject *root;
  JsonArray *codes, *yt, *yp, *mask, *levels, *groups;
  g_autofree gint32 *c = NULL;
  g_autofree double *t = NULL, *p = NULL;
  g_autofree guint8 *m = NULL;
  g_autofree const char **lv = NULL;
  guint n, n_levels;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  codes = json_object_get_array_member (root, "group_codes");
  yt = json_object_get_array_member (root, "y_true");
  yp = json_object_get_array_member (root, "y_pred");
  mask = json_object_get_array_member (root, "row_mask");
  levels = json_object_get_array_member (root, "levels");
  n = json_array_get_length (codes);
  n_levels = json_array_get_length (levels);
  c = g_new (gint32, n);
  t = g_new (double, n);
  p = g_new (double, n);
  m = g_new (guint8, n);
  lv = g_new0 (const char *, n_levels + 1);
  for (guint i = 0; i < n_levels; i++)
    lv[i] = json_array_get_string_element (levels, i);
  for (guint i = 0; i < n; i++)
    {
      c[i] = json_array_get_int_element (codes, i);
      t[i] = json_array_get_null_element (yt, i) ? NAN : json_array_get_double_element (yt, i);
      p[i] = json_array_get_null_element (yp, i) ? NAN : json_array_get_double_element (yp, i);
      m[i] = json_array_get_int_element (mask, i);
    }

  res = gb_fairness_compute (json_object_get_string_member (root, "attribute"), c, lv, n_levels,
                             t, p, m, n, &error);
  g_assert_no_error (error);

  groups = json_object_get_array_member (root, "groups");
  g_assert_cmpuint (res->n_groups, ==, json_array_get_length (groups));
  for (guint g = 0; g < res->n_groups; g++)
    {
      JsonObject *ref = json_array_get_object_element (groups, g);
      const GbGroupRates *r = &res->groups[g];
      g_assert_cmpstr (r->group, ==, json_object_get_string_member (ref, "group"));
      g_assert_cmpuint (r->n, ==, json_object_get_int_member (ref, "n"));
      g_assert_cmpuint (r->tp, ==, json_object_get_int_member (ref, "tp"));
      g_assert_cmpuint (r->fp, ==, json_object_get_int_member (ref, "fp"));
      g_assert_cmpuint (r->tn, ==, json_object_get_int_member (ref, "tn"));
      g_assert_cmpuint (r->fn, ==, json_object_get_int_member (ref, "fn"));
#define CHECK(field) \
      g_assert_cmpfloat_with_epsilon (r->field, json_object_get_double_member (ref, #field), 1e-14)
      CHECK (base_rate);
      CHECK (selection_rate);
      CHECK (tpr);
      CHECK (fpr);
      CHECK (fnr);
      CHECK (ppv);
      CHECK (accuracy);
#undef CHECK
    }
  g_assert_cmpfloat_with_epsilon (res->statistical_parity_difference,
                                  json_object_get_double_member (root, "demographic_parity_difference"),
                                  1e-14);
  g_assert_cmpfloat_with_epsilon (res->disparate_impact_ratio,
                                  json_object_get_double_member (root, "demographic_parity_ratio"),
                                  1e-14);
  g_assert_cmpfloat_with_epsilon (res->equal_opportunity_difference,
                                  json_object_get_double_member (root, "equal_opportunity_difference"),
                                  1e-14);
  g_assert_cmpfloat_with_epsilon (res->equalized_odds_difference,
                                  json_object_get_double_member (root, "equalized_odds_difference"),
                                  1e-14);
}

/* Bad input is an error with a message, never an abort. */
static void
test_errors (void)
{
  gint32 one_group[] = { 0, 0, 0 };
  gint32 bad_code[] = { 0, 1, 5 };
  gint32 ok[] = { 0, 1, 1 };
  double yt[] = { 1, 0, 1 };
  double yp[] = { 1, 1, 0 };
  double yp_bad[] = { 1, 2, 0 };
  const char *levels[] = { "u", "v" };
  g_autoptr(GError) error = NULL;

  g_assert_null (gb_fairness_compute ("s", one_group, levels, 2, yt, yp, NULL, 3, &error));
  g_assert_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (gb_fairness_compute ("s", bad_code, levels, 2, yt, yp, NULL, 3, &error));
  g_assert_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (gb_fairness_compute ("s", ok, levels, 2, yt, yp_bad, NULL, 3, &error));
  g_assert_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT);
}

/* Nobody selected anywhere: the ratio is undefined, the differences are 0. */
static void
test_nobody_selected (void)
{
  gint32 code[] = { 0, 0, 1, 1 };
  double yt[] = { 1, 0, 1, 0 };
  double yp[] = { 0, 0, 0, 0 };
  const char *levels[] = { "u", "v" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GbFairnessResult) res = gb_fairness_compute ("s", code, levels, 2, yt, yp, NULL, 4,
                                                         &error);
  g_assert_no_error (error);
  g_assert_true (isnan (res->disparate_impact_ratio));
  g_assert_cmpfloat (res->statistical_parity_difference, ==, 0.0);
  g_assert_true (isnan (res->groups[0].ppv));
  g_assert_cmpfloat (res->equalized_odds_difference, ==, 0.0);
}

/* ------------------------------------------------ the in-depth audit */

#define REL(a, b, tol) g_assert_cmpfloat (fabs ((a) - (b)), <=, (tol) * MAX (1.0, fabs (b)))

static const GbFairnessMetric *
cmp_metric (const GbFairnessResult *res, const char *group, const char *name)
{
  for (guint c = 0; c < res->n_comparisons; c++)
    if (g_strcmp0 (res->groups[res->comparisons[c].group].group, group) == 0)
      return gb_fairness_comparison_get_metric (&res->comparisons[c], name);
  g_assert_not_reached ();
  return NULL;
}

/* The hand table again: the remaining rates, the comparisons with the
 * reference (a, the largest group), the min/max metrics the first test does
 * not cover, and the Theil / GE(2) indices, all by hand:
 *   a: TNR 4/5 NPV 4/5 FDR 1/5 FOR 1/5;  b: TNR 4/5 NPV 4/6 FDR 1/2 FOR 2/6
 *   b vs a: DI 0.5, SPD −1/4, EOD 1/3 − 4/5 = −7/15, FPR diff 0,
 *           equalized odds 7/15, ratio min((1/3)/(4/5), 1) = 5/12,
 *           average odds (−7/15 + 0)/2 = −7/30, PPV diff −3/10, accuracy diff −7/40
 *   c vs a: EOD undefined (no positives), FPR diff 1/20, equalized odds 1/20,
 *           PPV diff −4/5
 *   summary: equalized odds ratio min(5/12, 0.2/0.25) = 5/12; average odds
 *           (7/15 + 1/20)/2 = 31/120; PPV gap 4/5; accuracy gap 7/40
 *   benefits ŷ − y + 1: 3 FN → 0, 16 TP/TN → 1, 3 FP → 2, mean 1:
 *           Theil = 3·2·ln 2 / 22, GE(2) = (3·(0 − 1) + 3·(4 − 1)) / (2·22) = 3/22 */
static void
test_hand_table_all_metrics (void)
{
  Rows r;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbFairnessResult) res = NULL;

  build_hand_table (&r);
  res = gb_fairness_compute ("grp", (gint32 *) r.code->data, hand_levels, 4,
                             (double *) r.yt->data, (double *) r.yp->data,
                             (guint8 *) r.mask->data, r.code->len, &error);
  g_assert_no_error (error);
  const GbGroupRates *a = &res->groups[0], *b = &res->groups[1];
  g_assert_cmpfloat_with_epsilon (a->tnr, 0.8, EPS);
  g_assert_cmpfloat_with_epsilon (a->npv, 0.8, EPS);
  g_assert_cmpfloat_with_epsilon (a->fdr, 0.2, EPS);
  g_assert_cmpfloat_with_epsilon (a->for_rate, 0.2, EPS);
  g_assert_cmpfloat_with_epsilon (b->tnr, 0.8, EPS);
  g_assert_cmpfloat_with_epsilon (b->npv, 4.0 / 6.0, EPS);
  g_assert_cmpfloat_with_epsilon (b->fdr, 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (b->for_rate, 2.0 / 6.0, EPS);
  for (int rt = 0; rt < GB_N_RATES; rt++)
    g_assert_cmpfloat_with_epsilon (gb_group_rates_get (b, rt),
                                    gb_rate_from_counts (rt, 1, 1, 4, 2, NULL, NULL), EPS);
  g_assert_true (a->is_reference);
  g_assert_cmpuint (res->reference, ==, 0);
  g_assert_cmpuint (res->n_comparisons, ==, 2);

  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "b", "disparate_impact_ratio")->value, 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "b", "statistical_parity_difference")->value, -0.25, EPS);
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "b", "equal_opportunity_difference")->value, -7.0 / 15.0, EPS);
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "b", "false_positive_rate_difference")->value, 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "b", "equalized_odds_difference")->value, 7.0 / 15.0, EPS);
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "b", "equalized_odds_ratio")->value, 5.0 / 12.0, EPS);
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "b", "average_odds_difference")->value, -7.0 / 30.0, EPS);
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "b", "predictive_parity_difference")->value, -0.3, EPS);
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "b", "accuracy_difference")->value, -7.0 / 40.0, EPS);
  g_assert_true (isnan (cmp_metric (res, "c", "equal_opportunity_difference")->value));
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "c", "false_positive_rate_difference")->value, 0.05, EPS);
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "c", "equalized_odds_difference")->value, 0.05, EPS);
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "c", "predictive_parity_difference")->value, -0.8, EPS);

  g_assert_cmpfloat (gb_fairness_result_get_metric (res, "disparate_impact_ratio")->value, ==,
                     res->disparate_impact_ratio);
  g_assert_cmpfloat_with_epsilon (gb_fairness_result_get_metric (res, "equalized_odds_ratio")->value, 5.0 / 12.0, EPS);
  g_assert_cmpfloat_with_epsilon (gb_fairness_result_get_metric (res, "average_odds_difference")->value, 31.0 / 120.0, EPS);
  g_assert_cmpfloat_with_epsilon (gb_fairness_result_get_metric (res, "predictive_parity_difference")->value, 0.8, EPS);
  g_assert_cmpfloat_with_epsilon (gb_fairness_result_get_metric (res, "accuracy_difference")->value, 7.0 / 40.0, EPS);
  g_assert_cmpfloat_with_epsilon (gb_fairness_result_get_metric (res, "theil_index")->value, 6.0 * log (2.0) / 22.0, EPS);
  g_assert_cmpfloat_with_epsilon (gb_fairness_result_get_metric (res, "generalized_entropy_index")->value, 3.0 / 22.0, EPS);
  /* the same indices from per-person benefits */
  {
    double ben[22];
    int k = 0;
    for (int i = 0; i < 3; i++) ben[k++] = 0;
    for (int i = 0; i < 16; i++) ben[k++] = 1;
    for (int i = 0; i < 3; i++) ben[k++] = 2;
    g_assert_cmpfloat_with_epsilon (gb_generalized_entropy_index (ben, 22, 1.0), 6.0 * log (2.0) / 22.0, EPS);
    g_assert_cmpfloat_with_epsilon (gb_generalized_entropy_index (ben, 22, 2.0), 3.0 / 22.0, EPS);
  }
  /* no bootstrap asked: no intervals; tests exist */
  g_assert_true (isnan (cmp_metric (res, "b", "statistical_parity_difference")->ci_low));
  g_assert_false (isnan (cmp_metric (res, "b", "statistical_parity_difference")->p_value));
  rows_clear (&r);
}

typedef struct {
  JsonParser *parser;
  JsonObject *root;
  guint n, n_levels;
  gint32 *codes;
  double *yt, *yp, *score, *proxy;
  const char **levels;
} Fixture;

static double *
json_doubles (JsonObject *o, const char *member, guint *out_n)
{
  JsonArray *a = json_object_get_array_member (o, member);
  guint n = json_array_get_length (a);
  double *v = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    v[i] = json_array_get_null_element (a, i) ? NAN : json_array_get_double_element (a, i);
  if (out_n)
    *out_n = n;
  return v;
}

static void
fixture_load (Fixture *f)
{
  g_autofree char *path = data_path ("fairness/fairness-stats.json");
  g_autoptr(GError) error = NULL;
  f->parser = json_parser_new ();
  json_parser_load_from_file (f->parser, path, &error);
  g_assert_no_error (error);
  f->root = json_node_get_object (json_parser_get_root (f->parser));
  JsonArray *codes = json_object_get_array_member (f->root, "group_codes");
  JsonArray *levels = json_object_get_array_member (f->root, "levels");
  f->n = json_array_get_length (codes);
  f->n_levels = json_array_get_length (levels);
  f->codes = g_new (gint32, f->n);
  for (guint i = 0; i < f->n; i++)
    f->codes[i] = json_array_get_int_element (codes, i);
  f->levels = g_new0 (const char *, f->n_levels + 1);
  for (guint i = 0; i < f->n_levels; i++)
    f->levels[i] = json_array_get_string_element (levels, i);
  f->yt = json_doubles (f->root, "y_true", NULL);
  f->yp = json_doubles (f->root, "y_pred", NULL);
  f->score = json_doubles (f->root, "score", NULL);
  f->proxy = json_doubles (f->root, "proxy", NULL);
}

static void
fixture_clear (Fixture *f)
{
  g_free (f->codes);
  g_free (f->levels);
  g_free (f->yt);
  g_free (f->yp);
  g_free (f->score);
  g_free (f->proxy);
  g_object_unref (f->parser);
}

/* Rates, Wilson intervals, per-group ROC-AUC and Brier score, the z and
 * Fisher tests of every comparison and the Theil / GE indices against
 * scipy / statsmodels / sklearn (tests/reference/fairness_stats_reference.py).
 * Group C (14 rows) is below the minimum size 30: flagged, left out of the
 * min/max metrics, still compared. */
static void
test_reference_stats (void)
{
  Fixture f;
  g_autoptr(GError) error = NULL;
  GbFairnessOptions o;

  fixture_load (&f);
  gb_fairness_options_init_default (&o);
  o.bootstrap = 200;
  g_autoptr(GbFairnessResult) res = gb_fairness_audit ("g", f.codes, f.levels, f.n_levels, f.yt,
                                                       f.yp, f.score, NULL, f.n, &o, &error);
  g_assert_no_error (error);
  JsonArray *groups = json_object_get_array_member (f.root, "groups");
  g_assert_cmpuint (res->n_groups, ==, 3);
  for (guint g = 0; g < 3; g++)
    {
      JsonObject *ref = json_array_get_object_element (groups, g);
      const GbGroupRates *gr = &res->groups[g];
      g_assert_cmpuint (gr->tp, ==, json_object_get_int_member (ref, "tp"));
      g_assert_cmpuint (gr->fp, ==, json_object_get_int_member (ref, "fp"));
      g_assert_cmpuint (gr->tn, ==, json_object_get_int_member (ref, "tn"));
      g_assert_cmpuint (gr->fn, ==, json_object_get_int_member (ref, "fn"));
      for (int rt = 0; rt < GB_N_RATES; rt++)
        {
          g_autofree char *ci_name = g_strdup_printf ("%s_ci", gb_rate_name (rt));
          JsonArray *ci = json_object_get_array_member (ref, ci_name);
          REL (gb_group_rates_get (gr, rt), json_object_get_double_member (ref, gb_rate_name (rt)), 1e-14);
          REL (gr->ci[rt][0], json_array_get_double_element (ci, 0), 1e-12);
          REL (gr->ci[rt][1], json_array_get_double_element (ci, 1), 1e-12);
        }
      REL (gr->roc_auc, json_object_get_double_member (ref, "roc_auc"), 1e-12);
      REL (gr->brier, json_object_get_double_member (ref, "brier"), 1e-12);
      g_assert_cmpuint (gr->n_calibration, ==, 10);
    }
  g_assert_false (res->groups[0].small);
  g_assert_false (res->groups[1].small);
  g_assert_true (res->groups[2].small);
  g_assert_cmpuint (res->n_small, ==, 1);
  g_assert_cmpstr (res->groups[res->reference].group, ==,
                   json_object_get_string_member (f.root, "reference"));
  /* the min/max metrics use A and B only */
  g_assert_cmpfloat_with_epsilon (res->disparate_impact_ratio,
                                  MIN (res->groups[0].selection_rate, res->groups[1].selection_rate) /
                                  MAX (res->groups[0].selection_rate, res->groups[1].selection_rate), EPS);

  static const struct { const char *rate, *metric; } tested[] = {
    { "selection_rate", "statistical_parity_difference" },
    { "tpr", "equal_opportunity_difference" },
    { "fpr", "false_positive_rate_difference" },
    { "ppv", "predictive_parity_difference" },
    { "accuracy", "accuracy_difference" },
  };
  JsonArray *cmps = json_object_get_array_member (f.root, "comparisons");
  for (guint c = 0; c < json_array_get_length (cmps); c++)
    {
      JsonObject *ref = json_array_get_object_element (cmps, c);
      const char *group = json_object_get_string_member (ref, "group");
      for (guint k = 0; k < G_N_ELEMENTS (tested); k++)
        {
          JsonObject *t = json_object_get_object_member (ref, tested[k].rate);
          const GbFairnessMetric *m = cmp_metric (res, group, tested[k].metric);
          REL (m->value, json_object_get_double_member (t, "difference"), 1e-14);
          REL (m->p_value, json_object_get_double_member (t, "p"), 1e-9);
          g_assert_cmpstr (gb_fairness_test_name (m->test), ==, json_object_get_string_member (t, "test"));
          g_assert_cmpfloat (m->p_adjusted, >=, m->p_value);
          g_assert_false (isnan (m->ci_low));
          g_assert_cmpfloat (m->ci_low, <=, m->value);
          g_assert_cmpfloat (m->ci_high, >=, m->value);
        }
    }
  REL (gb_fairness_result_get_metric (res, "theil_index")->value,
       json_object_get_double_member (f.root, "theil_index"), 1e-12);
  REL (gb_fairness_result_get_metric (res, "generalized_entropy_index")->value,
       json_object_get_double_member (f.root, "generalized_entropy_index"), 1e-12);

  /* chi-square over all three groups */
  JsonObject *chi2 = json_object_get_object_member (f.root, "chi2");
  GList *members = json_object_get_members (chi2);
  for (GList *l = members; l; l = l->next)
    {
      JsonObject *t = json_object_get_object_member (chi2, l->data);
      g_autofree double *x = json_doubles (t, "x", NULL);
      g_autofree double *m = json_doubles (t, "m", NULL);
      guint df;
      REL (gb_chi2_homogeneity_test (x, m, 3, &df), json_object_get_double_member (t, "p"), 1e-9);
      g_assert_cmpuint (df, ==, json_object_get_int_member (t, "df"));
    }
  g_list_free (members);

  /* proxy check: the numeric proxy separates group B */
  guint best;
  REL (gb_fairness_proxy_auc (f.proxy, NULL, 0, f.codes, f.n_levels, NULL, f.n, &best),
       json_object_get_double_member (f.root, "proxy_auc"), 1e-12);
  g_assert_cmpuint (best, ==, json_object_get_int_member (f.root, "proxy_group"));
  /* a categorical copy of the group is a perfect proxy */
  g_assert_cmpfloat (gb_fairness_proxy_auc (NULL, f.codes, f.n_levels, f.codes, f.n_levels, NULL,
                                            f.n, NULL), ==, 1.0);
  fixture_clear (&f);
}

/* Fisher, z and Wilson on the fixture's lists (scipy / statsmodels). */
static void
test_reference_tests (void)
{
  Fixture f;
  fixture_load (&f);
  JsonArray *fisher = json_object_get_array_member (f.root, "fisher");
  for (guint i = 0; i < json_array_get_length (fisher); i++)
    {
      JsonObject *o = json_array_get_object_element (fisher, i);
      JsonArray *t = json_object_get_array_member (o, "table");
      double p = gb_fisher_exact_test (json_array_get_int_element (t, 0), json_array_get_int_element (t, 1),
                                       json_array_get_int_element (t, 2), json_array_get_int_element (t, 3));
      REL (p, json_object_get_double_member (o, "p"), 1e-9);
    }
  JsonArray *z = json_object_get_array_member (f.root, "ztests");
  for (guint i = 0; i < json_array_get_length (z); i++)
    {
      JsonObject *o = json_array_get_object_element (z, i);
      double zz;
      double p = gb_two_proportion_z_test (json_object_get_double_member (o, "x1"),
                                           json_object_get_double_member (o, "n1"),
                                           json_object_get_double_member (o, "x2"),
                                           json_object_get_double_member (o, "n2"), &zz);
      REL (p, json_object_get_double_member (o, "p"), 1e-9);
      REL (zz, json_object_get_double_member (o, "z"), 1e-12);
    }
  JsonArray *w = json_object_get_array_member (f.root, "wilson");
  for (guint i = 0; i < json_array_get_length (w); i++)
    {
      JsonObject *o = json_array_get_object_element (w, i);
      double lo, hi;
      g_autofree double *c95 = json_doubles (o, "ci95", NULL);
      g_autofree double *c90 = json_doubles (o, "ci90", NULL);
      gb_wilson_interval (json_object_get_double_member (o, "x"), json_object_get_double_member (o, "n"),
                          0.95, &lo, &hi);
      REL (lo, c95[0], 1e-12);
      REL (hi, c95[1], 1e-12);
      gb_wilson_interval (json_object_get_double_member (o, "x"), json_object_get_double_member (o, "n"),
                          0.90, &lo, &hi);
      REL (lo, c90[0], 1e-12);
      REL (hi, c90[1], 1e-12);
    }
  fixture_clear (&f);
}

/* Benjamini–Hochberg on a known list (statsmodels multipletests fdr_bh). */
static void
test_benjamini_hochberg (void)
{
  Fixture f;
  fixture_load (&f);
  JsonObject *bh = json_object_get_object_member (f.root, "bh");
  guint m;
  g_autofree double *p = json_doubles (bh, "p", &m);
  g_autofree double *want = json_doubles (bh, "adjusted", NULL);
  g_autofree double *got = g_new (double, m);
  gb_benjamini_hochberg (p, m, got);
  for (guint i = 0; i < m; i++)
    REL (got[i], want[i], 1e-14);
  /* a NaN is left out of the family: the others are adjusted as a family of m */
  g_autofree double *p2 = g_new (double, m + 1);
  g_autofree double *got2 = g_new (double, m + 1);
  memcpy (p2 + 1, p, m * sizeof (double));
  p2[0] = NAN;
  gb_benjamini_hochberg (p2, m + 1, got2);
  g_assert_true (isnan (got2[0]));
  for (guint i = 0; i < m; i++)
    REL (got2[i + 1], want[i], 1e-14);
  fixture_clear (&f);
}

/* Coverage of the stratified bootstrap: two groups with known selection
 * rates 0.5 (n = 160, the reference) and 0.3 (n = 140); in 200 simulated
 * data sets the 95 % interval of the difference (−0.2) and of the ratio
 * (0.6) must cover the truth in 95 % ± 4 % of them. */
static void
test_bootstrap_coverage (void)
{
  const guint sims = 200, n0 = 160, n1 = 140, n = n0 + n1;
  const char *levels[] = { "ref", "other" };
  g_autofree gint32 *codes = g_new (gint32, n);
  g_autofree double *yt = g_new (double, n);
  g_autofree double *yp = g_new (double, n);
  GbFairnessOptions o;
  guint cover_d = 0, cover_r = 0;
  GRand *rand = g_rand_new_with_seed (7);

  gb_fairness_options_init_default (&o);
  o.bootstrap = 1000;
  for (guint s = 0; s < sims; s++)
    {
      for (guint i = 0; i < n; i++)
        {
          codes[i] = i < n0 ? 0 : 1;
          yp[i] = g_rand_double (rand) < (i < n0 ? 0.5 : 0.3);
          yt[i] = g_rand_double (rand) < 0.4;
        }
      o.seed = 1000 + s;
      g_autoptr(GError) error = NULL;
      g_autoptr(GbFairnessResult) res = gb_fairness_audit ("g", codes, levels, 2, yt, yp, NULL, NULL,
                                                           n, &o, &error);
      g_assert_no_error (error);
      const GbFairnessMetric *d = cmp_metric (res, "other", "statistical_parity_difference");
      const GbFairnessMetric *r = cmp_metric (res, "other", "disparate_impact_ratio");
      cover_d += d->ci_low <= -0.2 && -0.2 <= d->ci_high;
      cover_r += r->ci_low <= 0.6 && 0.6 <= r->ci_high;
    }
  g_rand_free (rand);
  g_test_message ("bootstrap 95 %% interval coverage over %u simulations: difference %.3f, ratio %.3f",
                  sims, (double) cover_d / sims, (double) cover_r / sims);
  g_assert_cmpfloat ((double) cover_d / sims, >=, 0.91);
  g_assert_cmpfloat ((double) cover_d / sims, <=, 0.99);
  g_assert_cmpfloat ((double) cover_r / sims, >=, 0.91);
  g_assert_cmpfloat ((double) cover_r / sims, <=, 0.99);
}

/* The multinomial shortcut keeps each group's size and, on average, its
 * cell shares. */
static void
test_bootstrap_counts (void)
{
  const double counts[8] = { 10, 20, 30, 40, 5, 0, 5, 0 };
  const guint B = 4000;
  g_autofree double *out = g_new (double, B * 8);
  double mean[8] = { 0 };
  gb_fairness_bootstrap_counts (counts, 2, B, 3, out);
  for (guint b = 0; b < B; b++)
    {
      g_assert_cmpfloat (out[b * 8 + 0] + out[b * 8 + 1] + out[b * 8 + 2] + out[b * 8 + 3], ==, 100);
      g_assert_cmpfloat (out[b * 8 + 4] + out[b * 8 + 6], ==, 10);
      g_assert_cmpfloat (out[b * 8 + 5] + out[b * 8 + 7], ==, 0);
      for (int j = 0; j < 8; j++)
        mean[j] += out[b * 8 + j] / B;
    }
  for (int j = 0; j < 8; j++)
    g_assert_cmpfloat (fabs (mean[j] - counts[j]), <, 0.5);
}

/* Reweighing makes the weighted share of positives the same in every group
 * (the overall share), exactly. */
static void
test_reweighing (void)
{
  const gsize n = 1000;
  g_autofree gint32 *codes = g_new (gint32, n);
  g_autofree double *y = g_new (double, n);
  g_autofree double *w = g_new (double, n);
  g_autofree guint8 *mask = g_new (guint8, n);
  double table[6];
  GRand *rand = g_rand_new_with_seed (11);
  double pos = 0, tot = 0;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < n; i++)
    {
      codes[i] = g_rand_int_range (rand, 0, 3);
      y[i] = g_rand_double (rand) < (codes[i] == 0 ? 0.6 : codes[i] == 1 ? 0.3 : 0.15);
      mask[i] = g_rand_double (rand) < 0.8;
      if (i % 97 == 0)
        codes[i] = -1;
      if (mask[i] && codes[i] >= 0)
        {
          pos += y[i];
          tot += 1;
        }
    }
  g_rand_free (rand);
  g_assert_true (gb_fairness_reweighing (codes, 3, y, mask, n, w, table, &error));
  g_assert_no_error (error);
  for (gint g = 0; g < 3; g++)
    {
      double wp = 0, wt = 0, cnt = 0, raw = 0;
      for (gsize i = 0; i < n; i++)
        if (mask[i] && codes[i] == g)
          {
            wp += w[i] * y[i];
            wt += w[i];
            cnt += 1;
            raw += y[i];
          }
      g_assert_cmpfloat (fabs (wp / wt - pos / tot), <, 1e-12);
      /* the group's total weight is its size: P(g) is unchanged */
      g_assert_cmpfloat (fabs (wt - cnt), <, 1e-9);
      g_assert_cmpfloat (fabs (raw / cnt - pos / tot), >, 0.05);   /* it was unequal */
    }
  for (gsize i = 0; i < n; i++)
    g_assert_true (isnan (w[i]) == (!mask[i] || codes[i] < 0));
}

/* Synthetic validation data with group-dependent score distributions. */
static void
make_scores (gsize n, gint32 *codes, double *score, double *y, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  for (gsize i = 0; i < n; i++)
    {
      codes[i] = g_rand_double (rand) < 0.6 ? 0 : 1;
      y[i] = g_rand_double (rand) < (codes[i] == 0 ? 0.45 : 0.3);
      const double shift = codes[i] == 0 ? 0.1 : -0.05;
      double u = 0;
      for (int k = 0; k < 4; k++)
        u += g_rand_double (rand);
      score[i] = CLAMP (0.2 + 0.3 * y[i] + shift + 0.25 * (u / 4 - 0.5) * 2, 0.0, 1.0);
      /* ties, as real scores have */
      if (i % 5 == 0)
        score[i] = round (score[i] * 20) / 20;
    }
  g_rand_free (rand);
}

/* Expected rates of the fitted rules on the rows they were fitted on. */
static void
expected_rates (const GbGroupThreshold *rules, const gint32 *codes, const double *score,
                const double *y, const guint8 *mask, gsize n, double out[2][3])
{
  double cnt[2][4] = { { 0 } };   /* n, selected, pos, tp ; fp via neg */
  double neg[2] = { 0 }, fp[2] = { 0 };
  for (gsize i = 0; i < n; i++)
    {
      if (mask && !mask[i])
        continue;
      const double p = gb_group_threshold_probability (&rules[codes[i]], score[i]);
      cnt[codes[i]][0] += 1;
      cnt[codes[i]][1] += p;
      cnt[codes[i]][2] += y[i];
      cnt[codes[i]][3] += p * y[i];
      neg[codes[i]] += 1 - y[i];
      fp[codes[i]] += p * (1 - y[i]);
    }
  for (int g = 0; g < 2; g++)
    {
      out[g][0] = cnt[g][1] / cnt[g][0];
      out[g][1] = cnt[g][3] / cnt[g][2];
      out[g][2] = fp[g] / neg[g];
    }
}

/* The threshold optimiser reaches equal rates within its grid step on the
 * validation rows it was fitted on (in expectation of its randomised
 * decisions), for each constraint; and it is not worse in accuracy than
 * the best single threshold that satisfies the same constraint trivially
 * (selecting nobody). */
static void
test_thresholds (void)
{
  const gsize n = 4000;
  const double step = 0.01;
  g_autofree gint32 *codes = g_new (gint32, n);
  g_autofree double *score = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *mask = g_new (guint8, n);
  make_scores (n, codes, score, y, 5);
  for (gsize i = 0; i < n; i++)
    mask[i] = i % 4 != 0;

  static const struct { GbFairnessConstraint c; int rate; gboolean both; } cases[] = {
    { GB_FAIRNESS_CONSTRAINT_DEMOGRAPHIC_PARITY, 0, FALSE },
    { GB_FAIRNESS_CONSTRAINT_EQUAL_OPPORTUNITY, 1, FALSE },
    { GB_FAIRNESS_CONSTRAINT_EQUALIZED_ODDS, 1, TRUE },
  };
  double base_neg = 0, base_n = 0;
  for (gsize i = 0; i < n; i++)
    if (mask[i])
      {
        base_neg += 1 - y[i];
        base_n += 1;
      }
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GError) error = NULL;
      double acc, rates[2][3];
      g_autofree GbGroupThreshold *rules = gb_fairness_fit_thresholds (codes, 2, score, y, mask, n,
                                                                       cases[k].c, step, &acc, &error);
      g_assert_no_error (error);
      expected_rates (rules, codes, score, y, mask, n, rates);
      g_test_message ("%s: group rates %.4f / %.4f (TPR %.4f / %.4f, FPR %.4f / %.4f), accuracy %.4f",
                      gb_fairness_constraint_name (cases[k].c), rates[0][0], rates[1][0],
                      rates[0][1], rates[1][1], rates[0][2], rates[1][2], acc);
      g_assert_cmpfloat (fabs (rates[0][cases[k].rate] - rates[1][cases[k].rate]), <=, step);
      if (cases[k].both)
        g_assert_cmpfloat (fabs (rates[0][2] - rates[1][2]), <=, step);
      g_assert_cmpfloat (acc, >=, base_neg / base_n - 1e-12);
      g_assert_cmpfloat (acc, >, 0.7);   /* the scores are informative */
      /* the reported accuracy is the expected accuracy of the rules */
      double exp_ok = 0;
      for (gsize i = 0; i < n; i++)
        if (mask[i])
          {
            const double p = gb_group_threshold_probability (&rules[codes[i]], score[i]);
            exp_ok += y[i] == 1 ? p : 1 - p;
          }
      g_assert_cmpfloat (fabs (exp_ok / base_n - acc), <, 1e-9);

      /* sampled decisions follow the probabilities */
      g_autofree double *pred = g_new (double, n);
      g_autofree double *prob = g_new (double, n);
      gb_fairness_apply_thresholds (rules, 2, codes, score, mask, n, 9, pred, prob);
      double sp = 0, sq = 0;
      for (gsize i = 0; i < n; i++)
        if (mask[i])
          {
            sp += pred[i];
            sq += prob[i];
          }
        else
          g_assert_true (isnan (pred[i]));
      g_assert_cmpfloat (fabs (sp - sq) / base_n, <, 0.03);
    }
  g_autoptr(GError) error = NULL;
  g_assert_null (gb_fairness_fit_thresholds (codes, 2, score, y, mask, n,
                                             GB_FAIRNESS_CONSTRAINT_EQUAL_OPPORTUNITY, 0.0, NULL, &error));
  g_assert_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT);
}

/* Trade-off curve on a tiny hand case: scores 0.2, 0.6 (group 0, labels
 * 0, 1) and 0.4, 0.8 (group 1, labels 1, 1).  At t = 0.5: predictions
 * 0, 1 | 0, 1 → accuracy 3/4, selection 1/2 | 1/2, TPR 1 | 1/2. */
static void
test_tradeoff (void)
{
  gint32 codes[] = { 0, 0, 1, 1 };
  double score[] = { 0.2, 0.6, 0.4, 0.8 };
  double y[] = { 0, 1, 1, 1 };
  double t[3], acc[3], spd[3], eod[3];
  gb_fairness_tradeoff (codes, 2, score, y, NULL, 4, 3, t, acc, spd, eod);
  g_assert_cmpfloat (t[1], ==, 0.5);
  g_assert_cmpfloat_with_epsilon (acc[1], 0.75, EPS);
  g_assert_cmpfloat_with_epsilon (spd[1], 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (eod[1], 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (acc[0], 0.75, EPS);   /* t = 0: everybody selected */
  g_assert_cmpfloat_with_epsilon (eod[0], 0.0, EPS);
}

/* Intersections: one level per combination that occurs, "x*p" labels in
 * level order, −1 where any attribute is missing. */
static void
test_intersections (void)
{
  gint32 a[] = { 0, 1, 1, 0, -1, 1 };
  gint32 b[] = { 1, 0, 1, 1, 0, -1 };
  const char *la[] = { "x", "y" };
  const char *lb[] = { "p", "q" };
  const gint32 *codes[] = { a, b };
  const char *const *levels[] = { la, lb };
  guint nl[] = { 2, 2 }, n_out;
  gint32 out[6];
  g_auto(GStrv) labels = gb_fairness_intersect (2, codes, levels, nl, 6, out, &n_out);
  g_assert_cmpuint (n_out, ==, 3);
  g_assert_cmpstr (labels[0], ==, "x*q");
  g_assert_cmpstr (labels[1], ==, "y*p");
  g_assert_cmpstr (labels[2], ==, "y*q");
  g_assert_null (labels[3]);
  g_assert_cmpint (out[0], ==, 0);
  g_assert_cmpint (out[1], ==, 1);
  g_assert_cmpint (out[2], ==, 2);
  g_assert_cmpint (out[3], ==, 0);
  g_assert_cmpint (out[4], ==, -1);
  g_assert_cmpint (out[5], ==, -1);
}

/* A chosen reference group; an unknown one is an error naming the groups. */
static void
test_reference_group (void)
{
  Rows r;
  GbFairnessOptions o;
  g_autoptr(GError) error = NULL;
  build_hand_table (&r);
  gb_fairness_options_init_default (&o);
  o.bootstrap = 0;
  o.reference = "b";
  g_autoptr(GbFairnessResult) res = gb_fairness_audit ("grp", (gint32 *) r.code->data, hand_levels, 4,
                                                       (double *) r.yt->data, (double *) r.yp->data,
                                                       NULL, (guint8 *) r.mask->data, r.code->len,
                                                       &o, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (res->groups[res->reference].group, ==, "b");
  g_assert_true (res->groups[1].is_reference);
  /* every group is small (min size 30): the min/max metrics use all of them */
  g_assert_true (res->summary_uses_all);
  g_assert_cmpuint (res->n_small, ==, 3);
  g_assert_cmpfloat_with_epsilon (cmp_metric (res, "a", "disparate_impact_ratio")->value, 2.0, EPS);
  o.reference = "zz";
  g_assert_null (gb_fairness_audit ("grp", (gint32 *) r.code->data, hand_levels, 4,
                                    (double *) r.yt->data, (double *) r.yp->data, NULL,
                                    (guint8 *) r.mask->data, r.code->len, &o, &error));
  g_assert_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“zz”"));
  g_assert_nonnull (strstr (error->message, "“a”, “b”, “c”"));
  rows_clear (&r);
}

/* BH across results: a family of two results adjusts with m = both counts. */
static void
test_adjust_across_results (void)
{
  Fixture f;
  g_autoptr(GError) error = NULL;
  GbFairnessOptions o;
  fixture_load (&f);
  gb_fairness_options_init_default (&o);
  o.bootstrap = 0;
  GbFairnessResult *r[2];
  r[0] = gb_fairness_audit ("g", f.codes, f.levels, f.n_levels, f.yt, f.yp, NULL, NULL, f.n, &o, &error);
  g_assert_no_error (error);
  r[1] = gb_fairness_audit ("h", f.codes, f.levels, f.n_levels, f.yt, f.yp, NULL, NULL, f.n, &o, &error);
  g_assert_no_error (error);
  const double single = r[0]->test_p_adjusted[0];
  gb_fairness_results_adjust (r, 2);
  const guint m = r[0]->n_tests + r[1]->n_tests;
  g_autofree double *p = g_new (double, m);
  memcpy (p, r[0]->test_p, r[0]->n_tests * sizeof (double));
  memcpy (p + r[0]->n_tests, r[1]->test_p, r[1]->n_tests * sizeof (double));
  gb_benjamini_hochberg (p, m, p);
  REL (r[0]->test_p_adjusted[0], p[0], 1e-15);
  g_assert_cmpfloat (r[0]->test_p_adjusted[0], >=, single);
  REL (r[0]->metrics[0].p_adjusted, r[0]->test_p_adjusted[r[0]->metrics[0].test_id], 0);
  gb_fairness_result_free (r[0]);
  gb_fairness_result_free (r[1]);
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/fairness/hand-table", test_hand_table);
  g_test_add_func ("/engine/fairness/fpr-gap", test_fpr_gap);
  g_test_add_func ("/engine/fairness/fairlearn-definitions", test_fairlearn_definitions);
  g_test_add_func ("/engine/fairness/errors", test_errors);
  g_test_add_func ("/engine/fairness/nobody-selected", test_nobody_selected);
  g_test_add_func ("/engine/fairness/hand-table/all-metrics", test_hand_table_all_metrics);
  g_test_add_func ("/engine/fairness/reference/rates-intervals-tests", test_reference_stats);
  g_test_add_func ("/engine/fairness/reference/fisher-z-wilson", test_reference_tests);
  g_test_add_func ("/engine/fairness/benjamini-hochberg", test_benjamini_hochberg);
  g_test_add_func ("/engine/fairness/benjamini-hochberg/across-results", test_adjust_across_results);
  g_test_add_func ("/engine/fairness/bootstrap/counts", test_bootstrap_counts);
  g_test_add_func ("/engine/fairness/bootstrap/coverage", test_bootstrap_coverage);
  g_test_add_func ("/engine/fairness/reweighing/equal-label-rates", test_reweighing);
  g_test_add_func ("/engine/fairness/thresholds/equal-rates", test_thresholds);
  g_test_add_func ("/engine/fairness/tradeoff", test_tradeoff);
  g_test_add_func ("/engine/fairness/intersections", test_intersections);
  g_test_add_func ("/engine/fairness/reference-group", test_reference_group);

  return g_test_run ();
}
