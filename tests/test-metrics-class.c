/* test-metrics-class.c — binary and multi-class classification metrics
 * (engine/stats/gb-metrics-class.c) and their painters (reliability diagram,
 * confusion matrix; engine/plot/gb-plot-model.c).
 *
 * Reference: tests/data/metrics/metrics-class.json, written by
 * tests/reference/metrics_reference.py with Debian's python3-sklearn 1.2
 * (accuracy, balanced accuracy, precision/recall/F1, confusion matrix,
 * ROC-AUC binary and one-vs-rest macro, log loss, binary Brier score,
 * calibration_curve) and numpy (multi-class Brier, Guo et al.'s ECE); plus
 * hand-computed tables. */
#include "gb-config.h"
#include "gb-metrics-class.h"
#include "gb-plot.h"

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
load_fixture (void)
{
  g_autofree char *path = data_path ("metrics/metrics-class.json");
  g_autoptr (GError) error = NULL;
  JsonParser *parser = json_parser_new ();

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return parser;
}

/* (transfer full) numbers of an array member; null elements become NAN. */
static double *
doubles (JsonObject *o, const char *name, gsize *len)
{
  JsonArray *a;
  guint n;
  double *v;

  g_assert_true (json_object_has_member (o, name));
  a = json_object_get_array_member (o, name);
  n = json_array_get_length (a);
  v = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      v[i] = JSON_NODE_HOLDS_NULL (e) ? NAN : json_node_get_double (e);
    }
  if (len)
    *len = n;
  return v;
}

static double
number (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  g_assert_nonnull (n);
  return JSON_NODE_HOLDS_NULL (n) ? NAN : json_node_get_double (n);
}

static void
assert_close (double got, double want, double tol, const char *what)
{
  if (isnan (want))
    {
      if (!isnan (got))
        g_error ("%s: got %.17g, want NaN", what, got);
      return;
    }
  if (!(fabs (got - want) <= tol * MAX (1.0, fabs (want))))
    g_error ("%s: got %.17g, want %.17g", what, got, want);
}

typedef struct {
  JsonParser *parser;   /* owns the objects below */
  JsonObject *o;
  const char *name;
  guint K;
  gsize n;
  double *y, *proba, *y_pred;
} Case;

static void
case_clear (Case *c)
{
  g_free (c->y);
  g_free (c->proba);
  g_free (c->y_pred);
  g_clear_object (&c->parser);
}

static void
case_load (Case *c, const char *name)
{
  JsonArray *cases;
  gsize np = 0, ny = 0;

  memset (c, 0, sizeof *c);
  c->parser = load_fixture ();
  cases = json_object_get_array_member (json_node_get_object (json_parser_get_root (c->parser)), "cases");
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *o = json_array_get_object_element (cases, i);
      if (g_strcmp0 (json_object_get_string_member (o, "name"), name) == 0)
        c->o = o;
    }
  g_assert_nonnull (c->o);
  c->name = name;
  c->K = json_object_get_int_member (c->o, "n_classes");
  c->y = doubles (c->o, "y_true", &c->n);
  c->proba = doubles (c->o, "proba", &np);
  c->y_pred = doubles (c->o, "y_pred", &ny);
  g_assert_cmpuint (np, ==, c->n * c->K);
  g_assert_cmpuint (ny, ==, c->n);
}

/* ---- against sklearn --------------------------------------------------- */

