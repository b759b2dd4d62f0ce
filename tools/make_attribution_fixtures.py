#!/usr/bin/python3
"""Build the attribution parity fixtures: reference attributions computed in PyTorch.

For the engine fixture models lenet, resnet18 and mobilenet_v2 (tests/CnnLens.Tests/Fixtures/engine/),
this rebuilds each torch model exactly as tools/make_engine_fixtures.py did (same builder, seed and
randomize_weights), checks that it reproduces the committed logits, and computes on the committed
input_b1.npy (target = the manifest's target) the attributions of the methods CnnLens implements,
written into tests/CnnLens.Tests/Fixtures/attribution/ as float32 .npy files with the batch axis kept
([N,C,H,W] for input-space methods, [N,h,w] for class activation maps), plus a manifest.json.

Definitions (written here from the Captum / pytorch-grad-cam documentation and papers; neither
library is used):
  saliency              d logit[target] / d input                      (Captum Saliency, abs=False)
  input-x-gradient      input * saliency                               (Captum InputXGradient)
  integrated-gradients  (x - 0) * sum_k w_k grad(alpha_k x)            (Captum IntegratedGradients)
  guided-backprop       at every rectifier: relu(grad_out * 1[0 < x (< 6 for ReLU6)])
  deconvnet             at every rectifier: relu(grad_out)
  grad-cam              relu(sum_c mean_hw(G)_c A_c)                   (Captum LayerGradCam, relu)
  grad-cam-plus-plus    pytorch-grad-cam GradCAMPlusPlus weights, relu(sum_c w_c A_c)
  xgrad-cam             pytorch-grad-cam XGradCAM weights,            relu(sum_c w_c A_c)
  layer-cam             relu(sum_c max(G,0) A)
  hires-cam             relu(sum_c G A)
  guided-grad-cam       guided-backprop * nearest-upsampled grad-cam  (Captum GuidedGradCam)
where A is the activation of the CAM layer and G = d logit[target] / d A. The CAMs are the raw maps
(no min-max normalisation, no resize), which is where pytorch-grad-cam's post-processing stops
being part of the definition.

"Rectifier" means every ONNX Relu and every Clip with min 0 (torch ReLU and ReLU6/hardtanh(0,6)),
whether it comes from an nn.Module or from F.relu; unlike Captum, which only hooks nn.ReLU modules.

Every reference is computed twice, with a float32 and a float64 copy of the model; the float64 result
(rounded to float32) is stored, and the float32-vs-float64 difference is recorded in the manifest as
a yardstick for test tolerances.

Run:  /usr/bin/python3 tools/make_attribution_fixtures.py [--out DIR]
"""

import argparse
import contextlib
import copy
import json
import os
import sys

import numpy as np
import onnx
import onnx.helper
import onnx.shape_inference
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_engine_fixtures as engine  # noqa: E402  (builders, seeds, randomize_weights, NumPy ONNX interpreter)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGINE_DIR = os.path.join(REPO_ROOT, "tests", "CnnLens.Tests", "Fixtures", "engine")
DEFAULT_OUT = os.path.join(REPO_ROOT, "tests", "CnnLens.Tests", "Fixtures", "attribution")

IG_MAIN_STEPS = 50
IG_RIEMANN_STEPS = 20
IG_CONVERGENCE_STEPS = [5, 10, 20, 50, 100]
RIEMANN_RULES = ["riemann-left", "riemann-right", "riemann-middle", "riemann-trapezoid"]


# ----------------------------------------------------------------------------------------------
# Rectifiers with a selectable backward rule
# ----------------------------------------------------------------------------------------------

class Rectifier(torch.autograd.Function):
    """max(x, 0) (upper None) or min(max(x, 0), upper) with one of three backward rules:
    'gradient' (the true derivative), 'guided' (relu of it) and 'deconv' (relu of grad_out)."""

    @staticmethod
    def forward(ctx, x, upper, rule):
        ctx.save_for_backward(x)
        ctx.upper = upper
        ctx.rule = rule
        return x.clamp(min=0.0) if upper is None else x.clamp(0.0, upper)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        if ctx.rule == "deconv":
            return grad_out.clamp(min=0.0), None, None
        passes = x > 0
        if ctx.upper is not None:
            passes = passes & (x < ctx.upper)
        grad_in = grad_out * passes.to(grad_out.dtype)
        if ctx.rule == "guided":
            grad_in = grad_in.clamp(min=0.0)
        return grad_in, None, None


