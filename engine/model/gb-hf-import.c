/* gb-hf-import.c — Hugging Face BERT / DistilBERT checkpoint folders (see
 * gb-hf-import.h).  Names and config keys follow transformers'
 * modeling_bert.py, configuration_bert.py, modeling_distilbert.py and
 * configuration_distilbert.py. */
#include "gb-config.h"
#include "gb-hf-import.h"
#include "gb-model-private.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

/* ---- the naming, as data ------------------------------------------------------------- */

/* Per-layer modules: BERT name ↔ DistilBERT name (inside "encoder.layer.N." /
 * "transformer.layer.N."). */
static const struct {
  const char *bert;
  const char *distil;
} layer_modules[] = {
  { "attention.self.query", "attention.q_lin" },
  { "attention.self.key", "attention.k_lin" },
  { "attention.self.value", "attention.v_lin" },
  { "attention.output.dense", "attention.out_lin" },
  { "attention.output.LayerNorm", "sa_layer_norm" },
  { "intermediate.dense", "ffn.lin1" },
  { "output.dense", "ffn.lin2" },
  { "output.LayerNorm", "output_layer_norm" },
};

/* Dimension codes of the expected shapes. */
enum { D_NONE, D_H, D_I, D_V, D_P, D_T, D_K };

typedef enum {
  G_REQUIRED,
  G_TOKEN_TYPE, /* required when type_vocab_size > 0 */
  G_POOLER,     /* optional as a pair */
  G_CLASSIFIER, /* optional as a pair */
} Group;

typedef struct {
  const char *name; /* canonical; "%u" for the layer index */
  guint n_dims;
  int d0, d1;
  Group group;
  gboolean per_layer;
} ExpectSpec;

/* The tensors a BERT-shaped encoder with a classification head has, by
 * canonical name, with their shapes in terms of config.json. */
static const ExpectSpec expect_specs[] = {
  { "embeddings.word_embeddings.weight", 2, D_V, D_H, G_REQUIRED, FALSE },
  { "embeddings.position_embeddings.weight", 2, D_P, D_H, G_REQUIRED, FALSE },
  { "embeddings.token_type_embeddings.weight", 2, D_T, D_H, G_TOKEN_TYPE, FALSE },
  { "embeddings.LayerNorm.weight", 1, D_H, D_NONE, G_REQUIRED, FALSE },
  { "embeddings.LayerNorm.bias", 1, D_H, D_NONE, G_REQUIRED, FALSE },
  { "encoder.layer.%u.attention.self.query.weight", 2, D_H, D_H, G_REQUIRED, TRUE },
  { "encoder.layer.%u.attention.self.query.bias", 1, D_H, D_NONE, G_REQUIRED, TRUE },
  { "encoder.layer.%u.attention.self.key.weight", 2, D_H, D_H, G_REQUIRED, TRUE },
  { "encoder.layer.%u.attention.self.key.bias", 1, D_H, D_NONE, G_REQUIRED, TRUE },
  { "encoder.layer.%u.attention.self.value.weight", 2, D_H, D_H, G_REQUIRED, TRUE },
  { "encoder.layer.%u.attention.self.value.bias", 1, D_H, D_NONE, G_REQUIRED, TRUE },
  { "encoder.layer.%u.attention.output.dense.weight", 2, D_H, D_H, G_REQUIRED, TRUE },
  { "encoder.layer.%u.attention.output.dense.bias", 1, D_H, D_NONE, G_REQUIRED, TRUE },
  { "encoder.layer.%u.attention.output.LayerNorm.weight", 1, D_H, D_NONE, G_REQUIRED, TRUE },
  { "encoder.layer.%u.attention.output.LayerNorm.bias", 1, D_H, D_NONE, G_REQUIRED, TRUE },
  { "encoder.layer.%u.intermediate.dense.weight", 2, D_I, D_H, G_REQUIRED, TRUE },
  { "encoder.layer.%u.intermediate.dense.bias", 1, D_I, D_NONE, G_REQUIRED, TRUE },
  { "encoder.layer.%u.output.dense.weight", 2, D_H, D_I, G_REQUIRED, TRUE },
  { "encoder.layer.%u.output.dense.bias", 1, D_H, D_NONE, G_REQUIRED, TRUE },
  { "encoder.layer.%u.output.LayerNorm.weight", 1, D_H, D_NONE, G_REQUIRED, TRUE },
  { "encoder.layer.%u.output.LayerNorm.bias", 1, D_H, D_NONE, G_REQUIRED, TRUE },
  { "pooler.dense.weight", 2, D_H, D_H, G_POOLER, FALSE },
  { "pooler.dense.bias", 1, D_H, D_NONE, G_POOLER, FALSE },
  { "classifier.weight", 2, D_K, D_H, G_CLASSIFIER, FALSE },
  { "classifier.bias", 1, D_K, D_NONE, G_CLASSIFIER, FALSE },
};

