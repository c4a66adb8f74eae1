/* gb-common.h — shared types of the Glassbox engine: error domains, progress
 * callbacks, version information.  No GTK here, ever. */
#pragma once

#include <glib.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * GbProgressFunc:
 * @fraction: progress in [0, 1], or a negative value when unknown
 * @message: (nullable): a short translated description of the current step
 * @user_data: the closure given with the callback
 *
 * Called by long engine operations from the thread they run on (never the
 * main thread in the app).  It must be cheap and thread-safe; the app
 * forwards it to the main context with g_main_context_invoke().
 */
typedef void (*GbProgressFunc) (double fraction, const char *message, gpointer user_data);

/* Error domains, one per engine folder. */
#define GB_DATA_ERROR     (gb_data_error_quark ())
#define GB_MODEL_ERROR    (gb_model_error_quark ())
#define GB_STATS_ERROR    (gb_stats_error_quark ())
#define GB_EXPLAIN_ERROR  (gb_explain_error_quark ())
#define GB_FAIRNESS_ERROR (gb_fairness_error_quark ())
#define GB_CAUSAL_ERROR   (gb_causal_error_quark ())
#define GB_REPORT_ERROR   (gb_report_error_quark ())

GQuark gb_data_error_quark     (void);
GQuark gb_model_error_quark    (void);
GQuark gb_stats_error_quark    (void);
GQuark gb_explain_error_quark  (void);
GQuark gb_fairness_error_quark (void);
GQuark gb_causal_error_quark   (void);
GQuark gb_report_error_quark   (void);

/* Error codes shared by all domains. */
typedef enum {
  GB_ERROR_FAILED,          /* anything else */
  GB_ERROR_IO,              /* a file could not be read or written */
  GB_ERROR_PARSE,           /* malformed input (CSV, JSON, checkpoint) */
  GB_ERROR_INVALID_ARGUMENT,/* a bad option, unknown column, wrong type */
  GB_ERROR_NUMERIC,         /* singular matrix, no convergence, empty group */
  GB_ERROR_CANCELLED,       /* the user cancelled (prefer G_IO_ERROR_CANCELLED) */
} GbErrorCode;

/**
 * gb_version_string:
 *
 * Returns: (transfer none): the Glassbox version, e.g. "0.1.0".
 */
const char *gb_version_string (void);

/**
 * gb_library_versions:
 *
 * Returns: (transfer full): a newly allocated, NULL-terminated array of
 * "name version" strings for the libraries the engine was built and runs
 * with (GLib, OpenBLAS, GSL, Cairo, Pango, json-glib, libsoup).  Free with
 * g_strfreev().
 */
char **gb_library_versions (void);

/**
 * gb_set_blas_threads:
 * @n: number of OpenBLAS threads (>= 1)
 *
 * Sets the OpenBLAS thread count explicitly so BLAS threads and job-queue
 * threads do not oversubscribe the cores (DESIGN.md, Threads).
 */
void gb_set_blas_threads (int n);

/**
 * gb_sha256_file:
 * @path: file to hash
 * @error: return location for a #GError (GB_DATA_ERROR, GB_ERROR_IO)
 *
 * Returns: (transfer full) (nullable): lower-case hex sha256 of the file
 * contents, streamed in 64 KiB chunks, or %NULL with @error set.
 */
char *gb_sha256_file (const char *path, GError **error);

/**
 * gb_format_double:
 * @value: a number
 *
 * Returns: (transfer full): @value formatted locale-independently
 * (g_ascii_formatd) with the fewest of 15–17 significant digits that read
 * back to the same double ("9930.046", "0.1"), "NaN" for NaN.
 */
char *gb_format_double (double value);

/**
 * gb_examples_dir:
 *
 * Returns: (transfer none): the folder that holds the bundled examples
 * (`adult/adult.csv`, `lalonde/nsw_dw.csv`): $GB_EXAMPLES_DIR if set, else
 * the installed data folder if it exists, else the source tree's
 * data/examples (running from the build folder).
 */
const char *gb_examples_dir (void);

G_END_DECLS
