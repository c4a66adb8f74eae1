/* gb-dataset-pane.c — the Dataset pane.
 *
 * Three pages: the start page (Open CSV…, recent files, the bundled
 * examples), a loading page with a progress bar, and the data page: a
 * GtkColumnView over a lazy GbRowModel (an item is made only when a row is
 * shown; cells are formatted by gb_dataset_format_cell(), missing cells
 * shown as a dim italic "missing"), and a side panel with the selected
 * column (its role, how it is read, its validation messages, its summary
 * and histogram), the audit roles and one role row per column.
 *
 * Sorting: every column carries a GbProbeSorter, so a click on a header
 * sorts as usual in GTK; the pane never gives the view's sorter to a
 * GtkSortListModel (which would make an item per row), but reads the
 * primary column and direction from it and computes a permutation of the
 * row indices — on the job queue for big files — that the row model maps
 * positions through.
 *
 * The settings are the single source of truth: every combo row shows the
 * role derived from them, and choosing a role rewrites them.  A column can
 * hold several roles in the settings (the Adult example's sex is protected
 * and a covariate); the combo shows the first and the subtitle the rest. */
#include "gb-config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "gb-dataset-pane.h"
#include "gb-dataset-pane-private.h"
#include "gb-dataset-summary.h"
#include "gb-roles.h"
#include "gb-examples.h"
#include "gb-row-model.h"
#include "gb-column-panel.h"

/* Above this many rows, sorting and summaries run on the job queue. */
#define ASYNC_ROWS 200000
/* Above this many cells, only columns with a role other than feature get
 * their validation messages computed on every change. */
#define VALIDATE_ALL_CELLS 5000000

/* ---- a sorter that only says which column the view sorts by ---------------- */

#define GB_TYPE_PROBE_SORTER (gb_probe_sorter_get_type ())
G_DECLARE_FINAL_TYPE (GbProbeSorter, gb_probe_sorter, GB, PROBE_SORTER, GtkSorter)

struct _GbProbeSorter {
  GtkSorter parent_instance;
  guint column;
};

G_DEFINE_FINAL_TYPE (GbProbeSorter, gb_probe_sorter, GTK_TYPE_SORTER)

/* The column whose sorter was asked first during a probe, or -1. */
static int probe_first = -1;

static GtkOrdering
gb_probe_sorter_compare (GtkSorter *sorter, gpointer item1, gpointer item2)
{
  if (probe_first < 0)
    probe_first = (int) GB_PROBE_SORTER (sorter)->column;
  return GTK_ORDERING_SMALLER;
}

static GtkSorterOrder
gb_probe_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
gb_probe_sorter_class_init (GbProbeSorterClass *klass)
{
  GTK_SORTER_CLASS (klass)->compare = gb_probe_sorter_compare;
  GTK_SORTER_CLASS (klass)->get_order = gb_probe_sorter_get_order;
}

static void gb_probe_sorter_init (GbProbeSorter *self) {}

/* The view's primary sort column (index into the dataset) and direction;
 * -1 when unsorted.  GTK 4.10 has API for it; on 4.8 one comparison of two
 * dummy items through the view's sorter tells: the column view sorter asks
 * its primary column's sorter first and inverts the answer when the column
 * sorts descending. */
static int
view_sort_column (GtkColumnView *view, gboolean *descending)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (view);
#if GTK_CHECK_VERSION (4, 10, 0)
  GtkColumnViewColumn *column;

  *descending = FALSE;
  if (sorter == NULL)
    return -1;
  column = gtk_column_view_sorter_get_primary_sort_column (GTK_COLUMN_VIEW_SORTER (sorter));
  if (column == NULL || !GB_IS_PROBE_SORTER (gtk_column_view_column_get_sorter (column)))
    return -1;
  *descending = gtk_column_view_sorter_get_primary_sort_order (GTK_COLUMN_VIEW_SORTER (sorter))
                == GTK_SORT_DESCENDING;
  return (int) GB_PROBE_SORTER (gtk_column_view_column_get_sorter (column))->column;
#else
  g_autoptr(GbRowItem) a = g_object_new (GB_TYPE_ROW_ITEM, NULL);
  g_autoptr(GbRowItem) b = g_object_new (GB_TYPE_ROW_ITEM, NULL);
  GtkOrdering ordering;
  int column;

  *descending = FALSE;
  if (sorter == NULL)
    return -1;
  probe_first = -1;
  ordering = gtk_sorter_compare (sorter, a, b);
  column = probe_first;
  probe_first = -1;
  *descending = ordering == GTK_ORDERING_LARGER;
  return column;
#endif
}

/* ---- sort orders ----------------------------------------------------------- */

typedef struct {
  double v;
  guint32 i;
} KeyedRow;

static int
compare_keyed (gconstpointer pa, gconstpointer pb, gpointer data)
{
  const KeyedRow *a = pa, *b = pb;
  gboolean descending = GPOINTER_TO_INT (data);
  int c = (a->v > b->v) - (a->v < b->v);

  if (descending)
    c = -c;
  return c != 0 ? c : (a->i > b->i) - (a->i < b->i);
}

typedef struct {
  char **text;
  gboolean descending;
} TextSort;

static int
compare_text (gconstpointer pa, gconstpointer pb, gpointer data)
{
  const TextSort *t = data;
  guint32 a = *(const guint32 *) pa, b = *(const guint32 *) pb;
  int c = strcmp (t->text[a], t->text[b]);

  if (t->descending)
    c = -c;
  return c != 0 ? c : (a > b) - (a < b);
}

/**
 * compute_order:
 * @col: the column to sort by
 * @descending: largest first
 *
 * A stable permutation of the rows by @col: numbers and dates by value,
 * categories and booleans by level (levels are in byte order, so by their
 * text; false before true), text by bytes.  Missing cells come last in
 * either direction; ties keep the file's order.
 *
 * Returns: (transfer full) (array length=col->n_rows): the row at each position.
 */
static guint32 *
compute_order (const GbColumn *col, gboolean descending)
{
  gsize n = col->n_rows, k = 0;
  guint32 *order = g_new (guint32, MAX (n, 1));

  switch (col->type)
    {
    case GB_COLUMN_NUMERIC:
    case GB_COLUMN_DATE:
      {
        KeyedRow *keyed = g_new (KeyedRow, MAX (n, 1));
        gsize m = 0;
        for (gsize i = 0; i < n; i++)
          if (!isnan (col->numeric[i]))
            keyed[m++] = (KeyedRow) { col->numeric[i], (guint32) i };
        g_qsort_with_data (keyed, (gint) m, sizeof (KeyedRow), compare_keyed,
                           GINT_TO_POINTER (descending));
        for (gsize j = 0; j < m; j++)
          order[k++] = keyed[j].i;
        g_free (keyed);
        for (gsize i = 0; i < n; i++)
          if (isnan (col->numeric[i]))
            order[k++] = (guint32) i;
        break;
      }
    case GB_COLUMN_CATEGORICAL:
    case GB_COLUMN_BOOLEAN:
      {
        /* Counting sort by level code: O(n) and stable. */
        guint n_levels = col->levels != NULL ? col->levels->len : 0;
        gsize *start = g_new0 (gsize, n_levels + 2);
        for (gsize i = 0; i < n; i++)
          {
            gint32 c = col->codes[i];
            guint slot = c < 0 ? n_levels : (descending ? n_levels - 1 - (guint) c : (guint) c);
            start[slot + 1]++;
          }
        for (guint l = 0; l <= n_levels; l++)
          start[l + 1] += start[l];
        for (gsize i = 0; i < n; i++)
          {
            gint32 c = col->codes[i];
            guint slot = c < 0 ? n_levels : (descending ? n_levels - 1 - (guint) c : (guint) c);
            order[start[slot]++] = (guint32) i;
          }
        g_free (start);
        k = n;
        break;
      }
    case GB_COLUMN_TEXT:
    default:
      {
        TextSort t = { col->text, descending };
        gsize m = 0;
        for (gsize i = 0; i < n; i++)
          if (col->text[i] != NULL)
            order[m++] = (guint32) i;
        g_qsort_with_data (order, (gint) m, sizeof (guint32), compare_text, &t);
        k = m;
        for (gsize i = 0; i < n; i++)
          if (col->text[i] == NULL)
            order[k++] = (guint32) i;
        break;
      }
    }
  g_assert (k == n);
  return order;
}

/* ---- roles ---------------------------------------------------------------- */

const char *
gb_role_to_string (GbRole role)
{
  switch (role)
    {
    case GB_ROLE_FEATURE:   return _("Feature");
    case GB_ROLE_TARGET:    return _("Target");
    case GB_ROLE_PROTECTED: return _("Protected");
    case GB_ROLE_TREATMENT: return _("Treatment");
    case GB_ROLE_OUTCOME:   return _("Outcome");
    case GB_ROLE_COVARIATE: return _("Covariate");
    case GB_ROLE_IGNORE:    return _("Ignore");
    case GB_ROLE_TEXT:      return _("Text");
    case GB_ROLE_IDENTIFIER: return _("Identifier");
    case GB_N_ROLES:
    default:                return "";
    }
}

