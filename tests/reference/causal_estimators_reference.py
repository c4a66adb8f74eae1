#!/usr/bin/python3
"""Independent reference values for the causal estimators (tests/test-causal.c).

Samples
  nsw_dw   data/examples/lalonde/nsw_dw.csv (185 treated, 260 experimental controls)
  psid     the 185 nsw_dw treated rows + tests/data/causal/psid_controls.csv (2490)
Outcome re78; covariates age, education, black, hispanic, married, nodegree,
re74, re75 (with an intercept); propensity by statsmodels Logit.

Independent of the C code in method, not only in language:
  ipw / ipw_hajek (ATE and ATT)  stacked estimating equations θ = (β, μ₁, μ₀),
      bread by a central-difference numerical Jacobian, V = A⁻¹BA⁻ᵀ/n
      (Stefanski & Boos 2002), τ = μ₁ − μ₀
  regression_adjustment          θ = (β₁, β₀, τ), statsmodels OLS per arm,
      the same numerical sandwich
  aipw                           the efficient-influence-function formulas
  stratification                 rank quintiles of the propensity, Neyman SE
  matching                       brute-force distance matrices (numpy /
      scipy.spatial.distance.cdist with the inverse covariance), the k
      nearest by (distance, row index), greedy without replacement in the
      order of decreasing first matching coordinate, caliper 0.2 SD of the
      logit propensity; Abadie–Imbens (2006) variance with σ̂² from the J = 2
      nearest same-arm rows.
  psm_ai2016                     the same matching with the Abadie–Imbens
      (2016, Econometrica 84:781) variance for the estimated logit
      propensity: V₀ − c'Σc (ATE), V₀ − c_t'Σc_t + ∂'Σ∂ (ATT), Σ the
      statsmodels Logit cov_params(); cov(X, y | p, W = w) from each row and
      its J = 2 nearest rows of arm w in logit(e) (J + 1 when the row is in
      the other arm), by brute-force distances and np.cov.

Writes tests/data/causal/estimators.json:
    /usr/bin/python3 tests/reference/causal_estimators_reference.py
"""
import csv
import json
import os
import sys

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy.linalg import solve_triangular
from scipy.spatial.distance import cdist

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NSW = os.path.join(ROOT, "data", "examples", "lalonde", "nsw_dw.csv")
PSID = os.path.join(ROOT, "tests", "data", "causal", "psid_controls.csv")
OUT = os.path.join(ROOT, "tests", "data", "causal", "estimators.json")
COV = ["age", "education", "black", "hispanic", "married", "nodegree", "re74", "re75"]


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def arrays(rows):
    X = np.array([[1.0] + [float(r[c]) for c in COV] for r in rows])
    t = np.array([float(r["treat"]) for r in rows])
    y = np.array([float(r["re78"]) for r in rows])
    return X, t, y


def expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def num_jacobian(psi, theta):
    """mean over rows of ∂ψ/∂θ by central differences (relative step)."""
    k = len(theta)
    A = np.zeros((k, k))
    for j in range(k):
        h = 1e-6 * max(abs(theta[j]), 1e-3)
        tp, tm = theta.copy(), theta.copy()
        tp[j] += h
        tm[j] -= h
        A[:, j] = (psi(tp).mean(axis=0) - psi(tm).mean(axis=0)) / (2 * h)
    return A


def sandwich(psi, theta):
    P = psi(theta)
    n = P.shape[0]
    A = num_jacobian(psi, theta)
    B = P.T @ P / n
    Ai = np.linalg.inv(A)
    return Ai @ B @ Ai.T / n


def entry(est, se, n_used):
    return {"estimate": float(est), "std_error": float(se), "n_used": int(n_used)}


