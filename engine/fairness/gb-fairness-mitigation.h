/* gb-fairness-mitigation.h — reweighing, group-specific thresholds and the
 * accuracy-versus-disparity trade-off.  Included at the end of gb-fairness.h
 * (it uses GbFairnessResult); include gb-fairness.h, not this header. */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

/**
 * gb_fairness_reweighing:
 * @group_codes: (n) group per row, −1 = missing
 * @n_levels: groups
 * @y: (n) labels in {0, 1}, NAN = missing
 * @row_mask: (nullable) (n): rows to use (e.g. the training split)
 * @n: rows
 * @out_weights: (out caller-allocates) (n): w = P(g)·P(y) / P(g, y) for
 *   every usable row, NAN for rows left out (masked, missing group or label)
 * @out_table: (out caller-allocates) (optional) (n_levels, 2): the weight of
 *   each (group, label) cell, label 0 then 1; NAN for an empty cell
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_INVALID_ARGUMENT when no row is usable
 *   or a label is not 0/1
 *
 * Kamiran & Calders, "Data preprocessing techniques for classification
 * without discrimination", KAIS 33 (2012), §4 (AIF360 Reweighing): with
 * these weights the weighted share of positives is the same in every group
 * (the overall share), so group and label are independent.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_fairness_reweighing (const gint32 *group_codes, guint n_levels, const double *y,
                                 const guint8 *row_mask, gsize n, double *out_weights,
                                 double *out_table, GError **error);

/**
 * GbFairnessConstraint:
 * @GB_FAIRNESS_CONSTRAINT_DEMOGRAPHIC_PARITY: equal selection rates
 * @GB_FAIRNESS_CONSTRAINT_EQUAL_OPPORTUNITY: equal TPRs
 * @GB_FAIRNESS_CONSTRAINT_EQUALIZED_ODDS: equal TPRs and FPRs (randomised)
 */
typedef enum {
  GB_FAIRNESS_CONSTRAINT_DEMOGRAPHIC_PARITY,
  GB_FAIRNESS_CONSTRAINT_EQUAL_OPPORTUNITY,
  GB_FAIRNESS_CONSTRAINT_EQUALIZED_ODDS,
} GbFairnessConstraint;

/* Returns: (transfer none): "demographic_parity", "equal_opportunity", "equalized_odds". */
const char *gb_fairness_constraint_name (GbFairnessConstraint constraint);

/**
 * GbGroupThreshold:
 * @threshold_high: @threshold_low: two thresholds, high >= low (±INFINITY
 *   select nobody / everybody)
 * @p_high: probability of deciding by @threshold_high, else by @threshold_low
 * @p_random: probability of ignoring the score altogether
 * @random_rate: the selection probability when the score is ignored
 * @rate: the rate the rule reaches on the rows it was fitted on (selection
 *   rate, TPR, or TPR for equalized odds), NAN when undefined
 * @fpr: the FPR it reaches there (equalized odds), NAN otherwise
 *
 * A group's (randomised) decision rule: P(select | s) =
 * (1 − p_random)·(p_high·[s ≥ high] + (1 − p_high)·[s ≥ low]) + p_random·random_rate.
 */
typedef struct {
  double threshold_high;
  double threshold_low;
  double p_high;
  double p_random;
  double random_rate;
  double rate;
  double fpr;
} GbGroupThreshold;

/* Returns: P(select) of @rule for a row with score @score. */
double gb_group_threshold_probability (const GbGroupThreshold *rule, double score);

/**
 * gb_fairness_fit_thresholds:
 * @group_codes: (n) group per row, −1 = missing
 * @n_levels: groups
 * @score: (n) scores, NAN = missing
 * @y: (n) labels in {0, 1}, NAN = missing
 * @row_mask: (nullable) (n): the rows to fit on (the validation split)
 * @n: rows
 * @constraint: which rates to equalise
 * @grid_step: step of the grid of target rates in (0, 0.5], e.g. 0.01
 * @out_accuracy: (out) (optional): expected accuracy on the fitted rows
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_INVALID_ARGUMENT (bad step, no rows)
 *
 * Group-specific thresholds after Hardt, Price & Srebro, "Equality of
 * Opportunity in Supervised Learning", NeurIPS 2016: for each target on a
 * grid (selection rate, TPR, or the FPR x of a common ROC point), every
 * group gets the rule that reaches the target exactly in expectation —
 * mixing the two adjacent thresholds of its score ranking — and the target
 * with the highest expected accuracy wins.  For equalized odds each group's
 * ROC convex hull is intersected, the common point (x, min_g hull_g(x)) is
 * reached by mixing two hull vertices and, below a group's hull, the
 * constant classifier that selects with probability x (as Fairlearn's
 * ThresholdOptimizer).  A group with no positives (for TPR targets) is
 * given the rule that selects nobody.
 *
 * Returns: (transfer full) (array length=n_levels) (nullable): one rule per
 * level (levels without rows select nobody); g_free().
 */
