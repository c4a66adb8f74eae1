/* test-pdf.c — the PDF report's layout (issue 8): contents whose page
 * numbers are the pages the headings are on, running heads, "page N of M",
 * metadata, the model card and methods appendix, Letter paper, the CSV and
 * chart exports, and Chinese text with an embedded CJK font.  Uses a small
 * slice of the Adult example; needs poppler-utils (skips without it). */
#include "gb-config.h"
#include "glassbox-engine.h"
#include "gb-report-pdf.h"

#include <locale.h>
#include <libintl.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

static char *tmpdir;
static GbAudit *audit;

static GbAudit *
get_audit (void)
{
  if (audit == NULL)
    {
      const char *src = g_getenv ("GB_SOURCE_DIR");
      g_autofree char *adult = g_build_filename (src ? src : ".", "data", "examples", "adult",
                                                 "adult.csv", NULL);
      g_autofree char *text = NULL;
      g_autofree char *slice = g_build_filename (tmpdir, "adult-slice.csv", NULL);
      GError *error = NULL;
      char *p;

      g_assert_true (g_file_get_contents (adult, &text, NULL, NULL));
      p = text;
      for (guint i = 0; i <= 700 && p; i++)
        if ((p = strchr (p, '\n')))
          p++;
      g_assert_nonnull (p);
      g_assert_true (g_file_set_contents (slice, text, p - text, NULL));
      audit = gb_audit_new ();
      gb_audit_apply_example (audit, "/nonexistent");
      GbAuditSettings *s = gb_audit_get_settings (audit);
      g_free (s->csv_path);
      s->csv_path = g_strdup (slice);
      s->train.epochs = 2;
      s->train.n_threads = 1;
      s->explain_rows = 3;
      s->bootstrap = 100;
      s->auditor = g_strdup ("Ada Lovelace");
      s->organisation = g_strdup ("Analytical Engines Ltd");
      s->model_card_intended_use = g_strdup ("Teaching how income models fail groups.");
      g_assert_true (gb_audit_run (audit, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  return audit;
}

/* stdout of a poppler tool, or NULL when it is not installed */
static char *
tool (const char *const *argv)
{
  g_autofree char *prog = g_find_program_in_path (argv[0]);
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  if (prog == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static char *
page_text (const char *path, int page)
{
  g_autofree char *n = g_strdup_printf ("%d", page);
  const char *argv[] = { "pdftotext", "-f", n, "-l", n, path, "-", NULL };
  return tool (argv);
}

static char *
write_pdf (const char *name)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  GError *error = NULL;

  g_assert_true (gb_audit_write_pdf (get_audit (), path, &error));
  g_assert_no_error (error);
  return path;
}

/* Every section, the reproduction command, the metadata; the contents'
 * page numbers are the pages the headings are on; every page but the
 * first has the running head and "page N of M". */
static void
test_contents_pages (void)
{
  g_autofree char *path = write_pdf ("report.pdf");
  const char *iargv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = tool (iargv);
  const char *sections[] = { "Contents", "Model card", "Intended use", "Ethical considerations",
                             "Caveats and recommendations", "1 Data", "2 Model performance",
                             "3 Explanations", "Dependence plots (integrated gradients)",
                             "4 Fairness", "5 Causal effects", "6 Provenance",
                             "Appendix A Methods", "Sundararajan", "Lundberg & Lee 2017",
                             "Wilson 1927", "Benjamini & Hochberg 1995", "Model SHA-256",
                             "glassbox-audit", "--seed=42", "Ada Lovelace",
                             "Analytical Engines Ltd", "Teaching how income models fail groups." };
  g_autofree char *all = NULL, *contents = NULL;
  g_auto(GStrv) lines = NULL;
  int n_pages, checked = 0;

  if (info == NULL)
    {
      g_test_skip ("pdfinfo (poppler-utils) is not installed");
      return;
    }
  g_assert_nonnull (strstr (info, "Title:           Glassbox audit report"));
  g_assert_nonnull (strstr (info, "Author:          Ada Lovelace (Analytical Engines Ltd)"));
  g_assert_nonnull (strstr (info, "Subject:         Audit of a classifier on"));
  g_assert_nonnull (strstr (info, "CreationDate:"));
  n_pages = atoi (strstr (info, "Pages:") + 6);
  g_assert_cmpint (n_pages, >=, 8);

  {
    const char *argv[] = { "pdftotext", path, "-", NULL };
    all = tool (argv);
  }
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    if (strstr (all, sections[i]) == NULL)
      g_error ("the PDF lacks “%s”", sections[i]);

  /* the contents (page 2): "HEADING ... N" lines; each heading on page N */
  contents = page_text (path, 2);
  g_assert_nonnull (strstr (contents, "Contents"));
  {
    const char *argv[] = { "pdftotext", "-layout", "-f", "2", "-l", "2", path, "-", NULL };
    g_free (contents);
    contents = tool (argv);
  }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr(GMatchInfo) m = NULL;
      g_autoptr(GRegex) re = g_regex_new ("^\\s*(\\S.*?\\S)\\s{3,}(\\d+)\\s*$", 0, 0, NULL);
      if (g_regex_match (re, lines[i], 0, &m))
        {
          g_autofree char *h = g_match_info_fetch (m, 1);
          g_autofree char *n = g_match_info_fetch (m, 2);
          int page = atoi (n);
          g_autofree char *text = page_text (path, page);
          g_autofree char *before = page > 3 ? page_text (path, page - 1) : NULL;
          g_assert_cmpint (page, >=, 3);
          g_assert_cmpint (page, <=, n_pages);
          if (strstr (text, h) == NULL)
            g_error ("the contents put “%s” on page %d, which does not have it", h, page);
          /* a level-1 heading starts its page, so it is not on the one before */
          if (g_regex_match_simple ("^[0-9] |^Model card$|^Appendix", h, 0, 0) && before
              && strstr (before, h) && !g_str_equal (h, "Model card"))
            g_error ("“%s” is on page %d already", h, page - 1);
          checked++;
        }
    }
  g_assert_cmpint (checked, >=, 10);

  for (int p = 1; p <= n_pages; p++)
    {
      g_autofree char *text = page_text (path, p);
      g_autofree char *foot = g_strdup_printf ("page %d of %d", p, n_pages);
      g_assert_nonnull (strstr (text, foot));
      if (p > 1)
        g_assert_true (g_str_has_prefix (text, "adult-slice.csv — Glassbox audit"));
      else
        g_assert_null (strstr (text, "adult-slice.csv — Glassbox audit"));
    }
  g_unlink (path);
}

static void
test_letter (void)
{
  GbAuditSettings *s = gb_audit_get_settings (get_audit ());
  g_autofree char *path = NULL, *info = NULL;

  g_free (s->paper);
  s->paper = g_strdup ("letter");
  path = write_pdf ("letter.pdf");
  {
    const char *argv[] = { "pdfinfo", path, NULL };
    info = tool (argv);
  }
  g_clear_pointer (&s->paper, g_free);
  if (info == NULL)
    {
      g_test_skip ("pdfinfo (poppler-utils) is not installed");
      return;
    }
  g_assert_nonnull (strstr (info, "612 x 792 pts"));
  s->paper = g_strdup ("a4");
  g_free (path);
  path = write_pdf ("a4.pdf");
  {
    const char *argv[] = { "pdfinfo", path, NULL };
    g_free (info);
    info = tool (argv);
  }
  g_clear_pointer (&s->paper, g_free);
  g_assert_nonnull (strstr (info, "595 x 842 pts"));
}

static void
test_paper_for_locale (void)
{
  const char *saved = setlocale (LC_PAPER, NULL);
  g_autofree char *keep = g_strdup (saved);

  setlocale (LC_PAPER, "C");
  g_setenv ("LC_PAPER", "en_US.UTF-8", TRUE);
  g_assert_cmpstr (gb_report_paper_for_locale (), ==, "letter");
  g_setenv ("LC_PAPER", "de_DE.UTF-8", TRUE);
  g_assert_cmpstr (gb_report_paper_for_locale (), ==, "a4");
  g_unsetenv ("LC_PAPER");
  setlocale (LC_PAPER, keep);
}

static void
test_exports (void)
{
  g_autofree char *tables = g_build_filename (tmpdir, "tables", NULL);
  g_autofree char *charts = g_build_filename (tmpdir, "charts", NULL);
  g_autofree char *csv = NULL, *svg = NULL, *first = NULL;
  g_autoptr(GDir) dir = NULL;
  GError *error = NULL;
  const char *name;
  guint n_csv = 0, n_svg = 0;
  GbAudit *a = get_audit ();

  g_assert_false (gb_report_export (gb_audit_get_settings (a), gb_audit_get_results (a), tables,
                                    charts, "gif", &error));
  g_assert_error (error, GB_REPORT_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (gb_report_export (gb_audit_get_settings (a), gb_audit_get_results (a), tables,
                                   charts, "svg", &error));
  g_assert_no_error (error);
  dir = g_dir_open (tables, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    n_csv += g_str_has_suffix (name, ".csv");
  g_assert_cmpuint (n_csv, >=, 8);
  g_dir_close (g_steal_pointer (&dir));
  dir = g_dir_open (charts, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    n_svg += g_str_has_suffix (name, ".svg");
  g_assert_cmpuint (n_svg, >=, 5);
  first = g_build_filename (tables, "02-1-data.csv", NULL);
  g_assert_true (g_file_get_contents (first, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "#,Column,Type,Missing\r\n1,age,"));
}

/* @s without whitespace (newly allocated). */
static char *
squeeze (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s; s++)
    if (!g_ascii_isspace (*s))
      g_string_append_c (out, *s);
  return g_string_free (out, FALSE);
}

static char *
squeeze_take (char *s)
{
  char *out = squeeze (s);

  g_free (s);
  return out;
}

/* The Chinese report: translated headings, sentences and chart text, and a
 * CJK font embedded. */
static void
test_chinese (void)
{
  g_autofree char *mo = g_build_filename (g_getenv ("GB_BUILD_DIR") ? g_getenv ("GB_BUILD_DIR") : ".",
                                          "po", "zh_CN", "LC_MESSAGES", "glassbox.mo", NULL);
  g_autofree char *localedir = g_build_filename (g_getenv ("GB_BUILD_DIR") ? g_getenv ("GB_BUILD_DIR") : ".",
                                                 "po", NULL);
  g_autofree char *path = NULL, *text = NULL, *fonts = NULL;

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the zh_CN catalogue is not compiled in the build folder (ninja builds po/)");
      return;
    }
  get_audit ();
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  if (setlocale (LC_MESSAGES, "zh_CN.UTF-8") == NULL && setlocale (LC_MESSAGES, "C.UTF-8") == NULL)
    {
      g_test_skip ("no zh_CN.UTF-8 or C.UTF-8 locale");
      return;
    }
  path = write_pdf ("zh.pdf");
  g_unsetenv ("LANGUAGE");
  setlocale (LC_MESSAGES, "C");
  {
    const char *argv[] = { "pdftotext", path, "-", NULL };
    text = tool (argv);
  }
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }
  g_assert_nonnull (strstr (text, "模型卡"));
  g_assert_nonnull (strstr (text, "目录"));
  g_assert_nonnull (strstr (text, "4 公平性"));
  {
    /* the generated sentences and the charts are Chinese too: sentences
     * built from the audit's numbers (one whose arguments the translation
     * reorders), a chart title and an axis name drawn by engine/plot.
     * pdftotext breaks Chinese lines anywhere, so whitespace is ignored. */
    const GbAuditResults *r = gb_audit_get_results (get_audit ());
    g_autofree char *flat = squeeze (text);
    g_autofree char *rows = g_strdup_printf ("%" G_GSIZE_FORMAT, (gsize) r->n_rows);
    g_autofree char *summary = NULL, *model = NULL;

    g_assert_cmpuint (r->n_rows, <, 1000);   /* no thousands separator in @rows */
    summary = squeeze_take (g_strdup_printf ("数据集共有 %s 行、%u 列。", rows, r->n_columns));
    model = squeeze_take (g_strdup_printf ("Transformer 分类器根据 %u 个特征预测“%s”。",
                                           r->n_features, r->target_description));
    if (strstr (flat, summary) == NULL || strstr (flat, model) == NULL)
      g_error ("the Chinese report lacks “%s” or “%s”:\n%s", summary, model, text);
    g_assert_nonnull (strstr (flat, "留出集上的ROC曲线"));   /* the ROC chart's title */
    g_assert_nonnull (strstr (flat, "假阳性率"));            /* its x axis (engine/plot) */
    g_assert_nonnull (strstr (flat, "按“sex”分组的比率及95%区间"));   /* fairness chart */
    /* a sentence the report writes from an engine result instead of the
     * engine's English description: a group-threshold mitigation, with its
     * row counts */
    {
      const GbFairnessMitigation *m = NULL;
      g_autofree char *mitigation = NULL;

      for (guint i = 0; r->fairness_mitigation && i < r->fairness_mitigation->len; i++)
        if (g_strcmp0 (((GbFairnessMitigation *) g_ptr_array_index (r->fairness_mitigation, i))->method,
                       "thresholds_equal_opportunity") == 0)
          m = g_ptr_array_index (r->fairness_mitigation, i);
      g_assert_nonnull (m);
      g_assert_cmpuint (MAX (m->n_fit, m->n_eval), <, 1000);   /* no thousands separator */
      mitigation = g_strdup_printf ("按分组设定阈值以实现机会均等（Hardt、Price与Srebro2016），在含"
                                    "%" G_GSIZE_FORMAT "行的一半验证数据上拟合（网格步长0.01），"
                                    "并在另一半的%" G_GSIZE_FORMAT "行上评估。", m->n_fit, m->n_eval);
      if (strstr (flat, mitigation) == NULL)
        g_error ("the Chinese report lacks “%s”", mitigation);
      g_assert_null (strstr (flat, "Group-specificthresholds"));
    }
    g_assert_null (strstr (flat, "Thedatasethas"));
    g_assert_null (strstr (flat, "Falsepositiverate"));
  }
  {
    const char *argv[] = { "pdffonts", path, NULL };
    fonts = tool (argv);
  }
  if (strstr (fonts, "CJK") == NULL)
    g_error ("no CJK font embedded (install fonts-noto-cjk):\n%s", fonts);
  g_assert_nonnull (strstr (fonts, "CJK"));
}

int
main (int argc, char **argv)
{
  int rc;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("gb-test-pdf-XXXXXX", NULL);
  g_test_add_func ("/engine/report/pdf/contents-pages", test_contents_pages);
  g_test_add_func ("/engine/report/pdf/letter", test_letter);
  g_test_add_func ("/engine/report/pdf/paper-for-locale", test_paper_for_locale);
  g_test_add_func ("/engine/report/pdf/exports", test_exports);
  g_test_add_func ("/engine/report/pdf/chinese", test_chinese);
  rc = g_test_run ();
  g_clear_object (&audit);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    rc |= system (cmd) != 0;
  }
  return rc;
}
