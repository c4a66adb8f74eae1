/* test-chart-view.c — GbChartView's exports under Xvfb: PNG at 2× (size,
 * the exact pixels of a known painter, a real engine painter non-blank),
 * SVG (well-formed XML whose root is <svg> of the chart's size), the
 * chart.export action writing atomically over an existing file, and
 * chart.copy putting a 2× texture on the clipboard. */
#include "gb-config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "glassbox-engine.h"
#include "gb-chart-view.h"

#define MAX_ITERATIONS 2000000

/* A red rectangle at (10, 10) of 50 × 30 chart pixels, nothing else. */
static void
draw_rect (cairo_t *cr, double width, double height, gpointer data)
{
  cairo_rectangle (cr, 10, 10, 50, 30);
  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_fill (cr);
}

static void
draw_waterfall (cairo_t *cr, double width, double height, gpointer data)
{
  const char *names[] = { "age", "hours", "education", "capital gain" };
  const double values[] = { 0.12, -0.05, 0.08, -0.02 };
  const double se[] = { 0.01, 0.02, 0.01, 0.005 };
  gb_plot_waterfall_draw (cr, width, height, "Waterfall", names, values, se, 4, 0.3, 0.43, 12);
}

static cairo_surface_t *
load_png (GBytes *bytes)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("gb-chart-XXXXXX.png", &path, NULL);
  cairo_surface_t *s;
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
  s = cairo_image_surface_create_from_png (path);
  g_unlink (path);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  return s;
}

/* pixel (x, y) of an ARGB32 surface as 0xAARRGGBB */
static guint32
pixel (cairo_surface_t *s, int x, int y)
{
  const guint8 *d = cairo_image_surface_get_data (s);
  return *(const guint32 *) (d + (gsize) y * cairo_image_surface_get_stride (s) + 4 * x);
}

static gsize
count_not_white (cairo_surface_t *s, gsize *red)
{
  gsize n = 0;
  *red = 0;
  for (int y = 0; y < cairo_image_surface_get_height (s); y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      {
        guint32 p = pixel (s, x, y);
        n += p != 0xffffffffu;
        *red += p == 0xffff0000u;
      }
  return n;
}

/* Records the base font size the painters would use for this rectangle. */
static void
draw_font_probe (cairo_t *cr, double width, double height, gpointer data)
{
  *(double *) data = gb_plot_base_font_size (width, height);
}

/* On screen and in its exports a chart's text is at least 9 px however
 * small the chart (the painters' own bound, 6, made 6 px labels in the
 * Model page at 800 × 600); painters called outside a chart view keep the
 * default bounds. */
static void
test_min_font (void)
{
  double seen = 0;
  GtkWidget *view = g_object_ref_sink (gb_chart_view_new (draw_font_probe, &seen, NULL));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;

  gb_chart_view_set_chart_height (GB_CHART_VIEW (view), 60);
  png = gb_chart_view_render (GB_CHART_VIEW (view), GB_CHART_FORMAT_PNG, 1.0, &error);
  g_assert_no_error (error);
  /* 48 px tall inside the padding: 48 / 15 = 3.2, raised to the bound */
  g_assert_cmpfloat (seen, ==, 9.0);
  g_assert_cmpfloat (gb_plot_base_font_size (508, 48), ==, 6.0);
  g_object_unref (view);
}

static void
test_png (void)
{
  GtkWidget *view = g_object_ref_sink (gb_chart_view_new (draw_rect, NULL, NULL));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  cairo_surface_t *s;
  gsize red, n;
  guint n_short;

  gb_chart_view_set_chart_height (GB_CHART_VIEW (view), 200);
  /* not allocated: 520 × the chart height, at 2× */
  png = gb_chart_view_render (GB_CHART_VIEW (view), GB_CHART_FORMAT_PNG, 2.0, &error);
  g_assert_no_error (error);
  s = load_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 1040);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 400);
  /* the painter's 50 × 30 rectangle, offset by the 6-pixel padding, at 2×:
   * exactly 100 × 60 red pixels and everything else white */
  n = count_not_white (s, &red);
  g_assert_cmpuint (red, ==, 100 * 60);
  g_assert_cmpuint (n, ==, 100 * 60);
  g_assert_cmphex (pixel (s, 2 * 16, 2 * 16), ==, 0xffff0000u);
  g_assert_cmphex (pixel (s, 2 * 16 - 1, 2 * 16), ==, 0xffffffffu);
  g_assert_cmphex (pixel (s, 2 * 66 - 1, 2 * 46 - 1), ==, 0xffff0000u);
  g_assert_cmphex (pixel (s, 2 * 66, 2 * 46 - 1), ==, 0xffffffffu);
  cairo_surface_destroy (s);

  /* a real engine painter is neither blank nor a flood */
  gb_chart_view_set_draw_func (GB_CHART_VIEW (view), draw_waterfall, NULL, NULL);
  g_clear_pointer (&png, g_bytes_unref);
  n_short = gb_plot_get_n_ellipsized ();
  png = gb_chart_view_render (GB_CHART_VIEW (view), GB_CHART_FORMAT_PNG, 2.0, &error);
  g_assert_no_error (error);
  /* short feature names: no label is cut, not even the bold "base 0.300"
   * and "f(x) = 0.430" rows (their room was measured in the regular face) */
  g_assert_cmpuint (gb_plot_get_n_ellipsized (), ==, n_short);
  s = load_png (png);
  n = count_not_white (s, &red);
  g_test_message ("waterfall PNG 1040 × 400: %.1f %% of the pixels not white",
                  100.0 * n / (1040.0 * 400.0));
  g_assert_cmpfloat ((double) n / (1040 * 400), >, 0.01);
  g_assert_cmpfloat ((double) n / (1040 * 400), <, 0.6);
  cairo_surface_destroy (s);
  g_object_unref (view);
}

