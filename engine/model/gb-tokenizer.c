/* gb-tokenizer.c — BERT's BasicTokenizer + WordPiece (see gb-tokenizer.h).
 *
 * Source: tokenization.py of google-research/bert (Devlin et al. 2019) at
 * commit eedf5716 (no code copied; the steps below follow its description),
 * with the options of Hugging Face's BertTokenizer (strip_accents, the word
 * length limit of 100). */
#include "gb-tokenizer.h"

#include <json-glib/json-glib.h>
#include <string.h>

struct _GbTokenizer
{
  GObject parent_instance;

  GPtrArray *tokens;          /* id -> token (owned strings) */
  GHashTable *lookup;         /* token -> id + 1 (GINT_TO_POINTER); the later duplicate wins */
  guint max_token_chars;      /* longest entry in code points: no longer substring can match */

  gboolean lower_case;
  GbTokenizerStripAccents strip_accents;
  gboolean chinese_chars;
  guint max_chars_per_word;
  guint model_max_length;

  gint32 unk_id, pad_id, cls_id, sep_id, mask_id;
};

G_DEFINE_FINAL_TYPE (GbTokenizer, gb_tokenizer, G_TYPE_OBJECT)

static void
gb_tokenizer_finalize (GObject *object)
{
  GbTokenizer *self = GB_TOKENIZER (object);

  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  g_clear_pointer (&self->lookup, g_hash_table_unref);
  G_OBJECT_CLASS (gb_tokenizer_parent_class)->finalize (object);
}

static void
gb_tokenizer_class_init (GbTokenizerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gb_tokenizer_finalize;
}

static void
gb_tokenizer_init (GbTokenizer *self)
{
  self->lower_case = TRUE;
  self->strip_accents = GB_TOKENIZER_STRIP_ACCENTS_AUTO;
  self->chinese_chars = TRUE;
  self->max_chars_per_word = GB_TOKENIZER_DEFAULT_MAX_CHARS_PER_WORD;
  self->unk_id = self->pad_id = self->cls_id = self->sep_id = self->mask_id = -1;
}

/* ------------------------------------------------------------ vocabulary */

static gint32
lookup_id (GbTokenizer *self, const char *token)
{
  gpointer v = g_hash_table_lookup (self->lookup, token);
  return v ? GPOINTER_TO_INT (v) - 1 : -1;
}

/* Takes ownership of @tokens. */
static GbTokenizer *
tokenizer_new_take (GPtrArray *tokens, const char *origin, GError **error)
{
  GbTokenizer *self;

  if (tokens->len == 0)
    {
      g_set_error (error, GB_MODEL_ERROR, origin ? GB_ERROR_PARSE : GB_ERROR_INVALID_ARGUMENT,
                   "%s%sthe vocabulary is empty", origin ? origin : "", origin ? ": " : "");
      g_ptr_array_unref (tokens);
      return NULL;
    }
  if (tokens->len > G_MAXINT32 - 1)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "%s%sthe vocabulary has more than 2^31 tokens",
                   origin ? origin : "", origin ? ": " : "");
      g_ptr_array_unref (tokens);
      return NULL;
    }

  self = g_object_new (GB_TYPE_TOKENIZER, NULL);
  self->tokens = tokens;
  self->lookup = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < tokens->len; i++)
    {
      const char *t = g_ptr_array_index (tokens, i);
      glong nc = g_utf8_strlen (t, -1);

      self->max_token_chars = MAX (self->max_token_chars, (guint) nc);
      g_hash_table_insert (self->lookup, (gpointer) t, GINT_TO_POINTER ((gint) i + 1));
    }
  self->unk_id = lookup_id (self, "[UNK]");
  self->pad_id = lookup_id (self, "[PAD]");
  self->cls_id = lookup_id (self, "[CLS]");
  self->sep_id = lookup_id (self, "[SEP]");
  self->mask_id = lookup_id (self, "[MASK]");
  if (self->unk_id < 0)
    {
      g_set_error (error, GB_MODEL_ERROR, origin ? GB_ERROR_PARSE : GB_ERROR_INVALID_ARGUMENT,
                   "%s%sthe vocabulary has no [UNK] token, which WordPiece needs for "
                   "words it cannot split", origin ? origin : "", origin ? ": " : "");
      g_object_unref (self);
      return NULL;
    }
  return self;
}

