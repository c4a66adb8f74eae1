/* gb-examples.c — the bundled example datasets. */
#include "gb-config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gb-examples.h"

void
gb_example_free (GbExample *example)
{
  if (example == NULL)
    return;
  g_free (example->id);
  g_free (example->title);
  g_free (example->description);
  g_free (example->csv_path);
  g_free (example);
}

static const struct {
  const char *id;
  const char *description;
} known[] = {
  { "adult", N_("Predict income above $50K from census records; fairness across sex and race, and the effect of a degree on income.") },
  { "lalonde", N_("A causal-only audit: the effect of the NSW job-training programme on 1978 earnings, adjusted for age, schooling and prior earnings.") },
  { "sms_spam", N_("Classify text messages as spam; a text model to explain.") },
  { "symptom2disease", N_("Diagnose one of 24 diseases from a symptom description; a text model to explain.") },
  { "eec", N_("Predict the emotion of template sentences, then swap gender terms and names: does the text model's prediction change? (Equity Evaluation Corpus)") },
};

/* The first "# heading" of PROVENANCE.md, or NULL. */
static char *
read_title (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "PROVENANCE.md", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  lines = g_strsplit (contents, "\n", 20);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "# "))
      return g_strstrip (g_strdup (lines[i] + 2));
  return NULL;
}

static int
compare_names (gconstpointer pa, gconstpointer pb)
{
  return strcmp (*(char *const *) pa, *(char *const *) pb);
}

static int
compare_examples (gconstpointer pa, gconstpointer pb)
{
  const GbExample *a = *(GbExample *const *) pa, *b = *(GbExample *const *) pb;
  gboolean aa = strcmp (a->id, "adult") == 0, ba = strcmp (b->id, "adult") == 0;

  if (aa != ba)
    return aa ? -1 : 1;
  return strcmp (a->id, b->id);
}

GPtrArray *
gb_examples_list (void)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) gb_example_free);
  const char *root = gb_examples_dir ();
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  if (dir == NULL)
    return out;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (root, name, NULL);
      g_autoptr(GDir) d = NULL;
      g_autofree char *csv = NULL;
      const char *f;
      GbExample *ex;

      if (!g_file_test (sub, G_FILE_TEST_IS_DIR) || (d = g_dir_open (sub, 0, NULL)) == NULL)
        continue;
      /* The example's CSV: nsw_dw.csv (LaLonde's experimental sample), else
       * the one named after the folder, else the first in name order. */
      {
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
        while ((f = g_dir_read_name (d)) != NULL)
          if (g_str_has_suffix (f, ".csv"))
            g_ptr_array_add (names, g_strdup (f));
        g_ptr_array_sort (names, compare_names);
        for (guint i = 0; i < names->len && csv == NULL; i++)
          if (strcmp (g_ptr_array_index (names, i), "nsw_dw.csv") == 0)
            csv = g_strdup (g_ptr_array_index (names, i));
        for (guint i = 0; i < names->len && csv == NULL; i++)
          if (g_ascii_strncasecmp (g_ptr_array_index (names, i), name, strlen (name)) == 0)
            csv = g_strdup (g_ptr_array_index (names, i));
        if (csv == NULL && names->len > 0)
          csv = g_strdup (g_ptr_array_index (names, 0));
      }
      if (csv == NULL)
        continue;

      ex = g_new0 (GbExample, 1);
      ex->id = g_strdup (name);
      ex->csv_path = g_build_filename (sub, csv, NULL);
      ex->title = read_title (sub);
      if (ex->title == NULL)
        ex->title = g_strdup (name);
      for (guint i = 0; i < G_N_ELEMENTS (known); i++)
        if (strcmp (known[i].id, name) == 0)
          ex->description = g_strdup (_(known[i].description));
      if (ex->description == NULL)
        ex->description = g_strdup (csv);
      g_ptr_array_add (out, ex);
    }
  g_ptr_array_sort (out, compare_examples);
  return out;
}

static void
set_str (char **dst, const char *value)
{
  g_free (*dst);
  *dst = g_strdup (value);
}

static void
set_strv (char ***dst, const char *const *value)
{
  g_strfreev (*dst);
  *dst = g_strdupv ((char **) value);
}

gboolean
gb_example_apply_roles (const char *id, GbDataset *dataset, GbAudit *draft)
{
  GbAuditSettings *s = gb_audit_get_settings (draft);

  if (g_strcmp0 (id, "adult") == 0)
    {
      gb_audit_apply_example (draft, gb_examples_dir ());
      set_str (&s->csv_path, gb_dataset_get_path (dataset));
      return TRUE;
    }
  if (g_strcmp0 (id, "lalonde") == 0 && gb_dataset_find_column (dataset, "treat") >= 0
      && gb_dataset_find_column (dataset, "re78") >= 0)
    {
      const char *covariates[] = { "age", "education", "black", "hispanic", "married",
                                   "nodegree", "re74", "re75", NULL };
      GStrvBuilder *b = g_strv_builder_new ();
      for (guint i = 0; covariates[i] != NULL; i++)
        if (gb_dataset_find_column (dataset, covariates[i]) >= 0)
          g_strv_builder_add (b, covariates[i]);
      g_strfreev (s->covariates);
      s->covariates = g_strv_builder_end (b);
      g_strv_builder_unref (b);
      set_str (&s->csv_path, gb_dataset_get_path (dataset));
      set_str (&s->target, NULL);
      set_str (&s->positive, NULL);
      set_str (&s->treatment, "treat");
      set_str (&s->outcome, "re78");
      set_strv (&s->protected_attributes, NULL);
      return TRUE;
    }
  if (g_strcmp0 (id, "eec") == 0 && gb_dataset_find_column (dataset, "Sentence") >= 0
      && gb_dataset_find_column (dataset, "Emotion") >= 0)
    {
      /* a text-only emotion model; the gender and race-name swaps (gb-counterfactual.h) */
      const char *lists[] = { "gender", "race-names", NULL };
      set_str (&s->csv_path, gb_dataset_get_path (dataset));
      set_str (&s->target, "Emotion");
      set_str (&s->positive, NULL);
      set_str (&s->treatment, NULL);
      set_str (&s->outcome, NULL);
      set_strv (&s->protected_attributes, NULL);
      set_strv (&s->features, NULL);
      gb_audit_use_text (draft, "Sentence");
      s->model.max_length = 16;
      set_strv (&s->counterfactual_pairs, lists);
      return TRUE;
    }
  /* text-only models of the message (sms_spam) or the symptom description
   * (symptom2disease): without the text column the run had no feature */
  if (g_strcmp0 (id, "sms_spam") == 0 && gb_dataset_find_column (dataset, "label") >= 0
      && gb_dataset_find_column (dataset, "text") >= 0)
    {
      set_str (&s->csv_path, gb_dataset_get_path (dataset));
      set_str (&s->target, "label");
      set_str (&s->positive, "spam");
      set_strv (&s->features, NULL);
      gb_audit_use_text (draft, "text");
      return TRUE;
    }
  if (g_strcmp0 (id, "symptom2disease") == 0 && gb_dataset_find_column (dataset, "label") >= 0
      && gb_dataset_find_column (dataset, "text") >= 0)
    {
      set_str (&s->csv_path, gb_dataset_get_path (dataset));
      set_str (&s->target, "label");
      set_str (&s->positive, NULL);
      set_strv (&s->features, NULL);
      gb_audit_use_text (draft, "text");
      return TRUE;
    }
  return FALSE;
}
