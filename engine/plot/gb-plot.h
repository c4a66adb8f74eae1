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
 * gb_plot_set_font_range:
 * @min_size: @max_size: bounds, in user units, of the base font size that
 *   every painter derives from its rectangle (MIN (width / 46, height / 15),
 *   clamped); 0, 0 restores the default bounds 6–12
 *
 * The screen wants the font to follow the chart's size; a printed report
 * wants every chart's text about the same size as each other (the PDF uses
 * 7–9 pt next to its 10 pt body text).  The bounds hold for the calling
 * thread only, so a report rendered on a worker thread does not change the
 * charts the GUI draws at the same time.
 */
void gb_plot_set_font_range (double min_size, double max_size);

/**
 * gb_plot_get_n_ellipsized:
 *
 * Returns: how many labels the calling thread's painters have shortened
 *   with an ellipsis to fit their room so far (a test compares it before
 *   and after one chart).
 */
guint gb_plot_get_n_ellipsized (void);

/**
 * gb_plot_base_font_size:
 * @width: @height: a chart's size in user units
 *
 * Returns: the base font size the painters use for a chart of this size,
 *   within the calling thread's bounds (see gb_plot_set_font_range()).
 */
double gb_plot_base_font_size (double width, double height);

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

/**
 * gb_plot_love_draw:
 * @labels: (array length=n): covariate names, one row each (top to bottom)
 * @smd_before: (array length=n): standardized mean differences before adjustment
 * @smd_after: (nullable) (array length=n): after the first adjustment (e.g. IPW weights)
 * @smd_after2: (nullable) (array length=n): after a second adjustment (e.g. matching)
 * @after_label: @after2_label: (nullable): legend names of the two adjustments
 * @threshold: x of a dashed line (0.1, Austin 2009); ≤ 0 = none
 *
 * Love plot (Ahmed et al. 2006; cobalt's love.plot): |SMD| per covariate,
 * open vermillion circles before, filled blue circles after, green squares
 * after the second adjustment; NaN values are not drawn.
 */
void gb_plot_love_draw (cairo_t *cr, double width, double height, const char *title,
                        const char *const *labels, const double *smd_before,
                        const double *smd_after, const double *smd_after2, gsize n,
                        const char *after_label, const char *after2_label, double threshold);

/**
 * gb_plot_overlap_draw:
 * @propensity: (array length=n): propensity scores in [0, 1] (NaN skipped)
 * @treatment: (array length=n): 1 treated, 0 control (NaN skipped)
 * @n_bins: histogram bins on [0, 1] (< 2 = 20)
 * @trim_alpha: draws dashed lines at α and 1 − α when in (0, 0.5)
 *
 * Mirrored histogram of the propensity score: the treated group's share
 * per bin above the axis, the control group's below, so both groups are
 * on the same scale whatever their sizes; bins where one side is empty
 * show where the groups do not overlap.
 */
void gb_plot_overlap_draw (cairo_t *cr, double width, double height, const char *title,
                           const double *propensity, const double *treatment, gsize n,
                           guint n_bins, double trim_alpha);

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

/* ---------------------------------- fairness curves (gb-plot-fairness-gap.c) */

/**
 * gb_plot_gap_decomposition_draw:
 * @features: (array length=n): feature names
 * @values: (array length=n): each feature's share of the gap (signed)
 * @ci_low: @ci_high: (nullable) (array length=n): interval ends (whiskers; NAN = none)
 * @n: features
 * @gap: the whole gap (drawn as a dashed line; the values sum to it)
 * @max_bars: bars drawn at most: the largest max_bars − 1 by |value| and a
 *   grey "other (k features)" bar with the sum of the rest (all when n ≤ max_bars)
 * @value_label: (nullable): axis title (default "share of the gap")
 *
 * Why a fairness gap exists (issue 6): horizontal bars from 0, positive in
 * vermillion and negative in blue, with interval whiskers, largest first.
 */
void gb_plot_gap_decomposition_draw (cairo_t *cr, double width, double height, const char *title,
                                     const char *const *features, const double *values,
                                     const double *ci_low, const double *ci_high, gsize n,
                                     double gap, guint max_bars, const char *value_label);

/**
 * gb_plot_group_roc_draw:
 * @groups: (array length=n_groups): group labels
 * @fpr: @tpr: (array length=n_groups): per group, (len[g]) ROC points (nullable entries skipped)
 * @len: (array length=n_groups): points per group
 * @auc: (nullable) (array length=n_groups): ROC-AUC per group, in the legend
 * @reference: the reference group (black, drawn on top, "(ref.)"), or −1
 *
 * One ROC curve per group on the unit square with the chance diagonal.
 */
