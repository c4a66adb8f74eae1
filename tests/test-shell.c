/* test-shell.c — the application shell under Xvfb: every action of the app
 * and the window can be reached from the keyboard (an accelerator, or a
 * mnemonic in the main menu, which F10 opens); the keyboard-shortcuts window
 * lists every accelerator and names only actions that exist; Alt+1..3
 * switch panes; the About window credits the source of every method. */
#include "gb-config.h"

#include <string.h>
#include <adwaita.h>

#include "glassbox-engine.h"
#include "gb-application.h"
#include "gb-window.h"
#include "gb-window-private.h"

static GbApplication *app;
static GbWindow *win;

/* ---- helpers -------------------------------------------------------------- */

/* Every action of the window class (owner GbWindow or a parent), "win.open"… */
static GPtrArray *
window_class_actions (gboolean own_only)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (win);
  GType owner;
  const char *name;
  const GVariantType *param;
  const char *property;

  for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &name, &param, &property); i++)
    if (!own_only || owner == GB_TYPE_WINDOW)
      g_ptr_array_add (names, g_strdup (name));
  return names;
}

static gboolean
strv_contains_action (GPtrArray *names, const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return TRUE;
  return FALSE;
}

/* Does an action exist under this prefixed name ("app.", "win." or a class action)? */
static gboolean
action_exists (const char *prefixed)
{
  g_autoptr(GPtrArray) all = window_class_actions (FALSE);

  if (strv_contains_action (all, prefixed))
    return TRUE;
  if (g_str_has_prefix (prefixed, "app."))
    return g_action_group_has_action (G_ACTION_GROUP (app), prefixed + 4);
  if (g_str_has_prefix (prefixed, "win."))
    return g_action_group_has_action (G_ACTION_GROUP (win), prefixed + 4);
  return FALSE;
}

/* Does any accelerator of the app trigger @name, with or without a target? */
static gboolean
has_accel (const char *name)
{
  g_auto(GStrv) detailed = gtk_application_list_action_descriptions (GTK_APPLICATION (app));

  for (guint i = 0; detailed[i] != NULL; i++)
    {
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;
      g_auto(GStrv) accels = NULL;

      if (!g_action_parse_detailed_name (detailed[i], &action, &target, NULL))
        continue;
      if (!g_str_equal (action, name))
        continue;
      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), detailed[i]);
      if (accels != NULL && accels[0] != NULL)
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  GHashTable *mnemonic_actions;  /* action name (or "submenu:ID") -> label */
  char *attribute;               /* (nullable) the <attribute name=…> being read */
  char *label;
  char *action;
  GPtrArray *submenus;           /* ids of the open <submenu> elements ("" if none) */
} MenuParse;

static void
menu_start (GMarkupParseContext *ctx, const char *element, const char **names,
            const char **values, gpointer user_data, GError **error)
{
  MenuParse *mp = user_data;

  if (g_str_equal (element, "item"))
    {
      g_clear_pointer (&mp->label, g_free);
      g_clear_pointer (&mp->action, g_free);
    }
  else if (g_str_equal (element, "submenu"))
    {
      const char *id = "";
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "id"))
          id = values[i];
      g_ptr_array_add (mp->submenus, g_strdup (id));
    }
  else if (g_str_equal (element, "attribute") && mp->submenus->len > 0
           && g_markup_parse_context_get_element_stack (ctx)->next != NULL
           && g_str_equal (g_markup_parse_context_get_element_stack (ctx)->next->data, "submenu"))
    {
      /* The submenu's own label: read it as an item without an action. */
      g_clear_pointer (&mp->label, g_free);
      g_clear_pointer (&mp->action, g_free);
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "name"))
          {
            g_free (mp->attribute);
            mp->attribute = g_strdup (values[i]);
          }
    }
  else if (g_str_equal (element, "attribute"))
    {
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "name"))
          {
            g_free (mp->attribute);
            mp->attribute = g_strdup (values[i]);
          }
    }
}

