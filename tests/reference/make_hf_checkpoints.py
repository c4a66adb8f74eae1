#!/usr/bin/python3
"""Writes tests/data/hf/: tiny Hugging Face-shaped checkpoints that
tests/test-hf-import.c imports (engine/model/gb-hf-import.c).

  tiny-bert/        BertForSequenceClassification names ("bert.embeddings...",
                    "bert.encoder.layer.N...", "bert.pooler...", "classifier..."),
                    plus the int64 buffer "bert.embeddings.position_ids" that older
                    checkpoints carry; config.json, vocab.txt, tokenizer_config.json
  tiny-distilbert/  DistilBertForSequenceClassification names ("distilbert.embeddings...",
                    "distilbert.transformer.layer.N.attention.q_lin...", "pre_classifier",
                    "classifier"); config.json in DistilBERT's keys (dim, n_layers, ...)
  pickle-only/      config.json + a real torch.save() pytorch_model.bin, to be refused

Each model folder also holds expected.json: token ids, attention masks and the logits
of a plain-torch forward pass that follows transformers' modeling_bert.py /
modeling_distilbert.py (eval mode: no dropout; GELU erf form; BERT pooler tanh,
DistilBERT pre_classifier ReLU; masked positions get the dtype's minimum before
the softmax), computed in float64 from the float32 weights.

transformers and safetensors are not packaged in Debian 12, so the architecture is
written out here and the files go through the small spec-following safetensors
writer of make_safetensors_fixtures.py.  Random weights, torch.manual_seed(7),
num_labels 2.

Run:  /usr/bin/python3 tests/reference/make_hf_checkpoints.py
"""
import json
import math
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_safetensors_fixtures import serialize  # noqa: E402

OUT = os.path.join(HERE, "..", "data", "hf")

H, L, NH, FF, P, TV = 16, 2, 4, 32, 32, 2
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
         "the", "a", "movie", "film", "plot", "actor", "was", "is", "not", "very",
         "good", "bad", "great", "terrible", "fun", "boring", "i", "liked", "hated",
         "it", "and", "but", "!", ",", ".", "##s", "##ed", "##ing", "##ly", "love",
         "hate", "this", "story", "ending", "music"]
V = len(VOCAB)
K = 2
ID2LABEL = {"0": "NEGATIVE", "1": "POSITIVE"}

# three rows of 8 ids: [CLS] ... [SEP] [PAD]...
IDS = [
    [2, 21, 22, 36, 7, 27, 3, 0],
    [2, 5, 9, 11, 14, 20, 29, 3],
    [2, 35, 24, 3, 0, 0, 0, 0],
]
MASK = [[1 if t != 0 else 0 for t in row] for row in IDS]


def rnd(*shape, scale=0.2):
    return (torch.randn(*shape) * scale).float()


def ln_w():
    return (1.0 + 0.1 * torch.randn(H)).float()


def layer_norm(x, w, b, eps):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), w, b, eps)


def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def attention(x, mask, wq, bq, wk, bk, wv, bv):
    B, T, _ = x.shape
    dh = H // NH

    def split(t):
        return t.view(B, T, NH, dh).transpose(1, 2)

    q = split(x @ wq.T + bq)
    k = split(x @ wk.T + bk)
    v = split(x @ wv.T + bv)
    scores = q @ k.transpose(-1, -2) / math.sqrt(dh)
    m = torch.tensor(mask, dtype=torch.bool)[:, None, None, :]
    scores = scores.masked_fill(~m, torch.finfo(scores.dtype).min)
    att = torch.softmax(scores, dim=-1)
    return (att @ v).transpose(1, 2).reshape(B, T, H)


