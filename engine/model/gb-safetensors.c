/* gb-safetensors.c — the safetensors format (see gb-safetensors.h for the
 * layout; validation rules follow huggingface/safetensors
 * safetensors/src/tensor.rs, SafeTensors::read_metadata and
 * Metadata::validate). */
#include "gb-config.h"
#include "gb-safetensors.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* The reference refuses headers larger than this (MAX_HEADER_SIZE). */
#define GB_SAFETENSORS_MAX_HEADER 100000000u

static const struct {
  const char *name;
  gsize size;
} dtype_info[] = {
  [GB_SAFETENSORS_BOOL] = { "BOOL", 1 },
  [GB_SAFETENSORS_U8] = { "U8", 1 },
  [GB_SAFETENSORS_I8] = { "I8", 1 },
  [GB_SAFETENSORS_F8_E5M2] = { "F8_E5M2", 1 },
  [GB_SAFETENSORS_F8_E4M3] = { "F8_E4M3", 1 },
  [GB_SAFETENSORS_I16] = { "I16", 2 },
  [GB_SAFETENSORS_U16] = { "U16", 2 },
  [GB_SAFETENSORS_F16] = { "F16", 2 },
  [GB_SAFETENSORS_BF16] = { "BF16", 2 },
  [GB_SAFETENSORS_I32] = { "I32", 4 },
  [GB_SAFETENSORS_U32] = { "U32", 4 },
  [GB_SAFETENSORS_F32] = { "F32", 4 },
  [GB_SAFETENSORS_F64] = { "F64", 8 },
  [GB_SAFETENSORS_I64] = { "I64", 8 },
  [GB_SAFETENSORS_U64] = { "U64", 8 },
};

const char *
gb_safetensors_dtype_to_string (GbSafetensorsDtype dtype)
{
  g_return_val_if_fail ((guint) dtype < G_N_ELEMENTS (dtype_info), "?");
  return dtype_info[dtype].name;
}

gsize
gb_safetensors_dtype_size (GbSafetensorsDtype dtype)
{
  g_return_val_if_fail ((guint) dtype < G_N_ELEMENTS (dtype_info), 0);
  return dtype_info[dtype].size;
}

gboolean
gb_safetensors_dtype_from_string (const char *name, GbSafetensorsDtype *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (dtype_info); i++)
    if (g_strcmp0 (name, dtype_info[i].name) == 0)
      {
        *out = (GbSafetensorsDtype) i;
        return TRUE;
      }
  return FALSE;
}

