"""Write models/labels/imagenet.txt: ImageNet's 1000 class names, one per line, in class order.

The names come from torchvision 0.14's weights metadata
(torchvision.models.ResNet18_Weights.IMAGENET1K_V1.meta["categories"]), which ships with
torchvision: nothing is downloaded. Every torchvision ImageNet classifier uses this order.

  /usr/bin/python3 tools/imagenet_labels.py [--out models/labels/imagenet.txt]
"""
import argparse
import os

from torchvision.models import ResNet18_Weights


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="models/labels/imagenet.txt")
    args = ap.parse_args()
    names = ResNet18_Weights.IMAGENET1K_V1.meta["categories"]
    if len(names) != 1000 or any("\n" in n or not n.strip() for n in names):
        raise SystemExit(f"unexpected category list ({len(names)} names)")
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(names) + "\n")
    print(f"wrote {args.out}: {len(names)} names, {names[0]!r} .. {names[-1]!r}")


if __name__ == "__main__":
    main()
