/* gb-dataset-pane-private.h — test-only accessors of GbDatasetPane. */
#pragma once

#include "gb-dataset-pane.h"
#include "gb-column-panel.h"

G_BEGIN_DECLS

#ifdef GB_TESTING
GtkColumnView *gb_dataset_pane_get_column_view  (GbDatasetPane *self);
/* The row model (one item per data row) behind the column view. */
GListModel    *gb_dataset_pane_get_row_model    (GbDatasetPane *self);
/* "start", "loading" or "data". */
const char    *gb_dataset_pane_get_visible_page (GbDatasetPane *self);
/* The number of per-column role rows. */
guint          gb_dataset_pane_get_n_role_rows  (GbDatasetPane *self);
/* The selected column's summary panel. */
GbColumnPanel *gb_dataset_pane_get_column_panel (GbDatasetPane *self);
/* Above @rows rows, sorting and summaries go to the job queue (default 200000). */
void           gb_dataset_pane_set_async_rows   (GbDatasetPane *self, gsize rows);
/* The icon name shown in the header of column @column, or NULL. */
const char    *gb_dataset_pane_get_header_icon  (GbDatasetPane *self, guint column);
/* (transfer container) (element-type utf8): the role messages shown (engine text). */
GPtrArray     *gb_dataset_pane_get_messages     (GbDatasetPane *self, gboolean selected_column_only);
/* The notices banner's text, or NULL when hidden. */
const char    *gb_dataset_pane_get_notices_text (GbDatasetPane *self);
guint          gb_dataset_pane_get_n_recent_rows  (GbDatasetPane *self);
guint          gb_dataset_pane_get_n_example_rows (GbDatasetPane *self);
/* The selected column's Read As row: Detected, Numeric, Categorical, Text, Boolean, Date. */
AdwComboRow   *gb_dataset_pane_get_column_type_row (GbDatasetPane *self);
/* The values offered for the target's positive class (pane.set-positive). */
GMenuModel    *gb_dataset_pane_get_positive_choices (GbDatasetPane *self);
/* Whether a sort runs on the job queue. */
gboolean       gb_dataset_pane_is_sorting       (GbDatasetPane *self);
#endif

G_END_DECLS
