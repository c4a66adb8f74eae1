/* gb-model.c — the transformer classifier: tabular feature tokens and/or
 * BERT-style text embeddings, post-LN encoder with a padding mask, optional
 * pooler, linear head on [CLS], AdamW training with dropout, weights,
 * schedules, clipping and early stopping (llm.c style: parameters,
 * gradients and activations carved from single allocations through size
 * tables; kernels in gb-layers.c). */
#include "gb-config.h"
#include "gb-model.h"
#include "gb-model-private.h"
#include "gb-layers.h"
#include "gb-tokenizer.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

/* Rows per internal chunk for inference and gradient calls. */
#define GB_MODEL_CHUNK 256
/* The largest model check_config() accepts: 2^30 float parameters (4 GiB;
 * BERT-large has 3.4e8) and 4096 text tokens per row (one row's attention
 * weights are heads × T² floats: 64 heads at 4096 tokens take 4 GiB). */
#define GB_MODEL_MAX_PARAMETERS (1u << 30)
#define GB_MODEL_MAX_SEQUENCE 4096u

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

  gboolean has_text;
  char *text_column;    /* nullable */
  guint S;              /* text ids per row (0 without text) */
  guint T;              /* sequence length */
  float eps;            /* LayerNorm epsilon */
  GbModelEncodeFunc encode;
  gpointer tokenizer;
  GDestroyNotify tokenizer_destroy;

  gsize param_sizes[GB_MODEL_N_PARAM_TENSORS];
  gsize n_params;
  float *params_memory;
  GbModelParams params;

  guint epochs_run, best_epoch;
  double best_val_loss;
};

G_DEFINE_FINAL_TYPE (GbModel, gb_model, G_TYPE_OBJECT)

/* ---- activations ---------------------------------------------------------- */

/* Per-layer tensors have Lc layers: L when the backward pass needs them
 * (training, gradients), 1 for inference (every layer reuses the same
 * buffers: no activation caching).  The gradient workspace always has
 * Lc = 1: a layer's activation gradients are dead once its backward pass
 * is done, so one layer's worth is reused from the top layer down. */
typedef struct {
  float *embsum;    /* (B, T, C) text models: embeddings before the LayerNorm */
  float *emb_mean;  /* (B, T) */
  float *emb_rstd;  /* (B, T) */
  float *encoded;   /* (B, T, C) encoder input */
  float *qkv;       /* (Lc, B, T, 3C) */
  float *preatt;    /* (Lc, B, NH, T, T) gradient scratch only (forward aliases att) */
  float *att;       /* (Lc, B, NH, T, T) */
  float *atty;      /* (Lc, B, T, C) */
  float *attproj;   /* (Lc, B, T, C) */
  float *res1;      /* (Lc, B, T, C) */
  float *ln1;       /* (Lc, B, T, C) */
  float *ln1_mean;  /* (Lc, B, T) */
  float *ln1_rstd;  /* (Lc, B, T) */
  float *fch;       /* (Lc, B, T, FF) */
  float *fch_gelu;  /* (Lc, B, T, FF) */
  float *fcproj;    /* (Lc, B, T, C) */
  float *res2;      /* (Lc, B, T, C) */
  float *ln2;       /* (Lc, B, T, C) */
  float *ln2_mean;  /* (Lc, B, T) */
  float *ln2_rstd;  /* (Lc, B, T) */
  float *cls;       /* (B, C) final [CLS] state */
  float *pool;      /* (B, C) pooler output (with a pooler) */
  float *headin;    /* (B, C) the head's input (after dropout) */
  float *logits;    /* (B, K) */
  float *probs;     /* (B, K) */
  float *losses;    /* (B) */
  float *drop_emb;  /* (B, T, C) dropout masks (training with dropout only) */
  float *drop_att;  /* (L, B, T, C) */
  float *drop_ffn;  /* (L, B, T, C) */
  float *drop_head; /* (B, C) */
} Activations;

#define N_ACT_TENSORS 30

typedef enum {
  WS_INFER,    /* forward only, Lc = 1 */
  WS_GRAD,     /* forward with Lc = L, backward */
  WS_CACHE,    /* forward only, Lc = L (every layer's activations kept) */
} WorkspaceMode;

/* Scratch for one forward (and optionally backward) pass of up to Bmax rows.
 * Allocated per call, so concurrent inference calls on one model are safe. */
typedef struct {
  int Bmax;
  int Lc;
  gboolean dropout;         /* masks allocated */
  gsize n_acts, n_grad_acts;
  float *acts_memory;
  Activations acts;
  float *grad_acts_memory;  /* NULL when no backward pass is needed */
  Activations grad_acts;
  float *xnum;              /* (Bmax, F) */
  gint32 *xidx;             /* (Bmax, F) */
  gint32 *wids;             /* (Bmax, T) word id per position, −1 = feature */
  gint32 *types;            /* (Bmax, T) token type per position */
  guint8 *mask;             /* (Bmax, T) attention mask */
  gboolean masked;          /* mask holds a padding mask for this batch */
  gint32 *targets;          /* (Bmax) */
  float *dloss;             /* (Bmax) ∂loss/∂losses[b] */
  const float *cls_shift;   /* (B, C) nullable: added to the [CLS] output of
                             * block cls_shift_layer (gb_model_forward_cls_shifted) */
  int cls_shift_layer;
} Workspace;

static void
fill_in_activation_sizes (GbModel *self, int B, int Lc, gboolean grads, gboolean dropout,
                          gsize sizes[N_ACT_TENSORS])
{
  gsize L = self->config.n_layers, C = self->config.d_model, NH = self->config.n_heads;
  gsize FF = self->config.d_ff, K = self->n_classes, T = self->T;
  gsize text = self->has_text ? 1 : 0, pool = self->config.pooler ? 1 : 0;
  sizes[0] = text * B * T * C;
  sizes[1] = text * B * T;
  sizes[2] = text * B * T;
  sizes[3] = B * T * C;
  sizes[4] = Lc * B * T * 3 * C;
  sizes[5] = grads ? Lc * B * NH * T * T : 0;
  sizes[6] = Lc * B * NH * T * T;
  sizes[7] = Lc * B * T * C;
  sizes[8] = Lc * B * T * C;
  sizes[9] = Lc * B * T * C;
  sizes[10] = Lc * B * T * C;
  sizes[11] = Lc * B * T;
  sizes[12] = Lc * B * T;
  sizes[13] = Lc * B * T * FF;
  sizes[14] = Lc * B * T * FF;
  sizes[15] = Lc * B * T * C;
  sizes[16] = Lc * B * T * C;
  sizes[17] = Lc * B * T * C;
  sizes[18] = Lc * B * T;
  sizes[19] = Lc * B * T;
  sizes[20] = B * C;
  sizes[21] = pool * B * C;
  sizes[22] = B * C;
  sizes[23] = B * K;
  sizes[24] = B * K;
  sizes[25] = B;
  sizes[26] = dropout ? B * T * C : 0;
  sizes[27] = dropout ? L * B * T * C : 0;
  sizes[28] = dropout ? L * B * T * C : 0;
  sizes[29] = dropout ? B * C : 0;
}

static float *
point_activations (Activations *acts, const gsize sizes[N_ACT_TENSORS], gsize total)
{
  float *mem = g_new0 (float, MAX (total, 1));
  float **ptrs[N_ACT_TENSORS] = {
    &acts->embsum, &acts->emb_mean, &acts->emb_rstd, &acts->encoded,
    &acts->qkv, &acts->preatt, &acts->att, &acts->atty, &acts->attproj,
    &acts->res1, &acts->ln1, &acts->ln1_mean, &acts->ln1_rstd, &acts->fch, &acts->fch_gelu,
    &acts->fcproj, &acts->res2, &acts->ln2, &acts->ln2_mean, &acts->ln2_rstd, &acts->cls,
    &acts->pool, &acts->headin, &acts->logits, &acts->probs, &acts->losses,
    &acts->drop_emb, &acts->drop_att, &acts->drop_ffn, &acts->drop_head,
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
workspace_init (Workspace *ws, GbModel *self, int Bmax, WorkspaceMode mode, gboolean dropout)
{
  gsize sizes[N_ACT_TENSORS];
  gsize F = MAX (self->n_features, 1), T = self->T;
  memset (ws, 0, sizeof *ws);
  ws->Bmax = Bmax;
  ws->Lc = mode == WS_INFER ? 1 : MAX ((int) self->config.n_layers, 1);
  ws->dropout = dropout;
  fill_in_activation_sizes (self, Bmax, ws->Lc, FALSE, dropout, sizes);
  for (int i = 0; i < N_ACT_TENSORS; i++)
    ws->n_acts += sizes[i];
  ws->acts_memory = point_activations (&ws->acts, sizes, ws->n_acts);
  if (mode == WS_GRAD)
    {
      fill_in_activation_sizes (self, Bmax, 1, TRUE, FALSE, sizes);
      for (int i = 0; i < N_ACT_TENSORS; i++)
        ws->n_grad_acts += sizes[i];
      ws->grad_acts_memory = point_activations (&ws->grad_acts, sizes, ws->n_grad_acts);
    }
  ws->xnum = g_new0 (float, (gsize) Bmax * F);
  ws->xidx = g_new0 (gint32, (gsize) Bmax * F);
  ws->wids = g_new0 (gint32, (gsize) Bmax * T);
  ws->types = g_new0 (gint32, (gsize) Bmax * T);
  ws->mask = g_new0 (guint8, (gsize) Bmax * T);
  ws->targets = g_new0 (gint32, Bmax);
  ws->dloss = g_new0 (float, Bmax);
}

static void
workspace_clear (Workspace *ws)
{
  g_free (ws->acts_memory);
  g_free (ws->grad_acts_memory);
  g_free (ws->xnum);
  g_free (ws->xidx);
  g_free (ws->wids);
  g_free (ws->types);
  g_free (ws->mask);
  g_free (ws->targets);
  g_free (ws->dloss);
  memset (ws, 0, sizeof *ws);
}

/* Rows per inference chunk: at most GB_MODEL_CHUNK, and few enough that one
 * layer's attention maps stay near 8 M floats. */
static int
inference_chunk (GbModel *self, gsize n)
{
  gsize per_row = (gsize) self->config.n_heads * self->T * self->T;
  gsize b = (8u << 20) / MAX (per_row, 1);
  b = CLAMP (b, 1, GB_MODEL_CHUNK);
  return (int) MIN (b, MAX (n, 1));
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
  g_free (self->text_column);
  if (self->tokenizer_destroy != NULL && self->tokenizer != NULL)
    self->tokenizer_destroy (self->tokenizer);
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
  self->best_val_loss = NAN;
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

/* Lays out the parameters once self->features is filled in.  @text: the
 * model has text (config->vocab_size > 0 then). */
static void
model_setup (GbModel *self, const GbTransformerConfig *config, guint n_classes, guint64 seed,
             gboolean text)
{
  guint NN = 0, V = 0;

  if (config != NULL)
    self->config = *config;
  else
    gb_transformer_config_init_default (&self->config);
  self->n_classes = n_classes;
  self->has_text = text;
  if (!text)
    {
      self->config.vocab_size = 0;
      self->S = 0;
      self->T = self->n_features + 1;
    }
  else
    {
      if (self->config.max_length == 0)
        self->config.max_length = 128;
      self->S = self->config.max_length;
      self->T = self->n_features + self->S;
      if (self->config.max_position == 0)
        self->config.max_position = self->T;
    }
  self->eps = self->config.layer_norm_eps > 0 ? (float) self->config.layer_norm_eps
                                              : GB_LAYERNORM_EPS;
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
  self->params_memory = g_new0 (float, MAX (self->n_params, 1));
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
      if (config->pooler && config->pooler_activation > GB_POOLER_RELU)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Unknown pooler activation %u", config->pooler_activation);
          return FALSE;
        }
      /* sizes from a file or a command line: an error, not an abort in malloc
       * (the parameter count as fill_in_parameter_sizes(), in double) */
      const double L = config->n_layers, C = config->d_model, FF = config->d_ff;
      const double rows = (double) config->vocab_size + config->max_position
                          + config->type_vocab_size + n_classes + 4.0;
      const double params = L * (4.0 * C * C + 2.0 * C * FF + 9.0 * C + FF) + rows * C + C * C;
      if (params > GB_MODEL_MAX_PARAMETERS || config->max_length > GB_MODEL_MAX_SEQUENCE)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "The transformer is too large to allocate (n_layers %u, d_model %u, "
                       "d_ff %u, vocab_size %u, max_position %u, max_length %u): at most %u "
                       "parameters and %u text tokens", config->n_layers, config->d_model,
                       config->d_ff, config->vocab_size, config->max_position,
                       config->max_length, GB_MODEL_MAX_PARAMETERS, GB_MODEL_MAX_SEQUENCE);
          return FALSE;
        }
    }
  return TRUE;
}

