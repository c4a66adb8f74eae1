/* gb-plot-explain.c — painters for explanations: token heatmap, feature
 * waterfall, beeswarm summary, dependence plot, deletion/insertion curves.
 *
 * Same conventions as gb-plot.c (pure Cairo + Pango, Okabe–Ito and RdBu
 * colour-blind-safe colours, g_ascii_formatd numbers), with the layout
 * helpers of gb-plot-private.h. */
#include "gb-plot-private.h"

#include <glib/gi18n-lib.h>
/* ------------------------------------------------------------ helpers */

static double
max_abs (const double *v, gsize n)
{
  double m = 0;
  for (gsize i = 0; v && i < n; i++)
    if (isfinite (v[i]))
      m = MAX (m, fabs (v[i]));
  return m;
}

/* A horizontal colour bar legend for the diverging scale ±@m, centred in
 * [x0, x1] at @y; returns its height. */
static double
draw_colour_legend (GbPlot *p, double x0, double x1, double y, double m, const char *label)
{
  const double w = MIN (x1 - x0, p->font * 16), h = p->font * 0.7;
  const double xl = (x0 + x1) / 2 - w / 2;
  const int steps = 40;
  double fh;
  int dec = shared_decimals (m);
  g_autofree char *lo = format_fixed (-m, dec), *hi = format_fixed (m, dec);

  for (int i = 0; i < steps; i++)
    {
      set_rgb (p->cr, diverging (-1 + 2.0 * (i + 0.5) / steps));
      cairo_rectangle (p->cr, xl + w * i / steps, y, w / steps + 0.3, h);
      cairo_fill (p->cr);
    }
  cairo_set_source_rgb (p->cr, 0.5, 0.5, 0.5);
  cairo_set_line_width (p->cr, 0.5);
  cairo_rectangle (p->cr, xl, y, w, h);
  cairo_stroke (p->cr);
  set_text_colour (p->cr);
  text_size (p, "0", p->font * 0.8, FALSE, NULL, &fh);
  draw_text (p, lo, p->font * 0.8, FALSE, xl - p->font * 0.3, y + h / 2, 1.0, 0.5, 0, 0);
  draw_text (p, hi, p->font * 0.8, FALSE, xl + w + p->font * 0.3, y + h / 2, 0.0, 0.5, 0, 0);
  if (label)
    draw_text (p, label, p->font * 0.8, FALSE, (x0 + x1) / 2, y + h + p->font * 0.15, 0.5, 0.0,
               x1 - x0, 0);
  return h + (label ? fh + p->font * 0.2 : 0);
}

/* ------------------------------------------------------- token heatmap */

void
gb_plot_token_heatmap_draw (cairo_t *cr, double width, double height, const char *title,
                            const char *const *tokens, const double *values, gsize n,
                            const char *value_label)
{
  GbPlot p;
  double top = 2, fs, th, x, y, pad, m, legend_h;

  g_return_if_fail (cr != NULL);
  if (width <= 0 || height <= 0)
    return;
  begin (&p, cr, width, height);
  if (n == 0 || tokens == NULL || values == NULL)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  draw_title (&p, title, width, &top);
  m = max_abs (values, n);
  if (!(m > 0))
    m = 1;
  fs = p.font;
  text_size (&p, "Ag", fs, FALSE, NULL, &th);
  legend_h = p.font * 0.7 + th * 0.9 + p.font * 1.2;
  pad = fs * 0.3;
  x = 2;
  y = top + fs * 0.3;
  for (gsize i = 0; i < n; i++)
    {
      double tw;
      const char *tok = tokens[i] ? tokens[i] : "";
      text_size (&p, tok, fs, FALSE, &tw, NULL);
      tw = MIN (tw, width - 4 - 2 * pad);
      if (x + tw + 2 * pad > width - 2 && x > 2)
        {
          x = 2;
          y += th + 2 * pad + fs * 0.25;
        }
      if (y + th + 2 * pad > height - legend_h)
        break;   /* out of room: the rest is not drawn */
      set_rgb (cr, diverging (isnan (values[i]) ? 0 : values[i] / m));
      cairo_rectangle (cr, x, y, tw + 2 * pad, th + 2 * pad);
      cairo_fill (cr);
      if (fabs (values[i] / m) > 0.75)
        cairo_set_source_rgb (cr, 1, 1, 1);
      else
        set_text_colour (cr);
      draw_text (&p, tok, fs, FALSE, x + pad, y + pad, 0.0, 0.0, tw, 0);
      x += tw + 2 * pad + fs * 0.25;
    }
  draw_colour_legend (&p, 0, width, height - legend_h + p.font * 0.5, m, value_label);
  end (&p);
}

