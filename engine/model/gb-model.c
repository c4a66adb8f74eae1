/* gb-model.c — the tabular transformer classifier: tokenizer, post-LN
 * encoder, linear head on [CLS], AdamW training (llm.c style: parameters,
 * gradients and activations carved from single allocations through size
 * tables; kernels in gb-layers.c). */
#include "gb-config.h"
#include "gb-model.h"
#include "gb-model-private.h"
#include "gb-layers.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

/* Rows per internal chunk for inference and gradient calls. */
#define GB_MODEL_CHUNK 256

const char *const gb_model_param_names[GB_MODEL_N_PARAM_TENSORS] = {
  "cls", "num_w", "num_b", "num_miss", "table",
  "wte", "wpe", "wtt", "embln_w", "embln_b",
  "qkvw", "qkvb", "attprojw", "attprojb", "ln1w", "ln1b",
  "fcw", "fcb", "fcprojw", "fcprojb", "ln2w", "ln2b",
  "poolw", "poolb", "headw", "headb",
};

/* Indices into the tables above. */
enum {
  P_CLS, P_NUM_W, P_NUM_B, P_NUM_MISS, P_TABLE,
  P_WTE, P_WPE, P_WTT, P_EMBLN_W, P_EMBLN_B,
  P_QKVW, P_QKVB, P_ATTPROJW, P_ATTPROJB, P_LN1W, P_LN1B,
  P_FCW, P_FCB, P_FCPROJW, P_FCPROJB, P_LN2W, P_LN2B,
  P_POOLW, P_POOLB, P_HEADW, P_HEADB,
};

/* AdamW weight decay applies to the encoder's and head's weight matrices
 * only: not to biases, LayerNorm parameters, [CLS] or tokenizer embeddings
 * (as in BERT and the FT-Transformer). */
static const gboolean param_decay[GB_MODEL_N_PARAM_TENSORS] = {
  FALSE, FALSE, FALSE, FALSE, FALSE,
  FALSE, FALSE, FALSE, FALSE, FALSE,
  TRUE, FALSE, TRUE, FALSE, FALSE, FALSE,
  TRUE, FALSE, TRUE, FALSE, FALSE, FALSE,
  TRUE, FALSE, TRUE, FALSE,
};

typedef struct {
  char *name;
  gboolean categorical;
  guint n_levels;       /* categorical */
  char **levels;        /* categorical, (n_levels), NULL-terminated */
  guint offset;         /* categorical: first row in the table */
  guint slot;           /* numeric: row of num_w / num_b / num_miss */
  double mean, sd;      /* numeric */
} Feature;

struct _GbModel
{
  GObject parent_instance;

  GbTransformerConfig config;
  guint n_classes;
  guint n_features;
  guint n_numeric;
  guint n_table_rows;
  Feature *features;    /* (n_features) */
  guint8 *is_cat;       /* (n_features) */

  gsize param_sizes[GB_MODEL_N_PARAM_TENSORS];
  gsize n_params;
  float *params_memory;
  GbModelParams params;
};

G_DEFINE_FINAL_TYPE (GbModel, gb_model, G_TYPE_OBJECT)

/* ---- activations ---------------------------------------------------------- */

typedef struct {
  float *encoded;  /* (B, T, C) */
  float *qkv;      /* (L, B, T, 3C) */
  float *preatt;   /* (L, B, NH, T, T) */
  float *att;      /* (L, B, NH, T, T) */
  float *atty;     /* (L, B, T, C) */
  float *attproj;  /* (L, B, T, C) */
  float *res1;     /* (L, B, T, C) */
  float *ln1;      /* (L, B, T, C) */
  float *ln1_mean; /* (L, B, T) */
  float *ln1_rstd; /* (L, B, T) */
  float *fch;      /* (L, B, T, FF) */
  float *fch_gelu; /* (L, B, T, FF) */
  float *fcproj;   /* (L, B, T, C) */
  float *res2;     /* (L, B, T, C) */
  float *ln2;      /* (L, B, T, C) */
  float *ln2_mean; /* (L, B, T) */
  float *ln2_rstd; /* (L, B, T) */
  float *cls;      /* (B, C) */
  float *logits;   /* (B, K) */
  float *probs;    /* (B, K) */
  float *losses;   /* (B) */
} Activations;

#define N_ACT_TENSORS 21

/* Scratch for one forward (and optionally backward) pass of up to Bmax rows.
 * Allocated per call, so concurrent inference calls on one model are safe. */
typedef struct {
  int Bmax;
  gsize n_acts;
  float *acts_memory;
  Activations acts;
  float *grad_acts_memory;  /* NULL when no backward pass is needed */
  Activations grad_acts;
  float *xnum;              /* (Bmax, F) */
  gint32 *xidx;             /* (Bmax, F) */
  gint32 *targets;          /* (Bmax) */
} Workspace;

static void
fill_in_activation_sizes (GbModel *self, int B, gsize sizes[N_ACT_TENSORS])
{
  gsize L = self->config.n_layers, C = self->config.d_model, NH = self->config.n_heads;
  gsize FF = self->config.d_ff, K = self->n_classes, T = self->n_features + 1;
  sizes[0] = B * T * C;
  sizes[1] = L * B * T * 3 * C;
  sizes[2] = L * B * NH * T * T;
  sizes[3] = L * B * NH * T * T;
  sizes[4] = L * B * T * C;
  sizes[5] = L * B * T * C;
  sizes[6] = L * B * T * C;
  sizes[7] = L * B * T * C;
  sizes[8] = L * B * T;
  sizes[9] = L * B * T;
  sizes[10] = L * B * T * FF;
  sizes[11] = L * B * T * FF;
  sizes[12] = L * B * T * C;
  sizes[13] = L * B * T * C;
  sizes[14] = L * B * T * C;
  sizes[15] = L * B * T;
  sizes[16] = L * B * T;
  sizes[17] = B * C;
  sizes[18] = B * K;
  sizes[19] = B * K;
  sizes[20] = B;
}

static float *
point_activations (Activations *acts, const gsize sizes[N_ACT_TENSORS], gsize total)
{
  float *mem = g_new0 (float, total);
  float **ptrs[N_ACT_TENSORS] = {
    &acts->encoded, &acts->qkv, &acts->preatt, &acts->att, &acts->atty, &acts->attproj,
    &acts->res1, &acts->ln1, &acts->ln1_mean, &acts->ln1_rstd, &acts->fch, &acts->fch_gelu,
    &acts->fcproj, &acts->res2, &acts->ln2, &acts->ln2_mean, &acts->ln2_rstd, &acts->cls,
    &acts->logits, &acts->probs, &acts->losses,
  };
  float *it = mem;
  for (int i = 0; i < N_ACT_TENSORS; i++)
    {
      *ptrs[i] = it;
      it += sizes[i];
    }
  return mem;
}

