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
#include "gb-counterfactual-editor.h"
#include "gb-page-preview.h"
#include "gb-job-queue.h"
#include "gb-report-pdf.h"

struct _GbReportPane {
  AdwBin parent_instance;

  /* template children */
  GtkStack *stack;
  GtkScrolledWindow *scroller;
  GtkLabel *subtitle_label;
  GtkBox *sections_box;
  AdwStatusPage *empty_page;      /* shown before the first result */
  GtkWidget *empty_run_button;
  GtkProgressBar *empty_progress;  /* the running audit's progress (gb_report_pane_set_running) */

  GbAudit *audit;     /* (owned) (nullable) */
  guint n_charts;
  guint n_section_charts[4];   /* explanations, fairness, causal, other */

  /* explanations: the picked method (index into results->explanations) and row */
  GtkDropDown *method_dropdown;   /* (nullable) */
  GtkDropDown *row_dropdown;      /* (nullable) */
  GArray *method_index;           /* (element-type guint) dropdown position → explanation */
  guint method;
  guint row;
  GtkWidget *explain_charts[2];   /* beeswarm, waterfall (unowned) */
  guint n_explain_draws;
  GtkWidget *side_charts[8];      /* every method's waterfall of the picked row (unowned) */
  guint n_side_charts;
  GtkSearchEntry *row_search;     /* (nullable) finds a row by number or cell text */
  GtkLabel *search_status;        /* (nullable) */
  /* the picked method's dependence plot and its feature picker (tabular
   * methods), the deletion/insertion curves, a text row's token heatmap */
  GtkDropDown *feature_dropdown;  /* (nullable) */
  GtkWidget *feature_box;         /* (nullable) the labelled picker */
  GArray *dep_features;           /* (element-type guint) dropdown position → unit */
  guint dep_feature;
  GtkWidget *dep_chart;           /* (nullable) (unowned) */
  GtkWidget *token_chart;         /* (nullable) (unowned) */
  GtkWidget *performance_chart;   /* (nullable) (unowned) ROC or confusion matrix */
  GtkWidget *curve_charts[2];     /* deletion, insertion (unowned) */
  guint n_dep_draws, n_curve_draws, n_token_draws;

  /* the Audit Report group: auditor, organisation, model card texts */
  GtkWidget *report_group;
  AdwEntryRow *auditor_row;
  AdwEntryRow *organisation_row;
  GtkTextBuffer *card_buffers[5];
  gboolean loading_fields;

  /* the live preview of the PDF's pages and the report's settings (issue 8) */
  GbPagePreview *preview;
  GtkLabel *preview_status;
  GtkSwitch *section_switches[GB_REPORT_N_SECTIONS];
  AdwComboRow *paper_row;
  guint omit_sections;            /* what the switches say */
  GbJobQueue *preview_queue;      /* (owned) one thread, apart from the audit's queue */
  GbJob *preview_job;             /* (owned) (nullable) the latest render */
  guint preview_timeout;          /* the debounce */
  guint preview_generation;
  guint n_preview_renders;
};

static void schedule_preview (GbReportPane *self);

G_DEFINE_FINAL_TYPE (GbReportPane, gb_report_pane, ADW_TYPE_BIN)

/* ---- painters ------------------------------------------------------------- */

typedef enum {
  CHART_ROC,
  CHART_IG_HEATMAP,
  CHART_IG_GLOBAL,
  CHART_FAIRNESS,
  CHART_FOREST,
  CHART_BEESWARM,
  CHART_WATERFALL,
  CHART_FAIR_BARS,
  CHART_DISPARATE_IMPACT,
  CHART_LOVE,
  CHART_OVERLAP,
  CHART_GROUP_ROC,          /* index: the fairness result (issue 6) */
  CHART_GROUP_CALIBRATION,
  CHART_GAP,                /* the gap decomposition of the fairness result */
  CHART_TRADEOFF,           /* accuracy against disparity of the threshold mitigation */
  CHART_PROXY,              /* the proxy check: each feature's AUC for a protected group */
  CHART_METHOD_WATERFALL,   /* index: the explanation; the picked row */
  CHART_DEPENDENCE,         /* the picked method, the picked feature */
  CHART_CURVES,             /* index 0: deletion, 1: insertion, every method */
  CHART_TOKEN_HEATMAP,      /* a text model's picked row as running text */
  CHART_CONFUSION,          /* a multiclass model's held-out confusion matrix (no ROC curve) */
} ChartKind;

enum { SECTION_EXPLAIN, SECTION_FAIRNESS, SECTION_CAUSAL, SECTION_OTHER };

typedef struct {
  GbAudit *audit;
  ChartKind kind;
  guint index;
  GbReportPane *pane;   /* (unowned): the chart is inside it */
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

/* A text model's integrated-gradients global importance, as the PDF draws
 * it: each feature and word piece (gb_explanation_text_global() of the
 * "integrated_gradients" explanation), not token positions.  Returns the
 * number of bars (0: no such explanation). */
static guint
ig_text_global (const GbAuditResults *r, guint max, char ***labels, double **values)
{
  *labels = NULL;
  *values = NULL;
  for (guint k = 0; r->explanations != NULL && k < r->explanations->len; k++)
    {
      const GbExplanation *e = g_ptr_array_index (r->explanations, k);
      if (g_strcmp0 (e->method, "integrated_gradients") == 0 && e->text)
        return gb_explanation_text_global (e, max, labels, values);
    }
  return 0;
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


/* ---- explanations beyond integrated gradients (issue 5) ---- */

static const char *
method_title (const char *method)
{
  static const char *const map[][2] = {
    { "integrated_gradients", N_("Integrated gradients") },
    { "kernel_shap", N_("KernelSHAP") },
    { "lime", N_("LIME") },
    { "gradient_input", N_("Gradient × input") },
    { "occlusion", N_("Occlusion") },
    { "attention_rollout", N_("Attention rollout") },
  };
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (method, map[i][0]) == 0)
      return _(map[i][1]);
  return method;
}

static const GbExplanation *
picked_explanation (GbReportPane *self, const GbAuditResults *r)
{
  if (r->explanations == NULL || self->method_index == NULL || self->method_index->len == 0)
    return NULL;
  return g_ptr_array_index (r->explanations,
                            g_array_index (self->method_index, guint,
                                           MIN (self->method, self->method_index->len - 1)));
}

static void
draw_beeswarm (cairo_t *cr, double width, double height, const GbExplanation *e)
{
  g_autofree double *values = g_new0 (double, MAX (1, e->n_rows * e->n_units));
  g_autofree char *title = g_strdup_printf (_("%s attributions of the explained rows"),
                                            method_title (e->method));

  if (e->text)
    {
      /* token positions differ between rows: global importance by word piece instead */
      g_auto(GStrv) labels = NULL;
      g_autofree double *global = NULL;
      const guint n = gb_explanation_text_global (e, 15, &labels, &global);
      g_autofree char *t = g_strdup_printf (_("%s: mean |attribution| per feature and word piece"),
                                            method_title (e->method));
      gb_plot_bar_draw (cr, width, height, t, (const char *const *) labels, global, n,
                        _("mean |attribution| over the explained rows"));
      return;
    }
  for (gsize i = 0; i < e->n_rows; i++)
    memcpy (values + i * e->n_units, e->rows[i].values, e->n_units * sizeof (double));
  gb_plot_beeswarm_draw (cr, width, height, title, (const char *const *) e->unit_names,
                         e->n_units, values, e->unit_values, e->n_rows, 15);
}

static void
draw_waterfall (cairo_t *cr, double width, double height, const GbExplanation *e, guint row)
{
  const GbAttributionRow *a;
  g_autofree char *title = NULL;

  if (e->n_rows == 0)
    return;
  a = &e->rows[MIN (row, e->n_rows - 1)];
  title = a->std_errors != NULL
            ? g_strdup_printf (_("%s for row %zu (whiskers: 95 %% intervals)"),
                               method_title (e->method), (size_t) a->row)
            : g_strdup_printf (_("%s for row %zu"), method_title (e->method), (size_t) a->row);
  if (e->text)
    {
      /* the row's own units: its features, then its word pieces */
      const guint F = e->n_feature_units, nt = a->tokens ? g_strv_length (a->tokens) : 0;
      g_autofree const char **names = g_new0 (const char *, F + nt + 1);
      for (guint f = 0; f < F; f++)
        names[f] = e->unit_names[f];
      for (guint k = 0; k < nt; k++)
        names[F + k] = a->tokens[k];
      gb_plot_waterfall_draw (cr, width, height, title, names, a->values, a->std_errors,
                              MIN (F + nt, e->n_units), a->base_value, a->prediction, 12);
      return;
    }
  gb_plot_waterfall_draw (cr, width, height, title, (const char *const *) e->unit_names,
                          a->values, a->std_errors, e->n_units, a->base_value, a->prediction, 12);
}

/* Feature value against attribution of unit @j over the explained rows. */
static gboolean
draw_dependence (cairo_t *cr, double width, double height, const GbExplanation *e, guint j)
{
  if (e->text || e->unit_values == NULL || j >= e->n_units || e->n_rows == 0)
    return FALSE;
  g_autofree double *xs = g_new (double, e->n_rows);
  g_autofree double *as = g_new (double, e->n_rows);
  /* TRANSLATORS: method, feature */
  g_autofree char *title = g_strdup_printf (_("%s attribution against the value of “%s”"),
                                            method_title (e->method), e->unit_names[j]);
  for (gsize i = 0; i < e->n_rows; i++)
    {
      xs[i] = e->unit_values[i * e->n_units + j];
      as[i] = e->rows[i].values[j];
    }
  gb_plot_dependence_draw (cr, width, height, title, e->unit_names[j], xs, as, e->n_rows);
  return TRUE;
}

/* The methods whose deletion and insertion curves can share one chart
 * (as the PDF's Faithfulness section): those with both curves and the
 * first such method's number of units. (transfer container) */
static GPtrArray *
faithful_methods (const GbAuditResults *r)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint k = 0; r->explanations != NULL && k < r->explanations->len; k++)
    {
      const GbExplanation *e = g_ptr_array_index (r->explanations, k);
      if (e->deletion_curve != NULL && e->insertion_curve != NULL && e->n_units > 0
          && (out->len == 0 || e->n_units == ((GbExplanation *) out->pdata[0])->n_units))
        g_ptr_array_add (out, (gpointer) e);
    }
  return out;
}

