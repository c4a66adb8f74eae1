/* test-hub.c — engine/model/gb-hub against a local SoupServer on 127.0.0.1
 * that serves the Hugging Face Hub's URL layout: small files with a git
 * blob ETag, LFS files through a 302 to a CDN-like path with X-Linked-Etag,
 * a 404, a connection dropped mid-file (resumed with Range) and a wrong
 * hash.  No test touches any other address. */
#include "gb-config.h"
#include "gb-hub.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#define BLOB_SIZE (300 * 1024 + 17)

typedef struct {
  GMutex lock;
  GCond ready_cond;
  gboolean ready;
  guint port;
  GBytes *blob;          /* the LFS file */
  char *blob_sha256;
  char *config_text;
  char *config_sha1;     /* git blob sha1 */
  /* per test */
  gboolean drop_next;    /* drop the next CDN response half-way */
  guint n_cdn;           /* CDN GETs */
  guint n_requests;      /* all requests */
  GPtrArray *ranges;     /* Range header of each CDN request ("" = none) */
} Server;

static Server srv;

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
serve_blob (SoupServerMessage *msg)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  const char *range = soup_message_headers_get_one (req, "Range");
  gsize size;
  const char *data = g_bytes_get_data (srv.blob, &size);
  gboolean drop;
  goffset start = 0;

  g_mutex_lock (&srv.lock);
  srv.n_cdn++;
  g_ptr_array_add (srv.ranges, g_strdup (range != NULL ? range : ""));
  drop = srv.drop_next;
  srv.drop_next = FALSE;
  g_mutex_unlock (&srv.lock);

  if (range != NULL)
    {
      SoupRange *ranges;
      int n;
      if (soup_message_headers_get_ranges (req, size, &ranges, &n))
        {
          start = ranges[0].start;
          soup_message_headers_free_ranges (req, ranges);
        }
    }
  if (drop)
    {
      /* announce the whole remainder, send half of it, hang up */
      GIOStream *io = soup_server_message_steal_connection (msg);
      GOutputStream *out = g_io_stream_get_output_stream (io);
      g_autofree char *head = g_strdup_printf (
        "HTTP/1.1 %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n%s%s%s\r\n",
        start > 0 ? "206 Partial Content" : "200 OK", size - (gsize) start,
        start > 0 ? "Content-Range: bytes " : "",
        start > 0 ? g_strdup_printf ("%" G_GOFFSET_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                     start, size - 1, size) : "",
        start > 0 ? "\r\n" : "");
      g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
      g_output_stream_write_all (out, data + start, (size - start) / 2, NULL, NULL, NULL);
      g_output_stream_flush (out, NULL, NULL);
      g_io_stream_close (io, NULL, NULL);
      g_object_unref (io);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                "\"cdn-etag-not-a-hash\"");
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/octet-stream", NULL);
  /* SoupServer turns this into a 206 with Content-Range for a Range request */
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), srv.blob);
}

static void
redirect_lfs (SoupServerMessage *msg, const char *sha)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  g_autofree char *loc = g_strdup_printf ("http://127.0.0.1:%u/cdn/lfs/%s?download=true",
                                          srv.port, srv.blob_sha256);
  g_autofree char *etag = g_strdup_printf ("\"%s\"", sha);
  g_autofree char *len = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (srv.blob));
  soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
  soup_message_headers_replace (h, "Location", loc);
  soup_message_headers_replace (h, "X-Linked-Etag", etag);
  soup_message_headers_replace (h, "X-Linked-Size", len);
  soup_message_headers_replace (h, "ETag", etag);
}

