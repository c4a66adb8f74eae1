/* test-ui-model.c — the Model pane under Xvfb: the model's source selector
 * writing the audit settings, the live loss curve parsed from the audit's
 * progress messages, and after a short run the reliability and confusion
 * charts and Save model…; the Text Column row following the roles; Download
 * from Hub… against a SoupServer on 127.0.0.1 serving the Hub's URL layout
 * (progress, Cancel, the imported checkpoint); the Explanations group's
 * methods, rows, IG baseline and class reaching a run, its command line
 * and a project file, the class list following the target.
 *
 * Waits iterate the main loop with a bound on iterations (a 10 ms ticker
 * keeps the loop turning), never on wall-clock time. */
#include "gb-config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <libsoup/soup.h>
#include <glib/gi18n.h>

#include "glassbox-engine.h"
#include "gb-window.h"
#include "gb-window-private.h"
#include "gb-model-pane-private.h"
#include "gb-dataset-pane.h"
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

/* ---- the text column follows the roles ------------------------------------- */

static void
test_text_column_live (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-model-XXXXXX", NULL);
  g_autofree char *slice = write_adult_slice (dir, 200);
  g_autofree char *other = g_build_filename (dir, "reviews.csv", NULL);
  GbWindow *win = open_and_wait (slice);
  GbModelPane *pane = gb_window_get_model_pane (win);
  GbDatasetPane *dpane = gb_window_get_dataset_pane (win);
  const char *none = gb_model_pane_get_text_column_text (pane);
  g_autoptr(GError) error = NULL;

  /* Adult has no free text: no text column. */
  g_assert_null (gb_audit_get_settings (gb_window_get_draft (win))->text_column);
  g_assert_cmpstr (none, !=, "occupation");
  none = g_strdup (none);

  /* Setting the Text role in the Dataset pane shows at once in the Model pane… */
  gb_dataset_pane_set_role (dpane, "occupation", GB_ROLE_TEXT);
  iterate_pending (10);
  g_assert_cmpstr (gb_audit_get_settings (gb_window_get_draft (win))->text_column, ==,
                   "occupation");
  g_assert_cmpstr (gb_model_pane_get_text_column_text (pane), ==, "occupation");
  /* … and so does taking it away. */
  gb_dataset_pane_set_role (dpane, "occupation", GB_ROLE_FEATURE);
  iterate_pending (10);
  g_assert_null (gb_audit_get_settings (gb_window_get_draft (win))->text_column);
  g_assert_cmpstr (gb_model_pane_get_text_column_text (pane), ==, none);

  /* Another dataset: the row shows the new draft's text column. */
  gb_dataset_pane_set_role (dpane, "occupation", GB_ROLE_TEXT);
  g_assert_true (g_file_set_contents (other, "review,label\n"
                                             "\"a fine film, well acted\",1\n"
                                             "\"dull and far too long\",0\n"
                                             "\"I would see it again\",1\n", -1, &error));
  g_assert_no_error (error);
  gb_window_open_file (win, other);
  g_assert_true (wait_until (window_idle, win));
  g_assert_cmpstr (gb_dataset_get_path (gb_window_get_dataset (win)), ==, other);
  {
    const char *tc = gb_audit_get_settings (gb_window_get_draft (win))->text_column;
    g_assert_cmpstr (gb_model_pane_get_text_column_text (pane), ==, tc != NULL ? tc : none);
    g_assert_cmpstr (gb_model_pane_get_text_column_text (pane), !=, "occupation");
  }

  g_free ((char *) none);
  destroy_window (win);
  g_unlink (other);
  g_unlink (slice);
  g_rmdir (dir);
}

/* ---- Download from Hub… against a local server ------------------------------ */

/* Serves tests/data/hf/tiny-bert under /org/tiny-bert/resolve/main/ as the
 * Hub does: small files with their git blob sha1 as ETag, the LFS
 * model.safetensors through a 302 to /cdn/ with X-Linked-Etag = its
 * sha256.  /org/slow/… sends half of model.safetensors and then stalls
 * (the connection stays open) until the test ends. */
typedef struct {
  char *src;        /* the checkpoint folder */
  guint port;
  GPtrArray *stalled; /* (element-type GIOStream) */
  guint n_requests;
} HubServer;

static HubServer hub_srv;

