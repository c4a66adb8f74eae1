/* gb-model-pane.h — the Model pane: training settings, progress, metrics, ROC. */
#pragma once

#include <adwaita.h>

#include "glassbox-engine.h"

G_BEGIN_DECLS

#define GB_TYPE_MODEL_PANE (gb_model_pane_get_type ())
G_DECLARE_FINAL_TYPE (GbModelPane, gb_model_pane, GB, MODEL_PANE, AdwBin)

/* Shows @settings' epochs, seed and held-out share in the spin buttons. */
void  gb_model_pane_load_settings  (GbModelPane *self, const GbAuditSettings *settings);
/* Writes the spin buttons' values into @settings. */
void  gb_model_pane_apply_settings (GbModelPane *self, GbAuditSettings *settings);
void  gb_model_pane_set_epochs     (GbModelPane *self, guint epochs);
guint gb_model_pane_get_epochs     (GbModelPane *self);

/* Shows the progress bar and Cancel while @running; locks the settings. */
void  gb_model_pane_set_running    (GbModelPane *self, gboolean running);
void  gb_model_pane_set_progress   (GbModelPane *self, double fraction, const char *message);

/* Shows the metrics and the ROC curve of @audit's results (%NULL clears). */
void  gb_model_pane_set_audit      (GbModelPane *self, GbAudit *audit);

G_END_DECLS
