/* gb-tokenizer.h — BERT's BasicTokenizer + WordPiece, for imported Hugging
 * Face checkpoints and for the word-level vocabularies of models trained
 * here (gb-vocab.h).
 *
 * The algorithm is that of tokenization.py in google-research/bert (Devlin et
 * al. 2019, commit eedf5716, file last changed in d66a1467): clean the text,
 * space out CJK ideographs, split on whitespace, optionally lower-case (full
 * Unicode case mapping, as Python's str.lower()) and strip accents (NFD, then
 * drop every non-spacing mark), split off punctuation, then greedy
 * longest-match-first WordPiece with "##" continuation pieces.  It matches the
 * reference tokenisations in tests/data/wordpiece/ on all 224 inputs for the
 * bert-base-uncased and bert-base-chinese vocabularies.
 *
 * A tokenizer is immutable once configured: the tokenize and encode functions
 * may be called from several threads at once. */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

#define GB_TYPE_TOKENIZER (gb_tokenizer_get_type ())
G_DECLARE_FINAL_TYPE (GbTokenizer, gb_tokenizer, GB, TOKENIZER, GObject)

/**
 * GbTokenizerStripAccents:
 * @GB_TOKENIZER_STRIP_ACCENTS_AUTO: strip accents exactly when lower-casing
 *   (BERT's behaviour; Hugging Face's `strip_accents: null`)
 * @GB_TOKENIZER_STRIP_ACCENTS_ON: always strip, even without lower-casing
 * @GB_TOKENIZER_STRIP_ACCENTS_OFF: never strip, even when lower-casing
 *
 * Hugging Face's `strip_accents` option of `BertTokenizer`.
 */
typedef enum {
  GB_TOKENIZER_STRIP_ACCENTS_AUTO,
  GB_TOKENIZER_STRIP_ACCENTS_ON,
  GB_TOKENIZER_STRIP_ACCENTS_OFF,
} GbTokenizerStripAccents;

/* The default word-length limit in code points (Hugging Face's BertTokenizer;
 * google-research/bert's WordpieceTokenizer defaults to 200). */
#define GB_TOKENIZER_DEFAULT_MAX_CHARS_PER_WORD 100

/**
 * gb_tokenizer_new_from_tokens:
 * @tokens: (array length=n_tokens): the vocabulary; token id = index
 * @n_tokens: vocabulary size
 * @error: return location for a #GError
 *
 * Builds a tokenizer over a vocabulary held in memory.  A token that occurs
 * twice keeps its id but lookups find the later one (as BERT's and Hugging
 * Face's load_vocab()).  The settings are BERT's uncased defaults:
 * lower-casing on, accents stripped, CJK characters split, words longer than
 * 100 code points become `[UNK]`.  The special tokens are `[UNK]`, `[PAD]`,
 * `[CLS]`, `[SEP]` and `[MASK]`; `[UNK]` must be present, the others only
 * when an operation needs them.
 *
 * Returns: (transfer full) (nullable): a new tokenizer, or %NULL with @error
 * set (GB_MODEL_ERROR / GB_ERROR_INVALID_ARGUMENT) when the vocabulary is
 * empty, holds a token that is not valid UTF-8 or contains a line break
 * (it could not be saved as vocab.txt), or has no `[UNK]`.
 */
GbTokenizer *gb_tokenizer_new_from_tokens (const char *const *tokens, gsize n_tokens,
                                           GError **error);

/**
 * gb_tokenizer_new_from_vocab_file:
 * @path: a `vocab.txt`: one token per line, token id = 0-based line index
 * @error: return location for a #GError
 *
 * Loads a WordPiece vocabulary.  Only the line end is removed from each line
 * (`\n`, or `\r\n` when the line ends so): Hugging Face strips only the
 * newline, so bert-base-chinese keeps its U+2028 tokens and its size of
 * 21128.  A missing final newline is accepted.  Settings as
 * gb_tokenizer_new_from_tokens().
 *
 * Returns: (transfer full) (nullable): a new tokenizer, or %NULL with @error
 * set: GB_MODEL_ERROR / GB_ERROR_IO when the file cannot be read,
 * GB_ERROR_PARSE naming the file and line of a token that is not valid UTF-8,
 * or naming the file when it is empty or has no `[UNK]` line.
 */