class RectifierPatch:
    """Routes every F.relu / F.relu6 / F.hardtanh(0, u) call through Rectifier with `rule` (None keeps
    the original functions), and records every rectifier output in call order (= ONNX node order
    for these sequential models) so that layers without a module can be tapped."""

    def __init__(self):
        self.rule = None
        self.outputs = []
        self._originals = {}

    def _relu(self, input, inplace=False):
        out = self._originals["relu"](input) if self.rule is None else Rectifier.apply(input, None, self.rule)
        self.outputs.append(out)
        return out

    def _relu6(self, input, inplace=False):
        return self._hardtanh(input, 0.0, 6.0)

    def _hardtanh(self, input, min_val=-1.0, max_val=1.0, inplace=False):
        if min_val != 0.0:
            raise AssertionError(f"hardtanh({min_val}, {max_val}) is not a rectifier")
        if self.rule is None:
            out = self._originals["hardtanh"](input, min_val, max_val)
        else:
            out = Rectifier.apply(input, float(max_val), self.rule)
        self.outputs.append(out)
        return out

    @contextlib.contextmanager
    def active(self, rule=None):
        self.rule = rule
        self.outputs = []
        self._originals = {"relu": F.relu, "relu6": F.relu6, "hardtanh": F.hardtanh}
        F.relu, F.relu6, F.hardtanh = self._relu, self._relu6, self._hardtanh
        try:
            yield self
        finally:
            F.relu, F.relu6, F.hardtanh = (self._originals["relu"], self._originals["relu6"],
                                           self._originals["hardtanh"])
            self.rule = None


RECTIFIERS = RectifierPatch()


# ----------------------------------------------------------------------------------------------
# Layer taps: the torch tensor that equals a given ONNX tensor
# ----------------------------------------------------------------------------------------------

class Tap:
    """Describes where a layer's activation lives in the torch model.
    kind 'module_output': output of the module at `path`; 'module_input': first input of that
    module reshaped to `shape` (e.g. the flattened MaxPool output entering a Linear);
    'rectifier': output of the index-th rectifier call."""

    def __init__(self, onnx_tensor, kind, path=None, index=None, shape=None):
        self.onnx_tensor = onnx_tensor
        self.kind = kind
        self.path = path
        self.index = index
        self.shape = shape


def resolve_module(model, path):
    module = model
    for part in path.split("."):
        module = module[int(part)] if part.isdigit() else getattr(module, part)
    return module


def forward_with_taps(model, x, taps, rule=None):
    """Runs the model; returns logits and, per tap, the tensor the graph really used (so that
    autograd.grad w.r.t. it is the gradient at that layer) and its [N,C,h,w] view."""
    captured = {}
    handles = []
    for i, tap in enumerate(taps):
        if tap.kind == "module_output":
            handles.append(resolve_module(model, tap.path).register_forward_hook(
                lambda m, inp, out, i=i: captured.__setitem__(i, out)))
        elif tap.kind == "module_input":
            handles.append(resolve_module(model, tap.path).register_forward_pre_hook(
                lambda m, inp, i=i: captured.__setitem__(i, inp[0])))
    try:
        with RECTIFIERS.active(rule) as patch:
            logits = model(x)
            for i, tap in enumerate(taps):
                if tap.kind == "rectifier":
                    captured[i] = patch.outputs[tap.index]
            rectifier_calls = len(patch.outputs)
    finally:
        for h in handles:
            h.remove()
    tensors = [captured[i] for i in range(len(taps))]
    views = [t if tap.shape is None else t.reshape(t.shape[0], *tap.shape) for t, tap in zip(tensors, taps)]
    return logits, tensors, views, rectifier_calls


# ----------------------------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------------------------

