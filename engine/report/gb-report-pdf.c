/* gb-report-pdf.c — the audit report as an A4 PDF (Cairo PDF surface + Pango).
 *
 * Layout: a title page with an executive summary written from the numbers,
 * then one section per page group ("1 Data" … "6 Provenance").  Text is laid
 * out line by line so paragraphs and tables break across pages; tables
 * repeat their header row on every page.  Charts are the vector painters of
 * engine/plot.  The file is written to "PATH.XXXXXX" in the target folder and
 * renamed over PATH only when everything succeeded. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* _NL_PAPER_WIDTH, _NL_PAPER_HEIGHT */
#endif
#include "gb-config.h"
#include "gb-report-pdf.h"
#include "gb-plot.h"
#include "gb-metrics.h"
#include "gb-report-sections.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <stdint.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#include <json-glib/json-glib.h>

/* The page size of the document being drawn (A4 595 × 842 pt or US Letter
 * 612 × 792 pt, see gb_report_paper_for_locale()); every helper has @d. */
#define PAGE_W (d->page_w)
#define PAGE_H (d->page_h)
#define MARGIN_X 50.0
#define MARGIN_TOP 50.0
#define MARGIN_BOTTOM 62.0
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define BODY_SIZE 10.0
#define SMALL_SIZE 8.5

typedef struct {
  cairo_surface_t *surface;
  cairo_t *cr;
  double y;
  int page;           /* 1-based number of the current page */
  gboolean page_dirty;
  GPtrArray *pool;    /* strings freed with the document */
  /* the page furniture and the table of contents (two passes) */
  double page_w, page_h;
  char *running_head;       /* "DATASET — Glassbox audit", on every page but the title page */
  int n_pages_prev;         /* page count of the previous pass; 0 in the first */
  GArray *toc;              /* (element-type GbTocEntry) headings found in this pass */
  GArray *toc_prev;         /* (nullable) headings of the previous pass, listed in the contents */
  int outline_parent;       /* PDF outline id of the last level-1 heading */
  /* exports (gb_report_export()): tables as CSV, charts as PNG/SVG */
  const char *tables_dir;   /* (nullable) */
  const char *charts_dir;   /* (nullable) */
  gboolean charts_svg;
  guint n_tables, n_charts;
  char *last_heading;       /* names the exported files */
  GError *export_error;     /* the first export failure */
  /* the section toggles (gb-report-sections.h): level-1 headings are
   * renumbered in order, so an omitted section leaves no gap */
  guint omit;               /* settings->omit_sections */
  int section_no;           /* the number printed for the current level-1 section */
  int section_fixed;        /* the number written in the code for it */
  /* the preview (gb_report_render_pages()): each page is a recording surface
   * instead of a PDF page, with the PDF surface's font options so the text
   * lays out and breaks exactly as in the PDF */
  GPtrArray *pages;         /* (nullable) (element-type cairo_surface_t) finished pages */
  cairo_font_options_t *font_options;
  GCancellable *cancellable;  /* (nullable) (unowned) the preview's: the rest of a pass is skipped */
} GbPdf;

typedef struct {
  char *text;
  int level;
  int page;
} GbTocEntry;

struct _GbCol;
static void export_table (GbPdf *d, const struct _GbCol *cols, guint n_cols, GPtrArray *cells);
static void export_chart (GbPdf *d, double height,
                          void (*func) (cairo_t *, double, double, gpointer), gpointer data);

/* ------------------------------------------------------------ formatting */

static const char *
keep (GbPdf *d, char *s)
{
  g_ptr_array_add (d->pool, s);
  return s;
}

/* Fixed decimals, locale-independent; "n/a" for NaN. */
static const char *
num (GbPdf *d, double v, int decimals)
{
  char fmt[16], buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return "n/a";
  if (isinf (v))
    return v > 0 ? "∞" : "−∞";
  if (fabs (v) < 0.5 * pow (10, -decimals))
    v = 0;    /* no "-0.00" */
  g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
  g_ascii_formatd (buf, sizeof buf, fmt, v);
  return keep (d, g_strdup (buf));
}

/* About three significant digits. */
static const char *
sig (GbPdf *d, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double a = fabs (v);

  if (isnan (v))
    return "n/a";
  if (a == 0)
    return "0";
  if (a >= 1e6 || a < 1e-3)
    return keep (d, g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2e", v)));
  if (a >= 100)
    return num (d, v, 0);
  if (a >= 10)
    return num (d, v, 1);
  if (a >= 1)
    return num (d, v, 2);
  if (a >= 0.1)
    return num (d, v, 3);
  if (a >= 0.01)
    return num (d, v, 4);
  return num (d, v, 5);
}

/* Shortest round-trip form, for settings a user typed ("0.001", not "0.00100"). */
static const char *
exact (GbPdf *d, double v)
{
  return keep (d, gb_format_double (v));
}

static const char *
pval (GbPdf *d, double p)
{
  if (isnan (p))
    return "n/a";
  if (p < 0.001)
    return "<\u00A00.001";
  return num (d, p, 3);
}

static const char *
count (GbPdf *d, guint64 n)
{
  /* narrow no-break space as thousands separator (SI style), locale-independent */
  g_autofree char *raw = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *s = g_string_new (NULL);
  gsize len = strlen (raw);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (s, "\u202F");
      g_string_append_c (s, raw[i]);
    }
  return keep (d, g_string_free (s, FALSE));
}

static const char *
orna (const char *s)
{
  return s && *s ? s : "—";
}

static const char *
joinv (GbPdf *d, char **v)
{
  if (v == NULL || v[0] == NULL)
    return "—";
  return keep (d, g_strjoinv (", ", v));
}

/* The method as a phrase for sentences ("… by %s"). */
static const char *
method_name (const char *method)
{
  if (method == NULL)
    return _("an unnamed method");
  if (g_str_equal (method, "naive"))
    return _("the naive difference in means");
  if (g_str_equal (method, "ipw"))
    return _("inverse-propensity weighting with the Horvitz–Thompson estimator");
  if (g_str_equal (method, "ipw_hajek"))
    return _("inverse-propensity weighting with the Hájek estimator");
  if (g_str_equal (method, "aipw"))
    return _("doubly robust augmented inverse-propensity weighting");
  if (g_str_equal (method, "regression"))
    return _("outcome regression");
  if (g_str_has_prefix (method, "match"))
    return _("propensity-score matching");
  return method;
}

/* The method for table cells. */
static const char *
method_short (const char *method)
{
  if (method == NULL)
    return "—";
  if (g_str_equal (method, "naive"))
    return _("Difference in means");
  if (g_str_equal (method, "ipw"))
    return _("IPW (Horvitz–Thompson)");
  if (g_str_equal (method, "ipw_hajek"))
    return _("IPW (Hájek)");
  if (g_str_equal (method, "aipw"))
    return _("AIPW (doubly robust)");
  if (g_str_equal (method, "regression"))
    return _("Outcome regression");
  if (g_str_equal (method, "regression_adjustment"))
    return _("Regression adjustment");
  if (g_str_equal (method, "stratification"))
    return _("Propensity strata");
  if (g_str_equal (method, "psm"))
    return _("Propensity-score matching");
  if (g_str_equal (method, "mahalanobis_matching"))
    return _("Mahalanobis matching");
  if (g_str_has_prefix (method, "match"))
    return _("Propensity-score matching");
  return method;
}

/* ----------------------------------------------------------------- text */

static PangoLayout *
layout_new (GbPdf *d, const char *text, double size, gboolean bold, gboolean mono, double width)
{
  PangoLayout *layout = pango_cairo_create_layout (d->cr);
  /* DejaVu for Latin text as before; Noto Sans CJK SC for Chinese glyphs
   * (fonts-noto-cjk), which fontconfig would otherwise pick at random */
  PangoFontDescription *desc = pango_font_description_from_string (
    mono ? "DejaVu Sans Mono, Noto Sans Mono CJK SC, Monospace"
         : "DejaVu Sans, Noto Sans CJK SC, Sans");

  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text ? text : "", -1);
  return layout;
}

static void
draw_header (GbPdf *d)
{
  PangoLayout *layout;

  if (d->page <= 1 || d->running_head == NULL)
    return;
  layout = layout_new (d, d->running_head, SMALL_SIZE, FALSE, FALSE, CONTENT_W);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_MIDDLE);
  cairo_save (d->cr);
  cairo_set_source_rgb (d->cr, 0.35, 0.35, 0.35);
  cairo_move_to (d->cr, MARGIN_X, 24);
  pango_cairo_show_layout (d->cr, layout);
  cairo_set_source_rgb (d->cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (d->cr, 0.5);
  cairo_move_to (d->cr, MARGIN_X, 38);
  cairo_line_to (d->cr, PAGE_W - MARGIN_X, 38);
  cairo_stroke (d->cr);
  cairo_restore (d->cr);
  g_object_unref (layout);
}

/* "page N of M"; M is the page count of the previous pass (the layout
 * does not depend on it, so the last pass prints the true count). */
static void
draw_footer (GbPdf *d)
{
  g_autofree char *s = g_strdup_printf (_("page %d of %d"), d->page,
                                        MAX (d->n_pages_prev, d->page));
  PangoLayout *layout = layout_new (d, s, SMALL_SIZE, FALSE, FALSE, CONTENT_W);
  int w, h;

  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_size (layout, &w, &h);
  cairo_save (d->cr);
  cairo_set_source_rgb (d->cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (d->cr, 0.5);
  cairo_move_to (d->cr, MARGIN_X, PAGE_H - 40);
  cairo_line_to (d->cr, PAGE_W - MARGIN_X, PAGE_H - 40);
  cairo_stroke (d->cr);
  cairo_set_source_rgb (d->cr, 0.35, 0.35, 0.35);
  cairo_move_to (d->cr, MARGIN_X, PAGE_H - 36);
  pango_cairo_show_layout (d->cr, layout);
  cairo_restore (d->cr);
  g_object_unref (layout);
}

/* A blank preview page: a recording surface of the page size, drawn with
 * the PDF's font options. */
static void
preview_page_begin (GbPdf *d)
{
  cairo_rectangle_t extents = { 0, 0, PAGE_W, PAGE_H };

  d->surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);
  d->cr = cairo_create (d->surface);
  cairo_set_font_options (d->cr, d->font_options);
}

/* Ends the page: cairo_show_page() on the PDF; for the preview the page's
 * recording surface is kept and the next page starts on a new one, with
 * the source and line width carried over as cairo_show_page() keeps them. */
static void
page_end (GbPdf *d)
{
  cairo_pattern_t *source;
  double line_width;

  if (d->pages == NULL)
    {
      cairo_show_page (d->cr);
      return;
    }
  source = cairo_pattern_reference (cairo_get_source (d->cr));
  line_width = cairo_get_line_width (d->cr);
  cairo_destroy (d->cr);
  g_ptr_array_add (d->pages, d->surface);
  preview_page_begin (d);
  cairo_set_source (d->cr, source);
  cairo_set_line_width (d->cr, line_width);
  cairo_pattern_destroy (source);
}

static void
new_page (GbPdf *d)
{
  draw_footer (d);
  page_end (d);
  d->page++;
  d->y = MARGIN_TOP;
  d->page_dirty = FALSE;
  draw_header (d);
}

/* Starts a new page unless @h more points fit on this one. */
static void
need (GbPdf *d, double h)
{
  if (d->y + h > PAGE_H - MARGIN_BOTTOM && d->page_dirty)
    new_page (d);
}

static void
section_page (GbPdf *d)
{
  if (d->page_dirty)
    new_page (d);
}

static void
space (GbPdf *d, double h)
{
  d->y += h;
}

