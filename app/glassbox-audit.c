/* glassbox-audit — run a Glassbox audit from the command line.
 *
 *   glassbox-audit [OPTION…] FILE.csv
 *   glassbox-audit --example
 *
 * Exit status: 0 success, 1 the audit failed (unreadable or malformed file,
 * numeric failure), 2 bad command line (unknown option, column or value). */
#include "gb-config.h"
#include "glassbox-engine.h"
#include "gb-dataset-summary.h"
#include "gb-report-pdf.h"
#include <glib/gi18n.h>
#include <string.h>

#include <locale.h>
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *opt_target, *opt_positive, *opt_treatment, *opt_outcome;
static char **opt_protected;
static char *opt_covariates, *opt_features;
static gint64 opt_seed = G_MININT64;   /* not given (a given −1 is an error, not the default) */
static int opt_epochs = -1, opt_explain = -1, opt_threads = 0;
static char *opt_test_fraction;
static char *opt_report, *opt_json;
static gboolean opt_example, opt_quiet, opt_version;
static char **opt_files;
static char *opt_prediction, *opt_prediction_positive, *opt_score, *opt_threshold, *opt_mitigate;
static char **opt_reference_groups;
static gboolean opt_intersections;
static int opt_min_group_size = G_MININT, opt_bootstrap = G_MININT, opt_decompose_rows = G_MININT;
static gboolean opt_describe;
static char *opt_delimiter, *opt_encoding, *opt_na_values, *opt_header;
static char **opt_column_types;
static char *opt_estimators, *opt_estimand, *opt_trim;
static int opt_causal_bootstrap = G_MININT;
static char *opt_psm_se;
static char *opt_explainers, *opt_explain_rows, *opt_lime_selection;
static char *opt_explain_class;
static char *opt_ig_baseline;
static int opt_shap_samples = G_MININT, opt_background = G_MININT;
static char *opt_model, *opt_hub, *opt_save_model;
static char *opt_paper, *opt_auditor, *opt_organisation, *opt_model_card;
static char *opt_sections, *opt_omit_sections;
static char *opt_tables_dir, *opt_charts_dir, *opt_chart_format;
static char *opt_text, *opt_export_scores;
static int opt_layers = G_MININT, opt_d_model = G_MININT, opt_heads = G_MININT, opt_max_length = G_MININT;
static char **opt_tcav;
static int opt_tcav_layer = G_MININT;
static char *opt_counterfactual_pairs;