/* ----------------------------------------------------------- waterfall */

typedef struct {
  const double *v;
} SortCtx;

static gint
by_abs_desc (gconstpointer a, gconstpointer b, gpointer data)
{
  const double *v = data;
  double x = fabs (v[*(const guint *) a]), y = fabs (v[*(const guint *) b]);
  if (isnan (x))
    x = -1;
  if (isnan (y))
    y = -1;
  return x > y ? -1 : x < y ? 1 : (int) *(const guint *) a - (int) *(const guint *) b;
}

void
gb_plot_waterfall_draw (cairo_t *cr, double width, double height, const char *title,
                        const char *const *labels, const double *values,
                        const double *std_errors, gsize n, double base_value,
                        double prediction, gsize max_bars)
{
  GbPlot p;
  GbTicks t;
  double top = 2, fh, lfs, label_w, x0, x1, y_top, y_bottom, row_h, axis_h;
  gsize shown, n_bars;
  g_autofree guint *order = NULL;
  g_autofree char **lab = NULL;
  g_autofree double *val = NULL, *se = NULL;
  double lo, hi, cum;
  int dec;

  g_return_if_fail (cr != NULL);
  if (width <= 0 || height <= 0)
    return;
  begin (&p, cr, width, height);
  if (n == 0 || values == NULL || !isfinite (base_value))
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  draw_title (&p, title, width, &top);
  order = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (guint), by_abs_desc, (gpointer) values);
  if (max_bars == 0)
    max_bars = 12;
  shown = MIN (n, max_bars);
  n_bars = shown + (n > shown ? 1 : 0);
  lab = g_new0 (char *, n_bars + 1);
  val = g_new0 (double, n_bars);
  se = g_new0 (double, n_bars);
  for (gsize i = 0; i < shown; i++)
    {
      lab[i] = g_strdup (labels && labels[order[i]] ? labels[order[i]] : "");
      val[i] = values[order[i]];
      se[i] = std_errors ? std_errors[order[i]] : NAN;
    }
  if (n > shown)
    {
      lab[shown] = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu other feature",
                                                 "%lu other features", n - shown),
                                    (unsigned long) (n - shown));
      se[shown] = NAN;
      for (gsize i = shown; i < n; i++)
        val[shown] += isnan (values[order[i]]) ? 0 : values[order[i]];
    }
  /* range over the running sums and intervals */
  lo = hi = base_value;
  cum = base_value;
  for (gsize i = 0; i < n_bars; i++)
    {
      double next = cum + val[i];
      lo = MIN (lo, MIN (cum, next));
      hi = MAX (hi, MAX (cum, next));
      if (isfinite (se[i]))
        {
          lo = MIN (lo, next - 1.96 * se[i]);
          hi = MAX (hi, next + 1.96 * se[i]);
        }
      cum = next;
    }
  if (isfinite (prediction))
    {
      lo = MIN (lo, prediction);
      hi = MAX (hi, prediction);
    }
  lfs = p.font * 0.9;
  text_size (&p, "0", lfs, FALSE, NULL, &fh);
  axis_h = fh * 2.6 + p.font * 0.4;
  y_top = top + p.font * 0.2;
  y_bottom = height - axis_h;
  row_h = (y_bottom - y_top) / (n_bars + 2);
  while (lfs > 6.5 && fh > row_h * 1.05)
    {
      lfs -= 0.5;
      text_size (&p, "0", lfs, FALSE, NULL, &fh);
    }
  label_w = MIN (max_label_width (&p, (const char *const *) lab, n_bars, lfs), width * 0.35);
  {
    /* the base and f(x) rows are drawn bold: room for them as drawn */
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_autofree char *base_s = g_strdup_printf (_("base %s"),
                                               g_ascii_formatd (buf, sizeof buf, "%.3f", base_value));
    double w1, w2;
    text_size (&p, "f(x) = -0.000", lfs, TRUE, &w1, NULL);
    text_size (&p, base_s, lfs, TRUE, &w2, NULL);
    label_w = MAX (label_w, MIN (MAX (w1, w2), width * 0.35));
  }
  x0 = label_w + p.font * 0.8;
  x1 = width - p.font * 4.5;
  t = nice_ticks (lo, hi, tick_count (x1 - x0, p.font));
  dec = shared_decimals (max_abs (val, n_bars));
  draw_x_axis (&p, &t, x0, x1, y_bottom, y_top, TRUE);
  set_text_colour (cr);
  draw_text (&p, _("model output (probability of the explained class)"), p.font * 0.9, FALSE,
             (x0 + x1) / 2, y_bottom + fh * 1.3 + p.font * 0.4, 0.5, 0.0, width - 4, 0);
