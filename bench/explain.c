/* explain.c — per-row cost of every explainer on the Adult transformer and
 * its overhead against the raw batched forward pass, measured in the same
 * run.
 *
 *   bench/explain [--rows N] [--background N] [--exact-rows N] [--epochs N] [--threads N]
 *
 * Trains the default architecture on the bundled Adult data (14 features;
 * --epochs, default 1), builds a k-means background of --background rows
 * (default 100, the setting) from the training rows, explains
 * --rows held-out rows (default 4) with integrated gradients, KernelSHAP
 * (sampled, 2048 paired coalitions), LIME (5000 samples, one seed),
 * gradient × input and occlusion, and --exact-rows rows (default 1) with
 * exact KernelSHAP (2^14 − 2 coalitions × the background).  For each
 * method it prints seconds per row, model rows evaluated per second, and
 * that rate divided by the raw throughput of gb_model_forward_embedded()
 * on 4096-row batches (the explainer's overhead; 1 = none; gradient-based
 * methods are compared with gb_model_gradient_embedded() instead).
 * Then the same for text: a text transformer (max length 64, the default
 * architecture, a word-level vocabulary of the training rows) trained on
 * Symptom2Disease, its --rows longest held-out rows explained one row at
 * a time with the row's attention mask (gb-explain-text.h): integrated
 * gradients from the [MASK] baseline, sampled KernelSHAP and occlusion
 * with absent tokens as [MASK], LIME's word-removal sampler, gradient ×
 * input and attention rollout; raw throughput is measured on 4096 copies
 * of a 64-token row with its mask.  --text-only skips Adult.  Nothing here
 * is run by the tests. */
#include "gb-config.h"
#include "glassbox-engine.h"
#include "gb-explain-text.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int opt_rows = 4, opt_background = 100, opt_exact_rows = 1, opt_epochs = 1, opt_threads = 1;
static gboolean opt_text_only;

static GOptionEntry entries[] = {
  { "rows", 0, 0, G_OPTION_ARG_INT, &opt_rows, "Held-out rows explained per method (default 4)", "N" },
  { "background", 0, 0, G_OPTION_ARG_INT, &opt_background, "k-means background rows (default 100)", "N" },
  { "exact-rows", 0, 0, G_OPTION_ARG_INT, &opt_exact_rows, "Rows explained by exact KernelSHAP (default 1; 0 = skip)", "N" },
  { "epochs", 0, 0, G_OPTION_ARG_INT, &opt_epochs, "Training epochs (default 1)", "N" },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads, "OpenBLAS threads (default 1)", "N" },
  { "text-only", 0, 0, G_OPTION_ARG_NONE, &opt_text_only, "Only the Symptom2Disease text model", NULL },
  { NULL }
};

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static void
report (const char *name, double seconds, gsize rows, gsize evals, double raw)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];
  const double rate = evals / seconds;
  printf ("%-28s %12s s/row %14s rows/s  overhead ratio %s\n", name,
          g_ascii_formatd (a, sizeof a, "%.4f", seconds / rows),
          g_ascii_formatd (b, sizeof b, "%.0f", rate),
          g_ascii_formatd (c, sizeof c, "%.3f", rate / raw));
}

/* Raw forward and forward+backward rows/s of @t on 4096 (512) copies of @x. */
static void
raw_throughput (const GbExplainTarget *t, const float *x, double *raw, double *raw_grad)
{
  const gsize TC = (gsize) t->T * t->C, B = 4096;
  g_autofree float *batch = g_new (float, B * TC);
  g_autofree double *out = g_new (double, B);
  g_autofree float *grad = g_new (float, 512 * TC);
  double t0;
  int reps = 0;

  for (gsize i = 0; i < B; i++)
    memcpy (batch + i * TC, x, TC * sizeof (float));
  t0 = now ();
  do
    {
      gb_explain_target_forward (t, batch, B, out);
      reps++;
    }
  while (now () - t0 < 2.0);
  *raw = reps * B / (now () - t0);
  t0 = now ();
  reps = 0;
  do
    {
      t->gradient (t, batch, 512, out, grad);
      reps++;
    }
  while (now () - t0 < 2.0);
  *raw_grad = reps * 512 / (now () - t0);
}

