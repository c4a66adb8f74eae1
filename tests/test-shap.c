/* test-shap.c — KernelSHAP, LIME, gradient × input, occlusion, attention
 * rollout, TCAV and faithfulness against independent references: the
 * Shapley formula enumerated here, a Python fixture
 * (tests/reference/explain_reference.py), linear-model axioms, and
 * planted concepts. */
#include "gb-config.h"
#include "glassbox-engine.h"

#include <json-glib/json-glib.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

static JsonObject *fixture;

static char *
data_path (const char *name)
{
  const char *d = g_getenv ("GB_TEST_DATA");
  if (d)
    return g_build_filename (d, "explain", name, NULL);
  const char *src = g_getenv ("GB_SOURCE_DIR");
  return g_build_filename (src ? src : GB_SOURCE_DIR, "tests", "data", "explain", name, NULL);
}

static void
load_fixture (void)
{
  g_autofree char *path = data_path ("shapley.json");
  g_autoptr(JsonParser) p = json_parser_new ();
  GError *error = NULL;
  g_assert_true (json_parser_load_from_file (p, path, &error));
  g_assert_no_error (error);
  fixture = json_object_ref (json_node_get_object (json_parser_get_root (p)));
}

static double
jnum (JsonArray *a, guint i)
{
  return json_array_get_double_element (a, i);
}

/* ---------------------------------------------------------- pure targets */

/* Layout shared by the pure functions: token 0 is a dummy [CLS] (value 7,
 * ignored), unit j is token j + 1, C = 1. */
typedef struct {
  guint M;
  double w[16];
  /* nonlinear fixture function (explain_reference.py) when TRUE */
  gboolean fixture_fn;
  double a, b, c, d, e;
  /* chain interactions u_j z_j z_{j+1} when TRUE */
  gboolean chain;
  double u[16];
} PureFn;

static double
pure_eval (const PureFn *p, const float *z /* (M) */)
{
  double s = 0;
  for (guint j = 0; j < p->M; j++)
    s += p->w[j] * z[j];
  if (p->fixture_fn)
    {
      s += p->a * z[0] * z[1] + p->b * z[2] * z[3] + p->c * z[4] * z[4] + p->d * z[1] * z[5] + p->e;
      return 1.0 / (1.0 + exp (-s));
    }
  if (p->chain)
    {
      for (guint j = 0; j + 1 < p->M; j++)
        s += p->u[j] * z[j] * z[j + 1];
      return 1.0 / (1.0 + exp (-s));
    }
  return s;
}

static void
pure_forward (const GbExplainTarget *t, const float *emb, gsize B, double *out)
{
  const PureFn *p = t->user_data;
  for (gsize i = 0; i < B; i++)
    {
      g_assert_cmpfloat (emb[i * t->T], ==, 7.0f);   /* [CLS] is never substituted */
      out[i] = pure_eval (p, emb + i * t->T + 1);
    }
}

/* Gradient of the linear function (w) or of the fixture function. */
static void
pure_gradient (const GbExplainTarget *t, const float *emb, gsize B, double *out, float *grad)
{
  const PureFn *p = t->user_data;
  pure_forward (t, emb, B, out);
  for (gsize i = 0; i < B; i++)
    {
      const float *z = emb + i * t->T + 1;
      float *g = grad + i * t->T;
      double k = 1.0;
      g[0] = 0;
      if (p->fixture_fn)
        k = out[i] * (1.0 - out[i]);
      for (guint j = 0; j < p->M; j++)
        g[j + 1] = (float) (k * p->w[j]);
      if (p->fixture_fn)
        {
          g[1] += k * p->a * z[1];
          g[2] += k * (p->a * z[0] + p->d * z[5]);
          g[3] += k * p->b * z[3];
          g[4] += k * p->b * z[2];
          g[5] += k * 2 * p->c * z[4];
          g[6] += k * p->d * z[1];
        }
    }
}

static void
pure_target (GbExplainTarget *t, PureFn *p)
{
  memset (t, 0, sizeof *t);
  t->T = p->M + 1;
  t->C = 1;
  t->first_unit = 1;
  t->n_units = p->M;
  t->forward = pure_forward;
  t->gradient = pure_gradient;
  t->user_data = p;
}

static void
put_row (float *dst, const double *z, guint M)
{
  dst[0] = 7.0f;
  for (guint j = 0; j < M; j++)
    dst[j + 1] = (float) z[j];
}

/* A linear function f = Σ wⱼ zⱼ with 6 units and an independent background
 * of 40 rows (values multiples of 1/4). */
static PureFn linear = { 6, { 0.9, -0.6, 0.45, 0.3, -0.15, 0.05 } };

static GbBackground *
linear_background (double *mean /* (M) */)
{
  const guint M = linear.M, N = 40;
  g_autofree float *emb = g_new (float, N * (M + 1));
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, 3);
  memset (mean, 0, M * sizeof (double));
  for (guint i = 0; i < N; i++)
    {
      double z[16];
      for (guint j = 0; j < M; j++)
        {
          z[j] = 0.25 * ((int) gsl_rng_uniform_int (rng, 17) - 8);
          mean[j] += z[j] / N;
        }
      put_row (emb + i * (M + 1), z, M);
    }
  gsl_rng_free (rng);
  return gb_background_new (emb, NULL, NULL, N, M + 1, 1, "linear test background");
}

/* ---------------------------------------------------------- KernelSHAP */

/* Linear model, independent background: φⱼ = wⱼ (xⱼ − E[xⱼ]) exactly
 * (Lundberg & Lee 2017, Corollary 1 with interventional expectations). */
