/* gb-fairness-decompose.c — the gap in mean model output between two groups
 * decomposed into features through the efficiency of KernelSHAP. */
#include "gb-config.h"
#include "gb-fairness-decompose.h"
#include "gb-fairness.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void
gb_fairness_decomposition_free (GbFairnessDecomposition *d)
{
  if (d == NULL)
    return;
  for (guint j = 0; j < d->n_contributions; j++)
    g_free (d->contributions[j].feature);
  g_free (d->contributions);
  g_free (d->attribute);
  g_free (d->group);
  g_free (d->reference);
  g_free (d->description);
  g_free (d);
}

void
gb_decompose_options_init_default (GbDecomposeOptions *o)
{
  memset (o, 0, sizeof *o);
  o->rows_per_group = 100;
  o->bootstrap = 1000;
  o->confidence = 0.95;
  o->seed = 42;
  gb_kernel_shap_options_init_default (&o->shap);
  o->shap.seed = 0;   /* = @seed */
  o->background_size = 10;
}

static int
cmp_abs_desc (const void *a, const void *b)
{
  const GbGapContribution *x = a, *y = b;
  const double ax = fabs (x->value), ay = fabs (y->value);
  if (ax != ay)
    return ax < ay ? 1 : -1;
  return strcmp (x->feature, y->feature);
}

GbFairnessDecomposition *
gb_fairness_decompose_explanations (const GbExplanation *group, const GbExplanation *reference,
                                    guint bootstrap, double confidence, guint64 seed,
                                    GError **error)
{
  g_return_val_if_fail (group != NULL && reference != NULL, NULL);
  const guint M = group->n_units;
  const gsize na = group->n_rows, nb = reference->n_rows;

  if (na == 0 || nb == 0)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Gap decomposition: the %s has no explained rows",
                   na == 0 ? "group" : "reference group");
      return NULL;
    }
  if (reference->n_units != M || M == 0)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Gap decomposition: the two explanations have %u and %u features",
                   M, reference->n_units);
      return NULL;
    }
  if (!(confidence > 0 && confidence < 1))
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Gap decomposition: confidence %g is not in (0, 1)", confidence);
      return NULL;
    }

  GbFairnessDecomposition *d = g_new0 (GbFairnessDecomposition, 1);
  d->n_group = na;
  d->n_reference = nb;
  d->confidence = confidence;
  /* one row per group resamples to itself: a zero-width interval would claim
   * certainty, so a group of one row gets no interval (NaN) */
  const gboolean boot = bootstrap > 0 && na >= 2 && nb >= 2;
  d->bootstrap = boot ? bootstrap : 0;
  d->seed = seed;
  d->exact = group->exact && reference->exact;
  d->base_value = group->rows[0].base_value;
  d->n_contributions = M;
  d->contributions = g_new0 (GbGapContribution, M);

  /* means: f and φ_j per group (sums in row order, double precision) */
  double sa = 0, sb = 0;
  for (gsize i = 0; i < na; i++)
    sa += group->rows[i].prediction;
  for (gsize i = 0; i < nb; i++)
    sb += reference->rows[i].prediction;
  d->mean_group = sa / na;
  d->mean_reference = sb / nb;
  d->gap = d->mean_group - d->mean_reference;
  double total = 0;
  for (guint j = 0; j < M; j++)
    {
      GbGapContribution *c = &d->contributions[j];
      double a = 0, b = 0;
      for (gsize i = 0; i < na; i++)
        a += group->rows[i].values[j];
      for (gsize i = 0; i < nb; i++)
        b += reference->rows[i].values[j];
      c->feature = g_strdup (group->unit_names && group->unit_names[j] ? group->unit_names[j] : "");
      if (c->feature[0] == '\0')
        {
          g_free (c->feature);
          c->feature = g_strdup_printf ("unit %u", j);
        }
      c->mean_group = a / na;
      c->mean_reference = b / nb;
      c->value = c->mean_group - c->mean_reference;
      c->ci_low = c->ci_high = NAN;
      total += c->value;
    }
  d->residual = fabs (total - d->gap);
  d->gap_ci_low = d->gap_ci_high = NAN;

  /* stratified row bootstrap: resample each group's rows separately */
  if (boot)
    {
      const guint B = bootstrap;
      g_autofree double *reps = g_new (double, (gsize) B * (M + 1));   /* (B, M + 1): φ_j…, gap */
      g_autofree double *col = g_new (double, B);
      g_autofree double *acc = g_new (double, M + 1);
      gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
      gsl_rng_set (rng, seed);
      for (guint r = 0; r < B; r++)
        {
          double *rep = reps + (gsize) r * (M + 1);
          memset (acc, 0, (M + 1) * sizeof (double));
          for (gsize k = 0; k < na; k++)
            {
              const GbAttributionRow *row = &group->rows[gsl_rng_uniform_int (rng, na)];
              for (guint j = 0; j < M; j++)
                acc[j] += row->values[j];
              acc[M] += row->prediction;
            }
          for (guint j = 0; j <= M; j++)
            rep[j] = acc[j] / na;
          memset (acc, 0, (M + 1) * sizeof (double));
          for (gsize k = 0; k < nb; k++)
            {
              const GbAttributionRow *row = &reference->rows[gsl_rng_uniform_int (rng, nb)];
              for (guint j = 0; j < M; j++)
                acc[j] += row->values[j];
              acc[M] += row->prediction;
            }
          for (guint j = 0; j <= M; j++)
            rep[j] -= acc[j] / nb;
        }
      gsl_rng_free (rng);
      for (guint j = 0; j <= M; j++)
        {
          for (guint r = 0; r < B; r++)
            col[r] = reps[(gsize) r * (M + 1) + j];
          if (j < M)
            gb_percentile_interval (col, B, confidence, (B + 1) / 2,
                                    &d->contributions[j].ci_low, &d->contributions[j].ci_high);
          else
            gb_percentile_interval (col, B, confidence, (B + 1) / 2, &d->gap_ci_low,
                                    &d->gap_ci_high);
        }
    }
  qsort (d->contributions, M, sizeof (GbGapContribution), cmp_abs_desc);

  g_autofree char *conf = g_strdup_printf ("%d", (int) lround (confidence * 100));
  if (boot)
    d->description = g_strdup_printf ("KernelSHAP (%s) on %" G_GSIZE_FORMAT " + %" G_GSIZE_FORMAT
                                      " rows; contributions are differences of the groups' mean "
                                      "attributions and sum to the gap (SHAP efficiency); %s %% "
                                      "intervals from %u stratified row-bootstrap replicates, "
                                      "which include each row's KernelSHAP sampling error",
                                      d->exact ? "exact" : "sampled", na, nb, conf, bootstrap);
  else
    d->description = g_strdup_printf ("KernelSHAP (%s) on %" G_GSIZE_FORMAT " + %" G_GSIZE_FORMAT
                                      " rows; contributions are differences of the groups' mean "
                                      "attributions and sum to the gap (SHAP efficiency); no "
                                      "intervals (%s)",
                                      d->exact ? "exact" : "sampled", na, nb,
                                      bootstrap > 0 ? "a group of one row cannot be resampled"
                                                    : "bootstrap off");
  return d;
}

