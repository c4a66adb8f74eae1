/* gb-design.h — design matrices from dataset columns. */
#pragma once

#include "gb-dataset.h"

G_BEGIN_DECLS

/**
 * GbDesign:
 * @n: rows kept (rows where every chosen column is present and the row mask is set)
 * @p: columns: 1 (intercept, if asked) + one per numeric column + (levels − 1)
 *   per categorical column (one-hot, the first level in sorted order dropped)
 * @X: (n, p) row-major
 * @rows: (n) index in the dataset of each kept row
 * @names: (p) (element-type utf8) column names: "(intercept)", "age",
 *   "sex=Male", ...
 * @standardized: when %TRUE numeric columns were centred and scaled to unit SD
 */
typedef struct {
  gsize n;
  gsize p;
  double *X;
  gsize *rows;
  GPtrArray *names;
  gboolean standardized;
} GbDesign;

/**
 * gb_design_matrix_build:
 * @ds: dataset
 * @columns: (array length=n_columns): column names (numeric or categorical;
 *   text columns are an error)
 * @n_columns: number of columns
 * @row_mask: (nullable) (n_rows of @ds): rows to consider (non-zero = use)
 * @intercept: add a leading column of ones
 * @standardize: centre and scale numeric columns (mean 0, SD 1 over kept rows)
 * @error: GB_DATA_ERROR / GB_ERROR_INVALID_ARGUMENT naming an unknown column
 *   or a text column
 *
 * Rows with a missing value in any chosen column are dropped (complete cases).
 *
 * Returns: (transfer full) (nullable): the design; free with gb_design_free().
 */
GbDesign *gb_design_matrix_build (GbDataset *ds, const char *const *columns, guint n_columns,
                                  const guint8 *row_mask, gboolean intercept,
                                  gboolean standardize, GError **error);
/**
 * gb_design_drop_constant_columns:
 * @design: a design
 *
 * Removes every column that is constant over the kept rows, except the
 * intercept — e.g. the one-hot column of a level that no kept row has, which
 * would make X'WX singular.  Rows are unchanged.
 *
 * Returns: the number of columns removed.
 */
guint gb_design_drop_constant_columns (GbDesign *design);

void gb_design_free (GbDesign *design);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbDesign, gb_design_free)

G_END_DECLS
