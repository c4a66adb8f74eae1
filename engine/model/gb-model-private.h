/* gb-model-private.h — GbModel internals shared inside engine/model and with
 * tests/test-model.c: the parameter layout, a constructor from a feature
 * schema (no dataset needed), and token-level entry points.
 *
 * Not a public API: other modules use gb-model.h only. */
#pragma once

#include "gb-model.h"

G_BEGIN_DECLS

/**
 * GbModelParams:
 *
 * Pointers into the model's single parameter allocation, in this order
 * (the order of the flat buffer returned by gb_model_get_parameters()).
 * C = d_model, L = n_layers, FF = d_ff, K = n_classes, NN = number of
 * numeric features, V = Σ over categorical features of (levels + 1) —
 * the table rows of categorical feature j start at its offset and the
 * last row of each feature's block is its "missing" row.
 *
 * Linear weights are (out, in) as in torch.nn.Linear; qkvw stacks the
 * query, key and value projections as torch.nn.MultiheadAttention's
 * in_proj_weight.  The classification head is linear on the final [CLS]
 * state; the encoder is post-LN, so that state is already LayerNorm'd and
 * no pooler is used.
 */
typedef struct {
  float *cls;      /* (C) */
  float *num_w;    /* (NN, C) */
  float *num_b;    /* (NN, C) */
  float *num_miss; /* (NN, C) */
  float *table;    /* (V, C) */
  float *qkvw;     /* (L, 3C, C) */
  float *qkvb;     /* (L, 3C) */
  float *attprojw; /* (L, C, C) */
  float *attprojb; /* (L, C) */
  float *ln1w;     /* (L, C) */
  float *ln1b;     /* (L, C) */
  float *fcw;      /* (L, FF, C) */
  float *fcb;      /* (L, FF) */
  float *fcprojw;  /* (L, C, FF) */
  float *fcprojb;  /* (L, C) */
  float *ln2w;     /* (L, C) */
  float *ln2b;     /* (L, C) */
  float *headw;    /* (K, C) */
  float *headb;    /* (K) */
} GbModelParams;

#define GB_MODEL_N_PARAM_TENSORS 19

/* Names of the parameter tensors in layout order ("cls", "num_w", ...). */
extern const char *const gb_model_param_names[GB_MODEL_N_PARAM_TENSORS];

/**
 * GbModelFeatureSpec:
 * @name: feature name
 * @categorical: %TRUE for a categorical feature
 * @n_levels: number of levels (categorical only)
 * @mean: standardisation mean (numeric only)
 * @sd: standardisation SD (numeric only, > 0)
 */
typedef struct {
  const char *name;
  gboolean categorical;
  guint n_levels;
  double mean;
  double sd;
} GbModelFeatureSpec;

/**
 * gb_model_new_from_spec:
 *
 * A model over the given feature schema without a dataset (tests,
 * checkpoint import).  Categorical levels are named "0", "1", ...
 *
 * Returns: (transfer full): an untrained model, parameters initialised
 * from @seed as in gb_model_new_tabular().
 */
GbModel *gb_model_new_from_spec (const GbModelFeatureSpec *features, guint n_features,
                                 guint n_classes, const GbTransformerConfig *config,
                                 guint64 seed);

/**
 * gb_model_get_parameters:
 * @n_out: (out) (optional): number of floats (= gb_model_get_n_parameters())
 *
 * Returns: (transfer none): the flat parameter buffer, writable; its
 * layout is #GbModelParams.
 */
float *gb_model_get_parameters (GbModel *self, gsize *n_out);

/* Fills @sizes with the number of floats of each tensor in layout order. */
void gb_model_get_parameter_sizes (GbModel *self, gsize sizes[GB_MODEL_N_PARAM_TENSORS]);

/**
 * gb_model_embed_cells:
 * @x: (B, F) raw numeric values (NAN = missing; ignored for categoricals)
 * @codes: (B, F) level codes of categorical features (−1 = missing;
 *   ignored for numeric features)
 * @out: (B, T, C) input token embeddings
 */
void gb_model_embed_cells (GbModel *self, const double *x, const gint32 *codes, gsize B,
                           float *out);

/**
 * gb_model_loss_gradients:
 * @x, @codes: as for gb_model_embed_cells()
 * @targets: (B) class indices
 * @out_logits: (out caller-allocates) (B, K)
 * @out_param_grads: (out caller-allocates) (nullable) (n_parameters):
 *   ∂loss/∂parameters, layout #GbModelParams
 * @out_emb_grads: (out caller-allocates) (nullable) (B, T, C):
 *   ∂loss/∂input embeddings
 *
 * One forward/backward pass of the mean softmax cross-entropy over the
 * batch, the same computation as one training step (without the update).
 * B must be at most 256.
 *
 * Returns: the mean loss.
 */
double gb_model_loss_gradients (GbModel *self, const double *x, const gint32 *codes,
                                const gint32 *targets, gsize B, float *out_logits,
                                float *out_param_grads, float *out_emb_grads);

G_END_DECLS