/* ---- the pane ------------------------------------------------------------- */

struct _GbDatasetPane {
  AdwBin parent_instance;

  /* template children */
  GtkStack *stack;
  AdwPreferencesGroup *recent_group;
  AdwPreferencesGroup *examples_group;
  AdwStatusPage *loading_page;
  GtkProgressBar *load_progress;
  GtkLabel *summary_title;
  GtkLabel *summary_label;
  GtkRevealer *notices_revealer;
  GtkLabel *notices_label;
  GtkButton *notices_close;
  GtkColumnView *column_view;
  AdwPreferencesPage *roles_page;
  AdwPreferencesGroup *column_group;
  GtkDropDown *column_dropdown;
  AdwComboRow *column_role_row;
  AdwComboRow *column_type_row;
  AdwPreferencesGroup *summary_group;
  GbColumnPanel *column_panel;
  AdwPreferencesGroup *conditions_group;
  AdwEntryRow *positive_row;
  AdwEntryRow *treatment_row;
  AdwEntryRow *outcome_row;

  GbDataset *dataset;           /* (owned) (nullable) */
  GbAudit *draft;               /* (owned) (nullable) */
  GbRowModel *rows;             /* (owned) (nullable) */
  GbJobQueue *queue;            /* (owned) (nullable) runs sorts and summaries of big files */
  GbJob *sort_job;              /* (owned) (nullable) */
  GbJob *summary_job;           /* (owned) (nullable) */
  gsize async_rows;             /* above this many rows, work goes to @queue */
  GbDatasetSummary figures;     /* the dataset's figures */
  gboolean has_figures;
  AdwPreferencesGroup *columns_group;   /* (nullable) inside roles_page */
  GPtrArray *role_rows;         /* (element-type AdwComboRow) one per column */
  GHashTable *excluded;         /* (element-type utf8 GbRole) columns the user set to
                                 * Ignore or Identifier: the name shown for them */
  gint8 *identifier_like;       /* (nullable) per column: -1 unknown, else whether
                                 * gb_column_default_role() says identifier */
  GPtrArray *message_rows;      /* (element-type GtkWidget) rows showing role messages */
  GPtrArray *recent_rows;       /* (element-type GtkWidget) */
  GPtrArray *example_rows;      /* (element-type GtkWidget) */
  GtkRecentManager *recent;     /* (owned) */
  GtkMenuButton *positive_menu; /* the target's values, on the positive-value row */
  GMenu *positive_values;       /* (owned) */
  char *positive_for;           /* (owned) (nullable) the target the menu lists */
  int selected;                 /* selected column, or -1 */
  int sort_column;              /* the column the rows are ordered by, or -1 */
  gboolean sort_descending;
  gboolean updating;
};

G_DEFINE_FINAL_TYPE (GbDatasetPane, gb_dataset_pane, ADW_TYPE_BIN)

