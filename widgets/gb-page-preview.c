/* gb-page-preview.c — thumbnails of a document's pages beside the selected
 * page at the width of the view.  The pages are Cairo surfaces in points
 * (the report's recording surfaces), replayed scaled on every draw, so the
 * text stays sharp at any zoom. */
#include "gb-config.h"
#include "gb-page-preview.h"

#include <glib/gi18n.h>
#include <math.h>

#define THUMB_WIDTH 120

struct _GbPagePreview {
  GtkWidget parent_instance;

  GtkWidget *box;          /* thumbnails | page */
  GtkWidget *thumbs;       /* GtkListBox */
  GtkWidget *view;         /* GbPageView: the selected page */
  GtkWidget *empty;        /* "No pages" */
  GPtrArray *pages;        /* (nullable) (element-type cairo_surface_t) */
  double page_w, page_h;
  guint selected;
};

G_DEFINE_FINAL_TYPE (GbPagePreview, gb_page_preview, GTK_TYPE_WIDGET)

static void paint_page (cairo_t *cr, cairo_surface_t *page, double page_w, double width,
                        double height);

/* The selected page at the width it is given: height-for-width, so the
 * page's aspect holds at any width (fit width). */
#define GB_TYPE_PAGE_VIEW (gb_page_view_get_type ())
G_DECLARE_FINAL_TYPE (GbPageView, gb_page_view, GB, PAGE_VIEW, GtkWidget)

struct _GbPageView {
  GtkWidget parent_instance;
  GbPagePreview *preview;   /* (unowned) the parent */
};

G_DEFINE_FINAL_TYPE (GbPageView, gb_page_view, GTK_TYPE_WIDGET)

static GtkSizeRequestMode
page_view_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
page_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                   int *natural, int *minimum_baseline, int *natural_baseline)
{
  GbPagePreview *p = GB_PAGE_VIEW (widget)->preview;
  double aspect = p != NULL && p->page_w > 0 ? p->page_h / p->page_w : 842.0 / 595.0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 800;
    }
  else
    *minimum = *natural = (int) ceil ((for_size > 0 ? for_size : 800) * aspect);
}

static void
page_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GbPagePreview *p = GB_PAGE_VIEW (widget)->preview;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (p == NULL || p->pages == NULL || p->selected >= p->pages->len || width <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  paint_page (cr, g_ptr_array_index (p->pages, p->selected), p->page_w, width,
              width * p->page_h / p->page_w);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, 0.5, width - 1, floor (width * p->page_h / p->page_w) - 1);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
gb_page_view_class_init (GbPageViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->get_request_mode = page_view_request_mode;
  widget_class->measure = page_view_measure;
  widget_class->snapshot = page_view_snapshot;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gb_page_view_init (GbPageView *self)
{
}

/* @page on white, scaled to @width × @height.  The page is replayed into an
 * image of our own first: GTK's render nodes then hold that image, never
 * the page's recording surface (a recording surface recorded into GTK's
 * node surfaces crashed cairo 1.16 when the nodes were freed). */
static void
paint_page (cairo_t *cr, cairo_surface_t *page, double page_w, double width, double height)
{
  double sx = 1, sy = 1;
  int w, h;
  cairo_surface_t *img;
  cairo_t *icr;

  cairo_surface_get_device_scale (cairo_get_target (cr), &sx, &sy);
  w = (int) ceil (width * sx);
  h = (int) ceil (height * sy);
  if (w <= 0 || h <= 0)
    return;
  img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  icr = cairo_create (img);
  cairo_set_source_rgb (icr, 1, 1, 1);
  cairo_paint (icr);
  cairo_scale (icr, w / page_w, w / page_w);
  cairo_set_source_surface (icr, page, 0, 0);
  cairo_paint (icr);
  cairo_destroy (icr);
  cairo_surface_set_device_scale (img, sx, sy);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);
}

static void
draw_thumb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  GbPagePreview *self = g_object_get_data (G_OBJECT (area), "gb-preview");
  guint page = GPOINTER_TO_UINT (user_data);

  if (self == NULL || self->pages == NULL || page >= self->pages->len)
    return;
  paint_page (cr, g_ptr_array_index (self->pages, page), self->page_w, width, height);
}

static void
row_selected (GtkListBox *box, GtkListBoxRow *row, gpointer user_data)
{
  GbPagePreview *self = user_data;

  if (row == NULL)
    return;
  self->selected = (guint) gtk_list_box_row_get_index (row);
  gtk_widget_queue_draw (self->view);
}