static GOptionEntry entries[] = {
  { "target", 0, 0, G_OPTION_ARG_STRING, &opt_target, "Target column or condition", "COLUMN" },
  { "positive", 0, 0, G_OPTION_ARG_STRING, &opt_positive, "Positive value of the target", "VALUE" },
  { "protected", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_protected, "Protected attribute (repeatable)", "COLUMN" },
  { "treatment", 0, 0, G_OPTION_ARG_STRING, &opt_treatment, "Treatment column or condition, e.g. education-num>=13", "COLUMN|CONDITION" },
  { "outcome", 0, 0, G_OPTION_ARG_STRING, &opt_outcome, "Outcome column or condition, e.g. income-per-year==>50K", "COLUMN|CONDITION" },
  { "covariates", 0, 0, G_OPTION_ARG_STRING, &opt_covariates, "Adjustment covariates for the causal estimates", "COL,COL…" },
  { "features", 0, 0, G_OPTION_ARG_STRING, &opt_features, "Model features (default: every column but the target and outcome, except text, constant and identifier-like columns)", "COL,COL…" },
  { "prediction", 0, 0, G_OPTION_ARG_STRING, &opt_prediction, "Audit this column of existing predictions (no model is trained; needs --target)", "COLUMN" },
  { "prediction-positive", 0, 0, G_OPTION_ARG_STRING, &opt_prediction_positive, "Values of --prediction that mean selected", "VALUE[,VALUE…]" },
  { "score", 0, 0, G_OPTION_ARG_STRING, &opt_score, "Audit this column of existing scores, selected when score >= --threshold (no model is trained)", "COLUMN" },
  { "threshold", 0, 0, G_OPTION_ARG_STRING, &opt_threshold, "Threshold on --score (default 0.5)", "T" },
  { "reference-group", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_reference_groups, "Reference group of a protected attribute (repeatable; default the largest group)", "ATTRIBUTE=VALUE" },
  { "intersections", 0, 0, G_OPTION_ARG_NONE, &opt_intersections, "Also audit the intersection of all protected attributes (e.g. race*sex)", NULL },
  { "min-group-size", 0, 0, G_OPTION_ARG_INT, &opt_min_group_size, "Smaller groups are listed and flagged (default 30)", "N" },
  { "bootstrap", 0, 0, G_OPTION_ARG_INT, &opt_bootstrap, "Stratified bootstrap replicates for the intervals of the fairness gaps (default 1000; 0 = none)", "B" },
  { "decompose-rows", 0, 0, G_OPTION_ARG_INT, &opt_decompose_rows, "Held-out rows per group whose KernelSHAP values decompose each attribute's gap in mean predicted probability into features (default 100; 0 = none)", "N" },
  { "mitigate", 0, 0, G_OPTION_ARG_STRING, &opt_mitigate, "Fairness mitigation, before/after on held-out rows", "reweighing|thresholds" },
  { "estimators", 0, 0, G_OPTION_ARG_STRING, &opt_estimators, "Causal estimators (default all): naive,stratification,regression_adjustment,ipw,ipw_hajek,psm,mahalanobis_matching,aipw", "NAME,NAME…" },
  { "estimand", 0, 0, G_OPTION_ARG_STRING, &opt_estimand, "Causal estimand: ATE (everyone, default) or ATT (the treated)", "ATE|ATT" },
  { "trim", 0, 0, G_OPTION_ARG_STRING, &opt_trim, "Drop rows with propensity outside [ALPHA, 1 − ALPHA] before the causal estimates (Crump et al. 2009 suggest 0.1; default 0 = none)", "ALPHA" },
  { "causal-bootstrap", 0, 0, G_OPTION_ARG_INT, &opt_causal_bootstrap, "Bootstrap resamples for every causal estimator's SE and interval (default 0 = formula SEs)", "B" },
  { "psm-se", 0, 0, G_OPTION_ARG_STRING, &opt_psm_se, "Standard error of propensity matching: estimated (Abadie & Imbens 2016, for the fitted logistic propensity; the default) or known (Abadie & Imbens 2006, the propensity taken as known)", "estimated|known" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, "Seed for the split, the model and every random step (default 42)", "N" },
  { "epochs", 0, 0, G_OPTION_ARG_INT, &opt_epochs, "Training epochs", "N" },
  { "explain", 0, 0, G_OPTION_ARG_INT, &opt_explain, "Held-out rows to explain (default 16)", "N" },
  { "explain-rows", 0, 0, G_OPTION_ARG_STRING, &opt_explain_rows, "Explain these dataset rows (0-based, as the JSON's row) instead of the first held-out rows", "ROW,ROW…" },
  { "explain-class", 0, 0, G_OPTION_ARG_STRING, &opt_explain_class, "The class every explained row explains (a name from the JSON's classes; default: the positive class of a binary target, each row's predicted class for more classes)", "NAME" },
  { "explainers", 0, 0, G_OPTION_ARG_STRING, &opt_explainers, "Explanation methods (default integrated_gradients,kernel_shap): integrated_gradients,kernel_shap,lime,gradient_input,occlusion,attention_rollout", "NAME,NAME…" },
  { "tcav", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_tcav, "TCAV concept: the rows meeting this condition, tested against random rows (repeatable), e.g. sex==Female", "CONDITION" },
  { "tcav-layer", 0, 0, G_OPTION_ARG_INT, &opt_tcav_layer, "Encoder layer whose [CLS] output TCAV uses, 1 .. --layers (default the last)", "L" },
  { "counterfactual-pairs", 0, 0, G_OPTION_ARG_STRING, &opt_counterfactual_pairs, "Identity-term pair lists for the counterfactual substitution of a text model: files with one TAB-separated pair per line, or the built-in lists gender and race-names (default gender; none = off)", "FILE[,FILE…]" },
  { "shap-samples", 0, 0, G_OPTION_ARG_INT, &opt_shap_samples, "KernelSHAP paired coalition samples per row beyond 9 features (default 256; 0 = exact up to 14 features)", "N" },
  { "background", 0, 0, G_OPTION_ARG_INT, &opt_background, "Background rows (k-means summary of the training split) for KernelSHAP, occlusion and faithfulness (default 10)", "N" },
  { "lime-selection", 0, 0, G_OPTION_ARG_STRING, &opt_lime_selection, "How LIME picks its K features: auto (forward selection when K ≤ 6, else highest weights; the default, as lime), highest_weights, forward_selection", "RULE" },
  { "ig-baseline", 0, 0, G_OPTION_ARG_STRING, &opt_ig_baseline, "Integrated-gradients baseline: zero (zero token embeddings; the default for tabular models), mask ([MASK] embedding at each token; the default for text), pad, mean (mean embeddings over the training rows) or expected (expected gradients over the background)", "BASELINE" },
  { "model", 0, 0, G_OPTION_ARG_FILENAME, &opt_model, "Audit this model instead of training one: a --save-model folder (or a Hugging Face checkpoint folder)", "DIR" },
  { "hub", 0, 0, G_OPTION_ARG_STRING, &opt_hub, "Download this Hugging Face model (cached under $XDG_CACHE_HOME/glassbox/hub) and audit it", "MODEL_ID[@REVISION]" },
  { "save-model", 0, 0, G_OPTION_ARG_FILENAME, &opt_save_model, "Save the audited model here (model.safetensors + glassbox-model.json)", "DIR" },
  { "text", 0, 0, G_OPTION_ARG_STRING, &opt_text, "Text column the transformer reads (with no --features the model is text-only); its vocabulary is built from the training rows", "COLUMN" },
  { "layers", 0, 0, G_OPTION_ARG_INT, &opt_layers, "Transformer encoder blocks (default 2, at most 48)", "N" },
  { "d-model", 0, 0, G_OPTION_ARG_INT, &opt_d_model, "Transformer width (default 32, at most 4096)", "N" },
  { "heads", 0, 0, G_OPTION_ARG_INT, &opt_heads, "Attention heads, dividing --d-model (default 4, at most 64)", "N" },
  { "max-length", 0, 0, G_OPTION_ARG_INT, &opt_max_length, "Text tokens per row incl. [CLS] and [SEP]; longer texts are truncated (default 64 with --text, at most 512)", "N" },
  { "export-scores", 0, 0, G_OPTION_ARG_FILENAME, &opt_export_scores, "Write each row's index, split, label and predicted class probabilities here", "FILE.csv" },
  { "test-fraction", 0, 0, G_OPTION_ARG_STRING, &opt_test_fraction, "Held-out share of the stratified split (default 0.3)", "F" },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads, "OpenBLAS threads (default: all cores)", "N" },
  { "report", 0, 0, G_OPTION_ARG_FILENAME, &opt_report, "Write the PDF report here", "FILE.pdf" },
  { "json", 0, 0, G_OPTION_ARG_FILENAME, &opt_json, "Write the JSON results here", "FILE.json" },
  { "paper", 0, 0, G_OPTION_ARG_STRING, &opt_paper, "Paper of the PDF report (default: from the locale's LC_PAPER)", "a4|letter" },
  { "sections", 0, 0, G_OPTION_ARG_STRING, &opt_sections, "Sections of the PDF report (default all; the title page and the reproducibility appendix are always printed): summary,data,model-card,performance,explanations,fairness,causal,methods", "NAME,NAME…" },
  { "omit-sections", 0, 0, G_OPTION_ARG_STRING, &opt_omit_sections, "Sections to leave out of the PDF report (names as for --sections)", "NAME,NAME…" },
  { "auditor", 0, 0, G_OPTION_ARG_STRING, &opt_auditor, "The auditor's name, on the title page and as the PDF's author", "NAME" },
  { "organisation", 0, 0, G_OPTION_ARG_STRING, &opt_organisation, "The auditor's organisation, on the title page", "NAME" },
  { "model-card", 0, 0, G_OPTION_ARG_FILENAME, &opt_model_card, "Free text of the model card: a JSON object with intended_use, factors, ethical_considerations, caveats_and_recommendations, model_details (and auditor, organisation)", "FILE.json" },
  { "tables-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_tables_dir, "Write every table of the report here, one CSV each", "DIR" },
  { "charts-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_charts_dir, "Write every chart of the report here", "DIR" },
  { "chart-format", 0, 0, G_OPTION_ARG_STRING, &opt_chart_format, "Format of --charts-dir (default png)", "png|svg" },
  { "example", 0, 0, G_OPTION_ARG_NONE, &opt_example, "Audit the bundled UCI Adult example; writes glassbox-example-audit.pdf and .json here", NULL },
  { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Print no progress", NULL },
  { "describe", 0, 0, G_OPTION_ARG_NONE, &opt_describe, "Print the column summaries of FILE.csv and exit", NULL },
  { "delimiter", 0, 0, G_OPTION_ARG_STRING, &opt_delimiter, "Field separator (default: detected)", ",|;|tab|pipe|auto" },
  { "encoding", 0, 0, G_OPTION_ARG_STRING, &opt_encoding, "Text encoding (default: UTF-8, falling back to Windows-1252 with a notice)", "NAME" },
  { "header", 0, 0, G_OPTION_ARG_STRING, &opt_header, "Whether the first row is the header (default: detected)", "auto|yes|no" },
  { "na-values", 0, 0, G_OPTION_ARG_STRING, &opt_na_values, "Missing-value tokens, replacing NA,N/A,NaN,null,?,NULL,nan (an empty cell is always missing)", "A,B…" },
  { "column-type", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_column_types, "Override a column's type (repeatable)", "COLUMN=numeric|categorical|text|boolean|date" },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, "Print the version and exit", NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_files, NULL, "FILE.csv" },
  { NULL }
};

static gboolean progress_tty;
static void print_progress (double fraction, const char *message, gpointer user_data);

static void
load_progress (double fraction, const char *message, gpointer user_data)
{
  print_progress (fraction * 0.1, "Reading the CSV file", user_data);
}

static int last_percent = -1;
static char *last_message;

static void
print_progress (double fraction, const char *message, gpointer user_data)
{
  if (opt_quiet)
    return;
  int percent = (int) (fraction * 100.0 + 0.5);
  if (progress_tty)
    {
      if (percent == last_percent && g_strcmp0 (message, last_message) == 0)
        return;
      fprintf (stderr, "\r\033[K[%3d%%] %s", percent, message ? message : "");
      if (fraction >= 1.0)
        fputc ('\n', stderr);
    }
  else
    {
      /* one line per step, not per percent, in logs */
      const char *colon = message ? strchr (message, ':') : NULL;
      gsize len = message ? (colon ? (gsize) (colon - message) : strlen (message)) : 0;
      if (last_message && message && strncmp (message, last_message, len) == 0
          && strlen (last_message) >= len && (last_message[len] == '\0' || last_message[len] == ':'))
        {
          last_percent = percent;
          return;
        }
      fprintf (stderr, "[%3d%%] %.*s\n", percent, (int) len, message ? message : "");
    }
  last_percent = percent;
  g_free (last_message);
  last_message = g_strdup (message);
}

static char **
split_list (const char *s)
{
  g_auto(GStrv) parts = g_strsplit (s, ",", -1);
  GStrvBuilder *b = g_strv_builder_new ();
  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i])
        g_strv_builder_add (b, parts[i]);
    }
  char **out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

