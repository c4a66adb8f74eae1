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
#include "gb-job-queue.h"

#define N_EXPLAIN_METHODS 6

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
  GtkBox *settings_column;
  GtkBox *chart_box;

  /* built in code: the source selector and its rows */
  AdwComboRow *source_row;
  AdwActionRow *folder_row;
  AdwEntryRow *hub_row;
  GtkButton *hub_button;
  GtkProgressBar *hub_progress;
  AdwComboRow *prediction_row;
  GtkStringList *column_names;
  AdwEntryRow *positive_row;
  AdwActionRow *threshold_row;
  GtkSpinButton *threshold_spin;
  /* architecture */
  AdwPreferencesGroup *architecture_group;
  GtkSpinButton *layers_spin;
  GtkSpinButton *d_model_spin;
  GtkSpinButton *heads_spin;
  AdwActionRow *text_row;
  /* explanations: one switch per method of explain_methods[] */
  AdwPreferencesGroup *explain_group;
  GtkSwitch *method_switches[N_EXPLAIN_METHODS];
  GtkSpinButton *explain_rows_spin;
  AdwComboRow *baseline_row;
  AdwComboRow *class_row;
  GtkStringList *class_items; /* (unowned: the row keeps it) item 0 the default, then the classes */
  char *class_target;         /* (owned) (nullable) the target and positive value the */
  char *class_positive;       /* (owned) (nullable)   class list was made for */
  gboolean loading_methods;
  gboolean rows_from_project; /* the draft's explain_row_ids (a project's) are shown and kept */
  gboolean has_text_column;
  /* live loss curves, reliability, confusion, saving */
  GbChartView *loss_chart;
  GbChartView *reliability_chart;
  GbChartView *confusion_chart;
  GtkButton *save_button;

  GbJobQueue *queue;  /* (owned) Hub downloads and model saving */
  GbJob *hub_job;     /* (owned) (nullable) */
  GbJob *save_job;    /* (owned) (nullable) */
  GbDataset *dataset; /* (owned) (nullable) */
  char *import_dir;
  char *hub_dir;
  char *hub_summary;  /* (nullable) what the downloaded checkpoint holds */
  double hub_max_fraction;  /* largest fraction in (0, 1) reported while downloading */
  char *last_error;
  GArray *loss_epochs, *loss_train, *loss_val;
  guint loss_n_epochs;
  gint64 start_time;

  GbAudit *audit;     /* (owned) (nullable) */
  gboolean running;
};

enum { SOURCE_TRAIN, SOURCE_FOLDER, SOURCE_HUB, SOURCE_PREDICTION };

/* The explanation methods, in gb_explain_method_names() order, with the
 * paper each comes from. */
static const struct {
  const char *name;
  const char *title;
  const char *subtitle;
} explain_methods[] = {
  { "integrated_gradients", N_("Integrated Gradients"), N_("Sundararajan et al., 2017") },
  { "kernel_shap", N_("KernelSHAP"), N_("Lundberg and Lee, 2017") },
  { "lime", N_("LIME"), N_("Ribeiro et al., 2016") },
  { "gradient_input", N_("Gradient × Input"), N_("Shrikumar et al., 2016") },
  { "occlusion", N_("Occlusion"), N_("Zeiler and Fergus, 2014") },
  { "attention_rollout", N_("Attention Rollout"), N_("Abnar and Zuidema, 2020") },
};

G_DEFINE_FINAL_TYPE (GbModelPane, gb_model_pane, ADW_TYPE_BIN)

static void fill_classes (GbModelPane *self, const char *keep, gboolean append);
static void update_baseline_hint (GbModelPane *self);
static const char *chosen_class (GbModelPane *self);

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
draw_reliability (cairo_t *cr, double width, double height, gpointer data)
{
  const GbAuditResults *r = gb_audit_get_results (GB_AUDIT (data));

  if (r == NULL || r->reliability == NULL)
    return;
  gb_plot_reliability_draw (cr, width, height, _("Reliability (held-out rows)"), r->reliability,
                            _("Confidence"), _("Accuracy"));
}

static void
draw_confusion (cairo_t *cr, double width, double height, gpointer data)
{
  const GbAuditResults *r = gb_audit_get_results (GB_AUDIT (data));

  if (r == NULL || r->confusion == NULL)
    return;
  gb_plot_confusion_draw (cr, width, height, _("Confusion matrix (held-out rows)"),
                          (const char *const *) r->class_names, r->n_classes, r->confusion, TRUE);
}

static void
draw_loss (cairo_t *cr, double width, double height, gpointer data)
{
  GbModelPane *self = data;

  gb_plot_loss_draw (cr, width, height, _("Loss per epoch"),
                     (const double *) (gpointer) self->loss_epochs->data,
                     (const double *) (gpointer) self->loss_train->data,
                     (const double *) (gpointer) self->loss_val->data, self->loss_epochs->len,
                     self->loss_n_epochs, _("Training"), _("Validation"), _("Epoch"));
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
  gb_chart_view_set_draw_func (self->reliability_chart, NULL, NULL, NULL);
  gb_chart_view_set_draw_func (self->confusion_chart, NULL, NULL, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  gtk_stack_set_visible_child_name (self->chart_stack, "empty");
}

/* ---- the model's source ---------------------------------------------------- */

static void
show_text_column (GbModelPane *self, const char *column)
{
  self->has_text_column = column != NULL && column[0] != '\0';
  adw_action_row_set_subtitle (self->text_row,
                               self->has_text_column
                               ? column : _("None — set the Text role in the Dataset pane"));
  update_baseline_hint (self);
}

/**
 * gb_model_pane_set_text_column:
 * @self: the pane
 * @column: (nullable): the dataset's Text role column, %NULL for none
 *
 * Shows the text column (read-only here: the Dataset pane sets it); the
 * window calls it whenever the roles or the dataset change.
 */
void
gb_model_pane_set_text_column (GbModelPane *self, const char *column)
{
  g_return_if_fail (GB_IS_MODEL_PANE (self));
  show_text_column (self, column);
}

static const char *
selected_column (GbModelPane *self)
{
  guint i = adw_combo_row_get_selected (self->prediction_row);

  if (i == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->column_names, i);
}

static void
update_source_rows (GbModelPane *self)
{
  guint source = adw_combo_row_get_selected (self->source_row);
  const char *column = selected_column (self);
  gboolean numeric = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->folder_row), source == SOURCE_FOLDER);
  gtk_widget_set_visible (GTK_WIDGET (self->hub_row), source == SOURCE_HUB);
  gtk_widget_set_visible (GTK_WIDGET (self->prediction_row), source == SOURCE_PREDICTION);
  gtk_widget_set_visible (GTK_WIDGET (self->architecture_group), source == SOURCE_TRAIN);
  /* a prediction column has no model to explain */
  if (self->explain_group != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->explain_group), source != SOURCE_PREDICTION);
  gtk_widget_set_sensitive (GTK_WIDGET (self->epochs_spin), source == SOURCE_TRAIN);
  if (column != NULL && self->dataset != NULL)
    {
      int index = gb_dataset_find_column (self->dataset, column);
      const GbColumn *c = index >= 0 ? gb_dataset_get_column (self->dataset, (guint) index) : NULL;
      numeric = c != NULL && c->type == GB_COLUMN_NUMERIC;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->positive_row), source == SOURCE_PREDICTION && !numeric);
  gtk_widget_set_visible (GTK_WIDGET (self->threshold_row), source == SOURCE_PREDICTION && numeric);
  gtk_widget_set_sensitive (GTK_WIDGET (self->threshold_row), numeric);
  update_baseline_hint (self);
}

