/* gb-estimators.c — stratification on the propensity score, regression
 * adjustment (g-computation) and augmented IPW.
 *
 * stratification          Rosenbaum & Rubin (1984, JASA 79:516); Imbens &
 *                         Rubin (2015), Causal Inference, ch. 17
 * regression adjustment   per-arm linear outcome models (all treatment ×
 *                         covariate interactions), averaged over the rows
 *                         of the estimand (Imbens & Wooldridge 2009, JEL
 *                         47:5, §5.3); sandwich SE through the influence
 *                         function of the stacked OLS + mean equations
 * AIPW                    Robins, Rotnitzky & Zhao (1994); Glynn & Quinn
 *                         (2010, Political Analysis 18:36); ATT form of
 *                         Moodie, Saarela & Stephens (2018, Int Stat Rev 86:2)
 */
#include "gb-config.h"
#include "gb-causal-private.h"
#include "gb-ols.h"

#include <math.h>
#include <string.h>

/* ---- stratification ------------------------------------------------------ */

typedef struct {
  const double *e;
  gsize i;
} Ranked;

static int
cmp_ranked (const void *a, const void *b)
{
  const Ranked *x = a, *y = b;
  if (x->e[x->i] < y->e[y->i])
    return -1;
  if (x->e[x->i] > y->e[y->i])
    return 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

gboolean
gb_causal_stratification (const double *y, const double *t, const double *e, gsize n,
                          guint n_strata, GbEstimand estimand, GbEstimate *out, GError **error)
{
  g_autofree Ranked *order = NULL;
  double tau = 0.0, var = 0.0, wsum = 0.0;
  gsize used = 0;
  guint kept = 0;

  g_return_val_if_fail (out != NULL && e != NULL, FALSE);
  memset (out, 0, sizeof *out);
  if (n_strata < 1)
    n_strata = 1;
  if (!gb_causal_check_inputs (y, t, n, 2, "Stratification", error))
    return FALSE;

  order = g_new (Ranked, n);
  for (gsize i = 0; i < n; i++)
    order[i] = (Ranked) { e, i };
  qsort (order, n, sizeof *order, cmp_ranked);

  /* First pass: the weight total over the strata that are kept. */
  for (int pass = 0; pass < 2; pass++)
    for (guint s = 0; s < n_strata; s++)
      {
        gsize lo = (gsize) ((double) s * (double) n / n_strata);
        gsize hi = (gsize) ((double) (s + 1) * (double) n / n_strata);
        double n1 = 0, n0 = 0, m1 = 0, m0 = 0, ss1 = 0, ss0 = 0, w;
        for (gsize r = lo; r < hi; r++)
          {
            gsize i = order[r].i;
            double d;
            if (t[i] == 1.0)
              {
                n1++;
                d = y[i] - m1;
                m1 += d / n1;
                ss1 += d * (y[i] - m1);
              }
            else
              {
                n0++;
                d = y[i] - m0;
                m0 += d / n0;
                ss0 += d * (y[i] - m0);
              }
          }
        if (n1 < 2 || n0 < 2)
          continue;
        w = estimand == GB_ESTIMAND_ATE ? n1 + n0 : n1;
        if (pass == 0)
          {
            wsum += w;
            used += hi - lo;
            kept++;
            continue;
          }
        w /= wsum;
        tau += w * (m1 - m0);
        var += w * w * (ss1 / (n1 - 1) / n1 + ss0 / (n0 - 1) / n0);
      }
  if (kept == 0)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                   "Stratification: no propensity stratum has two treated and two control "
                   "rows (the groups do not overlap); use fewer strata or trim the sample");
      return FALSE;
    }
  gb_causal_estimate_set_normal (out, "stratification", gb_estimand_to_string (estimand),
                                 "Neyman within strata (propensity taken as known)", tau,
                                 sqrt (var), used);
  return TRUE;
}

/* ---- per-arm linear outcome models -------------------------------------- */

typedef struct {
  gsize q;          /* kept columns */
  gsize *cols;      /* (q) design columns kept */
  GbOlsFit *fit;
} ArmModel;

static void
arm_model_clear (ArmModel *m)
{
  g_clear_pointer (&m->cols, g_free);
  g_clear_pointer (&m->fit, gb_ols_fit_free);
}