GbFairnessDecomposition *
gb_fairness_decompose (const GbExplainTarget *target, const float *x_group, gsize n_group,
                       const float *x_reference, gsize n_reference, const GbBackground *bg,
                       const char *const *unit_names, const GbDecomposeOptions *options,
                       GCancellable *cancellable, GError **error)
{
  GbDecomposeOptions o;
  if (options)
    o = *options;
  else
    gb_decompose_options_init_default (&o);
  GbKernelShapOptions so = o.shap;
  if (so.seed == 0)
    so.seed = o.seed;

  if (n_group == 0 || n_reference == 0)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Gap decomposition: the %s has no rows",
                   n_group == 0 ? "group" : "reference group");
      return NULL;
    }
  g_autoptr(GbExplanation) ea = gb_kernel_shap (target, x_group, NULL, n_group, bg, unit_names,
                                                &so, cancellable, NULL, NULL, error);
  if (ea == NULL)
    return NULL;
  so.seed += n_group;
  g_autoptr(GbExplanation) eb = gb_kernel_shap (target, x_reference, NULL, n_reference, bg,
                                                unit_names, &so, cancellable, NULL, NULL, error);
  if (eb == NULL)
    return NULL;
  return gb_fairness_decompose_explanations (ea, eb, o.bootstrap, o.confidence, o.seed, error);
}

static gint
cmp_gsize (gconstpointer a, gconstpointer b)
{
  const gsize x = *(const gsize *) a, y = *(const gsize *) b;
  return x < y ? -1 : x > y;
}

/* Up to @k rows of @group in @row_mask, drawn without replacement (seeded),
 * in row order.  Sets *@available to the rows there were. */