static char *
git_blob_sha1 (const char *data, gsize len)
{
  g_autoptr(GChecksum) c = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *head = g_strdup_printf ("blob %" G_GSIZE_FORMAT, len);
  g_checksum_update (c, (const guchar *) head, strlen (head) + 1);
  g_checksum_update (c, (const guchar *) data, len);
  return g_strdup (g_checksum_get_string (c));
}

static void
hub_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
             gpointer data)
{
  HubServer *hs = data;
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autofree char *contents = NULL;
  g_autofree char *file = NULL;
  gsize len = 0;
  const char *model, *name;

  hs->n_requests++;
  /* /org/MODEL/resolve/main/NAME or /cdn/MODEL/NAME */
  if (g_strv_length (parts) == 6 && g_str_equal (parts[1], "org")
      && g_str_equal (parts[3], "resolve") && g_str_equal (parts[4], "main"))
    model = parts[2], name = parts[5];
  else if (g_strv_length (parts) == 4 && g_str_equal (parts[1], "cdn"))
    model = parts[2], name = parts[3];
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  file = g_build_filename (hs->src, name, NULL);
  if ((!g_str_equal (model, "tiny-bert") && !g_str_equal (model, "slow"))
      || !g_file_get_contents (file, &contents, &len, NULL))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (g_str_equal (parts[1], "org") && g_str_equal (name, "model.safetensors"))
    {
      g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                          (const guchar *) contents, len);
      g_autofree char *loc = g_strdup_printf ("http://127.0.0.1:%u/cdn/%s/%s", hs->port, model,
                                              name);
      g_autofree char *etag = g_strdup_printf ("\"%s\"", sha);
      soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
      soup_message_headers_replace (h, "Location", loc);
      soup_message_headers_replace (h, "X-Linked-Etag", etag);
      soup_message_headers_replace (h, "ETag", etag);
      return;
    }
  if (g_str_equal (parts[1], "cdn") && g_str_equal (model, "slow"))
    {
      GIOStream *io = soup_server_message_steal_connection (msg);
      GOutputStream *out = g_io_stream_get_output_stream (io);
      g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT
                                               "\r\n\r\n", len);
      g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
      g_output_stream_write_all (out, contents, len / 2, NULL, NULL, NULL);
      g_output_stream_flush (out, NULL, NULL);
      g_ptr_array_add (hs->stalled, io);
      return;
    }
  if (g_str_equal (parts[1], "org"))
    {
      g_autofree char *sha1 = git_blob_sha1 (contents, len);
      g_autofree char *etag = g_strdup_printf ("\"%s\"", sha1);
      soup_message_headers_replace (h, "ETag", etag);
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY, contents,
                                    len);
}

static gboolean
not_downloading (gpointer data)
{
  return !gb_model_pane_is_downloading (GB_MODEL_PANE (data));
}

static gboolean
some_progress (gpointer data)
{
  double max = 0;
  gb_model_pane_get_hub_status (GB_MODEL_PANE (data), NULL, &max);
  return max > 0 || !gb_model_pane_is_downloading (GB_MODEL_PANE (data));
}

static void
screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("GB_TEST_SCREENSHOTS");
  GdkPaintable *paintable;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GdkTexture *texture;
  int w, h;

  if (dir == NULL || *dir == '\0')
    return;
  iterate_pending (200);
  paintable = gtk_widget_paintable_new (widget);
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                             node, &GRAPHENE_RECT_INIT (0, 0, w, h));
      gdk_texture_save_to_png (texture, path);
      g_object_unref (texture);
      gsk_render_node_unref (node);
    }
  g_object_unref (paintable);
}

