/* test-tokenizer.c — BERT's BasicTokenizer + WordPiece (GbTokenizer) and
 * the word-level vocabulary of models trained here (GbVocab).
 *
 * Reference: tests/data/wordpiece/ (see its README.md and PROVENANCE.md):
 * the output of google-research/bert's tokenization.py on 224 inputs for the
 * bert-base-uncased and bert-base-chinese vocabularies, lower-casing on and
 * off, word-length limits 100 and 200. */
#include "gb-config.h"
#include "gb-tokenizer.h"
#include "gb-vocab.h"
#include "gb-dataset.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

static char *
data_path (const char *rel)
{
  const char *dir = g_getenv ("GB_TEST_DATA");
  if (dir == NULL)
    return g_build_filename (GB_SOURCE_DIR, "tests", "data", rel, NULL);
  return g_build_filename (dir, rel, NULL);
}

typedef struct {
  char *text;
  char **tokens;
  gint32 *ids;
  guint n;
} Expected;

static void
expected_clear (Expected *e)
{
  g_free (e->text);
  g_strfreev (e->tokens);
  g_free (e->ids);
}

static void
expected_from_object (Expected *e, JsonObject *o)
{
  JsonArray *tok = json_object_get_array_member (o, "tokens");
  JsonArray *ids = json_object_get_array_member (o, "ids");

  e->text = g_strdup (json_object_get_string_member (o, "text"));
  e->n = json_array_get_length (tok);
  g_assert_cmpuint (json_array_get_length (ids), ==, e->n);
  e->tokens = g_new0 (char *, e->n + 1);
  e->ids = g_new (gint32, MAX (e->n, 1));
  for (guint i = 0; i < e->n; i++)
    {
      e->tokens[i] = g_strdup (json_array_get_string_element (tok, i));
      e->ids[i] = (gint32) json_array_get_int_element (ids, i);
    }
}

/* inputs.txt split on '\n' only (README: CR, NEL, U+2028/9 stay in the line). */
static GPtrArray *
load_inputs (void)
{
  g_autofree char *path = data_path ("wordpiece/inputs.txt");
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *p, *end;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  p = contents;
  end = contents + len;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl ? nl : end;
      g_ptr_array_add (lines, g_strndup (p, stop - p));
      p = nl ? nl + 1 : end;
    }
  return lines;
}

/* (transfer full) an array of Expected, one per line of @rel. */
static GArray *
load_expected (const char *rel)
{
  g_autofree char *path = data_path (rel);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  GArray *out = g_array_new (FALSE, TRUE, sizeof (Expected));

  g_array_set_clear_func (out, (GDestroyNotify) expected_clear);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      Expected e = { 0 };

      if (**l == '\0')
        continue;
      json_parser_load_from_data (parser, *l, -1, &error);
      g_assert_no_error (error);
      expected_from_object (&e, json_node_get_object (json_parser_get_root (parser)));
      g_array_append_val (out, e);
    }
  return out;
}

/* Replaces the lines of @expected that max200-overrides.jsonl lists for @fixture. */
static guint
apply_max200_overrides (GArray *expected, const char *fixture)
{
  g_autofree char *path = data_path ("wordpiece/max200-overrides.jsonl");
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  guint replaced = 0;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *o;
      guint line;

      if (**l == '\0')
        continue;
      json_parser_load_from_data (parser, *l, -1, &error);
      g_assert_no_error (error);
      o = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member (o, "fixture"), fixture) != 0)
        continue;
      line = json_object_get_int_member (o, "line");
      g_assert_cmpuint (line, >=, 1);
      g_assert_cmpuint (line, <=, expected->len);
      expected_clear (&g_array_index (expected, Expected, line - 1));
      expected_from_object (&g_array_index (expected, Expected, line - 1), o);
      replaced++;
    }
  return replaced;
}

static GbTokenizer *
load_vocab (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  GbTokenizer *tok = gb_tokenizer_new_from_vocab_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tok);
  return tok;
}

/* Runs every input through @tok and compares with @fixture; returns the
 * number of matching lines and prints every mismatch. */
static guint
check_fixture (GbTokenizer *tok, GArray *expected)
{
  g_autoptr (GPtrArray) inputs = load_inputs ();
  guint matches = 0;

  g_assert_cmpuint (inputs->len, ==, 224);
  g_assert_cmpuint (expected->len, ==, 224);
  for (guint i = 0; i < inputs->len; i++)
    {
      const Expected *e = &g_array_index (expected, Expected, i);
      const char *text = g_ptr_array_index (inputs, i);
      g_autofree gint32 *ids = NULL;
      gsize n = 0;
      g_auto (GStrv) tokens = NULL;
      gboolean ok;

      /* The JSONL text is the same line (README, "How to use them"). */
      g_assert_cmpstr (e->text, ==, text);
      tokens = gb_tokenizer_tokenize (tok, text, &ids, &n);
      ok = n == e->n && g_strv_equal ((const char *const *) tokens, (const char *const *) e->tokens)
           && (n == 0 || memcmp (ids, e->ids, n * sizeof (gint32)) == 0);
      if (ok)
        matches++;
      else
        {
          g_autofree char *got = g_strjoinv (" ", tokens);
          g_autofree char *want = g_strjoinv (" ", e->tokens);
          g_test_message ("line %u: %s\n  got:  %s\n  want: %s", i + 1, text, got, want);
        }
    }
  return matches;
}

