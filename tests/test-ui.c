/* test-ui.c — the GTK application under Xvfb: the window, its three panes,
 * loading a CSV on the job queue, editing roles, running the audit and
 * exporting, cancelling, closing while busy, and the job queue itself.
 *
 * Waits iterate the main loop with a bound on iterations (a 10 ms ticker
 * keeps the loop turning), never on wall-clock time. */
#include "gb-config.h"

#include <math.h>
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
#include "gb-row-model.h"
#include "gb-column-panel.h"
#include "gb-examples.h"
#include "gb-dataset-summary.h"
#include "gb-roles.h"

#include "gb-test-ui.h"

static GbWindow *
new_window (void)
{
  GbWindow *win = gb_window_new (NULL);
  gtk_window_present (GTK_WINDOW (win));
  return win;
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

  /* The Report pane has one chart per result: the ROC; the IG heatmap and
   * global bars; a beeswarm and a waterfall for the picked explainer; rate bars
   * and a disparate-impact chart per protected attribute, with its per-group
   * ROC and calibration curves and its gap decomposition; the forest plot, with
   * the love and overlap plots when the diagnostics exist. */
  expected = 1 + (r->integrated_gradients != NULL ? 2 : 0)
             + (r->explanations != NULL && r->explanations->len > 0 ? 2 : 0)
             /* "Methods Side by Side": a waterfall per method when several ran */
             + (r->explanations != NULL && r->explanations->len > 1 ? r->explanations->len : 0);
  /* the first method's dependence plot (Adult has numeric features), and
   * every method's deletion and insertion curves when faithfulness ran */
  if (r->explanations != NULL && r->explanations->len > 0)
    {
      const GbExplanation *e0 = g_ptr_array_index (r->explanations, 0);
      gboolean faithful = FALSE;
      for (guint k = 0; k < r->explanations->len; k++)
        faithful |= ((GbExplanation *) g_ptr_array_index (r->explanations, k))->deletion_curve != NULL;
      expected += (!e0->text && e0->unit_values != NULL) + 2 * faithful;
      g_assert_nonnull (gb_report_pane_get_dependence_chart (report_pane));
    }
  for (guint a = 0; r->fairness != NULL && a < r->fairness->len; a++)
    {
      const GbFairnessResult *f = g_ptr_array_index (r->fairness, a);
      g_assert_true (f->has_score);
      expected += 4 + (f->decomposition != NULL);
    }
  /* the accuracy-versus-disparity chart of the threshold mitigations */
  for (guint k = 0; r->fairness_mitigation != NULL && k < r->fairness_mitigation->len; k++)
    if (((GbFairnessMitigation *) g_ptr_array_index (r->fairness_mitigation, k))->n_tradeoff > 0)
      {
        expected++;
        break;
      }
  /* the proxy check */
  expected += r->fairness_proxies != NULL && r->fairness_proxies->len > 0;
  if (r->has_causal && r->estimates != NULL && r->estimates->len > 0)
    expected += 1 + (r->causal != NULL && r->causal->balance != NULL && r->causal->balance->len > 0)
                  + (r->causal != NULL && r->causal->propensity != NULL && r->causal->n_all > 0);
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


/* ---- the Dataset pane ----------------------------------------------------- */

/* With GB_UI_SCREENSHOTS=DIR, saves what @widget shows as DIR/@name.png, so a
 * person can look at the states the tests reach. */
static void
save_screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("GB_UI_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  int width, height;

  if (dir == NULL)
    return;
  /* Let transitions (the stack's crossfade) finish: about a second of frames.
   * Only pictures depend on it, no assertion. */
  {
    guint ticker = g_timeout_add (10, tick, NULL);
    for (guint i = 0; i < 150; i++)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (ticker);
  }
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s/%s.png", dir, name);
  gdk_texture_save_to_png (texture, file);
  g_test_message ("screenshot %s", file);
}

/* A CSV of @n_rows rows: i (0, 1, ...), x (a scrambled permutation of
 * 0 .. n_rows − 1, every 97th missing) and g (one of four levels). */
static char *
write_big_csv (const char *dir, guint n_rows)
{
  char *path = g_build_filename (dir, "big.csv", NULL);
  GString *csv = g_string_sized_new ((gsize) n_rows * 16);
  const char *levels[] = { "delta", "alpha", "charlie", "bravo" };

  g_string_append (csv, "i,x,g\n");
  for (guint i = 0; i < n_rows; i++)
    {
      if (i % 97 == 5)
        g_string_append_printf (csv, "%u,,%s\n", i, levels[i % 4]);
      else
        g_string_append_printf (csv, "%u,%u,%s\n", i, (guint) (((guint64) i * 7919) % n_rows),
                                levels[i % 4]);
    }
  g_assert_true (g_file_set_contents (path, csv->str, (gssize) csv->len, NULL));
  g_string_free (csv, TRUE);
  return path;
}

static double
cell_value (GbDataset *ds, guint column, GListModel *rows, guint position)
{
  g_autoptr(GbRowItem) item = g_list_model_get_item (rows, position);
  return gb_dataset_get_column (ds, column)->numeric[gb_row_item_get_row (item)];
}

static gboolean
pane_not_sorting (gpointer data)
{
  return !gb_dataset_pane_is_sorting (GB_DATASET_PANE (data));
}

static void
test_dataset_lazy_rows (void)
{
  const guint n = 1000000;
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *path = write_big_csv (dir, n);
  GbWindow *win = open_and_wait (path, FALSE);
  GbDatasetPane *pane = gb_window_get_dataset_pane (win);
  GtkColumnView *view = gb_dataset_pane_get_column_view (pane);
  GListModel *rows = gb_dataset_pane_get_row_model (pane);
  GbDataset *ds = gb_window_get_dataset (win);
  guint64 created;
  double previous;

  g_assert_nonnull (ds);
  g_assert_cmpuint (gb_dataset_get_n_rows (ds), ==, n);
  g_assert_true (GB_IS_ROW_MODEL (rows));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n);
  iterate_pending (300);   /* lay out and draw the visible rows */

  /* Only the rows on screen (and a margin) were ever made. */
  created = gb_row_model_get_n_created (GB_ROW_MODEL (rows));
  g_test_message ("row items made for %u rows: %" G_GUINT64_FORMAT, n, created);
  g_assert_cmpuint (created, >, 0);
  g_assert_cmpuint (created, <, 2000);

  /* Sorting a million rows by x runs on the job queue... */
  {
    g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (gtk_column_view_get_columns (view), 1);
    gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
  }
  g_assert_true (gb_dataset_pane_is_sorting (pane));
  g_assert_true (wait_until (pane_not_sorting, pane));
  g_assert_true (wait_until (window_idle, win));
  iterate_pending (300);
  rows = gb_dataset_pane_get_row_model (pane);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n);
  /* The model still makes items on demand only (a sort never walks every row). */
  g_assert_cmpuint (gb_row_model_get_n_created (GB_ROW_MODEL (rows)), <, 2000);
  /* ...and the first rows hold the smallest values in order, missing cells last. */
  previous = -1;
  for (guint p = 0; p < 200; p++)
    {
      double v = cell_value (ds, 1, rows, p);
      g_assert_false (isnan (v));
      g_assert_cmpfloat (v, >=, previous);
      previous = v;
    }
  g_assert_cmpfloat (cell_value (ds, 1, rows, 0), ==, 0);
  g_assert_true (isnan (cell_value (ds, 1, rows, n - 1)));
  g_assert_cmpint (gb_dataset_pane_get_selected_column (pane), ==, 1);

  /* Descending: the largest first, missing still last. */
  gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
  g_assert_true (wait_until (window_idle, win));
  rows = gb_dataset_pane_get_row_model (pane);
  g_assert_cmpfloat (cell_value (ds, 0, rows, 0), ==, 0);   /* file order again */
  {
    g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (gtk_column_view_get_columns (view), 1);
    gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
  }
  g_assert_true (wait_until (pane_not_sorting, pane));
  g_assert_true (wait_until (window_idle, win));
  rows = gb_dataset_pane_get_row_model (pane);
  g_assert_cmpfloat (cell_value (ds, 1, rows, 0), ==, n - 1);
  g_assert_cmpfloat (cell_value (ds, 1, rows, 1), <, n - 1);

  destroy_window (win);
  g_unlink (path);
  g_rmdir (dir);
}

