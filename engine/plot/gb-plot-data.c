/* gb-plot-data.c — the column-summary chart (histogram or top values). */
#include "gb-config.h"
#include "gb-plot.h"
#include "gb-dataset-summary.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#define BLUE_R (0x00 / 255.0)
#define BLUE_G (0x72 / 255.0)
#define BLUE_B (0xB2 / 255.0)

static void
draw_text (cairo_t *cr, const char *s, double size, gboolean bold, double x, double y,
           double ax, double max_w)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *fd = pango_font_description_from_string ("Sans");
  int w, h;

  pango_font_description_set_absolute_size (fd, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (fd, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, fd);
  pango_layout_set_text (layout, s, -1);
  if (max_w > 0)
    {
      pango_layout_set_width (layout, (int) (max_w * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
  cairo_move_to (cr, x - ax * w, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (fd);
  g_object_unref (layout);
}

static char *
format_edge (const GbColumnSummary *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (s->type == GB_COLUMN_DATE)
    return gb_date_from_days (v);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4g", v));
}

void
gb_plot_column_summary_draw (cairo_t *cr, double width, double height, const char *title,
                             const GbColumnSummary *s)
{
  double font = CLAMP (MIN (width, height) / 22.0, 7.0, 13.0);
  double top, bottom, left = font * 0.8, right = width - font * 0.8;

  g_return_if_fail (cr != NULL && s != NULL);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  draw_text (cr, title ? title : s->name, font * 1.1, TRUE, left, font * 1.1, 0, width - 2 * left);
  top = font * 2.4;
  bottom = height - font * (s->missing > 0 ? 2.8 : 1.6);
  if (s->missing > 0)
    {
      g_autofree char *cap = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu missing", "%lu missing",
                                                           s->missing),
                                              (unsigned long) s->missing);
      draw_text (cr, cap, font * 0.9, FALSE, left, height - font * 0.9, 0, 0);
    }

  if (s->n_bins > 0)
    {
      gsize peak = 1;
      double plot_bottom = bottom - font * 1.4, bw;
      g_autofree char *lo = format_edge (s, s->bin_edges[0]);
      g_autofree char *hi = format_edge (s, s->bin_edges[s->n_bins]);
      g_autofree char *peak_s = NULL;

      for (guint k = 0; k < s->n_bins; k++)
        peak = MAX (peak, s->bin_counts[k]);
      peak_s = g_strdup_printf ("%" G_GSIZE_FORMAT, peak);
      bw = (right - left) / s->n_bins;
      cairo_set_source_rgb (cr, BLUE_R, BLUE_G, BLUE_B);
      for (guint k = 0; k < s->n_bins; k++)
        {
          double h = (plot_bottom - top - font) * s->bin_counts[k] / (double) peak;
          if (s->bin_counts[k] > 0)
            cairo_rectangle (cr, left + k * bw, plot_bottom - h, MAX (bw - (bw > 4 ? 1 : 0), 1), h);
        }
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, left, plot_bottom + 0.5);
      cairo_line_to (cr, right, plot_bottom + 0.5);
      cairo_stroke (cr);
      draw_text (cr, lo, font * 0.85, FALSE, left, plot_bottom + font * 0.8, 0, 0);
      draw_text (cr, hi, font * 0.85, FALSE, right, plot_bottom + font * 0.8, 1, 0);
      draw_text (cr, peak_s, font * 0.85, FALSE, left, top + font * 0.4, 0, 0);
    }
  else if (s->top != NULL && s->top->len > 0)
    {
      guint n = s->top->len + (s->other_count > 0 ? 1 : 0);
      double row = MIN ((bottom - top) / n, font * 2.2);
      double label_w = (right - left) * 0.38;
      double bar_x = left + label_w + font * 0.5;
      gsize peak = MAX (s->other_count, 1);

      for (guint k = 0; k < s->top->len; k++)
        peak = MAX (peak, g_array_index (s->top, GbCategoryCount, k).count);
      for (guint k = 0; k < n; k++)
        {
          gboolean other = k == s->top->len;
          const char *label = other ? _("other") : g_array_index (s->top, GbCategoryCount, k).value;
          gsize count = other ? s->other_count : g_array_index (s->top, GbCategoryCount, k).count;
          double y = top + k * row;
          double w = (right - bar_x - font * 3) * count / (double) peak;
          g_autofree char *count_s = g_strdup_printf ("%" G_GSIZE_FORMAT, count);

          draw_text (cr, label, font * 0.9, FALSE, left, y + row / 2, 0, label_w);
          if (other)
            cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
          else
            cairo_set_source_rgb (cr, BLUE_R, BLUE_G, BLUE_B);
          cairo_rectangle (cr, bar_x, y + row * 0.15, MAX (w, 1), row * 0.7);
          cairo_fill (cr);
          draw_text (cr, count_s, font * 0.85, FALSE, bar_x + w + font * 0.3, y + row / 2, 0, 0);
        }
    }
  else
    draw_text (cr, _("no values"), font, FALSE, width / 2, (top + bottom) / 2, 0.5, 0);
  cairo_restore (cr);
}
