/* test-ui-report.c — the Report pane under Xvfb after a real audit of a
 * 3000-row Adult slice (1 epoch): the explanation, fairness and causal
 * charts, the method picker redrawing, and the Audit Report fields reaching
 * the exported PDF.
 *
 * Waits iterate the main loop with a bound on iterations (a 10 ms ticker
 * keeps the loop turning), never on wall-clock time. */
#include "gb-config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "glassbox-engine.h"
#include "gb-window.h"
#include "gb-window-private.h"
#include "gb-report-pane-private.h"
#include "gb-model-pane-private.h"
#include "gb-model-pane.h"
#include "gb-chart-view.h"
#include "gb-dataset-pane.h"
#include "gb-examples.h"

#include "gb-test-ui.h"


typedef struct {
  GbReportPane *pane;
  guint before;
} DrawWait;

static gboolean
redrawn (gpointer data)
{
  DrawWait *w = data;
  return gb_report_pane_get_n_explain_draws (w->pane) > w->before;
}

static gboolean
preview_ready (gpointer data)
{
  GbReportPane *pane = data;
  return !gb_report_pane_preview_pending (pane)
         && gb_page_preview_get_n_pages (gb_report_pane_get_preview (pane)) > 0;
}

static gboolean
preview_running (gpointer data)
{
  return gb_report_pane_preview_running (data);
}

/* Runs @win's audit with one layer, 3 explained rows and one epoch — set
 * through the Model pane, which a run takes its settings from — and returns
 * its results; the run must succeed. */
static const GbAuditResults *
run_tiny_audit (GbWindow *win)
{
  GbAuditSettings *s = gb_audit_get_settings (gb_window_get_draft (win));

  s->model.n_layers = 1;
  s->explain_rows = 3;
  gb_model_pane_load_settings (gb_window_get_model_pane (win), s);
  gb_window_set_epochs (win, 1);
  return run_audit_and_wait (win);
}

