/* gb-variable.c — a column or a condition on one, evaluated per row. */
#include "gb-config.h"
#include "gb-variable.h"

#include <math.h>
#include <string.h>

static const struct
{
  const char *text;
  GbCompareOp op;
} operators[] = {
  /* two-character operators first so ">=" is not read as ">" */
  { "==", GB_COMPARE_EQ }, { "!=", GB_COMPARE_NE }, { ">=", GB_COMPARE_GE },
  { "<=", GB_COMPARE_LE }, { ">", GB_COMPARE_GT },  { "<", GB_COMPARE_LT },
  { "=", GB_COMPARE_EQ }, { "~", GB_COMPARE_CONTAINS },
};

static const char *
op_text (GbCompareOp op)
{
  for (guint k = 0; k < G_N_ELEMENTS (operators); k++)
    if (operators[k].op == op)
      return operators[k].text;
  return "";
}

/* Matches an operator at @s; returns its length or 0. */
static gsize
match_operator (const char *s, GbCompareOp *op)
{
  for (guint k = 0; k < G_N_ELEMENTS (operators); k++)
    {
      gsize n = strlen (operators[k].text);
      if (strncmp (s, operators[k].text, n) == 0)
        {
          *op = operators[k].op;
          return n;
        }
    }
  return 0;
}

static gboolean
parse_number_strict (const char *s, double *out)
{
  char *end = NULL;
  double v;

  if (s == NULL || s[0] == '\0')
    return FALSE;
  v = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0' || isnan (v))
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
gb_variable_spec_parse (GbDataset *ds, const char *spec, int *column_out,
                        GbCompareOp *op_out, char **value_out, GError **error)
{
  g_autofree char *whole = NULL;
  g_autofree char *first_left = NULL;
  int col;

  g_return_val_if_fail (GB_IS_DATASET (ds), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (spec == NULL || *spec == '\0')
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT, "empty variable: give a column name or a condition such as “age>=40”");
      return FALSE;
    }

  whole = g_strstrip (g_strdup (spec));
  col = gb_dataset_find_column (ds, whole);
  if (col >= 0)
    {
      if (column_out) *column_out = col;
      if (op_out) *op_out = GB_COMPARE_NONE;
      if (value_out) *value_out = NULL;
      return TRUE;
    }

  for (const char *p = spec; *p != '\0'; p++)
    {
      GbCompareOp op;
      gsize oplen = match_operator (p, &op);
      g_autofree char *left = NULL;
      g_autofree char *value = NULL;
      const GbColumn *c;
      double v;

      if (oplen == 0)
        continue;
      left = g_strstrip (g_strndup (spec, p - spec));
      if (first_left == NULL)
        first_left = g_strdup (left);
      col = gb_dataset_find_column (ds, left);
      if (col < 0)
        continue;

      value = g_strstrip (g_strdup (p + oplen));
      c = gb_dataset_get_column (ds, col);
      if (value[0] == '\0')
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "missing value after “%s” in “%s”", op_text (op), spec);
          return FALSE;
        }
      if (op == GB_COMPARE_CONTAINS && c->type == GB_COLUMN_NUMERIC)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "“~” in “%s” needs a text or categorical column, but “%s” is %s",
                       spec, c->name, gb_column_type_to_string (c->type));
          return FALSE;
        }
      if (op != GB_COMPARE_EQ && op != GB_COMPARE_NE && op != GB_COMPARE_CONTAINS
          && c->type != GB_COLUMN_NUMERIC)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "“%s” in “%s” needs a numeric column, but “%s” is %s",
                       op_text (op), spec, c->name, gb_column_type_to_string (c->type));
          return FALSE;
        }
      if (c->type == GB_COLUMN_NUMERIC && !parse_number_strict (value, &v))
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "“%s” in “%s” is not a number, but column “%s” is numeric",
                       value, spec, c->name);
          return FALSE;
        }
      if (column_out) *column_out = col;
      if (op_out) *op_out = op;
      if (value_out) *value_out = g_steal_pointer (&value);
      return TRUE;
    }

  {
    g_autofree char *known = gb_dataset_describe_columns (ds, 12);
    if (first_left != NULL)
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "unknown column “%s” in “%s”; the columns are %s", first_left, spec, known);
    else
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "unknown column “%s”; the columns are %s", whole, known);
  }
  return FALSE;
}

/* Keys of a string set, sorted by g_strcmp0 (GLib 2.74 has no
 * g_hash_table_get_keys_as_ptr_array / g_ptr_array_sort_values). */
