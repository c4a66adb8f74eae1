/* gb-dataset.c — streaming CSV reader (libcsv) and typed columns.
 *
 * The pipeline for one pass over the bytes:
 *
 *   raw chunk ─► sha256 ─► BOM ─► encoding (UTF-8 check or GCharsetConverter)
 *             ─► physical lines ─► libcsv ─► on_field/on_record ─► column builders
 *
 * The first 64 KiB of text are sniffed for the delimiter and the header
 * before the first byte reaches libcsv.  Column builders parse numbers and
 * dates straight into double arrays and intern every other value once per
 * column, so no cell is ever allocated on its own.
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
#define GB_SNIFF_BYTES    (64 * 1024)
#define GB_SNIFF_RECORDS  50
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
  gsize text_bytes;       /* bytes of interned text */
  GbCsvOptions *options;  /* effective options */
};

G_DEFINE_FINAL_TYPE (GbDataset, gb_dataset, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------ */
/* Options                                                                  */

static const char *default_missing_tokens[] = {
  "NA", "N/A", "NaN", "null", "?", "NULL", "nan", NULL,
};

GbCsvOptions *
gb_csv_options_new (void)
{
  return g_new0 (GbCsvOptions, 1);
}

GbCsvOptions *
gb_csv_options_copy (const GbCsvOptions *options)
{
  GbCsvOptions *copy = g_new0 (GbCsvOptions, 1);

  if (options == NULL)
    return copy;
  copy->delimiter = options->delimiter;
  copy->encoding = g_strdup (options->encoding);
  copy->header = options->header;
  copy->na_values = g_strdupv (options->na_values);
  copy->column_types = g_strdupv (options->column_types);
  return copy;
}

void
gb_csv_options_free (GbCsvOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->encoding);
  g_strfreev (options->na_values);
  g_strfreev (options->column_types);
  g_free (options);
}

gboolean
gb_csv_options_parse_delimiter (const char *text, char *out, GError **error)
{
  static const struct { const char *name; char c; } names[] = {
    { ",", ',' }, { "comma", ',' }, { ";", ';' }, { "semicolon", ';' },
    { "\t", '\t' }, { "\\t", '\t' }, { "tab", '\t' }, { "|", '|' }, { "pipe", '|' },
    { "auto", 0 },
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i].name) == 0)
      {
        *out = names[i].c;
        return TRUE;
      }
  g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
               "unknown delimiter “%s”: use comma (,), semicolon (;), tab, pipe (|) or auto",
               text ? text : "");
  return FALSE;
}

static const char *type_names[] = { "numeric", "categorical", "text", "boolean", "date" };

const char *
gb_column_type_to_string (GbColumnType type)
{
  if ((guint) type < G_N_ELEMENTS (type_names))
    return type_names[type];
  return "unknown";
}

