#!/usr/bin/python3
"""Reference values for the OLS/WLS tests (tests/test-causal.c, /engine/stats/ols/*).

Model: re78 ~ 1 + treat + age + education + black + hispanic + married +
nodegree + re74 + re75 on Lalonde nsw_dw (data/examples/lalonde/nsw_dw.csv),
fitted by statsmodels OLS, and by WLS with weights w = 1 + age / 10.
Standard errors: cov_type "nonrobust", "HC0", "HC1", "HC2", "HC3".

Writes tests/data/causal/ols.json.  Run from anywhere:
    /usr/bin/python3 tests/reference/causal_ols_reference.py
"""
import csv
import json
import os
import sys

import numpy as np
import statsmodels
import statsmodels.api as sm

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NSW = os.path.join(ROOT, "data", "examples", "lalonde", "nsw_dw.csv")
OUT = os.path.join(ROOT, "tests", "data", "causal", "ols.json")
COLS = ["treat", "age", "education", "black", "hispanic", "married", "nodegree", "re74", "re75"]


def main():
    with open(NSW, newline="") as f:
        rows = list(csv.DictReader(f))
    X = np.array([[1.0] + [float(r[c]) for c in COLS] for r in rows])
    y = np.array([float(r["re78"]) for r in rows])
    w = 1.0 + X[:, 2] / 10.0
    out = {
        "source": "tests/reference/causal_ols_reference.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                     "statsmodels": statsmodels.__version__},
        "data": "data/examples/lalonde/nsw_dw.csv",
        "response": "re78",
        "columns": ["(intercept)"] + COLS,
        "weights": "1 + age / 10",
        "n": len(y),
    }
    for name, model in (("ols", sm.OLS(y, X)), ("wls", sm.WLS(y, X, weights=w))):
        res = {}
        for cov in ("nonrobust", "HC0", "HC1", "HC2", "HC3"):
            fit = model.fit(cov_type=cov)
            res["coef"] = fit.params.tolist()
            res["se_" + cov] = fit.bse.tolist()
        res["sigma2"] = float(model.fit().scale)
        out[name] = res
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(json.dumps(out["ols"]["coef"]))


if __name__ == "__main__":
    main()
