#!/usr/bin/python3
"""Reference for gb_lime_select_features(): lime's LimeBase.feature_selection
("forward_selection", "highest_weights", "auto") run with scikit-learn's Ridge
on a fixed interpretable data set, written to tests/data/explain/lime-selection.json.

The three selection functions below are copied from lime 0.2.0.1
(lime/lime_base.py, LimeBase.feature_selection), unchanged except for the
sparse-matrix branch, which this dense data never takes.  The final surrogate
(Ridge(alpha=1) on the selected features, lime's explain_instance_with_data) is
recorded too, with its weighted R² (easy_model.score).

Run: /usr/bin/python3 tests/reference/lime_selection_reference.py
"""
import json
import os

import numpy as np
from sklearn.linear_model import Ridge

RANDOM_STATE = 0


def forward_selection(data, labels, weights, num_features):
    clf = Ridge(alpha=0, fit_intercept=True, random_state=RANDOM_STATE)
    used_features = []
    for _ in range(min(num_features, data.shape[1])):
        max_ = -100000000
        best = 0
        for feature in range(data.shape[1]):
            if feature in used_features:
                continue
            clf.fit(data[:, used_features + [feature]], labels, sample_weight=weights)
            score = clf.score(data[:, used_features + [feature]], labels, sample_weight=weights)
            if score > max_:
                best = feature
                max_ = score
        used_features.append(best)
    return np.array(used_features)


def highest_weights(data, labels, weights, num_features):
    clf = Ridge(alpha=0.01, fit_intercept=True, random_state=RANDOM_STATE)
    clf.fit(data, labels, sample_weight=weights)
    coef = clf.coef_
    weighted_data = coef * data[0]
    feature_weights = sorted(zip(range(data.shape[1]), weighted_data),
                             key=lambda x: np.abs(x[1]), reverse=True)
    return np.array([x[0] for x in feature_weights[:num_features]])


def feature_selection(data, labels, weights, num_features, method):
    if method == "forward_selection":
        return forward_selection(data, labels, weights, num_features)
    if method == "highest_weights":
        return highest_weights(data, labels, weights, num_features)
    if method == "auto":
        n_method = "forward_selection" if num_features <= 6 else "highest_weights"
        return feature_selection(data, labels, weights, num_features, n_method)
    raise ValueError(method)


def forward_margins(data, labels, weights, num_features):
    """Smallest gap between the best and the runner-up R² over the steps
    (how far the fixture is from a tie)."""
    used, gaps = [], []
    for _ in range(num_features):
        scores = []
        for f in range(data.shape[1]):
            if f in used:
                continue
            clf = Ridge(alpha=0, fit_intercept=True).fit(data[:, used + [f]], labels, sample_weight=weights)
            scores.append((clf.score(data[:, used + [f]], labels, sample_weight=weights), f))
        scores.sort(reverse=True)
        if len(scores) > 1:
            gaps.append(scores[0][0] - scores[1][0])
        used.append(scores[0][1])
    return min(gaps) if gaps else float("inf")


def main():
    rng = np.random.RandomState(20261130)
    n, M = 240, 8
    # lime's tabular interpretable data: z = 1 when the sampled bin equals
    # the explained row's; row 0 is the row itself; columns standardised by
    # the training statistics (here: the sample's own mean and std)
    p_on = np.array([0.9, 0.3, 0.5, 0.85, 0.4, 0.6, 0.35, 0.7])
    on = (rng.uniform(size=(n, M)) < p_on).astype(float)
    # feature 4 mostly copies feature 1 (correlated interpretable features)
    copy = rng.uniform(size=n) < 0.8
    on[copy, 4] = on[copy, 1]
    on[0] = 1.0
    mean, std = on.mean(axis=0), on.std(axis=0)
    Z = (on - mean) / std
    # a non-additive black box so that the greedy R² path differs from the
    # ridge-coefficient ranking
    y = (0.9 * on[:, 0] - 0.7 * on[:, 3] + 0.5 * on[:, 5] * on[:, 6] + 0.35 * on[:, 1]
         + 0.3 * on[:, 4] - 0.25 * on[:, 2] * on[:, 0] + 0.15 * on[:, 7]
         + 0.05 * rng.normal(size=n))
    d = np.sqrt(((Z - Z[0]) ** 2).sum(axis=1))
    width = 0.75 * np.sqrt(M)
    w = np.sqrt(np.exp(-(d ** 2) / width ** 2))

    cases = []
    for method in ("forward_selection", "highest_weights", "auto"):
        for K in range(1, M + 1):
            sel = feature_selection(Z, y, w, K, method)
            model = Ridge(alpha=1, fit_intercept=True, random_state=RANDOM_STATE)
            model.fit(Z[:, sel], y, sample_weight=w)
            cases.append({
                "method": method,
                "K": K,
                "selected": [int(j) for j in sel],
                "coef": [float(c) for c in model.coef_],
                "intercept": float(model.intercept_),
                "score": float(model.score(Z[:, sel], y, sample_weight=w)),
            })
    out = {
        "source": "tests/reference/lime_selection_reference.py (lime 0.2.0.1 feature_selection with sklearn Ridge)",
        "n": n, "M": M,
        "Z": [[float(v) for v in r] for r in Z],
        "y": [float(v) for v in y],
        "w": [float(v) for v in w],
        "forward_min_gap": float(forward_margins(Z, y, w, M)),
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "explain", "lime-selection.json")
    with open(path + ".tmp", "w") as f:
        json.dump(out, f)
        f.write("\n")
    os.replace(path + ".tmp", path)
    for c in cases:
        print(c["method"], c["K"], c["selected"])
    print("forward selection: smallest R² gap to the runner-up", out["forward_min_gap"])


if __name__ == "__main__":
    main()
