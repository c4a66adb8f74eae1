/* test-plot.c — the Cairo painters of engine/plot and the PDF report writer.
 *
 * Charts are rendered into image surfaces and checked by measuring painted
 * pixels (colours, positions, extents); the PDF is checked with poppler-utils
 * (pdfinfo, pdftotext) when they are installed.  Set GB_PLOT_DUMP=DIR to keep
 * PNGs of the charts and the PDF for a look. */
#include "gb-plot.h"
#include "gb-report-pdf.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

/* ------------------------------------------------------------- helpers */

typedef struct {
  cairo_surface_t *surface;
  cairo_t *cr;
  int w, h;
} Canvas;

static Canvas
canvas_new (int w, int h, double bg)
{
  Canvas c = { cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h), NULL, w, h };
  c.cr = cairo_create (c.surface);
  cairo_set_source_rgb (c.cr, bg, bg, bg);
  cairo_paint (c.cr);
  return c;
}

static void
canvas_finish (Canvas *c, const char *name)
{
  const char *dir = g_getenv ("GB_PLOT_DUMP");

  g_assert_cmpint (cairo_status (c->cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (c->surface);
  if (dir && name)
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
near_colour (Canvas *c, int x, int y, int r0, int g0, int b0, int tol)
{
  int r, g, b;
  pixel (c, x, y, &r, &g, &b);
  return ABS (r - r0) <= tol && ABS (g - g0) <= tol && ABS (b - b0) <= tol;
}

/* Okabe–Ito blue #0072B2, the colour of curves, positive bars and the first series. */
#define IS_BLUE(c, x, y) near_colour (c, x, y, 0x00, 0x72, 0xB2, 24)
#define IS_ORANGE(c, x, y) near_colour (c, x, y, 0xE6, 0x9F, 0x00, 24)
#define IS_VERMILLION(c, x, y) near_colour (c, x, y, 0xD5, 0x5E, 0x00, 24)

static int
count_in (Canvas *c, int x0, int y0, int x1, int y1,
          gboolean (*pred) (Canvas *, int, int))
{
  int n = 0;
  for (int y = MAX (y0, 0); y < MIN (y1, c->h); y++)
    for (int x = MAX (x0, 0); x < MIN (x1, c->w); x++)
      n += pred (c, x, y) ? 1 : 0;
  return n;
}

static gboolean pred_blue (Canvas *c, int x, int y) { return IS_BLUE (c, x, y); }
static gboolean pred_dark (Canvas *c, int x, int y)
{
  int r, g, b;
  pixel (c, x, y, &r, &g, &b);
  return r < 170 && g < 170 && b < 170 && ABS (r - b) < 30;   /* grey ink of text */
}

/* Horizontal runs of predicate pixels grouped by pixel rows: returns for
 * every band of consecutive rows holding such pixels the [min x, max x]. */
typedef struct { int y0, y1, x0, x1; } Band;

static GArray *
bands (Canvas *c, gboolean (*pred) (Canvas *, int, int), int min_width)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Band));
  Band cur = { -1, -1, G_MAXINT, -1 };

  for (int y = 0; y < c->h; y++)
    {
      int x0 = G_MAXINT, x1 = -1, n = 0;
      for (int x = 0; x < c->w; x++)
        if (pred (c, x, y))
          {
            x0 = MIN (x0, x);
            x1 = MAX (x1, x);
            n++;
          }
      if (n >= min_width)
        {
          if (cur.y0 < 0)
            cur.y0 = y;
          cur.y1 = y;
          cur.x0 = MIN (cur.x0, x0);
          cur.x1 = MAX (cur.x1, x1);
        }
      else if (cur.y0 >= 0)
        {
          g_array_append_val (out, cur);
          cur = (Band) { -1, -1, G_MAXINT, -1 };
        }
    }
  if (cur.y0 >= 0)
    g_array_append_val (out, cur);
  return out;
}

/* ---------------------------------------------------------------- ROC */

static void
test_roc_perfect (void)
{
  const double fpr[] = { 0, 0, 1 }, tpr[] = { 0, 1, 1 };
  const double wfpr[] = { 0, 1, 1 }, wtpr[] = { 0, 0, 1 };
  const int sizes[][2] = { { 600, 400 }, { 500, 300 } };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      int w = sizes[k][0], h = sizes[k][1];
      Canvas good = canvas_new (w, h, 1.0), bad = canvas_new (w, h, 1.0);
      int n_good, n_bad;

      gb_plot_roc_draw (good.cr, w, h, "ROC", fpr, tpr, 3, 1.0);
      gb_plot_roc_draw (bad.cr, w, h, "ROC", wfpr, wtpr, 3, 0.0);
      canvas_finish (&good, k == 0 ? "roc-perfect" : "roc-perfect-small");
      canvas_finish (&bad, NULL);
      /* the top-left region of the image: a perfect curve runs through it
       * (left edge and top edge of the plot), the worst one does not. */
      n_good = count_in (&good, 0, 0, w / 2, h / 3, pred_blue);
      n_bad = count_in (&bad, 0, 0, w / 2, h / 3, pred_blue);
      g_assert_cmpint (n_good, >, w / 8);
      g_assert_cmpint (n_bad, ==, 0);
      /* and the bottom-right region is painted by the worst curve */
      g_assert_cmpint (count_in (&bad, w / 2, h / 2, w, h, pred_blue), >,
                       count_in (&good, w / 2, h / 2, w, h, pred_blue));
      canvas_free (&good);
      canvas_free (&bad);
    }
}