/* OLS of y on the columns of X that vary within arm @arm (column 0, the
 * intercept, always kept); predictions for every row in @m_out (n). */
static gboolean
arm_model_fit (const double *y, const double *t, const double *X, gsize n, gsize p, int arm,
               ArmModel *m, double *m_out, GError **error)
{
  g_autofree double *Xa = NULL, *ya = NULL, *row = NULL;
  g_autoptr(GError) local = NULL;
  gsize na = 0, r = 0;

  memset (m, 0, sizeof *m);
  m->cols = g_new (gsize, p);
  for (gsize j = 0; j < p; j++)
    {
      gboolean keep = j == 0, seen = FALSE;
      double first = 0.0;
      for (gsize i = 0; i < n && !keep; i++)
        {
          if ((t[i] == 1.0) != arm)
            continue;
          if (!seen)
            {
              first = X[i * p + j];
              seen = TRUE;
            }
          else if (X[i * p + j] != first)
            keep = TRUE;
        }
      if (keep)
        m->cols[m->q++] = j;
    }
  for (gsize i = 0; i < n; i++)
    na += (t[i] == 1.0) == arm;
  Xa = g_new (double, MAX (na, 1) * m->q);
  ya = g_new (double, MAX (na, 1));
  for (gsize i = 0; i < n; i++)
    {
      if ((t[i] == 1.0) != arm)
        continue;
      for (gsize c = 0; c < m->q; c++)
        Xa[r * m->q + c] = X[i * p + m->cols[c]];
      ya[r++] = y[i];
    }
  m->fit = gb_ols_fit (Xa, ya, NULL, na, m->q, &local);
  if (m->fit == NULL)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                   "Outcome model of the %s rows failed: %s", arm ? "treated" : "control",
                   local->message);
      arm_model_clear (m);
      return FALSE;
    }
  row = g_new (double, m->q);
  for (gsize i = 0; i < n; i++)
    {
      double s = 0.0;
      for (gsize c = 0; c < m->q; c++)
        s += X[i * p + m->cols[c]] * m->fit->coef[c];
      m_out[i] = s;
    }
  return TRUE;
}

/* v = (Xₐ'Xₐ)⁻¹ x̄ on the arm's kept columns, x̄ the mean of X over rows
 * with sel[i] (all rows when sel is NULL). */
static double *
arm_model_direction (const ArmModel *m, const double *X, gsize n, gsize p, const double *sel)
{
  g_autofree double *xbar = g_new0 (double, m->q);
  double *v = g_new0 (double, m->q), cnt = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (sel && sel[i] != 1.0)
        continue;
      cnt++;
      for (gsize c = 0; c < m->q; c++)
        xbar[c] += X[i * p + m->cols[c]];
    }
  for (gsize c = 0; c < m->q; c++)
    xbar[c] /= cnt;
  for (gsize a = 0; a < m->q; a++)
    for (gsize b = 0; b < m->q; b++)
      v[a] += m->fit->xtwx_inv[a * m->q + b] * xbar[b];
  return v;
}

static double
arm_dot (const ArmModel *m, const double *v, const double *X, gsize p, gsize i)
{
  double s = 0.0;
  for (gsize c = 0; c < m->q; c++)
    s += v[c] * X[i * p + m->cols[c]];
  return s;
}

