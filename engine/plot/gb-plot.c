/* gb-plot.c — charts as pure Cairo + Pango painters (see gb-plot.h).
 *
 * Every painter lays out a title, axes with "nice" round ticks
 * (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990), labels
 * ellipsized by Pango so they never overlap, and the data.  Sizes scale with
 * the drawing rectangle so a chart is readable both at A4 half-page size
 * (~500 × 300 pt) and on screen (~600 × 400 px).  Numbers are formatted with
 * g_ascii_formatd() so the user's locale never changes the decimal mark. */
#include "gb-plot.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "gb-plot-private.h"

/* ------------------------------------------------------------ font size */

static _Thread_local double font_min = 6.0, font_max = 12.0;
static _Thread_local guint n_ellipsized;

void
gb_plot_note_ellipsized (void)
{
  n_ellipsized++;
}

guint
gb_plot_get_n_ellipsized (void)
{
  return n_ellipsized;
}

void
gb_plot_set_font_range (double min_size, double max_size)
{
  if (min_size <= 0 || max_size < min_size)
    {
      font_min = 6.0;
      font_max = 12.0;
      return;
    }
  font_min = min_size;
  font_max = max_size;
}

double
gb_plot_base_font_size (double width, double height)
{
  /* the width sets the size; only a very flat chart shrinks it */
  double s = MIN (width / 46.0, height / 15.0);
  return CLAMP (s, font_min, font_max);
}

/* -------------------------------------------------------------------- ROC */

void
gb_plot_roc_draw (cairo_t *cr, double width, double height, const char *title,
                  const double *fpr, const double *tpr, gsize n, double auc)
{
  GbPlot p;
  GbTicks t = { 0, 1, 0.2, 1 };
  double top = 2, tick_w, fh, left, bottom, size, x0, y0, x1, y1;
  gboolean started = FALSE;
  const double dash[] = { 4, 3 };

  g_return_if_fail (cr != NULL);
  if (width <= 0 || height <= 0)
    return;
  begin (&p, cr, width, height);
  if (n == 0 || fpr == NULL || tpr == NULL)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  draw_title (&p, title, width, &top);
  text_size (&p, "0.0", p.font * 0.9, FALSE, &tick_w, &fh);
  left = fh * 1.2 + tick_w + p.font * 0.8;       /* axis title + tick labels */
  bottom = fh * 2.3 + p.font * 0.6;
  top += p.font * 0.4;
  size = MIN (width - left - p.font, height - top - bottom);
  if (size < 20)
    size = MAX (MIN (width, height) - 4, 1), left = 2, top = 2, bottom = 2;
  x0 = left + MAX (0, (width - left - p.font - size) * 0.5);
  y1 = top;
  x1 = x0 + size;
  y0 = y1 + size;

  if (size < p.font * 2.6 * 5)
    t.step = 0.5;
  draw_y_axis (&p, &t, x0, x1, y1, y0, TRUE);
  draw_x_axis (&p, &t, x0, x1, y0, y1, TRUE);

  /* axes titles */
  set_text_colour (cr);
  draw_text (&p, _("False positive rate"), p.font, FALSE, (x0 + x1) / 2, y0 + fh + p.font * 0.8,
             0.5, 0.0, size, 0);
  draw_text (&p, _("True positive rate"), p.font, FALSE, x0 - tick_w - p.font * 0.8, (y0 + y1) / 2,
             0.5, 1.0, size, -G_PI / 2);

  /* frame */
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 0.8);
  cairo_rectangle (cr, x0, y1, size, size);
  cairo_stroke (cr);

  /* chance diagonal */
  cairo_set_source_rgb (cr, 0.55, 0.55, 0.55);
  cairo_set_line_width (cr, 0.8);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  /* curve */
  cairo_save (cr);
  cairo_rectangle (cr, x0 - 2, y1 - 2, size + 4, size + 4);
  cairo_clip (cr);
  set_rgb (cr, OI_BLUE);
  cairo_set_line_width (cr, MAX (1.2, p.font * 0.2));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (gsize i = 0; i < n; i++)
    {
      double fx = fpr[i], ty = tpr[i];
      if (isnan (fx) || isnan (ty))
        continue;
      fx = CLAMP (fx, 0, 1);
      ty = CLAMP (ty, 0, 1);
      if (!started)
        cairo_move_to (cr, x0 + fx * size, y0 - ty * size);
      else
        cairo_line_to (cr, x0 + fx * size, y0 - ty * size);
      started = TRUE;
    }
  cairo_stroke (cr);
  cairo_restore (cr);

  /* legend, bottom right inside the plot */
  if (!isnan (auc))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *label = NULL;
      double lw, lh, lx, ly, sw = p.font * 1.6;

      g_ascii_formatd (buf, sizeof buf, "%.3f", auc);
      label = g_strdup_printf ("ROC-AUC = %s", buf);
      text_size (&p, label, p.font * 0.9, FALSE, &lw, &lh);
      lx = x1 - lw - sw - p.font * 1.1;
      ly = y0 - lh - p.font * 0.6;
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_rectangle (cr, lx - p.font * 0.3, ly - p.font * 0.2, lw + sw + p.font * 1.0,
                       lh + p.font * 0.4);
      cairo_fill (cr);
      set_rgb (cr, OI_BLUE);
      cairo_set_line_width (cr, MAX (1.2, p.font * 0.2));
      cairo_move_to (cr, lx, ly + lh / 2);
      cairo_line_to (cr, lx + sw, ly + lh / 2);
      cairo_stroke (cr);
      set_text_colour (cr);
      draw_text (&p, label, p.font * 0.9, FALSE, lx + sw + p.font * 0.3, ly, 0, 0, 0, 0);
    }
  end (&p);
}