/* Checks the text settings of @config for a model with @n_features features. */
static gboolean
check_text_config (const GbTransformerConfig *config, guint n_features, GError **error)
{
  guint S = config->max_length > 0 ? config->max_length : 128;
  guint T = n_features + S;
  if (config->vocab_size == 0)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "A text model needs the tokenizer's vocabulary size (vocab_size is 0)");
      return FALSE;
    }
  if (S < 2)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "max_length %u is too short: [CLS] and [SEP] need 2 positions", S);
      return FALSE;
    }
  if (config->max_position != 0 && config->max_position < T)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "The sequence needs %u positions (%u features + max_length %u) but the "
                   "model has %u position embeddings (max_position)", T, n_features, S,
                   config->max_position);
      return FALSE;
    }
  if (n_features > 0 && config->type_vocab_size < 2)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "A model with text and feature tokens needs 2 token types "
                   "(type_vocab_size is %u)", config->type_vocab_size);
      return FALSE;
    }
  return TRUE;
}

static void
features_from_spec (GbModel *self, const GbModelFeatureSpec *features, guint n_features)
{
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
            f->levels[i] = features[j].levels != NULL ? g_strdup (features[j].levels[i])
                                                      : g_strdup_printf ("%u", i);
        }
      else
        {
          f->mean = features[j].mean;
          f->sd = features[j].sd > 0 ? features[j].sd : 1.0;
        }
    }
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
  features_from_spec (self, features, n_features);
  model_setup (self, config, n_classes, seed, FALSE);
  return self;
}

GbModel *
gb_model_new_from_config (const GbTransformerConfig *config, guint n_classes,
                          const GbModelFeatureSpec *features, guint n_features,
                          const char *text_column, guint64 seed, GError **error)
{
  GbModel *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (features != NULL || n_features == 0, NULL);
  if (!check_config (config, n_classes, error) || !check_text_config (config, n_features, error))
    return NULL;
  self = g_object_new (GB_TYPE_MODEL, NULL);
  features_from_spec (self, features, n_features);
  self->text_column = g_strdup (text_column);
  model_setup (self, config, n_classes, seed, TRUE);
  return self;
}

/* Fills self->features (allocated by the caller for @n_features entries)
 * from the dataset's columns (numeric standardisation from the rows of
 * @train_mask). */
static gboolean
build_features (GbModel *self, GbDataset *ds, const char *const *features, guint n_features,
                const guint8 *train_mask, GError **error)
{
  gsize n_rows = gb_dataset_get_n_rows (ds);

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
          return FALSE;
        }
      for (guint i = 0; i < j; i++)
        if (g_strcmp0 (features[i], features[j]) == 0)
          {
            g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                         "Feature column “%s” is listed twice", features[j]);
            return FALSE;
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
                       "Feature column “%s” is free text; feature columns must be numeric "
                       "or categorical (give one text column as the model's text)",
                       features[j]);
          return FALSE;
        }
    }
  return TRUE;
}

GbModel *
gb_model_new_tabular (GbDataset *ds, const char *const *features, guint n_features,
                      const guint8 *train_mask, guint n_classes,
                      const GbTransformerConfig *config, guint64 seed,
                      GError **error)
{
  g_autoptr(GbModel) self = NULL;

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
  self = g_object_new (GB_TYPE_MODEL, NULL);
  self->features = g_new0 (Feature, n_features);
  if (!build_features (self, ds, features, n_features, train_mask, error))
    return NULL;
  model_setup (self, config, n_classes, seed, FALSE);
  return g_steal_pointer (&self);
}

GbModel *
gb_model_new_text (GbDataset *ds, const char *text_column,
                   const char *const *features, guint n_features,
                   const guint8 *train_mask, guint n_classes,
                   const GbTransformerConfig *config, guint64 seed, GError **error)
{
  g_autoptr(GbModel) self = NULL;
  int ci;
  const GbColumn *col;

  g_return_val_if_fail (GB_IS_DATASET (ds), NULL);
  g_return_val_if_fail (text_column != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (features != NULL || n_features == 0, NULL);

  if (!check_config (config, n_classes, error) || !check_text_config (config, n_features, error))
    return NULL;
  ci = gb_dataset_find_column (ds, text_column);
  if (ci < 0)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Unknown text column “%s”", text_column);
      return NULL;
    }
  col = gb_dataset_get_column (ds, ci);
  if (col->type != GB_COLUMN_TEXT && col->type != GB_COLUMN_CATEGORICAL)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Column “%s” is %s, not text", text_column,
                   gb_column_type_to_string (col->type));
      return NULL;
    }
  for (guint j = 0; j < n_features; j++)
    if (g_strcmp0 (features[j], text_column) == 0)
      {
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                     "Column “%s” is both the text and a feature", text_column);
        return NULL;
      }
  self = g_object_new (GB_TYPE_MODEL, NULL);
  self->features = g_new0 (Feature, MAX (n_features, 1));
  if (!build_features (self, ds, features, n_features, train_mask, error))
    return NULL;
  self->text_column = g_strdup (text_column);
  model_setup (self, config, n_classes, seed, TRUE);
  return g_steal_pointer (&self);
}

void
gb_model_set_tokenizer (GbModel *self, GbModelEncodeFunc encode, gpointer tokenizer,
                        GDestroyNotify destroy)
{
  g_return_if_fail (GB_IS_MODEL (self));
  if (self->tokenizer_destroy != NULL && self->tokenizer != NULL)
    self->tokenizer_destroy (self->tokenizer);
  self->encode = encode;
  self->tokenizer = tokenizer;
  self->tokenizer_destroy = destroy;
}

static gboolean
encode_with_gb_tokenizer (gpointer tokenizer, const char *text, guint max_length, gint32 *ids,
                          guint8 *mask, GError **error)
{
  gint32 stack_mask[512];
  gint32 *m = max_length <= G_N_ELEMENTS (stack_mask) ? stack_mask : g_new (gint32, max_length);
  gboolean ok = gb_tokenizer_encode_into (tokenizer, text, NULL, max_length, ids, NULL, m,
                                          NULL, NULL, error);
  if (ok)
    for (guint s = 0; s < max_length; s++)
      mask[s] = m[s] != 0;
  if (m != stack_mask)
    g_free (m);
  return ok;
}

void
gb_model_use_tokenizer (GbModel *self, GbTokenizer *tokenizer)
{
  g_return_if_fail (GB_IS_MODEL (self));
  g_return_if_fail (GB_IS_TOKENIZER (tokenizer));
  g_return_if_fail (gb_tokenizer_get_vocab_size (tokenizer) == self->config.vocab_size);
  gb_model_set_tokenizer (self, encode_with_gb_tokenizer, g_object_ref (tokenizer),
                          g_object_unref);
}

gpointer
gb_model_get_tokenizer (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), NULL);
  return self->tokenizer;
}

GbTokenizer *
gb_model_get_gb_tokenizer (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), NULL);
  return self->encode == encode_with_gb_tokenizer ? self->tokenizer : NULL;
}

const char *
gb_model_get_text_column (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), NULL);
  return self->text_column;
}

guint
gb_model_get_max_length (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), 0);
  return self->S;
}

guint
gb_model_get_text_offset (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), 0);
  return self->has_text ? self->n_features + 1 : 0;
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

void
gb_model_get_feature_spec (GbModel *self, guint index, GbModelFeatureSpec *out)
{
  const Feature *f;
  g_return_if_fail (GB_IS_MODEL (self));
  g_return_if_fail (index < self->n_features);
  f = &self->features[index];
  out->name = f->name;
  out->categorical = f->categorical;
  out->n_levels = f->n_levels;
  out->mean = f->mean;
  out->sd = f->sd;
  out->levels = (const char *const *) f->levels;
}

