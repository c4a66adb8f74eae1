/* gb-dataset-pane-private.h — test-only accessors of GbDatasetPane. */
#pragma once

#include "gb-dataset-pane.h"

G_BEGIN_DECLS

#ifdef GB_TESTING
GtkColumnView *gb_dataset_pane_get_column_view  (GbDatasetPane *self);
/* The row model (one item per data row) behind the column view. */
GListModel    *gb_dataset_pane_get_row_model    (GbDatasetPane *self);
/* "start", "loading" or "data". */
const char    *gb_dataset_pane_get_visible_page (GbDatasetPane *self);
/* The number of per-column role rows. */
guint          gb_dataset_pane_get_n_role_rows  (GbDatasetPane *self);
#endif

G_END_DECLS
