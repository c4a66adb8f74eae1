/* gb-dataset-pane.c — the Dataset pane.
 *
 * Three pages: the start page (Open CSV…, Open Example), a loading page with
 * a progress bar, and the data page: a GtkColumnView preview over a lazy
 * GListModel of row items (cells formatted by gb_dataset_format_cell(),
 * missing cells shown as a dim italic "missing"), and a side list with one
 * AdwComboRow per column that edits the draft audit's settings.
 *
 * The settings are the single source of truth: every combo row shows the
 * role derived from them, and choosing a role rewrites them.  A column can
 * hold several roles in the settings (the Adult example's sex is protected
 * and a covariate); the combo shows the first and the subtitle the rest. */
#include "gb-config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "gb-dataset-pane.h"
#include "gb-dataset-pane-private.h"

/* ---- row items and the lazy row model ------------------------------------- */

#define GB_TYPE_ROW_ITEM (gb_row_item_get_type ())
G_DECLARE_FINAL_TYPE (GbRowItem, gb_row_item, GB, ROW_ITEM, GObject)

struct _GbRowItem {
  GObject parent_instance;
  gsize index;
};

G_DEFINE_FINAL_TYPE (GbRowItem, gb_row_item, G_TYPE_OBJECT)

static void gb_row_item_class_init (GbRowItemClass *klass) {}
static void gb_row_item_init (GbRowItem *self) {}

#define GB_TYPE_ROW_MODEL (gb_row_model_get_type ())
G_DECLARE_FINAL_TYPE (GbRowModel, gb_row_model, GB, ROW_MODEL, GObject)

struct _GbRowModel {
  GObject parent_instance;
  gsize n_rows;
};

static GType
gb_row_model_get_item_type (GListModel *model)
{
  return GB_TYPE_ROW_ITEM;
}

static guint
gb_row_model_get_n_items (GListModel *model)
{
  return (guint) MIN (GB_ROW_MODEL (model)->n_rows, G_MAXUINT);
}

static gpointer
gb_row_model_get_item (GListModel *model, guint position)
{
  GbRowItem *item;

  if (position >= GB_ROW_MODEL (model)->n_rows)
    return NULL;
  item = g_object_new (GB_TYPE_ROW_ITEM, NULL);
  item->index = position;
  return item;
}

static void
gb_row_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gb_row_model_get_item_type;
  iface->get_n_items = gb_row_model_get_n_items;
  iface->get_item = gb_row_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (GbRowModel, gb_row_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      gb_row_model_list_model_init))

static void gb_row_model_class_init (GbRowModelClass *klass) {}
static void gb_row_model_init (GbRowModel *self) {}

static GbRowModel *
gb_row_model_new (gsize n_rows)
{
  GbRowModel *self = g_object_new (GB_TYPE_ROW_MODEL, NULL);
  self->n_rows = n_rows;
  return self;
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
    case GB_N_ROLES:
    default:                return "";
    }
}

/* ---- the pane ------------------------------------------------------------- */

struct _GbDatasetPane {
  AdwBin parent_instance;

  /* template children */
  GtkStack *stack;
  AdwStatusPage *loading_page;
  GtkProgressBar *load_progress;
  GtkLabel *summary_title;
  GtkLabel *summary_label;
  GtkColumnView *column_view;
  AdwPreferencesPage *roles_page;
  AdwPreferencesGroup *conditions_group;
  AdwEntryRow *positive_row;
  AdwEntryRow *treatment_row;
  AdwEntryRow *outcome_row;

  GbDataset *dataset;           /* (owned) (nullable) */
  GbAudit *draft;               /* (owned) (nullable) */
  GbRowModel *rows;             /* (owned) (nullable) */
  AdwPreferencesGroup *columns_group;   /* (nullable) inside roles_page */
  GPtrArray *role_rows;         /* (element-type AdwComboRow) one per column */
  gboolean updating;
};

G_DEFINE_FINAL_TYPE (GbDatasetPane, gb_dataset_pane, ADW_TYPE_BIN)

enum { SIGNAL_ROLES_CHANGED, N_SIGNALS };
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
    return strv_has (s->features, col->name) ? GB_ROLE_FEATURE : GB_ROLE_IGNORE;
  return col->type == GB_COLUMN_TEXT ? GB_ROLE_IGNORE : GB_ROLE_FEATURE;
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

  if (role == GB_ROLE_IGNORE)
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
    case GB_ROLE_FEATURE:
    case GB_ROLE_IGNORE:
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

static char *
column_subtitle (GbDatasetPane *self, guint index, GString *also)
{
  const GbColumn *col = gb_dataset_get_column (self->dataset, index);
  GString *s = g_string_new (gb_column_type_to_string (col->type));

  if (col->type == GB_COLUMN_CATEGORICAL && col->levels != NULL)
    g_string_append_printf (s, ngettext (" · %u level", " · %u levels", col->levels->len),
                            col->levels->len);
  if (col->n_missing > 0)
    g_string_append_printf (s, _(" · %zu missing"), (size_t) col->n_missing);
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

void
gb_dataset_pane_refresh_roles (GbDatasetPane *self)
{
  GbAuditSettings *s;

  g_return_if_fail (GB_IS_DATASET_PANE (self));

  if (self->dataset == NULL || self->draft == NULL)
    return;
  s = gb_audit_get_settings (self->draft);

  self->updating = TRUE;
  for (guint i = 0; i < self->role_rows->len; i++)
    {
      AdwComboRow *row = g_ptr_array_index (self->role_rows, i);
      g_autoptr(GString) also = g_string_new (NULL);
      GbRole role = column_role (self, i, also);
      g_autofree char *subtitle = column_subtitle (self, i, also);

      adw_combo_row_set_selected (row, role);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  set_entry_text (self->positive_row, s->positive);
  set_entry_text (self->treatment_row, s->treatment);
  set_entry_text (self->outcome_row, s->outcome);
  self->updating = FALSE;
}

static void
role_selected (AdwComboRow *row, GParamSpec *pspec, GbDatasetPane *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "gb-column"));
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating || self->draft == NULL || selected >= GB_N_ROLES)
    return;
  apply_role (self, index, (GbRole) selected);
  gb_dataset_pane_refresh_roles (self);
  g_signal_emit (self, signals[SIGNAL_ROLES_CHANGED], 0);
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

  gb_dataset_pane_refresh_roles (self);
  g_signal_emit (self, signals[SIGNAL_ROLES_CHANGED], 0);
}