static void
workspace_init (Workspace *ws, GbModel *self, int Bmax, gboolean with_grads)
{
  gsize sizes[N_ACT_TENSORS];
  memset (ws, 0, sizeof *ws);
  ws->Bmax = Bmax;
  fill_in_activation_sizes (self, Bmax, sizes);
  for (int i = 0; i < N_ACT_TENSORS; i++)
    ws->n_acts += sizes[i];
  ws->acts_memory = point_activations (&ws->acts, sizes, ws->n_acts);
  if (with_grads)
    ws->grad_acts_memory = point_activations (&ws->grad_acts, sizes, ws->n_acts);
  ws->xnum = g_new0 (float, (gsize) Bmax * MAX (self->n_features, 1));
  ws->xidx = g_new0 (gint32, (gsize) Bmax * MAX (self->n_features, 1));
  ws->targets = g_new0 (gint32, Bmax);
}

static void
workspace_clear (Workspace *ws)
{
  g_free (ws->acts_memory);
  g_free (ws->grad_acts_memory);
  g_free (ws->xnum);
  g_free (ws->xidx);
  g_free (ws->targets);
  memset (ws, 0, sizeof *ws);
}

/* ---- parameters ------------------------------------------------------------ */

static void
fill_in_parameter_sizes (GbModel *self, gsize sizes[GB_MODEL_N_PARAM_TENSORS])
{
  gsize L = self->config.n_layers, C = self->config.d_model, FF = self->config.d_ff;
  gsize K = self->n_classes, NN = self->n_numeric, NV = self->n_table_rows;
  gboolean text = self->config.vocab_size > 0;
  sizes[P_CLS] = text ? 0 : C;
  sizes[P_NUM_W] = NN * C;
  sizes[P_NUM_B] = NN * C;
  sizes[P_NUM_MISS] = NN * C;
  sizes[P_TABLE] = NV * C;
  sizes[P_WTE] = text ? (gsize) self->config.vocab_size * C : 0;
  sizes[P_WPE] = text ? (gsize) self->config.max_position * C : 0;
  sizes[P_WTT] = text ? (gsize) self->config.type_vocab_size * C : 0;
  sizes[P_EMBLN_W] = text ? C : 0;
  sizes[P_EMBLN_B] = text ? C : 0;
  sizes[P_QKVW] = L * 3 * C * C;
  sizes[P_QKVB] = L * 3 * C;
  sizes[P_ATTPROJW] = L * C * C;
  sizes[P_ATTPROJB] = L * C;
  sizes[P_LN1W] = L * C;
  sizes[P_LN1B] = L * C;
  sizes[P_FCW] = L * FF * C;
  sizes[P_FCB] = L * FF;
  sizes[P_FCPROJW] = L * C * FF;
  sizes[P_FCPROJB] = L * C;
  sizes[P_LN2W] = L * C;
  sizes[P_LN2B] = L * C;
  sizes[P_POOLW] = self->config.pooler ? C * C : 0;
  sizes[P_POOLB] = self->config.pooler ? C : 0;
  sizes[P_HEADW] = K * C;
  sizes[P_HEADB] = K;
}

static void
point_parameters (GbModelParams *p, float *mem, const gsize sizes[GB_MODEL_N_PARAM_TENSORS])
{
  float **ptrs[GB_MODEL_N_PARAM_TENSORS] = {
    &p->cls, &p->num_w, &p->num_b, &p->num_miss, &p->table,
    &p->wte, &p->wpe, &p->wtt, &p->embln_w, &p->embln_b,
    &p->qkvw, &p->qkvb, &p->attprojw, &p->attprojb, &p->ln1w, &p->ln1b,
    &p->fcw, &p->fcb, &p->fcprojw, &p->fcprojb, &p->ln2w, &p->ln2b,
    &p->poolw, &p->poolb, &p->headw, &p->headb,
  };
  float *it = mem;
  for (int i = 0; i < GB_MODEL_N_PARAM_TENSORS; i++)
    {
      *ptrs[i] = it;
      it += sizes[i];
    }
}

static void
fill_uniform (gsl_rng *rng, float *p, gsize n, double bound)
{
  for (gsize i = 0; i < n; i++)
    p[i] = (float) ((2.0 * gsl_rng_uniform (rng) - 1.0) * bound);
}

static void
fill_gaussian (gsl_rng *rng, float *p, gsize n, double sd)
{
  for (gsize i = 0; i < n; i++)
    p[i] = (float) gsl_ran_gaussian (rng, sd);
}

static void
fill_const (float *p, gsize n, float v)
{
  for (gsize i = 0; i < n; i++)
    p[i] = v;
}

/* Initialisation: tokenizer vectors and [CLS] U(±1/√C) (FT-Transformer);
 * linear weights U(±1/√fan_in) (torch.nn.Linear's bound); biases 0;
 * LayerNorm weight 1, bias 0. */
static void
init_parameters (GbModel *self, guint64 seed)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  GbModelParams *p = &self->params;
  const gsize *s = self->param_sizes;
  double C = self->config.d_model, FF = self->config.d_ff;

  gsl_rng_set (rng, (unsigned long) seed);
  memset (self->params_memory, 0, self->n_params * sizeof (float));
  fill_uniform (rng, p->cls, s[P_CLS], 1.0 / sqrt (C));
  fill_uniform (rng, p->num_w, s[P_NUM_W], 1.0 / sqrt (C));
  fill_uniform (rng, p->num_b, s[P_NUM_B], 1.0 / sqrt (C));
  fill_uniform (rng, p->num_miss, s[P_NUM_MISS], 1.0 / sqrt (C));
  fill_uniform (rng, p->table, s[P_TABLE], 1.0 / sqrt (C));
  /* BERT: embeddings N(0, 0.02²) */
  fill_gaussian (rng, p->wte, s[P_WTE], 0.02);
  fill_gaussian (rng, p->wpe, s[P_WPE], 0.02);
  fill_gaussian (rng, p->wtt, s[P_WTT], 0.02);
  fill_const (p->embln_w, s[P_EMBLN_W], 1.0f);
  fill_uniform (rng, p->qkvw, s[P_QKVW], 1.0 / sqrt (C));
  fill_uniform (rng, p->attprojw, s[P_ATTPROJW], 1.0 / sqrt (C));
  fill_const (p->ln1w, s[P_LN1W], 1.0f);
  fill_uniform (rng, p->fcw, s[P_FCW], 1.0 / sqrt (C));
  fill_uniform (rng, p->fcprojw, s[P_FCPROJW], 1.0 / sqrt (FF));
  fill_const (p->ln2w, s[P_LN2W], 1.0f);
  fill_uniform (rng, p->poolw, s[P_POOLW], 1.0 / sqrt (C));
  fill_uniform (rng, p->headw, s[P_HEADW], 1.0 / sqrt (C));
  gsl_rng_free (rng);
}

