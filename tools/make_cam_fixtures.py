#!/usr/bin/python3
"""Build the gradient-free CAM fixtures: score-cam, ablation-cam and eigen-cam computed in PyTorch.

pytorch-grad-cam is not installed (nor packaged for Debian); its definitions are re-implemented here in
plain PyTorch/NumPy from its source (ScoreCAM.get_cam_weights, AblationCAM.get_cam_weights with
AblationLayer, utils.svd_on_activations.get_2d_projection, BaseCAM.get_cam_image + np.maximum(cam, 0))
on the engine fixture models lenet, resnet18 and mobilenet_v2, at the same two layers per model as
tools/make_attribution_fixtures.py (whose model rebuilding and layer taps this script reuses):

  score-cam     U_c = UpsamplingBilinear2d(input size)(A)_c (align_corners=True);
                M_c = (U_c - min U_c) / (max U_c - min U_c + 1e-8);
                s_c = logit[target](x * M_c), evaluated 16 masked inputs per batch;
                w = softmax_c(s);  cam = relu(sum_c w_c A_c)
  ablation-cam  s = logit[target](x); s_c = the same with channel c of the layer's output set to 0
                (AblationLayer: 0 when the layer's minimum is 0, which this script asserts), the whole
                network re-run on 32 copies of the image per batch as pytorch-grad-cam does;
                w_c = (s - s_c) / s;  cam = relu(sum_c w_c A_c)
  eigen-cam     X = A reshaped to (h*w, C), each column centred on its mean; U,S,VT = svd(X);
                p = X @ VT[0];  cam = relu(p)

The CAMs are per-layer maps before pytorch-grad-cam's resize and min-max normalisation ([N,h,w] at the
layer's resolution). A singular vector's sign is not defined by the maths; LAPACK returns some sign.
The stored eigen-cam uses the sign CnnLens documents (projection positively correlated with the
channel sum of A per position); the manifest records whether NumPy's LAPACK sign agreed, and the raw
LAPACK projection is stored too (eigen-projection), so a test can check the projection up to sign.

Every reference is computed with a float64 copy of the model (stored, rounded to float32) and a float32
copy (the difference recorded in the manifest as a yardstick for tolerances).

Run:  /usr/bin/python3 tools/make_cam_fixtures.py [--out DIR]
"""

import argparse
import contextlib
import copy
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_attribution_fixtures as attribution  # noqa: E402  (rebuild_model, CAM_LAYERS, taps)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGINE_DIR = attribution.ENGINE_DIR
DEFAULT_OUT = os.path.join(REPO_ROOT, "tests", "CnnLens.Tests", "Fixtures", "cam")
MODELS = ["lenet", "resnet18", "mobilenet_v2"]
SCORE_BATCH = 16     # ScoreCAM's default BATCH_SIZE
ABLATION_BATCH = 32  # AblationCAM's default batch_size


@contextlib.contextmanager
def layer_replaced(model, tap, replace):
    """While active, the tap's tensor is replaced by replace(original) in every forward pass."""
    handles = []
    originals = {}
    if tap.kind == "module_output":
        handles.append(attribution.resolve_module(model, tap.path).register_forward_hook(
            lambda m, inp, out: replace(out)))
    elif tap.kind == "module_input":
        def pre_hook(m, inp):
            flat = inp[0]
            return (replace(flat.reshape(flat.shape[0], *tap.shape)).reshape(flat.shape),)
        handles.append(attribution.resolve_module(model, tap.path).register_forward_pre_hook(pre_hook))
    elif tap.kind == "rectifier":
        originals = {"relu": F.relu, "hardtanh": F.hardtanh, "relu6": F.relu6}
        calls = [0]

        def counted(out):
            index = calls[0]
            calls[0] += 1
            return replace(out) if index == tap.index else out

        F.relu = lambda input, inplace=False: counted(originals["relu"](input))
        F.hardtanh = lambda input, min_val=-1.0, max_val=1.0, inplace=False: counted(
            originals["hardtanh"](input, min_val, max_val))
        F.relu6 = lambda input, inplace=False: F.hardtanh(input, 0.0, 6.0)
    try:
        yield
    finally:
        for h in handles:
            h.remove()
        if originals:
            F.relu, F.hardtanh, F.relu6 = originals["relu"], originals["hardtanh"], originals["relu6"]


def activation_of(model, x, tap):
    with torch.no_grad():
        logits, _, views, _ = attribution.forward_with_taps(model, x, [tap])
    return logits, views[0]


