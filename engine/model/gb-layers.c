/* gb-layers.c — layer kernels of the tabular transformer (llm.c style).
 * See gb-layers.h for the conventions. */
#include "gb-layers.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* The element-wise kernels (GELU, softmax, LayerNorm, AdamW…) are compiled
 * for AVX-512 and AVX2 besides baseline x86-64 and the best is chosen when the
 * library loads (GCC function multi-versioning).  The library is built with
 * -ffp-contract=off (no fused multiply-add) and GCC does not reorder float
 * reductions without -ffast-math, so every clone performs the same IEEE
 * operations in the same order: the results are bitwise identical whichever
 * clone runs, and identical to the scalar code.  The loops vectorise thanks
 * to -fno-trapping-math (engine/model/meson.build). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__)
#define GB_SIMD __attribute__ ((target_clones ("avx512f", "avx2", "default")))
#else
#define GB_SIMD
#endif

/* ---- tabular tokenizer --------------------------------------------------- */

void
gb_tabular_embed_forward (float *out,            /* (B, T, C) */
                          const float *xnum,     /* (B, F) */
                          const gint32 *xidx,    /* (B, F) */
                          const guint8 *is_cat,  /* (F) */
                          const float *cls,      /* (C) */
                          const float *num_w,    /* (NN, C) */
                          const float *num_b,    /* (NN, C) */
                          const float *num_miss, /* (NN, C) */
                          const float *table,    /* (V, C) */
                          int B, int F, int C)
{
  int T = F + 1;
  for (int b = 0; b < B; b++)
    {
      float *out_b = out + (gsize) b * T * C;
      memcpy (out_b, cls, C * sizeof (float));
      for (int j = 0; j < F; j++)
        {
          float *o = out_b + (gsize) (j + 1) * C;
          gint32 idx = xidx[b * F + j];
          if (is_cat[j])
            {
              memcpy (o, table + (gsize) idx * C, C * sizeof (float));
            }
          else
            {
              float x = xnum[b * F + j];
              if (isnan (x))
                memcpy (o, num_miss + (gsize) idx * C, C * sizeof (float));
              else
                {
                  const float *w = num_w + (gsize) idx * C;
                  const float *bi = num_b + (gsize) idx * C;
                  for (int c = 0; c < C; c++)
                    o[c] = x * w[c] + bi[c];
                }
            }
        }
    }
}

void
gb_tabular_embed_backward (float *dcls,          /* (C) nullable */
                           float *dnum_w,        /* (NN, C) nullable */
                           float *dnum_b,        /* (NN, C) nullable */
                           float *dnum_miss,     /* (NN, C) nullable */
                           float *dtable,        /* (V, C) nullable */
                           const float *dout,    /* (B, T, C) */
                           const float *xnum,    /* (B, F) */
                           const gint32 *xidx,   /* (B, F) */
                           const guint8 *is_cat, /* (F) */
                           int B, int F, int C)
{
  int T = F + 1;
  for (int b = 0; b < B; b++)
    {
      const float *d_b = dout + (gsize) b * T * C;
      if (dcls != NULL)
        for (int c = 0; c < C; c++)
          dcls[c] += d_b[c];
      for (int j = 0; j < F; j++)
        {
          const float *d = d_b + (gsize) (j + 1) * C;
          gint32 idx = xidx[b * F + j];
          if (is_cat[j])
            {
              if (dtable != NULL)
                {
                  float *dt = dtable + (gsize) idx * C;
                  for (int c = 0; c < C; c++)
                    dt[c] += d[c];
                }
            }
          else
            {
              float x = xnum[b * F + j];
              if (isnan (x))
                {
                  if (dnum_miss != NULL)
                    {
                      float *dm = dnum_miss + (gsize) idx * C;
                      for (int c = 0; c < C; c++)
                        dm[c] += d[c];
                    }
                }
              else
                {
                  if (dnum_w != NULL)
                    {
                      float *dw = dnum_w + (gsize) idx * C;
                      for (int c = 0; c < C; c++)
                        dw[c] += x * d[c];
                    }
                  if (dnum_b != NULL)
                    {
                      float *db = dnum_b + (gsize) idx * C;
                      for (int c = 0; c < C; c++)
                        db[c] += d[c];
                    }
                }
            }
        }
    }
}

/* ---- matmul -------------------------------------------------------------- */

GB_SIMD void
gb_matmul_forward (float *out,          /* (N, OC) */
                   const float *inp,    /* (N, C) */
                   const float *weight, /* (OC, C) */
                   const float *bias,   /* (OC) nullable */
                   int N, int C, int OC)
{
  if (N <= 0)
    return;
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, N, OC, C,
               1.0f, inp, C, weight, C, 0.0f, out, OC);
  if (bias != NULL)
    for (int n = 0; n < N; n++)
      {
        float *o = out + (gsize) n * OC;
        for (int i = 0; i < OC; i++)
          o[i] += bias[i];
      }
}

void
gb_matmul_forward_naive (float *out,          /* (N, OC) */
                         const float *inp,    /* (N, C) */
                         const float *weight, /* (OC, C) */
                         const float *bias,   /* (OC) nullable */
                         int N, int C, int OC)
{
  for (int n = 0; n < N; n++)
    {
      const float *x = inp + (gsize) n * C;
      for (int o = 0; o < OC; o++)
        {
          const float *w = weight + (gsize) o * C;
          float val = bias != NULL ? bias[o] : 0.0f;
          for (int i = 0; i < C; i++)
            val += x[i] * w[i];
          out[(gsize) n * OC + o] = val;
        }
    }
}

