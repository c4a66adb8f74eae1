/* gb-attention.h — attention rollout over given attention probabilities. */
#pragma once

#include "gb-explain.h"

G_BEGIN_DECLS

/**
 * gb_attention_rollout:
 * @attn: (L, H, T, T) attention probabilities of one input, layer by
 *   layer (layer 0 first), attn[l, h, i, :] the distribution of query
 *   token i over key tokens (rows sum to 1)
 * @L: layers
 * @H: heads
 * @T: tokens
 * @residual: weight of the identity for the residual connection
 *   (0.5 in Abnar & Zuidema 2020)
 * @out: (out caller-allocates) (T, T): rollout, rows sum to 1
 *
 * Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in
 * Transformers", ACL): per layer Ã_l = residual·I + (1 − residual)·mean_h A_l,
 * rows renormalised to sum to 1, and R = Ã_{L−1} ··· Ã_1 Ã_0.  R[i, j] is
 * how much of token i's final representation flows from input token j;
 * row 0 ([CLS]) gives the token attributions.  Pure function, no
 * allocation beyond a (T, T) scratch pair.
 */
void gb_attention_rollout (const float *attn, guint L, guint H, guint T, double residual,
                           double *out);

/**
 * gb_attention_rollout_explain:
 * @target: gives T, first_unit and n_units (M); not evaluated
 * @attn: (n_rows, L, H, T, T) attention probabilities per explained row
 * @prediction: (nullable) (n_rows) f(x) recorded in the rows
 *
 * Attention rollout as an explanation: unit j of row r gets
 * R[0, first_unit + j] (the [CLS] row; shares are non-negative and do not
 * sum to the prediction, so completeness_residual is NAN).
 *
 * Returns: (transfer full): the explanation (method "attention_rollout").
 */
GbExplanation *gb_attention_rollout_explain (const GbExplainTarget *target, const float *attn,
                                             guint L, guint H, const gsize *row_ids,
                                             const double *prediction, gsize n_rows,
                                             const char *const *unit_names);

G_END_DECLS