static void
test_hub_download (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-model-XXXXXX", NULL);
  g_autofree char *slice = write_adult_slice (dir, 200);
  const char *src = hub_srv.src;
  g_autofree char *want = g_build_filename (g_get_user_cache_dir (), "glassbox", "hub", "org",
                                            "tiny-bert", "main", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) reference = NULL;
  g_autoptr(GbAudit) audit = gb_audit_new ();
  g_autofree char *expected_params = NULL;
  GbWindow *win;
  GbModelPane *pane;
  const char *status;
  double fraction = 0, max_fraction = 0;

  win = open_and_wait (slice);
  pane = gb_window_get_model_pane (win);
  gb_window_set_page (win, "model");
  gb_model_pane_set_source (pane, 2);

  /* A download that stalls half-way: the progress bar moves, Cancel stops it. */
  gb_model_pane_download (pane, "org/slow");
  g_assert_true (gb_model_pane_is_downloading (pane));
  g_assert_cmpstr (gtk_button_get_label (gb_model_pane_get_hub_button (pane)), ==, _("_Cancel"));
  g_assert_true (wait_until (some_progress, pane));
  g_assert_true (gb_model_pane_is_downloading (pane));
  status = gb_model_pane_get_hub_status (pane, &fraction, &max_fraction);
  g_test_message ("stalled download: %s (fraction %.3f)", status, max_fraction);
  g_assert_cmpfloat (max_fraction, >, 0);
  g_assert_cmpfloat (max_fraction, <, 0.25);   /* half of the first of four files */
  g_assert_true (g_str_has_prefix (status, "Downloading model.safetensors"));
  {
    /* sizes under a megabyte in kB, with a point whatever the locale */
    g_autofree char *st = g_build_filename (hub_srv.src, "model.safetensors", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (st);
    g_autoptr(GFileInfo) fi = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_autofree char *want_size = g_strdup_printf (" of %s kB",
                                                  g_ascii_formatd (buf, sizeof buf, "%.1f",
                                                                   g_file_info_get_size (fi) / 1e3));
    g_assert_nonnull (fi);
    g_assert_nonnull (strstr (status, want_size));
  }
  screenshot (GTK_WIDGET (win), "model-pane-hub-during.png");
  g_signal_emit_by_name (gb_model_pane_get_hub_button (pane), "clicked");
  g_assert_true (wait_until (not_downloading, pane));
  status = gb_model_pane_get_hub_status (pane, &fraction, NULL);
  g_assert_cmpstr (status, ==, _("Download cancelled"));
  g_assert_cmpfloat (fraction, ==, 0);
  g_assert_nonnull (gb_model_pane_get_last_error (pane));
  g_assert_null (gb_model_pane_get_hub_folder (pane));
  g_assert_cmpstr (gtk_button_get_label (gb_model_pane_get_hub_button (pane)), ==, _("_Download"));
  gb_model_pane_apply_settings (pane, gb_audit_get_settings (audit));
  g_assert_null (gb_audit_get_settings (audit)->model_dir);

  /* The tiny BERT checkpoint: downloaded through the redirect, checked
   * against the ETags, cached and imported. */
  gb_model_pane_download (pane, "org/tiny-bert");
  g_assert_true (wait_until (not_downloading, pane));
  g_assert_cmpstr (gb_model_pane_get_last_error (pane), ==, NULL);
  status = gb_model_pane_get_hub_status (pane, &fraction, &max_fraction);
  g_test_message ("finished download: %s", status);
  g_assert_cmpfloat (fraction, ==, 1);
  g_assert_cmpfloat (max_fraction, >, 0);
  g_assert_cmpstr (gb_model_pane_get_hub_folder (pane), ==, want);
  for (guint i = 0; i < 3; i++)
    {
      const char *names[] = { "model.safetensors", "config.json", "vocab.txt" };
      g_autofree char *a = g_build_filename (src, names[i], NULL);
      g_autofree char *b = g_build_filename (want, names[i], NULL);
      g_autofree char *ca = NULL, *cb = NULL;
      gsize la, lb;
      g_assert_true (g_file_get_contents (a, &ca, &la, NULL));
      g_assert_true (g_file_get_contents (b, &cb, &lb, NULL));
      g_assert_cmpmem (ca, la, cb, lb);
    }
  /* the summary counts the parameters of the checkpoint imported directly */
  reference = gb_model_io_open (src, NULL, NULL, &error);
  g_assert_no_error (error);
  expected_params = g_strdup_printf ("%" G_GSIZE_FORMAT, gb_model_get_n_parameters (reference));
  g_assert_true (g_str_has_prefix (status, _("Imported: ")));
  g_assert_nonnull (strstr (status, expected_params));
  gb_model_pane_apply_settings (pane, gb_audit_get_settings (audit));
  g_assert_cmpstr (gb_audit_get_settings (audit)->model_dir, ==, want);
  screenshot (GTK_WIDGET (win), "model-pane-hub-after.png");

  destroy_window (win);
  g_ptr_array_set_size (hub_srv.stalled, 0);   /* hang up the stalled response */
  rm_rf (dir);
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

/* ---- the Explanations group ------------------------------------------------- */

static guint
combo_n_items (AdwComboRow *row)
{
  return g_list_model_get_n_items (adw_combo_row_get_model (row));
}

static const char *
combo_item (AdwComboRow *row, guint i)
{
  return gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (row)), i);
}

