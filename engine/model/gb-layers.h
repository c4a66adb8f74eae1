/* gb-layers.h — the transformer's layer kernels, in the style of llm.c
 * (Karpathy, train_gpt2.c).
 *
 * Conventions (DESIGN.md, "Engine layers"):
 *  - every layer is a gb_<layer>_forward / gb_<layer>_backward pair; outputs
 *    come first, then inputs, then parameters, then the shapes;
 *  - every pointer carries its shape in a comment, row-major;
 *  - kernels never allocate;
 *  - backward ACCUMULATES (+=) into every gradient it writes; zeroing the
 *    gradient buffers is the caller's job.  A gradient pointer documented as
 *    nullable may be NULL, in which case that gradient is skipped (used by
 *    gb_model_gradient_embedded(), which needs input gradients only);
 *  - float32 throughout;
 *  - every BLAS-backed kernel (matmul, attention) has a naive twin with the same
 *    signature and the suffix _naive, compared in tests/test-model.c.
 *
 * Internal to engine/model; not installed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* LayerNorm epsilon, as torch.nn.LayerNorm / nn.TransformerEncoderLayer. */
#define GB_LAYERNORM_EPS 1e-5f

/* ---- tabular tokenizer (FT-Transformer feature tokens + [CLS]) -------------
 *
 * Token 0 of each row is @cls.  Token j+1 is feature j:
 *   is_cat[j] != 0:  table[xidx[b,j]]                       (categorical)
 *   is_cat[j] == 0:  s = xidx[b,j] is the numeric slot;
 *                    isnan(xnum[b,j]) ? num_miss[s]
 *                                     : xnum[b,j] * num_w[s] + num_b[s]
 * xnum holds the standardised value (x − mean) / SD.
 * (Gorishniy et al. 2021, "Revisiting Deep Learning Models for Tabular Data".)
 */
void gb_tabular_embed_forward (float *out,            /* (B, T=F+1, C) */
                               const float *xnum,     /* (B, F) */
                               const gint32 *xidx,    /* (B, F) */
                               const guint8 *is_cat,  /* (F) */
                               const float *cls,      /* (C) */
                               const float *num_w,    /* (NN, C) */
                               const float *num_b,    /* (NN, C) */
                               const float *num_miss, /* (NN, C) */
                               const float *table,    /* (V, C) */
                               int B, int F, int C);
void gb_tabular_embed_backward (float *dcls,          /* (C) nullable */
                                float *dnum_w,        /* (NN, C) nullable */
                                float *dnum_b,        /* (NN, C) nullable */
                                float *dnum_miss,     /* (NN, C) nullable */
                                float *dtable,        /* (V, C) nullable */
                                const float *dout,    /* (B, T=F+1, C) */
                                const float *xnum,    /* (B, F) */
                                const gint32 *xidx,   /* (B, F) */
                                const guint8 *is_cat, /* (F) */
                                int B, int F, int C);

/* ---- linear layer: out = inp · weightᵀ + bias ------------------------------ */
void gb_matmul_forward (float *out,          /* (N, OC) */
                        const float *inp,    /* (N, C) */
                        const float *weight, /* (OC, C) */
                        const float *bias,   /* (OC) nullable */
                        int N, int C, int OC);
void gb_matmul_forward_naive (float *out,          /* (N, OC) */
                              const float *inp,    /* (N, C) */
                              const float *weight, /* (OC, C) */
                              const float *bias,   /* (OC) nullable */
                              int N, int C, int OC);
void gb_matmul_backward (float *dinp,         /* (N, C) nullable */
                         float *dweight,      /* (OC, C) nullable */
                         float *dbias,        /* (OC) nullable */
                         const float *dout,   /* (N, OC) */
                         const float *inp,    /* (N, C) */
                         const float *weight, /* (OC, C) */
                         int N, int C, int OC);
void gb_matmul_backward_naive (float *dinp,         /* (N, C) nullable */
                               float *dweight,      /* (OC, C) nullable */
                               float *dbias,        /* (OC) nullable */
                               const float *dout,   /* (N, OC) */
                               const float *inp,    /* (N, C) */
                               const float *weight, /* (OC, C) */
                               int N, int C, int OC);

