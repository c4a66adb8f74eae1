/* gb-explain-text.c — text and text+feature rows for the explainers. */
#include "gb-explain-text.h"
#include "gb-model-private.h"
#include "gb-tokenizer.h"

#include <gsl/gsl_rng.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

void
gb_text_rows_free (GbTextRows *tr)
{
  if (tr == NULL)
    return;
  g_free (tr->x);
  g_free (tr->mask);
  g_free (tr->n_tokens);
  for (gsize i = 0; tr->tokens && i < tr->n; i++)
    g_strfreev (tr->tokens[i]);
  g_free (tr->tokens);
  g_free (tr->absent);
  g_free (tr->mask_emb);
  g_free (tr->pad_emb);
  g_free (tr->mean);
  g_free (tr);
}

/* The embedding of a row whose every text id is @id (features missing). */
static float *
embed_constant_id (GbModel *model, gint32 id, guint F, guint S, gsize TC)
{
  g_autofree double *xv = F ? g_new (double, F) : NULL;
  g_autofree gint32 *codes = F ? g_new (gint32, F) : NULL;
  g_autofree gint32 *ids = g_new (gint32, S);
  g_autofree guint8 *m = g_new (guint8, S);
  GbModelInputs in = { xv, codes, ids, m };
  float *out = g_new (float, TC);

  for (guint f = 0; f < F; f++)
    {
      xv[f] = NAN;
      codes[f] = -1;
    }
  for (guint s = 0; s < S; s++)
    {
      ids[s] = id;
      m[s] = 1;
    }
  gb_model_embed_inputs (model, &in, 1, out, NULL);
  return out;
}

static const char *
text_cell (const GbColumn *c, gsize row)
{
  if (c->text)
    return c->text[row];
  if (c->codes && c->codes[row] >= 0)
    return g_ptr_array_index (c->levels, c->codes[row]);
  return NULL;
}

