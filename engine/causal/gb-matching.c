/* gb-matching.c — nearest-neighbour matching on the propensity score or the
 * Mahalanobis distance, with the Abadie–Imbens standard error.
 *
 * Sources: Abadie & Imbens (2006), "Large sample properties of matching
 * estimators for average treatment effects", Econometrica 74:235 (the
 * estimator, Theorem 7 variance, σ² by within-arm matching); Austin (2011),
 * Pharmaceutical Statistics 10:150 (caliper 0.2 SD of the logit propensity);
 * Rubin (1980), Biometrics 36:293 (Mahalanobis metric matching).  The test
 * reference is an independent numpy implementation
 * (tests/reference/causal_matching_reference.py).
 */
#include "gb-config.h"
#include "gb-causal-private.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#define GB_MATCH_VAR_J 2  /* within-arm neighbours for σ̂²(x) (Stata teffects' default) */

typedef struct {
  double d;   /* tie key of the distance, see dist_key() */
  gsize j;    /* row */
} Cand;

/* Distances are compared on a grid of 1e-9: mathematically equal distances
 * (common with integer covariates: ages 25 and 27 are equally far from 26)
 * must tie whatever the rounding of the propensity fit, so that the tie
 * goes to the lower row index on every machine and thread count. */
static inline double
dist_key (double d2)
{
  return floor (sqrt (d2) * 1e9 + 0.5);
}

static inline gboolean
cand_less (double d1, gsize j1, double d2, gsize j2)
{
  return d1 < d2 || (d1 == d2 && j1 < j2);
}

/* Inserts (d, j) into best[0..*cnt) kept sorted, at most k long. */
static inline void
cand_insert (Cand *best, guint *cnt, guint k, double d, gsize j)
{
  guint pos;
  if (*cnt == k && !cand_less (d, j, best[k - 1].d, best[k - 1].j))
    return;
  pos = *cnt < k ? (*cnt)++ : k - 1;
  while (pos > 0 && cand_less (d, j, best[pos - 1].d, best[pos - 1].j))
    {
      best[pos] = best[pos - 1];
      pos--;
    }
  best[pos] = (Cand) { d, j };
}

typedef struct {
  const double *Z;
  gsize q;
  const gsize *cand;    /* candidate rows */
  gsize n_cand;
  gsize *sorted;        /* q == 1: candidate rows sorted by (z, row) */
  double *zs;           /* q == 1: z of the sorted candidates */
  guint8 *used;         /* (n_cand) taken, by sorted position (q == 1) or
                         * by position in cand (q > 1) */
} Pool;

static int
cmp_pos_by_z (const void *a, const void *b, void *data)
{
  const double *z = data;
  gsize ra = *(const gsize *) a, rb = *(const gsize *) b;
  double za = z[ra], zb = z[rb];
  if (za < zb)
    return -1;
  if (za > zb)
    return 1;
  return ra < rb ? -1 : ra > rb;
}

static void
pool_init (Pool *pl, const double *Z, gsize q, const gsize *cand, gsize n_cand)
{
  memset (pl, 0, sizeof *pl);
  pl->Z = Z;
  pl->q = q;
  pl->cand = cand;
  pl->n_cand = n_cand;
  pl->used = g_new0 (guint8, MAX (n_cand, 1));
  if (q == 1)
    {
      /* sorted rows, then z and used flags addressed by sorted position */
      pl->sorted = g_memdup2 (cand, MAX (n_cand, 1) * sizeof (gsize));
      g_qsort_with_data (pl->sorted, (gint) n_cand, sizeof (gsize),
                         (GCompareDataFunc) cmp_pos_by_z, (gpointer) Z);
      pl->zs = g_new (double, MAX (n_cand, 1));
      for (gsize s = 0; s < n_cand; s++)
        pl->zs[s] = Z[pl->sorted[s]];
    }
}

static void
pool_clear (Pool *pl)
{
  g_free (pl->sorted);
  g_free (pl->zs);
  g_free (pl->used);
}

/* The k nearest candidates of point z0 (row @self excluded), among unused
 * ones when @skip_used; squared distances ≤ max_d2.  Returns the count. */
