/* gb-plot.h — charts as pure Cairo painters, shared by the GUI and the PDF.
 *
 * Every painter draws into the rectangle (0, 0, width, height) of @cr in user
 * units (points in the PDF, pixels on screen), uses Pango for text, saves and
 * restores the Cairo state, and never allocates a surface.  Colours come from
 * the Okabe–Ito colour-blind-safe palette; the heatmap uses a diverging
 * blue–white–red scale symmetric around 0. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/**
 * gb_plot_roc_draw:
 * @cr: target
 * @width: @height: size in user units
 * @title: (nullable): title drawn above the plot
 * @fpr: @tpr: (array length=n): the ROC curve's points
 * @n: number of points
 * @auc: area under the curve, printed in the legend
 *
 * ROC curve with the chance diagonal, axes 0–1 with ticks.
 */
void gb_plot_roc_draw (cairo_t *cr, double width, double height, const char *title,
                       const double *fpr, const double *tpr, gsize n, double auc);

/**
 * gb_plot_bar_draw:
 * @labels: (array length=n): bar labels
 * @values: (array length=n): bar lengths (>= 0 or signed; bars start at 0)
 * @n: number of bars (drawn in the given order, top to bottom)
 * @value_label: (nullable): axis title
 *
 * Horizontal bar chart (e.g. global importance, mean |attribution|).
 */
void gb_plot_bar_draw (cairo_t *cr, double width, double height, const char *title,
                       const char *const *labels, const double *values, gsize n,
                       const char *value_label);

/**
 * gb_plot_grouped_bar_draw:
 * @groups: (array length=n_groups): category labels along the x axis
 * @series: (array length=n_series): series names (legend), e.g. "selection rate", "TPR"
 * @values: (n_groups, n_series) row-major values in [0, 1]; NAN = no bar
 *
 * Vertical grouped bars with a legend, y axis 0–1.
 */
void gb_plot_grouped_bar_draw (cairo_t *cr, double width, double height, const char *title,
                               const char *const *groups, gsize n_groups,
                               const char *const *series, gsize n_series,
                               const double *values);

/**
 * gb_plot_heatmap_draw:
 * @row_labels: (array length=n_rows)
 * @col_labels: (array length=n_cols)
 * @values: (n_rows, n_cols) row-major; colour scale symmetric in ±max|value|
 *
 * Rows × columns heatmap with a diverging colour-blind-safe scale and a
 * colour bar legend (e.g. explained rows × features attributions).
 */
void gb_plot_heatmap_draw (cairo_t *cr, double width, double height, const char *title,
                           const char *const *row_labels, gsize n_rows,
                           const char *const *col_labels, gsize n_cols,
                           const double *values);

/**
 * gb_plot_forest_draw:
 * @labels: (array length=n): one label per estimate
 * @estimate: @ci_low: @ci_high: (array length=n): point estimates and 95 % intervals
 * @reference: x position of a dashed reference line (usually 0)
 * @value_label: (nullable): x axis title
 *
 * Forest plot: one row per estimate, a point and a horizontal interval.
 */
void gb_plot_forest_draw (cairo_t *cr, double width, double height, const char *title,
                          const char *const *labels, const double *estimate,
                          const double *ci_low, const double *ci_high, gsize n,
                          double reference, const char *value_label);

G_END_DECLS

/* ------------------------------------------------ fairness (gb-plot-fairness.c) */

G_BEGIN_DECLS

/**
 * gb_plot_fairness_bars_draw:
 * @groups: (array length=n_groups): group labels along the x axis
 * @series: (array length=n_series): rate names (legend)
 * @values: (n_groups, n_series) row-major rates in [0, 1]; NAN = no bar
 * @ci_low: @ci_high: (nullable) (n_groups, n_series): interval ends drawn as whiskers
 * @reference: index of the reference group (shaded, labelled "(ref.)"), or −1
 * @flagged: (nullable) (n_groups): groups drawn paler and starred (e.g. small groups)
 *
 * Grouped rate bars per group with 95 % interval whiskers (issue 6).
 */
void gb_plot_fairness_bars_draw (cairo_t *cr, double width, double height, const char *title,
                                 const char *const *groups, gsize n_groups,
                                 const char *const *series, gsize n_series, const double *values,
                                 const double *ci_low, const double *ci_high, gssize reference,
                                 const gboolean *flagged);

/**
 * gb_plot_disparate_impact_draw:
 * @labels: (array length=n): one row per group compared with the reference
 * @ratio: @ci_low: @ci_high: (array length=n): disparate impact ratios and
 *   their intervals (NAN = not drawn)
 * @reference_label: (nullable): the reference group, named on the axis
 *
 * The disparate-impact chart: a point and interval per group on a ratio
 * axis, the four-fifths band 0.8–1.25 shaded, dashed lines at 0.8 and 1;
 * points below 0.8 in vermillion.
 */
void gb_plot_disparate_impact_draw (cairo_t *cr, double width, double height, const char *title,
                                    const char *const *labels, const double *ratio,
                                    const double *ci_low, const double *ci_high, gsize n,
                                    const char *reference_label);

/**
 * gb_plot_tradeoff_draw:
 * @disparity: @accuracy: (array length=n): the curve (e.g. one common
 *   threshold swept from 0 to 1), drawn in order
 * @disparity_label: (nullable): x axis title
 * @mark_labels: (array length=n_marks): legend of the marked points
 * @mark_disparity: @mark_accuracy: (array length=n_marks): marked points
 *   (e.g. the current threshold and each mitigation)
 *
 * Accuracy (y) against a disparity (x) trade-off chart.
 */
void gb_plot_tradeoff_draw (cairo_t *cr, double width, double height, const char *title,
                            const double *disparity, const double *accuracy, gsize n,
                            const char *disparity_label, const char *const *mark_labels,
                            const double *mark_disparity, const double *mark_accuracy,
                            gsize n_marks);

G_END_DECLS
