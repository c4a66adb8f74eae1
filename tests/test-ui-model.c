/* test-ui-model.c — the Model pane under Xvfb: the model's source selector
 * writing the audit settings, the live loss curve parsed from the audit's
 * progress messages, and after a short run the reliability and confusion
 * charts and Save model….
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
#include "gb-model-pane-private.h"
#include "gb-examples.h"

#include "gb-test-ui.h"

static gboolean
pane_idle (gpointer data)
{
  return !gb_model_pane_is_busy (GB_MODEL_PANE (data));
}


static GbWindow *
open_and_wait (const char *path)
{
  GbWindow *win = gb_window_new (NULL);

  gtk_window_present (GTK_WINDOW (win));
  gb_window_open_file (win, path);
  g_assert_true (wait_until (window_idle, win));
  g_assert_nonnull (gb_window_get_dataset (win));
  return win;
}

static void
destroy_window (GbWindow *win)
{
  GbWindow *weak = win;

  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &weak);
  gtk_window_destroy (GTK_WINDOW (win));
  iterate_pending (1000);
  g_assert_null (weak);
}

static void
rm_rf (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        rm_rf (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/* ---- the loss-curve parser ------------------------------------------------- */

static void
test_parse_loss (void)
{
  guint epoch = 0, n = 0;
  double train = 0, val = 0;

  g_assert_true (gb_plot_loss_parse_progress (
    "Training the transformer: epoch 2 of 8, loss 0.3176, validation loss 0.3224", &epoch, &n,
    &train, &val));
  g_assert_cmpuint (epoch, ==, 2);
  g_assert_cmpuint (n, ==, 8);
  g_assert_cmpfloat_with_epsilon (train, 0.3176, 1e-12);
  g_assert_cmpfloat_with_epsilon (val, 0.3224, 1e-12);

  g_assert_true (gb_plot_loss_parse_progress ("Training the transformer: epoch 3 of 4, loss 0.5",
                                              &epoch, &n, &train, &val));
  g_assert_cmpuint (epoch, ==, 3);
  g_assert_cmpfloat_with_epsilon (train, 0.5, 1e-12);
  g_assert_true (isnan (val));

  g_assert_false (gb_plot_loss_parse_progress ("Training the transformer: epoch 1 of 8", &epoch,
                                               &n, &train, &val));
  g_assert_false (gb_plot_loss_parse_progress ("Fitting the baseline", &epoch, &n, &train, &val));
  g_assert_false (gb_plot_loss_parse_progress (NULL, &epoch, &n, &train, &val));
}

static void
test_loss_points (void)
{
  GbModelPane *pane = g_object_ref_sink (g_object_new (GB_TYPE_MODEL_PANE, NULL));
  double e, t, v;

  gb_model_pane_set_running (pane, TRUE);
  g_assert_cmpuint (gb_model_pane_get_n_loss_points (pane), ==, 0);
  gb_model_pane_set_progress (pane, 0.1, "Reading the data");
  g_assert_cmpuint (gb_model_pane_get_n_loss_points (pane), ==, 0);
  gb_model_pane_set_progress (pane, 0.2, "Training the transformer: epoch 1 of 3, loss 0.7, validation loss 0.8");
  gb_model_pane_set_progress (pane, 0.3, "Training the transformer: epoch 1 of 3, loss 0.6, validation loss 0.65");
  gb_model_pane_set_progress (pane, 0.4, "Training the transformer: epoch 2 of 3, loss 0.5, validation loss 0.55");
  g_assert_cmpuint (gb_model_pane_get_n_loss_points (pane), ==, 2);
  gb_model_pane_get_loss_point (pane, 0, &e, &t, &v);
  g_assert_cmpfloat (e, ==, 1);
  g_assert_cmpfloat_with_epsilon (t, 0.6, 1e-12);
  g_assert_cmpfloat_with_epsilon (v, 0.65, 1e-12);
  gb_model_pane_get_loss_point (pane, 1, &e, &t, &v);
  g_assert_cmpfloat (e, ==, 2);
  g_assert_cmpfloat_with_epsilon (t, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (v, 0.55, 1e-12);

  /* A new run starts a new curve. */
  gb_model_pane_set_running (pane, FALSE);
  gb_model_pane_set_running (pane, TRUE);
  g_assert_cmpuint (gb_model_pane_get_n_loss_points (pane), ==, 0);
  gb_model_pane_set_running (pane, FALSE);
  g_object_unref (pane);
}

/* ---- the source selector --------------------------------------------------- */

static void
test_source (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-model-XXXXXX", NULL);
  g_autofree char *slice = write_adult_slice (dir, 200);
  GbWindow *win = open_and_wait (slice);
  GbModelPane *pane = gb_window_get_model_pane (win);
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);

  /* Train here: no model folder, no prediction column; the architecture rows. */
  g_assert_cmpuint (gb_model_pane_get_source (pane), ==, 0);
  s->model.n_layers = 3;
  s->model.d_model = 48;
  s->model.n_heads = 6;
  gb_model_pane_load_settings (pane, s);
  s->model.n_layers = s->model.d_model = s->model.n_heads = 0;
  gb_model_pane_apply_settings (pane, s);
  g_assert_null (s->model_dir);
  g_assert_null (s->prediction);
  g_assert_null (s->score);
  g_assert_cmpuint (s->model.n_layers, ==, 3);
  g_assert_cmpuint (s->model.d_model, ==, 48);
  g_assert_cmpuint (s->model.n_heads, ==, 6);

  /* Import folder… */
  gb_model_pane_set_import_folder (pane, "/tmp/some-model");
  gb_model_pane_set_source (pane, 1);
  gb_model_pane_apply_settings (pane, s);
  g_assert_cmpstr (s->model_dir, ==, "/tmp/some-model");

  /* Download from Hub… with no download yet: no folder; a bad id fails on the queue. */
  gb_model_pane_set_source (pane, 2);
  gb_model_pane_apply_settings (pane, s);
  g_assert_null (s->model_dir);
  gb_model_pane_download (pane, "not a valid id!!");
  g_assert_true (wait_until (pane_idle, pane));
  g_assert_nonnull (gb_model_pane_get_last_error (pane));

  /* Use a prediction column: a categorical column is a predicted label… */
  gb_model_pane_set_prediction (pane, "sex", "Male, Other", 0.5);
  g_assert_cmpuint (gb_model_pane_get_source (pane), ==, 3);
  gb_model_pane_apply_settings (pane, s);
  g_assert_null (s->model_dir);
  g_assert_cmpstr (s->prediction, ==, "sex");
  g_assert_nonnull (s->prediction_positive);
  g_assert_cmpstr (s->prediction_positive[0], ==, "Male");
  g_assert_cmpstr (s->prediction_positive[1], ==, "Other");
  g_assert_null (s->prediction_positive[2]);
  g_assert_null (s->score);

  /* … a numeric one a score with a threshold. */
  gb_model_pane_set_prediction (pane, "age", NULL, 40);
  gb_model_pane_apply_settings (pane, s);
  g_assert_null (s->prediction);
  g_assert_cmpstr (s->score, ==, "age");
  g_assert_cmpfloat (s->threshold, ==, 40);

  /* Back to Train here clears them. */
  gb_model_pane_set_source (pane, 0);
  gb_model_pane_apply_settings (pane, s);
  g_assert_null (s->model_dir);
  g_assert_null (s->prediction);
  g_assert_null (s->score);

  destroy_window (win);
  g_unlink (slice);
  g_rmdir (dir);
}