void
gb_model_pane_set_source (GbModelPane *self, guint source)
{
  g_return_if_fail (GB_IS_MODEL_PANE (self));
  adw_combo_row_set_selected (self->source_row, MIN (source, (guint) SOURCE_PREDICTION));
}

guint
gb_model_pane_get_source (GbModelPane *self)
{
  g_return_val_if_fail (GB_IS_MODEL_PANE (self), 0);
  return adw_combo_row_get_selected (self->source_row);
}

void
gb_model_pane_set_import_folder (GbModelPane *self, const char *dir)
{
  g_return_if_fail (GB_IS_MODEL_PANE (self));
  g_free (self->import_dir);
  self->import_dir = g_strdup (dir);
  adw_action_row_set_subtitle (self->folder_row, dir != NULL ? dir : _("No folder chosen"));
}

void
gb_model_pane_set_dataset (GbModelPane *self, GbDataset *dataset)
{
  g_autofree char *keep = NULL;
  guint n;

  g_return_if_fail (GB_IS_MODEL_PANE (self));
  keep = g_strdup (selected_column (self));
  g_set_object (&self->dataset, dataset);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->column_names));
  gtk_string_list_splice (self->column_names, 0, n, NULL);
  if (dataset != NULL)
    for (guint i = 0; i < gb_dataset_get_n_columns (dataset); i++)
      {
        gtk_string_list_append (self->column_names, gb_dataset_get_column (dataset, i)->name);
        if (g_strcmp0 (keep, gb_dataset_get_column (dataset, i)->name) == 0)
          adw_combo_row_set_selected (self->prediction_row, i);
      }
  update_source_rows (self);
  /* the same target in another dataset may have other classes */
  {
    g_autofree char *keep_class = g_strdup (chosen_class (self));
    fill_classes (self, keep_class, FALSE);
  }
}

void
gb_model_pane_set_prediction (GbModelPane *self, const char *column, const char *positive,
                              double threshold)
{
  guint n;

  g_return_if_fail (GB_IS_MODEL_PANE (self));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->column_names));
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->column_names, i), column) == 0)
      adw_combo_row_set_selected (self->prediction_row, i);
  if (selected_column (self) == NULL || g_strcmp0 (selected_column (self), column) != 0)
    {
      gtk_string_list_append (self->column_names, column);
      adw_combo_row_set_selected (self->prediction_row, n);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->positive_row), positive != NULL ? positive : "");
  gtk_spin_button_set_value (self->threshold_spin, threshold);
  adw_combo_row_set_selected (self->source_row, SOURCE_PREDICTION);
  update_source_rows (self);
}

static void
folder_chosen (GtkNativeDialog *dialog, int response, gpointer data)
{
  GbModelPane *self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      if (path != NULL)
        gb_model_pane_set_import_folder (self, path);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
choose_folder (GtkButton *button, gpointer data)
{
  GbModelPane *self = data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Import Model Folder"),
                                 GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Import"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (folder_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
source_changed (GObject *row, GParamSpec *pspec, gpointer data)
{
  GbModelPane *self = data;

  update_source_rows (self);
  if (adw_combo_row_get_selected (self->source_row) == SOURCE_FOLDER && self->import_dir == NULL
      && gtk_widget_get_mapped (GTK_WIDGET (self)))
    choose_folder (NULL, self);
}

/* ---- downloading from the Hub ---------------------------------------------- */

typedef struct {
  char *dir;
  char *summary;
} HubResult;

static void
hub_result_free (gpointer data)
{
  HubResult *r = data;
  g_free (r->dir);
  g_free (r->summary);
  g_free (r);
}

/* Downloads the checkpoint, then imports it (the model the audit will
 * use), so a folder that cannot be used is reported now, not at Run. */
static gboolean
hub_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  g_autofree char *model_id = NULL;
  g_autofree char *revision = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GbModel) model = NULL;
  g_autofree char *n_params = NULL;
  const GbTransformerConfig *config;
  HubResult *r;

  if (!gb_hub_parse_model_ref (task_data, &model_id, &revision, error))
    return FALSE;
  dir = gb_hub_download_model (NULL, model_id, revision, cancellable, gb_job_progress_cb, job,
                               error);
  if (dir == NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  gb_job_report_progress (job, 1.0, _("Importing the checkpoint…"));
  model = gb_model_io_open (dir, NULL, NULL, error);
  if (model == NULL)
    return FALSE;
  config = gb_model_get_config (model);
  r = g_new0 (HubResult, 1);
  r->dir = g_steal_pointer (&dir);
  n_params = g_strdup_printf ("%" G_GSIZE_FORMAT, gb_model_get_n_parameters (model));
  r->summary = g_strdup_printf (_("Imported: %u layers, width %u, %u heads, %u classes, "
                                  "%s parameters"),
                                config->n_layers, config->d_model,
                                config->n_heads, gb_model_get_n_classes (model), n_params);
  gb_job_set_result (job, r, hub_result_free);
  return TRUE;
}

static void
hub_progress (GbJob *job, double fraction, const char *message, gpointer data)
{
  GbModelPane *self = data;

  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->hub_progress, CLAMP (fraction, 0, 1));
  else
    gtk_progress_bar_pulse (self->hub_progress);
  if (fraction > 0 && fraction < 1)
    self->hub_max_fraction = MAX (self->hub_max_fraction, fraction);
  if (message != NULL)
    gtk_progress_bar_set_text (self->hub_progress, message);
}