static int
column_index (GbDataset *ds, const char *name)
{
  int i = gb_dataset_find_column (ds, name);
  g_assert_cmpint (i, >=, 0);
  return i;
}

static void
test_dataset_sort (void)
{
  GbWindow *win = open_and_wait (NULL, TRUE);
  GbDatasetPane *pane = gb_window_get_dataset_pane (win);
  GtkColumnView *view = gb_dataset_pane_get_column_view (pane);
  GListModel *rows = gb_dataset_pane_get_row_model (pane);
  GbDataset *ds = gb_window_get_dataset (win);
  guint age = (guint) column_index (ds, "age");
  guint workclass = (guint) column_index (ds, "workclass");
  const GbColumn *wc = gb_dataset_get_column (ds, workclass);
  g_autoptr(GtkColumnViewColumn) age_column = g_list_model_get_item (gtk_column_view_get_columns (view), age);
  g_autoptr(GtkColumnViewColumn) wc_column = g_list_model_get_item (gtk_column_view_get_columns (view), workclass);
  gsize n = gb_dataset_get_n_rows (ds);
  double previous = 0;

  /* 32,561 rows sort at once, without the job queue. */
  gtk_column_view_sort_by_column (view, age_column, GTK_SORT_ASCENDING);
  g_assert_false (gb_dataset_pane_is_sorting (pane));
  rows = gb_dataset_pane_get_row_model (pane);
  for (guint p = 0; p < 500; p++)
    {
      double v = cell_value (ds, age, rows, p);
      g_assert_cmpfloat (v, >=, previous);
      previous = v;
    }
  g_assert_cmpfloat (cell_value (ds, age, rows, 0), ==, 17);    /* the youngest in Adult */
  g_assert_cmpint (gb_dataset_pane_get_selected_column (pane), ==, (int) age);

  gtk_column_view_sort_by_column (view, age_column, GTK_SORT_DESCENDING);
  rows = gb_dataset_pane_get_row_model (pane);
  g_assert_cmpfloat (cell_value (ds, age, rows, 0), ==, 90);
  save_screenshot (GTK_WIDGET (win), "sorted-age-descending");

  /* A categorical column sorts by its level text; the 1,836 missing come last. */
  gtk_column_view_sort_by_column (view, wc_column, GTK_SORT_ASCENDING);
  rows = gb_dataset_pane_get_row_model (pane);
  {
    g_autoptr(GbRowItem) first = g_list_model_get_item (rows, 0);
    g_autoptr(GbRowItem) last = g_list_model_get_item (rows, (guint) n - 1);
    g_autoptr(GbRowItem) before = g_list_model_get_item (rows, (guint) (n - wc->n_missing - 1));
    g_assert_cmpint (wc->codes[gb_row_item_get_row (first)], ==, 0);
    g_assert_cmpstr (g_ptr_array_index (wc->levels, 0), ==, "Federal-gov");
    g_assert_cmpint (wc->codes[gb_row_item_get_row (last)], ==, -1);
    g_assert_cmpint (wc->codes[gb_row_item_get_row (before)], ==, (int) wc->levels->len - 1);
  }
  iterate_pending (100);
  destroy_window (win);
}

/* The number a figure row shows ("32,561", "38.5816", "1,836 (5.6 %)"). */
static double
shown_number (GbColumnPanel *panel, const char *key)
{
  const char *text = gb_column_panel_get_value_text (panel, key);
  GString *digits = g_string_new (NULL);
  double v;

  g_assert_nonnull (text);
  for (const char *p = text; *p != '\0' && *p != ' '; p++)
    if (*p != ',' && *p != '\'')
      g_string_append_c (digits, *p);
  v = g_ascii_strtod (digits->str, NULL);
  g_string_free (digits, TRUE);
  return v;
}