static void
gb_model_finalize (GObject *object)
{
  GbModel *self = GB_MODEL (object);
  for (guint j = 0; j < self->n_features; j++)
    {
      g_free (self->features[j].name);
      g_strfreev (self->features[j].levels);
    }
  g_free (self->features);
  g_free (self->is_cat);
  g_free (self->params_memory);
  G_OBJECT_CLASS (gb_model_parent_class)->finalize (object);
}

static void
gb_model_class_init (GbModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gb_model_finalize;
}

static void
gb_model_init (GbModel *self)
{
}

void
gb_transformer_config_init_default (GbTransformerConfig *config)
{
  config->n_layers = 2;
  config->d_model = 32;
  config->n_heads = 4;
  config->d_ff = 64;
  config->vocab_size = 0;
  config->max_length = 128;
  config->max_position = 0;
  config->type_vocab_size = 2;
  config->layer_norm_eps = 1e-5;
  config->pooler = FALSE;
  config->pooler_activation = GB_POOLER_TANH;
}

void
gb_train_config_init_default (GbTrainConfig *config)
{
  config->epochs = 8;
  config->batch_size = 256;
  config->learning_rate = 1e-3;
  config->weight_decay = 0.01;
  config->warmup_fraction = 0.05;
  config->seed = 42;
  config->n_threads = 0;
  config->dropout = 0.0;
  config->schedule = GB_LR_LINEAR;
  config->max_grad_norm = 0.0;
  config->patience = 0;
  config->class_weights = NULL;
}

/* Lays out the parameters once self->features is filled in. */
static void
model_setup (GbModel *self, const GbTransformerConfig *config, guint n_classes, guint64 seed)
{
  guint NN = 0, V = 0;

  if (config != NULL)
    self->config = *config;
  else
    gb_transformer_config_init_default (&self->config);
  self->config.vocab_size = 0; /* tabular only (for now in this path) */
  self->config.pooler = FALSE;
  self->n_classes = n_classes;
  self->is_cat = g_new0 (guint8, MAX (self->n_features, 1));
  for (guint j = 0; j < self->n_features; j++)
    {
      Feature *f = &self->features[j];
      self->is_cat[j] = f->categorical ? 1 : 0;
      if (f->categorical)
        {
          f->offset = V;
          V += f->n_levels + 1;
        }
      else
        f->slot = NN++;
    }
  self->n_numeric = NN;
  self->n_table_rows = V;
  fill_in_parameter_sizes (self, self->param_sizes);
  self->n_params = 0;
  for (int i = 0; i < GB_MODEL_N_PARAM_TENSORS; i++)
    self->n_params += self->param_sizes[i];
  self->params_memory = g_new0 (float, self->n_params);
  point_parameters (&self->params, self->params_memory, self->param_sizes);
  init_parameters (self, seed);
}

static gboolean
check_config (const GbTransformerConfig *config, guint n_classes, GError **error)
{
  if (n_classes < 2)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "A classifier needs at least 2 classes, got %u", n_classes);
      return FALSE;
    }
  if (config != NULL)
    {
      if (config->d_model == 0 || config->n_heads == 0 || config->d_ff == 0
          || config->d_model % config->n_heads != 0)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Invalid transformer shape: d_model %u must be a positive multiple "
                       "of n_heads %u, and d_ff %u positive",
                       config->d_model, config->n_heads, config->d_ff);
          return FALSE;
        }
    }
  return TRUE;
}

GbModel *
gb_model_new_from_spec (const GbModelFeatureSpec *features, guint n_features,
                        guint n_classes, const GbTransformerConfig *config,
                        guint64 seed)
{
  GbModel *self;

  if (!check_config (config, n_classes, NULL))
    g_return_val_if_reached (NULL);
  self = g_object_new (GB_TYPE_MODEL, NULL);
  self->n_features = n_features;
  self->features = g_new0 (Feature, MAX (n_features, 1));
  for (guint j = 0; j < n_features; j++)
    {
      Feature *f = &self->features[j];
      f->name = g_strdup (features[j].name);
      f->categorical = features[j].categorical;
      if (f->categorical)
        {
          f->n_levels = features[j].n_levels;
          f->levels = g_new0 (char *, f->n_levels + 1);
          for (guint i = 0; i < f->n_levels; i++)
            f->levels[i] = g_strdup_printf ("%u", i);
        }
      else
        {
          f->mean = features[j].mean;
          f->sd = features[j].sd > 0 ? features[j].sd : 1.0;
        }
    }
  model_setup (self, config, n_classes, seed);
  return self;
}

