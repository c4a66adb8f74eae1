/* test-ui.c — the GTK application under Xvfb: the window, its three panes,
 * loading a CSV on the job queue, editing roles, running the audit and
 * exporting, cancelling, closing while busy, and the job queue itself.
 *
 * Waits iterate the main loop with a bound on iterations (a 10 ms ticker
 * keeps the loop turning), never on wall-clock time. */
#include "gb-config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "glassbox-engine.h"
#include "gb-window.h"
#include "gb-window-private.h"
#include "gb-dataset-pane-private.h"
#include "gb-model-pane-private.h"
#include "gb-report-pane-private.h"
#include "gb-job-queue.h"
#include "gb-chart-view.h"

#define MAX_ITERATIONS 2000000

typedef gboolean (*Condition) (gpointer data);

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the default main context until @cond holds; FALSE if the bound ran out. */
static gboolean
wait_until (Condition cond, gpointer data)
{
  guint ticker = g_timeout_add (10, tick, NULL);
  gboolean ok = FALSE;

  for (guint i = 0; i < MAX_ITERATIONS; i++)
    {
      if (cond (data))
        {
          ok = TRUE;
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (ticker);
  return ok;
}

static void
iterate_pending (guint n)
{
  for (guint i = 0; i < n; i++)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
window_idle (gpointer data)
{
  return !gb_window_is_busy (GB_WINDOW (data));
}

static char *
example_path (void)
{
  return g_build_filename (gb_examples_dir (), "adult", "adult.csv", NULL);
}

/* The header and the first @n_rows rows of the Adult example in a temporary file. */
static char *
write_adult_slice (const char *dir, guint n_rows)
{
  g_autofree char *src = example_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "adult-slice.csv", NULL);
  const char *p;
  guint lines = 0;

  g_assert_true (g_file_get_contents (src, &contents, NULL, &error));
  g_assert_no_error (error);
  for (p = contents; *p != '\0' && lines < n_rows + 1; p++)
    if (*p == '\n')
      lines++;
  g_assert_true (g_file_set_contents (path, contents, p - contents, &error));
  g_assert_no_error (error);
  return path;
}

static GbWindow *
new_window (void)
{
  GbWindow *win = gb_window_new (NULL);
  gtk_window_present (GTK_WINDOW (win));
  return win;
}

static void
destroy_window (GbWindow *win)
{
  GbWindow *weak = win;

  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &weak);
  gtk_window_destroy (GTK_WINDOW (win));
  iterate_pending (1000);
  g_assert_null (weak);
}

static GbWindow *
open_and_wait (const char *path, gboolean example)
{
  GbWindow *win = new_window ();

  if (example)
    gb_window_open_example (win);
  else
    gb_window_open_file (win, path);
  g_assert_true (gb_window_is_busy (win));
  g_assert_true (wait_until (window_idle, win));
  return win;
}

/* ---- the window ----------------------------------------------------------- */

static void
test_window_pages (void)
{
  GbWindow *win = new_window ();
  AdwViewStack *stack = gb_window_get_view_stack (win);
  g_autoptr(GtkSelectionModel) pages = NULL;
  const char *names[] = { "dataset", "model", "report" };
  const char *titles[] = { "Dataset", "Model", "Report" };

  g_assert_true (ADW_IS_VIEW_STACK (stack));
  pages = adw_view_stack_get_pages (stack);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      g_assert_cmpstr (adw_view_stack_page_get_name (page), ==, names[i]);
      g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, titles[i]);
    }
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "dataset");
  g_assert_cmpstr (gb_dataset_pane_get_visible_page (gb_window_get_dataset_pane (win)), ==, "start");

  g_assert_false (gb_window_is_busy (win));

  /* Run Audit without data says so and does not crash. */
  gb_window_run_audit (win);
  g_assert_nonnull (gb_window_get_last_error (win));
  g_assert_false (gb_window_is_busy (win));

  destroy_window (win);
}