static void
select_class (AdwComboRow *row, const char *name)
{
  for (guint i = 1; i < combo_n_items (row); i++)
    if (g_strcmp0 (combo_item (row, i), name) == 0)
      {
        adw_combo_row_set_selected (row, i);
        return;
      }
  g_error ("Class to Explain does not list “%s”", name);
}

/* The switches on, in gb_explain_method_names() order, joined by commas. */
static char *
methods_on (GbModelPane *pane)
{
  const char *const *names = gb_explain_method_names ();
  g_autoptr(GString) on = g_string_new (NULL);

  for (guint m = 0; names[m] != NULL; m++)
    if (gtk_switch_get_active (gb_model_pane_get_method_switch (pane, names[m])))
      g_string_append_printf (on, "%s%s", on->len ? "," : "", names[m]);
  return g_string_free (g_steal_pointer (&on), FALSE);
}

/* Methods, rows, IG baseline and class chosen in the Model pane reach the
 * run (its explanations and its reproducing command line) and a project
 * file; the class list follows the target set in the Dataset pane. */
static void
test_explanations (void)
{
  g_autofree char *dir = g_dir_make_tmp ("glassbox-ui-model-XXXXXX", NULL);
  g_autofree char *slice = write_adult_slice (dir, 1200);
  g_autofree char *project = g_build_filename (dir, "explain.glassbox", NULL);
  GbWindow *win = open_and_wait (slice);
  GbWindow *win2;
  GbModelPane *pane = gb_window_get_model_pane (win);
  GbDatasetPane *dpane = gb_window_get_dataset_pane (win);
  AdwComboRow *class_row = gb_model_pane_get_class_row (pane);
  AdwComboRow *baseline_row = gb_model_pane_get_baseline_row (pane);
  GtkSwitch *ig = gb_model_pane_get_method_switch (pane, "integrated_gradients");
  GtkSwitch *ks = gb_model_pane_get_method_switch (pane, "kernel_shap");
  GtkSwitch *lime = gb_model_pane_get_method_switch (pane, "lime");
  GtkSwitch *occlusion = gb_model_pane_get_method_switch (pane, "occlusion");
  GbAuditSettings *draft;
  const GbAuditResults *r;
  const GbColumn *race;
  g_autoptr(GError) error = NULL;
  g_autofree char *on = NULL;
  g_autofree char *default_on = NULL;
  const char *cmd;

  /* The engine's defaults are on, and applying them names no method. */
  default_on = g_strjoinv (",", (char **) gb_explain_default_method_names ());
  on = methods_on (pane);
  g_assert_cmpstr (on, ==, default_on);
  {
    g_autoptr(GbAudit) a = gb_audit_new ();
    gb_model_pane_apply_settings (pane, gb_audit_get_settings (a));
    g_assert_null (gb_audit_get_settings (a)->explainers);
    g_assert_null (gb_audit_get_settings (a)->explain_class);
    g_assert_cmpuint (gb_audit_get_settings (a)->explain_rows, ==, 16);
    g_assert_cmpint (gb_audit_get_settings (a)->ig_baseline, ==, GB_IG_BASELINE_DEFAULT);
  }

  /* The example's roles: income-per-year with positive value >50K. */
  gb_window_apply_example_roles (win);
  iterate_pending (10);
  g_assert_cmpuint (combo_n_items (class_row), ==, 3);
  g_assert_cmpstr (combo_item (class_row, 1), ==, "not >50K");
  g_assert_cmpstr (combo_item (class_row, 2), ==, ">50K");
  g_assert_cmpuint (adw_combo_row_get_selected (class_row), ==, 0);

  /* Another target lists its own classes and resets the choice. */
  select_class (class_row, ">50K");
  gb_dataset_pane_set_role (dpane, "race", GB_ROLE_TARGET);
  iterate_pending (10);
  race = gb_dataset_get_column (gb_window_get_dataset (win),
                                gb_dataset_find_column (gb_window_get_dataset (win), "race"));
  g_assert_cmpuint (race->levels->len, >, 2);
  g_assert_cmpuint (combo_n_items (class_row), ==, 1 + race->levels->len);
  for (guint k = 0; k < race->levels->len; k++)
    g_assert_cmpstr (combo_item (class_row, 1 + k), ==, g_ptr_array_index (race->levels, k));
  g_assert_cmpuint (adw_combo_row_get_selected (class_row), ==, 0);
  /* a role change that keeps the target keeps the choice */
  select_class (class_row, g_ptr_array_index (race->levels, 1));
  gb_dataset_pane_set_role (dpane, "fnlwgt", GB_ROLE_IGNORE);
  iterate_pending (10);
  g_assert_cmpstr (combo_item (class_row, adw_combo_row_get_selected (class_row)), ==,
                   g_ptr_array_index (race->levels, 1));
  /* income-per-year again, now without a positive value: its two levels */
  gb_dataset_pane_set_role (dpane, "income-per-year", GB_ROLE_TARGET);
  iterate_pending (10);
  g_assert_cmpuint (adw_combo_row_get_selected (class_row), ==, 0);
  g_assert_cmpuint (combo_n_items (class_row), ==, 3);
  g_assert_cmpstr (combo_item (class_row, 1), ==, "<=50K");
  g_assert_cmpstr (combo_item (class_row, 2), ==, ">50K");

  /* A short run: one layer, one epoch, no bootstrap, no causal section. */
  draft = gb_audit_get_settings (gb_window_get_draft (win));
  draft->model.n_layers = 1;
  draft->train.epochs = 1;
  draft->bootstrap = 0;
  draft->decompose_rows = 0;
  g_clear_pointer (&draft->treatment, g_free);
  g_clear_pointer (&draft->outcome, g_free);
  gb_model_pane_load_settings (pane, draft);

  /* Only LIME: it cannot be switched off, the others can be switched on. */
  gtk_switch_set_active (lime, TRUE);
  gtk_switch_set_active (ig, FALSE);
  gtk_switch_set_active (ks, FALSE);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (lime)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (baseline_row)));
  gtk_switch_set_active (lime, FALSE);
  g_assert_true (gtk_switch_get_active (lime));
  /* integrated gradients, LIME and occlusion */
  gtk_switch_set_active (occlusion, TRUE);
  gtk_switch_set_active (ig, TRUE);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (lime)));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (baseline_row)));
  g_clear_pointer (&on, g_free);
  on = methods_on (pane);
  g_assert_cmpstr (on, ==, "integrated_gradients,lime,occlusion");
  gtk_spin_button_set_value (gb_model_pane_get_explain_rows_spin (pane), 3);
  g_assert_cmpstr (combo_item (baseline_row, GB_IG_BASELINE_MEAN), ==, "Feature means");
  /* [MASK] on this tabular model: the row warns before Run */
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (baseline_row), "warning"));
  adw_combo_row_set_selected (baseline_row, GB_IG_BASELINE_MASK);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (baseline_row), "warning"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (baseline_row)),
                            "text column"));
  adw_combo_row_set_selected (baseline_row, GB_IG_BASELINE_MEAN);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (baseline_row), "warning"));
  select_class (class_row, "<=50K");

  gb_window_run_audit (win);
  g_assert_null (gb_window_get_last_error (win));
  g_assert_true (wait_until (window_idle, win));
  g_assert_null (gb_window_get_last_error (win));
  r = gb_audit_get_results (gb_window_get_audit (win));
  g_assert_cmpstr (r->class_names[0], ==, "<=50K");
  g_assert_nonnull (r->explanations);
  g_assert_cmpuint (r->explanations->len, ==, 3);
  {
    const char *expected[] = { "integrated_gradients", "lime", "occlusion" };
    for (guint m = 0; m < 3; m++)
      {
        const GbExplanation *e = g_ptr_array_index (r->explanations, m);
        g_assert_cmpstr (e->method, ==, expected[m]);
        g_assert_cmpuint (e->n_rows, ==, 3);
        for (gsize i = 0; i < e->n_rows; i++)
          g_assert_cmpuint (e->rows[i].class_index, ==, 0);
      }
  }
  g_assert_nonnull (r->integrated_gradients);
  g_assert_cmpint (r->integrated_gradients->baseline_kind, ==, GB_IG_BASELINE_MEAN);
  cmd = gb_audit_get_settings (gb_window_get_audit (win))->command_line;
  g_assert_nonnull (cmd);
  g_assert_nonnull (strstr (cmd, "--explainers=integrated_gradients,lime,occlusion"));
  g_assert_nonnull (strstr (cmd, " --explain=3"));
  g_assert_nonnull (strstr (cmd, "--ig-baseline=mean"));
  g_assert_nonnull (strstr (cmd, "--explain-class=<=50K"));

  /* Saved, then opened in a new window: the same choices. */
  g_assert_true (gb_window_save_project (win, project, &error));
  g_assert_no_error (error);
  win2 = gb_window_new (NULL);
  gtk_window_present (GTK_WINDOW (win2));
  gb_window_open_project (win2, project);
  g_assert_true (wait_until (window_idle, win2));
  g_assert_null (gb_window_get_last_error (win2));
  pane = gb_window_get_model_pane (win2);
  iterate_pending (10);
  g_clear_pointer (&on, g_free);
  on = methods_on (pane);
  g_assert_cmpstr (on, ==, "integrated_gradients,lime,occlusion");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (gb_model_pane_get_explain_rows_spin (pane)),
                   ==, 3);
  g_assert_cmpuint (adw_combo_row_get_selected (gb_model_pane_get_baseline_row (pane)), ==,
                    GB_IG_BASELINE_MEAN);
  class_row = gb_model_pane_get_class_row (pane);
  g_assert_cmpstr (combo_item (class_row, adw_combo_row_get_selected (class_row)), ==, "<=50K");

  /* A project that names its rows (--explain-rows): the row says which and
   * the run keeps them, until a number is set. */
  {
    g_autoptr(GbAudit) a = gb_audit_new ();
    GbAuditSettings *s = gb_audit_get_settings (a);
    GtkSpinButton *spin = gb_model_pane_get_explain_rows_spin (pane);
    AdwActionRow *row = ADW_ACTION_ROW (gtk_widget_get_ancestor (GTK_WIDGET (spin),
                                                                 ADW_TYPE_ACTION_ROW));

    s->n_explain_row_ids = 2;
    s->explain_row_ids = g_new (gsize, 2);
    s->explain_row_ids[0] = 5;
    s->explain_row_ids[1] = 9;
    gb_model_pane_load_settings (pane, s);
    g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 2);
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "5, 9"));
    gb_model_pane_apply_settings (pane, s);
    g_assert_cmpuint (s->n_explain_row_ids, ==, 2);
    g_assert_cmpuint (s->explain_row_ids[1], ==, 9);
    gtk_spin_button_set_value (spin, 4);
    g_assert_null (strstr (adw_action_row_get_subtitle (row), "5, 9"));
    gb_model_pane_apply_settings (pane, s);
    g_assert_null (s->explain_row_ids);
    g_assert_cmpuint (s->n_explain_row_ids, ==, 0);
    g_assert_cmpuint (s->explain_rows, ==, 4);
  }

  destroy_window (win2);
  destroy_window (win);
  rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("glassbox-ui-data-XXXXXX", NULL);
  g_autofree char *hub_base = NULL;
  g_autoptr(SoupServer) hub_server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  int status;

  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