static void
test_roc_state_restored (void)
{
  const double fpr[] = { 0, 0.5, 1 }, tpr[] = { 0, 0.8, 1 };
  Canvas c = canvas_new (300, 200, 1.0);
  cairo_matrix_t before, after;
  double r, g, b, a;

  cairo_set_source_rgb (c.cr, 0.25, 0.5, 0.75);
  cairo_set_line_width (c.cr, 7);
  cairo_get_matrix (c.cr, &before);
  gb_plot_roc_draw (c.cr, 300, 200, NULL, fpr, tpr, 3, 0.8);
  cairo_get_matrix (c.cr, &after);
  g_assert_cmpfloat (cairo_get_line_width (c.cr), ==, 7);
  g_assert_cmpmem (&before, sizeof before, &after, sizeof after);
  g_assert_cmpint (cairo_pattern_get_rgba (cairo_get_source (c.cr), &r, &g, &b, &a), ==,
                   CAIRO_STATUS_SUCCESS);
  g_assert_cmpfloat_with_epsilon (b, 0.75, 1e-9);
  canvas_finish (&c, NULL);
  canvas_free (&c);
}

/* ---------------------------------------------------------------- bars */

static void
test_bar_proportional (void)
{
  const char *labels[] = { "one", "two" };
  const double values[] = { 1, 2 };
  Canvas c = canvas_new (600, 400, 1.0);
  g_autoptr(GArray) bs = NULL;
  Band *b1, *b2;
  double l1, l2;

  gb_plot_bar_draw (c.cr, 600, 400, "Importance", labels, values, 2, "value");
  canvas_finish (&c, "bar");
  bs = bands (&c, pred_blue, 5);
  g_assert_cmpuint (bs->len, ==, 2);
  b1 = &g_array_index (bs, Band, 0);
  b2 = &g_array_index (bs, Band, 1);
  /* drawn top to bottom in the given order, starting at the same zero */
  g_assert_cmpint (b1->y1, <, b2->y0);
  g_assert_cmpint (ABS (b1->x0 - b2->x0), <=, 1);
  l1 = b1->x1 - b1->x0 + 1;
  l2 = b2->x1 - b2->x0 + 1;
  g_assert_cmpfloat (l1, >, 50);
  g_assert_cmpfloat_with_epsilon (l2 / l1, 2.0, 0.03);
  /* same thickness */
  g_assert_cmpint (ABS ((b1->y1 - b1->y0) - (b2->y1 - b2->y0)), <=, 1);
  canvas_free (&c);
}

static gboolean pred_vermillion (Canvas *c, int x, int y) { return IS_VERMILLION (c, x, y); }

static void
test_bar_signed (void)
{
  const char *labels[] = { "up", "down" };
  const double values[] = { 3, -1.5 };
  Canvas c = canvas_new (600, 400, 1.0);
  g_autoptr(GArray) up = NULL, down = NULL;
  Band *u, *dn;

  gb_plot_bar_draw (c.cr, 600, 400, NULL, labels, values, 2, NULL);
  canvas_finish (&c, "bar-signed");
  up = bands (&c, pred_blue, 5);
  down = bands (&c, pred_vermillion, 5);
  g_assert_cmpuint (up->len, ==, 1);
  g_assert_cmpuint (down->len, ==, 1);
  u = &g_array_index (up, Band, 0);
  dn = &g_array_index (down, Band, 0);
  /* the negative bar ends where the positive one starts (the zero line) */
  g_assert_cmpint (ABS (dn->x1 - u->x0), <=, 3);
  g_assert_cmpfloat_with_epsilon ((double) (u->x1 - u->x0) / (dn->x1 - dn->x0), 2.0, 0.05);
  g_assert_cmpint (dn->y0, >, u->y1);
  canvas_free (&c);
}

static void
test_bar_nan_skipped (void)
{
  const char *labels[] = { "a", "missing", "b" };
  const double values[] = { 1, NAN, 2 };
  Canvas c = canvas_new (600, 400, 1.0);
  g_autoptr(GArray) bs = NULL;

  gb_plot_bar_draw (c.cr, 600, 400, "With NaN", labels, values, 3, NULL);
  canvas_finish (&c, "bar-nan");
  bs = bands (&c, pred_blue, 5);
  g_assert_cmpuint (bs->len, ==, 2);
  g_assert_cmpfloat_with_epsilon ((double) (g_array_index (bs, Band, 1).x1 - g_array_index (bs, Band, 1).x0)
                                  / (g_array_index (bs, Band, 0).x1 - g_array_index (bs, Band, 0).x0),
                                  2.0, 0.03);
  canvas_free (&c);
}

static void
test_bar_many_long_labels (void)
{
  enum { N = 60 };
  const char *labels[N];
  double values[N];
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  Canvas c = canvas_new (500, 300, 1.0);
  int dark_left;

  for (int i = 0; i < N; i++)
    {
      char *s = g_strdup_printf ("a very long feature name that must be ellipsized because it is far too long %d", i);
      g_ptr_array_add (strings, s);
      labels[i] = s;
      values[i] = N - i;
    }
  gb_plot_bar_draw (c.cr, 500, 300, "Many bars", labels, values, N, "mean |attribution|");
  canvas_finish (&c, "bar-many");
  /* labels are drawn (text left of the bars) but ellipsized so the bars
   * start within the left 40 % of the width, and the bar of the largest
   * value spans at least 40 % of it */
  dark_left = count_in (&c, 0, 20, 500 * 0.36, 260, pred_dark);
  g_assert_cmpint (dark_left, >, 100);
  {
    g_autoptr(GArray) bs = bands (&c, pred_blue, 2);
    int longest = 0, left = G_MAXINT;
    for (guint i = 0; i < bs->len; i++)
      {
        longest = MAX (longest, g_array_index (bs, Band, i).x1 - g_array_index (bs, Band, i).x0);
        left = MIN (left, g_array_index (bs, Band, i).x0);
      }
    g_assert_cmpint (longest, >, 500 * 0.4);
    g_assert_cmpint (left, <, 500 * 0.4);
  }
  canvas_free (&c);
}

/* ----------------------------------------------------------- grouped */

static gboolean pred_orange (Canvas *c, int x, int y) { return IS_ORANGE (c, x, y); }

/* Height of the tallest vertical run of predicate pixels in each column
 * cluster, left to right. */