GbModel *
gb_model_new_tabular (GbDataset *ds, const char *const *features, guint n_features,
                      const guint8 *train_mask, guint n_classes,
                      const GbTransformerConfig *config, guint64 seed,
                      GError **error)
{
  g_autoptr(GbModel) self = NULL;
  gsize n_rows;

  g_return_val_if_fail (GB_IS_DATASET (ds), NULL);
  g_return_val_if_fail (features != NULL || n_features == 0, NULL);

  if (!check_config (config, n_classes, error))
    return NULL;
  if (n_features == 0)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "The model needs at least one feature column");
      return NULL;
    }

  n_rows = gb_dataset_get_n_rows (ds);
  self = g_object_new (GB_TYPE_MODEL, NULL);
  self->features = g_new0 (Feature, n_features);
  for (guint j = 0; j < n_features; j++)
    {
      Feature *f = &self->features[j];
      int ci = gb_dataset_find_column (ds, features[j]);
      const GbColumn *col;

      self->n_features = j + 1; /* so finalize frees what is filled in */
      f->name = g_strdup (features[j]);
      if (ci < 0)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Unknown feature column “%s”", features[j]);
          return NULL;
        }
      for (guint i = 0; i < j; i++)
        if (g_strcmp0 (features[i], features[j]) == 0)
          {
            g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                         "Feature column “%s” is listed twice", features[j]);
            return NULL;
          }
      col = gb_dataset_get_column (ds, ci);
      switch (col->type)
        {
        case GB_COLUMN_NUMERIC:
          {
            double sum = 0, sum2 = 0;
            gsize n = 0;
            for (gsize r = 0; r < n_rows; r++)
              if ((train_mask == NULL || train_mask[r]) && !isnan (col->numeric[r]))
                {
                  sum += col->numeric[r];
                  n++;
                }
            f->mean = n > 0 ? sum / n : 0.0;
            for (gsize r = 0; r < n_rows; r++)
              if ((train_mask == NULL || train_mask[r]) && !isnan (col->numeric[r]))
                sum2 += (col->numeric[r] - f->mean) * (col->numeric[r] - f->mean);
            f->sd = n > 1 ? sqrt (sum2 / (n - 1)) : 1.0;
            if (!(f->sd > 0) || !isfinite (f->sd))
              f->sd = 1.0;
            f->categorical = FALSE;
          }
          break;
        case GB_COLUMN_CATEGORICAL:
          f->categorical = TRUE;
          f->n_levels = col->levels != NULL ? col->levels->len : 0;
          f->levels = g_new0 (char *, f->n_levels + 1);
          for (guint i = 0; i < f->n_levels; i++)
            f->levels[i] = g_strdup (g_ptr_array_index (col->levels, i));
          break;
        case GB_COLUMN_TEXT:
        default:
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Feature column “%s” is free text; the tabular model takes numeric "
                       "and categorical columns only", features[j]);
          return NULL;
        }
    }
  model_setup (self, config, n_classes, seed);
  return g_steal_pointer (&self);
}

/* ---- accessors ---------------------------------------------------------------- */

guint
gb_model_get_n_classes (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), 0);
  return self->n_classes;
}

guint
gb_model_get_n_features (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), 0);
  return self->n_features;
}

const char *
gb_model_get_feature_name (GbModel *self, guint index)
{
  g_return_val_if_fail (GB_IS_MODEL (self), NULL);
  g_return_val_if_fail (index < self->n_features, NULL);
  return self->features[index].name;
}

guint
gb_model_get_seq_len (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), 0);
  return self->n_features + 1;
}

guint
gb_model_get_d_model (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), 0);
  return self->config.d_model;
}

const GbTransformerConfig *
gb_model_get_config (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), NULL);
  return &self->config;
}

gsize
gb_model_get_n_parameters (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), 0);
  return self->n_params;
}

float *
gb_model_get_parameters (GbModel *self, gsize *n_out)
{
  g_return_val_if_fail (GB_IS_MODEL (self), NULL);
  if (n_out != NULL)
    *n_out = self->n_params;
  return self->params_memory;
}

void
gb_model_get_parameter_sizes (GbModel *self, gsize sizes[GB_MODEL_N_PARAM_TENSORS])
{
  g_return_if_fail (GB_IS_MODEL (self));
  memcpy (sizes, self->param_sizes, sizeof self->param_sizes);
}

/* ---- encoding cells into tokenizer inputs -------------------------------------- */

/* Raw cell → (xnum, xidx) for feature j (see gb_tabular_embed_forward()). */
static inline void
encode_cell (GbModel *self, guint j, double x, gint32 code, float *xnum, gint32 *xidx)
{
  const Feature *f = &self->features[j];
  if (f->categorical)
    {
      *xnum = 0.0f;
      *xidx = f->offset + ((code >= 0 && (guint) code < f->n_levels) ? (guint) code : f->n_levels);
    }
  else
    {
      *xidx = f->slot;
      *xnum = isnan (x) ? NAN : (float) ((x - f->mean) / f->sd);
    }
}

/* The dataset's columns for the model's features; categorical codes are
 * mapped to the model's levels by their text (unknown levels → missing). */
typedef struct {
  const GbColumn *col;
  gint32 *code_map; /* (ds levels) or NULL = identity */
} Binding;

static void
bindings_free (Binding *b, guint n)
{
  if (b == NULL)
    return;
  for (guint j = 0; j < n; j++)
    g_free (b[j].code_map);
  g_free (b);
}

static Binding *
bind_dataset (GbModel *self, GbDataset *ds, GError **error)
{
  Binding *b = g_new0 (Binding, MAX (self->n_features, 1));
  for (guint j = 0; j < self->n_features; j++)
    {
      const Feature *f = &self->features[j];
      int ci = gb_dataset_find_column (ds, f->name);
      const GbColumn *col;
      if (ci < 0)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "The dataset has no column “%s”, a feature of the model", f->name);
          bindings_free (b, self->n_features);
          return NULL;
        }
      col = gb_dataset_get_column (ds, ci);
      if ((f->categorical && col->type != GB_COLUMN_CATEGORICAL)
          || (!f->categorical && col->type != GB_COLUMN_NUMERIC))
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Column “%s” is %s but the model was built with a %s feature",
                       f->name, gb_column_type_to_string (col->type),
                       f->categorical ? "categorical" : "numeric");
          bindings_free (b, self->n_features);
          return NULL;
        }
      b[j].col = col;
      if (f->categorical)
        {
          guint n = col->levels != NULL ? col->levels->len : 0;
          gboolean same = n == f->n_levels;
          for (guint i = 0; same && i < n; i++)
            same = g_strcmp0 (g_ptr_array_index (col->levels, i), f->levels[i]) == 0;
          if (!same)
            {
              g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
              for (guint i = 0; i < f->n_levels; i++)
                g_hash_table_insert (index, f->levels[i], GUINT_TO_POINTER (i + 1));
              b[j].code_map = g_new (gint32, MAX (n, 1));
              for (guint i = 0; i < n; i++)
                {
                  gpointer v = g_hash_table_lookup (index, g_ptr_array_index (col->levels, i));
                  b[j].code_map[i] = v != NULL ? (gint32) GPOINTER_TO_UINT (v) - 1 : -1;
                }
            }
        }
    }
  return b;
}

