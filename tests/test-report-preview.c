/* test-report-preview.c — the Report pane's page preview and the report's
 * section toggles (issue 8): gb_report_render_pages() draws as many pages
 * as the PDF holds (the count read from the PDF file's own page tree, not
 * from the writer), its pages are not blank, omitted sections leave the
 * PDF and the preview alike and the remaining sections are renumbered; the
 * section names parse and print back; glassbox-audit takes --sections and
 * --omit-sections, refuses unknown names and the reproducibility appendix,
 * and prints them in the reproducing command and the JSON.
 *
 * The report is laid out from hand-made results (a 150-column data sheet
 * that runs over several pages), so no model is trained. */
#include "gb-config.h"
#include "glassbox-engine.h"
#include "gb-report-pdf.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <glib/gstdio.h>

static char *tmpdir;

/* Settings and results of a causal-free, model-free audit of a wide CSV. */
static void
make_audit (GbAuditSettings *s, GbAuditResults *r, guint n_columns)
{
  memset (s, 0, sizeof *s);
  memset (r, 0, sizeof *r);
  s->csv_path = g_strdup ("/data/wide.csv");
  s->seed = 7;
  s->test_fraction = 0.3;
  s->paper = g_strdup ("a4");
  s->auditor = g_strdup ("Ada Lovelace");
  s->command_line = g_strdup ("glassbox-audit --seed=7 /data/wide.csv");
  r->created = g_strdup ("2026-11-30T01:00:00Z");
  r->glassbox_version = g_strdup ("0.test");
  r->dataset_path = g_strdup ("/data/wide.csv");
  r->dataset_sha256 = g_strnfill (64, 'a');
  r->n_rows = 1000;
  r->n_columns = n_columns;
  r->column_names = g_new0 (char *, n_columns + 1);
  r->column_types = g_new0 (char *, n_columns + 1);
  r->column_missing = g_new0 (gsize, n_columns);
  r->column_distinct = g_new0 (gsize, n_columns);
  for (guint j = 0; j < n_columns; j++)
    {
      r->column_names[j] = g_strdup_printf ("column_%03u", j);
      r->column_types[j] = g_strdup (j % 3 == 0 ? "categorical" : "numeric");
      r->column_missing[j] = j % 7;
      r->column_distinct[j] = 2 + j;
    }
  r->fairness = g_ptr_array_new ();
  r->notes = g_ptr_array_new_with_free_func (g_free);
}

static void
clear_audit (GbAuditSettings *s, GbAuditResults *r)
{
  gb_audit_settings_clear (s);
  g_free (r->created);
  g_free (r->glassbox_version);
  g_free (r->dataset_path);
  g_free (r->dataset_sha256);
  g_strfreev (r->column_names);
  g_strfreev (r->column_types);
  g_free (r->column_missing);
  g_free (r->column_distinct);
  g_ptr_array_unref (r->fairness);
  g_ptr_array_unref (r->notes);
}

/* The page count of a PDF file as its page tree states it: the /Count of
 * the object of /Type /Pages (Cairo writes one, uncompressed). */
static int
pdf_page_count (const char *path, char **contents)
{
  gsize len;
  const char *p, *count;

  g_assert_true (g_file_get_contents (path, contents, &len, NULL));
  for (gsize i = 0; i < len; i++)    /* the binary streams: searchable as text */
    if ((*contents)[i] == '\0')
      (*contents)[i] = ' ';
  p = strstr (*contents, "/Type /Pages");
  g_assert_nonnull (p);
  count = strstr (p, "/Count ");
  g_assert_nonnull (count);
  return atoi (count + strlen ("/Count "));
}

/* The share of pixels that are not white when @page is painted on white at
 * one pixel per point. */
static double
ink_share (cairo_surface_t *page, double w, double h)
{
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) w, (int) h);
  cairo_t *cr = cairo_create (img);
  guint64 ink = 0;
  const guint8 *data;
  int stride;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_surface (cr, page, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (img);
  data = cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img);
  for (int y = 0; y < (int) h; y++)
    for (int x = 0; x < (int) w; x++)
      if ((((const guint32 *) (data + y * stride))[x] & 0xffffff) != 0xffffff)
        ink++;
  cairo_surface_destroy (img);
  return (double) ink / (w * h);
}

