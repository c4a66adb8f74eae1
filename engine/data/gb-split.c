/* gb-split.c — seeded stratified train / held-out split (GSL mt19937). */
#include "gb-config.h"
#include "gb-variable.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

/* Sort row indices by label, then by index, so strata are contiguous and
 * visited in a fixed order whatever the input order of labels. */
static int
cmp_by_label (const void *a, const void *b, void *data)
{
  const double *y = data;
  gsize i = *(const gsize *) a, j = *(const gsize *) b;

  if (y[i] < y[j]) return -1;
  if (y[i] > y[j]) return 1;
  return (i > j) - (i < j);
}

void
gb_split_stratified (const double *y, gsize n, double test_fraction, guint64 seed,
                     guint8 *out_split)
{
  g_autofree gsize *idx = NULL;
  gsl_rng *rng;
  gsize m = 0;

  g_return_if_fail (y != NULL || n == 0);
  g_return_if_fail (out_split != NULL || n == 0);

  if (n == 0)
    return;
  test_fraction = CLAMP (test_fraction, 0.0, 1.0);

  idx = g_new (gsize, n);
  for (gsize i = 0; i < n; i++)
    {
      if (isnan (y[i]))
        out_split[i] = 2;
      else
        {
          out_split[i] = 0;
          idx[m++] = i;
        }
    }
  g_qsort_with_data (idx, (gint) m, sizeof (gsize), cmp_by_label, (gpointer) y);

  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, (unsigned long) seed);
  for (gsize start = 0; start < m;)
    {
      gsize end = start + 1;
      gsize k;

      while (end < m && y[idx[end]] == y[idx[start]])
        end++;
      gsl_ran_shuffle (rng, idx + start, end - start, sizeof (gsize));
      k = (gsize) floor (test_fraction * (double) (end - start) + 0.5);
      for (gsize r = 0; r < k; r++)
        out_split[idx[start + r]] = 1;
      start = end;
    }
  gsl_rng_free (rng);
}