static void
encode_rows (GbModel *self, const Binding *bind, const gsize *rows, gsize B,
             float *xnum /* (B, F) */, gint32 *xidx /* (B, F) */)
{
  guint F = self->n_features;
  for (gsize b = 0; b < B; b++)
    for (guint j = 0; j < F; j++)
      {
        const GbColumn *col = bind[j].col;
        gsize r = rows[b];
        double x = NAN;
        gint32 code = -1;
        if (self->features[j].categorical)
          {
            code = col->codes[r];
            if (code >= 0 && bind[j].code_map != NULL)
              code = bind[j].code_map[code];
          }
        else
          x = col->numeric[r];
        encode_cell (self, j, x, code, xnum + b * F + j, xidx + b * F + j);
      }
}

static void
embed_tokens (GbModel *self, const float *xnum, const gint32 *xidx, int B, float *out)
{
  const GbModelParams *p = &self->params;
  gb_tabular_embed_forward (out, xnum, xidx, self->is_cat, p->cls, p->num_w, p->num_b,
                            p->num_miss, p->table, B, self->n_features,
                            self->config.d_model);
}

/* ---- forward / backward ------------------------------------------------------ */

/* From ws->acts.encoded (B rows) to logits and probs. */
static void
encoder_forward (GbModel *self, Workspace *ws, int B)
{
  const GbModelParams *p = &self->params;
  Activations *a = &ws->acts;
  int L = self->config.n_layers, C = self->config.d_model, NH = self->config.n_heads;
  int FF = self->config.d_ff, K = self->n_classes, T = self->n_features + 1;
  gsize Bm = ws->Bmax, N = (gsize) B * T;
  const float *x = a->encoded;

  for (int l = 0; l < L; l++)
    {
      float *qkv = a->qkv + l * Bm * T * 3 * C;
      float *preatt = a->preatt + l * Bm * NH * T * T;
      float *att = a->att + l * Bm * NH * T * T;
      float *atty = a->atty + l * Bm * T * C;
      float *attproj = a->attproj + l * Bm * T * C;
      float *res1 = a->res1 + l * Bm * T * C;
      float *ln1 = a->ln1 + l * Bm * T * C;
      float *ln1_mean = a->ln1_mean + l * Bm * T;
      float *ln1_rstd = a->ln1_rstd + l * Bm * T;
      float *fch = a->fch + l * Bm * T * FF;
      float *fch_gelu = a->fch_gelu + l * Bm * T * FF;
      float *fcproj = a->fcproj + l * Bm * T * C;
      float *res2 = a->res2 + l * Bm * T * C;
      float *ln2 = a->ln2 + l * Bm * T * C;
      float *ln2_mean = a->ln2_mean + l * Bm * T;
      float *ln2_rstd = a->ln2_rstd + l * Bm * T;

      gb_matmul_forward (qkv, x, p->qkvw + (gsize) l * 3 * C * C, p->qkvb + (gsize) l * 3 * C,
                         N, C, 3 * C);
      gb_attention_forward (atty, preatt, att, qkv, NULL, B, T, C, NH);
      gb_matmul_forward (attproj, atty, p->attprojw + (gsize) l * C * C,
                         p->attprojb + (gsize) l * C, N, C, C);
      gb_residual_forward (res1, x, attproj, N * C);
      gb_layernorm_forward (ln1, ln1_mean, ln1_rstd, res1, p->ln1w + (gsize) l * C,
                            p->ln1b + (gsize) l * C, N, C);
      gb_matmul_forward (fch, ln1, p->fcw + (gsize) l * FF * C, p->fcb + (gsize) l * FF,
                         N, C, FF);
      gb_gelu_forward (fch_gelu, fch, N * FF);
      gb_matmul_forward (fcproj, fch_gelu, p->fcprojw + (gsize) l * C * FF,
                         p->fcprojb + (gsize) l * C, N, FF, C);
      gb_residual_forward (res2, ln1, fcproj, N * C);
      gb_layernorm_forward (ln2, ln2_mean, ln2_rstd, res2, p->ln2w + (gsize) l * C,
                            p->ln2b + (gsize) l * C, N, C);
      x = ln2;
    }
  gb_cls_forward (a->cls, x, B, T, C);
  gb_matmul_forward (a->logits, a->cls, p->headw, p->headb, B, C, K);
  gb_softmax_forward (a->probs, a->logits, B, K);
}

#define GRAD(field, off) (g != NULL ? g->field + (off) : NULL)

/* From ws->grad_acts.logits back to ws->grad_acts.encoded; parameter
 * gradients accumulate into @g unless it is NULL.  ws->grad_acts must have
 * been zeroed except for logits. */
static void
encoder_backward (GbModel *self, Workspace *ws, GbModelParams *g, int B)
{
  const GbModelParams *p = &self->params;
  Activations *a = &ws->acts, *ga = &ws->grad_acts;
  int L = self->config.n_layers, C = self->config.d_model, NH = self->config.n_heads;
  int FF = self->config.d_ff, K = self->n_classes, T = self->n_features + 1;
  gsize Bm = ws->Bmax, N = (gsize) B * T;
  float *dfinal = L > 0 ? ga->ln2 + (L - 1) * Bm * T * C : ga->encoded;
  const float *final = L > 0 ? a->ln2 + (L - 1) * Bm * T * C : a->encoded;

  (void) final;
  gb_matmul_backward (ga->cls, GRAD (headw, 0), GRAD (headb, 0), ga->logits, a->cls,
                      p->headw, B, C, K);
  gb_cls_backward (dfinal, ga->cls, B, T, C);

  for (int l = L - 1; l >= 0; l--)
    {
      const float *x = l == 0 ? a->encoded : a->ln2 + (l - 1) * Bm * T * C;
      float *dx = l == 0 ? ga->encoded : ga->ln2 + (l - 1) * Bm * T * C;
      gsize o_qkv = l * Bm * T * 3 * C, o_att = l * Bm * NH * T * T, o_c = l * Bm * T * C;
      gsize o_t = l * Bm * T, o_ff = l * Bm * T * FF;

      gb_layernorm_backward (ga->res2 + o_c, GRAD (ln2w, l * C), GRAD (ln2b, l * C),
                             ga->ln2 + o_c, a->res2 + o_c, p->ln2w + (gsize) l * C,
                             a->ln2_mean + o_t, a->ln2_rstd + o_t, N, C);
      gb_residual_backward (ga->ln1 + o_c, ga->fcproj + o_c, ga->res2 + o_c, N * C);
      gb_matmul_backward (ga->fch_gelu + o_ff, GRAD (fcprojw, (gsize) l * C * FF),
                          GRAD (fcprojb, l * C), ga->fcproj + o_c, a->fch_gelu + o_ff,
                          p->fcprojw + (gsize) l * C * FF, N, FF, C);
      gb_gelu_backward (ga->fch + o_ff, a->fch + o_ff, ga->fch_gelu + o_ff, N * FF);
      gb_matmul_backward (ga->ln1 + o_c, GRAD (fcw, (gsize) l * FF * C), GRAD (fcb, l * FF),
                          ga->fch + o_ff, a->ln1 + o_c, p->fcw + (gsize) l * FF * C, N, C, FF);
      gb_layernorm_backward (ga->res1 + o_c, GRAD (ln1w, l * C), GRAD (ln1b, l * C),
                             ga->ln1 + o_c, a->res1 + o_c, p->ln1w + (gsize) l * C,
                             a->ln1_mean + o_t, a->ln1_rstd + o_t, N, C);
      gb_residual_backward (dx, ga->attproj + o_c, ga->res1 + o_c, N * C);
      gb_matmul_backward (ga->atty + o_c, GRAD (attprojw, (gsize) l * C * C),
                          GRAD (attprojb, l * C), ga->attproj + o_c, a->atty + o_c,
                          p->attprojw + (gsize) l * C * C, N, C, C);
      gb_attention_backward (ga->qkv + o_qkv, ga->preatt + o_att, ga->att + o_att,
                             ga->atty + o_c, a->qkv + o_qkv, a->att + o_att, B, T, C, NH);
      gb_matmul_backward (dx, GRAD (qkvw, (gsize) l * 3 * C * C), GRAD (qkvb, l * 3 * C),
                          ga->qkv + o_qkv, x, p->qkvw + (gsize) l * 3 * C * C, N, C, 3 * C);
    }
}

