/* test-model.c — engine/model: layer kernels against central finite
 * differences and their naive twins, the whole model against PyTorch
 * (tests/reference/make_transformer_fixture.py), training on Adult. */
#include "gb-config.h"
#include "gb-model.h"
#include "gb-model-private.h"
#include "gb-layers.h"
#include "gb-variable.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------------- */

/* Deterministic pseudo-random floats in [-1, 1) (xorshift). */
static guint64 rng_state = 88172645463325252ull;

static float
frand (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (float) ((rng_state >> 11) * (1.0 / 9007199254740992.0)) * 2.0f - 1.0f;
}

static float *
rand_vec (gsize n, float scale)
{
  float *v = g_new (float, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    v[i] = scale * frand ();
  return v;
}

typedef double (*ObjectiveFunc) (gpointer ctx);

/* Compares the analytic gradient @grad of objective @f w.r.t. @x (n values,
 * perturbed in place and restored) with central finite differences. */
static void
check_fd (const char *what, float *x, gsize n, const float *grad, ObjectiveFunc f,
          gpointer ctx, float eps, double atol, double rtol)
{
  double max_err = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      float orig = x[i];
      double fp, fm, num, err;
      x[i] = orig + eps;
      fp = f (ctx);
      x[i] = orig - eps;
      fm = f (ctx);
      x[i] = orig;
      num = (fp - fm) / (2.0 * eps);
      err = fabs (num - grad[i]);
      max_err = MAX (max_err, err / (atol + rtol * MAX (fabs (num), fabs (grad[i]))));
      if (err > atol + rtol * MAX (fabs (num), fabs (grad[i])))
        g_error ("%s[%" G_GSIZE_FORMAT "]: analytic %.6g, finite difference %.6g",
                 what, i, grad[i], num);
    }
  g_test_message ("%s: %" G_GSIZE_FORMAT " gradients, max error/tolerance %.3f", what, n,
                  max_err);
}

static double
dot (const float *a, const float *b, gsize n)
{
  double s = 0.0;
  for (gsize i = 0; i < n; i++)
    s += (double) a[i] * b[i];
  return s;
}

/* ---- matmul: BLAS vs naive -------------------------------------------------------- */

static void
test_matmul_blas_vs_naive (void)
{
  int N = 37, C = 19, OC = 23;
  g_autofree float *inp = rand_vec (N * C, 1.0f);
  g_autofree float *w = rand_vec (OC * C, 1.0f);
  g_autofree float *bias = rand_vec (OC, 1.0f);
  g_autofree float *dout = rand_vec (N * OC, 1.0f);
  g_autofree float *out1 = g_new (float, N * OC);
  g_autofree float *out2 = g_new (float, N * OC);
  g_autofree float *dinp1 = rand_vec (N * C, 1.0f);
  g_autofree float *dw1 = rand_vec (OC * C, 1.0f);
  g_autofree float *db1 = rand_vec (OC, 1.0f);
  g_autofree float *dinp2 = g_memdup2 (dinp1, N * C * sizeof (float));
  g_autofree float *dw2 = g_memdup2 (dw1, OC * C * sizeof (float));
  g_autofree float *db2 = g_memdup2 (db1, OC * sizeof (float));

  gb_matmul_forward (out1, inp, w, bias, N, C, OC);
  gb_matmul_forward_naive (out2, inp, w, bias, N, C, OC);
  for (int i = 0; i < N * OC; i++)
    g_assert_cmpfloat_with_epsilon (out1[i], out2[i], 1e-4);

  gb_matmul_forward (out1, inp, w, NULL, N, C, OC);
  gb_matmul_forward_naive (out2, inp, w, NULL, N, C, OC);
  for (int i = 0; i < N * OC; i++)
    g_assert_cmpfloat_with_epsilon (out1[i], out2[i], 1e-4);

  /* backward accumulates onto the (non-zero) starting values */
  gb_matmul_backward (dinp1, dw1, db1, dout, inp, w, N, C, OC);
  gb_matmul_backward_naive (dinp2, dw2, db2, dout, inp, w, N, C, OC);
  for (int i = 0; i < N * C; i++)
    g_assert_cmpfloat_with_epsilon (dinp1[i], dinp2[i], 1e-4);
  for (int i = 0; i < OC * C; i++)
    g_assert_cmpfloat_with_epsilon (dw1[i], dw2[i], 1e-4);
  for (int i = 0; i < OC; i++)
    g_assert_cmpfloat_with_epsilon (db1[i], db2[i], 1e-4);
}

/* ---- matmul backward vs finite differences ------------------------------------------ */

typedef struct {
  int N, C, OC;
  float *inp, *w, *bias, *r, *out;
} MatmulCtx;

static double
matmul_obj (gpointer data)
{
  MatmulCtx *c = data;
  gb_matmul_forward (c->out, c->inp, c->w, c->bias, c->N, c->C, c->OC);
  return dot (c->out, c->r, (gsize) c->N * c->OC);
}

static void
test_matmul_backward_fd (void)
{
  MatmulCtx c = { 6, 5, 4 };
  c.inp = rand_vec (c.N * c.C, 1.0f);
  c.w = rand_vec (c.OC * c.C, 1.0f);
  c.bias = rand_vec (c.OC, 1.0f);
  c.r = rand_vec (c.N * c.OC, 1.0f);
  c.out = g_new (float, c.N * c.OC);
  g_autofree float *dinp = g_new0 (float, c.N * c.C);
  g_autofree float *dw = g_new0 (float, c.OC * c.C);
  g_autofree float *db = g_new0 (float, c.OC);

  gb_matmul_backward (dinp, dw, db, c.r, c.inp, c.w, c.N, c.C, c.OC);
  check_fd ("matmul dinp", c.inp, c.N * c.C, dinp, matmul_obj, &c, 1e-2f, 1e-3, 1e-2);
  check_fd ("matmul dweight", c.w, c.OC * c.C, dw, matmul_obj, &c, 1e-2f, 1e-3, 1e-2);
  check_fd ("matmul dbias", c.bias, c.OC, db, matmul_obj, &c, 1e-2f, 1e-3, 1e-2);
  g_free (c.inp); g_free (c.w); g_free (c.bias); g_free (c.r); g_free (c.out);
}