static guint
pool_nearest (Pool *pl, const double *z0, gsize self, guint k, gboolean skip_used,
              double max_d2, Cand *best, gsize *best_slot)
{
  guint cnt = 0;

  if (pl->q == 1)
    {
      /* Two pointers out from the insertion point, then every tie of the
       * k-th distance, then the best k by (distance, row). */
      gsize lo, hi, a = 0, b = pl->n_cand;
      GArray *col = g_array_new (FALSE, FALSE, sizeof (Cand));
      GArray *slots = g_array_new (FALSE, FALSE, sizeof (gsize));
      double dk = INFINITY;
      while (a < b)
        {
          gsize mid = (a + b) / 2;
          if (pl->zs[mid] < z0[0])
            a = mid + 1;
          else
            b = mid;
        }
      hi = a;
      lo = a; /* lo - 1 is the next one to the left */
      for (;;)
        {
          gboolean have_l, have_r;
          double dl = INFINITY, dr = INFINITY;
          while (lo > 0 && ((skip_used && pl->used[lo - 1]) || pl->sorted[lo - 1] == self))
            lo--;
          while (hi < pl->n_cand && ((skip_used && pl->used[hi]) || pl->sorted[hi] == self))
            hi++;
          have_l = lo > 0;
          have_r = hi < pl->n_cand;
          if (have_l)
            dl = dist_key ((z0[0] - pl->zs[lo - 1]) * (z0[0] - pl->zs[lo - 1]));
          if (have_r)
            dr = dist_key ((pl->zs[hi] - z0[0]) * (pl->zs[hi] - z0[0]));
          if (!have_l && !have_r)
            break;
          if (col->len >= k && MIN (dl, dr) > dk)
            break;
          if (dl < dr || (dl == dr && have_l && (!have_r || pl->sorted[lo - 1] < pl->sorted[hi])))
            {
              Cand c = { dl, pl->sorted[lo - 1] };
              gsize s = lo - 1;
              g_array_append_val (col, c);
              g_array_append_val (slots, s);
              lo--;
            }
          else
            {
              Cand c = { dr, pl->sorted[hi] };
              gsize s = hi;
              g_array_append_val (col, c);
              g_array_append_val (slots, s);
              hi++;
            }
          if (col->len == k)
            dk = g_array_index (col, Cand, k - 1).d;
        }
      for (guint m = 0; m < col->len; m++)
        {
          Cand c = g_array_index (col, Cand, m);
          double zd = pl->zs[g_array_index (slots, gsize, m)] - z0[0];
          if (zd * zd > max_d2)
            continue;
          cand_insert (best, &cnt, k, c.d, c.j);
        }
      /* map rows back to sorted slots */
      for (guint m = 0; m < cnt; m++)
        for (guint s = 0; s < slots->len; s++)
          if (g_array_index (col, Cand, s).j == best[m].j)
            {
              best_slot[m] = g_array_index (slots, gsize, s);
              break;
            }
      g_array_unref (col);
      g_array_unref (slots);
      return cnt;
    }

  for (gsize s = 0; s < pl->n_cand; s++)
    {
      gsize j = pl->cand[s];
      const double *zj = pl->Z + j * pl->q;
      double d = 0.0, bound;
      if (j == self || (skip_used && pl->used[s]))
        continue;
      /* early abandon once the partial sum exceeds the k-th best (with a
       * margin beyond its tie key) or the caliper */
      if (cnt == k)
        {
          double r = (best[k - 1].d + 2.0) * 1e-9;
          bound = MIN (r * r, max_d2);
        }
      else
        bound = max_d2;
      for (gsize c = 0; c < pl->q && d <= bound; c++)
        {
          double u = z0[c] - zj[c];
          d += u * u;
        }
      if (d > max_d2)
        continue;
      d = dist_key (d);
      /* insert, keeping the slot alongside */
      {
        guint pos;
        if (cnt == k && !cand_less (d, j, best[k - 1].d, best[k - 1].j))
          continue;
        pos = cnt < k ? cnt++ : k - 1;
        while (pos > 0 && cand_less (d, j, best[pos - 1].d, best[pos - 1].j))
          {
            best[pos] = best[pos - 1];
            best_slot[pos] = best_slot[pos - 1];
            pos--;
          }
        best[pos] = (Cand) { d, j };
        best_slot[pos] = s;
      }
    }
  return cnt;
}