#undef GRAD

/* Mean cross-entropy forward + full backward into @grads (zeroed here).
 * ws->xnum / xidx / targets hold the batch. */
static double
train_forward_backward (GbModel *self, Workspace *ws, GbModelParams *grads,
                        float *grads_memory, int B)
{
  Activations *a = &ws->acts, *ga = &ws->grad_acts;
  int K = self->n_classes;
  double loss = 0.0;

  embed_tokens (self, ws->xnum, ws->xidx, B, a->encoded);
  encoder_forward (self, ws, B);
  gb_crossentropy_forward (a->losses, a->probs, ws->targets, B, K);
  for (int b = 0; b < B; b++)
    loss += a->losses[b];
  loss /= B;

  /* zero, then backward (which accumulates) */
  memset (grads_memory, 0, self->n_params * sizeof (float));
  memset (ws->grad_acts_memory, 0, ws->n_acts * sizeof (float));
  for (int b = 0; b < B; b++)
    ga->losses[b] = 1.0f / B;
  gb_crossentropy_softmax_backward (ga->logits, ga->losses, a->probs, ws->targets, B, K);
  encoder_backward (self, ws, grads, B);
  gb_tabular_embed_backward (grads->cls, grads->num_w, grads->num_b, grads->num_miss,
                             grads->table, ga->encoded, ws->xnum, ws->xidx, self->is_cat,
                             B, self->n_features, self->config.d_model);
  return loss;
}

/* ---- token-level entry points (private) ----------------------------------------- */

void
gb_model_embed_cells (GbModel *self, const double *x, const gint32 *codes, gsize B,
                      float *out)
{
  guint F = self->n_features;
  gsize TC = (gsize) (F + 1) * self->config.d_model;
  float xnum[GB_MODEL_CHUNK];
  gint32 xidx[GB_MODEL_CHUNK];

  g_return_if_fail (GB_IS_MODEL (self));
  for (gsize b = 0; b < B; b++)
    {
      const double *xb = x + b * F;
      const gint32 *cb = codes + b * F;
      float *xn = F <= GB_MODEL_CHUNK ? xnum : g_new (float, F);
      gint32 *xi = F <= GB_MODEL_CHUNK ? xidx : g_new (gint32, F);
      for (guint j = 0; j < F; j++)
        encode_cell (self, j, xb[j], cb[j], xn + j, xi + j);
      embed_tokens (self, xn, xi, 1, out + b * TC);
      if (xn != xnum)
        {
          g_free (xn);
          g_free (xi);
        }
    }
}

double
gb_model_loss_gradients (GbModel *self, const double *x, const gint32 *codes,
                         const gint32 *targets, gsize B, float *out_logits,
                         float *out_param_grads, float *out_emb_grads)
{
  Workspace ws;
  GbModelParams grads;
  float *grads_memory;
  guint F = self->n_features;
  int K = self->n_classes;
  gsize TC = (gsize) (F + 1) * self->config.d_model;
  double loss;

  g_return_val_if_fail (GB_IS_MODEL (self), NAN);
  g_return_val_if_fail (B >= 1 && B <= GB_MODEL_CHUNK, NAN);

  workspace_init (&ws, self, B, TRUE);
  grads_memory = g_new0 (float, self->n_params);
  point_parameters (&grads, grads_memory, self->param_sizes);
  for (gsize b = 0; b < B; b++)
    {
      for (guint j = 0; j < F; j++)
        encode_cell (self, j, x[b * F + j], codes[b * F + j], ws.xnum + b * F + j,
                     ws.xidx + b * F + j);
      g_return_val_if_fail (targets[b] >= 0 && targets[b] < K, NAN);
      ws.targets[b] = targets[b];
    }
  loss = train_forward_backward (self, &ws, &grads, grads_memory, B);
  if (out_logits != NULL)
    memcpy (out_logits, ws.acts.logits, B * K * sizeof (float));
  if (out_param_grads != NULL)
    memcpy (out_param_grads, grads_memory, self->n_params * sizeof (float));
  if (out_emb_grads != NULL)
    memcpy (out_emb_grads, ws.grad_acts.encoded, B * TC * sizeof (float));
  g_free (grads_memory);
  workspace_clear (&ws);
  return loss;
}

/* ---- public inference -------------------------------------------------------- */