static void
test_report_pane (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-report-XXXXXX", NULL);
  g_autofree char *slice = write_adult_slice (dir, 3000);
  g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *txt = g_build_filename (dir, "report.txt", NULL);
  GbWindow *win = gb_window_new (NULL);
  GbReportPane *pane;
  const GbAuditResults *r;
  GtkDropDown *methods;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  const char *auditor = "Ada Quayle-Testname";

  gtk_window_present (GTK_WINDOW (win));
  gb_window_open_file (win, slice);
  g_assert_true (wait_until (window_idle, win));
  g_assert_nonnull (gb_window_get_dataset (win));
  gb_window_apply_example_roles (win);
  gb_window_set_epochs (win, 1);
  pane = gb_window_get_report_pane (win);
  g_assert_cmpstr (gb_report_pane_get_empty_title (pane), ==, "No Report Yet");
  gb_window_run_audit (win);
  /* while it runs, the Report page says so (not "No Report Yet" with a
   * greyed-out Run Audit) */
  g_assert_cmpstr (gb_report_pane_get_empty_title (pane), ==, "Audit Running…");
  g_assert_true (wait_until (window_idle, win));
  if (gb_window_get_last_error (win) != NULL)
    g_test_message ("run: %s", gb_window_get_last_error (win));
  g_assert_null (gb_window_get_last_error (win));
  g_assert_cmpstr (gb_report_pane_get_empty_title (pane), ==, "No Report Yet");
  r = gb_audit_get_results (gb_window_get_audit (win));
  g_assert_nonnull (r);

  gb_window_set_page (win, "report");
  iterate_pending (200);

  /* Explanations: IG heatmap + global bars, the beeswarm and the waterfall. */
  g_assert_nonnull (r->explanations);
  g_assert_cmpuint (r->explanations->len, >=, 2);
  g_test_message ("charts: explanations %u, fairness %u, causal %u",
                  gb_report_pane_get_n_section_charts (pane, "explanations"),
                  gb_report_pane_get_n_section_charts (pane, "fairness"),
                  gb_report_pane_get_n_section_charts (pane, "causal"));
  /* ... and "Methods Side by Side": one waterfall of the picked row per method */
  g_assert_cmpuint (gb_report_pane_get_n_side_charts (pane), ==, r->explanations->len);
  /* ... the first method's dependence plot (a tabular method with numeric
   * features: Adult has age, hours per week …) and, when faithfulness ran,
   * the deletion and insertion curves */
  {
    const GbExplanation *e0 = r->explanations->pdata[0];
    gboolean faithful = FALSE;
    for (guint k = 0; k < r->explanations->len; k++)
      faithful |= ((GbExplanation *) r->explanations->pdata[k])->deletion_curve != NULL;
    g_assert_false (e0->text);
    g_assert_nonnull (e0->unit_values);
    g_assert_true (faithful);
    g_assert_cmpuint (gb_report_pane_get_n_section_charts (pane, "explanations"), ==,
                      4 + r->explanations->len + 1 + 2);
  }
  /* a tabular model: the rows × features heatmap, no token heatmap */
  g_assert_null (gb_report_pane_get_token_chart (pane));
  /* Fairness: rate bars with whiskers and the disparate-impact chart per
   * attribute, its per-group ROC and calibration curves, and the
   * decomposition of its gap into features (every attribute of the example
   * has a model score and a group besides the reference), and the
   * accuracy-versus-disparity chart of the example's threshold mitigation
   * and the proxy check. */
  g_assert_nonnull (r->fairness);
  for (guint a = 0; a < r->fairness->len; a++)
    {
      const GbFairnessResult *f = g_ptr_array_index (r->fairness, a);
      g_assert_true (f->has_score);
      g_assert_nonnull (f->decomposition);
    }
  g_assert_nonnull (r->fairness_mitigation);
  g_assert_cmpuint (r->fairness_mitigation->len, >, 0);
  g_assert_nonnull (r->fairness_proxies);   /* and the proxy check's bars */
  g_assert_cmpuint (r->fairness_proxies->len, >, 0);
  g_assert_cmpuint (gb_report_pane_get_n_section_charts (pane, "fairness"), ==,
                    5 * r->fairness->len + 2);
  /* Causal: forest, love plot, overlap. */
  g_assert_true (r->has_causal);
  g_assert_nonnull (r->causal);
  g_assert_cmpuint (gb_report_pane_get_n_section_charts (pane, "causal"), ==, 3);

  /* Picking another method redraws the beeswarm and the waterfall. */
  methods = gb_report_pane_get_method_dropdown (pane);
  g_assert_nonnull (methods);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (methods)), >=, 2);
  {
    g_autofree char *first = g_strdup (gb_report_pane_get_method (pane));
    DrawWait w = { pane, 0 };

    gtk_drop_down_set_selected (methods, 1);
    w.before = gb_report_pane_get_n_explain_draws (pane);
    g_assert_cmpstr (gb_report_pane_get_method (pane), !=, first);
    /* the charts may be scrolled out of view: bring the pane's charts on screen */
    gtk_widget_grab_focus (GTK_WIDGET (methods));
    g_assert_true (wait_until (redrawn, &w));
  }

  /* Finding a row: by its dataset number, then by a cell's text */
  {
    const GbExplanation *e = r->explanations->pdata[0];
    GtkSearchEntry *search = gb_report_pane_get_row_search (pane);
    GbDataset *ds = gb_audit_get_dataset (gb_window_get_audit (win));
    g_autofree char *number = NULL, *cell = NULL;
    int occupation = gb_dataset_find_column (ds, "occupation");
    gsize picked;
    gboolean found = FALSE;

    g_assert_nonnull (search);
    g_assert_cmpuint (e->n_rows, >=, 3);
    number = g_strdup_printf ("%zu", (size_t) e->rows[2].row);
    gtk_editable_set_text (GTK_EDITABLE (search), number);
    g_signal_emit_by_name (search, "activate");
    g_assert_cmpuint (gb_report_pane_get_picked_row (pane), ==, e->rows[2].row);
    gtk_editable_set_text (GTK_EDITABLE (search), "999999999");
    g_signal_emit_by_name (search, "activate");
    g_assert_cmpuint (gb_report_pane_get_picked_row (pane), ==, e->rows[2].row);
    /* typing a cell of the picked row keeps it picked (Enter steps on) */
    g_assert_cmpint (occupation, >=, 0);
    {
      g_autofree char *own = gb_dataset_format_cell (ds, occupation, e->rows[2].row);
      gtk_editable_set_text (GTK_EDITABLE (search), own);
      g_signal_emit_by_name (search, "search-changed");
      g_assert_cmpuint (gb_report_pane_get_picked_row (pane), ==, e->rows[2].row);
    }
    /* a cell of another explained row, upper-cased: the picked row has it */
    cell = gb_dataset_format_cell (ds, occupation, e->rows[1].row);
    {
      g_autofree char *upper = g_utf8_strup (cell, -1);
      gtk_editable_set_text (GTK_EDITABLE (search), upper);
      g_signal_emit_by_name (search, "activate");
    }
    picked = gb_report_pane_get_picked_row (pane);
    g_assert_cmpuint (picked, !=, e->rows[2].row);
    for (guint c = 0; c < gb_dataset_get_n_columns (ds) && !found; c++)
      {
        g_autofree char *v = gb_dataset_format_cell (ds, c, picked);
        g_autofree char *fv = v != NULL ? g_utf8_casefold (v, -1) : NULL;
        g_autofree char *fc = g_utf8_casefold (cell, -1);
        found = fv != NULL && strstr (fv, fc) != NULL;
      }
    g_assert_true (found);
    g_test_message ("search: row %s, then “%s” → row %zu", number, cell, (size_t) picked);
  }

  /* Save a chart as PNG and SVG through its action (what the menu's dialog does) */
  {
    GtkWidget *chart = gb_report_pane_get_side_chart (pane, 0);
    g_autofree char *png = g_build_filename (dir, "side.png", NULL);
    g_autofree char *svg = g_build_filename (dir, "side.svg", NULL);
    g_autofree char *text = NULL;
    cairo_surface_t *s;
    gsize dark = 0;

    g_assert_nonnull (chart);
    iterate_pending (200);
    g_assert_true (gtk_widget_activate_action (chart, "chart.export", "(ss)", "png", png));
    g_assert_true (gtk_widget_activate_action (chart, "chart.export", "(ss)", "svg", svg));
    s = cairo_image_surface_create_from_png (png);
    g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
    if (gtk_widget_get_width (chart) > 0)
      g_assert_cmpint (cairo_image_surface_get_width (s), ==, 2 * gtk_widget_get_width (chart));
    g_assert_cmpint (cairo_image_surface_get_height (s), ==, 2 * 380);
    for (int y = 0; y < cairo_image_surface_get_height (s); y++)
      for (int x = 0; x < cairo_image_surface_get_width (s); x++)
        dark += *(guint32 *) (cairo_image_surface_get_data (s) + y * cairo_image_surface_get_stride (s)
                              + 4 * x) != 0xffffffffu;
    g_test_message ("side-by-side chart PNG %d × %d, %.1f %% not white",
                    cairo_image_surface_get_width (s), cairo_image_surface_get_height (s),
                    100.0 * dark / (cairo_image_surface_get_width (s) * cairo_image_surface_get_height (s)));
    g_assert_cmpfloat (dark, >, 0.01 * cairo_image_surface_get_width (s) * cairo_image_surface_get_height (s));
    cairo_surface_destroy (s);
    g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "<svg"));
    g_unlink (png);
    g_unlink (svg);
  }

  /* The dependence plot: its feature picker defaults to the picked method's
   * most important numeric feature (largest mean |attribution| among the
   * units with numeric values that vary), picking another redraws it; the
   * deletion and insertion curves are painted; each exports as a PNG with ink. */
  {
    const char *method = gb_report_pane_get_method (pane);
    const GbExplanation *e = NULL;
    GtkDropDown *features = gb_report_pane_get_feature_dropdown (pane);
    GtkWidget *dep = gb_report_pane_get_dependence_chart (pane);
    const char *const keep = g_getenv ("GB_TEST_KEEP_CHARTS");
    const char *charts[3] = { "dependence", "curves", "curves" };
    GtkWidget *widgets[3];
    guint best = G_MAXUINT, before;

    for (guint k = 0; k < r->explanations->len; k++)
      if (g_strcmp0 (((GbExplanation *) r->explanations->pdata[k])->method, method) == 0)
        e = r->explanations->pdata[k];
    g_assert_nonnull (e);
    for (guint j = 0; j < e->n_units; j++)
      {
        gboolean varies = FALSE;
        double first = NAN;
        for (gsize i = 0; i < e->n_rows; i++)
          {
            const double v = e->unit_values[i * e->n_units + j];
            if (!isnan (v) && isnan (first))
              first = v;
            else if (!isnan (v) && v != first)
              varies = TRUE;
          }
        if (varies && (best == G_MAXUINT || e->global[j] > e->global[best]))
          best = j;
      }
    g_assert_cmpuint (best, !=, G_MAXUINT);
    g_assert_nonnull (features);
    g_assert_nonnull (dep);
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (features)), >=, 2);
    g_assert_cmpstr (gb_report_pane_get_dependence_feature (pane), ==, e->unit_names[best]);
    g_test_message ("dependence plot of %s: “%s” (mean |attribution| %g)", method,
                    e->unit_names[best], e->global[best]);
    before = gb_report_pane_get_n_new_draws (pane, "dependence");
    gtk_drop_down_set_selected (features, 1);
    g_assert_nonnull (gb_report_pane_get_dependence_feature (pane));
    g_assert_cmpstr (gb_report_pane_get_dependence_feature (pane), !=, e->unit_names[best]);

    widgets[0] = dep;
    widgets[1] = gb_report_pane_get_curve_chart (pane, 0);
    widgets[2] = gb_report_pane_get_curve_chart (pane, 1);
    for (guint c = 0; c < G_N_ELEMENTS (widgets); c++)
      {
        g_autofree char *name = g_strdup_printf ("new-%u.png", c);
        g_autofree char *png = g_build_filename (keep != NULL ? keep : dir, name, NULL);
        const guint draws = gb_report_pane_get_n_new_draws (pane, charts[c]);
        cairo_surface_t *s;
        gsize ink = 0;

        g_assert_nonnull (widgets[c]);
        g_assert_true (GB_IS_CHART_VIEW (widgets[c]));
        g_assert_true (gtk_widget_activate_action (widgets[c], "chart.export", "(ss)", "png", png));
        /* the export painted the chart with data */
        g_assert_cmpuint (gb_report_pane_get_n_new_draws (pane, charts[c]), >, draws);
        s = cairo_image_surface_create_from_png (png);
        g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
        for (int y = 0; y < cairo_image_surface_get_height (s); y++)
          for (int x = 0; x < cairo_image_surface_get_width (s); x++)
            ink += *(guint32 *) (cairo_image_surface_get_data (s)
                                 + y * cairo_image_surface_get_stride (s) + 4 * x) != 0xffffffffu;
        g_test_message ("%s chart %u: %.1f %% not white", charts[c], c,
                        100.0 * ink / (cairo_image_surface_get_width (s)
                                       * cairo_image_surface_get_height (s)));
        g_assert_cmpfloat (ink, >, 0.01 * cairo_image_surface_get_width (s)
                                     * cairo_image_surface_get_height (s));
        cairo_surface_destroy (s);
        if (keep == NULL)
          g_unlink (png);
      }
    /* the newly picked feature reached the painter */
    g_assert_cmpuint (gb_report_pane_get_n_new_draws (pane, "dependence"), >, before);

    /* each curve chart's caption names the largest AOPC of its kind */
    for (guint ins = 0; ins < 2; ins++)
      {
        GtkWidget *label = gtk_widget_get_next_sibling (widgets[1 + ins]);
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        double best_aopc = -INFINITY;
        for (guint k = 0; k < r->explanations->len; k++)
          {
            const GbExplanation *m = r->explanations->pdata[k];
            const double a = ins ? m->insertion_aopc : m->deletion_aopc;
            if (m->deletion_curve != NULL && !isnan (a))
              best_aopc = MAX (best_aopc, a);
          }
        g_assert_true (isfinite (best_aopc));
        g_assert_true (GTK_IS_LABEL (label));
        g_test_message ("%s", gtk_label_get_text (GTK_LABEL (label)));
        g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)),
                                  g_ascii_formatd (buf, sizeof buf, "%.4f", best_aopc)));
        g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)),
                                  ins ? "insertion AOPC" : "deletion AOPC"));
      }
  }

  /* The auditor and a model-card text typed in the pane reach the PDF. */
  gtk_editable_set_text (GTK_EDITABLE (gb_report_pane_get_auditor_row (pane)), auditor);
  gtk_text_buffer_set_text (gb_report_pane_get_card_buffer (pane, 1),
                            "Screening test fixtures only", -1);
  g_assert_cmpstr (gb_audit_get_settings (gb_window_get_audit (win))->auditor, ==, auditor);
  g_assert_cmpstr (gb_audit_get_settings (gb_window_get_audit (win))->model_card_intended_use, ==,
                   "Screening test fixtures only");
  gb_window_export_to (win, pdf, TRUE);
  /* the export took a copy: typing now cannot reach the PDF being written */
  gtk_editable_set_text (GTK_EDITABLE (gb_report_pane_get_auditor_row (pane)), "Someone Else Later");
  g_assert_true (wait_until (window_idle, win));
  g_assert_null (gb_window_get_last_error (win));
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
  if (pdftotext != NULL)
    {
      const char *argv[] = { pdftotext, pdf, txt, NULL };
      g_autofree char *text = NULL;
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                   NULL, NULL, NULL, &status, NULL));
      g_assert_true (g_file_get_contents (txt, &text, NULL, NULL));
      g_assert_nonnull (strstr (text, auditor));
      g_assert_nonnull (strstr (text, "Screening test fixtures only"));
      g_assert_null (strstr (text, "Someone Else Later"));
      g_unlink (txt);
    }
  else
    g_test_message ("pdftotext not found: the PDF's text is not checked");
  /* the typed model-card texts were saved beside the PDF for the printed
   * command's --model-card */
  {
    g_autofree char *card = g_build_filename (dir, "report.model-card.json", NULL);
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (card, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "\"intended_use\" : \"Screening test fixtures only\""));
    g_unlink (card);
  }

  /* the export dialogs suggest the dataset's name and the day */
  {
    g_autoptr(GDateTime) day = g_date_time_new_utc (2026, 11, 30, 12, 0, 0);
    g_autofree char *name = gb_window_export_file_name ("adult", day, TRUE);
    g_autofree char *json_name = gb_window_export_file_name (NULL, day, FALSE);
    g_assert_cmpstr (name, ==, "adult-audit-2026-11-30.pdf");
    g_assert_cmpstr (json_name, ==, "glassbox-audit-2026-11-30.json");
  }

  /* The live preview: the pages of the PDF, re-rendered in the background
   * when a section is switched off (fewer pages), not blank */
  {
    GbPagePreview *preview = gb_report_pane_get_preview (pane);
    GtkSwitch *fairness = gb_report_pane_get_section_switch (pane, GB_REPORT_SECTION_FAIRNESS);
    GtkSwitch *explain = gb_report_pane_get_section_switch (pane, GB_REPORT_SECTION_EXPLANATIONS);
    guint renders, n_all, n_fewer;
    cairo_surface_t *img;
    gsize ink = 0;

    g_assert_true (wait_until (preview_ready, pane));
    n_all = gb_page_preview_get_n_pages (preview);
    renders = gb_report_pane_get_n_preview_renders (pane);
    g_assert_cmpuint (n_all, >=, 8);
    gtk_switch_set_active (fairness, FALSE);
    gtk_switch_set_active (explain, FALSE);
    g_assert_cmpuint (gb_audit_get_settings (gb_window_get_audit (win))->omit_sections, ==,
                      (1u << GB_REPORT_SECTION_FAIRNESS) | (1u << GB_REPORT_SECTION_EXPLANATIONS));
    g_assert_true (gb_report_pane_preview_pending (pane));
    g_assert_true (wait_until (preview_ready, pane));
    g_assert_cmpuint (gb_report_pane_get_n_preview_renders (pane), >, renders);
    n_fewer = gb_page_preview_get_n_pages (preview);
    g_test_message ("preview: %u pages with every section, %u without fairness and explanations",
                    n_all, n_fewer);
    g_assert_cmpuint (n_fewer, <, n_all);
    img = gb_page_preview_render_page (preview, 0, 300);
    g_assert_nonnull (img);
    for (int y = 0; y < cairo_image_surface_get_height (img); y++)
      for (int x = 0; x < 300; x++)
        ink += (*(guint32 *) (cairo_image_surface_get_data (img)
                              + y * cairo_image_surface_get_stride (img) + 4 * x) & 0xffffff)
               != 0xffffff;
    g_assert_cmpuint (ink, >, 300 * 4);   /* the title page has its title and table */
    cairo_surface_destroy (img);
    gtk_switch_set_active (fairness, TRUE);
    gtk_switch_set_active (explain, TRUE);
  }

  destroy_window (win);
  g_unlink (pdf);
  g_unlink (slice);
  g_rmdir (dir);
}