static void
menu_end (GMarkupParseContext *ctx, const char *element, gpointer user_data, GError **error)
{
  MenuParse *mp = user_data;

  if (g_str_equal (element, "attribute"))
    {
      g_clear_pointer (&mp->attribute, g_free);
      if (mp->submenus->len > 0 && g_markup_parse_context_get_element_stack (ctx)->next != NULL
          && g_str_equal (g_markup_parse_context_get_element_stack (ctx)->next->data, "submenu")
          && mp->label != NULL && strchr (mp->label, '_') != NULL)
        g_hash_table_insert (mp->mnemonic_actions,
                             g_strconcat ("submenu:",
                                          (char *) g_ptr_array_index (mp->submenus,
                                                                      mp->submenus->len - 1),
                                          NULL),
                             g_strdup (mp->label));
    }
  else if (g_str_equal (element, "submenu"))
    g_ptr_array_remove_index (mp->submenus, mp->submenus->len - 1);
  else if (g_str_equal (element, "item") && mp->label != NULL && mp->action != NULL
           && strchr (mp->label, '_') != NULL)
    g_hash_table_insert (mp->mnemonic_actions, g_strdup (mp->action), g_strdup (mp->label));
}

static void
menu_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer user_data,
           GError **error)
{
  MenuParse *mp = user_data;

  if (mp->attribute == NULL)
    return;
  if (g_str_equal (mp->attribute, "label"))
    {
      g_free (mp->label);
      mp->label = g_strndup (text, len);
    }
  else if (g_str_equal (mp->attribute, "action"))
    {
      g_free (mp->action);
      mp->action = g_strndup (text, len);
    }
}

/* The actions of the main menu's items that have a mnemonic (label with '_'). */
static GHashTable *
menu_mnemonic_actions (void)
{
  static const GMarkupParser parser = { menu_start, menu_end, menu_text, NULL, NULL };
  g_autoptr(GBytes) ui = g_resources_lookup_data ("/org/glassbox/Glassbox/ui/gb-window.ui", 0,
                                                  NULL);
  MenuParse mp = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free), NULL, NULL,
                   NULL, g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GMarkupParseContext) ctx = g_markup_parse_context_new (&parser, 0, &mp, NULL);
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  g_assert_nonnull (ui);
  data = g_bytes_get_data (ui, &len);
  g_markup_parse_context_parse (ctx, data, len, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (ctx, &error);
  g_assert_no_error (error);
  g_ptr_array_unref (mp.submenus);
  g_free (mp.attribute);
  g_free (mp.label);
  g_free (mp.action);
  return mp.mnemonic_actions;
}

static void
collect_widgets (GtkWidget *widget, GType type, GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_widgets (c, type, out);
}

/* Does the window-class action @name take a parameter (an item to pick)? */
static gboolean
takes_parameter (const char *name)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (win);
  GType owner;
  const char *n;
  const GVariantType *param;
  const char *property;

  for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &n, &param, &property); i++)
    if (g_str_equal (n, name))
      return param != NULL;
  return FALSE;
}

/* Is there a focusable button or row in @widget's tree that activates @name
 * (reachable with Tab and Enter)? */
static gboolean
focusable_actionable (GtkWidget *widget, const char *name)
{
  if (GTK_IS_ACTIONABLE (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), name) == 0
      && gtk_widget_get_focusable (widget))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (focusable_actionable (c, name))
      return TRUE;
  return FALSE;
}

/* ---- tests ---------------------------------------------------------------- */

/* Each window and app action has an accelerator or a mnemonic in the main
 * menu, and F10 opens that menu (its button is the primary menu). */