CAM_LAYERS = {
    # model: (last layer tap, earlier layer tap)
    "lenet": (
        Tap("/MaxPool_1_output_0", "module_input", path="fc1", shape=(16, 4, 4)),
        Tap("/Relu_1_output_0", "rectifier", index=1),
    ),
    "resnet18": (
        Tap("/layer4/layer4.1/relu_1/Relu_output_0", "module_output", path="layer4.1"),
        Tap("/layer3/layer3.1/relu_1/Relu_output_0", "module_output", path="layer3.1"),
    ),
    "mobilenet_v2": (
        Tap("/features/features.18/features.18.2/Clip_output_0", "module_output", path="features.18"),
        Tap("/features/features.7/conv/conv.0/conv.0.2/Clip_output_0", "module_output",
            path="features.7.conv.0"),
    ),
}
MODELS = ["lenet", "resnet18", "mobilenet_v2"]
BATCH2_IG_MODELS = ["resnet18"]  # input-space b2 files are the big ones; keep the total < 1 MB


def rebuild_model(name):
    index = [spec.name for spec in engine.MODEL_SPECS].index(name)
    spec = engine.MODEL_SPECS[index]
    torch.manual_seed(engine.BASE_SEED + index)
    return engine.randomize_weights(spec.builder(spec.num_classes))


def last_spatial_tensor(proto):
    """Name of the last node output, in ONNX execution order, that is rank 4 with h*w > 1."""
    inferred = onnx.shape_inference.infer_shapes(proto)
    shapes = {}
    for value in list(inferred.graph.value_info) + list(inferred.graph.output):
        shapes[value.name] = [d.dim_value if d.HasField("dim_value") else None
                              for d in value.type.tensor_type.shape.dim]
    chosen = None
    for node in inferred.graph.node:
        for out in node.output:
            shape = shapes.get(out)
            if shape is not None and len(shape) == 4 and shape[2] and shape[3] and shape[2] * shape[3] > 1:
                chosen = out
    return chosen, shapes


def onnx_tensor_value(proto, tensor_name, x):
    """Evaluates one intermediate ONNX tensor with the engine script's float64 NumPy interpreter."""
    probe = copy.deepcopy(proto)
    del probe.graph.output[:]
    probe.graph.output.append(onnx.helper.make_empty_tensor_value_info(tensor_name))
    return engine.run_numpy_reference(probe, {"input": x})


# ----------------------------------------------------------------------------------------------
# Methods
# ----------------------------------------------------------------------------------------------

def target_objective(logits, targets):
    """Sum over the batch of logit[n, target_n]: samples are independent in eval mode, so its
    gradient holds every sample's own d logit[target] / d input."""
    return logits.gather(1, targets[:, None]).sum()


def input_gradient(model, x, targets, rule=None):
    x = x.detach().clone().requires_grad_(True)
    logits, _, _, _ = forward_with_taps(model, x, [], rule)
    (grad,) = torch.autograd.grad(target_objective(logits, targets), [x])
    return grad


def ig_rule(rule, n):
    """(alphas, weights) of Captum's integral approximations, weights summing to 1."""
    if rule == "gausslegendre":
        nodes, weights = np.polynomial.legendre.leggauss(n)
        return 0.5 * (1.0 + nodes), 0.5 * weights
    if rule == "riemann-left":
        return np.arange(n) / n, np.full(n, 1.0 / n)
    if rule == "riemann-right":
        return (np.arange(n) + 1.0) / n, np.full(n, 1.0 / n)
    if rule == "riemann-middle":
        return (np.arange(n) + 0.5) / n, np.full(n, 1.0 / n)
    if rule == "riemann-trapezoid":
        weights = np.full(n, 1.0 / (n - 1))
        weights[0] /= 2
        weights[-1] /= 2
        return np.linspace(0.0, 1.0, n), weights
    raise ValueError(rule)


def integrated_gradients(model, x, targets, rule, n, chunk=25):
    """Zero baseline. Returns attributions and f(x) - f(0) per sample."""
    alphas, weights = ig_rule(rule, n)
    assert abs(weights.sum() - 1.0) < 1e-12, (rule, n, weights.sum())
    total = torch.zeros_like(x)
    batch = x.shape[0]
    for start in range(0, n, chunk):
        a = torch.tensor(alphas[start:start + chunk], dtype=x.dtype)
        w = torch.tensor(weights[start:start + chunk], dtype=x.dtype)
        steps = len(a)
        scaled = (a.view(steps, 1, 1, 1, 1) * x[None]).reshape(steps * batch, *x.shape[1:])
        scaled = scaled.detach().requires_grad_(True)
        logits, _, _, _ = forward_with_taps(model, scaled, [])
        (grad,) = torch.autograd.grad(target_objective(logits, targets.repeat(steps)), [scaled])
        total += (w.view(steps, 1, 1, 1, 1) * grad.reshape(steps, batch, *x.shape[1:])).sum(0)
    attributions = x * total
    with torch.no_grad():
        fx = model(x).gather(1, targets[:, None])[:, 0]
        f0 = model(torch.zeros_like(x)).gather(1, targets[:, None])[:, 0]
    return attributions, fx - f0


