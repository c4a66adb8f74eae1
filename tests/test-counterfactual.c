/* test-counterfactual.c — counterfactual substitution of identity terms for
 * text models (engine/fairness/gb-counterfactual.h, issues 6 and 7):
 *   - the substitution rules (case, word boundaries, punctuation, multi-word
 *     terms, directions) as exact strings;
 *   - pair-list files: errors name the file and line; the built-in gender
 *     list turns every sentence of the Equity Evaluation Corpus into its own
 *     opposite-gender twin (the corpus' pairing is the independent reference);
 *   - the paired t-test and Wilcoxon signed-rank test against scipy
 *     (tests/reference/counterfactual_reference.py);
 *   - the probe through GbAudit: a planted corpus whose label is the gender
 *     term is detected, a corpus whose label ignores it is not; the
 *     substituted predictions equal the model's on a dataset that holds the
 *     substituted sentences; EEC's emotion model, with its figures. */
#include "gb-config.h"
#include "glassbox-engine.h"
#include "gb-counterfactual.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

static char *tmpdir;

/* Fixture helpers (tests/data/counterfactual/, written by
 * tests/reference/counterfactual_reference.py). */
static JsonParser *
load_fixture (const char *rel)
{
  const char *dir = g_getenv ("GB_TEST_DATA");
  g_autofree char *path = dir != NULL ? g_build_filename (dir, rel, NULL)
                                      : g_build_filename (GB_SOURCE_DIR, "tests", "data", rel, NULL);
  g_autoptr(GError) error = NULL;
  JsonParser *parser = json_parser_new ();
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return parser;
}

static double *
doubles_member (JsonObject *o, const char *name, gsize *len)
{
  JsonArray *a = json_object_get_array_member (o, name);
  guint n = json_array_get_length (a);
  double *v = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    v[i] = json_array_get_double_element (a, i);
  *len = n;
  return v;
}

static void
assert_rel (double got, double want, double tol, const char *what, gsize idx)
{
  double err = fabs (got - want) / MAX (fabs (want), 1e-300);
  if (!(err <= tol))
    g_error ("%s[%" G_GSIZE_FORMAT "]: got %.17g, want %.17g (relative error %.3g > %.3g)",
             what, idx, got, want, err, tol);
}

static const char *
source_dir (void)
{
  const char *s = g_getenv ("GB_SOURCE_DIR");
  return s ? s : GB_SOURCE_DIR;
}

static GbPairList *
gender_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (source_dir (), "data", "counterfactual", "gender.txt",
                                            NULL);
  GbPairList *l = gb_pair_list_load (path, &error);
  g_assert_no_error (error);
  return l;
}

static void
assert_sub (const GbPairList *l, GbPairDirection dir, const char *in, const char *want,
            guint want_n)
{
  guint n = 99;
  g_autofree char *got = gb_pair_list_substitute (l, in, dir, &n);
  if (g_strcmp0 (got, want) != 0)
    g_error ("substitute(“%s”) = “%s”, expected “%s”", in, got, want);
  g_assert_cmpuint (n, ==, want_n);
}

/* ------------------------------------------------------------ substitution */

static void
test_substitute_case (void)
{
  g_autoptr(GbPairList) l = gender_list ();
  assert_sub (l, GB_PAIR_SWAP, "He said she saw him.", "She said he saw her.", 3);
  assert_sub (l, GB_PAIR_SWAP, "HE SAID SHE SAW HIM", "SHE SAID HE SAW HER", 3);
  assert_sub (l, GB_PAIR_SWAP, "Alonzo met nichelle", "Nichelle met Alonzo", 2);
  assert_sub (l, GB_PAIR_SWAP, "ALONZO", "NICHELLE", 1);
  /* "her" is listed in two pairs: the first (him ↔ her) wins */
  assert_sub (l, GB_PAIR_SWAP, "I saw her.", "I saw him.", 1);
  /* a lone capital letter is not all caps */
  assert_sub (l, GB_PAIR_SWAP, "Man", "Woman", 1);
  assert_sub (l, GB_PAIR_SWAP, "nothing to see", "nothing to see", 0);
  assert_sub (l, GB_PAIR_SWAP, "", "", 0);
  guint n = 7;
  g_assert_null (gb_pair_list_substitute (l, NULL, GB_PAIR_SWAP, &n));
  g_assert_cmpuint (n, ==, 0);
}

