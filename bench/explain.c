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
 * Text models (a 64-token Symptom2Disease row) are not benchmarked yet:
 * the transformer has no text input.  Nothing here is run by the tests. */
#include "gb-config.h"
#include "glassbox-engine.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

static int opt_rows = 4, opt_background = 100, opt_exact_rows = 1, opt_epochs = 1, opt_threads = 1;

static GOptionEntry entries[] = {
  { "rows", 0, 0, G_OPTION_ARG_INT, &opt_rows, "Held-out rows explained per method (default 4)", "N" },
  { "background", 0, 0, G_OPTION_ARG_INT, &opt_background, "k-means background rows (default 100)", "N" },
  { "exact-rows", 0, 0, G_OPTION_ARG_INT, &opt_exact_rows, "Rows explained by exact KernelSHAP (default 1; 0 = skip)", "N" },
  { "epochs", 0, 0, G_OPTION_ARG_INT, &opt_epochs, "Training epochs (default 1)", "N" },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads, "OpenBLAS threads (default 1)", "N" },
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
  return 0;
}