static GArray *
sample_group (const gint32 *codes, guint group, const guint8 *row_mask, gsize n, guint k,
              guint64 seed, gsize *available)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    if ((row_mask == NULL || row_mask[i]) && codes[i] == (gint32) group)
      g_array_append_val (rows, i);
  *available = rows->len;
  if (rows->len > k)
    {
      gsize *r = (gsize *) rows->data;
      gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
      gsl_rng_set (rng, seed);
      for (gsize i = 0; i < k; i++)
        {
          const gsize j = i + gsl_rng_uniform_int (rng, rows->len - i);
          const gsize t = r[i];
          r[i] = r[j];
          r[j] = t;
        }
      gsl_rng_free (rng);
      g_array_set_size (rows, k);
      g_array_sort (rows, cmp_gsize);
    }
  return rows;
}

GbFairnessDecomposition *
gb_fairness_decompose_model (GbModel *model, GbDataset *ds, const char *attribute,
                             const gint32 *group_codes, const char *const *levels,
                             guint n_levels, guint group, guint reference,
                             const guint8 *row_mask, const gsize *pool_rows, gsize n_pool,
                             const GbDecomposeOptions *options, GCancellable *cancellable,
                             GError **error)
{
  GbDecomposeOptions o;
  GbExplainTarget t;
  const gsize n = gb_dataset_get_n_rows (ds);

  g_return_val_if_fail (GB_IS_MODEL (model) && GB_IS_DATASET (ds), NULL);
  if (options)
    o = *options;
  else
    gb_decompose_options_init_default (&o);
  if (group >= n_levels || reference >= n_levels || group == reference)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Gap decomposition of “%s”: groups %u and %u are not two of its %u groups",
                   attribute, group, reference, n_levels);
      return NULL;
    }
  if (gb_model_get_n_classes (model) != 2)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Gap decomposition of “%s”: the model has %u classes; the decomposition "
                   "explains the positive class of a binary model", attribute,
                   gb_model_get_n_classes (model));
      return NULL;
    }
  if (n_pool == 0)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Gap decomposition of “%s”: no training rows for the background set",
                   attribute);
      return NULL;
    }
  if (o.rows_per_group == 0)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Gap decomposition of “%s”: 0 rows per group", attribute);
      return NULL;
    }

  gsize avail_a = 0, avail_b = 0;
  g_autoptr(GArray) ra = sample_group (group_codes, group, row_mask, n, o.rows_per_group,
                                       o.seed, &avail_a);
  g_autoptr(GArray) rb = sample_group (group_codes, reference, row_mask, n, o.rows_per_group,
                                       o.seed + 1, &avail_b);
  if (ra->len == 0 || rb->len == 0)
    {
      g_set_error (error, GB_FAIRNESS_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Gap decomposition of “%s”: group “%s” has no rows to explain", attribute,
                   levels[ra->len == 0 ? group : reference]);
      return NULL;
    }

  gb_explain_target_init_model (&t, model, 1);
  const guint M = t.n_units;
  const gsize TC = (gsize) t.T * t.C;
  g_autofree const char **names = g_new0 (const char *, M + 1);
  for (guint j = 0; j < M; j++)
    names[j] = gb_model_get_feature_name (model, j);

  /* the background as gb_explain_run() builds it: a seeded random subset of
   * at most 1000 pool rows, summarised by k-means */
  const gsize n_cand = MIN ((gsize) 1000, n_pool);
  g_autofree gsize *cand = g_memdup2 (pool_rows, n_pool * sizeof (gsize));
  {
    gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
    gsl_rng_set (rng, o.seed);
    for (gsize i = 0; i < n_cand; i++)
      {
        const gsize j = i + gsl_rng_uniform_int (rng, n_pool - i);
        const gsize tmp = cand[i];
        cand[i] = cand[j];
        cand[j] = tmp;
      }
    gsl_rng_free (rng);
  }
  g_autofree float *cand_emb = g_new (float, n_cand * TC);
  gb_model_embed_rows (model, ds, cand, n_cand, cand_emb);
  g_autoptr(GbBackground) bg = gb_background_kmeans (cand_emb, cand, n_cand, t.T, t.C,
                                                     t.first_unit, MAX (o.background_size, 1u),
                                                     o.seed);

  g_autofree float *xa = g_new (float, ra->len * TC);
  g_autofree float *xb = g_new (float, rb->len * TC);
  gb_model_embed_rows (model, ds, (const gsize *) ra->data, ra->len, xa);
  gb_model_embed_rows (model, ds, (const gsize *) rb->data, rb->len, xb);

  GbFairnessDecomposition *d = gb_fairness_decompose (&t, xa, ra->len, xb, rb->len, bg, names,
                                                      &o, cancellable, error);
  if (d == NULL)
    return NULL;
  d->attribute = g_strdup (attribute);
  d->group = g_strdup (levels[group]);
  d->reference = g_strdup (levels[reference]);
  d->n_group_available = avail_a;
  d->n_reference_available = avail_b;
  g_autofree char *old = d->description;
  d->description = g_strdup_printf ("%s; %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " rows of “%s” "
                                    "and %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " of “%s” "
                                    "(seed %" G_GUINT64_FORMAT "); background: %s",
                                    old, d->n_group, avail_a, d->group, d->n_reference, avail_b,
                                    d->reference, o.seed, bg->description);
  return d;
}

