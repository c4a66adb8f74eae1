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
#include <math.h>

#include "glassbox-engine.h"
#include "gb-window.h"
#include "gb-window-private.h"
#include "gb-job-queue.h"
#include "gb-dataset-pane.h"
#include "gb-model-pane.h"
#include "gb-report-pane.h"
#include "gb-examples.h"
#include "gb-roles.h"
#include "gb-project.h"
#include "gb-report-pdf.h"
#include <json-glib/json-glib.h>

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
  GMenu *recent_menu;

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

  GSettings *settings;            /* (owned) (nullable): NULL when the schema is not installed */
  GtkRecentManager *recent;       /* (owned) */
  char *current_path;             /* (nullable) the CSV shown, or the last one tried */
  GbCsvOptions *read_options;     /* (owned) (nullable) how current_path is read */
  GtkWindow *options_window;      /* (nullable) the Reading Options window */
  AdwMessageDialog *changed_dialog;  /* (nullable) "the CSV has changed" */

  char *last_error;
  guint n_toasts;
};

G_DEFINE_FINAL_TYPE (GbWindow, gb_window, ADW_TYPE_APPLICATION_WINDOW)

static void sync_text_column (GbWindow *self);

/* ---- helpers -------------------------------------------------------------- */

static void
replace_string (char **dst, const char *src)
{
  char *copy = g_strdup (src);
  g_free (*dst);
  *dst = copy;
}

/* Every setting of the draft (roles, and whatever an opened project set:
 * explainers, IG baseline, sections, report notes…); the Model and Report
 * panes then apply what they show on top. */
static void
copy_settings (GbAuditSettings *dst, const GbAuditSettings *src)
{
  gb_audit_settings_copy (dst, src);
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-example-named", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-recent", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-project", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-project",
                                 self->dataset != NULL && self->draft != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.read-options",
                                 self->current_path != NULL && !running);
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
  char *example;            /* (nullable) the example's id */
  GbCsvOptions *options;    /* (nullable) how to read the file */
  gboolean keep_roles;      /* a reload of the same file: keep the draft */
  GbProject *project;       /* (nullable) the project being opened */
  gboolean accept_changed;  /* open the project although its CSV changed */
} LoadTask;

static void
load_task_free (gpointer data)
{
  LoadTask *task = data;
  g_free (task->path);
  g_free (task->example);
  g_clear_pointer (&task->options, gb_csv_options_free);
  g_clear_pointer (&task->project, gb_project_free);
  g_free (task);
}

static gboolean
load_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  LoadTask *task = task_data;
  GbDataset *ds = gb_dataset_new_from_file_full (task->path, task->options, cancellable,
                                                 gb_job_progress_cb, job, error);
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

/* Whether @col takes exactly two values: two levels (categorical or
 * boolean), or a numeric column with two distinct values (0/1). */
static gboolean
two_valued (const GbColumn *col)
{
  double first = NAN, second = NAN;

  if (col->type == GB_COLUMN_CATEGORICAL)
    return col->levels != NULL && col->levels->len == 2;
  if (col->type != GB_COLUMN_NUMERIC || col->logical_type == GB_COLUMN_DATE)
    return FALSE;
  for (gsize i = 0; i < col->n_rows; i++)
    {
      const double v = col->numeric[i];
      if (isnan (v) || v == first || v == second)
        continue;
      if (isnan (first))
        first = v;
      else if (isnan (second))
        second = v;
      else
        return FALSE;
    }
  return !isnan (second);
}

/* A name analysts give the column a model predicts. */
static gboolean
target_like_name (const char *name)
{
  static const char *const names[] = { "label", "target", "class", "y", "outcome", "response",
                                       "default", "churn", "diagnosis", "approved", "decision" };
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    if (g_ascii_strcasecmp (name, names[k]) == 0)
      return TRUE;
  return FALSE;
}

/* The default target: a two-valued column named like a target ("label",
 * "y", "outcome", …), else the last column when it takes two values, else
 * the last two-valued column, else the last column.  Numeric 0/1 columns
 * count as two-valued, so a 0/1 label after a two-level "sex" is picked,
 * not "sex". */
static int
pick_default_target (GbDataset *ds)
{
  guint n = gb_dataset_get_n_columns (ds);

  if (n == 0)
    return -1;
  for (guint i = n; i > 0; i--)
    {
      const GbColumn *col = gb_dataset_get_column (ds, i - 1);
      if (target_like_name (col->name) && two_valued (col))
        return (int) i - 1;
    }
  if (two_valued (gb_dataset_get_column (ds, n - 1)))
    return (int) n - 1;
  for (guint i = n; i > 0; i--)
    if (two_valued (gb_dataset_get_column (ds, i - 1)))
      return (int) i - 1;
  return (int) n - 1;
}


/* Remembers a file in Recent Files (GtkRecentManager) under Glassbox's name. */
static void
add_recent (GbWindow *self, const char *path, const char *mime_type)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  GtkRecentData data = {
    .display_name = NULL,
    .description = NULL,
    .mime_type = (char *) mime_type,
    .app_name = (char *) GB_RECENT_APP_NAME,
    .app_exec = (char *) "glassbox %f",
    .groups = NULL,
    .is_private = FALSE,
  };

  gtk_recent_manager_add_full (self->recent, uri, &data);
}

static void
remember_folder (GbWindow *self, const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-folder", folder);
}

