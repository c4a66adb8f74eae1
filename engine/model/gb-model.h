/* gb-model.h — a transformer classifier on OpenBLAS: FT-Transformer style
 * feature tokens, BERT-style text tokens, or both in one sequence; BERT-style
 * post-LayerNorm encoder; trained with AdamW.
 *
 * Sequence layouts (T = gb_model_get_seq_len()):
 *   tabular only:  [CLS] f_1 .. f_F                          T = F + 1
 *                  ([CLS] is a learned vector; no position, token-type
 *                  embeddings or embedding LayerNorm)
 *   text only:     [CLS] w_1 .. [SEP] [PAD] ..               T = S
 *   text+features: [CLS] f_1 .. f_F w_1 .. [SEP] [PAD] ..    T = F + S
 *                  (the tokenizer's ids[0], normally [CLS], at position 0,
 *                  the features at 1 .. F, ids[1 .. S−1] at F+1 .. F+S−1)
 * where S = max_length text ids per row as the tokenizer produced them.
 * Models with text add word + learned position (0 .. T−1) + token-type
 * embeddings (type 0 for text positions, type 1 for feature positions) and
 * the embedding LayerNorm, as Hugging Face's BertEmbeddings; padding
 * positions are masked out of attention. */
#pragma once

#include "gb-dataset.h"

G_BEGIN_DECLS

struct _GbTokenizer; /* gb-tokenizer.h */

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
  /* Added for text models and checkpoint import (zero = the default noted): */
  guint vocab_size;       /* word-embedding rows V; 0 = no text (tabular only) */
  guint max_length;       /* text ids per row S incl. [CLS]/[SEP]; 0 = 128 */
  guint max_position;     /* position-embedding rows P >= T; 0 = T (HF: 512) */
  guint type_vocab_size;  /* token-type rows; 0 = none (DistilBERT); must be
                           * >= 2 for text+feature models; default 2 */
  double layer_norm_eps;  /* 0 = 1e-5 (torch); Hugging Face BERT uses 1e-12 */
  gboolean pooler;        /* dense C→C + activation on the final [CLS] state
                           * before the head (BERT pooler / DistilBERT
                           * pre_classifier); default FALSE */
  guint pooler_activation;/* a #GbPoolerActivation */
} GbTransformerConfig;

/**
 * GbPoolerActivation:
 * @GB_POOLER_TANH: tanh, as BertPooler
 * @GB_POOLER_RELU: ReLU, as DistilBertForSequenceClassification's pre_classifier
 */
typedef enum {
  GB_POOLER_TANH = 0,
  GB_POOLER_RELU = 1,
} GbPoolerActivation;

/**
 * GbLrSchedule:
 * @GB_LR_LINEAR: linear warm-up, then linear decay to 0 (default)
 * @GB_LR_COSINE: linear warm-up, then cosine decay to 0
 */
typedef enum {
  GB_LR_LINEAR = 0,
  GB_LR_COSINE = 1,
} GbLrSchedule;

/**
 * GbTrainConfig:
 * @epochs: passes over the training rows (default 8)
 * @batch_size: rows per AdamW step (default 256)
 * @learning_rate: peak learning rate (default 1e-3)
 * @weight_decay: AdamW decoupled weight decay (default 0.01)
 * @warmup_fraction: share of steps with linear warm-up, then linear decay to 0 (default 0.05)
 * @seed: seeds the batch order (GSL mt19937); parameters are initialised by
 *   gb_model_new_tabular() from its own seed (default 42)
 * @n_threads: OpenBLAS threads (default 0 = automatic: 1 for d_model < 128, else the
 *   number of cores); set with
 *   gb_set_blas_threads() at the start of training
 * @dropout: hidden dropout probability, at Hugging Face BERT's places (the
 *   embeddings' output, each attention output and feed-forward output before
 *   its residual, and the head's input); training only, never in inference
 *   (default 0).  Masks come from a generator seeded by @seed and the step,
 *   so results stay bitwise reproducible.
 * @schedule: a #GbLrSchedule for the decay after warm-up (default linear)
 * @max_grad_norm: clip the global L2 norm of the gradient to this value
 *   before each AdamW step; 0 = no clipping (default)
 * @patience: early stopping: stop after this many epochs without a lower
 *   validation loss and restore the parameters of the best epoch; 0 = off
 *   (default).  Needs validation rows (split 1).
 * @class_weights: (nullable) (array fixed-size=K): weight of each class in
 *   the loss (owned by the caller, read during gb_model_train() only);
 *   NULL = 1 for every class.  See gb_model_train_weighted() for the loss.
 */
