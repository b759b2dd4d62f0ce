#!/usr/bin/python3
"""PyTorch reference timings for the CnnLens benchmarks, on the same full-size models.

Exports FULL-SIZE torchvision resnet18, mobilenet_v2 and squeezenet1_1 (seeded random weights,
opset 13, constant folding on, dynamic batch) to --out-dir as <model>.onnx, plus the shared
random input input_224.npy ([1,3,224,224] float32), so `cnnlens bench` can time the very same
graphs and input. These files are large and are NOT committed.

Then times, with torch.set_num_threads(THREADS):
  forward               batch 1 and batch 16 (torch.no_grad)
  saliency              forward + backward of d logit[target] / d input, batch 1
  integrated-gradients  50 Gauss-Legendre steps in one batch of 50: interpolate, forward,
                        backward, weighted mean of the gradients, times (input - baseline)
  occlusion             (with --occlusion) the sliding-window occlusion of Captum's Occlusion:
                        window 3x16x16, stride 3x8x8, zero baseline, on 224x224 => 729 windows,
                        evaluated in batches of --occlusion-batch perturbed inputs
and prints one JSON line per measurement:
  {"framework":"pytorch","model":..,"task":..,"batch":..,"median_ms":..,"min_ms":..,"runs":..,"threads":..}

Run:  /usr/bin/python3 tools/bench_pytorch.py --out-dir /tmp/cnnlens-bench [--occlusion]
"""

import argparse
import json
import os
import statistics
import sys
import time
import warnings

import numpy as np
import torch
import torchvision

MODELS = ("resnet18", "mobilenet_v2", "squeezenet1_1")
TASKS = ("forward", "saliency", "integrated-gradients", "occlusion")
SEED = 1234


def build_model(name):
    torch.manual_seed(SEED)
    model = getattr(torchvision.models, name)(weights=None, num_classes=1000)
    return model.eval()


def export_model(model, sample, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, sample, path,
            export_params=True,
            opset_version=13,
            do_constant_folding=True,
            input_names=["input"],
            output_names=["logits"],
            dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        )


