/* test-hf-import.c — engine/model/gb-hf-import: tiny BERT and DistilBERT
 * checkpoints written by tests/reference/make_hf_checkpoints.py (Hugging Face
 * names, random weights, num_labels 2), loaded into a parameter table;
 * broken variants (missing tensor, wrong shape, truncated file, vocabulary
 * size, unsupported settings, a pickle) each with the message that names the
 * tensor and the expected shape. */
#include "gb-config.h"
#include "gb-hf-import.h"
#include "gb-model-private.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

static char *
hf_path (const char *name)
{
  const char *dir = g_getenv ("GB_TEST_DATA");
  g_assert_nonnull (dir);
  return g_build_filename (dir, "hf", name, NULL);
}

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

/* ---- making variants of a checkpoint ---------------------------------------------------- */

typedef enum { EDIT_NONE, EDIT_DROP, EDIT_RESHAPE, EDIT_STRIP_PREFIX, EDIT_TO_F16 } EditKind;

typedef struct {
  EditKind kind;
  const char *name;    /* tensor (EDIT_DROP, EDIT_RESHAPE) or prefix (EDIT_STRIP_PREFIX) */
  gsize shape[2];      /* EDIT_RESHAPE: new 2-D shape */
  const char *drop_prefix; /* additionally drop tensors whose name starts with this */
} Edit;

/* Copies checkpoint @src to a new temporary folder, rewriting
 * model.safetensors with @edit.  Returns the folder (free and rm_rf it). */
static char *
make_variant (const char *src, const Edit *edit)
{
  g_autofree char *srcdir = hf_path (src);
  char *dst = g_dir_make_tmp ("gb-hf-XXXXXX", NULL);
  const char *files[] = { "config.json", "vocab.txt", "tokenizer_config.json" };
  g_autofree char *st_in = g_build_filename (srcdir, "model.safetensors", NULL);
  g_autofree char *st_out = g_build_filename (dst, "model.safetensors", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbSafetensors) st = gb_safetensors_open (st_in, &error);
  g_autoptr(GbSafetensorsWriter) w = gb_safetensors_writer_new ();
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *a = g_build_filename (srcdir, files[i], NULL);
      g_autofree char *b = g_build_filename (dst, files[i], NULL);
      g_autofree char *text = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (a, &text, &len, NULL));
      g_assert_true (g_file_set_contents (b, text, len, NULL));
    }
  for (guint i = 0; i < gb_safetensors_get_n_tensors (st); i++)
    {
      const GbSafetensorsTensor *t = gb_safetensors_get_tensor (st, i);
      const char *name = t->name;
      if (edit->drop_prefix != NULL && g_str_has_prefix (name, edit->drop_prefix))
        continue;
      if (edit->kind == EDIT_DROP && strcmp (name, edit->name) == 0)
        continue;
      if (edit->kind == EDIT_RESHAPE && strcmp (name, edit->name) == 0)
        {
          float *data = g_new0 (float, edit->shape[0] * edit->shape[1]);
          g_ptr_array_add (keep, data);
          g_assert_true (gb_safetensors_writer_add_f32 (w, name, edit->shape, 2, data, NULL));
          continue;
        }
      if (edit->kind == EDIT_STRIP_PREFIX && g_str_has_prefix (name, edit->name))
        name += strlen (edit->name);
      if (edit->kind == EDIT_TO_F16 && t->dtype == GB_SAFETENSORS_F32)
        {
          float *f = g_new (float, MAX (t->n_elements, 1));
          guint16 *h = g_new (guint16, MAX (t->n_elements, 1));
          g_assert_true (gb_safetensors_tensor_to_f32 (t, f));
          for (gsize k = 0; k < t->n_elements; k++)
            h[k] = GUINT16_TO_LE (gb_float_to_half (f[k]));
          g_free (f);
          g_ptr_array_add (keep, h);
          g_assert_true (gb_safetensors_writer_add (w, name, GB_SAFETENSORS_F16, t->shape,
                                                    t->n_dims, h, NULL));
          continue;
        }
      g_assert_true (gb_safetensors_writer_add (w, name, t->dtype, t->shape, t->n_dims, t->data,
                                                NULL));
    }
  g_assert_true (gb_safetensors_writer_write (w, st_out, &error));
  g_assert_no_error (error);
  return dst;
}

/* Replaces @from by @to in @dir/@file (which must contain it). */
static void
edit_text (const char *dir, const char *file, const char *from, const char *to)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *joined = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, from));
  parts = g_strsplit (text, from, 2);
  joined = g_strjoinv (to, parts);
  g_assert_true (g_file_set_contents (path, joined, -1, NULL));
}

