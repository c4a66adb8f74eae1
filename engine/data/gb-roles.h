/* gb-roles.h — what each column is for, and messages that explain a
 * choice (engine/data).  The Dataset pane's role selector shows these
 * messages next to the column; glassbox-audit prints them. */
#pragma once

#include "gb-dataset.h"

G_BEGIN_DECLS

/**
 * GbColumnRole:
 * @GB_COLUMN_ROLE_FEATURE: an input of the model
 * @GB_COLUMN_ROLE_TARGET: what the model predicts (a column or a condition)
 * @GB_COLUMN_ROLE_PROTECTED: a protected attribute (fairness groups)
 * @GB_COLUMN_ROLE_TREATMENT: the causal treatment (a column or a condition)
 * @GB_COLUMN_ROLE_OUTCOME: the causal outcome
 * @GB_COLUMN_ROLE_COVARIATE: an adjustment covariate of the causal analysis
 * @GB_COLUMN_ROLE_TEXT: free text (input of a text model only)
 * @GB_COLUMN_ROLE_IGNORED: not used
 * @GB_COLUMN_ROLE_IDENTIFIER: a row identifier (kept for display, never a feature)
 */
typedef enum {
  GB_COLUMN_ROLE_FEATURE,
  GB_COLUMN_ROLE_TARGET,
  GB_COLUMN_ROLE_PROTECTED,
  GB_COLUMN_ROLE_TREATMENT,
  GB_COLUMN_ROLE_OUTCOME,
  GB_COLUMN_ROLE_COVARIATE,
  GB_COLUMN_ROLE_TEXT,
  GB_COLUMN_ROLE_IGNORED,
  GB_COLUMN_ROLE_IDENTIFIER,
} GbColumnRole;

/**
 * GbRoleSeverity:
 * @GB_ROLE_INFO: a decision the user should know about (e.g. an identifier
 *   left out of the features)
 * @GB_ROLE_WARNING: the role works, but the results may mislead (many
 *   small groups, many missing values)
 * @GB_ROLE_ERROR: the role cannot be used as set; the message says what to
 *   choose instead
 */
typedef enum {
  GB_ROLE_INFO,
  GB_ROLE_WARNING,
  GB_ROLE_ERROR,
} GbRoleSeverity;

/**
 * GbRoleMessage:
 * @severity: how serious
 * @role: the role checked
 * @column: the column name (or the condition's column)
 * @message: a sentence the user can act on, naming the column in
 *   backticks: "target `income` has 3 values; choose which value is the
 *   positive class"
 */
typedef struct {
  GbRoleSeverity severity;
  GbColumnRole role;
  char *column;
  char *message;
} GbRoleMessage;

void gb_role_message_free (GbRoleMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GbRoleMessage, gb_role_message_free)

/* Returns: (transfer none): "feature", "target", "protected", "treatment",
 * "outcome", "covariate", "text", "ignored" or "identifier". */
const char *gb_column_role_to_string   (GbColumnRole role);
/* Returns: %TRUE when @text names a role (as gb_column_role_to_string()). */
gboolean    gb_column_role_from_string (const char *text, GbColumnRole *out);

/**
 * gb_column_default_role:
 * @ds: the dataset
 * @column: column index
 *
 * The role a freshly opened column gets: identifier when it looks like one
 * (gb_column_looks_like_identifier()), text for a text column, ignored
 * for a column with a single value or no value, feature otherwise.
 *
 * Returns: the suggested role.
 */
GbColumnRole gb_column_default_role (GbDataset *ds, guint column);

/**
 * gb_role_validate:
 * @ds: the dataset
 * @role: the role to check
 * @spec: a column name, or for target, treatment and outcome also a
 *   condition ("education-num>=13"; see gb_variable_spec_parse())
 * @positive: (nullable): the target's positive value, if chosen
 *
 * Checks one role assignment.  Rules (each gives one message):
 * - unknown column or bad condition: ERROR with the parser's message;
 * - target, bare categorical/text column with other than two values and no
 *   @positive: ERROR "target `income` has 3 values; choose which value is
 *   the positive class"; a @positive that does not occur: ERROR; a bare
 *   numeric target that is not 0/1: ERROR asking for a condition;
 * - protected attribute that is numeric (not a condition): ERROR asking for
 *   a condition or a categorical column; more than 20 groups: WARNING
 *   "protected attribute `zip` has 812 groups; group rare values or choose
 *   another column"; a group with fewer than 30 rows: WARNING naming it;
 * - treatment that is not two-valued: ERROR asking for a condition;
 * - feature or covariate that looks like an identifier: INFO "column `id`
 *   looks like an identifier and is excluded from features"; free text:
 *   INFO (feature) or ERROR (covariate); a single value: INFO;
 * - any role: more than 20% missing: WARNING with the share.
 *
 * Returns: (transfer full) (element-type GbRoleMessage): the messages,
 *   empty when the role is fine.
 */
GPtrArray *gb_role_validate (GbDataset *ds, GbColumnRole role, const char *spec,
                             const char *positive);

G_END_DECLS
