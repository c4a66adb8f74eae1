/* gb-kernel-shap.c — KernelSHAP (Lundberg & Lee 2017) as the constrained
 * least-squares problem of Covert & Lee (2021), exact or paired-sampled. */
#include "gb-kernel-shap.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#define GB_SHAP_MAX_EXACT 24

void
gb_kernel_shap_options_init_default (GbKernelShapOptions *options)
{
  options->mode = GB_KERNEL_SHAP_AUTO;
  options->max_exact_units = 14;
  options->n_samples = 2048;
  options->seed = 42;
}

/* Probability of each coalition size s = 1..M−1 under the Shapley kernel:
 * p(s) ∝ (M − 1) / (s (M − s)), normalised (the size distribution of
 * Covert & Lee; within a size every subset is equally likely). */
static void
size_probabilities (guint M, double *p /* (M) index s */)
{
  double sum = 0;
  p[0] = 0;
  for (guint s = 1; s < M; s++)
    sum += p[s] = (double) (M - 1) / ((double) s * (M - s));
  for (guint s = 1; s < M; s++)
    p[s] /= sum;
}

/* φ = A⁻¹b − A⁻¹1 (1ᵀA⁻¹b − Δ)/(1ᵀA⁻¹1); with @cov_b, also the standard errors
 * sqrt(diag(P Σ P')).  Returns FALSE when A is not positive definite. */
static gboolean
solve_constrained (guint M, const double *A, const double *b, double delta,
                   const double *cov_b /* (M, M) nullable */, double *phi, double *se)
{
  const guint nrhs = 2 + (cov_b ? M : 0);
  g_autofree double *a = g_memdup2 (A, (gsize) M * M * sizeof (double));
  g_autofree double *rhs = g_new0 (double, (gsize) M * nrhs);   /* (M, nrhs) row-major */
  double s1 = 0, sb = 0;

  for (guint i = 0; i < M; i++)
    {
      rhs[i * nrhs + 0] = b[i];
      rhs[i * nrhs + 1] = 1.0;
      if (cov_b)
        rhs[i * nrhs + 2 + i] = 1.0;
    }
  /* Cholesky, then its condition: a sample of fewer coalitions than units
   * leaves A singular, and rounding can hide that from the factorisation */
  double anorm = 0, rcond = 0;
  for (guint j = 0; j < M; j++)
    {
      double col = 0;
      for (guint i = 0; i < M; i++)
        col += fabs (A[i * M + j]);
      anorm = MAX (anorm, col);
    }
  if (LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'U', M, a, M) != 0
      || LAPACKE_dpocon (LAPACK_ROW_MAJOR, 'U', M, a, M, anorm, &rcond) != 0
      || !(rcond > 1e-12)
      || LAPACKE_dpotrs (LAPACK_ROW_MAJOR, 'U', M, nrhs, a, M, rhs, nrhs) != 0)
    return FALSE;
  for (guint i = 0; i < M; i++)
    {
      sb += rhs[i * nrhs + 0];
      s1 += rhs[i * nrhs + 1];
    }
  for (guint i = 0; i < M; i++)
    phi[i] = rhs[i * nrhs + 0] - rhs[i * nrhs + 1] * (sb - delta) / s1;
  if (cov_b)
    {
      /* P = A⁻¹ − (A⁻¹1)(A⁻¹1)ᵀ / (1ᵀA⁻¹1); A⁻¹ is in columns 2.. */
      g_autofree double *P = g_new (double, (gsize) M * M);
      g_autofree double *PS = g_new0 (double, (gsize) M * M);
      for (guint i = 0; i < M; i++)
        for (guint j = 0; j < M; j++)
          P[i * M + j] = rhs[i * nrhs + 2 + j] - rhs[i * nrhs + 1] * rhs[j * nrhs + 1] / s1;
      for (guint i = 0; i < M; i++)
        for (guint k = 0; k < M; k++)
          for (guint j = 0; j < M; j++)
            PS[i * M + j] += P[i * M + k] * cov_b[k * M + j];
      for (guint i = 0; i < M; i++)
        {
          double v = 0;
          for (guint k = 0; k < M; k++)
            v += PS[i * M + k] * P[i * M + k];
          se[i] = sqrt (MAX (v, 0.0));
        }
    }
  return TRUE;
}

