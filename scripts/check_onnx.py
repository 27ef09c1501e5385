#!/usr/bin/env python3
"""Checks an ONNX model exported by `cocotrain export --format onnx` with
the reference ONNX library (Debian python3-onnx):
onnx.checker.check_model(full_check=True) (the schema of every node, and
shape inference over the whole graph), then the interface insightface's
model zoo expects: one input "data" of shape [N, C, H, W] with a symbolic
batch dimension, C 1 or 3, and one output [N, D]; operator set 11 or later
of the default domain; no BatchNormalization left right after a Conv (they
are folded). Prints one JSON line; exits 1 on any failure. The line also
says what insightface's model zoo (python-package/insightface/model_zoo:
ModelRouter and ArcFaceONNX, 0.7) would make of the model: it routes a
square input of side >= 112 and a multiple of 16 to ArcFaceONNX, which
normalises outside the model with mean 127.5 and std 127.5 unless one of the
first 8 nodes is named like an MXNet Sub and Mul, and feeds RGB (3 channels).

    /usr/bin/python3 scripts/check_onnx.py model.onnx
"""
import json
import sys

import onnx


def dims(value_info):
    return [d.dim_param if d.HasField("dim_param") else d.dim_value
            for d in value_info.type.tensor_type.shape.dim]


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    g = model.graph
    inits = {t.name for t in g.initializer}
    inputs = [i for i in g.input if i.name not in inits]
    if len(inputs) != 1 or inputs[0].name != "data":
        raise ValueError(f"inputs {[i.name for i in inputs]}, want one named 'data'")
    shape = dims(inputs[0])
    if len(shape) != 4 or not isinstance(shape[0], str) or shape[1] not in (1, 3) or shape[2] <= 0 or shape[3] <= 0:
        raise ValueError(f"input shape {shape}, want [N, 1|3, H, W] with a symbolic N")
    if len(g.output) != 1 or len(dims(g.output[0])) != 2 or dims(g.output[0])[0] != shape[0]:
        raise ValueError(f"outputs {[(o.name, dims(o)) for o in g.output]}, want one [{shape[0]}, D]")
    opset = {o.domain: o.version for o in model.opset_import}
    if opset.get("", 0) < 11 or set(opset) - {"", "ai.onnx"}:
        raise ValueError(f"operator sets {opset}, want the default domain at 11 or later only")
    producer = {out: n for n in g.node for out in n.output}
    for n in g.node:
        if n.op_type == "BatchNormalization" and n.input[0] in producer and producer[n.input[0]].op_type == "Conv":
            raise ValueError(f"{n.name}: a batch norm right after Conv {producer[n.input[0]].name} was not folded")
    ops = sorted({n.op_type for n in g.node})
    side = shape[2]
    routed = shape[2] == shape[3] and side >= 112 and side % 16 == 0
    names = [n.name for n in g.node[:8]]
    in_model = any(n.startswith(("Sub", "_minus")) for n in names) and any(n.startswith(("Mul", "_mul")) for n in names)
    insightface = {"routed_to": "ArcFaceONNX" if routed else None,
                   "input_mean_std": [0.0, 1.0] if in_model else [127.5, 127.5],
                   "usable": routed and shape[1] == 3 and not in_model}
    return {"model": path, "checker": "onnx %s full_check" % onnx.__version__, "ir_version": model.ir_version,
            "opset": opset.get("", 0), "input": shape, "output": dims(g.output[0]), "nodes": len(g.node), "ops": ops,
            "insightface": insightface}


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        sys.exit(2)
    try:
        print(json.dumps(check(sys.argv[1])))
    except Exception as e:  # the checker's own exceptions and ours
        print(f"{sys.argv[1]}: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
