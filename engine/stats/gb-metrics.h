/* gb-metrics.h — classification metrics on held-out predictions. */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

/**
 * gb_roc_auc:
 * @score: (n) scores (higher = more likely positive)
 * @y: (n) labels in {0, 1}
 * @n: rows
 *
 * Area under the ROC curve by the Mann–Whitney statistic with ties counted
 * one half (equals sklearn.metrics.roc_auc_score).  O(n log n).  Rows with
 * a NaN score or a label other than 0 or 1 (e.g. NaN) are skipped.
 *
 * Returns: the AUC, or NAN when one class is absent.
 */
double gb_roc_auc (const double *score, const double *y, gsize n);

/**
 * gb_roc_curve:
 * @score: (n) scores
 * @y: (n) labels in {0, 1}
 * @n: rows
 * @out_fpr: (out) (transfer full) (array length=out_len): false-positive rates,
 *   starting at 0 and ending at 1, one point per distinct threshold (as
 *   sklearn.metrics.roc_curve with drop_intermediate=False)
 * @out_tpr: (out) (transfer full) (array length=out_len): true-positive rates
 * @out_len: (out): number of points (1 + the number of distinct scores)
 *
 * Rows are skipped as in gb_roc_auc().  When a class is absent its rate is
 * NAN throughout (as sklearn).  Free the arrays with g_free().
 */
void gb_roc_curve (const double *score, const double *y, gsize n,
                   double **out_fpr, double **out_tpr, gsize *out_len);

/**
 * gb_accuracy:
 * @score: (n) scores
 * @y: (n) labels in {0, 1}
 * @n: rows
 * @threshold: predict 1 when score >= @threshold
 *
 * Rows with a NaN score or label are skipped.
 *
 * Returns: the share of rows where (score >= threshold) equals y, NAN when
 * no row is usable.
 */
double gb_accuracy (const double *score, const double *y, gsize n, double threshold);

/**
 * gb_normal_two_sided_p:
 * @z: a z statistic
 * Returns: 2·(1 − Φ(|z|)) (GSL's gsl_cdf_ugaussian_Q).
 */
double gb_normal_two_sided_p (double z);

/**
 * gb_normal_quantile:
 * @p: probability in (0, 1)
 * Returns: Φ⁻¹(p), e.g. 1.959964 for 0.975.
 */
double gb_normal_quantile (double p);

/**
 * gb_roc_auc_ci:
 * @auc: the ROC-AUC A (e.g. from gb_roc_auc())
 * @n_pos: positives n₁ it was computed on
 * @n_neg: negatives n₀
 * @confidence: e.g. 0.95
 * @out_low: (out) (optional): A − z·SE, clamped to [0, 1]
 * @out_high: (out) (optional): A + z·SE, clamped to [0, 1]
 *
 * Hanley & McNeil (1982, Radiology 143:29–36, eq. 2) standard error of the
 * AUC and its normal (Wald) interval:
 * SE² = (A(1 − A) + (n₁ − 1)(Q₁ − A²) + (n₀ − 1)(Q₂ − A²)) / (n₁n₀),
 * Q₁ = A / (2 − A), Q₂ = 2A² / (1 + A); z = Φ⁻¹((1 + confidence) / 2).
 * Binary targets only.
 *
 * Returns: the SE; it and both ends are NAN when @auc is NAN or a class
 * is empty.
 */
double gb_roc_auc_ci (double auc, double n_pos, double n_neg, double confidence,
                      double *out_low, double *out_high);

G_END_DECLS
