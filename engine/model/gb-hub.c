/* gb-hub.c — Hugging Face Hub downloads with libsoup 3 (see gb-hub.h).  The
 * URL layout, the redirect-to-CDN behaviour and the use of X-Linked-Etag as
 * the sha256 of LFS files follow huggingface_hub (file_download.py:
 * hf_hub_url, get_hf_file_metadata, _download_to_tmp_and_move). */
#include "gb-config.h"
#include "gb-hub.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#define MAX_REDIRECTS 10
#define READ_CHUNK (64 * 1024)

/* ---- names ------------------------------------------------------------------------ */

static gboolean
valid_id_segment (const char *s, gsize len)
{
  if (len == 0 || len > 96 || s[0] == '.' || s[0] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_isalnum (s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
      return FALSE;
  if (g_strstr_len (s, len, "..") != NULL)
    return FALSE;
  return TRUE;
}

static gboolean
valid_model_id (const char *id)
{
  const char *slash = strchr (id, '/');
  if (slash == NULL)
    return valid_id_segment (id, strlen (id));
  if (strchr (slash + 1, '/') != NULL)
    return FALSE;
  return valid_id_segment (id, slash - id) && valid_id_segment (slash + 1, strlen (slash + 1));
}

static gboolean
valid_revision (const char *rev)
{
  if (rev[0] == '\0' || strlen (rev) > 200 || rev[0] == '/' || strstr (rev, "..") != NULL)
    return FALSE;
  for (const char *p = rev; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.' || *p == '/'))
      return FALSE;
  return TRUE;
}

static gboolean
valid_filename (const char *f)
{
  if (f[0] == '\0' || f[0] == '/' || strstr (f, "..") != NULL)
    return FALSE;
  for (const char *p = f; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.' || *p == '/'))
      return FALSE;
  return TRUE;
}

gboolean
gb_hub_parse_model_ref (const char *ref, char **model_id, char **revision, GError **error)
{
  const char *at;
  g_autofree char *id = NULL;
  g_autofree char *rev = NULL;

  g_return_val_if_fail (ref != NULL, FALSE);
  at = strchr (ref, '@');
  id = at != NULL ? g_strndup (ref, at - ref) : g_strdup (ref);
  rev = at != NULL ? g_strdup (at + 1) : g_strdup ("main");
  if (!valid_model_id (id))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a Hugging Face model id: expected OWNER/NAME or NAME of letters, "
                   "digits, “-”, “_” and “.” (e.g. distilbert/distilbert-base-uncased), "
                   "optionally followed by @REVISION", id);
      return FALSE;
    }
  if (!valid_revision (rev))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid revision for %s: give a branch, tag or commit hash "
                   "(letters, digits, “-”, “_”, “.”, “/”)", rev, id);
      return FALSE;
    }
  *model_id = g_steal_pointer (&id);
  *revision = g_steal_pointer (&rev);
  return TRUE;
}

static const char *
base_url (const GbHubOptions *o)
{
  if (o != NULL && o->base_url != NULL)
    return o->base_url;
  if (g_getenv ("GB_HUB_BASE_URL") != NULL && *g_getenv ("GB_HUB_BASE_URL"))
    return g_getenv ("GB_HUB_BASE_URL");
  return GB_HUB_DEFAULT_BASE_URL;
}

char *
gb_hub_file_url (const GbHubOptions *options, const char *model_id, const char *revision,
                 const char *filename)
{
  const char *base = base_url (options);
  g_autofree char *rev = g_uri_escape_string (revision != NULL ? revision : "main", NULL, FALSE);
  gsize n = strlen (base);
  while (n > 0 && base[n - 1] == '/')
    n--;
  return g_strdup_printf ("%.*s/%s/resolve/%s/%s", (int) n, base, model_id, rev, filename);
}

char *
gb_hub_cache_folder (const GbHubOptions *options, const char *model_id, const char *revision)
{
  g_autofree char *root = options != NULL && options->cache_dir != NULL
                            ? g_strdup (options->cache_dir)
                            : g_build_filename (g_get_user_cache_dir (), "glassbox", "hub", NULL);
  g_auto(GStrv) parts = g_strsplit (revision != NULL ? revision : "main", "/", -1);
  g_autofree char *rev = g_strjoinv ("--", parts);
  return g_build_filename (root, model_id, rev, NULL);
}

