/* test-fairness-decompose.c — the gap in mean model output between two
 * groups decomposed into features (engine/fairness/gb-fairness-decompose.c).
 *
 * References: exact computations.  For a linear f = Σ wⱼ zⱼ with the
 * interventional (background) removal, φⱼ(x) = wⱼ (xⱼ − E_b zⱼ), so the
 * contribution of feature j to the gap is wⱼ (mean zⱼ in A − mean zⱼ in B)
 * whatever the background; for any f, SHAP efficiency makes the
 * contributions sum to mean f(A) − mean f(B), which the test evaluates by
 * calling f (or the model) itself.  The bootstrap interval of a linear
 * contribution is compared with the normal-theory interval
 * wⱼ · z · sqrt(s²_A / n_A + s²_B / n_B) of a difference of two means. */
#include "gb-config.h"
#include "gb-fairness-decompose.h"
#include "gb-fairness-stats.h"
#include "gb-metrics.h"
#include "gb-variable.h"
#include "gb-plot.h"

#include <cairo.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#define M 6

typedef struct {
  double w[M];
  gboolean nonlinear;
} Fn;

static double
fn_eval (const Fn *f, const float *z)
{
  double s = 0;
  for (guint j = 0; j < M; j++)
    s += f->w[j] * z[j];
  if (!f->nonlinear)
    return s;
  s += 0.8 * z[0] * z[1] - 0.6 * z[2] * z[3] + 0.3 * z[4] * z[4];
  return 1.0 / (1.0 + exp (-s));
}

static void
fn_forward (const GbExplainTarget *t, const float *emb, gsize B, double *out)
{
  const Fn *f = t->user_data;
  for (gsize i = 0; i < B; i++)
    out[i] = fn_eval (f, emb + i * t->T + 1);
}

static void
fn_target (GbExplainTarget *t, Fn *f)
{
  memset (t, 0, sizeof *t);
  t->T = M + 1;
  t->C = 1;
  t->first_unit = 1;
  t->n_units = M;
  t->forward = fn_forward;
  t->user_data = f;
}

/* @n rows (T = M + 1, C = 1) with independent normal features of means
 * @mu and sd 1, token 0 a constant [CLS]. */
static float *
draw_rows (gsl_rng *rng, gsize n, const double *mu)
{
  float *x = g_new (float, n * (M + 1));
  for (gsize i = 0; i < n; i++)
    {
      x[i * (M + 1)] = 1.0f;
      for (guint j = 0; j < M; j++)
        x[i * (M + 1) + 1 + j] = (float) (mu[j] + gsl_ran_gaussian (rng, 1.0));
    }
  return x;
}

static const char *const names[M + 1] = { "f0", "f1", "f2", "f3", "f4", "f5", NULL };

static const GbGapContribution *
find (const GbFairnessDecomposition *d, const char *feature)
{
  for (guint j = 0; j < d->n_contributions; j++)
    if (strcmp (d->contributions[j].feature, feature) == 0)
      return &d->contributions[j];
  g_assert_not_reached ();
  return NULL;
}

/* Linear model, independent features: contribution j = wⱼ (mean xⱼ in A −
 * mean xⱼ in B) exactly, and the contributions sum to the gap. */
