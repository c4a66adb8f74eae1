/* main.c — the glassbox GTK application's entry point. */
#include "gb-config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "gb-application.h"

/* The folder with the compiled catalogues: the installed one, or, when this
 * glassbox is the one in the build folder and its po/ output exists, that
 * (so an uninstalled run is translated too). */
static char *
locale_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  g_autofree char *build_root = g_canonicalize_filename (GB_BUILD_ROOT, NULL);

  if (exe_dir != NULL && g_str_has_prefix (exe_dir, build_root)
      && (exe_dir[strlen (build_root)] == '/' || exe_dir[strlen (build_root)] == '\0')
      && g_file_test (GB_BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    return g_strdup (GB_BUILD_LOCALEDIR);
  return g_strdup (GB_LOCALEDIR);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GbApplication) app = NULL;
  g_autofree char *localedir = locale_dir ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = gb_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