gboolean
gb_column_type_from_string (const char *text, GbColumnType *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (type_names); i++)
    if (g_ascii_strcasecmp (text, type_names[i]) == 0)
      {
        *out = (GbColumnType) i;
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Numbers, dates, booleans                                                 */

static const double pow10_exact[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* A whole, finite decimal number: [+-]? (D+ (. D*)? | . D+) ([eE] [+-]? D+)?
 * Values with at most 15 significant digits and a decimal exponent within
 * ±22 are computed exactly (Clinger's fast path: one correctly rounded
 * multiplication or division of two exact doubles), which is the value
 * g_ascii_strtod() returns; everything else goes to g_ascii_strtod().
 * @s must be NUL-terminated at @len (libcsv appends a NUL; callers of
 * the trimmed span write one). */
static gboolean
parse_number (const char *s, gsize len, double *out)
{
  const char *p = s, *end = s + len;
  gboolean neg = FALSE;
  guint64 mant = 0;
  int sig = 0, exp10 = 0, n_digits = 0;
  gboolean dropped = FALSE;

  if (len == 0)
    return FALSE;
  if (*p == '+' || *p == '-')
    neg = *p++ == '-';
  for (; p < end && *p >= '0' && *p <= '9'; p++, n_digits++)
    {
      if (sig < 19 && (mant != 0 || *p != '0'))
        mant = mant * 10 + (guint64) (*p - '0'), sig += mant != 0;
      else if (mant != 0)
        exp10++, dropped |= *p != '0';
    }
  if (p < end && *p == '.')
    {
      p++;
      for (; p < end && *p >= '0' && *p <= '9'; p++, n_digits++)
        {
          if (sig < 19 && (mant != 0 || *p != '0'))
            mant = mant * 10 + (guint64) (*p - '0'), sig += mant != 0, exp10--;
          else if (mant == 0)
            exp10--;
          else
            dropped |= *p != '0';
        }
    }
  if (n_digits == 0)
    return FALSE;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      int esign = 1, e = 0, e_digits = 0;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        esign = *p++ == '-' ? -1 : 1;
      for (; p < end && *p >= '0' && *p <= '9'; p++, e_digits++)
        if (e < 100000)
          e = e * 10 + (*p - '0');
      if (e_digits == 0)
        return FALSE;
      exp10 += esign * e;
    }
  if (p != end)
    return FALSE;

  if (mant == 0 && !dropped)
    {
      *out = neg ? -0.0 : 0.0;
      return TRUE;
    }
  if (!dropped && sig <= 15 && exp10 >= -22 && exp10 <= 22)
    {
      double v = (double) mant;
      v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
      *out = neg ? -v : v;
      return TRUE;
    }
  {
    char *stop = NULL;
    double v = g_ascii_strtod (s, &stop);
    if (stop != end || !isfinite (v))
      return FALSE;
    *out = v;
    return TRUE;
  }
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant, "chrono-compatible low-level date algorithms"). */
static gint64
days_from_civil (gint64 y, unsigned m, unsigned d)
{
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned) (y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static void
civil_from_days (gint64 z, gint64 *y, unsigned *m, unsigned *d)
{
  z += 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned) (z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 yy = (gint64) yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

static gboolean
digits (const char *s, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

gboolean
gb_date_parse (const char *s, gssize length, double *days)
{
  static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gsize len = length < 0 ? strlen (s) : (gsize) length;
  int y, m, d, hh = 0, mm = 0, ss = 0;
  double frac = 0, offset_min = 0;
  gsize p = 10;

  if (len < 10 || s[4] != '-' || s[7] != '-' || !digits (s, 4, &y) || !digits (s + 5, 2, &m)
      || !digits (s + 8, 2, &d))
    return FALSE;
  if (m < 1 || m > 12 || d < 1)
    return FALSE;
  if (d > mdays[m - 1] + (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
    return FALSE;
  if (p < len)
    {
      if ((s[p] != 'T' && s[p] != ' ') || len < p + 6 || s[p + 3] != ':'
          || !digits (s + p + 1, 2, &hh) || !digits (s + p + 4, 2, &mm) || hh > 23 || mm > 59)
        return FALSE;
      p += 6;
      if (p < len && s[p] == ':')
        {
          if (len < p + 3 || !digits (s + p + 1, 2, &ss) || ss > 59)
            return FALSE;
          p += 3;
          if (p < len && s[p] == '.')
            {
              double scale = 0.1;
              gsize start = ++p;
              for (; p < len && s[p] >= '0' && s[p] <= '9'; p++, scale /= 10)
                frac += (s[p] - '0') * scale;
              if (p == start)
                return FALSE;
            }
        }
      if (p < len && s[p] == 'Z')
        p++;
      else if (p < len && (s[p] == '+' || s[p] == '-'))
        {
          int oh, om;
          int sign = s[p] == '-' ? -1 : 1;
          if (len >= p + 6 && s[p + 3] == ':' && digits (s + p + 1, 2, &oh) && digits (s + p + 4, 2, &om))
            p += 6;
          else if (len >= p + 5 && digits (s + p + 1, 2, &oh) && digits (s + p + 3, 2, &om))
            p += 5;
          else
            return FALSE;
          if (oh > 23 || om > 59)
            return FALSE;
          offset_min = sign * (oh * 60 + om);
        }
      if (p != len)
        return FALSE;
    }
  *days = (double) days_from_civil (y, (unsigned) m, (unsigned) d)
          + ((hh * 3600.0 + mm * 60.0 + ss + frac) - offset_min * 60.0) / 86400.0;
  return TRUE;
}

char *
gb_date_from_days (double days)
{
  gint64 whole = (gint64) floor (days);
  gint64 y;
  unsigned m, d;
  double secs = (days - (double) whole) * 86400.0;
  gint64 ms = (gint64) llround (secs * 1000.0);

  if (ms >= 86400000)
    whole++, ms -= 86400000;
  civil_from_days (whole, &y, &m, &d);
  if (ms == 0)
    return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02u-%02u", y, m, d);
  if (ms % 1000 == 0)
    return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02u-%02u %02d:%02d:%02d", y, m, d,
                            (int) (ms / 3600000), (int) (ms / 60000 % 60), (int) (ms / 1000 % 60));
  return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02u-%02u %02d:%02d:%02d.%03d", y, m, d,
                          (int) (ms / 3600000), (int) (ms / 60000 % 60), (int) (ms / 1000 % 60),
                          (int) (ms % 1000));
}

/* Boolean spellings: pairs (false, true) of one family and case. */
static const char *bool_pairs[][2] = {
  { "false", "true" }, { "False", "True" }, { "FALSE", "TRUE" },
  { "f", "t" }, { "F", "T" },
  { "no", "yes" }, { "No", "Yes" }, { "NO", "YES" },
  { "n", "y" }, { "N", "Y" },
};

/* 0 (false), 1 (true) or -1 for a token a forced boolean column accepts. */
static int
bool_token_value (const char *s)
{
  static const char *falses[] = { "false", "f", "no", "n", "0" };
  static const char *trues[] = { "true", "t", "yes", "y", "1" };
  for (guint i = 0; i < G_N_ELEMENTS (falses); i++)
    {
      if (g_ascii_strcasecmp (s, falses[i]) == 0)
        return 0;
      if (g_ascii_strcasecmp (s, trues[i]) == 0)
        return 1;
    }
  return -1;
}

/* Index into bool_pairs of the pair holding every string of @strings
 * (one or two), or -1. */
static int
bool_pair_of (GPtrArray *strings)
{
  if (strings->len == 0 || strings->len > 2)
    return -1;
  for (guint k = 0; k < G_N_ELEMENTS (bool_pairs); k++)
    {
      gboolean all = TRUE;
      for (guint i = 0; i < strings->len && all; i++)
        all = strcmp (g_ptr_array_index (strings, i), bool_pairs[k][0]) == 0
              || strcmp (g_ptr_array_index (strings, i), bool_pairs[k][1]) == 0;
      if (all && (strings->len == 1 || strcmp (g_ptr_array_index (strings, 0), g_ptr_array_index (strings, 1)) != 0))
        return (int) k;
    }
  return -1;
}

/* ------------------------------------------------------------------------ */
/* Column builders                                                          */

typedef enum { ST_UNKNOWN, ST_NUMBER, ST_DATE, ST_STRING } ColState;

#define CODE_REPLAY (-2)   /* a present cell whose text a second pass supplies */

typedef struct
{
  ColState state;
  int forced;             /* -1, or the GbColumnType forced by the options */
  double *num;            /* (cap) NUMBER, DATE: value, NAN where missing */
  gint32 *codes;          /* (cap) STRING: index into strings, -1 missing */
  gsize cap;
  guint64 *slots;         /* open addressing: hash << 32 | (index + 1), 0 empty */
  guint32 mask;           /* slots − 1 (a power of two minus one) */
  GArray *hashes;         /* (element-type guint32) hash of each interned string */
  GArray *lens;           /* (element-type guint32) length of each interned string */
  GPtrArray *strings;     /* index → interned string (in chunk) */
  GStringChunk *chunk;
  guint64 total_len;      /* bytes of present values */
  gsize replay_rows;      /* rows [0, replay_rows) may hold CODE_REPLAY */
  gboolean bad_utf8_noticed;
  gsize n_coerced;        /* forced type: present cells that did not fit */
  guint coerced_line;
  char *coerced_text;
} ColBuilder;

static void
col_builder_clear (ColBuilder *c)
{
  g_clear_pointer (&c->num, g_free);
  g_clear_pointer (&c->codes, g_free);
  g_clear_pointer (&c->slots, g_free);
  g_clear_pointer (&c->hashes, g_array_unref);
  g_clear_pointer (&c->lens, g_array_unref);
  g_clear_pointer (&c->strings, g_ptr_array_unref);
  g_clear_pointer (&c->chunk, g_string_chunk_free);
  g_clear_pointer (&c->coerced_text, g_free);
}

/* ------------------------------------------------------------------------ */
/* Loader                                                                   */

typedef struct
{
  char *name;             /* base name for messages */
  const GbCsvOptions *opts;
  char **na_values;       /* effective missing tokens */
  guint *na_lengths;
  struct csv_parser parser;
  gboolean parser_ready;
  GChecksum *sum;         /* NULL in a replay pass */
  guint64 bytes;          /* raw bytes fed (including a BOM) */
  gboolean started;
  gboolean had_bom;

  /* encoding */
  char *encoding;         /* effective, "UTF-8" or an iconv name */
  gboolean auto_encoding; /* may restart as Windows-1252 */
  gboolean check_cells;   /* explicit UTF-8: validate each cell */
  GConverter *conv;       /* NULL for UTF-8 */
  GByteArray *carry;      /* incomplete bytes between chunks */
  gboolean restart;       /* set when invalid UTF-8 means: read again */
  char *restart_encoding;
  guint restart_line;

  /* sniffing */
  GByteArray *sniff;      /* text held back until the sniff */
  gboolean sniffed;
  char delimiter;
  GbHeaderMode header_mode;
  guint sniff_fields;     /* fields of the first record (no-header case) */

  guint line;             /* 1 + LF bytes fed before the current segment */
  gboolean header_done;
  GPtrArray *header;      /* raw header fields (char *) */
  guint n_cols;
  guint header_line;
  char **names;           /* unique names */

  guint field;            /* index of the next field in the current record */
  guint record_line;
  char *extra_text;       /* first field beyond n_cols in current record */
  char last_field[GB_QUOTE_MAX + 5]; /* start of the last field (short rows) */
  gsize last_len;
  guint8 na_first[256];   /* first bytes of the missing tokens */
  gsize n_rows;
  gsize row_estimate;     /* capacity to reserve, from the first chunk */
  guint64 total_size;     /* bytes in the file, 0 when unknown */
  ColBuilder *cols;
  GString *scratch;

  gboolean replay;        /* second pass: fill CODE_REPLAY cells only */
  gsize replay_until;     /* stop after this many rows */
  gboolean replay_done;

  GPtrArray *notices;
  GError *error;
} Loader;

static gboolean
is_missing_token (Loader *L, const char *s, gsize len)
{
  if (len == 0)
    return TRUE;
  if (!L->na_first[(guchar) s[0]])
    return FALSE;
  for (guint i = 0; L->na_values[i] != NULL; i++)
    if (L->na_lengths[i] == len && memcmp (L->na_values[i], s, len) == 0)
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
  const char *p, *end;
  if (len == 0)
    return 0;
  p = s, end = s + len;
  while ((p = memchr (p, '\n', end - p)) != NULL)
    n++, p++;
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
loader_notice (Loader *L, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
loader_notice (Loader *L, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  if (L->replay)
    return;
  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_ptr_array_add (L->notices, g_strdup_printf ("%s: %s", L->name, msg));
}

static void
make_unique_names (Loader *L)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);

  L->names = g_new0 (char *, L->n_cols + 1);
  for (guint j = 0; j < L->n_cols; j++)
    {
      const char *raw = j < L->header->len ? g_ptr_array_index (L->header, j) : "";
      g_autofree char *base = g_strstrip (g_utf8_make_valid (raw, -1));
      char *name;

      if (base[0] == '\0')
        {
          g_free (base);
          base = g_strdup_printf ("column_%u", j + 1);
          if (L->header_mode == GB_HEADER_PRESENT)
            loader_notice (L, "column %u has no name in the header; it is called “%s”", j + 1, base);
        }
      name = g_strdup (base);
      for (guint k = 2; g_hash_table_contains (used, name); k++)
        {
          g_free (name);
          name = g_strdup_printf ("%s_%u", base, k);
        }
      if (strcmp (name, base) != 0)
        loader_notice (L, "column %u: duplicate header name “%s” renamed to “%s”", j + 1, base, name);
      L->names[j] = name;
      g_hash_table_add (used, name);
    }
}

/* Applies #GbCsvOptions.column_types once the names are known. */
static gboolean
apply_forced_types (Loader *L)
{
  for (guint i = 0; L->opts->column_types && L->opts->column_types[i]; i++)
    {
      const char *spec = L->opts->column_types[i];
      const char *eq = strrchr (spec, '=');
      g_autofree char *col = NULL;
      GbColumnType type;
      gboolean found = FALSE;

      if (eq == NULL || eq == spec)
        {
          L->error = g_error_new (GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                                  "column type “%s” must be COLUMN=TYPE, e.g. “zip=categorical”", spec);
          return FALSE;
        }
      if (!gb_column_type_from_string (eq + 1, &type))
        {
          L->error = g_error_new (GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                                  "unknown column type “%s” in “%s”: use numeric, categorical, text, boolean or date",
                                  eq + 1, spec);
          return FALSE;
        }
      col = g_strndup (spec, eq - spec);
      for (guint j = 0; j < L->n_cols; j++)
        if (strcmp (L->names[j], col) == 0)
          {
            L->cols[j].forced = (int) type;
            found = TRUE;
          }
      if (!found)
        {
          g_autofree char *list = g_strjoinv ("”, “", L->names);
          L->error = g_error_new (GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                                  "%s: unknown column “%s” in column type “%s”; the columns are “%s”",
                                  L->name, col, spec, list);
          return FALSE;
        }
    }
  return TRUE;
}

static void
start_columns (Loader *L)
{
  L->cols = g_new0 (ColBuilder, L->n_cols);
  for (guint j = 0; j < L->n_cols; j++)
    L->cols[j].forced = -1;
  if (L->opts->column_types)
    apply_forced_types (L);
}

static void
col_reserve (Loader *L, ColBuilder *c, gsize need)
{
  gsize cap;

  if (need <= c->cap)
    return;
  cap = MAX (need, MAX (L->row_estimate, c->cap + c->cap / 4 + 1024));
  if (c->num != NULL)
    c->num = g_renew (double, c->num, cap);
  if (c->codes != NULL)
    c->codes = g_renew (gint32, c->codes, cap);
  c->cap = cap;
}

static void
col_become (Loader *L, ColBuilder *c, ColState state, gsize row)
{
  c->state = state;
  c->cap = 0;
  if (state == ST_STRING)
    {
      c->codes = g_new (gint32, 1);
      c->mask = 63;
      c->slots = g_new0 (guint64, c->mask + 1);
      c->hashes = g_array_new (FALSE, FALSE, sizeof (guint32));
      c->lens = g_array_new (FALSE, FALSE, sizeof (guint32));
      c->strings = g_ptr_array_new ();
      c->chunk = g_string_chunk_new (4096);
      c->cap = 1;
      col_reserve (L, c, row + 1);
      for (gsize i = 0; i < row; i++)
        c->codes[i] = -1;
    }
  else
    {
      c->num = g_new (double, 1);
      c->cap = 1;
      col_reserve (L, c, row + 1);
      for (gsize i = 0; i < row; i++)
        c->num[i] = NAN;
    }
}

/* A numeric or date column meets text at @row: it becomes a string column;
 * its earlier present cells are filled in by a second pass. */
static void
col_demote (Loader *L, ColBuilder *c, gsize row)
{
  g_autofree double *num = g_steal_pointer (&c->num);

  col_become (L, c, ST_STRING, 0);
  col_reserve (L, c, row + 1);
  for (gsize i = 0; i < row; i++)
    c->codes[i] = isnan (num[i]) ? -1 : CODE_REPLAY;
  c->replay_rows = row;
}

/* 32-bit hash of a byte string, eight bytes at a time (a multiply–xorshift
 * mix in the manner of wyhash/xxHash; not cryptographic, only for the
 * intern table). */
static guint32
hash_bytes (const char *s, gsize len)
{
  guint64 h = G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) ^ len;
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w;
      memcpy (&w, s + i, 8);
      h = (h ^ w) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
      h ^= h >> 31;
    }
  if (i < len)
    {
      guint64 w = 0;
      memcpy (&w, s + i, len - i);
      h = (h ^ w) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
      h ^= h >> 29;
    }
  h *= G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  return (guint32) (h ^ (h >> 32));
}

/* Interns @s (@len bytes) in the column's dictionary; returns its index. */
static gint32
col_intern (ColBuilder *c, const char *s, gsize len)
{
  guint32 h = hash_bytes (s, len);
  guint32 pos = h & c->mask;
  const char *key;

  for (;; pos = (pos + 1) & c->mask)
    {
      guint64 e = c->slots[pos];
      guint32 slot = (guint32) e;
      if (slot == 0)
        break;
      if ((guint32) (e >> 32) == h
          && g_array_index (c->lens, guint32, slot - 1) == len
          && memcmp (g_ptr_array_index (c->strings, slot - 1), s, len) == 0)
        return (gint32) slot - 1;
    }
  key = g_string_chunk_insert_len (c->chunk, s, len);
  g_ptr_array_add (c->strings, (gpointer) key);
  g_array_append_val (c->hashes, h);
  {
    guint32 l = (guint32) len;
    g_array_append_val (c->lens, l);
  }
  c->slots[pos] = (guint64) h << 32 | c->strings->len;
  if ((guint64) c->strings->len * 4 >= (guint64) (c->mask + 1) * 3)
    {
      /* grow ×2 and re-place every index by its stored hash */
      guint32 mask = c->mask * 2 + 1;
      guint64 *slots = g_new0 (guint64, (gsize) mask + 1);
      for (guint32 k = 0; k < c->strings->len; k++)
        {
          guint32 hk = g_array_index (c->hashes, guint32, k);
          guint32 p = hk & mask;
          while (slots[p] != 0)
            p = (p + 1) & mask;
          slots[p] = (guint64) hk << 32 | (k + 1);
        }
      g_free (c->slots);
      c->slots = slots;
      c->mask = mask;
    }
  return (gint32) c->strings->len - 1;
}

static void
col_coerced (Loader *L, ColBuilder *c, const char *s, gsize len)
{
  if (c->n_coerced++ == 0)
    {
      c->coerced_line = L->record_line;
      c->coerced_text = quote_brief (s, len);
    }
}

static void
store_cell (Loader *L, guint j, char *s, gsize len)
{
  ColBuilder *c = &L->cols[j];
  const gsize row = L->n_rows;
  const char *t = s;
  double v;

  trim_span (&t, &len);
  s = (char *) t;
  s[len] = '\0';    /* libcsv's entry buffer: NUL-terminated and writable */

  if (L->replay)
    {
      if (row < c->replay_rows && c->codes[row] == CODE_REPLAY)
        {
          g_string_truncate (L->scratch, 0);
          if (L->check_cells && !g_utf8_validate_len (s, len, NULL))
            {
              g_autofree char *valid = g_utf8_make_valid (s, len);
              g_string_append (L->scratch, valid);
            }
          else
            g_string_append_len (L->scratch, s, len);
          c->codes[row] = col_intern (c, L->scratch->str, L->scratch->len);
          c->total_len += L->scratch->len;
        }
      return;
    }

  if (is_missing_token (L, s, len))
    {
      if (c->state == ST_NUMBER || c->state == ST_DATE)
        {
          col_reserve (L, c, row + 1);
          c->num[row] = NAN;
        }
      else if (c->state == ST_STRING)
        {
          col_reserve (L, c, row + 1);
          c->codes[row] = -1;
        }
      return;
    }

  if (c->state == ST_UNKNOWN)
    {
      ColState st = ST_STRING;
      if (c->forced == GB_COLUMN_NUMERIC)
        st = ST_NUMBER;
      else if (c->forced == GB_COLUMN_DATE)
        st = ST_DATE;
      else if (c->forced < 0 && parse_number (s, len, &v))
        st = ST_NUMBER;
      else if (c->forced < 0 && gb_date_parse (s, len, &v))
        st = ST_DATE;
      col_become (L, c, st, row);
    }

  if (c->state == ST_NUMBER || c->state == ST_DATE)
    {
      gboolean ok = c->state == ST_NUMBER ? parse_number (s, len, &v) : gb_date_parse (s, len, &v);
      if (ok)
        {
          col_reserve (L, c, row + 1);
          c->num[row] = v;
          return;
        }
      if (c->forced >= 0)
        {
          col_coerced (L, c, s, len);
          col_reserve (L, c, row + 1);
          c->num[row] = NAN;
          return;
        }
      col_demote (L, c, row);
    }

  /* ST_STRING */
  col_reserve (L, c, row + 1);
  if (c->forced == GB_COLUMN_BOOLEAN && bool_token_value (s) < 0)
    {
      col_coerced (L, c, s, len);
      c->codes[row] = -1;
      return;
    }
  if (L->check_cells && !g_utf8_validate_len (s, len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (s, len);
      if (!c->bad_utf8_noticed)
        {
          g_autofree char *label = column_label (L, j);
          c->bad_utf8_noticed = TRUE;
          loader_notice (L, "line %u, %s: invalid UTF-8 replaced by U+FFFD (first of possibly several)",
                         L->record_line, label);
        }
      c->codes[row] = col_intern (c, valid, strlen (valid));
      c->total_len += strlen (valid);
      return;
    }
  c->codes[row] = col_intern (c, s, len);
  c->total_len += len;
}

static void
on_field (void *s, size_t len, void *data)
{
  Loader *L = data;
  char *text = s;
  char empty[1] = { 0 };

  if (L->error != NULL || L->replay_done)
    return;
  if (text == NULL)
    text = empty, len = 0;
  if (L->field == 0)
    L->record_line = L->line - count_lf (text, len);

  if (!L->header_done)
    {
      if (!L->replay)
        g_ptr_array_add (L->header, g_strndup (text, len));
    }
  else if (L->field < L->n_cols)
    {
      L->last_len = MIN (len, sizeof L->last_field);
      memcpy (L->last_field, text, L->last_len);
      store_cell (L, L->field, text, len);
    }
  else if (L->extra_text == NULL)
    L->extra_text = quote_brief (text, len);
  L->field++;
}

static void
begin_data (Loader *L)
{
  L->header_done = TRUE;
  if (L->replay)
    return;
  make_unique_names (L);
  start_columns (L);
}

static void
on_record (int c, void *data)
{
  Loader *L = data;

  if (L->error != NULL || L->replay_done)
    return;
  if (!L->header_done)
    {
      L->header_line = L->record_line;
      if (!L->replay)
        L->n_cols = L->header->len;
      begin_data (L);
    }
  else if (L->field > L->n_cols)
    {
      loader_set_error (L, "line %u, column %u: expected %u fields, found %u; unexpected extra field “%s”",
                        L->record_line, L->n_cols + 1, L->n_cols, L->field,
                        L->extra_text ? L->extra_text : "");
    }
  else if (L->field < L->n_cols)
    {
      g_autofree char *last = quote_brief (L->last_field, L->last_len);
      loader_set_error (L, "line %u, column %u: expected %u fields, found %u; the row ends after “%s”",
                        L->record_line, L->field, L->n_cols, L->field,
                        last);
    }
  else
    {
      L->n_rows++;
      if (L->replay && L->n_rows >= L->replay_until)
        L->replay_done = TRUE;
    }

  L->field = 0;
  g_clear_pointer (&L->extra_text, g_free);
}

/* ------------------------------------------------------------------------ */
/* Sniffing: delimiter and header                                           */

typedef struct
{
  guint n_records;
  guint counts[GB_SNIFF_RECORDS];
  guint field;
  gboolean failed;
  GPtrArray *rows;        /* (element-type GPtrArray of char*) when capturing */
  GPtrArray *cur;
} Sniff;

static void
sniff_field (void *s, size_t len, void *data)
{
  Sniff *st = data;
  st->field++;
  if (st->rows != NULL && st->n_records < GB_SNIFF_RECORDS)
    {
      if (st->cur == NULL)
        st->cur = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (st->cur, g_strndup (s ? s : "", s ? len : 0));
    }
}

static void
sniff_record (int c, void *data)
{
  Sniff *st = data;
  if (st->n_records < GB_SNIFF_RECORDS)
    {
      st->counts[st->n_records++] = st->field;
      if (st->rows != NULL)
        g_ptr_array_add (st->rows, st->cur ? st->cur : g_ptr_array_new_with_free_func (g_free));
      st->cur = NULL;
    }
  st->field = 0;
}

static void
sniff_run (const char *text, gsize len, char delim, gboolean at_end, Sniff *st)
{
  struct csv_parser p;

  memset (st->counts, 0, sizeof st->counts);
  st->n_records = 0;
  st->field = 0;
  st->failed = FALSE;
  if (csv_init (&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    {
      st->failed = TRUE;
      return;
    }
  csv_set_delim (&p, (unsigned char) delim);
  if (csv_parse (&p, text, len, sniff_field, sniff_record, st) != len)
    st->failed = TRUE;
  else if (at_end)
    csv_fini (&p, sniff_field, sniff_record, st);
  csv_free (&p);
  g_clear_pointer (&st->cur, g_ptr_array_unref);
}

static char
sniff_delimiter (const char *text, gsize len, gboolean at_end)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  char best = ',';
  double best_f = -1;

  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      Sniff st = { 0 };
      guint mode = 0, mode_n = 0, total;

      if (memchr (text, candidates[k], len) == NULL)
        continue;
      sniff_run (text, len, candidates[k], at_end, &st);
      for (guint i = 0; i < st.n_records; i++)
        {
          guint n = 0;
          for (guint k2 = 0; k2 < st.n_records; k2++)
            n += st.counts[k2] == st.counts[i];
          if (n > mode_n || (n == mode_n && st.counts[i] > mode))
            mode = st.counts[i], mode_n = n;
        }
      total = st.n_records + (st.failed ? 1 : 0);
      if (mode >= 2 && total > 0 && (double) mode_n / total > best_f)
        {
          best_f = (double) mode_n / total;
          best = candidates[k];
        }
    }
  return best;
}

typedef enum { KIND_MISSING, KIND_NUMBER, KIND_DATE, KIND_OTHER } CellKind;

static CellKind
cell_kind (Loader *L, const char *s)
{
  gsize len = strlen (s);
  double v;

  trim_span (&s, &len);
  g_autofree char *t = g_strndup (s, len);
  if (is_missing_token (L, t, len))
    return KIND_MISSING;
  if (parse_number (t, len, &v))
    return KIND_NUMBER;
  if (gb_date_parse (t, len, &v))
    return KIND_DATE;
  return KIND_OTHER;
}

/* The first row is data when every typed sampled column (all numbers or all
 * dates below the first row) has the same kind in the first row, and there
 * is at least one such column. */
static GbHeaderMode
sniff_header (Loader *L, const char *text, gsize len, gboolean at_end, guint *first_fields)
{
  Sniff st = { 0 };
  guint data_votes = 0, header_votes = 0;
  GPtrArray *row0;

  st.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  sniff_run (text, len, L->delimiter, at_end, &st);
  if (st.rows->len < 2)
    {
      g_ptr_array_unref (st.rows);
      return GB_HEADER_PRESENT;
    }
  row0 = g_ptr_array_index (st.rows, 0);
  *first_fields = row0->len;
  for (guint j = 0; j < row0->len; j++)
    {
      CellKind kind = KIND_MISSING;
      gboolean mixed = FALSE;
      CellKind k0;

      for (guint r = 1; r < st.rows->len && !mixed; r++)
        {
          GPtrArray *row = g_ptr_array_index (st.rows, r);
          CellKind k;
          if (j >= row->len)
            continue;
          k = cell_kind (L, g_ptr_array_index (row, j));
          if (k == KIND_MISSING)
            continue;
          if (kind == KIND_MISSING)
            kind = k;
          else if (k != kind)
            mixed = TRUE;
        }
      if (mixed || kind == KIND_MISSING || kind == KIND_OTHER)
        continue;
      k0 = cell_kind (L, g_ptr_array_index (row0, j));
      if (k0 == kind)
        data_votes++;
      else if (k0 != KIND_MISSING)
        header_votes++;
    }
  g_ptr_array_unref (st.rows);
  return data_votes > 0 && header_votes == 0 ? GB_HEADER_ABSENT : GB_HEADER_PRESENT;
}

/* ------------------------------------------------------------------------ */
/* Feeding                                                                  */

static void
loader_init (Loader *L, const char *path, const GbCsvOptions *opts, const char *encoding,
             gboolean replay)
{
  guint n_na;

  memset (L, 0, sizeof *L);
  L->name = g_path_get_basename (path);
  L->opts = opts;
  L->na_values = g_strdupv (opts->na_values ? opts->na_values : (char **) default_missing_tokens);
  n_na = g_strv_length (L->na_values);
  L->na_lengths = g_new (guint, n_na + 1);
  for (guint i = 0; i < n_na; i++)
    {
      L->na_lengths[i] = strlen (L->na_values[i]);
      L->na_first[(guchar) L->na_values[i][0]] = 1;
    }
  L->replay = replay;
  if (!replay)
    L->sum = g_checksum_new (G_CHECKSUM_SHA256);
  L->line = 1;
  L->header = g_ptr_array_new_with_free_func (g_free);
  L->notices = g_ptr_array_new_with_free_func (g_free);
  L->scratch = g_string_new (NULL);
  L->carry = g_byte_array_new ();
  L->sniff = g_byte_array_new ();
  L->delimiter = opts->delimiter;
  L->header_mode = opts->header;
  if (encoding != NULL)
    L->encoding = g_strdup (encoding);
  else if (opts->encoding != NULL)
    L->encoding = g_strdup (opts->encoding);
  else
    L->auto_encoding = TRUE;
  if (L->encoding != NULL && g_ascii_strcasecmp (L->encoding, "UTF-8") != 0
      && g_ascii_strcasecmp (L->encoding, "UTF8") != 0)
    {
      GError *err = NULL;
      L->conv = G_CONVERTER (g_charset_converter_new ("UTF-8", L->encoding, &err));
      if (L->conv == NULL)
        {
          L->error = g_error_new (GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                                  "unknown encoding “%s” (%s); try UTF-8, WINDOWS-1252, ISO-8859-1 or UTF-16",
                                  L->encoding, err->message);
          g_error_free (err);
        }
    }
  else if (L->encoding != NULL)
    L->check_cells = TRUE;
  if (csv_init (&L->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) == 0)
    L->parser_ready = TRUE;
}

static void
loader_clear (Loader *L)
{
  if (L->parser_ready)
    csv_free (&L->parser);
  g_free (L->name);
  g_strfreev (L->na_values);
  g_free (L->na_lengths);
  g_clear_pointer (&L->sum, g_checksum_free);
  g_ptr_array_unref (L->header);
  g_strfreev (L->names);
  g_free (L->extra_text);
  if (L->cols != NULL)
    for (guint j = 0; j < L->n_cols; j++)
      col_builder_clear (&L->cols[j]);
  g_free (L->cols);
  g_string_free (L->scratch, TRUE);
  g_byte_array_unref (L->carry);
  g_byte_array_unref (L->sniff);
  g_clear_object (&L->conv);
  g_free (L->encoding);
  g_free (L->restart_encoding);
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

/* Text (UTF-8) to libcsv, one physical line at a time so that callbacks
 * know the line number. */
static gboolean
feed_lines (Loader *L, const char *buf, gsize len)
{
  while (len > 0 && L->error == NULL && !L->replay_done)
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
          loader_set_error (L, "line %u, %s: NUL byte (this does not look like a text CSV file; "
                            "if it is UTF-16, give the encoding) after “%s”",
                            L->line, label, near);
          return FALSE;
        }
      if (nl != NULL)
        L->line++;
      buf += seg;
      len -= seg;
    }
  return L->error == NULL;
}

static void
do_sniff (Loader *L, gboolean at_end)
{
  gsize len = L->sniff->len;
  const char *text = len > 0 ? (const char *) L->sniff->data : "";

  L->sniffed = TRUE;
  if (L->total_size > 0 && !at_end && len > 0)
    {
      /* reserve columns for the rows the file probably holds (+2%) */
      guint lf = count_lf (text, len);
      if (lf > 0)
        L->row_estimate = (gsize) ((double) L->total_size * lf / len * 1.02) + 16;
    }
  if (L->delimiter == 0)
    L->delimiter = sniff_delimiter (text, len, at_end);
  csv_set_delim (&L->parser, (unsigned char) L->delimiter);
  if (L->header_mode == GB_HEADER_AUTO)
    L->header_mode = sniff_header (L, text, len, at_end, &L->sniff_fields);
  if (L->header_mode == GB_HEADER_ABSENT)
    {
      if (L->sniff_fields == 0)
        {
          Sniff st = { 0 };
          st.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
          sniff_run (text, len, L->delimiter, at_end, &st);
          L->sniff_fields = st.rows->len > 0 ? ((GPtrArray *) g_ptr_array_index (st.rows, 0))->len : 1;
          g_ptr_array_unref (st.rows);
        }
      if (!L->replay)
        {
          L->n_cols = L->sniff_fields;
          if (L->opts->header == GB_HEADER_AUTO)
            loader_notice (L, "the first row looks like data (its values have the types of the rows "
                           "below it), so it is read as data and the columns are named column_1 to column_%u",
                           L->n_cols);
        }
      L->header_line = 0;
      begin_data (L);
    }
}

/* Decoded UTF-8 text: held back for the sniff, then to libcsv. */
static gboolean
feed_text (Loader *L, const char *buf, gsize len)
{
  if (L->sniffed)
    return feed_lines (L, buf, len);
  g_byte_array_append (L->sniff, (const guint8 *) buf, len);
  if (L->sniff->len < GB_SNIFF_BYTES)
    return TRUE;
  do_sniff (L, FALSE);
  feed_lines (L, (const char *) L->sniff->data, L->sniff->len);
  g_byte_array_set_size (L->sniff, 0);
  return L->error == NULL;
}

static gboolean
all_ascii (const char *s, gsize len)
{
  gsize i = 0;
  for (; i + 8 <= len; i += 8)
    {
      guint64 w;
      memcpy (&w, s + i, 8);
      if (w & G_GUINT64_CONSTANT (0x8080808080808080))
        return FALSE;
    }
  for (; i < len; i++)
    if ((guchar) s[i] & 0x80)
      return FALSE;
  return TRUE;
}

static void
request_restart (Loader *L, const char *encoding, const char *text, gsize at)
{
  L->restart = TRUE;
  L->restart_encoding = g_strdup (encoding);
  L->restart_line = L->line + count_lf ((const char *) L->sniff->data, L->sniff->len)
                    + count_lf (text, at);
}

/* Raw bytes after the checksum and the BOM. */
static gboolean
feed_decoded (Loader *L, const char *buf, gsize len, gboolean at_end)
{
  g_autoptr(GByteArray) work = NULL;

  if (L->carry->len > 0)
    {
      work = g_steal_pointer (&L->carry);
      L->carry = g_byte_array_new ();
      g_byte_array_append (work, (const guint8 *) buf, len);
      buf = (const char *) work->data;
      len = work->len;
    }

  if (L->conv == NULL)
    {
      gsize ok_len = len;
      if (!at_end)
        for (gsize k = 1; k <= 3 && k <= len; k++)
          {
            guchar b = (guchar) buf[len - k];
            if ((b & 0xC0) == 0x80)
              continue;
            if (b >= 0xC0 && (gsize) (b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2) > k)
              ok_len = len - k;
            break;
          }
      if (L->auto_encoding && !all_ascii (buf, ok_len))
        {
          const char *end = NULL;
          if (!g_utf8_validate_len (buf, ok_len, &end) && *end != '\0')
            {
              request_restart (L, "WINDOWS-1252", buf, end - buf);
              return FALSE;
            }
        }
      g_byte_array_append (L->carry, (const guint8 *) buf + ok_len, len - ok_len);
      return feed_text (L, buf, ok_len);
    }

  {
    char out[GB_CSV_CHUNK];
    gsize off = 0;

    for (;;)
      {
        gsize nread = 0, nwritten = 0;
        GError *err = NULL;
        GConverterResult res = g_converter_convert (L->conv, buf + off, len - off, out, sizeof out,
                                                    at_end ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                                    &nread, &nwritten, &err);
        if (res == G_CONVERTER_ERROR)
          {
            if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && !at_end)
              {
                g_byte_array_append (L->carry, (const guint8 *) buf + off, len - off);
                g_error_free (err);
                return TRUE;
              }
            if (L->auto_encoding && g_ascii_strcasecmp (L->encoding, "WINDOWS-1252") == 0)
              request_restart (L, "ISO-8859-1", buf, off);
            else
              loader_set_error (L, "line %u: bytes that are not valid %s (%s); choose the file's encoding",
                                L->line + count_lf ((const char *) L->sniff->data, L->sniff->len),
                                L->encoding, err->message);
            g_error_free (err);
            return FALSE;
          }
        if (!feed_text (L, out, nwritten))
          return FALSE;
        off += nread;
        if (res == G_CONVERTER_FINISHED || (nread == 0 && nwritten == 0) || (off >= len && !at_end))
          break;
      }
  }
  return TRUE;
}

static gboolean
loader_feed (Loader *L, const char *buf, gsize len)
{
  if (L->error != NULL || L->restart)
    return FALSE;
  if (L->replay_done)
    return TRUE;
  if (!L->parser_ready)
    {
      loader_set_error (L, "cannot initialise the CSV parser");
      return FALSE;
    }
  if (L->sum != NULL)
    g_checksum_update (L->sum, (const guchar *) buf, len);
  L->bytes += len;
  if (!L->started && len > 0)
    {
      L->started = TRUE;
      /* a UTF-8 BOM is dropped also when a single-byte fallback reads the
       * file (a BOM, then bytes that are not UTF-8) */
      if (len >= 3 && memcmp (buf, "\xEF\xBB\xBF", 3) == 0
          && (L->conv == NULL || !(g_ascii_strncasecmp (L->encoding, "UTF-16", 6) == 0
                                   || g_ascii_strncasecmp (L->encoding, "UTF-32", 6) == 0
                                   || g_ascii_strncasecmp (L->encoding, "UCS", 3) == 0)))
        buf += 3, len -= 3, L->had_bom = TRUE;
      else if (len >= 2 && L->auto_encoding
               && (memcmp (buf, "\xFF\xFE", 2) == 0 || memcmp (buf, "\xFE\xFF", 2) == 0))
        {
          L->auto_encoding = FALSE;
          L->encoding = g_strdup ("UTF-16");
          L->conv = G_CONVERTER (g_charset_converter_new ("UTF-8", "UTF-16", NULL));
          L->had_bom = TRUE;
          if (L->conv == NULL)
            {
              loader_set_error (L, "the file is UTF-16, which this system cannot convert");
              return FALSE;
            }
          loader_notice (L, "the file starts with a UTF-16 byte order mark and is read as UTF-16");
        }
    }
  return feed_decoded (L, buf, len, FALSE);
}

static gboolean
loader_finish (Loader *L)
{
  if (L->error != NULL || L->restart)
    return FALSE;
  if (!feed_decoded (L, "", 0, TRUE))
    return FALSE;
  if (!L->sniffed)
    {
      do_sniff (L, TRUE);
      if (!feed_lines (L, (const char *) L->sniff->data, L->sniff->len))
        return FALSE;
      g_byte_array_set_size (L->sniff, 0);
    }
  if (L->replay)
    return L->error == NULL;
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
      if (L->header_mode == GB_HEADER_ABSENT)
        loader_set_error (L, "the file holds no data rows");
      else
        loader_set_error (L, "line %u: the header is not followed by any data rows", L->header_line);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Columns from builders                                                    */

static const char *const *cmp_base;

static int
cmp_index_by_string (gconstpointer a, gconstpointer b)
{
  return strcmp (cmp_base[*(const guint *) a], cmp_base[*(const guint *) b]);
}

static void
finish_column (GbDataset *self, Loader *L, guint j)
{
  ColBuilder *c = &L->cols[j];
  GbColumn *col = &self->columns[j];
  const gsize n = L->n_rows;
  GbColumnType want = c->forced >= 0 ? (GbColumnType) c->forced : GB_COLUMN_NUMERIC;

  col->n_rows = n;
  col->type_forced = c->forced >= 0;

  if (c->state == ST_UNKNOWN)
    {
      /* every cell missing */
      col->n_missing = n;
      col->logical_type = want;
      if (want == GB_COLUMN_CATEGORICAL || want == GB_COLUMN_BOOLEAN)
        {
          col->type = GB_COLUMN_CATEGORICAL;
          col->codes = g_new (gint32, MAX (n, 1));
          for (gsize i = 0; i < n; i++)
            col->codes[i] = -1;
          col->levels = g_ptr_array_new_with_free_func (g_free);
          if (want == GB_COLUMN_BOOLEAN)
            {
              g_ptr_array_add (col->levels, g_strdup ("false"));
              g_ptr_array_add (col->levels, g_strdup ("true"));
            }
        }
      else if (want == GB_COLUMN_TEXT)
        {
          col->type = GB_COLUMN_TEXT;
          col->text = g_new0 (char *, MAX (n, 1));
        }
      else
        {
          col->type = GB_COLUMN_NUMERIC;
          col->numeric = g_new (double, MAX (n, 1));
          for (gsize i = 0; i < n; i++)
            col->numeric[i] = NAN;
        }
      return;
    }

  if (c->state == ST_NUMBER || c->state == ST_DATE)
    {
      col->type = GB_COLUMN_NUMERIC;
      col->logical_type = c->state == ST_DATE ? GB_COLUMN_DATE : GB_COLUMN_NUMERIC;
      col->numeric = g_renew (double, g_steal_pointer (&c->num), MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        col->n_missing += isnan (col->numeric[i]);
      return;
    }

  /* ST_STRING */
  {
    guint n_str = c->strings->len;
    gsize n_present = 0;
    GbColumnType logical;
    int pair = bool_pair_of (c->strings);

    for (gsize i = 0; i < n; i++)
      n_present += c->codes[i] >= 0;
    col->n_missing = n - n_present;

    if (c->forced >= 0)
      logical = want;
    else if (pair >= 0)
      logical = GB_COLUMN_BOOLEAN;
    else if ((double) c->total_len / (double) MAX (n_present, 1) > GB_TEXT_MEAN_LEN
             || (n_present >= GB_TEXT_MIN_ROWS && n_str >= GB_TEXT_UNIQUE * n_present))
      logical = GB_COLUMN_TEXT;
    else
      logical = GB_COLUMN_CATEGORICAL;
    col->logical_type = logical;

    if (logical == GB_COLUMN_TEXT)
      {
        col->type = GB_COLUMN_TEXT;
        col->text = g_new (char *, MAX (n, 1));
        for (gsize i = 0; i < n; i++)
          col->text[i] = c->codes[i] < 0 ? NULL : g_ptr_array_index (c->strings, c->codes[i]);
        for (guint k = 0; k < n_str; k++)
          self->text_bytes += g_array_index (c->lens, guint32, k) + 1;
        g_ptr_array_add (self->text_chunks, g_steal_pointer (&c->chunk));
        g_clear_pointer (&c->codes, g_free);
        return;
      }

    /* levels point into the column's string chunk, which the dataset keeps */
    col->type = GB_COLUMN_CATEGORICAL;
    col->levels = g_ptr_array_new_full (MAX (n_str, 2), NULL);
    {
      g_autofree gint32 *remap = g_new (gint32, MAX (n_str, 1));

      if (logical == GB_COLUMN_BOOLEAN)
        {
          if (pair >= 0)
            {
              g_ptr_array_add (col->levels, g_string_chunk_insert (c->chunk, bool_pairs[pair][0]));
              g_ptr_array_add (col->levels, g_string_chunk_insert (c->chunk, bool_pairs[pair][1]));
              for (guint k = 0; k < n_str; k++)
                remap[k] = strcmp (g_ptr_array_index (c->strings, k), bool_pairs[pair][1]) == 0;
            }
          else
            {
              g_ptr_array_add (col->levels, g_string_chunk_insert (c->chunk, "false"));
              g_ptr_array_add (col->levels, g_string_chunk_insert (c->chunk, "true"));
              for (guint k = 0; k < n_str; k++)
                remap[k] = bool_token_value (g_ptr_array_index (c->strings, k));
            }
        }
      else
        {
          g_autofree guint *order = g_new (guint, MAX (n_str, 1));
          for (guint k = 0; k < n_str; k++)
            order[k] = k;
          cmp_base = (const char *const *) c->strings->pdata;
          qsort (order, n_str, sizeof *order, cmp_index_by_string);
          cmp_base = NULL;
          for (guint k = 0; k < n_str; k++)
            {
              g_ptr_array_add (col->levels, g_ptr_array_index (c->strings, order[k]));
              remap[order[k]] = (gint32) k;
            }
        }
      for (gsize i = 0; i < n; i++)
        if (c->codes[i] >= 0)
          c->codes[i] = remap[c->codes[i]];
    }
    for (guint k = 0; k < n_str; k++)
      self->text_bytes += g_array_index (c->lens, guint32, k) + 1;
    g_ptr_array_add (self->text_chunks, g_steal_pointer (&c->chunk));
    col->codes = g_renew (gint32, g_steal_pointer (&c->codes), MAX (n, 1));
  }
}

static GbDataset *
dataset_from_loader (Loader *L, const char *path)
{
  GbDataset *self = g_object_new (GB_TYPE_DATASET, NULL);

  self->path = g_strdup (path);
  self->sha256 = g_strdup (g_checksum_get_string (L->sum));
  self->n_rows = L->n_rows;
  self->n_columns = L->n_cols;
  self->columns = g_new0 (GbColumn, L->n_cols);
  self->options = gb_csv_options_copy (L->opts);
  self->options->delimiter = L->delimiter;
  g_free (self->options->encoding);
  self->options->encoding = g_strdup (L->encoding ? L->encoding : "UTF-8");
  self->options->header = L->header_mode;
  for (guint j = 0; j < L->n_cols; j++)
    {
      ColBuilder *c = &L->cols[j];
      self->columns[j].name = g_strdup (L->names[j]);
      finish_column (self, L, j);
      if (c->n_coerced > 0)
        loader_notice (L, "column “%s” is read as %s as asked; %" G_GSIZE_FORMAT " value%s that %s not "
                       "%s %s read as missing (the first, line %u: “%s”)",
                       L->names[j], gb_column_type_to_string (c->forced), c->n_coerced,
                       c->n_coerced == 1 ? "" : "s", c->n_coerced == 1 ? "is" : "are",
                       c->forced == GB_COLUMN_NUMERIC ? "a number" :
                       c->forced == GB_COLUMN_DATE ? "an ISO-8601 date" : "true/false, yes/no or 1/0",
                       c->n_coerced == 1 ? "is" : "are", c->coerced_line, c->coerced_text);
      col_builder_clear (c);
    }
  g_ptr_array_unref (self->notices);
  self->notices = g_steal_pointer (&L->notices);
  return self;
}

/* ------------------------------------------------------------------------ */
/* Driver                                                                   */

static gboolean
run_pass (Loader *L, GInputStream *in, goffset size, const char *path, GCancellable *cancellable,
          GbProgressFunc progress, gpointer user_data, GError **error)
{
  g_autofree char *buf = g_malloc (GB_CSV_CHUNK);
  GError *local = NULL;

  for (;;)
    {
      gsize got = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!g_input_stream_read_all (in, buf, GB_CSV_CHUNK, &got, cancellable, &local))
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, local);
          else
            {
              g_set_error (error, GB_DATA_ERROR, GB_ERROR_IO, "Cannot read “%s”: %s", path, local->message);
              g_error_free (local);
            }
          return FALSE;
        }
      if (got == 0)
        break;
      if (!loader_feed (L, buf, got))
        break;
      if (progress != NULL)
        progress (size > 0 ? MIN (1.0, (double) L->bytes / (double) size) : -1.0, NULL, user_data);
      if (got < GB_CSV_CHUNK || L->replay_done)
        break;
    }
  return TRUE;
}

