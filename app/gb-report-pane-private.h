/* gb-report-pane-private.h — test-only accessors of GbReportPane. */
#pragma once

#include "gb-report-pane.h"
#include "gb-page-preview.h"

G_BEGIN_DECLS

#ifdef GB_TESTING
/* The number of chart views currently shown. */
guint gb_report_pane_get_n_charts (GbReportPane *self);
/* Chart views in one section: "explanations", "fairness", "causal" or "other". */
guint gb_report_pane_get_n_section_charts (GbReportPane *self, const char *section);
/* The explanation method picker (NULL when no method ran) and the picked method's key. */
GtkDropDown *gb_report_pane_get_method_dropdown (GbReportPane *self);
const char *gb_report_pane_get_method (GbReportPane *self);
/* How often the beeswarm and waterfall were drawn. */
guint gb_report_pane_get_n_explain_draws (GbReportPane *self);
/* "Methods Side by Side": the number of per-method waterfalls and the i-th
 * (a GbChartView; NULL past the end). */
guint gb_report_pane_get_n_side_charts (GbReportPane *self);
GtkWidget *gb_report_pane_get_side_chart (GbReportPane *self, guint i);
/* The dependence plot's feature picker (NULL when no method ran), its picked
 * feature's name (NULL when the picked method has no numeric feature) and
 * its chart (NULL when not shown); the deletion (0) and insertion (1)
 * curves (NULL without faithfulness); a text model's token heatmap (NULL
 * for a tabular model). */
GtkDropDown *gb_report_pane_get_feature_dropdown (GbReportPane *self);
const char *gb_report_pane_get_dependence_feature (GbReportPane *self);
GtkWidget *gb_report_pane_get_dependence_chart (GbReportPane *self);
GtkWidget *gb_report_pane_get_curve_chart (GbReportPane *self, guint i);
GtkWidget *gb_report_pane_get_token_chart (GbReportPane *self);
/* The Model Performance chart: the ROC curve, or a multiclass model's confusion matrix. */
GtkWidget *gb_report_pane_get_performance_chart (GbReportPane *self);
/* The bar labels of the "Global importance" chart of integrated gradients
 * (a text model: features and word pieces), NULL-terminated, transfer full. */
char **gb_report_pane_dup_ig_global_labels (GbReportPane *self);
/* "Explanations by Method": 0 the beeswarm (bars for text), 1 the waterfall. */
GtkWidget *gb_report_pane_get_explain_chart (GbReportPane *self, guint i);
/* How often a chart was painted with data: "dependence", "curves" (both
 * charts) or "tokens". */
guint gb_report_pane_get_n_new_draws (GbReportPane *self, const char *chart);
/* The row search entry (NULL when no method ran) and the picked dataset row
 * (G_MAXSIZE when none). */
GtkSearchEntry *gb_report_pane_get_row_search (GbReportPane *self);
gsize gb_report_pane_get_picked_row (GbReportPane *self);
/* The Audit Report group's auditor row and model-card text buffers (0 .. 4:
 * details, intended use, factors, ethical considerations, caveats). */
AdwEntryRow *gb_report_pane_get_auditor_row (GbReportPane *self);
GtkTextBuffer *gb_report_pane_get_card_buffer (GbReportPane *self, guint i);
/* The live preview of the PDF's pages, a section's switch, whether a
 * render is scheduled or running, and how many renders reached the view. */
GbPagePreview *gb_report_pane_get_preview (GbReportPane *self);
GtkSwitch *gb_report_pane_get_section_switch (GbReportPane *self, GbReportSection section);
gboolean gb_report_pane_preview_pending (GbReportPane *self);
/* a render is in the worker (the debounce is over) */
gboolean gb_report_pane_preview_running (GbReportPane *self);
/* the empty page's title ("No Report Yet", "Audit Running…") */
const char *gb_report_pane_get_empty_title (GbReportPane *self);
guint gb_report_pane_get_n_preview_renders (GbReportPane *self);
#endif

G_END_DECLS