/* ---- the reference fixtures -------------------------------------------- */

static void
test_vocab_sizes (void)
{
  g_autoptr (GbTokenizer) en = load_vocab ("wordpiece/bert-base-uncased-vocab.txt");
  g_autoptr (GbTokenizer) zh = load_vocab ("wordpiece/bert-base-chinese-vocab.txt");

  g_assert_cmpuint (gb_tokenizer_get_vocab_size (en), ==, 30522);
  g_assert_cmpuint (gb_tokenizer_get_vocab_size (zh), ==, 21128);
  g_assert_cmpint (gb_tokenizer_get_pad_id (en), ==, 0);
  g_assert_cmpint (gb_tokenizer_get_unk_id (en), ==, 100);
  g_assert_cmpint (gb_tokenizer_get_cls_id (en), ==, 101);
  g_assert_cmpint (gb_tokenizer_get_sep_id (en), ==, 102);
  g_assert_cmpint (gb_tokenizer_get_mask_id (en), ==, 103);
  g_assert_cmpint (gb_tokenizer_get_unk_id (zh), ==, 100);
  g_assert_cmpstr (gb_tokenizer_id_to_token (en, 999), ==, "!");
  g_assert_null (gb_tokenizer_id_to_token (en, 30522));
  g_assert_null (gb_tokenizer_id_to_token (en, -1));
  /* Only the line end is stripped: U+2028 entries keep their text. */
  g_assert_cmpstr (gb_tokenizer_id_to_token (zh, 343), ==, "\u2028");
  g_assert_cmpstr (gb_tokenizer_id_to_token (zh, 13502), ==, "##\u2028");
  g_assert_cmpint (gb_tokenizer_token_to_id (zh, "\u2028"), ==, 343);
  g_assert_cmpint (gb_tokenizer_token_to_id (en, "##ing"), ==, 2075);
  g_assert_cmpint (gb_tokenizer_token_to_id (en, "no-such-token"), ==, -1);
}

static void
run_fixture (const char *vocab, const char *fixture, gboolean lower, guint max_chars)
{
  g_autoptr (GbTokenizer) tok = load_vocab (vocab);
  g_autofree char *rel = g_build_filename ("wordpiece", fixture, NULL);
  g_autoptr (GArray) expected = load_expected (rel);
  guint matches;

  gb_tokenizer_set_lower_case (tok, lower);
  if (max_chars)
    {
      guint replaced;
      gb_tokenizer_set_max_chars_per_word (tok, max_chars);
      replaced = apply_max200_overrides (expected, fixture);
      /* README: lines 102, 103, 106, 108, 111, 113; not 108 without lower-casing. */
      g_assert_cmpuint (replaced, ==, lower ? 6 : 5);
    }
  matches = check_fixture (tok, expected);
  g_test_message ("%s with %s, max %u: %u of 224 lines match", fixture, vocab,
                  gb_tokenizer_get_max_chars_per_word (tok), matches);
  g_assert_cmpuint (matches, ==, 224);
}

static void
test_fixture_uncased (void)
{
  run_fixture ("wordpiece/bert-base-uncased-vocab.txt", "expected-uncased.jsonl", TRUE, 0);
}

static void
test_fixture_chinese (void)
{
  run_fixture ("wordpiece/bert-base-chinese-vocab.txt", "expected-chinese.jsonl", TRUE, 0);
}

static void
test_fixture_chinese_nolower (void)
{
  run_fixture ("wordpiece/bert-base-chinese-vocab.txt", "expected-chinese-nolower.jsonl", FALSE, 0);
}

static void
test_fixture_max200 (void)
{
  run_fixture ("wordpiece/bert-base-uncased-vocab.txt", "expected-uncased.jsonl", TRUE, 200);
  run_fixture ("wordpiece/bert-base-chinese-vocab.txt", "expected-chinese.jsonl", TRUE, 200);
  run_fixture ("wordpiece/bert-base-chinese-vocab.txt", "expected-chinese-nolower.jsonl", FALSE, 200);
}

/* ---- single behaviours -------------------------------------------------- */

static void
assert_basic (GbTokenizer *tok, const char *text, const char *want)
{
  g_auto (GStrv) words = gb_tokenizer_basic_tokenize (tok, text);
  g_autofree char *got = g_strjoinv ("|", words);
  g_assert_cmpstr (got, ==, want);
}