static int
render_and_write (const GbAuditSettings *s, const GbAuditResults *r, const char *name,
                  GPtrArray **pages, char **pdf_bytes, double *w, double *h)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  GError *error = NULL;

  gint64 t0 = g_get_monotonic_time (), t1;

  g_assert_true (gb_report_write_pdf (s, r, path, &error));
  g_assert_no_error (error);
  t1 = g_get_monotonic_time ();
  *pages = gb_report_render_pages (s, r, w, h, NULL, &error);
  g_assert_no_error (error);
  /* for the record only: the preview costs about what the PDF does */
  g_test_message ("%s: PDF written in %.0f ms, preview pages rendered in %.0f ms", name,
                  (t1 - t0) / 1e3, (g_get_monotonic_time () - t1) / 1e3);
  g_assert_nonnull (*pages);
  return pdf_page_count (path, pdf_bytes);
}

static void
test_page_count (void)
{
  GbAuditSettings s;
  GbAuditResults r;
  g_autoptr(GPtrArray) pages = NULL;
  g_autofree char *pdf = NULL;
  double w = 0, h = 0;
  int n_pdf;

  make_audit (&s, &r, 150);
  n_pdf = render_and_write (&s, &r, "all.pdf", &pages, &pdf, &w, &h);
  g_test_message ("PDF pages %d, preview pages %u", n_pdf, pages->len);
  g_assert_cmpint (n_pdf, >=, 5);   /* title, contents, card, a long data sheet, provenance … */
  g_assert_cmpuint (pages->len, ==, (guint) n_pdf);
  g_assert_cmpfloat (w, ==, 595.0);
  g_assert_cmpfloat (h, ==, 842.0);
  for (guint i = 0; i < pages->len; i++)
    {
      double ink = ink_share (g_ptr_array_index (pages, i), w, h);
      g_test_message ("page %u: %.2f %% ink", i + 1, 100 * ink);
      g_assert_cmpfloat (ink, >, 0.002);    /* every page has at least its footer and text */
      g_assert_cmpfloat (ink, <, 0.5);
    }
  /* the renumbering is the identity when every section prints */
  g_assert_nonnull (strstr (pdf, "(1 Data)"));
  g_assert_nonnull (strstr (pdf, "(6 Provenance)"));

  /* Letter paper: the preview pages take the paper's size */
  g_free (s.paper);
  s.paper = g_strdup ("letter");
  g_clear_pointer (&pages, g_ptr_array_unref);
  g_clear_pointer (&pdf, g_free);
  n_pdf = render_and_write (&s, &r, "letter.pdf", &pages, &pdf, &w, &h);
  g_assert_cmpuint (pages->len, ==, (guint) n_pdf);
  g_assert_cmpfloat (w, ==, 612.0);
  g_assert_cmpfloat (h, ==, 792.0);
  clear_audit (&s, &r);
}

static void
test_sections_omitted (void)
{
  GbAuditSettings s;
  GbAuditResults r;
  g_autoptr(GPtrArray) all = NULL, fewer = NULL;
  g_autofree char *pdf_all = NULL, *pdf_fewer = NULL;
  double w, h;
  int n_all, n_fewer;

  make_audit (&s, &r, 150);
  n_all = render_and_write (&s, &r, "sections-all.pdf", &all, &pdf_all, &w, &h);
  s.omit_sections = (1u << GB_REPORT_SECTION_DATA) | (1u << GB_REPORT_SECTION_METHODS)
                    | (1u << GB_REPORT_SECTION_SUMMARY);
  n_fewer = render_and_write (&s, &r, "sections-fewer.pdf", &fewer, &pdf_fewer, &w, &h);
  g_test_message ("pages: all sections %d, without data, methods, summary %d", n_all, n_fewer);
  g_assert_cmpint (n_fewer, <, n_all);
  g_assert_cmpuint (fewer->len, ==, (guint) n_fewer);
  /* the data sheet is gone from the outline, and the sections after it
   * are renumbered from 1 */
  g_assert_null (strstr (pdf_fewer, "(1 Data)"));
  g_assert_nonnull (strstr (pdf_all, "(2 Model performance)"));
  g_assert_nonnull (strstr (pdf_fewer, "(1 Model performance)"));
  g_assert_null (strstr (pdf_fewer, "(2 Model performance)"));
  g_assert_nonnull (strstr (pdf_fewer, "(5 Provenance)"));
  g_assert_nonnull (strstr (pdf_all, "(Appendix A Methods)"));
  g_assert_null (strstr (pdf_fewer, "(Appendix A Methods)"));
  /* the title page keeps its table but loses the executive summary */
  g_assert_cmpfloat (ink_share (g_ptr_array_index (fewer, 0), w, h), <,
                     ink_share (g_ptr_array_index (all, 0), w, h));
  clear_audit (&s, &r);
}