/* Exact: every coalition except ∅ and the full set. */
static gsize
row_exact (const GbExplainTarget *t, const float *x, const GbBackground *bg, double fx,
           double *phi, double *phi0, guint *n_coal)
{
  const guint M = t->n_units;
  const gsize n = ((gsize) 1 << M) - 2;
  g_autofree guint8 *masks = g_new (guint8, (n + 1) * M);
  g_autofree double *v = g_new (double, n + 1);
  g_autofree double *psize = g_new (double, M);
  g_autofree double *A = g_new0 (double, (gsize) M * M);
  g_autofree double *b = g_new0 (double, M);
  gsize evals;

  size_probabilities (M, psize);
  /* row 0: ∅; rows 1..n: the coalitions 1 .. 2^M − 2 as bit patterns */
  memset (masks, 0, M);
  for (gsize c = 1; c <= n; c++)
    for (guint j = 0; j < M; j++)
      masks[c * M + j] = (c >> j) & 1;
  evals = gb_explain_coalition_values (t, x, bg, masks, n + 1, v);
  *phi0 = v[0];
  for (gsize c = 1; c <= n; c++)
    {
      const guint8 *z = masks + c * M;
      guint s = 0;
      for (guint j = 0; j < M; j++)
        s += z[j];
      const double p = psize[s] / gsl_sf_choose (M, s);
      const double y = v[c] - v[0];
      for (guint i = 0; i < M; i++)
        if (z[i])
          {
            b[i] += p * y;
            for (guint j = 0; j < M; j++)
              if (z[j])
                A[i * M + j] += p;
          }
    }
  solve_constrained (M, A, b, fx - v[0], NULL, phi, NULL);
  *n_coal = (guint) n;
  return evals;
}

/* M ≤ 1: φ₀ = v(∅) (the one unit from the background, as row_exact's row 0)
 * and, for M = 1, φ₁ = f(x) − φ₀ — the Shapley value exactly, no coalition
 * in between to evaluate. */
static gsize
row_trivial (const GbExplainTarget *t, const float *x, const GbBackground *bg, double fx,
             double *phi, double *phi0, guint *n_coal)
{
  const guint8 empty[1] = { 0 };
  gsize evals = 0;

  if (t->n_units == 0)
    *phi0 = fx;   /* nothing is removed: v(∅) = f(x) */
  else
    {
      evals = gb_explain_coalition_values (t, x, bg, empty, 1, phi0);
      phi[0] = fx - *phi0;
    }
  *n_coal = 0;
  return evals;
}

