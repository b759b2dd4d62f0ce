#!/usr/bin/python3
"""Writes the small ONNX and .npy fixtures the reader tests load, plus expected.json.

Run from the repository root:  /usr/bin/python3 tools/make_onnx_reader_fixtures.py
Needs onnx (1.12) and numpy. Every value the tests assert comes from expected.json, which
this script derives from the same numpy arrays it stores, independently of CnnLens.
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "CnnLens.Tests", "Fixtures", "onnx")
os.makedirs(OUT, exist_ok=True)
expected = {"models": {}, "npy": {}}


def f32_list(arr):
    """Values as the reader must produce them: float32, C order, exact in JSON."""
    return [float(v) for v in np.asarray(arr, dtype=np.float32).ravel(order="C")]


def record_tensor(arr, tag):
    return {"dims": list(np.shape(arr)), "tag": tag, "values": f32_list(arr)}


def record_value_info(vi):
    t = vi.type.tensor_type
    dims = None
    if t.HasField("shape"):
        dims = []
        for d in t.shape.dim:
            if d.HasField("dim_value"):
                dims.append(d.dim_value)
            elif d.HasField("dim_param"):
                dims.append(d.dim_param)
            else:
                dims.append(None)
    return {"name": vi.name, "elem_type": t.elem_type, "dims": dims}


def save(model, name, record):
    onnx.save(model, os.path.join(OUT, name))
    record["inputs"] = [record_value_info(v) for v in model.graph.input]
    record["outputs"] = [record_value_info(v) for v in model.graph.output]
    record["value_info"] = [record_value_info(v) for v in model.graph.value_info]
    record["opsets"] = {o.domain: o.version for o in model.opset_import}
    record["ir_version"] = model.ir_version
    record["nodes"] = [{"op_type": n.op_type, "name": n.name, "inputs": list(n.input), "outputs": list(n.output)}
                       for n in model.graph.node]
    expected["models"][name] = record


# 1. Every initializer element type, raw and typed storage, every attribute kind, a Constant
#    node, a symbolic batch dimension, value_info, metadata and a second opset domain.
rng = np.random.default_rng(7)
w_float = rng.standard_normal((2, 3)).astype(np.float32)
w_double = np.array([0.1, -2.5, 1e-3, 12345.678], dtype=np.float64)
w_half = np.array([[0.5, -1.25], [3.0, 65504.0], [-0.0009765625, 2.0]], dtype=np.float16)
w_int32 = np.array([-7, 0, 2147483, 5], dtype=np.int32)
w_int64 = np.array([[-9, 8], [1 << 40, -(1 << 20)]], dtype=np.int64)
w_bool = np.array([True, False, True], dtype=np.bool_)
w_uint8 = np.array([0, 17, 255], dtype=np.uint8)
w_int8 = np.array([-128, -1, 127], dtype=np.int8)
w_int16 = np.array([-30000, 12, 30000], dtype=np.int16)
w_scalar = np.array(4.5, dtype=np.float32)
bf16_bits = [0x3F80, 0xC040, 0x4049]  # 1.0, -3.0, 3.140625
bf16_values = [1.0, -3.0, 3.140625]

inits = []
init_expect = {}


def add_init(name, arr, onnx_type, tag, raw):
    inits.append(helper.make_tensor(name, onnx_type, arr.shape, arr.tobytes() if raw else arr.ravel().tolist(), raw=raw))
    init_expect[name] = record_tensor(arr, tag)


add_init("w_float_raw", w_float, TensorProto.FLOAT, "Float32", True)
add_init("w_float_typed", w_float, TensorProto.FLOAT, "Float32", False)
add_init("w_double_raw", w_double, TensorProto.DOUBLE, "Float32", True)
add_init("w_double_typed", w_double, TensorProto.DOUBLE, "Float32", False)
add_init("w_half_raw", w_half, TensorProto.FLOAT16, "Float32", True)
# Typed float16 storage holds each value's 16-bit pattern in int32_data (make_tensor converts).
t = helper.make_tensor("w_half_typed", TensorProto.FLOAT16, w_half.shape, w_half.ravel().astype(np.float32).tolist())
assert list(t.int32_data) == w_half.view(np.uint16).ravel().tolist()
inits.append(t)
init_expect["w_half_typed"] = record_tensor(w_half, "Float32")
add_init("w_int32_raw", w_int32, TensorProto.INT32, "Int64", True)
add_init("w_int32_typed", w_int32, TensorProto.INT32, "Int64", False)
add_init("w_int64_raw", w_int64, TensorProto.INT64, "Int64", True)
add_init("w_int64_typed", w_int64, TensorProto.INT64, "Int64", False)
add_init("w_bool_raw", w_bool, TensorProto.BOOL, "Bool", True)
add_init("w_bool_typed", w_bool, TensorProto.BOOL, "Bool", False)
add_init("w_uint8_raw", w_uint8, TensorProto.UINT8, "Int64", True)
add_init("w_uint8_typed", w_uint8, TensorProto.UINT8, "Int64", False)
add_init("w_int8_raw", w_int8, TensorProto.INT8, "Int64", True)
add_init("w_int16_raw", w_int16, TensorProto.INT16, "Int64", True)
add_init("w_scalar", w_scalar, TensorProto.FLOAT, "Float32", True)
bf = TensorProto()
bf.name = "w_bfloat16_raw"
bf.data_type = TensorProto.BFLOAT16
bf.dims.extend([3])
bf.raw_data = np.array(bf16_bits, dtype="<u2").tobytes()
inits.append(bf)
init_expect["w_bfloat16_raw"] = {"dims": [3], "tag": "Float32", "values": bf16_values}

const_value = np.arange(6, dtype=np.float32).reshape(2, 3) * 0.25 - 0.5
attr_tensor = np.array([[1.5, -2.0]], dtype=np.float32)
nodes = [
    helper.make_node("Constant", [], ["c0"], name="const0", value=numpy_helper.from_array(const_value)),
    helper.make_node("Add", ["x", "c0"], ["sum"], name="add0"),
    helper.make_node(
        "AllKinds", ["sum"], ["y"], name="kinds0", domain="test.cnnlens",
        a_float=0.75, a_int=-3, a_string="same_upper",
        a_tensor=numpy_helper.from_array(attr_tensor),
        a_floats=[1.0, -0.5, 2.25], a_ints=[1, 2, -1], a_strings=["alpha", "beta"],
        a_int_zero=0),
]
graph = helper.make_graph(
    nodes, "all_kinds", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 2, 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", None, 3])], initializer=inits,
    value_info=[helper.make_tensor_value_info("sum", TensorProto.FLOAT, ["batch", 2, 3]),
                helper.make_tensor_value_info("c0", TensorProto.FLOAT, [2, 3])])
model = helper.make_model(graph, producer_name="cnnlens-fixtures", producer_version="1.0",
                          opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("test.cnnlens", 2)])
model.ir_version = 7
helper.set_model_props(model, {"class_names": "cat,dog", "preprocessing": "imagenet"})
save(model, "all_kinds.onnx", {
    "initializers": init_expect,
    "producer_name": "cnnlens-fixtures", "producer_version": "1.0",
    "metadata": {"class_names": "cat,dog", "preprocessing": "imagenet"},
    "constant": {"node": "const0", "attribute": "value", **record_tensor(const_value, "Float32")},
    "attributes": {"node": "kinds0", "a_float": 0.75, "a_int": -3, "a_string": "same_upper",
                   "a_tensor": record_tensor(attr_tensor, "Float32"), "a_floats": [1.0, -0.5, 2.25],
                   "a_ints": [1, 2, -1], "a_strings": ["alpha", "beta"], "a_int_zero": 0},
})

# 2. Old style: IR version 3, opset 7, every initializer also declared as a graph input.
w = (np.arange(12, dtype=np.float32).reshape(4, 3) - 5) / 4
b = np.array([0.5, -0.5, 1.0], dtype=np.float32)
graph = helper.make_graph(
    [helper.make_node("Gemm", ["x", "W", "B"], ["y"], name="gemm0")], "old_style",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4]),
     helper.make_tensor_value_info("W", TensorProto.FLOAT, [4, 3]),
     helper.make_tensor_value_info("B", TensorProto.FLOAT, [3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])],
    initializer=[numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "B")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 7)])
model.ir_version = 3
save(model, "old_style.onnx", {"initializers": {"W": record_tensor(w, "Float32"), "B": record_tensor(b, "Float32")},
                               "real_inputs": ["x"]})

# 3. External data: weights in a side file, at the offsets onnx chose.
w1 = rng.standard_normal((3, 2, 2, 2)).astype(np.float32)
b1 = np.array([1.0, 2.0, -3.0], dtype=np.float32)
steps = np.array([1, 2, 3, 4, 5], dtype=np.int64)
graph = helper.make_graph(
    [helper.make_node("Conv", ["x", "w1", "b1"], ["y"], name="conv0", kernel_shape=[2, 2])], "external",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2, 5, 5])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3, 4, 4])],
    initializer=[numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
                 numpy_helper.from_array(steps, "steps")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 7
bin_path = os.path.join(OUT, "external_data.bin")
if os.path.exists(bin_path):
    os.remove(bin_path)
onnx.save_model(model, os.path.join(OUT, "external_data.onnx"), save_as_external_data=True,
                all_tensors_to_one_file=True, location="external_data.bin", size_threshold=0)
model = onnx.load(os.path.join(OUT, "external_data.onnx"), load_external_data=False)
offsets = {t.name: {e.key: e.value for e in t.external_data} for t in model.graph.initializer}
save_record = {"initializers": {"w1": record_tensor(w1, "Float32"), "b1": record_tensor(b1, "Float32"),
                                "steps": record_tensor(steps, "Int64")}, "external": offsets}
save_record["inputs"] = [record_value_info(v) for v in model.graph.input]
save_record["outputs"] = [record_value_info(v) for v in model.graph.output]
save_record["opsets"] = {o.domain: o.version for o in model.opset_import}
save_record["ir_version"] = model.ir_version
expected["models"]["external_data.onnx"] = save_record

# 4. A sub-graph attribute (If), which the reader must refuse by naming the node.
then_graph = helper.make_graph([helper.make_node("Identity", ["x"], ["t"])], "then", [],
                               [helper.make_tensor_value_info("t", TensorProto.FLOAT, [1])])
else_graph = helper.make_graph([helper.make_node("Neg", ["x"], ["e"])], "else", [],
                               [helper.make_tensor_value_info("e", TensorProto.FLOAT, [1])])
graph = helper.make_graph(
    [helper.make_node("If", ["cond"], ["y"], name="branch0", then_branch=then_graph, else_branch=else_graph)],
    "control_flow",
    [helper.make_tensor_value_info("cond", TensorProto.BOOL, []), helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.save(model, os.path.join(OUT, "control_flow.onnx"))

# 5. Weights big enough (over 4 KB each) for the reader's detached raw_data path; the tests
#    recompute the values from these formulas: f(i) = (i % 97) * 0.25 - 12, g(i) = (i % 13) - 6.
idx = np.arange(3000)
big_float = ((idx % 97) * 0.25 - 12).astype(np.float32).reshape(50, 60)
big_half = ((idx % 97) * 0.25 - 12).astype(np.float16)
big_int64 = (idx[:600] % 13 - 6).astype(np.int64)
big_double = ((idx[:700] % 97) * 0.25 - 12).astype(np.float64)
graph = helper.make_graph(
    [helper.make_node("Identity", ["big_float"], ["y"], name="id0")], "large_weights", [],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [50, 60])],
    initializer=[numpy_helper.from_array(big_float, "big_float"), numpy_helper.from_array(big_half, "big_half"),
                 numpy_helper.from_array(big_int64, "big_int64"), numpy_helper.from_array(big_double, "big_double"),
                 numpy_helper.from_array(np.array([1.5, -2.5], dtype=np.float32), "small")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
assert all(len(t.raw_data) >= 4096 for t in model.graph.initializer[:4])
onnx.save(model, os.path.join(OUT, "large_weights.onnx"))

# 6. .npy files of each dtype and format version, with their values in C order.
def save_npy(name, arr, version=None, tag="Float32"):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        np.lib.format.write_array(f, arr, version=version)
    back = np.load(path)
    assert back.dtype == arr.dtype and back.shape == arr.shape
    expected["npy"][name] = {"shape": list(arr.shape), "tag": tag, "values": f32_list(arr), "descr": arr.dtype.str,
                             "fortran_order": bool(np.isfortran(arr) and arr.ndim > 1)}


base = (np.arange(24, dtype=np.float64).reshape(2, 3, 4) - 11.5) / 3.0
save_npy("f4_v1.npy", base.astype("<f4"), (1, 0))
save_npy("f4_v2.npy", base.astype("<f4"), (2, 0))
save_npy("f4_v3.npy", base.astype("<f4"), (3, 0))
save_npy("f8.npy", base.astype("<f8"), (1, 0))
save_npy("f2.npy", base.astype("<f2"), (1, 0))
save_npy("f4_big_endian.npy", base.astype(">f4"), (1, 0))
save_npy("f4_fortran.npy", np.asfortranarray(base.astype("<f4")), (1, 0))
save_npy("i8.npy", np.array([[-5, 0, 7], [1 << 23, -(1 << 23), 3]], dtype="<i8"), (1, 0), "Int64")
save_npy("i4.npy", np.array([-2147, 0, 99, 12345], dtype="<i4"), (1, 0), "Int64")
save_npy("u1.npy", np.array([[0, 1], [128, 255]], dtype="|u1"), (1, 0), "Int64")
save_npy("b1.npy", np.array([True, False, False, True], dtype="|b1"), (1, 0), "Bool")
save_npy("scalar.npy", np.array(-3.25, dtype="<f4"), (1, 0))
np.save(os.path.join(OUT, "complex.npy"), np.array([1 + 2j, 3 - 1j], dtype=np.complex64))
np.save(os.path.join(OUT, "object.npy"), np.array(["a", 1], dtype=object), allow_pickle=True)
with open(os.path.join(OUT, "f4_v1.npy"), "rb") as f:
    whole = f.read()
with open(os.path.join(OUT, "truncated.npy"), "wb") as f:
    f.write(whole[:-10])
with open(os.path.join(OUT, "not_npy.npy"), "w") as f:
    f.write("this is a text file, not an array\n")

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
print("wrote", sorted(os.listdir(OUT)))