GB_SIMD void
gb_matmul_backward (float *dinp,         /* (N, C) nullable */
                    float *dweight,      /* (OC, C) nullable */
                    float *dbias,        /* (OC) nullable */
                    const float *dout,   /* (N, OC) */
                    const float *inp,    /* (N, C) */
                    const float *weight, /* (OC, C) */
                    int N, int C, int OC)
{
  if (N <= 0)
    return;
  /* dinp += dout · weight */
  if (dinp != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, N, C, OC,
                 1.0f, dout, OC, weight, C, 1.0f, dinp, C);
  /* dweight += doutᵀ · inp */
  if (dweight != NULL)
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, OC, C, N,
                 1.0f, dout, OC, inp, C, 1.0f, dweight, C);
  if (dbias != NULL)
    for (int n = 0; n < N; n++)
      {
        const float *d = dout + (gsize) n * OC;
        for (int o = 0; o < OC; o++)
          dbias[o] += d[o];
      }
}

void
gb_matmul_backward_naive (float *dinp,         /* (N, C) nullable */
                          float *dweight,      /* (OC, C) nullable */
                          float *dbias,        /* (OC) nullable */
                          const float *dout,   /* (N, OC) */
                          const float *inp,    /* (N, C) */
                          const float *weight, /* (OC, C) */
                          int N, int C, int OC)
{
  for (int n = 0; n < N; n++)
    {
      const float *d = dout + (gsize) n * OC;
      const float *x = inp + (gsize) n * C;
      for (int o = 0; o < OC; o++)
        {
          const float *w = weight + (gsize) o * C;
          if (dinp != NULL)
            for (int i = 0; i < C; i++)
              dinp[(gsize) n * C + i] += w[i] * d[o];
          if (dweight != NULL)
            for (int i = 0; i < C; i++)
              dweight[(gsize) o * C + i] += x[i] * d[o];
          if (dbias != NULL)
            dbias[o] += d[o];
        }
    }
}

/* ---- LayerNorm ----------------------------------------------------------- */

void
gb_layernorm_forward (float *out,          /* (N, C) */
                      float *mean,         /* (N) */
                      float *rstd,         /* (N) */
                      const float *inp,    /* (N, C) */
                      const float *weight, /* (C) */
                      const float *bias,   /* (C) */
                      int N, int C)
{
  gb_layernorm_forward_eps (out, mean, rstd, inp, weight, bias, N, C, GB_LAYERNORM_EPS);
}

GB_SIMD void
gb_layernorm_backward (float *dinp,         /* (N, C) nullable */
                       float *dweight,      /* (C) nullable */
                       float *dbias,        /* (C) nullable */
                       const float *dout,   /* (N, C) */
                       const float *inp,    /* (N, C) */
                       const float *weight, /* (C) */
                       const float *mean,   /* (N) */
                       const float *rstd,   /* (N) */
                       int N, int C)
{
  for (int n = 0; n < N; n++)
    {
      const float *d = dout + (gsize) n * C;
      const float *x = inp + (gsize) n * C;
      float m = mean[n], s = rstd[n];

      /* two reductions: mean of dnorm and of dnorm·norm */
      float dnorm_mean = 0.0f, dnorm_norm_mean = 0.0f;
      for (int i = 0; i < C; i++)
        {
          float norm = (x[i] - m) * s;
          float dnorm = weight[i] * d[i];
          dnorm_mean += dnorm;
          dnorm_norm_mean += dnorm * norm;
        }
      dnorm_mean /= C;
      dnorm_norm_mean /= C;

      for (int i = 0; i < C; i++)
        {
          float norm = (x[i] - m) * s;
          float dnorm = weight[i] * d[i];
          if (dbias != NULL)
            dbias[i] += d[i];
          if (dweight != NULL)
            dweight[i] += norm * d[i];
          if (dinp != NULL)
            dinp[(gsize) n * C + i] += (dnorm - dnorm_mean - norm * dnorm_norm_mean) * s;
        }
    }
}

/* ---- vectorisable erf / exp ------------------------------------------------ */

static inline float
bits_to_float (gint32 i)
{
  union { gint32 i; float f; } u = { .i = i };
  return u.f;
}

/* exp(x): n = round(x / ln 2) by the 1.5·2²³ trick, r = x − n·ln2 in two
 * parts (Cody & Waite), e^r by its degree-7 Taylor polynomial (|r| ≤ ln2/2,
 * truncation 7e-9 relative), times 2ⁿ built in the exponent bits. */
static inline float
expf_inline (float x)
{
  const float magic = 12582912.0f; /* 1.5 · 2^23 */
  x = x < -87.0f ? -87.0f : x;
  x = x > 88.0f ? 88.0f : x;
  float n = (x * 1.44269504088896341f + magic) - magic;
  float r = x - n * 0.693145751953125f;  /* ln2 high part (exact in float) */
  r = r - n * 1.42860682030941723e-6f;   /* ln2 low part */
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  return p * bits_to_float (((gint32) n + 127) << 23);
}

/* erf(x), branch-free: both pieces are evaluated and one is selected.
 * Coefficients: weighted least-squares minimax fits (Lawson's algorithm) of
 * erf(x)/x in x² on [0, 0.921875] and of log erfc(t) on [0.921875, 3.925],
 * in double (scipy.special), rounded to float. */
static inline float
erff_inline (float x)
{
  float a = fabsf (x);
  float s = x * x;
  /* small: x · P(x²) */
  float ps = -0.0006013386003436705f;
  ps = ps * s + 0.004997999086918647f;
  ps = ps * s + -0.026770230213994134f;
  ps = ps * s + 0.11281927119442058f;
  ps = ps * s + -0.37612505666242396f;
  ps = ps * s + 1.1283791516432518f;
  float small = x * ps;
  /* tail: 1 − exp(Q(|x|)) */
  float t = a > 3.925f ? 3.925f : a;
  float q = -4.377612492161696e-07f;
  q = q * t + -1.5475279968476316e-05f;
  q = q * t + 0.0004035911450421356f;
  q = q * t + -0.004076237018758595f;
  q = q * t + 0.02494119620605312f;
  q = q * t + -0.10807004809967644f;
  q = q * t + -0.6334985783059432f;
  q = q * t + -1.1294535245543358f;
  q = q * t + 0.00016400378871395677f;
  float big = 1.0f - expf_inline (q);
  big = a >= 3.925f ? 1.0f : big;
  big = x < 0.0f ? -big : big;
  return a < 0.921875f ? small : big;
}