static void
test_substitute_boundaries (void)
{
  g_autoptr(GbPairList) l = gender_list ();
  /* words inside other words are untouched */
  assert_sub (l, GB_PAIR_SWAP, "the manager is human; the shepherd sheds", 
              "the manager is human; the shepherd sheds", 0);
  /* punctuation and apostrophes are boundaries */
  assert_sub (l, GB_PAIR_SWAP, "(he) he's \"she\", man-made, woman's; he.",
              "(she) she's \"he\", woman-made, man's; she.", 6);
  /* line breaks, tabs and non-ASCII punctuation */
  assert_sub (l, GB_PAIR_SWAP, "«He»\tsaid:\n—she—", "«She»\tsaid:\n—he—", 2);
  /* a word with a combining mark or a non-ASCII letter stays one word */
  assert_sub (l, GB_PAIR_SWAP, "he\xcc\x81 heé", "he\xcc\x81 heé", 0);
}

static void
test_substitute_multiword (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GbPairList) l = gb_pair_list_new ("test", "a", "b");
  g_assert_true (gb_pair_list_add (l, "this man", "this woman", &error));
  g_assert_true (gb_pair_list_add (l, "man", "lady", &error));
  g_assert_true (gb_pair_list_add (l, "Zoë", "José", &error));
  g_assert_no_error (error);
  /* the longer term wins at the same place; any whitespace between its words */
  assert_sub (l, GB_PAIR_SWAP, "This man, this  man and that man.",
              "This woman, this woman and that lady.", 3);
  /* punctuation between the words breaks a multi-word term */
  assert_sub (l, GB_PAIR_SWAP, "this, man", "this, lady", 1);
  /* back again */
  assert_sub (l, GB_PAIR_SWAP, "THIS WOMAN and this lady", "THIS MAN and this man", 2);
  /* Unicode case folding: ZOË matches zoë */
  assert_sub (l, GB_PAIR_SWAP, "ZOË and josé", "JOSÉ and Zoë", 2);
}

static void
test_substitute_direction (void)
{
  g_autoptr(GbPairList) l = gender_list ();
  g_assert_cmpstr (l->group_a, ==, "male");
  g_assert_cmpstr (l->group_b, ==, "female");
  g_assert_cmpstr (l->name, ==, "gender");
  assert_sub (l, GB_PAIR_A_TO_B, "He told her about his son.", "She told her about her daughter.",
              3);
  assert_sub (l, GB_PAIR_B_TO_A, "He told her about his son.", "He told him about his son.", 1);
  assert_sub (l, GB_PAIR_SWAP, "He told her about his son.", "She told him about her daughter.",
              4);
}

/* ------------------------------------------------------------ pair lists */

static void
assert_parse_error (const char *text, const char *want)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GbPairList) l = gb_pair_list_parse (text, -1, "x", "lists/x.txt", &error);
  g_assert_null (l);
  g_assert_error (error, GB_FAIRNESS_ERROR, GB_ERROR_PARSE);
  if (strstr (error->message, want) == NULL)
    g_error ("error “%s” lacks “%s”", error->message, want);
}