static void
hub_set_downloading (GbModelPane *self, gboolean downloading)
{
  gtk_button_set_label (self->hub_button, downloading ? _("_Cancel") : _("_Download"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hub_button),
                               downloading ? _("Stop the download; the partial file is kept "
                                               "and the next download resumes it")
                                           : NULL);
}

static void
hub_done (GbJob *job, const GError *error, gpointer data)
{
  GbModelPane *self = data;
  HubResult *r;

  g_clear_pointer (&self->hub_job, gb_job_unref);
  hub_set_downloading (self, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hub_button), TRUE);
  g_clear_pointer (&self->last_error, g_free);
  if (error != NULL)
    {
      gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      self->last_error = g_strdup (error->message);
      gtk_progress_bar_set_fraction (self->hub_progress, 0);
      gtk_progress_bar_set_text (self->hub_progress,
                                 cancelled ? _("Download cancelled") : error->message);
      return;
    }
  r = gb_job_steal_result (job);
  g_free (self->hub_dir);
  g_free (self->hub_summary);
  self->hub_dir = g_steal_pointer (&r->dir);
  self->hub_summary = g_steal_pointer (&r->summary);
  hub_result_free (r);
  gtk_progress_bar_set_fraction (self->hub_progress, 1);
  gtk_progress_bar_set_text (self->hub_progress, self->hub_summary);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hub_progress), self->hub_dir);
}

void
gb_model_pane_download (GbModelPane *self, const char *model_ref)
{
  g_return_if_fail (GB_IS_MODEL_PANE (self));

  if (self->hub_job != NULL)
    gb_job_cancel (self->hub_job);
  g_clear_pointer (&self->hub_job, gb_job_unref);
  g_clear_pointer (&self->hub_dir, g_free);
  g_clear_pointer (&self->hub_summary, g_free);
  self->hub_max_fraction = 0;
  /* a download started from code (a project, a test) shows its id too */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->hub_row)), model_ref) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->hub_row), model_ref);
  gtk_widget_set_visible (GTK_WIDGET (self->hub_progress), TRUE);
  gtk_progress_bar_set_fraction (self->hub_progress, 0);
  gtk_progress_bar_set_text (self->hub_progress, _("Starting…"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hub_progress), NULL);
  hub_set_downloading (self, TRUE);
  self->hub_job = gb_job_ref (gb_job_queue_push (self->queue, "hub-download", hub_worker,
                                                 g_strdup (model_ref), g_free, hub_progress,
                                                 hub_done, self));
}

/**
 * gb_model_pane_cancel_download:
 * @self: the pane
 *
 * Cancels a running Hub download (what the Cancel button does); its
 * done-callback then shows "Download cancelled".
 */
void
gb_model_pane_cancel_download (GbModelPane *self)
{
  g_return_if_fail (GB_IS_MODEL_PANE (self));
  if (self->hub_job != NULL)
    {
      gb_job_cancel (self->hub_job);
      gtk_progress_bar_set_text (self->hub_progress, _("Cancelling…"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->hub_button), FALSE);
    }
}

static void
hub_activated (GtkWidget *widget, gpointer data)
{
  GbModelPane *self = data;
  g_autofree char *ref = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->hub_row))));

  if (self->hub_job != NULL && GTK_WIDGET (self->hub_button) == widget)
    gb_model_pane_cancel_download (self);
  else if (ref[0] != '\0')
    gb_model_pane_download (self, ref);
}

/* ---- saving the model ------------------------------------------------------ */

typedef struct {
  GbAudit *audit;
  char *dir;
} SaveTask;

static void
save_task_free (gpointer data)
{
  SaveTask *t = data;
  g_object_unref (t->audit);
  g_free (t->dir);
  g_free (t);
}

static gboolean
save_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  SaveTask *t = task_data;
  const GbAuditResults *r = gb_audit_get_results (t->audit);
  GbAuditSettings *s = gb_audit_get_settings (t->audit);
  GbModel *model = gb_audit_get_model (t->audit);
  g_autofree char *source = s->model_dir ? g_strdup_printf ("glassbox:%s", s->model_dir) : NULL;
  GbModelInfo info = { 0 };

  info.source = source != NULL ? source : "trained";
  info.target = s->target;
  info.class_labels = r->class_names;
  info.data_path = s->csv_path;
  info.data_sha256 = r->dataset_sha256;
  info.n_train_rows = r->n_train;
  info.n_validation_rows = r->n_test;
  info.has_train_config = s->model_dir == NULL;
  info.train = s->train;
  info.init_seed = s->seed;
  return gb_model_io_save (model, r->text_column != NULL ? gb_model_get_tokenizer (model) : NULL,
                           &info, t->dir, error);
}

static void
save_done (GbJob *job, const GError *error, gpointer data)
{
  GbModelPane *self = data;
  SaveTask *t = gb_job_get_task_data (job);
  AdwToastOverlay *overlay;
  g_autofree char *message = NULL;

  g_clear_pointer (&self->save_job, gb_job_unref);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), self->audit != NULL);
  g_clear_pointer (&self->last_error, g_free);
  if (error != NULL)
    {
      self->last_error = g_strdup (error->message);
      message = g_strdup_printf (_("Could not save the model: %s"), error->message);
    }
  else
    message = g_strdup_printf (_("Model saved to %s"), t->dir);
  overlay = ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (GTK_WIDGET (self),
                                                        ADW_TYPE_TOAST_OVERLAY));
  if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, adw_toast_new (message));
}

void
gb_model_pane_save_model_to (GbModelPane *self, const char *dir)
{
  SaveTask *t;

  g_return_if_fail (GB_IS_MODEL_PANE (self));
  if (self->audit == NULL || gb_audit_get_model (self->audit) == NULL || self->save_job != NULL)
    return;
  t = g_new0 (SaveTask, 1);
  t->audit = g_object_ref (self->audit);
  t->dir = g_strdup (dir);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  self->save_job = gb_job_ref (gb_job_queue_push (self->queue, "save-model", save_worker, t,
                                                  save_task_free, NULL, save_done, self));
}

