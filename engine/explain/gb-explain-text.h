/* gb-explain-text.h — explaining text and text+feature rows: per-row units
 * (the features, then the row's word pieces), the attention mask every
 * evaluation uses, the [MASK]/[PAD] embeddings that stand for an absent
 * token, integrated-gradients baselines and LIME's word-removal sampler. */
#pragma once

#include "gb-integrated-gradients.h"
#include "gb-lime.h"

G_BEGIN_DECLS

/**
 * GbTextRows:
 * @n: explained rows
 * @T: @C: sequence length and embedding width
 * @F: feature units before the tokens (0 for a text-only model)
 * @x: (n, T, C) the rows' encoder input embeddings
 * @mask: (n, T) their attention masks (1 = real token, 0 = padding)
 * @n_tokens: (n) word pieces per row (real text tokens without [CLS] and [SEP])
 * @tokens: (n) NULL-terminated token strings per row ("token k" when the
 *   model's encoder is not a #GbTokenizer)
 * @absent: (T, C) what an absent text token becomes: at each text position
 *   the embedding of the [MASK] id there (else [PAD], else zero); the
 *   feature positions hold the mean feature embeddings of @mean
 * @absent_name: "[MASK]", "[PAD]" or "zero"
 * @mask_emb: @pad_emb: (T, C) (nullable) the [MASK] / [PAD] id's embedding
 *   at every position (NULL when the vocabulary lacks the token)
 * @mean: (T, C) the mean embedding of each position over the candidate rows
 *   given to gb_text_rows_new()
 *
 * Unit j of row i is position 1 + j: features 1..F, then the word pieces
 * F+1 .. F+n_tokens[i]; [CLS], [SEP] and padding are never units, so they
 * never receive attribution.
 */
typedef struct {
  gsize n;
  guint T;
  guint C;
  guint F;
  float *x;
  guint8 *mask;
  guint *n_tokens;
  char ***tokens;
  float *absent;
  const char *absent_name;
  float *mask_emb;
  float *pad_emb;
  float *mean;
} GbTextRows;

/**
 * gb_text_rows_new:
 * @model: a text (or text+features) model with its tokenizer
 * @ds: the dataset it reads
 * @rows: (n) rows to explain
 * @cand_emb: (n_cand, T, C) (nullable) embeddings of background candidate
 *   rows (for the mean baseline; NULL = the explained rows)
 * @error: the model's embedding or tokenizer error, prefixed with the row
 *
 * Embeds the rows with their masks, reads their tokens (the model's
 * #GbTokenizer on the text cell, checked against the mask) and embeds the
 * [MASK] and [PAD] rows (gb_model_embed_inputs() with that id at every text
 * position: word + position + token-type embeddings, then the embedding
 * LayerNorm — exactly the embedding a row with that id there would get).
 *
 * Returns: (transfer full) (nullable): free with gb_text_rows_free().
 */
GbTextRows *gb_text_rows_new (GbModel *model, GbDataset *ds, const gsize *rows, gsize n,
                              const float *cand_emb, gsize n_cand, GError **error);
void gb_text_rows_free (GbTextRows *tr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbTextRows, gb_text_rows_free)

/**
 * gb_text_rows_target:
 * @tr: the rows
 * @i: a row
 * @model: the model
 * @class_index: explained class
 * @out: (out caller-allocates): the model target of row @i: units
 *   F + n_tokens[i] from position 1, @out->mask = row @i's mask (borrowed
 *   from @tr)
 */
void gb_text_rows_target (const GbTextRows *tr, gsize i, GbModel *model, guint class_index,
                          GbExplainTarget *out);

/**
 * gb_text_rows_unit_names:
 * Returns: (transfer container): row @i's F feature names then its tokens
 *   (strings borrowed from @model and @tr), NULL-terminated.
 */
const char **gb_text_rows_unit_names (const GbTextRows *tr, gsize i, GbModel *model);

/**
 * gb_text_rows_baseline:
 * @kind: ZERO, MASK, PAD or MEAN (EXPECTED needs a background: see
 *   gb_expected_gradients_target())
 * @out: (out caller-allocates) (T, C): row @i with every unit replaced:
 *   ZERO → 0; MEAN → @tr->mean; MASK / PAD → the [MASK] / [PAD]
 *   embedding at text units and the mean at feature units
 * @error: GB_EXPLAIN_ERROR / GB_ERROR_INVALID_ARGUMENT when the vocabulary
 *   lacks the token
 *
 * Returns: %TRUE on success.
 */
gboolean gb_text_rows_baseline (const GbTextRows *tr, gsize i, GbIgBaseline kind, float *out,
                                GError **error);

/**
 * gb_text_background:
 * @tr: the rows
 * @bg: (nullable) the feature background (a text+features model's k-means
 *   summary); ignored when F = 0
 *
 * The background for removing units of a text row: every text position
 * holds @tr->absent (an absent token is [MASK], padding stays masked by
 * the row's mask), the feature positions come from @bg's rows.  For a
 * text-only model this is the single [MASK] row, so KernelSHAP's v(S) is
 * f(x with the tokens outside S masked).
 *
 * Returns: (transfer full): the background.
 */
GbBackground *gb_text_background (const GbTextRows *tr, const GbBackground *bg);

/**
 * gb_lime_text:
 * @target: one row's target (units: its features and tokens)
 * @x: (T, C) the row
 * @row_id: recorded in the result
 * @absent: (n_absent, T, C) what removed units become (the
 *   gb_text_background() rows; the first is used)
 * @unit_names: (nullable) (M)
 * @options: (nullable): n_samples, n_features (K), kernel_width (0 = 25,
 *   lime's text default), ridge_alpha, n_seeds, seed, selection
 * @error: GB_EXPLAIN_ERROR / GB_ERROR_NUMERIC when the surrogate cannot be fit
 *
 * LIME's text sampler (LimeTextExplainer, Ribeiro et al. 2016): sample 0 is
 * the row; every other sample removes d units, d uniform on 1 .. M−1, the
 * units drawn without replacement, and a removed unit takes its @absent
 * embedding (word removal → [MASK]).  The distance is 100 × the cosine
 * distance between the binary vector and all-ones, the kernel
 * √exp(−d²/width²), the K units are chosen by @options' selection
 * (gb_lime_select_features(); lime's "auto" by default), and the
 * explanation is the weighted ridge (α = ridge_alpha) on them: values =
 * coefficients (0 for the others), base_value = intercept, fidelity_r2 =
 * the weighted R².  With n_seeds > 1, stability is the mean pairwise
 * Jaccard index of the top-K sets.
 *
 * Returns: (transfer full) (nullable): a one-row explanation (method "lime").
 */
GbExplanation *gb_lime_text (const GbExplainTarget *target, const float *x, gsize row_id,
                             const float *absent, const char *const *unit_names,
                             const GbLimeOptions *options, GCancellable *cancellable,
                             GError **error);

/**
 * gb_explanation_text_global:
 * @e: an explanation of text rows (@e->text)
 * @max: at most this many entries (0 = all)
 * @out_labels: (out) (transfer full): NULL-terminated feature names and word pieces
 * @out_values: (out) (transfer full): their global importance, descending
 *
 * The global importance of text rows, where token positions differ between
 * rows: each feature's mean |attribution| over the rows, each distinct word
 * piece's mean |attribution| over its occurrences in them (a piece spelled
 * like a feature is merged with it), sorted in descending order.
 *
 * Returns: the number of entries.
 */
guint gb_explanation_text_global (const GbExplanation *e, guint max, char ***out_labels,
                                  double **out_values);

G_END_DECLS