char *
gb_safetensors_format_shape (const gsize *shape, guint n_dims)
{
  GString *s = g_string_new ("[");
  for (guint i = 0; i < n_dims; i++)
    g_string_append_printf (s, i > 0 ? ", %" G_GSIZE_FORMAT : "%" G_GSIZE_FORMAT, shape[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* ---- half and bfloat16 ------------------------------------------------------- */

float
gb_half_to_float (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16;
  guint32 exp = (h >> 10) & 0x1f;
  guint32 mant = h & 0x3ff;
  guint32 bits;
  float f;

  if (exp == 0x1f) /* inf / nan */
    bits = sign | 0x7f800000u | (mant << 13);
  else if (exp != 0) /* normal */
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  else if (mant == 0) /* zero */
    bits = sign;
  else
    {
      /* subnormal: value = mant × 2^-24, exact in float32 */
      f = (float) mant * 5.9604644775390625e-08f;
      return sign ? -f : f;
    }
  memcpy (&f, &bits, 4);
  return f;
}

guint16
gb_float_to_half (float f)
{
  guint32 x;
  guint32 sign, exp, mant;

  memcpy (&x, &f, 4);
  sign = (x >> 16) & 0x8000;
  exp = (x >> 23) & 0xff;
  mant = x & 0x7fffff;
  if (exp == 0xff)
    return (guint16) (sign | 0x7c00 | (mant ? 0x200 : 0));
  {
    int e = (int) exp - 127 + 15;
    if (e >= 0x1f)
      return (guint16) (sign | 0x7c00);
    if (e <= 0)
      {
        /* subnormal half (or zero): shift in the implicit bit, round to nearest even */
        guint32 m, shift, half, rest;
        if (e < -10)
          return (guint16) sign;
        m = mant | 0x800000;
        shift = (guint32) (14 - e);
        half = 1u << (shift - 1);
        rest = m & ((1u << shift) - 1);
        m >>= shift;
        if (rest > half || (rest == half && (m & 1)))
          m++;
        return (guint16) (sign | m);
      }
    {
      guint32 h = sign | ((guint32) e << 10) | (mant >> 13);
      guint32 rest = mant & 0x1fff;
      if (rest > 0x1000 || (rest == 0x1000 && (h & 1)))
        h++; /* may carry into the exponent, up to inf: correct */
      return (guint16) h;
    }
  }
}

float
gb_bf16_to_float (guint16 b)
{
  guint32 bits = (guint32) b << 16;
  float f;
  memcpy (&f, &bits, 4);
  return f;
}

guint16
gb_float_to_bf16 (float f)
{
  guint32 x;
  memcpy (&x, &f, 4);
  if ((x & 0x7fffffff) > 0x7f800000)
    return (guint16) ((x >> 16) | 0x40); /* quiet NaN */
  x += 0x7fff + ((x >> 16) & 1);
  return (guint16) (x >> 16);
}

/* ---- reading -------------------------------------------------------------------- */

struct _GbSafetensors
{
  char *path;
  GMappedFile *mapped;  /* or */
  GBytes *bytes;
  GbSafetensorsTensor *tensors; /* (n_tensors), sorted by data offset */
  guint n_tensors;
  GHashTable *by_name;          /* name → GbSafetensorsTensor* */
  GHashTable *metadata;         /* char* → char* */
  GStringChunk *strings;
};

void
gb_safetensors_free (GbSafetensors *st)
{
  if (st == NULL)
    return;
  g_free (st->path);
  if (st->mapped != NULL)
    g_mapped_file_unref (st->mapped);
  if (st->bytes != NULL)
    g_bytes_unref (st->bytes);
  g_free (st->tensors);
  if (st->by_name != NULL)
    g_hash_table_unref (st->by_name);
  if (st->metadata != NULL)
    g_hash_table_unref (st->metadata);
  if (st->strings != NULL)
    g_string_chunk_free (st->strings);
  g_free (st);
}

typedef struct {
  GbSafetensorsTensor *t;
  guint64 begin, end;
} Span;

static int
span_cmp (gconstpointer a, gconstpointer b)
{
  const Span *x = a, *y = b;
  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return 0;
}

static gboolean
get_uint (JsonNode *node, guint64 *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  if (json_node_get_int (node) < 0)
    return FALSE;
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

#define PARSE_ERROR(...) \
  G_STMT_START { \
    g_autofree char *m_ = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE, "%s: %s", st->path, m_); \
    return FALSE; \
  } G_STMT_END

static gboolean
parse_tensor (GbSafetensors *st, const char *name, JsonNode *node, guint64 buffer_len,
              GbSafetensorsTensor *t, Span *span, const guint8 *buffer, GError **error)
{
  JsonObject *o;
  JsonNode *dn, *sn, *on;
  JsonArray *shape, *offs;
  guint64 begin, end, n = 1;
  gsize esize;
  gboolean overflow = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    PARSE_ERROR ("tensor “%s”: the header entry is not an object with dtype, shape and data_offsets",
                 name);
  o = json_node_get_object (node);
  dn = json_object_get_member (o, "dtype");
  sn = json_object_get_member (o, "shape");
  on = json_object_get_member (o, "data_offsets");
  if (dn == NULL || sn == NULL || on == NULL)
    PARSE_ERROR ("tensor “%s”: the header entry lacks “%s”", name,
                 dn == NULL ? "dtype" : sn == NULL ? "shape" : "data_offsets");
  if (json_node_get_value_type (dn) != G_TYPE_STRING)
    PARSE_ERROR ("tensor “%s”: dtype is not a string", name);
  if (!gb_safetensors_dtype_from_string (json_node_get_string (dn), &t->dtype))
    PARSE_ERROR ("tensor “%s”: unknown dtype “%s” (expected one of F64, F32, F16, BF16, "
                 "I64, I32, I16, I8, U8, BOOL, …)", name, json_node_get_string (dn));
  if (!JSON_NODE_HOLDS_ARRAY (sn))
    PARSE_ERROR ("tensor “%s”: shape is not an array of integers", name);
  shape = json_node_get_array (sn);
  if (json_array_get_length (shape) > GB_SAFETENSORS_MAX_DIMS)
    PARSE_ERROR ("tensor “%s”: %u dimensions, at most %d are supported", name,
                 json_array_get_length (shape), GB_SAFETENSORS_MAX_DIMS);
  t->n_dims = json_array_get_length (shape);
  for (guint i = 0; i < t->n_dims; i++)
    {
      guint64 d;
      if (!get_uint (json_array_get_element (shape, i), &d))
        PARSE_ERROR ("tensor “%s”: shape entry %u is not a non-negative integer", name, i);
      t->shape[i] = (gsize) d;
      if (d != 0 && n > G_MAXUINT64 / d)
        overflow = TRUE;
      n *= d;
    }
  if (!JSON_NODE_HOLDS_ARRAY (on) || json_array_get_length (json_node_get_array (on)) != 2)
    PARSE_ERROR ("tensor “%s”: data_offsets is not a pair [begin, end]", name);
  offs = json_node_get_array (on);
  if (!get_uint (json_array_get_element (offs, 0), &begin)
      || !get_uint (json_array_get_element (offs, 1), &end))
    PARSE_ERROR ("tensor “%s”: data_offsets are not non-negative integers", name);
  if (begin > end)
    PARSE_ERROR ("tensor “%s”: data_offsets [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                 "] end before they begin", name, begin, end);
  if (end > buffer_len)
    {
      g_autofree char *shp = gb_safetensors_format_shape (t->shape, t->n_dims);
      PARSE_ERROR ("tensor “%s” (%s %s): data_offsets [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                   "] run past the end of the data (%" G_GUINT64_FORMAT " bytes) — "
                   "the file is truncated or the offsets are wrong",
                   name, gb_safetensors_dtype_to_string (t->dtype), shp, begin, end, buffer_len);
    }
  esize = gb_safetensors_dtype_size (t->dtype);
  if (overflow || n > G_MAXUINT64 / esize || n * esize != end - begin)
    {
      g_autofree char *shp = gb_safetensors_format_shape (t->shape, t->n_dims);
      if (overflow || n > G_MAXUINT64 / esize)
        PARSE_ERROR ("tensor “%s”: shape %s is too large", name, shp);
      PARSE_ERROR ("tensor “%s”: shape %s of %s needs %" G_GUINT64_FORMAT " bytes but "
                   "data_offsets [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "] span %"
                   G_GUINT64_FORMAT " bytes", name, shp, gb_safetensors_dtype_to_string (t->dtype),
                   n * esize, begin, end, end - begin);
    }
  t->name = g_string_chunk_insert (st->strings, name);
  t->n_elements = (gsize) n;
  t->n_bytes = (gsize) (end - begin);
  t->data = buffer + begin;
  span->t = t;
  span->begin = begin;
  span->end = end;
  return TRUE;
}

static gboolean
parse_all (GbSafetensors *st, const guint8 *data, gsize size, GError **error)
{
  guint64 n;
  const char *header;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) jerr = NULL;
  JsonObject *root;
  g_autoptr(GList) members = NULL;
  const guint8 *buffer;
  guint64 buffer_len;
  g_autofree Span *spans = NULL;
  guint count = 0;

  if (size < 8)
    PARSE_ERROR ("the file is %" G_GSIZE_FORMAT " bytes long, shorter than the 8-byte header "
                 "length that starts a safetensors file (truncated?)", size);
  memcpy (&n, data, 8);
  n = GUINT64_FROM_LE (n);
  if (n > GB_SAFETENSORS_MAX_HEADER)
    PARSE_ERROR ("the header length %" G_GUINT64_FORMAT " exceeds the format's limit of %u bytes "
                 "(not a safetensors file?)", n, GB_SAFETENSORS_MAX_HEADER);
  if (n > size - 8)
    PARSE_ERROR ("the header length %" G_GUINT64_FORMAT " runs past the end of the file "
                 "(%" G_GSIZE_FORMAT " bytes, so at most %" G_GSIZE_FORMAT ") — the file is "
                 "truncated or not a safetensors file", n, size, size - 8);
  header = (const char *) data + 8;
  if (n < 2 || header[0] != '{')
    PARSE_ERROR ("the %" G_GUINT64_FORMAT "-byte header does not start with “{” — not a "
                 "safetensors file", n);
  if (!g_utf8_validate (header, (gssize) n, NULL))
    PARSE_ERROR ("the header is not valid UTF-8");

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, header, (gssize) n, &jerr))
    PARSE_ERROR ("the header is not valid JSON: %s", jerr->message);
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    PARSE_ERROR ("the header is not a JSON object");
  root = json_node_get_object (json_parser_get_root (parser));

  buffer = data + 8 + n;
  buffer_len = size - 8 - n;
  members = json_object_get_members (root);
  st->tensors = g_new0 (GbSafetensorsTensor, MAX (g_list_length (members), 1));
  spans = g_new0 (Span, MAX (g_list_length (members), 1));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (root, name);
      if (strcmp (name, "__metadata__") == 0)
        {
          JsonObject *mo;
          g_autoptr(GList) keys = NULL;
          if (!JSON_NODE_HOLDS_OBJECT (node))
            PARSE_ERROR ("“__metadata__” is not an object of strings");
          mo = json_node_get_object (node);
          keys = json_object_get_members (mo);
          for (GList *k = keys; k != NULL; k = k->next)
            {
              JsonNode *v = json_object_get_member (mo, k->data);
              if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
                PARSE_ERROR ("“__metadata__” entry “%s” is not a string", (char *) k->data);
              g_hash_table_insert (st->metadata, g_strdup (k->data),
                                   g_strdup (json_node_get_string (v)));
            }
          continue;
        }
      if (!parse_tensor (st, name, node, buffer_len, &st->tensors[count], &spans[count], buffer,
                         error))
        return FALSE;
      count++;
    }

  /* Sorted by offset, the tensors must tile the buffer exactly. */
  qsort (spans, count, sizeof (Span), span_cmp);
  {
    guint64 prev_end = 0;
    const char *prev = NULL;
    for (guint i = 0; i < count; i++)
      {
        if (spans[i].begin < prev_end)
          {
            PARSE_ERROR ("tensor “%s” (data_offsets [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                         "]) overlaps tensor “%s”, which ends at %" G_GUINT64_FORMAT,
                         spans[i].t->name, spans[i].begin, spans[i].end, prev, prev_end);
          }
        if (spans[i].begin > prev_end)
          {
            guint64 b = spans[i].begin;
            const char *nm = spans[i].t->name;
            if (prev == NULL)
              PARSE_ERROR ("tensor “%s” begins at byte %" G_GUINT64_FORMAT " of the data but "
                           "the first tensor must begin at 0 (a gap in the data offsets)", nm, b);
            PARSE_ERROR ("tensor “%s” begins at byte %" G_GUINT64_FORMAT " but the previous "
                         "tensor “%s” ends at %" G_GUINT64_FORMAT " (a gap in the data offsets)",
                         nm, b, prev, prev_end);
          }
        prev_end = spans[i].end;
        prev = spans[i].t->name;
      }
    if (prev_end != buffer_len)
      {
        PARSE_ERROR ("the tensors cover %" G_GUINT64_FORMAT " bytes of data but the file holds %"
                     G_GUINT64_FORMAT " after the header (trailing bytes or wrong offsets)",
                     prev_end, buffer_len);
      }
  }

  /* Keep the tensors in offset order. */
  {
    GbSafetensorsTensor *sorted = g_new0 (GbSafetensorsTensor, MAX (count, 1));
    for (guint i = 0; i < count; i++)
      sorted[i] = *spans[i].t;
    g_free (st->tensors);
    st->tensors = sorted;
  }
  st->n_tensors = count;
  for (guint i = 0; i < count; i++)
    g_hash_table_insert (st->by_name, (gpointer) st->tensors[i].name, &st->tensors[i]);
  return TRUE;
}