GbTokenizer *
gb_tokenizer_new_from_tokens (const char *const *tokens, gsize n_tokens, GError **error)
{
  GPtrArray *arr = g_ptr_array_new_full (n_tokens, g_free);

  g_return_val_if_fail (tokens != NULL || n_tokens == 0, NULL);
  for (gsize i = 0; i < n_tokens; i++)
    {
      if (tokens[i] == NULL || !g_utf8_validate (tokens[i], -1, NULL)
          || strchr (tokens[i], '\n') || strchr (tokens[i], '\r'))
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "vocabulary token %" G_GSIZE_FORMAT " is %s", i,
                       tokens[i] == NULL ? "missing (NULL)"
                       : !g_utf8_validate (tokens[i], -1, NULL) ? "not valid UTF-8"
                       : "split by a line break, which vocab.txt cannot hold");
          g_ptr_array_unref (arr);
          return NULL;
        }
      g_ptr_array_add (arr, g_strdup (tokens[i]));
    }
  return tokenizer_new_take (arr, NULL, error);
}

GbTokenizer *
gb_tokenizer_new_from_vocab_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) local = NULL;
  GPtrArray *arr;
  const char *p, *end;
  guint line = 0;

  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "%s", local->message);
      return NULL;
    }
  arr = g_ptr_array_new_with_free_func (g_free);
  p = contents;
  end = contents + length;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl ? nl : end;
      gsize len = stop - p;

      line++;
      if (nl && len > 0 && p[len - 1] == '\r')
        len--;
      if (!g_utf8_validate_len (p, len, NULL) || memchr (p, '\0', len) != NULL)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                       "%s:%u: the token is not valid UTF-8 text; a vocab.txt holds one "
                       "UTF-8 token per line", path, line);
          g_ptr_array_unref (arr);
          return NULL;
        }
      g_ptr_array_add (arr, g_strndup (p, len));
      p = nl ? nl + 1 : end;
    }
  return tokenizer_new_take (arr, path, error);
}

GbTokenizer *
gb_tokenizer_new_from_dir (const char *dir, GError **error)
{
  g_autofree char *vocab = g_build_filename (dir, "vocab.txt", NULL);
  g_autofree char *config = g_build_filename (dir, "tokenizer_config.json", NULL);
  g_autoptr (GbTokenizer) self = NULL;

  if (!g_file_test (vocab, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO,
                   "%s: no vocab.txt; Glassbox reads WordPiece (BERT-style) tokenizers only",
                   dir);
      return NULL;
    }
  self = gb_tokenizer_new_from_vocab_file (vocab, error);
  if (!self)
    return NULL;
  if (g_file_test (config, G_FILE_TEST_EXISTS) && !gb_tokenizer_load_config (self, config, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Reads a special-token entry: a string or {"content": "..."}.
 * Returns FALSE with @error set on a wrong type. */
static gboolean
config_special (JsonObject *obj, const char *key, const char *path, const char **out,
                GError **error)
{
  JsonNode *node;

  *out = NULL;
  if (!json_object_has_member (obj, key))
    return TRUE;
  node = json_object_get_member (obj, key);
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *out = json_node_get_string (node);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      JsonNode *c = json_object_get_member (o, "content");
      if (c && JSON_NODE_HOLDS_VALUE (c) && json_node_get_value_type (c) == G_TYPE_STRING)
        {
          *out = json_node_get_string (c);
          return TRUE;
        }
    }
  g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
               "%s: \"%s\" must be a string or an object with a string \"content\"", path, key);
  return FALSE;
}

static gboolean
config_bool (JsonObject *obj, const char *key, const char *path, int *out, GError **error)
{
  JsonNode *node;

  if (!json_object_has_member (obj, key))
    return TRUE;
  node = json_object_get_member (obj, key);
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = -1;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node) ? 1 : 0;
      return TRUE;
    }
  g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
               "%s: \"%s\" must be true or false", path, key);
  return FALSE;
}