/* ---- LayerNorm ---------------------------------------------------------------------- */

typedef struct {
  int N, C;
  float *inp, *w, *b, *r, *out, *mean, *rstd;
} LnCtx;

static double
ln_obj (gpointer data)
{
  LnCtx *c = data;
  gb_layernorm_forward (c->out, c->mean, c->rstd, c->inp, c->w, c->b, c->N, c->C);
  return dot (c->out, c->r, (gsize) c->N * c->C);
}

static void
test_layernorm_backward_fd (void)
{
  LnCtx c = { 5, 8 };
  c.inp = rand_vec (c.N * c.C, 2.0f);
  c.w = rand_vec (c.C, 1.0f);
  c.b = rand_vec (c.C, 1.0f);
  c.r = rand_vec (c.N * c.C, 1.0f);
  c.out = g_new (float, c.N * c.C);
  c.mean = g_new (float, c.N);
  c.rstd = g_new (float, c.N);
  g_autofree float *dinp = g_new0 (float, c.N * c.C);
  g_autofree float *dw = g_new0 (float, c.C);
  g_autofree float *db = g_new0 (float, c.C);

  /* statistics: mean 0, unit (biased) variance before the affine map */
  ln_obj (&c);
  for (int n = 0; n < c.N; n++)
    {
      double m = 0, v = 0;
      for (int i = 0; i < c.C; i++)
        m += c.inp[n * c.C + i];
      m /= c.C;
      for (int i = 0; i < c.C; i++)
        v += (c.inp[n * c.C + i] - m) * (c.inp[n * c.C + i] - m);
      v /= c.C;
      g_assert_cmpfloat_with_epsilon (c.mean[n], m, 1e-5);
      g_assert_cmpfloat_with_epsilon (c.rstd[n], 1.0 / sqrt (v + 1e-5), 1e-4);
    }

  gb_layernorm_backward (dinp, dw, db, c.r, c.inp, c.w, c.mean, c.rstd, c.N, c.C);
  check_fd ("layernorm dinp", c.inp, c.N * c.C, dinp, ln_obj, &c, 1e-2f, 2e-3, 1e-2);
  check_fd ("layernorm dweight", c.w, c.C, dw, ln_obj, &c, 1e-2f, 2e-3, 1e-2);
  check_fd ("layernorm dbias", c.b, c.C, db, ln_obj, &c, 1e-2f, 2e-3, 1e-2);
  g_free (c.inp); g_free (c.w); g_free (c.b); g_free (c.r); g_free (c.out);
  g_free (c.mean); g_free (c.rstd);
}

/* ---- attention ---------------------------------------------------------------------- */

typedef struct {
  int B, T, C, NH;
  float *qkv, *r, *out, *preatt, *att;
  guint8 *mask;
} AttCtx;

static double
att_obj (gpointer data)
{
  AttCtx *c = data;
  gb_attention_forward (c->out, c->preatt, c->att, c->qkv, c->mask, c->B, c->T, c->C, c->NH);
  return dot (c->out, c->r, (gsize) c->B * c->T * c->C);
}

static void
run_attention_fd (gboolean with_mask)
{
  AttCtx c = { 2, 4, 6, 2 };
  gsize n_att = (gsize) c.B * c.NH * c.T * c.T;
  c.qkv = rand_vec (c.B * c.T * 3 * c.C, 1.0f);
  c.r = rand_vec (c.B * c.T * c.C, 1.0f);
  c.out = g_new (float, c.B * c.T * c.C);
  c.preatt = g_new (float, n_att);
  c.att = g_new (float, n_att);
  c.mask = NULL;
  if (with_mask)
    {
      static guint8 mask[] = { 1, 1, 1, 0,   1, 1, 0, 0 };
      c.mask = mask;
    }
  g_autofree float *dqkv = g_new0 (float, c.B * c.T * 3 * c.C);
  g_autofree float *dpreatt = g_new0 (float, n_att);
  g_autofree float *datt = g_new0 (float, n_att);

  att_obj (&c);
  /* rows of att sum to 1; masked keys get weight 0 */
  for (int b = 0; b < c.B; b++)
    for (int h = 0; h < c.NH; h++)
      for (int t = 0; t < c.T; t++)
        {
          double s = 0;
          for (int t2 = 0; t2 < c.T; t2++)
            {
              float a = c.att[((b * c.NH + h) * c.T + t) * c.T + t2];
              if (c.mask != NULL && !c.mask[b * c.T + t2])
                g_assert_cmpfloat (a, ==, 0.0f);
              s += a;
            }
          g_assert_cmpfloat_with_epsilon (s, 1.0, 1e-5);
        }

  gb_attention_backward (dqkv, dpreatt, datt, c.r, c.qkv, c.att, c.B, c.T, c.C, c.NH);
  check_fd (with_mask ? "attention (masked) dqkv" : "attention dqkv", c.qkv,
            c.B * c.T * 3 * c.C, dqkv, att_obj, &c, 1e-2f, 1e-3, 1e-2);
  g_free (c.qkv); g_free (c.r); g_free (c.out); g_free (c.preatt); g_free (c.att);
}

static void
test_attention_backward_fd (void)
{
  run_attention_fd (FALSE);
}

static void
test_attention_mask_backward_fd (void)
{
  run_attention_fd (TRUE);
}

/* ---- attention: BLAS vs naive ----------------------------------------------------------- */

