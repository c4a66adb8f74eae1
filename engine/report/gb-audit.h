/* gb-audit.h — GbAudit, the main job: settings, results and provenance of
 * one audit.  The GUI, the command line tool and the tests all drive it. */
#pragma once

#include "gb-dataset.h"
#include "gb-model.h"
#include "gb-integrated-gradients.h"
#include "gb-explain-run.h"
#include "gb-tcav-run.h"
#include "gb-fairness-run.h"
#include "gb-causal.h"
#include "gb-intervention.h"
#include "gb-metrics-class.h"
#include "gb-counterfactual.h"
#include "gb-report-sections.h"

G_BEGIN_DECLS

/* Largest transformer an audit trains (--layers, --d-model, --heads,
 * --max-length; gb_audit_validate() refuses more).  A BERT-large checkpoint
 * has 24 layers, width 1024, 16 heads and 512 positions; training keeps
 * batch × heads × T² attention weights, so --max-length=4096 on a tiny CSV
 * took over 23 GB — 512 (BERT's max_position_embeddings) needs 64 times less. */
#define GB_AUDIT_MAX_LAYERS 48u
#define GB_AUDIT_MAX_D_MODEL 4096u
#define GB_AUDIT_MAX_HEADS 64u
#define GB_AUDIT_MAX_LENGTH 512u

/**
 * GbAuditSettings:
 * @csv_path: the CSV to audit
 * @csv_arguments: (nullable): how the CSV was read, as glassbox-audit
 *   arguments ("--column-type=a=categorical", "--delimiter=;", …; set by
 *   gb_audit_run() from the dataset) so the command line reads it the same way
 * @target: target column or condition (e.g. "income-per-year")
 * @positive: (nullable): the target's positive value (e.g. ">50K")
 * @protected_attributes: (nullable) NULL-terminated protected columns
 * @treatment: (nullable): treatment column or condition ("education-num>=13")
 * @outcome: (nullable): outcome column or condition ("income-per-year==>50K")
 * @covariates: (nullable) NULL-terminated adjustment covariates
 * @features: (nullable) NULL-terminated model features; NULL = every column
 *   that has no role (not target, treatment-only, outcome, identifier/text)
 * @seed: seed for the split, the model and every random step
 * @test_fraction: held-out share of the stratified split (default 0.3)
 * @explain_rows: number of held-out rows explained by integrated gradients (default 16)
 * @ig_steps: integrated-gradients Gauss–Legendre nodes to start from (default 32; doubled per row until completeness holds)
 * @model: architecture; @train: training settings (its seed is overwritten by @seed)
 * @command_line: (nullable): the glassbox-audit command line that reproduces it
 *
 * All strings are owned by the settings (g_free / g_strfreev).
 */
