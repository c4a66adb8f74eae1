/* gb-examples.h — the bundled example datasets (data/examples/NAME/). */
#pragma once

#include "glassbox-engine.h"

G_BEGIN_DECLS

/**
 * GbExample:
 * @id: the folder name ("adult", "lalonde", ...)
 * @title: a title for people ("UCI Adult (Census Income, 1994)")
 * @description: what the example shows and which audit it is set up for
 * @csv_path: the CSV file
 */
typedef struct {
  char *id;
  char *title;
  char *description;
  char *csv_path;
} GbExample;

void gb_example_free (GbExample *example);

/**
 * gb_examples_list:
 *
 * The examples found in gb_examples_dir(): every folder that holds a CSV
 * file (the first in name order), titled by the first heading of its
 * PROVENANCE.md.  Adult comes first, then the others by folder name.
 *
 * Returns: (transfer full) (element-type GbExample): the examples
 */
GPtrArray *gb_examples_list (void);

/**
 * gb_example_apply_roles:
 * @id: the example's folder name
 * @dataset: the loaded example
 * @draft: the audit whose settings get the example's roles
 *
 * Sets the roles the example is bundled for: Adult — target income, sex
 * and race protected, the effect of a degree on income; NSW (LaLonde,
 * Dehejia–Wahba) — a causal-only audit of the job-training programme
 * (treat) on 1978 earnings (re78) adjusted for the pre-treatment
 * covariates, no model; SMS spam — target label, positive spam.  Other
 * examples get the generic guess (the caller's).
 *
 * Returns: %TRUE when @id is an example with its own roles.
 */
gboolean gb_example_apply_roles (const char *id, GbDataset *dataset, GbAudit *draft);

G_END_DECLS
