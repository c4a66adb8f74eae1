/* gb-dataset-summary.c — per-column summaries and duplicate rows. */
#include "gb-config.h"
#include "gb-dataset-summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GB_ID_MIN_ROWS   20
#define GB_UNIT_BINS_MAX 30
#define GB_BINS_MAX      40

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Linear interpolation between order statistics (numpy "linear", R type 7). */
static double
quantile_sorted (const double *v, gsize n, double q)
{
  double h = (n - 1) * q;
  gsize lo = (gsize) floor (h);
  gsize hi = MIN (lo + 1, n - 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

typedef struct { const char *value; gsize count; } Pair;

static int
cmp_pair (const void *a, const void *b)
{
  const Pair *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->value, y->value);
}

static void
fill_top (GbColumnSummary *s, Pair *pairs, guint n_pairs, guint max_top)
{
  qsort (pairs, n_pairs, sizeof *pairs, cmp_pair);
  s->other_count = s->count;
  for (guint k = 0; k < n_pairs && k < max_top; k++)
    {
      GbCategoryCount cc = { g_strdup (pairs[k].value), pairs[k].count };
      g_array_append_val (s->top, cc);
      s->other_count -= pairs[k].count;
    }
}

static void
numeric_summary (GbColumnSummary *s, const GbColumn *c)
{
  g_autofree double *v = g_new (double, MAX (c->n_rows, 1));
  gsize n = 0;
  double sum = 0, ss = 0;

  for (gsize i = 0; i < c->n_rows; i++)
    if (!isnan (c->numeric[i]))
      v[n++] = c->numeric[i];
  s->count = n;
  s->missing = c->n_rows - n;
  if (n == 0)
    return;
  qsort (v, n, sizeof *v, cmp_double);
  s->distinct = 1;
  s->integer_valued = TRUE;
  for (gsize i = 0; i < n; i++)
    {
      sum += v[i];
      if (i > 0 && v[i] != v[i - 1])
        s->distinct++;
      if (s->integer_valued && v[i] != floor (v[i]))
        s->integer_valued = FALSE;
    }
  s->mean = sum / n;
  for (gsize i = 0; i < n; i++)
    ss += (v[i] - s->mean) * (v[i] - s->mean);
  s->sd = n > 1 ? sqrt (ss / (n - 1)) : NAN;
  s->min = v[0];
  s->max = v[n - 1];
  s->q1 = quantile_sorted (v, n, 0.25);
  s->median = quantile_sorted (v, n, 0.5);
  s->q3 = quantile_sorted (v, n, 0.75);

  /* histogram */
  {
    guint nb;
    double lo = s->min, hi = s->max;

    if (s->integer_valued && hi - lo < GB_UNIT_BINS_MAX)
      {
        nb = (guint) (hi - lo) + 1;
        lo -= 0.5;
        hi += 0.5;
      }
    else if (hi == lo)
      {
        nb = 1;
        lo -= 0.5;
        hi += 0.5;
      }
    else
      {
        double h = 2.0 * (s->q3 - s->q1) / cbrt ((double) n);
        double want = h > 0 ? ceil ((hi - lo) / h) : ceil (log2 ((double) n) + 1.0);
        nb = (guint) CLAMP (want, 1.0, (double) GB_BINS_MAX);
      }
    s->n_bins = nb;
    s->bin_edges = g_new (double, nb + 1);
    s->bin_counts = g_new0 (gsize, nb);
    for (guint k = 0; k <= nb; k++)
      s->bin_edges[k] = lo + (hi - lo) * k / nb;
    s->bin_edges[nb] = hi;
    for (gsize i = 0; i < n; i++)
      {
        double f = (v[i] - lo) / (hi - lo) * nb;
        guint k = f <= 0 ? 0 : (guint) MIN (floor (f), (double) nb - 1);
        s->bin_counts[k]++;
      }
  }
}

GbColumnSummary *
gb_dataset_summarize_column (GbDataset *ds, guint column, guint max_top)
{
  const GbColumn *c;
  GbColumnSummary *s;
  gboolean has_space = FALSE;   /* a text value holds white space: prose, not a code */

  g_return_val_if_fail (GB_IS_DATASET (ds), NULL);
  g_return_val_if_fail (column < gb_dataset_get_n_columns (ds), NULL);

  c = gb_dataset_get_column (ds, column);
  s = g_new0 (GbColumnSummary, 1);
  s->name = g_strdup (c->name);
  s->type = c->logical_type;
  s->min = s->max = s->mean = s->sd = s->q1 = s->median = s->q3 = NAN;
  s->top = g_array_new (FALSE, FALSE, sizeof (GbCategoryCount));

  switch (c->type)
    {
    case GB_COLUMN_NUMERIC:
      numeric_summary (s, c);
      break;
    case GB_COLUMN_CATEGORICAL:
      {
        guint nl = c->levels->len;
        g_autofree Pair *pairs = g_new0 (Pair, MAX (nl, 1));
        for (guint k = 0; k < nl; k++)
          pairs[k].value = g_ptr_array_index (c->levels, k);
        for (gsize i = 0; i < c->n_rows; i++)
          if (c->codes[i] >= 0)
            pairs[c->codes[i]].count++, s->count++;
        s->missing = c->n_rows - s->count;
        for (guint k = 0; k < nl; k++)
          s->distinct += pairs[k].count > 0;
        fill_top (s, pairs, nl, max_top);
      }
      break;
    case GB_COLUMN_TEXT:
    default:
      {
        g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
        g_autofree Pair *pairs = NULL;
        GHashTableIter it;
        gpointer key, value;
        guint k = 0;

        for (gsize i = 0; i < c->n_rows; i++)
          if (c->text[i] != NULL)
            {
              if (!has_space && strpbrk (c->text[i], " \t\n") != NULL)
                has_space = TRUE;
              gsize n = GPOINTER_TO_SIZE (g_hash_table_lookup (counts, c->text[i]));
              g_hash_table_insert (counts, c->text[i], GSIZE_TO_POINTER (n + 1));
              s->count++;
            }
        s->missing = c->n_rows - s->count;
        s->distinct = g_hash_table_size (counts);
        pairs = g_new (Pair, MAX (s->distinct, 1));
        g_hash_table_iter_init (&it, counts);
        while (g_hash_table_iter_next (&it, &key, &value))
          pairs[k++] = (Pair) { key, GPOINTER_TO_SIZE (value) };
        fill_top (s, pairs, k, max_top);
      }
      break;
    }

  s->looks_like_identifier =
    s->count >= GB_ID_MIN_ROWS && s->distinct == s->count
    && (c->type == GB_COLUMN_CATEGORICAL || (c->type == GB_COLUMN_TEXT && !has_space)
        || (s->integer_valued && c->logical_type == GB_COLUMN_NUMERIC));
  return s;
}

void
gb_column_summary_free (GbColumnSummary *s)
{
  if (s == NULL)
    return;
  for (guint k = 0; k < s->top->len; k++)
    g_free (g_array_index (s->top, GbCategoryCount, k).value);
  g_array_unref (s->top);
  g_free (s->name);
  g_free (s->bin_edges);
  g_free (s->bin_counts);
  g_free (s);
}

gboolean
gb_column_looks_like_identifier (GbDataset *ds, guint column)
{
  g_autoptr(GbColumnSummary) s = gb_dataset_summarize_column (ds, column, 0);
  return s->looks_like_identifier;
}

/* ------------------------------------------------------------------------ */
/* Duplicate rows                                                           */

typedef struct
{
  GbDataset *ds;
  guint n_cols;
} RowCtx;

static RowCtx *row_ctx; /* set while counting; the hash functions read it */

static guint64
mix (guint64 h, guint64 v)
{
  h ^= v + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
  return h;
}

static guint
row_hash (gconstpointer key)
{
  gsize row = GPOINTER_TO_SIZE (key) - 1;
  guint64 h = 0;

  for (guint j = 0; j < row_ctx->n_cols; j++)
    {
      const GbColumn *c = gb_dataset_get_column (row_ctx->ds, j);
      guint64 v = 0;
      switch (c->type)
        {
        case GB_COLUMN_NUMERIC:
          {
            double x = c->numeric[row];
            if (isnan (x))
              v = 1;
            else
              {
                if (x == 0)
                  x = 0; /* -0.0 */
                memcpy (&v, &x, sizeof v);
              }
          }
          break;
        case GB_COLUMN_CATEGORICAL:
          v = (guint64) (gint64) c->codes[row];
          break;
        default:
          v = c->text[row] ? g_str_hash (c->text[row]) : 1;
          break;
        }
      h = mix (h, v);
    }
  return (guint) (h ^ (h >> 32));
}

static gboolean
row_equal (gconstpointer a, gconstpointer b)
{
  gsize r1 = GPOINTER_TO_SIZE (a) - 1, r2 = GPOINTER_TO_SIZE (b) - 1;

  for (guint j = 0; j < row_ctx->n_cols; j++)
    {
      const GbColumn *c = gb_dataset_get_column (row_ctx->ds, j);
      switch (c->type)
        {
        case GB_COLUMN_NUMERIC:
          {
            double x = c->numeric[r1], y = c->numeric[r2];
            if (isnan (x) != isnan (y) || (!isnan (x) && x != y))
              return FALSE;
          }
          break;
        case GB_COLUMN_CATEGORICAL:
          if (c->codes[r1] != c->codes[r2])
            return FALSE;
          break;
        default:
          if (g_strcmp0 (c->text[r1], c->text[r2]) != 0)
            return FALSE;
          break;
        }
    }
  return TRUE;
}

G_LOCK_DEFINE_STATIC (row_ctx);

gsize
gb_dataset_count_duplicate_rows (GbDataset *ds)
{
  RowCtx ctx;
  gsize dup = 0, n;
  GHashTable *seen;

  g_return_val_if_fail (GB_IS_DATASET (ds), 0);
  ctx.ds = ds;
  ctx.n_cols = gb_dataset_get_n_columns (ds);
  n = gb_dataset_get_n_rows (ds);

  G_LOCK (row_ctx);
  row_ctx = &ctx;
  seen = g_hash_table_new (row_hash, row_equal);
  for (gsize i = 0; i < n; i++)
    if (!g_hash_table_add (seen, GSIZE_TO_POINTER (i + 1)))
      dup++;
  g_hash_table_unref (seen);
  row_ctx = NULL;
  G_UNLOCK (row_ctx);
  return dup;
}

void
gb_dataset_summarize (GbDataset *ds, GbDatasetSummary *out)
{
  g_return_if_fail (GB_IS_DATASET (ds));
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  out->n_rows = gb_dataset_get_n_rows (ds);
  out->n_columns = gb_dataset_get_n_columns (ds);
  out->memory_bytes = gb_dataset_get_memory_size (ds);
  out->duplicate_rows = gb_dataset_count_duplicate_rows (ds);
  for (guint j = 0; j < out->n_columns; j++)
    out->n_missing_cells += gb_dataset_get_column (ds, j)->n_missing;
}

/* ------------------------------------------------------------------------ */
/* Text                                                                     */

static void
append_value (GString *out, GbColumnType type, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    g_string_append (out, "—");
  else if (type == GB_COLUMN_DATE)
    {
      g_autofree char *d = gb_date_from_days (v);
      g_string_append (out, d);
    }
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

char *
gb_dataset_describe (GbDataset *ds)
{
  GString *out = g_string_new (NULL);
  GbDatasetSummary sum;
  const GbCsvOptions *o;
  GPtrArray *notices;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (GB_IS_DATASET (ds), NULL);

  gb_dataset_summarize (ds, &sum);
  o = gb_dataset_get_options (ds);
  g_string_append_printf (out, "%s\n", gb_dataset_get_path (ds));
  g_string_append_printf (out, "  rows %" G_GSIZE_FORMAT ", columns %u, memory %s MB, duplicate rows %"
                          G_GSIZE_FORMAT ", missing cells %" G_GSIZE_FORMAT "\n",
                          sum.n_rows, sum.n_columns,
                          g_ascii_formatd (buf, sizeof buf, "%.3g", sum.memory_bytes / 1e6),
                          sum.duplicate_rows, sum.n_missing_cells);
  g_string_append_printf (out, "  delimiter %s, encoding %s, header %s, sha256 %s\n",
                          o->delimiter == '\t' ? "tab" : o->delimiter == ',' ? "comma"
                          : o->delimiter == ';' ? "semicolon" : o->delimiter == '|' ? "pipe" : "?",
                          o->encoding ? o->encoding : "UTF-8",
                          o->header == GB_HEADER_ABSENT ? "absent" : "present",
                          gb_dataset_get_sha256 (ds));
  notices = gb_dataset_get_notices (ds);
  for (guint i = 0; i < notices->len; i++)
    g_string_append_printf (out, "  notice: %s\n", (const char *) g_ptr_array_index (notices, i));

  for (guint j = 0; j < sum.n_columns; j++)
    {
      g_autoptr(GbColumnSummary) s = gb_dataset_summarize_column (ds, j, 5);

      g_string_append_printf (out, "\n%s  [%s%s]\n", s->name, gb_column_type_to_string (s->type),
                              gb_dataset_get_column (ds, j)->type_forced ? ", as asked" : "");
      g_string_append_printf (out, "  count %" G_GSIZE_FORMAT ", missing %" G_GSIZE_FORMAT
                              ", distinct %" G_GSIZE_FORMAT "%s\n", s->count, s->missing, s->distinct,
                              s->looks_like_identifier ? " (looks like an identifier)" : "");
      if (gb_dataset_get_column (ds, j)->type == GB_COLUMN_NUMERIC && s->count > 0)
        {
          g_string_append (out, "  min ");
          append_value (out, s->type, s->min);
          g_string_append (out, ", q1 ");
          append_value (out, s->type, s->q1);
          g_string_append (out, ", median ");
          append_value (out, s->type, s->median);
          g_string_append (out, ", q3 ");
          append_value (out, s->type, s->q3);
          g_string_append (out, ", max ");
          append_value (out, s->type, s->max);
          if (s->type != GB_COLUMN_DATE)
            {
              g_string_append (out, "\n  mean ");
              append_value (out, s->type, s->mean);
              g_string_append (out, ", sd ");
              append_value (out, s->type, s->sd);
            }
          g_string_append_c (out, '\n');
        }
      if (s->top->len > 0)
        {
          g_string_append (out, "  top:");
          for (guint k = 0; k < s->top->len; k++)
            {
              GbCategoryCount *cc = &g_array_index (s->top, GbCategoryCount, k);
              g_string_append_printf (out, "%s “%s” %" G_GSIZE_FORMAT, k ? "," : "", cc->value, cc->count);
            }
          if (s->other_count > 0)
            g_string_append_printf (out, ", other %" G_GSIZE_FORMAT, s->other_count);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (out, FALSE);
}
