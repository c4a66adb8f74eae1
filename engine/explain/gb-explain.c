/* gb-explain.c — value functions, background sets, the generic result,
 * gradient × input, occlusion and deletion/insertion faithfulness. */
#include "gb-explain.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#define GB_EXPLAIN_BATCH_ROWS 4096

/* ------------------------------------------------------------ the target */

/* The (B, T) attention mask of a batch: the target's row mask repeated,
 * or NULL without one. */
static guint8 *
batch_mask (const GbExplainTarget *t, gsize B)
{
  guint8 *m;

  if (t->mask == NULL)
    return NULL;
  m = g_new (guint8, B * t->T);
  for (gsize i = 0; i < B; i++)
    memcpy (m + i * t->T, t->mask, t->T);
  return m;
}

static void
model_forward (const GbExplainTarget *t, const float *emb, gsize B, double *out)
{
  GbModel *model = t->user_data;
  const guint K = gb_model_get_n_classes (model);
  g_autofree float *probs = g_new (float, B * K);
  g_autofree guint8 *mask = batch_mask (t, B);

  gb_model_forward_embedded_masked (model, emb, mask, B, probs);
  for (gsize i = 0; i < B; i++)
    out[i] = probs[i * K + t->output_index];
}

static void
model_gradient (const GbExplainTarget *t, const float *emb, gsize B, double *out, float *grad)
{
  GbModel *model = t->user_data;
  const guint K = gb_model_get_n_classes (model);
  g_autofree float *probs = g_new (float, B * K);
  g_autofree guint8 *mask = batch_mask (t, B);

  gb_model_gradient_embedded_masked (model, emb, mask, B, t->output_index, probs, grad);
  for (gsize i = 0; i < B; i++)
    out[i] = probs[i * K + t->output_index];
}

void
gb_explain_target_init_model (GbExplainTarget *target, GbModel *model, guint class_index)
{
  g_return_if_fail (GB_IS_MODEL (model));
  memset (target, 0, sizeof *target);
  target->T = gb_model_get_seq_len (model);
  target->C = gb_model_get_d_model (model);
  target->first_unit = 1;
  target->n_units = gb_model_get_n_features (model);
  target->forward = model_forward;
  target->gradient = model_gradient;
  target->user_data = model;
  target->output_index = class_index;
}

void
gb_explain_target_forward (const GbExplainTarget *target, const float *emb, gsize B, double *out)
{
  if (B > 0)
    target->forward (target, emb, B, out);
}

/* -------------------------------------------------------------- background */

GbBackground *
gb_background_new (const float *emb, const double *weights, const gsize *rows, gsize n,
                   guint T, guint C, const char *description)
{
  GbBackground *bg = g_new0 (GbBackground, 1);
  double sum = 0;

  g_return_val_if_fail (n > 0, NULL);
  bg->n = n;
  bg->T = T;
  bg->C = C;
  bg->emb = g_memdup2 (emb, n * T * C * sizeof (float));
  bg->weights = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    sum += weights ? weights[i] : 1.0;
  for (gsize i = 0; i < n; i++)
    bg->weights[i] = (weights ? weights[i] : 1.0) / sum;
  if (rows)
    bg->rows = g_memdup2 (rows, n * sizeof (gsize));
  bg->description = g_strdup (description ? description : "");
  return bg;
}

void
gb_background_free (GbBackground *bg)
{
  if (bg == NULL)
    return;
  g_free (bg->emb);
  g_free (bg->weights);
  g_free (bg->rows);
  g_free (bg->description);
  g_free (bg);
}

