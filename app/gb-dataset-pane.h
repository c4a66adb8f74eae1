/* gb-dataset-pane.h — the Dataset pane: start page, CSV preview and column roles. */
#pragma once

#include <adwaita.h>

#include "glassbox-engine.h"

G_BEGIN_DECLS

/* A column's role in the audit, as chosen in the pane's role selector. */
typedef enum {
  GB_ROLE_FEATURE,
  GB_ROLE_TARGET,
  GB_ROLE_PROTECTED,
  GB_ROLE_TREATMENT,
  GB_ROLE_OUTCOME,
  GB_ROLE_COVARIATE,
  GB_ROLE_IGNORE,
  GB_N_ROLES
} GbRole;

/* Returns: (transfer none): the role's translated display name. */
const char *gb_role_to_string (GbRole role);

#define GB_TYPE_DATASET_PANE (gb_dataset_pane_get_type ())
G_DECLARE_FINAL_TYPE (GbDatasetPane, gb_dataset_pane, GB, DATASET_PANE, AdwBin)

/* The start page, with Open and Open Example. */
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

/* Re-reads the roles from the draft's settings (after they changed elsewhere). */
void gb_dataset_pane_refresh_roles (GbDatasetPane *self);

/* Locks the role selector while an audit runs. */
void gb_dataset_pane_set_editable  (GbDatasetPane *self, gboolean editable);

/* Returns: the role of column @name in the draft's settings, or -1 when unknown. */
int  gb_dataset_pane_get_role      (GbDatasetPane *self, const char *name);
/* Gives column @name the single role @role (edits the draft's settings). */
void gb_dataset_pane_set_role      (GbDatasetPane *self, const char *name, GbRole role);

G_END_DECLS
