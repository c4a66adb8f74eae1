/* gb-window.c — the main window.
 *
 * The window owns the job queue, the loaded dataset, the "draft" audit
 * whose settings the panes edit, and the audit of the last successful run.
 * Each run works on a fresh GbAudit with a copy of the draft's settings, so
 * the worker thread never shares mutable state with the widgets; the run's
 * audit only reaches the panes in the completion callback, on the main
 * context.  Closing the window cancels the running job and waits for it
 * (gb_job_queue_shutdown), after which no callback can reach the window. */
#include "gb-config.h"

#include <glib/gi18n.h>

#include "glassbox-engine.h"
#include "gb-window.h"
#include "gb-window-private.h"
#include "gb-job-queue.h"
#include "gb-dataset-pane.h"
#include "gb-model-pane.h"
#include "gb-report-pane.h"

struct _GbWindow {
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwHeaderBar *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack *stack;
  AdwViewStackPage *report_page;
  AdwViewSwitcherBar *switcher_bar;
  GbDatasetPane *dataset_pane;
  GbModelPane *model_pane;
  GbReportPane *report_pane;
  GtkButton *run_button;

  GbJobQueue *queue;
  GbJob *load_job;        /* (owned) (nullable) */
  GbJob *audit_job;       /* (owned) (nullable) */
  GbJob *export_job;      /* (owned) (nullable) */
  GbDataset *dataset;     /* (owned) (nullable) */
  GbAudit *draft;         /* (owned) (nullable) the settings being edited */
  GbAudit *audit;         /* (owned) (nullable) the last successful run */
  gboolean run_when_loaded;
  char *page_after_run;   /* (nullable) --page with --run */
  guint blas_threads;

  GtkNativeDialog *chooser;       /* (owned) (nullable) */
  GCancellable *dialog_cancellable;

  char *last_error;
  guint n_toasts;
};

G_DEFINE_FINAL_TYPE (GbWindow, gb_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- helpers -------------------------------------------------------------- */

static void
replace_string (char **dst, const char *src)
{
  char *copy = g_strdup (src);
  g_free (*dst);
  *dst = copy;
}

static void
replace_strv (char ***dst, char **src)
{
  char **copy = g_strdupv (src);
  g_strfreev (*dst);
  *dst = copy;
}

/* Copies every setting of @src into @dst (which owns its strings). */
static void
copy_settings (GbAuditSettings *dst, const GbAuditSettings *src)
{
  replace_string (&dst->csv_path, src->csv_path);
  replace_string (&dst->target, src->target);
  replace_string (&dst->positive, src->positive);
  replace_strv (&dst->protected_attributes, src->protected_attributes);
  replace_string (&dst->treatment, src->treatment);
  replace_string (&dst->outcome, src->outcome);
  replace_strv (&dst->covariates, src->covariates);
  replace_strv (&dst->features, src->features);
  replace_string (&dst->command_line, src->command_line);
  dst->seed = src->seed;
  dst->test_fraction = src->test_fraction;
  dst->explain_rows = src->explain_rows;
  dst->ig_steps = src->ig_steps;
  dst->model = src->model;
  dst->train = src->train;
}

static void
show_toast (GbWindow *self, const char *message, int timeout)
{
  /* Toast titles are Pango markup in libadwaita 1.2, and engine messages
   * may contain <, > and & (">50K"). */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  self->n_toasts++;
}

void
gb_window_show_error (GbWindow *self, const char *message)
{
  g_return_if_fail (GB_IS_WINDOW (self));

  g_message ("%s", message);  /* also on the terminal, for bug reports */
  replace_string (&self->last_error, message);
  show_toast (self, message, 10);
}

static void
show_info (GbWindow *self, const char *message)
{
  show_toast (self, message, 4);
}

static void
update_actions (GbWindow *self)
{
  gboolean busy = gb_job_queue_is_busy (self->queue);
  gboolean running = self->audit_job != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-example", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-audit",
                                 self->dataset != NULL && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel",
                                 self->load_job != NULL || self->audit_job != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-pdf",
                                 self->audit != NULL && self->export_job == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-json",
                                 self->audit != NULL && self->export_job == NULL);
}

