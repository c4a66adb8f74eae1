#!/usr/bin/python3
"""Reference values for tests/test-causal.c on Lalonde nsw_dw.

  naive    difference in means with scipy.stats.ttest_ind (equal_var True:
           pooled, n − 2 df; False: Welch–Satterthwaite df); SE = diff / t,
           95 % interval from scipy.stats.t.ppf.
  ipw      Horvitz–Thompson and Hájek ATE with the propensity
           treat ~ age + education + black + hispanic + married + nodegree +
           re74 + re75 fitted by statsmodels' Logit.  The standard error is the
           stacked M-estimation sandwich, computed here from the full matrices:
           θ = (β, τ) (HT) or (β, μ₁, μ₀) (Hájek), ψ stacked per row,
           bread A = mean Jacobian ∂ψ/∂θ (analytic, cross-checked against
           central finite differences), meat B = mean ψψ',
           V = A⁻¹ B A⁻ᵀ / n  (Lunceford & Davidian 2004; Stefanski & Boos 2002).

Writes tests/data/causal/nsw-dw.json.  Run from the repository root:
    /usr/bin/python3 tests/reference/causal_reference.py
The test suite only reads the JSON; it never runs this script.
"""
import csv
import json
import os
import sys

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "data", "causal")
NSW = os.path.join(ROOT, "data", "examples", "lalonde", "nsw_dw.csv")
COVARIATES = ["age", "education", "black", "hispanic", "married", "nodegree", "re74", "re75"]


def expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def psi_ht(theta, X, t, y):
    """(n, p + 1) stacked estimating functions for θ = (β, τ)."""
    p = X.shape[1]
    beta, tau = theta[:p], theta[p]
    e = expit(X @ beta)
    score = X * (t - e)[:, None]
    ipw = t * y / e - (1 - t) * y / (1 - e) - tau
    return np.column_stack([score, ipw])


def psi_hajek(theta, X, t, y):
    """(n, p + 2) stacked estimating functions for θ = (β, μ₁, μ₀)."""
    p = X.shape[1]
    beta, mu1, mu0 = theta[:p], theta[p], theta[p + 1]
    e = expit(X @ beta)
    score = X * (t - e)[:, None]
    m1 = t * (y - mu1) / e
    m0 = (1 - t) * (y - mu0) / (1 - e)
    return np.column_stack([score, m1, m0])


def jac_ht(theta, X, t, y):
    n, p = X.shape
    e = expit(X @ theta[:p])
    J = np.zeros((p + 1, p + 1))
    J[:p, :p] = -(X * (e * (1 - e))[:, None]).T @ X / n
    d = -(t * y * (1 - e) / e + (1 - t) * y * e / (1 - e))
    J[p, :p] = (X * d[:, None]).mean(axis=0)
    J[p, p] = -1.0
    return J


def jac_hajek(theta, X, t, y):
    n, p = X.shape
    beta, mu1, mu0 = theta[:p], theta[p], theta[p + 1]
    e = expit(X @ beta)
    J = np.zeros((p + 2, p + 2))
    J[:p, :p] = -(X * (e * (1 - e))[:, None]).T @ X / n
    J[p, :p] = (X * (-t * (y - mu1) * (1 - e) / e)[:, None]).mean(axis=0)
    J[p, p] = -(t / e).mean()
    J[p + 1, :p] = (X * ((1 - t) * (y - mu0) * e / (1 - e))[:, None]).mean(axis=0)
    J[p + 1, p + 1] = -((1 - t) / (1 - e)).mean()
    return J


def numeric_jacobian(psi, theta, X, t, y):
    k = len(theta)
    J = np.zeros((k, k))
    for j in range(k):
        h = 1e-6 * max(abs(theta[j]), 1e-3)
        up, dn = theta.copy(), theta.copy()
        up[j] += h
        dn[j] -= h
        J[:, j] = (psi(up, X, t, y).mean(axis=0) - psi(dn, X, t, y).mean(axis=0)) / (2 * h)
    return J


