/* gb-report-pane.c — the Report pane: every chart of the audit, drawn by the
 * same engine/plot painters as the PDF report, in GbChartViews, plus the
 * numbers behind them; Export PDF… and Export JSON… act on win.export-*. */
#include "gb-config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "gb-report-pane.h"
#include "gb-report-pane-private.h"
#include "gb-chart-view.h"

struct _GbReportPane {
  AdwBin parent_instance;

  /* template children */
  GtkStack *stack;
  GtkScrolledWindow *scroller;
  GtkLabel *subtitle_label;
  GtkBox *sections_box;

  GbAudit *audit;     /* (owned) (nullable) */
  guint n_charts;
};

G_DEFINE_FINAL_TYPE (GbReportPane, gb_report_pane, ADW_TYPE_BIN)

/* ---- painters ------------------------------------------------------------- */

typedef enum {
  CHART_ROC,
  CHART_IG_HEATMAP,
  CHART_IG_GLOBAL,
  CHART_FAIRNESS,
  CHART_FOREST,
} ChartKind;

typedef struct {
  GbAudit *audit;
  ChartKind kind;
  guint index;
} ChartData;

static void
chart_data_free (gpointer data)
{
  ChartData *chart = data;
  g_clear_object (&chart->audit);
  g_free (chart);
}

static int
compare_desc (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const double *values = user_data;
  double va = values[*(const guint *) a], vb = values[*(const guint *) b];
  return (va < vb) - (va > vb);
}

static void
draw_ig_heatmap (cairo_t *cr, double width, double height, const GbIgResult *ig)
{
  g_autofree double *values = g_new0 (double, MAX (1, ig->n_rows * ig->n_features));
  g_autoptr(GPtrArray) row_labels = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < ig->n_rows; i++)
    {
      g_ptr_array_add (row_labels, g_strdup_printf (_("row %zu (p = %.2f)"),
                                                    (size_t) ig->rows[i].row,
                                                    ig->rows[i].prediction));
      memcpy (values + i * ig->n_features, ig->rows[i].attributions,
              ig->n_features * sizeof (double));
    }
  gb_plot_heatmap_draw (cr, width, height, _("Integrated gradients per explained row"),
                        (const char *const *) row_labels->pdata, ig->n_rows,
                        (const char *const *) ig->feature_names, ig->n_features, values);
}

static void
draw_ig_global (cairo_t *cr, double width, double height, const GbIgResult *ig)
{
  g_autofree guint *order = g_new (guint, MAX (1, ig->n_features));
  g_autofree const char **labels = g_new0 (const char *, ig->n_features + 1);
  g_autofree double *values = g_new0 (double, MAX (1, ig->n_features));

  for (guint i = 0; i < ig->n_features; i++)
    order[i] = i;
  g_qsort_with_data (order, (int) ig->n_features, sizeof (guint), compare_desc, ig->global);
  for (guint i = 0; i < ig->n_features; i++)
    {
      labels[i] = ig->feature_names[order[i]];
      values[i] = ig->global[order[i]];
    }
  gb_plot_bar_draw (cr, width, height, _("Global importance"), labels, values, ig->n_features,
                    _("mean |attribution|"));
}

static void
draw_fairness (cairo_t *cr, double width, double height, const GbFairnessResult *f)
{
  const char *series[] = { _("selection rate"), _("TPR"), _("FPR"), _("PPV") };
  g_autofree const char **groups = g_new0 (const char *, f->n_groups + 1);
  g_autofree double *values = g_new0 (double, MAX (1, f->n_groups * G_N_ELEMENTS (series)));
  g_autofree char *title = g_strdup_printf (_("Fairness by %s (held-out rows)"), f->attribute);

  for (guint g = 0; g < f->n_groups; g++)
    {
      const GbGroupRates *r = &f->groups[g];
      groups[g] = r->group;
      values[g * 4 + 0] = r->selection_rate;
      values[g * 4 + 1] = r->tpr;
      values[g * 4 + 2] = r->fpr;
      values[g * 4 + 3] = r->ppv;
    }
  gb_plot_grouped_bar_draw (cr, width, height, title, groups, f->n_groups,
                            series, G_N_ELEMENTS (series), values);
}

static char *
estimate_label (const GbEstimate *e)
{
  return g_strdup_printf ("%s (%s)", e->method, e->estimand);
}