static GArray *
column_heights (Canvas *c, gboolean (*pred) (Canvas *, int, int), int min_h)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (int));
  int best = -1;

  for (int x = 0; x < c->w; x++)
    {
      int run = 0, longest = 0;
      for (int y = 0; y < c->h; y++)
        {
          run = pred (c, x, y) ? run + 1 : 0;
          longest = MAX (longest, run);
        }
      if (longest >= min_h)
        best = MAX (best, longest);
      else if (best >= 0)
        {
          g_array_append_val (out, best);
          best = -1;
        }
    }
  if (best >= 0)
    g_array_append_val (out, best);
  return out;
}

static void
test_grouped_bar_heights (void)
{
  const char *groups[] = { "Female", "Male" };
  const char *series[] = { "selection rate", "TPR" };
  const double values[] = { 0.5, 1.0,    /* Female */
                            0.25, NAN }; /* Male: no TPR */
  Canvas c = canvas_new (600, 400, 1.0);
  g_autoptr(GArray) blue = NULL, orange = NULL;
  int b0, b1, o0;

  gb_plot_grouped_bar_draw (c.cr, 600, 400, "Rates", groups, 2, series, 2, values);
  canvas_finish (&c, "grouped");
  blue = column_heights (&c, pred_blue, 15);
  orange = column_heights (&c, pred_orange, 15);
  g_assert_cmpuint (blue->len, ==, 2);
  g_assert_cmpuint (orange->len, ==, 1);   /* NaN drew no bar */
  b0 = g_array_index (blue, int, 0);
  b1 = g_array_index (blue, int, 1);
  o0 = g_array_index (orange, int, 0);
  g_assert_cmpfloat_with_epsilon ((double) b0 / b1, 2.0, 0.05);
  g_assert_cmpfloat_with_epsilon ((double) o0 / b0, 2.0, 0.05);
  canvas_free (&c);
}

/* ------------------------------------------------------------ heatmap */

typedef struct { int start, len; } Run;

/* Longest run along the scanline y of pixels satisfying @pred. */
static Run
longest_run (Canvas *c, int y, gboolean (*pred) (Canvas *, int, int))
{
  Run best = { -1, 0 }, cur = { -1, 0 };

  for (int x = 0; x < c->w; x++)
    {
      if (pred (c, x, y))
        {
          if (cur.len == 0)
            cur.start = x;
          cur.len++;
          if (cur.len > best.len)
            best = cur;
        }
      else
        cur.len = 0;
    }
  return best;
}

static gboolean
pred_reddish (Canvas *c, int x, int y)
{
  int r, g, b;
  pixel (c, x, y, &r, &g, &b);
  return r > 150 && r > b + 80 && r > g + 60;
}

static gboolean
pred_bluish (Canvas *c, int x, int y)
{
  int r, g, b;
  pixel (c, x, y, &r, &g, &b);
  return b > 130 && b > r + 80;
}

static gboolean
pred_near_white (Canvas *c, int x, int y)
{
  int r, g, b;
  pixel (c, x, y, &r, &g, &b);
  return r > 235 && g > 235 && b > 235;
}

static gboolean
pred_nan_grey (Canvas *c, int x, int y)
{
  return near_colour (c, x, y, 153, 153, 153, 6);
}

static void
test_heatmap_colours (void)
{
  const char *rows[] = { "row 1" };
  const char *cols[] = { "positive", "negative", "zero", "missing" };
  const double values[] = { 4.0, -4.0, 0.0, NAN };
  /* grey background so a near-white cell stands out from it */
  Canvas c = canvas_new (600, 300, 0.3);
  Run red, blue, white, grey;
  int y;

  gb_plot_heatmap_draw (c.cr, 600, 300, "Attributions", rows, 1, cols, 4, values);
  canvas_finish (&c, "heatmap-colours");
  /* scan the row that holds the most reddish pixels (the middle of the cell) */
  y = 0;
  {
    int best = -1;
    for (int yy = 0; yy < c.h; yy++)
      {
        Run r = longest_run (&c, yy, pred_reddish);
        if (r.len > best)
          best = r.len, y = yy;
      }
  }
  red = longest_run (&c, y, pred_reddish);
  blue = longest_run (&c, y, pred_bluish);
  white = longest_run (&c, y, pred_near_white);
  grey = longest_run (&c, y, pred_nan_grey);
  g_assert_cmpint (red.len, >, 60);
  g_assert_cmpint (blue.len, >, 60);
  g_assert_cmpint (white.len, >, 60);
  g_assert_cmpint (grey.len, >, 60);
  /* in column order, and of equal width */
  g_assert_cmpint (red.start, <, blue.start);
  g_assert_cmpint (blue.start, <, white.start);
  g_assert_cmpint (white.start, <, grey.start);
  g_assert_cmpint (ABS (red.len - blue.len), <=, 3);
  canvas_free (&c);
}

static void
test_heatmap_symmetric (void)
{
  /* the scale is symmetric in ±max|value|: −1 is as saturated as +1 */
  const char *rows[] = { "a", "b" };
  const char *cols[] = { "x" };
  const double values[] = { 1.0, -1.0 };
  Canvas c = canvas_new (400, 300, 1.0);
  int best_r = 0, best_b = 0;

  gb_plot_heatmap_draw (c.cr, 400, 300, NULL, rows, 2, cols, 1, values);
  canvas_finish (&c, "heatmap-sym");
  for (int y = 0; y < c.h; y++)
    for (int x = 0; x < c.w; x++)
      {
        int r, g, b;
        pixel (&c, x, y, &r, &g, &b);
        if (r == 0xB2 && g == 0x18 && b == 0x2B)
          best_r++;
        if (r == 0x21 && g == 0x66 && b == 0xAC)
          best_b++;
      }
  /* both extremes of the RdBu scale are painted, in cells much larger than
   * the colour bar's end caps */
  g_assert_cmpint (best_r, >, 1000);
  g_assert_cmpint (best_b, >, 1000);
  g_assert_cmpint (ABS (best_r - best_b), <, best_r / 10);
  canvas_finish (&c, NULL);
  canvas_free (&c);
}