static void
save_folder_chosen (GtkNativeDialog *dialog, int response, gpointer data)
{
  GbModelPane *self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      if (path != NULL)
        gb_model_pane_save_model_to (self, path);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
save_clicked (GtkButton *button, gpointer data)
{
  GbModelPane *self = data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Save Model"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Save"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (save_folder_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- building the rows ----------------------------------------------------- */

static GtkSpinButton *
add_spin_row (AdwPreferencesGroup *group, const char *title, const char *subtitle, double lower,
              double upper, double value, double step)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (group, row);
  return GTK_SPIN_BUTTON (spin);
}

static void
build_source_group (GbModelPane *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  const char *sources[] = { _("Train here"), _("Import folder…"), _("Download from Hub…"),
                            _("Use a prediction column"), NULL };
  GtkWidget *button;
  GtkWidget *row;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Model Source"));

  self->source_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->source_row), _("Source"));
  adw_combo_row_set_model (self->source_row, G_LIST_MODEL (gtk_string_list_new (sources)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->source_row));

  self->folder_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->folder_row), _("Model Folder"));
  adw_action_row_set_subtitle (self->folder_row, _("No folder chosen"));
  button = gtk_button_new_with_mnemonic (_("_Choose…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", G_CALLBACK (choose_folder), self);
  adw_action_row_add_suffix (self->folder_row, button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->folder_row));

  self->hub_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->hub_row),
                                 _("Model ID (owner/name@revision)"));
  self->hub_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Download")));
  gtk_widget_set_valign (GTK_WIDGET (self->hub_button), GTK_ALIGN_CENTER);
  g_signal_connect (self->hub_button, "clicked", G_CALLBACK (hub_activated), self);
  g_signal_connect (self->hub_row, "entry-activated", G_CALLBACK (hub_activated), self);
  adw_entry_row_add_suffix (self->hub_row, GTK_WIDGET (self->hub_button));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->hub_row));
  self->hub_progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->hub_progress, TRUE);
  gtk_progress_bar_set_ellipsize (self->hub_progress, PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_visible (GTK_WIDGET (self->hub_progress), FALSE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->hub_progress), 6);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->hub_progress));

  self->column_names = gtk_string_list_new (NULL);
  self->prediction_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->prediction_row), _("Prediction Column"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->prediction_row),
                               _("Existing predictions or scores to audit; no model is trained"));
  adw_combo_row_set_model (self->prediction_row, G_LIST_MODEL (self->column_names));
  g_object_unref (self->column_names);   /* the row keeps it */
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->prediction_row));

  self->positive_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->positive_row),
                                 _("Positive Values (comma-separated)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->positive_row));

  self->threshold_spin = add_spin_row (ADW_PREFERENCES_GROUP (group), _("Score Threshold"),
                                       _("Scores at or above it count as positive"), -1e6, 1e6,
                                       0.5, 0.05);
  gtk_spin_button_set_digits (self->threshold_spin, 2);
  row = gtk_widget_get_ancestor (GTK_WIDGET (self->threshold_spin), ADW_TYPE_ACTION_ROW);
  self->threshold_row = ADW_ACTION_ROW (row);

  gtk_box_prepend (self->settings_column, group);
  g_signal_connect (self->source_row, "notify::selected", G_CALLBACK (source_changed), self);
  g_signal_connect_swapped (self->prediction_row, "notify::selected",
                            G_CALLBACK (update_source_rows), self);
}

static void
build_architecture_group (GbModelPane *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, _("Architecture"));
  self->architecture_group = group;
  self->layers_spin = add_spin_row (group, _("Layers"), _("Transformer encoder blocks"), 1, 24, 2, 1);
  self->d_model_spin = add_spin_row (group, _("Model Width"), _("Embedding size (d_model)"), 8, 1024,
                                     32, 8);
  self->heads_spin = add_spin_row (group, _("Attention Heads"), _("Must divide the model width"), 1,
                                   32, 4, 1);
  self->text_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->text_row), _("Text Column"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->text_row), _("Set in the Dataset pane"));
  adw_preferences_group_add (group, GTK_WIDGET (self->text_row));
  show_text_column (self, NULL);
  gtk_box_insert_child_after (self->settings_column, GTK_WIDGET (group),
                              GTK_WIDGET (self->training_group));
  update_source_rows (self);
}

/* ---- the explanations ------------------------------------------------------ */

G_STATIC_ASSERT (G_N_ELEMENTS (explain_methods) == N_EXPLAIN_METHODS);

static guint
n_methods_on (GbModelPane *self)
{
  guint n = 0;

  for (guint m = 0; m < N_EXPLAIN_METHODS; m++)
    n += gtk_switch_get_active (self->method_switches[m]);
  return n;
}

/* At least one method stays on: the last switch on cannot be turned off
 * (insensitive, with a tooltip saying why); the baseline applies only to
 * integrated gradients. */
static void
update_method_rows (GbModelPane *self)
{
  guint n = n_methods_on (self);

  for (guint m = 0; m < N_EXPLAIN_METHODS; m++)
    {
      gboolean last = n == 1 && gtk_switch_get_active (self->method_switches[m]);
      gtk_widget_set_sensitive (GTK_WIDGET (self->method_switches[m]), !last);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->method_switches[m]),
                                   last ? _("At least one method must stay on") : NULL);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->baseline_row),
                            gtk_switch_get_active (self->method_switches[0]));
}

static void
method_toggled (GtkSwitch *sw, GParamSpec *pspec, gpointer data)
{
  GbModelPane *self = data;

  /* a row activated while its switch was the last one on (the switch is
   * insensitive then, the row is not): refuse */
  if (!self->loading_methods && n_methods_on (self) == 0)
    {
      gtk_switch_set_active (sw, TRUE);
      return;
    }
  update_method_rows (self);
}

/* Switches on exactly @methods (NULL: the engine's defaults); names the
 * pane does not know are ignored, and an empty result means the defaults. */
static void
load_methods (GbModelPane *self, const char *const *methods)
{
  const char *const *on = methods != NULL ? methods : gb_explain_default_method_names ();

  self->loading_methods = TRUE;
  for (guint m = 0; m < N_EXPLAIN_METHODS; m++)
    gtk_switch_set_active (self->method_switches[m],
                           g_strv_contains (on, explain_methods[m].name));
  if (n_methods_on (self) == 0)
    for (guint m = 0; m < N_EXPLAIN_METHODS; m++)
      gtk_switch_set_active (self->method_switches[m],
                             g_strv_contains (gb_explain_default_method_names (),
                                              explain_methods[m].name));
  self->loading_methods = FALSE;
  update_method_rows (self);
}

