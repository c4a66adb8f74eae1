/* gb-counterfactual-editor.h — the Report pane's editable identity-term
 * pair list for a text model: the audit's counterfactual findings in plain
 * words, the list as editable text, and a Recompute button that runs the
 * substitution (engine/fairness/gb-counterfactual.h) with the edited list
 * on the audit's held-out rows, off the main thread. */
#pragma once

#include <gtk/gtk.h>
#include "glassbox-engine.h"

G_BEGIN_DECLS

#define GB_TYPE_COUNTERFACTUAL_EDITOR (gb_counterfactual_editor_get_type ())
G_DECLARE_FINAL_TYPE (GbCounterfactualEditor, gb_counterfactual_editor, GB,
                      COUNTERFACTUAL_EDITOR, GtkBox)

/**
 * gb_counterfactual_editor_new:
 * @audit: an audit that has run with a text model (it is referenced)
 *
 * Returns: (transfer floating): the editor, its text holding the audit's
 * first pair list as a file (or the built-in gender list).
 */
GtkWidget *gb_counterfactual_editor_new (GbAudit *audit);

/* Returns: (transfer none): the buffer holding the pair list's text. */
GtkTextBuffer *gb_counterfactual_editor_get_buffer (GbCounterfactualEditor *self);
/* Returns: (transfer none): the Recompute button. */
GtkButton     *gb_counterfactual_editor_get_button (GbCounterfactualEditor *self);
/* Returns: (transfer none): the label of the last recomputation (or its error). */
GtkLabel      *gb_counterfactual_editor_get_status (GbCounterfactualEditor *self);
/* Returns: (transfer none) (nullable): the last recomputation's result. */
const GbCounterfactualResult *gb_counterfactual_editor_get_result (GbCounterfactualEditor *self);
/* Returns: %TRUE while a recomputation runs. */
gboolean       gb_counterfactual_editor_is_busy (GbCounterfactualEditor *self);

/**
 * gb_counterfactual_sentences:
 * @cf: a result
 * @class_names: (nullable): the model's class names
 *
 * Returns: (transfer full): one translated plain-words sentence per
 * directed swap (or the swap when the list names no groups), newline
 * separated, as in the PDF report.
 */
char *gb_counterfactual_sentences (const GbCounterfactualResult *cf,
                                   const char *const *class_names);

G_END_DECLS
