/* gb-model-pane-private.h — test-only accessors of GbModelPane. */
#pragma once

#include "gb-model-pane.h"

G_BEGIN_DECLS

#ifdef GB_TESTING
gboolean gb_model_pane_has_roc_chart  (GbModelPane *self);
gboolean gb_model_pane_is_running     (GbModelPane *self);
/* (transfer none): the accuracy label's text. */
const char *gb_model_pane_get_accuracy_text (GbModelPane *self);
#endif

G_END_DECLS
