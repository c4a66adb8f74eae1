/* bench/transformer — Glassbox vs PyTorch (Debian's python3-torch, same
 * thread count, measured in the same run) on
 *   1. a BERT-base-shaped forward: 12 layers, d = 768, 12 heads, FFN 3072,
 *      batch 8 × 128 tokens, pooler (inference, no activation caching);
 *   2. one training step (forward, backward, AdamW) of the default tabular
 *      model (2 layers, d = 32, 4 heads, FFN 64) on 14 features, batch 256;
 * and the OpenBLAS sgemm rate on this machine, printing time ratios and the
 * fraction of the sgemm rate the forward achieves.  Weights are random on
 * both sides (timing does not depend on their values).  Never run by tests.
 *
 * The measurements are interleaved: each round times sgemm, one Glassbox
 * forward, one PyTorch forward, 20 Glassbox training steps and 20 PyTorch
 * ones, and the summary gives the median and range of the per-round ratios.
 *
 * Usage: bench/transformer [THREADS [ROUNDS]]   (defaults 2 and 5)
 * GB_BENCH_NO_TORCH=1 skips PyTorch (for profiling Glassbox alone). */
#include "gb-config.h"
#include "gb-model.h"
#include "gb-model-private.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* The sgemm rate of the FFN's first product (the forward's commonest shape):
 * total time of 10 calls after one warm-up, i.e. the rate sustained at that
 * moment, comparable with one forward pass measured next to it. */
static double
sgemm_gflops (void)
{
  int M = 1024, N = 3072, K = 768, reps = 10;
  float *a = g_new (float, (gsize) M * K), *b = g_new (float, (gsize) N * K);
  float *c = g_new (float, (gsize) M * N);
  double t0;
  for (gsize i = 0; i < (gsize) M * K; i++)
    a[i] = (float) ((i * 7 % 13) - 6) / 13.0f;
  for (gsize i = 0; i < (gsize) N * K; i++)
    b[i] = (float) ((i * 5 % 11) - 5) / 11.0f;
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1, a, K, b, K, 0, c, N);
  t0 = now ();
  for (int r = 0; r < reps; r++)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1, a, K, b, K, 0, c, N);
  t0 = now () - t0;
  g_free (a); g_free (b); g_free (c);
  return 2.0 * M * N * K * reps / t0 / 1e9;
}

/* The PyTorch side runs as one long-lived /usr/bin/python3 process that
 * answers one command per line on stdin ("bert" = one forward, "tab N" = N
 * training steps), so the two implementations alternate within each round
 * and share the machine's load in the same proportions (the machine is shared:
 * absolute times are noisy, the ratios of interleaved runs much less). */
static const char *torch_script =
  "import sys, time, torch, torch.nn as nn\n"
  "torch.set_num_threads(int(sys.argv[1])); torch.manual_seed(0)\n"
  "C, L, H, FF, B, T = 768, 12, 12, 3072, 8, 128\n"
  "emb = nn.Embedding(30522, C); pos = nn.Embedding(512, C); ln = nn.LayerNorm(C, eps=1e-12)\n"
  "enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(C, H, FF, dropout=0.0, activation='gelu',\n"
  "      layer_norm_eps=1e-12, batch_first=True), L, enable_nested_tensor=False)\n"
  "pool = nn.Linear(C, C); head = nn.Linear(C, 2)\n"
  "for m in (emb, pos, ln, enc, pool, head): m.eval()\n"
  "ids = torch.randint(0, 30522, (B, T)); mask = torch.zeros(B, T, dtype=torch.bool)\n"
  "def fwd():\n"
  "    with torch.inference_mode():\n"
  "        x = ln(emb(ids) + pos.weight[:T]); x = enc(x, src_key_padding_mask=mask)\n"
  "        return torch.softmax(head(torch.tanh(pool(x[:, 0]))), -1)\n"
  "C2, L2, H2, FF2, B2, T2 = 32, 2, 4, 64, 256, 15\n"
  "enc2 = nn.TransformerEncoder(nn.TransformerEncoderLayer(C2, H2, FF2, dropout=0.0,\n"
  "      activation='gelu', batch_first=True), L2, enable_nested_tensor=False)\n"
  "tok = nn.Parameter(torch.randn(B2, T2, C2) * 0.1); head2 = nn.Linear(C2, 2)\n"
  "opt = torch.optim.AdamW(list(enc2.parameters()) + list(head2.parameters()) + [tok], lr=1e-3)\n"
  "y = torch.randint(0, 2, (B2,))\n"
  "def step():\n"
  "    opt.zero_grad(); out = head2(enc2(tok)[:, 0]); loss = nn.functional.cross_entropy(out, y)\n"
  "    loss.backward(); opt.step()\n"
  "fwd(); step()\n"
  "print('ready', flush=True)\n"
  "for line in sys.stdin:\n"
  "    w = line.split()\n"
  "    if not w: continue\n"
  "    t0 = time.perf_counter()\n"
  "    if w[0] == 'bert': fwd(); n = 1\n"
  "    else:\n"
  "        n = int(w[1])\n"
  "        for _ in range(n): step()\n"
  "    print((time.perf_counter() - t0) / n, flush=True)\n";

