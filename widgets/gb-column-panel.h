/* gb-column-panel.h — one column's summary: figures and a small chart. */
#pragma once

#include <adwaita.h>

#include "gb-dataset-summary.h"

G_BEGIN_DECLS

#define GB_TYPE_COLUMN_PANEL (gb_column_panel_get_type ())
G_DECLARE_FINAL_TYPE (GbColumnPanel, gb_column_panel, GB, COLUMN_PANEL, GtkWidget)

/* Returns: (transfer floating): an empty panel. */
GtkWidget *gb_column_panel_new (void);

/**
 * gb_column_panel_set_summary:
 * @self: the panel
 * @summary: (transfer full) (nullable): a column summary
 *   (gb_dataset_summarize_column()), or %NULL to show nothing
 *
 * Shows the summary's figures — count, missing (with its share), distinct,
 * and for numbers and dates minimum, quartiles, maximum, mean and standard
 * deviation, or for other columns the most frequent values with their
 * counts — and its histogram or top-values chart
 * (gb_plot_column_summary_draw(), the painter the PDF uses).
 */
void gb_column_panel_set_summary (GbColumnPanel *self, GbColumnSummary *summary);

/* Returns: (transfer none) (nullable): the summary shown. */
const GbColumnSummary *gb_column_panel_get_summary (GbColumnPanel *self);

/**
 * gb_column_panel_get_value_text:
 * @self: the panel
 * @key: "count", "missing", "distinct", "min", "q1", "median", "q3",
 *   "max", "mean", "sd", "top0" … "top9", "other"
 *
 * Returns: (transfer none) (nullable): the text shown for that figure, or
 *   %NULL when the panel does not show it.
 */
const char *gb_column_panel_get_value_text (GbColumnPanel *self, const char *key);

/* Returns: the number of figure rows shown. */
guint gb_column_panel_get_n_rows (GbColumnPanel *self);

G_END_DECLS