#define XP(v) (x0 + ((v) - t.lo) / (t.hi - t.lo) * (x1 - x0))
  {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_autofree char *s = g_strdup_printf (_("base %s"), g_ascii_formatd (buf, sizeof buf, "%.3f", base_value));
    double yc = y_top + 0.5 * row_h;
    set_text_colour (cr);
    draw_text (&p, s, lfs, TRUE, x0 - p.font * 0.5, yc, 1.0, 0.5, label_w, 0);
    cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
    cairo_new_path (cr);
    /* a dot no wider than the gap to its label, however tall the rows */
    cairo_arc (cr, XP (base_value), yc, MIN (row_h * 0.18, p.font * 0.4), 0, 2 * G_PI);
    cairo_fill (cr);
  }
  cum = base_value;
  for (gsize i = 0; i < n_bars; i++)
    {
      const double yc = y_top + (i + 1.5) * row_h, bh = row_h * 0.7, next = cum + val[i];
      set_text_colour (cr);
      draw_text (&p, lab[i], lfs, FALSE, x0 - p.font * 0.5, yc, 1.0, 0.5, label_w, 0);
      set_rgb (cr, val[i] >= 0 ? OI_VERMILLION : OI_BLUE);
      cairo_rectangle (cr, MIN (XP (cum), XP (next)), yc - bh / 2,
                       MAX (fabs (XP (next) - XP (cum)), 0.8), bh);
      cairo_fill (cr);
      if (isfinite (se[i]) && se[i] > 0)
        {
          cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
          cairo_set_line_width (cr, 0.9);
          cairo_move_to (cr, XP (next - 1.96 * se[i]), yc);
          cairo_line_to (cr, XP (next + 1.96 * se[i]), yc);
          cairo_move_to (cr, XP (next - 1.96 * se[i]), yc - bh * 0.25);
          cairo_line_to (cr, XP (next - 1.96 * se[i]), yc + bh * 0.25);
          cairo_move_to (cr, XP (next + 1.96 * se[i]), yc - bh * 0.25);
          cairo_line_to (cr, XP (next + 1.96 * se[i]), yc + bh * 0.25);
          cairo_stroke (cr);
        }
      /* connector to the next bar */
      cairo_set_source_rgb (cr, 0.55, 0.55, 0.55);
      cairo_set_line_width (cr, 0.5);
      cairo_move_to (cr, XP (next), yc + bh / 2);
      cairo_line_to (cr, XP (next), yc + row_h - bh / 2);
      cairo_stroke (cr);
      {
        g_autofree char *s = format_fixed (val[i], dec);
        g_autofree char *sp = val[i] > 0 ? g_strconcat ("+", s, NULL) : g_strdup (s);
        set_text_colour (cr);
        double xr = MAX (XP (cum), XP (next));
        if (isfinite (se[i]) && se[i] > 0)
          xr = MAX (xr, XP (next + 1.96 * se[i]));
        draw_text (&p, sp, lfs * 0.95, FALSE, xr + p.font * 0.3, yc, 0.0, 0.5, 0, 0);
      }
      cum = next;
    }
  {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    const double fx = isfinite (prediction) ? prediction : cum;
    g_autofree char *s = g_strdup_printf ("f(x) = %s", g_ascii_formatd (buf, sizeof buf, "%.3f", fx));
    double yc = y_top + (n_bars + 1.5) * row_h;
    set_text_colour (cr);
    draw_text (&p, s, lfs, TRUE, x0 - p.font * 0.5, yc, 1.0, 0.5, label_w, 0);
    cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
    cairo_new_path (cr);
    cairo_arc (cr, XP (fx), yc, MIN (row_h * 0.18, p.font * 0.4), 0, 2 * G_PI);
    cairo_fill (cr);
  }