/* ---- one transfer ----------------------------------------------------------------- */

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);
  return g_strdup (g_uri_get_host (uri));
}

static gboolean
is_unreachable (const GError *e)
{
  if (e->domain == G_RESOLVER_ERROR || e->domain == G_TLS_ERROR)
    return TRUE;
  return e->domain == G_IO_ERROR
         && (e->code == G_IO_ERROR_CONNECTION_REFUSED || e->code == G_IO_ERROR_HOST_UNREACHABLE
             || e->code == G_IO_ERROR_NETWORK_UNREACHABLE || e->code == G_IO_ERROR_TIMED_OUT
             || e->code == G_IO_ERROR_PROXY_FAILED || e->code == G_IO_ERROR_HOST_NOT_FOUND);
}

static void
set_unreachable (GError **error, const char *url, const GError *e)
{
  g_autofree char *host = host_of (url);
  g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO,
               "Cannot reach %s: %s — check the connection or use Import folder… with a "
               "checkpoint downloaded another way (%s)", host, e->message, url);
}

/* The hex digest in an ETag: W/"abc" → abc; NULL when it is not hex. */
static char *
etag_digest (const char *etag)
{
  g_autofree char *s = NULL;
  gsize n;
  if (etag == NULL)
    return NULL;
  if (g_str_has_prefix (etag, "W/"))
    etag += 2;
  s = g_strdup (etag);
  g_strstrip (s);
  n = strlen (s);
  if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
    {
      memmove (s, s + 1, n - 2);
      s[n - 2] = '\0';
    }
  n = strlen (s);
  if (n != 40 && n != 64)
    return NULL;
  for (gsize i = 0; i < n; i++)
    {
      if (!g_ascii_isxdigit (s[i]))
        return NULL;
      s[i] = g_ascii_tolower (s[i]);
    }
  return g_steal_pointer (&s);
}

/* sha256 (64 digits) or git blob sha1 (40 digits) of a file. */
static char *
file_digest (const char *path, gsize n_digits, GError **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (n_digits == 64 ? G_CHECKSUM_SHA256 : G_CHECKSUM_SHA1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  g_autofree guint8 *buf = g_malloc (READ_CHUNK);
  gssize got;

  if (in == NULL)
    return NULL;
  if (n_digits == 40)
    {
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NONE, NULL, error);
      g_autofree char *head = NULL;
      if (info == NULL)
        return NULL;
      head = g_strdup_printf ("blob %" G_GUINT64_FORMAT, (guint64) g_file_info_get_size (info));
      g_checksum_update (sum, (const guchar *) head, strlen (head) + 1); /* with the NUL */
    }
  while ((got = g_input_stream_read (G_INPUT_STREAM (in), buf, READ_CHUNK, NULL, error)) > 0)
    g_checksum_update (sum, buf, got);
  if (got < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (sum));
}

static char *
format_mb (guint64 bytes, gboolean kb)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  /* g_ascii_formatd: a point whatever the locale */
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.1f", bytes / (kb ? 1e3 : 1e6)));
}

typedef enum {
  FETCH_OK,
  FETCH_FAILED,      /* error set, give up */
  FETCH_BROKEN,      /* transfer broke off, error set; may resume */
  FETCH_NOT_FOUND,   /* 404, error set */
} FetchResult;

typedef struct {
  const char *filename;
  char *expected;        /* digest from the first response carrying one */
  gboolean have_etag;
  GbProgressFunc progress;
  gpointer user_data;
} Fetch;

/* One GET of @url (following redirects) appended to @part from its current
 * size. */
