/* test-fairness.c — group fairness metrics.
 *
 * References: a hand-computed table (below) and
 * tests/data/fairness/fairlearn-definitions.json, written by
 * tests/reference/fairness_reference.py (Fairlearn's definitions implemented
 * from sklearn confusion matrices).
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/fairness/hand-table", test_hand_table);
  g_test_add_func ("/engine/fairness/fpr-gap", test_fpr_gap);
  g_test_add_func ("/engine/fairness/fairlearn-definitions", test_fairlearn_definitions);
  g_test_add_func ("/engine/fairness/errors", test_errors);
  g_test_add_func ("/engine/fairness/nobody-selected", test_nobody_selected);

  return g_test_run ();
}
