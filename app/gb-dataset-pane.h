/* gb-dataset-pane.h — the Dataset pane: start page, the rows of a CSV, the
 * selected column's summary and the column roles. */
#pragma once

#include <adwaita.h>

#include "glassbox-engine.h"
#include "gb-job-queue.h"

G_BEGIN_DECLS

/* The application name recent files are recorded under (GtkRecentManager). */
#define GB_RECENT_APP_NAME "glassbox"

/* A column's role in the audit, as chosen in the pane's role selector. */
typedef enum {
  GB_ROLE_FEATURE,
  GB_ROLE_TARGET,
  GB_ROLE_PROTECTED,
  GB_ROLE_TREATMENT,
  GB_ROLE_OUTCOME,
  GB_ROLE_COVARIATE,
  GB_ROLE_IGNORE,
  GB_ROLE_TEXT,         /* the audit's text column (GbAuditSettings.text_column); at most one */
  GB_ROLE_IDENTIFIER,   /* a row identifier: excluded from the features, like Ignore */
  GB_N_ROLES
} GbRole;

/* Returns: (transfer none): the role's translated display name. */
const char *gb_role_to_string (GbRole role);

#define GB_TYPE_DATASET_PANE (gb_dataset_pane_get_type ())
G_DECLARE_FINAL_TYPE (GbDatasetPane, gb_dataset_pane, GB, DATASET_PANE, AdwBin)

/* Sorting and summaries of files with many rows run on @queue (transfer none). */
void gb_dataset_pane_set_job_queue (GbDatasetPane *self, GbJobQueue *queue);

/* The start page: Open CSV…, the recent files and the bundled examples. */
void gb_dataset_pane_show_start    (GbDatasetPane *self);
/* The loading page for @path. */
void gb_dataset_pane_show_loading  (GbDatasetPane *self, const char *path);
void gb_dataset_pane_set_progress  (GbDatasetPane *self, double fraction, const char *message);

/**
 * gb_dataset_pane_set_dataset:
 * @self: the pane
 * @dataset: (transfer none): the loaded dataset
 * @draft: (transfer none): the audit whose settings the role selector edits
 *
 * Shows the preview and the role selector.  The pane keeps references.
 */
void gb_dataset_pane_set_dataset   (GbDatasetPane *self, GbDataset *dataset, GbAudit *draft);

/* Shows column @index in the side panel: summary, histogram, role, messages. */
void gb_dataset_pane_select_column (GbDatasetPane *self, guint index);
/* Returns: the column shown in the side panel, or -1. */
int  gb_dataset_pane_get_selected_column (GbDatasetPane *self);

/* Re-reads the roles from the draft's settings (after they changed elsewhere). */
void gb_dataset_pane_refresh_roles (GbDatasetPane *self);

/* Locks the role selector while an audit runs. */
void gb_dataset_pane_set_editable  (GbDatasetPane *self, gboolean editable);

/* Returns: the role of column @name in the draft's settings, or -1 when unknown. */
int  gb_dataset_pane_get_role      (GbDatasetPane *self, const char *name);
/* Gives column @name the single role @role (edits the draft's settings). */
void gb_dataset_pane_set_role      (GbDatasetPane *self, const char *name, GbRole role);

G_END_DECLS
