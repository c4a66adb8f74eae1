/* gb-plot-fairness.c — fairness charts as pure Cairo + Pango painters (see
 * gb-plot.h): grouped rate bars with interval whiskers and the reference
 * group marked, the disparate-impact chart with its four-fifths band, and
 * the accuracy-versus-disparity trade-off. */
#include "gb-plot.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

typedef struct { double r, g, b; } Rgb;

/* Okabe & Ito (2008), as gb-plot.c. */
static const Rgb palette[] = {
  { 0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0 },
  { 0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0 },
  { 0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0 },
  { 0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0 },
  { 0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0 },
  { 0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0 },
};

static double
font_size (double w, double h)
{
  return gb_plot_base_font_size (w, h);
}

/* Draws @text with its anchor at (x, y): ax, ay in {0, 0.5, 1} of the box.
 * Returns the width. */
static double
text (cairo_t *cr, const char *s, double size, gboolean bold, double x, double y, double ax,
      double ay, double max_w)
{
  PangoLayout *l = pango_cairo_create_layout (cr);
  PangoFontDescription *d = pango_font_description_from_string ("Sans");
  cairo_font_options_t *fo = cairo_font_options_create ();
  int pw, ph;

  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (pango_layout_get_context (l), fo);
  pango_layout_context_changed (l);
  cairo_font_options_destroy (fo);
  pango_font_description_set_absolute_size (d, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (d, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (l, d);
  pango_font_description_free (d);
  pango_layout_set_text (l, s ? s : "", -1);
  if (max_w > 0)
    {
      pango_layout_set_width (l, (int) (max_w * PANGO_SCALE));
      pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (l, &pw, &ph);
  cairo_move_to (cr, x - ax * pw, y - ay * ph);
  pango_cairo_show_layout (cr, l);
  g_object_unref (l);
  return pw;
}

static void
fmt (char *buf, gsize len, double v, int decimals)
{
  char f[8];
  g_snprintf (f, sizeof f, "%%.%df", decimals);
  g_ascii_formatd (buf, len, f, v);
}

static void
frame_title (cairo_t *cr, const char *title, double w, double fs, double *top)
{
  cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
  if (title && *title)
    {
      text (cr, title, fs * 1.15, TRUE, w / 2, 2, 0.5, 0, w - 8);
      *top = fs * 2.4;
    }
  else
    *top = fs * 0.8;
}

void
gb_plot_fairness_bars_draw (cairo_t *cr, double width, double height, const char *title,
                            const char *const *groups, gsize n_groups,
                            const char *const *series, gsize n_series, const double *values,
                            const double *ci_low, const double *ci_high, gssize reference,
                            const gboolean *flagged)
{
  const double fs = font_size (width, height);
  double top;
  char buf[32];

  cairo_save (cr);
  frame_title (cr, title, width, fs, &top);
  const double legend_h = fs * 1.8;
  const double left = fs * 3.2, right = width - fs * 0.8;
  const gboolean rotate = n_groups > 4;
  const double label_h = rotate ? fs * 7.5 : fs * 3.2;
  const double bottom = height - label_h - legend_h;
  const double ph = bottom - top;
  if (ph <= 10 || n_groups == 0)
    {
      cairo_restore (cr);
      return;
    }
  /* grid and y axis 0–1 */
  cairo_set_line_width (cr, 0.5);
  for (int t = 0; t <= 5; t++)
    {
      const double y = bottom - ph * t / 5.0;
      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, right, y);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      fmt (buf, sizeof buf, t / 5.0, 1);
      text (cr, buf, fs * 0.85, FALSE, left - fs * 0.3, y, 1, 0.5, 0);
    }
  const double slot = (right - left) / n_groups;
  const double bw = slot * 0.8 / MAX (n_series, 1);
  for (gsize g = 0; g < n_groups; g++)
    {
      const double x0 = left + g * slot + slot * 0.1;
      if ((gssize) g == reference)
        {
          cairo_set_source_rgba (cr, 0.0, 0.45, 0.70, 0.08);
          cairo_rectangle (cr, left + g * slot, top, slot, ph);
          cairo_fill (cr);
        }
      for (gsize s = 0; s < n_series; s++)
        {
          const double v = values[g * n_series + s];
          const Rgb c = palette[s % G_N_ELEMENTS (palette)];
          const double x = x0 + s * bw;
          if (isnan (v))
            continue;
          const double y = bottom - ph * CLAMP (v, 0.0, 1.0);
          cairo_set_source_rgba (cr, c.r, c.g, c.b, flagged && flagged[g] ? 0.45 : 1.0);
          cairo_rectangle (cr, x + bw * 0.08, y, bw * 0.84, bottom - y);
          cairo_fill (cr);
          if (ci_low && ci_high && !isnan (ci_low[g * n_series + s]))
            {
              const double ylo = bottom - ph * CLAMP (ci_low[g * n_series + s], 0.0, 1.0);
              const double yhi = bottom - ph * CLAMP (ci_high[g * n_series + s], 0.0, 1.0);
              const double xm = x + bw / 2, cap = MIN (bw * 0.25, fs * 0.4);
              cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
              cairo_set_line_width (cr, 0.8);
              cairo_move_to (cr, xm, ylo);
              cairo_line_to (cr, xm, yhi);
              cairo_move_to (cr, xm - cap, ylo);
              cairo_line_to (cr, xm + cap, ylo);
              cairo_move_to (cr, xm - cap, yhi);
              cairo_line_to (cr, xm + cap, yhi);
              cairo_stroke (cr);
            }
        }
      /* group label; the reference is marked "(ref.)", flagged groups "*" */
      g_autofree char *label = g_strdup_printf ("%s%s%s", groups[g] ? groups[g] : "",
                                                (gssize) g == reference ? _(" (ref.)") : "",
                                                flagged && flagged[g] ? " *" : "");
      cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
      const double cx = left + (g + 0.5) * slot;
      if (rotate)
        {
          cairo_save (cr);
          cairo_translate (cr, cx, bottom + fs * 0.3);
          cairo_rotate (cr, -G_PI / 4);
          text (cr, label, fs * 0.8, (gssize) g == reference, 0, 0, 1, 0.5, label_h * 1.3);
          cairo_restore (cr);
        }
      else
        text (cr, label, fs * 0.85, (gssize) g == reference, cx, bottom + fs * 0.3, 0.5, 0, slot);
    }
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, left, bottom);
  cairo_line_to (cr, right, bottom);
  cairo_stroke (cr);
  /* legend */
  double lx = left;
  const double ly = height - legend_h * 0.6;
  for (gsize s = 0; s < n_series; s++)
    {
      const Rgb c = palette[s % G_N_ELEMENTS (palette)];
      cairo_set_source_rgb (cr, c.r, c.g, c.b);
      cairo_rectangle (cr, lx, ly - fs * 0.35, fs * 0.7, fs * 0.7);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
      lx += fs * 1.0 + text (cr, series[s], fs * 0.85, FALSE, lx + fs * 0.9, ly, 0, 0.5, 0) + fs;
    }
  if (ci_low)
    lx += text (cr, _("whiskers: 95 % Wilson interval"), fs * 0.8, FALSE, lx, ly, 0, 0.5, 0) + fs;
  if (flagged)
    text (cr, _("* small group"), fs * 0.8, FALSE, lx, ly, 0, 0.5, 0);
  cairo_restore (cr);
}

void
gb_plot_disparate_impact_draw (cairo_t *cr, double width, double height, const char *title,
                               const char *const *labels, const double *ratio,
                               const double *ci_low, const double *ci_high, gsize n,
                               const char *reference_label)
{
  const double fs = font_size (width, height);
  double top;
  char buf[32];

  cairo_save (cr);
  frame_title (cr, title, width, fs, &top);
  const double label_w = MIN (width * 0.32, fs * 14);
  const double left = label_w + fs, right = width - fs * 1.2;
  const double bottom = height - fs * 3.4;
  if (n == 0 || bottom - top < 10)
    {
      cairo_restore (cr);
      return;
    }
  /* x range: 0 … max(1.25, the largest upper end), rounded up to 0.25 */
  double xmax = 1.25;
  for (gsize i = 0; i < n; i++)
    {
      if (!isnan (ci_high[i]) && isfinite (ci_high[i]))
        xmax = MAX (xmax, ci_high[i]);
      if (!isnan (ratio[i]) && isfinite (ratio[i]))
        xmax = MAX (xmax, ratio[i]);
    }
  xmax = MIN (ceil (xmax * 4) / 4, 4.0);
#define X(v) (left + (right - left) * CLAMP ((v), 0.0, xmax) / xmax)
  /* the band of the four-fifths rule: 0.8 … 1.25 */
  cairo_set_source_rgba (cr, 0.0, 0.62, 0.45, 0.12);
  cairo_rectangle (cr, X (0.8), top, X (1.25) - X (0.8), bottom - top);
  cairo_fill (cr);
  cairo_set_line_width (cr, 0.5);
  for (double t = 0; t <= xmax + 1e-9; t += xmax > 2 ? 0.5 : 0.25)
    {
      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_move_to (cr, X (t), top);
      cairo_line_to (cr, X (t), bottom);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      fmt (buf, sizeof buf, t, 2);
      text (cr, buf, fs * 0.8, FALSE, X (t), bottom + fs * 0.3, 0.5, 0, 0);
    }
  const double dashes[] = { 3.0, 2.0 };
  cairo_set_dash (cr, dashes, 2, 0);
  cairo_set_source_rgb (cr, 0.84, 0.37, 0.0);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, X (0.8), top);
  cairo_line_to (cr, X (0.8), bottom);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_move_to (cr, X (1.0), top);
  cairo_line_to (cr, X (1.0), bottom);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  g_autofree char *axis = g_strdup_printf (_("selection rate ÷ that of %s (1 = parity; shaded: 0.8–1.25)"),
                                           reference_label ? reference_label : _("the reference group"));
  cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
  text (cr, axis, fs * 0.85, FALSE, (left + right) / 2, bottom + fs * 1.6, 0.5, 0, right - left);

  const double row = (bottom - top) / n;
  for (gsize i = 0; i < n; i++)
    {
      const double y = top + (i + 0.5) * row;
      cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
      text (cr, labels[i], fs * 0.85, FALSE, label_w, y, 1, 0.5, label_w);
      if (isnan (ratio[i]))
        {
          text (cr, _("n/a"), fs * 0.8, FALSE, left + fs * 0.3, y, 0, 0.5, 0);
          continue;
        }
      const gboolean below = ratio[i] < 0.8;
      const Rgb c = below ? palette[5] : palette[0];
      cairo_set_source_rgb (cr, c.r, c.g, c.b);
      cairo_set_line_width (cr, 1.3);
      if (!isnan (ci_low[i]) && !isnan (ci_high[i]))
        {
          cairo_move_to (cr, X (ci_low[i]), y);
          cairo_line_to (cr, X (ci_high[i]), y);
          cairo_stroke (cr);
        }
      cairo_arc (cr, X (ratio[i]), y, MIN (fs * 0.35, row * 0.3), 0, 2 * G_PI);
      cairo_fill (cr);
    }
#undef X
  cairo_restore (cr);
}

