/* gb-dataset.c — streaming CSV reader (libcsv) and typed columns.
 *
 * Line numbers in messages are 1-based physical lines counted by LF: the
 * line on which the offending record starts (for a ragged row), on which the
 * offending quoted field starts (unterminated quote), or on which the bad
 * byte sits (stray quote, NUL byte).  Columns are 1-based field numbers. */
#include "gb-config.h"
#include "gb-dataset.h"

#include <csv.h>
#include <math.h>
#include <string.h>

#define GB_CSV_CHUNK      (64 * 1024)
#define GB_QUOTE_MAX      40   /* bytes of offending text quoted in messages */
#define GB_TEXT_MEAN_LEN  30.0 /* mean length above which a column is text */
#define GB_TEXT_MIN_ROWS  20   /* uniqueness rule needs this many values */
#define GB_TEXT_UNIQUE    0.9  /* distinct / non-missing above which: text */

struct _GbDataset
{
  GObject parent_instance;

  char *path;
  char *sha256;
  GPtrArray *notices;
  GbColumn *columns;
  guint n_columns;
  gsize n_rows;
  GPtrArray *text_chunks; /* GStringChunk backing text columns */
};

G_DEFINE_FINAL_TYPE (GbDataset, gb_dataset, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------ */
/* Loader                                                                   */

typedef struct
{
  GPtrArray *cells;       /* const char * into chunk, NULL = missing */
  GStringChunk *chunk;
  GHashTable *distinct;   /* string → same string (in chunk) */
  guint64 total_len;      /* bytes of non-missing values */
  gboolean bad_utf8_noticed;
} RawColumn;

typedef struct
{
  char *name;             /* base name for messages */
  struct csv_parser parser;
  gboolean parser_ready;
  GChecksum *sum;
  guint64 bytes;          /* bytes fed (including a BOM) */
  gboolean started;
  gboolean had_bom;

  guint line;             /* 1 + LF bytes fed before the current segment */
  gboolean header_done;
  GPtrArray *header;      /* raw header fields (char *) */
  guint n_cols;
  guint header_line;
  char **names;           /* unique names */

  guint field;            /* index of the next field in the current record */
  guint record_line;
  char *extra_text;       /* first field beyond n_cols in current record */
  GString *last_field;    /* last field of the current record (short rows) */
  gsize n_rows;
  RawColumn *cols;
  GString *scratch;

  GPtrArray *notices;
  GError *error;
} Loader;

static const char *missing_tokens[] = {
  "NA", "N/A", "NaN", "null", "?", "NULL", "nan",
};

static gboolean
is_missing_token (const char *s, gsize len)
{
  if (len == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (missing_tokens); i++)
    if (strlen (missing_tokens[i]) == len && memcmp (missing_tokens[i], s, len) == 0)
      return TRUE;
  return FALSE;
}

static void
trim_span (const char **s, gsize *len)
{
  while (*len > 0 && (**s == ' ' || **s == '\t'))
    (*s)++, (*len)--;
  while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
    (*len)--;
}

static guint
count_lf (const char *s, gsize len)
{
  guint n = 0;
  for (gsize i = 0; i < len; i++)
    n += s[i] == '\n';
  return n;
}

/* A short, printable, valid-UTF-8 excerpt of @s for an error message. */
static char *
quote_brief (const char *s, gsize len)
{
  GString *out = g_string_new (NULL);
  gsize n = MIN (len, GB_QUOTE_MAX);
  g_autofree char *valid = NULL;

  while (n > 0 && n < len && ((guchar) s[n] & 0xC0) == 0x80)
    n--; /* cut on a UTF-8 character boundary */

  for (gsize i = 0; i < n; i++)
    {
      char c = s[i];
      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\0')
        g_string_append (out, "\\0");
      else
        g_string_append_c (out, c);
    }
  valid = g_utf8_make_valid (out->str, out->len);
  g_string_free (out, TRUE);
  if (n < len)
    return g_strconcat (valid, "…", NULL);
  return g_steal_pointer (&valid);
}

static char *
column_label (Loader *L, guint j)
{
  if (L->names != NULL && j < L->n_cols)
    return g_strdup_printf ("column %u (“%s”)", j + 1, L->names[j]);
  return g_strdup_printf ("column %u", j + 1);
}

static void
loader_set_error (Loader *L, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
loader_set_error (Loader *L, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  if (L->error != NULL)
    return;
  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  L->error = g_error_new (GB_DATA_ERROR, GB_ERROR_PARSE, "%s: %s", L->name, msg);
}

static void
make_unique_names (Loader *L)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);

  L->names = g_new0 (char *, L->n_cols + 1);
  for (guint j = 0; j < L->n_cols; j++)
    {
      const char *raw = g_ptr_array_index (L->header, j);
      g_autofree char *base = g_strstrip (g_strdup (raw));
      char *name;

      if (base[0] == '\0')
        {
          g_free (base);
          base = g_strdup_printf ("column_%u", j + 1);
          g_ptr_array_add (L->notices,
                           g_strdup_printf ("%s: column %u has no name in the header; it is called “%s”",
                                            L->name, j + 1, base));
        }
      name = g_strdup (base);
      for (guint k = 2; g_hash_table_contains (used, name); k++)
        {
          g_free (name);
          name = g_strdup_printf ("%s_%u", base, k);
        }
      if (strcmp (name, base) != 0)
        g_ptr_array_add (L->notices,
                         g_strdup_printf ("%s: column %u: duplicate header name “%s” renamed to “%s”",
                                          L->name, j + 1, base, name));
      L->names[j] = name;
      g_hash_table_add (used, name);
    }
}