static void
test_pair_list_errors (void)
{
  assert_parse_error ("# c\nhe\tshe\nman woman\n", "lists/x.txt:3: expected two terms separated by a tab");
  assert_parse_error ("he\tshe\tit\n", "lists/x.txt:1: expected two terms separated by a tab, found 3 fields");
  assert_parse_error ("\n\nMr.\tMrs\n", "lists/x.txt:3: term “Mr.” holds “.”");
  assert_parse_error ("he\tHE\n", "lists/x.txt:1: “he” and “HE” are the same term");
  assert_parse_error ("he\t \n", "lists/x.txt:1: a term is empty");
  assert_parse_error ("@groups\tmale\n", "lists/x.txt:1: expected “@groups<TAB>GROUP A<TAB>GROUP B”");
  assert_parse_error ("@groups\ta\tb\n@groups\ta\tb\nx\ty\n", "lists/x.txt:2: a second @groups line");
  assert_parse_error ("# only a comment\n\n", "lists/x.txt: the list holds no pair");
  assert_parse_error ("he\tshe\n\xff\xfe\tx\n", "lists/x.txt:2: the line is not valid UTF-8");

  g_autoptr(GError) error = NULL;
  g_autoptr(GbPairList) missing = gb_pair_list_load ("/nonexistent/pairs.txt", &error);
  g_assert_null (missing);
  g_assert_error (error, GB_FAIRNESS_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/pairs.txt"));

  /* a pair repeated (in another case) is one pair; a new partner is not a repeat */
  g_clear_error (&error);
  g_autoptr(GbPairList) dup = gb_pair_list_parse ("he\tshe\nHe\tShe\nhim\ther\nhe\tshe\n", -1,
                                                  "x", "lists/x.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dup->terms_a->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (dup->terms_a, 1), ==, "him");

  /* a leading UTF-8 byte-order mark is skipped, not part of the first term */
  g_autoptr(GbPairList) bom = gb_pair_list_parse ("\xEF\xBB\xBFhe\tshe\n", -1, "x", "lists/x.txt",
                                                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bom->terms_a->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (bom->terms_a, 0), ==, "he");
}

static void
test_pair_list_roundtrip (void)
{
  g_autoptr(GError) error = NULL;
  /* CRLF, comments, blank lines, @groups after a pair */
  const char *text = "# list\r\nhe\tshe\r\n\r\n  # indented comment\r\n@groups\tm\tf\r\n"
                     "this man\tthis woman\r\n";
  g_autoptr(GbPairList) l = gb_pair_list_parse (text, -1, "t", "t.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (l->terms_a->len, ==, 2);
  g_assert_cmpstr (l->group_b, ==, "f");
  g_autofree char *out = gb_pair_list_to_text (l);
  g_assert_cmpstr (out, ==, "@groups\tm\tf\nhe\tshe\nthis man\tthis woman\n");
  g_autoptr(GbPairList) again = gb_pair_list_parse (out, -1, "t", "t.txt", &error);
  g_assert_no_error (error);
  g_autofree char *out2 = gb_pair_list_to_text (again);
  g_assert_cmpstr (out, ==, out2);

  /* a built-in list by name */
  g_autoptr(GbPairList) b = gb_pair_list_load ("race-names", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->group_a, ==, "European");
  g_assert_cmpuint (b->terms_a->len, ==, 20);
}

/* Every EEC sentence, swapped with the built-in gender list, is the corpus'
 * own sentence of the same template and emotion word for the other gender. */
static void
test_eec_pairing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (source_dir (), "data", "examples", "eec",
                                            "Equity-Evaluation-Corpus.csv", NULL);
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GbPairList) l = gender_list ();
  int tmpl = gb_dataset_find_column (ds, "Template");
  int gender = gb_dataset_find_column (ds, "Gender");
  int word = gb_dataset_find_column (ds, "Emotion word");
  g_assert_true (tmpl >= 0 && gender >= 0 && word >= 0);
  gsize n = gb_dataset_get_n_rows (ds);
  g_assert_cmpuint (n, ==, 8640);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *s = gb_dataset_format_cell (ds, gb_dataset_find_column (ds, "Sentence"), i);
      g_hash_table_insert (index, (gpointer) g_intern_string (s), GSIZE_TO_POINTER (i + 1));
    }
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *s = gb_dataset_format_cell (ds, gb_dataset_find_column (ds, "Sentence"), i);
      guint nr = 0;
      g_autofree char *t = gb_pair_list_substitute (l, s, GB_PAIR_SWAP, &nr);
      gsize j = GPOINTER_TO_SIZE (g_hash_table_lookup (index, t));
      if (j == 0)
        g_error ("row %" G_GSIZE_FORMAT ": “%s” → “%s” is not in the corpus", i, s, t);
      j--;
      g_assert_cmpuint (nr, >=, 1);
      g_autofree char *ti = gb_dataset_format_cell (ds, tmpl, i);
      g_autofree char *tj = gb_dataset_format_cell (ds, tmpl, j);
      g_autofree char *wi = gb_dataset_format_cell (ds, word, i);
      g_autofree char *wj = gb_dataset_format_cell (ds, word, j);
      g_autofree char *g = gb_dataset_format_cell (ds, gender, i);
      g_autofree char *gj = gb_dataset_format_cell (ds, gender, j);
      g_assert_cmpstr (ti, ==, tj);
      g_assert_cmpstr (wi, ==, wj);
      g_assert_cmpstr (g, !=, gj);
      /* the directed swap from the row's own gender gives the same twin */
      g_autofree char *u = gb_pair_list_substitute (l, s, strcmp (g, "male") == 0
                                                    ? GB_PAIR_A_TO_B : GB_PAIR_B_TO_A, NULL);
      g_assert_cmpstr (u, ==, t);
    }
}