/* (transfer full): the methods switched on in gb_explain_method_names()
 * order, or NULL when they are exactly the engine's defaults (so the
 * reproducing command line names no --explainers then). */
static char **
chosen_methods (GbModelPane *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) methods = NULL;
  const char *const *defaults = gb_explain_default_method_names ();
  gboolean is_default;

  for (guint m = 0; m < N_EXPLAIN_METHODS; m++)
    if (gtk_switch_get_active (self->method_switches[m]))
      g_strv_builder_add (b, explain_methods[m].name);
  methods = g_strv_builder_end (b);
  is_default = g_strv_length (methods) == g_strv_length ((char **) defaults);
  for (guint i = 0; is_default && methods[i] != NULL; i++)
    is_default = g_strv_contains (defaults, methods[i]);
  if (methods[0] == NULL || is_default)
    return NULL;
  return g_steal_pointer (&methods);
}

/* The class list of the current target: item 0 the engine's default (the
 * positive class of a binary target, each row's predicted class for more
 * classes), then the classes as the audit names them.  Selects @keep when
 * it is listed, else (with @append) appends it: a project's class that the
 * list spells otherwise (a level --explain-class also accepts) is kept;
 * else selects the default. */
static void
fill_classes (GbModelPane *self, const char *keep, gboolean append)
{
  g_auto(GStrv) names = NULL;
  g_autofree char *first = NULL;
  guint n_items, selected = 0;

  if (self->dataset != NULL && self->class_target != NULL)
    {
      GbAuditSettings s = { 0 };
      s.target = self->class_target;
      s.positive = self->class_positive;
      names = gb_audit_settings_target_classes (&s, self->dataset, NULL);
    }
  if (names != NULL && g_strv_length (names) == 2)
    /* TRANSLATORS: the default class explained for a binary target; %s is its name */
    first = g_strdup_printf (_("Positive class (%s)"), names[1]);
  else
    first = g_strdup (_("Predicted class"));

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->class_items));
  gtk_string_list_splice (self->class_items, 0, n_items, NULL);
  gtk_string_list_append (self->class_items, first);
  for (guint k = 0; names != NULL && names[k] != NULL; k++)
    {
      gtk_string_list_append (self->class_items, names[k]);
      if (g_strcmp0 (keep, names[k]) == 0)
        selected = k + 1;
    }
  if (keep != NULL && selected == 0 && append)
    {
      gtk_string_list_append (self->class_items, keep);
      selected = g_list_model_get_n_items (G_LIST_MODEL (self->class_items)) - 1;
    }
  adw_combo_row_set_selected (self->class_row, selected);
}

/* (transfer none) (nullable): the explained class chosen, NULL for the default. */
static const char *
chosen_class (GbModelPane *self)
{
  guint i = adw_combo_row_get_selected (self->class_row);

  if (i == 0 || i == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->class_items, i);
}

/* Lists @target's classes; a different target (or positive value) than
 * the one listed resets the choice to the default, the same one keeps it. */
static void
show_target (GbModelPane *self, const char *target, const char *positive, gboolean force)
{
  if (!force && g_strcmp0 (target, self->class_target) == 0
      && g_strcmp0 (positive, self->class_positive) == 0)
    return;
  g_free (self->class_target);
  g_free (self->class_positive);
  self->class_target = g_strdup (target);
  self->class_positive = g_strdup (positive);
  fill_classes (self, NULL, FALSE);
}

/**
 * gb_model_pane_set_target:
 * @self: the pane
 * @target: (nullable): the draft's target column or condition
 * @positive: (nullable): its positive value
 *
 * Lists the target's classes (gb_audit_settings_target_classes() on the
 * pane's dataset) in "Class to Explain"; a target or positive value other
 * than the one shown resets the choice to the default.  The window calls it
 * whenever the roles or the dataset change.
 */
void
gb_model_pane_set_target (GbModelPane *self, const char *target, const char *positive)
{
  g_return_if_fail (GB_IS_MODEL_PANE (self));
  show_target (self, target, positive, FALSE);
}

/* [MASK] and [PAD] exist only in a text model: a model trained here
 * without a text column cannot start from them (gb_audit_validate() says
 * so at Run); the row says it before. */
static void
update_baseline_hint (GbModelPane *self)
{
  guint b;
  gboolean bad;

  if (self->baseline_row == NULL || self->source_row == NULL)
    return;
  b = adw_combo_row_get_selected (self->baseline_row);
  bad = !self->has_text_column && adw_combo_row_get_selected (self->source_row) == SOURCE_TRAIN
        && (b == GB_IG_BASELINE_MASK || b == GB_IG_BASELINE_PAD);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->baseline_row),
                               bad ? _("[MASK] and [PAD] need a text column: choose Zero, "
                                       "Feature means or Expected gradients for a tabular model")
                                   : _("Automatic: zero for tabular models, [MASK] for text"));
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (self->baseline_row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->baseline_row), "warning");
}

static AdwActionRow *
explain_rows_row (GbModelPane *self)
{
  return ADW_ACTION_ROW (gtk_widget_get_ancestor (GTK_WIDGET (self->explain_rows_spin),
                                                  ADW_TYPE_ACTION_ROW));
}

/* A project may name the rows to explain (--explain-rows): the row says
 * which, until the analyst sets a number, which then explains the first
 * held-out rows instead. */
static void
show_project_rows (GbModelPane *self, const gsize *ids, gsize n_ids)
{
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *subtitle = NULL;

  self->rows_from_project = ids != NULL && n_ids > 0;
  if (!self->rows_from_project)
    {
      adw_action_row_set_subtitle (explain_rows_row (self),
                                   _("The first held-out rows; 0 explains none"));
      return;
    }
  for (gsize i = 0; i < MIN (n_ids, 8); i++)
    g_string_append_printf (list, "%s%" G_GSIZE_FORMAT, i ? ", " : "", ids[i]);
  if (n_ids > 8)
    g_string_append (list, ", …");
  /* TRANSLATORS: %s lists 0-based row numbers, e.g. "1, 5, 9" */
  subtitle = g_strdup_printf (_("Rows %s, as the project lists them; a number here explains "
                                "the first held-out rows instead"), list->str);
  adw_action_row_set_subtitle (explain_rows_row (self), subtitle);
}

