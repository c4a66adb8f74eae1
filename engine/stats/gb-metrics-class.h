/* gb-metrics-class.h — held-out classification metrics for binary and
 * multi-class models: accuracy, balanced accuracy, precision / recall / F1
 * (per class and macro), confusion matrix, one-vs-rest ROC-AUC, log loss,
 * Brier score, expected calibration error with reliability-diagram data.
 *
 * Conventions shared by every function here:
 * - @y: (n) true class indices 0 .. K−1 stored as double (as gb_model_train());
 *   a row whose label is NaN, not an integer or out of range is skipped.
 * - @proba: (n, K) row-major class probabilities; a row with a NaN
 *   probability is skipped.
 * - Predicted labels are the argmax of a row, the lowest class on a tie
 *   (numpy.argmax); see gb_metrics_argmax().
 * Each is checked against scikit-learn 1.2 (Debian's python3-sklearn) in
 * tests/test-metrics-class.c, fixture by tests/reference/metrics_reference.py. */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

/**
 * gb_metrics_argmax:
 * @proba: (n, K) row-major class probabilities
 * @n: rows
 * @n_classes: K (>= 2)
 * @out: (out caller-allocates) (n): the predicted class of each row as a
 *   double (the first maximum on ties, as numpy.argmax); NAN for a row with
 *   a NaN probability
 */
void gb_metrics_argmax (const double *proba, gsize n, guint n_classes, double *out);

/**
 * GbClassReport:
 * @n_classes: K
 * @n: rows used (valid true and predicted label)
 * @confusion: (K, K) row-major counts, row = true class, column = predicted
 *   class (sklearn.metrics.confusion_matrix)
 * @support: (K) rows whose true class is k
 * @precision: (K) tp / (tp + fp), 0 when nothing was predicted as k
 * @recall: (K) tp / (tp + fn), 0 when k never occurs
 * @f1: (K) 2·P·R / (P + R), 0 when P + R = 0 (sklearn's formula and
 *   zero_division=0, so binary F1 is @f1[1])
 * @accuracy: share of rows predicted right
 * @balanced_accuracy: mean recall over the classes that occur in the true
 *   labels (sklearn.metrics.balanced_accuracy_score)
 * @precision_macro: @recall_macro: @f1_macro: unweighted means over the
 *   classes that occur in the true or the predicted labels (sklearn's
 *   average="macro" with its default labels)
 *
 * Metrics of hard predictions.  Free with gb_class_report_free().
 */
typedef struct {
  guint n_classes;
  gsize n;
  guint64 *confusion;
  guint64 *support;
  double *precision;
  double *recall;
  double *f1;
  double accuracy;
  double balanced_accuracy;
  double precision_macro;
  double recall_macro;
  double f1_macro;
} GbClassReport;

/**
 * gb_class_report_new:
 * @y: (n) true classes (as double; invalid rows skipped)
 * @y_pred: (n) predicted classes (as double; invalid rows skipped)
 * @n: rows
 * @n_classes: K (>= 2)
 *
 * Source: sklearn.metrics confusion_matrix, accuracy_score,
 * balanced_accuracy_score, precision_recall_fscore_support.
 *
 * Returns: (transfer full): the report; all scores NAN when no row is usable.
 */
GbClassReport *gb_class_report_new (const double *y, const double *y_pred, gsize n,
                                    guint n_classes);
void gb_class_report_free (GbClassReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbClassReport, gb_class_report_free)

/**
 * gb_roc_auc_ovr:
 * @y: (n) true classes
 * @proba: (n, K) probabilities
 * @n: rows
 * @n_classes: K (>= 2)
 *
 * For K = 2 the ROC-AUC of column 1 (gb_roc_auc()); for K > 2 the macro
 * one-vs-rest mean: the AUC of column k against "class k or not", averaged
 * over the classes with both positives and negatives
 * (sklearn.metrics.roc_auc_score(multi_class="ovr", average="macro"),
 * which refuses input where a class is absent; here such a class is left out).
 *
 * Returns: the AUC, NAN when no class can be scored
 */
double gb_roc_auc_ovr (const double *y, const double *proba, gsize n, guint n_classes);

