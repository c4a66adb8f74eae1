/* gb-audit-private.h — internals shared by gb-audit.c and gb-audit-json.c. */
#pragma once

#include "gb-audit.h"

G_BEGIN_DECLS

void gb_audit_results_free (GbAuditResults *results);

/**
 * gb_audit_build_command_line:
 * @self: the audit
 *
 * Returns: (transfer full): the glassbox-audit command line that reproduces
 * the audit from its settings (every option explicit, shell-quoted).
 */
char *gb_audit_build_command_line (GbAudit *self);

G_END_DECLS
