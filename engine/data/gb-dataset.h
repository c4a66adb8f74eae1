/* gb-dataset.h — a CSV file read into typed columns (engine/data). */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

/**
 * GbColumnType:
 * @GB_COLUMN_NUMERIC: double values, NAN where missing
 * @GB_COLUMN_CATEGORICAL: dictionary-encoded levels, code -1 where missing
 * @GB_COLUMN_TEXT: free text (long strings), NULL where missing
 * @GB_COLUMN_BOOLEAN: a logical type only (see #GbColumn.logical_type):
 *   stored as a categorical column whose two levels are the false and the
 *   true spelling, in that order (code 0 = false, 1 = true)
 * @GB_COLUMN_DATE: a logical type only: stored as a numeric column holding
 *   days since 1970-01-01 (UTC; a time of day is the fractional part)
 *
 * #GbColumn.type is always one of the three storage types NUMERIC,
 * CATEGORICAL and TEXT, so code that reads values needs three cases only;
 * #GbColumn.logical_type adds BOOLEAN and DATE for display, summaries,
 * validation and the JSON.
 */
typedef enum {
  GB_COLUMN_NUMERIC,
  GB_COLUMN_CATEGORICAL,
  GB_COLUMN_TEXT,
  GB_COLUMN_BOOLEAN,
  GB_COLUMN_DATE,
} GbColumnType;

/**
 * GbColumn:
 * @name: unique column name (duplicates in the header are renamed `name_2`, ...)
 * @type: the storage type: NUMERIC, CATEGORICAL or TEXT (never BOOLEAN or DATE)
 * @n_rows: number of data rows (same for every column of a dataset)
 * @n_missing: number of missing cells
 * @numeric: (n_rows) values, NAN where missing; numeric columns only, else NULL
 * @codes: (n_rows) level index, -1 where missing; categorical only, else NULL
 * @levels: (element-type utf8) the distinct values of a categorical column,
 *   sorted by g_strcmp0() (byte order), so codes are deterministic; for a
 *   boolean column exactly two levels, the false spelling then the true one
 *   ("no", "yes"; "False", "True"; "false", "true" when the column mixed
 *   spellings or was forced from 0/1); else NULL
 * @text: (n_rows) strings, NULL where missing; text columns only, else NULL
 * @logical_type: what the column means: @type, or BOOLEAN (stored as
 *   CATEGORICAL) or DATE (stored as NUMERIC, days since 1970-01-01 UTC)
 * @type_forced: %TRUE when the type came from #GbCsvOptions.column_types
 *   rather than inference
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
  GbColumnType logical_type;
  gboolean type_forced;
} GbColumn;

/**
 * GbHeaderMode:
 * @GB_HEADER_AUTO: sniff: the first row is data only when every column whose
 *   sampled values are all numbers (or all dates) has a number (date) in the
 *   first row too; otherwise it is the header
 * @GB_HEADER_PRESENT: the first row is the header
 * @GB_HEADER_ABSENT: there is no header; columns are named column_1, ...
 */
typedef enum {
  GB_HEADER_AUTO,
  GB_HEADER_PRESENT,
  GB_HEADER_ABSENT,
} GbHeaderMode;

/**
 * GbCsvOptions:
 * @delimiter: the field separator, or 0 to sniff among comma, semicolon,
 *   tab and pipe (the one that splits the first records of the file into
 *   the most consistent number of fields, at least two; ties go to the
 *   earlier in that list; a single-column file is comma separated)
 * @encoding: (nullable): an iconv encoding name ("WINDOWS-1252",
 *   "ISO-8859-1", "UTF-16", ...); %NULL detects: a UTF-16 byte order mark
 *   selects UTF-16, otherwise UTF-8 (BOM optional) unless the bytes are not
 *   valid UTF-8, in which case the file is read as Windows-1252 (or
 *   ISO-8859-1 when it holds bytes Windows-1252 leaves undefined) and a
 *   notice says so.  With an explicit "UTF-8", invalid bytes become U+FFFD
 *   with a notice per column instead.
 * @header: whether the first row is the header
 * @na_values: (nullable) (array zero-terminated=1): the missing-value
 *   tokens (compared after trimming spaces and tabs, case-sensitively); an
 *   empty cell is always missing; %NULL means the default list "NA",
 *   "N/A", "NaN", "null", "?", "NULL", "nan"
 * @column_types: (nullable) (array zero-terminated=1): type overrides
 *   "COLUMN=TYPE" (split at the last '='), TYPE one of numeric,
 *   categorical, text, boolean, date; COLUMN is the final (renamed) column
 *   name.  Cells that do not fit a forced numeric, date or boolean type are
 *   read as missing and counted in a notice quoting the first of them.
 *
 * Options for reading a CSV file; all strings are owned by the struct
 * (gb_csv_options_free()).  A zeroed struct means "detect everything".
 */
