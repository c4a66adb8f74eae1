/* test-data.c — engine/data (CSV reading, variables, splits) and
 * engine/stats/gb-design.c.
 *
 * Expected values come from hand-computed fixtures in tests/data/csv/ and
 * from the published counts of the bundled Adult and NSW (Dehejia–Wahba)
 * files (data/examples/ * /PROVENANCE.md). */
#include "gb-config.h"
#include "gb-dataset.h"
#include "gb-dataset-summary.h"
#include "gb-roles.h"
#include "gb-project.h"
#include "gb-plot.h"
#include "gb-design.h"
#include "gb-variable.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

static char *
fixture_path (const char *name)
{
  const char *dir = g_getenv ("GB_TEST_DATA");
  if (dir == NULL)
    return g_build_filename (GB_SOURCE_DIR, "tests", "data", "csv", name, NULL);
  return g_build_filename (dir, "csv", name, NULL);
}

static char *
example_path (const char *dataset, const char *file)
{
  const char *root = g_getenv ("GB_SOURCE_DIR");
  return g_build_filename (root ? root : GB_SOURCE_DIR, "data", "examples", dataset, file, NULL);
}

static GbDataset *
load_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  GbDataset *ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ds);
  return ds;
}

/* Loads a fixture expected to fail; returns the message. */
static char *
load_fixture_error (const char *name, int code)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  GbDataset *ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);

  g_assert_null (ds);
  g_assert_error (error, GB_DATA_ERROR, code);
  g_test_message ("%s", error->message);
  return g_strdup (error->message);
}

static GbDataset *adult_ds;

static GbDataset *
adult (void)
{
  if (adult_ds == NULL)
    {
      g_autofree char *path = example_path ("adult", "adult.csv");
      g_autoptr(GError) error = NULL;
      adult_ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  return adult_ds;
}

static const GbColumn *
column_named (GbDataset *ds, const char *name)
{
  int j = gb_dataset_find_column (ds, name);
  g_assert_cmpint (j, >=, 0);
  return gb_dataset_get_column (ds, j);
}

static gsize
count_level (const GbColumn *c, const char *level)
{
  gsize n = 0;
  int code = -1;

  g_assert_cmpint (c->type, ==, GB_COLUMN_CATEGORICAL);
  for (guint k = 0; k < c->levels->len; k++)
    if (strcmp (g_ptr_array_index (c->levels, k), level) == 0)
      code = k;
  g_assert_cmpint (code, >=, 0);
  for (gsize i = 0; i < c->n_rows; i++)
    n += c->codes[i] == code;
  return n;
}

static double
sum_non_nan (const double *v, gsize n)
{
  double s = 0;
  for (gsize i = 0; i < n; i++)
    if (!isnan (v[i]))
      s += v[i];
  return s;
}

/* ------------------------------------------------------------------------ */
/* CSV syntax                                                               */

static void
test_csv_simple (void)
{
  g_autoptr(GbDataset) ds = load_fixture ("simple.csv");
  const GbColumn *score;

  g_assert_cmpuint (gb_dataset_get_n_rows (ds), ==, 3);
  g_assert_cmpuint (gb_dataset_get_n_columns (ds), ==, 4);
  g_assert_cmpstr (gb_dataset_get_column (ds, 1)->name, ==, "name");
  score = column_named (ds, "score");
  g_assert_cmpint (score->type, ==, GB_COLUMN_NUMERIC);
  g_assert_cmpfloat (score->numeric[0], ==, 3.5);
  g_assert_true (isnan (score->numeric[1]));
  g_assert_cmpfloat (score->numeric[2], ==, 4.25);
  g_assert_cmpuint (score->n_missing, ==, 1);
  g_assert_cmpuint (gb_dataset_get_notices (ds)->len, ==, 0);
}

static void
test_csv_quoted_fields (void)
{
  g_autoptr(GbDataset) ds = load_fixture ("quoted-fields.csv");
  const GbColumn *comment, *value;
  g_autofree char *c0 = NULL, *c1 = NULL, *c2 = NULL, *c3 = NULL;

  g_assert_cmpuint (gb_dataset_get_n_rows (ds), ==, 4);
  comment = column_named (ds, "comment");
  value = column_named (ds, "value");
  c0 = gb_dataset_format_cell (ds, 1, 0);
  c1 = gb_dataset_format_cell (ds, 1, 1);
  c2 = gb_dataset_format_cell (ds, 1, 2);
  c3 = gb_dataset_format_cell (ds, 1, 3);
  g_assert_cmpstr (c0, ==, "hello, world");
  g_assert_cmpstr (c1, ==, "she said \"hi\"");
  g_assert_cmpstr (c2, ==, "line one\nline two");
  g_assert_null (c3);                         /* "" is an empty field: missing */
  g_assert_cmpuint (comment->n_missing, ==, 1);
  /* the embedded comma and newline did not shift the columns */
  g_assert_cmpint (value->type, ==, GB_COLUMN_NUMERIC);
  g_assert_cmpfloat (value->numeric[0], ==, 10);
  g_assert_cmpfloat (value->numeric[2], ==, 30);
  g_assert_cmpfloat (value->numeric[3], ==, 40);
}

static void
test_csv_bom_crlf (void)
{
  g_autoptr(GbDataset) ds = load_fixture ("bom-crlf.csv");
  const GbColumn *city, *pop;

  g_assert_cmpuint (gb_dataset_get_n_rows (ds), ==, 3);
  city = gb_dataset_get_column (ds, 0);
  g_assert_cmpstr (city->name, ==, "city");   /* BOM stripped */
  pop = column_named (ds, "population");
  g_assert_cmpint (pop->type, ==, GB_COLUMN_NUMERIC);
  g_assert_cmpfloat (pop->numeric[0], ==, 415367);
  /* no final newline: the last row is still read; no CR left in values */
  g_assert_cmpfloat (pop->numeric[2], ==, 173863);
  g_assert_cmpuint (city->levels->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (city->levels, 0), ==, "Basel");
  g_assert_cmpstr (g_ptr_array_index (city->levels, 2), ==, "Zürich");
}

static void
test_csv_missing_tokens (void)
{
  g_autoptr(GbDataset) ds = load_fixture ("missing-tokens.csv");
  const GbColumn *x = column_named (ds, "x");
  const GbColumn *label = column_named (ds, "label");

  g_assert_cmpuint (gb_dataset_get_n_rows (ds), ==, 9);
  g_assert_cmpint (x->type, ==, GB_COLUMN_NUMERIC);
  g_assert_cmpuint (x->n_missing, ==, 7); /* NA, N/A, NaN, null, ?, empty, spaces */
  g_assert_cmpfloat (x->numeric[0], ==, 1.0);
  g_assert_cmpfloat (x->numeric[8], ==, 2.5);
  for (gsize i = 1; i < 8; i++)
    g_assert_true (isnan (x->numeric[i]));
  g_assert_cmpuint (label->n_missing, ==, 1);
  g_assert_cmpint (label->codes[8], ==, -1);
}

static void
test_csv_duplicate_header (void)
{
  g_autoptr(GbDataset) ds = load_fixture ("duplicate-header.csv");
  GPtrArray *notices = gb_dataset_get_notices (ds);

  g_assert_cmpuint (gb_dataset_get_n_columns (ds), ==, 5);
  g_assert_cmpstr (gb_dataset_get_column (ds, 0)->name, ==, "x");
  g_assert_cmpstr (gb_dataset_get_column (ds, 1)->name, ==, "x_2");
  g_assert_cmpstr (gb_dataset_get_column (ds, 2)->name, ==, "column_3");
  g_assert_cmpstr (gb_dataset_get_column (ds, 3)->name, ==, "y");
  g_assert_cmpstr (gb_dataset_get_column (ds, 4)->name, ==, "x_3");
  g_assert_cmpfloat (gb_dataset_get_column (ds, 4)->numeric[0], ==, 5);
  g_assert_cmpuint (notices->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (notices, 0), "“x_2”"));
  g_assert_nonnull (strstr (g_ptr_array_index (notices, 1), "column_3"));
}

static void
test_csv_invalid_utf8 (void)
{
  /* Not UTF-8 and no encoding given: read as Windows-1252, with a notice. */
  static const char data[] = "name,n\nZ\xfcrich,1\nBern,2\n";   /* Latin-1 ü */
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDataset) ds = gb_dataset_new_from_data (data, sizeof data - 1, "latin1.csv", &error);
  g_autofree char *cell = NULL;
  GPtrArray *notices;

  g_assert_no_error (error);
  cell = gb_dataset_format_cell (ds, 0, 0);
  g_assert_cmpstr (cell, ==, "Z\xc3\xbcrich");                  /* ü in UTF-8 */
  g_assert_cmpstr (gb_dataset_get_options (ds)->encoding, ==, "WINDOWS-1252");
  notices = gb_dataset_get_notices (ds);
  g_assert_cmpuint (notices->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (notices, 0), "not valid UTF-8 (first at line 2)"));
  g_assert_nonnull (strstr (g_ptr_array_index (notices, 0), "Windows-1252"));
}

static void
test_csv_invalid_utf8_forced (void)
{
  /* Encoding given as UTF-8: bad bytes become U+FFFD, noticed per column. */
  static const char data[] = "name,n\nZ\xfcrich,1\nBern,2\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GbCsvOptions) opts = gb_csv_options_new ();
  g_autoptr(GbDataset) ds = NULL;
  g_autofree char *cell = NULL;
  GPtrArray *notices;

  opts->encoding = g_strdup ("UTF-8");
  ds = gb_dataset_new_from_data_full (data, sizeof data - 1, "latin1.csv", opts, &error);
  g_assert_no_error (error);
  cell = gb_dataset_format_cell (ds, 0, 0);
  g_assert_cmpstr (cell, ==, "Z\xef\xbf\xbdrich");                  /* U+FFFD */
  notices = gb_dataset_get_notices (ds);
  g_assert_cmpuint (notices->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (notices, 0), "line 2, column 1"));
}