static GbSafetensors *
st_new (const char *path)
{
  GbSafetensors *st = g_new0 (GbSafetensors, 1);
  st->path = g_strdup (path);
  st->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  st->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  st->strings = g_string_chunk_new (1024);
  return st;
}

GbSafetensors *
gb_safetensors_open (const char *path, GError **error)
{
  g_autoptr(GbSafetensors) st = NULL;
  g_autoptr(GError) ferr = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  st = st_new (path);
  st->mapped = g_mapped_file_new (path, FALSE, &ferr);
  if (st->mapped == NULL)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "Cannot read the checkpoint %s: %s", path,
                   ferr->message);
      return NULL;
    }
  if (!parse_all (st, (const guint8 *) g_mapped_file_get_contents (st->mapped),
                  g_mapped_file_get_length (st->mapped), error))
    return NULL;
  return g_steal_pointer (&st);
}

GbSafetensors *
gb_safetensors_new_from_bytes (GBytes *bytes, const char *display_name, GError **error)
{
  g_autoptr(GbSafetensors) st = NULL;
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  st = st_new (display_name != NULL ? display_name : "(memory)");
  st->bytes = g_bytes_ref (bytes);
  data = g_bytes_get_data (bytes, &size);
  if (!parse_all (st, data, size, error))
    return NULL;
  return g_steal_pointer (&st);
}

