/* gb-test-text.h — the tiny text transformer the explanation tests train on
 * a few hundred rows (test-explain-text, test-tcav-text,
 * test-explain-multiclass).  Static, so each test executable gets its own
 * copy. */
#pragma once

#include "glassbox-engine.h"

/* Builds the vocabulary of @texts (words seen at least twice, at most 5000)
 * and returns its tokenizer (transfer full); fills @mc with the tiny model:
 * 1 layer, d_model 16, 2 heads, FFN 32, @max_length tokens, the
 * vocabulary's size. */
static G_GNUC_UNUSED GbTokenizer *
tiny_text_model (const char *const *texts, gsize n_texts, guint max_length,
                 GbTransformerConfig *mc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GbVocab) vocab = gb_vocab_build (texts, n_texts, 2, 5000, &error);
  GbTokenizer *tok;

  g_assert_no_error (error);
  tok = gb_tokenizer_new_from_tokens (gb_vocab_get_tokens (vocab), gb_vocab_get_size (vocab),
                                      &error);
  g_assert_no_error (error);
  gb_transformer_config_init_default (mc);
  mc->n_layers = 1;
  mc->d_model = 16;
  mc->n_heads = 2;
  mc->d_ff = 32;
  mc->max_length = max_length;
  mc->vocab_size = gb_vocab_get_size (vocab);
  return tok;
}
