/* gb-hf-import.h — importing a Hugging Face BERT or DistilBERT checkpoint
 * folder (config.json + model.safetensors + vocab.txt [+ tokenizer_config.json]),
 * as written by transformers' save_pretrained(safe_serialization=True).
 *
 * Tensor names follow transformers' modeling_bert.py (BertModel,
 * BertForSequenceClassification: "bert." prefix, "bert.pooler.dense",
 * "classifier") and modeling_distilbert.py (DistilBertModel,
 * DistilBertForSequenceClassification: "distilbert." prefix,
 * "transformer.layer.N.attention.q_lin", "pre_classifier", "classifier").
 * Base models are saved without the prefix; old TensorFlow-converted BERT
 * checkpoints name LayerNorm parameters gamma/beta — both are accepted. */
#pragma once

#include "gb-common.h"
#include "gb-model.h"
#include "gb-safetensors.h"

G_BEGIN_DECLS

/**
 * GbHfModelType:
 * @GB_HF_BERT: model_type "bert"
 * @GB_HF_DISTILBERT: model_type "distilbert"
 */
typedef enum {
  GB_HF_BERT,
  GB_HF_DISTILBERT,
} GbHfModelType;

/**
 * GbHfConfig:
 * @model_type: BERT or DistilBERT
 * @hidden_size: H (DistilBERT "dim")
 * @num_hidden_layers: L (DistilBERT "n_layers")
 * @num_attention_heads: heads (DistilBERT "n_heads")
 * @intermediate_size: feed-forward width (DistilBERT "hidden_dim")
 * @max_position_embeddings: position-embedding rows
 * @type_vocab_size: token-type rows (0 for DistilBERT)
 * @vocab_size: word-embedding rows, = lines of vocab.txt
 * @layer_norm_eps: LayerNorm ε (DistilBERT: 1e-12, fixed in transformers)
 * @num_labels: classes (from num_labels or id2label; 2 when neither)
 * @id2label: (array zero-terminated=1): class names by index ("LABEL_0",
 *   ... when the config has none)
 * @do_lower_case: tokenizer_config.json's do_lower_case (default %TRUE)
 * @strip_accents: -1 = unset (follows @do_lower_case, as BertTokenizer),
 *   0 = false, 1 = true
 * @tokenize_chinese_chars: default %TRUE
 * @model_max_length: tokenizer_config.json's model_max_length, capped at
 *   @max_position_embeddings (that when absent)
 *
 * A checkpoint's config.json and tokenizer_config.json.
 */
typedef struct {
  GbHfModelType model_type;
  guint hidden_size;
  guint num_hidden_layers;
  guint num_attention_heads;
  guint intermediate_size;
  guint max_position_embeddings;
  guint type_vocab_size;
  guint vocab_size;
  double layer_norm_eps;
  guint num_labels;
  char **id2label;
  gboolean do_lower_case;
  int strip_accents;
  gboolean tokenize_chinese_chars;
  guint model_max_length;
} GbHfConfig;

typedef struct _GbHfCheckpoint GbHfCheckpoint;

/**
 * gb_hf_checkpoint_open:
 * @dir: the checkpoint folder
 * @error: GB_MODEL_ERROR: GB_ERROR_IO for missing files; GB_ERROR_PARSE
 *   naming the file, the tensor and the expected and found shape; a folder
 *   with pytorch_model.bin but no model.safetensors is refused
 *   (GB_ERROR_INVALID_ARGUMENT) with why (unpickling can run arbitrary
 *   code) and how to convert it
 *
 * Reads config.json (model_type bert or distilbert; absolute positions;
 * hidden_act / activation "gelu", the erf form Glassbox implements),
 * vocab.txt (one token per line; as many as vocab_size),
 * tokenizer_config.json if present, and validates model.safetensors
 * (gb_safetensors_open()) against the shapes the config implies: every
 * encoder tensor must be present with its shape; the pooler
 * (pre_classifier) and the classifier are optional (a base model), but
 * complete and of the config's shape when present.  Tensors Glassbox does
 * not use (position_ids, cls.predictions.*, ...) are listed in the notes.
 *
 * Returns: (transfer full) (nullable): the checkpoint; free with
 * gb_hf_checkpoint_free().
 */
GbHfCheckpoint *gb_hf_checkpoint_open (const char *dir, GError **error);
void gb_hf_checkpoint_free (GbHfCheckpoint *ckpt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbHfCheckpoint, gb_hf_checkpoint_free)

