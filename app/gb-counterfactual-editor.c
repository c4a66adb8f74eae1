/* gb-counterfactual-editor.c — see gb-counterfactual-editor.h. */
#include "gb-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gb-counterfactual-editor.h"
#include "gb-job-queue.h"

struct _GbCounterfactualEditor {
  GtkBox parent_instance;

  GbAudit *audit;                  /* (owned) */
  GbModel *model;                  /* (owned) */
  GbDataset *dataset;              /* (owned) */
  GArray *rows;                    /* (gsize) the held-out rows */
  char **class_names;              /* (owned) */
  GtkTextBuffer *buffer;
  GtkButton *button;
  GtkLabel *status;
  GbJobQueue *queue;               /* (owned) one worker; joined on dispose */
  GbJob *job;                      /* (owned) (nullable) while busy */
  GbCounterfactualResult *result;  /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (GbCounterfactualEditor, gb_counterfactual_editor, GTK_TYPE_BOX)

/* About three significant digits, locale-independent; "+" on positive changes. */
static char *
fmt_sig (double v, gboolean plus)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isnan (v))
    return g_strdup ("n/a");
  g_ascii_formatd (buf, sizeof buf, "%.3g", v);
  return g_strdup_printf ("%s%s", plus && v > 0 ? "+" : "", buf);
}

static char *
fmt_p (double p)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isnan (p))
    return g_strdup ("n/a");
  if (p < 0.001)
    return g_strdup ("< 0.001");
  g_ascii_formatd (buf, sizeof buf, "%.3f", p);
  return g_strdup_printf ("= %s", buf);
}

char *
gb_counterfactual_sentences (const GbCounterfactualResult *cf, const char *const *class_names)
{
  GString *out = g_string_new (NULL);
  const char *cls = class_names != NULL && cf->class_index < g_strv_length ((char **) class_names)
    ? class_names[cf->class_index] : "?";

  for (guint i = 0; i < cf->directions->len; i++)
    {
      const GbCounterfactualDirection *d = g_ptr_array_index (cf->directions, i);
      if ((cf->directions->len > 1 && d->direction == GB_PAIR_SWAP) || d->n_rows == 0)
        continue;
      g_autofree char *change = fmt_sig (d->mean_change, TRUE);
      g_autofree char *lo = fmt_sig (d->ci_low, FALSE);
      g_autofree char *hi = fmt_sig (d->ci_high, FALSE);
      g_autofree char *p = fmt_p (d->t_p_value);
      g_autofree char *n = g_strdup_printf ("%" G_GSIZE_FORMAT, d->n_rows);
      char pbuf[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *pct = g_strdup_printf ("%s %%", g_ascii_formatd (pbuf, sizeof pbuf, "%.1f",
                                                                        100.0 * d->flip_rate));
      g_autofree char *s = NULL;
      if (d->direction == GB_PAIR_SWAP)
        s = g_strdup_printf (_("Swapping the terms of the list “%s” changes the predicted "
                               "probability of “%s” by %s on average (95 %% CI %s to %s, paired "
                               "t-test p %s) over %s texts; %s of predictions flip."),
                             cf->pair_list, cls, change, lo, hi, p, n, pct);
      else
        s = g_strdup_printf (_("Replacing %s terms by %s terms changes the predicted probability "
                               "of “%s” by %s on average (95 %% CI %s to %s, paired t-test p %s) "
                               "over %s texts; %s of predictions flip."),
                             d->direction == GB_PAIR_B_TO_A ? cf->group_b : cf->group_a,
                             d->direction == GB_PAIR_B_TO_A ? cf->group_a : cf->group_b,
                             cls, change, lo, hi, p, n, pct);
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, s);
    }
  return g_string_free (out, FALSE);
}

/* ---- the recomputation, on a worker thread ---- */

typedef struct {
  GbModel *model;
  GbDataset *dataset;
  GbPairList *pairs;
  GArray *rows;
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->model);
  g_object_unref (job->dataset);
  gb_pair_list_free (job->pairs);
  g_array_unref (job->rows);
  g_free (job);
}

