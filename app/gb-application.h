/* gb-application.h — the Glassbox GTK application. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GB_APPLICATION_ID "org.glassbox.Glassbox"

#define GB_TYPE_APPLICATION (gb_application_get_type ())
G_DECLARE_FINAL_TYPE (GbApplication, gb_application, GB, APPLICATION, AdwApplication)

/* Returns: (transfer full): the application, id org.glassbox.Glassbox. */
GbApplication *gb_application_new (void);

GtkWindow *gb_application_show_about (GtkWindow *parent);

G_END_DECLS