typedef struct {
  guint epochs;
  guint batch_size;
  double learning_rate;
  double weight_decay;
  double warmup_fraction;
  guint64 seed;
  guint n_threads;
  /* added fields, zero = the previous behaviour */
  double dropout;
  guint schedule;
  double max_grad_norm;
  guint patience;
  const double *class_weights;
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

/* ---- text models, token-level inputs, sample weights -------------------------------- */

/**
 * GbModelEncodeFunc:
 * @tokenizer: the tokenizer object given to gb_model_set_tokenizer()
 * @text: (nullable): one cell of the text column (NULL = missing, encode as
 *   the empty string)
 * @max_length: S, the number of ids to write
 * @ids: (out caller-allocates) (array fixed-size=S): token ids: [CLS] first,
 *   [SEP] after the (truncated) text, then padding
 * @mask: (out caller-allocates) (array fixed-size=S): 1 for real tokens
 *   ([CLS], text, [SEP]), 0 for padding
 * @error: error location
 *
 * The model's view of a tokenizer (GbTokenizer in gb-tokenizer.h is
 * adapted to it); must be safe to call from several threads at once.
 *
 * Returns: %TRUE on success.
 */
typedef gboolean (*GbModelEncodeFunc) (gpointer tokenizer, const char *text, guint max_length,
                                       gint32 *ids, guint8 *mask, GError **error);

/**
 * gb_model_new_text:
 * @ds: the dataset that defines the schema
 * @text_column: the text column (a text or categorical column; its cells
 *   are given to the tokenizer)
 * @features: (array length=n_features) (nullable): numeric or categorical
 *   feature columns placed after [CLS] (see the layouts at the top)
 * @n_features: F (0 = a text-only model)
 * @train_mask: (nullable): rows defining the numeric standardisation
 * @n_classes: K >= 2
 * @config: architecture; @config->vocab_size must be the tokenizer's
 *   vocabulary size (> 0); max_length S (0 = 128)
 * @seed: parameter initialisation seed
 * @error: GB_MODEL_ERROR / GB_ERROR_INVALID_ARGUMENT naming the column or
 *   setting at fault
 *
 * A BERT-style classifier over token ids (Devlin et al. 2019; the
 * embedding, block and pooler computations of Hugging Face's
 * BertForSequenceClassification).  Initialisation (GSL mt19937 from
 * @seed): embeddings N(0, 0.02²) as BERT, linear weights U(±1/√fan_in),
 * biases 0, LayerNorm weights 1.  Give the model a tokenizer with
 * gb_model_set_tokenizer() before training or predicting on a dataset.
 *
 * Returns: (transfer full) (nullable): an untrained model.
 */
GbModel *gb_model_new_text (GbDataset *ds, const char *text_column,
                            const char *const *features, guint n_features,
                            const guint8 *train_mask, guint n_classes,
                            const GbTransformerConfig *config, guint64 seed, GError **error);

/**
 * gb_model_set_tokenizer:
 * @self: a text model
 * @encode: the encoding function
 * @tokenizer: (transfer full): its object, released with @destroy
 * @destroy: (nullable): frees @tokenizer with the model or the next call
 */
void gb_model_set_tokenizer (GbModel *self, GbModelEncodeFunc encode, gpointer tokenizer,
                             GDestroyNotify destroy);
/**
 * gb_model_use_tokenizer:
 * @self: a text model
 * @tokenizer: a #GbTokenizer (gb-tokenizer.h); the model takes a reference
 *
 * gb_model_set_tokenizer() with gb_tokenizer_encode_into() (no text pair),
 * the usual way to give a text model its WordPiece or word-level
 * tokenizer.  The vocabulary size must match @config->vocab_size.
 */
void gb_model_use_tokenizer (GbModel *self, struct _GbTokenizer *tokenizer);

/* Returns: (transfer none) (nullable): the tokenizer object given above. */
gpointer    gb_model_get_tokenizer     (GbModel *self);
/* Returns: (transfer none) (nullable): the #GbTokenizer given with
 * gb_model_use_tokenizer(), NULL for another encoder or none (the
 * explainers read token strings and the [MASK]/[PAD] ids from it). */
struct _GbTokenizer *gb_model_get_gb_tokenizer (GbModel *self);
/* Returns: (transfer none) (nullable): the text column, NULL for tabular models. */
const char *gb_model_get_text_column   (GbModel *self);
/* Returns: S, the text ids per row (0 for tabular models). */
guint       gb_model_get_max_length    (GbModel *self);
/* Returns: the sequence position of text id 1 (F + 1), or 0 without text;
 * text id 0 ([CLS]) is at position 0. */
guint       gb_model_get_text_offset   (GbModel *self);

/**
 * GbModelInputs:
 * @x: (nullable) (n, F): raw numeric values per feature (NAN = missing;
 *   ignored for categorical features); NULL only when F = 0
 * @codes: (nullable) (n, F): level codes of categorical features (−1 =
 *   missing; ignored for numeric features); NULL only when F = 0
 * @ids: (nullable) (n, S): token ids of text models ([CLS] first)
 * @mask: (nullable) (n, S): 1 = token, 0 = padding; NULL = no padding
 *
 * Already-encoded rows (no dataset), row-major; borrowed, never freed by
 * the model.
 */
typedef struct {
  const double *x;
  const gint32 *codes;
  const gint32 *ids;
  const guint8 *mask;
} GbModelInputs;

/**
 * gb_model_train_weighted:
 * @self, @ds, @y, @split, @config, @cancellable, @progress, @user_data,
 *   @error: as gb_model_train()
 * @sample_weights: (nullable) (n_rows): a non-negative weight per row (the
 *   fairness mitigation's reweighing); NULL = 1
 *
 * gb_model_train() with per-row weights.  The fairness engineer's entry
 * point: this is a new function, gb_model_train() is unchanged.  Each
 * row's loss is weighted by w_r = sample_weight_r · class_weight[y_r]; a
 * batch's loss is Σ w_r ℓ_r / (B · w̄) with w̄ the mean of w over the
 * training rows, so the expected gradient is that of the weighted mean
 * loss over the whole training set, and equal weights give exactly the
 * unweighted training.  The validation loss (progress, early stopping) is
 * the weighted mean Σ w ℓ / Σ w over the validation rows.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_model_train_weighted (GbModel *self, GbDataset *ds, const double *y,
                                  const guint8 *split, const double *sample_weights,
                                  const GbTrainConfig *config, GCancellable *cancellable,
                                  GbTrainProgressFunc progress, gpointer user_data,
                                  GError **error);

/**
 * gb_model_train_inputs:
 * @self: the model
 * @inputs: already-encoded rows (n_rows of them)
 * @n_rows: number of rows
 * @y, @split, @sample_weights, @config, @cancellable, @progress,
 *   @user_data, @error: as gb_model_train_weighted()
 *
 * Training on token ids and cells without a dataset (tests, the
 * tokenizer-independent path).
 *
 * Returns: %TRUE on success.
 */
gboolean gb_model_train_inputs (GbModel *self, const GbModelInputs *inputs, gsize n_rows,
                                const double *y, const guint8 *split,
                                const double *sample_weights, const GbTrainConfig *config,
                                GCancellable *cancellable, GbTrainProgressFunc progress,
                                gpointer user_data, GError **error);

/**
 * gb_model_predict_inputs:
 * @self: the model
 * @inputs: already-encoded rows
 * @n_rows: number of rows
 * @out: (out caller-allocates) (n_rows, K): class probabilities
 * @cancellable: (nullable): checked between batches
 * @error: error location
 *
 * Batched inference without activation caching, as gb_model_predict_proba().
 *
 * Returns: %TRUE on success.
 */
gboolean gb_model_predict_inputs (GbModel *self, const GbModelInputs *inputs, gsize n_rows,
                                  double *out, GCancellable *cancellable, GError **error);

/**
 * gb_model_predict_texts:
 * @self: a trained text (or text+features) model
 * @ds: dataset holding the model's feature columns (and its text column)
 * @rows: (array length=n_rows): row indices into @ds
 * @texts: (array length=n_rows): the text each row is given instead of its
 *   cell of the text column (NULL entries = missing text); borrowed
 * @n_rows: number of rows
 * @out: (out caller-allocates) (n_rows, K): class probabilities, row-major
 * @cancellable: (nullable): checked between batches
 * @error: GB_MODEL_ERROR / GB_ERROR_INVALID_ARGUMENT for a model without
 *   text, a row out of range or a tokenizer failure (naming the row)
 *
 * gb_model_predict_proba() with the text of every row replaced: the
 * feature cells come from @ds, the text from @texts.  Used by the
 * counterfactual substitution of identity terms (gb-counterfactual.h).
 *
 * Returns: %TRUE on success.
 */
gboolean gb_model_predict_texts (GbModel *self, GbDataset *ds, const gsize *rows,
                                 const char *const *texts, gsize n_rows, double *out,
                                 GCancellable *cancellable, GError **error);

/**
 * gb_model_get_train_summary:
 * @self: the model
 * @epochs_run: (out) (optional): epochs run by the last training (fewer
 *   than configured after early stopping)
 * @best_epoch: (out) (optional): 1-based epoch whose parameters the model
 *   holds (the last one without early stopping)
 * @best_val_loss: (out) (optional): its validation loss (NAN without
 *   validation rows)
 */
void gb_model_get_train_summary (GbModel *self, guint *epochs_run, guint *best_epoch,
                                 double *best_val_loss);

/**
 * gb_model_embed_rows_masked:
 * @self, @ds, @rows, @n_rows, @out: as gb_model_embed_rows()
 * @out_mask: (out caller-allocates) (nullable) (B, T): 1 for positions that
 *   attention may use, 0 for text padding (all 1 for tabular models)
 *
 * Returns: %TRUE on success (the dataset lacks a model column or the
 * tokenizer fails: %FALSE with @error set).
 */
gboolean gb_model_embed_rows_masked (GbModel *self, GbDataset *ds, const gsize *rows,
                                     gsize n_rows, float *out, guint8 *out_mask,
                                     GError **error);

/**
 * gb_model_forward_embedded_masked:
 * @mask: (nullable) (B, T): from gb_model_embed_rows_masked(); NULL = all
 *   positions valid (gb_model_forward_embedded() passes NULL, which is
 *   right for tabular models; text models need the mask)
 *
 * As gb_model_forward_embedded().
 */
void gb_model_forward_embedded_masked (GbModel *self, const float *emb, const guint8 *mask,
                                       gsize B, float *out_probs);

/**
 * gb_model_gradient_embedded_masked:
 * @mask: (nullable) (B, T): as gb_model_forward_embedded_masked()
 *
 * As gb_model_gradient_embedded(); masked (padding) positions never reach
 * [CLS], so their gradient is exactly zero.
 */
void gb_model_gradient_embedded_masked (GbModel *self, const float *emb, const guint8 *mask,
                                        gsize B, guint class_index, float *out_probs,
                                        float *out_grad);

/* ---- attention maps and layer activations (attention rollout, TCAV) ---------------- */

/**
 * gb_model_attention_embedded:
 * @self: the model
 * @emb: (B, T, C) input embeddings (gb_model_embed_rows_masked())
 * @mask: (nullable) (B, T): attention mask from gb_model_embed_rows_masked();
 *   NULL = every position valid (tabular models)
 * @B: batch size (any; processed in internal chunks)
 * @out_att: (out caller-allocates) (B, L, H, T, T): per row, layer (0 =
 *   the first block) and head, the softmax attention probabilities
 *   att[b, l, h, i, j] of query token i over key token j — the very
 *   probabilities the forward pass multiplies the values by (kept from
 *   gb_attention_forward(), not recomputed); each row over j sums to 1,
 *   masked keys get exactly 0
 * @out_probs: (out caller-allocates) (nullable) (B, K): class probabilities
 *   of the same forward pass
 *
 * One forward pass that keeps every layer's attention maps (the input of
 * attention rollout, Abnar & Zuidema 2020, gb_attention_rollout()).
 * Allocates its own scratch; thread-safe with the other inference calls.
 */
void gb_model_attention_embedded (GbModel *self, const float *emb, const guint8 *mask, gsize B,
                                  float *out_att, float *out_probs);

/**
 * gb_model_layer_cls_embedded:
 * @self: the model
 * @emb: (B, T, C) input embeddings
 * @mask: (nullable) (B, T): as gb_model_attention_embedded()
 * @B: batch size (any)
 * @layer: block l, 0 .. L−1 (L − 1 = the final [CLS] state the head reads)
 * @class_index: k (ignored when @out_grad is NULL)
 * @out_act: (out caller-allocates) (nullable) (B, C): h_l, the [CLS]
 *   (position 0) output of block @layer (after its output LayerNorm)
 * @out_grad: (out caller-allocates) (nullable) (B, C): ∂ p_k / ∂ h_l, the
 *   gradient of class k's softmax probability with respect to that [CLS]
 *   activation, the other positions' activations held fixed — the
 *   directional derivatives of TCAV (Kim et al. 2018) are its dot
 *   products with a concept activation vector
 * @out_probs: (out caller-allocates) (nullable) (B, K): class probabilities
 *
 * One batched forward pass (and, with @out_grad, a backward pass through
 * the blocks above @layer only); parameter gradients are not touched.
 */
void gb_model_layer_cls_embedded (GbModel *self, const float *emb, const guint8 *mask, gsize B,
                                  guint layer, guint class_index, float *out_act,
                                  float *out_grad, float *out_probs);

G_END_DECLS