static gboolean
draw_curves (cairo_t *cr, double width, double height, const GbAuditResults *r, gboolean insertion)
{
  g_autoptr(GPtrArray) faithful = faithful_methods (r);
  if (faithful->len == 0)
    return FALSE;
  const gsize L = ((GbExplanation *) faithful->pdata[0])->n_units + 1;
  g_autofree const char **series = g_new0 (const char *, faithful->len + 1);
  g_autofree double *curves = g_new (double, faithful->len * L);
  for (guint k = 0; k < faithful->len; k++)
    {
      const GbExplanation *e = faithful->pdata[k];
      series[k] = method_title (e->method);
      memcpy (curves + k * L, insertion ? e->insertion_curve : e->deletion_curve,
              L * sizeof (double));
    }
  gb_plot_curves_draw (cr, width, height,
                       insertion ? _("Insertion: most important features first into the background")
                                 : _("Deletion: most important features first replaced by the background"),
                       series, faithful->len, curves, L,
                       insertion ? _("features inserted") : _("features deleted"),
                       _("mean probability"));
  return TRUE;
}

/* A text model's row as running text: the picked method's picked row, or
 * (no text method picked) integrated gradients' row at the same position. */
static gboolean
draw_token_heatmap (cairo_t *cr, double width, double height, const GbAuditResults *r,
                    const GbExplanation *e, guint row)
{
  g_autofree const char **names = NULL;
  g_autofree char *title = NULL;
  const double *values;
  gsize row_id;
  guint F, nt;
  const char *method;

  if (e != NULL && e->text && e->n_rows > 0)
    {
      const GbAttributionRow *a = &e->rows[MIN (row, e->n_rows - 1)];
      F = e->n_feature_units;
      nt = a->tokens ? g_strv_length (a->tokens) : 0;
      names = g_new0 (const char *, F + nt + 1);
      for (guint f = 0; f < F; f++)
        names[f] = e->unit_names[f];
      for (guint k = 0; k < nt; k++)
        names[F + k] = a->tokens[k];
      values = a->values;
      row_id = a->row;
      method = e->method;
    }
  else if (r->integrated_gradients != NULL && r->integrated_gradients->text
           && r->integrated_gradients->n_rows > 0)
    {
      const GbIgResult *ig = r->integrated_gradients;
      const GbIgRow *a = &ig->rows[MIN (row, ig->n_rows - 1)];
      F = ig->n_feature_units;
      nt = a->tokens ? g_strv_length (a->tokens) : 0;
      names = g_new0 (const char *, F + nt + 1);
      for (guint f = 0; f < F; f++)
        names[f] = ig->feature_names[f];
      for (guint k = 0; k < nt; k++)
        names[F + k] = a->tokens[k];
      values = a->attributions;
      row_id = a->row;
      method = "integrated_gradients";
    }
  else
    return FALSE;
  /* TRANSLATORS: method, row number */
  title = g_strdup_printf (_("%s per word piece of row %zu"), method_title (method),
                           (size_t) row_id);
  gb_plot_token_heatmap_draw (cr, width, height, title, names, values, F + nt, _("attribution"));
  return TRUE;
}

/* ---- fairness in depth (issue 6) ---- */

static const GbRate fair_rates[] = { GB_RATE_SELECTION, GB_RATE_TPR, GB_RATE_FPR, GB_RATE_PPV };

static void
draw_fair_bars (cairo_t *cr, double width, double height, const GbFairnessResult *f)
{
  const char *series[] = { _("selection rate"), _("TPR"), _("FPR"), _("PPV") };
  const gsize ns = G_N_ELEMENTS (series);
  const gsize ng = MAX (f->n_groups, 1);
  g_autofree const char **groups = g_new0 (const char *, ng + 1);
  g_autofree double *values = g_new0 (double, ng * ns);
  g_autofree double *lo = g_new0 (double, ng * ns);
  g_autofree double *hi = g_new0 (double, ng * ns);
  g_autofree gboolean *flagged = g_new0 (gboolean, ng);
  g_autofree char *title = g_strdup_printf (_("Rates by group of “%s” with 95 %% intervals"),
                                            f->attribute);

  for (guint g = 0; g < f->n_groups; g++)
    {
      groups[g] = f->groups[g].group;
      flagged[g] = f->groups[g].small;
      for (gsize k = 0; k < ns; k++)
        {
          values[g * ns + k] = gb_group_rates_get (&f->groups[g], fair_rates[k]);
          lo[g * ns + k] = f->groups[g].ci[fair_rates[k]][0];
          hi[g * ns + k] = f->groups[g].ci[fair_rates[k]][1];
        }
    }
  gb_plot_fairness_bars_draw (cr, width, height, title, groups, f->n_groups, series, ns, values,
                              lo, hi, f->reference, flagged);
}

#define PROXY_BARS 10

/* The proxy check (issue 6): the features that best predict a protected
 * group on their own, highest ROC-AUC first (0.5 = no information). */
static void
draw_proxies (cairo_t *cr, double width, double height, const GbAuditResults *r)
{
  if (r->fairness_proxies == NULL || r->fairness_proxies->len == 0)
    return;
  const guint n = MIN (r->fairness_proxies->len, PROXY_BARS);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *auc = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      const GbFairnessProxy *p = &g_array_index (r->fairness_proxies, GbFairnessProxy, i);
      g_ptr_array_add (labels, g_strdup_printf ("%s → %s=%s", p->feature, p->attribute, p->group));
      auc[i] = p->auc;
    }
  gb_plot_bar_draw (cr, width, height, _("Proxy check: ROC-AUC of each feature alone"),
                    (const char *const *) labels->pdata, auc, n,
                    _("ROC-AUC for the group (0.5 = no information, 1 = a perfect proxy)"));
}

/* The first threshold mitigation with a trade-off curve, if any. */
static const GbFairnessMitigation *
tradeoff_mitigation (const GbAuditResults *r)
{
  for (guint k = 0; r->fairness_mitigation != NULL && k < r->fairness_mitigation->len; k++)
    {
      const GbFairnessMitigation *m = g_ptr_array_index (r->fairness_mitigation, k);
      if (m->n_tradeoff > 0)
        return m;
    }
  return NULL;
}

/* Accuracy against the statistical parity difference for one common
 * threshold swept from 0 to 1, with the common threshold and every group
 * threshold rule marked (as the PDF's mitigation chart). */
static void
draw_tradeoff (cairo_t *cr, double width, double height, const GbAuditResults *r)
{
  const GbFairnessMitigation *t = tradeoff_mitigation (r);
  if (t == NULL)
    return;
  const guint n = r->fairness_mitigation->len + 1;
  g_autofree const char **labels = g_new0 (const char *, n + 1);
  g_autofree double *mx = g_new (double, n);
  g_autofree double *my = g_new (double, n);
  guint k = 0;
  labels[k] = _("common threshold");
  mx[k] = t->before ? t->before->statistical_parity_difference : NAN;
  my[k++] = t->accuracy_before;
  for (guint i = 0; i < r->fairness_mitigation->len; i++)
    {
      const GbFairnessMitigation *m = g_ptr_array_index (r->fairness_mitigation, i);
      if (m->n_tradeoff == 0 || m->after == NULL)
        continue;
      labels[k] = g_str_has_prefix (m->method, "thresholds_") ? m->method + 11 : m->method;
      mx[k] = m->after->statistical_parity_difference;
      my[k++] = m->accuracy_after;
    }
  g_autofree char *title = g_strdup_printf (_("Accuracy against disparity for “%s” (one threshold "
                                              "for all, 0 to 1)"), t->attribute);
  gb_plot_tradeoff_draw (cr, width, height, title, t->tradeoff_parity_difference,
                         t->tradeoff_accuracy, t->n_tradeoff,
                         _("statistical parity difference (max − min selection rate)"), labels,
                         mx, my, k);
}

/* Per-group ROC or calibration curves, or the gap decomposition (@kind). */
static void
draw_fair_curves (cairo_t *cr, double width, double height, const GbFairnessResult *f,
                  ChartKind kind)
{
  const guint G = f->n_groups;
  g_autofree const char **groups = g_new0 (const char *, G + 1);
  g_autofree const double **a = g_new0 (const double *, G + 1);
  g_autofree const double **b = g_new0 (const double *, G + 1);
  g_autofree const gsize **counts = g_new0 (const gsize *, G + 1);
  g_autofree gsize *len = g_new0 (gsize, G + 1);
  g_autofree double *auc = g_new0 (double, G + 1);

  for (guint g = 0; g < G; g++)
    {
      const GbGroupRates *gr = &f->groups[g];
      groups[g] = gr->group;
      a[g] = kind == CHART_GROUP_ROC ? gr->roc_fpr : gr->calibration_score;
      b[g] = kind == CHART_GROUP_ROC ? gr->roc_tpr : gr->calibration_observed;
      counts[g] = gr->calibration_n;
      len[g] = gr->roc_len;
      auc[g] = gr->roc_auc;
    }
  if (kind == CHART_GROUP_ROC)
    {
      g_autofree char *title = g_strdup_printf (_("ROC curve by group of “%s”"), f->attribute);
      gb_plot_group_roc_draw (cr, width, height, title, groups, a, b, len, auc, G, f->reference);
    }
  else if (kind == CHART_GROUP_CALIBRATION)
    {
      g_autofree char *title = g_strdup_printf (_("Calibration by group of “%s”"), f->attribute);
      gb_plot_group_calibration_draw (cr, width, height, title, groups, a, b, counts,
                                      G ? f->groups[0].n_calibration : 0, G, f->reference);
    }
  else if (f->decomposition != NULL)
    {
      const GbFairnessDecomposition *d = f->decomposition;
      g_autofree const char **names = g_new0 (const char *, d->n_contributions + 1);
      g_autofree double *v = g_new0 (double, d->n_contributions + 1);
      g_autofree double *lo = g_new0 (double, d->n_contributions + 1);
      g_autofree double *hi = g_new0 (double, d->n_contributions + 1);
      for (guint j = 0; j < d->n_contributions; j++)
        {
          names[j] = d->contributions[j].feature;
          v[j] = d->contributions[j].value;
          lo[j] = d->contributions[j].ci_low;
          hi[j] = d->contributions[j].ci_high;
        }
      g_autofree char *title = g_strdup_printf (_("Why the gap exists: %s − %s, by feature"),
                                                d->group, d->reference);
      gb_plot_gap_decomposition_draw (cr, width, height, title, names, v, lo, hi,
                                      d->n_contributions, d->gap, 8,
                                      _("share of the gap in mean predicted probability"));
    }
}