def time_runs(fn, runs, warmup):
    """Milliseconds of each of `runs` calls of fn, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    _cpu_times.clear()
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
        _cpu_times.append((time.process_time() - cpu_start) * 1000.0)
    return times


# Process CPU milliseconds (all threads) of the runs last timed: less disturbed than wall time
# when other jobs share the machine.
_cpu_times = []


def report(model_name, task, batch, times, threads, **extra):
    line = {
        "framework": "pytorch",
        "model": model_name,
        "task": task,
        "batch": batch,
        "median_ms": round(statistics.median(times), 3),
        "min_ms": round(min(times), 3),
        "runs": len(times),
        "threads": threads,
    }
    if len(_cpu_times) == len(times):
        line["cpu_median_ms"] = round(statistics.median(_cpu_times), 3)
    line.update(extra)
    print(json.dumps(line, separators=(",", ":")), flush=True)


def saliency(model, x, target):
    x = x.detach().clone().requires_grad_(True)
    model(x)[0, target].backward()
    return x.grad


def integrated_gradients(model, x, target, steps):
    """Captum IntegratedGradients (zero baseline, Gauss-Legendre) with all steps in one batch."""
    nodes, weights = np.polynomial.legendre.leggauss(steps)
    alphas = torch.tensor((nodes + 1.0) / 2.0, dtype=torch.float32).view(-1, 1, 1, 1)
    step_weights = torch.tensor(weights / 2.0, dtype=torch.float32).view(-1, 1, 1, 1)
    baseline = torch.zeros_like(x)
    scaled = (baseline + alphas * (x - baseline)).requires_grad_(True)
    model(scaled)[:, target].sum().backward()
    mean_grad = (scaled.grad * step_weights).sum(dim=0, keepdim=True)
    return mean_grad * (x - baseline)


def occlusion_window_starts(sample_shape, window, stride):
    """(channel, row, column) of every window position, as Captum enumerates them."""
    channels, height, width = sample_shape
    return [(c, h, w)
            for c in range(0, channels - window[0] + 1, stride[0])
            for h in range(0, height - window[1] + 1, stride[1])
            for w in range(0, width - window[2] + 1, stride[2])]


def occlusion(model, x, target, window, stride, batch_size):
    """Captum Occlusion semantics: for each window position, replace the window with the zero
    baseline, attribution += (f(x) - f(x_occluded)) over the window, then divide each element by
    the number of windows that covered it."""
    _, channels, height, width = x.shape
    wc, wh, ww = window
    starts = occlusion_window_starts(x.shape[1:], window, stride)
    with torch.no_grad():
        reference = model(x)[0, target]
        total = torch.zeros_like(x[0])
        count = torch.zeros_like(x[0])
        for first in range(0, len(starts), batch_size):
            chunk = starts[first:first + batch_size]
            masks = torch.zeros(len(chunk), channels, height, width)
            for i, (c, h, w) in enumerate(chunk):
                masks[i, c:c + wc, h:h + wh, w:w + ww] = 1.0
            perturbed = x * (1.0 - masks)  # baseline 0
            scores = model(perturbed)[:, target]
            total += ((reference - scores).view(-1, 1, 1, 1) * masks).sum(dim=0)
            count += masks.sum(dim=0)
    return (total / count).unsqueeze(0)


def main():
    parser = argparse.ArgumentParser(description="PyTorch reference timings for CnnLens benchmarks.")
    parser.add_argument("--out-dir", required=True, help="where the full-size .onnx files and input go")
    parser.add_argument("--models", nargs="*", default=list(MODELS), choices=MODELS)
    parser.add_argument("--tasks", nargs="*", default=["forward", "saliency", "integrated-gradients"],
                        choices=TASKS)
    parser.add_argument("--occlusion", action="store_true", help="also time the occlusion benchmark")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=30, help="timed runs at batch 1 (forward, saliency)")
    parser.add_argument("--batch-runs", type=int, default=10, help="timed runs of batch-16 forward")
    parser.add_argument("--ig-runs", type=int, default=5, help="timed runs of integrated gradients")
    parser.add_argument("--ig-steps", type=int, default=50)
    parser.add_argument("--occlusion-runs", type=int, default=3)
    parser.add_argument("--occlusion-batch", type=int, default=32)
    parser.add_argument("--no-export", action="store_true", help="skip writing the .onnx files")
    args = parser.parse_args()

    tasks = list(args.tasks) + (["occlusion"] if args.occlusion and "occlusion" not in args.tasks else [])
    torch.set_num_threads(args.threads)
    os.makedirs(args.out_dir, exist_ok=True)

    generator = torch.Generator().manual_seed(SEED)
    x1 = torch.randn(1, 3, 224, 224, generator=generator)
    x16 = torch.randn(16, 3, 224, 224, generator=generator)
    np.save(os.path.join(args.out_dir, "input_224.npy"), x1.numpy())

    for name in args.models:
        model = build_model(name)
        if not args.no_export:
            export_model(model, x1, os.path.join(args.out_dir, f"{name}.onnx"))
        for p in model.parameters():  # only input gradients are timed
            p.requires_grad_(False)
        with torch.no_grad():
            target = int(model(x1)[0].argmax())

        if "forward" in tasks:
            with torch.no_grad():
                times = time_runs(lambda: model(x1), args.runs, warmup=3)
                report(name, "forward", 1, times, args.threads)
                times = time_runs(lambda: model(x16), args.batch_runs, warmup=1)
                report(name, "forward", 16, times, args.threads,
                       images_per_s=round(16 * 1000.0 / statistics.median(times), 2))
        if "saliency" in tasks:
            times = time_runs(lambda: saliency(model, x1, target), args.runs, warmup=3)
            report(name, "saliency", 1, times, args.threads, target=target)
        if "integrated-gradients" in tasks:
            times = time_runs(lambda: integrated_gradients(model, x1, target, args.ig_steps),
                              args.ig_runs, warmup=1)
            report(name, "integrated-gradients", args.ig_steps, times, args.threads,
                   steps=args.ig_steps, target=target)
        if "occlusion" in tasks:
            windows = len(occlusion_window_starts(x1.shape[1:], (3, 16, 16), (3, 8, 8)))
            times = time_runs(lambda: occlusion(model, x1, target, (3, 16, 16), (3, 8, 8),
                                                args.occlusion_batch),
                              args.occlusion_runs, warmup=0)
            report(name, "occlusion", args.occlusion_batch, times, args.threads,
                   windows=windows, target=target, implementation="plain torch")
    return 0


if __name__ == "__main__":
    sys.exit(main())
