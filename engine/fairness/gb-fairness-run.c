/* gb-fairness-run.c — the fairness audit of a dataset and its mitigations. */
#include "gb-config.h"
#include "gb-fairness-run.h"
#include "gb-variable.h"
#include "gb-design.h"
#include "gb-logistic.h"

#include <math.h>
#include <string.h>

void
gb_fairness_mitigation_free (GbFairnessMitigation *m)
{
  if (m == NULL)
    return;
  g_free (m->method);
  g_free (m->attribute);
  g_free (m->description);
  g_clear_pointer (&m->before, gb_fairness_result_free);
  g_clear_pointer (&m->after, gb_fairness_result_free);
  g_strfreev (m->groups);
  g_free (m->rules);
  g_free (m->weights);
  g_free (m->tradeoff_threshold);
  g_free (m->tradeoff_accuracy);
  g_free (m->tradeoff_parity_difference);
  g_free (m->tradeoff_opportunity_difference);
  g_free (m);
}

static const GbColumn *
protected_column (GbDataset *ds, const char *name, GError **error)
{
  const int j = gb_dataset_find_column (ds, name);
  if (j < 0)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--protected: unknown column “%s” in %s", name, gb_dataset_get_path (ds));
      return NULL;
    }
  const GbColumn *c = gb_dataset_get_column (ds, j);
  if (c->type != GB_COLUMN_CATEGORICAL)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--protected: column “%s” is %s; a protected attribute must be categorical",
                   name, gb_column_type_to_string (c->type));
      return NULL;
    }
  return c;
}

/* The VALUE of "ATTRIBUTE=VALUE" for @attribute, or NULL. */
static const char *
reference_for (const char *const *refs, const char *attribute)
{
  const gsize len = strlen (attribute);
  for (guint i = 0; refs && refs[i]; i++)
    if (strncmp (refs[i], attribute, len) == 0 && refs[i][len] == '=')
      return refs[i] + len + 1;
  return NULL;
}

GPtrArray *
gb_fairness_audit_dataset (GbDataset *ds, const char *const *attributes,
                           const char *const *reference_groups, gboolean intersections,
                           const double *y_true, const double *y_pred, const double *score,
                           const guint8 *row_mask, const GbFairnessOptions *options,
                           GError **error)
{
  GbFairnessOptions o;
  const gsize n = gb_dataset_get_n_rows (ds);
  const guint n_attr = attributes ? g_strv_length ((char **) attributes) : 0;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) gb_fairness_result_free);
  g_autofree const GbColumn **cols = g_new0 (const GbColumn *, MAX (n_attr, 1));

  if (options)
    o = *options;
  else
    gb_fairness_options_init_default (&o);

  /* every reference must name an attribute audited */
  for (guint i = 0; reference_groups && reference_groups[i]; i++)
    {
      const char *eq = strchr (reference_groups[i], '=');
      gboolean known = FALSE;
      g_autofree char *joined = g_strjoinv ("*", (char **) attributes);
      for (guint a = 0; eq && a < n_attr; a++)
        known |= strncmp (reference_groups[i], attributes[a], eq - reference_groups[i]) == 0
          && strlen (attributes[a]) == (gsize) (eq - reference_groups[i]);
      if (eq && intersections && n_attr >= 2)
        known |= strncmp (reference_groups[i], joined, eq - reference_groups[i]) == 0
          && strlen (joined) == (gsize) (eq - reference_groups[i]);
      if (!known)
        {
          g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "--reference-group: “%s” must be ATTRIBUTE=VALUE with a protected "
                       "attribute%s", reference_groups[i],
                       intersections && n_attr >= 2 ? " or their intersection (a*b)" : "");
          return NULL;
        }
    }

  for (guint a = 0; a < n_attr; a++)
    {
      const GbColumn *c = cols[a] = protected_column (ds, attributes[a], error);
      if (c == NULL)
        return NULL;
      o.reference = reference_for (reference_groups, c->name);
      GbFairnessResult *fr = gb_fairness_audit (c->name, c->codes,
                                                (const char *const *) c->levels->pdata,
                                                c->levels->len, y_true, y_pred, score, row_mask,
                                                n, &o, error);
      if (fr == NULL)
        {
          /* an error that names its option (--reference-group) needs no second prefix */
          if (error && *error && !g_str_has_prefix ((*error)->message, "--"))
            g_prefix_error (error, "--protected=%s: ", c->name);
          return NULL;
        }
      g_ptr_array_add (out, fr);
    }
  if (intersections && n_attr >= 2)
    {
      g_autofree const gint32 **codes = g_new (const gint32 *, n_attr);
      g_autofree const char *const **levels = g_new (const char *const *, n_attr);
      g_autofree guint *n_levels = g_new (guint, n_attr);
      g_autofree gint32 *icodes = g_new (gint32, MAX (n, 1));
      g_autofree char *name = g_strjoinv ("*", (char **) attributes);
      guint n_ilevels = 0;
      for (guint a = 0; a < n_attr; a++)
        {
          codes[a] = cols[a]->codes;
          levels[a] = (const char *const *) cols[a]->levels->pdata;
          n_levels[a] = cols[a]->levels->len;
        }
      g_auto(GStrv) ilevels = gb_fairness_intersect (n_attr, codes, levels, n_levels, n, icodes,
                                                     &n_ilevels);
      o.reference = reference_for (reference_groups, name);
      GbFairnessResult *fr = gb_fairness_audit (name, icodes, (const char *const *) ilevels,
                                                n_ilevels, y_true, y_pred, score, row_mask, n,
                                                &o, error);
      if (fr == NULL)
        {
          g_prefix_error (error, "--intersections (%s): ", name);
          return NULL;
        }
      g_ptr_array_add (out, fr);
    }
  gb_fairness_results_adjust ((GbFairnessResult **) out->pdata, out->len);
  return g_steal_pointer (&out);
}