static const char *const dim_key[][2] = {
  /* BERT key, DistilBERT key */
  [D_H] = { "hidden_size", "dim" },
  [D_I] = { "intermediate_size", "hidden_dim" },
  [D_V] = { "vocab_size", "vocab_size" },
  [D_P] = { "max_position_embeddings", "max_position_embeddings" },
  [D_T] = { "type_vocab_size", "type_vocab_size" },
  [D_K] = { "num_labels", "num_labels" },
};

static gboolean
is_layer_module_bert (const char *m)
{
  for (guint i = 0; i < G_N_ELEMENTS (layer_modules); i++)
    if (strcmp (m, layer_modules[i].bert) == 0)
      return TRUE;
  return FALSE;
}

/* "N.rest" → N and rest; FALSE when not digits then a dot. */
static gboolean
split_layer (const char *s, guint *layer, const char **rest)
{
  char *end;
  guint64 v;
  if (!g_ascii_isdigit (s[0]))
    return FALSE;
  v = g_ascii_strtoull (s, &end, 10);
  if (*end != '.' || v > 100000)
    return FALSE;
  *layer = (guint) v;
  *rest = end + 1;
  return TRUE;
}

char *
gb_hf_canonical_name (const char *name)
{
  g_autofree char *s = NULL;
  char *dot;
  const char *leaf;
  g_autofree char *module = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  if (g_str_has_prefix (name, "bert."))
    name += 5;
  else if (g_str_has_prefix (name, "distilbert."))
    name += 11;
  s = g_strdup (name);
  dot = strrchr (s, '.');
  if (dot == NULL)
    return NULL;
  *dot = '\0';
  leaf = dot + 1;
  if (strcmp (leaf, "gamma") == 0)
    leaf = "weight";
  else if (strcmp (leaf, "beta") == 0)
    leaf = "bias";
  if (strcmp (leaf, "weight") != 0 && strcmp (leaf, "bias") != 0)
    return NULL;
  module = g_strdup (s);

  if (strcmp (module, "embeddings.LayerNorm") == 0)
    return g_strdup_printf ("%s.%s", module, leaf);
  if (strcmp (leaf, "weight") == 0
      && (strcmp (module, "embeddings.word_embeddings") == 0
          || strcmp (module, "embeddings.position_embeddings") == 0
          || strcmp (module, "embeddings.token_type_embeddings") == 0))
    return g_strdup_printf ("%s.%s", module, leaf);
  if (strcmp (module, "pooler.dense") == 0 || strcmp (module, "pre_classifier") == 0)
    return g_strdup_printf ("pooler.dense.%s", leaf);
  if (strcmp (module, "classifier") == 0)
    return g_strdup_printf ("classifier.%s", leaf);
  if (g_str_has_prefix (module, "encoder.layer."))
    {
      guint l;
      const char *rest;
      if (split_layer (module + 14, &l, &rest) && is_layer_module_bert (rest))
        return g_strdup_printf ("encoder.layer.%u.%s.%s", l, rest, leaf);
      return NULL;
    }
  if (g_str_has_prefix (module, "transformer.layer."))
    {
      guint l;
      const char *rest;
      if (!split_layer (module + 18, &l, &rest))
        return NULL;
      for (guint i = 0; i < G_N_ELEMENTS (layer_modules); i++)
        if (strcmp (rest, layer_modules[i].distil) == 0)
          return g_strdup_printf ("encoder.layer.%u.%s.%s", l, layer_modules[i].bert, leaf);
      return NULL;
    }
  return NULL;
}

/* ---- the checkpoint ------------------------------------------------------------------ */

struct _GbHfCheckpoint
{
  char *dir;
  char *weights_path;
  GbHfConfig config;
  char **vocab;
  GbSafetensors *st;
  GHashTable *by_canon;   /* canonical name → const GbSafetensorsTensor* */
  char *prefix;           /* "bert.", "distilbert." or "" */
  gboolean has_pooler;
  gboolean has_classifier;
  GPtrArray *notes;       /* char*, NULL-terminated */
};

void
gb_hf_checkpoint_free (GbHfCheckpoint *ckpt)
{
  if (ckpt == NULL)
    return;
  g_free (ckpt->dir);
  g_free (ckpt->weights_path);
  g_strfreev (ckpt->config.id2label);
  g_strfreev (ckpt->vocab);
  gb_safetensors_free (ckpt->st);
  if (ckpt->by_canon != NULL)
    g_hash_table_unref (ckpt->by_canon);
  g_free (ckpt->prefix);
  if (ckpt->notes != NULL)
    g_ptr_array_unref (ckpt->notes);
  g_free (ckpt);
}