void
gb_plot_tradeoff_draw (cairo_t *cr, double width, double height, const char *title,
                       const double *disparity, const double *accuracy, gsize n,
                       const char *disparity_label, const char *const *mark_labels,
                       const double *mark_disparity, const double *mark_accuracy, gsize n_marks)
{
  const double fs = font_size (width, height);
  double top;
  char buf[32];

  cairo_save (cr);
  frame_title (cr, title, width, fs, &top);
  const double left = fs * 3.6, right = width - fs * 0.8;
  const double legend_h = n_marks ? fs * 1.8 : 0;
  const double bottom = height - fs * 3.2 - legend_h;
  if (bottom - top < 10)
    {
      cairo_restore (cr);
      return;
    }
  double xmax = 0, ymin = 1, ymax = 0;
  for (gsize i = 0; i < n; i++)
    if (!isnan (disparity[i]) && !isnan (accuracy[i]))
      {
        xmax = MAX (xmax, disparity[i]);
        ymin = MIN (ymin, accuracy[i]);
        ymax = MAX (ymax, accuracy[i]);
      }
  for (gsize k = 0; k < n_marks; k++)
    if (!isnan (mark_disparity[k]) && !isnan (mark_accuracy[k]))
      {
        xmax = MAX (xmax, mark_disparity[k]);
        ymin = MIN (ymin, mark_accuracy[k]);
        ymax = MAX (ymax, mark_accuracy[k]);
      }
  xmax = xmax > 0 ? ceil (xmax * 10) / 10 : 0.1;
  ymin = floor (ymin * 10) / 10;
  ymax = MAX (ceil (ymax * 10) / 10, ymin + 0.1);
#define X(v) (left + (right - left) * (v) / xmax)
#define Y(v) (bottom - (bottom - top) * ((v) - ymin) / (ymax - ymin))
  cairo_set_line_width (cr, 0.5);
  for (int t = 0; t <= 4; t++)
    {
      const double xv = xmax * t / 4, yv = ymin + (ymax - ymin) * t / 4;
      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_move_to (cr, X (xv), top);
      cairo_line_to (cr, X (xv), bottom);
      cairo_move_to (cr, left, Y (yv));
      cairo_line_to (cr, right, Y (yv));
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      fmt (buf, sizeof buf, xv, 2);
      text (cr, buf, fs * 0.8, FALSE, X (xv), bottom + fs * 0.3, 0.5, 0, 0);
      fmt (buf, sizeof buf, yv, 2);
      text (cr, buf, fs * 0.8, FALSE, left - fs * 0.3, Y (yv), 1, 0.5, 0);
    }
  cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
  text (cr, disparity_label ? disparity_label : _("disparity"), fs * 0.85, FALSE, (left + right) / 2,
        bottom + fs * 1.5, 0.5, 0, right - left);
  cairo_save (cr);
  cairo_translate (cr, fs * 0.2, (top + bottom) / 2);
  cairo_rotate (cr, -G_PI / 2);
  text (cr, _("accuracy"), fs * 0.85, FALSE, 0, 0, 0.5, 0, 0);
  cairo_restore (cr);

  /* the curve of one common threshold, in threshold order */
  cairo_set_source_rgb (cr, palette[0].r, palette[0].g, palette[0].b);
  cairo_set_line_width (cr, 1.3);
  gboolean pen = FALSE;
  for (gsize i = 0; i < n; i++)
    {
      if (isnan (disparity[i]) || isnan (accuracy[i]))
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (cr, X (disparity[i]), Y (accuracy[i]));
      else
        cairo_move_to (cr, X (disparity[i]), Y (accuracy[i]));
      pen = TRUE;
    }
  cairo_stroke (cr);
  /* the marked points (e.g. the current threshold, the mitigations) and a legend */
  double lx = left;
  const double ly = height - legend_h * 0.5;
  for (gsize k = 0; k < n_marks; k++)
    {
      const Rgb c = palette[(k + 1) % G_N_ELEMENTS (palette)];
      const double r = fs * 0.38;
      cairo_set_source_rgb (cr, c.r, c.g, c.b);
      if (!isnan (mark_disparity[k]) && !isnan (mark_accuracy[k]))
        {
          cairo_rectangle (cr, X (mark_disparity[k]) - r, Y (mark_accuracy[k]) - r, 2 * r, 2 * r);
          cairo_fill (cr);
        }
      cairo_rectangle (cr, lx, ly - r, 2 * r, 2 * r);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
      lx += 2 * r + fs * 0.3 + text (cr, mark_labels[k], fs * 0.8, FALSE, lx + 2 * r + fs * 0.3, ly, 0,
                                     0.5, 0) + fs;
    }
#undef X
#undef Y
  cairo_restore (cr);
}