/* ---- LayerNorm over the last axis (biased variance, eps GB_LAYERNORM_EPS) -- */
void gb_layernorm_forward (float *out,          /* (N, C) */
                           float *mean,         /* (N) */
                           float *rstd,         /* (N) */
                           const float *inp,    /* (N, C) */
                           const float *weight, /* (C) */
                           const float *bias,   /* (C) */
                           int N, int C);
void gb_layernorm_backward (float *dinp,         /* (N, C) nullable */
                            float *dweight,      /* (C) nullable */
                            float *dbias,        /* (C) nullable */
                            const float *dout,   /* (N, C) */
                            const float *inp,    /* (N, C) */
                            const float *weight, /* (C) */
                            const float *mean,   /* (N) */
                            const float *rstd,   /* (N) */
                            int N, int C);

/* ---- multi-head self-attention (bidirectional, scaled dot product) ---------
 *
 * qkv holds, per token, the query, key and value vectors concatenated
 * ([q | k | v], each C wide, head h at columns h·hs .. h·hs+hs−1, hs = C/NH),
 * as produced by torch.nn.MultiheadAttention's in_proj.  mask (nullable):
 * mask[b,t2] == 0 marks key position t2 of row b as padding, which no query
 * attends to; NULL = every token valid (the tabular case).  A query whose
 * keys are all masked gets a zero output.  preatt and att are saved for the
 * backward pass; att is also the attention map used by attention rollout.
 */
void gb_attention_forward (float *out,          /* (B, T, C) */
                           float *preatt,       /* (B, NH, T, T) */
                           float *att,          /* (B, NH, T, T) */
                           const float *qkv,    /* (B, T, 3C) */
                           const guint8 *mask,  /* (B, T) nullable */
                           int B, int T, int C, int NH);
void gb_attention_backward (float *dqkv,         /* (B, T, 3C) */
                            float *dpreatt,      /* (B, NH, T, T) scratch, accumulated */
                            float *datt,         /* (B, NH, T, T) scratch, accumulated */
                            const float *dout,   /* (B, T, C) */
                            const float *qkv,    /* (B, T, 3C) */
                            const float *att,    /* (B, NH, T, T) */
                            int B, int T, int C, int NH);
/* Naive twins (plain loops).  The versions above use small strided
 * cblas_sgemm calls per row and head, except the forward for T >= 128, which
 * uses tiled loops that the compiler vectorises (summing in the same order
 * as the naive twin). */
void gb_attention_forward_naive (float *out,          /* (B, T, C) */
                                 float *preatt,       /* (B, NH, T, T) */
                                 float *att,          /* (B, NH, T, T) */
                                 const float *qkv,    /* (B, T, 3C) */
                                 const guint8 *mask,  /* (B, T) nullable */
                                 int B, int T, int C, int NH);
void gb_attention_backward_naive (float *dqkv,         /* (B, T, 3C) */
                                  float *dpreatt,      /* (B, NH, T, T) scratch, accumulated */
                                  float *datt,         /* (B, NH, T, T) scratch, accumulated */
                                  const float *dout,   /* (B, T, C) */
                                  const float *qkv,    /* (B, T, 3C) */
                                  const float *att,    /* (B, NH, T, T) */
                                  int B, int T, int C, int NH);

/* ---- GELU, exact erf form: 0.5·x·(1 + erf(x/√2)) ---------------------------
 * Computed with gb_erff()/gb_expf() below (vectorised); the _naive twins use
 * libm. */
void gb_gelu_forward (float *out,       /* (N) */
                      const float *inp, /* (N) */
                      gsize N);
void gb_gelu_backward (float *dinp,       /* (N) */
                       const float *inp,  /* (N) */
                       const float *dout, /* (N) */
                       gsize N);

/* ---- residual: out = a + b ------------------------------------------------- */
void gb_residual_forward (float *out,     /* (N) */
                          const float *a, /* (N) */
                          const float *b, /* (N) */
                          gsize N);