static gboolean
run_job (GbJob *gb_job, gpointer data, GCancellable *cancellable, GError **error)
{
  Job *job = data;
  GbCounterfactualResult *res = gb_counterfactual_run (job->model, job->dataset, job->pairs,
                                                       (const gsize *) job->rows->data,
                                                       job->rows->len, -1, 5, cancellable,
                                                       error);
  if (res == NULL)
    return FALSE;
  gb_job_set_result (gb_job, res, (GDestroyNotify) gb_counterfactual_result_free);
  return TRUE;
}

static void
set_status (GbCounterfactualEditor *self, const char *text, gboolean error)
{
  gtk_label_set_text (self->status, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
}

/* Main thread; never called after the editor's dispose (the queue is shut down). */
static void
job_done (GbJob *job, const GError *error, gpointer user_data)
{
  GbCounterfactualEditor *self = user_data;
  GbCounterfactualResult *res = error == NULL ? gb_job_steal_result (job) : NULL;

  g_clear_pointer (&self->job, gb_job_unref);
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), TRUE);
  if (res == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, error->message, TRUE);
    }
  else
    {
      g_autofree char *text = gb_counterfactual_sentences (res, (const char *const *) self->class_names);
      g_clear_pointer (&self->result, gb_counterfactual_result_free);
      self->result = res;
      set_status (self, *text ? text : _("No held-out text contains a term of this list."),
                  FALSE);
    }
}

static void
on_recompute (GbCounterfactualEditor *self)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GbPairList *pairs;

  if (self->job != NULL)
    return;
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  text = gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
  pairs = gb_pair_list_parse (text, -1, _("edited list"), _("pair list"), &error);
  if (pairs == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }
  Job *job = g_new0 (Job, 1);
  job->model = g_object_ref (self->model);
  job->dataset = g_object_ref (self->dataset);
  job->pairs = pairs;
  job->rows = g_array_ref (self->rows);
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), FALSE);
  set_status (self, _("Substituting identity terms in the held-out texts…"), FALSE);
  self->job = gb_job_ref (gb_job_queue_push (self->queue, "counterfactual", run_job, job,
                                             (GDestroyNotify) job_free, NULL, job_done, self));
}

static void
gb_counterfactual_editor_dispose (GObject *object)
{
  GbCounterfactualEditor *self = GB_COUNTERFACTUAL_EDITOR (object);
  /* cancel a running recomputation and wait for it: no worker outlives the editor */
  g_clear_pointer (&self->job, gb_job_unref);
  if (self->queue != NULL)
    gb_job_queue_shutdown (self->queue);
  g_clear_object (&self->queue);
  G_OBJECT_CLASS (gb_counterfactual_editor_parent_class)->dispose (object);
}

static void
gb_counterfactual_editor_finalize (GObject *object)
{
  GbCounterfactualEditor *self = GB_COUNTERFACTUAL_EDITOR (object);
  g_clear_object (&self->audit);
  g_clear_object (&self->model);
  g_clear_object (&self->dataset);
  g_clear_pointer (&self->rows, g_array_unref);
  g_strfreev (self->class_names);
  g_clear_pointer (&self->result, gb_counterfactual_result_free);
  G_OBJECT_CLASS (gb_counterfactual_editor_parent_class)->finalize (object);
}

static void
gb_counterfactual_editor_class_init (GbCounterfactualEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = gb_counterfactual_editor_dispose;
  object_class->finalize = gb_counterfactual_editor_finalize;
}

static void
gb_counterfactual_editor_init (GbCounterfactualEditor *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  self->rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->queue = gb_job_queue_new (1);
}

