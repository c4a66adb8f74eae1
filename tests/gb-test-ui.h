/* gb-test-ui.h — helpers shared by the UI tests (test-ui, test-ui-report,
 * test-ui-model): iterate the main loop until a condition holds (bounded by
 * iterations, never by wall-clock time), wait for the window's job queue,
 * write a slice of the bundled Adult example.  Static, so each test
 * executable gets its own copy. */
#pragma once

#include "glassbox-engine.h"
#include "gb-window.h"

#define MAX_ITERATIONS 2000000

typedef gboolean (*Condition) (gpointer data);

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the default main context until @cond holds; FALSE if the bound ran out. */
static G_GNUC_UNUSED gboolean
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

static G_GNUC_UNUSED void
iterate_pending (guint n)
{
  for (guint i = 0; i < n; i++)
    g_main_context_iteration (NULL, FALSE);
}

static G_GNUC_UNUSED gboolean
window_idle (gpointer data)
{
  return !gb_window_is_busy (GB_WINDOW (data));
}

/* Destroys @win and asserts that it is finalized (nothing keeps it alive). */
static G_GNUC_UNUSED void
destroy_window (GbWindow *win)
{
  GbWindow *weak = win;

  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &weak);
  gtk_window_destroy (GTK_WINDOW (win));
  iterate_pending (1000);
  g_assert_null (weak);
}

/* Runs @win's audit with the settings it shows, waits for it, asserts it
 * succeeded (the error is printed first) and returns its results. */
static G_GNUC_UNUSED const GbAuditResults *
run_audit_and_wait (GbWindow *win)
{
  const GbAuditResults *r;

  gb_window_run_audit (win);
  g_assert_true (wait_until (window_idle, win));
  if (gb_window_get_last_error (win) != NULL)
    g_test_message ("run: %s", gb_window_get_last_error (win));
  g_assert_null (gb_window_get_last_error (win));
  r = gb_audit_get_results (gb_window_get_audit (win));
  g_assert_nonnull (r);
  return r;
}

/* Destroys @win while @part (a pane or widget of it) has work running and
 * asserts that @part is disposed at once — its dispose cancels and joins the
 * worker, so no thread outlives the window (one that did crashed the
 * process at exit) — and that the window is finalized after the main loop
 * has turned. */
static G_GNUC_UNUSED void
destroy_window_with_work (GbWindow *win, gpointer part)
{
  gpointer weak_part = part;
  GbWindow *weak_win = win;

  g_object_add_weak_pointer (G_OBJECT (part), &weak_part);
  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &weak_win);
  gtk_window_destroy (GTK_WINDOW (win));
  /* at once, before the main loop could run the work's completion */
  g_assert_null (weak_part);
  iterate_pending (1000);
  g_assert_null (weak_win);
}

/* Before g_test_init(): settings in memory with the schema compiled in the
 * build folder, recent files in a new folder of the test's own (never the
 * person's).  Returns that folder (free it after ui_test_env_cleanup()). */
static G_GNUC_UNUSED char *
ui_test_env_setup (const char *tmpl)
{
  char *data_home = g_dir_make_tmp (tmpl, NULL);

  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
#ifdef GB_BUILD_ROOT
  g_setenv ("GSETTINGS_SCHEMA_DIR", GB_BUILD_ROOT "/data", FALSE);
#endif
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  return data_home;
}

/* Removes the recent-files store the tests wrote and the folder. */
static G_GNUC_UNUSED void
ui_test_env_cleanup (const char *data_home)
{
  g_autofree char *xbel = g_build_filename (data_home, "recently-used.xbel", NULL);

  g_unlink (xbel);
  g_rmdir (data_home);
}

/* The header and the first @n_rows rows of the Adult example in @dir. */
static G_GNUC_UNUSED char *
write_adult_slice (const char *dir, guint n_rows)
{
  g_autofree char *src = g_build_filename (gb_examples_dir (), "adult", "adult.csv", NULL);
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