static gboolean
config_number (JsonObject *obj, const char *key, const char *path, double *out, GError **error)
{
  JsonNode *node;
  GType t;

  if (!json_object_has_member (obj, key))
    return TRUE;
  node = json_object_get_member (obj, key);
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  t = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE)
    {
      *out = json_node_get_double (node);
      return TRUE;
    }
  g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
               "%s: \"%s\" must be a number", path, key);
  return FALSE;
}

gboolean
gb_tokenizer_load_config (GbTokenizer *self, const char *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  JsonNode *root;
  JsonObject *obj;
  int lower = -2, strip = -2, chinese = -2;
  double model_max = -1, max_chars = -1;
  static const char *const keys[5] = { "unk_token", "pad_token", "cls_token", "sep_token", "mask_token" };
  gint32 ids[5] = { self->unk_id, self->pad_id, self->cls_id, self->sep_id, self->mask_id };

  g_return_val_if_fail (GB_IS_TOKENIZER (self), FALSE);

  if (!json_parser_load_from_file (parser, path, &local))
    {
      if (local->domain == G_FILE_ERROR)
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "%s", local->message);
      else if (g_str_has_prefix (local->message, path))   /* json-glib gives FILE:LINE:COLUMN */
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE, "%s", local->message);
      else
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE, "%s: %s", path, local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                   "%s: a tokenizer_config.json must hold one JSON object", path);
      return FALSE;
    }
  obj = json_node_get_object (root);

  if (json_object_has_member (obj, "tokenizer_class"))
    {
      JsonNode *n = json_object_get_member (obj, "tokenizer_class");
      const char *cls = (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
                        ? json_node_get_string (n) : NULL;
      if (cls && !strstr (cls, "Bert") && !strstr (cls, "Electra"))
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "%s: tokenizer_class \"%s\" is not a WordPiece tokenizer; Glassbox "
                       "reads BERT-style vocab.txt tokenizers only", path, cls);
          return FALSE;
        }
    }

  if (!config_bool (obj, "do_lower_case", path, &lower, error)
      || !config_bool (obj, "strip_accents", path, &strip, error)
      || !config_bool (obj, "tokenize_chinese_chars", path, &chinese, error)
      || !config_number (obj, "model_max_length", path, &model_max, error)
      || !config_number (obj, "max_input_chars_per_word", path, &max_chars, error))
    return FALSE;
  if (lower == -1 || chinese == -1)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "%s: \"%s\" must be true or false", path,
                   lower == -1 ? "do_lower_case" : "tokenize_chinese_chars");
      return FALSE;
    }
  if (max_chars != -1 && !(max_chars >= 1 && max_chars <= 1e6))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "%s: \"max_input_chars_per_word\" must be between 1 and 1000000", path);
      return FALSE;
    }

  for (int k = 0; k < 5; k++)
    {
      const char *tok = NULL;
      if (!config_special (obj, keys[k], path, &tok, error))
        return FALSE;
      if (tok)
        {
          ids[k] = lookup_id (self, tok);
          if (ids[k] < 0)
            {
              g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "%s: %s \"%s\" is not in the vocabulary", path, keys[k], tok);
              return FALSE;
            }
        }
    }

  /* Everything checked: apply. */
  if (lower >= 0)
    self->lower_case = lower;
  if (strip != -2)
    self->strip_accents = strip == -1 ? GB_TOKENIZER_STRIP_ACCENTS_AUTO
                          : strip ? GB_TOKENIZER_STRIP_ACCENTS_ON : GB_TOKENIZER_STRIP_ACCENTS_OFF;
  if (chinese >= 0)
    self->chinese_chars = chinese;
  if (model_max >= 1 && model_max <= 1e6)
    self->model_max_length = (guint) model_max;
  if (max_chars != -1)
    self->max_chars_per_word = (guint) max_chars;
  self->unk_id = ids[0];
  self->pad_id = ids[1];
  self->cls_id = ids[2];
  self->sep_id = ids[3];
  self->mask_id = ids[4];
  return TRUE;
}

/* ------------------------------------------------------------------- save */

