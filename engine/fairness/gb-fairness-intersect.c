/* gb-fairness-intersect.c — intersectional groups (e.g. race × sex) and the
 * single-feature proxy check. */
#include "gb-config.h"
#include "gb-fairness.h"
#include "gb-metrics.h"

#include <math.h>
#include <string.h>

char **
gb_fairness_intersect (guint n_attributes, const gint32 *const *codes,
                       const char *const *const *levels, const guint *n_levels,
                       gsize n, gint32 *out_codes, guint *out_n_levels)
{
  g_return_val_if_fail (n_attributes >= 1, NULL);
  /* mixed-radix key of the level indices; present keys get codes in key order */
  g_autoptr(GHashTable) present = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *keys = g_new (gint64, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      gint64 key = 0;
      gboolean missing = FALSE;
      for (guint a = 0; a < n_attributes; a++)
        {
          const gint32 c = codes[a][i];
          if (c < 0 || (guint) c >= n_levels[a])
            {
              missing = TRUE;
              break;
            }
          key = key * n_levels[a] + c;
        }
      keys[i] = missing ? -1 : key;
      if (!missing)
        g_hash_table_add (present, &keys[i]);
    }
  guint m = g_hash_table_size (present);
  g_autofree gint64 *sorted = g_new (gint64, MAX (m, 1));
  GHashTableIter it;
  gpointer k;
  guint j = 0;
  g_hash_table_iter_init (&it, present);
  while (g_hash_table_iter_next (&it, &k, NULL))
    sorted[j++] = *(gint64 *) k;
  /* insertion sort is enough for the few combinations; keep it simple and stable */
  for (guint a = 1; a < m; a++)
    for (guint b = a; b > 0 && sorted[b - 1] > sorted[b]; b--)
      {
        gint64 t = sorted[b];
        sorted[b] = sorted[b - 1];
        sorted[b - 1] = t;
      }
  char **labels = g_new0 (char *, m + 1);
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint s = 0; s < m; s++)
    {
      gint64 key = sorted[s];
      g_autofree guint *idx = g_new (guint, n_attributes);
      for (guint a = n_attributes; a-- > 0;)
        {
          idx[a] = (guint) (key % n_levels[a]);
          key /= n_levels[a];
        }
      GString *label = g_string_new (NULL);
      for (guint a = 0; a < n_attributes; a++)
        {
          if (a)
            g_string_append_c (label, '*');
          g_string_append (label, levels[a][idx[a]] ? levels[a][idx[a]] : "");
        }
      labels[s] = g_string_free (label, FALSE);
      g_hash_table_insert (index, &sorted[s], GUINT_TO_POINTER (s + 1));
    }
  for (gsize i = 0; i < n; i++)
    out_codes[i] = keys[i] < 0 ? -1
      : (gint32) GPOINTER_TO_UINT (g_hash_table_lookup (index, &keys[i])) - 1;
  *out_n_levels = m;
  return labels;
}

double
gb_fairness_proxy_auc (const double *numeric, const gint32 *feature_codes,
                       guint n_feature_levels, const gint32 *group_codes,
                       guint n_levels, const guint8 *row_mask, gsize n,
                       guint *out_group)
{
  g_return_val_if_fail (numeric != NULL || feature_codes != NULL, NAN);
  g_autofree double *s = g_new (double, MAX (n, 1));
  g_autofree double *y = g_new (double, MAX (n, 1));
  g_autofree double *share = NULL;
  double best = NAN;
  guint best_g = 0;

  for (guint g = 0; g < n_levels; g++)
    {
      gsize m = 0;
      if (feature_codes != NULL)
        {
          /* share of group g among the rows of each feature level (missing = one more level) */
          g_autofree double *in = g_new0 (double, n_feature_levels + 1);
          g_autofree double *all = g_new0 (double, n_feature_levels + 1);
          for (gsize i = 0; i < n; i++)
            {
              if ((row_mask && !row_mask[i]) || group_codes[i] < 0)
                continue;
              const guint l = feature_codes[i] < 0 ? n_feature_levels : (guint) feature_codes[i];
              all[l] += 1.0;
              in[l] += group_codes[i] == (gint32) g;
            }
          for (gsize i = 0; i < n; i++)
            {
              if ((row_mask && !row_mask[i]) || group_codes[i] < 0)
                continue;
              const guint l = feature_codes[i] < 0 ? n_feature_levels : (guint) feature_codes[i];
              s[m] = in[l] / all[l];
              y[m++] = group_codes[i] == (gint32) g;
            }
        }
      else
        for (gsize i = 0; i < n; i++)
          {
            if ((row_mask && !row_mask[i]) || group_codes[i] < 0 || isnan (numeric[i]))
              continue;
            s[m] = numeric[i];
            y[m++] = group_codes[i] == (gint32) g;
          }
      double auc = gb_roc_auc (s, y, m);
      if (isnan (auc))
        continue;
      auc = MAX (auc, 1.0 - auc);
      if (isnan (best) || auc > best)
        {
          best = auc;
          best_g = g;
        }
    }
  if (out_group)
    *out_group = best_g;
  return best;
}