/* ------------------------------------------------------------- forest */

static void
test_forest_interval (void)
{
  const char *labels[] = { "naive (ATE)" };
  const double est[] = { 1.0 }, lo[] = { 0.0 }, hi[] = { 2.0 };
  Canvas c = canvas_new (600, 300, 1.0);
  int ymid = -1, xl = G_MAXINT, xr = -1, widest = 0, xc = -1;

  gb_plot_forest_draw (c.cr, 600, 300, "Effects", labels, est, lo, hi, 1, 0.0, "effect");
  canvas_finish (&c, "forest");
  /* the interval is the longest horizontal blue run */
  for (int y = 0; y < c.h; y++)
    {
      Run r = longest_run (&c, y, pred_blue);
      if (r.len > xr - xl)
        {
          xl = r.start;
          xr = r.start + r.len - 1;
          ymid = y;
        }
    }
  g_assert_cmpint (ymid, >=, 0);
  g_assert_cmpint (xr - xl, >, 100);
  /* the diamond is where the blue column is tallest; it sits in the middle */
  for (int x = xl; x <= xr; x++)
    {
      int h = 0;
      for (int y = MAX (0, ymid - 30); y < MIN (c.h, ymid + 30); y++)
        h += IS_BLUE (&c, x, y);
      if (h > widest)
        widest = h, xc = x;
    }
  g_assert_cmpint (ABS (xc - (xl + xr) / 2), <=, 4);
  canvas_free (&c);
}

static void
test_forest_nan (void)
{
  const char *labels[] = { "a", "b", "c" };
  const double est[] = { NAN, 0.5, 1.0 }, lo[] = { NAN, 0.2, NAN }, hi[] = { NAN, 0.8, NAN };
  Canvas c = canvas_new (500, 300, 1.0);

  gb_plot_forest_draw (c.cr, 500, 300, NULL, labels, est, lo, hi, 3, 0.0, NULL);
  canvas_finish (&c, "forest-nan");
  g_assert_cmpint (count_in (&c, 0, 0, 500, 300, pred_blue), >, 20);
  canvas_free (&c);
}

/* -------------------------------------------------------------- empty */

static void
test_empty (void)
{
  Canvas c[5];
  for (int i = 0; i < 5; i++)
    c[i] = canvas_new (500, 300, 1.0);

  gb_plot_roc_draw (c[0].cr, 500, 300, "ROC", NULL, NULL, 0, NAN);
  gb_plot_bar_draw (c[1].cr, 500, 300, "Bars", NULL, NULL, 0, NULL);
  gb_plot_grouped_bar_draw (c[2].cr, 500, 300, "Groups", NULL, 0, NULL, 0, NULL);
  gb_plot_heatmap_draw (c[3].cr, 500, 300, "Heatmap", NULL, 0, NULL, 0, NULL);
  gb_plot_forest_draw (c[4].cr, 500, 300, "Forest", NULL, NULL, NULL, NULL, 0, 0, NULL);
  for (int i = 0; i < 5; i++)
    {
      canvas_finish (&c[i], i == 0 ? "empty" : NULL);
      /* "No data" is written (dark text in the middle), nothing blue drawn */
      g_assert_cmpint (count_in (&c[i], 100, 100, 400, 250, pred_dark), >, 20);
      g_assert_cmpint (count_in (&c[i], 0, 0, 500, 300, pred_blue), ==, 0);
      canvas_free (&c[i]);
    }
  /* all values NaN counts as no data too */
  {
    const double v[] = { NAN, NAN };
    const char *l[] = { "a", "b" };
    Canvas e = canvas_new (500, 300, 1.0);
    gb_plot_bar_draw (e.cr, 500, 300, NULL, l, v, 2, NULL);
    gb_plot_roc_draw (e.cr, 500, 300, NULL, v, v, 2, NAN);
    canvas_finish (&e, NULL);
    canvas_free (&e);
  }
  /* degenerate sizes do nothing */
  {
    Canvas e = canvas_new (10, 10, 1.0);
    const double v[] = { 1 };
    const char *l[] = { "a" };
    gb_plot_bar_draw (e.cr, 0, 0, NULL, l, v, 1, NULL);
    gb_plot_heatmap_draw (e.cr, 5, 5, NULL, l, 1, l, 1, v);
    gb_plot_forest_draw (e.cr, 8, 4, NULL, l, v, v, v, 1, 0, NULL);
    canvas_finish (&e, NULL);
    canvas_free (&e);
  }
}

/* ----------------------------------------------------------------- PDF */

static GbAuditSettings *
make_settings (void)
{
  GbAuditSettings *s = g_new0 (GbAuditSettings, 1);
  const char *prot[] = { "sex", "race", NULL };
  const char *cov[] = { "age", "sex", "race", "marital-status", "hours-per-week", NULL };

  s->csv_path = g_strdup ("/data/adult.csv");
  s->target = g_strdup ("income-per-year");
  s->positive = g_strdup (">50K");
  s->protected_attributes = g_strdupv ((char **) prot);
  s->treatment = g_strdup ("education-num>=13");
  s->outcome = g_strdup ("income-per-year==>50K");
  s->covariates = g_strdupv ((char **) cov);
  s->features = NULL;
  s->seed = 42;
  s->test_fraction = 0.3;
  s->explain_rows = 4;
  s->ig_steps = 64;
  s->model = (GbTransformerConfig) { 2, 32, 4, 64 };
  s->train = (GbTrainConfig) { 8, 256, 1e-3, 0.01, 0.05, 42, 1 };
  s->command_line = g_strdup ("glassbox-audit --csv /data/adult.csv --target income-per-year "
                              "--positive '>50K' --protected sex,race --treatment "
                              "'education-num>=13' --outcome 'income-per-year==>50K' "
                              "--covariates age,sex,race,marital-status,hours-per-week "
                              "--seed 42 --explain-rows 4 --ig-steps 64 --pdf report.pdf "
                              "--json report.json");
  return s;
}

