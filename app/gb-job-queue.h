/* gb-job-queue.h — runs engine work on a GThreadPool and reports back on the
 * main context (DESIGN.md, Threads). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * GbJob:
 *
 * One unit of work on a #GbJobQueue: a worker function that runs on a pool
 * thread, a #GCancellable, and progress and completion callbacks that run on
 * the main context the queue was created on.  Reference counted; the queue
 * holds a reference until the completion callback has run.
 */
typedef struct _GbJob GbJob;

/**
 * GbJobFunc:
 * @job: the job
 * @task_data: the data given to gb_job_queue_push()
 * @cancellable: the job's cancellable; pass it to the engine
 * @error: return location for the failure
 *
 * Runs on a pool thread.  Must not touch GTK.  Report progress with
 * gb_job_report_progress() (or pass gb_job_progress_cb and @job to an engine
 * function) and hand the result over with gb_job_set_result().
 *
 * Returns: %TRUE on success, %FALSE with @error set.
 */
typedef gboolean (*GbJobFunc) (GbJob *job, gpointer task_data, GCancellable *cancellable,
                               GError **error);

/* Runs on the main context, coalesced: only the latest value is delivered. */
typedef void (*GbJobProgressFunc) (GbJob *job, double fraction, const char *message,
                                   gpointer user_data);

/**
 * GbJobDoneFunc:
 * @job: the job; gb_job_get_result() holds the worker's result
 * @error: (nullable): the failure (G_IO_ERROR_CANCELLED when cancelled)
 * @user_data: the closure given to gb_job_queue_push()
 *
 * Runs once on the main context, unless the queue was shut down first.
 */
typedef void (*GbJobDoneFunc) (GbJob *job, const GError *error, gpointer user_data);

GbJob        *gb_job_ref              (GbJob *job);
void          gb_job_unref            (GbJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbJob, gb_job_unref)

/* (transfer none) */
const char   *gb_job_get_name         (GbJob *job);
/* (transfer none) */
GCancellable *gb_job_get_cancellable  (GbJob *job);
/* (transfer none) */
gpointer      gb_job_get_task_data    (GbJob *job);
void          gb_job_cancel           (GbJob *job);
gboolean      gb_job_is_finished      (GbJob *job);

/* Any thread.  @fraction in [0, 1] or negative when unknown. */
void          gb_job_report_progress  (GbJob *job, double fraction, const char *message);
/* A #GbProgressFunc that forwards to gb_job_report_progress(); pass the job as user data. */
void          gb_job_progress_cb      (double fraction, const char *message, gpointer job);

/* Worker thread: hands @result (transfer full) to the completion callback. */
void          gb_job_set_result       (GbJob *job, gpointer result, GDestroyNotify result_free);
/* Main thread, in or after the completion callback: (transfer none). */
gpointer      gb_job_get_result       (GbJob *job);
/* Main thread: takes the result out of the job: (transfer full). */
gpointer      gb_job_steal_result     (GbJob *job);

#define GB_TYPE_JOB_QUEUE (gb_job_queue_get_type ())
G_DECLARE_FINAL_TYPE (GbJobQueue, gb_job_queue, GB, JOB_QUEUE, GObject)

/**
 * gb_job_queue_new:
 * @max_threads: pool threads (1 or 2)
 *
 * Creates a queue bound to the thread-default main context of the caller.
 * The property #GbJobQueue:busy is %TRUE while any job is queued or running.
 *
 * Returns: (transfer full): the queue
 */
GbJobQueue *gb_job_queue_new          (guint max_threads);

/**
 * gb_job_queue_push:
 * @self: the queue
 * @name: a name for debugging (e.g. "load-csv")
 * @func: the worker
 * @task_data: (transfer full): data for the worker, freed with
 *   @task_data_free on the main context after the completion callback
 * @progress: (nullable): progress callback (main context)
 * @done: (nullable): completion callback (main context)
 * @user_data: closure for @progress and @done
 *
 * Returns: (transfer none): the job, alive at least until @done has run
 */
GbJob      *gb_job_queue_push         (GbJobQueue *self, const char *name, GbJobFunc func,
                                       gpointer task_data, GDestroyNotify task_data_free,
                                       GbJobProgressFunc progress, GbJobDoneFunc done,
                                       gpointer user_data);

gboolean    gb_job_queue_is_busy      (GbJobQueue *self);
guint       gb_job_queue_get_n_jobs   (GbJobQueue *self);
guint       gb_job_queue_get_max_threads (GbJobQueue *self);
void        gb_job_queue_cancel_all   (GbJobQueue *self);

/**
 * gb_job_queue_shutdown:
 * @self: the queue
 *
 * Cancels every job, waits for the pool threads to return (engine work stops
 * within one step of a cancel) and guarantees that no progress or completion
 * callback runs afterwards, so their closures may be freed.  Pushing after a
 * shutdown is an error.  Called from the owner's dispose.
 */
void        gb_job_queue_shutdown     (GbJobQueue *self);

G_END_DECLS
