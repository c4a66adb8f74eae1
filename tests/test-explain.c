/* test-explain.c — integrated gradients, KernelSHAP and every method through
 * gb_explain_run() on a transformer trained on Adult. */
#include "gb-config.h"
#include "glassbox-engine.h"

#include <math.h>
#include <string.h>

static GbDataset *ds;
static GbModel *model;
static gsize test_rows[24];
static const gsize n_test_rows = G_N_ELEMENTS (test_rows);

/* Trains the default architecture for 3 epochs on the first 6000 rows of
 * the bundled Adult data (every column but the target is a feature). */
static void
setup_model (void)
{
  const char *src = g_getenv ("GB_SOURCE_DIR");
  g_autofree char *path = g_build_filename (src ? src : GB_SOURCE_DIR, "data", "examples",
                                            "adult", "adult.csv", NULL);
  g_autofree char *text = NULL;
  gsize len;
  GError *error = NULL;

  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  char *p = text;
  for (guint i = 0; i <= 6000; i++)
    p = strchr (p, '\n') + 1;
  ds = gb_dataset_new_from_data (text, p - text, "adult-6000.csv", &error);
  g_assert_no_error (error);

  const gsize n = gb_dataset_get_n_rows (ds);
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new (guint8, n);
  g_autofree guint8 *train = g_new (guint8, n);
  g_assert_true (gb_dataset_eval_variable (ds, "income-per-year", ">50K", y, &error));
  gb_split_stratified (y, n, 0.3, 42, split);
  for (gsize i = 0; i < n; i++)
    train[i] = split[i] == 0;

  g_autoptr(GPtrArray) features = g_ptr_array_new ();
  for (guint j = 0; j < gb_dataset_get_n_columns (ds); j++)
    if (strcmp (gb_dataset_get_column (ds, j)->name, "income-per-year") != 0)
      g_ptr_array_add (features, gb_dataset_get_column (ds, j)->name);

  model = gb_model_new_tabular (ds, (const char *const *) features->pdata, features->len, train,
                                2, NULL, 42, &error);
  g_assert_no_error (error);
  GbTrainConfig cfg;
  gb_train_config_init_default (&cfg);
  cfg.epochs = 3;
  cfg.n_threads = 1;
  g_assert_true (gb_model_train (model, ds, y, split, &cfg, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  for (gsize i = 0, k = 0; i < n && k < n_test_rows; i++)
    if (split[i] == 1)
      test_rows[k++] = i;
}

static GbIgOptions
options (GbIgRule rule, guint steps, guint max_steps)
{
  GbIgOptions o;
  gb_ig_options_init_default (&o);
  o.rule = rule;
  o.steps = steps;
  o.max_steps = max_steps;
  return o;
}

/* Completeness (Sundararajan et al. 2017, Prop. 1) with the default steps
 * and rule (32 Gauss–Legendre nodes) and refinement switched off:
 * |Σ attributions − (f(x) − f(x′))| ≤ 1 % of |f(x) − f(x′)| on every row. */
static void
test_completeness_default_steps (void)
{
  GError *error = NULL;
  GbIgOptions o;
  gb_ig_options_init_default (&o);
  o.max_steps = o.steps;   /* no refinement: the default steps must suffice */
  g_autoptr(GbIgResult) ig = gb_integrated_gradients (model, ds, test_rows, n_test_rows, 1, &o,
                                                      NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  double worst = 0;
  for (gsize i = 0; i < ig->n_rows; i++)
    {
      const GbIgRow *r = &ig->rows[i];
      const double delta = fabs (r->prediction - r->baseline_prediction);
      g_assert_cmpuint (r->steps, ==, 32);
      g_assert_cmpfloat (r->completeness_residual, <=, MAX (0.01 * delta, 1e-6));
      worst = MAX (worst, r->completeness_residual / MAX (delta, 1e-12));
    }
  g_test_message ("worst relative completeness residual, 32 Gauss-Legendre nodes: %.2e", worst);
}

/* For the same number of gradient evaluations Gauss–Legendre is at least as
 * accurate as the trapezoid rule on every row (and usually far better). */
static void
test_gauss_legendre_beats_trapezoid (void)
{
  GError *error = NULL;
  GbIgOptions gl = options (GB_IG_RULE_GAUSS_LEGENDRE, 16, 16);
  GbIgOptions tr = options (GB_IG_RULE_TRAPEZOID, 17, 17);   /* 18 points each */
  g_autoptr(GbIgResult) a = gb_integrated_gradients (model, ds, test_rows, n_test_rows, 1, &gl,
                                                     NULL, NULL, NULL, &error);
  g_autoptr(GbIgResult) b = gb_integrated_gradients (model, ds, test_rows, n_test_rows, 1, &tr,
                                                     NULL, NULL, NULL, &error);
  double sa = 0, sb = 0;
  for (gsize i = 0; i < n_test_rows; i++)
    {
      sa += a->rows[i].completeness_residual;
      sb += b->rows[i].completeness_residual;
    }
  g_test_message ("mean residual with 18 evaluations: Gauss-Legendre %.2e, trapezoid %.2e",
                  sa / n_test_rows, sb / n_test_rows);
  g_assert_cmpfloat (sa, <=, sb);
}

/* f(x) and f(x′) reported by IG equal the model's own forward pass. */
static void
test_endpoints_match_forward (void)
{
  GError *error = NULL;
  const guint T = gb_model_get_seq_len (model), C = gb_model_get_d_model (model);
  g_autoptr(GbIgResult) ig = gb_integrated_gradients (model, ds, test_rows, 4, 1, NULL,
                                                      NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autofree double *proba = g_new (double, 4 * 2);
  g_assert_true (gb_model_predict_proba (model, ds, test_rows, 4, proba, NULL, &error));
  g_autofree float *emb = g_new (float, (gsize) T * C);
  float probs[2];
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpfloat (fabs (ig->rows[i].prediction - proba[i * 2 + 1]), <, 1e-5);
      gb_model_embed_rows (model, ds, &test_rows[i], 1, emb);
      memset (emb + C, 0, (gsize) (T - 1) * C * sizeof (float));
      gb_model_forward_embedded (model, emb, 1, probs);
      g_assert_cmpfloat (fabs (ig->rows[i].baseline_prediction - probs[1]), <, 1e-6);
    }
}

/* With m = 1 the trapezoid rule is (x − x′)·(∇f(x′) + ∇f(x))/2, computed here
 * directly from two gradient evaluations. */
static void
test_single_step_trapezoid (void)
{
  const guint T = gb_model_get_seq_len (model), C = gb_model_get_d_model (model);
  const guint F = gb_model_get_n_features (model);
  GError *error = NULL;

  /* steps = 1 may be refined; compare against the row's recorded steps */
  GbIgOptions o = options (GB_IG_RULE_TRAPEZOID, 1, 1024);
  g_autoptr(GbIgResult) ig = gb_integrated_gradients (model, ds, test_rows, 1, 1, &o,
                                                      NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  const guint m = ig->rows[0].steps;
  g_autofree float *x = g_new (float, (gsize) T * C);
  g_autofree float *pts = g_new (float, (gsize) (m + 1) * T * C);
  g_autofree float *grad = g_new (float, (gsize) (m + 1) * T * C);
  g_autofree float *probs = g_new (float, (gsize) (m + 1) * 2);
  gb_model_embed_rows (model, ds, &test_rows[0], 1, x);
  for (guint k = 0; k <= m; k++)
    for (gsize i = 0; i < (gsize) T * C; i++)
      pts[k * T * C + i] = i < C ? x[i] : (float) k / m * x[i];
  gb_model_gradient_embedded (model, pts, m + 1, 1, probs, grad);
  for (guint f = 0; f < F; f++)
    {
      double a = 0;
      for (guint c = 0; c < C; c++)
        {
          const gsize off = (gsize) (f + 1) * C + c;
          double g = 0.5 * (grad[off] + grad[(gsize) m * T * C + off]);
          for (guint k = 1; k < m; k++)
            g += grad[(gsize) k * T * C + off];
          a += x[off] * g / m;
        }
      g_assert_cmpfloat (fabs (a - ig->rows[0].attributions[f]), <, 1e-6);
    }
}

/* Refinement: asking for 2 steps still ends within the tolerance (doubling),
 * and more steps never make completeness worse by much. */
static void
test_refinement (void)
{
  GError *error = NULL;
  GbIgOptions oc = options (GB_IG_RULE_TRAPEZOID, 2, 1024);
  g_autoptr(GbIgResult) coarse = gb_integrated_gradients (model, ds, test_rows, 8, 1, &oc,
                                                          NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < coarse->n_rows; i++)
    {
      const GbIgRow *r = &coarse->rows[i];
      const double delta = fabs (r->prediction - r->baseline_prediction);
      g_assert_true (r->completeness_residual <= MAX (0.01 * delta, 1e-6) || r->steps == 1024);
      g_assert_cmpuint (r->steps, >=, 2);
    }
  GbIgOptions of = options (GB_IG_RULE_GAUSS_LEGENDRE, 256, 256);
  g_autoptr(GbIgResult) fine = gb_integrated_gradients (model, ds, test_rows, 8, 1, &of,
                                                        NULL, NULL, NULL, &error);
  for (gsize i = 0; i < fine->n_rows; i++)
    {
      const GbIgRow *r = &fine->rows[i];
      g_assert_cmpfloat (r->completeness_residual, <=,
                         MAX (1e-3 * fabs (r->prediction - r->baseline_prediction), 1e-5));
      /* global importance is the mean |attribution| */
    }
  for (guint f = 0; f < fine->n_features; f++)
    {
      double m = 0;
      for (gsize i = 0; i < fine->n_rows; i++)
        m += fabs (fine->rows[i].attributions[f]);
      g_assert_cmpfloat (fabs (m / fine->n_rows - fine->global[f]), <, 1e-12);
    }
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) c = g_cancellable_new ();
  GError *error = NULL;
  g_cancellable_cancel (c);
  GbIgResult *ig = gb_integrated_gradients (model, ds, test_rows, 4, 1, NULL, c, NULL, NULL, &error);
  g_assert_null (ig);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_error_free (error);
}

static void
test_bad_class (void)
{
  GError *error = NULL;
  GbIgResult *ig = gb_integrated_gradients (model, ds, test_rows, 1, 5, NULL, NULL, NULL, NULL, &error);
  g_assert_null (ig);
  g_assert_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_error_free (error);
}

/* KernelSHAP on the Adult transformer (14 features): exact mode enumerates
 * all 2^14 − 2 coalitions and is additive to 1e-6; sampled mode agrees with
 * it within a few of its own standard errors. */
static void
test_kernel_shap_adult (void)
{
  GbExplainTarget t;
  GError *error = NULL;
  gb_explain_target_init_model (&t, model, 1);
  const gsize TC = (gsize) t.T * t.C;
  gsize pool_rows[200];
  for (gsize i = 0; i < 200; i++)
    pool_rows[i] = i;
  g_autofree float *pool = g_new (float, 200 * TC);
  g_autofree float *x = g_new (float, TC);
  gb_model_embed_rows (model, ds, pool_rows, 200, pool);
  gb_model_embed_rows (model, ds, test_rows, 1, x);
  g_autoptr(GbBackground) bg = gb_background_kmeans (pool, pool_rows, 200, t.T, t.C, 1, 3, 1);

  g_autoptr(GbExplanation) ex = gb_kernel_shap (&t, x, test_rows, 1, bg, NULL, NULL, NULL, NULL,
                                                NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ex->exact);
  g_assert_cmpuint (ex->rows[0].steps, ==, (1u << 14) - 2);
  g_assert_cmpfloat (ex->rows[0].completeness_residual, <=, 1e-6);

  GbKernelShapOptions o;
  gb_kernel_shap_options_init_default (&o);
  o.mode = GB_KERNEL_SHAP_SAMPLED;
  o.n_samples = 2048;
  g_autoptr(GbExplanation) es = gb_kernel_shap (&t, x, test_rows, 1, bg, NULL, &o, NULL, NULL,
                                                NULL, &error);
  g_assert_no_error (error);
  guint within = 0;
  for (guint j = 0; j < 14; j++)
    within += fabs (es->rows[0].values[j] - ex->rows[0].values[j]) <= 3 * es->rows[0].std_errors[j] + 1e-9;
  g_test_message ("sampled KernelSHAP within 3 SE of exact for %u of 14 features", within);
  g_assert_cmpuint (within, >=, 12);
}

/* Every method through gb_explain_run on the Adult model: rows, finite
 * values, faithfulness for each, and integrated gradients kept as GbIgResult. */
static void
test_explain_run_adult (void)
{
  GError *error = NULL;
  GbExplainSettings s;
  gb_explain_settings_init_default (&s);
  s.methods = g_strsplit ("integrated_gradients,kernel_shap,lime,gradient_input,occlusion", ",", -1);
  s.background_size = 5;
  s.background_pool = 300;
  s.shap.max_exact_units = 9;
  s.shap.n_samples = 256;
  s.lime.n_samples = 500;
  s.lime.n_seeds = 2;
  gsize pool[300];
  for (gsize i = 0; i < 300; i++)
    pool[i] = i;
  g_autoptr(GbExplainRun) run = gb_explain_run (model, ds, test_rows, 4, pool, 300, &s, NULL,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run->ig);
  g_assert_cmpuint (run->explanations->len, ==, 5);
  for (guint k = 0; k < run->explanations->len; k++)
    {
      const GbExplanation *e = g_ptr_array_index (run->explanations, k);
      g_assert_cmpstr (e->method, ==, s.methods[k]);
      g_assert_cmpuint (e->n_rows, ==, 4);
      g_assert_cmpuint (e->n_units, ==, 14);
      g_assert_true (isfinite (e->deletion_aopc) && isfinite (e->insertion_aopc));
      for (gsize i = 0; i < 4; i++)
        {
          g_assert_cmpuint (e->rows[i].row, ==, test_rows[i]);
          for (guint j = 0; j < 14; j++)
            g_assert_true (isfinite (e->rows[i].values[j]));
        }
      g_test_message ("%s: deletion AOPC %.4f, insertion AOPC %.4f", e->method,
                      e->deletion_aopc, e->insertion_aopc);
    }
  const GbExplanation *shap = gb_explain_run_lookup (run, "kernel_shap");
  g_assert_nonnull (shap->rows[0].std_errors);
  g_assert_cmpfloat (shap->rows[0].completeness_residual, <=, 1e-6);
  /* KernelSHAP's φ₀ is the background's weighted mean prediction */
  double m = 0;
  g_autofree double *p = g_new (double, run->background->n);
  GbExplainTarget t;
  gb_explain_target_init_model (&t, model, 1);
  gb_explain_target_forward (&t, run->background->emb, run->background->n, p);
  for (gsize b = 0; b < run->background->n; b++)
    m += run->background->weights[b] * p[b];
  g_assert_cmpfloat (fabs (m - shap->rows[0].base_value), <, 1e-6);
  const GbExplanation *lime = gb_explain_run_lookup (run, "lime");
  g_assert_true (lime->stability >= 0 && lime->stability <= 1);
  g_strfreev (s.methods);
  s.methods = NULL;

  /* an unknown method is an error naming it */
  s.methods = g_strsplit ("kernel_shap,shapley_magic", ",", -1);
  GbExplainRun *bad = gb_explain_run (model, ds, test_rows, 1, pool, 300, &s, NULL, NULL, NULL,
                                      &error);
  g_assert_null (bad);
  g_assert_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "shapley_magic"));
  g_clear_error (&error);
  gb_explain_settings_clear (&s);
}

/* Attention rollout through gb_explain_run(): unit j of a row is R[0, j+1]
 * of the rollout of the model's own attention maps, shares are in [0, 1]
 * and, with R[0, 0], sum to 1 (rollout rows sum to 1). */
static void
test_attention_rollout_run (void)
{
  GbExplainSettings s;
  GError *error = NULL;
  gsize pool[300];
  for (gsize i = 0; i < G_N_ELEMENTS (pool); i++)
    pool[i] = i;
  gb_explain_settings_init_default (&s);
  s.methods = g_strsplit ("attention_rollout", ",", -1);
  g_autoptr(GbExplainRun) run = gb_explain_run (model, ds, test_rows, 4, pool, 300, &s, NULL,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  const GbExplanation *e = gb_explain_run_lookup (run, "attention_rollout");
  g_assert_nonnull (e);
  const guint T = gb_model_get_seq_len (model), C = gb_model_get_d_model (model);
  const guint L = gb_model_get_config (model)->n_layers, H = gb_model_get_config (model)->n_heads;
  const guint M = gb_model_get_n_features (model);
  g_autofree float *emb = g_new (float, 4 * T * C);
  g_autofree float *att = g_new (float, (gsize) 4 * L * H * T * T);
  g_autofree float *probs = g_new (float, 4 * 2);
  g_autofree double *R = g_new (double, (gsize) T * T);
  gb_model_embed_rows (model, ds, test_rows, 4, emb);
  gb_model_attention_embedded (model, emb, NULL, 4, att, probs);
  for (guint r = 0; r < 4; r++)
    {
      double sum = 0;
      gb_attention_rollout (att + (gsize) r * L * H * T * T, L, H, T, 0.5, R);
      g_assert_cmpuint (e->rows[r].row, ==, test_rows[r]);
      g_assert_cmpfloat_with_epsilon (e->rows[r].prediction, probs[r * 2 + 1], 1e-7);
      for (guint j = 0; j < M; j++)
        {
          g_assert_cmpfloat (e->rows[r].values[j], >=, 0.0);
          g_assert_cmpfloat_with_epsilon (e->rows[r].values[j], R[j + 1], 1e-12);
          sum += e->rows[r].values[j];
        }
      g_assert_cmpfloat_with_epsilon (sum + R[0], 1.0, 1e-9);
      if (r == 0)
        g_test_message ("attention rollout of row %" G_GSIZE_FORMAT ": [CLS] keeps %.3f, the %u "
                        "features share %.3f", test_rows[0], R[0], M, sum);
    }
  g_assert_true (isfinite (e->deletion_aopc) && isfinite (e->insertion_aopc));
  gb_explain_settings_clear (&s);
}

/* A synthetic table whose label depends on a categorical feature: P(y = 1)
 * is 0.85 when color = red and 0.15 otherwise (x1 adds a little; x2 and coin
 * are independent of everything). */
static GbDataset *
planted_dataset (gsize n, guint64 seed)
{
  GString *csv = g_string_new ("x1,x2,color,coin,label\n");
  GRand *rng = g_rand_new_with_seed ((guint32) seed);
  GError *error = NULL;
  for (gsize i = 0; i < n; i++)
    {
      double x1 = g_rand_double_range (rng, -1, 1), x2 = g_rand_double_range (rng, -1, 1);
      gboolean red = g_rand_boolean (rng), heads = g_rand_boolean (rng);
      double p = (red ? 0.85 : 0.15) + 0.05 * x1;
      char b1[G_ASCII_DTOSTR_BUF_SIZE], b2[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (csv, "%s,%s,%s,%s,%d\n", g_ascii_formatd (b1, sizeof b1, "%.4f", x1),
                              g_ascii_formatd (b2, sizeof b2, "%.4f", x2), red ? "red" : "blue",
                              heads ? "heads" : "tails", g_rand_double (rng) < p);
    }
  g_rand_free (rng);
  GbDataset *d = gb_dataset_new_from_data (csv->str, csv->len, "planted.csv", &error);
  g_assert_no_error (error);
  g_string_free (csv, TRUE);
  return d;
}

/* TCAV on a transformer trained on the planted table: the concept that
 * defines the label (color==red) scores near 1 for class 1 (and near 0 for
 * class 0) with p < 0.05; a random concept (coin==heads, rows drawn at
 * random: coin is not an input of the model) is not significant. */
static void
test_tcav_planted_model (void)
{
  g_autoptr(GbDataset) pd = planted_dataset (3000, 5);
  const gsize n = gb_dataset_get_n_rows (pd);
  GError *error = NULL;
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new (guint8, n);
  g_autofree guint8 *train = g_new (guint8, n);
  g_assert_true (gb_dataset_eval_variable (pd, "label", NULL, y, &error));
  gb_split_stratified (y, n, 0.3, 42, split);
  g_autoptr(GArray) pool = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    {
      train[i] = split[i] == 0;
      g_array_append_val (split[i] == 0 ? pool : held, i);
    }
  /* coin is not a model input: its rows are a random subset, a random concept */
  const char *features[] = { "x1", "x2", "color" };
  GbTransformerConfig mc = { 2, 16, 2, 32 };
  g_autoptr(GbModel) m = gb_model_new_tabular (pd, features, 3, train, 2, &mc, 3, &error);
  g_assert_no_error (error);
  GbTrainConfig tc;
  gb_train_config_init_default (&tc);
  tc.epochs = 6;
  tc.batch_size = 64;
  tc.n_threads = 1;
  g_assert_true (gb_model_train (m, pd, y, split, &tc, NULL, NULL, NULL, &error));

  GbTcavOptions o;
  gb_tcav_options_init_default (&o);
  g_autoptr(GPtrArray) planted = gb_tcav_model (m, pd, "color==red", (gsize *) pool->data,
                                                pool->len, (gsize *) held->data, held->len, y,
                                                &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (planted->len, ==, 2);
  const GbTcavResult *c1 = g_ptr_array_index (planted, 1), *c0 = g_ptr_array_index (planted, 0);
  g_test_message ("color==red (planted), layer 2: class 1 TCAV %.3f (random %.3f), p = %.2e; "
                  "class 0 TCAV %.3f, p = %.2e", c1->score, c1->random_score, c1->p_value,
                  c0->score, c0->p_value);
  g_assert_cmpuint (c1->n_runs, ==, 20);
  g_assert_cmpfloat (c1->score, >=, 0.9);
  g_assert_cmpfloat (c1->p_value, <, 0.05);
  g_assert_true (c1->significant);
  g_assert_cmpfloat (c0->score, <=, 0.1);
  g_assert_true (c0->significant);

  /* the first block too */
  o.layer = 0;
  g_autoptr(GPtrArray) first = gb_tcav_model (m, pd, "color==red", (gsize *) pool->data,
                                              pool->len, (gsize *) held->data, held->len, y, &o,
                                              NULL, &error);
  g_assert_no_error (error);
  c1 = g_ptr_array_index (first, 1);
  g_test_message ("color==red, layer 1: class 1 TCAV %.3f, p = %.2e", c1->score, c1->p_value);
  g_assert_cmpfloat (c1->score, >=, 0.9);
  g_assert_true (c1->significant);

  /* the random concept, over ten seeds of the random sets */
  guint not_sig = 0;
  o.layer = G_MAXUINT;
  for (guint s = 0; s < 10; s++)
    {
      o.seed = 100 + s;
      g_autoptr(GPtrArray) coin = gb_tcav_model (m, pd, "coin==heads", (gsize *) pool->data,
                                                 pool->len, (gsize *) held->data, held->len, y,
                                                 &o, NULL, &error);
      g_assert_no_error (error);
      const GbTcavResult *r1 = g_ptr_array_index (coin, 1);
      if (s == 0)
        {
          g_test_message ("coin==heads (random), seed 100: class 1 TCAV %.3f (random %.3f), "
                          "p = %.3f", r1->score, r1->random_score, r1->p_value);
          g_assert_cmpfloat (r1->p_value, >, 0.05);
          g_assert_false (r1->significant);
        }
      not_sig += !r1->significant;
    }
  g_test_message ("coin==heads not significant for class 1 in %u of 10 seeds", not_sig);
  g_assert_cmpuint (not_sig, >=, 8);

  /* a bad condition is an error naming it */
  g_assert_null (gb_tcav_model (m, pd, "colour==red", (gsize *) pool->data, pool->len,
                                (gsize *) held->data, held->len, y, &o, NULL, &error));
  g_assert_error (error, GB_EXPLAIN_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "colour==red"));
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gb_set_blas_threads (1);
  setup_model ();
  g_test_add_func ("/engine/explain/integrated-gradients/completeness", test_completeness_default_steps);
  g_test_add_func ("/engine/explain/integrated-gradients/gauss-legendre-vs-trapezoid",
                   test_gauss_legendre_beats_trapezoid);
  g_test_add_func ("/engine/explain/integrated-gradients/endpoints", test_endpoints_match_forward);
  g_test_add_func ("/engine/explain/integrated-gradients/trapezoid", test_single_step_trapezoid);
  g_test_add_func ("/engine/explain/integrated-gradients/refinement", test_refinement);
  g_test_add_func ("/engine/explain/integrated-gradients/cancel", test_cancel);
  g_test_add_func ("/engine/explain/integrated-gradients/bad-class", test_bad_class);
  g_test_add_func ("/engine/explain/kernel-shap/adult", test_kernel_shap_adult);
  g_test_add_func ("/engine/explain/run/adult", test_explain_run_adult);
  g_test_add_func ("/engine/explain/attention-rollout/run", test_attention_rollout_run);
  g_test_add_func ("/engine/explain/tcav/planted-model", test_tcav_planted_model);
  int rc = g_test_run ();
  g_clear_object (&model);
  g_clear_object (&ds);
  return rc;
}