void
gb_model_embed_rows (GbModel *self, GbDataset *ds, const gsize *rows, gsize n_rows,
                     float *out)
{
  g_autoptr(GError) error = NULL;
  Binding *bind;
  guint F;
  gsize TC;
  float *xnum;
  gint32 *xidx;

  g_return_if_fail (GB_IS_MODEL (self));
  g_return_if_fail (GB_IS_DATASET (ds));
  F = self->n_features;
  TC = (gsize) (F + 1) * self->config.d_model;
  bind = bind_dataset (self, ds, &error);
  if (bind == NULL)
    {
      g_critical ("gb_model_embed_rows: %s", error->message);
      return;
    }
  xnum = g_new (float, (gsize) GB_MODEL_CHUNK * F);
  xidx = g_new (gint32, (gsize) GB_MODEL_CHUNK * F);
  for (gsize start = 0; start < n_rows; start += GB_MODEL_CHUNK)
    {
      gsize B = MIN (GB_MODEL_CHUNK, n_rows - start);
      encode_rows (self, bind, rows + start, B, xnum, xidx);
      embed_tokens (self, xnum, xidx, B, out + start * TC);
    }
  g_free (xnum);
  g_free (xidx);
  bindings_free (bind, F);
}

gboolean
gb_model_predict_proba (GbModel *self, GbDataset *ds, const gsize *rows, gsize n_rows,
                        double *out, GCancellable *cancellable, GError **error)
{
  Workspace ws;
  Binding *bind;
  gsize n_ds;
  int K;

  g_return_val_if_fail (GB_IS_MODEL (self), FALSE);
  g_return_val_if_fail (GB_IS_DATASET (ds), FALSE);
  g_return_val_if_fail (rows != NULL || n_rows == 0, FALSE);

  n_ds = gb_dataset_get_n_rows (ds);
  for (gsize i = 0; i < n_rows; i++)
    if (rows[i] >= n_ds)
      {
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                     "Row %" G_GSIZE_FORMAT " is out of range (the dataset has %"
                     G_GSIZE_FORMAT " rows)", rows[i], n_ds);
        return FALSE;
      }
  bind = bind_dataset (self, ds, error);
  if (bind == NULL)
    return FALSE;

  K = self->n_classes;
  workspace_init (&ws, self, MIN (GB_MODEL_CHUNK, MAX (n_rows, 1)), FALSE);
  for (gsize start = 0; start < n_rows; start += ws.Bmax)
    {
      gsize B = MIN ((gsize) ws.Bmax, n_rows - start);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          workspace_clear (&ws);
          bindings_free (bind, self->n_features);
          return FALSE;
        }
      encode_rows (self, bind, rows + start, B, ws.xnum, ws.xidx);
      embed_tokens (self, ws.xnum, ws.xidx, B, ws.acts.encoded);
      encoder_forward (self, &ws, B);
      for (gsize i = 0; i < B * K; i++)
        out[start * K + i] = ws.acts.probs[i];
    }
  workspace_clear (&ws);
  bindings_free (bind, self->n_features);
  return TRUE;
}

void
gb_model_forward_embedded (GbModel *self, const float *emb, gsize B, float *out_probs)
{
  Workspace ws;
  gsize TC, K;

  g_return_if_fail (GB_IS_MODEL (self));
  if (B == 0)
    return;
  TC = (gsize) (self->n_features + 1) * self->config.d_model;
  K = self->n_classes;
  workspace_init (&ws, self, MIN (GB_MODEL_CHUNK, B), FALSE);
  for (gsize start = 0; start < B; start += ws.Bmax)
    {
      gsize b = MIN ((gsize) ws.Bmax, B - start);
      memcpy (ws.acts.encoded, emb + start * TC, b * TC * sizeof (float));
      encoder_forward (self, &ws, b);
      memcpy (out_probs + start * K, ws.acts.probs, b * K * sizeof (float));
    }
  workspace_clear (&ws);
}

void
gb_model_gradient_embedded (GbModel *self, const float *emb, gsize B, guint class_index,
                            float *out_probs, float *out_grad)
{
  Workspace ws;
  gsize TC, K;

  g_return_if_fail (GB_IS_MODEL (self));
  g_return_if_fail (class_index < self->n_classes);
  if (B == 0)
    return;
  TC = (gsize) (self->n_features + 1) * self->config.d_model;
  K = self->n_classes;
  workspace_init (&ws, self, MIN (GB_MODEL_CHUNK, B), TRUE);
  for (gsize start = 0; start < B; start += ws.Bmax)
    {
      gsize b = MIN ((gsize) ws.Bmax, B - start);
      memcpy (ws.acts.encoded, emb + start * TC, b * TC * sizeof (float));
      encoder_forward (self, &ws, b);
      memset (ws.grad_acts_memory, 0, ws.n_acts * sizeof (float));
      gb_softmax_prob_backward (ws.grad_acts.logits, ws.acts.probs, class_index, b, K);
      encoder_backward (self, &ws, NULL, b);
      if (out_probs != NULL)
        memcpy (out_probs + start * K, ws.acts.probs, b * K * sizeof (float));
      memcpy (out_grad + start * TC, ws.grad_acts.encoded, b * TC * sizeof (float));
    }
  workspace_clear (&ws);
}

/* ---- training ------------------------------------------------------------------ */

static double
lr_at_step (const GbTrainConfig *cfg, guint step, guint total, guint warmup)
{
  if (step < warmup)
    return cfg->learning_rate * (step + 1) / (double) warmup;
  if (total <= warmup)
    return cfg->learning_rate;
  return cfg->learning_rate * (double) (total - step) / (double) (total - warmup);
}

/* Mean cross-entropy over @rows (tokenised in xnum_all / xidx_all). */
static double
eval_loss (GbModel *self, Workspace *ws, const float *xnum_all, const gint32 *xidx_all,
           const gint32 *y_all, const gsize *rows, gsize n)
{
  guint F = self->n_features;
  int K = self->n_classes;
  double sum = 0.0;
  for (gsize start = 0; start < n; start += ws->Bmax)
    {
      int B = MIN ((gsize) ws->Bmax, n - start);
      for (int b = 0; b < B; b++)
        {
          gsize r = rows[start + b];
          memcpy (ws->xnum + (gsize) b * F, xnum_all + r * F, F * sizeof (float));
          memcpy (ws->xidx + (gsize) b * F, xidx_all + r * F, F * sizeof (gint32));
          ws->targets[b] = y_all[r];
        }
      embed_tokens (self, ws->xnum, ws->xidx, B, ws->acts.encoded);
      encoder_forward (self, ws, B);
      gb_crossentropy_forward (ws->acts.losses, ws->acts.probs, ws->targets, B, K);
      for (int b = 0; b < B; b++)
        sum += ws->acts.losses[b];
    }
  return n > 0 ? sum / n : NAN;
}

