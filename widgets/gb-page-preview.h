/* gb-page-preview.h — a document's pages as thumbnails beside a larger view
 * of the selected page, zoomed to fit the view's width (the Report pane's
 * live preview of the PDF, issue 8). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GB_TYPE_PAGE_PREVIEW (gb_page_preview_get_type ())
G_DECLARE_FINAL_TYPE (GbPagePreview, gb_page_preview, GB, PAGE_PREVIEW, GtkWidget)

/* Returns: (transfer full): an empty preview ("No pages"). */
GtkWidget *gb_page_preview_new (void);

/**
 * gb_page_preview_set_pages:
 * @self: the preview
 * @pages: (nullable) (element-type cairo_surface_t) (transfer none): one
 *   surface per page in points (e.g. the recording surfaces of
 *   gb_report_render_pages()); the array is referenced
 * @page_width: the page width in points
 * @page_height: the page height in points
 *
 * Shows @pages: a thumbnail per page (120 px wide, numbered) and the
 * selected page painted on white at the width of the view.  The selected
 * page number is kept when it still exists, so a refresh does not jump.
 */
void gb_page_preview_set_pages (GbPagePreview *self, GPtrArray *pages, double page_width,
                                double page_height);

/* The number of pages shown. */
guint gb_page_preview_get_n_pages (GbPagePreview *self);

/* The selected page, 0-based. */
guint gb_page_preview_get_selected (GbPagePreview *self);
void gb_page_preview_select (GbPagePreview *self, guint page);

/**
 * gb_page_preview_render_page:
 * @self: the preview
 * @page: 0-based page
 * @width: pixels
 *
 * Returns: (transfer full) (nullable): page @page painted on white at
 * @width pixels wide (the height keeps the page's aspect), as the large
 * view draws it; %NULL when there is no such page.
 */
cairo_surface_t *gb_page_preview_render_page (GbPagePreview *self, guint page, int width);

G_END_DECLS
