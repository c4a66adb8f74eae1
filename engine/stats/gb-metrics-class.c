/* gb-metrics-class.c — binary and multi-class classification metrics
 * (gb-metrics-class.h).  Formulas follow scikit-learn 1.2's
 * sklearn/metrics/_classification.py and sklearn/calibration.py, and Guo et
 * al. 2017 for the expected calibration error. */
#include "gb-metrics-class.h"
#include "gb-metrics.h"

#include <float.h>
#include <math.h>

/* The class index of @v, or -1 when it is not a valid label. */
static gint
label_of (double v, guint n_classes)
{
  if (!isfinite (v) || v < 0 || v >= n_classes || v != floor (v))
    return -1;
  return (gint) v;
}

static gboolean
row_ok (const double *p, guint n_classes)
{
  for (guint k = 0; k < n_classes; k++)
    if (isnan (p[k]))
      return FALSE;
  return TRUE;
}

static guint
row_argmax (const double *p, guint n_classes)
{
  guint best = 0;
  for (guint k = 1; k < n_classes; k++)
    if (p[k] > p[best])
      best = k;
  return best;
}

void
gb_metrics_argmax (const double *proba, gsize n, guint n_classes, double *out)
{
  g_return_if_fail (n_classes >= 2);
  for (gsize i = 0; i < n; i++)
    {
      const double *p = proba + i * n_classes;
      out[i] = row_ok (p, n_classes) ? (double) row_argmax (p, n_classes) : NAN;
    }
}

/* ------------------------------------------------------------ class report */

GbClassReport *
gb_class_report_new (const double *y, const double *y_pred, gsize n, guint n_classes)
{
  GbClassReport *r = g_new0 (GbClassReport, 1);
  guint K = n_classes;
  guint64 correct = 0, *pred_count;
  guint n_true = 0, n_any = 0;
  double sum_recall = 0, sp = 0, sr = 0, sf = 0;

  g_return_val_if_fail (n_classes >= 2, r);
  r->n_classes = K;
  r->confusion = g_new0 (guint64, (gsize) K * K);
  r->support = g_new0 (guint64, K);
  r->precision = g_new0 (double, K);
  r->recall = g_new0 (double, K);
  r->f1 = g_new0 (double, K);
  pred_count = g_new0 (guint64, K);

  for (gsize i = 0; i < n; i++)
    {
      gint t = label_of (y[i], K), p = label_of (y_pred[i], K);
      if (t < 0 || p < 0)
        continue;
      r->confusion[(gsize) t * K + p]++;
      r->support[t]++;
      pred_count[p]++;
      correct += t == p;
      r->n++;
    }

  for (guint k = 0; k < K; k++)
    {
      guint64 tp = r->confusion[(gsize) k * K + k];
      double P = pred_count[k] ? (double) tp / (double) pred_count[k] : 0.0;
      double R = r->support[k] ? (double) tp / (double) r->support[k] : 0.0;
      double denom = P + R;

      r->precision[k] = P;
      r->recall[k] = R;
      /* sklearn: (1 + β²) P R / (β² P + R), denominator 0 → 1 */
      r->f1[k] = 2.0 * P * R / (denom == 0.0 ? 1.0 : denom);
      if (r->support[k])
        {
          sum_recall += R;
          n_true++;
        }
      if (r->support[k] || pred_count[k])
        {
          sp += P;
          sr += R;
          sf += r->f1[k];
          n_any++;
        }
    }
  g_free (pred_count);

  if (r->n == 0)
    {
      r->accuracy = r->balanced_accuracy = NAN;
      r->precision_macro = r->recall_macro = r->f1_macro = NAN;
      return r;
    }
  r->accuracy = (double) correct / (double) r->n;
  r->balanced_accuracy = sum_recall / n_true;
  r->precision_macro = sp / n_any;
  r->recall_macro = sr / n_any;
  r->f1_macro = sf / n_any;
  return r;
}

void
gb_class_report_free (GbClassReport *report)
{
  if (!report)
    return;
  g_free (report->confusion);
  g_free (report->support);
  g_free (report->precision);
  g_free (report->recall);
  g_free (report->f1);
  g_free (report);
}

/* ------------------------------------------------------------ probabilities */

double
gb_roc_auc_ovr (const double *y, const double *proba, gsize n, guint n_classes)
{
  g_autofree double *score = NULL, *bin = NULL;
  gsize m = 0;
  double sum = 0;
  guint used = 0;

  g_return_val_if_fail (n_classes >= 2, NAN);
  score = g_new (double, MAX (n, 1));
  bin = g_new (double, MAX (n, 1));
  for (guint k = (n_classes == 2 ? 1 : 0); k < n_classes; k++)
    {
      double auc;

      m = 0;
      for (gsize i = 0; i < n; i++)
        {
          const double *p = proba + i * n_classes;
          gint t = label_of (y[i], n_classes);
          if (t < 0 || !row_ok (p, n_classes))
            continue;
          score[m] = p[k];
          bin[m] = t == (gint) k ? 1.0 : 0.0;
          m++;
        }
      auc = gb_roc_auc (score, bin, m);
      if (n_classes == 2)
        return auc;
      if (!isnan (auc))
        {
          sum += auc;
          used++;
        }
    }
  return used ? sum / used : NAN;
}