GbTextRows *
gb_text_rows_new (GbModel *model, GbDataset *ds, const gsize *rows, gsize n,
                  const float *cand_emb, gsize n_cand, GError **error)
{
  const char *col_name = gb_model_get_text_column (model);
  GbTokenizer *tok;
  int ci;

  g_return_val_if_fail (GB_IS_MODEL (model) && GB_IS_DATASET (ds), NULL);
  if (col_name == NULL)
    {
      g_set_error_literal (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "Text explanations need a text model; this model reads no text");
      return NULL;
    }
  ci = gb_dataset_find_column (ds, col_name);
  if (ci < 0)
    {
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Text explanations: the dataset has no column “%s” (the model's text)",
                   col_name);
      return NULL;
    }
  const GbColumn *col = gb_dataset_get_column (ds, ci);
  g_autoptr(GbTextRows) tr = g_new0 (GbTextRows, 1);
  const guint S = gb_model_get_max_length (model);
  tr->n = n;
  tr->T = gb_model_get_seq_len (model);
  tr->C = gb_model_get_d_model (model);
  tr->F = gb_model_get_n_features (model);
  const gsize TC = (gsize) tr->T * tr->C;
  const guint F = tr->F, T = tr->T;
  tr->x = g_new (float, MAX (n, 1) * TC);
  tr->mask = g_new (guint8, MAX (n, 1) * T);
  tr->n_tokens = g_new0 (guint, MAX (n, 1));
  tr->tokens = g_new0 (char **, MAX (n, 1));
  if (n > 0 && !gb_model_embed_rows_masked (model, ds, rows, n, tr->x, tr->mask, error))
    return NULL;

  tok = gb_model_get_gb_tokenizer (model);
  g_autofree gint32 *ids = g_new (gint32, S);
  g_autofree gint32 *attn = g_new (gint32, S);
  for (gsize i = 0; i < n; i++)
    {
      const guint8 *m = tr->mask + i * T;
      guint real = 0;
      for (guint p = F + 1; p < T; p++)
        real += m[p] != 0;
      /* the real text positions after [CLS] are the word pieces and [SEP] */
      const guint nt = real > 0 ? real - 1 : 0;
      GPtrArray *names = g_ptr_array_new ();
      tr->n_tokens[i] = nt;
      if (tok != NULL)
        {
          gsize n_ids = 0;
          GError *local = NULL;
          if (!gb_tokenizer_encode_into (tok, text_cell (col, rows[i]), NULL, S, ids, NULL, attn,
                                         &n_ids, NULL, &local))
            {
              g_propagate_prefixed_error (error, local, "Text explanations, row %" G_GSIZE_FORMAT
                                          ": ", rows[i]);
              g_ptr_array_free (names, TRUE);
              return NULL;
            }
          if (n_ids != nt + 2)
            {
              g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "Text explanations, row %" G_GSIZE_FORMAT ": the tokenizer gives %"
                           G_GSIZE_FORMAT " tokens but the model's mask %u", rows[i], n_ids,
                           nt + 2);
              g_ptr_array_free (names, TRUE);
              return NULL;
            }
          for (guint k = 0; k < nt; k++)
            {
              const char *s = gb_tokenizer_id_to_token (tok, ids[k + 1]);
              g_ptr_array_add (names, s ? g_strdup (s) : g_strdup_printf ("id %d", ids[k + 1]));
            }
        }
      else
        for (guint k = 0; k < nt; k++)
          g_ptr_array_add (names, g_strdup_printf ("token %u", k + 1));
      g_ptr_array_add (names, NULL);
      tr->tokens[i] = (char **) g_ptr_array_free (names, FALSE);
    }

  /* the [MASK] and [PAD] embeddings at every position */
  if (tok != NULL && gb_tokenizer_get_mask_id (tok) >= 0)
    tr->mask_emb = embed_constant_id (model, gb_tokenizer_get_mask_id (tok), F, S, TC);
  if (tok != NULL && gb_tokenizer_get_pad_id (tok) >= 0)
    tr->pad_emb = embed_constant_id (model, gb_tokenizer_get_pad_id (tok), F, S, TC);

  /* the mean embedding per position over the candidates */
  const float *src = cand_emb ? cand_emb : tr->x;
  const gsize ns = cand_emb ? n_cand : n;
  g_autofree double *acc = g_new0 (double, TC);
  tr->mean = g_new0 (float, TC);
  for (gsize i = 0; i < ns; i++)
    for (gsize k = 0; k < TC; k++)
      acc[k] += src[i * TC + k];
  for (gsize k = 0; k < TC && ns > 0; k++)
    tr->mean[k] = (float) (acc[k] / ns);

  tr->absent = g_new0 (float, TC);
  tr->absent_name = tr->mask_emb ? "[MASK]" : tr->pad_emb ? "[PAD]" : "zero";
  if (tr->mask_emb || tr->pad_emb)
    memcpy (tr->absent, tr->mask_emb ? tr->mask_emb : tr->pad_emb, TC * sizeof (float));
  memcpy (tr->absent + tr->C, tr->mean + tr->C, (gsize) F * tr->C * sizeof (float));
  return g_steal_pointer (&tr);
}

void
gb_text_rows_target (const GbTextRows *tr, gsize i, GbModel *model, guint class_index,
                     GbExplainTarget *out)
{
  gb_explain_target_init_model (out, model, class_index);
  out->first_unit = 1;
  out->n_units = tr->F + tr->n_tokens[i];
  out->mask = tr->mask + i * tr->T;
}

const char **
gb_text_rows_unit_names (const GbTextRows *tr, gsize i, GbModel *model)
{
  const char **names = g_new0 (const char *, tr->F + tr->n_tokens[i] + 1);
  for (guint f = 0; f < tr->F; f++)
    names[f] = gb_model_get_feature_name (model, f);
  for (guint k = 0; k < tr->n_tokens[i]; k++)
    names[tr->F + k] = tr->tokens[i][k];
  return names;
}

