/* gb-integrated-gradients.c — integrated gradients (Sundararajan et al. 2017)
 * over the feature-token embeddings of the tabular transformer. */
#include "gb-integrated-gradients.h"

#include <gsl/gsl_integration.h>
#include <math.h>
#include <string.h>

#define GB_IG_ABS_TOLERANCE 1e-6

void
gb_ig_options_init_default (GbIgOptions *options)
{
  options->steps = 32;
  options->rule = GB_IG_RULE_GAUSS_LEGENDRE;
  options->tolerance = 0.01;
  options->max_steps = 1024;
}

const char *
gb_ig_rule_to_string (GbIgRule rule)
{
  return rule == GB_IG_RULE_TRAPEZOID ? "trapezoid" : "gauss-legendre";
}

static const char *const baseline_names[] = { "default", "zero", "mask", "pad", "mean",
                                               "expected", NULL };

const char *
gb_ig_baseline_to_string (GbIgBaseline baseline)
{
  return (guint) baseline < G_N_ELEMENTS (baseline_names) - 1 ? baseline_names[baseline]
                                                               : "default";
}

gboolean
gb_ig_baseline_from_string (const char *name, GbIgBaseline *out, GError **error)
{
  for (guint i = 0; baseline_names[i]; i++)
    if (g_strcmp0 (name, baseline_names[i]) == 0)
      {
        *out = (GbIgBaseline) i;
        return TRUE;
      }
  g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
               "Unknown integrated-gradients baseline “%s”; choose zero, mask, pad, mean or "
               "expected", name ? name : "");
  return FALSE;
}

void
gb_ig_result_free (GbIgResult *result)
{
  if (result == NULL)
    return;
  for (gsize i = 0; i < result->n_rows; i++)
    {
      g_free (result->rows[i].attributions);
      g_strfreev (result->rows[i].tokens);
    }
  g_free (result->rows);
  g_strfreev (result->feature_names);
  g_free (result->global);
  g_free (result->baseline);
  g_free (result);
}

/* Quadrature points α_k and weights w_k on [0, 1] for the rule with m
 * steps; returns the number of points P.  The end points α = 0 and α = 1
 * are always the first and the last point (weight 0 for Gauss–Legendre,
 * which uses them only for f(x′) and f(x)). */
static guint
quadrature (GbIgRule rule, guint m, double *alpha /* (m+2) */, double *weight /* (m+2) */)
{
  if (rule == GB_IG_RULE_TRAPEZOID)
    {
      for (guint k = 0; k <= m; k++)
        {
          alpha[k] = (double) k / m;
          weight[k] = (k == 0 || k == m ? 0.5 : 1.0) / m;
        }
      return m + 1;
    }
  gsl_integration_glfixed_table *t = gsl_integration_glfixed_table_alloc (m);
  alpha[0] = 0.0;
  weight[0] = 0.0;
  for (guint k = 0; k < m; k++)
    gsl_integration_glfixed_point (0.0, 1.0, k, &alpha[k + 1], &weight[k + 1], t);
  alpha[m + 1] = 1.0;
  weight[m + 1] = 0.0;
  gsl_integration_glfixed_table_free (t);
  return m + 2;
}

/* One row with P quadrature points: fills attr (M), returns f(x), f(x′). */
static void
ig_row (const GbExplainTarget *t, const float *x /* (T, C) */, const float *xb /* (T, C) */,
        guint P, const double *alpha /* (P) */, const double *weight /* (P) */,
        float *points /* (P, T, C) */, float *grads /* (P, T, C) */,
        double *vals /* (P) */, double *attr /* (M) */, double *f_x, double *f_base)
{
  const guint C = t->C;
  const gsize TC = (gsize) t->T * C;

  for (guint k = 0; k < P; k++)
    {
      const float a = (float) alpha[k];
      float *pt = points + k * TC;
      for (gsize i = 0; i < TC; i++)
        pt[i] = xb[i] + a * (x[i] - xb[i]);
    }
  t->gradient (t, points, P, vals, grads);

  for (guint u = 0; u < t->n_units; u++)
    {
      const guint j = t->first_unit + u;
      double a = 0.0;
      for (guint c = 0; c < C; c++)
        {
          const gsize off = (gsize) j * C + c;
          double g = 0.0;
          for (guint k = 0; k < P; k++)
            g += weight[k] * (double) grads[(gsize) k * TC + off];
          a += ((double) x[off] - (double) xb[off]) * g;
        }
      attr[u] = a;
    }
  *f_base = vals[0];
  *f_x = vals[P - 1];
}