typedef struct {
  char *csv_path;
  char **csv_arguments;
  char *target;
  char *positive;
  char **protected_attributes;
  char *treatment;
  char *outcome;
  char **covariates;
  char **features;
  guint64 seed;
  double test_fraction;
  guint explain_rows;
  guint ig_steps;
  GbTransformerConfig model;
  GbTrainConfig train;
  char *command_line;
  /* fairness in depth (issue 6); see gb-fairness-run.h */
  char *prediction;             /* (nullable) column of existing predicted labels: no model is trained */
  char **prediction_positive;   /* (nullable) NULL-terminated values of @prediction that mean "selected" */
  char *score;                  /* (nullable) column of existing scores, thresholded at @threshold */
  double threshold;             /* on @score (default 0.5) */
  char **reference_groups;      /* (nullable) NULL-terminated "ATTRIBUTE=VALUE" */
  gboolean intersections;       /* also audit the intersection of all protected attributes */
  guint min_group_size;         /* groups below it are flagged (default 30) */
  guint bootstrap;              /* stratified bootstrap replicates (default 1000) */
  guint decompose_rows;         /* held-out rows per group whose KernelSHAP values decompose the
                                 * gap in mean predicted probability (gb-fairness-decompose.h;
                                 * default 100; 0 = no decomposition); --decompose-rows */
  char *mitigate;               /* (nullable) "reweighing" or "thresholds" */
  /* causal effects in depth (issue 7) */
  guint causal_methods;         /* bits (1 << GbCausalMethod); 0 or GB_CAUSAL_ALL_METHODS = all */
  GbEstimand estimand;          /* ATE (default) or ATT */
  double trim_alpha;            /* drop rows with propensity outside [α, 1 − α]; 0 = none */
  guint causal_bootstrap;       /* bootstrap B for the causal SEs; 0 = formula SEs (default) */
  gboolean psm_known_propensity; /* "psm" SE: FALSE (default) Abadie & Imbens (2016) for the
                                 * estimated propensity, TRUE their 2006 one (propensity taken
                                 * as known); --psm-se=estimated|known */
  /* explanations in depth (issue 5); see engine/explain/gb-explain-run.h */
  char **explainers;            /* (nullable) NULL-terminated methods; NULL = integrated_gradients, kernel_shap */
  gsize *explain_row_ids;       /* (nullable) (n_explain_row_ids) dataset rows to explain (0-based, the JSON's "row"); NULL = the first explain_rows held-out rows */
  gsize n_explain_row_ids;
  guint shap_samples;           /* KernelSHAP paired coalition samples per row when M > 9 (default 256); 0 = exact up to 14 features */
  guint background_size;        /* k-means background rows for KernelSHAP, occlusion and faithfulness (default 10) */
  GbLimeSelection lime_selection; /* LIME's K-feature selection (default auto, as lime); --lime-selection */
  GbIgBaseline ig_baseline;     /* integrated-gradients baseline (default: zero for tabular, mask for
                                 * text models); --ig-baseline=zero|mask|pad|mean|expected */
  char *explain_class;          /* (nullable) the class every explained row explains (a name
                                 * from the JSON's "classes"); NULL = the positive class of a
                                 * binary target, each row's predicted class for K > 2;
                                 * --explain-class=NAME */
  /* models in and out (issue 4); see engine/model/gb-model-io.h */
  char *model_dir;              /* (nullable) audit this saved model folder (gb_model_io_open()) instead of training one */
  char *save_model_dir;         /* (nullable) save the audited model here (gb_model_io_save()) */
  /* text and multi-class models (issue 4).  The architecture options
   * --layers, --d-model, --heads and --max-length are @model's n_layers,
   * d_model, n_heads and max_length. */
  char *text_column;            /* (nullable) text column (--text); set it with
                                 * gb_audit_use_text().  Without @features the
                                 * model is text-only; with them, text+features */
  guint vocab_min_freq;         /* a word enters the vocabulary when the training rows hold it at
                                 * least this often (default 2); rarer words are [UNK] */
  /* the report (issue 8); see gb-report-pdf.h */
  char *paper;                  /* (nullable) "a4" or "letter"; NULL or "auto" = from the locale
                                 * (gb_report_paper_for_locale()); --paper */
  char *auditor;                /* (nullable) the auditor's name as entered (title page, PDF Author) */
  char *organisation;           /* (nullable) the auditor's organisation as entered */
  /* the model card's free text (Mitchell et al. 2019), as the analyst entered
   * it (--model-card=FILE.json, gb_audit_settings_load_model_card()); each
   * (nullable); the rest of the card is filled from the results */
  char *model_card_details;
  char *model_card_intended_use;
  char *model_card_factors;
  char *model_card_ethical_considerations;
  char *model_card_caveats;
  char *model_card_path;        /* (nullable) the --model-card=FILE.json the texts came from (or were
                                 * saved to), printed in the reproducing command */
  guint omit_sections;          /* bits (1 << GbReportSection) of the sections the report leaves
                                 * out (gb-report-sections.h); 0 = all; --omit-sections */
  /* TCAV (issue 5); see engine/explain/gb-tcav-run.h */
  char **tcav_concepts;         /* (nullable) NULL-terminated conditions, e.g. "sex==Female" (--tcav, repeatable) */
  guint tcav_layer;             /* encoder layer 1 .. L whose [CLS] output is the TCAV layer; 0 = the last (--tcav-layer) */
  /* counterfactual substitution of identity terms for text models (issues 6, 7);
   * see engine/fairness/gb-counterfactual.h */
  char **counterfactual_pairs;  /* (nullable) NULL-terminated pair-list files or built-in list
                                 * names ("gender", "race-names"); NULL = "gender"; {"none"} = off
                                 * (--counterfactual-pairs=FILE[,FILE]) */
} GbAuditSettings;

/**
 * GbAuditResults:
 * Everything an audit computed, read by the PDF and JSON writers and the GUI.
 * Arrays are owned by the results.  Sections that did not run have
 * has_* = FALSE.
 */