static GbFairnessMitigation *
mitigation_new (const char *method, const GbColumn *c)
{
  GbFairnessMitigation *m = g_new0 (GbFairnessMitigation, 1);
  m->method = g_strdup (method);
  m->attribute = g_strdup (c->name);
  m->n_groups = c->levels->len;
  m->groups = g_new0 (char *, m->n_groups + 1);
  for (guint g = 0; g < m->n_groups; g++)
    m->groups[g] = g_strdup (g_ptr_array_index (c->levels, g));
  m->accuracy_before = m->accuracy_after = NAN;
  return m;
}

static double
accuracy_of (const double *y, const double *pred, const guint8 *mask, gsize n)
{
  double ok = 0, total = 0;
  for (gsize i = 0; i < n; i++)
    if (mask[i] && !isnan (y[i]) && !isnan (pred[i]))
      {
        ok += y[i] == pred[i];
        total += 1;
      }
  return total > 0 ? ok / total : NAN;
}

GbFairnessMitigation *
gb_fairness_mitigate_thresholds (GbDataset *ds, const char *attribute, const double *y_true,
                                 const double *score, double threshold, const guint8 *row_mask,
                                 GbFairnessConstraint constraint, const GbFairnessOptions *options,
                                 GError **error)
{
  GbFairnessOptions o;
  const gsize n = gb_dataset_get_n_rows (ds);
  const GbColumn *c = protected_column (ds, attribute, error);
  if (c == NULL)
    return NULL;
  if (options)
    o = *options;
  else
    gb_fairness_options_init_default (&o);
  o.reference = NULL;

  /* validation / test halves, stratified by group × label */
  g_autofree double *stratum = g_new (double, MAX (n, 1));
  g_autofree guint8 *split = g_new (guint8, MAX (n, 1));
  g_autofree guint8 *fit = g_new0 (guint8, MAX (n, 1));
  g_autofree guint8 *eval = g_new0 (guint8, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    stratum[i] = (row_mask && !row_mask[i]) || c->codes[i] < 0 || isnan (y_true[i]) || isnan (score[i])
      ? NAN : c->codes[i] * 2.0 + y_true[i];
  gb_split_stratified (stratum, n, 0.5, o.seed, split);
  gsize n_fit = 0, n_eval = 0;
  for (gsize i = 0; i < n; i++)
    {
      fit[i] = split[i] == 0;
      eval[i] = split[i] == 1;
      n_fit += fit[i];
      n_eval += eval[i];
    }
  if (n_fit < 2 || n_eval < 2)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--mitigate=thresholds: only %" G_GSIZE_FORMAT " rows have a score, a label "
                   "and a group of “%s”; too few to fit and evaluate thresholds",
                   n_fit + n_eval, attribute);
      return NULL;
    }

  g_autofree char *method = g_strdup_printf ("thresholds_%s", gb_fairness_constraint_name (constraint));
  g_autoptr(GbFairnessMitigation) m = mitigation_new (method, c);
  double fit_acc;
  m->rules = gb_fairness_fit_thresholds (c->codes, c->levels->len, score, y_true, fit, n,
                                         constraint, 0.01, &fit_acc, error);
  if (m->rules == NULL)
    return NULL;
  m->n_fit = n_fit;
  m->n_eval = n_eval;
  m->threshold = threshold;

  g_autofree double *before = g_new (double, MAX (n, 1));
  g_autofree double *after = g_new (double, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    before[i] = eval[i] && !isnan (score[i]) ? (score[i] >= threshold ? 1.0 : 0.0) : NAN;
  gb_fairness_apply_thresholds (m->rules, c->levels->len, c->codes, score, eval, n, o.seed + 1,
                                after, NULL);
  const char *const *levels = (const char *const *) c->levels->pdata;
  m->before = gb_fairness_audit (c->name, c->codes, levels, c->levels->len, y_true, before, score,
                                 eval, n, &o, error);
  if (m->before == NULL)
    return NULL;
  m->after = gb_fairness_audit (c->name, c->codes, levels, c->levels->len, y_true, after, NULL,
                                eval, n, &o, error);
  if (m->after == NULL)
    return NULL;
  m->accuracy_before = accuracy_of (y_true, before, eval, n);
  m->accuracy_after = accuracy_of (y_true, after, eval, n);

  m->n_tradeoff = 101;
  m->tradeoff_threshold = g_new (double, m->n_tradeoff);
  m->tradeoff_accuracy = g_new (double, m->n_tradeoff);
  m->tradeoff_parity_difference = g_new (double, m->n_tradeoff);
  m->tradeoff_opportunity_difference = g_new (double, m->n_tradeoff);
  gb_fairness_tradeoff (c->codes, c->levels->len, score, y_true, eval, n, m->n_tradeoff,
                        m->tradeoff_threshold, m->tradeoff_accuracy, m->tradeoff_parity_difference,
                        m->tradeoff_opportunity_difference);
  m->description = g_strdup_printf ("Group-specific thresholds for %s (Hardt, Price & Srebro 2016%s), "
                                    "fitted on a validation half of %" G_GSIZE_FORMAT " rows "
                                    "(grid step 0.01) and evaluated on the other %" G_GSIZE_FORMAT
                                    " rows.", gb_fairness_constraint_name (constraint),
                                    constraint == GB_FAIRNESS_CONSTRAINT_EQUALIZED_ODDS
                                      ? ", randomised where needed" : "",
                                    n_fit, n_eval);
  for (char *p = m->description; *p; p++)
    if (*p == '_')
      *p = ' ';
  return g_steal_pointer (&m);
}