/* The name a canonical tensor has (or would have) in this checkpoint. */
static char *
checkpoint_name (GbHfCheckpoint *ckpt, const char *canon)
{
  guint l;
  const char *rest;
  g_autofree char *module = NULL;
  const char *leaf;

  {
    const GbSafetensorsTensor *t = g_hash_table_lookup (ckpt->by_canon, canon);
    if (t != NULL)
      return g_strdup (t->name);
  }
  if (g_str_has_prefix (canon, "classifier."))
    return g_strdup (canon);
  if (ckpt->config.model_type == GB_HF_BERT)
    return g_strconcat (ckpt->prefix, canon, NULL);
  /* DistilBERT */
  if (g_str_has_prefix (canon, "pooler.dense."))
    return g_strconcat ("pre_classifier.", canon + 13, NULL);
  if (g_str_has_prefix (canon, "encoder.layer.") && split_layer (canon + 14, &l, &rest))
    {
      leaf = strrchr (rest, '.') + 1;
      module = g_strndup (rest, leaf - 1 - rest);
      for (guint i = 0; i < G_N_ELEMENTS (layer_modules); i++)
        if (strcmp (module, layer_modules[i].bert) == 0)
          return g_strdup_printf ("%stransformer.layer.%u.%s.%s", ckpt->prefix, l,
                                  layer_modules[i].distil, leaf);
    }
  return g_strconcat (ckpt->prefix, canon, NULL);
}

#define CKPT_ERROR(code, ...) \
  G_STMT_START { \
    g_set_error (error, GB_MODEL_ERROR, code, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

static gboolean
get_pos_int (JsonObject *o, const char *key, guint *out, gboolean required, const char *path,
             GError **error)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (required)
        CKPT_ERROR (GB_ERROR_PARSE, "%s: “%s” is missing", path, key);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64
      || json_node_get_int (n) < 0 || json_node_get_int (n) > G_MAXINT32)
    CKPT_ERROR (GB_ERROR_PARSE, "%s: “%s” is not a non-negative integer", path, key);
  *out = (guint) json_node_get_int (n);
  return TRUE;
}

static const char *
get_string (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonParser *
load_json_object (const char *path, JsonObject **out, GError **error)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(GError) e = NULL;
  if (!json_parser_load_from_file (p, path, &e))
    {
      g_set_error (error, GB_MODEL_ERROR,
                   g_error_matches (e, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? GB_ERROR_IO : GB_ERROR_PARSE,
                   "%s: %s", path, e->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p)))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE, "%s: not a JSON object", path);
      return NULL;
    }
  *out = json_node_get_object (json_parser_get_root (p));
  return g_steal_pointer (&p);
}