static void
rebuild (GbPagePreview *self)
{
  GtkWidget *child;
  guint n = self->pages != NULL ? self->pages->len : 0;
  int thumb_h = self->page_w > 0 ? (int) ceil (THUMB_WIDTH * self->page_h / self->page_w) : 0;

  while ((child = gtk_widget_get_first_child (self->thumbs)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->thumbs), child);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *area = gtk_drawing_area_new ();
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      g_autofree char *label = g_strdup_printf (_("Page %u"), i + 1);
      GtkWidget *caption = gtk_label_new (number);

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), THUMB_WIDTH);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), thumb_h);
      g_object_set_data (G_OBJECT (area), "gb-preview", self);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_thumb, GUINT_TO_POINTER (i),
                                      NULL);
      gtk_widget_set_halign (area, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (area, "card");
      gtk_widget_add_css_class (caption, "caption");
      gtk_box_append (GTK_BOX (vbox), area);
      gtk_box_append (GTK_BOX (vbox), caption);
      gtk_widget_set_margin_top (vbox, 6);
      gtk_widget_set_margin_bottom (vbox, 6);
      gtk_widget_set_margin_start (vbox, 6);
      gtk_widget_set_margin_end (vbox, 6);
      gtk_list_box_append (GTK_LIST_BOX (self->thumbs), vbox);
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (vbox)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  if (self->selected >= n)
    self->selected = n > 0 ? n - 1 : 0;
  if (n > 0)
    gtk_list_box_select_row (GTK_LIST_BOX (self->thumbs),
                             gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->thumbs),
                                                            (int) self->selected));
  gtk_widget_set_visible (self->box, n > 0);
  gtk_widget_set_visible (self->empty, n == 0);
  gtk_widget_queue_resize (self->view);
}

void
gb_page_preview_set_pages (GbPagePreview *self, GPtrArray *pages, double page_width,
                           double page_height)
{
  g_return_if_fail (GB_IS_PAGE_PREVIEW (self));
  g_return_if_fail (pages == NULL || (page_width > 0 && page_height > 0));

  if (pages != NULL)
    g_ptr_array_ref (pages);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  self->pages = pages;
  self->page_w = page_width;
  self->page_h = page_height;
  rebuild (self);
}

guint
gb_page_preview_get_n_pages (GbPagePreview *self)
{
  g_return_val_if_fail (GB_IS_PAGE_PREVIEW (self), 0);
  return self->pages != NULL ? self->pages->len : 0;
}

guint
gb_page_preview_get_selected (GbPagePreview *self)
{
  g_return_val_if_fail (GB_IS_PAGE_PREVIEW (self), 0);
  return self->selected;
}

void
gb_page_preview_select (GbPagePreview *self, guint page)
{
  GtkListBoxRow *row;

  g_return_if_fail (GB_IS_PAGE_PREVIEW (self));
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->thumbs), (int) page);
  if (row != NULL)
    gtk_list_box_select_row (GTK_LIST_BOX (self->thumbs), row);
}

cairo_surface_t *
gb_page_preview_render_page (GbPagePreview *self, guint page, int width)
{
  cairo_surface_t *img;
  cairo_t *cr;
  int height;

  g_return_val_if_fail (GB_IS_PAGE_PREVIEW (self), NULL);
  if (self->pages == NULL || page >= self->pages->len || width <= 0)
    return NULL;
  height = (int) ceil (width * self->page_h / self->page_w);
  img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (img);
  paint_page (cr, g_ptr_array_index (self->pages, page), self->page_w, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (img);
  return img;
}

static void
gb_page_preview_dispose (GObject *object)
{
  GbPagePreview *self = GB_PAGE_PREVIEW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  G_OBJECT_CLASS (gb_page_preview_parent_class)->dispose (object);
}

static void
gb_page_preview_class_init (GbPagePreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gb_page_preview_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pagepreview");
}

static void
gb_page_preview_init (GbPagePreview *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->thumbs = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->thumbs), GTK_SELECTION_BROWSE);
  gtk_widget_add_css_class (self->thumbs, "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->thumbs), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Report pages"), -1);
  g_signal_connect (self->thumbs, "row-selected", G_CALLBACK (row_selected), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->thumbs);
  gtk_widget_set_size_request (scroller, THUMB_WIDTH + 40, 200);
  gtk_box_append (GTK_BOX (self->box), scroller);

  self->view = g_object_new (GB_TYPE_PAGE_VIEW, NULL);
  GB_PAGE_VIEW (self->view)->preview = self;
  gtk_widget_set_hexpand (self->view, TRUE);
  gtk_widget_set_valign (self->view, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Selected report page"), -1);
  gtk_box_append (GTK_BOX (self->box), self->view);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->empty = gtk_label_new (_("No pages"));
  gtk_widget_add_css_class (self->empty, "dim-label");
  gtk_widget_set_parent (self->empty, GTK_WIDGET (self));
  gtk_widget_set_visible (self->box, FALSE);
}

GtkWidget *
gb_page_preview_new (void)
{
  return g_object_new (GB_TYPE_PAGE_PREVIEW, NULL);
}