def sandwich(psi, jac, theta, X, t, y):
    n = X.shape[0]
    Psi = psi(theta, X, t, y)
    assert np.allclose(Psi.mean(axis=0), 0, atol=1e-6), Psi.mean(axis=0)
    A = jac(theta, X, t, y)
    An = numeric_jacobian(psi, theta, X, t, y)
    assert np.allclose(A, An, rtol=1e-5, atol=1e-9 * np.abs(A).max()), np.abs(A - An).max()
    B = Psi.T @ Psi / n
    Ainv = np.linalg.inv(A)
    return Ainv @ B @ Ainv.T / n


def main():
    with open(NSW, newline="") as f:
        rows = list(csv.DictReader(f))
    X = np.array([[1.0] + [float(r[c]) for c in COVARIATES] for r in rows])
    t = np.array([float(r["treat"]) for r in rows])
    y = np.array([float(r["re78"]) for r in rows])
    n, p = X.shape

    y1, y0 = y[t == 1], y[t == 0]
    diff = y1.mean() - y0.mean()
    naive = {}
    for name, equal_var in (("pooled", True), ("welch", False)):
        res = stats.ttest_ind(y1, y0, equal_var=equal_var)
        se = diff / res.statistic
        if equal_var:
            df = len(y1) + len(y0) - 2
        else:
            a, b = y1.var(ddof=1) / len(y1), y0.var(ddof=1) / len(y0)
            df = (a + b) ** 2 / (a * a / (len(y1) - 1) + b * b / (len(y0) - 1))
        q = stats.t.ppf(0.975, df)
        naive[name] = {"estimate": float(diff), "std_error": float(se), "df": float(df),
                       "p_value": float(res.pvalue), "ci_low": float(diff - q * se),
                       "ci_high": float(diff + q * se)}

    logit = sm.Logit(t, X).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
    beta = np.asarray(logit.params)
    e = expit(X @ beta)

    tau_ht = np.mean(t * y / e - (1 - t) * y / (1 - e))
    V = sandwich(psi_ht, jac_ht, np.append(beta, tau_ht), X, t, y)
    se_ht = np.sqrt(V[p, p])

    mu1 = np.sum(t * y / e) / np.sum(t / e)
    mu0 = np.sum((1 - t) * y / (1 - e)) / np.sum((1 - t) / (1 - e))
    V = sandwich(psi_hajek, jac_hajek, np.append(beta, [mu1, mu0]), X, t, y)
    g = np.zeros(p + 2)
    g[p], g[p + 1] = 1.0, -1.0
    se_hajek = np.sqrt(g @ V @ g)

    # The same SEs with the propensity treated as known (no β rows): the
    # estimated-propensity SE must differ, which the test also checks.
    def se_known(psi_row):
        return np.sqrt(np.mean(psi_row ** 2) / n)
    se_ht_known = se_known(t * y / e - (1 - t) * y / (1 - e) - tau_ht)

    z = stats.norm.ppf(0.975)
    out = {
        "source": "tests/reference/causal_reference.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                     "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
        "data": "data/examples/lalonde/nsw_dw.csv", "outcome": "re78", "treatment": "treat",
        "covariates": COVARIATES, "n": n,
        "naive": naive,
        "propensity_coef": [float(v) for v in beta],
        "propensity_first5": [float(v) for v in e[:5]],
        "ipw": {"estimate": float(tau_ht), "std_error": float(se_ht),
                "ci_low": float(tau_ht - z * se_ht), "ci_high": float(tau_ht + z * se_ht),
                "p_value": float(2 * stats.norm.sf(abs(tau_ht / se_ht))),
                "std_error_if_propensity_known": float(se_ht_known)},
        "ipw_hajek": {"estimate": float(mu1 - mu0), "std_error": float(se_hajek),
                      "mu1": float(mu1), "mu0": float(mu0),
                      "ci_low": float(mu1 - mu0 - z * se_hajek),
                      "ci_high": float(mu1 - mu0 + z * se_hajek),
                      "p_value": float(2 * stats.norm.sf(abs((mu1 - mu0) / se_hajek)))},
    }
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "nsw-dw.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(path, ROOT))
    print(json.dumps({k: out[k] for k in ("naive", "ipw", "ipw_hajek")}, indent=1))


if __name__ == "__main__":
    main()