static void
raw_column_clear (RawColumn *c)
{
  g_clear_pointer (&c->cells, g_ptr_array_unref);
  g_clear_pointer (&c->distinct, g_hash_table_unref);
  g_clear_pointer (&c->chunk, g_string_chunk_free);
}

static void
store_cell (Loader *L, guint j, const char *s, gsize len)
{
  RawColumn *c = &L->cols[j];
  const char *key;

  trim_span (&s, &len);
  if (is_missing_token (s, len))
    {
      g_ptr_array_add (c->cells, NULL);
      return;
    }
  g_string_truncate (L->scratch, 0);
  if (g_utf8_validate_len (s, len, NULL))
    g_string_append_len (L->scratch, s, len);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (s, len);
      g_string_append (L->scratch, valid);
      if (!c->bad_utf8_noticed)
        {
          g_autofree char *label = column_label (L, j);
          c->bad_utf8_noticed = TRUE;
          g_ptr_array_add (L->notices,
                           g_strdup_printf ("%s: line %u, %s: invalid UTF-8 replaced by U+FFFD (first of possibly several)",
                                            L->name, L->record_line, label));
        }
    }
  key = g_hash_table_lookup (c->distinct, L->scratch->str);
  if (key == NULL)
    {
      key = g_string_chunk_insert_len (c->chunk, L->scratch->str, L->scratch->len);
      g_hash_table_add (c->distinct, (gpointer) key);
    }
  c->total_len += L->scratch->len;
  g_ptr_array_add (c->cells, (gpointer) key);
}

static void
on_field (void *s, size_t len, void *data)
{
  Loader *L = data;
  const char *text = s ? s : "";

  if (L->error != NULL)
    return;
  if (s == NULL)
    len = 0;
  if (L->field == 0)
    L->record_line = L->line - count_lf (text, len);

  if (!L->header_done)
    {
      g_ptr_array_add (L->header, g_strndup (text, len));
    }
  else if (L->field < L->n_cols)
    {
      store_cell (L, L->field, text, len);
      g_string_truncate (L->last_field, 0);
      g_string_append_len (L->last_field, text, MIN (len, GB_QUOTE_MAX + 4));
    }
  else if (L->extra_text == NULL)
    L->extra_text = quote_brief (text, len);
  L->field++;
}

