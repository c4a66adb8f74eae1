/* gb-lime.h — LIME for tokens (tabular features now, words later). */
#pragma once

#include "gb-explain.h"

G_BEGIN_DECLS

/**
 * GbLimeSelection:
 * @GB_LIME_SELECTION_AUTO: lime's "auto": forward selection when K ≤ 6,
 *   otherwise highest weights
 * @GB_LIME_SELECTION_HIGHEST_WEIGHTS: lime's "highest_weights": the K
 *   largest |coefᵢ · z₀ᵢ| of a weighted ridge (α = 0.01) on all features
 * @GB_LIME_SELECTION_FORWARD: lime's "forward_selection": greedily add the
 *   feature that most increases the weighted R² of a weighted least-squares
 *   fit (Ridge with α = 0) on the features chosen so far
 *
 * The K-feature selection of LIME (lime_base.LimeBase.feature_selection).
 */
typedef enum {
  GB_LIME_SELECTION_AUTO,
  GB_LIME_SELECTION_HIGHEST_WEIGHTS,
  GB_LIME_SELECTION_FORWARD,
} GbLimeSelection;

/**
 * gb_lime_selection_to_string:
 * Returns: (transfer none): "auto", "highest_weights" or "forward_selection"
 *   (lime's names).
 */
const char *gb_lime_selection_to_string (GbLimeSelection selection);

/**
 * gb_lime_selection_from_string:
 * @name: "auto", "highest_weights" or "forward_selection"
 * @out: (out): the selection
 * @error: GB_EXPLAIN_ERROR / GB_ERROR_INVALID_ARGUMENT naming @name and the
 *   accepted names
 *
 * Returns: %TRUE when @name is known.
 */
gboolean gb_lime_selection_from_string (const char *name, GbLimeSelection *out, GError **error);

/**
 * gb_lime_select_features:
 * @Z: (n, M) row-major interpretable data (row 0 is the explained row)
 * @M: features
 * @y: (n) model outputs
 * @w: (n) sample weights (kernel values), not all zero
 * @n: samples
 * @K: features to select, 1 ≤ K ≤ M
 * @method: the selection rule (AUTO resolves by K as lime does)
 * @selected: (out caller-allocates) (array length=K): the chosen feature
 *   indices, in lime's order (forward: order of addition; highest weights:
 *   by decreasing |coefᵢ · Z[0, i]|)
 *
 * lime_base.LimeBase.feature_selection for "auto", "highest_weights" and
 * "forward_selection", with sklearn Ridge(fit_intercept=True) solved
 * exactly: the weighted data are centred by their weighted means once and
 * every candidate subset is solved on the sub-matrix of the weighted Gram
 * matrix (Cholesky, LAPACKE_dposv); the weighted R² of a subset is
 * βᵀh / Σwᵢ(yᵢ − ȳ)², which equals sklearn's score(sample_weight=w).  In
 * forward selection ties go to the lowest index (lime's strict ">"); a
 * candidate whose sub-matrix is singular is skipped; when y is constant
 * every R² is equal and the lowest unused index is taken.
 *
 * Returns: %FALSE when the all-feature ridge of highest weights cannot be
 *   solved (a non-positive-definite Gram matrix, e.g. NaN data).
 */
gboolean gb_lime_select_features (const double *Z, guint M, const double *y, const double *w,
                                  gsize n, guint K, GbLimeSelection method, guint *selected);

/**
 * GbLimeOptions:
 * @n_samples: perturbed samples per row, the row itself included (default 5000, as lime)
 * @n_features: K, features kept in the surrogate (default 10, as lime; clamped to M)
 * @kernel_width: exponential kernel width; 0 = 0.75·√M (lime's default)
 * @ridge_alpha: ridge penalty of the surrogate (default 1, sklearn Ridge() as lime)
 * @n_seeds: repeats with seeds @seed, @seed + 1, ... for the top-K stability (default 5;
 *   1 = no stability)
 * @seed: sampling seed (GSL mt19937)
 * @selection: how the K features are chosen (default %GB_LIME_SELECTION_AUTO,
 *   as lime)
 */
typedef struct {
  guint n_samples;
  guint n_features;
  double kernel_width;
  double ridge_alpha;
  guint n_seeds;
  guint64 seed;
  GbLimeSelection selection;
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
 * K features are chosen by @options' selection (see
 * gb_lime_select_features(); lime's "auto" by default), and the
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