#undef XP
  for (gsize i = 0; i < n_bars; i++)
    g_free (lab[i]);
  end (&p);
}

/* ------------------------------------------------------------ beeswarm */

void
gb_plot_beeswarm_draw (cairo_t *cr, double width, double height, const char *title,
                       const char *const *features, gsize n_features,
                       const double *attributions, const double *feature_values,
                       gsize n_rows, gsize max_features)
{
  GbPlot p;
  GbTicks t;
  double top = 2, fh, lfs, label_w, x0, x1, y_top, y_bottom, row_h, lo = 0, hi = 0, legend_h;
  g_autofree double *imp = NULL;
  g_autofree guint *order = NULL;
  gsize shown;

  g_return_if_fail (cr != NULL);
  if (width <= 0 || height <= 0)
    return;
  begin (&p, cr, width, height);
  if (n_rows == 0 || n_features == 0 || attributions == NULL)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  draw_title (&p, title, width, &top);
  imp = g_new0 (double, n_features);
  for (gsize j = 0; j < n_features; j++)
    for (gsize i = 0; i < n_rows; i++)
      {
        double a = attributions[i * n_features + j];
        if (!isfinite (a))
          continue;
        imp[j] += fabs (a) / n_rows;
        lo = MIN (lo, a);
        hi = MAX (hi, a);
      }
  order = g_new (guint, n_features);
  for (guint j = 0; j < n_features; j++)
    order[j] = j;
  g_qsort_with_data (order, n_features, sizeof (guint), by_abs_desc, imp);
  shown = MIN (n_features, max_features ? max_features : 15);
  lfs = p.font * 0.9;
  text_size (&p, "0", lfs, FALSE, NULL, &fh);
  legend_h = feature_values ? p.font * 0.7 + fh * 1.2 + p.font * 0.6 : 0;
  y_top = top + p.font * 0.2;
  y_bottom = height - fh * 2.6 - p.font * 0.4 - legend_h;
  row_h = (y_bottom - y_top) / shown;
  label_w = 0;
  for (gsize k = 0; k < shown; k++)
    {
      double w;
      text_size (&p, features && features[order[k]] ? features[order[k]] : "", lfs, FALSE, &w, NULL);
      label_w = MAX (label_w, w);
    }
  label_w = MIN (label_w, width * 0.3);
  x0 = label_w + p.font * 0.8;
  x1 = width - p.font;
  t = nice_ticks (lo, hi, tick_count (x1 - x0, p.font));
  draw_x_axis (&p, &t, x0, x1, y_bottom, y_top, TRUE);
  set_text_colour (cr);
  draw_text (&p, _("attribution (impact on the explained probability)"), p.font * 0.9, FALSE,
             (x0 + x1) / 2, y_bottom + fh * 1.3 + p.font * 0.4, 0.5, 0.0, width - 4, 0);
  {
    double zero = x0 + (0 - t.lo) / (t.hi - t.lo) * (x1 - x0);
    cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
    cairo_set_line_width (cr, 0.8);
    cairo_move_to (cr, zero, y_top);
    cairo_line_to (cr, zero, y_bottom);
    cairo_stroke (cr);
  }
  const double r = CLAMP (row_h * 0.09, 1.2, 3.0);
  for (gsize k = 0; k < shown; k++)
    {
      const guint j = order[k];
      const double yc = y_top + (k + 0.5) * row_h;
      double vmin = G_MAXDOUBLE, vmax = -G_MAXDOUBLE;
      set_text_colour (cr);
      draw_text (&p, features && features[j] ? features[j] : "", lfs, FALSE, x0 - p.font * 0.5,
                 yc, 1.0, 0.5, label_w, 0);
      for (gsize i = 0; feature_values && i < n_rows; i++)
        {
          double v = feature_values[i * n_features + j];
          if (isfinite (v))
            vmin = MIN (vmin, v), vmax = MAX (vmax, v);
        }
      /* beeswarm: points in 2r-wide bins of x stack up and down alternately */
      g_autofree int *bin_count = g_new0 (int, (gsize) ((x1 - x0) / (2 * r)) + 2);
      for (gsize i = 0; i < n_rows; i++)
        {
          double a = attributions[i * n_features + j];
          if (!isfinite (a))
            continue;
          double x = x0 + (a - t.lo) / (t.hi - t.lo) * (x1 - x0);
          int b = (int) ((x - x0) / (2 * r));
          int c = bin_count[b]++;
          double dy = (c % 2 ? 1 : -1) * ((c + 1) / 2) * 1.6 * r;
          dy = CLAMP (dy, -row_h * 0.45, row_h * 0.45);
          double fv = feature_values ? feature_values[i * n_features + j] : NAN;
          if (isfinite (fv) && vmax > vmin)
            set_rgb (cr, diverging (-1 + 2 * (fv - vmin) / (vmax - vmin)));
          else
            cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
          cairo_new_path (cr);
          cairo_arc (cr, x, yc + dy, r, 0, 2 * G_PI);
          cairo_fill_preserve (cr);
          cairo_set_source_rgba (cr, 0.2, 0.2, 0.2, 0.6);
          cairo_set_line_width (cr, 0.3);
          cairo_stroke (cr);
        }
    }
  if (feature_values)
    {
      /* legend: low → high feature value */
      const double lw = MIN (x1 - x0, p.font * 12), lh = p.font * 0.6;
      const double lx = (x0 + x1) / 2 - lw / 2, ly = height - legend_h + p.font * 0.3;
      for (int i = 0; i < 30; i++)
        {
          set_rgb (cr, diverging (-1 + 2.0 * (i + 0.5) / 30));
          cairo_rectangle (cr, lx + lw * i / 30, ly, lw / 30 + 0.3, lh);
          cairo_fill (cr);
        }
      set_text_colour (cr);
      draw_text (&p, _("low"), p.font * 0.8, FALSE, lx - p.font * 0.3, ly + lh / 2, 1.0, 0.5, 0, 0);
      draw_text (&p, _("high"), p.font * 0.8, FALSE, lx + lw + p.font * 0.3, ly + lh / 2, 0.0, 0.5, 0, 0);
      draw_text (&p, _("feature value (grey: categorical or missing)"), p.font * 0.8, FALSE,
                 (x0 + x1) / 2, ly + lh + p.font * 0.15, 0.5, 0.0, x1 - x0, 0);
    }
  end (&p);
}

