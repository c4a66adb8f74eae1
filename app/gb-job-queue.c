/* gb-job-queue.c — a GThreadPool-backed job queue.
 *
 * Workers run on pool threads.  Progress is coalesced: a worker stores the
 * latest value under a mutex and schedules one idle on the main context
 * while none is pending.  Completion is delivered by an idle source on the
 * context the queue was created on.
 * The queue keeps its own reference on every job until the completion idle
 * ran, and gb_job_queue_shutdown() silences every callback, so a result that
 * arrives after the window is gone is dropped rather than delivered. */
#include "gb-job-queue.h"

struct _GbJob {
  char *name;
  GbJobQueue *queue;          /* weak: cleared when the queue finalizes */
  GCancellable *cancellable;

  GbJobFunc func;
  gpointer task_data;
  GDestroyNotify task_data_free;
  GbJobProgressFunc progress;
  GbJobDoneFunc done;
  gpointer user_data;

  /* written by the worker, read on the main context after it finished */
  gpointer result;
  GDestroyNotify result_free;
  GError *error;

  /* progress hand-over (any thread) */
  GMutex lock;
  double progress_fraction;
  char *progress_message;
  gboolean progress_pending;

  /* main context only */
  gboolean finished;
  gboolean silenced;
};

struct _GbJobQueue {
  GObject parent_instance;

  GThreadPool *pool;
  GMainContext *context;
  guint max_threads;
  GQueue jobs;                /* (element-type GbJob) active jobs, main context only */
  gboolean shut_down;
};

G_DEFINE_FINAL_TYPE (GbJobQueue, gb_job_queue, G_TYPE_OBJECT)

enum { PROP_0, PROP_BUSY, PROP_N_JOBS, N_PROPS };
static GParamSpec *props[N_PROPS];

/* ---- GbJob ---------------------------------------------------------------- */

static void
gb_job_free (gpointer data)
{
  GbJob *job = data;

  if (job->result_free != NULL && job->result != NULL)
    job->result_free (job->result);
  if (job->task_data_free != NULL && job->task_data != NULL)
    job->task_data_free (job->task_data);
  g_clear_error (&job->error);
  g_clear_object (&job->cancellable);
  g_free (job->progress_message);
  g_mutex_clear (&job->lock);
  g_free (job->name);
}

GbJob *
gb_job_ref (GbJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);
  return g_atomic_rc_box_acquire (job);
}

void
gb_job_unref (GbJob *job)
{
  g_return_if_fail (job != NULL);
  g_atomic_rc_box_release_full (job, gb_job_free);
}

const char *
gb_job_get_name (GbJob *job)
{
  return job->name;
}

GCancellable *
gb_job_get_cancellable (GbJob *job)
{
  return job->cancellable;
}

gpointer
gb_job_get_task_data (GbJob *job)
{
  return job->task_data;
}

void
gb_job_cancel (GbJob *job)
{
  g_return_if_fail (job != NULL);
  g_cancellable_cancel (job->cancellable);
}

gboolean
gb_job_is_finished (GbJob *job)
{
  return job->finished;
}

static gboolean
progress_idle (gpointer data)
{
  GbJob *job = data;
  double fraction;
  char *message;

  g_mutex_lock (&job->lock);
  fraction = job->progress_fraction;
  message = g_steal_pointer (&job->progress_message);
  job->progress_pending = FALSE;
  g_mutex_unlock (&job->lock);

  if (!job->finished && !job->silenced && job->progress != NULL
      && !g_cancellable_is_cancelled (job->cancellable))
    job->progress (job, fraction, message, job->user_data);

  g_free (message);
  return G_SOURCE_REMOVE;
}