static gboolean
parse_config (GbHfCheckpoint *ckpt, GError **error)
{
  g_autofree char *path = g_build_filename (ckpt->dir, "config.json", NULL);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o;
  GbHfConfig *c = &ckpt->config;
  const char *mt, *act, *pos;
  gboolean distil;
  int k;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    CKPT_ERROR (GB_ERROR_IO, "%s has no config.json: a Hugging Face checkpoint folder holds "
                "config.json, model.safetensors and vocab.txt", ckpt->dir);
  parser = load_json_object (path, &o, error);
  if (parser == NULL)
    return FALSE;
  mt = get_string (o, "model_type");
  if (mt == NULL)
    CKPT_ERROR (GB_ERROR_PARSE, "%s: “model_type” is missing (expected \"bert\" or "
                "\"distilbert\")", path);
  if (strcmp (mt, "bert") == 0)
    c->model_type = GB_HF_BERT;
  else if (strcmp (mt, "distilbert") == 0)
    c->model_type = GB_HF_DISTILBERT;
  else
    CKPT_ERROR (GB_ERROR_INVALID_ARGUMENT, "%s: model_type “%s” is not supported; Glassbox "
                "imports BERT and DistilBERT checkpoints (model_type \"bert\" or \"distilbert\")",
                path, mt);
  distil = c->model_type == GB_HF_DISTILBERT;
  k = distil ? 1 : 0;
  if (!get_pos_int (o, dim_key[D_H][k], &c->hidden_size, TRUE, path, error)
      || !get_pos_int (o, distil ? "n_layers" : "num_hidden_layers", &c->num_hidden_layers, TRUE,
                       path, error)
      || !get_pos_int (o, distil ? "n_heads" : "num_attention_heads", &c->num_attention_heads,
                       TRUE, path, error)
      || !get_pos_int (o, dim_key[D_I][k], &c->intermediate_size, TRUE, path, error)
      || !get_pos_int (o, "max_position_embeddings", &c->max_position_embeddings, TRUE, path,
                       error)
      || !get_pos_int (o, "vocab_size", &c->vocab_size, TRUE, path, error))
    return FALSE;
  c->type_vocab_size = distil ? 0 : 2;
  if (!distil && !get_pos_int (o, "type_vocab_size", &c->type_vocab_size, FALSE, path, error))
    return FALSE;
  if (c->hidden_size == 0 || c->num_attention_heads == 0 || c->num_hidden_layers == 0
      || c->intermediate_size == 0 || c->vocab_size == 0 || c->max_position_embeddings == 0
      || c->hidden_size % c->num_attention_heads != 0)
    CKPT_ERROR (GB_ERROR_PARSE, "%s: %s %u is not a positive multiple of the %u attention "
                "heads, or a size is 0", path, dim_key[D_H][k], c->hidden_size,
                c->num_attention_heads);
  c->layer_norm_eps = 1e-12; /* BERT's default; DistilBERT hard-codes it */
  if (!distil && json_object_has_member (o, "layer_norm_eps"))
    {
      JsonNode *n = json_object_get_member (o, "layer_norm_eps");
      GType t = JSON_NODE_HOLDS_VALUE (n) ? json_node_get_value_type (n) : G_TYPE_INVALID;
      if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
        CKPT_ERROR (GB_ERROR_PARSE, "%s: “layer_norm_eps” is not a number", path);
      c->layer_norm_eps = json_node_get_double (n);
      if (!(c->layer_norm_eps > 0))
        CKPT_ERROR (GB_ERROR_PARSE, "%s: “layer_norm_eps” must be positive", path);
    }
  act = get_string (o, distil ? "activation" : "hidden_act");
  if (act != NULL && strcmp (act, "gelu") != 0)
    CKPT_ERROR (GB_ERROR_INVALID_ARGUMENT, "%s: %s “%s” is not supported; Glassbox implements "
                "\"gelu\" (the erf form)", path, distil ? "activation" : "hidden_act", act);
  pos = get_string (o, "position_embedding_type");
  if (pos != NULL && strcmp (pos, "absolute") != 0)
    CKPT_ERROR (GB_ERROR_INVALID_ARGUMENT, "%s: position_embedding_type “%s” is not supported; "
                "Glassbox implements \"absolute\" position embeddings", path, pos);

  /* classes: id2label, else num_labels, else 2 */
  c->num_labels = 0;
  if (!get_pos_int (o, "num_labels", &c->num_labels, FALSE, path, error))
    return FALSE;
  if (json_object_has_member (o, "id2label")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "id2label")))
    {
      JsonObject *m = json_object_get_object_member (o, "id2label");
      guint n = json_object_get_size (m);
      if (c->num_labels != 0 && c->num_labels != n)
        CKPT_ERROR (GB_ERROR_PARSE, "%s: num_labels %u but id2label has %u entries", path,
                    c->num_labels, n);
      c->num_labels = n;
      c->id2label = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *key = g_strdup_printf ("%u", i);
          const char *v = get_string (m, key);
          if (v == NULL)
            CKPT_ERROR (GB_ERROR_PARSE, "%s: id2label lacks the string label of class “%s” "
                        "(classes must be numbered 0 .. %u)", path, key, n - 1);
          c->id2label[i] = g_strdup (v);
        }
    }
  if (c->num_labels == 0)
    c->num_labels = 2;
  if (c->num_labels < 2)
    CKPT_ERROR (GB_ERROR_INVALID_ARGUMENT, "%s: %u class; a classifier needs at least 2", path,
                c->num_labels);
  if (c->id2label == NULL)
    {
      c->id2label = g_new0 (char *, c->num_labels + 1);
      for (guint i = 0; i < c->num_labels; i++)
        c->id2label[i] = g_strdup_printf ("LABEL_%u", i);
    }
  return TRUE;
}