gboolean
gb_text_rows_baseline (const GbTextRows *tr, gsize i, GbIgBaseline kind, float *out,
                       GError **error)
{
  const guint C = tr->C, F = tr->F, M = F + tr->n_tokens[i];
  const gsize TC = (gsize) tr->T * C;
  const float *tok_src = NULL;

  memcpy (out, tr->x + i * TC, TC * sizeof (float));
  switch (kind)
    {
    case GB_IG_BASELINE_ZERO:
      memset (out + C, 0, (gsize) M * C * sizeof (float));
      return TRUE;
    case GB_IG_BASELINE_MEAN:
      memcpy (out + C, tr->mean + C, (gsize) M * C * sizeof (float));
      return TRUE;
    case GB_IG_BASELINE_MASK:
    case GB_IG_BASELINE_DEFAULT:
      tok_src = tr->mask_emb;
      break;
    case GB_IG_BASELINE_PAD:
      tok_src = tr->pad_emb;
      break;
    case GB_IG_BASELINE_EXPECTED:
    default:
      g_set_error_literal (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "Expected gradients take the background rows as baselines, not one "
                           "baseline per row");
      return FALSE;
    }
  if (tok_src == NULL)
    {
      g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "The %s baseline needs the model's vocabulary to have a %s token (choose "
                   "--ig-baseline=zero or mean)", kind == GB_IG_BASELINE_PAD ? "pad" : "mask",
                   kind == GB_IG_BASELINE_PAD ? "[PAD]" : "[MASK]");
      return FALSE;
    }
  memcpy (out + C, tr->mean + C, (gsize) F * C * sizeof (float));
  memcpy (out + (gsize) (F + 1) * C, tok_src + (gsize) (F + 1) * C,
          (gsize) tr->n_tokens[i] * C * sizeof (float));
  return TRUE;
}

GbBackground *
gb_text_background (const GbTextRows *tr, const GbBackground *bg)
{
  const gsize TC = (gsize) tr->T * tr->C, off = (gsize) (tr->F + 1) * tr->C;
  const gsize N = tr->F > 0 && bg ? bg->n : 1;
  g_autofree float *emb = g_new (float, N * TC);

  for (gsize b = 0; b < N; b++)
    {
      memcpy (emb + b * TC, tr->absent, TC * sizeof (float));
      if (tr->F > 0 && bg)
        memcpy (emb + b * TC, bg->emb + b * TC, off * sizeof (float));
    }
  g_autofree char *d = tr->F > 0 && bg
    ? g_strdup_printf ("absent tokens as %s, features from the %s", tr->absent_name,
                       bg->description)
    : g_strdup_printf ("absent tokens as %s", tr->absent_name);
  return gb_background_new (emb, tr->F > 0 && bg ? bg->weights : NULL,
                            tr->F > 0 && bg ? bg->rows : NULL, N, tr->T, tr->C, d);
}

/* ------------------------------------------------------------ LIME text */

/* sklearn Ridge(fit_intercept=True, alpha) with sample weights on the
 * columns @cols of Z (S, M); the weighted R² as score(sample_weight). */
static gboolean
wridge (const double *Z, guint M, const double *y, const double *w, guint S, const guint *cols,
        guint k, double alpha, double *coef, double *intercept, double *r2)
{
  g_autofree double *zm = g_new0 (double, MAX (k, 1));
  g_autofree double *G = g_new0 (double, MAX ((gsize) k * k, 1));
  g_autofree double *h = g_new0 (double, MAX (k, 1));
  double sw = 0, ym = 0, ss_tot = 0, ss_res = 0;

  for (guint s = 0; s < S; s++)
    {
      sw += w[s];
      ym += w[s] * y[s];
      for (guint a = 0; a < k; a++)
        zm[a] += w[s] * Z[(gsize) s * M + cols[a]];
    }
  if (!(sw > 0))
    return FALSE;
  ym /= sw;
  for (guint a = 0; a < k; a++)
    zm[a] /= sw;
  for (guint s = 0; s < S; s++)
    for (guint a = 0; a < k; a++)
      {
        const double za = Z[(gsize) s * M + cols[a]] - zm[a];
        h[a] += w[s] * za * (y[s] - ym);
        for (guint b = 0; b < k; b++)
          G[(gsize) a * k + b] += w[s] * za * (Z[(gsize) s * M + cols[b]] - zm[b]);
      }
  for (guint a = 0; a < k; a++)
    G[(gsize) a * k + a] += alpha;
  if (k > 0 && LAPACKE_dposv (LAPACK_ROW_MAJOR, 'U', k, 1, G, k, h, 1) != 0)
    return FALSE;
  *intercept = ym;
  for (guint a = 0; a < k; a++)
    {
      if (!isfinite (h[a]))
        return FALSE;
      coef[a] = h[a];
      *intercept -= h[a] * zm[a];
    }
  for (guint s = 0; s < S; s++)
    {
      double p = *intercept;
      for (guint a = 0; a < k; a++)
        p += coef[a] * Z[(gsize) s * M + cols[a]];
      ss_res += w[s] * (y[s] - p) * (y[s] - p);
      ss_tot += w[s] * (y[s] - ym) * (y[s] - ym);
    }
  *r2 = ss_tot > 0 ? 1.0 - ss_res / ss_tot : NAN;
  return TRUE;
}