/* ------------------------------------------------------- horizontal bars */

/* Chooses how many rows to skip between labels so they do not overlap. */
static gsize
label_stride (double row_h, double text_h)
{
  if (row_h <= 0)
    return 1;
  return MAX ((gsize) 1, (gsize) ceil (text_h * 1.05 / row_h));
}

void
gb_plot_bar_draw (cairo_t *cr, double width, double height, const char *title,
                  const char *const *labels, const double *values, gsize n,
                  const char *value_label)
{
  GbPlot p;
  GbTicks t;
  double top = 2, lo = 0, hi = 0, fh, label_w, val_w = 0, x0, x1, y_top, y_bottom, row_h,
         axis_h, lfs;
  gsize stride;
  gboolean any = FALSE;
  int dec;

  g_return_if_fail (cr != NULL);
  if (width <= 0 || height <= 0)
    return;
  begin (&p, cr, width, height);
  for (gsize i = 0; values && i < n; i++)
    if (!isnan (values[i]))
      {
        lo = MIN (lo, values[i]);
        hi = MAX (hi, values[i]);
        any = TRUE;
      }
  if (n == 0 || values == NULL || !any)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  draw_title (&p, title, width, &top);
  t = nice_ticks (lo, hi, 6);
  dec = shared_decimals (MAX (fabs (lo), fabs (hi)));
  lfs = p.font * 0.9;
  text_size (&p, "0", lfs, FALSE, NULL, &fh);
  axis_h = fh * 1.3 + (value_label ? fh * 1.3 : 0) + p.font * 0.4;
  y_top = top + p.font * 0.2;
  y_bottom = height - axis_h;
  row_h = (y_bottom - y_top) / n;
  /* shrink the label font for many bars, down to a floor */
  while (lfs > 6.5 && fh > row_h * 1.05)
    {
      lfs -= 0.5;
      text_size (&p, "0", lfs, FALSE, NULL, &fh);
    }
  stride = label_stride (row_h, fh);
  label_w = MIN (max_label_width (&p, labels, n, lfs), width * 0.35);
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *s = format_fixed (values[i], dec);
      double w;
      text_size (&p, s, lfs, FALSE, &w, NULL);
      val_w = MAX (val_w, w);
    }
  if (row_h < fh * 0.9)
    val_w = 0;    /* too crowded for value labels */
  x0 = label_w + p.font * 0.8;
  x1 = width - val_w - p.font * 0.8;
  if (x1 - x0 < 20)
    x1 = x0 + 20;
  t = nice_ticks (lo, hi, tick_count (x1 - x0, p.font));
  draw_x_axis (&p, &t, x0, x1, y_bottom, y_top, TRUE);
  if (value_label)
    {
      set_text_colour (cr);
      draw_text (&p, value_label, p.font * 0.95, FALSE, (x0 + x1) / 2,
                 y_bottom + fh * 1.3 + p.font * 0.4, 0.5, 0.0, width - 4, 0);
    }

  for (gsize i = 0; i < n; i++)
    {
      double v = values[i], xa, xb, yc = y_top + (i + 0.5) * row_h, bh = row_h * 0.72;
      double zero = x0 + (0 - t.lo) / (t.hi - t.lo) * (x1 - x0);

      if (labels && labels[i] && i % stride == 0)
        {
          set_text_colour (cr);
          draw_text (&p, labels[i], lfs, FALSE, x0 - p.font * 0.5, yc, 1.0, 0.5, label_w, 0);
        }
      if (isnan (v))
        continue;
      xa = zero;
      xb = x0 + (v - t.lo) / (t.hi - t.lo) * (x1 - x0);
      set_rgb (cr, v >= 0 ? OI_BLUE : OI_VERMILLION);
      cairo_rectangle (cr, MIN (xa, xb), yc - bh / 2, fabs (xb - xa), bh);
      cairo_fill (cr);
      if (val_w > 0)
        {
          g_autofree char *s = format_fixed (v, dec);
          set_text_colour (cr);
          if (v >= 0)
            draw_text (&p, s, lfs, FALSE, MAX (xa, xb) + p.font * 0.3, yc, 0.0, 0.5, 0, 0);
          else
            draw_text (&p, s, lfs, FALSE, MAX (xa, xb) + p.font * 0.3, yc, 0.0, 0.5, 0, 0);
        }
    }
  /* zero line */
  {
    double zero = x0 + (0 - t.lo) / (t.hi - t.lo) * (x1 - x0);
    cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
    cairo_set_line_width (cr, 0.8);
    cairo_move_to (cr, zero, y_top);
    cairo_line_to (cr, zero, y_bottom);
    cairo_stroke (cr);
  }
  end (&p);
}