static void
explain_rows_changed (GbModelPane *self)
{
  if (self->rows_from_project && !self->loading_methods)
    show_project_rows (self, NULL, 0);
}

static void
build_explain_group (GbModelPane *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  const char *baselines[] = { _("Automatic"), _("Zero"), "[MASK]", "[PAD]", _("Feature means"),
                              _("Expected gradients"), NULL };

  adw_preferences_group_set_title (group, _("Explanations"));
  adw_preferences_group_set_description (group, _("How the audit explains the model’s "
                                                  "predictions on held-out rows"));
  self->explain_group = group;
  for (guint m = 0; m < N_EXPLAIN_METHODS; m++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(explain_methods[m].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(explain_methods[m].subtitle));
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      adw_preferences_group_add (group, row);
      self->method_switches[m] = GTK_SWITCH (sw);
      g_signal_connect (sw, "notify::active", G_CALLBACK (method_toggled), self);
    }
  /* --explain accepts 0 (no row) to any positive int */
  self->explain_rows_spin = add_spin_row (group, _("Rows to Explain"),
                                          _("The first held-out rows; 0 explains none"), 0,
                                          G_MAXINT32, 16, 1);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->explain_rows_spin), 5);
  g_signal_connect_swapped (self->explain_rows_spin, "value-changed",
                            G_CALLBACK (explain_rows_changed), self);

  self->baseline_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->baseline_row),
                                 _("Integrated-Gradients Baseline"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->baseline_row),
                               _("Automatic: zero for tabular models, [MASK] for text"));
  adw_combo_row_set_model (self->baseline_row, G_LIST_MODEL (gtk_string_list_new (baselines)));
  g_object_unref (adw_combo_row_get_model (self->baseline_row));   /* the row keeps it */
  adw_preferences_group_add (group, GTK_WIDGET (self->baseline_row));
  g_signal_connect_swapped (self->baseline_row, "notify::selected",
                            G_CALLBACK (update_baseline_hint), self);

  self->class_items = gtk_string_list_new (NULL);
  self->class_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->class_row), _("Class to Explain"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->class_row),
                               _("Whose probability the attributions explain"));
  adw_combo_row_set_model (self->class_row, G_LIST_MODEL (self->class_items));
  g_object_unref (self->class_items);   /* the row keeps it */
  adw_preferences_group_add (group, GTK_WIDGET (self->class_row));
  fill_classes (self, NULL, FALSE);

  load_methods (self, NULL);
  gtk_box_insert_child_after (self->settings_column, GTK_WIDGET (group),
                              GTK_WIDGET (self->architecture_group));
  update_source_rows (self);
}