/* ---- attention ----------------------------------------------------------- */

void
gb_attention_forward_naive (float *out,          /* (B, T, C) */
                      float *preatt,       /* (B, NH, T, T) */
                      float *att,          /* (B, NH, T, T) */
                      const float *qkv,    /* (B, T, 3C) */
                      const guint8 *mask,  /* (B, T) nullable */
                      int B, int T, int C, int NH)
{
  int C3 = 3 * C;
  int hs = C / NH;
  float scale = 1.0f / sqrtf ((float) hs);

  for (int b = 0; b < B; b++)
    for (int t = 0; t < T; t++)
      for (int h = 0; h < NH; h++)
        {
          const float *q = qkv + ((gsize) b * T + t) * C3 + h * hs;
          float *pre = preatt + (((gsize) b * NH + h) * T + t) * T;
          float *a = att + (((gsize) b * NH + h) * T + t) * T;
          float maxval = -INFINITY;

          for (int t2 = 0; t2 < T; t2++)
            {
              const float *k = qkv + ((gsize) b * T + t2) * C3 + C + h * hs;
              float val = 0.0f;
              for (int i = 0; i < hs; i++)
                val += q[i] * k[i];
              val *= scale;
              pre[t2] = val;
              if ((mask == NULL || mask[b * T + t2]) && val > maxval)
                maxval = val;
            }

          float sum = 0.0f;
          for (int t2 = 0; t2 < T; t2++)
            {
              float e = 0.0f;
              if (mask == NULL || mask[b * T + t2])
                e = expf (pre[t2] - maxval);
              a[t2] = e;
              sum += e;
            }
          float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
          for (int t2 = 0; t2 < T; t2++)
            a[t2] *= inv;

          float *o = out + ((gsize) b * T + t) * C + h * hs;
          for (int i = 0; i < hs; i++)
            o[i] = 0.0f;
          for (int t2 = 0; t2 < T; t2++)
            {
              const float *v = qkv + ((gsize) b * T + t2) * C3 + 2 * C + h * hs;
              float w = a[t2];
              for (int i = 0; i < hs; i++)
                o[i] += w * v[i];
            }
        }
}

void
gb_attention_backward_naive (float *dqkv,         /* (B, T, 3C) */
                       float *dpreatt,      /* (B, NH, T, T) */
                       float *datt,         /* (B, NH, T, T) */
                       const float *dout,   /* (B, T, C) */
                       const float *qkv,    /* (B, T, 3C) */
                       const float *att,    /* (B, NH, T, T) */
                       int B, int T, int C, int NH)
{
  int C3 = 3 * C;
  int hs = C / NH;
  float scale = 1.0f / sqrtf ((float) hs);

  for (int b = 0; b < B; b++)
    for (int t = 0; t < T; t++)
      for (int h = 0; h < NH; h++)
        {
          gsize row = (((gsize) b * NH + h) * T + t) * T;
          const float *a = att + row;
          float *da = datt + row;
          float *dpre = dpreatt + row;
          const float *q = qkv + ((gsize) b * T + t) * C3 + h * hs;
          float *dq = dqkv + ((gsize) b * T + t) * C3 + h * hs;
          const float *d = dout + ((gsize) b * T + t) * C + h * hs;

          /* backward through out = Σ att · v */
          for (int t2 = 0; t2 < T; t2++)
            {
              const float *v = qkv + ((gsize) b * T + t2) * C3 + 2 * C + h * hs;
              float *dv = dqkv + ((gsize) b * T + t2) * C3 + 2 * C + h * hs;
              float s = 0.0f;
              for (int i = 0; i < hs; i++)
                {
                  s += v[i] * d[i];
                  dv[i] += a[t2] * d[i];
                }
              da[t2] += s;
            }

          /* softmax backward: dpre = att ⊙ (datt − Σ att·datt);
           * masked positions have att = 0 and get no gradient. */
          float dot = 0.0f;
          for (int t2 = 0; t2 < T; t2++)
            dot += a[t2] * da[t2];
          for (int t2 = 0; t2 < T; t2++)
            dpre[t2] += a[t2] * (da[t2] - dot);

          /* backward through pre = scale · q·k */
          for (int t2 = 0; t2 < T; t2++)
            {
              const float *k = qkv + ((gsize) b * T + t2) * C3 + C + h * hs;
              float *dk = dqkv + ((gsize) b * T + t2) * C3 + C + h * hs;
              float g = dpre[t2] * scale;
              for (int i = 0; i < hs; i++)
                {
                  dq[i] += k[i] * g;
                  dk[i] += q[i] * g;
                }
            }
        }
}

/* Tile edge of the attention forward: keys and head dimensions are taken 64
 * at a time, so a tile of Kᵀ (16 KiB, on the stack) stays in L1. */
#define GB_ATT_TILE 64

/* 16 floats as one GCC generic vector: AVX-512 registers in the avx512f
 * clone, pairs or quads of narrower ones elsewhere.  Element-wise IEEE
 * operations, so the results do not depend on the clone. */
typedef float gb_v16 __attribute__ ((vector_size (64)));
/* unaligned loads and stores (macros: a by-value 64-byte vector would hit
 * GCC's -Wpsabi warning in the non-AVX-512 clones) */
#define V16_LOAD(v, p) memcpy (&(v), (p), sizeof (gb_v16))
#define V16_STORE(p, v) memcpy ((p), &(v), sizeof (gb_v16))

