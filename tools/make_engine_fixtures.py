#!/usr/bin/python3
"""Build the engine parity fixtures: small CNNs exported to ONNX with PyTorch reference outputs.

For each model this writes into tests/CnnLens.Tests/Fixtures/engine/:
  <name>.onnx                 the model (eval mode, do_constant_folding=False, dynamic batch)
  <name>_input_b1.npy         float32 [1,C,H,W] random normal input
  <name>_logits_b1.npy        float32 [1,K] PyTorch logits for that input
  <name>_input_b4.npy         float32 [4,C,H,W]
  <name>_logits_b4.npy        float32 [4,K]
  <name>_grad_b1.npy          float32 [1,C,H,W] d logits[0, target] / d input, target = argmax
and a manifest.json describing every model (shapes, opset, op counts, target, magnitudes).

The models are REDUCED-WIDTH versions of torchvision architectures built from the torchvision
classes themselves (so the op structure is the real one), with seeded random weights and
non-trivial BatchNorm statistics, so that every BatchNormalization really scales and shifts.

Each exported file is checked with onnx.checker and then run by a small float64 NumPy ONNX
interpreter kept in this script (written from the ONNX operator specification, independent of
PyTorch), whose logits must match PyTorch's. That guards the fixtures against exporter bugs.

Run:  /usr/bin/python3 tools/make_engine_fixtures.py [--out DIR]
Deterministic: the same torch/torchvision versions give byte-identical .npy files.
"""

import argparse
import collections
import json
import math
import os
import sys
import warnings

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.densenet import DenseNet
from torchvision.models.efficientnet import EfficientNet, _efficientnet_conf
from torchvision.models.googlenet import BasicConv2d, GoogLeNet, Inception
from torchvision.models.resnet import BasicBlock, ResNet
from torchvision.models.squeezenet import Fire, SqueezeNet
from torchvision.models.vgg import VGG, cfgs as vgg_cfgs, make_layers as vgg_make_layers
from torchvision.ops.misc import Conv2dNormActivation

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "tests", "CnnLens.Tests", "Fixtures", "engine")
BASE_SEED = 20261122


# ----------------------------------------------------------------------------------------------
# Reduced-width architectures (torchvision classes, fewer channels)
# ----------------------------------------------------------------------------------------------

