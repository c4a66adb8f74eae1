/* gb-model-pane-private.h — test-only accessors of GbModelPane. */
#pragma once

#include "gb-model-pane.h"

G_BEGIN_DECLS

#ifdef GB_TESTING
gboolean gb_model_pane_has_roc_chart  (GbModelPane *self);
gboolean gb_model_pane_is_running     (GbModelPane *self);
/* (transfer none): the accuracy label's text. */
const char *gb_model_pane_get_accuracy_text (GbModelPane *self);
gboolean gb_model_pane_has_reliability_chart (GbModelPane *self);
gboolean gb_model_pane_has_confusion_chart   (GbModelPane *self);
/* The live loss curve's points. */
guint    gb_model_pane_get_n_loss_points     (GbModelPane *self);
void     gb_model_pane_get_loss_point        (GbModelPane *self, guint i, double *epoch,
                                              double *train_loss, double *val_loss);
gboolean gb_model_pane_is_busy               (GbModelPane *self);
/* (transfer none) (nullable): the last Hub or save error. */
const char *gb_model_pane_get_last_error     (GbModelPane *self);
const char *gb_model_pane_get_text_column_text (GbModelPane *self);
/* the line above the model's charts: "Target: … · 14 features · 9768 held-out rows" */
const char *gb_model_pane_get_chart_caption (GbModelPane *self);
const char *gb_model_pane_get_hub_status     (GbModelPane *self, double *fraction,
                                              double *max_fraction);
const char *gb_model_pane_get_hub_folder     (GbModelPane *self);
GtkButton  *gb_model_pane_get_hub_button     (GbModelPane *self);
gboolean    gb_model_pane_is_downloading     (GbModelPane *self);
/* (transfer none): the Explanations group's widgets, to drive as a user would. */
GtkSwitch     *gb_model_pane_get_method_switch    (GbModelPane *self, const char *method);
GtkSpinButton *gb_model_pane_get_explain_rows_spin (GbModelPane *self);
AdwComboRow   *gb_model_pane_get_baseline_row     (GbModelPane *self);
AdwComboRow   *gb_model_pane_get_class_row        (GbModelPane *self);
GtkWidget     *gb_model_pane_get_explain_group    (GbModelPane *self);
#endif

G_END_DECLS
