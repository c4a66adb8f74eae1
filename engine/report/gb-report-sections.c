/* gb-report-sections.c — the report's optional sections: names, titles,
 * parsing of --sections / --omit-sections. */
#include "gb-config.h"
#include "gb-report-sections.h"
#include "gb-common.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static const struct {
  const char *name;
  const char *title;
} sections[GB_REPORT_N_SECTIONS] = {
  [GB_REPORT_SECTION_SUMMARY] = { "summary", N_("Executive Summary") },
  [GB_REPORT_SECTION_DATA] = { "data", N_("Data Sheet") },
  [GB_REPORT_SECTION_MODEL_CARD] = { "model-card", N_("Model Card") },
  [GB_REPORT_SECTION_PERFORMANCE] = { "performance", N_("Model Performance") },
  [GB_REPORT_SECTION_EXPLANATIONS] = { "explanations", N_("Explanations") },
  [GB_REPORT_SECTION_FAIRNESS] = { "fairness", N_("Fairness") },
  [GB_REPORT_SECTION_CAUSAL] = { "causal", N_("Causal Effects") },
  [GB_REPORT_SECTION_METHODS] = { "methods", N_("Methods Appendix") },
  [GB_REPORT_SECTION_REPRODUCIBILITY] = { "reproducibility", N_("Reproducibility Appendix") },
};

const char *
gb_report_section_name (GbReportSection section)
{
  g_return_val_if_fail ((guint) section < GB_REPORT_N_SECTIONS, NULL);
  return sections[section].name;
}

const char *
gb_report_section_title (GbReportSection section)
{
  g_return_val_if_fail ((guint) section < GB_REPORT_N_SECTIONS, NULL);
  return _(sections[section].title);
}

gboolean
gb_report_section_included (guint omit_sections, GbReportSection section)
{
  if (section == GB_REPORT_SECTION_REPRODUCIBILITY)
    return TRUE;
  return (omit_sections & (1u << section)) == 0;
}

gboolean
gb_report_sections_parse (const char *list, guint *out, GError **error)
{
  g_auto(GStrv) parts = NULL;
  guint bits = 0;

  g_return_val_if_fail (list != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  parts = g_strsplit (list, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *name = g_strstrip (parts[i]);
      guint k;

      if (*name == '\0')
        continue;
      if (g_ascii_strcasecmp (name, "all") == 0)
        {
          bits |= GB_REPORT_OPTIONAL_SECTIONS;
          continue;
        }
      for (k = 0; k < GB_REPORT_N_SECTIONS; k++)
        if (g_ascii_strcasecmp (name, sections[k].name) == 0)
          break;
      if (k == GB_REPORT_N_SECTIONS)
        {
          g_autoptr(GString) known = g_string_new (NULL);
          for (guint j = 0; j < GB_REPORT_N_SECTIONS; j++)
            g_string_append_printf (known, "%s%s", j ? ", " : "", sections[j].name);
          g_set_error (error, GB_REPORT_ERROR, GB_ERROR_INVALID_ARGUMENT,
                       _("Unknown report section “%s” (known: %s)"), name, known->str);
          return FALSE;
        }
      bits |= 1u << k;
    }
  *out = bits;
  return TRUE;
}

char *
gb_report_sections_to_string (guint bits)
{
  GString *s = g_string_new (NULL);

  for (guint k = 0; k < GB_REPORT_N_SECTIONS; k++)
    if (bits & (1u << k))
      g_string_append_printf (s, "%s%s", s->len ? "," : "", sections[k].name);
  return g_string_free (s, FALSE);
}
