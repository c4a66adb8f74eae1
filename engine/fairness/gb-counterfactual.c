/* gb-counterfactual.c — identity-term pair lists, whole-word substitution,
 * paired tests and the counterfactual probe of a text model (see the
 * header for the method and its sources). */
#include "gb-config.h"
#include "gb-counterfactual.h"
#include "gb-common.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

/* ---- pair lists ------------------------------------------------------------- */

typedef struct {
  guint n_words;
  char **words;        /* (n_words) casefolded */
  char *replacement;   /* as written in the list */
} Entry;

static void
entry_free (Entry *e)
{
  g_strfreev (e->words);
  g_free (e->replacement);
  g_free (e);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* Splits @term into words (runs of word characters separated by
 * whitespace); NULL with @bad set to the offending character otherwise. */
static char **
term_words (const char *term, gunichar *bad)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  const char *p = term;
  *bad = 0;
  while (*p)
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c) && c != '\t')
        {
          p = g_utf8_next_char (p);
          continue;
        }
      if (!is_word_char (c))
        {
          *bad = c;
          return NULL;
        }
      const char *start = p;
      while (*p && is_word_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      g_ptr_array_add (words, g_utf8_casefold (start, p - start));
    }
  if (words->len == 0)
    return NULL;
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

static gint
entry_longer_first (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(Entry *const *) a, *y = *(Entry *const *) b;
  return (int) y->n_words - (int) x->n_words;
}

/* Adds from → to to the lookup of @dir unless @from is already there. */
static void
lookup_add (GbPairList *self, GbPairDirection dir, char **from_words, const char *to)
{
  GHashTable *h = self->lookup[dir];
  GPtrArray *list = g_hash_table_lookup (h, from_words[0]);
  guint n = g_strv_length (from_words);
  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
      g_hash_table_insert (h, g_strdup (from_words[0]), list);
    }
  for (guint i = 0; i < list->len; i++)
    {
      Entry *e = g_ptr_array_index (list, i);
      if (g_strv_equal ((const char *const *) e->words, (const char *const *) from_words))
        return; /* the first pair that lists a term defines its substitute */
    }
  Entry *e = g_new0 (Entry, 1);
  e->n_words = n;
  e->words = g_strdupv (from_words);
  e->replacement = g_strdup (to);
  g_ptr_array_add (list, e);
  /* stable: g_ptr_array_sort is a merge sort in GLib ≥ 2.76, and entries
   * with equal lengths have different words, so their order never matters */
  g_ptr_array_sort (list, entry_longer_first);
}

GbPairList *
gb_pair_list_new (const char *name, const char *group_a, const char *group_b)
{
  GbPairList *self = g_new0 (GbPairList, 1);
  self->name = g_strdup (name != NULL ? name : "pairs");
  self->group_a = g_strdup (group_a);
  self->group_b = g_strdup (group_b);
  self->terms_a = g_ptr_array_new_with_free_func (g_free);
  self->terms_b = g_ptr_array_new_with_free_func (g_free);
  for (guint d = 0; d < 3; d++)
    self->lookup[d] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);
  return self;
}

void
gb_pair_list_free (GbPairList *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->group_a);
  g_free (self->group_b);
  g_free (self->path);
  g_ptr_array_unref (self->terms_a);
  g_ptr_array_unref (self->terms_b);
  for (guint d = 0; d < 3; d++)
    g_hash_table_unref (self->lookup[d]);
  g_free (self);
}

static gboolean
check_term (const char *term, char ***words, GError **error)
{
  gunichar bad = 0;
  if (!g_utf8_validate (term, -1, NULL))
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "a term is not valid UTF-8");
      return FALSE;
    }
  *words = term_words (term, &bad);
  if (*words != NULL)
    return TRUE;
  if (bad == 0)
    g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT, "a term is empty");
  else
    {
      char buf[8] = { 0 };
      g_unichar_to_utf8 (bad, buf);
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "term “%s” holds “%s” (U+%04X), which is not part of a word; terms are "
                   "words (letters, digits) separated by spaces", term,
                   bad == '\t' ? "\\t" : buf, bad);
    }
  return FALSE;
}

