/* gb-report-pdf.h — the audit report as a PDF (Cairo PDF surface + Pango). */
#pragma once

#include "gb-audit.h"

G_BEGIN_DECLS

/**
 * gb_report_write_pdf:
 * @settings: the audit's settings (roles, seed, command line)
 * @results: the audit's results (every section with has_* / non-NULL data is drawn)
 * @path: output file; written to "PATH.XXXXXX" in the same folder, then
 *   renamed over @path, so a failure leaves any previous report intact
 * @error: GB_REPORT_ERROR / GB_ERROR_IO naming the file
 *
 * A4 pages (595 × 842 pt), fonts embedded by Cairo, vector charts from
 * engine/plot.  Sections, each starting with its heading text exactly as
 * given: "Glassbox audit report" (title page), "1 Data", "2 Model
 * performance", "3 Explanations", "4 Fairness", "5 Causal effects",
 * "6 Provenance" (sha256, seed, versions, the reproducing command line).
 * Sections without results say so in a sentence rather than vanishing.
 * Page numbers in the footer; PDF metadata title/author/subject/creator set.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_report_write_pdf (const GbAuditSettings *settings, const GbAuditResults *results,
                              const char *path, GError **error);

G_END_DECLS