static gboolean
rewind_stream (GInputStream *in, const char *path, GCancellable *cancellable, GError **error)
{
  GError *local = NULL;

  if (!G_IS_SEEKABLE (in) || !g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, cancellable, &local))
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_IO, "Cannot read “%s” again: %s", path,
                   local ? local->message : "the stream cannot seek");
      g_clear_error (&local);
      return FALSE;
    }
  return TRUE;
}

/* Second pass: the text of cells in columns that turned out not numeric. */
static gboolean
replay_pass (Loader *L, GInputStream *in, const char *path, GCancellable *cancellable, GError **error)
{
  gsize until = 0;

  for (guint j = 0; j < L->n_cols; j++)
    until = MAX (until, L->cols[j].replay_rows);
  if (until == 0)
    return TRUE;
  if (!rewind_stream (in, path, cancellable, error))
    return FALSE;

  csv_free (&L->parser);
  L->parser_ready = csv_init (&L->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) == 0;
  if (L->parser_ready)
    csv_set_delim (&L->parser, (unsigned char) L->delimiter);
  if (L->conv != NULL)
    g_converter_reset (L->conv);
  g_byte_array_set_size (L->carry, 0);
  g_clear_pointer (&L->sum, g_checksum_free);
  L->replay = TRUE;
  L->replay_until = until;
  L->replay_done = FALSE;
  L->started = FALSE;
  L->auto_encoding = FALSE;
  L->bytes = 0;
  L->line = 1;
  L->field = 0;
  L->n_rows = 0;
  L->header_done = L->header_mode == GB_HEADER_ABSENT;

  if (!run_pass (L, in, -1, path, cancellable, NULL, NULL, error))
    return FALSE;
  if (!L->replay_done)
    loader_finish (L);
  for (guint j = 0; j < L->n_cols && L->error == NULL; j++)
    for (gsize i = 0; i < L->cols[j].replay_rows; i++)
      if (L->cols[j].codes[i] == CODE_REPLAY)
        {
          loader_set_error (L, "the file changed while it was being read; open it again");
          break;
        }
  if (L->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&L->error));
      return FALSE;
    }
  return TRUE;
}