/* Returns: (transfer none): the folder given to gb_hf_checkpoint_open(). */
const char *gb_hf_checkpoint_get_dir (GbHfCheckpoint *ckpt);
/* Returns: (transfer none): the parsed configuration. */
const GbHfConfig *gb_hf_checkpoint_get_config (GbHfCheckpoint *ckpt);
/* Returns: (transfer none) (array zero-terminated=1): vocab.txt's tokens, by id. */
const char *const *gb_hf_checkpoint_get_vocab (GbHfCheckpoint *ckpt);
/* Returns: (transfer none): the open model.safetensors. */
GbSafetensors *gb_hf_checkpoint_get_safetensors (GbHfCheckpoint *ckpt);
/* Returns: whether the checkpoint has a pooler (BERT) or pre_classifier (DistilBERT). */
gboolean gb_hf_checkpoint_has_pooler (GbHfCheckpoint *ckpt);
/* Returns: whether it has a trained classifier (a sequence-classification model). */
gboolean gb_hf_checkpoint_has_classifier (GbHfCheckpoint *ckpt);
/* Returns: (transfer none) (array zero-terminated=1): notes for the user
 * (unused tensors, a missing classifier). */
const char *const *gb_hf_checkpoint_get_notes (GbHfCheckpoint *ckpt);

/**
 * gb_hf_checkpoint_transformer_config:
 * @out: (out caller-allocates): the Glassbox architecture of the
 *   checkpoint: d_model = H, n_layers, n_heads, d_ff, vocab_size,
 *   max_position, type_vocab_size, layer_norm_eps, pooler (tanh for BERT,
 *   ReLU for DistilBERT) and max_length = min(128, model_max_length)
 */
void gb_hf_checkpoint_transformer_config (GbHfCheckpoint *ckpt, GbTransformerConfig *out);

/**
 * gb_hf_canonical_name:
 * @name: a checkpoint tensor name in BERT or DistilBERT naming, with or
 *   without the "bert." / "distilbert." prefix
 *
 * Maps a name onto one naming: BERT's without the prefix, with
 * DistilBERT's pre_classifier as "pooler.dense" and LayerNorm gamma/beta as
 * weight/bias ("distilbert.transformer.layer.3.ffn.lin1.weight" →
 * "encoder.layer.3.intermediate.dense.weight").
 *
 * Returns: (transfer full) (nullable): the canonical name, or %NULL for
 * a tensor outside the encoder and classification head.
 */
char *gb_hf_canonical_name (const char *name);

/**
 * GbHfTarget:
 * @name: a tensor name in any naming gb_hf_canonical_name() accepts
 * @n_dims: 1 or 2
 * @shape: expected shape (shape[1] unused when @n_dims is 1)
 * @dest: where the float32 values go (shape[0]·shape[1] floats, row-major)
 * @optional: the checkpoint may lack it (the destination is left alone)
 *
 * One parameter tensor of the model being filled.
 */
typedef struct {
  const char *name;
  guint n_dims;
  gsize shape[2];
  float *dest;
  gboolean optional;
} GbHfTarget;

/**
 * gb_hf_checkpoint_load_targets:
 * @ckpt: an open checkpoint
 * @targets: (array length=n_targets): the model's parameter table
 * @n_targets: its length
 * @skipped: (out) (optional) (transfer full) (array zero-terminated=1):
 *   names of optional targets the checkpoint lacks
 * @error: GB_MODEL_ERROR / GB_ERROR_PARSE naming the checkpoint file, the
 *   tensor (by its checkpoint name) and the expected and found shape
 *
 * Copies every target's tensor from the checkpoint, converted to float32;
 * matching is by canonical name.  A target whose name has no canonical form
 * (Glassbox's own tabular tensors) is an error unless optional.
 *
 * Returns: %TRUE when every required target was filled.
 */
gboolean gb_hf_checkpoint_load_targets (GbHfCheckpoint *ckpt, const GbHfTarget *targets,
                                        guint n_targets, char ***skipped, GError **error);

/**
 * gb_hf_import_model:
 * @dir: a checkpoint folder
 * @text_column: (nullable): the dataset column the model reads its text
 *   from (gb_model_get_text_column()); %NULL for a model used on token ids
 *   only (gb_model_predict_inputs())
 * @out_checkpoint: (out) (optional) (transfer full): the open checkpoint
 *   (its vocabulary and tokenizer settings are the tokenizer's to use)
 * @error: as gb_hf_checkpoint_open() and gb_hf_checkpoint_load_targets()
 *
 * Builds a text model of the checkpoint's architecture
 * (gb_model_new_from_config()) and fills every parameter from it through
 * the model's table of Hugging Face names and shapes
 * (gb_model_list_tensors()).  Without a classifier in the checkpoint the
 * head keeps its random initialisation (a note says so).
 *
 * Returns: (transfer full) (nullable): the model.
 */
GbModel *gb_hf_import_model (const char *dir, const char *text_column,
                             GbHfCheckpoint **out_checkpoint, GError **error);

G_END_DECLS