static void
test_cancel (void)
{
  GbAuditSettings s;
  GbAuditResults r;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *pages;

  make_audit (&s, &r, 10);
  g_cancellable_cancel (cancellable);
  pages = gb_report_render_pages (&s, &r, NULL, NULL, cancellable, &error);
  g_assert_null (pages);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  clear_audit (&s, &r);
}

static void
test_section_names (void)
{
  guint bits = 0;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gb_report_sections_parse (" data, Methods ,model-card", &bits, NULL));
  g_assert_cmpuint (bits, ==, (1u << GB_REPORT_SECTION_DATA) | (1u << GB_REPORT_SECTION_METHODS)
                              | (1u << GB_REPORT_SECTION_MODEL_CARD));
  text = gb_report_sections_to_string (bits);
  g_assert_cmpstr (text, ==, "data,model-card,methods");
  g_assert_true (gb_report_sections_parse ("all", &bits, NULL));
  g_assert_cmpuint (bits, ==, GB_REPORT_OPTIONAL_SECTIONS);
  g_assert_false (bits & (1u << GB_REPORT_SECTION_REPRODUCIBILITY));
  g_assert_true (gb_report_sections_parse ("", &bits, NULL));
  g_assert_cmpuint (bits, ==, 0);
  g_assert_false (gb_report_sections_parse ("data,appendix", &bits, &error));
  g_assert_error (error, GB_REPORT_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“appendix”"));
  g_assert_true (gb_report_section_included (~0u, GB_REPORT_SECTION_REPRODUCIBILITY));
  g_assert_false (gb_report_section_included (1u << GB_REPORT_SECTION_CAUSAL,
                                              GB_REPORT_SECTION_CAUSAL));
  for (guint k = 0; k < GB_REPORT_N_SECTIONS; k++)
    {
      g_assert_true (gb_report_sections_parse (gb_report_section_name (k), &bits, NULL));
      g_assert_cmpuint (bits, ==, 1u << k);
    }
}

static gboolean
run_cli (const char *const *args, char **err, int *status)
{
  const char *b = g_getenv ("GB_BUILD_DIR");
  g_autofree char *cli = g_build_filename (b ? b : ".", "app", "glassbox-audit", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  return g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                       NULL, err, status, NULL);
}

/* --sections / --omit-sections on a causal-only audit of the LaLonde data
 * (no model: fast); bad values exit 2 naming them. */
