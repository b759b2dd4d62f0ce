#!/usr/bin/python3
"""Checks a model written by CnnLens's OnnxModelWriter with onnx's own checker and reader.

The file is written by the test OnnxModelWriterTests.Writes_the_model_for_the_onnx_checker_script:
    dotnet test tests/CnnLens.Tests -c Release --filter "FullyQualifiedName~OnnxModelWriterTests"
    /usr/bin/python3 tools/check_onnx_writer_output.py [path/to/onnx-writer-check.onnx]
Besides onnx.checker (full check, with shape inference), it rebuilds the test model's values here,
independently of CnnLens, and compares every initializer, attribute, shape and metadata entry.
"""
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "CnnLens.Tests",
                       "bin", "Release", "net10.0", "onnx-writer-check.onnx")
path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
model = onnx.load(path)
onnx.checker.check_model(model, full_check=True)


def pattern(count, period, scale):
    return np.array([(i % period - period // 2) * scale for i in range(count)], dtype=np.float32)


expected_inits = {
    "conv.weight": pattern(18, 7, 0.125).reshape(2, 1, 3, 3),
    "conv.bias": np.array([0.5, -0.25], dtype=np.float32),
    "fc.weight": pattern(96, 5, 0.0625).reshape(3, 32),
    "fc.bias": np.array([1, 0, -1], dtype=np.float32),
    "mask": np.array([True, False, True]),
    "big_index": np.array([1 << 40, -7], dtype=np.int64),
}
inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
assert sorted(inits) == sorted(expected_inits), sorted(inits)
for name, want in expected_inits.items():
    got = inits[name]
    assert got.dtype == want.dtype and got.shape == want.shape and np.array_equal(got, want), (name, got, want)

assert model.ir_version == 8, model.ir_version
assert [(o.domain, o.version) for o in model.opset_import] == [("", 13)]
assert (model.producer_name, model.producer_version) == ("CnnLens", "test")
assert {p.key: p.value for p in model.metadata_props} == {"class_names": "cat,dog,bird", "preprocessing": "none"}
assert model.graph.name == "writer_check"

attrs = {(n.name, a.name): onnx.helper.get_attribute_value(a) for n in model.graph.node for a in n.attribute}
assert attrs[("conv0", "kernel_shape")] == [3, 3]
assert attrs[("conv0", "pads")] == [1, 1, 1, 1]
assert attrs[("conv0", "auto_pad")] == b"NOTSET"
assert abs(attrs[("act0", "alpha")] - np.float32(0.1)) == 0
assert attrs[("fc0", "transB")] == 1 and attrs[("fc0", "alpha")] == 1.0
assert np.array_equal(numpy_helper.to_array(attrs[("shape0", "value")]), np.array([-1, 32], dtype=np.int64))
assert attrs[("floats0", "value_floats")] == [0.5, 0.25]
assert attrs[("ints0", "value_ints")] == [0, 2]
assert attrs[("strings0", "value_strings")] == [b"cat", b"dog", b"bird"]
assert [n.op_type for n in model.graph.node] == ["Conv", "LeakyRelu", "Constant", "Reshape", "Gemm", "Constant", "Constant", "Constant"]


def dims(vi):
    out = []
    for d in vi.type.tensor_type.shape.dim:
        out.append(d.dim_value if d.HasField("dim_value") else d.dim_param if d.HasField("dim_param") else None)
    return out


assert dims(model.graph.input[0]) == ["batch", 1, 4, 4]
assert dims(model.graph.output[0]) == ["batch", 3]
assert model.graph.output[1].type.tensor_type.elem_type == onnx.TensorProto.STRING
assert dims(model.graph.value_info[0]) == ["batch", 2, None, 4]

# The model also runs shape inference to the same output shape.
inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
print("OK:", path, "passes onnx", onnx.__version__, "checker (full_check) and matches the expected values")