def ipw(X, t, y, beta, hajek, att):
    p = X.shape[1]
    n1 = t.sum()

    def psi(theta):
        b, mu1, mu0 = theta[:p], theta[p], theta[p + 1]
        e = expit(X @ b)
        score = X * (t - e)[:, None]
        if att:
            w1, w0 = np.ones_like(e), e / (1 - e)
        else:
            w1, w0 = 1 / e, 1 / (1 - e)
        if hajek:
            m1 = t * w1 * (y - mu1)
            m0 = (1 - t) * w0 * (y - mu0)
        else:
            d = t if att else np.ones_like(t)
            m1 = t * w1 * y - d * mu1
            m0 = (1 - t) * w0 * y - d * mu0
        return np.column_stack([score, m1, m0])

    e = expit(X @ beta)
    w1, w0 = (np.ones_like(e), e / (1 - e)) if att else (1 / e, 1 / (1 - e))
    if hajek:
        mu1 = (t * w1 * y).sum() / (t * w1).sum()
        mu0 = ((1 - t) * w0 * y).sum() / ((1 - t) * w0).sum()
    else:
        den = n1 if att else len(y)
        mu1 = (t * w1 * y).sum() / den
        mu0 = ((1 - t) * w0 * y).sum() / den
    theta = np.concatenate([beta, [mu1, mu0]])
    assert np.abs(psi(theta).mean(axis=0)).max() < 1e-6 * max(1, np.abs(y).max())
    V = sandwich(psi, theta)
    c = np.zeros(p + 2)
    c[p], c[p + 1] = 1, -1
    return entry(mu1 - mu0, np.sqrt(c @ V @ c), len(y))


def nonconstant(X):
    keep = [0] + [j for j in range(1, X.shape[1]) if np.ptp(X[:, j]) > 0]
    return keep


def regression_adjustment(X, t, y, att):
    k1 = nonconstant(X[t == 1])
    k0 = nonconstant(X[t == 0])
    b1 = sm.OLS(y[t == 1], X[t == 1][:, k1]).fit().params
    b0 = sm.OLS(y[t == 0], X[t == 0][:, k0]).fit().params
    q1, q0 = len(k1), len(k0)
    X1, X0 = X[:, k1], X[:, k0]
    if att:
        tau = (y - X0 @ b0)[t == 1].mean()
    else:
        tau = (X1 @ b1 - X0 @ b0).mean()

    def psi(theta):
        c1, c0, tt = theta[:q1], theta[q1:q1 + q0], theta[-1]
        s1 = X1 * (t * (y - X1 @ c1))[:, None]
        s0 = X0 * ((1 - t) * (y - X0 @ c0))[:, None]
        if att:
            m = t * (y - X0 @ c0 - tt)
        else:
            m = X1 @ c1 - X0 @ c0 - tt
        return np.column_stack([s1, s0, m])

    theta = np.concatenate([b1, b0, [tau]])
    V = sandwich(psi, theta)
    return entry(tau, np.sqrt(V[-1, -1]), len(y)), X1 @ b1, X0 @ b0


def aipw(X, t, y, e, m1, m0, att):
    n = len(y)
    if att:
        p1 = t.mean()
        tau = (t * (y - m0) - (1 - t) * e / (1 - e) * (y - m0)).sum() / t.sum()
        inf = (t * (y - m0 - tau) - (1 - t) * e / (1 - e) * (y - m0)) / p1
        return entry(tau, np.sqrt((inf ** 2).sum()) / n, n)
    phi = m1 - m0 + t * (y - m1) / e - (1 - t) * (y - m0) / (1 - e)
    tau = phi.mean()
    return entry(tau, np.sqrt(((phi - tau) ** 2).sum()) / n, n)