/* ---------------------------------------------------------- grouped bars */

void
gb_plot_grouped_bar_draw (cairo_t *cr, double width, double height, const char *title,
                          const char *const *groups, gsize n_groups,
                          const char *const *series, gsize n_series,
                          const double *values)
{
  GbPlot p;
  GbTicks t = { 0, 1, 0.2, 1 };
  double top = 2, fh, tick_w, x0, x1, y_top, y_bottom, group_w, bar_w, lfs, legend_x,
         legend_y, sw, label_w;
  gboolean rotate = FALSE;
  gsize stride = 1;
  const gsize n_colours = G_N_ELEMENTS (okabe_ito) - 1;   /* no black bars */

  g_return_if_fail (cr != NULL);
  if (width <= 0 || height <= 0)
    return;
  begin (&p, cr, width, height);
  if (n_groups == 0 || n_series == 0 || values == NULL)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  draw_title (&p, title, width, &top);
  lfs = p.font * 0.9;
  text_size (&p, "0.0", lfs, FALSE, &tick_w, &fh);

  /* legend: rows of swatch + name, wrapped to the width */
  sw = fh * 0.8;
  legend_x = p.font * 0.5;
  legend_y = top;
  for (gsize s = 0; s < n_series; s++)
    {
      const char *name = series && series[s] ? series[s] : "";
      double w;
      text_size (&p, name, lfs, FALSE, &w, NULL);
      w = MIN (w, width * 0.5);
      if (legend_x + sw + p.font * 0.3 + w > width - 2 && legend_x > p.font * 0.5)
        {
          legend_x = p.font * 0.5;
          legend_y += fh * 1.2;
        }
      set_rgb (cr, okabe_ito[s % n_colours]);
      cairo_rectangle (cr, legend_x, legend_y + (fh - sw) / 2, sw, sw);
      cairo_fill (cr);
      set_text_colour (cr);
      draw_text (&p, name, lfs, FALSE, legend_x + sw + p.font * 0.3, legend_y, 0, 0, w, 0);
      legend_x += sw + p.font * 0.3 + w + p.font * 1.2;
    }
  top = legend_y + fh * 1.2 + p.font * 0.5;

  x0 = tick_w + p.font * 1.0;
  x1 = width - p.font * 0.5;
  y_top = top;
  group_w = (x1 - x0) / n_groups;
  /* group labels: horizontal (ellipsized) while a group is wide enough for a
   * few characters, else rotated 45° and thinned out so they never overlap */
  label_w = max_label_width (&p, groups, n_groups, lfs);
  if (label_w > group_w * 0.95 && group_w < p.font * 4)
    {
      rotate = TRUE;
      label_w = MIN (label_w, height * 0.25 / sin (G_PI / 4));
      y_bottom = height - label_w * sin (G_PI / 4) - fh - p.font * 0.3;
      stride = label_stride (group_w, fh * 1.15);
    }
  else
    y_bottom = height - fh * 1.4 - p.font * 0.3;
  if (y_bottom - y_top < 20)
    y_bottom = y_top + 20;
  if ((y_bottom - y_top) < p.font * 2.2 * 5)
    t.step = 0.5;
  draw_y_axis (&p, &t, x0, x1, y_top, y_bottom, TRUE);

  bar_w = group_w * 0.8 / n_series;
  for (gsize g = 0; g < n_groups; g++)
    {
      double gx = x0 + g * group_w;
      for (gsize s = 0; s < n_series; s++)
        {
          double v = values[g * n_series + s], h;
          if (isnan (v))
            continue;
          v = CLAMP (v, 0.0, 1.0);
          h = v * (y_bottom - y_top);
          set_rgb (cr, okabe_ito[s % n_colours]);
          cairo_rectangle (cr, gx + group_w * 0.1 + s * bar_w, y_bottom - h, bar_w * 0.92, h);
          cairo_fill (cr);
        }
      set_text_colour (cr);
      if (groups && groups[g] && rotate && g % stride == 0)
        draw_text (&p, groups[g], lfs, FALSE, gx + group_w / 2 + fh * 0.35,
                   y_bottom + p.font * 0.3, 1.0, 0.0, label_w, -G_PI / 4);
      else if (groups && groups[g] && !rotate)
        draw_text (&p, groups[g], lfs, FALSE, gx + group_w / 2, y_bottom + p.font * 0.3, 0.5,
                   0.0, group_w * 0.95, 0);
    }
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, x0, y_bottom);
  cairo_line_to (cr, x1, y_bottom);
  cairo_stroke (cr);
  end (&p);
}

