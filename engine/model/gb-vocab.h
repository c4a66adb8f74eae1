/* gb-vocab.h — the word-level vocabulary of models trained in Glassbox.
 *
 * Built from the training text with the same BasicTokenizer as imported
 * models (gb-tokenizer.h: lower-cased, accents stripped, punctuation and CJK
 * ideographs as tokens of their own), kept by frequency, and saved as a
 * BERT-style vocab.txt.  A word-level vocabulary is a WordPiece vocabulary
 * without "##" continuation pieces: WordPiece then maps a word that is in
 * the vocabulary to itself and any other word to [UNK] (the first piece may
 * match a prefix, but no continuation can follow it, and a word that cannot
 * be finished becomes one [UNK]).  So gb_vocab_new_tokenizer() returns an
 * ordinary #GbTokenizer, and the model encodes text the same way whether
 * its vocabulary was imported or built here. */
#pragma once

#include "gb-tokenizer.h"

G_BEGIN_DECLS

/* The special tokens and their fixed ids in a vocabulary built here. */
#define GB_VOCAB_PAD_ID  0   /* "[PAD]" */
#define GB_VOCAB_UNK_ID  1   /* "[UNK]" */
#define GB_VOCAB_CLS_ID  2   /* "[CLS]" */
#define GB_VOCAB_SEP_ID  3   /* "[SEP]" */
#define GB_VOCAB_MASK_ID 4   /* "[MASK]" */
#define GB_VOCAB_N_SPECIAL 5

#define GB_TYPE_VOCAB (gb_vocab_get_type ())
G_DECLARE_FINAL_TYPE (GbVocab, gb_vocab, GB, VOCAB, GObject)

/**
 * gb_vocab_build:
 * @texts: (array length=n_texts): training texts (UTF-8; %NULL entries are
 *   missing cells and skipped)
 * @n_texts: number of texts
 * @min_freq: keep words seen at least this many times (0 is taken as 1)
 * @max_size: the largest vocabulary, special tokens included (0 = no limit;
 *   otherwise at least 6)
 * @error: return location for a #GError
 *
 * Counts the words of gb_tokenizer_basic_tokenize() (BERT's BasicTokenizer
 * with lower-casing, accent stripping and CJK splitting) over @texts, and
 * builds `[PAD]`=0, `[UNK]`=1, `[CLS]`=2, `[SEP]`=3, `[MASK]`=4 followed by
 * the words with at least @min_freq occurrences, by frequency (descending),
 * ties in byte order of their UTF-8 (strcmp), cut at @max_size.  The order
 * is deterministic: the same texts give the same ids.
 *
 * Returns: (transfer full) (nullable): the vocabulary, or %NULL with @error
 * set (GB_MODEL_ERROR / GB_ERROR_INVALID_ARGUMENT) when @max_size is 1–5 or
 * no word reaches @min_freq.
 */
GbVocab *gb_vocab_build (const char *const *texts, gsize n_texts, guint min_freq,
                         gsize max_size, GError **error);

/**
 * gb_vocab_load:
 * @path: a vocab.txt written by gb_vocab_save()
 * @error: return location for a #GError
 *
 * Reads one token per line (id = 0-based line index).
 *
 * Returns: (transfer full) (nullable): the vocabulary, or %NULL with @error
 * set: GB_MODEL_ERROR / GB_ERROR_IO when the file cannot be read;
 * GB_ERROR_PARSE with "FILE:LINE:" for a line that is empty, not valid UTF-8,
 * holds whitespace, repeats an earlier line (both line numbers given) or does
 * not hold the expected special token on lines 1–5.
 */
GbVocab *gb_vocab_load (const char *path, GError **error);

/**
 * gb_vocab_save:
 * @self: a vocabulary
 * @path: the vocab.txt to write (replaced atomically)
 * @error: return location for a #GError (GB_MODEL_ERROR / GB_ERROR_IO)
 *
 * Writes one token per line, LF line ends, a final newline.
 *
 * Returns: %TRUE on success
 */
gboolean gb_vocab_save (GbVocab *self, const char *path, GError **error);

/**
 * gb_vocab_get_size:
 * @self: a vocabulary
 * Returns: the number of tokens, special tokens included
 */
gsize gb_vocab_get_size (GbVocab *self);

/**
 * gb_vocab_get_token:
 * @self: a vocabulary
 * @id: a token id
 * Returns: (transfer none) (nullable): the token, %NULL when out of range
 */
const char *gb_vocab_get_token (GbVocab *self, gint32 id);

/**
 * gb_vocab_lookup:
 * @self: a vocabulary
 * @token: a word
 * Returns: its id, or -1
 */
gint32 gb_vocab_lookup (GbVocab *self, const char *token);

/**
 * gb_vocab_get_count:
 * @self: a vocabulary
 * @id: a token id
 * Returns: how often the word occurred in the training text (0 for the
 * special tokens, for out-of-range ids, and after gb_vocab_load(), which has
 * no counts)
 */
guint64 gb_vocab_get_count (GbVocab *self, gint32 id);

/**
 * gb_vocab_get_tokens:
 * @self: a vocabulary
 * Returns: (transfer none) (array zero-terminated=1): the tokens in id order
 */
const char *const *gb_vocab_get_tokens (GbVocab *self);

/**
 * gb_vocab_new_tokenizer:
 * @self: a vocabulary
 *
 * Returns: (transfer full): a #GbTokenizer over this vocabulary with the
 * settings it was built with (lower-casing, accent stripping, CJK
 * splitting, the 100-code-point word limit); encode with
 * gb_tokenizer_encode_into().
 */
GbTokenizer *gb_vocab_new_tokenizer (GbVocab *self);

G_END_DECLS
