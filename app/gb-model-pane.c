/* gb-model-pane.c — the Model pane: training settings (AdwActionRow +
 * GtkSpinButton, since AdwSpinRow needs libadwaita 1.4), the progress of a
 * running audit with Cancel, then the held-out metrics and the ROC curve
 * (gb_plot_roc_draw, the PDF's painter). */
#include "gb-config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "gb-model-pane.h"
#include "gb-model-pane-private.h"
#include "gb-chart-view.h"

struct _GbModelPane {
  AdwBin parent_instance;

  /* template children */
  AdwPreferencesGroup *training_group;
  GtkSpinButton *epochs_spin;
  GtkSpinButton *seed_spin;
  GtkSpinButton *test_spin;
  GtkWidget *progress_box;
  GtkProgressBar *progress_bar;
  GtkLabel *progress_label;
  GtkLabel *accuracy_label;
  GtkLabel *auc_label;
  GtkLabel *baseline_accuracy_label;
  GtkLabel *baseline_auc_label;
  GtkLabel *positive_rate_label;
  GtkLabel *rows_label;
  GtkLabel *training_label;
  GtkLabel *loss_label;
  GtkStack *chart_stack;
  AdwStatusPage *empty_page;
  GtkWidget *empty_run_button;
  GtkLabel *chart_caption;
  GbChartView *roc_chart;

  GbAudit *audit;     /* (owned) (nullable) */
  gboolean running;
};

G_DEFINE_FINAL_TYPE (GbModelPane, gb_model_pane, ADW_TYPE_BIN)

static void
draw_roc (cairo_t *cr, double width, double height, gpointer data)
{
  const GbAuditResults *r = gb_audit_get_results (GB_AUDIT (data));

  if (r == NULL || !r->has_model || r->roc_len == 0)
    return;
  gb_plot_roc_draw (cr, width, height, _("ROC curve (held-out rows)"),
                    r->roc_fpr, r->roc_tpr, r->roc_len, r->roc_auc);
}

static void
set_metric (GtkLabel *label, double value, const char *format)
{
  g_autofree char *text = NULL;

  if (isnan (value))
    {
      gtk_label_set_text (label, "—");
      return;
    }
  text = g_strdup_printf (format, value);
  gtk_label_set_text (label, text);
}

static void
clear_metrics (GbModelPane *self)
{
  GtkLabel *labels[] = { self->accuracy_label, self->auc_label, self->baseline_accuracy_label,
                         self->baseline_auc_label, self->positive_rate_label, self->rows_label,
                         self->training_label, self->loss_label };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    gtk_label_set_text (labels[i], "—");
  gb_chart_view_set_draw_func (self->roc_chart, NULL, NULL, NULL);
  gtk_stack_set_visible_child_name (self->chart_stack, "empty");
}

void
gb_model_pane_set_audit (GbModelPane *self, GbAudit *audit)
{
  const GbAuditResults *r;
  g_autofree char *rows = NULL;
  g_autofree char *training = NULL;
  g_autofree char *loss = NULL;
  g_autofree char *caption = NULL;

  g_return_if_fail (GB_IS_MODEL_PANE (self));
  g_return_if_fail (audit == NULL || GB_IS_AUDIT (audit));

  g_set_object (&self->audit, audit);
  r = audit != NULL ? gb_audit_get_results (audit) : NULL;
  if (r == NULL || !r->has_model)
    {
      clear_metrics (self);
      return;
    }

  set_metric (self->accuracy_label, r->accuracy, "%.3f");
  set_metric (self->auc_label, r->roc_auc, "%.3f");
  set_metric (self->baseline_accuracy_label, r->baseline_accuracy, "%.3f");
  set_metric (self->baseline_auc_label, r->baseline_roc_auc, "%.3f");
  set_metric (self->positive_rate_label, r->positive_rate_test, "%.3f");

  rows = g_strdup_printf ("%'zu / %'zu", (size_t) r->n_train, (size_t) r->n_test);
  gtk_label_set_text (self->rows_label, rows);
  training = g_strdup_printf (_("%'zu · %u · %.1f s"), (size_t) r->n_parameters, r->epochs_run,
                              r->train_seconds);
  gtk_label_set_text (self->training_label, training);
  loss = g_strdup_printf ("%.3f / %.3f", r->final_train_loss, r->final_val_loss);
  gtk_label_set_text (self->loss_label, loss);

  caption = g_strdup_printf (_("Target: %s · %u features · %'zu held-out rows"),
                             r->target_description != NULL ? r->target_description : "—",
                             r->n_features, (size_t) r->n_test);
  gtk_label_set_text (self->chart_caption, caption);

  if (r->roc_len > 0)
    {
      gb_chart_view_set_draw_func (self->roc_chart, draw_roc, g_object_ref (audit), g_object_unref);
      gtk_stack_set_visible_child_name (self->chart_stack, "chart");
    }
  else
    {
      gb_chart_view_set_draw_func (self->roc_chart, NULL, NULL, NULL);
      gtk_stack_set_visible_child_name (self->chart_stack, "empty");
    }
}