guint
gb_model_get_seq_len (GbModel *self)
{
  g_return_val_if_fail (GB_IS_MODEL (self), 0);
  return self->T;
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

void
gb_model_get_train_summary (GbModel *self, guint *epochs_run, guint *best_epoch,
                            double *best_val_loss)
{
  g_return_if_fail (GB_IS_MODEL (self));
  if (epochs_run != NULL)
    *epochs_run = self->epochs_run;
  if (best_epoch != NULL)
    *best_epoch = self->best_epoch;
  if (best_val_loss != NULL)
    *best_val_loss = self->best_val_loss;
}

/* ---- checkpoint names ------------------------------------------------------------ */

static void
add_tensor (GArray *arr, char *name, guint tensor, gsize offset, gsize d0, gsize d1)
{
  GbModelTensorInfo info = { name, d1 > 0 ? 2 : 1, { d0, d1 }, offset, tensor };
  g_array_append_val (arr, info);
}

GbModelTensorInfo *
gb_model_list_tensors (GbModel *self, GbModelNaming naming, guint *n_out)
{
  GArray *arr;
  gsize off[GB_MODEL_N_PARAM_TENSORS];
  gsize C, FF, L;
  gboolean distil = naming == GB_MODEL_NAMING_DISTILBERT;
  const char *emb = distil ? "distilbert.embeddings" : "bert.embeddings";
  static const char *const feat_names[] = { "cls", "num_w", "num_b", "num_miss", "table" };

  g_return_val_if_fail (GB_IS_MODEL (self), NULL);
  g_return_val_if_fail (n_out != NULL, NULL);
  C = self->config.d_model;
  FF = self->config.d_ff;
  L = self->config.n_layers;
  off[0] = 0;
  for (int i = 1; i < GB_MODEL_N_PARAM_TENSORS; i++)
    off[i] = off[i - 1] + self->param_sizes[i - 1];
  arr = g_array_new (FALSE, FALSE, sizeof (GbModelTensorInfo));

  for (int i = P_CLS; i <= P_TABLE; i++)
    if (self->param_sizes[i] > 0)
      {
        gsize rows = self->param_sizes[i] / C;
        add_tensor (arr, g_strdup_printf ("glassbox.features.%s", feat_names[i]), i, off[i],
                    i == P_CLS ? C : rows, i == P_CLS ? 0 : C);
      }
  if (self->has_text)
    {
      add_tensor (arr, g_strdup_printf ("%s.word_embeddings.weight", emb), P_WTE, off[P_WTE],
                  self->config.vocab_size, C);
      add_tensor (arr, g_strdup_printf ("%s.position_embeddings.weight", emb), P_WPE,
                  off[P_WPE], self->config.max_position, C);
      if (self->param_sizes[P_WTT] > 0)
        add_tensor (arr, distil ? g_strdup ("glassbox.token_type_embeddings.weight")
                                : g_strdup_printf ("%s.token_type_embeddings.weight", emb),
                    P_WTT, off[P_WTT], self->config.type_vocab_size, C);
      add_tensor (arr, g_strdup_printf ("%s.LayerNorm.weight", emb), P_EMBLN_W, off[P_EMBLN_W],
                  C, 0);
      add_tensor (arr, g_strdup_printf ("%s.LayerNorm.bias", emb), P_EMBLN_B, off[P_EMBLN_B],
                  C, 0);
    }
  for (gsize l = 0; l < L; l++)
    {
      g_autofree char *pre = distil ? g_strdup_printf ("distilbert.transformer.layer.%" G_GSIZE_FORMAT, l)
                                    : g_strdup_printf ("bert.encoder.layer.%" G_GSIZE_FORMAT, l);
      const char *qkv_names[3][2] = {
        { "attention.self.query", "attention.q_lin" },
        { "attention.self.key", "attention.k_lin" },
        { "attention.self.value", "attention.v_lin" },
      };
      for (int j = 0; j < 3; j++)
        {
          add_tensor (arr, g_strdup_printf ("%s.%s.weight", pre, qkv_names[j][distil]), P_QKVW,
                      off[P_QKVW] + (l * 3 + j) * C * C, C, C);
          add_tensor (arr, g_strdup_printf ("%s.%s.bias", pre, qkv_names[j][distil]), P_QKVB,
                      off[P_QKVB] + (l * 3 + j) * C, C, 0);
        }
      add_tensor (arr, g_strdup_printf ("%s.%s.weight", pre, distil ? "attention.out_lin" : "attention.output.dense"),
                  P_ATTPROJW, off[P_ATTPROJW] + l * C * C, C, C);
      add_tensor (arr, g_strdup_printf ("%s.%s.bias", pre, distil ? "attention.out_lin" : "attention.output.dense"),
                  P_ATTPROJB, off[P_ATTPROJB] + l * C, C, 0);
      add_tensor (arr, g_strdup_printf ("%s.%s.weight", pre, distil ? "sa_layer_norm" : "attention.output.LayerNorm"),
                  P_LN1W, off[P_LN1W] + l * C, C, 0);
      add_tensor (arr, g_strdup_printf ("%s.%s.bias", pre, distil ? "sa_layer_norm" : "attention.output.LayerNorm"),
                  P_LN1B, off[P_LN1B] + l * C, C, 0);
      add_tensor (arr, g_strdup_printf ("%s.%s.weight", pre, distil ? "ffn.lin1" : "intermediate.dense"),
                  P_FCW, off[P_FCW] + l * FF * C, FF, C);
      add_tensor (arr, g_strdup_printf ("%s.%s.bias", pre, distil ? "ffn.lin1" : "intermediate.dense"),
                  P_FCB, off[P_FCB] + l * FF, FF, 0);
      add_tensor (arr, g_strdup_printf ("%s.%s.weight", pre, distil ? "ffn.lin2" : "output.dense"),
                  P_FCPROJW, off[P_FCPROJW] + l * C * FF, C, FF);
      add_tensor (arr, g_strdup_printf ("%s.%s.bias", pre, distil ? "ffn.lin2" : "output.dense"),
                  P_FCPROJB, off[P_FCPROJB] + l * C, C, 0);
      add_tensor (arr, g_strdup_printf ("%s.%s.weight", pre, distil ? "output_layer_norm" : "output.LayerNorm"),
                  P_LN2W, off[P_LN2W] + l * C, C, 0);
      add_tensor (arr, g_strdup_printf ("%s.%s.bias", pre, distil ? "output_layer_norm" : "output.LayerNorm"),
                  P_LN2B, off[P_LN2B] + l * C, C, 0);
    }
  if (self->config.pooler)
    {
      add_tensor (arr, g_strdup (distil ? "pre_classifier.weight" : "bert.pooler.dense.weight"),
                  P_POOLW, off[P_POOLW], C, C);
      add_tensor (arr, g_strdup (distil ? "pre_classifier.bias" : "bert.pooler.dense.bias"),
                  P_POOLB, off[P_POOLB], C, 0);
    }
  add_tensor (arr, g_strdup ("classifier.weight"), P_HEADW, off[P_HEADW], self->n_classes, C);
  add_tensor (arr, g_strdup ("classifier.bias"), P_HEADB, off[P_HEADB], self->n_classes, 0);
  *n_out = arr->len;
  return (GbModelTensorInfo *) g_array_free (arr, FALSE);
}

void
gb_model_tensor_info_free (GbModelTensorInfo *infos, guint n)
{
  if (infos == NULL)
    return;
  for (guint i = 0; i < n; i++)
    g_free (infos[i].name);
  g_free (infos);
}

/* ---- encoding rows into kernel inputs ------------------------------------------- */

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

/* Rows ready for the kernels: features as (xnum, xidx), text as the
 * tokenizer's (ids, mask). */
typedef struct {
  gsize n;
  float *xnum;   /* (n, F) */
  gint32 *xidx;  /* (n, F) */
  gint32 *ids;   /* (n, S) */
  guint8 *mask;  /* (n, S) */
} Encoded;

static void
encoded_alloc (GbModel *self, Encoded *e, gsize n)
{
  gsize F = MAX (self->n_features, 1), S = MAX (self->S, 1);
  e->n = n;
  e->xnum = g_new0 (float, MAX (n, 1) * F);
  e->xidx = g_new0 (gint32, MAX (n, 1) * F);
  e->ids = g_new0 (gint32, MAX (n, 1) * S);
  e->mask = g_new0 (guint8, MAX (n, 1) * S);
}

static void
encoded_clear (Encoded *e)
{
  g_free (e->xnum);
  g_free (e->xidx);
  g_free (e->ids);
  g_free (e->mask);
  memset (e, 0, sizeof *e);
}

/* Checks token ids against the vocabulary. */
static gboolean
check_ids (GbModel *self, const gint32 *ids, gsize row, GError **error)
{
  for (guint s = 0; s < self->S; s++)
    if (ids[s] < 0 || (guint) ids[s] >= self->config.vocab_size)
      {
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                     "Row %" G_GSIZE_FORMAT ", token %u: id %d is outside the vocabulary "
                     "(0 .. %u)", row, s, ids[s], self->config.vocab_size - 1);
        return FALSE;
      }
  return TRUE;
}

/* Rows start .. start+n−1 of @in into @e (allocated here). */
static gboolean
encode_inputs (GbModel *self, const GbModelInputs *in, gsize start, gsize n, Encoded *e,
               GError **error)
{
  guint F = self->n_features, S = self->S;
  encoded_alloc (self, e, n);
  for (gsize b = 0; b < n; b++)
    {
      gsize r = start + b;
      for (guint j = 0; j < F; j++)
        encode_cell (self, j, in->x[r * F + j], in->codes[r * F + j], e->xnum + b * F + j,
                     e->xidx + b * F + j);
      if (self->has_text)
        {
          if (!check_ids (self, in->ids + r * S, r, error))
            {
              encoded_clear (e);
              return FALSE;
            }
          memcpy (e->ids + b * S, in->ids + r * S, S * sizeof (gint32));
          if (in->mask != NULL)
            memcpy (e->mask + b * S, in->mask + r * S, S);
          else
            memset (e->mask + b * S, 1, S);
        }
    }
  return TRUE;
}

/* The dataset's columns for the model's features; categorical codes are
 * mapped to the model's levels by their text (unknown levels → missing). */
typedef struct {
  const GbColumn *col;
  gint32 *code_map; /* (ds levels) or NULL = identity */
} Binding;

typedef struct {
  Binding *feat;           /* (F) */
  const GbColumn *text;    /* text models */
} DatasetBinding;

static void
binding_free (GbModel *self, DatasetBinding *b)
{
  if (b == NULL)
    return;
  for (guint j = 0; j < self->n_features; j++)
    g_free (b->feat[j].code_map);
  g_free (b->feat);
  g_free (b);
}