gboolean
gb_tokenizer_save (GbTokenizer *self, const char *dir, GError **error)
{
  g_autofree char *vocab = g_build_filename (dir, "vocab.txt", NULL);
  g_autofree char *config = g_build_filename (dir, "tokenizer_config.json", NULL);
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autoptr (GError) local = NULL;
  static const char *const keys[5] = { "unk_token", "pad_token", "cls_token", "sep_token", "mask_token" };
  gint32 ids[5];

  g_return_val_if_fail (GB_IS_TOKENIZER (self), FALSE);
  ids[0] = self->unk_id;
  ids[1] = self->pad_id;
  ids[2] = self->cls_id;
  ids[3] = self->sep_id;
  ids[4] = self->mask_id;

  for (guint i = 0; i < self->tokens->len; i++)
    {
      g_string_append (text, g_ptr_array_index (self->tokens, i));
      g_string_append_c (text, '\n');
    }
  if (!g_file_set_contents (vocab, text->str, text->len, &local))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "%s", local->message);
      return FALSE;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tokenizer_class");
  json_builder_add_string_value (b, "BertTokenizer");
  json_builder_set_member_name (b, "do_lower_case");
  json_builder_add_boolean_value (b, self->lower_case);
  json_builder_set_member_name (b, "strip_accents");
  if (self->strip_accents == GB_TOKENIZER_STRIP_ACCENTS_AUTO)
    json_builder_add_null_value (b);
  else
    json_builder_add_boolean_value (b, self->strip_accents == GB_TOKENIZER_STRIP_ACCENTS_ON);
  json_builder_set_member_name (b, "tokenize_chinese_chars");
  json_builder_add_boolean_value (b, self->chinese_chars);
  json_builder_set_member_name (b, "max_input_chars_per_word");
  json_builder_add_int_value (b, self->max_chars_per_word);
  if (self->model_max_length > 0)
    {
      json_builder_set_member_name (b, "model_max_length");
      json_builder_add_int_value (b, self->model_max_length);
    }
  for (int k = 0; k < 5; k++)
    if (ids[k] >= 0)
      {
        json_builder_set_member_name (b, keys[k]);
        json_builder_add_string_value (b, g_ptr_array_index (self->tokens, ids[k]));
      }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json = json_generator_to_data (gen, NULL);
  if (!g_file_set_contents (config, json, -1, &local))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

/* --------------------------------------------------------------- settings */

void
gb_tokenizer_set_lower_case (GbTokenizer *self, gboolean lower_case)
{
  g_return_if_fail (GB_IS_TOKENIZER (self));
  self->lower_case = !!lower_case;
}

gboolean
gb_tokenizer_get_lower_case (GbTokenizer *self)
{
  g_return_val_if_fail (GB_IS_TOKENIZER (self), FALSE);
  return self->lower_case;
}

void
gb_tokenizer_set_strip_accents (GbTokenizer *self, GbTokenizerStripAccents mode)
{
  g_return_if_fail (GB_IS_TOKENIZER (self));
  g_return_if_fail (mode <= GB_TOKENIZER_STRIP_ACCENTS_OFF);
  self->strip_accents = mode;
}

GbTokenizerStripAccents
gb_tokenizer_get_strip_accents (GbTokenizer *self)
{
  g_return_val_if_fail (GB_IS_TOKENIZER (self), GB_TOKENIZER_STRIP_ACCENTS_AUTO);
  return self->strip_accents;
}

void
gb_tokenizer_set_tokenize_chinese_chars (GbTokenizer *self, gboolean split)
{
  g_return_if_fail (GB_IS_TOKENIZER (self));
  self->chinese_chars = !!split;
}

gboolean
gb_tokenizer_get_tokenize_chinese_chars (GbTokenizer *self)
{
  g_return_val_if_fail (GB_IS_TOKENIZER (self), FALSE);
  return self->chinese_chars;
}

void
gb_tokenizer_set_max_chars_per_word (GbTokenizer *self, guint max_chars)
{
  g_return_if_fail (GB_IS_TOKENIZER (self));
  self->max_chars_per_word = max_chars ? max_chars : GB_TOKENIZER_DEFAULT_MAX_CHARS_PER_WORD;
}

guint
gb_tokenizer_get_max_chars_per_word (GbTokenizer *self)
{
  g_return_val_if_fail (GB_IS_TOKENIZER (self), 0);
  return self->max_chars_per_word;
}

guint
gb_tokenizer_get_model_max_length (GbTokenizer *self)
{
  g_return_val_if_fail (GB_IS_TOKENIZER (self), 0);
  return self->model_max_length;
}