static void
test_csv_chunk_boundary (void)
{
  /* A quoted field with a newline straddles the 64 KiB feed boundary;
   * the line count after it must stay right. */
  GString *s = g_string_new ("a,b\n");
  guint line = 1, quoted_row;
  g_autoptr(GError) error = NULL;
  GbDataset *ds;

  while (s->len < 65536 - 40)
    {
      g_string_append_printf (s, "%u,x\n", line);
      line++;
    }
  quoted_row = line - 1;                       /* 0-based data row index */
  g_string_append (s, "0,\"first part of a quoted field\nsecond part\"\n");
  g_assert_cmpuint (s->len, >, 65536);
  g_string_append (s, "1,y\n");
  line = 1;                                    /* physical line of the next row */
  for (gsize i = 0; i < s->len; i++)
    line += s->str[i] == '\n';
  g_string_append (s, "2,z,oops\n");
  ds = gb_dataset_new_from_data (s->str, s->len, "big.csv", &error);
  g_assert_null (ds);
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_PARSE);
  {
    g_autofree char *expect = g_strdup_printf ("big.csv: line %u, column 3:", line);
    g_assert_true (g_str_has_prefix (error->message, expect));
  }
  g_clear_error (&error);

  /* the same data without the ragged row loads, the quoted value intact */
  g_string_truncate (s, s->len - strlen ("2,z,oops\n"));
  ds = gb_dataset_new_from_data (s->str, s->len, "big.csv", &error);
  g_assert_no_error (error);
  {
    g_autofree char *cell = gb_dataset_format_cell (ds, 1, quoted_row);
    g_assert_cmpstr (cell, ==, "first part of a quoted field\nsecond part");
    g_assert_cmpuint (gb_dataset_get_n_rows (ds), ==, quoted_row + 2);
  }
  g_object_unref (ds);
  g_string_free (s, TRUE);
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */

static void
test_csv_error_ragged_short (void)
{
  g_autofree char *msg = load_fixture_error ("ragged-short.csv", GB_ERROR_PARSE);

  g_assert_true (g_str_has_prefix (msg, "ragged-short.csv: line 4, column 2:"));
  g_assert_nonnull (strstr (msg, "expected 3 fields, found 2"));
  g_assert_nonnull (strstr (msg, "“8”"));
}

static void
test_csv_error_ragged_long (void)
{
  /* line 5, because the quoted field of row 1 spans lines 2–3 */
  g_autofree char *msg = load_fixture_error ("ragged-long.csv", GB_ERROR_PARSE);

  g_assert_true (g_str_has_prefix (msg, "ragged-long.csv: line 5, column 4:"));
  g_assert_nonnull (strstr (msg, "expected 3 fields, found 4"));
  g_assert_nonnull (strstr (msg, "“extra”"));
}

static void
test_csv_error_unterminated_quote (void)
{
  g_autofree char *msg = load_fixture_error ("unterminated-quote.csv", GB_ERROR_PARSE);

  g_assert_true (g_str_has_prefix (msg, "unterminated-quote.csv: line 3, column 2"));
  g_assert_nonnull (strstr (msg, "unterminated"));
  g_assert_nonnull (strstr (msg, "oops"));
}

static void
test_csv_error_stray_quote (void)
{
  g_autofree char *msg = load_fixture_error ("stray-quote.csv", GB_ERROR_PARSE);

  g_assert_true (g_str_has_prefix (msg, "stray-quote.csv: line 3, column 2"));
  g_assert_nonnull (strstr (msg, "x\"y"));
}

static void
test_csv_error_text_after_quote (void)
{
  static const char data[] = "a,b,c\n1,\"two\"x,3\n";
  g_autoptr(GError) error = NULL;
  GbDataset *ds = gb_dataset_new_from_data (data, sizeof data - 1, "after.csv", &error);

  g_assert_null (ds);
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "after.csv: line 2, column 2 (“b”)"));
  g_assert_nonnull (strstr (error->message, "\"two\"x"));
}

static void
test_csv_error_adult_truncated_row (void)
{
  /* drop the last field of data row 11 (physical line 12) of Adult */
  g_autofree char *path = example_path ("adult", "adult.csv");
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  char *p;
  GbDataset *ds;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  p = contents;
  for (guint line = 1; line < 12; line++)
    p = strchr (p, '\n') + 1;
  p = strchr (p, '\n');
  while (p[-1] != ',')                          /* cut ",<=50K" back to "" */
    p--;
  memmove (p - 1, strchr (p, '\n'), strlen (strchr (p, '\n')) + 1);
  ds = gb_dataset_new_from_data (contents, strlen (contents), "adult.csv", &error);
  g_assert_null (ds);
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "adult.csv: line 12, column 14: expected 15 fields, found 14"));
}

static void
test_csv_error_nul_byte (void)
{
  g_autofree char *msg = load_fixture_error ("nul-byte.csv", GB_ERROR_PARSE);

  g_assert_true (g_str_has_prefix (msg, "nul-byte.csv: line 3, column 2"));
  g_assert_nonnull (strstr (msg, "NUL"));
}

static void
test_csv_error_empty (void)
{
  g_autofree char *m1 = load_fixture_error ("empty.csv", GB_ERROR_PARSE);
  g_autofree char *m2 = load_fixture_error ("blank-lines.csv", GB_ERROR_PARSE);
  g_autofree char *m3 = load_fixture_error ("header-only.csv", GB_ERROR_PARSE);

  g_assert_cmpstr (m1, ==, "empty.csv: the file is empty");
  g_assert_nonnull (strstr (m2, "no header"));
  g_assert_nonnull (strstr (m3, "no data rows") ? m3 : strstr (m3, "any data rows"));
}

static void
test_csv_error_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  GbDataset *ds = gb_dataset_new_from_file ("/nonexistent/glassbox/x.csv", NULL, NULL, NULL, &error);

  g_assert_null (ds);
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/glassbox/x.csv"));
}

