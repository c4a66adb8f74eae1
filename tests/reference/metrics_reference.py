#!/usr/bin/python3
"""Reference values for tests/test-metrics-class.c (engine/stats/gb-metrics-class.c).

Writes tests/data/metrics/metrics-class.json with Debian's python3-sklearn
(accuracy_score, balanced_accuracy_score, precision_recall_fscore_support,
confusion_matrix, roc_auc_score (binary and multi_class="ovr" macro), log_loss,
brier_score_loss, calibration.calibration_curve) and numpy for what sklearn
does not define:

- the multi-class Brier score: mean over rows of sum_k (p_k - y_k)^2
  (sklearn 1.2's brier_score_loss is binary only);
- the expected calibration error of Guo et al. 2017 ("On Calibration of
  Modern Neural Networks", eq. 3): top-label confidence max_k p_k, M
  equal-width bins ((m-1)/M, m/M] (the first bin includes 0), ECE =
  sum_m |B_m|/n |acc(B_m) - conf(B_m)|, MCE = max_m |acc - conf|.
  The bins are found as sklearn's calibration_curve finds them
  (np.searchsorted on the inner np.linspace edges), so an edge value belongs
  to the lower bin.

Cases: binary with tied scores and scores on the bin edges; 4-class with
tied argmax rows, zero probabilities and a class never predicted; 4-class
with a class predicted but absent from y_true (macro averages over
y_true U y_pred, balanced accuracy over y_true's classes).  Run from the
repository root:

    /usr/bin/python3 tests/reference/metrics_reference.py

The test suite only reads the JSON file; it never runs this script.
"""
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, brier_score_loss,
                             confusion_matrix, log_loss, precision_recall_fscore_support,
                             roc_auc_score)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "data", "metrics")


def fl(a):
    return [float(v) for v in np.ravel(a)]


def guo_reliability(conf, correct, n_bins):
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(edges[1:-1], conf)
    count = np.bincount(ids, minlength=n_bins)
    sum_conf = np.bincount(ids, weights=conf, minlength=n_bins)
    sum_acc = np.bincount(ids, weights=correct.astype(float), minlength=n_bins)
    nz = count > 0
    mean_conf = np.full(n_bins, np.nan)
    acc = np.full(n_bins, np.nan)
    mean_conf[nz] = sum_conf[nz] / count[nz]
    acc[nz] = sum_acc[nz] / count[nz]
    gap = np.abs(acc[nz] - mean_conf[nz])
    ece = float(np.sum(count[nz] / len(conf) * gap))
    mce = float(np.max(gap))
    return {"n_bins": n_bins, "count": [int(c) for c in count],
            "confidence": [None if np.isnan(v) else float(v) for v in mean_conf],
            "accuracy": [None if np.isnan(v) else float(v) for v in acc],
            "ece": ece, "mce": mce}


def case(name, y, proba, n_bins_list=(15, 10, 5)):
    y = np.asarray(y, dtype=int)
    proba = np.asarray(proba, dtype=float)
    n, k = proba.shape
    labels = list(range(k))
    y_pred = np.argmax(proba, axis=1)   # ties: the first (lowest) class
    out = {"name": name, "n_classes": k, "y_true": [int(v) for v in y],
           "proba": fl(proba), "y_pred": [int(v) for v in y_pred]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["accuracy"] = float(accuracy_score(y, y_pred))
        out["balanced_accuracy"] = float(balanced_accuracy_score(y, y_pred))
        p, r, f, s = precision_recall_fscore_support(y, y_pred, labels=labels, average=None,
                                                     zero_division=0)
        out["precision"], out["recall"], out["f1"] = fl(p), fl(r), fl(f)
        out["support"] = [int(v) for v in s]
        pm, rm, fm, _ = precision_recall_fscore_support(y, y_pred, average="macro",
                                                        zero_division=0)
        out["precision_macro"], out["recall_macro"], out["f1_macro"] = float(pm), float(rm), float(fm)
        out["confusion"] = [int(v) for v in np.ravel(confusion_matrix(y, y_pred, labels=labels))]
        out["log_loss"] = float(log_loss(y, proba, labels=labels))
    if k == 2:
        out["roc_auc"] = float(roc_auc_score(y, proba[:, 1]))
        out["brier"] = float(brier_score_loss(y, proba[:, 1]))
        out["binary_f1"] = float(f[1])
        curves = []
        for nb in n_bins_list:
            prob_true, prob_pred = calibration_curve(y, proba[:, 1], n_bins=nb, strategy="uniform")
            curves.append({"n_bins": nb, "prob_true": fl(prob_true), "prob_pred": fl(prob_pred)})
        out["calibration_curve"] = curves
    else:
        if len(np.unique(y)) == k:
            out["roc_auc"] = float(roc_auc_score(y, proba, multi_class="ovr", average="macro"))
        else:
            # sklearn refuses a class absent from y_true; Glassbox leaves it
            # out of the mean: the mean of the binary AUCs of the others.
            present = [j for j in range(k) if 0 < np.sum(y == j) < n]
            out["roc_auc"] = float(np.mean([roc_auc_score(y == j, proba[:, j]) for j in present]))
        onehot = np.eye(k)[y]
        out["brier"] = float(np.mean(np.sum((proba - onehot) ** 2, axis=1)))
    conf = np.max(proba, axis=1)
    correct = y_pred == y
    out["reliability"] = [guo_reliability(conf, correct, nb) for nb in n_bins_list]
    return out


def main():
    rng = np.random.default_rng(20261129)
    cases = []

    # Binary: scores on a 0.05 grid (many ties; 0.2, 0.4, ... are bin edges for
    # 5 and 10 bins), labels drawn with probability = score, some exact 0 and 1.
    n = 240
    p1 = np.round(rng.integers(0, 21, n) * 0.05, 2)
    y = (rng.random(n) < p1).astype(int)
    cases.append(case("binary-ties", y, np.column_stack([1 - p1, p1])))

    # Multi-class, 4 classes: softmax of random logits rounded to 2 decimals
    # (ties across rows), a block of rows with tied maxima, zero probabilities
    # (log loss clipping), class 3 present but never predicted.
    n = 300
    y = rng.integers(0, 4, n)
    logits = rng.normal(0, 1, (n, 4))
    logits[np.arange(n), y] += 1.2
    logits[:, 3] -= 3.0
    pr = np.exp(logits)
    pr /= pr.sum(axis=1, keepdims=True)
    pr = np.round(pr, 2)
    pr[:, 0] = 1.0 - pr[:, 1:].sum(axis=1)
    pr = np.clip(pr, 0.0, 1.0)
    pr /= pr.sum(axis=1, keepdims=True)
    pr[:20] = np.array([[0.4, 0.4, 0.2, 0.0], [0.0, 0.45, 0.45, 0.1],
                        [0.3, 0.3, 0.3, 0.1], [0.5, 0.0, 0.5, 0.0]] * 5)
    pr[20:25] = np.array([[0.0, 1.0, 0.0, 0.0]] * 5)
    cases.append(case("multiclass-4", y, pr))

    # Multi-class where class 3 is predicted but never true.
    n = 60
    y = rng.integers(0, 3, n)
    pr = rng.dirichlet(np.ones(4), n)
    cases.append(case("multiclass-absent-true", y, pr))

    os.makedirs(OUT, exist_ok=True)
    doc = {"generator": "tests/reference/metrics_reference.py",
           "versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                        "sklearn": sklearn.__version__},
           "cases": cases}
    path = os.path.join(OUT, "metrics-class.json")
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
