/* gb-model-io.c — saved model folders (see gb-model-io.h for the layout). */
#include "gb-config.h"
#include "gb-model-io.h"
#include "gb-hf-import.h"
#include "gb-model-private.h"
#include "gb-safetensors.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define MODEL_JSON "glassbox-model.json"
#define MODEL_WEIGHTS "model.safetensors"

void
gb_model_info_clear (GbModelInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->source);
  g_free (info->target);
  g_strfreev (info->class_labels);
  g_free (info->data_path);
  g_free (info->data_sha256);
  g_free (info->class_weights);
  memset (info, 0, sizeof *info);
}

/* ---- saving -------------------------------------------------------------------------------- */

static gboolean
write_atomic (const char *path, const char *data, gssize len, GError **error)
{
  g_autoptr(GError) e = NULL;
  if (!g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &e))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "Cannot write %s: %s", path, e->message);
      return FALSE;
    }
  return TRUE;
}

static void
add_string_or_null (JsonBuilder *b, const char *key, const char *value)
{
  json_builder_set_member_name (b, key);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static gboolean
save_tokenizer (GbTokenizer *tok, guint max_length, const char *dir, char **vocab_sha,
                GError **error)
{
  g_autofree char *vpath = g_build_filename (dir, "vocab.txt", NULL);
  g_autofree char *cpath = g_build_filename (dir, "tokenizer_config.json", NULL);
  g_autoptr(GString) v = g_string_new (NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  gsize n = gb_tokenizer_get_vocab_size (tok);
  GbTokenizerStripAccents sa = gb_tokenizer_get_strip_accents (tok);
  struct { const char *key; gint32 id; } specials[] = {
    { "unk_token", gb_tokenizer_get_unk_id (tok) },
    { "pad_token", gb_tokenizer_get_pad_id (tok) },
    { "cls_token", gb_tokenizer_get_cls_id (tok) },
    { "sep_token", gb_tokenizer_get_sep_id (tok) },
    { "mask_token", gb_tokenizer_get_mask_id (tok) },
  };

  for (gsize i = 0; i < n; i++)
    {
      const char *t = gb_tokenizer_id_to_token (tok, (gint32) i);
      if (t == NULL || strchr (t, '\n') != NULL)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Cannot save the vocabulary: token %" G_GSIZE_FORMAT " is %s", i,
                       t == NULL ? "missing" : "multi-line");
          return FALSE;
        }
      g_string_append (v, t);
      g_string_append_c (v, '\n');
    }
  if (!write_atomic (vpath, v->str, v->len, error))
    return FALSE;
  *vocab_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, v->str, v->len);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tokenizer_class");
  json_builder_add_string_value (b, "BertTokenizer");
  json_builder_set_member_name (b, "do_lower_case");
  json_builder_add_boolean_value (b, gb_tokenizer_get_lower_case (tok));
  json_builder_set_member_name (b, "strip_accents");
  if (sa == GB_TOKENIZER_STRIP_ACCENTS_AUTO)
    json_builder_add_null_value (b);
  else
    json_builder_add_boolean_value (b, sa == GB_TOKENIZER_STRIP_ACCENTS_ON);
  json_builder_set_member_name (b, "tokenize_chinese_chars");
  json_builder_add_boolean_value (b, gb_tokenizer_get_tokenize_chinese_chars (tok));
  json_builder_set_member_name (b, "max_input_chars_per_word");
  json_builder_add_int_value (b, gb_tokenizer_get_max_chars_per_word (tok));
  json_builder_set_member_name (b, "model_max_length");
  json_builder_add_int_value (b, max_length);
  for (guint i = 0; i < G_N_ELEMENTS (specials); i++)
    if (specials[i].id >= 0)
      {
        json_builder_set_member_name (b, specials[i].key);
        json_builder_add_string_value (b, gb_tokenizer_id_to_token (tok, specials[i].id));
      }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json = json_generator_to_data (gen, NULL);
  return write_atomic (cpath, json, -1, error);
}

/* A text-only model with BERT's tanh pooler and token types is exactly
 * transformers' BertForSequenceClassification (modeling_bert.py): write its
 * config.json (configuration_bert.py keys) so that the folder also loads
 * there and in gb_hf_checkpoint_open(). */