typedef struct {
  /* provenance */
  char *created;              /* ISO 8601 UTC, e.g. "2026-11-29T21:45:00Z" */
  char *glassbox_version;
  char **library_versions;    /* NULL-terminated "name version" */
  double elapsed_seconds;

  /* dataset */
  char *dataset_path;
  char *dataset_sha256;
  gsize n_rows;
  guint n_columns;
  char **column_names;        /* (n_columns) */
  char **column_types;        /* (n_columns) "numeric" | "categorical" | "text" */
  gsize *column_missing;      /* (n_columns) */

  /* model */
  gboolean has_model;
  char *target_description;   /* e.g. "income-per-year = >50K" */
  guint n_features;
  char **feature_names;       /* (n_features) */
  gsize n_train;
  gsize n_test;
  double positive_rate_test;  /* share of positives in the held-out split */
  double accuracy;            /* held-out, threshold 0.5 */
  double roc_auc;             /* held-out */
  double *roc_fpr;            /* (roc_len) */
  double *roc_tpr;            /* (roc_len) */
  gsize roc_len;
  double baseline_accuracy;   /* logistic regression on the same features and split */
  double baseline_roc_auc;
  gsize n_parameters;
  double train_seconds;
  guint epochs_run;
  double final_train_loss;
  double final_val_loss;

  /* explanations */
  GbIgResult *integrated_gradients;   /* nullable */
  double ig_seconds;

  /* fairness: one result per protected attribute, on the held-out split */
  GPtrArray *fairness;                /* (element-type GbFairnessResult*) */

  /* causal */
  gboolean has_causal;
  char *treatment_description;        /* e.g. "education-num >= 13" */
  char *outcome_description;
  char **covariate_names;             /* NULL-terminated */
  gsize n_treated;
  gsize n_control;
  GArray *estimates;                  /* (element-type GbEstimate) */

  /* notes a reader must see: fallbacks taken, rows dropped, ... */
  GPtrArray *notes;                   /* (element-type utf8) */

  /* fairness in depth (issue 6) */
  char *prediction_description;       /* where the audited predictions came from */
  gsize n_fairness_rows;              /* rows the fairness metrics were computed on */
  GPtrArray *fairness_mitigation;     /* (element-type GbFairnessMitigation*) (nullable) */
  GArray *fairness_proxies;           /* (element-type GbFairnessProxy) (nullable) */
  /* causal effects in depth (issue 7) */
  GbCausalAnalysis *causal;           /* (nullable) balance, overlap, refutations, E-value */
  GArray *model_interventions;        /* (element-type GbModelIntervention) (nullable) */
  /* dataset in depth (issue 3) */
  gsize *column_distinct;             /* (n_columns) distinct present values */
  char **dataset_notices;             /* NULL-terminated: renamed headers, encoding fallback, ... */
  /* explanations in depth (issue 5) */
  GPtrArray *explanations;            /* (element-type GbExplanation*) (nullable) one per method, with faithfulness */
  char *explain_background;           /* (nullable) description of the background set */
  /* text and multi-class models (issue 4); all on the held-out split.  For
   * K > 2, @accuracy is the argmax accuracy and @roc_auc (and
   * @baseline_roc_auc) the macro one-vs-rest mean (gb_roc_auc_ovr()); no
   * ROC curve is drawn. */
  char *text_column;                  /* (nullable) the model's text column */
  gsize vocab_size;                   /* word-level vocabulary incl. the 5 special tokens; 0 = no text */
  guint vocab_min_freq;
  guint n_classes;                    /* K (2 for a binary target) */
  char **class_names;                 /* (n_classes) NULL-terminated; class k's label */
  double majority_rate_test;          /* share of the most common class in the held-out split */
  double balanced_accuracy;           /* mean per-class recall */
  double f1_macro;                    /* unweighted mean of the per-class F1 */
  double log_loss;                    /* as sklearn.metrics.log_loss */
  double brier;                       /* gb_brier_score(): binary (p₁ − y)², multi-class Σ_k */
  double ece;                         /* top-label expected calibration error, 15 bins */
  GbReliability *reliability;         /* (nullable) top-label reliability diagram data */
  guint64 *confusion;                 /* (nullable) (n_classes, n_classes) row = true, column = predicted */
  char *baseline_description;         /* (nullable) what the logistic-regression baseline is */
  double baseline_balanced_accuracy;
  double baseline_f1_macro;
  double baseline_log_loss;
  double baseline_brier;
  double baseline_ece;
  guint8 *split;                      /* (nullable) (n_rows) 0 = train, 1 = held-out, 2 = excluded */
  double *labels;                     /* (nullable) (n_rows) class index per row, NAN = missing */
  /* the report (issue 8) */
  char *model_sha256;                 /* (nullable) SHA-256 of the audited model's parameters: the
                                       * flat float32 buffer of gb_model_get_parameters() in host
                                       * (little-endian) byte order, in the tensor order of
                                       * gb-model-private.h — the bytes model.safetensors stores */
  /* TCAV (issue 5) */
  GPtrArray *tcav;                    /* (element-type GbTcavResult*) (nullable) per concept, one per class */
  guint tcav_layer;                   /* the layer used, 1 .. L */
  gsize tcav_n_random;                /* rows per random counterexample set */
  /* counterfactual substitution of identity terms (issues 6, 7), text models only */
  GPtrArray *counterfactual;          /* (element-type GbCounterfactualResult*) (nullable) one per
                                       * pair list, on the held-out rows */
} GbAuditResults;