static void
check_case (gconstpointer data)
{
  const char *name = data;
  Case c;
  g_autofree double *pred = NULL;
  g_autoptr (GbClassReport) r = NULL;
  gsize len;

  case_load (&c, name);

  /* argmax with numpy's tie rule */
  pred = g_new (double, c.n);
  gb_metrics_argmax (c.proba, c.n, c.K, pred);
  for (gsize i = 0; i < c.n; i++)
    g_assert_cmpfloat (pred[i], ==, c.y_pred[i]);

  r = gb_class_report_new (c.y, pred, c.n, c.K);
  g_assert_cmpuint (r->n, ==, c.n);
  assert_close (r->accuracy, number (c.o, "accuracy"), 1e-12, "accuracy");
  assert_close (r->balanced_accuracy, number (c.o, "balanced_accuracy"), 1e-12, "balanced_accuracy");
  assert_close (r->precision_macro, number (c.o, "precision_macro"), 1e-12, "precision_macro");
  assert_close (r->recall_macro, number (c.o, "recall_macro"), 1e-12, "recall_macro");
  assert_close (r->f1_macro, number (c.o, "f1_macro"), 1e-12, "f1_macro");
  {
    g_autofree double *p = doubles (c.o, "precision", &len);
    g_autofree double *rc = doubles (c.o, "recall", NULL);
    g_autofree double *f = doubles (c.o, "f1", NULL);
    g_autofree double *s = doubles (c.o, "support", NULL);
    g_autofree double *cm = doubles (c.o, "confusion", NULL);
    g_assert_cmpuint (len, ==, c.K);
    for (guint k = 0; k < c.K; k++)
      {
        assert_close (r->precision[k], p[k], 1e-12, "precision");
        assert_close (r->recall[k], rc[k], 1e-12, "recall");
        assert_close (r->f1[k], f[k], 1e-12, "f1");
        g_assert_cmpfloat ((double) r->support[k], ==, s[k]);
      }
    for (guint k = 0; k < c.K * c.K; k++)
      g_assert_cmpfloat ((double) r->confusion[k], ==, cm[k]);
  }
  if (c.K == 2)
    assert_close (r->f1[1], number (c.o, "binary_f1"), 1e-12, "binary f1");

  assert_close (gb_roc_auc_ovr (c.y, c.proba, c.n, c.K), number (c.o, "roc_auc"), 1e-12, "roc_auc");
  assert_close (gb_log_loss (c.y, c.proba, c.n, c.K), number (c.o, "log_loss"), 1e-12, "log_loss");
  assert_close (gb_brier_score (c.y, c.proba, c.n, c.K), number (c.o, "brier"), 1e-12, "brier");

  /* Guo et al.'s top-label reliability and ECE for 15, 10 and 5 bins */
  {
    JsonArray *rel = json_object_get_array_member (c.o, "reliability");
    for (guint j = 0; j < json_array_get_length (rel); j++)
      {
        JsonObject *ro = json_array_get_object_element (rel, j);
        guint nb = json_object_get_int_member (ro, "n_bins");
        g_autoptr (GbReliability) gr = gb_reliability_top_label (c.y, c.proba, c.n, c.K, nb == 15 ? 0 : nb);
        g_autofree double *cnt = doubles (ro, "count", &len);
        g_autofree double *conf = doubles (ro, "confidence", NULL);
        g_autofree double *acc = doubles (ro, "accuracy", NULL);

        g_assert_cmpuint (gr->n_bins, ==, nb);
        g_assert_cmpuint (len, ==, nb);
        g_assert_cmpuint (gr->n, ==, c.n);
        for (guint b = 0; b < nb; b++)
          {
            g_assert_cmpfloat ((double) gr->count[b], ==, cnt[b]);
            assert_close (gr->confidence[b], conf[b], 1e-12, "bin confidence");
            assert_close (gr->frequency[b], acc[b], 1e-12, "bin accuracy");
          }
        assert_close (gr->ece, number (ro, "ece"), 1e-12, "ece");
        assert_close (gr->mce, number (ro, "mce"), 1e-12, "mce");
        if (nb == 15)
          assert_close (gb_expected_calibration_error (c.y, c.proba, c.n, c.K, 0),
                        number (ro, "ece"), 1e-12, "ece (default bins)");
      }
  }

  /* Binary: positive-class reliability = sklearn's calibration_curve */
  if (c.K == 2)
    {
      JsonArray *curves = json_object_get_array_member (c.o, "calibration_curve");
      g_autofree double *p1 = g_new (double, c.n);

      for (gsize i = 0; i < c.n; i++)
        p1[i] = c.proba[2 * i + 1];
      for (guint j = 0; j < json_array_get_length (curves); j++)
        {
          JsonObject *co = json_array_get_object_element (curves, j);
          guint nb = json_object_get_int_member (co, "n_bins");
          g_autoptr (GbReliability) gr = gb_reliability_binary (c.y, p1, c.n, nb);
          gsize m = 0, b_used = 0;
          g_autofree double *pt = doubles (co, "prob_true", &m);
          g_autofree double *pp = doubles (co, "prob_pred", NULL);

          for (guint b = 0; b < nb; b++)
            {
              if (gr->count[b] == 0)
                continue;
              g_assert_cmpuint (b_used, <, m);
              assert_close (gr->frequency[b], pt[b_used], 1e-12, "prob_true");
              assert_close (gr->confidence[b], pp[b_used], 1e-12, "prob_pred");
              b_used++;
            }
          g_assert_cmpuint (b_used, ==, m);
        }
    }
  case_clear (&c);
}

