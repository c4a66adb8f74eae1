/* gb-plot-loss.c — training and validation loss per epoch (the Model pane's
 * live curves while a model trains). */
#include "gb-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "gb-plot.h"

static void
loss_text (cairo_t *cr, const char *text, double x, double y, double ax, double ay, double size,
           gboolean bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans");
  PangoRectangle logical;

  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  cairo_move_to (cr, x - ax * logical.width - logical.x, y - ay * logical.height);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static void
loss_series (cairo_t *cr, const double *epochs, const double *loss, gsize n, double x0,
             double y0, double w, double h, double max_epoch, double lo, double hi)
{
  gboolean started = FALSE;

  for (gsize i = 0; i < n; i++)
    {
      double x, y;
      if (isnan (loss[i]) || isnan (epochs[i]))
        continue;
      x = x0 + w * (max_epoch > 0 ? epochs[i] / max_epoch : 0);
      y = y0 + h - h * (hi > lo ? (loss[i] - lo) / (hi - lo) : 0.5);
      if (!started)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
      started = TRUE;
    }
  if (started)
    cairo_stroke (cr);
  for (gsize i = 0; i < n; i++)
    {
      double x, y;
      if (isnan (loss[i]) || isnan (epochs[i]))
        continue;
      x = x0 + w * (max_epoch > 0 ? epochs[i] / max_epoch : 0);
      y = y0 + h - h * (hi > lo ? (loss[i] - lo) / (hi - lo) : 0.5);
      cairo_arc (cr, x, y, 3, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

void
gb_plot_loss_draw (cairo_t *cr, double width, double height, const char *title,
                   const double *epochs, const double *train_loss, const double *val_loss,
                   gsize n, guint n_epochs, const char *train_label, const char *val_label,
                   const char *x_label)
{
  const double fs = CLAMP (height / 22, 9, 12);
  const double left = fs * 4.2, right = fs * 1.2;
  const double top = (title != NULL ? fs * 2.4 : fs) + fs * 1.6, bottom = fs * 3.2;
  const double w = MAX (width - left - right, 10), h = MAX (height - top - bottom, 10);
  double lo = INFINITY, hi = -INFINITY, max_epoch = n_epochs;
  char buf[32];

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  for (gsize i = 0; i < n; i++)
    {
      if (!isnan (train_loss[i]))
        lo = MIN (lo, train_loss[i]), hi = MAX (hi, train_loss[i]);
      if (val_loss != NULL && !isnan (val_loss[i]))
        lo = MIN (lo, val_loss[i]), hi = MAX (hi, val_loss[i]);
      if (!isnan (epochs[i]))
        max_epoch = MAX (max_epoch, epochs[i]);
    }
  if (!isfinite (lo))
    lo = 0, hi = 1;
  if (hi - lo < 1e-6)
    lo -= 0.05, hi += 0.05;
  else
    {
      double pad = 0.08 * (hi - lo);
      lo = MAX (0, lo - pad), hi += pad;
    }
  if (max_epoch < 1)
    max_epoch = 1;

  cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
  if (title != NULL)
    loss_text (cr, title, width / 2, fs * 0.4, 0.5, 0, fs * 1.15, TRUE);

  /* legend */
  {
    double lx = left, ly = top - fs * 1.5;
    cairo_set_line_width (cr, 2);
    cairo_set_source_rgb (cr, 0.0, 0.447, 0.698);      /* Okabe–Ito blue */
    cairo_move_to (cr, lx, ly + fs * 0.6);
    cairo_line_to (cr, lx + fs * 2, ly + fs * 0.6);
    cairo_stroke (cr);
    cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
    loss_text (cr, train_label != NULL ? train_label : _("Training"), lx + fs * 2.5, ly, 0, 0, fs,
               FALSE);
    lx += width / 3;
    cairo_set_source_rgb (cr, 0.835, 0.369, 0.0);      /* Okabe–Ito vermillion */
    cairo_move_to (cr, lx, ly + fs * 0.6);
    cairo_line_to (cr, lx + fs * 2, ly + fs * 0.6);
    cairo_stroke (cr);
    cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
    loss_text (cr, val_label != NULL ? val_label : _("Validation"), lx + fs * 2.5, ly, 0, 0, fs,
               FALSE);
  }

  /* axes, gridlines and ticks */
  cairo_set_line_width (cr, 1);
  for (int k = 0; k <= 4; k++)
    {
      double v = lo + (hi - lo) * k / 4.0, y = top + h - h * k / 4.0;
      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, left + w, y);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
      loss_text (cr, g_ascii_formatd (buf, sizeof buf, "%.3f", v), left - fs * 0.4, y, 1, 0.5,
                 fs * 0.9, FALSE);
    }
  {
    guint step = MAX (1u, (guint) ceil (max_epoch / 8));
    for (guint e = 0; e <= (guint) max_epoch; e += step)
      {
        double x = left + w * e / max_epoch;
        g_snprintf (buf, sizeof buf, "%u", e);
        loss_text (cr, buf, x, top + h + fs * 0.3, 0.5, 0, fs * 0.9, FALSE);
      }
  }
  cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
  cairo_move_to (cr, left, top);
  cairo_line_to (cr, left, top + h);
  cairo_line_to (cr, left + w, top + h);
  cairo_stroke (cr);
  loss_text (cr, x_label != NULL ? x_label : _("Epoch"), left + w / 2, top + h + fs * 1.7, 0.5, 0,
             fs, FALSE);

  cairo_set_line_width (cr, 2);
  cairo_set_source_rgb (cr, 0.0, 0.447, 0.698);
  loss_series (cr, epochs, train_loss, n, left, top, w, h, max_epoch, lo, hi);
  if (val_loss != NULL)
    {
      cairo_set_source_rgb (cr, 0.835, 0.369, 0.0);
      loss_series (cr, epochs, val_loss, n, left, top, w, h, max_epoch, lo, hi);
    }
  cairo_restore (cr);
}

gboolean
gb_plot_loss_parse_progress (const char *message, guint *epoch, guint *n_epochs,
                             double *train_loss, double *val_loss)
{
  const char *p;
  char *end;
  guint64 e, n;

  if (message == NULL || (p = strstr (message, "epoch ")) == NULL)
    return FALSE;
  p += strlen ("epoch ");
  e = g_ascii_strtoull (p, &end, 10);
  if (end == p || !g_str_has_prefix (end, " of "))
    return FALSE;
  p = end + strlen (" of ");
  n = g_ascii_strtoull (p, &end, 10);
  if (end == p)
    return FALSE;
  p = strstr (end, ", loss ");
  if (p == NULL)
    return FALSE;
  p += strlen (", loss ");
  *train_loss = g_ascii_strtod (p, &end);
  if (end == p)
    return FALSE;
  *val_loss = NAN;
  p = strstr (end, "validation loss ");
  if (p != NULL)
    {
      p += strlen ("validation loss ");
      *val_loss = g_ascii_strtod (p, &end);
      if (end == p)
        *val_loss = NAN;
    }
  *epoch = (guint) e;
  *n_epochs = (guint) n;
  return TRUE;
}
