/* gb-test-fixtures.h — reading the reference fixtures (JSON written by the
 * scripts in tests/reference/) and comparing numbers with a relative
 * tolerance; shared by the statistics and causal tests.  The functions are
 * static so each test executable gets its own copy. */
#pragma once

#include "gb-config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

static G_GNUC_UNUSED char *
data_path (const char *rel)
{
  const char *dir = g_getenv ("GB_TEST_DATA");
  if (dir == NULL)
    return g_build_filename (GB_SOURCE_DIR, "tests", "data", rel, NULL);
  return g_build_filename (dir, rel, NULL);
}

static G_GNUC_UNUSED JsonParser *
load_fixture (const char *rel)
{
  g_autofree char *path = data_path (rel);
  g_autoptr(GError) error = NULL;
  JsonParser *parser = json_parser_new ();
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return parser;
}

static G_GNUC_UNUSED JsonObject *
obj_member (JsonObject *o, const char *name)
{
  g_assert_true (json_object_has_member (o, name));
  return json_object_get_object_member (o, name);
}

/* (transfer full) the numbers of an array member; *len set when non-NULL. */
static G_GNUC_UNUSED double *
doubles_member (JsonObject *o, const char *name, gsize *len)
{
  JsonArray *a;
  double *v;
  guint n;
  g_assert_true (json_object_has_member (o, name));
  a = json_object_get_array_member (o, name);
  n = json_array_get_length (a);
  v = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    v[i] = json_array_get_double_element (a, i);
  if (len)
    *len = n;
  return v;
}

static G_GNUC_UNUSED void
assert_rel (double got, double want, double tol, const char *what, gsize idx)
{
  double err = fabs (got - want) / MAX (fabs (want), 1e-300);
  if (!(err <= tol))
    g_error ("%s[%" G_GSIZE_FORMAT "]: got %.17g, want %.17g (relative error %.3g > %.3g)",
             what, idx, got, want, err, tol);
}

/* Tiny CSV reader for data/examples/lalonde/nsw_dw.csv (no quotes, header
 * row): returns the requested columns as a (n, n_cols) row-major matrix. */
static G_GNUC_UNUSED double *
read_numeric_csv (const char *path, const char *const *cols, guint n_cols, gsize *out_n)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_autofree int *idx = g_new (int, n_cols);
  GArray *vals = g_array_new (FALSE, FALSE, sizeof (double));
  gsize n = 0;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  header = g_strsplit (g_strchomp (lines[0]), ",", -1);
  for (guint c = 0; c < n_cols; c++)
    {
      idx[c] = -1;
      for (int h = 0; header[h]; h++)
        if (g_strcmp0 (header[h], cols[c]) == 0)
          idx[c] = h;
      g_assert_cmpint (idx[c], >=, 0);
    }
  for (int l = 1; lines[l]; l++)
    {
      g_auto(GStrv) f = NULL;
      g_strchomp (lines[l]);
      if (lines[l][0] == '\0')
        continue;
      f = g_strsplit (lines[l], ",", -1);
      for (guint c = 0; c < n_cols; c++)
        {
          char *end = NULL;
          double v;
          g_assert_cmpuint (g_strv_length (f), >, (guint) idx[c]);
          v = g_ascii_strtod (f[idx[c]], &end);
          g_assert_true (end != f[idx[c]] && *end == '\0');
          g_array_append_val (vals, v);
        }
      n++;
    }
  *out_n = n;
  return (double *) g_array_free (vals, FALSE);
}

static G_GNUC_UNUSED const char *const nsw_covariates[] = {
  "age", "education", "black", "hispanic", "married", "nodegree", "re74", "re75",
};

/* nsw_dw design (intercept + 8 covariates) and treatment. */
static G_GNUC_UNUSED void
nsw_dw_design (double **out_X, double **out_t, double **out_y, gsize *out_n, gsize *out_p)
{
  const char *cols[] = { "treat", "age", "education", "black", "hispanic", "married",
                         "nodegree", "re74", "re75", "re78" };
  const char *src = g_getenv ("GB_SOURCE_DIR");
  g_autofree char *path = g_build_filename (src ? src : GB_SOURCE_DIR, "data", "examples",
                                            "lalonde", "nsw_dw.csv", NULL);
  gsize n, p = 1 + G_N_ELEMENTS (nsw_covariates);
  g_autofree double *raw = read_numeric_csv (path, cols, G_N_ELEMENTS (cols), &n);
  double *X = g_new (double, n * p), *t = g_new (double, n), *y = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    {
      const double *r = raw + i * G_N_ELEMENTS (cols);
      t[i] = r[0];
      X[i * p] = 1.0;
      for (gsize j = 1; j < p; j++)
        X[i * p + j] = r[j];
      y[i] = r[9];
    }
  *out_X = X;
  *out_t = t;
  if (out_y)
    *out_y = y;
  else
    g_free (y);
  *out_n = n;
  *out_p = p;
}
