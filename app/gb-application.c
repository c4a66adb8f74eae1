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
  const char *page = NULL, *example_name = NULL;
  int epochs = 0;
  GbWindow *win;

  g_variant_dict_lookup (options, "example", "b", &example);
  g_variant_dict_lookup (options, "run", "b", &run);
  g_variant_dict_lookup (options, "page", "&s", &page);
  if (g_variant_dict_lookup (options, "example-name", "&s", &example_name))
    example = TRUE;
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
      if (page != NULL)   /* after the run, or after loading without --run */
        gb_window_set_page_after_run (win, page);
      gb_window_set_run_when_loaded (win, run);
      gtk_window_present (GTK_WINDOW (win));
      if (example_name != NULL)
        gb_window_open_example_named (win, example_name);
      else
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
      if (page != NULL)   /* after the run, or after loading without --run */
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

/* The sources of the methods Glassbox implements, shown in the About
 * window's credits (each row links to the paper).  The citations stay in
 * their original language; the section titles are translated.  No '&', '<'
 * or '>' in them: AdwAboutWindow 1.2 shows credit rows as Pango markup. */
static const char *const cite_models[] = {
  "Vaswani et al. (2017). Attention Is All You Need. NeurIPS https://arxiv.org/abs/1706.03762",
  "Devlin, Chang, Lee and Toutanova (2019). BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding. NAACL https://doi.org/10.18653/v1/N19-1423",
  "Gorishniy, Rubachev, Khrulkov and Babenko (2021). Revisiting Deep Learning Models for Tabular Data (FT-Transformer). NeurIPS https://arxiv.org/abs/2106.11959",
  NULL
};
static const char *const cite_explanations[] = {
  "Sundararajan, Taly and Yan (2017). Axiomatic Attribution for Deep Networks (integrated gradients). ICML https://arxiv.org/abs/1703.01365",
  "Lundberg and Lee (2017). A Unified Approach to Interpreting Model Predictions (SHAP, KernelSHAP). NeurIPS https://arxiv.org/abs/1705.07874",
  "Ribeiro, Singh and Guestrin (2016). “Why Should I Trust You?”: Explaining the Predictions of Any Classifier (LIME). KDD https://doi.org/10.1145/2939672.2939778",
  "Abnar and Zuidema (2020). Quantifying Attention Flow in Transformers (attention rollout). ACL https://arxiv.org/abs/2005.00928",
  "Kim et al. (2018). Interpretability Beyond Feature Attribution: Testing with Concept Activation Vectors (TCAV). ICML https://arxiv.org/abs/1711.11279",
  NULL
};
static const char *const cite_fairness[] = {
  "Hardt, Price and Srebro (2016). Equality of Opportunity in Supervised Learning. NeurIPS https://arxiv.org/abs/1610.02413",
  "Kamiran and Calders (2012). Data Preprocessing Techniques for Classification without Discrimination (reweighing). Knowledge and Information Systems 33 https://doi.org/10.1007/s10115-011-0463-8",
  "Benjamini and Hochberg (1995). Controlling the False Discovery Rate. JRSS B 57 https://doi.org/10.1111/j.2517-6161.1995.tb02031.x",
  "Wilson (1927). Probable Inference, the Law of Succession, and Statistical Inference. JASA 22 https://doi.org/10.1080/01621459.1927.10502953",
  NULL
};
static const char *const cite_causal[] = {
  "Lunceford and Davidian (2004). Stratification and Weighting via the Propensity Score in Estimation of Causal Treatment Effects. Statistics in Medicine 23 https://doi.org/10.1002/sim.1903",
  "Dehejia and Wahba (1999). Causal Effects in Nonexperimental Studies: Reevaluating the Evaluation of Training Programs. JASA 94 https://doi.org/10.1080/01621459.1999.10473858",
  NULL
};
static const char *const cite_report[] = {
  "Mitchell et al. (2019). Model Cards for Model Reporting. FAT* https://doi.org/10.1145/3287560.3287596",
  NULL
};
static const char *const cite_data[] = {
  "Kohavi (1996). Scaling Up the Accuracy of Naive-Bayes Classifiers: a Decision-Tree Hybrid. KDD; the UCI Adult data set https://archive.ics.uci.edu/dataset/2/adult",
  "LaLonde (1986); Dehejia and Wahba (1999). NSW job-training data https://users.nber.org/~rdehejia/nswdata2.html",
  "Almeida, Gómez Hidalgo and Yamakami (2011). SMS Spam Collection. DocEng https://archive.ics.uci.edu/dataset/228/sms+spam+collection",
  NULL
};

