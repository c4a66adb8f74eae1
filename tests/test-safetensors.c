/* test-safetensors.c — engine/model/gb-safetensors: reading files written by
 * an independent writer that follows the reference implementation
 * (tests/reference/make_safetensors_fixtures.py, tensors from torch), writing
 * byte-identical files, round trips, atomic writes, and a corpus of broken
 * files each with its specific error. */
#include "gb-config.h"
#include "gb-safetensors.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

static char *
data_path (const char *rel)
{
  const char *dir = g_getenv ("GB_TEST_DATA");
  g_assert_nonnull (dir);
  return g_build_filename (dir, "safetensors", rel, NULL);
}

static JsonObject *
load_json (const char *rel, JsonParser **parser_out)
{
  g_autofree char *path = data_path (rel);
  JsonParser *parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  *parser_out = parser;
  return json_node_get_object (json_parser_get_root (parser));
}

/* ---- reading the reference file ------------------------------------------------ */

static void
test_read_reference (void)
{
  g_autofree char *path = data_path ("reference.safetensors");
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *exp = load_json ("reference.json", &parser);
  JsonObject *tensors = json_object_get_object_member (exp, "tensors");
  JsonArray *order = json_object_get_array_member (exp, "order");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbSafetensors) st = gb_safetensors_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (st);
  g_assert_cmpuint (gb_safetensors_get_n_tensors (st), ==, json_array_get_length (order));
  for (guint i = 0; i < json_array_get_length (order); i++)
    g_assert_cmpstr (gb_safetensors_get_tensor (st, i)->name, ==,
                     json_array_get_string_element (order, i));

  g_autoptr(GList) names = json_object_get_members (tensors);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *e = json_object_get_object_member (tensors, l->data);
      const GbSafetensorsTensor *t = gb_safetensors_lookup (st, l->data);
      JsonArray *shape = json_object_get_array_member (e, "shape");
      gsize n = 1;

      g_assert_nonnull (t);
      g_assert_cmpstr (gb_safetensors_dtype_to_string (t->dtype), ==,
                       json_object_get_string_member (e, "dtype"));
      g_assert_cmpuint (t->n_dims, ==, json_array_get_length (shape));
      for (guint d = 0; d < t->n_dims; d++)
        {
          g_assert_cmpuint (t->shape[d], ==, json_array_get_int_element (shape, d));
          n *= t->shape[d];
        }
      g_assert_cmpuint (t->n_elements, ==, n);
      g_assert_cmpuint (t->n_bytes, ==, n * gb_safetensors_dtype_size (t->dtype));
      if (json_object_has_member (e, "f32_bits"))
        {
          JsonArray *bits = json_object_get_array_member (e, "f32_bits");
          g_autofree float *v = g_new0 (float, MAX (n, 1));
          g_assert_cmpuint (json_array_get_length (bits), ==, n);
          g_assert_true (gb_safetensors_copy_f32 (st, l->data, t->shape, t->n_dims, v, n, &error));
          g_assert_no_error (error);
          for (gsize k = 0; k < n; k++)
            {
              guint32 got, want = (guint32) (gint32) json_array_get_int_element (bits, k);
              memcpy (&got, &v[k], 4);
              if (got != want)
                g_error ("%s[%" G_GSIZE_FORMAT "]: float32 bits %08x, torch gives %08x",
                         (char *) l->data, k, got, want);
            }
        }
      else
        {
          /* integer tensors are read as bytes but refused as floats */
          float dummy[8];
          g_assert_false (gb_safetensors_copy_f32 (st, l->data, NULL, 0, dummy, n, &error));
          g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
          g_assert_nonnull (strstr (error->message, "has dtype I64"));
          g_clear_error (&error);
        }
    }
  g_assert_cmpstr (gb_safetensors_get_metadata (st, "format"), ==, "pt");
  g_assert_cmpstr (gb_safetensors_get_metadata (st, "producer"), ==,
                   "make_safetensors_fixtures.py");
  g_assert_null (gb_safetensors_get_metadata (st, "missing"));
  /* the data start is 8-byte aligned, as the reference writes it */
  g_assert_cmpuint (json_object_get_int_member (exp, "header_length") % 8, ==, 0);
}

static void
test_read_int64 (void)
{
  g_autofree char *path = data_path ("reference.safetensors");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbSafetensors) st = gb_safetensors_open (path, &error);
  const GbSafetensorsTensor *t;
  gint64 v[3];

  g_assert_no_error (error);
  t = gb_safetensors_lookup (st, "ids");
  g_assert_nonnull (t);
  g_assert_cmpint (t->dtype, ==, GB_SAFETENSORS_I64);
  memcpy (v, t->data, sizeof v);
  g_assert_cmpint (GINT64_FROM_LE (v[0]), ==, 7);
  g_assert_cmpint (GINT64_FROM_LE (v[1]), ==, -3);
  g_assert_cmpint (GINT64_FROM_LE (v[2]), ==, G_GINT64_CONSTANT (1) << 40);
}

