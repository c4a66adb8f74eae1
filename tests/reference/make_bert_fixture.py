#!/usr/bin/python3
"""Writes tests/data/model/bert-tiny.json: a tiny BertForSequenceClassification-
shaped model written in plain torch with Hugging Face's parameter names
(transformers is not packaged in Debian, so the modules are built by hand
with the same math as transformers' modeling_bert.py: BertEmbeddings with
word + position + token-type embeddings and LayerNorm, BertSelfAttention
with the additive padding mask, BertSelfOutput / BertOutput post-LN
residual blocks, erf GELU in BertIntermediate, BertPooler (tanh on the
[CLS] state), classifier), its inputs with padding, and the expected
logits, loss, parameter gradients and gradients w.r.t. the encoder input
(the embedding LayerNorm's output) that tests/test-model.c compares the C
engine with (engine/model, gb_model_list_tensors() names).

The reference runs in float64 on weights exactly representable in float32.
Deterministic: torch.manual_seed(4321).

Run:  /usr/bin/python3 tests/reference/make_bert_fixture.py
Needs Debian's python3-torch (/usr/bin/python3, not a pyenv one).  The test
suite never runs this.
"""
import json
import math
import os

import torch

torch.manual_seed(4321)

V, C, NH, L, FF, P, TV, K = 30, 8, 2, 2, 16, 12, 2, 3
EPS = 1e-12
S = 7
hs = C // NH

ids = [
    [2, 11, 17, 5, 3, 0, 0],
    [2, 29, 8, 8, 13, 21, 3],
    [2, 3, 0, 0, 0, 0, 0],
    [2, 7, 1, 3, 0, 0, 0],
]
mask = [[1 if t != 0 or s == 0 else 0 for s, t in enumerate(row)] for row in ids]
targets = [1, 0, 2, 1]
B = len(ids)

shapes = [("bert.embeddings.word_embeddings.weight", (V, C)),
          ("bert.embeddings.position_embeddings.weight", (P, C)),
          ("bert.embeddings.token_type_embeddings.weight", (TV, C)),
          ("bert.embeddings.LayerNorm.weight", (C,)),
          ("bert.embeddings.LayerNorm.bias", (C,))]
for l in range(L):
    p = f"bert.encoder.layer.{l}."
    for n in ("query", "key", "value"):
        shapes += [(p + f"attention.self.{n}.weight", (C, C)), (p + f"attention.self.{n}.bias", (C,))]
    shapes += [(p + "attention.output.dense.weight", (C, C)), (p + "attention.output.dense.bias", (C,)),
               (p + "attention.output.LayerNorm.weight", (C,)), (p + "attention.output.LayerNorm.bias", (C,)),
               (p + "intermediate.dense.weight", (FF, C)), (p + "intermediate.dense.bias", (FF,)),
               (p + "output.dense.weight", (C, FF)), (p + "output.dense.bias", (C,)),
               (p + "output.LayerNorm.weight", (C,)), (p + "output.LayerNorm.bias", (C,))]
shapes += [("bert.pooler.dense.weight", (C, C)), ("bert.pooler.dense.bias", (C,)),
           ("classifier.weight", (K, C)), ("classifier.bias", (K,))]


def init(name, shape):
    t = torch.randn(*shape, dtype=torch.float32)
    if "LayerNorm.weight" in name:
        t = 1.0 + 0.2 * t
    elif "embeddings" in name:
        t = 0.5 * t
    elif name.endswith("weight"):
        t = t / math.sqrt(shape[1])
    else:
        t = 0.2 * t
    return t.double().requires_grad_(True)


W = {n: init(n, s) for n, s in shapes}


def layer_norm(x, w, b):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + EPS) * w + b


def dense(x, name):
    return x @ W[name + ".weight"].T + W[name + ".bias"]


def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


ids_t = torch.tensor(ids)
mask_t = torch.tensor(mask, dtype=torch.float64)
pos = torch.arange(S)
types = torch.zeros_like(ids_t)
e = (W["bert.embeddings.word_embeddings.weight"][ids_t]
     + W["bert.embeddings.position_embeddings.weight"][pos][None]
     + W["bert.embeddings.token_type_embeddings.weight"][types])
x = layer_norm(e, W["bert.embeddings.LayerNorm.weight"], W["bert.embeddings.LayerNorm.bias"])
x.retain_grad()
emb = x
ext = (1.0 - mask_t)[:, None, None, :] * torch.finfo(torch.float64).min  # HF extended mask
for l in range(L):
    p = f"bert.encoder.layer.{l}."

    def heads(t):
        return t.view(B, S, NH, hs).permute(0, 2, 1, 3)
    q = heads(dense(x, p + "attention.self.query"))
    k = heads(dense(x, p + "attention.self.key"))
    v = heads(dense(x, p + "attention.self.value"))
    scores = q @ k.transpose(-1, -2) / math.sqrt(hs) + ext
    probs = torch.softmax(scores, dim=-1)
    ctx = (probs @ v).permute(0, 2, 1, 3).reshape(B, S, C)
    h = layer_norm(dense(ctx, p + "attention.output.dense") + x,
                   W[p + "attention.output.LayerNorm.weight"], W[p + "attention.output.LayerNorm.bias"])
    inter = gelu(dense(h, p + "intermediate.dense"))
    x = layer_norm(dense(inter, p + "output.dense") + h,
                   W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"])
pooled = torch.tanh(dense(x[:, 0], "bert.pooler.dense"))
logits = dense(pooled, "classifier")
loss = torch.nn.functional.cross_entropy(logits, torch.tensor(targets))
loss.backward()


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


out = {
    "description": "tiny BERT classifier; see tests/reference/make_bert_fixture.py",
    "torch_version": torch.__version__,
    "config": {"vocab_size": V, "d_model": C, "n_heads": NH, "n_layers": L, "d_ff": FF,
               "max_position": P, "type_vocab_size": TV, "n_classes": K,
               "layer_norm_eps": EPS, "max_length": S, "pooler": True},
    "B": B, "ids": ids, "mask": mask, "targets": targets,
    "tensors": [{"name": n, "shape": list(s), "values": flat(W[n]), "grad": flat(W[n].grad)}
                for n, s in shapes],
    "embeddings": flat(emb),
    "embedding_grads": flat(emb.grad),
    "logits": flat(logits),
    "loss": float(loss),
}
here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "..", "data", "model", "bert-tiny.json")
with open(path, "w") as fh:
    json.dump(out, fh, separators=(",", ":"))
    fh.write("\n")
print("wrote", os.path.normpath(path), "loss", float(loss))