/* ---- hand-computed ------------------------------------------------------- */

static void
test_hand_binary (void)
{
  /* y = 1 1 0 0, p1 = .9 .4 .6 .1 → predictions 1 0 1 0: tp 1, fn 1, fp 1, tn 1 */
  static const double y[] = { 1, 1, 0, 0 };
  static const double proba[] = { .1, .9, .6, .4, .4, .6, .9, .1 };
  double pred[4];
  g_autoptr (GbClassReport) r = NULL;

  gb_metrics_argmax (proba, 4, 2, pred);
  r = gb_class_report_new (y, pred, 4, 2);
  g_assert_cmpfloat (r->accuracy, ==, 0.5);
  g_assert_cmpfloat (r->precision[1], ==, 0.5);
  g_assert_cmpfloat (r->recall[1], ==, 0.5);
  g_assert_cmpfloat (r->f1[1], ==, 0.5);
  /* AUC: pairs (pos, neg) = (.9,.6) (.9,.1) (.4,.6) (.4,.1) → 3 of 4 */
  g_assert_cmpfloat (gb_roc_auc_ovr (y, proba, 4, 2), ==, 0.75);
  /* Brier: (.1² + .6² + .6² + .1²)/4 = 0.185 */
  g_assert_cmpfloat_with_epsilon (gb_brier_score (y, proba, 4, 2), 0.185, 1e-15);
  /* log loss: −(ln .9 + ln .4 + ln .4 + ln .9)/4 */
  g_assert_cmpfloat_with_epsilon (gb_log_loss (y, proba, 4, 2),
                                  -(2 * log (0.9) + 2 * log (0.4)) / 4, 1e-15);
}

static void
test_hand_multiclass_brier (void)
{
  /* Rows (1,0,0|y=0) and (.5,.5,0|y=2): (0) + (.25 + .25 + 1) → mean 0.75 */
  static const double y[] = { 0, 2 };
  static const double proba[] = { 1, 0, 0, .5, .5, 0 };
  g_assert_cmpfloat (gb_brier_score (y, proba, 2, 3), ==, 0.75);
}

static void
test_skipped_rows (void)
{
  /* NaN labels, out-of-range and fractional labels, and NaN probabilities are skipped. */
  static const double y[] = { 1, NAN, 0, 2, 0.5, 0 };
  static const double proba[] = { .2, .8, .3, .7, .8, .2, .1, .9, .5, .5, NAN, 1 };
  double pred[6];
  g_autoptr (GbClassReport) r = NULL;
  g_autoptr (GbReliability) rel = NULL;

  gb_metrics_argmax (proba, 6, 2, pred);
  g_assert_true (isnan (pred[5]));
  r = gb_class_report_new (y, pred, 6, 2);
  g_assert_cmpuint (r->n, ==, 2);
  g_assert_cmpfloat (r->accuracy, ==, 1.0);
  g_assert_cmpfloat (gb_roc_auc_ovr (y, proba, 6, 2), ==, 1.0);
  rel = gb_reliability_top_label (y, proba, 6, 2, 10);
  g_assert_cmpuint (rel->n, ==, 2);
  /* both confidences 0.8: bin (0.7, 0.8], accuracy 1, gap 0.2 */
  g_assert_cmpuint (rel->count[7], ==, 2);
  g_assert_cmpfloat_with_epsilon (rel->ece, 0.2, 1e-12);

  {
    g_autoptr (GbClassReport) empty = gb_class_report_new (y, pred, 0, 2);
    g_assert_true (isnan (empty->accuracy));
    g_assert_true (isnan (gb_log_loss (y, proba, 0, 2)));
    g_assert_true (isnan (gb_expected_calibration_error (y, proba, 0, 2, 0)));
  }
}