static void
load_failed (GbWindow *self, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_info (self, _("Loading cancelled"));
      return;
    }
  g_message ("%s", error->message);
  replace_string (&self->last_error, error->message);
  {
    /* A file that does not read may read with other options. */
    g_autofree char *escaped = g_markup_escape_text (error->message, -1);
    AdwToast *toast = adw_toast_new (escaped);
    adw_toast_set_timeout (toast, 0);
    adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    if (!g_error_matches (error, GB_DATA_ERROR, GB_ERROR_IO))
      {
        adw_toast_set_button_label (toast, _("Reading _Options…"));
        adw_toast_set_action_name (toast, "win.read-options");
      }
    adw_toast_overlay_add_toast (self->toast_overlay, toast);
    self->n_toasts++;
  }
}

static void
load_done (GbJob *job, const GError *error, gpointer user_data)
{
  GbWindow *self = user_data;
  LoadTask *task = gb_job_get_task_data (job);
  GbAuditSettings *settings;
  g_autofree char *basename = NULL;
  gboolean keep_roles;

  if (job != self->load_job)
    return;  /* superseded by a newer load */
  clear_job (&self->load_job);

  /* Reading Options… works on the file tried last, with the options tried. */
  replace_string (&self->current_path, task->path);
  g_clear_pointer (&self->read_options, gb_csv_options_free);
  self->read_options = task->options != NULL ? gb_csv_options_copy (task->options) : NULL;

  if (error != NULL)
    {
      if (self->dataset != NULL)
        gb_dataset_pane_set_dataset (self->dataset_pane, self->dataset, self->draft);
      else
        gb_dataset_pane_show_start (self->dataset_pane);
      load_failed (self, error);
      self->run_when_loaded = FALSE;
      update_actions (self);
      return;
    }

  keep_roles = task->keep_roles && self->draft != NULL;
  g_clear_object (&self->dataset);
  self->dataset = gb_job_steal_result (job);
  gb_model_pane_set_dataset (self->model_pane, self->dataset);

  if (!keep_roles)
    {
      /* A new draft: the roles start from the project, the example or a guess. */
      g_clear_object (&self->draft);
      self->draft = gb_audit_new ();
      settings = gb_audit_get_settings (self->draft);
      if (task->project != NULL)
        {
          g_autoptr(GError) apply_error = NULL;
          if (gb_project_apply (task->project, self->draft, task->accept_changed, &apply_error))
            {
              gb_model_pane_load_settings (self->model_pane, settings);
              gb_report_pane_load_settings (self->report_pane, settings);
            }
          else
            gb_window_show_error (self, apply_error->message);
          replace_string (&settings->csv_path, gb_dataset_get_path (self->dataset));
        }
      else if (task->example == NULL
               || !gb_example_apply_roles (task->example, self->dataset, self->draft))
        {
          int target = pick_default_target (self->dataset);
          GStrvBuilder *features = g_strv_builder_new ();

          replace_string (&settings->csv_path, gb_dataset_get_path (self->dataset));
          if (target >= 0)
            replace_string (&settings->target, gb_dataset_get_column (self->dataset, target)->name);
          /* The features start from each column's suggested role: identifiers,
           * free text and constant columns are left out (the pane says why). */
          for (guint i = 0; i < gb_dataset_get_n_columns (self->dataset); i++)
            if ((int) i != target
                && gb_column_default_role (self->dataset, i) == GB_COLUMN_ROLE_FEATURE)
              g_strv_builder_add (features, gb_dataset_get_column (self->dataset, i)->name);
          g_strfreev (settings->features);
          settings->features = g_strv_builder_end (features);
          g_strv_builder_unref (features);
          if (settings->features[0] == NULL)
            g_clear_pointer (&settings->features, g_strfreev);
        }
    }

  if (task->example == NULL)
    {
      add_recent (self, task->path, "text/csv");
      remember_folder (self, task->path);
    }
  if (task->project != NULL)
    add_recent (self, task->project->path, "application/x-glassbox");

  /* Results of another dataset no longer apply. */
  g_clear_object (&self->audit);
  gb_model_pane_set_audit (self->model_pane, NULL);
  gb_report_pane_set_audit (self->report_pane, NULL);

  /* Notices (encoding fallback, renamed headers) show in the pane's banner. */
  gb_dataset_pane_set_dataset (self->dataset_pane, self->dataset, self->draft);
  sync_text_column (self);
  basename = g_path_get_basename (gb_dataset_get_path (self->dataset));
  adw_view_switcher_title_set_subtitle (self->switcher_title, basename);
  gtk_window_set_title (GTK_WINDOW (self), basename);

  update_actions (self);

  if (self->run_when_loaded)
    {
      self->run_when_loaded = FALSE;
      gb_window_run_audit (self);
    }
  else if (self->page_after_run != NULL)
    {
      /* --page without --run: that page once the data is in (loading shows
       * the Dataset pane) */
      gb_window_set_page (self, self->page_after_run);
      g_clear_pointer (&self->page_after_run, g_free);
    }
}

/* Starts loading @task (transfer full) on the job queue. */
static void
start_load (GbWindow *self, LoadTask *task)
{
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

  gb_dataset_pane_show_loading (self->dataset_pane, task->path);
  adw_view_stack_set_visible_child_name (self->stack, "dataset");
  self->load_job = gb_job_ref (gb_job_queue_push (self->queue, "load-csv", load_worker, task,
                                                  load_task_free, load_progress, load_done,
                                                  self));
  update_actions (self);
}

