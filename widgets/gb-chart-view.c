/* gb-chart-view.c — a widget that shows one engine/plot Cairo painter.
 *
 * The painters in engine/plot draw black text and Okabe–Ito colours on paper,
 * exactly as in the PDF, so the widget paints a white, rounded "sheet" first
 * and keeps the chart readable in dark mode too. */
#include "gb-chart-view.h"

struct _GbChartView {
  GtkWidget parent_instance;

  GbChartDrawFunc draw_func;
  gpointer draw_data;
  GDestroyNotify draw_destroy;
  int chart_height;
};

G_DEFINE_FINAL_TYPE (GbChartView, gb_chart_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_CHART_HEIGHT, N_PROPS };
static GParamSpec *props[N_PROPS];

#define MIN_WIDTH 240
#define NATURAL_WIDTH 520

static void
clear_draw_func (GbChartView *self)
{
  if (self->draw_destroy != NULL && self->draw_data != NULL)
    self->draw_destroy (self->draw_data);
  self->draw_func = NULL;
  self->draw_data = NULL;
  self->draw_destroy = NULL;
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

  if (self->draw_func != NULL)
    {
      const double pad = 6.0;
      cairo_save (cr);
      cairo_translate (cr, pad, pad);
      cairo_rectangle (cr, 0, 0, width - 2 * pad, height - 2 * pad);
      cairo_clip (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      self->draw_func (cr, width - 2 * pad, height - 2 * pad, self->draw_data);
      cairo_restore (cr);
    }

  cairo_destroy (cr);
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
gb_chart_view_finalize (GObject *object)
{
  clear_draw_func (GB_CHART_VIEW (object));
  G_OBJECT_CLASS (gb_chart_view_parent_class)->finalize (object);
}

static void
gb_chart_view_class_init (GbChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = gb_chart_view_finalize;
  object_class->get_property = gb_chart_view_get_property;
  object_class->set_property = gb_chart_view_set_property;
  widget_class->measure = gb_chart_view_measure;
  widget_class->snapshot = gb_chart_view_snapshot;

  props[PROP_CHART_HEIGHT] =
    g_param_spec_int ("chart-height", NULL, NULL, 1, G_MAXINT, 320,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gb_chart_view_init (GbChartView *self)
{
  self->chart_height = 320;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
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