static void
free_settings (GbAuditSettings *s)
{
  g_free (s->csv_path);
  g_free (s->target);
  g_free (s->positive);
  g_strfreev (s->protected_attributes);
  g_free (s->treatment);
  g_free (s->outcome);
  g_strfreev (s->covariates);
  g_strfreev (s->features);
  g_free (s->command_line);
  g_free (s);
}

static GbFairnessResult *
make_fairness (const char *attribute, const char *const *groups, guint n_groups)
{
  GbFairnessResult *f = g_new0 (GbFairnessResult, 1);
  double lo = 1, hi = 0, tlo = 1, thi = 0, flo = 1, fhi = 0;

  f->attribute = g_strdup (attribute);
  f->n_groups = n_groups;
  f->groups = g_new0 (GbGroupRates, n_groups);
  for (guint g = 0; g < n_groups; g++)
    {
      GbGroupRates *r = &f->groups[g];
      r->group = g_strdup (groups[g]);
      r->tp = 40 + 7 * g;
      r->fn = 20 + 3 * g;
      r->fp = 10 + 5 * g;
      r->tn = 300 - 11 * (g % 20);
      r->n = r->tp + r->fn + r->fp + r->tn;
      r->base_rate = (double) (r->tp + r->fn) / r->n;
      r->selection_rate = (double) (r->tp + r->fp) / r->n;
      r->tpr = (double) r->tp / (r->tp + r->fn);
      r->fpr = (double) r->fp / (r->fp + r->tn);
      r->fnr = 1 - r->tpr;
      r->ppv = (double) r->tp / (r->tp + r->fp);
      r->accuracy = (double) (r->tp + r->tn) / r->n;
      lo = MIN (lo, r->selection_rate);
      hi = MAX (hi, r->selection_rate);
      tlo = MIN (tlo, r->tpr);
      thi = MAX (thi, r->tpr);
      flo = MIN (flo, r->fpr);
      fhi = MAX (fhi, r->fpr);
    }
  if (n_groups > 2)
    f->groups[n_groups - 1].ppv = NAN;  /* an undefined rate */
  f->disparate_impact_ratio = lo / hi;
  f->statistical_parity_difference = hi - lo;
  f->equal_opportunity_difference = thi - tlo;
  f->equalized_odds_difference = MAX (thi - tlo, fhi - flo);
  return f;
}

static void
free_fairness (gpointer data)
{
  GbFairnessResult *f = data;
  for (guint g = 0; g < f->n_groups; g++)
    g_free (f->groups[g].group);
  g_free (f->groups);
  g_free (f->attribute);
  g_free (f);
}

static void
add_estimate (GArray *a, const char *method, const char *estimand, double est, double se,
              const char *se_method, double p, gsize n)
{
  GbEstimate e = { 0 };
  e.method = g_strdup (method);
  e.estimand = g_strdup (estimand);
  e.estimate = est;
  e.std_error = se;
  e.se_method = g_strdup (se_method);
  e.ci_low = est - 1.959964 * se;
  e.ci_high = est + 1.959964 * se;
  e.p_value = p;
  e.n_used = n;
  g_array_append_val (a, e);
}

/* A results struct with small known values; @n_columns columns (a wide
 * CSV makes the data table span pages). */