/* o[0 .. width−1] (+)= Σ_{j < n} w[j] · tile[j, 0 .. width−1], tile a (n,
 * GB_ATT_TILE) block, the sum over j in order; @first: start from zero,
 * else continue the sums already in o; @scaled: multiply by @scale before
 * storing.  The attention's one inner kernel: a query row against a tile of
 * Kᵀ (the scores) and a probability row against a tile of V (the values). */
static inline void
attention_row_tile (float *o, const float *w, const float *tile, int n, int width,
                    gboolean first, gboolean scaled, float scale)
{
  if (width == GB_ATT_TILE)
    {
      /* a full tile: the 64 sums stay in four vector registers */
      gb_v16 a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 }, t0, t1, t2, t3;
      if (!first)
        {
          V16_LOAD (a0, o);
          V16_LOAD (a1, o + 16);
          V16_LOAD (a2, o + 32);
          V16_LOAD (a3, o + 48);
        }
      for (int j = 0; j < n; j++)
        {
          float wj = w[j];
          const float *tr = tile + (gsize) j * GB_ATT_TILE;
          V16_LOAD (t0, tr);
          V16_LOAD (t1, tr + 16);
          V16_LOAD (t2, tr + 32);
          V16_LOAD (t3, tr + 48);
          a0 += wj * t0;
          a1 += wj * t1;
          a2 += wj * t2;
          a3 += wj * t3;
        }
      if (scaled)
        {
          a0 *= scale;
          a1 *= scale;
          a2 *= scale;
          a3 *= scale;
        }
      V16_STORE (o, a0);
      V16_STORE (o + 16, a1);
      V16_STORE (o + 32, a2);
      V16_STORE (o + 48, a3);
      return;
    }
  if (width <= 16)
    {
      /* a short row (few tokens or a narrow head, as in tabular models): one
       * vector whose lanes past width read the tile's zero padding and are
       * dropped */
      float buf[16] = { 0 };
      gb_v16 a0, t0;
      if (!first)
        memcpy (buf, o, width * sizeof (float));
      V16_LOAD (a0, buf);
      for (int j = 0; j < n; j++)
        {
          V16_LOAD (t0, tile + (gsize) j * GB_ATT_TILE);
          a0 += w[j] * t0;
        }
      if (scaled)
        a0 *= scale;
      V16_STORE (buf, a0);
      memcpy (o, buf, width * sizeof (float));
      return;
    }
  float acc[GB_ATT_TILE];
  for (int i = 0; i < width; i++)
    acc[i] = first ? 0.0f : o[i];
  for (int j = 0; j < n; j++)
    {
      float wj = w[j];
      const float *tr = tile + (gsize) j * GB_ATT_TILE;
      for (int i = 0; i < width; i++)
        acc[i] += wj * tr[i];
    }
  if (scaled)
    for (int i = 0; i < width; i++)
      o[i] = acc[i] * scale;
  else
    for (int i = 0; i < width; i++)
      o[i] = acc[i];
}

/* pre[t, t0 .. t0+nk−1] (+)= Σ_{d < nd} q[t, d] · kt[d, ·] for every query t;
 * kt is a (nd, GB_ATT_TILE) tile of Kᵀ.  @first: start from zero, else
 * continue the sums already in pre; @last: multiply by @scale at the end.
 * The sum over d runs in the same order as the naive twin's. */
static inline void
attention_scores_tile (float *pre, const float *q, const float *kt, int T, int C3, int t0,
                       int nk, int nd, gboolean first, gboolean last, float scale)
{
  for (int t = 0; t < T; t++)
    attention_row_tile (pre + (gsize) t * T + t0, q + (gsize) t * C3, kt, nd, nk, first, last,
                        scale);
}

/* o[0 .. ni−1] (+)= Σ_{j < nk} a[j] · vt[j, 0 .. ni−1], vt a (nk, GB_ATT_TILE)
 * tile of V; @first: start from zero, else continue the sums in o.  Over
 * successive tiles the sum runs over the keys in the naive twin's order. */
static inline void
attention_values_tile (float *o, const float *a, const float *vt, int nk, int ni,
                       gboolean first)
{
  attention_row_tile (o, a, vt, nk, ni, first, FALSE, 1.0f);
}

/* ar = softmax of pr over the keys that @mask (nullable) keeps; all masked:
 * zeros.  ar may be pr.  The maximum and the sum are taken in 16 lanes (the
 * maximum is exact in any order; the sum's rounding differs from a
 * sequential one), so that they vectorise. */
static inline void
attention_softmax_row (float *ar, const float *pr, const guint8 *mask, int T)
{
  float lane[16], maxval = -INFINITY, sum = 0.0f;
  int T16 = T - T % 16;
  for (int j = 0; j < 16; j++)
    lane[j] = -INFINITY;
  for (int t2 = 0; t2 < T16; t2 += 16)
    for (int j = 0; j < 16; j++)
      {
        float x = pr[t2 + j];
        lane[j] = (mask == NULL || mask[t2 + j]) && x > lane[j] ? x : lane[j];
      }
  for (int j = 0; j < 16; j++)
    if (lane[j] > maxval)
      maxval = lane[j];
  for (int t2 = T16; t2 < T; t2++)
    if ((mask == NULL || mask[t2]) && pr[t2] > maxval)
      maxval = pr[t2];
  if (mask == NULL)
    for (int t2 = 0; t2 < T; t2++)
      ar[t2] = expf_inline (pr[t2] - maxval);
  else
    for (int t2 = 0; t2 < T; t2++)
      ar[t2] = mask[t2] ? expf_inline (pr[t2] - maxval) : 0.0f;
  for (int j = 0; j < 16; j++)
    lane[j] = 0.0f;
  for (int t2 = 0; t2 < T16; t2 += 16)
    for (int j = 0; j < 16; j++)
      lane[j] += ar[t2 + j];
  for (int j = 0; j < 16; j++)
    sum += lane[j];
  for (int t2 = T16; t2 < T; t2++)
    sum += ar[t2];
  float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
  for (int t2 = 0; t2 < T; t2++)
    ar[t2] *= inv;
}