static void
on_record (int c, void *data)
{
  Loader *L = data;

  if (L->error != NULL)
    return;
  if (!L->header_done)
    {
      L->header_done = TRUE;
      L->header_line = L->record_line;
      L->n_cols = L->header->len;
      make_unique_names (L);
      L->cols = g_new0 (RawColumn, L->n_cols);
      for (guint j = 0; j < L->n_cols; j++)
        {
          L->cols[j].cells = g_ptr_array_sized_new (1024);
          L->cols[j].chunk = g_string_chunk_new (4096);
          L->cols[j].distinct = g_hash_table_new (g_str_hash, g_str_equal);
        }
    }
  else if (L->field > L->n_cols)
    {
      loader_set_error (L, "line %u, column %u: expected %u fields, found %u; unexpected extra field “%s”",
                        L->record_line, L->n_cols + 1, L->n_cols, L->field,
                        L->extra_text ? L->extra_text : "");
    }
  else if (L->field < L->n_cols)
    {
      g_autofree char *last = quote_brief (L->last_field->str, L->last_field->len);
      loader_set_error (L, "line %u, column %u: expected %u fields, found %u; the row ends after “%s”",
                        L->record_line, L->field, L->n_cols, L->field,
                        last);
    }
  else
    L->n_rows++;

  L->field = 0;
  g_clear_pointer (&L->extra_text, g_free);
}

static void
loader_init (Loader *L, const char *path)
{
  memset (L, 0, sizeof *L);
  L->name = g_path_get_basename (path);
  L->sum = g_checksum_new (G_CHECKSUM_SHA256);
  L->line = 1;
  L->header = g_ptr_array_new_with_free_func (g_free);
  L->notices = g_ptr_array_new_with_free_func (g_free);
  L->scratch = g_string_new (NULL);
  L->last_field = g_string_new (NULL);
  if (csv_init (&L->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) == 0)
    L->parser_ready = TRUE;
}

static void
loader_clear (Loader *L)
{
  if (L->parser_ready)
    csv_free (&L->parser);
  g_free (L->name);
  g_checksum_free (L->sum);
  g_ptr_array_unref (L->header);
  g_strfreev (L->names);
  g_free (L->extra_text);
  g_string_free (L->last_field, TRUE);
  if (L->cols != NULL)
    for (guint j = 0; j < L->n_cols; j++)
      raw_column_clear (&L->cols[j]);
  g_free (L->cols);
  g_string_free (L->scratch, TRUE);
  g_clear_pointer (&L->notices, g_ptr_array_unref);
  g_clear_error (&L->error);
}

/* Reports a libcsv failure at byte @at of @seg (the rest of current line). */
static void
loader_parse_error (Loader *L, const char *seg, gsize seg_len, gsize at)
{
  int err = csv_error (&L->parser);
  gsize from = at > 20 ? at - 20 : 0;
  gsize to = MIN (seg_len, at + 10);

  while (to > at + 1 && (seg[to - 1] == '\n' || seg[to - 1] == '\r'))
    to--;
  g_autofree char *near = quote_brief (seg + from, to - from);
  g_autofree char *label = column_label (L, L->field);

  if (err == CSV_EPARSE)
    loader_set_error (L, "line %u, %s: malformed quoting (a quote inside an unquoted field, "
                      "or text after a closing quote) near “%s”", L->line, label, near);
  else
    loader_set_error (L, "line %u, %s: %s", L->line, label, csv_strerror (err));
}