class SlimResNet(ResNet):
    """torchvision ResNet with every channel width divided by `width_divisor`."""

    def __init__(self, block, layers, width_divisor, num_classes):
        object.__setattr__(self, "_width_divisor", width_divisor)
        super().__init__(block, layers, num_classes=num_classes)
        stem = 64 // width_divisor
        self.conv1 = nn.Conv2d(3, stem, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(stem)
        self.fc = nn.Linear(512 // width_divisor * block.expansion, num_classes)

    def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
        if planes == 64:  # first stage: the stem also has the reduced width
            self.inplanes = 64 // self._width_divisor
        return super()._make_layer(block, planes // self._width_divisor, blocks, stride, dilate)


class SlimResNetViewFlatten(SlimResNet):
    """Same network, but flattening with x.view(x.size(0), -1) as many hand-written models do,
    which exports as Shape -> Gather -> Unsqueeze -> Concat -> Reshape."""

    def _forward_impl(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = self.avgpool(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)


def build_resnet18(num_classes):
    return SlimResNet(BasicBlock, [2, 2, 2, 2], width_divisor=16, num_classes=num_classes)


def build_resnet18_view(num_classes):
    return SlimResNetViewFlatten(BasicBlock, [2, 2, 2, 2], width_divisor=32, num_classes=num_classes)


def build_mobilenet_v2(num_classes):
    model = torchvision.models.mobilenet_v2(weights=None, width_mult=0.125, round_nearest=4,
                                            num_classes=num_classes)
    # width_mult < 1 keeps the 1280-wide last conv; narrow it (same Conv-BN-ReLU6 structure).
    last_in = model.features[-1][0].in_channels
    last_out = 64
    model.features[-1] = Conv2dNormActivation(last_in, last_out, kernel_size=1,
                                              norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU6)
    model.classifier[1] = nn.Linear(last_out, num_classes)
    return model


def build_squeezenet1_1(num_classes, divisor=8):
    model = SqueezeNet(version="1_1", num_classes=num_classes)

    def c(n):
        return n // divisor

    model.features = nn.Sequential(
        nn.Conv2d(3, c(64), kernel_size=3, stride=2),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(c(64), c(16), c(64), c(64)),
        Fire(c(128), c(16), c(64), c(64)),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(c(128), c(32), c(128), c(128)),
        Fire(c(256), c(32), c(128), c(128)),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(c(256), c(48), c(192), c(192)),
        Fire(c(384), c(48), c(192), c(192)),
        Fire(c(384), c(64), c(256), c(256)),
        Fire(c(512), c(64), c(256), c(256)),
    )
    model.classifier[1] = nn.Conv2d(c(512), num_classes, kernel_size=1)
    return model


def build_vgg11_bn(num_classes, divisor=16, hidden=48):
    cfg = [v if v == "M" else v // divisor for v in vgg_cfgs["A"]]
    model = VGG(vgg_make_layers(cfg, batch_norm=True), num_classes=num_classes, init_weights=True)
    # A 64x64 input leaves 2x2 features; adaptive pooling 2x2 -> 7x7 is not exportable, so pool
    # to 1x1 (GlobalAveragePool) and keep the Linear-ReLU-Dropout x2 + Linear classifier shape.
    model.avgpool = nn.AdaptiveAvgPool2d((1, 1))
    features_out = cfg[-2]
    model.classifier = nn.Sequential(
        nn.Linear(features_out, hidden), nn.ReLU(True), nn.Dropout(0.5),
        nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(0.5),
        nn.Linear(hidden, num_classes),
    )
    return model


def build_googlenet(num_classes, divisor=16):
    def c(n):
        return max(1, n // divisor)

    def slim_conv(in_channels, out_channels, **kwargs):
        return BasicConv2d(in_channels if in_channels == 3 else c(in_channels), c(out_channels), **kwargs)

    def slim_inception(in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
        return Inception(c(in_channels), c(ch1x1), c(ch3x3red), c(ch3x3), c(ch5x5red), c(ch5x5), c(pool_proj))

    def unused_aux(*args, **kwargs):
        raise AssertionError("aux heads are disabled")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = GoogLeNet(num_classes=num_classes, aux_logits=False, transform_input=True,
                          init_weights=False, blocks=[slim_conv, slim_inception, unused_aux])
    model.fc = nn.Linear(c(1024), num_classes)
    return model


def build_densenet121(num_classes):
    return DenseNet(growth_rate=4, block_config=(6, 12, 24, 16), num_init_features=8, bn_size=2,
                    num_classes=num_classes)


def build_efficientnet_b0(num_classes):
    setting, last_channel = _efficientnet_conf("efficientnet_b0", width_mult=0.1, depth_mult=1.0)
    return EfficientNet(setting, dropout=0.2, num_classes=num_classes, last_channel=last_channel)


class LeNet(nn.Module):
    """LeNet-style classifier for 1x28x28 digits."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=5)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.fc1 = nn.Linear(16 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))


def build_lenet(num_classes):
    return LeNet(num_classes)


class FixtureSpec(collections.namedtuple(
        "FixtureSpec", "name builder sample_shape opset num_classes fuse_batchnorm description")):
    """One fixture model. fuse_batchnorm=False exports with TrainingMode.PRESERVE (model still in
    eval mode) so BatchNormalization nodes stay in the graph; True is PyTorch's default EVAL export,
    which folds every BatchNorm into the preceding Conv, as most real exports look."""


MODEL_SPECS = [
    FixtureSpec("resnet18", build_resnet18, (3, 64, 64), 11, 10, False,
                "torchvision ResNet(BasicBlock,[2,2,2,2]), widths /16; BatchNormalization, residual Add, "
                "Flatten, Gemm"),
    FixtureSpec("resnet18_view", build_resnet18_view, (3, 32, 32), 11, 10, True,
                "ResNet(BasicBlock,[2,2,2,2]), widths /32, flattened with x.view(x.size(0), -1): "
                "Shape->Gather->Unsqueeze->Concat->Reshape; default EVAL export (BatchNorm folded into "
                "Conv); 1x1 final feature map"),
    FixtureSpec("mobilenet_v2", build_mobilenet_v2, (3, 48, 48), 13, 12, False,
                "torchvision mobilenet_v2(width_mult=0.125, round_nearest=4), last conv 64; depthwise "
                "Conv, Clip(ReLU6) with min/max inputs; 48x48 input gives odd feature-map sizes"),
    FixtureSpec("squeezenet1_1", build_squeezenet1_1, (3, 66, 66), 9, 10, False,
                "torchvision SqueezeNet 1_1, widths /8; ceil_mode MaxPool at opset 9 (exported with "
                "extra end pads); 66x66 makes ceil and floor differ; ReLU before the global pool"),
    FixtureSpec("vgg11_bn", build_vgg11_bn, (3, 64, 64), 13, 16, False,
                "torchvision VGG cfg A with BatchNorm, widths /16, avgpool 1x1, classifier 48-48"),
    FixtureSpec("googlenet", build_googlenet, (3, 64, 64), 13, 20, False,
                "torchvision GoogLeNet(transform_input=True, aux_logits=False), widths /16; input "
                "transform as Gather/Unsqueeze/Mul/Add/Concat; BatchNorm eps 1e-3; ceil_mode MaxPool"),
    FixtureSpec("densenet121", build_densenet121, (3, 64, 64), 12, 10, False,
                "torchvision DenseNet(growth 4, blocks 6-12-24-16, init 8, bn_size 2); long Concat "
                "chains, BN-ReLU-Conv order, Pad + AveragePool transitions"),
    FixtureSpec("efficientnet_b0", build_efficientnet_b0, (3, 40, 40), 14, 10, False,
                "torchvision EfficientNet with the b0 config at width_mult=0.1 (16 MBConv blocks); SiLU "
                "as x*Sigmoid(x), squeeze-excitation, BatchNormalization-14"),
    FixtureSpec("lenet", build_lenet, (1, 28, 28), 7, 10, False,
                "LeNet on 1x28x28: conv5-relu-maxpool-conv5-relu-maxpool-flatten-linear-relu-linear"),
]


# ----------------------------------------------------------------------------------------------
# Weights
# ----------------------------------------------------------------------------------------------

def randomize_weights(model):
    """Seeded weights that keep activations O(1) through deep stacks, plus BatchNorm layers whose
    running statistics and affine parameters are far from the identity."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Conv2d):
                fan_in = module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
                module.weight.normal_(0.0, math.sqrt(2.0 / fan_in))
                if module.bias is not None:
                    module.bias.uniform_(-0.2, 0.2)
            elif isinstance(module, nn.Linear):
                module.weight.normal_(0.0, math.sqrt(2.0 / module.in_features))
                module.bias.uniform_(-0.2, 0.2)
            elif isinstance(module, nn.BatchNorm2d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.3, 0.3)
    model.eval()
    return model


# ----------------------------------------------------------------------------------------------
# Independent float64 NumPy interpreter for the ops these models export to
# ----------------------------------------------------------------------------------------------

def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _pad_spatial(x, pads, value):
    n = x.ndim - 2
    widths = [(0, 0), (0, 0)] + [(pads[i], pads[i + n]) for i in range(n)]
    return np.pad(x, widths, mode="constant", constant_values=value)


def _pool_output_size(size, kernel, stride, pad_total, ceil_mode):
    span = size + pad_total - kernel
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    return out


def _np_conv(x, w, b, a):
    group = a.get("group", 1)
    strides = a.get("strides", [1, 1])
    dil = a.get("dilations", [1, 1])
    kh, kw = w.shape[2], w.shape[3]
    pads = a.get("pads", [0, 0, 0, 0])
    assert a.get("auto_pad", b"NOTSET") in (b"NOTSET", "NOTSET")
    xp = _pad_spatial(x, pads, 0.0)
    n, c, hp, wp = xp.shape
    oh = (hp - (dil[0] * (kh - 1) + 1)) // strides[0] + 1
    ow = (wp - (dil[1] * (kw - 1) + 1)) // strides[1] + 1
    m = w.shape[0]
    cg, mg = c // group, m // group
    y = np.zeros((n, m, oh, ow))
    for g in range(group):
        xg = xp[:, g * cg:(g + 1) * cg]
        wg = w[g * mg:(g + 1) * mg]
        for i in range(kh):
            for j in range(kw):
                patch = xg[:, :, i * dil[0]: i * dil[0] + strides[0] * (oh - 1) + 1: strides[0],
                           j * dil[1]: j * dil[1] + strides[1] * (ow - 1) + 1: strides[1]]
                y[:, g * mg:(g + 1) * mg] += np.einsum("nchw,mc->nmhw", patch, wg[:, :, i, j])
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def _np_pool(x, a, reduce):
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    pads = list(a.get("pads", [0, 0, 0, 0]))
    ceil_mode = a.get("ceil_mode", 0)
    n, c, h, w = x.shape
    oh = _pool_output_size(h, kh, sh, pads[0] + pads[2], ceil_mode)
    ow = _pool_output_size(w, kw, sw, pads[1] + pads[3], ceil_mode)
    # extra bottom/right padding so that ceil-mode windows fit; those cells count as padding
    need_h = (oh - 1) * sh + kh - (h + pads[0] + pads[2])
    need_w = (ow - 1) * sw + kw - (w + pads[1] + pads[3])
    full = [pads[0], pads[1], pads[2] + max(0, need_h), pads[3] + max(0, need_w)]
    fill = -np.inf if reduce == "max" else 0.0
    xp = _pad_spatial(x, full, fill)
    ones = _pad_spatial(np.ones((1, 1, h, w)), full, 0.0)
    inside_pads = _pad_spatial(np.ones((1, 1, h + pads[0] + pads[2], w + pads[1] + pads[3])),
                               [0, 0, max(0, need_h), max(0, need_w)], 0.0)
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            win = xp[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
            if reduce == "max":
                y[:, :, i, j] = win.max(axis=(2, 3))
            else:
                if a.get("count_include_pad", 0):
                    count = inside_pads[0, 0, i * sh:i * sh + kh, j * sw:j * sw + kw].sum()
                else:
                    count = ones[0, 0, i * sh:i * sh + kh, j * sw:j * sw + kw].sum()
                y[:, :, i, j] = win.sum(axis=(2, 3)) / count
    return y


def run_numpy_reference(model_proto, feed):
    """Evaluate an ONNX graph in float64 with NumPy, following the ONNX operator specification."""
    def widen(array):  # compute in float64, keep integer tensors (shapes, indices) as they are
        return array.astype(np.float64) if array.dtype.kind == "f" else array

    graph = model_proto.graph
    values = {init.name: widen(onnx.numpy_helper.to_array(init)) for init in graph.initializer}
    values.update({k: widen(v) for k, v in feed.items()})
    for node in graph.node:
        a = _attrs(node)
        ins = [values[name] if name else None for name in node.input]
        op = node.op_type
        if op == "Constant":
            out = widen(onnx.numpy_helper.to_array(a["value"]))
        elif op == "Conv":
            out = _np_conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
        elif op == "BatchNormalization":
            x, scale, bias, mean, var = ins[:5]
            shape = (1, -1, 1, 1)
            out = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + a.get("epsilon", 1e-5)) \
                * scale.reshape(shape) + bias.reshape(shape)
        elif op == "Relu":
            out = np.maximum(ins[0], 0.0)
        elif op == "Clip":
            lo = a.get("min", ins[1] if len(ins) > 1 and ins[1] is not None else -np.inf)
            hi = a.get("max", ins[2] if len(ins) > 2 and ins[2] is not None else np.inf)
            out = np.clip(ins[0], lo, hi)
        elif op == "Sigmoid":
            out = 1.0 / (1.0 + np.exp(-ins[0]))
        elif op in ("Add", "Sub", "Mul", "Div"):
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}[op]
            out = f(ins[0], ins[1])
        elif op == "MaxPool":
            out = _np_pool(ins[0], a, "max")
        elif op == "AveragePool":
            out = _np_pool(ins[0], a, "avg")
        elif op == "GlobalAveragePool":
            out = ins[0].mean(axis=(2, 3), keepdims=True)
        elif op == "Concat":
            out = np.concatenate(ins, axis=a["axis"])
        elif op == "Flatten":
            axis = a.get("axis", 1)
            out = ins[0].reshape(int(np.prod(ins[0].shape[:axis])), -1)
        elif op == "Gemm":
            x, w = ins[0], ins[1]
            if a.get("transA", 0):
                x = x.T
            if a.get("transB", 0):
                w = w.T
            out = a.get("alpha", 1.0) * (x @ w)
            if len(ins) > 2 and ins[2] is not None:
                out = out + a.get("beta", 1.0) * ins[2]
        elif op == "Pad":
            pads = [int(v) for v in (a["pads"] if "pads" in a else ins[1])]
            value = a.get("value", ins[2] if len(ins) > 2 and ins[2] is not None else 0.0)
            assert a.get("mode", b"constant") in (b"constant", "constant")
            n = ins[0].ndim
            out = np.pad(ins[0], [(pads[i], pads[i + n]) for i in range(n)], constant_values=value)
        elif op == "MatMul":
            out = ins[0] @ ins[1]
        elif op == "Shape":
            out = np.array(ins[0].shape, dtype=np.int64)
        elif op == "Gather":
            out = np.take(ins[0], ins[1].astype(np.int64), axis=a.get("axis", 0))
        elif op == "Unsqueeze":
            axes = a["axes"] if "axes" in a else list(ins[1])
            out = ins[0]
            for ax in sorted(int(v) for v in axes):
                out = np.expand_dims(out, ax)
        elif op == "Squeeze":
            axes = a["axes"] if "axes" in a else list(ins[1])
            out = np.squeeze(ins[0], axis=tuple(int(v) for v in axes))
        elif op == "Reshape":
            shape = [int(v) for v in ins[1]]
            shape = [ins[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            out = ins[0].reshape(shape)
        else:
            raise NotImplementedError(f"NumPy reference has no {op}")
        values[node.output[0]] = out
    return values[graph.output[0].name]


# ----------------------------------------------------------------------------------------------
# Export and fixtures
# ----------------------------------------------------------------------------------------------

def export_onnx(model, sample, path, opset, fuse_batchnorm):
    training = torch.onnx.TrainingMode.EVAL if fuse_batchnorm else torch.onnx.TrainingMode.PRESERVE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, sample, path,
            export_params=True,
            training=training,
            opset_version=opset,
            do_constant_folding=False,
            input_names=["input"],
            output_names=["logits"],
            dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        )


def save_npy(out_dir, file_name, array):
    array = np.ascontiguousarray(array, dtype=np.float32)
    np.save(os.path.join(out_dir, file_name), array)
    return file_name


def make_fixture(index, spec, out_dir):
    name, sample_shape, opset, num_classes = spec.name, spec.sample_shape, spec.opset, spec.num_classes
    torch.manual_seed(BASE_SEED + index)
    model = randomize_weights(spec.builder(num_classes))

    input_b1 = torch.randn(1, *sample_shape)
    input_b4 = torch.randn(4, *sample_shape)
    with torch.no_grad():
        logits_b1 = model(input_b1)
        logits_b4 = model(input_b4)
    target = int(logits_b1[0].argmax())

    x = input_b1.clone().requires_grad_(True)
    model(x)[0, target].backward()
    grad_b1 = x.grad.detach()

    onnx_file = f"{name}.onnx"
    onnx_path = os.path.join(out_dir, onnx_file)
    export_onnx(model, input_b1, onnx_path, opset, spec.fuse_batchnorm)
    assert not model.training, name

    # -- verification -------------------------------------------------------------------------
    proto = onnx.load(onnx_path)
    onnx.checker.check_model(proto)
    assert proto.opset_import[0].version == opset, (name, proto.opset_import)
    with torch.no_grad():  # the model is deterministic: a second run must give the same logits
        assert torch.equal(model(input_b1), logits_b1), name
    reference_error = 0.0
    for batch_input, batch_logits in ((input_b1, logits_b1), (input_b4, logits_b4)):
        reference = run_numpy_reference(proto, {"input": batch_input.numpy()})
        assert reference.shape == tuple(batch_logits.shape), (name, reference.shape)
        err = float(np.abs(reference - batch_logits.numpy().astype(np.float64)).max())
        scale = max(1.0, float(np.abs(reference).max()))
        assert err <= 1e-4 * scale, f"{name}: ONNX (NumPy reference) differs from PyTorch by {err}"
        reference_error = max(reference_error, err)
    if grad_b1.abs().max() == 0:
        raise AssertionError(f"{name}: input gradient is identically zero; pick another seed")

    files = {
        "onnx": onnx_file,
        "input_b1": save_npy(out_dir, f"{name}_input_b1.npy", input_b1.numpy()),
        "logits_b1": save_npy(out_dir, f"{name}_logits_b1.npy", logits_b1.numpy()),
        "input_b4": save_npy(out_dir, f"{name}_input_b4.npy", input_b4.numpy()),
        "logits_b4": save_npy(out_dir, f"{name}_logits_b4.npy", logits_b4.numpy()),
        "grad_b1": save_npy(out_dir, f"{name}_grad_b1.npy", grad_b1.numpy()),
    }
    op_counts = collections.Counter(node.op_type for node in proto.graph.node)
    entry = {
        "name": name,
        "description": spec.description,
        "batchnorm_folded_into_conv": spec.fuse_batchnorm,
        "files": files,
        "opset": opset,
        "input_name": "input",
        "output_name": "logits",
        "input_shape": [1, *sample_shape],
        "input_shape_b4": [4, *sample_shape],
        "num_classes": num_classes,
        "target": target,
        "max_abs_logit_b1": float(logits_b1.abs().max()),
        "max_abs_logit_b4": float(logits_b4.abs().max()),
        "max_abs_grad_b1": float(grad_b1.abs().max()),
        "numpy_reference_max_abs_error": reference_error,
        "node_count": len(proto.graph.node),
        "op_counts": dict(sorted(op_counts.items())),
        "parameter_count": int(sum(p.numel() for p in model.parameters())),
        "torch_batchnorm_layers": int(sum(isinstance(m, nn.BatchNorm2d) for m in model.modules())),
        "onnx_bytes": os.path.getsize(onnx_path),
    }
    print(f"{name:16s} opset {opset:2d} nodes {entry['node_count']:4d} params {entry['parameter_count']:7d} "
          f"onnx {entry['onnx_bytes'] / 1024:7.1f} KiB  target {target:2d}  max|logit| "
          f"{entry['max_abs_logit_b1']:.3f}  max|grad| {entry['max_abs_grad_b1']:.3g}  ops {dict(op_counts)}")
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: the test fixtures)")
    parser.add_argument("--only", nargs="*", help="build only these model names (manifest is then not written)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)  # single-threaded kernels: reproducible float summation order

    entries = []
    for index, spec in enumerate(MODEL_SPECS):
        if args.only and spec.name not in args.only:
            continue
        entries.append(make_fixture(index, spec, args.out))

    if args.only:
        return
    manifest = {
        "generator": "tools/make_engine_fixtures.py",
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "onnx": onnx.__version__,
        "notes": "float32 .npy, NCHW. grad_b1 = d logits[0, target] / d input_b1 with target = argmax of "
                 "logits_b1. Inputs are standard normal. Exported in eval mode with do_constant_folding=False "
                 "and a dynamic batch axis. Logits were also reproduced from the .onnx by an independent "
                 "float64 NumPy interpreter (max error <= 1e-4 * max(1, max|logit|)).",
        "models": entries,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print(f"wrote {len(entries)} models, {total / 1024 / 1024:.2f} MiB in {args.out}")


if __name__ == "__main__":
    sys.exit(main())