enum { SIGNAL_ROLES_CHANGED, SIGNAL_COLUMN_TYPE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* String-vector helpers on settings fields (owned, NULL-terminated). */
static gboolean
strv_has (char **v, const char *s)
{
  return v != NULL && s != NULL && g_strv_contains ((const char *const *) v, s);
}

static void
strv_add (char ***v, const char *s)
{
  GStrvBuilder *b;

  if (strv_has (*v, s))
    return;
  b = g_strv_builder_new ();
  if (*v != NULL)
    g_strv_builder_addv (b, (const char **) *v);
  g_strv_builder_add (b, s);
  g_strfreev (*v);
  *v = g_strv_builder_end (b);
  g_strv_builder_unref (b);
}

static void
strv_remove (char ***v, const char *s)
{
  GStrvBuilder *b;

  if (!strv_has (*v, s))
    return;
  b = g_strv_builder_new ();
  for (char **p = *v; *p != NULL; p++)
    if (strcmp (*p, s) != 0)
      g_strv_builder_add (b, *p);
  g_strfreev (*v);
  *v = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  if ((*v)[0] == NULL)
    g_clear_pointer (v, g_strfreev);
}

static void
set_string (char **dst, const char *value)
{
  char *copy = (value != NULL && value[0] != '\0') ? g_strdup (value) : NULL;
  g_free (*dst);
  *dst = copy;
}

/* The column a role expression refers to: a column name, or a condition
 * such as "education-num>=13" or "income-per-year==>50K". */
static int
expression_column (GbDataset *ds, const char *expr)
{
  g_autofree char *name = NULL;
  int index;

  if (ds == NULL || expr == NULL || expr[0] == '\0')
    return -1;
  index = gb_dataset_find_column (ds, expr);
  if (index >= 0)
    return index;
  name = g_strndup (expr, strcspn (expr, "<>=!"));
  g_strstrip (name);
  return gb_dataset_find_column (ds, name);
}

/* Whether the engine suggests @index is a row identifier (cached: it
 * summarizes the column). */
static gboolean
identifier_like (GbDatasetPane *self, guint index)
{
  if (self->identifier_like == NULL)
    {
      guint n = gb_dataset_get_n_columns (self->dataset);
      self->identifier_like = g_new (gint8, MAX (n, 1));
      memset (self->identifier_like, -1, MAX (n, 1));
    }
  if (self->identifier_like[index] < 0)
    self->identifier_like[index] = gb_column_default_role (self->dataset, index)
                                   == GB_COLUMN_ROLE_IDENTIFIER;
  return self->identifier_like[index] > 0;
}

/* The role shown for a column that is not a feature and has no other role:
 * the user's choice (Ignore or Identifier), else the engine's suggestion. */
static GbRole
excluded_role (GbDatasetPane *self, guint index)
{
  const GbColumn *col = gb_dataset_get_column (self->dataset, index);
  gpointer chosen;

  if (g_hash_table_lookup_extended (self->excluded, col->name, NULL, &chosen))
    return (GbRole) GPOINTER_TO_INT (chosen);
  return identifier_like (self, index) ? GB_ROLE_IDENTIFIER : GB_ROLE_IGNORE;
}

static GbRole
column_role (GbDatasetPane *self, guint index, GString *also)
{
  GbAuditSettings *s = gb_audit_get_settings (self->draft);
  const GbColumn *col = gb_dataset_get_column (self->dataset, index);
  GbRole role = GB_N_ROLES;
  struct { gboolean on; GbRole role; } roles[] = {
    { expression_column (self->dataset, s->target) == (int) index, GB_ROLE_TARGET },
    { expression_column (self->dataset, s->treatment) == (int) index, GB_ROLE_TREATMENT },
    { expression_column (self->dataset, s->outcome) == (int) index, GB_ROLE_OUTCOME },
    { strv_has (s->protected_attributes, col->name), GB_ROLE_PROTECTED },
    { strv_has (s->covariates, col->name), GB_ROLE_COVARIATE },
    { s->text_column != NULL && g_strcmp0 (s->text_column, col->name) == 0, GB_ROLE_TEXT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      if (!roles[i].on)
        continue;
      if (role == GB_N_ROLES)
        role = roles[i].role;
      else if (also != NULL)
        {
          g_autofree char *lower = g_utf8_strdown (gb_role_to_string (roles[i].role), -1);
          g_string_append_printf (also, also->len > 0 ? ", %s" : "%s", lower);
        }
    }
  if (role != GB_N_ROLES)
    return role;

  if (s->features != NULL)
    return strv_has (s->features, col->name) ? GB_ROLE_FEATURE : excluded_role (self, index);
  /* No explicit list: the audit's own rule (gb-audit.c, choose_features):
   * not text, not a constant or identifier-like categorical column. */
  if (col->type == GB_COLUMN_TEXT)
    return excluded_role (self, index);
  if (col->type == GB_COLUMN_CATEGORICAL && col->levels != NULL
      && (col->levels->len < 2 || col->levels->len > MAX (50, col->n_rows / 2)))
    return excluded_role (self, index);
  return GB_ROLE_FEATURE;
}

/* Turns features = NULL ("every column without a role") into the explicit list. */
static void
materialize_features (GbDatasetPane *self)
{
  GbAuditSettings *s = gb_audit_get_settings (self->draft);
  GStrvBuilder *b;

  if (s->features != NULL)
    return;
  b = g_strv_builder_new ();
  for (guint i = 0; i < gb_dataset_get_n_columns (self->dataset); i++)
    {
      GbRole role = column_role (self, i, NULL);
      if (role == GB_ROLE_FEATURE || role == GB_ROLE_PROTECTED || role == GB_ROLE_COVARIATE)
        g_strv_builder_add (b, gb_dataset_get_column (self->dataset, i)->name);
    }
  s->features = g_strv_builder_end (b);
  g_strv_builder_unref (b);
}

static void
apply_role (GbDatasetPane *self, guint index, GbRole role)
{
  GbAuditSettings *s = gb_audit_get_settings (self->draft);
  const char *name = gb_dataset_get_column (self->dataset, index)->name;
  int displaced = -1;   /* the column that held the single role before */

  /* Ignore and Identifier leave the column out of an explicit list; a text
   * column with no explicit list would make the model text-only, so the
   * columns shown as features stay features (a text+features model). */
  if (role == GB_ROLE_IGNORE || role == GB_ROLE_IDENTIFIER || role == GB_ROLE_TEXT)
    materialize_features (self);

  if (role == GB_ROLE_TARGET)
    displaced = expression_column (self->dataset, s->target);
  else if (role == GB_ROLE_TREATMENT)
    displaced = expression_column (self->dataset, s->treatment);
  else if (role == GB_ROLE_OUTCOME)
    displaced = expression_column (self->dataset, s->outcome);

  /* Clear every role of the column... */
  if (expression_column (self->dataset, s->target) == (int) index)
    {
      set_string (&s->target, NULL);
      set_string (&s->positive, NULL);
    }
  if (expression_column (self->dataset, s->treatment) == (int) index)
    set_string (&s->treatment, NULL);
  if (expression_column (self->dataset, s->outcome) == (int) index)
    set_string (&s->outcome, NULL);
  strv_remove (&s->protected_attributes, name);
  strv_remove (&s->covariates, name);
  if (s->text_column != NULL && g_strcmp0 (s->text_column, name) == 0)
    gb_audit_use_text (self->draft, NULL);
  g_hash_table_remove (self->excluded, name);

  /* ...then give it the chosen one. */
  switch (role)
    {
    case GB_ROLE_TARGET:
      if (s->target == NULL || expression_column (self->dataset, s->target) != (int) index)
        set_string (&s->positive, NULL);
      set_string (&s->target, name);
      break;
    case GB_ROLE_TREATMENT:
      set_string (&s->treatment, name);
      break;
    case GB_ROLE_OUTCOME:
      set_string (&s->outcome, name);
      break;
    case GB_ROLE_PROTECTED:
      strv_add (&s->protected_attributes, name);
      break;
    case GB_ROLE_COVARIATE:
      strv_add (&s->covariates, name);
      break;
    case GB_ROLE_TEXT:
      /* One text column: choosing another moves it (and sets the
       * text-model training defaults). */
      gb_audit_use_text (self->draft, name);
      break;
    case GB_ROLE_IGNORE:
    case GB_ROLE_IDENTIFIER:
      g_hash_table_insert (self->excluded, g_strdup (name), GINT_TO_POINTER (role));
      break;
    case GB_ROLE_FEATURE:
    case GB_N_ROLES:
    default:
      break;
    }

  /* An explicit feature list follows the roles. */
  if (s->features != NULL)
    {
      if (role == GB_ROLE_FEATURE || role == GB_ROLE_PROTECTED || role == GB_ROLE_COVARIATE)
        strv_add (&s->features, name);
      else
        strv_remove (&s->features, name);

      /* The column that lost its target/treatment/outcome role to this one
       * becomes a feature again, as it would with an implicit list. */
      if (displaced >= 0 && displaced != (int) index)
        {
          const GbColumn *col = gb_dataset_get_column (self->dataset, (guint) displaced);
          gboolean other_role = expression_column (self->dataset, s->target) == displaced
                                || expression_column (self->dataset, s->treatment) == displaced
                                || expression_column (self->dataset, s->outcome) == displaced;
          if (!other_role && col->type != GB_COLUMN_TEXT)
            strv_add (&s->features, col->name);
        }
    }
}

static const char *
type_icon_name (GbColumnType type)
{
  switch (type)
    {
    case GB_COLUMN_NUMERIC:     return "gb-type-numeric-symbolic";
    case GB_COLUMN_CATEGORICAL: return "gb-type-categorical-symbolic";
    case GB_COLUMN_BOOLEAN:     return "gb-type-boolean-symbolic";
    case GB_COLUMN_DATE:        return "gb-type-date-symbolic";
    case GB_COLUMN_TEXT:
    default:                    return "gb-type-text-symbolic";
    }
}

static const char *
type_display_name (GbColumnType type)
{
  switch (type)
    {
    case GB_COLUMN_NUMERIC:     return _("numeric");
    case GB_COLUMN_CATEGORICAL: return _("categorical");
    case GB_COLUMN_BOOLEAN:     return _("boolean");
    case GB_COLUMN_DATE:        return _("date");
    case GB_COLUMN_TEXT:
    default:                    return _("text");
    }
}

/* Engine messages quote names in backticks; people read “quotes”. */
static char *
display_message (const char *message)
{
  GString *out = g_string_new (NULL);
  gboolean open = TRUE;

  for (const char *p = message; *p != '\0'; p++)
    {
      if (*p == '`')
        {
          g_string_append (out, open ? "“" : "”");
          open = !open;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/**
 * column_messages:
 * Validates every role column @index holds in the draft's settings
 * (gb_role_validate()).
 *
 * Returns: (transfer full) (element-type GbRoleMessage): the messages
 */
static GPtrArray *
column_messages (GbDatasetPane *self, guint index)
{
  GbAuditSettings *s = gb_audit_get_settings (self->draft);
  const GbColumn *col = gb_dataset_get_column (self->dataset, index);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) gb_role_message_free);
  struct { gboolean on; GbColumnRole role; const char *spec; const char *positive; } roles[] = {
    { expression_column (self->dataset, s->target) == (int) index, GB_COLUMN_ROLE_TARGET,
      s->target, s->positive },
    { expression_column (self->dataset, s->treatment) == (int) index, GB_COLUMN_ROLE_TREATMENT,
      s->treatment, NULL },
    { expression_column (self->dataset, s->outcome) == (int) index, GB_COLUMN_ROLE_OUTCOME,
      s->outcome, NULL },
    { strv_has (s->protected_attributes, col->name), GB_COLUMN_ROLE_PROTECTED, col->name, NULL },
    { strv_has (s->covariates, col->name), GB_COLUMN_ROLE_COVARIATE, col->name, NULL },
    { column_role (self, index, NULL) == GB_ROLE_FEATURE, GB_COLUMN_ROLE_FEATURE, col->name, NULL },
  };

  /* A column left out because of what it is (an identifier, free text, a
   * single value) says why: the engine's message for it as a feature. */
  if ((column_role (self, index, NULL) == GB_ROLE_IGNORE
       || column_role (self, index, NULL) == GB_ROLE_IDENTIFIER)
      && gb_column_default_role (self->dataset, index) != GB_COLUMN_ROLE_FEATURE)
    {
      g_autoptr(GPtrArray) why = gb_role_validate (self->dataset, GB_COLUMN_ROLE_FEATURE,
                                                   col->name, NULL);
      for (guint m = 0; m < why->len; m++)
        if (((GbRoleMessage *) g_ptr_array_index (why, m))->severity == GB_ROLE_INFO)
          g_ptr_array_add (out, g_ptr_array_steal_index (why, m--));
    }

  for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
    {
      g_autoptr(GPtrArray) messages = NULL;

      if (!roles[r].on)
        continue;
      messages = gb_role_validate (self->dataset, roles[r].role, roles[r].spec, roles[r].positive);
      for (guint m = 0; m < messages->len; m++)
        {
          GbRoleMessage *msg = g_ptr_array_index (messages, m);
          gboolean dup = FALSE;
          /* One "more than 20% missing" per column, not one per role. */
          for (guint k = 0; k < out->len && !dup; k++)
            dup = g_strcmp0 (((GbRoleMessage *) g_ptr_array_index (out, k))->message,
                             msg->message) == 0;
          if (!dup)
            g_ptr_array_add (out, g_ptr_array_steal_index (messages, m--));
        }
    }
  return out;
}

static void
message_row_activated (AdwActionRow *row, GbDatasetPane *self)
{
  GbColumnRole role = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "gb-role"));

  if (role == GB_COLUMN_ROLE_TARGET)
    gtk_widget_grab_focus (GTK_WIDGET (self->positive_row));
  else if (role == GB_COLUMN_ROLE_TREATMENT)
    gtk_widget_grab_focus (GTK_WIDGET (self->treatment_row));
  else if (role == GB_COLUMN_ROLE_OUTCOME)
    gtk_widget_grab_focus (GTK_WIDGET (self->outcome_row));
}

static GtkWidget *
new_message_row (GbDatasetPane *self, const GbRoleMessage *msg)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  g_autofree char *text = display_message (msg->message);
  const char *icon_name = msg->severity == GB_ROLE_ERROR ? "dialog-error-symbolic"
                          : msg->severity == GB_ROLE_WARNING ? "dialog-warning-symbolic"
                          : "dialog-information-symbolic";

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (icon, msg->severity == GB_ROLE_ERROR ? "error"
                                  : msg->severity == GB_ROLE_WARNING ? "warning" : "accent");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, "role-message");
  g_object_set_data_full (G_OBJECT (row), "gb-message", g_strdup (msg->message), g_free);
  g_object_set_data (G_OBJECT (row), "gb-role", GINT_TO_POINTER (msg->role));
  if (msg->severity != GB_ROLE_INFO && msg->role == GB_COLUMN_ROLE_TARGET
      && g_menu_model_get_n_items (G_MENU_MODEL (self->positive_values)) > 0)
    {
      /* The answer right here: the target's values. */
      GtkWidget *choose = gtk_menu_button_new ();
      gtk_menu_button_set_label (GTK_MENU_BUTTON (choose), _("Choose…"));
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (choose),
                                      G_MENU_MODEL (self->positive_values));
      gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (choose, _("The value of the target that counts as positive"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), choose);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), choose);
    }
  else if (msg->severity != GB_ROLE_INFO
           && (msg->role == GB_COLUMN_ROLE_TARGET || msg->role == GB_COLUMN_ROLE_TREATMENT
               || msg->role == GB_COLUMN_ROLE_OUTCOME))
    {
      GtkWidget *go = gtk_image_new_from_icon_name ("go-next-symbolic");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), go);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   msg->role == GB_COLUMN_ROLE_TARGET
                                     ? _("Type the positive value or a condition below")
                                     : _("Type a condition below"));
      g_signal_connect (row, "activated", G_CALLBACK (message_row_activated), self);
    }
  return row;
}