static DatasetBinding *
bind_dataset (GbModel *self, GbDataset *ds, GError **error)
{
  DatasetBinding *db = g_new0 (DatasetBinding, 1);
  Binding *b = g_new0 (Binding, MAX (self->n_features, 1));
  db->feat = b;
  if (self->has_text)
    {
      int ci = self->text_column != NULL ? gb_dataset_find_column (ds, self->text_column) : -1;
      const GbColumn *col = ci >= 0 ? gb_dataset_get_column (ds, ci) : NULL;
      if (col == NULL)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "The dataset has no column “%s”, the model's text",
                       self->text_column != NULL ? self->text_column : "(none)");
          binding_free (self, db);
          return NULL;
        }
      if (col->type != GB_COLUMN_TEXT && col->type != GB_COLUMN_CATEGORICAL)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Column “%s” is %s but the model reads it as text", col->name,
                       gb_column_type_to_string (col->type));
          binding_free (self, db);
          return NULL;
        }
      if (self->encode == NULL)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "The text model has no tokenizer for column “%s”", col->name);
          binding_free (self, db);
          return NULL;
        }
      db->text = col;
    }
  for (guint j = 0; j < self->n_features; j++)
    {
      const Feature *f = &self->features[j];
      int ci = gb_dataset_find_column (ds, f->name);
      const GbColumn *col;
      if (ci < 0)
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "The dataset has no column “%s”, a feature of the model", f->name);
          binding_free (self, db);
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
          binding_free (self, db);
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
  return db;
}

static void
encode_cells_rows (GbModel *self, const Binding *bind, const gsize *rows, gsize B,
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

/* Dataset rows into @e (allocated here); text goes through the tokenizer. */
static gboolean
encode_dataset_rows (GbModel *self, const DatasetBinding *db, const gsize *rows, gsize n,
                     Encoded *e, GError **error)
{
  guint S = self->S;
  encoded_alloc (self, e, n);
  encode_cells_rows (self, db->feat, rows, n, e->xnum, e->xidx);
  if (self->has_text)
    for (gsize b = 0; b < n; b++)
      {
        const GbColumn *col = db->text;
        gsize r = rows[b];
        const char *text = NULL;
        g_autoptr(GError) local = NULL;
        if (col->type == GB_COLUMN_TEXT)
          text = col->text[r];
        else if (col->codes[r] >= 0)
          text = g_ptr_array_index (col->levels, col->codes[r]);
        if (!self->encode (self->tokenizer, text, S, e->ids + b * S, e->mask + b * S, &local)
            || !check_ids (self, e->ids + b * S, r, &local))
          {
            g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                         "Column “%s”, row %" G_GSIZE_FORMAT ": %s", col->name, r + 1,
                         local != NULL ? local->message : "the tokenizer failed");
            encoded_clear (e);
            return FALSE;
          }
      }
  return TRUE;
}

/* Copies rows idx[0..B−1] (NULL = 0..B−1) of @e into the workspace: features
 * and, for text models, word ids, token types and the attention mask laid
 * out over the T positions. */
static void
load_batch (GbModel *self, Workspace *ws, const Encoded *e, const gsize *idx, int B)
{
  guint F = self->n_features, S = self->S, T = self->T;
  for (int b = 0; b < B; b++)
    {
      gsize r = idx != NULL ? idx[b] : (gsize) b;
      memcpy (ws->xnum + (gsize) b * F, e->xnum + r * F, F * sizeof (float));
      memcpy (ws->xidx + (gsize) b * F, e->xidx + r * F, F * sizeof (gint32));
      if (self->has_text)
        {
          gint32 *w = ws->wids + (gsize) b * T, *ty = ws->types + (gsize) b * T;
          guint8 *m = ws->mask + (gsize) b * T;
          const gint32 *ids = e->ids + r * S;
          const guint8 *mk = e->mask + r * S;
          w[0] = ids[0];
          ty[0] = 0;
          m[0] = mk[0];
          for (guint j = 0; j < F; j++)
            {
              w[1 + j] = -1;
              ty[1 + j] = 1;
              m[1 + j] = 1;
            }
          for (guint s = 1; s < S; s++)
            {
              w[F + s] = ids[s];
              ty[F + s] = 0;
              m[F + s] = mk[s];
            }
        }
    }
  ws->masked = self->has_text;
}

/* ---- forward / backward ------------------------------------------------------ */

/* Workspace rows (features, word ids) → acts.encoded; dropout on the
 * output when @train and the workspace has masks. */
static void
embed_forward (GbModel *self, Workspace *ws, int B, gboolean train)
{
  const GbModelParams *p = &self->params;
  Activations *a = &ws->acts;
  int C = self->config.d_model, T = self->T, F = self->n_features;

  if (!self->has_text)
    gb_tabular_embed_forward (a->encoded, ws->xnum, ws->xidx, self->is_cat, p->cls, p->num_w,
                              p->num_b, p->num_miss, p->table, B, F, C);
  else
    {
      gboolean types = self->param_sizes[P_WTT] > 0;
      if (F > 0)
        gb_feature_embed_forward (a->embsum, ws->xnum, ws->xidx, self->is_cat, p->num_w,
                                  p->num_b, p->num_miss, p->table, B, T, F, C, 1);
      gb_embedding_forward (a->embsum, ws->wids, types ? ws->types : NULL, p->wte, p->wpe,
                            types ? p->wtt : NULL, B, T, C);
      gb_layernorm_forward_eps (a->encoded, a->emb_mean, a->emb_rstd, a->embsum, p->embln_w,
                                p->embln_b, B * T, C, self->eps);
    }
  if (train && ws->dropout)
    gb_dropout_apply (a->encoded, a->encoded, a->drop_emb, (gsize) B * T * C);
}

/* From ws->acts.encoded (B rows) to logits and probs. */
static void
encoder_forward (GbModel *self, Workspace *ws, int B, gboolean train)
{
  const GbModelParams *p = &self->params;
  Activations *a = &ws->acts;
  int L = self->config.n_layers, C = self->config.d_model, NH = self->config.n_heads;
  int FF = self->config.d_ff, K = self->n_classes, T = self->T;
  gsize Bm = ws->Bmax, N = (gsize) B * T;
  const float *x = a->encoded;
  const guint8 *mask = ws->masked ? ws->mask : NULL;
  gboolean drop = train && ws->dropout;

  for (int l = 0; l < L; l++)
    {
      gsize li = ws->Lc == 1 ? 0 : l;
      float *qkv = a->qkv + li * Bm * T * 3 * C;
      float *att = a->att + li * Bm * NH * T * T;
      float *atty = a->atty + li * Bm * T * C;
      float *attproj = a->attproj + li * Bm * T * C;
      float *res1 = a->res1 + li * Bm * T * C;
      float *ln1 = a->ln1 + li * Bm * T * C;
      float *ln1_mean = a->ln1_mean + li * Bm * T;
      float *ln1_rstd = a->ln1_rstd + li * Bm * T;
      float *fch = a->fch + li * Bm * T * FF;
      float *fch_gelu = a->fch_gelu + li * Bm * T * FF;
      float *fcproj = a->fcproj + li * Bm * T * C;
      float *res2 = a->res2 + li * Bm * T * C;
      float *ln2 = a->ln2 + li * Bm * T * C;
      float *ln2_mean = a->ln2_mean + li * Bm * T;
      float *ln2_rstd = a->ln2_rstd + li * Bm * T;

      gb_matmul_forward (qkv, x, p->qkvw + (gsize) l * 3 * C * C, p->qkvb + (gsize) l * 3 * C,
                         N, C, 3 * C);
      /* the pre-softmax scores are not needed later: computed in place in att */
      gb_attention_forward (atty, att, att, qkv, mask, B, T, C, NH);
      gb_matmul_forward (attproj, atty, p->attprojw + (gsize) l * C * C,
                         p->attprojb + (gsize) l * C, N, C, C);
      if (drop)
        gb_dropout_apply (attproj, attproj, a->drop_att + l * Bm * T * C, N * C);
      gb_residual_forward (res1, x, attproj, N * C);
      gb_layernorm_forward_eps (ln1, ln1_mean, ln1_rstd, res1, p->ln1w + (gsize) l * C,
                                p->ln1b + (gsize) l * C, N, C, self->eps);
      gb_matmul_forward (fch, ln1, p->fcw + (gsize) l * FF * C, p->fcb + (gsize) l * FF,
                         N, C, FF);
      gb_gelu_forward (fch_gelu, fch, N * FF);
      gb_matmul_forward (fcproj, fch_gelu, p->fcprojw + (gsize) l * C * FF,
                         p->fcprojb + (gsize) l * C, N, FF, C);
      if (drop)
        gb_dropout_apply (fcproj, fcproj, a->drop_ffn + l * Bm * T * C, N * C);
      gb_residual_forward (res2, ln1, fcproj, N * C);
      gb_layernorm_forward_eps (ln2, ln2_mean, ln2_rstd, res2, p->ln2w + (gsize) l * C,
                                p->ln2b + (gsize) l * C, N, C, self->eps);
      if (ws->cls_shift != NULL && l == ws->cls_shift_layer)
        for (int b = 0; b < B; b++)
          for (int i = 0; i < C; i++)
            ln2[(gsize) b * T * C + i] += ws->cls_shift[(gsize) b * C + i];
      x = ln2;
    }
  gb_cls_forward (a->cls, x, B, T, C);
  {
    const float *z = a->cls;
    if (self->config.pooler)
      {
        gb_matmul_forward (a->pool, a->cls, p->poolw, p->poolb, B, C, C);
        if (self->config.pooler_activation == GB_POOLER_RELU)
          gb_relu_forward (a->pool, a->pool, (gsize) B * C);
        else
          gb_tanh_forward (a->pool, a->pool, (gsize) B * C);
        z = a->pool;
      }
    if (drop)
      gb_dropout_apply (a->headin, z, a->drop_head, (gsize) B * C);
    else
      memcpy (a->headin, z, (gsize) B * C * sizeof (float));
  }
  gb_matmul_forward (a->logits, a->headin, p->headw, p->headb, B, C, K);
  gb_softmax_forward (a->probs, a->logits, B, K);
}

#define GRAD(field, off) (g != NULL ? g->field + (off) : NULL)

/* From ws->grad_acts.logits back to ws->grad_acts.encoded (∂/∂ the encoder
 * input, after embedding dropout); parameter gradients accumulate into @g
 * unless it is NULL.  Zeroes every activation gradient it accumulates into
 * (one layer's worth, reused), except logits, which the caller sets. */
static void
encoder_backward_to (GbModel *self, Workspace *ws, GbModelParams *g, int B, gboolean train,
                     int stop);

static void
encoder_backward (GbModel *self, Workspace *ws, GbModelParams *g, int B, gboolean train)
{
  encoder_backward_to (self, ws, g, B, train, -1);
}

/* As encoder_backward(), but only through the blocks above block @stop
 * (−1 = all of them): afterwards ws->grad_acts.ln2 holds ∂/∂ the output of
 * block @stop (when @stop ≥ 0). */
