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
 * A4 (595 × 842 pt) or US Letter (612 × 792 pt) pages — settings->paper, or
 * gb_report_paper_for_locale() — fonts embedded by Cairo, vector charts from
 * engine/plot.  In order: the title page ("Glassbox audit report", the
 * auditor and organisation, the executive summary), "Contents" (every
 * level-1 and level-2 heading with its page, as links; also the PDF
 * outline), "Model card" (Mitchell et al. 2019), "1 Data", "2 Model
 * performance", "3 Explanations", "4 Fairness", "5 Causal effects",
 * "6 Provenance" (sha256 of the data and the model, seeds, versions, the
 * reproducing command line), "Appendix A Methods".  The document is laid
 * out twice (or until the headings stay on their pages) so the contents and
 * "page N of M" are right.  Sections without results say so in a sentence.
 * Running heads (dataset — Glassbox audit) on every page but the first;
 * PDF metadata title/author (the auditor)/subject/creator/date set.  The
 * fixed text goes through gettext (domain "glassbox").
 *
 * Returns: %TRUE on success.
 */
gboolean gb_report_write_pdf (const GbAuditSettings *settings, const GbAuditResults *results,
                              const char *path, GError **error);

/**
 * gb_report_render_pages:
 * @settings: as for gb_report_write_pdf() (paper, sections, texts)
 * @results: as for gb_report_write_pdf()
 * @page_width: (out) (optional): the page width in points (595 A4, 612 Letter)
 * @page_height: (out) (optional): the page height in points (842 or 792)
 * @cancellable: (nullable): checked between the layout passes
 * @error: GB_REPORT_ERROR / GB_ERROR_IO when Cairo fails, or
 *   G_IO_ERROR_CANCELLED
 *
 * The report's pages for a preview, without writing a PDF: the same layout
 * code and passes as gb_report_write_pdf() draw each page into a Cairo
 * recording surface of the page size (in points, transparent background)
 * instead of a PDF page, with the PDF surface's font options, so the pages
 * break where the PDF's do and the count equals the PDF's.  Replay a page
 * on any target with cairo_set_source_surface() + cairo_paint() (scale
 * first; paint white underneath).  Thread-safe: call it from a worker.
 *
 * Returns: (transfer full) (element-type cairo_surface_t): one recording
 * surface per page (the array frees them), or %NULL with @error set.
 */
GPtrArray *gb_report_render_pages (const GbAuditSettings *settings, const GbAuditResults *results,
                                   double *page_width, double *page_height,
                                   GCancellable *cancellable, GError **error);

/**
 * gb_report_format_command:
 * @command: a command line as gb_audit_settings_build_command_line() writes
 *   it (POSIX shell quoting)
 * @width: the most characters on a printed line (at least 16)
 *
 * The command as the report prints it: arguments bare where no shell would
 * read them differently, lines broken between arguments with " \" and the
 * next line indented by two spaces; an argument longer than a line is cut
 * into pieces quoted one by one and joined by backslash-newline.  Pasted
 * into a POSIX shell, the text gives the same arguments as @command; no
 * line is longer than @width unless a single character is (a quote needs
 * three).  A @command that does not parse is returned unchanged.
 *
 * Returns: (transfer full): the wrapped text, lines separated by "\n".
 */
char *gb_report_format_command (const char *command, guint width);

/**
 * gb_report_paper_for_locale:
 *
 * The paper of the current LC_PAPER locale: glibc's
 * nl_langinfo (_NL_PAPER_WIDTH/_NL_PAPER_HEIGHT) where the locale is not
 * C/POSIX, else the LC_ALL, LC_PAPER or LANG variable (US, Canada and the
 * other Letter countries → "letter"), else "a4".
 *
 * Returns: (transfer none): "a4" or "letter".
 */
const char *gb_report_paper_for_locale (void);

/**
 * gb_report_load_model_card:
 * @settings: settings whose model-card fields (and @auditor, @organisation)
 *   are replaced by those the file gives
 * @path: a JSON object with any of the string members "model_details",
 *   "intended_use", "factors", "ethical_considerations",
 *   "caveats_and_recommendations" (or "caveats"), "auditor", "organisation"
 * @error: GB_REPORT_ERROR / GB_ERROR_IO when the file cannot be read,
 *   GB_ERROR_PARSE when it is not such an object (naming the member) or
 *   holds another member (a misspelt key; members starting with "$" or "_"
 *   are allowed)
 *
 * Returns: %TRUE when the file was read.
 */
gboolean gb_report_load_model_card (GbAuditSettings *settings, const char *path, GError **error);

/**
 * gb_report_export:
 * @settings: as for gb_report_write_pdf()
 * @results: as for gb_report_write_pdf()
 * @tables_dir: (nullable): write every table of the report here, one CSV
 *   per table ("NN-heading.csv", header row = the table's column titles,
 *   cells as printed without thousands separators), each atomically
 * @charts_dir: (nullable): write every chart here with the same painters
 * @chart_format: "png" (twice the PDF's size) or "svg"
 * @error: GB_REPORT_ERROR / GB_ERROR_IO naming the file
 *
 * Lays the report out once (writing no PDF) and saves its tables and
 * charts; the folders are created when missing.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_report_export (const GbAuditSettings *settings, const GbAuditResults *results,
                           const char *tables_dir, const char *charts_dir,
                           const char *chart_format, GError **error);

G_END_DECLS
