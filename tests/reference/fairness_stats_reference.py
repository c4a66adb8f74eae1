#!/usr/bin/python3
"""Reference values for the in-depth fairness audit (tests/test-fairness.c).

Independent implementations from Debian's scipy / statsmodels / sklearn:
  per-group rates          sklearn.metrics.confusion_matrix
  Wilson intervals         statsmodels.stats.proportion.proportion_confint(method="wilson")
  two-proportion z test    statsmodels.stats.proportion.proportions_ztest (pooled)
  Fisher's exact test      scipy.stats.fisher_exact (two-sided)
  test choice              Fisher when an expected count (scipy.stats.contingency.expected_freq) < 5
  chi-square homogeneity   scipy.stats.chi2_contingency(correction=False)
  Benjamini-Hochberg       statsmodels.stats.multitest.multipletests(method="fdr_bh")
  Theil / GE(2)            AIF360's generalized_entropy_index formula in numpy
  proxy AUC                sklearn.metrics.roc_auc_score, folded max(AUC, 1 - AUC)

Writes tests/data/fairness/fairness-stats.json.  Run from the repository root:
  /usr/bin/python3 tests/reference/fairness_stats_reference.py
"""
import json
import os
import sys

import numpy as np
import scipy
import scipy.stats as st
import sklearn
import statsmodels
from scipy.stats.contingency import expected_freq
from sklearn.metrics import confusion_matrix, roc_auc_score
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "data", "fairness", "fairness-stats.json")
RATES = ["base_rate", "selection_rate", "tpr", "fpr", "tnr", "fnr", "ppv", "npv", "fdr", "for",
         "accuracy"]


def rate_counts(tp, fp, tn, fn):
    n = tp + fp + tn + fn
    return {"base_rate": (tp + fn, n), "selection_rate": (tp + fp, n), "tpr": (tp, tp + fn),
            "fpr": (fp, fp + tn), "tnr": (tn, fp + tn), "fnr": (fn, tp + fn),
            "ppv": (tp, tp + fp), "npv": (tn, tn + fn), "fdr": (fp, tp + fp),
            "for": (fn, tn + fn), "accuracy": (tp + tn, n)}


def prop_test(x1, n1, x2, n2):
    """(p, test) with the rule: Fisher when an expected count is below 5."""
    if n1 == 0 or n2 == 0:
        return None, "none"
    table = np.array([[x1, n1 - x1], [x2, n2 - x2]], dtype=float)
    if table[:, 0].sum() == 0 or table[:, 1].sum() == 0 or expected_freq(table).min() < 5:
        return float(st.fisher_exact(table.astype(int))[1]), "fisher"
    return float(proportions_ztest([x1, x2], [n1, n2])[1]), "z"


def ge_index(b, alpha):
    mu = b.mean()
    r = b / mu
    if alpha == 1:
        return float(np.mean(np.where(r > 0, r * np.log(np.where(r > 0, r, 1)), 0)))
    return float(np.mean(r ** alpha - 1) / (alpha * (alpha - 1)))