static int
usage_error (GOptionContext *ctx, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static int
usage_error (GOptionContext *ctx, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "glassbox-audit: %s\n", msg);
  fprintf (stderr, "Try “glassbox-audit --help” for more information.\n");
  return 2;
}

/* The reading options given on the command line; FALSE on a bad value. */
static gboolean
csv_options_from_command_line (GbCsvOptions **out, GError **error)
{
  g_autoptr(GbCsvOptions) o = gb_csv_options_new ();

  if (opt_delimiter && !gb_csv_options_parse_delimiter (opt_delimiter, &o->delimiter, error))
    {
      g_prefix_error (error, "--delimiter: ");
      return FALSE;
    }
  o->encoding = g_strdup (opt_encoding);
  if (opt_header == NULL || g_ascii_strcasecmp (opt_header, "auto") == 0)
    o->header = GB_HEADER_AUTO;
  else if (g_ascii_strcasecmp (opt_header, "yes") == 0)
    o->header = GB_HEADER_PRESENT;
  else if (g_ascii_strcasecmp (opt_header, "no") == 0)
    o->header = GB_HEADER_ABSENT;
  else
    {
      g_set_error (error, GB_DATA_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   "--header: “%s” is not auto, yes or no", opt_header);
      return FALSE;
    }
  if (opt_na_values)
    o->na_values = g_strsplit (opt_na_values, ",", -1);
  o->column_types = g_strdupv (opt_column_types);
  *out = g_steal_pointer (&o);
  return TRUE;
}

/* --describe: the column summaries, or the file's error (exit 1). */
static int
describe_file (GOptionContext *ctx, const GbCsvOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GbDataset) ds = NULL;
  g_autofree char *text = NULL;

  if (opt_files == NULL || opt_files[0] == NULL || opt_files[1] != NULL)
    return usage_error (ctx, "--describe takes one FILE.csv");
  ds = gb_dataset_new_from_file_full (opt_files[0], options, NULL, NULL, NULL, &error);
  if (ds == NULL)
    {
      fprintf (stderr, "glassbox-audit: %s\n", error->message);
      return error->code == GB_ERROR_INVALID_ARGUMENT ? 2 : 1;
    }
  text = gb_dataset_describe (ds);
  fputs (text, stdout);
  return 0;
}

/* An output the audit writes: a file (--report, --json, --export-scores)
 * or a folder (--tables-dir, --charts-dir, --save-model). */
typedef struct {
  const char *option;
  char **path;          /* the variable holding it; a symbolic link is replaced by its target */
  gboolean is_dir;
  gboolean exists;
  struct stat st;
  char *canonical;      /* absolute, through the links of its folder */
} OutputPath;

/* @path made absolute through every symbolic link of its existing part. */
static char *
canonical_path (const char *path)
{
  char *real = realpath (path, NULL);
  if (real)
    {
      char *out = g_strdup (real);
      free (real);
      return out;
    }
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  char *rdir = realpath (dir, NULL);
  if (rdir)
    {
      char *out = g_build_filename (rdir, base, NULL);
      free (rdir);
      return out;
    }
  return g_canonicalize_filename (path, NULL);
}

/* Checks one output before any work: an existing file output must be a
 * regular file (a symbolic link to one is replaced by its target, so the
 * atomic write replaces the target and keeps the link), an existing folder
 * output a folder, and the folder it goes in must exist (for a folder
 * output: its nearest existing parent) and be writable. */
