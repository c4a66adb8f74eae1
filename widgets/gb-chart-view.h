/* gb-chart-view.h — a widget that shows one engine/plot Cairo painter, with
 * "Copy as Image", "Save as PNG…" and "Save as SVG…" in a context menu
 * (right-click, long-press, Shift+F10 / Menu) and in a menu button that
 * shows on hover or focus.  Widget actions: chart.copy, chart.save-png,
 * chart.save-svg, chart.export("(ss)": format, path). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * GbChartDrawFunc:
 * @cr: the Cairo context, clipped to the chart's rectangle
 * @width: @height: the size of the rectangle in pixels
 * @user_data: the data given with the function
 *
 * Paints a chart into (0, 0, width, height), usually by calling one of the
 * gb_plot_*_draw() painters that the PDF report also uses.
 */
typedef void (*GbChartDrawFunc) (cairo_t *cr, double width, double height, gpointer user_data);

#define GB_TYPE_CHART_VIEW (gb_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (GbChartView, gb_chart_view, GB, CHART_VIEW, GtkWidget)

/**
 * gb_chart_view_new:
 * @draw_func: (nullable): the painter
 * @user_data: (closure): data for @draw_func
 * @destroy: (nullable): frees @user_data when the painter is replaced or the
 *   widget is finalized
 *
 * Returns: (transfer floating): a new chart view
 */
GtkWidget *gb_chart_view_new (GbChartDrawFunc draw_func, gpointer user_data,
                              GDestroyNotify destroy);

/**
 * gb_chart_view_set_draw_func:
 * @self: the chart view
 * @draw_func: (nullable): the painter, %NULL to show nothing
 * @user_data: (closure): data for @draw_func
 * @destroy: (nullable): frees @user_data
 *
 * Replaces the painter (the previous data is freed) and queues a redraw.
 */
void gb_chart_view_set_draw_func (GbChartView *self, GbChartDrawFunc draw_func,
                                  gpointer user_data, GDestroyNotify destroy);

/* The height in pixels (default 320); the width follows the allocation. */
void gb_chart_view_set_chart_height (GbChartView *self, int height);
int  gb_chart_view_get_chart_height (GbChartView *self);

/* Whether a painter is set. */
gboolean gb_chart_view_has_draw_func (GbChartView *self);

/**
 * GbChartFormat:
 * @GB_CHART_FORMAT_PNG: a PNG image (pixels at a scale, 2× by default)
 * @GB_CHART_FORMAT_SVG: an SVG document (vector; size in points = pixels)
 */
typedef enum {
  GB_CHART_FORMAT_PNG,
  GB_CHART_FORMAT_SVG,
} GbChartFormat;

/**
 * gb_chart_view_set_file_name:
 * @self: the chart view
 * @name: (nullable): the base name the save dialog suggests, without the
 *   extension (default "chart")
 */
void gb_chart_view_set_file_name (GbChartView *self, const char *name);

/**
 * gb_chart_view_render:
 * @self: the chart view
 * @format: PNG or SVG
 * @scale: PNG pixels per chart pixel (2 = the "2×" export); ignored for SVG
 * @error: GB_CHART_VIEW_ERROR when Cairo fails
 *
 * Paints the chart on a white sheet at the widget's current size (or, when
 * it is not allocated yet, 520 × the chart height) into a Cairo image
 * surface (PNG) or a cairo_svg_surface (SVG), with the same painter as on
 * screen.  PNG: width × scale by height × scale pixels.  SVG: width ×
 * height points.
 *
 * Returns: (transfer full) (nullable): the encoded file contents.
 */
GBytes *gb_chart_view_render (GbChartView *self, GbChartFormat format, double scale,
                              GError **error);

/**
 * gb_chart_view_render_texture:
 * @self: the chart view
 * @scale: pixels per chart pixel
 *
 * Returns: (transfer full): the chart as a texture (what "Copy as Image"
 *   puts on the clipboard).
 */
GdkTexture *gb_chart_view_render_texture (GbChartView *self, double scale);

/**
 * gb_chart_view_save:
 * @self: the chart view
 * @file: where to write; replaced atomically (a temporary file renamed
 *   over it: g_file_set_contents() for local paths, g_file_replace_contents()
 *   otherwise)
 * @format: PNG (at 2×) or SVG
 * @error: GB_CHART_VIEW_ERROR from Cairo, or a GIO/GFileError naming the
 *   file
 *
 * What "Save as PNG…" and "Save as SVG…" do once a file is chosen; also the
 * widget action "chart.export" with a "(ss)" parameter (format "png" or
 * "svg", a path).
 *
 * Returns: %TRUE when the file was written.
 */
gboolean gb_chart_view_save (GbChartView *self, GFile *file, GbChartFormat format,
                             GError **error);

#define GB_CHART_VIEW_ERROR (gb_chart_view_error_quark ())
GQuark gb_chart_view_error_quark (void);

G_END_DECLS
