/* csv-load.c — loads a generated 1,000,000-row, 20-column mixed-type CSV
 * with Glassbox and with pandas read_csv (Debian's python3-pandas) in the
 * same run and prints the time ratio and both peak memories.
 *
 *   bench/csv-load [--rows N] [--keep FILE] [--python PATH]
 *
 * The file is generated with a fixed seed (GRand, seed 20240229) into a
 * temporary folder: integers, decimals, categories of several sizes, a
 * yes/no column, ISO dates, a high-cardinality code column and about 2%
 * missing cells.  Each loader runs in its own child process, so each peak
 * resident set size (ru_maxrss from wait4) is that loader's alone; the time
 * is measured inside the child around the load call only (not process
 * start-up or `import pandas`).  Nothing here is run by the test suite. */
#include "gb-config.h"
#include "gb-dataset.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *workclass[] = { "Private", "Self-emp-not-inc", "Self-emp-inc", "Federal-gov",
                                   "Local-gov", "State-gov", "Without-pay", "Never-worked" };
static const char *education[] = { "Bachelors", "Some-college", "11th", "HS-grad", "Prof-school",
                                   "Assoc-acdm", "Assoc-voc", "9th", "7th-8th", "12th", "Masters",
                                   "1st-4th", "10th", "Doctorate", "5th-6th", "Preschool" };
static const char *colours[] = { "red", "green", "blue", "black", "white" };

static void
append_number (GString *s, const char *fmt, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, fmt, v));
}

static gboolean
missing (GRand *r)
{
  return g_rand_int_range (r, 0, 50) == 0;   /* 2% */
}

static char *
generate (const char *path, guint rows, GError **error)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (20240229);
  FILE *f = fopen (path, "w");
  GString *line = g_string_sized_new (512);

  if (f == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write %s", path);
      return NULL;
    }
  fputs ("id,age,income,score,height,weight,ratio,children,hours,workclass,education,"
         "state,colour,smoker,joined,last_seen,code,balance,rating,region\n", f);
  for (guint i = 0; i < rows; i++)
    {
      g_string_truncate (line, 0);
      g_string_append_printf (line, "%u,", i + 1);
      if (!missing (r)) g_string_append_printf (line, "%d", g_rand_int_range (r, 17, 91));
      g_string_append_c (line, ',');
      if (!missing (r)) append_number (line, "%.2f", g_rand_double_range (r, 0, 250000));
      g_string_append_c (line, ',');
      append_number (line, "%.6g", g_rand_double_range (r, -4, 4));
      g_string_append_c (line, ',');
      append_number (line, "%.1f", g_rand_double_range (r, 140, 210));
      g_string_append_c (line, ',');
      if (!missing (r)) append_number (line, "%.1f", g_rand_double_range (r, 40, 140));
      g_string_append_c (line, ',');
      append_number (line, "%.4f", g_rand_double (r));
      g_string_append_printf (line, ",%d,%d,", g_rand_int_range (r, 0, 6), g_rand_int_range (r, 1, 80));
      g_string_append (line, workclass[g_rand_int_range (r, 0, G_N_ELEMENTS (workclass))]);
      g_string_append_c (line, ',');
      if (!missing (r)) g_string_append (line, education[g_rand_int_range (r, 0, G_N_ELEMENTS (education))]);
      g_string_append_printf (line, ",S%02d,", g_rand_int_range (r, 0, 50));
      g_string_append (line, colours[g_rand_int_range (r, 0, G_N_ELEMENTS (colours))]);
      g_string_append (line, g_rand_boolean (r) ? ",yes," : ",no,");
      g_string_append_printf (line, "%04d-%02d-%02d,", g_rand_int_range (r, 1990, 2024),
                              g_rand_int_range (r, 1, 13), g_rand_int_range (r, 1, 29));
      if (!missing (r))
        g_string_append_printf (line, "2024-%02d-%02d", g_rand_int_range (r, 1, 13), g_rand_int_range (r, 1, 29));
      g_string_append_printf (line, ",C%06x,", g_rand_int_range (r, 0, 1 << 20));
      append_number (line, "%.2f", g_rand_double_range (r, -5000, 5000));
      g_string_append_printf (line, ",%d,", g_rand_int_range (r, 1, 6));
      g_string_append (line, g_rand_boolean (r) ? "north" : "south");
      g_string_append_c (line, '\n');
      fwrite (line->str, 1, line->len, f);
    }
  g_string_free (line, TRUE);
  if (fclose (f) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write %s", path);
      return NULL;
    }
  return g_strdup (path);
}

/* A number for printing; rotates through 8 buffers so that several can
 * appear in one call. */
static const char *
num (const char *fmt, double v)
{
  static char bufs[8][G_ASCII_DTOSTR_BUF_SIZE];
  static guint next;
  char *b = bufs[next++ % 8];
  return g_ascii_formatd (b, G_ASCII_DTOSTR_BUF_SIZE, fmt, v);
}

/* Child: load with Glassbox, print "seconds rows columns". */
static int
child_glassbox (const char *path)
{
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GbDataset) ds = gb_dataset_new_from_file (path, NULL, NULL, NULL, &error);
  gint64 t1 = g_get_monotonic_time ();
  if (ds == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("%s %" G_GSIZE_FORMAT " %u %" G_GSIZE_FORMAT "\n",
          num ("%.6f", (t1 - t0) / 1e6),
          gb_dataset_get_n_rows (ds), gb_dataset_get_n_columns (ds), gb_dataset_get_memory_size (ds));
  return 0;
}