/* The k nearest candidates of many queries at once (q > 1, no "used"
 * rows): squared distances |a|² + |c|² − 2a·c from a BLAS product screen
 * the candidates; every candidate within a margin of the k-th screened
 * distance is then measured exactly, so the result (exact keys, ties to
 * the lower row) is the brute-force one.  best: (nq, k); cnt: (nq). */
#define GB_KNN_BLOCK 64
static void
knn_many (const double *Z, gsize q, const gsize *queries, gsize nq, const gsize *cand, gsize nc,
          guint k, gboolean exclude_self, double max_d2, Cand *best, guint *cnt)
{
  g_autofree double *C = g_new (double, MAX (nc, 1) * q), *cn = g_new (double, MAX (nc, 1));
  g_autofree double *Q = g_new (double, GB_KNN_BLOCK * q), *qn = g_new (double, GB_KNN_BLOCK);
  g_autofree double *G = g_new (double, GB_KNN_BLOCK * MAX (nc, 1));
  g_autofree double *top = g_new (double, k);
  g_autofree gsize *buf = g_new (gsize, MAX (nc, 1));
  g_autofree gsize *pos_of = NULL;
  gsize max_row = 0;
  double maxcn = 0.0;

  if (exclude_self)
    {
      for (gsize s = 0; s < nc; s++)
        max_row = MAX (max_row, cand[s]);
      pos_of = g_new (gsize, max_row + 1);
      for (gsize r = 0; r <= max_row; r++)
        pos_of[r] = G_MAXSIZE;
      for (gsize s = 0; s < nc; s++)
        pos_of[cand[s]] = s;
    }

  for (gsize s = 0; s < nc; s++)
    {
      double v = 0.0;
      memcpy (C + s * q, Z + cand[s] * q, q * sizeof (double));
      for (gsize c = 0; c < q; c++)
        v += C[s * q + c] * C[s * q + c];
      cn[s] = v;
      maxcn = MAX (maxcn, v);
    }
  for (gsize b0 = 0; b0 < nq; b0 += GB_KNN_BLOCK)
    {
      gsize B = MIN ((gsize) GB_KNN_BLOCK, nq - b0);
      for (gsize a = 0; a < B; a++)
        {
          double v = 0.0;
          memcpy (Q + a * q, Z + queries[b0 + a] * q, q * sizeof (double));
          for (gsize c = 0; c < q; c++)
            v += Q[a * q + c] * Q[a * q + c];
          qn[a] = v;
        }
      if (nc > 0)
        cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) B, (int) nc, (int) q, 1.0, Q,
                     (int) q, C, (int) q, 0.0, G, (int) nc);
      for (gsize a = 0; a < B; a++)
        {
          double *d = G + a * nc;
          const double *z0 = Q + a * q;
          Cand *bq = best + (b0 + a) * k;
          guint nt = 0, c2 = 0;
          double margin = 1e-7 * (1.0 + qn[a] + maxcn), thr, kth = INFINITY;
          gsize nbuf = 0;
          gsize self_pos = G_MAXSIZE;
          if (exclude_self && queries[b0 + a] <= max_row)
            self_pos = pos_of[queries[b0 + a]];
          /* one pass: screened squared distance, the k smallest so far, and
           * every candidate within the margin of the running k-th kept for
           * the exact check (the running k-th only decreases) */
          for (gsize s = 0; s < nc; s++)
            {
              double ds = qn[a] + cn[s] - 2.0 * d[s];
              guint pos;
              if (ds > kth + margin || ds > max_d2 + margin || s == self_pos)
                continue;
              buf[nbuf++] = s;
              d[s] = ds;
              if (ds >= kth)
                continue;
              pos = nt < k ? nt++ : k - 1;
              while (pos > 0 && ds < top[pos - 1])
                {
                  top[pos] = top[pos - 1];
                  pos--;
                }
              top[pos] = ds;
              if (nt == k)
                kth = top[k - 1];
            }
          thr = nt == k ? top[k - 1] + margin : INFINITY;
          thr = MIN (thr, max_d2 + margin);
          for (gsize bi = 0; bi < nbuf; bi++)
            {
              gsize s = buf[bi];
              double e = 0.0;
              if (!(d[s] <= thr))
                continue;
              for (gsize c = 0; c < q; c++)
                {
                  double u = z0[c] - C[s * q + c];
                  e += u * u;
                }
              if (e > max_d2)
                continue;
              cand_insert (bq, &c2, k, dist_key (e), cand[s]);
            }
          cnt[b0 + a] = c2;
        }
    }
}