static void
clear_job (GbJob **job)
{
  if (*job != NULL)
    {
      gb_job_unref (*job);
      *job = NULL;
    }
}

/* ---- loading a CSV -------------------------------------------------------- */

typedef struct {
  char *path;
  gboolean example;
} LoadTask;

static void
load_task_free (gpointer data)
{
  LoadTask *task = data;
  g_free (task->path);
  g_free (task);
}

static gboolean
load_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  LoadTask *task = task_data;
  GbDataset *ds = gb_dataset_new_from_file (task->path, cancellable, gb_job_progress_cb, job,
                                            error);
  if (ds == NULL)
    return FALSE;
  gb_job_set_result (job, ds, g_object_unref);
  return TRUE;
}

static void
load_progress (GbJob *job, double fraction, const char *message, gpointer user_data)
{
  GbWindow *self = user_data;

  if (job == self->load_job)
    gb_dataset_pane_set_progress (self->dataset_pane, fraction, message);
}

static int
pick_default_target (GbDataset *ds)
{
  guint n = gb_dataset_get_n_columns (ds);

  /* The last two-level categorical column, else the last column. */
  for (guint i = n; i > 0; i--)
    {
      const GbColumn *col = gb_dataset_get_column (ds, i - 1);
      if (col->type == GB_COLUMN_CATEGORICAL && col->levels != NULL && col->levels->len == 2)
        return (int) i - 1;
    }
  return n > 0 ? (int) n - 1 : -1;
}

static void
apply_example_roles (GbWindow *self)
{
  GbAuditSettings *settings = gb_audit_get_settings (self->draft);
  g_autofree char *path = g_strdup (gb_dataset_get_path (self->dataset));

  /* The example's roles; the data stay the ones loaded (gb_audit_set_dataset
   * also records their path at run time). */
  gb_audit_apply_example (self->draft, gb_examples_dir ());
  replace_string (&settings->csv_path, path);
}

static void
load_done (GbJob *job, const GError *error, gpointer user_data)
{
  GbWindow *self = user_data;
  LoadTask *task = gb_job_get_task_data (job);
  GbAuditSettings *settings;
  g_autofree char *basename = NULL;

  if (job != self->load_job)
    return;  /* superseded by a newer load */
  clear_job (&self->load_job);

  if (error != NULL)
    {
      if (self->dataset != NULL)
        gb_dataset_pane_set_dataset (self->dataset_pane, self->dataset, self->draft);
      else
        gb_dataset_pane_show_start (self->dataset_pane);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_info (self, _("Loading cancelled"));
      else
        gb_window_show_error (self, error->message);
      self->run_when_loaded = FALSE;
      update_actions (self);
      return;
    }

  g_clear_object (&self->dataset);
  self->dataset = gb_job_steal_result (job);

  /* A new draft: the roles start from the example or from a guess. */
  g_clear_object (&self->draft);
  self->draft = gb_audit_new ();
  settings = gb_audit_get_settings (self->draft);
  if (task->example)
    apply_example_roles (self);
  else
    {
      int target = pick_default_target (self->dataset);
      replace_string (&settings->csv_path, gb_dataset_get_path (self->dataset));
      if (target >= 0)
        replace_string (&settings->target, gb_dataset_get_column (self->dataset, target)->name);
    }

  /* Results of another dataset no longer apply. */
  g_clear_object (&self->audit);
  gb_model_pane_set_audit (self->model_pane, NULL);
  gb_report_pane_set_audit (self->report_pane, NULL);

  gb_dataset_pane_set_dataset (self->dataset_pane, self->dataset, self->draft);
  basename = g_path_get_basename (gb_dataset_get_path (self->dataset));
  adw_view_switcher_title_set_subtitle (self->switcher_title, basename);
  gtk_window_set_title (GTK_WINDOW (self), basename);

  for (guint i = 0; i < gb_dataset_get_notices (self->dataset)->len; i++)
    show_info (self, g_ptr_array_index (gb_dataset_get_notices (self->dataset), i));

  update_actions (self);

  if (self->run_when_loaded)
    {
      self->run_when_loaded = FALSE;
      gb_window_run_audit (self);
    }
}

