"""Write testdata/keys/<name>.txt (state_dict keys and shapes) for every model in the registry.

One line per state_dict entry except num_batches_tracked: `key shape`, the shape's
dimensions joined by x (`layer2.0.downsample.0.weight 128x64x1x1`, `fc.bias 10`).
Prints a table of parameter totals, checked against FACTS.md's numbers.

  --cnnc BIN   also compare every key list with `BIN params --json FILE.cnn`
  --shapes     with --cnnc: also compare the output shape of every layer that `cnnc check --json`
               and the PyTorch module both name (forward hooks), and the input and output shapes
  --classes    also check that the width-free classes built at full width have the same
               state_dict as torchvision's constructors and compute the same outputs

Run from the repository root:  /usr/bin/python3 tools/export_keys.py --cnnc /tmp/cnnc --shapes
"""
import argparse
import json
import os
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_models as tm  # noqa: E402


def key_lines(model):
    return [f"{k} {'x'.join(str(d) for d in v.shape)}" for k, v in tm.state_entries(model)]


def cnnc_lines(cnnc, cnn_file):
    out = subprocess.run([cnnc, "params", "--json", cnn_file], check=True, capture_output=True, text=True).stdout
    return [f"{p['name']} {'x'.join(str(d) for d in p['shape'])}" for p in json.loads(out)["params"]]


def diff(a, b):
    """First difference between two key lists, as a readable string, or None."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"line {i + 1}: torch {x!r} vs cnnc {y!r}"
    if len(a) != len(b):
        return f"torch has {len(a)} entries, cnnc {len(b)}"
    return None


def check_shapes(cnnc, name):
    """Compare per-layer output shapes of `cnnc check --json` with a PyTorch forward pass.

    Returns (number of layers compared, list of mismatch strings)."""
    entry = tm.REGISTRY[name]
    out = subprocess.run([cnnc, "check", "--json", entry.cnn], check=True, capture_output=True, text=True).stdout
    info = json.loads(out)["models"][0]
    model = tm.build(name)
    modules = dict(model.named_modules())
    want = {layer["name"]: tuple(layer["output"]) for layer in info["layers"] if layer["name"] in modules}
    seen = {}
    for n in want:
        modules[n].register_forward_hook(lambda _m, _i, o, n=n: seen.__setitem__(n, tuple(o.shape[1:])))
    with torch.no_grad():
        y = model(torch.zeros((1,) + tuple(entry.input_shape)))
    bad = [f"{n}: torch {seen.get(n)} cnnc {w}" for n, w in want.items() if seen.get(n) != w]
    if tuple(info["input"]) != tuple(entry.input_shape):
        bad.append(f"input: registry {entry.input_shape} cnnc {tuple(info['input'])}")
    if tuple(info["output"]) != tuple(y.shape[1:]):
        bad.append(f"output: torch {tuple(y.shape[1:])} cnnc {tuple(info['output'])}")
    return len(want), bad


def check_classes():
    """Full-width instances of the width-free classes against torchvision's constructors."""
    from torchvision import models
    from torchvision.models.resnet import BasicBlock, Bottleneck
    def seed_resnet18():  # the seed's ResNet-18: torchvision's with a 1-channel conv1, 10 classes
        m = models.resnet18(num_classes=10)
        m.conv1 = torch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
        return m

    pairs = {
        "registry resnet18 vs seed_resnet18": (tm.REGISTRY["resnet18"].build, seed_resnet18),
        "ResNet(BasicBlock) vs resnet18": (lambda: tm.ResNet(BasicBlock, [2, 2, 2, 2]), lambda: models.resnet18()),
        "ResNet(Bottleneck) vs resnet50": (lambda: tm.ResNet(Bottleneck, [3, 4, 6, 3]), lambda: models.resnet50()),
        "TVAlexNet vs alexnet": (tm.TVAlexNet, lambda: models.alexnet()),
        "TVVGG16 vs vgg16": (tm.TVVGG16, lambda: models.vgg16()),
        "TVGoogLeNet vs googlenet": (tm.TVGoogLeNet, lambda: models.googlenet(
            aux_logits=False, init_weights=True, transform_input=False)),
    }
    ok = True
    g = torch.Generator().manual_seed(0)
    for label, (mine, theirs) in pairs.items():
        torch.manual_seed(0)
        a, b = mine().eval(), theirs().eval()
        in_c = next(m for m in a.modules() if isinstance(m, torch.nn.Conv2d)).in_channels
        x = torch.rand(1, in_c, 224, 224, generator=g)
        same_keys = key_lines(a) == key_lines(b)
        if same_keys:
            a.load_state_dict(b.state_dict())
            with torch.no_grad():
                err = (a(x) - b(x)).abs().max().item()
        else:
            err = float("nan")
        good = same_keys and err == 0.0
        ok &= good
        print(f"  {label:34s} keys {'same' if same_keys else 'DIFFER'}  max |diff| {err:.3g}  {'ok' if good else 'FAIL'}")
        del a, b
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="registry names (default: all)")
    ap.add_argument("--out", default="testdata/keys", help="output directory (default testdata/keys)")
    ap.add_argument("--cnnc", help="cnnc binary to compare key lists with `cnnc params --json`")
    ap.add_argument("--shapes", action="store_true", help="with --cnnc: compare per-layer output shapes")
    ap.add_argument("--classes", action="store_true", help="check the width-free classes against torchvision")
    args = ap.parse_args()
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    ok = True
    print(f"{'model':24s} {'tensors':>7s} {'params':>13s} {'FACTS.md':>13s}  cnnc")
    for name in args.names or tm.REGISTRY:
        entry = tm.REGISTRY[name]
        model = tm.build(name)
        lines = key_lines(model)
        with open(os.path.join(args.out, name + ".txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        total = sum(p.numel() for p in model.parameters())
        want = tm.EXPECTED_PARAMS.get(name)
        mark = "" if want is None else ("ok" if want == total else "MISMATCH")
        ok &= want is None or want == total
        cmp = "-"
        if args.cnnc:
            d = diff(lines, cnnc_lines(args.cnnc, entry.cnn))
            cmp = "same" if d is None else "DIFFER " + d
            ok &= d is None
            if args.shapes:
                n, bad = check_shapes(args.cnnc, name)
                cmp += f"; {n} layer shapes " + ("same" if not bad else "DIFFER: " + "; ".join(bad[:3]))
                ok &= not bad
        print(f"{name:24s} {len(lines):7d} {total:13,d} {'' if want is None else f'{want:,d}':>13s} {mark:2s}  {cmp}")
        del model
    if args.classes:
        print("width-free classes at full width vs torchvision:")
        ok &= check_classes()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