static void
open_path (GbWindow *self, const char *path, const char *example)
{
  LoadTask *task;

  g_return_if_fail (path != NULL);

  task = g_new0 (LoadTask, 1);
  task->path = g_strdup (path);
  task->example = g_strdup (example);
  start_load (self, task);
}

/* Reads the current file again with @options (transfer full), keeping the roles. */
static void
reload_with_options (GbWindow *self, GbCsvOptions *options)
{
  LoadTask *task;

  if (self->current_path == NULL)
    {
      gb_csv_options_free (options);
      return;
    }
  task = g_new0 (LoadTask, 1);
  task->path = g_strdup (self->current_path);
  task->options = options;
  task->keep_roles = self->dataset != NULL
                     && g_strcmp0 (gb_dataset_get_path (self->dataset), self->current_path) == 0;
  start_load (self, task);
}

void
gb_window_open_file (GbWindow *self, const char *path)
{
  g_return_if_fail (GB_IS_WINDOW (self));

  if (g_str_has_suffix (path, ".glassbox"))
    gb_window_open_project (self, path);
  else
    open_path (self, path, NULL);
}

void
gb_window_open_example_named (GbWindow *self, const char *id)
{
  g_autoptr(GPtrArray) examples = NULL;

  g_return_if_fail (GB_IS_WINDOW (self));

  examples = gb_examples_list ();
  for (guint i = 0; i < examples->len; i++)
    {
      GbExample *ex = g_ptr_array_index (examples, i);
      if (g_strcmp0 (ex->id, id) == 0)
        {
          open_path (self, ex->csv_path, ex->id);
          return;
        }
    }
  {
    g_autofree char *message = g_strdup_printf (_("There is no example “%s” in %s"), id,
                                                gb_examples_dir ());
    gb_window_show_error (self, message);
  }
}

/* ---- projects ------------------------------------------------------------- */

static void
open_project_loaded (GbWindow *self, GbProject *project /* transfer full */, gboolean accept)
{
  LoadTask *task = g_new0 (LoadTask, 1);

  task->path = g_strdup (project->dataset_path);
  task->options = project->csv_options != NULL ? gb_csv_options_copy (project->csv_options) : NULL;
  task->project = project;
  task->accept_changed = accept;
  start_load (self, task);
}

static void
changed_dialog_response (AdwMessageDialog *dialog, const char *response, GbWindow *self)
{
  GbProject *project = g_object_steal_data (G_OBJECT (dialog), "gb-project");

  if (self->changed_dialog == dialog)
    self->changed_dialog = NULL;
  if (g_strcmp0 (response, "open") == 0 && project != NULL)
    open_project_loaded (self, project, TRUE);
  else
    g_clear_pointer (&project, gb_project_free);
}

void
gb_window_open_project (GbWindow *self, const char *path)
{
  g_autoptr(GError) error = NULL;
  GbProject *project;

  g_return_if_fail (GB_IS_WINDOW (self));

  project = gb_project_load (path, &error);
  if (project == NULL)
    {
      gb_window_show_error (self, error->message);
      return;
    }
  switch (project->status)
    {
    case GB_PROJECT_DATASET_OK:
      open_project_loaded (self, project, FALSE);
      break;
    case GB_PROJECT_DATASET_MISSING:
      gb_window_show_error (self, project->status_message);
      gb_project_free (project);
      break;
    case GB_PROJECT_DATASET_CHANGED:
    default:
      {
        /* Reported, never silently used: the person decides. */
        GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                                    _("The Data Have Changed"),
                                                    project->status_message);
        replace_string (&self->last_error, project->status_message);
        adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                          "cancel", _("_Cancel"),
                                          "open", _("_Open Anyway"),
                                          NULL);
        adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open",
                                                    ADW_RESPONSE_DESTRUCTIVE);
        adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
        adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
        g_object_set_data_full (G_OBJECT (dialog), "gb-project", project,
                                (GDestroyNotify) gb_project_free);
        g_signal_connect (dialog, "response", G_CALLBACK (changed_dialog_response), self);
        self->changed_dialog = ADW_MESSAGE_DIALOG (dialog);
        gtk_window_present (GTK_WINDOW (dialog));
      }
      break;
    }
}

gboolean
gb_window_save_project (GbWindow *self, const char *path, GError **error)
{
  g_autoptr(GbAudit) audit = NULL;
  GbAuditSettings *settings;

  g_return_val_if_fail (GB_IS_WINDOW (self), FALSE);

  if (self->dataset == NULL || self->draft == NULL)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT, "%s",
                   _("Open a CSV file before saving a project"));
      return FALSE;
    }
  /* The roles and the model pane's settings, as a run would use them. */
  audit = gb_audit_new ();
  settings = gb_audit_get_settings (audit);
  copy_settings (settings, gb_audit_get_settings (self->draft));
  gb_model_pane_apply_settings (self->model_pane, settings);
  gb_report_pane_apply_settings (self->report_pane, settings);
  replace_string (&settings->csv_path, gb_dataset_get_path (self->dataset));
  if (!gb_project_save (path, settings, self->read_options, gb_dataset_get_sha256 (self->dataset),
                        error))
    return FALSE;
  add_recent (self, path, "application/x-glassbox");
  return TRUE;
}