static void
open_path (GbWindow *self, const char *path, gboolean example)
{
  LoadTask *task;

  g_return_if_fail (path != NULL);

  if (self->audit_job != NULL)
    {
      /* A new dataset replaces the run in progress. */
      gb_job_cancel (self->audit_job);
    }
  if (self->load_job != NULL)
    {
      gb_job_cancel (self->load_job);
      clear_job (&self->load_job);
    }

  task = g_new0 (LoadTask, 1);
  task->path = g_strdup (path);
  task->example = example;

  gb_dataset_pane_show_loading (self->dataset_pane, path);
  adw_view_stack_set_visible_child_name (self->stack, "dataset");
  self->load_job = gb_job_ref (gb_job_queue_push (self->queue, "load-csv", load_worker, task,
                                                  load_task_free, load_progress, load_done,
                                                  self));
  update_actions (self);
}

void
gb_window_open_file (GbWindow *self, const char *path)
{
  g_return_if_fail (GB_IS_WINDOW (self));
  open_path (self, path, FALSE);
}

void
gb_window_open_example (GbWindow *self)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GB_IS_WINDOW (self));

  path = g_build_filename (gb_examples_dir (), "adult", "adult.csv", NULL);
  open_path (self, path, TRUE);
}

/* ---- running the audit ---------------------------------------------------- */

static gboolean
audit_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  return gb_audit_run (GB_AUDIT (task_data), cancellable, gb_job_progress_cb, job, error);
}

static void
audit_progress (GbJob *job, double fraction, const char *message, gpointer user_data)
{
  GbWindow *self = user_data;

  if (job == self->audit_job)
    gb_model_pane_set_progress (self->model_pane, fraction, message);
}

static void
audit_done (GbJob *job, const GError *error, gpointer user_data)
{
  GbWindow *self = user_data;
  GbAudit *audit = gb_job_get_task_data (job);
  const GbAuditResults *results;

  if (job != self->audit_job)
    return;
  clear_job (&self->audit_job);

  gb_model_pane_set_running (self->model_pane, FALSE);
  gb_dataset_pane_set_editable (self->dataset_pane, TRUE);
  update_actions (self);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_info (self, _("Audit cancelled"));
      else
        {
          g_autofree char *message = g_strdup_printf (_("The audit failed: %s"), error->message);
          gb_window_show_error (self, message);
        }
      return;
    }

  g_set_object (&self->audit, audit);
  results = gb_audit_get_results (audit);
  gb_model_pane_set_audit (self->model_pane, audit);
  gb_report_pane_set_audit (self->report_pane, audit);
  update_actions (self);

  if (self->page_after_run != NULL)
    gb_window_set_page (self, self->page_after_run);
  g_clear_pointer (&self->page_after_run, g_free);
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "report") != 0)
    adw_view_stack_page_set_needs_attention (self->report_page, TRUE);

  {
    AdwToast *toast;
    g_autofree char *message = NULL;

    if (results != NULL)
      message = g_strdup_printf (_("Audit finished in %.1f s"), results->elapsed_seconds);
    else
      message = g_strdup (_("Audit finished"));
    toast = adw_toast_new (message);  /* no markup characters */
    adw_toast_set_button_label (toast, _("Show Report"));
    adw_toast_set_action_name (toast, "win.show-report");
    adw_toast_set_timeout (toast, 6);
    adw_toast_overlay_add_toast (self->toast_overlay, toast);
    self->n_toasts++;
  }
}