/* A text model (a text column and two features): the Explanations section
 * shows the picked row as running text, one box per feature and word piece
 * (gb_plot_token_heatmap_draw), instead of the rows × features heatmap, and
 * follows the row picker; a text method has no dependence plot. */
static void
test_report_pane_text (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-report-text-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "notes.csv", NULL);
  g_autofree char *png = g_build_filename (dir, "tokens.png", NULL);
  GString *csv = g_string_new ("note,score,group,label\n");
  static const char *words[] = { "the", "patient", "reported", "a", "mild", "headache",
                                 "after", "lunch", "and", "slept", "well", "today" };
  GbWindow *win = gb_window_new (NULL);
  GbDatasetPane *dpane;
  GbReportPane *pane;
  GbAuditSettings *s;
  const GbAuditResults *r;
  GtkWidget *chart;
  cairo_surface_t *img;
  gsize ink = 0;
  guint draws;

  for (guint i = 0; i < 120; i++)
    {
      g_string_append (csv, "\"");
      for (guint w = 0; w < 10; w++)
        g_string_append_printf (csv, "%s%s", w ? " " : "",
                                words[(i * 7 + w * 5 + w * w) % G_N_ELEMENTS (words)]);
      g_string_append_printf (csv, "\",%u,%s,%s\n", (i * 13) % 40, i % 3 == 0 ? "a" : "b",
                              i % 2 ? "yes" : "no");
    }
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  g_string_free (csv, TRUE);

  gtk_window_present (GTK_WINDOW (win));
  gb_window_open_file (win, path);
  g_assert_true (wait_until (window_idle, win));
  dpane = gb_window_get_dataset_pane (win);
  gb_dataset_pane_set_role (dpane, "label", GB_ROLE_TARGET);
  gb_dataset_pane_set_role (dpane, "note", GB_ROLE_TEXT);
  s = gb_audit_get_settings (gb_window_get_draft (win));
  g_assert_cmpstr (s->text_column, ==, "note");
  r = run_tiny_audit (win);
  g_assert_nonnull (r->integrated_gradients);
  g_assert_true (r->integrated_gradients->text);
  /* the Model page's caption names the text column next to the features
   * (it said "0 features" for a text-only model) */
  {
    g_autofree char *want = g_strdup_printf ("text column “note” and %u features",
                                             r->n_features);
    const char *caption = gb_model_pane_get_chart_caption (gb_window_get_model_pane (win));
    g_test_message ("%s", caption);
    g_assert_cmpuint (r->n_features, ==, 2);
    g_assert_nonnull (strstr (caption, want));
  }

  pane = gb_window_get_report_pane (win);
  gb_window_set_page (win, "report");
  iterate_pending (200);
  chart = gb_report_pane_get_token_chart (pane);
  g_assert_nonnull (chart);
  g_assert_true (GB_IS_CHART_VIEW (chart));
  g_assert_null (gb_report_pane_get_dependence_chart (pane));
  /* "Global importance" of a text model ranks features and word pieces (as
   * the PDF does), not token positions ("token 3") */
  {
    g_auto(GStrv) labels = gb_report_pane_dup_ig_global_labels (pane);
    g_assert_nonnull (labels);
    g_assert_nonnull (labels[0]);
    for (guint i = 0; labels[i] != NULL; i++)
      {
        const char *piece = g_str_has_prefix (labels[i], "##") ? labels[i] + 2 : labels[i];
        gboolean known = g_strcmp0 (piece, "score") == 0 || g_strcmp0 (piece, "group") == 0;
        for (guint w = 0; w < G_N_ELEMENTS (words) && !known; w++)
          known = *piece != '\0' && strstr (words[w], piece) != NULL;
        if (!known)
          g_test_message ("global importance label %u: “%s”", i, labels[i]);
        g_assert_false (g_str_has_prefix (labels[i], "token "));
        g_assert_true (known);
      }
  }
  /* the by-method chart of a text model is bars by word piece: its caption
   * says so, not "one point per row, coloured by the feature's value" */
  {
    GtkWidget *bars = gb_report_pane_get_explain_chart (pane, 0);
    GtkWidget *caption = bars != NULL ? gtk_widget_get_next_sibling (bars) : NULL;
    g_assert_true (GTK_IS_LABEL (caption));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (caption)), "word piece"));
    g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (caption)), "One point per"));
  }
  draws = gb_report_pane_get_n_new_draws (pane, "tokens");
  g_assert_true (gtk_widget_activate_action (chart, "chart.export", "(ss)", "png", png));
  g_assert_cmpuint (gb_report_pane_get_n_new_draws (pane, "tokens"), >, draws);
  img = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  for (int y = 0; y < cairo_image_surface_get_height (img); y++)
    for (int x = 0; x < cairo_image_surface_get_width (img); x++)
      ink += *(guint32 *) (cairo_image_surface_get_data (img)
                           + y * cairo_image_surface_get_stride (img) + 4 * x) != 0xffffffffu;
  g_test_message ("token heatmap: %.1f %% not white",
                  100.0 * ink / (cairo_image_surface_get_width (img)
                                 * cairo_image_surface_get_height (img)));
  g_assert_cmpfloat (ink, >, 0.01 * cairo_image_surface_get_width (img)
                               * cairo_image_surface_get_height (img));
  cairo_surface_destroy (img);
  /* picking another row (by its number) paints that row's text instead */
  {
    const GbExplanation *e = NULL;
    g_autofree char *png2 = g_build_filename (dir, "tokens-2.png", NULL);
    g_autofree char *number = NULL;
    g_autofree char *first = NULL, *second = NULL;
    gsize n1 = 0, n2 = 0;

    for (guint k = 0; k < r->explanations->len; k++)
      if (g_strcmp0 (((GbExplanation *) r->explanations->pdata[k])->method,
                     gb_report_pane_get_method (pane)) == 0)
        e = r->explanations->pdata[k];
    g_assert_nonnull (e);
    g_assert_true (e->text);
    g_assert_cmpuint (e->n_rows, >=, 2);
    number = g_strdup_printf ("%zu", (size_t) e->rows[1].row);
    g_assert_cmpuint (gb_report_pane_get_picked_row (pane), ==, e->rows[0].row);
    gtk_editable_set_text (GTK_EDITABLE (gb_report_pane_get_row_search (pane)), number);
    g_signal_emit_by_name (gb_report_pane_get_row_search (pane), "activate");
    g_assert_cmpuint (gb_report_pane_get_picked_row (pane), ==, e->rows[1].row);
    g_assert_true (gtk_widget_activate_action (chart, "chart.export", "(ss)", "png", png2));
    g_assert_true (g_file_get_contents (png, &first, &n1, NULL));
    g_assert_true (g_file_get_contents (png2, &second, &n2, NULL));
    g_assert_false (n1 == n2 && memcmp (first, second, n1) == 0);
    g_unlink (png2);
  }
  if (g_getenv ("GB_TEST_KEEP_CHARTS") != NULL)
    {
      g_autofree char *keep = g_build_filename (g_getenv ("GB_TEST_KEEP_CHARTS"), "tokens.png",
                                                NULL);
      g_rename (png, keep);
    }
  g_unlink (png);

  destroy_window (win);
  g_unlink (path);
  g_rmdir (dir);
}

