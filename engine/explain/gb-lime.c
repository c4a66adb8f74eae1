/* gb-lime.c — LIME (Ribeiro et al. 2016) following lime's
 * LimeTabularExplainer with the quartile discretizer. */
#include "gb-lime.h"

#include <gsl/gsl_rng.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

void
gb_lime_options_init_default (GbLimeOptions *options)
{
  options->n_samples = 5000;
  options->n_features = 10;
  options->kernel_width = 0;
  options->ridge_alpha = 1.0;
  options->n_seeds = 5;
  options->seed = 42;
  options->selection = GB_LIME_SELECTION_AUTO;
}

static const char *const selection_names[] = { "auto", "highest_weights", "forward_selection" };

const char *
gb_lime_selection_to_string (GbLimeSelection selection)
{
  g_return_val_if_fail ((guint) selection < G_N_ELEMENTS (selection_names), "auto");
  return selection_names[selection];
}

gboolean
gb_lime_selection_from_string (const char *name, GbLimeSelection *out, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (selection_names); i++)
    if (g_strcmp0 (name, selection_names[i]) == 0)
      {
        *out = (GbLimeSelection) i;
        return TRUE;
      }
  g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
               "unknown LIME feature selection “%s” (known: auto, highest_weights, "
               "forward_selection)", name ? name : "");
  return FALSE;
}

/* Solve (G[S,S] + αI) β = h[S] for the subset S of the (M, M) Gram matrix.
 * Returns FALSE when the sub-matrix is not positive definite. */
static gboolean
solve_subset (const double *G, const double *h, guint M, const guint *S, guint k, double alpha,
              double *beta)
{
  g_autofree double *A = g_new (double, (gsize) k * k);

  for (guint a = 0; a < k; a++)
    {
      for (guint b = 0; b < k; b++)
        A[a * k + b] = G[(gsize) S[a] * M + S[b]];
      A[a * k + a] += alpha;
      beta[a] = h[S[a]];
    }
  if (k == 0)
    return TRUE;
  if (LAPACKE_dposv (LAPACK_ROW_MAJOR, 'U', k, 1, A, k, beta, 1) != 0)
    return FALSE;
  for (guint a = 0; a < k; a++)
    if (!isfinite (beta[a]))
      return FALSE;
  return TRUE;
}