static void
serve_text (SoupServerMessage *msg, const char *text, const char *sha1)
{
  g_autofree char *etag = g_strdup_printf ("\"%s\"", sha1);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer data)
{
  g_mutex_lock (&srv.lock);
  srv.n_requests++;
  g_mutex_unlock (&srv.lock);

  if (g_str_has_prefix (path, "/cdn/lfs/"))
    serve_blob (msg);
  else if (strcmp (path, "/org/tiny/resolve/main/model.safetensors") == 0)
    redirect_lfs (msg, srv.blob_sha256);
  else if (strcmp (path, "/org/norange/resolve/main/model.safetensors") == 0)
    {
      /* a server that ignores Range: always the whole file, 200 */
      soup_message_headers_remove (soup_server_message_get_request_headers (msg), "Range");
      g_mutex_lock (&srv.lock);
      srv.n_cdn++;
      g_ptr_array_add (srv.ranges, g_strdup ("ignored"));
      g_mutex_unlock (&srv.lock);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Linked-Etag",
                                    srv.blob_sha256);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), srv.blob);
    }
  else if (strcmp (path, "/org/bad/resolve/main/model.safetensors") == 0)
    redirect_lfs (msg, "0000000000000000000000000000000000000000000000000000000000000bad");
  else if (strcmp (path, "/org/tiny/resolve/main/config.json") == 0
           || strcmp (path, "/org/tiny/resolve/main/vocab.txt") == 0
           /* libsoup normalises %2F in the path; the Hub accepts both */
           || strcmp (path, "/org/tiny/resolve/refs/pr/1/config.json") == 0)
    serve_text (msg, srv.config_text, srv.config_sha1);
  else if (strcmp (path, "/org/badgit/resolve/main/config.json") == 0)
    serve_text (msg, srv.config_text, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  else if (strcmp (path, "/org/pt/resolve/main/pytorch_model.bin") == 0)
    serve_text (msg, "pickle", srv.config_sha1);
  else if (strcmp (path, "/org/loop/resolve/main/config.json") == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                    "/org/loop/resolve/main/config.json");
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static gpointer
server_thread (gpointer data)
{
  GMainContext *ctx = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  SoupServer *server;
  GSList *uris;
  GMainLoop *loop;

  g_main_context_push_thread_default (ctx);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  /* loopback only */
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("cannot listen on 127.0.0.1: %s", error->message);
  uris = soup_server_get_uris (server);
  g_assert_cmpstr (g_uri_get_host (uris->data), ==, "127.0.0.1");
  g_mutex_lock (&srv.lock);
  srv.port = (guint) g_uri_get_port (uris->data);
  srv.ready = TRUE;
  g_cond_signal (&srv.ready_cond);
  g_mutex_unlock (&srv.lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  loop = g_main_loop_new (ctx, FALSE);
  g_main_loop_run (loop);
  return NULL;
}

static void
server_start (void)
{
  guint8 *blob = g_malloc (BLOB_SIZE);
  guint32 x = 2463534242u;
  for (gsize i = 0; i < BLOB_SIZE; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      blob[i] = (guint8) x;
    }
  srv.blob = g_bytes_new_take (blob, BLOB_SIZE);
  srv.blob_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, srv.blob);
  srv.config_text = g_strdup ("{\"model_type\": \"bert\"}\n");
  srv.config_sha1 = git_blob_sha1 (srv.config_text, strlen (srv.config_text));
  srv.ranges = g_ptr_array_new_with_free_func (g_free);
  g_thread_new ("hub-server", server_thread, NULL);
  g_mutex_lock (&srv.lock);
  while (!srv.ready)
    g_cond_wait (&srv.ready_cond, &srv.lock);
  g_mutex_unlock (&srv.lock);
}

typedef struct {
  char *cache;
  char *base;
  GbHubOptions opts;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->cache = g_dir_make_tmp ("gb-hub-XXXXXX", NULL);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", srv.port);
  f->opts.base_url = f->base;
  f->opts.cache_dir = f->cache;
  f->opts.max_attempts = 0;
  g_mutex_lock (&srv.lock);
  srv.drop_next = FALSE;
  srv.n_cdn = 0;
  srv.n_requests = 0;
  g_ptr_array_set_size (srv.ranges, 0);
  g_mutex_unlock (&srv.lock);
}

static void
rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      GDir *d = g_dir_open (path, 0, NULL);
      const char *name;
      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      if (d != NULL)
        g_dir_close (d);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  rm_rf (f->cache);
  g_free (f->cache);
  g_free (f->base);
}