static void
draw_disparate_impact (cairo_t *cr, double width, double height, const GbFairnessResult *f)
{
  const gsize n = MAX (f->n_comparisons, 1);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *di = g_new0 (double, n);
  g_autofree double *lo = g_new0 (double, n);
  g_autofree double *hi = g_new0 (double, n);
  g_autofree char *title = g_strdup_printf (_("Disparate impact ratio by group of “%s” (95 %% CI)"),
                                            f->attribute);

  for (guint k = 0; k < f->n_comparisons; k++)
    {
      const GbFairnessComparison *cmp = &f->comparisons[k];
      const GbFairnessMetric *m = gb_fairness_comparison_get_metric (cmp, "disparate_impact_ratio");
      g_ptr_array_add (labels, g_strdup_printf ("%s%s", f->groups[cmp->group].group,
                                                f->groups[cmp->group].small ? " *" : ""));
      di[k] = m != NULL ? m->value : NAN;
      lo[k] = m != NULL ? m->ci_low : NAN;
      hi[k] = m != NULL ? m->ci_high : NAN;
    }
  g_ptr_array_add (labels, NULL);
  gb_plot_disparate_impact_draw (cr, width, height, title, (const char *const *) labels->pdata,
                                 di, lo, hi, f->n_comparisons,
                                 f->reference < f->n_groups ? f->groups[f->reference].group : NULL);
}

/* The plain sentence: the ratio furthest from parity against the reference group. */
static char *
fairness_sentence (const GbFairnessResult *f)
{
  const GbFairnessComparison *worst = NULL;
  const GbFairnessMetric *wm = NULL;
  const GbGroupRates *ref;
  const char *band;

  if (f->n_groups == 0 || f->reference >= f->n_groups)
    return g_strdup_printf (_("For “%s” there are no groups to compare."), f->attribute);
  ref = &f->groups[f->reference];
  for (guint c = 0; c < f->n_comparisons; c++)
    {
      const GbFairnessMetric *m = gb_fairness_comparison_get_metric (&f->comparisons[c],
                                                                     "disparate_impact_ratio");
      if (m == NULL || isnan (m->value) || m->value <= 0
          || (f->groups[f->comparisons[c].group].small && !f->summary_uses_all))
        continue;
      if (wm == NULL || fabs (log (m->value)) > fabs (log (wm->value)))
        {
          worst = &f->comparisons[c];
          wm = m;
        }
    }
  if (worst == NULL)
    {
      if (!isnan (f->disparate_impact_ratio))
        return g_strdup_printf (_("For “%s”, the lowest group selection rate is %.2f times the highest (disparate impact ratio), %s."),
                                f->attribute, f->disparate_impact_ratio,
                                f->disparate_impact_ratio < 0.8 ? _("below the four-fifths threshold")
                                                                : _("within the four-fifths band"));
      return g_strdup_printf (_("For “%s” the disparate impact ratio is undefined."), f->attribute);
    }
  band = wm->value < 0.8 ? _("below the four-fifths threshold")
       : wm->value > 1.25 ? _("so the reference group’s rate is below four-fifths of it")
       : _("within the four-fifths band");
  if (!isnan (wm->ci_low))
    return g_strdup_printf (_("For “%s”, the selection rate of group %s (%.3f) is %.2f times that of %s, the reference group (%.3f; 95 %% CI %.2f–%.2f), %s."),
                            f->attribute, f->groups[worst->group].group,
                            f->groups[worst->group].selection_rate, wm->value, ref->group,
                            ref->selection_rate, wm->ci_low, wm->ci_high, band);
  return g_strdup_printf (_("For “%s”, the selection rate of group %s (%.3f) is %.2f times that of %s, the reference group (%.3f), %s."),
                          f->attribute, f->groups[worst->group].group,
                          f->groups[worst->group].selection_rate, wm->value, ref->group,
                          ref->selection_rate, band);
}

/* ---- causal diagnostics (issue 7) ---- */

static void
draw_love (cairo_t *cr, double width, double height, const GbCausalAnalysis *a)
{
  guint n = a->balance != NULL ? a->balance->len : 0;
  gboolean matched = a->balance_matching != NULL && a->balance_matching->len == n;
  g_autofree const char **labels = g_new0 (const char *, n + 1);
  g_autofree double *before = g_new0 (double, MAX (n, 1));
  g_autofree double *after = g_new0 (double, MAX (n, 1));
  g_autofree double *after2 = g_new0 (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const GbBalanceRow *b = &g_array_index (a->balance, GbBalanceRow, i);
      labels[i] = b->covariate;
      before[i] = b->smd_before;
      after[i] = b->smd_after;
      if (matched)
        after2[i] = g_array_index (a->balance_matching, GbBalanceRow, i).smd_after;
    }
  gb_plot_love_draw (cr, width, height, _("Covariate balance (love plot)"), labels, before, after,
                     matched ? after2 : NULL, n, _("IPW weights"), _("propensity matching"), 0.1);
}

static void
draw_overlap (cairo_t *cr, double width, double height, const GbCausalAnalysis *a)
{
  gb_plot_overlap_draw (cr, width, height, _("Propensity score by group (overlap)"),
                        a->propensity, a->treatment, a->n_all, 20, a->trim_alpha);
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
    case CHART_CONFUSION:
      if (r->has_model && r->confusion != NULL && r->n_classes > 0)
        gb_plot_confusion_draw (cr, width, height, _("Confusion matrix (held-out rows)"),
                                (const char *const *) r->class_names, r->n_classes, r->confusion,
                                TRUE);
      break;
    case CHART_IG_HEATMAP:
      if (r->integrated_gradients != NULL)
        draw_ig_heatmap (cr, width, height, r->integrated_gradients);
      break;
    case CHART_IG_GLOBAL:
      if (r->integrated_gradients != NULL)
        {
          g_auto(GStrv) labels = NULL;
          g_autofree double *values = NULL;
          guint n = r->integrated_gradients->text ? ig_text_global (r, 15, &labels, &values) : 0;
          if (n > 0)
            gb_plot_bar_draw (cr, width, height, _("Global importance"),
                              (const char *const *) labels, values, n,
                              _("mean |attribution| over the explained rows"));
          else
            draw_ig_global (cr, width, height, r->integrated_gradients);
        }
      break;
    case CHART_FAIRNESS:
      if (r->fairness != NULL && chart->index < r->fairness->len)
        draw_fairness (cr, width, height, g_ptr_array_index (r->fairness, chart->index));
      break;
    case CHART_FOREST:
      if (r->has_causal && r->estimates != NULL && r->estimates->len > 0)
        draw_forest (cr, width, height, r);
      break;
    case CHART_BEESWARM:
    case CHART_WATERFALL:
      {
        const GbExplanation *e = picked_explanation (chart->pane, r);
        chart->pane->n_explain_draws++;
        if (e == NULL)
          break;
        if (chart->kind == CHART_BEESWARM)
          draw_beeswarm (cr, width, height, e);
        else
          draw_waterfall (cr, width, height, e, chart->pane->row);
      }
      break;
    case CHART_METHOD_WATERFALL:
      {
        const GbExplanation *picked = picked_explanation (chart->pane, r);
        const GbExplanation *e = chart->index < r->explanations->len
                                   ? g_ptr_array_index (r->explanations, chart->index) : NULL;
        guint row = chart->pane->row;
        chart->pane->n_explain_draws++;
        if (e == NULL || picked == NULL || e->n_rows == 0 || picked->n_rows == 0)
          break;
        /* the same dataset row as the picked method's row */
        for (guint i = 0; i < e->n_rows; i++)
          if (e->rows[i].row == picked->rows[MIN (row, picked->n_rows - 1)].row)
            {
              row = i;
              break;
            }
        draw_waterfall (cr, width, height, e, row);
      }
      break;
    case CHART_DEPENDENCE:
      {
        GbReportPane *pane = chart->pane;
        const GbExplanation *e = picked_explanation (pane, r);
        if (e != NULL && pane->dep_features != NULL && pane->dep_features->len > 0
            && draw_dependence (cr, width, height, e,
                                g_array_index (pane->dep_features, guint,
                                               MIN (pane->dep_feature,
                                                    pane->dep_features->len - 1))))
          pane->n_dep_draws++;
      }
      break;
    case CHART_CURVES:
      if (draw_curves (cr, width, height, r, chart->index == 1))
        chart->pane->n_curve_draws++;
      break;
    case CHART_TOKEN_HEATMAP:
      if (draw_token_heatmap (cr, width, height, r, picked_explanation (chart->pane, r),
                              chart->pane->row))
        chart->pane->n_token_draws++;
      break;
    case CHART_FAIR_BARS:
      if (r->fairness != NULL && chart->index < r->fairness->len)
        draw_fair_bars (cr, width, height, g_ptr_array_index (r->fairness, chart->index));
      break;
    case CHART_DISPARATE_IMPACT:
      if (r->fairness != NULL && chart->index < r->fairness->len)
        draw_disparate_impact (cr, width, height, g_ptr_array_index (r->fairness, chart->index));
      break;
    case CHART_TRADEOFF:
      draw_tradeoff (cr, width, height, r);
      break;
    case CHART_PROXY:
      draw_proxies (cr, width, height, r);
      break;
    case CHART_GROUP_ROC:
    case CHART_GROUP_CALIBRATION:
    case CHART_GAP:
      if (r->fairness != NULL && chart->index < r->fairness->len)
        draw_fair_curves (cr, width, height, g_ptr_array_index (r->fairness, chart->index),
                          chart->kind);
      break;
    case CHART_LOVE:
      if (r->causal != NULL)
        draw_love (cr, width, height, r->causal);
      break;
    case CHART_OVERLAP:
      if (r->causal != NULL && r->causal->propensity != NULL)
        draw_overlap (cr, width, height, r->causal);
      break;
    default:
      break;
    }
}

