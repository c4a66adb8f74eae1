/* gb-integrated-gradients.c — integrated gradients (Sundararajan et al. 2017)
 * over the feature-token embeddings of the tabular transformer. */
#include "gb-integrated-gradients.h"

#include <math.h>
#include <string.h>

#define GB_IG_MAX_STEPS 1024
#define GB_IG_TOLERANCE 0.01
#define GB_IG_ABS_TOLERANCE 1e-6

void
gb_ig_result_free (GbIgResult *result)
{
  if (result == NULL)
    return;
  for (gsize i = 0; i < result->n_rows; i++)
    g_free (result->rows[i].attributions);
  g_free (result->rows);
  g_strfreev (result->feature_names);
  g_free (result->global);
  g_free (result->baseline);
  g_free (result);
}

/* One row at a given number of intervals m: fills attr (F), returns f(x), f(x′). */
static void
ig_row (GbModel *model, const float *x /* (T, C) */, const float *xb /* (T, C) */,
        guint T, guint C, guint K, guint class_index, guint m,
        float *points /* (m+1, T, C) */, float *grads /* (m+1, T, C) */,
        float *probs /* (m+1, K) */, double *attr /* (T-1) */,
        double *f_x, double *f_base)
{
  const gsize TC = (gsize) T * C;

  for (guint k = 0; k <= m; k++)
    {
      const float alpha = (float) k / (float) m;
      float *pt = points + k * TC;
      for (gsize i = 0; i < TC; i++)
        pt[i] = xb[i] + alpha * (x[i] - xb[i]);
    }
  gb_model_gradient_embedded (model, points, m + 1, class_index, probs, grads);

  for (guint j = 1; j < T; j++)
    {
      double a = 0.0;
      for (guint c = 0; c < C; c++)
        {
          const gsize off = (gsize) j * C + c;
          /* trapezoid rule on α = 0, 1/m, ..., 1 */
          double g = 0.5 * ((double) grads[off] + (double) grads[(gsize) m * TC + off]);
          for (guint k = 1; k < m; k++)
            g += grads[(gsize) k * TC + off];
          g /= m;
          a += ((double) x[off] - (double) xb[off]) * g;
        }
      attr[j - 1] = a;
    }
  *f_base = probs[class_index];
  *f_x = probs[(gsize) m * K + class_index];
}

GbIgResult *
gb_integrated_gradients (GbModel *model, GbDataset *ds, const gsize *rows, gsize n_rows,
                         guint class_index, guint steps, GCancellable *cancellable,
                         GbProgressFunc progress, gpointer user_data, GError **error)
{
  g_return_val_if_fail (GB_IS_MODEL (model), NULL);
  g_return_val_if_fail (GB_IS_DATASET (ds), NULL);

  const guint T = gb_model_get_seq_len (model);
  const guint C = gb_model_get_d_model (model);
  const guint K = gb_model_get_n_classes (model);
  const guint F = gb_model_get_n_features (model);
  const gsize TC = (gsize) T * C;

  if (class_index >= K)
    {
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Integrated gradients: class %u does not exist (the model has %u classes)",
                   class_index, K);
      return NULL;
    }
  if (steps == 0)
    steps = 64;

  g_autoptr(GbIgResult) res = g_new0 (GbIgResult, 1);
  res->n_features = F;
  res->feature_names = g_new0 (char *, F + 1);
  for (guint j = 0; j < F; j++)
    res->feature_names[j] = g_strdup (gb_model_get_feature_name (model, j));
  res->rows = g_new0 (GbIgRow, n_rows);
  res->global = g_new0 (double, F);
  res->steps = steps;
  res->tolerance = GB_IG_TOLERANCE;
  res->class_index = class_index;
  res->baseline = g_strdup ("zero feature-token embeddings ([CLS] unchanged)");

  g_autofree float *x = g_new (float, TC);
  g_autofree float *xb = g_new (float, TC);
  g_autofree double *attr = g_new (double, F);

  for (gsize r = 0; r < n_rows; r++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      GbIgRow *out = &res->rows[r];
      out->row = rows[r];
      gb_model_embed_rows (model, ds, &rows[r], 1, x);
      memcpy (xb, x, TC * sizeof (float));
      memset (xb + C, 0, (TC - C) * sizeof (float));   /* zero every feature token */

      for (guint m = steps;; m *= 2)
        {
          g_autofree float *points = g_new (float, (gsize) (m + 1) * TC);
          g_autofree float *grads = g_new (float, (gsize) (m + 1) * TC);
          g_autofree float *probs = g_new (float, (gsize) (m + 1) * K);
          double fx, fb, sum = 0.0;

          ig_row (model, x, xb, T, C, K, class_index, m, points, grads, probs, attr, &fx, &fb);
          for (guint j = 0; j < F; j++)
            sum += attr[j];
          out->prediction = fx;
          out->baseline_prediction = fb;
          out->completeness_residual = fabs (sum - (fx - fb));
          out->steps = m;
          if (out->completeness_residual <= MAX (GB_IG_TOLERANCE * fabs (fx - fb), GB_IG_ABS_TOLERANCE)
              || m * 2 > GB_IG_MAX_STEPS)
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