static gboolean
is_bert_shaped (GbModel *model)
{
  const GbTransformerConfig *c = gb_model_get_config (model);
  return c->vocab_size > 0 && gb_model_get_n_features (model) == 0 && c->pooler
         && c->pooler_activation == GB_POOLER_TANH && c->type_vocab_size > 0;
}

/* Rows of the position-embedding table (config->max_position may be 0 = T). */
static gsize
position_rows (GbModel *model)
{
  guint n = 0;
  gsize rows = 0;
  GbModelTensorInfo *t = gb_model_list_tensors (model, GB_MODEL_NAMING_BERT, &n);
  for (guint i = 0; i < n; i++)
    if (strcmp (t[i].name, "bert.embeddings.position_embeddings.weight") == 0)
      rows = t[i].shape[0];
  gb_model_tensor_info_free (t, n);
  return rows;
}

static gboolean
save_hf_config (GbModel *model, GbTokenizer *tok, const GbModelInfo *info, const char *dir,
                GError **error)
{
  const GbTransformerConfig *c = gb_model_get_config (model);
  guint K = gb_model_get_n_classes (model);
  g_autofree char *path = g_build_filename (dir, "config.json", NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  gboolean have_labels = info != NULL && info->class_labels != NULL
                         && g_strv_length (info->class_labels) == K;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "architectures");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "BertForSequenceClassification");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "model_type");
  json_builder_add_string_value (b, "bert");
#define INT_MEMBER(key, v) \
  json_builder_set_member_name (b, key); \
  json_builder_add_int_value (b, (gint64) (v));
  INT_MEMBER ("hidden_size", c->d_model);
  INT_MEMBER ("num_hidden_layers", c->n_layers);
  INT_MEMBER ("num_attention_heads", c->n_heads);
  INT_MEMBER ("intermediate_size", c->d_ff);
  INT_MEMBER ("max_position_embeddings", position_rows (model));
  INT_MEMBER ("type_vocab_size", c->type_vocab_size);
  INT_MEMBER ("vocab_size", c->vocab_size);
  INT_MEMBER ("pad_token_id", MAX (gb_tokenizer_get_pad_id (tok), 0));
#undef INT_MEMBER
  json_builder_set_member_name (b, "layer_norm_eps");
  json_builder_add_double_value (b, c->layer_norm_eps > 0 ? c->layer_norm_eps : 1e-5);
  json_builder_set_member_name (b, "hidden_act");
  json_builder_add_string_value (b, "gelu");
  json_builder_set_member_name (b, "position_embedding_type");
  json_builder_add_string_value (b, "absolute");
  json_builder_set_member_name (b, "torch_dtype");
  json_builder_add_string_value (b, "float32");
  json_builder_set_member_name (b, "id2label");
  json_builder_begin_object (b);
  for (guint k = 0; k < K; k++)
    {
      g_autofree char *key = g_strdup_printf ("%u", k);
      g_autofree char *label = have_labels ? g_strdup (info->class_labels[k])
                                           : g_strdup_printf ("LABEL_%u", k);
      json_builder_set_member_name (b, key);
      json_builder_add_string_value (b, label);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "label2id");
  json_builder_begin_object (b);
  for (guint k = 0; k < K; k++)
    {
      g_autofree char *label = have_labels ? g_strdup (info->class_labels[k])
                                           : g_strdup_printf ("LABEL_%u", k);
      json_builder_set_member_name (b, label);
      json_builder_add_int_value (b, k);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json = json_generator_to_data (gen, NULL);
  return write_atomic (path, json, -1, error);
}