/* ------------------------------------------------------------ paired tests */

static void
test_paired_tests_scipy (void)
{
  g_autoptr(JsonParser) p = load_fixture ("counterfactual/paired-tests.json");
  JsonArray *cases = json_object_get_array_member (json_node_get_object (json_parser_get_root (p)),
                                                   "cases");
  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *o = json_array_get_object_element (cases, c);
      gsize n;
      g_autofree double *d = doubles_member (o, "d", &n);
      double mean, lo, hi, t, pt, w, pw;
      gsize used;
      gboolean exact;
      gb_paired_t_test (d, n, &mean, &lo, &hi, &t, &pt);
      gb_wilcoxon_signed_rank (d, n, 50, &w, &pw, &used, &exact);
      g_test_message ("%s: n %" G_GSIZE_FORMAT ", t p %.6g (scipy %.6g), Wilcoxon W %.1f p %.6g "
                      "(scipy %.6g, %s)", json_object_get_string_member (o, "name"), n, pt,
                      json_object_get_double_member (o, "t_p_value"), w, pw,
                      json_object_get_double_member (o, "wilcoxon_p_value"),
                      exact ? "exact" : "normal approximation");
      assert_rel (mean, json_object_get_double_member (o, "mean"), 1e-12, "mean", c);
      assert_rel (t, json_object_get_double_member (o, "t"), 1e-9, "t", c);
      assert_rel (pt, json_object_get_double_member (o, "t_p_value"), 1e-8, "t p-value", c);
      assert_rel (lo, json_object_get_double_member (o, "ci_low"), 1e-8, "ci_low", c);
      assert_rel (hi, json_object_get_double_member (o, "ci_high"), 1e-8, "ci_high", c);
      assert_rel (w, json_object_get_double_member (o, "wilcoxon_statistic"), 1e-12, "W", c);
      assert_rel (pw, json_object_get_double_member (o, "wilcoxon_p_value"), 1e-9,
                  "Wilcoxon p-value", c);
      g_assert_cmpuint (used, ==, json_object_get_int_member (o, "n_nonzero"));
      g_assert_cmpint (exact, ==,
                       strcmp (json_object_get_string_member (o, "wilcoxon_method"), "exact") == 0);
    }
  /* all zeros: no evidence either way */
  double z[5] = { 0 }, mean, lo, hi, pt, w, pw;
  gb_paired_t_test (z, 5, &mean, &lo, &hi, NULL, &pt);
  gb_wilcoxon_signed_rank (z, 5, 50, &w, &pw, NULL, NULL);
  g_assert_cmpfloat (pt, ==, 1.0);
  g_assert_cmpfloat (pw, ==, 1.0);
}

/* ------------------------------------------------------------ the probe */

/* A corpus of @n sentences "<person> <verb> the <adjective> <noun>." with
 * the person from gender.txt (pronoun, noun phrase or EEC name, male or
 * female at random) and the adjective good or bad at random; @planted: the
 * label is the person's gender (male = 1), else the adjective (good = 1). */
static char *
write_corpus (const char *name, guint n, gboolean planted, guint32 seed)
{
  static const char *const male[] = { "He", "This man", "My brother", "My father", "My son",
                                      "Alonzo", "Adam", "Jamel", "Harry", "Roger", "Jack" };
  static const char *const female[] = { "She", "This woman", "My sister", "My mother",
                                        "My daughter", "Nichelle", "Amanda", "Shereen",
                                        "Courtney", "Melanie", "Ellen" };
  static const char *const verbs[] = { "liked", "described", "reviewed", "remembered", "found" };
  static const char *const good[] = { "wonderful", "excellent", "lovely", "great" };
  static const char *const bad[] = { "awful", "terrible", "dreadful", "horrible" };
  static const char *const nouns[] = { "film", "meal", "trip", "book", "concert" };
  g_autoptr(GRand) r = g_rand_new_with_seed (seed);
  GString *s = g_string_new ("text,label\n");
  for (guint i = 0; i < n; i++)
    {
      gboolean is_male = g_rand_boolean (r), is_good = g_rand_boolean (r);
      const char *person = is_male ? male[g_rand_int_range (r, 0, G_N_ELEMENTS (male))]
                                   : female[g_rand_int_range (r, 0, G_N_ELEMENTS (female))];
      const char *adj = is_good ? good[g_rand_int_range (r, 0, G_N_ELEMENTS (good))]
                                : bad[g_rand_int_range (r, 0, G_N_ELEMENTS (bad))];
      g_string_append_printf (s, "%s %s the %s %s.,%d\n", person,
                              verbs[g_rand_int_range (r, 0, G_N_ELEMENTS (verbs))], adj,
                              nouns[g_rand_int_range (r, 0, G_N_ELEMENTS (nouns))],
                              planted ? is_male : is_good);
    }
  char *path = g_build_filename (tmpdir, name, NULL);
  g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
  g_string_free (s, TRUE);
  return path;
}