static void
assert_blob (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (srv.blob, NULL), g_bytes_get_size (srv.blob));
}

/* ---- tests ------------------------------------------------------------------------ */

static void
test_parse_model_ref (void)
{
  g_autoptr(GError) error = NULL;
  char *id = NULL, *rev = NULL;
  const char *bad[] = { "../etc", "a/b/c", "a b", "", "/x", "x/", ".hidden/x", "a/..",
                        "x@", "x@../y", "x@a b" };
  GbHubOptions o = { "https://example.invalid/", NULL, 0 };
  g_autofree char *url = NULL;
  g_autofree char *folder = NULL;

  g_assert_true (gb_hub_parse_model_ref ("google-bert/bert-base-uncased", &id, &rev, &error));
  g_assert_cmpstr (id, ==, "google-bert/bert-base-uncased");
  g_assert_cmpstr (rev, ==, "main");
  g_free (id);
  g_free (rev);
  g_assert_true (gb_hub_parse_model_ref ("distilbert-base-uncased@refs/pr/1", &id, &rev, &error));
  g_assert_cmpstr (id, ==, "distilbert-base-uncased");
  g_assert_cmpstr (rev, ==, "refs/pr/1");
  g_free (id);
  g_free (rev);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (gb_hub_parse_model_ref (bad[i], &id, &rev, &error));
      g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  url = gb_hub_file_url (&o, "org/m", "refs/pr/1", "config.json");
  g_assert_cmpstr (url, ==, "https://example.invalid/org/m/resolve/refs%2Fpr%2F1/config.json");
  o.cache_dir = "/cache";
  folder = gb_hub_cache_folder (&o, "org/m", "refs/pr/1");
  g_assert_cmpstr (folder, ==, "/cache/org/m/refs--pr--1");
}

static void
test_default_cache_folder (void)
{
  g_autofree char *folder = gb_hub_cache_folder (NULL, "org/m", "main");
  g_autofree char *want = g_build_filename (g_get_user_cache_dir (), "glassbox", "hub", "org",
                                            "m", "main", NULL);
  g_assert_cmpstr (folder, ==, want);
}

static void
progress_record (double fraction, const char *message, gpointer data)
{
  GArray *a = data;
  g_array_append_val (a, fraction);
  g_assert_true (g_str_has_prefix (message, "Downloading model.safetensors: "));
}

static void
test_redirect_and_cache (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) fr = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *path = gb_hub_download_file (&f->opts, "org/tiny", "main", "model.safetensors",
                                                NULL, progress_record, fr, &error);
  g_autofree char *want = g_build_filename (f->cache, "org", "tiny", "main", "model.safetensors",
                                            NULL);
  g_autofree char *part = g_strconcat (want, ".part", NULL);
  guint before;

  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, want);
  assert_blob (path);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (srv.n_cdn, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (srv.ranges, 0), ==, "");
  g_assert_cmpuint (fr->len, >, 1);
  g_assert_cmpfloat (g_array_index (fr, double, fr->len - 1), ==, 1.0);
  for (guint i = 1; i < fr->len; i++)
    g_assert_cmpfloat (g_array_index (fr, double, i), >=, g_array_index (fr, double, i - 1));

  /* a second call is served from the cache without any request */
  before = srv.n_requests;
  {
    g_autofree char *again = gb_hub_download_file (&f->opts, "org/tiny", "main",
                                                   "model.safetensors", NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, want);
  }
  g_assert_cmpuint (srv.n_requests, ==, before);
}

static void
test_not_found (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = gb_hub_download_file (&f->opts, "org/tiny", "main",
                                                "tokenizer_config.json", NULL, NULL, NULL, &error);
  g_autofree char *url = g_strdup_printf ("%s/org/tiny/resolve/main/tokenizer_config.json", f->base);
  g_assert_null (path);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_nonnull (strstr (error->message, "404 Not Found"));
}