/* Short sequences (T < GB_ATT_TILED_MIN_T): per row b and head h, two small
 * strided sgemm calls (Q·Kᵀ, A·V) around the softmax.  For tabular models
 * (T 15, hs 8) this was about 1.3× faster than the tiled loops below, whose
 * tiles are then mostly padding, and no slower up to T 100. */
static inline void
attention_forward_sgemm (float *out, float *preatt, float *att, const float *qkv,
                         const guint8 *mask, int B, int T, int C, int NH)
{
  int C3 = 3 * C;
  int hs = C / NH;
  float scale = 1.0f / sqrtf ((float) hs);

  for (int b = 0; b < B; b++)
    for (int h = 0; h < NH; h++)
      {
        const float *q = qkv + (gsize) b * T * C3 + h * hs;  /* (T, hs), stride 3C */
        const float *k = q + C;
        const float *v = q + 2 * C;
        float *pre = preatt + ((gsize) b * NH + h) * T * T;  /* (T, T) */
        float *a = att + ((gsize) b * NH + h) * T * T;       /* (T, T) */

        /* pre = scale · Q Kᵀ */
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, T, T, hs,
                     scale, q, C3, k, C3, 0.0f, pre, T);
        for (int t = 0; t < T; t++)
          {
            const float *pr = pre + (gsize) t * T;
            float *ar = a + (gsize) t * T;
            float maxval = -INFINITY, sum = 0.0f;
            for (int t2 = 0; t2 < T; t2++)
              if ((mask == NULL || mask[b * T + t2]) && pr[t2] > maxval)
                maxval = pr[t2];
            if (mask == NULL)
              for (int t2 = 0; t2 < T; t2++)
                ar[t2] = expf_inline (pr[t2] - maxval);
            else
              for (int t2 = 0; t2 < T; t2++)
                ar[t2] = mask[b * T + t2] ? expf_inline (pr[t2] - maxval) : 0.0f;
            for (int t2 = 0; t2 < T; t2++)
              sum += ar[t2];
            float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
            for (int t2 = 0; t2 < T; t2++)
              ar[t2] *= inv;
          }
        /* out_h = A V */
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, T, hs, T,
                     1.0f, a, T, v, C3, 0.0f, out + (gsize) b * T * C + h * hs, C);
      }
}


/* Long sequences (T >= GB_ATT_TILED_MIN_T): per row b and head h, Q·Kᵀ over
 * tiles of Kᵀ copied to the stack, the softmax, and A·V, each as loops that
 * GCC vectorises over keys (Q·Kᵀ) or head dimensions (A·V).  The dot
 * products are summed in the naive twin's order (the scores are bitwise
 * equal), so the two differ only in the softmax: expf_inline vs expf and the
 * order of its sum.  The sgemm version costs 2·B·NH small strided products
 * per layer, each paying OpenBLAS's packing and thread hand-off: for
 * BERT-base at batch 8 × 128 on 2 threads it took about as long as these
 * loops on one, and up to 4× longer on a loaded machine, where each hand-off
 * may wait for the other thread to be scheduled. */
#define GB_ATT_TILED_MIN_T 128
GB_SIMD void
gb_attention_forward (float *out,          /* (B, T, C) */
                      float *preatt,       /* (B, NH, T, T) */
                      float *att,          /* (B, NH, T, T) */
                      const float *qkv,    /* (B, T, 3C) */
                      const guint8 *mask,  /* (B, T) nullable */
                      int B, int T, int C, int NH)
{
  int C3 = 3 * C;
  int hs = C / NH;
  float scale = 1.0f / sqrtf ((float) hs);
  float tile[GB_ATT_TILE * GB_ATT_TILE];  /* a tile of Kᵀ or of V */

  if (T < GB_ATT_TILED_MIN_T)
    {
      attention_forward_sgemm (out, preatt, att, qkv, mask, B, T, C, NH);
      return;
    }
  for (int b = 0; b < B; b++)
    for (int h = 0; h < NH; h++)
      {
        const float *q = qkv + (gsize) b * T * C3 + h * hs;  /* (T, hs), stride 3C */
        const float *k = q + C;
        const float *v = q + 2 * C;
        float *pre = preatt + ((gsize) b * NH + h) * T * T;  /* (T, T) */
        float *a = att + ((gsize) b * NH + h) * T * T;       /* (T, T) */

        /* pre = scale · Q Kᵀ */
        for (int t0 = 0; t0 < T; t0 += GB_ATT_TILE)
          {
            int nk = MIN (GB_ATT_TILE, T - t0);
            for (int d0 = 0; d0 < hs; d0 += GB_ATT_TILE)
              {
                int nd = MIN (GB_ATT_TILE, hs - d0);
                for (int j = 0; j < nk; j++)
                  {
                    const float *kr = k + (gsize) (t0 + j) * C3 + d0;
                    for (int d = 0; d < nd; d++)
                      tile[d * GB_ATT_TILE + j] = kr[d];
                  }
                for (int d = 0; nk < 16 && d < nd; d++)
                  memset (tile + d * GB_ATT_TILE + nk, 0, (16 - nk) * sizeof (float));
                attention_scores_tile (pre, q + d0, tile, T, C3, t0, nk, nd, d0 == 0,
                                       d0 + nd >= hs, scale);
              }
          }
        for (int t = 0; t < T; t++)
          attention_softmax_row (a + (gsize) t * T, pre + (gsize) t * T,
                                 mask != NULL ? mask + b * T : NULL, T);
        /* out_h = A V, over tiles of V copied to the stack (its rows are 3C
         * apart: read in place, they would collide in the cache sets) */
        for (int i0 = 0; i0 < hs; i0 += GB_ATT_TILE)
          {
            int ni = MIN (GB_ATT_TILE, hs - i0);
            for (int t0 = 0; t0 < T; t0 += GB_ATT_TILE)
              {
                int nk = MIN (GB_ATT_TILE, T - t0);
                for (int j = 0; j < nk; j++)
                  {
                    memcpy (tile + j * GB_ATT_TILE, v + (gsize) (t0 + j) * C3 + i0,
                            ni * sizeof (float));
                    if (ni < 16)
                      memset (tile + j * GB_ATT_TILE + ni, 0, (16 - ni) * sizeof (float));
                  }
                for (int t = 0; t < T; t++)
                  attention_values_tile (out + ((gsize) b * T + t) * C + h * hs + i0,
                                         a + (gsize) t * T + t0, tile, nk, ni, t0 == 0);
              }
          }
      }
}