static gboolean
parse_tokenizer_config (GbHfCheckpoint *ckpt, GError **error)
{
  g_autofree char *path = g_build_filename (ckpt->dir, "tokenizer_config.json", NULL);
  g_autoptr(JsonParser) parser = NULL;
  GbHfConfig *c = &ckpt->config;
  JsonObject *o;
  JsonNode *n;

  c->do_lower_case = TRUE;
  c->strip_accents = -1;
  c->tokenize_chinese_chars = TRUE;
  c->model_max_length = c->max_position_embeddings;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  parser = load_json_object (path, &o, error);
  if (parser == NULL)
    return FALSE;
  if ((n = json_object_get_member (o, "do_lower_case")) != NULL && JSON_NODE_HOLDS_VALUE (n)
      && json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    c->do_lower_case = json_node_get_boolean (n);
  if ((n = json_object_get_member (o, "strip_accents")) != NULL && JSON_NODE_HOLDS_VALUE (n)
      && json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    c->strip_accents = json_node_get_boolean (n) ? 1 : 0;
  if ((n = json_object_get_member (o, "tokenize_chinese_chars")) != NULL
      && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    c->tokenize_chinese_chars = json_node_get_boolean (n);
  /* model_max_length may be a huge sentinel (1e30) when unset */
  if ((n = json_object_get_member (o, "model_max_length")) != NULL && JSON_NODE_HOLDS_VALUE (n))
    {
      double v = json_node_get_value_type (n) == G_TYPE_INT64 ? (double) json_node_get_int (n)
               : json_node_get_value_type (n) == G_TYPE_DOUBLE ? json_node_get_double (n) : 0;
      if (v >= 1 && v < c->max_position_embeddings)
        c->model_max_length = (guint) v;
    }
  return TRUE;
}

static gboolean
read_vocab (GbHfCheckpoint *ckpt, GError **error)
{
  g_autofree char *path = g_build_filename (ckpt->dir, "vocab.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) e = NULL;
  gsize len;
  GPtrArray *tokens;
  char *p, *end;

  if (!g_file_get_contents (path, &text, &len, &e))
    CKPT_ERROR (GB_ERROR_IO, "Cannot read the vocabulary %s: %s (a BERT checkpoint folder "
                "holds vocab.txt, one WordPiece token per line)", path, e->message);
  if (!g_utf8_validate (text, len, NULL))
    CKPT_ERROR (GB_ERROR_PARSE, "%s is not valid UTF-8", path);
  tokens = g_ptr_array_new ();
  p = text;
  end = text + len;
  while (p < end)
    {
      char *nl = memchr (p, '\n', end - p);
      char *stop = nl != NULL ? nl : end;
      gsize n = stop - p;
      if (n > 0 && p[n - 1] == '\r')
        n--;
      g_ptr_array_add (tokens, g_strndup (p, n));
      p = nl != NULL ? nl + 1 : end;
    }
  g_ptr_array_add (tokens, NULL);
  ckpt->vocab = (char **) g_ptr_array_free (tokens, FALSE);
  if (g_strv_length (ckpt->vocab) != ckpt->config.vocab_size)
    CKPT_ERROR (GB_ERROR_PARSE, "%s has %u tokens but config.json says vocab_size %u",
                path, g_strv_length (ckpt->vocab), ckpt->config.vocab_size);
  return TRUE;
}

static gsize
dim_value (const GbHfConfig *c, int d)
{
  switch (d)
    {
    case D_H: return c->hidden_size;
    case D_I: return c->intermediate_size;
    case D_V: return c->vocab_size;
    case D_P: return c->max_position_embeddings;
    case D_T: return c->type_vocab_size;
    case D_K: return c->num_labels;
    default: return 0;
    }
}

static char *
shape_explained (const GbHfConfig *c, const ExpectSpec *s)
{
  int k = c->model_type == GB_HF_DISTILBERT ? 1 : 0;
  gsize shape[2] = { dim_value (c, s->d0), dim_value (c, s->d1) };
  g_autofree char *shp = gb_safetensors_format_shape (shape, s->n_dims);
  if (s->n_dims == 1 || s->d0 == s->d1)
    return g_strdup_printf ("%s (%s)", shp, dim_key[s->d0][k]);
  return g_strdup_printf ("%s (%s, %s)", shp, dim_key[s->d0][k], dim_key[s->d1][k]);
}

static gboolean
validate_tensors (GbHfCheckpoint *ckpt, GError **error)
{
  const GbHfConfig *c = &ckpt->config;
  const char *path = ckpt->weights_path;
  GbSafetensors *st = ckpt->st;
  gboolean bert_prefix = FALSE, distil_prefix = FALSE;

  for (guint i = 0; i < gb_safetensors_get_n_tensors (st); i++)
    {
      const GbSafetensorsTensor *t = gb_safetensors_get_tensor (st, i);
      g_autofree char *canon = gb_hf_canonical_name (t->name);
      bert_prefix |= g_str_has_prefix (t->name, "bert.");
      distil_prefix |= g_str_has_prefix (t->name, "distilbert.");
      if (canon == NULL)
        {
          g_ptr_array_add (ckpt->notes, g_strdup_printf ("Tensor “%s” is not used by Glassbox",
                                                         t->name));
          continue;
        }
      if (g_str_has_prefix (canon, "encoder.layer."))
        {
          guint l = 0;
          const char *rest;
          split_layer (canon + 14, &l, &rest);
          if (l >= c->num_hidden_layers)
            CKPT_ERROR (GB_ERROR_PARSE, "%s: tensor “%s” belongs to layer %u but config.json "
                        "has %u layers (%s)", path, t->name, l, c->num_hidden_layers,
                        c->model_type == GB_HF_DISTILBERT ? "n_layers" : "num_hidden_layers");
        }
      if (g_hash_table_contains (ckpt->by_canon, canon))
        {
          const GbSafetensorsTensor *o = g_hash_table_lookup (ckpt->by_canon, canon);
          CKPT_ERROR (GB_ERROR_PARSE, "%s: tensors “%s” and “%s” are the same parameter", path,
                      o->name, t->name);
        }
      if (c->model_type == GB_HF_BERT && (g_str_has_prefix (t->name, "distilbert.")
                                          || g_str_has_prefix (t->name, "transformer.")))
        CKPT_ERROR (GB_ERROR_PARSE, "%s: tensor “%s” is DistilBERT-named but config.json says "
                    "model_type \"bert\"", path, t->name);
      if (c->model_type == GB_HF_DISTILBERT && (g_str_has_prefix (t->name, "bert.")
                                                || g_str_has_prefix (t->name, "encoder.")))
        CKPT_ERROR (GB_ERROR_PARSE, "%s: tensor “%s” is BERT-named but config.json says "
                    "model_type \"distilbert\"", path, t->name);
      g_hash_table_insert (ckpt->by_canon, g_steal_pointer (&canon), (gpointer) t);
    }
  ckpt->prefix = g_strdup (bert_prefix ? "bert." : distil_prefix ? "distilbert." : "");
  ckpt->has_pooler = g_hash_table_contains (ckpt->by_canon, "pooler.dense.weight")
                     || g_hash_table_contains (ckpt->by_canon, "pooler.dense.bias");
  ckpt->has_classifier = g_hash_table_contains (ckpt->by_canon, "classifier.weight")
                         || g_hash_table_contains (ckpt->by_canon, "classifier.bias");

  for (guint i = 0; i < G_N_ELEMENTS (expect_specs); i++)
    {
      const ExpectSpec *s = &expect_specs[i];
      guint n_layers = s->per_layer ? c->num_hidden_layers : 1;
      gboolean needed = s->group == G_REQUIRED
                        || (s->group == G_TOKEN_TYPE && c->type_vocab_size > 0)
                        || (s->group == G_POOLER && ckpt->has_pooler)
                        || (s->group == G_CLASSIFIER && ckpt->has_classifier);
      for (guint l = 0; l < n_layers; l++)
        {
          g_autofree char *canon = s->per_layer ? g_strdup_printf (s->name, l) : g_strdup (s->name);
          const GbSafetensorsTensor *t = g_hash_table_lookup (ckpt->by_canon, canon);
          gsize shape[2] = { dim_value (c, s->d0), dim_value (c, s->d1) };
          gboolean same;

          if (t == NULL)
            {
              g_autofree char *name = checkpoint_name (ckpt, canon);
              g_autofree char *exp = shape_explained (c, s);
              if (!needed)
                continue;
              CKPT_ERROR (GB_ERROR_PARSE, "%s: tensor “%s” is missing (expected shape %s)",
                          path, name, exp);
            }
          if (s->group == G_TOKEN_TYPE && c->type_vocab_size == 0)
            CKPT_ERROR (GB_ERROR_PARSE, "%s: tensor “%s” present but config.json has no token "
                        "types", path, t->name);
          same = t->n_dims == s->n_dims && t->shape[0] == shape[0]
                 && (s->n_dims == 1 || t->shape[1] == shape[1]);
          if (!same)
            {
              g_autofree char *found = gb_safetensors_format_shape (t->shape, t->n_dims);
              g_autofree char *exp = shape_explained (c, s);
              CKPT_ERROR (GB_ERROR_PARSE, "%s: tensor “%s” has shape %s, expected %s from "
                          "config.json", path, t->name, found, exp);
            }
          if (t->dtype != GB_SAFETENSORS_F32 && t->dtype != GB_SAFETENSORS_F16
              && t->dtype != GB_SAFETENSORS_BF16 && t->dtype != GB_SAFETENSORS_F64)
            CKPT_ERROR (GB_ERROR_PARSE, "%s: tensor “%s” has dtype %s; a floating-point dtype "
                        "(F32, F16, BF16, F64) is needed", path, t->name,
                        gb_safetensors_dtype_to_string (t->dtype));
        }
    }
  if (!ckpt->has_classifier)
    g_ptr_array_add (ckpt->notes,
                     g_strdup_printf ("%s has no classifier (a base model, not a sequence-"
                                      "classification one): the classification head starts "
                                      "untrained", path));
  return TRUE;
}

static gboolean
refuse_other_formats (const char *dir, GError **error)
{
  g_autofree char *bin = g_build_filename (dir, "pytorch_model.bin", NULL);
  g_autofree char *index = g_build_filename (dir, "model.safetensors.index.json", NULL);
  g_autofree char *h5 = g_build_filename (dir, "tf_model.h5", NULL);

  if (g_file_test (index, G_FILE_TEST_EXISTS))
    CKPT_ERROR (GB_ERROR_INVALID_ARGUMENT, "%s holds a sharded checkpoint "
                "(model.safetensors.index.json); Glassbox reads a single model.safetensors — "
                "save it again with save_pretrained(DIR, safe_serialization=True, "
                "max_shard_size=\"100GB\")", dir);
  if (g_file_test (bin, G_FILE_TEST_EXISTS))
    CKPT_ERROR (GB_ERROR_INVALID_ARGUMENT,
                "%s holds pytorch_model.bin but no model.safetensors. Glassbox does not load "
                "PyTorch pickle files: unpickling can execute arbitrary code hidden in the file. "
                "Convert it to safetensors where you trust the file, e.g.\n"
                "  python -c \"import torch; from safetensors.torch import save_file; "
                "sd = torch.load('%s', map_location='cpu', weights_only=True); "
                "save_file({k: v.clone().contiguous() for k, v in sd.items()}, "
                "'%s/model.safetensors', metadata={'format': 'pt'})\"\n"
                "or with transformers: AutoModelForSequenceClassification.from_pretrained(DIR)"
                ".save_pretrained(DIR, safe_serialization=True)", dir, bin, dir);
  if (g_file_test (h5, G_FILE_TEST_EXISTS))
    CKPT_ERROR (GB_ERROR_INVALID_ARGUMENT, "%s holds a TensorFlow checkpoint (tf_model.h5) "
                "but no model.safetensors; convert it with transformers: "
                "AutoModelForSequenceClassification.from_pretrained(DIR, from_tf=True)"
                ".save_pretrained(DIR, safe_serialization=True)", dir);
  CKPT_ERROR (GB_ERROR_IO, "%s has no model.safetensors: a Hugging Face checkpoint folder "
              "holds config.json, model.safetensors and vocab.txt", dir);
}

GbHfCheckpoint *
gb_hf_checkpoint_open (const char *dir, GError **error)
{
  g_autoptr(GbHfCheckpoint) ckpt = NULL;

  g_return_val_if_fail (dir != NULL, NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "%s is not a folder (a Hugging Face "
                   "checkpoint folder holds config.json, model.safetensors and vocab.txt)", dir);
      return NULL;
    }
  ckpt = g_new0 (GbHfCheckpoint, 1);
  ckpt->dir = g_strdup (dir);
  ckpt->weights_path = g_build_filename (dir, "model.safetensors", NULL);
  ckpt->by_canon = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ckpt->notes = g_ptr_array_new_with_free_func (g_free);
  if (!g_file_test (ckpt->weights_path, G_FILE_TEST_EXISTS))
    {
      refuse_other_formats (dir, error);
      return NULL;
    }
  if (!parse_config (ckpt, error) || !parse_tokenizer_config (ckpt, error)
      || !read_vocab (ckpt, error))
    return NULL;
  ckpt->st = gb_safetensors_open (ckpt->weights_path, error);
  if (ckpt->st == NULL || !validate_tensors (ckpt, error))
    return NULL;
  g_ptr_array_add (ckpt->notes, NULL);
  return g_steal_pointer (&ckpt);
}

const char *
gb_hf_checkpoint_get_dir (GbHfCheckpoint *ckpt)
{
  return ckpt->dir;
}

const GbHfConfig *
gb_hf_checkpoint_get_config (GbHfCheckpoint *ckpt)
{
  return &ckpt->config;
}

const char *const *
gb_hf_checkpoint_get_vocab (GbHfCheckpoint *ckpt)
{
  return (const char *const *) ckpt->vocab;
}

GbSafetensors *
gb_hf_checkpoint_get_safetensors (GbHfCheckpoint *ckpt)
{
  return ckpt->st;
}

gboolean
gb_hf_checkpoint_has_pooler (GbHfCheckpoint *ckpt)
{
  return ckpt->has_pooler;
}

gboolean
gb_hf_checkpoint_has_classifier (GbHfCheckpoint *ckpt)
{
  return ckpt->has_classifier;
}

const char *const *
gb_hf_checkpoint_get_notes (GbHfCheckpoint *ckpt)
{
  return (const char *const *) ckpt->notes->pdata;
}

void
gb_hf_checkpoint_transformer_config (GbHfCheckpoint *ckpt, GbTransformerConfig *out)
{
  const GbHfConfig *c = &ckpt->config;
  memset (out, 0, sizeof *out);
  out->n_layers = c->num_hidden_layers;
  out->d_model = c->hidden_size;
  out->n_heads = c->num_attention_heads;
  out->d_ff = c->intermediate_size;
  out->vocab_size = c->vocab_size;
  out->max_position = c->max_position_embeddings;
  out->max_length = MIN (128u, MIN (c->model_max_length, c->max_position_embeddings));
  out->type_vocab_size = c->type_vocab_size;
  out->layer_norm_eps = c->layer_norm_eps;
  out->pooler = ckpt->has_pooler;
  out->pooler_activation = c->model_type == GB_HF_DISTILBERT ? GB_POOLER_RELU : GB_POOLER_TANH;
}

gboolean
gb_hf_checkpoint_load_targets (GbHfCheckpoint *ckpt, const GbHfTarget *targets, guint n_targets,
                               char ***skipped, GError **error)
{
  g_autoptr(GPtrArray) skip = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_targets; i++)
    {
      const GbHfTarget *tg = &targets[i];
      g_autofree char *canon = gb_hf_canonical_name (tg->name);
      const GbSafetensorsTensor *t = canon != NULL ? g_hash_table_lookup (ckpt->by_canon, canon)
                                                   : NULL;
      gsize n = tg->shape[0] * (tg->n_dims == 2 ? tg->shape[1] : 1);
      g_autofree char *want = gb_safetensors_format_shape (tg->shape, tg->n_dims);

      if (t == NULL)
        {
          g_autofree char *name = canon != NULL ? checkpoint_name (ckpt, canon) : g_strdup (tg->name);
          if (tg->optional)
            {
              g_ptr_array_add (skip, g_strdup (tg->name));
              continue;
            }
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                       "%s: tensor “%s” is missing (expected shape %s)%s", ckpt->weights_path,
                       name, want, canon == NULL ? "; it has no Hugging Face counterpart" : "");
          if (skipped != NULL)
            *skipped = NULL;
          return FALSE;
        }
      if (t->n_dims != tg->n_dims || t->shape[0] != tg->shape[0]
          || (tg->n_dims == 2 && t->shape[1] != tg->shape[1]))
        {
          g_autofree char *found = gb_safetensors_format_shape (t->shape, t->n_dims);
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                       "%s: tensor “%s” has shape %s, the model expects %s", ckpt->weights_path,
                       t->name, found, want);
          return FALSE;
        }
      if (!gb_safetensors_copy_f32 (ckpt->st, t->name, t->shape, t->n_dims, tg->dest, n, error))
        return FALSE;
    }
  if (skipped != NULL)
    {
      g_ptr_array_add (skip, NULL);
      *skipped = (char **) g_ptr_array_free (g_steal_pointer (&skip), FALSE);
    }
  return TRUE;
}

