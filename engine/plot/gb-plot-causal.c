/* gb-plot-causal.c — painters of the causal diagnostics: the love plot of
 * covariate balance and the mirrored propensity histogram of overlap
 * (see gb-plot.h).  Same conventions as gb-plot.c: Okabe–Ito colours,
 * Pango text with unhinted metrics, numbers through g_ascii_formatd(). */
#include "gb-plot.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

typedef struct { double r, g, b; } Rgb;

static const Rgb c_blue = { 0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0 };
static const Rgb c_vermillion = { 0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0 };
static const Rgb c_green = { 0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0 };
static const Rgb c_orange = { 0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0 };

static void
rgb (cairo_t *cr, Rgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

static void
ink (cairo_t *cr)
{
  cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
}

static double
font_for (double width, double height)
{
  return CLAMP (MIN (width / 46.0, height / 15.0), 6.0, 12.0);
}

static PangoLayout *
layout_new (cairo_t *cr, const char *text, double size, gboolean bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans");
  cairo_font_options_t *fo = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), fo);
  pango_layout_context_changed (layout);
  cairo_font_options_destroy (fo);
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text ? text : "", -1);
  return layout;
}

static double
text_w (cairo_t *cr, const char *text, double size, double *h)
{
  PangoLayout *l = layout_new (cr, text, size, FALSE);
  int w, hh;
  pango_layout_get_size (l, &w, &hh);
  g_object_unref (l);
  if (h)
    *h = (double) hh / PANGO_SCALE;
  return (double) w / PANGO_SCALE;
}