typedef struct {
  const double *Z;
  gsize q;
  double z1; /* first coordinate, for ordering */
  gsize i;
} Ord;

static int
cmp_ord_desc (const void *a, const void *b)
{
  const Ord *x = a, *y = b;
  if (x->z1 > y->z1)
    return -1;
  if (x->z1 < y->z1)
    return 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

/* Matches every row of @queries to up to k rows of @cand.  Fills
 * match[qi * k + m] (rows) and n_match[qi]. */
static void
match_set (const double *Z, gsize q, const gsize *queries, gsize n_q, const gsize *cand,
           gsize n_cand, const GbMatchOptions *opts, double caliper2, gsize *match,
           guint *n_match)
{
  Pool pl;
  const guint k = MAX (opts->k, 1);
  g_autofree Cand *best = g_new (Cand, k);
  g_autofree gsize *slot = g_new (gsize, k);
  g_autofree Ord *order = g_new (Ord, MAX (n_q, 1));

  if (q > 1 && opts->replace)
    {
      g_autofree Cand *all = g_new (Cand, MAX (n_q, 1) * k);
      knn_many (Z, q, queries, n_q, cand, n_cand, k, FALSE, caliper2, all, n_match);
      for (gsize a = 0; a < n_q; a++)
        for (guint m = 0; m < n_match[a]; m++)
          match[a * k + m] = all[a * k + m].j;
      return;
    }
  pool_init (&pl, Z, q, cand, n_cand);
  for (gsize a = 0; a < n_q; a++)
    order[a] = (Ord) { Z, q, Z[queries[a] * q], a };
  if (!opts->replace)
    qsort (order, n_q, sizeof *order, cmp_ord_desc);
  for (gsize o = 0; o < n_q; o++)
    {
      gsize a = order[o].i, row = queries[a];
      guint cnt = pool_nearest (&pl, Z + row * q, G_MAXSIZE, k, !opts->replace, caliper2, best,
                                slot);
      n_match[a] = cnt;
      for (guint m = 0; m < cnt; m++)
        {
          match[a * k + m] = best[m].j;
          if (!opts->replace)
            pl.used[slot[m]] = 1;
        }
    }
  pool_clear (&pl);
}

/* σ̂²(xⱼ) for the rows j with need[j]: J/(J+1) (yⱼ − mean of the J nearest
 * rows of the same arm)² (Abadie & Imbens 2006, eq. 14). */
static void
conditional_variances (const double *y, const double *t, const double *Z, gsize q, gsize n,
                       const guint8 *need, double *sigma2)
{
  for (int arm = 0; arm < 2; arm++)
    {
      g_autofree gsize *rows = g_new (gsize, MAX (n, 1));
      gsize na = 0;
      Pool pl;
      guint J;
      Cand best[GB_MATCH_VAR_J];
      gsize slot[GB_MATCH_VAR_J];
      for (gsize i = 0; i < n; i++)
        if ((t[i] == 1.0) == arm)
          rows[na++] = i;
      J = (guint) MIN ((gsize) GB_MATCH_VAR_J, na > 0 ? na - 1 : 0);
      if (q > 1 && J > 0)
        {
          g_autofree gsize *qs = g_new (gsize, MAX (na, 1));
          g_autofree Cand *all = NULL;
          g_autofree guint *cnt = NULL;
          gsize nqs = 0;
          for (gsize a = 0; a < na; a++)
            if (need[rows[a]])
              qs[nqs++] = rows[a];
          all = g_new (Cand, MAX (nqs, 1) * J);
          cnt = g_new (guint, MAX (nqs, 1));
          knn_many (Z, q, qs, nqs, rows, na, J, TRUE, INFINITY, all, cnt);
          for (gsize a = 0; a < nqs; a++)
            {
              double m = 0.0;
              gsize i = qs[a];
              for (guint c = 0; c < cnt[a]; c++)
                m += y[all[a * J + c].j];
              m /= MAX (cnt[a], 1);
              sigma2[i] = cnt[a] ? (double) cnt[a] / (cnt[a] + 1.0) * (y[i] - m) * (y[i] - m) : 0.0;
            }
          continue;
        }
      pool_init (&pl, Z, q, rows, na);
      for (gsize a = 0; a < na; a++)
        {
          gsize i = rows[a];
          double m = 0.0;
          guint cnt;
          if (!need[i])
            continue;
          if (J == 0)
            {
              sigma2[i] = 0.0;
              continue;
            }
          cnt = pool_nearest (&pl, Z + i * q, i, J, FALSE, INFINITY, best, slot);
          for (guint c = 0; c < cnt; c++)
            m += y[best[c].j];
          m /= cnt;
          sigma2[i] = (double) cnt / (cnt + 1.0) * (y[i] - m) * (y[i] - m);
        }
      pool_clear (&pl);
    }
}

/* gb_causal_match() with the units that contribute: out_has (nullable, n)
 * receives 1 for every unit with a match, *out_var2006 the variance. */
static gboolean
match_impl (const double *y, const double *t, const double *Z, gsize n, gsize q,
            GbEstimand estimand, const GbMatchOptions *opts, const char *method,
            GbEstimate *out, double *out_weights, guint8 *out_has, GError **error)
{
  const guint k = MAX (opts->k, 1);
  g_autofree gsize *tr = g_new (gsize, MAX (n, 1)), *co = g_new (gsize, MAX (n, 1));
  g_autofree gsize *match_t = NULL, *match_c = NULL;
  g_autofree guint *nm_t = NULL, *nm_c = NULL;
  g_autofree double *kt = g_new0 (double, n), *lt = g_new0 (double, n);
  g_autofree double *sigma2 = g_new0 (double, n), *w = g_new0 (double, n);
  g_autofree guint8 *need = g_new0 (guint8, n);
  double caliper2 = opts->caliper > 0 ? opts->caliper * opts->caliper : INFINITY;
  gsize n1 = 0, n0 = 0, n_units = 0, n_used = 0;
  double tau = 0.0, v1 = 0.0, v2 = 0.0;
  g_autofree double *diff = g_new (double, n);
  g_autofree guint8 *has = g_new0 (guint8, n);
  g_autofree char *se_method = NULL;

  g_return_val_if_fail (out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  if (!gb_causal_check_inputs (y, t, n, 1, "Matching", error))
    return FALSE;
  for (gsize i = 0; i < n * q; i++)
    if (!isfinite (Z[i]))
      {
        g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                     "Matching: coordinate %" G_GSIZE_FORMAT " of row %" G_GSIZE_FORMAT
                     " is not a finite number", i % q, i / q);
        return FALSE;
      }
  for (gsize i = 0; i < n; i++)
    {
      if (t[i] == 1.0)
        tr[n1++] = i;
      else
        co[n0++] = i;
    }

  /* treated → controls (both estimands) */
  match_t = g_new (gsize, MAX (n1, 1) * k);
  nm_t = g_new0 (guint, MAX (n1, 1));
  match_set (Z, q, tr, n1, co, n0, opts, caliper2, match_t, nm_t);
  if (estimand == GB_ESTIMAND_ATE)
    {
      match_c = g_new (gsize, MAX (n0, 1) * k);
      nm_c = g_new0 (guint, MAX (n0, 1));
      match_set (Z, q, co, n0, tr, n1, opts, caliper2, match_c, nm_c);
    }

  /* Ŷᵢ(1) − Ŷᵢ(0) for each unit with a match; K̃ⱼ and Lⱼ of the matched rows. */
  for (int side = 0; side < (estimand == GB_ESTIMAND_ATE ? 2 : 1); side++)
    {
      const gsize *rows = side == 0 ? tr : co;
      gsize nr = side == 0 ? n1 : n0;
      const gsize *mt = side == 0 ? match_t : match_c;
      const guint *nm = side == 0 ? nm_t : nm_c;
      for (gsize a = 0; a < nr; a++)
        {
          gsize i = rows[a];
          double m = 0.0;
          if (nm[a] == 0)
            continue;
          for (guint c = 0; c < nm[a]; c++)
            {
              gsize j = mt[a * k + c];
              m += y[j];
              kt[j] += 1.0 / nm[a];
              lt[j] += 1.0 / ((double) nm[a] * nm[a]);
            }
          m /= nm[a];
          diff[i] = side == 0 ? y[i] - m : m - y[i];
          has[i] = 1;
          n_units++;
          tau += diff[i];
        }
    }
  if (n_units == 0)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                   "%s: no unit has a match within the caliper (%g); the groups do not "
                   "overlap — widen the caliper or trim the sample",
                   method, opts->caliper);
      return FALSE;
    }
  tau /= (double) n_units;

  for (gsize i = 0; i < n; i++)
    {
      double coef = estimand == GB_ESTIMAND_ATE ? 2.0 * kt[i] + kt[i] * kt[i] - lt[i]
                                                : kt[i] * kt[i] - lt[i];
      need[i] = coef > 1e-12;
      if (has[i])
        v1 += (diff[i] - tau) * (diff[i] - tau);
      w[i] = (has[i] ? 1.0 : 0.0) + kt[i];
      n_used += w[i] > 0;
    }
  conditional_variances (y, t, Z, q, n, need, sigma2);
  for (gsize i = 0; i < n; i++)
    if (need[i])
      {
        double coef = estimand == GB_ESTIMAND_ATE ? 2.0 * kt[i] + kt[i] * kt[i] - lt[i]
                                                  : kt[i] * kt[i] - lt[i];
        v2 += coef * sigma2[i];
      }
  se_method = g_strdup_printf ("Abadie-Imbens 2006%s (%s replacement, k = %u%s)",
                               g_strcmp0 (method, "psm") == 0 ? ", propensity taken as known" : "",
                               opts->replace ? "with" : "without", k,
                               opts->caliper > 0 ? ", caliper" : "");
  gb_causal_estimate_set_normal (out, method, gb_estimand_to_string (estimand), se_method, tau,
                                 sqrt ((v1 + v2) / ((double) n_units * n_units)), n_used);
  if (out_weights)
    memcpy (out_weights, w, n * sizeof (double));
  if (out_has)
    memcpy (out_has, has, n);
  return TRUE;
}

