/* gb-plot-fairness-gap.c — fairness charts that need curves or a
 * decomposition (see gb-plot.h): the gap decomposition's horizontal bars
 * with interval whiskers, and per-group ROC and calibration curves. */
#include "gb-config.h"
#include "gb-plot-private.h"

#include <glib/gi18n-lib.h>

/* Group g's colour: the reference group black, the others through the
 * Okabe–Ito palette (yellow skipped: too pale for a thin line). */
static GbRgb
group_colour (gsize g, gssize reference)
{
  static const int order[] = { 0, 5, 2, 3, 4, 1 };
  if ((gssize) g == reference)
    return okabe_ito[7];
  gsize k = reference >= 0 && (gssize) g > reference ? g - 1 : g;
  return okabe_ito[order[k % G_N_ELEMENTS (order)]];
}

void
gb_plot_gap_decomposition_draw (cairo_t *cr, double width, double height, const char *title,
                                const char *const *features, const double *values,
                                const double *ci_low, const double *ci_high, gsize n,
                                double gap, guint max_bars, const char *value_label)
{
  GbPlot p;
  double top = 2;

  begin (&p, cr, width, height);
  if (n == 0 || features == NULL || values == NULL)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  draw_title (&p, title, width, &top);

  /* the top max_bars − 1 contributors by |value| (they arrive sorted, but
   * sort again), then "other" = the sum of the rest; all fit when n ≤ max_bars */
  if (max_bars < 2)
    max_bars = 2;
  g_autofree gsize *order = g_new (gsize, n);
  for (gsize i = 0; i < n; i++)
    order[i] = i;
  for (gsize i = 1; i < n; i++)
    for (gsize k = i; k > 0 && fabs (values[order[k]]) > fabs (values[order[k - 1]]); k--)
      {
        const gsize t = order[k];
        order[k] = order[k - 1];
        order[k - 1] = t;
      }
  const gsize shown = n <= max_bars ? n : max_bars - 1;
  const gboolean other = shown < n;
  const gsize rows = shown + (other ? 1 : 0);
  g_autofree const char **labels = g_new0 (const char *, rows + 1);
  g_autofree double *v = g_new (double, rows);
  g_autofree double *lo = g_new (double, rows);
  g_autofree double *hi = g_new (double, rows);
  g_autofree char *other_label = NULL;
  for (gsize r = 0; r < shown; r++)
    {
      labels[r] = features[order[r]];
      v[r] = values[order[r]];
      lo[r] = ci_low ? ci_low[order[r]] : NAN;
      hi[r] = ci_high ? ci_high[order[r]] : NAN;
    }
  if (other)
    {
      double s = 0;
      for (gsize r = shown; r < n; r++)
        s += values[order[r]];
      other_label = g_strdup_printf (_("other (%u features)"), (guint) (n - shown));
      labels[shown] = other_label;
      v[shown] = s;
      lo[shown] = hi[shown] = NAN;
    }

  /* value range: bars, whiskers, 0 and the gap */
  double vmin = MIN (0.0, gap), vmax = MAX (0.0, gap);
  for (gsize r = 0; r < rows; r++)
    {
      if (isfinite (v[r]))
        vmin = MIN (vmin, v[r]), vmax = MAX (vmax, v[r]);
      if (isfinite (lo[r]))
        vmin = MIN (vmin, lo[r]);
      if (isfinite (hi[r]))
        vmax = MAX (vmax, hi[r]);
    }
  if (!isfinite (vmin) || !isfinite (vmax) || vmax - vmin < 1e-12)
    vmin = -1e-3, vmax = 1e-3;

  const double fs = p.font;
  const double label_w = MIN (max_label_width (&p, labels, rows, fs * 0.9) + fs * 0.6, width * 0.38);
  const double left = label_w + fs * 0.4, right = width - fs * 1.2;
  const double legend_h = fs * 1.6, axis_h = fs * 3.0;
  const double bottom = height - axis_h - legend_h;
  if (bottom - top < rows * 4 || right - left < 20)
    {
      end (&p);
      return;
    }
  GbTicks t = nice_ticks (vmin, vmax, tick_count (right - left, fs));
#define X(val) (left + ((val) - t.lo) / (t.hi - t.lo) * (right - left))
  draw_x_axis (&p, &t, left, right, bottom, top, TRUE);

  /* zero line */
  set_text_colour (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, X (0.0), top);
  cairo_line_to (cr, X (0.0), bottom);
  cairo_stroke (cr);

  const double slot = (bottom - top) / rows;
  const double bar_h = MIN (slot * 0.62, fs * 1.6);
  for (gsize r = 0; r < rows; r++)
    {
      const double cy = top + (r + 0.5) * slot;
      set_text_colour (cr);
      draw_text (&p, labels[r], fs * 0.9, FALSE, label_w, cy, 1.0, 0.5, label_w - fs * 0.2, 0);
      if (!isfinite (v[r]))
        continue;
      /* positive (the group above the reference) in vermillion, negative in blue */
      if (other && r == shown)
        cairo_set_source_rgb (cr, 0.62, 0.62, 0.62);
      else
        set_rgb (cr, v[r] >= 0 ? OI_VERMILLION : OI_BLUE);
      const double x0 = X (MIN (0.0, v[r])), x1 = X (MAX (0.0, v[r]));
      cairo_rectangle (cr, x0, cy - bar_h / 2, MAX (x1 - x0, 0.8), bar_h);
      cairo_fill (cr);
      if (isfinite (lo[r]) && isfinite (hi[r]))
        {
          set_text_colour (cr);
          cairo_set_line_width (cr, 1.1);
          cairo_move_to (cr, X (lo[r]), cy);
          cairo_line_to (cr, X (hi[r]), cy);
          cairo_move_to (cr, X (lo[r]), cy - bar_h * 0.3);
          cairo_line_to (cr, X (lo[r]), cy + bar_h * 0.3);
          cairo_move_to (cr, X (hi[r]), cy - bar_h * 0.3);
          cairo_line_to (cr, X (hi[r]), cy + bar_h * 0.3);
          cairo_stroke (cr);
        }
    }

  /* the whole gap, dashed */
  if (isfinite (gap))
    {
      const double dash[] = { 4.0, 3.0 };
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, X (gap), top);
      cairo_line_to (cr, X (gap), bottom);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
#undef X
  set_text_colour (cr);
  draw_text (&p, value_label ? value_label : _("share of the gap"), fs * 0.9, FALSE,
             (left + right) / 2, bottom + fs * 1.5, 0.5, 0.0, right - left, 0);
  g_autofree char *gs = format_fixed (gap, shared_decimals (fabs (gap)));
  g_autofree char *legend = g_strdup_printf (_("dashed: the whole gap (%s) · whiskers: 95 %% "
                                               "bootstrap interval"), gs);
  draw_text (&p, legend, fs * 0.8, FALSE, width / 2, height - legend_h * 0.5, 0.5, 0.5,
             width - fs, 0);
  end (&p);
}

