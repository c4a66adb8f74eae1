/* gb-chart-view.h — a widget that shows one engine/plot Cairo painter. */
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

G_END_DECLS