static void
assert_shown_close (GbColumnPanel *panel, const char *key, double expected)
{
  double shown = shown_number (panel, key);
  /* Six significant digits on screen. */
  g_assert_cmpfloat (fabs (shown - expected), <=, 1e-5 * MAX (1, fabs (expected)));
}

/* A visible cell (GtkInscription) of dataset column @column in the table. */
static GtkWidget *
find_cell (GtkWidget *widget, guint column)
{
  if (GTK_IS_INSCRIPTION (widget) && gtk_widget_get_mapped (widget)
      && g_object_get_data (G_OBJECT (widget), "gb-column") == GUINT_TO_POINTER (column)
      && gtk_widget_get_width (widget) > 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_cell (c, column);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_dataset_summary (void)
{
  GbWindow *win = open_and_wait (NULL, TRUE);
  GbDatasetPane *pane = gb_window_get_dataset_pane (win);
  GbColumnPanel *panel = gb_dataset_pane_get_column_panel (pane);
  GbDataset *ds = gb_window_get_dataset (win);
  guint age = (guint) column_index (ds, "age");
  guint race = (guint) column_index (ds, "race");
  guint workclass = (guint) column_index (ds, "workclass");
  g_autoptr(GbColumnSummary) expected = NULL;

  /* The target is shown first. */
  g_assert_cmpint (gb_dataset_pane_get_selected_column (pane), ==,
                   column_index (ds, "income-per-year"));

  gb_dataset_pane_select_column (pane, age);
  expected = gb_dataset_summarize_column (ds, age, 10);
  g_assert_cmpstr (gb_column_panel_get_summary (panel)->name, ==, "age");
  g_assert_cmpfloat (shown_number (panel, "count"), ==, expected->count);
  g_assert_cmpfloat (shown_number (panel, "missing"), ==, 0);
  g_assert_cmpfloat (shown_number (panel, "distinct"), ==, expected->distinct);
  assert_shown_close (panel, "min", expected->min);
  assert_shown_close (panel, "q1", expected->q1);
  assert_shown_close (panel, "median", expected->median);
  assert_shown_close (panel, "q3", expected->q3);
  assert_shown_close (panel, "max", expected->max);
  assert_shown_close (panel, "mean", expected->mean);
  assert_shown_close (panel, "sd", expected->sd);
  g_assert_null (gb_column_panel_get_value_text (panel, "top0"));
  g_assert_cmpfloat (expected->min, ==, 17);
  g_assert_cmpfloat (expected->max, ==, 90);
  save_screenshot (GTK_WIDGET (win), "summary-age");
  g_clear_pointer (&expected, gb_column_summary_free);

  /* A categorical column: the top values with their counts (PROVENANCE.md's). */
  gb_dataset_pane_select_column (pane, race);
  g_assert_null (gb_column_panel_get_value_text (panel, "mean"));
  g_assert_cmpfloat (shown_number (panel, "top0"), ==, 27816);   /* White */
  g_assert_cmpfloat (shown_number (panel, "top1"), ==, 3124);    /* Black */
  g_assert_cmpfloat (shown_number (panel, "distinct"), ==, 5);

  gb_dataset_pane_select_column (pane, workclass);
  g_assert_cmpfloat (shown_number (panel, "missing"), ==, 1836);
  iterate_pending (100);

  /* A press on a cell of the table shows that cell's column. */
  {
    GtkWidget *view = GTK_WIDGET (gb_dataset_pane_get_column_view (pane));
    guint education = (guint) column_index (ds, "education");
    GtkWidget *cell = find_cell (view, education);
    GtkGesture *click = NULL;
    graphene_point_t p;
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);

    g_assert_nonnull (cell);
    g_assert_true (gtk_widget_compute_point (cell, view,
                                             &GRAPHENE_POINT_INIT (gtk_widget_get_width (cell) / 2.0,
                                                                   gtk_widget_get_height (cell) / 2.0),
                                             &p));
    for (guint i = 0; i < g_list_model_get_n_items (controllers) && click == NULL; i++)
      {
        g_autoptr(GObject) c = g_list_model_get_item (controllers, i);
        if (GTK_IS_GESTURE_CLICK (c))
          click = GTK_GESTURE (c);
      }
    g_assert_nonnull (click);
    g_signal_emit_by_name (click, "pressed", 1, (double) p.x, (double) p.y);
    g_assert_cmpint (gb_dataset_pane_get_selected_column (pane), ==, (int) education);
    g_assert_cmpstr (gb_column_panel_get_summary (panel)->name, ==, "education");
  }

  /* The type icon in each header. */
  g_assert_cmpstr (gb_dataset_pane_get_header_icon (pane, age), ==, "gb-type-numeric-symbolic");
  g_assert_cmpstr (gb_dataset_pane_get_header_icon (pane, race), ==, "gb-type-categorical-symbolic");
  {
    GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
    g_assert_true (gtk_icon_theme_has_icon (theme, "gb-type-numeric-symbolic"));
    g_assert_true (gtk_icon_theme_has_icon (theme, "gb-type-date-symbolic"));
  }

  destroy_window (win);
}

static gboolean
strings_contain (GPtrArray *strings, const char *s)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (strings, i), s) == 0)
      return TRUE;
  return FALSE;
}

