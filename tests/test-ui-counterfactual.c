/* test-ui-counterfactual.c — the Report pane's editable identity-term pair
 * list (app/gb-counterfactual-editor.c) under Xvfb, after a real audit of
 * the bundled Equity Evaluation Corpus example (text model, 1 epoch): the
 * audit's findings are shown, an edited list with an error names its line,
 * and Recompute with an edited list gives exactly what the engine gives for
 * that list on the same held-out rows.
 *
 * Set GB_TEST_HOLD=N to keep the window open N more main-loop seconds at
 * the end (for a screenshot); the test never waits on wall-clock time
 * otherwise. */
#include "gb-config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "glassbox-engine.h"
#include "gb-window.h"
#include "gb-window-private.h"
#include "gb-report-pane-private.h"
#include "gb-counterfactual-editor.h"

#include "gb-test-ui.h"

static GtkWidget *
find_editor (GtkWidget *w)
{
  if (GB_IS_COUNTERFACTUAL_EDITOR (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_editor (c);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
editor_idle (gpointer data)
{
  return !gb_counterfactual_editor_is_busy (GB_COUNTERFACTUAL_EDITOR (data));
}

static gboolean
hold_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_editor (void)
{
  GbWindow *win = gb_window_new (NULL);
  g_autoptr(GError) error = NULL;

  gtk_window_present (GTK_WINDOW (win));
  gb_window_open_example_named (win, "eec");
  g_assert_true (wait_until (window_idle, win));
  g_assert_nonnull (gb_window_get_dataset (win));
  gb_window_set_epochs (win, 1);
  const GbAuditResults *r = run_audit_and_wait (win);
  GbAudit *audit = gb_window_get_audit (win);
  g_assert_cmpstr (r->text_column, ==, "Sentence");
  g_assert_nonnull (r->counterfactual);
  g_assert_cmpuint (r->counterfactual->len, ==, 2);   /* the example's gender and race-names */

  gb_window_set_page (win, "report");
  iterate_pending (200);
  GtkWidget *w = find_editor (GTK_WIDGET (gb_window_get_report_pane (win)));
  g_assert_nonnull (w);
  GbCounterfactualEditor *ed = GB_COUNTERFACTUAL_EDITOR (w);
  GtkTextBuffer *buffer = gb_counterfactual_editor_get_buffer (ed);
  GtkButton *button = gb_counterfactual_editor_get_button (ed);
  GtkLabel *status = gb_counterfactual_editor_get_status (ed);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));

  /* the editor starts from the audit's first list, the built-in gender file */
  {
    GtkTextIter s, e;
    g_autofree char *text = NULL;
    g_autofree char *file = NULL;
    g_autofree char *path = g_build_filename (gb_counterfactual_data_dir (), "gender.txt", NULL);
    gtk_text_buffer_get_bounds (buffer, &s, &e);
    text = gtk_text_buffer_get_text (buffer, &s, &e, FALSE);
    g_assert_true (g_file_get_contents (path, &file, NULL, NULL));
    g_assert_cmpstr (text, ==, file);
  }

  /* an error names the line */
  gtk_text_buffer_set_text (buffer, "@groups\tmale\tfemale\nhe\tshe\nhim her\n", -1);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (wait_until (editor_idle, ed));
  g_test_message ("error: %s", gtk_label_get_text (status));
  g_assert_nonnull (strstr (gtk_label_get_text (status), ":3: "));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_null (gb_counterfactual_editor_get_result (ed));

  /* an edited list: pronouns only */
  const char *edited = "# pronouns only\n@groups\tmale\tfemale\nhe\tshe\nhim\ther\nhis\ther\n";
  gtk_text_buffer_set_text (buffer, edited, -1);
  g_signal_emit_by_name (button, "clicked");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  g_assert_true (wait_until (editor_idle, ed));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  const GbCounterfactualResult *got = gb_counterfactual_editor_get_result (ed);
  g_assert_nonnull (got);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));

  /* the engine on the same rows with the same list */
  g_autoptr(GbPairList) pairs = gb_pair_list_parse (edited, -1, "edited", "edited", &error);
  g_assert_no_error (error);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0; i < r->n_rows; i++)
    if (r->split[i] == 1)
      g_array_append_val (rows, i);
  g_autoptr(GbCounterfactualResult) want
    = gb_counterfactual_run (gb_audit_get_model (audit), gb_audit_get_dataset (audit), pairs,
                             (const gsize *) rows->data, rows->len, -1, 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->directions->len, ==, 3);
  g_assert_cmpuint (got->class_index, ==, want->class_index);
  for (guint i = 0; i < 3; i++)
    {
      const GbCounterfactualDirection *a = g_ptr_array_index (got->directions, i);
      const GbCounterfactualDirection *b = g_ptr_array_index (want->directions, i);
      g_assert_cmpuint (a->n_rows, ==, b->n_rows);
      g_assert_cmpfloat (a->mean_change, ==, b->mean_change);
      g_assert_cmpfloat (a->t_p_value, ==, b->t_p_value);
      g_assert_cmpfloat (a->flip_rate, ==, b->flip_rate);
    }
  /* pronoun sentences only: fewer than the held-out rows */
  g_assert_cmpuint (((GbCounterfactualDirection *) g_ptr_array_index (got->directions, 0))->n_rows,
                    <, rows->len);
  g_autofree char *sentences = gb_counterfactual_sentences (want,
                                                            (const char *const *) r->class_names);
  g_assert_cmpstr (gtk_label_get_text (status), ==, sentences);
  g_test_message ("recomputed: %s", sentences);

  const char *hold = g_getenv ("GB_TEST_HOLD");
  if (hold != NULL)
    {
      gboolean done = FALSE;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
        if (GTK_IS_EXPANDER (c))
          gtk_expander_set_expanded (GTK_EXPANDER (c), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (button));
      g_timeout_add_seconds ((guint) g_ascii_strtoull (hold, NULL, 10), hold_done, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }

  /* closing the window while a recomputation runs: the editor goes with it
   * at once (its worker cancelled and waited for), so no thread outlives the
   * window and the result never reaches a dead widget */
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (gb_counterfactual_editor_is_busy (ed));
  destroy_window_with_work (win, ed);
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = ui_test_env_setup ("glassbox-ui-cf-data-XXXXXX");
  int status;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  g_test_add_func ("/ui/report/counterfactual-editor", test_editor);
  status = g_test_run ();
  ui_test_env_cleanup (data_home);
  return status;
}