GbBackground *
gb_background_sample (const float *emb, const gsize *rows, gsize n, guint T, guint C, guint k,
                      guint64 seed)
{
  const gsize TC = (gsize) T * C;
  g_autofree gsize *idx = g_new (gsize, n);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  g_return_val_if_fail (n > 0, NULL);
  gsl_rng_set (rng, seed);
  k = MIN (k, n);
  for (gsize i = 0; i < n; i++)
    idx[i] = i;
  for (gsize i = 0; i < k; i++)   /* partial Fisher–Yates */
    {
      gsize j = i + gsl_rng_uniform_int (rng, n - i);
      gsize s = idx[i];
      idx[i] = idx[j];
      idx[j] = s;
    }
  gsl_rng_free (rng);

  g_autofree float *sel = g_new (float, k * TC);
  g_autofree gsize *sel_rows = g_new (gsize, k);
  for (gsize i = 0; i < k; i++)
    {
      memcpy (sel + i * TC, emb + idx[i] * TC, TC * sizeof (float));
      sel_rows[i] = rows ? rows[idx[i]] : idx[i];
    }
  g_autofree char *d = g_strdup_printf ("random sample of %u rows (of %" G_GSIZE_FORMAT ")", k, n);
  return gb_background_new (sel, NULL, sel_rows, k, T, C, d);
}

static double
sqdist (const float *a, const double *c, gsize D)
{
  double s = 0;
  for (gsize i = 0; i < D; i++)
    {
      double d = a[i] - c[i];
      s += d * d;
    }
  return s;
}

GbBackground *
gb_background_kmeans (const float *emb, const gsize *rows, gsize n, guint T, guint C,
                      guint first_unit, guint k, guint64 seed)
{
  const gsize TC = (gsize) T * C, off = (gsize) first_unit * C, D = TC - off;
  gsl_rng *rng;

  g_return_val_if_fail (n > 0 && k > 0, NULL);
  k = MIN (k, n);
  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, seed);

  g_autofree double *cent = g_new0 (double, (gsize) k * D);
  g_autofree double *d2 = g_new (double, n);
  g_autofree guint *assign = g_new0 (guint, n);
  g_autofree gsize *count = g_new0 (gsize, k);

  /* k-means++ seeding */
  gsize first = gsl_rng_uniform_int (rng, n);
  for (gsize i = 0; i < D; i++)
    cent[i] = emb[first * TC + off + i];
  for (gsize i = 0; i < n; i++)
    d2[i] = sqdist (emb + i * TC + off, cent, D);
  for (guint c = 1; c < k; c++)
    {
      double total = 0, u, acc = 0;
      gsize pick = n - 1;
      for (gsize i = 0; i < n; i++)
        total += d2[i];
      u = gsl_rng_uniform (rng) * total;
      for (gsize i = 0; i < n; i++)
        {
          acc += d2[i];
          if (acc > u)
            {
              pick = i;
              break;
            }
        }
      if (!(total > 0))
        pick = gsl_rng_uniform_int (rng, n);
      for (gsize i = 0; i < D; i++)
        cent[c * D + i] = emb[pick * TC + off + i];
      for (gsize i = 0; i < n; i++)
        d2[i] = MIN (d2[i], sqdist (emb + i * TC + off, cent + c * D, D));
    }
  gsl_rng_free (rng);

  /* Lloyd iterations */
  for (guint it = 0; it < 100; it++)
    {
      gboolean changed = it == 0;
      for (gsize i = 0; i < n; i++)
        {
          double best = G_MAXDOUBLE;
          guint bc = 0;
          for (guint c = 0; c < k; c++)
            {
              double d = sqdist (emb + i * TC + off, cent + c * D, D);
              if (d < best)
                best = d, bc = c;
            }
          if (assign[i] != bc)
            changed = TRUE;
          assign[i] = bc;
        }
      if (!changed)
        break;
      memset (count, 0, k * sizeof (gsize));
      g_autofree double *sum = g_new0 (double, (gsize) k * D);
      for (gsize i = 0; i < n; i++)
        {
          count[assign[i]]++;
          for (gsize d = 0; d < D; d++)
            sum[assign[i] * D + d] += emb[i * TC + off + d];
        }
      for (guint c = 0; c < k; c++)
        if (count[c] > 0)
          for (gsize d = 0; d < D; d++)
            cent[c * D + d] = sum[c * D + d] / count[c];
    }
  memset (count, 0, k * sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    count[assign[i]]++;

  /* each non-empty cluster → its member nearest the centroid */
  g_autofree float *sel = g_new (float, (gsize) k * TC);
  g_autofree double *w = g_new (double, k);
  g_autofree gsize *sel_rows = g_new (gsize, k);
  gsize m = 0;
  for (guint c = 0; c < k; c++)
    {
      double best = G_MAXDOUBLE;
      gsize bi = 0;
      if (count[c] == 0)
        continue;
      for (gsize i = 0; i < n; i++)
        if (assign[i] == c)
          {
            double d = sqdist (emb + i * TC + off, cent + c * D, D);
            if (d < best)
              best = d, bi = i;
          }
      memcpy (sel + m * TC, emb + bi * TC, TC * sizeof (float));
      w[m] = (double) count[c] / n;
      sel_rows[m] = rows ? rows[bi] : bi;
      m++;
    }
  g_autofree char *desc = g_strdup_printf ("k-means summary of %" G_GSIZE_FORMAT " rows "
                                           "(of %" G_GSIZE_FORMAT ", weighted by cluster size)",
                                           m, n);
  return gb_background_new (sel, w, sel_rows, m, T, C, desc);
}