void
gb_window_run_audit (GbWindow *self)
{
  g_autoptr(GbAudit) audit = NULL;
  g_autoptr(GError) error = NULL;
  GbAuditSettings *settings;

  g_return_if_fail (GB_IS_WINDOW (self));

  if (self->dataset == NULL || self->draft == NULL)
    {
      gb_window_show_error (self, _("Open a CSV file first"));
      return;
    }
  if (gb_job_queue_is_busy (self->queue))
    return;

  audit = gb_audit_new ();
  settings = gb_audit_get_settings (audit);
  copy_settings (settings, gb_audit_get_settings (self->draft));
  gb_model_pane_apply_settings (self->model_pane, settings);
  settings->train.n_threads = self->blas_threads;
  /* gb_audit_run() records the reproducing glassbox-audit command line. */
  gb_audit_set_dataset (audit, self->dataset);

  if (settings->target == NULL || settings->target[0] == '\0')
    {
      gb_window_show_error (self, _("Choose a target column in the Dataset pane"));
      adw_view_stack_set_visible_child_name (self->stack, "dataset");
      return;
    }
  if (!gb_audit_validate (audit, self->dataset, &error))
    {
      gb_window_show_error (self, error->message);
      adw_view_stack_set_visible_child_name (self->stack, "dataset");
      return;
    }

  gb_model_pane_set_running (self->model_pane, TRUE);
  gb_dataset_pane_set_editable (self->dataset_pane, FALSE);
  adw_view_stack_set_visible_child_name (self->stack, "model");

  self->audit_job = gb_job_ref (gb_job_queue_push (self->queue, "audit", audit_worker,
                                                   g_steal_pointer (&audit), g_object_unref,
                                                   audit_progress, audit_done, self));
  update_actions (self);
}

void
gb_window_cancel (GbWindow *self)
{
  g_return_if_fail (GB_IS_WINDOW (self));

  if (self->audit_job != NULL)
    gb_job_cancel (self->audit_job);
  if (self->load_job != NULL)
    gb_job_cancel (self->load_job);
}

/* ---- exporting ------------------------------------------------------------ */

typedef struct {
  GbAudit *audit;
  char *path;
  gboolean pdf;
} ExportTask;

static void
export_task_free (gpointer data)
{
  ExportTask *task = data;
  g_clear_object (&task->audit);
  g_free (task->path);
  g_free (task);
}

static gboolean
export_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  ExportTask *task = task_data;

  if (task->pdf)
    return gb_audit_write_pdf (task->audit, task->path, error);
  return gb_audit_write_json (task->audit, task->path, error);
}

static void
export_done (GbJob *job, const GError *error, gpointer user_data)
{
  GbWindow *self = user_data;
  ExportTask *task = gb_job_get_task_data (job);
  g_autofree char *basename = g_path_get_basename (task->path);
  g_autofree char *message = NULL;

  if (job == self->export_job)
    clear_job (&self->export_job);
  update_actions (self);

  if (error != NULL)
    {
      message = g_strdup_printf (_("Could not export “%s”: %s"), basename, error->message);
      gb_window_show_error (self, message);
      return;
    }
  message = g_strdup_printf (task->pdf ? _("Saved the audit report “%s”")
                                       : _("Saved the audit JSON “%s”"), basename);
  show_info (self, message);
}

static void
export_to (GbWindow *self, const char *path, gboolean pdf)
{
  ExportTask *task;

  if (self->audit == NULL)
    {
      gb_window_show_error (self, _("Run the audit before exporting it"));
      return;
    }

  task = g_new0 (ExportTask, 1);
  task->audit = g_object_ref (self->audit);
  task->path = g_strdup (path);
  task->pdf = pdf;
  clear_job (&self->export_job);
  self->export_job = gb_job_ref (gb_job_queue_push (self->queue, pdf ? "write-pdf" : "write-json",
                                                    export_worker, task, export_task_free,
                                                    NULL, export_done, self));
  update_actions (self);
}

/* ---- file dialogs --------------------------------------------------------- */