gboolean
gb_fairness_decompose_results (GbModel *model, GbDataset *ds, GPtrArray *results,
                               const char *const *attributes, const double *score,
                               const guint8 *row_mask, const gsize *pool_rows, gsize n_pool,
                               const GbDecomposeOptions *options, GCancellable *cancellable,
                               GError **error)
{
  const gsize n = gb_dataset_get_n_rows (ds);
  const guint n_attr = attributes ? g_strv_length ((char **) attributes) : 0;
  g_autofree char *joined = n_attr ? g_strjoinv ("*", (char **) attributes) : NULL;

  for (guint r = 0; r < results->len; r++)
    {
      GbFairnessResult *fr = g_ptr_array_index (results, r);
      const gint32 *codes = NULL;
      const char *const *levels = NULL;
      guint n_levels = 0;
      g_autofree gint32 *icodes = NULL;
      g_auto(GStrv) ilevels = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      const int j = gb_dataset_find_column (ds, fr->attribute);
      if (j >= 0)
        {
          const GbColumn *c = gb_dataset_get_column (ds, j);
          if (c->type != GB_COLUMN_CATEGORICAL)
            continue;
          codes = c->codes;
          levels = (const char *const *) c->levels->pdata;
          n_levels = c->levels->len;
        }
      else if (n_attr >= 2 && g_strcmp0 (fr->attribute, joined) == 0)
        {
          g_autofree const gint32 **ac = g_new (const gint32 *, n_attr);
          g_autofree const char *const **al = g_new (const char *const *, n_attr);
          g_autofree guint *an = g_new (guint, n_attr);
          for (guint a = 0; a < n_attr; a++)
            {
              const int k = gb_dataset_find_column (ds, attributes[a]);
              if (k < 0)
                break;
              const GbColumn *c = gb_dataset_get_column (ds, k);
              ac[a] = c->codes;
              al[a] = (const char *const *) c->levels->pdata;
              an[a] = c->levels->len;
            }
          icodes = g_new (gint32, MAX (n, 1));
          ilevels = gb_fairness_intersect (n_attr, ac, al, an, n, icodes, &n_levels);
          codes = icodes;
          levels = (const char *const *) ilevels;
        }
      else
        continue;

      /* level index of every group of the result, and the groups' mean score */
      g_autofree double *sum = g_new0 (double, MAX (n_levels, 1));
      g_autofree gsize *cnt = g_new0 (gsize, MAX (n_levels, 1));
      for (gsize i = 0; i < n; i++)
        if ((row_mask == NULL || row_mask[i]) && codes[i] >= 0 && !isnan (score[i]))
          {
            sum[codes[i]] += score[i];
            cnt[codes[i]]++;
          }
      gint ref = -1, best = -1;
      double best_gap = -1;
      for (guint l = 0; l < n_levels; l++)
        if (g_strcmp0 (levels[l], fr->groups[fr->reference].group) == 0)
          ref = l;
      if (ref < 0 || cnt[ref] == 0)
        continue;
      for (guint g = 0; g < fr->n_groups; g++)
        {
          if (g == fr->reference || fr->groups[g].small)
            continue;
          for (guint l = 0; l < n_levels; l++)
            if (g_strcmp0 (levels[l], fr->groups[g].group) == 0 && cnt[l] > 0)
              {
                const double gap = fabs (sum[l] / cnt[l] - sum[ref] / cnt[ref]);
                if (gap > best_gap)
                  {
                    best_gap = gap;
                    best = l;
                  }
              }
        }
      if (best < 0)
        continue;
      GbFairnessDecomposition *d =
        gb_fairness_decompose_model (model, ds, fr->attribute, codes, levels, n_levels, best, ref,
                                     row_mask, pool_rows, n_pool, options, cancellable, error);
      if (d == NULL)
        return FALSE;
      gb_fairness_decomposition_free (fr->decomposition);
      fr->decomposition = d;
    }
  return TRUE;
}