/* The text benchmark (see the top of the file). */
static int
bench_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (gb_examples_dir (), "symptom2disease",
                                            "Symptom2Disease.csv", NULL);
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
  if (ds == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  const gsize n = gb_dataset_get_n_rows (ds);
  const GbColumn *lab = gb_dataset_get_column (ds, gb_dataset_find_column (ds, "label"));
  const GbColumn *txt = gb_dataset_get_column (ds, gb_dataset_find_column (ds, "text"));
  const guint K = lab->levels->len;
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new (guint8, n);
  g_autofree const char **texts = g_new0 (const char *, n);
  gsize nt = 0;
  for (gsize r = 0; r < n; r++)
    y[r] = lab->codes[r] >= 0 ? lab->codes[r] : NAN;
  gb_split_stratified (y, n, 0.3, 42, split);
  for (gsize r = 0; r < n; r++)
    if (split[r] == 0)
      texts[nt++] = txt->text ? txt->text[r] : g_ptr_array_index (txt->levels, txt->codes[r]);
  g_autoptr(GbVocab) vocab = gb_vocab_build (texts, nt, 2, 20000, &error);
  g_autoptr(GbTokenizer) tok = vocab ? gb_tokenizer_new_from_tokens (gb_vocab_get_tokens (vocab),
                                                                     gb_vocab_get_size (vocab),
                                                                     &error) : NULL;
  if (tok == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  GbTransformerConfig mc;
  gb_transformer_config_init_default (&mc);
  mc.max_length = 64;
  mc.vocab_size = gb_vocab_get_size (vocab);
  g_autoptr(GbModel) model = gb_model_new_text (ds, "text", NULL, 0, NULL, K, &mc, 42, &error);
  GbTrainConfig tc;
  gb_train_config_init_default (&tc);
  tc.epochs = MAX (opt_epochs, 1);
  tc.batch_size = 64;
  tc.n_threads = MAX (opt_threads, 1);
  if (model != NULL)
    gb_model_use_tokenizer (model, tok);
  if (model == NULL || !gb_model_train (model, ds, y, split, &tc, NULL, NULL, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* the --rows held-out rows with the most word pieces */
  g_autoptr(GArray) test = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) pool = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    g_array_append_val (split[i] == 1 ? test : pool, i);
  g_autoptr(GbTextRows) all = gb_text_rows_new (model, ds, (gsize *) test->data, test->len, NULL,
                                                0, &error);
  if (all == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  const gsize R = MIN ((gsize) MAX (opt_rows, 1), test->len);
  g_autofree gsize *rows = g_new (gsize, R);
  {
    g_autofree gboolean *used = g_new0 (gboolean, test->len);
    for (gsize k = 0; k < R; k++)
      {
        gsize best = 0;
        guint most = 0;
        for (gsize i = 0; i < test->len; i++)
          if (!used[i] && all->n_tokens[i] >= most)
            most = all->n_tokens[i], best = i;
        used[best] = TRUE;
        rows[k] = g_array_index (test, gsize, best);
      }
  }
  g_autoptr(GbTextRows) tr = gb_text_rows_new (model, ds, rows, R, NULL, 0, &error);
  g_autoptr(GbBackground) tbg = gb_text_background (tr, NULL);
  GbExplainTarget t;
  gb_text_rows_target (tr, 0, model, 1, &t);
  double raw, raw_grad;
  raw_throughput (&t, tr->x, &raw, &raw_grad);
  guint tok_sum = 0;
  for (gsize i = 0; i < R; i++)
    tok_sum += tr->n_tokens[i];
  char a[G_ASCII_DTOSTR_BUF_SIZE], b2[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];
  printf ("\nSymptom2Disease text transformer: T = %u, C = %u, %u classes, %" G_GSIZE_FORMAT
          " rows of %s word pieces on average (+ [CLS], [SEP]), %d OpenBLAS thread(s)\n",
          t.T, t.C, K, R, g_ascii_formatd (c, sizeof c, "%.1f", (double) tok_sum / R),
          MAX (opt_threads, 1));
  printf ("raw forward %s rows/s, forward+backward %s rows/s (masked, 64 positions)\n",
          g_ascii_formatd (a, sizeof a, "%.0f", raw),
          g_ascii_formatd (b2, sizeof b2, "%.0f", raw_grad));

  static const char *const methods[] = { "integrated gradients ([MASK])", "KernelSHAP sampled (2048)",
                                         "LIME text (5000 samples)", "gradient x input",
                                         "occlusion ([MASK])", "attention rollout" };
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      double secs = 0;
      gsize ev = 0;
      for (gsize i = 0; i < R; i++)
        {
          const gsize TC = (gsize) tr->T * tr->C;
          const float *x = tr->x + i * TC;
          g_autofree const char **names = gb_text_rows_unit_names (tr, i, model);
          GbExplainTarget ti;
          g_autoptr(GbExplanation) e = NULL;
          gb_text_rows_target (tr, i, model, 1, &ti);
          double t0 = now ();
          if (m == 0)
            {
              g_autofree float *xb = g_new (float, TC);
              gb_text_rows_baseline (tr, i, GB_IG_BASELINE_MASK, xb, NULL);
              g_autoptr(GbIgResult) ig = gb_integrated_gradients_target (&ti, x, xb, &rows[i], 1,
                                                                         names, NULL, NULL, NULL,
                                                                         NULL, &error);
              ev += ig->rows[0].steps + 2;
            }
          else if (m == 1)
            {
              GbKernelShapOptions o;
              gb_kernel_shap_options_init_default (&o);
              o.mode = GB_KERNEL_SHAP_SAMPLED;
              o.n_samples = 2048;
              e = gb_kernel_shap (&ti, x, &rows[i], 1, tbg, names, &o, NULL, NULL, NULL, &error);
            }
          else if (m == 2)
            {
              GbLimeOptions o;
              gb_lime_options_init_default (&o);
              o.n_seeds = 1;
              e = gb_lime_text (&ti, x, rows[i], tbg->emb, names, &o, NULL, &error);
            }
          else if (m == 3)
            e = gb_gradient_input (&ti, x, &rows[i], 1, names, &error);
          else if (m == 4)
            e = gb_occlusion (&ti, x, &rows[i], 1, tbg, names, NULL, &error);
          else
            {
              const GbTransformerConfig *cfg = gb_model_get_config (model);
              g_autofree float *att = g_new (float, (gsize) cfg->n_layers * cfg->n_heads
                                                    * tr->T * tr->T);
              gb_model_attention_embedded (model, x, ti.mask, 1, att, NULL);
              e = gb_attention_rollout_explain (&ti, att, cfg->n_layers, cfg->n_heads, &rows[i],
                                                NULL, 1, names);
              e->n_evaluations = 1;
            }
          secs += now () - t0;
          if (e)
            ev += e->n_evaluations;
        }
      report (methods[m], secs, R, ev, m == 0 || m == 3 ? raw_grad : raw);
    }
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("— explainer cost on the Adult transformer");
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  gb_set_blas_threads (MAX (opt_threads, 1));
  if (opt_text_only)
    return bench_text ();
  g_autofree char *path = g_build_filename (gb_examples_dir (), "adult", "adult.csv", NULL);
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
  if (ds == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  const gsize n = gb_dataset_get_n_rows (ds);
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new (guint8, n);
  g_autofree guint8 *train = g_new (guint8, n);
  if (!gb_dataset_eval_variable (ds, "income-per-year", ">50K", y, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  gb_split_stratified (y, n, 0.3, 42, split);
  for (gsize i = 0; i < n; i++)
    train[i] = split[i] == 0;
  g_autoptr(GPtrArray) features = g_ptr_array_new ();
  for (guint j = 0; j < gb_dataset_get_n_columns (ds); j++)
    if (strcmp (gb_dataset_get_column (ds, j)->name, "income-per-year") != 0)
      g_ptr_array_add (features, gb_dataset_get_column (ds, j)->name);
  g_autoptr(GbModel) model = gb_model_new_tabular (ds, (const char *const *) features->pdata,
                                                   features->len, train, 2, NULL, 42, &error);
  GbTrainConfig tc;
  gb_train_config_init_default (&tc);
  tc.epochs = MAX (opt_epochs, 1);
  tc.n_threads = MAX (opt_threads, 1);
  if (model == NULL || !gb_model_train (model, ds, y, split, &tc, NULL, NULL, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  GbExplainTarget t;
  gb_explain_target_init_model (&t, model, 1);
  const gsize TC = (gsize) t.T * t.C;
  g_autoptr(GArray) test = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) pool = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    g_array_append_val (split[i] == 1 ? test : pool, i);
  const gsize R = MIN ((gsize) MAX (opt_rows, 1), test->len);
  const gsize *rows = (gsize *) test->data;
  const gsize n_cand = MIN (pool->len, (gsize) 2000);
  g_autofree float *cand = g_new (float, n_cand * TC);
  g_autofree float *x = g_new (float, R * TC);
  gb_model_embed_rows (model, ds, (gsize *) pool->data, n_cand, cand);
  gb_model_embed_rows (model, ds, rows, R, x);
  g_autoptr(GbBackground) bg = gb_background_kmeans (cand, (gsize *) pool->data, n_cand, t.T,
                                                     t.C, 1, opt_background, 42);
  const char **names = g_new0 (const char *, t.n_units + 1);
  for (guint j = 0; j < t.n_units; j++)
    names[j] = gb_model_get_feature_name (model, j);

  /* raw throughput: forward and forward+backward on 4096-row batches */
  const gsize B = 4096;
  g_autofree float *batch = g_new (float, B * TC);
  g_autofree double *out = g_new (double, B);
  g_autofree float *grad = g_new (float, B * TC);
  for (gsize i = 0; i < B; i++)
    memcpy (batch + i * TC, cand + (i % n_cand) * TC, TC * sizeof (float));
  double t0 = now ();
  int reps = 0;
  do
    {
      gb_explain_target_forward (&t, batch, B, out);
      reps++;
    }
  while (now () - t0 < 2.0);
  const double raw = reps * B / (now () - t0);
  t0 = now ();
  reps = 0;
  do
    {
      t.gradient (&t, batch, 512, out, grad);
      reps++;
    }
  while (now () - t0 < 2.0);
  const double raw_grad = reps * 512 / (now () - t0);
  char a[G_ASCII_DTOSTR_BUF_SIZE], b2[G_ASCII_DTOSTR_BUF_SIZE];
  printf ("Adult transformer: %u features, T = %u, C = %u, background %" G_GSIZE_FORMAT
          " rows (%s), %" G_GSIZE_FORMAT " rows per method, %d OpenBLAS thread(s)\n",
          t.n_units, t.T, t.C, bg->n, bg->description, R, MAX (opt_threads, 1));
  printf ("raw forward %s rows/s, forward+backward %s rows/s\n",
          g_ascii_formatd (a, sizeof a, "%.0f", raw), g_ascii_formatd (b2, sizeof b2, "%.0f", raw_grad));

  {
    t0 = now ();
    g_autoptr(GbIgResult) ig = gb_integrated_gradients_target (&t, x, NULL, rows, R, names, NULL,
                                                               NULL, NULL, NULL, &error);
    double s = now () - t0;
    gsize ev = 0;
    for (gsize i = 0; i < R; i++)
      ev += ig->rows[i].steps + 2;
    report ("integrated gradients", s, R, ev, raw_grad);
  }
  {
    GbKernelShapOptions o;
    gb_kernel_shap_options_init_default (&o);
    o.mode = GB_KERNEL_SHAP_SAMPLED;
    o.n_samples = 2048;
    t0 = now ();
    g_autoptr(GbExplanation) e = gb_kernel_shap (&t, x, rows, R, bg, names, &o, NULL, NULL, NULL,
                                                 &error);
    report ("KernelSHAP sampled (2048)", now () - t0, R, e->n_evaluations, raw);
  }
  if (opt_exact_rows > 0)
    {
      const gsize RE = MIN ((gsize) opt_exact_rows, R);
      t0 = now ();
      g_autoptr(GbExplanation) e = gb_kernel_shap (&t, x, rows, RE, bg, names, NULL, NULL, NULL,
                                                   NULL, &error);
      report ("KernelSHAP exact", now () - t0, RE, e->n_evaluations, raw);
    }
  {
    GbLimeOptions o;
    gb_lime_options_init_default (&o);
    o.n_seeds = 1;
    g_autofree gint32 *xb = g_new (gint32, R * t.n_units);
    g_autofree gint32 *pb = g_new (gint32, n_cand * t.n_units);
    gb_lime_quartile_bins (ds, names, t.n_units, (gsize *) pool->data, pool->len, rows, R, xb);
    gb_lime_quartile_bins (ds, names, t.n_units, (gsize *) pool->data, pool->len,
                           (gsize *) pool->data, n_cand, pb);
    t0 = now ();
    g_autoptr(GbExplanation) e = gb_lime (&t, x, xb, rows, R, cand, pb, n_cand, names, &o, NULL,
                                          NULL, NULL, &error);
    report ("LIME (5000 samples)", now () - t0, R, e->n_evaluations, raw);
  }
  {
    t0 = now ();
    g_autoptr(GbExplanation) e = gb_gradient_input (&t, x, rows, R, names, &error);
    report ("gradient x input", now () - t0, R, e->n_evaluations, raw_grad);
  }
  {
    t0 = now ();
    g_autoptr(GbExplanation) e = gb_occlusion (&t, x, rows, R, bg, names, NULL, &error);
    report ("occlusion", now () - t0, R, e->n_evaluations, raw);
  }
  g_free (names);
  return bench_text ();
}
