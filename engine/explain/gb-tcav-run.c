/* gb-tcav-run.c — TCAV on a GbModel (Kim et al. 2018). */
#include "gb-tcav-run.h"
#include "gb-variable.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

void
gb_tcav_options_init_default (GbTcavOptions *o)
{
  memset (o, 0, sizeof *o);
  o->layer = G_MAXUINT;
  o->n_runs = 20;
  o->n_random = 50;
  o->max_concept = 500;
  o->max_class = 200;
  o->l2 = 0.01;
  o->seed = 42;
}

/* Moves a random @k of @v[0 .. n−1] to the front (partial Fisher–Yates). */
static void
draw_front (gsl_rng *rng, gsize *v, gsize n, gsize k)
{
  for (gsize i = 0; i < k && i < n; i++)
    {
      gsize j = i + gsl_rng_uniform_int (rng, n - i);
      gsize t = v[i];
      v[i] = v[j];
      v[j] = t;
    }
}

/* [CLS] activations (and, with @grads, ∂p_k/∂h) of @rows at block @layer, as double. */
static gboolean
layer_values (GbModel *model, GbDataset *ds, const gsize *rows, gsize n, guint layer, guint k,
              double *acts, double *grads, GError **error)
{
  const gsize T = gb_model_get_seq_len (model), C = gb_model_get_d_model (model);
  g_autofree float *emb = g_new (float, MAX (n, 1) * T * C);
  g_autofree guint8 *mask = g_new (guint8, MAX (n, 1) * T);
  g_autofree float *a = g_new (float, MAX (n, 1) * C);
  g_autofree float *g = grads ? g_new (float, MAX (n, 1) * C) : NULL;

  if (!gb_model_embed_rows_masked (model, ds, rows, n, emb, mask, error))
    return FALSE;
  gb_model_layer_cls_embedded (model, emb, mask, n, layer, k, a, g, NULL);
  for (gsize i = 0; i < n * C; i++)
    {
      if (acts)
        acts[i] = a[i];
      if (grads)
        grads[i] = g[i];
    }
  return TRUE;
}

GPtrArray *
gb_tcav_model (GbModel *model, GbDataset *ds, const char *concept, const gsize *pool_rows,
               gsize n_pool, const gsize *class_rows, gsize n_class_rows, const double *y,
               const GbTcavOptions *options, GCancellable *cancellable, GError **error)
{
  GbTcavOptions o;
  const gsize n = gb_dataset_get_n_rows (ds);
  const guint K = gb_model_get_n_classes (model), L = gb_model_get_config (model)->n_layers;
  const guint D = gb_model_get_d_model (model);
  GError *err = NULL;

  g_return_val_if_fail (GB_IS_MODEL (model) && GB_IS_DATASET (ds) && concept != NULL, NULL);
  if (options)
    o = *options;
  else
    gb_tcav_options_init_default (&o);
  if (o.layer == G_MAXUINT)
    o.layer = L - 1;
  if (o.layer >= L)
    {
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "TCAV: layer %u does not exist (the model has %u encoder layers)",
                   o.layer + 1, L);
      return NULL;
    }

  g_autofree double *v = g_new (double, MAX (n, 1));
  if (!gb_dataset_eval_variable (ds, concept, NULL, v, &err))
    {
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT, "TCAV concept “%s”: %s",
                   concept, err->message);
      g_error_free (err);
      return NULL;
    }
  if (!gb_variable_is_binary (v, n))
    {
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "TCAV concept “%s” is not a condition; write it as e.g. “sex==Female”, "
                   "“age>=60” or, on a text column, “text~refund|rebate”", concept);
      return NULL;
    }

  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, o.seed);
  g_autofree gsize *cpt = g_new (gsize, MAX (n_pool, 1));
  g_autofree gsize *pool = g_memdup2 (pool_rows, MAX (n_pool, 1) * sizeof (gsize));
  gsize n_cpt = 0;
  for (gsize i = 0; i < n_pool; i++)
    if (v[pool_rows[i]] == 1.0)
      cpt[n_cpt++] = pool_rows[i];
  if (n_cpt < 10 || n_cpt >= n_pool)
    {
      gsl_rng_free (rng);
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "TCAV concept “%s” holds for %" G_GSIZE_FORMAT " of the %" G_GSIZE_FORMAT
                   " training rows; it needs at least 10 and must not hold for all of them",
                   concept, n_cpt, n_pool);
      return NULL;
    }
  draw_front (rng, cpt, n_cpt, o.max_concept);
  n_cpt = MIN (n_cpt, o.max_concept);
  /* R random sets: disjoint draws from the whole pool while it lasts */
  const guint R = MAX (o.n_runs, 3u);
  const gsize nr = MIN (o.n_random, n_pool / R);
  if (nr < 2)
    {
      gsl_rng_free (rng);
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "TCAV concept “%s”: %" G_GSIZE_FORMAT " training rows are too few for %u "
                   "random sets", concept, n_pool, R);
      return NULL;
    }
  draw_front (rng, pool, n_pool, (gsize) R * nr);

  g_autofree double *cact = g_new (double, n_cpt * D);
  g_autofree double *ract = g_new (double, (gsize) R * nr * D);
  if (!layer_values (model, ds, cpt, n_cpt, o.layer, 0, cact, NULL, error)
      || !layer_values (model, ds, pool, (gsize) R * nr, o.layer, 0, ract, NULL, error))
    {
      gsl_rng_free (rng);
      return NULL;
    }

  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) gb_tcav_result_free);
  for (guint k = 0; k < K; k++)
    {
      g_autofree gsize *xr = g_new (gsize, MAX (n_class_rows, 1));
      gsize nx = 0;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          gsl_rng_free (rng);
          return NULL;
        }
      for (gsize i = 0; i < n_class_rows; i++)
        if (y[class_rows[i]] == (double) k)
          xr[nx++] = class_rows[i];
      if (nx == 0)
        {
          gsl_rng_free (rng);
          g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "TCAV concept “%s”: the held-out rows have no example of class %u",
                       concept, k);
          return NULL;
        }
      draw_front (rng, xr, nx, o.max_class);
      nx = MIN (nx, o.max_class);
      g_autofree double *grads = g_new (double, nx * D);
      if (!layer_values (model, ds, xr, nx, o.layer, k, NULL, grads, error))
        {
          gsl_rng_free (rng);
          return NULL;
        }
      GbTcavResult *res = gb_tcav (concept, cact, n_cpt, ract, R, nr, grads, nx, D, k, o.l2,
                                   error);
      if (res == NULL)
        {
          gsl_rng_free (rng);
          return NULL;
        }
      g_ptr_array_add (out, res);
    }
  gsl_rng_free (rng);
  return g_steal_pointer (&out);
}