/* Sampled: n_pairs antithetic pairs. */
static gsize
row_sampled (const GbExplainTarget *t, const float *x, const GbBackground *bg, double fx,
             guint n_pairs, guint64 seed, double *phi, double *se, double *phi0,
             gboolean *ok)
{
  const guint M = t->n_units;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autofree double *psize = g_new (double, M);
  g_autofree double *cdf = g_new (double, M);
  g_autofree guint *perm = g_new (guint, M);
  /* row 0: ∅; then pairs (2k+1, 2k+2) = (z, 1 − z) */
  g_autofree guint8 *masks = g_new0 (guint8, (gsize) (2 * n_pairs + 1) * M);
  g_autofree double *v = g_new (double, 2 * n_pairs + 1);
  g_autofree double *A = g_new0 (double, (gsize) M * M);
  g_autofree double *b = g_new0 (double, M);
  g_autofree double *bi = g_new (double, (gsize) n_pairs * M);
  g_autofree double *cov = g_new0 (double, (gsize) M * M);
  gsize evals;

  gsl_rng_set (rng, seed);
  size_probabilities (M, psize);
  cdf[0] = 0;
  for (guint s = 1; s < M; s++)
    cdf[s] = cdf[s - 1] + psize[s];
  for (guint k = 0; k < n_pairs; k++)
    {
      guint8 *z = masks + (gsize) (2 * k + 1) * M, *zc = z + M;
      double u = gsl_rng_uniform (rng);
      guint s = 1;
      while (s < M - 1 && u >= cdf[s])
        s++;
      for (guint j = 0; j < M; j++)
        perm[j] = j;
      for (guint j = 0; j < s; j++)
        {
          guint r = j + gsl_rng_uniform_int (rng, M - j);
          guint tmp = perm[j];
          perm[j] = perm[r];
          perm[r] = tmp;
          z[perm[j]] = 1;
        }
      for (guint j = 0; j < M; j++)
        zc[j] = !z[j];
    }
  gsl_rng_free (rng);
  evals = gb_explain_coalition_values (t, x, bg, masks, 2 * n_pairs + 1, v);
  *phi0 = v[0];

  for (guint k = 0; k < n_pairs; k++)
    {
      const guint8 *z = masks + (gsize) (2 * k + 1) * M, *zc = z + M;
      const double y = v[2 * k + 1] - v[0], yc = v[2 * k + 2] - v[0];
      for (guint i = 0; i < M; i++)
        {
          b[i] += 0.5 * (z[i] ? y : yc) / n_pairs;
          for (guint j = 0; j < M; j++)
            A[i * M + j] += 0.5 * ((z[i] && z[j]) + (zc[i] && zc[j])) / n_pairs;
        }
    }
  if (!solve_constrained (M, A, b, fx - v[0], NULL, phi, NULL))
    {
      *ok = FALSE;
      return evals;
    }
  /* Delta method for φ̂ = g(Ā, b̄): dφ = P (db − dA φ), so the per-pair
   * influence is P rᵢ with rᵢ = bᵢ − Aᵢφ̂ = ½ (z (y − zᵀφ̂) + z̄ (ȳ − z̄ᵀφ̂)),
   * the regression residuals; Cov φ̂ ≈ P Cov(r) Pᵀ / n.  (Using bᵢ alone, as
   * if A were known, overstates the error several-fold: a linear game is
   * fit exactly by any sample yet has Var bᵢ > 0.) */
  g_autofree double *rm = g_new0 (double, M);
  for (guint k = 0; k < n_pairs; k++)
    {
      const guint8 *z = masks + (gsize) (2 * k + 1) * M, *zc = z + M;
      double zp = 0, zcp = 0;
      for (guint i = 0; i < M; i++)
        {
          zp += z[i] ? phi[i] : 0;
          zcp += zc[i] ? phi[i] : 0;
        }
      const double e = v[2 * k + 1] - v[0] - zp, ec = v[2 * k + 2] - v[0] - zcp;
      for (guint i = 0; i < M; i++)
        {
          bi[(gsize) k * M + i] = 0.5 * (z[i] ? e : ec);
          rm[i] += bi[(gsize) k * M + i] / n_pairs;
        }
    }
  for (guint k = 0; k < n_pairs; k++)
    for (guint i = 0; i < M; i++)
      for (guint j = 0; j < M; j++)
        cov[i * M + j] += (bi[(gsize) k * M + i] - rm[i]) * (bi[(gsize) k * M + j] - rm[j]);
  /* divided by n for the mean, by n − M − 1 for the fitted φ̂ (as HC1) */
  for (gsize i = 0; i < (gsize) M * M; i++)
    cov[i] /= (double) MAX ((gint) n_pairs - (gint) M - 1, 1) * n_pairs;
  *ok = solve_constrained (M, A, b, fx - v[0], cov, phi, se);
  return evals;
}