static FetchResult
fetch_once (SoupSession *session, Fetch *f, const char *start_url, const char *part,
            gboolean head_only, GCancellable *cancellable, GError **error)
{
  g_autofree char *url = g_strdup (start_url);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) e = NULL;
  guint64 offset = 0, total = 0, received = 0;
  goffset length;
  guint status;
  int hop;

  if (!head_only)
    {
      GStatBuf sb;
      if (g_stat (part, &sb) == 0)
        offset = (guint64) sb.st_size;
    }

  for (hop = 0; hop <= MAX_REDIRECTS; hop++)
    {
      const char *location, *linked, *etag;
      SoupMessageHeaders *h;

      g_clear_object (&msg);
      g_clear_object (&in);
      msg = soup_message_new (head_only ? SOUP_METHOD_HEAD : SOUP_METHOD_GET, url);
      if (msg == NULL)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "Invalid download address %s", url);
          return FETCH_FAILED;
        }
      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      if (offset > 0)
        soup_message_headers_set_range (soup_message_get_request_headers (msg), (goffset) offset, -1);
      in = soup_session_send (session, msg, cancellable, &e);
      if (in == NULL)
        {
          if (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&e));
              return FETCH_FAILED;
            }
          if (is_unreachable (e) && hop == 0)
            {
              set_unreachable (error, url, e);
              return FETCH_FAILED;
            }
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "Download of %s failed: %s", url,
                       e->message);
          return FETCH_BROKEN;
        }
      status = soup_message_get_status (msg);
      h = soup_message_get_response_headers (msg);
      linked = soup_message_headers_get_one (h, "X-Linked-Etag");
      etag = soup_message_headers_get_one (h, "ETag");
      if (!f->have_etag && (linked != NULL || (hop == 0 && etag != NULL)))
        {
          f->expected = etag_digest (linked != NULL ? linked : etag);
          f->have_etag = TRUE;
        }
      else if (linked != NULL && f->expected == NULL)
        f->expected = etag_digest (linked);

      if (SOUP_STATUS_IS_REDIRECTION (status)
          && (location = soup_message_headers_get_one (h, "Location")) != NULL)
        {
          g_autofree char *next = g_uri_resolve_relative (url, location, G_URI_FLAGS_NONE, NULL);
          g_input_stream_close (in, NULL, NULL);
          if (next == NULL)
            {
              g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO,
                           "%s redirects to an invalid address “%s”", url, location);
              return FETCH_FAILED;
            }
          g_free (url);
          url = g_steal_pointer (&next);
          continue;
        }
      break;
    }
  if (hop > MAX_REDIRECTS)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO,
                   "%s: more than %d redirects (a redirect loop?)", start_url, MAX_REDIRECTS);
      return FETCH_FAILED;
    }

  if (status == SOUP_STATUS_NOT_FOUND)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO,
                   "%s: 404 Not Found — the model, revision or file “%s” does not exist on "
                   "the Hub", start_url, f->filename);
      return FETCH_NOT_FOUND;
    }
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO,
                   "%s: %u %s — the model is private or gated; download it with an account "
                   "that has access and use Import folder…", start_url, status,
                   soup_message_get_reason_phrase (msg));
      return FETCH_FAILED;
    }
  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && offset > 0)
    {
      /* the .part is not a prefix of this file: start over */
      g_unlink (part);
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO,
                   "%s: the server refused to resume at byte %" G_GUINT64_FORMAT, url, offset);
      return FETCH_BROKEN;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "%s: HTTP %u %s", url, status,
                   soup_message_get_reason_phrase (msg));
      return FETCH_FAILED;
    }
  if (head_only)
    return FETCH_OK;

  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      goffset start, end, tot;
      if (!soup_message_headers_get_content_range (soup_message_get_response_headers (msg),
                                                   &start, &end, &tot)
          || (guint64) start != offset)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO,
                       "%s: the server resumed at another byte than the %" G_GUINT64_FORMAT
                       " asked for", url, offset);
          g_unlink (part);
          return FETCH_BROKEN;
        }
      total = tot > 0 ? (guint64) tot : 0;
    }
  else
    {
      offset = 0; /* 200: the whole file again */
      length = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
      total = length > 0 ? (guint64) length : 0;
    }

  {
    g_autoptr(GFile) pf = g_file_new_for_path (part);
    g_autoptr(GFileOutputStream) out = NULL;
    g_autofree guint8 *buf = g_malloc (READ_CHUNK);
    /* kB for files under a megabyte (config.json, vocab.txt, small checkpoints) */
    gboolean kb = total > 0 && total < 1000000;
    g_autofree char *total_mb = format_mb (total, kb);
    gssize got;

    out = offset > 0 ? g_file_append_to (pf, G_FILE_CREATE_NONE, NULL, &e)
                     : g_file_replace (pf, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &e);
    if (out == NULL)
      {
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "Cannot write %s: %s", part, e->message);
        return FETCH_FAILED;
      }
    for (;;)
      {
        got = g_input_stream_read (in, buf, READ_CHUNK, cancellable, &e);
        if (got <= 0)
          break;
        if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), buf, got, NULL, NULL, &e))
          {
            g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "Cannot write %s: %s", part,
                         e->message);
            return FETCH_FAILED;
          }
        received += got;
        if (f->progress != NULL)
          {
            g_autofree char *done_mb = format_mb (offset + received, kb);
            const char *unit = kb ? "kB" : "MB";
            g_autofree char *m = total > 0
              ? g_strdup_printf ("Downloading %s: %s of %s %s", f->filename, done_mb, total_mb,
                                 unit)
              : g_strdup_printf ("Downloading %s: %s %s", f->filename, done_mb, unit);
            f->progress (total > 0 ? (double) (offset + received) / total : -1.0, m, f->user_data);
          }
      }
    g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
    if (got < 0)
      {
        if (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CANCELLED))
          {
            g_propagate_error (error, g_steal_pointer (&e));
            return FETCH_FAILED;
          }
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO,
                     "The download of %s broke off after %" G_GUINT64_FORMAT " of %"
                     G_GUINT64_FORMAT " bytes: %s", url, offset + received, total, e->message);
        return FETCH_BROKEN;
      }
    if (total > 0 && offset + received < total)
      {
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO,
                     "The download of %s broke off after %" G_GUINT64_FORMAT " of %"
                     G_GUINT64_FORMAT " bytes", url, offset + received, total);
        return FETCH_BROKEN;
      }
  }
  return FETCH_OK;
}