def layer_activation_and_gradient(model, x, targets, tap):
    x = x.detach().clone()
    logits, tensors, views, _ = forward_with_taps(model, x, [tap])
    (grad,) = torch.autograd.grad(target_objective(logits, targets), [tensors[0]])
    return views[0].detach(), grad.reshape(views[0].shape)


def cam_maps(A, G):
    """All CAM variants from activation A and gradient G, both [N,C,h,w]; each result [N,h,w]."""
    sum_a = A.sum(dim=(2, 3))
    g2 = G * G
    g3 = g2 * G
    aij = g2 / (2.0 * g2 + sum_a[:, :, None, None] * g3 + 1e-6)
    aij = torch.where(G != 0, aij, torch.zeros_like(aij))
    weights = {
        "grad-cam": G.mean(dim=(2, 3)),
        "grad-cam-plus-plus": (G.clamp(min=0.0) * aij).sum(dim=(2, 3)),
        "xgrad-cam": (G * A / (sum_a[:, :, None, None] + 1e-7)).sum(dim=(2, 3)),
    }
    maps = {name: F.relu((w[:, :, None, None] * A).sum(dim=1)) for name, w in weights.items()}
    maps["layer-cam"] = F.relu((G.clamp(min=0.0) * A).sum(dim=1))
    maps["hires-cam"] = F.relu((G * A).sum(dim=1))
    return maps


def upsample_nearest(cam, size):
    """Captum LayerAttribution.interpolate(mode='nearest') = F.interpolate nearest; checked against
    the index rule src = floor(dst * in / out) in exact integer arithmetic."""
    up = F.interpolate(cam[:, None], size=size, mode="nearest")
    h, w = cam.shape[1:]
    rows = (np.arange(size[0]) * h) // size[0]
    cols = (np.arange(size[1]) * w) // size[1]
    explicit = cam[:, rows][:, :, cols][:, None]
    assert torch.equal(up, explicit), "torch nearest differs from floor(dst * in / out)"
    return up


def compute_all(model, x, targets, taps, ig_runs, gradient_methods):
    """The CAMs at every tap, the integrated gradients runs, and (if gradient_methods) the other
    input-space methods, for one precision. Returns {key: tensor}, IG deltas {key: [per sample]}
    and [(A, G, {cam: map})] per tap."""
    results, deltas = {}, {}
    cams_per_layer = []
    for tap in taps:
        A, G = layer_activation_and_gradient(model, x, targets, tap)
        cams_per_layer.append((A, G, cam_maps(A, G)))
    if gradient_methods:
        gradient_based_methods(model, x, targets, cams_per_layer[0][2]["grad-cam"], results)
    for rule, n in ig_runs:
        attributions, difference = integrated_gradients(model, x, targets, rule, n)
        key = f"integrated-gradients_{rule}-{n}"
        results[key] = attributions
        sums = attributions.double().sum(dim=(1, 2, 3))
        deltas[key] = (sums - difference.double()).abs().tolist()
    return results, deltas, cams_per_layer


def gradient_based_methods(model, x, targets, grad_cam, results):
    grad = input_gradient(model, x, targets)
    results["saliency"] = grad
    results["input-x-gradient"] = x * grad
    # a custom Rectifier with the true derivative must give exactly autograd's gradient
    assert torch.equal(input_gradient(model, x, targets, rule="gradient"), grad)
    results["guided-backprop"] = input_gradient(model, x, targets, rule="guided")
    results["deconvnet"] = input_gradient(model, x, targets, rule="deconv")
    results["guided-grad-cam"] = results["guided-backprop"] * upsample_nearest(grad_cam, tuple(x.shape[2:]))