static void
test_dataset_role_messages (void)
{
  GbWindow *win = open_and_wait (NULL, TRUE);
  GbDatasetPane *pane = gb_window_get_dataset_pane (win);
  GbDataset *ds = gb_window_get_dataset (win);
  g_autoptr(GPtrArray) engine = NULL;
  g_autoptr(GPtrArray) shown = NULL;

  /* The example's roles are fine: no error shown. */
  shown = gb_dataset_pane_get_messages (pane, FALSE);
  for (guint i = 0; i < shown->len; i++)
    g_test_message ("example: %s", (char *) g_ptr_array_index (shown, i));
  g_clear_pointer (&shown, g_ptr_array_unref);

  /* workclass as the target: 8 values, no positive class. */
  gb_dataset_pane_set_role (pane, "workclass", GB_ROLE_TARGET);
  engine = gb_role_validate (ds, GB_COLUMN_ROLE_TARGET, "workclass", NULL);
  g_assert_cmpuint (engine->len, >, 0);
  shown = gb_dataset_pane_get_messages (pane, FALSE);
  for (guint i = 0; i < engine->len; i++)
    {
      GbRoleMessage *msg = g_ptr_array_index (engine, i);
      g_test_message ("engine: %s", msg->message);
      g_assert_true (strings_contain (shown, msg->message));
    }
  g_assert_nonnull (strstr (((GbRoleMessage *) g_ptr_array_index (engine, 0))->message,
                            "positive class"));
  g_clear_pointer (&shown, g_ptr_array_unref);

  /* Selecting the column shows the same messages next to its role. */
  gb_dataset_pane_select_column (pane, (guint) column_index (ds, "workclass"));
  shown = gb_dataset_pane_get_messages (pane, TRUE);
  g_assert_true (strings_contain (shown, ((GbRoleMessage *) g_ptr_array_index (engine, 0))->message));
  g_clear_pointer (&shown, g_ptr_array_unref);
  save_screenshot (GTK_WIDGET (win), "role-message-workclass");

  /* Choosing the positive value (one of the target's values, offered on the
   * positive-value row) answers it. */
  {
    GMenuModel *choices = gb_dataset_pane_get_positive_choices (pane);
    GbAuditSettings *s = gb_audit_get_settings (gb_window_get_draft (win));
    g_autoptr(GPtrArray) after = NULL;
    g_autoptr(GVariant) target = NULL;

    g_assert_cmpint (g_menu_model_get_n_items (choices), ==,
                     (int) gb_dataset_get_column (ds, (guint) column_index (ds, "workclass"))->levels->len);
    target = g_menu_model_get_item_attribute_value (choices, 3, G_MENU_ATTRIBUTE_TARGET,
                                                    G_VARIANT_TYPE_STRING);
    g_assert_nonnull (target);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "pane.set-positive", "s",
                                               "Private"));
    g_assert_cmpstr (s->positive, ==, "Private");
    after = gb_role_validate (ds, GB_COLUMN_ROLE_TARGET, "workclass", "Private");
    shown = gb_dataset_pane_get_messages (pane, TRUE);
    g_assert_false (strings_contain (shown, ((GbRoleMessage *) g_ptr_array_index (engine, 0))->message));
    for (guint i = 0; i < after->len; i++)
      g_assert_true (strings_contain (shown, ((GbRoleMessage *) g_ptr_array_index (after, i))->message));
  }

  /* A numeric target offers no values. */
  gb_dataset_pane_set_role (pane, "age", GB_ROLE_TARGET);
  g_assert_cmpint (g_menu_model_get_n_items (gb_dataset_pane_get_positive_choices (pane)), ==, 0);

  destroy_window (win);
}

/* ---- opening files: drops, recent files, examples, settings, projects ----- */

static void
test_window_drop (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *slice = write_adult_slice (dir, 400);
  g_autoptr(GFile) file = g_file_new_for_path (slice);
  GSList *files = g_slist_prepend (NULL, file);
  GbWindow *win = new_window ();

  g_assert_true (gb_window_drop_files (win, files));
  g_assert_true (gb_window_is_busy (win));
  g_assert_true (wait_until (window_idle, win));
  g_assert_nonnull (gb_window_get_dataset (win));
  g_assert_cmpuint (gb_dataset_get_n_rows (gb_window_get_dataset (win)), ==, 400);
  g_assert_cmpstr (gb_dataset_get_path (gb_window_get_dataset (win)), ==, slice);

  /* The file is now a recent file of Glassbox's, in the menu and on the start page. */
  {
    GtkRecentManager *recent = gtk_recent_manager_get_default ();
    g_autofree char *uri = g_file_get_uri (file);
    GtkRecentInfo *info;
    GbDatasetPane *pane = gb_window_get_dataset_pane (win);

    g_assert_true (gtk_recent_manager_has_item (recent, uri));
    info = gtk_recent_manager_lookup_item (recent, uri, NULL);
    g_assert_nonnull (info);
    g_assert_true (gtk_recent_info_has_application (info, GB_RECENT_APP_NAME));
    g_assert_cmpstr (gtk_recent_info_get_mime_type (info), ==, "text/csv");
    gtk_recent_info_unref (info);
    gb_dataset_pane_show_start (pane);
    g_assert_cmpuint (gb_dataset_pane_get_n_recent_rows (pane), >=, 1);
  }

  /* The folder is remembered for the next file dialog. */
  if (gb_window_get_settings (win) != NULL)
    {
      g_autofree char *folder = g_settings_get_string (gb_window_get_settings (win), "last-folder");
      g_assert_cmpstr (folder, ==, dir);
    }

  /* A drop that is no local file is refused with a message. */
  {
    g_autoptr(GFile) remote = g_file_new_for_uri ("https://example.org/data.csv");
    GSList *remote_files = g_slist_prepend (NULL, remote);
    g_assert_false (gb_window_drop_files (win, remote_files));
    g_assert_nonnull (strstr (gb_window_get_last_error (win), "local"));
    g_slist_free (remote_files);
  }

  destroy_window (win);
  g_slist_free (files);
  g_unlink (slice);
  g_rmdir (dir);
}

