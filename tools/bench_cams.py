#!/usr/bin/python3
"""Time pytorch-grad-cam-style AblationCAM and ScoreCAM on full-size ResNet-18 (for docs/benchmarks.md).

pytorch-grad-cam is not installed; its two gradient-free CAMs are re-implemented in plain PyTorch the
way the library runs them (tools/make_cam_fixtures.py has the same definitions, checked on fixtures):

  ablation  the target layer module is replaced by one that returns the cached activation with one
            channel per row set to 0, and the whole rest of the network (everything but that module)
            re-runs on 32 copies of the image per batch (AblationCAM's default batch_size=32)
  score     every channel upsampled (UpsamplingBilinear2d), min-max normalised, multiplied with the
            input, scored 16 masked inputs per batch (ScoreCAM's default), softmax over the channels

Writes resnet18.onnx (torchvision resnet18, seeded random weights, opset 13, dynamic batch; the same
export as tools/bench_pytorch.py) and input_224.npy into --out-dir unless --no-export, then prints one
JSON line per measurement (median/min of --runs after one warm-up run), and saves each method's map
as <out-dir>/<method>_<block>_pytorch.npy ([h,w], the per-layer CAM after the ReLU) so the CnnLens output
can be compared: `cnnlens explain --model DIR/resnet18.onnx --input DIR/input_224.npy --method
ablation-cam --npy DIR/ablation-cam_cnnlens.npy`.

Run:  /usr/bin/python3 tools/bench_cams.py --out-dir /tmp/cnnlens-cam-bench [--threads 2] [--runs 3]
"""

import argparse
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_pytorch as bench  # noqa: E402  (build_model, export_model, time_runs, report, SEED)

BLOCKS = ("layer1", "layer2", "layer3", "layer4")  # model.<block>[-1]'s output; layer4's is the suggested CAM layer


def onnx_name(block):
    return f"/{block}/{block}.1/relu_1/Relu_output_0"


class Ablated(torch.nn.Module):
    """Stands in for the target layer: returns the prepared batch of ablated activations."""

    def __init__(self):
        super().__init__()
        self.batch = None

    def forward(self, x):
        return self.batch


def ablation_cam(model, block, x, target, batch_size=32):
    with torch.no_grad():
        captured = {}
        stage = getattr(model, block)
        handle = stage[-1].register_forward_hook(lambda m, i, o: captured.__setitem__("a", o))
        score = model(x)[0, target].item()
        handle.remove()
        A = captured["a"]
        original, stand_in = stage[-1], Ablated()
        stage[-1] = stand_in
        try:
            channels = A.shape[1]
            scores = []
            for start in range(0, channels, batch_size):
                count = min(batch_size, channels - start)
                batch = A.repeat(count, 1, 1, 1)
                for i in range(count):
                    batch[i, start + i] = 0
                stand_in.batch = batch
                scores.extend(model(x.repeat(count, 1, 1, 1))[:, target].tolist())
        finally:
            stage[-1] = original
        weights = (score - torch.tensor(scores)) / score
        return F.relu((weights[:, None, None] * A[0]).sum(0))


def score_cam(model, block, x, target, batch_size=16):
    with torch.no_grad():
        captured = {}
        handle = getattr(model, block)[-1].register_forward_hook(lambda m, i, o: captured.__setitem__("a", o))
        model(x)
        handle.remove()
        A = captured["a"]
        upsampled = torch.nn.UpsamplingBilinear2d(size=x.shape[-2:])(A)
        flat = upsampled.view(1, A.shape[1], -1)
        maxs, mins = flat.max(-1)[0][:, :, None, None], flat.min(-1)[0][:, :, None, None]
        masks = (upsampled - mins) / (maxs - mins + 1e-8)
        inputs = x[:, None] * masks[:, :, None]
        scores = []
        for i in range(0, A.shape[1], batch_size):
            scores.extend(model(inputs[0, i:i + batch_size])[:, target].tolist())
        weights = torch.softmax(torch.tensor(scores), dim=-1)
        return F.relu((weights[:, None, None] * A[0]).sum(0))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--methods", nargs="*", default=["ablation-cam", "score-cam"])
    parser.add_argument("--block", default="layer4", choices=BLOCKS, help="CAM layer: this stage's output")
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out_dir, exist_ok=True)

    generator = torch.Generator().manual_seed(bench.SEED)
    x = torch.randn(1, 3, 224, 224, generator=generator)  # the same input_224.npy as bench_pytorch.py
    model = bench.build_model("resnet18")
    if not args.no_export:
        np.save(os.path.join(args.out_dir, "input_224.npy"), x.numpy())
        bench.export_model(model, x, os.path.join(args.out_dir, "resnet18.onnx"))
    with torch.no_grad():
        target = int(model(x)[0].argmax())
    for method in args.methods:
        run = {"ablation-cam": lambda: ablation_cam(model, args.block, x, target),
               "score-cam": lambda: score_cam(model, args.block, x, target)}[method]
        np.save(os.path.join(args.out_dir, f"{method}_{args.block}_pytorch.npy"), run().numpy().astype(np.float32))
        times = bench.time_runs(run, args.runs, warmup=0)
        bench.report("resnet18", method, 1, times, args.threads, layer=onnx_name(args.block),
                     batch_size=32 if method == "ablation-cam" else 16, reference="pytorch-grad-cam style")


if __name__ == "__main__":
    sys.exit(main())
