#!/usr/bin/python3
"""Write internal/safetensors/testdata/reference.safetensors by hand from the
safetensors specification, with only json + numpy (independent of the Go
encoder): the reference layout (tensors sorted by descending dtype then name,
header padded with spaces to 8 bytes), Python's own JSON spelling, metadata
last. The Go test decodes it and checks every value.

Usage: /usr/bin/python3 scripts/make_safetensors_fixture.py [OUT]
"""
import json
import struct
import sys

import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else "internal/safetensors/testdata/reference.safetensors"

# Reference dtype enum order; widest types are written first.
RANK = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
        "I32", "U32", "F32", "F64", "I64", "U64"]
NP = {"F32": "<f4", "I64": "<i8", "U8": "u1", "F16": "<f2", "F64": "<f8", "I32": "<i4"}

tensors = {
    "backbone.conv1.weight": ("F32", np.arange(2 * 1 * 3 * 3, dtype="<f4").reshape(2, 1, 3, 3) / 8 - 1),
    "backbone.bn1.running_var": ("F32", np.array([0.5, 2.0], dtype="<f4")),
    "head.centroids": ("F32", np.array([[1e-38, -3.5], [np.float32(np.pi), 65504.0]], dtype="<f4")),
    "optim.step": ("I64", np.array(-1234567890123, dtype="<i8")),  # a scalar: shape []
    "labels": ("I64", np.array([0, 1, 2**40], dtype="<i8")),
    "mask": ("U8", np.array([[0, 255, 7]], dtype="u1")),
    "half": ("F16", np.array([1.0, -2.0], dtype="<f2")),
    "empty": ("F32", np.zeros((0, 3), dtype="<f4")),
}
metadata = {"step": "42", "classes": json.dumps(["alice", "bob"]), "note": "héllo \"quoted\""}

order = sorted(tensors, key=lambda n: (-RANK.index(tensors[n][0]), n))
header, data, off = {}, b"", 0
for name in order:
    dtype, arr = tensors[name]
    raw = arr.astype(NP[dtype]).tobytes()
    header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [off, off + len(raw)]}
    data += raw
    off += len(raw)
header["__metadata__"] = metadata
hb = json.dumps(header).encode("utf-8")
hb += b" " * ((8 - len(hb) % 8) % 8)
with open(OUT, "wb") as f:
    f.write(struct.pack("<Q", len(hb)) + hb + data)
print(f"wrote {OUT}: {8 + len(hb) + len(data)} bytes, {len(tensors)} tensors")