void gb_plot_group_roc_draw (cairo_t *cr, double width, double height, const char *title,
                             const char *const *groups, const double *const *fpr,
                             const double *const *tpr, const gsize *len, const double *auc,
                             gsize n_groups, gssize reference);

/**
 * gb_plot_group_calibration_draw:
 * @groups: (array length=n_groups): group labels
 * @mean_score: @observed: (array length=n_groups): per group, (n_bins) mean
 *   score and observed positive rate per score bin (NAN = empty bin)
 * @counts: (nullable) (array length=n_groups): per group, (n_bins) rows per
 *   bin (dot size; empty bins skipped)
 * @n_bins: bins per group
 * @reference: the reference group, or −1
 *
 * Calibration curves per group with the diagonal of perfect calibration.
 */
void gb_plot_group_calibration_draw (cairo_t *cr, double width, double height, const char *title,
                                     const char *const *groups, const double *const *mean_score,
                                     const double *const *observed, const gsize *const *counts,
                                     guint n_bins, gsize n_groups, gssize reference);

G_END_DECLS

/* ------------------------------------------ column summaries (gb-plot-data.c) */

G_BEGIN_DECLS

struct _GbColumnSummary;   /* gb-dataset-summary.h (engine/data) */

/**
 * gb_plot_column_summary_draw:
 * @cr: target context; the painter fills @width × @height from (0, 0)
 * @title: (nullable): drawn on top (NULL: the column name)
 * @summary: a column summary (gb_dataset_summarize_column())
 *
 * The small chart of the Dataset pane's side panel: for a numeric or date
 * column the histogram of @summary's bins (bars in blue, touching, x axis
 * labelled with the first and last edge — dates as YYYY-MM-DD — y axis
 * with the largest count); for a categorical, boolean or text column one
 * horizontal bar per top value (longest first) plus a grey "other" bar for
 * the rest, each labelled with its count.  A caption gives the missing
 * count when there are missing cells.  Bars use the Okabe–Ito blue
 * (#0072B2), which stays distinct for colour-blind readers.
 */
void gb_plot_column_summary_draw (cairo_t *cr, double width, double height, const char *title,
                                  const struct _GbColumnSummary *summary);

/* ---- explanations (engine/plot/gb-plot-explain.c) ---- */

/**
 * gb_plot_token_heatmap_draw:
 * @tokens: (array length=n): the tokens (words, word pieces or "feature = value")
 * @values: (array length=n): attribution per token; the background colour
 *   is the diverging scale at value / max|value|
 * @value_label: (nullable): legend title
 *
 * Tokens laid out as running text, each on a coloured box, wrapped at
 * the width; a colour bar legend below.  Tokens that do not fit are not drawn.
 */
void gb_plot_token_heatmap_draw (cairo_t *cr, double width, double height, const char *title,
                                 const char *const *tokens, const double *values, gsize n,
                                 const char *value_label);

/**
 * gb_plot_waterfall_draw:
 * @labels: (array length=n): feature labels
 * @values: (array length=n): attributions of one row
 * @std_errors: (nullable) (array length=n): drawn as 95 % whiskers (±1.96 SE)
 * @base_value: where the bars start (φ₀, f(x′))
 * @prediction: f(x) marked at the bottom (NAN = base + Σ values)
 * @max_bars: largest |value| features drawn (0 = 12); the rest are summed in one bar
 *
 * Feature waterfall for one row: from the base value, one bar per feature
 * (red up, blue down) in descending |value|, to f(x).
 */
void gb_plot_waterfall_draw (cairo_t *cr, double width, double height, const char *title,
                             const char *const *labels, const double *values,
                             const double *std_errors, gsize n, double base_value,
                             double prediction, gsize max_bars);

/**
 * gb_plot_beeswarm_draw:
 * @features: (array length=n_features): feature names
 * @attributions: (n_rows, n_features) row-major
 * @feature_values: (nullable) (n_rows, n_features) numeric feature values
 *   colouring the points low (blue) to high (red); NAN = grey
 * @max_features: features drawn, by mean |attribution| (0 = 15)
 *
 * Beeswarm summary (as shap.summary_plot): one row per feature, one point
 * per explained row at its attribution, stacked where they collide.
 */
void gb_plot_beeswarm_draw (cairo_t *cr, double width, double height, const char *title,
                            const char *const *features, gsize n_features,
                            const double *attributions, const double *feature_values,
                            gsize n_rows, gsize max_features);