gboolean
gb_causal_regression_adjustment (const double *y, const double *t, const double *X, gsize n,
                                 gsize p, GbEstimand estimand, GbEstimate *out, double *out_m1,
                                 double *out_m0, GError **error)
{
  ArmModel a1 = { 0 }, a0 = { 0 };
  g_autofree double *m1 = g_new (double, n), *m0 = g_new (double, n);
  g_autofree double *v1 = NULL, *v0 = NULL;
  double tau = 0.0, n1 = 0.0, var = 0.0;
  gboolean ok = FALSE;

  g_return_val_if_fail (out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  if (!gb_causal_check_inputs (y, t, n, 2, "Regression adjustment", error))
    return FALSE;
  if (!arm_model_fit (y, t, X, n, p, 1, &a1, m1, error)
      || !arm_model_fit (y, t, X, n, p, 0, &a0, m0, error))
    goto out;

  for (gsize i = 0; i < n; i++)
    n1 += t[i];
  if (estimand == GB_ESTIMAND_ATE)
    {
      for (gsize i = 0; i < n; i++)
        tau += m1[i] - m0[i];
      tau /= (double) n;
      v1 = arm_model_direction (&a1, X, n, p, NULL);
      v0 = arm_model_direction (&a0, X, n, p, NULL);
      for (gsize i = 0; i < n; i++)
        {
          double inf = m1[i] - m0[i] - tau;
          if (t[i] == 1.0)
            inf += (double) n * arm_dot (&a1, v1, X, p, i) * (y[i] - m1[i]);
          else
            inf -= (double) n * arm_dot (&a0, v0, X, p, i) * (y[i] - m0[i]);
          var += inf * inf;
        }
    }
  else
    {
      double p1 = n1 / (double) n;
      for (gsize i = 0; i < n; i++)
        if (t[i] == 1.0)
          tau += y[i] - m0[i];
      tau /= n1;
      v0 = arm_model_direction (&a0, X, n, p, t);
      for (gsize i = 0; i < n; i++)
        {
          double inf;
          if (t[i] == 1.0)
            inf = (y[i] - m0[i] - tau) / p1;
          else
            inf = -(double) n * arm_dot (&a0, v0, X, p, i) * (y[i] - m0[i]);
          var += inf * inf;
        }
    }
  var /= (double) n * (double) n;
  gb_causal_estimate_set_normal (out, "regression_adjustment", gb_estimand_to_string (estimand),
                                 "sandwich (influence function, outcome models estimated)", tau,
                                 sqrt (var), n);
  if (out_m1)
    memcpy (out_m1, m1, n * sizeof (double));
  if (out_m0)
    memcpy (out_m0, m0, n * sizeof (double));
  ok = TRUE;
out:
  arm_model_clear (&a1);
  arm_model_clear (&a0);
  return ok;
}

gboolean
gb_causal_aipw (const double *y, const double *t, const double *X, const double *e, gsize n,
                gsize p, GbEstimand estimand, GbEstimate *out, GError **error)
{
  ArmModel a1 = { 0 }, a0 = { 0 };
  g_autofree double *m1 = g_new (double, n), *m0 = g_new (double, n), *phi = g_new (double, n);
  double tau = 0.0, n1 = 0.0, var = 0.0;
  gboolean ok = FALSE;

  g_return_val_if_fail (out != NULL && e != NULL, FALSE);
  memset (out, 0, sizeof *out);
  if (!gb_causal_check_inputs (y, t, n, 2, "AIPW", error))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!(e[i] > 0.0 && e[i] < 1.0))
      {
        g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                     "AIPW: propensity score of row %" G_GSIZE_FORMAT " is %g, outside (0, 1)",
                     i, e[i]);
        return FALSE;
      }
  if (!arm_model_fit (y, t, X, n, p, 0, &a0, m0, error))
    goto out;
  if (estimand == GB_ESTIMAND_ATE && !arm_model_fit (y, t, X, n, p, 1, &a1, m1, error))
    goto out;

  for (gsize i = 0; i < n; i++)
    n1 += t[i];
  if (estimand == GB_ESTIMAND_ATE)
    {
      for (gsize i = 0; i < n; i++)
        {
          phi[i] = m1[i] - m0[i] + t[i] * (y[i] - m1[i]) / e[i]
                   - (1.0 - t[i]) * (y[i] - m0[i]) / (1.0 - e[i]);
          tau += phi[i];
        }
      tau /= (double) n;
      for (gsize i = 0; i < n; i++)
        var += (phi[i] - tau) * (phi[i] - tau);
    }
  else
    {
      double p1 = n1 / (double) n;
      for (gsize i = 0; i < n; i++)
        tau += t[i] == 1.0 ? y[i] - m0[i] : -e[i] / (1.0 - e[i]) * (y[i] - m0[i]);
      tau /= n1;
      for (gsize i = 0; i < n; i++)
        {
          double inf = t[i] == 1.0 ? (y[i] - m0[i] - tau) / p1
                                   : -e[i] / (1.0 - e[i]) * (y[i] - m0[i]) / p1;
          var += inf * inf;
        }
    }
  var /= (double) n * (double) n;
  gb_causal_estimate_set_normal (out, "aipw", gb_estimand_to_string (estimand),
                                 "influence function (doubly robust)", tau, sqrt (var), n);
  ok = TRUE;
out:
  arm_model_clear (&a1);
  arm_model_clear (&a0);
  return ok;
}
