/* gb-explain.h — what every explainer shares: the explained function as a
 * batched value function over token embeddings, background sets, the
 * generic per-method result, cheap baselines (gradient × input, occlusion)
 * and faithfulness (deletion / insertion curves, AOPC).
 *
 * An explained *unit* is a token position.  For the tabular transformer
 * token 0 is [CLS] and unit j is token j + 1 (feature j); for text, unit j
 * will be word-piece token j + 1.  Removing a unit means replacing its token
 * embedding by the same token of a background row (interventional
 * expectation over the background set, Janzing et al. 2020), so the same
 * machinery explains a GbModel or a plain C function. */
#pragma once

#include "gb-model.h"

G_BEGIN_DECLS

typedef struct _GbExplainTarget GbExplainTarget;

/**
 * GbExplainForwardFunc:
 * @target: the target being explained (read @target->user_data, @target->output_index)
 * @emb: (B, T, C) float32 input embeddings, row-major
 * @B: batch size (any; the function chunks internally if it needs to)
 * @out: (out caller-allocates) (B): the explained scalar output per row
 *
 * A batched value function.  Must be thread-safe for concurrent calls
 * (it allocates its own scratch).
 */
typedef void (*GbExplainForwardFunc) (const GbExplainTarget *target, const float *emb, gsize B,
                                      double *out);

/**
 * GbExplainGradientFunc:
 * @out: (out caller-allocates) (B): the output per row
 * @out_grad: (out caller-allocates) (B, T, C): ∂ output / ∂ @emb
 *
 * A batched value-and-gradient function (needed by integrated gradients
 * and gradient × input only).
 */
typedef void (*GbExplainGradientFunc) (const GbExplainTarget *target, const float *emb, gsize B,
                                       double *out, float *out_grad);

/**
 * GbExplainTarget:
 * @T: tokens per row
 * @C: embedding width
 * @first_unit: token index of unit 0 (1 for models with a [CLS] token)
 * @n_units: explained units M (tokens @first_unit .. @first_unit + M − 1)
 * @forward: the batched value function
 * @gradient: (nullable): the batched value-and-gradient function
 * @user_data: closure of @forward and @gradient (a GbModel for
 *   gb_explain_target_init_model())
 * @output_index: which output is explained (the class index for a model)
 * @mask: (nullable) (T): the attention mask of the explained row (1 = a
 *   real token, 0 = text padding), applied to every row of every batch the
 *   model evaluates (the perturbed rows keep the explained row's padding);
 *   NULL = every position is real (tabular models).  Borrowed.
 *
 * A function to explain: f : (T, C) embeddings → ℝ.  For a text row the
 * units are the row's real tokens after [CLS]: the F feature tokens, then
 * its word pieces (not [SEP] or padding), so @n_units differs per row and
 * the explainers run one row at a time (gb-explain-text.h).
 */
struct _GbExplainTarget {
  guint T;
  guint C;
  guint first_unit;
  guint n_units;
  GbExplainForwardFunc forward;
  GbExplainGradientFunc gradient;
  gpointer user_data;
  guint output_index;
  const guint8 *mask;
};

/**
 * gb_explain_target_init_model:
 * @target: (out caller-allocates): filled in
 * @model: (transfer none): the model; must outlive @target
 * @class_index: the class whose softmax probability is explained
 *
 * Explains p_k(x) of @model: forward through
 * gb_model_forward_embedded_masked(), gradient through
 * gb_model_gradient_embedded_masked() with @target->mask (NULL here; set
 * it for a text row); units are the feature tokens 1 .. F (for a text
 * model set @n_units to F + the row's word pieces, see gb-explain-text.h).
 */
void gb_explain_target_init_model (GbExplainTarget *target, GbModel *model, guint class_index);

/* Evaluates @target on @B rows (a convenience wrapper around @target->forward). */
void gb_explain_target_forward (const GbExplainTarget *target, const float *emb, gsize B,
                                double *out);

/**
 * GbBackground:
 * @n: number of background rows N
 * @T: @C: token shape of each row
 * @emb: (N, T, C) float32 embeddings
 * @weights: (N) non-negative weights summing to 1
 * @rows: (N) (nullable) the dataset rows they came from (k-means: the
 *   member nearest each centroid)
 * @description: (transfer full) e.g. "k-means summary of 20 rows (of 500)"
 *
 * A (weighted) background set: the reference distribution of "removed"
 * units.  v(S) = Σ_b w_b f(x_S, b_{S̄}).
 */
typedef struct {
  gsize n;
  guint T;
  guint C;
  float *emb;
  double *weights;
  gsize *rows;
  char *description;
} GbBackground;

/**
 * gb_background_new:
 * @emb: (N, T, C) embeddings, copied
 * @weights: (nullable) (N) weights (normalised here); NULL = uniform
 * @rows: (nullable) (N) provenance row indices, copied
 * @description: (nullable): a short description
 *
 * Returns: (transfer full): a background set; free with gb_background_free().
 */