/* Shared frame of the two curve charts: unit square axes, the diagonal,
 * and a legend of the groups below.  Returns the plot square. */
static gboolean
curve_frame (GbPlot *p, double width, double height, const char *title,
             const char *const *legend, gsize n_groups, gssize reference, const char *x_label,
             const char *y_label, double *l, double *tp, double *r, double *b)
{
  double top = 2;
  const double fs = p->font;
  draw_title (p, title, width, &top);
  /* legend: one row of entries, wrapped when needed */
  double lw = 0;
  for (gsize g = 0; g < n_groups; g++)
    {
      double w;
      text_size (p, legend[g], fs * 0.8, FALSE, &w, NULL);
      lw += w + fs * 2.2;
    }
  const int legend_rows = MAX (1, (int) ceil (lw / MAX (width - fs * 2, 1)));
  const double legend_h = legend_rows * fs * 1.3 + fs * 0.4;
  const double bottom = height - legend_h - fs * 2.8;
  const double side = MIN (width - fs * 4.6, bottom - top);
  if (side < 20)
    return FALSE;
  /* the square centred in the width left of the y-axis labels */
  const double left = fs * 3.6 + (width - fs * 4.6 - side) / 2;
  const double right = left + side, ptop = bottom - side;
  GbTicks t = { 0, 1, 0.2, 1 };
  draw_x_axis (p, &t, left, right, bottom, ptop, TRUE);
  draw_y_axis (p, &t, left, right, ptop, bottom, TRUE);
  set_text_colour (p->cr);
  cairo_set_line_width (p->cr, 0.8);
  cairo_rectangle (p->cr, left, ptop, side, side);
  cairo_stroke (p->cr);
  draw_text (p, x_label, fs * 0.9, FALSE, (left + right) / 2, bottom + fs * 1.45, 0.5, 0.0,
             side, 0);
  draw_text (p, y_label, fs * 0.9, FALSE, left - fs * 3.4, (ptop + bottom) / 2, 0.5, 0.0, side,
             -G_PI / 2);
  {
    const double dash[] = { 3.0, 3.0 };
    cairo_set_source_rgb (p->cr, 0.6, 0.6, 0.6);
    cairo_set_dash (p->cr, dash, 2, 0);
    cairo_move_to (p->cr, left, bottom);
    cairo_line_to (p->cr, right, ptop);
    cairo_stroke (p->cr);
    cairo_set_dash (p->cr, NULL, 0, 0);
  }
  /* legend */
  double lx = fs, ly = height - legend_h + fs * 0.7;
  for (gsize g = 0; g < n_groups; g++)
    {
      double w;
      text_size (p, legend[g], fs * 0.8, FALSE, &w, NULL);
      if (lx + w + fs * 2.2 > width && lx > fs)
        {
          lx = fs;
          ly += fs * 1.3;
        }
      set_rgb (p->cr, group_colour (g, reference));
      cairo_set_line_width (p->cr, 2.0);
      cairo_move_to (p->cr, lx, ly);
      cairo_line_to (p->cr, lx + fs * 1.2, ly);
      cairo_stroke (p->cr);
      set_text_colour (p->cr);
      draw_text (p, legend[g], fs * 0.8, (gssize) g == reference, lx + fs * 1.5, ly, 0.0, 0.5,
                 0, 0);
      lx += w + fs * 2.2;
    }
  *l = left, *tp = ptop, *r = right, *b = bottom;
  return TRUE;
}