gboolean
gb_pair_list_add (GbPairList *self, const char *a, const char *b, GError **error)
{
  g_auto(GStrv) wa = NULL;
  g_auto(GStrv) wb = NULL;
  g_return_val_if_fail (self != NULL && a != NULL && b != NULL, FALSE);
  if (!check_term (a, &wa, error) || !check_term (b, &wb, error))
    return FALSE;
  if (g_strv_equal ((const char *const *) wa, (const char *const *) wb))
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "“%s” and “%s” are the same term", a, b);
      return FALSE;
    }
  /* a pair listed twice (same words, any case) substitutes nothing new:
   * keep one, so the pair count is the number of distinct pairs */
  for (guint i = 0; i < self->terms_a->len; i++)
    {
      gunichar bad;
      g_auto(GStrv) oa = term_words (g_ptr_array_index (self->terms_a, i), &bad);
      g_auto(GStrv) ob = term_words (g_ptr_array_index (self->terms_b, i), &bad);
      if (oa && ob && g_strv_equal ((const char *const *) oa, (const char *const *) wa)
          && g_strv_equal ((const char *const *) ob, (const char *const *) wb))
        return TRUE;
    }
  g_autofree char *sa = g_strstrip (g_strdup (a));
  g_autofree char *sb = g_strstrip (g_strdup (b));
  lookup_add (self, GB_PAIR_A_TO_B, wa, sb);
  lookup_add (self, GB_PAIR_B_TO_A, wb, sa);
  lookup_add (self, GB_PAIR_SWAP, wa, sb);
  lookup_add (self, GB_PAIR_SWAP, wb, sa);
  g_ptr_array_add (self->terms_a, g_steal_pointer (&sa));
  g_ptr_array_add (self->terms_b, g_steal_pointer (&sb));
  return TRUE;
}

GbPairList *
gb_pair_list_parse (const char *data, gssize length, const char *name, const char *origin,
                    GError **error)
{
  g_return_val_if_fail (data != NULL, NULL);
  if (origin == NULL)
    origin = name != NULL ? name : "pair list";
  if (length < 0)
    length = strlen (data);
  /* a UTF-8 byte-order mark (Windows editors write one) is not part of the first term */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_PARSE,
                   "%s: the file holds a NUL byte; a pair list is UTF-8 text", origin);
      return NULL;
    }
  g_autofree char *copy = g_strndup (data, length);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);
  g_autoptr(GbPairList) list = gb_pair_list_new (name, NULL, NULL);
  gboolean have_groups = FALSE;

  for (guint i = 0; lines[i]; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);
      guint lineno = i + 1;
      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      if (!g_utf8_validate (line, len, NULL))
        {
          g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_PARSE,
                       "%s:%u: the line is not valid UTF-8", origin, lineno);
          return NULL;
        }
      const char *p = line;
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0' || *p == '#')
        continue;
      g_auto(GStrv) fields = g_strsplit (p, "\t", -1);
      guint nf = g_strv_length (fields);
      if (g_str_has_prefix (p, "@groups"))
        {
          if (g_strcmp0 (fields[0], "@groups") != 0 || nf != 3 || !*g_strstrip (fields[1])
              || !*g_strstrip (fields[2]))
            {
              g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_PARSE,
                           "%s:%u: expected “@groups<TAB>GROUP A<TAB>GROUP B”", origin, lineno);
              return NULL;
            }
          if (have_groups)
            {
              g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_PARSE,
                           "%s:%u: a second @groups line", origin, lineno);
              return NULL;
            }
          have_groups = TRUE;
          list->group_a = g_strdup (fields[1]);
          list->group_b = g_strdup (fields[2]);
          continue;
        }
      if (nf != 2)
        {
          g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_PARSE,
                       "%s:%u: expected two terms separated by a tab, found %u field%s",
                       origin, lineno, nf, nf == 1 ? "" : "s");
          return NULL;
        }
      g_autoptr(GError) local = NULL;
      if (!gb_pair_list_add (list, fields[0], fields[1], &local))
        {
          g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_PARSE, "%s:%u: %s", origin, lineno,
                       local->message);
          return NULL;
        }
    }
  if (list->terms_a->len == 0)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_PARSE, "%s: the list holds no pair",
                   origin);
      return NULL;
    }
  return g_steal_pointer (&list);
}