GbExplanation *
gb_kernel_shap (const GbExplainTarget *target, const float *x, const gsize *row_ids,
                gsize n_rows, const GbBackground *bg, const char *const *unit_names,
                const GbKernelShapOptions *options, GCancellable *cancellable,
                GbProgressFunc progress, gpointer user_data, GError **error)
{
  const guint M = target->n_units;
  const gsize TC = (gsize) target->T * target->C;
  GbKernelShapOptions opt;
  gboolean exact;
  gint64 t0 = g_get_monotonic_time ();

  if (options)
    opt = *options;
  else
    gb_kernel_shap_options_init_default (&opt);
  exact = opt.mode == GB_KERNEL_SHAP_EXACT
          || (opt.mode == GB_KERNEL_SHAP_AUTO && M <= MIN (opt.max_exact_units, GB_SHAP_MAX_EXACT));
  /* M ≤ 1: no coalition lies strictly between ∅ and the full set, and the
   * Shapley value needs none: efficiency alone gives φ₁ = f(x) − v(∅)
   * (M = 0: nothing to share, f(x) = v(∅)); exact, as enumeration is */
  if (M <= 1)
    exact = TRUE;
  if (exact && M > GB_SHAP_MAX_EXACT)
    {
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Exact KernelSHAP enumerates 2^M coalitions; M = %u is too many (at most "
                   "%u): use sampled mode", M, GB_SHAP_MAX_EXACT);
      return NULL;
    }
  const guint n_pairs = MAX ((opt.n_samples + 1) / 2, 2u);
  g_autoptr(GbExplanation) e = gb_explanation_new ("kernel_shap", M, unit_names, n_rows);
  e->exact = exact;

  for (gsize r = 0; r < n_rows; r++)
    {
      GbAttributionRow *row = &e->rows[r];
      const float *xr = x + r * TC;
      double fx, phi0, sum = 0;
      gboolean ok = TRUE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      target->forward (target, xr, 1, &fx);
      row->row = row_ids ? row_ids[r] : r;
      row->prediction = fx;
      if (M <= 1)
        row->n_evaluations = 1 + row_trivial (target, xr, bg, fx, row->values, &phi0,
                                              &row->steps);
      else if (exact)
        row->n_evaluations = 1 + row_exact (target, xr, bg, fx, row->values, &phi0, &row->steps);
      else
        {
          row->std_errors = g_new0 (double, M);
          row->n_evaluations = 1 + row_sampled (target, xr, bg, fx, n_pairs, opt.seed + r,
                                                row->values, row->std_errors, &phi0, &ok);
          row->steps = 2 * n_pairs;
        }
      if (!ok)
        {
          g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_NUMERIC,
                       "Sampled KernelSHAP, row %" G_GSIZE_FORMAT ": %u coalitions do not "
                       "determine %u Shapley values (singular system); increase the number of "
                       "samples", row->row, 2 * n_pairs, M);
          return NULL;
        }
      row->base_value = phi0;
      for (guint j = 0; j < M; j++)
        sum += row->values[j];
      row->completeness_residual = fabs (phi0 + sum - fx);
      e->n_evaluations += row->n_evaluations;
      if (progress)
        progress ((double) (r + 1) / n_rows, "KernelSHAP", user_data);
    }
  gb_explanation_update_global (e);
  g_free (e->description);
  if (M == 1)
    e->description = g_strdup_printf ("KernelSHAP (Lundberg & Lee 2017), exact: with one "
                                      "feature or token its Shapley value is the prediction "
                                      "minus the expected prediction over the background (%s).",
                                      bg->description);
  else if (M == 0)
    e->description = g_strdup ("KernelSHAP: no feature or token to share the prediction "
                               "between; the prediction is its own base value.");
  else if (exact)
    e->description = g_strdup_printf ("KernelSHAP (Lundberg & Lee 2017), exact: all %" G_GSIZE_FORMAT
                                      " coalitions of the %u features enumerated, background: %s.",
                                      ((gsize) 1 << M) - 2, M, bg->description);
  else
    e->description = g_strdup_printf ("KernelSHAP (Lundberg & Lee 2017), %u paired coalition "
                                      "samples per row with standard errors (Covert & Lee 2021), "
                                      "background: %s.", 2 * n_pairs, bg->description);
  e->seconds = (g_get_monotonic_time () - t0) / 1e6;
  return g_steal_pointer (&e);
}