double
gb_log_loss (const double *y, const double *proba, gsize n, guint n_classes)
{
  const double eps = DBL_EPSILON;
  double total = 0;
  gsize m = 0;

  g_return_val_if_fail (n_classes >= 2, NAN);
  for (gsize i = 0; i < n; i++)
    {
      const double *p = proba + i * n_classes;
      gint t = label_of (y[i], n_classes);
      double sum = 0, pt = 0;

      if (t < 0 || !row_ok (p, n_classes))
        continue;
      for (guint k = 0; k < n_classes; k++)
        {
          double c = CLAMP (p[k], eps, 1.0 - eps);
          sum += c;
          if ((gint) k == t)
            pt = c;
        }
      total += -log (pt / sum);
      m++;
    }
  return m ? total / m : NAN;
}

double
gb_brier_score (const double *y, const double *proba, gsize n, guint n_classes)
{
  double total = 0;
  gsize m = 0;

  g_return_val_if_fail (n_classes >= 2, NAN);
  for (gsize i = 0; i < n; i++)
    {
      const double *p = proba + i * n_classes;
      gint t = label_of (y[i], n_classes);

      if (t < 0 || !row_ok (p, n_classes))
        continue;
      if (n_classes == 2)
        {
          double d = p[1] - (t == 1 ? 1.0 : 0.0);
          total += d * d;
        }
      else
        for (guint k = 0; k < n_classes; k++)
          {
            double d = p[k] - ((gint) k == t ? 1.0 : 0.0);
            total += d * d;
          }
      m++;
    }
  return m ? total / m : NAN;
}

/* ------------------------------------------------------------- calibration */

static GbReliability *
reliability_new (guint n_bins)
{
  GbReliability *r = g_new0 (GbReliability, 1);
  double step;

  if (n_bins == 0)
    n_bins = 15;
  r->n_bins = n_bins;
  r->edges = g_new (double, n_bins + 1);
  r->count = g_new0 (guint64, n_bins);
  r->confidence = g_new0 (double, n_bins);   /* sums until finished */
  r->frequency = g_new0 (double, n_bins);
  /* numpy.linspace(0, 1, M + 1): i * step, the last edge exactly 1 */
  step = 1.0 / n_bins;
  for (guint i = 0; i <= n_bins; i++)
    r->edges[i] = i * step;
  r->edges[n_bins] = 1.0;
  return r;
}

/* The bin of @v: the number of inner edges strictly below it
 * (numpy.searchsorted(edges[1:-1], v), side "left"). */
static guint
reliability_bin (const GbReliability *r, double v)
{
  guint lo = 0, hi = r->n_bins - 1;   /* answer in [0, M-1] */

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;   /* inner edge mid+1 */
      if (r->edges[mid + 1] < v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
reliability_add (GbReliability *r, double confidence, double outcome)
{
  guint b = reliability_bin (r, confidence);
  r->count[b]++;
  r->confidence[b] += confidence;
  r->frequency[b] += outcome;
  r->n++;
}

static void
reliability_finish (GbReliability *r)
{
  double ece = 0, mce = 0;

  for (guint b = 0; b < r->n_bins; b++)
    {
      if (r->count[b] == 0)
        {
          r->confidence[b] = r->frequency[b] = NAN;
          continue;
        }
      r->confidence[b] /= (double) r->count[b];
      r->frequency[b] /= (double) r->count[b];
      {
        double gap = fabs (r->frequency[b] - r->confidence[b]);
        ece += (double) r->count[b] / (double) r->n * gap;
        mce = MAX (mce, gap);
      }
    }
  r->ece = r->n ? ece : NAN;
  r->mce = r->n ? mce : NAN;
}

GbReliability *
gb_reliability_top_label (const double *y, const double *proba, gsize n, guint n_classes,
                          guint n_bins)
{
  GbReliability *r = reliability_new (n_bins);

  g_return_val_if_fail (n_classes >= 2, r);
  for (gsize i = 0; i < n; i++)
    {
      const double *p = proba + i * n_classes;
      gint t = label_of (y[i], n_classes);
      guint k;

      if (t < 0 || !row_ok (p, n_classes))
        continue;
      k = row_argmax (p, n_classes);
      reliability_add (r, p[k], (gint) k == t ? 1.0 : 0.0);
    }
  reliability_finish (r);
  return r;
}

GbReliability *
gb_reliability_binary (const double *y, const double *p1, gsize n, guint n_bins)
{
  GbReliability *r = reliability_new (n_bins);

  for (gsize i = 0; i < n; i++)
    {
      gint t = label_of (y[i], 2);
      if (t < 0 || isnan (p1[i]))
        continue;
      reliability_add (r, p1[i], t);
    }
  reliability_finish (r);
  return r;
}

void
gb_reliability_free (GbReliability *reliability)
{
  if (!reliability)
    return;
  g_free (reliability->edges);
  g_free (reliability->count);
  g_free (reliability->confidence);
  g_free (reliability->frequency);
  g_free (reliability);
}

double
gb_expected_calibration_error (const double *y, const double *proba, gsize n,
                               guint n_classes, guint n_bins)
{
  g_autoptr (GbReliability) r = gb_reliability_top_label (y, proba, n, n_classes, n_bins);
  return r->ece;
}