/* The BLAS backward: per row b and head h, four small strided sgemm calls
 * (Aᵀ·dO, dO·Vᵀ, dPre·K, dPreᵀ·Q) around the softmax backward. */
GB_SIMD void
gb_attention_backward (float *dqkv,         /* (B, T, 3C) */
                       float *dpreatt,      /* (B, NH, T, T) */
                       float *datt,         /* (B, NH, T, T) */
                       const float *dout,   /* (B, T, C) */
                       const float *qkv,    /* (B, T, 3C) */
                       const float *att,    /* (B, NH, T, T) */
                       int B, int T, int C, int NH)
{
  int C3 = 3 * C;
  int hs = C / NH;
  float scale = 1.0f / sqrtf ((float) hs);

  for (int b = 0; b < B; b++)
    for (int h = 0; h < NH; h++)
      {
        const float *q = qkv + (gsize) b * T * C3 + h * hs;  /* (T, hs), stride 3C */
        const float *k = q + C;
        const float *v = q + 2 * C;
        float *dq = dqkv + (gsize) b * T * C3 + h * hs;
        float *dk = dq + C;
        float *dv = dq + 2 * C;
        const float *d = dout + (gsize) b * T * C + h * hs;  /* (T, hs), stride C */
        const float *a = att + ((gsize) b * NH + h) * T * T;
        float *da = datt + ((gsize) b * NH + h) * T * T;
        float *dpre = dpreatt + ((gsize) b * NH + h) * T * T;

        /* dV += Aᵀ dO;  dA += dO Vᵀ */
        cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, T, hs, T,
                     1.0f, a, T, d, C, 1.0f, dv, C3);
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, T, T, hs,
                     1.0f, d, C, v, C3, 1.0f, da, T);
        /* softmax backward, row by row */
        for (int t = 0; t < T; t++)
          {
            const float *ar = a + (gsize) t * T;
            const float *dar = da + (gsize) t * T;
            float *dpr = dpre + (gsize) t * T;
            float dot = 0.0f;
            for (int t2 = 0; t2 < T; t2++)
              dot += ar[t2] * dar[t2];
            for (int t2 = 0; t2 < T; t2++)
              dpr[t2] += ar[t2] * (dar[t2] - dot);
          }
        /* dQ += scale · dPre K;  dK += scale · dPreᵀ Q */
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, T, hs, T,
                     scale, dpre, T, k, C3, 1.0f, dq, C3);
        cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, T, hs, T,
                     scale, dpre, T, q, C3, 1.0f, dk, C3);
      }
}

float
gb_erff (float x)
{
  return erff_inline (x);
}

float
gb_expf (float x)
{
  return expf_inline (x);
}

/* ---- GELU ---------------------------------------------------------------- */

GB_SIMD void
gb_gelu_forward (float *out,       /* (N) */
                 const float *inp, /* (N) */
                 gsize N)
{
  for (gsize i = 0; i < N; i++)
    {
      float x = inp[i];
      out[i] = 0.5f * x * (1.0f + erff_inline (x * (float) M_SQRT1_2));
    }
}

GB_SIMD void
gb_gelu_backward (float *dinp,       /* (N) */
                  const float *inp,  /* (N) */
                  const float *dout, /* (N) */
                  gsize N)
{
  const float inv_sqrt_2pi = 0.3989422804014327f;
  for (gsize i = 0; i < N; i++)
    {
      float x = inp[i];
      float cdf = 0.5f * (1.0f + erff_inline (x * (float) M_SQRT1_2));
      float pdf = inv_sqrt_2pi * expf_inline (-0.5f * x * x);
      dinp[i] += (cdf + x * pdf) * dout[i];
    }
}

void
gb_gelu_forward_naive (float *out,       /* (N) */
                       const float *inp, /* (N) */
                       gsize N)
{
  for (gsize i = 0; i < N; i++)
    {
      float x = inp[i];
      out[i] = 0.5f * x * (1.0f + erff (x * (float) M_SQRT1_2));
    }
}

void
gb_gelu_backward_naive (float *dinp,       /* (N) */
                        const float *inp,  /* (N) */
                        const float *dout, /* (N) */
                        gsize N)
{
  const float inv_sqrt_2pi = 0.3989422804014327f;
  for (gsize i = 0; i < N; i++)
    {
      float x = inp[i];
      float cdf = 0.5f * (1.0f + erff (x * (float) M_SQRT1_2));
      float pdf = inv_sqrt_2pi * expf (-0.5f * x * x);
      dinp[i] += (cdf + x * pdf) * dout[i];
    }
}

/* ---- residual ------------------------------------------------------------ */

GB_SIMD void
gb_residual_forward (float *out,     /* (N) */
                     const float *a, /* (N) */
                     const float *b, /* (N) */
                     gsize N)
{
  for (gsize i = 0; i < N; i++)
    out[i] = a[i] + b[i];
}

GB_SIMD void
gb_residual_backward (float *da,         /* (N) */
                      float *db,         /* (N) */
                      const float *dout, /* (N) */
                      gsize N)
{
  for (gsize i = 0; i < N; i++)
    {
      da[i] += dout[i];
      db[i] += dout[i];
    }
}