/* ---- writing -------------------------------------------------------------------- */

/* Re-adding every tensor of the reference file, in another order, must give
 * the same bytes as the independent writer did. */
static void
test_write_matches_reference (void)
{
  g_autofree char *path = data_path ("reference.safetensors");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbSafetensors) st = gb_safetensors_open (path, &error);
  g_autoptr(GbSafetensorsWriter) w = gb_safetensors_writer_new ();
  g_autoptr(GBytes) out = NULL;
  g_autofree char *ref = NULL;
  gsize ref_len;
  GHashTableIter it;
  gpointer k, v;

  g_assert_no_error (error);
  for (int i = (int) gb_safetensors_get_n_tensors (st) - 1; i >= 0; i--)
    {
      const GbSafetensorsTensor *t = gb_safetensors_get_tensor (st, i);
      g_assert_true (gb_safetensors_writer_add (w, t->name, t->dtype, t->shape, t->n_dims,
                                                t->data, &error));
      g_assert_no_error (error);
    }
  g_hash_table_iter_init (&it, gb_safetensors_get_metadata_table (st));
  while (g_hash_table_iter_next (&it, &k, &v))
    gb_safetensors_writer_set_metadata (w, k, v);
  out = gb_safetensors_writer_to_bytes (w);
  g_assert_true (g_file_get_contents (path, &ref, &ref_len, NULL));
  g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), ref, ref_len);
}

static void
test_write_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gb-st-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "m.safetensors", NULL);
  g_autoptr(GbSafetensorsWriter) w = gb_safetensors_writer_new ();
  g_autoptr(GError) error = NULL;
  float a[6] = { 1.5f, -2.0f, 3.25f, NAN, INFINITY, -0.0f };
  double b[2] = { 0.1, -1e300 };
  gsize sa[2] = { 2, 3 }, sb[1] = { 2 };
  float ra[6], rb[2];

  g_assert_true (gb_safetensors_writer_add_f32 (w, "layer.a", sa, 2, a, &error));
  g_assert_true (gb_safetensors_writer_add (w, "layer.b", GB_SAFETENSORS_F64, sb, 1, b, &error));
  g_assert_no_error (error);
  /* duplicates and the reserved name are refused */
  g_assert_false (gb_safetensors_writer_add_f32 (w, "layer.a", sa, 2, a, &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (gb_safetensors_writer_add_f32 (w, "__metadata__", sa, 2, a, &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  gb_safetensors_writer_set_metadata (w, "zeta", "2");
  gb_safetensors_writer_set_metadata (w, "alpha", "1");
  g_assert_true (gb_safetensors_writer_write (w, path, &error));
  g_assert_no_error (error);

  {
    g_autoptr(GbSafetensors) st = gb_safetensors_open (path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (gb_safetensors_get_n_tensors (st), ==, 2);
    /* F64 sorts before F32 (dtype descending) */
    g_assert_cmpstr (gb_safetensors_get_tensor (st, 0)->name, ==, "layer.b");
    g_assert_true (gb_safetensors_copy_f32 (st, "layer.a", sa, 2, ra, 6, &error));
    g_assert_true (gb_safetensors_copy_f32 (st, "layer.b", sb, 1, rb, 2, &error));
    g_assert_no_error (error);
    g_assert_cmpmem (ra, sizeof ra, a, sizeof a); /* bitwise, NaN and -0 included */
    g_assert_cmpfloat (rb[0], ==, (float) 0.1);
    g_assert_true (isinf (rb[1]) && rb[1] < 0);
    g_assert_cmpstr (gb_safetensors_get_metadata (st, "alpha"), ==, "1");
    g_assert_cmpstr (gb_safetensors_get_metadata (st, "zeta"), ==, "2");
  }
  {
    /* the header of a written file: metadata first with sorted keys, padded to 8 */
    g_autofree char *contents = NULL;
    gsize len;
    guint64 n;
    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    memcpy (&n, contents, 8);
    n = GUINT64_FROM_LE (n);
    g_assert_cmpuint (n % 8, ==, 0);
    g_assert_true (g_str_has_prefix (contents + 8,
                                     "{\"__metadata__\":{\"alpha\":\"1\",\"zeta\":\"2\"},"
                                     "\"layer.b\":{\"dtype\":\"F64\",\"shape\":[2],"
                                     "\"data_offsets\":[0,16]},"));
  }
  g_remove (path);
  g_rmdir (dir);
}

/* Writing over an existing file leaves no temporary behind, and a failed
 * write (a folder in the way) names the path and leaves the target alone. */
static void
test_write_atomic (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gb-st-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "m.safetensors", NULL);
  g_autofree char *blocked = g_build_filename (dir, "sub", NULL);
  g_autoptr(GbSafetensorsWriter) w = gb_safetensors_writer_new ();
  g_autoptr(GError) error = NULL;
  float a[2] = { 1, 2 };
  gsize s[1] = { 2 };
  GDir *d;
  const char *name;
  guint n = 0;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (gb_safetensors_writer_add_f32 (w, "a", s, 1, a, &error));
  g_assert_true (gb_safetensors_writer_write (w, path, &error));
  g_assert_no_error (error);
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_assert_cmpstr (name, ==, "m.safetensors");
      n++;
    }
  g_dir_close (d);
  g_assert_cmpuint (n, ==, 1);

  g_assert_cmpint (g_mkdir (blocked, 0755), ==, 0);
  g_assert_false (gb_safetensors_writer_write (w, blocked, &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, blocked));
  g_assert_true (g_file_test (blocked, G_FILE_TEST_IS_DIR));
  g_rmdir (blocked);
  g_remove (path);
  g_rmdir (dir);
}

static void
test_shape_mismatch_message (void)
{
  g_autofree char *path = data_path ("reference.safetensors");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbSafetensors) st = gb_safetensors_open (path, &error);
  gsize want[2] = { 4, 3 };
  float buf[12];

  g_assert_false (gb_safetensors_copy_f32 (st, "encoder.layer.0.weight", want, 2, buf, 12, &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message,
                            "tensor “encoder.layer.0.weight” has shape [3, 4], expected [4, 3]"));
  g_clear_error (&error);
  g_assert_false (gb_safetensors_copy_f32 (st, "nope", want, 2, buf, 12, &error));
  g_assert_nonnull (strstr (error->message, "tensor “nope” is missing (expected shape [4, 3])"));
}

static void
test_open_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GbSafetensors) st = gb_safetensors_open ("/nonexistent/x.safetensors", &error);
  g_assert_null (st);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/x.safetensors"));
}