void
gb_plot_group_roc_draw (cairo_t *cr, double width, double height, const char *title,
                        const char *const *groups, const double *const *fpr,
                        const double *const *tpr, const gsize *len, const double *auc,
                        gsize n_groups, gssize reference)
{
  GbPlot p;
  double l, t, r, b;

  begin (&p, cr, width, height);
  if (n_groups == 0)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  g_autoptr(GPtrArray) legend = g_ptr_array_new_with_free_func (g_free);
  for (gsize g = 0; g < n_groups; g++)
    {
      g_autofree char *a = format_fixed (auc ? auc[g] : NAN, 3);
      g_ptr_array_add (legend, g_strdup_printf (_("%s%s (AUC %s)"), groups[g],
                                                (gssize) g == reference ? _(" (ref.)") : "", a));
    }
  if (!curve_frame (&p, width, height, title, (const char *const *) legend->pdata, n_groups,
                    reference, _("false-positive rate"), _("true-positive rate"), &l, &t, &r, &b))
    {
      end (&p);
      return;
    }
  cairo_save (cr);
  cairo_rectangle (cr, l, t, r - l, b - t);
  cairo_clip (cr);
  /* the reference last, so it is on top */
  for (gsize k = 0; k < n_groups; k++)
    {
      const gsize g = reference >= 0 ? (k + reference + 1) % n_groups : k;
      if (fpr[g] == NULL || tpr[g] == NULL || len[g] < 2)
        continue;
      set_rgb (cr, group_colour (g, reference));
      cairo_set_line_width (cr, (gssize) g == reference ? 2.0 : 1.5);
      gboolean started = FALSE;
      for (gsize i = 0; i < len[g]; i++)
        {
          if (!isfinite (fpr[g][i]) || !isfinite (tpr[g][i]))
            continue;
          const double x = l + fpr[g][i] * (r - l), y = b - tpr[g][i] * (b - t);
          if (!started)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
          started = TRUE;
        }
      cairo_stroke (cr);
    }
  cairo_restore (cr);
  end (&p);
}

void
gb_plot_group_calibration_draw (cairo_t *cr, double width, double height, const char *title,
                                const char *const *groups, const double *const *mean_score,
                                const double *const *observed, const gsize *const *counts,
                                guint n_bins, gsize n_groups, gssize reference)
{
  GbPlot p;
  double l, t, r, b;

  begin (&p, cr, width, height);
  if (n_groups == 0 || n_bins == 0)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  g_autoptr(GPtrArray) legend = g_ptr_array_new_with_free_func (g_free);
  for (gsize g = 0; g < n_groups; g++)
    g_ptr_array_add (legend, g_strdup_printf ("%s%s", groups[g],
                                              (gssize) g == reference ? _(" (ref.)") : ""));
  if (!curve_frame (&p, width, height, title, (const char *const *) legend->pdata, n_groups,
                    reference, _("mean predicted probability (bin)"), _("observed positive rate"),
                    &l, &t, &r, &b))
    {
      end (&p);
      return;
    }
  cairo_save (cr);
  cairo_rectangle (cr, l - 4, t - 4, r - l + 8, b - t + 8);
  cairo_clip (cr);
  for (gsize k = 0; k < n_groups; k++)
    {
      const gsize g = reference >= 0 ? (k + reference + 1) % n_groups : k;
      if (mean_score[g] == NULL || observed[g] == NULL)
        continue;
      set_rgb (cr, group_colour (g, reference));
      cairo_set_line_width (cr, (gssize) g == reference ? 2.0 : 1.5);
      gboolean started = FALSE;
      for (guint i = 0; i < n_bins; i++)
        {
          if (!isfinite (mean_score[g][i]) || !isfinite (observed[g][i])
              || (counts && counts[g] && counts[g][i] == 0))
            continue;
          const double x = l + mean_score[g][i] * (r - l), y = b - observed[g][i] * (b - t);
          if (!started)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
          started = TRUE;
        }
      cairo_stroke (cr);
      /* a dot per bin, its area growing with the bin's rows */
      for (guint i = 0; i < n_bins; i++)
        {
          if (!isfinite (mean_score[g][i]) || !isfinite (observed[g][i])
              || (counts && counts[g] && counts[g][i] == 0))
            continue;
          const double rad = counts && counts[g]
            ? CLAMP (0.9 + 0.45 * sqrt ((double) counts[g][i]) / 3.0, 1.2, p.font * 0.45) : 2.0;
          cairo_arc (cr, l + mean_score[g][i] * (r - l), b - observed[g][i] * (b - t), rad, 0,
                     2 * G_PI);
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);
  end (&p);
}
