/* test-lime.c — LIME's K-feature selection (auto, highest_weights,
 * forward_selection) against lime's own code run with scikit-learn
 * (tests/reference/lime_selection_reference.py → tests/data/explain/
 * lime-selection.json), and forward selection on a linear model, whose
 * true non-zero features and their signs and order are known. */
#include "gb-config.h"
#include "glassbox-engine.h"

#include <json-glib/json-glib.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

static char *
data_path (const char *name)
{
  const char *d = g_getenv ("GB_TEST_DATA");
  if (d)
    return g_build_filename (d, "explain", name, NULL);
  const char *src = g_getenv ("GB_SOURCE_DIR");
  return g_build_filename (src ? src : GB_SOURCE_DIR, "tests", "data", "explain", name, NULL);
}

/* The selections of lime 0.2.0.1's feature_selection (sklearn Ridge) on a
 * fixed data set whose greedy R² path differs from the ridge-weight
 * ranking (K = 3…7), for every method and K = 1…M. */
static void
test_selection_reference (void)
{
  g_autofree char *path = data_path ("lime-selection.json");
  g_autoptr(JsonParser) p = json_parser_new ();
  GError *error = NULL;
  g_assert_true (json_parser_load_from_file (p, path, &error));
  g_assert_no_error (error);
  JsonObject *fx = json_node_get_object (json_parser_get_root (p));
  const guint n = json_object_get_int_member (fx, "n"), M = json_object_get_int_member (fx, "M");
  JsonArray *Za = json_object_get_array_member (fx, "Z");
  JsonArray *ya = json_object_get_array_member (fx, "y");
  JsonArray *wa = json_object_get_array_member (fx, "w");
  JsonArray *cases = json_object_get_array_member (fx, "cases");
  g_autofree double *Z = g_new (double, (gsize) n * M);
  g_autofree double *y = g_new (double, n);
  g_autofree double *w = g_new (double, n);
  g_autofree guint *sel = g_new (guint, M);
  guint differ = 0;

  g_assert_cmpuint (json_array_get_length (Za), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonArray *r = json_array_get_array_element (Za, i);
      for (guint j = 0; j < M; j++)
        Z[i * M + j] = json_array_get_double_element (r, j);
      y[i] = json_array_get_double_element (ya, i);
      w[i] = json_array_get_double_element (wa, i);
    }
  g_assert_cmpuint (json_array_get_length (cases), ==, 3 * M);
  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *cs = json_array_get_object_element (cases, c);
      const char *name = json_object_get_string_member (cs, "method");
      const guint K = json_object_get_int_member (cs, "K");
      JsonArray *want = json_object_get_array_member (cs, "selected");
      GbLimeSelection method;
      g_assert_true (gb_lime_selection_from_string (name, &method, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (gb_lime_selection_to_string (method), ==, name);
      g_assert_true (gb_lime_select_features (Z, M, y, w, n, K, method, sel));
      g_assert_cmpuint (json_array_get_length (want), ==, K);
      for (guint k = 0; k < K; k++)
        g_assert_cmpuint (sel[k], ==, json_array_get_int_element (want, k));
    }
  /* the fixture does tell the two rules apart */
  for (guint K = 1; K <= M; K++)
    {
      g_autofree guint *a = g_new (guint, K);
      g_autofree guint *b = g_new (guint, K);
      g_assert_true (gb_lime_select_features (Z, M, y, w, n, K, GB_LIME_SELECTION_FORWARD, a));
      g_assert_true (gb_lime_select_features (Z, M, y, w, n, K, GB_LIME_SELECTION_HIGHEST_WEIGHTS, b));
      differ += gb_jaccard (a, K, b, K) < 1.0;
    }
  g_assert_cmpuint (differ, >, 0);
  g_test_message ("forward selection and highest weights choose different sets for %u of %u K", differ, M);
}

static void
test_selection_names (void)
{
  GbLimeSelection s = GB_LIME_SELECTION_FORWARD;
  GError *error = NULL;
  g_assert_false (gb_lime_selection_from_string ("forward", &s, &error));
  g_assert_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“forward”"));
  g_assert_nonnull (strstr (error->message, "forward_selection"));
  g_clear_error (&error);
  GbLimeOptions o;
  gb_lime_options_init_default (&o);
  g_assert_cmpint (o.selection, ==, GB_LIME_SELECTION_AUTO);   /* lime's default */
}

/* ------------------------------------------------------------------ linear */

/* f(z) = Σ wⱼ zⱼ; token 0 is a dummy [CLS], unit j is token j + 1, C = 1 */
typedef struct {
  guint M;
  double w[8];
} Linear;

static void
linear_forward (const GbExplainTarget *t, const float *emb, gsize B, double *out)
{
  const Linear *l = t->user_data;
  for (gsize i = 0; i < B; i++)
    {
      double s = 0;
      for (guint j = 0; j < l->M; j++)
        s += l->w[j] * emb[i * t->T + 1 + j];
      out[i] = s;
    }
}

/* With independent, identically distributed features and x in the top
 * quartile of each, LIME with forward selection and K = 4 keeps exactly
 * the four features of non-zero weight, with their signs, ordered as
 * |w|; the other rules pick the same set here, and the run says which
 * rule it used. */
static void
test_forward_linear (void)
{
  Linear lin = { 8, { 0, 1.2, 0, -0.9, 0, 0.6, -0.35, 0 } };
  const guint M = 8, P = 400, K = 4;
  GbExplainTarget t = { 0 };
  GError *error = NULL;
  g_autofree float *pool = g_new (float, P * (M + 1));
  g_autofree gint32 *pool_bins = g_new (gint32, P * M);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  float xe[9];
  gint32 xb[8];

  t.T = M + 1;
  t.C = 1;
  t.first_unit = 1;
  t.n_units = M;
  t.forward = linear_forward;
  t.user_data = &lin;
  gsl_rng_set (rng, 23);
  for (guint i = 0; i < P; i++)
    {
      pool[i * (M + 1)] = 7.0f;
      for (guint j = 0; j < M; j++)
        {
          const double z = gsl_ran_gaussian (rng, 1.0);
          /* quartiles of N(0, 1): ±0.6745, 0 */
          pool_bins[i * M + j] = z <= -0.6745 ? 0 : z <= 0 ? 1 : z <= 0.6745 ? 2 : 3;
          pool[i * (M + 1) + 1 + j] = (float) z;
        }
    }
  gsl_rng_free (rng);
  xe[0] = 7.0f;
  for (guint j = 0; j < M; j++)
    {
      xe[1 + j] = 1.5f;
      xb[j] = 3;
    }

  const GbLimeSelection rules[] = { GB_LIME_SELECTION_FORWARD, GB_LIME_SELECTION_AUTO,
                                    GB_LIME_SELECTION_HIGHEST_WEIGHTS };
  for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
    {
      GbLimeOptions o;
      gb_lime_options_init_default (&o);
      o.n_samples = 2000;
      o.n_features = K;
      o.n_seeds = 3;
      o.selection = rules[r];
      g_autoptr(GbExplanation) e = gb_lime (&t, xe, xb, NULL, 1, pool, pool_bins, P, NULL, &o,
                                            NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      const double *v = e->rows[0].values;
      for (guint j = 0; j < M; j++)
        {
          g_assert_cmpint (v[j] != 0, ==, lin.w[j] != 0);
          if (lin.w[j] != 0)
            g_assert_cmpint (v[j] > 0, ==, lin.w[j] > 0);
        }
      /* order of |w|: 1, 3, 5, 6 */
      g_assert_cmpfloat (fabs (v[1]), >, fabs (v[3]));
      g_assert_cmpfloat (fabs (v[3]), >, fabs (v[5]));
      g_assert_cmpfloat (fabs (v[5]), >, fabs (v[6]));
      g_assert_cmpfloat (e->stability, ==, 1.0);
      g_assert_cmpfloat (e->rows[0].fidelity_r2, >, 0.5);
      g_assert_nonnull (strstr (e->description,
                                rules[r] == GB_LIME_SELECTION_HIGHEST_WEIGHTS ? "highest_weights"
                                                                              : "forward_selection"));
      g_test_message ("LIME %s, K = %u on a linear model: weighted R² %.3f",
                      gb_lime_selection_to_string (rules[r]), K, e->rows[0].fidelity_r2);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/explain/lime/selection/reference", test_selection_reference);
  g_test_add_func ("/engine/explain/lime/selection/names", test_selection_names);
  g_test_add_func ("/engine/explain/lime/selection/forward-linear", test_forward_linear);
  return g_test_run ();
}
