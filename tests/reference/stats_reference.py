#!/usr/bin/python3
"""Reference values for tests/test-stats.c.

Writes tests/data/stats/logistic-synthetic.json, logistic-nsw-dw.json and
roc.json with Debian's python3-statsmodels (Logit, GLM Binomial with
freq_weights), python3-sklearn (LogisticRegression for the ridge fit,
roc_auc_score, roc_curve) and numpy.  Run from the repository root:

    /usr/bin/python3 tests/reference/stats_reference.py

The test suite only reads the JSON files; it never runs this script.
"""
import csv
import json
import os
import sys

import numpy as np
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "data", "stats")
NSW = os.path.join(ROOT, "data", "examples", "lalonde", "nsw_dw.csv")
NSW_COVARIATES = ["age", "education", "black", "hispanic", "married", "nodegree", "re74", "re75"]


def versions():
    return {"python": sys.version.split()[0], "numpy": np.__version__,
            "statsmodels": statsmodels.__version__, "sklearn": sklearn.__version__}


def fl(a):
    return [float(v) for v in np.ravel(a)]


def dump(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(path, ROOT))


def logit_fit(X, y):
    res = sm.Logit(y, X).fit(method="newton", tol=1e-14, maxiter=200, disp=0)
    assert res.mle_retvals["converged"]
    return {"coef": fl(res.params), "std_error": fl(res.bse), "log_likelihood": float(res.llf)}


def synthetic():
    rng = np.random.default_rng(20240501)
    n = 300
    x1 = np.round(rng.normal(size=n), 4)
    x2 = np.round(rng.uniform(-2, 2, size=n), 4)
    x3 = (rng.uniform(size=n) < 0.4).astype(float)
    X = np.column_stack([np.ones(n), x1, x2, x3])
    eta = -0.3 + 0.8 * x1 - 0.5 * x2 + 0.7 * x3
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
    w = rng.integers(0, 5, size=n).astype(float)  # frequency weights 0..4

    weighted = sm.GLM(y, X, family=sm.families.Binomial(), freq_weights=w).fit(
        method="IRLS", tol=1e-14, maxiter=200)
    # Frequency weights equal row replication: check that independently.
    rep = np.repeat(np.arange(n), w.astype(int))
    replicated = sm.Logit(y[rep], X[rep]).fit(method="newton", tol=1e-14, maxiter=200, disp=0)
    assert np.allclose(weighted.params, replicated.params, rtol=1e-9)
    assert np.allclose(weighted.bse, replicated.bse, rtol=1e-9)
    assert np.isclose(weighted.llf, replicated.llf, rtol=1e-10)

    # Ridge: sklearn minimises ½‖w‖² + C·Σ logloss with the intercept
    # unpenalised, i.e. maximises ℓ(β) − (λ/2)‖β₁..‖² with λ = 1/C.
    l2 = 2.5
    ridge = LogisticRegression(penalty="l2", C=1.0 / l2, solver="newton-cg", tol=1e-12,
                               max_iter=1000, fit_intercept=True)
    ridge.fit(X[:, 1:], y)
    ridge_coef = np.concatenate([ridge.intercept_, ridge.coef_.ravel()])

    dump("logistic-synthetic.json", {
        "source": "tests/reference/stats_reference.py", "versions": versions(),
        "n": n, "p": X.shape[1], "names": ["(intercept)", "x1", "x2", "x3"],
        "X": fl(X), "y": fl(y), "weights": fl(w),
        "logit": logit_fit(X, y),
        "glm_freq_weights": {"coef": fl(weighted.params), "std_error": fl(weighted.bse),
                             "log_likelihood": float(weighted.llf)},
        "ridge": {"l2": l2, "coef": fl(ridge_coef)},
    })


def nsw_dw():
    with open(NSW, newline="") as f:
        rows = list(csv.DictReader(f))
    X = np.array([[1.0] + [float(r[c]) for c in NSW_COVARIATES] for r in rows])
    t = np.array([float(r["treat"]) for r in rows])
    dump("logistic-nsw-dw.json", {
        "source": "tests/reference/stats_reference.py", "versions": versions(),
        "data": "data/examples/lalonde/nsw_dw.csv", "outcome": "treat",
        "n": len(rows), "names": ["(intercept)"] + NSW_COVARIATES,
        "logit": logit_fit(X, t),
    })


def roc():
    rng = np.random.default_rng(7)
    cases = {}
    # Scores rounded to one decimal: many ties, within and across classes.
    n = 120
    y = (rng.uniform(size=n) < 0.45).astype(float)
    score = np.round(np.clip(0.5 * y + rng.normal(0.25, 0.3, size=n), 0, 1), 1)
    cases["ties"] = (score, y)
    # Distinct scores.
    n = 60
    y = (rng.uniform(size=n) < 0.3).astype(float)
    score = rng.normal(size=n) + y
    cases["distinct"] = (score, y)
    # Hand-checkable: y = 0 1 0 1 1, score = .1 .4 .4 .8 .35.  Positive–negative
    # pairs: (.4,.1) 1, (.4,.4) ½, (.8,.1) 1, (.8,.4) 1, (.35,.1) 1, (.35,.4) 0
    # → AUC = 4.5 / 6 = 0.75.
    cases["small"] = (np.array([0.1, 0.4, 0.4, 0.8, 0.35]), np.array([0.0, 1, 0, 1, 1]))
    out = {"source": "tests/reference/stats_reference.py", "versions": versions(), "cases": {}}
    for name, (s, yy) in cases.items():
        fpr, tpr, thr = roc_curve(yy, s, drop_intermediate=False)
        out["cases"][name] = {"score": fl(s), "y": fl(yy), "auc": float(roc_auc_score(yy, s)),
                              "fpr": fl(fpr), "tpr": fl(tpr),
                              "accuracy_at_0.5": float(np.mean((s >= 0.5) == (yy == 1)))}
    assert abs(out["cases"]["small"]["auc"] - 0.75) < 1e-15
    dump("roc.json", out)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    synthetic()
    nsw_dw()
    roc()