GbExplanation *
gb_lime_text (const GbExplainTarget *t, const float *x, gsize row_id, const float *absent,
              const char *const *unit_names, const GbLimeOptions *options,
              GCancellable *cancellable, GError **error)
{
  const guint M = t->n_units, C = t->C, U0 = t->first_unit;
  const gsize TC = (gsize) t->T * C;
  GbLimeOptions opt;
  gint64 t0 = g_get_monotonic_time ();

  if (options)
    opt = *options;
  else
    gb_lime_options_init_default (&opt);
  const guint K = CLAMP (opt.n_features, 1, MAX (M, 1u));
  const guint S = MAX (opt.n_samples, 2u);
  const guint R = MAX (opt.n_seeds, 1u);
  const double width = opt.kernel_width > 0 ? opt.kernel_width : 25.0;

  g_autoptr(GbExplanation) e = gb_explanation_new ("lime", M, unit_names, 1);
  GbAttributionRow *row = &e->rows[0];
  row->row = row_id;
  if (M == 0)
    {
      double fx;
      t->forward (t, x, 1, &fx);
      row->prediction = fx;
      e->description = (g_free (e->description), g_strdup ("LIME: no tokens to explain."));
      return g_steal_pointer (&e);
    }
  g_autofree float *emb = g_new (float, (gsize) S * TC);
  g_autofree double *Z = g_new (double, (gsize) S * M);
  g_autofree double *y = g_new (double, S);
  g_autofree double *w = g_new (double, S);
  g_autofree guint *perm = g_new (guint, M);
  g_autofree guint *order = g_new (guint, M);
  g_autofree double *coef = g_new (double, M);
  g_autofree guint *tops = g_new (guint, (gsize) R * K);

  for (guint r = 0; r < R; r++)
    {
      gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
      double icpt, r2;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          gsl_rng_free (rng);
          return NULL;
        }
      gsl_rng_set (rng, opt.seed + r * 1000003u + row_id);
      for (guint s = 0; s < S; s++)
        {
          float *es = emb + (gsize) s * TC;
          double *z = Z + (gsize) s * M;
          guint on = M;
          memcpy (es, x, TC * sizeof (float));
          for (guint j = 0; j < M; j++)
            z[j] = 1.0;
          if (s > 0)
            {
              /* lime: n_removed = randint(1, d) ∈ 1 .. d−1 (1 when d = 1) */
              const guint d = M > 1 ? 1 + gsl_rng_uniform_int (rng, M - 1) : 1;
              for (guint j = 0; j < M; j++)
                perm[j] = j;
              for (guint q = 0; q < d; q++)   /* partial Fisher–Yates */
                {
                  const guint p = q + gsl_rng_uniform_int (rng, M - q), tmp = perm[q];
                  perm[q] = perm[p];
                  perm[p] = tmp;
                  z[perm[q]] = 0.0;
                  memcpy (es + (gsize) (U0 + perm[q]) * C, absent + (gsize) (U0 + perm[q]) * C,
                          C * sizeof (float));
                }
              on = M - d;
            }
          /* 100 × cosine distance to the all-ones vector */
          const double dist = on > 0 ? (1.0 - on / (sqrt ((double) on) * sqrt ((double) M))) * 100
                                     : 100.0;
          w[s] = sqrt (exp (-dist * dist / (width * width)));
        }
      gsl_rng_free (rng);
      t->forward (t, emb, S, y);

      /* the K units by lime's feature selection (auto: forward selection
       * when K ≤ 6, else the highest weights of a ridge with α = 0.01) */
      if (!gb_lime_select_features (Z, M, y, w, S, K, opt.selection, order))
        goto numeric;
      memcpy (tops + (gsize) r * K, order, K * sizeof (guint));
      if (!wridge (Z, M, y, w, S, order, K, opt.ridge_alpha, coef, &icpt, &r2))
        goto numeric;
      if (r == 0)
        {
          memset (row->values, 0, M * sizeof (double));
          for (guint a = 0; a < K; a++)
            row->values[order[a]] = coef[a];
          row->base_value = icpt;
          row->fidelity_r2 = r2;
          row->prediction = y[0];
        }
    }
  row->n_evaluations = (gsize) R * S;
  row->steps = S;
  e->n_evaluations = row->n_evaluations;
  if (R > 1)
    {
      double j = 0;
      guint np = 0;
      for (guint a = 0; a < R; a++)
        for (guint b = a + 1; b < R; b++, np++)
          j += gb_jaccard (tops + (gsize) a * K, K, tops + (gsize) b * K, K);
      e->stability = j / np;
    }
  gb_explanation_update_global (e);
  g_free (e->description);
  {
    char wb[G_ASCII_DTOSTR_BUF_SIZE];
    e->description = g_strdup_printf ("LIME (Ribeiro et al. 2016), text sampler: %u samples per "
                                      "row, each removing 1 to M−1 tokens (a removed token "
                                      "becomes its [MASK] embedding), cosine kernel width %s, "
                                      "the top %u tokens (%s selection) in a weighted ridge "
                                      "surrogate; stability over %u seeds.", S,
                                      g_ascii_formatd (wb, sizeof wb, "%.3g", width), K,
                                      gb_lime_selection_to_string (opt.selection), R);
  }
  e->seconds = (g_get_monotonic_time () - t0) / 1e6;
  return g_steal_pointer (&e);