def score_cam(model, x, targets, A):
    """pytorch-grad-cam ScoreCAM.get_cam_weights, then BaseCAM.get_cam_image and the ReLU."""
    with torch.no_grad():
        upsampled = torch.nn.UpsamplingBilinear2d(size=x.shape[-2:])(A)
        flat = upsampled.view(upsampled.size(0), upsampled.size(1), -1)
        maxs, mins = flat.max(dim=-1)[0][:, :, None, None], flat.min(dim=-1)[0][:, :, None, None]
        upsampled = (upsampled - mins) / (maxs - mins + 1e-8)
        inputs = x[:, None, :, :] * upsampled[:, :, None, :, :]
        scores = []
        for target, tensor in zip(targets.tolist(), inputs):
            for i in range(0, tensor.size(0), SCORE_BATCH):
                scores.extend(o[target].item() for o in model(tensor[i:i + SCORE_BATCH]))
        scores = torch.tensor(scores, dtype=x.dtype).view(A.shape[0], A.shape[1])
        weights = torch.softmax(scores, dim=-1)
        return F.relu((weights[:, :, None, None] * A).sum(dim=1))


def ablation_cam(model, x, targets, A, tap):
    """pytorch-grad-cam AblationCAM: the whole network re-run on ABLATION_BATCH copies of the image,
    the layer's output replaced by the cached activation with one channel per row set to 0."""
    with torch.no_grad():
        original = model(x).gather(1, targets[:, None])[:, 0]
        channels = A.shape[1]
        weights = torch.zeros(A.shape[:2], dtype=x.dtype)
        for b in range(x.shape[0]):
            assert float(A[b].min()) == 0.0, "AblationLayer would ablate to min - 1e7 here, not 0"
            new_scores = []
            for start in range(0, channels, ABLATION_BATCH):
                count = min(ABLATION_BATCH, channels - start)
                ablated = A[b:b + 1].repeat(count, 1, 1, 1).clone()
                for i in range(count):
                    ablated[i, start + i] = 0
                with layer_replaced(model, tap, lambda out: ablated):
                    logits = model(x[b:b + 1].repeat(count, 1, 1, 1))
                new_scores.extend(logits[:, int(targets[b])].tolist())
            new_scores = torch.tensor(new_scores, dtype=x.dtype)
            weights[b] = (original[b] - new_scores) / original[b]
        return F.relu((weights[:, :, None, None] * A).sum(dim=1))


def eigen_projection(A):
    """get_2d_projection on NumPy arrays: raw LAPACK sign. Returns projection [N,h,w] and the ratio
    of the first two singular values (how well the first component is defined)."""
    projections, gaps = [], []
    for activations in A.numpy():
        reshaped = activations.reshape(activations.shape[0], -1).transpose()
        reshaped = reshaped - reshaped.mean(axis=0)
        _, S, VT = np.linalg.svd(reshaped, full_matrices=True)
        projections.append((reshaped @ VT[0, :]).reshape(activations.shape[1:]))
        gaps.append(float(S[0] / S[1]) if len(S) > 1 and S[1] > 0 else float("inf"))
    return torch.from_numpy(np.array(projections)), gaps


def cnnlens_sign(A, projection):
    """+1/-1 per image: the projection must correlate positively with sum_c A_c per position."""
    totals = A.sum(dim=1)
    signs = []
    for p, t in zip(projection, totals):
        correlation = float((p.double() * t.double()).sum())
        magnitude = float((p.double() * t.double()).abs().sum())
        if abs(correlation) > 1e-9 * magnitude:
            signs.append(1.0 if correlation > 0 else -1.0)
        else:
            flat = p.flatten()
            signs.append(1.0 if float(flat[flat.abs().argmax()]) > 0 else -1.0)
    return signs


def all_methods(model, x, targets, tap):
    logits, A = activation_of(model, x, tap)
    projection, gaps = eigen_projection(A)
    signs = cnnlens_sign(A, projection)
    eigen = F.relu(torch.stack([s * p for s, p in zip(signs, projection)]))
    return {
        "score-cam": score_cam(model, x, targets, A),
        "ablation-cam": ablation_cam(model, x, targets, A, tap),
        "eigen-cam": eigen,
        "eigen-projection": projection,
    }, {"eigen_singular_value_ratio": gaps, "lapack_sign_agrees_with_cnnlens": [s > 0 for s in signs],
        "layer_min": float(A.min())}