static void
test_attention_blas_vs_naive (void)
{
  int B = 3, T = 7, C = 12, NH = 3;
  gsize n_att = (gsize) B * NH * T * T, n_qkv = (gsize) B * T * 3 * C, n_out = (gsize) B * T * C;
  guint8 mask[21];
  g_autofree float *qkv = rand_vec (n_qkv, 1.5f);
  g_autofree float *dout = rand_vec (n_out, 1.0f);
  g_autofree float *out1 = g_new (float, n_out);
  g_autofree float *out2 = g_new (float, n_out);
  g_autofree float *pre1 = g_new (float, n_att);
  g_autofree float *pre2 = g_new (float, n_att);
  g_autofree float *att1 = g_new (float, n_att);
  g_autofree float *att2 = g_new (float, n_att);
  g_autofree float *dqkv1 = rand_vec (n_qkv, 1.0f);
  g_autofree float *dqkv2 = g_memdup2 (dqkv1, n_qkv * sizeof (float));
  g_autofree float *dpre1 = g_new0 (float, n_att);
  g_autofree float *dpre2 = g_new0 (float, n_att);
  g_autofree float *da1 = g_new0 (float, n_att);
  g_autofree float *da2 = g_new0 (float, n_att);

  for (int i = 0; i < B * T; i++)
    mask[i] = (i % 5) != 3;
  for (int m = 0; m < 2; m++)
    {
      const guint8 *mk = m == 0 ? NULL : mask;
      gb_attention_forward (out1, pre1, att1, qkv, mk, B, T, C, NH);
      gb_attention_forward_naive (out2, pre2, att2, qkv, mk, B, T, C, NH);
      for (gsize i = 0; i < n_att; i++)
        g_assert_cmpfloat_with_epsilon (att1[i], att2[i], 1e-5);
      for (gsize i = 0; i < n_out; i++)
        g_assert_cmpfloat_with_epsilon (out1[i], out2[i], 1e-5);
      /* backward accumulates onto the (non-zero) starting values */
      gb_attention_backward (dqkv1, dpre1, da1, dout, qkv, att1, B, T, C, NH);
      gb_attention_backward_naive (dqkv2, dpre2, da2, dout, qkv, att2, B, T, C, NH);
      for (gsize i = 0; i < n_qkv; i++)
        g_assert_cmpfloat_with_epsilon (dqkv1[i], dqkv2[i], 1e-4);
    }
}

/* ---- GELU, residual, [CLS] ------------------------------------------------------------ */

typedef struct {
  gsize N;
  float *inp, *r, *out;
} GeluCtx;

static double
gelu_obj (gpointer data)
{
  GeluCtx *c = data;
  gb_gelu_forward (c->out, c->inp, c->N);
  return dot (c->out, c->r, c->N);
}

static void
test_gelu_backward_fd (void)
{
  GeluCtx c = { 40 };
  c.inp = rand_vec (c.N, 4.0f);
  c.r = rand_vec (c.N, 1.0f);
  c.out = g_new (float, c.N);
  g_autofree float *dinp = g_new0 (float, c.N);

  /* exact erf form: GELU(1) = 0.5 (1 + erf(1/√2)) = 0.841344746 */
  {
    float one = 1.0f, y;
    gb_gelu_forward (&y, &one, 1);
    g_assert_cmpfloat_with_epsilon (y, 0.8413447460685429, 1e-6);
  }
  gb_gelu_backward (dinp, c.inp, c.r, c.N);
  check_fd ("gelu dinp", c.inp, c.N, dinp, gelu_obj, &c, 1e-2f, 1e-3, 1e-2);
  g_free (c.inp); g_free (c.r); g_free (c.out);
}

typedef struct {
  int B, T, C;
  float *a, *b, *r1, *r2, *tmp, *cls;
} ResCtx;

/* objective through residual then [CLS] gather: Σ r1·(a+b) + Σ r2·cls(a+b) */
static double
res_obj (gpointer data)
{
  ResCtx *c = data;
  gsize n = (gsize) c->B * c->T * c->C;
  gb_residual_forward (c->tmp, c->a, c->b, n);
  gb_cls_forward (c->cls, c->tmp, c->B, c->T, c->C);
  return dot (c->tmp, c->r1, n) + dot (c->cls, c->r2, (gsize) c->B * c->C);
}

static void
test_residual_cls_backward_fd (void)
{
  ResCtx c = { 2, 3, 4 };
  gsize n = (gsize) c.B * c.T * c.C;
  c.a = rand_vec (n, 1.0f);
  c.b = rand_vec (n, 1.0f);
  c.r1 = rand_vec (n, 1.0f);
  c.r2 = rand_vec (c.B * c.C, 1.0f);
  c.tmp = g_new (float, n);
  c.cls = g_new (float, c.B * c.C);
  g_autofree float *dtmp = g_new0 (float, n);
  g_autofree float *da = g_new0 (float, n);
  g_autofree float *db = g_new0 (float, n);

  memcpy (dtmp, c.r1, n * sizeof (float));
  gb_cls_backward (dtmp, c.r2, c.B, c.T, c.C);
  gb_residual_backward (da, db, dtmp, n);
  check_fd ("residual+cls da", c.a, n, da, res_obj, &c, 1e-2f, 1e-3, 1e-2);
  check_fd ("residual+cls db", c.b, n, db, res_obj, &c, 1e-2f, 1e-3, 1e-2);
  g_free (c.a); g_free (c.b); g_free (c.r1); g_free (c.r2); g_free (c.tmp); g_free (c.cls);
}

/* ---- softmax / cross-entropy ----------------------------------------------------------- */

typedef struct {
  int B, K, k;
  float *logits, *probs, *losses, *w;
  gint32 *targets;
} CeCtx;

static double
ce_obj (gpointer data)
{
  CeCtx *c = data;
  gb_softmax_forward (c->probs, c->logits, c->B, c->K);
  gb_crossentropy_forward (c->losses, c->probs, c->targets, c->B, c->K);
  return dot (c->losses, c->w, c->B);
}

static double
prob_obj (gpointer data)
{
  CeCtx *c = data;
  double s = 0.0;
  gb_softmax_forward (c->probs, c->logits, c->B, c->K);
  for (int b = 0; b < c->B; b++)
    s += c->probs[b * c->K + c->k];
  return s;
}

static void
test_crossentropy_backward_fd (void)
{
  gint32 targets[] = { 0, 2, 1, 2 };
  CeCtx c = { 4, 3, 1 };
  c.targets = targets;
  c.logits = rand_vec (c.B * c.K, 3.0f);
  c.probs = g_new (float, c.B * c.K);
  c.losses = g_new (float, c.B);
  c.w = rand_vec (c.B, 1.0f);
  g_autofree float *dlogits = g_new0 (float, c.B * c.K);
  g_autofree float *dlogits2 = g_new0 (float, c.B * c.K);

  gb_softmax_forward (c.probs, c.logits, c.B, c.K);
  gb_crossentropy_softmax_backward (dlogits, c.w, c.probs, c.targets, c.B, c.K);
  check_fd ("cross-entropy dlogits", c.logits, c.B * c.K, dlogits, ce_obj, &c, 1e-2f, 1e-3,
            1e-2);

  gb_softmax_forward (c.probs, c.logits, c.B, c.K);
  gb_softmax_prob_backward (dlogits2, c.probs, c.k, c.B, c.K);
  check_fd ("softmax prob dlogits", c.logits, c.B * c.K, dlogits2, prob_obj, &c, 1e-2f, 1e-3,
            1e-2);
  g_free (c.logits); g_free (c.probs); g_free (c.losses); g_free (c.w);
}

