#!/usr/bin/python3
"""Reference values for tests/test-counterfactual.c: the paired t-test and
Wilcoxon's signed-rank test of paired differences.

Writes tests/data/counterfactual/paired-tests.json with Debian's
python3-scipy (scipy.stats.ttest_1samp on the differences, which is
ttest_rel, with its 95 % confidence interval; scipy.stats.wilcoxon with
zero_method="wilcox", correction=False and an explicit method: "exact" for
the small cases without ties or zeros, "approx" otherwise).  Run from the
repository root:

    /usr/bin/python3 tests/reference/counterfactual_reference.py

The test suite only reads the JSON file; it never runs this script.
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy import stats

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "data", "counterfactual", "paired-tests.json")


def case(name, d, method):
    d = np.asarray(d, dtype=float)
    t = stats.ttest_1samp(d, 0.0)
    ci = t.confidence_interval(0.95)
    w = stats.wilcoxon(d, zero_method="wilcox", correction=False, method=method)
    return {"name": name, "d": [float(v) for v in d], "mean": float(d.mean()),
            "t": float(t.statistic), "t_p_value": float(t.pvalue),
            "ci_low": float(ci.low), "ci_high": float(ci.high),
            "wilcoxon_method": method, "wilcoxon_statistic": float(w.statistic),
            "wilcoxon_p_value": float(w.pvalue),
            "n_nonzero": int(np.count_nonzero(d))}


def main():
    rng = np.random.default_rng(20261130)
    cases = [
        # small, no ties, no zeros: exact null distribution
        case("exact-12", rng.normal(0.02, 0.05, 12), "exact"),
        case("exact-40-shifted", rng.normal(0.03, 0.04, 40), "exact"),
        case("exact-8-all-positive", rng.uniform(0.01, 0.2, 8), "exact"),
        # zeros and ties (rounded differences): normal approximation with the
        # tie correction
        case("approx-ties-zeros-30", np.round(rng.normal(0.01, 0.03, 30), 2), "approx"),
        case("approx-heavy-ties-60", rng.choice([-0.1, 0.0, 0.1, 0.2], 60,
                                                p=[0.2, 0.2, 0.35, 0.25]), "approx"),
        # large n, continuous
        case("approx-500", rng.normal(0.004, 0.05, 500), "approx"),
        case("approx-null-300", rng.normal(0.0, 0.02, 300), "approx"),
    ]
    doc = {"versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                        "scipy": scipy.__version__},
           "cases": cases}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
