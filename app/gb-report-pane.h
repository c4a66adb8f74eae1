/* gb-report-pane.h — the Report pane: the audit's charts and the exports. */
#pragma once

#include <adwaita.h>

#include "glassbox-engine.h"

G_BEGIN_DECLS

#define GB_TYPE_REPORT_PANE (gb_report_pane_get_type ())
G_DECLARE_FINAL_TYPE (GbReportPane, gb_report_pane, GB, REPORT_PANE, AdwBin)

/**
 * gb_report_pane_set_audit:
 * @self: the pane
 * @audit: (nullable) (transfer none): an audit that has run, or %NULL for
 *   the empty page
 *
 * Builds one chart per result (ROC; attribution heatmap and global
 * importance; per explanation method picked in a drop-down, the beeswarm
 * and a picked row's waterfall with 95 % whiskers; per protected attribute
 * the rate bars with Wilson whiskers and the disparate-impact chart with the
 * four-fifths band and a plain sentence; the causal forest of every
 * estimator, the love plot and the overlap plot), drawn by the same
 * engine/plot painters as the PDF.  The Audit Report group's auditor,
 * organisation and model-card texts are written into @audit's settings as
 * they are typed, so the next gb_audit_write_pdf() of @audit prints them;
 * a new audit keeps the typed texts its own settings leave empty.
 */
void gb_report_pane_set_audit (GbReportPane *self, GbAudit *audit);

/**
 * gb_report_pane_set_running:
 * @running: whether an audit is running
 *
 * Before the first result, the pane's empty page says an audit is running
 * and shows its progress (gb_report_pane_set_progress()) instead of offering
 * Run Audit; a pane that already shows a report keeps it until the new
 * results arrive (gb_report_pane_set_audit()).
 */
void gb_report_pane_set_running (GbReportPane *self, gboolean running);
/**
 * gb_report_pane_set_progress:
 * @fraction: 0–1, or negative to pulse
 * @message: (nullable): the running step ("Computing fairness metrics")
 */
void gb_report_pane_set_progress (GbReportPane *self, double fraction, const char *message);

/**
 * gb_report_pane_apply_settings:
 * @self: the pane
 * @settings: settings to update
 *
 * Writes the report's settings as the pane shows them — auditor,
 * organisation, the model card's texts, the paper and the section switches
 * (omit_sections) — into @settings, e.g. before a run or when the project
 * is saved.
 */
void gb_report_pane_apply_settings (GbReportPane *self, GbAuditSettings *settings);

/**
 * gb_report_pane_load_settings:
 * @self: the pane
 * @settings: settings read from a project
 *
 * Shows the report's settings of @settings in the pane's fields, switches
 * and paper row (empty where @settings has none).
 */
void gb_report_pane_load_settings (GbReportPane *self, const GbAuditSettings *settings);

G_END_DECLS