def bert_state():
    sd = {}
    sd["bert.embeddings.word_embeddings.weight"] = rnd(V, H)
    sd["bert.embeddings.position_embeddings.weight"] = rnd(P, H)
    sd["bert.embeddings.token_type_embeddings.weight"] = rnd(TV, H)
    sd["bert.embeddings.LayerNorm.weight"] = ln_w()
    sd["bert.embeddings.LayerNorm.bias"] = rnd(H, scale=0.05)
    sd["bert.embeddings.position_ids"] = torch.arange(P, dtype=torch.int64)[None, :]
    for l in range(L):
        p = f"bert.encoder.layer.{l}."
        for n in ("query", "key", "value"):
            sd[p + f"attention.self.{n}.weight"] = rnd(H, H)
            sd[p + f"attention.self.{n}.bias"] = rnd(H, scale=0.05)
        sd[p + "attention.output.dense.weight"] = rnd(H, H)
        sd[p + "attention.output.dense.bias"] = rnd(H, scale=0.05)
        sd[p + "attention.output.LayerNorm.weight"] = ln_w()
        sd[p + "attention.output.LayerNorm.bias"] = rnd(H, scale=0.05)
        sd[p + "intermediate.dense.weight"] = rnd(FF, H)
        sd[p + "intermediate.dense.bias"] = rnd(FF, scale=0.05)
        sd[p + "output.dense.weight"] = rnd(H, FF)
        sd[p + "output.dense.bias"] = rnd(H, scale=0.05)
        sd[p + "output.LayerNorm.weight"] = ln_w()
        sd[p + "output.LayerNorm.bias"] = rnd(H, scale=0.05)
    sd["bert.pooler.dense.weight"] = rnd(H, H)
    sd["bert.pooler.dense.bias"] = rnd(H, scale=0.05)
    sd["classifier.weight"] = rnd(K, H)
    sd["classifier.bias"] = rnd(K, scale=0.05)
    return sd


def bert_forward(sd, eps=1e-12):
    d = {k: v.double() for k, v in sd.items() if v.is_floating_point()}
    ids = torch.tensor(IDS)
    B, T = ids.shape
    x = (d["bert.embeddings.word_embeddings.weight"][ids]
         + d["bert.embeddings.position_embeddings.weight"][torch.arange(T)][None]
         + d["bert.embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)])
    x = layer_norm(x, d["bert.embeddings.LayerNorm.weight"], d["bert.embeddings.LayerNorm.bias"], eps)
    for l in range(L):
        p = f"bert.encoder.layer.{l}."
        a = attention(x, MASK, *(d[p + f"attention.self.{n}.{w}"]
                                 for n in ("query", "key", "value") for w in ("weight", "bias")))
        a = a @ d[p + "attention.output.dense.weight"].T + d[p + "attention.output.dense.bias"]
        x = layer_norm(a + x, d[p + "attention.output.LayerNorm.weight"],
                       d[p + "attention.output.LayerNorm.bias"], eps)
        h = gelu(x @ d[p + "intermediate.dense.weight"].T + d[p + "intermediate.dense.bias"])
        h = h @ d[p + "output.dense.weight"].T + d[p + "output.dense.bias"]
        x = layer_norm(h + x, d[p + "output.LayerNorm.weight"], d[p + "output.LayerNorm.bias"], eps)
    pooled = torch.tanh(x[:, 0] @ d["bert.pooler.dense.weight"].T + d["bert.pooler.dense.bias"])
    return pooled @ d["classifier.weight"].T + d["classifier.bias"]


def distil_state():
    sd = {}
    sd["distilbert.embeddings.word_embeddings.weight"] = rnd(V, H)
    sd["distilbert.embeddings.position_embeddings.weight"] = rnd(P, H)
    sd["distilbert.embeddings.LayerNorm.weight"] = ln_w()
    sd["distilbert.embeddings.LayerNorm.bias"] = rnd(H, scale=0.05)
    for l in range(L):
        p = f"distilbert.transformer.layer.{l}."
        for n in ("q_lin", "k_lin", "v_lin", "out_lin"):
            sd[p + f"attention.{n}.weight"] = rnd(H, H)
            sd[p + f"attention.{n}.bias"] = rnd(H, scale=0.05)
        sd[p + "sa_layer_norm.weight"] = ln_w()
        sd[p + "sa_layer_norm.bias"] = rnd(H, scale=0.05)
        sd[p + "ffn.lin1.weight"] = rnd(FF, H)
        sd[p + "ffn.lin1.bias"] = rnd(FF, scale=0.05)
        sd[p + "ffn.lin2.weight"] = rnd(H, FF)
        sd[p + "ffn.lin2.bias"] = rnd(H, scale=0.05)
        sd[p + "output_layer_norm.weight"] = ln_w()
        sd[p + "output_layer_norm.bias"] = rnd(H, scale=0.05)
    sd["pre_classifier.weight"] = rnd(H, H)
    sd["pre_classifier.bias"] = rnd(H, scale=0.05)
    sd["classifier.weight"] = rnd(K, H)
    sd["classifier.bias"] = rnd(K, scale=0.05)
    return sd


def distil_forward(sd, eps=1e-12):
    d = {k: v.double() for k, v in sd.items()}
    ids = torch.tensor(IDS)
    B, T = ids.shape
    x = (d["distilbert.embeddings.word_embeddings.weight"][ids]
         + d["distilbert.embeddings.position_embeddings.weight"][torch.arange(T)][None])
    x = layer_norm(x, d["distilbert.embeddings.LayerNorm.weight"],
                   d["distilbert.embeddings.LayerNorm.bias"], eps)
    for l in range(L):
        p = f"distilbert.transformer.layer.{l}."
        a = attention(x, MASK, *(d[p + f"attention.{n}.{w}"]
                                 for n in ("q_lin", "k_lin", "v_lin") for w in ("weight", "bias")))
        a = a @ d[p + "attention.out_lin.weight"].T + d[p + "attention.out_lin.bias"]
        x = layer_norm(a + x, d[p + "sa_layer_norm.weight"], d[p + "sa_layer_norm.bias"], eps)
        h = gelu(x @ d[p + "ffn.lin1.weight"].T + d[p + "ffn.lin1.bias"])
        h = h @ d[p + "ffn.lin2.weight"].T + d[p + "ffn.lin2.bias"]
        x = layer_norm(h + x, d[p + "output_layer_norm.weight"], d[p + "output_layer_norm.bias"], eps)
    pooled = torch.relu(x[:, 0] @ d["pre_classifier.weight"].T + d["pre_classifier.bias"])
    return pooled @ d["classifier.weight"].T + d["classifier.bias"]


def write_folder(name, config, sd, logits):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    with open(os.path.join(folder, "vocab.txt"), "w") as f:
        f.write("\n".join(VOCAB) + "\n")
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "model_max_length": P, "strip_accents": None,
                   "tokenize_chinese_chars": True, "tokenizer_class": "BertTokenizer"}, f, indent=2)
        f.write("\n")
    with open(os.path.join(folder, "model.safetensors"), "wb") as f:
        f.write(serialize(sd, {"format": "pt"}))
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump({"ids": IDS, "mask": MASK, "logits": logits.tolist()}, f, indent=1)
        f.write("\n")