static void
test_linear (void)
{
  Fn f = { { 0.5, -1.2, 0.3, 2.0, 0.0, -0.7 }, FALSE };
  const double mu_a[M] = { 1.0, 0.5, -0.5, 0.2, 3.0, 0.0 };
  const double mu_b[M] = { 0.0, 0.0, 0.0, 0.0, 0.0, 1.0 };
  const double mu_bg[M] = { 0.3, 0.1, 0.2, -0.1, 1.0, 0.4 };
  const gsize na = 37, nb = 29, nbg = 12;
  GbExplainTarget t;
  GError *error = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, 11);
  g_autofree float *xa = draw_rows (rng, na, mu_a);
  g_autofree float *xb = draw_rows (rng, nb, mu_b);
  g_autofree float *xbg = draw_rows (rng, nbg, mu_bg);
  gsl_rng_free (rng);
  fn_target (&t, &f);
  g_autoptr(GbBackground) bg = gb_background_new (xbg, NULL, NULL, nbg, M + 1, 1, "test");

  GbDecomposeOptions o;
  gb_decompose_options_init_default (&o);
  o.shap.mode = GB_KERNEL_SHAP_EXACT;
  o.bootstrap = 200;
  g_autoptr(GbFairnessDecomposition) d = gb_fairness_decompose (&t, xa, na, xb, nb, bg, names,
                                                                &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (d->exact);
  g_assert_cmpuint (d->n_contributions, ==, M);
  g_assert_cmpuint (d->n_group, ==, na);
  g_assert_cmpuint (d->n_reference, ==, nb);

  double fa = 0, fb = 0, sum = 0;
  for (gsize i = 0; i < na; i++)
    fa += fn_eval (&f, xa + i * (M + 1) + 1);
  for (gsize i = 0; i < nb; i++)
    fb += fn_eval (&f, xb + i * (M + 1) + 1);
  g_assert_cmpfloat_with_epsilon (d->gap, fa / na - fb / nb, 1e-9);
  for (guint j = 0; j < M; j++)
    {
      double ma = 0, mb = 0;
      for (gsize i = 0; i < na; i++)
        ma += xa[i * (M + 1) + 1 + j];
      for (gsize i = 0; i < nb; i++)
        mb += xb[i * (M + 1) + 1 + j];
      const GbGapContribution *c = find (d, names[j]);
      g_assert_cmpfloat_with_epsilon (c->value, f.w[j] * (ma / na - mb / nb), 1e-9);
      sum += c->value;
      if (f.w[j] != 0)
        {
          g_assert_cmpfloat (c->ci_low, <=, c->value);
          g_assert_cmpfloat (c->ci_high, >=, c->value);
        }
    }
  g_assert_cmpfloat_with_epsilon (sum, d->gap, 1e-6);
  g_assert_cmpfloat (d->residual, <, 1e-6);
  /* sorted by |value|, largest first; the zero-weight feature contributes 0 */
  for (guint j = 1; j < M; j++)
    g_assert_cmpfloat (fabs (d->contributions[j - 1].value), >=, fabs (d->contributions[j].value));
  g_assert_cmpfloat (fabs (find (d, "f4")->value), <, 1e-12);
  g_assert_cmpfloat (d->gap_ci_low, <=, d->gap);
  g_assert_cmpfloat (d->gap_ci_high, >=, d->gap);
}

/* A nonlinear (logistic, with interactions) model in exact mode: the
 * contributions sum to mean f(A) − mean f(B) within 1e-6. */
static void
test_efficiency_nonlinear (void)
{
  Fn f = { { 0.4, -0.9, 0.6, 1.1, -0.2, 0.5 }, TRUE };
  const double mu_a[M] = { 0.5, 0.5, 0.0, -0.3, 0.4, 0.0 };
  const double mu_b[M] = { -0.2, 0.0, 0.3, 0.4, 0.0, -0.5 };
  const gsize na = 20, nb = 24, nbg = 8;
  GbExplainTarget t;
  GError *error = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, 5);
  g_autofree float *xa = draw_rows (rng, na, mu_a);
  g_autofree float *xb = draw_rows (rng, nb, mu_b);
  g_autofree float *xbg = draw_rows (rng, nbg, mu_b);
  gsl_rng_free (rng);
  fn_target (&t, &f);
  g_autoptr(GbBackground) bg = gb_background_new (xbg, NULL, NULL, nbg, M + 1, 1, NULL);

  GbDecomposeOptions o;
  gb_decompose_options_init_default (&o);
  o.shap.mode = GB_KERNEL_SHAP_EXACT;
  o.bootstrap = 0;
  g_autoptr(GbFairnessDecomposition) d = gb_fairness_decompose (&t, xa, na, xb, nb, bg, names,
                                                                &o, NULL, &error);
  g_assert_no_error (error);
  double fa = 0, fb = 0, sum = 0;
  for (gsize i = 0; i < na; i++)
    fa += fn_eval (&f, xa + i * (M + 1) + 1);
  for (gsize i = 0; i < nb; i++)
    fb += fn_eval (&f, xb + i * (M + 1) + 1);
  for (guint j = 0; j < M; j++)
    {
      sum += d->contributions[j].value;
      g_assert_true (isnan (d->contributions[j].ci_low));   /* no bootstrap, no interval */
    }
  g_assert_cmpfloat (fabs (fa / na - fb / nb), >, 0.05);   /* a real gap */
  g_assert_cmpfloat_with_epsilon (d->gap, fa / na - fb / nb, 1e-9);
  g_assert_cmpfloat_with_epsilon (sum, fa / na - fb / nb, 1e-6);
  /* base value φ₀ = E_b f(b) over the (uniform) background */
  double f0 = 0;
  for (gsize i = 0; i < nbg; i++)
    f0 += fn_eval (&f, xbg + i * (M + 1) + 1);
  g_assert_cmpfloat_with_epsilon (d->base_value, f0 / nbg, 1e-9);
}

