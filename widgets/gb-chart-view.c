/* gb-chart-view.c — a widget that shows one engine/plot Cairo painter.
 *
 * The painters in engine/plot draw black text and Okabe–Ito colours on paper,
 * exactly as in the PDF, so the widget paints a white, rounded "sheet" first
 * and keeps the chart readable in dark mode too. */
#include "gb-chart-view.h"

#include <adwaita.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>

#include "gb-plot.h"

struct _GbChartView {
  GtkWidget parent_instance;

  GbChartDrawFunc draw_func;
  gpointer draw_data;
  GDestroyNotify draw_destroy;
  int chart_height;

  char *file_name;            /* suggested base name, NULL = "chart" */
  GtkWidget *menu_button;     /* (owned child) top-right, shown on hover/focus */
  GtkWidget *context_menu;    /* (owned child) GtkPopoverMenu */
  gboolean hovered;
#if !GTK_CHECK_VERSION (4, 10, 0)
  GtkNativeDialog *chooser;   /* (owned) (nullable) the open save dialog */
#endif
};

G_DEFINE_FINAL_TYPE (GbChartView, gb_chart_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_CHART_HEIGHT, N_PROPS };
static GParamSpec *props[N_PROPS];

#define MIN_WIDTH 240
#define NATURAL_WIDTH 520
#define PAD 6.0

G_DEFINE_QUARK (gb-chart-view-error-quark, gb_chart_view_error)

static void
clear_draw_func (GbChartView *self)
{
  if (self->draw_destroy != NULL && self->draw_data != NULL)
    self->draw_destroy (self->draw_data);
  self->draw_func = NULL;
  self->draw_data = NULL;
  self->draw_destroy = NULL;
}

/* The smallest base font size of a chart on screen, in pixels. */
#define GB_CHART_VIEW_MIN_FONT 9.0

/* The painter in (0, 0, width, height) less the padding. */
static void
paint_chart (GbChartView *self, cairo_t *cr, double width, double height)
{
  if (self->draw_func == NULL)
    return;
  cairo_save (cr);
  cairo_translate (cr, PAD, PAD);
  cairo_rectangle (cr, 0, 0, width - 2 * PAD, height - 2 * PAD);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  /* on screen, text no smaller than 9 px however narrow the chart (a ROC
   * curve in the Model page's column at 800 × 600 had 6 px labels); the
   * painters shorten labels that do not fit */
  gb_plot_set_font_range (GB_CHART_VIEW_MIN_FONT, 12.0);
  self->draw_func (cr, width - 2 * PAD, height - 2 * PAD, self->draw_data);
  gb_plot_set_font_range (0, 0);
  cairo_restore (cr);
}

static void
gb_chart_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                       int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  GbChartView *self = GB_CHART_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NATURAL_WIDTH;
    }
  else
    {
      /* Charts do not squeeze vertically: a scrolled parent scrolls instead. */
      *minimum = self->chart_height;
      *natural = self->chart_height;
    }
}

static void
gb_chart_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GbChartView *self = GB_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;
  const double r = 8.0;

  if (width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* The paper sheet. */
  cairo_new_sub_path (cr);
  cairo_arc (cr, width - r, r, r, -G_PI / 2, 0);
  cairo_arc (cr, width - r, height - r, r, 0, G_PI / 2);
  cairo_arc (cr, r, height - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, r, r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_clip (cr);

  paint_chart (self, cr, width, height);
  cairo_destroy (cr);

  gtk_widget_snapshot_child (widget, self->menu_button, snapshot);
}

static void
gb_chart_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  GbChartView *self = GB_CHART_VIEW (widget);
  int mw, mh;

  gtk_widget_measure (self->menu_button, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &mw, NULL, NULL);
  gtk_widget_measure (self->menu_button, GTK_ORIENTATION_VERTICAL, -1, NULL, &mh, NULL, NULL);
  gtk_widget_size_allocate (self->menu_button,
                            &(GtkAllocation) { MAX (0, width - mw - 4), 4, mw, mh }, -1);
  gtk_popover_present (GTK_POPOVER (self->context_menu));
  {
    GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->menu_button));
    if (popover != NULL)
      gtk_popover_present (popover);
  }
}

/* ---- export ---------------------------------------------------------------- */