static void
clear_message_rows (GbDatasetPane *self)
{
  for (guint i = 0; i < self->message_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->message_rows, i);
      AdwPreferencesGroup *group = g_object_get_data (G_OBJECT (row), "gb-group");
      adw_preferences_group_remove (group, row);
    }
  g_ptr_array_set_size (self->message_rows, 0);
}

static void
add_message_row (GbDatasetPane *self, AdwPreferencesGroup *group, const GbRoleMessage *msg)
{
  GtkWidget *row = new_message_row (self, msg);

  g_object_set_data (G_OBJECT (row), "gb-group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->message_rows, row);
}

static char *
column_subtitle (GbDatasetPane *self, guint index, GString *also)
{
  const GbColumn *col = gb_dataset_get_column (self->dataset, index);
  GString *s = g_string_new (type_display_name (col->logical_type));

  if (col->type == GB_COLUMN_CATEGORICAL && col->levels != NULL
      && col->logical_type != GB_COLUMN_BOOLEAN)
    g_string_append_printf (s, ngettext (" · %u level", " · %u levels", col->levels->len),
                            col->levels->len);
  if (col->n_missing > 0)
    g_string_append_printf (s, _(" · %'zu missing"), (size_t) col->n_missing);
  if (also != NULL && also->len > 0)
    g_string_append_printf (s, _(" · also %s"), also->str);
  return g_string_free (s, FALSE);
}

static void
set_entry_text (AdwEntryRow *row, const char *text)
{
  const char *current = gtk_editable_get_text (GTK_EDITABLE (row));

  if (g_strcmp0 (current, text != NULL ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/* The worst message's icon at the end of a column's row, with the message as tooltip. */
static void
set_row_alert (AdwComboRow *row, GPtrArray *messages)
{
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "gb-alert");
  const GbRoleMessage *worst = NULL;

  for (guint m = 0; messages != NULL && m < messages->len; m++)
    {
      const GbRoleMessage *msg = g_ptr_array_index (messages, m);
      if (msg->severity != GB_ROLE_INFO && (worst == NULL || msg->severity > worst->severity))
        worst = msg;
    }
  gtk_widget_set_visible (icon, worst != NULL);
  if (worst != NULL)
    {
      g_autofree char *text = display_message (worst->message);
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), worst->severity == GB_ROLE_ERROR
                                                        ? "dialog-error-symbolic"
                                                        : "dialog-warning-symbolic");
      gtk_widget_remove_css_class (icon, "error");
      gtk_widget_remove_css_class (icon, "warning");
      gtk_widget_add_css_class (icon, worst->severity == GB_ROLE_ERROR ? "error" : "warning");
      gtk_widget_set_tooltip_text (icon, text);
    }
}

static void
update_column_group (GbDatasetPane *self, GPtrArray *messages)
{
  const GbColumn *col;
  g_autoptr(GString) also = g_string_new (NULL);
  g_autofree char *subtitle = NULL;
  GbRole role;

  if (self->selected < 0)
    return;
  col = gb_dataset_get_column (self->dataset, (guint) self->selected);
  role = column_role (self, (guint) self->selected, also);
  subtitle = column_subtitle (self, (guint) self->selected, also);

  adw_preferences_group_set_title (self->column_group, col->name);
  adw_preferences_group_set_description (self->column_group, subtitle);
  adw_combo_row_set_selected (self->column_role_row, role);
  {
    g_autofree char *detected = g_strdup_printf (_("Detected (%s)"),
                                                 type_display_name (col->logical_type));
    GtkStringList *types = GTK_STRING_LIST (adw_combo_row_get_model (self->column_type_row));
    gtk_string_list_splice (types, 0, 1, (const char *const[]) { detected, NULL });
    adw_combo_row_set_selected (self->column_type_row,
                                col->type_forced ? col->logical_type + 1 : 0);
  }
  gtk_drop_down_set_selected (self->column_dropdown, (guint) self->selected);

  for (guint m = 0; messages != NULL && m < messages->len; m++)
    add_message_row (self, self->column_group, g_ptr_array_index (messages, m));
}

/* Underscores in a value stay underscores in a menu (no mnemonics). */
static char *
menu_label (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        g_string_append_c (out, '_');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* The positive-value row offers the values of a bare categorical target. */
static void
update_positive_menu (GbDatasetPane *self)
{
  GbAuditSettings *s = gb_audit_get_settings (self->draft);
  int col = s->target != NULL ? gb_dataset_find_column (self->dataset, s->target) : -1;
  const GbColumn *column = col >= 0 ? gb_dataset_get_column (self->dataset, (guint) col) : NULL;

  if (g_strcmp0 (self->positive_for, column != NULL ? column->name : NULL) == 0)
    return;
  g_free (self->positive_for);
  self->positive_for = column != NULL ? g_strdup (column->name) : NULL;
  g_menu_remove_all (self->positive_values);
  if (column != NULL && column->type == GB_COLUMN_CATEGORICAL && column->levels != NULL)
    for (guint i = 0; i < column->levels->len && i < 50; i++)
      {
        const char *level = g_ptr_array_index (column->levels, i);
        g_autofree char *label = menu_label (level);
        g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);
        g_menu_item_set_action_and_target_value (item, "pane.set-positive",
                                                 g_variant_new_string (level));
        g_menu_append_item (self->positive_values, item);
      }
  gtk_widget_set_visible (GTK_WIDGET (self->positive_menu),
                          g_menu_model_get_n_items (G_MENU_MODEL (self->positive_values)) > 0);
}

static void
set_positive_activated (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GbDatasetPane *self = GB_DATASET_PANE (widget);

  /* As if typed: the entry's ::changed edits the settings. */
  gtk_editable_set_text (GTK_EDITABLE (self->positive_row), g_variant_get_string (param, NULL));
}

void
gb_dataset_pane_refresh_roles (GbDatasetPane *self)
{
  GbAuditSettings *s;
  guint n_cols;
  gboolean validate_all;

  g_return_if_fail (GB_IS_DATASET_PANE (self));

  if (self->dataset == NULL || self->draft == NULL)
    return;
  s = gb_audit_get_settings (self->draft);
  n_cols = gb_dataset_get_n_columns (self->dataset);
  validate_all = (double) gb_dataset_get_n_rows (self->dataset) * n_cols <= VALIDATE_ALL_CELLS;

  self->updating = TRUE;
  update_positive_menu (self);   /* message rows offer its values */
  clear_message_rows (self);
  for (guint i = 0; i < self->role_rows->len; i++)
    {
      AdwComboRow *row = g_ptr_array_index (self->role_rows, i);
      g_autoptr(GString) also = g_string_new (NULL);
      GbRole role = column_role (self, i, also);
      g_autofree char *subtitle = column_subtitle (self, i, also);
      g_autoptr(GPtrArray) messages = NULL;

      adw_combo_row_set_selected (row, role);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      if (validate_all || role != GB_ROLE_FEATURE || (int) i == self->selected)
        messages = column_messages (self, i);
      set_row_alert (row, messages);

      /* The audit's own roles: their warnings and errors next to the entries. */
      for (guint m = 0; messages != NULL && m < messages->len; m++)
        {
          GbRoleMessage *msg = g_ptr_array_index (messages, m);
          if (msg->severity != GB_ROLE_INFO && msg->role != GB_COLUMN_ROLE_FEATURE
              && msg->role != GB_COLUMN_ROLE_COVARIATE)
            add_message_row (self, self->conditions_group, msg);
        }
      if ((int) i == self->selected)
        update_column_group (self, messages);
    }
  set_entry_text (self->positive_row, s->positive);
  set_entry_text (self->treatment_row, s->treatment);
  set_entry_text (self->outcome_row, s->outcome);
  self->updating = FALSE;
}

static void
roles_edited (GbDatasetPane *self)
{
  gb_dataset_pane_refresh_roles (self);
  g_signal_emit (self, signals[SIGNAL_ROLES_CHANGED], 0);
}

static void
role_selected (AdwComboRow *row, GParamSpec *pspec, GbDatasetPane *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "gb-column"));
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating || self->draft == NULL || selected >= GB_N_ROLES)
    return;
  apply_role (self, index, (GbRole) selected);
  roles_edited (self);
}

