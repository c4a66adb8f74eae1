/* gb-model.h — a tabular transformer classifier (FT-Transformer style tokens,
 * BERT-style post-LayerNorm encoder), trained with AdamW on OpenBLAS. */
#pragma once

#include "gb-dataset.h"

G_BEGIN_DECLS

/**
 * GbTransformerConfig:
 * @n_layers: encoder blocks (default 2)
 * @d_model: embedding width C (default 32)
 * @n_heads: attention heads, dividing @d_model (default 4)
 * @d_ff: feed-forward hidden width (default 64)
 */
typedef struct {
  guint n_layers;
  guint d_model;
  guint n_heads;
  guint d_ff;
} GbTransformerConfig;

/**
 * GbTrainConfig:
 * @epochs: passes over the training rows (default 8)
 * @batch_size: rows per AdamW step (default 256)
 * @learning_rate: peak learning rate (default 1e-3)
 * @weight_decay: AdamW decoupled weight decay (default 0.01)
 * @warmup_fraction: share of steps with linear warm-up, then linear decay to 0 (default 0.05)
 * @seed: seeds the batch order (GSL mt19937); parameters are initialised by
 *   gb_model_new_tabular() from its own seed (default 42)
 * @n_threads: OpenBLAS threads (default 0 = number of cores)
 */
typedef struct {
  guint epochs;
  guint batch_size;
  double learning_rate;
  double weight_decay;
  double warmup_fraction;
  guint64 seed;
  guint n_threads;
} GbTrainConfig;

void gb_transformer_config_init_default (GbTransformerConfig *config);
void gb_train_config_init_default (GbTrainConfig *config);

/**
 * GbTrainProgressFunc:
 * @epoch: 1-based epoch being run
 * @n_epochs: total epochs
 * @fraction: overall progress in [0, 1]
 * @train_loss: mean training loss so far in this epoch (NAN before the first step)
 * @val_loss: validation loss after the last finished epoch (NAN before)
 * @user_data: closure
 *
 * Called from the training thread after every few steps and every epoch.
 */
typedef void (*GbTrainProgressFunc) (guint epoch, guint n_epochs, double fraction,
                                     double train_loss, double val_loss, gpointer user_data);

#define GB_TYPE_MODEL (gb_model_get_type ())
G_DECLARE_FINAL_TYPE (GbModel, gb_model, GB, MODEL, GObject)

/**
 * gb_model_new_tabular:
 * @ds: the dataset that defines the feature schema
 * @features: (array length=n_features): feature column names (numeric or
 *   categorical; text columns are an error in this version)
 * @n_features: number of features F; the sequence length is T = F + 1
 * @train_mask: (nullable) (n_rows): rows whose statistics (numeric mean/SD)
 *   define the standardisation; NULL = all rows
 * @n_classes: number of classes K (>= 2)
 * @config: architecture (NULL = defaults)
 * @seed: parameter initialisation seed
 * @error: GB_MODEL_ERROR / GB_ERROR_INVALID_ARGUMENT naming a bad column
 *
 * Token 0 is a learned [CLS] vector; token j+1 is feature j: a categorical
 * value's row of a per-column embedding table (one extra row for missing),
 * a numeric value x as ((x − mean)/SD)·w_j + b_j (FT-Transformer, Gorishniy
 * et al. 2021; missing → a learned per-column vector).  The encoder is
 * @config->n_layers BERT-style post-LayerNorm blocks (multi-head
 * self-attention, residual, LayerNorm, GELU (erf) feed-forward, residual,
 * LayerNorm; eps 1e-5; no dropout), the same computation as
 * torch.nn.TransformerEncoderLayer (norm_first=False, activation="gelu").
 * The classification head is linear on the final [CLS] state (already
 * LayerNorm'd by the last block, so no pooler).  Categorical levels are
 * remembered by their text, so a dataset whose level set differs maps
 * unseen levels to the missing row.
 *
 * Initialisation (GSL mt19937 seeded with @seed): [CLS] and tokenizer
 * vectors U(±1/√C), linear weights U(±1/√fan_in), biases 0, LayerNorm
 * weights 1.
 *
 * Returns: (transfer full) (nullable): an untrained model.
 */
GbModel *gb_model_new_tabular (GbDataset *ds, const char *const *features, guint n_features,
                               const guint8 *train_mask, guint n_classes,
                               const GbTransformerConfig *config, guint64 seed,
                               GError **error);

