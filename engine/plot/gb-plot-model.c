/* gb-plot-model.c — model-evaluation charts: the reliability diagram and the
 * confusion matrix (declared in gb-plot.h).  Pure Cairo + Pango, shared by
 * the Model pane and the PDF report. */
#include "gb-plot.h"
#include "gb-metrics-class.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

/* Okabe–Ito blue and vermillion (Okabe & Ito 2008). */
#define OI_BLUE_R (0x00 / 255.0)
#define OI_BLUE_G (0x72 / 255.0)
#define OI_BLUE_B (0xB2 / 255.0)
#define OI_VERM_R (0xD5 / 255.0)
#define OI_VERM_G (0x5E / 255.0)
#define OI_VERM_B (0x00 / 255.0)

typedef struct {
  cairo_t *cr;
  double font;
} Painter;

static PangoLayout *
layout_new (Painter *p, const char *text, double size, gboolean bold)
{
  PangoLayout *layout = pango_cairo_create_layout (p->cr);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans");
  cairo_font_options_t *fo = cairo_font_options_create ();

  /* unhinted metrics: the same layout in the PDF and on screen */
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

static void
measure (Painter *p, const char *text, double size, gboolean bold, double *w, double *h)
{
  PangoLayout *layout = layout_new (p, text, size, bold);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  if (w)
    *w = (double) logical.width / PANGO_SCALE;
  if (h)
    *h = (double) logical.height / PANGO_SCALE;
  g_object_unref (layout);
}

/* Draws @text with its anchor (ax, ay in [0, 1] of its box) at (x, y),
 * rotated by @angle; ellipsized to @max_w when > 0.  Uses the current source. */
static void
text_at (Painter *p, const char *text, double size, gboolean bold, double x, double y,
         double ax, double ay, double max_w, double angle)
{
  PangoLayout *layout;
  PangoRectangle logical;

  if (!text || !*text)
    return;
  cairo_save (p->cr);
  cairo_translate (p->cr, x, y);
  if (angle != 0)
    cairo_rotate (p->cr, angle);
  layout = layout_new (p, text, size, bold);
  pango_layout_get_extents (layout, NULL, &logical);
  if (max_w > 0 && (double) logical.width / PANGO_SCALE > max_w)
    {
      pango_layout_set_width (layout, (int) (max_w * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  cairo_move_to (p->cr, -ax * logical.width - logical.x, -ay * logical.height);
  pango_cairo_show_layout (p->cr, layout);
  g_object_unref (layout);
  cairo_restore (p->cr);
}

static void
painter_begin (Painter *p, cairo_t *cr, double width, double height)
{
  p->cr = cr;
  p->font = CLAMP (MIN (width / 46.0, height / 15.0), 6.0, 12.0);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
}

static void
set_text_colour (cairo_t *cr)
{
  cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
}

/* Title on top; returns the y below it. */
static double
draw_title (Painter *p, const char *title, double width)
{
  double h = 0;

  if (!title || !*title)
    return 2;
  measure (p, title, p->font * 1.15, TRUE, NULL, &h);
  set_text_colour (p->cr);
  text_at (p, title, p->font * 1.15, TRUE, width / 2, 2, 0.5, 0, width - 4, 0);
  return 2 + h + p->font * 0.4;
}

static char *
format_fixed (double v, int decimals)
{
  char fmt[16], buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return g_strdup (_("n/a"));
  g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, fmt, v));
}

/* ------------------------------------------------------ reliability diagram */

void
gb_plot_reliability_draw (cairo_t *cr, double width, double height, const char *title,
                          const struct _GbReliability *rel, const char *x_label,
                          const char *y_label)
{
  Painter p;
  double top, left, right, bottom, size, x0, y0, tick_w, fh;
  gboolean empty;
  const double dash[] = { 4, 3 };

  g_return_if_fail (cr != NULL);
  painter_begin (&p, cr, width, height);
  empty = rel == NULL || rel->n == 0 || rel->n_bins == 0;
  if (!x_label)
    x_label = _("Confidence");
  if (!y_label)
    y_label = _("Accuracy");

  top = draw_title (&p, title, width);

  /* Legend row: observed bars, the gap to the diagonal, the ECE. */
  measure (&p, "0.0", p.font * 0.9, FALSE, &tick_w, &fh);
  if (!empty)
    {
      g_autofree char *ece = format_fixed (rel->ece, 3);
      g_autofree char *summary = g_strdup_printf (_("ECE = %s   n = %lu"), ece, (unsigned long) rel->n);
      double sw = p.font * 1.0, x = p.font, w;

      cairo_set_source_rgb (cr, OI_BLUE_R, OI_BLUE_G, OI_BLUE_B);
      cairo_rectangle (cr, x, top + fh * 0.2, sw, fh * 0.6);
      cairo_fill (cr);
      x += sw + p.font * 0.3;
      set_text_colour (cr);
      text_at (&p, y_label, p.font * 0.9, FALSE, x, top, 0, 0, 0, 0);
      measure (&p, y_label, p.font * 0.9, FALSE, &w, NULL);
      x += w + p.font;
      cairo_set_source_rgb (cr, OI_VERM_R, OI_VERM_G, OI_VERM_B);
      cairo_rectangle (cr, x, top + fh * 0.2, sw, fh * 0.6);
      cairo_fill (cr);
      x += sw + p.font * 0.3;
      set_text_colour (cr);
      text_at (&p, _("Gap"), p.font * 0.9, FALSE, x, top, 0, 0, 0, 0);
      measure (&p, _("Gap"), p.font * 0.9, FALSE, &w, NULL);
      x += w + p.font * 1.5;
      text_at (&p, summary, p.font * 0.9, FALSE, x, top, 0, 0, width - x - 2, 0);
      top += fh + p.font * 0.6;
    }
  else
    top += p.font * 0.5;

  /* Plot rectangle: y ticks and the rotated y title on the left, x ticks and
   * title below; square when the space allows. */
  left = p.font * 0.4 + fh + p.font * 0.4 + tick_w + p.font * 0.6;
  right = width - p.font;
  bottom = height - (fh * 2 + p.font * 0.9);
  size = MIN (right - left, bottom - top);
  if (size < 10)
    {
      cairo_restore (cr);
      return;
    }
  x0 = left + (right - left - size) / 2;
  y0 = top + size;   /* the origin is bottom-left */

#define PX(v) (x0 + (v) * size)
#define PY(v) (y0 - (v) * size)

  /* grid and ticks every 0.2 */
  cairo_set_line_width (cr, 0.6);
  for (int i = 0; i <= 5; i++)
    {
      double v = i * 0.2;
      g_autofree char *s = format_fixed (v, i == 0 || i == 5 ? 0 : 1);

      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_move_to (cr, PX (v), PY (0));
      cairo_line_to (cr, PX (v), PY (1));
      cairo_move_to (cr, PX (0), PY (v));
      cairo_line_to (cr, PX (1), PY (v));
      cairo_stroke (cr);
      set_text_colour (cr);
      text_at (&p, s, p.font * 0.9, FALSE, PX (v), y0 + p.font * 0.35, 0.5, 0, 0, 0);
      text_at (&p, s, p.font * 0.9, FALSE, x0 - p.font * 0.4, PY (v), 1, 0.5, 0, 0);
    }
  set_text_colour (cr);
  text_at (&p, x_label, p.font, FALSE, x0 + size / 2, y0 + p.font * 0.5 + fh, 0.5, 0, size, 0);
  text_at (&p, y_label, p.font, FALSE, p.font * 0.4, y0 - size / 2, 0.5, 0, size, -G_PI / 2);

  if (empty)
    {
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
      text_at (&p, _("No predictions"), p.font * 1.1, FALSE, x0 + size / 2, y0 - size / 2,
               0.5, 0.5, size, 0);
    }
  else
    {
      for (guint b = 0; b < rel->n_bins; b++)
        {
          double xa, xb, f, c;

          if (rel->count[b] == 0 || isnan (rel->frequency[b]) || isnan (rel->confidence[b]))
            continue;
          xa = PX (rel->edges[b]);
          xb = PX (rel->edges[b + 1]);
          f = CLAMP (rel->frequency[b], 0.0, 1.0);
          c = CLAMP (rel->confidence[b], 0.0, 1.0);
          /* observed frequency */
          cairo_set_source_rgb (cr, OI_BLUE_R, OI_BLUE_G, OI_BLUE_B);
          cairo_rectangle (cr, xa, PY (f), xb - xa, PY (0) - PY (f));
          cairo_fill (cr);
          /* gap between the observed frequency and the mean confidence: a
           * solid box above an over-confident bin's bar; inside an
           * under-confident bin's bar, hatching with an outline, so the bar
           * still shows its full height (the observed frequency) */
          if (fabs (f - c) * size >= 0.5 && c > f)
            {
              cairo_set_source_rgb (cr, OI_VERM_R, OI_VERM_G, OI_VERM_B);
              cairo_rectangle (cr, xa, PY (c), xb - xa, (c - f) * size);
              cairo_fill (cr);
            }
          else if (fabs (f - c) * size >= 0.5)
            {
              const double top = PY (f), h = (f - c) * size, step = MAX (4.0, size / 60);
              cairo_save (cr);
              cairo_rectangle (cr, xa, top, xb - xa, h);
              cairo_clip (cr);
              cairo_set_source_rgb (cr, OI_VERM_R, OI_VERM_G, OI_VERM_B);
              cairo_set_line_width (cr, MAX (1.0, step / 3));
              for (double d = -h; d < xb - xa + h; d += step)
                {
                  cairo_move_to (cr, xa + d, top + h);
                  cairo_line_to (cr, xa + d + h, top);
                }
              cairo_stroke (cr);
              cairo_restore (cr);
              cairo_set_line_width (cr, 1.0);
              cairo_rectangle (cr, xa + 0.5, top + 0.5, xb - xa - 1, h - 1);
              cairo_stroke (cr);
            }
          /* white separators between neighbouring bars */
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, 1.0);
          cairo_move_to (cr, xa, PY (0));
          cairo_line_to (cr, xa, PY (MAX (f, c)));
          cairo_move_to (cr, xb, PY (0));
          cairo_line_to (cr, xb, PY (MAX (f, c)));
          cairo_stroke (cr);
        }
    }

  /* perfect calibration: the diagonal */
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 1.2);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, PX (0), PY (0));
  cairo_line_to (cr, PX (1), PY (1));
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  /* frame */
  set_text_colour (cr);
  cairo_set_line_width (cr, 0.8);
  cairo_rectangle (cr, PX (0), PY (1), size, size);
  cairo_stroke (cr);
