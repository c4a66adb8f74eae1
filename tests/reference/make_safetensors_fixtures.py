#!/usr/bin/python3
"""Writes tests/data/safetensors/: safetensors files that tests/test-safetensors.c
reads and compares the C writer (engine/model/gb-safetensors.c) with, and a
corpus of broken files, each with the error it must give.

Debian does not package the `safetensors` Python module, so this script carries
its own small writer, following the published format
(https://huggingface.co/docs/safetensors/index) and the reference implementation
(huggingface/safetensors, safetensors/src/tensor.rs, `prepare` and `serialize`):

  * 8 bytes: little-endian u64 N, the header length;
  * N bytes: compact JSON (serde_json: no spaces, UTF-8 not escaped),
    "__metadata__" first, then the tensors sorted by dtype descending in the
    reference's Dtype order (BOOL < U8 < I8 < F8_E5M2 < F8_E4M3 < I16 < U16 <
    F16 < BF16 < I32 < U32 < F32 < F64 < I64 < U64), then by name, each as
    {"dtype","shape","data_offsets"}; padded with spaces to a multiple of 8;
  * the tensors' bytes, contiguous, in the same order.

The tensor bytes come from torch (Debian's python3-torch): `tensor.numpy().tobytes()`
(bfloat16 through a view as int16), and the expected float32 values are torch's own
conversions (`tensor.to(torch.float32)`), written as uint32 bit patterns so that
the test compares bitwise.

Run:  /usr/bin/python3 tests/reference/make_safetensors_fixtures.py
(/usr/bin/python3, not a pyenv shim.)  The test suite never runs this.
"""
import json
import os
import struct

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "safetensors")

DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
               "I32", "U32", "F32", "F64", "I64", "U64"]
TORCH_DTYPE = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
               torch.float64: "F64", torch.int64: "I64", torch.int32: "I32",
               torch.uint8: "U8", torch.bool: "BOOL"}


def tensor_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def serialize(tensors, metadata=None):
    """tensors: dict name -> torch tensor.  Returns the file's bytes."""
    items = [(name, TORCH_DTYPE[t.dtype], list(t.shape), tensor_bytes(t))
             for name, t in tensors.items()]
    items.sort(key=lambda it: (-DTYPE_ORDER.index(it[1]), it[0]))
    header = {}
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items()))
    offset = 0
    for name, dtype, shape, data in items:
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    hj = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    hj += b" " * ((8 - len(hj) % 8) % 8)
    return struct.pack("<Q", len(hj)) + hj + b"".join(it[3] for it in items)


def raw_file(header_obj_or_text, data, pad=True):
    """A file from an explicit header (dict or str) and data bytes (for broken files)."""
    if isinstance(header_obj_or_text, str):
        hj = header_obj_or_text.encode("utf-8")
    elif isinstance(header_obj_or_text, bytes):
        hj = header_obj_or_text
    else:
        hj = json.dumps(header_obj_or_text, separators=(",", ":")).encode("utf-8")
    if pad:
        hj += b" " * ((8 - len(hj) % 8) % 8)
    return struct.pack("<Q", len(hj)) + hj + data