def stratification(t, y, e, S, att):
    n = len(y)
    order = np.lexsort((np.arange(n), e))
    parts = []
    for s in range(S):
        lo, hi = int(s * n / S), int((s + 1) * n / S)
        idx = order[lo:hi]
        tt, yy = t[idx], y[idx]
        n1, n0 = tt.sum(), (1 - tt).sum()
        if n1 < 2 or n0 < 2:
            continue
        d = yy[tt == 1].mean() - yy[tt == 0].mean()
        v = yy[tt == 1].var(ddof=1) / n1 + yy[tt == 0].var(ddof=1) / n0
        parts.append((n1 if att else n1 + n0, d, v, hi - lo))
    W = sum(p[0] for p in parts)
    tau = sum(p[0] / W * p[1] for p in parts)
    var = sum((p[0] / W) ** 2 * p[2] for p in parts)
    return entry(tau, np.sqrt(var), sum(p[3] for p in parts))


def key(d):
    """distances on a 1e-9 grid, so that mathematically equal distances tie
    (and go to the lower row index) whatever the rounding of the fit"""
    return np.floor(d * 1e9 + 0.5)


def nearest(D_row, cand, k, used=None, max_d=np.inf):
    """k nearest candidate rows by (distance key, row index)."""
    d = D_row.copy()
    ok = d <= max_d
    if used is not None:
        ok &= ~used
    idx = np.nonzero(ok)[0]
    order = np.lexsort((cand[idx], key(d[idx])))
    return idx[order[:k]]


def match(Z, t, y, k, replace, caliper, att, out_has=None):
    n = len(y)
    tr, co = np.nonzero(t == 1)[0], np.nonzero(t == 0)[0]
    kt, lt = np.zeros(n), np.zeros(n)
    diff, has = np.zeros(n), np.zeros(n, bool)
    sides = [(tr, co, 1)] if att else [(tr, co, 1), (co, tr, 0)]
    for q, c, is_t in sides:
        D = cdist(Z[q], Z[c])
        order = np.arange(len(q))
        if not replace:
            order = np.lexsort((np.arange(len(q)), -Z[q, 0]))
        used = np.zeros(len(c), bool)
        for a in order:
            pos = nearest(D[a], c, k, None if replace else used, caliper)
            if len(pos) == 0:
                continue
            if not replace:
                used[pos] = True
            j = c[pos]
            m = y[j].mean()
            kt[j] += 1.0 / len(j)
            lt[j] += 1.0 / len(j) ** 2
            i = q[a]
            diff[i] = y[i] - m if is_t else m - y[i]
            has[i] = True
    N = has.sum()
    tau = diff[has].mean()
    coef = (2 * kt + kt ** 2 - lt) if not att else (kt ** 2 - lt)
    need = coef > 1e-12
    sig2 = np.zeros(n)
    for arm in (0, 1):
        rows = np.nonzero(t == arm)[0]
        J = min(2, len(rows) - 1)
        Dz = cdist(Z[need & (t == arm)], Z[rows])
        for r, i in enumerate(np.nonzero(need & (t == arm))[0]):
            d = Dz[r].copy()
            d[rows == i] = np.inf
            pos = np.lexsort((rows, key(d)))[:J]
            sig2[i] = J / (J + 1) * (y[i] - y[rows[pos]].mean()) ** 2
    v = ((diff[has] - tau) ** 2).sum() + (coef * sig2)[need].sum()
    w = has.astype(float) + kt
    if out_has is not None:
        out_has[:] = has
    return entry(tau, np.sqrt(v) / N, (w > 0).sum())


