/* gb-common.c — error domains, versions, small helpers shared by the engine. */
#include "gb-config.h"
#include "gb-common.h"

#include <cblas.h>
#include <gsl/gsl_version.h>
#include <math.h>

G_DEFINE_QUARK (gb-data-error-quark, gb_data_error)
G_DEFINE_QUARK (gb-model-error-quark, gb_model_error)
G_DEFINE_QUARK (gb-stats-error-quark, gb_stats_error)
G_DEFINE_QUARK (gb-explain-error-quark, gb_explain_error)
G_DEFINE_QUARK (gb-fairness-error-quark, gb_fairness_error)
G_DEFINE_QUARK (gb-causal-error-quark, gb_causal_error)
G_DEFINE_QUARK (gb-report-error-quark, gb_report_error)

const char *
gb_version_string (void)
{
  return GB_VERSION;
}

void
gb_set_blas_threads (int n)
{
  openblas_set_num_threads (MAX (n, 1));
}

char *
gb_sha256_file (const char *path, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buf = g_malloc (65536);
  GError *local = NULL;

  in = g_file_read (file, NULL, &local);
  if (in == NULL)
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_IO, "Cannot read “%s”: %s", path, local->message);
      g_error_free (local);
      return NULL;
    }
  for (;;)
    {
      gssize got = g_input_stream_read (G_INPUT_STREAM (in), buf, 65536, NULL, &local);
      if (got < 0)
        {
          g_set_error (error, GB_DATA_ERROR, GB_ERROR_IO, "Cannot read “%s”: %s", path, local->message);
          g_error_free (local);
          return NULL;
        }
      if (got == 0)
        break;
      g_checksum_update (sum, buf, got);
    }
  return g_strdup (g_checksum_get_string (sum));
}

char *
gb_format_double (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0 ? "Infinity" : "-Infinity");
  /* shortest of %.15g, %.16g, %.17g that reads back to the same double */
  for (int precision = 15; precision <= 17; precision++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, fmt, value);
      if (precision == 17 || g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return g_strdup (buf);
}

/* g_strv_builder_take() is GLib 2.80; Debian 12 has 2.74. */
static void
strv_builder_take (GStrvBuilder *b, char *s)
{
  g_strv_builder_add (b, s);
  g_free (s);
}

char **
gb_library_versions (void)
{
  GStrvBuilder *b = g_strv_builder_new ();
  char *s;

  s = g_strdup_printf ("GLib %u.%u.%u", glib_major_version, glib_minor_version, glib_micro_version);
  strv_builder_take (b, s);
  /* openblas_get_config() starts with "OpenBLAS 0.3.21 …" */
  s = g_str_has_prefix (openblas_get_config (), "OpenBLAS")
        ? g_strdup (openblas_get_config ())
        : g_strdup_printf ("OpenBLAS %s", openblas_get_config ());
  strv_builder_take (b, g_strstrip (s));
  g_strv_builder_add (b, "GSL " GSL_VERSION);
  char **out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

const char *
gb_examples_dir (void)
{
  static char *dir = NULL;
  if (g_once_init_enter (&dir))
    {
      const char *env = g_getenv ("GB_EXAMPLES_DIR");
      char *found;
      if (env != NULL && *env != '\0')
        found = g_strdup (env);
      else if (g_file_test (GB_EXAMPLES_DIR "/adult/adult.csv", G_FILE_TEST_EXISTS))
        found = g_strdup (GB_EXAMPLES_DIR);
      else
        found = g_strdup (GB_EXAMPLES_SOURCE_DIR);
      g_once_init_leave (&dir, found);
    }
  return dir;
}