/* ---- after a run ----------------------------------------------------------- */

static void
test_run_charts_and_save (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-model-XXXXXX", NULL);
  g_autofree char *slice = write_adult_slice (dir, 3000);
  g_autofree char *model_dir = g_build_filename (dir, "saved-model", NULL);
  GbWindow *win = open_and_wait (slice);
  GbModelPane *pane = gb_window_get_model_pane (win);
  const GbAuditResults *r;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) loaded = NULL;
  GbModelInfo info = { 0 };

  gb_window_apply_example_roles (win);
  gb_window_set_epochs (win, 1);
  g_assert_false (gb_model_pane_has_reliability_chart (pane));
  g_assert_false (gb_model_pane_has_confusion_chart (pane));
  gb_window_run_audit (win);
  g_assert_null (gb_window_get_last_error (win));
  g_assert_true (wait_until (window_idle, win));
  g_assert_null (gb_window_get_last_error (win));

  r = gb_audit_get_results (gb_window_get_audit (win));
  g_assert_true (r->has_model);
  g_assert_nonnull (r->reliability);
  g_assert_nonnull (r->confusion);
  g_assert_true (gb_model_pane_has_roc_chart (pane));
  g_assert_true (gb_model_pane_has_reliability_chart (pane));
  g_assert_true (gb_model_pane_has_confusion_chart (pane));
  gb_window_set_page (win, "model");
  iterate_pending (200);   /* draw the charts */

  /* Save model… on the pane's job queue, then load it back. */
  gb_model_pane_save_model_to (pane, model_dir);
  g_assert_true (wait_until (pane_idle, pane));
  g_assert_null (gb_model_pane_get_last_error (pane));
  g_assert_true (gb_model_io_is_saved_model (model_dir));
  loaded = gb_model_io_load (model_dir, &info, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (gb_model_get_n_parameters (loaded), ==, r->n_parameters);
  g_assert_cmpstr (info.target, ==, gb_audit_get_settings (gb_window_get_audit (win))->target);
  gb_model_info_clear (&info);

  destroy_window (win);
  rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("glassbox-ui-data-XXXXXX", NULL);
  int status;

  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
#ifdef GB_BUILD_ROOT
  g_setenv ("GSETTINGS_SCHEMA_DIR", GB_BUILD_ROOT "/data", FALSE);
#endif
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  /* Hub downloads never leave the machine here. */
  g_setenv ("GB_HUB_BASE_URL", "http://127.0.0.1:9", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/model/parse-loss", test_parse_loss);
  g_test_add_func ("/ui/model/loss-points", test_loss_points);
  g_test_add_func ("/ui/model/source", test_source);
  g_test_add_func ("/ui/model/run-charts-save", test_run_charts_and_save);

  status = g_test_run ();
  rm_rf (data_home);
  return status;
}