/* ---------------------------------------------------------- dependence */

void
gb_plot_dependence_draw (cairo_t *cr, double width, double height, const char *title,
                         const char *feature, const double *values, const double *attributions,
                         gsize n)
{
  GbPlot p;
  GbTicks tx, ty;
  double top = 2, fh, x0, x1, y0, y1, xlo = G_MAXDOUBLE, xhi = -G_MAXDOUBLE, ylo = 0, yhi = 0,
         tick_w = 0;
  gsize used = 0;

  g_return_if_fail (cr != NULL);
  if (width <= 0 || height <= 0)
    return;
  begin (&p, cr, width, height);
  for (gsize i = 0; values && attributions && i < n; i++)
    if (isfinite (values[i]) && isfinite (attributions[i]))
      {
        xlo = MIN (xlo, values[i]);
        xhi = MAX (xhi, values[i]);
        ylo = MIN (ylo, attributions[i]);
        yhi = MAX (yhi, attributions[i]);
        used++;
      }
  if (used == 0)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  draw_title (&p, title, width, &top);
  text_size (&p, "0", p.font * 0.9, FALSE, NULL, &fh);
  y0 = top + p.font * 0.5;
  y1 = height - fh * 2.8 - p.font * 0.4;
  ty = nice_ticks (ylo, yhi, tick_count (y1 - y0, p.font));
  for (double v = ty.lo; v <= ty.hi + ty.step * 1e-6; v += ty.step)
    {
      g_autofree char *s = format_tick (v, ty.decimals);
      double w;
      text_size (&p, s, p.font * 0.9, FALSE, &w, NULL);
      tick_w = MAX (tick_w, w);
    }
  x0 = tick_w + fh * 2.2 + p.font * 0.6;
  x1 = width - p.font;
  tx = nice_ticks (xlo, xhi, tick_count (x1 - x0, p.font));
  draw_y_axis (&p, &ty, x0, x1, y0, y1, TRUE);
  draw_x_axis (&p, &tx, x0, x1, y1, y0, TRUE);
  set_text_colour (cr);
  draw_text (&p, feature ? feature : _("feature value"), p.font * 0.95, FALSE, (x0 + x1) / 2,
             y1 + fh * 1.3 + p.font * 0.4, 0.5, 0.0, x1 - x0, 0);
  draw_text (&p, _("attribution"), p.font * 0.95, FALSE, fh * 0.2, (y0 + y1) / 2, 0.5, 0.0,
             y1 - y0, -G_PI / 2);
  {
    double zy = y1 - (0 - ty.lo) / (ty.hi - ty.lo) * (y1 - y0);
    cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
    cairo_set_line_width (cr, 0.8);
    cairo_move_to (cr, x0, zy);
    cairo_line_to (cr, x1, zy);
    cairo_stroke (cr);
  }
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (values[i]) || !isfinite (attributions[i]))
        continue;
      double x = x0 + (values[i] - tx.lo) / (tx.hi - tx.lo) * (x1 - x0);
      double y = y1 - (attributions[i] - ty.lo) / (ty.hi - ty.lo) * (y1 - y0);
      set_rgb (cr, OI_BLUE);
      cairo_new_path (cr);
          cairo_arc (cr, x, y, 2.4, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  end (&p);
}

