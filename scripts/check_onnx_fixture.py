#!/usr/bin/env python3
"""Writes internal/onnx/testdata/reference.onnx with the reference ONNX
library (Debian python3-onnx): a small model using every message and field
that cocotrain's Go writer (internal/onnx) emits. The Go test
TestMarshalMatchesReference builds the same model and requires the same
bytes, so the field numbers and encodings are checked against onnx.proto's
own generated code. Regenerate with

    /usr/bin/python3 scripts/check_onnx_fixture.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper

OUT = os.path.join(os.path.dirname(__file__), "..", "internal", "onnx", "testdata", "reference.onnx")


def main():
    w = np.arange(2 * 1 * 3 * 3, dtype=np.float32).reshape(2, 1, 3, 3) / 8 - 1
    slope = np.array([0.25, -0.5], dtype=np.float32).reshape(2, 1, 1)
    conv = helper.make_node(
        "Conv", ["data", "w"], ["c"], name="conv",
        kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1], group=1)
    prelu = helper.make_node("PRelu", ["c", "slope"], ["p"], name="prelu", doc_string="slopes")
    bn = helper.make_node("BatchNormalization", ["p", "s", "b", "m", "v"], ["fc1"], name="bn", epsilon=1e-5)
    flat = helper.make_node("Flatten", ["fc1"], ["fc1_flat"], name="flatten", axis=1)
    graph = helper.make_graph(
        [conv, prelu, bn, flat], "g",
        [helper.make_tensor_value_info("data", TensorProto.FLOAT, ["N", 1, 4, 4], doc_string="input")],
        [helper.make_tensor_value_info("fc1_flat", TensorProto.FLOAT, ["N", 32])],
        initializer=[
            helper.make_tensor("w", TensorProto.FLOAT, w.shape, w.tobytes(), raw=True),
            helper.make_tensor("slope", TensorProto.FLOAT, slope.shape, slope.tobytes(), raw=True),
        ] + [helper.make_tensor(n, TensorProto.FLOAT, [2], np.array(v, np.float32).tobytes(), raw=True)
             for n, v in (("s", [1, 2]), ("b", [0, -1]), ("m", [0.5, 0]), ("v", [1, 4]))],
        doc_string="graph doc")
    model = helper.make_model(
        graph, producer_name="cocotrain", producer_version="test", doc_string="model doc",
        opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 6
    model.model_version = 3
    helper.set_model_props(model, {"normalisation": "(x - 127.5) / 127.5"})
    onnx.checker.check_model(model, full_check=True)
    with open(OUT, "wb") as f:
        f.write(model.SerializeToString())
    print(f"wrote {OUT} ({len(model.SerializeToString())} bytes)")


if __name__ == "__main__":
    main()
