"""Reference outputs for the compute-heavy operators, computed by PyTorch 1.13 (CPU, float64 then
rounded to float32). Run with /usr/bin/python3; writes tests/CnnLens.Tests/Fixtures/kernels/torch_reference.json.
Each case gives the ONNX op type, its ONNX attributes, the inputs and the expected output."""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(1234)
cases = []


def tensor(t):
    t = t.detach().to(torch.float32)
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def add(name, op, attributes, inputs, output):
    cases.append({"name": name, "op": op, "attributes": attributes,
                  "inputs": [tensor(t) for t in inputs], "output": tensor(output)})


def rnd(*shape):
    return torch.randn(*shape, dtype=torch.float64)


# Conv: groups, strides, dilations, asymmetric pads (applied with F.pad, as ONNX pads are per side).
x, w, b = rnd(2, 4, 9, 8), rnd(6, 2, 3, 3), rnd(6)
y = F.conv2d(F.pad(x, (1, 0, 2, 1)), w, b, stride=(2, 1), dilation=(1, 2), groups=2)
add("conv grouped strided dilated asymmetric pads", "Conv",
    {"group": 2, "strides": [2, 1], "dilations": [1, 2], "pads": [2, 1, 1, 0]}, [x, w, b], y)

x, w = rnd(1, 5, 10, 10), rnd(5, 1, 3, 3)
add("conv depthwise stride 2", "Conv", {"group": 5, "strides": [2, 2], "pads": [1, 1, 1, 1]}, [x, w],
    F.conv2d(x, w, None, stride=2, padding=1, groups=5))

x, w, b = rnd(1, 3, 17, 15), rnd(8, 3, 7, 7), rnd(8)
add("conv stem 7x7 stride 2", "Conv", {"strides": [2, 2], "pads": [3, 3, 3, 3]}, [x, w, b],
    F.conv2d(x, w, b, stride=2, padding=3))

x, w, b = rnd(2, 3, 12), rnd(4, 3, 5), rnd(4)
add("conv 1-D", "Conv", {"pads": [2, 1], "strides": [2]}, [x, w, b], F.conv1d(F.pad(x, (2, 1)), w, b, stride=2))

# ConvTranspose: groups, output_padding, dilation, pads.
x, w, b = rnd(1, 4, 5, 4), rnd(4, 3, 3, 3), rnd(6)
add("conv transpose grouped output_padding", "ConvTranspose",
    {"group": 2, "strides": [2, 2], "pads": [1, 1, 1, 1], "output_padding": [1, 0], "dilations": [1, 1]}, [x, w, b],
    F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=(1, 0), groups=2))

x, w = rnd(2, 2, 4, 4), rnd(2, 2, 2, 3)
add("conv transpose dilated", "ConvTranspose", {"strides": [1, 2], "dilations": [2, 1]}, [x, w],
    F.conv_transpose2d(x, w, None, stride=(1, 2), dilation=(2, 1)))

# Pools.
x = rnd(2, 3, 11, 10)
add("maxpool 3x3/2 pad 1 ceil", "MaxPool", {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1], "ceil_mode": 1}, [x],
    F.max_pool2d(x, 3, 2, 1, ceil_mode=True))
add("maxpool dilated", "MaxPool", {"kernel_shape": [2, 3], "strides": [1, 2], "dilations": [2, 2]}, [x],
    F.max_pool2d(x, (2, 3), (1, 2), 0, dilation=2))
for include in (0, 1):
    add(f"avgpool 3x3/2 pad 1 ceil count_include_pad={include}", "AveragePool",
        {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1], "ceil_mode": 1, "count_include_pad": include}, [x],
        F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=bool(include)))
    add(f"avgpool 2x2/3 pad 1 ceil count_include_pad={include}", "AveragePool",
        {"kernel_shape": [2, 2], "strides": [3, 3], "pads": [1, 1, 1, 1], "ceil_mode": 1, "count_include_pad": include}, [x],
        F.avg_pool2d(x, 2, 3, 1, ceil_mode=True, count_include_pad=bool(include)))
add("global average pool", "GlobalAveragePool", {}, [x], F.adaptive_avg_pool2d(x, 1))
add("global max pool", "GlobalMaxPool", {}, [x], F.adaptive_max_pool2d(x, 1))

# LRN: PyTorch and ONNX agree on the window for odd sizes.
x = rnd(2, 7, 3, 4)
add("lrn size 5", "LRN", {"size": 5, "alpha": 1e-2, "beta": 0.75, "bias": 2.0}, [x],
    F.local_response_norm(x, 5, alpha=1e-2, beta=0.75, k=2.0))

# BatchNormalization (inference) and Gemm / MatMul.
x, scale, bias, mean, var = rnd(2, 3, 4, 4), rnd(3), rnd(3), rnd(3), torch.rand(3, dtype=torch.float64) + 0.5
add("batchnorm", "BatchNormalization", {"epsilon": 1e-3}, [x, scale, bias, mean, var],
    F.batch_norm(x, mean, var, scale, bias, training=False, eps=1e-3))
a, bm, c = rnd(5, 7), rnd(9, 7), rnd(9)
add("gemm transB bias", "Gemm", {"transB": 1, "alpha": 0.5, "beta": 2.0}, [a, bm, c], 0.5 * a @ bm.T + 2.0 * c)
a, bm = rnd(2, 1, 4, 6), rnd(3, 6, 5)
add("matmul broadcast", "MatMul", {}, [a, bm], torch.matmul(a, bm))

path = os.path.join(os.path.dirname(__file__), "..", "tests", "CnnLens.Tests", "Fixtures", "kernels", "torch_reference.json")
with open(path, "w") as f:
    json.dump({"generator": "tools/generate_kernel_fixtures.py", "torch": torch.__version__, "cases": cases}, f)
print(f"{len(cases)} cases -> {os.path.normpath(path)}")