gboolean
gb_model_train (GbModel *self, GbDataset *ds, const double *y, const guint8 *split,
                const GbTrainConfig *config, GCancellable *cancellable,
                GbTrainProgressFunc progress, gpointer user_data, GError **error)
{
  GbTrainConfig cfg;
  Binding *bind = NULL;
  gsize n_rows, n_train = 0, n_val = 0;
  guint F, K;
  gsize *train_rows = NULL, *val_rows = NULL, *all_rows = NULL;
  float *xnum_all = NULL;
  gint32 *xidx_all = NULL, *y_all = NULL;
  float *grads_memory = NULL, *m_memory = NULL, *v_memory = NULL;
  GbModelParams grads;
  Workspace ws = { 0 };
  gsl_rng *rng = NULL;
  gboolean ok = FALSE;
  guint steps_per_epoch, total_steps, warmup, step = 0;
  double val_loss = NAN;
  int n_threads;

  g_return_val_if_fail (GB_IS_MODEL (self), FALSE);
  g_return_val_if_fail (GB_IS_DATASET (ds), FALSE);
  g_return_val_if_fail (y != NULL && split != NULL, FALSE);

  if (config != NULL)
    cfg = *config;
  else
    gb_train_config_init_default (&cfg);
  if (cfg.batch_size == 0 || cfg.epochs == 0 || !(cfg.learning_rate > 0))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Invalid training settings: epochs, batch size and learning rate must "
                   "be positive");
      return FALSE;
    }
  n_threads = cfg.n_threads > 0 ? (int) cfg.n_threads : (int) g_get_num_processors ();
  gb_set_blas_threads (n_threads);

  F = self->n_features;
  K = self->n_classes;
  n_rows = gb_dataset_get_n_rows (ds);

  /* labels */
  y_all = g_new0 (gint32, MAX (n_rows, 1));
  train_rows = g_new (gsize, MAX (n_rows, 1));
  val_rows = g_new (gsize, MAX (n_rows, 1));
  for (gsize r = 0; r < n_rows; r++)
    {
      if (isnan (y[r]) || (split[r] != 0 && split[r] != 1))
        continue;
      if (y[r] < 0 || y[r] >= K || y[r] != floor (y[r]))
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Row %" G_GSIZE_FORMAT ": class index %g is not in 0 .. %u",
                       r, y[r], K - 1);
          goto out;
        }
      y_all[r] = (gint32) y[r];
      if (split[r] == 0)
        train_rows[n_train++] = r;
      else
        val_rows[n_val++] = r;
    }
  if (n_train == 0)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "No training rows: every row is missing its label or outside the "
                   "training split");
      goto out;
    }

  /* tokenise every row once */
  bind = bind_dataset (self, ds, error);
  if (bind == NULL)
    goto out;
  all_rows = g_new (gsize, MAX (n_rows, 1));
  for (gsize r = 0; r < n_rows; r++)
    all_rows[r] = r;
  xnum_all = g_new (float, MAX (n_rows * F, 1));
  xidx_all = g_new (gint32, MAX (n_rows * F, 1));
  encode_rows (self, bind, all_rows, n_rows, xnum_all, xidx_all);

  /* optimiser state, gradients, activations */
  grads_memory = g_new0 (float, self->n_params);
  m_memory = g_new0 (float, self->n_params);
  v_memory = g_new0 (float, self->n_params);
  point_parameters (&grads, grads_memory, self->param_sizes);
  workspace_init (&ws, self, MIN (cfg.batch_size, n_train), TRUE);

  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, (unsigned long) cfg.seed);

  steps_per_epoch = (n_train + ws.Bmax - 1) / ws.Bmax;
  total_steps = steps_per_epoch * cfg.epochs;
  warmup = (guint) llround (cfg.warmup_fraction * total_steps);
  warmup = MAX (warmup, 1);

  for (guint epoch = 0; epoch < cfg.epochs; epoch++)
    {
      double loss_sum = 0.0;
      gsize loss_n = 0;

      gsl_ran_shuffle (rng, train_rows, n_train, sizeof (gsize));
      for (guint s = 0; s < steps_per_epoch; s++, step++)
        {
          gsize start = (gsize) s * ws.Bmax;
          int B = MIN ((gsize) ws.Bmax, n_train - start);
          double loss;
          float lr;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;

          for (int b = 0; b < B; b++)
            {
              gsize r = train_rows[start + b];
              memcpy (ws.xnum + (gsize) b * F, xnum_all + r * F, F * sizeof (float));
              memcpy (ws.xidx + (gsize) b * F, xidx_all + r * F, F * sizeof (gint32));
              ws.targets[b] = y_all[r];
            }
          loss = train_forward_backward (self, &ws, &grads, grads_memory, B);
          loss_sum += loss * B;
          loss_n += B;

          lr = (float) lr_at_step (&cfg, step, total_steps, warmup);
          {
            float *pp = self->params_memory, *gp = grads_memory, *mp = m_memory, *vp = v_memory;
            for (int i = 0; i < GB_MODEL_N_PARAM_TENSORS; i++)
              {
                gsize n = self->param_sizes[i];
                gb_adamw_update (pp, mp, vp, gp, n, lr, 0.9f, 0.999f, 1e-8f,
                                 param_decay[i] ? (float) cfg.weight_decay : 0.0f, step + 1);
                pp += n;
                gp += n;
                mp += n;
                vp += n;
              }
          }

          if (progress != NULL && (s % 10 == 9))
            progress (epoch + 1, cfg.epochs, (double) (step + 1) / total_steps,
                      loss_sum / loss_n, val_loss, user_data);
        }

      if (n_val > 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
          val_loss = eval_loss (self, &ws, xnum_all, xidx_all, y_all, val_rows, n_val);
        }
      if (progress != NULL)
        progress (epoch + 1, cfg.epochs, (double) (epoch + 1) / cfg.epochs,
                  loss_sum / MAX (loss_n, 1), val_loss, user_data);
    }
  ok = TRUE;

out:
  if (rng != NULL)
    gsl_rng_free (rng);
  workspace_clear (&ws);
  g_free (grads_memory);
  g_free (m_memory);
  g_free (v_memory);
  g_free (xnum_all);
  g_free (xidx_all);
  g_free (all_rows);
  g_free (train_rows);
  g_free (val_rows);
  g_free (y_all);
  bindings_free (bind, F);
  return ok;
}
