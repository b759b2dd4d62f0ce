#!/usr/bin/python3
"""Write src/CnnLens/Resources/imagenet_classes.txt: the 1000 ImageNet-1k class names, one per
line, in class-index order, taken from torchvision's own weight metadata (the same list every
torchvision classifier's weights enum carries in meta["categories"]).

Run:  /usr/bin/python3 tools/make_imagenet_labels.py [--out FILE]
"""

import argparse
import os

from torchvision.models import ResNet18_Weights

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "src", "CnnLens", "Resources", "imagenet_classes.txt")


def main():
    parser = argparse.ArgumentParser(description="Write the ImageNet-1k class names file.")
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()

    categories = list(ResNet18_Weights.IMAGENET1K_V1.meta["categories"])
    if len(categories) != 1000:
        raise SystemExit(f"expected 1000 ImageNet classes, torchvision has {len(categories)}")
    for name in categories:
        # one name per line: a name may hold spaces, never a line break
        if not name or "\n" in name or name != name.strip():
            raise SystemExit(f"unexpected class name {name!r}")

    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(categories) + "\n")
    print(f"wrote {len(categories)} class names to {args.out}")


if __name__ == "__main__":
    main()
