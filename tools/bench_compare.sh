#!/usr/bin/env bash
# Times CnnLens and PyTorch 1.13 (Debian, oneDNN) on the same full-size models, alternating the
# two per model so machine drift hits both alike. Prints one JSON line per measurement.
# Needs python3-torch and python3-torchvision (see tools/README.md) and a Release build of the CLI.
# Usage: tools/bench_compare.sh [OUT_DIR] [THREADS]
set -euo pipefail
out=${1:-/tmp/cnnlens-bench}
threads=${2:-2}
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$out"
dotnet build "$root/src/CnnLens.Cli" -c Release -o "$out/cli" >/dev/null
cli="$out/cli/CnnLens.Cli"
/usr/bin/python3 "$root/tools/bench_pytorch.py" --out-dir "$out" --tasks forward --runs 3 --batch-runs 1 >/dev/null 2>&1 # export only
# The batch-1 rows warm up 70 calls: methods called once per pass are recompiled by the JIT's tiers up
# to about the 60th call, and each recompilation takes a core from the measurement for a moment.
for model in resnet18 mobilenet_v2 squeezenet1_1; do
  /usr/bin/python3 "$root/tools/bench_pytorch.py" --out-dir "$out" --no-export --models "$model" --threads "$threads" \
    --tasks forward saliency integrated-gradients 2>/dev/null
  "$cli" bench --model "$out/$model.onnx" --method predict --repeat 30 --warmup 70 --threads "$threads"
  "$cli" bench --model "$out/$model.onnx" --method predict --batch 16 --repeat 10 --threads "$threads"
  "$cli" bench --model "$out/$model.onnx" --method saliency --repeat 30 --warmup 70 --threads "$threads"
  "$cli" bench --model "$out/$model.onnx" --method grad-cam --repeat 30 --warmup 70 --threads "$threads"
  "$cli" bench --model "$out/$model.onnx" --method integrated-gradients --steps 50 --batch-size 50 --repeat 5 --warmup 1 --threads "$threads"
done