static GbDataset *
load_stream (GInputStream *in, goffset size, const char *path, const GbCsvOptions *options,
             GCancellable *cancellable, GbProgressFunc progress, gpointer user_data, GError **error)
{
  g_autoptr(GbCsvOptions) defaults = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *restart_notice = NULL;

  if (options == NULL)
    options = defaults = gb_csv_options_new ();

  for (guint attempt = 0; attempt < 3; attempt++)
    {
      Loader L;
      GbDataset *self = NULL;
      gsize rows;

      loader_init (&L, path, options, encoding, FALSE);
      L.total_size = size > 0 ? (guint64) size : 0;
      if (L.error == NULL)
        {
          if (!run_pass (&L, in, size, path, cancellable, progress, user_data, error))
            {
              loader_clear (&L);
              return NULL;
            }
          loader_finish (&L);
        }
      if (L.restart)
        {
          g_free (restart_notice);
          if (g_strcmp0 (L.restart_encoding, "ISO-8859-1") == 0)
            restart_notice = g_strdup_printf ("%s: the bytes are neither UTF-8 nor Windows-1252, so the "
                                              "file is read as ISO-8859-1 (Latin-1); if characters look "
                                              "wrong, choose the file's encoding", L.name);
          else
            restart_notice = g_strdup_printf ("%s: the bytes are not valid UTF-8 (first at line %u), so the "
                                              "file is read as Windows-1252; if characters look wrong, "
                                              "choose the file's encoding", L.name, L.restart_line);
          g_free (encoding);
          encoding = g_strdup (L.restart_encoding);
          loader_clear (&L);
          if (!rewind_stream (in, path, cancellable, error))
            return NULL;
          continue;
        }
      if (L.error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&L.error));
          loader_clear (&L);
          return NULL;
        }
      rows = L.n_rows;
      {
        GChecksum *keep = g_steal_pointer (&L.sum);
        if (!replay_pass (&L, in, path, cancellable, error))
          {
            g_checksum_free (keep);
            loader_clear (&L);
            return NULL;
          }
        g_clear_pointer (&L.sum, g_checksum_free);
        L.sum = keep;
      }
      L.n_rows = rows;
      L.replay = FALSE;
      self = dataset_from_loader (&L, path);
      if (restart_notice != NULL)
        g_ptr_array_insert (self->notices, 0, g_steal_pointer (&restart_notice));
      loader_clear (&L);
      if (progress != NULL)
        progress (1.0, NULL, user_data);
      return self;
    }
  g_set_error (error, GB_DATA_ERROR, GB_ERROR_PARSE, "%s: cannot determine the file's encoding; choose it", path);
  return NULL;
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
  g_clear_pointer (&self->options, gb_csv_options_free);
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
gb_dataset_new_from_file_full (const char *path, const GbCsvOptions *options,
                               GCancellable *cancellable, GbProgressFunc progress,
                               gpointer user_data, GError **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  GError *local = NULL;
  goffset size = -1;

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
  return load_stream (G_INPUT_STREAM (in), size, path, options, cancellable, progress, user_data, error);
}

