#!/usr/bin/python3
"""Writes tests/data/model/transformer-tiny.json: a tiny tabular transformer's
weights, inputs and the PyTorch forward/backward results that
tests/test-model.c compares the C engine (engine/model) with.

Architecture (must match engine/model/gb-model-private.h, GbModelParams):
  token 0      = cls
  token j+1    = categorical j: table[offset_j + code]  (code -1 -> last row)
                 numeric j:     z * num_w[s] + num_b[s], z = (x - mean) / sd
                                missing -> num_miss[s]
  encoder      = L x torch.nn.TransformerEncoderLayer(post-LN, GELU (erf),
                 dropout 0, layer_norm_eps 1e-5, batch_first)
  head         = Linear(C, K) on the final [CLS] state
  loss         = mean softmax cross-entropy

The reference runs in float64 on weights that are exactly representable in
float32 (the C side is float32).  Deterministic: torch.manual_seed(1234).

Run:  /usr/bin/python3 tests/reference/make_transformer_fixture.py
Needs Debian's python3-torch (1.13) — /usr/bin/python3, not a pyenv one.  The test suite never runs this.
"""
import json
import math
import os

import torch
import torch.nn as nn

torch.manual_seed(1234)

C, NH, L, FF, K = 8, 2, 2, 16, 3
# features: numeric, categorical (3 levels), numeric  -> F = 3, T = 4
features = [
    {"name": "num_a", "categorical": False, "n_levels": 0, "mean": 1.5, "sd": 2.0},
    {"name": "cat_b", "categorical": True, "n_levels": 3, "mean": 0.0, "sd": 1.0},
    {"name": "num_c", "categorical": False, "n_levels": 0, "mean": -0.25, "sd": 0.5},
]
F = len(features)
T = F + 1
NN = sum(1 for f in features if not f["categorical"])
V = sum(f["n_levels"] + 1 for f in features if f["categorical"])

# inputs: B = 5 rows; None = missing numeric, -1 = missing level
x = [
    [0.5, None, 0.1],
    [3.0, None, -1.0],
    [None, None, 0.0],
    [-2.0, None, None],
    [1.5, None, 0.75],
]
codes = [
    [-1, 0, -1],
    [-1, 2, -1],
    [-1, 1, -1],
    [-1, -1, -1],
    [-1, 0, -1],
]
targets = [0, 2, 1, 2, 0]
B = len(x)

sizes = [
    ("cls", (C,)), ("num_w", (NN, C)), ("num_b", (NN, C)), ("num_miss", (NN, C)),
    ("table", (V, C)),
    # BERT embeddings: empty in a tabular-only model
    ("wte", (0, C)), ("wpe", (0, C)), ("wtt", (0, C)), ("embln_w", (0,)), ("embln_b", (0,)),
    ("qkvw", (L, 3 * C, C)), ("qkvb", (L, 3 * C)),
    ("attprojw", (L, C, C)), ("attprojb", (L, C)),
    ("ln1w", (L, C)), ("ln1b", (L, C)),
    ("fcw", (L, FF, C)), ("fcb", (L, FF)),
    ("fcprojw", (L, C, FF)), ("fcprojb", (L, C)),
    ("ln2w", (L, C)), ("ln2b", (L, C)),
    ("poolw", (0, C)), ("poolb", (0,)),  # no pooler
    ("headw", (K, C)), ("headb", (K,)),
]


def init(name, shape):
    t = torch.randn(*shape, dtype=torch.float32)
    if name in ("ln1w", "ln2w"):
        t = 1.0 + 0.2 * t
    elif name in ("qkvw", "attprojw", "fcw", "headw"):
        t = t / math.sqrt(C)
    elif name == "fcprojw":
        t = t / math.sqrt(FF)
    else:
        t = 0.5 * t
    return t.double().requires_grad_(True)


P = {name: init(name, shape) for name, shape in sizes}

layers = []
for l in range(L):
    layer = nn.TransformerEncoderLayer(C, NH, FF, dropout=0.0, activation="gelu",
                                       layer_norm_eps=1e-5, batch_first=True,
                                       norm_first=False).double()
    layer.train()  # grads enabled + params requiring grad: no fused fast path
    layers.append(layer)


