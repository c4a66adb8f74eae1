/* gb-integrated-gradients.h — integrated gradients over feature tokens. */
#pragma once

#include "gb-explain.h"

G_BEGIN_DECLS

/**
 * GbIgRule:
 * @GB_IG_RULE_GAUSS_LEGENDRE: Gauss–Legendre quadrature on m nodes in (0, 1)
 *   (GSL's fixed-order tables), plus the two end points for f(x′) and f(x)
 * @GB_IG_RULE_TRAPEZOID: the trapezoid rule on the m+1 points α = k/m
 *
 * The quadrature rule of the path integral.  Gauss–Legendre is exact for
 * polynomials of degree 2m−1 and needs far fewer gradient evaluations than
 * the Riemann/trapezoid sums of the original paper for the same residual.
 */
typedef enum {
  GB_IG_RULE_GAUSS_LEGENDRE,
  GB_IG_RULE_TRAPEZOID,
} GbIgRule;

/**
 * GbIgBaseline:
 * @GB_IG_BASELINE_DEFAULT: zero for tabular models, mask for text models
 * @GB_IG_BASELINE_ZERO: every unit token's embedding is zero
 * @GB_IG_BASELINE_MASK: every text unit takes the embedding the row would
 *   have with the `[MASK]` id at that position (word embedding of [MASK] +
 *   that position's position and token-type embeddings, after the embedding
 *   LayerNorm); feature units of a text+features model take their mean
 *   embedding (as @GB_IG_BASELINE_MEAN)
 * @GB_IG_BASELINE_PAD: as @GB_IG_BASELINE_MASK with the `[PAD]` id
 * @GB_IG_BASELINE_MEAN: every unit token takes its mean embedding over the
 *   background candidate rows (the feature means; for text, the mean at
 *   that position)
 * @GB_IG_BASELINE_EXPECTED: expected gradients (Erion et al. 2021, Nature
 *   Machine Intelligence): integrated gradients averaged over the
 *   background rows as baselines, weighted by the background weights
 *
 * The integrated-gradients baseline x′ (the point "absent" means).
 */
typedef enum {
  GB_IG_BASELINE_DEFAULT,
  GB_IG_BASELINE_ZERO,
  GB_IG_BASELINE_MASK,
  GB_IG_BASELINE_PAD,
  GB_IG_BASELINE_MEAN,
  GB_IG_BASELINE_EXPECTED,
} GbIgBaseline;

/* Returns: (transfer none): "default", "zero", "mask", "pad", "mean" or "expected". */
const char *gb_ig_baseline_to_string (GbIgBaseline baseline);

/**
 * gb_ig_baseline_from_string:
 * @name: "zero", "mask", "pad", "mean" or "expected" (or "default")
 * @out: (out): the baseline
 * @error: GB_EXPLAIN_ERROR / GB_ERROR_INVALID_ARGUMENT naming @name and
 *   the accepted names
 *
 * Returns: %TRUE when @name is known.
 */
gboolean gb_ig_baseline_from_string (const char *name, GbIgBaseline *out, GError **error);

/**
 * GbIgOptions:
 * @steps: initial number of intervals (trapezoid) or nodes (Gauss–Legendre); default 32
 * @rule: quadrature rule; default Gauss–Legendre
 * @tolerance: relative completeness tolerance: a row is refined (steps
 *   doubled) while its residual exceeds tolerance·|f(x) − f(x′)| (and 1e-6
 *   absolute); default 0.01
 * @max_steps: refinement stops here; default 1024
 * @baseline: the baseline gb_explain_run() builds (default
 *   %GB_IG_BASELINE_DEFAULT); gb_integrated_gradients_target() itself
 *   takes explicit baselines
 */
typedef struct {
  guint steps;
  GbIgRule rule;
  double tolerance;
  guint max_steps;
  GbIgBaseline baseline;
} GbIgOptions;

void gb_ig_options_init_default (GbIgOptions *options);

/* Returns: (transfer none): "gauss-legendre" or "trapezoid". */
const char *gb_ig_rule_to_string (GbIgRule rule);

/**
 * GbIgRow:
 * @row: dataset row index
 * @prediction: f(x), the model's probability of the explained class
 * @baseline_prediction: f(x′) at the baseline
 * @attributions: (n_features) attribution per feature (sum over the
 *   feature token's C embedding components)
 * @completeness_residual: |Σ attributions − (f(x) − f(x′))|
 * @steps: interpolation intervals this row needed (see gb_integrated_gradients());
 *   for expected gradients the largest over the background baselines
 * @tokens: (nullable) (transfer full): a text row's word pieces, as
 *   #GbAttributionRow.tokens (attributions beyond them are padding, 0)
 * @class_index: the class explained for this row (its output index)
 */
typedef struct {
  gsize row;
  double prediction;
  double baseline_prediction;
  double *attributions;
  double completeness_residual;
  guint steps;
  char **tokens;
  guint class_index;
} GbIgRow;

/**
 * GbIgResult:
 * @n_features: F
 * @feature_names: (n_features) (transfer full) feature names
 * @n_rows: number of explained rows
 * @rows: (n_rows) per-row results
 * @global: (n_features) mean |attribution| over the explained rows
 * @steps: the initial number of intervals or nodes
 * @rule: the quadrature rule
 * @tolerance: the relative completeness tolerance used for refinement
 * @class_index: the explained class
 * @baseline: (transfer full) description of the baseline, e.g. "zero feature-token embeddings"
 * @baseline_kind: which baseline (never %GB_IG_BASELINE_DEFAULT once run)
 * @text: rows are text rows (see #GbIgRow.tokens)
 * @n_feature_units: for text rows, the feature units before the tokens
 */