/**
 * gb_log_loss:
 * @y: (n) true classes
 * @proba: (n, K) probabilities
 * @n: rows
 * @n_classes: K
 *
 * Mean of −log p_{y}: each probability is clipped to [ε, 1 − ε] with ε the
 * float64 machine epsilon, then each row renormalised to sum 1, as
 * sklearn.metrics.log_loss (1.2, eps="auto").  Natural log.
 *
 * Returns: the log loss, NAN when no row is usable
 */
double gb_log_loss (const double *y, const double *proba, gsize n, guint n_classes);

/**
 * gb_brier_score:
 * @y: (n) true classes
 * @proba: (n, K) probabilities
 * @n: rows
 * @n_classes: K
 *
 * For K = 2, the mean of (p₁ − y)² (sklearn.metrics.brier_score_loss,
 * which is binary only).  For K > 2, the mean over rows of
 * Σ_k (p_k − 1[y = k])² (Brier 1950's original multi-category score; it
 * ranges over [0, 2] and, for K = 2, would be twice the binary figure).
 *
 * Returns: the Brier score, NAN when no row is usable
 */
double gb_brier_score (const double *y, const double *proba, gsize n, guint n_classes);

/**
 * GbReliability:
 * @n_bins: M
 * @edges: (M + 1) bin edges i/M computed as numpy.linspace(0, 1, M + 1);
 *   bin m holds values in (edges[m], edges[m + 1]], the first also 0
 * @count: (M) rows per bin
 * @confidence: (M) mean predicted probability in the bin (NAN when empty)
 * @frequency: (M) observed frequency in the bin: accuracy for the top-label
 *   diagram, the share of positives for the binary one (NAN when empty)
 * @n: rows used
 * @ece: expected calibration error Σ_m |B_m|/n · |frequency_m − confidence_m|
 * @mce: maximum calibration error max_m |frequency_m − confidence_m| over non-empty bins
 *
 * The data of a reliability diagram.  Free with gb_reliability_free().
 */
typedef struct _GbReliability {
  guint n_bins;
  double *edges;
  guint64 *count;
  double *confidence;
  double *frequency;
  gsize n;
  double ece;
  double mce;
} GbReliability;

/**
 * gb_reliability_top_label:
 * @y: (n) true classes
 * @proba: (n, K) probabilities
 * @n: rows
 * @n_classes: K (>= 2)
 * @n_bins: M equal-width bins (0 = 15, Guo et al.'s choice)
 *
 * Top-label calibration (Guo, Pleiss, Sun & Weinberger 2017, "On
 * Calibration of Modern Neural Networks", eq. 3): the confidence of a row is
 * max_k p_k, it is correct when its argmax is the true class.  @ece is the
 * model's expected calibration error.
 *
 * Returns: (transfer full): the diagram data; @ece and @mce NAN when no row is usable
 */
GbReliability *gb_reliability_top_label (const double *y, const double *proba, gsize n,
                                         guint n_classes, guint n_bins);

/**
 * gb_reliability_binary:
 * @y: (n) true labels 0 or 1
 * @p1: (n) predicted probability of class 1
 * @n: rows
 * @n_bins: M (0 = 15)
 *
 * The positive-class reliability diagram of a binary model: per bin of p₁
 * the mean p₁ and the share of positives; the non-empty bins are
 * sklearn.calibration.calibration_curve(strategy="uniform")'s prob_pred
 * and prob_true.  @ece here is the positive-class calibration error, which
 * differs from the top-label ECE.
 *
 * Returns: (transfer full): the diagram data
 */
GbReliability *gb_reliability_binary (const double *y, const double *p1, gsize n, guint n_bins);
void gb_reliability_free (GbReliability *reliability);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbReliability, gb_reliability_free)

/**
 * gb_expected_calibration_error:
 * @y: (n) true classes
 * @proba: (n, K) probabilities
 * @n: rows
 * @n_classes: K
 * @n_bins: M (0 = 15)
 *
 * Returns: the top-label ECE of gb_reliability_top_label()
 */
double gb_expected_calibration_error (const double *y, const double *proba, gsize n,
                                      guint n_classes, guint n_bins);

G_END_DECLS