static GbAudit *
run_text_audit (const char *csv, const char *target, const char *text, guint epochs,
                const char *const *lists)
{
  GbAudit *audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  g_autoptr(GError) error = NULL;
  s->csv_path = g_strdup (csv);
  s->target = g_strdup (target);
  gb_audit_use_text (audit, text);
  s->model.n_layers = 1;
  s->model.max_length = 16;
  s->train.epochs = epochs;
  s->train.n_threads = 2;
  s->explain_rows = 0;
  s->counterfactual_pairs = g_strdupv ((char **) lists);
  g_assert_true (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return audit;
}

static const GbCounterfactualDirection *
direction (const GbCounterfactualResult *cf, GbPairDirection d)
{
  for (guint i = 0; i < cf->directions->len; i++)
    {
      const GbCounterfactualDirection *x = g_ptr_array_index (cf->directions, i);
      if (x->direction == d)
        return x;
    }
  g_assert_not_reached ();
}

static void
log_direction (const char *what, const GbCounterfactualDirection *d)
{
  g_test_message ("%s %s: n %" G_GSIZE_FORMAT ", mean change %+.3g (95 %% CI %+.3g … %+.3g), "
                  "paired t p = %.3g, Wilcoxon p = %.3g, flip rate %.3f, mean |change| %.3g",
                  what, d->label, d->n_rows, d->mean_change, d->ci_low, d->ci_high,
                  d->t_p_value, d->wilcoxon_p_value, d->flip_rate, d->mean_abs_change);
}

/* The number of held-out rows whose text holds a term of @dir, counted
 * here from the texts (not from the probe). */
static gsize
count_rows_with_terms (GbAudit *audit, const GbPairList *l, GbPairDirection dir)
{
  const GbAuditResults *r = gb_audit_get_results (audit);
  GbDataset *ds = gb_audit_get_dataset (audit);
  int ci = gb_dataset_find_column (ds, r->text_column);
  gsize count = 0;
  for (gsize i = 0; i < r->n_rows; i++)
    if (r->split[i] == 1)
      {
        g_autofree char *s = gb_dataset_format_cell (ds, (guint) ci, i);
        guint nr = 0;
        g_autofree char *t = gb_pair_list_substitute (l, s, dir, &nr);
        count += nr > 0;
      }
  return count;
}

static void
test_probe_planted (void)
{
  g_autofree char *csv = write_corpus ("planted.csv", 1000, TRUE, 7);
  const char *lists[] = { "gender", NULL };
  g_autoptr(GbAudit) audit = run_text_audit (csv, "label", "text", 6, lists);
  const GbAuditResults *r = gb_audit_get_results (audit);
  g_assert_nonnull (r->counterfactual);
  g_assert_cmpuint (r->counterfactual->len, ==, 1);
  const GbCounterfactualResult *cf = g_ptr_array_index (r->counterfactual, 0);
  g_test_message ("planted corpus (label = gender): held-out accuracy %.4f", r->accuracy);
  g_assert_cmpfloat (r->accuracy, >=, 0.95);
  g_assert_cmpuint (cf->class_index, ==, 1);
  g_assert_cmpuint (cf->n_rows_examined, ==, r->n_test);
  g_assert_cmpuint (cf->directions->len, ==, 3);

  g_autoptr(GbPairList) l = gender_list ();
  const GbCounterfactualDirection *swap = direction (cf, GB_PAIR_SWAP);
  const GbCounterfactualDirection *m2f = direction (cf, GB_PAIR_A_TO_B);
  const GbCounterfactualDirection *f2m = direction (cf, GB_PAIR_B_TO_A);
  log_direction ("planted", m2f);
  log_direction ("planted", f2m);
  /* every sentence names exactly one person */
  g_assert_cmpuint (swap->n_rows, ==, r->n_test);
  g_assert_cmpuint (m2f->n_rows, ==, count_rows_with_terms (audit, l, GB_PAIR_A_TO_B));
  g_assert_cmpuint (f2m->n_rows, ==, count_rows_with_terms (audit, l, GB_PAIR_B_TO_A));
  g_assert_cmpuint (m2f->n_rows + f2m->n_rows, ==, r->n_test);
  g_assert_cmpstr (m2f->label, ==, "male→female");
  /* the planted dependence: male → female lowers P(label 1) a lot, the reverse raises it */
  g_assert_cmpfloat (m2f->mean_change, <, -0.5);
  g_assert_cmpfloat (f2m->mean_change, >, 0.5);
  g_assert_cmpfloat (m2f->t_p_value, <, 0.05);
  g_assert_cmpfloat (f2m->t_p_value, <, 0.05);
  g_assert_cmpfloat (m2f->wilcoxon_p_value, <, 0.05);
  g_assert_cmpfloat (f2m->wilcoxon_p_value, <, 0.05);
  g_assert_cmpfloat (m2f->ci_high, <, 0.0);
  g_assert_cmpfloat (f2m->ci_low, >, 0.0);
  g_assert_cmpfloat (m2f->flip_rate, >, 0.5);
  g_assert_cmpfloat (f2m->flip_rate, >, 0.5);
  /* mean before/after agree with the mean change */
  g_assert_cmpfloat_with_epsilon (m2f->mean_after - m2f->mean_before, m2f->mean_change, 1e-12);

  /* The substituted predictions (gb_model_predict_texts()) equal the
   * model's on a dataset that holds the substituted sentences (within
   * float32 rounding: the batches differ, so do the BLAS sums). */
  g_assert_cmpuint (m2f->examples->len, ==, 5);
  GString *s = g_string_new ("text,label\n");
  for (guint i = 0; i < m2f->examples->len; i++)
    {
      const GbCounterfactualExample *e = &g_array_index (m2f->examples, GbCounterfactualExample, i);
      g_autofree char *t = gb_pair_list_substitute (l, e->before, GB_PAIR_A_TO_B, NULL);
      g_assert_cmpstr (t, ==, e->after);
      g_string_append_printf (s, "%s,0\n", e->after);
      if (i > 0)
        {
          const GbCounterfactualExample *p = &g_array_index (m2f->examples,
                                                             GbCounterfactualExample, i - 1);
          g_assert_cmpfloat (fabs (p->p_after - p->p_before), >=, fabs (e->p_after - e->p_before));
        }
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDataset) after = gb_dataset_new_from_data (s->str, s->len, "after.csv", &error);
  g_string_free (s, TRUE);
  g_assert_no_error (error);
  gsize rows[5] = { 0, 1, 2, 3, 4 };
  double probs[10];
  g_assert_true (gb_model_predict_proba (gb_audit_get_model (audit), after, rows, 5, probs, NULL,
                                         &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpfloat_with_epsilon (probs[i * 2 + 1],
                                    g_array_index (m2f->examples, GbCounterfactualExample,
                                                   i).p_after, 1e-6);

  /* JSON: fairness.counterfactual and causal.model_interventions[] */
  g_autofree char *json = gb_audit_to_json (audit);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *c = json_object_get_object_member (json_object_get_object_member (root, "fairness"),
                                                 "counterfactual");
  g_assert_cmpstr (json_object_get_string_member (c, "pair_list"), ==, "gender");
  g_assert_cmpint (json_object_get_int_member (c, "n_rows"), ==, (gint64) swap->n_rows);
  g_assert_cmpfloat (json_object_get_double_member (c, "mean_change"), ==, swap->mean_change);
  g_assert_cmpfloat (json_object_get_double_member (c, "t_p_value"), ==, swap->t_p_value);
  g_assert_cmpfloat (json_object_get_double_member (c, "flip_rate"), ==, swap->flip_rate);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c, "examples")), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c, "directions")), ==, 3);
  JsonArray *mi = json_object_get_array_member (json_object_get_object_member (root, "causal"),
                                                "model_interventions");
  guint found = 0;
  for (guint i = 0; i < json_array_get_length (mi); i++)
    {
      JsonObject *o = json_array_get_object_element (mi, i);
      if (g_strcmp0 (json_object_get_string_member (o, "attribute"), "text:gender") != 0)
        continue;
      const char *v = json_object_get_string_member (o, "value");
      const GbCounterfactualDirection *d = g_strcmp0 (v, "female→male") == 0 ? f2m : m2f;
      g_assert_cmpstr (v, ==, d->label);
      g_assert_cmpfloat (json_object_get_double_member (o, "mean_change"), ==, d->mean_change);
      g_assert_cmpfloat (json_object_get_double_member (o, "ci_low"), ==, d->ci_low);
      g_assert_cmpfloat (json_object_get_double_member (o, "flip_rate"), ==, d->flip_rate);
      found++;
    }
  g_assert_cmpuint (found, ==, 2);

  g_autofree char *pdf = g_build_filename (tmpdir, "planted.pdf", NULL);
  g_assert_true (gb_audit_write_pdf (audit, pdf, &error));
  g_assert_no_error (error);
}