/* ---- [CLS] gather -------------------------------------------------------- */

void
gb_cls_forward (float *out,       /* (B, C) */
                const float *inp, /* (B, T, C) */
                int B, int T, int C)
{
  for (int b = 0; b < B; b++)
    memcpy (out + (gsize) b * C, inp + (gsize) b * T * C, C * sizeof (float));
}

void
gb_cls_backward (float *dinp,       /* (B, T, C) */
                 const float *dout, /* (B, C) */
                 int B, int T, int C)
{
  for (int b = 0; b < B; b++)
    for (int c = 0; c < C; c++)
      dinp[(gsize) b * T * C + c] += dout[(gsize) b * C + c];
}

/* ---- softmax / cross-entropy -------------------------------------------- */

void
gb_softmax_forward (float *probs,        /* (B, K) */
                    const float *logits, /* (B, K) */
                    int B, int K)
{
  for (int b = 0; b < B; b++)
    {
      const float *l = logits + (gsize) b * K;
      float *p = probs + (gsize) b * K;
      float maxval = -INFINITY, sum = 0.0f;
      for (int k = 0; k < K; k++)
        maxval = MAX (maxval, l[k]);
      for (int k = 0; k < K; k++)
        {
          p[k] = expf (l[k] - maxval);
          sum += p[k];
        }
      for (int k = 0; k < K; k++)
        p[k] /= sum;
    }
}

void
gb_crossentropy_forward (float *losses,          /* (B) */
                         const float *probs,     /* (B, K) */
                         const gint32 *targets,  /* (B) */
                         int B, int K)
{
  for (int b = 0; b < B; b++)
    losses[b] = -logf (MAX (probs[(gsize) b * K + targets[b]], 1e-30f));
}

void
gb_crossentropy_softmax_backward (float *dlogits,        /* (B, K) */
                                  const float *dlosses,  /* (B) */
                                  const float *probs,    /* (B, K) */
                                  const gint32 *targets, /* (B) */
                                  int B, int K)
{
  for (int b = 0; b < B; b++)
    for (int k = 0; k < K; k++)
      {
        float ind = k == targets[b] ? 1.0f : 0.0f;
        dlogits[(gsize) b * K + k] += dlosses[b] * (probs[(gsize) b * K + k] - ind);
      }
}

void
gb_softmax_prob_backward (float *dlogits,     /* (B, K) */
                          const float *probs, /* (B, K) */
                          int k, int B, int K)
{
  for (int b = 0; b < B; b++)
    {
      const float *p = probs + (gsize) b * K;
      for (int j = 0; j < K; j++)
        dlogits[(gsize) b * K + j] += p[k] * ((j == k ? 1.0f : 0.0f) - p[j]);
    }
}

/* ---- AdamW --------------------------------------------------------------- */

GB_SIMD void
gb_adamw_update (float *params,      /* (N) */
                 float *m,           /* (N) */
                 float *v,           /* (N) */
                 const float *grads, /* (N) */
                 gsize N, float lr, float beta1, float beta2, float eps,
                 float weight_decay, int t)
{
  float bc1 = 1.0f - powf (beta1, (float) t);
  float bc2 = 1.0f - powf (beta2, (float) t);
  for (gsize i = 0; i < N; i++)
    {
      float g = grads[i];
      m[i] = beta1 * m[i] + (1.0f - beta1) * g;
      v[i] = beta2 * v[i] + (1.0f - beta2) * g * g;
      float mhat = m[i] / bc1;
      float vhat = v[i] / bc2;
      params[i] -= lr * (mhat / (sqrtf (vhat) + eps) + weight_decay * params[i]);
    }
}

/* ==== added for text models, dropout and speed ============================= */

/* ---- feature tokens -------------------------------------------------------- */

void
gb_feature_embed_forward (float *out,            /* (B, T, C) */
                          const float *xnum,     /* (B, F) */
                          const gint32 *xidx,    /* (B, F) */
                          const guint8 *is_cat,  /* (F) */
                          const float *num_w,    /* (NN, C) */
                          const float *num_b,    /* (NN, C) */
                          const float *num_miss, /* (NN, C) */
                          const float *table,    /* (NV, C) */
                          int B, int T, int F, int C, int t0)
{
  for (int b = 0; b < B; b++)
    for (int j = 0; j < F; j++)
      {
        float *o = out + ((gsize) b * T + t0 + j) * C;
        gint32 idx = xidx[b * F + j];
        if (is_cat[j])
          memcpy (o, table + (gsize) idx * C, C * sizeof (float));
        else
          {
            float x = xnum[b * F + j];
            if (isnan (x))
              memcpy (o, num_miss + (gsize) idx * C, C * sizeof (float));
            else
              {
                const float *w = num_w + (gsize) idx * C;
                const float *bi = num_b + (gsize) idx * C;
                for (int c = 0; c < C; c++)
                  o[c] = x * w[c] + bi[c];
              }
          }
      }
}

void
gb_feature_embed_backward (float *dnum_w,        /* (NN, C) nullable */
                           float *dnum_b,        /* (NN, C) nullable */
                           float *dnum_miss,     /* (NN, C) nullable */
                           float *dtable,        /* (NV, C) nullable */
                           const float *dout,    /* (B, T, C) */
                           const float *xnum,    /* (B, F) */
                           const gint32 *xidx,   /* (B, F) */
                           const guint8 *is_cat, /* (F) */
                           int B, int T, int F, int C, int t0)
{
  for (int b = 0; b < B; b++)
    for (int j = 0; j < F; j++)
      {
        const float *d = dout + ((gsize) b * T + t0 + j) * C;
        gint32 idx = xidx[b * F + j];
        float *dst = NULL;
        if (is_cat[j])
          dst = dtable != NULL ? dtable + (gsize) idx * C : NULL;
        else if (isnan (xnum[b * F + j]))
          dst = dnum_miss != NULL ? dnum_miss + (gsize) idx * C : NULL;
        else
          {
            float x = xnum[b * F + j];
            if (dnum_w != NULL)
              {
                float *dw = dnum_w + (gsize) idx * C;
                for (int c = 0; c < C; c++)
                  dw[c] += x * d[c];
              }
            dst = dnum_b != NULL ? dnum_b + (gsize) idx * C : NULL;
          }
        if (dst != NULL)
          for (int c = 0; c < C; c++)
            dst[c] += d[c];
      }
}

