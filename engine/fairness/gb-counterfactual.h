/* gb-counterfactual.h — counterfactual substitution of identity terms for
 * text models (issues 6 and 7): editable pair lists (he ↔ she, names),
 * whole-word case-preserving substitution, and the paired change of a text
 * model's predicted probability with a paired t-test and the Wilcoxon
 * signed-rank test.
 *
 * The method is the counterfactual token fairness probe of Garg et al.
 * (2019, "Counterfactual Fairness in Text Classification through
 * Robustness") and the paired-sentence design of the Equity Evaluation
 * Corpus (Kiritchenko & Mohammad 2018): every sentence that names a member
 * of one group is rewritten to name the other group, and the model's
 * output is compared on the two versions of the same sentence. */
#pragma once

#include "gb-dataset.h"
#include "gb-model.h"

G_BEGIN_DECLS

/**
 * GbPairDirection:
 * @GB_PAIR_SWAP: replace every listed term by its partner, both ways at once
 * @GB_PAIR_A_TO_B: replace only the first column's terms (group A) by the second's
 * @GB_PAIR_B_TO_A: replace only the second column's terms (group B) by the first's
 */
typedef enum {
  GB_PAIR_SWAP = 0,
  GB_PAIR_A_TO_B = 1,
  GB_PAIR_B_TO_A = 2,
} GbPairDirection;

/**
 * GbPairList:
 * @name: the list's name, e.g. "gender" (the file's basename without .txt)
 * @group_a: (nullable): the first column's group, e.g. "male" (from the
 *   file's `@groups` line); NULL when the file names no groups
 * @group_b: (nullable): the second column's group, e.g. "female"
 * @terms_a: (element-type utf8): the first column's terms, in file order
 * @terms_b: (element-type utf8): the second column's terms (same length)
 * @path: (nullable): the file it was read from
 *
 * A list of identity-term pairs.  Create it with gb_pair_list_new(),
 * gb_pair_list_parse() or gb_pair_list_load(); free with gb_pair_list_free().
 */
typedef struct {
  char *name;
  char *group_a;
  char *group_b;
  GPtrArray *terms_a;
  GPtrArray *terms_b;
  char *path;
  /*< private >*/
  GHashTable *lookup[3];  /* per direction: casefolded first word → GPtrArray of entries */
} GbPairList;

/**
 * gb_pair_list_new:
 * @name: the list's name
 * @group_a: (nullable): name of the first column's group
 * @group_b: (nullable): name of the second column's group
 *
 * Returns: (transfer full): an empty list; add pairs with gb_pair_list_add().
 */
GbPairList *gb_pair_list_new (const char *name, const char *group_a, const char *group_b);

/**
 * gb_pair_list_add:
 * @self: the list
 * @a: a term of group A: one or more words (letters, digits and combining
 *   marks) separated by single spaces, e.g. "he", "this man", "Alonzo"
 * @b: its partner in group B
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_INVALID_ARGUMENT for an empty term, a
 *   character that is not part of a word (punctuation, a tab), or @a equal
 *   to @b (ignoring case)
 *
 * Adds the pair a ↔ b.  Both directions are used: @a is replaced by @b, and
 * @b by @a.  When a term appears in several pairs, its first pair defines
 * its substitute (list "him ↔ her" before "his ↔ her" to turn "her" into
 * "him").  A pair already in the list (the same words, ignoring case) is
 * kept once: it returns %TRUE and adds nothing.
 *
 * Returns: %TRUE when the pair was added (or was already there).
 */
gboolean gb_pair_list_add (GbPairList *self, const char *a, const char *b, GError **error);

/**
 * gb_pair_list_parse:
 * @data: the file's text (UTF-8; a leading byte-order mark is skipped)
 * @length: bytes of @data, or -1 when NUL-terminated
 * @name: the list's name
 * @origin: the file name used in error messages
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_PARSE naming @origin and the line:
 *   "gender.txt:12: expected two terms separated by a tab"
 *
 * The format, one pair per line:
 *
 *     # a comment (a line whose first non-blank character is #)
 *     @groups<TAB>male<TAB>female
 *     he<TAB>she
 *     this man<TAB>this woman
 *
 * Blank lines and comments are skipped; CRLF line ends are accepted; the
 * optional `@groups` line (at most one, before or after the pairs) names
 * the two columns' groups.  Terms follow gb_pair_list_add().
 *
 * Returns: (transfer full) (nullable): the list (at least one pair).
 */
GbPairList *gb_pair_list_parse (const char *data, gssize length, const char *name,
                                const char *origin, GError **error);