/* Draws a laid-out paragraph line by line, breaking pages between lines. */
static void
show_layout_lines (GbPdf *d, PangoLayout *layout, double x)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  double top_of_layout = d->y;
  double shift = 0;   /* how far later lines moved because of page breaks */

  do
    {
      PangoRectangle logical;
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      int baseline = pango_layout_iter_get_baseline (iter);
      double line_top, line_h;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      line_top = top_of_layout + shift + (double) logical.y / PANGO_SCALE;
      line_h = (double) logical.height / PANGO_SCALE;
      if (line_top + line_h > PAGE_H - MARGIN_BOTTOM && d->page_dirty)
        {
          new_page (d);
          shift += d->y - line_top;
          line_top = d->y;
        }
      cairo_move_to (d->cr, x + (double) logical.x / PANGO_SCALE,
                     top_of_layout + shift + (double) baseline / PANGO_SCALE);
      pango_cairo_show_layout_line (d->cr, line);
      d->y = line_top + line_h;
      d->page_dirty = TRUE;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static void
paragraph_full (GbPdf *d, const char *text, double size, gboolean bold, gboolean mono,
                double indent, double r, double g, double b)
{
  PangoLayout *layout = layout_new (d, text, size, bold, mono, CONTENT_W - indent);

  pango_layout_set_spacing (layout, (int) (size * 0.25 * PANGO_SCALE));
  cairo_set_source_rgb (d->cr, r, g, b);
  show_layout_lines (d, layout, MARGIN_X + indent);
  g_object_unref (layout);
  d->y += size * 0.55;
}

static void
paragraph (GbPdf *d, const char *text)
{
  paragraph_full (d, text, BODY_SIZE, FALSE, FALSE, 0, 0.1, 0.1, 0.1);
}

static void G_GNUC_PRINTF (2, 3)
paragraphf (GbPdf *d, const char *format, ...)
{
  va_list ap;
  g_autofree char *s = NULL;

  va_start (ap, format);
  s = g_strdup_vprintf (format, ap);
  va_end (ap);
  paragraph (d, s);
}

/* An argument as a POSIX shell reads it back: bare when it holds only
 * characters no shell treats specially, else g_shell_quote()d. */
static char *
shell_word (const char *arg, gssize len)
{
  g_autofree char *piece = len < 0 ? g_strdup (arg) : g_strndup (arg, len);
  gboolean bare = *piece != '\0';

  for (const char *c = piece; *c && bare; c++)
    bare = g_ascii_isalnum (*c) || strchr ("_@%+=:,./-", *c) != NULL;
  return bare ? g_steal_pointer (&piece) : g_shell_quote (piece);
}

char *
gb_report_format_command (const char *command, guint width)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const guint indent = 2;
  guint line_len = 0;

  g_return_val_if_fail (command != NULL, NULL);
  width = MAX (width, 16);
  if (!g_shell_parse_argv (command, NULL, &argv, NULL))
    return g_strdup (command);
  for (guint i = 0; argv[i]; i++)
    {
      g_autofree char *word = shell_word (argv[i], -1);
      const guint len = g_utf8_strlen (word, -1);
      const char *rest = argv[i];

      /* between arguments: " \" ends the line, the next is indented */
      if (i > 0 && line_len + 1 + len + 2 > width)
        {
          g_string_append (out, " \\\n  ");
          line_len = indent;
        }
      else if (i > 0)
        {
          g_string_append_c (out, ' ');
          line_len++;
        }
      if (line_len + len + 2 <= width)
        {
          g_string_append (out, word);
          line_len += len;
          continue;
        }
      /* longer than a line: split the argument into pieces, each quoted on
       * its own, joined by backslash-newline (a shell removes it and joins
       * the pieces into one word, quoted or not) */
      while (*rest)
        {
          const glong n_chars = g_utf8_strlen (rest, -1);
          glong take = n_chars;
          g_autofree char *piece = NULL;

          for (;;)
            {
              const char *cut = g_utf8_offset_to_pointer (rest, take);
              g_free (piece);
              piece = shell_word (rest, cut - rest);
              if (take == 1 || line_len + g_utf8_strlen (piece, -1) + (take < n_chars ? 1 : 2) <= width)
                break;
              take--;
            }
          g_string_append (out, piece);
          line_len += g_utf8_strlen (piece, -1);
          rest = g_utf8_offset_to_pointer (rest, take);
          if (*rest)
            {
              g_string_append (out, "\\\n");
              line_len = 0;
            }
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A command line in monospace, wrapped by gb_report_format_command(): the
 * printed lines, copied into a shell, give back the same arguments. */
static void
command_block (GbPdf *d, const char *text, double size, double indent)
{
  PangoLayout *probe = layout_new (d, "0123456789", size, FALSE, TRUE, 0);
  g_autofree char *wrapped = NULL;
  guint per_line;
  int w, h;

  pango_layout_get_size (probe, &w, &h);
  g_object_unref (probe);
  per_line = MAX (16, (guint) floor ((CONTENT_W - indent) / ((double) w / PANGO_SCALE / 10.0)) - 1);
  wrapped = gb_report_format_command (text, per_line);
  paragraph_full (d, wrapped, size, FALSE, TRUE, indent, 0.1, 0.1, 0.1);
}

static void
bullet (GbPdf *d, const char *text)
{
  PangoLayout *dot = layout_new (d, "•", BODY_SIZE, FALSE, FALSE, 0);
  double y0;

  need (d, BODY_SIZE * 1.5);
  y0 = d->y;
  cairo_set_source_rgb (d->cr, 0.1, 0.1, 0.1);
  cairo_move_to (d->cr, MARGIN_X + 4, y0);
  pango_cairo_show_layout (d->cr, dot);
  g_object_unref (dot);
  paragraph_full (d, text, BODY_SIZE, FALSE, FALSE, 16, 0.1, 0.1, 0.1);
}

/* "4 Fairness" → "3 Fairness" when an earlier section is omitted, and its
 * "4.2 …" subheadings with it; @text unchanged when all sections print. */
static const char *
renumber (GbPdf *d, const char *text, int level)
{
  char *end = NULL;
  guint64 n;

  if (!g_ascii_isdigit (text[0]))
    return text;
  n = g_ascii_strtoull (text, &end, 10);
  if (level == 1 && *end == ' ')
    {
      d->section_no++;
      d->section_fixed = (int) n;
    }
  else if (level != 2 || *end != '.' || (int) n != d->section_fixed)
    return text;
  if ((int) n == d->section_no)
    return text;
  return keep (d, g_strdup_printf ("%d%s", d->section_no, end));
}

static void
heading (GbPdf *d, const char *text, int level)
{
  double size = level == 1 ? 17.0 : level == 2 ? 12.5 : 11.0;

  text = renumber (d, text, level);

  if (level > 1)
    {
      need (d, size * 2 + 90);   /* keep a heading with what follows */
      space (d, size * 0.6);
    }
  paragraph_full (d, text, size, TRUE, FALSE, 0, 0.0, 0.2, 0.4);
  g_free (d->last_heading);
  d->last_heading = g_strdup (text);
  if (level <= 2 && d->page > 1)
    {
      GbTocEntry e = { g_strdup (text), level, d->page };
      g_autofree char *dest = g_strdup_printf ("page=%d pos=[%d %d]", d->page, (int) MARGIN_X,
                                               (int) MAX (0, d->y - size * 2));
      int id = d->pages != NULL ? 0   /* a preview has no PDF outline */
        : cairo_pdf_surface_add_outline (d->surface,
                                         level == 1 ? CAIRO_PDF_OUTLINE_ROOT : d->outline_parent,
                                         text, dest, 0);
      if (level == 1)
        d->outline_parent = id;
      g_array_append_val (d->toc, e);
    }
  if (level == 1)
    {
      cairo_set_source_rgb (d->cr, 0.0, 0.45, 0.7);
      cairo_set_line_width (d->cr, 1.0);
      cairo_move_to (d->cr, MARGIN_X, d->y - 2);
      cairo_line_to (d->cr, PAGE_W - MARGIN_X, d->y - 2);
      cairo_stroke (d->cr);
      space (d, 8);
    }
}

/* ---------------------------------------------------------------- tables */

typedef struct _GbCol {
  const char *title;
  double width;          /* share of the content width */
  PangoAlignment align;
  gboolean mono;
} GbCol;

#define CELL_PAD_X 4.0
#define CELL_PAD_Y 2.6

static PangoLayout *
cell_layout (GbPdf *d, const GbCol *col, const char *text, gboolean bold, double size)
{
  double w = col->width * CONTENT_W - 2 * CELL_PAD_X;
  PangoLayout *layout = layout_new (d, text, size, bold, col->mono, w);

  pango_layout_set_alignment (layout, col->align);
  pango_layout_set_height (layout, -4);    /* at most four lines, then "…" */
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  return layout;
}

static double
table_row (GbPdf *d, const GbCol *cols, guint n_cols, const char *const *cells,
           gboolean header, gboolean shade, double size, gboolean dry_run)
{
  PangoLayout *layouts[16];
  double row_h = 0, x = MARGIN_X;

  g_assert (n_cols <= G_N_ELEMENTS (layouts));
  for (guint c = 0; c < n_cols; c++)
    {
      int w, h;
      layouts[c] = cell_layout (d, &cols[c], header ? cols[c].title : cells[c], header, size);
      pango_layout_get_size (layouts[c], &w, &h);
      row_h = MAX (row_h, (double) h / PANGO_SCALE);
    }
  row_h += 2 * CELL_PAD_Y;
  if (!dry_run)
    {
      if (header || shade)
        {
          if (header)
            cairo_set_source_rgb (d->cr, 0.86, 0.91, 0.96);
          else
            cairo_set_source_rgb (d->cr, 0.965, 0.965, 0.965);
          cairo_rectangle (d->cr, MARGIN_X, d->y, CONTENT_W, row_h);
          cairo_fill (d->cr);
        }
      cairo_set_source_rgb (d->cr, 0.1, 0.1, 0.1);
      for (guint c = 0; c < n_cols; c++)
        {
          cairo_move_to (d->cr, x + CELL_PAD_X, d->y + CELL_PAD_Y);
          pango_cairo_show_layout (d->cr, layouts[c]);
          x += cols[c].width * CONTENT_W;
        }
      cairo_set_source_rgb (d->cr, header ? 0.3 : 0.82, header ? 0.3 : 0.82, header ? 0.3 : 0.82);
      cairo_set_line_width (d->cr, header ? 0.8 : 0.4);
      cairo_move_to (d->cr, MARGIN_X, d->y + row_h);
      cairo_line_to (d->cr, MARGIN_X + CONTENT_W, d->y + row_h);
      cairo_stroke (d->cr);
      d->y += row_h;
      d->page_dirty = TRUE;
    }
  for (guint c = 0; c < n_cols; c++)
    g_object_unref (layouts[c]);
  return row_h;
}

/* Height of the whole table, as table() would draw it on one page. */
static double
table_height (GbPdf *d, const GbCol *cols, guint n_cols, GPtrArray *cells, double size)
{
  guint n_rows = cells->len / n_cols;
  double h = table_row (d, cols, n_cols, NULL, TRUE, FALSE, size, TRUE) + 10;

  for (guint r = 0; r < n_rows; r++)
    h += table_row (d, cols, n_cols, (const char *const *) cells->pdata + r * n_cols, FALSE,
                    FALSE, size, TRUE);
  return h;
}

static double
paragraph_height (GbPdf *d, const char *text, double size)
{
  PangoLayout *layout = layout_new (d, text, size, FALSE, FALSE, CONTENT_W);
  int w, h;

  pango_layout_set_spacing (layout, (int) (size * 0.25 * PANGO_SCALE));
  pango_layout_get_size (layout, &w, &h);
  g_object_unref (layout);
  return (double) h / PANGO_SCALE + size * 0.55;
}

/* Breaks the page before a block of @h points unless it fits, or is larger
 * than a page anyway (then it breaks where it must). */
static void
keep_together (GbPdf *d, double h)
{
  if (h < (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) * 0.6)
    need (d, h);
}

/* @cells: n_rows × n_cols strings, row-major (transfer none). */
static void
table (GbPdf *d, const GbCol *cols, guint n_cols, GPtrArray *cells, double size)
{
  guint n_rows = cells->len / n_cols;
  double header_h = table_row (d, cols, n_cols, NULL, TRUE, FALSE, size, TRUE);
  double first_h = n_rows > 0
    ? table_row (d, cols, n_cols, (const char *const *) cells->pdata, FALSE, FALSE, size, TRUE)
    : 0;

  need (d, header_h + first_h);
  table_row (d, cols, n_cols, NULL, TRUE, FALSE, size, FALSE);
  for (guint r = 0; r < n_rows; r++)
    {
      const char *const *row = (const char *const *) cells->pdata + r * n_cols;
      double h = table_row (d, cols, n_cols, row, FALSE, FALSE, size, TRUE);

      if (d->y + h > PAGE_H - MARGIN_BOTTOM)
        {
          new_page (d);
          table_row (d, cols, n_cols, NULL, TRUE, FALSE, size, FALSE);   /* repeat header */
        }
      table_row (d, cols, n_cols, row, FALSE, r % 2 == 1, size, FALSE);
    }
  space (d, 10);
  export_table (d, cols, n_cols, cells);
}

static void
cell (GPtrArray *cells, const char *s)
{
  g_ptr_array_add (cells, g_strdup (s ? s : ""));
}

static void G_GNUC_PRINTF (2, 3)
cellf (GPtrArray *cells, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  g_ptr_array_add (cells, g_strdup_vprintf (format, ap));
  va_end (ap);
}

static void
caption (GbPdf *d, const char *text)
{
  paragraph_full (d, text, SMALL_SIZE, FALSE, FALSE, 0, 0.35, 0.35, 0.35);
}

/* ---------------------------------------------------------------- charts */

typedef void (*ChartFunc) (cairo_t *cr, double width, double height, gpointer data);

static void
chart (GbPdf *d, double height, ChartFunc func, gpointer data)
{
  need (d, height + 6);
  cairo_save (d->cr);
  cairo_translate (d->cr, MARGIN_X, d->y);
  /* chart text 7–9 pt whatever the chart's size, next to 10 pt body text */
  gb_plot_set_font_range (7.0, 9.0);
  func (d->cr, CONTENT_W, height, data);
  cairo_restore (d->cr);
  export_chart (d, height, func, data);
  gb_plot_set_font_range (0, 0);
  d->y += height + 8;
  d->page_dirty = TRUE;
}

/* ------------------------------------------------------------- sections */

static const GbEstimate *
preferred_estimate (const GbAuditResults *r)
{
  static const char *const order[] = { "aipw", "ipw_hajek", "ipw", "regression", NULL };

  if (r->estimates == NULL || r->estimates->len == 0)
    return NULL;
  for (guint k = 0; order[k]; k++)
    for (guint i = 0; i < r->estimates->len; i++)
      {
        const GbEstimate *e = &g_array_index (r->estimates, GbEstimate, i);
        if (e->method && g_str_equal (e->method, order[k]) && !isnan (e->estimate))
          return e;
      }
  return &g_array_index (r->estimates, GbEstimate, 0);
}

static gboolean
is_condition (const char *s)
{
  return s && strpbrk (s, "=<>") != NULL;
}

static char *
effect_sentence (GbPdf *d, const GbAuditResults *r, const GbEstimate *e)
{
  const char *treat = orna (r->treatment_description);
  const char *outcome = orna (r->outcome_description);
  g_autofree char *what = is_condition (r->outcome_description)
    ? g_strdup_printf ("P(%s)", outcome) : g_strdup_printf (_("the mean of “%s”"), outcome);

  /* TRANSLATORS: treatment, the outcome ("P(…)" or "the mean of …"), the
   * effect, its 95 % interval, "= " or "", the p-value, the method (a
   * phrase from method_name()), the estimand (ATE, ATT…) and the row count */
  return g_strdup_printf (_("Treatment “%s” changes %s by %s (95 %% CI %s–%s, p %s%s) by %s, "
                            "an estimate of the %s on %s rows."),
                          treat, what, sig (d, e->estimate), sig (d, e->ci_low),
                          sig (d, e->ci_high),
                          isnan (e->p_value) || e->p_value < 0.001 ? "" : "= ",
                          pval (d, e->p_value), method_name (e->method), orna (e->estimand),
                          count (d, e->n_used));
}

/* The widest selection-rate gap against the reference group, in plain
 * words with its interval: "For “race”, the selection rate of group Black
 * is 0.38 times that of White, the reference group (95 % CI 0.30–0.47),
 * below the four-fifths threshold." */
static char *
fairness_sentence (GbPdf *d, const GbFairnessResult *f)
{
  const GbFairnessComparison *worst = NULL;
  const GbFairnessMetric *wm = NULL;
  const GbGroupRates *ref = &f->groups[f->reference];

  if (f->n_comparisons == 0 && !isnan (f->disparate_impact_ratio) && f->n_groups > 1)
    {
      /* no per-group comparisons: the min/max ratio across groups */
      guint lo = 0, hi = 0;
      for (guint g = 1; g < f->n_groups; g++)
        {
          if (f->groups[g].selection_rate < f->groups[lo].selection_rate)
            lo = g;
          if (f->groups[g].selection_rate > f->groups[hi].selection_rate)
            hi = g;
        }
      /* TRANSLATORS: attribute, lowest group, its rate, the ratio, highest
       * group, its rate, and a clause on the four-fifths rule */
      return g_strdup_printf (_("For “%s”, the selection rate of the lowest group (%s, %s) is %s "
                                "times that of the highest (%s, %s) (disparate impact ratio), %s."),
                              orna (f->attribute), orna (f->groups[lo].group),
                              num (d, f->groups[lo].selection_rate, 3),
                              num (d, f->disparate_impact_ratio, 2), orna (f->groups[hi].group),
                              num (d, f->groups[hi].selection_rate, 3),
                              f->disparate_impact_ratio < 0.8 ? _("below the four-fifths threshold")
                                                              : _("within the four-fifths band"));
    }
  for (guint c = 0; c < f->n_comparisons; c++)
    {
      const GbFairnessMetric *m = gb_fairness_comparison_get_metric (&f->comparisons[c],
                                                                     "disparate_impact_ratio");
      if (m == NULL || isnan (m->value) || (f->groups[f->comparisons[c].group].small && !f->summary_uses_all))
        continue;
      /* the ratio furthest from parity, in either direction */
      if (wm == NULL || fabs (log (m->value)) > fabs (log (wm->value)))
        {
          worst = &f->comparisons[c];
          wm = m;
        }
    }
  if (worst == NULL)
    return g_strdup_printf (_("For “%s” the disparate impact ratio is undefined because the "
                              "reference group %s has nobody selected."), orna (f->attribute),
                            orna (ref->group));
  const double v = wm->value;
  const char *band = v < 0.8 ? _("below the four-fifths threshold")
                   : v > 1.25 ? _("so the reference group's rate is below four-fifths of it")
                   : _("within the four-fifths band");
  const char *ci = isnan (wm->ci_low) ? ""
    : keep (d, g_strdup_printf (_(" (95 %% CI %s–%s)"), num (d, wm->ci_low, 2), num (d, wm->ci_high, 2)));
  const char *p = isnan (wm->p_adjusted) ? ""
    : keep (d, g_strdup_printf (wm->p_adjusted < 0.05
                                  ? _("; the gap is significant (adjusted p %s%s)")
                                  : _("; the gap is not significant (adjusted p %s%s)"),
                                wm->p_adjusted < 0.001 ? "" : "= ", pval (d, wm->p_adjusted)));
  /* TRANSLATORS: attribute, group, its rate, the ratio, reference group, its
   * rate, " (95 % CI …)" or "", a four-fifths clause, and "; the gap …" or "" */
  return g_strdup_printf (_("For “%s”, the selection rate of group %s (%s) is %s times that of %s, "
                            "the reference group (%s)%s, %s%s."),
                          orna (f->attribute), orna (f->groups[worst->group].group),
                          num (d, f->groups[worst->group].selection_rate, 3), num (d, v, 2),
                          orna (ref->group), num (d, ref->selection_rate, 3), ci, band, p);
}

static void
title_page (GbPdf *d, const GbAuditSettings *s, const GbAuditResults *r)
{
  GbCol cols[] = {
    { _("Item"), 0.2, PANGO_ALIGN_LEFT, FALSE },
    { _("Value"), 0.8, PANGO_ALIGN_LEFT, FALSE },
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  /* less air above the title when the executive summary shares the page */
  space (d, gb_report_section_included (d->omit, GB_REPORT_SECTION_SUMMARY) ? 40 : 90);
  paragraph_full (d, _("Glassbox audit report"), 28, TRUE, FALSE, 0, 0.0, 0.2, 0.4);
  space (d, 4);
  paragraph_full (d, _("Why the model predicts what it predicts, whether it treats groups alike, "
                       "and what causes what."), 11.5, FALSE, FALSE, 0, 0.35, 0.35, 0.35);
  space (d, 24);

  if (s->auditor && *s->auditor)
    {
      cell (cells, _("Auditor"));
      cell (cells, s->auditor);
    }
  if (s->organisation && *s->organisation)
    {
      cell (cells, _("Organisation"));
      cell (cells, s->organisation);
    }
  cell (cells, _("Dataset"));
  cell (cells, orna (r->dataset_path ? r->dataset_path : s->csv_path));
  cell (cells, "SHA-256");
  cell (cells, orna (r->dataset_sha256));
  cell (cells, _("Rows × columns"));
  cellf (cells, "%s × %u", count (d, r->n_rows), r->n_columns);
  cell (cells, _("Target"));
  cell (cells, orna (r->target_description ? r->target_description : s->target));
  cell (cells, _("Created"));
  cell (cells, orna (r->created));
  cell (cells, _("Glassbox version"));
  cell (cells, orna (r->glassbox_version ? r->glassbox_version : gb_version_string ()));
  table (d, cols, 2, cells, 9.5);

  if (!gb_report_section_included (d->omit, GB_REPORT_SECTION_SUMMARY))
    return;
  space (d, 10);
  heading (d, _("Executive summary"), 2);
  paragraphf (d, _("The dataset has %s rows and %u columns."), count (d, r->n_rows), r->n_columns);
  if (r->has_model)
    {
      /* intervals: Hanley–McNeil (1982) for the AUC (binary targets), Wilson
       * for the accuracy (gb_roc_auc_ci, gb_wilson_interval) */
      double auc_lo = NAN, auc_hi = NAN, acc_lo = NAN, acc_hi = NAN;
      if (r->n_classes <= 2 && isfinite (r->positive_rate_test))
        {
          double n_pos = round (r->positive_rate_test * (double) r->n_test);
          gb_roc_auc_ci (r->roc_auc, n_pos, (double) r->n_test - n_pos, 0.95, &auc_lo, &auc_hi);
        }
      if (isfinite (r->accuracy) && r->n_test > 0)
        gb_wilson_interval (round (r->accuracy * (double) r->n_test), (double) r->n_test, 0.95,
                            &acc_lo, &acc_hi);
      const char *auc_ci = isnan (auc_lo) ? ""
        : keep (d, g_strdup_printf (_("95 %% CI %s–%s; "), num (d, auc_lo, 2), num (d, auc_hi, 2)));
      const char *acc_ci = isnan (acc_lo) ? ""
        : keep (d, g_strdup_printf (_("95 %% CI %s–%s; "), num (d, acc_lo, 2), num (d, acc_hi, 2)));
      /* TRANSLATORS: rows, AUC, "95 % CI …; " or "", baseline AUC, accuracy,
       * "95 % CI …; " or "", baseline accuracy */
      bullet (d, keep (d, g_strdup_printf (
        _("On the held-out split (%s rows) the model's ROC-AUC is %s (%slogistic-regression "
          "baseline %s) and its accuracy is %s (%sbaseline %s)."),
        count (d, r->n_test), num (d, r->roc_auc, 2), auc_ci, num (d, r->baseline_roc_auc, 2),
        num (d, r->accuracy, 2), acc_ci, num (d, r->baseline_accuracy, 2))));
      if (!isnan (r->roc_auc) && !isnan (r->baseline_roc_auc))
        {
          double gap = r->roc_auc - r->baseline_roc_auc;
          bullet (d, fabs (gap) < 0.01
                  ? keep (d, g_strdup_printf (_("The transformer's ROC-AUC is within 0.01 of the "
                                                "linear baseline's (difference %s): on this data "
                                                "the simpler model ranks rows about as well."),
                                              num (d, gap, 3)))
                  : gap > 0
                  ? keep (d, g_strdup_printf (_("The transformer beats the linear baseline by %s in "
                                                "ROC-AUC."), num (d, gap, 2)))
                  : keep (d, g_strdup_printf (_("The linear baseline beats the transformer by %s in "
                                                "ROC-AUC."), num (d, -gap, 2))));
        }
    }
  else
    bullet (d, _("No model was trained, so model performance was not measured."));

  if (r->integrated_gradients && r->integrated_gradients->n_features > 0
      && r->integrated_gradients->text)
    {
      /* token positions differ between rows: name the strongest single token */
      const GbIgResult *ig = r->integrated_gradients;
      const char *best_name = NULL;
      double best = -1, best_value = NAN;
      gsize best_row = 0;
      for (gsize i = 0; i < ig->n_rows; i++)
        {
          const GbIgRow *row = &ig->rows[i];
          const guint F = ig->n_feature_units;
          const guint n = F + (row->tokens ? g_strv_length (row->tokens) : 0);
          for (guint j = 0; j < n && j < ig->n_features; j++)
            if (fabs (row->attributions[j]) > best)
              {
                best = fabs (row->attributions[j]);
                best_value = row->attributions[j];
                best_row = row->row;
                best_name = j < F ? ig->feature_names[j] : row->tokens[j - F];
              }
        }
      if (best_name != NULL)
        bullet (d, keep (d, g_strdup_printf (
          _("By integrated gradients over %s held-out rows, the most influential token is “%s” "
            "in row %s (attribution %s)."),
          count (d, ig->n_rows), best_name, count (d, best_row), sig (d, best_value))));
    }
  else if (r->integrated_gradients && r->integrated_gradients->n_features > 0)
    {
      const GbIgResult *ig = r->integrated_gradients;
      guint best = 0;
      for (guint j = 1; j < ig->n_features; j++)
        if (ig->global[j] > ig->global[best])
          best = j;
      bullet (d, keep (d, g_strdup_printf (
        _("By integrated gradients over %s held-out rows, the most influential feature is “%s” "
          "(mean absolute attribution %s)."),
        count (d, ig->n_rows), orna (ig->feature_names[best]), sig (d, ig->global[best]))));
    }
  for (guint i = 0; r->fairness && i < r->fairness->len; i++)
    {
      const GbFairnessResult *f = g_ptr_array_index (r->fairness, i);
      bullet (d, keep (d, fairness_sentence (d, f)));
      /* why the gap exists: the two largest shares (issue 6) */
      if (f->decomposition != NULL && f->decomposition->n_contributions >= 2)
        {
          const GbFairnessDecomposition *dc = f->decomposition;
          const GbGapContribution *a = &dc->contributions[0], *b = &dc->contributions[1];
          /* TRANSLATORS: the gap, group, reference group, then two features
           * each with its share and interval */
          bullet (d, keep (d, g_strdup_printf (_("Of the %s gap in mean predicted probability "
                                                 "between %s and %s, %s carries %s (95 %% CI %s "
                                                 "to %s) and %s %s (%s to %s)."),
                                               num (d, dc->gap, 3), orna (dc->group),
                                               orna (dc->reference), a->feature,
                                               num (d, a->value, 3), num (d, a->ci_low, 3),
                                               num (d, a->ci_high, 3), b->feature,
                                               num (d, b->value, 3), num (d, b->ci_low, 3),
                                               num (d, b->ci_high, 3))));
        }
    }
  if (r->fairness == NULL || r->fairness->len == 0)
    bullet (d, _("No fairness analysis was run (no protected attribute)."));
  if (r->has_causal && preferred_estimate (r))
    bullet (d, keep (d, effect_sentence (d, r, preferred_estimate (r))));
  else
    bullet (d, _("No causal analysis was run (no treatment and outcome)."));
}

/* A column's logical type (gb_column_type_to_string()) in the report's
 * language, as the Dataset pane shows it. */
static const char *
column_type_text (const char *type)
{
  static const char *const names[] = { N_("numeric"), N_("categorical"), N_("text"),
                                       N_("boolean"), N_("date") };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (type, names[i]) == 0)
      return _(names[i]);
  return type;
}

static void
section_data (GbPdf *d, const GbAuditSettings *s, const GbAuditResults *r)
{
  GbCol cols[] = {
    { "#", 0.08, PANGO_ALIGN_RIGHT, FALSE },
    { _("Column"), 0.47, PANGO_ALIGN_LEFT, FALSE },
    { _("Type"), 0.2, PANGO_ALIGN_LEFT, FALSE },
    { _("Missing"), 0.25, PANGO_ALIGN_RIGHT, FALSE },
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  gsize total_missing = 0;

  section_page (d);
  heading (d, _("1 Data"), 1);
  paragraphf (d, _("The CSV file “%s” has %s rows and %u columns (SHA-256 %s)."),
              orna (r->dataset_path ? r->dataset_path : s->csv_path), count (d, r->n_rows),
              r->n_columns, orna (r->dataset_sha256));
  if (r->n_columns == 0 || r->column_names == NULL)
    {
      paragraph (d, _("No column information was recorded."));
      return;
    }
  for (guint c = 0; c < r->n_columns; c++)
    {
      gsize miss = r->column_missing ? r->column_missing[c] : 0;
      total_missing += miss;
      cellf (cells, "%u", c + 1);
      cell (cells, r->column_names[c]);
      cell (cells, r->column_types ? column_type_text (r->column_types[c]) : "—");
      if (r->n_rows > 0 && miss > 0)
        cellf (cells, "%s (%s %%)", count (d, miss), num (d, 100.0 * miss / r->n_rows, 1));
      else
        cell (cells, count (d, miss));
    }
  paragraphf (d, _("%s cells are missing in total."), count (d, total_missing));
  table (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.95);
}

static void
roc_chart (cairo_t *cr, double w, double h, gpointer data)
{
  const GbAuditResults *r = data;
  gb_plot_roc_draw (cr, w, h, _("ROC curve on the held-out split"), r->roc_fpr, r->roc_tpr,
                    r->roc_len, r->roc_auc);
}

static void
reliability_chart (cairo_t *cr, double w, double h, gpointer data)
{
  const GbAuditResults *r = data;
  gb_plot_reliability_draw (cr, w, h, _("Reliability diagram on the held-out split (top label)"),
                            r->reliability, NULL, NULL);
}

static void
confusion_chart (cairo_t *cr, double w, double h, gpointer data)
{
  const GbAuditResults *r = data;
  gb_plot_confusion_draw (cr, w, h, _("Confusion matrix on the held-out split (rows: true class)"),
                          (const char *const *) r->class_names, r->n_classes, r->confusion, TRUE);
}

static void
section_model (GbPdf *d, const GbAuditSettings *s, const GbAuditResults *r)
{
  GbCol cols[] = {
    { _("Metric (held-out split)"), 0.46, PANGO_ALIGN_LEFT, FALSE },
    { _("Transformer"), 0.27, PANGO_ALIGN_RIGHT, FALSE },
    { _("Logistic-regression baseline"), 0.27, PANGO_ALIGN_RIGHT, FALSE },
  };
  GbCol kv[] = {
    { _("Training"), 0.46, PANGO_ALIGN_LEFT, FALSE },
    { _("Value"), 0.54, PANGO_ALIGN_LEFT, FALSE },
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) train = g_ptr_array_new_with_free_func (g_free);

  section_page (d);
  heading (d, _("2 Model performance"), 1);
  if (!r->has_model)
    {
      paragraph (d, _("Model performance was not assessed: no model was trained or imported in "
                      "this audit."));
      return;
    }
  if (r->n_classes > 2)
    paragraphf (d, r->text_column
                     ? _("The transformer classifier predicts “%s”, %u classes, from %u features "
                         "and a text column. It was trained on %s rows and evaluated on %s "
                         "held-out rows, alongside a logistic-regression baseline (one-vs-rest) "
                         "on the same inputs and split.")
                     : _("The transformer classifier predicts “%s”, %u classes, from %u features. "
                         "It was trained on %s rows and evaluated on %s held-out rows, alongside a "
                         "logistic-regression baseline (one-vs-rest) on the same inputs and split."),
                orna (r->target_description ? r->target_description : s->target), r->n_classes,
                r->n_features,
                count (d, r->n_train), count (d, r->n_test));
  else
  paragraphf (d, _("The transformer classifier predicts “%s” from %u features. It was trained "
                   "on %s rows and evaluated on %s held-out rows (%s %% of them positive), "
                   "alongside a logistic-regression baseline on the same features and split."),
              orna (r->target_description ? r->target_description : s->target), r->n_features,
              count (d, r->n_train), count (d, r->n_test),
              num (d, 100.0 * r->positive_rate_test, 1));

  cell (cells, r->n_classes > 2 ? _("ROC-AUC (macro one-vs-rest mean)") : "ROC-AUC");
  cell (cells, num (d, r->roc_auc, 3));
  cell (cells, num (d, r->baseline_roc_auc, 3));
  cell (cells, r->n_classes > 2 ? _("Accuracy (most probable class)") : _("Accuracy (threshold 0.5)"));
  cell (cells, num (d, r->accuracy, 3));
  cell (cells, num (d, r->baseline_accuracy, 3));
  if (r->class_names != NULL)
    {
      /* issue 4: the metrics of binary and multi-class models alike */
      const struct { const char *name; double model, baseline; } more[] = {
        { _("Balanced accuracy (mean recall per class)"), r->balanced_accuracy, r->baseline_balanced_accuracy },
        { _("F1, macro average over the classes"), r->f1_macro, r->baseline_f1_macro },
        { _("Log loss (lower is better)"), r->log_loss, r->baseline_log_loss },
        { _("Brier score (lower is better)"), r->brier, r->baseline_brier },
        { _("Expected calibration error, 15 bins (lower is better)"), r->ece, r->baseline_ece },
      };
      for (guint i = 0; i < G_N_ELEMENTS (more); i++)
        {
          cell (cells, more[i].name);
          cell (cells, num (d, more[i].model, 3));
          cell (cells, num (d, more[i].baseline, 3));
        }
    }
  cell (cells, _("Accuracy of always predicting the majority class"));
  {
    double maj = r->class_names != NULL ? r->majority_rate_test
                                        : MAX (r->positive_rate_test, 1.0 - r->positive_rate_test);
    cell (cells, num (d, maj, 3));
    cell (cells, num (d, maj, 3));
  }
  table (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE);
  if (r->baseline_description != NULL)
    caption (d, keep (d, g_strdup_printf (_("Baseline: %s."), r->baseline_description)));
  if (r->text_column != NULL)
    caption (d, keep (d, g_strdup_printf (_("The model reads the text column “%s” through a "
                                            "word-level vocabulary of %s tokens built from the "
                                            "training rows (words seen at least %u times), "
                                            "%u tokens per row."), r->text_column,
                                          count (d, r->vocab_size), r->vocab_min_freq,
                                          s->model.max_length)));

  cell (train, _("Architecture"));
  cellf (train, _("%u layers, d_model %u, %u heads, d_ff %u"), s->model.n_layers,
         s->model.d_model, s->model.n_heads, s->model.d_ff);
  cell (train, _("Parameters"));
  cell (train, count (d, r->n_parameters));
  cell (train, _("Epochs run"));
  cellf (train, _("%u of %u"), r->epochs_run, s->train.epochs);
  cell (train, _("Optimiser"));
  cellf (train, _("AdamW, batch %u, learning rate %s, weight decay %s"), s->train.batch_size,
         exact (d, s->train.learning_rate), exact (d, s->train.weight_decay));
  cell (train, _("Final training / validation loss"));
  cellf (train, "%s / %s", num (d, r->final_train_loss, 4), num (d, r->final_val_loss, 4));
  cell (train, _("Training time"));
  cellf (train, "%s s", num (d, r->train_seconds, 1));
  table (d, kv, G_N_ELEMENTS (kv), train, BODY_SIZE);

  if (r->roc_len > 0)
    {
      chart (d, 300, roc_chart, (gpointer) r);
      caption (d, _("The ROC curve of the transformer on the held-out split; the dashed diagonal is "
                    "a classifier that guesses at random."));
    }
  if (r->reliability != NULL)
    {
      chart (d, 300, reliability_chart, (gpointer) r);
      caption (d, _("Each bar is the accuracy of the held-out rows whose highest class probability "
                    "falls in the bin; the red boxes are the gaps to the mean confidence, and the "
                    "dashed diagonal is a perfectly calibrated model."));
    }
  if (r->confusion != NULL && r->n_classes > 0)
    {
      chart (d, r->n_classes > 8 ? 460 : 300, confusion_chart, (gpointer) r);
      caption (d, _("Rows are the true classes, columns the predicted ones (the most probable "
                    "class); each cell shows its count and its share of the row, so the diagonal "
                    "holds each class's recall."));
    }
}

typedef struct {
  const GbIgResult *ig;
  char **row_labels;
  double *values;
  const char **sorted_labels;
  double *sorted_values;
} IgCharts;

static void
ig_heatmap_chart (cairo_t *cr, double w, double h, gpointer data)
{
  IgCharts *c = data;
  gb_plot_heatmap_draw (cr, w, h, _("Integrated-gradients attributions (explained rows × features)"),
                        (const char *const *) c->row_labels, c->ig->n_rows,
                        (const char *const *) c->ig->feature_names, c->ig->n_features,
                        c->values);
}

static void
ig_bar_chart (cairo_t *cr, double w, double h, gpointer data)
{
  IgCharts *c = data;
  gb_plot_bar_draw (cr, w, h, _("Global importance"), c->sorted_labels, c->sorted_values,
                    c->ig->n_features, _("mean |attribution| over the explained rows"));
}

/* A text row's integrated gradients as running text (engine/explain/gb-explain-text.h):
 * the features, then the word pieces, each on its attribution's colour. */
typedef struct {
  const GbIgResult *ig;
  gsize row;
  const GbAuditResults *r;
} IgTokenChart;

/* The label of the class a row explains, for chart titles: NULL for the
 * positive class of a binary target (the usual case, said in the text). */
static const char *
explained_class_name (const GbAuditResults *r, guint class_index)
{
  if (r == NULL || r->class_names == NULL || (r->n_classes <= 2 && class_index == 1)
      || class_index >= g_strv_length (r->class_names))
    return NULL;
  return r->class_names[class_index];
}

static void
ig_token_chart (cairo_t *cr, double w, double h, gpointer data)
{
  const IgTokenChart *c = data;
  const GbIgRow *row = &c->ig->rows[c->row];
  const guint F = c->ig->n_feature_units, nt = row->tokens ? g_strv_length (row->tokens) : 0;
  g_autofree const char **names = g_new0 (const char *, F + nt + 1);
  const char *cls = explained_class_name (c->r, row->class_index);
  /* TRANSLATORS: row number, the explained class's label */
  g_autofree char *title = cls ? g_strdup_printf (_("Row %lu: integrated gradients per token, "
                                                    "explaining “%s”"),
                                                  (unsigned long) row->row, cls)
                               : g_strdup_printf (_("Row %lu: integrated gradients per token"),
                                                  (unsigned long) row->row);

  for (guint f = 0; f < F; f++)
    names[f] = c->ig->feature_names[f];
  for (guint k = 0; k < nt; k++)
    names[F + k] = row->tokens[k];
  gb_plot_token_heatmap_draw (cr, w, h, title, names, row->attributions, F + nt,
                              _("attribution"));
}

/* Text global importance (gb_explanation_text_global()): the 20 largest. */
typedef struct {
  char **labels;
  double *values;
  guint n;
} IgTokenBars;

static void
ig_token_bar_chart (cairo_t *cr, double w, double h, gpointer data)
{
  const IgTokenBars *c = data;
  gb_plot_bar_draw (cr, w, h, _("Global importance"), (const char *const *) c->labels, c->values,
                    c->n, _("mean |attribution| over the explained rows"));
}

static int
cmp_desc (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const double *g = user_data;
  double x = g[*(const guint *) a], y = g[*(const guint *) b];

  if (isnan (x))
    return isnan (y) ? 0 : 1;
  if (isnan (y))
    return -1;
  return x > y ? -1 : x < y ? 1 : 0;
}

/* ---- explanations beyond integrated gradients (issue 5) ---- */

static const char *
method_title (const char *method)
{
  static const char *const map[][2] = {
    { "integrated_gradients", N_("integrated gradients") }, { "kernel_shap", "KernelSHAP" },
    { "lime", "LIME" }, { "gradient_input", N_("gradient × input") }, { "occlusion", N_("occlusion") },
    { "attention_rollout", N_("attention rollout") },
  };
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (method, map[i][0]) == 0)
      return _(map[i][1]);
  return method;
}

typedef struct {
  const GbExplanation *e;
  double *values;          /* (n_rows, M) */
  gsize row;               /* waterfall row index */
  const char **series;
  double *curves;
  gsize n_series;
  gboolean insertion;
  const GbAuditResults *r;
} ExplChart;

static void
expl_beeswarm_chart (cairo_t *cr, double w, double h, gpointer data)
{
  ExplChart *c = data;
  g_autofree char *title = g_strdup_printf (_("%s attributions of the explained rows"),
                                            method_title (c->e->method));
  title[0] = g_ascii_toupper (title[0]);
  gb_plot_beeswarm_draw (cr, w, h, title, (const char *const *) c->e->unit_names,
                         c->e->n_units, c->values, c->e->unit_values, c->e->n_rows, 15);
}

/* (nullable) (transfer container): a text row's unit names — the feature
 * names, then its word pieces — NULL-terminated; NULL for tabular rows. */
static const char **
text_row_names (const GbExplanation *e, const GbAttributionRow *row)
{
  const guint F = e->n_feature_units, nt = row->tokens ? g_strv_length (row->tokens) : 0;
  const char **names;

  if (!e->text)
    return NULL;
  names = g_new0 (const char *, F + nt + 1);
  for (guint f = 0; f < F; f++)
    names[f] = e->unit_names[f];
  for (guint k = 0; k < nt; k++)
    names[F + k] = row->tokens[k];
  return names;
}

static void
expl_waterfall_chart (cairo_t *cr, double w, double h, gpointer data)
{
  ExplChart *c = data;
  const GbAttributionRow *row = &c->e->rows[c->row];
  const char *cls = explained_class_name (c->r, row->class_index);
  /* TRANSLATORS: method, row number, the explained class's label */
  g_autofree char *title = cls ? g_strdup_printf (row->std_errors
                                                    ? _("%s for row %lu, explaining “%s” "
                                                        "(whiskers: 95 %% intervals)")
                                                    : _("%s for row %lu, explaining “%s”"),
                                                  method_title (c->e->method),
                                                  (unsigned long) row->row, cls)
                               : g_strdup_printf (row->std_errors
                                                    ? _("%s for row %lu (whiskers: 95 %% intervals)")
                                                    : _("%s for row %lu"),
                                                  method_title (c->e->method),
                                                  (unsigned long) row->row);
  g_autofree const char **names = text_row_names (c->e, row);
  gb_plot_waterfall_draw (cr, w, h, title,
                          names ? names : (const char *const *) c->e->unit_names, row->values,
                          row->std_errors, names ? g_strv_length ((char **) names) : c->e->n_units,
                          row->base_value, row->prediction, 12);
}

/* A text row's one method as running text (its features, then its word pieces). */
static void
expl_token_chart (cairo_t *cr, double w, double h, gpointer data)
{
  ExplChart *c = data;
  const GbAttributionRow *row = &c->e->rows[c->row];
  g_autofree const char **names = text_row_names (c->e, row);
  const char *cls = explained_class_name (c->r, row->class_index);
  g_autofree char *title = cls ? g_strdup_printf (_("%s for row %lu, explaining “%s”"),
                                                  method_title (c->e->method),
                                                  (unsigned long) row->row, cls)
                               : g_strdup_printf (_("%s for row %lu"),
                                                  method_title (c->e->method),
                                                  (unsigned long) row->row);
  title[0] = g_ascii_toupper (title[0]);
  gb_plot_token_heatmap_draw (cr, w, h, title, names, row->values,
                              g_strv_length ((char **) names), _("attribution"));
}

static void
expl_curves_chart (cairo_t *cr, double w, double h, gpointer data)
{
  ExplChart *c = data;
  gb_plot_curves_draw (cr, w, h,
                       c->insertion ? _("Insertion: most important features first into the background")
                                    : _("Deletion: most important features first replaced by the background"),
                       c->series, c->n_series, c->curves, c->e->n_units + 1,
                       c->insertion ? _("features inserted") : _("features deleted"),
                       _("mean probability"));
}

/* Dependence plots (feature value against attribution) of the main
 * method's top numeric features, up to four panels in a 2-column grid. */
typedef struct {
  const GbExplanation *e;
  guint feats[4];
  guint nf;
} DepChart;

static void
expl_dependence_chart (cairo_t *cr, double w, double h, gpointer data)
{
  DepChart *c = data;
  const gsize n = c->e->n_rows;
  const guint rows = (c->nf + 1) / 2;
  g_autofree double *xs = g_new (double, n);
  g_autofree double *as = g_new (double, n);

  for (guint k = 0; k < c->nf; k++)
    {
      const guint j = c->feats[k];
      const double pw = c->nf == 1 ? w : w / 2, ph = h / rows;
      for (gsize i = 0; i < n; i++)
        {
          xs[i] = c->e->unit_values[i * c->e->n_units + j];
          as[i] = c->e->rows[i].values[j];
        }
      cairo_save (cr);
      cairo_translate (cr, (k % 2) * pw, (k / 2) * ph);
      /* NULL x title: the painter's own "feature value" */
      gb_plot_dependence_draw (cr, pw - 6, ph - 4, c->e->unit_names[j], NULL, xs, as, n);
      cairo_restore (cr);
    }
}

static void
explanations_dependence (GbPdf *d, const GbAuditResults *r)
{
  const GbExplanation *e = g_ptr_array_index (r->explanations, 0);
  DepChart c = { e };

  c.nf = gb_explanation_dependence_features (e, G_N_ELEMENTS (c.feats), c.feats);
  if (c.nf == 0)
    return;
  need (d, 190.0 * ((c.nf + 1) / 2) + 40);   /* keep the heading with its chart */
  {
    g_autofree char *h = g_strdup_printf (_("Dependence plots (%s)"), method_title (e->method));
    heading (d, h, 2);
  }
  chart (d, 190.0 * ((c.nf + 1) / 2), expl_dependence_chart, &c);
  /* TRANSLATORS: %s is a method name such as "integrated gradients" */
  caption (d, keep (d, g_strdup_printf (_("Each point is one explained row: the value of one of "
                                          "the most important numeric features against its %s "
                                          "attribution, so a vertical spread at one value shows "
                                          "interactions with other features."),
                                        method_title (e->method))));
}

static void
explanations_more (GbPdf *d, const GbAuditResults *r)
{
  g_autoptr(GPtrArray) faithful = g_ptr_array_new ();
  guint n_units = 0;

  if (r->explanations == NULL || r->explanations->len == 0)
    return;
  for (guint k = 0; k < r->explanations->len; k++)
    {
      const GbExplanation *e = g_ptr_array_index (r->explanations, k);
      ExplChart c = { e };
      c.r = r;

      if (e->deletion_curve && (faithful->len == 0 || e->n_units == n_units))
        {
          g_ptr_array_add (faithful, (gpointer) e);
          n_units = e->n_units;
        }
      if (g_strcmp0 (e->method, "integrated_gradients") == 0 || e->n_rows == 0)
        continue;
      {
        g_autofree char *h = g_strdup (method_title (e->method));
        h[0] = g_ascii_toupper (h[0]);
        heading (d, h, 2);
      }
      paragraph (d, e->description);
      if (g_strcmp0 (e->method, "kernel_shap") == 0)
        {
          double worst = 0, se_sum = 0;
          gsize se_n = 0;
          char ebuf[G_ASCII_DTOSTR_BUF_SIZE];
          for (gsize i = 0; i < e->n_rows; i++)
            {
              worst = MAX (worst, e->rows[i].completeness_residual);
              for (guint j = 0; e->rows[i].std_errors && j < e->n_units; j++)
                se_sum += e->rows[i].std_errors[j], se_n++;
            }
          /* TRANSLATORS: the residual, then one of the two clauses below */
          paragraphf (d, _("Every row's attributions add up to its prediction from the base value "
                           "φ₀ = E[f(background)] (largest additivity residual %s)%s."),
                      keep (d, g_strdup (g_ascii_formatd (ebuf, sizeof ebuf, "%.1e", worst))),
                      se_n ? keep (d, g_strdup_printf (_("; the sampled values carry a mean standard "
                                                         "error of %s, drawn as 95 %% whiskers"),
                                                       sig (d, se_sum / se_n)))
                           : _("; all coalitions were enumerated, so the values are exact"));
        }
      else if (g_strcmp0 (e->method, "lime") == 0)
        {
          double r2 = 0;
          for (gsize i = 0; i < e->n_rows; i++)
            r2 += e->rows[i].fidelity_r2 / e->n_rows;
          paragraphf (d, _("The local surrogates fit the model with a mean weighted R² of %s; the "
                           "top features agree across seeds with a mean Jaccard index of %s (1 = the "
                           "same features every time)."), num (d, r2, 2), num (d, e->stability, 2));
        }
      c.values = g_new (double, e->n_rows * e->n_units);
      for (gsize i = 0; i < e->n_rows; i++)
        memcpy (c.values + i * e->n_units, e->rows[i].values, e->n_units * sizeof (double));
      if (e->text)
        {
          /* token positions differ between rows: the first rows as text instead of a beeswarm */
          for (c.row = 0; c.row < MIN (e->n_rows, (gsize) 3); c.row++)
            {
              const GbAttributionRow *row = &e->rows[c.row];
              const guint n = e->n_feature_units
                              + (row->tokens ? g_strv_length (row->tokens) : 0);
              chart (d, CLAMP (72.0 + 22.0 * ceil (n / 9.0), 100, 260), expl_token_chart, &c);
            }
        }
      else
        {
          chart (d, CLAMP (80.0 + 22.0 * MIN (e->n_units, 15), 200, 420), expl_beeswarm_chart,
                 &c);
          caption (d, _("One point per explained row; colour is the feature's value (numeric "
                        "features), grey for categorical features."));
        }
      /* a waterfall needs additive attributions: LIME's weights are slopes
       * on the scaled interpretable features and occlusion's drops overlap */
      if (g_strcmp0 (e->method, "kernel_shap") == 0)
        {
          c.row = 0;
          chart (d, CLAMP (70.0 + 20.0 * MIN (e->n_units + 3, 15), 200, 400),
                 expl_waterfall_chart, &c);
        }
      g_free (c.values);
    }
  explanations_dependence (d, r);

  if (faithful->len == 0)
    return;
  {
    GbCol cols[] = {
      { _("Method"), 0.40, PANGO_ALIGN_LEFT, FALSE },
      { _("Deletion AOPC"), 0.20, PANGO_ALIGN_RIGHT, FALSE },
      { _("Insertion AOPC"), 0.20, PANGO_ALIGN_RIGHT, FALSE },
      { _("Seconds"), 0.20, PANGO_ALIGN_RIGHT, FALSE },
    };
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
    const GbExplanation *best_del = NULL, *best_ins = NULL;
    ExplChart c = { g_ptr_array_index (faithful, 0) };
    const gsize L = n_units + 1;

    heading (d, _("Faithfulness"), 2);
    paragraph (d, _("Which explanation is right for this model? Deletion replaces the features a "
                    "method ranks highest by the background, most important first, and watches the "
                    "probability fall; insertion starts from the background and puts them back. The "
                    "area over the deletion curve and under the insertion curve relative to their "
                    "start (AOPC, Samek et al. 2017) is larger for a more faithful ranking."));
    c.series = g_new0 (const char *, faithful->len);
    c.curves = g_new (double, faithful->len * L);
    c.n_series = faithful->len;
    for (guint k = 0; k < faithful->len; k++)
      {
        const GbExplanation *e = g_ptr_array_index (faithful, k);
        c.series[k] = method_title (e->method);
        cell (cells, method_title (e->method));
        cell (cells, num (d, e->deletion_aopc, 4));
        cell (cells, num (d, e->insertion_aopc, 4));
        cell (cells, num (d, e->seconds, 2));
        if (!isnan (e->deletion_aopc) && (best_del == NULL || e->deletion_aopc > best_del->deletion_aopc))
          best_del = e;
        if (!isnan (e->insertion_aopc) && (best_ins == NULL || e->insertion_aopc > best_ins->insertion_aopc))
          best_ins = e;
      }
    table (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.95);
    if (best_del && faithful->len > 1)
      /* TRANSLATORS: method, its AOPC, then one of the two clauses below or "" */
      paragraphf (d, _("For this model, %s is the most faithful by deletion AOPC (%s)%s."),
                  method_title (best_del->method), num (d, best_del->deletion_aopc, 4),
                  best_ins == best_del ? _(" and by insertion AOPC as well")
                  : best_ins ? keep (d, g_strdup_printf (_(", %s by insertion AOPC (%s)"),
                                                         method_title (best_ins->method),
                                                         num (d, best_ins->insertion_aopc, 4)))
                             : "");
    for (int ins = 0; ins < 2; ins++)
      {
        for (guint k = 0; k < faithful->len; k++)
          {
            const GbExplanation *e = g_ptr_array_index (faithful, k);
            memcpy (c.curves + k * L, ins ? e->insertion_curve : e->deletion_curve,
                    L * sizeof (double));
          }
        c.insertion = ins;
        chart (d, 260, expl_curves_chart, &c);
      }
    caption (d, _("Mean over the explained rows of the probability after deleting (inserting) "
                  "the k highest-ranked features."));
    g_free (c.series);
    g_free (c.curves);
  }
}

/* TCAV (Kim et al. 2018): one row per concept and class, and one sentence
 * on the concepts that matter. */
static void
explanations_tcav (GbPdf *d, const GbAuditResults *r)
{
  GbCol cols[] = {
    { _("Concept"), 0.30, PANGO_ALIGN_LEFT, FALSE },
    { _("Class"), 0.20, PANGO_ALIGN_LEFT, FALSE },
    { _("TCAV score"), 0.14, PANGO_ALIGN_RIGHT, FALSE },
    { _("Random"), 0.12, PANGO_ALIGN_RIGHT, FALSE },
    { _("p-value"), 0.12, PANGO_ALIGN_RIGHT, FALSE },
    { _("Significant"), 0.12, PANGO_ALIGN_LEFT, FALSE },
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) found = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  guint n_sig = 0, n_runs = 0;

  if (r->tcav == NULL || r->tcav->len == 0)
    return;
  for (guint i = 0; i < r->tcav->len; i++)
    {
      const GbTcavResult *t = g_ptr_array_index (r->tcav, i);
      const char *cls = r->class_names != NULL && t->class_index < g_strv_length (r->class_names)
        ? r->class_names[t->class_index] : count (d, t->class_index);
      n_runs = t->n_runs;
      cell (cells, t->concept);
      cell (cells, cls);
      cell (cells, num (d, t->score, 2));
      cell (cells, num (d, t->random_score, 2));
      cell (cells, keep (d, g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2g", t->p_value))));
      cell (cells, t->significant ? _("yes") : _("no (p > 0.05)"));
      if (t->significant && t->score > 0.5)
        {
          if (n_sig)
            g_string_append (found, _("; "));
          g_string_append_printf (found, _("“%s” raises the probability of %s (TCAV score %s)"),
                                  t->concept, cls, num (d, t->score, 2));
          n_sig++;
        }
    }
  {
    const char *intro = _("TCAV (Kim et al. 2018) asks whether a concept — the rows meeting a "
                          "condition — pushes the model towards a class. A concept activation "
                          "vector (CAV) separates the concept's [CLS] activations from random "
                          "rows' by logistic regression; the TCAV score is the share of the "
                          "class's held-out rows whose probability rises along it. The scores of "
                          "CAVs against different random sets are t-tested against random-vs-random "
                          "CAVs; p > 0.05 means the concept is not distinguishable from chance.");
    keep_together (d, 11.0 * 2.2 + paragraph_height (d, intro, BODY_SIZE) + 2 * BODY_SIZE * 1.6 +
                   table_height (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.95));
    heading (d, _("Concepts (TCAV)"), 2);
    paragraph (d, intro);
  }
  table (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.95);
  /* TRANSLATORS: the sentence on the significant concepts, the layer, the
   * number of random sets and their size */
  paragraphf (d, _("%s The layer is the [CLS] output of encoder layer %u; each concept was tested "
                   "with %u random sets of %s rows."),
              n_sig > 0 ? keep (d, g_strdup_printf (_("Significantly (p ≤ 0.05): %s."), found->str))
                        : _("No concept moves the model towards a class more than random rows do "
                            "(every p > 0.05, or the score is below one half)."),
              r->tcav_layer, n_runs, count (d, r->tcav_n_random));
}

static void
section_explanations (GbPdf *d, const GbAuditSettings *s, const GbAuditResults *r)
{
  const GbIgResult *ig = r->integrated_gradients;
  GbCol cols[] = {
    { _("Row"), 0.14, PANGO_ALIGN_RIGHT, FALSE },
    { "f(x)", 0.16, PANGO_ALIGN_RIGHT, FALSE },
    { "f(x′)", 0.16, PANGO_ALIGN_RIGHT, FALSE },
    { "f(x) − f(x′)", 0.18, PANGO_ALIGN_RIGHT, FALSE },
    { _("Σ attributions"), 0.18, PANGO_ALIGN_RIGHT, FALSE },
    { _("Completeness residual"), 0.18, PANGO_ALIGN_RIGHT, FALSE },
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  IgCharts c = { 0 };
  g_autofree guint *order = NULL;
  double max_res = -1, max_diff = 0;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  gsize max_row = 0;
  guint max_steps = 0;

  section_page (d);
  heading (d, _("3 Explanations"), 1);
  if (ig == NULL || ig->n_rows == 0 || ig->n_features == 0)
    {
      paragraph (d, _("Integrated gradients were not run in this audit."));
      explanations_more (d, r);
      explanations_tcav (d, r);
      return;
    }
  /* TRANSLATORS: class, features, rows, baseline, the quadrature (one of
   * the two phrases below), the tolerance in percent */
  paragraphf (d, ig->text
                 ? _("Integrated gradients (Sundararajan, Taly & Yan 2017) attribute the model's "
                     "probability of class %u to the features and word pieces (up to %u per row) "
                     "of %s held-out rows, integrating the gradient along the straight path from "
                     "the baseline (%s) to the input with %s (doubled for a row until its "
                     "completeness residual is within %s %% of |f(x) − f(x′)|); padding is "
                     "masked. Red pushes the prediction up, blue pushes it down.")
                 : _("Integrated gradients (Sundararajan, Taly & Yan 2017) attribute the model's "
                   "probability of class %u to each of the %u features for %s held-out rows, "
                   "integrating the gradient along the straight path from the baseline (%s) to the "
                   "input with %s (doubled for a row until its completeness residual is within "
                   "%s %% of |f(x) − f(x′)|). Red cells push the prediction up, blue cells push it down."),
              ig->class_index, ig->n_features, count (d, ig->n_rows), orna (ig->baseline),
              keep (d, g_strdup_printf (ig->rule == GB_IG_RULE_TRAPEZOID
                                          ? _("the trapezoid rule on %u steps")
                                          : _("%u-node Gauss–Legendre quadrature"), ig->steps)),
              sig (d, 100.0 * ig->tolerance));
  if (r->n_classes > 2)
    /* TRANSLATORS: the number of classes, the first row's class number and label */
    paragraphf (d, _("The target has %u classes, so each row explains the probability of one "
                     "of them, named in the titles of its charts: its predicted class unless "
                     "--explain-class chose one (class %u above, “%s”, is the first row's)."),
                r->n_classes, ig->class_index,
                r->class_names && ig->class_index < g_strv_length (r->class_names)
                  ? r->class_names[ig->class_index] : "?");

  c.ig = ig;
  c.row_labels = g_new0 (char *, ig->n_rows + 1);
  c.values = g_new (double, ig->n_rows * ig->n_features);
  for (gsize i = 0; i < ig->n_rows; i++)
    {
      c.row_labels[i] = g_strdup_printf (_("row %lu"), (unsigned long) ig->rows[i].row);
      for (guint j = 0; j < ig->n_features; j++)
        c.values[i * ig->n_features + j] = ig->rows[i].attributions
          ? ig->rows[i].attributions[j] : NAN;
    }
  order = g_new (guint, ig->n_features);
  for (guint j = 0; j < ig->n_features; j++)
    order[j] = j;
  g_qsort_with_data (order, ig->n_features, sizeof (guint), cmp_desc, ig->global);
  c.sorted_labels = g_new0 (const char *, ig->n_features);
  c.sorted_values = g_new (double, ig->n_features);
  for (guint j = 0; j < ig->n_features; j++)
    {
      c.sorted_labels[j] = ig->feature_names ? ig->feature_names[order[j]] : "";
      c.sorted_values[j] = ig->global ? ig->global[order[j]] : NAN;
    }

  if (!ig->text)
    {
      chart (d, CLAMP (70.0 + 15.0 * ig->n_rows + 60, 200, 420), ig_heatmap_chart, &c);
      chart (d, CLAMP (60.0 + 16.0 * ig->n_features, 160, 460), ig_bar_chart, &c);
      caption (d, _("Global importance is the mean absolute attribution of a feature over the "
                    "explained rows, sorted in descending order."));
    }
  else
    {
      IgTokenBars tb = { 0 };
      for (guint k = 0; r->explanations && k < r->explanations->len && tb.labels == NULL; k++)
        {
          const GbExplanation *e = g_ptr_array_index (r->explanations, k);
          if (g_strcmp0 (e->method, "integrated_gradients") == 0 && e->text)
            tb.n = gb_explanation_text_global (e, 20, &tb.labels, &tb.values);
        }
      if (tb.n > 0)
        {
          chart (d, CLAMP (60.0 + 16.0 * tb.n, 160, 460), ig_token_bar_chart, &tb);
          caption (d, _("Global importance of a text model: the mean absolute attribution of "
                        "each feature over the explained rows and of each word piece over its "
                        "occurrences in them, the 20 largest in descending order."));
        }
      g_strfreev (tb.labels);
      g_free (tb.values);
    }
  if (ig->text)
    {
      for (gsize i = 0; i < ig->n_rows; i++)
        {
          IgTokenChart tc = { ig, i, r };
          const guint n = ig->n_feature_units
                          + (ig->rows[i].tokens ? g_strv_length (ig->rows[i].tokens) : 0);
          chart (d, CLAMP (72.0 + 22.0 * ceil (n / 9.0), 100, 260), ig_token_chart, &tc);
        }
      caption (d, _("Each explained row as the model read it: its features, then its word "
                    "pieces, on the colour of their integrated-gradients attribution (red "
                    "pushes the probability up, blue down). Padding is masked and never "
                    "receives attribution."));
    }

  for (gsize i = 0; i < ig->n_rows; i++)
    {
      const GbIgRow *row = &ig->rows[i];
      double sum = 0;
      for (guint j = 0; row->attributions && j < ig->n_features; j++)
        sum += row->attributions[j];
      max_steps = MAX (max_steps, row->steps);
      cell (cells, count (d, row->row));
      cell (cells, num (d, row->prediction, 4));
      cell (cells, num (d, row->baseline_prediction, 4));
      cell (cells, num (d, row->prediction - row->baseline_prediction, 4));
      cell (cells, num (d, sum, 4));
      cell (cells, isnan (row->completeness_residual) ? "n/a"
                   : keep (d, g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2e",
                                                         row->completeness_residual))));
      if (!isnan (row->completeness_residual) && row->completeness_residual > max_res)
        {
          max_res = row->completeness_residual;
          max_row = row->row;
          max_diff = fabs (row->prediction - row->baseline_prediction);
        }
    }
  {
    const char *intro = _("Completeness (an axiom of integrated gradients) says the attributions "
                          "of a row sum to f(x) − f(x′); the residual measures how far the "
                          "numerical integral is from it.");
    keep_together (d, 11.0 * 2.2 + paragraph_height (d, intro, BODY_SIZE) + 2 * BODY_SIZE * 1.6 +
                   table_height (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.95));
    heading (d, _("Completeness check"), 2);
    paragraph (d, intro);
  }
  table (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.95);
  if (max_res >= 0)
    paragraphf (d, max_diff > 0 && max_res / max_diff > 0.05
                     ? _("The largest completeness residual is %s (row %s)%s, so the attributions "
                         "are only approximate with at most %u steps; more steps would tighten them.")
                     : _("The largest completeness residual is %s (row %s)%s, so the attributions "
                         "add up to the change in prediction with at most %u steps."),
                sig (d, max_res), count (d, max_row),
                max_diff > 0 ? keep (d, g_strdup_printf (_(", %s %% of |f(x) − f(x′)|"),
                                                         sig (d, 100.0 * max_res / max_diff)))
                             : "",
                max_steps);
  explanations_more (d, r);
  explanations_tcav (d, r);

  g_strfreev (c.row_labels);
  g_free (c.values);
  g_free (c.sorted_labels);
  g_free (c.sorted_values);
}

typedef struct {
  const GbFairnessResult *f;
  const char **groups;
  double *values, *lo, *hi;
  gboolean *flagged;
  const char **labels;        /* DI chart rows */
  double *di, *di_lo, *di_hi;
  guint n_di;
} FairChart;

static const char *const fair_series[] = { N_("selection rate"), "TPR", "FPR", "PPV" };
static const GbRate fair_rates[] = { GB_RATE_SELECTION, GB_RATE_TPR, GB_RATE_FPR, GB_RATE_PPV };

static void
fair_chart (cairo_t *cr, double w, double h, gpointer data)
{
  FairChart *c = data;
  g_autofree char *title = g_strdup_printf (_("Rates by group of “%s” with 95 %% intervals"), c->f->attribute);
  const char *series[G_N_ELEMENTS (fair_series)];

  for (gsize k = 0; k < G_N_ELEMENTS (fair_series); k++)
    series[k] = _(fair_series[k]);
  gb_plot_fairness_bars_draw (cr, w, h, title, c->groups, c->f->n_groups, series,
                              G_N_ELEMENTS (fair_series), c->values, c->lo, c->hi,
                              c->f->reference, c->flagged);
}

static void
di_chart (cairo_t *cr, double w, double h, gpointer data)
{
  FairChart *c = data;
  g_autofree char *title = g_strdup_printf (_("Disparate impact ratio by group of “%s” (bootstrap 95 %% CI)"),
                                            c->f->attribute);
  gb_plot_disparate_impact_draw (cr, w, h, title, c->labels, c->di, c->di_lo, c->di_hi, c->n_di,
                                 c->f->groups[c->f->reference].group);
}

typedef struct {
  const GbFairnessMitigation *m;
  const char **labels;
  double *mx, *my;
  guint n;
} TradeChart;

static void
trade_chart (cairo_t *cr, double w, double h, gpointer data)
{
  TradeChart *c = data;
  g_autofree char *title = g_strdup_printf (_("Accuracy against disparity for “%s” (one threshold for all, "
                                              "0 to 1)"), c->m->attribute);
  gb_plot_tradeoff_draw (cr, w, h, title, c->m->tradeoff_parity_difference, c->m->tradeoff_accuracy,
                         c->m->n_tradeoff, _("statistical parity difference (max − min selection rate)"),
                         c->labels, c->mx, c->my, c->n);
}

/* A mitigation's name for tables, charts and sentences ("thresholds_
 * equal_opportunity" → "Group thresholds (equal opportunity)"). */
static const char *
mitigation_label (const char *method)
{
  if (g_strcmp0 (method, "reweighing") == 0)
    return _("Reweighing");
  if (g_strcmp0 (method, "thresholds_demographic_parity") == 0)
    return _("Group thresholds (demographic parity)");
  if (g_strcmp0 (method, "thresholds_equal_opportunity") == 0)
    return _("Group thresholds (equal opportunity)");
  if (g_strcmp0 (method, "thresholds_equalized_odds") == 0)
    return _("Group thresholds (equalized odds)");
  return method;
}

/* What a mitigation did, in the report's language for the group thresholds
 * (the numbers and wording of gb-fairness-run.c, whose English description
 * goes to the JSON); other mitigations keep the engine's description. */
static const char *
mitigation_text (GbPdf *d, const GbFairnessMitigation *m)
{
  const char *fmt = NULL;

  if (g_strcmp0 (m->method, "thresholds_demographic_parity") == 0)
    fmt = _("Group-specific thresholds for demographic parity (Hardt, Price & Srebro 2016), "
            "fitted on a validation half of %s rows (grid step 0.01) and evaluated on the other "
            "%s rows.");
  else if (g_strcmp0 (m->method, "thresholds_equal_opportunity") == 0)
    fmt = _("Group-specific thresholds for equal opportunity (Hardt, Price & Srebro 2016), "
            "fitted on a validation half of %s rows (grid step 0.01) and evaluated on the other "
            "%s rows.");
  else if (g_strcmp0 (m->method, "thresholds_equalized_odds") == 0)
    fmt = _("Group-specific thresholds for equalized odds (Hardt, Price & Srebro 2016, "
            "randomised where needed), fitted on a validation half of %s rows (grid step 0.01) "
            "and evaluated on the other %s rows.");
  if (fmt == NULL)
    return m->description;
  return keep (d, g_strdup_printf (fmt, count (d, m->n_fit), count (d, m->n_eval)));
}

/* The predictions the fairness metrics judge; the engine's fixed English
 * description of a model trained here (gb-audit.c) in the report's language. */
static const char *
prediction_text (const GbAuditResults *r)
{
  if (g_strcmp0 (r->prediction_description,
                 "the model trained here, held-out split, threshold 0.5") == 0)
    return _("the model trained here, held-out split, threshold 0.5");
  return orna (r->prediction_description);
}

static const char *
metric_cell (GbPdf *d, const GbFairnessMetric *m)
{
  if (m == NULL)
    return "n/a";
  if (g_str_has_prefix (m->name, "theil"))
    return sig (d, m->value);   /* small indices keep their digits */
  return num (d, m->value, 3);
}

static const char *
metric_ci (GbPdf *d, const GbFairnessMetric *m)
{
  if (m == NULL || isnan (m->ci_low))
    return "—";
  if (g_str_has_prefix (m->name, "theil"))
    return keep (d, g_strdup_printf ("%s – %s", sig (d, m->ci_low), sig (d, m->ci_high)));
  return keep (d, g_strdup_printf ("%s – %s", num (d, m->ci_low, 3), num (d, m->ci_high, 3)));
}

/* ---- per-group ROC and calibration curves, and why the gap exists (issue 6) */

typedef struct {
  const GbFairnessResult *f;
  const char **groups;
  const double **fpr, **tpr;
  gsize *len;
  double *auc;
  const double **cal_score, **cal_observed;   /* NULL: no calibration curves */
  const gsize **cal_n;
} GroupCurves;

/* The ROC curves on the left half, the calibration curves on the right. */
static void
group_curves_chart (cairo_t *cr, double w, double h, gpointer data)
{
  GroupCurves *c = data;
  const double half = c->cal_score ? w / 2 : w;
  g_autofree char *title = g_strdup_printf (_("ROC curve by group of “%s”"), c->f->attribute);
  gb_plot_group_roc_draw (cr, half, h, title, c->groups, c->fpr, c->tpr, c->len, c->auc,
                          c->f->n_groups, c->f->reference);
  if (c->cal_score == NULL)
    return;
  g_autofree char *title2 = g_strdup_printf (_("Calibration by group of “%s”"), c->f->attribute);
  cairo_save (cr);
  cairo_translate (cr, half, 0);
  gb_plot_group_calibration_draw (cr, w - half, h, title2, c->groups, c->cal_score,
                                  c->cal_observed, c->cal_n, c->f->groups[0].n_calibration,
                                  c->f->n_groups, c->f->reference);
  cairo_restore (cr);
}

static void
gap_chart (cairo_t *cr, double w, double h, gpointer data)
{
  const GbFairnessDecomposition *dc = data;
  g_autofree const char **names = g_new0 (const char *, dc->n_contributions + 1);
  g_autofree double *v = g_new (double, MAX (dc->n_contributions, 1));
  g_autofree double *lo = g_new (double, MAX (dc->n_contributions, 1));
  g_autofree double *hi = g_new (double, MAX (dc->n_contributions, 1));
  for (guint j = 0; j < dc->n_contributions; j++)
    {
      names[j] = dc->contributions[j].feature;
      v[j] = dc->contributions[j].value;
      lo[j] = dc->contributions[j].ci_low;
      hi[j] = dc->contributions[j].ci_high;
    }
  g_autofree char *title = g_strdup_printf (_("Why the gap exists: %s − %s, by feature"),
                                            dc->group, dc->reference);
  gb_plot_gap_decomposition_draw (cr, w, h, title, names, v, lo, hi, dc->n_contributions, dc->gap,
                                  8, _("share of the gap in mean predicted probability"));
}

/* Mean |observed − mean score| over the group's calibration bins, weighted by rows. */
static double
calibration_gap (const GbGroupRates *gr)
{
  double s = 0;
  gsize n = 0;
  for (guint k = 0; k < gr->n_calibration; k++)
    if (gr->calibration_n[k] > 0)
      {
        s += gr->calibration_n[k] * fabs (gr->calibration_observed[k] - gr->calibration_score[k]);
        n += gr->calibration_n[k];
      }
  return n ? s / n : NAN;
}

static char *
decomposition_sentence (GbPdf *d, const GbFairnessDecomposition *dc)
{
  const gboolean ci = dc->bootstrap > 0 && !isnan (dc->gap_ci_low);
  GString *s = g_string_new (NULL);
  /* TRANSLATORS: group, its mean predicted probability, the reference
   * group, its mean, the gap, its interval, and the rows explained */
  g_string_append_printf (s, _("The mean predicted probability is %s for %s and %s for the "
                               "reference group %s: a gap of %s (95 %% CI %s to %s) over %s and "
                               "%s sampled held-out rows."),
                          num (d, dc->mean_group, 3), orna (dc->group),
                          num (d, dc->mean_reference, 3), orna (dc->reference),
                          num (d, dc->gap, 3), ci ? num (d, dc->gap_ci_low, 3) : "n/a",
                          ci ? num (d, dc->gap_ci_high, 3) : "n/a", count (d, dc->n_group),
                          count (d, dc->n_reference));
  if (dc->n_contributions > 0)
    {
      const GbGapContribution *c = &dc->contributions[0];
      g_string_append_c (s, ' ');
      /* TRANSLATORS: the gap, a feature's share, its interval, the feature */
      g_string_append_printf (s, _("Of the %s gap, %s (95 %% CI %s to %s) is carried by %s"),
                              num (d, dc->gap, 3), num (d, c->value, 3),
                              isnan (c->ci_low) ? "n/a" : num (d, c->ci_low, 3),
                              isnan (c->ci_high) ? "n/a" : num (d, c->ci_high, 3), c->feature);
      for (guint j = 1; j < MIN (dc->n_contributions, 3u); j++)
        {
          c = &dc->contributions[j];
          /* TRANSLATORS: continues the list: a share, its interval, the feature */
          g_string_append_printf (s, _(", %s (%s to %s) by %s"), num (d, c->value, 3),
                                  isnan (c->ci_low) ? "n/a" : num (d, c->ci_low, 3),
                                  isnan (c->ci_high) ? "n/a" : num (d, c->ci_high, 3),
                                  c->feature);
        }
      g_string_append (s, _("."));
    }
  g_string_append_c (s, ' ');
  g_string_append_printf (s, _("Each share is the difference between the two groups' mean "
                               "KernelSHAP values of the feature, so the shares add up to the gap "
                               "(residual %s). A share says which inputs the model's different "
                               "outputs pass through, not what causes the difference: a feature "
                               "correlated with the attribute carries part of it."),
                          sig (d, dc->residual));
  return g_string_free (s, FALSE);
}

static void
fairness_curves_and_gap (GbPdf *d, const GbFairnessResult *f)
{
  if (f->has_score && f->n_groups > 0)
    {
      GroupCurves c = { f };
      const guint G = f->n_groups;
      gint lo = -1, hi = -1, clo = -1, chi = -1;
      GString *sentence = g_string_new (NULL);
      c.groups = g_new0 (const char *, G);
      c.fpr = g_new0 (const double *, G);
      c.tpr = g_new0 (const double *, G);
      c.len = g_new0 (gsize, G);
      c.auc = g_new (double, G);
      for (guint g = 0; g < G; g++)
        {
          const GbGroupRates *gr = &f->groups[g];
          c.groups[g] = gr->group;
          c.fpr[g] = gr->roc_fpr;
          c.tpr[g] = gr->roc_tpr;
          c.len[g] = gr->roc_len;
          c.auc[g] = gr->roc_auc;
          if (gr->small || isnan (gr->roc_auc))
            continue;
          if (lo < 0 || gr->roc_auc < f->groups[lo].roc_auc)
            lo = g;
          if (hi < 0 || gr->roc_auc > f->groups[hi].roc_auc)
            hi = g;
          const double cg = calibration_gap (gr);
          if (!isnan (cg) && (clo < 0 || cg < calibration_gap (&f->groups[clo])))
            clo = g;
          if (!isnan (cg) && (chi < 0 || cg > calibration_gap (&f->groups[chi])))
            chi = g;
        }
      const GbGroupRates *ref = &f->groups[f->reference];
      if (lo >= 0 && hi >= 0)
        /* TRANSLATORS: attribute, lowest AUC and its group, highest AUC and
         * its group, the reference group and its AUC */
        g_string_append_printf (sentence, _("Across the groups of “%s”, the ROC-AUC of the score "
                                            "ranges from %s (%s) to %s (%s); the reference group "
                                            "%s has %s."),
                                f->attribute, num (d, f->groups[lo].roc_auc, 3),
                                f->groups[lo].group, num (d, f->groups[hi].roc_auc, 3),
                                f->groups[hi].group, ref->group, num (d, ref->roc_auc, 3));
      if (clo >= 0 && chi >= 0 && ref->n_calibration > 0)
        {
          c.cal_score = g_new0 (const double *, G);
          c.cal_observed = g_new0 (const double *, G);
          c.cal_n = g_new0 (const gsize *, G);
          for (guint g = 0; g < G; g++)
            {
              c.cal_score[g] = f->groups[g].calibration_score;
              c.cal_observed[g] = f->groups[g].calibration_observed;
              c.cal_n[g] = f->groups[g].calibration_n;
            }
          if (sentence->len)
            g_string_append_c (sentence, ' ');
          /* TRANSLATORS: group with the largest calibration gap and the gap,
           * the smallest, the reference group and its gap */
          g_string_append_printf (sentence, _("Calibration: the mean gap between the observed "
                                              "positive rate and the mean score of a score bin "
                                              "(weighted by rows) is largest for %s (%s) and "
                                              "smallest for %s (%s); the reference group %s has "
                                              "%s. A curve below the diagonal means the score "
                                              "overstates that group's positive rate."),
                                  f->groups[chi].group,
                                  num (d, calibration_gap (&f->groups[chi]), 3),
                                  f->groups[clo].group,
                                  num (d, calibration_gap (&f->groups[clo]), 3), ref->group,
                                  num (d, calibration_gap (ref), 3));
        }
      const char *text = keep (d, g_string_free (sentence, FALSE));
      keep_together (d, paragraph_height (d, text, BODY_SIZE) + 250);
      paragraph (d, text);
      chart (d, 240, group_curves_chart, &c);
      g_free (c.groups);
      g_free (c.fpr);
      g_free (c.tpr);
      g_free (c.len);
      g_free (c.auc);
      g_free (c.cal_score);
      g_free (c.cal_observed);
      g_free (c.cal_n);
    }
  if (f->decomposition && f->decomposition->n_contributions > 0)
    {
      const GbFairnessDecomposition *dc = f->decomposition;
      const char *sentence = keep (d, decomposition_sentence (d, dc));
      const guint bars = MIN (dc->n_contributions, 8u);
      keep_together (d, paragraph_height (d, sentence, BODY_SIZE) + 70 + 18.0 * bars);
      paragraph (d, sentence);
      chart (d, 64 + 18.0 * bars, gap_chart, (gpointer) dc);
    }
}

/* Counterfactual substitution of identity terms (text models; gb-counterfactual.h). */
static void
counterfactual_block (GbPdf *d, const GbAuditResults *r)
{
  GbCol cols[] = {
    { _("Pair list"), 0.14, PANGO_ALIGN_LEFT, FALSE },
    { _("Direction"), 0.24, PANGO_ALIGN_LEFT, FALSE },
    { "n", 0.07, PANGO_ALIGN_RIGHT, FALSE },
    { _("Mean change"), 0.12, PANGO_ALIGN_RIGHT, FALSE },
    { /* xgettext:no-c-format */ _("95 % CI"), 0.15, PANGO_ALIGN_RIGHT, FALSE },
    { _("t-test p"), 0.1, PANGO_ALIGN_RIGHT, FALSE },
    { _("Wilcoxon p"), 0.1, PANGO_ALIGN_RIGHT, FALSE },
    { _("Flips"), 0.08, PANGO_ALIGN_RIGHT, FALSE },
  };
  GbCol ecols[] = {
    { _("Sentence"), 0.38, PANGO_ALIGN_LEFT, FALSE },
    { _("Rewritten"), 0.38, PANGO_ALIGN_LEFT, FALSE },
    { _("Before"), 0.12, PANGO_ALIGN_RIGHT, FALSE },
    { _("After"), 0.12, PANGO_ALIGN_RIGHT, FALSE },
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ex = g_ptr_array_new_with_free_func (g_free);

  if (r->counterfactual == NULL || r->counterfactual->len == 0)
    return;
  heading (d, _("Counterfactual substitution of identity terms"), 2);
  paragraph (d, _("Each held-out text that contains a term of a pair list is rewritten with the "
                  "partner terms (whole words, case kept, e.g. he ↔ she, Alonzo ↔ Nichelle) and "
                  "the model predicts both versions. The change is the predicted probability on "
                  "the rewritten text minus that on the original, over the texts that contain a "
                  "term; the interval is the paired t interval, the tests are the paired t-test "
                  "and Wilcoxon's signed-rank test of no change, and a flip is a change of the "
                  "predicted class."));
  for (guint l = 0; l < r->counterfactual->len; l++)
    {
      const GbCounterfactualResult *cf = g_ptr_array_index (r->counterfactual, l);
      for (guint i = 0; i < cf->directions->len; i++)
        {
          const GbCounterfactualDirection *dir = g_ptr_array_index (cf->directions, i);
          cell (cells, cf->pair_list);
          cell (cells, dir->label);
          cell (cells, count (d, dir->n_rows));
          cellf (cells, "%s%s", dir->mean_change > 0 ? "+" : "", sig (d, dir->mean_change));
          cellf (cells, "%s – %s", sig (d, dir->ci_low), sig (d, dir->ci_high));
          cell (cells, pval (d, dir->t_p_value));
          cell (cells, pval (d, dir->wilcoxon_p_value));
          cellf (cells, "%s %%", num (d, 100.0 * dir->flip_rate, 1));
        }
    }
  table (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.9);
  for (guint l = 0; l < r->counterfactual->len; l++)
    {
      const GbCounterfactualResult *cf = g_ptr_array_index (r->counterfactual, l);
      const char *cls = r->class_names && cf->class_index < g_strv_length (r->class_names)
        ? r->class_names[cf->class_index] : "?";
      for (guint i = 0; i < cf->directions->len; i++)
        {
          const GbCounterfactualDirection *dir = g_ptr_array_index (cf->directions, i);
          /* with groups, one sentence per directed swap; otherwise the swap */
          if ((cf->directions->len > 1 && dir->direction == GB_PAIR_SWAP) || dir->n_rows == 0)
            continue;
          const char *from = dir->direction == GB_PAIR_B_TO_A ? cf->group_b : cf->group_a;
          const char *to = dir->direction == GB_PAIR_B_TO_A ? cf->group_a : cf->group_b;
          const char *pct = keep (d, g_strdup_printf ("%s %%", num (d, 100.0 * dir->flip_rate, 1)));
          const char *change = keep (d, g_strdup_printf ("%s%s", dir->mean_change > 0 ? "+" : "",
                                                         sig (d, dir->mean_change)));
          const char *p = keep (d, g_strdup_printf ("%s%s", dir->t_p_value < 0.001 ? "" : "= ",
                                                    pval (d, dir->t_p_value)));
          if (dir->direction == GB_PAIR_SWAP)
            paragraphf (d, _("Swapping the terms of the list “%s” changes the predicted "
                             "probability of “%s” by %s on average (95 %% CI %s to %s, paired "
                             "t-test p %s) over %s texts; %s of predictions flip."),
                        cf->pair_list, cls, change, sig (d, dir->ci_low), sig (d, dir->ci_high),
                        p, count (d, dir->n_rows), pct);
          else
            paragraphf (d, _("Replacing %s terms by %s terms changes the predicted probability "
                             "of “%s” by %s on average (95 %% CI %s to %s, paired t-test p %s) "
                             "over %s texts; %s of predictions flip."),
                        from, to, cls, change, sig (d, dir->ci_low), sig (d, dir->ci_high), p,
                        count (d, dir->n_rows), pct);
        }
      const GbCounterfactualDirection *swap = g_ptr_array_index (cf->directions, 0);
      for (guint i = 0; swap->examples && i < MIN (swap->examples->len, 3u); i++)
        {
          const GbCounterfactualExample *e = &g_array_index (swap->examples,
                                                             GbCounterfactualExample, i);
          cell (ex, orna (e->before));
          cell (ex, orna (e->after));
          cell (ex, sig (d, e->p_before));
          cell (ex, sig (d, e->p_after));
        }
    }
  if (ex->len > 0)
    {
      paragraph (d, _("The texts whose prediction changed most under each list's swap:"));
      table (d, ecols, G_N_ELEMENTS (ecols), ex, BODY_SIZE * 0.85);
    }
}

static void
section_fairness (GbPdf *d, const GbAuditSettings *s, const GbAuditResults *r)
{
  GbCol cols[] = {
    { _("Group"), 0.25, PANGO_ALIGN_LEFT, FALSE },
    { "n", 0.1, PANGO_ALIGN_RIGHT, FALSE },
    { /* xgettext:no-c-format */ _("Selection rate (95 % CI)"), 0.25, PANGO_ALIGN_RIGHT, FALSE },
    { "TPR", 0.1, PANGO_ALIGN_RIGHT, FALSE },
    { "FPR", 0.1, PANGO_ALIGN_RIGHT, FALSE },
    { "PPV", 0.1, PANGO_ALIGN_RIGHT, FALSE },
    { _("Accuracy"), 0.1, PANGO_ALIGN_RIGHT, FALSE },
  };
  GbCol mcols[] = {
    { _("Between-group metric (min/max)"), 0.36, PANGO_ALIGN_LEFT, FALSE },
    { _("Value"), 0.12, PANGO_ALIGN_RIGHT, FALSE },
    { /* xgettext:no-c-format */ _("95 % CI"), 0.22, PANGO_ALIGN_RIGHT, FALSE },
    { "p", 0.15, PANGO_ALIGN_RIGHT, FALSE },
    { "p (BH)", 0.15, PANGO_ALIGN_RIGHT, FALSE },
  };
  static const struct { const char *name, *label; } shown[] = {
    { "disparate_impact_ratio", N_("Disparate impact ratio") },
    { "statistical_parity_difference", N_("Statistical parity difference") },
    { "equal_opportunity_difference", N_("Equal opportunity difference") },
    { "equalized_odds_difference", N_("Equalized odds difference") },
    { "equalized_odds_ratio", N_("Equalized odds ratio") },
    { "average_odds_difference", N_("Average odds difference") },
    { "predictive_parity_difference", N_("Predictive parity difference") },
    { "accuracy_difference", N_("Accuracy difference") },
    { "theil_index", N_("Theil index (benefits ŷ − y + 1)") },
    { "theil_between_groups", N_("Theil index between groups") },
  };

  section_page (d);
  heading (d, _("4 Fairness"), 1);
  if (r->fairness == NULL || r->fairness->len == 0)
    {
      paragraph (d, _("The fairness analysis was not run: no protected attribute was given, or "
                      "no model made predictions."));
      counterfactual_block (d, r);
      return;
    }
  {
    const GbFairnessResult *f0 = g_ptr_array_index (r->fairness, 0);
    guint n_tests = 0;
    for (guint i = 0; i < r->fairness->len; i++)
      n_tests += ((GbFairnessResult *) g_ptr_array_index (r->fairness, i))->n_tests;
    paragraphf (d, _("Group metrics of the predictions of %s (prediction 1 = selected) on %s rows. "
                     "TPR, FPR and PPV are the true and false positive rates and the positive "
                     "predictive value; n/a marks a rate with an empty denominator. Rates carry "
                     "Wilson 95 %% intervals; gaps carry stratified bootstrap 95 %% intervals (%u "
                     "replicates, seed %s) and a test of no gap (two-proportion z, Fisher's exact "
                     "test when an expected count is below 5, chi-square across three or more "
                     "groups), with Benjamini–Hochberg adjustment over all %s tests of this section. "
                     "Groups under %s rows are flagged (*) and left out of the min/max metrics. "
                     "Definitions follow Fairlearn and AIF360; the Theil index follows Speicher et "
                     "al. (2018)."),
                prediction_text (r), count (d, r->n_fairness_rows), f0->bootstrap,
                count (d, f0->seed),
                count (d, n_tests),
                count (d, f0->min_group_size));
  }
  for (guint i = 0; i < r->fairness->len; i++)
    {
      const GbFairnessResult *f = g_ptr_array_index (r->fairness, i);
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) metrics = g_ptr_array_new_with_free_func (g_free);
      FairChart c = { f };
      g_autofree char *h = g_strdup_printf ("4.%u %s", i + 1, orna (f->attribute));
      const char *sentence = keep (d, fairness_sentence (d, f));

      for (guint g = 0; g < f->n_groups; g++)
        {
          const GbGroupRates *gr = &f->groups[g];
          cellf (cells, "%s%s%s", orna (gr->group), gr->is_reference ? _(" (ref.)") : "",
                 gr->small ? " *" : "");
          cell (cells, count (d, gr->n));
          cellf (cells, "%s (%s–%s)", num (d, gr->selection_rate, 3),
                 num (d, gr->ci[GB_RATE_SELECTION][0], 3), num (d, gr->ci[GB_RATE_SELECTION][1], 3));
          cell (cells, num (d, gr->tpr, 3));
          cell (cells, num (d, gr->fpr, 3));
          cell (cells, num (d, gr->ppv, 3));
          cell (cells, num (d, gr->accuracy, 3));
        }
      keep_together (d, 12.5 * 2.2 + paragraph_height (d, sentence, BODY_SIZE) +
                     table_height (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.9));
      heading (d, h, 2);
      paragraph (d, sentence);
      table (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.9);
      if (f->n_small > 0)
        paragraphf (d, f->summary_uses_all
                         ? g_dngettext (GETTEXT_PACKAGE,
                                        "* %u group with fewer than %s rows: listed and compared "
                                        "with the reference group, but used in the min/max metrics "
                                        "too because fewer than two groups are large enough.",
                                        "* %u groups with fewer than %s rows: listed and compared "
                                        "with the reference group, but used in the min/max metrics "
                                        "too because fewer than two groups are large enough.",
                                        f->n_small)
                         : g_dngettext (GETTEXT_PACKAGE,
                                        "* %u group with fewer than %s rows: listed and compared "
                                        "with the reference group, but left out of the min/max "
                                        "metrics.",
                                        "* %u groups with fewer than %s rows: listed and compared "
                                        "with the reference group, but left out of the min/max "
                                        "metrics.",
                                        f->n_small),
                    f->n_small, count (d, f->min_group_size));

      for (guint k = 0; k < G_N_ELEMENTS (shown); k++)
        {
          const GbFairnessMetric *m = gb_fairness_result_get_metric (f, shown[k].name);
          cell (metrics, _(shown[k].label));
          cell (metrics, metric_cell (d, m));
          cell (metrics, metric_ci (d, m));
          cell (metrics, m ? pval (d, m->p_value) : "n/a");
          cell (metrics, m ? pval (d, m->p_adjusted) : "n/a");
        }
      table (d, mcols, G_N_ELEMENTS (mcols), metrics, BODY_SIZE * 0.9);

      const gsize ns = G_N_ELEMENTS (fair_series);
      c.groups = g_new0 (const char *, MAX (f->n_groups, 1));
      c.values = g_new (double, MAX (f->n_groups, 1) * ns);
      c.lo = g_new (double, MAX (f->n_groups, 1) * ns);
      c.hi = g_new (double, MAX (f->n_groups, 1) * ns);
      c.flagged = g_new0 (gboolean, MAX (f->n_groups, 1));
      for (guint g = 0; g < f->n_groups; g++)
        {
          c.groups[g] = f->groups[g].group;
          c.flagged[g] = f->groups[g].small;
          for (gsize k = 0; k < ns; k++)
            {
              c.values[g * ns + k] = gb_group_rates_get (&f->groups[g], fair_rates[k]);
              c.lo[g * ns + k] = f->groups[g].ci[fair_rates[k]][0];
              c.hi[g * ns + k] = f->groups[g].ci[fair_rates[k]][1];
            }
        }
      chart (d, f->n_groups > 4 ? 290 : 240, fair_chart, &c);
      c.labels = g_new0 (const char *, MAX (f->n_comparisons, 1));
      c.di = g_new (double, MAX (f->n_comparisons, 1));
      c.di_lo = g_new (double, MAX (f->n_comparisons, 1));
      c.di_hi = g_new (double, MAX (f->n_comparisons, 1));
      c.n_di = f->n_comparisons;
      for (guint k = 0; k < f->n_comparisons; k++)
        {
          const GbFairnessComparison *cmp = &f->comparisons[k];
          const GbFairnessMetric *m = gb_fairness_comparison_get_metric (cmp, "disparate_impact_ratio");
          c.labels[k] = keep (d, g_strdup_printf ("%s%s", f->groups[cmp->group].group,
                                                  f->groups[cmp->group].small ? " *" : ""));
          c.di[k] = m->value;
          c.di_lo[k] = m->ci_low;
          c.di_hi[k] = m->ci_high;
        }
      chart (d, 60 + 16.0 * c.n_di, di_chart, &c);
      fairness_curves_and_gap (d, f);
      g_free (c.groups);
      g_free (c.values);
      g_free (c.lo);
      g_free (c.hi);
      g_free (c.flagged);
      g_free (c.labels);
      g_free (c.di);
      g_free (c.di_lo);
      g_free (c.di_hi);
    }

  if (r->fairness_proxies && r->fairness_proxies->len > 0)
    {
      GbCol pcols[] = {
        { _("Feature"), 0.35, PANGO_ALIGN_LEFT, FALSE },
        { _("Predicts group"), 0.45, PANGO_ALIGN_LEFT, FALSE },
        { "AUC", 0.2, PANGO_ALIGN_RIGHT, FALSE },
      };
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      const guint shown_n = MIN (r->fairness_proxies->len, 8);
      for (guint k = 0; k < shown_n; k++)
        {
          const GbFairnessProxy *p = &g_array_index (r->fairness_proxies, GbFairnessProxy, k);
          cell (cells, p->feature);
          cellf (cells, "%s = %s", p->attribute, p->group);
          cell (cells, num (d, p->auc, 3));
        }
      const char *intro = _("How well each feature alone tells a protected group from the rest "
                            "(one-vs-rest ROC-AUC, 0.5 = no information, 1 = a perfect proxy); the "
                            "strongest proxies are listed. A model can reproduce a gap through them "
                            "even without the protected attribute.");
      keep_together (d, 12.5 * 2.2 + paragraph_height (d, intro, BODY_SIZE) +
                     table_height (d, pcols, 3, cells, BODY_SIZE * 0.9));
      heading (d, keep (d, g_strdup_printf (_("4.%u Proxy check"), r->fairness->len + 1)), 2);
      paragraph (d, intro);
      table (d, pcols, 3, cells, BODY_SIZE * 0.9);
    }

  if (r->fairness_mitigation && r->fairness_mitigation->len > 0)
    {
      GbCol xcols[] = {
        { _("Mitigation"), 0.34, PANGO_ALIGN_LEFT, FALSE },
        { _("Accuracy"), 0.16, PANGO_ALIGN_RIGHT, FALSE },
        { _("Stat. parity diff."), 0.17, PANGO_ALIGN_RIGHT, FALSE },
        { _("Equal opp. diff."), 0.17, PANGO_ALIGN_RIGHT, FALSE },
        { _("Eq. odds diff."), 0.16, PANGO_ALIGN_RIGHT, FALSE },
      };
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      const GbFairnessMitigation *trade = NULL;
      heading (d, keep (d, g_strdup_printf (_("4.%u Mitigation (before → after on held-out rows)"),
                                            r->fairness->len + (r->fairness_proxies && r->fairness_proxies->len ? 2 : 1))), 2);
      for (guint k = 0; k < r->fairness_mitigation->len; k++)
        {
          const GbFairnessMitigation *m = g_ptr_array_index (r->fairness_mitigation, k);
          static const char *const names[] = { "statistical_parity_difference",
                                               "equal_opportunity_difference",
                                               "equalized_odds_difference" };
          bullet (d, mitigation_text (d, m));
          cell (cells, mitigation_label (m->method));
          cellf (cells, "%s → %s", num (d, m->accuracy_before, 3), num (d, m->accuracy_after, 3));
          for (guint j = 0; j < G_N_ELEMENTS (names); j++)
            {
              const GbFairnessMetric *b = m->before ? gb_fairness_result_get_metric (m->before, names[j]) : NULL;
              const GbFairnessMetric *a = m->after ? gb_fairness_result_get_metric (m->after, names[j]) : NULL;
              cellf (cells, "%s → %s", b ? num (d, b->value, 3) : "n/a", a ? num (d, a->value, 3) : "n/a");
            }
          if (m->n_tradeoff > 0 && trade == NULL)
            trade = m;
        }
      table (d, xcols, G_N_ELEMENTS (xcols), cells, BODY_SIZE * 0.9);
      for (guint k = 0; k < r->fairness_mitigation->len; k++)
        {
          const GbFairnessMitigation *m = g_ptr_array_index (r->fairness_mitigation, k);
          const GbFairnessMetric *b = m->before ? gb_fairness_result_get_metric (m->before, "equal_opportunity_difference") : NULL;
          const GbFairnessMetric *a = m->after ? gb_fairness_result_get_metric (m->after, "equal_opportunity_difference") : NULL;
          if (a && b && !isnan (a->ci_low))
            bullet (d, keep (d, g_strdup_printf (
              /* TRANSLATORS: method, attribute, before (value, CI low, CI high),
               * after (value, CI low, CI high), accuracy after, accuracy before */
              _("%s: the equal opportunity difference for “%s” goes from %s (95 %% CI %s–%s) to %s "
                "(95 %% CI %s–%s), at an accuracy of %s instead of %s."),
              mitigation_label (m->method), m->attribute, num (d, b->value, 3), num (d, b->ci_low, 3), num (d, b->ci_high, 3),
              num (d, a->value, 3), num (d, a->ci_low, 3), num (d, a->ci_high, 3),
              num (d, m->accuracy_after, 3), num (d, m->accuracy_before, 3))));
        }
      if (trade != NULL)
        {
          TradeChart tc = { trade };
          tc.labels = g_new0 (const char *, r->fairness_mitigation->len + 1);
          tc.mx = g_new (double, r->fairness_mitigation->len + 1);
          tc.my = g_new (double, r->fairness_mitigation->len + 1);
          tc.labels[0] = _("common threshold");
          tc.mx[0] = trade->before ? trade->before->statistical_parity_difference : NAN;
          tc.my[0] = trade->accuracy_before;
          tc.n = 1;
          for (guint k = 0; k < r->fairness_mitigation->len; k++)
            {
              const GbFairnessMitigation *m = g_ptr_array_index (r->fairness_mitigation, k);
              if (m->n_tradeoff == 0 || m->after == NULL)
                continue;
              tc.labels[tc.n] = mitigation_label (m->method);
              tc.mx[tc.n] = m->after->statistical_parity_difference;
              tc.my[tc.n] = m->accuracy_after;
              tc.n++;
            }
          chart (d, 250, trade_chart, &tc);
          g_free (tc.labels);
          g_free (tc.mx);
          g_free (tc.my);
        }
    }
  counterfactual_block (d, r);
}

typedef struct {
  const GbAuditResults *r;
  const char **labels;
  double *est, *lo, *hi;
} ForestChart;

static void
forest_chart (cairo_t *cr, double w, double h, gpointer data)
{
  ForestChart *c = data;
  g_autofree char *xl = g_strdup_printf (_("effect on %s"), orna (c->r->outcome_description));
  gb_plot_forest_draw (cr, w, h, /* xgettext:no-c-format */ _("Treatment effect estimates with 95 % intervals"), c->labels,
                       c->est, c->lo, c->hi, c->r->estimates->len, 0.0, xl);
}

typedef struct {
  const GbCausalAnalysis *a;
  const char **labels;
  double *before, *after, *after2;
  guint n;
} LoveChart;

static void
love_chart (cairo_t *cr, double w, double h, gpointer data)
{
  LoveChart *c = data;
  gb_plot_love_draw (cr, w, h, _("Covariate balance (love plot)"), c->labels, c->before, c->after,
                     c->after2, c->n, _("IPW weights"), _("propensity matching"), 0.1);
}

static void
overlap_chart (cairo_t *cr, double w, double h, gpointer data)
{
  const GbCausalAnalysis *a = data;
  gb_plot_overlap_draw (cr, w, h, _("Propensity score by group (overlap)"), a->propensity,
                        a->treatment, a->n_all, 20, a->trim_alpha);
}

/* What a refutation means for the estimate, in the report's language: the
 * same rule as engine/causal/gb-refute.c (whose English sentence goes to the
 * JSON), written here as whole translatable sentences. */
static const char *
refutation_sentence (GbPdf *d, const GbCausalAnalysis *a, const GbRefutation *rf)
{
  const char *orig = "n/a";
  const char *p = isnan (rf->p_value) ? "n/a"
    : rf->p_value < 0.001 ? "p < 0.001"
    : keep (d, g_strdup_printf ("p = %s", pval (d, rf->p_value)));

  for (guint i = 0; a->estimates && i < a->estimates->len; i++)
    {
      const GbEstimate *e = &g_array_index (a->estimates, GbEstimate, i);
      if (g_strcmp0 (e->method, a->refute_method) == 0)
        orig = sig (d, e->estimate);
    }
  if (rf->n_simulations < 2 || isnan (rf->estimate))
    return keep (d, g_strdup_printf (_("The %s estimator failed on the modified data, so this "
                                       "check could not be made."),
                                     method_short (a->refute_method)));
  /* TRANSLATORS (the six sentences below): the mean re-estimate, the
   * original estimate and "p = 0.12" or "p < 0.001" */
  if (g_strcmp0 (rf->name, "placebo_treatment") == 0)
    return keep (d, g_strdup_printf (rf->passed
      ? _("With the treatment shuffled at random the estimated effect averages %s (it should be "
          "near 0); the real estimate %s lies far outside that spread (%s), so it is not an "
          "artefact of the method.")
      : _("With the treatment shuffled at random the estimated effect averages %s; the real "
          "estimate %s is within that spread (%s), so the data cannot tell it apart from no "
          "effect."), sig (d, rf->estimate), orig, p));
  if (g_strcmp0 (rf->name, "random_common_cause") == 0)
    return keep (d, g_strdup_printf (rf->passed
      ? _("Adding a covariate of pure noise leaves the estimate at %s on average (original %s, "
          "%s): it is stable, as it should be.")
      : _("Adding a covariate of pure noise moves the estimate to %s on average (original %s, "
          "%s): the estimator is unstable here."), sig (d, rf->estimate), orig, p));
  return keep (d, g_strdup_printf (rf->passed
    ? _("On random 80 %% subsets of the rows the estimate averages %s (original %s, %s): it "
        "does not hinge on a few rows.")
    : _("On random 80 %% subsets of the rows the estimate averages %s (original %s, %s): it "
        "depends on which rows are included."), sig (d, rf->estimate), orig, p));
}

/* Balance, overlap, refutations and the E-value (issue 7), each with its
 * plain-words sentence. */
static void
causal_diagnostics (GbPdf *d, const GbAuditResults *r)
{
  const GbCausalAnalysis *a = r->causal;
  GbCol rcols[] = {
    { _("Refutation"), 0.3, PANGO_ALIGN_LEFT, FALSE },
    { _("Mean re-estimate"), 0.2, PANGO_ALIGN_RIGHT, FALSE },
    { _("SD"), 0.15, PANGO_ALIGN_RIGHT, FALSE },
    { "p", 0.15, PANGO_ALIGN_RIGHT, FALSE },
    { _("Result"), 0.2, PANGO_ALIGN_LEFT, FALSE },
  };
  LoveChart lc = { a, NULL, NULL, NULL, NULL, 0 };
  double mb = 0, ma = 0, mm = 0, extreme = 0;
  const char *worst = NULL;

  if (a == NULL)
    return;
  heading (d, _("Balance"), 2);
  lc.n = a->balance ? a->balance->len : 0;
  if (lc.n > 0)
    {
      gboolean matched = a->balance_matching && a->balance_matching->len == lc.n;
      lc.labels = g_new0 (const char *, lc.n);
      lc.before = g_new (double, lc.n);
      lc.after = g_new (double, lc.n);
      lc.after2 = matched ? g_new (double, lc.n) : NULL;
      for (guint i = 0; i < lc.n; i++)
        {
          const GbBalanceRow *b = &g_array_index (a->balance, GbBalanceRow, i);
          lc.labels[i] = b->covariate;
          lc.before[i] = b->smd_before;
          lc.after[i] = b->smd_after;
          if (fabs (b->smd_before) > mb)
            {
              mb = fabs (b->smd_before);
              worst = b->covariate;
            }
          ma = MAX (ma, fabs (b->smd_after));
          if (matched)
            {
              lc.after2[i] = g_array_index (a->balance_matching, GbBalanceRow, i).smd_after;
              mm = MAX (mm, fabs (lc.after2[i]));
            }
        }
      chart (d, CLAMP (70.0 + 16.0 * lc.n, 160, 420), love_chart, &lc);
      /* TRANSLATORS: covariate, its SMD before, the largest SMD after IPW, the
       * clause on matching or "", the effective sample sizes */
      paragraphf (d, _("Before adjustment the covariates differ most in “%s” (standardized mean "
                       "difference %s); after inverse-propensity weighting the largest difference is %s%s. "
                       "Differences below 0.1 are usually taken as balanced (Austin 2009). The weights "
                       "leave an effective sample size of %s treated and %s control rows."),
                  orna (worst), sig (d, mb), sig (d, ma),
                  lc.after2 ? keep (d, g_strdup_printf (_(" and after propensity matching %s"),
                                                        sig (d, mm))) : "",
                  num (d, a->ess_treated, 0), num (d, a->ess_control, 0));
      g_free (lc.labels);
      g_free (lc.before);
      g_free (lc.after);
      g_free (lc.after2);
    }

  heading (d, _("Overlap"), 2);
  chart (d, 200, overlap_chart, (gpointer) a);
  for (gsize i = 0; i < a->n_all; i++)
    extreme += a->propensity[i] < 0.05 || a->propensity[i] > 0.95;
  paragraphf (d, _("%s of the rows have a propensity score below 0.05 or above 0.95: for them the "
                   "other group offers almost no comparable rows, and their weights dominate IPW. %s"),
              keep (d, g_strdup_printf ("%s %%", num (d, 100.0 * extreme / MAX (a->n_all, 1), 1))),
              a->trim_alpha > 0
                ? keep (d, g_strdup_printf (_("Trimming to [%s, %s] (Crump et al. 2009) dropped %s "
                                              "rows before estimation."), exact (d, a->trim_alpha),
                                            exact (d, 1.0 - a->trim_alpha),
                                            count (d, a->n_trimmed)))
                : _("No rows were trimmed (--trim=ALPHA drops rows outside [α, 1 − α])."));

  if (a->refutations && a->refutations->len > 0)
    {
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      heading (d, _("Refutations"), 2);
      paragraphf (d, _("Each check re-runs the %s estimator on altered data, as DoWhy's refuters do."),
                  method_short (a->refute_method));
      for (guint i = 0; i < a->refutations->len; i++)
        {
          const GbRefutation *rf = &g_array_index (a->refutations, GbRefutation, i);
          cell (cells, g_str_equal (rf->name, "placebo_treatment") ? _("Placebo treatment")
                       : g_str_equal (rf->name, "random_common_cause") ? _("Random common cause")
                       : /* xgettext:no-c-format */ _("Random 80 % subsets"));
          cell (cells, sig (d, rf->estimate));
          cell (cells, sig (d, rf->std_dev));
          cell (cells, pval (d, rf->p_value));
          cell (cells, rf->passed ? _("passed") : _("questions the estimate"));
        }
      table (d, rcols, G_N_ELEMENTS (rcols), cells, BODY_SIZE * 0.95);
      for (guint i = 0; i < a->refutations->len; i++)
        paragraph (d, refutation_sentence (d, a, &g_array_index (a->refutations, GbRefutation, i)));
    }
  if (isfinite (a->e_value.e_value))
    /* TRANSLATORS: E-value, E-value of the CI limit, E-value again, the
     * estimator, how the E-value was computed (English, from the engine) */
    paragraphf (d, _("E-value %s (for the interval limit nearer no effect: %s): an unmeasured "
                     "confounder would need a risk ratio of at least %s with both the treatment and the "
                     "outcome to explain the %s estimate away; %s."),
                num (d, a->e_value.e_value, 2), num (d, a->e_value.e_value_ci, 2),
                num (d, a->e_value.e_value, 2), method_short (a->refute_method),
                orna (a->e_value.method));
}

/* do(A = a) on the model (issue 7). */
static void
model_interventions_block (GbPdf *d, const GbAuditResults *r)
{
  GbCol cols[] = {
    { _("Attribute"), 0.2, PANGO_ALIGN_LEFT, FALSE },
    { _("Set to"), 0.22, PANGO_ALIGN_LEFT, FALSE },
    { _("Mean change in P(positive)"), 0.22, PANGO_ALIGN_RIGHT, FALSE },
    { /* xgettext:no-c-format */ _("95 % CI"), 0.2, PANGO_ALIGN_RIGHT, FALSE },
    { _("Flip rate"), 0.16, PANGO_ALIGN_RIGHT, FALSE },
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  const GbModelIntervention *big = NULL;

  if (r->model_interventions == NULL || r->model_interventions->len == 0)
    return;
  heading (d, _("Interventions on the model"), 2);
  for (guint i = 0; i < r->model_interventions->len; i++)
    {
      const GbModelIntervention *mi = &g_array_index (r->model_interventions,
                                                      GbModelIntervention, i);
      cell (cells, mi->attribute);
      cell (cells, mi->value);
      cell (cells, sig (d, mi->mean_change));
      cellf (cells, "%s – %s", sig (d, mi->ci_low), sig (d, mi->ci_high));
      cellf (cells, "%s %%", num (d, 100.0 * mi->flip_rate, 1));
      /* text:LIST entries are term substitutions; their sentence is in the fairness section */
      if (!g_str_has_prefix (mi->attribute, "text:")
          && (big == NULL || fabs (mi->mean_change) > fabs (big->mean_change)))
        big = mi;
    }
  table (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.95);
  if (big == NULL)
    {
      paragraph (d, _("The text:LIST rows replace identity terms in the text (see the "
                      "counterfactual substitution in the fairness section); their intervals "
                      "are paired t intervals."));
      return;
    }
  paragraphf (d, _("Setting “%s” to “%s” for every held-out row, with everything else unchanged, "
                   "moves the model's predicted probability of the positive class by %s on average "
                   "(95 %% CI %s to %s) and flips the predicted class of %s of the rows. This is what "
                   "the model does with the attribute, not the attribute's effect in the world."),
              big->attribute, big->value, sig (d, big->mean_change), sig (d, big->ci_low),
              sig (d, big->ci_high),
              keep (d, g_strdup_printf ("%s %%", num (d, 100.0 * big->flip_rate, 1))));
}

static void
section_causal (GbPdf *d, const GbAuditSettings *s, const GbAuditResults *r)
{
  GbCol cols[] = {
    { _("Method"), 0.26, PANGO_ALIGN_LEFT, FALSE },
    { _("Estimand"), 0.12, PANGO_ALIGN_LEFT, FALSE },
    { _("Estimate"), 0.12, PANGO_ALIGN_RIGHT, FALSE },
    { _("SE"), 0.1, PANGO_ALIGN_RIGHT, FALSE },
    { /* xgettext:no-c-format */ _("95 % CI"), 0.18, PANGO_ALIGN_RIGHT, FALSE },
    { "p", 0.1, PANGO_ALIGN_RIGHT, FALSE },
    { "n", 0.12, PANGO_ALIGN_RIGHT, FALSE },
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) se_notes = g_string_new (_("Standard errors: "));
  ForestChart c = { r, NULL, NULL, NULL, NULL };
  const GbEstimate *best;
  guint n;

  section_page (d);
  heading (d, _("5 Causal effects"), 1);
  if (!r->has_causal || r->estimates == NULL || r->estimates->len == 0)
    {
      paragraph (d, _("The causal analysis was not run: no treatment and outcome were given."));
      model_interventions_block (d, r);
      return;
    }
  n = r->estimates->len;
  paragraphf (d, _("Effect of the treatment “%s” on the outcome “%s”, estimated on all rows "
                   "(%s treated, %s control), adjusting for: %s. The propensity score is fitted by "
                   "logistic regression on these covariates."),
              orna (r->treatment_description), orna (r->outcome_description),
              count (d, r->n_treated), count (d, r->n_control), joinv (d, r->covariate_names));
  c.labels = g_new0 (const char *, n);
  c.est = g_new (double, n);
  c.lo = g_new (double, n);
  c.hi = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      const GbEstimate *e = &g_array_index (r->estimates, GbEstimate, i);
      cell (cells, method_short (e->method));
      cell (cells, orna (e->estimand));
      cell (cells, sig (d, e->estimate));
      cell (cells, sig (d, e->std_error));
      cellf (cells, "%s – %s", sig (d, e->ci_low), sig (d, e->ci_high));
      cell (cells, pval (d, e->p_value));
      cell (cells, count (d, e->n_used));
      c.labels[i] = keep (d, g_strdup_printf ("%s (%s)", orna (e->method), orna (e->estimand)));
      c.est[i] = e->estimate;
      c.lo[i] = e->ci_low;
      c.hi[i] = e->ci_high;
      g_string_append_printf (se_notes, "%s%s — %s", i ? "; " : "", orna (e->method),
                              orna (e->se_method));
    }
  table (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.95);
  g_string_append (se_notes, _("."));
  caption (d, se_notes->str);
  chart (d, CLAMP (80.0 + 28.0 * n, 160, 360), forest_chart, &c);
  best = preferred_estimate (r);
  if (best)
    paragraph (d, keep (d, effect_sentence (d, r, best)));
  for (guint i = 0; i < n; i++)
    {
      const GbEstimate *e = &g_array_index (r->estimates, GbEstimate, i);
      if (e != best && e->method && g_str_equal (e->method, "naive") && best &&
          !isnan (e->estimate))
        paragraphf (d, _("The naive difference in means is %s; the gap to the adjusted estimate "
                         "(%s) is the confounding the covariates account for."),
                    sig (d, e->estimate), sig (d, e->estimate - best->estimate));
    }
  causal_diagnostics (d, r);
  model_interventions_block (d, r);
  paragraph (d, _("These estimates are causal only if the covariates contain every common cause "
                  "of treatment and outcome (no unmeasured confounding) and every row could have "
                  "been treated or not (overlap)."));
  g_free (c.labels);
  g_free (c.est);
  g_free (c.lo);
  g_free (c.hi);
}

static void
section_provenance (GbPdf *d, const GbAuditSettings *s, const GbAuditResults *r)
{
  GbCol cols[] = {
    { _("Setting"), 0.22, PANGO_ALIGN_LEFT, FALSE },
    { _("Value"), 0.78, PANGO_ALIGN_LEFT, FALSE },
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) libs = g_string_new (NULL);
  double elapsed = r->elapsed_seconds;

  section_page (d);
  heading (d, _("6 Provenance"), 1);
  paragraph (d, _("Everything needed to check and reproduce this audit."));
  cell (cells, _("Dataset"));
  cell (cells, orna (r->dataset_path ? r->dataset_path : s->csv_path));
  cell (cells, "SHA-256");
  cell (cells, orna (r->dataset_sha256));
  cell (cells, _("Model SHA-256"));
  if (r->model_sha256)
    cellf (cells, _("%s (the %s float32 parameters as model.safetensors stores them)%s%s"),
           r->model_sha256, count (d, r->n_parameters), s->model_dir ? "; " : "",
           s->model_dir ? s->model_dir : "");
  else
    cell (cells, _("no model"));
  cell (cells, _("Seed"));
  cellf (cells, _("%s (the split, the model's initialisation and batches, the bootstrap and "
                  "every sampling step)"), count (d, s->seed));
  cell (cells, _("Target"));
  if (s->positive)
    cellf (cells, _("%s, positive value %s"), orna (s->target), s->positive);
  else
    cell (cells, orna (s->target));
  cell (cells, _("Features"));
  if (s->features)
    cell (cells, joinv (d, s->features));
  else if (r->feature_names)
    cellf (cells, _("%s (default: every column but the target and outcome, except text, "
                    "constant and identifier-like columns)"), joinv (d, r->feature_names));
  else
    cell (cells, "—");
  cell (cells, _("Protected attributes"));
  cell (cells, joinv (d, s->protected_attributes));
  cell (cells, _("Treatment / outcome"));
  cellf (cells, "%s / %s", orna (s->treatment), orna (s->outcome));
  cell (cells, _("Covariates"));
  cell (cells, joinv (d, s->covariates));
  cell (cells, _("Held-out share"));
  cell (cells, exact (d, s->test_fraction));
  cell (cells, _("Integrated gradients"));
  cellf (cells, _("%u rows, %u Gauss–Legendre nodes to start"), s->explain_rows, s->ig_steps);
  cell (cells, _("Model"));
  cellf (cells, _("%u layers, d_model %u, %u heads, d_ff %u"), s->model.n_layers,
         s->model.d_model, s->model.n_heads, s->model.d_ff);
  cell (cells, _("Training"));
  /* TRANSLATORS: epochs, batch size, learning rate, weight decay, warm-up
   * share, and the BLAS thread phrase */
  cellf (cells, _("epochs %u, batch %u, learning rate %s, weight decay %s, warm-up %s, %s"),
         s->train.epochs, s->train.batch_size, exact (d, s->train.learning_rate),
         exact (d, s->train.weight_decay), exact (d, s->train.warmup_fraction),
         s->train.n_threads > 0
           ? keep (d, g_strdup_printf (_("%u BLAS threads"), s->train.n_threads))
           : _("BLAS threads: all cores"));
  cell (cells, _("Created"));
  cell (cells, orna (r->created));
  cell (cells, _("Glassbox version"));
  cell (cells, orna (r->glassbox_version ? r->glassbox_version : gb_version_string ()));
  cell (cells, _("Elapsed time"));
  if (elapsed >= 60)
    cellf (cells, _("%s s (%d min %s s)"), num (d, elapsed, 1), (int) (elapsed / 60),
           num (d, fmod (elapsed, 60), 0));
  else
    cellf (cells, "%s s", num (d, elapsed, 1));
  for (guint i = 0; r->library_versions && r->library_versions[i]; i++)
    g_string_append_printf (libs, "%s%s", i ? "; " : "", r->library_versions[i]);
  cell (cells, _("Libraries"));
  cell (cells, libs->len ? libs->str : "—");
  table (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.95);

  if (r->notes && r->notes->len > 0)
    {
      heading (d, _("Notes"), 2);
      for (guint i = 0; i < r->notes->len; i++)
        bullet (d, g_ptr_array_index (r->notes, i));
    }

  heading (d, _("Reproduce"), 2);
  if (s->command_line && *s->command_line)
    {
      paragraph (d, _("Run this command to repeat the audit with the same data, settings and "
                      "seed:"));
      command_block (d, s->command_line, 8.5, 10);
    }
  else
    paragraph (d, _("No command line was recorded for this audit."));
}

/* ------------------------------------------------- contents, model card */

/* The contents: every level-1 and level-2 heading of the previous pass with
 * its page, each a link to it.  The first pass draws the title only. */
static void
contents_page (GbPdf *d)
{
  section_page (d);
  paragraph_full (d, _("Contents"), 17.0, TRUE, FALSE, 0, 0.0, 0.2, 0.4);
  space (d, 8);
  for (guint i = 0; d->toc_prev && i < d->toc_prev->len; i++)
    {
      const GbTocEntry *e = &g_array_index (d->toc_prev, GbTocEntry, i);
      const double indent = e->level == 1 ? 0 : 18, size = e->level == 1 ? 11.0 : BODY_SIZE;
      g_autofree char *n = g_strdup_printf ("%d", e->page);
      g_autofree char *link = g_strdup_printf ("page=%d pos=[%d %d]", e->page, (int) MARGIN_X,
                                               (int) MARGIN_TOP - 10);
      PangoLayout *t = layout_new (d, e->text, size, e->level == 1, FALSE, CONTENT_W - indent - 50);
      PangoLayout *p = layout_new (d, n, size, e->level == 1, FALSE, 40);
      int w, h;

      pango_layout_set_ellipsize (t, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (p, PANGO_ALIGN_RIGHT);
      pango_layout_get_size (t, &w, &h);
      if (e->level == 1 && i > 0)
        space (d, 5);
      need (d, (double) h / PANGO_SCALE + 3);
      cairo_set_source_rgb (d->cr, 0.1, 0.1, 0.1);
      cairo_tag_begin (d->cr, CAIRO_TAG_LINK, link);
      cairo_move_to (d->cr, MARGIN_X + indent, d->y);
      pango_cairo_show_layout (d->cr, t);
      cairo_move_to (d->cr, MARGIN_X + CONTENT_W - 40, d->y);
      pango_cairo_show_layout (d->cr, p);
      cairo_tag_end (d->cr, CAIRO_TAG_LINK);
      /* a dotted leader from the text to the number */
      cairo_save (d->cr);
      cairo_set_source_rgb (d->cr, 0.6, 0.6, 0.6);
      cairo_set_line_width (d->cr, 0.6);
      cairo_set_dash (d->cr, (double[]) { 0.6, 2.4 }, 2, 0);
      cairo_move_to (d->cr, MARGIN_X + indent + (double) w / PANGO_SCALE + 4,
                     d->y + (double) h / PANGO_SCALE - 3);
      cairo_line_to (d->cr, MARGIN_X + CONTENT_W - 30, d->y + (double) h / PANGO_SCALE - 3);
      cairo_stroke (d->cr);
      cairo_restore (d->cr);
      d->y += (double) h / PANGO_SCALE + 3;
      d->page_dirty = TRUE;
      g_object_unref (t);
      g_object_unref (p);
    }
}

/* A free-text part of the model card: the analyst's words, or a grey
 * "not stated" that asks for them. */
static void
card_text (GbPdf *d, const char *text)
{
  const char *p = text;

  while (p && *p && g_ascii_isspace (*p))
    p++;
  if (p && *p)
    paragraph (d, text);
  else
    paragraph_full (d, _("Not stated by the analyst (--model-card=FILE.json or the Report pane)."),
                    BODY_SIZE, FALSE, FALSE, 0, 0.45, 0.45, 0.45);
}

/* Model card after Mitchell et al. (2019), "Model Cards for Model
 * Reporting": the free-text parts from the settings, the rest from the
 * results.  Front matter: it summarises the numbered sections. */
static void
section_model_card (GbPdf *d, const GbAuditSettings *s, const GbAuditResults *r)
{
  const char *data = orna (r->dataset_path ? r->dataset_path : s->csv_path);

  section_page (d);
  heading (d, _("Model card"), 1);
  paragraph_full (d, _("After Mitchell et al. (2019), “Model Cards for Model Reporting”. Free text "
                       "is the analyst's; the rest is filled from this audit's results."),
                  SMALL_SIZE, FALSE, FALSE, 0, 0.35, 0.35, 0.35);

  heading (d, _("Model details"), 3);
  if (r->has_model)
    {
      paragraphf (d, _("A transformer classifier over tabular features (after the FT-Transformer "
                       "of Gorishniy et al. 2021): %u layers, d_model %u, %u heads, %s "
                       "parameters, predicting “%s”. %s"),
                  s->model.n_layers, s->model.d_model, s->model.n_heads,
                  count (d, r->n_parameters),
                  orna (r->target_description ? r->target_description : s->target),
                  s->model_dir ? keep (d, g_strdup_printf (_("Loaded from “%s”."), s->model_dir))
                               : keep (d, g_strdup_printf (_("Trained by Glassbox %s with AdamW "
                                                             "(Loshchilov & Hutter 2019), seed %s."),
                                                           orna (r->glassbox_version),
                                                           count (d, s->seed))));
      if (r->model_sha256)
        paragraphf (d, _("SHA-256 of the parameters: %s"), r->model_sha256);
    }
  else
    paragraphf (d, _("No model was trained or loaded; the audit examines the predictions in %s."),
                orna (r->prediction_description));
  if (s->model_card_details && *s->model_card_details)
    paragraph (d, s->model_card_details);

  heading (d, _("Intended use"), 3);
  card_text (d, s->model_card_intended_use);

  heading (d, _("Factors"), 3);
  if (s->protected_attributes && s->protected_attributes[0])
    paragraphf (d, _("Groups evaluated: %s (section 4)."), joinv (d, s->protected_attributes));
  else
    paragraph (d, _("No protected attribute was given, so no groups were evaluated."));
  if (s->model_card_factors && *s->model_card_factors)
    paragraph (d, s->model_card_factors);

  heading (d, _("Metrics"), 3);
  paragraph (d, _("ROC-AUC and accuracy on the held-out split against a logistic-regression "
                  "baseline (section 2); per group, selection rate, true and false positive rates "
                  "and positive predictive value with Wilson 95 % intervals, and the gaps between "
                  "groups with bootstrap 95 % intervals (section 4)."));

  heading (d, _("Evaluation data"), 3);
  if (r->has_model)
    paragraphf (d, _("%s held-out rows of “%s” (a stratified split of %s %%, seed %s)."),
                count (d, r->n_test), data, num (d, 100.0 * s->test_fraction, 0),
                count (d, s->seed));
  else
    paragraphf (d, _("%s rows of “%s”."), count (d, r->n_fairness_rows ? r->n_fairness_rows : r->n_rows),
                data);

  heading (d, _("Training data"), 3);
  if (r->has_model && s->model_dir == NULL)
    paragraphf (d, _("%s rows of “%s” (SHA-256 %s), the rest of the split."),
                count (d, r->n_train), data, orna (r->dataset_sha256));
  else
    paragraph (d, _("The model was not trained in this audit; its training data are not known to "
                    "Glassbox."));

  heading (d, _("Quantitative analyses"), 3);
  if (r->has_model)
    paragraphf (d, _("Held-out ROC-AUC %s (baseline %s), accuracy %s (baseline %s)."),
                num (d, r->roc_auc, 3), num (d, r->baseline_roc_auc, 3), num (d, r->accuracy, 3),
                num (d, r->baseline_accuracy, 3));
  for (guint i = 0; r->fairness && i < r->fairness->len; i++)
    bullet (d, keep (d, fairness_sentence (d, g_ptr_array_index (r->fairness, i))));

  heading (d, _("Ethical considerations"), 3);
  card_text (d, s->model_card_ethical_considerations);

  heading (d, _("Caveats and recommendations"), 3);
  card_text (d, s->model_card_caveats);
}

/* ------------------------------------------------------ methods appendix */

static void
method_row (GPtrArray *cells, const char *method, const char *params, const char *source)
{
  cell (cells, method);
  cell (cells, params);
  cell (cells, source);
}

/* Every method that ran, its parameters and its source paper. */
static void
appendix_methods (GbPdf *d, const GbAuditSettings *s, const GbAuditResults *r)
{
  GbCol cols[] = {
    { _("Method"), 0.27, PANGO_ALIGN_LEFT, FALSE },
    { _("Parameters"), 0.43, PANGO_ALIGN_LEFT, FALSE },
    { _("Source"), 0.30, PANGO_ALIGN_LEFT, FALSE },
  };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  guint done = 0;   /* bit per causal method already listed */

  if (r->has_model && s->model_dir == NULL)
    {
      method_row (cells, _("Transformer classifier"),
                  keep (d, g_strdup_printf (_("%u layers, d_model %u, %u heads, d_ff %u"),
                                            s->model.n_layers, s->model.d_model,
                                            s->model.n_heads, s->model.d_ff)),
                  "Gorishniy et al. 2021 (FT-Transformer); Vaswani et al. 2017");
      method_row (cells, "AdamW",
                  keep (d, g_strdup_printf (_("epochs run %u, batch %u, learning rate %s, weight "
                                              "decay %s, warm-up %s, seed %s"), r->epochs_run,
                                            s->train.batch_size, exact (d, s->train.learning_rate),
                                            exact (d, s->train.weight_decay),
                                            exact (d, s->train.warmup_fraction), count (d, s->seed))),
                  "Loshchilov & Hutter 2019");
    }
  if (r->has_model)
    method_row (cells, _("Logistic-regression baseline"), _("same features and split"),
                "Cox 1958");
  if (r->integrated_gradients && r->integrated_gradients->n_rows > 0)
    method_row (cells, _("Integrated gradients"),
                keep (d, g_strdup_printf (r->integrated_gradients->rule == GB_IG_RULE_TRAPEZOID
                                            ? _("%s rows, %u trapezoid steps to start, baseline %s, "
                                                "tolerance %s %%")
                                            : _("%s rows, %u Gauss–Legendre nodes to start, "
                                                "baseline %s, tolerance %s %%"),
                                          count (d, r->integrated_gradients->n_rows),
                                          r->integrated_gradients->steps,
                                          orna (r->integrated_gradients->baseline),
                                          sig (d, 100.0 * r->integrated_gradients->tolerance))),
                "Sundararajan, Taly & Yan 2017");
  for (guint k = 0; r->explanations && k < r->explanations->len; k++)
    {
      const GbExplanation *e = g_ptr_array_index (r->explanations, k);
      if (g_strcmp0 (e->method, "kernel_shap") == 0)
        method_row (cells, "KernelSHAP",
                    keep (d, g_strdup_printf (_("%s rows, %u paired coalition samples per row "
                                                "(exact when few features), background: %s"),
                                              count (d, e->n_rows), s->shap_samples,
                                              orna (r->explain_background))),
                    "Lundberg & Lee 2017");
      else if (g_strcmp0 (e->method, "lime") == 0)
        method_row (cells, "LIME", keep (d, g_strdup_printf (_("%s rows"), count (d, e->n_rows))),
                    "Ribeiro, Singh & Guestrin 2016");
      else if (g_strcmp0 (e->method, "gradient_input") == 0)
        method_row (cells, _("Gradient × input"), keep (d, g_strdup_printf (_("%s rows"), count (d, e->n_rows))),
                    "Shrikumar et al. 2016");
      else if (g_strcmp0 (e->method, "occlusion") == 0)
        method_row (cells, _("Occlusion"), keep (d, g_strdup_printf (_("%s rows"), count (d, e->n_rows))),
                    "Zeiler & Fergus 2014");
      else if (g_strcmp0 (e->method, "attention_rollout") == 0)
        method_row (cells, _("Attention rollout"), keep (d, g_strdup_printf (_("%s rows"), count (d, e->n_rows))),
                    "Abnar & Zuidema 2020");
    }
  if (r->explanations && r->explanations->len > 0)
    method_row (cells, _("Deletion / insertion AOPC"), _("background replacement, most important first"),
                "Samek et al. 2017");
  if (r->fairness && r->fairness->len > 0)
    {
      const GbFairnessResult *f0 = g_ptr_array_index (r->fairness, 0);
      method_row (cells, _("Wilson score interval"),
                  /* xgettext:no-c-format */ _("95 % intervals of the group rates"), "Wilson 1927");
      if (f0->bootstrap > 0)
        method_row (cells, _("Stratified bootstrap"),
                    keep (d, g_strdup_printf (_("%u replicates, seed %s"), f0->bootstrap,
                                              count (d, f0->seed))),
                    "Efron & Tibshirani 1993");
      method_row (cells, _("Two-proportion z, Fisher's exact and chi-square tests"),
                  _("no gap between groups"), "Fisher 1922; Pearson 1900");
      method_row (cells, _("Benjamini–Hochberg adjustment"), _("false discovery rate over the section's tests"),
                  "Benjamini & Hochberg 1995");
      method_row (cells, _("Theil index"), _("benefits ŷ − y + 1"), "Speicher et al. 2018");
    }
  for (guint k = 0; r->fairness_mitigation && k < r->fairness_mitigation->len; k++)
    {
      const GbFairnessMitigation *m = g_ptr_array_index (r->fairness_mitigation, k);
      if (g_str_has_prefix (m->method, "reweigh"))
        method_row (cells, _("Reweighing"), orna (m->attribute), "Kamiran & Calders 2012");
      else if (g_str_has_prefix (m->method, "threshold"))
        method_row (cells, mitigation_label (m->method) != m->method
                             ? mitigation_label (m->method)
                             : keep (d, g_strdup_printf (_("Group thresholds (%s)"), m->method)),
                    orna (m->attribute), "Hardt, Price & Srebro 2016");
    }
  if (r->has_causal && r->estimates)
    {
      method_row (cells, _("Propensity score"), _("logistic regression on the covariates"),
                  "Rosenbaum & Rubin 1983");
      for (guint i = 0; i < r->estimates->len; i++)
        {
          const GbEstimate *e = &g_array_index (r->estimates, GbEstimate, i);
          static const char *const src[][2] = {
            { "naive", "—" },
            { "stratification", "Rosenbaum & Rubin 1984" },
            { "regression_adjustment", "Imbens & Wooldridge 2009" },
            { "regression", "Imbens & Wooldridge 2009" },
            { "ipw", "Horvitz & Thompson 1952; Lunceford & Davidian 2004" },
            { "ipw_hajek", "Hájek 1971; Lunceford & Davidian 2004" },
            { "psm", "Austin 2011; Abadie & Imbens 2006" },
            { "mahalanobis_matching", "Abadie & Imbens 2006" },
            { "aipw", "Robins, Rotnitzky & Zhao 1994; Lunceford & Davidian 2004" },
          };
          for (guint j = 0; j < G_N_ELEMENTS (src); j++)
            if (g_strcmp0 (e->method, src[j][0]) == 0 && !(done & (1u << j)))
              {
                done |= 1u << j;
                method_row (cells, method_short (e->method),
                            keep (d, g_strdup_printf (_("%s, SE: %s"), orna (e->estimand),
                                                      orna (e->se_method))),
                            src[j][1]);
              }
        }
      if (s->trim_alpha > 0)
        method_row (cells, _("Propensity trimming"),
                    keep (d, g_strdup_printf ("α = %s", exact (d, s->trim_alpha))),
                    "Crump et al. 2009");
      if (r->causal && r->causal->balance && r->causal->balance->len > 0)
        method_row (cells, _("Standardized mean differences"), _("balance threshold 0.1"), "Austin 2009");
      if (r->causal && r->causal->refutations && r->causal->refutations->len > 0)
        method_row (cells, _("Refutations"), _("placebo treatment, random common cause, subsets"),
                    "Sharma & Kiciman 2020 (DoWhy)");
      if (r->causal && isfinite (r->causal->e_value.e_value))
        method_row (cells, _("E-value"), orna (r->causal->e_value.method),
                    "VanderWeele & Ding 2017");
    }
  if (r->model_interventions && r->model_interventions->len > 0)
    method_row (cells, _("Interventions on the model"), _("do(A = a) on every held-out row"),
                "Pearl 2009");

  section_page (d);
  heading (d, _("Appendix A Methods"), 1);
  paragraph (d, _("Every method that ran in this audit, with its parameters and the paper it "
                  "follows."));
  if (cells->len > 0)
    table (d, cols, G_N_ELEMENTS (cols), cells, BODY_SIZE * 0.9);
}

/* ---------------------------------------------------------------- exports */

/* A file name from the last heading: "03-4-1-sex.csv". */
static char *
export_name (GbPdf *d, guint index, const char *ext)
{
  g_autoptr(GString) slug = g_string_new (NULL);
  const char *h = d->last_heading ? d->last_heading : "title page";

  for (const char *p = h; *p && slug->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  return g_strdup_printf ("%02u-%s.%s", index, slug->len ? slug->str : "table", ext);
}

static void
csv_field (GString *out, const char *text)
{
  g_autoptr(GString) v = g_string_new (text ? text : "");

  /* numbers as numbers: no narrow no-break thousands separators */
  g_string_replace (v, "\u202F", "", 0);
  g_string_replace (v, "\u00A0", " ", 0);
  if (strpbrk (v->str, ",\"\n\r") != NULL)
    {
      g_string_replace (v, "\"", "\"\"", 0);
      g_string_append_c (out, '"');
      g_string_append (out, v->str);
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, v->str);
}

/* The table as drawn, one CSV file (written atomically). */
static void
export_table (GbPdf *d, const GbCol *cols, guint n_cols, GPtrArray *cells)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *name = NULL, *path = NULL;

  if (d->tables_dir == NULL || d->export_error != NULL)
    return;
  for (guint c = 0; c < n_cols; c++)
    {
      if (c)
        g_string_append_c (out, ',');
      csv_field (out, cols[c].title);
    }
  g_string_append (out, "\r\n");
  for (guint i = 0; i < cells->len; i++)
    {
      csv_field (out, g_ptr_array_index (cells, i));
      g_string_append (out, (i + 1) % n_cols == 0 ? "\r\n" : ",");
    }
  name = export_name (d, ++d->n_tables, "csv");
  path = g_build_filename (d->tables_dir, name, NULL);
  g_file_set_contents (path, out->str, out->len, &d->export_error);
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The chart with the same painter, as PNG (2× the PDF's size) or SVG. */
static void
export_chart (GbPdf *d, double height, void (*func) (cairo_t *, double, double, gpointer),
              gpointer data)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree char *name = NULL, *path = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (d->charts_dir == NULL || d->export_error != NULL)
    return;
  if (d->charts_svg)
    surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, CONTENT_W, height);
  else
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (CONTENT_W * 2),
                                            (int) ceil (height * 2));
      cairo_surface_set_device_scale (surface, 2, 2);
    }
  cr = cairo_create (surface);
  if (!d->charts_svg)
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
    }
  func (cr, CONTENT_W, height, data);
  cairo_destroy (cr);
  if (d->charts_svg)
    cairo_surface_finish (surface);
  else
    cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  name = export_name (d, ++d->n_charts, d->charts_svg ? "svg" : "png");
  path = g_build_filename (d->charts_dir, name, NULL);
  if (status != CAIRO_STATUS_SUCCESS)
    g_set_error (&d->export_error, GB_REPORT_ERROR, GB_ERROR_IO, _("Cannot draw the chart “%s”: %s"),
                 path, cairo_status_to_string (status));
  else
    g_file_set_contents (path, (const char *) bytes->data, bytes->len, &d->export_error);
}

/* ----------------------------------------------------------- file output */

typedef struct {
  int fd;
  int saved_errno;
} WriteCtx;

static cairo_status_t
write_func (void *closure, const unsigned char *data, unsigned int length)
{
  WriteCtx *w = closure;

  if (w->fd < 0)
    return CAIRO_STATUS_SUCCESS;    /* a layout pass: the bytes go nowhere */
  while (length > 0)
    {
      ssize_t n = write (w->fd, data, length);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          w->saved_errno = errno;
          return CAIRO_STATUS_WRITE_ERROR;
        }
      data += n;
      length -= n;
    }
  return CAIRO_STATUS_SUCCESS;
}

static char *
pdf_date (const char *created)
{
  g_autoptr(GDateTime) now = NULL;

  if (created && strlen (created) >= 19)
    return g_strdup (created);
  now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

const char *
gb_report_paper_for_locale (void)
{
  const char *vars[] = { "LC_ALL", "LC_PAPER", "LANG" };

#ifdef _NL_PAPER_WIDTH
  const char *cur = setlocale (LC_PAPER, NULL);
  /* glibc: the paper size of LC_PAPER in millimetres (Letter 216 × 279) */
  if (cur && !g_str_equal (cur, "C") && !g_str_equal (cur, "POSIX"))
    {
      int w = (int) (intptr_t) nl_langinfo (_NL_PAPER_WIDTH);
      int h = (int) (intptr_t) nl_langinfo (_NL_PAPER_HEIGHT);
      if (w == 216 && h == 279)
        return "letter";
      if (w > 0 && h > 0)
        return "a4";
    }
#endif
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const char *v = g_getenv (vars[i]);
      if (v == NULL || *v == '\0')
        continue;
      /* the United States, Canada and the few others on Letter */
      if (strstr (v, "_US") || strstr (v, "_CA") || strstr (v, "_PH") || strstr (v, "_MX") ||
          strstr (v, "_CL") || strstr (v, "_CO") || strstr (v, "_VE") || strstr (v, "_PR"))
        return "letter";
      return "a4";
    }
  return "a4";
}

static void
toc_entry_clear (gpointer p)
{
  g_free (((GbTocEntry *) p)->text);
}

/* Whether two passes put the same headings on the same pages. */
static gboolean
toc_same (GArray *a, GArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const GbTocEntry *x = &g_array_index (a, GbTocEntry, i);
      const GbTocEntry *y = &g_array_index (b, GbTocEntry, i);
      if (x->page != y->page || g_strcmp0 (x->text, y->text) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
render_document (GbPdf *d, const GbAuditSettings *s, const GbAuditResults *r)
{
  /* a cancelled preview skips the remaining sections (the pass is discarded) */
#define ON(section) (gb_report_section_included (d->omit, GB_REPORT_SECTION_##section) \
                     && !g_cancellable_is_cancelled (d->cancellable))
  d->omit = s->omit_sections;
  d->section_no = d->section_fixed = 0;
  title_page (d, s, r);           /* always: it names the report, its data and its auditor */
  contents_page (d);
  if (ON (MODEL_CARD))
    section_model_card (d, s, r);
  if (ON (DATA))
    section_data (d, s, r);
  if (ON (PERFORMANCE))
    section_model (d, s, r);
  if (ON (EXPLANATIONS))
    section_explanations (d, s, r);
  if (ON (FAIRNESS))
    section_fairness (d, s, r);
  if (ON (CAUSAL))
    section_causal (d, s, r);
  if (!g_cancellable_is_cancelled (d->cancellable))
    section_provenance (d, s, r);   /* always: without it the report cannot be checked */
  if (ON (METHODS))
    appendix_methods (d, s, r);
#undef ON
  draw_footer (d);
  page_end (d);
}

/* One pass over the whole document into @w (fd −1: nowhere); records the
 * headings' pages in d->toc and the page count in d->page. */
static cairo_status_t
render_pass (GbPdf *d, WriteCtx *w, const GbAuditSettings *s, const GbAuditResults *r)
{
  g_autofree char *subject = NULL, *creator = NULL, *date = NULL, *author = NULL;
  cairo_status_t status;

  if (d->pages != NULL)
    preview_page_begin (d);
  else
    {
      d->surface = cairo_pdf_surface_create_for_stream (write_func, w, PAGE_W, PAGE_H);
      d->cr = cairo_create (d->surface);
    }
  d->pool = g_ptr_array_new_with_free_func (g_free);
  d->toc = g_array_new (FALSE, TRUE, sizeof (GbTocEntry));
  g_array_set_clear_func (d->toc, toc_entry_clear);
  d->page = 1;
  d->y = MARGIN_TOP;
  d->page_dirty = FALSE;
  d->outline_parent = CAIRO_PDF_OUTLINE_ROOT;

  subject = g_strdup_printf (_("Audit of a classifier on %s"),
                             r->dataset_path ? r->dataset_path
                             : s->csv_path ? s->csv_path : _("a dataset"));
  creator = g_strdup_printf ("Glassbox %s", gb_version_string ());
  date = pdf_date (r->created);
  if (s->auditor && *s->auditor && s->organisation && *s->organisation)
    author = g_strdup_printf ("%s (%s)", s->auditor, s->organisation);
  else
    author = g_strdup (s->auditor && *s->auditor ? s->auditor
                       : s->organisation && *s->organisation ? s->organisation : "Glassbox");
  if (d->pages == NULL)
    {
      cairo_pdf_surface_set_metadata (d->surface, CAIRO_PDF_METADATA_TITLE, _("Glassbox audit report"));
      cairo_pdf_surface_set_metadata (d->surface, CAIRO_PDF_METADATA_AUTHOR, author);
      cairo_pdf_surface_set_metadata (d->surface, CAIRO_PDF_METADATA_SUBJECT, subject);
      cairo_pdf_surface_set_metadata (d->surface, CAIRO_PDF_METADATA_CREATOR, creator);
      cairo_pdf_surface_set_metadata (d->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
    }

  render_document (d, s, r);

  status = cairo_status (d->cr);
  for (guint i = 0; d->pages != NULL && i < d->pages->len && status == CAIRO_STATUS_SUCCESS; i++)
    status = cairo_surface_status (g_ptr_array_index (d->pages, i));
  cairo_destroy (d->cr);
  if (d->pages == NULL)   /* the preview's pages stay open for replay */
    cairo_surface_finish (d->surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (d->surface);
  cairo_surface_destroy (d->surface);
  d->surface = NULL;
  d->cr = NULL;
  g_clear_pointer (&d->pool, g_ptr_array_unref);
  return status;
}

/* Sets the page size and running head of @d from the settings. */
static void
pdf_init (GbPdf *d, const GbAuditSettings *s, const GbAuditResults *r)
{
  const char *paper = s->paper && *s->paper && g_ascii_strcasecmp (s->paper, "auto") != 0
    ? s->paper : gb_report_paper_for_locale ();
  const char *data = r->dataset_path ? r->dataset_path : s->csv_path;
  g_autofree char *base = data ? g_path_get_basename (data) : g_strdup (_("a dataset"));

  if (g_ascii_strcasecmp (paper, "letter") == 0)
    {
      d->page_w = 612.0;
      d->page_h = 792.0;
    }
  else
    {
      d->page_w = 595.0;
      d->page_h = 842.0;
    }
  d->running_head = g_strdup_printf (_("%s — Glassbox audit"), base);
}

static void
pdf_clear (GbPdf *d)
{
  g_clear_pointer (&d->toc, g_array_unref);
  g_clear_pointer (&d->toc_prev, g_array_unref);
  g_clear_pointer (&d->running_head, g_free);
  g_clear_pointer (&d->last_heading, g_free);
  g_clear_error (&d->export_error);
}

gboolean
gb_report_write_pdf (const GbAuditSettings *settings, const GbAuditResults *results,
                     const char *path, GError **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *display = NULL;
  WriteCtx w = { -1, 0 }, nowhere = { -1, 0 };
  GbPdf d = { 0 };
  cairo_status_t status = CAIRO_STATUS_SUCCESS;

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (results != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_IO,
                   _("Cannot write the report “%s”: it is a folder"), display);
      return FALSE;
    }
  tmp = g_strconcat (path, ".XXXXXX", NULL);
  w.fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0644);
  if (w.fd < 0)
    {
      int e = errno;
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_IO, _("Cannot write the report “%s”: %s"),
                   display, g_strerror (e));
      return FALSE;
    }

  /* Two passes or more: the first finds the page of every heading and the
   * page count, the next draws the contents and "page N of M" with them
   * into the file; it repeats (rewriting the file) until a pass finds the
   * headings where the contents it drew put them. */
  pdf_init (&d, settings, results);
  for (int pass = 0; pass < 5; pass++)
    {
      gboolean stable;

      if (pass > 0 && (lseek (w.fd, 0, SEEK_SET) != 0 || ftruncate (w.fd, 0) != 0))
        {
          w.saved_errno = errno;
          status = CAIRO_STATUS_WRITE_ERROR;
          break;
        }
      status = render_pass (&d, pass == 0 ? &nowhere : &w, settings, results);
      stable = pass > 0 && toc_same (d.toc, d.toc_prev) && d.page == d.n_pages_prev;
      g_clear_pointer (&d.toc_prev, g_array_unref);
      d.toc_prev = g_steal_pointer (&d.toc);
      d.n_pages_prev = d.page;
      if (status != CAIRO_STATUS_SUCCESS || (pass > 0 && (stable || pass == 4)))
        break;
    }
  pdf_clear (&d);

  if (status == CAIRO_STATUS_SUCCESS && fsync (w.fd) != 0 && errno != EINVAL)
    {
      w.saved_errno = errno;
      status = CAIRO_STATUS_WRITE_ERROR;
    }
  if (close (w.fd) != 0 && status == CAIRO_STATUS_SUCCESS)
    {
      w.saved_errno = errno;
      status = CAIRO_STATUS_WRITE_ERROR;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_IO, _("Cannot write the report “%s”: %s"),
                   display, w.saved_errno ? g_strerror (w.saved_errno)
                                          : cairo_status_to_string (status));
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int e = errno;
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_IO, _("Cannot write the report “%s”: %s"),
                   display, g_strerror (e));
      g_unlink (tmp);
      return FALSE;
    }
  return TRUE;
}