GbTokenizer *gb_tokenizer_new_from_vocab_file (const char *path, GError **error);

/**
 * gb_tokenizer_new_from_dir:
 * @dir: a Hugging Face checkpoint or tokenizer folder
 * @error: return location for a #GError
 *
 * Loads `@dir/vocab.txt` and, when present, `@dir/tokenizer_config.json`
 * (see gb_tokenizer_load_config()).
 *
 * Returns: (transfer full) (nullable): a new tokenizer, or %NULL with @error set
 * as by gb_tokenizer_new_from_vocab_file() and gb_tokenizer_load_config().
 */
GbTokenizer *gb_tokenizer_new_from_dir (const char *dir, GError **error);

/**
 * gb_tokenizer_load_config:
 * @self: a tokenizer
 * @path: a Hugging Face `tokenizer_config.json`
 * @error: return location for a #GError
 *
 * Applies the options of a `tokenizer_config.json`: `do_lower_case` (bool),
 * `strip_accents` (null, true or false), `tokenize_chinese_chars` (bool),
 * `model_max_length` (kept when at most 1 000 000; Hugging Face writes 1e30
 * for "unknown"), `max_input_chars_per_word`, and `unk_token`, `pad_token`,
 * `cls_token`, `sep_token`, `mask_token` (a string or an AddedToken object
 * with a `content` member).  Absent keys keep their current values; other
 * keys are ignored.  A `tokenizer_class` that is not a WordPiece tokenizer
 * (a name without "Bert" or "Electra", e.g. RobertaTokenizer) is refused.
 *
 * Returns: %TRUE on success; %FALSE with @error set (GB_MODEL_ERROR /
 * GB_ERROR_IO, GB_ERROR_PARSE for malformed JSON with its line and column,
 * GB_ERROR_INVALID_ARGUMENT naming the key with a wrong type, a special token
 * that the vocabulary lacks, or an unsupported tokenizer class); @self is
 * unchanged on failure.
 */
gboolean gb_tokenizer_load_config (GbTokenizer *self, const char *path, GError **error);

/**
 * gb_tokenizer_save:
 * @self: a tokenizer
 * @dir: an existing folder
 * @error: return location for a #GError (GB_MODEL_ERROR / GB_ERROR_IO)
 *
 * Writes `@dir/vocab.txt` (one token per line, LF) and
 * `@dir/tokenizer_config.json` in Hugging Face's format (tokenizer_class
 * "BertTokenizer", do_lower_case, strip_accents, tokenize_chinese_chars,
 * max_input_chars_per_word, model_max_length when known, and the special
 * tokens the vocabulary has), each replaced atomically, so that
 * gb_tokenizer_new_from_dir() and Hugging Face's BertTokenizer read the same
 * tokenizer back.
 *
 * Returns: %TRUE on success
 */
gboolean gb_tokenizer_save (GbTokenizer *self, const char *dir, GError **error);

/* Settings (call before sharing the tokenizer between threads). */

/**
 * gb_tokenizer_set_lower_case:
 * @self: a tokenizer
 * @lower_case: lower-case each word (Python's str.lower()) before
 *   punctuation splitting: BERT's do_lower_case (%TRUE for uncased models,
 *   %FALSE for cased ones)
 */
void     gb_tokenizer_set_lower_case (GbTokenizer *self, gboolean lower_case);
gboolean gb_tokenizer_get_lower_case (GbTokenizer *self);
/**
 * gb_tokenizer_set_strip_accents:
 * @self: a tokenizer
 * @mode: when to strip accents (NFD, then Mn marks removed); see
 *   #GbTokenizerStripAccents
 */
