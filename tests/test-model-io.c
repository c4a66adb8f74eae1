/* test-model-io.c — engine/model/gb-model-io: a tabular model trained for one
 * epoch on a slice of data/examples/adult/adult.csv is saved and loaded back
 * with bitwise-identical parameters, schema and predictions; the JSON records
 * the schema, the training settings and the data's sha256; a tampered or
 * mismatched folder gives an error naming the file and tensor; a text model
 * round-trips with its vocabulary; --model=DIR's dispatcher opens both kinds. */
#include "gb-config.h"
#include "gb-model-io.h"
#include "gb-hf-import.h"
#include "gb-model-private.h"
#include "gb-safetensors.h"
#include "gb-variable.h"
#include "gb-audit.h"
#include "gb-audit-private.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define N_SLICE 3000

static GbDataset *ds;
static double *y;
static guint8 *split;
static GbModel *trained;
static char *slice_path;
static char *slice_sha;

static const char *const features[] = {
  "age", "workclass", "education", "education-num", "marital-status", "occupation",
  "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week",
};

static void
rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      GDir *d = g_dir_open (path, 0, NULL);
      const char *name;
      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      if (d != NULL)
        g_dir_close (d);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* The first N_SLICE rows of Adult, written to a temporary CSV (so the model
 * records a real file and its hash), and a model trained on it for 1 epoch. */
