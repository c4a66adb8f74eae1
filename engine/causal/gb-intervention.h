/* gb-intervention.h — interventions do(A = a) on a trained model. */
#pragma once

#include "gb-causal.h"
#include "gb-model.h"

G_BEGIN_DECLS

/**
 * gb_causal_model_interventions:
 * @model: a trained classifier
 * @ds: the dataset (the model's feature columns)
 * @attribute: a categorical column of @ds
 * @rows: (array length=n_rows): the rows to intervene on (e.g. the held-out split)
 * @n_rows: number of rows (≥ 1)
 * @positive_class: the class whose probability is reported (1 for a binary target)
 * @bootstrap: resamples of the rows for the interval (e.g. 200; ≥ 2)
 * @seed: seeds the bootstrap (GSL mt19937)
 * @cancellable: (nullable): checked between levels
 * @error: GB_CAUSAL_ERROR / GB_ERROR_INVALID_ARGUMENT for an unknown or
 *   non-categorical attribute
 *
 * For every level a of @attribute, sets the attribute of every row to a
 * (the intervention do(A = a) on the model's input, everything else kept)
 * and reports how the predicted probability of @positive_class changes.
 * The model embeds a categorical cell as the row of a per-feature table
 * that depends on that cell only (gb-model.h), so the intervened input is
 * built by embedding the rows as they are (gb_model_embed_rows()) and
 * replacing the attribute's token by the token of level a, taken from a
 * row of @ds that has level a; the encoder then runs on the edited tokens
 * (gb_model_forward_embedded()).  When @attribute is not one of the
 * model's features the model cannot see it: every change is exactly 0.
 * This measures what the *model* does (a controlled direct effect on its
 * output, as in counterfactual fairness probes — Kusner et al. 2017), not
 * the effect of the attribute in the world.
 *
 * Returns: (transfer full) (element-type GbModelIntervention) (nullable):
 *   one entry per level, in level order.
 */
GArray *gb_causal_model_interventions (GbModel *model, GbDataset *ds, const char *attribute,
                                       const gsize *rows, gsize n_rows, guint positive_class,
                                       guint bootstrap, guint64 seed,
                                       GCancellable *cancellable, GError **error);

G_END_DECLS
