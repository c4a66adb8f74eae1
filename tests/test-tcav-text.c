/* test-tcav-text.c — TCAV concepts of text rows ("COLUMN~word1|word2") and
 * TCAV on text and text+feature transformers.
 *
 * The word condition is checked against hand-worked rows (whole words,
 * case folding, NFKC, scripts without spaces, categorical levels, missing
 * cells).  The model test trains tiny transformers on a synthetic corpus in
 * which the label is planted by one word: a message is "yes" exactly when it
 * contains "refund"; the other words are drawn uniformly from a filler list
 * whatever the label.  TCAV must then find the concept text~refund for class
 * 1 (score ≥ 0.9, p < 0.05) and not a concept of random words that never
 * influence the label: note~golf|tango|kilo|lima on a column "note" of
 * three filler words that the model does not read, so its rows are a random
 * subset of the model's inputs (p > 0.05 for the first seed and in at least
 * 8 of 10 seeds; measured 10 and 9 of 10).  The corpus has 3000 rows so
 * that the concept set is 500 rows against random sets of 50, the regime
 * in which gb_tcav()'s random baseline is calibrated (with 1200 rows, 160
 * concept rows against 42, the same random concept was significant in 4 of
 * 10 seeds).
 *
 * Filler words inside the model's own text (text~golf|tango) are only
 * reported, not asserted: they are label-independent, yet the tokens are
 * inputs, so the concept is a genuine direction of the [CLS] state, and
 * TCAV, which tests the sign of the directional derivative and not its
 * size, can find the trained model's small sensitivity to it consistent
 * (measured: 0.40, p = 0.76 for the text model; 0.85, p = 0.003 for the
 * text+feature model). */
#include "gb-config.h"
#include "glassbox-engine.h"
#include "gb-test-text.h"
#include "gb-tcav-run.h"

#include <math.h>
#include <string.h>

#define MAX_LEN 16

static GbDataset *
make_dataset (const char *csv)
{
  GError *error = NULL;
  GbDataset *ds = gb_dataset_new_from_data (csv, strlen (csv), "words.csv", &error);
  g_assert_no_error (error);
  return ds;
}