static gboolean
check_output (OutputPath *o, char **msg)
{
  struct stat lst;
  if (lstat (*o->path, &lst) == 0)
    {
      if (stat (*o->path, &o->st) != 0)
        {
          *msg = g_strdup_printf ("%s: “%s” is a symbolic link to a missing file; give the "
                                  "file name itself", o->option, *o->path);
          return FALSE;
        }
      if (o->is_dir && !S_ISDIR (o->st.st_mode))
        {
          *msg = g_strdup_printf ("%s: “%s” exists and is not a folder", o->option, *o->path);
          return FALSE;
        }
      if (!o->is_dir && S_ISDIR (o->st.st_mode))
        {
          *msg = g_strdup_printf ("%s: “%s” is a folder; give a file name", o->option, *o->path);
          return FALSE;
        }
      if (!o->is_dir && !S_ISREG (o->st.st_mode))
        {
          *msg = g_strdup_printf ("%s: “%s” is not a regular file (a device, pipe or socket); "
                                  "the output is written to a temporary file and renamed, so "
                                  "give a file name", o->option, *o->path);
          return FALSE;
        }
      o->exists = TRUE;
      if (!o->is_dir && S_ISLNK (lst.st_mode))
        {
          char *real = realpath (*o->path, NULL);
          if (real == NULL)
            {
              *msg = g_strdup_printf ("%s: cannot follow the symbolic link “%s”: %s", o->option,
                                      *o->path, g_strerror (errno));
              return FALSE;
            }
          g_free (*o->path);
          *o->path = g_strdup (real);
          free (real);
        }
    }
  g_autofree char *folder = NULL;
  if (o->is_dir && o->exists)
    folder = g_strdup (*o->path);
  else
    {
      folder = g_path_get_dirname (*o->path);
      /* a folder output is created with its missing parents */
      while (o->is_dir && !g_file_test (folder, G_FILE_TEST_EXISTS))
        {
          char *up = g_path_get_dirname (folder);
          if (g_str_equal (up, folder))
            {
              g_free (up);
              break;
            }
          g_free (folder);
          folder = up;
        }
    }
  struct stat fst;
  if (stat (folder, &fst) != 0 || !S_ISDIR (fst.st_mode))
    {
      *msg = g_strdup_printf ("%s: the folder “%s” does not exist", o->option, folder);
      return FALSE;
    }
  if (access (folder, W_OK | X_OK) != 0)
    {
      *msg = g_strdup_printf ("%s: cannot write in the folder “%s”: %s", o->option, folder,
                              g_strerror (errno));
      return FALSE;
    }
  o->canonical = canonical_path (*o->path);
  return TRUE;
}

/* Refuses, before any work, outputs that would destroy an input or each
 * other, and outputs that cannot be written (see check_output()).
 * Returns 0, or the exit status after printing the error. */