GbBackground *gb_background_new (const float *emb, const double *weights, const gsize *rows,
                                 gsize n, guint T, guint C, const char *description);
void gb_background_free (GbBackground *bg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbBackground, gb_background_free)

/**
 * gb_background_kmeans:
 * @emb: (n, T, C) embeddings of the candidate rows
 * @rows: (nullable) (n) their dataset row indices
 * @n: candidates
 * @k: summary size (clamped to @n)
 * @seed: seeds k-means++ initialisation (GSL mt19937)
 *
 * A k-means summary in the spirit of shap.kmeans: Lloyd's algorithm with
 * k-means++ seeding (Arthur & Vassilvitskii 2007) on the flattened unit
 * embeddings (the first @first_unit tokens are ignored), at most 100
 * iterations.  Each centroid is replaced by the candidate nearest to it
 * (so every background token is a real token embedding, a valid category
 * or word) and weighted by its cluster's share of the candidates.
 *
 * Returns: (transfer full): the summary.
 */
GbBackground *gb_background_kmeans (const float *emb, const gsize *rows, gsize n, guint T,
                                    guint C, guint first_unit, guint k, guint64 seed);

/**
 * gb_background_sample:
 * @k: rows drawn uniformly without replacement (clamped to @n), equal weights
 *
 * Returns: (transfer full): a random-sample background.
 */
GbBackground *gb_background_sample (const float *emb, const gsize *rows, gsize n, guint T,
                                    guint C, guint k, guint64 seed);

/**
 * gb_explain_coalition_values:
 * @target: the function
 * @x: (T, C) the explained row
 * @bg: the background
 * @masks: (n_coalitions, M) 1 = the unit keeps x's token, 0 = it takes the background's
 * @n_coalitions: number of coalitions
 * @out: (out caller-allocates) (n_coalitions): v(S) = Σ_b w_b f(x_S, b_{S̄})
 *
 * Evaluates coalitions in batches of about 4096 model rows (N rows per
 * coalition).  Tokens outside the units (e.g. [CLS]) are x's.
 *
 * Returns: the number of model evaluations (n_coalitions × N).
 */
gsize gb_explain_coalition_values (const GbExplainTarget *target, const float *x,
                                   const GbBackground *bg, const guint8 *masks,
                                   gsize n_coalitions, double *out);

/**
 * GbAttributionRow:
 * @row: dataset row (or caller's index)
 * @prediction: f(x)
 * @base_value: the value attributions start from: φ₀ = E_b f(b) for
 *   KernelSHAP and occlusion, f(x′) for integrated gradients, the LIME
 *   intercept; NAN when the method has none
 * @values: (M) attribution per unit
 * @std_errors: (M) (nullable) standard error per unit (sampled KernelSHAP)
 * @completeness_residual: |base_value + Σ values − f(x)|, NAN when the
 *   method does not promise additivity
 * @fidelity_r2: LIME's weighted R² of the local surrogate, else NAN
 * @n_evaluations: model rows evaluated for this row
 * @steps: integrated-gradients steps; KernelSHAP coalitions; LIME samples
 * @tokens: (nullable) (transfer full) NULL-terminated: a text row's word
 *   pieces (the tokenizer's strings, "##" pieces kept apart), in order;
 *   unit GbExplanation.n_feature_units + k is token k, and the units after
 *   the last token are padding whose values are exactly 0.  NULL for
 *   tabular rows.
 * @class_index: the class whose probability was explained for this row
 *   (filled by gb_explain_run(); 0 when the method was called directly)
 */
typedef struct {
  gsize row;
  double prediction;
  double base_value;
  double *values;
  double *std_errors;
  double completeness_residual;
  double fidelity_r2;
  gsize n_evaluations;
  guint steps;
  char **tokens;
  guint class_index;
} GbAttributionRow;

/**
 * GbExplanation:
 * @method: (transfer full) JSON key: "integrated_gradients", "kernel_shap",
 *   "lime", "gradient_input", "occlusion", "attention_rollout"
 * @description: (transfer full) one sentence for the report (settings, background)
 * @n_units: M
 * @unit_names: (M) (transfer full) NULL-terminated feature or token names
 * @n_rows: explained rows
 * @rows: (n_rows)
 * @global: (M) mean |attribution| over the rows
 * @stability: LIME: mean pairwise Jaccard of the top-K sets over seeds, else NAN
 * @deletion_curve: @insertion_curve: (M + 1) (nullable) mean over rows of
 *   f after deleting / inserting the k most important units, k = 0..M
 * @deletion_aopc: @insertion_aopc: areas (see gb_explain_faithfulness()), NAN before computed
 * @seconds: wall time of the method
 * @n_evaluations: model rows evaluated in total
 * @exact: KernelSHAP: all coalitions enumerated
 * @unit_values: (n_rows, M) (nullable) the explained rows' numeric feature
 *   values (NAN for categorical or missing), for beeswarm colours and
 *   dependence plots; filled by gb_explain_run()
 * @text: the rows are text rows (each has @tokens; see #GbAttributionRow)
 * @n_feature_units: for text rows, the number of feature units before the
 *   tokens (F; 0 for a text-only model)
 */