const char *
gb_safetensors_get_path (GbSafetensors *st)
{
  return st->path;
}

guint
gb_safetensors_get_n_tensors (GbSafetensors *st)
{
  return st->n_tensors;
}

const GbSafetensorsTensor *
gb_safetensors_get_tensor (GbSafetensors *st, guint index)
{
  g_return_val_if_fail (index < st->n_tensors, NULL);
  return &st->tensors[index];
}

const GbSafetensorsTensor *
gb_safetensors_lookup (GbSafetensors *st, const char *name)
{
  return g_hash_table_lookup (st->by_name, name);
}

const char *
gb_safetensors_get_metadata (GbSafetensors *st, const char *key)
{
  return g_hash_table_lookup (st->metadata, key);
}

GHashTable *
gb_safetensors_get_metadata_table (GbSafetensors *st)
{
  return st->metadata;
}

gboolean
gb_safetensors_tensor_to_f32 (const GbSafetensorsTensor *t, float *dest)
{
  gsize n = t->n_elements;
  const guint8 *p = t->data;
  switch (t->dtype)
    {
    case GB_SAFETENSORS_F32:
      for (gsize i = 0; i < n; i++)
        {
          guint32 b;
          memcpy (&b, p + 4 * i, 4);
          b = GUINT32_FROM_LE (b);
          memcpy (dest + i, &b, 4);
        }
      return TRUE;
    case GB_SAFETENSORS_F16:
    case GB_SAFETENSORS_BF16:
      for (gsize i = 0; i < n; i++)
        {
          guint16 h;
          memcpy (&h, p + 2 * i, 2);
          h = GUINT16_FROM_LE (h);
          dest[i] = t->dtype == GB_SAFETENSORS_F16 ? gb_half_to_float (h) : gb_bf16_to_float (h);
        }
      return TRUE;
    case GB_SAFETENSORS_F64:
      for (gsize i = 0; i < n; i++)
        {
          guint64 b;
          double d;
          memcpy (&b, p + 8 * i, 8);
          b = GUINT64_FROM_LE (b);
          memcpy (&d, &b, 8);
          dest[i] = (float) d;
        }
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
gb_safetensors_copy_f32 (GbSafetensors *st, const char *name, const gsize *shape, guint n_dims,
                         float *dest, gsize n_elements, GError **error)
{
  const GbSafetensorsTensor *t = gb_safetensors_lookup (st, name);
  gboolean same;

  if (t == NULL)
    {
      g_autofree char *shp = shape != NULL ? gb_safetensors_format_shape (shape, n_dims)
                                           : g_strdup_printf ("%" G_GSIZE_FORMAT " elements",
                                                              n_elements);
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                   "%s: tensor “%s” is missing (expected shape %s)", st->path, name, shp);
      return FALSE;
    }
  same = t->n_elements == n_elements;
  if (same && shape != NULL)
    {
      same = t->n_dims == n_dims;
      for (guint i = 0; same && i < n_dims; i++)
        same = t->shape[i] == shape[i];
    }
  if (!same)
    {
      g_autofree char *found = gb_safetensors_format_shape (t->shape, t->n_dims);
      g_autofree char *expected = shape != NULL ? gb_safetensors_format_shape (shape, n_dims)
                                                : g_strdup_printf ("%" G_GSIZE_FORMAT " elements",
                                                                   n_elements);
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                   "%s: tensor “%s” has shape %s, expected %s", st->path, name, found, expected);
      return FALSE;
    }
  if (!gb_safetensors_tensor_to_f32 (t, dest))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_PARSE,
                   "%s: tensor “%s” has dtype %s; a floating-point dtype (F32, F16, BF16, F64) "
                   "is needed", st->path, name, gb_safetensors_dtype_to_string (t->dtype));
      return FALSE;
    }
  return TRUE;
}