static void
test_probe_null (void)
{
  g_autofree char *csv = write_corpus ("null.csv", 1000, FALSE, 11);
  const char *lists[] = { "gender", NULL };
  g_autoptr(GbAudit) audit = run_text_audit (csv, "label", "text", 6, lists);
  const GbAuditResults *r = gb_audit_get_results (audit);
  const GbCounterfactualResult *cf = g_ptr_array_index (r->counterfactual, 0);
  g_test_message ("null corpus (label = adjective): held-out accuracy %.4f", r->accuracy);
  g_assert_cmpfloat (r->accuracy, >=, 0.95);
  for (guint i = 0; i < cf->directions->len; i++)
    {
      const GbCounterfactualDirection *d = g_ptr_array_index (cf->directions, i);
      log_direction ("null", d);
      g_assert_cmpuint (d->n_rows, >, 100);
      /* a model that reads the adjective barely moves when the person changes */
      g_assert_cmpfloat (fabs (d->mean_change), <, 0.02);
      g_assert_cmpfloat (d->mean_abs_change, <, 0.05);
      g_assert_cmpfloat (d->flip_rate, <, 0.02);
    }
}

/* EEC: a tiny text model of the emotion on every second sentence, then the
 * gender and race-name swaps. */
static void
test_probe_eec (void)
{
  g_autofree char *path = g_build_filename (source_dir (), "data", "examples", "eec",
                                            "Equity-Evaluation-Corpus.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (lines[0]);
  g_string_append_c (out, '\n');
  for (guint i = 1; lines[i]; i++)
    if (*lines[i] && (i - 1) % 2 == 0)
      {
        g_string_append (out, lines[i]);
        g_string_append_c (out, '\n');
      }
  g_autofree char *slice = g_build_filename (tmpdir, "eec-half.csv", NULL);
  g_assert_true (g_file_set_contents (slice, out->str, out->len, NULL));
  g_string_free (out, TRUE);

  const char *lists[] = { "gender", "race-names", NULL };
  g_autoptr(GbAudit) audit = run_text_audit (slice, "Emotion", "Sentence", 3, lists);
  const GbAuditResults *r = gb_audit_get_results (audit);
  g_test_message ("EEC (every second sentence, 3 epochs): %u classes, held-out accuracy %.4f "
                  "(majority %.4f), %" G_GSIZE_FORMAT " held-out rows", r->n_classes, r->accuracy,
                  r->majority_rate_test, r->n_test);
  g_assert_cmpuint (r->n_classes, ==, 4);
  g_assert_cmpfloat (r->accuracy, >, r->majority_rate_test);
  g_assert_cmpuint (r->counterfactual->len, ==, 2);
  const GbCounterfactualResult *g = g_ptr_array_index (r->counterfactual, 0);
  const GbCounterfactualResult *race = g_ptr_array_index (r->counterfactual, 1);
  g_test_message ("EEC gender: reported class “%s”", r->class_names[g->class_index]);
  g_autoptr(GbPairList) l = gender_list ();
  /* every EEC sentence names a person of the gender list */
  g_assert_cmpuint (direction (g, GB_PAIR_SWAP)->n_rows, ==, r->n_test);
  g_assert_cmpuint (direction (g, GB_PAIR_A_TO_B)->n_rows, ==,
                    count_rows_with_terms (audit, l, GB_PAIR_A_TO_B));
  for (guint i = 0; i < g->directions->len; i++)
    log_direction ("EEC gender", g_ptr_array_index (g->directions, i));
  for (guint i = 0; i < race->directions->len; i++)
    log_direction ("EEC race names", g_ptr_array_index (race->directions, i));
  /* the per-class mean changes of a probability vector sum to 0 */
  const GbCounterfactualDirection *sw = direction (g, GB_PAIR_SWAP);
  double sum = 0.0;
  for (guint k = 0; k < g->n_classes; k++)
    sum += sw->class_mean_change[k];
  g_assert_cmpfloat (fabs (sum), <, 1e-6);
  /* the reported class has the largest |mean change| */
  for (guint k = 0; k < g->n_classes; k++)
    g_assert_cmpfloat (fabs (sw->class_mean_change[k]), <=,
                       fabs (sw->class_mean_change[g->class_index]));
}

/* glassbox-audit refuses a bad list before reading the CSV: exit 2, file and line named. */
static void
test_cli_errors (void)
{
  const char *b = g_getenv ("GB_BUILD_DIR");
  if (b == NULL)
    {
      g_test_skip ("GB_BUILD_DIR is not set (run through meson test)");
      return;
    }
  g_autofree char *cli = g_build_filename (b, "app", "glassbox-audit", NULL);
  g_autofree char *bad = g_build_filename (tmpdir, "bad-pairs.txt", NULL);
  g_assert_true (g_file_set_contents (bad, "# ok\nhe\tshe\nMr.\tMrs.\n", -1, NULL));
  g_autofree char *opt = g_strdup_printf ("--counterfactual-pairs=gender,%s", bad);
  const char *argv[] = { cli, "--target=label", "--text=text", opt, "missing.csv", NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_autoptr(GError) error = NULL;
  g_assert_true (g_spawn_sync (tmpdir, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status,
                               &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_autofree char *want = g_strdup_printf ("%s:3: term “Mr.”", bad);
  if (strstr (err, want) == NULL)
    g_error ("stderr “%s” lacks “%s”", err, want);

  /* an empty value is no silent default (it used to mean gender) */
  const char *argv2[] = { cli, "--target=label", "--text=text", "--counterfactual-pairs=",
                          "missing.csv", NULL };
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_assert_true (g_spawn_sync (tmpdir, (char **) argv2, NULL, 0, NULL, NULL, &out2, &err2,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err2, "--counterfactual-pairs: no list given"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("gb-cf-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  g_test_add_func ("/engine/fairness/counterfactual/substitute/case", test_substitute_case);
  g_test_add_func ("/engine/fairness/counterfactual/substitute/boundaries",
                   test_substitute_boundaries);
  g_test_add_func ("/engine/fairness/counterfactual/substitute/multi-word",
                   test_substitute_multiword);
  g_test_add_func ("/engine/fairness/counterfactual/substitute/direction",
                   test_substitute_direction);
  g_test_add_func ("/engine/fairness/counterfactual/pair-list/errors", test_pair_list_errors);
  g_test_add_func ("/engine/fairness/counterfactual/pair-list/roundtrip", test_pair_list_roundtrip);
  g_test_add_func ("/engine/fairness/counterfactual/pair-list/eec-pairing", test_eec_pairing);
  g_test_add_func ("/engine/fairness/counterfactual/paired-tests/scipy", test_paired_tests_scipy);
  g_test_add_func ("/engine/fairness/counterfactual/cli-errors", test_cli_errors);
  g_test_add_func ("/engine/fairness/counterfactual/probe/planted", test_probe_planted);
  g_test_add_func ("/engine/fairness/counterfactual/probe/null", test_probe_null);
  g_test_add_func ("/engine/fairness/counterfactual/probe/eec", test_probe_eec);
  int rc = g_test_run ();
  /* remove the temporary files */
  GDir *dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (tmpdir, name, NULL);
      g_unlink (p);
    }
  if (dir)
    g_dir_close (dir);
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return rc;
}
