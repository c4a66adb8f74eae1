/* gb-application.c — the Glassbox GTK application.
 *
 * Command line:
 *   glassbox [FILE.csv]      open a CSV in a new window
 *   glassbox --example       open the bundled UCI Adult example with its roles
 * Hidden options for screenshots and scripted checks:
 *   --page=dataset|model|report   show that pane first
 *   --epochs=N                    training epochs
 *   --run                         run the audit as soon as the data is loaded
 *   --size=WxH                    the window's default size */
#include "gb-config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "glassbox-engine.h"
#include "gb-application.h"
#include "gb-window.h"

struct _GbApplication {
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (GbApplication, gb_application, ADW_TYPE_APPLICATION)

static char *window_size;  /* --size=WxH, for screenshots */

static GtkWindow *
new_window (GbApplication *self)
{
  GbWindow *win = gb_window_new (self);
  int w = 0, h = 0;

  if (window_size != NULL && sscanf (window_size, "%dx%d", &w, &h) == 2 && w > 0 && h > 0)
    gtk_window_set_default_size (GTK_WINDOW (win), w, h);
  return GTK_WINDOW (win);
}

static void
gb_application_activate (GApplication *app)
{
  GtkWindow *win = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (win == NULL)
    win = new_window (GB_APPLICATION (app));
  gtk_window_present (win);
}

static void
gb_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      GbWindow *win = GB_WINDOW (new_window (GB_APPLICATION (app)));
      g_autofree char *path = g_file_get_path (files[i]);

      gtk_window_present (GTK_WINDOW (win));
      if (path != NULL)
        gb_window_open_file (win, path);
    }
}

static int
gb_application_command_line (GApplication *app, GApplicationCommandLine *cmdline)
{
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_auto(GStrv) remaining = NULL;
  gboolean example = FALSE, run = FALSE;
  const char *page = NULL;
  int epochs = 0;
  GbWindow *win;

  g_variant_dict_lookup (options, "example", "b", &example);
  g_variant_dict_lookup (options, "run", "b", &run);
  g_variant_dict_lookup (options, "page", "&s", &page);
  g_variant_dict_lookup (options, "epochs", "i", &epochs);
  {
    const char *size = NULL;
    if (g_variant_dict_lookup (options, "size", "&s", &size))
      {
        g_free (window_size);
        window_size = g_strdup (size);
      }
  }
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &remaining);  /* deep copy */

  if (page != NULL && g_strcmp0 (page, "dataset") != 0 && g_strcmp0 (page, "model") != 0
      && g_strcmp0 (page, "report") != 0)
    {
      g_application_command_line_printerr (cmdline,
                                           _("Unknown page “%s”: use dataset, model or report\n"),
                                           page);
      return 2;
    }

  if (!example && (remaining == NULL || remaining[0] == NULL))
    {
      /* No file: a window with the start page (or the active one). */
      win = GB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
      if (win == NULL || page != NULL || run || epochs > 0)
        win = GB_WINDOW (new_window (GB_APPLICATION (app)));
      if (epochs > 0)
        gb_window_set_epochs (win, (guint) epochs);
      if (page != NULL)
        gb_window_set_page (win, page);
      gtk_window_present (GTK_WINDOW (win));
      return 0;
    }

  if (example)
    {
      win = GB_WINDOW (new_window (GB_APPLICATION (app)));
      if (epochs > 0)
        gb_window_set_epochs (win, (guint) epochs);
      if (page != NULL)
        gb_window_set_page (win, page);
      if (page != NULL && run)
        gb_window_set_page_after_run (win, page);
      gb_window_set_run_when_loaded (win, run);
      gtk_window_present (GTK_WINDOW (win));
      gb_window_open_example (win);
    }

  for (guint i = 0; remaining != NULL && remaining[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, remaining[i]);
      g_autofree char *path = g_file_get_path (file);

      win = GB_WINDOW (new_window (GB_APPLICATION (app)));
      if (epochs > 0)
        gb_window_set_epochs (win, (guint) epochs);
      if (page != NULL)
        gb_window_set_page (win, page);
      if (page != NULL && run)
        gb_window_set_page_after_run (win, page);
      gb_window_set_run_when_loaded (win, run);
      gtk_window_present (GTK_WINDOW (win));
      if (path != NULL)
        gb_window_open_file (win, path);
      else
        gb_window_show_error (win, _("Only local files can be opened"));
    }

  return 0;
}

static int
gb_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("glassbox %s\n", GB_VERSION);
      return 0;
    }
  return -1;
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing each window cancels its work and waits for it cleanly. */
  GList *copy = g_list_copy (windows);
  for (GList *l = copy; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free (copy);
  g_application_quit (app);
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (app);
  const char *developers[] = { "The Glassbox authors", NULL };
  g_auto(GStrv) libraries = gb_library_versions ();
  g_autofree char *debug_info = NULL;
  GtkWidget *about;

  if (libraries != NULL)
    {
      g_autofree char *joined = g_strjoinv ("\n", libraries);
      debug_info = g_strdup_printf ("GTK %u.%u.%u\nlibadwaita %u.%u.%u\n%s\n",
                                    gtk_get_major_version (), gtk_get_minor_version (),
                                    gtk_get_micro_version (), adw_get_major_version (),
                                    adw_get_minor_version (), adw_get_micro_version (), joined);
    }

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", "Glassbox",
                        "application-icon", GB_APPLICATION_ID,
                        "version", GB_VERSION,
                        "comments", _("Audit machine-learning models: explanations, fairness and causal effects, with a PDF report"),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "debug-info", debug_info,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
gb_application_startup (GApplication *app)
{
  static const GActionEntry app_actions[] = {
    { .name = "quit", .activate = quit_activated },
    { .name = "about", .activate = about_activated },
  };
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *open_accels[] = { "<Primary>o", NULL };
  static const char *run_accels[] = { "<Primary>r", NULL };
  static const char *close_accels[] = { "<Primary>w", NULL };
  static const char *export_accels[] = { "<Primary>e", NULL };

  G_APPLICATION_CLASS (gb_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.run-audit", run_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.export-pdf", export_accels);
}

static void
gb_application_class_init (GbApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = gb_application_startup;
  app_class->activate = gb_application_activate;
  app_class->open = gb_application_open;
  app_class->command_line = gb_application_command_line;
  app_class->handle_local_options = gb_application_handle_local_options;
}

static void
gb_application_init (GbApplication *self)
{
  static const GOptionEntry entries[] = {
    { "example", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Open the bundled UCI Adult example, ready to run the audit"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { "page", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, NULL,
      "Show this pane first (dataset, model, report)", "PAGE" },
    { "epochs", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, NULL, "Training epochs", "N" },
    { "size", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, NULL, "Window size", "WxH" },
    { "run", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL,
      "Run the audit as soon as the data is loaded", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE.csv]") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE.csv]"));
}

GbApplication *
gb_application_new (void)
{
  return g_object_new (GB_TYPE_APPLICATION,
                       "application-id", GB_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/glassbox/Glassbox",
                       NULL);
}