/**
 * gb_pair_list_load:
 * @path: a pair-list file (gb_pair_list_parse()), or the name of a
 *   built-in list ("gender", "race-names") when no file of that name exists
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_IO or GB_ERROR_PARSE
 *
 * The list's name is the file's basename without ".txt".  Built-in lists
 * live in gb_counterfactual_data_dir().
 *
 * Returns: (transfer full) (nullable): the list.
 */
GbPairList *gb_pair_list_load (const char *path, GError **error);

/**
 * gb_counterfactual_data_dir:
 *
 * Returns: (transfer none): the folder of the built-in pair lists:
 * $GB_COUNTERFACTUAL_DIR if set, else the installed
 * share/glassbox/counterfactual if it exists, else the source tree's
 * data/counterfactual.
 */
const char *gb_counterfactual_data_dir (void);

void gb_pair_list_free (GbPairList *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbPairList, gb_pair_list_free)

/**
 * gb_pair_list_to_text:
 * @self: the list
 *
 * Returns: (transfer full): the list in the file format of
 * gb_pair_list_parse() (the `@groups` line first when the list has groups),
 * so an edited list can be saved and read back identically.
 */
char *gb_pair_list_to_text (const GbPairList *self);

/**
 * gb_pair_list_substitute:
 * @self: the list
 * @text: (nullable): UTF-8 text (NULL = missing, gives NULL)
 * @direction: which terms are replaced
 * @n_replaced: (out) (optional): number of terms replaced
 *
 * Replaces whole words only: a term matches a run of words of @text whose
 * case-folded forms (g_utf8_casefold()) equal the term's, with only
 * whitespace between them, starting and ending at word boundaries (a word
 * is a run of letters, digits and combining marks; an apostrophe, hyphen
 * or any punctuation is a boundary, so "he's" becomes "she's").  Longer
 * terms win over shorter ones at the same place ("this man" before "man").
 * The replacement keeps the case of the matched text: all upper case
 * (two or more letters) gives an all upper-case substitute, an upper-case
 * first letter gives a capitalised substitute, otherwise the substitute is
 * written as in the list.  Everything that is not replaced is copied byte
 * for byte.
 *
 * Returns: (transfer full) (nullable): the new text.
 */
char *gb_pair_list_substitute (const GbPairList *self, const char *text,
                               GbPairDirection direction, guint *n_replaced);

/**
 * gb_paired_t_test:
 * @d: (array length=n): paired differences (after − before)
 * @n: number of pairs
 * @mean: (out): mean of @d
 * @ci_low: (out): lower end of the 95 % t interval mean ± t(0.975, n−1)·s/√n
 * @ci_high: (out): upper end
 * @t: (out) (optional): the t statistic mean/(s/√n)
 * @p_value: (out): two-sided p-value from Student's t with n − 1 degrees of
 *   freedom (GSL); NAN for n < 2.  When every difference is equal (s = 0)
 *   the p-value is 1 for a zero mean and 0 otherwise (scipy returns NaN
 *   for all-zero differences).
 *
 * The paired t-test, as scipy.stats.ttest_rel.
 */
void gb_paired_t_test (const double *d, gsize n, double *mean, double *ci_low, double *ci_high,
                       double *t, double *p_value);

/**
 * gb_wilcoxon_signed_rank:
 * @d: (array length=n): paired differences
 * @n: number of pairs
 * @exact_max_n: use the exact null distribution when at most this many
 *   differences are non-zero and their absolute values have no ties (scipy
 *   uses 50); 0 = always the normal approximation
 * @statistic: (out): min(W⁺, W⁻), the smaller signed-rank sum (scipy's
 *   two-sided statistic)
 * @p_value: (out): two-sided p-value; 1 when every difference is 0
 * @n_used: (out) (optional): number of non-zero differences
 * @exact: (out) (optional): whether the exact distribution was used
 *
 * Wilcoxon's signed-rank test (1945) of a zero median difference.  Zero
 * differences are dropped (Wilcoxon's method, scipy's zero_method="wilcox");
 * tied absolute differences get their average rank.  Exact: the null
 * distribution of W⁺ by counting subsets of ranks 1..n, p = min(1,
 * 2·P(W⁺ ≤ statistic)).  Otherwise z = (statistic − n(n+1)/4)/σ with
 * σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over the tie groups (no continuity
 * correction), p = 2Φ(−|z|) — as scipy.stats.wilcoxon(method="approx").
 */