static GListModel *
csv_filters (void)
{
  GListStore *filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (csv, _("CSV Files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  g_list_store_append (filters, csv);
  g_list_store_append (filters, all);
  return G_LIST_MODEL (filters);
}

static GtkFileFilter *
export_filter (gboolean pdf)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  if (pdf)
    {
      gtk_file_filter_set_name (filter, _("PDF Documents"));
      gtk_file_filter_add_mime_type (filter, "application/pdf");
      gtk_file_filter_add_suffix (filter, "pdf");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("JSON Files"));
      gtk_file_filter_add_mime_type (filter, "application/json");
      gtk_file_filter_add_suffix (filter, "json");
    }
  return filter;
}

static char *
suggested_export_name (GbWindow *self, gboolean pdf)
{
  g_autofree char *base = NULL;
  char *dot;

  if (self->dataset != NULL)
    base = g_path_get_basename (gb_dataset_get_path (self->dataset));
  else
    base = g_strdup ("glassbox");
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_strdup_printf ("%s-audit.%s", base, pdf ? "pdf" : "json");
}

#if GTK_CHECK_VERSION (4, 10, 0)

static void
open_dialog_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);
  GbWindow *self = user_data;   /* valid: the dialog is cancelled in dispose */
  g_autofree char *path = NULL;

  if (file == NULL)
    return;
  path = g_file_get_path (file);
  if (path != NULL)
    gb_window_open_file (self, path);
  else
    gb_window_show_error (self, _("Only local files can be opened"));
}

static void
open_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GbWindow *self = GB_WINDOW (widget);
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListModel) filters = csv_filters ();

  gtk_file_dialog_set_title (dialog, _("Open a CSV File"));
  gtk_file_dialog_set_filters (dialog, filters);
  gtk_file_dialog_set_modal (dialog, TRUE);
  gtk_file_dialog_open (dialog, GTK_WINDOW (self), self->dialog_cancellable,
                        open_dialog_done, self);
}

static void
save_dialog_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);
  GbWindow *self = user_data;
  gboolean pdf = GPOINTER_TO_INT (g_object_get_data (source, "gb-pdf"));
  g_autofree char *path = NULL;

  if (file == NULL)
    return;
  path = g_file_get_path (file);
  if (path != NULL)
    export_to (self, path, pdf);
  else
    gb_window_show_error (self, _("Only local files can be written"));
}

static void
save_dialog (GbWindow *self, gboolean pdf)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GtkFileFilter) filter = export_filter (pdf);
  g_autofree char *name = suggested_export_name (self, pdf);

  gtk_file_dialog_set_title (dialog, pdf ? _("Export the Audit Report") : _("Export the Audit JSON"));
  gtk_file_dialog_set_initial_name (dialog, name);
  gtk_file_dialog_set_default_filter (dialog, filter);
  gtk_file_dialog_set_modal (dialog, TRUE);
  g_object_set_data (G_OBJECT (dialog), "gb-pdf", GINT_TO_POINTER (pdf));
  gtk_file_dialog_save (dialog, GTK_WINDOW (self), self->dialog_cancellable,
                        save_dialog_done, self);
}

#else /* GTK < 4.10: GtkFileChooserNative */

static void
open_chooser_response (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  GbWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gb_window_open_file (self, path);
      else
        gb_window_show_error (self, _("Only local files can be opened"));
    }
  if (self->chooser == dialog)
    g_clear_object (&self->chooser);
}