gboolean
gb_causal_match (const double *y, const double *t, const double *Z, gsize n, gsize q,
                 GbEstimand estimand, const GbMatchOptions *opts, const char *method,
                 GbEstimate *out, double *out_weights, GError **error)
{
  return match_impl (y, t, Z, n, q, estimand, opts, method, out, out_weights, NULL, error);
}

/* logit(e) and the caliper in its units; FALSE with @error when a score
 * is outside (0, 1). */
static gboolean
logit_scores (const double *e, gsize n, const GbMatchOptions *opts, double *z,
              GbMatchOptions *o, GError **error)
{
  double m = 0.0, ss = 0.0;

  *o = *opts;
  for (gsize i = 0; i < n; i++)
    {
      if (!(e[i] > 0.0 && e[i] < 1.0))
        {
          g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                       "Propensity matching: score of row %" G_GSIZE_FORMAT " is %g, outside (0, 1)",
                       i, e[i]);
          return FALSE;
        }
      z[i] = log (e[i] / (1.0 - e[i]));
      m += z[i];
    }
  m /= (double) MAX (n, 1);
  for (gsize i = 0; i < n; i++)
    ss += (z[i] - m) * (z[i] - m);
  o->caliper = opts->caliper > 0 && n > 1 ? opts->caliper * sqrt (ss / (double) (n - 1)) : 0.0;
  return TRUE;
}