void
gb_job_report_progress (GbJob *job, double fraction, const char *message)
{
  gboolean schedule;
  GMainContext *context;

  g_return_if_fail (job != NULL);

  if (job->progress == NULL || job->queue == NULL)
    return;
  context = job->queue->context;

  g_mutex_lock (&job->lock);
  job->progress_fraction = fraction;
  if (message != NULL)
    {
      g_free (job->progress_message);
      job->progress_message = g_strdup (message);
    }
  schedule = !job->progress_pending;
  job->progress_pending = TRUE;
  g_mutex_unlock (&job->lock);

  if (schedule)
    {
      GSource *source = g_idle_source_new ();
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, progress_idle, gb_job_ref (job),
                             (GDestroyNotify) gb_job_unref);
      g_source_set_static_name (source, "[glassbox] job progress");
      g_source_attach (source, context);
      g_source_unref (source);
    }
}

void
gb_job_progress_cb (double fraction, const char *message, gpointer job)
{
  gb_job_report_progress (job, fraction, message);
}

void
gb_job_set_result (GbJob *job, gpointer result, GDestroyNotify result_free)
{
  g_return_if_fail (job != NULL);

  if (job->result_free != NULL && job->result != NULL)
    job->result_free (job->result);
  job->result = result;
  job->result_free = result_free;
}

gpointer
gb_job_get_result (GbJob *job)
{
  return job->result;
}

gpointer
gb_job_steal_result (GbJob *job)
{
  job->result_free = NULL;
  return g_steal_pointer (&job->result);
}

/* ---- the queue ------------------------------------------------------------ */

static void
notify_counts (GbJobQueue *self, guint before, guint after)
{
  if ((before > 0) != (after > 0))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
  if (before != after)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_JOBS]);
}

/* Main context: the job's completion. */
static gboolean
job_done_idle (gpointer data)
{
  GbJob *job = data;
  GbJobQueue *self = NULL;
  gboolean owned = FALSE;
  guint before = 0;

  job->finished = TRUE;

  /* Leave the queue first, so the callback sees it idle (and may push). */
  if (job->queue != NULL && !job->silenced)
    {
      self = g_object_ref (job->queue);
      before = self->jobs.length;
      owned = g_queue_remove (&self->jobs, job);
    }

  if (!job->silenced && job->done != NULL)
    job->done (job, job->error, job->user_data);

  /* Free the task data now, on the main context. */
  if (job->task_data_free != NULL && job->task_data != NULL)
    job->task_data_free (g_steal_pointer (&job->task_data));

  if (self != NULL)
    {
      if (owned)
        {
          /* Observers last saw @before jobs; the callback may have pushed. */
          notify_counts (self, before, self->jobs.length);
          gb_job_unref (job);   /* the queue's reference */
        }
      g_object_unref (self);
    }

  return G_SOURCE_REMOVE;
}

/* Always through an idle source: g_main_context_invoke() would run the
 * callback right here on the worker thread whenever the main context
 * happens to be free (e.g. while the main thread waits in shutdown). */
static void
schedule_done (GMainContext *context, GbJob *job /* (transfer full) */)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, job_done_idle, job, (GDestroyNotify) gb_job_unref);
  g_source_set_static_name (source, "[glassbox] job done");
  g_source_attach (source, context);
  g_source_unref (source);
}

/* Pool thread. */
static void
run_job (gpointer data, gpointer pool_data)
{
  GbJob *job = data;   /* (transfer full) from gb_job_queue_push */
  GMainContext *context = pool_data;
  GError *error = NULL;
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (job->cancellable, &error))
    ok = FALSE;
  else
    ok = job->func (job, job->task_data, job->cancellable, &error);

  if (!ok && error == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed", job->name);
  if (ok)
    g_clear_error (&error);
  job->error = error;

  schedule_done (context, job);
}