/* ---- writing ------------------------------------------------------------------------ */

typedef struct {
  char *name;
  GbSafetensorsDtype dtype;
  guint n_dims;
  gsize shape[GB_SAFETENSORS_MAX_DIMS];
  gsize n_bytes;
  gconstpointer data;
} WTensor;

struct _GbSafetensorsWriter
{
  GArray *tensors;        /* WTensor */
  GHashTable *names;      /* set */
  GTree *metadata;        /* sorted char* → char* */
};

static void
wtensor_clear (gpointer p)
{
  g_free (((WTensor *) p)->name);
}

static int
key_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  return strcmp (a, b);
}

GbSafetensorsWriter *
gb_safetensors_writer_new (void)
{
  GbSafetensorsWriter *w = g_new0 (GbSafetensorsWriter, 1);
  w->tensors = g_array_new (FALSE, TRUE, sizeof (WTensor));
  g_array_set_clear_func (w->tensors, wtensor_clear);
  w->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w->metadata = g_tree_new_full (key_cmp, NULL, g_free, g_free);
  return w;
}

void
gb_safetensors_writer_free (GbSafetensorsWriter *w)
{
  if (w == NULL)
    return;
  g_array_unref (w->tensors);
  g_hash_table_unref (w->names);
  g_tree_unref (w->metadata);
  g_free (w);
}