const char *
gb_counterfactual_data_dir (void)
{
  static char *dir = NULL;
  if (g_once_init_enter (&dir))
    {
      const char *env = g_getenv ("GB_COUNTERFACTUAL_DIR");
      g_autofree char *share = g_path_get_dirname (GB_EXAMPLES_DIR);
      g_autofree char *installed = g_build_filename (share, "counterfactual", NULL);
      g_autofree char *probe = g_build_filename (installed, "gender.txt", NULL);
      char *found;
      if (env != NULL && *env != '\0')
        found = g_strdup (env);
      else if (g_file_test (probe, G_FILE_TEST_EXISTS))
        found = g_strdup (installed);
      else
        found = g_build_filename (GB_SOURCE_DIR, "data", "counterfactual", NULL);
      g_once_init_leave (&dir, found);
    }
  return dir;
}

GbPairList *
gb_pair_list_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  g_autofree char *file = NULL;
  gsize len = 0;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && strchr (path, G_DIR_SEPARATOR) == NULL)
    {
      g_autofree char *base = g_str_has_suffix (path, ".txt") ? g_strdup (path)
                                                               : g_strconcat (path, ".txt", NULL);
      file = g_build_filename (gb_counterfactual_data_dir (), base, NULL);
      if (!g_file_test (file, G_FILE_TEST_EXISTS))
        g_clear_pointer (&file, g_free);
    }
  if (file == NULL)
    file = g_strdup (path);
  if (!g_file_get_contents (file, &data, &len, &local))
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_IO,
                   "Cannot read the pair list %s: %s (give a file, or a built-in list: "
                   "gender, race-names)", path, local->message);
      return NULL;
    }
  g_autofree char *base = g_path_get_basename (file);
  if (g_str_has_suffix (base, ".txt"))
    base[strlen (base) - 4] = '\0';
  GbPairList *list = gb_pair_list_parse (data, (gssize) len, base, file, error);
  if (list != NULL)
    list->path = g_strdup (file);
  return list;
}

char *
gb_pair_list_to_text (const GbPairList *self)
{
  GString *s = g_string_new (NULL);
  if (self->group_a != NULL && self->group_b != NULL)
    g_string_append_printf (s, "@groups\t%s\t%s\n", self->group_a, self->group_b);
  for (guint i = 0; i < self->terms_a->len; i++)
    g_string_append_printf (s, "%s\t%s\n", (char *) g_ptr_array_index (self->terms_a, i),
                            (char *) g_ptr_array_index (self->terms_b, i));
  return g_string_free (s, FALSE);
}

/* ---- substitution ----------------------------------------------------------- */

typedef struct {
  gsize start, end;  /* byte offsets */
  char *fold;        /* casefolded */
} Span;

/* Writes @rep in the case style of @src (bytes [0, len)). */
static void
append_with_case (GString *out, const char *src, gsize len, const char *rep)
{
  guint upper = 0, lower = 0, letters = 0;
  gunichar first = 0;
  for (const char *p = src; p < src + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isalpha (c))
        continue;
      if (letters == 0)
        first = c;
      letters++;
      if (g_unichar_isupper (c) || g_unichar_istitle (c))
        upper++;
      else if (g_unichar_islower (c))
        lower++;
    }
  if (letters >= 2 && lower == 0 && upper > 0)
    {
      g_autofree char *u = g_utf8_strup (rep, -1);
      g_string_append (out, u);
    }
  else if (first != 0 && (g_unichar_isupper (first) || g_unichar_istitle (first)))
    {
      gunichar c0 = g_utf8_get_char (rep);
      const char *rest = g_utf8_next_char (rep);
      g_string_append_unichar (out, g_unichar_totitle (c0));
      g_string_append (out, rest);
    }
  else
    g_string_append (out, rep);
}

