"""Convert a PyTorch model's weights to a safetensors file that cnnc loads.

The output holds every state_dict tensor as F32 under its state_dict key, in state_dict
order; num_batches_tracked (BatchNorm's step counter, unused at inference) is dropped.

Sources (exactly one):
  CHECKPOINT             a .pt/.pth file written by torch.save: a state_dict, a whole
                         pickled nn.Module, or a training checkpoint dict holding one of
                         these under "state_dict", "model_state_dict", "model" or "net"
  --torchvision NAME     torchvision.models.NAME built untrained (weights=None), e.g. for
                         shape tests; to export torchvision's ImageNet weights, download
                         the .pth its docs link (e.g. resnet18-f37072fd.pth) and pass it
                         as CHECKPOINT
  --model NAME           a model of tools/torch_models.py's registry, untrained

Examples (from the repository root):
  /usr/bin/python3 tools/export_state_dict.py lenet5.pt -o models/weights/lenet5.safetensors
  /usr/bin/python3 tools/export_state_dict.py ~/resnet18-f37072fd.pth -o resnet18.safetensors
  /usr/bin/python3 tools/export_state_dict.py --torchvision resnet50 -o /tmp/r50.safetensors
  /usr/bin/python3 tools/export_state_dict.py googlenet-1378be20.pth --drop aux1. --drop aux2. -o g.safetensors
Then check the keys against the model:  cnnc params FILE.cnn
torchvision's pretrained GoogLeNet holds its auxiliary heads (aux1., aux2.), which
models/torchvision/googlenet.cnn does not have; and torchvision runs those weights with
transform_input=True, which means inputs normalised with mean 0.5 and std 0.5 per channel
rather than ImageNet's mean and std.
A pickled module needs its class importable: run from the directory of the code that
defined it or add that directory with --path.
"""
import argparse
import os
import sys

import torch

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
from safetensors_lite import save_file  # noqa: E402

WRAPPER_KEYS = ("state_dict", "model_state_dict", "model", "net")


def to_state_dict(obj):
    """A state_dict from whatever torch.load returned."""
    if isinstance(obj, torch.nn.Module):
        return obj.state_dict()
    if isinstance(obj, dict):
        if obj and all(isinstance(v, torch.Tensor) for v in obj.values()):
            return obj
        for k in WRAPPER_KEYS:
            if k in obj:
                return to_state_dict(obj[k])
    raise SystemExit(f"cannot find a state_dict in a {type(obj).__name__}"
                     + (f" with keys {list(obj)[:10]}" if isinstance(obj, dict) else ""))


def convert(state, strip_prefix="", drop=()):
    """Ordered name -> float tensor, num_batches_tracked and keys starting with `drop` dropped."""
    out = {}
    for k, v in state.items():
        if k.endswith("num_batches_tracked") or any(k.startswith(p) for p in drop):
            continue
        if strip_prefix and k.startswith(strip_prefix):
            k = k[len(strip_prefix):]
        if not v.is_floating_point():
            raise SystemExit(f"{k}: dtype {v.dtype} is not a floating-point tensor")
        out[k] = v.detach().to(torch.float32)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("checkpoint", nargs="?", help="a .pt/.pth file from torch.save")
    src.add_argument("--torchvision", metavar="NAME", help="torchvision.models.NAME, untrained")
    src.add_argument("--model", metavar="NAME", help="a registry model of tools/torch_models.py, untrained")
    ap.add_argument("-o", "--out", required=True, help="the .safetensors file to write")
    ap.add_argument("--strip-prefix", default="",
                    help="remove this prefix from every key (e.g. 'module.' from DataParallel)")
    ap.add_argument("--drop", metavar="PREFIX", action="append", default=[],
                    help="leave out keys starting with PREFIX (repeatable; e.g. aux1. and aux2. of "
                         "torchvision's pretrained GoogLeNet)")
    ap.add_argument("--path", action="append", default=[], help="add a directory to sys.path (pickled modules)")
    ap.add_argument("--list", action="store_true", help="print every key and shape written")
    args = ap.parse_args()
    sys.path[:0] = args.path

    if args.torchvision:
        import torchvision
        kw = {"aux_logits": False, "init_weights": True} if args.torchvision == "googlenet" else {}
        state = getattr(torchvision.models, args.torchvision)(weights=None, **kw).state_dict()
        source = "torchvision.models." + args.torchvision
    elif args.model:
        import torch_models
        state = torch_models.build(args.model).state_dict()
        source = "tools/torch_models.py:" + args.model
    else:
        state = to_state_dict(torch.load(args.checkpoint, map_location="cpu"))
        source = os.path.basename(args.checkpoint)

    tensors = convert(state, args.strip_prefix, args.drop)
    save_file(tensors, args.out, {"source": source, "format": "pt"})
    if args.list:
        for k, v in tensors.items():
            print(k, "x".join(str(d) for d in v.shape))
    n = sum(v.numel() for v in tensors.values())
    print(f"wrote {args.out}: {len(tensors)} tensors, {n:,d} parameters and buffers")


if __name__ == "__main__":
    main()