def ai2016(z, X, t, y, e, Sigma, base, has, att, J=2):
    """Abadie & Imbens (2016) adjustment of the 2006 variance in @base."""
    n, p = X.shape
    tau = base["estimate"]
    v0 = base["std_error"] ** 2
    f = e * (1 - e)
    D = np.abs(z[:, None] - z[None, :])
    c = np.zeros(p)
    d = np.zeros(p)
    arms = [np.nonzero(t == w)[0] for w in (0, 1)]
    for i in range(n):
        if not att and not has[i]:
            continue
        cov = [None, None]
        mbar = [0.0, 0.0]
        for w in (0, 1):
            rows = arms[w]
            own = t[i] == w
            dd = D[i, rows].copy()
            if own:
                dd[rows == i] = np.inf
            k = min(J + (0 if own else 1), len(rows) - (1 if own else 0))
            nb = rows[np.lexsort((rows, key(dd)))[:k]]
            mbar[w] = y[nb].mean() if k else 0.0
            H = np.concatenate([nb, [i]]) if own else nb
            if len(H) > 1:
                cov[w] = np.array([np.cov(X[H, a], y[H], ddof=1)[0, 1] for a in range(p)])
            else:
                cov[w] = np.zeros(p)
        if att:
            lin = X[i] * f[i] * (mbar[1] - mbar[0] - tau)
            c += lin + f[i] * cov[1] + e[i] ** 2 * cov[0]
            d += lin + f[i] * (cov[1] - cov[0])
        else:
            c += (1 - e[i]) * cov[1] + e[i] * cov[0]
    if att:
        n1 = (t == 1).sum()
        c /= n1
        d /= n1
        v = v0 - c @ Sigma @ c + d @ Sigma @ d
    else:
        c /= has.sum()
        v = v0 - c @ Sigma @ c
    return entry(tau, np.sqrt(v), base["n_used"])


def analyse(X, t, y):
    logit = sm.Logit(t, X).fit(disp=0, tol=1e-12, maxiter=200)
    beta = logit.params
    e = expit(X @ beta)
    res = {"n": len(y), "n_treated": int(t.sum()),
           "naive": float(y[t == 1].mean() - y[t == 0].mean()),
           "propensity_coef": beta.tolist()}
    for att in (False, True):
        est = "ATT" if att else "ATE"
        r = {}
        r["ipw"] = ipw(X, t, y, beta, False, att)
        r["ipw_hajek"] = ipw(X, t, y, beta, True, att)
        r["regression_adjustment"], m1, m0 = regression_adjustment(X, t, y, att)
        r["aipw"] = aipw(X, t, y, e, m1, m0, att)
        r["stratification"] = stratification(t, y, e, 5, att)
        z = np.log(e / (1 - e))[:, None]
        cal = 0.2 * z[:, 0].std(ddof=1)
        has = np.zeros(len(y), bool)
        r["psm"] = match(z, t, y, 1, True, cal, att, has)
        r["psm_ai2016"] = ai2016(z[:, 0], X, t, y, e, np.asarray(logit.cov_params()), r["psm"],
                                 has, att)
        r["psm_k3_noreplace"] = match(z, t, y, 3, False, np.inf, att)
        r["psm_k2_caliper_noreplace"] = match(z, t, y, 2, False, cal, att)
        C = X[:, 1:]
        S = np.cov(C, rowvar=False)
        L = np.linalg.cholesky(S)
        # whitened covariates by forward substitution, so the first coordinate
        # (the order of greedy matching) is a function of the first covariate only
        W = solve_triangular(L, (C - C.mean(axis=0)).T, lower=True).T
        # Euclidean distance in W is the Mahalanobis distance of scipy (asserted)
        Dm = cdist(C, C, "mahalanobis", VI=np.linalg.inv(S))
        assert np.allclose(Dm, cdist(W, W), rtol=1e-9, atol=1e-9)
        r["mahalanobis_matching"] = match(W, t, y, 1, True, np.inf, att)
        r["mahalanobis_k2_noreplace"] = match(W, t, y, 2, False, np.inf, att)
        res[est] = r
    return res


def main():
    nsw = read(NSW)
    psid = [r for r in nsw if r["treat"] == "1"] + read(PSID)
    out = {
        "source": "tests/reference/causal_estimators_reference.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                     "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
        "covariates": COV,
        "nsw_dw": analyse(*arrays(nsw)),
        "psid": analyse(*arrays(psid)),
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    for s in ("nsw_dw", "psid"):
        print(s, out[s]["naive"])
        for est in ("ATE", "ATT"):
            for k, v in out[s][est].items():
                print("  ", est, k, round(v["estimate"], 2), round(v["std_error"], 2), v["n_used"])


if __name__ == "__main__":
    main()