/* -------------------------------------------------------------- coalitions */

gsize
gb_explain_coalition_values (const GbExplainTarget *target, const float *x,
                             const GbBackground *bg, const guint8 *masks, gsize n_coalitions,
                             double *out)
{
  const guint T = target->T, C = target->C, M = target->n_units, U0 = target->first_unit;
  const gsize TC = (gsize) T * C, N = bg->n;
  const gsize per_batch = MAX ((gsize) 1, GB_EXPLAIN_BATCH_ROWS / N);
  const gsize cap = MIN (per_batch, n_coalitions);
  g_autofree float *buf = g_new (float, cap * N * TC);
  g_autofree double *val = g_new (double, cap * N);

  g_return_val_if_fail (bg->T == T && bg->C == C, 0);
  for (gsize s0 = 0; s0 < n_coalitions; s0 += per_batch)
    {
      const gsize nc = MIN (per_batch, n_coalitions - s0);
      for (gsize c = 0; c < nc; c++)
        {
          const guint8 *mask = masks + (s0 + c) * M;
          for (gsize b = 0; b < N; b++)
            {
              float *dst = buf + (c * N + b) * TC;
              memcpy (dst, bg->emb + b * TC, TC * sizeof (float));
              if (U0 > 0)
                memcpy (dst, x, (gsize) U0 * C * sizeof (float));
              if (U0 + M < T)
                memcpy (dst + (gsize) (U0 + M) * C, x + (gsize) (U0 + M) * C,
                        (gsize) (T - U0 - M) * C * sizeof (float));
              for (guint j = 0; j < M; j++)
                if (mask[j])
                  memcpy (dst + (gsize) (U0 + j) * C, x + (gsize) (U0 + j) * C,
                          C * sizeof (float));
            }
        }
      target->forward (target, buf, nc * N, val);
      for (gsize c = 0; c < nc; c++)
        {
          double v = 0;
          for (gsize b = 0; b < N; b++)
            v += bg->weights[b] * val[c * N + b];
          out[s0 + c] = v;
        }
    }
  return n_coalitions * N;
}

/* ------------------------------------------------------------- the result */

GbExplanation *
gb_explanation_new (const char *method, guint n_units, const char *const *unit_names,
                    gsize n_rows)
{
  GbExplanation *e = g_new0 (GbExplanation, 1);

  e->method = g_strdup (method);
  e->description = g_strdup ("");
  e->n_units = n_units;
  e->unit_names = g_new0 (char *, n_units + 1);
  for (guint j = 0; j < n_units; j++)
    e->unit_names[j] = unit_names && unit_names[j] ? g_strdup (unit_names[j])
                                                   : g_strdup_printf ("unit %u", j);
  e->n_rows = n_rows;
  e->rows = g_new0 (GbAttributionRow, n_rows);
  for (gsize i = 0; i < n_rows; i++)
    {
      e->rows[i].values = g_new0 (double, n_units);
      e->rows[i].prediction = e->rows[i].base_value = NAN;
      e->rows[i].completeness_residual = e->rows[i].fidelity_r2 = NAN;
    }
  e->global = g_new0 (double, n_units);
  e->stability = e->deletion_aopc = e->insertion_aopc = NAN;
  return e;
}

