#!/usr/bin/python3
"""Occlusion benchmark: CnnLens (incremental and full forward) against PyTorch on full-size ResNet-18.

Exports torchvision resnet18 (seeded random weights, opset 13; tools/bench_pytorch.py's builder and
exporter) and a seeded input [1,3,224,224] to --out-dir (not committed), then in one run, alternating so
machine drift hits all three alike, times:
  pytorch      the Captum Occlusion loop (tools/bench_pytorch.py's occlusion: window 3x16x16, stride
               3x8x8, zero baseline => 729 windows) with --batch perturbed images per forward,
               torch.set_num_threads(--threads), torch.no_grad
  incremental  cnnlens bench --method occlusion --window 3,16,16 --stride 3,8,8 --batch-size --batch
  full         the same with --full-forward
Wall time and the process's CPU time (user+sys, less sensitive to other load on a shared machine) are
printed as one JSON line per run, then the medians and the ratios, with the load average.

Run:  /usr/bin/python3 tools/bench_occlusion.py --cli PATH/CnnLens.Cli [--out-dir /tmp/cnnlens-occlusion]
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_pytorch  # noqa: E402  (build_model, export_model, occlusion)

WINDOW, STRIDE = (3, 16, 16), (3, 8, 8)


def cpu_seconds(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def time_pytorch(model, x, target, batch):
    wall, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF)
    bench_pytorch.occlusion(model, x, target, WINDOW, STRIDE, batch)
    return time.perf_counter() - wall, cpu_seconds(resource.RUSAGE_SELF) - cpu


def time_cnnlens(cli, model_path, input_path, batch, threads, full):
    command = [cli, "bench", "--model", model_path, "--input", input_path, "--method", "occlusion",
               "--window", ",".join(map(str, WINDOW)), "--stride", ",".join(map(str, STRIDE)),
               "--batch-size", str(batch), "--repeat", "1", "--warmup", "0", "--threads", str(threads)]
    if full:
        command.append("--full-forward")
    before = cpu_seconds(resource.RUSAGE_CHILDREN)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = json.loads(output.strip().splitlines()[-1])
    return line["median_ms"] / 1000.0, cpu_seconds(resource.RUSAGE_CHILDREN) - before


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cli", required=True, help="a Release build of the CnnLens CLI")
    parser.add_argument("--out-dir", default="/tmp/cnnlens-occlusion")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16, help="perturbed images per forward (both frameworks)")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out_dir, exist_ok=True)
    model = bench_pytorch.build_model("resnet18")
    x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(bench_pytorch.SEED))
    model_path = os.path.join(args.out_dir, "resnet18.onnx")
    input_path = os.path.join(args.out_dir, "input_224.npy")
    if not os.path.exists(model_path):
        bench_pytorch.export_model(model, x, model_path)
    np.save(input_path, x.numpy())
    for p in model.parameters():
        p.requires_grad_(False)
    with torch.no_grad():
        target = int(model(x)[0].argmax())

    results = {"pytorch": [], "incremental": [], "full": []}
    for run in range(args.runs):
        for name in results:
            if name == "pytorch":
                wall, cpu = time_pytorch(model, x, target, args.batch)
            else:
                wall, cpu = time_cnnlens(args.cli, model_path, input_path, args.batch, args.threads, name == "full")
            results[name].append((wall, cpu))
            print(json.dumps({"run": run, "what": name, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                              "load": os.getloadavg()[0]}), flush=True)
    summary = {name: {"wall_s": round(statistics.median(w for w, _ in v), 2), "cpu_s": round(statistics.median(c for _, c in v), 2)}
               for name, v in results.items()}
    for kind in ("wall_s", "cpu_s"):
        summary[f"pytorch/incremental ({kind})"] = round(summary["pytorch"][kind] / summary["incremental"][kind], 2)
        summary[f"pytorch/full ({kind})"] = round(summary["pytorch"][kind] / summary["full"][kind], 2)
        summary[f"full/incremental ({kind})"] = round(summary["full"][kind] / summary["incremental"][kind], 2)
    summary.update({"windows": 729, "batch": args.batch, "threads": args.threads, "load_1min_end": os.getloadavg()[0]})
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
