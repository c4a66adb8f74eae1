/* gb-hub.h — downloading checkpoints from the Hugging Face Hub (libsoup 3).
 *
 * URL layout (as huggingface_hub's hf_hub_url()):
 *   {base}/{model_id}/resolve/{revision}/{filename}
 * huggingface.co answers either 200 with the file (small files kept in git;
 * their ETag is the git blob sha1) or 302 to a CDN (files in Git LFS; the
 * redirect carries X-Linked-Etag, the sha256 of the content, and
 * X-Linked-Size).  Files are cached under
 *   $XDG_CACHE_HOME/glassbox/hub/{model_id}/{revision}/{filename}
 * and downloaded into {filename}.part first, so that an interrupted download
 * resumes with an HTTP Range request. */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

#define GB_HUB_DEFAULT_BASE_URL "https://huggingface.co"

/**
 * GbHubOptions:
 * @base_url: (nullable): the Hub's address; %NULL = $GB_HUB_BASE_URL if
 *   set, else %GB_HUB_DEFAULT_BASE_URL (tests point it at a local server)
 * @cache_dir: (nullable): the cache root; %NULL =
 *   g_get_user_cache_dir()/glassbox/hub ($XDG_CACHE_HOME)
 * @max_attempts: connections tried per file when the transfer breaks off
 *   (each attempt resumes where the last stopped); 0 = 4
 *
 * Settings of a download; all strings borrowed.
 */
typedef struct {
  const char *base_url;
  const char *cache_dir;
  guint max_attempts;
} GbHubOptions;

/**
 * gb_hub_parse_model_ref:
 * @ref: "MODEL_ID" or "MODEL_ID@REVISION", e.g.
 *   "distilbert/distilbert-base-uncased-finetuned-sst-2-english@main"
 * @model_id: (out) (transfer full): the model id ("owner/name" or "name")
 * @revision: (out) (transfer full): the revision, "main" when not given
 * @error: GB_MODEL_ERROR / GB_ERROR_INVALID_ARGUMENT naming what is wrong
 *
 * Model ids are one or two path segments of letters, digits, '-', '_' and
 * '.', not starting with '.' (the Hub's rule); revisions are branch or tag
 * names or commit hashes ('/' allowed, "..", "\" and spaces not).
 *
 * Returns: %TRUE when @ref is valid.
 */
gboolean gb_hub_parse_model_ref (const char *ref, char **model_id, char **revision,
                                 GError **error);

/**
 * gb_hub_file_url:
 *
 * Returns: (transfer full): {base}/{model_id}/resolve/{revision}/{filename},
 * the revision percent-encoded ("refs/pr/1" → "refs%2Fpr%2F1").
 */
char *gb_hub_file_url (const GbHubOptions *options, const char *model_id,
                       const char *revision, const char *filename);

/**
 * gb_hub_cache_folder:
 *
 * Returns: (transfer full): the folder where the files of @model_id at
 * @revision are cached ('/' in the revision becomes "--").
 */
char *gb_hub_cache_folder (const GbHubOptions *options, const char *model_id,
                           const char *revision);

/**
 * gb_hub_download_file:
 * @options: (nullable): settings (%NULL = defaults)
 * @model_id: a model id (see gb_hub_parse_model_ref())
 * @revision: (nullable): revision, %NULL = "main"
 * @filename: file in the repository, e.g. "model.safetensors"
 * @cancellable: (nullable): cancels the transfer; the partial file is kept
 *   for a later resume and G_IO_ERROR_CANCELLED is returned
 * @progress: (nullable): called with the fraction of this file received
 *   and a message "Downloading FILE: 12.5 of 438.0 MB"
 * @user_data: closure for @progress
 * @error: GB_MODEL_ERROR: GB_ERROR_IO naming the URL (404, other HTTP
 *   statuses, a transfer that kept breaking off; "Cannot reach HOST: … —
 *   check the connection or use Import folder…" when the Hub cannot be
 *   reached), GB_ERROR_PARSE naming the file and both hashes when the
 *   content does not match the Hub's ETag; G_IO_ERROR_CANCELLED
 *
 * A cached file is returned at once, without the network.  Otherwise the
 * file is fetched (redirects followed, up to 10), appended to
 * {filename}.part — resuming with "Range: bytes=N-" when a .part exists
 * or the connection drops, restarting when the server ignores the range —
 * then checked: a 64-hex-digit ETag (X-Linked-Etag first, else ETag, of
 * the Hub's first response) is the content's sha256, a 40-digit one its
 * git blob sha1 (sha1 of "blob LEN\0" + content); other ETags are not
 * checked.  On a mismatch the .part is deleted.  Finally renamed into the
 * cache.  Synchronous: run it on a worker thread.
 *
 * Returns: (transfer full) (nullable): the cached file's path.
 */
char *gb_hub_download_file (const GbHubOptions *options, const char *model_id,
                            const char *revision, const char *filename,
                            GCancellable *cancellable, GbProgressFunc progress,
                            gpointer user_data, GError **error);

/**
 * gb_hub_download_model:
 * @options, @model_id, @revision, @cancellable, @progress, @user_data:
 *   as gb_hub_download_file()
 * @error: as gb_hub_download_file(); a repository with only
 *   pytorch_model.bin is refused with the reason (pickle can run code)
 *   and how to convert it
 *
 * Downloads what gb_hf_checkpoint_open() reads: config.json, vocab.txt,
 * model.safetensors and, when the repository has it,
 * tokenizer_config.json.
 *
 * Returns: (transfer full) (nullable): the cache folder holding them.
 */
char *gb_hub_download_model (const GbHubOptions *options, const char *model_id,
                             const char *revision, GCancellable *cancellable,
                             GbProgressFunc progress, gpointer user_data, GError **error);

G_END_DECLS