void
gb_explanation_update_global (GbExplanation *e)
{
  for (guint j = 0; j < e->n_units; j++)
    {
      double s = 0;
      for (gsize i = 0; i < e->n_rows; i++)
        s += fabs (e->rows[i].values[j]);
      e->global[j] = e->n_rows ? s / e->n_rows : NAN;
    }
}

void
gb_explanation_free (GbExplanation *e)
{
  if (e == NULL)
    return;
  for (gsize i = 0; i < e->n_rows; i++)
    {
      g_free (e->rows[i].values);
      g_free (e->rows[i].std_errors);
      g_strfreev (e->rows[i].tokens);
    }
  g_free (e->rows);
  g_free (e->method);
  g_free (e->description);
  g_strfreev (e->unit_names);
  g_free (e->global);
  g_free (e->deletion_curve);
  g_free (e->insertion_curve);
  g_free (e->unit_values);
  g_free (e);
}

/* ------------------------------------------------------ cheap baselines */

GbExplanation *
gb_gradient_input (const GbExplainTarget *target, const float *x, const gsize *row_ids,
                   gsize n_rows, const char *const *unit_names, GError **error)
{
  const guint T = target->T, C = target->C, M = target->n_units, U0 = target->first_unit;
  const gsize TC = (gsize) T * C;
  gint64 t0 = g_get_monotonic_time ();

  if (target->gradient == NULL)
    {
      g_set_error_literal (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "Gradient × input needs a differentiable model; this one offers "
                           "no gradient (choose occlusion or KernelSHAP instead)");
      return NULL;
    }
  g_autoptr(GbExplanation) e = gb_explanation_new ("gradient_input", M, unit_names, n_rows);
  g_autofree double *f = g_new (double, MAX (n_rows, 1));
  g_autofree float *g = g_new (float, MAX (n_rows, 1) * TC);
  if (n_rows > 0)
    target->gradient (target, x, n_rows, f, g);
  for (gsize i = 0; i < n_rows; i++)
    {
      GbAttributionRow *r = &e->rows[i];
      r->row = row_ids ? row_ids[i] : i;
      r->prediction = f[i];
      r->n_evaluations = 1;
      r->steps = 1;
      for (guint j = 0; j < M; j++)
        {
          double a = 0;
          const gsize o = i * TC + (gsize) (U0 + j) * C;
          for (guint c = 0; c < C; c++)
            a += (double) x[o + c] * (double) g[o + c];
          r->values[j] = a;
        }
    }
  gb_explanation_update_global (e);
  g_free (e->description);
  e->description = g_strdup ("Gradient × input: each token's embedding times the gradient of "
                             "the explained probability, summed over the embedding components "
                             "(one backward pass per row).");
  e->n_evaluations = n_rows;
  e->seconds = (g_get_monotonic_time () - t0) / 1e6;
  return g_steal_pointer (&e);
}

GbExplanation *
gb_occlusion (const GbExplainTarget *target, const float *x, const gsize *row_ids, gsize n_rows,
              const GbBackground *bg, const char *const *unit_names, GCancellable *cancellable,
              GError **error)
{
  const guint M = target->n_units;
  const gsize TC = (gsize) target->T * target->C;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GbExplanation) e = gb_explanation_new ("occlusion", M, unit_names, n_rows);
  g_autofree guint8 *masks = g_new (guint8, MAX ((gsize) M * M, 1));
  g_autofree double *v = g_new (double, MAX (M, 1u));

  memset (masks, 1, (gsize) M * M);
  for (guint j = 0; j < M; j++)
    masks[(gsize) j * M + j] = 0;
  for (gsize i = 0; i < n_rows; i++)
    {
      GbAttributionRow *r = &e->rows[i];
      double fx;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      target->forward (target, x + i * TC, 1, &fx);
      r->n_evaluations = 1 + gb_explain_coalition_values (target, x + i * TC, bg, masks, M, v);
      r->row = row_ids ? row_ids[i] : i;
      r->prediction = fx;
      r->base_value = fx;
      r->steps = M;
      for (guint j = 0; j < M; j++)
        r->values[j] = fx - v[j];
      e->n_evaluations += r->n_evaluations;
    }
  gb_explanation_update_global (e);
  g_free (e->description);
  e->description = g_strdup_printf ("Occlusion: the drop in the explained probability when one "
                                    "token is replaced by the background's (%s).",
                                    bg->description);
  e->seconds = (g_get_monotonic_time () - t0) / 1e6;
  return g_steal_pointer (&e);
}