/* ---------------------------------------------------------------- heatmap */

void
gb_plot_heatmap_draw (cairo_t *cr, double width, double height, const char *title,
                      const char *const *row_labels, gsize n_rows,
                      const char *const *col_labels, gsize n_cols,
                      const double *values)
{
  GbPlot p;
  double top = 2, vmax = 0, lfs, fh, row_label_w, col_label_w, bar_w, x0, x1, y0, y1, cw, ch,
         bottom_h, angle = 0;
  gsize row_stride, col_stride = 1;
  gboolean rotate = FALSE;
  const double bar_ticks[] = { -1, -0.5, 0, 0.5, 1 };

  g_return_if_fail (cr != NULL);
  if (width <= 0 || height <= 0)
    return;
  begin (&p, cr, width, height);
  if (n_rows == 0 || n_cols == 0 || values == NULL)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  for (gsize i = 0; i < n_rows * n_cols; i++)
    if (!isnan (values[i]))
      vmax = MAX (vmax, fabs (values[i]));
  if (vmax == 0)
    vmax = 1;

  draw_title (&p, title, width, &top);
  lfs = p.font * 0.85;
  text_size (&p, "Ag", lfs, FALSE, NULL, &fh);

  /* colour bar column on the right: bar + tick labels */
  {
    g_autofree char *s = format_fixed (-vmax, shared_decimals (vmax));
    double w;
    text_size (&p, s, lfs, FALSE, &w, NULL);
    bar_w = p.font * 1.0 + p.font * 0.4 + w + p.font * 0.6;
  }
  row_label_w = MIN (max_label_width (&p, row_labels, n_rows, lfs), width * 0.22);
  x0 = row_label_w + p.font * 0.6;
  x1 = width - bar_w - p.font * 0.8;
  if (x1 - x0 < 20)
    x1 = x0 + 20;
  cw = (x1 - x0) / n_cols;

  /* column labels: horizontal when they fit, else rotated 45° */
  col_label_w = max_label_width (&p, col_labels, n_cols, lfs);
  if (col_label_w > cw * 0.95)
    {
      rotate = TRUE;
      angle = -G_PI / 4;
      col_label_w = MIN (col_label_w, height * 0.28 / sin (G_PI / 4));
      bottom_h = col_label_w * sin (G_PI / 4) + fh * 0.9 + p.font * 0.4;
      col_stride = label_stride (cw, fh * 1.15);
    }
  else
    bottom_h = fh + p.font * 0.5;
  y0 = top + p.font * 0.2;
  y1 = height - bottom_h;
  if (y1 - y0 < 10)
    y1 = y0 + 10;
  ch = (y1 - y0) / n_rows;
  row_stride = label_stride (ch, fh);

  for (gsize r = 0; r < n_rows; r++)
    for (gsize c = 0; c < n_cols; c++)
      {
        double v = values[r * n_cols + c];
        if (isnan (v))
          cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
        else
          set_rgb (cr, diverging (v / vmax));
        /* overlap by a hair so no seams show between cells */
        cairo_rectangle (cr, x0 + c * cw, y0 + r * ch, cw + 0.3, ch + 0.3);
        cairo_fill (cr);
      }
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 0.6);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_stroke (cr);

  set_text_colour (cr);
  for (gsize r = 0; row_labels && r < n_rows; r += row_stride)
    if (row_labels[r])
      draw_text (&p, row_labels[r], lfs, FALSE, x0 - p.font * 0.4, y0 + (r + 0.5) * ch, 1.0, 0.5,
                 row_label_w, 0);
  for (gsize c = 0; col_labels && c < n_cols; c += col_stride)
    {
      if (col_labels[c] == NULL)
        continue;
      if (rotate)
        draw_text (&p, col_labels[c], lfs, FALSE, x0 + (c + 0.5) * cw + fh * 0.35,
                   y1 + p.font * 0.3, 1.0, 0.0, col_label_w, angle);
      else
        draw_text (&p, col_labels[c], lfs, FALSE, x0 + (c + 0.5) * cw, y1 + p.font * 0.3, 0.5,
                   0.0, cw, 0);
    }

  /* colour bar */
  {
    double bx = x1 + p.font * 0.8, bw = p.font * 1.0, by0 = y0, by1 = MIN (y1, y0 + MAX (
                  (y1 - y0), fh * 6));
    int steps = 64;
    for (int i = 0; i < steps; i++)
      {
        double tv = 1.0 - 2.0 * (i + 0.5) / steps;
        set_rgb (cr, diverging (tv));
        cairo_rectangle (cr, bx, by0 + i * (by1 - by0) / steps, bw, (by1 - by0) / steps + 0.3);
        cairo_fill (cr);
      }
    cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
    cairo_set_line_width (cr, 0.6);
    cairo_rectangle (cr, bx, by0, bw, by1 - by0);
    cairo_stroke (cr);
    for (guint k = 0; k < G_N_ELEMENTS (bar_ticks); k++)
      {
        double tv = bar_ticks[k];
        double y = by0 + (1.0 - tv) / 2.0 * (by1 - by0);
        g_autofree char *s = format_fixed (tv * vmax, shared_decimals (vmax));
        if ((k == 1 || k == 3) && (by1 - by0) < fh * 5)
          continue;
        set_text_colour (cr);
        cairo_move_to (cr, bx + bw, y);
        cairo_line_to (cr, bx + bw + p.font * 0.3, y);
        cairo_stroke (cr);
        draw_text (&p, s, lfs, FALSE, bx + bw + p.font * 0.4, y, 0.0, 0.5, 0, 0);
      }
  }
  end (&p);
}