GbGroupThreshold *gb_fairness_fit_thresholds (const gint32 *group_codes, guint n_levels,
                                              const double *score, const double *y,
                                              const guint8 *row_mask, gsize n,
                                              GbFairnessConstraint constraint, double grid_step,
                                              double *out_accuracy, GError **error);

/**
 * gb_fairness_apply_thresholds:
 * @rules: (array length=n_levels): from gb_fairness_fit_thresholds()
 * @n_levels: groups
 * @group_codes: (n): group per row
 * @score: (n): scores
 * @row_mask: (nullable) (n): rows to predict; others get NAN
 * @n: rows
 * @seed: seed of the GSL mt19937 generator that draws the randomised decisions
 * @out_pred: (out caller-allocates) (n): 0/1 decisions, NAN where a group or
 *   score is missing
 * @out_prob: (out caller-allocates) (optional) (n): P(select)
 */
void gb_fairness_apply_thresholds (const GbGroupThreshold *rules, guint n_levels,
                                   const gint32 *group_codes, const double *score,
                                   const guint8 *row_mask, gsize n, guint64 seed,
                                   double *out_pred, double *out_prob);

/**
 * gb_fairness_tradeoff:
 * @group_codes: @n_levels: @score: @y: @row_mask: @n: as gb_fairness_fit_thresholds()
 * @n_points: thresholds 0, 1/(n_points − 1), …, 1 (>= 2)
 * @out_threshold: @out_accuracy: @out_parity_difference: @out_opportunity_difference:
 *   (out caller-allocates) (n_points): per common threshold t (select when
 *   score >= t) the accuracy, the statistical parity difference (max − min
 *   selection rate) and the equal opportunity difference (max − min TPR)
 *
 * The accuracy-versus-disparity trade-off of one threshold for everybody.
 */
void gb_fairness_tradeoff (const gint32 *group_codes, guint n_levels, const double *score,
                           const double *y, const guint8 *row_mask, gsize n, guint n_points,
                           double *out_threshold, double *out_accuracy,
                           double *out_parity_difference, double *out_opportunity_difference);

G_END_DECLS

G_BEGIN_DECLS

/**
 * GbFairnessMitigation:
 * @method: (transfer full): "reweighing", "thresholds_demographic_parity",
 *   "thresholds_equal_opportunity" or "thresholds_equalized_odds"
 * @attribute: (transfer full): the protected attribute mitigated
 * @description: (transfer full): one sentence on what was fitted where
 * @before: @after: (transfer full) (nullable): the audit of the evaluation
 *   rows before and after (NULL when that side could not be computed)
 * @accuracy_before: @accuracy_after: accuracy on the evaluation rows
 * @n_fit: rows the mitigation was fitted on; @n_eval: rows it was evaluated on
 * @n_groups: levels of @attribute; @groups: (transfer full) (n_groups) their labels
 * @rules: (nullable) (n_groups): the group thresholds
 * @weights: (nullable) (n_groups, 2): reweighing weights, label 0 then 1
 * @n_tradeoff: points of the trade-off curve (0 if none)
 * @tradeoff_threshold: @tradeoff_accuracy: @tradeoff_parity_difference:
 *   @tradeoff_opportunity_difference: (n_tradeoff) see gb_fairness_tradeoff()
 * @threshold: the common threshold of the "before" predictions
 */
typedef struct {
  char *method;
  char *attribute;
  char *description;
  GbFairnessResult *before;
  GbFairnessResult *after;
  double accuracy_before;
  double accuracy_after;
  gsize n_fit;
  gsize n_eval;
  guint n_groups;
  char **groups;
  GbGroupThreshold *rules;
  double *weights;
  gsize n_tradeoff;
  double *tradeoff_threshold;
  double *tradeoff_accuracy;
  double *tradeoff_parity_difference;
  double *tradeoff_opportunity_difference;
  double threshold;
} GbFairnessMitigation;

void gb_fairness_mitigation_free (GbFairnessMitigation *mitigation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbFairnessMitigation, gb_fairness_mitigation_free)

G_END_DECLS