static gboolean
only_space (const char *p, const char *end)
{
  if (p == end)
    return FALSE; /* words must be separated */
  for (; p < end; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

char *
gb_pair_list_substitute (const GbPairList *self, const char *text, GbPairDirection direction,
                         guint *n_replaced)
{
  guint replaced = 0;
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (direction <= GB_PAIR_B_TO_A, NULL);
  if (n_replaced)
    *n_replaced = 0;
  if (text == NULL)
    return NULL;
  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup (text); /* nothing to match in bytes that are not text */

  GHashTable *h = self->lookup[direction];
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  for (const char *p = text; *p;)
    {
      if (!is_word_char (g_utf8_get_char (p)))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      Span s = { (gsize) (p - text), 0, NULL };
      while (*p && is_word_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      s.end = (gsize) (p - text);
      s.fold = g_utf8_casefold (text + s.start, s.end - s.start);
      g_array_append_val (spans, s);
    }

  GString *out = g_string_sized_new (strlen (text) + 16);
  gsize copied = 0;
  const Span *sp = (const Span *) spans->data;
  for (guint i = 0; i < spans->len;)
    {
      GPtrArray *list = g_hash_table_lookup (h, sp[i].fold);
      const Entry *hit = NULL;
      for (guint k = 0; list != NULL && k < list->len && hit == NULL; k++)
        {
          const Entry *e = g_ptr_array_index (list, k);
          gboolean ok = i + e->n_words <= spans->len;
          for (guint w = 1; ok && w < e->n_words; w++)
            ok = strcmp (sp[i + w].fold, e->words[w]) == 0
              && only_space (text + sp[i + w - 1].end, text + sp[i + w].start);
          if (ok)
            hit = e;
        }
      if (hit == NULL)
        {
          i++;
          continue;
        }
      gsize start = sp[i].start, end = sp[i + hit->n_words - 1].end;
      g_string_append_len (out, text + copied, start - copied);
      append_with_case (out, text + start, end - start, hit->replacement);
      copied = end;
      replaced++;
      i += hit->n_words;
    }
  g_string_append (out, text + copied);
  for (guint i = 0; i < spans->len; i++)
    g_free (g_array_index (spans, Span, i).fold);
  if (n_replaced)
    *n_replaced = replaced;
  return g_string_free (out, FALSE);
}

/* ---- paired tests ----------------------------------------------------------- */

void
gb_paired_t_test (const double *d, gsize n, double *mean, double *ci_low, double *ci_high,
                  double *t, double *p_value)
{
  double m = 0.0, ss = 0.0;
  for (gsize i = 0; i < n; i++)
    m += d[i];
  m = n > 0 ? m / n : NAN;
  for (gsize i = 0; i < n; i++)
    ss += (d[i] - m) * (d[i] - m);
  *mean = m;
  if (t)
    *t = NAN;
  if (n < 2)
    {
      *ci_low = *ci_high = *p_value = NAN;
      return;
    }
  double sd = sqrt (ss / (n - 1)), se = sd / sqrt ((double) n);
  double q = gsl_cdf_tdist_Pinv (0.975, (double) (n - 1));
  *ci_low = m - q * se;
  *ci_high = m + q * se;
  if (se == 0.0)
    {
      *p_value = m == 0.0 ? 1.0 : 0.0;
      if (t)
        *t = m == 0.0 ? 0.0 : copysign (INFINITY, m);
      return;
    }
  double tt = m / se;
  if (t)
    *t = tt;
  *p_value = MIN (1.0, 2.0 * gsl_cdf_tdist_Q (fabs (tt), (double) (n - 1)));
}

typedef struct {
  double abs;
  gboolean positive;
} Signed;

static int
cmp_signed (const void *a, const void *b)
{
  double x = ((const Signed *) a)->abs, y = ((const Signed *) b)->abs;
  return (x > y) - (x < y);
}

void
gb_wilcoxon_signed_rank (const double *d, gsize n, guint exact_max_n, double *statistic,
                         double *p_value, gsize *n_used, gboolean *exact)
{
  g_autofree Signed *v = g_new (Signed, MAX (n, 1));
  gsize m = 0;
  for (gsize i = 0; i < n; i++)
    if (d[i] != 0.0 && !isnan (d[i]))
      {
        v[m].abs = fabs (d[i]);
        v[m].positive = d[i] > 0;
        m++;
      }
  if (n_used)
    *n_used = m;
  if (exact)
    *exact = FALSE;
  if (m == 0)
    {
      *statistic = 0.0;
      *p_value = 1.0;
      return;
    }
  qsort (v, m, sizeof (Signed), cmp_signed);
  double w_plus = 0.0, tie_term = 0.0;
  gboolean ties = FALSE;
  for (gsize i = 0; i < m;)
    {
      gsize j = i;
      while (j + 1 < m && v[j + 1].abs == v[i].abs)
        j++;
      double rank = 0.5 * ((double) (i + 1) + (double) (j + 1)); /* average of ranks i+1 .. j+1 */
      double t = (double) (j - i + 1);
      if (t > 1)
        {
          ties = TRUE;
          tie_term += t * t * t - t;
        }
      for (gsize k = i; k <= j; k++)
        if (v[k].positive)
          w_plus += rank;
      i = j + 1;
    }
  double total = (double) m * (m + 1) / 2.0;
  double w = MIN (w_plus, total - w_plus);
  *statistic = w;
  if (!ties && m <= exact_max_n)
    {
      /* counts of subsets of {1..m} with each rank sum */
      gsize max = (gsize) total;
      g_autofree double *c = g_new0 (double, max + 1);
      c[0] = 1.0;
      for (gsize k = 1; k <= m; k++)
        for (gsize s = max; s >= k; s--)
          c[s] += c[s - k];
      double below = 0.0;
      for (gsize s = 0; s <= (gsize) w; s++)
        below += c[s];
      *p_value = MIN (1.0, 2.0 * below / ldexp (1.0, (int) m));
      if (exact)
        *exact = TRUE;
      return;
    }
  double mu = (double) m * (m + 1) / 4.0;
  double var = (double) m * (m + 1) * (2.0 * m + 1) / 24.0 - tie_term / 48.0;
  if (var <= 0.0)
    {
      *p_value = 1.0;
      return;
    }
  double z = (w - mu) / sqrt (var);
  *p_value = MIN (1.0, 2.0 * gsl_cdf_ugaussian_Q (fabs (z)));
}

/* ---- the probe -------------------------------------------------------------- */

static void
example_clear (GbCounterfactualExample *e)
{
  g_free (e->before);
  g_free (e->after);
}

static void
direction_free (GbCounterfactualDirection *d)
{
  if (d == NULL)
    return;
  g_free (d->label);
  g_free (d->class_mean_change);
  if (d->examples)
    g_array_unref (d->examples);
  g_free (d);
}

void
gb_counterfactual_result_free (GbCounterfactualResult *result)
{
  if (result == NULL)
    return;
  g_free (result->pair_list);
  g_free (result->group_a);
  g_free (result->group_b);
  g_free (result->text_column);
  if (result->directions)
    g_ptr_array_unref (result->directions);
  g_free (result);
}

static const char *
text_cell (const GbColumn *c, gsize row)
{
  if (c->type == GB_COLUMN_TEXT)
    return c->text[row];
  if (c->type == GB_COLUMN_CATEGORICAL && c->codes[row] >= 0)
    return g_ptr_array_index (c->levels, c->codes[row]);
  return NULL;
}

static guint
argmax (const double *p, guint K)
{
  guint best = 0;
  for (guint k = 1; k < K; k++)
    if (p[k] > p[best])
      best = k;
  return best;
}

/* The rows of one direction and their predictions. */
typedef struct {
  GbCounterfactualDirection *dir;
  GArray *idx;        /* (guint) positions into the examined rows */
  GPtrArray *after;   /* (utf8) rewritten texts */
  double *p_after;    /* (len, K) */
} Pass;

typedef struct {
  gsize pos;
  double abs_change;
} Ranked;

static int
cmp_ranked (const void *a, const void *b)
{
  const Ranked *x = a, *y = b;
  if (x->abs_change != y->abs_change)
    return x->abs_change < y->abs_change ? 1 : -1;
  return (x->pos > y->pos) - (x->pos < y->pos);
}

GbCounterfactualResult *
gb_counterfactual_run (GbModel *model, GbDataset *ds, const GbPairList *pairs,
                       const gsize *rows, gsize n_rows, int class_index, guint n_examples,
                       GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (GB_IS_MODEL (model) && GB_IS_DATASET (ds) && pairs != NULL, NULL);
  const char *column = gb_model_get_text_column (model);
  guint K = gb_model_get_n_classes (model);
  if (column == NULL)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Counterfactual term substitution needs a text model; this model reads no text");
      return NULL;
    }
  int ci = gb_dataset_find_column (ds, column);
  if (ci < 0)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "The dataset has no column “%s”, the model's text", column);
      return NULL;
    }
  if (class_index >= (int) K)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Class %d does not exist: the model has %u classes", class_index, K);
      return NULL;
    }
  const GbColumn *col = gb_dataset_get_column (ds, (guint) ci);

  g_autoptr(GbCounterfactualResult) res = g_new0 (GbCounterfactualResult, 1);
  res->pair_list = g_strdup (pairs->name);
  res->group_a = g_strdup (pairs->group_a);
  res->group_b = g_strdup (pairs->group_b);
  res->n_pairs = pairs->terms_a->len;
  res->text_column = g_strdup (column);
  res->n_rows_examined = n_rows;
  res->n_classes = K;
  res->directions = g_ptr_array_new_with_free_func ((GDestroyNotify) direction_free);

  g_autofree double *p_before = g_new (double, MAX (n_rows, 1) * K);
  if (n_rows > 0 && !gb_model_predict_proba (model, ds, rows, n_rows, p_before, cancellable, error))
    return NULL;

  gboolean groups = pairs->group_a != NULL && pairs->group_b != NULL;
  guint n_dirs = groups ? 3 : 1;
  Pass pass[3] = { { 0 } };
  gboolean ok = TRUE;
  for (guint d = 0; d < n_dirs && ok; d++)
    {
      Pass *ps = &pass[d];
      GbCounterfactualDirection *dir = g_new0 (GbCounterfactualDirection, 1);
      dir->direction = (GbPairDirection) d;
      if (d == GB_PAIR_SWAP)
        dir->label = groups ? g_strdup_printf ("%s↔%s", pairs->group_a, pairs->group_b)
                            : g_strdup ("swap");
      else if (d == GB_PAIR_A_TO_B)
        dir->label = g_strdup_printf ("%s→%s", pairs->group_a, pairs->group_b);
      else
        dir->label = g_strdup_printf ("%s→%s", pairs->group_b, pairs->group_a);
      g_ptr_array_add (res->directions, dir);
      ps->dir = dir;
      ps->idx = g_array_new (FALSE, FALSE, sizeof (gsize));
      ps->after = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) sub_rows = g_array_new (FALSE, FALSE, sizeof (gsize));
      for (gsize i = 0; i < n_rows; i++)
        {
          guint nr = 0;
          char *t = gb_pair_list_substitute (pairs, text_cell (col, rows[i]),
                                             (GbPairDirection) d, &nr);
          if (nr == 0)
            {
              g_free (t);
              continue;
            }
          g_array_append_val (ps->idx, i);
          g_array_append_val (sub_rows, rows[i]);
          g_ptr_array_add (ps->after, t);
        }
      dir->n_rows = ps->idx->len;
      ps->p_after = g_new (double, MAX (ps->idx->len, 1) * K);
      if (ps->idx->len > 0)
        ok = gb_model_predict_texts (model, ds, (const gsize *) sub_rows->data,
                                     (const char *const *) ps->after->pdata, ps->idx->len,
                                     ps->p_after, cancellable, error);
      /* per-class mean changes */
      dir->class_mean_change = g_new0 (double, K);
      for (guint k = 0; k < K; k++)
        {
          double s = 0.0;
          for (guint j = 0; j < ps->idx->len; j++)
            {
              gsize i = g_array_index (ps->idx, gsize, j);
              s += ps->p_after[j * K + k] - p_before[i * K + k];
            }
          dir->class_mean_change[k] = ps->idx->len > 0 ? s / ps->idx->len : NAN;
        }
    }

  if (ok)
    {
      guint c;
      if (class_index >= 0)
        c = (guint) class_index;
      else if (K == 2)
        c = 1;
      else
        {
          c = 0;
          for (guint k = 1; k < K; k++)
            if (fabs (pass[0].dir->class_mean_change[k]) > fabs (pass[0].dir->class_mean_change[c]))
              c = k;
        }
      res->class_index = c;
      for (guint d = 0; d < n_dirs; d++)
        {
          Pass *ps = &pass[d];
          GbCounterfactualDirection *dir = ps->dir;
          gsize m = ps->idx->len;
          g_autofree double *diff = g_new (double, MAX (m, 1));
          g_autofree Ranked *rank = g_new (Ranked, MAX (m, 1));
          double sb = 0.0, sa = 0.0, sabs = 0.0;
          for (gsize j = 0; j < m; j++)
            {
              gsize i = g_array_index (ps->idx, gsize, j);
              double before = p_before[i * K + c], after = ps->p_after[j * K + c];
              diff[j] = after - before;
              sb += before;
              sa += after;
              sabs += fabs (diff[j]);
              rank[j].pos = j;
              rank[j].abs_change = fabs (diff[j]);
              if (argmax (p_before + i * K, K) != argmax (ps->p_after + j * K, K))
                dir->n_flips++;
            }
          dir->mean_before = m > 0 ? sb / m : NAN;
          dir->mean_after = m > 0 ? sa / m : NAN;
          dir->mean_abs_change = m > 0 ? sabs / m : NAN;
          dir->flip_rate = m > 0 ? (double) dir->n_flips / m : NAN;
          gb_paired_t_test (diff, m, &dir->mean_change, &dir->ci_low, &dir->ci_high,
                            &dir->t_statistic, &dir->t_p_value);
          if (m > 0)
            gb_wilcoxon_signed_rank (diff, m, 50, &dir->wilcoxon_statistic,
                                     &dir->wilcoxon_p_value, NULL, &dir->wilcoxon_exact);
          else
            dir->wilcoxon_statistic = dir->wilcoxon_p_value = NAN;
          qsort (rank, m, sizeof (Ranked), cmp_ranked);
          dir->examples = g_array_new (FALSE, TRUE, sizeof (GbCounterfactualExample));
          g_array_set_clear_func (dir->examples, (GDestroyNotify) example_clear);
          for (gsize j = 0; j < MIN ((gsize) n_examples, m); j++)
            {
              gsize pos = rank[j].pos, i = g_array_index (ps->idx, gsize, pos);
              GbCounterfactualExample ex = {
                rows[i], g_strdup (text_cell (col, rows[i])),
                g_strdup (g_ptr_array_index (ps->after, pos)), p_before[i * K + c],
                ps->p_after[pos * K + c] };
              g_array_append_val (dir->examples, ex);
            }
        }
    }
  for (guint d = 0; d < n_dirs; d++)
    {
      if (pass[d].idx)
        g_array_unref (pass[d].idx);
      if (pass[d].after)
        g_ptr_array_unref (pass[d].after);
      g_free (pass[d].p_after);
    }
  if (!ok)
    return NULL;
  return g_steal_pointer (&res);
}
