#!/usr/bin/python3
"""Writes tests/data/fairness/cli.csv, the small synthetic table the command
line test (tests/test-fairness-cli.c) audits: 360 rows, two protected
attributes (sex F/M, race A/B/C with C deliberately small), two numeric
features, an existing score column, an existing decision column whose
"selected" values are approve and yes, and the 0/1 label.  Python's own
random module, seed 6; no third-party package.  The test recomputes every
figure it checks from this file, so the generator only has to be
deterministic."""
import math
import os
import random

rng = random.Random(6)
rows = []
for i in range(360):
    sex = "F" if rng.random() < 0.45 else "M"
    u = rng.random()
    race = "A" if u < 0.55 else ("B" if u < 0.9 else "C")
    x1 = round(rng.gauss(0.0, 1.0) + (0.4 if sex == "M" else 0.0), 3)
    x2 = round(rng.gauss(0.0, 1.0) + (0.3 if race == "A" else 0.0), 3)
    z = 0.9 * x1 + 0.6 * x2 - 0.2 + rng.gauss(0.0, 0.7)
    label = 1 if z > 0 else 0
    score = round(1.0 / (1.0 + math.exp(-(0.8 * x1 + 0.5 * x2 + 0.3 * (sex == "M")))), 4)
    decision = "deny" if score < 0.5 else ("approve" if i % 3 else "yes")
    rows.append((sex, race, x1, x2, score, decision, label))

out = os.path.join(os.path.dirname(__file__), "..", "data", "fairness", "cli.csv")
with open(out, "w", encoding="utf-8", newline="\n") as f:
    f.write("sex,race,x1,x2,score,decision,label\n")
    for r in rows:
        f.write("%s,%s,%s,%s,%s,%s,%d\n" % r)
print(out)
