/* gb-causal-private.h — helpers shared by the files of engine/causal. */
#pragma once

#include "gb-causal.h"

G_BEGIN_DECLS

#define GB_Z975 1.959963984540054

/* Fills @out (method, estimand, se_method copied) and the normal-theory
 * 95 % interval and two-sided p-value from @estimate and @se. */
void gb_causal_estimate_set_normal (GbEstimate *out, const char *method, const char *estimand,
                                    const char *se_method, double estimate, double se,
                                    gsize n_used);

/* Checks that t is 0/1 and y finite on all n rows, and that both arms have
 * at least @min_per_arm rows; the message names @what. */
gboolean gb_causal_check_inputs (const double *y, const double *t, gsize n, guint min_per_arm,
                                 const char *what, GError **error);

G_END_DECLS

G_BEGIN_DECLS

/* Returns: (transfer full): @v with g_ascii_formatd ("%.4g"), "n/a" for NaN. */
char *gb_causal_fmt (double v);

/* One estimator on complete data: fits the propensity model when the
 * method needs one (ridge λ = 1 fallback when the MLE fails and
 * options->l2 is 0; *fell_back is then set).  @out_weights (nullable, n)
 * receives matching weights for "psm" / "mahalanobis_matching". */
gboolean gb_causal_estimate_method (GbCausalMethod method, const double *y, const double *t,
                                    const double *X, gsize n, gsize p,
                                    const GbCausalOptions *options, GbEstimate *out,
                                    double *out_weights, gboolean *fell_back, GError **error);

/* Fills @analysis->refutations (see gb-refute.c). */
void gb_causal_refute (GbCausalAnalysis *analysis, GbCausalMethod method,
                       const GbEstimate *original, const double *y, const double *t,
                       const double *X, gsize n, gsize p, const GbCausalOptions *options,
                       GCancellable *cancellable);

G_END_DECLS