void
gb_window_open_example (GbWindow *self)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GB_IS_WINDOW (self));

  path = g_build_filename (gb_examples_dir (), "adult", "adult.csv", NULL);
  open_path (self, path, "adult");
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
    {
      gb_model_pane_set_progress (self->model_pane, fraction, message);
      gb_report_pane_set_progress (self->report_pane, fraction, message);
    }
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
  gb_report_pane_set_running (self->report_pane, FALSE);
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
  gb_report_pane_apply_settings (self->report_pane, settings);
  settings->train.n_threads = self->blas_threads;
  /* gb_audit_run() records the reproducing glassbox-audit command line. */
  gb_audit_set_dataset (audit, self->dataset);

  /* A target trains a model; treatment and outcome alone make a causal-only audit. */
  if ((settings->target == NULL || settings->target[0] == '\0')
      && (settings->treatment == NULL || settings->outcome == NULL))
    {
      gb_window_show_error (self, _("Choose a target column, or a treatment and an outcome, in the Dataset pane"));
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
  gb_report_pane_set_running (self->report_pane, TRUE);
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

/* Everything the worker reads is copied when the export starts, so editing
 * the Report pane's fields meanwhile cannot race with it: the settings
 * (auditor, model card, sections, paper) are a deep copy, the JSON is
 * written out on the main thread, and the results of a finished audit are
 * never changed (the audit is referenced only to keep them alive). */
typedef struct {
  GbAudit *audit;
  char *path;
  gboolean pdf;
  GbAuditSettings settings;   /* a copy, for the PDF */
  char *json;                 /* the JSON text, for the JSON */
  char *model_card_json;      /* (nullable) the model card's texts, written beside the PDF */
} ExportTask;

static void
export_task_free (gpointer data)
{
  ExportTask *task = data;
  g_clear_object (&task->audit);
  g_free (task->path);
  gb_audit_settings_clear (&task->settings);
  g_free (task->json);
  g_free (task->model_card_json);
  g_free (task);
}

static gboolean
export_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  ExportTask *task = task_data;

  if (task->pdf)
    {
      if (task->model_card_json != NULL
          && !g_file_set_contents (task->settings.model_card_path, task->model_card_json, -1, error))
        return FALSE;
      return gb_report_write_pdf (&task->settings, gb_audit_get_results (task->audit), task->path,
                                  error);
    }
  if (!g_file_set_contents (task->path, task->json, -1, error))
    return FALSE;
  return TRUE;
}

/* The model card's free texts as the JSON object --model-card=FILE reads,
 * or NULL when there are none. */
static char *
model_card_json (const GbAuditSettings *s)
{
  const struct { const char *key; const char *value; } fields[] = {
    { "model_details", s->model_card_details },
    { "intended_use", s->model_card_intended_use },
    { "factors", s->model_card_factors },
    { "ethical_considerations", s->model_card_ethical_considerations },
    { "caveats_and_recommendations", s->model_card_caveats },
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean any = FALSE;

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].value != NULL && *fields[i].value != '\0')
      {
        json_builder_set_member_name (b, fields[i].key);
        json_builder_add_string_value (b, fields[i].value);
        any = TRUE;
      }
  json_builder_end_object (b);
  if (!any)
    return NULL;
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
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
  if (pdf)
    {
      gb_audit_settings_copy (&task->settings, gb_audit_get_settings (self->audit));
      /* typed model-card texts go into "NAME.model-card.json" beside the
       * PDF, so the printed command (--model-card=…) reproduces the report */
      task->model_card_json = model_card_json (&task->settings);
      if (task->model_card_json != NULL)
        {
          g_autofree char *stem = g_str_has_suffix (path, ".pdf")
                                    ? g_strndup (path, strlen (path) - 4) : g_strdup (path);
          g_free (task->settings.model_card_path);
          task->settings.model_card_path = g_strconcat (stem, ".model-card.json", NULL);
        }
      g_free (task->settings.command_line);
      task->settings.command_line = gb_audit_settings_build_command_line (&task->settings);
    }
  else
    task->json = gb_audit_to_json (self->audit);
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
  return gb_window_export_file_name (base, NULL, pdf);
}

char *
gb_window_export_file_name (const char *dataset, GDateTime *date, gboolean pdf)
{
  g_autoptr(GDateTime) now = date != NULL ? g_date_time_ref (date) : g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");

  return g_strdup_printf ("%s-audit-%s.%s", dataset != NULL && *dataset ? dataset : "glassbox",
                          day, pdf ? "pdf" : "json");
}

/* What to do with the file a dialog chose. */
typedef void (*FileChosenFunc) (GbWindow *self, const char *path, gpointer data);

typedef struct {
  GbWindow *self;             /* valid: dialogs are cancelled in dispose */
  FileChosenFunc func;
  gpointer data;
} FileChoice;

static GtkFileFilter *
project_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Glassbox Projects"));
  gtk_file_filter_add_suffix (filter, "glassbox");
  return filter;
}

static void
file_chosen (FileChoice *choice, GFile *file)
{
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (file != NULL && path == NULL)
    gb_window_show_error (choice->self, _("Only local files can be used"));
  else if (path != NULL)
    choice->func (choice->self, path, choice->data);
  g_free (choice);
}

