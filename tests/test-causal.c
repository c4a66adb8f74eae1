/* test-causal.c — difference in means and inverse-propensity weighting.
 *
 * References: the published nsw_dw experimental benchmark
 * (data/examples/lalonde/PROVENANCE.md: ATE 1794.34, SE 632.9 pooled /
 * 671.0 Welch); tests/data/causal/nsw-dw.json written by
 * tests/reference/causal_reference.py (scipy t tests; statsmodels Logit; the
 * stacked M-estimation sandwich computed from full matrices in numpy); and
 * exact identities on a simulated randomized experiment.
 */
#include "gb-config.h"
#include "gb-causal.h"
#include "gb-logistic.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

static char *
data_path (const char *rel)
{
  const char *dir = g_getenv ("GB_TEST_DATA");
  if (dir == NULL)
    return g_build_filename (GB_SOURCE_DIR, "tests", "data", rel, NULL);
  return g_build_filename (dir, rel, NULL);
}

static JsonParser *
load_fixture (const char *rel)
{
  g_autofree char *path = data_path (rel);
  g_autoptr(GError) error = NULL;
  JsonParser *parser = json_parser_new ();
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return parser;
}

static JsonObject *
obj_member (JsonObject *o, const char *name)
{
  g_assert_true (json_object_has_member (o, name));
  return json_object_get_object_member (o, name);
}

/* (transfer full) the numbers of an array member; *len set when non-NULL. */
static double *
doubles_member (JsonObject *o, const char *name, gsize *len)
{
  JsonArray *a;
  double *v;
  guint n;
  g_assert_true (json_object_has_member (o, name));
  a = json_object_get_array_member (o, name);
  n = json_array_get_length (a);
  v = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    v[i] = json_array_get_double_element (a, i);
  if (len)
    *len = n;
  return v;
}

static void
assert_rel (double got, double want, double tol, const char *what, gsize idx)
{
  double err = fabs (got - want) / MAX (fabs (want), 1e-300);
  if (!(err <= tol))
    g_error ("%s[%" G_GSIZE_FORMAT "]: got %.17g, want %.17g (relative error %.3g > %.3g)",
             what, idx, got, want, err, tol);
}

/* Tiny CSV reader for data/examples/lalonde/nsw_dw.csv (no quotes, header
 * row): returns the requested columns as a (n, n_cols) row-major matrix. */
static double *
read_numeric_csv (const char *path, const char *const *cols, guint n_cols, gsize *out_n)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_autofree int *idx = g_new (int, n_cols);
  GArray *vals = g_array_new (FALSE, FALSE, sizeof (double));
  gsize n = 0;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  header = g_strsplit (g_strchomp (lines[0]), ",", -1);
  for (guint c = 0; c < n_cols; c++)
    {
      idx[c] = -1;
      for (int h = 0; header[h]; h++)
        if (g_strcmp0 (header[h], cols[c]) == 0)
          idx[c] = h;
      g_assert_cmpint (idx[c], >=, 0);
    }
  for (int l = 1; lines[l]; l++)
    {
      g_auto(GStrv) f = NULL;
      g_strchomp (lines[l]);
      if (lines[l][0] == '\0')
        continue;
      f = g_strsplit (lines[l], ",", -1);
      for (guint c = 0; c < n_cols; c++)
        {
          char *end = NULL;
          double v;
          g_assert_cmpuint (g_strv_length (f), >, (guint) idx[c]);
          v = g_ascii_strtod (f[idx[c]], &end);
          g_assert_true (end != f[idx[c]] && *end == '\0');
          g_array_append_val (vals, v);
        }
      n++;
    }
  *out_n = n;
  return (double *) g_array_free (vals, FALSE);
}

static const char *const nsw_covariates[] = {
  "age", "education", "black", "hispanic", "married", "nodegree", "re74", "re75",
};

