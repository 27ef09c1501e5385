#!/usr/bin/python3
"""Read a cocotrain checkpoint (or any safetensors file) with only json + numpy.

    /usr/bin/python3 scripts/read_safetensors.py CHECKPOINT [--tensor NAME ...] [--full-metadata]

prints the metadata (step, epoch, config, classes, ...; long values cut unless
--full-metadata) and one line per tensor: name, dtype, shape, and for floats
min / max / mean; --tensor NAME prints that tensor's values.

From Python:

    from read_safetensors import load
    metadata, tensors = load("run/checkpoints/last.safetensors")
    centroids = tensors["head.centroids"]          # numpy float32, K x d
    # PyTorch: model.load_state_dict({k[len("backbone."):]: torch.from_numpy(v)
    #                                  for k, v in tensors.items() if k.startswith("backbone.")})

The layout (https://github.com/huggingface/safetensors): 8-byte little-endian
header length N, N bytes of JSON {"__metadata__": {str: str}, name: {"dtype",
"shape", "data_offsets": [begin, end]}}, then the raw little-endian data.
"""
import argparse
import json
import struct
import sys

import numpy as np

DTYPES = {"BOOL": "?", "U8": "u1", "I8": "i1", "I16": "<i2", "U16": "<u2", "F16": "<f2",
          "I32": "<i4", "U32": "<u4", "F32": "<f4", "F64": "<f8", "I64": "<i8", "U64": "<u8"}


def load(path):
    """Return (metadata dict, {name: numpy array}) of a safetensors file, in file order."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: {len(raw)} bytes, too short for a safetensors file")
    (n,) = struct.unpack("<Q", raw[:8])
    if 8 + n > len(raw):
        raise ValueError(f"{path}: header length {n} runs past the end of the {len(raw)}-byte file")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = memoryview(raw)[8 + n:]
    metadata = header.pop("__metadata__", {}) or {}
    tensors, end = {}, 0
    for name, e in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = e["data_offsets"]
        if begin != end or stop > len(data):
            raise ValueError(f"{path}: tensor {name}: data_offsets {e['data_offsets']} not contiguous or out of bounds")
        arr = np.frombuffer(data[begin:stop], dtype=DTYPES[e["dtype"]])
        tensors[name] = arr.reshape(e["shape"])
        end = stop
    if end != len(data):
        raise ValueError(f"{path}: {len(data) - end} bytes after the last tensor")
    return metadata, tensors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkpoint")
    ap.add_argument("--tensor", action="append", default=[], help="print this tensor's values")
    ap.add_argument("--full-metadata", action="store_true", help="print metadata values whole")
    args = ap.parse_args()
    metadata, tensors = load(args.checkpoint)
    print(f"{args.checkpoint}: {len(tensors)} tensors, "
          f"{sum(t.size for t in tensors.values())} elements, {len(metadata)} metadata keys")
    for k in sorted(metadata):
        v = metadata[k]
        if not args.full_metadata and (len(v) > 70 or "\n" in v):
            v = v.replace("\n", "\\n")[:67] + "..."
        print(f"  meta {k} = {v}")
    width = max((len(n) for n in tensors), default=0)
    for name, t in tensors.items():
        line = f"  {name:<{width}}  {t.dtype.str:<4} {list(t.shape)}"
        if t.dtype.kind == "f" and t.size:
            line += f"  min {t.min():.4g} max {t.max():.4g} mean {t.mean():.4g}"
        print(line)
    for name in args.tensor:
        if name not in tensors:
            sys.exit(f"no tensor {name!r}")
        print(f"{name} =\n{tensors[name]}")


if __name__ == "__main__":
    main()