gsize
gb_tokenizer_get_vocab_size (GbTokenizer *self)
{
  g_return_val_if_fail (GB_IS_TOKENIZER (self), 0);
  return self->tokens->len;
}

gint32
gb_tokenizer_token_to_id (GbTokenizer *self, const char *token)
{
  g_return_val_if_fail (GB_IS_TOKENIZER (self), -1);
  g_return_val_if_fail (token != NULL, -1);
  return lookup_id (self, token);
}

const char *
gb_tokenizer_id_to_token (GbTokenizer *self, gint32 id)
{
  g_return_val_if_fail (GB_IS_TOKENIZER (self), NULL);
  if (id < 0 || (guint) id >= self->tokens->len)
    return NULL;
  return g_ptr_array_index (self->tokens, id);
}

gint32 gb_tokenizer_get_unk_id (GbTokenizer *self)  { g_return_val_if_fail (GB_IS_TOKENIZER (self), -1); return self->unk_id; }
gint32 gb_tokenizer_get_pad_id (GbTokenizer *self)  { g_return_val_if_fail (GB_IS_TOKENIZER (self), -1); return self->pad_id; }
gint32 gb_tokenizer_get_cls_id (GbTokenizer *self)  { g_return_val_if_fail (GB_IS_TOKENIZER (self), -1); return self->cls_id; }
gint32 gb_tokenizer_get_sep_id (GbTokenizer *self)  { g_return_val_if_fail (GB_IS_TOKENIZER (self), -1); return self->sep_id; }
gint32 gb_tokenizer_get_mask_id (GbTokenizer *self) { g_return_val_if_fail (GB_IS_TOKENIZER (self), -1); return self->mask_id; }

/* ------------------------------------------------- character predicates */

/* BERT's _is_control: categories Cc and Cf, except TAB, LF and CR. */
static gboolean
is_control (gunichar c)
{
  GUnicodeType t;
  if (c == '\t' || c == '\n' || c == '\r')
    return FALSE;
  t = g_unichar_type (c);
  return t == G_UNICODE_CONTROL || t == G_UNICODE_FORMAT;
}

/* BERT's _is_whitespace: space, TAB, LF, CR and category Zs. */
static gboolean
is_bert_whitespace (gunichar c)
{
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
    return TRUE;
  return g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

/* Python's str.isspace(), used by str.split() in whitespace_tokenize():
 * bidirectional class WS, B or S, or category Zs. */
static gboolean
is_py_space (gunichar c)
{
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0
         || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
         || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* BERT's _is_punctuation: ASCII 33–47, 58–64, 91–96, 123–126, or category P*. */
static gboolean
is_punctuation (gunichar c)
{
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126))
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
      return TRUE;
    default:
      return FALSE;
    }
}

/* BERT's _is_chinese_char: the CJK Unified Ideographs blocks (not kana, not Hangul). */
static gboolean
is_chinese_char (gunichar c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)
         || (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F)
         || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
         || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

/* Unicode's Cased property (DerivedCoreProperties.txt): Lu, Ll, Lt plus the
 * main Other_Lowercase / Other_Uppercase ranges. */
static gboolean
is_cased (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
      return TRUE;
    default:
      break;
    }
  return c == 0xAA || c == 0xBA || (c >= 0x2B0 && c <= 0x2B8) || (c >= 0x2C0 && c <= 0x2C1)
         || (c >= 0x2E0 && c <= 0x2E4) || c == 0x345 || c == 0x37A
         || (c >= 0x1D2C && c <= 0x1D6A) || c == 0x1D78 || (c >= 0x1D9B && c <= 0x1DBF)
         || c == 0x2071 || c == 0x207F || (c >= 0x2090 && c <= 0x209C)
         || (c >= 0x2160 && c <= 0x217F) || (c >= 0x24B6 && c <= 0x24E9)
         || (c >= 0x1F130 && c <= 0x1F149) || (c >= 0x1F150 && c <= 0x1F169)
         || (c >= 0x1F170 && c <= 0x1F189);
}

/* Unicode's Case_Ignorable: Mn, Me, Cf, Lm, Sk, and Word_Break MidLetter,
 * MidNumLet and Single_Quote. */