static void
column_role_selected (AdwComboRow *row, GParamSpec *pspec, GbDatasetPane *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating || self->draft == NULL || self->selected < 0 || selected >= GB_N_ROLES)
    return;
  apply_role (self, (guint) self->selected, (GbRole) selected);
  roles_edited (self);
}

static void
column_type_selected (AdwComboRow *row, GParamSpec *pspec, GbDatasetPane *self)
{
  guint selected = adw_combo_row_get_selected (row);
  const GbColumn *col;
  const char *type = NULL;

  if (self->updating || self->dataset == NULL || self->selected < 0)
    return;
  col = gb_dataset_get_column (self->dataset, (guint) self->selected);
  if (selected > 0)
    type = gb_column_type_to_string ((GbColumnType) (selected - 1));
  if (!col->type_forced && type == NULL)
    return;
  if (col->type_forced && type != NULL && (GbColumnType) (selected - 1) == col->logical_type)
    return;
  g_signal_emit (self, signals[SIGNAL_COLUMN_TYPE_CHANGED], 0, col->name, type);
}

static void
entry_changed (AdwEntryRow *row, GbDatasetPane *self)
{
  GbAuditSettings *s;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (self->updating || self->draft == NULL)
    return;
  s = gb_audit_get_settings (self->draft);

  if (row == self->positive_row)
    set_string (&s->positive, stripped);
  else if (row == self->treatment_row)
    set_string (&s->treatment, stripped);
  else if (row == self->outcome_row)
    set_string (&s->outcome, stripped);

  roles_edited (self);
}

/* ---- background work: sorting, summaries, figures ------------------------- */

typedef struct {
  GWeakRef pane;
  GbDataset *dataset;
  guint column;
  gboolean descending;
} PaneTask;

static PaneTask *
pane_task_new (GbDatasetPane *self, guint column, gboolean descending)
{
  PaneTask *task = g_new0 (PaneTask, 1);

  g_weak_ref_init (&task->pane, self);
  task->dataset = g_object_ref (self->dataset);
  task->column = column;
  task->descending = descending;
  return task;
}

static void
pane_task_free (gpointer data)
{
  PaneTask *task = data;

  g_weak_ref_clear (&task->pane);
  g_clear_object (&task->dataset);
  g_free (task);
}

static gboolean
use_queue (GbDatasetPane *self)
{
  return self->queue != NULL && gb_dataset_get_n_rows (self->dataset) > self->async_rows;
}

static void
cancel_job (GbJob **job)
{
  if (*job != NULL)
    {
      gb_job_cancel (*job);
      gb_job_unref (*job);
      *job = NULL;
    }
}

static void update_summary (GbDatasetPane *self);

/* Shows the rows in @order (transfer full; NULL: the file's order).  The view
 * gets a new model rather than ::items-changed over every row: GTK's list
 * item manager would ask the model for every item of the changed range,
 * making a million items per sort. */
static void
set_order (GbDatasetPane *self, guint32 *order)
{
  g_autoptr(GtkSingleSelection) selection = NULL;
  GbRowModel *rows = gb_row_model_new (gb_dataset_get_n_rows (self->dataset));

  gb_row_model_set_order (rows, order);   /* no view listens yet */
  g_clear_object (&self->rows);
  self->rows = rows;
  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  update_summary (self);
}

static gboolean
sort_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  PaneTask *task = task_data;
  const GbColumn *col = gb_dataset_get_column (task->dataset, task->column);

  gb_job_report_progress (job, -1, NULL);
  gb_job_set_result (job, compute_order (col, task->descending), g_free);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static void
sort_done (GbJob *job, const GError *error, gpointer user_data)
{
  PaneTask *task = gb_job_get_task_data (job);
  g_autoptr(GbDatasetPane) self = g_weak_ref_get (&task->pane);

  if (self == NULL || job != self->sort_job)
    return;
  g_clear_pointer (&self->sort_job, gb_job_unref);
  if (error == NULL && self->rows != NULL && task->dataset == self->dataset)
    set_order (self, gb_job_steal_result (job));
  else
    update_summary (self);
}

static void
sort_rows (GbDatasetPane *self, int column, gboolean descending)
{
  cancel_job (&self->sort_job);
  self->sort_column = column;
  self->sort_descending = descending;

  if (column < 0)
    set_order (self, NULL);
  else if (!use_queue (self))
    set_order (self, compute_order (gb_dataset_get_column (self->dataset, (guint) column),
                                    descending));
  else
    {
      self->sort_job = gb_job_ref (gb_job_queue_push (self->queue, "sort-rows", sort_worker,
                                                      pane_task_new (self, (guint) column,
                                                                     descending),
                                                      pane_task_free, NULL, sort_done, NULL));
      update_summary (self);
    }
}

static void
view_sorter_changed (GtkSorter *sorter, GtkSorterChange change, GbDatasetPane *self)
{
  gboolean descending = FALSE;
  int column;

  if (self->dataset == NULL || self->rows == NULL)
    return;
  column = view_sort_column (self->column_view, &descending);
  if (column == self->sort_column && descending == self->sort_descending)
    return;
  sort_rows (self, column, descending);
  /* Clicking a header also shows that column's summary. */
  if (column >= 0)
    gb_dataset_pane_select_column (self, (guint) column);
}

static gboolean
summary_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  PaneTask *task = task_data;

  gb_job_set_result (job, gb_dataset_summarize_column (task->dataset, task->column, 10),
                     (GDestroyNotify) gb_column_summary_free);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static void
summary_done (GbJob *job, const GError *error, gpointer user_data)
{
  PaneTask *task = gb_job_get_task_data (job);
  g_autoptr(GbDatasetPane) self = g_weak_ref_get (&task->pane);

  if (self == NULL || job != self->summary_job)
    return;
  g_clear_pointer (&self->summary_job, gb_job_unref);
  if (error == NULL && task->dataset == self->dataset && (int) task->column == self->selected)
    gb_column_panel_set_summary (self->column_panel, gb_job_steal_result (job));
}

static void
show_column_summary (GbDatasetPane *self)
{
  cancel_job (&self->summary_job);
  if (self->selected < 0)
    {
      gb_column_panel_set_summary (self->column_panel, NULL);
      return;
    }
  if (!use_queue (self))
    gb_column_panel_set_summary (self->column_panel,
                                 gb_dataset_summarize_column (self->dataset,
                                                              (guint) self->selected, 10));
  else
    self->summary_job = gb_job_ref (gb_job_queue_push (self->queue, "summarize-column",
                                                       summary_worker,
                                                       pane_task_new (self, (guint) self->selected,
                                                                      FALSE),
                                                       pane_task_free, NULL, summary_done, NULL));
}

static gboolean
figures_worker (GbJob *job, gpointer task_data, GCancellable *cancellable, GError **error)
{
  PaneTask *task = task_data;
  GbDatasetSummary *figures = g_new0 (GbDatasetSummary, 1);

  gb_dataset_summarize (task->dataset, figures);
  gb_job_set_result (job, figures, g_free);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static void
figures_done (GbJob *job, const GError *error, gpointer user_data)
{
  PaneTask *task = gb_job_get_task_data (job);
  g_autoptr(GbDatasetPane) self = g_weak_ref_get (&task->pane);

  if (self == NULL || error != NULL || task->dataset != self->dataset)
    return;
  self->figures = *(GbDatasetSummary *) gb_job_get_result (job);
  self->has_figures = TRUE;
  update_summary (self);
}

/* ---- the preview ---------------------------------------------------------- */

/* A press anywhere in the table shows the summary of the column under it:
 * one gesture on the view, the cell found by picking (a gesture per cell
 * would cost a controller for each of the thousands of cells GTK makes). */
static void
table_pressed (GtkGestureClick *gesture, int n_press, double x, double y, GbDatasetPane *self)
{
  GtkWidget *view = GTK_WIDGET (self->column_view);
  GtkWidget *w = gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT);

  for (; w != NULL && w != view; w = gtk_widget_get_parent (w))
    if (GTK_IS_INSCRIPTION (w) && g_object_get_data (G_OBJECT (w), "gb-pane") == self)
      {
        gb_dataset_pane_select_column (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (w),
                                                                                  "gb-column")));
        return;
      }
}