static int
cmp_str_ptr (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
sorted_keys (GHashTable *set)
{
  GPtrArray *keys = g_ptr_array_sized_new (g_hash_table_size (set));
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, set);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, cmp_str_ptr);
  return keys;
}

static int
find_level (const GbColumn *c, const char *value)
{
  for (guint k = 0; k < c->levels->len; k++)
    if (strcmp (g_ptr_array_index (c->levels, k), value) == 0)
      return (int) k;
  return -1;
}

static gboolean
text_occurs (const GbColumn *c, const char *value)
{
  for (gsize i = 0; i < c->n_rows; i++)
    if (c->text[i] != NULL && strcmp (c->text[i], value) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
compare_numbers (double a, GbCompareOp op, double b)
{
  switch (op)
    {
    case GB_COMPARE_EQ: return a == b;
    case GB_COMPARE_NE: return a != b;
    case GB_COMPARE_GE: return a >= b;
    case GB_COMPARE_LE: return a <= b;
    case GB_COMPARE_GT: return a > b;
    case GB_COMPARE_LT: return a < b;
    case GB_COMPARE_NONE:
    case GB_COMPARE_CONTAINS:
    default: return FALSE;
    }
}

/* Case-folded, NFKC-normalised copy of @s (invalid UTF-8 is repaired first). */
static char *
fold_text (const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s, -1);
  g_autofree char *folded = g_utf8_casefold (valid, -1);
  char *norm = g_utf8_normalize (folded, -1, G_NORMALIZE_ALL);
  return norm ? norm : g_steal_pointer (&folded);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* Scripts written without spaces between words: no word boundary is required. */
static gboolean
is_unspaced (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_THAI:
    case G_UNICODE_SCRIPT_LAO:
    case G_UNICODE_SCRIPT_KHMER:
    case G_UNICODE_SCRIPT_MYANMAR:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Does @word (folded, non-empty) occur in @hay (folded) as a whole word? */
static gboolean
contains_word (const char *hay, const char *word)
{
  const gsize wl = strlen (word);
  const gunichar first = g_utf8_get_char (word);
  const gunichar last = g_utf8_get_char (g_utf8_find_prev_char (word, word + wl));

  for (const char *p = strstr (hay, word); p != NULL; p = strstr (p + 1, word))
    {
      if (p > hay)
        {
          gunichar b = g_utf8_get_char (g_utf8_find_prev_char (hay, p));
          if (is_word_char (b) && is_word_char (first) && !is_unspaced (b)
              && !is_unspaced (first))
            continue;
        }
      if (p[wl] != '\0')
        {
          gunichar a = g_utf8_get_char (p + wl);
          if (is_word_char (a) && is_word_char (last) && !is_unspaced (a)
              && !is_unspaced (last))
            continue;
        }
      return TRUE;
    }
  return FALSE;
}

/* 1/0 for "cell contains one of the '|'-separated words of @value" (COLUMN~w1|w2)
 * on a categorical or text column, NAN where missing. */
static gboolean
eval_contains (const GbColumn *c, const char *value, const char *spec, double *out,
               GError **error)
{
  g_auto(GStrv) parts = g_strsplit (value, "|", -1);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);

  for (guint k = 0; parts[k] != NULL; k++)
    {
      g_strstrip (parts[k]);
      if (parts[k][0] != '\0')
        g_ptr_array_add (words, fold_text (parts[k]));
    }
  if (words->len == 0)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "no words after “~” in “%s”; write e.g. “%s~refund|rebate”", spec, c->name);
      return FALSE;
    }
  const guint n_cells = c->type == GB_COLUMN_CATEGORICAL ? c->levels->len : 0;
  g_autofree gint8 *level_hit = g_new0 (gint8, MAX (n_cells, 1));
  for (guint l = 0; l < n_cells; l++)
    {
      g_autofree char *hay = fold_text (g_ptr_array_index (c->levels, l));
      for (guint w = 0; w < words->len && !level_hit[l]; w++)
        level_hit[l] = contains_word (hay, g_ptr_array_index (words, w));
    }
  for (gsize i = 0; i < c->n_rows; i++)
    {
      if (c->type == GB_COLUMN_CATEGORICAL)
        {
          out[i] = c->codes[i] < 0 ? NAN : (double) level_hit[c->codes[i]];
          continue;
        }
      if (c->text[i] == NULL)
        {
          out[i] = NAN;
          continue;
        }
      g_autofree char *hay = fold_text (c->text[i]);
      gboolean hit = FALSE;
      for (guint w = 0; w < words->len && !hit; w++)
        hit = contains_word (hay, g_ptr_array_index (words, w));
      out[i] = hit;
    }
  return TRUE;
}

