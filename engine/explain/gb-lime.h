/* gb-lime.h — LIME for tokens (tabular features now, words later). */
#pragma once

#include "gb-explain.h"

G_BEGIN_DECLS

/**
 * GbLimeOptions:
 * @n_samples: perturbed samples per row, the row itself included (default 5000, as lime)
 * @n_features: K, features kept in the surrogate (default 10, as lime; clamped to M)
 * @kernel_width: exponential kernel width; 0 = 0.75·√M (lime's default)
 * @ridge_alpha: ridge penalty of the surrogate (default 1, sklearn Ridge() as lime)
 * @n_seeds: repeats with seeds @seed, @seed + 1, ... for the top-K stability (default 5;
 *   1 = no stability)
 * @seed: sampling seed (GSL mt19937)
 */
typedef struct {
  guint n_samples;
  guint n_features;
  double kernel_width;
  double ridge_alpha;
  guint n_seeds;
  guint64 seed;
} GbLimeOptions;

void gb_lime_options_init_default (GbLimeOptions *options);

/**
 * gb_lime_quartile_bins:
 * @ds: the dataset
 * @features: (array length=M) feature columns (numeric or categorical)
 * @M: features
 * @reference_rows: (array length=n_reference) rows whose quartiles define the bins
 *   (the training split)
 * @rows: (array length=n) rows to discretise
 * @out: (out caller-allocates) (n, M): bin per row and feature
 *
 * lime's QuartileDiscretizer: a numeric feature's cut points are the
 * 25th, 50th and 75th percentiles of the reference rows (numpy's linear
 * interpolation, duplicates removed) and a value's bin is
 * searchsorted(cuts, value, side="left"), 0..3; a categorical feature's
 * bin is its level code.  Missing values are bin −1.
 */
void gb_lime_quartile_bins (GbDataset *ds, const char *const *features, guint M,
                            const gsize *reference_rows, gsize n_reference,
                            const gsize *rows, gsize n, gint32 *out);

/**
 * gb_lime:
 * @target: the explained function
 * @x: (n_rows, T, C) embeddings of the explained rows
 * @x_bins: (nullable) (n_rows, M) their bins (see gb_lime_quartile_bins())
 * @row_ids: (nullable) (n_rows)
 * @pool: (n_pool, T, C) embeddings of the rows the sampler draws tokens from
 *   (the training split; for text: the [MASK] row, i.e. word removal)
 * @pool_bins: (nullable) (n_pool, M) their bins; NULL compares token
 *   embeddings instead (a unit is "on" when its token equals x's)
 * @n_pool: pool rows
 * @unit_names: (nullable) (M)
 * @options: (nullable) NULL = defaults
 * @error: GB_EXPLAIN_ERROR / GB_ERROR_NUMERIC when the surrogate cannot be fit
 *
 * LIME (Ribeiro, Singh & Guestrin 2016) as lime's LimeTabularExplainer
 * with discretize_continuous=True, discretizer="quartile": sample 0 is x;
 * in every other sample each unit independently takes its token from a
 * uniformly drawn pool row (so bins are drawn with their training
 * frequencies, and values within a bin from its empirical distribution
 * rather than lime's truncated normal); the interpretable feature z_j is
 * 1 when the drawn bin equals x's.  Distances are Euclidean on z scaled by
 * the pool's bin standard deviations, the kernel is √exp(−d²/width²), the
 * K features with the largest |coefficient| of a weighted ridge
 * (α = 0.01) on all features are kept ("highest_weights"), and the
 * explanation is the weighted ridge (α = @ridge_alpha) on them:
 * values = coefficients (0 for dropped units), base_value = intercept,
 * fidelity_r2 = the weighted R² (lime's `score`).  With @n_seeds > 1 the
 * whole procedure is repeated and GbExplanation.stability is the mean
 * pairwise Jaccard index of the top-K sets, averaged over rows; the values
 * reported are those of the first seed.
 *
 * Returns: (transfer full) (nullable): the explanation (method "lime").
 */
GbExplanation *gb_lime (const GbExplainTarget *target, const float *x, const gint32 *x_bins,
                        const gsize *row_ids, gsize n_rows, const float *pool,
                        const gint32 *pool_bins, gsize n_pool, const char *const *unit_names,
                        const GbLimeOptions *options, GCancellable *cancellable,
                        GbProgressFunc progress, gpointer user_data, GError **error);

/**
 * gb_jaccard:
 * Returns: |A ∩ B| / |A ∪ B| of two index sets (1 when both are empty).
 */
double gb_jaccard (const guint *a, guint na, const guint *b, guint nb);

G_END_DECLS
