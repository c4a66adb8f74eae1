/* gb-dataset.h — a CSV file read into typed columns (engine/data). */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

typedef enum {
  GB_COLUMN_NUMERIC,      /* double values, NAN where missing */
  GB_COLUMN_CATEGORICAL,  /* dictionary-encoded levels, code -1 where missing */
  GB_COLUMN_TEXT,         /* free text (long strings), NULL where missing */
} GbColumnType;

/**
 * GbColumn:
 * @name: unique column name (duplicates in the header are renamed `name_2`, ...)
 * @type: the inferred type
 * @n_rows: number of data rows (same for every column of a dataset)
 * @n_missing: number of missing cells
 * @numeric: (n_rows) values, NAN where missing; numeric columns only, else NULL
 * @codes: (n_rows) level index, -1 where missing; categorical only, else NULL
 * @levels: (element-type utf8) the distinct values of a categorical column,
 *   sorted by g_strcmp0() (byte order), so codes are deterministic; else NULL
 * @text: (n_rows) strings, NULL where missing; text columns only, else NULL
 *
 * A column owned by its #GbDataset; read-only for everybody else.
 */
typedef struct {
  char *name;
  GbColumnType type;
  gsize n_rows;
  gsize n_missing;
  double *numeric;
  gint32 *codes;
  GPtrArray *levels;
  char **text;
} GbColumn;

#define GB_TYPE_DATASET (gb_dataset_get_type ())
G_DECLARE_FINAL_TYPE (GbDataset, gb_dataset, GB, DATASET, GObject)

/**
 * gb_dataset_new_from_file:
 * @path: a CSV file (UTF-8, optional BOM, LF or CRLF, comma separated,
 *   RFC 4180 quoting; the first row is the header)
 * @cancellable: (nullable): checked between chunks
 * @progress: (nullable): called with the fraction of bytes read
 * @user_data: closure for @progress
 * @error: GB_DATA_ERROR with GB_ERROR_IO (cannot open), GB_ERROR_PARSE (the
 *   message names the file, 1-based line and column: "adult.csv: line 12,
 *   column 3: expected 15 fields, found 14"), or G_IO_ERROR_CANCELLED
 *
 * Reads the file with libcsv and infers each column's type from the whole
 * column: numeric when every non-missing cell parses with g_ascii_strtod()
 * as a whole, finite, non-hexadecimal number; otherwise categorical, or text
 * when values are long (mean length > 30 bytes) or nearly unique (at least
 * 20 values, of which at least 90% distinct).  Missing-value tokens: empty,
 * "NA", "N/A", "NaN", "null", "?", and also "NULL", "nan" (after trimming
 * spaces and tabs; cells are stored trimmed).  Also computes the file's
 * sha256 (over every byte read, BOM included).
 *
 * Line numbers in messages are 1-based physical lines counted by LF: the
 * line where the offending record starts (ragged rows), where the offending
 * quoted field starts (unterminated quote), or where the bad byte is (stray
 * quote, NUL byte).  Columns are 1-based field numbers, followed by the header
 * name when known.  Blank lines are skipped.  A header without data rows is a
 * GB_ERROR_PARSE error.  Invalid UTF-8 in a cell is replaced by U+FFFD and
 * reported once per column in the notices.
 *
 * Returns: (transfer full) (nullable): the dataset, or %NULL with @error set.
 */
GbDataset *gb_dataset_new_from_file (const char *path, GCancellable *cancellable,
                                     GbProgressFunc progress, gpointer user_data,
                                     GError **error);

/**
 * gb_dataset_new_from_data:
 * @data: CSV bytes (need not be NUL-terminated)
 * @length: number of bytes in @data
 * @display_name: name used in error messages and as the dataset path
 * @error: as for gb_dataset_new_from_file()
 *
 * Same as gb_dataset_new_from_file() on an in-memory buffer (tests, fuzzing).
 *
 * Returns: (transfer full) (nullable): the dataset, or %NULL with @error set.
 */
GbDataset *gb_dataset_new_from_data (const char *data, gsize length,
                                     const char *display_name, GError **error);

gsize           gb_dataset_get_n_rows    (GbDataset *self);
guint           gb_dataset_get_n_columns (GbDataset *self);
/* Returns: (transfer none): column @index (0-based, < n_columns). */
const GbColumn *gb_dataset_get_column    (GbDataset *self, guint index);
/* Returns: index of the column named @name (exact match), or -1. */
int             gb_dataset_find_column   (GbDataset *self, const char *name);
/* Returns: (transfer none): the path given at load time (or display name). */
const char     *gb_dataset_get_path      (GbDataset *self);
/* Returns: (transfer none) (nullable): lower-case hex sha256 of the bytes read. */
const char     *gb_dataset_get_sha256    (GbDataset *self);
/* Returns: (transfer none) (element-type utf8): human-readable notices
 * produced while loading (renamed duplicate headers, ...); may be empty. */
GPtrArray      *gb_dataset_get_notices   (GbDataset *self);

/**
 * gb_dataset_format_cell:
 * @self: the dataset
 * @column: column index
 * @row: row index
 *
 * Returns: (transfer full) (nullable): the cell as text for display (numbers
 * with g_ascii_dtostr, shortest round-trip: "39", "9930.046"), or %NULL
 * when the cell is missing.
 */
char *gb_dataset_format_cell (GbDataset *self, guint column, gsize row);

/**
 * gb_column_type_to_string:
 * Returns: (transfer none): "numeric", "categorical" or "text".
 */
const char *gb_column_type_to_string (GbColumnType type);

G_END_DECLS
