/* gb-project.h — the project file `.glassbox`: which CSV (path and sha256),
 * how it is read, the roles and the audit settings, as JSON. */
#pragma once

#include "gb-audit.h"

G_BEGIN_DECLS

/**
 * GbProjectDatasetStatus:
 * @GB_PROJECT_DATASET_OK: the CSV exists and its sha256 is the recorded one
 * @GB_PROJECT_DATASET_CHANGED: the CSV exists but its bytes changed since
 *   the project was saved
 * @GB_PROJECT_DATASET_MISSING: the CSV cannot be read
 */
typedef enum {
  GB_PROJECT_DATASET_OK,
  GB_PROJECT_DATASET_CHANGED,
  GB_PROJECT_DATASET_MISSING,
} GbProjectDatasetStatus;

/**
 * GbProject:
 * @path: the project file
 * @dataset_path: the CSV, absolute (resolved against the project's folder
 *   when stored relative)
 * @recorded_sha256: the CSV's sha256 when the project was saved
 * @current_sha256: (nullable): the CSV's sha256 now (NULL when missing)
 * @status: whether the CSV is the one the project was saved with
 * @status_message: (nullable): for CHANGED or MISSING, a sentence to show
 *   the user: "adult.csv has changed since the project was saved (sha256
 *   3f2a… then, 9b1c… now); check the data, then open it anyway or choose
 *   the original file"
 * @csv_options: how the CSV is read (delimiter, encoding, header, missing
 *   tokens, column types)
 * @settings: the audit settings (roles included); @settings.csv_path is
 *   @dataset_path
 *
 * A project file read by gb_project_load(); free with gb_project_free().
 */
typedef struct {
  char *path;
  char *dataset_path;
  char *recorded_sha256;
  char *current_sha256;
  GbProjectDatasetStatus status;
  char *status_message;
  GbCsvOptions *csv_options;
  GbAuditSettings settings;
} GbProject;

void gb_project_free (GbProject *project);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbProject, gb_project_free)

/**
 * gb_project_save:
 * @path: the project file to write (conventionally ending in ".glassbox")
 * @settings: the audit settings; @settings->csv_path names the CSV
 * @csv_options: (nullable): how the CSV is read (NULL: detect everything)
 * @sha256: (nullable): the CSV's sha256 (gb_dataset_get_sha256() of the
 *   loaded dataset); NULL computes it from the file
 * @error: GB_REPORT_ERROR / GB_ERROR_IO
 *
 * Writes the project as JSON (format version 1): {"glassbox_project": 1,
 * "glassbox_version", "dataset": {"path", "sha256", "read": {"delimiter",
 * "encoding", "header", "na_values", "column_types"}}, "roles": {"target",
 * "positive", "protected", "treatment", "outcome", "covariates",
 * "features", "prediction", "prediction_positive", "score",
 * "reference_groups"}, "settings": {"seed", "test_fraction", ...,
 * "model": {...}, "train": {...}, "max_length", "text_column",
 * "vocab_min_freq", "model_dir", "explainers", "explain_row_ids",
 * "shap_samples", "background_size", "ig_baseline", "explain_class",
 * "lime_selection", "tcav_concepts", "tcav_layer",
 * "causal_methods", "estimand", "trim_alpha", "causal_bootstrap"},
 * "report": {"paper", "auditor", "organisation", "model_card":
 * {"model_details", "intended_use", "factors", "ethical_considerations",
 * "caveats_and_recommendations"}, "model_card_path", "omit_sections":
 * [section names, gb-report-sections.h]}}: every setting of the analysis
 * and the analyst's notes for the report, so gb_project_load() gives them
 * back unchanged.  The CSV path is stored relative to the
 * project's folder when the CSV lies inside it, absolute otherwise.  The
 * write is atomic (g_file_set_contents: a temporary file renamed over the
 * old one), so a crash never leaves half a project.  The seed is written as
 * a decimal string (a JSON number cannot hold every 64-bit integer).
 *
 * Returns: %TRUE on success.
 */
gboolean gb_project_save (const char *path, const GbAuditSettings *settings,
                          const GbCsvOptions *csv_options, const char *sha256, GError **error);

/**
 * gb_project_load:
 * @path: a project file
 * @error: GB_REPORT_ERROR / GB_ERROR_IO (cannot read) or GB_ERROR_PARSE
 *   (not JSON, not a Glassbox project, a newer format version, a member of
 *   the wrong type — the message names the member)
 *
 * Reads a project and checks its CSV: the file is hashed and compared with
 * the recorded sha256.  A changed or missing CSV does not fail the load;
 * it is reported in @status and @status_message, and gb_project_apply()
 * refuses it unless told otherwise.
 *
 * Returns: (transfer full) (nullable): the project, or %NULL with @error set.
 */
GbProject *gb_project_load (const char *path, GError **error);

/**
 * gb_project_apply:
 * @project: a loaded project
 * @audit: the audit whose settings are replaced by the project's
 * @accept_changed_dataset: use the CSV even though its sha256 changed
 * @error: GB_REPORT_ERROR / GB_ERROR_INVALID_ARGUMENT with
 *   @project->status_message when the CSV is missing, or changed and
 *   @accept_changed_dataset is %FALSE
 *
 * Returns: %TRUE when the settings were applied.
 */
gboolean gb_project_apply (GbProject *project, GbAudit *audit, gboolean accept_changed_dataset,
                           GError **error);

G_END_DECLS