static void
test_shap_linear (void)
{
  GbExplainTarget t;
  double mean[6];
  const double x[6] = { 1.5, -2.0, 0.25, 1.0, -0.5, 2.0 };
  float xe[7];
  GError *error = NULL;

  pure_target (&t, &linear);
  g_autoptr(GbBackground) bg = linear_background (mean);
  put_row (xe, x, 6);
  for (int mode = GB_KERNEL_SHAP_EXACT; mode <= GB_KERNEL_SHAP_SAMPLED; mode++)
    {
      GbKernelShapOptions o;
      gb_kernel_shap_options_init_default (&o);
      o.mode = mode;
      o.n_samples = 64;
      g_autoptr(GbExplanation) e = gb_kernel_shap (&t, xe, NULL, 1, bg, NULL, &o, NULL, NULL,
                                                   NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (e->exact, ==, mode == GB_KERNEL_SHAP_EXACT);
      for (guint j = 0; j < 6; j++)
        /* a linear game is fit exactly by any coalition sample */
        g_assert_cmpfloat (fabs (e->rows[0].values[j] - linear.w[j] * (x[j] - mean[j])), <, 1e-9);
      g_assert_cmpfloat (e->rows[0].completeness_residual, <, 1e-12);
    }
}

/* Exact KernelSHAP = the Shapley values of the Python fixture
 * (itertools enumeration of the Shapley formula, weighted background). */
static void
test_shap_fixture (void)
{
  PureFn fn = { 6 };
  JsonArray *w = json_object_get_array_member (fixture, "weights");
  JsonArray *xa = json_object_get_array_member (fixture, "x");
  JsonArray *bga = json_object_get_array_member (fixture, "background");
  JsonArray *bwa = json_object_get_array_member (fixture, "background_weights");
  JsonArray *phi = json_object_get_array_member (fixture, "shapley");
  const guint N = json_array_get_length (bga);
  GbExplainTarget t;
  GError *error = NULL;
  double x[6], bw[8];
  float xe[7];
  g_autofree float *bge = g_new (float, N * 7);

  fn.fixture_fn = TRUE;
  for (guint j = 0; j < 6; j++)
    {
      fn.w[j] = jnum (w, j);
      x[j] = jnum (xa, j);
    }
  fn.a = json_object_get_double_member (fixture, "a");
  fn.b = json_object_get_double_member (fixture, "b");
  fn.c = json_object_get_double_member (fixture, "c");
  fn.d = json_object_get_double_member (fixture, "d");
  fn.e = json_object_get_double_member (fixture, "e");
  for (guint i = 0; i < N; i++)
    {
      double z[6];
      JsonArray *r = json_array_get_array_element (bga, i);
      for (guint j = 0; j < 6; j++)
        z[j] = jnum (r, j);
      put_row (bge + i * 7, z, 6);
      bw[i] = jnum (bwa, i);
    }
  put_row (xe, x, 6);
  pure_target (&t, &fn);
  g_autoptr(GbBackground) bg = gb_background_new (bge, bw, NULL, N, 7, 1, "fixture");
  g_autoptr(GbExplanation) e = gb_kernel_shap (&t, xe, NULL, 1, bg, NULL, NULL, NULL, NULL,
                                               NULL, &error);
  g_assert_no_error (error);
  g_assert_true (e->exact);
  for (guint j = 0; j < 6; j++)
    g_assert_cmpfloat (fabs (e->rows[0].values[j] - jnum (phi, j)), <, 1e-9);
  g_assert_cmpfloat (fabs (e->rows[0].base_value - json_object_get_double_member (fixture, "phi0")), <, 1e-12);
  g_assert_cmpfloat (fabs (e->rows[0].prediction - json_object_get_double_member (fixture, "f_x")), <, 1e-12);
  g_assert_cmpfloat (e->rows[0].completeness_residual, <=, 1e-6);
  g_assert_null (e->rows[0].std_errors);
}

/* A small transformer (5 features from tests/data/explain/small.csv):
 * exact KernelSHAP equals the Shapley formula enumerated here over the
 * model's own forward pass, within 1e-6, and additivity holds to 1e-6. */
static GbDataset *small_ds;
static GbModel *small_model;

static void
setup_small_model (void)
{
  g_autofree char *path = data_path ("small.csv");
  GError *error = NULL;
  const char *features[] = { "age", "hours", "score", "color", "group" };

  small_ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  const gsize n = gb_dataset_get_n_rows (small_ds);
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new0 (guint8, n);
  g_assert_true (gb_dataset_eval_variable (small_ds, "label", "yes", y, &error));
  GbTransformerConfig mc;
  gb_transformer_config_init_default (&mc);
  mc.d_model = 16;
  mc.d_ff = 32;
  mc.n_layers = 1;
  small_model = gb_model_new_tabular (small_ds, features, 5, NULL, 2, &mc, 7, &error);
  g_assert_no_error (error);
  GbTrainConfig tc;
  gb_train_config_init_default (&tc);
  tc.epochs = 30;
  tc.batch_size = 16;
  tc.learning_rate = 3e-3;
  tc.n_threads = 1;
  g_assert_true (gb_model_train (small_model, small_ds, y, split, &tc, NULL, NULL, NULL, &error));
}

static void
test_shap_brute_force_model (void)
{
  GbExplainTarget t;
  GError *error = NULL;
  const guint M = 5;
  gb_explain_target_init_model (&t, small_model, 1);
  const gsize TC = (gsize) t.T * t.C;
  gsize pool_rows[60], rows[3] = { 61, 70, 79 };
  for (gsize i = 0; i < 60; i++)
    pool_rows[i] = i;
  g_autofree float *pool = g_new (float, 60 * TC);
  g_autofree float *x = g_new (float, 3 * TC);
  gb_model_embed_rows (small_model, small_ds, pool_rows, 60, pool);
  gb_model_embed_rows (small_model, small_ds, rows, 3, x);
  g_autoptr(GbBackground) bg = gb_background_kmeans (pool, pool_rows, 60, t.T, t.C, 1, 8, 1);
  g_assert_cmpuint (bg->n, ==, 8);

  g_autoptr(GbExplanation) e = gb_kernel_shap (&t, x, rows, 3, bg, NULL, NULL, NULL, NULL,
                                               NULL, &error);
  g_assert_no_error (error);
  g_assert_true (e->exact);

  /* brute force: v(S) for every S from the model directly */
  g_autofree float *buf = g_new (float, bg->n * TC);
  g_autofree float *probs = g_new (float, bg->n * 2);
  double v[32], spread = 0;
  for (guint r = 0; r < 3; r++)
    {
      const float *xr = x + r * TC;
      for (guint S = 0; S < 32; S++)
        {
          for (gsize b = 0; b < bg->n; b++)
            for (guint tok = 0; tok < t.T; tok++)
              {
                gboolean keep = tok == 0 || (S >> (tok - 1)) & 1;
                memcpy (buf + b * TC + tok * t.C, (keep ? xr : bg->emb + b * TC) + tok * t.C,
                        t.C * sizeof (float));
              }
          gb_model_forward_embedded (small_model, buf, bg->n, probs);
          v[S] = 0;
          for (gsize b = 0; b < bg->n; b++)
            v[S] += bg->weights[b] * probs[b * 2 + 1];
        }
      for (guint i = 0; i < M; i++)
        {
          double phi = 0;
          for (guint S = 0; S < 32; S++)
            if (!((S >> i) & 1))
              {
                const guint s = __builtin_popcount (S);
                const double wt = exp (lgamma (s + 1) + lgamma (M - s) - lgamma (M + 1));
                phi += wt * (v[S | (1u << i)] - v[S]);
              }
          g_assert_cmpfloat (fabs (phi - e->rows[r].values[i]), <=, 1e-6);
          spread = MAX (spread, fabs (phi));
        }
      g_assert_cmpfloat (fabs (e->rows[r].base_value - v[0]), <=, 1e-7);
      g_assert_cmpfloat (e->rows[r].completeness_residual, <=, 1e-6);
    }
  /* a model whose attributions are all ~0 would make the check vacuous */
  g_assert_cmpfloat (spread, >, 1e-3);
  g_test_message ("largest |Shapley value| of the small model: %.3g", spread);
}

/* Sampled KernelSHAP's 95 % intervals (φ̂ ± 1.96 SE) cover the exact values
 * in about 95 % of cases over repeated seeds. */
static void
test_shap_coverage (void)
{
  PureFn fn = { 10 };
  GbExplainTarget t;
  GError *error = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  const guint M = 10, N = 16, seeds = 200;
  g_autofree float *bge = g_new (float, N * (M + 1));
  double x[10];
  float xe[11];

  gsl_rng_set (rng, 11);
  fn.chain = TRUE;
  for (guint j = 0; j < M; j++)
    {
      fn.w[j] = gsl_ran_gaussian (rng, 0.7);
      fn.u[j] = gsl_ran_gaussian (rng, 0.5);
      x[j] = gsl_ran_gaussian (rng, 1.0);
    }
  for (guint i = 0; i < N; i++)
    {
      double z[10];
      for (guint j = 0; j < M; j++)
        z[j] = gsl_ran_gaussian (rng, 1.0);
      put_row (bge + i * (M + 1), z, M);
    }
  gsl_rng_free (rng);
  put_row (xe, x, M);
  pure_target (&t, &fn);
  g_autoptr(GbBackground) bg = gb_background_new (bge, NULL, NULL, N, M + 1, 1, "coverage");
  g_autoptr(GbExplanation) ex = gb_kernel_shap (&t, xe, NULL, 1, bg, NULL, NULL, NULL, NULL,
                                                NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ex->exact);

  static const guint sizes[] = { 256, 2048 };
  for (guint q = 0; q < G_N_ELEMENTS (sizes); q++)
    {
      GbKernelShapOptions o;
      guint covered = 0, total = 0;
      gb_kernel_shap_options_init_default (&o);
      o.mode = GB_KERNEL_SHAP_SAMPLED;
      o.n_samples = sizes[q];
      for (guint s = 0; s < seeds; s++)
        {
          o.seed = 1000 + s;
          g_autoptr(GbExplanation) e = gb_kernel_shap (&t, xe, NULL, 1, bg, NULL, &o, NULL, NULL,
                                                       NULL, &error);
          g_assert_no_error (error);
          g_assert_nonnull (e->rows[0].std_errors);
          g_assert_cmpfloat (e->rows[0].completeness_residual, <=, 1e-9);
          for (guint j = 0; j < M; j++)
            {
              const double se = e->rows[0].std_errors[j];
              g_assert_cmpfloat (se, >, 0);
              covered += fabs (e->rows[0].values[j] - ex->rows[0].values[j]) <= 1.96 * se;
              total++;
            }
        }
      const double cov = (double) covered / total;
      g_test_message ("sampled KernelSHAP (%u paired samples, M = 10): 95 %% interval coverage "
                      "of the exact values %.3f over %u seeds x %u features", sizes[q], cov,
                      seeds, M);
      g_assert_cmpfloat (cov, >=, 0.90);
      g_assert_cmpfloat (cov, <=, 0.99);
    }
}

/* One unit (a one-feature model, a one-word text row): no coalition lies
 * between ∅ and the full set, and efficiency alone fixes the Shapley value,
 * φ₁ = f(x) − φ₀ with φ₀ = Σ_b w_b f(b).  Both are computed here from the
 * function and the weighted background, not through the explainer; every
 * mode returns them exactly, with no sampling error.  The other methods
 * give finite values on the same rows (occlusion's φ₁ is the same
 * difference), and the deletion curve runs from f(x) to φ₀. */
static void
test_shap_one_unit (void)
{
  PureFn one = { 1, { 1.3 } };
  GbExplainTarget t;
  GError *error = NULL;
  const double bz[5] = { -1.0, -0.25, 0.5, 1.5, 2.0 }, bw[5] = { 1, 2, 3, 1, 3 };
  const double xz[3] = { 0.75, -2.0, 3.0 };
  const gsize ids[3] = { 11, 12, 13 };
  float bemb[10], xe[6];
  double phi0 = 0, wsum = 0;

  one.chain = TRUE;   /* f = σ(1.3 z): nonlinear */
  pure_target (&t, &one);
  for (guint b = 0; b < 5; b++)
    {
      float zb = (float) bz[b];
      put_row (bemb + 2 * b, bz + b, 1);
      phi0 += bw[b] * pure_eval (&one, &zb);
      wsum += bw[b];
    }
  phi0 /= wsum;
  for (guint r = 0; r < 3; r++)
    put_row (xe + 2 * r, xz + r, 1);
  g_autoptr(GbBackground) bg = gb_background_new (bemb, bw, NULL, 5, 2, 1, "five rows");

  for (int mode = GB_KERNEL_SHAP_AUTO; mode <= GB_KERNEL_SHAP_SAMPLED; mode++)
    {
      GbKernelShapOptions o;
      gb_kernel_shap_options_init_default (&o);
      o.mode = mode;
      o.n_samples = 16;
      g_autoptr(GbExplanation) e = gb_kernel_shap (&t, xe, ids, 3, bg, NULL, &o, NULL, NULL,
                                                   NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (e);
      g_assert_true (e->exact);
      g_assert_cmpuint (e->n_units, ==, 1);
      for (guint r = 0; r < 3; r++)
        {
          const GbAttributionRow *row = &e->rows[r];
          const float zx = xe[2 * r + 1];
          const double fx = pure_eval (&one, &zx);
          g_assert_cmpuint (row->row, ==, ids[r]);
          g_assert_cmpfloat (fabs (row->prediction - fx), <, 1e-15);
          g_assert_cmpfloat (fabs (row->base_value - phi0), <, 1e-14);
          g_assert_cmpfloat (fabs (row->values[0] - (fx - phi0)), <, 1e-14);
          g_assert_true (row->std_errors == NULL || row->std_errors[0] == 0.0);
          g_assert_cmpfloat (row->completeness_residual, <, 1e-15);
        }
      /* deletion removes the one unit: f(x) then φ₀; AOPC = mean (0, f(x) − φ₀) */
      g_assert_true (gb_explain_faithfulness (e, &t, xe, bg, NULL, &error));
      g_assert_no_error (error);
      double fmean = 0, aopc = 0;
      for (guint r = 0; r < 3; r++)
        {
          const float zx = xe[2 * r + 1];
          fmean += pure_eval (&one, &zx) / 3;
          aopc += (pure_eval (&one, &zx) - phi0) / 2 / 3;
        }
      g_assert_cmpfloat (fabs (e->deletion_curve[0] - fmean), <, 1e-14);
      g_assert_cmpfloat (fabs (e->deletion_curve[1] - phi0), <, 1e-14);
      g_assert_cmpfloat (fabs (e->deletion_aopc - aopc), <, 1e-14);
      g_assert_cmpfloat (fabs (e->insertion_aopc - aopc), <, 1e-14);
    }

  g_autoptr(GbExplanation) oc = gb_occlusion (&t, xe, ids, 3, bg, NULL, NULL, &error);
  g_assert_no_error (error);
  /* the gradient methods on the linear f = 1.3 z (pure_gradient differentiates
   * the linear part only): gradient × input and IG from 0 are both 1.3 z */
  PureFn lin1 = { 1, { 1.3 } };
  GbExplainTarget tl;
  pure_target (&tl, &lin1);
  g_autoptr(GbExplanation) gi = gb_gradient_input (&tl, xe, ids, 3, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GbIgResult) ig = gb_integrated_gradients_target (&tl, xe, NULL, ids, 3, NULL, NULL,
                                                             NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* LIME asks for 10 features of 1 (K > M) */
  GbLimeOptions lo;
  gb_lime_options_init_default (&lo);
  lo.n_features = 10;
  lo.n_samples = 200;
  g_autoptr(GbExplanation) li = gb_lime (&t, xe, NULL, ids, 3, bemb, NULL, 5, NULL, &lo, NULL,
                                         NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint r = 0; r < 3; r++)
    {
      const float zx = xe[2 * r + 1];
      const double fx = pure_eval (&one, &zx);
      g_assert_cmpfloat (fabs (oc->rows[r].values[0] - (fx - phi0)), <, 1e-14);
      g_assert_cmpfloat (fabs (gi->rows[r].values[0] - 1.3 * zx), <, 1e-6);
      g_assert_cmpfloat (fabs (ig->rows[r].attributions[0] - 1.3 * zx), <, 1e-6);
      g_assert_true (isfinite (li->rows[r].values[0]));
      g_assert_true (isfinite (li->rows[r].base_value));
    }
}

/* No unit at all (a text-only model's row with no word piece): nothing to
 * share.  KernelSHAP's base value is f(x) and its residual 0; the other
 * methods and the faithfulness curves return without dividing by zero. */
static void
test_shap_no_unit (void)
{
  PureFn none = { 0, { 0 } };
  GbExplainTarget t;
  GError *error = NULL;
  float xe[1] = { 7 }, bemb[2] = { 7, 7 };
  const gsize id = 4;

  none.chain = TRUE;
  pure_target (&t, &none);
  const double fx = pure_eval (&none, xe + 1);   /* σ(0) = 0.5 */
  g_autoptr(GbBackground) bg = gb_background_new (bemb, NULL, NULL, 2, 1, 1, "two rows");
  g_autoptr(GbExplanation) e = gb_kernel_shap (&t, xe, &id, 1, bg, NULL, NULL, NULL, NULL, NULL,
                                               &error);
  g_assert_no_error (error);
  g_assert_true (e->exact);
  g_assert_cmpuint (e->n_units, ==, 0);
  g_assert_cmpfloat (e->rows[0].prediction, ==, fx);
  g_assert_cmpfloat (e->rows[0].base_value, ==, fx);
  g_assert_cmpfloat (e->rows[0].completeness_residual, ==, 0.0);
  g_assert_true (gb_explain_faithfulness (e, &t, xe, bg, NULL, &error));
  g_assert_cmpfloat (e->deletion_curve[0], ==, fx);
  g_assert_cmpfloat (e->deletion_aopc, ==, 0.0);
  g_assert_cmpfloat (e->insertion_aopc, ==, 0.0);
  g_autoptr(GbExplanation) oc = gb_occlusion (&t, xe, &id, 1, bg, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (oc->rows[0].prediction, ==, fx);
  g_autoptr(GbExplanation) gi = gb_gradient_input (&t, xe, &id, 1, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GbExplanation) li = gb_lime (&t, xe, NULL, &id, 1, bemb, NULL, 2, NULL, NULL, NULL,
                                         NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (li->rows[0].prediction, ==, fx);
  g_assert_cmpuint (li->rows[0].row, ==, id);
}

static void
test_shap_errors (void)
{
  GbExplainTarget t;
  GError *error = NULL;
  GbExplanation *e;

  /* a method that cannot run names the row: 4 sampled coalitions cannot
   * determine 6 Shapley values */
  {
    double m6[6];
    float x6[7] = { 7, 1, 1, 1, 1, 1, 1 };
    const gsize id = 37;
    GbKernelShapOptions o;
    g_autoptr(GbBackground) bgs = linear_background (m6);
    pure_target (&t, &linear);
    gb_kernel_shap_options_init_default (&o);
    o.mode = GB_KERNEL_SHAP_SAMPLED;
    o.n_samples = 4;
    e = gb_kernel_shap (&t, x6, &id, 1, bgs, NULL, &o, NULL, NULL, NULL, &error);
    g_assert_null (e);
    g_assert_error (error, GB_EXPLAIN_ERROR, GB_ERROR_NUMERIC);
    g_assert_nonnull (strstr (error->message, "row 37"));
    g_clear_error (&error);
  }

  /* cancellation between rows */
  double mean[6];
  float x6[7] = { 7, 1, 1, 1, 1, 1, 1 };
  g_autoptr(GbBackground) bg6 = linear_background (mean);
  g_autoptr(GCancellable) c = g_cancellable_new ();
  g_cancellable_cancel (c);
  pure_target (&t, &linear);
  e = gb_kernel_shap (&t, x6, NULL, 1, bg6, NULL, NULL, c, NULL, NULL, &error);
  g_assert_null (e);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
}

/* ------------------------------------------------------------ background */

static void
test_background_kmeans (void)
{
  /* three tight clusters of sizes 10, 20, 30 around 0, 5, 10 */
  const guint n = 60;
  float emb[60 * 3];
  gsize rows[60];
  for (guint i = 0; i < n; i++)
    {
      double centre = i < 10 ? 0 : i < 30 ? 5 : 10;
      emb[i * 3] = 7;   /* [CLS], ignored */
      emb[i * 3 + 1] = centre + 0.01 * (i % 5);
      emb[i * 3 + 2] = -centre + 0.02 * (i % 3);
      rows[i] = 100 + i;
    }
  g_autoptr(GbBackground) bg = gb_background_kmeans (emb, rows, n, 3, 1, 1, 3, 5);
  g_assert_cmpuint (bg->n, ==, 3);
  double wsum = 0;
  gboolean seen[3] = { FALSE };
  for (guint k = 0; k < 3; k++)
    {
      const gsize i = bg->rows[k] - 100;
      const int c = i < 10 ? 0 : i < 30 ? 1 : 2;
      /* the summary point is a real member, weighted by its cluster's share */
      g_assert_cmpfloat (bg->emb[k * 3 + 1], ==, emb[i * 3 + 1]);
      g_assert_cmpfloat (fabs (bg->weights[k] - (c == 0 ? 10 : c == 1 ? 20 : 30) / 60.0), <, 1e-12);
      seen[c] = TRUE;
      wsum += bg->weights[k];
    }
  g_assert_true (seen[0] && seen[1] && seen[2]);
  g_assert_cmpfloat (fabs (wsum - 1), <, 1e-12);

  g_autoptr(GbBackground) s = gb_background_sample (emb, rows, n, 3, 1, 10, 9);
  g_assert_cmpuint (s->n, ==, 10);
  for (guint k = 0; k < 10; k++)
    {
      g_assert_cmpfloat (fabs (s->weights[k] - 0.1), <, 1e-12);
      for (guint q = 0; q < k; q++)
        g_assert_cmpuint (s->rows[q], !=, s->rows[k]);   /* without replacement */
    }
}

/* ------------------------------------------------- gradients, occlusion */

/* IG from a zero baseline and gradient × input on a linear model both give
 * wⱼ xⱼ; occlusion gives wⱼ (xⱼ − E[xⱼ]). */
static void
test_linear_gradients_occlusion (void)
{
  GbExplainTarget t;
  GError *error = NULL;
  const double x[6] = { 1.5, -2.0, 0.25, 1.0, -0.5, 2.0 };
  double mean[6];
  float xe[7];
  pure_target (&t, &linear);
  put_row (xe, x, 6);
  g_autoptr(GbBackground) bg = linear_background (mean);

  g_autoptr(GbIgResult) ig = gb_integrated_gradients_target (&t, xe, NULL, NULL, 1, NULL, NULL,
                                                             NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GbExplanation) gi = gb_gradient_input (&t, xe, NULL, 1, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GbExplanation) oc = gb_occlusion (&t, xe, NULL, 1, bg, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint j = 0; j < 6; j++)
    {
      g_assert_cmpfloat (fabs (ig->rows[0].attributions[j] - linear.w[j] * x[j]), <, 1e-6);
      g_assert_cmpfloat (fabs (gi->rows[0].values[j] - linear.w[j] * x[j]), <, 1e-6);
      g_assert_cmpfloat (fabs (oc->rows[0].values[j] - linear.w[j] * (x[j] - mean[j])), <, 1e-9);
    }
  g_assert_cmpfloat (ig->rows[0].completeness_residual, <, 1e-6);
}

/* IG on the nonlinear fixture function satisfies completeness; gradient ×
 * input does not (it is not additive), which is why both are reported. */
static void
test_ig_nonlinear_completeness (void)
{
  PureFn fn = { 6 };
  GbExplainTarget t;
  GError *error = NULL;
  JsonArray *w = json_object_get_array_member (fixture, "weights");
  JsonArray *xa = json_object_get_array_member (fixture, "x");
  double x[6];
  float xe[7];
  fn.fixture_fn = TRUE;
  for (guint j = 0; j < 6; j++)
    {
      fn.w[j] = jnum (w, j);
      x[j] = jnum (xa, j);
    }
  fn.a = json_object_get_double_member (fixture, "a");
  fn.b = json_object_get_double_member (fixture, "b");
  fn.c = json_object_get_double_member (fixture, "c");
  fn.d = json_object_get_double_member (fixture, "d");
  fn.e = json_object_get_double_member (fixture, "e");
  put_row (xe, x, 6);
  pure_target (&t, &fn);
  g_autoptr(GbIgResult) ig = gb_integrated_gradients_target (&t, xe, NULL, NULL, 1, NULL, NULL,
                                                             NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  const GbIgRow *r = &ig->rows[0];
  g_assert_cmpfloat (r->completeness_residual, <=, 0.01 * fabs (r->prediction - r->baseline_prediction));

  /* the gradient is checked by central differences */
  const double h = 1e-3;
  float p[7], m[7], g[7];
  double fp, fm, f0;
  for (guint j = 1; j <= 6; j++)
    {
      memcpy (p, xe, sizeof xe);
      memcpy (m, xe, sizeof xe);
      p[j] += h;
      m[j] -= h;
      pure_forward (&t, p, 1, &fp);
      pure_forward (&t, m, 1, &fm);
      pure_gradient (&t, xe, 1, &f0, g);
      g_assert_cmpfloat (fabs ((fp - fm) / (2 * h) - g[j]), <, 1e-3);
    }
}

/* ------------------------------------------------------------------ LIME */

/* LIME on a linear model with identically distributed features and x in
 * the top quartile of each recovers the sign and the order of the weights;
 * the linear surrogate fits well, and its top-K is stable over seeds. */
static void
test_lime_linear (void)
{
  PureFn fn = { 6, { 1.2, -0.9, 0.6, -0.4, 0.2, 0.0 } };
  GbExplainTarget t;
  GError *error = NULL;
  const guint M = 6, P = 400;
  g_autofree float *pool = g_new (float, P * (M + 1));
  g_autofree gint32 *pool_bins = g_new (gint32, P * M);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, 17);
  for (guint i = 0; i < P; i++)
    {
      double z[6];
      for (guint j = 0; j < M; j++)
        {
          z[j] = gsl_ran_gaussian (rng, 1.0);
          /* quartiles of N(0, 1): ±0.674, 0 */
          pool_bins[i * M + j] = z[j] <= -0.6745 ? 0 : z[j] <= 0 ? 1 : z[j] <= 0.6745 ? 2 : 3;
        }
      put_row (pool + i * (M + 1), z, M);
    }
  gsl_rng_free (rng);
  const double x[6] = { 1.5, 1.5, 1.5, 1.5, 1.5, 1.5 };
  const gint32 xb[6] = { 3, 3, 3, 3, 3, 3 };
  float xe[7];
  put_row (xe, x, M);
  pure_target (&t, &fn);

  GbLimeOptions o;
  gb_lime_options_init_default (&o);
  o.n_samples = 2000;
  g_autoptr(GbExplanation) e = gb_lime (&t, xe, xb, NULL, 1, pool, pool_bins, P, NULL, &o,
                                        NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  const double *v = e->rows[0].values;
  for (guint j = 0; j < M; j++)
    if (fn.w[j] != 0)
      g_assert_cmpint (v[j] > 0, ==, fn.w[j] > 0);
  for (guint j = 0; j + 1 < M; j++)
    g_assert_cmpfloat (fabs (v[j]), >, fabs (v[j + 1]));
  g_assert_cmpfloat (e->rows[0].fidelity_r2, >, 0.5);
  g_assert_cmpfloat (e->rows[0].fidelity_r2, <=, 1.0);
  g_assert_cmpfloat (e->stability, >=, 0.0);
  g_assert_cmpfloat (e->stability, <=, 1.0);
  g_test_message ("LIME on a linear model: weighted R² %.3f, top-K Jaccard stability %.3f",
                  e->rows[0].fidelity_r2, e->stability);

  /* K = 3 keeps exactly the three largest weights, and the stability of
   * that clear-cut top 3 over seeds is 1 */
  o.n_features = 3;
  g_autoptr(GbExplanation) e3 = gb_lime (&t, xe, xb, NULL, 1, pool, pool_bins, P, NULL, &o,
                                         NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint j = 0; j < M; j++)
    g_assert_cmpint (e3->rows[0].values[j] != 0, ==, j < 3);
  g_assert_cmpfloat (e3->stability, ==, 1.0);
}

static void
test_jaccard (void)
{
  const guint a[] = { 1, 2, 3 }, b[] = { 3, 4, 1 }, c[] = { 7 };
  g_assert_cmpfloat (gb_jaccard (a, 3, b, 3), ==, 2.0 / 4.0);
  g_assert_cmpfloat (gb_jaccard (a, 3, a, 3), ==, 1.0);
  g_assert_cmpfloat (gb_jaccard (a, 3, c, 1), ==, 0.0);
}

/* lime's QuartileDiscretizer bins equal numpy's percentile + searchsorted. */
static void
test_lime_quartile_bins (void)
{
  JsonObject *qb = json_object_get_object_member (fixture, "quartile_bins");
  const char *features[] = { "age", "hours", "score" };
  const gsize n = gb_dataset_get_n_rows (small_ds);
  gsize ref[60];
  g_autofree gsize *rows = g_new (gsize, n);
  g_autofree gint32 *bins = g_new (gint32, n * 3);
  for (gsize i = 0; i < 60; i++)
    ref[i] = i;
  for (gsize i = 0; i < n; i++)
    rows[i] = i;
  gb_lime_quartile_bins (small_ds, features, 3, ref, 60, rows, n, bins);
  for (guint j = 0; j < 3; j++)
    {
      JsonArray *want = json_object_get_array_member (json_object_get_object_member (qb, features[j]),
                                                      "bins");
      g_assert_cmpuint (json_array_get_length (want), ==, n);
      for (gsize i = 0; i < n; i++)
        g_assert_cmpint (bins[i * 3 + j], ==, json_array_get_int_element (want, i));
    }
}

/* ------------------------------------------------------- attention rollout */

static void
test_rollout_rows_sum_to_one (void)
{
  const guint L = 3, H = 2, T = 5;
  g_autofree float *attn = g_new (float, L * H * T * T);
  double R[25];
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, 4);
  for (guint m = 0; m < L * H * T; m++)
    {
      double s = 0;
      for (guint j = 0; j < T; j++)
        s += attn[m * T + j] = (float) gsl_rng_uniform_pos (rng);
      for (guint j = 0; j < T; j++)
        attn[m * T + j] /= s;
    }
  gsl_rng_free (rng);
  gb_attention_rollout (attn, L, H, T, 0.5, R);
  for (guint i = 0; i < T; i++)
    {
      double s = 0;
      for (guint j = 0; j < T; j++)
        {
          g_assert_cmpfloat (R[i * T + j], >=, 0);
          s += R[i * T + j];
        }
      g_assert_cmpfloat (fabs (s - 1), <, 1e-6);
    }
}

/* A hand-computed case (Abnar & Zuidema 2020, eq. for Ã = 0.5 A + 0.5 I):
 * T = 2, one head.  Layer 0 attends fully to token 1: Ã₀ = [[.5 .5] [0 1]];
 * layer 1 is uniform: Ã₁ = [[.75 .25] [.25 .75]].
 * R = Ã₁ Ã₀ = [[.375 .625] [.125 .875]]. */
static void
test_rollout_hand (void)
{
  const float attn[] = { 0, 1, 0, 1,   0.5f, 0.5f, 0.5f, 0.5f };
  const double want[] = { 0.375, 0.625, 0.125, 0.875 };
  double R[4];
  gb_attention_rollout (attn, 2, 1, 2, 0.5, R);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat (fabs (R[i] - want[i]), <, 1e-12);

  /* identity attention everywhere: rollout is the identity; the [CLS] row
   * gives the units nothing */
  const float id[] = { 1, 0, 0, 1 };
  gb_attention_rollout (id, 1, 1, 2, 0.5, R);
  g_assert_cmpfloat (R[0], ==, 1.0);
  g_assert_cmpfloat (R[1], ==, 0.0);

  /* as an explanation: unit 0 is token 1 */
  GbExplainTarget t = { .T = 2, .C = 1, .first_unit = 1, .n_units = 1 };
  g_autoptr(GbExplanation) e = gb_attention_rollout_explain (&t, attn, 2, 1, NULL, NULL, 1, NULL);
  g_assert_cmpfloat (fabs (e->rows[0].values[0] - 0.625), <, 1e-12);
  g_assert_cmpstr (e->method, ==, "attention_rollout");
}

/* ------------------------------------------------------------------- TCAV */

/* Synthetic layer activations (D = 8): the concept's 500 examples are
 * shifted along e₀, random sets of 50 examples are N(0, I); the class's
 * gradients point along e₀.  (Concept sets are rows matching a condition,
 * hence large; a small fixed concept set would carry its own sample-mean
 * direction into every run and make the t-test anti-conservative.)  The planted concept scores near 1 with p < 0.05; a "concept" drawn
 * from the random distribution is not significant. */
static void
make_tcav_data (gboolean planted, guint64 seed, double **concept, double **random, double **grads)
{
  const guint D = 8, nc = 500, R = 10, nr = 50, nx = 60;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, seed);
  *concept = g_new (double, nc * D);
  *random = g_new (double, R * nr * D);
  *grads = g_new (double, nx * D);
  for (guint i = 0; i < nc * D; i++)
    (*concept)[i] = gsl_ran_gaussian (rng, 1.0) + (planted && i % D == 0 ? 2.5 : 0.0);
  for (guint i = 0; i < R * nr * D; i++)
    (*random)[i] = gsl_ran_gaussian (rng, 1.0);
  for (guint i = 0; i < nx * D; i++)
    (*grads)[i] = (i % D == 0 ? 1.0 : 0.0) + gsl_ran_gaussian (rng, 0.3);
  gsl_rng_free (rng);
}

static void
test_tcav_planted (void)
{
  g_autofree double *c = NULL, *r = NULL, *g = NULL;
  GError *error = NULL;
  make_tcav_data (TRUE, 21, &c, &r, &g);
  g_autoptr(GbTcavResult) res = gb_tcav ("planted", c, 500, r, 10, 50, g, 60, 8, 1, 0.01, &error);
  g_assert_no_error (error);
  g_test_message ("planted concept: TCAV %.3f (random %.3f), p = %.2e", res->score,
                  res->random_score, res->p_value);
  g_assert_cmpfloat (res->score, >=, 0.9);
  g_assert_cmpfloat (res->p_value, <, 0.05);
  g_assert_true (res->significant);
}

static void
test_tcav_random (void)
{
  guint not_sig = 0;
  GError *error = NULL;
  for (guint s = 0; s < 20; s++)
    {
      g_autofree double *c = NULL, *r = NULL, *g = NULL;
      make_tcav_data (FALSE, 100 + s, &c, &r, &g);
      g_autoptr(GbTcavResult) res = gb_tcav ("random", c, 500, r, 10, 50, g, 60, 8, 1, 0.01, &error);
      g_assert_no_error (error);
      if (s == 0)
        {
          g_test_message ("random concept: TCAV %.3f (random %.3f), p = %.3f", res->score,
                          res->random_score, res->p_value);
          g_assert_cmpfloat (res->p_value, >, 0.05);
          g_assert_false (res->significant);
        }
      not_sig += !res->significant;
    }
  g_test_message ("random concepts not significant in %u of 20 draws", not_sig);
  g_assert_cmpuint (not_sig, >=, 17);
}

/* Student's t-test equals scipy.stats.ttest_ind. */
static void
test_t_test (void)
{
  JsonArray *tests = json_object_get_array_member (fixture, "t_tests");
  for (guint k = 0; k < json_array_get_length (tests); k++)
    {
      JsonObject *o = json_array_get_object_element (tests, k);
      JsonArray *a = json_object_get_array_member (o, "a"), *b = json_object_get_array_member (o, "b");
      double va[16], vb[16], t;
      const guint na = json_array_get_length (a), nb = json_array_get_length (b);
      for (guint i = 0; i < na; i++)
        va[i] = jnum (a, i);
      for (guint i = 0; i < nb; i++)
        vb[i] = jnum (b, i);
      double p = gb_t_test_ind (va, na, vb, nb, &t);
      g_assert_cmpfloat (fabs (t - json_object_get_double_member (o, "t")), <, 1e-9);
      g_assert_cmpfloat (fabs (p - json_object_get_double_member (o, "p")),
                         <, 1e-9 * MAX (1.0, json_object_get_double_member (o, "p")) + 1e-15);
    }
}

/* ------------------------------------------------------------ faithfulness */

/* Deletion/insertion curves start at f(x) and v(∅) and end at v(∅) and
 * f(x); the exact Shapley ranking of a linear model is at least as faithful
 * (deletion and insertion AOPC) as the reversed ranking. */
static void
test_faithfulness (void)
{
  GbExplainTarget t;
  GError *error = NULL;
  const double x[6] = { 1.5, -2.0, 0.25, 1.0, -0.5, 2.0 };
  double mean[6];
  float xe[7];
  pure_target (&t, &linear);
  put_row (xe, x, 6);
  g_autoptr(GbBackground) bg = linear_background (mean);
  g_autoptr(GbExplanation) e = gb_kernel_shap (&t, xe, NULL, 1, bg, NULL, NULL, NULL, NULL,
                                               NULL, &error);
  g_assert_true (gb_explain_faithfulness (e, &t, xe, bg, NULL, &error));
  const double fx = e->rows[0].prediction, v0 = e->rows[0].base_value;
  g_assert_cmpfloat (fabs (e->deletion_curve[0] - fx), <, 1e-9);
  g_assert_cmpfloat (fabs (e->deletion_curve[6] - v0), <, 1e-9);
  g_assert_cmpfloat (fabs (e->insertion_curve[0] - v0), <, 1e-9);
  g_assert_cmpfloat (fabs (e->insertion_curve[6] - fx), <, 1e-9);
  /* for a linear game, deleting the largest φ first is optimal */
  g_assert_cmpfloat (e->deletion_aopc, >, 0);

  g_autoptr(GbExplanation) rev = gb_explanation_new ("reversed", 6, NULL, 1);
  rev->rows[0].row = 0;
  for (guint j = 0; j < 6; j++)
    rev->rows[0].values[j] = -e->rows[0].values[j];
  g_assert_true (gb_explain_faithfulness (rev, &t, xe, bg, NULL, &error));
  g_assert_cmpfloat (e->deletion_aopc, >, rev->deletion_aopc);
  g_assert_cmpfloat (e->insertion_aopc, >, rev->insertion_aopc);
  /* hand check of the deletion AOPC: mean_k (f(x) − f(x_del(k))) with the
   * linear game's removal steps φ sorted descending */
  double sorted[6], acc = 0, aopc = 0;
  memcpy (sorted, e->rows[0].values, sizeof sorted);
  for (guint i = 0; i < 6; i++)
    for (guint j = i + 1; j < 6; j++)
      if (sorted[j] > sorted[i])
        {
          double s = sorted[i];
          sorted[i] = sorted[j];
          sorted[j] = s;
        }
  for (guint k = 0; k <= 6; k++)
    {
      aopc += acc / 7;
      if (k < 6)
        acc += sorted[k];
    }
  g_assert_cmpfloat (fabs (aopc - e->deletion_aopc), <, 1e-9);
}

/* --------------------------------------------------------------- painters */

/* Counts pixels close to @rgb (0xRRGGBB) in an image surface. */
static gsize
count_colour (cairo_surface_t *s, guint32 rgb, int tol)
{
  const int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  const int stride = cairo_image_surface_get_stride (s);
  const guchar *data = cairo_image_surface_get_data (s);
  gsize n = 0;
  cairo_surface_flush (s);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = *(const guint32 *) (data + y * stride + x * 4) & 0xFFFFFF;
        if (ABS ((int) (p >> 16) - (int) (rgb >> 16)) <= tol
            && ABS ((int) ((p >> 8) & 0xFF) - (int) ((rgb >> 8) & 0xFF)) <= tol
            && ABS ((int) (p & 0xFF) - (int) (rgb & 0xFF)) <= tol)
          n++;
      }
  return n;
}

static cairo_surface_t *
blank (int w, int h, cairo_t **cr)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  *cr = cairo_create (s);
  cairo_set_source_rgb (*cr, 1, 1, 1);
  cairo_paint (*cr);
  return s;
}

/* Waterfall: positive contributions are vermillion (#D55E00), negative
 * blue (#0072B2); only the signs present are drawn. */
static void
test_plot_waterfall (void)
{
  const char *labels[] = { "a", "b", "c" };
  const double up[] = { 0.2, 0.1, 0.05 }, mixed[] = { 0.2, -0.1, 0.05 };
  cairo_t *cr;
  cairo_surface_t *s = blank (400, 300, &cr);
  gb_plot_waterfall_draw (cr, 400, 300, "up", labels, up, NULL, 3, 0.3, 0.65, 0);
  g_assert_cmpuint (count_colour (s, 0xD55E00, 6), >, 200);
  g_assert_cmpuint (count_colour (s, 0x0072B2, 6), ==, 0);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  s = blank (400, 300, &cr);
  gb_plot_waterfall_draw (cr, 400, 300, "mixed", labels, mixed, NULL, 3, 0.3, 0.45, 0);
  g_assert_cmpuint (count_colour (s, 0x0072B2, 6), >, 100);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* Token heatmap: a strongly positive token sits on the darkest red
 * (#B2182B), a strongly negative one on the darkest blue (#2166AC); the
 * no-data case draws text but no colour. */
static void
test_plot_token_heatmap (void)
{
  const char *tok[] = { "[CLS]", "fever", "cough", "rash" };
  const double v[] = { 0, 1.0, -1.0, 0.1 };
  cairo_t *cr;
  cairo_surface_t *s = blank (400, 160, &cr);
  gb_plot_token_heatmap_draw (cr, 400, 160, "tokens", tok, v, 4, "attribution");
  g_assert_cmpuint (count_colour (s, 0xB2182B, 4), >, 150);
  g_assert_cmpuint (count_colour (s, 0x2166AC, 4), >, 150);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  s = blank (400, 160, &cr);
  gb_plot_token_heatmap_draw (cr, 400, 160, "tokens", tok, v, 0, NULL);
  g_assert_cmpuint (count_colour (s, 0xB2182B, 4), ==, 0);
  g_assert_cmpuint (count_colour (s, 0xFFFFFF, 0), <, 400 * 160);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* Beeswarm, dependence and curves draw their points and lines in the
 * palette colours (grey points when no feature values are given). */
static void
test_plot_summary_views (void)
{
  const char *f[] = { "x1", "x2" };
  double a[20 * 2], xv[20], av[20], curves[2 * 5] = { 1, .8, .5, .3, .1, 1, .9, .8, .6, .1 };
  const char *series[] = { "KernelSHAP", "LIME" };
  for (int i = 0; i < 20; i++)
    {
      a[i * 2] = 0.1 * (i - 10);
      a[i * 2 + 1] = 0.01 * i;
      xv[i] = i;
      av[i] = 0.05 * i - 0.5;
    }
  cairo_t *cr;
  cairo_surface_t *s = blank (400, 300, &cr);
  gb_plot_beeswarm_draw (cr, 400, 300, "swarm", f, 2, a, NULL, 20, 0);
  g_assert_cmpuint (count_colour (s, 0x999999, 3), >, 40);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  s = blank (400, 300, &cr);
  gb_plot_dependence_draw (cr, 400, 300, "dep", "x", xv, av, 20);
  g_assert_cmpuint (count_colour (s, 0x0072B2, 6), >, 60);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  s = blank (400, 300, &cr);
  gb_plot_curves_draw (cr, 400, 300, "curves", series, 2, curves, 5, "k", "p");
  g_assert_cmpuint (count_colour (s, 0x0072B2, 10), >, 50);
  g_assert_cmpuint (count_colour (s, 0xE69F00, 10), >, 30);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gb_set_blas_threads (1);
  load_fixture ();
  setup_small_model ();
  g_test_add_func ("/engine/explain/kernel-shap/linear", test_shap_linear);
  g_test_add_func ("/engine/explain/kernel-shap/fixture", test_shap_fixture);
  g_test_add_func ("/engine/explain/kernel-shap/brute-force-model", test_shap_brute_force_model);
  g_test_add_func ("/engine/explain/kernel-shap/coverage", test_shap_coverage);
  g_test_add_func ("/engine/explain/kernel-shap/errors", test_shap_errors);
  g_test_add_func ("/engine/explain/kernel-shap/one-unit", test_shap_one_unit);
  g_test_add_func ("/engine/explain/kernel-shap/no-unit", test_shap_no_unit);
  g_test_add_func ("/engine/explain/background/kmeans", test_background_kmeans);
  g_test_add_func ("/engine/explain/gradients/linear", test_linear_gradients_occlusion);
  g_test_add_func ("/engine/explain/gradients/nonlinear", test_ig_nonlinear_completeness);
  g_test_add_func ("/engine/explain/lime/linear", test_lime_linear);
  g_test_add_func ("/engine/explain/lime/jaccard", test_jaccard);
  g_test_add_func ("/engine/explain/lime/quartile-bins", test_lime_quartile_bins);
  g_test_add_func ("/engine/explain/attention-rollout/rows-sum-to-one", test_rollout_rows_sum_to_one);
  g_test_add_func ("/engine/explain/attention-rollout/hand", test_rollout_hand);
  g_test_add_func ("/engine/explain/tcav/planted", test_tcav_planted);
  g_test_add_func ("/engine/explain/tcav/random", test_tcav_random);
  g_test_add_func ("/engine/explain/tcav/t-test", test_t_test);
  g_test_add_func ("/engine/explain/faithfulness/linear", test_faithfulness);
  g_test_add_func ("/engine/plot/explain/waterfall", test_plot_waterfall);
  g_test_add_func ("/engine/plot/explain/token-heatmap", test_plot_token_heatmap);
  g_test_add_func ("/engine/plot/explain/summary-views", test_plot_summary_views);
  int rc = g_test_run ();
  g_clear_object (&small_model);
  g_clear_object (&small_ds);
  json_object_unref (fixture);
  return rc;
}