# ----------------------------------------------------------------------------------------------
# Fixture writing
# ----------------------------------------------------------------------------------------------

def save(out_dir, file_name, tensor):
    array = np.ascontiguousarray(tensor.detach().numpy(), dtype=np.float32)
    np.save(os.path.join(out_dir, file_name), array)
    return file_name


def describe(tensor64, tensor32):
    a64 = tensor64.detach().double()
    diff = float((a64 - tensor32.detach().double()).abs().max())
    return {
        "shape": list(tensor64.shape),
        "max_abs": float(a64.abs().max()),
        "float32_torch_max_abs_diff": diff,
    }


def method_options(key):
    if key.startswith("integrated-gradients_"):
        rule, steps = key.split("_", 1)[1].rsplit("-", 1)
        return {"baseline": "zeros", "rule": rule, "steps": int(steps)}
    return {}


def run_case(name, model32, model64, x32, targets, out_dir, suffix, ig_runs, gradient_methods, entry_methods):
    """Computes one (input, targets) case in both precisions and writes its files."""
    taps = list(CAM_LAYERS[name])
    x64 = x32.double()
    r64, d64, cams64 = compute_all(model64, x64, targets, taps, ig_runs, gradient_methods)
    r32, d32, cams32 = compute_all(model32, x32, targets, taps, ig_runs, gradient_methods)
    for key in r64:
        file_name = f"{name}_{key}{suffix}.npy"
        info = {"file": save(out_dir, file_name, r64[key]), **method_options(key), **describe(r64[key], r32[key])}
        if key in d64:
            info["convergence_delta_float64"] = d64[key]
            info["convergence_delta_float32_torch"] = d32[key]
        entry_methods[f"{key}{suffix}"] = info
    for layer_index, ((A64, G64, maps64), (A32, G32, maps32)) in enumerate(zip(cams64, cams32)):
        layer_suffix = "" if layer_index == 0 else "_early-layer"
        for method in maps64:
            key = f"{method}{layer_suffix}{suffix}"
            info = {"file": save(out_dir, f"{name}_{key}.npy", maps64[method]),
                    "layer": taps[layer_index].onnx_tensor, **describe(maps64[method], maps32[method])}
            entry_methods[key] = info
        if suffix == "":
            for label, t64, t32 in (("activation", A64, A32), ("gradient", G64, G32)):
                key = f"cam-layer-{label}{layer_suffix}"
                info = {"file": save(out_dir, f"{name}_{key}.npy", t64),
                        "layer": taps[layer_index].onnx_tensor, **describe(t64, t32)}
                entry_methods[key] = info
    return d64