/* ----------------------------------------------------------- faithfulness */

static gint
rank_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const double *v = data;
  guint i = *(const guint *) a, j = *(const guint *) b;
  double x = isnan (v[i]) ? -G_MAXDOUBLE : v[i], y = isnan (v[j]) ? -G_MAXDOUBLE : v[j];

  if (x != y)
    return x > y ? -1 : 1;
  return i < j ? -1 : i > j;
}

void
gb_explain_rank (const double *values, guint M, guint *order)
{
  for (guint j = 0; j < M; j++)
    order[j] = j;
  g_qsort_with_data (order, M, sizeof (guint), rank_cmp, (gpointer) values);
}

guint
gb_explanation_dependence_features (const GbExplanation *e, guint max, guint *out)
{
  g_autofree guint *order = NULL;
  guint n = 0;

  g_return_val_if_fail (e != NULL, 0);
  if (e->text || e->unit_values == NULL || e->global == NULL || e->n_rows < 2)
    return 0;
  order = g_new (guint, MAX (e->n_units, 1));
  gb_explain_rank (e->global, e->n_units, order);
  for (guint k = 0; k < e->n_units && n < max; k++)
    {
      const guint j = order[k];
      double first = NAN;
      gboolean varies = FALSE;
      for (gsize i = 0; i < e->n_rows && !varies; i++)
        {
          const double v = e->unit_values[i * e->n_units + j];
          if (isnan (v))
            continue;
          if (isnan (first))
            first = v;
          else if (v != first)
            varies = TRUE;
        }
      if (varies)
        out[n++] = j;
    }
  return n;
}

gboolean
gb_explain_faithfulness (GbExplanation *e, const GbExplainTarget *target, const float *x,
                         const GbBackground *bg, GCancellable *cancellable, GError **error)
{
  const guint M = target->n_units;
  const gsize TC = (gsize) target->T * target->C, L = (gsize) M + 1;
  g_autofree guint *order = g_new (guint, MAX (M, 1u));
  g_autofree guint8 *masks = g_new (guint8, MAX (2 * L * M, 1));
  g_autofree double *v = g_new (double, 2 * L);
  double del = 0, ins = 0;

  g_return_val_if_fail (e->n_units == M, FALSE);
  g_free (e->deletion_curve);
  g_free (e->insertion_curve);
  e->deletion_curve = g_new0 (double, L);
  e->insertion_curve = g_new0 (double, L);
  for (gsize i = 0; i < e->n_rows; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      gb_explain_rank (e->rows[i].values, M, order);
      for (gsize k = 0; k < L; k++)
        {
          guint8 *dm = masks + k * M, *im = masks + (L + k) * M;
          memset (dm, 1, M);
          memset (im, 0, M);
          for (gsize q = 0; q < k; q++)
            {
              dm[order[q]] = 0;
              im[order[q]] = 1;
            }
        }
      gb_explain_coalition_values (target, x + i * TC, bg, masks, 2 * L, v);
      for (gsize k = 0; k < L; k++)
        {
          e->deletion_curve[k] += v[k] / e->n_rows;
          e->insertion_curve[k] += v[L + k] / e->n_rows;
          del += (v[0] - v[k]) / L;
          ins += (v[L + k] - v[L]) / L;
        }
    }
  e->deletion_aopc = e->n_rows ? del / e->n_rows : NAN;
  e->insertion_aopc = e->n_rows ? ins / e->n_rows : NAN;
  return TRUE;
}
