/* test-explain-text.c — the explainers on text and text+feature rows: a
 * small text transformer trained for two epochs on the first 800 messages
 * of SMS spam (and one with a numeric feature before the text), explained
 * with its attention mask.  References are computed independently of the
 * explainers: predictions through gb_model_predict_inputs() on token ids
 * (the [MASK] baseline and KernelSHAP's v(∅) are rows whose ids are [MASK]),
 * brute-force Shapley values over the same id-level value function, and
 * the completeness and rollout axioms. */
#include "gb-config.h"
#include "glassbox-engine.h"
#include "gb-test-text.h"
#include "gb-explain-text.h"
#include "gb-attention.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define MAX_LEN 24

typedef struct {
  GbDataset *ds;
  GbModel *model;
  GbTokenizer *tok;
  gsize *train;
  gsize n_train;
  gsize rows[6];   /* explained: short (padded) and long (truncated) messages */
} Fixture;

static Fixture text_only, mixed;

/* The first 800 messages; with @feature, a numeric column n_chars (the
 * message length in bytes) before the text. */
static GbDataset *load_sms_extra (gboolean feature, const char *extra, char **csv_out);

static GbDataset *
load_sms (gboolean feature)
{
  return load_sms_extra (feature, NULL, NULL);
}

/* load_sms() with the CSV lines @extra (nullable) after the 800 messages;
 * @csv_out (nullable) receives the CSV text. */
static GbDataset *
load_sms_extra (gboolean feature, const char *extra, char **csv_out)
{
  const char *src = g_getenv ("GB_SOURCE_DIR");
  g_autofree char *path = g_build_filename (src ? src : GB_SOURCE_DIR, "data", "examples",
                                            "sms_spam", "sms_spam.csv", NULL);
  GError *error = NULL;
  g_autoptr(GbDataset) full = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  const GbColumn *lab = gb_dataset_get_column (full, gb_dataset_find_column (full, "label"));
  const GbColumn *txt = gb_dataset_get_column (full, gb_dataset_find_column (full, "text"));
  GString *csv = g_string_new (feature ? "label,n_chars,text\n" : "label,text\n");
  for (gsize r = 0; r < 800; r++)
    {
      const char *t = txt->text ? txt->text[r] : g_ptr_array_index (txt->levels, txt->codes[r]);
      g_autofree char *q = NULL;
      g_auto(GStrv) parts = g_strsplit (t ? t : "", "\"", -1);
      q = g_strjoinv ("\"\"", parts);
      g_string_append_printf (csv, "%s,", (const char *) g_ptr_array_index (lab->levels,
                                                                            lab->codes[r]));
      if (feature)
        g_string_append_printf (csv, "%" G_GSIZE_FORMAT ",", strlen (t ? t : ""));
      g_string_append_printf (csv, "\"%s\"\n", q);
    }
  if (extra)
    g_string_append (csv, extra);
  GbDataset *ds = gb_dataset_new_from_data (csv->str, csv->len, "sms-800.csv", &error);
  g_assert_no_error (error);
  if (csv_out)
    *csv_out = g_strdup (csv->str);
  g_string_free (csv, TRUE);
  return ds;
}

static const char *
cell (GbDataset *ds, gsize r)
{
  const GbColumn *c = gb_dataset_get_column (ds, gb_dataset_find_column (ds, "text"));
  return c->text ? c->text[r] : g_ptr_array_index (c->levels, c->codes[r]);
}