def save(out_dir, file_name, tensor):
    np.save(os.path.join(out_dir, file_name), np.ascontiguousarray(tensor.detach().numpy(), dtype=np.float32))
    return file_name


def make_model_fixtures(name, out_dir, engine_manifest, attribution_manifest):
    spec = next(m for m in engine_manifest["models"] if m["name"] == name)
    entry_attr = next(m for m in attribution_manifest["models"] if m["name"] == name)
    model32 = attribution.rebuild_model(name)
    model64 = copy.deepcopy(model32).double()
    x_b1 = torch.from_numpy(np.load(os.path.join(ENGINE_DIR, spec["files"]["input_b1"])))
    x_b4 = torch.from_numpy(np.load(os.path.join(ENGINE_DIR, spec["files"]["input_b4"])))
    with torch.no_grad():
        err = float(np.abs(model32(x_b1).numpy() - np.load(os.path.join(ENGINE_DIR, spec["files"]["logits_b1"]))).max())
    assert err < 1e-5, (name, err)
    cases = [("", x_b1, torch.tensor([entry_attr["target_b1"]])),
             ("_b2-mixed-targets", x_b4[:2].contiguous(), torch.tensor(entry_attr["targets_b2_mixed"]))]
    methods = {}
    for layer_index, tap in enumerate(attribution.CAM_LAYERS[name]):
        layer_suffix = "" if layer_index == 0 else "_early-layer"
        for suffix, x, targets in cases:
            r64, info64 = all_methods(model64, x.double(), targets, tap)
            r32, info32 = all_methods(model32, x, targets, tap)
            for method, value in r64.items():
                key = f"{method}{layer_suffix}{suffix}"
                diff = float((value - r32[method].double()).abs().max())
                if method == "eigen-projection":  # float32 LAPACK may pick the other sign, image by image
                    diff = max(min(float((v - w).abs().max()), float((v + w).abs().max()))
                               for v, w in zip(value, r32[method].double()))
                methods[key] = {
                    "file": save(out_dir, f"{name}_{key}.npy", value),
                    "layer": tap.onnx_tensor,
                    "shape": list(value.shape),
                    "max_abs": float(value.abs().max()),
                    "float32_torch_max_abs_diff": diff,
                }
                if method.startswith("eigen"):
                    methods[key].update({k: info64[k] for k in ("eigen_singular_value_ratio", "lapack_sign_agrees_with_cnnlens")})
                    methods[key]["float32_lapack_sign_agrees_with_cnnlens"] = info32["lapack_sign_agrees_with_cnnlens"]
                if method == "ablation-cam":
                    methods[key]["layer_min"] = info64["layer_min"]
            print(f"{name:13s} {tap.onnx_tensor:55s} {suffix or 'b1':18s} eigen gap {info64['eigen_singular_value_ratio']} "
                  f"lapack sign agrees {info64['lapack_sign_agrees_with_cnnlens']}")
    return {
        "name": name,
        "onnx": f"../engine/{spec['files']['onnx']}",
        "target_b1": entry_attr["target_b1"],
        "targets_b2_mixed": entry_attr["targets_b2_mixed"],
        "cam_layer": attribution.CAM_LAYERS[name][0].onnx_tensor,
        "cam_layer_early": attribution.CAM_LAYERS[name][1].onnx_tensor,
        "methods": methods,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    with open(os.path.join(ENGINE_DIR, "manifest.json")) as f:
        engine_manifest = json.load(f)
    with open(os.path.join(attribution.DEFAULT_OUT, "manifest.json")) as f:
        attribution_manifest = json.load(f)
    manifest = {
        "generator": "tools/make_cam_fixtures.py",
        "torch": torch.__version__,
        "numpy": np.__version__,
        "notes": ("float32 .npy [N,h,w] at the layer's resolution, relu applied, no resize or normalisation. Inputs: "
                  "engine fixtures input_b1 (suffix '') and rows 0,1 of input_b4 with targets_b2_mixed "
                  "(suffix '_b2-mixed-targets'). '_early-layer': cam_layer_early. eigen-projection is the raw "
                  "get_2d_projection with LAPACK's sign (no relu)."),
        "models": [make_model_fixtures(name, args.out, engine_manifest, attribution_manifest) for name in MODELS],
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print(f"wrote {len(os.listdir(args.out))} files, {total / 1024:.1f} KiB in {args.out}")


if __name__ == "__main__":
    sys.exit(main())