/* ---- tabular tokenizer --------------------------------------------------------------- */

typedef struct {
  int B, F, C;
  float *xnum, *cls, *num_w, *num_b, *num_miss, *table, *out, *r;
  gint32 *xidx;
  guint8 *is_cat;
} EmbCtx;

static double
emb_obj (gpointer data)
{
  EmbCtx *c = data;
  gb_tabular_embed_forward (c->out, c->xnum, c->xidx, c->is_cat, c->cls, c->num_w, c->num_b,
                            c->num_miss, c->table, c->B, c->F, c->C);
  return dot (c->out, c->r, (gsize) c->B * (c->F + 1) * c->C);
}

static void
test_tabular_embed_backward_fd (void)
{
  /* features: numeric (slot 0), categorical (table rows 0..3), numeric (slot 1) */
  guint8 is_cat[] = { 0, 1, 0 };
  float xnum[] = { 0.5f, 0, -1.5f,   NAN, 0, 2.0f,   1.0f, 0, NAN };
  gint32 xidx[] = { 0, 2, 1,   0, 3, 1,   0, 2, 1 };
  EmbCtx c = { 3, 3, 4 };
  gsize n_out = (gsize) c.B * (c.F + 1) * c.C;
  c.xnum = xnum;
  c.xidx = xidx;
  c.is_cat = is_cat;
  c.cls = rand_vec (c.C, 1.0f);
  c.num_w = rand_vec (2 * c.C, 1.0f);
  c.num_b = rand_vec (2 * c.C, 1.0f);
  c.num_miss = rand_vec (2 * c.C, 1.0f);
  c.table = rand_vec (4 * c.C, 1.0f);
  c.out = g_new (float, n_out);
  c.r = rand_vec (n_out, 1.0f);
  g_autofree float *dcls = g_new0 (float, c.C);
  g_autofree float *dw = g_new0 (float, 2 * c.C);
  g_autofree float *db = g_new0 (float, 2 * c.C);
  g_autofree float *dm = g_new0 (float, 2 * c.C);
  g_autofree float *dt = g_new0 (float, 4 * c.C);

  emb_obj (&c);
  /* token of row 0, feature 0 = 0.5 · w[0] + b[0]; row 1 feature 0 missing */
  for (int i = 0; i < c.C; i++)
    {
      g_assert_cmpfloat_with_epsilon (c.out[1 * c.C + i], 0.5f * c.num_w[i] + c.num_b[i], 1e-6);
      g_assert_cmpfloat (c.out[(1 * 4 + 1) * c.C + i], ==, c.num_miss[i]);
      g_assert_cmpfloat (c.out[(1 * 4 + 2) * c.C + i], ==, c.table[3 * c.C + i]);
    }
  gb_tabular_embed_backward (dcls, dw, db, dm, dt, c.r, c.xnum, c.xidx, c.is_cat, c.B, c.F,
                             c.C);
  check_fd ("embed dcls", c.cls, c.C, dcls, emb_obj, &c, 1e-2f, 1e-3, 1e-2);
  check_fd ("embed dnum_w", c.num_w, 2 * c.C, dw, emb_obj, &c, 1e-2f, 1e-3, 1e-2);
  check_fd ("embed dnum_b", c.num_b, 2 * c.C, db, emb_obj, &c, 1e-2f, 1e-3, 1e-2);
  check_fd ("embed dnum_miss", c.num_miss, 2 * c.C, dm, emb_obj, &c, 1e-2f, 1e-3, 1e-2);
  check_fd ("embed dtable", c.table, 4 * c.C, dt, emb_obj, &c, 1e-2f, 1e-3, 1e-2);
  g_free (c.cls); g_free (c.num_w); g_free (c.num_b); g_free (c.num_miss); g_free (c.table);
  g_free (c.out); g_free (c.r);
}

/* ---- AdamW ------------------------------------------------------------------------------- */