#ifdef GB_BUILD_ROOT
  g_setenv ("GSETTINGS_SCHEMA_DIR", GB_BUILD_ROOT "/data", FALSE);
#endif
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", data_home, TRUE);   /* the Hub cache */
  /* Hub downloads never leave the machine here: a local server (started
   * before any thread, so that the environment is set safely). */
  hub_srv.src = g_build_filename (g_getenv ("GB_TEST_DATA"), "hf", "tiny-bert", NULL);
  hub_srv.stalled = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (hub_server, NULL, hub_handler, &hub_srv, NULL);
  if (!soup_server_listen_local (hub_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("cannot listen on 127.0.0.1: %s", error->message);
  uris = soup_server_get_uris (hub_server);
  hub_srv.port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  hub_base = g_strdup_printf ("http://127.0.0.1:%u", hub_srv.port);
  g_setenv ("GB_HUB_BASE_URL", hub_base, TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/model/parse-loss", test_parse_loss);
  g_test_add_func ("/ui/model/loss-points", test_loss_points);
  g_test_add_func ("/ui/model/source", test_source);
  g_test_add_func ("/ui/model/text-column-live", test_text_column_live);
  g_test_add_func ("/ui/model/hub-download", test_hub_download);
  g_test_add_func ("/ui/model/run-charts-save", test_run_charts_and_save);
  g_test_add_func ("/ui/model/explanations", test_explanations);

  status = g_test_run ();
  g_ptr_array_unref (hub_srv.stalled);
  g_free (hub_srv.src);
  rm_rf (data_home);
  return status;
}