static void
test_window_settings (void)
{
  g_autoptr(GSettings) settings = gb_window_settings_new ();
  GbWindow *win;
  int width = 0, height = 0;

  /* The tests point GSETTINGS_SCHEMA_DIR at the build's compiled schema. */
  g_assert_nonnull (settings);
  g_settings_set_int (settings, "window-width", 1000);
  g_settings_set_int (settings, "window-height", 700);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  /* A new window opens at the remembered size... */
  win = gb_window_new (NULL);
  gtk_window_get_default_size (GTK_WINDOW (win), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);

  /* ...and closing it remembers the size it has then. */
  gtk_window_set_default_size (GTK_WINDOW (win), 900, 640);
  gtk_window_present (GTK_WINDOW (win));
  iterate_pending (200);
  {
    GbWindow *weak = win;
    g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &weak);
    gtk_window_close (GTK_WINDOW (win));
    iterate_pending (1000);
    g_assert_null (weak);
  }
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static void
test_window_examples (void)
{
  g_autoptr(GPtrArray) examples = gb_examples_list ();
  GbWindow *win = new_window ();
  GbDatasetPane *pane = gb_window_get_dataset_pane (win);
  GbAuditSettings *s;
  g_autoptr(GError) error = NULL;
  gboolean has_lalonde = FALSE;

  /* Every bundled example is offered, Adult first. */
  g_assert_cmpuint (examples->len, >=, 2);
  g_assert_cmpstr (((GbExample *) g_ptr_array_index (examples, 0))->id, ==, "adult");
  g_assert_cmpuint (gb_dataset_pane_get_n_example_rows (pane), ==, examples->len);
  for (guint i = 0; i < examples->len; i++)
    {
      GbExample *ex = g_ptr_array_index (examples, i);
      g_assert_true (g_file_test (ex->csv_path, G_FILE_TEST_IS_REGULAR));
      has_lalonde |= g_strcmp0 (ex->id, "lalonde") == 0;
    }
  g_assert_true (has_lalonde);

  /* NSW (LaLonde): a causal-only audit, no target. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.open-example-named", "s", "lalonde");
  g_assert_true (wait_until (window_idle, win));
  g_assert_null (gb_window_get_last_error (win));
  g_assert_cmpuint (gb_dataset_get_n_rows (gb_window_get_dataset (win)), ==, 445);
  s = gb_audit_get_settings (gb_window_get_draft (win));
  g_assert_null (s->target);
  g_assert_cmpstr (s->treatment, ==, "treat");
  g_assert_cmpstr (s->outcome, ==, "re78");
  g_assert_true (g_strv_contains ((const char *const *) s->covariates, "re75"));
  g_assert_true (gb_audit_validate (gb_window_get_draft (win), gb_window_get_dataset (win), &error));
  g_assert_no_error (error);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "treat"), ==, GB_ROLE_TREATMENT);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "re78"), ==, GB_ROLE_OUTCOME);
  save_screenshot (GTK_WIDGET (win), "example-lalonde");

  /* The causal-only audit runs: causal estimates, no model. */
  gb_window_run_audit (win);
  g_assert_null (gb_window_get_last_error (win));
  g_assert_true (wait_until (window_idle, win));
  if (gb_window_get_last_error (win) != NULL)
    g_test_message ("lalonde: %s", gb_window_get_last_error (win));
  g_assert_null (gb_window_get_last_error (win));
  g_assert_nonnull (gb_window_get_audit (win));
  {
    const GbAuditResults *r = gb_audit_get_results (gb_window_get_audit (win));
    g_assert_false (r->has_model);
    g_assert_true (r->has_causal);
    g_assert_cmpuint (r->n_treated, ==, 185);
    g_assert_cmpuint (r->n_control, ==, 260);
  }
  gb_window_set_page (win, "model");
  iterate_pending (100);
  gb_window_set_page (win, "report");
  iterate_pending (100);
  save_screenshot (GTK_WIDGET (win), "example-lalonde-report");
  /* Examples are not recent files of the person's. */
  {
    g_autofree char *uri = g_filename_to_uri (gb_dataset_get_path (gb_window_get_dataset (win)), NULL, NULL);
    GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
    for (GList *l = items; l != NULL; l = l->next)
      g_assert_cmpstr (gtk_recent_info_get_uri (l->data), !=, uri);
    g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  }

  destroy_window (win);
}

/* The default target of a file without roles: a 0/1 label is chosen, not
 * a two-level protected attribute before it (a tester's file: a, b, sex, y
 * opened with Target on "sex"); a column named "label" wins anywhere. */
static void
test_window_default_target (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "plain.csv", NULL);
  g_autofree char *path2 = g_build_filename (dir, "named.csv", NULL);
  GString *csv = g_string_new ("a,b,sex,y\n");
  GString *csv2 = g_string_new ("label,score,sex,notes\n");
  GbWindow *win;

  for (guint i = 0; i < 80; i++)
    {
      g_string_append_printf (csv, "%u,%u,%s,%u\n", (i * 17) % 53, 3 + i % 9,
                              i % 3 ? "Female" : "Male", (i * 7) % 5 < 2);
      g_string_append_printf (csv2, "%s,%u,%s,note %u\n", i % 4 ? "ok" : "bad", (i * 13) % 41,
                              i % 2 ? "Female" : "Male", i % 3);
    }
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  g_assert_true (g_file_set_contents (path2, csv2->str, -1, NULL));
  g_string_free (csv, TRUE);
  g_string_free (csv2, TRUE);

  win = open_and_wait (path, FALSE);
  g_assert_cmpint (gb_dataset_get_column (gb_window_get_dataset (win), 3)->type, ==,
                   GB_COLUMN_NUMERIC);
  g_assert_cmpstr (gb_audit_get_settings (gb_window_get_draft (win))->target, ==, "y");
  destroy_window (win);
  win = open_and_wait (path2, FALSE);
  g_assert_cmpstr (gb_audit_get_settings (gb_window_get_draft (win))->target, ==, "label");
  destroy_window (win);
  g_unlink (path);
  g_unlink (path2);
  g_rmdir (dir);
}

