/* gb-tcav.h — TCAV over given layer activations and gradients. */
#pragma once

#include "gb-explain.h"

G_BEGIN_DECLS

/**
 * GbTcavResult:
 * @concept: (transfer full) the concept's name
 * @class_index: the class whose sensitivity is measured
 * @n_runs: CAVs trained (one per random counterexample set)
 * @scores: (n_runs) TCAV score of each CAV: the share of class examples
 *   whose directional derivative ∇h·v_C is positive
 * @random_scores: (n_runs) the same with random-vs-random CAVs
 * @score: mean of @scores
 * @score_sd: their sample standard deviation
 * @random_score: mean of @random_scores
 * @p_value: two-sided Student t-test of @scores against @random_scores
 *   (scipy.stats.ttest_ind with equal variances, as the TCAV reference code)
 * @significant: @p_value ≤ 0.05 (the result is marked not significant otherwise)
 */
typedef struct {
  char *concept;
  guint class_index;
  guint n_runs;
  double *scores;
  double *random_scores;
  double score;
  double score_sd;
  double random_score;
  double p_value;
  gboolean significant;
} GbTcavResult;

void gb_tcav_result_free (GbTcavResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbTcavResult, gb_tcav_result_free)

/**
 * gb_tcav:
 * @concept_name: (nullable): recorded in the result
 * @concept: (n_concept, D) activations of the concept's examples at the chosen layer
 * @n_concept: concept examples
 * @random: (n_random_sets, n_random, D) activations of random counterexample sets
 * @n_random_sets: R ≥ 3 (10 or more recommended; one CAV per set)
 * @n_random: rows per random set
 * @grads: (n_x, D) gradients of the class output with respect to the
 *   layer activations, one per example of the class
 * @n_x: class examples
 * @D: activation width
 * @class_index: recorded in the result
 * @l2: ridge penalty of the logistic-regression CAV (sklearn C = 1/l2;
 *   keeps separable concepts finite); 0.01 is a good default
 * @error: GB_EXPLAIN_ERROR / GB_ERROR_INVALID_ARGUMENT for too few sets,
 *   GB_ERROR_NUMERIC when a CAV cannot be fit
 *
 * TCAV (Kim et al. 2018, "Interpretability Beyond Feature Attribution",
 * ICML): CAV r is the normal of a logistic regression (gb_logistic_fit,
 * intercept + D weights) separating the concept (label 1) from random set
 * r, so it points towards the concept; the TCAV score of CAV r is
 * |{x : ∇h(x)·v_r > 0}| / n_x.  The random baseline trains CAVs of random
 * set r against random set r + 1 (mod R) and scores them the same way.
 * A two-sided t-test of the R concept scores against the R random scores
 * gives the p-value.  The concept's examples are the same in every run,
 * so their own sample-mean direction enters every CAV: keep the concept set
 * large relative to the random sets (in the synthetic tests, 500 concept
 * rows against sets of 50 give 19 of 20 random concepts p > 0.05, while 40
 * against 40 make the test anti-conservative).
 *
 * Returns: (transfer full) (nullable): the result.
 */
GbTcavResult *gb_tcav (const char *concept_name, const double *concept, gsize n_concept,
                       const double *random, guint n_random_sets, gsize n_random,
                       const double *grads, gsize n_x, guint D, guint class_index, double l2,
                       GError **error);

/**
 * gb_t_test_ind:
 * @a: (na) @b: (nb) samples (na, nb ≥ 2)
 * @t: (out) (optional): the t statistic
 *
 * Student's two-sample t-test with pooled variance, two-sided
 * (scipy.stats.ttest_ind(a, b)); identical constant samples give p = 1
 * when the means agree and 0 otherwise.
 *
 * Returns: the p-value.
 */
double gb_t_test_ind (const double *a, gsize na, const double *b, gsize nb, double *t);

G_END_DECLS