static void
test_cli_sections (void)
{
  const char *src = g_getenv ("GB_SOURCE_DIR");
  g_autofree char *csv = g_build_filename (src ? src : ".", "data", "examples", "lalonde",
                                           "nsw_dw.csv", NULL);
  g_autofree char *json = g_build_filename (tmpdir, "cli.json", NULL);
  g_autofree char *pdf = g_build_filename (tmpdir, "cli.pdf", NULL);
  g_autofree char *json_opt = g_strdup_printf ("--json=%s", json);
  g_autofree char *pdf_opt = g_strdup_printf ("--report=%s", pdf);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *err = NULL;
  int status;

  {
    const char *args[] = { "-q", "--treatment=treat", "--outcome=re78", "--covariates=age,education",
                           "--estimators=naive", "--sections=title,data", csv, NULL };
    g_assert_true (run_cli (args, &err, &status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    g_assert_nonnull (strstr (err, "--sections: Unknown report section “title”"));
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "-q", "--treatment=treat", "--outcome=re78", "--covariates=age,education",
                           "--estimators=naive", "--omit-sections=reproducibility", csv, NULL };
    g_assert_true (run_cli (args, &err, &status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    g_assert_nonnull (strstr (err, "reproducibility appendix is always printed"));
    g_clear_pointer (&err, g_free);
  }
  /* an empty list is no silent "print nothing" */
  for (guint k = 0; k < 2; k++)
    {
      const char *args[] = { "-q", "--treatment=treat", "--outcome=re78", "--covariates=age,education",
                             "--estimators=naive", k == 0 ? "--sections=" : "--sections=,", csv, NULL };
      g_assert_true (run_cli (args, &err, &status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 2);
      g_assert_nonnull (strstr (err, "--sections: the list names no section"));
      g_clear_pointer (&err, g_free);
    }
  {
    const char *args[] = { "-q", "--treatment=treat", "--outcome=re78", "--covariates=age,education",
                           "--estimators=naive", "--sections=data,causal,methods",
                           "--paper=letter", "--organisation=Lab", json_opt, pdf_opt, csv, NULL };
    JsonObject *prov, *report;
    JsonArray *omit, *sections;
    const char *cmd;

    g_assert_true (run_cli (args, &err, &status));
    if (status != 0)
      g_test_message ("stderr: %s", err);
    g_assert_cmpint (status, ==, 0);
    g_assert_true (json_parser_load_from_file (parser, json, NULL));
    prov = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "provenance");
    report = json_object_get_object_member (prov, "report");
    g_assert_cmpstr (json_object_get_string_member (report, "paper"), ==, "letter");
    g_assert_cmpstr (json_object_get_string_member (report, "organisation"), ==, "Lab");
    sections = json_object_get_array_member (report, "sections");
    omit = json_object_get_array_member (report, "omit_sections");
    g_assert_cmpuint (json_array_get_length (sections), ==, 4);
    g_assert_cmpstr (json_array_get_string_element (sections, 3), ==, "reproducibility");
    g_assert_cmpuint (json_array_get_length (omit), ==, 5);
    g_assert_cmpstr (json_array_get_string_element (omit, 0), ==, "summary");
    cmd = json_object_get_string_member (prov, "command_line");
    g_assert_nonnull (strstr (cmd, " '--paper=letter'"));
    g_assert_nonnull (strstr (cmd, " '--organisation=Lab'"));
    g_assert_nonnull (strstr (cmd, " '--omit-sections=summary,model-card,performance,explanations,fairness'"));
  }
}

/* A model card's known keys fill the settings; "$schema"/"_comment" are
 * allowed; a misspelt key is a parse error naming it, not an empty section. */
static void
test_model_card_keys (void)
{
  g_autofree char *good = g_build_filename (tmpdir, "card-good.json", NULL);
  g_autofree char *bad = g_build_filename (tmpdir, "card-bad.json", NULL);
  g_assert_true (g_file_set_contents (good, "{\"$schema\": \"x\", \"_comment\": \"y\", "
                                      "\"intended_use\": \"Teaching\", \"auditor\": \"Zoë\"}",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (bad, "{\"intended_uses\": \"Teaching\"}", -1, NULL));
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  GError *error = NULL;
  g_assert_true (gb_report_load_model_card (s, good, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (s->model_card_intended_use, ==, "Teaching");
  g_assert_cmpstr (s->auditor, ==, "Zoë");
  g_assert_false (gb_report_load_model_card (s, bad, &error));
  g_assert_error (error, GB_REPORT_ERROR, GB_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "“intended_uses”"));
  g_clear_error (&error);
  g_unlink (good);
  g_unlink (bad);
}

/* The reproduction command as the PDF prints it, pasted into a POSIX shell
 * (/bin/sh, through printf '%s\0'), gives back exactly the arguments of the
 * recorded command, at every line width; lines stay within the width. */
static void
test_format_command (void)
{
  g_auto(GStrv) shell = NULL;
  GbAuditSettings s = { 0 };
  const char *const protected_attributes[] = { "race", "sex", NULL };
  g_autofree char *long_path = NULL, *long_value = NULL;
  const guint widths[] = { 16, 23, 40, 61, 95 };

  if (!g_file_test ("/bin/sh", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no /bin/sh");
      return;
    }
  long_path = g_strconcat ("/tmp/", "a-folder-with-a-long-name/another-long-folder-name/"
                           "yet-another-one-for-the-test/and-one-more/", "Ärger file.csv", NULL);
  long_value = g_strdup ("Zoë O'Brien, Head of Model Risk — Analytical Engines Ltd, Division of Audit");
  s.target = g_strdup ("income-per-year");
  s.positive = g_strdup (">50K");
  s.protected_attributes = g_strdupv ((char **) protected_attributes);
  s.auditor = g_strdup (long_value);
  s.csv_path = g_strdup (long_path);
  s.seed = 7;
  s.treatment = g_strdup ("treat");   /* with an outcome: the long --estimators list */
  s.outcome = g_strdup ("re78");
  {
    g_autofree char *command = gb_audit_settings_build_command_line (&s);
    g_auto(GStrv) want = NULL;

    g_assert_true (g_shell_parse_argv (command, NULL, &want, NULL));
    g_assert_cmpuint (g_strv_length (want), >=, 8);
    for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
      {
        g_autofree char *wrapped = gb_report_format_command (command, widths[k]);
        g_autofree char *script = g_strconcat ("printf '%s\\0' ", wrapped, NULL);
        const char *argv[] = { "/bin/sh", "-c", script, NULL };
        g_autofree char *out = NULL;
        g_auto(GStrv) lines = g_strsplit (wrapped, "\n", -1);
        gsize n_out = 0;
        GPtrArray *got = g_ptr_array_new_with_free_func (g_free);
        int status = 0;

        if (k == 0 || k == 3)
          g_test_message ("width %u:\n%s", widths[k], wrapped);
        for (guint i = 0; lines[i]; i++)
          g_assert_cmpuint (g_utf8_strlen (lines[i], -1), <=, widths[k]);
        g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                     &out, NULL, &status, NULL));
        g_assert_cmpint (status, ==, 0);
        n_out = 0;
        /* the NUL-separated words printf wrote */
        {
          gsize len = 0;
          const char *p = out;
          /* g_spawn_sync NUL-terminates; find the real length by walking words */
          while (n_out < g_strv_length (want) && p != NULL)
            {
              len = strlen (p);
              g_ptr_array_add (got, g_strndup (p, len));
              p += len + 1;
              n_out++;
            }
        }
        g_assert_cmpuint (got->len, ==, g_strv_length (want));
        for (guint i = 0; want[i]; i++)
          g_assert_cmpstr (g_ptr_array_index (got, i), ==, want[i]);
        g_ptr_array_unref (got);
      }
  }
  gb_audit_settings_clear (&s);
}

/* Without --features, a numeric column that is constant or missing in every
 * row is not a feature (the README: constant columns are excluded); a
 * tester's all-missing column "m" was trained on. */
static void
test_default_features_skip_constant (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gb-features-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "m.csv", NULL);
  GString *text = g_string_new ("a,b,m,k,y\n");
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  const GbAuditResults *r;
  GError *error = NULL;

  for (guint i = 0; i < 120; i++)
    g_string_append_printf (text, "%u,%u,,7,%u\n", i % 7, (i * 3) % 5, (i % 7) > 3);
  g_assert_true (g_file_set_contents (csv, text->str, -1, NULL));
  g_string_free (text, TRUE);
  s->csv_path = g_strdup (csv);
  s->target = g_strdup ("y");
  s->train.epochs = 1;
  s->model.n_layers = 1;
  s->explain_rows = 0;
  g_assert_true (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  r = gb_audit_get_results (audit);
  g_assert_nonnull (r->feature_names);
  g_assert_cmpuint (g_strv_length (r->feature_names), ==, 2);
  g_assert_cmpstr (r->feature_names[0], ==, "a");
  g_assert_cmpstr (r->feature_names[1], ==, "b");

  /* a held-out share that leaves too few training rows says so, with the counts */
  {
    g_autoptr(GbAudit) a2 = gb_audit_new ();
    GbAuditSettings *s2 = gb_audit_get_settings (a2);
    s2->csv_path = g_strdup (csv);
    s2->target = g_strdup ("y");
    s2->test_fraction = 0.95;
    g_assert_false (gb_audit_run (a2, NULL, NULL, NULL, &error));
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_prefix (error->message, "--test-fraction=0.95 leaves "));
    g_assert_nonnull (strstr (error->message, " of the 120 rows with a target for training"));
    g_clear_error (&error);
  }
  g_unlink (csv);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("gb-preview-XXXXXX", NULL);
  g_test_add_func ("/engine/report/preview/page-count", test_page_count);
  g_test_add_func ("/engine/report/preview/sections-omitted", test_sections_omitted);
  g_test_add_func ("/engine/report/preview/cancel", test_cancel);
  g_test_add_func ("/engine/report/sections/names", test_section_names);
  g_test_add_func ("/engine/report/sections/cli", test_cli_sections);
  g_test_add_func ("/engine/report/model-card/keys", test_model_card_keys);
  g_test_add_func ("/engine/report/command/format", test_format_command);
  g_test_add_func ("/engine/report/features/skip-constant", test_default_features_skip_constant);
  rc = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *p = g_build_filename (tmpdir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (tmpdir);
  }
  return rc;
}
