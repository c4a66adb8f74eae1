#!/usr/bin/python3
"""Fixtures for tests/test-shap.c (run with Debian's /usr/bin/python3).

Writes into tests/data/explain/:
  small.csv     80 rows, 3 numeric + 2 categorical features and a binary label
                (a small model for exact-vs-brute-force KernelSHAP)
  shapley.json  exact interventional Shapley values of a fixed nonlinear
                function with a weighted background, by enumerating the
                Shapley formula (itertools, independent of the C solver);
                Student t-tests from scipy.stats.ttest_ind; lime-style
                quartile bins from numpy.percentile + numpy.searchsorted.
"""
import itertools
import json
import math
import os

import numpy as np
import scipy.stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "explain")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20240607)

# ---- small.csv ------------------------------------------------------------
n = 80
age = rng.integers(18, 70, n)
hours = np.round(rng.normal(40, 10, n), 1)
score = np.round(rng.uniform(0, 1, n), 3)
color = rng.choice(["red", "green", "blue"], n)
group = rng.choice(["a", "b"], n, p=[0.6, 0.4])
logit = 0.05 * (age - 40) + 0.04 * (hours - 40) + 2 * (score - 0.5) + (color == "red") - 0.5
label = np.where(rng.uniform(0, 1, n) < 1 / (1 + np.exp(-logit)), "yes", "no")
with open(os.path.join(OUT, "small.csv"), "w") as f:
    f.write("age,hours,score,color,group,label\n")
    for i in range(n):
        f.write(f"{age[i]},{hours[i]},{score[i]},{color[i]},{group[i]},{label[i]}\n")

# ---- a nonlinear value function --------------------------------------------
# f(z) = sigmoid(w·z + a z0 z1 + b z2 z3 + c z4² + d z1 z5 + e), z ∈ R^6.
# The C test implements the same formula; all inputs are multiples of 1/4,
# exact in float32.
M = 6
W = [0.8, -0.5, 0.3, 1.1, -0.7, 0.25]
A, B, Cq, D, E = 0.6, -0.9, 0.2, 0.45, -0.1


def f(z):
    s = sum(W[i] * z[i] for i in range(M)) + A * z[0] * z[1] + B * z[2] * z[3] \
        + Cq * z[4] ** 2 + D * z[1] * z[5] + E
    return 1.0 / (1.0 + math.exp(-s))


x = [1.5, -0.75, 2.0, 0.5, -1.25, 1.0]
bg = [[0.0, 0.25, -0.5, 1.0, 0.75, -1.0],
      [-1.0, 0.5, 0.25, -0.25, 0.0, 0.5],
      [0.5, -1.5, 1.0, 0.0, -0.5, 0.25],
      [1.25, 1.0, -1.0, 0.75, 1.5, -0.25],
      [-0.5, 0.0, 0.5, -1.25, 0.25, 1.25]]
bw = [0.1, 0.3, 0.2, 0.25, 0.15]


def v(S):
    return sum(w * f([x[j] if j in S else b[j] for j in range(M)]) for b, w in zip(bg, bw))


phi = []
for i in range(M):
    others = [j for j in range(M) if j != i]
    tot = 0.0
    for k in range(M):
        for S in itertools.combinations(others, k):
            wt = math.factorial(k) * math.factorial(M - k - 1) / math.factorial(M)
            tot += wt * (v(set(S) | {i}) - v(set(S)))
    phi.append(tot)

# ---- t-tests ---------------------------------------------------------------
t_a = [0.91, 0.88, 0.95, 0.9, 0.97, 0.86, 0.93, 0.92, 0.89, 0.94]
t_b = [0.52, 0.41, 0.63, 0.55, 0.47, 0.6, 0.38, 0.5, 0.58, 0.45]
t_c = [0.48, 0.55, 0.61, 0.43, 0.5, 0.57, 0.46, 0.52]
tests = []
for a, b in [(t_a, t_b), (t_b, t_c), (t_c, t_a)]:
    r = scipy.stats.ttest_ind(a, b)
    tests.append({"a": a, "b": b, "t": float(r.statistic), "p": float(r.pvalue)})

# ---- quartile bins (lime's QuartileDiscretizer) -----------------------------
ref = slice(0, 60)
bins = {}
for name, col in [("age", age), ("hours", hours), ("score", score)]:
    cuts = np.unique(np.percentile(col[ref].astype(float), [25, 50, 75]))
    bins[name] = {"cuts": cuts.tolist(),
                  "bins": np.searchsorted(cuts, col.astype(float)).astype(int).tolist()}

with open(os.path.join(OUT, "shapley.json"), "w") as fo:
    json.dump({"weights": W, "a": A, "b": B, "c": Cq, "d": D, "e": E, "x": x,
               "background": bg, "background_weights": bw, "f_x": f(x), "phi0": v(set()),
               "shapley": phi, "t_tests": tests, "quartile_reference_rows": 60,
               "quartile_bins": bins}, fo, indent=1)
print("phi", phi, "sum", sum(phi), "f(x) - phi0", f(x) - v(set()))