static void
cell_setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "gb-numeric"));
  int nat_chars = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "gb-nat-chars"));
  GtkWidget *label = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (label), numeric ? 1.0 : 0.0);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), 3);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), nat_chars);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "gb-pane", user_data);
  g_object_set_data (G_OBJECT (label), "gb-column",
                     g_object_get_data (G_OBJECT (factory), "gb-column"));
  gtk_list_item_set_child (item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GbDataset *ds = g_object_get_data (G_OBJECT (factory), "gb-dataset");
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "gb-column"));
  GbRowItem *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  if (ds == NULL || row == NULL || label == NULL)
    return;
  text = gb_dataset_format_cell (ds, column, gb_row_item_get_row (row));
  if (text == NULL)
    {
      gtk_inscription_set_text (GTK_INSCRIPTION (label), _("missing"));
      gtk_widget_add_css_class (label, "missing-cell");
    }
  else
    {
      gtk_inscription_set_text (GTK_INSCRIPTION (label), text);
      gtk_widget_remove_css_class (label, "missing-cell");
    }
}

static int
natural_chars (const GbColumn *col)
{
  /* The header also holds the type icon and the sort arrow. */
  int chars = (int) g_utf8_strlen (col->name, -1) + 6;

  switch (col->type)
    {
    case GB_COLUMN_NUMERIC:
      chars = MAX (chars, col->logical_type == GB_COLUMN_DATE ? 11 : 8);
      break;
    case GB_COLUMN_CATEGORICAL:
      {
        int longest = 0;
        for (guint i = 0; col->levels != NULL && i < col->levels->len; i++)
          longest = MAX (longest, (int) g_utf8_strlen (g_ptr_array_index (col->levels, i), -1));
        chars = MAX (chars, MIN (longest, 24));
        break;
      }
    case GB_COLUMN_TEXT:
    default:
      chars = MAX (chars, 32);
      break;
    }
  return chars;
}

static void
clear_columns (GbDatasetPane *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->column_view, column);
    }
  gtk_column_view_set_model (self->column_view, NULL);
}

/* GtkColumnViewColumn has a title only; the type icon goes into the header
 * button GTK makes for it (a GtkColumnViewTitle holding a box with the title
 * label and the sort arrow).  Checked at every step, so a GTK with another
 * layout just shows no icon. */
static void
decorate_headers (GbDatasetPane *self)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
  GtkWidget *title;
  guint i = 0;

  if (header == NULL || g_strcmp0 (gtk_widget_get_css_name (header), "header") != 0)
    return;
  for (title = gtk_widget_get_first_child (header); title != NULL;
       title = gtk_widget_get_next_sibling (title), i++)
    {
      GtkWidget *box = gtk_widget_get_first_child (title);
      GtkWidget *label = box != NULL ? gtk_widget_get_first_child (box) : NULL;
      const GbColumn *col;
      GtkWidget *icon;
      g_autofree char *tooltip = NULL;

      if (i >= gb_dataset_get_n_columns (self->dataset) || !GTK_IS_BOX (box)
          || !GTK_IS_LABEL (label))
        return;
      col = gb_dataset_get_column (self->dataset, i);
      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), col->name) != 0)
        return;
      if (GTK_IS_IMAGE (gtk_widget_get_prev_sibling (label)))
        continue;
      icon = gtk_image_new_from_icon_name (type_icon_name (col->logical_type));
      gtk_widget_add_css_class (icon, "column-type-icon");
      gtk_widget_set_margin_end (icon, 6);
      gtk_box_prepend (GTK_BOX (box), icon);
      tooltip = g_strdup_printf (_("%s — %s; click to sort"), col->name,
                                 type_display_name (col->logical_type));
      gtk_widget_set_tooltip_text (title, tooltip);
    }
}

static void
build_preview (GbDatasetPane *self)
{
  g_autoptr(GtkSingleSelection) selection = NULL;

  cancel_job (&self->sort_job);
  clear_columns (self);
  g_clear_object (&self->rows);
  self->sort_column = -1;
  self->sort_descending = FALSE;

  self->rows = gb_row_model_new (gb_dataset_get_n_rows (self->dataset));
  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);

  for (guint i = 0; i < gb_dataset_get_n_columns (self->dataset); i++)
    {
      const GbColumn *col = gb_dataset_get_column (self->dataset, i);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GbProbeSorter) sorter = g_object_new (GB_TYPE_PROBE_SORTER, NULL);

      g_object_set_data_full (G_OBJECT (factory), "gb-dataset", g_object_ref (self->dataset),
                              g_object_unref);
      g_object_set_data (G_OBJECT (factory), "gb-column", GUINT_TO_POINTER (i));
      g_object_set_data (G_OBJECT (factory), "gb-numeric",
                         GINT_TO_POINTER (col->type == GB_COLUMN_NUMERIC));
      g_object_set_data (G_OBJECT (factory), "gb-nat-chars", GINT_TO_POINTER (natural_chars (col)));
      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), self);
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), NULL);

      column = gtk_column_view_column_new (col->name, factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      sorter->column = i;
      gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
      gtk_column_view_append_column (self->column_view, column);
    }

  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  decorate_headers (self);
}

static void
build_role_rows (GbDatasetPane *self)
{
  GtkStringList *roles = gtk_string_list_new (NULL);
  GtkStringList *names = gtk_string_list_new (NULL);

  for (guint r = 0; r < GB_N_ROLES; r++)
    gtk_string_list_append (roles, gb_role_to_string (r));

  if (self->columns_group != NULL)
    adw_preferences_page_remove (self->roles_page, self->columns_group);
  g_ptr_array_set_size (self->role_rows, 0);

  self->columns_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->columns_group, _("Columns"));
  adw_preferences_group_set_description (self->columns_group,
                                         _("Protected attributes and covariates are also model features."));

  for (guint i = 0; i < gb_dataset_get_n_columns (self->dataset); i++)
    {
      const GbColumn *col = gb_dataset_get_column (self->dataset, i);
      GtkWidget *row = adw_combo_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (type_icon_name (col->logical_type));
      GtkWidget *alert = gtk_image_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), col->name);
      gtk_widget_set_tooltip_text (icon, type_display_name (col->logical_type));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_set_visible (alert, FALSE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), alert);
      g_object_set_data (G_OBJECT (row), "gb-alert", alert);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (roles));
      g_object_set_data (G_OBJECT (row), "gb-column", GUINT_TO_POINTER (i));
      g_signal_connect (row, "notify::selected", G_CALLBACK (role_selected), self);
      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->role_rows, row);
      gtk_string_list_append (names, col->name);
    }
  adw_preferences_page_add (self->roles_page, self->columns_group);
  g_object_unref (roles);

  self->updating = TRUE;
  gtk_drop_down_set_model (self->column_dropdown, G_LIST_MODEL (names));
  self->updating = FALSE;
  g_object_unref (names);
}

static char *
format_bytes (gsize bytes)
{
  return g_format_size (bytes);
}

static void
update_summary (GbDatasetPane *self)
{
  g_autofree char *basename = NULL;
  gsize n_rows;
  guint n_cols;
  gsize n_missing = 0;
  GString *summary;
  g_autofree char *tooltip = NULL;

  if (self->dataset == NULL)
    return;
  basename = g_path_get_basename (gb_dataset_get_path (self->dataset));
  n_rows = gb_dataset_get_n_rows (self->dataset);
  n_cols = gb_dataset_get_n_columns (self->dataset);
  for (guint i = 0; i < n_cols; i++)
    n_missing += gb_dataset_get_column (self->dataset, i)->n_missing;

  summary = g_string_new (NULL);
  g_string_append_printf (summary, _("%'zu rows · %u columns · %'zu missing cells"),
                          (size_t) n_rows, n_cols, (size_t) n_missing);
  if (self->has_figures)
    {
      g_autofree char *size = format_bytes (self->figures.memory_bytes);
      g_string_append_printf (summary, ngettext (" · %'zu duplicate row", " · %'zu duplicate rows",
                                                 self->figures.duplicate_rows),
                              (size_t) self->figures.duplicate_rows);
      g_string_append_printf (summary, _(" · %s in memory"), size);
    }
  if (self->sort_job != NULL)
    g_string_append (summary, _(" · sorting…"));
  else if (self->sort_column >= 0)
    g_string_append_printf (summary, self->sort_descending ? _(" · sorted by %s ↓")
                                                          : _(" · sorted by %s ↑"),
                            gb_dataset_get_column (self->dataset,
                                                   (guint) self->sort_column)->name);

  tooltip = g_strdup_printf ("%s\nsha256 %s", gb_dataset_get_path (self->dataset),
                             gb_dataset_get_sha256 (self->dataset) != NULL
                               ? gb_dataset_get_sha256 (self->dataset) : "—");
  gtk_label_set_text (self->summary_title, basename);
  gtk_label_set_text (self->summary_label, summary->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_title), tooltip);
  g_string_free (summary, TRUE);
}