void gb_residual_backward (float *da,         /* (N) */
                           float *db,         /* (N) */
                           const float *dout, /* (N) */
                           gsize N);

/* ---- gather the [CLS] token (token 0) of every row ------------------------- */
void gb_cls_forward (float *out,       /* (B, C) */
                     const float *inp, /* (B, T, C) */
                     int B, int T, int C);
void gb_cls_backward (float *dinp,       /* (B, T, C) */
                      const float *dout, /* (B, C) */
                      int B, int T, int C);

/* ---- softmax and cross-entropy --------------------------------------------- */
void gb_softmax_forward (float *probs,        /* (B, K) */
                         const float *logits, /* (B, K) */
                         int B, int K);
/* losses[b] = −log probs[b, targets[b]]. */
void gb_crossentropy_forward (float *losses,          /* (B) */
                              const float *probs,     /* (B, K) */
                              const gint32 *targets,  /* (B) */
                              int B, int K);
/* dlogits[b,j] += dlosses[b] · (probs[b,j] − [j == targets[b]]). */
void gb_crossentropy_softmax_backward (float *dlogits,        /* (B, K) */
                                       const float *dlosses,  /* (B) */
                                       const float *probs,    /* (B, K) */
                                       const gint32 *targets, /* (B) */
                                       int B, int K);
/* Gradient of probs[b, k] w.r.t. the logits:
 * dlogits[b,j] += probs[b,k] · ([j == k] − probs[b,j]). */
void gb_softmax_prob_backward (float *dlogits,     /* (B, K) */
                               const float *probs, /* (B, K) */
                               int k, int B, int K);

/* ---- AdamW (Loshchilov & Hutter 2019), decoupled weight decay --------------
 * t is the 1-based step (bias correction). */
void gb_adamw_update (float *params,      /* (N) */
                      float *m,           /* (N) */
                      float *v,           /* (N) */
                      const float *grads, /* (N) */
                      gsize N, float lr, float beta1, float beta2, float eps,
                      float weight_decay, int t);

/* ==== added for text models, dropout and speed ============================== */

/* ---- feature tokens at positions t0 .. t0+F−1 of a length-T sequence -------
 * Same per-feature map as gb_tabular_embed_forward() (which is this with
 * t0 = 1, T = F + 1, plus [CLS] at 0); other positions are not touched.
 * Backward reads dout at those positions only. */
void gb_feature_embed_forward (float *out,            /* (B, T, C) */
                               const float *xnum,     /* (B, F) */
                               const gint32 *xidx,    /* (B, F) */
                               const guint8 *is_cat,  /* (F) */
                               const float *num_w,    /* (NN, C) */
                               const float *num_b,    /* (NN, C) */
                               const float *num_miss, /* (NN, C) */
                               const float *table,    /* (NV, C) */
                               int B, int T, int F, int C, int t0);
void gb_feature_embed_backward (float *dnum_w,        /* (NN, C) nullable */
                                float *dnum_b,        /* (NN, C) nullable */
                                float *dnum_miss,     /* (NN, C) nullable */
                                float *dtable,        /* (NV, C) nullable */
                                const float *dout,    /* (B, T, C) */
                                const float *xnum,    /* (B, F) */
                                const gint32 *xidx,   /* (B, F) */
                                const guint8 *is_cat, /* (F) */
                                int B, int T, int F, int C, int t0);

/* ---- BERT embeddings (before the embedding LayerNorm) ----------------------
 * out[b,t] = W(b,t) + wpe[t] + wtt[types[b,t]], where W(b,t) = wte[ids[b,t]]
 * when ids[b,t] >= 0; when ids[b,t] < 0 (a feature position) W(b,t) is the
 * value already in out[b,t] (written by gb_feature_embed_forward()), so the
 * sum is formed in place.  wpe / wtt (and types) may be NULL (no position
 * or token-type embeddings).  Hugging Face BertEmbeddings with position
 * ids 0 .. T−1.  Backward: dwte[ids] += dout, dwpe[t] += dout,
 * dwtt[types] += dout; the gradient of a feature position's W is dout
 * itself (pass dout to gb_feature_embed_backward()). */
