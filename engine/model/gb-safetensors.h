/* gb-safetensors.h — reading and writing the safetensors checkpoint format.
 *
 * Format (https://huggingface.co/docs/safetensors/index, and the reference
 * implementation github.com/huggingface/safetensors, safetensors/src/tensor.rs):
 *
 *   8 bytes      N, unsigned little-endian 64-bit: the header length
 *   N bytes      a UTF-8 JSON object: for each tensor
 *                  "name": {"dtype": "F32", "shape": [d0, d1, ...],
 *                           "data_offsets": [begin, end]}
 *                and optionally "__metadata__": {"key": "value", ...}
 *                (string values only); the writer pads it with spaces so
 *                that 8 + N is a multiple of 8
 *   rest         the byte buffer; data_offsets are relative to its start,
 *                little-endian, row-major (C order); the tensors cover it
 *                exactly, without gaps or overlaps
 */
#pragma once

#include "gb-common.h"

G_BEGIN_DECLS

/**
 * GbSafetensorsDtype:
 * @GB_SAFETENSORS_BOOL: boolean, 1 byte
 * @GB_SAFETENSORS_U8: unsigned 8-bit integer
 * @GB_SAFETENSORS_I8: signed 8-bit integer
 * @GB_SAFETENSORS_F8_E5M2: 8-bit float (read as bytes only)
 * @GB_SAFETENSORS_F8_E4M3: 8-bit float (read as bytes only)
 * @GB_SAFETENSORS_I16: signed 16-bit integer
 * @GB_SAFETENSORS_U16: unsigned 16-bit integer
 * @GB_SAFETENSORS_F16: IEEE 754 half precision
 * @GB_SAFETENSORS_BF16: bfloat16 (the upper half of a float32)
 * @GB_SAFETENSORS_I32: signed 32-bit integer
 * @GB_SAFETENSORS_U32: unsigned 32-bit integer
 * @GB_SAFETENSORS_F32: IEEE 754 single precision
 * @GB_SAFETENSORS_F64: IEEE 754 double precision
 * @GB_SAFETENSORS_I64: signed 64-bit integer
 * @GB_SAFETENSORS_U64: unsigned 64-bit integer
 *
 * The dtypes of the reference implementation, in its order (the writer
 * sorts tensors by this order, descending, then by name, as the reference
 * does so that every tensor is aligned to its element size).
 */
typedef enum {
  GB_SAFETENSORS_BOOL,
  GB_SAFETENSORS_U8,
  GB_SAFETENSORS_I8,
  GB_SAFETENSORS_F8_E5M2,
  GB_SAFETENSORS_F8_E4M3,
  GB_SAFETENSORS_I16,
  GB_SAFETENSORS_U16,
  GB_SAFETENSORS_F16,
  GB_SAFETENSORS_BF16,
  GB_SAFETENSORS_I32,
  GB_SAFETENSORS_U32,
  GB_SAFETENSORS_F32,
  GB_SAFETENSORS_F64,
  GB_SAFETENSORS_I64,
  GB_SAFETENSORS_U64,
} GbSafetensorsDtype;

#define GB_SAFETENSORS_MAX_DIMS 8

/* Returns: (transfer none): "F32", "BF16", ... */
const char *gb_safetensors_dtype_to_string (GbSafetensorsDtype dtype);
/* Returns: bytes per element (1, 2, 4 or 8). */
gsize       gb_safetensors_dtype_size      (GbSafetensorsDtype dtype);
/* Returns: %TRUE and sets @out for a dtype name of the format, else %FALSE. */
gboolean    gb_safetensors_dtype_from_string (const char *name, GbSafetensorsDtype *out);

/**
 * gb_safetensors_format_shape:
 * @shape: (array length=n_dims): dimensions
 * @n_dims: number of dimensions (0 = a scalar)
 *
 * Returns: (transfer full): the shape as "[768, 3072]" (scalars "[]"),
 * for error messages.
 */
char *gb_safetensors_format_shape (const gsize *shape, guint n_dims);