GbJob *
gb_job_queue_push (GbJobQueue *self, const char *name, GbJobFunc func,
                   gpointer task_data, GDestroyNotify task_data_free,
                   GbJobProgressFunc progress, GbJobDoneFunc done, gpointer user_data)
{
  GbJob *job;
  GError *error = NULL;
  guint before;

  g_return_val_if_fail (GB_IS_JOB_QUEUE (self), NULL);
  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (!self->shut_down, NULL);

  job = g_atomic_rc_box_new0 (GbJob);
  job->name = g_strdup (name != NULL ? name : "job");
  job->queue = self;
  job->cancellable = g_cancellable_new ();
  job->func = func;
  job->task_data = task_data;
  job->task_data_free = task_data_free;
  job->progress = progress;
  job->done = done;
  job->user_data = user_data;
  job->progress_fraction = -1;
  g_mutex_init (&job->lock);

  before = self->jobs.length;
  g_queue_push_tail (&self->jobs, job);     /* the queue's reference */
  notify_counts (self, before, self->jobs.length);

  if (!g_thread_pool_push (self->pool, gb_job_ref (job), &error))
    {
      /* Could not start a thread: fail the job on the main context. */
      job->error = error;
      schedule_done (self->context, gb_job_ref (job));
      gb_job_unref (job);   /* the reference the pool did not take */
    }

  return job;
}

gboolean
gb_job_queue_is_busy (GbJobQueue *self)
{
  g_return_val_if_fail (GB_IS_JOB_QUEUE (self), FALSE);
  return self->jobs.length > 0;
}

guint
gb_job_queue_get_n_jobs (GbJobQueue *self)
{
  g_return_val_if_fail (GB_IS_JOB_QUEUE (self), 0);
  return self->jobs.length;
}

guint
gb_job_queue_get_max_threads (GbJobQueue *self)
{
  g_return_val_if_fail (GB_IS_JOB_QUEUE (self), 0);
  return self->max_threads;
}

void
gb_job_queue_cancel_all (GbJobQueue *self)
{
  g_return_if_fail (GB_IS_JOB_QUEUE (self));

  for (GList *l = self->jobs.head; l != NULL; l = l->next)
    gb_job_cancel (l->data);
}

void
gb_job_queue_shutdown (GbJobQueue *self)
{
  guint before;

  g_return_if_fail (GB_IS_JOB_QUEUE (self));

  if (self->shut_down)
    return;
  self->shut_down = TRUE;

  gb_job_queue_cancel_all (self);

  /* Wait for the running job (cancelled: it returns within one step) and
   * let the queued ones run their cancelled no-op. */
  g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);

  /* Pending completion idles still hold their own reference; they will
   * free the task data but call nobody. */
  before = self->jobs.length;
  while (!g_queue_is_empty (&self->jobs))
    {
      GbJob *job = g_queue_pop_head (&self->jobs);
      job->silenced = TRUE;
      job->queue = NULL;
      gb_job_unref (job);
    }
  notify_counts (self, before, self->jobs.length);
}

static void
gb_job_queue_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GbJobQueue *self = GB_JOB_QUEUE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, gb_job_queue_is_busy (self));
      break;
    case PROP_N_JOBS:
      g_value_set_uint (value, self->jobs.length);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gb_job_queue_dispose (GObject *object)
{
  gb_job_queue_shutdown (GB_JOB_QUEUE (object));
  G_OBJECT_CLASS (gb_job_queue_parent_class)->dispose (object);
}

static void
gb_job_queue_finalize (GObject *object)
{
  GbJobQueue *self = GB_JOB_QUEUE (object);

  g_main_context_unref (self->context);
  G_OBJECT_CLASS (gb_job_queue_parent_class)->finalize (object);
}

static void
gb_job_queue_class_init (GbJobQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gb_job_queue_get_property;
  object_class->dispose = gb_job_queue_dispose;
  object_class->finalize = gb_job_queue_finalize;

  props[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_N_JOBS] = g_param_spec_uint ("n-jobs", NULL, NULL, 0, G_MAXUINT, 0,
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
gb_job_queue_init (GbJobQueue *self)
{
  g_queue_init (&self->jobs);
}

GbJobQueue *
gb_job_queue_new (guint max_threads)
{
  GbJobQueue *self = g_object_new (GB_TYPE_JOB_QUEUE, NULL);
  GError *error = NULL;

  self->max_threads = CLAMP (max_threads, 1, 2);
  self->context = g_main_context_ref_thread_default ();
  self->pool = g_thread_pool_new (run_job, self->context, (int) self->max_threads,
                                  FALSE, &error);
  if (self->pool == NULL)
    g_error ("Cannot create the job thread pool: %s", error->message);

  return self;
}