static void
encoder_backward_to (GbModel *self, Workspace *ws, GbModelParams *g, int B, gboolean train,
                     int stop)
{
  const GbModelParams *p = &self->params;
  Activations *a = &ws->acts, *ga = &ws->grad_acts;
  int L = self->config.n_layers, C = self->config.d_model, NH = self->config.n_heads;
  int FF = self->config.d_ff, K = self->n_classes, T = self->T;
  gsize Bm = ws->Bmax, N = (gsize) B * T, NC = N * C;
  gboolean drop = train && ws->dropout;
  float *dfinal = L > 0 ? ga->ln2 : ga->encoded;

  memset (ga->headin, 0, (gsize) B * C * sizeof (float));
  memset (ga->cls, 0, (gsize) B * C * sizeof (float));
  memset (dfinal, 0, NC * sizeof (float));
  if (L > 0)
    memset (ga->encoded, 0, NC * sizeof (float));

  gb_matmul_backward (ga->headin, GRAD (headw, 0), GRAD (headb, 0), ga->logits, a->headin,
                      p->headw, B, C, K);
  if (drop)
    gb_dropout_apply (ga->headin, ga->headin, a->drop_head, (gsize) B * C);
  if (self->config.pooler)
    {
      memset (ga->pool, 0, (gsize) B * C * sizeof (float));
      if (self->config.pooler_activation == GB_POOLER_RELU)
        gb_relu_backward (ga->pool, a->pool, ga->headin, (gsize) B * C);
      else
        gb_tanh_backward (ga->pool, a->pool, ga->headin, (gsize) B * C);
      gb_matmul_backward (ga->cls, GRAD (poolw, 0), GRAD (poolb, 0), ga->pool, a->cls,
                          p->poolw, B, C, C);
    }
  else
    memcpy (ga->cls, ga->headin, (gsize) B * C * sizeof (float));
  gb_cls_backward (dfinal, ga->cls, B, T, C);

  for (int l = L - 1; l > stop; l--)
    {
      const float *x = l == 0 ? a->encoded : a->ln2 + (l - 1) * Bm * T * C;
      float *dx = l == 0 ? ga->encoded : ga->ln2;  /* ga->ln2 is free once read below */
      gsize o_qkv = l * Bm * T * 3 * C, o_att = l * Bm * NH * T * T, o_c = l * Bm * T * C;
      gsize o_t = l * Bm * T, o_ff = l * Bm * T * FF;

      memset (ga->res2, 0, NC * sizeof (float));
      memset (ga->ln1, 0, NC * sizeof (float));
      memset (ga->fcproj, 0, NC * sizeof (float));
      memset (ga->fch_gelu, 0, N * FF * sizeof (float));
      memset (ga->fch, 0, N * FF * sizeof (float));
      memset (ga->res1, 0, NC * sizeof (float));
      memset (ga->attproj, 0, NC * sizeof (float));
      memset (ga->atty, 0, NC * sizeof (float));
      memset (ga->qkv, 0, N * 3 * C * sizeof (float));
      memset (ga->preatt, 0, (gsize) B * NH * T * T * sizeof (float));
      memset (ga->att, 0, (gsize) B * NH * T * T * sizeof (float));

      gb_layernorm_backward (ga->res2, GRAD (ln2w, l * C), GRAD (ln2b, l * C),
                             ga->ln2, a->res2 + o_c, p->ln2w + (gsize) l * C,
                             a->ln2_mean + o_t, a->ln2_rstd + o_t, N, C);
      if (l > 0)
        memset (dx, 0, NC * sizeof (float));
      gb_residual_backward (ga->ln1, ga->fcproj, ga->res2, NC);
      if (drop)
        gb_dropout_apply (ga->fcproj, ga->fcproj, a->drop_ffn + o_c, NC);
      gb_matmul_backward (ga->fch_gelu, GRAD (fcprojw, (gsize) l * C * FF),
                          GRAD (fcprojb, l * C), ga->fcproj, a->fch_gelu + o_ff,
                          p->fcprojw + (gsize) l * C * FF, N, FF, C);
      gb_gelu_backward (ga->fch, a->fch + o_ff, ga->fch_gelu, N * FF);
      gb_matmul_backward (ga->ln1, GRAD (fcw, (gsize) l * FF * C), GRAD (fcb, l * FF),
                          ga->fch, a->ln1 + o_c, p->fcw + (gsize) l * FF * C, N, C, FF);
      gb_layernorm_backward (ga->res1, GRAD (ln1w, l * C), GRAD (ln1b, l * C),
                             ga->ln1, a->res1 + o_c, p->ln1w + (gsize) l * C,
                             a->ln1_mean + o_t, a->ln1_rstd + o_t, N, C);
      gb_residual_backward (dx, ga->attproj, ga->res1, NC);
      if (drop)
        gb_dropout_apply (ga->attproj, ga->attproj, a->drop_att + o_c, NC);
      gb_matmul_backward (ga->atty, GRAD (attprojw, (gsize) l * C * C),
                          GRAD (attprojb, l * C), ga->attproj, a->atty + o_c,
                          p->attprojw + (gsize) l * C * C, N, C, C);
      gb_attention_backward (ga->qkv, ga->preatt, ga->att, ga->atty, a->qkv + o_qkv,
                             a->att + o_att, B, T, C, NH);
      gb_matmul_backward (dx, GRAD (qkvw, (gsize) l * 3 * C * C), GRAD (qkvb, l * 3 * C),
                          ga->qkv, x, p->qkvw + (gsize) l * 3 * C * C, N, C, 3 * C);
    }
}

/* From ws->grad_acts.encoded back into the embedding parameters. */
static void
embed_backward (GbModel *self, Workspace *ws, GbModelParams *g, int B, gboolean train)
{
  Activations *a = &ws->acts, *ga = &ws->grad_acts;
  const GbModelParams *p = &self->params;
  int C = self->config.d_model, T = self->T, F = self->n_features;
  gsize NC = (gsize) B * T * C;

  if (train && ws->dropout)
    gb_dropout_apply (ga->encoded, ga->encoded, a->drop_emb, NC);
  if (!self->has_text)
    {
      gb_tabular_embed_backward (g->cls, g->num_w, g->num_b, g->num_miss, g->table,
                                 ga->encoded, ws->xnum, ws->xidx, self->is_cat, B, F, C);
      return;
    }
  memset (ga->embsum, 0, NC * sizeof (float));
  gb_layernorm_backward (ga->embsum, g->embln_w, g->embln_b, ga->encoded, a->embsum,
                         p->embln_w, a->emb_mean, a->emb_rstd, B * T, C);
  {
    gboolean types = self->param_sizes[P_WTT] > 0;
    gb_embedding_backward (g->wte, g->wpe, types ? g->wtt : NULL, ga->embsum, ws->wids,
                           types ? ws->types : NULL, B, T, C);
  }
  if (F > 0)
    gb_feature_embed_backward (g->num_w, g->num_b, g->num_miss, g->table, ga->embsum,
                               ws->xnum, ws->xidx, self->is_cat, B, T, F, C, 1);
}

#undef GRAD

/* Dropout masks for one training step, from the splitmix64 stream @state. */
static void
fill_dropout_masks (GbModel *self, Workspace *ws, int B, float p, guint64 *state)
{
  Activations *a = &ws->acts;
  gsize C = self->config.d_model, T = self->T, Bm = ws->Bmax;
  gb_dropout_mask (a->drop_emb, B * T * C, p, state);
  for (guint l = 0; l < self->config.n_layers; l++)
    {
      gb_dropout_mask (a->drop_att + l * Bm * T * C, B * T * C, p, state);
      gb_dropout_mask (a->drop_ffn + l * Bm * T * C, B * T * C, p, state);
    }
  gb_dropout_mask (a->drop_head, B * C, p, state);
}

/* Weighted cross-entropy forward + full backward into @grads (zeroed here).
 * The workspace holds the batch; ws->dloss[b] is the weight of row b's loss
 * (1/B for the plain mean).  Returns Σ dloss[b] · loss[b]. */
static double
train_forward_backward (GbModel *self, Workspace *ws, GbModelParams *grads,
                        float *grads_memory, int B, gboolean train)
{
  Activations *a = &ws->acts, *ga = &ws->grad_acts;
  int K = self->n_classes;
  double loss = 0.0;

  embed_forward (self, ws, B, train);
  encoder_forward (self, ws, B, train);
  gb_crossentropy_forward (a->losses, a->probs, ws->targets, B, K);
  for (int b = 0; b < B; b++)
    loss += (double) ws->dloss[b] * a->losses[b];

  memset (grads_memory, 0, self->n_params * sizeof (float));
  memset (ga->logits, 0, (gsize) B * K * sizeof (float));
  gb_crossentropy_softmax_backward (ga->logits, ws->dloss, a->probs, ws->targets, B, K);
  encoder_backward (self, ws, grads, B, train);
  embed_backward (self, ws, grads, B, train);
  return loss;
}

/* ---- token-level entry points (private) ----------------------------------------- */

void
gb_model_embed_cells (GbModel *self, const double *x, const gint32 *codes, gsize B,
                      float *out)
{
  GbModelInputs in = { x, codes, NULL, NULL };
  g_return_if_fail (GB_IS_MODEL (self));
  g_return_if_fail (!self->has_text);
  gb_model_embed_inputs (self, &in, B, out, NULL);
}

void
gb_model_embed_inputs (GbModel *self, const GbModelInputs *inputs, gsize B, float *out,
                       guint8 *out_mask)
{
  gsize TC;
  Workspace ws;

  g_return_if_fail (GB_IS_MODEL (self));
  if (B == 0)
    return;
  TC = (gsize) self->T * self->config.d_model;
  workspace_init (&ws, self, inference_chunk (self, B), WS_INFER, FALSE);
  for (gsize start = 0; start < B; start += ws.Bmax)
    {
      int b = MIN ((gsize) ws.Bmax, B - start);
      Encoded e;
      g_autoptr(GError) error = NULL;
      if (!encode_inputs (self, inputs, start, b, &e, &error))
        {
          g_critical ("gb_model_embed_inputs: %s", error->message);
          break;
        }
      load_batch (self, &ws, &e, NULL, b);
      embed_forward (self, &ws, b, FALSE);
      memcpy (out + start * TC, ws.acts.encoded, b * TC * sizeof (float));
      if (out_mask != NULL)
        {
          if (ws.masked)
            memcpy (out_mask + start * self->T, ws.mask, (gsize) b * self->T);
          else
            memset (out_mask + start * self->T, 1, (gsize) b * self->T);
        }
      encoded_clear (&e);
    }
  workspace_clear (&ws);
}

