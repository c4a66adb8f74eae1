/* gb-variable.h — roles that name a column or a condition on one. */
#pragma once

#include "gb-dataset.h"

G_BEGIN_DECLS

typedef enum {
  GB_COMPARE_NONE,  /* the spec is a bare column name */
  GB_COMPARE_EQ,    /* == */
  GB_COMPARE_NE,    /* != */
  GB_COMPARE_GE,    /* >= */
  GB_COMPARE_LE,    /* <= */
  GB_COMPARE_GT,    /* >  */
  GB_COMPARE_LT,    /* <  */
  GB_COMPARE_CONTAINS, /* ~  : a text or categorical cell contains one of the
                        * '|'-separated words (whole words, case-insensitive) */
} GbCompareOp;

/**
 * gb_variable_spec_parse:
 * @ds: the dataset (the column part must name one of its columns)
 * @spec: "COLUMN" or "COLUMN OP VALUE" with OP one of == != >= <= > < ~
 *   (a single = is read as ==; "COLUMN~w1|w2" is a text or categorical
 *   column containing any of the words, see gb_dataset_eval_variable());
 *   spaces around OP are allowed; column names
 *   may contain '-' and spaces.  A spec that is exactly a column name is a
 *   bare column even if the name contains an operator character.
 *   The split is at the earliest operator whose left part (trimmed) is an
 *   existing column name, so "income-per-year==>50K" is column
 *   "income-per-year", op ==, value ">50K".
 * @column_out: (out): column index
 * @op_out: (out): the operator, GB_COMPARE_NONE for a bare column
 * @value_out: (out) (transfer full) (nullable): the value text (trimmed), NULL for a bare column
 * @error: GB_DATA_ERROR / GB_ERROR_INVALID_ARGUMENT naming the spec, e.g.
 *   "unknown column “educ” in “educ>=13”", or a non-numeric value given
 *   to an ordering operator on a numeric column.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_variable_spec_parse (GbDataset *ds, const char *spec, int *column_out,
                                 GbCompareOp *op_out, char **value_out, GError **error);

/**
 * gb_dataset_eval_variable:
 * @ds: the dataset
 * @spec: a column name or a condition (see gb_variable_spec_parse())
 * @positive: (nullable): for a bare categorical/text column, the value that
 *   codes as 1 (others 0; it must occur in the column); for a bare numeric
 *   column, a number: 1.0 where the value equals it; ignored for conditions
 * @out: (out caller-allocates) (array length=n_rows): the variable per row:
 *   a condition gives 1.0 / 0.0; a bare numeric column gives its values; a
 *   bare categorical column gives 1.0 where it equals @positive (if @positive
 *   is NULL it must have exactly two levels and the second level in sorted
 *   order is 1); NAN where the underlying cell is missing.
 * @error: GB_DATA_ERROR / GB_ERROR_INVALID_ARGUMENT, e.g. "target
 *   “income” has 3 values; choose which value is the positive class",
 *   "value “>60K” does not occur in column “income-per-year”".
 *
 * Numeric comparisons parse VALUE with g_ascii_strtod(); == and != on a
 * categorical column compare the level text exactly.
 *
 * "COLUMN~w1|w2|…" (text or categorical columns only; a numeric column is
 * an error naming the condition) is 1.0 where the cell contains any of the
 * words as a whole word: cell and words are compared case-insensitively
 * after Unicode case folding and NFKC normalisation (g_utf8_casefold(),
 * g_utf8_normalize()), and a match must not be preceded or followed by a
 * letter, digit or combining mark — except next to characters of scripts
 * written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer,
 * Myanmar), where any occurrence counts.  A word may contain spaces (a
 * phrase).  Words are trimmed; an empty list is an error.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_dataset_eval_variable (GbDataset *ds, const char *spec, const char *positive,
                                   double *out, GError **error);

/**
 * gb_variable_is_binary:
 * @values: (array length=n): values from gb_dataset_eval_variable()
 * Returns: %TRUE when every non-NaN value is 0 or 1.
 */
gboolean gb_variable_is_binary (const double *values, gsize n);

/**
 * gb_split_stratified:
 * @y: (array length=n): stratum labels (class index as double); NaN rows are
 *   put in neither split (out value 2)
 * @n: number of rows
 * @test_fraction: fraction of each stratum put in the held-out split (0, 1)
 * @seed: seed for GSL's mt19937; the same seed gives the same split
 * @out_split: (out caller-allocates) (array length=n): 0 = train, 1 = held-out,
 *   2 = excluded (missing label)
 *
 * Stratified random split: within each distinct value of @y, a seeded
 * shuffle puts round(test_fraction × count) rows in the held-out split
 * (halves round up).  Strata are visited in increasing order of @y with one
 * generator, so the split depends only on @y, @test_fraction and @seed.
 */
void gb_split_stratified (const double *y, gsize n, double test_fraction, guint64 seed,
                          guint8 *out_split);

G_END_DECLS