gboolean
gb_lime_select_features (const double *Z, guint M, const double *y, const double *w, gsize n,
                         guint K, GbLimeSelection method, guint *selected)
{
  g_autofree double *zm = g_new0 (double, M);
  g_autofree double *G = g_new0 (double, (gsize) M * M);
  g_autofree double *h = g_new0 (double, M);
  g_autofree double *zc = g_new (double, M);
  double sw = 0, ym = 0, ss_tot = 0;

  g_return_val_if_fail (K >= 1 && K <= M, FALSE);
  if (method == GB_LIME_SELECTION_AUTO)
    method = K <= 6 ? GB_LIME_SELECTION_FORWARD : GB_LIME_SELECTION_HIGHEST_WEIGHTS;

  /* weighted centring (sklearn's _preprocess_data with sample_weight) */
  for (gsize i = 0; i < n; i++)
    {
      sw += w[i];
      ym += w[i] * y[i];
      for (guint a = 0; a < M; a++)
        zm[a] += w[i] * Z[i * M + a];
    }
  ym /= sw;
  for (guint a = 0; a < M; a++)
    zm[a] /= sw;
  for (gsize i = 0; i < n; i++)
    {
      const double yc = y[i] - ym;
      for (guint a = 0; a < M; a++)
        zc[a] = Z[i * M + a] - zm[a];
      ss_tot += w[i] * yc * yc;
      for (guint a = 0; a < M; a++)
        {
          h[a] += w[i] * zc[a] * yc;
          for (guint b = 0; b <= a; b++)
            G[(gsize) a * M + b] += w[i] * zc[a] * zc[b];
        }
    }
  for (guint a = 0; a < M; a++)
    for (guint b = 0; b < a; b++)
      G[(gsize) b * M + a] = G[(gsize) a * M + b];

  if (method == GB_LIME_SELECTION_HIGHEST_WEIGHTS)
    {
      g_autofree guint *all = g_new (guint, M);
      g_autofree double *beta = g_new (double, M);
      g_autofree guint *order = g_new (guint, M);
      for (guint j = 0; j < M; j++)
        all[j] = j;
      if (!solve_subset (G, h, M, all, M, 0.01, beta))
        return FALSE;
      for (guint j = 0; j < M; j++)
        beta[j] = fabs (beta[j] * Z[j]);
      gb_explain_rank (beta, M, order);
      memcpy (selected, order, K * sizeof (guint));
      return TRUE;
    }

  /* forward selection: Ridge(alpha=0) on used + [f], keep the best R² */
  g_autofree guint *S = g_new (guint, K);
  g_autofree double *beta = g_new (double, K);
  g_autofree gboolean *used = g_new0 (gboolean, M);
  for (guint k = 0; k < K; k++)
    {
      double best_r2 = -INFINITY;
      guint best = M;
      for (guint f = 0; f < M; f++)
        {
          double r2 = 1.0;   /* sklearn's r2_score of a constant target */
          if (used[f])
            continue;
          S[k] = f;
          if (ss_tot > 0)
            {
              double bh = 0;
              if (!solve_subset (G, h, M, S, k + 1, 0.0, beta))
                continue;
              for (guint a = 0; a <= k; a++)
                bh += beta[a] * h[S[a]];
              r2 = bh / ss_tot;
            }
          if (best == M || r2 > best_r2)
            {
              best = f;
              best_r2 = r2;
            }
        }
      if (best == M)   /* every candidate singular: the lowest unused index */
        for (best = 0; used[best]; best++)
          ;
      S[k] = best;
      used[best] = TRUE;
      selected[k] = best;
    }
  return TRUE;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* numpy.percentile with linear interpolation on sorted v (n > 0). */
static double
percentile (const double *v, gsize n, double q)
{
  double pos = q / 100.0 * (n - 1);
  gsize lo = (gsize) floor (pos);
  gsize hi = MIN (lo + 1, n - 1);
  return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

void
gb_lime_quartile_bins (GbDataset *ds, const char *const *features, guint M,
                       const gsize *reference_rows, gsize n_reference, const gsize *rows,
                       gsize n, gint32 *out)
{
  for (guint j = 0; j < M; j++)
    {
      int ci = gb_dataset_find_column (ds, features[j]);
      const GbColumn *col = ci >= 0 ? gb_dataset_get_column (ds, ci) : NULL;
      if (col == NULL)
        {
          for (gsize i = 0; i < n; i++)
            out[i * M + j] = -1;
          continue;
        }
      if (col->type == GB_COLUMN_NUMERIC)
        {
          g_autofree double *v = g_new (double, MAX (n_reference, 1));
          double cuts[3];
          guint nc = 0;
          gsize m = 0;
          for (gsize i = 0; i < n_reference; i++)
            if (!isnan (col->numeric[reference_rows[i]]))
              v[m++] = col->numeric[reference_rows[i]];
          qsort (v, m, sizeof (double), cmp_double);
          for (guint q = 0; m > 0 && q < 3; q++)
            {
              double c = percentile (v, m, 25.0 * (q + 1));
              if (nc == 0 || c > cuts[nc - 1])
                cuts[nc++] = c;
            }
          for (gsize i = 0; i < n; i++)
            {
              double x = col->numeric[rows[i]];
              gint32 b = 0;
              if (isnan (x))
                b = -1;
              else
                while (b < (gint32) nc && x > cuts[b])   /* searchsorted side="left" */
                  b++;
              out[i * M + j] = b;
            }
        }
      else if (col->codes != NULL)
        for (gsize i = 0; i < n; i++)
          out[i * M + j] = col->codes[rows[i]];
      else
        for (gsize i = 0; i < n; i++)
          out[i * M + j] = -1;
    }
}

double
gb_jaccard (const guint *a, guint na, const guint *b, guint nb)
{
  guint inter = 0;

  if (na == 0 && nb == 0)
    return 1.0;
  for (guint i = 0; i < na; i++)
    for (guint j = 0; j < nb; j++)
      if (a[i] == b[j])
        {
          inter++;
          break;
        }
  return (double) inter / (na + nb - inter);
}

/* Weighted ridge with an unpenalised intercept (sklearn Ridge with
 * sample_weight): centre by the weighted means, solve
 * (XcᵀWXc + αI)β = XcᵀWyc.  X is (n, M) with only the @cols columns used.
 * Fills coef (ncols), *intercept and the weighted R² of the fit. */
static gboolean
weighted_ridge (const double *X, guint M, const double *y, const double *w, gsize n,
                const guint *cols, guint ncols, double alpha, double *coef,
                double *intercept, double *r2)
{
  g_autofree double *xm = g_new0 (double, ncols);
  g_autofree double *G = g_new0 (double, (gsize) ncols * ncols);
  g_autofree double *h = g_new0 (double, ncols);
  double sw = 0, ym = 0, ss_res = 0, ss_tot = 0;

  for (gsize i = 0; i < n; i++)
    {
      sw += w[i];
      ym += w[i] * y[i];
      for (guint a = 0; a < ncols; a++)
        xm[a] += w[i] * X[i * M + cols[a]];
    }
  ym /= sw;
  for (guint a = 0; a < ncols; a++)
    xm[a] /= sw;
  for (gsize i = 0; i < n; i++)
    {
      const double yc = y[i] - ym;
      for (guint a = 0; a < ncols; a++)
        {
          const double xa = X[i * M + cols[a]] - xm[a];
          h[a] += w[i] * xa * yc;
          for (guint b = 0; b <= a; b++)
            G[a * ncols + b] += w[i] * xa * (X[i * M + cols[b]] - xm[b]);
        }
    }
  for (guint a = 0; a < ncols; a++)
    {
      for (guint b = 0; b < a; b++)
        G[b * ncols + a] = G[a * ncols + b];
      G[a * ncols + a] += alpha;
    }
  if (ncols > 0 && LAPACKE_dposv (LAPACK_ROW_MAJOR, 'U', ncols, 1, G, ncols, h, 1) != 0)
    return FALSE;
  *intercept = ym;
  for (guint a = 0; a < ncols; a++)
    {
      coef[a] = h[a];
      *intercept -= h[a] * xm[a];
    }
  for (gsize i = 0; i < n; i++)
    {
      double p = *intercept;
      for (guint a = 0; a < ncols; a++)
        p += coef[a] * X[i * M + cols[a]];
      ss_res += w[i] * (y[i] - p) * (y[i] - p);
      ss_tot += w[i] * (y[i] - ym) * (y[i] - ym);
    }
  *r2 = ss_tot > 0 ? 1.0 - ss_res / ss_tot : NAN;
  return TRUE;
}

/* One LIME run on one row: fills values (M; 0 for unselected units),
 * top (K; the selected units in lime's order, see gb_lime_select_features()). */
static gboolean
lime_once (const GbExplainTarget *t, const float *x, const gint32 *xbin, const float *pool,
           const gint32 *pool_bins, gsize n_pool, const double *mean, const double *scale,
           guint S, guint K, double width, double alpha, GbLimeSelection selection,
           guint64 seed, double *values, double *intercept, double *r2, guint *top, double *fx)
{
  const guint M = t->n_units, C = t->C, U0 = t->first_unit;
  const gsize TC = (gsize) t->T * C;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autofree float *emb = g_new (float, (gsize) S * TC);
  g_autofree double *X = g_new (double, (gsize) S * M);
  g_autofree double *y = g_new (double, S);
  g_autofree double *w = g_new (double, S);
  g_autofree double *coef = g_new (double, M);

  gsl_rng_set (rng, seed);
  for (guint s = 0; s < S; s++)
    {
      float *e = emb + (gsize) s * TC;
      memcpy (e, x, TC * sizeof (float));
      double d2 = 0;
      for (guint j = 0; j < M; j++)
        {
          gboolean on = TRUE;
          if (s > 0)
            {
              const gsize p = gsl_rng_uniform_int (rng, n_pool);
              const gsize o = (gsize) (U0 + j) * C;
              memcpy (e + o, pool + p * TC + o, C * sizeof (float));
              on = pool_bins ? pool_bins[p * M + j] == xbin[j]
                             : memcmp (pool + p * TC + o, x + o, C * sizeof (float)) == 0;
            }
          X[(gsize) s * M + j] = ((on ? 1.0 : 0.0) - mean[j]) / scale[j];
          if (!on)
            d2 += 1.0 / (scale[j] * scale[j]);
        }
      w[s] = sqrt (exp (-d2 / (width * width)));
    }
  gsl_rng_free (rng);
  t->forward (t, emb, S, y);
  *fx = y[0];

  if (!gb_lime_select_features (X, M, y, w, S, K, selection, top))
    return FALSE;

  if (!weighted_ridge (X, M, y, w, S, top, K, alpha, coef, intercept, r2))
    return FALSE;
  memset (values, 0, M * sizeof (double));
  for (guint a = 0; a < K; a++)
    values[top[a]] = coef[a];
  return TRUE;
}

GbExplanation *
gb_lime (const GbExplainTarget *target, const float *x, const gint32 *x_bins,
         const gsize *row_ids, gsize n_rows, const float *pool, const gint32 *pool_bins,
         gsize n_pool, const char *const *unit_names, const GbLimeOptions *options,
         GCancellable *cancellable, GbProgressFunc progress, gpointer user_data,
         GError **error)
{
  const guint M = target->n_units;
  const gsize TC = (gsize) target->T * target->C;
  GbLimeOptions opt;
  gint64 t0 = g_get_monotonic_time ();

  if (options)
    opt = *options;
  else
    gb_lime_options_init_default (&opt);
  const guint K = CLAMP (opt.n_features, 1, M);
  const guint S = MAX (opt.n_samples, 2u);
  const guint R = MAX (opt.n_seeds, 1u);
  const double width = opt.kernel_width > 0 ? opt.kernel_width : 0.75 * sqrt ((double) M);

  if (n_pool == 0)
    {
      g_set_error_literal (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "LIME needs rows to draw perturbations from (the training split is empty)");
      return NULL;
    }
  /* lime scales the interpretable data by the training data's discretised
   * statistics (StandardScaler on the bins) */
  g_autofree double *mean = g_new0 (double, M);
  g_autofree double *scale = g_new0 (double, M);
  for (guint j = 0; j < M; j++)
    {
      if (pool_bins == NULL)
        {
          mean[j] = 0;
          scale[j] = 1;
          continue;
        }
      double m = 0, v = 0;
      for (gsize p = 0; p < n_pool; p++)
        m += pool_bins[p * M + j];
      m /= n_pool;
      for (gsize p = 0; p < n_pool; p++)
        v += (pool_bins[p * M + j] - m) * (pool_bins[p * M + j] - m);
      v /= n_pool;
      mean[j] = m;
      scale[j] = v > 0 ? sqrt (v) : 1.0;
    }

  g_autoptr(GbExplanation) e = gb_explanation_new ("lime", M, unit_names, n_rows);
  if (M == 0)
    {
      /* nothing to select or fit (as gb_lime_text): the predictions only */
      for (gsize r = 0; r < n_rows; r++)
        {
          e->rows[r].row = row_ids ? row_ids[r] : r;
          target->forward (target, x + r * TC, 1, &e->rows[r].prediction);
          e->rows[r].n_evaluations = 1;
        }
      e->n_evaluations = n_rows;
      g_free (e->description);
      e->description = g_strdup ("LIME: no features to explain.");
      e->seconds = (g_get_monotonic_time () - t0) / 1e6;
      return g_steal_pointer (&e);
    }
  g_autofree guint *tops = g_new (guint, (gsize) R * K);
  g_autofree double *vals = g_new (double, M);
  g_autofree gint32 *own_bins = NULL;
  double stab = 0;

  for (gsize r = 0; r < n_rows; r++)
    {
      GbAttributionRow *row = &e->rows[r];
      const gint32 *xb = x_bins ? x_bins + r * M : NULL;
      if (xb == NULL)
        {
          g_free (own_bins);
          own_bins = g_new0 (gint32, M);
          xb = own_bins;
        }
      row->row = row_ids ? row_ids[r] : r;
      for (guint s = 0; s < R; s++)
        {
          double icpt, r2, fx;
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          if (!lime_once (target, x + r * TC, xb, pool, pool_bins, n_pool, mean, scale, S, K,
                          width, opt.ridge_alpha, opt.selection, opt.seed + s * 1000003u + r, vals, &icpt, &r2,
                          tops + (gsize) s * K, &fx))
            {
              g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_NUMERIC,
                           "LIME: the weighted ridge surrogate of row %" G_GSIZE_FORMAT
                           " could not be solved; increase the number of samples",
                           row->row);
              return NULL;
            }
          if (s == 0)
            {
              memcpy (row->values, vals, M * sizeof (double));
              row->base_value = icpt;
              row->fidelity_r2 = r2;
              row->prediction = fx;
            }
        }
      row->n_evaluations = (gsize) R * S;
      row->steps = S;
      e->n_evaluations += row->n_evaluations;
      if (R > 1)
        {
          double j = 0;
          guint np = 0;
          for (guint a = 0; a < R; a++)
            for (guint b = a + 1; b < R; b++, np++)
              j += gb_jaccard (tops + (gsize) a * K, K, tops + (gsize) b * K, K);
          stab += j / np / n_rows;
        }
      if (progress)
        progress ((double) (r + 1) / n_rows, "LIME", user_data);
    }
  e->stability = R > 1 && n_rows > 0 ? stab : NAN;
  gb_explanation_update_global (e);
  g_free (e->description);
  {
    char wb[G_ASCII_DTOSTR_BUF_SIZE];
    e->description = g_strdup_printf ("LIME (Ribeiro et al. 2016): %u samples per row drawn "
                                      "from %" G_GSIZE_FORMAT " training rows with quartile "
                                      "bins, kernel width %s, the top %u of %u features "
                                      "(feature selection %s) in a weighted ridge surrogate; "
                                      "stability over %u seeds.",
                                      S, n_pool, g_ascii_formatd (wb, sizeof wb, "%.3g", width),
                                      K, M,
                                      gb_lime_selection_to_string (
                                        opt.selection == GB_LIME_SELECTION_AUTO
                                          ? (K <= 6 ? GB_LIME_SELECTION_FORWARD
                                                    : GB_LIME_SELECTION_HIGHEST_WEIGHTS)
                                          : opt.selection), R);
  }
  e->seconds = (g_get_monotonic_time () - t0) / 1e6;
  return g_steal_pointer (&e);
}
