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
 * numeric features, NV = Σ over categorical features of (levels + 1) —
 * the table rows of categorical feature j start at its offset and the
 * last row of each feature's block is its "missing" row; V = vocab_size,
 * P = max_position, TV = type_vocab_size.  Tensors a model does not use
 * have size 0 (their pointer is valid but must not be read): tabular-only
 * models have no wte .. embln_b; text models have no cls (position 0 holds
 * the [CLS] word embedding); models without a pooler have no poolw/poolb.
 *
 * Linear weights are (out, in) as torch.nn.Linear.  qkvw stacks, per
 * layer, the query, key and value projections (rows 0..C−1, C..2C−1,
 * 2C..3C−1 of the (3C, C) block) as torch.nn.MultiheadAttention's
 * in_proj_weight — so Hugging Face's separate query/key/value tensors are
 * contiguous (C, C) slices of it; see gb_model_list_tensors() for every
 * Hugging Face name, shape and offset.
 */
typedef struct {
  float *cls;      /* (C)       tabular [CLS] vector */
  float *num_w;    /* (NN, C)   numeric feature weight */
  float *num_b;    /* (NN, C)   numeric feature bias */
  float *num_miss; /* (NN, C)   numeric feature missing vector */
  float *table;    /* (NV, C)   categorical level embeddings */
  float *wte;      /* (V, C)    word embeddings */
  float *wpe;      /* (P, C)    position embeddings */
  float *wtt;      /* (TV, C)   token-type embeddings */
  float *embln_w;  /* (C)       embedding LayerNorm weight (text models) */
  float *embln_b;  /* (C)       embedding LayerNorm bias */
  float *qkvw;     /* (L, 3C, C) */
  float *qkvb;     /* (L, 3C) */
  float *attprojw; /* (L, C, C)  attention output dense */
  float *attprojb; /* (L, C) */
  float *ln1w;     /* (L, C)     attention output LayerNorm */
  float *ln1b;     /* (L, C) */
  float *fcw;      /* (L, FF, C) intermediate dense */
  float *fcb;      /* (L, FF) */
  float *fcprojw;  /* (L, C, FF) output dense */
  float *fcprojb;  /* (L, C) */
  float *ln2w;     /* (L, C)     output LayerNorm */
  float *ln2b;     /* (L, C) */
  float *poolw;    /* (C, C)     pooler dense (config->pooler) */
  float *poolb;    /* (C) */
  float *headw;    /* (K, C)     classifier */
  float *headb;    /* (K) */
} GbModelParams;

#define GB_MODEL_N_PARAM_TENSORS 26

/* Names of the parameter tensors in layout order ("cls", "num_w", ...). */
extern const char *const gb_model_param_names[GB_MODEL_N_PARAM_TENSORS];

/**
 * GbModelNaming:
 * @GB_MODEL_NAMING_BERT: Hugging Face BertForSequenceClassification names
 *   ("bert.embeddings.word_embeddings.weight", "classifier.weight", ...)
 * @GB_MODEL_NAMING_DISTILBERT: DistilBertForSequenceClassification names
 *   ("distilbert.transformer.layer.0.attention.q_lin.weight",
 *   "pre_classifier.weight", ...); the model must have type_vocab_size 0
 *   (DistilBERT has no token types); its pooler is pre_classifier (ReLU)
 *
 * Tensors with no Hugging Face counterpart (the tabular tokenizer) are
 * named "glassbox.features.cls", "glassbox.features.num_w",
 * "glassbox.features.num_b", "glassbox.features.num_miss",
 * "glassbox.features.table" under every naming.
 */
typedef enum {
  GB_MODEL_NAMING_BERT = 0,
  GB_MODEL_NAMING_DISTILBERT = 1,
} GbModelNaming;

/**
 * GbModelTensorInfo:
 * @name: the checkpoint name, e.g. "bert.encoder.layer.0.attention.self.query.weight"
 * @n_dims: 1 or 2
 * @shape: the Hugging Face shape (row-major; (out, in) for dense weights),
 *   e.g. {768, 768}; shape[1] = 0 when @n_dims is 1
 * @offset: index of the tensor's first float in the flat parameter
 *   buffer (gb_model_get_parameters()); the tensor is the contiguous
 *   shape[0]·shape[1] (or shape[0]) floats from there, in the same
 *   row-major order as the checkpoint
 * @tensor: which #GbModelParams field it lies in (index into
 *   gb_model_param_names)
 *
 * One tensor of a checkpoint mapped onto the model's parameters.
 */
typedef struct {
  char *name;
  guint n_dims;
  gsize shape[2];
  gsize offset;
  guint tensor;
} GbModelTensorInfo;