GbDataset *
gb_dataset_new_from_file (const char *path, GCancellable *cancellable,
                          GbProgressFunc progress, gpointer user_data, GError **error)
{
  return gb_dataset_new_from_file_full (path, NULL, cancellable, progress, user_data, error);
}

GbDataset *
gb_dataset_new_from_data_full (const char *data, gsize length, const char *display_name,
                               const GbCsvOptions *options, GError **error)
{
  g_autoptr(GInputStream) in = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (display_name == NULL)
    display_name = "data.csv";
  in = g_memory_input_stream_new_from_data (length > 0 ? data : "", length, NULL);
  return load_stream (in, (goffset) length, display_name, options, NULL, NULL, NULL, error);
}

GbDataset *
gb_dataset_new_from_data (const char *data, gsize length, const char *display_name,
                          GError **error)
{
  return gb_dataset_new_from_data_full (data, length, display_name, NULL, error);
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

char *
gb_dataset_describe_columns (GbDataset *self, guint max)
{
  GString *out = g_string_new (NULL);
  const guint n = gb_dataset_get_n_columns (self);

  for (guint j = 0; j < n && j < max; j++)
    g_string_append_printf (out, "%s“%s”", j ? ", " : "", gb_dataset_get_column (self, j)->name);
  if (n > max)
    g_string_append_printf (out, " … and %u more", n - max);
  return g_string_free (out, FALSE);
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

const GbCsvOptions *
gb_dataset_get_options (GbDataset *self)
{
  g_return_val_if_fail (GB_IS_DATASET (self), NULL);
  return self->options;
}

gsize
gb_dataset_get_memory_size (GbDataset *self)
{
  gsize bytes = sizeof *self + self->n_columns * sizeof (GbColumn) + self->text_bytes;

  g_return_val_if_fail (GB_IS_DATASET (self), 0);
  for (guint j = 0; j < self->n_columns; j++)
    {
      const GbColumn *c = &self->columns[j];
      bytes += strlen (c->name) + 1;
      if (c->numeric)
        bytes += c->n_rows * sizeof (double);
      if (c->codes)
        bytes += c->n_rows * sizeof (gint32);
      if (c->text)
        bytes += c->n_rows * sizeof (char *);
      if (c->levels)
        bytes += c->levels->len * sizeof (gpointer);   /* their text is in text_bytes */
    }
  return bytes;
}

typedef struct
{
  const GbColumn *c;
  int sign;
} SortCtx;

static int
cmp_rows (gconstpointer a, gconstpointer b, gpointer data)
{
  const SortCtx *ctx = data;
  const GbColumn *c = ctx->c;
  guint32 i = *(const guint32 *) a, j = *(const guint32 *) b;
  gboolean mi, mj;
  int r = 0;

  switch (c->type)
    {
    case GB_COLUMN_NUMERIC:
      mi = isnan (c->numeric[i]), mj = isnan (c->numeric[j]);
      if (!mi && !mj)
        r = (c->numeric[i] > c->numeric[j]) - (c->numeric[i] < c->numeric[j]);
      break;
    case GB_COLUMN_CATEGORICAL:
      mi = c->codes[i] < 0, mj = c->codes[j] < 0;
      if (!mi && !mj)
        r = (c->codes[i] > c->codes[j]) - (c->codes[i] < c->codes[j]);
      break;
    default:
      mi = c->text[i] == NULL, mj = c->text[j] == NULL;
      if (!mi && !mj)
        r = strcmp (c->text[i], c->text[j]);
      break;
    }
  if (mi != mj)
    return mi ? 1 : -1;          /* missing last in both directions */
  if (r != 0)
    return r * ctx->sign;
  return (i > j) - (i < j);      /* file order for ties */
}

void
gb_dataset_sort_rows (GbDataset *self, guint column, gboolean descending, guint32 *order)
{
  SortCtx ctx;

  g_return_if_fail (GB_IS_DATASET (self));
  g_return_if_fail (column < self->n_columns);
  g_return_if_fail (order != NULL);

  ctx.c = &self->columns[column];
  ctx.sign = descending ? -1 : 1;
  for (gsize i = 0; i < self->n_rows; i++)
    order[i] = (guint32) i;
  g_qsort_with_data (order, (gint) self->n_rows, sizeof *order, cmp_rows, &ctx);
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
      if (isnan (c->numeric[row]))
        return NULL;
      return c->logical_type == GB_COLUMN_DATE ? gb_date_from_days (c->numeric[row])
                                               : format_number (c->numeric[row]);
    case GB_COLUMN_CATEGORICAL:
      return c->codes[row] < 0 ? NULL : g_strdup (g_ptr_array_index (c->levels, c->codes[row]));
    case GB_COLUMN_TEXT:
      return g_strdup (c->text[row]);
    case GB_COLUMN_BOOLEAN:
    case GB_COLUMN_DATE:
    default:
      return NULL;
    }
}