static SoupSession *
new_session (void)
{
  g_autofree char *ua = g_strdup_printf ("glassbox/%s", GB_VERSION);
  /* an idle timeout of a minute on a socket, not a limit on the download */
  return soup_session_new_with_options ("user-agent", ua, "timeout", 60, NULL);
}

static gboolean
mkdir_for (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "Cannot create the cache folder %s: %s",
                   dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Downloads one file; *not_found is set on a 404. */
static char *
download_file (SoupSession *session, const GbHubOptions *options, const char *model_id,
               const char *revision, const char *filename, GCancellable *cancellable,
               GbProgressFunc progress, gpointer user_data, gboolean *not_found, GError **error)
{
  g_autofree char *folder = gb_hub_cache_folder (options, model_id, revision);
  g_autofree char *final = g_build_filename (folder, filename, NULL);
  g_autofree char *part = g_strconcat (final, ".part", NULL);
  g_autofree char *url = gb_hub_file_url (options, model_id, revision, filename);
  guint attempts = options != NULL && options->max_attempts > 0 ? options->max_attempts : 4;
  Fetch f = { filename, NULL, FALSE, progress, user_data };
  g_autoptr(GError) last = NULL;
  FetchResult r = FETCH_FAILED;

  if (not_found != NULL)
    *not_found = FALSE;
  if (!valid_model_id (model_id) || !valid_revision (revision) || !valid_filename (filename))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Invalid Hub file reference %s@%s: %s", model_id, revision, filename);
      return NULL;
    }
  if (g_file_test (final, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&final);
  if (!mkdir_for (final, error))
    return NULL;

  for (guint a = 0; a < attempts; a++)
    {
      g_clear_error (&last);
      r = fetch_once (session, &f, url, part, FALSE, cancellable, &last);
      if (r != FETCH_BROKEN)
        break;
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  if (r != FETCH_OK)
    {
      g_free (f.expected);
      if (r == FETCH_NOT_FOUND && not_found != NULL)
        *not_found = TRUE;
      if (r == FETCH_BROKEN)
        g_prefix_error (&last, "%s (gave up after %u attempts; run the download again to resume "
                        "from the partial file): ", filename, attempts);
      g_propagate_error (error, g_steal_pointer (&last));
      return NULL;
    }

  if (f.expected != NULL)
    {
      gsize nd = strlen (f.expected);
      g_autofree char *got = file_digest (part, nd, error);
      if (got == NULL)
        {
          g_free (f.expected);
          return NULL;
        }
      if (strcmp (got, f.expected) != 0)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                       "%s from %s is corrupt: the Hub's ETag gives %s %s but the downloaded "
                       "file has %s — the partial file was deleted; download again",
                       filename, url, nd == 64 ? "sha256" : "git blob sha1", f.expected, got);
          g_unlink (part);
          g_free (f.expected);
          return NULL;
        }
    }
  g_free (f.expected);
  if (g_rename (part, final) != 0)
    {
      int saved = errno;
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "Cannot move %s to %s: %s", part, final,
                   g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&final);
}