GbIgResult *
gb_integrated_gradients_target (const GbExplainTarget *target, const float *x,
                                const float *baseline, const gsize *row_ids, gsize n_rows,
                                const char *const *unit_names, const GbIgOptions *options,
                                GCancellable *cancellable, GbProgressFunc progress,
                                gpointer user_data, GError **error)
{
  const guint C = target->C, F = target->n_units;
  const gsize TC = (gsize) target->T * C;
  GbIgOptions opt;

  if (options != NULL)
    opt = *options;
  else
    gb_ig_options_init_default (&opt);
  if (opt.steps == 0)
    opt.steps = 32;
  opt.max_steps = MAX (opt.max_steps, opt.steps);
  if (target->gradient == NULL)
    {
      g_set_error_literal (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "Integrated gradients need a differentiable model; this one offers "
                           "no gradient (choose KernelSHAP or occlusion instead)");
      return NULL;
    }

  g_autoptr(GbIgResult) res = g_new0 (GbIgResult, 1);
  res->n_features = F;
  res->feature_names = g_new0 (char *, F + 1);
  for (guint j = 0; j < F; j++)
    res->feature_names[j] = unit_names && unit_names[j] ? g_strdup (unit_names[j])
                                                        : g_strdup_printf ("unit %u", j);
  res->rows = g_new0 (GbIgRow, n_rows);
  res->global = g_new0 (double, F);
  res->steps = opt.steps;
  res->rule = opt.rule;
  res->tolerance = opt.tolerance;
  res->class_index = target->output_index;
  res->baseline = g_strdup (baseline ? "given baseline embeddings"
                                     : "zero feature-token embeddings ([CLS] unchanged)");
  res->baseline_kind = baseline ? GB_IG_BASELINE_DEFAULT : GB_IG_BASELINE_ZERO;

  g_autofree float *xb = g_new (float, TC);
  g_autofree double *attr = g_new (double, F);

  for (gsize r = 0; r < n_rows; r++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      GbIgRow *out = &res->rows[r];
      const float *xr = x + r * TC;
      out->row = row_ids ? row_ids[r] : r;
      if (baseline)
        memcpy (xb, baseline + r * TC, TC * sizeof (float));
      else
        {
          memcpy (xb, xr, TC * sizeof (float));   /* zero every unit token */
          memset (xb + (gsize) target->first_unit * C, 0, (gsize) F * C * sizeof (float));
        }

      for (guint m = opt.steps;; m *= 2)
        {
          g_autofree double *alpha = g_new (double, m + 2);
          g_autofree double *weight = g_new (double, m + 2);
          const guint P = quadrature (opt.rule, m, alpha, weight);
          g_autofree float *points = g_new (float, (gsize) P * TC);
          g_autofree float *grads = g_new (float, (gsize) P * TC);
          g_autofree double *vals = g_new (double, P);
          double fx, fb, sum = 0.0;

          ig_row (target, xr, xb, P, alpha, weight, points, grads, vals, attr, &fx, &fb);
          for (guint j = 0; j < F; j++)
            sum += attr[j];
          out->prediction = fx;
          out->baseline_prediction = fb;
          out->completeness_residual = fabs (sum - (fx - fb));
          out->steps = m;
          if (out->completeness_residual <= MAX (opt.tolerance * fabs (fx - fb), GB_IG_ABS_TOLERANCE)
              || m * 2 > opt.max_steps)
            break;
        }
      out->attributions = g_memdup2 (attr, F * sizeof (double));
      res->n_rows = r + 1;
      for (guint j = 0; j < F; j++)
        res->global[j] += fabs (attr[j]) / (double) n_rows;

      if (progress != NULL)
        progress ((double) (r + 1) / (double) n_rows, "Integrated gradients", user_data);
    }
  return g_steal_pointer (&res);
}

GbIgResult *
gb_integrated_gradients (GbModel *model, GbDataset *ds, const gsize *rows, gsize n_rows,
                         guint class_index, const GbIgOptions *options,
                         GCancellable *cancellable, GbProgressFunc progress,
                         gpointer user_data, GError **error)
{
  g_return_val_if_fail (GB_IS_MODEL (model), NULL);
  g_return_val_if_fail (GB_IS_DATASET (ds), NULL);

  const guint K = gb_model_get_n_classes (model);
  const guint F = gb_model_get_n_features (model);
  GbExplainTarget target;

  if (class_index >= K)
    {
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Integrated gradients: class %u does not exist (the model has %u classes)",
                   class_index, K);
      return NULL;
    }
  gb_explain_target_init_model (&target, model, class_index);
  g_autofree float *x = g_new (float, MAX (n_rows, 1) * target.T * target.C);
  g_autofree const char **names = g_new0 (const char *, F + 1);
  for (guint j = 0; j < F; j++)
    names[j] = gb_model_get_feature_name (model, j);
  if (n_rows > 0)
    gb_model_embed_rows (model, ds, rows, n_rows, x);
  return gb_integrated_gradients_target (&target, x, NULL, rows, n_rows, names, options,
                                         cancellable, progress, user_data, error);
}