static void
open_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GbWindow *self = GB_WINDOW (widget);
  g_autoptr(GListModel) filters = csv_filters ();
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  chooser = gtk_file_chooser_native_new (_("Open a CSV File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  for (guint i = 0; i < g_list_model_get_n_items (filters); i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (open_chooser_response), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
save_chooser_response (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  GbWindow *self = user_data;
  gboolean pdf = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "gb-pdf"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        export_to (self, path, pdf);
      else
        gb_window_show_error (self, _("Only local files can be written"));
    }
  if (self->chooser == dialog)
    g_clear_object (&self->chooser);
}

static void
save_dialog (GbWindow *self, gboolean pdf)
{
  g_autoptr(GtkFileFilter) filter = export_filter (pdf);
  g_autofree char *name = suggested_export_name (self, pdf);
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  chooser = gtk_file_chooser_native_new (pdf ? _("Export the Audit Report")
                                             : _("Export the Audit JSON"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "gb-pdf", GINT_TO_POINTER (pdf));
  g_signal_connect (chooser, "response", G_CALLBACK (save_chooser_response), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

#endif

/* ---- actions -------------------------------------------------------------- */

static void
open_example_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gb_window_open_example (GB_WINDOW (widget));
}

static void
run_audit_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gb_window_run_audit (GB_WINDOW (widget));
}

static void
cancel_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gb_window_cancel (GB_WINDOW (widget));
}

static void
export_pdf_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  save_dialog (GB_WINDOW (widget), TRUE);
}

static void
export_json_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  save_dialog (GB_WINDOW (widget), FALSE);
}

static void
show_report_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gb_window_set_page (GB_WINDOW (widget), "report");
}

/* win.show-page('dataset' | 'model' | 'report'): Alt+1, Alt+2, Alt+3. */
static void
show_page_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gb_window_set_page (GB_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
visible_page_changed (GbWindow *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "report") == 0)
    adw_view_stack_page_set_needs_attention (self->report_page, FALSE);
}

static void
queue_busy_changed (GbWindow *self)
{
  update_actions (self);
}

/* ---- public --------------------------------------------------------------- */

void
gb_window_set_page (GbWindow *self, const char *name)
{
  g_return_if_fail (GB_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, name);
}

void
gb_window_set_epochs (GbWindow *self, guint epochs)
{
  g_return_if_fail (GB_IS_WINDOW (self));
  gb_model_pane_set_epochs (self->model_pane, epochs);
}

void
gb_window_set_run_when_loaded (GbWindow *self, gboolean run)
{
  g_return_if_fail (GB_IS_WINDOW (self));
  self->run_when_loaded = run;
}

void
gb_window_set_page_after_run (GbWindow *self, const char *name)
{
  g_return_if_fail (GB_IS_WINDOW (self));
  g_free (self->page_after_run);
  self->page_after_run = g_strdup (name);
}

gboolean
gb_window_is_busy (GbWindow *self)
{
  g_return_val_if_fail (GB_IS_WINDOW (self), FALSE);
  return self->queue != NULL && gb_job_queue_is_busy (self->queue);
}

/* ---- GObject -------------------------------------------------------------- */

static void
shutdown_jobs (GbWindow *self)
{
  if (self->dialog_cancellable != NULL)
    g_cancellable_cancel (self->dialog_cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  if (self->queue != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->queue, self);
      /* Cancel, wait for the worker, and silence every late callback. */
      gb_job_queue_shutdown (self->queue);
    }
  clear_job (&self->load_job);
  clear_job (&self->audit_job);
  clear_job (&self->export_job);
}

static gboolean
gb_window_close_request (GtkWindow *window)
{
  shutdown_jobs (GB_WINDOW (window));
  return GTK_WINDOW_CLASS (gb_window_parent_class)->close_request (window);
}

static void
gb_window_dispose (GObject *object)
{
  GbWindow *self = GB_WINDOW (object);

  shutdown_jobs (self);
  g_clear_object (&self->queue);
  g_clear_object (&self->dialog_cancellable);

  /* AdwApplicationWindow disposes its content itself. */

  g_clear_object (&self->audit);
  g_clear_object (&self->draft);
  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (gb_window_parent_class)->dispose (object);
}

static void
gb_window_finalize (GObject *object)
{
  GbWindow *self = GB_WINDOW (object);

  g_free (self->last_error);
  g_free (self->page_after_run);
  G_OBJECT_CLASS (gb_window_parent_class)->finalize (object);
}