double
gb_model_loss_gradients_inputs (GbModel *self, const GbModelInputs *inputs,
                                const gint32 *targets, const float *weights, gsize B,
                                float *out_logits, float *out_param_grads,
                                float *out_emb_grads)
{
  Workspace ws;
  GbModelParams grads;
  float *grads_memory;
  Encoded e;
  int K;
  gsize TC;
  double loss;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GB_IS_MODEL (self), NAN);
  g_return_val_if_fail (B >= 1 && B <= GB_MODEL_CHUNK, NAN);
  K = self->n_classes;
  TC = (gsize) self->T * self->config.d_model;
  if (!encode_inputs (self, inputs, 0, B, &e, &error))
    {
      g_critical ("gb_model_loss_gradients_inputs: %s", error->message);
      return NAN;
    }
  workspace_init (&ws, self, B, WS_GRAD, FALSE);
  grads_memory = g_new0 (float, MAX (self->n_params, 1));
  point_parameters (&grads, grads_memory, self->param_sizes);
  load_batch (self, &ws, &e, NULL, B);
  for (gsize b = 0; b < B; b++)
    {
      g_return_val_if_fail (targets[b] >= 0 && targets[b] < K, NAN);
      ws.targets[b] = targets[b];
      ws.dloss[b] = (weights != NULL ? weights[b] : 1.0f) / B;
    }
  loss = train_forward_backward (self, &ws, &grads, grads_memory, B, FALSE);
  if (out_logits != NULL)
    memcpy (out_logits, ws.acts.logits, B * K * sizeof (float));
  if (out_param_grads != NULL)
    memcpy (out_param_grads, grads_memory, self->n_params * sizeof (float));
  if (out_emb_grads != NULL)
    memcpy (out_emb_grads, ws.grad_acts.encoded, B * TC * sizeof (float));
  g_free (grads_memory);
  workspace_clear (&ws);
  encoded_clear (&e);
  return loss;
}

double
gb_model_loss_gradients (GbModel *self, const double *x, const gint32 *codes,
                         const gint32 *targets, gsize B, float *out_logits,
                         float *out_param_grads, float *out_emb_grads)
{
  GbModelInputs in = { x, codes, NULL, NULL };
  g_return_val_if_fail (GB_IS_MODEL (self), NAN);
  g_return_val_if_fail (!self->has_text, NAN);
  return gb_model_loss_gradients_inputs (self, &in, targets, NULL, B, out_logits,
                                         out_param_grads, out_emb_grads);
}

/* ---- public inference -------------------------------------------------------- */

void
gb_model_embed_rows (GbModel *self, GbDataset *ds, const gsize *rows, gsize n_rows,
                     float *out)
{
  g_autoptr(GError) error = NULL;
  if (!gb_model_embed_rows_masked (self, ds, rows, n_rows, out, NULL, &error))
    g_critical ("gb_model_embed_rows: %s", error->message);
}

gboolean
gb_model_embed_rows_masked (GbModel *self, GbDataset *ds, const gsize *rows, gsize n_rows,
                            float *out, guint8 *out_mask, GError **error)
{
  DatasetBinding *bind;
  Workspace ws;
  gsize TC, T;
  gboolean ok = TRUE;

  g_return_val_if_fail (GB_IS_MODEL (self), FALSE);
  g_return_val_if_fail (GB_IS_DATASET (ds), FALSE);
  T = self->T;
  TC = T * self->config.d_model;
  bind = bind_dataset (self, ds, error);
  if (bind == NULL)
    return FALSE;
  workspace_init (&ws, self, inference_chunk (self, n_rows), WS_INFER, FALSE);
  for (gsize start = 0; start < n_rows && ok; start += ws.Bmax)
    {
      int B = MIN ((gsize) ws.Bmax, n_rows - start);
      Encoded e;
      if (!encode_dataset_rows (self, bind, rows + start, B, &e, error))
        {
          ok = FALSE;
          break;
        }
      load_batch (self, &ws, &e, NULL, B);
      embed_forward (self, &ws, B, FALSE);
      memcpy (out + start * TC, ws.acts.encoded, B * TC * sizeof (float));
      if (out_mask != NULL)
        {
          if (ws.masked)
            memcpy (out_mask + start * T, ws.mask, (gsize) B * T);
          else
            memset (out_mask + start * T, 1, (gsize) B * T);
        }
      encoded_clear (&e);
    }
  workspace_clear (&ws);
  binding_free (self, bind);
  return ok;
}

/* Forward over already-encoded rows into @out (n, K) doubles. */
static gboolean
predict_encoded (GbModel *self, Workspace *ws, const Encoded *e, double *out,
                 GCancellable *cancellable, GError **error)
{
  int K = self->n_classes;
  for (gsize start = 0; start < e->n; start += ws->Bmax)
    {
      int B = MIN ((gsize) ws->Bmax, e->n - start);
      gsize idx[GB_MODEL_CHUNK];
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (int b = 0; b < B; b++)
        idx[b] = start + b;
      load_batch (self, ws, e, idx, B);
      embed_forward (self, ws, B, FALSE);
      encoder_forward (self, ws, B, FALSE);
      for (gsize i = 0; i < (gsize) B * K; i++)
        out[start * K + i] = ws->acts.probs[i];
    }
  return TRUE;
}

/* Every row index below the dataset's row count, or an error naming the first that is not. */
static gboolean
check_rows (GbDataset *ds, const gsize *rows, gsize n_rows, GError **error)
{
  const gsize n_ds = gb_dataset_get_n_rows (ds);

  for (gsize i = 0; i < n_rows; i++)
    if (rows[i] >= n_ds)
      {
        g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                     "Row %" G_GSIZE_FORMAT " is out of range (the dataset has %"
                     G_GSIZE_FORMAT " rows)", rows[i], n_ds);
        return FALSE;
      }
  return TRUE;
}

gboolean
gb_model_predict_proba (GbModel *self, GbDataset *ds, const gsize *rows, gsize n_rows,
                        double *out, GCancellable *cancellable, GError **error)
{
  Workspace ws;
  DatasetBinding *bind;
  gsize chunk;
  gboolean ok = TRUE;

  g_return_val_if_fail (GB_IS_MODEL (self), FALSE);
  g_return_val_if_fail (GB_IS_DATASET (ds), FALSE);
  g_return_val_if_fail (rows != NULL || n_rows == 0, FALSE);

  if (!check_rows (ds, rows, n_rows, error))
    return FALSE;
  bind = bind_dataset (self, ds, error);
  if (bind == NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      binding_free (self, bind);
      return FALSE;
    }

  workspace_init (&ws, self, inference_chunk (self, n_rows), WS_INFER, FALSE);
  /* encode a few chunks at a time so text is tokenised once per row */
  chunk = (gsize) ws.Bmax * 16;
  for (gsize start = 0; start < n_rows && ok; start += chunk)
    {
      gsize n = MIN (chunk, n_rows - start);
      Encoded e;
      ok = encode_dataset_rows (self, bind, rows + start, n, &e, error);
      if (ok)
        {
          ok = predict_encoded (self, &ws, &e, out + start * self->n_classes, cancellable,
                                error);
          encoded_clear (&e);
        }
    }
  workspace_clear (&ws);
  binding_free (self, bind);
  return ok;
}

gboolean
gb_model_predict_inputs (GbModel *self, const GbModelInputs *inputs, gsize n_rows,
                         double *out, GCancellable *cancellable, GError **error)
{
  Workspace ws;
  Encoded e;
  gboolean ok;

  g_return_val_if_fail (GB_IS_MODEL (self), FALSE);
  g_return_val_if_fail (inputs != NULL, FALSE);
  if (!encode_inputs (self, inputs, 0, n_rows, &e, error))
    return FALSE;
  workspace_init (&ws, self, inference_chunk (self, n_rows), WS_INFER, FALSE);
  ok = predict_encoded (self, &ws, &e, out, cancellable, error);
  workspace_clear (&ws);
  encoded_clear (&e);
  return ok;
}

gboolean
gb_model_predict_texts (GbModel *self, GbDataset *ds, const gsize *rows,
                        const char *const *texts, gsize n_rows, double *out,
                        GCancellable *cancellable, GError **error)
{
  Workspace ws;
  DatasetBinding *bind;
  gsize chunk;
  gboolean ok = TRUE;
  guint S;

  g_return_val_if_fail (GB_IS_MODEL (self), FALSE);
  g_return_val_if_fail (GB_IS_DATASET (ds), FALSE);
  g_return_val_if_fail ((rows != NULL && texts != NULL) || n_rows == 0, FALSE);
  if (!self->has_text)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "The model reads no text: there is no text to replace");
      return FALSE;
    }
  if (!check_rows (ds, rows, n_rows, error))
    return FALSE;
  bind = bind_dataset (self, ds, error);
  if (bind == NULL)
    return FALSE;
  S = self->S;
  workspace_init (&ws, self, inference_chunk (self, n_rows), WS_INFER, FALSE);
  chunk = (gsize) ws.Bmax * 16;
  for (gsize start = 0; start < n_rows && ok; start += chunk)
    {
      gsize n = MIN (chunk, n_rows - start);
      Encoded e;
      encoded_alloc (self, &e, n);
      encode_cells_rows (self, bind->feat, rows + start, n, e.xnum, e.xidx);
      for (gsize b = 0; b < n && ok; b++)
        {
          g_autoptr(GError) local = NULL;
          if (!self->encode (self->tokenizer, texts[start + b], S, e.ids + b * S,
                             e.mask + b * S, &local)
              || !check_ids (self, e.ids + b * S, rows[start + b], &local))
            {
              g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                           "Replaced text of row %" G_GSIZE_FORMAT ": %s", rows[start + b] + 1,
                           local != NULL ? local->message : "the tokenizer failed");
              ok = FALSE;
            }
        }
      if (ok)
        ok = predict_encoded (self, &ws, &e, out + start * self->n_classes, cancellable, error);
      encoded_clear (&e);
    }
  workspace_clear (&ws);
  binding_free (self, bind);
  return ok;
}

/* Copies (b rows of) an explainer's embeddings and mask into the workspace. */
static void
load_embedded (GbModel *self, Workspace *ws, const float *emb, const guint8 *mask, int b)
{
  gsize TC = (gsize) self->T * self->config.d_model;
  memcpy (ws->acts.encoded, emb, b * TC * sizeof (float));
  ws->masked = mask != NULL;
  if (mask != NULL)
    memcpy (ws->mask, mask, (gsize) b * self->T);
}

void
gb_model_forward_embedded (GbModel *self, const float *emb, gsize B, float *out_probs)
{
  gb_model_forward_embedded_masked (self, emb, NULL, B, out_probs);
}

void
gb_model_forward_embedded_masked (GbModel *self, const float *emb, const guint8 *mask,
                                  gsize B, float *out_probs)
{
  Workspace ws;
  gsize TC, K, T;

  g_return_if_fail (GB_IS_MODEL (self));
  if (B == 0)
    return;
  T = self->T;
  TC = T * self->config.d_model;
  K = self->n_classes;
  workspace_init (&ws, self, inference_chunk (self, B), WS_INFER, FALSE);
  for (gsize start = 0; start < B; start += ws.Bmax)
    {
      gsize b = MIN ((gsize) ws.Bmax, B - start);
      load_embedded (self, &ws, emb + start * TC, mask != NULL ? mask + start * T : NULL, b);
      encoder_forward (self, &ws, b, FALSE);
      memcpy (out_probs + start * K, ws.acts.probs, b * K * sizeof (float));
    }
  workspace_clear (&ws);
}