static void
draw_forest (cairo_t *cr, double width, double height, const GbAuditResults *r)
{
  guint n = r->estimates->len;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *est = g_new0 (double, MAX (1, n));
  g_autofree double *lo = g_new0 (double, MAX (1, n));
  g_autofree double *hi = g_new0 (double, MAX (1, n));
  g_autofree char *axis = g_strdup_printf (_("effect on %s"),
                                           r->outcome_description != NULL
                                             ? r->outcome_description : _("the outcome"));
  g_autofree char *title = g_strdup_printf (_("Effect of %s"),
                                            r->treatment_description != NULL
                                              ? r->treatment_description : _("the treatment"));

  for (guint i = 0; i < n; i++)
    {
      const GbEstimate *e = &g_array_index (r->estimates, GbEstimate, i);
      g_ptr_array_add (labels, estimate_label (e));
      est[i] = e->estimate;
      lo[i] = e->ci_low;
      hi[i] = e->ci_high;
    }
  gb_plot_forest_draw (cr, width, height, title, (const char *const *) labels->pdata,
                       est, lo, hi, n, 0.0, axis);
}

static void
draw_chart (cairo_t *cr, double width, double height, gpointer data)
{
  ChartData *chart = data;
  const GbAuditResults *r = gb_audit_get_results (chart->audit);

  if (r == NULL)
    return;

  switch (chart->kind)
    {
    case CHART_ROC:
      if (r->has_model && r->roc_len > 0)
        gb_plot_roc_draw (cr, width, height, _("ROC curve (held-out rows)"),
                          r->roc_fpr, r->roc_tpr, r->roc_len, r->roc_auc);
      break;
    case CHART_IG_HEATMAP:
      if (r->integrated_gradients != NULL)
        draw_ig_heatmap (cr, width, height, r->integrated_gradients);
      break;
    case CHART_IG_GLOBAL:
      if (r->integrated_gradients != NULL)
        draw_ig_global (cr, width, height, r->integrated_gradients);
      break;
    case CHART_FAIRNESS:
      if (r->fairness != NULL && chart->index < r->fairness->len)
        draw_fairness (cr, width, height, g_ptr_array_index (r->fairness, chart->index));
      break;
    case CHART_FOREST:
      if (r->has_causal && r->estimates != NULL && r->estimates->len > 0)
        draw_forest (cr, width, height, r);
      break;
    default:
      break;
    }
}

/* ---- building the page ---------------------------------------------------- */

static GtkWidget *
add_section (GbReportPane *self, const char *title, const char *description)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *flow;

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "title-2");
  gtk_box_append (GTK_BOX (box), heading);

  if (description != NULL)
    {
      GtkWidget *label = gtk_label_new (description);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }

  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 2);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 18);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 18);
  gtk_widget_add_css_class (flow, "report-charts");
  gtk_box_append (GTK_BOX (box), flow);

  gtk_box_append (self->sections_box, box);
  return flow;
}

static void
add_chart (GbReportPane *self, GtkWidget *flow, ChartKind kind, guint index, int height,
           const char *caption, const char *tooltip)
{
  ChartData *data = g_new0 (ChartData, 1);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *chart;

  data->audit = g_object_ref (self->audit);
  data->kind = kind;
  data->index = index;
  chart = gb_chart_view_new (draw_chart, data, chart_data_free);
  gb_chart_view_set_chart_height (GB_CHART_VIEW (chart), height);
  gtk_widget_set_hexpand (chart, TRUE);
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (chart, tooltip);
  {
    static const char *names[] = {
      [CHART_ROC] = N_("ROC curve"),
      [CHART_IG_HEATMAP] = N_("Integrated gradients per explained row"),
      [CHART_IG_GLOBAL] = N_("Global importance"),
      [CHART_FAIRNESS] = N_("Fairness group rates"),
      [CHART_FOREST] = N_("Causal effect estimates"),
    };
    gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _(names[kind]), -1);
  }

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "chart-card");
  gtk_box_append (GTK_BOX (card), chart);
  if (caption != NULL)
    {
      GtkWidget *label = gtk_label_new (caption);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      /* Keep the natural width small, so two cards fit on a line. */
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "chart-caption");
      gtk_box_append (GTK_BOX (card), label);
    }
  gtk_flow_box_append (GTK_FLOW_BOX (flow), card);
  gtk_widget_set_focusable (gtk_widget_get_parent (card), FALSE);
  self->n_charts++;
}