gboolean
gb_safetensors_writer_add (GbSafetensorsWriter *w, const char *name, GbSafetensorsDtype dtype,
                           const gsize *shape, guint n_dims, gconstpointer data, GError **error)
{
  WTensor t = { 0 };
  gsize n = 1;

  g_return_val_if_fail (w != NULL && name != NULL, FALSE);
  g_return_val_if_fail ((guint) dtype < G_N_ELEMENTS (dtype_info), FALSE);
  if (n_dims > GB_SAFETENSORS_MAX_DIMS)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Tensor “%s” has %u dimensions, at most %d are supported", name, n_dims,
                   GB_SAFETENSORS_MAX_DIMS);
      return FALSE;
    }
  if (strcmp (name, "__metadata__") == 0 || g_hash_table_contains (w->names, name)
      || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Cannot add tensor “%s”: the name is %s", name,
                   strcmp (name, "__metadata__") == 0 ? "reserved for the metadata"
                   : g_utf8_validate (name, -1, NULL) ? "already used" : "not UTF-8");
      return FALSE;
    }
  t.name = g_strdup (name);
  t.dtype = dtype;
  t.n_dims = n_dims;
  for (guint i = 0; i < n_dims; i++)
    {
      t.shape[i] = shape[i];
      n *= shape[i];
    }
  t.n_bytes = n * gb_safetensors_dtype_size (dtype);
  t.data = data;
  g_array_append_val (w->tensors, t);
  g_hash_table_add (w->names, g_strdup (name));
  return TRUE;
}

