#!/usr/bin/python3
"""Reference values for tests/test-fairness.c.

Fairlearn is not packaged in Debian, so its definitions are implemented here
independently from per-group confusion matrices (sklearn.metrics.confusion_matrix):

  selection_rate              (TP + FP) / n                 fairlearn.metrics.selection_rate
  true_positive_rate          TP / (TP + FN)                fairlearn.metrics.true_positive_rate
  false_positive_rate         FP / (FP + TN)                fairlearn.metrics.false_positive_rate
  demographic_parity_difference  max − min selection rate   (method="between_groups")
  demographic_parity_ratio       min / max selection rate   (= AIF360 disparate impact
                                                            for two groups)
  equal opportunity difference   max − min TPR
  equalized_odds_difference      max(TPR gap, FPR gap)

Writes tests/data/fairness/fairlearn-definitions.json.  Run from the
repository root:  /usr/bin/python3 tests/reference/fairness_reference.py
The test suite only reads the JSON; it never runs this script.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.metrics import confusion_matrix

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "data", "fairness")


def main():
    rng = np.random.default_rng(31337)
    n = 400
    levels = ["A", "B", "C", "D"]  # D never occurs: omitted from the result
    group = rng.choice([0, 1, 2], size=n, p=[0.5, 0.3, 0.2]).astype(int)
    base = np.array([0.45, 0.3, 0.6])[group]
    y_true = (rng.uniform(size=n) < base).astype(float)
    # A classifier that selects more often in group A and is more accurate there.
    p_sel = np.where(y_true == 1, np.array([0.8, 0.6, 0.7])[group], np.array([0.2, 0.1, 0.3])[group])
    y_pred = (rng.uniform(size=n) < p_sel).astype(float)
    # Missing values and a row mask, all of which must be skipped.
    group[rng.choice(n, 12, replace=False)] = -1
    y_true[rng.choice(n, 9, replace=False)] = np.nan
    y_pred[rng.choice(n, 7, replace=False)] = np.nan
    mask = (rng.uniform(size=n) < 0.85).astype(int)

    use = (mask == 1) & (group >= 0) & ~np.isnan(y_true) & ~np.isnan(y_pred)
    groups = []
    for g, name in enumerate(levels):
        sel = use & (group == g)
        if not sel.any():
            continue
        tn, fp, fn, tp = confusion_matrix(y_true[sel], y_pred[sel], labels=[0, 1]).ravel()
        m = int(sel.sum())
        groups.append({
            "group": name, "n": m, "tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn),
            "base_rate": (tp + fn) / m, "selection_rate": (tp + fp) / m,
            "tpr": tp / (tp + fn), "fpr": fp / (fp + tn), "fnr": fn / (tp + fn),
            "ppv": tp / (tp + fp), "accuracy": (tp + tn) / m,
        })
    groups = [{k: (float(v) if isinstance(v, (np.floating, float)) else v) for k, v in g.items()}
              for g in groups]
    sr = np.array([g["selection_rate"] for g in groups])
    tpr = np.array([g["tpr"] for g in groups])
    fpr = np.array([g["fpr"] for g in groups])
    out = {
        "source": "tests/reference/fairness_reference.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                     "sklearn": sklearn.__version__},
        "attribute": "grp", "levels": levels,
        "group_codes": [int(v) for v in group],
        "y_true": [None if np.isnan(v) else float(v) for v in y_true],
        "y_pred": [None if np.isnan(v) else float(v) for v in y_pred],
        "row_mask": [int(v) for v in mask],
        "groups": groups,
        "demographic_parity_difference": float(sr.max() - sr.min()),
        "demographic_parity_ratio": float(sr.min() / sr.max()),
        "equal_opportunity_difference": float(tpr.max() - tpr.min()),
        "equalized_odds_difference": float(max(tpr.max() - tpr.min(), fpr.max() - fpr.min())),
    }
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "fairlearn-definitions.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