#undef PX
#undef PY
  cairo_restore (cr);
}

/* --------------------------------------------------------- confusion matrix */

void
gb_plot_confusion_draw (cairo_t *cr, double width, double height, const char *title,
                        const char *const *labels, guint n_classes, const guint64 *counts,
                        gboolean normalize_rows)
{
  Painter p;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  double top, fh, label_fs, row_label_w = 0, col_label_w = 0, cell, x0, y0, left, bottom_room;
  double angle = 0, max_label = 0, left_pad = 0, title_h = 0;
  guint64 max_count = 0;
  guint K = n_classes;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (counts != NULL || n_classes == 0);
  painter_begin (&p, cr, width, height);
  top = draw_title (&p, title, width);
  if (K == 0)
    {
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
      text_at (&p, _("No data"), p.font * 1.1, FALSE, width / 2, (top + height) / 2, 0.5, 0.5,
               width - 4, 0);
      cairo_restore (cr);
      return;
    }

  for (guint k = 0; k < K; k++)
    g_ptr_array_add (names, labels && labels[k] ? g_strdup (labels[k]) : g_strdup_printf ("%u", k));
  for (gsize i = 0; i < (gsize) K * K; i++)
    max_count = MAX (max_count, counts[i]);

  /* label sizes: shrink with many classes, never below 5 */
  label_fs = CLAMP (p.font * 0.9 * MIN (1.0, 12.0 / K + 0.4), 5.0, p.font * 0.9);
  measure (&p, "Ag", label_fs, FALSE, NULL, &fh);
  for (guint k = 0; k < K; k++)
    {
      double w;
      measure (&p, g_ptr_array_index (names, k), label_fs, FALSE, &w, NULL);
      max_label = MAX (max_label, w);
    }
  max_label = MIN (max_label, width * 0.3);
  row_label_w = max_label;

  /* "True class" rotated title + row labels on the left; column labels and
   * "Predicted class" below.  Columns labels turn 90° when they do not fit. */
  measure (&p, _("True class"), p.font, FALSE, NULL, &title_h);
  left = p.font * 0.4 + title_h + p.font * 0.5 + row_label_w + p.font * 0.4;
  cell = (width - left - p.font) / K;
  if (max_label + p.font * 0.3 > cell)
    {
      angle = -G_PI / 2;
      col_label_w = max_label;
    }
  else
    col_label_w = fh;
  bottom_room = p.font * 0.4 + col_label_w + p.font * 0.4 + title_h + p.font * 0.4;
  cell = MIN (cell, (height - top - bottom_room) / K);
  if (cell < 2)
    {
      cairo_restore (cr);
      return;
    }
  /* centre the block of title, labels and cells */
  {
    double shift = MAX (0.0, (width - p.font - (left + cell * K)) / 2);
    left_pad = shift;
    x0 = left + shift;
  }
  y0 = top;

  for (guint t = 0; t < K; t++)
    {
      guint64 row_total = 0;

      for (guint c = 0; c < K; c++)
        row_total += counts[(gsize) t * K + c];
      for (guint c = 0; c < K; c++)
        {
          guint64 v = counts[(gsize) t * K + c];
          double share = normalize_rows ? (row_total ? (double) v / row_total : NAN)
                                        : (max_count ? (double) v / max_count : 0.0);
          double cx = x0 + c * cell, cy = y0 + t * cell;

          if (isnan (share))
            cairo_set_source_rgb (cr, 0.94, 0.94, 0.94);
          else
            cairo_set_source_rgb (cr, 1.0 + share * (OI_BLUE_R - 1.0), 1.0 + share * (OI_BLUE_G - 1.0),
                                  1.0 + share * (OI_BLUE_B - 1.0));
          cairo_rectangle (cr, cx, cy, cell, cell);
          cairo_fill (cr);

          /* the count (and the row share) in cells large enough */
          if (cell >= fh * 1.3)
            {
              g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, v);
              gboolean two = normalize_rows && row_total && cell >= fh * 2.6;
              double fs = MIN (label_fs, cell * 0.35);

              if (!isnan (share) && share > 0.5)
                cairo_set_source_rgb (cr, 1, 1, 1);
              else
                set_text_colour (cr);
              if (two)
                {
                  g_autofree char *pc = format_fixed (100.0 * v / row_total, 0);
                  g_autofree char *pcs = g_strconcat (pc, " %", NULL);
                  text_at (&p, n, fs, TRUE, cx + cell / 2, cy + cell / 2, 0.5, 1.0, cell - 2, 0);
                  text_at (&p, pcs, fs * 0.9, FALSE, cx + cell / 2, cy + cell / 2, 0.5, 0.0, cell - 2, 0);
                }
              else
                text_at (&p, n, fs, FALSE, cx + cell / 2, cy + cell / 2, 0.5, 0.5, cell - 2, 0);
            }
        }
    }

  /* white grid between cells */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, MIN (1.0, cell * 0.05));
  for (guint k = 1; k < K; k++)
    {
      cairo_move_to (cr, x0 + k * cell, y0);
      cairo_line_to (cr, x0 + k * cell, y0 + K * cell);
      cairo_move_to (cr, x0, y0 + k * cell);
      cairo_line_to (cr, x0 + K * cell, y0 + k * cell);
    }
  cairo_stroke (cr);
  /* frame */
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 0.8);
  cairo_rectangle (cr, x0, y0, K * cell, K * cell);
  cairo_stroke (cr);

  /* labels: skip some when the rows are shorter than the text */
  {
    guint stride = MAX (1, (guint) ceil (fh * 1.05 / cell));
    set_text_colour (cr);
    for (guint k = 0; k < K; k += stride)
      {
        const char *name = g_ptr_array_index (names, k);
        text_at (&p, name, label_fs, FALSE, x0 - p.font * 0.4, y0 + (k + 0.5) * cell, 1, 0.5,
                 row_label_w, 0);
        if (angle == 0)
          text_at (&p, name, label_fs, FALSE, x0 + (k + 0.5) * cell, y0 + K * cell + p.font * 0.4,
                   0.5, 0, cell, 0);
        else
          text_at (&p, name, label_fs, FALSE, x0 + (k + 0.5) * cell, y0 + K * cell + p.font * 0.4,
                   1, 0.5, col_label_w, angle);
      }
    text_at (&p, _("Predicted class"), p.font, FALSE, x0 + K * cell / 2,
             y0 + K * cell + p.font * 0.8 + col_label_w, 0.5, 0, K * cell, 0);
    text_at (&p, _("True class"), p.font, FALSE, left_pad + p.font * 0.4, y0 + K * cell / 2, 0.5, 0, K * cell,
             -G_PI / 2);
  }
  cairo_restore (cr);
}