gboolean
gb_model_io_save (GbModel *model, GbTokenizer *tokenizer, const GbModelInfo *info,
                  const char *dir, GError **error)
{
  const GbTransformerConfig *cfg;
  g_autoptr(GbSafetensorsWriter) w = gb_safetensors_writer_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *wpath = NULL;
  g_autofree char *jpath = NULL;
  g_autofree char *json = NULL;
  g_autofree char *weights_sha = NULL;
  g_autofree char *vocab_sha = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GbModelTensorInfo *tensors;
  guint n_tensors = 0, F, K;
  gsize covered = 0, n_params = 0;
  float *params;
  const char *text_column;
  gboolean has_text;

  g_return_val_if_fail (GB_IS_MODEL (model), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);
  cfg = gb_model_get_config (model);
  has_text = cfg->vocab_size > 0;
  text_column = gb_model_get_text_column (model);
  if (has_text && tokenizer == NULL)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Cannot save a text model to %s without its tokenizer", dir);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "Cannot create the folder %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }

  /* the parameters */
  params = gb_model_get_parameters (model, &n_params);
  tensors = gb_model_list_tensors (model, GB_MODEL_NAMING_BERT, &n_tensors);
  for (guint i = 0; i < n_tensors; i++)
    {
      gsize shape[2] = { tensors[i].shape[0], tensors[i].shape[1] };
      covered += shape[0] * (tensors[i].n_dims == 2 ? shape[1] : 1);
      if (!gb_safetensors_writer_add_f32 (w, tensors[i].name, shape, tensors[i].n_dims,
                                          params + tensors[i].offset, error))
        {
          gb_model_tensor_info_free (tensors, n_tensors);
          return FALSE;
        }
    }
  if (covered != n_params)
    {
      gb_model_tensor_info_free (tensors, n_tensors);
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_FAILED,
                   "Cannot save the model: its tensor table covers %" G_GSIZE_FORMAT " of %"
                   G_GSIZE_FORMAT " parameters", covered, n_params);
      return FALSE;
    }
  gb_safetensors_writer_set_metadata (w, "format", "pt");
  gb_safetensors_writer_set_metadata (w, "producer", "glassbox " GB_VERSION);
  bytes = gb_safetensors_writer_to_bytes (w);
  gb_model_tensor_info_free (tensors, n_tensors);
  wpath = g_build_filename (dir, MODEL_WEIGHTS, NULL);
  if (!write_atomic (wpath, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    return FALSE;
  weights_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  if (has_text && !save_tokenizer (tokenizer, gb_model_get_max_length (model), dir, &vocab_sha,
                                   error))
    return FALSE;
  if (is_bert_shaped (model) && !save_hf_config (model, tokenizer, info, dir, error))
    return FALSE;

  /* the description, last */
  F = gb_model_get_n_features (model);
  K = gb_model_get_n_classes (model);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "glassbox-model");
  json_builder_set_member_name (b, "format_version");
  json_builder_add_int_value (b, GB_MODEL_IO_FORMAT_VERSION);
  json_builder_set_member_name (b, "glassbox_version");
  json_builder_add_string_value (b, GB_VERSION);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, !has_text ? "tabular" : F > 0 ? "text+features" : "text");
  add_string_or_null (b, "source", info != NULL && info->source != NULL ? info->source : "trained");

  json_builder_set_member_name (b, "architecture");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "n_layers");
  json_builder_add_int_value (b, cfg->n_layers);
  json_builder_set_member_name (b, "d_model");
  json_builder_add_int_value (b, cfg->d_model);
  json_builder_set_member_name (b, "n_heads");
  json_builder_add_int_value (b, cfg->n_heads);
  json_builder_set_member_name (b, "d_ff");
  json_builder_add_int_value (b, cfg->d_ff);
  json_builder_set_member_name (b, "vocab_size");
  json_builder_add_int_value (b, cfg->vocab_size);
  json_builder_set_member_name (b, "max_length");
  json_builder_add_int_value (b, cfg->max_length);
  json_builder_set_member_name (b, "max_position");
  json_builder_add_int_value (b, cfg->max_position);
  json_builder_set_member_name (b, "type_vocab_size");
  json_builder_add_int_value (b, cfg->type_vocab_size);
  json_builder_set_member_name (b, "layer_norm_eps");
  json_builder_add_double_value (b, cfg->layer_norm_eps);
  json_builder_set_member_name (b, "pooler");
  json_builder_add_boolean_value (b, cfg->pooler);
  json_builder_set_member_name (b, "pooler_activation");
  json_builder_add_string_value (b, cfg->pooler_activation == GB_POOLER_RELU ? "relu" : "tanh");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "n_classes");
  json_builder_add_int_value (b, K);
  json_builder_set_member_name (b, "class_labels");
  if (info != NULL && info->class_labels != NULL && g_strv_length (info->class_labels) == K)
    {
      json_builder_begin_array (b);
      for (guint k = 0; k < K; k++)
        json_builder_add_string_value (b, info->class_labels[k]);
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);
  add_string_or_null (b, "target", info != NULL ? info->target : NULL);
  add_string_or_null (b, "text_column", text_column);

  json_builder_set_member_name (b, "features");
  json_builder_begin_array (b);
  for (guint j = 0; j < F; j++)
    {
      GbModelFeatureSpec s = { 0 };
      gb_model_get_feature_spec (model, j, &s);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, s.name);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, s.categorical ? "categorical" : "numeric");
      if (s.categorical)
        {
          json_builder_set_member_name (b, "levels");
          json_builder_begin_array (b);
          for (guint i = 0; i < s.n_levels; i++)
            json_builder_add_string_value (b, s.levels[i]);
          json_builder_end_array (b);
        }
      else
        {
          json_builder_set_member_name (b, "mean");
          json_builder_add_double_value (b, s.mean);
          json_builder_set_member_name (b, "sd");
          json_builder_add_double_value (b, s.sd);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "vocabulary");
  if (has_text)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, "vocab.txt");
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, (gint64) gb_tokenizer_get_vocab_size (tokenizer));
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, vocab_sha);
      json_builder_set_member_name (b, "tokenizer_config");
      json_builder_add_string_value (b, "tokenizer_config.json");
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "training");
  if (info != NULL && info->has_train_config)
    {
      const GbTrainConfig *t = &info->train;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "epochs");
      json_builder_add_int_value (b, t->epochs);
      json_builder_set_member_name (b, "batch_size");
      json_builder_add_int_value (b, t->batch_size);
      json_builder_set_member_name (b, "learning_rate");
      json_builder_add_double_value (b, t->learning_rate);
      json_builder_set_member_name (b, "weight_decay");
      json_builder_add_double_value (b, t->weight_decay);
      json_builder_set_member_name (b, "warmup_fraction");
      json_builder_add_double_value (b, t->warmup_fraction);
      json_builder_set_member_name (b, "schedule");
      json_builder_add_string_value (b, t->schedule == GB_LR_COSINE ? "cosine" : "linear");
      json_builder_set_member_name (b, "dropout");
      json_builder_add_double_value (b, t->dropout);
      json_builder_set_member_name (b, "max_grad_norm");
      json_builder_add_double_value (b, t->max_grad_norm);
      json_builder_set_member_name (b, "patience");
      json_builder_add_int_value (b, t->patience);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) t->seed);
      json_builder_set_member_name (b, "n_threads");
      json_builder_add_int_value (b, t->n_threads);
      json_builder_set_member_name (b, "init_seed");
      json_builder_add_int_value (b, (gint64) info->init_seed);
      json_builder_set_member_name (b, "class_weights");
      if (info->class_weights != NULL && info->n_class_weights > 0)
        {
          json_builder_begin_array (b);
          for (guint k = 0; k < info->n_class_weights; k++)
            json_builder_add_double_value (b, info->class_weights[k]);
          json_builder_end_array (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "training_data");
  if (info != NULL && (info->data_path != NULL || info->data_sha256 != NULL))
    {
      json_builder_begin_object (b);
      add_string_or_null (b, "path", info->data_path);
      add_string_or_null (b, "sha256", info->data_sha256);
      json_builder_set_member_name (b, "n_train_rows");
      json_builder_add_int_value (b, (gint64) info->n_train_rows);
      json_builder_set_member_name (b, "n_validation_rows");
      json_builder_add_int_value (b, (gint64) info->n_validation_rows);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "parameters");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, MODEL_WEIGHTS);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, weights_sha);
  json_builder_set_member_name (b, "naming");
  json_builder_add_string_value (b, "bert");
  json_builder_set_member_name (b, "n_parameters");
  json_builder_add_int_value (b, (gint64) n_params);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json = json_generator_to_data (gen, NULL);
  jpath = g_build_filename (dir, MODEL_JSON, NULL);
  return write_atomic (jpath, json, -1, error);
}