static void
setup_trained (void)
{
  const char *src = g_getenv ("GB_SOURCE_DIR");
  g_autofree char *path = g_build_filename (src != NULL ? src : GB_SOURCE_DIR, "data",
                                            "examples", "adult", "adult.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GbTransformerConfig tc;
  GbTrainConfig train;
  char *p;
  gsize n;
  guint lines = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  for (p = text; *p != '\0' && lines <= N_SLICE; p++)
    if (*p == '\n')
      lines++;
  {
    g_autofree char *dir = g_dir_make_tmp ("gb-io-data-XXXXXX", NULL);
    slice_path = g_build_filename (dir, "adult-slice.csv", NULL);
  }
  g_assert_true (g_file_set_contents (slice_path, text, p - text, NULL));
  slice_sha = gb_sha256_file (slice_path, &error);
  g_assert_no_error (error);
  ds = gb_dataset_new_from_file (slice_path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  n = gb_dataset_get_n_rows (ds);
  g_assert_cmpuint (n, ==, N_SLICE);
  y = g_new (double, n);
  split = g_new (guint8, n);
  g_assert_true (gb_dataset_eval_variable (ds, "income-per-year", ">50K", y, &error));
  g_assert_no_error (error);
  for (gsize r = 0; r < n; r++)
    split[r] = r % 5 == 0 ? 1 : 0;

  gb_transformer_config_init_default (&tc);
  tc.d_model = 16;
  tc.d_ff = 32;
  trained = gb_model_new_tabular (ds, features, G_N_ELEMENTS (features), NULL, 2, &tc, 7, &error);
  g_assert_no_error (error);
  gb_train_config_init_default (&train);
  train.epochs = 1;
  train.batch_size = 128;
  train.n_threads = 1;
  g_assert_true (gb_model_train (trained, ds, y, split, &train, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fill_info (GbModelInfo *info, char **labels)
{
  memset (info, 0, sizeof *info);
  info->source = "trained";
  info->target = "income-per-year";
  info->class_labels = labels;
  info->data_path = slice_path;
  info->data_sha256 = slice_sha;
  info->n_train_rows = N_SLICE - N_SLICE / 5;
  info->n_validation_rows = N_SLICE / 5;
  info->has_train_config = TRUE;
  gb_train_config_init_default (&info->train);
  info->train.epochs = 1;
  info->train.batch_size = 128;
  info->train.n_threads = 1;
  info->init_seed = 7;
}

static char *
save_trained (void)
{
  char *labels[] = { "<=50K", ">50K", NULL };
  g_autoptr(GError) error = NULL;
  GbModelInfo info;
  g_autofree char *tmp = g_dir_make_tmp ("gb-io-XXXXXX", NULL);
  char *dir = g_build_filename (tmp, "model", NULL); /* created by the save */

  fill_info (&info, labels);
  g_assert_true (gb_model_io_save (trained, NULL, &info, dir, &error));
  g_assert_no_error (error);
  return dir;
}

static void
predict_all (GbModel *m, double *out)
{
  gsize n = gb_dataset_get_n_rows (ds);
  g_autofree gsize *rows = g_new (gsize, n);
  g_autoptr(GError) error = NULL;
  for (gsize r = 0; r < n; r++)
    rows[r] = r;
  g_assert_true (gb_model_predict_proba (m, ds, rows, n, out, NULL, &error));
  g_assert_no_error (error);
}

static void
test_round_trip_bitwise (void)
{
  g_autofree char *dir = save_trained ();
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) loaded = NULL;
  gsize n = gb_dataset_get_n_rows (ds), na, nb;
  g_autofree double *pa = g_new (double, n * 2);
  g_autofree double *pb = g_new (double, n * 2);
  float *a, *b;
  const GbTransformerConfig *ca, *cb;
  GbModelInfo info;
  gboolean differs_from_init = FALSE;

  loaded = gb_model_io_load (dir, &info, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  /* parameters, bit for bit */
  a = gb_model_get_parameters (trained, &na);
  b = gb_model_get_parameters (loaded, &nb);
  g_assert_cmpuint (na, ==, nb);
  g_assert_cmpmem (a, na * sizeof (float), b, nb * sizeof (float));
  /* architecture and schema */
  ca = gb_model_get_config (trained);
  cb = gb_model_get_config (loaded);
  g_assert_cmpuint (ca->n_layers, ==, cb->n_layers);
  g_assert_cmpuint (ca->d_model, ==, cb->d_model);
  g_assert_cmpuint (ca->n_heads, ==, cb->n_heads);
  g_assert_cmpuint (ca->d_ff, ==, cb->d_ff);
  g_assert_cmpfloat (ca->layer_norm_eps, ==, cb->layer_norm_eps);
  g_assert_cmpuint (gb_model_get_n_classes (loaded), ==, 2);
  g_assert_cmpuint (gb_model_get_n_features (loaded), ==, G_N_ELEMENTS (features));
  for (guint j = 0; j < G_N_ELEMENTS (features); j++)
    {
      GbModelFeatureSpec sa = { 0 }, sb = { 0 };
      gb_model_get_feature_spec (trained, j, &sa);
      gb_model_get_feature_spec (loaded, j, &sb);
      g_assert_cmpstr (sa.name, ==, sb.name);
      g_assert_cmpint (sa.categorical, ==, sb.categorical);
      g_assert_cmpuint (sa.n_levels, ==, sb.n_levels);
      g_assert_cmpmem (&sa.mean, sizeof (double), &sb.mean, sizeof (double));
      g_assert_cmpmem (&sa.sd, sizeof (double), &sb.sd, sizeof (double));
      for (guint i = 0; i < sa.n_levels; i++)
        g_assert_cmpstr (sa.levels[i], ==, sb.levels[i]);
    }

  /* predictions, bit for bit, on every row of the slice */
  predict_all (trained, pa);
  predict_all (loaded, pb);
  g_assert_cmpmem (pa, n * 2 * sizeof (double), pb, n * 2 * sizeof (double));

  /* a freshly initialised model predicts differently: the load did something */
  {
    GbTransformerConfig tc = *ca;
    g_autoptr(GbModel) fresh = gb_model_new_tabular (ds, features, G_N_ELEMENTS (features), NULL,
                                                     2, &tc, 7, &error);
    g_autofree double *pf = g_new (double, n * 2);
    predict_all (fresh, pf);
    differs_from_init = memcmp (pf, pa, n * 2 * sizeof (double)) != 0;
  }
  g_assert_true (differs_from_init);

  /* the recorded info */
  g_assert_cmpstr (info.source, ==, "trained");
  g_assert_cmpstr (info.target, ==, "income-per-year");
  g_assert_cmpstr (info.class_labels[1], ==, ">50K");
  g_assert_cmpstr (info.data_path, ==, slice_path);
  g_assert_cmpstr (info.data_sha256, ==, slice_sha);
  g_assert_cmpuint (info.n_train_rows, ==, N_SLICE - N_SLICE / 5);
  g_assert_true (info.has_train_config);
  g_assert_cmpuint (info.train.epochs, ==, 1);
  g_assert_cmpuint (info.train.batch_size, ==, 128);
  g_assert_cmpfloat (info.train.learning_rate, ==, 1e-3);
  g_assert_cmpuint (info.init_seed, ==, 7);
  gb_model_info_clear (&info);
  rm_rf (parent);
}

static void
test_json_contents (void)
{
  g_autofree char *dir = save_trained ();
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *jpath = g_build_filename (dir, "glassbox-model.json", NULL);
  g_autofree char *wpath = g_build_filename (dir, "model.safetensors", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *wsha = NULL;
  JsonObject *root, *f0, *f1;
  JsonArray *feats, *levels;
  const GbColumn *wc;

  g_assert_true (json_parser_load_from_file (parser, jpath, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "glassbox-model");
  g_assert_cmpint (json_object_get_int_member (root, "format_version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "kind"), ==, "tabular");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "architecture"),
                                               "d_model"), ==, 16);
  feats = json_object_get_array_member (root, "features");
  g_assert_cmpuint (json_array_get_length (feats), ==, G_N_ELEMENTS (features));
  f0 = json_array_get_object_element (feats, 0);
  g_assert_cmpstr (json_object_get_string_member (f0, "name"), ==, "age");
  g_assert_cmpstr (json_object_get_string_member (f0, "type"), ==, "numeric");
  g_assert_true (json_object_get_double_member (f0, "sd") > 0);
  f1 = json_array_get_object_element (feats, 1);
  g_assert_cmpstr (json_object_get_string_member (f1, "type"), ==, "categorical");
  levels = json_object_get_array_member (f1, "levels");
  wc = gb_dataset_get_column (ds, gb_dataset_find_column (ds, "workclass"));
  g_assert_cmpuint (json_array_get_length (levels), ==, wc->levels->len);
  for (guint i = 0; i < wc->levels->len; i++)
    g_assert_cmpstr (json_array_get_string_element (levels, i), ==,
                     g_ptr_array_index (wc->levels, i));
  g_assert_true (json_object_get_null_member (root, "vocabulary"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "training_data"),
                                                  "sha256"), ==, slice_sha);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "training"),
                                               "epochs"), ==, 1);
  wsha = gb_sha256_file (wpath, &error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "parameters"),
                                                  "sha256"), ==, wsha);
  {
    /* the tensors carry the model's checkpoint names */
    g_autoptr(GbSafetensors) st = gb_safetensors_open (wpath, &error);
    g_assert_no_error (error);
    g_assert_nonnull (gb_safetensors_lookup (st, "glassbox.features.table"));
    g_assert_nonnull (gb_safetensors_lookup (st, "bert.encoder.layer.1.attention.self.query.weight"));
    g_assert_nonnull (gb_safetensors_lookup (st, "classifier.weight"));
    g_assert_cmpstr (gb_safetensors_get_metadata (st, "format"), ==, "pt");
  }
  rm_rf (parent);
}

static void
test_tampered_parameters (void)
{
  g_autofree char *dir = save_trained ();
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *wpath = g_build_filename (dir, "model.safetensors", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) m = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (wpath, &text, &len, NULL));
  text[len - 1] ^= 0x01; /* one bit of the last parameter */
  g_assert_true (g_file_set_contents (wpath, text, len, NULL));
  m = gb_model_io_load (dir, NULL, NULL, &error);
  g_assert_null (m);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, wpath));
  g_assert_nonnull (strstr (error->message, "the parameters were changed or replaced after saving"));
  rm_rf (parent);
}