typedef struct {
  char delimiter;
  char *encoding;
  GbHeaderMode header;
  char **na_values;
  char **column_types;
} GbCsvOptions;

/* Returns: (transfer full): options that detect everything (all zero). */
GbCsvOptions *gb_csv_options_new  (void);
/* Returns: (transfer full): a deep copy of @options (NULL gives defaults). */
GbCsvOptions *gb_csv_options_copy (const GbCsvOptions *options);
void          gb_csv_options_free (GbCsvOptions *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbCsvOptions, gb_csv_options_free)

/**
 * gb_csv_options_parse_delimiter:
 * @text: "," ";" "|" "tab" "\t" (a literal tab works too), "comma",
 *   "semicolon", "pipe", or "auto"
 * @out: (out): the delimiter, 0 for "auto"
 * @error: GB_DATA_ERROR / GB_ERROR_INVALID_ARGUMENT listing the choices
 *
 * Returns: %TRUE when @text names a delimiter.
 */
gboolean gb_csv_options_parse_delimiter (const char *text, char *out, GError **error);

/**
 * gb_column_type_from_string:
 * @text: "numeric", "categorical", "text", "boolean" or "date"
 * @out: (out): the type
 *
 * Returns: %TRUE when @text names a type.
 */
gboolean gb_column_type_from_string (const char *text, GbColumnType *out);

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
 * Same as gb_dataset_new_from_file_full() with default (detecting) options.
 *
 * Reads the file with libcsv and infers each column's type from the whole
 * column: numeric when every non-missing cell is a whole, finite decimal
 * number (the value g_ascii_strtod() gives; no hexadecimal, no inf/nan);
 * date when every non-missing cell is an ISO-8601 date "YYYY-MM-DD",
 * optionally followed by 'T' or ' ' and "HH:MM[:SS[.fff]]" and an optional
 * "Z" or "±HH:MM" offset (converted to UTC); boolean when the distinct
 * values are the two spellings (or one of them) of one of the pairs
 * false/true, False/True, FALSE/TRUE, f/t, F/T, no/yes, No/Yes, NO/YES,
 * n/y, N/Y; otherwise categorical, or text when values are long (mean
 * length > 30 bytes) or nearly unique (at least 20 values, of which at
 * least 90% distinct).  Missing-value tokens: empty, "NA", "N/A", "NaN",
 * "null", "?", and also "NULL", "nan" (after trimming spaces and tabs;
 * cells are stored trimmed).  Also computes the file's sha256 (over every
 * byte read, BOM included).
 *
 * Memory: numbers and dates are parsed straight into their double arrays
 * and other values are interned once per column, so a loaded column costs
 * 8 bytes a row (numeric, date, text pointer) or 4 bytes a row
 * (categorical, boolean) plus its distinct strings.  A column that looked
 * numeric (or date) for its first rows and then holds other text is read
 * again from the start for those rows in a second, partial pass, so its
 * levels keep their exact spelling.
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

/**
 * gb_dataset_new_from_file_full:
 * @path: a CSV file
 * @options: (nullable): how to read it; %NULL detects everything
 * @cancellable: (nullable): checked between 64 KiB chunks
 * @progress: (nullable): called after each chunk with the fraction of the
 *   file's bytes read (negative when the size is unknown)
 * @user_data: closure for @progress
 * @error: as for gb_dataset_new_from_file(); also GB_ERROR_INVALID_ARGUMENT
 *   for options naming an unknown column or type or encoding
 *
 * Reads a CSV file (see gb_dataset_new_from_file() for the rules).  What
 * was detected (delimiter, encoding, header) is in
 * gb_dataset_get_options(), and every decision a user should know about
 * (encoding fallback, renamed headers, missing header, forced cells read
 * as missing) is a notice.
 *
 * Returns: (transfer full) (nullable): the dataset, or %NULL with @error set.
 */