static void
test_window_identifier (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ids.csv", NULL);
  GString *csv = g_string_new ("id,height,group,outcome\n");
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  GbWindow *win;
  GbDatasetPane *pane;
  GbAuditSettings *s;

  for (guint i = 0; i < 60; i++)
    g_string_append_printf (csv, "%u,%u,%s,%s\n", 1000 + i * 7, 150 + (i * 13) % 40,
                            i % 3 == 0 ? "a" : "b", i % 2 ? "yes" : "no");
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  g_string_free (csv, TRUE);

  win = open_and_wait (path, FALSE);
  pane = gb_window_get_dataset_pane (win);
  s = gb_audit_get_settings (gb_window_get_draft (win));

  /* id looks like an identifier: not a feature, and the pane says why. */
  g_assert_cmpint (gb_column_default_role (gb_window_get_dataset (win), 0), ==,
                   GB_COLUMN_ROLE_IDENTIFIER);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "id"), ==, GB_ROLE_IDENTIFIER);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "height"), ==, GB_ROLE_FEATURE);
  g_assert_cmpstr (s->target, ==, "outcome");
  g_assert_false (g_strv_contains ((const char *const *) s->features, "id"));
  g_assert_true (g_strv_contains ((const char *const *) s->features, "group"));
  expected = gb_role_validate (gb_window_get_dataset (win), GB_COLUMN_ROLE_FEATURE, "id", NULL);
  g_assert_cmpuint (expected->len, >, 0);
  g_assert_nonnull (strstr (((GbRoleMessage *) g_ptr_array_index (expected, 0))->message, "identifier"));
  gb_dataset_pane_select_column (pane, 0);
  shown = gb_dataset_pane_get_messages (pane, TRUE);
  g_assert_true (strings_contain (shown, ((GbRoleMessage *) g_ptr_array_index (expected, 0))->message));

  /* Identifier and Ignore are both left out of the features; each shows as chosen. */
  gb_dataset_pane_set_role (pane, "id", GB_ROLE_IGNORE);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "id"), ==, GB_ROLE_IGNORE);
  g_assert_false (g_strv_contains ((const char *const *) s->features, "id"));
  gb_dataset_pane_set_role (pane, "height", GB_ROLE_IDENTIFIER);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "height"), ==, GB_ROLE_IDENTIFIER);
  g_assert_false (g_strv_contains ((const char *const *) s->features, "height"));
  gb_dataset_pane_set_role (pane, "height", GB_ROLE_FEATURE);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "height"), ==, GB_ROLE_FEATURE);
  g_assert_true (g_strv_contains ((const char *const *) s->features, "height"));
  gb_dataset_pane_set_role (pane, "id", GB_ROLE_IDENTIFIER);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "id"), ==, GB_ROLE_IDENTIFIER);
  g_assert_false (g_strv_contains ((const char *const *) s->features, "id"));

  destroy_window (win);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_window_text_role (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "notes.csv", NULL);
  GString *csv = g_string_new ("note,remark,score,group,label\n");
  static const char *words[] = { "the", "patient", "reported", "a", "mild", "headache",
                                 "after", "lunch", "and", "slept", "well", "today" };
  GbWindow *win;
  GbDatasetPane *pane;
  GbAuditSettings *s;

  for (guint i = 0; i < 80; i++)
    {
      g_string_append (csv, "\"");
      for (guint w = 0; w < 14; w++)
        g_string_append_printf (csv, "%s%s", w ? " " : "", words[(i * 7 + w * 5 + w * w) % G_N_ELEMENTS (words)]);
      g_string_append_printf (csv, " %u\",\"", i);
      for (guint w = 0; w < 12; w++)
        g_string_append_printf (csv, "%s%s", w ? " " : "", words[(i * 3 + w * 11) % G_N_ELEMENTS (words)]);
      g_string_append_printf (csv, " %u\",%u,%s,%s\n", i, (i * 13) % 40,
                              i % 3 == 0 ? "a" : "b", i % 2 ? "yes" : "no");
    }
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  g_string_free (csv, TRUE);

  win = open_and_wait (path, FALSE);
  pane = gb_window_get_dataset_pane (win);
  s = gb_audit_get_settings (gb_window_get_draft (win));
  g_assert_cmpint (gb_dataset_get_column (gb_window_get_dataset (win), 0)->type, ==, GB_COLUMN_TEXT);
  g_assert_cmpint (gb_dataset_get_column (gb_window_get_dataset (win), 1)->type, ==, GB_COLUMN_TEXT);
  g_assert_null (s->text_column);

  /* Text on a text column sets the audit's text column (and its training
   * defaults); the other columns stay features: a text+features model. */
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "score"), ==, GB_ROLE_FEATURE);
  gb_dataset_pane_set_role (pane, "note", GB_ROLE_TEXT);
  g_assert_cmpstr (s->text_column, ==, "note");
  g_assert_cmpuint (s->model.max_length, ==, 64);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "note"), ==, GB_ROLE_TEXT);
  g_assert_nonnull (s->features);
  g_assert_false (g_strv_contains ((const char *const *) s->features, "note"));
  g_assert_true (g_strv_contains ((const char *const *) s->features, "score"));
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "score"), ==, GB_ROLE_FEATURE);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "group"), ==, GB_ROLE_FEATURE);

  /* At most one text column: choosing Text on another moves it. */
  gb_dataset_pane_set_role (pane, "remark", GB_ROLE_TEXT);
  g_assert_cmpstr (s->text_column, ==, "remark");
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "remark"), ==, GB_ROLE_TEXT);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "note"), !=, GB_ROLE_TEXT);

  /* Another role clears it. */
  gb_dataset_pane_set_role (pane, "remark", GB_ROLE_IGNORE);
  g_assert_null (s->text_column);
  g_assert_cmpint (gb_dataset_pane_get_role (pane, "remark"), ==, GB_ROLE_IGNORE);
  g_assert_false (g_strv_contains ((const char *const *) s->features, "remark"));
  gb_dataset_pane_set_role (pane, "note", GB_ROLE_TEXT);
  g_assert_cmpstr (s->text_column, ==, "note");
  gb_dataset_pane_set_role (pane, "note", GB_ROLE_TARGET);
  g_assert_null (s->text_column);
  g_assert_cmpstr (s->target, ==, "note");

  /* Every role has a display name. */
  g_assert_cmpstr (gb_role_to_string (GB_ROLE_TEXT), ==, "Text");
  g_assert_cmpstr (gb_role_to_string (GB_ROLE_IDENTIFIER), ==, "Identifier");
  for (guint r = 0; r < GB_N_ROLES; r++)
    g_assert_cmpstr (gb_role_to_string (r), !=, "");

  destroy_window (win);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_window_notices (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dup.csv", NULL);
  GbWindow *win;
  const char *text;

  /* A repeated header name is renamed, with a notice in the banner. */
  g_assert_true (g_file_set_contents (path, "score,score,group\n1,2,a\n3,4,b\n5,6,a\n", -1, NULL));
  win = open_and_wait (path, FALSE);
  g_assert_nonnull (gb_window_get_dataset (win));
  g_assert_cmpuint (gb_dataset_get_notices (gb_window_get_dataset (win))->len, >, 0);
  text = gb_dataset_pane_get_notices_text (gb_window_get_dataset_pane (win));
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, g_ptr_array_index (gb_dataset_get_notices (gb_window_get_dataset (win)), 0)));
  g_assert_nonnull (strstr (text, "score_2"));
  destroy_window (win);

  /* A clean file shows no banner. */
  g_assert_true (g_file_set_contents (path, "a,b\n1,x\n2,y\n", -1, NULL));
  win = open_and_wait (path, FALSE);
  g_assert_null (gb_dataset_pane_get_notices_text (gb_window_get_dataset_pane (win)));
  destroy_window (win);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_window_column_type (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *slice = write_adult_slice (dir, 300);
  GbWindow *win = open_and_wait (slice, FALSE);
  GbDatasetPane *pane = gb_window_get_dataset_pane (win);
  GbDataset *ds;
  const GbColumn *col;

  gb_window_apply_example_roles (win);
  col = gb_dataset_get_column (gb_window_get_dataset (win),
                               (guint) column_index (gb_window_get_dataset (win), "education-num"));
  g_assert_cmpint (col->logical_type, ==, GB_COLUMN_NUMERIC);

  /* Read As: Categorical reads the file again with the override, roles kept. */
  gb_dataset_pane_select_column (pane, (guint) column_index (gb_window_get_dataset (win), "education-num"));
  g_assert_cmpuint (adw_combo_row_get_selected (gb_dataset_pane_get_column_type_row (pane)), ==, 0);
  adw_combo_row_set_selected (gb_dataset_pane_get_column_type_row (pane), 1 + GB_COLUMN_CATEGORICAL);
  g_assert_true (gb_window_is_busy (win));
  g_assert_true (wait_until (window_idle, win));
  ds = gb_window_get_dataset (win);
  col = gb_dataset_get_column (ds, (guint) column_index (ds, "education-num"));
  g_assert_cmpint (col->type, ==, GB_COLUMN_CATEGORICAL);
  g_assert_true (col->type_forced);
  g_assert_cmpstr (gb_window_get_read_options (win)->column_types[0], ==, "education-num=categorical");
  g_assert_cmpstr (gb_audit_get_settings (gb_window_get_draft (win))->target, ==, "income-per-year");

  /* Detected again. */
  g_signal_emit_by_name (pane, "column-type-changed", "education-num", NULL);
  g_assert_true (wait_until (window_idle, win));
  ds = gb_window_get_dataset (win);
  g_assert_cmpint (gb_dataset_get_column (ds, (guint) column_index (ds, "education-num"))->type, ==,
                   GB_COLUMN_NUMERIC);
  g_assert_null (gb_window_get_read_options (win)->column_types);

  destroy_window (win);
  g_unlink (slice);
  g_rmdir (dir);
}