/* ----------------------------------------------------------------- forest */

void
gb_plot_forest_draw (cairo_t *cr, double width, double height, const char *title,
                     const char *const *labels, const double *estimate,
                     const double *ci_low, const double *ci_high, gsize n,
                     double reference, const char *value_label)
{
  GbPlot p;
  GbTicks t;
  double top = 2, lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, lfs, fh, label_w, text_w = 0, x0, x1,
         y_top, y_bottom, row_h, axis_h;
  gsize stride;
  gboolean any = FALSE;
  int dec;
  const double dash[] = { 4, 3 };

  g_return_if_fail (cr != NULL);
  if (width <= 0 || height <= 0)
    return;
  begin (&p, cr, width, height);
  for (gsize i = 0; estimate && i < n; i++)
    {
      if (isnan (estimate[i]))
        continue;
      any = TRUE;
      lo = MIN (lo, estimate[i]);
      hi = MAX (hi, estimate[i]);
      if (ci_low && !isnan (ci_low[i]))
        lo = MIN (lo, ci_low[i]);
      if (ci_high && !isnan (ci_high[i]))
        hi = MAX (hi, ci_high[i]);
    }
  if (n == 0 || estimate == NULL || !any)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  if (!isnan (reference))
    {
      lo = MIN (lo, reference);
      hi = MAX (hi, reference);
    }
  draw_title (&p, title, width, &top);
  dec = shared_decimals (MAX (fabs (lo), fabs (hi)));
  lfs = p.font * 0.9;
  text_size (&p, "0", lfs, FALSE, NULL, &fh);
  axis_h = fh * 1.3 + (value_label ? fh * 1.3 : 0) + p.font * 0.4;
  y_top = top + p.font * 0.2;
  y_bottom = height - axis_h;
  row_h = (y_bottom - y_top) / n;
  stride = label_stride (row_h, fh);
  label_w = MIN (max_label_width (&p, labels, n, lfs), width * 0.28);

  /* the right-hand column: "estimate [low, high]" */
  for (gsize i = 0; i < n; i++)
    {
      if (isnan (estimate[i]))
        continue;
      g_autofree char *e = format_fixed (estimate[i], dec);
      g_autofree char *l = format_fixed (ci_low ? ci_low[i] : NAN, dec);
      g_autofree char *h = format_fixed (ci_high ? ci_high[i] : NAN, dec);
      g_autofree char *s = g_strdup_printf ("%s [%s, %s]", e, l, h);
      double w;
      text_size (&p, s, lfs, FALSE, &w, NULL);
      text_w = MAX (text_w, w);
    }
  text_w = MIN (text_w, width * 0.3);
  if (stride > 1)
    text_w = 0;
  x0 = label_w + p.font * 0.8;
  x1 = width - text_w - p.font * 1.0;
  if (x1 - x0 < 20)
    x1 = x0 + 20;
  t = nice_ticks (lo, hi, tick_count (x1 - x0, p.font));
  draw_x_axis (&p, &t, x0, x1, y_bottom, y_top, TRUE);
  if (value_label)
    {
      set_text_colour (cr);
      draw_text (&p, value_label, p.font * 0.95, FALSE, (x0 + x1) / 2,
                 y_bottom + fh * 1.3 + p.font * 0.4, 0.5, 0.0, width - 4, 0);
    }
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, x0, y_bottom);
  cairo_line_to (cr, x1, y_bottom);
  cairo_stroke (cr);

  if (!isnan (reference))
    {
      double xr = x0 + (reference - t.lo) / (t.hi - t.lo) * (x1 - x0);
      cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
      cairo_set_line_width (cr, 0.9);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, xr, y_top);
      cairo_line_to (cr, xr, y_bottom);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

