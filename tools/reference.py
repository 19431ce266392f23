"""Write PyTorch reference fixtures for cnnc's parity tests.

For each model: build it from the registry (tools/torch_models.py), set random weights
deterministically, run a batch-2 random input in eval mode under torch.no_grad(), and write

  DIR/<name>/weights.safetensors   the state_dict (F32, num_batches_tracked dropped)
  DIR/<name>/io.safetensors        `input` [2, C, H, W] and `output` [2, classes]

Weights (seeded with seed + crc32(name), so a fixture does not depend on which others
are made): the constructor's own initialisation, then a data-dependent pass over the
layers in definition order, each seeing the fixture input through the layers before it:
  * conv: weight divided by the std of its centred output; its bias (if any) set so each
    channel's output has mean SHIFT + N(0, 0.1) (SHIFT = 0.5): ReLU and sigmoid then work
    in their non-linear range instead of all-on, all-off or saturated;
  * dense: weight and bias divided by the std of its output, plus N(0, 0.1) on the bias;
  * BatchNorm: weight ~ U(0.5, 1.5), bias ~ SHIFT + N(0, 0.1), running_mean = the mean of
    its input + N(0, 0.1 std), running_var = the mean variance of its input * U(0.5, 1.5).
With the constructors' weights alone, the outputs of most models hardly depend on the
input (a spatially flipped kernel changes them by ~1e-4 relative), so a parity test would
pass for a broken runtime; after this pass a flipped kernel changes them by 4-80%, while
float32 rounding stays under 1e-5 of max|output| (io.safetensors' metadata records the
deviation from a float64 run of the same model as float64_rel_dev).
Input ~ U[0, 1).

Without names it writes lenet5 and every reduced model of testdata/parity/*.cnn under
--out (default testdata/parity); --all adds the ten full-size models, written under
--full-out (default /tmp/cnnc-parity, outside git: they are hundreds of MB).

  /usr/bin/python3 tools/reference.py              # the committed fixtures
  /usr/bin/python3 tools/reference.py --all        # plus the full-size ones in /tmp/cnnc-parity
  /usr/bin/python3 tools/reference.py resnet18_small --out /tmp/x
"""
import argparse
import copy
import os
import sys
import zlib

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_models as tm  # noqa: E402
from safetensors_lite import save_file  # noqa: E402


# Pre-activations get a per-channel mean of about SHIFT standard deviations: at 0 the deep
# models are chaotic (float32 rounding grows to 1e-4 relative through resnet50_tv_small), at
# 0.5 they stay within ~1e-5 of float64 yet react strongly to any wrong weight or layer.
SHIFT = 0.5


class _Stop(Exception):
    pass


def _observe(model, x, layer, pre):
    """Run the model up to `layer` and return its input (pre=True) or its output."""
    seen = {}

    def hook(_m, inp, out=None):
        seen["t"] = inp[0] if pre else out
        raise _Stop

    h = layer.register_forward_pre_hook(hook) if pre else layer.register_forward_hook(hook)
    try:
        model(x)
    except _Stop:
        pass
    finally:
        h.remove()
    return seen["t"]


def randomise(model, x, gen):
    """Data-dependent random weights, layer by layer in definition order (see the docstring)."""
    model.eval()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                o = _observe(model, x, m, pre=False)
                mean = o.mean(dim=(0, 2, 3))
                s = (o - mean.view(1, -1, 1, 1)).std().clamp(min=1e-6)
                m.weight.div_(s)
                if m.bias is not None:
                    m.bias.copy_((m.bias - mean) / s + SHIFT + 0.1 * torch.randn(m.bias.shape, generator=gen))
            elif isinstance(m, nn.Linear):
                s = _observe(model, x, m, pre=False).std().clamp(min=1e-6)
                m.weight.div_(s)
                m.bias.copy_(m.bias / s + 0.1 * torch.randn(m.bias.shape, generator=gen))
            elif isinstance(m, nn.BatchNorm2d):
                i = _observe(model, x, m, pre=True)
                mean, var = i.mean(dim=(0, 2, 3)), i.var(dim=(0, 2, 3))
                c = m.num_features
                m.weight.copy_(0.5 + torch.rand(c, generator=gen))
                m.bias.copy_(SHIFT + 0.1 * torch.randn(c, generator=gen))
                m.running_mean.copy_(mean + 0.1 * var.sqrt() * torch.randn(c, generator=gen))
                m.running_var.copy_((var.mean() * (0.5 + torch.rand(c, generator=gen))).clamp(min=1e-3))


def make_fixture(name, out_dir, base_seed):
    entry = tm.REGISTRY[name]
    seed = base_seed + zlib.crc32(name.encode())
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = entry.build()
    x = torch.rand((2,) + tuple(entry.input_shape), generator=gen)
    randomise(model, x, gen)
    with torch.no_grad():
        y = model(x)
        y64 = copy.deepcopy(model).double()(x.double())
    dev = ((y64 - y.double()).abs().max() / y64.abs().max()).item()
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    meta = {"model": name, "cnn": entry.cnn, "seed": str(seed),
            "torch": torch.__version__, "generator": "tools/reference.py",
            "float64_rel_dev": f"{dev:.2e}"}
    save_file(dict(tm.state_entries(model)), os.path.join(d, "weights.safetensors"), meta)
    save_file({"input": x, "output": y}, os.path.join(d, "io.safetensors"), meta)
    size = sum(os.path.getsize(os.path.join(d, f)) for f in ("weights.safetensors", "io.safetensors"))
    print(f"{name:24s} {d:36s} {size / 1e6:6.2f} MB  output {tuple(y.shape)}  max|y| {y.abs().max():8.3g}"
          f"  max|y0-y1|/max|y| {(y[0] - y[1]).abs().max() / y.abs().max():.2g}  f64 dev {dev:.1e}")
    return size


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="registry names (default: lenet5 and the reduced models)")
    ap.add_argument("--out", default="testdata/parity", help="directory for small models (default testdata/parity)")
    ap.add_argument("--full-out", default="/tmp/cnnc-parity",
                    help="directory for full-size models (default /tmp/cnnc-parity)")
    ap.add_argument("--all", action="store_true", help="also the ten full-size models")
    ap.add_argument("--seed", type=int, default=0, help="base seed (default 0)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    names = args.names or [n for n, e in tm.REGISTRY.items() if args.all or not e.full_size]
    unknown = [n for n in names if n not in tm.REGISTRY]
    if unknown:
        ap.error(f"unknown model(s) {unknown}; known: {', '.join(tm.REGISTRY)}")
    total = 0
    for n in names:
        total += make_fixture(n, args.full_out if tm.REGISTRY[n].full_size else args.out, args.seed)
    print(f"total {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
