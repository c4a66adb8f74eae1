/* gb-attention.c — attention rollout (Abnar & Zuidema 2020). */
#include "gb-attention.h"

#include <math.h>
#include <string.h>

void
gb_attention_rollout (const float *attn, guint L, guint H, guint T, double residual,
                      double *out)
{
  const gsize TT = (gsize) T * T;
  g_autofree double *a = g_new (double, TT);
  g_autofree double *tmp = g_new (double, TT);

  /* R starts as the identity */
  memset (out, 0, TT * sizeof (double));
  for (guint i = 0; i < T; i++)
    out[(gsize) i * T + i] = 1.0;
  for (guint l = 0; l < L; l++)
    {
      for (guint i = 0; i < T; i++)
        {
          double sum = 0;
          for (guint j = 0; j < T; j++)
            {
              double m = 0;
              for (guint h = 0; h < H; h++)
                m += attn[((gsize) l * H + h) * TT + (gsize) i * T + j];
              m = (1.0 - residual) * m / H + (i == j ? residual : 0.0);
              a[(gsize) i * T + j] = m;
              sum += m;
            }
          for (guint j = 0; j < T; j++)
            a[(gsize) i * T + j] = sum > 0 ? a[(gsize) i * T + j] / sum : 0.0;
        }
      /* R ← Ã_l R */
      for (guint i = 0; i < T; i++)
        for (guint j = 0; j < T; j++)
          {
            double s = 0;
            for (guint k = 0; k < T; k++)
              s += a[(gsize) i * T + k] * out[(gsize) k * T + j];
            tmp[(gsize) i * T + j] = s;
          }
      memcpy (out, tmp, TT * sizeof (double));
    }
}

GbExplanation *
gb_attention_rollout_explain (const GbExplainTarget *target, const float *attn, guint L,
                              guint H, const gsize *row_ids, const double *prediction,
                              gsize n_rows, const char *const *unit_names)
{
  const guint T = target->T, M = target->n_units, U0 = target->first_unit;
  const gsize per_row = (gsize) L * H * T * T;
  g_autofree double *R = g_new (double, (gsize) T * T);
  GbExplanation *e = gb_explanation_new ("attention_rollout", M, unit_names, n_rows);

  for (gsize r = 0; r < n_rows; r++)
    {
      GbAttributionRow *row = &e->rows[r];
      gb_attention_rollout (attn + r * per_row, L, H, T, 0.5, R);
      row->row = row_ids ? row_ids[r] : r;
      row->prediction = prediction ? prediction[r] : NAN;
      row->steps = L;
      for (guint j = 0; j < M; j++)
        row->values[j] = R[U0 + j];
    }
  gb_explanation_update_global (e);
  g_free (e->description);
  e->description = g_strdup_printf ("Attention rollout (Abnar & Zuidema 2020) over %u layers "
                                    "of %u heads, residual weight 0.5; a token's share of the "
                                    "[CLS] token's final representation.", L, H);
  return e;
}