/* ---- building the page ---------------------------------------------------- */

/* A flow box of chart cards, appended to @section. */
static GtkWidget *
new_flow (GtkBox *section)
{
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 2);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 18);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 18);
  gtk_widget_add_css_class (flow, "report-charts");
  gtk_box_append (section, flow);
  return flow;
}

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

  flow = new_flow (GTK_BOX (box));
  gtk_box_append (self->sections_box, box);
  return flow;
}

static GtkWidget *
add_chart (GbReportPane *self, GtkWidget *flow, ChartKind kind, guint index, int height,
           const char *caption, const char *tooltip)
{
  ChartData *data = g_new0 (ChartData, 1);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *chart;

  data->audit = g_object_ref (self->audit);
  data->kind = kind;
  data->index = index;
  data->pane = self;
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
      [CHART_BEESWARM] = N_("Attributions of the explained rows"),
      [CHART_WATERFALL] = N_("Attribution waterfall of one row"),
      [CHART_FAIR_BARS] = N_("Fairness group rates with intervals"),
      [CHART_DISPARATE_IMPACT] = N_("Disparate impact ratios"),
      [CHART_LOVE] = N_("Covariate balance"),
      [CHART_OVERLAP] = N_("Propensity score overlap"),
      [CHART_GROUP_ROC] = N_("ROC curves by group"),
      [CHART_GROUP_CALIBRATION] = N_("Calibration curves by group"),
      [CHART_GAP] = N_("Why the gap exists: the gap decomposed into features"),
      [CHART_TRADEOFF] = N_("Accuracy against disparity across thresholds"),
      [CHART_PROXY] = N_("Proxy check: how well each feature alone predicts a protected group"),
      [CHART_METHOD_WATERFALL] = N_("Attribution waterfall of the picked row by one method"),
      [CHART_DEPENDENCE] = N_("Dependence plot: feature value against attribution"),
      [CHART_CURVES] = N_("Deletion and insertion curves of every method"),
      [CHART_TOKEN_HEATMAP] = N_("Attributions per word piece of the picked row"),
      [CHART_CONFUSION] = N_("Confusion matrix"),
    };
    /* the base name "Save as PNG/SVG…" suggests */
    static const char *files[] = {
      [CHART_ROC] = "roc", [CHART_IG_HEATMAP] = "ig-heatmap", [CHART_IG_GLOBAL] = "ig-global",
      [CHART_FAIRNESS] = "fairness", [CHART_FOREST] = "causal-forest",
      [CHART_BEESWARM] = "beeswarm", [CHART_WATERFALL] = "waterfall",
      [CHART_FAIR_BARS] = "fairness-rates", [CHART_DISPARATE_IMPACT] = "disparate-impact",
      [CHART_LOVE] = "love-plot", [CHART_OVERLAP] = "overlap",
      [CHART_METHOD_WATERFALL] = "waterfall-method",
      [CHART_GROUP_ROC] = "fairness-roc", [CHART_GROUP_CALIBRATION] = "fairness-calibration",
      [CHART_GAP] = "fairness-gap", [CHART_TRADEOFF] = "fairness-tradeoff",
      [CHART_PROXY] = "fairness-proxies",
      [CHART_DEPENDENCE] = "dependence", [CHART_CURVES] = "faithfulness",
      [CHART_TOKEN_HEATMAP] = "token-heatmap", [CHART_CONFUSION] = "confusion",
    };
    g_autofree char *file = g_strdup_printf ("%s-%u", files[kind], index + 1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _(names[kind]), -1);
    gb_chart_view_set_file_name (GB_CHART_VIEW (chart), index > 0 ? file : files[kind]);
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
  switch (kind)
    {
    case CHART_IG_HEATMAP: case CHART_IG_GLOBAL: case CHART_BEESWARM: case CHART_WATERFALL:
    case CHART_METHOD_WATERFALL: case CHART_DEPENDENCE: case CHART_CURVES:
    case CHART_TOKEN_HEATMAP:
      self->n_section_charts[SECTION_EXPLAIN]++;
      break;
    case CHART_FAIRNESS: case CHART_FAIR_BARS: case CHART_DISPARATE_IMPACT:
    case CHART_GROUP_ROC: case CHART_GROUP_CALIBRATION: case CHART_GAP: case CHART_TRADEOFF:
    case CHART_PROXY:
      self->n_section_charts[SECTION_FAIRNESS]++;
      break;
    case CHART_FOREST: case CHART_LOVE: case CHART_OVERLAP:
      self->n_section_charts[SECTION_CAUSAL]++;
      break;
    default:
      self->n_section_charts[SECTION_OTHER]++;
      break;
    }
  return chart;
}

/* @v with three decimals in @buf (G_ASCII_DTOSTR_BUF_SIZE), "n/a" for NAN. */
static const char *
fmt3 (char *buf, double v)
{
  return isnan (v) ? "n/a" : g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.3f", v);
}

/* The per-group ROC and calibration curves (with a score) and the gap
 * decomposition (with a model) of one fairness result, each with a
 * sentence (issue 6). */
static void
add_fair_curves (GbReportPane *self, GtkWidget *flow, const GbFairnessResult *f, guint index)
{
  char buf[4][G_ASCII_DTOSTR_BUF_SIZE];

  if (f->has_score && f->n_groups > 0)
    {
      GString *aucs = g_string_new (NULL);
      for (guint g = 0; g < f->n_groups; g++)
        g_string_append_printf (aucs, "%s%s %s", g ? " · " : "", f->groups[g].group,
                                fmt3 (buf[0], f->groups[g].roc_auc));
      /* TRANSLATORS: attribute, then "group AUC · group AUC …" */
      g_autofree char *roc_caption = g_strdup_printf (_("ROC-AUC by group of “%s”: %s"),
                                                      f->attribute, aucs->str);
      g_string_free (aucs, TRUE);
      add_chart (self, flow, CHART_GROUP_ROC, index, 360, roc_caption, NULL);
      add_chart (self, flow, CHART_GROUP_CALIBRATION, index, 360,
                 _("Mean score against the observed positive rate per score bin; a group's "
                   "curve below the diagonal means the score overstates its positive rate."),
                 NULL);
    }
  if (f->decomposition != NULL && f->decomposition->n_contributions > 0)
    {
      const GbFairnessDecomposition *d = f->decomposition;
      const GbGapContribution *c = &d->contributions[0];
      /* TRANSLATORS: the gap, the group, the reference group, the largest
       * share, its interval, the feature */
      g_autofree char *caption = g_strdup_printf (
        _("Of the %s gap in mean predicted probability between %s and %s, %s (95 %% CI %s to "
          "%s) is carried by %s. The shares are differences of the groups' mean KernelSHAP "
          "values and add up to the gap."),
        fmt3 (buf[0], d->gap), d->group, d->reference, fmt3 (buf[1], c->value),
        fmt3 (buf[2], c->ci_low), fmt3 (buf[3], c->ci_high), c->feature);
      add_chart (self, flow, CHART_GAP, index,
                 120 + 26 * (int) MIN (d->n_contributions, 8u), caption, NULL);
    }
}

/* The proxy check as a bar chart with a sentence on the strongest proxy. */
static void
add_proxies (GbReportPane *self, GtkWidget *flow, const GbAuditResults *r)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (r->fairness_proxies == NULL || r->fairness_proxies->len == 0)
    return;
  const GbFairnessProxy *p = &g_array_index (r->fairness_proxies, GbFairnessProxy, 0);
  /* TRANSLATORS: feature, attribute, group, AUC */
  g_autofree char *caption = g_strdup_printf (_("Alone, “%s” predicts membership of %s = %s with "
                                                "ROC-AUC %s: the model can learn the protected "
                                                "attribute from it even when the attribute is not "
                                                "a feature."),
                                              p->feature, p->attribute, p->group, fmt3 (buf, p->auc));
  add_chart (self, flow, CHART_PROXY, 0,
             110 + 26 * (int) MIN (r->fairness_proxies->len, PROXY_BARS), caption, NULL);
}

/* The mitigations (issue 6): the trade-off chart, its caption listing each
 * method's statistical parity difference and accuracy before → after on
 * the evaluation rows. */
static void
add_mitigation (GbReportPane *self, GtkWidget *flow, const GbAuditResults *r)
{
  char buf[4][G_ASCII_DTOSTR_BUF_SIZE];

  if (tradeoff_mitigation (r) == NULL)
    return;
  GString *caption = g_string_new (NULL);
  for (guint k = 0; k < r->fairness_mitigation->len; k++)
    {
      const GbFairnessMitigation *m = g_ptr_array_index (r->fairness_mitigation, k);
      if (m->before == NULL || m->after == NULL)
        continue;
      if (caption->len)
        g_string_append (caption, "\n");
      /* TRANSLATORS: method, attribute, parity difference before → after,
       * accuracy before → after */
      g_string_append_printf (caption, _("%s (%s): statistical parity difference %s → %s, "
                                         "accuracy %s → %s"),
                              m->method, m->attribute,
                              fmt3 (buf[0], m->before->statistical_parity_difference),
                              fmt3 (buf[1], m->after->statistical_parity_difference),
                              fmt3 (buf[2], m->accuracy_before), fmt3 (buf[3], m->accuracy_after));
    }
  add_chart (self, flow, CHART_TRADEOFF, 0, 360, caption->str, NULL);
  g_string_free (caption, TRUE);
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
  /* a multiclass target: the most probable class, and the macro one-vs-rest AUC */
  add_value_row (list, _("Accuracy"),
                 r->n_classes > 2 ? _("Transformer, held-out, most probable class")
                                  : _("Transformer, held-out, threshold 0.5"), acc);
  add_value_row (list, _("ROC-AUC"),
                 r->n_classes > 2 ? _("Transformer, held-out, macro one-vs-rest mean")
                                  : _("Transformer, held-out"), auc);
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
  memset (self->n_section_charts, 0, sizeof self->n_section_charts);
  self->method_dropdown = NULL;
  self->row_dropdown = NULL;
  self->explain_charts[0] = self->explain_charts[1] = NULL;
  memset (self->side_charts, 0, sizeof self->side_charts);
  self->n_side_charts = 0;
  self->row_search = NULL;
  self->search_status = NULL;
  self->feature_dropdown = NULL;
  self->feature_box = NULL;
  g_clear_pointer (&self->dep_features, g_array_unref);
  self->dep_feature = 0;
  self->dep_chart = self->token_chart = self->performance_chart = NULL;
  self->curve_charts[0] = self->curve_charts[1] = NULL;
  g_clear_pointer (&self->method_index, g_array_unref);
  self->method = 0;
  self->row = 0;
}

