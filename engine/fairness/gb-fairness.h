/* gb-fairness.h — group fairness metrics of binary predictions. */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

/**
 * GbGroupRates:
 * @group: (transfer full): the group's label (level text)
 * @n: rows in the group (rows with a missing group, label or prediction are skipped)
 * @tp: @fp: @tn: @fn: confusion counts (prediction 1 = selected)
 * @base_rate: (tp + fn) / n
 * @selection_rate: (tp + fp) / n
 * @tpr: tp / (tp + fn), NAN when the group has no positives
 * @fpr: fp / (fp + tn), NAN when the group has no negatives
 * @fnr: fn / (tp + fn)
 * @ppv: tp / (tp + fp), NAN when nobody in the group is selected
 * @accuracy: (tp + tn) / n
 */
typedef struct {
  char *group;
  gsize n;
  gsize tp, fp, tn, fn;
  double base_rate;
  double selection_rate;
  double tpr;
  double fpr;
  double fnr;
  double ppv;
  double accuracy;
} GbGroupRates;

/**
 * GbFairnessResult:
 * @attribute: (transfer full): the protected attribute's name
 * @groups: (n_groups) per-group rates, in level order; empty groups omitted
 * @n_groups: number of groups with n > 0
 * @disparate_impact_ratio: min over groups of the selection rate divided by
 *   the max (AIF360/Fairlearn "demographic parity ratio"); NAN if max is 0
 * @statistical_parity_difference: max − min selection rate across groups
 *   (Fairlearn's demographic_parity_difference)
 * @equal_opportunity_difference: max − min TPR across groups (groups with
 *   undefined TPR skipped)
 * @equalized_odds_difference: max(TPR gap, FPR gap) (Fairlearn's
 *   equalized_odds_difference)
 */
typedef struct {
  char *attribute;
  GbGroupRates *groups;
  guint n_groups;
  double disparate_impact_ratio;
  double statistical_parity_difference;
  double equal_opportunity_difference;
  double equalized_odds_difference;
} GbFairnessResult;

/**
 * gb_fairness_compute:
 * @attribute: name recorded in the result
 * @group_codes: (n) group index per row in [0, n_levels), -1 = missing (skipped)
 * @levels: (array length=n_levels): group labels
 * @n_levels: number of groups
 * @y_true: (n) true labels in {0, 1}, NAN = missing (skipped)
 * @y_pred: (n) predicted labels in {0, 1}, NAN = missing (skipped)
 * @row_mask: (nullable) (n): rows to use (non-zero), e.g. the held-out split
 * @n: rows
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_INVALID_ARGUMENT when fewer than two
 *   groups have rows
 *
 * Definitions follow Fairlearn (MetricFrame, demographic_parity_*,
 * equalized_odds_difference) and AIF360 (disparate impact).
 *
 * Returns: (transfer full) (nullable): the result; free with gb_fairness_result_free().
 */
GbFairnessResult *gb_fairness_compute (const char *attribute, const gint32 *group_codes,
                                       const char *const *levels, guint n_levels,
                                       const double *y_true, const double *y_pred,
                                       const guint8 *row_mask, gsize n, GError **error);
void gb_fairness_result_free (GbFairnessResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbFairnessResult, gb_fairness_result_free)

G_END_DECLS
