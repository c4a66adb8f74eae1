/* gb-explain-run.h — run a list of explainers on a model's rows (what
 * GbAudit, the command line and the GUI call). */
#pragma once

#include "gb-integrated-gradients.h"
#include "gb-kernel-shap.h"
#include "gb-lime.h"
#include "gb-explain-text.h"

G_BEGIN_DECLS

/**
 * GbExplainSettings:
 * @methods: (nullable) NULL-terminated method names (see
 *   gb_explain_method_names()); NULL = integrated_gradients, kernel_shap
 * @class_index: explained class (1 = the positive class of a binary model),
 *   or %GB_EXPLAIN_CLASS_PREDICTED: every row explains its own predicted
 *   class (the argmax of the model's probabilities for that row; ties go to
 *   the lower index), as Captum and SHAP users usually do for multi-class
 *   models
 * @ig: integrated-gradients options, including the baseline (#GbIgBaseline)
 * @shap: KernelSHAP options
 * @lime: LIME options
 * @background_size: background rows for KernelSHAP, occlusion and
 *   faithfulness (default 10)
 * @background_kmeans: %TRUE = k-means summary (default), %FALSE = random sample
 * @background_pool: at most this many pool rows are candidates for the
 *   background (default 1000, drawn at random)
 * @faithfulness: compute deletion/insertion curves and AOPC (default %TRUE)
 * @seed: seeds the background, KernelSHAP sampling and LIME
 */
#define GB_EXPLAIN_CLASS_PREDICTED G_MAXUINT

typedef struct {
  char **methods;
  guint class_index;
  GbIgOptions ig;
  GbKernelShapOptions shap;
  GbLimeOptions lime;
  guint background_size;
  gboolean background_kmeans;
  guint background_pool;
  gboolean faithfulness;
  guint64 seed;
} GbExplainSettings;

void gb_explain_settings_init_default (GbExplainSettings *settings);
void gb_explain_settings_clear (GbExplainSettings *settings);

/**
 * gb_explain_method_names:
 *
 * Returns: (transfer none): NULL-terminated names of the methods
 * gb_explain_run() accepts: integrated_gradients, kernel_shap, lime,
 * gradient_input, occlusion, attention_rollout.
 */
const char *const *gb_explain_method_names (void);

/**
 * gb_explain_default_method_names:
 *
 * Returns: (transfer none): NULL-terminated names of the methods
 * gb_explain_run() runs when #GbExplainSettings.methods is %NULL
 * (integrated_gradients, kernel_shap), in that order.
 */
const char *const *gb_explain_default_method_names (void);

/**
 * gb_explain_check_methods:
 * @methods: NULL-terminated names
 * @error: GB_EXPLAIN_ERROR / GB_ERROR_INVALID_ARGUMENT naming the unknown
 *   method and listing the known ones, or saying what a method still needs
 *
 * Returns: %TRUE when every method can run on a tabular GbModel.
 */
gboolean gb_explain_check_methods (const char *const *methods, GError **error);

/**
 * GbExplainRun:
 * @ig: (nullable) the integrated-gradients result when it ran (kept for
 *   readers of GbIgResult)
 * @explanations: (element-type GbExplanation*) one per method, in the
 *   order asked, each with faithfulness filled in when enabled
 * @background: the background set used
 */
typedef struct {
  GbIgResult *ig;
  GPtrArray *explanations;
  GbBackground *background;
} GbExplainRun;

void gb_explain_run_free (GbExplainRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbExplainRun, gb_explain_run_free)

/**
 * gb_explain_run:
 * @model: a trained model
 * @ds: its dataset
 * @rows: (n_rows) rows to explain
 * @pool_rows: (n_pool) rows that define the background and LIME's sampler
 *   (the training split)
 * @settings: (nullable) NULL = defaults
 * @cancellable: (nullable)
 * @progress: (nullable): overall progress over the methods
 * @error: the first method's error
 *
 * Embeds the rows once, builds the background from the pool, runs every
 * method and, when enabled, its deletion/insertion faithfulness.
 *
 * A text (or text+features) model is explained row by row with the row's
 * attention mask (gb-explain-text.h): the units of a row are its features
 * then its word pieces, a removed token becomes its [MASK] embedding
 * (KernelSHAP, occlusion, faithfulness, LIME's word-removal sampler),
 * integrated gradients start from @settings->ig.baseline (default mask),
 * and the one-row results are merged into explanations of F + the longest
 * row's pieces units (#GbExplanation.text, #GbAttributionRow.tokens; units
 * past a row's pieces are padding, exactly 0).  Its background is a random
 * sample of the pool (k-means over every token position would mean little).
 * For a tabular model the baseline may be zero (default), mean or
 * expected; mask and pad are an error.
 *
 * Each row explains one class, recorded in #GbAttributionRow.class_index
 * and #GbIgRow.class_index: @settings->class_index, or its predicted class
 * (%GB_EXPLAIN_CLASS_PREDICTED).  Every method then explains that class's
 * probability f_c(x) for the row (prediction, base value, completeness and
 * faithfulness curves all refer to f_c).  Tabular rows whose classes differ
 * are explained in one batched run per class and merged back in the order
 * asked (the faithfulness curves and AOPCs become the row-weighted means,
 * the seconds and evaluations the sums); the background is the same for
 * every class (same seed and pool).
 *
 * Returns: (transfer full) (nullable): the run.
 */
GbExplainRun *gb_explain_run (GbModel *model, GbDataset *ds, const gsize *rows, gsize n_rows,
                              const gsize *pool_rows, gsize n_pool,
                              const GbExplainSettings *settings, GCancellable *cancellable,
                              GbProgressFunc progress, gpointer user_data, GError **error);

/* Returns: (transfer none) (nullable): the explanation of @method in @run. */
const GbExplanation *gb_explain_run_lookup (const GbExplainRun *run, const char *method);

G_END_DECLS