typedef struct
{
  GSubprocess *proc;
  GDataInputStream *out;
  GOutputStream *in;
} Torch;

static gboolean
torch_start (Torch *t, int threads)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nthreads = g_strdup_printf ("%d", threads);
  g_autofree char *line = NULL;
  t->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              &error, "/usr/bin/python3", "-c", torch_script, nthreads, NULL);
  if (t->proc == NULL)
    {
      fprintf (stderr, "PyTorch reference failed: %s\n", error->message);
      return FALSE;
    }
  t->in = g_subprocess_get_stdin_pipe (t->proc);
  t->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (t->proc));
  line = g_data_input_stream_read_line (t->out, NULL, NULL, NULL);
  if (line == NULL || strcmp (line, "ready") != 0)
    {
      fprintf (stderr, "PyTorch reference failed to start\n");
      return FALSE;
    }
  return TRUE;
}

/* Sends one command; returns the seconds per forward / step, NAN on failure. */
static double
torch_run (Torch *t, const char *cmd)
{
  g_autofree char *line = NULL;
  if (t->proc == NULL
      || !g_output_stream_write_all (t->in, cmd, strlen (cmd), NULL, NULL, NULL)
      || !g_output_stream_flush (t->in, NULL, NULL))
    return NAN;
  line = g_data_input_stream_read_line (t->out, NULL, NULL, NULL);
  return line != NULL ? g_ascii_strtod (line, NULL) : NAN;
}