static void
test_window_load_example (void)
{
  GbWindow *win = open_and_wait (NULL, TRUE);
  GbDatasetPane *pane = gb_window_get_dataset_pane (win);
  GtkColumnView *view = gb_dataset_pane_get_column_view (pane);
  AdwViewStack *stack = gb_window_get_view_stack (win);
  GListModel *rows;

  g_assert_null (gb_window_get_last_error (win));
  g_assert_nonnull (gb_window_get_dataset (win));
  g_assert_cmpstr (gb_dataset_pane_get_visible_page (pane), ==, "data");

  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (view)), ==, 15);
  rows = gb_dataset_pane_get_row_model (pane);
  g_assert_nonnull (rows);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 32561);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))), ==,
                    32561);
  g_assert_cmpuint (gb_dataset_pane_get_n_role_rows (pane), ==, 15);

  /* The example's roles, ready to run the audit. */
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "income-per-year"), ==, GB_ROLE_TARGET);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "sex"), ==, GB_ROLE_PROTECTED);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "race"), ==, GB_ROLE_PROTECTED);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "education-num"), ==, GB_ROLE_TREATMENT);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "age"), ==, GB_ROLE_COVARIATE);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "occupation"), ==, GB_ROLE_FEATURE);
  {
    GbAuditSettings *s = gb_audit_get_settings (gb_window_get_draft (win));
    g_autoptr(GError) error = NULL;
    g_assert_cmpstr (s->positive, ==, ">50K");
    g_assert_cmpstr (s->treatment, ==, "education-num>=13");
    g_assert_true (gb_audit_validate (gb_window_get_draft (win), gb_window_get_dataset (win), &error));
    g_assert_no_error (error);
  }

  /* Switch pages. */
  gb_window_set_page (win, "model");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "model");
  gb_window_set_page (win, "report");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "report");
  gb_window_set_page (win, "dataset");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "dataset");
  iterate_pending (100);

  destroy_window (win);
}

static void
test_window_roles (void)
{
  GbWindow *win = open_and_wait (NULL, TRUE);
  GbDatasetPane *pane = gb_window_get_dataset_pane (win);
  GbAuditSettings *s = gb_audit_get_settings (gb_window_get_draft (win));

  /* Ignore a column: the feature list becomes explicit and leaves it out. */
  g_assert_null (s->features);
  gb_dataset_pane_set_role (pane, "fnlwgt", GB_ROLE_IGNORE);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "fnlwgt"), ==, GB_ROLE_IGNORE);
  g_assert_nonnull (s->features);
  g_assert_false (g_strv_contains ((const char *const *) s->features, "fnlwgt"));
  g_assert_true (g_strv_contains ((const char *const *) s->features, "occupation"));
  g_assert_false (g_strv_contains ((const char *const *) s->features, "income-per-year"));

  /* A protected attribute that was also a covariate gets the single role chosen. */
  gb_dataset_pane_set_role (pane, "sex", GB_ROLE_FEATURE);
  g_assert_false (g_strv_contains ((const char *const *) s->protected_attributes, "sex"));
  g_assert_false (g_strv_contains ((const char *const *) s->covariates, "sex"));
  g_assert_true (g_strv_contains ((const char *const *) s->features, "sex"));
  gb_dataset_pane_set_role (pane, "sex", GB_ROLE_PROTECTED);
  g_assert_true (g_strv_contains ((const char *const *) s->protected_attributes, "sex"));

  /* One target at a time; the old target becomes a feature. */
  gb_dataset_pane_set_role (pane, "workclass", GB_ROLE_TARGET);
  g_assert_cmpstr (s->target, ==, "workclass");
  g_assert_null (s->positive);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "income-per-year"), ==, GB_ROLE_OUTCOME);
  gb_dataset_pane_set_role (pane, "income-per-year", GB_ROLE_TARGET);
  g_assert_cmpstr (s->target, ==, "income-per-year");
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "workclass"), ==, GB_ROLE_FEATURE);

  /* A treatment condition typed in the entry row. */
  gb_dataset_pane_set_role (pane, "hours-per-week", GB_ROLE_TREATMENT);
  g_assert_cmpstr (s->treatment, ==, "hours-per-week");
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "education-num"), ==, GB_ROLE_FEATURE);

  /* An unknown protected column is reported by validation, as a toast. */
  {
    char **old = s->protected_attributes;
    const char *bad[] = { "gender", NULL };
    s->protected_attributes = g_strdupv ((char **) bad);
    g_strfreev (old);
  }
  gb_window_run_audit (win);
  g_assert_false (gb_window_is_busy (win));
  g_assert_nonnull (gb_window_get_last_error (win));
  g_assert_nonnull (strstr (gb_window_get_last_error (win), "gender"));

  destroy_window (win);
}