static gboolean
is_case_ignorable (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_FORMAT:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_MODIFIER_SYMBOL:
      return TRUE;
    default:
      break;
    }
  switch (c)
    {
    case 0x27: case 0x2E: case 0x3A: case 0xB7: case 0x387: case 0x55F: case 0x5F4:
    case 0x2018: case 0x2019: case 0x2024: case 0x2027: case 0xFE13: case 0xFE52:
    case 0xFE55: case 0xFF07: case 0xFF0E: case 0xFF1A:
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---------------------------------------------------- basic tokenization */

/* Python's str.lower() of @w[0..n) appended to @out: full lower-case mapping
 * (SpecialCasing.txt: U+0130 → i + U+0307, the Final_Sigma rule), the simple
 * mapping otherwise. */
static void
py_lower (const gunichar *w, gsize n, GArray *out)
{
  for (gsize i = 0; i < n; i++)
    {
      gunichar c = w[i], l;

      if (c == 0x130)
        {
          gunichar pair[2] = { 'i', 0x307 };
          g_array_append_vals (out, pair, 2);
          continue;
        }
      if (c == 0x3A3)
        {
          /* Final_Sigma: preceded by a cased letter (case-ignorables skipped)
           * and not followed by one. */
          gssize j;
          gsize k;
          gboolean final = FALSE;

          for (j = (gssize) i - 1; j >= 0 && is_case_ignorable (w[j]); j--)
            ;
          if (j >= 0 && is_cased (w[j]))
            {
              for (k = i + 1; k < n && is_case_ignorable (w[k]); k++)
                ;
              final = k == n || !is_cased (w[k]);
            }
          l = final ? 0x3C2 : 0x3C3;
          g_array_append_val (out, l);
          continue;
        }
      l = g_unichar_tolower (c);
      g_array_append_val (out, l);
    }
}

/* NFD, then every Mn code point removed (BERT's _run_strip_accents). */
static void
strip_accents (GArray *word)
{
  g_autofree char *utf8 = NULL, *nfd = NULL;
  glong n = 0;
  g_autofree gunichar *ucs = NULL;

  gboolean ascii = TRUE;

  for (guint i = 0; i < word->len && ascii; i++)
    ascii = g_array_index (word, gunichar, i) < 0x80;
  if (ascii)   /* no ASCII character decomposes or is a mark */
    return;
  utf8 = g_ucs4_to_utf8 ((gunichar *) word->data, word->len, NULL, NULL, NULL);
  if (!utf8)
    return;
  nfd = g_utf8_normalize (utf8, -1, G_NORMALIZE_NFD);
  if (!nfd)
    return;
  ucs = g_utf8_to_ucs4_fast (nfd, -1, &n);
  g_array_set_size (word, 0);
  for (glong i = 0; i < n; i++)
    if (g_unichar_type (ucs[i]) != G_UNICODE_NON_SPACING_MARK)
      g_array_append_val (word, ucs[i]);
}

static void
push_word (GPtrArray *out, const gunichar *w, gsize n)
{
  /* A word can still contain whitespace only in theory (the reference joins
   * the pieces with spaces and splits again); split here as it does. */
  gsize s = 0;
  for (gsize i = 0; i <= n; i++)
    if (i == n || is_py_space (w[i]))
      {
        if (i > s)
          g_ptr_array_add (out, g_ucs4_to_utf8 (w + s, i - s, NULL, NULL, NULL));
        s = i + 1;
      }
}

/* The BasicTokenizer; returns a GPtrArray of UTF-8 words (owned). */
static GPtrArray *
basic_tokenize (GbTokenizer *self, const char *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *valid = NULL;
  g_autofree gunichar *ucs = NULL;
  glong n = 0;
  g_autoptr (GArray) clean = NULL;
  g_autoptr (GArray) word = NULL;
  gboolean lower = self->lower_case;
  gboolean strip = self->strip_accents == GB_TOKENIZER_STRIP_ACCENTS_ON
                   || (self->strip_accents == GB_TOKENIZER_STRIP_ACCENTS_AUTO && lower);
  gsize i, start;

  if (!text)
    return out;
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  ucs = g_utf8_to_ucs4_fast (text, -1, &n);

  /* 1. clean; 2. space out CJK ideographs */
  clean = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), n + 16);
  for (glong k = 0; k < n; k++)
    {
      gunichar c = ucs[k], sp = ' ';
      if (c == 0 || c == 0xFFFD || is_control (c))
        continue;
      if (is_bert_whitespace (c))
        g_array_append_val (clean, sp);
      else if (self->chinese_chars && is_chinese_char (c))
        {
          g_array_append_val (clean, sp);
          g_array_append_val (clean, c);
          g_array_append_val (clean, sp);
        }
      else
        g_array_append_val (clean, c);
    }

  /* 3. split on whitespace; 4. lower-case and strip accents; 5. punctuation */
  word = g_array_new (FALSE, FALSE, sizeof (gunichar));
  start = 0;
  for (i = 0; i <= clean->len; i++)
    {
      const gunichar *cu = (const gunichar *) clean->data;
      const gunichar *w;
      gsize wn, s;

      if (i < clean->len && !is_py_space (cu[i]))
        continue;
      if (i == start)
        {
          start = i + 1;
          continue;
        }
      g_array_set_size (word, 0);
      if (lower)
        py_lower (cu + start, i - start, word);
      else
        g_array_append_vals (word, cu + start, i - start);
      if (strip)
        strip_accents (word);
      start = i + 1;

      w = (const gunichar *) word->data;
      wn = word->len;
      s = 0;
      for (gsize k = 0; k < wn; k++)
        if (is_punctuation (w[k]))
          {
            push_word (out, w + s, k - s);
            push_word (out, w + k, 1);
            s = k + 1;
          }
      push_word (out, w + s, wn - s);
    }
  return out;
}

