/* gb-tcav-run.h — TCAV on a GbModel: concepts as dataset conditions, [CLS]
 * activations and directional derivatives from the transformer, the
 * statistics of gb_tcav(). */
#pragma once

#include "gb-tcav.h"

G_BEGIN_DECLS

/**
 * GbTcavOptions:
 * @layer: encoder block whose [CLS] output is the TCAV layer, 0 .. L−1;
 *   G_MAXUINT = the last block (default)
 * @n_runs: random counterexample sets R, one CAV each (default 20; ≥ 3; the
 *   reference implementation recommends 10 or more)
 * @n_random: rows per random set (default 50)
 * @max_concept: at most this many concept rows, drawn at random (default 500)
 * @max_class: at most this many examples per class (default 200)
 * @l2: ridge penalty of the CAV logistic regression (default 0.01)
 * @seed: seeds the draws (GSL mt19937)
 */
typedef struct {
  guint layer;
  guint n_runs;
  gsize n_random;
  gsize max_concept;
  gsize max_class;
  double l2;
  guint64 seed;
} GbTcavOptions;

void gb_tcav_options_init_default (GbTcavOptions *options);

/**
 * gb_tcav_model:
 * @model: a trained model
 * @ds: its dataset
 * @concept: a condition on @ds (gb_dataset_eval_variable(), e.g.
 *   "sex==Female", "age>=60", or "text~refund|rebate" for the rows whose
 *   text contains one of the words); its rows among @pool_rows are the
 *   concept.  Text and text+feature models are run with their attention
 *   mask (gb_model_embed_rows_masked()), so padding never enters the
 *   [CLS] activations
 * @pool_rows: (array length=n_pool): rows the concept examples and the
 *   random counterexample sets are drawn from (the training split)
 * @class_rows: (array length=n_class_rows): rows whose directional
 *   derivatives are measured (the held-out split)
 * @y: (n_rows of @ds): class index per row (NAN = no label); the examples of
 *   class k are the @class_rows with y = k
 * @options: (nullable): NULL = defaults
 * @cancellable: (nullable): checked between classes
 * @error: GB_EXPLAIN_ERROR / GB_ERROR_INVALID_ARGUMENT naming the concept
 *   (bad condition, too few concept rows or class examples), or the error
 *   of gb_tcav()
 *
 * TCAV (Kim et al. 2018) with the [CLS] output of one encoder block as the
 * layer: the activations of the concept rows (at most @max_concept, drawn
 * at random) and of R random sets of @n_random rows drawn from the whole
 * pool (as the reference implementation's random image sets); the
 * gradient ∂p_k/∂h (gb_model_layer_cls_embedded()) of each class
 * example; gb_tcav() fits the CAVs, scores them and t-tests them against
 * random-vs-random CAVs.
 *
 * Returns: (transfer full) (element-type GbTcavResult*) (nullable): one
 * result per class k = 0 .. K−1 (the concept name is @concept).
 */
GPtrArray *gb_tcav_model (GbModel *model, GbDataset *ds, const char *concept,
                          const gsize *pool_rows, gsize n_pool, const gsize *class_rows,
                          gsize n_class_rows, const double *y, const GbTcavOptions *options,
                          GCancellable *cancellable, GError **error);

G_END_DECLS