/* ---- loading -------------------------------------------------------------------------------- */

#define LOAD_ERROR(...) \
  G_STMT_START { \
    g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE, __VA_ARGS__); \
    goto fail; \
  } G_STMT_END

static JsonNode *
member (JsonObject *o, const char *key)
{
  return o != NULL ? json_object_get_member (o, key) : NULL;
}

static gboolean
read_uint (JsonObject *o, const char *key, guint *out)
{
  JsonNode *n = member (o, key);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64
      || json_node_get_int (n) < 0 || json_node_get_int (n) > G_MAXINT32)
    return FALSE;
  *out = (guint) json_node_get_int (n);
  return TRUE;
}

static gboolean
read_double (JsonObject *o, const char *key, double *out)
{
  JsonNode *n = member (o, key);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n)
      || (json_node_get_value_type (n) != G_TYPE_DOUBLE
          && json_node_get_value_type (n) != G_TYPE_INT64))
    return FALSE;
  *out = json_node_get_double (n);
  return TRUE;
}

static const char *
read_string (JsonObject *o, const char *key)
{
  JsonNode *n = member (o, key);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonObject *
read_object (JsonObject *o, const char *key)
{
  JsonNode *n = member (o, key);
  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static void
read_info (JsonObject *root, GbModelInfo *info)
{
  JsonObject *t = read_object (root, "training");
  JsonObject *d = read_object (root, "training_data");
  JsonNode *labels = member (root, "class_labels");

  info->source = g_strdup (read_string (root, "source"));
  info->target = g_strdup (read_string (root, "target"));
  if (labels != NULL && JSON_NODE_HOLDS_ARRAY (labels))
    {
      JsonArray *a = json_node_get_array (labels);
      info->class_labels = g_new0 (char *, json_array_get_length (a) + 1);
      for (guint i = 0; i < json_array_get_length (a); i++)
        info->class_labels[i] = g_strdup (json_array_get_string_element (a, i));
    }
  if (d != NULL)
    {
      info->data_path = g_strdup (read_string (d, "path"));
      info->data_sha256 = g_strdup (read_string (d, "sha256"));
      if (member (d, "n_train_rows") != NULL)
        info->n_train_rows = (guint64) json_object_get_int_member (d, "n_train_rows");
      if (member (d, "n_validation_rows") != NULL)
        info->n_validation_rows = (guint64) json_object_get_int_member (d, "n_validation_rows");
    }
  if (t != NULL)
    {
      GbTrainConfig *c = &info->train;
      JsonNode *cw = member (t, "class_weights");
      const char *sched = read_string (t, "schedule");
      gb_train_config_init_default (c);
      info->has_train_config = TRUE;
      read_uint (t, "epochs", &c->epochs);
      read_uint (t, "batch_size", &c->batch_size);
      read_double (t, "learning_rate", &c->learning_rate);
      read_double (t, "weight_decay", &c->weight_decay);
      read_double (t, "warmup_fraction", &c->warmup_fraction);
      read_double (t, "dropout", &c->dropout);
      read_double (t, "max_grad_norm", &c->max_grad_norm);
      read_uint (t, "patience", &c->patience);
      read_uint (t, "n_threads", &c->n_threads);
      c->schedule = g_strcmp0 (sched, "cosine") == 0 ? GB_LR_COSINE : GB_LR_LINEAR;
      if (member (t, "seed") != NULL)
        c->seed = (guint64) json_object_get_int_member (t, "seed");
      if (member (t, "init_seed") != NULL)
        info->init_seed = (guint64) json_object_get_int_member (t, "init_seed");
      if (cw != NULL && JSON_NODE_HOLDS_ARRAY (cw))
        {
          JsonArray *a = json_node_get_array (cw);
          info->n_class_weights = json_array_get_length (a);
          info->class_weights = g_new0 (double, MAX (info->n_class_weights, 1));
          for (guint k = 0; k < info->n_class_weights; k++)
            info->class_weights[k] = json_array_get_double_element (a, k);
        }
    }
}

gboolean
gb_model_io_is_saved_model (const char *dir)
{
  g_autofree char *p = g_build_filename (dir, MODEL_JSON, NULL);
  return g_file_test (p, G_FILE_TEST_IS_REGULAR);
}

GbModel *
gb_model_io_load (const char *dir, GbModelInfo *info, GbTokenizer **tokenizer, GError **error)
{
  g_autofree char *jpath = g_build_filename (dir, MODEL_JSON, NULL);
  g_autofree char *wpath = g_build_filename (dir, MODEL_WEIGHTS, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) e = NULL;
  g_autoptr(GbSafetensors) st = NULL;
  g_autoptr(GbTokenizer) tok = NULL;
  g_autoptr(GHashTable) expected = NULL;
  g_autofree char *sha = NULL;
  GbModelFeatureSpec *specs = NULL;
  GbModelTensorInfo *tensors = NULL;
  guint n_tensors = 0, F = 0, K = 0;
  GbTransformerConfig tc = { 0 };
  GbModel *model = NULL;
  JsonObject *root, *arch, *params;
  JsonNode *fnode;
  JsonArray *feats;
  const char *s;
  float *p;

  g_return_val_if_fail (dir != NULL, NULL);
  if (info != NULL)
    memset (info, 0, sizeof *info);
  if (!g_file_test (jpath, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO,
                   "%s has no %s: it is not a saved Glassbox model", dir, MODEL_JSON);
      return NULL;
    }
  if (!json_parser_load_from_file (parser, jpath, &e))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE, "%s: %s", jpath, e->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE, "%s: not a JSON object", jpath);
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (read_string (root, "format"), "glassbox-model") != 0)
    LOAD_ERROR ("%s: “format” is not \"glassbox-model\"", jpath);
  {
    guint version = 0;
    if (!read_uint (root, "format_version", &version) || version == 0
        || version > GB_MODEL_IO_FORMAT_VERSION)
      LOAD_ERROR ("%s: format_version %u is not supported (this Glassbox reads version %d; "
                  "a newer Glassbox saved it?)", jpath, version, GB_MODEL_IO_FORMAT_VERSION);
  }

  /* architecture */
  arch = read_object (root, "architecture");
  if (arch == NULL || !read_uint (arch, "n_layers", &tc.n_layers)
      || !read_uint (arch, "d_model", &tc.d_model) || !read_uint (arch, "n_heads", &tc.n_heads)
      || !read_uint (arch, "d_ff", &tc.d_ff) || !read_uint (arch, "vocab_size", &tc.vocab_size)
      || !read_uint (arch, "max_length", &tc.max_length)
      || !read_uint (arch, "max_position", &tc.max_position)
      || !read_uint (arch, "type_vocab_size", &tc.type_vocab_size)
      || !read_double (arch, "layer_norm_eps", &tc.layer_norm_eps))
    LOAD_ERROR ("%s: “architecture” lacks one of n_layers, d_model, n_heads, d_ff, vocab_size, "
                "max_length, max_position, type_vocab_size, layer_norm_eps", jpath);
  tc.pooler = member (arch, "pooler") != NULL && json_object_get_boolean_member (arch, "pooler");
  s = read_string (arch, "pooler_activation");
  tc.pooler_activation = g_strcmp0 (s, "relu") == 0 ? GB_POOLER_RELU : GB_POOLER_TANH;
  if (tc.n_layers == 0 || tc.d_model == 0 || tc.n_heads == 0 || tc.d_ff == 0
      || tc.d_model % tc.n_heads != 0)
    LOAD_ERROR ("%s: invalid architecture: d_model %u must be a positive multiple of n_heads "
                "%u, n_layers and d_ff positive", jpath, tc.d_model, tc.n_heads);
  if (!read_uint (root, "n_classes", &K) || K < 2)
    LOAD_ERROR ("%s: “n_classes” must be an integer >= 2", jpath);

  /* features */
  fnode = member (root, "features");
  if (fnode == NULL || !JSON_NODE_HOLDS_ARRAY (fnode))
    LOAD_ERROR ("%s: “features” is not an array", jpath);
  feats = json_node_get_array (fnode);
  F = json_array_get_length (feats);
  specs = g_new0 (GbModelFeatureSpec, MAX (F, 1));
  for (guint j = 0; j < F; j++)
    {
      JsonNode *fn = json_array_get_element (feats, j);
      JsonObject *fo = JSON_NODE_HOLDS_OBJECT (fn) ? json_node_get_object (fn) : NULL;
      const char *type = read_string (fo, "type");
      specs[j].name = read_string (fo, "name");
      if (specs[j].name == NULL || type == NULL)
        LOAD_ERROR ("%s: feature %u lacks “name” or “type”", jpath, j);
      if (strcmp (type, "categorical") == 0)
        {
          JsonNode *ln = member (fo, "levels");
          JsonArray *la;
          const char **levels;
          if (ln == NULL || !JSON_NODE_HOLDS_ARRAY (ln))
            LOAD_ERROR ("%s: categorical feature “%s” lacks its “levels”", jpath, specs[j].name);
          la = json_node_get_array (ln);
          specs[j].categorical = TRUE;
          specs[j].n_levels = json_array_get_length (la);
          levels = g_new0 (const char *, specs[j].n_levels + 1);
          specs[j].levels = levels;
          for (guint i = 0; i < specs[j].n_levels; i++)
            {
              JsonNode *v = json_array_get_element (la, i);
              if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
                LOAD_ERROR ("%s: level %u of feature “%s” is not a string", jpath, i,
                            specs[j].name);
              levels[i] = json_node_get_string (v);
            }
        }
      else if (strcmp (type, "numeric") == 0)
        {
          if (!read_double (fo, "mean", &specs[j].mean) || !read_double (fo, "sd", &specs[j].sd)
              || !isfinite (specs[j].mean) || !(specs[j].sd > 0) || !isfinite (specs[j].sd))
            LOAD_ERROR ("%s: numeric feature “%s” needs a finite “mean” and a positive “sd”",
                        jpath, specs[j].name);
        }
      else
        LOAD_ERROR ("%s: feature “%s” has type “%s” (expected numeric or categorical)", jpath,
                    specs[j].name, type);
    }

  /* the parameters file is the one that was saved */
  params = read_object (root, "parameters");
  s = read_string (params, "sha256");
  sha = gb_sha256_file (wpath, &e);
  if (sha == NULL)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "Cannot read %s: %s", wpath, e->message);
      goto fail;
    }
  if (s != NULL && g_ascii_strcasecmp (s, sha) != 0)
    LOAD_ERROR ("%s has sha256 %s but %s records %s: the parameters were changed or replaced "
                "after saving", wpath, sha, MODEL_JSON, s);

  /* the model */
  if (tc.vocab_size > 0)
    {
      const char *text_column = read_string (root, "text_column");
      g_autofree char *vpath = g_build_filename (dir, "vocab.txt", NULL);
      model = gb_model_new_from_config (&tc, K, specs, F, text_column, 0, error);
      if (model == NULL)
        {
          g_prefix_error (error, "%s: ", jpath);
          goto fail;
        }
      tok = gb_tokenizer_new_from_dir (dir, error);
      if (tok == NULL)
        goto fail;
      if (gb_tokenizer_get_vocab_size (tok) != tc.vocab_size)
        LOAD_ERROR ("%s has %" G_GSIZE_FORMAT " tokens but %s says vocab_size %u", vpath,
                    gb_tokenizer_get_vocab_size (tok), MODEL_JSON, tc.vocab_size);
      gb_model_use_tokenizer (model, tok);
    }
  else
    {
      if (F == 0)
        LOAD_ERROR ("%s: a tabular model needs at least one feature", jpath);
      model = gb_model_new_from_spec (specs, F, K, &tc, 0);
    }

  st = gb_safetensors_open (wpath, error);
  if (st == NULL)
    goto fail;
  p = gb_model_get_parameters (model, NULL);
  tensors = gb_model_list_tensors (model, GB_MODEL_NAMING_BERT, &n_tensors);
  expected = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_tensors; i++)
    {
      gsize shape[2] = { tensors[i].shape[0], tensors[i].shape[1] };
      gsize n = shape[0] * (tensors[i].n_dims == 2 ? shape[1] : 1);
      g_hash_table_add (expected, tensors[i].name);
      if (!gb_safetensors_copy_f32 (st, tensors[i].name, shape, tensors[i].n_dims,
                                    p + tensors[i].offset, n, error))
        {
          g_prefix_error (error, "%s describes another model than %s holds: ", MODEL_JSON,
                          MODEL_WEIGHTS);
          goto fail;
        }
    }
  for (guint i = 0; i < gb_safetensors_get_n_tensors (st); i++)
    {
      const char *name = gb_safetensors_get_tensor (st, i)->name;
      if (!g_hash_table_contains (expected, name))
        LOAD_ERROR ("%s: tensor “%s” is not part of the model that %s describes", wpath, name,
                    MODEL_JSON);
    }

  if (info != NULL)
    read_info (root, info);
  if (tokenizer != NULL)
    *tokenizer = g_steal_pointer (&tok);
  gb_model_tensor_info_free (tensors, n_tensors);
  for (guint j = 0; j < F; j++)
    g_free ((gpointer) specs[j].levels);
  g_free (specs);
  return model;