static gboolean
loader_feed (Loader *L, const char *buf, gsize len)
{
  if (L->error != NULL)
    return FALSE;
  if (!L->parser_ready)
    {
      loader_set_error (L, "cannot initialise the CSV parser");
      return FALSE;
    }
  g_checksum_update (L->sum, (const guchar *) buf, len);
  L->bytes += len;
  if (!L->started && len > 0)
    {
      L->started = TRUE;
      if (len >= 3 && memcmp (buf, "\xEF\xBB\xBF", 3) == 0)
        buf += 3, len -= 3, L->had_bom = TRUE;
    }

  /* Feed one physical line at a time so callbacks know the line number. */
  while (len > 0)
    {
      const char *nl = memchr (buf, '\n', len);
      gsize seg = nl ? (gsize) (nl - buf) + 1 : len;
      const char *nul = memchr (buf, '\0', seg);
      gsize want = nul ? (gsize) (nul - buf) : seg;
      gsize done = csv_parse (&L->parser, buf, want, on_field, on_record, L);

      if (L->error != NULL)
        return FALSE;
      if (done != want)
        {
          loader_parse_error (L, buf, seg, done);
          return FALSE;
        }
      if (nul != NULL)
        {
          g_autofree char *label = column_label (L, L->field);
          g_autofree char *near = quote_brief (buf, want);
          loader_set_error (L, "line %u, %s: NUL byte (this does not look like a text CSV file) after “%s”",
                            L->line, label, near);
          return FALSE;
        }
      if (nl != NULL)
        L->line++;
      buf += seg;
      len -= seg;
    }
  return TRUE;
}