def load_layer_weights():
    with torch.no_grad():
        for l, layer in enumerate(layers):
            layer.self_attn.in_proj_weight.copy_(P["qkvw"][l])
            layer.self_attn.in_proj_bias.copy_(P["qkvb"][l])
            layer.self_attn.out_proj.weight.copy_(P["attprojw"][l])
            layer.self_attn.out_proj.bias.copy_(P["attprojb"][l])
            layer.norm1.weight.copy_(P["ln1w"][l])
            layer.norm1.bias.copy_(P["ln1b"][l])
            layer.linear1.weight.copy_(P["fcw"][l])
            layer.linear1.bias.copy_(P["fcb"][l])
            layer.linear2.weight.copy_(P["fcprojw"][l])
            layer.linear2.bias.copy_(P["fcprojb"][l])
            layer.norm2.weight.copy_(P["ln2w"][l])
            layer.norm2.bias.copy_(P["ln2b"][l])


load_layer_weights()


def layer_grads(l):
    """Gradients of layer l's nn parameters, in GbModelParams names."""
    layer = layers[l]
    return {
        "qkvw": layer.self_attn.in_proj_weight.grad,
        "qkvb": layer.self_attn.in_proj_bias.grad,
        "attprojw": layer.self_attn.out_proj.weight.grad,
        "attprojb": layer.self_attn.out_proj.bias.grad,
        "ln1w": layer.norm1.weight.grad, "ln1b": layer.norm1.bias.grad,
        "fcw": layer.linear1.weight.grad, "fcb": layer.linear1.bias.grad,
        "fcprojw": layer.linear2.weight.grad, "fcprojb": layer.linear2.bias.grad,
        "ln2w": layer.norm2.weight.grad, "ln2b": layer.norm2.bias.grad,
    }


# tokenizer
rows = []
for b in range(B):
    toks = [P["cls"]]
    slot, offset = 0, 0
    for j, f in enumerate(features):
        if f["categorical"]:
            c = codes[b][j]
            r = offset + (c if c >= 0 else f["n_levels"])
            toks.append(P["table"][r])
            offset += f["n_levels"] + 1
        else:
            v = x[b][j]
            if v is None:
                toks.append(P["num_miss"][slot])
            else:
                z = (v - f["mean"]) / f["sd"]
                toks.append(z * P["num_w"][slot] + P["num_b"][slot])
            slot += 1
    rows.append(torch.stack(toks))
emb = torch.stack(rows)          # (B, T, C)
emb.retain_grad()

h = emb
for layer in layers:
    h = layer(h)
logits = h[:, 0, :] @ P["headw"].T + P["headb"]
probs = torch.softmax(logits, dim=-1)
loss = nn.functional.cross_entropy(logits, torch.tensor(targets))
loss.backward()

grads = {}
for name, _ in sizes:
    if P[name].grad is not None:
        grads[name] = P[name].grad.clone()
for name in ("qkvw", "qkvb", "attprojw", "attprojb", "ln1w", "ln1b", "fcw", "fcb",
             "fcprojw", "fcprojb", "ln2w", "ln2b"):
    grads[name] = torch.stack([layer_grads(l)[name] for l in range(L)])


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


params_flat, grads_flat = [], []
for name, shape in sizes:
    params_flat += flat(P[name])
    g = grads.get(name)
    grads_flat += flat(g) if g is not None else [0.0] * int(torch.tensor(shape).prod())

out = {
    "description": "tiny tabular transformer; see tests/reference/make_transformer_fixture.py",
    "torch_version": torch.__version__,
    "config": {"n_layers": L, "d_model": C, "n_heads": NH, "d_ff": FF, "n_classes": K},
    "features": features,
    "param_names": [n for n, _ in sizes],
    "B": B,
    "x": x,
    "codes": codes,
    "targets": targets,
    "params": params_flat,
    "embeddings": flat(emb),
    "logits": flat(logits),
    "probs": flat(probs),
    "loss": float(loss),
    "embedding_grads": flat(emb.grad),
    "param_grads": grads_flat,
}

here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "..", "data", "model", "transformer-tiny.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as fh:
    json.dump(out, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
print("wrote", os.path.normpath(path), "loss", float(loss))
