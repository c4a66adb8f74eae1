/* test-stats.c — logistic regression and classification metrics.
 *
 * References: the JSON files in tests/data/stats, written by
 * tests/reference/stats_reference.py with statsmodels (Logit, GLM with
 * freq_weights) and scikit-learn (LogisticRegression, roc_auc_score,
 * roc_curve); plus exact hand-checked values and published normal quantiles.
 */
#include "gb-config.h"
#include "gb-logistic.h"
#include "gb-metrics.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

#include "gb-test-fixtures.h"

static void
assert_fit_matches (const GbLogisticFit *fit, JsonObject *ref, double tol, const char *label)
{
  gsize p1, p2;
  g_autofree double *coef = doubles_member (ref, "coef", &p1);
  g_autofree double *se = doubles_member (ref, "std_error", &p2);
  g_autofree char *wc = g_strdup_printf ("%s coef", label);
  g_autofree char *ws = g_strdup_printf ("%s std_error", label);

  double worst = 0.0;

  g_assert_cmpuint (fit->p, ==, p1);
  g_assert_true (fit->converged);
  for (gsize j = 0; j < p1; j++)
    {
      worst = MAX (worst, fabs (fit->coef[j] - coef[j]) / fabs (coef[j]));
      worst = MAX (worst, fabs (fit->std_error[j] - se[j]) / fabs (se[j]));
      assert_rel (fit->coef[j], coef[j], tol, wc, j);
      assert_rel (fit->std_error[j], se[j], tol, ws, j);
      assert_rel (sqrt (fit->cov[j * fit->p + j]), se[j], tol, ws, j);
    }
  assert_rel (fit->log_likelihood, json_object_get_double_member (ref, "log_likelihood"), 1e-9,
              label, 0);
  g_test_message ("%s: %u iterations, max relative error of coef/SE %.2g", label,
                  fit->iterations, worst);
}

/* ---- logistic regression ------------------------------------------------ */

typedef struct {
  JsonParser *parser;
  JsonObject *root;
  gsize n, p;
  double *X, *y, *w;
} Synthetic;

static void
synthetic_load (Synthetic *s)
{
  gsize len;
  s->parser = load_fixture ("stats/logistic-synthetic.json");
  s->root = json_node_get_object (json_parser_get_root (s->parser));
  s->n = json_object_get_int_member (s->root, "n");
  s->p = json_object_get_int_member (s->root, "p");
  s->X = doubles_member (s->root, "X", &len);
  g_assert_cmpuint (len, ==, s->n * s->p);
  s->y = doubles_member (s->root, "y", &len);
  g_assert_cmpuint (len, ==, s->n);
  s->w = doubles_member (s->root, "weights", &len);
  g_assert_cmpuint (len, ==, s->n);
}

static void
synthetic_clear (Synthetic *s)
{
  g_object_unref (s->parser);
  g_free (s->X);
  g_free (s->y);
  g_free (s->w);
}

/* Synthetic data: coefficients, SEs and log-likelihood equal statsmodels' Logit. */
static void
test_logistic_statsmodels (void)
{
  Synthetic s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbLogisticFit) fit = NULL;

  synthetic_load (&s);
  fit = gb_logistic_fit (s.X, s.y, NULL, s.n, s.p, 0.0, &error);
  g_assert_no_error (error);
  assert_fit_matches (fit, obj_member (s.root, "logit"), 1e-6, "synthetic");
  g_assert_cmpuint (fit->iterations, <=, 15);
  synthetic_clear (&s);
}

/* nsw_dw: treat ~ age + education + black + hispanic + married + nodegree +
 * re74 + re75 equals statsmodels' Logit. */
static void
test_logistic_nsw_dw (void)
{
  g_autoptr(JsonParser) parser = load_fixture ("stats/logistic-nsw-dw.json");
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  g_autofree double *X = NULL, *t = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbLogisticFit) fit = NULL;
  gsize n, p;

  nsw_dw_design (&X, &t, NULL, &n, &p);
  g_assert_cmpuint (n, ==, 445);
  g_assert_cmpuint (n, ==, (gsize) json_object_get_int_member (root, "n"));
  fit = gb_logistic_fit (X, t, NULL, n, p, 0.0, &error);
  g_assert_no_error (error);
  assert_fit_matches (fit, obj_member (root, "logit"), 1e-6, "nsw_dw");
}

/* Frequency weights equal statsmodels' GLM(Binomial, freq_weights). */
static void
test_logistic_freq_weights (void)
{
  Synthetic s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbLogisticFit) fit = NULL;

  synthetic_load (&s);
  fit = gb_logistic_fit (s.X, s.y, s.w, s.n, s.p, 0.0, &error);
  g_assert_no_error (error);
  assert_fit_matches (fit, obj_member (s.root, "glm_freq_weights"), 1e-6, "freq weights");
  synthetic_clear (&s);
}