static void
test_basic_rules (void)
{
  g_autoptr (GbTokenizer) tok = load_vocab ("wordpiece/bert-base-uncased-vocab.txt");

  /* Python's str.lower(): final sigma only after a cased letter, at word end. */
  assert_basic (tok, "ΟΔΟΣ Σ ΣΑ", "οδο\u03c2|\u03c3|\u03c3α");
  gb_tokenizer_set_strip_accents (tok, GB_TOKENIZER_STRIP_ACCENTS_OFF);
  assert_basic (tok, "ΟΔΟΣ. İ", "οδο\u03c2|.|i\u0307");
  assert_basic (tok, "Café", "café");
  gb_tokenizer_set_strip_accents (tok, GB_TOKENIZER_STRIP_ACCENTS_AUTO);
  assert_basic (tok, "Café", "cafe");
  /* Controls deleted (words join), Zs and TAB separate, U+2028 separates. */
  assert_basic (tok, "a\u200bb c\u00a0d\te\u2028f", "ab|c|d|e|f");
  /* CJK ideographs alone, kana not; punctuation split; '$' is ASCII punctuation, '€' is not. */
  assert_basic (tok, "中文です$5€", "中|文|て\u3059|$|5€");
  gb_tokenizer_set_tokenize_chinese_chars (tok, FALSE);
  assert_basic (tok, "中文", "中文");
  gb_tokenizer_set_tokenize_chinese_chars (tok, TRUE);
  /* Invalid UTF-8 becomes U+FFFD, which cleaning deletes. */
  assert_basic (tok, "ab\xff" "cd", "abcd");
  assert_basic (tok, "", "");
  /* Without lower-casing but with strip_accents on (Hugging Face's option). */
  gb_tokenizer_set_lower_case (tok, FALSE);
  gb_tokenizer_set_strip_accents (tok, GB_TOKENIZER_STRIP_ACCENTS_ON);
  assert_basic (tok, "Café", "Cafe");
  gb_tokenizer_set_strip_accents (tok, GB_TOKENIZER_STRIP_ACCENTS_AUTO);
  assert_basic (tok, "Café", "Café");
}

static void
test_wordpiece_unk (void)
{
  g_autoptr (GbTokenizer) tok = load_vocab ("wordpiece/bert-base-uncased-vocab.txt");
  g_auto (GStrv) a = gb_tokenizer_tokenize (tok, "unaffable", NULL, NULL);
  g_auto (GStrv) b = gb_tokenizer_tokenize (tok, "hello\u2603world ok", NULL, NULL);
  g_autofree char *ja = g_strjoinv (" ", a);
  g_autofree char *jb = g_strjoinv (" ", b);

  g_assert_cmpstr (ja, ==, "una ##ffa ##ble");
  /* One character outside the vocabulary makes the whole word [UNK]. */
  g_assert_cmpstr (jb, ==, "[UNK] ok");
}

static void
test_encode (void)
{
  g_autoptr (GbTokenizer) tok = load_vocab ("wordpiece/bert-base-uncased-vocab.txt");
  g_autoptr (GError) error = NULL;
  gint32 ids[8], types[8], mask[8];
  gsize n = 0;
  gboolean truncated = TRUE;
  static const gint32 want_ids[8] = { 101, 7592, 1010, 2088, 999, 102, 0, 0 };
  static const gint32 want_mask[8] = { 1, 1, 1, 1, 1, 1, 0, 0 };
  static const gint32 zeros[8] = { 0 };

  g_assert_true (gb_tokenizer_encode_into (tok, "Hello, world!", NULL, 8, ids, types, mask,
                                           &n, &truncated, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 6);
  g_assert_false (truncated);
  g_assert_cmpmem (ids, sizeof ids, want_ids, sizeof want_ids);
  g_assert_cmpmem (mask, sizeof mask, want_mask, sizeof want_mask);
  g_assert_cmpmem (types, sizeof types, zeros, sizeof zeros);

  /* Truncation keeps [CLS] … [SEP]. */
  {
    static const gint32 want[4] = { 101, 7592, 1010, 102 };
    g_assert_true (gb_tokenizer_encode_into (tok, "Hello, world!", NULL, 4, ids, NULL, NULL,
                                             &n, &truncated, &error));
    g_assert_cmpuint (n, ==, 4);
    g_assert_true (truncated);
    g_assert_cmpmem (ids, 4 * sizeof (gint32), want, sizeof want);
  }

  /* Pairs: [CLS] a [SEP] b [SEP], type ids 0…0 1…1, longest-first truncation
   * (a has 4 tokens, b has 1: at length 6, a loses 2). */
  {
    static const gint32 want[8] = { 101, 7592, 1010, 102, 7592, 102, 0, 0 };
    static const gint32 want_types[8] = { 0, 0, 0, 0, 0, 0, 1, 1 };
    g_assert_true (gb_tokenizer_encode_into (tok, "Hello, world!", "hello", 8, ids, types, mask,
                                             &n, &truncated, &error));
    g_assert_cmpuint (n, ==, 8);
    g_assert_false (truncated);
    g_assert_cmpmem (types, sizeof types, want_types, sizeof want_types);
    g_assert_true (gb_tokenizer_encode_into (tok, "Hello, world!", "hello", 6, ids, types, mask,
                                             &n, &truncated, &error));
    g_assert_true (truncated);
    g_assert_cmpuint (n, ==, 6);
    g_assert_cmpmem (ids, 6 * sizeof (gint32), want, 6 * sizeof (gint32));
  }
  /* Equal lengths: the second segment loses first (BERT's _truncate_seq_pair). */
  {
    static const gint32 want[6] = { 101, 7592, 2088, 102, 7592, 102 };
    g_assert_true (gb_tokenizer_encode_into (tok, "hello world", "hello world", 6, ids, NULL, NULL,
                                             &n, &truncated, &error));
    g_assert_cmpmem (ids, 6 * sizeof (gint32), want, sizeof want);
  }

  /* A missing cell encodes as [CLS] [SEP]. */
  {
    static const gint32 want[4] = { 101, 102, 0, 0 };
    g_assert_true (gb_tokenizer_encode_into (tok, NULL, NULL, 4, ids, NULL, NULL, &n, NULL, &error));
    g_assert_cmpuint (n, ==, 2);
    g_assert_cmpmem (ids, 4 * sizeof (gint32), want, sizeof want);
  }

  /* Too short a length is an error, not a crash. */
  g_assert_false (gb_tokenizer_encode_into (tok, "x", "y", 2, ids, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "[CLS]"));
}

static void
test_decode (void)
{
  g_autoptr (GbTokenizer) tok = load_vocab ("wordpiece/bert-base-uncased-vocab.txt");
  gint32 ids[10];
  gsize n = 0;
  g_autofree char *all = NULL, *plain = NULL;

  g_assert_true (gb_tokenizer_encode_into (tok, "Unaffable tokens!", NULL, 10, ids, NULL, NULL,
                                           &n, NULL, NULL));
  all = gb_tokenizer_decode (tok, ids, 10, FALSE);
  plain = gb_tokenizer_decode (tok, ids, 10, TRUE);
  g_assert_cmpstr (plain, ==, "unaffable tokens !");
  g_assert_true (g_str_has_prefix (all, "[CLS] unaffable tokens ! [SEP] [PAD]"));
}

/* ---- configuration and errors ------------------------------------------ */

static char *
write_temp (const char *name, const char *contents, gssize len)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gb-tokenizer-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_temp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *f = g_build_filename (dir, name, NULL);
      g_remove (f);
    }
  g_rmdir (dir);
}

