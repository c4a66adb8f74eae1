/* main.c — the glassbox GTK application's entry point. */
#include "gb-config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "gb-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr(GbApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, GB_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = gb_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
