"""Reference values for the Resize operator tests, from PyTorch's F.interpolate.

Writes tests/CnnLens.Tests/Fixtures/operators/resize.json: one seeded input [1,2,3,5] and, for each
case, the ONNX Resize attributes it corresponds to, PyTorch's output and the gradient of
sum(weights * output) with respect to the input (weights seeded too).

Correspondences (ONNX Resize with `sizes`):
  bilinear, align_corners=False -> linear, half_pixel (and pytorch_half_pixel: same for sizes > 1)
  bilinear, align_corners=True  -> linear, align_corners
  nearest                       -> nearest, asymmetric, floor
  nearest-exact                 -> nearest, half_pixel, round_prefer_ceil

Run: /usr/bin/python3 tools/make_operator_fixtures.py
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "CnnLens.Tests", "Fixtures", "operators", "resize.json")

CASES = [
    ("bilinear-half-pixel-up", dict(mode="bilinear", align_corners=False), (5, 7),
     dict(mode="linear", coordinate_transformation_mode="half_pixel")),
    ("bilinear-pytorch-half-pixel-down", dict(mode="bilinear", align_corners=False), (2, 3),
     dict(mode="linear", coordinate_transformation_mode="pytorch_half_pixel")),
    ("bilinear-align-corners-up", dict(mode="bilinear", align_corners=True), (5, 7),
     dict(mode="linear", coordinate_transformation_mode="align_corners")),
    ("bilinear-align-corners-down", dict(mode="bilinear", align_corners=True), (2, 4),
     dict(mode="linear", coordinate_transformation_mode="align_corners")),
    ("nearest-up", dict(mode="nearest"), (5, 7),
     dict(mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor")),
    ("nearest-exact-up", dict(mode="nearest-exact"), (5, 7),
     dict(mode="nearest", coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_ceil")),
    ("nearest-exact-down", dict(mode="nearest-exact"), (2, 3),
     dict(mode="nearest", coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_ceil")),
]


def main():
    generator = torch.Generator().manual_seed(20261122)
    x = torch.rand((1, 2, 3, 5), generator=generator) * 2 - 1
    cases = []
    for name, torch_args, size, onnx_attributes in CASES:
        xi = x.clone().requires_grad_(True)
        y = F.interpolate(xi, size=size, **torch_args)
        weights = torch.rand(y.shape, generator=generator) * 2 - 1
        (y * weights).sum().backward()
        cases.append(dict(
            name=name,
            attributes=onnx_attributes,
            sizes=[1, 2, size[0], size[1]],
            output=y.detach().flatten().tolist(),
            weights=weights.flatten().tolist(),
            input_gradient=xi.grad.flatten().tolist(),
        ))
    with open(OUT, "w") as f:
        json.dump(dict(input_shape=[1, 2, 3, 5], input=x.flatten().tolist(), cases=cases), f, indent=1)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