static void
test_resume_after_drop (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *want_range = g_strdup_printf ("bytes=%d-", BLOB_SIZE / 2);

  srv.drop_next = TRUE;
  path = gb_hub_download_file (&f->opts, "org/tiny", "main", "model.safetensors", NULL, NULL,
                               NULL, &error);
  g_assert_no_error (error);
  assert_blob (path);
  g_assert_cmpuint (srv.n_cdn, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (srv.ranges, 0), ==, "");
  g_assert_cmpstr (g_ptr_array_index (srv.ranges, 1), ==, want_range);
}

/* A .part left by an earlier run is continued, not restarted. */
static void
test_resume_partial_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (f->cache, "org", "tiny", "main", NULL);
  g_autofree char *part = g_build_filename (folder, "model.safetensors.part", NULL);
  g_autofree char *path = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (part, g_bytes_get_data (srv.blob, NULL), 1000, NULL));
  path = gb_hub_download_file (&f->opts, "org/tiny", "main", "model.safetensors", NULL, NULL,
                               NULL, &error);
  g_assert_no_error (error);
  assert_blob (path);
  g_assert_cmpuint (srv.n_cdn, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (srv.ranges, 0), ==, "bytes=1000-");
}

/* A server that answers a Range request with the whole file (200): the
 * stale .part is replaced, not appended to. */
static void
test_range_ignored (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (f->cache, "org", "norange", "main", NULL);
  g_autofree char *part = g_build_filename (folder, "model.safetensors.part", NULL);
  g_autofree char *path = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (part, "stale bytes from another file", -1, NULL));
  path = gb_hub_download_file (&f->opts, "org/norange", "main", "model.safetensors", NULL, NULL,
                               NULL, &error);
  g_assert_no_error (error);
  assert_blob (path);
  g_assert_cmpuint (srv.n_cdn, ==, 1);
}

/* Dropped on every attempt: the error says so and the partial file stays. */
static void
test_gives_up_and_keeps_part (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *part = g_build_filename (f->cache, "org", "tiny", "main",
                                            "model.safetensors.part", NULL);
  g_autofree char *path = NULL;
  GStatBuf sb;

  f->opts.max_attempts = 1;
  srv.drop_next = TRUE;
  path = gb_hub_download_file (&f->opts, "org/tiny", "main", "model.safetensors", NULL, NULL,
                               NULL, &error);
  g_assert_null (path);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "model.safetensors (gave up after 1 attempts"));
  g_assert_nonnull (strstr (error->message, "broke off after"));
  g_assert_cmpint (g_stat (part, &sb), ==, 0);
  g_assert_cmpint (sb.st_size, ==, BLOB_SIZE / 2);
}

static void
test_wrong_hash (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (f->cache, "org", "bad", "main", NULL);
  g_autofree char *part = g_build_filename (folder, "model.safetensors.part", NULL);
  g_autofree char *final = g_build_filename (folder, "model.safetensors", NULL);
  g_autofree char *path = gb_hub_download_file (&f->opts, "org/bad", "main", "model.safetensors",
                                                NULL, NULL, NULL, &error);
  g_assert_null (path);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "model.safetensors"));
  g_assert_nonnull (strstr (error->message,
                            "sha256 0000000000000000000000000000000000000000000000000000000000000bad"));
  g_assert_nonnull (strstr (error->message, srv.blob_sha256));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));
}

static void
test_git_etag (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ok = gb_hub_download_file (&f->opts, "org/tiny", NULL, "config.json", NULL,
                                              NULL, NULL, &error);
  g_autofree char *bad = NULL;
  g_autofree char *contents = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (ok, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, srv.config_text);
  bad = gb_hub_download_file (&f->opts, "org/badgit", "main", "config.json", NULL, NULL, NULL,
                              &error);
  g_assert_null (bad);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "git blob sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709"));
  g_assert_nonnull (strstr (error->message, srv.config_sha1));
}

static void
test_revision_in_url (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = gb_hub_download_file (&f->opts, "org/tiny", "refs/pr/1", "config.json",
                                                NULL, NULL, NULL, &error);
  g_autofree char *want = g_build_filename (f->cache, "org", "tiny", "refs--pr--1", "config.json",
                                            NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, want);
}