void gb_wilcoxon_signed_rank (const double *d, gsize n, guint exact_max_n, double *statistic,
                              double *p_value, gsize *n_used, gboolean *exact);

/**
 * GbCounterfactualExample:
 * @row: 0-based dataset row
 * @before: (transfer full): the row's text
 * @after: (transfer full): the text with the terms replaced
 * @p_before: predicted probability of the reported class on @before
 * @p_after: on @after
 */
typedef struct {
  gsize row;
  char *before;
  char *after;
  double p_before;
  double p_after;
} GbCounterfactualExample;

/**
 * GbCounterfactualDirection:
 * @direction: the #GbPairDirection
 * @label: (transfer full): "female→male", "male→female" or "swap" (both
 *   ways at once; "A→B" with the column names when the list has no groups)
 * @n_rows: rows that contain a term replaced in this direction (the pairs)
 * @mean_before: @mean_after: mean predicted probability of the class
 * @mean_change: mean of p(after) − p(before) over the @n_rows pairs
 * @ci_low: @ci_high: 95 % paired t interval of @mean_change
 * @t_statistic: @t_p_value: the paired t-test
 * @wilcoxon_statistic: @wilcoxon_p_value: Wilcoxon's signed-rank test
 * @wilcoxon_exact: whether its p-value is exact
 * @n_flips: rows whose predicted class (argmax) changes; @flip_rate = n_flips / n_rows
 * @mean_abs_change: mean |p(after) − p(before)|
 * @class_mean_change: (array length=n_classes): mean change of every class
 * @examples: (element-type GbCounterfactualExample): the rows with the
 *   largest |change|, largest first
 */
typedef struct {
  GbPairDirection direction;
  char *label;
  gsize n_rows;
  double mean_before;
  double mean_after;
  double mean_change;
  double ci_low;
  double ci_high;
  double t_statistic;
  double t_p_value;
  double wilcoxon_statistic;
  double wilcoxon_p_value;
  gboolean wilcoxon_exact;
  gsize n_flips;
  double flip_rate;
  double mean_abs_change;
  double *class_mean_change;
  GArray *examples;
} GbCounterfactualDirection;

/**
 * GbCounterfactualResult:
 * @pair_list: (transfer full): the list's name
 * @group_a: @group_b: (nullable): its groups
 * @n_pairs: pairs in the list
 * @text_column: (transfer full): the model's text column
 * @n_rows_examined: rows looked at (e.g. the held-out split)
 * @class_index: the class whose probability is reported
 * @n_classes: K
 * @directions: (element-type GbCounterfactualDirection*): "swap" first, then
 *   A→B and B→A when the list has groups
 */
typedef struct {
  char *pair_list;
  char *group_a;
  char *group_b;
  guint n_pairs;
  char *text_column;
  gsize n_rows_examined;
  guint class_index;
  guint n_classes;
  GPtrArray *directions;
} GbCounterfactualResult;

void gb_counterfactual_result_free (GbCounterfactualResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbCounterfactualResult, gb_counterfactual_result_free)

/**
 * gb_counterfactual_run:
 * @model: a trained text (or text+features) model with its tokenizer
 * @ds: the dataset (the model's text column and features)
 * @pairs: the pair list
 * @rows: (array length=n_rows): the rows examined (e.g. the held-out split)
 * @n_rows: number of rows
 * @class_index: the class whose probability is reported, or −1 for the
 *   positive class (1) of a binary model and, for K > 2, the class whose
 *   mean change under the swap has the largest absolute value
 * @n_examples: rows with the largest |change| kept per direction
 * @cancellable: (nullable)
 * @error: GB_FAIRNESS_ERROR / GB_ERROR_INVALID_ARGUMENT for a model without
 *   text or a bad class, or the model's error
 *
 * For every direction (the swap, then A→B and B→A when the list names
 * groups), rewrites the text of each row that contains a term to replace
 * (gb_pair_list_substitute()), predicts both versions
 * (gb_model_predict_proba(), gb_model_predict_texts()) and summarises the
 * paired differences (gb_paired_t_test(), gb_wilcoxon_signed_rank() with
 * exact_max_n 50).  Rows without such a term are not pairs and are left
 * out of that direction.  A direction without any row has n_rows = 0 and
 * NAN statistics.
 *
 * Returns: (transfer full) (nullable): the result.
 */
GbCounterfactualResult *gb_counterfactual_run (GbModel *model, GbDataset *ds,
                                               const GbPairList *pairs, const gsize *rows,
                                               gsize n_rows, int class_index, guint n_examples,
                                               GCancellable *cancellable, GError **error);

G_END_DECLS