static GbAuditResults *
make_results (guint n_columns, gboolean full)
{
  GbAuditResults *r = g_new0 (GbAuditResults, 1);
  const char *libs[] = { "GLib 2.74.6", "Cairo 1.16.0", "Pango 1.50.12", NULL };
  const char *features[] = { "age", "workclass", "education", "education-num",
                             "marital-status", "occupation", "relationship", "race", "sex",
                             "capital-gain", "capital-loss", "hours-per-week",
                             "native-country" };
  const guint F = G_N_ELEMENTS (features);
  const char *sexes[] = { "Female", "Male" };
  const char *races[] = { "White", "Black", "Asian-Pac-Islander", "Amer-Indian-Eskimo",
                          "Other" };

  r->created = g_strdup ("2026-11-29T21:45:00Z");
  r->glassbox_version = g_strdup ("0.1.0");
  r->library_versions = g_strdupv ((char **) libs);
  r->elapsed_seconds = 83.4;

  r->dataset_path = g_strdup ("/data/adult.csv");
  r->dataset_sha256 = g_strdup ("5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d");
  r->n_rows = 32561;
  r->n_columns = n_columns;
  r->column_names = g_new0 (char *, n_columns + 1);
  r->column_types = g_new0 (char *, n_columns + 1);
  r->column_missing = g_new0 (gsize, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      r->column_names[c] = c < F ? g_strdup (features[c]) : g_strdup_printf ("extra-column-%u", c);
      r->column_types[c] = g_strdup (c % 3 == 0 ? "numeric" : c % 3 == 1 ? "categorical" : "text");
      r->column_missing[c] = c % 4 == 1 ? 583 * (c % 40) : 0;
    }
  if (!full)
    return r;

  r->has_model = TRUE;
  r->target_description = g_strdup ("income-per-year = >50K");
  r->n_features = F;
  r->feature_names = g_new0 (char *, F + 1);
  for (guint j = 0; j < F; j++)
    r->feature_names[j] = g_strdup (features[j]);
  r->n_train = 22792;
  r->n_test = 9769;
  r->positive_rate_test = 0.2408;
  r->accuracy = 0.853;
  r->roc_auc = 0.912;
  r->roc_len = 6;
  r->roc_fpr = g_new (double, 6);
  r->roc_tpr = g_new (double, 6);
  {
    const double fpr[] = { 0, 0.02, 0.08, 0.2, 0.5, 1 }, tpr[] = { 0, 0.35, 0.65, 0.85, 0.97, 1 };
    memcpy (r->roc_fpr, fpr, sizeof fpr);
    memcpy (r->roc_tpr, tpr, sizeof tpr);
  }
  r->baseline_accuracy = 0.848;
  r->baseline_roc_auc = 0.903;
  r->n_parameters = 27362;
  r->train_seconds = 61.2;
  r->epochs_run = 8;
  r->final_train_loss = 0.3121;
  r->final_val_loss = 0.3204;

  r->integrated_gradients = g_new0 (GbIgResult, 1);
  {
    GbIgResult *ig = r->integrated_gradients;
    ig->n_features = F;
    ig->feature_names = g_strdupv (r->feature_names);
    ig->n_rows = 4;
    ig->rows = g_new0 (GbIgRow, 4);
    ig->global = g_new0 (double, F);
    ig->steps = 64;
    ig->class_index = 1;
    ig->baseline = g_strdup ("zero feature-token embeddings");
    for (gsize i = 0; i < 4; i++)
      {
        GbIgRow *row = &ig->rows[i];
        double sum = 0;
        row->row = 100 + 37 * i;
        row->attributions = g_new (double, F);
        for (guint j = 0; j < F; j++)
          {
            row->attributions[j] = sin (1.0 + i * 1.7 + j * 0.9) * (0.3 / (1 + j * 0.3));
            sum += row->attributions[j];
            ig->global[j] += fabs (row->attributions[j]) / 4;
          }
        row->baseline_prediction = 0.24;
        row->prediction = 0.24 + sum + 0.001 * (i + 1);
        row->completeness_residual = 0.001 * (i + 1);
      }
  }
  r->ig_seconds = 2.5;

  r->fairness = g_ptr_array_new_with_free_func (free_fairness);
  g_ptr_array_add (r->fairness, make_fairness ("sex", sexes, 2));
  g_ptr_array_add (r->fairness, make_fairness ("race", races, 5));

  r->has_causal = TRUE;
  r->treatment_description = g_strdup ("education-num >= 13");
  r->outcome_description = g_strdup ("income-per-year = >50K");
  {
    const char *cov[] = { "age", "sex", "race", "marital-status", "hours-per-week", NULL };
    r->covariate_names = g_strdupv ((char **) cov);
  }
  r->n_treated = 8024;
  r->n_control = 24537;
  r->estimates = g_array_new (FALSE, TRUE, sizeof (GbEstimate));
  add_estimate (r->estimates, "naive", "ATE", 0.2869, 0.0058, "welch", 1e-300, 32561);
  add_estimate (r->estimates, "ipw", "ATE", 0.2512, 0.0071,
                "sandwich (M-estimation, propensity estimated)", 1e-200, 32561);
  add_estimate (r->estimates, "ipw_hajek", "ATE", 0.2487, 0.0064,
                "sandwich (M-estimation, propensity estimated)", 1e-200, 32561);
  return r;
}

static void
free_results (GbAuditResults *r)
{
  g_free (r->created);
  g_free (r->glassbox_version);
  g_strfreev (r->library_versions);
  g_free (r->dataset_path);
  g_free (r->dataset_sha256);
  g_strfreev (r->column_names);
  g_strfreev (r->column_types);
  g_free (r->column_missing);
  g_free (r->target_description);
  g_strfreev (r->feature_names);
  g_free (r->roc_fpr);
  g_free (r->roc_tpr);
  if (r->integrated_gradients)
    {
      GbIgResult *ig = r->integrated_gradients;
      for (gsize i = 0; i < ig->n_rows; i++)
        g_free (ig->rows[i].attributions);
      g_free (ig->rows);
      g_free (ig->global);
      g_strfreev (ig->feature_names);
      g_free (ig->baseline);
      g_free (ig);
    }
  if (r->fairness)
    g_ptr_array_unref (r->fairness);
  g_free (r->treatment_description);
  g_free (r->outcome_description);
  g_strfreev (r->covariate_names);
  if (r->estimates)
    {
      for (guint i = 0; i < r->estimates->len; i++)
        {
          GbEstimate *e = &g_array_index (r->estimates, GbEstimate, i);
          g_free (e->method);
          g_free (e->estimand);
          g_free (e->se_method);
        }
      g_array_unref (r->estimates);
    }
  g_free (r);
}

/* Runs a poppler tool; NULL (and the test skipped) when it is not installed. */
static char *
run_tool (const char *tool, const char *arg1, const char *path)
{
  g_autofree char *exe = g_find_program_in_path (tool);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[6];
  int k = 0;

  if (exe == NULL)
    return NULL;
  argv[k++] = exe;
  if (arg1)
    argv[k++] = arg1;
  argv[k++] = path;
  if (g_str_equal (tool, "pdftotext"))
    argv[k++] = "-";
  argv[k] = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static int
pdf_pages (const char *path)
{
  g_autofree char *info = run_tool ("pdfinfo", NULL, path);
  const char *p;

  if (info == NULL)
    return -1;
  p = strstr (info, "Pages:");
  g_assert_nonnull (p);
  return atoi (p + 6);
}

static char *
squeeze (const char *s)
{
  GString *o = g_string_new (NULL);
  for (; *s; s++)
    if (!g_ascii_isspace (*s))
      g_string_append_c (o, *s);
  return g_string_free (o, FALSE);
}

/* Removes the quotes and backslashes of @s in place; returns @s. */
static char *
unquote (char *s)
{
  char *o = s;
  for (const char *c = s; *c; c++)
    if (*c != '\'' && *c != '\\')
      *o++ = *c;
  *o = '\0';
  return s;
}

static char *
tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("gb-test-plot-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  if (d)
    g_dir_close (d);
  g_rmdir (dir);
}

static guint
count_files (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  while (d && g_dir_read_name (d))
    n++;
  if (d)
    g_dir_close (d);
  return n;
}

static void
keep_copy (const char *path, const char *name)
{
  const char *dir = g_getenv ("GB_PLOT_DUMP");
  if (dir)
    {
      g_autofree char *contents = NULL;
      gsize len;
      g_autofree char *dest = g_build_filename (dir, name, NULL);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (dest, contents, len, NULL));
    }
}