static gboolean
loader_finish (Loader *L)
{
  if (L->error != NULL)
    return FALSE;
  if (csv_fini (&L->parser, on_field, on_record, L) != 0)
    {
      const char *entry = (const char *) L->parser.entry_buf;
      gsize len = entry ? L->parser.entry_pos : 0;
      g_autofree char *label = column_label (L, L->field);
      g_autofree char *near = quote_brief (entry ? entry : "", len);

      loader_set_error (L, "line %u, %s: unterminated quoted field starting “\"%s”",
                        L->line - count_lf (entry ? entry : "", len), label, near);
      return FALSE;
    }
  if (L->error != NULL)
    return FALSE;
  if (!L->header_done)
    {
      if (L->bytes == 0 || (L->bytes == 3 && L->had_bom))
        loader_set_error (L, "the file is empty");
      else
        loader_set_error (L, "no header row: the file holds only blank lines");
      return FALSE;
    }
  if (L->n_rows == 0)
    {
      loader_set_error (L, "line %u: the header is not followed by any data rows", L->header_line);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Type inference                                                           */

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

/* Whole-token, finite, decimal (not hex) number. */
static gboolean
parse_number (const char *s, double *out)
{
  char *end = NULL;
  double v;

  if (s[0] == '\0' || s[0] == ' ' || s[0] == '\t' || strpbrk (s, "xX") != NULL)
    return FALSE;
  v = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static void
convert_column (GbDataset *self, GbColumn *col, RawColumn *raw)
{
  gsize n = raw->cells->len;
  gsize n_present = 0;
  guint n_distinct = g_hash_table_size (raw->distinct);
  gboolean numeric = TRUE;
  GHashTableIter it;
  gpointer key;

  col->n_rows = n;
  for (gsize i = 0; i < n; i++)
    n_present += g_ptr_array_index (raw->cells, i) != NULL;
  col->n_missing = n - n_present;

  g_hash_table_iter_init (&it, raw->distinct);
  while (numeric && g_hash_table_iter_next (&it, &key, NULL))
    {
      double v;
      numeric = parse_number (key, &v);
    }

  if (numeric)
    {
      col->type = GB_COLUMN_NUMERIC;
      col->numeric = g_new (double, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        {
          const char *s = g_ptr_array_index (raw->cells, i);
          double v = NAN;
          if (s != NULL)
            parse_number (s, &v);
          col->numeric[i] = v;
        }
      return;
    }

  if ((double) raw->total_len / (double) MAX (n_present, 1) > GB_TEXT_MEAN_LEN ||
      (n_present >= GB_TEXT_MIN_ROWS && n_distinct >= GB_TEXT_UNIQUE * n_present))
    {
      col->type = GB_COLUMN_TEXT;
      col->text = g_new (char *, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        col->text[i] = g_ptr_array_index (raw->cells, i);
      g_ptr_array_add (self->text_chunks, g_steal_pointer (&raw->chunk));
      return;
    }

  {
    g_autoptr(GPtrArray) keys = sorted_keys (raw->distinct);
    g_autoptr(GHashTable) index = g_hash_table_new (g_direct_hash, g_direct_equal);

    col->type = GB_COLUMN_CATEGORICAL;
    col->levels = g_ptr_array_new_full (keys->len, g_free);
    for (guint k = 0; k < keys->len; k++)
      {
        g_ptr_array_add (col->levels, g_strdup (g_ptr_array_index (keys, k)));
        g_hash_table_insert (index, g_ptr_array_index (keys, k), GUINT_TO_POINTER (k + 1));
      }
    col->codes = g_new (gint32, MAX (n, 1));
    for (gsize i = 0; i < n; i++)
      {
        const char *s = g_ptr_array_index (raw->cells, i);
        col->codes[i] = s ? (gint32) GPOINTER_TO_UINT (g_hash_table_lookup (index, s)) - 1 : -1;
      }
  }
}

static GbDataset *
dataset_from_loader (Loader *L, const char *path)
{
  GbDataset *self = g_object_new (GB_TYPE_DATASET, NULL);

  self->path = g_strdup (path);
  self->sha256 = g_strdup (g_checksum_get_string (L->sum));
  g_ptr_array_unref (self->notices);
  self->notices = g_steal_pointer (&L->notices);
  self->n_rows = L->n_rows;
  self->n_columns = L->n_cols;
  self->columns = g_new0 (GbColumn, L->n_cols);
  for (guint j = 0; j < L->n_cols; j++)
    {
      self->columns[j].name = g_strdup (L->names[j]);
      convert_column (self, &self->columns[j], &L->cols[j]);
      raw_column_clear (&L->cols[j]);
    }
  return self;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
gb_dataset_finalize (GObject *object)
{
  GbDataset *self = GB_DATASET (object);

  for (guint j = 0; j < self->n_columns; j++)
    {
      GbColumn *c = &self->columns[j];
      g_free (c->name);
      g_free (c->numeric);
      g_free (c->codes);
      g_clear_pointer (&c->levels, g_ptr_array_unref);
      g_free (c->text);
    }
  g_free (self->columns);
  g_clear_pointer (&self->text_chunks, g_ptr_array_unref);
  g_clear_pointer (&self->notices, g_ptr_array_unref);
  g_free (self->path);
  g_free (self->sha256);
  G_OBJECT_CLASS (gb_dataset_parent_class)->finalize (object);
}

static void
gb_dataset_class_init (GbDatasetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gb_dataset_finalize;
}

static void
gb_dataset_init (GbDataset *self)
{
  self->text_chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_string_chunk_free);
  self->notices = g_ptr_array_new_with_free_func (g_free);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */

GbDataset *
gb_dataset_new_from_file (const char *path, GCancellable *cancellable,
                          GbProgressFunc progress, gpointer user_data, GError **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *buf = NULL;
  GError *local = NULL;
  goffset size = -1;
  Loader L;
  GbDataset *self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  in = g_file_read (file, cancellable, &local);
  if (in == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, local);
      else
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_IO, "Cannot open “%s”: %s", path, local->message);
          g_error_free (local);
        }
      return NULL;
    }
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    size = g_file_info_get_size (info);

  loader_init (&L, path);
  buf = g_malloc (GB_CSV_CHUNK);
  for (;;)
    {
      gsize got = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (!g_input_stream_read_all (G_INPUT_STREAM (in), buf, GB_CSV_CHUNK, &got, cancellable, &local))
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, local);
          else
            {
              g_set_error (error, GB_DATA_ERROR, GB_ERROR_IO, "Cannot read “%s”: %s", path, local->message);
              g_error_free (local);
            }
          goto out;
        }
      if (got == 0)
        break;
      if (!loader_feed (&L, buf, got))
        break;
      if (progress != NULL)
        progress (size > 0 ? MIN (1.0, (double) L.bytes / (double) size) : -1.0, NULL, user_data);
      if (got < GB_CSV_CHUNK)
        break;
    }
  if (!loader_finish (&L))
    {
      g_propagate_error (error, g_steal_pointer (&L.error));
      goto out;
    }
  self = dataset_from_loader (&L, path);
  if (progress != NULL)
    progress (1.0, NULL, user_data);

out:
  loader_clear (&L);
  return self;
}

GbDataset *
gb_dataset_new_from_data (const char *data, gsize length, const char *display_name,
                          GError **error)
{
  Loader L;
  GbDataset *self = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (display_name == NULL)
    display_name = "data.csv";
  loader_init (&L, display_name);
  for (gsize off = 0; off < length; off += GB_CSV_CHUNK)
    if (!loader_feed (&L, data + off, MIN (GB_CSV_CHUNK, length - off)))
      break;
  if (loader_finish (&L))
    self = dataset_from_loader (&L, display_name);
  else
    g_propagate_error (error, g_steal_pointer (&L.error));
  loader_clear (&L);
  return self;
}

gsize
gb_dataset_get_n_rows (GbDataset *self)
{
  g_return_val_if_fail (GB_IS_DATASET (self), 0);
  return self->n_rows;
}

guint
gb_dataset_get_n_columns (GbDataset *self)
{
  g_return_val_if_fail (GB_IS_DATASET (self), 0);
  return self->n_columns;
}

const GbColumn *
gb_dataset_get_column (GbDataset *self, guint index)
{
  g_return_val_if_fail (GB_IS_DATASET (self), NULL);
  g_return_val_if_fail (index < self->n_columns, NULL);
  return &self->columns[index];
}

int
gb_dataset_find_column (GbDataset *self, const char *name)
{
  g_return_val_if_fail (GB_IS_DATASET (self), -1);
  if (name == NULL)
    return -1;
  for (guint j = 0; j < self->n_columns; j++)
    if (strcmp (self->columns[j].name, name) == 0)
      return (int) j;
  return -1;
}

const char *
gb_dataset_get_path (GbDataset *self)
{
  g_return_val_if_fail (GB_IS_DATASET (self), NULL);
  return self->path;
}

const char *
gb_dataset_get_sha256 (GbDataset *self)
{
  g_return_val_if_fail (GB_IS_DATASET (self), NULL);
  return self->sha256;
}

GPtrArray *
gb_dataset_get_notices (GbDataset *self)
{
  g_return_val_if_fail (GB_IS_DATASET (self), NULL);
  return self->notices;
}

/* Shortest of %.15g, %.16g, %.17g that reads back to the same double. */
static char *
format_number (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[k], v);
      if (k == G_N_ELEMENTS (formats) - 1 || g_ascii_strtod (buf, NULL) == v)
        break;
    }
  return g_strdup (buf);
}

char *
gb_dataset_format_cell (GbDataset *self, guint column, gsize row)
{
  const GbColumn *c;

  g_return_val_if_fail (GB_IS_DATASET (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  c = &self->columns[column];
  switch (c->type)
    {
    case GB_COLUMN_NUMERIC:
      return isnan (c->numeric[row]) ? NULL : format_number (c->numeric[row]);
    case GB_COLUMN_CATEGORICAL:
      return c->codes[row] < 0 ? NULL : g_strdup (g_ptr_array_index (c->levels, c->codes[row]));
    case GB_COLUMN_TEXT:
      return g_strdup (c->text[row]);
    default:
      return NULL;
    }
}

const char *
gb_column_type_to_string (GbColumnType type)
{
  switch (type)
    {
    case GB_COLUMN_NUMERIC:
      return "numeric";
    case GB_COLUMN_CATEGORICAL:
      return "categorical";
    case GB_COLUMN_TEXT:
      return "text";
    default:
      return "unknown";
    }
}