/* 1/0 for "cell == value" on a categorical or text column, NAN where missing;
 * errors when @value does not occur in the column. */
static gboolean
eval_equals (const GbColumn *c, const char *value, gboolean negate, const char *spec,
             double *out, GError **error)
{
  if (c->type == GB_COLUMN_CATEGORICAL)
    {
      int level = find_level (c, value);
      if (level < 0)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "value “%s” does not occur in column “%s”%s%s%s", value, c->name,
                       spec ? " (in “" : "", spec ? spec : "", spec ? "”)" : "");
          return FALSE;
        }
      for (gsize i = 0; i < c->n_rows; i++)
        out[i] = c->codes[i] < 0 ? NAN : (double) ((c->codes[i] == level) != negate);
      return TRUE;
    }
  if (!text_occurs (c, value))
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "value “%s” does not occur in column “%s”%s%s%s", value, c->name,
                   spec ? " (in “" : "", spec ? spec : "", spec ? "”)" : "");
      return FALSE;
    }
  for (gsize i = 0; i < c->n_rows; i++)
    out[i] = c->text[i] == NULL ? NAN : (double) ((strcmp (c->text[i], value) == 0) != negate);
  return TRUE;
}

gboolean
gb_dataset_eval_variable (GbDataset *ds, const char *spec, const char *positive,
                          double *out, GError **error)
{
  int col = -1;
  GbCompareOp op = GB_COMPARE_NONE;
  g_autofree char *value = NULL;
  const GbColumn *c;

  g_return_val_if_fail (GB_IS_DATASET (ds), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gb_variable_spec_parse (ds, spec, &col, &op, &value, error))
    return FALSE;
  c = gb_dataset_get_column (ds, col);

  if (op != GB_COMPARE_NONE)
    {
      if (c->type == GB_COLUMN_NUMERIC)
        {
          double v = 0;
          parse_number_strict (value, &v); /* checked by the parser */
          for (gsize i = 0; i < c->n_rows; i++)
            out[i] = isnan (c->numeric[i]) ? NAN : (double) compare_numbers (c->numeric[i], op, v);
          return TRUE;
        }
      if (op == GB_COMPARE_CONTAINS)
        return eval_contains (c, value, spec, out, error);
      return eval_equals (c, value, op == GB_COMPARE_NE, spec, out, error);
    }

  /* A bare column. */
  if (c->type == GB_COLUMN_NUMERIC)
    {
      double v;
      if (positive == NULL)
        {
          memcpy (out, c->numeric, c->n_rows * sizeof (double));
          return TRUE;
        }
      if (!parse_number_strict (positive, &v))
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "positive value “%s” is not a number, but column “%s” is numeric",
                       positive, c->name);
          return FALSE;
        }
      for (gsize i = 0; i < c->n_rows; i++)
        out[i] = isnan (c->numeric[i]) ? NAN : (double) (c->numeric[i] == v);
      return TRUE;
    }

  if (positive != NULL)
    return eval_equals (c, positive, FALSE, NULL, out, error);

  if (c->type == GB_COLUMN_CATEGORICAL)
    {
      if (c->levels->len != 2)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "column “%s” has %u value%s; choose which value is the positive class",
                       c->name, c->levels->len, c->levels->len == 1 ? "" : "s");
          return FALSE;
        }
      for (gsize i = 0; i < c->n_rows; i++)
        out[i] = c->codes[i] < 0 ? NAN : (double) (c->codes[i] == 1);
      return TRUE;
    }

  {
    /* text: same rule as categorical, on the distinct values */
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) keys = NULL;
    const char *second;

    for (gsize i = 0; i < c->n_rows && g_hash_table_size (seen) <= 2; i++)
      if (c->text[i] != NULL)
        g_hash_table_add (seen, c->text[i]);
    if (g_hash_table_size (seen) != 2)
      {
        g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                     "column “%s” has %s%u value%s; choose which value is the positive class",
                     c->name, g_hash_table_size (seen) > 2 ? "more than " : "",
                     MIN (g_hash_table_size (seen), 2), g_hash_table_size (seen) == 1 ? "" : "s");
        return FALSE;
      }
    keys = sorted_keys (seen);
    second = g_ptr_array_index (keys, 1);
    for (gsize i = 0; i < c->n_rows; i++)
      out[i] = c->text[i] == NULL ? NAN : (double) (strcmp (c->text[i], second) == 0);
    return TRUE;
  }
}

gboolean
gb_variable_is_binary (const double *values, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!isnan (values[i]) && values[i] != 0.0 && values[i] != 1.0)
      return FALSE;
  return TRUE;
}