/* ---- the explanation picker ---------------------------------------------- */

static void
redraw_explanations (GbReportPane *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->explain_charts); i++)
    if (self->explain_charts[i] != NULL)
      gtk_widget_queue_draw (self->explain_charts[i]);
  for (guint i = 0; i < self->n_side_charts; i++)
    gtk_widget_queue_draw (self->side_charts[i]);
  if (self->dep_chart != NULL)
    gtk_widget_queue_draw (self->dep_chart);
  if (self->token_chart != NULL)
    gtk_widget_queue_draw (self->token_chart);
}

/* The picked method's explained row that @text finds: a number is a dataset
 * row (0-based, as the JSON's "row"), other text is searched (case-folded)
 * in the explained rows' cells, from the picked row on (@next: from the row
 * after it, so Enter steps through the matches).  Returns the row's index
 * among the explained rows, or −1; *column (transfer none) names the
 * matching column for text. */
static int
find_row (GbReportPane *self, const char *text, gboolean next, const char **column)
{
  const GbAuditResults *r = self->audit != NULL ? gb_audit_get_results (self->audit) : NULL;
  const GbExplanation *e = r != NULL ? picked_explanation (self, r) : NULL;
  GbDataset *ds = self->audit != NULL ? gb_audit_get_dataset (self->audit) : NULL;
  g_autofree char *needle = NULL;
  char *end = NULL;
  guint64 n;

  *column = NULL;
  if (e == NULL || e->n_rows == 0 || text == NULL || text[0] == '\0')
    return -1;
  n = g_ascii_strtoull (text, &end, 10);
  if (end != text && *end == '\0')
    {
      for (gsize i = 0; i < e->n_rows; i++)
        if (e->rows[i].row == n)
          return (int) i;
      return -1;
    }
  if (ds == NULL)
    return -1;
  needle = g_utf8_casefold (text, -1);
  for (gsize k = next ? 1 : 0; k < e->n_rows + (next ? 1 : 0); k++)
    {
      const gsize i = (self->row + k) % e->n_rows;
      if (e->rows[i].row >= gb_dataset_get_n_rows (ds))
        continue;
      for (guint c = 0; c < gb_dataset_get_n_columns (ds); c++)
        {
          g_autofree char *cell = gb_dataset_format_cell (ds, c, e->rows[i].row);
          g_autofree char *folded = cell != NULL ? g_utf8_casefold (cell, -1) : NULL;
          if (folded != NULL && strstr (folded, needle) != NULL)
            {
              *column = gb_dataset_get_column (ds, c)->name;
              return (int) i;
            }
        }
    }
  return -1;
}

static void
row_search (GtkSearchEntry *entry, GbReportPane *self, gboolean next)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  const GbAuditResults *r = gb_audit_get_results (self->audit);
  const GbExplanation *e = r != NULL ? picked_explanation (self, r) : NULL;
  const char *column = NULL;
  int i;

  if (trimmed[0] == '\0')
    {
      gtk_label_set_text (self->search_status, "");
      return;
    }
  i = find_row (self, trimmed, next, &column);
  if (i < 0)
    {
      g_autofree char *m = g_strdup_printf (_("No explained row matches “%s”"), trimmed);
      gtk_label_set_text (self->search_status, m);
      return;
    }
  {
    g_autofree char *m = column != NULL
                           ? g_strdup_printf (_("Row %zu (“%s” in %s)"), (size_t) e->rows[i].row,
                                              trimmed, column)
                           : g_strdup_printf (_("Row %zu"), (size_t) e->rows[i].row);
    gtk_label_set_text (self->search_status, m);
  }
  gtk_drop_down_set_selected (self->row_dropdown, (guint) i);
}

static void
on_row_search_changed (GtkSearchEntry *entry, GbReportPane *self)
{
  row_search (entry, self, FALSE);
}

static void
on_row_search_activate (GtkSearchEntry *entry, GbReportPane *self)
{
  row_search (entry, self, TRUE);
}

static void
fill_rows (GbReportPane *self)
{
  const GbAuditResults *r = self->audit != NULL ? gb_audit_get_results (self->audit) : NULL;
  const GbExplanation *e = r != NULL ? picked_explanation (self, r) : NULL;
  g_autoptr(GtkStringList) rows = gtk_string_list_new (NULL);

  for (gsize i = 0; e != NULL && i < e->n_rows; i++)
    {
      const guint c = e->rows[i].class_index;
      /* a multi-class model (or a class other than the positive one): say
       * which class the row explains */
      const gboolean named = r->class_names != NULL && c < g_strv_length (r->class_names)
                             && (r->n_classes > 2 || c != 1);
      /* TRANSLATORS: row number, the explained class's label, its probability */
      g_autofree char *label = named ? g_strdup_printf (_("Row %zu, explaining “%s” (f(x) = %.3f)"),
                                                        (size_t) e->rows[i].row,
                                                        r->class_names[c], e->rows[i].prediction)
                                     : g_strdup_printf (_("Row %zu (f(x) = %.3f)"),
                                                        (size_t) e->rows[i].row,
                                                        e->rows[i].prediction);
      gtk_string_list_append (rows, label);
    }
  gtk_drop_down_set_model (self->row_dropdown, G_LIST_MODEL (rows));
  if (e != NULL && e->n_rows > 0)
    gtk_drop_down_set_selected (self->row_dropdown, MIN (self->row, e->n_rows - 1));
}

/* The picked method's numeric features that vary over its explained rows,
 * most important (its mean |attribution|) first, into the feature picker;
 * the picker hides for a text or a feature-less method. */
static void
fill_features (GbReportPane *self)
{
  const GbAuditResults *r = self->audit != NULL ? gb_audit_get_results (self->audit) : NULL;
  const GbExplanation *e = r != NULL ? picked_explanation (self, r) : NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  if (self->dep_features == NULL)
    self->dep_features = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_set_size (self->dep_features, 0);
  self->dep_feature = 0;
  if (e != NULL)
    {
      g_autofree guint *feats = g_new (guint, MAX (e->n_units, 1));
      const guint nf = gb_explanation_dependence_features (e, e->n_units, feats);
      for (guint k = 0; k < nf; k++)
        {
          g_array_append_val (self->dep_features, feats[k]);
          gtk_string_list_append (names, e->unit_names[feats[k]]);
        }
    }
  if (self->feature_dropdown != NULL)
    {
      gtk_drop_down_set_model (self->feature_dropdown, G_LIST_MODEL (names));
      if (self->dep_features->len > 0)
        gtk_drop_down_set_selected (self->feature_dropdown, 0);
      /* its flow box slot too, so that no empty gap is left */
      gtk_widget_set_visible (gtk_widget_get_parent (self->feature_box),
                              self->dep_features->len > 0);
    }
}

static void
on_feature_selected (GtkDropDown *dropdown, GParamSpec *pspec, GbReportPane *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected == self->dep_feature)
    return;
  self->dep_feature = selected;
  if (self->dep_chart != NULL)
    gtk_widget_queue_draw (self->dep_chart);
}

static void
on_method_selected (GtkDropDown *dropdown, GParamSpec *pspec, GbReportPane *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected == self->method)
    return;
  self->method = selected;
  fill_rows (self);
  fill_features (self);
  redraw_explanations (self);
}

static void
on_row_selected (GtkDropDown *dropdown, GParamSpec *pspec, GbReportPane *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected == self->row)
    return;
  self->row = selected;
  redraw_explanations (self);
}

static GtkWidget *
labelled_dropdown (const char *text, GtkDropDown *dropdown)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (dropdown));
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (dropdown));
  return box;
}

/* Appends @child to the pickers' flow box, in a slot that takes no focus
 * (the picker inside it does). */
static void
picker_append (GtkWidget *pickers, GtkWidget *child)
{
  gtk_flow_box_append (GTK_FLOW_BOX (pickers), child);
  gtk_widget_set_focusable (gtk_widget_get_parent (child), FALSE);
}

/* Every method's deletion and insertion curves, each chart's caption naming
 * the most faithful method by its AOPC (larger is more faithful). */