static GtkWidget *
estimates_list (const GbAuditResults *r)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);

  for (guint i = 0; i < r->estimates->len; i++)
    {
      const GbEstimate *e = &g_array_index (r->estimates, GbEstimate, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *value = gtk_label_new (NULL);
      g_autofree char *title = estimate_label (e);
      g_autofree char *p = e->p_value < 0.001 ? g_strdup ("p < 0.001")
                                              : g_strdup_printf ("p = %.3f", e->p_value);
      g_autofree char *subtitle =
        g_strdup_printf (_("SE %.4g (%s) · 95 %% CI [%.4g, %.4g] · %s · n = %zu"),
                         e->std_error, e->se_method != NULL ? e->se_method : "—",
                         e->ci_low, e->ci_high, p, (size_t) e->n_used);
      g_autofree char *text = g_strdup_printf ("%.4g", e->estimate);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_label_set_text (GTK_LABEL (value), text);
      gtk_widget_add_css_class (value, "metric-value");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  return list;
}

static void
add_value_row (GtkWidget *list, const char *title, const char *subtitle, const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (label, "metric-value");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
}

static GtkWidget *
metrics_list (const GbAuditResults *r)
{
  GtkWidget *list = gtk_list_box_new ();
  g_autofree char *acc = g_strdup_printf ("%.3f", r->accuracy);
  g_autofree char *auc = g_strdup_printf ("%.3f", r->roc_auc);
  g_autofree char *bacc = g_strdup_printf ("%.3f", r->baseline_accuracy);
  g_autofree char *bauc = g_strdup_printf ("%.3f", r->baseline_roc_auc);
  g_autofree char *rows = g_strdup_printf ("%zu / %zu", (size_t) r->n_train, (size_t) r->n_test);
  g_autofree char *params = g_strdup_printf ("%zu", (size_t) r->n_parameters);
  g_autofree char *loss = g_strdup_printf ("%.3f / %.3f", r->final_train_loss, r->final_val_loss);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  add_value_row (list, _("Accuracy"), _("Transformer, held-out, threshold 0.5"), acc);
  add_value_row (list, _("ROC-AUC"), _("Transformer, held-out"), auc);
  add_value_row (list, _("Baseline Accuracy"), _("Logistic regression"), bacc);
  add_value_row (list, _("Baseline ROC-AUC"), _("Logistic regression"), bauc);
  add_value_row (list, _("Rows"), _("Training / held-out"), rows);
  add_value_row (list, _("Parameters"), _("Transformer"), params);
  add_value_row (list, _("Final Loss"), _("Training / validation"), loss);
  return list;
}

static void
clear_sections (GbReportPane *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box))) != NULL)
    gtk_box_remove (self->sections_box, child);
  self->n_charts = 0;
}

