/* gb-window-private.h — test-only accessors of GbWindow (built with -DGB_TESTING). */
#pragma once

#include "glassbox-engine.h"
#include "gb-window.h"
#include "gb-job-queue.h"
#include "gb-dataset-pane.h"
#include "gb-model-pane.h"
#include "gb-report-pane.h"

G_BEGIN_DECLS

#ifdef GB_TESTING
AdwViewStack  *gb_window_get_view_stack     (GbWindow *self);
GbDatasetPane *gb_window_get_dataset_pane   (GbWindow *self);
GbModelPane   *gb_window_get_model_pane     (GbWindow *self);
GbReportPane  *gb_window_get_report_pane    (GbWindow *self);
GbJobQueue    *gb_window_get_job_queue      (GbWindow *self);
/* (transfer none) (nullable) */
GbDataset     *gb_window_get_dataset        (GbWindow *self);
/* The audit whose settings the roles edit. (transfer none) (nullable) */
GbAudit       *gb_window_get_draft          (GbWindow *self);
/* The audit of the last successful run. (transfer none) (nullable) */
GbAudit       *gb_window_get_audit          (GbWindow *self);
/* The text of the last error toast. (transfer none) (nullable) */
const char    *gb_window_get_last_error     (GbWindow *self);
/* The number of toasts shown so far. */
guint          gb_window_get_n_toasts       (GbWindow *self);
/* Applies the Adult example's roles to the loaded dataset (keeps its path). */
void           gb_window_apply_example_roles (GbWindow *self);
/* Calls the window's drop handler with @files (element-type GFile), as a drop would. */
gboolean       gb_window_drop_files         (GbWindow *self, GSList *files);
/* The "data have changed" dialog of a project being opened. (transfer none) (nullable) */
AdwMessageDialog *gb_window_get_changed_dialog (GbWindow *self);
/* The reading options of the current file. (transfer none) (nullable) */
const GbCsvOptions *gb_window_get_read_options (GbWindow *self);
/* (transfer none) (nullable) */
GSettings     *gb_window_get_settings       (GbWindow *self);
/* Writes the last run's PDF (or JSON) to @path on the job queue, as Export does. */
void           gb_window_export_to          (GbWindow *self, const char *path, gboolean pdf);
#endif

G_END_DECLS