static void
add_faithfulness (GbReportPane *self, const GbAuditResults *r)
{
  g_autoptr(GPtrArray) faithful = faithful_methods (r);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  GtkWidget *flow;

  if (faithful->len == 0)
    return;
  flow = add_section (self, _("Faithfulness"),
                      _("Which explanation is right for this model? Deletion replaces the features a method ranks highest by the background, most important first, and watches the probability fall; insertion starts from the background and puts them back. The area over the deletion curve and under the insertion curve relative to their start (AOPC, Samek et al. 2017) is larger for a more faithful ranking."));
  for (guint ins = 0; ins < 2; ins++)
    {
      const GbExplanation *best = NULL;
      g_autofree char *caption = NULL;
      for (guint k = 0; k < faithful->len; k++)
        {
          const GbExplanation *e = faithful->pdata[k];
          const double a = ins ? e->insertion_aopc : e->deletion_aopc;
          if (!isnan (a) && (best == NULL || a > (ins ? best->insertion_aopc : best->deletion_aopc)))
            best = e;
        }
      if (best != NULL)
        /* TRANSLATORS: method, its AOPC */
        caption = g_strdup_printf (ins ? _("Most faithful by insertion AOPC: %s (%s). The "
                                           "probability rises fastest as its top features are "
                                           "put back.")
                                       : _("Most faithful by deletion AOPC: %s (%s). The "
                                           "probability falls fastest as its top features are "
                                           "removed."),
                                   method_title (best->method),
                                   g_ascii_formatd (buf, sizeof buf, "%.4f",
                                                    ins ? best->insertion_aopc
                                                        : best->deletion_aopc));
      self->curve_charts[ins] = add_chart (self, flow, CHART_CURVES, ins, 340, caption, NULL);
    }
}

/* The methods that ran (with rows), a method and row picker, then the beeswarm
 * and the picked row's waterfall with 95 % whiskers. */
static void
add_explanations (GbReportPane *self, const GbAuditResults *r)
{
  g_autoptr(GtkStringList) methods = gtk_string_list_new (NULL);
  GtkWidget *flow, *section, *pickers;

  self->method_index = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = 0; k < r->explanations->len; k++)
    {
      const GbExplanation *e = g_ptr_array_index (r->explanations, k);
      if (e->n_rows == 0 || e->n_units == 0)
        continue;
      g_array_append_val (self->method_index, k);
      gtk_string_list_append (methods, method_title (e->method));
    }
  if (self->method_index->len == 0)
    return;

  flow = add_section (self, _("Explanations by Method"),
                      _("Pick a method to see its attributions of every explained row (beeswarm) and, for a picked row, its waterfall from the base value to the prediction; where the method estimates them, whiskers are intervals at 95 %."));
  section = gtk_widget_get_parent (flow);
  self->method_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (methods)), NULL));
  self->row_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  /* the pickers wrap onto more lines in a narrow window (a box of them all
   * held the window at least ~1100 px wide) */
  pickers = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (pickers), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (pickers), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (pickers), 18);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (pickers), 6);
  gtk_widget_set_hexpand (pickers, TRUE);
  picker_append (pickers, labelled_dropdown (_("_Method"), self->method_dropdown));
  picker_append (pickers, labelled_dropdown (_("R_ow"), self->row_dropdown));
  gtk_box_insert_child_after (GTK_BOX (section), pickers,
                              gtk_widget_get_prev_sibling (flow));
  fill_rows (self);
  g_signal_connect (self->method_dropdown, "notify::selected", G_CALLBACK (on_method_selected), self);
  g_signal_connect (self->row_dropdown, "notify::selected", G_CALLBACK (on_row_selected), self);

  {
    /* a text model's methods draw bars by word piece, not a beeswarm */
    const GbExplanation *first = g_ptr_array_index (r->explanations,
                                                    g_array_index (self->method_index, guint, 0));
    self->explain_charts[0] = add_chart (self, flow, CHART_BEESWARM, 0, 420,
                                         first->text
                                           ? _("Each feature’s mean |attribution| over the explained rows, and each word piece’s over its occurrences in them; the largest first.")
                                           : _("One point per explained row; colour is the feature’s value (numeric features), grey for categorical features."),
                                         NULL);
  }
  self->explain_charts[1] = add_chart (self, flow, CHART_WATERFALL, 0, 420,
                                       _("Red bars push the prediction up, blue bars down."), NULL);

  /* the dependence plot of a picked numeric feature, the most important first */
  self->feature_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->feature_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Feature of the dependence plot"), -1);
  self->feature_box = labelled_dropdown (_("_Feature"), self->feature_dropdown);
  picker_append (pickers, self->feature_box);
  fill_features (self);
  g_signal_connect (self->feature_dropdown, "notify::selected", G_CALLBACK (on_feature_selected),
                    self);
  if (self->dep_features->len > 0)
    self->dep_chart = add_chart (self, flow, CHART_DEPENDENCE, 0, 380,
                                 _("Each point is one explained row: the picked feature’s value against its attribution by the picked method; a vertical spread at one value shows interactions with other features."),
                                 NULL);

  /* find a row by its number or a cell's text */
  self->row_search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->row_search, "placeholder-text", _("Find a row by number or text"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->row_search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Find an explained row"), -1);
  gtk_widget_set_size_request (GTK_WIDGET (self->row_search), 240, -1);
  self->search_status = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->search_status), "dim-label");
  picker_append (pickers, GTK_WIDGET (self->row_search));
  picker_append (pickers, GTK_WIDGET (self->search_status));
  g_signal_connect (self->row_search, "search-changed", G_CALLBACK (on_row_search_changed), self);
  g_signal_connect (self->row_search, "activate", G_CALLBACK (on_row_search_activate), self);

  /* every method's waterfall of the picked row, side by side */
  if (self->method_index->len > 1)
    {
      GtkWidget *side = add_section (self, _("Methods Side by Side"),
                                     _("The picked row explained by every method, next to each other. Whiskers are 95 % intervals where the method estimates them (sampled KernelSHAP); LIME’s values are slopes of its local surrogate, so its bars need not add up to the prediction."));
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (side), 3);
      for (guint i = 0; i < self->method_index->len && i < G_N_ELEMENTS (self->side_charts); i++)
        self->side_charts[self->n_side_charts++] =
          add_chart (self, side, CHART_METHOD_WATERFALL,
                     g_array_index (self->method_index, guint, i), 380, NULL, NULL);
    }

  add_faithfulness (self, r);
}

/* ---- the Audit Report group: auditor and model card, into the settings ---- */

static const char *const card_titles[] = {
  N_("Model Details"), N_("Intended Use"), N_("Factors"), N_("Ethical Considerations"),
  N_("Caveats and Recommendations"),
};

static char **
card_field (GbAuditSettings *s, guint i)
{
  switch (i)
    {
    case 0: return &s->model_card_details;
    case 1: return &s->model_card_intended_use;
    case 2: return &s->model_card_factors;
    case 3: return &s->model_card_ethical_considerations;
    default: return &s->model_card_caveats;
    }
}

static void
store_text (char **field, const char *text)
{
  g_free (*field);
  *field = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static const char *const papers[] = { NULL, "a4", "letter" };

/* The switches and the paper into @s. */
static void
report_settings_store (GbReportPane *self, GbAuditSettings *s)
{
  guint paper = self->paper_row != NULL ? adw_combo_row_get_selected (self->paper_row) : 0;

  s->omit_sections = self->omit_sections;
  g_free (s->paper);
  s->paper = g_strdup (papers[MIN (paper, G_N_ELEMENTS (papers) - 1)]);
}

static void
store_fields (GbReportPane *self)
{
  GbAuditSettings *s;

  if (self->audit == NULL || self->loading_fields)
    return;
  s = gb_audit_get_settings (self->audit);
  report_settings_store (self, s);
  schedule_preview (self);
  store_text (&s->auditor, gtk_editable_get_text (GTK_EDITABLE (self->auditor_row)));
  store_text (&s->organisation, gtk_editable_get_text (GTK_EDITABLE (self->organisation_row)));
  for (guint i = 0; i < G_N_ELEMENTS (self->card_buffers); i++)
    {
      GtkTextIter start, end;
      g_autofree char *text = NULL;
      gtk_text_buffer_get_bounds (self->card_buffers[i], &start, &end);
      text = gtk_text_buffer_get_text (self->card_buffers[i], &start, &end, FALSE);
      store_text (card_field (s, i), text);
    }
}

static void
on_field_changed (GbReportPane *self)
{
  store_fields (self);
}

/* A new audit: its own texts win; fields it leaves empty keep what was typed. */
static void
load_fields (GbReportPane *self)
{
  GbAuditSettings *s = gb_audit_get_settings (self->audit);

  self->loading_fields = TRUE;
  if (s->auditor != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->auditor_row), s->auditor);
  if (s->organisation != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->organisation_row), s->organisation);
  for (guint i = 0; i < G_N_ELEMENTS (self->card_buffers); i++)
    if (*card_field (s, i) != NULL)
      gtk_text_buffer_set_text (self->card_buffers[i], *card_field (s, i), -1);
  self->loading_fields = FALSE;
  store_fields (self);
}