/* The folder the open dialog starts in: the last one a file came from. */
static GFile *
initial_folder (GbWindow *self)
{
  g_autofree char *folder = NULL;

  if (self->settings != NULL)
    folder = g_settings_get_string (self->settings, "last-folder");
  if (folder == NULL || folder[0] == '\0' || !g_file_test (folder, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_file_new_for_path (folder);
}

#if GTK_CHECK_VERSION (4, 10, 0)

static void
choose_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean save = GPOINTER_TO_INT (g_object_get_data (source, "gb-save"));
  g_autoptr(GFile) file = save ? gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL)
                               : gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  file_chosen (user_data, file);
}

/* Asks for a file to open (@save FALSE) or to write; @filters (transfer none). */
static void
choose_file (GbWindow *self, const char *title, gboolean save, GListModel *filters,
             const char *initial_name, FileChosenFunc func, gpointer data)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GFile) folder = initial_folder (self);
  FileChoice *choice = g_new0 (FileChoice, 1);

  choice->self = self;
  choice->func = func;
  choice->data = data;
  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_set_modal (dialog, TRUE);
  if (filters != NULL)
    {
      g_autoptr(GtkFileFilter) first = g_list_model_get_item (filters, 0);
      gtk_file_dialog_set_filters (dialog, filters);
      gtk_file_dialog_set_default_filter (dialog, first);
    }
  if (folder != NULL)
    gtk_file_dialog_set_initial_folder (dialog, folder);
  if (initial_name != NULL)
    gtk_file_dialog_set_initial_name (dialog, initial_name);
  g_object_set_data (G_OBJECT (dialog), "gb-save", GINT_TO_POINTER (save));
  if (save)
    gtk_file_dialog_save (dialog, GTK_WINDOW (self), self->dialog_cancellable, choose_done, choice);
  else
    gtk_file_dialog_open (dialog, GTK_WINDOW (self), self->dialog_cancellable, choose_done, choice);
}

#else /* GTK < 4.10: GtkFileChooserNative */

static void
chooser_response (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  FileChoice *choice = user_data;
  GbWindow *self = choice->self;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  file_chosen (choice, file);
  if (self->chooser == dialog)
    g_clear_object (&self->chooser);
}

static void
choose_file (GbWindow *self, const char *title, gboolean save, GListModel *filters,
             const char *initial_name, FileChosenFunc func, gpointer data)
{
  g_autoptr(GFile) folder = initial_folder (self);
  GtkFileChooserNative *chooser;
  FileChoice *choice;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  choice = g_new0 (FileChoice, 1);
  choice->self = self;
  choice->func = func;
  choice->data = data;
  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                         save ? GTK_FILE_CHOOSER_ACTION_SAVE
                                              : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         save ? _("_Save") : _("_Open"), _("_Cancel"));
  for (guint i = 0; filters != NULL && i < g_list_model_get_n_items (filters); i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  if (save && initial_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), initial_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response), choice);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

#endif

static void
open_chosen (GbWindow *self, const char *path, gpointer data)
{
  gb_window_open_file (self, path);
}

static void
open_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_autoptr(GListModel) filters = csv_filters ();

  choose_file (GB_WINDOW (widget), _("Open a CSV File"), FALSE, filters, NULL, open_chosen, NULL);
}

static void
export_chosen (GbWindow *self, const char *path, gpointer data)
{
  export_to (self, path, GPOINTER_TO_INT (data));
}

static void
save_dialog (GbWindow *self, gboolean pdf)
{
  GListStore *filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) filter = export_filter (pdf);
  g_autofree char *name = suggested_export_name (self, pdf);

  g_list_store_append (filters, filter);
  choose_file (self, pdf ? _("Export the Audit Report") : _("Export the Audit JSON"), TRUE,
               G_LIST_MODEL (filters), name, export_chosen, GINT_TO_POINTER (pdf));
  g_object_unref (filters);
}

static void
open_project_chosen (GbWindow *self, const char *path, gpointer data)
{
  gb_window_open_project (self, path);
}

static void
open_project_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GListStore *filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) filter = project_filter ();

  g_list_store_append (filters, filter);
  choose_file (GB_WINDOW (widget), _("Open a Project"), FALSE, G_LIST_MODEL (filters), NULL,
               open_project_chosen, NULL);
  g_object_unref (filters);
}

static void
save_project_chosen (GbWindow *self, const char *path, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_path_get_basename (path);

  if (!gb_window_save_project (self, path, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save “%s”: %s"), basename,
                                                  error->message);
      gb_window_show_error (self, message);
      return;
    }
  {
    g_autofree char *message = g_strdup_printf (_("Saved the project “%s”"), basename);
    show_info (self, message);
  }
}

static void
save_project_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GbWindow *self = GB_WINDOW (widget);
  GListStore *filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) filter = project_filter ();
  g_autofree char *name = NULL;

  if (self->dataset != NULL)
    {
      g_autofree char *base = g_path_get_basename (gb_dataset_get_path (self->dataset));
      char *dot = strrchr (base, '.');
      if (dot != NULL && dot != base)
        *dot = '\0';
      name = g_strdup_printf ("%s.glassbox", base);
    }
  g_list_store_append (filters, filter);
  choose_file (self, _("Save the Project"), TRUE, G_LIST_MODEL (filters), name,
               save_project_chosen, NULL);
  g_object_unref (filters);
}

/* ---- reading options ------------------------------------------------------- */

static const char *const delimiter_ids[] = { "auto", ",", ";", "\t", "|" };
static const char *const encoding_ids[] = { NULL, "UTF-8", "WINDOWS-1252", "ISO-8859-1", "UTF-16" };