def main():
    torch.manual_seed(7)
    sd = bert_state()
    write_folder("tiny-bert", {
        "architectures": ["BertForSequenceClassification"], "model_type": "bert",
        "hidden_size": H, "num_hidden_layers": L, "num_attention_heads": NH,
        "intermediate_size": FF, "max_position_embeddings": P, "type_vocab_size": TV,
        "vocab_size": V, "layer_norm_eps": 1e-12, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "position_embedding_type": "absolute", "pad_token_id": 0,
        "id2label": ID2LABEL, "label2id": {v: int(k) for k, v in ID2LABEL.items()},
    }, sd, bert_forward(sd))

    dsd = distil_state()
    write_folder("tiny-distilbert", {
        "architectures": ["DistilBertForSequenceClassification"], "model_type": "distilbert",
        "dim": H, "n_layers": L, "n_heads": NH, "hidden_dim": FF,
        "max_position_embeddings": P, "vocab_size": V, "activation": "gelu",
        "dropout": 0.1, "attention_dropout": 0.1, "seq_classif_dropout": 0.2,
        "sinusoidal_pos_embds": False, "pad_token_id": 0,
        "id2label": ID2LABEL, "label2id": {v: int(k) for k, v in ID2LABEL.items()},
    }, dsd, distil_forward(dsd))

    folder = os.path.join(OUT, "pickle-only")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(OUT, "tiny-bert", "config.json")) as f:
        cfg = f.read()
    with open(os.path.join(folder, "config.json"), "w") as f:
        f.write(cfg)
    torch.save({"classifier.weight": torch.zeros(K, H), "classifier.bias": torch.zeros(K)},
               os.path.join(folder, "pytorch_model.bin"))


if __name__ == "__main__":
    main()