typedef struct {
  char *method;
  char *description;
  guint n_units;
  char **unit_names;
  gsize n_rows;
  GbAttributionRow *rows;
  double *global;
  double stability;
  double *deletion_curve;
  double *insertion_curve;
  double deletion_aopc;
  double insertion_aopc;
  double seconds;
  gsize n_evaluations;
  gboolean exact;
  double *unit_values;
  gboolean text;
  guint n_feature_units;
} GbExplanation;

/* Returns: (transfer full): an empty explanation of @n_rows rows and @n_units
 * units (values allocated and zeroed; std_errors NULL; NAN in the scalars). */
GbExplanation *gb_explanation_new (const char *method, guint n_units,
                                   const char *const *unit_names, gsize n_rows);
/* Recomputes @global as the mean |value| over the rows. */
void gb_explanation_update_global (GbExplanation *e);
void gb_explanation_free (GbExplanation *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbExplanation, gb_explanation_free)

/**
 * gb_gradient_input:
 * @target: the function (needs @target->gradient)
 * @x: (n_rows, T, C) rows to explain
 * @row_ids: (nullable) (n_rows) row ids recorded in the result
 * @unit_names: (nullable) (M) names
 * @error: GB_EXPLAIN_ERROR / GB_ERROR_INVALID_ARGUMENT without a gradient
 *
 * Gradient × input (Shrikumar et al. 2016; Ancona et al. 2018): unit j gets
 * Σ_c x_jc ∂f/∂x_jc, one batched backward pass for all rows.  Equals
 * integrated gradients from a zero baseline for a linear f.
 *
 * Returns: (transfer full) (nullable): the explanation.
 */
GbExplanation *gb_gradient_input (const GbExplainTarget *target, const float *x,
                                  const gsize *row_ids, gsize n_rows,
                                  const char *const *unit_names, GError **error);

/**
 * gb_occlusion:
 * @bg: background whose tokens replace the occluded unit
 *
 * Occlusion (Zeiler & Fergus 2014) with the interventional removal:
 * φ_j = f(x) − Σ_b w_b f(x with token j from b); base_value = f(x).
 * M × N model rows per explained row, one batch.
 *
 * Returns: (transfer full): the explanation.
 */
GbExplanation *gb_occlusion (const GbExplainTarget *target, const float *x,
                             const gsize *row_ids, gsize n_rows, const GbBackground *bg,
                             const char *const *unit_names, GCancellable *cancellable,
                             GError **error);

/**
 * gb_explain_faithfulness:
 * @e: an explanation of the rows @x (its row order)
 * @x: (n_rows, T, C) the explained rows' embeddings
 *
 * Deletion and insertion curves (Petsiuk et al. 2018, RISE) with the
 * background as the removed state: units are ranked by signed attribution,
 * largest first; deletion removes the top-k units of x (k = 0..M),
 * insertion inserts them into the all-removed row.  AOPC (Samek et al.
 * 2017): deletion_aopc = mean_k (f(x) − f(x_del(k))), insertion_aopc =
 * mean_k (f(x_ins(k)) − f(x_ins(0))), both averaged over rows; larger is
 * more faithful for both.  Fills @e's curves and AOPCs.
 * (M + 1) × N model rows per explained row.
 *
 * Returns: %FALSE only when cancelled.
 */
gboolean gb_explain_faithfulness (GbExplanation *e, const GbExplainTarget *target,
                                  const float *x, const GbBackground *bg,
                                  GCancellable *cancellable, GError **error);

/* Ranking helper: fills @order (M) with unit indices by @values descending. */
void gb_explain_rank (const double *values, guint M, guint *order);

/**
 * gb_explanation_dependence_features:
 * @e: a tabular explanation with @e->unit_values and @e->global
 * @max: at most this many units
 * @out: (out caller-allocates) (array length=max): unit indices
 *
 * The units a dependence plot (value against attribution) can show: those
 * whose value is not the same on every explained row (NaN values ignored),
 * most important (@e->global, mean |attribution|) first.  None for a text
 * explanation, one without unit values or global importance, or fewer than
 * two rows.  Shared by the PDF and the Report pane.
 *
 * Returns: the number of indices written (≤ @max).
 */
guint gb_explanation_dependence_features (const GbExplanation *e, guint max, guint *out);

G_END_DECLS