static guint
delimiter_index (char delimiter)
{
  for (guint i = 1; i < G_N_ELEMENTS (delimiter_ids); i++)
    if (delimiter_ids[i][0] == delimiter)
      return i;
  return 0;
}

static guint
encoding_index (const char *encoding)
{
  for (guint i = 1; i < G_N_ELEMENTS (encoding_ids); i++)
    if (encoding != NULL && g_ascii_strcasecmp (encoding_ids[i], encoding) == 0)
      return i;
  return 0;
}

static void
options_reload_clicked (GtkButton *button, GbWindow *self)
{
  GtkWindow *win = self->options_window;
  GbCsvOptions *options;
  guint delimiter = adw_combo_row_get_selected (g_object_get_data (G_OBJECT (win), "delimiter"));
  guint encoding = adw_combo_row_get_selected (g_object_get_data (G_OBJECT (win), "encoding"));
  guint header = adw_combo_row_get_selected (g_object_get_data (G_OBJECT (win), "header"));
  const char *na = gtk_editable_get_text (g_object_get_data (G_OBJECT (win), "na-values"));

  options = self->read_options != NULL ? gb_csv_options_copy (self->read_options)
                                       : gb_csv_options_new ();
  options->delimiter = delimiter > 0 ? delimiter_ids[delimiter][0] : 0;
  g_free (options->encoding);
  options->encoding = g_strdup (encoding_ids[encoding]);
  options->header = header == 1 ? GB_HEADER_PRESENT : header == 2 ? GB_HEADER_ABSENT
                                                                  : GB_HEADER_AUTO;
  g_clear_pointer (&options->na_values, g_strfreev);
  if (na != NULL && g_strstrip (g_strdup (na))[0] != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (na, ",", -1);
      GStrvBuilder *b = g_strv_builder_new ();
      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (parts[i][0] != '\0')
            g_strv_builder_add (b, parts[i]);
        }
      options->na_values = g_strv_builder_end (b);
      g_strv_builder_unref (b);
    }
  gtk_window_destroy (win);
  reload_with_options (self, options);
}

static void
options_window_destroyed (GbWindow *self)
{
  self->options_window = NULL;
}

static GtkWidget *
options_combo (const char *title, const char *subtitle, const char *const *items, guint selected)
{
  GtkWidget *row = adw_combo_row_new ();
  GtkStringList *list = gtk_string_list_new (items);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_unref (list);
  return row;
}

/* The Reading Options window: delimiter, encoding, header row and the
 * missing-value tokens of the current file; Reload reads it again. */
void
gb_window_show_read_options (GbWindow *self)
{
  const GbCsvOptions *detected = self->dataset != NULL
                                   && g_strcmp0 (gb_dataset_get_path (self->dataset),
                                                 self->current_path) == 0
                                   ? gb_dataset_get_options (self->dataset) : NULL;
  const GbCsvOptions *asked = self->read_options;
  g_autofree char *title = NULL;
  g_autofree char *auto_delimiter = NULL;
  g_autofree char *auto_encoding = NULL;
  g_autofree char *auto_header = NULL;
  GtkWidget *win, *box, *header_bar, *cancel, *reload, *page, *group, *row, *entry;

  g_return_if_fail (GB_IS_WINDOW (self));

  if (self->current_path == NULL)
    return;
  if (self->options_window != NULL)
    {
      gtk_window_present (self->options_window);
      return;
    }

  /* Each row's subtitle says what was detected in the file shown. */
  if (detected != NULL)
    {
      const char *names[] = { NULL, _("comma"), _("semicolon"), _("tab"), _("pipe") };
      guint d = delimiter_index (detected->delimiter);
      auto_delimiter = g_strdup_printf (_("Detected: %s"), d > 0 ? names[d] : "?");
      auto_encoding = g_strdup_printf (_("Detected: %s"),
                                       detected->encoding != NULL ? detected->encoding : "UTF-8");
      auto_header = g_strdup_printf (_("Detected: %s"), detected->header == GB_HEADER_ABSENT
                                                          ? _("no header") : _("first row"));
    }

  win = adw_window_new ();
  self->options_window = GTK_WINDOW (win);
  g_signal_connect_swapped (win, "destroy", G_CALLBACK (options_window_destroyed), self);
  gtk_window_set_transient_for (GTK_WINDOW (win), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (win), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (win), 520, 480);
  gtk_window_set_title (GTK_WINDOW (win), _("Reading Options"));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header_bar = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header_bar), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), win);
  reload = gtk_button_new_with_mnemonic (_("_Reload"));
  gtk_widget_add_css_class (reload, "suggested-action");
  g_signal_connect (reload, "clicked", G_CALLBACK (options_reload_clicked), self);
  g_object_set_data (G_OBJECT (win), "reload", reload);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header_bar), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header_bar), reload);
  gtk_box_append (GTK_BOX (box), header_bar);

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  group = adw_preferences_group_new ();
  title = g_path_get_basename (self->current_path);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("How the file is read. Detect falls back to Windows-1252 when the bytes are not UTF-8. Missing values are comma separated tokens; leave them empty for the usual ones (empty, NA, N/A, NaN, null, ?). Column types are chosen per column in the side panel (Read As)."));

  {
    const char *items[] = { _("Detect"), _("Comma ( , )"), _("Semicolon ( ; )"), _("Tab"),
                            _("Pipe ( | )"), NULL };
    row = options_combo (_("Delimiter"), auto_delimiter, items,
                         asked != NULL ? delimiter_index (asked->delimiter) : 0);
    g_object_set_data (G_OBJECT (win), "delimiter", row);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  }
  {
    const char *items[] = { _("Detect"), "UTF-8", _("Windows-1252 (Western)"),
                            _("ISO-8859-1 (Latin-1)"), "UTF-16", NULL };
    row = options_combo (_("Encoding"), auto_encoding, items, asked != NULL ? encoding_index (asked->encoding) : 0);
    g_object_set_data (G_OBJECT (win), "encoding", row);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  }
  {
    const char *items[] = { _("Detect"), _("First Row Is the Header"), _("No Header Row"), NULL };
    row = options_combo (_("Header"), auto_header, items,
                         asked == NULL ? 0 : asked->header == GB_HEADER_PRESENT ? 1
                                           : asked->header == GB_HEADER_ABSENT ? 2 : 0);
    g_object_set_data (G_OBJECT (win), "header", row);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  }
  {
    g_autofree char *na = asked != NULL && asked->na_values != NULL
                            ? g_strjoinv (", ", asked->na_values) : g_strdup ("");
    entry = adw_entry_row_new ();
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry),
                                   _("Missing Values"));
    gtk_editable_set_text (GTK_EDITABLE (entry), na);
    g_object_set_data (G_OBJECT (win), "na-values", entry);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), entry);
  }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (win), box);
  gtk_window_present (GTK_WINDOW (win));
}