#define GB_TYPE_AUDIT (gb_audit_get_type ())
G_DECLARE_FINAL_TYPE (GbAudit, gb_audit, GB, AUDIT, GObject)

/* Returns: (transfer full): an audit with default settings. */
GbAudit *gb_audit_new (void);

/* Returns: (transfer none): the settings, editable until gb_audit_run(). */
GbAuditSettings *gb_audit_get_settings (GbAudit *self);

/**
 * gb_audit_settings_copy:
 * @dst: settings to overwrite (its strings are freed first; may be zeroed)
 * @src: the settings to copy
 *
 * A deep copy of every field (strings, string arrays, row ids), e.g. to
 * hand a worker thread settings the GUI may keep editing.
 */
void gb_audit_settings_copy (GbAuditSettings *dst, const GbAuditSettings *src);

/* Frees the strings of @settings (not @settings itself) and zeroes them. */
void gb_audit_settings_clear (GbAuditSettings *settings);

/**
 * gb_audit_settings_build_command_line:
 * @settings: the settings
 *
 * The glassbox-audit command line that reproduces an audit with @settings,
 * every option explicit and shell-quoted, including the report's options
 * (--paper, --auditor, --organisation, --model-card, --omit-sections), so
 * re-running it writes the same report.
 *
 * Returns: (transfer full): the command line.
 */
char *gb_audit_settings_build_command_line (const GbAuditSettings *settings);

/**
 * gb_audit_settings_target_classes:
 * @settings: the settings whose @target (and @positive) define the classes
 * @dataset: the dataset @settings->target refers to
 * @error: GB_DATA_ERROR / GB_ERROR_INVALID_ARGUMENT naming the target when
 *   it is missing, unknown, not binary and not a categorical column, or has
 *   too many classes (the audit's own checks)
 *
 * The target's classes in class-index order, named as a run names them
 * (#GbAuditResults.class_names, the JSON's "classes"): a categorical target
 * with more than two levels and no @positive has one class per level (byte
 * order); any other target is binary ("not P", "P" with a positive value P;
 * the two levels of a two-valued column; "false", "true" for a condition).
 * Each name is one --explain-class / @explain_class accepts.  Evaluates the
 * target over every row of @dataset.
 *
 * Returns: (transfer full) (nullable): the NULL-terminated class names.
 */
char **gb_audit_settings_target_classes (const GbAuditSettings *settings, GbDataset *dataset,
                                         GError **error);

/**
 * gb_audit_apply_example:
 * @self: the audit
 * @examples_dir: folder holding adult.csv
 *
 * Sets the settings of the bundled Adult example (target income-per-year,
 * positive >50K, protected sex and race, treatment education-num>=13,
 * outcome income-per-year==>50K, covariates age, sex, race,
 * marital-status, hours-per-week).
 */
void gb_audit_apply_example (GbAudit *self, const char *examples_dir);

/**
 * gb_audit_set_dataset:
 * @self: the audit
 * @dataset: (transfer none) (nullable): an already loaded dataset (e.g. from
 *   the GUI); when set, gb_audit_run() uses it instead of reading csv_path
 */