static void
compute_figures (GbDatasetPane *self)
{
  self->has_figures = FALSE;
  if (!use_queue (self))
    {
      gb_dataset_summarize (self->dataset, &self->figures);
      self->has_figures = TRUE;
    }
  else
    {
      GbJob *job = gb_job_queue_push (self->queue, "dataset-figures", figures_worker,
                                      pane_task_new (self, 0, FALSE), pane_task_free, NULL,
                                      figures_done, NULL);
      (void) job;
    }
}

static void
update_notices (GbDatasetPane *self)
{
  GPtrArray *notices = gb_dataset_get_notices (self->dataset);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < notices->len; i++)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (notices, i));
    }
  gtk_label_set_text (self->notices_label, text->str);
  gtk_revealer_set_reveal_child (self->notices_revealer, notices->len > 0);
}

static void
notices_close_clicked (GbDatasetPane *self)
{
  gtk_revealer_set_reveal_child (self->notices_revealer, FALSE);
}

static void
dropdown_selected (GtkDropDown *dropdown, GParamSpec *pspec, GbDatasetPane *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating || self->dataset == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  gb_dataset_pane_select_column (self, selected);
}

/* ---- the start page: recent files and examples ---------------------------- */

static void
clear_rows (AdwPreferencesGroup *group, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
new_link_row (const char *title, const char *subtitle, const char *action, const char *target,
              const char *icon_name)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* use-markup FALSE covers the subtitle too: the text goes in as it is
   * (escaping it showed "model&apos;s") */
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_name));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", target);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
build_examples (GbDatasetPane *self)
{
  g_autoptr(GPtrArray) examples = gb_examples_list ();

  clear_rows (self->examples_group, self->example_rows);
  for (guint i = 0; i < examples->len; i++)
    {
      GbExample *ex = g_ptr_array_index (examples, i);
      GtkWidget *row = new_link_row (ex->title, ex->description, "win.open-example-named", ex->id,
                                     "folder-documents-symbolic");
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_set_tooltip_text (row, ex->csv_path);
      adw_preferences_group_add (self->examples_group, row);
      g_ptr_array_add (self->example_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->examples_group), examples->len > 0);
}

static int
compare_recent (gconstpointer a, gconstpointer b)
{
  GDateTime *ta = gtk_recent_info_get_modified ((GtkRecentInfo *) a);
  GDateTime *tb = gtk_recent_info_get_modified ((GtkRecentInfo *) b);

  return -g_date_time_compare (ta, tb);
}

static void
build_recent (GbDatasetPane *self)
{
  GList *items = gtk_recent_manager_get_items (self->recent);
  guint shown = 0;

  clear_rows (self->recent_group, self->recent_rows);
  items = g_list_sort (items, compare_recent);
  for (GList *l = items; l != NULL && shown < 5; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      g_autoptr(GFile) file = NULL;
      g_autofree char *path = NULL;
      g_autofree char *folder = NULL;
      GtkWidget *row;

      if (!gtk_recent_info_has_application (info, GB_RECENT_APP_NAME) || !gtk_recent_info_is_local (info))
        continue;
      file = g_file_new_for_uri (gtk_recent_info_get_uri (info));
      path = g_file_get_path (file);
      if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      folder = g_path_get_dirname (path);
      {
        g_autofree char *display = g_filename_display_name (folder);
        g_autofree char *base = g_path_get_basename (path);
        g_autofree char *display_base = g_filename_display_name (base);
        row = new_link_row (display_base, display, "win.open-recent", path,
                            g_str_has_suffix (path, ".glassbox") ? "document-properties-symbolic"
                                                                 : "x-office-spreadsheet-symbolic");
      }
      adw_preferences_group_add (self->recent_group, row);
      g_ptr_array_add (self->recent_rows, row);
      shown++;
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), shown > 0);
}

/* ---- public --------------------------------------------------------------- */

void
gb_dataset_pane_show_start (GbDatasetPane *self)
{
  g_return_if_fail (GB_IS_DATASET_PANE (self));
  build_recent (self);
  gtk_stack_set_visible_child_name (self->stack, "start");
}

void
gb_dataset_pane_show_loading (GbDatasetPane *self, const char *path)
{
  g_autofree char *basename = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (GB_IS_DATASET_PANE (self));

  basename = g_path_get_basename (path);
  title = g_strdup_printf (_("Loading “%s”…"), basename);
  adw_status_page_set_title (self->loading_page, title);
  {
    g_autofree char *escaped = g_markup_escape_text (path, -1);
    adw_status_page_set_description (self->loading_page, escaped);
  }
  gtk_progress_bar_set_fraction (self->load_progress, 0);
  gtk_progress_bar_set_text (self->load_progress, NULL);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

void
gb_dataset_pane_set_progress (GbDatasetPane *self, double fraction, const char *message)
{
  g_return_if_fail (GB_IS_DATASET_PANE (self));

  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->load_progress, CLAMP (fraction, 0, 1));
  else
    gtk_progress_bar_pulse (self->load_progress);
  if (message != NULL)
    gtk_progress_bar_set_text (self->load_progress, message);
}

void
gb_dataset_pane_set_job_queue (GbDatasetPane *self, GbJobQueue *queue)
{
  g_return_if_fail (GB_IS_DATASET_PANE (self));
  g_set_object (&self->queue, queue);
}

static int
default_selection (GbDatasetPane *self)
{
  GbAuditSettings *s = gb_audit_get_settings (self->draft);
  int col = expression_column (self->dataset, s->target);

  if (col < 0)
    col = expression_column (self->dataset, s->treatment);
  if (col < 0 && gb_dataset_get_n_columns (self->dataset) > 0)
    col = 0;
  return col;
}

void
gb_dataset_pane_set_dataset (GbDatasetPane *self, GbDataset *dataset, GbAudit *draft)
{
  g_return_if_fail (GB_IS_DATASET_PANE (self));
  g_return_if_fail (GB_IS_DATASET (dataset));
  g_return_if_fail (GB_IS_AUDIT (draft));

  g_object_ref (dataset);
  g_object_ref (draft);
  g_clear_object (&self->draft);
  self->draft = draft;

  if (dataset != self->dataset || self->rows == NULL)
    {
      cancel_job (&self->summary_job);
      g_clear_object (&self->dataset);
      self->dataset = dataset;
      self->selected = -1;
      g_clear_pointer (&self->identifier_like, g_free);
      g_hash_table_remove_all (self->excluded);
      build_preview (self);
      build_role_rows (self);
      compute_figures (self);
      update_summary (self);
      update_notices (self);
      self->selected = default_selection (self);
      show_column_summary (self);
    }
  else
    g_object_unref (dataset);

  gb_dataset_pane_refresh_roles (self);
  gtk_stack_set_visible_child_name (self->stack, "data");
}

void
gb_dataset_pane_select_column (GbDatasetPane *self, guint index)
{
  g_return_if_fail (GB_IS_DATASET_PANE (self));

  if (self->dataset == NULL || index >= gb_dataset_get_n_columns (self->dataset))
    return;
  if ((int) index == self->selected)
    return;
  self->selected = (int) index;
  show_column_summary (self);
  gb_dataset_pane_refresh_roles (self);
}

int
gb_dataset_pane_get_selected_column (GbDatasetPane *self)
{
  g_return_val_if_fail (GB_IS_DATASET_PANE (self), -1);
  return self->selected;
}

void
gb_dataset_pane_set_editable (GbDatasetPane *self, gboolean editable)
{
  g_return_if_fail (GB_IS_DATASET_PANE (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->conditions_group), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->column_role_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->column_type_row), editable);
  if (self->columns_group != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (self->columns_group), editable);
}

int
gb_dataset_pane_get_role (GbDatasetPane *self, const char *name)
{
  int index;

  g_return_val_if_fail (GB_IS_DATASET_PANE (self), -1);

  if (self->dataset == NULL || self->draft == NULL)
    return -1;
  index = gb_dataset_find_column (self->dataset, name);
  if (index < 0)
    return -1;
  return (int) column_role (self, (guint) index, NULL);
}

void
gb_dataset_pane_set_role (GbDatasetPane *self, const char *name, GbRole role)
{
  int index;

  g_return_if_fail (GB_IS_DATASET_PANE (self));
  g_return_if_fail (role < GB_N_ROLES);

  if (self->dataset == NULL || self->draft == NULL)
    return;
  index = gb_dataset_find_column (self->dataset, name);
  if (index < 0)
    return;
  /* Through the combo row, exactly as a person would. */
  adw_combo_row_set_selected (g_ptr_array_index (self->role_rows, index), role);
}

/* ---- GObject -------------------------------------------------------------- */