/* Text anchored at (ax, ay) of its box, ellipsized to max_w when > 0. */
static void
text (cairo_t *cr, const char *s, double size, gboolean bold, double x, double y, double ax,
      double ay, double max_w)
{
  PangoLayout *l;
  PangoRectangle r;
  if (s == NULL || *s == '\0')
    return;
  l = layout_new (cr, s, size, bold);
  if (max_w > 0 && text_w (cr, s, size, NULL) > max_w)
    {
      pango_layout_set_width (l, (int) (MAX (max_w, 1.0) * PANGO_SCALE));
      pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_extents (l, NULL, &r);
  cairo_move_to (cr, x - ax * r.width - r.x, y - ay * r.height);
  pango_cairo_show_layout (cr, l);
  g_object_unref (l);
}

static double
title_block (cairo_t *cr, const char *title, double width, double font)
{
  double h = 0;
  if (title == NULL || *title == '\0')
    return 2;
  text_w (cr, title, font * 1.15, &h);
  ink (cr);
  text (cr, title, font * 1.15, TRUE, width / 2, 2, 0.5, 0.0, width - 4);
  return 2 + h + font * 0.4;
}

static double
nice (double x, gboolean round_it)
{
  double e = floor (log10 (x)), f = x / pow (10, e), nf;
  if (round_it)
    nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  else
    nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nf * pow (10, e);
}

static char *
fmt (double v, int decimals)
{
  char f[16], buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (fabs (v) < 1e-12)
    v = 0;
  g_snprintf (f, sizeof f, "%%.%df", CLAMP (decimals, 0, 9));
  return g_strdup (g_ascii_formatd (buf, sizeof buf, f, v));
}

/* Ticks on [0, hi]: step and decimals. */
static double
tick_step (double hi, int max_ticks, int *decimals)
{
  double step = nice (nice (hi, FALSE) / MAX (max_ticks - 1, 1), TRUE);
  *decimals = MAX (0, (int) -floor (log10 (step) + 1e-9));
  return step;
}

static void
legend_item (cairo_t *cr, double x, double y, double font, Rgb c, gboolean filled,
             gboolean square, const char *label, double *next_x)
{
  double r = font * 0.35;
  rgb (cr, c);
  cairo_set_line_width (cr, 1.2);
  if (square)
    cairo_rectangle (cr, x, y - r, 2 * r, 2 * r);
  else
    cairo_arc (cr, x + r, y, r, 0, 2 * G_PI);
  if (filled)
    cairo_fill (cr);
  else
    cairo_stroke (cr);
  ink (cr);
  text (cr, label, font * 0.9, FALSE, x + 2 * r + font * 0.3, y, 0.0, 0.5, 0);
  *next_x = x + 2 * r + font * 0.6 + text_w (cr, label, font * 0.9, NULL) + font;
}

void
gb_plot_love_draw (cairo_t *cr, double width, double height, const char *title,
                   const char *const *labels, const double *smd_before,
                   const double *smd_after, const double *smd_after2, gsize n,
                   const char *after_label, const char *after2_label, double threshold)
{
  const double font = font_for (width, height);
  double top, left, right, bottom, maxv = threshold > 0 ? threshold : 0.1, lw = 0, row_h;
  double step, lx;
  int dec;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  top = title_block (cr, title, width, font);
  if (n == 0)
    {
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
      text (cr, _("No covariates"), font * 1.1, FALSE, width / 2, (top + height) / 2, 0.5, 0.5, 0);
      cairo_restore (cr);
      return;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (isfinite (smd_before[i]))
        maxv = MAX (maxv, fabs (smd_before[i]));
      if (smd_after && isfinite (smd_after[i]))
        maxv = MAX (maxv, fabs (smd_after[i]));
      if (smd_after2 && isfinite (smd_after2[i]))
        maxv = MAX (maxv, fabs (smd_after2[i]));
      lw = MAX (lw, text_w (cr, labels ? labels[i] : "", font * 0.9, NULL));
    }
  step = tick_step (maxv, CLAMP ((int) (width / (font * 7)), 2, 8), &dec);
  maxv = ceil (maxv / step - 1e-9) * step;
  left = MIN (lw + font, width * 0.38);
  right = width - font;
  bottom = height - font * 4.2;  /* axis labels, axis title, legend */
  row_h = (bottom - top) / n;

  /* grid, ticks, threshold */
  for (double v = 0; v <= maxv + step * 1e-6; v += step)
    {
      double x = left + v / maxv * (right - left);
      g_autofree char *s = fmt (v, dec);
      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_set_line_width (cr, 0.6);
      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x, bottom);
      cairo_stroke (cr);
      ink (cr);
      text (cr, s, font * 0.9, FALSE, x, bottom + font * 0.35, 0.5, 0.0, 0);
    }
  ink (cr);
  text (cr, _("absolute standardized mean difference"), font * 0.9, FALSE, (left + right) / 2,
        bottom + font * 1.5, 0.5, 0.0, 0);
  if (threshold > 0)
    {
      double x = left + threshold / maxv * (right - left), dash[] = { 3, 2 };
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      cairo_set_line_width (cr, 0.9);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x, bottom);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      {
        g_autofree char *t = fmt (threshold, 2);
        g_autofree char *l = g_strdup_printf (_("dashed line: %s"), t);
        cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
        text (cr, l, font * 0.85, FALSE, right, height - font * 0.9, 1.0, 0.5, 0);
      }
    }
  cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, left, bottom);
  cairo_line_to (cr, right, bottom);
  cairo_stroke (cr);

  for (gsize i = 0; i < n; i++)
    {
      double y = top + (i + 0.5) * row_h, r = MIN (font * 0.32, row_h * 0.35);
      const double *series[3] = { smd_before, smd_after, smd_after2 };
      const Rgb colours[3] = { c_vermillion, c_blue, c_green };
      ink (cr);
      text (cr, labels ? labels[i] : "", font * 0.9, FALSE, left - font * 0.5, y, 1.0, 0.5,
            left - font);
      cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
      cairo_set_line_width (cr, 0.5);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, right, y);
      cairo_stroke (cr);
      for (int k = 0; k < 3; k++)
        {
          double v, x;
          if (series[k] == NULL || !isfinite (series[k][i]))
            continue;
          v = fabs (series[k][i]);
          x = left + v / maxv * (right - left);
          rgb (cr, colours[k]);
          cairo_set_line_width (cr, 1.2);
          if (k == 2)
            {
              cairo_rectangle (cr, x - r, y - r, 2 * r, 2 * r);
              cairo_fill (cr);
            }
          else
            {
              cairo_new_sub_path (cr);
              cairo_arc (cr, x, y, r, 0, 2 * G_PI);
              if (k == 0)
                cairo_stroke (cr);
              else
                cairo_fill (cr);
            }
        }
    }

  /* legend, from the left edge so the threshold note fits on the right */
  lx = font * 0.5;
  legend_item (cr, lx, height - font * 0.9, font, c_vermillion, FALSE, FALSE, _("before"), &lx);
  if (smd_after)
    legend_item (cr, lx, height - font * 0.9, font, c_blue, TRUE, FALSE,
                 after_label ? after_label : _("after"), &lx);
  if (smd_after2)
    legend_item (cr, lx, height - font * 0.9, font, c_green, TRUE, TRUE,
                 after2_label ? after2_label : _("after (2)"), &lx);
  (void) lx;
  cairo_restore (cr);
}