gboolean
gb_safetensors_writer_add_f32 (GbSafetensorsWriter *w, const char *name, const gsize *shape,
                               guint n_dims, const float *data, GError **error)
{
  return gb_safetensors_writer_add (w, name, GB_SAFETENSORS_F32, shape, n_dims, data, error);
}

void
gb_safetensors_writer_set_metadata (GbSafetensorsWriter *w, const char *key, const char *value)
{
  g_return_if_fail (key != NULL && value != NULL);
  g_tree_insert (w->metadata, g_strdup (key), g_strdup (value));
}

static int
wtensor_cmp (gconstpointer a, gconstpointer b)
{
  const WTensor *x = *(const WTensor *const *) a, *y = *(const WTensor *const *) b;
  if (x->dtype != y->dtype)
    return x->dtype > y->dtype ? -1 : 1; /* descending, as the reference */
  return strcmp (x->name, y->name);
}

static gboolean
add_meta_member (gpointer key, gpointer value, gpointer data)
{
  json_builder_set_member_name (data, key);
  json_builder_add_string_value (data, value);
  return FALSE;
}

GBytes *
gb_safetensors_writer_to_bytes (GbSafetensorsWriter *w)
{
  guint n = w->tensors->len;
  g_autofree WTensor **order = g_new (WTensor *, MAX (n, 1));
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  gsize json_len, padded, offset = 0, total;
  guint8 *out, *p;
  guint64 len_le;

  for (guint i = 0; i < n; i++)
    order[i] = &g_array_index (w->tensors, WTensor, i);
  qsort (order, n, sizeof (WTensor *), wtensor_cmp);

  json_builder_begin_object (b);
  if (g_tree_nnodes (w->metadata) > 0)
    {
      json_builder_set_member_name (b, "__metadata__");
      json_builder_begin_object (b);
      g_tree_foreach (w->metadata, add_meta_member, b);
      json_builder_end_object (b);
    }
  for (guint i = 0; i < n; i++)
    {
      WTensor *t = order[i];
      json_builder_set_member_name (b, t->name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dtype");
      json_builder_add_string_value (b, gb_safetensors_dtype_to_string (t->dtype));
      json_builder_set_member_name (b, "shape");
      json_builder_begin_array (b);
      for (guint d = 0; d < t->n_dims; d++)
        json_builder_add_int_value (b, (gint64) t->shape[d]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "data_offsets");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, (gint64) offset);
      json_builder_add_int_value (b, (gint64) (offset + t->n_bytes));
      json_builder_end_array (b);
      json_builder_end_object (b);
      offset += t->n_bytes;
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, FALSE);
  json = json_generator_to_data (gen, &json_len);

  padded = (json_len + 7) / 8 * 8;
  total = 8 + padded + offset;
  out = g_malloc (MAX (total, 1));
  len_le = GUINT64_TO_LE ((guint64) padded);
  memcpy (out, &len_le, 8);
  memcpy (out + 8, json, json_len);
  memset (out + 8 + json_len, ' ', padded - json_len);
  p = out + 8 + padded;
  for (guint i = 0; i < n; i++)
    {
      if (order[i]->n_bytes > 0)
        memcpy (p, order[i]->data, order[i]->n_bytes);
      p += order[i]->n_bytes;
    }
  return g_bytes_new_take (out, total);
}

gboolean
gb_safetensors_writer_write (GbSafetensorsWriter *w, const char *path, GError **error)
{
  g_autoptr(GBytes) bytes = gb_safetensors_writer_to_bytes (w);
  g_autoptr(GError) ferr = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!g_file_set_contents_full (path, data, (gssize) size, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0644, &ferr))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_IO, "Cannot write the checkpoint %s: %s", path,
                   ferr->message);
      return FALSE;
    }
  return TRUE;
}