static void
export_size (GbChartView *self, int *width, int *height)
{
  *width = gtk_widget_get_width (GTK_WIDGET (self));
  *height = gtk_widget_get_height (GTK_WIDGET (self));
  if (*width <= 0 || *height <= 0)
    {
      *width = NATURAL_WIDTH;
      *height = self->chart_height;
    }
}

/* A white sheet (no rounded corners: a file is a rectangle) and the chart. */
static void
paint_export (GbChartView *self, cairo_t *cr, int width, int height)
{
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);
  paint_chart (self, cr, width, height);
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
cairo_ok (cairo_status_t status, const char *what, GError **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, GB_CHART_VIEW_ERROR, (int) status, _("Cannot draw the chart as %s: %s"),
               what, cairo_status_to_string (status));
  return FALSE;
}

static cairo_surface_t *
render_image (GbChartView *self, double scale)
{
  int width, height;
  cairo_surface_t *surface;
  cairo_t *cr;

  export_size (self, &width, &height);
  scale = CLAMP (scale, 0.25, 8.0);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                        (int) ceil (height * scale));
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  paint_export (self, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

GBytes *
gb_chart_view_render (GbChartView *self, GbChartFormat format, double scale, GError **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;

  g_return_val_if_fail (GB_IS_CHART_VIEW (self), NULL);

  if (format == GB_CHART_FORMAT_SVG)
    {
      int width, height;
      cairo_t *cr;

      export_size (self, &width, &height);
      surface = cairo_svg_surface_create_for_stream (append_bytes, out, width, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      cr = cairo_create (surface);
      paint_export (self, cr, width, height);
      status = cairo_status (cr);
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (surface);
      cairo_surface_destroy (surface);
      if (!cairo_ok (status, "SVG", error))
        return NULL;
    }
  else
    {
      surface = render_image (self, scale);
      status = cairo_surface_status (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream (surface, append_bytes, out);
      cairo_surface_destroy (surface);
      if (!cairo_ok (status, "PNG", error))
        return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GdkTexture *
gb_chart_view_render_texture (GbChartView *self, double scale)
{
  cairo_surface_t *surface;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;

  g_return_val_if_fail (GB_IS_CHART_VIEW (self), NULL);

  surface = render_image (self, scale);
  /* cairo's ARGB32 is GDK_MEMORY_DEFAULT (premultiplied, native endian) */
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface)
                         * cairo_image_surface_get_height (surface));
  texture = gdk_memory_texture_new (cairo_image_surface_get_width (surface),
                                    cairo_image_surface_get_height (surface),
                                    GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  return texture;
}

gboolean
gb_chart_view_save (GbChartView *self, GFile *file, GbChartFormat format, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *path;
  gsize len;
  const char *data;

  g_return_val_if_fail (GB_IS_CHART_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  bytes = gb_chart_view_render (self, format, 2.0, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  path = g_file_peek_path (file);
  if (path != NULL)
    return g_file_set_contents (path, data, (gssize) len, error);
  return g_file_replace_contents (file, data, len, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, NULL, error);
}

void
gb_chart_view_set_file_name (GbChartView *self, const char *name)
{
  g_return_if_fail (GB_IS_CHART_VIEW (self));
  g_free (self->file_name);
  self->file_name = g_strdup (name);
}

/* ---- actions -------------------------------------------------------------- */

static void
show_error (GbChartView *self, GError *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  g_warning ("%s", error->message);
  if (!GTK_IS_WINDOW (root))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Chart Not Saved"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_chosen (GbChartView *self, GFile *file, GbChartFormat format)
{
  g_autoptr(GError) error = NULL;

  if (file == NULL)
    return;
  if (!gb_chart_view_save (self, file, format, &error))
    show_error (self, error);
}

#if GTK_CHECK_VERSION (4, 10, 0)

static void
save_dialog_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GbChartView) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);
  GbChartFormat format = GPOINTER_TO_INT (g_object_get_data (source, "gb-format"));

  save_chosen (self, file, format);
}

static void
choose_file (GbChartView *self, GbChartFormat format, const char *title, const char *name,
             GtkFileFilter *filter)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_list_store_append (filters, filter);
  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_set_modal (dialog, TRUE);
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_default_filter (dialog, filter);
  gtk_file_dialog_set_initial_name (dialog, name);
  g_object_set_data (G_OBJECT (dialog), "gb-format", GINT_TO_POINTER (format));
  gtk_file_dialog_save (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL,
                        save_dialog_done, g_object_ref (self));
}

#else /* GTK < 4.10: GtkFileChooserNative */

static void
chooser_response (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  GbChartView *self = user_data;
  g_autoptr(GFile) file = NULL;
  GbChartFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "gb-format"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  save_chosen (self, file, format);
  if (self->chooser == dialog)
    g_clear_object (&self->chooser);
}

static void
choose_file (GbChartView *self, GbChartFormat format, const char *title, const char *name,
             GtkFileFilter *filter)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "gb-format", GINT_TO_POINTER (format));
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

#endif

static void
save_as (GbChartView *self, GbChartFormat format)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  const gboolean svg = format == GB_CHART_FORMAT_SVG;
  g_autofree char *name = g_strconcat (self->file_name ? self->file_name : "chart",
                                       svg ? ".svg" : ".png", NULL);

  gtk_file_filter_set_name (filter, svg ? _("SVG images") : _("PNG images"));
  gtk_file_filter_add_mime_type (filter, svg ? "image/svg+xml" : "image/png");
  gtk_file_filter_add_suffix (filter, svg ? "svg" : "png");
  choose_file (self, format, svg ? _("Save Chart as SVG") : _("Save Chart as PNG"), name, filter);
}

static void
action_save (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  save_as (GB_CHART_VIEW (widget), g_str_equal (action_name, "chart.save-svg")
                                     ? GB_CHART_FORMAT_SVG : GB_CHART_FORMAT_PNG);
}

static void
action_copy (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr(GdkTexture) texture = gb_chart_view_render_texture (GB_CHART_VIEW (widget), 2.0);

  gdk_clipboard_set_texture (gtk_widget_get_clipboard (widget), texture);
}

static void
action_export (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *format, *path;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_variant_get (parameter, "(&s&s)", &format, &path);
  file = g_file_new_for_path (path);
  if (!gb_chart_view_save (GB_CHART_VIEW (widget), file,
                           g_ascii_strcasecmp (format, "svg") == 0 ? GB_CHART_FORMAT_SVG
                                                                   : GB_CHART_FORMAT_PNG, &error))
    show_error (GB_CHART_VIEW (widget), error);
}

static void
popup_menu_at (GbChartView *self, double x, double y)
{
  if (x < 0 || y < 0)
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
action_menu (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  popup_menu_at (GB_CHART_VIEW (widget), -1, -1);
}

static void
on_right_click (GtkGestureClick *gesture, int n_press, double x, double y, GbChartView *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu_at (self, x, y);
}

static void
on_long_press (GtkGestureLongPress *gesture, double x, double y, GbChartView *self)
{
  popup_menu_at (self, x, y);
}

static void
update_menu_button (GbChartView *self)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->menu_button));
  GtkWidget *inner = gtk_widget_get_first_child (self->menu_button);
  gboolean show = self->hovered
                  || (inner != NULL && gtk_widget_has_focus (inner))
                  || (popover != NULL && gtk_widget_get_visible (GTK_WIDGET (popover)));
  gtk_widget_set_opacity (self->menu_button, show ? 1.0 : 0.0);
}