static void
test_config (void)
{
  g_autoptr (GbTokenizer) tok = load_vocab ("wordpiece/bert-base-uncased-vocab.txt");
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_temp ("tokenizer_config.json",
      "{\"do_lower_case\": false, \"strip_accents\": null, \"tokenize_chinese_chars\": false,"
      " \"model_max_length\": 512, \"tokenizer_class\": \"BertTokenizer\","
      " \"unk_token\": {\"content\": \"[UNK]\", \"lstrip\": false}, \"pad_token\": \"[PAD]\"}", -1);
  g_auto (GStrv) toks = NULL;

  g_assert_true (gb_tokenizer_load_config (tok, path, &error));
  g_assert_no_error (error);
  g_assert_false (gb_tokenizer_get_lower_case (tok));
  g_assert_false (gb_tokenizer_get_tokenize_chinese_chars (tok));
  g_assert_cmpint (gb_tokenizer_get_strip_accents (tok), ==, GB_TOKENIZER_STRIP_ACCENTS_AUTO);
  g_assert_cmpuint (gb_tokenizer_get_model_max_length (tok), ==, 512);
  /* Upper-case letters are not in the uncased vocabulary. */
  toks = gb_tokenizer_tokenize (tok, "Hello", NULL, NULL);
  g_assert_cmpstr (toks[0], ==, "[UNK]");
  g_assert_null (toks[1]);
  remove_temp (path);

  /* Hugging Face's "unknown" model_max_length (1e30) is ignored. */
  {
    g_autofree char *p2 = write_temp ("tokenizer_config.json",
        "{\"model_max_length\": 1000000000000000019884624838656, \"strip_accents\": false}", -1);
    g_autoptr (GbTokenizer) t2 = load_vocab ("wordpiece/bert-base-uncased-vocab.txt");
    g_assert_true (gb_tokenizer_load_config (t2, p2, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (gb_tokenizer_get_model_max_length (t2), ==, 0);
    g_assert_cmpint (gb_tokenizer_get_strip_accents (t2), ==, GB_TOKENIZER_STRIP_ACCENTS_OFF);
    remove_temp (p2);
  }
}

static void
expect_config_error (const char *json, int code, const char *fragment)
{
  g_autoptr (GbTokenizer) tok = load_vocab ("wordpiece/bert-base-uncased-vocab.txt");
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_temp ("tokenizer_config.json", json, -1);

  g_assert_false (gb_tokenizer_load_config (tok, path, &error));
  g_assert_error (error, GB_MODEL_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, fragment));
  /* Unchanged on failure. */
  g_assert_true (gb_tokenizer_get_lower_case (tok));
  remove_temp (path);
}

static void
test_config_errors (void)
{
  expect_config_error ("{\"do_lower_case\": false,,}", GB_ERROR_PARSE, ":1:");
  expect_config_error ("[1, 2]", GB_ERROR_PARSE, "one JSON object");
  expect_config_error ("{\"do_lower_case\": \"yes\"}", GB_ERROR_INVALID_ARGUMENT, "do_lower_case");
  expect_config_error ("{\"do_lower_case\": false, \"tokenizer_class\": \"RobertaTokenizer\"}",
                       GB_ERROR_INVALID_ARGUMENT, "RobertaTokenizer");
  expect_config_error ("{\"do_lower_case\": false, \"unk_token\": \"<unk>\"}",
                       GB_ERROR_INVALID_ARGUMENT, "<unk>");
  expect_config_error ("{\"do_lower_case\": false, \"mask_token\": 5}",
                       GB_ERROR_INVALID_ARGUMENT, "mask_token");
}

static void
test_vocab_file_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *bad = write_temp ("vocab.txt", "[PAD]\n[UNK]\nab\xff\n", -1);
  g_autofree char *nounk = write_temp ("vocab.txt", "[PAD]\nhello\n", -1);
  g_autofree char *empty = write_temp ("vocab.txt", "", 0);
  g_autofree char *crlf = write_temp ("vocab.txt", "[PAD]\r\n[UNK]\r\nhello\r\n##s", -1);
  g_autoptr (GbTokenizer) t = NULL;
  g_auto (GStrv) toks = NULL;
  g_autofree char *joined = NULL;

  g_assert_null (gb_tokenizer_new_from_vocab_file (bad, &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
  {
    g_autofree char *where = g_strdup_printf ("%s:3:", bad);
    g_assert_nonnull (strstr (error->message, where));
  }
  g_clear_error (&error);
  g_assert_null (gb_tokenizer_new_from_vocab_file (nounk, &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "[UNK]"));
  g_assert_nonnull (strstr (error->message, nounk));
  g_clear_error (&error);
  g_assert_null (gb_tokenizer_new_from_vocab_file (empty, &error));
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);
  g_assert_null (gb_tokenizer_new_from_vocab_file ("/nonexistent/vocab.txt", &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_IO);
  g_clear_error (&error);
  g_assert_null (gb_tokenizer_new_from_dir ("/nonexistent", &error));
  g_assert_nonnull (strstr (error->message, "vocab.txt"));
  g_clear_error (&error);

  /* CRLF line ends and no final newline are accepted. */
  t = gb_tokenizer_new_from_vocab_file (crlf, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gb_tokenizer_get_vocab_size (t), ==, 4);
  toks = gb_tokenizer_tokenize (t, "Hellos", NULL, NULL);
  joined = g_strjoinv (" ", toks);
  g_assert_cmpstr (joined, ==, "hello ##s");

  remove_temp (bad);
  remove_temp (nounk);
  remove_temp (empty);
  remove_temp (crlf);
}

static void
test_from_dir (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *vocab = write_temp ("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n", -1);
  g_autofree char *dir = g_path_get_dirname (vocab);
  g_autofree char *cfg = g_build_filename (dir, "tokenizer_config.json", NULL);
  g_autoptr (GbTokenizer) t = NULL;
  gint32 ids[4];

  g_file_set_contents (cfg, "{\"do_lower_case\": false}", -1, &error);
  g_assert_no_error (error);
  t = gb_tokenizer_new_from_dir (dir, &error);
  g_assert_no_error (error);
  g_assert_false (gb_tokenizer_get_lower_case (t));
  g_assert_true (gb_tokenizer_encode_into (t, "hello Hello", NULL, 4, ids, NULL, NULL, NULL, NULL, &error));
  g_assert_cmpint (ids[0], ==, 2);
  g_assert_cmpint (ids[1], ==, 4);
  g_assert_cmpint (ids[2], ==, 1);
  g_assert_cmpint (ids[3], ==, 3);
  remove_temp (vocab);
}

static void
test_save_round_trip (void)
{
  g_autoptr (GbTokenizer) tok = load_vocab ("wordpiece/bert-base-chinese-vocab.txt");
  g_autoptr (GbTokenizer) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gb-tokenizer-save-XXXXXX", &error);
  g_autofree char *vocab = g_build_filename (dir, "vocab.txt", NULL);
  g_autofree char *orig = data_path ("wordpiece/bert-base-chinese-vocab.txt");
  g_autofree char *a = NULL, *b = NULL;
  gsize la = 0, lb = 0;
  const char *text = "Café 中文 ΟΔΟΣ unaffable";
  g_auto (GStrv) t1 = NULL;
  g_auto (GStrv) t2 = NULL;

  g_assert_no_error (error);
  gb_tokenizer_set_lower_case (tok, FALSE);
  gb_tokenizer_set_strip_accents (tok, GB_TOKENIZER_STRIP_ACCENTS_ON);
  gb_tokenizer_set_max_chars_per_word (tok, 200);
  g_assert_true (gb_tokenizer_save (tok, dir, &error));
  g_assert_no_error (error);
  /* vocab.txt comes back byte for byte (U+2028 entries included) */
  g_file_get_contents (orig, &a, &la, NULL);
  g_file_get_contents (vocab, &b, &lb, NULL);
  g_assert_cmpmem (a, la, b, lb);

  back = gb_tokenizer_new_from_dir (dir, &error);
  g_assert_no_error (error);
  g_assert_false (gb_tokenizer_get_lower_case (back));
  g_assert_cmpint (gb_tokenizer_get_strip_accents (back), ==, GB_TOKENIZER_STRIP_ACCENTS_ON);
  g_assert_cmpuint (gb_tokenizer_get_max_chars_per_word (back), ==, 200);
  g_assert_cmpint (gb_tokenizer_get_mask_id (back), ==, 103);
  t1 = gb_tokenizer_tokenize (tok, text, NULL, NULL);
  t2 = gb_tokenizer_tokenize (back, text, NULL, NULL);
  g_assert_true (g_strv_equal ((const char *const *) t1, (const char *const *) t2));
  g_assert_cmpstr (t1[0], ==, "[UNK]");   /* "Cafe": no upper-case C in the vocabulary */
  remove_temp (vocab);

  {
    static const char *const bad[] = { "[UNK]", "a\nb" };
    g_assert_null (gb_tokenizer_new_from_tokens (bad, 2, &error));
    g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "token 1"));
  }
}

