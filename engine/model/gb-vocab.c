/* gb-vocab.c — word-level vocabulary built from training text (gb-vocab.h). */
#include "gb-vocab.h"

#include <stdlib.h>
#include <string.h>

struct _GbVocab
{
  GObject parent_instance;

  GPtrArray *tokens;      /* owned strings, NULL-terminated (g_ptr_array_new_null_terminated) */
  GArray *counts;         /* guint64 per id */
  GHashTable *lookup;     /* token -> id + 1 */
};

G_DEFINE_FINAL_TYPE (GbVocab, gb_vocab, G_TYPE_OBJECT)

static const char *const special_tokens[GB_VOCAB_N_SPECIAL] = {
  "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
};

static void
gb_vocab_finalize (GObject *object)
{
  GbVocab *self = GB_VOCAB (object);

  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  g_clear_pointer (&self->counts, g_array_unref);
  g_clear_pointer (&self->lookup, g_hash_table_unref);
  G_OBJECT_CLASS (gb_vocab_parent_class)->finalize (object);
}

static void
gb_vocab_class_init (GbVocabClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gb_vocab_finalize;
}

static void
gb_vocab_init (GbVocab *self)
{
  self->tokens = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->counts = g_array_new (FALSE, TRUE, sizeof (guint64));
  self->lookup = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Appends a token; returns FALSE when it is already present. */
static gboolean
vocab_add (GbVocab *self, char *token, guint64 count)
{
  guint id = self->tokens->len;

  if (g_hash_table_contains (self->lookup, token))
    return FALSE;
  g_ptr_array_add (self->tokens, token);
  g_array_append_val (self->counts, count);
  g_hash_table_insert (self->lookup, token, GINT_TO_POINTER ((gint) id + 1));
  return TRUE;
}

typedef struct {
  const char *word;
  guint64 count;
} WordCount;

static int
word_count_cmp (const void *a, const void *b)
{
  const WordCount *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->word, y->word);
}

/* The tokenizer used for counting: BERT's uncased basic tokenization. */
static GbTokenizer *
counting_tokenizer (void)
{
  GbTokenizer *tok = gb_tokenizer_new_from_tokens (special_tokens, GB_VOCAB_N_SPECIAL, NULL);

  g_assert (tok != NULL);
  return tok;
}

GbVocab *
gb_vocab_build (const char *const *texts, gsize n_texts, guint min_freq, gsize max_size,
                GError **error)
{
  g_autoptr (GbTokenizer) tok = counting_tokenizer ();
  g_autoptr (GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree WordCount *list = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gsize n = 0, kept = 0;
  GbVocab *self;

  g_return_val_if_fail (texts != NULL || n_texts == 0, NULL);
  if (min_freq == 0)
    min_freq = 1;
  if (max_size > 0 && max_size <= GB_VOCAB_N_SPECIAL)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "a vocabulary of at most %" G_GSIZE_FORMAT " tokens has no room for words "
                   "after the %d special tokens; use at least %d",
                   max_size, GB_VOCAB_N_SPECIAL, GB_VOCAB_N_SPECIAL + 1);
      return NULL;
    }

  for (gsize i = 0; i < n_texts; i++)
    {
      g_auto (GStrv) words = NULL;

      if (!texts[i])
        continue;
      words = gb_tokenizer_basic_tokenize (tok, texts[i]);
      for (char **w = words; *w; w++)
        {
          guint64 *c = g_hash_table_lookup (counts, *w);
          if (!c)
            {
              c = g_new0 (guint64, 1);
              g_hash_table_insert (counts, g_strdup (*w), c);
            }
          (*c)++;
        }
    }

  list = g_new (WordCount, g_hash_table_size (counts) + 1);
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint64 c = *(const guint64 *) value;
      gboolean special = FALSE;

      for (int k = 0; k < GB_VOCAB_N_SPECIAL; k++)
        special |= strcmp (key, special_tokens[k]) == 0;
      if (c >= min_freq && !special)
        {
          list[n].word = key;
          list[n].count = c;
          n++;
        }
    }
  if (n == 0)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "no word occurs at least %u times in the %" G_GSIZE_FORMAT
                   " training texts; lower the minimum frequency or check the text column",
                   min_freq, n_texts);
      return NULL;
    }
  qsort (list, n, sizeof (WordCount), word_count_cmp);

  self = g_object_new (GB_TYPE_VOCAB, NULL);
  for (int k = 0; k < GB_VOCAB_N_SPECIAL; k++)
    vocab_add (self, g_strdup (special_tokens[k]), 0);
  kept = max_size ? MIN (n, max_size - GB_VOCAB_N_SPECIAL) : n;
  for (gsize i = 0; i < kept; i++)
    vocab_add (self, g_strdup (list[i].word), list[i].count);
  return self;
}