static void
test_redirect_loop (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = gb_hub_download_file (&f->opts, "org/loop", "main", "config.json", NULL,
                                                NULL, NULL, &error);
  g_assert_null (path);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "more than 10 redirects"));
}

static void
test_unreachable (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;

  /* a loopback port nobody listens on */
  g_assert_true (g_socket_bind (sock, addr, FALSE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  base = g_strdup_printf ("http://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (sock, NULL);
  f->opts.base_url = base;
  path = gb_hub_download_file (&f->opts, "org/tiny", "main", "config.json", NULL, NULL, NULL,
                               &error);
  g_assert_null (path);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "Cannot reach 127.0.0.1: "));
  g_assert_nonnull (strstr (error->message, "— check the connection or use Import folder…"));
}

static void
test_download_model (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = gb_hub_download_model (&f->opts, "org/tiny", "main", NULL, NULL, NULL,
                                                   &error);
  g_autofree char *want = g_build_filename (f->cache, "org", "tiny", "main", NULL);
  const char *present[] = { "model.safetensors", "config.json", "vocab.txt" };

  g_assert_no_error (error);
  g_assert_cmpstr (folder, ==, want);
  for (guint i = 0; i < G_N_ELEMENTS (present); i++)
    {
      g_autofree char *p = g_build_filename (folder, present[i], NULL);
      g_assert_true (g_file_test (p, G_FILE_TEST_IS_REGULAR));
    }
  {
    /* tokenizer_config.json is optional: the 404 is not an error */
    g_autofree char *p = g_build_filename (folder, "tokenizer_config.json", NULL);
    g_assert_false (g_file_test (p, G_FILE_TEST_EXISTS));
  }
}

static void
test_pickle_only (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = gb_hub_download_model (&f->opts, "org/pt", "main", NULL, NULL, NULL,
                                                   &error);
  g_assert_null (folder);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "org/pt@main has no model.safetensors, only pytorch_model.bin"));
  g_assert_nonnull (strstr (error->message, "arbitrary code"));
  g_assert_nonnull (strstr (error->message, "safe_serialization=True"));
}

static void
cancel_on_progress (double fraction, const char *message, gpointer data)
{
  g_cancellable_cancel (data);
}

static void
test_cancel_keeps_part (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) c = g_cancellable_new ();
  g_autofree char *part = g_build_filename (f->cache, "org", "tiny", "main",
                                            "model.safetensors.part", NULL);
  g_autofree char *path = gb_hub_download_file (&f->opts, "org/tiny", "main", "model.safetensors",
                                                c, cancel_on_progress, c, &error);
  GStatBuf sb;

  g_assert_null (path);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_stat (part, &sb), ==, 0);
  g_assert_cmpint (sb.st_size, >, 0);
  g_assert_cmpint (sb.st_size, <, BLOB_SIZE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* never through a proxy: every request must stay on 127.0.0.1 */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("all_proxy");
  g_unsetenv ("ALL_PROXY");
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  server_start ();
#define ADD(path, fn) \
  g_test_add ("/engine/model/hub/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  g_test_add_func ("/engine/model/hub/parse-model-ref", test_parse_model_ref);
  g_test_add_func ("/engine/model/hub/default-cache-folder", test_default_cache_folder);
  ADD ("redirect-and-cache", test_redirect_and_cache);
  ADD ("not-found", test_not_found);
  ADD ("resume-after-drop", test_resume_after_drop);
  ADD ("resume-partial-file", test_resume_partial_file);
  ADD ("range-ignored", test_range_ignored);
  ADD ("gives-up-and-keeps-part", test_gives_up_and_keeps_part);
  ADD ("wrong-hash", test_wrong_hash);
  ADD ("git-etag", test_git_etag);
  ADD ("revision-in-url", test_revision_in_url);
  ADD ("redirect-loop", test_redirect_loop);
  ADD ("unreachable", test_unreachable);
  ADD ("download-model", test_download_model);
  ADD ("pickle-only", test_pickle_only);
  ADD ("cancel-keeps-part", test_cancel_keeps_part);
  return g_test_run ();
}