numeric:
  g_set_error (error, GB_EXPLAIN_ERROR, GB_ERROR_NUMERIC,
               "LIME: the weighted ridge surrogate of row %" G_GSIZE_FORMAT " could not be "
               "solved; increase the number of samples", row_id);
  return NULL;
}

/* ---------------------------------------------------- global importance */

static int
cmp_mean_desc (gconstpointer a, gconstpointer b, gpointer data)
{
  const double *m = data;
  const guint i = *(const guint *) a, j = *(const guint *) b;
  if (m[i] != m[j])
    return m[i] > m[j] ? -1 : 1;
  return (i > j) - (i < j);   /* ties: first seen first */
}

guint
gb_explanation_text_global (const GbExplanation *e, guint max, char ***out_labels,
                            double **out_values)
{
  const guint F = e->n_feature_units;
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) sum = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr(GArray) cnt = g_array_new (FALSE, TRUE, sizeof (double));

  for (gsize i = 0; i < e->n_rows; i++)
    {
      const GbAttributionRow *row = &e->rows[i];
      const guint nt = row->tokens ? g_strv_length (row->tokens) : 0;
      for (guint j = 0; j < F + nt && j < e->n_units; j++)
        {
          const char *name = j < F ? e->unit_names[j] : row->tokens[j - F];
          gpointer pos;
          guint q;
          if (g_hash_table_lookup_extended (index, name, NULL, &pos))
            q = GPOINTER_TO_UINT (pos);
          else
            {
              q = names->len;
              g_ptr_array_add (names, (gpointer) name);
              g_array_set_size (sum, q + 1);
              g_array_set_size (cnt, q + 1);
              g_hash_table_insert (index, (gpointer) name, GUINT_TO_POINTER (q));
            }
          g_array_index (sum, double, q) += fabs (row->values[j]);
          g_array_index (cnt, double, q) += 1;
        }
    }
  g_autofree double *mean = g_new0 (double, MAX (names->len, 1));
  g_autofree guint *order = g_new (guint, MAX (names->len, 1));
  for (guint q = 0; q < names->len; q++)
    {
      mean[q] = g_array_index (sum, double, q) / g_array_index (cnt, double, q);
      order[q] = q;
    }
  g_qsort_with_data (order, names->len, sizeof (guint), cmp_mean_desc, mean);
  const guint n = max > 0 ? MIN (names->len, max) : names->len;
  *out_labels = g_new0 (char *, n + 1);
  *out_values = g_new (double, MAX (n, 1));
  for (guint k = 0; k < n; k++)
    {
      (*out_labels)[k] = g_strdup (names->pdata[order[k]]);
      (*out_values)[k] = mean[order[k]];
    }
  return n;
}