static void
test_window_bad_csv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "does-not-exist.csv", NULL);
  const char *bad = "a,b,c\n1,2,3\n4,5\n\"unterminated,6,7\n";
  GbWindow *win;

  g_assert_true (g_file_set_contents (path, bad, -1, NULL));

  win = open_and_wait (path, FALSE);
  g_assert_nonnull (gb_window_get_last_error (win));
  g_test_message ("bad CSV: %s", gb_window_get_last_error (win));
  g_assert_nonnull (strstr (gb_window_get_last_error (win), "bad.csv"));
  g_assert_null (gb_window_get_dataset (win));
  g_assert_cmpstr (gb_dataset_pane_get_visible_page (gb_window_get_dataset_pane (win)), ==, "start");

  /* A file that does not exist: also a message, not an abort. */
  gb_window_open_file (win, missing);
  g_assert_true (wait_until (window_idle, win));
  g_assert_nonnull (strstr (gb_window_get_last_error (win), "does-not-exist.csv"));
  g_assert_null (gb_window_get_dataset (win));

  destroy_window (win);
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
model_pane_running (gpointer data)
{
  return gb_model_pane_is_running (GB_MODEL_PANE (data));
}

static void
test_window_run_audit (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *slice = write_adult_slice (dir, 3000);
  g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *json = g_build_filename (dir, "report.json", NULL);
  GbWindow *win = open_and_wait (slice, FALSE);
  GbModelPane *model_pane = gb_window_get_model_pane (win);
  GbReportPane *report_pane = gb_window_get_report_pane (win);
  const GbAuditResults *r;
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint expected;

  g_assert_nonnull (gb_window_get_dataset (win));
  gb_window_apply_example_roles (win);
  gb_window_set_epochs (win, 1);
  g_assert_cmpuint (gb_model_pane_get_epochs (model_pane), ==, 1);
  g_assert_cmpuint (gb_report_pane_get_n_charts (report_pane), ==, 0);

  gb_window_run_audit (win);
  if (gb_window_get_last_error (win) != NULL)
    g_test_message ("run: %s", gb_window_get_last_error (win));
  g_assert_null (gb_window_get_last_error (win));
  g_assert_true (gb_window_is_busy (win));
  g_assert_true (gb_model_pane_is_running (model_pane));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (gb_window_get_view_stack (win)), ==, "model");

  g_assert_true (wait_until (window_idle, win));
  if (gb_window_get_last_error (win) != NULL)
    g_test_message ("run: %s", gb_window_get_last_error (win));
  g_assert_null (gb_window_get_last_error (win));
  g_assert_false (gb_model_pane_is_running (model_pane));
  g_assert_nonnull (gb_window_get_audit (win));

  r = gb_audit_get_results (gb_window_get_audit (win));
  g_assert_nonnull (r);
  g_assert_true (r->has_model);
  g_assert_cmpuint (r->epochs_run, ==, 1);
  g_assert_cmpuint (r->n_rows, ==, 3000);

  /* The Model pane shows the metrics and the ROC curve. */
  g_assert_true (gb_model_pane_has_roc_chart (model_pane));
  g_assert_cmpstr (gb_model_pane_get_accuracy_text (model_pane), !=, "—");

  /* The Report pane has one chart per result. */
  expected = 1 + (r->integrated_gradients != NULL ? 2 : 0)
             + (r->fairness != NULL ? r->fairness->len : 0)
             + (r->has_causal && r->estimates != NULL && r->estimates->len > 0 ? 1 : 0);
  g_test_message ("report charts: %u", gb_report_pane_get_n_charts (report_pane));
  g_assert_cmpuint (expected, >=, 5);
  g_assert_cmpuint (gb_report_pane_get_n_charts (report_pane), ==, expected);
  gb_window_set_page (win, "report");
  iterate_pending (200);   /* draw the charts */

  /* Export both files through the job queue. */
  gb_window_export_to (win, pdf, TRUE);
  g_assert_true (wait_until (window_idle, win));
  gb_window_export_to (win, json, FALSE);
  g_assert_true (wait_until (window_idle, win));
  g_assert_null (gb_window_get_last_error (win));
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (json, &contents, &length, NULL));
  g_assert_true (contents[0] == '{');

  destroy_window (win);
  g_unlink (pdf);
  g_unlink (json);
  g_unlink (slice);
  g_rmdir (dir);
}

static void
test_window_cancel (void)
{
  GbWindow *win = open_and_wait (NULL, TRUE);
  GbModelPane *model_pane = gb_window_get_model_pane (win);
  guint toasts;

  gb_window_set_epochs (win, 50);
  gb_window_run_audit (win);
  g_assert_true (gb_window_is_busy (win));
  g_assert_true (wait_until (model_pane_running, model_pane));
  iterate_pending (20);
  toasts = gb_window_get_n_toasts (win);

  gtk_widget_activate_action (GTK_WIDGET (win), "win.cancel", NULL);
  g_assert_true (wait_until (window_idle, win));
  g_assert_false (gb_model_pane_is_running (model_pane));
  g_assert_null (gb_window_get_audit (win));
  g_assert_null (gb_window_get_last_error (win));   /* cancelling is not an error */
  g_assert_cmpuint (gb_window_get_n_toasts (win), ==, toasts + 1);

  destroy_window (win);
}