/* ---- GbVocab ------------------------------------------------------------ */

static void
test_vocab_build (void)
{
  static const char *const texts[] = {
    "The cat sat.", "the dog sat!", NULL, "A cat, a DOG; a bird.", "Café café",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GbVocab) v = gb_vocab_build (texts, G_N_ELEMENTS (texts), 2, 0, &error);
  /* counts: a 3, . 2, cafe 2, cat 2, dog 2, sat 2, the 2, then 1s (dropped). */
  static const char *const want[] = {
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
    "a", ".", "cafe", "cat", "dog", "sat", "the", NULL
  };

  g_assert_no_error (error);
  g_assert_true (g_strv_equal (gb_vocab_get_tokens (v), want));
  g_assert_cmpuint (gb_vocab_get_size (v), ==, 12);
  g_assert_cmpuint (gb_vocab_get_count (v, 5), ==, 3);
  g_assert_cmpuint (gb_vocab_get_count (v, 11), ==, 2);
  g_assert_cmpuint (gb_vocab_get_count (v, GB_VOCAB_PAD_ID), ==, 0);
  g_assert_cmpint (gb_vocab_lookup (v, "dog"), ==, 9);
  g_assert_cmpint (gb_vocab_lookup (v, "bird"), ==, -1);

  /* max_size cuts the least frequent (ties in byte order). */
  {
    g_autoptr (GbVocab) v2 = gb_vocab_build (texts, G_N_ELEMENTS (texts), 1, 8, &error);
    static const char *const want2[] = {
      "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", ".", "cafe", NULL
    };
    g_assert_no_error (error);
    g_assert_true (g_strv_equal (gb_vocab_get_tokens (v2), want2));
  }
  g_assert_null (gb_vocab_build (texts, G_N_ELEMENTS (texts), 1, 5, &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (gb_vocab_build (texts, G_N_ELEMENTS (texts), 100, 0, &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "100"));
}

static void
test_vocab_tokenizer (void)
{
  static const char *const texts[] = { "hello world", "hello there", "world peace" };
  g_autoptr (GError) error = NULL;
  g_autoptr (GbVocab) v = gb_vocab_build (texts, G_N_ELEMENTS (texts), 1, 0, &error);
  g_autoptr (GbTokenizer) tok = gb_vocab_new_tokenizer (v);
  gint32 ids[8];
  gsize n = 0;
  /* hello 2, world 2, peace 1, there 1 */
  static const gint32 want[8] = { GB_VOCAB_CLS_ID, 5, 6, GB_VOCAB_UNK_ID, GB_VOCAB_UNK_ID,
                                  7, GB_VOCAB_SEP_ID, GB_VOCAB_PAD_ID };

  g_assert_no_error (error);
  /* A prefix in the vocabulary does not rescue an unknown word: "helloo" is [UNK]. */
  g_assert_true (gb_tokenizer_encode_into (tok, "Hello WORLD helloo unknown peace", NULL, 8,
                                           ids, NULL, NULL, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 7);
  g_assert_cmpmem (ids, sizeof ids, want, sizeof want);
  g_assert_cmpint (gb_tokenizer_get_mask_id (tok), ==, GB_VOCAB_MASK_ID);
}

static void
test_vocab_save_load (void)
{
  static const char *const texts[] = { "ünïcode 中文 words, words.", "more words" };
  g_autoptr (GError) error = NULL;
  g_autoptr (GbVocab) v = gb_vocab_build (texts, G_N_ELEMENTS (texts), 1, 0, &error);
  g_autofree char *path = write_temp ("vocab.txt", "", 0);
  g_autoptr (GbVocab) back = NULL;
  g_autofree char *contents = NULL;

  g_assert_no_error (error);
  g_assert_true (gb_vocab_save (v, path, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_true (g_str_has_prefix (contents, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nwords\n"));
  back = gb_vocab_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal (gb_vocab_get_tokens (v), gb_vocab_get_tokens (back)));
  g_assert_cmpint (gb_vocab_lookup (back, "unicode"), >=, GB_VOCAB_N_SPECIAL);
  g_assert_cmpint (gb_vocab_lookup (back, "中"), >=, GB_VOCAB_N_SPECIAL);
  remove_temp (path);
}

static void
expect_vocab_error (const char *contents, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_temp ("vocab.txt", contents, -1);
  g_autofree char *where = NULL;

  g_assert_null (gb_vocab_load (path, &error));
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
  where = g_strdup_printf ("%s:", path);
  g_assert_true (g_str_has_prefix (error->message, where));
  remove_temp (path);
}

static void
test_vocab_load_errors (void)
{
  expect_vocab_error ("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\ncat\ndog\ncat\n", ":8: the token \"cat\" repeats line 6");
  expect_vocab_error ("[UNK]\n[PAD]\n", ":1: expected the special token [PAD]");
  expect_vocab_error ("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n\ncat\n", ":6: empty line");
  expect_vocab_error ("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhot dog\n", ":6:");
  expect_vocab_error ("[PAD]\n[UNK]\n", ":3: the file ends before the special token [CLS]");
}

/* ---- the bundled example data -------------------------------------------- */

static const char *
cell_text (const GbColumn *col, gsize row)
{
  if (col->type == GB_COLUMN_TEXT)
    return col->text[row];
  if (col->type == GB_COLUMN_CATEGORICAL && col->codes[row] >= 0)
    return g_ptr_array_index (col->levels, col->codes[row]);
  return NULL;
}

static GbDataset *
load_example (const char *dir, const char *file, const char *sha256)
{
  const char *src = g_getenv ("GB_SOURCE_DIR");
  g_autofree char *path = g_build_filename (src ? src : GB_SOURCE_DIR, "data", "examples",
                                            dir, file, NULL);
  g_autoptr (GError) error = NULL;
  GbDataset *ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  /* the copy is the file PROVENANCE.md describes */
  g_assert_cmpstr (gb_dataset_get_sha256 (ds), ==, sha256);
  return ds;
}

/* The fixture's lines 191–198 and 207–219 are rows of the example data sets
 * (tests/data/wordpiece/PROVENANCE.md): read through the CSV reader, they
 * tokenize as the reference did. */
static void
test_example_rows (void)
{
  static const gsize s2d_rows[] = { 0, 1, 150, 300, 450, 600, 900, 1050 };
  static const gsize sms_rows[] = { 0, 1, 2, 5, 12, 18, 21, 22, 44, 55, 125, 457, 525 };
  g_autoptr (GbDataset) s2d = load_example ("symptom2disease", "Symptom2Disease.csv",
      "5f7d0ee532eaf21649a47051a37f4a9fb12e2b00053d7e3209f38707489998ba");
  g_autoptr (GbDataset) sms = load_example ("sms_spam", "sms_spam.csv",
      "f6605cf7f69b9cb2f9518355fe104be11b6c6ac0c01fb0200caa6821fd7f945d");
  g_autoptr (GbTokenizer) tok = load_vocab ("wordpiece/bert-base-uncased-vocab.txt");
  g_autoptr (GArray) expected = load_expected ("wordpiece/expected-uncased.jsonl");
  const GbColumn *s2d_text, *sms_text;

  g_assert_cmpuint (gb_dataset_get_n_rows (s2d), ==, 1200);
  g_assert_cmpuint (gb_dataset_get_n_rows (sms), ==, 5574);
  g_assert_cmpint (gb_dataset_find_column (s2d, "text"), >=, 0);
  g_assert_cmpint (gb_dataset_find_column (sms, "text"), >=, 0);
  s2d_text = gb_dataset_get_column (s2d, gb_dataset_find_column (s2d, "text"));
  sms_text = gb_dataset_get_column (sms, gb_dataset_find_column (sms, "text"));

  for (guint j = 0; j < G_N_ELEMENTS (s2d_rows) + G_N_ELEMENTS (sms_rows); j++)
    {
      gboolean is_s2d = j < G_N_ELEMENTS (s2d_rows);
      guint line = is_s2d ? 191 + j : 207 + (j - G_N_ELEMENTS (s2d_rows));
      gsize row = is_s2d ? s2d_rows[j] : sms_rows[j - G_N_ELEMENTS (s2d_rows)];
      const char *text = cell_text (is_s2d ? s2d_text : sms_text, row);
      const Expected *e = &g_array_index (expected, Expected, line - 1);
      g_auto (GStrv) toks = NULL;

      g_assert_nonnull (text);
      g_assert_cmpstr (text, ==, e->text);
      toks = gb_tokenizer_tokenize (tok, text, NULL, NULL);
      g_assert_true (g_strv_equal ((const char *const *) toks, (const char *const *) e->tokens));
    }
}

/* A vocabulary built from the SMS messages: deterministic, the specials
 * first, words by frequency, and every message encodes. */
static void
test_vocab_sms (void)
{
  g_autoptr (GbDataset) sms = load_example ("sms_spam", "sms_spam.csv",
      "f6605cf7f69b9cb2f9518355fe104be11b6c6ac0c01fb0200caa6821fd7f945d");
  const GbColumn *col = gb_dataset_get_column (sms, gb_dataset_find_column (sms, "text"));
  gsize n = gb_dataset_get_n_rows (sms);
  g_autofree const char **texts = g_new (const char *, n);
  g_autoptr (GError) error = NULL;
  g_autoptr (GbVocab) a = NULL;
  g_autoptr (GbVocab) b = NULL;
  g_autoptr (GbTokenizer) tok = NULL;
  gint32 ids[64];
  gsize unk = 0, total = 0;

  for (gsize i = 0; i < n; i++)
    texts[i] = cell_text (col, i);
  a = gb_vocab_build (texts, n, 2, 5000, &error);
  g_assert_no_error (error);
  b = gb_vocab_build (texts, n, 2, 5000, &error);
  g_assert_true (g_strv_equal (gb_vocab_get_tokens (a), gb_vocab_get_tokens (b)));
  g_assert_cmpuint (gb_vocab_get_size (a), <=, 5000);
  g_assert_cmpuint (gb_vocab_get_size (a), >, 3000);
  for (gsize id = GB_VOCAB_N_SPECIAL + 1; id < gb_vocab_get_size (a); id++)
    {
      guint64 c0 = gb_vocab_get_count (a, id - 1), c1 = gb_vocab_get_count (a, id);
      g_assert_cmpuint (c1, >=, 2);
      g_assert_true (c0 > c1 || (c0 == c1 && strcmp (gb_vocab_get_token (a, id - 1),
                                                      gb_vocab_get_token (a, id)) < 0));
    }
  /* "." is the most frequent token of the messages. */
  g_assert_cmpstr (gb_vocab_get_token (a, GB_VOCAB_N_SPECIAL), ==, ".");

  tok = gb_vocab_new_tokenizer (a);
  for (gsize i = 0; i < n; i++)
    {
      gsize nt = 0;
      g_assert_true (gb_tokenizer_encode_into (tok, texts[i], NULL, 64, ids, NULL, NULL, &nt, NULL, &error));
      g_assert_cmpint (ids[0], ==, GB_VOCAB_CLS_ID);
      for (gsize k = 1; k + 1 < nt; k++)
        {
          g_assert_cmpint (ids[k], >=, GB_VOCAB_UNK_ID);
          g_assert_cmpint (ids[k], !=, GB_VOCAB_CLS_ID);
          unk += ids[k] == GB_VOCAB_UNK_ID;
          total++;
        }
    }
  /* words seen once are [UNK]: a few per cent of the running tokens */
  g_assert_cmpuint (unk, >, 0);
  g_assert_cmpuint (unk * 10, <, total);
}

int
main (int argc, char **argv)
{
  /* UTF-8 output for the mismatch messages; the tokenizer itself is locale-independent. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/model/tokenizer/vocab-sizes", test_vocab_sizes);
  g_test_add_func ("/engine/model/tokenizer/reference/uncased", test_fixture_uncased);
  g_test_add_func ("/engine/model/tokenizer/reference/chinese", test_fixture_chinese);
  g_test_add_func ("/engine/model/tokenizer/reference/chinese-nolower", test_fixture_chinese_nolower);
  g_test_add_func ("/engine/model/tokenizer/reference/max200", test_fixture_max200);
  g_test_add_func ("/engine/model/tokenizer/basic-rules", test_basic_rules);
  g_test_add_func ("/engine/model/tokenizer/wordpiece-unk", test_wordpiece_unk);
  g_test_add_func ("/engine/model/tokenizer/encode", test_encode);
  g_test_add_func ("/engine/model/tokenizer/decode", test_decode);
  g_test_add_func ("/engine/model/tokenizer/config", test_config);
  g_test_add_func ("/engine/model/tokenizer/config-errors", test_config_errors);
  g_test_add_func ("/engine/model/tokenizer/vocab-file-errors", test_vocab_file_errors);
  g_test_add_func ("/engine/model/tokenizer/from-dir", test_from_dir);
  g_test_add_func ("/engine/model/tokenizer/save", test_save_round_trip);
  g_test_add_func ("/engine/model/vocab/build", test_vocab_build);
  g_test_add_func ("/engine/model/vocab/tokenizer", test_vocab_tokenizer);
  g_test_add_func ("/engine/model/vocab/save-load", test_vocab_save_load);
  g_test_add_func ("/engine/model/vocab/load-errors", test_vocab_load_errors);
  g_test_add_func ("/engine/model/tokenizer/example-rows", test_example_rows);
  g_test_add_func ("/engine/model/vocab/sms-spam", test_vocab_sms);
  return g_test_run ();
}