static void
on_enter (GtkEventControllerMotion *motion, double x, double y, GbChartView *self)
{
  self->hovered = TRUE;
  update_menu_button (self);
}

static void
on_leave (GtkEventControllerMotion *motion, GbChartView *self)
{
  self->hovered = FALSE;
  update_menu_button (self);
}

static GMenuModel *
chart_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_menu_append (menu, _("_Copy as Image"), "chart.copy");
  g_menu_append (menu, _("Save as _PNG…"), "chart.save-png");
  g_menu_append (menu, _("Save as _SVG…"), "chart.save-svg");
  return G_MENU_MODEL (menu);
}

static void
gb_chart_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GbChartView *self = GB_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHART_HEIGHT:
      g_value_set_int (value, self->chart_height);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gb_chart_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GbChartView *self = GB_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHART_HEIGHT:
      gb_chart_view_set_chart_height (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gb_chart_view_dispose (GObject *object)
{
  GbChartView *self = GB_CHART_VIEW (object);

#if !GTK_CHECK_VERSION (4, 10, 0)
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
#endif
  g_clear_pointer (&self->menu_button, gtk_widget_unparent);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  G_OBJECT_CLASS (gb_chart_view_parent_class)->dispose (object);
}

static void
gb_chart_view_finalize (GObject *object)
{
  GbChartView *self = GB_CHART_VIEW (object);

  clear_draw_func (self);
  g_free (self->file_name);
  G_OBJECT_CLASS (gb_chart_view_parent_class)->finalize (object);
}

static void
gb_chart_view_class_init (GbChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gb_chart_view_dispose;
  object_class->finalize = gb_chart_view_finalize;
  object_class->get_property = gb_chart_view_get_property;
  object_class->set_property = gb_chart_view_set_property;
  widget_class->measure = gb_chart_view_measure;
  widget_class->snapshot = gb_chart_view_snapshot;
  widget_class->size_allocate = gb_chart_view_size_allocate;

  props[PROP_CHART_HEIGHT] =
    g_param_spec_int ("chart-height", NULL, NULL, 1, G_MAXINT, 320,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  gtk_widget_class_install_action (widget_class, "chart.copy", NULL, action_copy);
  gtk_widget_class_install_action (widget_class, "chart.save-png", NULL, action_save);
  gtk_widget_class_install_action (widget_class, "chart.save-svg", NULL, action_save);
  gtk_widget_class_install_action (widget_class, "chart.export", "(ss)", action_export);
  gtk_widget_class_install_action (widget_class, "chart.menu", NULL, action_menu);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "chart.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "chart.menu", NULL);
}

static void
gb_chart_view_init (GbChartView *self)
{
  g_autoptr(GMenuModel) menu = chart_menu ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *press = gtk_gesture_long_press_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->chart_height = 320;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->menu_button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->menu_button), menu);
  gtk_widget_set_tooltip_text (self->menu_button, _("Copy or save this chart"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chart menu"), -1);
  gtk_widget_add_css_class (self->menu_button, "osd");
  gtk_widget_add_css_class (self->menu_button, "circular");
  gtk_widget_set_parent (self->menu_button, GTK_WIDGET (self));
  gtk_widget_set_opacity (self->menu_button, 0.0);
  g_signal_connect_swapped (gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->menu_button)),
                            "notify::visible", G_CALLBACK (update_menu_button), self);
  {
    /* the focus is on the button's inner toggle button */
    GtkWidget *inner = gtk_widget_get_first_child (self->menu_button);
    if (inner != NULL)
      g_signal_connect_swapped (inner, "notify::has-focus", G_CALLBACK (update_menu_button), self);
  }

  self->context_menu = gtk_popover_menu_new_from_model (menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_right_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (press, "pressed", G_CALLBACK (on_long_press), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (press));
  g_signal_connect (motion, "enter", G_CALLBACK (on_enter), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

GtkWidget *
gb_chart_view_new (GbChartDrawFunc draw_func, gpointer user_data, GDestroyNotify destroy)
{
  GbChartView *self = g_object_new (GB_TYPE_CHART_VIEW, NULL);
  gb_chart_view_set_draw_func (self, draw_func, user_data, destroy);
  return GTK_WIDGET (self);
}

void
gb_chart_view_set_draw_func (GbChartView *self, GbChartDrawFunc draw_func,
                             gpointer user_data, GDestroyNotify destroy)
{
  g_return_if_fail (GB_IS_CHART_VIEW (self));

  clear_draw_func (self);
  self->draw_func = draw_func;
  self->draw_data = user_data;
  self->draw_destroy = destroy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gb_chart_view_set_chart_height (GbChartView *self, int height)
{
  g_return_if_fail (GB_IS_CHART_VIEW (self));
  g_return_if_fail (height > 0);

  if (self->chart_height == height)
    return;
  self->chart_height = height;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CHART_HEIGHT]);
}

int
gb_chart_view_get_chart_height (GbChartView *self)
{
  g_return_val_if_fail (GB_IS_CHART_VIEW (self), 0);
  return self->chart_height;
}

gboolean
gb_chart_view_has_draw_func (GbChartView *self)
{
  g_return_val_if_fail (GB_IS_CHART_VIEW (self), FALSE);
  return self->draw_func != NULL;
}
