/* gb-fairness-run.h — the fairness audit of a GbDataset: every protected
 * attribute, their intersection, one Benjamini–Hochberg family, and the
 * mitigations.  Used by GbAudit (engine/report/gb-audit.c). */
#pragma once

#include "gb-dataset.h"
#include "gb-fairness.h"

G_BEGIN_DECLS

/**
 * gb_fairness_audit_dataset:
 * @ds: the dataset
 * @attributes: (array zero-terminated=1): protected categorical columns
 * @reference_groups: (nullable) (array zero-terminated=1): "ATTRIBUTE=VALUE"
 *   entries choosing the reference group of an attribute (or of "race*sex")
 * @intersections: also audit the intersection of all @attributes (needs two
 *   or more), named "a*b"
 * @y_true: (n_rows of @ds) labels 0/1, NAN missing
 * @y_pred: (n_rows) predictions 0/1, NAN missing
 * @score: (nullable) (n_rows): scores behind @y_pred
 * @row_mask: (nullable) (n_rows): rows audited
 * @options: (nullable): intervals, bootstrap, minimum group size (its
 *   @reference is ignored; see @reference_groups)
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_INVALID_ARGUMENT naming the option
 *
 * Returns: (transfer full) (element-type GbFairnessResult) (nullable): one
 * result per attribute, then the intersection; p_adjusted is the
 * Benjamini–Hochberg adjustment over every test of all of them.
 */
GPtrArray *gb_fairness_audit_dataset (GbDataset *ds, const char *const *attributes,
                                      const char *const *reference_groups,
                                      gboolean intersections, const double *y_true,
                                      const double *y_pred, const double *score,
                                      const guint8 *row_mask,
                                      const GbFairnessOptions *options, GError **error);

/**
 * gb_fairness_mitigate_thresholds:
 * @ds: the dataset
 * @attribute: the protected column
 * @y_true: (n_rows) labels; @score: (n_rows) scores in [0, 1]
 * @threshold: the common threshold of the unmitigated predictions
 * @row_mask: (nullable) (n_rows): the rows available (the held-out split, or
 *   every row with a label for a score column)
 * @constraint: what to equalise
 * @options: (nullable): for the before/after audits; its seed also splits
 *   the rows and draws the randomised decisions
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_INVALID_ARGUMENT
 *
 * Splits @row_mask's rows in half, stratified by group and label (seeded):
 * the group thresholds (gb_fairness_fit_thresholds(), grid step 0.01) are
 * fitted on the validation half and evaluated on the test half, beside the
 * common threshold on the same rows, with the trade-off curve on the test half.
 *
 * Returns: (transfer full) (nullable): the mitigation.
 */
GbFairnessMitigation *gb_fairness_mitigate_thresholds (GbDataset *ds, const char *attribute,
                                                       const double *y_true, const double *score,
                                                       double threshold, const guint8 *row_mask,
                                                       GbFairnessConstraint constraint,
                                                       const GbFairnessOptions *options,
                                                       GError **error);

/**
 * gb_fairness_mitigate_reweighing:
 * @ds: the dataset
 * @attribute: the protected column
 * @features: (array length=n_features): feature columns of the model
 * @n_features: their number
 * @y_true: (n_rows) labels 0/1
 * @split: (n_rows) 0 = training, 1 = held-out, other = unused
 * @options: (nullable): for the before/after audits
 * @error: GB_FAIRNESS_ERROR / GB_STATS_ERROR / GB_DATA_ERROR
 *
 * Kamiran & Calders reweighing weights on the training rows, and their
 * effect on a model: a ridge logistic regression (λ = 1, standardised
 * numeric, one-hot categorical, complete cases) trained without and with
 * the weights, both evaluated on the held-out rows at threshold 0.5.
 *
 * Returns: (transfer full) (nullable): the mitigation.
 */
GbFairnessMitigation *gb_fairness_mitigate_reweighing (GbDataset *ds, const char *attribute,
                                                       const char *const *features,
                                                       guint n_features, const double *y_true,
                                                       const guint8 *split,
                                                       const GbFairnessOptions *options,
                                                       GError **error);

/**
 * GbFairnessProxy:
 * @feature: @attribute: @group: (transfer full): the feature, the protected
 *   attribute and the group it separates best
 * @auc: folded one-vs-rest ROC-AUC in [0.5, 1] (gb_fairness_proxy_auc())
 */
typedef struct {
  char *feature;
  char *attribute;
  char *group;
  double auc;
} GbFairnessProxy;

void gb_fairness_proxy_clear (GbFairnessProxy *proxy);

/**
 * gb_fairness_proxy_check:
 * @ds: the dataset
 * @attributes: (array zero-terminated=1): protected columns
 * @features: (array length=n_features): candidate proxies (numeric or
 *   categorical; the protected columns themselves are skipped)
 * @n_features: their number
 * @row_mask: (nullable) (n_rows): rows to use
 *
 * For every feature and protected attribute, how well the feature alone
 * predicts group membership (gb_fairness_proxy_auc()); sorted by AUC,
 * highest first, so proxies such as a postcode stand out.
 *
 * Returns: (transfer full) (element-type GbFairnessProxy): the proxies; the
 * array clears its elements.
 */
GArray *gb_fairness_proxy_check (GbDataset *ds, const char *const *attributes,
                                 const char *const *features, guint n_features,
                                 const guint8 *row_mask);

G_END_DECLS
