"""Reference values for activation maximisation (tests/CnnLens.Tests/Visualization).

Writes to tests/CnnLens.Tests/Fixtures/maximization/:
  irfft2_{H}x{W}_spectrum.npy [2,H,W//2+1] and irfft2_{H}x{W}_image.npy [H,W]: numpy.fft.irfft2 of a
      random half spectrum (real, imaginary planes).
  lucid_rgb_{H}x{W}_params.npy [1,3,2,H,W//2+1] and lucid_rgb_{H}x{W}_image.npy [1,3,H,W]: Lucid's
      fft_image (1/f scaling times sqrt(H*W), irfft2, /4), then _linear_decorrelate_color with
      color_correlation_svd_sqrt normalised by its largest column norm, then the sigmoid; written
      out here in numpy from Lucid's published formulas (even W only: Lucid crops odd widths).
  adam_start.npy [3], adam_gradients.npy [S,3], adam_steps.npy [S,3]: torch.optim.Adam(lr=0.1)
      parameters after each step.
Run: /usr/bin/python3 tools/make_maximize_fixtures.py
"""
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "CnnLens.Tests", "Fixtures", "maximization")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261206)


def save(name, array):
    np.save(os.path.join(OUT, name), np.ascontiguousarray(array, dtype=np.float32))


for h, w in [(4, 6), (5, 5), (6, 7)]:
    spectrum = rng.standard_normal((2, h, w // 2 + 1)).astype(np.float32)
    image = np.fft.irfft2(spectrum[0].astype(np.float64) + 1j * spectrum[1], s=(h, w))
    save(f"irfft2_{h}x{w}_spectrum.npy", spectrum)
    save(f"irfft2_{h}x{w}_image.npy", image)

svd_sqrt = np.asarray([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]], dtype=np.float64)
normalized = svd_sqrt / np.max(np.linalg.norm(svd_sqrt, axis=0))
for h, w in [(6, 8)]:
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[: w // 2 + 1]
    freqs = np.sqrt(fx * fx + fy * fy)
    scale = 1.0 / np.maximum(freqs, 1.0 / max(w, h)) ** 1.0 * np.sqrt(w * h)
    params = (0.05 * rng.standard_normal((1, 3, 2, h, w // 2 + 1))).astype(np.float32)
    spectrum = scale * (params[:, :, 0].astype(np.float64) + 1j * params[:, :, 1])
    image = np.fft.irfft2(spectrum, s=(h, w)) / 4.0  # [1,3,H,W]
    flat = np.transpose(image, (0, 2, 3, 1)).reshape(-1, 3) @ normalized.T
    rgb = 1 / (1 + np.exp(-flat.reshape(1, h, w, 3)))
    save(f"lucid_rgb_{h}x{w}_params.npy", params)
    save(f"lucid_rgb_{h}x{w}_image.npy", np.transpose(rgb, (0, 3, 1, 2)))

start = np.array([1.0, -0.5, 0.25], dtype=np.float32)
gradients = np.array([[0.5, 2.0, -0.01], [-1.0, 2.0, 0.03], [0.25, -3.0, 0.0], [1e-4, 0.5, -0.2]], dtype=np.float32)
p = torch.tensor(start, requires_grad=True)
adam = torch.optim.Adam([p], lr=0.1)
steps = []
for g in gradients:
    adam.zero_grad()
    p.grad = torch.tensor(g)
    adam.step()
    steps.append(p.detach().numpy().copy())
save("adam_start.npy", start)
save("adam_gradients.npy", gradients)
save("adam_steps.npy", np.stack(steps))
print("wrote", sorted(os.listdir(OUT)))
