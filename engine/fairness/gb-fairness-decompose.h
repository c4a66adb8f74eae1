/* gb-fairness-decompose.h — why a gap exists: the gap in mean model output
 * between two groups decomposed into features by the efficiency of SHAP
 * (issue 6, "Why the gap exists"). */
#pragma once

#include "gb-kernel-shap.h"
#include "gb-dataset.h"

G_BEGIN_DECLS

/**
 * GbGapContribution:
 * @feature: (transfer full): the feature (unit) name
 * @value: mean φ_j over the group's explained rows − mean φ_j over the
 *   reference group's explained rows (the feature's share of @gap)
 * @ci_low: @ci_high: percentile interval of @value from the stratified
 *   row bootstrap (NAN without a bootstrap)
 * @mean_group: @mean_reference: mean φ_j in each group
 */
typedef struct {
  char *feature;
  double value;
  double ci_low;
  double ci_high;
  double mean_group;
  double mean_reference;
} GbGapContribution;

/**
 * GbFairnessDecomposition:
 * @attribute: @group: @reference: (transfer full) (nullable): the protected
 *   attribute and the two groups compared (set by the caller of
 *   gb_fairness_decompose(); filled by gb_fairness_decompose_model())
 * @n_group: @n_reference: rows explained in each group
 * @n_group_available: @n_reference_available: rows the samples were drawn from
 * @mean_group: @mean_reference: mean model output f(x) over the explained rows
 * @gap: @mean_group − @mean_reference
 * @gap_ci_low: @gap_ci_high: its bootstrap percentile interval
 * @base_value: φ₀ = E_b f(b) over the background, the same for both groups
 *   (it cancels in the gap)
 * @residual: |Σ_j value_j − gap| (SHAP efficiency; rounding level)
 * @contributions: (n_contributions) one per feature, sorted by |value|,
 *   largest first
 * @confidence: level of the intervals; @bootstrap: replicates; @seed
 * @exact: every row's KernelSHAP enumerated all coalitions
 * @description: (transfer full): one sentence on the method and its settings
 */
typedef struct _GbFairnessDecomposition {
  char *attribute;
  char *group;
  char *reference;
  gsize n_group;
  gsize n_reference;
  gsize n_group_available;
  gsize n_reference_available;
  double mean_group;
  double mean_reference;
  double gap;
  double gap_ci_low;
  double gap_ci_high;
  double base_value;
  double residual;
  GbGapContribution *contributions;
  guint n_contributions;
  double confidence;
  guint bootstrap;
  guint64 seed;
  gboolean exact;
  char *description;
} GbFairnessDecomposition;

void gb_fairness_decomposition_free (GbFairnessDecomposition *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbFairnessDecomposition, gb_fairness_decomposition_free)

/**
 * GbDecomposeOptions:
 * @rows_per_group: rows sampled (without replacement, seeded) from each
 *   group for gb_fairness_decompose_model() (default 100)
 * @bootstrap: row-bootstrap replicates for the intervals (default 1000; 0 = none)
 * @confidence: interval level (default 0.95)
 * @seed: seeds the row samples, the bootstrap and (as @shap.seed when that
 *   is 0) KernelSHAP's coalition sampling
 * @shap: KernelSHAP options (default: exact up to 14 features, else 2048
 *   paired samples per row)
 * @background_size: k-means background rows (default 10), as gb_explain_run()
 */
typedef struct {
  guint rows_per_group;
  guint bootstrap;
  double confidence;
  guint64 seed;
  GbKernelShapOptions shap;
  guint background_size;
} GbDecomposeOptions;

void gb_decompose_options_init_default (GbDecomposeOptions *options);

/**
 * gb_fairness_decompose_explanations:
 * @group: KernelSHAP explanation of the group's rows
 * @reference: KernelSHAP explanation of the reference group's rows, same
 *   units and the same background (so the same φ₀)
 * @bootstrap: replicates (0 = no intervals)
 * @confidence: interval level in (0, 1)
 * @seed: seeds the bootstrap (GSL mt19937)
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_INVALID_ARGUMENT (empty group,
 *   different units)
 *
 * By SHAP efficiency f(x) = φ₀ + Σ_j φ_j(x) for each row, so
 * mean_A f − mean_B f = Σ_j (mean_A φ_j − mean_B φ_j): the contribution of
 * feature j to the gap is the difference of the groups' mean attributions
 * (Lundberg's "explaining a difference of means"; cf. the Shapley
 * decomposition of group gaps in Begley et al. 2020, "Explainability for
 * fair machine learning").
 *
 * Intervals: a stratified bootstrap over the explained rows — the rows of
 * each group are resampled with replacement separately, and the
 * percentile interval of each contribution and of the gap is taken over
 * the replicates.  Each row's φ̂ carries its own KernelSHAP sampling error
 * (independent across rows: row r draws its coalitions from seed + r),
 * so the bootstrap variance of a group mean includes it; the KernelSHAP
 * standard errors are not added a second time.  In exact mode the
 * interval reflects only which rows were sampled.
 *
 * Returns: (transfer full) (nullable): the decomposition (attribute and
 * group names unset).
 */