/**
 * gb_plot_dependence_draw:
 * @feature: (nullable): x axis title
 * @values: @attributions: (array length=n): feature value and its attribution per row
 *
 * Dependence plot: feature value against attribution, a zero line.
 */
void gb_plot_dependence_draw (cairo_t *cr, double width, double height, const char *title,
                              const char *feature, const double *values,
                              const double *attributions, gsize n);

/**
 * gb_plot_curves_draw:
 * @series: (array length=n_series): legend names (e.g. the methods)
 * @curves: (n_series, n_points) row-major y values; x = 0 .. n_points − 1
 * @x_label: @y_label: (nullable): axis titles
 *
 * Line chart of several curves against a step count, each in an
 * Okabe–Ito colour with its own dash pattern (deletion/insertion curves).
 */
void gb_plot_curves_draw (cairo_t *cr, double width, double height, const char *title,
                          const char *const *series, gsize n_series, const double *curves,
                          gsize n_points, const char *x_label, const char *y_label);

G_END_DECLS

/* ------------------------------ model evaluation (gb-plot-model.c) */

G_BEGIN_DECLS

struct _GbReliability;   /* gb-metrics-class.h (engine/stats) */

/**
 * gb_plot_reliability_draw:
 * @cr: target context; the painter fills @width × @height from (0, 0)
 * @title: (nullable): drawn on top
 * @rel: (nullable): reliability-diagram data (gb_reliability_top_label() or
 *   gb_reliability_binary()); %NULL or no rows draws the axes and "No predictions"
 * @x_label: (nullable): x axis title (default "Confidence"; "Mean predicted
 *   probability" for the binary diagram)
 * @y_label: (nullable): y axis title and legend entry (default "Accuracy";
 *   "Fraction of positives" for the binary diagram)
 *
 * Reliability diagram as in Guo et al. 2017, fig. 1: one Okabe–Ito blue bar
 * per non-empty bin, from the bin's lower to upper edge, as tall as the
 * observed frequency; the gap between that height and the bin's mean
 * confidence in vermillion — a solid box above an over-confident bin's bar,
 * hatching inside an under-confident bin's bar (so the bar keeps its height); the dashed diagonal of perfect calibration; a
 * legend with the ECE and the number of rows.  Square plot area, axes 0–1.
 */
void gb_plot_reliability_draw (cairo_t *cr, double width, double height, const char *title,
                               const struct _GbReliability *rel, const char *x_label,
                               const char *y_label);

/**
 * gb_plot_confusion_draw:
 * @cr: target context
 * @title: (nullable): drawn on top
 * @labels: (nullable) (array length=n_classes): class names (NULL: 0, 1, …)
 * @n_classes: K (0 draws "No data")
 * @counts: (K, K) row-major counts, row = true class, column = predicted
 *   (GbClassReport.confusion)
 * @normalize_rows: shade each cell by its share of the row (recall on the
 *   diagonal) and print that share under the count; otherwise shade by
 *   count / largest count
 *
 * Confusion-matrix heatmap on a white → Okabe–Ito blue scale, white text on
 * cells darker than half the scale, rows with no true examples in light
 * grey.  Counts are printed when the cells are large enough; class labels
 * shrink and the column labels turn vertical for many classes (e.g. the 24
 * of Symptom2Disease).
 */
void gb_plot_confusion_draw (cairo_t *cr, double width, double height, const char *title,
                             const char *const *labels, guint n_classes, const guint64 *counts,
                             gboolean normalize_rows);

/* ---- training loss (issue 4, the Model pane) ---- */

/**
 * gb_plot_loss_draw:
 * @epochs: @train_loss: @val_loss: (array length=n): the points (NAN skipped;
 *   @val_loss nullable)
 * @n_epochs: the x axis runs from 0 to at least this
 * @train_label: @val_label: @x_label: (nullable): legend and axis texts
 *
 * Training (Okabe–Ito blue) and validation (vermillion) loss per epoch.
 */
void gb_plot_loss_draw (cairo_t *cr, double width, double height, const char *title,
                        const double *epochs, const double *train_loss, const double *val_loss,
                        gsize n, guint n_epochs, const char *train_label, const char *val_label,
                        const char *x_label);

/**
 * gb_plot_loss_parse_progress:
 * @message: an audit progress message, "Training the transformer: epoch 2
 *   of 8, loss 0.3176, validation loss 0.3224"
 * @val_loss: (out): NAN when the message has none
 *
 * Returns: %TRUE when @message carries an epoch and a training loss.
 */
gboolean gb_plot_loss_parse_progress (const char *message, guint *epoch, guint *n_epochs,
                                      double *train_loss, double *val_loss);

G_END_DECLS