/* Linear model: the row-bootstrap interval of a contribution has the width
 * of the normal-theory interval of a difference of two means (within 15 %
 * at B = 2000, n = 150 per group). */
static void
test_bootstrap_width (void)
{
  Fn f = { { 1.0, -2.0, 0.5, 0.0, 0.0, 0.0 }, FALSE };
  const double mu_a[M] = { 1.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
  const double mu_b[M] = { 0.0, 0.5, 0.0, 0.0, 0.0, 0.0 };
  const gsize na = 150, nb = 150;
  GbExplainTarget t;
  GError *error = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, 3);
  g_autofree float *xa = draw_rows (rng, na, mu_a);
  g_autofree float *xb = draw_rows (rng, nb, mu_b);
  gsl_rng_free (rng);
  fn_target (&t, &f);
  g_autoptr(GbBackground) bg = gb_background_new (xb, NULL, NULL, 4, M + 1, 1, NULL);

  GbDecomposeOptions o;
  gb_decompose_options_init_default (&o);
  o.shap.mode = GB_KERNEL_SHAP_EXACT;
  o.bootstrap = 2000;
  o.seed = 9;
  g_autoptr(GbFairnessDecomposition) d = gb_fairness_decompose (&t, xa, na, xb, nb, bg, names,
                                                                &o, NULL, &error);
  g_assert_no_error (error);
  const double z = gb_normal_quantile (0.975);
  for (guint j = 0; j < 3; j++)
    {
      double ma = 0, mb = 0, va = 0, vb = 0;
      for (gsize i = 0; i < na; i++)
        ma += xa[i * (M + 1) + 1 + j] / (double) na;
      for (gsize i = 0; i < nb; i++)
        mb += xb[i * (M + 1) + 1 + j] / (double) nb;
      for (gsize i = 0; i < na; i++)
        va += pow (xa[i * (M + 1) + 1 + j] - ma, 2) / (na - 1);
      for (gsize i = 0; i < nb; i++)
        vb += pow (xb[i * (M + 1) + 1 + j] - mb, 2) / (nb - 1);
      const double half = fabs (f.w[j]) * z * sqrt (va / na + vb / nb);
      const GbGapContribution *c = find (d, names[j]);
      const double got = (c->ci_high - c->ci_low) / 2;
      g_test_message ("f%u: bootstrap half-width %.4f, normal theory %.4f", j, got, half);
      g_assert_cmpfloat (fabs (got / half - 1), <, 0.15);
    }

  /* a group of one row (--decompose-rows=1) resamples to itself: no interval
   * rather than a zero-width one, and the gap still splits exactly */
  g_autoptr(GbFairnessDecomposition) d1 = gb_fairness_decompose (&t, xa, 1, xb, nb, bg, names,
                                                                 &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (isnan (d1->gap_ci_low) && isnan (d1->gap_ci_high));
  for (guint j = 0; j < d1->n_contributions; j++)
    g_assert_true (isnan (d1->contributions[j].ci_low) && isnan (d1->contributions[j].ci_high));
  g_assert_cmpuint (d1->bootstrap, ==, 0);
  g_assert_nonnull (strstr (d1->description, "one row"));
  g_assert_cmpfloat (d1->residual, <, 1e-9);
}

/* A small transformer (tests/data/explain/small.csv, 5 features): the
 * decomposition of the gap between groups b and a of the "group" column
 * sums, within 1e-6, to the gap in the model's own mean predicted
 * probability over the rows explained (all rows of both groups). */
static void
test_model (void)
{
  g_autofree char *path = g_build_filename (GB_SOURCE_DIR, "tests", "data", "explain",
                                            "small.csv", NULL);
  GError *error = NULL;
  const char *features[] = { "age", "hours", "score", "color", "group" };

  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new0 (guint8, n);
  g_assert_true (gb_dataset_eval_variable (ds, "label", "yes", y, &error));
  GbTransformerConfig mc;
  gb_transformer_config_init_default (&mc);
  mc.d_model = 16;
  mc.d_ff = 32;
  mc.n_layers = 1;
  g_autoptr(GbModel) model = gb_model_new_tabular (ds, features, 5, NULL, 2, &mc, 7, &error);
  g_assert_no_error (error);
  GbTrainConfig tc;
  gb_train_config_init_default (&tc);
  tc.epochs = 10;
  tc.batch_size = 16;
  tc.learning_rate = 3e-3;
  tc.n_threads = 1;
  g_assert_true (gb_model_train (model, ds, y, split, &tc, NULL, NULL, NULL, &error));

  const GbColumn *g = gb_dataset_get_column (ds, gb_dataset_find_column (ds, "group"));
  const guint ia = 0, ib = 1;   /* levels in order of appearance: a, b */
  g_assert_cmpstr (g_ptr_array_index (g->levels, ia), ==, "a");
  /* pool: the first 40 rows; explained: the other 40 (mask) */
  gsize pool[40];
  g_autofree guint8 *mask = g_new0 (guint8, n);
  for (gsize i = 0; i < 40; i++)
    pool[i] = i;
  for (gsize i = 40; i < n; i++)
    mask[i] = 1;

  GbDecomposeOptions o;
  gb_decompose_options_init_default (&o);
  o.shap.mode = GB_KERNEL_SHAP_EXACT;
  o.rows_per_group = 100;   /* more than either group has: every row is explained */
  o.bootstrap = 100;
  o.background_size = 6;
  g_autoptr(GbFairnessDecomposition) d =
    gb_fairness_decompose_model (model, ds, "group", g->codes,
                                 (const char *const *) g->levels->pdata, g->levels->len, ib, ia,
                                 mask, pool, 40, &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->attribute, ==, "group");
  g_assert_cmpstr (d->group, ==, "b");
  g_assert_cmpstr (d->reference, ==, "a");
  g_assert_cmpuint (d->n_contributions, ==, 5);

  /* the model's own probabilities over every masked row of each group */
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    if (mask[i])
      g_array_append_val (rows, i);
  g_autofree double *probs = g_new (double, rows->len * 2);
  g_assert_true (gb_model_predict_proba (model, ds, (gsize *) rows->data, rows->len, probs,
                                         NULL, &error));
  double sa = 0, sb = 0;
  gsize na = 0, nb = 0;
  for (guint k = 0; k < rows->len; k++)
    {
      const gsize i = g_array_index (rows, gsize, k);
      if (g->codes[i] == (gint32) ib)
        sa += probs[k * 2 + 1], na++;
      else if (g->codes[i] == (gint32) ia)
        sb += probs[k * 2 + 1], nb++;
    }
  g_assert_cmpuint (d->n_group, ==, na);
  g_assert_cmpuint (d->n_reference, ==, nb);
  g_assert_cmpuint (d->n_group_available, ==, na);
  g_assert_cmpfloat_with_epsilon (d->gap, sa / na - sb / nb, 1e-5);   /* float32 model */
  double sum = 0;
  for (guint j = 0; j < d->n_contributions; j++)
    sum += d->contributions[j].value;
  g_assert_cmpfloat_with_epsilon (sum, d->gap, 1e-6);

  /* sampling fewer rows than a group has draws a seeded subset */
  o.rows_per_group = 10;
  o.bootstrap = 0;
  g_autoptr(GbFairnessDecomposition) d2 =
    gb_fairness_decompose_model (model, ds, "group", g->codes,
                                 (const char *const *) g->levels->pdata, g->levels->len, ib, ia,
                                 mask, pool, 40, &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d2->n_group, ==, 10);
  g_assert_cmpuint (d2->n_reference, ==, 10);
  sum = 0;
  for (guint j = 0; j < d2->n_contributions; j++)
    sum += d2->contributions[j].value;
  g_assert_cmpfloat_with_epsilon (sum, d2->gap, 1e-6);

  /* a group compared with itself, or no pool, is an error */
  g_autoptr(GbFairnessDecomposition) bad =
    gb_fairness_decompose_model (model, ds, "group", g->codes,
                                 (const char *const *) g->levels->pdata, g->levels->len, ia, ia,
                                 mask, pool, 40, &o, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  bad = gb_fairness_decompose_model (model, ds, "group", g->codes,
                                     (const char *const *) g->levels->pdata, g->levels->len, ib,
                                     ia, mask, pool, 0, &o, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

/* Pixels of @surface within 8 levels of (r, g, b). */
static gsize
count_colour (cairo_surface_t *surface, int r, int g, int b)
{
  cairo_surface_flush (surface);
  const unsigned char *data = cairo_image_surface_get_data (surface);
  const int stride = cairo_image_surface_get_stride (surface);
  gsize n = 0;
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      {
        const guint32 px = *(const guint32 *) (data + y * stride + x * 4);
        const int pr = (px >> 16) & 0xff, pg = (px >> 8) & 0xff, pb = px & 0xff;
        n += ABS (pr - r) <= 8 && ABS (pg - g) <= 8 && ABS (pb - b) <= 8;
      }
  return n;
}

static cairo_surface_t *
white_surface (cairo_t **cr)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 480, 320);
  *cr = cairo_create (s);
  cairo_set_source_rgb (*cr, 1, 1, 1);
  cairo_paint (*cr);
  return s;
}

/* The decomposition chart colours a share by its sign (vermillion
 * #D55E00 above 0, blue #0072B2 below) and folds the smallest shares into
 * a grey "other" bar; the group curves draw the reference group in black
 * and the other group in blue, and nothing for a group without a curve. */
static void
test_painters (void)
{
  const char *names[] = { "a", "b", "c", "d", "e" };
  const double neg[] = { -0.05, -0.03, -0.02, -0.01, -0.005 };
  const double mixed[] = { 0.05, -0.03, -0.02, -0.01, -0.005 };
  const double lo[] = { 0.04, -0.04, -0.03, -0.02, -0.01 };
  const double hi[] = { 0.06, -0.02, -0.01, 0.0, 0.0 };
  cairo_t *cr;
  cairo_surface_t *s = white_surface (&cr);
  gb_plot_gap_decomposition_draw (cr, 480, 320, "gap", names, neg, NULL, NULL, 5, -0.115, 8, NULL);
  g_assert_cmpuint (count_colour (s, 0xD5, 0x5E, 0x00), ==, 0);
  g_assert_cmpuint (count_colour (s, 0x00, 0x72, 0xB2), >, 200);
  cairo_destroy (cr);
  cairo_surface_destroy (s);

  s = white_surface (&cr);
  gb_plot_gap_decomposition_draw (cr, 480, 320, "gap", names, mixed, lo, hi, 5, -0.015, 3, NULL);
  g_assert_cmpuint (count_colour (s, 0xD5, 0x5E, 0x00), >, 100);
  g_assert_cmpuint (count_colour (s, 0x00, 0x72, 0xB2), >, 50);
  g_assert_cmpuint (count_colour (s, 0x9E, 0x9E, 0x9E), >, 50);   /* "other": c, d, e */
  cairo_destroy (cr);
  cairo_surface_destroy (s);

  /* two groups: group 0 the reference (black), group 1 blue */
  const double f0[] = { 0, 0.5, 1 }, t0[] = { 0, 0.5, 1 };
  const double f1[] = { 0, 0.2, 1 }, t1[] = { 0, 0.8, 1 };
  const double *fpr[] = { f0, f1 }, *tpr[] = { t0, t1 };
  const gsize len[] = { 3, 3 };
  const double auc[] = { 0.5, 1.0 };
  const char *groups[] = { "ref", "other" };
  s = white_surface (&cr);
  gb_plot_group_roc_draw (cr, 480, 320, "roc", groups, fpr, tpr, len, auc, 2, 0);
  const gsize blue = count_colour (s, 0x00, 0x72, 0xB2), black = count_colour (s, 0, 0, 0);
  g_test_message ("ROC chart: %" G_GSIZE_FORMAT " blue, %" G_GSIZE_FORMAT " black pixels", blue, black);
  g_assert_cmpuint (blue, >, 40);
  g_assert_cmpuint (black, >, 40);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  const double *none[] = { f0, NULL };
  s = white_surface (&cr);
  gb_plot_group_roc_draw (cr, 480, 320, "roc", groups, none, tpr, len, auc, 2, 0);
  /* only the legend swatch is blue now */
  g_assert_cmpuint (count_colour (s, 0x00, 0x72, 0xB2), <, blue / 4);
  cairo_destroy (cr);
  cairo_surface_destroy (s);

  const double ms0[] = { 0.1, 0.5, 0.9 }, ob0[] = { 0.1, 0.5, 0.9 };
  const double ms1[] = { 0.1, 0.5, 0.9 }, ob1[] = { 0.3, 0.6, 0.95 };
  const double *ms[] = { ms0, ms1 }, *ob[] = { ob0, ob1 };
  const gsize n0[] = { 10, 10, 10 }, n1[] = { 5, 0, 5 };
  const gsize *cn[] = { n0, n1 };
  s = white_surface (&cr);
  gb_plot_group_calibration_draw (cr, 480, 320, "cal", groups, ms, ob, cn, 3, 2, 0);
  g_assert_cmpuint (count_colour (s, 0x00, 0x72, 0xB2), >, 50);
  g_assert_cmpuint (count_colour (s, 0, 0, 0), >, 50);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/fairness/decompose/linear-exact", test_linear);
  g_test_add_func ("/engine/fairness/decompose/efficiency", test_efficiency_nonlinear);
  g_test_add_func ("/engine/fairness/decompose/bootstrap-width", test_bootstrap_width);
  g_test_add_func ("/engine/fairness/decompose/model", test_model);
  g_test_add_func ("/engine/fairness/decompose/painters", test_painters);
  return g_test_run ();
}