char *
gb_hub_download_file (const GbHubOptions *options, const char *model_id, const char *revision,
                      const char *filename, GCancellable *cancellable, GbProgressFunc progress,
                      gpointer user_data, GError **error)
{
  g_autoptr(SoupSession) session = new_session ();
  g_return_val_if_fail (model_id != NULL && filename != NULL, NULL);
  return download_file (session, options, model_id, revision != NULL ? revision : "main",
                        filename, cancellable, progress, user_data, NULL, error);
}

typedef struct {
  GbProgressFunc progress;
  gpointer user_data;
  guint index, n;
} Overall;

static void
overall_progress (double fraction, const char *message, gpointer data)
{
  Overall *o = data;
  if (o->progress != NULL)
    o->progress (fraction < 0 ? -1.0 : (o->index + fraction) / o->n, message, o->user_data);
}

char *
gb_hub_download_model (const GbHubOptions *options, const char *model_id, const char *revision,
                       GCancellable *cancellable, GbProgressFunc progress, gpointer user_data,
                       GError **error)
{
  /* model.safetensors first: it decides whether the repository is usable */
  static const struct { const char *name; gboolean required; } files[] = {
    { "model.safetensors", TRUE },
    { "config.json", TRUE },
    { "vocab.txt", TRUE },
    { "tokenizer_config.json", FALSE },
  };
  g_autoptr(SoupSession) session = new_session ();
  Overall o = { progress, user_data, 0, G_N_ELEMENTS (files) };
  const char *rev = revision != NULL ? revision : "main";

  g_return_val_if_fail (model_id != NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autofree char *path = NULL;
      gboolean not_found = FALSE;

      o.index = i;
      path = download_file (session, options, model_id, rev, files[i].name, cancellable,
                            overall_progress, &o, &not_found, &e);
      if (path != NULL)
        continue;
      if (not_found && !files[i].required)
        continue;
      if (not_found && i == 0)
        {
          /* is there a pickle checkpoint instead? */
          g_autofree char *bin = gb_hub_file_url (options, model_id, rev, "pytorch_model.bin");
          g_autoptr(GError) e2 = NULL;
          Fetch f = { "pytorch_model.bin", NULL, FALSE, NULL, NULL };
          if (fetch_once (session, &f, bin, NULL, TRUE, cancellable, &e2) == FETCH_OK)
            {
              g_free (f.expected);
              g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "%s@%s has no model.safetensors, only pytorch_model.bin. Glassbox does "
                           "not load PyTorch pickle files: unpickling can run arbitrary code. "
                           "Convert it where you trust the file, with Python: "
                           "from transformers import AutoModelForSequenceClassification as M; "
                           "M.from_pretrained(\"%s\").save_pretrained(\"DIR\", "
                           "safe_serialization=True) — then use Import folder… on DIR",
                           model_id, rev, model_id);
              return NULL;
            }
          g_free (f.expected);
        }
      g_propagate_error (error, g_steal_pointer (&e));
      return NULL;
    }
  if (progress != NULL)
    progress (1.0, "Download complete", user_data);
  return gb_hub_cache_folder (options, model_id, rev);
}