GbVocab *
gb_vocab_load (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) local = NULL;
  g_autoptr (GbVocab) self = NULL;
  const char *p, *end;
  guint line = 0;

  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "%s", local->message);
      return NULL;
    }
  self = g_object_new (GB_TYPE_VOCAB, NULL);
  p = contents;
  end = contents + length;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl ? nl : end;
      gsize len = stop - p;
      char *tok;

      line++;
      if (nl && len > 0 && p[len - 1] == '\r')
        len--;
      if (len == 0)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                       "%s:%u: empty line; a vocab.txt holds one token per line", path, line);
          return NULL;
        }
      if (!g_utf8_validate_len (p, len, NULL) || memchr (p, '\0', len))
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                       "%s:%u: the token is not valid UTF-8 text", path, line);
          return NULL;
        }
      tok = g_strndup (p, len);
      for (const char *q = tok; *q; q = g_utf8_next_char (q))
        if (g_unichar_isspace (g_utf8_get_char (q)))
          {
            g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                         "%s:%u: the token \"%s\" contains whitespace, which the tokenizer "
                         "never produces", path, line, tok);
            g_free (tok);
            return NULL;
          }
      if (line <= GB_VOCAB_N_SPECIAL && strcmp (tok, special_tokens[line - 1]) != 0)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                       "%s:%u: expected the special token %s, found \"%s\"; a Glassbox "
                       "vocabulary starts with [PAD], [UNK], [CLS], [SEP], [MASK]",
                       path, line, special_tokens[line - 1], tok);
          g_free (tok);
          return NULL;
        }
      if (!vocab_add (self, tok, 0))
        {
          gint first = GPOINTER_TO_INT (g_hash_table_lookup (self->lookup, tok));
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                       "%s:%u: the token \"%s\" repeats line %d", path, line, tok, first);
          g_free (tok);
          return NULL;
        }
      p = nl ? nl + 1 : end;
    }
  if (line < GB_VOCAB_N_SPECIAL)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                   "%s:%u: the file ends before the special token %s", path, line + 1,
                   special_tokens[line]);
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
gb_vocab_save (GbVocab *self, const char *path, GError **error)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (GB_IS_VOCAB (self), FALSE);
  for (guint i = 0; i < self->tokens->len; i++)
    {
      g_string_append (s, g_ptr_array_index (self->tokens, i));
      g_string_append_c (s, '\n');
    }
  if (!g_file_set_contents (path, s->str, s->len, &local))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

gsize
gb_vocab_get_size (GbVocab *self)
{
  g_return_val_if_fail (GB_IS_VOCAB (self), 0);
  return self->tokens->len;
}

const char *
gb_vocab_get_token (GbVocab *self, gint32 id)
{
  g_return_val_if_fail (GB_IS_VOCAB (self), NULL);
  if (id < 0 || (guint) id >= self->tokens->len)
    return NULL;
  return g_ptr_array_index (self->tokens, id);
}

gint32
gb_vocab_lookup (GbVocab *self, const char *token)
{
  g_return_val_if_fail (GB_IS_VOCAB (self), -1);
  g_return_val_if_fail (token != NULL, -1);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->lookup, token)) - 1;
}

guint64
gb_vocab_get_count (GbVocab *self, gint32 id)
{
  g_return_val_if_fail (GB_IS_VOCAB (self), 0);
  if (id < 0 || (guint) id >= self->counts->len)
    return 0;
  return g_array_index (self->counts, guint64, id);
}

const char *const *
gb_vocab_get_tokens (GbVocab *self)
{
  g_return_val_if_fail (GB_IS_VOCAB (self), NULL);
  return (const char *const *) self->tokens->pdata;
}

GbTokenizer *
gb_vocab_new_tokenizer (GbVocab *self)
{
  GbTokenizer *tok;

  g_return_val_if_fail (GB_IS_VOCAB (self), NULL);
  tok = gb_tokenizer_new_from_tokens (gb_vocab_get_tokens (self), self->tokens->len, NULL);
  g_assert (tok != NULL);   /* [UNK] is always id 1 */
  return tok;
}
