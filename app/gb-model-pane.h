/* gb-model-pane.h — the Model pane: training settings, progress, metrics, ROC. */
#pragma once

#include <adwaita.h>

#include "glassbox-engine.h"

G_BEGIN_DECLS

#define GB_TYPE_MODEL_PANE (gb_model_pane_get_type ())
G_DECLARE_FINAL_TYPE (GbModelPane, gb_model_pane, GB, MODEL_PANE, AdwBin)

/* Shows @settings' epochs, seed, held-out share, architecture and
 * explanations (methods, rows, IG baseline, explained class). */
void  gb_model_pane_load_settings  (GbModelPane *self, const GbAuditSettings *settings);
/* Writes the shown settings into @settings (explainers: NULL when exactly
 * the engine's default methods are on; explain_class: NULL for the default). */
void  gb_model_pane_apply_settings (GbModelPane *self, GbAuditSettings *settings);
void  gb_model_pane_set_epochs     (GbModelPane *self, guint epochs);
guint gb_model_pane_get_epochs     (GbModelPane *self);

/* Shows the progress bar and Cancel while @running; locks the settings. */
void  gb_model_pane_set_running    (GbModelPane *self, gboolean running);
void  gb_model_pane_set_progress   (GbModelPane *self, double fraction, const char *message);

/* Shows the metrics and the ROC curve of @audit's results (%NULL clears). */
void  gb_model_pane_set_audit      (GbModelPane *self, GbAudit *audit);

/* The model's source: 0 Train here, 1 Import folder…, 2 Download from Hub…,
 * 3 Use a prediction column.  gb_model_pane_apply_settings() sets
 * model_dir (1, 2) or prediction / prediction_positive / score / threshold
 * (3: a numeric column is a score, any other a predicted label). */
void  gb_model_pane_set_source        (GbModelPane *self, guint source);
guint gb_model_pane_get_source        (GbModelPane *self);
void  gb_model_pane_set_import_folder (GbModelPane *self, const char *dir);
/* Lists @dataset's columns for "Use a prediction column". */
void  gb_model_pane_set_dataset       (GbModelPane *self, GbDataset *dataset);
/* Selects "Use a prediction column" with @column; @positive comma-separated. */
void  gb_model_pane_set_prediction    (GbModelPane *self, const char *column,
                                       const char *positive, double threshold);
/* Downloads MODEL_ID[@REVISION] from the Hub on the pane's job queue. */
void  gb_model_pane_download          (GbModelPane *self, const char *model_ref);
void  gb_model_pane_cancel_download   (GbModelPane *self);
void  gb_model_pane_set_text_column   (GbModelPane *self, const char *column);
/* Lists the target's classes in "Class to Explain"; another target resets it. */
void  gb_model_pane_set_target        (GbModelPane *self, const char *target,
                                       const char *positive);
/* Saves the shown audit's model into @dir on the pane's job queue. */
void  gb_model_pane_save_model_to     (GbModelPane *self, const char *dir);

G_END_DECLS