static void
test_csv_error_never_crashes (void)
{
  /* every prefix of a tricky file either loads or fails cleanly */
  static const char data[] = "\xef\xbb\xbf" "a,\"b\"\"c\",d\r\n1,\"x,\ny\",3\r\n\"4\",,\"\"\r\n7,8,9";

  for (gsize len = 0; len <= sizeof data - 1; len++)
    {
      g_autoptr(GError) error = NULL;
      GbDataset *ds = gb_dataset_new_from_data (data, len, "prefix.csv", &error);
      g_assert_true ((ds == NULL) != (error == NULL));
      if (ds != NULL)
        {
          g_assert_cmpuint (gb_dataset_get_n_columns (ds), ==, 3);
          g_object_unref (ds);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Types, formatting, locale                                                */

static void
test_dataset_type_inference (void)
{
  g_autoptr(GbDataset) ds = load_fixture ("mixed-types.csv");
  const GbColumn *decimals = column_named (ds, "decimals");
  const GbColumn *mixed = column_named (ds, "mixed");

  g_assert_cmpint (column_named (ds, "integers")->type, ==, GB_COLUMN_NUMERIC);
  g_assert_cmpint (decimals->type, ==, GB_COLUMN_NUMERIC);
  g_assert_cmpfloat (decimals->numeric[1], ==, -2.25);
  g_assert_cmpfloat (decimals->numeric[2], ==, 1000.0);
  g_assert_cmpfloat (decimals->numeric[3], ==, 0.5);
  /* one non-number anywhere makes the whole column categorical */
  g_assert_cmpint (mixed->type, ==, GB_COLUMN_CATEGORICAL);
  g_assert_cmpuint (mixed->levels->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (mixed->levels, 3), ==, "three");
  g_assert_cmpint (mixed->codes[2], ==, 3);
  /* hexadecimal is not read as a number */
  g_assert_cmpint (column_named (ds, "hexish")->type, ==, GB_COLUMN_CATEGORICAL);
  /* mean length > 30 bytes: text */
  g_assert_cmpint (column_named (ds, "comment")->type, ==, GB_COLUMN_TEXT);
  g_assert_cmpstr (column_named (ds, "comment")->text[1], ==,
                   "This is a rather long comment about row two");
}

static void
test_dataset_nearly_unique_is_text (void)
{
  GString *s = g_string_new ("id,group\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDataset) ds = NULL;

  for (guint i = 0; i < 50; i++)
    g_string_append_printf (s, "user%u,%c\n", i, "AB"[i % 2]);
  ds = gb_dataset_new_from_data (s->str, s->len, "ids.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gb_dataset_get_column (ds, 0)->type, ==, GB_COLUMN_TEXT);
  g_assert_cmpint (gb_dataset_get_column (ds, 1)->type, ==, GB_COLUMN_CATEGORICAL);
  g_string_free (s, TRUE);
}

static void
test_dataset_format_cell (void)
{
  g_autofree char *path = example_path ("lalonde", "nsw_dw.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
  g_autofree char *age = NULL, *re78 = NULL, *id = NULL;

  g_assert_no_error (error);
  age = gb_dataset_format_cell (ds, gb_dataset_find_column (ds, "age"), 0);
  re78 = gb_dataset_format_cell (ds, gb_dataset_find_column (ds, "re78"), 0);
  id = gb_dataset_format_cell (ds, 0, 0);
  g_assert_cmpstr (age, ==, "37");
  g_assert_cmpstr (re78, ==, "9930.046");
  g_assert_cmpstr (id, ==, "Dehejia-Wahba Sample");
  g_assert_cmpstr (gb_column_type_to_string (GB_COLUMN_TEXT), ==, "text");
}

static void
test_dataset_comma_decimal_locale (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  g_autoptr(GbDataset) ds = NULL;
  g_autofree char *cell = NULL;
  const GbColumn *score;

  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("the de_DE.UTF-8 locale is not installed (comma decimal separator); "
                   "generate it with locale-gen to run this test");
      return;
    }
  ds = load_fixture ("simple.csv");
  score = column_named (ds, "score");
  g_assert_cmpint (score->type, ==, GB_COLUMN_NUMERIC);
  g_assert_cmpfloat (score->numeric[0], ==, 3.5);
  g_assert_cmpfloat (score->numeric[2], ==, 4.25);
  cell = gb_dataset_format_cell (ds, 2, 2);
  g_assert_cmpstr (cell, ==, "4.25");
  setlocale (LC_ALL, saved);
}

/* ------------------------------------------------------------------------ */
/* Bundled real data                                                        */

static void
test_adult_shape (void)
{
  GbDataset *ds = adult ();

  g_assert_cmpuint (gb_dataset_get_n_rows (ds), ==, 32561);
  g_assert_cmpuint (gb_dataset_get_n_columns (ds), ==, 15);
  g_assert_cmpstr (gb_dataset_get_column (ds, 14)->name, ==, "income-per-year");
  g_assert_cmpuint (gb_dataset_get_notices (ds)->len, ==, 0);
  /* PROVENANCE.md */
  g_assert_cmpstr (gb_dataset_get_sha256 (ds), ==,
                   "c30ce1e55a965b04950321870db74c19f4aa437120a692f32e72f6a4fa31c418");
}

static void
test_adult_column_types (void)
{
  GbDataset *ds = adult ();
  const char *numeric[] = { "age", "fnlwgt", "education-num", "capital-gain",
                            "capital-loss", "hours-per-week" };
  const char *categorical[] = { "workclass", "education", "marital-status", "occupation",
                                "relationship", "race", "sex", "native-country",
                                "income-per-year" };

  for (guint k = 0; k < G_N_ELEMENTS (numeric); k++)
    g_assert_cmpstr (gb_column_type_to_string (column_named (ds, numeric[k])->type), ==, "numeric");
  for (guint k = 0; k < G_N_ELEMENTS (categorical); k++)
    g_assert_cmpstr (gb_column_type_to_string (column_named (ds, categorical[k])->type), ==, "categorical");
  /* sum of ages, computed with Python's csv module: 1256257 */
  g_assert_cmpfloat (sum_non_nan (column_named (ds, "age")->numeric, 32561), ==, 1256257.0);
}

static void
test_adult_missing (void)
{
  GbDataset *ds = adult ();
  const GbColumn *workclass = column_named (ds, "workclass");

  g_assert_cmpuint (workclass->n_missing, ==, 1836);
  g_assert_cmpuint (column_named (ds, "occupation")->n_missing, ==, 1843);
  g_assert_cmpuint (column_named (ds, "native-country")->n_missing, ==, 583);
  g_assert_cmpuint (column_named (ds, "age")->n_missing, ==, 0);
  /* "?" is not a level; the eight real ones are sorted byte-wise */
  g_assert_cmpuint (workclass->levels->len, ==, 8);
  g_assert_cmpstr (g_ptr_array_index (workclass->levels, 0), ==, "Federal-gov");
  g_assert_cmpstr (g_ptr_array_index (workclass->levels, 7), ==, "Without-pay");
}

static void
test_adult_groups (void)
{
  GbDataset *ds = adult ();
  const GbColumn *income = column_named (ds, "income-per-year");
  const GbColumn *sex = column_named (ds, "sex");

  g_assert_cmpuint (income->levels->len, ==, 2);
  g_assert_cmpuint (count_level (income, "<=50K"), ==, 24720);
  g_assert_cmpuint (count_level (income, ">50K"), ==, 7841);
  g_assert_cmpuint (count_level (sex, "Male"), ==, 21790);
  g_assert_cmpuint (count_level (sex, "Female"), ==, 10771);
  g_assert_cmpuint (count_level (column_named (ds, "race"), "Black"), ==, 3124);
}

static void
progress_record (double fraction, const char *message, gpointer user_data)
{
  GArray *fractions = user_data;
  g_array_append_val (fractions, fraction);
}

static void
test_adult_progress (void)
{
  g_autofree char *path = example_path ("adult", "adult.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (path, NULL, progress_record, fractions, &error);

  g_assert_no_error (error);
  /* 3518615 bytes in 64 KiB chunks: 54 chunks, plus the final 1.0 */
  g_assert_cmpuint (fractions->len, >=, 54);
  for (guint k = 1; k < fractions->len; k++)
    g_assert_cmpfloat (g_array_index (fractions, double, k), >=, g_array_index (fractions, double, k - 1));
  g_assert_cmpfloat (g_array_index (fractions, double, 0), >, 0.0);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);
}

static void
progress_cancel (double fraction, const char *message, gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
test_adult_cancel (void)
{
  g_autofree char *path = example_path ("adult", "adult.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GbDataset *ds = gb_dataset_new_from_file (path, cancellable, progress_cancel, cancellable, &error);

  g_assert_null (ds);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_adult_from_data (void)
{
  g_autofree char *path = example_path ("adult", "adult.csv");
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDataset) ds = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  ds = gb_dataset_new_from_data (contents, length, "adult.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gb_dataset_get_n_rows (ds), ==, 32561);
  g_assert_cmpstr (gb_dataset_get_path (ds), ==, "adult.csv");
  g_assert_cmpstr (gb_dataset_get_sha256 (ds), ==, gb_dataset_get_sha256 (adult ()));
}

static void
test_lalonde_shape (void)
{
  g_autofree char *path = example_path ("lalonde", "nsw_dw.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
  g_autofree double *treat = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (gb_dataset_get_n_rows (ds), ==, 445);
  g_assert_cmpuint (gb_dataset_get_n_columns (ds), ==, 11);
  treat = g_new (double, 445);
  g_assert_true (gb_dataset_eval_variable (ds, "treat", NULL, treat, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (sum_non_nan (treat, 445), ==, 185);
  g_assert_true (gb_variable_is_binary (treat, 445));
  g_assert_cmpint (column_named (ds, "re78")->type, ==, GB_COLUMN_NUMERIC);
}

/* ------------------------------------------------------------------------ */
/* Variables                                                                */

static void
test_variable_parse_operator_in_value (void)
{
  int col = -1;
  GbCompareOp op = GB_COMPARE_NONE;
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gb_variable_spec_parse (adult (), "income-per-year==>50K", &col, &op, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (col, ==, 14);
  g_assert_cmpint (op, ==, GB_COMPARE_EQ);
  g_assert_cmpstr (value, ==, ">50K");
}

static void
test_variable_parse_spaces (void)
{
  int col = -1;
  GbCompareOp op = GB_COMPARE_NONE;
  char *value = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gb_variable_spec_parse (adult (), " education-num >= 13 ", &col, &op, &value, &error));
  g_assert_cmpint (col, ==, 4);
  g_assert_cmpint (op, ==, GB_COMPARE_GE);
  g_assert_cmpstr (value, ==, "13");
  g_free (value);

  g_assert_true (gb_variable_spec_parse (adult (), "age", &col, &op, &value, &error));
  g_assert_cmpint (col, ==, 0);
  g_assert_cmpint (op, ==, GB_COMPARE_NONE);
  g_assert_null (value);

  g_assert_true (gb_variable_spec_parse (adult (), "race != White", &col, &op, &value, &error));
  g_assert_cmpint (op, ==, GB_COMPARE_NE);
  g_assert_cmpstr (value, ==, "White");
  g_free (value);

  g_assert_true (gb_variable_spec_parse (adult (), "race=Black", &col, &op, &value, &error));
  g_assert_cmpint (col, ==, 8);
  g_assert_cmpint (op, ==, GB_COMPARE_EQ);
  g_assert_cmpstr (value, ==, "Black");
  g_free (value);
}

static void
test_variable_parse_errors (void)
{
  int col;
  GbCompareOp op;
  char *value = NULL;
  GError *error = NULL;

  g_assert_false (gb_variable_spec_parse (adult (), "educ>=13", &col, &op, &value, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  /* the message lists the columns there are: Adult's first 12 of 15 */
  g_assert_cmpstr (error->message, ==,
                   "unknown column “educ” in “educ>=13”; the columns are “age”, “workclass”, "
                   "“fnlwgt”, “education”, “education-num”, “marital-status”, “occupation”, "
                   "“relationship”, “race”, “sex”, “capital-gain”, “capital-loss” … and 3 more");
  g_clear_error (&error);

  g_assert_false (gb_variable_spec_parse (adult (), "race>=Black", &col, &op, &value, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“race”"));
  g_clear_error (&error);

  g_assert_false (gb_variable_spec_parse (adult (), "age>=old", &col, &op, &value, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“old”"));
  g_clear_error (&error);

  g_assert_false (gb_variable_spec_parse (adult (), "age>=", &col, &op, &value, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (value);
}

static void
test_variable_eval_conditions (void)
{
  g_autofree double *v = g_new (double, 32561);
  g_autoptr(GError) error = NULL;

  g_assert_true (gb_dataset_eval_variable (adult (), "income-per-year==>50K", NULL, v, &error));
  g_assert_cmpfloat (sum_non_nan (v, 32561), ==, 7841);
  g_assert_true (gb_dataset_eval_variable (adult (), "race == Black", NULL, v, &error));
  g_assert_cmpfloat (sum_non_nan (v, 32561), ==, 3124);
  /* computed with Python's csv module */
  g_assert_true (gb_dataset_eval_variable (adult (), "education-num>=13", NULL, v, &error));
  g_assert_cmpfloat (sum_non_nan (v, 32561), ==, 8067);
  g_assert_true (gb_variable_is_binary (v, 32561));
  g_assert_true (gb_dataset_eval_variable (adult (), "sex!=Male", NULL, v, &error));
  g_assert_cmpfloat (sum_non_nan (v, 32561), ==, 10771);
  g_assert_no_error (error);
}

static void
test_variable_eval_missing (void)
{
  g_autofree double *v = g_new (double, 32561);
  g_autoptr(GError) error = NULL;
  gsize n_nan = 0;

  g_assert_true (gb_dataset_eval_variable (adult (), "workclass==Private", NULL, v, &error));
  for (gsize i = 0; i < 32561; i++)
    n_nan += isnan (v[i]);
  g_assert_cmpuint (n_nan, ==, 1836);
}

static void
test_variable_eval_bare (void)
{
  g_autofree double *v = g_new (double, 32561);
  g_autoptr(GError) error = NULL;

  /* two levels, no positive: the second in sorted order (">50K") is 1 */
  g_assert_true (gb_dataset_eval_variable (adult (), "income-per-year", NULL, v, &error));
  g_assert_cmpfloat (sum_non_nan (v, 32561), ==, 7841);
  g_assert_true (gb_dataset_eval_variable (adult (), "sex", "Female", v, &error));
  g_assert_cmpfloat (sum_non_nan (v, 32561), ==, 10771);
  g_assert_true (gb_dataset_eval_variable (adult (), "age", NULL, v, &error));
  g_assert_cmpfloat (sum_non_nan (v, 32561), ==, 1256257.0);
  g_assert_false (gb_variable_is_binary (v, 32561));
  g_assert_no_error (error);
}

static void
test_variable_eval_errors (void)
{
  g_autofree double *v = g_new (double, 32561);
  GError *error = NULL;

  g_assert_false (gb_dataset_eval_variable (adult (), "race", NULL, v, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "column “race” has 5 values; choose which value is the positive class");
  g_clear_error (&error);

  g_assert_false (gb_dataset_eval_variable (adult (), "income-per-year==>60K", NULL, v, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "value “>60K” does not occur in column “income-per-year”"));
  g_clear_error (&error);

  g_assert_false (gb_dataset_eval_variable (adult (), "sex", "male", v, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

static void
test_variable_is_binary (void)
{
  const double a[] = { 0, 1, NAN, 1 };
  const double b[] = { 0, 1, 0.5 };

  g_assert_true (gb_variable_is_binary (a, 4));
  g_assert_false (gb_variable_is_binary (b, 3));
  g_assert_true (gb_variable_is_binary (NULL, 0));
}

/* ------------------------------------------------------------------------ */
/* Splits                                                                   */

static void
test_split_stratified (void)
{
  gsize n = 32561;
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new (guint8, n);
  gsize count[2] = { 0, 0 }, held[2] = { 0, 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (gb_dataset_eval_variable (adult (), "income-per-year", NULL, y, &error));
  gb_split_stratified (y, n, 0.2, 42, split);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpuint (split[i], <=, 1);
      count[(int) y[i]]++;
      held[(int) y[i]] += split[i];
    }
  g_assert_cmpuint (count[0], ==, 24720);
  g_assert_cmpuint (count[1], ==, 7841);
  /* 0.2 × 24720 = 4944; 0.2 × 7841 = 1568.2 → 1568 */
  g_assert_cmpuint (held[0], ==, 4944);
  g_assert_cmpuint (held[1], ==, 1568);
  /* class shares in the held-out split within one row of the whole */
  g_assert_cmpfloat (fabs (held[1] - 7841.0 * (held[0] + held[1]) / n), <=, 1.0);
}

static void
test_split_deterministic (void)
{
  double y[200];
  guint8 a[200], b[200], c[200];
  guint differ = 0;

  for (guint i = 0; i < 200; i++)
    y[i] = (i * 7) % 3;
  gb_split_stratified (y, 200, 0.3, 7, a);
  gb_split_stratified (y, 200, 0.3, 7, b);
  gb_split_stratified (y, 200, 0.3, 8, c);
  g_assert_cmpmem (a, 200, b, 200);
  for (guint i = 0; i < 200; i++)
    differ += a[i] != c[i];
  g_assert_cmpuint (differ, >, 0);
}

static void
test_split_missing_label (void)
{
  const double y[] = { 0, 1, NAN, 0, 1, NAN, 0, 1 };
  guint8 out[8];
  guint held = 0;

  gb_split_stratified (y, 8, 0.5, 1, out);
  g_assert_cmpuint (out[2], ==, 2);
  g_assert_cmpuint (out[5], ==, 2);
  for (guint i = 0; i < 8; i++)
    held += out[i] == 1;
  /* round(0.5 × 3) = 2 per class */
  g_assert_cmpuint (held, ==, 4);
}

/* ------------------------------------------------------------------------ */
/* Design matrices                                                          */

static void
test_design_one_hot (void)
{
  g_autoptr(GbDataset) ds = load_fixture ("design.csv");
  const char *cols[] = { "age", "sex", "city" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDesign) d = gb_design_matrix_build (ds, cols, 3, NULL, TRUE, FALSE, &error);
  /* rows 0, 1, 2, 4 (row 3 has no age); hand-computed */
  const double expect[4 * 5] = {
    1, 20, 1, 1, 0,
    1, 30, 0, 0, 0,
    1, 40, 1, 0, 1,
    1, 50, 0, 1, 0,
  };
  const char *names[] = { "(intercept)", "age", "sex=Male", "city=B", "city=C" };

  g_assert_no_error (error);
  g_assert_cmpuint (d->n, ==, 4);
  g_assert_cmpuint (d->p, ==, 5);
  g_assert_cmpuint (d->rows[3], ==, 4);
  for (guint k = 0; k < 5; k++)
    g_assert_cmpstr (g_ptr_array_index (d->names, k), ==, names[k]);
  for (guint k = 0; k < 20; k++)
    g_assert_cmpfloat (d->X[k], ==, expect[k]);
  g_assert_false (d->standardized);
}

static void
test_design_standardize (void)
{
  g_autoptr(GbDataset) ds = load_fixture ("design.csv");
  const char *cols[] = { "age", "sex" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDesign) d = gb_design_matrix_build (ds, cols, 2, NULL, FALSE, TRUE, &error);
  /* ages 20, 30, 40, 50: mean 35, population SD sqrt(125) */
  const double z[4] = { -15 / sqrt (125), -5 / sqrt (125), 5 / sqrt (125), 15 / sqrt (125) };

  g_assert_no_error (error);
  g_assert_cmpuint (d->p, ==, 2);
  for (guint r = 0; r < 4; r++)
    {
      g_assert_cmpfloat_with_epsilon (d->X[r * 2], z[r], 1e-12);
      g_assert_cmpfloat (d->X[r * 2 + 1], ==, r % 2 == 0 ? 1.0 : 0.0); /* one-hot not scaled */
    }
  g_assert_true (d->standardized);
}

static void
test_design_complete_cases_and_mask (void)
{
  g_autoptr(GbDataset) ds = load_fixture ("design.csv");
  const char *cols[] = { "age", "income" };
  const guint8 mask[5] = { 0, 1, 1, 1, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDesign) d = gb_design_matrix_build (ds, cols, 2, mask, TRUE, FALSE, &error);

  /* row 0 masked, row 1 no income, row 3 no age: rows 2 and 4 remain */
  g_assert_no_error (error);
  g_assert_cmpuint (d->n, ==, 2);
  g_assert_cmpuint (d->rows[0], ==, 2);
  g_assert_cmpuint (d->rows[1], ==, 4);
  g_assert_cmpfloat (d->X[1], ==, 40);
  g_assert_cmpfloat (d->X[3 + 1], ==, 50);
}

static void
test_design_errors (void)
{
  g_autoptr(GbDataset) ds = load_fixture ("design.csv");
  const char *text[] = { "age", "notes" };
  const char *unknown[] = { "agee" };
  GError *error = NULL;

  g_assert_cmpint (column_named (ds, "notes")->type, ==, GB_COLUMN_TEXT);
  g_assert_null (gb_design_matrix_build (ds, text, 2, NULL, TRUE, FALSE, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“notes”"));
  g_clear_error (&error);
  g_assert_null (gb_design_matrix_build (ds, unknown, 1, NULL, TRUE, FALSE, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“agee”"));
  g_clear_error (&error);
}

static void
test_design_adult (void)
{
  const char *cols[] = { "age", "workclass", "sex" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDesign) d = gb_design_matrix_build (adult (), cols, 3, NULL, TRUE, FALSE, &error);

  g_assert_no_error (error);
  /* 32561 − 1836 rows with "?" in workclass; 1 + 1 + 7 + 1 columns */
  g_assert_cmpuint (d->n, ==, 32561 - 1836);
  g_assert_cmpuint (d->p, ==, 10);
  g_assert_cmpstr (g_ptr_array_index (d->names, 2), ==, "workclass=Local-gov");
  g_assert_cmpstr (g_ptr_array_index (d->names, 9), ==, "sex=Male");
}


/* ------------------------------------------------------------------ issue 3 */

static GbDataset *
from_text (const char *text, const GbCsvOptions *opts)
{
  g_autoptr(GError) error = NULL;
  GbDataset *ds = gb_dataset_new_from_data_full (text, strlen (text), "t.csv", opts, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ds);
  return ds;
}

/* Every slice of ../shared/data loads with the counts Python's csv module
 * gives (tests/reference/csv_slices.py wrote counts.tsv). */
static void
test_shared_slices (void)
{
  g_autofree char *dir = fixture_path ("shared");
  g_autofree char *tsv = g_build_filename (dir, "counts.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (tsv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GbDataset) ds = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], "\t", 3);
      path = g_build_filename (dir, f[0], NULL);
      ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("%s: %" G_GSIZE_FORMAT " × %u", f[0], gb_dataset_get_n_rows (ds), gb_dataset_get_n_columns (ds));
      g_assert_cmpuint (gb_dataset_get_n_rows (ds), ==, g_ascii_strtoull (f[1], NULL, 10));
      g_assert_cmpuint (gb_dataset_get_n_columns (ds), ==, g_ascii_strtoull (f[2], NULL, 10));
      g_assert_cmpint (gb_dataset_get_options (ds)->delimiter, ==, ',');
      g_assert_cmpint (gb_dataset_get_options (ds)->header, ==, GB_HEADER_PRESENT);
      n++;
    }
  g_assert_cmpuint (n, ==, 16);
}

/* Each malformed file fails with its own message (file, line, column). */
static void
test_malformed_corpus (void)
{
  g_autofree char *dir = fixture_path ("malformed");
  g_autofree char *tsv = g_build_filename (dir, "EXPECTED.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (tsv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;
      g_autofree char *path = NULL;
      g_autofree char *want = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GbDataset) ds = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], "\t", 2);
      path = g_build_filename (dir, f[0], NULL);
      want = g_strcompress (f[1]);   /* "\n" in the table is a backslash-n in the message */
      ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
      g_assert_null (ds);
      g_assert_error (error, GB_DATA_ERROR, GB_ERROR_PARSE);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, f[0]));
      if (strstr (error->message, f[1]) == NULL)
        g_error ("%s: message “%s” lacks “%s”", f[0], error->message, f[1]);
      n++;
    }
  g_assert_cmpuint (n, >=, 25);
}

static void
test_sniff_delimiters (void)
{
  static const struct { const char *text; char delim; } cases[] = {
    { "a;b;c\n1,5;2;x\n3,5;4;y\n", ';' },
    { "a\tb\n1\t2\n3\t4\n", '\t' },
    { "a|b|c\n1|2|3\n", '|' },
    { "a,b\n\"x;y\",1\n\"z;w\",2\n", ',' },
    { "only\n1\n2\n", ',' },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GbDataset) ds = from_text (cases[i].text, NULL);
      g_assert_cmpint (gb_dataset_get_options (ds)->delimiter, ==, cases[i].delim);
    }
  {
    g_autoptr(GbDataset) ds = from_text ("a;b;c\n1,5;2;x\n3,5;4;y\n", NULL);
    g_assert_cmpuint (gb_dataset_get_n_columns (ds), ==, 3);
    /* a decimal comma is not a number: categorical, exact text kept */
    g_assert_cmpint (gb_dataset_get_column (ds, 0)->type, ==, GB_COLUMN_CATEGORICAL);
  }
}

static void
test_sniff_header (void)
{
  g_autoptr(GbDataset) no_header = from_text ("1,2.5,x\n3,4.5,y\n5,6,z\n", NULL);
  g_autoptr(GbDataset) header = from_text ("id,score,x\n3,4.5,y\n5,6,z\n", NULL);
  g_autoptr(GbCsvOptions) opts = gb_csv_options_new ();
  g_autoptr(GbDataset) forced = NULL;

  g_assert_cmpuint (gb_dataset_get_n_rows (no_header), ==, 3);
  g_assert_cmpstr (gb_dataset_get_column (no_header, 1)->name, ==, "column_2");
  g_assert_cmpint (gb_dataset_get_options (no_header)->header, ==, GB_HEADER_ABSENT);
  g_assert_nonnull (strstr (g_ptr_array_index (gb_dataset_get_notices (no_header), 0), "looks like data"));
  g_assert_cmpuint (gb_dataset_get_n_rows (header), ==, 2);
  g_assert_cmpstr (gb_dataset_get_column (header, 1)->name, ==, "score");

  opts->header = GB_HEADER_PRESENT;
  forced = from_text ("1,2.5,x\n3,4.5,y\n5,6,z\n", opts);
  g_assert_cmpuint (gb_dataset_get_n_rows (forced), ==, 2);
  g_assert_cmpstr (gb_dataset_get_column (forced, 0)->name, ==, "1");
}

static void
test_encodings (void)
{
  /* Windows-1252 "€" (0x80) and "é" (0xE9), after a long ASCII prefix, so
   * the fallback happens on a restart rather than from the first chunk. */
  GString *s = g_string_new ("city,n\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDataset) ds = NULL;
  g_autoptr(GbDataset) u16 = NULL;
  g_autofree char *cell = NULL;
  static const char utf16[] = "\xff\xfe" "a\0,\0b\0\n\0" "\xe9\0,\0" "1\0\n\0";

  for (guint i = 0; i < 20000; i++)
    g_string_append (s, "Bern,1\n");
  g_string_append (s, "Caf\xe9 \x80,2\n");
  ds = gb_dataset_new_from_data (s->str, s->len, "cp1252.csv", &error);
  g_assert_no_error (error);
  cell = gb_dataset_format_cell (ds, 0, 20000);
  g_assert_cmpstr (cell, ==, "Caf\xc3\xa9 \xe2\x82\xac");
  g_assert_nonnull (strstr (g_ptr_array_index (gb_dataset_get_notices (ds), 0), "first at line 20002"));
  g_string_free (s, TRUE);

  {
    /* a UTF-8 BOM, then Latin-1 bytes: the fallback drops the BOM */
    static const char bom_latin1[] = "\xef\xbb\xbfname,n\nZ\xfcrich,1\n";
    g_autoptr(GbDataset) b = gb_dataset_new_from_data (bom_latin1, sizeof bom_latin1 - 1, "b.csv", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (gb_dataset_get_column (b, 0)->name, ==, "name");
  }

  u16 = gb_dataset_new_from_data (utf16, sizeof utf16 - 1, "u16.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gb_dataset_get_options (u16)->encoding, ==, "UTF-16");
  g_clear_pointer (&cell, g_free);
  cell = gb_dataset_format_cell (u16, 0, 0);
  g_assert_cmpstr (cell, ==, "\xc3\xa9");
}

static void
test_na_values_option (void)
{
  g_autoptr(GbCsvOptions) opts = gb_csv_options_new ();
  g_autoptr(GbDataset) dflt = from_text ("x,y\n1,NA\n-,2\n3,3\n", NULL);
  g_autoptr(GbDataset) custom = NULL;
  static char *na[] = { "-", NULL };

  g_assert_cmpint (gb_dataset_get_column (dflt, 0)->type, ==, GB_COLUMN_CATEGORICAL);   /* "-" is text */
  g_assert_cmpuint (gb_dataset_get_column (dflt, 1)->n_missing, ==, 1);
  opts->na_values = g_strdupv (na);
  custom = from_text ("x,y\n1,NA\n-,2\n3,3\n", opts);
  g_assert_cmpint (gb_dataset_get_column (custom, 0)->type, ==, GB_COLUMN_NUMERIC);
  g_assert_cmpuint (gb_dataset_get_column (custom, 0)->n_missing, ==, 1);
  g_assert_cmpint (gb_dataset_get_column (custom, 1)->type, ==, GB_COLUMN_CATEGORICAL); /* "NA" is text now */
}

static void
test_inference_logical_types (void)
{
  g_autoptr(GbDataset) ds = from_text (
    "flag,yn,when,stamp,mixedbool,num\n"
    "true,yes,2024-02-29,2024-02-29T12:00:00Z,yes,1\n"
    "false,no,1999-12-31,2024-03-01 06:30,True,0\n"
    ",yes,,2024-03-01T00:00:00+02:00,no,1\n", NULL);
  const GbColumn *flag = gb_dataset_get_column (ds, 0);
  const GbColumn *yn = gb_dataset_get_column (ds, 1);
  const GbColumn *when = gb_dataset_get_column (ds, 2);
  const GbColumn *stamp = gb_dataset_get_column (ds, 3);
  g_autofree char *c1 = gb_dataset_format_cell (ds, 2, 0);
  g_autofree char *c2 = gb_dataset_format_cell (ds, 3, 1);
  g_autofree char *c3 = gb_dataset_format_cell (ds, 3, 2);

  g_assert_cmpint (flag->logical_type, ==, GB_COLUMN_BOOLEAN);
  g_assert_cmpint (flag->type, ==, GB_COLUMN_CATEGORICAL);
  g_assert_cmpstr (g_ptr_array_index (flag->levels, 0), ==, "false");
  g_assert_cmpint (flag->codes[0], ==, 1);
  g_assert_cmpint (flag->codes[2], ==, -1);
  g_assert_cmpint (yn->logical_type, ==, GB_COLUMN_BOOLEAN);
  g_assert_cmpstr (g_ptr_array_index (yn->levels, 1), ==, "yes");
  g_assert_cmpint (when->logical_type, ==, GB_COLUMN_DATE);
  g_assert_cmpint (when->type, ==, GB_COLUMN_NUMERIC);
  g_assert_cmpfloat (when->numeric[0], ==, 19782.0);      /* 2024-02-29 = 19782 days after 1970-01-01 */
  g_assert_cmpfloat (when->numeric[1], ==, 10956.0);
  g_assert_true (isnan (when->numeric[2]));
  g_assert_cmpstr (c1, ==, "2024-02-29");
  g_assert_cmpfloat (stamp->numeric[0], ==, 19782.5);
  g_assert_cmpstr (c2, ==, "2024-03-01 06:30:00");
  g_assert_cmpstr (c3, ==, "2024-02-29 22:00:00");     /* +02:00 converted to UTC */
  g_assert_cmpint (gb_dataset_get_column (ds, 4)->logical_type, ==, GB_COLUMN_CATEGORICAL); /* yes/True mix */
  g_assert_cmpint (gb_dataset_get_column (ds, 5)->logical_type, ==, GB_COLUMN_NUMERIC);     /* 0/1 stays numeric */
}

/* A column numeric for 100 000 rows, then text: the second pass restores
 * the exact spelling of the early cells ("007", "1.50"). */
static void
test_inference_late_text (void)
{
  GString *s = g_string_new ("code,n\n");
  g_autoptr(GbDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  const GbColumn *c;

  g_string_append (s, "007,1\n1.50,2\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (s, "%u,%u\n", i % 7, i);
  g_string_append (s, "A12,3\n");
  ds = gb_dataset_new_from_data (s->str, s->len, "late.csv", &error);
  g_assert_no_error (error);
  c = gb_dataset_get_column (ds, 0);
  g_assert_cmpint (c->type, ==, GB_COLUMN_CATEGORICAL);
  g_assert_cmpuint (c->levels->len, ==, 10);   /* 0..6, 007, 1.50, A12 */
  g_assert_cmpstr (g_ptr_array_index (c->levels, c->codes[0]), ==, "007");
  g_assert_cmpstr (g_ptr_array_index (c->levels, c->codes[1]), ==, "1.50");
  g_assert_cmpstr (g_ptr_array_index (c->levels, c->codes[100002]), ==, "A12");
  g_assert_cmpint (gb_dataset_get_column (ds, 1)->type, ==, GB_COLUMN_NUMERIC);
  g_string_free (s, TRUE);
}

/* The fast number path gives exactly g_ascii_strtod's double. */
static void
test_numbers_exact (void)
{
  static const char *nums[] = { "0.1", "0.3", "1e22", "1e23", "9007199254740993", "123456789012345678",
                                "2.2250738585072014e-308", "-0.0", ".5", "5.", "+3", "1.7976931348623157e308",
                                "0.000001", "3.14159265358979323846", "4.35", "1234567.891" };
  GString *s = g_string_new ("x\n");
  g_autoptr(GbDataset) ds = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (nums); i++)
    g_string_append_printf (s, "%s\n", nums[i]);
  ds = from_text (s->str, NULL);
  g_assert_cmpint (gb_dataset_get_column (ds, 0)->type, ==, GB_COLUMN_NUMERIC);
  for (guint i = 0; i < G_N_ELEMENTS (nums); i++)
    {
      double want = g_ascii_strtod (nums[i], NULL);
      double got = gb_dataset_get_column (ds, 0)->numeric[i];
      g_assert_true (memcmp (&want, &got, sizeof want) == 0);
    }
  g_string_free (s, TRUE);
}

static void
test_type_override (void)
{
  g_autoptr(GbCsvOptions) opts = gb_csv_options_new ();
  g_autoptr(GbDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  static char *types[] = { "zip=categorical", "n=numeric", "ok=boolean", NULL };
  static char *bad[] = { "nope=numeric", NULL };
  const char *text = "zip,n,ok\n02134,1,1\n10001,two,0\n02134,3,maybe\n";

  opts->column_types = g_strdupv (types);
  ds = from_text (text, opts);
  g_assert_cmpint (gb_dataset_get_column (ds, 0)->type, ==, GB_COLUMN_CATEGORICAL);
  g_assert_cmpstr (g_ptr_array_index (gb_dataset_get_column (ds, 0)->levels, 0), ==, "02134");
  g_assert_true (gb_dataset_get_column (ds, 0)->type_forced);
  g_assert_cmpint (gb_dataset_get_column (ds, 1)->type, ==, GB_COLUMN_NUMERIC);
  g_assert_true (isnan (gb_dataset_get_column (ds, 1)->numeric[1]));
  g_assert_cmpint (gb_dataset_get_column (ds, 2)->logical_type, ==, GB_COLUMN_BOOLEAN);
  g_assert_cmpint (gb_dataset_get_column (ds, 2)->codes[0], ==, 1);
  g_assert_cmpint (gb_dataset_get_column (ds, 2)->codes[2], ==, -1);
  g_assert_cmpuint (gb_dataset_get_notices (ds)->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (gb_dataset_get_notices (ds), 0), "line 3: “two”"));

  g_strfreev (opts->column_types);
  opts->column_types = g_strdupv (bad);
  g_assert_null (gb_dataset_new_from_data_full (text, strlen (text), "t.csv", opts, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "unknown column “nope”"));
}

/* Hand-computed: values 1..10 and 100; quartiles by linear interpolation. */
static void
test_summary_numeric (void)
{
  g_autoptr(GbDataset) ds = from_text ("x\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n100\nNA\n", NULL);
  g_autoptr(GbColumnSummary) s = gb_dataset_summarize_column (ds, 0, 3);
  gsize total = 0;

  g_assert_cmpuint (s->count, ==, 11);
  g_assert_cmpuint (s->missing, ==, 1);
  g_assert_cmpuint (s->distinct, ==, 11);
  g_assert_cmpfloat (s->min, ==, 1);
  g_assert_cmpfloat (s->max, ==, 100);
  g_assert_cmpfloat_with_epsilon (s->mean, 155.0 / 11, 1e-12);
  g_assert_cmpfloat (s->q1, ==, 3.5);     /* h = 10·0.25 = 2.5 → 3 + 0.5·(4 − 3) */
  g_assert_cmpfloat (s->median, ==, 6);
  g_assert_cmpfloat (s->q3, ==, 8.5);
  /* sd: sum of squares about the mean, n − 1 = 10 */
  {
    double m = 155.0 / 11, ss = 0;
    for (int v = 1; v <= 10; v++)
      ss += (v - m) * (v - m);
    ss += (100 - m) * (100 - m);
    g_assert_cmpfloat_with_epsilon (s->sd, sqrt (ss / 10), 1e-12);
  }
  g_assert_true (s->integer_valued);
  g_assert_cmpuint (s->n_bins, >=, 1);
  for (guint k = 0; k < s->n_bins; k++)
    total += s->bin_counts[k];
  g_assert_cmpuint (total, ==, 11);
  g_assert_cmpuint (s->bin_counts[s->n_bins - 1], ==, 1);   /* 100 alone in the last bin */
}

static void
test_summary_categorical (void)
{
  g_autoptr(GbDataset) ds = from_text ("c\nb\na\nb\nc\nb\na\n?\nd\n", NULL);
  g_autoptr(GbColumnSummary) s = gb_dataset_summarize_column (ds, 0, 2);
  GbCategoryCount *t0 = &g_array_index (s->top, GbCategoryCount, 0);
  GbCategoryCount *t1 = &g_array_index (s->top, GbCategoryCount, 1);

  g_assert_cmpuint (s->count, ==, 7);
  g_assert_cmpuint (s->missing, ==, 1);
  g_assert_cmpuint (s->distinct, ==, 4);
  g_assert_cmpstr (t0->value, ==, "b");
  g_assert_cmpuint (t0->count, ==, 3);
  g_assert_cmpstr (t1->value, ==, "a");     /* a and c tie at 2: byte order */
  g_assert_cmpuint (s->other_count, ==, 2);
  g_assert_cmpuint (s->n_bins, ==, 0);
}

static void
test_duplicate_rows (void)
{
  g_autoptr(GbDataset) ds = from_text ("x,y,z\n1,a,NA\n1,a,\n2,a,\n1,b,\n1,a,NA\n-0,a,\n0,a,\n", NULL);
  GbDatasetSummary sum;

  /* rows 2 and 5 repeat row 1 (missing equals missing); 0 equals -0 */
  g_assert_cmpuint (gb_dataset_count_duplicate_rows (ds), ==, 3);
  gb_dataset_summarize (ds, &sum);
  g_assert_cmpuint (sum.n_rows, ==, 7);
  g_assert_cmpuint (sum.duplicate_rows, ==, 3);
  g_assert_cmpuint (sum.n_missing_cells, ==, 7);
  g_assert_cmpuint (sum.memory_bytes, >, 7 * (8 + 4 + 8));
}

static char *
only_message (GPtrArray *msgs)
{
  g_assert_cmpuint (msgs->len, ==, 1);
  return ((GbRoleMessage *) g_ptr_array_index (msgs, 0))->message;
}

static void
test_roles_messages (void)
{
  GString *s = g_string_new ("id,income,zip,race,age,notes\n");
  g_autoptr(GbDataset) ds = NULL;
  g_autoptr(GPtrArray) m1 = NULL, m2 = NULL, m3 = NULL, m4 = NULL, m5 = NULL, m6 = NULL, m7 = NULL;
  static const char *incomes[] = { "low", "mid", "high" };

  for (guint i = 0; i < 1624; i++)
    g_string_append_printf (s, "%u,%s,Z%03u,%s,%u,note number %u about this row\n", 1000 + i, incomes[i % 3],
                            i % 812, i < 10 ? "Other" : (i % 2 ? "A" : "B"), 20 + i % 50, i);
  ds = from_text (s->str, NULL);
  g_string_free (s, TRUE);

  m1 = gb_role_validate (ds, GB_COLUMN_ROLE_TARGET, "income", NULL);
  g_assert_cmpstr (only_message (m1), ==, "target `income` has 3 values; choose which value is the positive class");
  g_assert_cmpint (((GbRoleMessage *) g_ptr_array_index (m1, 0))->severity, ==, GB_ROLE_ERROR);
  m2 = gb_role_validate (ds, GB_COLUMN_ROLE_PROTECTED, "zip", NULL);
  g_assert_cmpstr (only_message (m2), ==, "protected attribute `zip` has 812 groups; group rare values or choose another column");
  m3 = gb_role_validate (ds, GB_COLUMN_ROLE_FEATURE, "id", NULL);
  g_assert_cmpstr (only_message (m3), ==, "column `id` looks like an identifier and is excluded from features");
  g_assert_cmpint (gb_column_default_role (ds, 0), ==, GB_COLUMN_ROLE_IDENTIFIER);
  g_assert_cmpint (gb_column_default_role (ds, 1), ==, GB_COLUMN_ROLE_FEATURE);
  g_assert_cmpint (gb_column_default_role (ds, 5), ==, GB_COLUMN_ROLE_TEXT);
  m4 = gb_role_validate (ds, GB_COLUMN_ROLE_TARGET, "income", "high");
  g_assert_cmpuint (m4->len, ==, 0);
  m5 = gb_role_validate (ds, GB_COLUMN_ROLE_PROTECTED, "race", NULL);
  g_assert_nonnull (strstr (only_message (m5), "fewer than 30 rows (`Other` 10)"));
  m6 = gb_role_validate (ds, GB_COLUMN_ROLE_PROTECTED, "age", NULL);
  g_assert_nonnull (strstr (only_message (m6), "use a condition such as `age>=40`"));
  m7 = gb_role_validate (ds, GB_COLUMN_ROLE_TREATMENT, "age>=40", NULL);
  g_assert_cmpuint (m7->len, ==, 0);
}

static void
test_project_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gb-project-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "d.csv", NULL);
  g_autofree char *proj = g_build_filename (dir, "audit.glassbox", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GbAudit) audit = gb_audit_new ();
  g_autoptr(GbAudit) audit2 = gb_audit_new ();
  g_autoptr(GbProject) p = NULL, p2 = NULL;
  g_autoptr(GbCsvOptions) opts = gb_csv_options_new ();
  g_autoptr(GError) error = NULL;
  GbAuditSettings *s = gb_audit_get_settings (audit);
  static char *prot[] = { "sex", NULL };
  static char *types[] = { "zip=categorical", NULL };

  g_assert_true (g_file_set_contents (csv, "y,sex,zip\n1,F,02134\n0,M,10001\n", -1, NULL));
  s->csv_path = g_strdup (csv);
  s->target = g_strdup ("y");
  s->protected_attributes = g_strdupv (prot);
  s->seed = G_GUINT64_CONSTANT (18446744073709551615);
  s->test_fraction = 0.25;
  /* the report's settings and notes (issue 8) and the rest of the analysis */
  s->paper = g_strdup ("letter");
  s->auditor = g_strdup ("Ada Lovelace");
  s->organisation = g_strdup ("Analytical Engines Ltd");
  s->model_card_details = g_strdup ("A two-layer transformer.");
  s->model_card_intended_use = g_strdup ("Teaching, not hiring.");
  s->model_card_factors = g_strdup ("Sex; \"quoted\" text\nand a second line.");
  s->model_card_ethical_considerations = g_strdup ("收入数据");
  s->model_card_caveats = g_strdup ("Small sample.");
  s->model_card_path = g_strdup ("card.json");
  s->omit_sections = (1u << GB_REPORT_SECTION_DATA) | (1u << GB_REPORT_SECTION_METHODS);
  s->estimand = GB_ESTIMAND_ATT;
  s->causal_methods = (1u << GB_CAUSAL_AIPW) | (1u << GB_CAUSAL_NAIVE);
  s->trim_alpha = 0.05;
  s->causal_bootstrap = 50;
  s->psm_known_propensity = TRUE;
  s->explainers = g_strsplit ("lime,occlusion", ",", -1);
  s->n_explain_row_ids = 2;
  s->explain_row_ids = g_new (gsize, 2);
  s->explain_row_ids[0] = 0;
  s->explain_row_ids[1] = 1;
  s->shap_samples = 64;
  s->background_size = 7;
  s->decompose_rows = 37;
  s->ig_baseline = GB_IG_BASELINE_EXPECTED;
  s->explain_class = g_strdup ("0");
  s->lime_selection = GB_LIME_SELECTION_FORWARD;
  s->tcav_concepts = g_strsplit ("sex==F", ",", -1);
  s->tcav_layer = 1;
  s->vocab_min_freq = 3;
  s->model.max_length = 48;
  opts->delimiter = ',';
  opts->column_types = g_strdupv (types);
  g_assert_true (gb_project_save (proj, s, opts, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (proj, &json, NULL, NULL));
  g_assert_nonnull (strstr (json, "\"path\" : \"d.csv\""));   /* relative to the project */

  p = gb_project_load (proj, &error);
  g_assert_no_error (error);
  g_assert_cmpint (p->status, ==, GB_PROJECT_DATASET_OK);
  g_assert_true (gb_project_apply (p, audit2, FALSE, &error));
  s = gb_audit_get_settings (audit2);
  g_assert_cmpstr (s->csv_path, ==, csv);
  g_assert_cmpstr (s->target, ==, "y");
  g_assert_cmpstr (s->protected_attributes[0], ==, "sex");
  g_assert_true (s->seed == G_GUINT64_CONSTANT (18446744073709551615));
  g_assert_cmpfloat (s->test_fraction, ==, 0.25);
  g_assert_cmpstr (p->csv_options->column_types[0], ==, "zip=categorical");
  g_assert_cmpint (p->csv_options->delimiter, ==, ',');
  g_assert_cmpstr (s->paper, ==, "letter");
  g_assert_cmpstr (s->auditor, ==, "Ada Lovelace");
  g_assert_cmpstr (s->organisation, ==, "Analytical Engines Ltd");
  g_assert_cmpstr (s->model_card_details, ==, "A two-layer transformer.");
  g_assert_cmpstr (s->model_card_intended_use, ==, "Teaching, not hiring.");
  g_assert_cmpstr (s->model_card_factors, ==, "Sex; \"quoted\" text\nand a second line.");
  g_assert_cmpstr (s->model_card_ethical_considerations, ==, "收入数据");
  g_assert_cmpstr (s->model_card_caveats, ==, "Small sample.");
  g_assert_cmpstr (s->model_card_path, ==, "card.json");
  g_assert_cmpuint (s->omit_sections, ==,
                    (1u << GB_REPORT_SECTION_DATA) | (1u << GB_REPORT_SECTION_METHODS));
  g_assert_nonnull (strstr (json, "\"omit_sections\" : [\n      \"data\",\n      \"methods\"\n    ]"));
  g_assert_cmpint (s->estimand, ==, GB_ESTIMAND_ATT);
  g_assert_cmpuint (s->causal_methods, ==, (1u << GB_CAUSAL_AIPW) | (1u << GB_CAUSAL_NAIVE));
  g_assert_cmpfloat (s->trim_alpha, ==, 0.05);
  g_assert_cmpuint (s->causal_bootstrap, ==, 50);
  g_assert_true (s->psm_known_propensity);
  g_assert_cmpstr (s->explainers[1], ==, "occlusion");
  g_assert_cmpuint (s->n_explain_row_ids, ==, 2);
  g_assert_cmpuint (s->explain_row_ids[1], ==, 1);
  g_assert_cmpuint (s->shap_samples, ==, 64);
  g_assert_cmpuint (s->background_size, ==, 7);
  g_assert_cmpuint (s->decompose_rows, ==, 37);
  g_assert_cmpint (s->ig_baseline, ==, GB_IG_BASELINE_EXPECTED);
  g_assert_cmpstr (s->explain_class, ==, "0");
  g_assert_cmpint (s->lime_selection, ==, GB_LIME_SELECTION_FORWARD);
  g_assert_cmpstr (s->tcav_concepts[0], ==, "sex==F");
  g_assert_cmpuint (s->tcav_layer, ==, 1);
  g_assert_cmpuint (s->vocab_min_freq, ==, 3);
  g_assert_cmpuint (s->model.max_length, ==, 48);
  /* what the report prints to reproduce itself carries the same notes */
  {
    g_autofree char *cmd = gb_audit_settings_build_command_line (s);
    g_assert_nonnull (strstr (cmd, " '--paper=letter'"));
    g_assert_nonnull (strstr (cmd, " '--auditor=Ada Lovelace'"));
    g_assert_nonnull (strstr (cmd, " '--organisation=Analytical Engines Ltd'"));
    g_assert_nonnull (strstr (cmd, " '--model-card=card.json'"));
    g_assert_nonnull (strstr (cmd, " '--omit-sections=data,methods'"));
  }

  /* the CSV changes: reported, and not used unless accepted */
  g_assert_true (g_file_set_contents (csv, "y,sex,zip\n1,F,02134\n1,M,10001\n", -1, NULL));
  p2 = gb_project_load (proj, &error);
  g_assert_no_error (error);
  g_assert_cmpint (p2->status, ==, GB_PROJECT_DATASET_CHANGED);
  g_assert_nonnull (strstr (p2->status_message, "d.csv has changed since the project was saved"));
  g_assert_false (gb_project_apply (p2, audit2, FALSE, &error));
  g_assert_error (error, GB_REPORT_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (gb_project_apply (p2, audit2, TRUE, &error));

  g_unlink (proj);
  g_unlink (csv);
  g_rmdir (dir);
}

static void
test_project_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gb-project-XXXXXX", NULL);
  g_autofree char *proj = g_build_filename (dir, "bad.glassbox", NULL);
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;

  g_assert_true (g_file_set_contents (proj, "{\"hello\": 1}", -1, NULL));
  g_assert_null (gb_project_load (proj, &e1));
  g_assert_error (e1, GB_REPORT_ERROR, GB_ERROR_PARSE);
  g_assert_nonnull (strstr (e1->message, "not a Glassbox project"));
  g_assert_true (g_file_set_contents (proj, "{\"glassbox_project\": 1, \"dataset\": {\"path\": \"x.csv\", "
                                      "\"sha256\": \"00\"}, \"roles\": {\"protected\": \"sex\"}}", -1, NULL));
  g_assert_null (gb_project_load (proj, &e2));
  g_assert_nonnull (strstr (e2->message, "“roles.protected” must be an array of strings"));
  g_assert_true (g_file_set_contents (proj, "{\"glassbox_project\": 9}", -1, NULL));
  g_assert_null (gb_project_load (proj, &e3));
  g_assert_nonnull (strstr (e3->message, "newer Glassbox"));
  g_unlink (proj);
  g_rmdir (dir);
}

/* The histogram painter: with all values in the first of two bins, blue
 * ink appears in the left half of the plot and none in the right half. */
static void
test_plot_histogram (void)
{
  g_autoptr(GbDataset) ds = from_text ("x\n0\n0\n0\n1\n", NULL);
  g_autoptr(GbColumnSummary) s = gb_dataset_summarize_column (ds, 0, 0);
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 100);
  cairo_t *cr = cairo_create (surf);
  guint blue_left = 0, blue_right = 0;
  guchar *px;
  int stride;

  g_assert_cmpuint (s->n_bins, ==, 2);     /* one per integer: 0 and 1 */
  s->bin_counts[1] = 0;                    /* leave the right bin empty */
  gb_plot_column_summary_draw (cr, 200, 100, NULL, s);
  cairo_surface_flush (surf);
  px = cairo_image_surface_get_data (surf);
  stride = cairo_image_surface_get_stride (surf);
  for (int y = 0; y < 100; y++)
    for (int x = 0; x < 200; x++)
      {
        guint32 v = *(guint32 *) (px + y * stride + x * 4);
        gboolean blue = ((v >> 16) & 0xff) < 0x20 && ((v >> 8) & 0xff) > 0x60 && ((v >> 8) & 0xff) < 0x80
                        && (v & 0xff) > 0xa0;
        if (blue)
          {
            if (x < 100)
              blue_left++;
            else
              blue_right++;
          }
      }
  g_assert_cmpuint (blue_left, >, 500);
  g_assert_cmpuint (blue_right, ==, 0);
  cairo_destroy (cr);
  cairo_surface_destroy (surf);
}

/* Inputs the fuzzer found (tests/fuzz): an empty file, and a header with
 * invalid UTF-8 under an explicit UTF-8 encoding. */
static void
test_fuzz_regressions (void)
{
  g_autoptr(GbCsvOptions) opts = gb_csv_options_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDataset) ds = NULL;
  static const char latin_header[] = "4,5,6\xc3\x03" "caf\xe9,n\nna\xefve,1\n";

  g_assert_null (gb_dataset_new_from_data_full ("", 0, "empty.csv", opts, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_PARSE);
  g_clear_error (&error);
  opts->delimiter = ';';
  opts->header = GB_HEADER_PRESENT;
  opts->encoding = g_strdup ("UTF-8");
  ds = gb_dataset_new_from_data_full (latin_header, sizeof latin_header - 1, "f.csv", opts, &error);
  g_assert_no_error (error);
  for (guint j = 0; j < gb_dataset_get_n_columns (ds); j++)
    g_assert_true (g_utf8_validate (gb_dataset_get_column (ds, j)->name, -1, NULL));
}

static void
test_sort_rows (void)
{
  g_autoptr(GbDataset) ds = from_text ("x,c,t\n3,b,NA\nNA,a,x\n1,NA,y\n3,a,\n2,b,w\n", NULL);
  guint32 order[5];
  static const guint32 x_up[] = { 2, 4, 0, 3, 1 }, x_down[] = { 0, 3, 4, 2, 1 }, c_up[] = { 1, 3, 0, 4, 2 };

  gb_dataset_sort_rows (ds, 0, FALSE, order);
  g_assert_cmpmem (order, sizeof order, x_up, sizeof x_up);
  gb_dataset_sort_rows (ds, 0, TRUE, order);       /* ties (3, 3) stay in file order; missing last */
  g_assert_cmpmem (order, sizeof order, x_down, sizeof x_down);
  gb_dataset_sort_rows (ds, 1, FALSE, order);
  g_assert_cmpmem (order, sizeof order, c_up, sizeof c_up);
}

static void
test_describe_text (void)
{
  g_autoptr(GbDataset) ds = from_text ("age,sex,when\n30,F,2024-01-01\n40,M,2024-01-03\n40,M,2024-01-03\n", NULL);
  g_autofree char *text = gb_dataset_describe (ds);

  g_assert_nonnull (strstr (text, "rows 3, columns 3"));
  g_assert_nonnull (strstr (text, "duplicate rows 1"));
  g_assert_nonnull (strstr (text, "age  [numeric]"));
  g_assert_nonnull (strstr (text, "min 30, q1 35, median 40, q3 40, max 40"));
  g_assert_nonnull (strstr (text, "top: “M” 2, “F” 1"));
  g_assert_nonnull (strstr (text, "when  [date]"));
  g_assert_nonnull (strstr (text, "min 2024-01-01"));
}

int
main (int argc, char **argv)
{
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/data/csv/simple", test_csv_simple);
  g_test_add_func ("/engine/data/csv/quoted-fields", test_csv_quoted_fields);
  g_test_add_func ("/engine/data/csv/bom-crlf-no-final-newline", test_csv_bom_crlf);
  g_test_add_func ("/engine/data/csv/missing-tokens", test_csv_missing_tokens);
  g_test_add_func ("/engine/data/csv/duplicate-header", test_csv_duplicate_header);
  g_test_add_func ("/engine/data/csv/invalid-utf8", test_csv_invalid_utf8);
  g_test_add_func ("/engine/data/csv/invalid-utf8-forced", test_csv_invalid_utf8_forced);
  g_test_add_func ("/engine/data/csv/shared-slices", test_shared_slices);
  g_test_add_func ("/engine/data/csv/malformed-corpus", test_malformed_corpus);
  g_test_add_func ("/engine/data/csv/sniff-delimiters", test_sniff_delimiters);
  g_test_add_func ("/engine/data/csv/sniff-header", test_sniff_header);
  g_test_add_func ("/engine/data/csv/encodings", test_encodings);
  g_test_add_func ("/engine/data/csv/na-values-option", test_na_values_option);
  g_test_add_func ("/engine/data/csv/fuzz-regressions", test_fuzz_regressions);
  g_test_add_func ("/engine/data/dataset/logical-types", test_inference_logical_types);
  g_test_add_func ("/engine/data/dataset/late-text", test_inference_late_text);
  g_test_add_func ("/engine/data/dataset/numbers-exact", test_numbers_exact);
  g_test_add_func ("/engine/data/dataset/type-override", test_type_override);
  g_test_add_func ("/engine/data/summary/numeric", test_summary_numeric);
  g_test_add_func ("/engine/data/summary/categorical", test_summary_categorical);
  g_test_add_func ("/engine/data/summary/duplicate-rows", test_duplicate_rows);
  g_test_add_func ("/engine/data/summary/describe", test_describe_text);
  g_test_add_func ("/engine/data/dataset/sort-rows", test_sort_rows);
  g_test_add_func ("/engine/data/roles/messages", test_roles_messages);
  g_test_add_func ("/engine/data/project/round-trip", test_project_round_trip);
  g_test_add_func ("/engine/data/project/errors", test_project_errors);
  g_test_add_func ("/engine/data/plot/histogram", test_plot_histogram);
  g_test_add_func ("/engine/data/csv/chunk-boundary", test_csv_chunk_boundary);
  g_test_add_func ("/engine/data/csv/error/ragged-short", test_csv_error_ragged_short);
  g_test_add_func ("/engine/data/csv/error/ragged-long", test_csv_error_ragged_long);
  g_test_add_func ("/engine/data/csv/error/unterminated-quote", test_csv_error_unterminated_quote);
  g_test_add_func ("/engine/data/csv/error/stray-quote", test_csv_error_stray_quote);
  g_test_add_func ("/engine/data/csv/error/text-after-quote", test_csv_error_text_after_quote);
  g_test_add_func ("/engine/data/csv/error/adult-truncated-row", test_csv_error_adult_truncated_row);
  g_test_add_func ("/engine/data/csv/error/nul-byte", test_csv_error_nul_byte);
  g_test_add_func ("/engine/data/csv/error/empty", test_csv_error_empty);
  g_test_add_func ("/engine/data/csv/error/missing-file", test_csv_error_missing_file);
  g_test_add_func ("/engine/data/csv/error/prefixes", test_csv_error_never_crashes);
  g_test_add_func ("/engine/data/dataset/type-inference", test_dataset_type_inference);
  g_test_add_func ("/engine/data/dataset/nearly-unique-is-text", test_dataset_nearly_unique_is_text);
  g_test_add_func ("/engine/data/dataset/format-cell", test_dataset_format_cell);
  g_test_add_func ("/engine/data/dataset/comma-decimal-locale", test_dataset_comma_decimal_locale);
  g_test_add_func ("/engine/data/adult/shape", test_adult_shape);
  g_test_add_func ("/engine/data/adult/column-types", test_adult_column_types);
  g_test_add_func ("/engine/data/adult/missing", test_adult_missing);
  g_test_add_func ("/engine/data/adult/groups", test_adult_groups);
  g_test_add_func ("/engine/data/adult/progress", test_adult_progress);
  g_test_add_func ("/engine/data/adult/cancel", test_adult_cancel);
  g_test_add_func ("/engine/data/adult/from-data", test_adult_from_data);
  g_test_add_func ("/engine/data/lalonde/shape", test_lalonde_shape);
  g_test_add_func ("/engine/data/variable/operator-in-value", test_variable_parse_operator_in_value);
  g_test_add_func ("/engine/data/variable/spaces", test_variable_parse_spaces);
  g_test_add_func ("/engine/data/variable/parse-errors", test_variable_parse_errors);
  g_test_add_func ("/engine/data/variable/eval-conditions", test_variable_eval_conditions);
  g_test_add_func ("/engine/data/variable/eval-missing", test_variable_eval_missing);
  g_test_add_func ("/engine/data/variable/eval-bare", test_variable_eval_bare);
  g_test_add_func ("/engine/data/variable/eval-errors", test_variable_eval_errors);
  g_test_add_func ("/engine/data/variable/is-binary", test_variable_is_binary);
  g_test_add_func ("/engine/data/split/stratified", test_split_stratified);
  g_test_add_func ("/engine/data/split/deterministic", test_split_deterministic);
  g_test_add_func ("/engine/data/split/missing-label", test_split_missing_label);
  g_test_add_func ("/engine/stats/design/one-hot", test_design_one_hot);
  g_test_add_func ("/engine/stats/design/standardize", test_design_standardize);
  g_test_add_func ("/engine/stats/design/complete-cases-and-mask", test_design_complete_cases_and_mask);
  g_test_add_func ("/engine/stats/design/errors", test_design_errors);
  g_test_add_func ("/engine/stats/design/adult", test_design_adult);

  ret = g_test_run ();
  g_clear_object (&adult_ds);
  return ret;
}