void gb_audit_set_dataset (GbAudit *self, GbDataset *dataset);
/**
 * gb_audit_use_text:
 * @self: the audit
 * @column: (nullable): the text column, or %NULL for a tabular model again
 *
 * Sets @text_column and, for a text column, the training settings that suit
 * a small text transformer trained from scratch on a few thousand rows:
 * batch 32, learning rate 2e-3, warm-up 10 %, dropout 0.1, and 64 text ids
 * per row (max_length).  Change them afterwards to override.  The vocabulary is built at run time from the training rows'
 * text (gb_vocab_build(), minimum frequency @vocab_min_freq, at most 20 000
 * tokens).
 */
void gb_audit_use_text (GbAudit *self, const char *column);

/**
 * gb_audit_write_scores:
 * @self: an audit that has trained or loaded a model
 * @path: the CSV to write, atomically (g_file_set_contents())
 * @error: GB_REPORT_ERROR / GB_ERROR_IO, or the model's error
 *
 * One line per dataset row after a header: the 0-based row index, its
 * split ("train", "held-out" or "excluded" for a missing label), its true
 * label (empty when missing), then the predicted probability of each class
 * in class order (the model's float32 softmax: they sum to 1 within
 * 1e-6), as shortest round-trip decimals
 * (gb_format_double()).  The header names the columns row, split, label
 * and p(CLASS) for each class.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_audit_write_scores (GbAudit *self, const char *path, GError **error);

/* Returns: (transfer none) (nullable): the dataset used or set. */
GbDataset *gb_audit_get_dataset (GbAudit *self);
/* Returns: (transfer none) (nullable): the trained model after a run. */
GbModel *gb_audit_get_model (GbAudit *self);

/**
 * gb_audit_validate:
 * @self: the audit
 * @dataset: the dataset the settings refer to
 * @error: GB_DATA_ERROR / GB_ERROR_INVALID_ARGUMENT naming the option and
 *   the column: "--protected: unknown column “gender”"
 *
 * Checks that every role names an existing column or a valid condition.
 *
 * Returns: %TRUE when the settings are usable with @dataset.
 */
gboolean gb_audit_validate (GbAudit *self, GbDataset *dataset, GError **error);

/**
 * gb_audit_run:
 * @self: the audit
 * @cancellable: (nullable): cancels between and within steps
 * @progress: (nullable): overall progress (thread-safe callback)
 * @user_data: closure
 * @error: the first error of any step
 *
 * Loads the CSV (unless a dataset was set), splits it (stratified by the
 * target, seeded), trains the transformer and a logistic-regression
 * baseline, evaluates on the held-out split, explains held-out rows with
 * integrated gradients, computes the fairness metrics per protected
 * attribute on the held-out split and the causal estimates on all rows.
 * Blocking: call it from a worker thread in the app.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_audit_run (GbAudit *self, GCancellable *cancellable, GbProgressFunc progress,
                       gpointer user_data, GError **error);

/* Returns: (transfer none) (nullable): the results of the last successful run. */
const GbAuditResults *gb_audit_get_results (GbAudit *self);

/**
 * gb_audit_write_json:
 * @self: an audit that has run
 * @path: output file, written atomically (g_file_set_contents)
 * @error: GB_REPORT_ERROR / GB_ERROR_IO
 *
 * Writes the JSON described in the README (keys dataset, model,
 * explanations, fairness, causal, provenance).
 *
 * Returns: %TRUE on success.
 */
gboolean gb_audit_write_json (GbAudit *self, const char *path, GError **error);

/* Returns: (transfer full): the JSON document as a string. */
char *gb_audit_to_json (GbAudit *self);

/**
 * gb_audit_write_pdf:
 * @self: an audit that has run
 * @path: output file; written to a temporary file in the same folder and
 *   renamed, so a failure leaves any previous report intact
 * @error: GB_REPORT_ERROR / GB_ERROR_IO
 *
 * Multi-page A4 PDF (Cairo + Pango): title page, data summary, model
 * performance with the ROC curve, attribution heatmap and global
 * importance, fairness table and grouped bars, causal forest plot,
 * provenance.
 *
 * Returns: %TRUE on success.
 */
gboolean gb_audit_write_pdf (GbAudit *self, const char *path, GError **error);

G_END_DECLS