void
gb_model_gradient_embedded (GbModel *self, const float *emb, gsize B, guint class_index,
                            float *out_probs, float *out_grad)
{
  gb_model_gradient_embedded_masked (self, emb, NULL, B, class_index, out_probs, out_grad);
}

void
gb_model_gradient_embedded_masked (GbModel *self, const float *emb, const guint8 *mask,
                                   gsize B, guint class_index, float *out_probs,
                                   float *out_grad)
{
  Workspace ws;
  gsize TC, K, T;

  g_return_if_fail (GB_IS_MODEL (self));
  g_return_if_fail (class_index < self->n_classes);
  if (B == 0)
    return;
  T = self->T;
  TC = T * self->config.d_model;
  K = self->n_classes;
  workspace_init (&ws, self, MIN (inference_chunk (self, B), GB_MODEL_CHUNK), WS_GRAD, FALSE);
  for (gsize start = 0; start < B; start += ws.Bmax)
    {
      gsize b = MIN ((gsize) ws.Bmax, B - start);
      load_embedded (self, &ws, emb + start * TC, mask != NULL ? mask + start * T : NULL, b);
      encoder_forward (self, &ws, b, FALSE);
      memset (ws.grad_acts.logits, 0, b * K * sizeof (float));
      gb_softmax_prob_backward (ws.grad_acts.logits, ws.acts.probs, class_index, b, K);
      encoder_backward (self, &ws, NULL, b, FALSE);
      if (out_probs != NULL)
        memcpy (out_probs + start * K, ws.acts.probs, b * K * sizeof (float));
      memcpy (out_grad + start * TC, ws.grad_acts.encoded, b * TC * sizeof (float));
    }
  workspace_clear (&ws);
}

/* ---- attention maps and layer activations (explainers: rollout, TCAV) ----------- */

/* Rows per chunk when every layer's activations are kept. */
static int
cache_chunk (GbModel *self, gsize n)
{
  int b = inference_chunk (self, n) / MAX ((int) self->config.n_layers, 1);
  return MAX (b, 1);
}

void
gb_model_attention_embedded (GbModel *self, const float *emb, const guint8 *mask, gsize B,
                             float *out_att, float *out_probs)
{
  Workspace ws;
  gsize TC, T, K, L, NH, HTT;

  g_return_if_fail (GB_IS_MODEL (self));
  g_return_if_fail (out_att != NULL);
  if (B == 0)
    return;
  T = self->T;
  TC = T * self->config.d_model;
  K = self->n_classes;
  L = self->config.n_layers;
  NH = self->config.n_heads;
  HTT = NH * T * T;
  workspace_init (&ws, self, cache_chunk (self, B), WS_CACHE, FALSE);
  for (gsize start = 0; start < B; start += ws.Bmax)
    {
      gsize b = MIN ((gsize) ws.Bmax, B - start);
      load_embedded (self, &ws, emb + start * TC, mask != NULL ? mask + start * T : NULL, b);
      encoder_forward (self, &ws, b, FALSE);
      /* workspace layout (L, Bmax, NH, T, T) → output (B, L, NH, T, T) */
      for (gsize r = 0; r < b; r++)
        for (gsize l = 0; l < L; l++)
          memcpy (out_att + ((start + r) * L + l) * HTT,
                  ws.acts.att + (l * ws.Bmax + r) * HTT, HTT * sizeof (float));
      if (out_probs != NULL)
        memcpy (out_probs + start * K, ws.acts.probs, b * K * sizeof (float));
    }
  workspace_clear (&ws);
}

void
gb_model_layer_cls_embedded (GbModel *self, const float *emb, const guint8 *mask, gsize B,
                             guint layer, guint class_index, float *out_act, float *out_grad,
                             float *out_probs)
{
  Workspace ws;
  gsize TC, T, C, K;

  g_return_if_fail (GB_IS_MODEL (self));
  g_return_if_fail (layer < self->config.n_layers);
  g_return_if_fail (out_grad == NULL || class_index < self->n_classes);
  if (B == 0)
    return;
  T = self->T;
  C = self->config.d_model;
  TC = T * C;
  K = self->n_classes;
  workspace_init (&ws, self, out_grad != NULL ? MIN (cache_chunk (self, B), GB_MODEL_CHUNK)
                                              : cache_chunk (self, B),
                  out_grad != NULL ? WS_GRAD : WS_CACHE, FALSE);
  for (gsize start = 0; start < B; start += ws.Bmax)
    {
      gsize b = MIN ((gsize) ws.Bmax, B - start);
      const float *h = ws.acts.ln2 + (gsize) layer * ws.Bmax * TC;
      load_embedded (self, &ws, emb + start * TC, mask != NULL ? mask + start * T : NULL, b);
      encoder_forward (self, &ws, b, FALSE);
      for (gsize r = 0; r < b; r++)
        {
          if (out_act != NULL)
            memcpy (out_act + (start + r) * C, h + r * TC, C * sizeof (float));
        }
      if (out_probs != NULL)
        memcpy (out_probs + start * K, ws.acts.probs, b * K * sizeof (float));
      if (out_grad != NULL)
        {
          memset (ws.grad_acts.logits, 0, b * K * sizeof (float));
          gb_softmax_prob_backward (ws.grad_acts.logits, ws.acts.probs, class_index, b, K);
          encoder_backward_to (self, &ws, NULL, b, FALSE, (int) layer);
          /* ∂p_k/∂ (block @layer's output), position 0 only */
          for (gsize r = 0; r < b; r++)
            memcpy (out_grad + (start + r) * C, ws.grad_acts.ln2 + r * TC, C * sizeof (float));
        }
    }
  workspace_clear (&ws);
}

void
gb_model_forward_cls_shifted (GbModel *self, const float *emb, const guint8 *mask, gsize B,
                              guint layer, const float *shift, float *out_probs)
{
  Workspace ws;
  gsize TC, T, C, K;

  g_return_if_fail (GB_IS_MODEL (self));
  g_return_if_fail (layer < self->config.n_layers);
  if (B == 0)
    return;
  T = self->T;
  C = self->config.d_model;
  TC = T * C;
  K = self->n_classes;
  workspace_init (&ws, self, inference_chunk (self, B), WS_INFER, FALSE);
  ws.cls_shift_layer = (int) layer;
  for (gsize start = 0; start < B; start += ws.Bmax)
    {
      gsize b = MIN ((gsize) ws.Bmax, B - start);
      load_embedded (self, &ws, emb + start * TC, mask != NULL ? mask + start * T : NULL, b);
      ws.cls_shift = shift + start * C;
      encoder_forward (self, &ws, b, FALSE);
      memcpy (out_probs + start * K, ws.acts.probs, b * K * sizeof (float));
    }
  workspace_clear (&ws);
}

/* ---- training ------------------------------------------------------------------ */

static double
lr_at_step (const GbTrainConfig *cfg, guint step, guint total, guint warmup)
{
  double frac;
  if (step < warmup)
    return cfg->learning_rate * (step + 1) / (double) warmup;
  if (total <= warmup)
    return cfg->learning_rate;
  if (cfg->schedule == GB_LR_COSINE)
    {
      frac = (double) (step - warmup) / (double) (total - warmup);
      return cfg->learning_rate * 0.5 * (1.0 + cos (G_PI * frac));
    }
  return cfg->learning_rate * (double) (total - step) / (double) (total - warmup);
}

/* Weighted mean cross-entropy Σ w ℓ / Σ w over @rows of @e, no dropout. */
static double
eval_loss (GbModel *self, Workspace *ws, const Encoded *e, const gint32 *y_all,
           const double *w_all, const gsize *rows, gsize n)
{
  int K = self->n_classes;
  double sum = 0.0, wsum = 0.0;
  for (gsize start = 0; start < n; start += ws->Bmax)
    {
      int B = MIN ((gsize) ws->Bmax, n - start);
      load_batch (self, ws, e, rows + start, B);
      for (int b = 0; b < B; b++)
        ws->targets[b] = y_all[rows[start + b]];
      embed_forward (self, ws, B, FALSE);
      encoder_forward (self, ws, B, FALSE);
      gb_crossentropy_forward (ws->acts.losses, ws->acts.probs, ws->targets, B, K);
      for (int b = 0; b < B; b++)
        {
          double w = w_all[rows[start + b]];
          sum += w * ws->acts.losses[b];
          wsum += w;
        }
    }
  return wsum > 0 ? sum / wsum : NAN;
}

/* Validates labels and weights; fills @used with the rows that take part
 * (label present, split 0 or 1). */
static gboolean
select_rows (GbModel *self, const double *y, const guint8 *split, const double *sample_weights,
             const GbTrainConfig *cfg, gsize n_rows, gsize *used, gsize *n_used, GError **error)
{
  guint K = self->n_classes;
  gsize n = 0;
  if (cfg->class_weights != NULL)
    for (guint k = 0; k < K; k++)
      if (!(cfg->class_weights[k] >= 0) || !isfinite (cfg->class_weights[k]))
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Class weight %u is %g; class weights must be finite and >= 0", k,
                       cfg->class_weights[k]);
          return FALSE;
        }
  for (gsize r = 0; r < n_rows; r++)
    {
      if (isnan (y[r]) || (split[r] != 0 && split[r] != 1))
        continue;
      if (y[r] < 0 || y[r] >= K || y[r] != floor (y[r]))
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Row %" G_GSIZE_FORMAT ": class index %g is not in 0 .. %u",
                       r, y[r], K - 1);
          return FALSE;
        }
      if (sample_weights != NULL
          && (!(sample_weights[r] >= 0) || !isfinite (sample_weights[r])))
        {
          g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       "Row %" G_GSIZE_FORMAT ": sample weight %g must be finite and >= 0",
                       r, sample_weights[r]);
          return FALSE;
        }
      used[n++] = r;
    }
  *n_used = n;
  return TRUE;
}