/* Every prefix of a valid file is refused (never a crash, never accepted). */
static void
test_every_truncation (void)
{
  g_autofree char *path = data_path ("reference.safetensors");
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GBytes) b = g_bytes_new (contents, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(GbSafetensors) st = gb_safetensors_new_from_bytes (b, "cut.safetensors", &error);
      g_assert_null (st);
      g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, "cut.safetensors: "));
    }
}

static void
test_half_conversions (void)
{
  /* every half value widens and narrows back to itself (NaN payloads aside) */
  for (guint32 h = 0; h < 0x10000; h++)
    {
      float f = gb_half_to_float ((guint16) h);
      if (isnan (f))
        continue;
      g_assert_cmpuint (gb_float_to_half (f), ==, h);
    }
  g_assert_cmpuint (gb_float_to_half (65520.0f), ==, 0x7c00);     /* rounds up to inf */
  g_assert_cmpuint (gb_float_to_half (1.0f + 1.0f / 2048), ==, 0x3c00); /* tie to even */
  g_assert_cmpuint (gb_float_to_bf16 (1.0f + 1.0f / 256), ==, 0x3f80);  /* tie to even */
  g_assert_cmpfloat (gb_bf16_to_float (gb_float_to_bf16 (3.0f)), ==, 3.0f);
}

/* ---- the broken corpus ----------------------------------------------------------- */

static void
test_broken (gconstpointer data)
{
  const char *const *pair = data; /* file, phrase */
  g_autofree char *rel = g_build_filename ("broken", pair[0], NULL);
  g_autofree char *path = data_path (rel);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbSafetensors) st = gb_safetensors_open (path, &error);

  g_assert_null (st);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
  if (strstr (error->message, pair[1]) == NULL)
    g_error ("%s: message “%s” lacks “%s”", pair[0], error->message, pair[1]);
  g_assert_true (g_str_has_prefix (error->message, path));
}

int
main (int argc, char **argv)
{
  JsonParser *parser = NULL;
  JsonObject *broken;
  GList *names;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/model/safetensors/read-reference", test_read_reference);
  g_test_add_func ("/engine/model/safetensors/read-int64", test_read_int64);
  g_test_add_func ("/engine/model/safetensors/write-matches-reference", test_write_matches_reference);
  g_test_add_func ("/engine/model/safetensors/write-round-trip", test_write_round_trip);
  g_test_add_func ("/engine/model/safetensors/write-atomic", test_write_atomic);
  g_test_add_func ("/engine/model/safetensors/shape-mismatch-message", test_shape_mismatch_message);
  g_test_add_func ("/engine/model/safetensors/open-missing-file", test_open_missing_file);
  g_test_add_func ("/engine/model/safetensors/every-truncation", test_every_truncation);
  g_test_add_func ("/engine/model/safetensors/half-conversions", test_half_conversions);

  broken = load_json ("broken/expected.json", &parser);
  names = json_object_get_members (broken);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char **pair = g_new (const char *, 2);
      g_autofree char *base = g_strndup (l->data, strlen (l->data) - strlen (".safetensors"));
      g_autofree char *tpath = g_strdup_printf ("/engine/model/safetensors/broken/%s", base);
      pair[0] = g_strdup (l->data);
      pair[1] = g_strdup (json_object_get_string_member (broken, l->data));
      g_test_add_data_func (tpath, pair, test_broken);
    }
  g_list_free (names);
  {
    int rc = g_test_run ();
    g_object_unref (parser);
    return rc;
  }
}