GbIgResult *
gb_expected_gradients_target (const GbExplainTarget *target, const float *x,
                              const GbBackground *bg, const gsize *row_ids, gsize n_rows,
                              const char *const *unit_names, const GbIgOptions *options,
                              GCancellable *cancellable, GbProgressFunc progress,
                              gpointer user_data, GError **error)
{
  const guint C = target->C, M = target->n_units, U0 = target->first_unit;
  const gsize TC = (gsize) target->T * C, N = bg->n;
  g_autofree float *xb = g_new (float, MAX (N, 1) * TC);
  g_autofree gsize *ids = g_new (gsize, MAX (N, 1));
  g_autoptr(GbIgResult) res = NULL;

  g_return_val_if_fail (bg->T == target->T && bg->C == C, NULL);
  for (gsize r = 0; r < n_rows; r++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      /* N copies of x, and the N baselines x′_b (x's non-unit tokens) */
      g_autofree float *xr = g_new (float, N * TC);
      for (gsize b = 0; b < N; b++)
        {
          memcpy (xr + b * TC, x + r * TC, TC * sizeof (float));
          memcpy (xb + b * TC, x + r * TC, TC * sizeof (float));
          memcpy (xb + b * TC + (gsize) U0 * C, bg->emb + b * TC + (gsize) U0 * C,
                  (gsize) M * C * sizeof (float));
          ids[b] = row_ids ? row_ids[r] : r;
        }
      g_autoptr(GbIgResult) one = gb_integrated_gradients_target (target, xr, xb, ids, N,
                                                                  unit_names, options, cancellable,
                                                                  NULL, NULL, error);
      if (one == NULL)
        return NULL;
      if (res == NULL)
        {
          res = g_new0 (GbIgResult, 1);
          res->n_features = M;
          res->feature_names = g_strdupv (one->feature_names);
          res->rows = g_new0 (GbIgRow, n_rows);
          res->global = g_new0 (double, M);
          res->steps = one->steps;
          res->rule = one->rule;
          res->tolerance = one->tolerance;
          res->class_index = target->output_index;
          res->baseline = g_strdup_printf ("expected gradients over the background (%s)",
                                           bg->description);
          res->baseline_kind = GB_IG_BASELINE_EXPECTED;
        }
      GbIgRow *out = &res->rows[r];
      double sum = 0;
      out->row = row_ids ? row_ids[r] : r;
      out->attributions = g_new0 (double, M);
      out->prediction = one->rows[0].prediction;
      out->baseline_prediction = 0;
      for (gsize b = 0; b < N; b++)
        {
          const GbIgRow *g = &one->rows[b];
          out->baseline_prediction += bg->weights[b] * g->baseline_prediction;
          out->steps = MAX (out->steps, g->steps);
          for (guint j = 0; j < M; j++)
            out->attributions[j] += bg->weights[b] * g->attributions[j];
        }
      for (guint j = 0; j < M; j++)
        {
          sum += out->attributions[j];
          res->global[j] += fabs (out->attributions[j]) / (double) n_rows;
        }
      out->completeness_residual = fabs (sum - (out->prediction - out->baseline_prediction));
      res->n_rows = r + 1;
      if (progress != NULL)
        progress ((double) (r + 1) / (double) n_rows, "Expected gradients", user_data);
    }
  if (res == NULL)   /* no rows */
    {
      GbIgOptions o;
      if (options)
        o = *options;
      else
        gb_ig_options_init_default (&o);
      res = gb_integrated_gradients_target (target, x, x, row_ids, 0, unit_names, &o, NULL, NULL,
                                            NULL, error);
      if (res == NULL)
        return NULL;
      g_free (res->baseline);
      res->baseline = g_strdup_printf ("expected gradients over the background (%s)",
                                       bg->description);
      res->baseline_kind = GB_IG_BASELINE_EXPECTED;
    }
  return g_steal_pointer (&res);
}

GbExplanation *
gb_explanation_from_ig (const GbIgResult *ig, double seconds)
{
  GbExplanation *e = gb_explanation_new ("integrated_gradients", ig->n_features,
                                         (const char *const *) ig->feature_names, ig->n_rows);
  for (gsize i = 0; i < ig->n_rows; i++)
    {
      GbAttributionRow *r = &e->rows[i];
      const GbIgRow *g = &ig->rows[i];
      r->row = g->row;
      r->prediction = g->prediction;
      r->base_value = g->baseline_prediction;
      if (ig->n_features > 0)   /* an empty text row has no units (and NULL arrays) */
        memcpy (r->values, g->attributions, ig->n_features * sizeof (double));
      r->completeness_residual = g->completeness_residual;
      r->steps = g->steps;
      r->tokens = g_strdupv (g->tokens);
      r->n_evaluations = g->steps + 2;
      e->n_evaluations += r->n_evaluations;
    }
  e->text = ig->text;
  e->n_feature_units = ig->n_feature_units;
  gb_explanation_update_global (e);
  g_free (e->description);
  e->description = g_strdup_printf ("Integrated gradients (Sundararajan et al. 2017) from %s, "
                                    "%s rule, %u steps to start.", ig->baseline,
                                    gb_ig_rule_to_string (ig->rule), ig->steps);
  e->seconds = seconds;
  return e;
}
