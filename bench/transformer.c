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
 * Usage: bench/transformer [THREADS]   (default 2) */
#include "gb-config.h"
#include "gb-model.h"
#include "gb-model-private.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
sgemm_gflops (void)
{
  int M = 1024, N = 3072, K = 768, reps = 10;
  float *a = g_new (float, (gsize) M * K), *b = g_new (float, (gsize) N * K);
  float *c = g_new (float, (gsize) M * N);
  double t0, best = INFINITY;
  for (gsize i = 0; i < (gsize) M * K; i++)
    a[i] = (float) ((i * 7 % 13) - 6) / 13.0f;
  for (gsize i = 0; i < (gsize) N * K; i++)
    b[i] = (float) ((i * 5 % 11) - 5) / 11.0f;
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1, a, K, b, K, 0, c, N);
  for (int r = 0; r < reps; r++)
    {
      t0 = now ();
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1, a, K, b, K, 0, c, N);
      best = MIN (best, now () - t0);
    }
  g_free (a); g_free (b); g_free (c);
  return 2.0 * M * N * K / best / 1e9;
}

static const char *torch_script =
  "import sys, time, torch, torch.nn as nn\n"
  "torch.set_num_threads(int(sys.argv[1])); torch.manual_seed(0)\n"
  "def best(f, n):\n"
  "    f(); t = []\n"
  "    for _ in range(n):\n"
  "        t0 = time.perf_counter(); f(); t.append(time.perf_counter() - t0)\n"
  "    return min(t)\n"
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
  "print('bert_forward', best(fwd, 3))\n"
  "C, L, H, FF, B, T = 32, 2, 4, 64, 256, 15\n"
  "enc2 = nn.TransformerEncoder(nn.TransformerEncoderLayer(C, H, FF, dropout=0.0, activation='gelu',\n"
  "      batch_first=True), L, enable_nested_tensor=False)\n"
  "tok = nn.Parameter(torch.randn(B, T, C) * 0.1); head2 = nn.Linear(C, 2)\n"
  "opt = torch.optim.AdamW(list(enc2.parameters()) + list(head2.parameters()) + [tok], lr=1e-3)\n"
  "y = torch.randint(0, 2, (B,))\n"
  "def step():\n"
  "    opt.zero_grad(); out = head2(enc2(tok)[:, 0]); loss = nn.functional.cross_entropy(out, y)\n"
  "    loss.backward(); opt.step()\n"
  "print('tabular_step', best(step, 20))\n";

static gboolean
run_torch (int threads, double *bert, double *tab)
{
  g_autofree char *out = NULL, *err = NULL, *nthreads = g_strdup_printf ("%d", threads);
  const char *argv[] = { "/usr/bin/python3", "-c", torch_script, nthreads, NULL };
  g_autoptr(GError) error = NULL;
  int status;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error) || !g_spawn_check_wait_status (status, NULL))
    {
      fprintf (stderr, "PyTorch reference failed: %s\n%s\n",
               error != NULL ? error->message : "", err != NULL ? err : "");
      return FALSE;
    }
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
    for (char **l = lines; *l != NULL; l++)
      {
        if (g_str_has_prefix (*l, "bert_forward "))
          *bert = g_ascii_strtod (*l + 13, NULL);
        else if (g_str_has_prefix (*l, "tabular_step "))
          *tab = g_ascii_strtod (*l + 13, NULL);
      }
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  int threads = argc > 1 ? atoi (argv[1]) : 2;
  double gflops, t_bert = INFINITY, t_tab, torch_bert = NAN, torch_tab = NAN, flops;
  g_autoptr(GError) error = NULL;

  gb_set_blas_threads (threads);
  gflops = sgemm_gflops ();
  printf ("OpenBLAS sgemm (1024x768 · 768x3072), %d threads: %.1f GFLOP/s\n", threads, gflops);

  /* 1. BERT-base-shaped forward */
  {
    GbTransformerConfig cfg;
    g_autoptr(GbModel) m = NULL;
    int B = 8, T = 128;
    g_autofree gint32 *ids = g_new (gint32, B * T);
    g_autofree double *out = g_new (double, B * 2);
    GbModelInputs in = { NULL, NULL, ids, NULL };
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
    m = gb_model_new_from_config (&cfg, 2, NULL, 0, NULL, 1, &error);
    g_assert_no_error (error);
    for (int i = 0; i < B * T; i++)
      ids[i] = (i * 7919) % 30522;
    gb_model_predict_inputs (m, &in, B, out, NULL, &error);   /* warm-up */
    for (int r = 0; r < 3; r++)
      {
        double t0 = now ();
        gb_model_predict_inputs (m, &in, B, out, NULL, &error);
        t_bert = MIN (t_bert, now () - t0);
      }
    /* matmul FLOPs: per token and layer 2·(4C² + 2·C·FF), plus attention 4·T·C */
    flops = (double) B * T * cfg.n_layers
            * (2.0 * (4.0 * 768 * 768 + 2.0 * 768 * 3072) + 4.0 * T * 768);
  }

  /* 2. default tabular model, one training step (batch 256, 14 features) */
  {
    GbModelFeatureSpec spec[14] = { { 0 } };
    g_autoptr(GbModel) m = NULL;
    GbTrainConfig tc;
    gsize n = 256 * 20;
    g_autofree double *x = g_new (double, n * 14);
    g_autofree gint32 *codes = g_new (gint32, n * 14);
    g_autofree double *y = g_new (double, n);
    g_autofree guint8 *split = g_new0 (guint8, n);
    GbModelInputs in = { x, codes, NULL, NULL };
    char names[14][8];
    double t0;
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
    m = gb_model_new_from_spec (spec, 14, 2, NULL, 1);
    gb_train_config_init_default (&tc);
    tc.epochs = 1;
    tc.n_threads = threads;
    gb_model_train_inputs (m, &in, n, y, split, NULL, &tc, NULL, NULL, NULL, &error); /* warm-up */
    t0 = now ();
    tc.epochs = 3;
    gb_model_train_inputs (m, &in, n, y, split, NULL, &tc, NULL, NULL, NULL, &error);
    t_tab = (now () - t0) / 60.0;
  }

  run_torch (threads, &torch_bert, &torch_tab);
  printf ("BERT-base forward, batch 8 x 128, %d threads:\n", threads);
  printf ("  Glassbox %.3f s (%.1f GFLOP/s = %.0f %% of the sgemm rate)\n", t_bert,
          flops / t_bert / 1e9, 100.0 * flops / t_bert / 1e9 / gflops);
  printf ("  PyTorch  %.3f s   ratio Glassbox/PyTorch %.2f\n", torch_bert, t_bert / torch_bert);
  printf ("Tabular training step (2 layers, d 32, batch 256, 15 tokens), %d threads:\n", threads);
  printf ("  Glassbox %.2f ms\n  PyTorch  %.2f ms   ratio Glassbox/PyTorch %.2f\n", t_tab * 1e3,
          torch_tab * 1e3, t_tab / torch_tab);
  return 0;
}
