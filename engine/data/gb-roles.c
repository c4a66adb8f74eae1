/* gb-roles.c — role defaults and validation messages. */
#include "gb-config.h"
#include "gb-roles.h"
#include "gb-dataset-summary.h"
#include "gb-variable.h"

#include <math.h>
#include <string.h>

#define GB_PROTECTED_MAX_GROUPS 20
#define GB_SMALL_GROUP          30
#define GB_MISSING_WARN         0.2

static const char *role_names[] = {
  "feature", "target", "protected", "treatment", "outcome", "covariate", "text", "ignored", "identifier",
};

const char *
gb_column_role_to_string (GbColumnRole role)
{
  return (guint) role < G_N_ELEMENTS (role_names) ? role_names[role] : "unknown";
}

gboolean
gb_column_role_from_string (const char *text, GbColumnRole *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (g_ascii_strcasecmp (text, role_names[i]) == 0)
      {
        *out = (GbColumnRole) i;
        return TRUE;
      }
  return FALSE;
}

void
gb_role_message_free (GbRoleMessage *m)
{
  if (m == NULL)
    return;
  g_free (m->column);
  g_free (m->message);
  g_free (m);
}

static void
add (GPtrArray *out, GbRoleSeverity sev, GbColumnRole role, const char *column, const char *fmt, ...)
  G_GNUC_PRINTF (5, 6);

static void
add (GPtrArray *out, GbRoleSeverity sev, GbColumnRole role, const char *column, const char *fmt, ...)
{
  GbRoleMessage *m = g_new0 (GbRoleMessage, 1);
  va_list ap;

  va_start (ap, fmt);
  m->message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  m->severity = sev;
  m->role = role;
  m->column = g_strdup (column);
  g_ptr_array_add (out, m);
}

GbColumnRole
gb_column_default_role (GbDataset *ds, guint column)
{
  g_autoptr(GbColumnSummary) s = NULL;

  g_return_val_if_fail (GB_IS_DATASET (ds), GB_COLUMN_ROLE_IGNORED);
  s = gb_dataset_summarize_column (ds, column, 0);
  if (s->looks_like_identifier)
    return GB_COLUMN_ROLE_IDENTIFIER;
  if (s->type == GB_COLUMN_TEXT)
    return GB_COLUMN_ROLE_TEXT;
  if (s->distinct <= 1)
    return GB_COLUMN_ROLE_IGNORED;
  return GB_COLUMN_ROLE_FEATURE;
}

static const char *
role_title (GbColumnRole role)
{
  switch (role)
    {
    case GB_COLUMN_ROLE_TARGET: return "target";
    case GB_COLUMN_ROLE_PROTECTED: return "protected attribute";
    case GB_COLUMN_ROLE_TREATMENT: return "treatment";
    case GB_COLUMN_ROLE_OUTCOME: return "outcome";
    case GB_COLUMN_ROLE_COVARIATE: return "covariate";
    default: return "column";
    }
}