static void
test_pdf_sections (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "audit.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat_text = NULL;
  g_autofree char *flat_cmd = NULL;
  g_autoptr(GError) error = NULL;
  GbAuditSettings *s = make_settings ();
  GbAuditResults *r = make_results (14, TRUE);
  const char *headings[] = { "Glassbox audit report", "1 Data", "2 Model performance",
                             "3 Explanations", "4 Fairness", "5 Causal effects",
                             "6 Provenance" };
  gsize len;
  int pages;

  g_assert_true (gb_report_write_pdf (s, r, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  keep_copy (path, "audit.pdf");
  /* only the report in the folder: no temporary file left behind */
  g_assert_cmpuint (count_files (dir), ==, 1);

  pages = pdf_pages (path);
  if (pages < 0)
    {
      g_test_skip ("pdfinfo not found");
      goto out;
    }
  g_assert_cmpint (pages, >=, 6);
  text = run_tool ("pdftotext", "-layout", path);
  if (text == NULL)
    {
      g_test_skip ("pdftotext not found");
      goto out;
    }
  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    g_assert_nonnull (strstr (text, headings[i]));
  flat_text = squeeze (text);
  /* the command as printed: wrapped with backslash-newline, quotes only
   * where a shell needs them (gb_report_format_command; its exactness is
   * test-report-preview's) — compare without spaces, quotes and backslashes */
  flat_cmd = squeeze (s->command_line);
  g_assert_nonnull (strstr (unquote (flat_text), unquote (flat_cmd)));
  /* numbers and sentences from the results, locale-independent */
  g_assert_nonnull (strstr (text, "0.912"));
  g_assert_nonnull (strstr (flat_text, "ROC-AUCis0.91("));
  g_assert_nonnull (strstr (flat_text, "logistic-regressionbaseline0.90)"));
  g_assert_nonnull (strstr (flat_text, "timesthatofthehighest"));
  g_assert_nonnull (strstr (flat_text, "(disparateimpactratio)"));
  g_assert_nonnull (strstr (text, "four-fifths threshold"));
  g_assert_nonnull (strstr (text, "page 1 of "));
  g_assert_nonnull (strstr (text, "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d"));
  g_assert_nonnull (strstr (text, "largest completeness residual is 0.004"));
  g_assert_nonnull (strstr (text, "Female"));
  /* the footer numbers every page */
  for (int i = 1; i <= pages; i++)
    {
      g_autofree char *footer = g_strdup_printf ("page %d of %d", i, pages);
      g_assert_nonnull (strstr (text, footer));
    }

  {
    g_autofree char *info = run_tool ("pdfinfo", NULL, path);
    g_assert_nonnull (strstr (info, "Glassbox audit report"));
    g_assert_true (g_regex_match_simple ("^Author: +Glassbox$", info, G_REGEX_MULTILINE, 0));
    g_assert_true (g_regex_match_simple ("^Creator: +Glassbox", info, G_REGEX_MULTILINE, 0));
    g_assert_true (g_regex_match_simple ("^Subject: +Audit .*adult.csv", info, G_REGEX_MULTILINE, 0));
    g_assert_true (g_regex_match_simple ("^CreationDate: .*2026", info, G_REGEX_MULTILINE, 0));
    g_assert_nonnull (strstr (info, "A4"));
  }
out:
  free_settings (s);
  free_results (r);
  remove_dir (dir);
}

static void
test_pdf_absent_sections (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "empty.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GbAuditSettings *s = make_settings ();
  GbAuditResults *r = make_results (3, FALSE);

  g_clear_pointer (&s->command_line, g_free);
  g_assert_true (gb_report_write_pdf (s, r, path, &error));
  g_assert_no_error (error);
  keep_copy (path, "audit-empty.pdf");
  text = run_tool ("pdftotext", NULL, path);
  if (text == NULL)
    {
      g_test_skip ("pdftotext not found");
    }
  else
    {
      g_assert_nonnull (strstr (text, "2 Model performance"));
      g_assert_nonnull (strstr (text, "Model performance was not assessed"));
      g_assert_nonnull (strstr (text, "Integrated gradients were not run"));
      g_assert_nonnull (strstr (text, "fairness analysis was not run"));
      g_assert_nonnull (strstr (text, "causal analysis was not run"));
      g_assert_nonnull (strstr (text, "No command line was recorded"));
    }
  free_settings (s);
  free_results (r);
  remove_dir (dir);
}

static void
test_pdf_wide_table (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "wide.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GbAuditSettings *s = make_settings ();
  GbAuditResults *r = make_results (150, TRUE);
  g_auto(GStrv) pages = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint with_header = 0, groups_with_header = 0;

  /* a protected attribute with 70 groups: its table spans pages too */
  for (guint g = 0; g < 70; g++)
    g_ptr_array_add (names, g_strdup_printf ("country-%02u", g));
  g_ptr_array_add (r->fairness, make_fairness ("native-country",
                                               (const char *const *) names->pdata, 70));

  g_assert_true (gb_report_write_pdf (s, r, path, &error));
  g_assert_no_error (error);
  keep_copy (path, "audit-wide.pdf");
  text = run_tool ("pdftotext", NULL, path);
  if (text == NULL)
    {
      g_test_skip ("pdftotext not found");
      goto out;
    }
  /* every column is listed, and the table's header repeats on each page it spans */
  g_assert_nonnull (strstr (text, "extra-column-149"));
  pages = g_strsplit (text, "\f", -1);
  for (guint i = 0; pages[i]; i++)
    if (strstr (pages[i], "extra-column-") && strstr (pages[i], "Missing"))
      with_header++;
  g_assert_cmpuint (with_header, >=, 3);
  g_assert_nonnull (strstr (text, "country-69"));
  for (guint i = 0; pages[i]; i++)
    if (strstr (pages[i], "country-") && strstr (pages[i], "Selection"))
      groups_with_header++;
  g_assert_cmpuint (groups_with_header, >=, 2);
out:
  free_settings (s);
  free_results (r);
  remove_dir (dir);
}

static void
test_pdf_atomic (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "report.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GbAuditSettings *s = make_settings ();
  GbAuditResults *r = make_results (5, TRUE);

  /* a folder that does not exist: an error naming the path, nothing written */
  g_assert_false (gb_report_write_pdf (s, r, missing, &error));
  g_assert_error (error, GB_REPORT_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* the target is a folder: fails, and leaves no temporary file */
  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  g_assert_false (gb_report_write_pdf (s, r, path, &error));
  g_assert_error (error, GB_REPORT_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 1);
  g_assert_cmpint (g_rmdir (path), ==, 0);

  /* an existing file is replaced on success */
  g_assert_true (g_file_set_contents (path, "old report", -1, NULL));
  g_assert_true (gb_report_write_pdf (s, r, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  g_assert_cmpuint (count_files (dir), ==, 1);
  g_clear_pointer (&contents, g_free);

  /* and left intact when writing fails (a read-only folder; root ignores modes) */
  if (geteuid () != 0)
    {
      g_assert_true (g_file_set_contents (path, "old report", -1, NULL));
      g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
      g_assert_false (gb_report_write_pdf (s, r, path, &error));
      g_assert_error (error, GB_REPORT_ERROR, GB_ERROR_IO);
      g_clear_error (&error);
      g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "old report");
      g_assert_cmpuint (count_files (dir), ==, 1);
    }

  free_settings (s);
  free_results (r);
  remove_dir (dir);
}

static void
test_pdf_locale (void)
{
  /* GTK sets the user's locale; a decimal comma must not leak into numbers */
  const char *locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "de_DE.utf8", "fr_FR.utf8", NULL };
  g_autofree char *old = g_strdup (setlocale (LC_ALL, NULL));
  const char *found = NULL;

  for (guint i = 0; locales[i] && !found; i++)
    if (setlocale (LC_ALL, locales[i]))
      found = locales[i];
  if (!found)
    {
      g_test_skip ("no locale with a decimal comma installed");
      return;
    }
  {
    g_autofree char *dir = tmp_dir ();
    g_autofree char *path = g_build_filename (dir, "l.pdf", NULL);
    g_autofree char *text = NULL;
    GbAuditSettings *s = make_settings ();
    GbAuditResults *r = make_results (5, TRUE);
    g_assert_true (gb_report_write_pdf (s, r, path, NULL));
    text = run_tool ("pdftotext", NULL, path);
    if (text)
      {
        g_assert_nonnull (strstr (text, "0.912"));
        g_assert_null (strstr (text, "0,912"));
      }
    free_settings (s);
    free_results (r);
    remove_dir (dir);
  }
  setlocale (LC_ALL, old);
}

/* The base font follows the chart's size within per-thread bounds. */
static gpointer
font_in_thread (gpointer data)
{
  (void) data;
  return GINT_TO_POINTER ((int) lround (gb_plot_base_font_size (240, 76) * 100));
}

static void
test_font_range (void)
{
  GThread *t;

  /* MIN (w / 46, h / 15), clamped to 6–12 by default */
  g_assert_cmpfloat_with_epsilon (gb_plot_base_font_size (480, 400), 480 / 46.0, 1e-12);
  g_assert_cmpfloat (gb_plot_base_font_size (240, 76), ==, 6.0);
  g_assert_cmpfloat (gb_plot_base_font_size (2000, 2000), ==, 12.0);
  gb_plot_set_font_range (7.0, 9.0);
  g_assert_cmpfloat (gb_plot_base_font_size (240, 76), ==, 7.0);
  g_assert_cmpfloat (gb_plot_base_font_size (480, 400), ==, 9.0);
  /* another thread keeps the default bounds */
  t = g_thread_new ("font", font_in_thread, NULL);
  g_assert_cmpint (GPOINTER_TO_INT (g_thread_join (t)), ==, 600);
  gb_plot_set_font_range (0, 0);
  g_assert_cmpfloat_with_epsilon (gb_plot_base_font_size (480, 400), 480 / 46.0, 1e-12);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/plot/font-range", test_font_range);
  g_test_add_func ("/engine/plot/roc/perfect-curve-top-left", test_roc_perfect);
  g_test_add_func ("/engine/plot/roc/state-restored", test_roc_state_restored);
  g_test_add_func ("/engine/plot/bar/proportional", test_bar_proportional);
  g_test_add_func ("/engine/plot/bar/signed", test_bar_signed);
  g_test_add_func ("/engine/plot/bar/nan-skipped", test_bar_nan_skipped);
  g_test_add_func ("/engine/plot/bar/many-long-labels", test_bar_many_long_labels);
  g_test_add_func ("/engine/plot/grouped-bar/heights", test_grouped_bar_heights);
  g_test_add_func ("/engine/plot/heatmap/colours", test_heatmap_colours);
  g_test_add_func ("/engine/plot/heatmap/symmetric", test_heatmap_symmetric);
  g_test_add_func ("/engine/plot/forest/interval", test_forest_interval);
  g_test_add_func ("/engine/plot/forest/nan", test_forest_nan);
  g_test_add_func ("/engine/plot/empty", test_empty);
  g_test_add_func ("/engine/plot/pdf/sections", test_pdf_sections);
  g_test_add_func ("/engine/plot/pdf/absent-sections", test_pdf_absent_sections);
  g_test_add_func ("/engine/plot/pdf/wide-table", test_pdf_wide_table);
  g_test_add_func ("/engine/plot/pdf/atomic", test_pdf_atomic);
  g_test_add_func ("/engine/plot/pdf/locale", test_pdf_locale);
  return g_test_run ();
}
