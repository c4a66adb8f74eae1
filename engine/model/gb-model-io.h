/* gb-model-io.h — saving and loading Glassbox models as a folder, and
 * opening any model folder (a saved Glassbox model or a Hugging Face
 * checkpoint).
 *
 * A saved model is a folder holding
 *   model.safetensors      every parameter tensor, float32, named as
 *                          gb_model_list_tensors (GB_MODEL_NAMING_BERT)
 *                          lists them (Hugging Face BERT names for the
 *                          encoder, "glassbox.features.*" for the tabular
 *                          tokenizer), metadata {"format": "pt", ...}
 *   glassbox-model.json    "format": "glassbox-model", "format_version": 1:
 *                          the architecture, the classes, the feature schema
 *                          (numeric: mean and SD of the standardisation;
 *                          categorical: the levels in code order), the text
 *                          column and vocabulary reference, the training
 *                          settings, the training data's path and sha256,
 *                          and the sha256 of model.safetensors
 *   vocab.txt,             text models only: the tokenizer's vocabulary
 *   tokenizer_config.json  and settings, in Hugging Face's format
 *   config.json            text-only models shaped as BERT (tanh pooler,
 *                          token types): a config.json with transformers'
 *                          BertForSequenceClassification keys, so the
 *                          folder is again a checkpoint folder for
 *                          gb_hf_checkpoint_open() (tensor names and keys
 *                          follow transformers; not tested against it)
 * glassbox-model.json is written last, so a folder without it is not a
 * (complete) saved model. */
#pragma once

#include "gb-common.h"
#include "gb-model.h"
#include "gb-tokenizer.h"

G_BEGIN_DECLS

#define GB_MODEL_IO_FORMAT_VERSION 1

/**
 * GbModelInfo:
 * @source: (nullable): where the model came from: "trained", or
 *   "huggingface:DIR" / "hub:ID@REV" for imports
 * @target: (nullable): the target column the model predicts
 * @class_labels: (nullable) (array zero-terminated=1): class names by index
 * @data_path: (nullable): the training CSV
 * @data_sha256: (nullable): its sha256 (gb_sha256_file())
 * @n_train_rows: training rows (0 = unknown)
 * @n_validation_rows: validation rows
 * @has_train_config: whether @train holds the training settings
 * @train: the training settings (its class_weights pointer is not saved;
 *   the weights go in @class_weights)
 * @class_weights: (nullable) (array length=n_class_weights): per-class loss weights
 * @n_class_weights: their number (0 = none)
 * @init_seed: the parameter initialisation seed
 *
 * What is known about a model beyond its parameters; all strings owned by
 * the struct when filled by gb_model_io_load() (free with
 * gb_model_info_clear()), borrowed when given to gb_model_io_save().
 */
typedef struct {
  char *source;
  char *target;
  char **class_labels;
  char *data_path;
  char *data_sha256;
  guint64 n_train_rows;
  guint64 n_validation_rows;
  gboolean has_train_config;
  GbTrainConfig train;
  double *class_weights;
  guint n_class_weights;
  guint64 init_seed;
} GbModelInfo;

/* Frees the members of an info filled by gb_model_io_load() and zeroes it. */
void gb_model_info_clear (GbModelInfo *info);

/**
 * gb_model_io_save:
 * @model: a model (tabular, text or both)
 * @tokenizer: (nullable): the text model's tokenizer (required for text
 *   models: its vocabulary and settings are saved with the model)
 * @info: (nullable): provenance and training settings to record
 * @dir: the folder (created if needed; files in it are replaced)
 * @error: GB_MODEL_ERROR: GB_ERROR_IO naming the file that could not be
 *   written, GB_ERROR_INVALID_ARGUMENT for a text model without tokenizer
 *
 * Writes the folder described at the top of this header; every file is
 * written atomically (temporary file, then rename), glassbox-model.json
 * last.  Doubles are written with 17 significant digits, so a load gives
 * back the same standardisation to the bit.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_model_io_save (GbModel *model, GbTokenizer *tokenizer, const GbModelInfo *info,
                           const char *dir, GError **error);

/**
 * gb_model_io_load:
 * @dir: a folder written by gb_model_io_save()
 * @info: (out caller-allocates) (optional): the recorded info; clear with
 *   gb_model_info_clear()
 * @tokenizer: (out) (optional) (transfer full) (nullable): the text model's
 *   tokenizer (already given to the model with gb_model_use_tokenizer()),
 *   %NULL for tabular models
 * @error: GB_MODEL_ERROR: GB_ERROR_IO for missing files; GB_ERROR_PARSE
 *   naming the file and key, or the tensor with its expected and found
 *   shape, or both hashes when model.safetensors is not the file that was
 *   saved
 *
 * Rebuilds the model from glassbox-model.json and fills every parameter
 * from model.safetensors: predictions are bitwise identical to the saved
 * model's.
 *
 * Returns: (transfer full) (nullable): the model.
 */
GbModel *gb_model_io_load (const char *dir, GbModelInfo *info, GbTokenizer **tokenizer,
                           GError **error);

/**
 * gb_model_io_is_saved_model:
 *
 * Returns: whether @dir holds glassbox-model.json.
 */
gboolean gb_model_io_is_saved_model (const char *dir);

/**
 * gb_model_io_open:
 * @dir: a saved Glassbox model or a Hugging Face checkpoint folder
 * @info: (out caller-allocates) (optional): as gb_model_io_load(); for a
 *   checkpoint, source "huggingface:DIR" and the id2label class labels
 * @tokenizer: (out) (optional) (transfer full) (nullable): as gb_model_io_load()
 * @error: as gb_model_io_load() and gb_hf_import_model()
 *
 * What --model=DIR opens: gb_model_io_load() when @dir holds
 * glassbox-model.json, else gb_hf_import_model() (its tokenizer from
 * vocab.txt and tokenizer_config.json).
 *
 * Returns: (transfer full) (nullable): the model.
 */
GbModel *gb_model_io_open (const char *dir, GbModelInfo *info, GbTokenizer **tokenizer,
                           GError **error);

/**
 * gb_model_io_open_with_text:
 * @dir: as gb_model_io_open()
 * @text_column: (nullable): for a Hugging Face checkpoint, the dataset
 *   column the model reads its text from; a saved Glassbox model records
 *   its own, and a different @text_column is an error
 * @info, @tokenizer, @error: as gb_model_io_open()
 *
 * gb_model_io_open() for a model that will predict on a dataset's text
 * column (gb_model_predict_proba()).
 *
 * Returns: (transfer full) (nullable): the model.
 */
GbModel *gb_model_io_open_with_text (const char *dir, const char *text_column,
                                     GbModelInfo *info, GbTokenizer **tokenizer,
                                     GError **error);

G_END_DECLS