void     gb_tokenizer_set_strip_accents (GbTokenizer *self, GbTokenizerStripAccents mode);
GbTokenizerStripAccents gb_tokenizer_get_strip_accents (GbTokenizer *self);
/**
 * gb_tokenizer_set_tokenize_chinese_chars:
 * @self: a tokenizer
 * @split: make each CJK ideograph a word of its own (BERT's default, %TRUE)
 */
void     gb_tokenizer_set_tokenize_chinese_chars (GbTokenizer *self, gboolean split);
gboolean gb_tokenizer_get_tokenize_chinese_chars (GbTokenizer *self);
/**
 * gb_tokenizer_set_max_chars_per_word:
 * @self: a tokenizer
 * @max_chars: words (after basic tokenization) with more code points than
 *   this become one `[UNK]`; 0 restores the default of 100
 */
void     gb_tokenizer_set_max_chars_per_word (GbTokenizer *self, guint max_chars);
guint    gb_tokenizer_get_max_chars_per_word (GbTokenizer *self);
/**
 * gb_tokenizer_get_model_max_length:
 * @self: a tokenizer
 *
 * Returns: the `model_max_length` of the loaded tokenizer_config.json, or 0
 * when unknown (the caller then uses the model's position-embedding count).
 */
guint    gb_tokenizer_get_model_max_length (GbTokenizer *self);

/**
 * gb_tokenizer_get_vocab_size:
 * @self: a tokenizer
 * Returns: the number of ids (lines of vocab.txt)
 */
gsize        gb_tokenizer_get_vocab_size (GbTokenizer *self);

/**
 * gb_tokenizer_token_to_id:
 * @self: a tokenizer
 * @token: a vocabulary entry, e.g. "hello" or "##ing"
 * Returns: its id, or -1 when @token is not in the vocabulary
 */
gint32       gb_tokenizer_token_to_id (GbTokenizer *self, const char *token);

/**
 * gb_tokenizer_id_to_token:
 * @self: a tokenizer
 * @id: a token id
 * Returns: (transfer none) (nullable): the token, or %NULL when @id is out of range
 */
const char  *gb_tokenizer_id_to_token (GbTokenizer *self, gint32 id);

/* Ids of the special tokens, -1 when the vocabulary lacks them. */
gint32 gb_tokenizer_get_unk_id  (GbTokenizer *self);
gint32 gb_tokenizer_get_pad_id  (GbTokenizer *self);
gint32 gb_tokenizer_get_cls_id  (GbTokenizer *self);
gint32 gb_tokenizer_get_sep_id  (GbTokenizer *self);
gint32 gb_tokenizer_get_mask_id (GbTokenizer *self);

/**
 * gb_tokenizer_basic_tokenize:
 * @self: a tokenizer
 * @text: UTF-8 text (invalid sequences are replaced by U+FFFD, which the
 *   cleaning step deletes)
 *
 * BERT's BasicTokenizer: deletes U+0000, U+FFFD and control/format
 * characters (categories Cc and Cf, except TAB, LF and CR, which like every
 * Zs space become a space); spaces out CJK ideographs (BERT's
 * _is_chinese_char ranges); splits on whitespace as Python's str.split()
 * (which also splits on U+2028 and U+2029); lower-cases each word as
 * Python's str.lower() (full case mapping: İ → i + U+0307, a final Σ → ς);
 * strips accents (NFD, then every Mn code point deleted); and makes every
 * punctuation character (ASCII 33–47, 58–64, 91–96, 123–126, and the
 * Unicode P* categories) a token of its own.  Literal special tokens such as
 * "[CLS]" in @text are split like any other text (as the reference; Hugging
 * Face keeps them whole).
 *
 * Returns: (transfer full): a %NULL-terminated array of words, possibly
 * empty; free with g_strfreev().
 */