/* ---- the preview ---------------------------------------------------------- */

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
  text = gb_dataset_format_cell (ds, column, row->index);
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
  int chars = (int) g_utf8_strlen (col->name, -1) + 2;

  switch (col->type)
    {
    case GB_COLUMN_NUMERIC:
      chars = MAX (chars, 8);
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

static void
build_preview (GbDatasetPane *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  clear_columns (self);
  g_clear_object (&self->rows);

  self->rows = gb_row_model_new (gb_dataset_get_n_rows (self->dataset));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));

  for (guint i = 0; i < gb_dataset_get_n_columns (self->dataset); i++)
    {
      const GbColumn *col = gb_dataset_get_column (self->dataset, i);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data_full (G_OBJECT (factory), "gb-dataset", g_object_ref (self->dataset),
                              g_object_unref);
      g_object_set_data (G_OBJECT (factory), "gb-column", GUINT_TO_POINTER (i));
      g_object_set_data (G_OBJECT (factory), "gb-numeric",
                         GINT_TO_POINTER (col->type == GB_COLUMN_NUMERIC));
      g_object_set_data (G_OBJECT (factory), "gb-nat-chars", GINT_TO_POINTER (natural_chars (col)));
      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), NULL);

      column = gtk_column_view_column_new (col->name, factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }

  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}

static void
build_role_rows (GbDatasetPane *self)
{
  GtkStringList *roles = gtk_string_list_new (NULL);

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

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), col->name);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (roles));
      g_object_set_data (G_OBJECT (row), "gb-column", GUINT_TO_POINTER (i));
      g_signal_connect (row, "notify::selected", G_CALLBACK (role_selected), self);
      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->role_rows, row);
    }
  adw_preferences_page_add (self->roles_page, self->columns_group);
  g_object_unref (roles);
}

static void
update_summary (GbDatasetPane *self)
{
  g_autofree char *basename = g_path_get_basename (gb_dataset_get_path (self->dataset));
  gsize n_rows = gb_dataset_get_n_rows (self->dataset);
  guint n_cols = gb_dataset_get_n_columns (self->dataset);
  gsize n_missing = 0;
  g_autofree char *summary = NULL;
  g_autofree char *tooltip = NULL;

  for (guint i = 0; i < n_cols; i++)
    n_missing += gb_dataset_get_column (self->dataset, i)->n_missing;

  summary = g_strdup_printf (_("%'zu rows · %u columns · %'zu missing cells"),
                             (size_t) n_rows, n_cols, (size_t) n_missing);
  tooltip = g_strdup_printf ("%s\nsha256 %s", gb_dataset_get_path (self->dataset),
                             gb_dataset_get_sha256 (self->dataset) != NULL
                               ? gb_dataset_get_sha256 (self->dataset) : "—");
  gtk_label_set_text (self->summary_title, basename);
  gtk_label_set_text (self->summary_label, summary);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_title), tooltip);
}

/* ---- public --------------------------------------------------------------- */

void
gb_dataset_pane_show_start (GbDatasetPane *self)
{
  g_return_if_fail (GB_IS_DATASET_PANE (self));
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
      g_clear_object (&self->dataset);
      self->dataset = dataset;
      build_preview (self);
      build_role_rows (self);
      update_summary (self);
    }
  else
    g_object_unref (dataset);

  gb_dataset_pane_refresh_roles (self);
  gtk_stack_set_visible_child_name (self->stack, "data");
}

void
gb_dataset_pane_set_editable (GbDatasetPane *self, gboolean editable)
{
  g_return_if_fail (GB_IS_DATASET_PANE (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->roles_page), editable);
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

  if (self->column_view != NULL)
    clear_columns (self);
  /* No gtk_widget_dispose_template(): AdwBin unparents the template's child
   * itself, and would unparent a dead pointer after it. */
  g_clear_object (&self->rows);
  g_clear_object (&self->dataset);
  g_clear_object (&self->draft);
  g_clear_pointer (&self->role_rows, g_ptr_array_unref);
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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/glassbox/Glassbox/ui/gb-dataset-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, stack);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, loading_page);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, load_progress);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, summary_title);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, summary_label);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, column_view);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, roles_page);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, conditions_group);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, positive_row);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, treatment_row);
  gtk_widget_class_bind_template_child (widget_class, GbDatasetPane, outcome_row);
}

static void
gb_dataset_pane_init (GbDatasetPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->role_rows = g_ptr_array_new ();

  g_signal_connect (self->positive_row, "changed", G_CALLBACK (entry_changed), self);
  g_signal_connect (self->treatment_row, "changed", G_CALLBACK (entry_changed), self);
  g_signal_connect (self->outcome_row, "changed", G_CALLBACK (entry_changed), self);
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
#endif
