/* gb-fairness-stats.h — intervals, tests and inequality indices used by the
 * fairness audit.  Included by gb-fairness.h. */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

/**
 * gb_wilson_interval:
 * @successes: x
 * @trials: n
 * @confidence: e.g. 0.95
 * @out_low: (out): lower end
 * @out_high: (out): upper end
 *
 * Wilson score interval for a binomial proportion (Wilson 1927; as
 * statsmodels.stats.proportion.proportion_confint(method="wilson")):
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).  Both ends are NAN
 * when @trials is 0.
 */
void gb_wilson_interval (double successes, double trials, double confidence,
                         double *out_low, double *out_high);

/**
 * gb_two_proportion_z_test:
 * @x1: @n1: successes and trials of the first sample
 * @x2: @n2: of the second
 * @out_z: (out) (optional): z = (p̂1 − p̂2) / √(p̄(1 − p̄)(1/n1 + 1/n2)), pooled p̄
 *
 * Pooled two-sided two-proportion z test (statsmodels proportions_ztest).
 *
 * Returns: the two-sided p-value; 1 when the pooled proportion is 0 or 1
 * (no variation), NAN when a sample is empty.
 */
double gb_two_proportion_z_test (double x1, double n1, double x2, double n2, double *out_z);

/**
 * gb_fisher_exact_test:
 * @a: @b: @c: @d: the 2 × 2 table [[a, b], [c, d]]
 *
 * Fisher's exact test, two-sided: the sum of the hypergeometric
 * probabilities (GSL gsl_ran_hypergeometric_pdf) of every table with the
 * same margins that is no more probable than the observed one (relative
 * tolerance 1e-7, as R's fisher.test; scipy.stats.fisher_exact).
 *
 * Returns: the p-value in [0, 1].
 */
double gb_fisher_exact_test (guint64 a, guint64 b, guint64 c, guint64 d);

/**
 * gb_proportion_test:
 * @x1: @n1: @x2: @n2: as gb_two_proportion_z_test(), whole counts
 * @out_test: (out) (optional): the test used (a #GbFairnessTest value:
 *   1 = z, 2 = Fisher)
 *
 * The two-proportion z test, or Fisher's exact test when an expected count
 * of the 2 × 2 table is below 5 (Cochran's rule).
 *
 * Returns: the two-sided p-value, NAN when a sample is empty.
 */
double gb_proportion_test (guint64 x1, guint64 n1, guint64 x2, guint64 n2, int *out_test);

/**
 * gb_chi2_homogeneity_test:
 * @x: (k) successes per group
 * @m: (k) trials per group (groups with 0 trials are ignored)
 * @k: groups
 * @out_df: (out) (optional): degrees of freedom (non-empty groups − 1)
 *
 * Pearson's chi-square test that k proportions are equal (k × 2 table,
 * scipy.stats.chi2_contingency without continuity correction).
 *
 * Returns: the p-value; 1 when the pooled proportion is 0 or 1; NAN with
 * fewer than two non-empty groups.
 */
double gb_chi2_homogeneity_test (const double *x, const double *m, guint k, guint *out_df);

/**
 * gb_benjamini_hochberg:
 * @p: (m) p-values; NAN entries are left out of the family
 * @m: number of p-values
 * @out_adjusted: (out caller-allocates) (m): adjusted p-values (NAN where
 *   @p is NAN); may alias @p
 *
 * Benjamini & Hochberg (1995) step-up adjustment: p̃(i) = min over j ≥ i of
 * min(1, m·p(j)/j) for the sorted p-values (statsmodels multipletests
 * method="fdr_bh").
 */
void gb_benjamini_hochberg (const double *p, gsize m, double *out_adjusted);

/**
 * gb_generalized_entropy_index:
 * @b: (n) benefits (>= 0), e.g. ŷ − y + 1
 * @n: individuals
 * @alpha: 0 (mean log deviation), 1 (Theil index) or any other real
 *
 * GE(α) = 1/(n α(α−1)) Σ ((bᵢ/μ)^α − 1); GE(1) = 1/n Σ (bᵢ/μ) ln(bᵢ/μ)
 * with 0·ln 0 = 0; GE(0) = −1/n Σ ln(bᵢ/μ).  Speicher et al., "A Unified
 * Approach to Quantifying Algorithmic Unfairness", KDD 2018; AIF360
 * ClassificationMetric.generalized_entropy_index.
 *
 * Returns: the index, NAN when n is 0 or the mean benefit is 0.
 */
double gb_generalized_entropy_index (const double *b, gsize n, double alpha);

/**
 * gb_generalized_entropy_weighted:
 * @values: (k) distinct benefits
 * @weights: (k) how many individuals have each (counts, may be fractional)
 * @k: number of values
 * @alpha: as gb_generalized_entropy_index()
 *
 * gb_generalized_entropy_index() of a population given as value counts.
 */
double gb_generalized_entropy_weighted (const double *values, const double *weights, gsize k,
                                        double alpha);

/**
 * gb_percentile_interval:
 * @values: (n) replicates; NAN entries are skipped; reordered in place
 * @n: replicates
 * @confidence: e.g. 0.95
 * @min_valid: fewest non-NAN replicates for an interval
 * @out_low: @out_high: (out): the (1−c)/2 and (1+c)/2 quantiles, linear
 *   interpolation between order statistics (numpy.percentile's default);
 *   NAN when fewer than @min_valid replicates are defined
 */
void gb_percentile_interval (double *values, gsize n, double confidence, gsize min_valid,
                             double *out_low, double *out_high);

/**
 * gb_fairness_bootstrap_counts:
 * @counts: (n_groups, 4) confusion counts tp, fp, tn, fn per group
 * @n_groups: groups
 * @replicates: B
 * @seed: seed of the GSL mt19937 generator
 * @out: (out caller-allocates) (replicates, n_groups, 4): resampled counts
 *
 * Stratified bootstrap of per-group confusion tables.  Resampling a group's
 * n_g rows with replacement only changes how many fall in each of the four
 * cells, and that count vector is Multinomial(n_g; cell shares); so each
 * replicate draws one multinomial per group (gsl_ran_multinomial) instead
 * of n_g rows: O(B·groups), exact in distribution.
 */
void gb_fairness_bootstrap_counts (const double *counts, guint n_groups, guint replicates,
                                   guint64 seed, double *out);

G_END_DECLS