/* nsw_dw design (intercept + 8 covariates) and treatment. */
static void
nsw_dw_design (double **out_X, double **out_t, double **out_y, gsize *out_n, gsize *out_p)
{
  const char *cols[] = { "treat", "age", "education", "black", "hispanic", "married",
                         "nodegree", "re74", "re75", "re78" };
  const char *src = g_getenv ("GB_SOURCE_DIR");
  g_autofree char *path = g_build_filename (src ? src : GB_SOURCE_DIR, "data", "examples",
                                            "lalonde", "nsw_dw.csv", NULL);
  gsize n, p = 1 + G_N_ELEMENTS (nsw_covariates);
  g_autofree double *raw = read_numeric_csv (path, cols, G_N_ELEMENTS (cols), &n);
  double *X = g_new (double, n * p), *t = g_new (double, n), *y = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    {
      const double *r = raw + i * G_N_ELEMENTS (cols);
      t[i] = r[0];
      X[i * p] = 1.0;
      for (gsize j = 1; j < p; j++)
        X[i * p + j] = r[j];
      y[i] = r[9];
    }
  *out_X = X;
  *out_t = t;
  if (out_y)
    *out_y = y;
  else
    g_free (y);
  *out_n = n;
  *out_p = p;
}

/* ---- difference in means ------------------------------------------------ */

typedef struct {
  double *X, *t, *y;
  gsize n, p;
  JsonParser *parser;
  JsonObject *ref;
} Nsw;

static void
nsw_load (Nsw *d)
{
  nsw_dw_design (&d->X, &d->t, &d->y, &d->n, &d->p);
  g_assert_cmpuint (d->n, ==, 445);
  d->parser = load_fixture ("causal/nsw-dw.json");
  d->ref = json_node_get_object (json_parser_get_root (d->parser));
  g_assert_cmpuint (d->n, ==, (gsize) json_object_get_int_member (d->ref, "n"));
}

static void
nsw_clear (Nsw *d)
{
  g_free (d->X);
  g_free (d->t);
  g_free (d->y);
  g_object_unref (d->parser);
}

static void
assert_estimate_matches (const GbEstimate *est, JsonObject *ref, double tol, const char *what)
{
  assert_rel (est->estimate, json_object_get_double_member (ref, "estimate"), tol, what, 0);
  assert_rel (est->std_error, json_object_get_double_member (ref, "std_error"), tol, what, 1);
  assert_rel (est->ci_low, json_object_get_double_member (ref, "ci_low"), tol, what, 2);
  assert_rel (est->ci_high, json_object_get_double_member (ref, "ci_high"), tol, what, 3);
  assert_rel (est->p_value, json_object_get_double_member (ref, "p_value"), 1e-6, what, 4);
}

/* The published experimental benchmark on nsw_dw (PROVENANCE.md), and the
 * t-test p-values and t intervals of scipy.stats.ttest_ind. */
static void
test_nsw_difference_in_means (void)
{
  Nsw d;
  GbEstimate pooled, welch;
  g_autoptr(GError) error = NULL;
  JsonObject *naive;

  nsw_load (&d);
  g_assert_true (gb_causal_difference_in_means (d.y, d.t, d.n, FALSE, &pooled, &error));
  g_assert_no_error (error);
  g_assert_true (gb_causal_difference_in_means (d.y, d.t, d.n, TRUE, &welch, &error));
  g_assert_no_error (error);

  /* Published figures. */
  g_assert_cmpfloat_with_epsilon (pooled.estimate, 1794.34, 0.005 + 1e-9);
  g_assert_cmpfloat_with_epsilon (welch.estimate, 1794.34, 0.005 + 1e-9);
  g_assert_cmpfloat_with_epsilon (pooled.std_error, 632.9, 0.05 + 1e-9);
  g_assert_cmpfloat_with_epsilon (welch.std_error, 671.0, 0.05 + 1e-9);

  g_assert_cmpstr (pooled.method, ==, "naive");
  g_assert_cmpstr (pooled.estimand, ==, "ATE");
  g_assert_cmpstr (pooled.se_method, ==, "pooled");
  g_assert_cmpstr (welch.se_method, ==, "welch");
  g_assert_cmpuint (pooled.n_used, ==, 445);

  /* scipy. */
  naive = obj_member (d.ref, "naive");
  assert_estimate_matches (&pooled, obj_member (naive, "pooled"), 1e-9, "pooled");
  assert_estimate_matches (&welch, obj_member (naive, "welch"), 1e-9, "welch");

  gb_estimate_clear (&pooled);
  gb_estimate_clear (&welch);
  g_assert_null (pooled.method);
  nsw_clear (&d);
}