gboolean
gb_report_export (const GbAuditSettings *settings, const GbAuditResults *results,
                  const char *tables_dir, const char *charts_dir, const char *chart_format,
                  GError **error)
{
  WriteCtx nowhere = { -1, 0 };
  GbPdf d = { 0 };
  const char *dirs[] = { tables_dir, charts_dir };
  cairo_status_t status;

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (results != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (chart_format && g_ascii_strcasecmp (chart_format, "png") != 0 &&
      g_ascii_strcasecmp (chart_format, "svg") != 0)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_INVALID_ARGUMENT,
                   _("Unknown chart format “%s”: use png or svg"), chart_format);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (dirs[i] && g_mkdir_with_parents (dirs[i], 0755) != 0)
      {
        int e = errno;
        g_autofree char *display = g_filename_display_name (dirs[i]);
        g_set_error (error, GB_REPORT_ERROR, GB_ERROR_IO, _("Cannot create the folder “%s”: %s"),
                     display, g_strerror (e));
        return FALSE;
      }
  pdf_init (&d, settings, results);
  d.tables_dir = tables_dir;
  d.charts_dir = charts_dir;
  d.charts_svg = chart_format && g_ascii_strcasecmp (chart_format, "svg") == 0;
  status = render_pass (&d, &nowhere, settings, results);
  if (d.export_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&d.export_error));
      pdf_clear (&d);
      return FALSE;
    }
  pdf_clear (&d);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_IO, _("Cannot lay out the report: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
gb_report_render_pages (const GbAuditSettings *settings, const GbAuditResults *results,
                        double *page_width, double *page_height, GCancellable *cancellable,
                        GError **error)
{
  static cairo_font_options_t *pdf_options;   /* the PDF surface's, computed once */
  GbPdf d = { 0 };
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  GPtrArray *pages = NULL;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (results != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_once_init_enter (&pdf_options))
    {
      WriteCtx nowhere = { -1, 0 };
      cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream (write_func, &nowhere, 595, 842);
      cairo_font_options_t *o = cairo_font_options_create ();
      cairo_surface_get_font_options (pdf, o);
      cairo_surface_destroy (pdf);
      g_once_init_leave (&pdf_options, o);
    }
  pdf_init (&d, settings, results);
  d.font_options = pdf_options;
  d.cancellable = cancellable;
  /* the passes of gb_report_write_pdf(), into recording surfaces */
  for (int pass = 0; pass < 5; pass++)
    {
      gboolean stable;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_clear_pointer (&pages, g_ptr_array_unref);
          pdf_clear (&d);
          return NULL;
        }
      g_clear_pointer (&pages, g_ptr_array_unref);
      d.pages = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
      status = render_pass (&d, NULL, settings, results);
      pages = g_steal_pointer (&d.pages);
      stable = pass > 0 && toc_same (d.toc, d.toc_prev) && d.page == d.n_pages_prev;
      g_clear_pointer (&d.toc_prev, g_array_unref);
      d.toc_prev = g_steal_pointer (&d.toc);
      d.n_pages_prev = d.page;
      if (status != CAIRO_STATUS_SUCCESS || (pass > 0 && (stable || pass == 4)))
        break;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_clear_pointer (&pages, g_ptr_array_unref);
      pdf_clear (&d);
      return NULL;
    }
  if (page_width)
    *page_width = d.page_w;
  if (page_height)
    *page_height = d.page_h;
  pdf_clear (&d);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_IO, _("Cannot lay out the report: %s"),
                   cairo_status_to_string (status));
      g_clear_pointer (&pages, g_ptr_array_unref);
      return NULL;
    }
  return pages;
}