typedef struct {
  guint elements;
  char *root;
  char *width, *height;
  gboolean red_fill;
} SvgScan;

static void
svg_start (GMarkupParseContext *ctx, const char *name, const char **attr_names,
           const char **attr_values, gpointer data, GError **error)
{
  SvgScan *scan = data;
  if (scan->elements++ == 0)
    {
      scan->root = g_strdup (name);
      for (guint i = 0; attr_names[i]; i++)
        if (g_str_equal (attr_names[i], "width"))
          scan->width = g_strdup (attr_values[i]);
        else if (g_str_equal (attr_names[i], "height"))
          scan->height = g_strdup (attr_values[i]);
    }
  for (guint i = 0; attr_names[i]; i++)
    if (strstr (attr_values[i], "rgb(100%, 0%, 0%)") || strstr (attr_values[i], "rgb(100%,0%,0%)")
        || strstr (attr_values[i], "#ff0000"))
      scan->red_fill = TRUE;
}

static void
test_svg (void)
{
  GtkWidget *view = g_object_ref_sink (gb_chart_view_new (draw_rect, NULL, NULL));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) svg = NULL;
  const GMarkupParser parser = { svg_start };
  SvgScan scan = { 0 };
  GMarkupParseContext *ctx;
  gsize len;
  const char *text;

  gb_chart_view_set_chart_height (GB_CHART_VIEW (view), 200);
  svg = gb_chart_view_render (GB_CHART_VIEW (view), GB_CHART_FORMAT_SVG, 1.0, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (svg, &len);
  g_assert_nonnull (g_strstr_len (text, len, "<svg"));
  ctx = g_markup_parse_context_new (&parser, 0, &scan, NULL);
  g_assert_true (g_markup_parse_context_parse (ctx, text, len, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
  g_markup_parse_context_free (ctx);
  g_assert_cmpstr (scan.root, ==, "svg");
  g_assert_nonnull (scan.width);
  g_assert_cmpfloat (g_ascii_strtod (scan.width, NULL), ==, 520);
  g_assert_cmpfloat (g_ascii_strtod (scan.height, NULL), ==, 200);
  g_assert_true (scan.red_fill);
  g_assert_cmpuint (scan.elements, >=, 3);
  g_test_message ("SVG: %zu bytes, %u elements, <svg width=\"%s\" height=\"%s\">", len,
                  scan.elements, scan.width, scan.height);
  g_free (scan.root);
  g_free (scan.width);
  g_free (scan.height);
  g_object_unref (view);
}

static void
on_texture (GObject *source, GAsyncResult *result, gpointer data)
{
  GdkTexture **out = data;
  g_autoptr(GError) error = NULL;
  *out = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* The actions, on a chart shown in a window: chart.export writes PNG and
 * SVG (replacing an existing file, no temporary left behind), chart.copy
 * puts the 2× image on the clipboard. */
static void
test_actions (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-chart-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "chart.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "chart.svg", NULL);
  GtkWidget *win = gtk_window_new ();
  GtkWidget *view = gb_chart_view_new (draw_rect, NULL, NULL);
  GdkTexture *texture = NULL;
  cairo_surface_t *s;
  gsize red;
  int w, h;

  gb_chart_view_set_chart_height (GB_CHART_VIEW (view), 240);
  gtk_window_set_child (GTK_WINDOW (win), view);
  gtk_window_set_default_size (GTK_WINDOW (win), 600, 240);
  gtk_window_present (GTK_WINDOW (win));
  for (guint i = 0; i < MAX_ITERATIONS && gtk_widget_get_width (view) == 0; i++)
    g_main_context_iteration (NULL, FALSE);
  w = gtk_widget_get_width (view);
  h = gtk_widget_get_height (view);
  g_assert_cmpint (w, >, 0);

  g_assert_true (g_file_set_contents (png, "old", -1, NULL));
  g_assert_true (gtk_widget_activate_action (view, "chart.export", "(ss)", "png", png));
  g_assert_true (gtk_widget_activate_action (view, "chart.export", "(ss)", "svg", svg));
  s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  /* the allocated size, at 2× */
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 2 * w);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 2 * h);
  g_assert_cmpuint (count_not_white (s, &red), ==, 100 * 60);
  cairo_surface_destroy (s);
  {
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "<svg"));
  }
  {
    GDir *d = g_dir_open (dir, 0, NULL);
    guint n = 0;
    while (g_dir_read_name (d))
      n++;
    g_dir_close (d);
    g_assert_cmpuint (n, ==, 2);   /* chart.png and chart.svg, no temporaries */
  }

  g_assert_true (gtk_widget_activate_action (view, "chart.copy", NULL));
  {
    guint ticker = g_timeout_add (10, tick, NULL);
    gdk_clipboard_read_texture_async (gtk_widget_get_clipboard (view), NULL, on_texture, &texture);
    for (guint i = 0; i < MAX_ITERATIONS && texture == NULL; i++)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (ticker);
  }
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 2 * w);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 2 * h);
  g_object_unref (texture);

  gtk_window_destroy (GTK_WINDOW (win));
  g_unlink (png);
  g_unlink (svg);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  g_test_add_func ("/ui/chart-view/png", test_png);
  g_test_add_func ("/ui/chart-view/min-font", test_min_font);
  g_test_add_func ("/ui/chart-view/svg", test_svg);
  g_test_add_func ("/ui/chart-view/actions", test_actions);
  return g_test_run ();
}
