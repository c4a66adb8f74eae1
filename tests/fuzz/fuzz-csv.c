/* fuzz-csv.c — libFuzzer target over the CSV reader (engine/data).
 *
 * The first input byte chooses the reading options (delimiter, header mode,
 * encoding, missing tokens, a type override); the rest is the file.  On
 * success every cell is formatted and the column invariants are checked, so
 * that a reader bug shows up as a crash, a sanitizer report or an abort.
 *
 * Build and run: tests/fuzz/run-fuzzer.sh [SECONDS] (clang, meson option
 * -Dfuzzing=true, -fsanitize=fuzzer,address,undefined). */
#include "gb-config.h"
#include "gb-dataset.h"
#ifdef GB_FUZZ_SUMMARY
#include "gb-dataset-summary.h"
#endif

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
check_dataset (GbDataset *ds)
{
  gsize n = gb_dataset_get_n_rows (ds);
  guint p = gb_dataset_get_n_columns (ds);

  if (n == 0 || p == 0)
    abort ();
  for (guint j = 0; j < p; j++)
    {
      const GbColumn *c = gb_dataset_get_column (ds, j);
      gsize missing = 0;

      if (c->n_rows != n || c->name == NULL || c->name[0] == '\0')
        abort ();
      if (!g_utf8_validate (c->name, -1, NULL))
        abort ();
      for (gsize i = 0; i < n && i < 2000; i++)
        {
          char *cell = gb_dataset_format_cell (ds, j, i);
          if (cell == NULL)
            missing++;
          else if (!g_utf8_validate (cell, -1, NULL))
            abort ();
          g_free (cell);
          if (c->type == GB_COLUMN_CATEGORICAL
              && (c->codes[i] < -1 || (c->codes[i] >= 0 && (guint) c->codes[i] >= c->levels->len)))
            abort ();
        }
      if (n <= 2000 && missing != c->n_missing)
        abort ();
      if (c->logical_type == GB_COLUMN_BOOLEAN && (c->type != GB_COLUMN_CATEGORICAL || c->levels->len != 2))
        abort ();
      if (c->logical_type == GB_COLUMN_DATE && c->type != GB_COLUMN_NUMERIC)
        abort ();
#ifdef GB_FUZZ_SUMMARY
      {
        GbColumnSummary *s = gb_dataset_summarize_column (ds, j, 5);
        if (s->count + s->missing != n)
          abort ();
        gb_column_summary_free (s);
      }
#endif
    }
#ifdef GB_FUZZ_SUMMARY
  if (gb_dataset_count_duplicate_rows (ds) >= n)
    abort ();
#endif
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char delims[] = { 0, ',', ';', '\t', '|' };
  static const char *encodings[] = { NULL, NULL, NULL, "UTF-8", "WINDOWS-1252", "UTF-16" };
  static const char *na[] = { "-", "x", NULL };
  static const char *types[] = { "column_1=numeric", "column_1=date", "column_1=boolean",
                                 "a=text", "a=categorical" };
  GbCsvOptions opts = { 0 };
  char *types_v[2] = { NULL, NULL };
  GError *error = NULL;
  GbDataset *ds;
  guint8 sel;

  if (size == 0)
    return 0;
  sel = data[0];
  data++, size--;
  opts.delimiter = delims[sel % G_N_ELEMENTS (delims)];
  opts.header = (GbHeaderMode) ((sel / 5) % 3);
  opts.encoding = (char *) encodings[(sel / 15) % G_N_ELEMENTS (encodings)];
  if (sel & 0x80)
    opts.na_values = (char **) na;
  if ((sel / 90) % 2)
    {
      types_v[0] = (char *) types[sel % G_N_ELEMENTS (types)];
      opts.column_types = types_v;
    }

  ds = gb_dataset_new_from_data_full ((const char *) data, size, "fuzz.csv", &opts, &error);
  if (ds != NULL)
    {
      if (error != NULL)
        abort ();
      check_dataset (ds);
      g_object_unref (ds);
    }
  else
    {
      if (error == NULL || error->message == NULL || !g_utf8_validate (error->message, -1, NULL))
        abort ();
      if (error->domain != GB_DATA_ERROR)
        abort ();
      g_error_free (error);
    }
  return 0;
}