static void
build_extra_charts (GbModelPane *self)
{
  /* A flow box, so that narrow windows stack the two charts. */
  GtkWidget *row = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (row), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (row), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (row), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (row), 2);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (row), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (row), 12);
  self->reliability_chart = GB_CHART_VIEW (gb_chart_view_new (NULL, NULL, NULL));
  self->confusion_chart = GB_CHART_VIEW (gb_chart_view_new (NULL, NULL, NULL));
  gb_chart_view_set_chart_height (self->reliability_chart, 380);
  gb_chart_view_set_chart_height (self->confusion_chart, 380);
  gtk_widget_add_css_class (GTK_WIDGET (self->reliability_chart), "card");
  gtk_widget_add_css_class (GTK_WIDGET (self->confusion_chart), "card");
  gtk_widget_set_hexpand (GTK_WIDGET (self->reliability_chart), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->confusion_chart), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reliability_chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reliability diagram"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->confusion_chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Confusion matrix"), -1);
  gtk_flow_box_append (GTK_FLOW_BOX (row), GTK_WIDGET (self->reliability_chart));
  gtk_flow_box_append (GTK_FLOW_BOX (row), GTK_WIDGET (self->confusion_chart));
  gtk_box_append (self->chart_box, row);

  self->loss_chart = GB_CHART_VIEW (gb_chart_view_new (draw_loss, self, NULL));
  gb_chart_view_set_chart_height (self->loss_chart, 220);
  gtk_widget_set_visible (GTK_WIDGET (self->loss_chart), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->loss_chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Training and validation loss"), -1);
  gtk_box_append (GTK_BOX (self->progress_box), GTK_WIDGET (self->loss_chart));
  /* the names "Save as PNG/SVG…" suggests */
  gb_chart_view_set_file_name (self->roc_chart, "roc");
  gb_chart_view_set_file_name (self->reliability_chart, "reliability");
  gb_chart_view_set_file_name (self->confusion_chart, "confusion-matrix");
  gb_chart_view_set_file_name (self->loss_chart, "loss");
  /* While a model trains its progress and loss curves come first. */
  gtk_box_reorder_child_after (self->settings_column, self->progress_box, NULL);

  self->save_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Save Model…")));
  gtk_widget_set_halign (GTK_WIDGET (self->save_button), GTK_ALIGN_START);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  g_signal_connect (self->save_button, "clicked", G_CALLBACK (save_clicked), self);
  gtk_box_append (self->settings_column, GTK_WIDGET (self->save_button));
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

  if (r->text_column != NULL && r->n_features == 0)
    caption = g_strdup_printf (_("Target: %s · text column “%s” · %'zu held-out rows"),
                               r->target_description != NULL ? r->target_description : "—",
                               r->text_column, (size_t) r->n_test);
  else if (r->text_column != NULL)
    caption = g_strdup_printf (_("Target: %s · text column “%s” and %u features · %'zu held-out rows"),
                               r->target_description != NULL ? r->target_description : "—",
                               r->text_column, r->n_features, (size_t) r->n_test);
  else
    caption = g_strdup_printf (_("Target: %s · %u features · %'zu held-out rows"),
                               r->target_description != NULL ? r->target_description : "—",
                               r->n_features, (size_t) r->n_test);
  gtk_label_set_text (self->chart_caption, caption);

  if (r->roc_len > 0)
    gb_chart_view_set_draw_func (self->roc_chart, draw_roc, g_object_ref (audit), g_object_unref);
  else
    gb_chart_view_set_draw_func (self->roc_chart, NULL, NULL, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->roc_chart), r->roc_len > 0);
  if (r->reliability != NULL)
    gb_chart_view_set_draw_func (self->reliability_chart, draw_reliability, g_object_ref (audit),
                                 g_object_unref);
  else
    gb_chart_view_set_draw_func (self->reliability_chart, NULL, NULL, NULL);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->reliability_chart)),
                          r->reliability != NULL);
  if (r->confusion != NULL && r->n_classes > 0)
    gb_chart_view_set_draw_func (self->confusion_chart, draw_confusion, g_object_ref (audit),
                                 g_object_unref);
  else
    gb_chart_view_set_draw_func (self->confusion_chart, NULL, NULL, NULL);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->confusion_chart)),
                          r->confusion != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            gb_audit_get_model (audit) != NULL && self->save_job == NULL);
  gtk_stack_set_visible_child_name (self->chart_stack,
                                    r->roc_len > 0 || r->reliability != NULL || r->confusion != NULL
                                    ? "chart" : "empty");
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
  if (settings->model.n_layers > 0)
    gtk_spin_button_set_value (self->layers_spin, settings->model.n_layers);
  if (settings->model.d_model > 0)
    gtk_spin_button_set_value (self->d_model_spin, settings->model.d_model);
  if (settings->model.n_heads > 0)
    gtk_spin_button_set_value (self->heads_spin, settings->model.n_heads);
  show_text_column (self, settings->text_column);
  load_methods (self, (const char *const *) settings->explainers);
  self->loading_methods = TRUE;
  gtk_spin_button_set_value (self->explain_rows_spin,
                             settings->explain_row_ids != NULL && settings->n_explain_row_ids > 0
                             ? (double) settings->n_explain_row_ids : settings->explain_rows);
  self->loading_methods = FALSE;
  show_project_rows (self, settings->explain_row_ids, settings->n_explain_row_ids);
  adw_combo_row_set_selected (self->baseline_row,
                              MIN ((guint) settings->ig_baseline, (guint) GB_IG_BASELINE_EXPECTED));
  show_target (self, settings->target, settings->positive, TRUE);
  if (settings->explain_class != NULL)
    fill_classes (self, settings->explain_class, TRUE);
  if (settings->model_dir != NULL)
    {
      gb_model_pane_set_import_folder (self, settings->model_dir);
      adw_combo_row_set_selected (self->source_row, SOURCE_FOLDER);
    }
  else if (settings->prediction != NULL || settings->score != NULL)
    {
      g_autofree char *positive = settings->prediction_positive != NULL
                                  ? g_strjoinv (", ", settings->prediction_positive) : NULL;
      gb_model_pane_set_prediction (self, settings->prediction != NULL ? settings->prediction
                                                                       : settings->score,
                                    positive, settings->threshold > 0 ? settings->threshold : 0.5);
    }
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
  gtk_spin_button_update (self->layers_spin);
  gtk_spin_button_update (self->d_model_spin);
  gtk_spin_button_update (self->heads_spin);
  settings->model.n_layers = (guint) gtk_spin_button_get_value_as_int (self->layers_spin);
  settings->model.d_model = (guint) gtk_spin_button_get_value_as_int (self->d_model_spin);
  settings->model.n_heads = (guint) gtk_spin_button_get_value_as_int (self->heads_spin);
  show_text_column (self, settings->text_column);

  g_strfreev (settings->explainers);
  settings->explainers = chosen_methods (self);
  gtk_spin_button_update (self->explain_rows_spin);
  settings->explain_rows = (guint) gtk_spin_button_get_value_as_int (self->explain_rows_spin);
  if (!self->rows_from_project)
    {
      g_clear_pointer (&settings->explain_row_ids, g_free);
      settings->n_explain_row_ids = 0;
    }
  settings->ig_baseline = (GbIgBaseline) adw_combo_row_get_selected (self->baseline_row);
  if (settings->ig_baseline > GB_IG_BASELINE_EXPECTED)
    settings->ig_baseline = GB_IG_BASELINE_DEFAULT;
  g_free (settings->explain_class);
  settings->explain_class = g_strdup (chosen_class (self));

  g_clear_pointer (&settings->model_dir, g_free);
  g_clear_pointer (&settings->prediction, g_free);
  g_clear_pointer (&settings->prediction_positive, g_strfreev);
  g_clear_pointer (&settings->score, g_free);
  switch (adw_combo_row_get_selected (self->source_row))
    {
    case SOURCE_FOLDER:
      settings->model_dir = g_strdup (self->import_dir);
      break;
    case SOURCE_HUB:
      settings->model_dir = g_strdup (self->hub_dir);
      break;
    case SOURCE_PREDICTION:
      {
        const char *column = selected_column (self);
        const GbColumn *c;
        int index;

        if (column == NULL)
          break;
        index = self->dataset != NULL ? gb_dataset_find_column (self->dataset, column) : -1;
        c = index >= 0 ? gb_dataset_get_column (self->dataset, (guint) index) : NULL;
        if (c != NULL && c->type == GB_COLUMN_NUMERIC
            && gtk_widget_get_sensitive (GTK_WIDGET (self->threshold_row)))
          {
            gtk_spin_button_update (self->threshold_spin);
            settings->score = g_strdup (column);
            settings->threshold = gtk_spin_button_get_value (self->threshold_spin);
          }
        else
          {
            g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->positive_row)),
                                              ",", -1);
            g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
            settings->prediction = g_strdup (column);
            for (guint i = 0; parts[i] != NULL; i++)
              {
                g_strstrip (parts[i]);
                if (parts[i][0] != '\0')
                  g_strv_builder_add (b, parts[i]);
              }
            settings->prediction_positive = g_strv_builder_end (b);
            if (settings->prediction_positive[0] == NULL)
              g_clear_pointer (&settings->prediction_positive, g_strfreev);
          }
      }
      break;
    default:
      break;
    }
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
      adw_status_page_set_title (self->empty_page, _("Running the Audit…"));
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
      g_array_set_size (self->loss_epochs, 0);
      g_array_set_size (self->loss_train, 0);
      g_array_set_size (self->loss_val, 0);
      self->loss_n_epochs = 0;
      self->start_time = g_get_monotonic_time ();
      gtk_widget_set_visible (GTK_WIDGET (self->loss_chart), FALSE);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->source_row), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->architecture_group), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->explain_group), !running);
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
      double elapsed = (g_get_monotonic_time () - self->start_time) / 1e6;
      g_autofree char *text = NULL;
      guint epoch = 0, n_epochs = 0;
      double train_loss, val_loss;

      if (fraction > 0.02 && fraction < 1 && elapsed > 1 && self->start_time > 0)
        {
          guint left = (guint) ceil (elapsed * (1 - fraction) / fraction);
          g_autofree char *eta = g_strdup_printf ("%u:%02u", left / 60, left % 60);
          /* TRANSLATORS: progress message — percentage — time left (minutes:seconds) */
          text = g_strdup_printf (_("%s — %.0f %% — about %s left"), message,
                                  100 * CLAMP (fraction, 0, 1), eta);
        }
      else if (fraction >= 0)
        text = g_strdup_printf ("%s — %.0f %%", message, 100 * CLAMP (fraction, 0, 1));
      else
        text = g_strdup (message);
      gtk_label_set_text (self->progress_label, text);

      if (gb_plot_loss_parse_progress (message, &epoch, &n_epochs, &train_loss, &val_loss))
        {
          double e = epoch;
          guint n = self->loss_epochs->len;

          if (n > 0 && g_array_index (self->loss_epochs, double, n - 1) == e)
            {
              g_array_index (self->loss_train, double, n - 1) = train_loss;
              g_array_index (self->loss_val, double, n - 1) = val_loss;
            }
          else
            {
              g_array_append_val (self->loss_epochs, e);
              g_array_append_val (self->loss_train, train_loss);
              g_array_append_val (self->loss_val, val_loss);
            }
          self->loss_n_epochs = n_epochs;
          gtk_widget_set_visible (GTK_WIDGET (self->loss_chart), TRUE);
          gtk_widget_queue_draw (GTK_WIDGET (self->loss_chart));
        }
    }
}

