/* gb-plot-private.h — layout helpers shared by the painters in engine/plot/:
 * Okabe–Ito and diverging colours, Pango text, "nice" ticks (Heckbert 1990),
 * axes, and the save/restore frame every painter draws in.  Internal to the
 * plot library; the functions are static so each painter file gets its own
 * copy without exporting symbols. */
#pragma once

#include "gb-plot.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

/* Okabe & Ito (2008), "Color universal design". */
typedef struct { double r, g, b; } GbRgb;

static G_GNUC_UNUSED const GbRgb okabe_ito[] = {
  { 0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0 }, /* blue */
  { 0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0 }, /* orange */
  { 0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0 }, /* bluish green */
  { 0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0 }, /* reddish purple */
  { 0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0 }, /* sky blue */
  { 0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0 }, /* vermillion */
  { 0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0 }, /* yellow */
  { 0x00 / 255.0, 0x00 / 255.0, 0x00 / 255.0 }, /* black */
};
#define OI_BLUE       (okabe_ito[0])
#define OI_VERMILLION (okabe_ito[5])

static G_GNUC_UNUSED void
set_rgb (cairo_t *cr, GbRgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

static G_GNUC_UNUSED void
set_text_colour (cairo_t *cr)
{
  cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
}

static G_GNUC_UNUSED void
set_grid_colour (cairo_t *cr)
{
  cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
}

/* Diverging scale, ColorBrewer RdBu (5 classes), which is colour-blind safe:
 * t in [-1, 1], −1 = blue, 0 = near white, +1 = red. */
static G_GNUC_UNUSED GbRgb
diverging (double t)
{
  static const GbRgb stops[] = {
    { 0x21 / 255.0, 0x66 / 255.0, 0xAC / 255.0 },
    { 0x67 / 255.0, 0xA9 / 255.0, 0xCF / 255.0 },
    { 0xF7 / 255.0, 0xF7 / 255.0, 0xF7 / 255.0 },
    { 0xEF / 255.0, 0x8A / 255.0, 0x62 / 255.0 },
    { 0xB2 / 255.0, 0x18 / 255.0, 0x2B / 255.0 },
  };
  double u, f;
  int i;
  GbRgb c;

  if (isnan (t))
    t = 0;
  t = CLAMP (t, -1.0, 1.0);
  u = (t + 1.0) * 2.0;          /* 0 .. 4 */
  i = (int) floor (u);
  if (i >= 4)
    return stops[4];
  f = u - i;
  c.r = stops[i].r + f * (stops[i + 1].r - stops[i].r);
  c.g = stops[i].g + f * (stops[i + 1].g - stops[i].g);
  c.b = stops[i].b + f * (stops[i + 1].b - stops[i].b);
  return c;
}

/* ------------------------------------------------------------------- text */

typedef struct {
  cairo_t *cr;
  double font;       /* base font size in user units */
} GbPlot;

static G_GNUC_UNUSED double
base_font_size (double width, double height)
{
  return gb_plot_base_font_size (width, height);
}

static G_GNUC_UNUSED PangoLayout *
make_layout (GbPlot *p, const char *text, double size, gboolean bold)
{
  PangoLayout *layout = pango_cairo_create_layout (p->cr);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans");
  cairo_font_options_t *fo = cairo_font_options_create ();

  /* Unhinted metrics so the layout is the same in the PDF and on screen. */
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

static G_GNUC_UNUSED void
text_size (GbPlot *p, const char *text, double size, gboolean bold, double *w, double *h)
{
  PangoLayout *layout = make_layout (p, text, size, bold);
  int pw, ph;

  pango_layout_get_size (layout, &pw, &ph);
  if (w)
    *w = (double) pw / PANGO_SCALE;
  if (h)
    *h = (double) ph / PANGO_SCALE;
  g_object_unref (layout);
}

/* gb-plot.c: counts a label shortened by draw_text(). */
void gb_plot_note_ellipsized (void);

/* Draws @text with its anchor point (ax, ay in [0, 1] of the text box) at
 * (x, y), rotated by @angle radians around that point.  When @max_w > 0 the
 * text is ellipsized at the end to fit. */
static G_GNUC_UNUSED void
draw_text (GbPlot *p, const char *text, double size, gboolean bold, double x, double y,
           double ax, double ay, double max_w, double angle)
{
  PangoLayout *layout;
  int pw, ph;

  if (text == NULL || *text == '\0')
    return;
  cairo_save (p->cr);
  cairo_translate (p->cr, x, y);
  if (angle != 0)
    cairo_rotate (p->cr, angle);
  layout = make_layout (p, text, size, bold);
  if (max_w > 0)
    {
      pango_layout_get_size (layout, &pw, &ph);
      if ((double) pw / PANGO_SCALE > max_w)
        {
          pango_layout_set_width (layout, (int) (MAX (max_w, 1.0) * PANGO_SCALE));
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          gb_plot_note_ellipsized ();
        }
    }
  pango_layout_get_size (layout, &pw, &ph);
  {
    /* With a width set, the logical width is the set width; use the ink of the
     * lines instead so alignment stays on the visible text. */
    PangoRectangle logical;
    pango_layout_get_pixel_extents (layout, NULL, &logical);
    cairo_move_to (p->cr, -ax * logical.width - logical.x, -ay * logical.height);
  }
  pango_cairo_show_layout (p->cr, layout);
  g_object_unref (layout);
  cairo_restore (p->cr);
}

static G_GNUC_UNUSED void
draw_title (GbPlot *p, const char *title, double width, double *top)
{
  double h;

  if (title == NULL || *title == '\0')
    return;
  text_size (p, title, p->font * 1.15, TRUE, NULL, &h);
  set_text_colour (p->cr);
  draw_text (p, title, p->font * 1.15, TRUE, width / 2, *top, 0.5, 0.0, width - 4, 0);
  *top += h + p->font * 0.4;
}

static G_GNUC_UNUSED void
draw_no_data (GbPlot *p, const char *title, double width, double height)
{
  double top = 2;

  draw_title (p, title, width, &top);
  cairo_set_source_rgb (p->cr, 0.35, 0.35, 0.35);
  draw_text (p, "No data", p->font * 1.1, FALSE, width / 2, (top + height) / 2, 0.5, 0.5,
             width - 4, 0);
}

/* ------------------------------------------------------------------ ticks */

static G_GNUC_UNUSED double
nice_number (double x, gboolean round_it)
{
  double e = floor (log10 (x));
  double f = x / pow (10, e);
  double nf;

  if (round_it)
    nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  else
    nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nf * pow (10, e);
}

typedef struct {
  double lo, hi;     /* axis range, multiples of step */
  double step;
  int decimals;
} GbTicks;

static G_GNUC_UNUSED GbTicks
nice_ticks (double lo, double hi, int max_ticks)
{
  GbTicks t;
  double range;

  if (!isfinite (lo) || !isfinite (hi))
    lo = 0, hi = 1;
  if (hi < lo)
    {
      double s = lo;
      lo = hi;
      hi = s;
    }
  if (hi - lo < 1e-12 * MAX (1.0, fabs (hi)))
    {
      double d = fabs (hi) > 0 ? fabs (hi) * 0.5 : 1.0;
      lo -= d;
      hi += d;
      if (lo < 0 && lo + d >= 0)
        lo = MIN (0, lo + d);
    }
  range = nice_number (hi - lo, FALSE);
  t.step = nice_number (range / MAX (max_ticks - 1, 1), TRUE);
  t.lo = floor (lo / t.step + 1e-9) * t.step;
  t.hi = ceil (hi / t.step - 1e-9) * t.step;
  t.decimals = MAX (0, (int) -floor (log10 (t.step) + 1e-9));
  return t;
}

static G_GNUC_UNUSED char *
format_tick (double v, int decimals)
{
  char fmt[16], buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (fabs (v) < 1e-12)
    v = 0;
  g_snprintf (fmt, sizeof fmt, "%%.%df", CLAMP (decimals, 0, 12));
  g_ascii_formatd (buf, sizeof buf, fmt, v);
  return g_strdup (buf);
}

static G_GNUC_UNUSED char *
format_fixed (double v, int decimals)
{
  if (isnan (v))
    return g_strdup ("n/a");
  if (fabs (v) >= 1e7)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2e", v));
    }
  return format_tick (v, decimals);
}

/* Decimals that show about three significant digits of @maxabs. */
static G_GNUC_UNUSED int
shared_decimals (double maxabs)
{
  if (!(maxabs > 0) || !isfinite (maxabs))
    return 2;
  return CLAMP (2 - (int) floor (log10 (maxabs)), 0, 6);
}

static G_GNUC_UNUSED int
tick_count (double length, double font)
{
  return CLAMP ((int) (length / (font * 5.5)), 2, 10);
}

/* Vertical value axis (ticks on the left of x0, grid across to x1). */
static G_GNUC_UNUSED void
draw_y_axis (GbPlot *p, const GbTicks *t, double x0, double x1, double y_top, double y_bottom,
             gboolean grid)
{
  double v;
  double fs = p->font * 0.9;

  for (v = t->lo; v <= t->hi + t->step * 1e-6; v += t->step)
    {
      double y = y_bottom - (v - t->lo) / (t->hi - t->lo) * (y_bottom - y_top);
      g_autofree char *s = format_tick (v, t->decimals);

      if (grid)
        {
          set_grid_colour (p->cr);
          cairo_set_line_width (p->cr, 0.6);
          cairo_move_to (p->cr, x0, y);
          cairo_line_to (p->cr, x1, y);
          cairo_stroke (p->cr);
        }
      set_text_colour (p->cr);
      cairo_set_line_width (p->cr, 0.8);
      cairo_move_to (p->cr, x0 - p->font * 0.35, y);
      cairo_line_to (p->cr, x0, y);
      cairo_stroke (p->cr);
      draw_text (p, s, fs, FALSE, x0 - p->font * 0.5, y, 1.0, 0.5, 0, 0);
    }
}

/* Horizontal value axis (ticks below y0, grid up to y1). */
static G_GNUC_UNUSED void
draw_x_axis (GbPlot *p, const GbTicks *t, double x_left, double x_right, double y0, double y1,
             gboolean grid)
{
  double v;
  double fs = p->font * 0.9;
  double last_right = -G_MAXDOUBLE;

  for (v = t->lo; v <= t->hi + t->step * 1e-6; v += t->step)
    {
      double x = x_left + (v - t->lo) / (t->hi - t->lo) * (x_right - x_left);
      g_autofree char *s = format_tick (v, t->decimals);
      double w;

      if (grid)
        {
          set_grid_colour (p->cr);
          cairo_set_line_width (p->cr, 0.6);
          cairo_move_to (p->cr, x, y0);
          cairo_line_to (p->cr, x, y1);
          cairo_stroke (p->cr);
        }
      set_text_colour (p->cr);
      cairo_set_line_width (p->cr, 0.8);
      cairo_move_to (p->cr, x, y0);
      cairo_line_to (p->cr, x, y0 + p->font * 0.35);
      cairo_stroke (p->cr);
      text_size (p, s, fs, FALSE, &w, NULL);
      if (x - w / 2 > last_right + p->font * 0.3)   /* skip a label that would overlap */
        {
          draw_text (p, s, fs, FALSE, x, y0 + p->font * 0.45, 0.5, 0.0, 0, 0);
          last_right = x + w / 2;
        }
    }
}

static G_GNUC_UNUSED double
max_label_width (GbPlot *p, const char *const *labels, gsize n, double size)
{
  double m = 0;

  for (gsize i = 0; labels && i < n; i++)
    {
      double w;
      if (labels[i] == NULL)
        continue;
      text_size (p, labels[i], size, FALSE, &w, NULL);
      m = MAX (m, w);
    }
  return m;
}

static G_GNUC_UNUSED void
begin (GbPlot *p, cairo_t *cr, double width, double height)
{
  p->cr = cr;
  p->font = base_font_size (width, height);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  cairo_set_dash (cr, NULL, 0, 0);
}

static G_GNUC_UNUSED void
end (GbPlot *p)
{
  cairo_restore (p->cr);
}
