/* gb-design.c — design matrices (complete cases, one-hot, standardised).
 *
 * Standardisation uses the population SD (divide by n, as scikit-learn's
 * StandardScaler); a constant column is centred only.  One-hot columns use
 * all levels of the column (not only those among the kept rows) so designs
 * built with different row masks have the same columns; a level absent from
 * the kept rows gives a column of zeros. */
#include "gb-config.h"
#include "gb-design.h"

#include <math.h>
#include <string.h>

void
gb_design_free (GbDesign *design)
{
  if (design == NULL)
    return;
  g_free (design->X);
  g_free (design->rows);
  g_clear_pointer (&design->names, g_ptr_array_unref);
  g_free (design);
}

static gboolean
cell_present (const GbColumn *c, gsize i)
{
  if (c->type == GB_COLUMN_NUMERIC)
    return !isnan (c->numeric[i]);
  return c->codes[i] >= 0;
}

GbDesign *
gb_design_matrix_build (GbDataset *ds, const char *const *columns, guint n_columns,
                        const guint8 *row_mask, gboolean intercept,
                        gboolean standardize, GError **error)
{
  g_autofree const GbColumn **cols = NULL;
  g_autofree gsize *offset = NULL;
  GbDesign *d;
  gsize n_rows, p, n = 0;

  g_return_val_if_fail (GB_IS_DATASET (ds), NULL);
  g_return_val_if_fail (columns != NULL || n_columns == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n_rows = gb_dataset_get_n_rows (ds);
  cols = g_new0 (const GbColumn *, MAX (n_columns, 1));
  offset = g_new0 (gsize, MAX (n_columns, 1));
  p = intercept ? 1 : 0;
  for (guint k = 0; k < n_columns; k++)
    {
      int j = gb_dataset_find_column (ds, columns[k]);

      if (j < 0)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "unknown column “%s”", columns[k] ? columns[k] : "(null)");
          return NULL;
        }
      cols[k] = gb_dataset_get_column (ds, j);
      if (cols[k]->type == GB_COLUMN_TEXT)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "column “%s” holds free text and cannot enter a design matrix",
                       cols[k]->name);
          return NULL;
        }
      offset[k] = p;
      p += cols[k]->type == GB_COLUMN_NUMERIC ? 1 : (cols[k]->levels->len > 0 ? cols[k]->levels->len - 1 : 0);
    }

  d = g_new0 (GbDesign, 1);
  d->p = p;
  d->standardized = standardize;
  d->names = g_ptr_array_new_with_free_func (g_free);
  if (intercept)
    g_ptr_array_add (d->names, g_strdup ("(intercept)"));
  for (guint k = 0; k < n_columns; k++)
    {
      if (cols[k]->type == GB_COLUMN_NUMERIC)
        g_ptr_array_add (d->names, g_strdup (cols[k]->name));
      else
        for (guint l = 1; l < cols[k]->levels->len; l++)
          g_ptr_array_add (d->names, g_strdup_printf ("%s=%s", cols[k]->name,
                                                      (const char *) g_ptr_array_index (cols[k]->levels, l)));
    }

  d->rows = g_new (gsize, MAX (n_rows, 1));
  for (gsize i = 0; i < n_rows; i++)
    {
      gboolean keep = row_mask == NULL || row_mask[i] != 0;
      for (guint k = 0; keep && k < n_columns; k++)
        keep = cell_present (cols[k], i);
      if (keep)
        d->rows[n++] = i;
    }
  if (n == 0)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "no rows left for the design matrix: every row is masked out or has a missing value in a chosen column");
      gb_design_free (d);
      return NULL;
    }
  d->n = n;
  d->rows = g_renew (gsize, d->rows, n);
  d->X = g_new0 (double, n * MAX (p, 1));

  for (gsize r = 0; r < n; r++)
    {
      double *row = d->X + r * p;
      gsize i = d->rows[r];

      if (intercept)
        row[0] = 1.0;
      for (guint k = 0; k < n_columns; k++)
        {
          if (cols[k]->type == GB_COLUMN_NUMERIC)
            row[offset[k]] = cols[k]->numeric[i];
          else if (cols[k]->codes[i] > 0)
            row[offset[k] + cols[k]->codes[i] - 1] = 1.0;
        }
    }

  if (standardize)
    for (guint k = 0; k < n_columns; k++)
      {
        double mean = 0, ss = 0, sd;
        gsize c = offset[k];

        if (cols[k]->type != GB_COLUMN_NUMERIC)
          continue;
        for (gsize r = 0; r < n; r++)
          mean += d->X[r * p + c];
        mean /= (double) n;
        for (gsize r = 0; r < n; r++)
          {
            double e = d->X[r * p + c] - mean;
            ss += e * e;
          }
        sd = sqrt (ss / (double) n);
        if (!(sd > 0))
          sd = 1.0;
        for (gsize r = 0; r < n; r++)
          d->X[r * p + c] = (d->X[r * p + c] - mean) / sd;
      }

  return d;
}

guint
gb_design_drop_constant_columns (GbDesign *design)
{
  g_return_val_if_fail (design != NULL, 0);
  const gsize n = design->n, p = design->p;
  g_autofree gboolean *keep = g_new (gboolean, p);
  gsize q = 0;

  for (gsize j = 0; j < p; j++)
    {
      gboolean constant = TRUE;
      const gboolean intercept = g_strcmp0 (g_ptr_array_index (design->names, j), "(intercept)") == 0;
      for (gsize i = 1; i < n && constant; i++)
        constant = design->X[i * p + j] == design->X[j];
      keep[j] = intercept || n < 2 || !constant;
      q += keep[j];
    }
  if (q == p)
    return 0;
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0, k = 0; j < p; j++)
      if (keep[j])
        design->X[i * q + k++] = design->X[i * p + j];
  for (gsize j = p; j-- > 0;)
    if (!keep[j])
      g_ptr_array_remove_index (design->names, j);
  design->p = q;
  return (guint) (p - q);
}