static void
gb_model_pane_dispose (GObject *object)
{
  GbModelPane *self = GB_MODEL_PANE (object);

  /* No gtk_widget_dispose_template(): AdwBin unparents the template's child
   * itself, and would unparent a dead pointer after it. */
  if (self->queue != NULL)
    gb_job_queue_shutdown (self->queue);
  g_clear_pointer (&self->hub_job, gb_job_unref);
  g_clear_pointer (&self->save_job, gb_job_unref);
  g_clear_object (&self->queue);
  g_clear_object (&self->audit);
  g_clear_object (&self->dataset);
  G_OBJECT_CLASS (gb_model_pane_parent_class)->dispose (object);
}

static void
gb_model_pane_finalize (GObject *object)
{
  GbModelPane *self = GB_MODEL_PANE (object);

  g_free (self->import_dir);
  g_free (self->hub_dir);
  g_free (self->hub_summary);
  g_free (self->last_error);
  g_free (self->class_target);
  g_free (self->class_positive);
  g_array_unref (self->loss_epochs);
  g_array_unref (self->loss_train);
  g_array_unref (self->loss_val);
  G_OBJECT_CLASS (gb_model_pane_parent_class)->finalize (object);
}

static void
gb_model_pane_class_init (GbModelPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gb_model_pane_dispose;
  object_class->finalize = gb_model_pane_finalize;

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
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, settings_column);
  gtk_widget_class_bind_template_child (widget_class, GbModelPane, chart_box);
}

static void
gb_model_pane_init (GbModelPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loss_epochs = g_array_new (FALSE, FALSE, sizeof (double));
  self->loss_train = g_array_new (FALSE, FALSE, sizeof (double));
  self->loss_val = g_array_new (FALSE, FALSE, sizeof (double));
  self->queue = gb_job_queue_new (1);
  build_source_group (self);
  build_architecture_group (self);
  build_explain_group (self);
  build_extra_charts (self);
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

#ifdef GB_TESTING
gboolean
gb_model_pane_has_reliability_chart (GbModelPane *self)
{
  return gb_chart_view_has_draw_func (self->reliability_chart);
}

gboolean
gb_model_pane_has_confusion_chart (GbModelPane *self)
{
  return gb_chart_view_has_draw_func (self->confusion_chart);
}

guint
gb_model_pane_get_n_loss_points (GbModelPane *self)
{
  return self->loss_epochs->len;
}

void
gb_model_pane_get_loss_point (GbModelPane *self, guint i, double *epoch, double *train_loss,
                              double *val_loss)
{
  g_return_if_fail (i < self->loss_epochs->len);
  *epoch = g_array_index (self->loss_epochs, double, i);
  *train_loss = g_array_index (self->loss_train, double, i);
  *val_loss = g_array_index (self->loss_val, double, i);
}

gboolean
gb_model_pane_is_busy (GbModelPane *self)
{
  return gb_job_queue_is_busy (self->queue);
}

const char *
gb_model_pane_get_last_error (GbModelPane *self)
{
  return self->last_error;
}

const char *
gb_model_pane_get_chart_caption (GbModelPane *self)
{
  return gtk_label_get_text (self->chart_caption);
}

const char *
gb_model_pane_get_text_column_text (GbModelPane *self)
{
  return adw_action_row_get_subtitle (self->text_row);
}

const char *
gb_model_pane_get_hub_status (GbModelPane *self, double *fraction, double *max_fraction)
{
  if (fraction != NULL)
    *fraction = gtk_progress_bar_get_fraction (self->hub_progress);
  if (max_fraction != NULL)
    *max_fraction = self->hub_max_fraction;
  return gtk_progress_bar_get_text (self->hub_progress);
}

const char *
gb_model_pane_get_hub_folder (GbModelPane *self)
{
  return self->hub_dir;
}

GtkButton *
gb_model_pane_get_hub_button (GbModelPane *self)
{
  return self->hub_button;
}

gboolean
gb_model_pane_is_downloading (GbModelPane *self)
{
  return self->hub_job != NULL;
}

GtkSwitch *
gb_model_pane_get_method_switch (GbModelPane *self, const char *method)
{
  for (guint m = 0; m < N_EXPLAIN_METHODS; m++)
    if (g_strcmp0 (explain_methods[m].name, method) == 0)
      return self->method_switches[m];
  g_return_val_if_reached (NULL);
}

GtkSpinButton *
gb_model_pane_get_explain_rows_spin (GbModelPane *self)
{
  return self->explain_rows_spin;
}

AdwComboRow *
gb_model_pane_get_baseline_row (GbModelPane *self)
{
  return self->baseline_row;
}

AdwComboRow *
gb_model_pane_get_class_row (GbModelPane *self)
{
  return self->class_row;
}

GtkWidget *
gb_model_pane_get_explain_group (GbModelPane *self)
{
  return GTK_WIDGET (self->explain_group);
}
#endif