/* The word condition on a text column and on a categorical one. */
static void
test_condition (void)
{
  /* row: 0 plain, 1 upper case, 2 plural (no whole word), 3 punctuation,
   * 4 inside a word, 5 full-width letters (NFKC), 6 missing, 7 Chinese
   * (no spaces), 8 phrase, 9 accented upper case (case folding) */
  g_autoptr(GbDataset) ds = make_dataset (
    "id,text,kind,n\n"
    "0,\"please send my refund today, thanks a lot\",a,1\n"
    "1,\"GET A REFUND NOW OR ELSE WE CALL AGAIN\",b,2\n"
    "2,\"refunds are slow this month for everybody\",a,3\n"
    "3,\"(refund.) is what the letter said to me\",b,4\n"
    "4,\"prerefund checks are done by the second team\",a,5\n"
    "5,\"ｒｅｆｕｎｄ pending from the shop down the road\",b,6\n"
    "6,,a,7\n"
    "7,\"您好免费领取奖品请回复这条短信谢谢您的支持\",b,8\n"
    "8,\"the money back guarantee was not honoured at all\",a,9\n"
    "9,\"ÉCOLE fermée demain matin pour toute la journée\",b,10\n");
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autofree double *v = g_new (double, n);
  GError *error = NULL;
  static const double expect_refund[] = { 1, 1, 0, 1, 0, 1, NAN, 0, 0, 0 };
  static const double expect_mixed[] = { 0, 0, 0, 0, 0, 0, NAN, 1, 1, 1 };

  g_assert_cmpuint (n, ==, 10);
  g_assert_true (gb_dataset_eval_variable (ds, "text~refund", NULL, v, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    if (isnan (expect_refund[i]))
      g_assert_true (isnan (v[i]));
    else
      g_assert_cmpfloat (v[i], ==, expect_refund[i]);

  /* several words, spaces around them and the operator, a phrase */
  g_assert_true (gb_dataset_eval_variable (ds, "text ~ 免费 | école| money back ", NULL, v,
                                           &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    if (isnan (expect_mixed[i]))
      g_assert_true (isnan (v[i]));
    else
      g_assert_cmpfloat (v[i], ==, expect_mixed[i]);
  g_assert_true (gb_variable_is_binary (v, n));

  /* a categorical column: the levels are matched */
  g_assert_true (gb_dataset_eval_variable (ds, "kind~B", NULL, v, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (v[i], ==, (double) (i % 2 == 1));

  int col = -1;
  GbCompareOp op = GB_COMPARE_NONE;
  g_autofree char *value = NULL;
  g_assert_true (gb_variable_spec_parse (ds, "text~refund|rebate", &col, &op, &value, &error));
  g_assert_cmpint (col, ==, gb_dataset_find_column (ds, "text"));
  g_assert_cmpint (op, ==, GB_COMPARE_CONTAINS);
  g_assert_cmpstr (value, ==, "refund|rebate");

  /* errors name the condition */
  g_assert_false (gb_dataset_eval_variable (ds, "n~refund", NULL, v, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "n~refund"));
  g_assert_nonnull (strstr (error->message, "numeric"));
  g_clear_error (&error);
  g_assert_false (gb_dataset_eval_variable (ds, "text~ | ", NULL, v, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "text~ | "));
  g_clear_error (&error);
  g_assert_false (gb_dataset_eval_variable (ds, "txt~refund", NULL, v, &error));
  g_assert_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "txt~refund"));
  g_clear_error (&error);
}

static const char *const filler[] = {
  "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
  "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
  "uniform", "victor", "whiskey", "xray", "yankee", "zulu", "amber", "basil", "cedar", "dune",
};

/* @n messages of 4–9 filler words; half of them (at random) also hold
 * "refund" at a random place and are labelled yes; with @feature, a numeric
 * column noise ~ U(0, 1) independent of everything. */
static GbDataset *
planted_corpus (gsize n, gboolean feature, guint32 seed)
{
  GString *csv = g_string_new (feature ? "label,noise,note,text\n" : "label,note,text\n");
  GRand *rng = g_rand_new_with_seed (seed);
  for (gsize i = 0; i < n; i++)
    {
      gboolean yes = g_rand_boolean (rng);
      guint len = g_rand_int_range (rng, 4, 10);
      guint at = g_rand_int_range (rng, 0, len + 1);
      g_string_append (csv, yes ? "yes," : "no,");
      if (feature)
        {
          char b[G_ASCII_DTOSTR_BUF_SIZE];
          g_string_append_printf (csv, "%s,", g_ascii_formatd (b, sizeof b, "%.4f",
                                                               g_rand_double (rng)));
        }
      for (guint w = 0; w < 3; w++)
        g_string_append_printf (csv, "%s%c",
                                filler[g_rand_int_range (rng, 0, G_N_ELEMENTS (filler))],
                                w < 2 ? ' ' : ',');
      for (guint w = 0; w <= len; w++)
        {
          if (w == at && yes)
            g_string_append (csv, "refund ");
          if (w < len)
            g_string_append_printf (csv, "%s ",
                                    filler[g_rand_int_range (rng, 0, G_N_ELEMENTS (filler))]);
        }
      g_string_truncate (csv, csv->len - 1);
      g_string_append_c (csv, '\n');
    }
  g_rand_free (rng);
  GError *error = NULL;
  GbDataset *ds = gb_dataset_new_from_data (csv->str, csv->len, "planted-words.csv", &error);
  g_assert_no_error (error);
  g_string_free (csv, TRUE);
  return ds;
}

static void
tcav_text_model (gboolean feature)
{
  g_autoptr(GbDataset) ds = planted_corpus (3000, feature, 7);
  const gsize n = gb_dataset_get_n_rows (ds);
  const GbColumn *tc_col = gb_dataset_get_column (ds, gb_dataset_find_column (ds, "text"));
  GError *error = NULL;
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new (guint8, n);
  g_autofree const char **texts = g_new0 (const char *, n);
  gsize nt = 0;

  g_assert_true (gb_dataset_eval_variable (ds, "label", "yes", y, &error));
  g_assert_no_error (error);
  gb_split_stratified (y, n, 0.3, 42, split);
  g_autoptr(GArray) pool = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize r = 0; r < n; r++)
    {
      const char *t = tc_col->text ? tc_col->text[r]
                                   : g_ptr_array_index (tc_col->levels, tc_col->codes[r]);
      if (split[r] == 0)
        texts[nt++] = t;
      if (split[r] <= 1)
        g_array_append_val (split[r] == 0 ? pool : held, r);
    }
  GbTransformerConfig mc;
  GbTrainConfig tc;
  g_autoptr(GbTokenizer) tok = tiny_text_model (texts, nt, MAX_LEN, &mc);
  static const char *const features[] = { "noise", NULL };
  g_autoptr(GbModel) m = gb_model_new_text (ds, "text", feature ? features : NULL,
                                            feature ? 1 : 0, NULL, 2, &mc, 42, &error);
  g_assert_no_error (error);
  gb_model_use_tokenizer (m, tok);
  gb_train_config_init_default (&tc);
  tc.epochs = 6;
  tc.batch_size = 32;
  tc.learning_rate = 3e-3;
  tc.n_threads = 1;
  g_assert_true (gb_model_train (m, ds, y, split, &tc, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* the model has learnt the planted word */
  g_autofree double *p = g_new (double, held->len * 2);
  g_assert_true (gb_model_predict_proba (m, ds, (gsize *) held->data, held->len, p, NULL,
                                         &error));
  g_assert_no_error (error);
  gsize right = 0;
  for (guint i = 0; i < held->len; i++)
    right += (p[2 * i + 1] > 0.5) == (y[g_array_index (held, gsize, i)] == 1.0);
  const double acc = (double) right / held->len;
  g_assert_cmpfloat (acc, >=, 0.95);

  GbTcavOptions o;
  gb_tcav_options_init_default (&o);
  g_autoptr(GPtrArray) planted = gb_tcav_model (m, ds, "text~refund", (gsize *) pool->data,
                                                pool->len, (gsize *) held->data, held->len, y,
                                                &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (planted->len, ==, 2);
  const GbTcavResult *c1 = g_ptr_array_index (planted, 1), *c0 = g_ptr_array_index (planted, 0);
  g_test_message ("%s model (held-out accuracy %.3f): text~refund class 1 TCAV %.3f (random "
                  "%.3f), p = %.2e; class 0 TCAV %.3f, p = %.2e",
                  feature ? "text+feature" : "text", acc, c1->score, c1->random_score,
                  c1->p_value, c0->score, c0->p_value);
  g_assert_cmpfloat (c1->score, >=, 0.9);
  g_assert_cmpfloat (c1->p_value, <, 0.05);
  g_assert_true (c1->significant);
  g_assert_cmpfloat (c0->score, <=, 0.1);

  /* filler words inside the model's text: reported only (see the top) */
  g_autoptr(GPtrArray) in_text = gb_tcav_model (m, ds, "text~golf|tango", (gsize *) pool->data,
                                                pool->len, (gsize *) held->data, held->len, y,
                                                &o, NULL, &error);
  g_assert_no_error (error);
  const GbTcavResult *t1 = g_ptr_array_index (in_text, 1);
  g_test_message ("text~golf|tango (label-independent words the model reads): class 1 TCAV "
                  "%.3f (random %.3f), p = %.3f", t1->score, t1->random_score, t1->p_value);

  /* random words the model never reads: a random concept */
  guint not_sig = 0;
  for (guint s = 0; s < 10; s++)
    {
      o.seed = 100 + s;
      g_autoptr(GPtrArray) random = gb_tcav_model (m, ds, "note~golf|tango|kilo|lima",
                                                   (gsize *) pool->data, pool->len,
                                                   (gsize *) held->data, held->len, y, &o,
                                                   NULL, &error);
      g_assert_no_error (error);
      const GbTcavResult *r1 = g_ptr_array_index (random, 1);
      g_test_message ("note~golf|tango|kilo|lima (random), seed %u: class 1 TCAV %.3f (random %.3f), "
                      "p = %.3f", 100 + s, r1->score, r1->random_score, r1->p_value);
      if (s == 0)
        {
          g_assert_cmpfloat (r1->p_value, >, 0.05);
          g_assert_false (r1->significant);
        }
      not_sig += !r1->significant;
    }
  g_test_message ("note~golf|tango|kilo|lima not significant for class 1 in %u of 10 seeds", not_sig);
  g_assert_cmpuint (not_sig, >=, 8);

  /* a bad condition is an error naming it */
  const char *bad = feature ? "noise~refund" : "txt~refund";
  g_assert_null (gb_tcav_model (m, ds, bad, (gsize *) pool->data, pool->len,
                                (gsize *) held->data, held->len, y, &o, NULL, &error));
  g_assert_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, bad));
  g_clear_error (&error);
}

static void
test_text_model (void)
{
  tcav_text_model (FALSE);
}

static void
test_mixed_model (void)
{
  tcav_text_model (TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gb_set_blas_threads (1);
  g_test_add_func ("/engine/explain/tcav-text/condition", test_condition);
  g_test_add_func ("/engine/explain/tcav-text/text-model", test_text_model);
  g_test_add_func ("/engine/explain/tcav-text/text-feature-model", test_mixed_model);
  return g_test_run ();
}