static void
build_report_group (GbReportPane *self)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Audit Report"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Printed on the title page and in the model card of the next PDF export."));
  self->auditor_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->auditor_row), _("Auditor"));
  self->organisation_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->organisation_row), _("Organisation"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->auditor_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->organisation_row));
  g_signal_connect_swapped (self->auditor_row, "changed", G_CALLBACK (on_field_changed), self);
  g_signal_connect_swapped (self->organisation_row, "changed", G_CALLBACK (on_field_changed), self);

  for (guint i = 0; i < G_N_ELEMENTS (card_titles); i++)
    {
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *view = gtk_text_view_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(card_titles[i]));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), _("Model card free text"));
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
      gtk_widget_set_size_request (view, -1, 96);
      gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(card_titles[i]), -1);
      self->card_buffers[i] = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
      g_signal_connect_swapped (self->card_buffers[i], "changed", G_CALLBACK (on_field_changed), self);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), view);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  self->report_group = group;
  gtk_widget_insert_after (group, gtk_widget_get_parent (GTK_WIDGET (self->sections_box)),
                           GTK_WIDGET (self->sections_box));
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
      /* a multiclass model has no single ROC curve: its confusion matrix instead */
      if (r->roc_len == 0 && r->confusion != NULL && r->n_classes > 0)
        self->performance_chart = add_chart (self, flow, CHART_CONFUSION, 0,
                                             r->n_classes > 8 ? 520 : 400, NULL, NULL);
      else
        self->performance_chart = add_chart (self, flow, CHART_ROC, 0, 400, NULL, NULL);
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
      if (ig->text)
        /* text rows differ in their word pieces: the picked row as running text */
        self->token_chart = add_chart (self, flow, CHART_TOKEN_HEATMAP, 0, 240,
                                       _("The picked row’s features and word pieces, each on its attribution’s colour: red pushes the prediction towards the explained class, blue away from it."),
                                       NULL);
      else
        add_chart (self, flow, CHART_IG_HEATMAP, 0, MAX (360, 120 + 22 * (int) ig->n_rows), NULL,
                   _("Red pushes the prediction towards the positive class, blue away from it"));
      add_chart (self, flow, CHART_IG_GLOBAL, 0, MAX (360, 120 + 22 * (int) ig->n_rows), NULL,
                 NULL);
    }

  if (r->explanations != NULL && r->explanations->len > 0)
    add_explanations (self, r);

  /* 3 Fairness */
  if (r->fairness != NULL && r->fairness->len > 0)
    {
      const GbFairnessResult *f0 = g_ptr_array_index (r->fairness, 0);
      g_autofree char *desc = g_strdup_printf (
        _("Group rates of the model’s held-out predictions per protected attribute (Fairlearn and AIF360 definitions), with Wilson 95 %% intervals; disparate impact ratios carry stratified bootstrap 95 %% intervals (%u replicates), and the shaded band is the four-fifths rule (0.8–1.25). Groups under %zu rows are starred."),
        f0->bootstrap, (size_t) f0->min_group_size);
      GtkWidget *flow = add_section (self, _("Fairness"), desc);
      for (guint i = 0; i < r->fairness->len; i++)
        {
          const GbFairnessResult *f = g_ptr_array_index (r->fairness, i);
          g_autofree char *sentence = fairness_sentence (f);
          g_autofree char *caption = g_strdup_printf (
            _("%s: statistical parity difference %.3f · equal opportunity difference %.3f · equalized odds difference %.3f"),
            f->attribute, f->statistical_parity_difference,
            f->equal_opportunity_difference, f->equalized_odds_difference);
          add_chart (self, flow, CHART_FAIR_BARS, i, f->n_groups > 4 ? 400 : 360, caption, NULL);
          add_chart (self, flow, CHART_DISPARATE_IMPACT, i,
                     MAX (220, 110 + 26 * (int) f->n_comparisons), sentence, NULL);
          add_fair_curves (self, flow, f, i);
        }
      add_mitigation (self, flow, r);
      add_proxies (self, flow, r);
    }

  /* 3b Counterfactual substitution of identity terms (text models), with an editable list */
  if (r->counterfactual != NULL && r->counterfactual->len > 0)
    {
      add_section (self, _("Counterfactual Substitution of Identity Terms"),
                   _("Each held-out text that contains a listed identity term is rewritten with "
                     "its partner term (he ↔ she, names) and predicted again; the change carries "
                     "a paired t interval (95 percent) and the paired t-test."));
      gtk_box_append (self->sections_box, gb_counterfactual_editor_new (self->audit));
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
      /* the diagnostics in a flow of their own: a homogeneous flow would
       * stretch them to the forest's height */
      flow = new_flow (GTK_BOX (gtk_widget_get_parent (flow)));
      if (r->causal != NULL && r->causal->balance != NULL && r->causal->balance->len > 0)
        add_chart (self, flow, CHART_LOVE, 0,
                   CLAMP (110 + 24 * (int) r->causal->balance->len, 260, 560),
                   _("Standardized mean differences before and after adjustment; below 0.1 is usually taken as balanced (Austin 2009)."),
                   NULL);
      if (r->causal != NULL && r->causal->propensity != NULL && r->causal->n_all > 0)
        add_chart (self, flow, CHART_OVERLAP, 0,
                   r->causal->balance != NULL && r->causal->balance->len > 0
                     ? CLAMP (110 + 24 * (int) r->causal->balance->len, 260, 560) : 320,
                   _("Treated rows above the axis, control rows below: bins where one side is empty have no comparable rows."),
                   NULL);
    }

  if (self->n_charts == 0)
    add_section (self, _("Nothing to Show"),
                 _("The audit produced no charts: check the roles in the Dataset pane."));
}

/* ---- the live preview and the section switches (issue 8) ---- */

/* No reference to the pane: a running render must not keep the pane (and
 * with it the job queue that would join the worker) alive after its window
 * is closed; the pane's dispose cancels the render and waits for it. */
typedef struct {
  GbAudit *audit;              /* (owned) its results do not change after the run */
  GbAuditSettings settings;    /* a copy: the fields may change while the worker runs */
  guint generation;
} PreviewTask;

typedef struct {
  GPtrArray *pages;
  double width, height;
} PreviewPages;

static void
preview_task_free (gpointer data)
{
  PreviewTask *t = data;
  gb_audit_settings_clear (&t->settings);
  g_clear_object (&t->audit);
  g_free (t);
}

static void
preview_pages_free (gpointer data)
{
  PreviewPages *p = data;
  g_clear_pointer (&p->pages, g_ptr_array_unref);
  g_free (p);
}

static gboolean
preview_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  PreviewTask *t = task_data;
  PreviewPages *p = g_new0 (PreviewPages, 1);

  p->pages = gb_report_render_pages (&t->settings, gb_audit_get_results (t->audit), &p->width,
                                     &p->height, cancellable, error);
  if (p->pages == NULL)
    {
      preview_pages_free (p);
      return FALSE;
    }
  gb_job_set_result (job, p, preview_pages_free);
  return TRUE;
}

static void
preview_done (GbJob *job, const GError *error, gpointer user_data)
{
  GbReportPane *self = user_data;
  PreviewTask *t = gb_job_get_task_data (job);
  PreviewPages *p;
  g_autofree char *status = NULL;

  if (t->generation != self->preview_generation || self->preview == NULL)
    return;   /* a newer render is on its way, or the pane is gone */
  g_clear_pointer (&self->preview_job, gb_job_unref);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->preview_status, error->message);
      return;
    }
  p = gb_job_get_result (job);
  gb_page_preview_set_pages (self->preview, p->pages, p->width, p->height);
  self->n_preview_renders++;
  status = g_strdup_printf (_("%u pages, %s paper, as the PDF export will print them"),
                            p->pages->len, p->width > 600 ? _("US Letter") : _("A4"));
  gtk_label_set_text (self->preview_status, status);
}

static gboolean
preview_timeout_cb (gpointer user_data)
{
  GbReportPane *self = user_data;
  PreviewTask *t;

  self->preview_timeout = 0;
  if (self->audit == NULL || gb_audit_get_results (self->audit) == NULL)
    return G_SOURCE_REMOVE;
  if (self->preview_job != NULL)
    gb_job_cancel (self->preview_job);
  g_clear_pointer (&self->preview_job, gb_job_unref);
  t = g_new0 (PreviewTask, 1);
  t->audit = g_object_ref (self->audit);
  gb_audit_settings_copy (&t->settings, gb_audit_get_settings (self->audit));
  g_free (t->settings.command_line);
  t->settings.command_line = gb_audit_settings_build_command_line (&t->settings);
  t->generation = ++self->preview_generation;
  gtk_label_set_text (self->preview_status, _("Updating the preview…"));
  self->preview_job = gb_job_ref (gb_job_queue_push (self->preview_queue, "report-preview",
                                                     preview_worker, t, preview_task_free,
                                                     NULL, preview_done, self));
  return G_SOURCE_REMOVE;
}

/* Re-renders the preview 300 ms after the last change (results, switches,
 * paper or a text field), in the worker, never on the UI thread. */
static void
schedule_preview (GbReportPane *self)
{
  if (self->audit == NULL || self->preview_queue == NULL)
    return;
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  self->preview_timeout = g_timeout_add (300, preview_timeout_cb, self);
}

static void
on_section_toggled (GbReportPane *self)
{
  guint omit = 0;

  for (guint k = 0; k < GB_REPORT_N_SECTIONS; k++)
    if (self->section_switches[k] != NULL && !gtk_switch_get_active (self->section_switches[k]))
      omit |= 1u << k;
  self->omit_sections = omit & GB_REPORT_OPTIONAL_SECTIONS;
  store_fields (self);
}

static void
build_preview_group (GbReportPane *self)
{
  GtkWidget *preview_group = adw_preferences_group_new ();
  GtkWidget *sections_group = adw_preferences_group_new ();
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self->sections_box));
  GtkStringList *paper_names = gtk_string_list_new (NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (preview_group), _("Report Preview"));
  self->preview_status = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->preview_status, 0);
  gtk_label_set_wrap (self->preview_status, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->preview_status), "dim-label");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (preview_group),
                             GTK_WIDGET (self->preview_status));
  self->preview = GB_PAGE_PREVIEW (gb_page_preview_new ());
  gtk_widget_set_margin_top (GTK_WIDGET (self->preview), 6);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (preview_group), GTK_WIDGET (self->preview));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (sections_group), _("Report Sections"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (sections_group),
                                         _("The title page and the reproducibility appendix are always printed: they name the report and let others check and re-run it."));
  gtk_string_list_append (paper_names, _("From the Locale"));
  gtk_string_list_append (paper_names, _("A4"));
  gtk_string_list_append (paper_names, _("US Letter"));
  self->paper_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->paper_row), _("Paper"));
  adw_combo_row_set_model (self->paper_row, G_LIST_MODEL (paper_names));
  g_object_unref (paper_names);
  g_signal_connect_swapped (self->paper_row, "notify::selected", G_CALLBACK (store_fields), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (sections_group), GTK_WIDGET (self->paper_row));
  for (guint k = 0; k < GB_REPORT_N_SECTIONS; k++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gb_report_section_title (k));
      gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      if (k == GB_REPORT_SECTION_REPRODUCIBILITY)
        {
          gtk_widget_set_sensitive (sw, FALSE);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Always printed"));
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gb_report_section_title (k), -1);
      self->section_switches[k] = GTK_SWITCH (sw);
      g_signal_connect_swapped (sw, "notify::active", G_CALLBACK (on_section_toggled), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (sections_group), row);
    }

  gtk_widget_insert_before (preview_group, parent, GTK_WIDGET (self->sections_box));
  gtk_widget_insert_before (sections_group, parent, GTK_WIDGET (self->sections_box));
}

