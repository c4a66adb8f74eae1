/* gb-report-pane-private.h — test-only accessors of GbReportPane. */
#pragma once

#include "gb-report-pane.h"

G_BEGIN_DECLS

#ifdef GB_TESTING
/* The number of chart views currently shown. */
guint gb_report_pane_get_n_charts (GbReportPane *self);
#endif

G_END_DECLS