/* NaN rows are skipped: adding them changes nothing. */
static void
test_difference_in_means_missing (void)
{
  double y[] = { 1, 2, 3, NAN, 10, 12, 11, 5 };
  double t[] = { 0, 0, 0, 1, 1, 1, 1, NAN };
  double y2[] = { 1, 2, 3, 10, 12, 11 };
  double t2[] = { 0, 0, 0, 1, 1, 1 };
  GbEstimate a, b;
  g_autoptr(GError) error = NULL;

  g_assert_true (gb_causal_difference_in_means (y, t, 8, TRUE, &a, &error));
  g_assert_true (gb_causal_difference_in_means (y2, t2, 6, TRUE, &b, &error));
  g_assert_no_error (error);
  /* Hand: ȳ₁ = 11, ȳ₀ = 2, s₁² = s₀² = 1 → SE = √(1/3 + 1/3). */
  g_assert_cmpfloat (a.estimate, ==, 9.0);
  g_assert_cmpfloat_with_epsilon (a.std_error, sqrt (2.0 / 3.0), 1e-14);
  g_assert_cmpfloat (a.estimate, ==, b.estimate);
  g_assert_cmpfloat (a.std_error, ==, b.std_error);
  g_assert_cmpuint (a.n_used, ==, 6);
  gb_estimate_clear (&a);
  gb_estimate_clear (&b);
}

static void
test_difference_in_means_errors (void)
{
  double y[] = { 1, 2, 3, 4 };
  double t_one[] = { 0, 0, 0, 1 };
  double t_bad[] = { 0, 0.5, 1, 1 };
  GbEstimate e;
  g_autoptr(GError) error = NULL;

  g_assert_false (gb_causal_difference_in_means (y, t_one, 4, TRUE, &e, &error));
  g_assert_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (gb_causal_difference_in_means (y, t_bad, 4, FALSE, &e, &error));
  g_assert_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT);
}

/* ---- IPW ------------------------------------------------------------------ */

/* Horvitz–Thompson on nsw_dw: estimate and stacked-sandwich SE equal the
 * numpy M-estimation reference; the propensity equals statsmodels'. */
static void
test_nsw_ipw (void)
{
  Nsw d;
  GbEstimate est;
  g_autoptr(GError) error = NULL;
  g_autofree double *e = NULL, *e_ref = NULL;
  gsize len;
  JsonObject *ref;

  nsw_load (&d);
  e = g_new (double, d.n);
  g_assert_true (gb_causal_ipw (d.y, d.t, d.X, d.n, d.p, FALSE, &est, e, &error));
  g_assert_no_error (error);
  ref = obj_member (d.ref, "ipw");
  g_test_message ("HT: %.6f (SE %.6f)", est.estimate, est.std_error);
  assert_estimate_matches (&est, ref, 1e-6, "ipw");
  g_assert_cmpstr (est.method, ==, "ipw");
  g_assert_cmpstr (est.estimand, ==, "ATE");
  g_assert_cmpstr (est.se_method, ==, "sandwich (M-estimation, propensity estimated)");
  g_assert_cmpuint (est.n_used, ==, 445);
  /* Estimating the propensity changes the SE (here it shrinks it). */
  g_assert_cmpfloat (fabs (est.std_error
                           - json_object_get_double_member (ref, "std_error_if_propensity_known")),
                     >, 100.0);

  e_ref = doubles_member (d.ref, "propensity_first5", &len);
  for (gsize i = 0; i < len; i++)
    assert_rel (e[i], e_ref[i], 1e-8, "propensity", i);
  gb_estimate_clear (&est);
  nsw_clear (&d);
}