static void
test_edges (void)
{
  /* Values on an edge go to the lower bin: 0.2 with 5 bins is bin 0, 0 is bin 0, 1 is bin 4. */
  static const double y[] = { 1, 1, 0, 1 };
  static const double p1[] = { 0.2, 0.0, 1.0, 0.2000001 };
  g_autoptr (GbReliability) r = gb_reliability_binary (y, p1, 4, 5);

  g_assert_cmpuint (r->count[0], ==, 2);
  g_assert_cmpuint (r->count[1], ==, 1);
  g_assert_cmpuint (r->count[4], ==, 1);
  g_assert_cmpfloat (r->edges[5], ==, 1.0);
  g_assert_true (isnan (r->confidence[2]));
}

/* ---- painters ------------------------------------------------------------ */

typedef struct {
  cairo_surface_t *surface;
  cairo_t *cr;
  int w, h;
} Canvas;

static Canvas
canvas_new (int w, int h)
{
  Canvas c = { cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h), NULL, w, h };
  c.cr = cairo_create (c.surface);
  cairo_set_source_rgb (c.cr, 1, 1, 1);
  cairo_paint (c.cr);
  return c;
}

static void
canvas_finish (Canvas *c, const char *name)
{
  const char *dir = g_getenv ("GB_PLOT_DUMP");

  g_assert_cmpint (cairo_status (c->cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (c->surface);
  if (dir)
    {
      g_autofree char *file = g_strdup_printf ("%s/%s.png", dir, name);
      cairo_surface_write_to_png (c->surface, file);
    }
}

static void
canvas_free (Canvas *c)
{
  cairo_destroy (c->cr);
  cairo_surface_destroy (c->surface);
}

static void
pixel (Canvas *c, int x, int y, int *r, int *g, int *b)
{
  const guint8 *data = cairo_image_surface_get_data (c->surface);
  int stride = cairo_image_surface_get_stride (c->surface);
  guint32 v = *(const guint32 *) (data + y * stride + x * 4);
  *r = (v >> 16) & 0xff;
  *g = (v >> 8) & 0xff;
  *b = v & 0xff;
}

static gboolean
near (Canvas *c, int x, int y, int r0, int g0, int b0, int tol)
{
  int r, g, b;
  pixel (c, x, y, &r, &g, &b);
  return ABS (r - r0) <= tol && ABS (g - g0) <= tol && ABS (b - b0) <= tol;
}

static int
count_colour (Canvas *c, int x0, int y0, int x1, int y1, int r, int g, int b, int tol)
{
  int n = 0;
  for (int y = MAX (y0, 0); y < MIN (y1, c->h); y++)
    for (int x = MAX (x0, 0); x < MIN (x1, c->w); x++)
      n += near (c, x, y, r, g, b, tol);
  return n;
}

/* The blue bar in column x: the lowest blue pixel and the top of the
 * contiguous blue run above it; FALSE when the column has no blue. */
static gboolean
blue_run (Canvas *c, int x, int *bottom, int *top)
{
  int y = c->h - 1;

  while (y >= 0 && !near (c, x, y, 0x00, 0x72, 0xB2, 30))
    y--;
  if (y < 0)
    return FALSE;
  *bottom = y;
  while (y > 0 && near (c, x, y - 1, 0x00, 0x72, 0xB2, 30))
    y--;
  *top = y;
  return TRUE;
}

/* The reliability bars: the baseline is the lowest blue row; bars are the
 * columns whose blue run reaches it (the legend swatch does not). */
static void
bars_extent (Canvas *c, int *baseline, int *x_min, int *x_max)
{
  *baseline = 0;
  *x_min = c->w;
  *x_max = 0;
  for (int x = 0; x < c->w; x++)
    {
      int b, t;
      if (blue_run (c, x, &b, &t))
        *baseline = MAX (*baseline, b);
    }
  for (int x = 0; x < c->w; x++)
    {
      int b, t;
      if (blue_run (c, x, &b, &t) && b >= *baseline - 1)
        {
          *x_min = MIN (*x_min, x);
          *x_max = MAX (*x_max, x);
        }
    }
}

static void
test_plot_reliability (void)
{
  /* Bins of 0.25: well calibrated low bins, an over-confident top bin. */
  static const double freq[4] = { 0.125, 0.375, 0.625, 0.25 };
  static const double conf[4] = { 0.125, 0.375, 0.625, 0.875 };
  static const guint64 count[4] = { 10, 10, 10, 70 };
  static const double edges[5] = { 0, 0.25, 0.5, 0.75, 1 };
  GbReliability rel = { 4, (double *) edges, (guint64 *) count, (double *) conf, (double *) freq,
                        100, 0.4375, 0.625 };
  Canvas c = canvas_new (480, 400);
  int baseline = 0, x_min = c.w, x_max = 0, tops[4];
  double scale, bar_w;

  gb_plot_reliability_draw (c.cr, 480, 400, "Reliability", &rel, NULL, NULL);
  canvas_finish (&c, "reliability");

  bars_extent (&c, &baseline, &x_min, &x_max);
  g_assert_cmpint (x_max - x_min, >, c.w / 3);
  bar_w = (x_max - x_min + 1) / 4.0;
  for (int q = 0; q < 4; q++)
    {
      int b, t, x = (int) (x_min + (q + 0.5) * bar_w);
      g_assert_true (blue_run (&c, x, &b, &t));
      g_assert_cmpint (b, >=, baseline - 1);
      tops[q] = t;
    }
  /* Heights proportional to the observed frequency: 0.125 : 0.375 : 0.625 : 0.25. */
  /* The plot is square with axes 0–1, so four bars span the height of 1. */
  scale = 4 * bar_w;
  for (int q = 0; q < 4; q++)
    g_assert_cmpfloat (fabs ((baseline + 1 - tops[q]) - freq[q] * scale), <, 3);

  /* The gap of the last bin (0.25 → 0.875) is vermillion; the first three have none. */
  {
    int xa = (int) (x_min + 3 * bar_w + 4), xb = (int) (x_min + 4 * bar_w - 4);
    int ya = (int) (baseline + 1 - 0.875 * scale + 3), yb = (int) (baseline + 1 - 0.25 * scale - 3);
    int area = (xb - xa) * (yb - ya);
    int verm = count_colour (&c, xa, ya, xb, yb, 0xD5, 0x5E, 0x00, 40);
    g_assert_cmpint (verm, >, area * 8 / 10);
    for (int q = 0; q < 3; q++)
      g_assert_cmpint (count_colour (&c, (int) (x_min + q * bar_w + 3), tops[q] - 12,
                                     (int) (x_min + (q + 1) * bar_w - 3), tops[q] + 12,
                                     0xD5, 0x5E, 0x00, 40), ==, 0);
  }
  canvas_free (&c);
}

/* An under-confident bin (observed 0.875 at mean confidence 0.625): its bar
 * still reaches the observed frequency — the gap is hatched inside it, not
 * painted over its top, which drew it as tall as the confidence. */
static void
test_plot_reliability_underconfident (void)
{
  static const double freq[4] = { 0.125, 0.375, 0.875, 0.875 };
  static const double conf[4] = { 0.125, 0.375, 0.625, 0.875 };
  static const guint64 count[4] = { 10, 10, 40, 40 };
  static const double edges[5] = { 0, 0.25, 0.5, 0.75, 1 };
  GbReliability rel = { 4, (double *) edges, (guint64 *) count, (double *) conf, (double *) freq,
                        100, 0.1, 0.25 };
  Canvas c = canvas_new (480, 400);
  int baseline = 0, x_min = c.w, x_max = 0, plot_top, top = c.h, verm;
  double bar_w, scale;

  gb_plot_reliability_draw (c.cr, 480, 400, NULL, &rel, NULL, NULL);
  canvas_finish (&c, "reliability-underconfident");
  bars_extent (&c, &baseline, &x_min, &x_max);
  bar_w = (x_max - x_min + 1) / 4.0;
  scale = 4 * bar_w;
  plot_top = (int) (baseline + 1 - scale) + 2;   /* below the legend's blue swatch */
  /* the highest blue pixel over the middle of bin 2 */
  for (int x = (int) (x_min + 2 * bar_w + 4); x < (int) (x_min + 3 * bar_w - 4); x++)
    for (int y = plot_top; y < baseline; y++)
      if (near (&c, x, y, 0x00, 0x72, 0xB2, 30))
        {
          top = MIN (top, y);
          break;
        }
  g_test_message ("bin 2: bar top %d px above the baseline, observed 0.875 → %.1f px, "
                  "confidence 0.625 → %.1f px", baseline + 1 - top, 0.875 * scale, 0.625 * scale);
  g_assert_cmpfloat (fabs ((baseline + 1 - top) - 0.875 * scale), <, 3);
  /* the gap's hatching lies between the confidence and the observed frequency … */
  verm = count_colour (&c, (int) (x_min + 2 * bar_w + 3), (int) (baseline + 1 - 0.875 * scale) + 2,
                       (int) (x_min + 3 * bar_w - 3), (int) (baseline + 1 - 0.625 * scale) - 2,
                       0xD5, 0x5E, 0x00, 40);
  g_assert_cmpint (verm, >, 0);
  /* … and nothing vermillion above the bar or below the confidence */
  g_assert_cmpint (count_colour (&c, (int) (x_min + 2 * bar_w + 3), plot_top,
                                 (int) (x_min + 3 * bar_w - 3),
                                 (int) (baseline + 1 - 0.875 * scale) - 3, 0xD5, 0x5E, 0x00, 40),
                   ==, 0);
  g_assert_cmpint (count_colour (&c, (int) (x_min + 2 * bar_w + 3),
                                 (int) (baseline + 1 - 0.625 * scale) + 3,
                                 (int) (x_min + 3 * bar_w - 3), baseline - 1, 0xD5, 0x5E, 0x00, 40),
                   ==, 0);
  canvas_free (&c);
}

static void
test_plot_reliability_empty (void)
{
  static const double nan4[4] = { NAN, NAN, NAN, NAN };
  static const guint64 zero4[4] = { 0 };
  static const double edges[5] = { 0, 0.25, 0.5, 0.75, 1 };
  GbReliability rel = { 4, (double *) edges, (guint64 *) zero4, (double *) nan4, (double *) nan4,
                        0, NAN, NAN };
  Canvas c = canvas_new (300, 240);

  gb_plot_reliability_draw (c.cr, 300, 240, NULL, &rel, NULL, NULL);
  canvas_finish (&c, "reliability-empty");
  g_assert_cmpint (count_colour (&c, 0, 0, c.w, c.h, 0x00, 0x72, 0xB2, 30), ==, 0);
  canvas_free (&c);
}

static void
test_plot_confusion (void)
{
  /* 3 classes; the diagonal dominates, one large off-diagonal cell. */
  static const guint64 cm[9] = { 50, 0, 0, 2, 40, 8, 0, 30, 20 };
  static const char *const labels[3] = { "flu", "cold", "allergy" };
  Canvas c = canvas_new (420, 420);
  int dark_first = 0, light_zero = 0;

  gb_plot_confusion_draw (c.cr, 420, 420, "Confusion matrix", labels, 3, cm, TRUE);
  canvas_finish (&c, "confusion");
  /* Row-normalised shading: cell (0,0) = 100 % is the darkest blue, cell (0,1) = 0 % is white.
   * Find the grid: blue-ish pixels; the darkest blue region is cell (0,0) at the top left. */
  {
    int x_min = c.w, y_min = c.h, x_max = 0, y_max = 0;
    for (int y = 0; y < c.h; y++)
      for (int x = 0; x < c.w; x++)
        {
          int r, g, b;
          pixel (&c, x, y, &r, &g, &b);
          if (b > r + 60)   /* a clearly blue cell */
            {
              x_min = MIN (x_min, x); x_max = MAX (x_max, x);
              y_min = MIN (y_min, y); y_max = MAX (y_max, y);
            }
        }
    g_assert_cmpint (x_max - x_min, >, 100);
    g_assert_cmpint (y_max - y_min, >, 100);
    /* The blue extent spans the cells with colour: columns 0..2 (cell (2,1) and (1,2)
     * are coloured), rows 0..2.  Cell size: */
    {
      double cw = (x_max - x_min + 1) / 3.0, ch = (y_max - y_min + 1) / 3.0;
      int r, g, b, r2, g2, b2;
      /* sample near the corner of cells (away from the centred text) */
      pixel (&c, x_min + 4, y_min + 4, &r, &g, &b);                  /* (0,0): 100 % */
      pixel (&c, (int) (x_min + cw + 4), y_min + 4, &r2, &g2, &b2);  /* (0,1): 0 % */
      dark_first = r < 80 && b > 120;
      light_zero = r2 > 230 && g2 > 230 && b2 > 230;
      g_assert_true (dark_first);
      g_assert_true (light_zero);
      /* (2,1) = 60 % darker than (2,2) = 40 % */
      pixel (&c, (int) (x_min + cw + 4), (int) (y_min + 2 * ch + 4), &r, &g, &b);
      pixel (&c, (int) (x_min + 2 * cw + 4), (int) (y_min + 2 * ch + 4), &r2, &g2, &b2);
      g_assert_cmpint (r, <, r2);
    }
  }
  canvas_free (&c);
}


static void
test_plot_confusion_many (void)
{
  /* 24 classes (Symptom2Disease): a perfect diagonal with long labels.  The
   * diagonal cells are the darkest blue, every other cell white, and the
   * matrix stays inside the canvas. */
  enum { K = 24 };
  guint64 cm[K * K] = { 0 };
  char *labels[K];
  Canvas c = canvas_new (520, 440);
  int x_min = c.w, x_max = 0, y_min = c.h, y_max = 0, dark = 0;

  for (int k = 0; k < K; k++)
    {
      cm[k * K + k] = 10;
      labels[k] = g_strdup_printf ("gastroesophageal reflux disease %d", k);
    }
  gb_plot_confusion_draw (c.cr, 520, 440, "Symptom2Disease", (const char *const *) labels, K, cm, TRUE);
  canvas_finish (&c, "confusion-24");
  for (int y = 0; y < c.h; y++)
    for (int x = 0; x < c.w; x++)
      if (near (&c, x, y, 0x00, 0x72, 0xB2, 20))
        {
          x_min = MIN (x_min, x); x_max = MAX (x_max, x);
          y_min = MIN (y_min, y); y_max = MAX (y_max, y);
          dark++;
        }
  /* the diagonal runs from the top-left to the bottom-right cell */
  g_assert_cmpint (x_max - x_min, >, 150);
  g_assert_cmpint (y_max - y_min, >, 150);
  g_assert_cmpfloat (fabs ((double) (x_max - x_min) - (y_max - y_min)), <, 4);
  {
    double cell = (x_max - x_min + 1) / (double) K;
    /* a diagonal cell centre is blue, the cell to its right white */
    g_assert_true (near (&c, (int) (x_min + 5.5 * cell), (int) (y_min + 5.5 * cell), 0x00, 0x72, 0xB2, 20));
    g_assert_true (near (&c, (int) (x_min + 6.5 * cell), (int) (y_min + 5.5 * cell), 0xFF, 0xFF, 0xFF, 8));
    /* blue covers about K cells' area */
    g_assert_cmpfloat (dark, >, 0.6 * K * cell * cell);
    g_assert_cmpfloat (dark, <, 1.1 * K * cell * cell);
  }
  for (int k = 0; k < K; k++)
    g_free (labels[k]);
  canvas_free (&c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/engine/stats/metrics-class/sklearn/binary-ties", "binary-ties", check_case);
  g_test_add_data_func ("/engine/stats/metrics-class/sklearn/multiclass-4", "multiclass-4", check_case);
  g_test_add_data_func ("/engine/stats/metrics-class/sklearn/multiclass-absent-true",
                        "multiclass-absent-true", check_case);
  g_test_add_func ("/engine/stats/metrics-class/hand/binary", test_hand_binary);
  g_test_add_func ("/engine/stats/metrics-class/hand/multiclass-brier", test_hand_multiclass_brier);
  g_test_add_func ("/engine/stats/metrics-class/skipped-rows", test_skipped_rows);
  g_test_add_func ("/engine/stats/metrics-class/bin-edges", test_edges);
  g_test_add_func ("/engine/plot/reliability", test_plot_reliability);
  g_test_add_func ("/engine/plot/reliability/empty", test_plot_reliability_empty);
  g_test_add_func ("/engine/plot/reliability/underconfident", test_plot_reliability_underconfident);
  g_test_add_func ("/engine/plot/confusion", test_plot_confusion);
  g_test_add_func ("/engine/plot/confusion/many-classes", test_plot_confusion_many);
  return g_test_run ();
}