GbFairnessDecomposition *gb_fairness_decompose_explanations (const GbExplanation *group,
                                                             const GbExplanation *reference,
                                                             guint bootstrap, double confidence,
                                                             guint64 seed, GError **error);

/**
 * gb_fairness_decompose:
 * @target: the explained function (e.g. a model's positive-class probability)
 * @x_group: (n_group, T, C) embeddings of the group's rows
 * @n_group: rows of the group
 * @x_reference: (n_reference, T, C) embeddings of the reference group's rows
 * @n_reference: rows of the reference group
 * @bg: the background (interventional expectation), shared by both groups
 * @unit_names: (nullable) (M) feature names
 * @options: (nullable): NULL = defaults (@rows_per_group and
 *   @background_size are not used here)
 * @cancellable: (nullable)
 * @error: KernelSHAP's errors, or as gb_fairness_decompose_explanations()
 *
 * Runs gb_kernel_shap() on both groups' rows (the reference rows with seed
 * @shap.seed + @n_group, so no row shares another's coalitions) and
 * decomposes the gap with gb_fairness_decompose_explanations().
 *
 * Returns: (transfer full) (nullable): the decomposition.
 */
GbFairnessDecomposition *gb_fairness_decompose (const GbExplainTarget *target,
                                                const float *x_group, gsize n_group,
                                                const float *x_reference, gsize n_reference,
                                                const GbBackground *bg,
                                                const char *const *unit_names,
                                                const GbDecomposeOptions *options,
                                                GCancellable *cancellable, GError **error);

/**
 * gb_fairness_decompose_model:
 * @model: a binary tabular model; its positive-class (class 1) probability
 *   is decomposed
 * @ds: its dataset
 * @attribute: name recorded in the result (e.g. "sex" or "race*sex")
 * @group_codes: (n_rows of @ds) group index per row, −1 = missing
 * @levels: (array length=n_levels): group labels
 * @n_levels: groups
 * @group: @reference: the two groups compared (indices into @levels)
 * @row_mask: (nullable) (n_rows): rows the samples are drawn from (the
 *   held-out split)
 * @pool_rows: (n_pool) rows whose k-means summary is the background (the
 *   training split), chosen as gb_explain_run() does, so the background is
 *   the one the audit's explanations use for the same seed and size
 * @n_pool: pool rows
 * @options: (nullable): NULL = defaults
 * @cancellable: (nullable)
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_INVALID_ARGUMENT (a group without
 *   rows, an empty pool, a model of more than two classes), KernelSHAP's errors
 *
 * Samples @rows_per_group rows of each group (all when fewer), embeds them
 * and decomposes the gap with gb_fairness_decompose().
 *
 * Returns: (transfer full) (nullable): the decomposition.
 */
GbFairnessDecomposition *gb_fairness_decompose_model (GbModel *model, GbDataset *ds,
                                                      const char *attribute,
                                                      const gint32 *group_codes,
                                                      const char *const *levels, guint n_levels,
                                                      guint group, guint reference,
                                                      const guint8 *row_mask,
                                                      const gsize *pool_rows, gsize n_pool,
                                                      const GbDecomposeOptions *options,
                                                      GCancellable *cancellable, GError **error);

/**
 * gb_fairness_decompose_results:
 * @model: the audited binary model
 * @ds: its dataset
 * @results: (element-type GbFairnessResult*): the results of
 *   gb_fairness_audit_dataset() for @attributes (one per attribute, then
 *   their intersection "a*b" when audited)
 * @attributes: (array zero-terminated=1): the protected columns
 * @score: (n_rows of @ds): the model's positive-class probability, NAN = none
 * @row_mask: (n_rows): the rows audited (the held-out split)
 * @pool_rows: (n_pool): the background's pool (the training split)
 * @n_pool: pool rows
 * @options: (nullable): NULL = defaults
 * @cancellable: (nullable)
 * @error: as gb_fairness_decompose_model()
 *
 * For every result, the group (not flagged small, not the reference) whose
 * mean @score over @row_mask differs most from the reference group's is
 * decomposed against the reference with gb_fairness_decompose_model(),
 * and the decomposition is stored in the result's @decomposition.  A
 * result without such a group gets none.
 *
 * Returns: %FALSE on error (results decomposed so far keep theirs).
 */
gboolean gb_fairness_decompose_results (GbModel *model, GbDataset *ds, GPtrArray *results,
                                        const char *const *attributes, const double *score,
                                        const guint8 *row_mask, const gsize *pool_rows,
                                        gsize n_pool, const GbDecomposeOptions *options,
                                        GCancellable *cancellable, GError **error);

G_END_DECLS