/* Hájek on nsw_dw against the numpy M-estimation reference. */
static void
test_nsw_ipw_hajek (void)
{
  Nsw d;
  GbEstimate est;
  g_autoptr(GError) error = NULL;

  nsw_load (&d);
  g_assert_true (gb_causal_ipw (d.y, d.t, d.X, d.n, d.p, TRUE, &est, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("Hajek: %.6f (SE %.6f)", est.estimate, est.std_error);
  assert_estimate_matches (&est, obj_member (d.ref, "ipw_hajek"), 1e-6, "ipw_hajek");
  g_assert_cmpstr (est.method, ==, "ipw_hajek");
  gb_estimate_clear (&est);
  nsw_clear (&d);
}

static double
gauss (GRand *r)
{
  /* Box–Muller. */
  double u1 = g_rand_double (r), u2 = g_rand_double (r);
  return sqrt (-2.0 * log (1.0 - u1)) * cos (2.0 * G_PI * u2);
}

/* A randomized experiment: treatment independent of x, P(t = 1) = 0.4. */
static void
simulate_randomized (gsize n, double **X, double **t, double **y)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (20240501);
  *X = g_new (double, n * 3);
  *t = g_new (double, n);
  *y = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    {
      double x1 = gauss (r), x2 = g_rand_double (r) < 0.3 ? 1.0 : 0.0;
      (*X)[i * 3] = 1.0;
      (*X)[i * 3 + 1] = x1;
      (*X)[i * 3 + 2] = x2;
      (*t)[i] = g_rand_double (r) < 0.4 ? 1.0 : 0.0;
      (*y)[i] = 2.0 + 1.5 * (*t)[i] + x1 - 0.5 * x2 + gauss (r);
    }
}

/* With an intercept-only propensity model ê = n₁/n for every row, so both
 * HT and Hájek reduce exactly to ȳ₁ − ȳ₀, and the Hájek sandwich variance to
 * Σ₁(y − ȳ₁)²/n₁² + Σ₀(y − ȳ₀)²/n₀² (Welch's with 1/n variances). */
static void
test_ipw_randomized_intercept_only (void)
{
  const gsize n = 1000;
  g_autofree double *X = NULL, *t = NULL, *y = NULL, *X1 = g_new (double, n);
  g_autofree double *e = g_new (double, n);
  GbEstimate naive, ht, hj;
  g_autoptr(GError) error = NULL;
  double n1 = 0, m1 = 0, m0 = 0, ss1 = 0, ss0 = 0;

  simulate_randomized (n, &X, &t, &y);
  for (gsize i = 0; i < n; i++)
    X1[i] = 1.0;
  g_assert_true (gb_causal_difference_in_means (y, t, n, TRUE, &naive, &error));
  g_assert_true (gb_causal_ipw (y, t, X1, n, 1, FALSE, &ht, e, &error));
  g_assert_true (gb_causal_ipw (y, t, X1, n, 1, TRUE, &hj, NULL, &error));
  g_assert_no_error (error);

  for (gsize i = 0; i < n; i++)
    {
      n1 += t[i];
      m1 += t[i] * y[i];
      m0 += (1 - t[i]) * y[i];
    }
  m1 /= n1;
  m0 /= (n - n1);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat_with_epsilon (e[i], n1 / n, 1e-12);
      if (t[i])
        ss1 += (y[i] - m1) * (y[i] - m1);
      else
        ss0 += (y[i] - m0) * (y[i] - m0);
    }
  assert_rel (ht.estimate, naive.estimate, 1e-10, "HT = difference in means", 0);
  assert_rel (hj.estimate, naive.estimate, 1e-10, "Hajek = difference in means", 0);
  assert_rel (hj.std_error, sqrt (ss1 / (n1 * n1) + ss0 / ((n - n1) * (n - n1))), 1e-10,
              "Hajek SE", 0);
  gb_estimate_clear (&naive);
  gb_estimate_clear (&ht);
  gb_estimate_clear (&hj);
}