/**
 * gb_model_train:
 * @self: the model
 * @ds: dataset with the same feature columns as at creation
 * @y: (n_rows) class index per row (0 .. K−1 as double), NAN = skip
 * @split: (n_rows) 0 = train, 1 = validation, anything else = unused
 * @config: training settings (NULL = defaults)
 * @cancellable: (nullable): checked every step; cancel returns FALSE with
 *   G_IO_ERROR_CANCELLED within one step
 * @progress: (nullable): progress callback
 * @user_data: closure for @progress
 * @error: error location
 *
 * AdamW (β = 0.9, 0.999, ε = 1e-8; Loshchilov & Hutter 2019) on the mean
 * softmax cross-entropy of each batch.  Decoupled weight decay applies to
 * the attention, feed-forward and head weight matrices only, not to
 * biases, LayerNorm parameters, [CLS] or tokenizer embeddings.  The
 * learning rate rises linearly over the warm-up steps, then decays
 * linearly to 0.  Training rows are shuffled every epoch (GSL mt19937
 * seeded with @config->seed); the last batch of an epoch may be smaller.
 * Sets the OpenBLAS thread count to @config->n_threads
 * (gb_set_blas_threads()).  Deterministic for the same parameters, seed
 * and thread count.  On error or cancellation the parameters are left as
 * they were after the last finished step.  Not thread-safe with other
 * calls on the same model; the inference functions below allocate their
 * own scratch and may run concurrently with each other.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_model_train (GbModel *self, GbDataset *ds, const double *y, const guint8 *split,
                         const GbTrainConfig *config, GCancellable *cancellable,
                         GbTrainProgressFunc progress, gpointer user_data, GError **error);

guint       gb_model_get_n_classes     (GbModel *self);
guint       gb_model_get_n_features    (GbModel *self);
/* Returns: (transfer none): the name of feature @index. */
const char *gb_model_get_feature_name  (GbModel *self, guint index);
/* Returns: T = n_features + 1. */
guint       gb_model_get_seq_len       (GbModel *self);
/* Returns: C = d_model. */
guint       gb_model_get_d_model       (GbModel *self);
/* Returns: (transfer none): the architecture. */
const GbTransformerConfig *gb_model_get_config (GbModel *self);
/* Returns: number of trainable parameters. */
gsize       gb_model_get_n_parameters  (GbModel *self);

/**
 * gb_model_predict_proba:
 * @self: a trained model
 * @ds: dataset
 * @rows: (array length=n_rows): row indices into @ds
 * @n_rows: number of rows
 * @out: (out caller-allocates) (n_rows, K): class probabilities, row-major
 * @cancellable: (nullable): checked between batches
 * @error: error location
 *
 * Batched inference without activation caching.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_model_predict_proba (GbModel *self, GbDataset *ds, const gsize *rows, gsize n_rows,
                                 double *out, GCancellable *cancellable, GError **error);

/**
 * gb_model_embed_rows:
 * @self: the model
 * @ds: dataset
 * @rows: (array length=n_rows): row indices
 * @n_rows: B
 * @out: (out caller-allocates) (B, T, C): the input token embeddings (the
 *   encoder's input, before the first block), float32
 */
void gb_model_embed_rows (GbModel *self, GbDataset *ds, const gsize *rows, gsize n_rows,
                          float *out);

/**
 * gb_model_forward_embedded:
 * @self: the model
 * @emb: (B, T, C) input embeddings
 * @B: batch size (any; processed in internal chunks)
 * @out_probs: (out caller-allocates) (B, K): class probabilities
 */
void gb_model_forward_embedded (GbModel *self, const float *emb, gsize B, float *out_probs);

/**
 * gb_model_gradient_embedded:
 * @self: the model
 * @emb: (B, T, C) input embeddings
 * @B: batch size (any)
 * @class_index: k
 * @out_probs: (out caller-allocates) (B, K): class probabilities
 * @out_grad: (out caller-allocates) (B, T, C): ∂ p_k / ∂ emb for each row
 *   (gradient of the softmax probability of class k, not of the logit)
 *
 * One batched forward and backward pass; parameter gradients are not
 * touched.  Used by the explainers (integrated gradients).
 */
void gb_model_gradient_embedded (GbModel *self, const float *emb, gsize B, guint class_index,
                                 float *out_probs, float *out_grad);

G_END_DECLS
