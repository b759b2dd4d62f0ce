"""Checks a model written by `cnnlens train` with tools outside CnnLens.

1. onnx.checker.check_model (full check) on the file.
2. Its metadata: cnnlens.class_names (JSON list) and cnnlens.preprocessing (JSON object).
3. Logits: the ONNX graph is run by a small interpreter written here on torch.nn.functional (the
   ops `cnnlens train` emits: Sub, Div, Conv, BatchNormalization, Relu, MaxPool, Add,
   GlobalAveragePool, Flatten, Gemm) and compared with the logits CnnLens wrote with
   `cnnlens predict --input X.npy --npy LOGITS.npy` for the same input.

Usage:
  /usr/bin/python3 tools/check_trained_onnx.py --model M.onnx --cli CLI [--mnist DIR] [--count 256]

CLI is the command that runs cnnlens (e.g. "dotnet src/CnnLens.Cli/bin/Release/net10.0/CnnLens.Cli.dll").
Input: the first COUNT MNIST test digits when --mnist is given (1x28x28 models), else seeded uniform
0..1 images of the model's input shape. Exits non-zero when a check fails.
"""
import argparse
import gzip
import json
import os
import shlex
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def run_graph(model, x):
    values = {init.name: torch.from_numpy(numpy_helper.to_array(init).copy()) for init in model.graph.initializer}
    values[model.graph.input[0].name] = torch.from_numpy(x)
    for node in model.graph.node:
        a = attributes(node)
        i = [values[name] for name in node.input if name]
        op = node.op_type
        if op == "Sub":
            y = i[0] - i[1]
        elif op == "Div":
            y = i[0] / i[1]
        elif op == "Conv":
            pads = list(a.get("pads", [0, 0, 0, 0]))
            assert pads[0] == pads[2] and pads[1] == pads[3], "asymmetric pads"
            y = F.conv2d(i[0], i[1], i[2] if len(i) > 2 else None, stride=list(a.get("strides", [1, 1])),
                         padding=pads[:2], dilation=list(a.get("dilations", [1, 1])), groups=a.get("group", 1))
        elif op == "BatchNormalization":
            assert a.get("training_mode", 0) == 0, "a saved model must be in inference mode"
            y = F.batch_norm(i[0], i[3], i[4], i[1], i[2], training=False, eps=a.get("epsilon", 1e-5))
        elif op == "Relu":
            y = F.relu(i[0])
        elif op == "MaxPool":
            y = F.max_pool2d(i[0], list(a["kernel_shape"]), stride=list(a.get("strides", a["kernel_shape"])))
        elif op == "Add":
            y = i[0] + i[1]
        elif op == "GlobalAveragePool":
            y = F.adaptive_avg_pool2d(i[0], 1)
        elif op == "Flatten":
            y = torch.flatten(i[0], a.get("axis", 1))
        elif op == "Gemm":
            assert a.get("transB", 0) == 1 and a.get("transA", 0) == 0
            y = F.linear(i[0] * a.get("alpha", 1.0), i[1], i[2] * a.get("beta", 1.0))
        else:
            raise SystemExit(f"unexpected op {op} in a cnnlens-trained model")
        values[node.output[0]] = y
    return values[model.graph.output[0].name].numpy()


def mnist_test(directory, count):
    path = os.path.join(directory, "t10k-images-idx3-ubyte")
    opener = open
    if not os.path.exists(path):
        path += ".gz"
        opener = gzip.open
    with opener(path, "rb") as f:
        data = f.read()
    n, rows, cols = (int.from_bytes(data[k:k + 4], "big") for k in (4, 8, 12))
    images = np.frombuffer(data, np.uint8, count * rows * cols, 16).reshape(count, 1, rows, cols)
    return (images.astype(np.float32) / np.float32(255))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("--mnist")
    parser.add_argument("--count", type=int, default=256)
    args = parser.parse_args()

    model = onnx.load(args.model)
    onnx.checker.check_model(model, full_check=True)
    print(f"onnx.checker: ok (opset {model.opset_import[0].version}, {len(model.graph.node)} nodes)")
    meta = {p.key: p.value for p in model.metadata_props}
    classes = json.loads(meta["cnnlens.class_names"])
    preprocessing = json.loads(meta["cnnlens.preprocessing"])
    print(f"metadata: {len(classes)} classes {classes[:10]}, preprocessing {preprocessing}")

    dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim[1:]]
    if args.mnist:
        x = mnist_test(args.mnist, args.count)
    else:
        x = np.random.default_rng(0).random((args.count, *dims), dtype=np.float32)
    reference = run_graph(model, x)

    with tempfile.TemporaryDirectory() as tmp:
        np.save(os.path.join(tmp, "x.npy"), x)
        out = os.path.join(tmp, "logits.npy")
        subprocess.run(shlex.split(args.cli) + ["predict", "--model", args.model, "--input", os.path.join(tmp, "x.npy"),
                                                "--npy", out, "--top", "1"], check=True, stdout=subprocess.DEVNULL)
        cnnlens = np.load(out)
    error = float(np.max(np.abs(cnnlens - reference)))
    scale = float(np.max(np.abs(reference)))
    agree = float(np.mean(cnnlens.argmax(1) == reference.argmax(1)))
    print(f"logits: {x.shape[0]} inputs, max |cnnlens - torch| = {error:.3g} (max |logit| {scale:.3g}), argmax agreement {agree:.2%}")
    if error > 1e-4 * max(1.0, scale):
        sys.exit("logits differ")


if __name__ == "__main__":
    main()