/* Axiom: integer frequency weights give the fit of the replicated rows. */
static void
test_logistic_weights_replicate (void)
{
  Synthetic s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbLogisticFit) a = NULL, b = NULL;
  GArray *Xr = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *yr = g_array_new (FALSE, FALSE, sizeof (double));

  synthetic_load (&s);
  for (gsize i = 0; i < s.n; i++)
    for (int r = 0; r < (int) s.w[i]; r++)
      {
        g_array_append_vals (Xr, s.X + i * s.p, s.p);
        g_array_append_val (yr, s.y[i]);
      }
  a = gb_logistic_fit (s.X, s.y, s.w, s.n, s.p, 0.0, &error);
  g_assert_no_error (error);
  b = gb_logistic_fit ((double *) Xr->data, (double *) yr->data, NULL, yr->len, s.p, 0.0, &error);
  g_assert_no_error (error);
  for (gsize j = 0; j < s.p; j++)
    {
      assert_rel (a->coef[j], b->coef[j], 1e-9, "weighted vs replicated coef", j);
      assert_rel (a->std_error[j], b->std_error[j], 1e-9, "weighted vs replicated SE", j);
    }
  assert_rel (a->log_likelihood, b->log_likelihood, 1e-12, "log-likelihood", 0);
  g_array_free (Xr, TRUE);
  g_array_free (yr, TRUE);
  synthetic_clear (&s);
}

/* Ridge (intercept unpenalised) equals sklearn LogisticRegression(C = 1/λ). */
static void
test_logistic_ridge (void)
{
  Synthetic s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbLogisticFit) fit = NULL;
  JsonObject *ridge;
  g_autofree double *coef = NULL;
  gsize p;

  synthetic_load (&s);
  ridge = obj_member (s.root, "ridge");
  coef = doubles_member (ridge, "coef", &p);
  fit = gb_logistic_fit (s.X, s.y, NULL, s.n, s.p, json_object_get_double_member (ridge, "l2"),
                         &error);
  g_assert_no_error (error);
  g_assert_true (fit->converged);
  for (gsize j = 0; j < p; j++)
    {
      assert_rel (fit->coef[j], coef[j], 1e-6, "ridge coef", j);
      g_assert_true (isnan (fit->std_error[j]));
    }
  synthetic_clear (&s);
}

/* predict() is the logistic function of Xβ. */
static void
test_logistic_predict (void)
{
  Synthetic s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbLogisticFit) fit = NULL;
  g_autofree double *prob = NULL;
  double ll = 0.0;

  synthetic_load (&s);
  fit = gb_logistic_fit (s.X, s.y, NULL, s.n, s.p, 0.0, &error);
  g_assert_no_error (error);
  prob = g_new (double, s.n);
  gb_logistic_predict (fit, s.X, s.n, prob);
  for (gsize i = 0; i < s.n; i++)
    {
      double eta = 0.0;
      for (gsize j = 0; j < s.p; j++)
        eta += s.X[i * s.p + j] * fit->coef[j];
      assert_rel (prob[i], 1.0 / (1.0 + exp (-eta)), 1e-14, "prob", i);
      ll += s.y[i] ? log (prob[i]) : log (1.0 - prob[i]);
    }
  /* The log-likelihood the fit reports is that of its own predictions. */
  assert_rel (fit->log_likelihood, ll, 1e-12, "log-likelihood", 0);
  synthetic_clear (&s);
}

/* Perfect separation is an error that says so, not a fit. */
static void
test_logistic_separation (void)
{
  double X[] = { 1, -2, 1, -1, 1, -0.5, 1, 0.5, 1, 1, 1, 2 };
  double y[] = { 0, 0, 0, 1, 1, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GbLogisticFit) fit = gb_logistic_fit (X, y, NULL, 6, 2, 0.0, &error);

  g_assert_null (fit);
  g_assert_error (error, GB_STATS_ERROR, GB_ERROR_NUMERIC);
  g_assert_nonnull (strstr (error->message, "separation"));

  /* A ridge penalty makes the same problem well posed. */
  g_clear_error (&error);
  fit = gb_logistic_fit (X, y, NULL, 6, 2, 1.0, &error);
  g_assert_no_error (error);
  g_assert_true (fit->converged);
  g_assert_cmpfloat (fit->coef[1], >, 0.0);
}

/* Collinear columns make X'WX singular: an error naming the cause. */
static void
test_logistic_collinear (void)
{
  double X[8 * 3];
  double y[] = { 0, 1, 0, 1, 1, 0, 1, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GbLogisticFit) fit = NULL;

  for (int i = 0; i < 8; i++)
    {
      X[i * 3] = 1.0;
      X[i * 3 + 1] = i;
      X[i * 3 + 2] = 2.0 * i + 1.0; /* = 2·x1 + intercept */
    }
  fit = gb_logistic_fit (X, y, NULL, 8, 3, 0.0, &error);
  g_assert_null (fit);
  g_assert_error (error, GB_STATS_ERROR, GB_ERROR_NUMERIC);
  g_assert_nonnull (strstr (error->message, "singular"));
}