/* glassbox-model.json describing another architecture than the tensors. */
static void
test_mismatched_description (void)
{
  g_autofree char *dir = save_trained ();
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *jpath = g_build_filename (dir, "glassbox-model.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) m = NULL;
  g_auto(GStrv) parts = NULL;

  g_assert_true (g_file_get_contents (jpath, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"d_ff\" : 32"));
  parts = g_strsplit (text, "\"d_ff\" : 32", 2);
  edited = g_strjoinv ("\"d_ff\" : 24", parts);
  g_assert_true (g_file_set_contents (jpath, edited, -1, NULL));
  m = gb_model_io_load (dir, NULL, NULL, &error);
  g_assert_null (m);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "tensor “bert.encoder.layer.0.intermediate.dense.weight” "
                            "has shape [32, 16], expected [24, 16]"));
  rm_rf (parent);
}

static void
test_not_a_saved_model (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gb-io-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) m = gb_model_io_load (dir, NULL, NULL, &error);
  g_autofree char *jpath = g_build_filename (dir, "glassbox-model.json", NULL);

  g_assert_null (m);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "has no glassbox-model.json"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (jpath, "{\"format\": \"glassbox-model\", \"format_version\": 9}",
                                      -1, NULL));
  m = gb_model_io_load (dir, NULL, NULL, &error);
  g_assert_null (m);
  g_assert_nonnull (strstr (error->message, "format_version 9 is not supported"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (jpath, "{\"format\": ", -1, NULL));
  m = gb_model_io_load (dir, NULL, NULL, &error);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, jpath));
  rm_rf (dir);
}