gboolean
gb_causal_match_propensity (const double *y, const double *t, const double *e, gsize n,
                            GbEstimand estimand, const GbMatchOptions *opts, GbEstimate *out,
                            double *out_weights, GError **error)
{
  g_autofree double *z = g_new (double, MAX (n, 1));
  GbMatchOptions o;

  if (!logit_scores (e, n, opts, z, &o, error))
    return FALSE;
  return gb_causal_match (y, t, z, n, 1, estimand, &o, "psm", out, out_weights, error);
}

/* v' A v for the (p, p) row-major A. */
static double
quad_form (const double *A, const double *v, gsize p)
{
  double s = 0.0;
  for (gsize a = 0; a < p; a++)
    for (gsize b = 0; b < p; b++)
      s += v[a] * A[a * p + b] * v[b];
  return s;
}

gboolean
gb_causal_match_propensity_estimated (const double *y, const double *t, const double *X,
                                      const double *e, const double *cov, gsize n, gsize p,
                                      GbEstimand estimand, const GbMatchOptions *opts,
                                      GbEstimate *out, double *out_weights, GError **error)
{
  g_autofree double *z = g_new (double, MAX (n, 1));
  g_autofree guint8 *has = g_new0 (guint8, MAX (n, 1));
  g_autofree gsize *rows0 = g_new (gsize, MAX (n, 1)), *rows1 = g_new (gsize, MAX (n, 1));
  gsize *rows[2] = { rows0, rows1 };
  g_autofree double *c = g_new0 (double, MAX (p, 1)), *d = g_new0 (double, MAX (p, 1));
  g_autofree double *cov1 = g_new (double, MAX (p, 1)), *cov0 = g_new (double, MAX (p, 1));
  gsize na[2] = { 0, 0 }, n_pop = 0;
  Pool pl[2];
  GbMatchOptions o;
  double tau, v2006, v, adj;
  g_autofree char *se_method = NULL;

  g_return_val_if_fail (out != NULL, FALSE);
  if (!logit_scores (e, n, opts, z, &o, error))
    return FALSE;
  if (!match_impl (y, t, z, n, 1, estimand, &o, "psm", out, out_weights, has, error))
    return FALSE;
  for (gsize i = 0; i < n * p; i++)
    if (!isfinite (X[i]))
      {
        gb_estimate_clear (out);
        g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                     "Propensity matching: covariate %" G_GSIZE_FORMAT " of row %" G_GSIZE_FORMAT
                     " is not a finite number", i % p, i / p);
        return FALSE;
      }
  tau = out->estimate;
  v2006 = out->std_error * out->std_error;

  /* Within-arm neighbours on logit(e): for unit i and arm w, H_w(i) is i
   * itself plus its J nearest other units of arm w when i is in w, else
   * the J + 1 nearest units of arm w.  cov̂_w(i) is the sample covariance
   * (divisor |H| − 1) of (X, y) over H_w(i), estimating cov(X, μ(w, X) |
   * p(X)); μ̄̂_w(i) the mean of y over H_w(i) without i, estimating
   * E[y | W = w, p(X)] (Abadie & Imbens 2016, §4). */
  for (int w = 0; w < 2; w++)
    {
      for (gsize i = 0; i < n; i++)
        if ((t[i] == 1.0) == w)
          rows[w][na[w]++] = i;
      pool_init (&pl[w], z, 1, rows[w], na[w]);
    }
  for (gsize i = 0; i < n; i++)
    {
      double f = e[i] * (1.0 - e[i]), mbar[2] = { 0.0, 0.0 };
      if (estimand == GB_ESTIMAND_ATE && !has[i])
        continue;
      n_pop++;
      for (int w = 0; w < 2; w++)
        {
          Cand best[GB_MATCH_VAR_J + 1];
          gsize slot[GB_MATCH_VAR_J + 1], H[GB_MATCH_VAR_J + 2];
          gboolean own = (t[i] == 1.0) == w;
          guint k = (guint) MIN ((gsize) GB_MATCH_VAR_J + (own ? 0 : 1), na[w] - (own ? 1 : 0));
          guint cnt = k > 0 ? pool_nearest (&pl[w], z + i, own ? i : G_MAXSIZE, k, FALSE,
                                            INFINITY, best, slot)
                            : 0;
          guint L = 0;
          double ym = 0.0, *cv = w ? cov1 : cov0;
          for (guint m = 0; m < cnt; m++)
            {
              H[L++] = best[m].j;
              mbar[w] += y[best[m].j];
            }
          mbar[w] = cnt ? mbar[w] / cnt : 0.0;
          if (own)
            H[L++] = i;
          for (guint m = 0; m < L; m++)
            ym += y[H[m]];
          ym /= MAX (L, 1);
          for (gsize a = 0; a < p; a++)
            {
              double xm = 0.0, s = 0.0;
              for (guint m = 0; m < L; m++)
                xm += X[H[m] * p + a];
              xm /= MAX (L, 1);
              for (guint m = 0; m < L; m++)
                s += (X[H[m] * p + a] - xm) * (y[H[m]] - ym);
              cv[a] = L > 1 ? s / (L - 1.0) : 0.0;
            }
        }
      for (gsize a = 0; a < p; a++)
        {
          if (estimand == GB_ESTIMAND_ATE)
            /* cov(X, μ₁|p)/p·f + cov(X, μ₀|p)/(1 − p)·f with f = p(1 − p) */
            c[a] += (1.0 - e[i]) * cov1[a] + e[i] * cov0[a];
          else
            {
              double lin = X[i * p + a] * f * (mbar[1] - mbar[0] - tau);
              c[a] += lin + f * cov1[a] + e[i] * e[i] * cov0[a];
              d[a] += lin + f * (cov1[a] - cov0[a]);
            }
        }
    }
  for (int w = 0; w < 2; w++)
    pool_clear (&pl[w]);

  if (estimand == GB_ESTIMAND_ATE)
    {
      for (gsize a = 0; a < p; a++)
        c[a] /= (double) MAX (n_pop, 1);
      /* cov is I⁻¹/N, so c'I⁻¹c/N = c' cov c */
      adj = -quad_form (cov, c, p);
    }
  else
    {
      gsize n1 = na[1];
      for (gsize a = 0; a < p; a++)
        {
          c[a] /= (double) MAX (n1, 1);
          d[a] /= (double) MAX (n1, 1);
        }
      adj = -quad_form (cov, c, p) + quad_form (cov, d, p);
    }
  v = v2006 + adj;
  if (v > 0.0 && isfinite (v))
    se_method = g_strdup_printf ("Abadie-Imbens 2016, estimated propensity (%s replacement, "
                                 "k = %u%s)",
                                 opts->replace ? "with" : "without", MAX (opts->k, 1),
                                 opts->caliper > 0 ? ", caliper" : "");
  else
    {
      v = v2006;
      se_method = g_strdup_printf ("Abadie-Imbens 2006, propensity taken as known (the 2016 "
                                   "adjustment gave a variance ≤ 0) (%s replacement, k = %u%s)",
                                   opts->replace ? "with" : "without", MAX (opts->k, 1),
                                   opts->caliper > 0 ? ", caliper" : "");
    }
  {
    char *method = g_strdup (out->method);
    gsize n_used = out->n_used;
    gb_estimate_clear (out);
    gb_causal_estimate_set_normal (out, method, gb_estimand_to_string (estimand), se_method, tau,
                                   sqrt (v), n_used);
    g_free (method);
  }
  return TRUE;
}