/* With covariates in the propensity model of a randomized experiment the
 * fitted scores are near constant and both estimators stay close to the
 * difference in means (within one of its SEs) and to the truth 1.5.  They
 * correct the chance imbalance in the prognostic x₁, so their sandwich SE is
 * below the unadjusted one (Williamson, Forbes & White 2014, Stat Med
 * 33:721: IPW with an estimated propensity in a randomized trial is at least
 * as efficient as the difference in means). */
static void
test_ipw_randomized_covariates (void)
{
  const gsize n = 4000;
  g_autofree double *X = NULL, *t = NULL, *y = NULL;
  GbEstimate naive, ht, hj;
  g_autoptr(GError) error = NULL;

  simulate_randomized (n, &X, &t, &y);
  g_assert_true (gb_causal_difference_in_means (y, t, n, TRUE, &naive, &error));
  g_assert_true (gb_causal_ipw (y, t, X, n, 3, FALSE, &ht, NULL, &error));
  g_assert_true (gb_causal_ipw (y, t, X, n, 3, TRUE, &hj, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("naive %.4f (%.4f)  HT %.4f (%.4f)  Hajek %.4f (%.4f)", naive.estimate,
                  naive.std_error, ht.estimate, ht.std_error, hj.estimate, hj.std_error);
  g_assert_cmpfloat (fabs (ht.estimate - naive.estimate), <, naive.std_error);
  g_assert_cmpfloat (fabs (hj.estimate - naive.estimate), <, naive.std_error);
  g_assert_cmpfloat (ht.std_error, <, naive.std_error);
  g_assert_cmpfloat (hj.std_error, <, naive.std_error);
  g_assert_cmpfloat (fabs (hj.estimate - 1.5), <, 3 * hj.std_error);
  g_assert_cmpfloat (fabs (ht.estimate - 1.5), <, 3 * ht.std_error);
  gb_estimate_clear (&naive);
  gb_estimate_clear (&ht);
  gb_estimate_clear (&hj);
}

/* A covariate that separates treated from controls leaves no overlap: an
 * error, not infinite weights. */
static void
test_ipw_no_overlap (void)
{
  double X[] = { 1, 0, 1, 1, 1, 2, 1, 3, 1, 4, 1, 5 };
  double t[] = { 0, 0, 0, 1, 1, 1 };
  double y[] = { 1, 2, 3, 4, 5, 6 };
  GbEstimate est;
  g_autoptr(GError) error = NULL;

  g_assert_false (gb_causal_ipw (y, t, X, 6, 2, FALSE, &est, NULL, &error));
  g_assert_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC);
  g_test_message ("%s", error->message);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/causal/nsw-dw/difference-in-means", test_nsw_difference_in_means);
  g_test_add_func ("/engine/causal/nsw-dw/ipw", test_nsw_ipw);
  g_test_add_func ("/engine/causal/nsw-dw/ipw-hajek", test_nsw_ipw_hajek);
  g_test_add_func ("/engine/causal/difference-in-means/missing", test_difference_in_means_missing);
  g_test_add_func ("/engine/causal/difference-in-means/errors", test_difference_in_means_errors);
  g_test_add_func ("/engine/causal/ipw/randomized-intercept-only",
                   test_ipw_randomized_intercept_only);
  g_test_add_func ("/engine/causal/ipw/randomized-covariates", test_ipw_randomized_covariates);
  g_test_add_func ("/engine/causal/ipw/no-overlap", test_ipw_no_overlap);

  return g_test_run ();
}