/* Training over the rows of @e; y / split / sample weights indexed like @e. */
static gboolean
train_core (GbModel *self, const Encoded *e, const double *y, const guint8 *split,
            const double *sample_weights, const GbTrainConfig *config,
            GCancellable *cancellable, GbTrainProgressFunc progress, gpointer user_data,
            GError **error)
{
  GbTrainConfig cfg;
  gsize n = e->n, n_train = 0, n_val = 0;
  g_autofree gsize *train_rows = NULL;
  g_autofree gsize *val_rows = NULL;
  g_autofree gint32 *y_all = NULL;
  g_autofree double *w_all = NULL;
  g_autofree float *grads_memory = NULL;
  g_autofree float *m_memory = NULL;
  g_autofree float *v_memory = NULL;
  g_autofree float *best_params = NULL;
  GbModelParams grads;
  Workspace ws = { 0 };
  gsl_rng *rng = NULL;
  gboolean ok = FALSE, dropout;
  guint steps_per_epoch, total_steps, warmup, step = 0, bad_epochs = 0;
  double val_loss = NAN, best_val = INFINITY, wbar = 0.0;
  guint K = self->n_classes;

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
  if (!(cfg.dropout >= 0 && cfg.dropout < 1) || cfg.schedule > GB_LR_COSINE
      || !(cfg.max_grad_norm >= 0))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Invalid training settings: dropout %g must be in [0, 1), the schedule "
                   "linear or cosine, max_grad_norm %g >= 0", cfg.dropout, cfg.max_grad_norm);
      return FALSE;
    }
  /* 0 = automatic: one thread for narrow models, whose (B·T, C) × (C, C)
   * products are too small for OpenBLAS threads to pay for their spinning
   * (measured on Adult, d_model 32: same wall time, a third less CPU), all
   * cores otherwise. */
  gb_set_blas_threads (cfg.n_threads > 0 ? (int) cfg.n_threads
                       : self->config.d_model < 128 ? 1 : (int) g_get_num_processors ());

  y_all = g_new0 (gint32, MAX (n, 1));
  w_all = g_new0 (double, MAX (n, 1));
  train_rows = g_new (gsize, MAX (n, 1));
  val_rows = g_new (gsize, MAX (n, 1));
  for (gsize r = 0; r < n; r++)
    {
      if (split[r] != 0 && split[r] != 1)
        continue;
      y_all[r] = (gint32) y[r];
      w_all[r] = (sample_weights != NULL ? sample_weights[r] : 1.0)
                 * (cfg.class_weights != NULL ? cfg.class_weights[y_all[r]] : 1.0);
      if (split[r] == 0)
        {
          train_rows[n_train++] = r;
          wbar += w_all[r];
        }
      else
        val_rows[n_val++] = r;
    }
  if (n_train == 0)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "No training rows: every row is missing its label or outside the "
                   "training split");
      return FALSE;
    }
  wbar /= n_train;
  if (!(wbar > 0))
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Every training row has weight 0");
      return FALSE;
    }
  if (cfg.patience > 0 && n_val == 0)
    {
      g_set_error (error, GB_MODEL_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "Early stopping (patience %u) needs validation rows", cfg.patience);
      return FALSE;
    }

  dropout = cfg.dropout > 0;
  grads_memory = g_new0 (float, MAX (self->n_params, 1));
  m_memory = g_new0 (float, MAX (self->n_params, 1));
  v_memory = g_new0 (float, MAX (self->n_params, 1));
  if (cfg.patience > 0)
    best_params = g_memdup2 (self->params_memory, self->n_params * sizeof (float));
  point_parameters (&grads, grads_memory, self->param_sizes);
  workspace_init (&ws, self, MIN (cfg.batch_size, n_train), WS_GRAD, dropout);

  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, (unsigned long) cfg.seed);

  steps_per_epoch = (n_train + ws.Bmax - 1) / ws.Bmax;
  total_steps = steps_per_epoch * cfg.epochs;
  warmup = (guint) llround (cfg.warmup_fraction * total_steps);
  warmup = MAX (warmup, 1);
  self->epochs_run = 0;
  self->best_epoch = 0;
  self->best_val_loss = NAN;

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

          load_batch (self, &ws, e, train_rows + start, B);
          for (int b = 0; b < B; b++)
            {
              gsize r = train_rows[start + b];
              ws.targets[b] = y_all[r];
              ws.dloss[b] = (float) (w_all[r] / (B * wbar));
            }
          if (dropout)
            {
              guint64 state = cfg.seed ^ (0x9e3779b97f4a7c15ull * (step + 1));
              fill_dropout_masks (self, &ws, B, (float) cfg.dropout, &state);
            }
          loss = train_forward_backward (self, &ws, &grads, grads_memory, B, TRUE);
          loss_sum += loss * B;
          loss_n += B;

          if (cfg.max_grad_norm > 0)
            {
              double norm = sqrt (gb_sum_squares (grads_memory, self->n_params));
              if (norm > cfg.max_grad_norm)
                {
                  float scale = (float) (cfg.max_grad_norm / (norm + 1e-6));
                  for (gsize i = 0; i < self->n_params; i++)
                    grads_memory[i] *= scale;
                }
            }

          lr = (float) lr_at_step (&cfg, step, total_steps, warmup);
          {
            float *pp = self->params_memory, *gp = grads_memory, *mp = m_memory, *vp = v_memory;
            for (int i = 0; i < GB_MODEL_N_PARAM_TENSORS; i++)
              {
                gsize nt = self->param_sizes[i];
                gb_adamw_update (pp, mp, vp, gp, nt, lr, 0.9f, 0.999f, 1e-8f,
                                 param_decay[i] ? (float) cfg.weight_decay : 0.0f, step + 1);
                pp += nt;
                gp += nt;
                mp += nt;
                vp += nt;
              }
          }

          if (progress != NULL && (s % 10 == 9))
            progress (epoch + 1, cfg.epochs, (double) (step + 1) / total_steps,
                      loss_sum / loss_n, val_loss, user_data);
        }

      self->epochs_run = epoch + 1;
      if (n_val > 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
          val_loss = eval_loss (self, &ws, e, y_all, w_all, val_rows, n_val);
        }
      if (cfg.patience > 0)
        {
          if (val_loss < best_val)
            {
              best_val = val_loss;
              self->best_epoch = epoch + 1;
              self->best_val_loss = val_loss;
              memcpy (best_params, self->params_memory, self->n_params * sizeof (float));
              bad_epochs = 0;
            }
          else
            bad_epochs++;
        }
      else
        {
          self->best_epoch = epoch + 1;
          self->best_val_loss = val_loss;
        }
      if (progress != NULL)
        progress (epoch + 1, cfg.epochs,
                  cfg.patience > 0 && bad_epochs >= cfg.patience
                    ? 1.0 : (double) (epoch + 1) / cfg.epochs,
                  loss_sum / MAX (loss_n, 1), val_loss, user_data);
      if (cfg.patience > 0 && bad_epochs >= cfg.patience)
        break;
    }
  if (best_params != NULL && self->best_epoch > 0)
    memcpy (self->params_memory, best_params, self->n_params * sizeof (float));
  ok = TRUE;

out:
  (void) K;
  if (rng != NULL)
    gsl_rng_free (rng);
  workspace_clear (&ws);
  return ok;
}

gboolean
gb_model_train (GbModel *self, GbDataset *ds, const double *y, const guint8 *split,
                const GbTrainConfig *config, GCancellable *cancellable,
                GbTrainProgressFunc progress, gpointer user_data, GError **error)
{
  return gb_model_train_weighted (self, ds, y, split, NULL, config, cancellable, progress,
                                  user_data, error);
}

gboolean
gb_model_train_weighted (GbModel *self, GbDataset *ds, const double *y, const guint8 *split,
                         const double *sample_weights, const GbTrainConfig *config,
                         GCancellable *cancellable, GbTrainProgressFunc progress,
                         gpointer user_data, GError **error)
{
  GbTrainConfig cfg;
  DatasetBinding *bind;
  gsize n_rows, n_used = 0;
  g_autofree gsize *used = NULL;
  g_autofree double *y2 = NULL;
  g_autofree double *w2 = NULL;
  g_autofree guint8 *s2 = NULL;
  Encoded e;
  gboolean ok;

  g_return_val_if_fail (GB_IS_MODEL (self), FALSE);
  g_return_val_if_fail (GB_IS_DATASET (ds), FALSE);
  g_return_val_if_fail (y != NULL && split != NULL, FALSE);
  if (config != NULL)
    cfg = *config;
  else
    gb_train_config_init_default (&cfg);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  n_rows = gb_dataset_get_n_rows (ds);
  used = g_new (gsize, MAX (n_rows, 1));
  if (!select_rows (self, y, split, sample_weights, &cfg, n_rows, used, &n_used, error))
    return FALSE;
  bind = bind_dataset (self, ds, error);
  if (bind == NULL)
    return FALSE;
  ok = encode_dataset_rows (self, bind, used, n_used, &e, error);
  binding_free (self, bind);
  if (!ok)
    return FALSE;
  y2 = g_new (double, MAX (n_used, 1));
  s2 = g_new (guint8, MAX (n_used, 1));
  w2 = sample_weights != NULL ? g_new (double, MAX (n_used, 1)) : NULL;
  for (gsize i = 0; i < n_used; i++)
    {
      y2[i] = y[used[i]];
      s2[i] = split[used[i]];
      if (w2 != NULL)
        w2[i] = sample_weights[used[i]];
    }
  ok = train_core (self, &e, y2, s2, w2, &cfg, cancellable, progress, user_data, error);
  encoded_clear (&e);
  return ok;
}

gboolean
gb_model_train_inputs (GbModel *self, const GbModelInputs *inputs, gsize n_rows,
                       const double *y, const guint8 *split, const double *sample_weights,
                       const GbTrainConfig *config, GCancellable *cancellable,
                       GbTrainProgressFunc progress, gpointer user_data, GError **error)
{
  GbTrainConfig cfg;
  g_autofree gsize *used = NULL;
  g_autofree guint8 *s2 = NULL;
  gsize n_used = 0;
  Encoded e;
  gboolean ok;

  g_return_val_if_fail (GB_IS_MODEL (self), FALSE);
  g_return_val_if_fail (inputs != NULL && y != NULL && split != NULL, FALSE);
  if (config != NULL)
    cfg = *config;
  else
    gb_train_config_init_default (&cfg);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  used = g_new (gsize, MAX (n_rows, 1));
  if (!select_rows (self, y, split, sample_weights, &cfg, n_rows, used, &n_used, error))
    return FALSE;
  /* rows outside the selection keep their data but get split 2 (unused) */
  s2 = g_new (guint8, MAX (n_rows, 1));
  memset (s2, 2, n_rows);
  for (gsize i = 0; i < n_used; i++)
    s2[used[i]] = split[used[i]];
  if (!encode_inputs (self, inputs, 0, n_rows, &e, error))
    return FALSE;
  ok = train_core (self, &e, y, s2, sample_weights, &cfg, cancellable, progress, user_data,
                   error);
  encoded_clear (&e);
  return ok;
}
