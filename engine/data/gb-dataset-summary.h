/* gb-dataset-summary.h — what is in a dataset: per-column summaries,
 * duplicate rows (engine/data).  The Dataset pane's side panel and
 * `glassbox-audit --describe` show these. */
#pragma once

#include "gb-dataset.h"

G_BEGIN_DECLS

/**
 * GbCategoryCount:
 * @value: (transfer none): the level text (owned by the summary)
 * @count: rows holding it
 */
typedef struct {
  char *value;
  gsize count;
} GbCategoryCount;

/**
 * GbColumnSummary:
 * @name: the column name
 * @type: the column's logical type (#GbColumn.logical_type)
 * @count: rows with a value (not missing)
 * @missing: rows without a value
 * @distinct: distinct values among the present cells
 * @min: smallest value (numeric and date columns; for dates in days since
 *   1970-01-01); NAN when there is no value or the column is not numeric
 * @max: largest value, as @min
 * @mean: arithmetic mean, as @min
 * @sd: sample standard deviation (n − 1 denominator, as pandas describe()),
 *   NAN with fewer than two values
 * @q1: first quartile (linear interpolation between order statistics,
 *   numpy's default "linear" method, R type 7)
 * @median: second quartile, as @q1
 * @q3: third quartile, as @q1
 * @top: (element-type GbCategoryCount): the most frequent values of a
 *   categorical, boolean or text column, most frequent first, ties in
 *   level (byte) order; at most the number asked for
 * @other_count: rows holding a value that is not in @top
 * @n_bins: histogram bins of a numeric or date column (0 otherwise, or
 *   when there is no value)
 * @bin_edges: (array length=n_bins+1): bin edges, increasing; bin k is
 *   [edge k, edge k+1), the last bin closed
 * @bin_counts: (array length=n_bins): values per bin
 * @integer_valued: every value is a whole number (then, with at most 30
 *   distinct values in a range under 30, each bin holds one integer)
 * @looks_like_identifier: the column looks like a row identifier: every
 *   present value distinct, at least 20 of them, and the column is
 *   categorical, text without white space in any value (codes, not prose),
 *   or whole numbers (see gb_column_looks_like_identifier())
 *
 * A snapshot of one column; free with gb_column_summary_free().
 */
typedef struct _GbColumnSummary {
  char *name;
  GbColumnType type;
  gsize count;
  gsize missing;
  gsize distinct;
  double min, max, mean, sd, q1, median, q3;
  GArray *top;
  gsize other_count;
  guint n_bins;
  double *bin_edges;
  gsize *bin_counts;
  gboolean integer_valued;
  gboolean looks_like_identifier;
} GbColumnSummary;

/**
 * gb_dataset_summarize_column:
 * @ds: the dataset
 * @column: column index
 * @max_top: how many of the most frequent values to keep in @top (0: none)
 *
 * Summarises one column in O(n log n) time (a sorted copy of a numeric
 * column; a count per level).  Histogram bins: one per integer when the
 * values are whole numbers spanning fewer than 30 units; otherwise the
 * Freedman–Diaconis width 2·IQR/n^(1/3) (Sturges' log2(n)+1 bins when the
 * IQR is 0), clamped to 1–40 bins over [min, max].
 *
 * Returns: (transfer full): the summary.
 */
GbColumnSummary *gb_dataset_summarize_column (GbDataset *ds, guint column, guint max_top);
void             gb_column_summary_free      (GbColumnSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbColumnSummary, gb_column_summary_free)

/**
 * gb_dataset_count_duplicate_rows:
 * @ds: the dataset
 *
 * Counts rows equal in every column to an earlier row (missing equals
 * missing), as pandas DataFrame.duplicated().sum().  Uses a hash of the
 * typed values (numbers bit for bit, with 0.0 == -0.0; levels by code; text
 * by content) and compares colliding rows cell by cell.
 *
 * Returns: the number of duplicate rows.
 */
gsize gb_dataset_count_duplicate_rows (GbDataset *ds);

/**
 * GbDatasetSummary:
 * @n_rows: data rows
 * @n_columns: columns
 * @memory_bytes: gb_dataset_get_memory_size()
 * @duplicate_rows: gb_dataset_count_duplicate_rows()
 * @n_missing_cells: missing cells over all columns
 */
typedef struct {
  gsize n_rows;
  guint n_columns;
  gsize memory_bytes;
  gsize duplicate_rows;
  gsize n_missing_cells;
} GbDatasetSummary;

/**
 * gb_dataset_summarize:
 * @ds: the dataset
 * @out: (out caller-allocates): the figures
 */
void gb_dataset_summarize (GbDataset *ds, GbDatasetSummary *out);

/**
 * gb_column_looks_like_identifier:
 * @ds: the dataset
 * @column: column index
 *
 * Returns: %TRUE when the column looks like a row identifier (every present
 * value distinct, at least 20 values, and categorical, text without white
 * space, or whole numbers) — such a column is excluded from features.
 */
gboolean gb_column_looks_like_identifier (GbDataset *ds, guint column);

/**
 * gb_dataset_describe:
 * @ds: the dataset
 *
 * The text `glassbox-audit --describe` prints: the dataset figures, the
 * reading options, the notices and one block per column (type, count,
 * missing, distinct, then min/quartiles/max/mean/sd for numbers and dates,
 * or the top five values with counts).  Numbers are printed with
 * g_ascii_formatd ("%.6g"), independent of the locale.
 *
 * Returns: (transfer full): the text, ending in a newline.
 */
char *gb_dataset_describe (GbDataset *ds);

G_END_DECLS