static void
gb_dataset_pane_dispose (GObject *object)
{
  GbDatasetPane *self = GB_DATASET_PANE (object);

  cancel_job (&self->sort_job);
  cancel_job (&self->summary_job);
  if (self->recent != NULL)
    g_signal_handlers_disconnect_by_data (self->recent, self);
  g_clear_object (&self->recent);
  if (self->column_view != NULL)
    {
      GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
      if (sorter != NULL)
        g_signal_handlers_disconnect_by_data (sorter, self);
      clear_columns (self);
    }
  /* No gtk_widget_dispose_template(): AdwBin unparents the template's child
   * itself, and would unparent a dead pointer after it. */
  g_clear_object (&self->rows);
  g_clear_object (&self->queue);
  g_clear_object (&self->dataset);
  g_clear_object (&self->draft);
  g_clear_pointer (&self->role_rows, g_ptr_array_unref);
  g_clear_pointer (&self->excluded, g_hash_table_unref);
  g_clear_pointer (&self->identifier_like, g_free);
  g_clear_pointer (&self->message_rows, g_ptr_array_unref);
  g_clear_pointer (&self->recent_rows, g_ptr_array_unref);
  g_clear_pointer (&self->example_rows, g_ptr_array_unref);
  g_clear_object (&self->positive_values);
  g_clear_pointer (&self->positive_for, g_free);
  self->columns_group = NULL;

  G_OBJECT_CLASS (gb_dataset_pane_parent_class)->dispose (object);
}

static void
gb_dataset_pane_class_init (GbDatasetPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gb_dataset_pane_dispose;

  /**
   * GbDatasetPane::roles-changed:
   * Emitted after the person edited a role (the draft's settings changed).
   */
  signals[SIGNAL_ROLES_CHANGED] =
    g_signal_new ("roles-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * GbDatasetPane::column-type-changed:
   * @column: the column's name
   * @type: (nullable): "numeric", "categorical", "text", "boolean" or
   *   "date", or %NULL to detect the type again
   *
   * Emitted when the person chose how a column is read; the file has to be
   * read again with the new type.
   */
  signals[SIGNAL_COLUMN_TYPE_CHANGED] =
    g_signal_new ("column-type-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "pane.set-positive", "s", set_positive_activated);
  g_type_ensure (GB_TYPE_COLUMN_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/glassbox/Glassbox/ui/gb-dataset-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, stack);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, recent_group);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, examples_group);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, loading_page);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, load_progress);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, summary_title);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, summary_label);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, notices_revealer);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, notices_label);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, notices_close);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, column_view);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, roles_page);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, column_group);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, column_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, column_role_row);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, column_type_row);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, summary_group);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, column_panel);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, conditions_group);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, positive_row);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, treatment_row);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, outcome_row);
}

static void
gb_dataset_pane_init (GbDatasetPane *self)
{
  static gsize icons_added = 0;
  GtkStringList *roles = gtk_string_list_new (NULL);
  GtkStringList *types = gtk_string_list_new (NULL);
  GtkSorter *sorter;

  /* The type icons live in the resource (an application adds this path
   * itself; a window made without one, as in the tests, needs it too). */
  if (g_once_init_enter (&icons_added))
    {
      GdkDisplay *display = gdk_display_get_default ();
      if (display != NULL)
        gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                          "/org/glassbox/Glassbox/icons");
      g_once_init_leave (&icons_added, 1);
    }

  gtk_widget_init_template (GTK_WIDGET (self));
  self->role_rows = g_ptr_array_new ();
  self->excluded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->message_rows = g_ptr_array_new ();
  self->recent_rows = g_ptr_array_new ();
  self->example_rows = g_ptr_array_new ();
  self->selected = -1;
  self->sort_column = -1;
  self->async_rows = ASYNC_ROWS;

  for (guint r = 0; r < GB_N_ROLES; r++)
    gtk_string_list_append (roles, gb_role_to_string (r));
  adw_combo_row_set_model (self->column_role_row, G_LIST_MODEL (roles));
  g_object_unref (roles);
  gtk_string_list_append (types, _("Detected"));
  for (GbColumnType t = GB_COLUMN_NUMERIC; t <= GB_COLUMN_DATE; t++)
    {
      g_autofree char *name = g_strdup (type_display_name (t));
      name[0] = g_ascii_toupper (name[0]);
      gtk_string_list_append (types, name);
    }
  adw_combo_row_set_model (self->column_type_row, G_LIST_MODEL (types));
  g_object_unref (types);

  self->positive_values = g_menu_new ();
  self->positive_menu = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->positive_menu, "view-list-symbolic");
  gtk_menu_button_set_menu_model (self->positive_menu, G_MENU_MODEL (self->positive_values));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->positive_menu), _("Choose One of the Target’s Values"));
  gtk_widget_set_valign (GTK_WIDGET (self->positive_menu), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->positive_menu), "flat");
  gtk_widget_set_visible (GTK_WIDGET (self->positive_menu), FALSE);
  adw_entry_row_add_suffix (self->positive_row, GTK_WIDGET (self->positive_menu));
  g_signal_connect (self->positive_row, "changed", G_CALLBACK (entry_changed), self);
  g_signal_connect (self->treatment_row, "changed", G_CALLBACK (entry_changed), self);
  g_signal_connect (self->outcome_row, "changed", G_CALLBACK (entry_changed), self);
  g_signal_connect (self->column_role_row, "notify::selected", G_CALLBACK (column_role_selected),
                    self);
  g_signal_connect (self->column_type_row, "notify::selected", G_CALLBACK (column_type_selected),
                    self);
  g_signal_connect (self->column_dropdown, "notify::selected", G_CALLBACK (dropdown_selected), self);
  g_signal_connect_swapped (self->notices_close, "clicked", G_CALLBACK (notices_close_clicked),
                            self);
  {
    GtkGesture *click = gtk_gesture_click_new ();
    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
    g_signal_connect (click, "pressed", G_CALLBACK (table_pressed), self);
    gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (click));
  }
  sorter = gtk_column_view_get_sorter (self->column_view);
  if (sorter != NULL)
    g_signal_connect (sorter, "changed", G_CALLBACK (view_sorter_changed), self);

  self->recent = g_object_ref (gtk_recent_manager_get_default ());
  g_signal_connect_swapped (self->recent, "changed", G_CALLBACK (build_recent), self);
  build_examples (self);
  build_recent (self);
}

/* ---- testing -------------------------------------------------------------- */

#ifdef GB_TESTING
GtkColumnView *
gb_dataset_pane_get_column_view (GbDatasetPane *self)
{
  return self->column_view;
}

GListModel *
gb_dataset_pane_get_row_model (GbDatasetPane *self)
{
  return self->rows != NULL ? G_LIST_MODEL (self->rows) : NULL;
}

const char *
gb_dataset_pane_get_visible_page (GbDatasetPane *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

guint
gb_dataset_pane_get_n_role_rows (GbDatasetPane *self)
{
  return self->role_rows->len;
}

GbColumnPanel *
gb_dataset_pane_get_column_panel (GbDatasetPane *self)
{
  return self->column_panel;
}

void
gb_dataset_pane_set_async_rows (GbDatasetPane *self, gsize rows)
{
  self->async_rows = rows;
}

const char *
gb_dataset_pane_get_header_icon (GbDatasetPane *self, guint column)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
  GtkWidget *title = header != NULL ? gtk_widget_get_first_child (header) : NULL;

  for (guint i = 0; title != NULL && i < column; i++)
    title = gtk_widget_get_next_sibling (title);
  if (title == NULL || gtk_widget_get_first_child (title) == NULL)
    return NULL;
  for (GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_first_child (title)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_IMAGE (w))
      return gtk_image_get_icon_name (GTK_IMAGE (w));
  return NULL;
}

GPtrArray *
gb_dataset_pane_get_messages (GbDatasetPane *self, gboolean selected_column_only)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < self->message_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->message_rows, i);
      if (!selected_column_only
          || g_object_get_data (G_OBJECT (row), "gb-group") == self->column_group)
        g_ptr_array_add (out, g_object_get_data (G_OBJECT (row), "gb-message"));
    }
  return out;
}

const char *
gb_dataset_pane_get_notices_text (GbDatasetPane *self)
{
  return gtk_revealer_get_reveal_child (self->notices_revealer)
           ? gtk_label_get_text (self->notices_label) : NULL;
}

guint
gb_dataset_pane_get_n_recent_rows (GbDatasetPane *self)
{
  return self->recent_rows->len;
}

guint
gb_dataset_pane_get_n_example_rows (GbDatasetPane *self)
{
  return self->example_rows->len;
}

AdwComboRow *
gb_dataset_pane_get_column_type_row (GbDatasetPane *self)
{
  return self->column_type_row;
}

GMenuModel *
gb_dataset_pane_get_positive_choices (GbDatasetPane *self)
{
  return G_MENU_MODEL (self->positive_values);
}

gboolean
gb_dataset_pane_is_sorting (GbDatasetPane *self)
{
  return self->sort_job != NULL;
}
#endif