gboolean
gb_report_load_model_card (GbAuditSettings *settings, const char *path, GError **error)
{
  static const struct { const char *key; gsize offset; } fields[] = {
    { "model_details", G_STRUCT_OFFSET (GbAuditSettings, model_card_details) },
    { "intended_use", G_STRUCT_OFFSET (GbAuditSettings, model_card_intended_use) },
    { "factors", G_STRUCT_OFFSET (GbAuditSettings, model_card_factors) },
    { "ethical_considerations", G_STRUCT_OFFSET (GbAuditSettings, model_card_ethical_considerations) },
    { "caveats_and_recommendations", G_STRUCT_OFFSET (GbAuditSettings, model_card_caveats) },
    { "caveats", G_STRUCT_OFFSET (GbAuditSettings, model_card_caveats) },
    { "auditor", G_STRUCT_OFFSET (GbAuditSettings, auditor) },
    { "organisation", G_STRUCT_OFFSET (GbAuditSettings, organisation) },
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *display = NULL;
  g_autoptr(GError) local = NULL;
  JsonObject *obj;
  JsonNode *root;

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  display = g_filename_display_name (path);
  if (!json_parser_load_from_file (parser, path, &local))
    {
      g_set_error (error, GB_REPORT_ERROR,
                   local->domain == JSON_PARSER_ERROR ? GB_ERROR_PARSE : GB_ERROR_IO,
                   _("Cannot read the model card “%s”: %s"), display, local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, GB_REPORT_ERROR, GB_ERROR_PARSE,
                   _("The model card “%s” is not a JSON object"), display);
      return FALSE;
    }
  obj = json_node_get_object (root);
  /* a misspelt key ("intended_uses") would leave its section silently empty;
   * keys starting with "$" or "_" ($schema, _comment) are the writer's own */
  {
    g_autoptr(GList) members = json_object_get_members (obj);
    for (GList *m = members; m; m = m->next)
      {
        const char *key = m->data;
        gboolean known = key[0] == '$' || key[0] == '_';
        for (guint i = 0; i < G_N_ELEMENTS (fields) && !known; i++)
          known = strcmp (key, fields[i].key) == 0;
        if (!known)
          {
            g_set_error (error, GB_REPORT_ERROR, GB_ERROR_PARSE,
                         _("The model card “%s”: unknown key “%s” (known: %s)"), display, key,
                         "model_details, intended_use, factors, ethical_considerations, "
                         "caveats_and_recommendations, caveats, auditor, organisation");
            return FALSE;
          }
      }
  }
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      JsonNode *n = json_object_get_member (obj, fields[i].key);
      char **slot = G_STRUCT_MEMBER_P (settings, fields[i].offset);
      if (n == NULL)
        continue;
      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
        {
          g_set_error (error, GB_REPORT_ERROR, GB_ERROR_PARSE,
                       _("The model card “%s”: “%s” must be a string"), display, fields[i].key);
          return FALSE;
        }
      g_free (*slot);
      *slot = g_strdup (json_node_get_string (n));
    }
  return TRUE;
}