/**
 * GbSafetensorsTensor:
 * @name: the tensor's name in the header
 * @dtype: element type
 * @n_dims: number of dimensions (0 = scalar)
 * @shape: dimensions, row-major
 * @n_elements: product of @shape (1 for a scalar)
 * @data: the raw little-endian bytes inside the mapped file
 * @n_bytes: @n_elements × element size
 *
 * One tensor of an open file; owned by the #GbSafetensors and valid until
 * it is freed.
 */
typedef struct {
  const char *name;
  GbSafetensorsDtype dtype;
  guint n_dims;
  gsize shape[GB_SAFETENSORS_MAX_DIMS];
  gsize n_elements;
  const guint8 *data;
  gsize n_bytes;
} GbSafetensorsTensor;

typedef struct _GbSafetensors GbSafetensors;

/**
 * gb_safetensors_open:
 * @path: a .safetensors file
 * @error: GB_MODEL_ERROR: GB_ERROR_IO when the file cannot be read,
 *   GB_ERROR_PARSE when it is not a valid safetensors file; the message
 *   names the file and, where one is at fault, the tensor with its
 *   expected and found shape or byte count
 *
 * Maps the file read-only (g_mapped_file_new(), so tensors are not copied)
 * and validates it completely as the reference implementation does
 * (SafeTensors::deserialize / Metadata::validate): file at least 8 bytes;
 * header length within the file (and at most 100 000 000 bytes); header a
 * UTF-8 JSON object starting with '{'; each tensor an object with a known
 * dtype, a shape of non-negative integers and two data_offsets with
 * begin <= end inside the byte buffer; shape × element size = end − begin;
 * the tensors, sorted by offset, cover the buffer exactly (an overlap, gap
 * or trailing bytes are errors); "__metadata__" a string→string object.
 *
 * Returns: (transfer full) (nullable): the open file, or %NULL with @error
 * set.  Free with gb_safetensors_free().
 */
GbSafetensors *gb_safetensors_open (const char *path, GError **error);

/**
 * gb_safetensors_new_from_bytes:
 * @bytes: the whole file's contents
 * @display_name: the name used in error messages
 * @error: as for gb_safetensors_open()
 *
 * As gb_safetensors_open() on an in-memory buffer (tests, downloads).
 *
 * Returns: (transfer full) (nullable): the parsed file; it holds a
 * reference on @bytes.
 */
GbSafetensors *gb_safetensors_new_from_bytes (GBytes *bytes, const char *display_name,
                                              GError **error);

void gb_safetensors_free (GbSafetensors *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbSafetensors, gb_safetensors_free)

/* Returns: (transfer none): the path or display name given at opening. */
const char *gb_safetensors_get_path (GbSafetensors *st);
/* Returns: the number of tensors. */
guint gb_safetensors_get_n_tensors (GbSafetensors *st);
/**
 * gb_safetensors_get_tensor:
 * @index: 0 .. n_tensors − 1, in the order of the data offsets
 *
 * Returns: (transfer none): the tensor.
 */
const GbSafetensorsTensor *gb_safetensors_get_tensor (GbSafetensors *st, guint index);
/* Returns: (transfer none) (nullable): the tensor called @name, or %NULL. */
const GbSafetensorsTensor *gb_safetensors_lookup (GbSafetensors *st, const char *name);
/* Returns: (transfer none) (nullable): the "__metadata__" value of @key. */
const char *gb_safetensors_get_metadata (GbSafetensors *st, const char *key);
/* Returns: (transfer none): the "__metadata__" map (char* → char*), possibly empty. */
GHashTable *gb_safetensors_get_metadata_table (GbSafetensors *st);