def bits32(t):
    return [int(v) for v in t.to(torch.float32).contiguous().view(torch.int32).flatten().tolist()]


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20240611)
    tensors = {
        # names deliberately out of order; several dtypes to exercise the sort
        "encoder.layer.0.weight": torch.randn(3, 4, dtype=torch.float32),
        "a.bias": torch.randn(4, dtype=torch.float32),
        "half.values": torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, 6.1035e-05, 5.96e-08,
                                     float("inf"), 0.333251953125, -1e-7], dtype=torch.float16),
        "bf16.values": (torch.randn(2, 3) * 100).to(torch.bfloat16),
        "double.values": torch.tensor([3.141592653589793, -1e-300, 1e10, 0.1], dtype=torch.float64),
        "scalar": torch.tensor(1.25, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
        "ids": torch.tensor([7, -3, 1 << 40], dtype=torch.int64),
        "ünïcode.name": torch.tensor([[1.0, 2.0]], dtype=torch.float32),
    }
    metadata = {"format": "pt", "producer": "make_safetensors_fixtures.py"}
    blob = serialize(tensors, metadata)
    with open(os.path.join(OUT, "reference.safetensors"), "wb") as f:
        f.write(blob)

    expected = {"file_size": len(blob),
                "header_length": struct.unpack("<Q", blob[:8])[0],
                "order": [], "metadata": metadata, "tensors": {}}
    items = sorted(((n, TORCH_DTYPE[t.dtype]) for n, t in tensors.items()),
                   key=lambda it: (-DTYPE_ORDER.index(it[1]), it[0]))
    expected["order"] = [n for n, _ in items]
    for name, t in tensors.items():
        entry = {"dtype": TORCH_DTYPE[t.dtype], "shape": list(t.shape)}
        if t.is_floating_point():
            entry["f32_bits"] = bits32(t)
        expected["tensors"][name] = entry
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")

    # ---- broken corpus: file name -> the phrase its error message must contain
    good = serialize({"w": torch.ones(2, 3), "b": torch.zeros(3)}, {"format": "pt"})
    hlen = struct.unpack("<Q", good[:8])[0]
    data = good[8 + hlen:]  # b (12 bytes) then w (24 bytes)
    broken = {}

    def put(name, blob, phrase):
        with open(os.path.join(OUT, "broken", name), "wb") as f:
            f.write(blob)
        broken[name] = phrase

    os.makedirs(os.path.join(OUT, "broken"), exist_ok=True)
    put("empty.safetensors", b"", "shorter than the 8-byte header length")
    put("truncated-4.safetensors", good[:4], "shorter than the 8-byte header length")
    put("truncated-header.safetensors", good[:8 + hlen // 2], "runs past the end of the file")
    put("truncated-data.safetensors", good[:len(good) - 5],
        "tensor “w” (F32 [2, 3]): data_offsets [12, 36] run past the end of the data (31 bytes)")
    put("huge-header-length.safetensors", struct.pack("<Q", 1 << 40) + b"{}",
        "exceeds the format's limit")
    put("not-json-object.safetensors", raw_file("[1, 2, 3]", b""), "does not start with “{”")
    put("bad-json.safetensors",
        raw_file('{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]', b"\0" * 24),
        "not valid JSON")
    put("bad-utf8.safetensors", raw_file(b'{"w\xff":{"dtype":"F32"}}', b""), "not valid UTF-8")
    put("unknown-dtype.safetensors",
        raw_file({"w": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 8),
        "tensor “w”: unknown dtype “Q4”")
    put("missing-shape.safetensors",
        raw_file({"w": {"dtype": "F32", "data_offsets": [0, 8]}}, b"\0" * 8),
        "tensor “w”: the header entry lacks “shape”")
    put("negative-dim.safetensors",
        raw_file({"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}, b"\0" * 8),
        "tensor “w”: shape entry 0 is not a non-negative integer")
    put("wrong-size.safetensors",
        raw_file({"w": {"dtype": "F32", "shape": [2, 4], "data_offsets": [0, 24]}}, b"\0" * 24),
        "tensor “w”: shape [2, 4] of F32 needs 32 bytes but data_offsets [0, 24] span 24 bytes")
    put("offsets-reversed.safetensors",
        raw_file({"w": {"dtype": "F32", "shape": [0], "data_offsets": [8, 0]}}, b"\0" * 8),
        "tensor “w”: data_offsets [8, 0] end before they begin")
    put("overlap.safetensors",
        raw_file({"b": {"dtype": "F32", "shape": [3], "data_offsets": [0, 12]},
                  "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [8, 32]}}, data[:32]),
        "tensor “w” (data_offsets [8, 32]) overlaps tensor “b”, which ends at 12")
    put("gap.safetensors",
        raw_file({"b": {"dtype": "F32", "shape": [3], "data_offsets": [0, 12]},
                  "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [16, 40]}},
                 data + b"\0" * 4),
        "tensor “w” begins at byte 16 but the previous tensor “b” ends at 12")
    put("trailing-bytes.safetensors", good + b"\0" * 8,
        "the tensors cover 36 bytes of data but the file holds 44")
    put("metadata-not-string.safetensors",
        raw_file({"__metadata__": {"epochs": 3}}, b""), "“__metadata__” entry “epochs” is not a string")
    with open(os.path.join(OUT, "broken", "expected.json"), "w") as f:
        json.dump(broken, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