/* -------------------------------------------------------------- curves */

void
gb_plot_curves_draw (cairo_t *cr, double width, double height, const char *title,
                     const char *const *series, gsize n_series, const double *curves,
                     gsize n_points, const char *x_label, const char *y_label)
{
  GbPlot p;
  GbTicks tx, ty;
  double top = 2, fh, x0, x1, y0, y1, lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, tick_w = 0,
         legend_h, lx, ly;
  static const double dashes[][2] = { { 0, 0 }, { 5, 3 }, { 2, 2 }, { 7, 2 }, { 1, 3 }, { 4, 1 } };

  g_return_if_fail (cr != NULL);
  if (width <= 0 || height <= 0)
    return;
  begin (&p, cr, width, height);
  for (gsize i = 0; curves && i < n_series * n_points; i++)
    if (isfinite (curves[i]))
      lo = MIN (lo, curves[i]), hi = MAX (hi, curves[i]);
  if (n_series == 0 || n_points < 2 || lo > hi)
    {
      draw_no_data (&p, title, width, height);
      end (&p);
      return;
    }
  draw_title (&p, title, width, &top);
  text_size (&p, "0", p.font * 0.9, FALSE, NULL, &fh);
  legend_h = (fh * 1.3) * ((n_series + 2) / 3) + p.font * 0.3;
  y0 = top + p.font * 0.5;
  y1 = height - fh * 2.8 - p.font * 0.4 - legend_h;
  ty = nice_ticks (lo, hi, tick_count (y1 - y0, p.font));
  for (double v = ty.lo; v <= ty.hi + ty.step * 1e-6; v += ty.step)
    {
      g_autofree char *s = format_tick (v, ty.decimals);
      double w;
      text_size (&p, s, p.font * 0.9, FALSE, &w, NULL);
      tick_w = MAX (tick_w, w);
    }
  x0 = tick_w + fh * 2.2 + p.font * 0.6;
  x1 = width - p.font;
  tx = nice_ticks (0, n_points - 1, MIN ((int) n_points, tick_count (x1 - x0, p.font)));
  if (tx.step < 1)
    tx = (GbTicks) { 0, n_points - 1, 1, 0 };
  tx.lo = 0;
  tx.hi = n_points - 1;    /* the last tick may fall short of the end */
  draw_y_axis (&p, &ty, x0, x1, y0, y1, TRUE);
  draw_x_axis (&p, &tx, x0, x1, y1, y0, TRUE);
  set_text_colour (cr);
  if (x_label)
    draw_text (&p, x_label, p.font * 0.95, FALSE, (x0 + x1) / 2, y1 + fh * 1.3 + p.font * 0.4,
               0.5, 0.0, x1 - x0, 0);
  if (y_label)
    draw_text (&p, y_label, p.font * 0.95, FALSE, fh * 0.2, (y0 + y1) / 2, 0.5, 0.0, y1 - y0,
               -G_PI / 2);
  for (gsize s = 0; s < n_series; s++)
    {
      gboolean started = FALSE;
      set_rgb (cr, okabe_ito[s % 7]);
      cairo_set_line_width (cr, 1.6);
      if (s % 6)
        cairo_set_dash (cr, dashes[s % 6], 2, 0);
      for (gsize k = 0; k < n_points; k++)
        {
          double v = curves[s * n_points + k];
          if (!isfinite (v))
            continue;
          double x = x0 + (k - tx.lo) / (tx.hi - tx.lo) * (x1 - x0);
          double y = y1 - (v - ty.lo) / (ty.hi - ty.lo) * (y1 - y0);
          if (started)
            cairo_line_to (cr, x, y);
          else
            cairo_move_to (cr, x, y);
          started = TRUE;
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  /* legend in up to three columns */
  ly = height - legend_h + p.font * 0.3;
  for (gsize s = 0; s < n_series; s++)
    {
      const double cw = (x1 - x0) / 3;
      lx = x0 + cw * (s % 3);
      double yy = ly + (s / 3) * fh * 1.3 + fh * 0.5;
      set_rgb (cr, okabe_ito[s % 7]);
      cairo_set_line_width (cr, 1.6);
      if (s % 6)
        cairo_set_dash (cr, dashes[s % 6], 2, 0);
      cairo_move_to (cr, lx, yy);
      cairo_line_to (cr, lx + p.font * 2, yy);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      set_text_colour (cr);
      draw_text (&p, series && series[s] ? series[s] : "", p.font * 0.85, FALSE,
                 lx + p.font * 2.4, yy, 0.0, 0.5, cw - p.font * 2.6, 0);
    }
  end (&p);
}