/**
 * gb_model_list_tensors:
 * @self: the model
 * @naming: the name scheme
 * @n_out: (out): number of tensors
 *
 * Every non-empty parameter tensor of the model, by checkpoint name, in
 * checkpoint order (embeddings, then layer by layer, pooler, classifier —
 * not the flat buffer's order); together they cover the whole flat buffer
 * exactly once.
 * Per layer l the BERT names are bert.encoder.layer.l.
 * attention.self.{query,key,value}.{weight,bias},
 * attention.output.dense.{weight,bias}, attention.output.LayerNorm.{weight,bias},
 * intermediate.dense.{weight,bias}, output.dense.{weight,bias},
 * output.LayerNorm.{weight,bias}; then bert.pooler.dense.{weight,bias}
 * (with a pooler) and classifier.{weight,bias}.  An importer fills the
 * model by copying each checkpoint tensor to params + offset after
 * checking its shape.  (BertModel checkpoints without the "bert." prefix
 * and without the classifier are the importer's to map.)
 *
 * Returns: (transfer full) (array length=n_out): free with
 *   gb_model_tensor_info_free().
 */
GbModelTensorInfo *gb_model_list_tensors (GbModel *self, GbModelNaming naming, guint *n_out);

/* Frees an array from gb_model_list_tensors(). */
void gb_model_tensor_info_free (GbModelTensorInfo *infos, guint n);

/**
 * GbModelFeatureSpec:
 * @name: feature name
 * @categorical: %TRUE for a categorical feature
 * @n_levels: number of levels (categorical only)
 * @mean: standardisation mean (numeric only)
 * @sd: standardisation SD (numeric only, > 0)
 * @levels: (nullable) (array length=n_levels): level names (categorical
 *   only; NULL = "0", "1", ...) — added at the end; zero-initialise specs
 */
typedef struct {
  const char *name;
  gboolean categorical;
  guint n_levels;
  double mean;
  double sd;
  const char *const *levels;
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
 * gb_model_new_from_config:
 * @config: architecture with vocab_size > 0 (the checkpoint's config.json:
 *   vocab_size, hidden_size → d_model, num_hidden_layers, num_attention_heads,
 *   intermediate_size → d_ff, max_position_embeddings, type_vocab_size,
 *   layer_norm_eps; max_length ≤ max_position)
 * @n_classes: K (the classifier's rows; num_labels)
 * @features: (nullable) (array length=n_features): feature schema for a
 *   text+feature model; NULL for text only
 * @n_features: F
 * @text_column: (nullable): the text column name recorded in the model
 * @seed: initialisation seed (the importer then overwrites every tensor)
 * @error: GB_MODEL_ERROR / GB_ERROR_INVALID_ARGUMENT naming the bad setting
 *
 * A text model without a dataset (checkpoint import, load, tests).
 *
 * Returns: (transfer full) (nullable): the model.
 */
GbModel *gb_model_new_from_config (const GbTransformerConfig *config, guint n_classes,
                                   const GbModelFeatureSpec *features, guint n_features,
                                   const char *text_column, guint64 seed, GError **error);

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

/**
 * gb_model_get_feature_spec:
 * @index: feature index < F
 * @out: (out caller-allocates): the feature's schema; strings owned by the
 *   model (transfer none)
 *
 * The schema to save with a model (gb-model-io).
 */
void gb_model_get_feature_spec (GbModel *self, guint index, GbModelFeatureSpec *out);

/**
 * gb_model_embed_inputs:
 * @inputs: rows 0 .. B−1
 * @out: (out caller-allocates) (B, T, C): encoder inputs (after the
 *   embedding LayerNorm for text models)
 * @out_mask: (out caller-allocates) (nullable) (B, T): attention mask
 */
void gb_model_embed_inputs (GbModel *self, const GbModelInputs *inputs, gsize B, float *out,
                            guint8 *out_mask);

/**
 * gb_model_loss_gradients_inputs:
 * @inputs: rows 0 .. B−1
 * @targets: (B) class indices
 * @weights: (nullable) (B): per-row loss weights; the loss is
 *   Σ w_b ℓ_b / B (NULL = 1)
 * @out_logits, @out_param_grads, @out_emb_grads: as gb_model_loss_gradients()
 *
 * One forward/backward pass without dropout; B at most 256.
 *
 * Returns: the loss.
 */
double gb_model_loss_gradients_inputs (GbModel *self, const GbModelInputs *inputs,
                                       const gint32 *targets, const float *weights, gsize B,
                                       float *out_logits, float *out_param_grads,
                                       float *out_emb_grads);

/**
 * gb_model_forward_cls_shifted:
 * @emb: (B, T, C) input embeddings
 * @mask: (nullable) (B, T): attention mask
 * @B: rows
 * @layer: block l < L
 * @shift: (B, C): added to the [CLS] (position 0) output of block @layer
 *   before the blocks above it run
 * @out_probs: (out caller-allocates) (B, K): class probabilities
 *
 * p_k as a function of block @layer's [CLS] activation: the finite-difference
 * reference of gb_model_layer_cls_embedded()'s gradient (tests).
 */
void gb_model_forward_cls_shifted (GbModel *self, const float *emb, const guint8 *mask, gsize B,
                                   guint layer, const float *shift, float *out_probs);

G_END_DECLS