/**
 * gb_safetensors_copy_f32:
 * @st: an open file
 * @name: tensor name
 * @shape: (array length=n_dims) (nullable): the expected shape, or %NULL
 *   to accept any shape with @n_elements elements
 * @n_dims: length of @shape
 * @dest: (out caller-allocates) (n_elements): float32 destination
 * @n_elements: number of floats in @dest
 * @error: GB_MODEL_ERROR: GB_ERROR_PARSE naming the file, the tensor and
 *   the expected and found shape when it is missing, has another shape,
 *   or a dtype that is not a float
 *
 * Copies a tensor into float32: F32 as is, F16 and BF16 widened exactly,
 * F64 rounded to nearest.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_safetensors_copy_f32 (GbSafetensors *st, const char *name, const gsize *shape,
                                  guint n_dims, float *dest, gsize n_elements, GError **error);

/**
 * gb_safetensors_tensor_to_f32:
 * @t: a tensor of a float dtype (F16, BF16, F32 or F64)
 * @dest: (out caller-allocates) (t->n_elements): destination
 *
 * Converts without checks beyond the dtype.
 *
 * Returns: %FALSE when @t is not a float tensor.
 */
gboolean gb_safetensors_tensor_to_f32 (const GbSafetensorsTensor *t, float *dest);

/* Half and bfloat16 conversions (exact widening; round-to-nearest-even narrowing). */
float   gb_half_to_float   (guint16 h);
guint16 gb_float_to_half   (float f);
float   gb_bf16_to_float   (guint16 b);
guint16 gb_float_to_bf16   (float f);

/* ---- writing ------------------------------------------------------------------ */

typedef struct _GbSafetensorsWriter GbSafetensorsWriter;

/* Returns: (transfer full): an empty writer; free with gb_safetensors_writer_free(). */
GbSafetensorsWriter *gb_safetensors_writer_new (void);
void gb_safetensors_writer_free (GbSafetensorsWriter *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbSafetensorsWriter, gb_safetensors_writer_free)

/**
 * gb_safetensors_writer_add:
 * @w: a writer
 * @name: tensor name (copied); must be new and not "__metadata__"
 * @dtype: element type of @data
 * @shape: (array length=n_dims): dimensions
 * @n_dims: number of dimensions (<= %GB_SAFETENSORS_MAX_DIMS)
 * @data: (transfer none): the little-endian bytes, product(shape) ×
 *   element size of them; borrowed, must stay valid until the writer is
 *   written or freed
 * @error: GB_ERROR_INVALID_ARGUMENT for a duplicate or reserved name
 *
 * Returns: %TRUE when the tensor was added.
 */
gboolean gb_safetensors_writer_add (GbSafetensorsWriter *w, const char *name,
                                    GbSafetensorsDtype dtype, const gsize *shape,
                                    guint n_dims, gconstpointer data, GError **error);

/* As gb_safetensors_writer_add() for float32 data. */
gboolean gb_safetensors_writer_add_f32 (GbSafetensorsWriter *w, const char *name,
                                        const gsize *shape, guint n_dims,
                                        const float *data, GError **error);

/* Sets a "__metadata__" entry (both strings copied). */
void gb_safetensors_writer_set_metadata (GbSafetensorsWriter *w, const char *key,
                                         const char *value);

/**
 * gb_safetensors_writer_to_bytes:
 *
 * Serialises as the reference implementation (safetensors::serialize):
 * tensors sorted by dtype (descending in #GbSafetensorsDtype order) then
 * by name, data offsets contiguous from 0, the header compact JSON with
 * "__metadata__" first (keys sorted, for a deterministic file), each tensor
 * as {"dtype","shape","data_offsets"}, padded with spaces to a multiple of
 * 8 bytes.
 *
 * Returns: (transfer full): the file's bytes.
 */
GBytes *gb_safetensors_writer_to_bytes (GbSafetensorsWriter *w);

/**
 * gb_safetensors_writer_write:
 * @path: destination; written atomically (a temporary file in the same
 *   folder, then renamed over @path, as g_file_set_contents())
 * @error: GB_MODEL_ERROR / GB_ERROR_IO naming @path
 *
 * Returns: %TRUE on success.
 */
gboolean gb_safetensors_writer_write (GbSafetensorsWriter *w, const char *path, GError **error);

G_END_DECLS