char **gb_tokenizer_basic_tokenize (GbTokenizer *self, const char *text);

/**
 * gb_tokenizer_tokenize:
 * @self: a tokenizer
 * @text: UTF-8 text
 * @out_ids: (out) (optional) (transfer full) (array length=out_n): the
 *   ids of the tokens; free with g_free()
 * @out_n: (out) (optional): the number of tokens
 *
 * BERT's FullTokenizer.tokenize(): gb_tokenizer_basic_tokenize(), then
 * WordPiece on each word: a word of more than the maximum number of code
 * points becomes `[UNK]`; otherwise, from the current position, the longest
 * substring in the vocabulary is taken ("##"-prefixed after the first
 * piece); when no substring matches at some position the *whole word*
 * becomes one `[UNK]`.  No `[CLS]`/`[SEP]` are added.
 *
 * Returns: (transfer full): the %NULL-terminated token strings; free with
 * g_strfreev().
 */
char **gb_tokenizer_tokenize (GbTokenizer *self, const char *text,
                              gint32 **out_ids, gsize *out_n);

/**
 * gb_tokenizer_encode_into:
 * @self: a tokenizer whose vocabulary has `[CLS]`, `[SEP]` and `[PAD]`
 * @text: (nullable): UTF-8 text (the first segment); %NULL (a missing cell)
 *   encodes as the empty string, `[CLS] [SEP]`
 * @text_pair: (nullable): a second segment, or %NULL
 * @max_length: the sequence length T written (≥ 2, ≥ 3 with a pair)
 * @ids: (out caller-allocates) (array fixed-size=max_length): token ids
 *   `[CLS] a… [SEP] (b… [SEP]) [PAD]…`
 * @type_ids: (out caller-allocates) (nullable): token type ids, 0 for
 *   `[CLS]`, the first segment and its `[SEP]`, 1 for the second segment and
 *   its `[SEP]`, 0 for padding (BERT's segment ids)
 * @attention_mask: (out caller-allocates) (nullable): 1 for real tokens, 0 for padding
 * @out_n_tokens: (out) (optional): real (unpadded) tokens written, ≤ @max_length
 * @out_truncated: (out) (optional): %TRUE when tokens were cut off
 * @error: return location for a #GError
 *
 * Encodes one row of a (B, T) batch without allocating the output.  Too long
 * input is truncated at the end; for a pair, tokens are removed one at a time
 * from the longer segment, the second one on a tie (BERT's
 * _truncate_seq_pair, Hugging Face's "longest_first").
 *
 * Returns: %TRUE; %FALSE with @error set (GB_MODEL_ERROR /
 * GB_ERROR_INVALID_ARGUMENT) when @max_length is too small or the
 * vocabulary lacks `[CLS]`, `[SEP]` or `[PAD]`.
 */
gboolean gb_tokenizer_encode_into (GbTokenizer *self, const char *text, const char *text_pair,
                                   gsize max_length, gint32 *ids, gint32 *type_ids,
                                   gint32 *attention_mask, gsize *out_n_tokens,
                                   gboolean *out_truncated, GError **error);

/**
 * gb_tokenizer_decode:
 * @self: a tokenizer
 * @ids: (array length=n): token ids
 * @n: number of ids
 * @skip_special: leave out `[PAD]`, `[CLS]`, `[SEP]` and `[MASK]`
 *
 * Joins the tokens with spaces and glues "##" pieces to the piece before
 * (Hugging Face's convert_tokens_to_string()).  Lower-casing and accent
 * stripping are not undone.  Out-of-range ids are written as `[UNK]`.
 *
 * Returns: (transfer full): the text; free with g_free()
 */
char *gb_tokenizer_decode (GbTokenizer *self, const gint32 *ids, gsize n, gboolean skip_special);

G_END_DECLS