/**
 * gb_application_show_about:
 * @parent: (nullable): the window the About window belongs to
 *
 * Shows the About window: version, licence, credits, the papers each method
 * comes from, the bundled data sets and libraries, and the library versions
 * as debugging information.
 *
 * Returns: (transfer none): the About window
 */
GtkWindow *
gb_application_show_about (GtkWindow *parent)
{
  const char *developers[] = { "The Glassbox authors", NULL };
  g_auto(GStrv) libraries = gb_library_versions ();
  g_autofree char *debug_info = NULL;
  AdwAboutWindow *about;

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
                        "modal", parent != NULL,
                        "application-name", "Glassbox",
                        "application-icon", GB_APPLICATION_ID,
                        "version", GB_VERSION,
                        "developer-name", _("The Glassbox developers"),
                        "copyright", _("© 2026 The Glassbox developers"),
                        "website", "https://glassbox.example.org/",
                        "comments", _("Audit machine-learning models: explanations, fairness and causal effects, with a PDF report"),
                        "developers", developers,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "debug-info", debug_info,
                        "debug-info-filename", "glassbox-debug-info.txt",
                        NULL);

  adw_about_window_add_acknowledgement_section (about, _("Models"), (const char **) cite_models);
  adw_about_window_add_acknowledgement_section (about, _("Explanations"),
                                                (const char **) cite_explanations);
  adw_about_window_add_acknowledgement_section (about, _("Fairness"), (const char **) cite_fairness);
  adw_about_window_add_acknowledgement_section (about, _("Causal Effects"),
                                                (const char **) cite_causal);
  adw_about_window_add_acknowledgement_section (about, _("Audit Report"),
                                                (const char **) cite_report);
  adw_about_window_add_acknowledgement_section (about, _("Example Data"), (const char **) cite_data);

  /* The libraries the Flatpak bundles (the GNOME runtime brings the rest). */
  adw_about_window_add_legal_section (about, "OpenBLAS", "© The OpenBLAS project",
                                      GTK_LICENSE_BSD_3, NULL);
  adw_about_window_add_legal_section (about, "GNU Scientific Library",
                                      "© The GSL developers", GTK_LICENSE_GPL_3_0, NULL);
  adw_about_window_add_legal_section (about, "libcsv", "© Robert Gamble",
                                      GTK_LICENSE_LGPL_2_1, NULL);

  gtk_window_present (GTK_WINDOW (about));
  return GTK_WINDOW (about);
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);

  gb_application_show_about (gtk_application_get_active_window (app));
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
  static const char *export_json_accels[] = { "<Primary><Shift>e", NULL };
  static const char *example_accels[] = { "<Primary><Shift>o", NULL };
  static const char *cancel_accels[] = { "Escape", NULL };
  static const char *save_project_accels[] = { "<Primary>s", NULL };
  static const char *dataset_accels[] = { "<Alt>1", NULL };
  static const char *model_accels[] = { "<Alt>2", NULL };
  static const char *report_accels[] = { "<Alt>3", NULL };

  G_APPLICATION_CLASS (gb_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.run-audit", run_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.export-pdf", export_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.export-json", export_json_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.open-example", example_accels);
  /* Escape stops loading or the audit; the action is disabled (and Escape
   * passes on) while nothing runs. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.cancel", cancel_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.save-project",
                                         save_project_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-page('dataset')",
                                         dataset_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-page('model')",
                                         model_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-page('report')",
                                         report_accels);
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
    { "example-name", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, NULL,
      "Open this bundled example (adult, eec, sms_spam, …)", "ID" },
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