static void
read_options_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gb_window_show_read_options (GB_WINDOW (widget));
}

/* The pane's Read As: a column's type forced (or detected again). */
/* The Model pane's read-only Text Column row and its Class to Explain list
 * follow the draft's roles. */
static void
sync_text_column (GbWindow *self)
{
  const GbAuditSettings *s = self->draft != NULL && self->dataset != NULL
                             ? gb_audit_get_settings (self->draft) : NULL;

  gb_model_pane_set_text_column (self->model_pane, s != NULL ? s->text_column : NULL);
  gb_model_pane_set_target (self->model_pane, s != NULL ? s->target : NULL,
                            s != NULL ? s->positive : NULL);
}

static void
roles_changed (GbDatasetPane *pane, GbWindow *self)
{
  sync_text_column (self);
}

static void
column_type_changed (GbDatasetPane *pane, const char *column, const char *type, GbWindow *self)
{
  GbCsvOptions *options = self->read_options != NULL ? gb_csv_options_copy (self->read_options)
                                                      : gb_csv_options_new ();
  g_autofree char *prefix = g_strdup_printf ("%s=", column);
  GStrvBuilder *b = g_strv_builder_new ();

  for (guint i = 0; options->column_types != NULL && options->column_types[i] != NULL; i++)
    if (!g_str_has_prefix (options->column_types[i], prefix)
        || strchr (options->column_types[i] + strlen (prefix), '=') != NULL)
      g_strv_builder_add (b, options->column_types[i]);
  if (type != NULL)
    {
      g_autofree char *entry = g_strdup_printf ("%s=%s", column, type);
      g_strv_builder_add (b, entry);
    }
  g_strfreev (options->column_types);
  options->column_types = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  if (options->column_types[0] == NULL)
    g_clear_pointer (&options->column_types, g_strfreev);
  reload_with_options (self, options);
}

/* ---- recent files and drops ------------------------------------------------ */

/* Mnemonics: a file name's underscores must stay underscores in a menu. */
static char *
menu_label (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        g_string_append_c (out, '_');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static int
compare_recent (gconstpointer a, gconstpointer b)
{
  return -g_date_time_compare (gtk_recent_info_get_modified ((GtkRecentInfo *) a),
                               gtk_recent_info_get_modified ((GtkRecentInfo *) b));
}

static void
rebuild_recent_menu (GbWindow *self)
{
  GList *items = g_list_sort (gtk_recent_manager_get_items (self->recent), compare_recent);
  guint shown = 0;

  g_menu_remove_all (self->recent_menu);
  for (GList *l = items; l != NULL && shown < 10; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      g_autoptr(GFile) file = NULL;
      g_autofree char *path = NULL;
      g_autofree char *base = NULL;
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if (!gtk_recent_info_has_application (info, GB_RECENT_APP_NAME))
        continue;
      file = g_file_new_for_uri (gtk_recent_info_get_uri (info));
      path = g_file_get_path (file);
      if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      base = g_filename_display_basename (path);
      label = menu_label (base);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-recent", g_variant_new_string (path));
      g_menu_append_item (self->recent_menu, item);
      shown++;
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  if (shown == 0)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Recent Files"), "win.no-recent");
      g_menu_append_item (self->recent_menu, item);
    }
}

static void
open_recent_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GbWindow *self = GB_WINDOW (widget);
  const char *path = g_variant_get_string (param, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” no longer exists"), path);
      gb_window_show_error (self, message);
      return;
    }
  gb_window_open_file (self, path);
}