GbModel *
gb_hf_import_model (const char *dir, const char *text_column, GbHfCheckpoint **out_checkpoint,
                    GError **error)
{
  g_autoptr(GbHfCheckpoint) ckpt = gb_hf_checkpoint_open (dir, error);
  g_autoptr(GbModel) model = NULL;
  GbTransformerConfig tc;
  GbModelTensorInfo *infos;
  GbHfTarget *targets;
  float *params;
  guint n = 0;
  gboolean ok;

  if (ckpt == NULL)
    return NULL;
  gb_hf_checkpoint_transformer_config (ckpt, &tc);
  model = gb_model_new_from_config (&tc, ckpt->config.num_labels, NULL, 0, text_column, 0,
                                    error);
  if (model == NULL)
    {
      g_prefix_error (error, "%s: ", dir);
      return NULL;
    }
  params = gb_model_get_parameters (model, NULL);
  infos = gb_model_list_tensors (model, ckpt->config.model_type == GB_HF_DISTILBERT
                                          ? GB_MODEL_NAMING_DISTILBERT : GB_MODEL_NAMING_BERT, &n);
  targets = g_new0 (GbHfTarget, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *canon = gb_hf_canonical_name (infos[i].name);
      targets[i].name = infos[i].name;
      targets[i].n_dims = infos[i].n_dims;
      targets[i].shape[0] = infos[i].shape[0];
      targets[i].shape[1] = infos[i].shape[1];
      targets[i].dest = params + infos[i].offset;
      targets[i].optional = canon != NULL && g_str_has_prefix (canon, "classifier.")
                            && !ckpt->has_classifier;
    }
  ok = gb_hf_checkpoint_load_targets (ckpt, targets, n, NULL, error);
  g_free (targets);
  gb_model_tensor_info_free (infos, n);
  if (!ok)
    return NULL;
  if (out_checkpoint != NULL)
    *out_checkpoint = g_steal_pointer (&ckpt);
  return g_steal_pointer (&model);
}