static void
gb_window_class_init (GbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gb_window_dispose;
  object_class->finalize = gb_window_finalize;
  window_class->close_request = gb_window_close_request;

  g_type_ensure (GB_TYPE_DATASET_PANE);
  g_type_ensure (GB_TYPE_MODEL_PANE);
  g_type_ensure (GB_TYPE_REPORT_PANE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/glassbox/Glassbox/ui/gb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GbWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, GbWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, GbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GbWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, GbWindow, dataset_pane);
  gtk_widget_class_bind_template_child (widget_class, GbWindow, model_pane);
  gtk_widget_class_bind_template_child (widget_class, GbWindow, report_pane);
  gtk_widget_class_bind_template_child (widget_class, GbWindow, run_button);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "win.open-example", NULL, open_example_activated);
  gtk_widget_class_install_action (widget_class, "win.run-audit", NULL, run_audit_activated);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "win.export-pdf", NULL, export_pdf_activated);
  gtk_widget_class_install_action (widget_class, "win.export-json", NULL, export_json_activated);
  gtk_widget_class_install_action (widget_class, "win.show-report", NULL, show_report_activated);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_activated);
}

static void
gb_window_init (GbWindow *self)
{
  guint n_cpus = MAX (1, g_get_num_processors ());
  const guint pool_threads = 1;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not a template child: AdwViewStackPage is no widget. */
  self->report_page = adw_view_stack_get_page (self->stack, GTK_WIDGET (self->report_pane));

  /* One pool thread runs the engine; BLAS gets the remaining cores, at least
   * one, so pool + BLAS threads never exceed the machine (DESIGN.md, Threads). */
  self->blas_threads = MAX (1, n_cpus - pool_threads);
  gb_set_blas_threads ((int) self->blas_threads);
  self->queue = gb_job_queue_new (pool_threads);
  g_signal_connect_swapped (self->queue, "notify::busy", G_CALLBACK (queue_busy_changed), self);
  self->dialog_cancellable = g_cancellable_new ();

  g_signal_connect_swapped (self->stack, "notify::visible-child", G_CALLBACK (visible_page_changed),
                            self);

  /* Show the engine's defaults (epochs, seed, held-out share). */
  {
    g_autoptr(GbAudit) defaults = gb_audit_new ();
    gb_model_pane_load_settings (self->model_pane, gb_audit_get_settings (defaults));
  }

  update_actions (self);
}

GbWindow *
gb_window_new (GbApplication *app)
{
  return g_object_new (GB_TYPE_WINDOW, "application", app, NULL);
}

/* ---- testing -------------------------------------------------------------- */

#ifdef GB_TESTING
AdwViewStack *
gb_window_get_view_stack (GbWindow *self)
{
  return self->stack;
}

GbDatasetPane *
gb_window_get_dataset_pane (GbWindow *self)
{
  return self->dataset_pane;
}

GbModelPane *
gb_window_get_model_pane (GbWindow *self)
{
  return self->model_pane;
}

GbReportPane *
gb_window_get_report_pane (GbWindow *self)
{
  return self->report_pane;
}

GbJobQueue *
gb_window_get_job_queue (GbWindow *self)
{
  return self->queue;
}

GbDataset *
gb_window_get_dataset (GbWindow *self)
{
  return self->dataset;
}

GbAudit *
gb_window_get_draft (GbWindow *self)
{
  return self->draft;
}

GbAudit *
gb_window_get_audit (GbWindow *self)
{
  return self->audit;
}

const char *
gb_window_get_last_error (GbWindow *self)
{
  return self->last_error;
}

guint
gb_window_get_n_toasts (GbWindow *self)
{
  return self->n_toasts;
}

void
gb_window_export_to (GbWindow *self, const char *path, gboolean pdf)
{
  export_to (self, path, pdf);
}

void
gb_window_apply_example_roles (GbWindow *self)
{
  g_return_if_fail (self->dataset != NULL && self->draft != NULL);
  apply_example_roles (self);
  gb_dataset_pane_refresh_roles (self->dataset_pane);
}
#endif