static void
open_example_named_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gb_window_open_example_named (GB_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* A file dropped on the window: the first one opens (a CSV, or a project). */
static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, GbWindow *self)
{
  GFile *file = NULL;
  g_autofree char *path = NULL;
  GSList *files = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      files = gdk_file_list_get_files (g_value_get_boxed (value));
      file = files != NULL ? files->data : NULL;
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);

  if (file != NULL)
    path = g_file_get_path (file);
  g_slist_free (files);

  if (path == NULL)
    {
      gb_window_show_error (self, _("Only local files can be opened"));
      return FALSE;
    }
  if (self->audit_job != NULL)
    {
      gb_window_show_error (self, _("Cancel the audit before opening another file"));
      return FALSE;
    }
  gb_window_open_file (self, path);
  return TRUE;
}

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

/* ---- settings -------------------------------------------------------------- */

GSettings *
gb_window_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, GB_APPLICATION_ID, TRUE);
#ifdef GB_BUILD_ROOT
  /* Run from the build folder: the schema compiled there. */
  if (schema == NULL && g_file_test (GB_BUILD_ROOT "/data/gschemas.compiled", G_FILE_TEST_EXISTS))
    {
      g_autoptr(GSettingsSchemaSource) local =
        g_settings_schema_source_new_from_directory (GB_BUILD_ROOT "/data", source, FALSE, NULL);
      if (local != NULL)
        schema = g_settings_schema_source_lookup (local, GB_APPLICATION_ID, FALSE);
    }
#endif
  if (schema == NULL)
    return NULL;   /* not installed: run without remembering anything */
  return g_settings_new_full (schema, NULL, NULL);
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

/* The window's size and maximized state, for the next start. */
static void
save_window_state (GbWindow *self)
{
  int width = 0, height = 0;
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  if (self->settings == NULL)
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width <= 0 || height <= 0)
    {
      width = gtk_widget_get_width (GTK_WIDGET (self));
      height = gtk_widget_get_height (GTK_WIDGET (self));
    }
  g_settings_delay (self->settings);
  if (!maximized && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  g_settings_apply (self->settings);
}

static gboolean
gb_window_close_request (GtkWindow *window)
{
  save_window_state (GB_WINDOW (window));
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
  if (self->options_window != NULL)
    gtk_window_destroy (self->options_window);
  if (self->changed_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->changed_dialog, self);
      gtk_window_destroy (GTK_WINDOW (self->changed_dialog));
      self->changed_dialog = NULL;
    }
  if (self->recent != NULL)
    g_signal_handlers_disconnect_by_data (self->recent, self);
  g_clear_object (&self->recent);
  g_clear_object (&self->settings);

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
  g_free (self->current_path);
  g_clear_pointer (&self->read_options, gb_csv_options_free);
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
  gtk_widget_class_bind_template_child (widget_class, GbWindow, recent_menu);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "win.open-example", NULL, open_example_activated);
  gtk_widget_class_install_action (widget_class, "win.run-audit", NULL, run_audit_activated);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "win.export-pdf", NULL, export_pdf_activated);
  gtk_widget_class_install_action (widget_class, "win.export-json", NULL, export_json_activated);
  gtk_widget_class_install_action (widget_class, "win.show-report", NULL, show_report_activated);
  gtk_widget_class_install_action (widget_class, "win.open-example-named", "s",
                                   open_example_named_activated);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_activated);
  gtk_widget_class_install_action (widget_class, "win.open-project", NULL, open_project_activated);
  gtk_widget_class_install_action (widget_class, "win.save-project", NULL, save_project_activated);
  gtk_widget_class_install_action (widget_class, "win.read-options", NULL, read_options_activated);
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

  /* Sorting and summaries of big files run on the same queue. */
  gb_dataset_pane_set_job_queue (self->dataset_pane, self->queue);
  g_signal_connect (self->dataset_pane, "column-type-changed", G_CALLBACK (column_type_changed),
                    self);
  g_signal_connect (self->dataset_pane, "roles-changed", G_CALLBACK (roles_changed), self);

  /* Files dropped anywhere on the window. */
  {
    GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
    gtk_drop_target_set_gtypes (drop, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
    g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self->toast_overlay), GTK_EVENT_CONTROLLER (drop));
  }

  /* Recent files in the menu (the start page lists them too). */
  self->recent = g_object_ref (gtk_recent_manager_get_default ());
  g_signal_connect_swapped (self->recent, "changed", G_CALLBACK (rebuild_recent_menu), self);
  rebuild_recent_menu (self);

  /* The size of the last window closed. */
  self->settings = gb_window_settings_new ();
  if (self->settings != NULL)
    {
      int width = g_settings_get_int (self->settings, "window-width");
      int height = g_settings_get_int (self->settings, "window-height");
      if (width > 0 && height > 0)
        gtk_window_set_default_size (GTK_WINDOW (self), width, height);
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

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

gboolean
gb_window_drop_files (GbWindow *self, GSList *files)
{
  GValue value = G_VALUE_INIT;
  gboolean handled;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  handled = on_drop (NULL, &value, 0, 0, self);
  g_value_unset (&value);
  return handled;
}

AdwMessageDialog *
gb_window_get_changed_dialog (GbWindow *self)
{
  return self->changed_dialog;
}

const GbCsvOptions *
gb_window_get_read_options (GbWindow *self)
{
  return self->read_options;
}

GSettings *
gb_window_get_settings (GbWindow *self)
{
  return self->settings;
}

void
gb_window_apply_example_roles (GbWindow *self)
{
  g_return_if_fail (self->dataset != NULL && self->draft != NULL);
  gb_example_apply_roles ("adult", self->dataset, self->draft);
  gb_dataset_pane_refresh_roles (self->dataset_pane);
  sync_text_column (self);
}
#endif