fail:
  if (tensors != NULL)
    gb_model_tensor_info_free (tensors, n_tensors);
  if (specs != NULL)
    for (guint j = 0; j < F; j++)
      g_free ((gpointer) specs[j].levels);
  g_free (specs);
  g_clear_object (&model);
  return NULL;
}

GbModel *
gb_model_io_open (const char *dir, GbModelInfo *info, GbTokenizer **tokenizer, GError **error)
{
  return gb_model_io_open_with_text (dir, NULL, info, tokenizer, error);
}

GbModel *
gb_model_io_open_with_text (const char *dir, const char *text_column, GbModelInfo *info,
                            GbTokenizer **tokenizer, GError **error)
{
  g_autoptr(GbHfCheckpoint) ckpt = NULL;
  g_autoptr(GbTokenizer) tok = NULL;
  g_autoptr(GbModel) model = NULL;
  g_autofree char *tcfg = NULL;

  g_return_val_if_fail (dir != NULL, NULL);
  if (gb_model_io_is_saved_model (dir))
    {
      g_autoptr(GbModel) saved = gb_model_io_load (dir, info, tokenizer, error);
      const char *own;
      if (saved == NULL)
        return NULL;
      own = gb_model_get_text_column (saved);
      if (text_column != NULL && g_strcmp0 (own, text_column) != 0)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       own != NULL ? "%s reads its text from the column “%s”, not “%s”"
                                   : "%s%s is not a text model (no text column “%s”)",
                       dir, own != NULL ? own : "", text_column);
          if (info != NULL)
            gb_model_info_clear (info);
          if (tokenizer != NULL)
            g_clear_object (tokenizer);
          return NULL;
        }
      return g_steal_pointer (&saved);
    }
  {
    g_autofree char *config = g_build_filename (dir, "config.json", NULL);
    if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
      {
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "%s is not a folder: give a saved "
                     "Glassbox model (glassbox-model.json, model.safetensors) or a Hugging Face "
                     "checkpoint folder (config.json, model.safetensors, vocab.txt)", dir);
        return NULL;
      }
    if (!g_file_test (config, G_FILE_TEST_EXISTS))
      {
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "%s holds neither glassbox-model.json "
                     "(a saved Glassbox model) nor config.json (a Hugging Face checkpoint)", dir);
        return NULL;
      }
  }
  if (info != NULL)
    memset (info, 0, sizeof *info);
  model = gb_hf_import_model (dir, text_column, &ckpt, error);
  if (model == NULL)
    return NULL;
  tok = gb_tokenizer_new_from_dir (dir, error);
  if (tok == NULL)
    return NULL;
  if (gb_tokenizer_get_vocab_size (tok) != gb_model_get_config (model)->vocab_size)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                   "%s/vocab.txt gives the tokenizer %" G_GSIZE_FORMAT " tokens but config.json "
                   "says vocab_size %u", dir, gb_tokenizer_get_vocab_size (tok),
                   gb_model_get_config (model)->vocab_size);
      return NULL;
    }
  gb_model_use_tokenizer (model, tok);
  if (info != NULL)
    {
      info->source = g_strdup_printf ("huggingface:%s", dir);
      info->class_labels = g_strdupv (gb_hf_checkpoint_get_config (ckpt)->id2label);
    }
  if (tokenizer != NULL)
    *tokenizer = g_steal_pointer (&tok);
  return g_steal_pointer (&model);
}