/* A three-class target has no single ROC curve (roc_len = 0): Model
 * Performance shows the confusion matrix instead of an empty card, and the
 * chart has ink. */
static void
test_report_pane_multiclass (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-report-multi-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "three.csv", NULL);
  GString *csv = g_string_new ("x,y,kind\n");
  static const char *kinds[] = { "low", "mid", "high" };
  GbWindow *win = gb_window_new (NULL);
  GbReportPane *pane;
  GbAuditSettings *s;
  const GbAuditResults *r;
  GtkWidget *chart;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *png = g_build_filename (dir, "confusion.png", NULL);
  cairo_surface_t *img;
  gsize ink = 0;

  for (guint i = 0; i < 150; i++)
    g_string_append_printf (csv, "%u,%u,%s\n", (i * 7) % 30, (i * 11) % 17, kinds[i % 3]);
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  g_string_free (csv, TRUE);

  gtk_window_present (GTK_WINDOW (win));
  gb_window_open_file (win, path);
  g_assert_true (wait_until (window_idle, win));
  gb_dataset_pane_set_role (gb_window_get_dataset_pane (win), "kind", GB_ROLE_TARGET);
  s = gb_audit_get_settings (gb_window_get_draft (win));
  g_assert_cmpstr (s->target, ==, "kind");
  r = run_tiny_audit (win);
  g_assert_cmpuint (r->n_classes, ==, 3);
  g_assert_cmpuint (r->roc_len, ==, 0);
  g_assert_nonnull (r->confusion);

  pane = gb_window_get_report_pane (win);
  gb_window_set_page (win, "report");
  iterate_pending (200);
  /* the Method/Row/Feature pickers and the row search wrap: with them shown,
   * the window still fits an 800 px wide screen (a box of them held it at
   * 1097 px) */
  {
    int min_width = 0;
    g_assert_nonnull (gb_report_pane_get_row_search (pane));
    gtk_widget_measure (GTK_WIDGET (win), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL,
                        NULL);
    g_test_message ("window minimum width with the report shown: %d px", min_width);
    g_assert_cmpint (min_width, <=, 800);
  }
  chart = gb_report_pane_get_performance_chart (pane);
  g_assert_nonnull (chart);
  g_assert_true (GB_IS_CHART_VIEW (chart));
  bytes = gb_chart_view_render (GB_CHART_VIEW (chart), GB_CHART_FORMAT_PNG, 1.0, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (png, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
  img = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  for (int y = 0; y < cairo_image_surface_get_height (img); y++)
    for (int x = 0; x < cairo_image_surface_get_width (img); x++)
      ink += *(guint32 *) (cairo_image_surface_get_data (img)
                           + y * cairo_image_surface_get_stride (img) + 4 * x) != 0xffffffffu;
  g_test_message ("performance chart of a 3-class model: %.1f %% not white",
                  100.0 * ink / (cairo_image_surface_get_width (img)
                                 * cairo_image_surface_get_height (img)));
  /* the 3 × 3 matrix's cells alone cover far more than 5 % of the sheet */
  g_assert_cmpfloat (ink, >, 0.05 * cairo_image_surface_get_width (img)
                               * cairo_image_surface_get_height (img));
  cairo_surface_destroy (img);
  g_unlink (png);

  /* Closing the window while the preview is being rendered: the pane goes
   * with the window (its render is cancelled and waited for), so no worker
   * outlives it — one that did crashed the process at exit. */
  gtk_switch_set_active (gb_report_pane_get_section_switch (pane, GB_REPORT_SECTION_METHODS),
                         FALSE);
  g_assert_true (wait_until (preview_running, pane));
  destroy_window_with_work (win, pane);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = ui_test_env_setup ("glassbox-ui-report-data-XXXXXX");
  int status;


  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  g_test_add_func ("/ui/report/pane", test_report_pane);
  g_test_add_func ("/ui/report/text", test_report_pane_text);
  g_test_add_func ("/ui/report/multiclass", test_report_pane_multiclass);
  status = g_test_run ();
  ui_test_env_cleanup (data_home);
  return status;
}