static void
build_report (GbReportPane *self, const GbAuditResults *r)
{
  g_autofree char *basename = r->dataset_path != NULL ? g_path_get_basename (r->dataset_path)
                                                      : g_strdup ("—");
  g_autofree char *subtitle = NULL;

  subtitle = g_strdup_printf (_("%s · %'zu rows · sha256 %.12s… · %s · Glassbox %s · %.1f s"),
                              basename, (size_t) r->n_rows,
                              r->dataset_sha256 != NULL ? r->dataset_sha256 : "—",
                              r->created != NULL ? r->created : "",
                              r->glassbox_version != NULL ? r->glassbox_version : "",
                              r->elapsed_seconds);
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle_label), r->dataset_sha256);

  /* 1 Model performance */
  if (r->has_model)
    {
      g_autofree char *desc = g_strdup_printf (
        _("Target: %s. Held-out accuracy %.3f and ROC-AUC %.3f; the logistic-regression baseline reaches %.3f and %.3f."),
        r->target_description != NULL ? r->target_description : "—",
        r->accuracy, r->roc_auc, r->baseline_accuracy, r->baseline_roc_auc);
      GtkWidget *flow = add_section (self, _("Model Performance"), desc);
      add_chart (self, flow, CHART_ROC, 0, 400, NULL, NULL);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), metrics_list (r));
      gtk_widget_set_focusable (gtk_widget_get_last_child (flow), FALSE);
    }

  /* 2 Explanations */
  if (r->integrated_gradients != NULL)
    {
      const GbIgResult *ig = r->integrated_gradients;
      double worst = 0;
      g_autofree char *desc = NULL;
      GtkWidget *flow;

      for (gsize i = 0; i < ig->n_rows; i++)
        worst = MAX (worst, ig->rows[i].completeness_residual);
      desc = g_strdup_printf (
        _("Integrated gradients (Sundararajan et al. 2017) over %zu held-out rows, %u steps, baseline: %s. Largest completeness residual |Σ attributions − (f(x) − f(x′))| = %.2g."),
        (size_t) ig->n_rows, ig->steps, ig->baseline != NULL ? ig->baseline : "—", worst);
      flow = add_section (self, _("Explanations"), desc);
      add_chart (self, flow, CHART_IG_HEATMAP, 0, MAX (360, 120 + 22 * (int) ig->n_rows), NULL,
                 _("Red pushes the prediction towards the positive class, blue away from it"));
      add_chart (self, flow, CHART_IG_GLOBAL, 0, MAX (360, 120 + 22 * (int) ig->n_rows), NULL,
                 NULL);
    }

  /* 3 Fairness */
  if (r->fairness != NULL && r->fairness->len > 0)
    {
      GtkWidget *flow = add_section (self, _("Fairness"),
                                     _("Group rates of the model’s held-out predictions per protected attribute (Fairlearn and AIF360 definitions)."));
      for (guint i = 0; i < r->fairness->len; i++)
        {
          const GbFairnessResult *f = g_ptr_array_index (r->fairness, i);
          g_autofree char *caption = g_strdup_printf (
            _("%s: disparate impact ratio %.3f · statistical parity difference %.3f · equal opportunity difference %.3f · equalized odds difference %.3f"),
            f->attribute, f->disparate_impact_ratio, f->statistical_parity_difference,
            f->equal_opportunity_difference, f->equalized_odds_difference);
          add_chart (self, flow, CHART_FAIRNESS, i, 360, caption, NULL);
        }
    }

  /* 4 Causal effects */
  if (r->has_causal && r->estimates != NULL && r->estimates->len > 0)
    {
      g_autofree char *covariates = r->covariate_names != NULL
                                      ? g_strjoinv (", ", r->covariate_names) : g_strdup ("—");
      g_autofree char *desc = g_strdup_printf (
        _("Treatment: %s (%'zu treated, %'zu control). Outcome: %s. Adjusted for %s."),
        r->treatment_description != NULL ? r->treatment_description : "—",
        (size_t) r->n_treated, (size_t) r->n_control,
        r->outcome_description != NULL ? r->outcome_description : "—", covariates);
      GtkWidget *flow = add_section (self, _("Causal Effects"), desc);
      add_chart (self, flow, CHART_FOREST, 0, MAX (260, 140 + 44 * (int) r->estimates->len),
                 NULL, NULL);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), estimates_list (r));
      gtk_widget_set_focusable (gtk_widget_get_last_child (flow), FALSE);
    }

  if (self->n_charts == 0)
    add_section (self, _("Nothing to Show"),
                 _("The audit produced no charts: check the roles in the Dataset pane."));
}

void
gb_report_pane_set_audit (GbReportPane *self, GbAudit *audit)
{
  const GbAuditResults *results;

  g_return_if_fail (GB_IS_REPORT_PANE (self));
  g_return_if_fail (audit == NULL || GB_IS_AUDIT (audit));

  clear_sections (self);
  g_set_object (&self->audit, audit);
  results = audit != NULL ? gb_audit_get_results (audit) : NULL;

  if (results == NULL)
    {
      g_clear_object (&self->audit);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  build_report (self, results);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  gtk_stack_set_visible_child_name (self->stack, "report");
}

static void
gb_report_pane_dispose (GObject *object)
{
  GbReportPane *self = GB_REPORT_PANE (object);

  /* No gtk_widget_dispose_template(): AdwBin unparents the template's child
   * itself, and would unparent a dead pointer after it. */
  g_clear_object (&self->audit);
  G_OBJECT_CLASS (gb_report_pane_parent_class)->dispose (object);
}

static void
gb_report_pane_class_init (GbReportPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gb_report_pane_dispose;

  g_type_ensure (GB_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/glassbox/Glassbox/ui/gb-report-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, GbReportPane, stack);
  gtk_widget_class_bind_template_child (widget_class, GbReportPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, GbReportPane, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, GbReportPane, sections_box);
}

static void
gb_report_pane_init (GbReportPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

#ifdef GB_TESTING
guint
gb_report_pane_get_n_charts (GbReportPane *self)
{
  return self->n_charts;
}
#endif