#define XPOS(v) (x0 + ((v) - t.lo) / (t.hi - t.lo) * (x1 - x0))
  for (gsize i = 0; i < n; i++)
    {
      double yc = y_top + (i + 0.5) * row_h, e = estimate[i];
      double r = MIN (row_h * 0.28, p.font * 0.45);

      if (labels && labels[i] && i % stride == 0)
        {
          set_text_colour (cr);
          draw_text (&p, labels[i], lfs, FALSE, x0 - p.font * 0.5, yc, 1.0, 0.5, label_w, 0);
        }
      if (isnan (e))
        {
          if (text_w > 0)
            {
              cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
              draw_text (&p, _("n/a"), lfs, FALSE, width - text_w - p.font * 0.2, yc, 0.0, 0.5,
                         text_w, 0);
            }
          continue;
        }
      set_rgb (cr, OI_BLUE);
      if (ci_low && ci_high && !isnan (ci_low[i]) && !isnan (ci_high[i]))
        {
          cairo_set_line_width (cr, MAX (1.0, p.font * 0.15));
          cairo_move_to (cr, XPOS (ci_low[i]), yc);
          cairo_line_to (cr, XPOS (ci_high[i]), yc);
          cairo_stroke (cr);
          /* whisker caps */
          cairo_move_to (cr, XPOS (ci_low[i]), yc - r * 0.7);
          cairo_line_to (cr, XPOS (ci_low[i]), yc + r * 0.7);
          cairo_move_to (cr, XPOS (ci_high[i]), yc - r * 0.7);
          cairo_line_to (cr, XPOS (ci_high[i]), yc + r * 0.7);
          cairo_stroke (cr);
        }
      /* diamond for the point estimate */
      cairo_move_to (cr, XPOS (e), yc - r);
      cairo_line_to (cr, XPOS (e) + r, yc);
      cairo_line_to (cr, XPOS (e), yc + r);
      cairo_line_to (cr, XPOS (e) - r, yc);
      cairo_close_path (cr);
      cairo_fill (cr);
      if (text_w > 0)
        {
          g_autofree char *es = format_fixed (e, dec);
          g_autofree char *ls = format_fixed (ci_low ? ci_low[i] : NAN, dec);
          g_autofree char *hs = format_fixed (ci_high ? ci_high[i] : NAN, dec);
          g_autofree char *s = g_strdup_printf ("%s [%s, %s]", es, ls, hs);
          set_text_colour (cr);
          draw_text (&p, s, lfs, FALSE, width - text_w - p.font * 0.2, yc, 0.0, 0.5, text_w, 0);
        }
    }
#undef XPOS
  end (&p);
}
