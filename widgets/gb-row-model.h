/* gb-row-model.h — a GListModel of a table's rows that creates its items
 * lazily, in an optional sort order. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GB_TYPE_ROW_ITEM (gb_row_item_get_type ())
G_DECLARE_FINAL_TYPE (GbRowItem, gb_row_item, GB, ROW_ITEM, GObject)

/* Returns: the data row (0-based, in the file's order) this item shows. */
gsize gb_row_item_get_row (GbRowItem *self);

#define GB_TYPE_ROW_MODEL (gb_row_model_get_type ())
G_DECLARE_FINAL_TYPE (GbRowModel, gb_row_model, GB, ROW_MODEL, GObject)

/**
 * gb_row_model_new:
 * @n_rows: the number of data rows
 *
 * A list of @n_rows #GbRowItem.  No item exists until g_list_model_get_item()
 * asks for it: the item is a tiny object made on demand (and freed when its
 * last reference goes), so a view over a million rows costs only the items
 * it shows.  Lists are capped at G_MAXUINT items.
 *
 * Returns: (transfer full): the model
 */
GbRowModel *gb_row_model_new (gsize n_rows);

/**
 * gb_row_model_set_order:
 * @self: the model
 * @order: (transfer full) (nullable) (array length=n_rows): the data row
 *   shown at each position (a permutation of 0 … n_rows − 1), or %NULL for
 *   the file's order
 *
 * Shows the rows in @order and emits ::items-changed over the whole list.
 */
void         gb_row_model_set_order   (GbRowModel *self, guint32 *order);
/* Returns: (transfer none) (nullable): the current order. */
const guint32 *gb_row_model_get_order (GbRowModel *self);
/* Returns: the data row shown at @position. */
gsize        gb_row_model_get_row     (GbRowModel *self, guint position);
/* Returns: how many items get_item() has made so far (a cost check for tests). */
guint64      gb_row_model_get_n_created (GbRowModel *self);

G_END_DECLS