void
gb_plot_overlap_draw (cairo_t *cr, double width, double height, const char *title,
                      const double *propensity, const double *treatment, gsize n, guint n_bins,
                      double trim_alpha)
{
  const double font = font_for (width, height);
  g_autofree double *h1 = NULL, *h0 = NULL;
  double n1 = 0, n0 = 0, maxs = 0, top, left, right, bottom, mid, half, step, lx;
  int dec;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  top = title_block (cr, title, width, font);
  if (n_bins < 2)
    n_bins = 20;
  h1 = g_new0 (double, n_bins);
  h0 = g_new0 (double, n_bins);
  for (gsize i = 0; i < n; i++)
    {
      int b;
      if (!isfinite (propensity[i]) || isnan (treatment[i]))
        continue;
      b = CLAMP ((int) floor (propensity[i] * n_bins), 0, (int) n_bins - 1);
      if (treatment[i] == 1.0)
        h1[b]++, n1++;
      else
        h0[b]++, n0++;
    }
  if (n1 + n0 == 0)
    {
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
      text (cr, _("No data"), font * 1.1, FALSE, width / 2, (top + height) / 2, 0.5, 0.5, 0);
      cairo_restore (cr);
      return;
    }
  for (guint b = 0; b < n_bins; b++)
    {
      h1[b] = n1 > 0 ? h1[b] / n1 : 0;
      h0[b] = n0 > 0 ? h0[b] / n0 : 0;
      maxs = MAX (maxs, MAX (h1[b], h0[b]));
    }
  step = tick_step (maxs, 3, &dec);
  maxs = ceil (maxs / step - 1e-9) * step;
  left = font * 4.0;
  right = width - font;
  bottom = height - font * 4.2;
  mid = (top + bottom) / 2;
  half = (bottom - top) / 2;

  /* share ticks, mirrored */
  for (double v = 0; v <= maxs + step * 1e-6; v += step)
    for (int sgn = -1; sgn <= 1; sgn += 2)
      {
        double y = mid - sgn * v / maxs * half;
        g_autofree char *s = fmt (100.0 * v, MAX (dec - 2, 0));
        g_autofree char *l = g_strdup_printf ("%s %%", s);
        if (v == 0 && sgn == 1)
          continue;
        cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
        cairo_set_line_width (cr, 0.6);
        cairo_move_to (cr, left, y);
        cairo_line_to (cr, right, y);
        cairo_stroke (cr);
        ink (cr);
        text (cr, l, font * 0.85, FALSE, left - font * 0.4, y, 1.0, 0.5, 0);
      }
  for (guint b = 0; b < n_bins; b++)
    {
      double x0 = left + (double) b / n_bins * (right - left);
      double w = (right - left) / n_bins;
      rgb (cr, c_blue);
      cairo_rectangle (cr, x0 + 0.5, mid - h1[b] / maxs * half, w - 1.0, h1[b] / maxs * half);
      cairo_fill (cr);
      rgb (cr, c_orange);
      cairo_rectangle (cr, x0 + 0.5, mid, w - 1.0, h0[b] / maxs * half);
      cairo_fill (cr);
    }
  ink (cr);
  cairo_set_line_width (cr, 0.9);
  cairo_move_to (cr, left, mid);
  cairo_line_to (cr, right, mid);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
  cairo_move_to (cr, left, bottom);
  cairo_line_to (cr, right, bottom);
  cairo_stroke (cr);
  for (int k = 0; k <= 10; k += 2)
    {
      double x = left + k / 10.0 * (right - left);
      g_autofree char *s = fmt (k / 10.0, 1);
      ink (cr);
      text (cr, s, font * 0.9, FALSE, x, bottom + font * 0.35, 0.5, 0.0, 0);
    }
  text (cr, _("propensity score"), font * 0.9, FALSE, (left + right) / 2, bottom + font * 1.5,
        0.5, 0.0, 0);
  if (trim_alpha > 0 && trim_alpha < 0.5)
    {
      double dash[] = { 3, 2 };
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      cairo_set_line_width (cr, 0.9);
      cairo_set_dash (cr, dash, 2, 0);
      for (int s = 0; s < 2; s++)
        {
          double a = s ? 1.0 - trim_alpha : trim_alpha, x = left + a * (right - left);
          cairo_move_to (cr, x, top);
          cairo_line_to (cr, x, bottom);
          cairo_stroke (cr);
        }
      cairo_set_dash (cr, NULL, 0, 0);
    }
  lx = left;
  legend_item (cr, lx, height - font * 0.9, font, c_blue, TRUE, TRUE, _("treated (above)"), &lx);
  legend_item (cr, lx, height - font * 0.9, font, c_orange, TRUE, TRUE, _("control (below)"), &lx);
  if (trim_alpha > 0)
    {
      g_autofree char *a = fmt (trim_alpha, 2), *b = fmt (1.0 - trim_alpha, 2);
      g_autofree char *l = g_strdup_printf (_("dashed: trimming at %s and %s"), a, b);
      ink (cr);
      text (cr, l, font * 0.9, FALSE, lx, height - font * 0.9, 0.0, 0.5, 0);
    }
  cairo_restore (cr);
}
