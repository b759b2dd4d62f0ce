#!/usr/bin/python3
"""Activation maximisation speed: CnnLens against PyTorch 1.13 in the same run.

Exports torchvision resnet18 with seeded random weights (as tools/bench_pytorch.py does) to
--out-dir/resnet18.onnx (large, NOT committed), then with torch.set_num_threads(THREADS) times, for
channel CHANNEL of the output of resnet18.layer3 on a [1,3,224,224] batch:
  forward-backward  the model's forward pass and the backward pass of the channel mean to the input
                    (weights frozen, as CnnLens skips weight gradients)
  maximize-step     one whole Lucid-style step: irfft2 of the 1/f-scaled spectrum, colour
                    decorrelation, sigmoid, random affine (affine_grid + grid_sample), ImageNet
                    mean/std, forward, backward, Adam
then runs `CnnLens.Benchmarks maximize` (bench/CnnLens.Benchmarks, built in Release) on the same ONNX
file, layer and channel, and prints every measurement as a JSON line plus the CnnLens/PyTorch ratios
and the machine load (uptime) before and after.

Run:  dotnet build bench/CnnLens.Benchmarks -c Release
      /usr/bin/python3 tools/bench_maximize.py [--out-dir /tmp/cnnlens-bench] [--steps 20] [--threads 2] [--dll OTHER/CnnLens.Benchmarks.dll]
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(__file__))
from bench_pytorch import build_model, export_model  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CHANNEL = 7
COLOR = np.asarray([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]], dtype=np.float32)
COLOR = COLOR / np.max(np.linalg.norm(COLOR, axis=0))


def layer3_tensor(path):
    """Name of the ONNX tensor holding resnet18.layer3's output: the last output of a /layer3/ node."""
    graph = onnx.load(path, load_external_data=False).graph
    return [n for n in graph.node if n.name.startswith("/layer3/")][-1].output[0]


def timed(fn, runs, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def report(task, times, threads):
    line = {"framework": "pytorch", "task": task, "median_ms": round(statistics.median(times), 3),
            "min_ms": round(min(times), 3), "runs": len(times), "threads": threads}
    print(json.dumps(line, separators=(",", ":")), flush=True)
    return line


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out-dir", default="/tmp/cnnlens-bench")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dll", default=None, help="another build of CnnLens.Benchmarks.dll (e.g. an older one, to compare)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out_dir, exist_ok=True)
    path = os.path.join(args.out_dir, "resnet18.onnx")
    model = build_model("resnet18")
    for p in model.parameters():
        p.requires_grad_(False)
    if not os.path.exists(path):
        export_model(model, torch.zeros(1, 3, 224, 224), path)
    layer = layer3_tensor(path)
    print("load before:", os.getloadavg(), flush=True)

    captured = {}
    model.layer3.register_forward_hook(lambda module, inputs, output: captured.__setitem__("a", output))

    x = torch.randn(1, 3, 224, 224)

    def forward_backward():
        xi = x.clone().requires_grad_(True)
        model(xi)
        captured["a"][:, CHANNEL].mean().backward()

    results = {"forward-backward": report("forward-backward", timed(forward_backward, args.steps), args.threads)}

    h = w = 224
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[: w // 2 + 1]
    scale = torch.tensor(1.0 / np.maximum(np.sqrt(fx * fx + fy * fy), 1.0 / max(h, w)) * np.sqrt(h * w), dtype=torch.float32)
    torch.manual_seed(0)
    spectrum = (0.01 * torch.randn(1, 3, h, w // 2 + 1, 2)).requires_grad_(True)
    adam = torch.optim.Adam([spectrum], lr=0.05)
    color = torch.tensor(COLOR)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    generator = np.random.default_rng(0)

    def maximize_step():
        adam.zero_grad()
        image = torch.fft.irfft2(scale * torch.view_as_complex(spectrum), s=(h, w)) / 4.0
        image = torch.einsum("dc,nchw->ndhw", color.T, image)
        image = torch.sigmoid(image)
        angle = math.radians(generator.uniform(-10, 10))
        s = generator.uniform(0.9, 1.1)
        tx, ty = generator.integers(-8, 9, size=2) * 2.0 / w
        theta = torch.tensor([[[math.cos(angle) / s, -math.sin(angle) / s, tx], [math.sin(angle) / s, math.cos(angle) / s, ty]]], dtype=torch.float32)
        grid = torch.nn.functional.affine_grid(theta, [1, 3, h, w], align_corners=False)
        seen = torch.nn.functional.grid_sample(image, grid, mode="bilinear", padding_mode="border", align_corners=False)
        model((seen - mean) / std)
        (-captured["a"][:, CHANNEL].mean()).backward()
        adam.step()

    results["maximize-step"] = report("maximize-step", timed(maximize_step, args.steps), args.threads)

    dll = args.dll or os.path.join(ROOT, "bench", "CnnLens.Benchmarks", "bin", "Release", "net10.0", "CnnLens.Benchmarks.dll")
    out = subprocess.run(["dotnet", dll, "maximize", path, layer, str(CHANNEL), str(args.steps), str(args.threads)],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if not line.startswith("{"):
            continue
        print(line, flush=True)
        measured = json.loads(line)
        torch_line = results.get(measured["task"])
        if torch_line:
            print(f"ratio {measured['task']}: CnnLens/PyTorch median {measured['median_ms'] / torch_line['median_ms']:.2f}, "
                  f"min {measured['min_ms'] / torch_line['min_ms']:.2f}", flush=True)
        if measured["task"] == "maximize-step":
            # Issue #6's target: a whole CnnLens step within 1.5x of PyTorch's bare forward+backward.
            base = results["forward-backward"]
            print(f"ratio maximize-step (CnnLens) / forward-backward (PyTorch): median {measured['median_ms'] / base['median_ms']:.2f}, "
                  f"min {measured['min_ms'] / base['min_ms']:.2f}", flush=True)
    print("layer:", layer, "channel:", CHANNEL)
    print("load after:", os.getloadavg(), flush=True)


if __name__ == "__main__":
    main()
