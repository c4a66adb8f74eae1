/* gb-row-model.c — a lazy GListModel of row items (see gb-row-model.h). */
#include "gb-row-model.h"

struct _GbRowItem {
  GObject parent_instance;
  gsize row;
};

G_DEFINE_FINAL_TYPE (GbRowItem, gb_row_item, G_TYPE_OBJECT)

static void gb_row_item_class_init (GbRowItemClass *klass) {}
static void gb_row_item_init (GbRowItem *self) {}

gsize
gb_row_item_get_row (GbRowItem *self)
{
  g_return_val_if_fail (GB_IS_ROW_ITEM (self), 0);
  return self->row;
}

struct _GbRowModel {
  GObject parent_instance;
  gsize n_rows;
  guint32 *order;        /* (owned) (nullable) (n_rows) */
  guint64 n_created;
};

static GType
gb_row_model_get_item_type (GListModel *model)
{
  return GB_TYPE_ROW_ITEM;
}

static guint
gb_row_model_get_n_items (GListModel *model)
{
  return (guint) MIN (GB_ROW_MODEL (model)->n_rows, G_MAXUINT);
}

static gpointer
gb_row_model_get_item (GListModel *model, guint position)
{
  GbRowModel *self = GB_ROW_MODEL (model);
  GbRowItem *item;

  if (position >= self->n_rows)
    return NULL;
  item = g_object_new (GB_TYPE_ROW_ITEM, NULL);
  item->row = self->order != NULL ? self->order[position] : position;
  self->n_created++;
  return item;
}

static void
gb_row_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gb_row_model_get_item_type;
  iface->get_n_items = gb_row_model_get_n_items;
  iface->get_item = gb_row_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (GbRowModel, gb_row_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      gb_row_model_list_model_init))

static void
gb_row_model_finalize (GObject *object)
{
  g_free (GB_ROW_MODEL (object)->order);
  G_OBJECT_CLASS (gb_row_model_parent_class)->finalize (object);
}

static void
gb_row_model_class_init (GbRowModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gb_row_model_finalize;
}

static void gb_row_model_init (GbRowModel *self) {}

GbRowModel *
gb_row_model_new (gsize n_rows)
{
  GbRowModel *self = g_object_new (GB_TYPE_ROW_MODEL, NULL);
  self->n_rows = n_rows;
  return self;
}

void
gb_row_model_set_order (GbRowModel *self, guint32 *order)
{
  guint n;

  g_return_if_fail (GB_IS_ROW_MODEL (self));

  if (order == NULL && self->order == NULL)
    return;
  g_free (self->order);
  self->order = order;
  n = gb_row_model_get_n_items (G_LIST_MODEL (self));
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, n);
}

const guint32 *
gb_row_model_get_order (GbRowModel *self)
{
  g_return_val_if_fail (GB_IS_ROW_MODEL (self), NULL);
  return self->order;
}

gsize
gb_row_model_get_row (GbRowModel *self, guint position)
{
  g_return_val_if_fail (GB_IS_ROW_MODEL (self), 0);
  g_return_val_if_fail (position < self->n_rows, 0);
  return self->order != NULL ? self->order[position] : position;
}

guint64
gb_row_model_get_n_created (GbRowModel *self)
{
  g_return_val_if_fail (GB_IS_ROW_MODEL (self), 0);
  return self->n_created;
}