void
gb_report_pane_apply_settings (GbReportPane *self, GbAuditSettings *settings)
{
  g_return_if_fail (GB_IS_REPORT_PANE (self));
  g_return_if_fail (settings != NULL);

  report_settings_store (self, settings);
  store_text (&settings->auditor, gtk_editable_get_text (GTK_EDITABLE (self->auditor_row)));
  store_text (&settings->organisation,
              gtk_editable_get_text (GTK_EDITABLE (self->organisation_row)));
  for (guint i = 0; i < G_N_ELEMENTS (self->card_buffers); i++)
    {
      GtkTextIter start, end;
      g_autofree char *text = NULL;
      gtk_text_buffer_get_bounds (self->card_buffers[i], &start, &end);
      text = gtk_text_buffer_get_text (self->card_buffers[i], &start, &end, FALSE);
      store_text (card_field (settings, i), text);
    }
}

void
gb_report_pane_load_settings (GbReportPane *self, const GbAuditSettings *s)
{
  g_return_if_fail (GB_IS_REPORT_PANE (self));
  g_return_if_fail (s != NULL);

  self->loading_fields = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->auditor_row), s->auditor ? s->auditor : "");
  gtk_editable_set_text (GTK_EDITABLE (self->organisation_row),
                         s->organisation ? s->organisation : "");
  for (guint i = 0; i < G_N_ELEMENTS (self->card_buffers); i++)
    {
      const char *text = *card_field ((GbAuditSettings *) s, i);
      gtk_text_buffer_set_text (self->card_buffers[i], text ? text : "", -1);
    }
  adw_combo_row_set_selected (self->paper_row,
                              g_strcmp0 (s->paper, "a4") == 0 ? 1
                              : g_strcmp0 (s->paper, "letter") == 0 ? 2 : 0);
  for (guint k = 0; k < GB_REPORT_N_SECTIONS; k++)
    gtk_switch_set_active (self->section_switches[k], gb_report_section_included (s->omit_sections, k));
  self->loading_fields = FALSE;
  self->omit_sections = s->omit_sections & GB_REPORT_OPTIONAL_SECTIONS;
  store_fields (self);
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

  load_fields (self);
  schedule_preview (self);
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
  g_clear_pointer (&self->method_index, g_array_unref);
  g_clear_pointer (&self->dep_features, g_array_unref);
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  g_clear_pointer (&self->preview_job, gb_job_unref);
  if (self->preview_queue != NULL)
    gb_job_queue_shutdown (self->preview_queue);   /* no preview_done after this */
  g_clear_object (&self->preview_queue);
  self->preview = NULL;
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
  gtk_widget_class_bind_template_child (widget_class, GbReportPane, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GbReportPane, empty_run_button);
  gtk_widget_class_bind_template_child (widget_class, GbReportPane, empty_progress);
  gtk_widget_class_bind_template_child (widget_class, GbReportPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, GbReportPane, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, GbReportPane, sections_box);
}

static void
gb_report_pane_init (GbReportPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_report_group (self);
  build_preview_group (self);
  self->preview_queue = gb_job_queue_new (1);
}

void
gb_report_pane_set_running (GbReportPane *self, gboolean running)
{
  g_return_if_fail (GB_IS_REPORT_PANE (self));

  gtk_widget_set_visible (self->empty_run_button, !running);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_progress), running);
  if (running)
    {
      gtk_progress_bar_set_fraction (self->empty_progress, 0);
      gtk_progress_bar_set_text (self->empty_progress, _("Starting…"));
      adw_status_page_set_title (self->empty_page, _("Audit Running…"));
      adw_status_page_set_description (self->empty_page,
                                       _("The report appears here when the audit finishes: "
                                         "the model is trained, then its predictions are "
                                         "explained and checked for fairness and causal "
                                         "effects. Cancel it on the Model page."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Report Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Run the audit to see its charts here — performance, "
                                         "attributions, fairness and causal effects — then "
                                         "export them as a PDF audit report."));
    }
}

void
gb_report_pane_set_progress (GbReportPane *self, double fraction, const char *message)
{
  g_return_if_fail (GB_IS_REPORT_PANE (self));

  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->empty_progress, CLAMP (fraction, 0, 1));
  else
    gtk_progress_bar_pulse (self->empty_progress);
  if (message != NULL)
    gtk_progress_bar_set_text (self->empty_progress, message);
}

#ifdef GB_TESTING
guint
gb_report_pane_get_n_charts (GbReportPane *self)
{
  return self->n_charts;
}

guint
gb_report_pane_get_n_section_charts (GbReportPane *self, const char *section)
{
  if (g_strcmp0 (section, "explanations") == 0)
    return self->n_section_charts[SECTION_EXPLAIN];
  if (g_strcmp0 (section, "fairness") == 0)
    return self->n_section_charts[SECTION_FAIRNESS];
  if (g_strcmp0 (section, "causal") == 0)
    return self->n_section_charts[SECTION_CAUSAL];
  return self->n_section_charts[SECTION_OTHER];
}

GtkDropDown *
gb_report_pane_get_method_dropdown (GbReportPane *self)
{
  return self->method_dropdown;
}

const char *
gb_report_pane_get_method (GbReportPane *self)
{
  const GbAuditResults *r = self->audit != NULL ? gb_audit_get_results (self->audit) : NULL;
  const GbExplanation *e = r != NULL ? picked_explanation (self, r) : NULL;
  return e != NULL ? e->method : NULL;
}

guint
gb_report_pane_get_n_explain_draws (GbReportPane *self)
{
  return self->n_explain_draws;
}

guint
gb_report_pane_get_n_side_charts (GbReportPane *self)
{
  return self->n_side_charts;
}

GtkWidget *
gb_report_pane_get_side_chart (GbReportPane *self, guint i)
{
  return i < self->n_side_charts ? self->side_charts[i] : NULL;
}

GtkDropDown *
gb_report_pane_get_feature_dropdown (GbReportPane *self)
{
  return self->feature_dropdown;
}

const char *
gb_report_pane_get_dependence_feature (GbReportPane *self)
{
  const GbAuditResults *r = self->audit != NULL ? gb_audit_get_results (self->audit) : NULL;
  const GbExplanation *e = r != NULL ? picked_explanation (self, r) : NULL;
  if (e == NULL || self->dep_features == NULL || self->dep_feature >= self->dep_features->len)
    return NULL;
  return e->unit_names[g_array_index (self->dep_features, guint, self->dep_feature)];
}

GtkWidget *
gb_report_pane_get_dependence_chart (GbReportPane *self)
{
  return self->dep_chart;
}

GtkWidget *
gb_report_pane_get_curve_chart (GbReportPane *self, guint i)
{
  return i < G_N_ELEMENTS (self->curve_charts) ? self->curve_charts[i] : NULL;
}

GtkWidget *
gb_report_pane_get_token_chart (GbReportPane *self)
{
  return self->token_chart;
}

GtkWidget *
gb_report_pane_get_performance_chart (GbReportPane *self)
{
  return self->performance_chart;
}

GtkWidget *
gb_report_pane_get_explain_chart (GbReportPane *self, guint i)
{
  return i < G_N_ELEMENTS (self->explain_charts) ? self->explain_charts[i] : NULL;
}

char **
gb_report_pane_dup_ig_global_labels (GbReportPane *self)
{
  const GbAuditResults *r = self->audit != NULL ? gb_audit_get_results (self->audit) : NULL;
  char **labels = NULL;
  double *values = NULL;

  if (r == NULL || r->integrated_gradients == NULL)
    return NULL;
  if (r->integrated_gradients->text && ig_text_global (r, 15, &labels, &values) > 0)
    {
      g_free (values);
      return labels;
    }
  g_strfreev (labels);
  g_free (values);
  labels = g_new0 (char *, r->integrated_gradients->n_features + 1);
  for (guint i = 0; i < r->integrated_gradients->n_features; i++)
    labels[i] = g_strdup (r->integrated_gradients->feature_names[i]);
  return labels;
}

guint
gb_report_pane_get_n_new_draws (GbReportPane *self, const char *chart)
{
  if (g_strcmp0 (chart, "dependence") == 0)
    return self->n_dep_draws;
  if (g_strcmp0 (chart, "curves") == 0)
    return self->n_curve_draws;
  if (g_strcmp0 (chart, "tokens") == 0)
    return self->n_token_draws;
  return 0;
}

GtkSearchEntry *
gb_report_pane_get_row_search (GbReportPane *self)
{
  return self->row_search;
}

gsize
gb_report_pane_get_picked_row (GbReportPane *self)
{
  const GbAuditResults *r = self->audit != NULL ? gb_audit_get_results (self->audit) : NULL;
  const GbExplanation *e = r != NULL ? picked_explanation (self, r) : NULL;
  return e != NULL && e->n_rows > 0 ? e->rows[MIN (self->row, e->n_rows - 1)].row : G_MAXSIZE;
}

AdwEntryRow *
gb_report_pane_get_auditor_row (GbReportPane *self)
{
  return self->auditor_row;
}

GbPagePreview *
gb_report_pane_get_preview (GbReportPane *self)
{
  return self->preview;
}

GtkSwitch *
gb_report_pane_get_section_switch (GbReportPane *self, GbReportSection section)
{
  g_return_val_if_fail ((guint) section < GB_REPORT_N_SECTIONS, NULL);
  return self->section_switches[section];
}

gboolean
gb_report_pane_preview_pending (GbReportPane *self)
{
  return self->preview_timeout != 0 || self->preview_job != NULL;
}

const char *
gb_report_pane_get_empty_title (GbReportPane *self)
{
  return adw_status_page_get_title (self->empty_page);
}

gboolean
gb_report_pane_preview_running (GbReportPane *self)
{
  return self->preview_timeout == 0 && self->preview_job != NULL;
}

guint
gb_report_pane_get_n_preview_renders (GbReportPane *self)
{
  return self->n_preview_renders;
}

GtkTextBuffer *
gb_report_pane_get_card_buffer (GbReportPane *self, guint i)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (self->card_buffers), NULL);
  return self->card_buffers[i];
}
#endif