GPtrArray *
gb_role_validate (GbDataset *ds, GbColumnRole role, const char *spec, const char *positive)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) gb_role_message_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GbColumnSummary) s = NULL;
  g_autofree char *value = NULL;
  const GbColumn *c;
  const char *title = role_title (role);
  GbCompareOp op;
  int col;

  g_return_val_if_fail (GB_IS_DATASET (ds), out);

  if (!gb_variable_spec_parse (ds, spec, &col, &op, &value, &error))
    {
      add (out, GB_ROLE_ERROR, role, spec, "%s: %s", title, error->message);
      return out;
    }
  c = gb_dataset_get_column (ds, col);
  s = gb_dataset_summarize_column (ds, col, 0);
  if (op != GB_COMPARE_NONE && role != GB_COLUMN_ROLE_TARGET && role != GB_COLUMN_ROLE_TREATMENT
      && role != GB_COLUMN_ROLE_OUTCOME && role != GB_COLUMN_ROLE_PROTECTED)
    {
      add (out, GB_ROLE_ERROR, role, c->name, "%s `%s` must be a column, not a condition", title, c->name);
      return out;
    }

  switch (role)
    {
    case GB_COLUMN_ROLE_TARGET:
      if (op != GB_COMPARE_NONE)
        break;
      if (positive != NULL)
        {
          g_autofree double *tmp = g_new (double, MAX (c->n_rows, 1));
          g_autoptr(GError) e2 = NULL;
          if (c->logical_type != GB_COLUMN_BOOLEAN && !gb_dataset_eval_variable (ds, spec, positive, tmp, &e2))
            add (out, GB_ROLE_ERROR, role, c->name, "target `%s`: %s", c->name, e2->message);
          break;
        }
      if (c->type == GB_COLUMN_NUMERIC && c->logical_type == GB_COLUMN_NUMERIC)
        {
          g_autofree double *tmp = g_new (double, MAX (c->n_rows, 1));
          char b[G_ASCII_DTOSTR_BUF_SIZE];
          gb_dataset_eval_variable (ds, spec, NULL, tmp, NULL);
          if (!gb_variable_is_binary (tmp, c->n_rows))
            add (out, GB_ROLE_ERROR, role, c->name,
                 "target `%s` is numeric with %" G_GSIZE_FORMAT " values; give a condition such as `%s>=%s` "
                 "or choose which value is the positive class", c->name, s->distinct, c->name,
                 g_ascii_formatd (b, sizeof b, "%.6g", s->median));
        }
      else if (c->logical_type != GB_COLUMN_BOOLEAN && s->distinct != 2)
        add (out, GB_ROLE_ERROR, role, c->name,
             "target `%s` has %" G_GSIZE_FORMAT " value%s; choose which value is the positive class",
             c->name, s->distinct, s->distinct == 1 ? "" : "s");
      break;

    case GB_COLUMN_ROLE_PROTECTED:
      if (op != GB_COMPARE_NONE)
        break;
      if (c->type == GB_COLUMN_NUMERIC)
        {
          add (out, GB_ROLE_ERROR, role, c->name,
               "protected attribute `%s` is %s; use a condition such as `%s>=40` or a categorical column",
               c->name, gb_column_type_to_string (c->logical_type), c->name);
          break;
        }
      if (s->distinct > GB_PROTECTED_MAX_GROUPS)
        add (out, GB_ROLE_WARNING, role, c->name,
             "protected attribute `%s` has %" G_GSIZE_FORMAT " groups; group rare values or choose another column",
             c->name, s->distinct);
      else
        {
          g_autoptr(GbColumnSummary) full = gb_dataset_summarize_column (ds, col, GB_PROTECTED_MAX_GROUPS);
          GString *small = g_string_new (NULL);
          guint n_small = 0;
          for (guint k = 0; k < full->top->len; k++)
            {
              GbCategoryCount *cc = &g_array_index (full->top, GbCategoryCount, k);
              if (cc->count < GB_SMALL_GROUP)
                g_string_append_printf (small, "%s`%s` %" G_GSIZE_FORMAT, n_small++ ? ", " : "", cc->value, cc->count);
            }
          if (n_small > 0)
            add (out, GB_ROLE_WARNING, role, c->name,
                 "protected attribute `%s` has %u group%s with fewer than %d rows (%s); their metrics will be "
                 "uncertain; group rare values", c->name, n_small, n_small == 1 ? "" : "s", GB_SMALL_GROUP, small->str);
          g_string_free (small, TRUE);
        }
      break;

    case GB_COLUMN_ROLE_TREATMENT:
      if (op != GB_COMPARE_NONE)
        break;
      if (!(c->logical_type == GB_COLUMN_BOOLEAN || s->distinct == 2))
        add (out, GB_ROLE_ERROR, role, c->name,
             "treatment `%s` has %" G_GSIZE_FORMAT " values; a treatment must have two, so use a condition "
             "such as `%s>=…`", c->name, s->distinct, c->name);
      break;

    case GB_COLUMN_ROLE_FEATURE:
    case GB_COLUMN_ROLE_COVARIATE:
      if (s->looks_like_identifier)
        add (out, role == GB_COLUMN_ROLE_FEATURE ? GB_ROLE_INFO : GB_ROLE_ERROR, role, c->name,
             "column `%s` looks like an identifier and is excluded from %s", c->name,
             role == GB_COLUMN_ROLE_FEATURE ? "features" : "covariates");
      else if (c->type == GB_COLUMN_TEXT)
        add (out, role == GB_COLUMN_ROLE_FEATURE ? GB_ROLE_INFO : GB_ROLE_ERROR, role, c->name,
             "column `%s` is free text and is excluded from %s", c->name,
             role == GB_COLUMN_ROLE_FEATURE ? "features" : "covariates");
      else if (s->distinct <= 1)
        add (out, GB_ROLE_INFO, role, c->name,
             "column `%s` has a single value and is excluded from %s", c->name,
             role == GB_COLUMN_ROLE_FEATURE ? "features" : "covariates");
      break;

    default:
      break;
    }

  if (c->n_rows > 0 && (double) c->n_missing / c->n_rows > GB_MISSING_WARN)
    {
      char b[G_ASCII_DTOSTR_BUF_SIZE];
      add (out, GB_ROLE_WARNING, role, c->name, "%s `%s` is missing in %s%% of the rows (%" G_GSIZE_FORMAT ")",
           title, c->name, g_ascii_formatd (b, sizeof b, "%.0f", 100.0 * c->n_missing / c->n_rows), c->n_missing);
    }
  return out;
}
