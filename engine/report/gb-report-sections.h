/* gb-report-sections.h — which sections go into the audit report (issue 8):
 * the section toggles of the Report pane, `glassbox-audit --sections=` /
 * `--omit-sections=`, the project file and the JSON. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GbReportSection:
 * @GB_REPORT_SECTION_SUMMARY: the executive summary on the title page
 * @GB_REPORT_SECTION_DATA: "Data" (the data sheet)
 * @GB_REPORT_SECTION_MODEL_CARD: "Model card" (Mitchell et al. 2019)
 * @GB_REPORT_SECTION_PERFORMANCE: "Model performance"
 * @GB_REPORT_SECTION_EXPLANATIONS: "Explanations"
 * @GB_REPORT_SECTION_FAIRNESS: "Fairness"
 * @GB_REPORT_SECTION_CAUSAL: "Causal effects"
 * @GB_REPORT_SECTION_METHODS: "Appendix A Methods"
 * @GB_REPORT_SECTION_REPRODUCIBILITY: "Provenance" (sha256 of the data and
 *   the model, seeds, versions, the reproducing command).  Always printed:
 *   a report without it cannot be checked or re-run, so it cannot be
 *   omitted (glassbox-audit --omit-sections and the project file refuse it)
 * @GB_REPORT_N_SECTIONS: the count
 *
 * The report's optional parts.  The title page (dataset, model, date, the
 * auditor) is not among them: it identifies the report and is always
 * printed, as is the table of contents.  Settings store the *omitted*
 * sections as bits (1 << section), so zeroed settings print everything.
 */
typedef enum {
  GB_REPORT_SECTION_SUMMARY,
  GB_REPORT_SECTION_DATA,
  GB_REPORT_SECTION_MODEL_CARD,
  GB_REPORT_SECTION_PERFORMANCE,
  GB_REPORT_SECTION_EXPLANATIONS,
  GB_REPORT_SECTION_FAIRNESS,
  GB_REPORT_SECTION_CAUSAL,
  GB_REPORT_SECTION_METHODS,
  GB_REPORT_SECTION_REPRODUCIBILITY,
  GB_REPORT_N_SECTIONS
} GbReportSection;

/* The sections that may be omitted: every one but reproducibility. */
#define GB_REPORT_OPTIONAL_SECTIONS \
  (((1u << GB_REPORT_N_SECTIONS) - 1) & ~(1u << GB_REPORT_SECTION_REPRODUCIBILITY))

/**
 * gb_report_section_name:
 * @section: a section
 *
 * Returns: (transfer none): its key on the command line, in the project
 * file and in the JSON: "summary", "data", "model-card", "performance",
 * "explanations", "fairness", "causal", "methods", "reproducibility".
 */
const char *gb_report_section_name (GbReportSection section);

/**
 * gb_report_section_title:
 * @section: a section
 *
 * Returns: (transfer none): its translated title for the GUI ("Executive
 * Summary", "Data Sheet", …).
 */
const char *gb_report_section_title (GbReportSection section);

/**
 * gb_report_section_included:
 * @omit_sections: bits (1 << #GbReportSection) of the omitted sections
 *   (GbAuditSettings.omit_sections)
 * @section: a section
 *
 * Returns: whether @section is printed (reproducibility always is).
 */
gboolean gb_report_section_included (guint omit_sections, GbReportSection section);

/**
 * gb_report_sections_parse:
 * @list: comma-separated section names (gb_report_section_name(); "all"
 *   names every optional section; spaces around names are ignored; an
 *   empty list names none)
 * @out: (out): bits (1 << #GbReportSection) of the named sections
 * @error: GB_REPORT_ERROR / GB_ERROR_INVALID_ARGUMENT naming the unknown
 *   section and listing the known ones
 *
 * Parses the value of --sections= (the sections to print: omit the others
 * with ~@out & GB_REPORT_OPTIONAL_SECTIONS) or --omit-sections= (whose
 * callers refuse a bit outside GB_REPORT_OPTIONAL_SECTIONS: reproducibility
 * is always printed).
 *
 * Returns: %TRUE when every name is known.
 */
gboolean gb_report_sections_parse (const char *list, guint *out, GError **error);

/**
 * gb_report_sections_to_string:
 * @bits: bits (1 << #GbReportSection)
 *
 * Returns: (transfer full): the names of the set bits in section order,
 * comma-separated ("" when none): the inverse of gb_report_sections_parse().
 */
char *gb_report_sections_to_string (guint bits);

G_END_DECLS