def main():
    rng = np.random.default_rng(20240611)
    levels = ["A", "B", "C"]
    sizes = [260, 140, 14]          # C is small: Fisher's exact test and the small flag
    group = np.concatenate([np.full(s, g) for g, s in enumerate(sizes)])
    n = len(group)
    y_true = (rng.uniform(size=n) < np.array([0.4, 0.3, 0.35])[group]).astype(float)
    score = np.clip(0.25 + 0.35 * y_true + np.array([0.08, -0.04, 0.0])[group]
                    + rng.normal(0, 0.18, size=n), 0, 1)
    y_pred = (score >= 0.5).astype(float)
    proxy = rng.normal(size=n) + 0.8 * (group == 1)   # a numeric proxy of group B

    groups = []
    counts = []
    for g, name in enumerate(levels):
        sel = group == g
        tn, fp, fn, tp = (int(v) for v in confusion_matrix(y_true[sel], y_pred[sel], labels=[0, 1]).ravel())
        counts.append((tp, fp, tn, fn))
        entry = {"group": name, "n": int(sel.sum()), "tp": tp, "fp": fp, "tn": tn, "fn": fn,
                 "roc_auc": float(roc_auc_score(y_true[sel], score[sel])),
                 "brier": float(np.mean((score[sel] - y_true[sel]) ** 2))}
        for r, (x, m) in rate_counts(tp, fp, tn, fn).items():
            entry[r] = x / m if m else None
            lo, hi = proportion_confint(x, m, alpha=0.05, method="wilson") if m else (None, None)
            entry[r + "_ci"] = [float(lo), float(hi)] if m else None
        groups.append(entry)

    ref = 0                             # the largest group
    comparisons = []
    for g in range(len(levels)):
        if g == ref:
            continue
        rc, rr = rate_counts(*counts[g]), rate_counts(*counts[ref])
        entry = {"group": levels[g]}
        for r in ["selection_rate", "tpr", "fpr", "ppv", "accuracy"]:
            p, test = prop_test(rc[r][0], rc[r][1], rr[r][0], rr[r][1])
            entry[r] = {"p": p, "test": test, "difference": rc[r][0] / rc[r][1] - rr[r][0] / rr[r][1]}
        comparisons.append(entry)

    # min/max metrics over the groups that are not small (A and B): a 2-group test;
    # and a chi-square over all three groups for the chi-square function itself
    chi2 = {}
    for r in ["selection_rate", "tpr", "accuracy"]:
        xs = [rate_counts(*c)[r] for c in counts]
        table = np.array([[x, m - x] for x, m in xs], dtype=float)
        stat, p, dof, _ = st.chi2_contingency(table, correction=False)
        chi2[r] = {"x": [float(x) for x, _ in xs], "m": [float(m) for _, m in xs], "p": float(p),
                   "df": int(dof)}

    b = y_pred - y_true + 1
    # BH on a known list (with ties and a NaN left out of the family)
    bh_p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9, 0.5, 0.001, 0.06]
    bh_adj = multipletests(bh_p, alpha=0.05, method="fdr_bh")[1]
    # Fisher on a few tables
    tables = [[3, 1, 1, 3], [8, 2, 1, 5], [0, 5, 6, 1], [12, 30, 25, 9], [1, 0, 0, 1]]
    fisher = [{"table": t, "p": float(st.fisher_exact(np.array(t).reshape(2, 2))[1])} for t in tables]
    ztests = [{"x1": x1, "n1": n1, "x2": x2, "n2": n2,
               "p": float(proportions_ztest([x1, x2], [n1, n2])[1]),
               "z": float(proportions_ztest([x1, x2], [n1, n2])[0])}
              for x1, n1, x2, n2 in [(30, 100, 45, 110), (120, 400, 80, 390), (7, 50, 15, 60)]]
    wilson = [{"x": x, "n": m, "ci95": [float(v) for v in proportion_confint(x, m, 0.05, "wilson")],
               "ci90": [float(v) for v in proportion_confint(x, m, 0.10, "wilson")]}
              for x, m in [(0, 10), (10, 10), (3, 17), (250, 1000)]]
    proxy_auc = max(roc_auc_score((group == 1).astype(int), proxy),
                    1 - roc_auc_score((group == 1).astype(int), proxy))
    # the best group for the proxy must be B; check the others are lower
    others = [max(a, 1 - a) for a in (roc_auc_score((group == g).astype(int), proxy) for g in (0, 2))]

    out = {
        "source": "tests/reference/fairness_stats_reference.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                     "scipy": scipy.__version__, "statsmodels": statsmodels.__version__,
                     "sklearn": sklearn.__version__},
        "levels": levels, "group_codes": [int(v) for v in group],
        "y_true": y_true.tolist(), "y_pred": y_pred.tolist(), "score": score.tolist(),
        "proxy": proxy.tolist(), "proxy_auc": float(proxy_auc), "proxy_group": 1,
        "proxy_other_aucs": [float(v) for v in others],
        "groups": groups, "reference": levels[ref], "comparisons": comparisons,
        "chi2": chi2,
        "theil_index": ge_index(b, 1), "generalized_entropy_index": ge_index(b, 2),
        "bh": {"p": bh_p, "adjusted": [float(v) for v in bh_adj]},
        "fisher": fisher, "ztests": ztests, "wilson": wilson,
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