static void
torch_stop (Torch *t)
{
  if (t->proc == NULL)
    return;
  g_output_stream_close (t->in, NULL, NULL);
  g_subprocess_wait (t->proc, NULL, NULL);
  g_clear_object (&t->out);
  g_clear_object (&t->proc);
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Prints the median of v[0..n−1] and its range (sorts v). */
static void
print_spread (const char *what, double *v, int n, const char *fmt)
{
  char buf[3][32];
  qsort (v, n, sizeof *v, cmp_double);
  g_snprintf (buf[0], sizeof buf[0], fmt, n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
  g_snprintf (buf[1], sizeof buf[1], fmt, v[0]);
  g_snprintf (buf[2], sizeof buf[2], fmt, v[n - 1]);
  printf ("  %-44s median %s  (min %s, max %s, %d rounds)\n", what, buf[0], buf[1], buf[2], n);
}

int
main (int argc, char **argv)
{
  int threads = argc > 1 ? atoi (argv[1]) : 2;
  int rounds = argc > 2 ? MAX (atoi (argv[2]), 1) : 5;
  gboolean with_torch = g_getenv ("GB_BENCH_NO_TORCH") == NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) bert = NULL;
  g_autoptr(GbModel) tab = NULL;
  g_autofree double *r_fwd = g_new (double, rounds), *r_frac = g_new (double, rounds);
  g_autofree double *r_tab = g_new (double, rounds), *r_gflops = g_new (double, rounds);
  int B = 8, T = 128;
  g_autofree gint32 *ids = g_new (gint32, B * T);
  g_autofree double *out = g_new (double, B * 2);
  GbModelInputs bert_in = { NULL, NULL, ids, NULL };
  GbModelFeatureSpec spec[14] = { { 0 } };
  GbTrainConfig tc;
  gsize n = 256 * 20;
  g_autofree double *x = g_new (double, n * 14);
  g_autofree gint32 *codes = g_new (gint32, n * 14);
  g_autofree double *y = g_new (double, n);
  g_autofree guint8 *split = g_new0 (guint8, n);
  GbModelInputs tab_in = { x, codes, NULL, NULL };
  char names[14][8];
  double flops, best[4] = { INFINITY, INFINITY, INFINITY, INFINITY };
  Torch torch = { 0 };

  gb_set_blas_threads (threads);

  /* 1. BERT-base-shaped forward */
  {
    GbTransformerConfig cfg;
    gb_transformer_config_init_default (&cfg);
    cfg.vocab_size = 30522;
    cfg.n_layers = 12;
    cfg.d_model = 768;
    cfg.n_heads = 12;
    cfg.d_ff = 3072;
    cfg.max_length = T;
    cfg.max_position = 512;
    cfg.layer_norm_eps = 1e-12;
    cfg.pooler = TRUE;
    bert = gb_model_new_from_config (&cfg, 2, NULL, 0, NULL, 1, &error);
    g_assert_no_error (error);
    for (int i = 0; i < B * T; i++)
      ids[i] = (i * 7919) % 30522;
    gb_model_predict_inputs (bert, &bert_in, B, out, NULL, &error);   /* warm-up */
    /* matmul FLOPs: per token and layer 2·(4C² + 2·C·FF), plus attention 4·T·C */
    flops = (double) B * T * cfg.n_layers
            * (2.0 * (4.0 * 768 * 768 + 2.0 * 768 * 3072) + 4.0 * T * 768);
  }

  /* 2. default tabular model, training steps (batch 256, 14 features, 20 batches) */
  for (int j = 0; j < 14; j++)
    {
      g_snprintf (names[j], sizeof names[j], "f%d", j);
      spec[j].name = names[j];
      spec[j].categorical = j >= 6;
      spec[j].n_levels = 8;
      spec[j].sd = 1;
    }
  for (gsize i = 0; i < n * 14; i++)
    {
      x[i] = sin ((double) i);
      codes[i] = (gint32) (i % 8);
    }
  for (gsize i = 0; i < n; i++)
    y[i] = i % 2;
  tab = gb_model_new_from_spec (spec, 14, 2, NULL, 1);
  gb_train_config_init_default (&tc);
  tc.epochs = 1;
  tc.n_threads = threads;
  gb_model_train_inputs (tab, &tab_in, n, y, split, NULL, &tc, NULL, NULL, NULL, &error); /* warm-up */

  if (with_torch && !torch_start (&torch, threads))
    return 1;

  printf ("%d threads; per round: sgemm rate (mean of 10 calls), BERT forward, tabular step "
          "(mean of 20), Glassbox then PyTorch\n", threads);
  for (int r = 0; r < rounds; r++)
    {
      double gflops, t0, t_bert, t_tab, torch_bert = NAN, torch_tab = NAN;
      gb_set_blas_threads (threads);
      gflops = sgemm_gflops ();
      t0 = now ();
      gb_model_predict_inputs (bert, &bert_in, B, out, NULL, &error);
      t_bert = now () - t0;
      if (with_torch)
        torch_bert = torch_run (&torch, "bert\n");
      t0 = now ();
      gb_model_train_inputs (tab, &tab_in, n, y, split, NULL, &tc, NULL, NULL, NULL, &error);
      t_tab = (now () - t0) / 20.0;
      if (with_torch)
        torch_tab = torch_run (&torch, "tab 20\n");
      best[0] = MIN (best[0], t_bert);
      best[1] = MIN (best[1], torch_bert);
      best[2] = MIN (best[2], t_tab);
      best[3] = MIN (best[3], torch_tab);
      r_gflops[r] = gflops;
      r_frac[r] = 100.0 * flops / t_bert / 1e9 / gflops;
      r_fwd[r] = t_bert / torch_bert;
      r_tab[r] = t_tab / torch_tab;
      printf ("round %d: sgemm %.1f GFLOP/s | forward Glassbox %.3f s (%.0f %% of sgemm) "
              "PyTorch %.3f s ratio %.2f | tabular step Glassbox %.2f ms PyTorch %.2f ms "
              "ratio %.2f\n", r + 1, gflops, t_bert, r_frac[r], torch_bert, r_fwd[r],
              t_tab * 1e3, torch_tab * 1e3, r_tab[r]);
      fflush (stdout);
    }
  torch_stop (&torch);

  printf ("Summary (%d threads):\n", threads);
  print_spread ("OpenBLAS sgemm 1024x768 . 768x3072, GFLOP/s", r_gflops, rounds, "%.1f");
  print_spread ("BERT-base forward (8 x 128), % of sgemm rate", r_frac, rounds, "%.0f");
  print_spread ("BERT-base forward, Glassbox/PyTorch time", r_fwd, rounds, "%.2f");
  print_spread ("tabular training step, Glassbox/PyTorch time", r_tab, rounds, "%.2f");
  printf ("  best of the rounds: forward Glassbox %.3f s, PyTorch %.3f s (ratio %.2f); "
          "tabular step Glassbox %.2f ms, PyTorch %.2f ms (ratio %.2f)\n", best[0], best[1],
          best[0] / best[1], best[2] * 1e3, best[3] * 1e3, best[2] / best[3]);
  return 0;
}