static GtkWindow *
find_transient (GbWindow *win)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
      if (gtk_window_get_transient_for (w) == GTK_WINDOW (win))
        found = w;
    }
  return found;
}

static void
test_window_read_options (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "latin.csv", NULL);
  /* "Zürich" and "Genève" in ISO-8859-1, semicolon separated. */
  const char latin[] = "name;city\nAnna;Z\xfcrich\nBen;Gen\xe8ve\nCleo;Z\xfcrich\n";
  GbWindow *win;
  GtkWindow *options;
  GbDataset *ds;

  g_assert_true (g_file_set_contents (path, latin, sizeof latin - 1, NULL));
  win = open_and_wait (path, FALSE);
  ds = gb_window_get_dataset (win);
  g_assert_nonnull (ds);
  g_assert_cmpuint (gb_dataset_get_n_columns (ds), ==, 2);
  /* Detected, with a notice: not UTF-8, read as Windows-1252. */
  g_assert_nonnull (gb_dataset_pane_get_notices_text (gb_window_get_dataset_pane (win)));

  /* Reading Options: encoding ISO-8859-1 said explicitly; Reload. */
  gb_window_show_read_options (win);
  options = find_transient (win);
  g_assert_nonnull (options);
  g_assert_cmpstr (gtk_window_get_title (options), ==, "Reading Options");
  save_screenshot (GTK_WIDGET (options), "reading-options");
  adw_combo_row_set_selected (g_object_get_data (G_OBJECT (options), "encoding"), 3);
  adw_combo_row_set_selected (g_object_get_data (G_OBJECT (options), "header"), 1);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (options), "na-values"), "-, n/a");
  g_signal_emit_by_name (g_object_get_data (G_OBJECT (options), "reload"), "clicked");
  iterate_pending (50);
  g_assert_null (find_transient (win));
  g_assert_true (wait_until (window_idle, win));

  ds = gb_window_get_dataset (win);
  g_assert_cmpstr (gb_window_get_read_options (win)->encoding, ==, "ISO-8859-1");
  g_assert_cmpint (gb_window_get_read_options (win)->header, ==, GB_HEADER_PRESENT);
  g_assert_cmpstr (gb_window_get_read_options (win)->na_values[0], ==, "-");
  g_assert_cmpstr (gb_window_get_read_options (win)->na_values[1], ==, "n/a");
  g_assert_cmpstr (gb_dataset_get_options (ds)->encoding, ==, "ISO-8859-1");
  {
    g_autofree char *cell = gb_dataset_format_cell (ds, 1, 1);
    g_assert_cmpstr (cell, ==, "Genève");
  }
  /* Said, not guessed: no fallback notice any more. */
  g_assert_null (gb_dataset_pane_get_notices_text (gb_window_get_dataset_pane (win)));

  destroy_window (win);
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
has_changed_dialog (gpointer data)
{
  return gb_window_get_changed_dialog (GB_WINDOW (data)) != NULL;
}