static void
setup (Fixture *fx, gboolean feature)
{
  GError *error = NULL;
  fx->ds = load_sms (feature);
  const gsize n = gb_dataset_get_n_rows (fx->ds);
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new (guint8, n);
  g_autofree const char **texts = g_new0 (const char *, n);
  gsize nt = 0;

  g_assert_true (gb_dataset_eval_variable (fx->ds, "label", "spam", y, &error));
  g_assert_no_error (error);
  gb_split_stratified (y, n, 0.3, 42, split);
  fx->train = g_new (gsize, n);
  for (gsize r = 0; r < n; r++)
    if (split[r] == 0)
      {
        texts[nt++] = cell (fx->ds, r);
        fx->train[fx->n_train++] = r;
      }
  GbTransformerConfig mc;
  GbTrainConfig tc;
  fx->tok = tiny_text_model (texts, nt, MAX_LEN, &mc);
  static const char *const features[] = { "n_chars", NULL };
  fx->model = gb_model_new_text (fx->ds, "text", feature ? features : NULL, feature ? 1 : 0,
                                 NULL, 2, &mc, 42, &error);
  g_assert_no_error (error);
  gb_model_use_tokenizer (fx->model, fx->tok);
  gb_train_config_init_default (&tc);
  tc.epochs = 2;
  tc.batch_size = 64;
  tc.learning_rate = 3e-3;
  g_assert_true (gb_model_train (fx->model, fx->ds, y, split, &tc, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* three short held-out messages (≤ 10 word pieces, so padded) and three long ones */
  guint ns = 0, nl = 0;
  for (gsize r = 0; r < n && (ns < 3 || nl < 3); r++)
    {
      gsize n_ids = 0;
      if (split[r] != 1)
        continue;
      g_strfreev (gb_tokenizer_tokenize (fx->tok, cell (fx->ds, r), NULL, &n_ids));
      if (n_ids >= 3 && n_ids <= 10 && ns < 3)
        fx->rows[ns++] = r;
      else if (n_ids > MAX_LEN && nl < 3)
        fx->rows[3 + nl++] = r;
    }
  g_assert_cmpuint (ns, ==, 3);
  g_assert_cmpuint (nl, ==, 3);
}

/* p_1 of rows given as ids (the reference value function). */
static void
predict_ids (Fixture *fx, const double *xf, const gint32 *ids, const guint8 *m, gsize B,
             double *out)
{
  const guint F = gb_model_get_n_features (fx->model);
  g_autofree double *p = g_new (double, B * 2);
  g_autofree gint32 *codes = F ? g_new0 (gint32, B * F) : NULL;
  GbModelInputs in = { F ? xf : NULL, codes, ids, m };
  GError *error = NULL;
  for (gsize i = 0; i < B * F; i++)
    codes[i] = -1;
  g_assert_true (gb_model_predict_inputs (fx->model, &in, B, p, NULL, &error));
  g_assert_no_error (error);
  for (gsize b = 0; b < B; b++)
    out[b] = p[b * 2 + 1];
}

/* The row's ids and mask as the model encodes them. */
static gsize
row_ids (Fixture *fx, gsize r, gint32 *ids, guint8 *m)
{
  gint32 attn[MAX_LEN];
  gsize n_ids = 0;
  GError *error = NULL;
  g_assert_true (gb_tokenizer_encode_into (fx->tok, cell (fx->ds, r), NULL, MAX_LEN, ids, NULL,
                                           attn, &n_ids, NULL, &error));
  g_assert_no_error (error);
  for (guint s = 0; s < MAX_LEN; s++)
    m[s] = attn[s] != 0;
  return n_ids - 2;   /* word pieces */
}

static double
feature_value (Fixture *fx, gsize r)
{
  int ci = gb_dataset_find_column (fx->ds, "n_chars");
  return ci >= 0 ? gb_dataset_get_column (fx->ds, ci)->numeric[r] : NAN;
}

static GbExplainRun *
run_methods (Fixture *fx, const char *methods, GbIgBaseline baseline, gboolean faithfulness)
{
  GbExplainSettings s;
  GError *error = NULL;
  gb_explain_settings_init_default (&s);
  s.methods = g_strsplit (methods, ",", -1);
  s.ig.baseline = baseline;
  s.background_size = 8;
  s.background_pool = 200;
  s.faithfulness = faithfulness;
  s.lime.n_samples = 400;
  s.lime.n_seeds = 2;
  GbExplainRun *run = gb_explain_run (fx->model, fx->ds, fx->rows, G_N_ELEMENTS (fx->rows),
                                      fx->train, fx->n_train, &s, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  gb_explain_settings_clear (&s);
  return run;
}

/* Units after a row's tokens are padding: exactly zero. */
static void
assert_padding_zero (Fixture *fx, const GbExplanation *e)
{
  const guint F = gb_model_get_n_features (fx->model);
  g_assert_true (e->text);
  g_assert_cmpuint (e->n_feature_units, ==, F);
  for (gsize i = 0; i < e->n_rows; i++)
    {
      const guint nt = g_strv_length (e->rows[i].tokens);
      g_assert_cmpuint (F + nt, <=, e->n_units);
      for (guint j = F + nt; j < e->n_units; j++)
        g_assert_cmpfloat (e->rows[i].values[j], ==, 0.0);
    }
}

/* IG completeness on every row for every baseline; f(x) and f(x′) against
 * the id-level predictions. */
static void
check_ig (Fixture *fx)
{
  static const GbIgBaseline kinds[] = { GB_IG_BASELINE_ZERO, GB_IG_BASELINE_MASK,
                                        GB_IG_BASELINE_PAD, GB_IG_BASELINE_MEAN,
                                        GB_IG_BASELINE_EXPECTED };
  const guint F = gb_model_get_n_features (fx->model);
  const guint T = gb_model_get_seq_len (fx->model), C = gb_model_get_d_model (fx->model);
  const gsize TC = (gsize) T * C;

  for (guint q = 0; q < G_N_ELEMENTS (kinds); q++)
    {
      g_autoptr(GbExplainRun) run = run_methods (fx, "integrated_gradients", kinds[q], FALSE);
      const GbIgResult *ig = run->ig;
      g_assert_nonnull (ig);
      g_assert_cmpint (ig->baseline_kind, ==, kinds[q]);
      g_assert_true (ig->text);
      assert_padding_zero (fx, g_ptr_array_index (run->explanations, 0));
      g_assert_cmpuint (ig->n_rows, ==, G_N_ELEMENTS (fx->rows));
      double worst = 0, worst_rel = 0;
      guint most_steps = 0;
      for (gsize i = 0; i < ig->n_rows; i++)
        {
          const double d = fabs (ig->rows[i].prediction - ig->rows[i].baseline_prediction);
          worst = MAX (worst, ig->rows[i].completeness_residual);
          worst_rel = MAX (worst_rel, d > 0 ? ig->rows[i].completeness_residual / d : 0);
          most_steps = MAX (most_steps, ig->rows[i].steps);
        }
      g_test_message ("%s, %s baseline: largest completeness residual %.3g (%.3g %% of "
                      "|f(x) - f(x')|), at most %u steps",
                      gb_model_get_n_features (fx->model) ? "text+feature" : "text-only",
                      gb_ig_baseline_to_string (kinds[q]), worst, 100 * worst_rel, most_steps);
      for (guint j = 0; j < ig->n_features; j++)   /* global = mean |attribution| */
        {
          double m = 0;
          for (gsize i = 0; i < ig->n_rows; i++)
            m += fabs (ig->rows[i].attributions[j]) / ig->n_rows;
          g_assert_cmpfloat (fabs (ig->global[j] - m), <=, 1e-12);
        }
      for (gsize i = 0; i < ig->n_rows; i++)
        {
          const GbIgRow *row = &ig->rows[i];
          gint32 ids[MAX_LEN];
          guint8 m[MAX_LEN];
          double xf = feature_value (fx, row->row), p;
          const gsize nt = row_ids (fx, row->row, ids, m);
          double sum = 0;

          g_assert_cmpuint (g_strv_length (row->tokens), ==, nt);
          for (guint k = 0; k < nt; k++)
            g_assert_cmpstr (row->tokens[k], ==, gb_tokenizer_id_to_token (fx->tok, ids[k + 1]));
          predict_ids (fx, &xf, ids, m, 1, &p);
          g_assert_cmpfloat (fabs (row->prediction - p), <, 1e-5);
          for (guint j = 0; j < ig->n_features; j++)
            sum += row->attributions[j];
          g_assert_cmpfloat (fabs (sum - (row->prediction - row->baseline_prediction)), <=,
                             row->completeness_residual + 1e-9);
          if (row->steps < 1024)
            g_assert_cmpfloat (row->completeness_residual, <=,
                               MAX (0.01 * fabs (row->prediction - row->baseline_prediction),
                                    1e-6));
          if (kinds[q] == GB_IG_BASELINE_MASK && F == 0)
            {
              /* f(x′): the row with [MASK] for every word piece */
              for (guint k = 1; k <= nt; k++)
                ids[k] = gb_tokenizer_get_mask_id (fx->tok);
              predict_ids (fx, &xf, ids, m, 1, &p);
              g_assert_cmpfloat (fabs (row->baseline_prediction - p), <, 1e-5);
            }
          if (kinds[q] == GB_IG_BASELINE_EXPECTED)
            {
              /* Σ_b w_b f(x′_b): x with every unit from background row b */
              const GbBackground *bg = run->background;
              g_autoptr(GbTextRows) tr = gb_text_rows_new (fx->model, fx->ds, &row->row, 1,
                                                           NULL, 0, NULL);
              g_autofree float *xb = g_new (float, bg->n * TC);
              g_autofree guint8 *mb = g_new (guint8, bg->n * T);
              g_autofree float *pb = g_new (float, bg->n * 2);
              double ref = 0;
              g_assert_nonnull (tr);
              for (gsize b = 0; b < bg->n; b++)
                {
                  memcpy (xb + b * TC, tr->x, TC * sizeof (float));
                  memcpy (xb + b * TC + C, bg->emb + b * TC + C, (F + nt) * C * sizeof (float));
                  memcpy (mb + b * T, tr->mask, T);
                }
              gb_model_forward_embedded_masked (fx->model, xb, mb, bg->n, pb);
              for (gsize b = 0; b < bg->n; b++)
                ref += bg->weights[b] * pb[b * 2 + 1];
              g_assert_cmpfloat (fabs (row->baseline_prediction - ref), <, 1e-6);
              g_assert_cmpfloat (fabs (sum - (row->prediction - ref)), <=,
                                 row->completeness_residual + 1e-6);
            }
        }
    }
}

/* Brute-force Shapley values of the id-level game v(S) = f(ids with the
 * word pieces outside S replaced by [MASK]) for a text-only row. */
static void
brute_shapley (Fixture *fx, gsize r, double *phi, guint *n_out, double *v_empty)
{
  gint32 ids[MAX_LEN];
  guint8 m[MAX_LEN];
  const guint M = row_ids (fx, r, ids, m);
  const gsize NS = (gsize) 1 << M;
  g_autofree gint32 *all = g_new (gint32, NS * MAX_LEN);
  g_autofree guint8 *ms = g_new (guint8, NS * MAX_LEN);
  g_autofree double *v = g_new (double, NS);

  for (gsize S = 0; S < NS; S++)
    {
      memcpy (all + S * MAX_LEN, ids, sizeof ids);
      memcpy (ms + S * MAX_LEN, m, sizeof m);
      for (guint j = 0; j < M; j++)
        if (!(S & ((gsize) 1 << j)))
          all[S * MAX_LEN + 1 + j] = gb_tokenizer_get_mask_id (fx->tok);
    }
  predict_ids (fx, NULL, all, ms, NS, v);
  for (guint j = 0; j < M; j++)
    {
      double s = 0;
      for (gsize S = 0; S < NS; S++)
        if (!(S & ((gsize) 1 << j)))
          {
            const guint k = __builtin_popcountll (S);
            const double w = exp (lgamma (k + 1.0) + lgamma (M - k) - lgamma (M + 1.0));
            s += w * (v[S | ((gsize) 1 << j)] - v[S]);
          }
      phi[j] = s;
    }
  *n_out = M;
  *v_empty = v[0];
}

static void
test_ig_text (void)
{
  check_ig (&text_only);
}

static void
test_ig_mixed (void)
{
  check_ig (&mixed);
}

static void
test_kernel_shap_text (void)
{
  g_autoptr(GbExplainRun) run = run_methods (&text_only, "kernel_shap", 0, FALSE);
  const GbExplanation *e = gb_explain_run_lookup (run, "kernel_shap");
  g_assert_nonnull (e);
  assert_padding_zero (&text_only, e);
  for (gsize i = 0; i < 3; i++)   /* the short rows: exact mode */
    {
      const GbAttributionRow *row = &e->rows[i];
      double phi[MAX_LEN], v0, sum = 0;
      guint M;
      brute_shapley (&text_only, row->row, phi, &M, &v0);
      g_assert_cmpuint (M, <=, 14);
      g_assert_cmpfloat (fabs (row->base_value - v0), <, 1e-5);
      double dmax = 0, l1 = 0;
      for (guint j = 0; j < M; j++)
        l1 += fabs (phi[j]);
      g_assert_cmpfloat (l1, >, 1e-4);   /* the game is not flat */
      for (guint j = 0; j < M; j++)
        {
          g_assert_cmpfloat (fabs (row->values[j] - phi[j]), <, 1e-5);
          dmax = MAX (dmax, fabs (row->values[j] - phi[j]));
          sum += row->values[j];
        }
      g_test_message ("row %" G_GSIZE_FORMAT " (%u pieces): sum |phi| %.3g, max |phi - brute-force "
                      "Shapley| %.3g, additivity residual %.3g", row->row, M, l1, dmax,
                      fabs (row->base_value + sum - row->prediction));
      g_assert_cmpfloat (fabs (row->base_value + sum - row->prediction), <=, 1e-6);
      g_assert_cmpfloat (row->completeness_residual, <=, 1e-6);
    }
  g_assert_false (e->exact);   /* the long rows have 22 pieces: sampled */
  g_test_message ("KernelSHAP exact on %u-, %u- and %u-piece rows", 
                  g_strv_length (e->rows[0].tokens), g_strv_length (e->rows[1].tokens),
                  g_strv_length (e->rows[2].tokens));
  for (gsize i = 3; i < e->n_rows; i++)
    g_assert_nonnull (e->rows[i].std_errors);
}

static void
test_kernel_shap_mixed (void)
{
  g_autoptr(GbExplainRun) run = run_methods (&mixed, "kernel_shap", 0, FALSE);
  const GbExplanation *e = gb_explain_run_lookup (run, "kernel_shap");
  assert_padding_zero (&mixed, e);
  for (gsize i = 0; i < 3; i++)
    {
      double sum = 0;
      for (guint j = 0; j < e->n_units; j++)
        sum += e->rows[i].values[j];
      g_assert_cmpfloat (fabs (e->rows[i].base_value + sum - e->rows[i].prediction), <=, 1e-6);
    }
}

/* Padding never matters: the output ignores padding embeddings and the
 * gradient there is exactly zero; every method leaves padding at 0. */
static void
test_padding (void)
{
  Fixture *fx = &text_only;
  g_autoptr(GbTextRows) tr = gb_text_rows_new (fx->model, fx->ds, fx->rows, 3, NULL, 0, NULL);
  const guint T = tr->T, C = tr->C;
  const gsize TC = (gsize) T * C;
  GbExplainTarget t;
  double f0, f1;
  g_autofree float *x = g_memdup2 (tr->x, TC * sizeof (float));
  g_autofree float *g = g_new (float, TC);

  gb_text_rows_target (tr, 0, fx->model, 1, &t);
  g_assert_cmpuint (t.n_units, ==, tr->n_tokens[0]);
  t.forward (&t, x, 1, &f0);
  guint n_pad = 0;
  for (guint p = 0; p < T; p++)
    if (!tr->mask[p])
      {
        n_pad++;
        for (guint c = 0; c < C; c++)
          x[p * C + c] += 3.0f * (c % 2 ? 1 : -1);
      }
  g_assert_cmpuint (n_pad, >, 0);
  t.forward (&t, x, 1, &f1);
  g_assert_cmpfloat (f0, ==, f1);
  t.gradient (&t, x, 1, &f1, g);
  for (guint p = 0; p < T; p++)
    if (!tr->mask[p])
      for (guint c = 0; c < C; c++)
        g_assert_cmpfloat (g[p * C + c], ==, 0.0f);

  g_autoptr(GbExplainRun) run = run_methods (fx, "integrated_gradients,kernel_shap,lime,"
                                             "gradient_input,occlusion,attention_rollout",
                                             0, TRUE);
  g_assert_cmpuint (run->explanations->len, ==, 6);
  for (guint k = 0; k < run->explanations->len; k++)
    {
      const GbExplanation *e = g_ptr_array_index (run->explanations, k);
      assert_padding_zero (fx, e);
      g_assert_nonnull (e->deletion_curve);
      g_assert_true (isfinite (e->deletion_aopc) && isfinite (e->insertion_aopc));
      for (gsize i = 0; i < e->n_rows; i++)
        g_assert_true (isfinite (e->rows[i].prediction));
    }
  /* occlusion of a token is f(x) − f(x with that token [MASK]ed) */
  const GbExplanation *occ = gb_explain_run_lookup (run, "occlusion");
  {
    gint32 ids[MAX_LEN];
    guint8 m[MAX_LEN];
    double p0, p1;
    row_ids (fx, occ->rows[0].row, ids, m);
    predict_ids (fx, NULL, ids, m, 1, &p0);
    ids[1] = gb_tokenizer_get_mask_id (fx->tok);
    predict_ids (fx, NULL, ids, m, 1, &p1);
    g_assert_cmpfloat (fabs (occ->rows[0].values[0] - (p0 - p1)), <, 1e-5);
  }
  const GbExplanation *lime = gb_explain_run_lookup (run, "lime");
  for (gsize i = 0; i < lime->n_rows; i++)
    g_assert_true (lime->rows[i].fidelity_r2 <= 1.0 + 1e-12);
  g_assert_true (lime->stability >= 0 && lime->stability <= 1);
}

/* Attention rollout with the mask: rows over the real tokens sum to 1 and
 * padding gets exactly 0 from [CLS]. */
static void
test_rollout (void)
{
  Fixture *fx = &text_only;
  g_autoptr(GbTextRows) tr = gb_text_rows_new (fx->model, fx->ds, fx->rows,
                                               G_N_ELEMENTS (fx->rows), NULL, 0, NULL);
  const GbTransformerConfig *cfg = gb_model_get_config (fx->model);
  const guint T = tr->T, L = cfg->n_layers, H = cfg->n_heads;
  g_autofree float *att = g_new (float, (gsize) L * H * T * T);
  g_autofree double *R = g_new (double, (gsize) T * T);

  for (gsize i = 0; i < tr->n; i++)
    {
      const guint8 *m = tr->mask + i * T;
      gb_model_attention_embedded (fx->model, tr->x + i * (gsize) T * tr->C, m, 1, att, NULL);
      gb_attention_rollout (att, L, H, T, 0.5, R);
      for (guint q = 0; q < T; q++)
        {
          double s = 0;
          if (!m[q])
            continue;
          for (guint k = 0; k < T; k++)
            if (m[k])
              s += R[q * T + k];
            else if (m[0] && q == 0)
              g_assert_cmpfloat (R[k], ==, 0.0);
          g_assert_cmpfloat (fabs (s - 1.0), <, 1e-9);
        }
    }
}

/* f = 0.3 + Σ_j w_j · (component 0 of token j + 1): linear in the presence
 * of each token when a present token has 1 there and an absent one 0. */
static const double lin_w[] = { 0.5, -0.25, 0.125, 0.0, -0.75, 0.375, 0.0625 };

static void
linear_forward (const GbExplainTarget *t, const float *emb, gsize B, double *out)
{
  const gsize TC = (gsize) t->T * t->C;
  for (gsize b = 0; b < B; b++)
    {
      out[b] = 0.3;
      for (guint j = 0; j < t->n_units; j++)
        out[b] += lin_w[j] * emb[b * TC + (gsize) (t->first_unit + j) * t->C];
    }
}

static void
linear_gradient (const GbExplainTarget *t, const float *emb, gsize B, double *out, float *grad)
{
  const gsize TC = (gsize) t->T * t->C;
  linear_forward (t, emb, B, out);
  memset (grad, 0, B * TC * sizeof (float));
  for (gsize b = 0; b < B; b++)
    for (guint j = 0; j < t->n_units; j++)
      grad[b * TC + (gsize) (t->first_unit + j) * t->C] = (float) lin_w[j];
}

/* LIME's text sampler recovers the weights of a function linear in token
 * presence, with an intercept equal to f(all removed), R² = 1. */
static void
test_lime_text_linear (void)
{
  const guint M = G_N_ELEMENTS (lin_w), T = M + 3, C = 2;
  GbExplainTarget t = { .T = T, .C = C, .first_unit = 1, .n_units = M,
                        .forward = linear_forward };
  g_autofree float *x = g_new0 (float, T * C);
  g_autofree float *absent = g_new0 (float, T * C);
  GbLimeOptions o;
  GError *error = NULL;

  for (guint p = 0; p < T; p++)
    {
      x[p * C] = 1.0f;
      x[p * C + 1] = 0.5f;
      absent[p * C + 1] = -2.0f;
    }
  gb_lime_options_init_default (&o);
  o.n_samples = 300;
  o.n_features = M;
  o.ridge_alpha = 1e-10;
  o.n_seeds = 3;
  g_autoptr(GbExplanation) e = gb_lime_text (&t, x, 7, absent, NULL, &o, NULL, &error);
  g_assert_no_error (error);
  for (guint j = 0; j < M; j++)
    g_assert_cmpfloat (fabs (e->rows[0].values[j] - lin_w[j]), <, 1e-6);
  g_assert_cmpfloat (fabs (e->rows[0].base_value - 0.3), <, 1e-6);
  g_assert_cmpfloat (fabs (e->rows[0].fidelity_r2 - 1.0), <, 1e-9);
  g_assert_cmpfloat (e->stability, ==, 1.0);   /* K = M: the same set every seed */
  g_assert_cmpuint (e->rows[0].row, ==, 7);
}

/* Expected gradients of a linear function: φ_j = w_j (x_j − Σ_b w_b b_j)
 * exactly (the path integral of a constant gradient), the same closed form
 * as the interventional Shapley value. */
static void
test_expected_gradients_linear (void)
{
  const guint M = G_N_ELEMENTS (lin_w), T = M + 1, C = 2;
  GbExplainTarget t = { .T = T, .C = C, .first_unit = 1, .n_units = M,
                        .forward = linear_forward };
  g_autofree float *x = g_new0 (float, T * C);
  g_autofree float *bgemb = g_new0 (float, 3 * T * C);
  const double bw[] = { 0.2, 0.5, 0.3 };
  GError *error = NULL;

  /* the gradient of linear_forward: w_j on component 0 of unit j */
  t.gradient = NULL;
  for (guint p = 0; p < T; p++)
    {
      x[p * C] = 0.25f * p - 0.5f;
      for (guint b = 0; b < 3; b++)
        bgemb[(b * T + p) * C] = 0.125f * (b + 1) * (p % 3) - 0.25f;
    }
  g_autoptr(GbBackground) bg = gb_background_new (bgemb, bw, NULL, 3, T, C, "three rows");
  g_assert_null (gb_expected_gradients_target (&t, x, bg, NULL, 1, NULL, NULL, NULL, NULL, NULL,
                                               &error));
  g_assert_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  t.gradient = linear_gradient;
  g_autoptr(GbIgResult) eg = gb_expected_gradients_target (&t, x, bg, NULL, 1, NULL, NULL, NULL,
                                                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (eg->baseline_kind, ==, GB_IG_BASELINE_EXPECTED);
  double fb = 0;
  for (guint b = 0; b < 3; b++)
    {
      double v;
      g_autofree float *xb = g_memdup2 (x, T * C * sizeof (float));
      memcpy (xb + C, bgemb + (b * T + 1) * C, M * C * sizeof (float));
      linear_forward (&t, xb, 1, &v);
      fb += bw[b] * v;
    }
  g_assert_cmpfloat (fabs (eg->rows[0].baseline_prediction - fb), <, 1e-12);
  for (guint j = 0; j < M; j++)
    {
      double mean_b = 0;
      for (guint b = 0; b < 3; b++)
        mean_b += bw[b] * bgemb[(b * T + 1 + j) * C];
      g_assert_cmpfloat (fabs (eg->rows[0].attributions[j] - lin_w[j] * (x[(1 + j) * C] - mean_b)),
                         <, 1e-7);
    }
  g_assert_cmpfloat (eg->rows[0].completeness_residual, <, 1e-7);
}

/* A tabular model (n_chars only) through gb_explain_run: the mean baseline
 * is the feature token's mean embedding over the training rows (the pool,
 * all of them candidates), expected gradients complete; mask and pad are
 * refused for a tabular model. */
static void
test_tabular_baselines (void)
{
  Fixture *fx = &mixed;
  GError *error = NULL;
  const gsize n = gb_dataset_get_n_rows (fx->ds);
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new (guint8, n);
  static const char *const features[] = { "n_chars" };
  g_assert_true (gb_dataset_eval_variable (fx->ds, "label", "spam", y, &error));
  gb_split_stratified (y, n, 0.3, 42, split);
  g_autoptr(GbModel) model = gb_model_new_tabular (fx->ds, features, 1, NULL, 2, NULL, 42, &error);
  g_assert_no_error (error);
  GbTrainConfig tc;
  gb_train_config_init_default (&tc);
  tc.epochs = 1;
  g_assert_true (gb_model_train (model, fx->ds, y, split, &tc, NULL, NULL, NULL, &error));

  const guint T = gb_model_get_seq_len (model), C = gb_model_get_d_model (model);
  const gsize TC = (gsize) T * C;
  GbExplainSettings s;
  gb_explain_settings_init_default (&s);
  s.methods = g_strsplit ("integrated_gradients", ",", -1);
  s.background_pool = 100000;
  s.faithfulness = FALSE;
  for (guint q = 0; q < 4; q++)
    {
      static const GbIgBaseline kinds[] = { GB_IG_BASELINE_MEAN, GB_IG_BASELINE_EXPECTED,
                                            GB_IG_BASELINE_MASK, GB_IG_BASELINE_PAD };
      s.ig.baseline = kinds[q];
      g_autoptr(GbExplainRun) run = gb_explain_run (model, fx->ds, fx->rows, 3, fx->train,
                                                    fx->n_train, &s, NULL, NULL, NULL, &error);
      if (q >= 2)
        {
          g_assert_null (run);
          g_assert_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT);
          g_clear_error (&error);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (run->ig->baseline_kind, ==, kinds[q]);
      for (gsize i = 0; i < 3; i++)
        {
          const GbIgRow *row = &run->ig->rows[i];
          g_assert_cmpfloat (fabs (row->attributions[0] - (row->prediction
                                                           - row->baseline_prediction)), <=,
                             MAX (0.01 * fabs (row->prediction - row->baseline_prediction), 1e-6));
        }
      if (kinds[q] == GB_IG_BASELINE_MEAN)
        {
          g_autofree float *all = g_new (float, fx->n_train * TC);
          g_autofree float *xb = g_new (float, TC);
          double mean[64] = { 0 };
          float p[2];
          g_assert_cmpuint (C, <=, 64);
          gb_model_embed_rows (model, fx->ds, fx->train, fx->n_train, all);
          for (gsize r = 0; r < fx->n_train; r++)
            for (guint c = 0; c < C; c++)
              mean[c] += all[r * TC + C + c] / fx->n_train;
          gb_model_embed_rows (model, fx->ds, fx->rows, 1, xb);
          for (guint c = 0; c < C; c++)
            xb[C + c] = (float) mean[c];
          gb_model_forward_embedded (model, xb, 1, p);
          g_assert_cmpfloat (fabs (run->ig->rows[0].baseline_prediction - p[1]), <, 1e-5);
        }
    }
  gb_explain_settings_clear (&s);
}

/* Global importance of text rows by feature and word piece. */
static void
test_text_global (void)
{
  static const char *const names[] = { "age", "token 1", "token 2", "token 3", NULL };
  g_autoptr(GbExplanation) e = gb_explanation_new ("occlusion", 4, names, 2);
  static const char *const t0[] = { "fever", "age", "fever", NULL };
  static const char *const t1[] = { "cough", NULL };
  const double v0[] = { 0.5, -0.25, 0.75, 0.125 }, v1[] = { -0.5, 1.0, 0.0, 0.0 };
  g_auto(GStrv) labels = NULL;
  g_autofree double *values = NULL;

  e->text = TRUE;
  e->n_feature_units = 1;
  e->rows[0].tokens = g_strdupv ((char **) t0);
  e->rows[1].tokens = g_strdupv ((char **) t1);
  memcpy (e->rows[0].values, v0, sizeof v0);
  memcpy (e->rows[1].values, v1, sizeof v1);
  g_assert_cmpuint (gb_explanation_text_global (e, 0, &labels, &values), ==, 3);
  /* cough 1.0; age (0.5 + 0.5 + the piece "age" 0.75) / 3; fever (0.25 + 0.125) / 2 */
  g_assert_cmpstr (labels[0], ==, "cough");
  g_assert_cmpfloat (values[0], ==, 1.0);
  g_assert_cmpstr (labels[1], ==, "age");
  g_assert_cmpfloat (fabs (values[1] - 1.75 / 3), <, 1e-15);
  g_assert_cmpstr (labels[2], ==, "fever");
  g_assert_cmpfloat (values[2], ==, 0.1875);
  g_assert_null (labels[3]);
}

/* Rows of one word piece and of none: the 800 messages and, as rows 800
 * and 801, "Yup" and an empty text. */
#define ONE_WORD_ROWS "ham,Yup\nham,\"\"\n"
static const char *const all_methods = "integrated_gradients,kernel_shap,lime,gradient_input,"
                                       "occlusion,attention_rollout";

/* Every method explains a row of a single word piece and a row of none
 * (with a normal row after them), with faithfulness: finite values, the
 * padding zero, and KernelSHAP's φ₁ = f(x) − v(∅) with f and v(∅) from the
 * id-level predictions ("yup" against [MASK]).  The empty row keeps its
 * prediction, has no values, and the description names it. */
static void
test_single_piece (void)
{
  Fixture *fx = &text_only;
  g_autoptr(GbDataset) ds = load_sms_extra (FALSE, ONE_WORD_ROWS, NULL);
  const gsize rows[3] = { 800, 801, fx->rows[0] };
  GbExplainSettings s;
  GError *error = NULL;

  g_assert_cmpuint (gb_dataset_get_n_rows (ds), ==, 802);
  gb_explain_settings_init_default (&s);
  s.methods = g_strsplit (all_methods, ",", -1);
  s.background_size = 8;
  s.background_pool = 200;
  s.lime.n_samples = 300;
  s.lime.n_seeds = 2;
  g_autoptr(GbExplainRun) run = gb_explain_run (fx->model, ds, rows, 3, fx->train, fx->n_train,
                                                &s, NULL, NULL, NULL, &error);
  gb_explain_settings_clear (&s);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  g_assert_cmpuint (run->explanations->len, ==, 6);

  /* the reference: the ids of "Yup" ([CLS] yup [SEP]) and with [MASK] for
   * the piece; the empty text ([CLS] [SEP]) */
  gint32 ids[3 * MAX_LEN], attn[MAX_LEN];
  guint8 m[3 * MAX_LEN];
  gsize n_ids = 0;
  double ref[3];
  g_assert_true (gb_tokenizer_encode_into (fx->tok, "Yup", NULL, MAX_LEN, ids, NULL, attn,
                                           &n_ids, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_ids, ==, 3);
  for (guint q = 0; q < MAX_LEN; q++)
    m[q] = attn[q] != 0;
  memcpy (ids + MAX_LEN, ids, MAX_LEN * sizeof (gint32));
  memcpy (m + MAX_LEN, m, MAX_LEN);
  ids[MAX_LEN + 1] = gb_tokenizer_get_mask_id (fx->tok);
  g_assert_true (gb_tokenizer_encode_into (fx->tok, "", NULL, MAX_LEN, ids + 2 * MAX_LEN, NULL,
                                           attn, &n_ids, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_ids, ==, 2);
  for (guint q = 0; q < MAX_LEN; q++)
    m[2 * MAX_LEN + q] = attn[q] != 0;
  predict_ids (fx, NULL, ids, m, 3, ref);

  for (guint k = 0; k < run->explanations->len; k++)
    {
      const GbExplanation *e = g_ptr_array_index (run->explanations, k);
      g_test_message ("%s: one piece %.6g, description: %s", e->method, e->rows[0].values[0],
                      e->description);
      g_assert_cmpuint (e->n_rows, ==, 3);
      assert_padding_zero (fx, e);
      g_assert_cmpuint (g_strv_length (e->rows[0].tokens), ==, 1);
      g_assert_cmpuint (g_strv_length (e->rows[1].tokens), ==, 0);
      g_assert_cmpuint (g_strv_length (e->rows[2].tokens), >=, 2);
      for (gsize i = 0; i < 3; i++)
        {
          g_assert_cmpuint (e->rows[i].row, ==, rows[i]);
          g_assert_true (isfinite (e->rows[i].prediction));
          for (guint j = 0; j < e->n_units; j++)
            g_assert_true (isfinite (e->rows[i].values[j]));
        }
      g_assert_cmpfloat (fabs (e->rows[0].prediction - ref[0]), <, 1e-5);
      g_assert_cmpfloat (fabs (e->rows[1].prediction - ref[2]), <, 1e-5);
      for (guint q = 0; q <= e->n_units; q++)
        g_assert_true (isfinite (e->deletion_curve[q]) && isfinite (e->insertion_curve[q]));
      g_assert_true (isfinite (e->deletion_aopc) && isfinite (e->insertion_aopc));
      for (guint j = 0; j < e->n_units; j++)
        g_assert_true (isfinite (e->global[j]));
      /* the row without pieces is named; the description is the widest row's */
      g_assert_nonnull (strstr (e->description, "Row 801 has no word pieces"));
      g_assert_null (strstr (e->description, "one feature or token"));
      g_assert_null (strstr (e->description, "no tokens to explain"));
    }
  const GbExplanation *ks = gb_explain_run_lookup (run, "kernel_shap");
  g_assert_cmpfloat (fabs (ks->rows[0].base_value - ref[1]), <, 1e-5);
  g_assert_cmpfloat (fabs (ks->rows[0].values[0] - (ref[0] - ref[1])), <, 1e-5);
  g_assert_cmpfloat (ks->rows[0].completeness_residual, <, 1e-12);
  g_assert_null (ks->rows[0].std_errors);
  g_assert_cmpfloat (fabs (ks->rows[1].base_value - ref[2]), <, 1e-5);
  g_assert_cmpfloat (ks->rows[1].completeness_residual, ==, 0.0);
  g_assert_true (ks->exact);
  /* occlusion of the only piece is the same difference */
  const GbExplanation *oc = gb_explain_run_lookup (run, "occlusion");
  g_assert_cmpfloat (fabs (oc->rows[0].values[0] - ks->rows[0].values[0]), <, 1e-12);
  /* integrated gradients: complete on the one-piece row, nothing on the empty one */
  g_assert_nonnull (run->ig);
  g_assert_cmpfloat (run->ig->rows[0].completeness_residual, <, 1e-4);
  g_assert_cmpfloat (run->ig->rows[1].completeness_residual, <, 1e-12);
}

/* The audit (gb_audit_run) of a CSV whose explained rows include "Yup" and
 * an empty text, every method on: it succeeds, explains those rows, and
 * its JSON and PDF are written with no NaN or infinity in the JSON. */
static void
test_single_piece_audit (void)
{
  g_autofree char *csv = NULL;
  g_autoptr(GbDataset) unused = load_sms_extra (FALSE, ONE_WORD_ROWS, &csv);
  g_autofree char *dir = g_dir_make_tmp ("gb-one-piece-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sms-one.csv", NULL);
  g_autofree char *pdf = g_build_filename (dir, "sms-one.pdf", NULL);
  g_autoptr(GError) error = NULL;
  const gsize rows[3] = { 800, 801, 3 };

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  s->csv_path = g_strdup (path);
  s->target = g_strdup ("label");
  gb_audit_use_text (audit, "text");
  s->model.n_layers = 1;
  s->model.d_model = 16;
  s->model.n_heads = 2;
  s->model.max_length = MAX_LEN;
  s->train.epochs = 1;
  s->train.n_threads = 1;
  s->bootstrap = 0;
  s->explainers = g_strsplit (all_methods, ",", -1);
  s->explain_row_ids = g_memdup2 (rows, sizeof rows);
  s->n_explain_row_ids = 3;
  g_assert_true (gb_audit_run (audit, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  const GbAuditResults *r = gb_audit_get_results (audit);
  g_assert_nonnull (r->explanations);
  g_assert_cmpuint (r->explanations->len, ==, 6);
  for (guint k = 0; k < r->explanations->len; k++)
    {
      const GbExplanation *e = g_ptr_array_index (r->explanations, k);
      g_assert_cmpuint (e->n_rows, ==, 3);
      g_assert_cmpuint (e->rows[0].row, ==, 800);
      g_assert_cmpuint (g_strv_length (e->rows[0].tokens), ==, 1);
      g_assert_true (isfinite (e->rows[0].values[0]));
      g_assert_cmpuint (e->rows[1].row, ==, 801);
      g_assert_cmpuint (g_strv_length (e->rows[1].tokens), ==, 0);
    }
  g_autofree char *json = gb_audit_to_json (audit);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  g_autofree char *lower = g_ascii_strdown (json, -1);
  g_assert_null (strstr (lower, "nan,"));
  g_assert_null (strstr (lower, ": nan"));
  g_assert_null (strstr (lower, "inf,"));
  g_assert_true (gb_audit_write_pdf (audit, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_unlink (pdf);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  setup (&text_only, FALSE);
  setup (&mixed, TRUE);
  g_test_add_func ("/explain-text/ig-baselines", test_ig_text);
  g_test_add_func ("/explain-text/ig-baselines-mixed", test_ig_mixed);
  g_test_add_func ("/explain-text/kernel-shap-exact", test_kernel_shap_text);
  g_test_add_func ("/explain-text/kernel-shap-mixed", test_kernel_shap_mixed);
  g_test_add_func ("/explain-text/padding", test_padding);
  g_test_add_func ("/explain-text/rollout", test_rollout);
  g_test_add_func ("/explain-text/lime-text-linear", test_lime_text_linear);
  g_test_add_func ("/explain-text/expected-gradients-linear", test_expected_gradients_linear);
  g_test_add_func ("/explain-text/tabular-baselines", test_tabular_baselines);
  g_test_add_func ("/explain-text/text-global", test_text_global);
  g_test_add_func ("/explain-text/single-piece", test_single_piece);
  g_test_add_func ("/explain-text/single-piece-audit", test_single_piece_audit);
  int rc = g_test_run ();
  for (guint k = 0; k < 2; k++)
    {
      Fixture *fx = k ? &mixed : &text_only;
      g_object_unref (fx->model);
      g_object_unref (fx->ds);
      g_object_unref (fx->tok);
      g_free (fx->train);
    }
  return rc;
}
