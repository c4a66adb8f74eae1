/* gb-kernel-shap.h — KernelSHAP: exact enumeration or paired sampling,
 * constrained weighted least squares, standard errors. */
#pragma once

#include "gb-explain.h"

G_BEGIN_DECLS

/**
 * GbKernelShapMode:
 * @GB_KERNEL_SHAP_AUTO: exact when M ≤ @max_exact_units, else sampled
 * @GB_KERNEL_SHAP_EXACT: enumerate all 2^M − 2 coalitions
 * @GB_KERNEL_SHAP_SAMPLED: paired sampling from the Shapley kernel
 */
typedef enum {
  GB_KERNEL_SHAP_AUTO,
  GB_KERNEL_SHAP_EXACT,
  GB_KERNEL_SHAP_SAMPLED,
} GbKernelShapMode;

/**
 * GbKernelShapOptions:
 * @mode: default AUTO
 * @max_exact_units: largest M enumerated in AUTO mode (default 14; at most 24)
 * @n_samples: sampled coalitions per row, counting both members of a pair
 *   (default 2048; rounded up to an even number)
 * @seed: sampling seed (GSL mt19937; row r uses @seed + r)
 */
typedef struct {
  GbKernelShapMode mode;
  guint max_exact_units;
  guint n_samples;
  guint64 seed;
} GbKernelShapOptions;

void gb_kernel_shap_options_init_default (GbKernelShapOptions *options);

/**
 * gb_kernel_shap:
 * @target: the explained function (units = its n_units tokens)
 * @x: (n_rows, T, C) embeddings of the rows to explain
 * @row_ids: (nullable) (n_rows) recorded in the result
 * @n_rows: rows
 * @bg: the background set (interventional expectation)
 * @unit_names: (nullable) (M) unit names
 * @options: (nullable) NULL = defaults
 * @cancellable: (nullable): checked between rows and between batches
 * @progress: (nullable): per-row progress
 * @user_data: closure of @progress
 * @error: GB_EXPLAIN_ERROR / GB_ERROR_INVALID_ARGUMENT (exact mode with
 *   M > 24), GB_ERROR_NUMERIC (too few samples for a non-singular system; the
 *   message names the row)
 *
 * KernelSHAP (Lundberg & Lee 2017) in the least-squares form of Covert &
 * Lee (2021, "Improving KernelSHAP", AISTATS): with coalition vectors
 * z ∈ {0,1}^M drawn from p(z) ∝ (M − 1) / (C(M,|z|)·|z|·(M − |z|)),
 * A = E[z zᵀ], b = E[z (v(z) − v(0))], the Shapley values solve
 * min φᵀAφ − 2bᵀφ subject to 1ᵀφ = f(x) − v(0):
 * φ = A⁻¹b − A⁻¹1 (1ᵀA⁻¹b − Δ) / (1ᵀA⁻¹1), solved with LAPACKE_dposv.
 * Exact mode sums over all 2^M − 2 coalitions with weights p(z) (the
 * KernelSHAP theorem: the solution is the Shapley value exactly).
 * Sampled mode draws pairs (z, 1 − z) (antithetic sampling), estimates A
 * and b by their means and reports standard errors by the delta method
 * (Covert & Lee 2021, §4): Cov φ ≈ P Σ_r Pᵀ / n with
 * P = A⁻¹ − A⁻¹11ᵀA⁻¹ / (1ᵀA⁻¹1) and Σ_r the sample covariance of the
 * per-pair residual vectors rᵢ = bᵢ − Aᵢφ̂ (both Ā and b̄ are random; the
 * residual form accounts for both, where Covert & Lee's shapreg uses bᵢ
 * and is conservative).
 * v(S) = Σ_b w_b f(x_S, b_S̄) over the background; φ₀ = v(∅).
 * Efficiency is enforced by the constraint, so completeness_residual =
 * |φ₀ + Σφ − f(x)| is at rounding level in both modes.
 * With M = 1 unit no coalition lies between ∅ and the full set and
 * efficiency alone gives the Shapley value: φ₁ = f(x) − v(∅), exactly
 * (#GbExplanation.exact, no standard errors, in any mode); with M = 0 (a
 * text row with no word piece and a text-only model) there is nothing to
 * share: no values, φ₀ = f(x).
 *
 * Returns: (transfer full) (nullable): the explanation (method "kernel_shap").
 */
GbExplanation *gb_kernel_shap (const GbExplainTarget *target, const float *x,
                               const gsize *row_ids, gsize n_rows, const GbBackground *bg,
                               const char *const *unit_names,
                               const GbKernelShapOptions *options, GCancellable *cancellable,
                               GbProgressFunc progress, gpointer user_data, GError **error);

G_END_DECLS