static void
test_window_project (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-XXXXXX", NULL);
  g_autofree char *slice = write_adult_slice (dir, 300);
  g_autofree char *project = g_build_filename (dir, "audit.glassbox", NULL);
  g_autoptr(GError) error = NULL;
  GbWindow *win = open_and_wait (slice, FALSE);
  GbAuditSettings *s;

  /* Save the example's roles with one more protected attribute removed. */
  gb_window_apply_example_roles (win);
  gb_dataset_pane_set_role (gb_window_get_dataset_pane (win), "race", GB_ROLE_FEATURE);
  g_assert_true (gb_window_save_project (win, project, &error));
  g_assert_no_error (error);
  destroy_window (win);

  /* Open it in a new window: the same file and roles. */
  win = new_window ();
  gb_window_open_project (win, project);
  g_assert_true (wait_until (window_idle, win));
  g_assert_null (gb_window_get_last_error (win));
  g_assert_cmpstr (gb_dataset_get_path (gb_window_get_dataset (win)), ==, slice);
  s = gb_audit_get_settings (gb_window_get_draft (win));
  g_assert_cmpstr (s->target, ==, "income-per-year");
  g_assert_cmpstr (s->positive, ==, ">50K");
  g_assert_true (g_strv_contains ((const char *const *) s->protected_attributes, "sex"));
  g_assert_false (g_strv_contains ((const char *const *) s->protected_attributes, "race"));
  g_assert_cmpint (gb_dataset_pane_get_role (gb_window_get_dataset_pane (win), "race"), ==,
                   GB_ROLE_FEATURE);
  destroy_window (win);

  /* The CSV changes: reported in a dialog, opened only when the person says so. */
  {
    g_autofree char *contents = NULL;
    g_assert_true (g_file_get_contents (slice, &contents, NULL, NULL));
    g_autofree char *more = g_strconcat (contents, "50,Private,1000,HS-grad,9,Divorced,Sales,Unmarried,White,Female,0,0,40,United-States,<=50K\n", NULL);
    g_assert_true (g_file_set_contents (slice, more, -1, NULL));
  }
  win = new_window ();
  gb_window_open_project (win, project);
  g_assert_true (has_changed_dialog (win));
  save_screenshot (GTK_WIDGET (gb_window_get_changed_dialog (win)), "project-changed-dialog");
  g_assert_false (gb_window_is_busy (win));
  g_assert_null (gb_window_get_dataset (win));
  g_assert_nonnull (strstr (gb_window_get_last_error (win), "changed"));
  adw_message_dialog_response (gb_window_get_changed_dialog (win), "open");
  g_assert_true (wait_until (window_idle, win));
  g_assert_nonnull (gb_window_get_dataset (win));
  g_assert_cmpuint (gb_dataset_get_n_rows (gb_window_get_dataset (win)), ==, 301);
  g_assert_cmpstr (gb_audit_get_settings (gb_window_get_draft (win))->target, ==, "income-per-year");
  destroy_window (win);

  /* Cancel leaves the window as it was. */
  win = new_window ();
  gb_window_open_project (win, project);
  g_assert_true (wait_until (has_changed_dialog, win));
  adw_message_dialog_response (gb_window_get_changed_dialog (win), "cancel");
  iterate_pending (50);
  g_assert_false (gb_window_is_busy (win));
  g_assert_null (gb_window_get_dataset (win));
  destroy_window (win);

  g_unlink (project);
  g_unlink (slice);
  g_rmdir (dir);
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

/* The bundled text examples open as text models: the message or symptom
 * description is the text column (before, sms_spam set only the target, so
 * its run had no feature at all). */
static void
test_window_text_examples (void)
{
  static const char *ids[] = { "sms_spam", "symptom2disease" };

  for (guint k = 0; k < G_N_ELEMENTS (ids); k++)
    {
      GbWindow *win = gb_window_new (NULL);
      GbAuditSettings *s;

      gtk_window_present (GTK_WINDOW (win));
      gb_window_open_example_named (win, ids[k]);
      g_assert_true (wait_until (window_idle, win));
      g_assert_null (gb_window_get_last_error (win));
      g_assert_nonnull (gb_window_get_dataset (win));
      s = gb_audit_get_settings (gb_window_get_draft (win));
      g_test_message ("%s: target %s, text %s", ids[k], s->target, s->text_column);
      g_assert_cmpstr (s->target, ==, "label");
      g_assert_cmpstr (s->text_column, ==, "text");
      g_assert_true (s->features == NULL || s->features[0] == NULL);
      destroy_window (win);
    }
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = ui_test_env_setup ("glassbox-ui-data-XXXXXX");
  int status;


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
  g_test_add_func ("/ui/dataset/lazy-rows", test_dataset_lazy_rows);
  g_test_add_func ("/ui/dataset/sort", test_dataset_sort);
  g_test_add_func ("/ui/dataset/summary", test_dataset_summary);
  g_test_add_func ("/ui/dataset/role-messages", test_dataset_role_messages);
  g_test_add_func ("/ui/window/drop", test_window_drop);
  g_test_add_func ("/ui/window/settings", test_window_settings);
  g_test_add_func ("/ui/window/examples", test_window_examples);
  g_test_add_func ("/ui/window/notices", test_window_notices);
  g_test_add_func ("/ui/window/identifier", test_window_identifier);
  g_test_add_func ("/ui/window/default-target", test_window_default_target);
  g_test_add_func ("/ui/window/text-role", test_window_text_role);
  g_test_add_func ("/ui/window/column-type", test_window_column_type);
  g_test_add_func ("/ui/window/read-options", test_window_read_options);
  g_test_add_func ("/ui/window/project", test_window_project);
  g_test_add_func ("/ui/window/text-examples", test_window_text_examples);

  status = g_test_run ();
  ui_test_env_cleanup (data_home);
  return status;
}