/* ---- BERT embeddings --------------------------------------------------------- */

void
gb_embedding_forward (float *out,           /* (B, T, C) */
                      const gint32 *ids,    /* (B, T) */
                      const gint32 *types,  /* (B, T) nullable */
                      const float *wte,     /* (V, C) */
                      const float *wpe,     /* (T, C) nullable */
                      const float *wtt,     /* (TV, C) nullable */
                      int B, int T, int C)
{
  for (int b = 0; b < B; b++)
    for (int t = 0; t < T; t++)
      {
        float *o = out + ((gsize) b * T + t) * C;
        gint32 id = ids[b * T + t];
        if (id >= 0)
          memcpy (o, wte + (gsize) id * C, C * sizeof (float));
        if (wpe != NULL)
          {
            const float *pe = wpe + (gsize) t * C;
            for (int c = 0; c < C; c++)
              o[c] += pe[c];
          }
        if (wtt != NULL && types != NULL)
          {
            const float *te = wtt + (gsize) types[b * T + t] * C;
            for (int c = 0; c < C; c++)
              o[c] += te[c];
          }
      }
}

void
gb_embedding_backward (float *dwte,          /* (V, C) nullable */
                       float *dwpe,          /* (T, C) nullable */
                       float *dwtt,          /* (TV, C) nullable */
                       const float *dout,    /* (B, T, C) */
                       const gint32 *ids,    /* (B, T) */
                       const gint32 *types,  /* (B, T) nullable */
                       int B, int T, int C)
{
  for (int b = 0; b < B; b++)
    for (int t = 0; t < T; t++)
      {
        const float *d = dout + ((gsize) b * T + t) * C;
        gint32 id = ids[b * T + t];
        if (dwte != NULL && id >= 0)
          {
            float *dw = dwte + (gsize) id * C;
            for (int c = 0; c < C; c++)
              dw[c] += d[c];
          }
        if (dwpe != NULL)
          {
            float *dp = dwpe + (gsize) t * C;
            for (int c = 0; c < C; c++)
              dp[c] += d[c];
          }
        if (dwtt != NULL && types != NULL)
          {
            float *dt = dwtt + (gsize) types[b * T + t] * C;
            for (int c = 0; c < C; c++)
              dt[c] += d[c];
          }
      }
}

/* ---- LayerNorm with epsilon ---------------------------------------------------- */

GB_SIMD void
gb_layernorm_forward_eps (float *out,          /* (N, C) */
                          float *mean,         /* (N) */
                          float *rstd,         /* (N) */
                          const float *inp,    /* (N, C) */
                          const float *weight, /* (C) */
                          const float *bias,   /* (C) */
                          int N, int C, float eps)
{
  for (int n = 0; n < N; n++)
    {
      const float *x = inp + (gsize) n * C;
      float *o = out + (gsize) n * C;
      float m = 0.0f, v = 0.0f;
      for (int i = 0; i < C; i++)
        m += x[i];
      m /= C;
      for (int i = 0; i < C; i++)
        {
          float d = x[i] - m;
          v += d * d;
        }
      v /= C;
      float s = 1.0f / sqrtf (v + eps);
      for (int i = 0; i < C; i++)
        o[i] = (x[i] - m) * s * weight[i] + bias[i];
      mean[n] = m;
      rstd[n] = s;
    }
}

/* ---- tanh / ReLU ----------------------------------------------------------------- */

void
gb_tanh_forward (float *out, const float *inp, gsize N)
{
  for (gsize i = 0; i < N; i++)
    out[i] = tanhf (inp[i]);
}

void
gb_tanh_backward (float *dinp, const float *out, const float *dout, gsize N)
{
  for (gsize i = 0; i < N; i++)
    dinp[i] += (1.0f - out[i] * out[i]) * dout[i];
}

void
gb_relu_forward (float *out, const float *inp, gsize N)
{
  for (gsize i = 0; i < N; i++)
    out[i] = inp[i] > 0.0f ? inp[i] : 0.0f;
}

void
gb_relu_backward (float *dinp, const float *out, const float *dout, gsize N)
{
  for (gsize i = 0; i < N; i++)
    dinp[i] += out[i] > 0.0f ? dout[i] : 0.0f;
}

/* ---- dropout ---------------------------------------------------------------------- */

static inline guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void
gb_dropout_mask (float *mask, gsize N, float p, guint64 *state)
{
  float keep = 1.0f / (1.0f - p);
  /* 2^24 · p: a draw of 24 uniform bits below it drops the unit */
  guint32 threshold = (guint32) llround ((double) p * 16777216.0);
  for (gsize i = 0; i < N; i += 2)
    {
      guint64 z = splitmix64 (state);
      mask[i] = (guint32) (z & 0xffffff) < threshold ? 0.0f : keep;
      if (i + 1 < N)
        mask[i + 1] = (guint32) ((z >> 32) & 0xffffff) < threshold ? 0.0f : keep;
    }
}

void
gb_dropout_apply (float *out, const float *inp, const float *mask, gsize N)
{
  for (gsize i = 0; i < N; i++)
    out[i] = inp[i] * mask[i];
}

double
gb_sum_squares (const float *x, gsize N)
{
  double s = 0.0;
  for (gsize i = 0; i < N; i++)
    s += (double) x[i] * x[i];
  return s;
}