static void
test_adamw_step (void)
{
  /* first step from zero moments: m̂ = g, v̂ = g², so the update is
   * lr · (g / (|g| + eps) + wd · p) = lr · (sign g + wd · p) */
  float p[] = { 1.0f, -2.0f, 0.5f };
  float g[] = { 0.3f, -0.1f, 0.0f };
  float m[3] = { 0 }, v[3] = { 0 };
  gb_adamw_update (p, m, v, g, 3, 0.1f, 0.9f, 0.999f, 1e-8f, 0.01f, 1);
  g_assert_cmpfloat_with_epsilon (p[0], 1.0 - 0.1 * (1.0 + 0.01 * 1.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (p[1], -2.0 - 0.1 * (-1.0 + 0.01 * -2.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (p[2], 0.5 - 0.1 * (0.01 * 0.5), 1e-6);
}

/* ---- whole model --------------------------------------------------------------------------- */

static GbModel *
tiny_model (guint64 seed)
{
  GbModelFeatureSpec spec[] = {
    { "num_a", FALSE, 0, 1.5, 2.0 },
    { "cat_b", TRUE, 3, 0, 1 },
    { "num_c", FALSE, 0, -0.25, 0.5 },
  };
  GbTransformerConfig cfg = { 2, 8, 2, 16 };
  return gb_model_new_from_spec (spec, 3, 3, &cfg, seed);
}

static const double tiny_x[] = { 0.5, NAN, 0.1,   3.0, NAN, -1.0,   NAN, NAN, 0.0,
                                 -2.0, NAN, NAN };
static const gint32 tiny_codes[] = { -1, 0, -1,   -1, 2, -1,   -1, 1, -1,   -1, -1, -1 };
static const gint32 tiny_targets[] = { 0, 2, 1, 2 };
#define TINY_B 4

typedef struct {
  GbModel *model;
  float *logits;
} LossCtx;

static double
loss_obj (gpointer data)
{
  LossCtx *c = data;
  return gb_model_loss_gradients (c->model, tiny_x, tiny_codes, tiny_targets, TINY_B,
                                  c->logits, NULL, NULL);
}

static void
test_model_param_gradients_fd (void)
{
  g_autoptr(GbModel) model = tiny_model (7);
  gsize n, sizes[GB_MODEL_N_PARAM_TENSORS];
  float *params = gb_model_get_parameters (model, &n);
  g_autofree float *grads = g_new (float, n);
  g_autofree float *logits = g_new (float, TINY_B * 3);
  LossCtx c = { model, logits };
  gsize off = 0;

  /* perturb LayerNorm weights and biases away from 1 / 0 so their
   * gradients are generic */
  for (gsize i = 0; i < n; i++)
    params[i] += 0.1f * frand ();

  gb_model_loss_gradients (model, tiny_x, tiny_codes, tiny_targets, TINY_B, logits, grads,
                           NULL);
  gb_model_get_parameter_sizes (model, sizes);
  for (int t = 0; t < GB_MODEL_N_PARAM_TENSORS; t++)
    {
      g_autofree char *what = g_strdup_printf ("model d%s", gb_model_param_names[t]);
      check_fd (what, params + off, sizes[t], grads + off, loss_obj, &c, 1e-2f, 1e-3, 2e-2);
      off += sizes[t];
    }
  g_assert_cmpuint (off, ==, n);
  g_assert_cmpuint (n, ==, gb_model_get_n_parameters (model));
}

typedef struct {
  GbModel *model;
  float *emb;
  gsize B;
  guint k;
  float *probs;
} EmbGradCtx;

static double
prob_sum_obj (gpointer data)
{
  EmbGradCtx *c = data;
  guint K = gb_model_get_n_classes (c->model);
  double s = 0;
  gb_model_forward_embedded (c->model, c->emb, c->B, c->probs);
  for (gsize b = 0; b < c->B; b++)
    s += c->probs[b * K + c->k];
  return s;
}

static void
test_model_gradient_embedded_fd (void)
{
  g_autoptr(GbModel) model = tiny_model (11);
  guint T = gb_model_get_seq_len (model), C = gb_model_get_d_model (model);
  gsize TC = (gsize) T * C;
  g_autofree float *emb = g_new (float, TINY_B * TC);
  g_autofree float *grad = g_new (float, TINY_B * TC);
  g_autofree float *probs = g_new (float, TINY_B * 3);
  g_autofree float *probs2 = g_new (float, TINY_B * 3);
  g_autofree float *params_before = NULL;
  gsize n;
  float *params = gb_model_get_parameters (model, &n);
  EmbGradCtx c = { model, emb, TINY_B, 2, probs2 };

  g_assert_cmpuint (T, ==, 4);
  params_before = g_memdup2 (params, n * sizeof (float));
  gb_model_embed_cells (model, tiny_x, tiny_codes, TINY_B, emb);
  for (guint k = 0; k < 3; k++)
    {
      c.k = k;
      gb_model_gradient_embedded (model, emb, TINY_B, k, probs, grad);
      /* probabilities agree with the forward-only pass and sum to one */
      gb_model_forward_embedded (model, emb, TINY_B, probs2);
      for (int b = 0; b < TINY_B; b++)
        {
          double s = 0;
          for (int j = 0; j < 3; j++)
            {
              g_assert_cmpfloat (probs[b * 3 + j], ==, probs2[b * 3 + j]);
              s += probs[b * 3 + j];
            }
          g_assert_cmpfloat_with_epsilon (s, 1.0, 1e-5);
        }
      /* rows are independent, so the gradient of Σ_b p_k(b) w.r.t. emb[b]
       * is ∂p_k(b)/∂emb[b] */
      check_fd ("gradient_embedded", emb, TINY_B * TC, grad, prob_sum_obj, &c, 1e-2f, 5e-4,
                2e-2);
    }
  /* parameters untouched */
  g_assert_cmpmem (params, n * sizeof (float), params_before, n * sizeof (float));

  /* batch larger than the internal chunk gives the same rows */
  {
    gsize BB = 300;
    g_autofree float *big = g_new (float, BB * TC);
    g_autofree float *bigp = g_new (float, BB * 3);
    g_autofree float *bigg = g_new (float, BB * TC);
    for (gsize b = 0; b < BB; b++)
      memcpy (big + b * TC, emb + (b % TINY_B) * TC, TC * sizeof (float));
    gb_model_gradient_embedded (model, big, BB, 1, bigp, bigg);
    gb_model_gradient_embedded (model, emb, TINY_B, 1, probs, grad);
    for (gsize b = 0; b < BB; b++)
      for (gsize i = 0; i < TC; i++)
        g_assert_cmpfloat_with_epsilon (bigg[b * TC + i], grad[(b % TINY_B) * TC + i], 1e-6);
  }
}

/* ---- PyTorch fixture -------------------------------------------------------------------------- */

typedef struct {
  JsonParser *parser;
  JsonObject *root;
} Fixture;

static void
read_floats (JsonObject *obj, const char *member, float *out, gsize n)
{
  JsonArray *a = json_object_get_array_member (obj, member);
  g_assert_nonnull (a);
  g_assert_cmpuint (json_array_get_length (a), ==, n);
  for (gsize i = 0; i < n; i++)
    out[i] = (float) json_array_get_double_element (a, i);
}

static GbModel *
load_torch_fixture (JsonParser **parser_out, JsonObject **root_out)
{
  g_autoptr(GError) error = NULL;
  const char *data_dir = g_getenv ("GB_TEST_DATA");
  g_autofree char *path = NULL;
  JsonParser *parser = json_parser_new ();
  JsonObject *root, *cfgo;
  JsonArray *feats;
  GbModelFeatureSpec spec[8] = { { 0 } };
  GbTransformerConfig cfg;
  GbModel *model;
  guint F;
  gsize n;

  path = g_build_filename (data_dir != NULL ? data_dir : GB_SOURCE_DIR "/tests/data", "model",
                           "transformer-tiny.json", NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  cfgo = json_object_get_object_member (root, "config");
  gb_transformer_config_init_default (&cfg);
  cfg.n_layers = json_object_get_int_member (cfgo, "n_layers");
  cfg.d_model = json_object_get_int_member (cfgo, "d_model");
  cfg.n_heads = json_object_get_int_member (cfgo, "n_heads");
  cfg.d_ff = json_object_get_int_member (cfgo, "d_ff");
  feats = json_object_get_array_member (root, "features");
  F = json_array_get_length (feats);
  g_assert_cmpuint (F, <=, G_N_ELEMENTS (spec));
  for (guint j = 0; j < F; j++)
    {
      JsonObject *f = json_array_get_object_element (feats, j);
      spec[j].name = json_object_get_string_member (f, "name");
      spec[j].categorical = json_object_get_boolean_member (f, "categorical");
      spec[j].n_levels = json_object_get_int_member (f, "n_levels");
      spec[j].mean = json_object_get_double_member (f, "mean");
      spec[j].sd = json_object_get_double_member (f, "sd");
    }
  model = gb_model_new_from_spec (spec, F, json_object_get_int_member (cfgo, "n_classes"),
                                  &cfg, 1);
  /* the parameter names are the layout contract */
  {
    JsonArray *names = json_object_get_array_member (root, "param_names");
    g_assert_cmpuint (json_array_get_length (names), ==, GB_MODEL_N_PARAM_TENSORS);
    for (guint i = 0; i < GB_MODEL_N_PARAM_TENSORS; i++)
      g_assert_cmpstr (json_array_get_string_element (names, i), ==, gb_model_param_names[i]);
  }
  read_floats (root, "params", gb_model_get_parameters (model, &n), gb_model_get_n_parameters (model));
  *parser_out = parser;
  *root_out = root;
  return model;
}

static void
fixture_inputs (JsonObject *root, guint F, double **x_out, gint32 **codes_out,
                gint32 **targets_out, gsize *B_out)
{
  JsonArray *xa = json_object_get_array_member (root, "x");
  JsonArray *ca = json_object_get_array_member (root, "codes");
  JsonArray *ta = json_object_get_array_member (root, "targets");
  gsize B = json_array_get_length (xa);
  double *x = g_new (double, B * F);
  gint32 *codes = g_new (gint32, B * F);
  gint32 *targets = g_new (gint32, B);
  for (gsize b = 0; b < B; b++)
    {
      JsonArray *xr = json_array_get_array_element (xa, b);
      JsonArray *cr = json_array_get_array_element (ca, b);
      for (guint j = 0; j < F; j++)
        {
          JsonNode *node = json_array_get_element (xr, j);
          x[b * F + j] = JSON_NODE_HOLDS_NULL (node) ? NAN : json_node_get_double (node);
          codes[b * F + j] = json_array_get_int_element (cr, j);
        }
      targets[b] = json_array_get_int_element (ta, b);
    }
  *x_out = x;
  *codes_out = codes;
  *targets_out = targets;
  *B_out = B;
}

static void
assert_close_array (const char *what, const float *got, const float *want, gsize n,
                    double atol, double rtol)
{
  double max_err = 0;
  for (gsize i = 0; i < n; i++)
    {
      double err = fabs ((double) got[i] - want[i]);
      max_err = MAX (max_err, err);
      if (err > atol + rtol * fabs (want[i]))
        g_error ("%s[%" G_GSIZE_FORMAT "]: C %.8g, PyTorch %.8g", what, i, got[i], want[i]);
    }
  g_test_message ("%s: %" G_GSIZE_FORMAT " values, max |C - PyTorch| = %.3g", what, n, max_err);
}

static void
test_model_torch_forward (void)
{
  JsonParser *parser;
  JsonObject *root;
  g_autoptr(GbModel) model = load_torch_fixture (&parser, &root);
  guint F = gb_model_get_n_features (model), K = gb_model_get_n_classes (model);
  gsize TC = (gsize) gb_model_get_seq_len (model) * gb_model_get_d_model (model), B;
  g_autofree double *x = NULL;
  g_autofree gint32 *codes = NULL;
  g_autofree gint32 *targets = NULL;
  g_autofree float *emb = NULL;
  g_autofree float *want_emb = NULL;
  g_autofree float *logits = NULL;
  g_autofree float *want_logits = NULL;
  g_autofree float *probs = NULL;
  g_autofree float *want_probs = NULL;
  double loss;

  fixture_inputs (root, F, &x, &codes, &targets, &B);
  emb = g_new (float, B * TC);
  want_emb = g_new (float, B * TC);
  logits = g_new (float, B * K);
  want_logits = g_new (float, B * K);
  probs = g_new (float, B * K);
  want_probs = g_new (float, B * K);

  gb_model_embed_cells (model, x, codes, B, emb);
  read_floats (root, "embeddings", want_emb, B * TC);
  assert_close_array ("embeddings", emb, want_emb, B * TC, 1e-5, 0);

  loss = gb_model_loss_gradients (model, x, codes, targets, B, logits, NULL, NULL);
  read_floats (root, "logits", want_logits, B * K);
  assert_close_array ("logits", logits, want_logits, B * K, 1e-4, 0);
  g_assert_cmpfloat_with_epsilon (loss, json_object_get_double_member (root, "loss"), 1e-4);

  gb_model_forward_embedded (model, emb, B, probs);
  read_floats (root, "probs", want_probs, B * K);
  assert_close_array ("probs", probs, want_probs, B * K, 1e-5, 0);
  g_object_unref (parser);
}

static void
test_model_torch_backward (void)
{
  JsonParser *parser;
  JsonObject *root;
  g_autoptr(GbModel) model = load_torch_fixture (&parser, &root);
  guint F = gb_model_get_n_features (model);
  gsize TC = (gsize) gb_model_get_seq_len (model) * gb_model_get_d_model (model), B;
  gsize n = gb_model_get_n_parameters (model);
  g_autofree double *x = NULL;
  g_autofree gint32 *codes = NULL;
  g_autofree gint32 *targets = NULL;
  g_autofree float *emb_grads = NULL;
  g_autofree float *want_emb_grads = NULL;
  g_autofree float *param_grads = g_new (float, n);
  g_autofree float *want_param_grads = g_new (float, n);

  fixture_inputs (root, F, &x, &codes, &targets, &B);
  emb_grads = g_new (float, B * TC);
  want_emb_grads = g_new (float, B * TC);
  gb_model_loss_gradients (model, x, codes, targets, B, NULL, param_grads, emb_grads);
  read_floats (root, "embedding_grads", want_emb_grads, B * TC);
  read_floats (root, "param_grads", want_param_grads, n);
  assert_close_array ("embedding gradients", emb_grads, want_emb_grads, B * TC, 1e-5, 1e-3);
  assert_close_array ("parameter gradients", param_grads, want_param_grads, n, 1e-5, 1e-3);
  g_object_unref (parser);
}

/* ---- Adult ------------------------------------------------------------------------------------ */

static GbDataset *adult_ds;
static double *adult_y;
static guint8 *adult_split;
static double *adult_pred;     /* held-out P(>50K) of the first training run */
static gsize *adult_test_rows;
static gsize adult_n_test;

static gboolean
load_adult (void)
{
  g_autoptr(GError) error = NULL;
  const char *src = g_getenv ("GB_SOURCE_DIR");
  g_autofree char *path = NULL;
  gsize n;

  if (adult_ds != NULL)
    return TRUE;
  path = g_build_filename (src != NULL ? src : GB_SOURCE_DIR, "data", "examples", "adult",
                           "adult.csv", NULL);
  adult_ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  n = gb_dataset_get_n_rows (adult_ds);
  g_assert_cmpuint (n, ==, 32561);
  adult_y = g_new (double, n);
  adult_split = g_new (guint8, n);
  gb_dataset_eval_variable (adult_ds, "income-per-year", ">50K", adult_y, &error);
  g_assert_no_error (error);
  gb_split_stratified (adult_y, n, 0.3, 42, adult_split);
  adult_test_rows = g_new (gsize, n);
  adult_n_test = 0;
  for (gsize r = 0; r < n; r++)
    if (adult_split[r] == 1)
      adult_test_rows[adult_n_test++] = r;
  return TRUE;
}

static const char *const *
adult_features (guint *n_out)
{
  static const char *names[32];
  guint n = 0, nc = gb_dataset_get_n_columns (adult_ds);
  for (guint i = 0; i < nc && n < G_N_ELEMENTS (names); i++)
    {
      const GbColumn *col = gb_dataset_get_column (adult_ds, i);
      if (g_strcmp0 (col->name, "income-per-year") != 0)
        names[n++] = col->name;
    }
  *n_out = n;
  return names;
}

/* Rank-based ROC-AUC (Mann–Whitney U, ties counted one half). */
static int
cmp_idx_score (gconstpointer a, gconstpointer b, gpointer data)
{
  const double *s = data;
  double x = s[*(const gsize *) a], y = s[*(const gsize *) b];
  return (x > y) - (x < y);
}

static double
roc_auc (const double *score, const double *y, gsize n)
{
  g_autofree gsize *idx = g_new (gsize, n);
  double n_pos = 0, n_neg = 0, rank_sum = 0;
  for (gsize i = 0; i < n; i++)
    idx[i] = i;
  g_qsort_with_data (idx, n, sizeof (gsize), cmp_idx_score, (gpointer) score);
  for (gsize i = 0; i < n;)
    {
      gsize j = i;
      while (j < n && score[idx[j]] == score[idx[i]])
        j++;
      double avg_rank = (i + 1 + j) / 2.0; /* ranks i+1 .. j */
      for (gsize k = i; k < j; k++)
        if (y[idx[k]] == 1.0)
          rank_sum += avg_rank;
      i = j;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (y[i] == 1.0)
        n_pos++;
      else
        n_neg++;
    }
  return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg);
}

static void
test_roc_auc_helper (void)
{
  double s[] = { 0.1, 0.4, 0.35, 0.8 };
  double y[] = { 0, 0, 1, 1 };
  double s2[] = { 0.5, 0.5, 0.5, 0.9 };
  g_assert_cmpfloat_with_epsilon (roc_auc (s, y, 4), 0.75, 1e-12);  /* sklearn */
  g_assert_cmpfloat_with_epsilon (roc_auc (s2, y, 4), 0.75, 1e-12); /* ties: (0.5+0.5+1+1)/4 */
}

static double *
train_adult (double *seconds, guint n_threads)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) model = NULL;
  GbTrainConfig tc;
  guint F;
  const char *const *features = adult_features (&F);
  gsize n = gb_dataset_get_n_rows (adult_ds);
  g_autofree guint8 *train_mask = g_new (guint8, n);
  double *pred2 = g_new (double, adult_n_test * 2);
  double *pred = g_new (double, adult_n_test);
  gint64 t0;

  g_assert_cmpuint (F, ==, 14);
  for (gsize r = 0; r < n; r++)
    train_mask[r] = adult_split[r] == 0;
  model = gb_model_new_tabular (adult_ds, features, F, train_mask, 2, NULL, 42, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  gb_train_config_init_default (&tc);
  tc.seed = 42;
  tc.n_threads = n_threads;
  t0 = g_get_monotonic_time ();
  g_assert_true (gb_model_train (model, adult_ds, adult_y, adult_split, &tc, NULL, NULL, NULL,
                                 &error));
  g_assert_no_error (error);
  *seconds = (g_get_monotonic_time () - t0) / 1e6;
  g_assert_true (gb_model_predict_proba (model, adult_ds, adult_test_rows, adult_n_test, pred2,
                                         NULL, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < adult_n_test; i++)
    {
      g_assert_cmpfloat_with_epsilon (pred2[2 * i] + pred2[2 * i + 1], 1.0, 1e-5);
      pred[i] = pred2[2 * i + 1];
    }
  g_free (pred2);
  return pred;
}

static void
test_adult_auc (void)
{
  double secs, auc;
  g_autofree double *ytest = NULL;

  load_adult ();
  adult_pred = train_adult (&secs, 2);
  ytest = g_new (double, adult_n_test);
  for (gsize i = 0; i < adult_n_test; i++)
    ytest[i] = adult_y[adult_test_rows[i]];
  auc = roc_auc (adult_pred, ytest, adult_n_test);
  g_test_message ("Adult held-out ROC-AUC %.4f (%" G_GSIZE_FORMAT " rows), training %.1f s "
                  "with 2 threads, default config", auc, adult_n_test, secs);
  g_assert_cmpfloat (auc, >=, 0.85);
}

static void
test_adult_deterministic (void)
{
  double secs;
  g_autofree double *pred = NULL;

  load_adult ();
  if (adult_pred == NULL)
    adult_pred = train_adult (&secs, 2);
  pred = train_adult (&secs, 2);
  g_assert_cmpmem (pred, adult_n_test * sizeof (double), adult_pred,
                   adult_n_test * sizeof (double));
}

typedef struct {
  GCancellable *cancellable;
  guint calls_after_cancel;
  gboolean cancelled;
} CancelCtx;

static void
cancel_progress (guint epoch, guint n_epochs, double fraction, double train_loss,
                 double val_loss, gpointer user_data)
{
  CancelCtx *c = user_data;
  if (c->cancelled)
    c->calls_after_cancel++;
  else
    {
      g_assert_cmpfloat (fraction, >, 0.0);
      g_assert_true (isfinite (train_loss));
      g_cancellable_cancel (c->cancellable);
      c->cancelled = TRUE;
    }
}

static void
test_adult_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) model = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelCtx ctx = { cancellable, 0, FALSE };
  GbTrainConfig tc;
  guint F;
  const char *const *features;

  load_adult ();
  features = adult_features (&F);
  model = gb_model_new_tabular (adult_ds, features, F, NULL, 2, NULL, 42, &error);
  g_assert_no_error (error);
  gb_train_config_init_default (&tc);
  tc.n_threads = 1;
  g_assert_false (gb_model_train (model, adult_ds, adult_y, adult_split, &tc, cancellable,
                                  cancel_progress, &ctx, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (ctx.cancelled);
  g_assert_cmpuint (ctx.calls_after_cancel, ==, 0);

  /* already cancelled: fails before the first step; inference too */
  g_clear_error (&error);
  g_assert_false (gb_model_train (model, adult_ds, adult_y, adult_split, &tc, cancellable,
                                  NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  {
    gsize rows[] = { 0, 1 };
    double out[4];
    g_assert_false (gb_model_predict_proba (model, adult_ds, rows, 2, out, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

static void
test_adult_bad_features (void)
{
  g_autoptr(GError) error = NULL;
  const char *bad[] = { "age", "no-such-column" };
  GbModel *model;

  load_adult ();
  model = gb_model_new_tabular (adult_ds, bad, 2, NULL, 2, NULL, 1, &error);
  g_assert_null (model);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no-such-column"));
  g_clear_error (&error);
  model = gb_model_new_tabular (adult_ds, bad, 1, NULL, 1, NULL, 1, &error);
  g_assert_null (model);
  g_assert_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT);
}

static void
test_adult_embed_rows (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GbModel) model = NULL;
  const char *feats[] = { "age", "workclass", "capital-gain" };
  gsize rows[] = { 0, 5, 27 }; /* row 27 has workclass "?" (missing) */
  guint T, C;
  g_autofree float *emb = NULL;
  float probs[6], probs2[6];
  double dprobs[6];

  load_adult ();
  model = gb_model_new_tabular (adult_ds, feats, 3, NULL, 2, NULL, 3, &error);
  g_assert_no_error (error);
  T = gb_model_get_seq_len (model);
  C = gb_model_get_d_model (model);
  g_assert_cmpuint (T, ==, 4);
  g_assert_cmpstr (gb_model_get_feature_name (model, 1), ==, "workclass");
  emb = g_new (float, 3 * T * C);
  gb_model_embed_rows (model, adult_ds, rows, 3, emb);
  gb_model_forward_embedded (model, emb, 3, probs);
  gb_model_gradient_embedded (model, emb, 3, 1, probs2, emb); /* grads overwrite emb: fine */
  g_assert_true (gb_model_predict_proba (model, adult_ds, rows, 3, dprobs, NULL, &error));
  for (int i = 0; i < 6; i++)
    {
      g_assert_cmpfloat_with_epsilon (probs[i], dprobs[i], 1e-6);
      g_assert_cmpfloat (probs[i], ==, probs2[i]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/model/layers/matmul-blas-vs-naive", test_matmul_blas_vs_naive);
  g_test_add_func ("/engine/model/layers/matmul-backward-fd", test_matmul_backward_fd);
  g_test_add_func ("/engine/model/layers/layernorm-backward-fd", test_layernorm_backward_fd);
  g_test_add_func ("/engine/model/layers/attention-backward-fd", test_attention_backward_fd);
  g_test_add_func ("/engine/model/layers/attention-mask-backward-fd",
                   test_attention_mask_backward_fd);
  g_test_add_func ("/engine/model/layers/attention-blas-vs-naive", test_attention_blas_vs_naive);
  g_test_add_func ("/engine/model/layers/gelu-backward-fd", test_gelu_backward_fd);
  g_test_add_func ("/engine/model/layers/residual-cls-backward-fd", test_residual_cls_backward_fd);
  g_test_add_func ("/engine/model/layers/crossentropy-backward-fd", test_crossentropy_backward_fd);
  g_test_add_func ("/engine/model/layers/tabular-embed-backward-fd",
                   test_tabular_embed_backward_fd);
  g_test_add_func ("/engine/model/layers/adamw-step", test_adamw_step);
  g_test_add_func ("/engine/model/model/parameter-gradients-fd", test_model_param_gradients_fd);
  g_test_add_func ("/engine/model/model/gradient-embedded-fd", test_model_gradient_embedded_fd);
  g_test_add_func ("/engine/model/torch/forward", test_model_torch_forward);
  g_test_add_func ("/engine/model/torch/backward", test_model_torch_backward);
  g_test_add_func ("/engine/model/adult/roc-auc-helper", test_roc_auc_helper);
  g_test_add_func ("/engine/model/adult/bad-features", test_adult_bad_features);
  g_test_add_func ("/engine/model/adult/embed-rows", test_adult_embed_rows);
  g_test_add_func ("/engine/model/adult/cancel", test_adult_cancel);
  g_test_add_func ("/engine/model/adult/train-auc", test_adult_auc);
  g_test_add_func ("/engine/model/adult/deterministic", test_adult_deterministic);

  return g_test_run ();
}