static void
test_window_close_while_busy (void)
{
  GbWindow *win;

  /* Closing during a load. */
  win = new_window ();
  gb_window_open_example (win);
  g_assert_true (gb_window_is_busy (win));
  iterate_pending (5);
  destroy_window (win);

  /* Closing during training: the worker is cancelled and joined, the late
   * completion is dropped. */
  win = open_and_wait (NULL, TRUE);
  gb_window_set_epochs (win, 50);
  gb_window_run_audit (win);
  g_assert_true (gb_window_is_busy (win));
  iterate_pending (50);
  destroy_window (win);
  iterate_pending (100);
}

/* ---- the command line ---------------------------------------------------- */

typedef struct {
  gsize n_rows;
  guint polls;
} AppState;

static gboolean
poll_app (gpointer data)
{
  GtkApplication *app = data;
  AppState *state = g_object_get_data (G_OBJECT (app), "state");
  GList *windows = gtk_application_get_windows (app);
  GbWindow *win;

  state->polls++;
  if (windows == NULL)
    return state->polls < 100000 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
  win = GB_WINDOW (windows->data);
  if (gb_window_is_busy (win) && state->polls < 100000)
    return G_SOURCE_CONTINUE;

  if (gb_window_get_dataset (win) != NULL)
    state->n_rows = gb_dataset_get_n_rows (gb_window_get_dataset (win));
  /* Closing the last window ends g_application_run(). */
  for (GList *copy = g_list_copy (windows), *l = copy; l != NULL; l = l->next)
    {
      gtk_window_destroy (GTK_WINDOW (l->data));
      if (l->next == NULL)
        g_list_free (copy);
    }
  return G_SOURCE_REMOVE;
}

static gsize
run_app (const char *arg)
{
  g_autoptr(GbApplication) app = gb_application_new ();
  AppState state = { 0 };
  char *argv[] = { (char *) "glassbox", (char *) arg, NULL };
  int status;

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_object_set_data (G_OBJECT (app), "state", &state);
  g_timeout_add (10, poll_app, app);
  status = g_application_run (G_APPLICATION (app), 2, argv);
  g_assert_cmpint (status, ==, 0);
  return state.n_rows;
}

static void
test_command_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *slice = write_adult_slice (dir, 500);

  /* glassbox FILE.csv opens the file ... */
  g_assert_cmpuint (run_app (slice), ==, 500);
  /* ... and glassbox --example the bundled Adult data. */
  g_assert_cmpuint (run_app ("--example"), ==, 32561);

  g_unlink (slice);
  g_rmdir (dir);
}

/* ---- the chart view ------------------------------------------------------- */

static void
count_draw (cairo_t *cr, double width, double height, gpointer data)
{
  guint *count = data;
  double roc_x[] = { 0, 0.2, 1 }, roc_y[] = { 0, 0.8, 1 };

  g_assert_cmpfloat (width, >, 0);
  g_assert_cmpfloat (height, >, 0);
  gb_plot_roc_draw (cr, width, height, "ROC", roc_x, roc_y, 3, 0.8);
  (*count)++;
}

static void
free_count (gpointer data)
{
  *(guint *) data = G_MAXUINT;
}

static gboolean
drawn (gpointer data)
{
  return *(guint *) data > 0;
}

static void
test_chart_view (void)
{
  guint count = 0;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = gb_chart_view_new (count_draw, &count, free_count);

  g_assert_true (gb_chart_view_has_draw_func (GB_CHART_VIEW (chart)));
  gb_chart_view_set_chart_height (GB_CHART_VIEW (chart), 300);
  g_assert_cmpint (gb_chart_view_get_chart_height (GB_CHART_VIEW (chart)), ==, 300);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_set_default_size (GTK_WINDOW (window), 500, 300);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (drawn, &count));

  /* Replacing the painter frees the old data. */
  gb_chart_view_set_draw_func (GB_CHART_VIEW (chart), NULL, NULL, NULL);
  g_assert_cmpuint (count, ==, G_MAXUINT);
  g_assert_false (gb_chart_view_has_draw_func (GB_CHART_VIEW (chart)));
  gtk_window_destroy (GTK_WINDOW (window));
  iterate_pending (100);
}

/* ---- the job queue -------------------------------------------------------- */