void gb_embedding_forward (float *out,           /* (B, T, C) */
                           const gint32 *ids,    /* (B, T) */
                           const gint32 *types,  /* (B, T) nullable */
                           const float *wte,     /* (V, C) */
                           const float *wpe,     /* (T, C) nullable */
                           const float *wtt,     /* (TV, C) nullable */
                           int B, int T, int C);
void gb_embedding_backward (float *dwte,          /* (V, C) nullable */
                            float *dwpe,          /* (T, C) nullable */
                            float *dwtt,          /* (TV, C) nullable */
                            const float *dout,    /* (B, T, C) */
                            const gint32 *ids,    /* (B, T) */
                            const gint32 *types,  /* (B, T) nullable */
                            int B, int T, int C);

/* ---- LayerNorm with a given epsilon (Hugging Face BERT: 1e-12) -------------
 * gb_layernorm_forward() is this with GB_LAYERNORM_EPS; the backward pass
 * (gb_layernorm_backward()) only needs the saved mean and rstd. */
void gb_layernorm_forward_eps (float *out,          /* (N, C) */
                               float *mean,         /* (N) */
                               float *rstd,         /* (N) */
                               const float *inp,    /* (N, C) */
                               const float *weight, /* (C) */
                               const float *bias,   /* (C) */
                               int N, int C, float eps);

/* ---- tanh and ReLU (pooler activations); out may equal inp ----------------
 * Backward uses the forward OUTPUT: tanh' = 1 − out², ReLU' = [out > 0]. */
void gb_tanh_forward (float *out, const float *inp, gsize N);   /* (N), (N) */
void gb_tanh_backward (float *dinp,       /* (N) */
                       const float *out,  /* (N) forward output */
                       const float *dout, /* (N) */
                       gsize N);
void gb_relu_forward (float *out, const float *inp, gsize N);   /* (N), (N) */
void gb_relu_backward (float *dinp,       /* (N) */
                       const float *out,  /* (N) forward output */
                       const float *dout, /* (N) */
                       gsize N);

/* ---- inverted dropout -------------------------------------------------------
 * gb_dropout_mask fills mask with 0 (dropped, probability p) or 1/(1−p),
 * drawing from the splitmix64 stream *state (advanced); then
 * out = inp ⊙ mask (in place allowed) and dinp = dout ⊙ mask (in place
 * allowed; this backward OVERWRITES, it is a pure scaling of a buffer). */
void gb_dropout_mask (float *mask, gsize N, float p, guint64 *state);   /* (N) */
void gb_dropout_apply (float *out,        /* (N) */
                       const float *inp,  /* (N) */
                       const float *mask, /* (N) */
                       gsize N);

/* ---- vectorisable float32 erf and exp --------------------------------------
 * gb_erff: |error| ≤ 3 ulp (measured 2.5) against erf() (checked in
 * tests/test-model.c): x·P(x²) (degree-5 minimax) for |x| < 0.921875,
 * 1 − exp(Q(|x|)) (degree-8 fit of log erfc) up to 3.925, ±1 beyond.
 * gb_expf: Cody–Waite reduction to [−ln2/2, ln2/2] and a degree-7
 * polynomial, arguments clamped to [−87, 88]; relative error ≤ 2 ulp.
 * Both are branch-free so GCC vectorises loops that call them. */
float gb_erff (float x);
float gb_expf (float x);
/* Reference twins of the GELU kernels using libm erff()/expf(). */
void gb_gelu_forward_naive (float *out, const float *inp, gsize N);     /* (N), (N) */
void gb_gelu_backward_naive (float *dinp,       /* (N) */
                             const float *inp,  /* (N) */
                             const float *dout, /* (N) */
                             gsize N);

/* Sum of squares of x in double (gradient clipping). */
double gb_sum_squares (const float *x, gsize N);

G_END_DECLS