static const char pandas_script[] =
  "import sys, time, resource\n"
  "import pandas\n"
  "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
  "t0 = time.perf_counter()\n"
  "df = pandas.read_csv(sys.argv[1])\n"
  "t1 = time.perf_counter()\n"
  "print('%.6f %d %d %d %d' % (t1 - t0, df.shape[0], df.shape[1], "
  "df.memory_usage(deep=True).sum(), base))\n";

typedef struct { double seconds; gsize rows; guint cols; gsize bytes; long baseline_kb; long maxrss_kb; } Run;

static gboolean
run_child (char **argv, Run *out)
{
  int pipefd[2];
  pid_t pid;
  int status = 0;
  struct rusage ru;
  char buf[512] = { 0 };
  gssize got, total = 0;
  char **parts;

  if (pipe (pipefd) != 0)
    return FALSE;
  pid = fork ();
  if (pid == 0)
    {
      dup2 (pipefd[1], 1);
      close (pipefd[0]);
      execv (argv[0], argv);
      _exit (127);
    }
  close (pipefd[1]);
  while ((got = read (pipefd[0], buf + total, sizeof buf - 1 - total)) > 0)
    total += got;
  close (pipefd[0]);
  if (wait4 (pid, &status, 0, &ru) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return FALSE;
  parts = g_strsplit (g_strstrip (buf), " ", -1);
  if (g_strv_length (parts) < 4)
    {
      g_strfreev (parts);
      return FALSE;
    }
  out->seconds = g_ascii_strtod (parts[0], NULL);
  out->rows = g_ascii_strtoull (parts[1], NULL, 10);
  out->cols = (guint) g_ascii_strtoull (parts[2], NULL, 10);
  out->bytes = g_ascii_strtoull (parts[3], NULL, 10);
  out->baseline_kb = parts[4] ? (long) g_ascii_strtoll (parts[4], NULL, 10) : 0;
  out->maxrss_kb = ru.ru_maxrss;
  g_strfreev (parts);
  return TRUE;
}

int
main (int argc, char **argv)
{
  guint rows = 1000000;
  const char *keep = NULL;
  const char *python = "/usr/bin/python3";
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *self = NULL;
  g_autoptr(GError) error = NULL;
  Run gb = { 0 }, pd = { 0 };
  goffset size;

  setlocale (LC_ALL, "");
  if (argc == 3 && strcmp (argv[1], "--child") == 0)
    return child_glassbox (argv[2]);
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--rows") == 0 && i + 1 < argc)
        rows = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--keep") == 0 && i + 1 < argc)
        keep = argv[++i];
      else if (strcmp (argv[i], "--python") == 0 && i + 1 < argc)
        python = argv[++i];
      else
        {
          g_printerr ("usage: %s [--rows N] [--keep FILE] [--python PATH]\n", argv[0]);
          return 2;
        }
    }

  if (keep != NULL)
    path = g_strdup (keep);
  else
    {
      dir = g_dir_make_tmp ("glassbox-bench-XXXXXX", &error);
      if (dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      path = g_build_filename (dir, "mixed.csv", NULL);
    }
  g_print ("generating %u rows × 20 columns (seed 20240229) in %s …\n", rows, path);
  if (!generate (path, rows, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  {
    GStatBuf st;
    size = g_stat (path, &st) == 0 ? st.st_size : 0;
  }

  self = g_file_read_link ("/proc/self/exe", NULL);
  {
    char *gb_argv[] = { self ? self : argv[0], "--child", path, NULL };
    char *pd_argv[] = { (char *) python, "-c", (char *) pandas_script, path, NULL };

    if (!run_child (gb_argv, &gb))
      {
        g_printerr ("the Glassbox load failed\n");
        return 1;
      }
    if (!run_child (pd_argv, &pd))
      {
        g_printerr ("the pandas load failed (is python3-pandas installed for %s?)\n", python);
        return 1;
      }
  }

  g_print ("file:      %s MB (%" G_GSIZE_FORMAT " rows × %u columns)\n",
           num ("%.1f", size / 1e6), gb.rows, gb.cols);
  g_print ("glassbox:  %s s, peak RSS %s MB (%s× the file), dataset %s MB\n",
           num ("%.3f", gb.seconds), num ("%.1f", gb.maxrss_kb / 1024.0),
           num ("%.2f", gb.maxrss_kb * 1024.0 / size), num ("%.1f", gb.bytes / 1e6));
  g_print ("pandas:    %s s, peak RSS %s MB (%s MB of it before read_csv), DataFrame %s MB (deep)\n",
           num ("%.3f", pd.seconds), num ("%.1f", pd.maxrss_kb / 1024.0),
           num ("%.1f", pd.baseline_kb / 1024.0), num ("%.1f", pd.bytes / 1e6));
  g_print ("ratio:     time glassbox/pandas = %s (glassbox %s× as fast); peak RSS glassbox/pandas = %s\n",
           num ("%.3f", gb.seconds / pd.seconds), num ("%.2f", pd.seconds / gb.seconds),
           num ("%.3f", (double) gb.maxrss_kb / pd.maxrss_kb));
  if (gb.rows != pd.rows || gb.cols != pd.cols)
    g_print ("warning: shapes differ (glassbox %" G_GSIZE_FORMAT "×%u, pandas %" G_GSIZE_FORMAT "×%u)\n",
             gb.rows, gb.cols, pd.rows, pd.cols);
  if (keep == NULL)
    {
      g_unlink (path);
      g_rmdir (dir);
    }
  return 0;
}