char **
gb_tokenizer_basic_tokenize (GbTokenizer *self, const char *text)
{
  GPtrArray *words;

  g_return_val_if_fail (GB_IS_TOKENIZER (self), NULL);
  words = basic_tokenize (self, text);
  g_ptr_array_set_free_func (words, NULL);
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (words, FALSE);
}

/* ------------------------------------------------------------- WordPiece */

/* Appends the WordPiece ids of one word to @ids (and the tokens to @tokens
 * when not NULL, as borrowed vocabulary strings). */
static void
wordpiece (GbTokenizer *self, const char *word, GArray *ids, GPtrArray *tokens, GString *buf)
{
  glong nchars = g_utf8_strlen (word, -1);
  guint first = ids->len;
  g_autofree gsize *off = NULL;
  const char *p;
  glong start;

  if (nchars > (glong) self->max_chars_per_word)
    goto unk;

  off = g_new (gsize, nchars + 1);
  p = word;
  for (glong k = 0; k < nchars; k++, p = g_utf8_next_char (p))
    off[k] = p - word;
  off[nchars] = strlen (word);

  start = 0;
  while (start < nchars)
    {
      glong end = MIN (nchars, start + (glong) self->max_token_chars);
      gint32 id = -1;

      for (; end > start; end--)
        {
          g_string_truncate (buf, 0);
          if (start > 0)
            g_string_append (buf, "##");
          g_string_append_len (buf, word + off[start], off[end] - off[start]);
          id = lookup_id (self, buf->str);
          if (id >= 0)
            break;
        }
      if (id < 0)
        {
          g_array_set_size (ids, first);
          if (tokens)
            g_ptr_array_set_size (tokens, first);
          goto unk;
        }
      g_array_append_val (ids, id);
      if (tokens)
        g_ptr_array_add (tokens, g_ptr_array_index (self->tokens, id));
      start = end;
    }
  return;

unk:
  g_array_append_val (ids, self->unk_id);
  if (tokens)
    g_ptr_array_add (tokens, g_ptr_array_index (self->tokens, self->unk_id));
}

/* Ids (and optionally borrowed token strings) of @text. */
static GArray *
tokenize_ids (GbTokenizer *self, const char *text, GPtrArray *tokens)
{
  g_autoptr (GPtrArray) words = basic_tokenize (self, text);
  g_autoptr (GString) buf = g_string_new (NULL);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  for (guint i = 0; i < words->len; i++)
    wordpiece (self, g_ptr_array_index (words, i), ids, tokens, buf);
  return ids;
}