typedef struct {
  guint done;
  guint progress;
  gboolean cancelled;
  gboolean success;
  double last_fraction;
  GThread *worker_thread;
  GThread *callback_thread;
} JobState;

static gboolean
counting_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  JobState *state = task_data;

  state->worker_thread = g_thread_self ();
  for (guint i = 1; i <= 100; i++)
    gb_job_report_progress (job, i / 100.0, "counting");
  gb_job_set_result (job, g_strdup ("forty-two"), g_free);
  return TRUE;
}

static gboolean
blocking_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  while (!g_cancellable_is_cancelled (cancellable))
    g_usleep (1000);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static void
job_progress (GbJob *job, double fraction, const char *message, gpointer user_data)
{
  JobState *state = user_data;
  state->progress++;
  state->last_fraction = fraction;
  state->callback_thread = g_thread_self ();
}

static void
job_done (GbJob *job, const GError *error, gpointer user_data)
{
  JobState *state = user_data;

  state->done++;
  state->success = error == NULL;
  state->cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  state->callback_thread = g_thread_self ();
  if (error == NULL)
    g_assert_cmpstr (gb_job_get_result (job), ==, "forty-two");
}

static gboolean
job_finished (gpointer data)
{
  return ((JobState *) data)->done > 0;
}

static void
test_job_queue_run (void)
{
  g_autoptr(GbJobQueue) queue = gb_job_queue_new (1);
  JobState state = { 0 };

  gb_job_queue_push (queue, "count", counting_worker, &state, NULL, job_progress, job_done, &state);
  g_assert_true (gb_job_queue_is_busy (queue));
  g_assert_true (wait_until (job_finished, &state));
  g_assert_cmpuint (state.done, ==, 1);
  g_assert_true (state.success);
  g_assert_false (gb_job_queue_is_busy (queue));
  g_assert_true (state.worker_thread != g_thread_self ());
  g_assert_true (state.callback_thread == g_thread_self ());
  /* Coalesced progress: at most one delivery per report, and never after done. */
  g_assert_cmpuint (state.progress, <=, 100);
  iterate_pending (100);
  g_assert_cmpuint (state.done, ==, 1);
}

static void
test_job_queue_cancel (void)
{
  g_autoptr(GbJobQueue) queue = gb_job_queue_new (1);
  JobState state = { 0 };
  JobState queued = { 0 };
  GbJob *job;

  job = gb_job_queue_push (queue, "block", blocking_worker, NULL, NULL, NULL, job_done, &state);
  gb_job_queue_push (queue, "queued", counting_worker, &queued, NULL, NULL, job_done, &queued);
  g_assert_cmpuint (gb_job_queue_get_n_jobs (queue), ==, 2);
  gb_job_cancel (job);
  g_assert_true (wait_until (job_finished, &state));
  g_assert_true (state.cancelled);
  g_assert_true (wait_until (job_finished, &queued));
  g_assert_true (queued.success);
  g_assert_false (gb_job_queue_is_busy (queue));
}

static void
test_job_queue_shutdown (void)
{
  GbJobQueue *queue = gb_job_queue_new (2);
  JobState state = { 0 };

  gb_job_queue_push (queue, "block", blocking_worker, NULL, NULL, job_progress, job_done, &state);
  gb_job_queue_push (queue, "block", blocking_worker, NULL, NULL, job_progress, job_done, &state);
  /* Cancels and joins both workers; no callback may run afterwards. */
  gb_job_queue_shutdown (queue);
  g_assert_false (gb_job_queue_is_busy (queue));
  g_object_unref (queue);
  iterate_pending (200);
  g_assert_cmpuint (state.done, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/job-queue/run", test_job_queue_run);
  g_test_add_func ("/ui/job-queue/cancel", test_job_queue_cancel);
  g_test_add_func ("/ui/job-queue/shutdown", test_job_queue_shutdown);
  g_test_add_func ("/ui/chart-view/draw", test_chart_view);
  g_test_add_func ("/ui/window/pages", test_window_pages);
  g_test_add_func ("/ui/window/load-example", test_window_load_example);
  g_test_add_func ("/ui/window/roles", test_window_roles);
  g_test_add_func ("/ui/window/bad-csv", test_window_bad_csv);
  g_test_add_func ("/ui/window/run-audit", test_window_run_audit);
  g_test_add_func ("/ui/window/cancel", test_window_cancel);
  g_test_add_func ("/ui/window/close-while-busy", test_window_close_while_busy);
  g_test_add_func ("/ui/application/command-line", test_command_line);

  return g_test_run ();
}
