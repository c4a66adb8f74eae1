/* test-common.c — shared engine helpers. */
#include "gb-config.h"
#include "glassbox-engine.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

/* FIPS 180-2 test vector: sha256("abc"). */
static void
test_sha256_known_vector (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gb-common-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "abc.txt", NULL);
  GError *error = NULL;
  g_assert_true (g_file_set_contents (path, "abc", 3, NULL));
  g_autofree char *sum = gb_sha256_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sum, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_sha256_missing_file (void)
{
  GError *error = NULL;
  char *sum = gb_sha256_file ("/nonexistent/glassbox.csv", &error);
  g_assert_null (sum);
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/glassbox.csv"));
  g_error_free (error);
}

/* Numbers are written with a '.' whatever the locale (GTK sets the user's). */
static void
test_format_double_locale (void)
{
  const char *old = setlocale (LC_NUMERIC, NULL);
  g_autofree char *saved = g_strdup (old);
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    g_test_message ("de_DE.UTF-8 is not installed; checking in the C locale only");
  g_autofree char *a = gb_format_double (1.25);
  g_autofree char *b = gb_format_double (NAN);
  g_autofree char *c = gb_format_double (9930.046);
  setlocale (LC_NUMERIC, saved);
  g_assert_cmpstr (a, ==, "1.25");
  g_assert_cmpstr (b, ==, "NaN");
  g_assert_cmpstr (c, ==, "9930.046");
}

static void
test_versions (void)
{
  g_auto(GStrv) v = gb_library_versions ();
  g_assert_cmpuint (g_strv_length (v), >=, 3);
  g_assert_true (g_str_has_prefix (v[0], "GLib 2."));
  g_assert_cmpstr (gb_version_string (), ==, GB_VERSION);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/common/sha256/known-vector", test_sha256_known_vector);
  g_test_add_func ("/engine/common/sha256/missing-file", test_sha256_missing_file);
  g_test_add_func ("/engine/common/format-double/locale", test_format_double_locale);
  g_test_add_func ("/engine/common/versions", test_versions);
  return g_test_run ();
}