char **
gb_tokenizer_tokenize (GbTokenizer *self, const char *text, gint32 **out_ids, gsize *out_n)
{
  g_autoptr (GPtrArray) tokens = g_ptr_array_new ();
  GArray *ids;
  char **strv;

  g_return_val_if_fail (GB_IS_TOKENIZER (self), NULL);
  ids = tokenize_ids (self, text, tokens);
  strv = g_new (char *, tokens->len + 1);
  for (guint i = 0; i < tokens->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (tokens, i));
  strv[tokens->len] = NULL;
  if (out_n)
    *out_n = ids->len;
  if (out_ids)
    *out_ids = (gint32 *) g_array_free (ids, FALSE);
  else
    g_array_free (ids, TRUE);
  return strv;
}

/* ----------------------------------------------------------------- encode */

gboolean
gb_tokenizer_encode_into (GbTokenizer *self, const char *text, const char *text_pair,
                          gsize max_length, gint32 *ids, gint32 *type_ids,
                          gint32 *attention_mask, gsize *out_n_tokens,
                          gboolean *out_truncated, GError **error)
{
  g_autoptr (GArray) a = NULL;
  g_autoptr (GArray) b = NULL;
  gsize specials = text_pair ? 3 : 2;
  gsize na, nb = 0, budget, pos = 0;
  gboolean truncated = FALSE;

  g_return_val_if_fail (GB_IS_TOKENIZER (self), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  if (self->cls_id < 0 || self->sep_id < 0 || self->pad_id < 0)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "the vocabulary has no %s token, which a sequence needs",
                   self->cls_id < 0 ? "[CLS]" : self->sep_id < 0 ? "[SEP]" : "[PAD]");
      return FALSE;
    }
  if (max_length < specials)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "a maximum length of %" G_GSIZE_FORMAT " tokens leaves no room for "
                   "[CLS] and [SEP]; use at least %" G_GSIZE_FORMAT,
                   max_length, specials + 1);
      return FALSE;
    }

  a = tokenize_ids (self, text, NULL);
  na = a->len;
  if (text_pair)
    {
      b = tokenize_ids (self, text_pair, NULL);
      nb = b->len;
    }
  budget = max_length - specials;
  while (na + nb > budget)
    {
      truncated = TRUE;
      if (na > nb)
        na--;
      else
        nb--;
    }

#define PUT(id_, type_) G_STMT_START {                     \
    ids[pos] = (id_);                                      \
    if (type_ids) type_ids[pos] = (type_);                 \
    if (attention_mask) attention_mask[pos] = 1;           \
    pos++;                                                 \
  } G_STMT_END

  PUT (self->cls_id, 0);
  for (gsize i = 0; i < na; i++)
    PUT (g_array_index (a, gint32, i), 0);
  PUT (self->sep_id, 0);
  if (text_pair)
    {
      for (gsize i = 0; i < nb; i++)
        PUT (g_array_index (b, gint32, i), 1);
      PUT (self->sep_id, 1);
    }
#undef PUT
  if (out_n_tokens)
    *out_n_tokens = pos;
  for (; pos < max_length; pos++)
    {
      ids[pos] = self->pad_id;
      if (type_ids)
        type_ids[pos] = 0;
      if (attention_mask)
        attention_mask[pos] = 0;
    }
  if (out_truncated)
    *out_truncated = truncated;
  return TRUE;
}

char *
gb_tokenizer_decode (GbTokenizer *self, const gint32 *ids, gsize n, gboolean skip_special)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (GB_IS_TOKENIZER (self), NULL);
  for (gsize i = 0; i < n; i++)
    {
      gint32 id = ids[i];
      const char *t;

      if (skip_special && id >= 0
          && (id == self->pad_id || id == self->cls_id || id == self->sep_id || id == self->mask_id))
        continue;
      t = (id >= 0 && (guint) id < self->tokens->len)
          ? g_ptr_array_index (self->tokens, id)
          : g_ptr_array_index (self->tokens, self->unk_id);
      if (g_str_has_prefix (t, "##") && s->len > 0)
        g_string_append (s, t + 2);
      else
        {
          if (s->len > 0)
            g_string_append_c (s, ' ');
          g_string_append (s, t);
        }
    }
  return g_string_free (s, FALSE);
}
