#!/usr/bin/env bash
# Throughput of the sampling methods rise and lime against the plain forward pass at the same batch
# size (their limit: each mask or sample is one forward) on full-size torchvision ResNet-18 with seeded
# random weights, exported by tools/bench_pytorch.py. Prints the load and one JSON line per measurement;
# images/second = samples / (median_ms / 1000), forward: batch / (median_ms / 1000).
# Usage: tools/bench_sampling.sh [OUT_DIR] [THREADS] [RISE_MASKS] [LIME_SAMPLES] [BATCH]
set -euo pipefail
out=${1:-/tmp/cnnlens-sampling-bench}
threads=${2:-2}
masks=${3:-4000}
samples=${4:-1000}
batch=${5:-16}
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$out"
dotnet build "$root/src/CnnLens.Cli" -c Release -o "$out/cli" >/dev/null
cli="$out/cli/CnnLens.Cli"
[ -f "$out/resnet18.onnx" ] || /usr/bin/python3 "$root/tools/bench_pytorch.py" --out-dir "$out" --models resnet18 --tasks forward --runs 1 --batch-runs 1 >/dev/null 2>&1
model="$out/resnet18.onnx"
uptime
"$cli" bench --model "$model" --method predict --batch "$batch" --repeat 3 --warmup 1 --threads "$threads"
"$cli" bench --model "$model" --method rise --samples "$masks" --batch-size "$batch" --repeat 1 --warmup 0 --threads "$threads"
uptime
"$cli" bench --model "$model" --method predict --batch "$batch" --repeat 3 --warmup 1 --threads "$threads"
"$cli" bench --model "$model" --method lime --samples "$samples" --batch-size "$batch" --repeat 1 --warmup 0 --threads "$threads"
uptime
"$cli" bench --model "$model" --method predict --batch "$batch" --repeat 3 --warmup 1 --threads "$threads"