/* The text of the audit's first pair list file, or of the built-in gender list. */
static char *
initial_text (const GbAuditSettings *s)
{
  const char *first = s->counterfactual_pairs && s->counterfactual_pairs[0]
    ? s->counterfactual_pairs[0] : "gender";
  g_autofree char *path = NULL;
  char *text = NULL;
  if (g_file_test (first, G_FILE_TEST_IS_REGULAR))
    path = g_strdup (first);
  else
    {
      g_autofree char *base = g_str_has_suffix (first, ".txt") ? g_strdup (first)
                                                                : g_strconcat (first, ".txt", NULL);
      path = g_build_filename (gb_counterfactual_data_dir (), base, NULL);
    }
  if (!g_file_get_contents (path, &text, NULL, NULL))
    text = g_strdup ("@groups\tmale\tfemale\nhe\tshe\nhim\ther\nhis\ther\nman\twoman\n");
  return text;
}

GtkWidget *
gb_counterfactual_editor_new (GbAudit *audit)
{
  g_return_val_if_fail (GB_IS_AUDIT (audit), NULL);
  GbCounterfactualEditor *self = g_object_new (GB_TYPE_COUNTERFACTUAL_EDITOR, NULL);
  const GbAuditResults *r = gb_audit_get_results (audit);
  GbModel *model = gb_audit_get_model (audit);
  GbDataset *ds = gb_audit_get_dataset (audit);

  self->audit = g_object_ref (audit);
  self->model = model ? g_object_ref (model) : NULL;
  self->dataset = ds ? g_object_ref (ds) : NULL;
  self->class_names = r ? g_strdupv (r->class_names) : NULL;
  for (gsize i = 0; r && r->split && i < r->n_rows; i++)
    if (r->split[i] == 1)
      g_array_append_val (self->rows, i);

  /* the audit's findings */
  for (guint l = 0; r && r->counterfactual && l < r->counterfactual->len; l++)
    {
      g_autofree char *text = gb_counterfactual_sentences (g_ptr_array_index (r->counterfactual, l),
                                                           (const char *const *) self->class_names);
      GtkWidget *label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (self), label);
    }

  /* the editable list */
  GtkWidget *expander = gtk_expander_new (_("Edit the pair list and recompute"));
  GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *hint = gtk_label_new (_("One pair per line, the two terms separated by a tab; "
                                     "lines starting with # are comments; an optional "
                                     "“@groups<TAB>A<TAB>B” line names the two groups."));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *text = initial_text (gb_audit_get_settings (audit));

  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Identity-term pair list"), -1);
  self->buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_set_text (self->buffer, text, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 180);
  gtk_widget_add_css_class (scroller, "card");

  self->button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Recompute")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button),
                               _("Substitute the terms of this list in the held-out texts and "
                                 "compare the model's predictions"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), self->model != NULL
                                                       && gb_model_get_text_column (self->model)
                                                       && self->rows->len > 0);
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (on_recompute), self);
  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_selectable (self->status, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->button), GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (actions), GTK_WIDGET (self->button));
  gtk_box_append (GTK_BOX (actions), GTK_WIDGET (self->status));

  gtk_box_append (GTK_BOX (inner), hint);
  gtk_box_append (GTK_BOX (inner), scroller);
  gtk_box_append (GTK_BOX (inner), actions);
  gtk_widget_set_margin_top (inner, 8);
  gtk_expander_set_child (GTK_EXPANDER (expander), inner);
  gtk_box_append (GTK_BOX (self), expander);
  return GTK_WIDGET (self);
}

GtkTextBuffer *
gb_counterfactual_editor_get_buffer (GbCounterfactualEditor *self)
{
  return self->buffer;
}

GtkButton *
gb_counterfactual_editor_get_button (GbCounterfactualEditor *self)
{
  return self->button;
}

GtkLabel *
gb_counterfactual_editor_get_status (GbCounterfactualEditor *self)
{
  return self->status;
}

const GbCounterfactualResult *
gb_counterfactual_editor_get_result (GbCounterfactualEditor *self)
{
  return self->result;
}

gboolean
gb_counterfactual_editor_is_busy (GbCounterfactualEditor *self)
{
  return self->job != NULL;
}