/* A text model (the tiny BERT checkpoint's shape) with its tokenizer. */
static void
test_text_model_round_trip (void)
{
  const char *data = g_getenv ("GB_TEST_DATA");
  g_autofree char *hf = g_build_filename (data, "hf", "tiny-bert", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("gb-io-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbTokenizer) tok = gb_tokenizer_new_from_dir (hf, &error);
  g_autoptr(GbTokenizer) tok2 = NULL;
  g_autoptr(GbModel) m = NULL;
  g_autoptr(GbModel) back = NULL;
  GbTransformerConfig tc = { 0 };
  const gint32 ids[2 * 8] = { 2, 21, 22, 36, 7, 27, 3, 0, 2, 35, 24, 3, 0, 0, 0, 0 };
  const guint8 mask[2 * 8] = { 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0 };
  GbModelInputs in = { NULL, NULL, ids, mask };
  double pa[4], pb[4];
  gsize na, nb;

  g_assert_no_error (error);
  tc.n_layers = 2;
  tc.d_model = 16;
  tc.n_heads = 4;
  tc.d_ff = 32;
  tc.vocab_size = 40;
  tc.max_length = 8;
  tc.max_position = 32;
  tc.type_vocab_size = 2;
  tc.layer_norm_eps = 1e-12;
  tc.pooler = TRUE;
  m = gb_model_new_from_config (&tc, 2, NULL, 0, "review", 11, &error);
  g_assert_no_error (error);
  gb_model_use_tokenizer (m, tok);
  g_assert_true (gb_model_io_save (m, tok, NULL, tmp, &error));
  g_assert_no_error (error);
  back = gb_model_io_load (tmp, NULL, &tok2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tok2);
  g_assert_cmpuint (gb_tokenizer_get_vocab_size (tok2), ==, 40);
  g_assert_true (gb_model_get_tokenizer (back) == (gpointer) tok2);
  g_assert_false (gb_tokenizer_get_lower_case (tok2) != gb_tokenizer_get_lower_case (tok));
  g_assert_cmpstr (gb_model_get_text_column (back), ==, "review");
  g_assert_cmpuint (gb_model_get_max_length (back), ==, 8);
  g_assert_cmpmem (gb_model_get_parameters (m, &na), na * sizeof (float),
                   gb_model_get_parameters (back, &nb), nb * sizeof (float));
  g_assert_true (gb_model_predict_inputs (m, &in, 2, pa, NULL, &error));
  g_assert_true (gb_model_predict_inputs (back, &in, 2, pb, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (pa, sizeof pa, pb, sizeof pb);
  {
    /* a text model cannot be saved without its tokenizer */
    g_assert_false (gb_model_io_save (m, NULL, NULL, tmp, &error));
    g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
  }
  rm_rf (tmp);
}

/* --model=DIR opens a Hugging Face checkpoint folder too. */
static void
test_open_dispatches (void)
{
  const char *data = g_getenv ("GB_TEST_DATA");
  g_autofree char *hf = g_build_filename (data, "hf", "tiny-distilbert", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbTokenizer) tok = NULL;
  g_autoptr(GbModel) m = NULL;
  GbModelInfo info;

  m = gb_model_io_open (hf, &info, &tok, &error);
  g_assert_no_error (error);
  g_assert_nonnull (m);
  g_assert_nonnull (tok);
  g_assert_true (g_str_has_prefix (info.source, "huggingface:"));
  g_assert_cmpstr (info.class_labels[0], ==, "NEGATIVE");
  g_assert_cmpuint (gb_model_get_config (m)->vocab_size, ==, 40);
  gb_model_info_clear (&info);
  {
    g_autofree char *dir = save_trained ();
    g_autofree char *parent = g_path_get_dirname (dir);
    g_autoptr(GbModel) t = gb_model_io_open (dir, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (gb_model_get_n_features (t), ==, G_N_ELEMENTS (features));
    rm_rf (parent);
  }
}

/* An imported BERT checkpoint saved by Glassbox is again a Hugging Face
 * checkpoint folder (config.json, vocab.txt, model.safetensors) that imports
 * to the same predictions, bit for bit. */
static void
test_bert_export_round_trip (void)
{
  const char *data = g_getenv ("GB_TEST_DATA");
  g_autofree char *hf = g_build_filename (data, "hf", "tiny-bert", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("gb-io-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (tmp, "config.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbTokenizer) tok = NULL;
  g_autoptr(GbModel) m = NULL;
  g_autoptr(GbModel) back = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = NULL;
  char *labels[] = { "NEGATIVE", "POSITIVE", NULL };
  GbModelInfo info = { 0 };
  const gint32 ids[2 * 8] = { 2, 21, 22, 36, 7, 27, 3, 0, 2, 35, 24, 3, 0, 0, 0, 0 };
  const guint8 mask[2 * 8] = { 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0 };
  guint S;
  g_autofree gint32 *pid = NULL;
  g_autofree guint8 *pmask = NULL;
  double pa[4], pb[4];

  m = gb_model_io_open (hf, NULL, &tok, &error);
  g_assert_no_error (error);
  info.class_labels = labels;
  info.source = "huggingface:tiny-bert";
  g_assert_true (gb_model_io_save (m, tok, &info, tmp, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (config, G_FILE_TEST_IS_REGULAR));

  ckpt = gb_hf_checkpoint_open (tmp, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gb_hf_checkpoint_get_config (ckpt)->hidden_size, ==, 16);
  g_assert_cmpuint (gb_hf_checkpoint_get_config (ckpt)->max_position_embeddings, ==, 32);
  g_assert_cmpstr (gb_hf_checkpoint_get_config (ckpt)->id2label[1], ==, "POSITIVE");
  back = gb_hf_import_model (tmp, NULL, NULL, &error);
  g_assert_no_error (error);

  S = gb_model_get_max_length (m);
  g_assert_cmpuint (gb_model_get_max_length (back), ==, S);
  pid = g_new0 (gint32, 2 * S);
  pmask = g_new0 (guint8, 2 * S);
  for (guint b = 0; b < 2; b++)
    for (guint t = 0; t < 8; t++)
      {
        pid[b * S + t] = ids[b * 8 + t];
        pmask[b * S + t] = mask[b * 8 + t];
      }
  {
    GbModelInputs in = { NULL, NULL, pid, pmask };
    g_assert_true (gb_model_predict_inputs (m, &in, 2, pa, NULL, &error));
    g_assert_true (gb_model_predict_inputs (back, &in, 2, pb, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpmem (pa, sizeof pa, pb, sizeof pb);
  rm_rf (tmp);
}

/* GbAudit with save_model_dir (--save-model) then model_dir (--model): the
 * second audit trains nothing and reproduces the first one's held-out
 * metrics and model exactly. */
static GbAudit *
run_audit (const char *model_dir, const char *save_dir)
{
  GbAudit *audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  g_autoptr(GError) error = NULL;

  s->csv_path = g_strdup (slice_path);
  s->target = g_strdup ("income-per-year");
  s->positive = g_strdup (">50K");
  s->train.epochs = 1;
  s->train.n_threads = 1;
  s->explain_rows = 0;
  s->bootstrap = 0;
  if (model_dir == NULL)
    {
      /* not the defaults, so that the loading audit must take them from the folder */
      s->model.d_model = 16;
      s->model.d_ff = 48;
    }
  s->model_dir = g_strdup (model_dir);
  s->save_model_dir = g_strdup (save_dir);
  gb_audit_set_dataset (audit, ds);
  g_assert_true (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return audit;
}

static void
test_audit_save_then_model (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("gb-io-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "saved", NULL);
  g_autoptr(GbAudit) first = run_audit (NULL, dir);
  g_autoptr(GbAudit) second = NULL;
  const GbAuditResults *a, *b;
  gsize na, nb;
  GbModelInfo info;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) m = NULL;

  g_assert_true (gb_model_io_is_saved_model (dir));
  m = gb_model_io_load (dir, &info, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info.data_sha256, ==, gb_dataset_get_sha256 (ds));
  g_assert_cmpstr (info.class_labels[1], ==, ">50K");
  g_assert_cmpstr (info.target, ==, "income-per-year");
  g_assert_true (info.has_train_config);
  gb_model_info_clear (&info);

  second = run_audit (dir, NULL);
  a = gb_audit_get_results (first);
  b = gb_audit_get_results (second);
  g_assert_true (a->has_model && b->has_model);
  g_assert_cmpuint (b->epochs_run, ==, 0);
  {
    /* the JSON says where the model came from and describes it */
    g_autofree char *json = gb_audit_to_json (second);
    g_autofree char *want = g_strdup_printf ("\"loaded_from\" : \"%s\"", dir);
    g_assert_nonnull (strstr (json, want));
    {
      g_autofree char *cmd = gb_audit_build_command_line (second);
      g_autofree char *opt = g_strdup_printf ("--model=%s", dir);
      g_autofree char *q = g_shell_quote (opt);
      g_assert_true (strstr (cmd, opt) != NULL || strstr (cmd, q) != NULL);
    }
    g_assert_cmpuint (gb_audit_get_settings (second)->model.d_model, ==, 16);
    g_assert_cmpuint (gb_audit_get_settings (second)->model.d_ff, ==, 48);
    g_assert_cmpuint (gb_audit_get_settings (second)->train.epochs, ==, 1);
  }
  g_assert_cmpfloat (a->roc_auc, ==, b->roc_auc);
  g_assert_cmpfloat (a->accuracy, ==, b->accuracy);
  g_assert_cmpfloat (a->final_val_loss, ==, b->final_val_loss);
  g_assert_cmpmem (gb_model_get_parameters (gb_audit_get_model (first), &na), na * sizeof (float),
                   gb_model_get_parameters (gb_audit_get_model (second), &nb), nb * sizeof (float));
  rm_rf (tmp);
}

static void
test_open_nothing (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("gb-io-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) m = gb_model_io_open (tmp, NULL, NULL, &error);
  g_assert_null (m);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "holds neither glassbox-model.json"));
  g_clear_error (&error);
  m = gb_model_io_open ("/nonexistent/model", NULL, NULL, &error);
  g_assert_nonnull (strstr (error->message, "/nonexistent/model is not a folder"));
  rm_rf (tmp);
}

/* Text models through the audit: --text with --save-model, then --model
 * without --text (the folder records its text column and vocabulary); a
 * Hugging Face checkpoint with --text; without --text it is refused. */
static char *
sms_slice (guint n_rows)
{
  const char *src = g_getenv ("GB_SOURCE_DIR");
  g_autofree char *path = g_build_filename (src != NULL ? src : GB_SOURCE_DIR, "data",
                                            "examples", "sms_spam", "sms_spam.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gb-io-sms-XXXXXX", NULL);
  char *out = g_build_filename (dir, "sms-slice.csv", NULL);
  g_autoptr(GbDataset) probe = NULL;
  gsize len;
  guint lines = 0;
  char *p;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  /* whole CSV records: cut after n_rows + 1 newlines outside quotes */
  {
    gboolean quoted = FALSE;
    for (p = text; *p != '\0' && lines <= n_rows; p++)
      {
        if (*p == '"')
          quoted = !quoted;
        else if (*p == '\n' && !quoted)
          lines++;
      }
  }
  g_assert_true (g_file_set_contents (out, text, p - text, NULL));
  probe = gb_dataset_new_from_file (out, NULL, NULL, NULL, NULL);
  g_assert_nonnull (probe);
  g_assert_cmpuint (gb_dataset_get_n_rows (probe), ==, n_rows);
  return out;
}

static GbAudit *
run_text_audit (const char *csv, const char *text, const char *model_dir, const char *save_dir,
                GError **error)
{
  GbAudit *audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);

  s->csv_path = g_strdup (csv);
  s->target = g_strdup ("label");
  if (text != NULL)
    gb_audit_use_text (audit, text);
  s->model.n_layers = 1;
  s->train.epochs = 1;
  s->train.n_threads = 1;
  s->explain_rows = 0;
  s->bootstrap = 0;
  s->model_dir = g_strdup (model_dir);
  s->save_model_dir = g_strdup (save_dir);
  if (!gb_audit_run (audit, NULL, NULL, NULL, error))
    g_clear_object (&audit);
  return audit;
}

static void
test_text_audit_save_then_model (void)
{
  g_autofree char *csv = sms_slice (600);
  g_autofree char *csv_dir = g_path_get_dirname (csv);
  g_autofree char *dir = g_build_filename (csv_dir, "saved", NULL);
  g_autofree char *vocab = g_build_filename (dir, "vocab.txt", NULL);
  const char *data = g_getenv ("GB_TEST_DATA");
  g_autofree char *hf = g_build_filename (data, "hf", "tiny-bert", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbAudit) first = run_text_audit (csv, "text", NULL, dir, &error);
  g_autoptr(GbAudit) second = NULL;
  g_autoptr(GbAudit) third = NULL;
  g_autoptr(GbAudit) fourth = NULL;
  const GbAuditResults *a, *b, *c;
  gsize na, nb;

  g_assert_no_error (error);
  g_assert_true (g_file_test (vocab, G_FILE_TEST_IS_REGULAR));
  second = run_text_audit (csv, NULL, dir, NULL, &error);
  g_assert_no_error (error);
  a = gb_audit_get_results (first);
  b = gb_audit_get_results (second);
  g_assert_cmpstr (b->text_column, ==, "text");
  g_assert_cmpuint (b->vocab_size, ==, a->vocab_size);
  g_assert_cmpuint (b->epochs_run, ==, 0);
  g_assert_cmpfloat (a->roc_auc, ==, b->roc_auc);
  g_assert_cmpfloat (a->accuracy, ==, b->accuracy);
  g_assert_cmpmem (gb_model_get_parameters (gb_audit_get_model (first), &na), na * sizeof (float),
                   gb_model_get_parameters (gb_audit_get_model (second), &nb), nb * sizeof (float));

  /* a checkpoint folder reads the column --text names */
  third = run_text_audit (csv, "text", hf, NULL, &error);
  g_assert_no_error (error);
  c = gb_audit_get_results (third);
  g_assert_true (c->has_model);
  g_assert_cmpuint (c->vocab_size, ==, 40);
  g_assert_cmpuint (c->epochs_run, ==, 0);
  fourth = run_text_audit (csv, NULL, hf, NULL, &error);
  g_assert_null (fourth);
  /* a usage error (exit 2), not a file error: the folder is fine */
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "give --text=COLUMN"));
  g_clear_error (&error);
  /* a saved text model refuses another text column */
  {
    g_autoptr(GbModel) m = gb_model_io_open_with_text (dir, "review", NULL, NULL, &error);
    g_assert_null (m);
    g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "reads its text from the column “text”, not “review”"));
    g_clear_error (&error);
  }
  rm_rf (csv_dir);
}

int
main (int argc, char **argv)
{
  int rc;
  g_test_init (&argc, &argv, NULL);
  setup_trained ();
  g_test_add_func ("/engine/model/io/round-trip-bitwise", test_round_trip_bitwise);
  g_test_add_func ("/engine/model/io/json-contents", test_json_contents);
  g_test_add_func ("/engine/model/io/tampered-parameters", test_tampered_parameters);
  g_test_add_func ("/engine/model/io/mismatched-description", test_mismatched_description);
  g_test_add_func ("/engine/model/io/not-a-saved-model", test_not_a_saved_model);
  g_test_add_func ("/engine/model/io/text-model-round-trip", test_text_model_round_trip);
  g_test_add_func ("/engine/model/io/open-dispatches", test_open_dispatches);
  g_test_add_func ("/engine/model/io/open-nothing", test_open_nothing);
  g_test_add_func ("/engine/model/io/bert-export-round-trip", test_bert_export_round_trip);
  g_test_add_func ("/engine/model/io/audit-save-then-model", test_audit_save_then_model);
  g_test_add_func ("/engine/model/io/text-audit-save-then-model", test_text_audit_save_then_model);
  rc = g_test_run ();
  {
    g_autofree char *dir = g_path_get_dirname (slice_path);
    rm_rf (dir);
  }
  return rc;
}
