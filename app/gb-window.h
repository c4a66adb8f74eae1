/* gb-window.h — the main window: Dataset, Model and Report panes. */
#pragma once

#include <adwaita.h>

#include "gb-application.h"

G_BEGIN_DECLS

#define GB_TYPE_WINDOW (gb_window_get_type ())
G_DECLARE_FINAL_TYPE (GbWindow, gb_window, GB, WINDOW, AdwApplicationWindow)

/* Returns: (transfer none): a new window of @app (which may be %NULL in tests). */
GbWindow *gb_window_new                 (GbApplication *app);

/**
 * gb_window_open_file:
 * @self: the window
 * @path: a CSV file
 *
 * Loads @path on the job queue (cancelling a load in progress) and shows it
 * in the Dataset pane; errors appear as a toast with the engine's message.
 */
void      gb_window_open_file           (GbWindow *self, const char *path);

/* Opens gb_examples_dir()/adult/adult.csv with the example's roles. */
void      gb_window_open_example        (GbWindow *self);
/* Opens the bundled example @id (a folder of gb_examples_dir()) with its roles. */
void      gb_window_open_example_named  (GbWindow *self, const char *id);

/**
 * gb_window_open_project:
 * @self: the window
 * @path: a `.glassbox` project file
 *
 * Reads the project, then loads its CSV with the project's reading options
 * and applies its roles and settings.  A CSV that changed since the project
 * was saved is reported in a dialog (open anyway or cancel); a missing one
 * in a toast.
 */
void      gb_window_open_project        (GbWindow *self, const char *path);
/* Saves the roles, reading options and settings as a project (gb_project_save()). */
gboolean  gb_window_save_project        (GbWindow *self, const char *path, GError **error);
/* Shows the Reading Options window of the current file. */
void      gb_window_show_read_options   (GbWindow *self);

/* Returns: (transfer full) (nullable): the application's settings, or %NULL
 * when the org.glassbox.Glassbox schema is not installed. */
GSettings *gb_window_settings_new       (void);

/* Validates the roles and runs the audit on the job queue. */
void      gb_window_run_audit           (GbWindow *self);

/* Cancels the running job, if any. */
void      gb_window_cancel              (GbWindow *self);

/* Shows the pane named "dataset", "model" or "report". */
void      gb_window_set_page            (GbWindow *self, const char *name);
void      gb_window_set_epochs          (GbWindow *self, guint epochs);
/* Runs the audit as soon as the next dataset has loaded. */
void      gb_window_set_run_when_loaded (GbWindow *self, gboolean run);
/* Shows the pane @name when the next audit has finished (--page with --run). */
void      gb_window_set_page_after_run  (GbWindow *self, const char *name);
/* Shows @message in a toast. */
void      gb_window_show_error          (GbWindow *self, const char *message);
/* Whether a job is queued or running. */
gboolean  gb_window_is_busy             (GbWindow *self);

/**
 * gb_window_export_file_name:
 * @dataset: (nullable): the dataset's name without its extension ("adult")
 * @date: (nullable): the day to name; %NULL = today (local time)
 * @pdf: PDF or JSON
 *
 * Returns: (transfer full): the name the export dialogs suggest,
 * "adult-audit-2026-11-30.pdf" ("glassbox-audit-…" without a dataset).
 */
char     *gb_window_export_file_name    (const char *dataset, GDateTime *date, gboolean pdf);

G_END_DECLS