def make_model_fixtures(name, out_dir, engine_manifest):
    spec_entry = next(m for m in engine_manifest["models"] if m["name"] == name)
    files = spec_entry["files"]
    model32 = rebuild_model(name)
    model64 = copy.deepcopy(model32).double()
    proto = onnx.load(os.path.join(ENGINE_DIR, files["onnx"]))

    x_b1 = torch.from_numpy(np.load(os.path.join(ENGINE_DIR, files["input_b1"])))
    x_b4 = torch.from_numpy(np.load(os.path.join(ENGINE_DIR, files["input_b4"])))
    logits_b1 = np.load(os.path.join(ENGINE_DIR, files["logits_b1"]))
    logits_b4 = np.load(os.path.join(ENGINE_DIR, files["logits_b4"]))
    with torch.no_grad():
        err_b1 = float(np.abs(model32(x_b1).numpy() - logits_b1).max())
        err_b4 = float(np.abs(model32(x_b4).numpy() - logits_b4).max())
    assert err_b1 < 1e-5 and err_b4 < 1e-5, f"{name}: rebuilt model differs from committed logits ({err_b1}, {err_b4})"

    # -- the CAM layers are ONNX tensors; check the torch taps really are those tensors -----------
    last_name, shapes = last_spatial_tensor(proto)
    taps = CAM_LAYERS[name]
    assert last_name == taps[0].onnx_tensor, f"{name}: last spatial ONNX tensor is {last_name}"
    tap_checks = []
    with torch.no_grad():
        logits, _, views, rectifier_calls = forward_with_taps(model32, x_b1, list(taps))
    onnx_rectifiers = sum(1 for n in proto.graph.node if n.op_type in ("Relu", "Clip"))
    assert rectifier_calls == onnx_rectifiers, (name, rectifier_calls, onnx_rectifiers)
    for tap, view in zip(taps, views):
        reference = onnx_tensor_value(proto, tap.onnx_tensor, x_b1.numpy())
        assert reference.shape == tuple(view.shape), (name, tap.onnx_tensor, reference.shape, view.shape)
        assert list(reference.shape[1:]) == shapes[tap.onnx_tensor][1:], (name, tap.onnx_tensor)
        err = float(np.abs(reference - view.numpy().astype(np.float64)).max())
        assert err <= 1e-4 * max(1.0, float(np.abs(reference).max())), (name, tap.onnx_tensor, err)
        tap_checks.append({"onnx_tensor": tap.onnx_tensor, "shape": list(reference.shape),
                           "numpy_onnx_vs_torch_max_abs_error": err})

    target = int(spec_entry["target"])
    targets_b1 = torch.tensor([target])
    assert target == int(logits_b1[0].argmax())
    methods = {}
    ig_runs = [("gausslegendre", IG_MAIN_STEPS)] + [(rule, IG_RIEMANN_STEPS) for rule in RIEMANN_RULES]
    ig_runs += [("gausslegendre", n) for n in IG_CONVERGENCE_STEPS if n != IG_MAIN_STEPS]
    run_case(name, model32, model64, x_b1, targets_b1, out_dir, "", ig_runs, True, methods)

    # the convergence study keeps only its deltas; its attributions stay out of the fixtures
    convergence = {}
    for n in IG_CONVERGENCE_STEPS:
        key = f"integrated-gradients_gausslegendre-{n}"
        info = methods[key]
        convergence[str(n)] = {"float64": info["convergence_delta_float64"][0],
                               "float32_torch": info["convergence_delta_float32_torch"][0]}
        if n != IG_MAIN_STEPS:
            os.remove(os.path.join(out_dir, info["file"]))
            del methods[key]

    # evidence that the large-step limit is right: a fine midpoint rule closes the completeness gap
    _, sanity_deltas, _ = compute_all(model64, x_b1.double(), targets_b1, [], [("riemann-middle", 1000)], False)
    sanity_delta = sanity_deltas["integrated-gradients_riemann-middle-1000"][0]
    assert sanity_delta < 0.02 * max(1.0, abs(float(logits_b1[0, target]))), (name, sanity_delta)

    # saliency must equal the engine fixture's input gradient
    saliency = np.load(os.path.join(out_dir, methods["saliency"]["file"]))
    grad_b1 = np.load(os.path.join(ENGINE_DIR, files["grad_b1"]))
    saliency_vs_engine = float(np.abs(saliency - grad_b1).max())
    assert saliency_vs_engine <= 1e-5 * max(1.0, float(np.abs(grad_b1).max())), (name, saliency_vs_engine)

    # -- batch 2: the first two images of input_b4, targets = their top-1 --------------------------
    x_b2 = x_b4[:2].contiguous()
    targets_b2 = torch.from_numpy(logits_b4[:2].argmax(axis=1)).long()
    b2_ig = name in BATCH2_IG_MODELS
    b2_runs = [("gausslegendre", IG_MAIN_STEPS)] if b2_ig else []
    b2_deltas = run_case(name, model32, model64, x_b2, targets_b2, out_dir, "_b2", b2_runs, False, methods)
    # the same two images with other, DIFFERENT targets per sample (image 0: its top-1; image 1: its
    # best class that is neither image 0's target nor its own top-1), so a test can tell per-sample
    # targets from a broadcast first target and from a silent argmax
    ranked = [int(c) for c in np.argsort(-logits_b4[1])]
    other = next(c for c in ranked if c not in (int(targets_b2[0]), int(targets_b2[1])))
    targets_mixed = torch.tensor([int(targets_b2[0]), other])
    run_case(name, model32, model64, x_b2, targets_mixed, out_dir, "_b2-mixed-targets", [], False, methods)

    entry = {
        "name": name,
        "onnx": f"../engine/{files['onnx']}",
        "input_b1": f"../engine/{files['input_b1']}",
        "target_b1": target,
        "input_b2": {"source": f"../engine/{files['input_b4']}", "rows": [0, 1]},
        "targets_b2": [int(t) for t in targets_b2],
        "targets_b2_mixed": [int(t) for t in targets_mixed],
        "rebuilt_model_logits_max_abs_error": max(err_b1, err_b4),
        "saliency_vs_engine_grad_b1_max_abs_diff": saliency_vs_engine,
        "cam_layer": taps[0].onnx_tensor,
        "cam_layer_early": taps[1].onnx_tensor,
        "cam_layer_checks": tap_checks,
        "integrated_gradients_convergence_delta_gausslegendre": convergence,
        "integrated_gradients_convergence_delta_riemann_middle_1000_float64": sanity_delta,
        "methods": methods,
    }
    if b2_ig:
        entry["integrated_gradients_b2_convergence_delta_float64"] = b2_deltas
    print(f"{name:13s} target {target}  b2 targets {entry['targets_b2']}  mixed {entry['targets_b2_mixed']}  "
          f"cam layer {taps[0].onnx_tensor}")
    for n, d in convergence.items():
        print(f"   IG gausslegendre {n:>3s} steps: |delta| float64 {d['float64']:.3e}  float32 {d['float32_torch']:.3e}")
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: the test fixtures)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    with open(os.path.join(ENGINE_DIR, "manifest.json")) as f:
        engine_manifest = json.load(f)

    entries = [make_model_fixtures(name, args.out, engine_manifest) for name in MODELS]
    manifest = {
        "generator": "tools/make_attribution_fixtures.py",
        "torch": torch.__version__,
        "onnx": onnx.__version__,
        "notes": (
            "float32 .npy, batch axis kept: [N,C,H,W] for input-space methods, [N,h,w] for CAMs. Paths of "
            "inputs/models are relative to this folder. Stored values were computed with a float64 copy of "
            "the model; 'float32_torch_max_abs_diff' is how far a float32 PyTorch run of the same definition "
            "lands from them. Targets index the logits (pre-softmax). CAMs are raw maps (relu applied, no "
            "normalisation, no resize). Layers are named by ONNX tensor name. Rectifiers (guided-backprop, "
            "deconvnet) are every ONNX Relu and every Clip with min 0. Integrated gradients use a zero "
            "baseline; convergence_delta = |sum(attr) - (f(x) - f(0))| per sample. guided-grad-cam uses the "
            "model's cam_layer grad-cam upsampled with nearest: src = floor(dst * in / out)."),
        "definitions": {
            "saliency": "d logit[target] / d input (not abs)",
            "input-x-gradient": "input * saliency",
            "integrated-gradients": "x * sum_k w_k * grad(alpha_k * x); gausslegendre: alpha = 0.5*(1+t_k), "
                                    "w = 0.5*w_k from leggauss(n); riemann-left/right/middle: w = 1/n at "
                                    "i/n, (i+1)/n, (i+0.5)/n; riemann-trapezoid: alpha = linspace(0,1,n), "
                                    "w = 1/(n-1) halved at both ends",
            "guided-backprop": "rectifier backward = relu(grad_out * 1[0 < x (< max for Clip)])",
            "deconvnet": "rectifier backward = relu(grad_out)",
            "grad-cam": "relu(sum_c mean_hw(G_c) * A_c)",
            "grad-cam-plus-plus": "a = G^2 / (2 G^2 + sum_hw(A) G^3 + 1e-6), a = 0 where G == 0; "
                                  "w_c = sum_hw(relu(G) * a); relu(sum_c w_c A_c)",
            "xgrad-cam": "w_c = sum_hw(G * A / (sum_hw(A) + 1e-7)); relu(sum_c w_c A_c)",
            "layer-cam": "relu(sum_c relu(G) * A)",
            "hires-cam": "relu(sum_c G * A)",
            "guided-grad-cam": "guided-backprop * nearest_upsample(grad-cam at cam_layer)",
            "cam-layer-activation": "A at the layer, [N,C,h,w] (debug aid)",
            "cam-layer-gradient": "G = d logit[target] / d A, [N,C,h,w] (debug aid)",
        },
        "models": entries,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print(f"wrote {len(os.listdir(args.out))} files, {total / 1024:.1f} KiB in {args.out}")


if __name__ == "__main__":
    sys.exit(main())