static void
test_logistic_invalid (void)
{
  double X[] = { 1, 0, 1, 1, 1, 2 };
  double y[] = { 0, 2, 1 };
  double w[] = { 1, -1, 1 };
  double y_ok[] = { 0, 1, 1 };
  g_autoptr(GError) error = NULL;

  g_assert_null (gb_logistic_fit (X, y, NULL, 3, 2, 0.0, &error));
  g_assert_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (gb_logistic_fit (X, y_ok, w, 3, 2, 0.0, &error));
  g_assert_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (gb_logistic_fit (X, y_ok, NULL, 3, 2, -1.0, &error));
  g_assert_error (error, GB_STATS_ERROR, GB_ERROR_INVALID_ARGUMENT);
}

/* Intercept-only fit: β₀ = logit(ȳ), SE = 1/√(n ȳ(1 − ȳ)) (closed form). */
static void
test_logistic_intercept_only (void)
{
  double X[10], y[10];
  g_autoptr(GError) error = NULL;
  g_autoptr(GbLogisticFit) fit = NULL;

  for (int i = 0; i < 10; i++)
    {
      X[i] = 1.0;
      y[i] = i < 3 ? 1.0 : 0.0;
    }
  fit = gb_logistic_fit (X, y, NULL, 10, 1, 0.0, &error);
  g_assert_no_error (error);
  assert_rel (fit->coef[0], log (0.3 / 0.7), 1e-12, "logit(0.3)", 0);
  assert_rel (fit->std_error[0], 1.0 / sqrt (10 * 0.3 * 0.7), 1e-12, "SE", 0);
  assert_rel (fit->log_likelihood, 3 * log (0.3) + 7 * log (0.7), 1e-12, "ll", 0);
}

/* ---- metrics ------------------------------------------------------------ */

/* AUC and the ROC curve equal sklearn's on tied and untied scores. */
static void
test_metrics_roc_sklearn (void)
{
  g_autoptr(JsonParser) parser = load_fixture ("stats/roc.json");
  JsonObject *cases = obj_member (json_node_get_object (json_parser_get_root (parser)), "cases");
  g_autoptr(GList) names = json_object_get_members (cases);

  g_assert_cmpuint (g_list_length (names), >=, 3);
  for (GList *l = names; l; l = l->next)
    {
      JsonObject *c = json_object_get_object_member (cases, l->data);
      gsize n, n2, len_ref, len;
      g_autofree double *score = doubles_member (c, "score", &n);
      g_autofree double *y = doubles_member (c, "y", &n2);
      g_autofree double *fpr_ref = doubles_member (c, "fpr", &len_ref);
      g_autofree double *tpr_ref = doubles_member (c, "tpr", NULL);
      g_autofree double *fpr = NULL, *tpr = NULL;

      g_test_message ("case %s", (const char *) l->data);
      g_assert_cmpuint (n, ==, n2);
      assert_rel (gb_roc_auc (score, y, n), json_object_get_double_member (c, "auc"), 1e-12,
                  l->data, 0);
      gb_roc_curve (score, y, n, &fpr, &tpr, &len);
      g_assert_cmpuint (len, ==, len_ref);
      for (gsize k = 0; k < len; k++)
        {
          g_assert_cmpfloat_with_epsilon (fpr[k], fpr_ref[k], 1e-15);
          g_assert_cmpfloat_with_epsilon (tpr[k], tpr_ref[k], 1e-15);
        }
      g_assert_cmpfloat (gb_accuracy (score, y, n, 0.5), ==,
                         json_object_get_double_member (c, "accuracy_at_0.5"));
    }
}

/* Hand-computed: y = 0 1 0 1 1, scores .1 .4 .4 .8 .35; of the 6
 * positive–negative pairs 4 are won, 1 tied, 1 lost → AUC 4.5/6. */
static void
test_metrics_roc_auc_hand (void)
{
  double score[] = { 0.1, 0.4, 0.4, 0.8, 0.35 };
  double y[] = { 0, 1, 0, 1, 1 };
  double same[] = { 0.5, 0.5, 0.5, 0.5, 0.5 };
  double ones[] = { 1, 1, 1, 1, 1 };

  g_assert_cmpfloat (gb_roc_auc (score, y, 5), ==, 0.75);
  g_assert_cmpfloat (gb_roc_auc (same, y, 5), ==, 0.5);     /* all tied */
  g_assert_true (isnan (gb_roc_auc (score, ones, 5)));      /* one class */
  g_assert_cmpfloat (gb_accuracy (score, y, 5, 0.4), ==, 0.6);
}

