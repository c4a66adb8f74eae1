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