static void
assert_open_fails (const char *dir, int code, const char *phrase)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = gb_hf_checkpoint_open (dir, &error);
  g_assert_null (ckpt);
  g_assert_error (error, GB_MODEL_ERROR, code);
  if (strstr (error->message, phrase) == NULL)
    g_error ("message “%s” lacks “%s”", error->message, phrase);
}

/* ---- tests ---------------------------------------------------------------------------- */

static void
test_canonical_names (void)
{
  static const char *const cases[][2] = {
    { "bert.embeddings.word_embeddings.weight", "embeddings.word_embeddings.weight" },
    { "embeddings.LayerNorm.gamma", "embeddings.LayerNorm.weight" },
    { "bert.encoder.layer.11.attention.output.LayerNorm.beta",
      "encoder.layer.11.attention.output.LayerNorm.bias" },
    { "bert.encoder.layer.0.attention.self.query.weight",
      "encoder.layer.0.attention.self.query.weight" },
    { "distilbert.transformer.layer.3.attention.q_lin.weight",
      "encoder.layer.3.attention.self.query.weight" },
    { "distilbert.transformer.layer.0.attention.out_lin.bias",
      "encoder.layer.0.attention.output.dense.bias" },
    { "transformer.layer.5.sa_layer_norm.weight", "encoder.layer.5.attention.output.LayerNorm.weight" },
    { "distilbert.transformer.layer.1.ffn.lin1.weight", "encoder.layer.1.intermediate.dense.weight" },
    { "distilbert.transformer.layer.1.ffn.lin2.bias", "encoder.layer.1.output.dense.bias" },
    { "distilbert.transformer.layer.1.output_layer_norm.bias", "encoder.layer.1.output.LayerNorm.bias" },
    { "pre_classifier.weight", "pooler.dense.weight" },
    { "bert.pooler.dense.bias", "pooler.dense.bias" },
    { "classifier.weight", "classifier.weight" },
    { "bert.embeddings.position_ids", NULL },
    { "cls.predictions.transform.dense.weight", NULL },
    { "vocab_projector.bias", NULL },
    { "bert.encoder.layer.x.output.dense.weight", NULL },
    { "bert.encoder.layer.0.output.dense.scale", NULL },
    { "glassbox.features.table", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *c = gb_hf_canonical_name (cases[i][0]);
      g_assert_cmpstr (c, ==, cases[i][1]);
    }
}

static void
test_open_bert (void)
{
  g_autofree char *dir = hf_path ("tiny-bert");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = gb_hf_checkpoint_open (dir, &error);
  const GbHfConfig *c;
  const char *const *vocab, *const *notes;
  GbTransformerConfig tc;
  gboolean saw_position_ids = FALSE;

  g_assert_no_error (error);
  c = gb_hf_checkpoint_get_config (ckpt);
  g_assert_cmpint (c->model_type, ==, GB_HF_BERT);
  g_assert_cmpuint (c->hidden_size, ==, 16);
  g_assert_cmpuint (c->num_hidden_layers, ==, 2);
  g_assert_cmpuint (c->num_attention_heads, ==, 4);
  g_assert_cmpuint (c->intermediate_size, ==, 32);
  g_assert_cmpuint (c->max_position_embeddings, ==, 32);
  g_assert_cmpuint (c->type_vocab_size, ==, 2);
  g_assert_cmpuint (c->vocab_size, ==, 40);
  g_assert_cmpfloat (c->layer_norm_eps, ==, 1e-12);
  g_assert_cmpuint (c->num_labels, ==, 2);
  g_assert_cmpstr (c->id2label[0], ==, "NEGATIVE");
  g_assert_cmpstr (c->id2label[1], ==, "POSITIVE");
  g_assert_true (c->do_lower_case);
  g_assert_cmpint (c->strip_accents, ==, -1);
  vocab = gb_hf_checkpoint_get_vocab (ckpt);
  g_assert_cmpstr (vocab[0], ==, "[PAD]");
  g_assert_cmpstr (vocab[2], ==, "[CLS]");
  g_assert_cmpstr (vocab[39], ==, "music");
  g_assert_null (vocab[40]);
  g_assert_true (gb_hf_checkpoint_has_pooler (ckpt));
  g_assert_true (gb_hf_checkpoint_has_classifier (ckpt));
  notes = gb_hf_checkpoint_get_notes (ckpt);
  for (guint i = 0; notes[i] != NULL; i++)
    saw_position_ids |= strstr (notes[i], "bert.embeddings.position_ids") != NULL;
  g_assert_true (saw_position_ids);

  gb_hf_checkpoint_transformer_config (ckpt, &tc);
  g_assert_cmpuint (tc.d_model, ==, 16);
  g_assert_cmpuint (tc.n_layers, ==, 2);
  g_assert_cmpuint (tc.n_heads, ==, 4);
  g_assert_cmpuint (tc.d_ff, ==, 32);
  g_assert_cmpuint (tc.vocab_size, ==, 40);
  g_assert_cmpuint (tc.max_position, ==, 32);
  g_assert_cmpuint (tc.max_length, ==, 32);
  g_assert_cmpuint (tc.type_vocab_size, ==, 2);
  g_assert_true (tc.pooler);
  g_assert_cmpuint (tc.pooler_activation, ==, GB_POOLER_TANH);
}

static void
test_open_distilbert (void)
{
  g_autofree char *dir = hf_path ("tiny-distilbert");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = gb_hf_checkpoint_open (dir, &error);
  GbTransformerConfig tc;

  g_assert_no_error (error);
  g_assert_cmpint (gb_hf_checkpoint_get_config (ckpt)->model_type, ==, GB_HF_DISTILBERT);
  g_assert_cmpuint (gb_hf_checkpoint_get_config (ckpt)->type_vocab_size, ==, 0);
  g_assert_null (gb_hf_checkpoint_get_notes (ckpt)[0]); /* every tensor used */
  gb_hf_checkpoint_transformer_config (ckpt, &tc);
  g_assert_cmpuint (tc.d_model, ==, 16);
  g_assert_cmpuint (tc.d_ff, ==, 32);
  g_assert_cmpuint (tc.type_vocab_size, ==, 0);
  g_assert_cmpfloat (tc.layer_norm_eps, ==, 1e-12);
  g_assert_true (tc.pooler);
  g_assert_cmpuint (tc.pooler_activation, ==, GB_POOLER_RELU);
}

/* A fake parameter table in BERT names (as the model's table would be). */
typedef struct {
  GPtrArray *names;
  GArray *targets;
  GPtrArray *buffers;
} FakeTable;

static void
fake_add (FakeTable *f, const char *name, guint n_dims, gsize d0, gsize d1, gboolean optional)
{
  GbHfTarget t = { 0 };
  char *n = g_strdup (name);
  g_ptr_array_add (f->names, n);
  t.name = n;
  t.n_dims = n_dims;
  t.shape[0] = d0;
  t.shape[1] = n_dims == 2 ? d1 : 0;
  t.dest = g_new0 (float, d0 * (n_dims == 2 ? d1 : 1));
  t.optional = optional;
  g_ptr_array_add (f->buffers, t.dest);
  g_array_append_val (f->targets, t);
}

static FakeTable *
fake_table_new (gboolean token_types)
{
  const guint H = 16, I = 32, V = 40, P = 32, L = 2, K = 2;
  FakeTable *f = g_new0 (FakeTable, 1);
  f->names = g_ptr_array_new_with_free_func (g_free);
  f->targets = g_array_new (FALSE, TRUE, sizeof (GbHfTarget));
  f->buffers = g_ptr_array_new_with_free_func (g_free);
  fake_add (f, "bert.embeddings.word_embeddings.weight", 2, V, H, FALSE);
  fake_add (f, "bert.embeddings.position_embeddings.weight", 2, P, H, FALSE);
  if (token_types)
    fake_add (f, "bert.embeddings.token_type_embeddings.weight", 2, 2, H, FALSE);
  fake_add (f, "bert.embeddings.LayerNorm.weight", 1, H, 0, FALSE);
  fake_add (f, "bert.embeddings.LayerNorm.bias", 1, H, 0, FALSE);
  for (guint l = 0; l < L; l++)
    {
      const char *mods[] = { "attention.self.query", "attention.self.key", "attention.self.value",
                             "attention.output.dense" };
      for (guint m = 0; m < G_N_ELEMENTS (mods); m++)
        {
          g_autofree char *w = g_strdup_printf ("bert.encoder.layer.%u.%s.weight", l, mods[m]);
          g_autofree char *b = g_strdup_printf ("bert.encoder.layer.%u.%s.bias", l, mods[m]);
          fake_add (f, w, 2, H, H, FALSE);
          fake_add (f, b, 1, H, 0, FALSE);
        }
      {
        g_autofree char *a = g_strdup_printf ("bert.encoder.layer.%u.attention.output.LayerNorm.weight", l);
        g_autofree char *b = g_strdup_printf ("bert.encoder.layer.%u.attention.output.LayerNorm.bias", l);
        g_autofree char *c = g_strdup_printf ("bert.encoder.layer.%u.intermediate.dense.weight", l);
        g_autofree char *d = g_strdup_printf ("bert.encoder.layer.%u.intermediate.dense.bias", l);
        g_autofree char *e = g_strdup_printf ("bert.encoder.layer.%u.output.dense.weight", l);
        g_autofree char *g = g_strdup_printf ("bert.encoder.layer.%u.output.dense.bias", l);
        g_autofree char *h = g_strdup_printf ("bert.encoder.layer.%u.output.LayerNorm.weight", l);
        g_autofree char *i = g_strdup_printf ("bert.encoder.layer.%u.output.LayerNorm.bias", l);
        fake_add (f, a, 1, H, 0, FALSE);
        fake_add (f, b, 1, H, 0, FALSE);
        fake_add (f, c, 2, I, H, FALSE);
        fake_add (f, d, 1, I, 0, FALSE);
        fake_add (f, e, 2, H, I, FALSE);
        fake_add (f, g, 1, H, 0, FALSE);
        fake_add (f, h, 1, H, 0, FALSE);
        fake_add (f, i, 1, H, 0, FALSE);
      }
    }
  fake_add (f, "bert.pooler.dense.weight", 2, H, H, FALSE);
  fake_add (f, "bert.pooler.dense.bias", 1, H, 0, FALSE);
  fake_add (f, "classifier.weight", 2, K, H, TRUE);
  fake_add (f, "classifier.bias", 1, K, 0, TRUE);
  return f;
}

static void
fake_table_free (FakeTable *f)
{
  g_ptr_array_unref (f->names);
  g_array_unref (f->targets);
  g_ptr_array_unref (f->buffers);
  g_free (f);
}

/* Every target holds exactly the checkpoint tensor @map_name(target) names. */
static void
assert_table_matches (FakeTable *f, GbSafetensors *st, const char *const (*pairs)[2], guint n_pairs)
{
  for (guint i = 0; i < f->targets->len; i++)
    {
      GbHfTarget *t = &g_array_index (f->targets, GbHfTarget, i);
      const char *src = t->name;
      const GbSafetensorsTensor *tensor;
      g_autofree float *want = NULL;
      for (guint p = 0; p < n_pairs; p++)
        if (g_str_has_prefix (t->name, pairs[p][0]))
          {
            /* rename prefix pairs[p][0] → pairs[p][1] */
            static char buf[256];
            g_snprintf (buf, sizeof buf, "%s%s", pairs[p][1], t->name + strlen (pairs[p][0]));
            src = buf;
            break;
          }
      tensor = gb_safetensors_lookup (st, src);
      if (tensor == NULL)
        g_error ("no tensor %s for target %s", src, t->name);
      want = g_new (float, tensor->n_elements);
      g_assert_true (gb_safetensors_tensor_to_f32 (tensor, want));
      g_assert_cmpmem (t->dest, tensor->n_elements * sizeof (float), want,
                       tensor->n_elements * sizeof (float));
    }
}

static void
test_load_targets_bert (void)
{
  g_autofree char *dir = hf_path ("tiny-bert");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = gb_hf_checkpoint_open (dir, &error);
  FakeTable *f = fake_table_new (TRUE);
  g_auto(GStrv) skipped = NULL;

  g_assert_no_error (error);
  g_assert_true (gb_hf_checkpoint_load_targets (ckpt, (GbHfTarget *) f->targets->data,
                                                f->targets->len, &skipped, &error));
  g_assert_no_error (error);
  g_assert_null (skipped[0]);
  assert_table_matches (f, gb_hf_checkpoint_get_safetensors (ckpt), NULL, 0);
  fake_table_free (f);
}

/* DistilBERT tensors land in BERT-named targets through the name mapping. */
static void
test_load_targets_distilbert (void)
{
  static const char *const pairs[][2] = {
    { "bert.embeddings.", "distilbert.embeddings." },
    { "bert.pooler.dense.", "pre_classifier." },
  };
  g_autofree char *dir = hf_path ("tiny-distilbert");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = gb_hf_checkpoint_open (dir, &error);
  FakeTable *f = fake_table_new (FALSE);
  GbSafetensors *st;

  g_assert_no_error (error);
  g_assert_true (gb_hf_checkpoint_load_targets (ckpt, (GbHfTarget *) f->targets->data,
                                                f->targets->len, NULL, &error));
  g_assert_no_error (error);
  st = gb_hf_checkpoint_get_safetensors (ckpt);
  /* spot checks of the per-layer renaming, bitwise */
  for (guint i = 0; i < f->targets->len; i++)
    {
      GbHfTarget *t = &g_array_index (f->targets, GbHfTarget, i);
      const char *src = NULL;
      const GbSafetensorsTensor *tensor;
      float want[32 * 16];
      if (strcmp (t->name, "bert.encoder.layer.1.attention.self.query.weight") == 0)
        src = "distilbert.transformer.layer.1.attention.q_lin.weight";
      else if (strcmp (t->name, "bert.encoder.layer.0.output.dense.bias") == 0)
        src = "distilbert.transformer.layer.0.ffn.lin2.bias";
      else if (strcmp (t->name, "bert.encoder.layer.1.attention.output.LayerNorm.weight") == 0)
        src = "distilbert.transformer.layer.1.sa_layer_norm.weight";
      else if (strcmp (t->name, "bert.encoder.layer.0.intermediate.dense.weight") == 0)
        src = "distilbert.transformer.layer.0.ffn.lin1.weight";
      if (src == NULL)
        continue;
      tensor = gb_safetensors_lookup (st, src);
      g_assert_nonnull (tensor);
      g_assert_true (gb_safetensors_tensor_to_f32 (tensor, want));
      g_assert_cmpmem (t->dest, tensor->n_bytes, want, tensor->n_bytes);
    }
  /* the non-layer tensors through prefix pairs */
  {
    FakeTable sub = { 0 };
    sub.targets = g_array_new (FALSE, TRUE, sizeof (GbHfTarget));
    for (guint i = 0; i < f->targets->len; i++)
      {
        GbHfTarget *t = &g_array_index (f->targets, GbHfTarget, i);
        if (!g_str_has_prefix (t->name, "bert.encoder."))
          g_array_append_val (sub.targets, *t);
      }
    assert_table_matches (&sub, st, pairs, G_N_ELEMENTS (pairs));
    g_array_unref (sub.targets);
  }
  fake_table_free (f);
}

static void
test_load_targets_wrong_shape (void)
{
  g_autofree char *dir = hf_path ("tiny-bert");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = gb_hf_checkpoint_open (dir, &error);
  float buf[8 * 16];
  GbHfTarget t = { "bert.encoder.layer.1.attention.self.key.weight", 2, { 8, 16 }, buf, FALSE };

  g_assert_false (gb_hf_checkpoint_load_targets (ckpt, &t, 1, NULL, &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "model.safetensors: tensor "
                            "“bert.encoder.layer.1.attention.self.key.weight” has shape [16, 16], "
                            "the model expects [8, 16]"));
}

static void
test_load_targets_glassbox_only (void)
{
  g_autofree char *dir = hf_path ("tiny-bert");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = gb_hf_checkpoint_open (dir, &error);
  float buf[4 * 16];
  GbHfTarget t = { "glassbox.features.table", 2, { 4, 16 }, buf, FALSE };
  g_auto(GStrv) skipped = NULL;

  g_assert_false (gb_hf_checkpoint_load_targets (ckpt, &t, 1, NULL, &error));
  g_assert_nonnull (strstr (error->message, "tensor “glassbox.features.table” is missing "
                            "(expected shape [4, 16]); it has no Hugging Face counterpart"));
  g_clear_error (&error);
  t.optional = TRUE;
  g_assert_true (gb_hf_checkpoint_load_targets (ckpt, &t, 1, &skipped, &error));
  g_assert_cmpstr (skipped[0], ==, "glassbox.features.table");
  g_assert_null (skipped[1]);
}

/* A base model saved without prefix or classifier opens; the classifier
 * targets are skipped as optional. */
static void
test_base_model_without_classifier (void)
{
  Edit e = { EDIT_STRIP_PREFIX, "bert.", { 0, 0 }, "classifier." };
  g_autofree char *dir = make_variant ("tiny-bert", &e);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = gb_hf_checkpoint_open (dir, &error);
  FakeTable *f = fake_table_new (TRUE);
  g_auto(GStrv) skipped = NULL;
  const char *const *notes;
  gboolean noted = FALSE;

  g_assert_no_error (error);
  g_assert_false (gb_hf_checkpoint_has_classifier (ckpt));
  g_assert_true (gb_hf_checkpoint_has_pooler (ckpt));
  notes = gb_hf_checkpoint_get_notes (ckpt);
  for (guint i = 0; notes[i] != NULL; i++)
    noted |= strstr (notes[i], "has no classifier") != NULL;
  g_assert_true (noted);
  g_assert_true (gb_hf_checkpoint_load_targets (ckpt, (GbHfTarget *) f->targets->data,
                                                f->targets->len, &skipped, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (skipped[0], ==, "classifier.weight");
  g_assert_cmpstr (skipped[1], ==, "classifier.bias");
  g_assert_null (skipped[2]);
  fake_table_free (f);
  rm_rf (dir);
}

static void
test_half_precision_checkpoint (void)
{
  Edit e = { EDIT_TO_F16, NULL, { 0, 0 }, NULL };
  g_autofree char *dir = make_variant ("tiny-bert", &e);
  g_autofree char *orig = hf_path ("tiny-bert/model.safetensors");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = gb_hf_checkpoint_open (dir, &error);
  g_autoptr(GbSafetensors) st = gb_safetensors_open (orig, &error);
  float got[2 * 16], want[2 * 16];
  GbHfTarget t = { "classifier.weight", 2, { 2, 16 }, got, FALSE };

  g_assert_no_error (error);
  g_assert_true (gb_hf_checkpoint_load_targets (ckpt, &t, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gb_safetensors_copy_f32 (st, "classifier.weight", NULL, 0, want, 32, &error));
  for (guint i = 0; i < 32; i++)
    {
      g_assert_cmpfloat (got[i], ==, gb_half_to_float (gb_float_to_half (want[i])));
      g_assert_cmpfloat (fabsf (got[i] - want[i]), <=, fabsf (want[i]) * 1e-3f);
    }
  rm_rf (dir);
}

static void
test_missing_tensor (void)
{
  Edit e = { EDIT_DROP, "bert.encoder.layer.1.output.dense.weight", { 0, 0 }, NULL };
  g_autofree char *dir = make_variant ("tiny-bert", &e);
  assert_open_fails (dir, GB_ERROR_PARSE,
                     "model.safetensors: tensor “bert.encoder.layer.1.output.dense.weight” is "
                     "missing (expected shape [16, 32] (hidden_size, intermediate_size))");
  rm_rf (dir);
}

static void
test_missing_tensor_distilbert (void)
{
  Edit e = { EDIT_DROP, "distilbert.transformer.layer.0.attention.v_lin.bias", { 0, 0 }, NULL };
  g_autofree char *dir = make_variant ("tiny-distilbert", &e);
  assert_open_fails (dir, GB_ERROR_PARSE,
                     "tensor “distilbert.transformer.layer.0.attention.v_lin.bias” is missing "
                     "(expected shape [16] (dim))");
  rm_rf (dir);
}

static void
test_wrong_shape (void)
{
  Edit e = { EDIT_RESHAPE, "bert.encoder.layer.0.intermediate.dense.weight", { 16, 16 }, NULL };
  g_autofree char *dir = make_variant ("tiny-bert", &e);
  assert_open_fails (dir, GB_ERROR_PARSE,
                     "tensor “bert.encoder.layer.0.intermediate.dense.weight” has shape [16, 16], "
                     "expected [32, 16] (intermediate_size, hidden_size) from config.json");
  rm_rf (dir);
}

static void
test_truncated_weights (void)
{
  Edit e = { EDIT_NONE, NULL, { 0, 0 }, NULL };
  g_autofree char *dir = make_variant ("tiny-bert", &e);
  g_autofree char *path = g_build_filename (dir, "model.safetensors", NULL);
  g_autofree char *text = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_assert_true (g_file_set_contents (path, text, len - 100, NULL));
  /* the last tensor in the file is cut: the message names it and its shape */
  assert_open_fails (dir, GB_ERROR_PARSE, "run past the end of the data");
  assert_open_fails (dir, GB_ERROR_PARSE, "tensor “");
  rm_rf (dir);
}

static void
test_vocab_size_mismatch (void)
{
  Edit e = { EDIT_NONE, NULL, { 0, 0 }, NULL };
  g_autofree char *dir = make_variant ("tiny-bert", &e);
  edit_text (dir, "vocab.txt", "music\n", "");
  assert_open_fails (dir, GB_ERROR_PARSE, "vocab.txt has 39 tokens but config.json says vocab_size 40");
  rm_rf (dir);
}

static void
test_num_labels_mismatch (void)
{
  Edit e = { EDIT_NONE, NULL, { 0, 0 }, NULL };
  g_autofree char *dir = make_variant ("tiny-bert", &e);
  edit_text (dir, "config.json", "\"1\": \"POSITIVE\"", "\"1\": \"POSITIVE\", \"2\": \"NEUTRAL\"");
  assert_open_fails (dir, GB_ERROR_PARSE,
                     "tensor “classifier.weight” has shape [2, 16], expected [3, 16] "
                     "(num_labels, hidden_size)");
  rm_rf (dir);
}

static void
test_too_few_layers_in_config (void)
{
  Edit e = { EDIT_NONE, NULL, { 0, 0 }, NULL };
  g_autofree char *dir = make_variant ("tiny-bert", &e);
  edit_text (dir, "config.json", "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 1");
  assert_open_fails (dir, GB_ERROR_PARSE, "belongs to layer 1 but config.json has 1 layers");
  rm_rf (dir);
}

static void
test_unsupported_settings (void)
{
  Edit e = { EDIT_NONE, NULL, { 0, 0 }, NULL };
  g_autofree char *dir = make_variant ("tiny-bert", &e);
  edit_text (dir, "config.json", "\"hidden_act\": \"gelu\"", "\"hidden_act\": \"gelu_new\"");
  assert_open_fails (dir, GB_ERROR_INVALID_ARGUMENT, "hidden_act “gelu_new” is not supported");
  edit_text (dir, "config.json", "\"hidden_act\": \"gelu_new\"", "\"hidden_act\": \"gelu\"");
  edit_text (dir, "config.json", "\"model_type\": \"bert\"", "\"model_type\": \"roberta\"");
  assert_open_fails (dir, GB_ERROR_INVALID_ARGUMENT, "model_type “roberta” is not supported");
  edit_text (dir, "config.json", "\"model_type\": \"roberta\"", "\"model_type\": \"distilbert\"");
  /* DistilBERT keys are missing in a BERT config */
  assert_open_fails (dir, GB_ERROR_PARSE, "“dim” is missing");
  rm_rf (dir);
}

static void
test_missing_files (void)
{
  Edit e = { EDIT_NONE, NULL, { 0, 0 }, NULL };
  g_autofree char *dir = make_variant ("tiny-bert", &e);
  g_autofree char *vocab = g_build_filename (dir, "vocab.txt", NULL);
  g_autofree char *config = g_build_filename (dir, "config.json", NULL);
  g_autofree char *weights = g_build_filename (dir, "model.safetensors", NULL);

  g_unlink (vocab);
  assert_open_fails (dir, GB_ERROR_IO, "vocab.txt");
  g_unlink (config);
  assert_open_fails (dir, GB_ERROR_IO, "has no config.json");
  g_unlink (weights);
  assert_open_fails (dir, GB_ERROR_IO, "has no model.safetensors");
  assert_open_fails ("/nonexistent/folder", GB_ERROR_IO, "/nonexistent/folder is not a folder");
  rm_rf (dir);
}

static void
test_pickle_refused (void)
{
  g_autofree char *dir = hf_path ("pickle-only");
  g_autoptr(GError) error = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = gb_hf_checkpoint_open (dir, &error);
  g_assert_null (ckpt);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "holds pytorch_model.bin but no model.safetensors"));
  g_assert_nonnull (strstr (error->message, "unpickling can execute arbitrary code"));
  g_assert_nonnull (strstr (error->message, "from safetensors.torch import save_file"));
  g_assert_nonnull (strstr (error->message, "save_pretrained(DIR, safe_serialization=True)"));
}

/* The imported model holds every checkpoint tensor and its forward pass gives
 * the logits of the plain-torch reference (make_hf_checkpoints.py). */
static void
test_import_model (gconstpointer data)
{
  const char *name = data;
  g_autofree char *dir = hf_path (name);
  g_autofree char *exp_path = g_build_filename (dir, "expected.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbHfCheckpoint) ckpt = NULL;
  g_autoptr(GbModel) model = gb_hf_import_model (dir, NULL, &ckpt, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  GbModelTensorInfo *infos;
  guint n = 0;
  float *params;
  JsonObject *eo;
  JsonArray *ids_a, *mask_a, *logits_a;
  guint B, S;
  g_autofree gint32 *ids = NULL;
  g_autofree guint8 *mask = NULL;
  g_autofree double *probs = NULL;
  GbSafetensors *st;
  double max_err = 0;

  g_assert_no_error (error);
  g_assert_nonnull (model);
  g_assert_nonnull (ckpt);
  g_assert_cmpuint (gb_model_get_n_classes (model), ==, 2);

  /* every tensor of the model equals the checkpoint's, bit for bit */
  st = gb_hf_checkpoint_get_safetensors (ckpt);
  params = gb_model_get_parameters (model, NULL);
  infos = gb_model_list_tensors (model, strcmp (name, "tiny-bert") == 0 ? GB_MODEL_NAMING_BERT
                                                                        : GB_MODEL_NAMING_DISTILBERT,
                                 &n);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      const GbSafetensorsTensor *t = gb_safetensors_lookup (st, infos[i].name);
      g_autofree float *want = NULL;
      if (t == NULL)
        g_error ("%s: the model's tensor %s is not in the checkpoint", name, infos[i].name);
      want = g_new (float, t->n_elements);
      g_assert_true (gb_safetensors_tensor_to_f32 (t, want));
      g_assert_cmpmem (params + infos[i].offset, t->n_bytes, want, t->n_bytes);
    }
  gb_model_tensor_info_free (infos, n);

  g_assert_true (json_parser_load_from_file (parser, exp_path, &error));
  eo = json_node_get_object (json_parser_get_root (parser));
  ids_a = json_object_get_array_member (eo, "ids");
  mask_a = json_object_get_array_member (eo, "mask");
  logits_a = json_object_get_array_member (eo, "logits");
  B = json_array_get_length (ids_a);
  S = json_array_get_length (json_array_get_array_element (ids_a, 0));
  g_assert_cmpuint (S, <=, gb_model_get_max_length (model));
  /* rows padded to the model's max_length */
  S = gb_model_get_max_length (model);
  ids = g_new0 (gint32, B * S);
  mask = g_new0 (guint8, B * S);
  for (guint b = 0; b < B; b++)
    {
      JsonArray *ri = json_array_get_array_element (ids_a, b);
      JsonArray *rm = json_array_get_array_element (mask_a, b);
      for (guint s = 0; s < json_array_get_length (ri); s++)
        {
          ids[b * S + s] = (gint32) json_array_get_int_element (ri, s);
          mask[b * S + s] = (guint8) json_array_get_int_element (rm, s);
        }
    }
  probs = g_new (double, B * 2);
  {
    GbModelInputs in = { NULL, NULL, ids, mask };
    g_assert_true (gb_model_predict_inputs (model, &in, B, probs, NULL, &error));
    g_assert_no_error (error);
  }
  for (guint b = 0; b < B; b++)
    {
      JsonArray *lr = json_array_get_array_element (logits_a, b);
      double l0 = json_array_get_double_element (lr, 0), l1 = json_array_get_double_element (lr, 1);
      double m = MAX (l0, l1);
      double p1 = exp (l1 - m) / (exp (l0 - m) + exp (l1 - m));
      max_err = MAX (max_err, fabs (probs[b * 2 + 1] - p1));
      g_assert_cmpfloat (fabs (probs[b * 2] + probs[b * 2 + 1] - 1.0), <, 1e-6);
    }
  if (max_err > 1e-5)
    g_error ("%s: class probabilities differ from the torch reference by %g", name, max_err);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/model/hf-import/canonical-names", test_canonical_names);
  g_test_add_func ("/engine/model/hf-import/open-bert", test_open_bert);
  g_test_add_func ("/engine/model/hf-import/open-distilbert", test_open_distilbert);
  g_test_add_func ("/engine/model/hf-import/load-targets-bert", test_load_targets_bert);
  g_test_add_func ("/engine/model/hf-import/load-targets-distilbert", test_load_targets_distilbert);
  g_test_add_func ("/engine/model/hf-import/load-targets-wrong-shape", test_load_targets_wrong_shape);
  g_test_add_func ("/engine/model/hf-import/load-targets-glassbox-only", test_load_targets_glassbox_only);
  g_test_add_func ("/engine/model/hf-import/base-model-without-classifier",
                   test_base_model_without_classifier);
  g_test_add_func ("/engine/model/hf-import/half-precision", test_half_precision_checkpoint);
  g_test_add_func ("/engine/model/hf-import/missing-tensor", test_missing_tensor);
  g_test_add_func ("/engine/model/hf-import/missing-tensor-distilbert", test_missing_tensor_distilbert);
  g_test_add_func ("/engine/model/hf-import/wrong-shape", test_wrong_shape);
  g_test_add_func ("/engine/model/hf-import/truncated-weights", test_truncated_weights);
  g_test_add_func ("/engine/model/hf-import/vocab-size-mismatch", test_vocab_size_mismatch);
  g_test_add_func ("/engine/model/hf-import/num-labels-mismatch", test_num_labels_mismatch);
  g_test_add_func ("/engine/model/hf-import/too-few-layers-in-config", test_too_few_layers_in_config);
  g_test_add_func ("/engine/model/hf-import/unsupported-settings", test_unsupported_settings);
  g_test_add_func ("/engine/model/hf-import/missing-files", test_missing_files);
  g_test_add_func ("/engine/model/hf-import/pickle-refused", test_pickle_refused);
  g_test_add_data_func ("/engine/model/hf-import/import-model/bert", "tiny-bert", test_import_model);
  g_test_add_data_func ("/engine/model/hf-import/import-model/distilbert", "tiny-distilbert",
                        test_import_model);
  return g_test_run ();
}