GbDataset *gb_dataset_new_from_file_full (const char *path, const GbCsvOptions *options,
                                          GCancellable *cancellable, GbProgressFunc progress,
                                          gpointer user_data, GError **error);

/**
 * gb_dataset_new_from_data_full:
 * @data: CSV bytes (need not be NUL-terminated)
 * @length: number of bytes in @data
 * @display_name: name used in error messages and as the dataset path
 * @options: (nullable): how to read it
 * @error: as for gb_dataset_new_from_file_full()
 *
 * Returns: (transfer full) (nullable): the dataset, or %NULL with @error set.
 */
GbDataset *gb_dataset_new_from_data_full (const char *data, gsize length,
                                          const char *display_name,
                                          const GbCsvOptions *options, GError **error);

gsize           gb_dataset_get_n_rows    (GbDataset *self);
guint           gb_dataset_get_n_columns (GbDataset *self);
/* Returns: (transfer none): column @index (0-based, < n_columns). */
const GbColumn *gb_dataset_get_column    (GbDataset *self, guint index);
/* Returns: index of the column named @name (exact match), or -1. */
int             gb_dataset_find_column   (GbDataset *self, const char *name);
/* Returns: (transfer full): the first @max column names quoted and joined
 * for an error message (“a”, “b”, “c” … and 9 more), so a message about an
 * unknown column says which ones there are. */
char           *gb_dataset_describe_columns (GbDataset *self, guint max);
/* Returns: (transfer none): the path given at load time (or display name). */
const char     *gb_dataset_get_path      (GbDataset *self);
/* Returns: (transfer none) (nullable): lower-case hex sha256 of the bytes read. */
const char     *gb_dataset_get_sha256    (GbDataset *self);
/* Returns: (transfer none) (element-type utf8): human-readable notices
 * produced while loading (renamed duplicate headers, ...); may be empty. */
GPtrArray      *gb_dataset_get_notices   (GbDataset *self);

/* Returns: (transfer none): the options the file was read with, with what
 * was detected filled in: delimiter, encoding ("UTF-8", "WINDOWS-1252", ...),
 * header (PRESENT or ABSENT, never AUTO). */
const GbCsvOptions *gb_dataset_get_options (GbDataset *self);

/* Returns: bytes held by the dataset's columns (values, codes, levels and
 * interned strings), an estimate of what it costs in memory. */
gsize           gb_dataset_get_memory_size (GbDataset *self);

/**
 * gb_dataset_sort_rows:
 * @self: the dataset
 * @column: the column to sort by
 * @descending: largest first
 * @order: (out caller-allocates) (array length=n_rows): receives the row
 *   indices in display order
 *
 * The row order of a table sorted by one column (the Dataset pane's
 * sortable headers): numbers and dates by value, categorical and boolean
 * columns by level (byte order of the text; false before true), text by
 * byte order; missing cells always last, whatever the direction; ties keep
 * the file order (a stable sort), so sorting is deterministic.
 */
void gb_dataset_sort_rows (GbDataset *self, guint column, gboolean descending, guint32 *order);

/**
 * gb_dataset_format_cell:
 * @self: the dataset
 * @column: column index
 * @row: row index
 *
 * Returns: (transfer full) (nullable): the cell as text for display (numbers
 * shortest round-trip: "39", "9930.046"; dates "2024-02-29", or
 * "2024-02-29 13:05:00" with a time of day, in UTC), or %NULL when the cell
 * is missing.
 */
char *gb_dataset_format_cell (GbDataset *self, guint column, gsize row);

/**
 * gb_column_type_to_string:
 * Returns: (transfer none): "numeric", "categorical", "text", "boolean" or "date".
 */
const char *gb_column_type_to_string (GbColumnType type);

/**
 * gb_date_from_days:
 * @days: days since 1970-01-01 (a date column's value)
 *
 * Returns: (transfer full): "YYYY-MM-DD", or "YYYY-MM-DD HH:MM:SS" (with
 * ".fff" milliseconds when not whole seconds) when @days has a fraction.
 */
char *gb_date_from_days (double days);

/**
 * gb_date_parse:
 * @text: an ISO-8601 date or date-time (see gb_dataset_new_from_file())
 * @length: bytes of @text, or -1 when NUL-terminated
 * @days: (out): days since 1970-01-01 UTC
 *
 * Returns: %TRUE when @text is a valid ISO-8601 date (or date-time).
 */
gboolean gb_date_parse (const char *text, gssize length, double *days);

G_END_DECLS