static int
check_outputs (GOptionContext *ctx, const char *csv_path, char **report_path, char **json_path)
{
  OutputPath outs[] = {
    { "--report", report_path, FALSE },
    { "--json", json_path, FALSE },
    { "--export-scores", &opt_export_scores, FALSE },
    { "--tables-dir", &opt_tables_dir, TRUE },
    { "--charts-dir", &opt_charts_dir, TRUE },
    { "--save-model", &opt_save_model, TRUE },
  };
  const struct { const char *what, *path; } inputs[] = {
    { "the input FILE.csv", csv_path },
    { "--model-card", opt_model_card },
  };
  int rc = 0;

  for (guint i = 0; i < G_N_ELEMENTS (outs) && rc == 0; i++)
    {
      g_autofree char *msg = NULL;
      if (*outs[i].path == NULL)
        continue;
      if (**outs[i].path == '\0')
        rc = usage_error (ctx, "%s: no file name given", outs[i].option);
      else if (!check_output (&outs[i], &msg))
        rc = usage_error (ctx, "%s", msg);
    }
  for (guint i = 0; i < G_N_ELEMENTS (outs) && rc == 0; i++)
    {
      if (*outs[i].path == NULL)
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (inputs) && rc == 0; k++)
        {
          struct stat ist;
          if (inputs[k].path == NULL || stat (inputs[k].path, &ist) != 0)
            continue;
          g_autofree char *icanon = canonical_path (inputs[k].path);
          if ((outs[i].exists && ist.st_dev == outs[i].st.st_dev && ist.st_ino == outs[i].st.st_ino)
              || g_str_equal (icanon, outs[i].canonical))
            rc = usage_error (ctx, "%s and %s are the same file “%s”; the output would replace "
                              "the input", outs[i].option, inputs[k].what, inputs[k].path);
        }
      for (guint j = 0; j < i && rc == 0; j++)
        {
          if (*outs[j].path == NULL || (outs[i].is_dir && outs[j].is_dir))
            continue;   /* tables and charts may share a folder */
          if ((outs[i].exists && outs[j].exists && outs[i].st.st_dev == outs[j].st.st_dev
               && outs[i].st.st_ino == outs[j].st.st_ino)
              || g_str_equal (outs[i].canonical, outs[j].canonical))
            rc = usage_error (ctx, "%s and %s name the same file “%s”; one output would replace "
                              "the other", outs[j].option, outs[i].option, *outs[i].path);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (outs); i++)
    g_free (outs[i].canonical);
  return rc;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* the C/POSIX locale's ASCII charset would refuse every non-ASCII argument
   * (--auditor='Zoë' in a cron job or a container): take C.UTF-8's character
   * type instead, as Python does (PEP 538 C locale coercion) */
  {
    const char *cs = NULL;
    if (!g_get_charset (&cs) && (g_strcmp0 (cs, "ANSI_X3.4-1968") == 0
                                 || g_ascii_strcasecmp (cs, "ASCII") == 0
                                 || g_ascii_strcasecmp (cs, "US-ASCII") == 0))
      setlocale (LC_CTYPE, "C.UTF-8");
  }
  /* the report's fixed text is translated (engine/report/gb-report-pdf.c);
   * an uninstalled build reads the catalogues of its own po/ folder */
  {
    g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
    g_autofree char *root = g_canonicalize_filename (GB_BUILD_ROOT, NULL);
    gboolean in_build = exe && g_str_has_prefix (exe, root) && exe[strlen (root)] == '/'
                        && g_file_test (GB_BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR);
    bindtextdomain (GETTEXT_PACKAGE, in_build ? GB_BUILD_LOCALEDIR : GB_LOCALEDIR);
    bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  }
  g_autoptr(GOptionContext) ctx = g_option_context_new ("FILE.csv — audit a classifier: explanations, fairness, causal effects");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx,
    "Roles may name a column or a condition on one: “education-num>=13”, “race==Black”,\n"
    "“income-per-year==>50K” (operators == != >= <= > <).\n\n"
    "Examples:\n"
    "  glassbox-audit --example\n"
    "  glassbox-audit --target=income-per-year --positive='>50K' --protected=sex \\\n"
    "      --treatment='education-num>=13' --outcome='income-per-year==>50K' \\\n"
    "      --covariates=age,sex,race,marital-status,hours-per-week --report=adult.pdf adult.csv\n\n"
    "Exit status: 0 on success, 1 when the audit fails (e.g. a malformed CSV),\n"
    "2 for a bad command line (unknown option, column or value).");

  GError *error = NULL;
  g_auto(GStrv) argv_in = g_strdupv (argv);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      /* GOption's conversion error names no option: name the argument */
      for (guint i = 1; error->domain == G_CONVERT_ERROR && argv_in[i]; i++)
        {
          g_autofree char *conv = g_locale_to_utf8 (argv_in[i], -1, NULL, NULL, NULL);
          if (conv == NULL)
            {
              const char *charset;
              g_get_charset (&charset);
              g_autofree char *shown = g_utf8_make_valid (argv_in[i], -1);
              int rc = usage_error (ctx, "argument %u “%s” is not valid %s text (write the value "
                                    "in the terminal's encoding)", i, shown, charset);
              g_error_free (error);
              return rc;
            }
        }
      int rc = usage_error (ctx, "%s", error->message);
      g_error_free (error);
      return rc;
    }
  if (opt_version)
    {
      printf ("glassbox-audit %s\n", gb_version_string ());
      return 0;
    }
  progress_tty = isatty (STDERR_FILENO);

  g_autoptr(GbCsvOptions) csv_options = NULL;
  if (!csv_options_from_command_line (&csv_options, &error))
    {
      int rc = usage_error (ctx, "%s", error->message);
      g_error_free (error);
      return rc;
    }
  if (opt_describe)
    return describe_file (ctx, csv_options);

  g_autoptr(GbAudit) audit = gb_audit_new ();
  GbAuditSettings *s = gb_audit_get_settings (audit);
  g_autofree char *report_path = NULL, *json_path = NULL;

  if (opt_example)
    {
      if (opt_files && opt_files[0])
        return usage_error (ctx, "--example takes no FILE.csv");
      gb_audit_apply_example (audit, gb_examples_dir ());
      report_path = g_strdup (opt_report ? opt_report : "glassbox-example-audit.pdf");
      json_path = g_strdup (opt_json ? opt_json : "glassbox-example-audit.json");
    }
  else
    {
      if (opt_files == NULL || opt_files[0] == NULL)
        return usage_error (ctx, "no FILE.csv given (or use --example)");
      if (opt_files[1] != NULL)
        return usage_error (ctx, "one FILE.csv at a time (got “%s” and “%s”)", opt_files[0], opt_files[1]);
      s->csv_path = g_strdup (opt_files[0]);
      if (opt_report == NULL && opt_json == NULL)
        {
          g_autofree char *base = g_path_get_basename (opt_files[0]);
          char *dot = strrchr (base, '.');
          if (dot)
            *dot = '\0';
          report_path = g_strdup_printf ("%s-audit.pdf", base);
          json_path = g_strdup_printf ("%s-audit.json", base);
        }
      else
        {
          report_path = g_strdup (opt_report);
          json_path = g_strdup (opt_json);
        }
    }
  /* before any work: an output must not replace an input or another output */
  {
    int rc = check_outputs (ctx, s->csv_path, &report_path, &json_path);
    if (rc != 0)
      return rc;
  }

  /* command-line roles override the example's */
  if (opt_target)
    {
      g_free (s->target);
      s->target = g_strdup (opt_target);
      if (!opt_positive)
        g_clear_pointer (&s->positive, g_free);
    }
  if (opt_positive)
    {
      g_free (s->positive);
      s->positive = g_strdup (opt_positive);
    }
  if (opt_protected)
    {
      g_strfreev (s->protected_attributes);
      s->protected_attributes = g_strdupv (opt_protected);
    }
  if (opt_treatment)
    {
      g_free (s->treatment);
      s->treatment = g_strdup (opt_treatment);
    }
  if (opt_outcome)
    {
      g_free (s->outcome);
      s->outcome = g_strdup (opt_outcome);
    }
  if (opt_covariates)
    {
      g_strfreev (s->covariates);
      s->covariates = split_list (opt_covariates);
    }
  if (opt_features)
    {
      g_strfreev (s->features);
      s->features = split_list (opt_features);
    }
  if (opt_seed >= 0)
    s->seed = (guint64) opt_seed;
  else if (opt_seed != G_MININT64)
    return usage_error (ctx, "--seed: must be a non-negative integer");
  if (opt_epochs == 0 || opt_epochs < -1)
    return usage_error (ctx, "--epochs: must be a positive integer");
  if (opt_epochs > 0)
    s->train.epochs = opt_epochs;
  if (opt_explain < -1)
    return usage_error (ctx, "--explain: must be zero or a positive integer");
  if (opt_explain >= 0)
    s->explain_rows = opt_explain;
  if (opt_explainers)
    {
      g_auto(GStrv) parts = g_strsplit (opt_explainers, ",", -1);
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_autoptr(GError) e = NULL;
      for (guint i = 0; parts[i]; i++)
        if (*g_strstrip (parts[i]))
          g_strv_builder_add (b, parts[i]);
      g_strfreev (s->explainers);
      s->explainers = g_strv_builder_end (b);
      if (s->explainers[0] == NULL)
        return usage_error (ctx, "--explainers: give at least one method");
      if (!gb_explain_check_methods ((const char *const *) s->explainers, &e))
        {
          g_autofree char *m = g_strdup_printf ("--explainers: %s", e->message);
          return usage_error (ctx, "%s", m);
        }
    }
  if (opt_tcav)
    {
      g_strfreev (s->tcav_concepts);
      s->tcav_concepts = g_strdupv (opt_tcav);
    }
  if (opt_tcav_layer == 0 || (opt_tcav_layer < 0 && opt_tcav_layer != G_MININT))
    return usage_error (ctx, "--tcav-layer: must be a layer number from 1");
  if (opt_tcav_layer > 0)
    s->tcav_layer = opt_tcav_layer;
  if (opt_counterfactual_pairs && *opt_counterfactual_pairs == '\0')
    return usage_error (ctx, "--counterfactual-pairs: no list given; give a file, a built-in "
                             "list (gender, race-names) or none");
  if (opt_counterfactual_pairs)
    {
      g_auto(GStrv) lists = g_strsplit (opt_counterfactual_pairs, ",", -1);
      for (guint i = 0; lists[i]; i++)
        {
          g_autoptr(GError) e = NULL;
          g_autoptr(GbPairList) pl = NULL;
          if (*lists[i] == '\0')
            return usage_error (ctx, "--counterfactual-pairs: an empty list name");
          if (g_ascii_strcasecmp (lists[i], "none") == 0)
            {
              if (lists[1] != NULL || i > 0)
                return usage_error (ctx, "--counterfactual-pairs: none cannot be combined "
                                         "with lists");
              continue;
            }
          pl = gb_pair_list_load (lists[i], &e);
          if (pl == NULL)
            return usage_error (ctx, "--counterfactual-pairs: %s", e->message);
        }
      g_strfreev (s->counterfactual_pairs);
      s->counterfactual_pairs = g_steal_pointer (&lists);
    }
  if (opt_explain_class)
    {
      g_free (s->explain_class);
      s->explain_class = g_strdup (opt_explain_class);
    }
  if (opt_explain_rows)
    {
      g_auto(GStrv) parts = g_strsplit (opt_explain_rows, ",", -1);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gsize));
      for (guint i = 0; parts[i]; i++)
        {
          guint64 v;
          if (*g_strstrip (parts[i]) == '\0')
            continue;
          if (!g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXSIZE, &v, NULL))
            {
              g_autofree char *m = g_strdup_printf ("--explain-rows: “%s” is not a row number "
                                                    "(0-based, e.g. --explain-rows=1,5,9)", parts[i]);
              return usage_error (ctx, "%s", m);
            }
          gsize row = v;
          for (guint k = 0; k < ids->len; k++)
            if (g_array_index (ids, gsize, k) == row)
              return usage_error (ctx, "--explain-rows: row %" G_GSIZE_FORMAT " is listed twice",
                                  row);
          g_array_append_val (ids, row);
        }
      if (ids->len == 0)
        return usage_error (ctx, "--explain-rows: give at least one row number");
      g_free (s->explain_row_ids);
      s->n_explain_row_ids = ids->len;
      s->explain_row_ids = (gsize *) g_array_free (g_steal_pointer (&ids), FALSE);
    }
  if (opt_model && opt_hub)
    return usage_error (ctx, "give --model=DIR or --hub=MODEL_ID, not both");
  if ((opt_model || opt_hub) && (opt_prediction || opt_score))
    return usage_error (ctx, "--model and --hub audit a model; --prediction and --score audit a column instead");
  if (opt_hub)
    {
      g_autofree char *id = NULL, *rev = NULL;
      g_autoptr(GError) e = NULL;
      if (!gb_hub_parse_model_ref (opt_hub, &id, &rev, &e))
        {
          g_autofree char *m = g_strdup_printf ("--hub: %s", e->message);
          return usage_error (ctx, "%s", m);
        }
      g_free (s->model_dir);
      s->model_dir = gb_hub_download_model (NULL, id, rev, NULL, print_progress, NULL, &e);
      if (s->model_dir == NULL)
        {
          fprintf (stderr, "glassbox-audit: --hub: %s\n", e->message);
          return 1;
        }
    }
  if (opt_model)
    {
      g_free (s->model_dir);
      s->model_dir = g_strdup (opt_model);
    }
  if (opt_save_model)
    {
      g_free (s->save_model_dir);
      s->save_model_dir = g_strdup (opt_save_model);
    }
  if (opt_text)
    gb_audit_use_text (audit, opt_text);
  if (opt_layers == 0 || (opt_layers < 0 && opt_layers != G_MININT))
    return usage_error (ctx, "--layers: must be a positive integer");
  if (opt_layers > (int) GB_AUDIT_MAX_LAYERS)
    return usage_error (ctx, "--layers: %d is too many; give 1 to %u", opt_layers,
                        GB_AUDIT_MAX_LAYERS);
  if (opt_layers > 0)
    s->model.n_layers = opt_layers;
  if (opt_d_model == 0 || (opt_d_model < 0 && opt_d_model != G_MININT))
    return usage_error (ctx, "--d-model: must be a positive integer");
  if (opt_d_model > (int) GB_AUDIT_MAX_D_MODEL)
    return usage_error (ctx, "--d-model: %d is too wide; give 1 to %u", opt_d_model,
                        GB_AUDIT_MAX_D_MODEL);
  if (opt_d_model > 0)
    s->model.d_model = opt_d_model;
  if (opt_heads == 0 || (opt_heads < 0 && opt_heads != G_MININT))
    return usage_error (ctx, "--heads: must be a positive integer");
  if (opt_heads > (int) GB_AUDIT_MAX_HEADS)
    return usage_error (ctx, "--heads: %d are too many; give 1 to %u", opt_heads,
                        GB_AUDIT_MAX_HEADS);
  if (opt_heads > 0)
    s->model.n_heads = opt_heads;
  if (s->model.d_model % s->model.n_heads != 0)
    return usage_error (ctx, "--heads: %u heads do not divide --d-model=%u", s->model.n_heads,
                        s->model.d_model);
  if (opt_max_length != G_MININT && opt_max_length < 3)
    return usage_error (ctx, "--max-length: must be at least 3 ([CLS], one word, [SEP])");
  if (opt_max_length > (int) GB_AUDIT_MAX_LENGTH)
    return usage_error (ctx, "--max-length: %d tokens are too many; give 3 to %u (as BERT "
                        "checkpoints)", opt_max_length, GB_AUDIT_MAX_LENGTH);
  if (opt_max_length > 0 && !opt_text)
    return usage_error (ctx, "--max-length needs --text=COLUMN");
  if (opt_max_length > 0)
    s->model.max_length = opt_max_length;
  if (opt_export_scores && s->target == NULL)
    return usage_error (ctx, "--export-scores needs --target: the scores are the model's predictions");
  if ((opt_shap_samples < 0 && opt_shap_samples != G_MININT) || opt_shap_samples == 1)
    return usage_error (ctx, "--shap-samples: must be 0 (exact) or at least 2");
  if (opt_shap_samples >= 0)
    s->shap_samples = opt_shap_samples;
  if (opt_background == 0 || (opt_background < 0 && opt_background != G_MININT))
    return usage_error (ctx, "--background: must be a positive number of rows");
  if (opt_background > 0)
    s->background_size = opt_background;
  if (opt_lime_selection)
    {
      g_autoptr(GError) e = NULL;
      if (!gb_lime_selection_from_string (opt_lime_selection, &s->lime_selection, &e))
        {
          return usage_error (ctx, "--lime-selection: %s", e->message);
        }
    }
  if (opt_ig_baseline)
    {
      g_autoptr(GError) e = NULL;
      if (!gb_ig_baseline_from_string (opt_ig_baseline, &s->ig_baseline, &e))
        {
          return usage_error (ctx, "--ig-baseline: %s", e->message);
        }
    }
  if (opt_threads < 0)
    return usage_error (ctx, "--threads: must be a positive integer");
  if (opt_threads > 0)
    s->train.n_threads = opt_threads;
  /* inference and the other steps: the training sets its own (see GbTrainConfig) */
  gb_set_blas_threads (opt_threads > 0 ? opt_threads : 1);
  if (opt_test_fraction)
    {
      char *end = NULL;
      double f = g_ascii_strtod (opt_test_fraction, &end);
      if (end == opt_test_fraction || *end != '\0' || !(f > 0.0 && f < 1.0))
        return usage_error (ctx, "--test-fraction: “%s” is not a number between 0 and 1", opt_test_fraction);
      s->test_fraction = f;
    }
  if (opt_prediction)
    {
      g_free (s->prediction);
      s->prediction = g_strdup (opt_prediction);
    }
  if (opt_prediction_positive)
    {
      g_strfreev (s->prediction_positive);
      s->prediction_positive = split_list (opt_prediction_positive);
    }
  if (opt_score)
    {
      g_free (s->score);
      s->score = g_strdup (opt_score);
    }
  if (opt_threshold)
    {
      char *end = NULL;
      double t = g_ascii_strtod (opt_threshold, &end);
      if (end == opt_threshold || *end != '\0' || !isfinite (t))
        return usage_error (ctx, "--threshold: “%s” is not a number", opt_threshold);
      if (!opt_score)
        return usage_error (ctx, "--threshold needs --score=COLUMN");
      s->threshold = t;
    }
  if (opt_reference_groups)
    {
      g_strfreev (s->reference_groups);
      s->reference_groups = g_strdupv (opt_reference_groups);
    }
  if (opt_intersections)
    s->intersections = TRUE;
  /* G_MININT = not given (a given −1 is an error, not the default) */
  if (opt_min_group_size < 0 && opt_min_group_size != G_MININT)
    return usage_error (ctx, "--min-group-size: must be zero or a positive integer");
  if (opt_min_group_size >= 0)
    s->min_group_size = opt_min_group_size;
  if (opt_bootstrap < 0 && opt_bootstrap != G_MININT)
    return usage_error (ctx, "--bootstrap: must be zero or a positive integer");
  if (opt_bootstrap >= 0)
    s->bootstrap = opt_bootstrap;
  if (opt_decompose_rows < 0 && opt_decompose_rows != G_MININT)
    return usage_error (ctx, "--decompose-rows: must be zero or a positive integer");
  if (opt_decompose_rows >= 0)
    s->decompose_rows = opt_decompose_rows;
  if (opt_mitigate)
    {
      g_free (s->mitigate);
      s->mitigate = g_strdup (opt_mitigate);
    }
  if (opt_estimators && !gb_causal_methods_parse (opt_estimators, &s->causal_methods, &error))
    return usage_error (ctx, "%s", error->message);
  if (opt_estimand && !gb_estimand_from_string (opt_estimand, &s->estimand, &error))
    return usage_error (ctx, "%s", error->message);
  if (opt_trim)
    {
      char *end = NULL;
      double a = g_ascii_strtod (opt_trim, &end);
      if (end == opt_trim || *end != '\0' || !(a >= 0.0 && a < 0.5))
        return usage_error (ctx, "--trim: must be a number in [0, 0.5), e.g. 0.1");
      s->trim_alpha = a;
    }
  if (opt_paper)
    {
      if (g_ascii_strcasecmp (opt_paper, "a4") != 0 && g_ascii_strcasecmp (opt_paper, "letter") != 0
          && g_ascii_strcasecmp (opt_paper, "auto") != 0)
        return usage_error (ctx, "--paper: “%s” is not a4, letter or auto", opt_paper);
      g_free (s->paper);
      s->paper = g_ascii_strdown (opt_paper, -1);
    }
  if (opt_sections && opt_omit_sections)
    return usage_error (ctx, "give --sections or --omit-sections, not both");
  if (opt_sections || opt_omit_sections)
    {
      g_autoptr(GError) e = NULL;
      guint bits = 0;
      if (!gb_report_sections_parse (opt_sections ? opt_sections : opt_omit_sections, &bits, &e))
        return usage_error (ctx, "--%s: %s", opt_sections ? "sections" : "omit-sections", e->message);
      if (opt_sections && bits == 0)
        return usage_error (ctx, "--sections: the list names no section; name at least one (summary, "
                            "data, model-card, performance, explanations, fairness, causal, methods) "
                            "or leave the option out to print them all");
      if (opt_omit_sections && (bits & ~GB_REPORT_OPTIONAL_SECTIONS))
        return usage_error (ctx, "--omit-sections: the reproducibility appendix is always printed "
                            "(without it the report cannot be checked or re-run)");
      s->omit_sections = opt_sections ? GB_REPORT_OPTIONAL_SECTIONS & ~bits
                                      : bits & GB_REPORT_OPTIONAL_SECTIONS;
    }
  if (opt_chart_format && g_ascii_strcasecmp (opt_chart_format, "png") != 0
      && g_ascii_strcasecmp (opt_chart_format, "svg") != 0)
    return usage_error (ctx, "--chart-format: “%s” is not png or svg", opt_chart_format);
  if (opt_model_card)
    {
      g_autoptr(GError) e = NULL;
      if (!gb_report_load_model_card (s, opt_model_card, &e))
        return usage_error (ctx, "--model-card: %s", e->message);
      g_free (s->model_card_path);
      s->model_card_path = g_strdup (opt_model_card);
    }
  if (opt_auditor)
    {
      g_free (s->auditor);
      s->auditor = g_strdup (opt_auditor);
    }
  if (opt_organisation)
    {
      g_free (s->organisation);
      s->organisation = g_strdup (opt_organisation);
    }
  if (opt_causal_bootstrap < 0 && opt_causal_bootstrap != G_MININT)
    return usage_error (ctx, "--causal-bootstrap: must be zero or a positive integer");
  if (opt_causal_bootstrap >= 0)
    s->causal_bootstrap = opt_causal_bootstrap;
  if (opt_psm_se)
    {
      if (g_str_equal (opt_psm_se, "known"))
        s->psm_known_propensity = TRUE;
      else if (g_str_equal (opt_psm_se, "estimated"))
        s->psm_known_propensity = FALSE;
      else
        return usage_error (ctx, "--psm-se: “%s” is not estimated or known", opt_psm_se);
    }
  if (s->target == NULL && s->treatment == NULL)
    return usage_error (ctx, "nothing to audit: give --target (model, explanations, fairness) "
                        "and/or --treatment with --outcome (causal effects)");
  if (s->protected_attributes && s->target == NULL)
    return usage_error (ctx, "--protected needs --target (fairness is measured on the model's predictions)");

  /* Load first, so that role errors (exit 2) are told apart from file errors (exit 1). */
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file_full (s->csv_path, csv_options, NULL, load_progress, NULL, &error);
  if (ds == NULL)
    {
      if (progress_tty && !opt_quiet)
        fputc ('\n', stderr);
      fprintf (stderr, "glassbox-audit: %s\n", error->message);
      g_error_free (error);
      return 1;
    }
  if (!gb_audit_validate (audit, ds, &error))
    {
      if (progress_tty && !opt_quiet)
        fputc ('\n', stderr);
      int rc = usage_error (ctx, "%s", error->message);
      g_error_free (error);
      return rc;
    }
  gb_audit_set_dataset (audit, ds);

  if (!gb_audit_run (audit, NULL, print_progress, NULL, &error))
    {
      if (progress_tty && !opt_quiet)
        fputc ('\n', stderr);
      gboolean usage = error->domain == GB_DATA_ERROR && error->code == GB_ERROR_INVALID_ARGUMENT;
      fprintf (stderr, "glassbox-audit: %s\n", error->message);
      g_error_free (error);
      return usage ? 2 : 1;
    }

  const GbAuditResults *r = gb_audit_get_results (audit);
  if (!opt_quiet)
    {
      char b1[32], b2[32], b3[32], b4[32];
      if (r->has_model)
        fprintf (stderr, "Model: held-out ROC-AUC %s, accuracy %s (logistic-regression baseline ROC-AUC %s)\n",
                 g_ascii_formatd (b1, sizeof b1, "%.4f", r->roc_auc),
                 g_ascii_formatd (b2, sizeof b2, "%.4f", r->accuracy),
                 g_ascii_formatd (b3, sizeof b3, "%.4f", r->baseline_roc_auc));
      for (guint a = 0; r->fairness && a < r->fairness->len; a++)
        {
          const GbFairnessResult *fr = g_ptr_array_index (r->fairness, a);
          const GbFairnessMetric *di = gb_fairness_result_get_metric (fr, "disparate_impact_ratio");
          fprintf (stderr, "Fairness (%s): disparate impact ratio %s (95 %% CI %s–%s), statistical parity difference %s%s\n",
                   fr->attribute,
                   g_ascii_formatd (b1, sizeof b1, "%.3f", fr->disparate_impact_ratio),
                   g_ascii_formatd (b2, sizeof b2, "%.3f", di ? di->ci_low : NAN),
                   g_ascii_formatd (b3, sizeof b3, "%.3f", di ? di->ci_high : NAN),
                   g_ascii_formatd (b4, sizeof b4, "%.3f", fr->statistical_parity_difference),
                   fr->n_small ? "; small groups flagged" : "");
        }
      for (guint i = 0; r->has_causal && i < r->estimates->len; i++)
        {
          const GbEstimate *e = &g_array_index (r->estimates, GbEstimate, i);
          fprintf (stderr, "Causal (%s): %s %s (SE %s)\n", e->method, e->estimand,
                   g_ascii_formatd (b1, sizeof b1, "%.4g", e->estimate),
                   g_ascii_formatd (b2, sizeof b2, "%.4g", e->std_error));
        }
    }

  int status = 0;
  if (report_path)
    {
      if (gb_audit_write_pdf (audit, report_path, &error))
        { g_autofree char *abs = g_canonicalize_filename (report_path, NULL); printf ("%s\n", abs); }
      else
        {
          fprintf (stderr, "glassbox-audit: %s\n", error->message);
          g_clear_error (&error);
          status = 1;
        }
    }
  if (opt_export_scores)
    {
      if (gb_audit_write_scores (audit, opt_export_scores, &error))
        { g_autofree char *abs = g_canonicalize_filename (opt_export_scores, NULL); printf ("%s\n", abs); }
      else
        {
          fprintf (stderr, "glassbox-audit: %s\n", error->message);
          g_clear_error (&error);
          status = 1;
        }
    }
  if (json_path)
    {
      if (gb_audit_write_json (audit, json_path, &error))
        { g_autofree char *abs = g_canonicalize_filename (json_path, NULL); printf ("%s\n", abs); }
      else
        {
          fprintf (stderr, "glassbox-audit: %s\n", error->message);
          g_clear_error (&error);
          status = 1;
        }
    }
  if (opt_tables_dir || opt_charts_dir)
    {
      if (gb_report_export (s, r, opt_tables_dir, opt_charts_dir,
                            opt_chart_format ? opt_chart_format : "png", &error))
        {
          if (opt_tables_dir)
            { g_autofree char *abs = g_canonicalize_filename (opt_tables_dir, NULL); printf ("%s\n", abs); }
          if (opt_charts_dir)
            { g_autofree char *abs = g_canonicalize_filename (opt_charts_dir, NULL); printf ("%s\n", abs); }
        }
      else
        {
          fprintf (stderr, "glassbox-audit: %s\n", error->message);
          g_clear_error (&error);
          status = 1;
        }
    }
  if (!opt_quiet)
    {
      char b1[32];
      fprintf (stderr, "Done in %s s\n",
               g_ascii_formatd (b1, sizeof b1, "%.1f", (g_get_monotonic_time () - t0) / 1e6));
    }
  g_free (last_message);
  return status;
}