GbFairnessMitigation *
gb_fairness_mitigate_reweighing (GbDataset *ds, const char *attribute,
                                 const char *const *features, guint n_features,
                                 const double *y_true, const guint8 *split,
                                 const GbFairnessOptions *options, GError **error)
{
  GbFairnessOptions o;
  const gsize n = gb_dataset_get_n_rows (ds);
  const GbColumn *c = protected_column (ds, attribute, error);
  if (c == NULL)
    return NULL;
  if (options)
    o = *options;
  else
    gb_fairness_options_init_default (&o);
  o.reference = NULL;

  g_autoptr(GbFairnessMitigation) m = mitigation_new ("reweighing", c);
  g_autofree guint8 *train = g_new (guint8, MAX (n, 1));
  g_autofree guint8 *use = g_new (guint8, MAX (n, 1));
  g_autofree double *w = g_new (double, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      train[i] = split[i] == 0;
      use[i] = (split[i] == 0 || split[i] == 1) && !isnan (y_true[i]);
    }
  m->weights = g_new (double, (gsize) MAX (m->n_groups, 1) * 2);
  if (!gb_fairness_reweighing (c->codes, c->levels->len, y_true, train, n, w, m->weights, error))
    return NULL;

  /* the logistic-regression model without and with the weights */
  g_autoptr(GbDesign) d = gb_design_matrix_build (ds, features, n_features, use, TRUE, TRUE, error);
  if (d == NULL)
    return NULL;
  gb_design_drop_constant_columns (d);
  gsize nt = 0;
  for (gsize k = 0; k < d->n; k++)
    nt += train[d->rows[k]] && !isnan (w[d->rows[k]]);
  g_autofree double *Xt = g_new (double, MAX (nt, 1) * d->p);
  g_autofree double *yt = g_new (double, MAX (nt, 1));
  g_autofree double *wt = g_new (double, MAX (nt, 1));
  for (gsize k = 0, j = 0; k < d->n; k++)
    {
      const gsize i = d->rows[k];
      if (!train[i] || isnan (w[i]))
        continue;
      memcpy (Xt + j * d->p, d->X + k * d->p, d->p * sizeof (double));
      yt[j] = y_true[i];
      wt[j] = w[i];
      j++;
    }
  g_autoptr(GbLogisticFit) f0 = gb_logistic_fit (Xt, yt, NULL, nt, d->p, 1.0, error);
  if (f0 == NULL)
    return NULL;
  g_autoptr(GbLogisticFit) f1 = gb_logistic_fit (Xt, yt, wt, nt, d->p, 1.0, error);
  if (f1 == NULL)
    return NULL;
  g_autofree double *p0 = g_new (double, MAX (d->n, 1));
  g_autofree double *p1 = g_new (double, MAX (d->n, 1));
  gb_logistic_predict (f0, d->X, d->n, p0);
  gb_logistic_predict (f1, d->X, d->n, p1);
  g_autofree double *before = g_new (double, MAX (n, 1));
  g_autofree double *after = g_new (double, MAX (n, 1));
  g_autofree double *s0 = g_new (double, MAX (n, 1));
  g_autofree guint8 *eval = g_new0 (guint8, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    before[i] = after[i] = s0[i] = NAN;
  for (gsize k = 0; k < d->n; k++)
    {
      const gsize i = d->rows[k];
      if (split[i] != 1)
        continue;
      eval[i] = 1;
      s0[i] = p0[k];
      before[i] = p0[k] >= 0.5;
      after[i] = p1[k] >= 0.5;
      m->n_eval++;
    }
  m->n_fit = nt;
  m->threshold = 0.5;
  const char *const *levels = (const char *const *) c->levels->pdata;
  m->before = gb_fairness_audit (c->name, c->codes, levels, c->levels->len, y_true, before, s0,
                                 eval, n, &o, error);
  if (m->before == NULL)
    return NULL;
  m->after = gb_fairness_audit (c->name, c->codes, levels, c->levels->len, y_true, after, NULL,
                                eval, n, &o, error);
  if (m->after == NULL)
    return NULL;
  m->accuracy_before = accuracy_of (y_true, before, eval, n);
  m->accuracy_after = accuracy_of (y_true, after, eval, n);
  m->description = g_strdup_printf ("Reweighing (Kamiran & Calders 2012) on %" G_GSIZE_FORMAT
                                    " training rows; its effect is shown on the logistic-regression "
                                    "baseline retrained with the weights and evaluated on %"
                                    G_GSIZE_FORMAT " held-out rows (weighted training of the "
                                    "transformer is not available yet).", nt, m->n_eval);
  return g_steal_pointer (&m);
}

void
gb_fairness_proxy_clear (GbFairnessProxy *p)
{
  g_clear_pointer (&p->feature, g_free);
  g_clear_pointer (&p->attribute, g_free);
  g_clear_pointer (&p->group, g_free);
}

static gint
cmp_proxy (gconstpointer a, gconstpointer b)
{
  const GbFairnessProxy *x = a, *y = b;
  return x->auc > y->auc ? -1 : x->auc < y->auc;
}

GArray *
gb_fairness_proxy_check (GbDataset *ds, const char *const *attributes,
                         const char *const *features, guint n_features, const guint8 *row_mask)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (GbFairnessProxy));
  g_array_set_clear_func (out, (GDestroyNotify) gb_fairness_proxy_clear);
  for (guint a = 0; attributes && attributes[a]; a++)
    {
      const int ja = gb_dataset_find_column (ds, attributes[a]);
      if (ja < 0)
        continue;
      const GbColumn *ca = gb_dataset_get_column (ds, ja);
      if (ca->type != GB_COLUMN_CATEGORICAL)
        continue;
      for (guint f = 0; f < n_features; f++)
        {
          const int jf = gb_dataset_find_column (ds, features[f]);
          if (jf < 0 || jf == ja)
            continue;
          const GbColumn *cf = gb_dataset_get_column (ds, jf);
          guint g = 0;
          double auc;
          if (cf->type == GB_COLUMN_NUMERIC)
            auc = gb_fairness_proxy_auc (cf->numeric, NULL, 0, ca->codes, ca->levels->len,
                                         row_mask, cf->n_rows, &g);
          else if (cf->type == GB_COLUMN_CATEGORICAL)
            auc = gb_fairness_proxy_auc (NULL, cf->codes, cf->levels->len, ca->codes,
                                         ca->levels->len, row_mask, cf->n_rows, &g);
          else
            continue;
          if (isnan (auc))
            continue;
          GbFairnessProxy p = { g_strdup (cf->name), g_strdup (ca->name),
                                g_strdup (g_ptr_array_index (ca->levels, g)), auc };
          g_array_append_val (out, p);
        }
    }
  g_array_sort (out, cmp_proxy);
  return out;
}
