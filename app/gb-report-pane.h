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
 * Builds one chart per result (ROC, attribution heatmap and global
 * importance, fairness bars per protected attribute, causal forest plot),
 * drawn by the same engine/plot painters as the PDF.
 */
void gb_report_pane_set_audit (GbReportPane *self, GbAudit *audit);

G_END_DECLS