static void
test_every_action_has_a_key (void)
{
  g_autoptr(GPtrArray) own = window_class_actions (TRUE);
  g_autoptr(GHashTable) menu = menu_mnemonic_actions ();
  g_auto(GStrv) app_actions = g_action_group_list_actions (G_ACTION_GROUP (app));
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  /* Actions that repeat another one's effect, with the action whose key
   * serves both. */
  static const char *const aliases[][2] = {
    { "win.show-report", "win.show-page" },  /* the toast's button; Alt+3 */
  };
  /* Actions that pick one item of a list (a recent file, an example) may be
   * reached where the list is: a submenu of the main menu with a mnemonic,
   * or focusable rows (Tab, Enter) on the start page. */
  static const char *const in_submenu[][2] = {
    { "win.open-recent", "recent_menu" },    /* Open _Recent */
  };
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  gboolean primary = FALSE;
  guint checked = 0;

  for (guint i = 0; i < own->len; i++)
    g_ptr_array_add (all, g_strdup (g_ptr_array_index (own, i)));
  for (guint i = 0; app_actions[i] != NULL; i++)
    g_ptr_array_add (all, g_strconcat ("app.", app_actions[i], NULL));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (win), "show-help-overlay"));
  g_ptr_array_add (all, g_strdup ("win.show-help-overlay"));
  g_ptr_array_add (all, g_strdup ("window.close"));

  /* The window has the actions this test was written against. */
  for (const char *const *n = (const char *const[]) { "win.open", "win.open-example",
                                                       "win.run-audit", "win.cancel",
                                                       "win.export-pdf", "win.export-json",
                                                       "win.show-page", "app.about",
                                                       "app.quit", NULL }; *n; n++)
    g_assert_true (strv_contains_action (all, *n));

  for (guint i = 0; i < all->len; i++)
    {
      const char *name = g_ptr_array_index (all, i);
      const char *via = name;

      for (guint a = 0; a < G_N_ELEMENTS (aliases); a++)
        if (g_str_equal (aliases[a][0], name))
          via = aliases[a][1];
      for (guint a = 0; a < G_N_ELEMENTS (in_submenu); a++)
        if (g_str_equal (in_submenu[a][0], name))
          {
            g_autofree char *key = g_strconcat ("submenu:", in_submenu[a][1], NULL);
            if (g_hash_table_contains (menu, key))
              via = NULL;
          }
      if (via != NULL && !has_accel (via) && !g_hash_table_contains (menu, via)
          && !(takes_parameter (name) && focusable_actionable (GTK_WIDGET (win), name)))
        g_error ("action %s has no accelerator, no mnemonic in the main menu and no "
                 "focusable button or row", name);
      checked++;
    }
  g_assert_cmpuint (checked, >=, 11);

  /* F10 opens the main menu: its button is the window's primary menu. */
  collect_widgets (GTK_WIDGET (win), GTK_TYPE_MENU_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    primary |= gtk_menu_button_get_primary (g_ptr_array_index (buttons, i));
  g_assert_true (primary);
}

static gboolean
same_accel (const char *a, const char *b)
{
  guint ka, kb;
  GdkModifierType ma, mb;

  return gtk_accelerator_parse (a, &ka, &ma) && gtk_accelerator_parse (b, &kb, &mb)
         && gdk_keyval_to_lower (ka) == gdk_keyval_to_lower (kb) && ma == mb;
}

/* The shortcuts window lists every accelerator the app sets, names only
 * actions that exist, and shows no key that nothing handles. */
static void
test_help_overlay_lists_every_accel (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/org/glassbox/Glassbox/gtk/help-overlay.ui");
  GSList *objects = gtk_builder_get_objects (builder);
  g_autoptr(GPtrArray) shown_actions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) shown_accels = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) detailed = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  /* Keys GTK itself handles (F10 opens the primary menu, Tab moves focus). */
  static const char *const toolkit_keys[] = { "F10", "Tab", "<Shift>Tab", NULL };

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *action = NULL;
      g_autofree char *accel = NULL;
      g_autofree char *title = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "action-name", &action, "accelerator", &accel, "title", &title, NULL);
      g_assert_true (title != NULL && title[0] != '\0');
      if (action != NULL)
        {
          g_autofree char *plain = NULL;
          g_autoptr(GVariant) target = NULL;
          g_assert_true (g_action_parse_detailed_name (action, &plain, &target, NULL));
          if (!action_exists (plain))
            g_error ("the shortcuts window names %s, which is no action", action);
          g_ptr_array_add (shown_actions, g_steal_pointer (&action));
        }
      else
        {
          g_auto(GStrv) keys = NULL;

          g_assert_nonnull (accel);
          keys = g_strsplit (accel, " ", -1);
          for (guint k = 0; keys[k] != NULL; k++)
            {
              gboolean handled = g_strv_contains (toolkit_keys, keys[k]);

              for (guint d = 0; !handled && detailed[d] != NULL; d++)
                {
                  g_auto(GStrv) accels =
                    gtk_application_get_accels_for_action (GTK_APPLICATION (app), detailed[d]);
                  for (guint j = 0; !handled && accels[j] != NULL; j++)
                    handled = same_accel (accels[j], keys[k]);
                }
              if (!handled)
                g_error ("the shortcuts window shows %s (“%s”), which nothing handles",
                         keys[k], title);
              g_ptr_array_add (shown_accels, g_strdup (keys[k]));
            }
        }
    }
  g_slist_free (objects);

  g_assert_cmpuint (g_strv_length (detailed), >=, 10);
  for (guint d = 0; detailed[d] != NULL; d++)
    {
      g_auto(GStrv) accels =
        gtk_application_get_accels_for_action (GTK_APPLICATION (app), detailed[d]);
      gboolean listed = strv_contains_action (shown_actions, detailed[d]);

      for (guint j = 0; !listed && accels[j] != NULL; j++)
        for (guint s = 0; !listed && s < shown_accels->len; s++)
          listed = same_accel (accels[j], g_ptr_array_index (shown_accels, s));
      if (!listed)
        g_error ("%s has the accelerator %s but the shortcuts window does not list it",
                 detailed[d], accels[0] != NULL ? accels[0] : "(none)");
    }
}

