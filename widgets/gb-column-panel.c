/* gb-column-panel.c — one column's summary (see gb-column-panel.h).
 *
 * A GbChartView that paints the summary with the engine's painter, above
 * a compact card of figures (a name and a value a person can select and
 * copy).  Numbers are formatted for the
 * person's locale (thousands separators); dates as YYYY-MM-DD. */
#include "gb-config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "gb-column-panel.h"
#include "gb-chart-view.h"
#include "gb-plot.h"

struct _GbColumnPanel {
  GtkWidget parent_instance;

  GtkWidget *box;            /* vertical, the only child */
  GtkWidget *list;           /* GtkGrid of figures: title, value */
  int n_rows;
  GtkWidget *chart;          /* GbChartView */
  GHashTable *labels;        /* key → GtkLabel (owned by the list) */
  GbColumnSummary *summary;  /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (GbColumnPanel, gb_column_panel, GTK_TYPE_WIDGET)

static char *
format_count (gsize n)
{
  return g_strdup_printf ("%'" G_GSIZE_FORMAT, n);
}

/* "1,836 (5.6 %)"; shares under 0.1 % say so rather than "0.0 %". */
static char *
format_count_share (gsize n, gsize total)
{
  double share = total > 0 ? 100.0 * n / total : 0;

  if (total == 0 || n == 0)
    return format_count (n);
  if (share < 0.1)
    return g_strdup_printf ("%'" G_GSIZE_FORMAT " (< 0.1 %%)", n);
  return g_strdup_printf ("%'" G_GSIZE_FORMAT " (%.1f %%)", n, share);
}

static gboolean
is_date (const GbColumnSummary *s)
{
  return s->type == GB_COLUMN_DATE;
}

/* A number as the person reads it: whole numbers with thousands
 * separators, others with six significant digits. */
static char *
format_number (double v)
{
  if (isnan (v))
    return g_strdup ("—");
  if (fabs (v) < 1e15 && v == floor (v))
    return g_strdup_printf ("%'.0f", v);
  return g_strdup_printf ("%'.6g", v);
}

static char *
format_value (const GbColumnSummary *s, double v)
{
  if (is_date (s) && !isnan (v))
    return gb_date_from_days (v);
  return format_number (v);
}

static void
add_row (GbColumnPanel *self, const char *key, const char *title, char *value /* transfer full */,
         const char *tooltip)
{
  GtkWidget *name = gtk_label_new (title);
  GtkWidget *label = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (name), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (name, "dim-label");
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (name, tooltip);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (GTK_GRID (self->list), name, 0, self->n_rows, 1, 1);
  gtk_grid_attach (GTK_GRID (self->list), label, 1, self->n_rows, 1, 1);
  self->n_rows++;
  g_hash_table_insert (self->labels, g_strdup (key), label);
  g_free (value);
}

static void
draw_summary (cairo_t *cr, double width, double height, gpointer data)
{
  GbColumnPanel *self = data;

  if (self->summary != NULL)
    gb_plot_column_summary_draw (cr, width, height, NULL, self->summary);
}

static void
rebuild (GbColumnPanel *self)
{
  const GbColumnSummary *s = self->summary;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_grid_remove (GTK_GRID (self->list), child);
  self->n_rows = 0;
  g_hash_table_remove_all (self->labels);

  gtk_widget_set_visible (self->box, s != NULL);
  if (s == NULL)
    {
      gb_chart_view_set_draw_func (GB_CHART_VIEW (self->chart), NULL, NULL, NULL);
      return;
    }

  add_row (self, "count", _("Values"), format_count (s->count), _("Rows with a value"));
  {
    gsize total = s->count + s->missing;
    add_row (self, "missing", _("Missing"), format_count_share (s->missing, total), NULL);
  }
  add_row (self, "distinct", _("Distinct"), format_count (s->distinct),
           _("Distinct values among the rows with a value"));

  if (s->type == GB_COLUMN_NUMERIC || s->type == GB_COLUMN_DATE)
    {
      add_row (self, "min", _("Minimum"), format_value (s, s->min), NULL);
      add_row (self, "q1", _("First Quartile"), format_value (s, s->q1), NULL);
      add_row (self, "median", _("Median"), format_value (s, s->median), NULL);
      add_row (self, "q3", _("Third Quartile"), format_value (s, s->q3), NULL);
      add_row (self, "max", _("Maximum"), format_value (s, s->max), NULL);
      add_row (self, "mean", _("Mean"), format_value (s, s->mean), NULL);
      if (is_date (s) && !isnan (s->sd))
        add_row (self, "sd", _("Standard Deviation"),
                 g_strdup_printf (_("%'.1f days"), s->sd), NULL);
      else
        add_row (self, "sd", _("Standard Deviation"), format_number (s->sd),
                 _("Sample standard deviation (n − 1)"));
    }
  else if (s->top != NULL)
    {
      gsize total = s->count;
      for (guint i = 0; i < s->top->len && i < 10; i++)
        {
          const GbCategoryCount *c = &g_array_index (s->top, GbCategoryCount, i);
          g_autofree char *key = g_strdup_printf ("top%u", i);
          add_row (self, key, c->value, format_count_share (c->count, total), c->value);
        }
      if (s->other_count > 0)
        add_row (self, "other", _("Other Values"), format_count_share (s->other_count, total), NULL);
    }

  /* Histograms get a fixed height; top-value charts one line per bar. */
  if (s->type == GB_COLUMN_NUMERIC || s->type == GB_COLUMN_DATE)
    gb_chart_view_set_chart_height (GB_CHART_VIEW (self->chart), 190);
  else
    {
      guint bars = (s->top != NULL ? s->top->len : 0) + (s->other_count > 0 ? 1 : 0);
      gb_chart_view_set_chart_height (GB_CHART_VIEW (self->chart), 64 + 22 * (int) MAX (bars, 1));
    }
  gb_chart_view_set_draw_func (GB_CHART_VIEW (self->chart), draw_summary, self, NULL);
  {
    g_autofree char *label = g_strdup_printf (
        (s->type == GB_COLUMN_NUMERIC || s->type == GB_COLUMN_DATE)
          ? _("Histogram of %s") : _("Most frequent values of %s"), s->name);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
  gtk_widget_queue_draw (self->chart);
}

void
gb_column_panel_set_summary (GbColumnPanel *self, GbColumnSummary *summary)
{
  g_return_if_fail (GB_IS_COLUMN_PANEL (self));

  if (summary != self->summary)
    g_clear_pointer (&self->summary, gb_column_summary_free);
  self->summary = summary;
  rebuild (self);
}

const GbColumnSummary *
gb_column_panel_get_summary (GbColumnPanel *self)
{
  g_return_val_if_fail (GB_IS_COLUMN_PANEL (self), NULL);
  return self->summary;
}

const char *
gb_column_panel_get_value_text (GbColumnPanel *self, const char *key)
{
  GtkLabel *label;

  g_return_val_if_fail (GB_IS_COLUMN_PANEL (self), NULL);
  label = g_hash_table_lookup (self->labels, key);
  return label != NULL ? gtk_label_get_text (label) : NULL;
}

guint
gb_column_panel_get_n_rows (GbColumnPanel *self)
{
  g_return_val_if_fail (GB_IS_COLUMN_PANEL (self), 0);
  return g_hash_table_size (self->labels);
}

static void
gb_column_panel_dispose (GObject *object)
{
  GbColumnPanel *self = GB_COLUMN_PANEL (object);

  if (self->chart != NULL)
    gb_chart_view_set_draw_func (GB_CHART_VIEW (self->chart), NULL, NULL, NULL);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  self->list = NULL;
  self->chart = NULL;
  g_clear_pointer (&self->summary, gb_column_summary_free);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  G_OBJECT_CLASS (gb_column_panel_parent_class)->dispose (object);
}

static void
gb_column_panel_class_init (GbColumnPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gb_column_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "columnpanel");
}

static void
gb_column_panel_init (GbColumnPanel *self)
{
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  /* The chart first: the shape of the column at a glance. */
  self->chart = gb_chart_view_new (NULL, NULL, NULL);
  gb_chart_view_set_chart_height (GB_CHART_VIEW (self->chart), 190);
  gtk_widget_add_css_class (self->chart, "card");
  gtk_box_append (GTK_BOX (self->box), self->chart);

  self->list = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->list), 6);
  gtk_grid_set_column_spacing (GTK_GRID (self->list), 12);
  gtk_widget_add_css_class (self->list, "card");
  gtk_widget_add_css_class (self->list, "column-figures");
  gtk_box_append (GTK_BOX (self->box), self->list);

  gtk_widget_set_visible (self->box, FALSE);
}

GtkWidget *
gb_column_panel_new (void)
{
  return g_object_new (GB_TYPE_COLUMN_PANEL, NULL);
}