typedef struct {
  guint n_features;
  char **feature_names;
  gsize n_rows;
  GbIgRow *rows;
  double *global;
  guint steps;
  GbIgRule rule;
  double tolerance;
  guint class_index;
  char *baseline;
  GbIgBaseline baseline_kind;
  gboolean text;
  guint n_feature_units;
} GbIgResult;

/**
 * gb_integrated_gradients:
 * @model: a trained model
 * @ds: the dataset
 * @rows: (array length=n_rows): rows to explain
 * @n_rows: number of rows
 * @class_index: class whose probability is explained (1 for binary positive)
 * @options: (nullable): quadrature and refinement (NULL = defaults)
 * @cancellable: (nullable): checked between rows
 * @progress: (nullable): per-row progress
 * @user_data: closure
 * @error: G_IO_ERROR_CANCELLED when cancelled
 *
 * Integrated gradients (Sundararajan, Taly & Yan 2017, ICML), with respect
 * to the input token embeddings, from a baseline where every feature
 * token's embedding is zero and the [CLS] token is unchanged.  All m+1
 * interpolation points of a row are evaluated as one batched
 * forward/backward pass.  Attributions of a feature are the sum over its
 * C embedding components of (x − x′)·avg∇, avg∇ the quadrature of the
 * gradient over α ∈ [0, 1].  When a row's completeness residual exceeds the
 * tolerance, its steps are doubled and the row recomputed, up to
 * max_steps; each row records the steps it needed.
 *
 * Returns: (transfer full) (nullable): the result; free with gb_ig_result_free().
 */
GbIgResult *gb_integrated_gradients (GbModel *model, GbDataset *ds, const gsize *rows,
                                     gsize n_rows, guint class_index, const GbIgOptions *options,
                                     GCancellable *cancellable, GbProgressFunc progress,
                                     gpointer user_data, GError **error);
void gb_ig_result_free (GbIgResult *result);

/**
 * gb_integrated_gradients_target:
 * @target: the explained function (needs @target->gradient)
 * @x: (n_rows, T, C) embeddings of the rows to explain
 * @baseline: (nullable) (n_rows, T, C) baselines x′; NULL = x with every
 *   unit token zeroed (the other tokens, e.g. [CLS], unchanged)
 * @row_ids: (nullable) (n_rows) recorded in the rows
 * @unit_names: (nullable) (M) names
 * @options: (nullable)
 * @error: GB_EXPLAIN_ERROR / GB_ERROR_INVALID_ARGUMENT without a gradient;
 *   G_IO_ERROR_CANCELLED
 *
 * Integrated gradients of any differentiable value function, as
 * gb_integrated_gradients() (which calls it for a GbModel).
 * @class_index of the result is @target->output_index.
 *
 * Returns: (transfer full) (nullable): the result.
 */
GbIgResult *gb_integrated_gradients_target (const GbExplainTarget *target, const float *x,
                                            const float *baseline, const gsize *row_ids,
                                            gsize n_rows, const char *const *unit_names,
                                            const GbIgOptions *options,
                                            GCancellable *cancellable, GbProgressFunc progress,
                                            gpointer user_data, GError **error);

/**
 * gb_expected_gradients_target:
 * @target: the explained function (needs @target->gradient)
 * @x: (n_rows, T, C) embeddings of the rows to explain
 * @bg: the background: baseline b is x with every unit token taken from
 *   background row b (the other tokens — [CLS], [SEP], padding — are x's)
 * @row_ids: @unit_names: @options: @cancellable: @progress: @user_data:
 *   @error: as gb_integrated_gradients_target()
 *
 * Expected gradients (Erion, Janizek, Sturmfels, Lundberg & Lee 2021):
 * φ = Σ_b w_b IG(x; x′_b), the integrated gradients from every background
 * baseline x′_b weighted by its background weight (the deterministic form
 * of their sampled estimator, each path integrated with the rule and
 * per-baseline refinement of gb_integrated_gradients_target()).  By
 * completeness of each term, Σ_j φ_j = f(x) − Σ_b w_b f(x′_b); the row's
 * baseline_prediction is Σ_b w_b f(x′_b) and its residual
 * |Σ φ − (f(x) − Σ_b w_b f(x′_b))|.
 *
 * Returns: (transfer full) (nullable): the result (baseline_kind
 *   %GB_IG_BASELINE_EXPECTED).
 */
GbIgResult *gb_expected_gradients_target (const GbExplainTarget *target, const float *x,
                                          const GbBackground *bg, const gsize *row_ids,
                                          gsize n_rows, const char *const *unit_names,
                                          const GbIgOptions *options,
                                          GCancellable *cancellable, GbProgressFunc progress,
                                          gpointer user_data, GError **error);

/**
 * gb_explanation_from_ig:
 * @ig: an integrated-gradients result
 * @seconds: its wall time
 *
 * Returns: (transfer full): the same attributions as a generic
 * #GbExplanation (base_value = f(x′)), so faithfulness and the views treat
 * integrated gradients like every other method.
 */
GbExplanation *gb_explanation_from_ig (const GbIgResult *ig, double seconds);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbIgResult, gb_ig_result_free)

G_END_DECLS