/* win.show-page (Alt+1, Alt+2, Alt+3) switches panes. */
static void
test_show_page (void)
{
  AdwViewStack *stack = gb_window_get_view_stack (win);
  const char *pages[] = { "report", "model", "dataset" };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", pages[i]));
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, pages[i]);
    }
  /* An unknown page leaves the pane as it is. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "nowhere"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "dataset");
}

/* The About window credits the source of each method and data set, each
 * row with its link split off (so no raw URL shows as a title). */
static void
test_about_citations (void)
{
  GtkWindow *about = gb_application_show_about (GTK_WINDOW (win));
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GString) titles = g_string_new (NULL);
  static const char *const required[] = {
    "Sundararajan, Taly and Yan (2017)",   /* integrated gradients */
    "Gorishniy, Rubachev, Khrulkov and Babenko (2021)",  /* FT-Transformer */
    "Vaswani et al. (2017)",
    "Devlin, Chang, Lee and Toutanova (2019)",  /* BERT */
    "Lundberg and Lee (2017)",
    "Ribeiro, Singh and Guestrin (2016)",
    "Kamiran and Calders (2012)",
    "Hardt, Price and Srebro (2016)",
    "Lunceford and Davidian (2004)",
    "Dehejia and Wahba (1999)",
    "Kohavi (1996)",                       /* UCI Adult */
    NULL
  };

  g_assert_true (ADW_IS_ABOUT_WINDOW (about));
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, GB_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_nonnull (adw_about_window_get_developers (ADW_ABOUT_WINDOW (about)));
  g_assert_nonnull (strstr (adw_about_window_get_debug_info (ADW_ABOUT_WINDOW (about)), "GTK "));

  collect_widgets (GTK_WIDGET (about), ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *title = adw_preferences_row_get_title (g_ptr_array_index (rows, i));
      if (title == NULL)
        continue;
      g_string_append_printf (titles, "%s\n", title);
      if (strstr (title, "(19") != NULL || strstr (title, "(20") != NULL)
        g_assert_null (strstr (title, "https://"));
    }
  for (guint i = 0; required[i] != NULL; i++)
    if (strstr (titles->str, required[i]) == NULL)
      g_error ("the About window does not cite %s; its rows:\n%s", required[i], titles->str);

  gtk_window_destroy (about);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  app = gb_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));  /* startup */
  g_assert_no_error (error);
  win = gb_window_new (app);

  g_test_add_func ("/ui/shell/keyboard/every-action", test_every_action_has_a_key);
  g_test_add_func ("/ui/shell/keyboard/help-overlay", test_help_overlay_lists_every_accel);
  g_test_add_func ("/ui/shell/keyboard/show-page", test_show_page);
  g_test_add_func ("/ui/shell/about/citations", test_about_citations);

  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (win));
  g_clear_object (&app);
  return status;
}