void
gb_model_pane_load_settings (GbModelPane *self, const GbAuditSettings *settings)
{
  g_return_if_fail (GB_IS_MODEL_PANE (self));
  g_return_if_fail (settings != NULL);

  if (settings->train.epochs > 0)
    gtk_spin_button_set_value (self->epochs_spin, settings->train.epochs);
  gtk_spin_button_set_value (self->seed_spin, (double) MIN (settings->seed, (guint64) G_MAXINT32));
  if (settings->test_fraction > 0)
    gtk_spin_button_set_value (self->test_spin, settings->test_fraction);
}

void
gb_model_pane_apply_settings (GbModelPane *self, GbAuditSettings *settings)
{
  g_return_if_fail (GB_IS_MODEL_PANE (self));
  g_return_if_fail (settings != NULL);

  gtk_spin_button_update (self->epochs_spin);
  gtk_spin_button_update (self->seed_spin);
  gtk_spin_button_update (self->test_spin);
  settings->train.epochs = (guint) gtk_spin_button_get_value_as_int (self->epochs_spin);
  settings->seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  settings->train.seed = settings->seed;
  settings->test_fraction = gtk_spin_button_get_value (self->test_spin);
}

void
gb_model_pane_set_epochs (GbModelPane *self, guint epochs)
{
  g_return_if_fail (GB_IS_MODEL_PANE (self));
  gtk_spin_button_set_value (self->epochs_spin, epochs);
}

guint
gb_model_pane_get_epochs (GbModelPane *self)
{
  g_return_val_if_fail (GB_IS_MODEL_PANE (self), 0);
  return (guint) gtk_spin_button_get_value_as_int (self->epochs_spin);
}

void
gb_model_pane_set_running (GbModelPane *self, gboolean running)
{
  g_return_if_fail (GB_IS_MODEL_PANE (self));

  self->running = running;
  gtk_widget_set_visible (self->progress_box, running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->training_group), !running);
  gtk_widget_set_visible (self->empty_run_button, !running);
  if (running)
    {
      adw_status_page_set_title (self->empty_page, _("Training the Model…"));
      adw_status_page_set_description (self->empty_page,
                                       _("Its ROC curve on the held-out rows appears here when the audit finishes."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Model Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Run the audit to train the transformer on the held-in rows, then see its ROC curve on the held-out rows here."));
    }
  if (running)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_label_set_text (self->progress_label, _("Starting…"));
    }
}

void
gb_model_pane_set_progress (GbModelPane *self, double fraction, const char *message)
{
  g_return_if_fail (GB_IS_MODEL_PANE (self));

  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0, 1));
  else
    gtk_progress_bar_pulse (self->progress_bar);
  if (message != NULL)
    {
      g_autofree char *text = fraction >= 0
        ? g_strdup_printf ("%s — %.0f %%", message, 100 * CLAMP (fraction, 0, 1))
        : g_strdup (message);
      gtk_label_set_text (self->progress_label, text);
    }
}

static void
gb_model_pane_dispose (GObject *object)
{
  GbModelPane *self = GB_MODEL_PANE (object);

  /* No gtk_widget_dispose_template(): AdwBin unparents the template's child
   * itself, and would unparent a dead pointer after it. */
  g_clear_object (&self->audit);
  G_OBJECT_CLASS (gb_model_pane_parent_class)->dispose (object);
}

static void
gb_model_pane_class_init (GbModelPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gb_model_pane_dispose;

  g_type_ensure (GB_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/glassbox/Glassbox/ui/gb-model-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, training_group);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, epochs_spin);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, test_spin);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, progress_box);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, progress_label);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, accuracy_label);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, auc_label);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, baseline_accuracy_label);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, baseline_auc_label);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, positive_rate_label);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, rows_label);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, training_label);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, loss_label);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, chart_stack);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, empty_run_button);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, chart_caption);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, roc_chart);
}

static void
gb_model_pane_init (GbModelPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->roc_chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("ROC curve"), -1);
}

#ifdef GB_TESTING
gboolean
gb_model_pane_has_roc_chart (GbModelPane *self)
{
  return gb_chart_view_has_draw_func (self->roc_chart);
}

gboolean
gb_model_pane_is_running (GbModelPane *self)
{
  return self->running;
}

const char *
gb_model_pane_get_accuracy_text (GbModelPane *self)
{
  return gtk_label_get_text (self->accuracy_label);
}
#endif