/* Hanley–McNeil SE by hand.  The AUC 0.75 of test_metrics_roc_auc_hand
 * (n₁ = 3, n₀ = 2): Q₁ = 0.75/1.25 = 0.6, Q₂ = 2·0.5625/1.75 = 9/14, so
 * SE² = (0.1875 + 2·(0.6 − 0.5625) + 1·(9/14 − 0.5625)) / 6 = (12/35) / 6
 * = 2/35, and the upper end 0.75 + 1.96·0.239 is clamped to 1.  A = 0.9,
 * n₁ = n₀ = 50: Q₁ = 9/11, Q₂ = 1.62/1.9, SE² = (0.09 + 49·(9/11 − 0.81)
 * + 49·(1.62/1.9 − 0.81)) / 2500 = 0.00103194 (SE 0.0321). */
static void
test_metrics_roc_auc_ci (void)
{
  double lo, hi, se;

  se = gb_roc_auc_ci (0.75, 3, 2, 0.95, &lo, &hi);
  g_assert_cmpfloat_with_epsilon (se, sqrt (2.0 / 35.0), 1e-14);
  g_assert_cmpfloat_with_epsilon (lo, 0.75 - 1.959963984540054 * sqrt (2.0 / 35.0), 1e-12);
  g_assert_cmpfloat (hi, ==, 1.0);

  se = gb_roc_auc_ci (0.9, 50, 50, 0.95, &lo, &hi);
  double var = (0.09 + 49 * (9.0 / 11.0 - 0.81) + 49 * (1.62 / 1.9 - 0.81)) / 2500.0;
  g_assert_cmpfloat_with_epsilon (se, sqrt (var), 1e-14);
  g_assert_cmpfloat_with_epsilon (se, 0.03212386315081136, 1e-12);
  g_assert_cmpfloat_with_epsilon (lo, 0.8370383851801164, 1e-12);
  g_assert_cmpfloat_with_epsilon (hi, 0.9629616148198836, 1e-12);

  /* a perfect AUC has SE 0; undefined inputs give NAN */
  g_assert_cmpfloat_with_epsilon (gb_roc_auc_ci (1.0, 10, 10, 0.95, &lo, &hi), 0.0, 1e-15);
  g_assert_cmpfloat (lo, ==, 1.0);
  g_assert_true (isnan (gb_roc_auc_ci (NAN, 10, 10, 0.95, &lo, &hi)) && isnan (lo) && isnan (hi));
  g_assert_true (isnan (gb_roc_auc_ci (0.8, 0, 10, 0.95, NULL, NULL)));
}

/* Φ and Φ⁻¹ against published table values. */
static void
test_metrics_normal (void)
{
  g_assert_cmpfloat_with_epsilon (gb_normal_quantile (0.975), 1.959963984540054, 1e-12);
  g_assert_cmpfloat_with_epsilon (gb_normal_quantile (0.5), 0.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (gb_normal_quantile (0.05), -1.6448536269514722, 1e-12);
  g_assert_cmpfloat_with_epsilon (gb_normal_two_sided_p (1.959963984540054), 0.05, 1e-12);
  g_assert_cmpfloat_with_epsilon (gb_normal_two_sided_p (-2.5758293035489004), 0.01, 1e-12);
  g_assert_cmpfloat_with_epsilon (gb_normal_two_sided_p (0.0), 1.0, 1e-15);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/stats/logistic/statsmodels", test_logistic_statsmodels);
  g_test_add_func ("/engine/stats/logistic/nsw-dw", test_logistic_nsw_dw);
  g_test_add_func ("/engine/stats/logistic/freq-weights", test_logistic_freq_weights);
  g_test_add_func ("/engine/stats/logistic/weights-replicate", test_logistic_weights_replicate);
  g_test_add_func ("/engine/stats/logistic/ridge", test_logistic_ridge);
  g_test_add_func ("/engine/stats/logistic/predict", test_logistic_predict);
  g_test_add_func ("/engine/stats/logistic/intercept-only", test_logistic_intercept_only);
  g_test_add_func ("/engine/stats/logistic/separation", test_logistic_separation);
  g_test_add_func ("/engine/stats/logistic/collinear", test_logistic_collinear);
  g_test_add_func ("/engine/stats/logistic/invalid", test_logistic_invalid);
  g_test_add_func ("/engine/stats/metrics/roc-sklearn", test_metrics_roc_sklearn);
  g_test_add_func ("/engine/stats/metrics/roc-auc-hand", test_metrics_roc_auc_hand);
  g_test_add_func ("/engine/stats/metrics/roc-auc-ci", test_metrics_roc_auc_ci);
  g_test_add_func ("/engine/stats/metrics/normal", test_metrics_normal);

  return g_test_run ();
}