gboolean
gb_causal_match_mahalanobis (const double *y, const double *t, const double *X, gsize n,
                             gsize p, GbEstimand estimand, const GbMatchOptions *opts,
                             GbEstimate *out, double *out_weights, GError **error)
{
  const gsize q = p > 0 ? p - 1 : 0;
  g_autofree double *mean = NULL, *S = NULL, *Z = NULL;
  lapack_int info;

  if (q == 0 || n < 2)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Mahalanobis matching needs at least one covariate and two rows");
      return FALSE;
    }
  mean = g_new0 (double, q);
  S = g_new0 (double, q * q);
  Z = g_new (double, n * q);
  for (gsize i = 0; i < n; i++)
    for (gsize c = 0; c < q; c++)
      mean[c] += X[i * p + 1 + c];
  for (gsize c = 0; c < q; c++)
    mean[c] /= (double) n;
  for (gsize i = 0; i < n; i++)
    for (gsize a = 0; a < q; a++)
      for (gsize b = 0; b <= a; b++)
        S[a * q + b] += (X[i * p + 1 + a] - mean[a]) * (X[i * p + 1 + b] - mean[b]);
  for (gsize a = 0; a < q; a++)
    for (gsize b = 0; b <= a; b++)
      {
        S[a * q + b] /= (double) (n - 1);
        S[b * q + a] = S[a * q + b];
      }
  info = LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'L', (lapack_int) q, S, (lapack_int) q);
  if (info != 0)
    {
      g_set_error (error, GB_CAUSAL_ERROR, GB_ERROR_NUMERIC,
                   "Mahalanobis matching: the covariance of the covariates is singular "
                   "(covariate %d is constant or a combination of the others); remove it",
                   (int) info);
      return FALSE;
    }
  /* zᵢ = L⁻¹(xᵢ − x̄) by forward substitution. */
  for (gsize i = 0; i < n; i++)
    for (gsize a = 0; a < q; a++)
      {
        double s = X[i * p + 1 + a] - mean[a];
        for (gsize b = 0; b < a; b++)
          s -= S[a * q + b] * Z[i * q + b];
        Z[i * q + a] = s / S[a * q + a];
      }
  return gb_causal_match (y, t, Z, n, q, estimand, opts, "mahalanobis_matching", out,
                          out_weights, error);
}
