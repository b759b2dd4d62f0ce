#!/usr/bin/python3
"""Build the occlusion and feature-ablation parity fixtures: reference attributions in plain PyTorch.

For the engine fixture models lenet and resnet18 (tests/CnnLens.Tests/Fixtures/engine/), this rebuilds
each torch model exactly as tools/make_engine_fixtures.py did (same builder, seed, randomize_weights),
checks it reproduces the committed logits, and on the committed input_b1.npy (target = the manifest's
target) computes, in float64:

  occlusion         Captum Occlusion semantics, written here from Captum's published source (Captum is
                    not used): per dimension d of the image [C,H,W], ceil((D_d - w_d) / s_d) + 1 window
                    placements starting at k * s_d (a last window reaching past the edge is cut off);
                    window j is numbered with the channel offset varying fastest; the occluded input is
                    x * (1 - m) + baseline * m; every element covered by window j gets
                    (logit(x) - logit(occluded))[target]; the result is that sum divided by the number
                    of windows covering the element.
  feature-ablation  Captum FeatureAblation with a feature mask [1,1,H,W] (a grid of cells, numbered
                    row-major, last cells cut at the edge): feature f replaced by the baseline in all
                    channels, attribution of its elements (logit(x) - logit(ablated))[target].

Baselines: zero, or "mean" = the per-channel mean of the input. Outputs [1,C,H,W] float32 .npy files in
tests/CnnLens.Tests/Fixtures/perturbation/ plus manifest.json (cases with their options).

Run:  /usr/bin/python3 tools/make_perturbation_fixtures.py [--out DIR]
"""

import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_engine_fixtures as engine  # noqa: E402  (builders, seeds, randomize_weights)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGINE_DIR = os.path.join(REPO_ROOT, "tests", "CnnLens.Tests", "Fixtures", "engine")
DEFAULT_OUT = os.path.join(REPO_ROOT, "tests", "CnnLens.Tests", "Fixtures", "perturbation")

CASES = [
    # model, method, options
    ("lenet", "occlusion", {"window": [1, 6, 6], "stride": [1, 4, 4], "baseline": "zero"}),
    ("lenet", "feature-ablation", {"grid": [7, 5], "baseline": "mean"}),
    ("resnet18", "occlusion", {"window": [3, 12, 12], "stride": [3, 8, 8], "baseline": "zero"}),
    ("resnet18", "occlusion", {"window": [1, 16, 16], "stride": [1, 16, 16], "baseline": "mean"}),
    ("resnet18", "feature-ablation", {"grid": [10, 10], "baseline": "zero"}),
]


def rebuild_model(name):
    index = [spec.name for spec in engine.MODEL_SPECS].index(name)
    spec = engine.MODEL_SPECS[index]
    torch.manual_seed(engine.BASE_SEED + index)
    return engine.randomize_weights(spec.builder(spec.num_classes)).eval()


def make_baseline(x, kind):
    if kind == "zero":
        return torch.zeros_like(x)
    if kind == "mean":
        return x.mean(dim=(2, 3), keepdim=True).expand_as(x).clone()
    raise ValueError(kind)


def occlusion(model, x, target, window, strides, baseline):
    dims = x.shape[1:]
    counts = [int(math.ceil((dims[d] - window[d]) / strides[d])) + 1 for d in range(3)]
    original = model(x)[0, target]
    total = torch.zeros_like(x)
    weights = torch.zeros_like(x)
    for j in range(counts[0] * counts[1] * counts[2]):
        rest, start = j, []
        for d in range(3):  # channel offset varies fastest
            start.append((rest % counts[d]) * strides[d])
            rest //= counts[d]
        mask = torch.zeros_like(x)
        mask[0, start[0]:start[0] + window[0], start[1]:start[1] + window[1], start[2]:start[2] + window[2]] = 1
        occluded = x * (1 - mask) + baseline * mask
        total += (original - model(occluded)[0, target]) * mask
        weights += mask
    return total / weights, counts


def grid_mask(height, width, cell_h, cell_w):
    columns = (width + cell_w - 1) // cell_w
    ys = torch.arange(height).unsqueeze(1) // cell_h
    xs = torch.arange(width).unsqueeze(0) // cell_w
    return ys * columns + xs


def feature_ablation(model, x, target, mask, baseline):
    original = model(x)[0, target]
    result = torch.zeros_like(x)
    for f in range(int(mask.max()) + 1):
        m = (mask == f).to(x.dtype).expand_as(x[0]).unsqueeze(0)
        ablated = x * (1 - m) + baseline * m
        result += (original - model(ablated)[0, target]) * m
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    engine_manifest = json.load(open(os.path.join(ENGINE_DIR, "manifest.json")))
    entries = {e["name"]: e for e in engine_manifest["models"]}
    cases = []
    models = {}
    for name, method, options in CASES:
        entry = entries[name]
        if name not in models:
            model = rebuild_model(name)
            x32 = torch.from_numpy(np.load(os.path.join(ENGINE_DIR, entry["files"]["input_b1"])))
            logits = np.load(os.path.join(ENGINE_DIR, entry["files"]["logits_b1"]))
            with torch.no_grad():
                err = float(np.abs(model(x32).numpy() - logits).max())
            assert err <= 1e-4 * max(1.0, float(np.abs(logits).max())), f"{name}: rebuilt model differs by {err}"
            models[name] = (model.double(), x32.double())
        model, x = models[name]
        target = entry["target"]
        baseline = make_baseline(x, options["baseline"])
        with torch.no_grad():
            if method == "occlusion":
                values, counts = occlusion(model, x, target, options["window"], options["stride"], baseline)
                suffix = "w{}-s{}".format("x".join(map(str, options["window"])), "x".join(map(str, options["stride"])))
                evaluations = counts[0] * counts[1] * counts[2]
            else:
                cell_h, cell_w = options["grid"]
                mask = grid_mask(x.shape[2], x.shape[3], cell_h, cell_w)
                values = feature_ablation(model, x, target, mask, baseline)
                suffix = f"grid{cell_h}x{cell_w}"
                evaluations = int(mask.max()) + 1
        file_name = f"{name}_{method}_{suffix}_{options['baseline']}.npy"
        np.save(os.path.join(args.out, file_name), values.numpy().astype(np.float32))
        cases.append({"model": name, "method": method, "options": options, "target": target,
                      "evaluations": evaluations, "file": file_name, "max_abs": float(values.abs().max())})
        print(f"{file_name}: {evaluations} evaluations, max|attribution| {float(values.abs().max()):.4g}")
    manifest = {
        "generator": "tools/make_perturbation_fixtures.py",
        "torch": torch.__version__,
        "notes": "float64 reference rounded to float32, [1,C,H,W]; Captum Occlusion/FeatureAblation semantics in plain PyTorch (see the script's docstring)",
        "cases": cases,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
