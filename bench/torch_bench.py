"""Prepare and time the PyTorch side of cnnc's benchmark.

For each model of tools/torch_models.py's registry: build it with seeded
random weights, write those weights as safetensors (for cnnc), the batch-1
and batch-8 inputs as .npy (for every runtime), the model as ONNX (opset 13,
dynamic batch, for onnxruntime), then time PyTorch itself: 2 threads,
torch.no_grad(), eval mode, 3 warm-up runs, then the median of at least 7
timed runs, more until 2 s have gone or 50 have run (the rule every runtime
of the benchmark follows: fast models get a steadier median).

    /usr/bin/python3 bench/torch_bench.py --out bench/out resnet18 ...
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools"))
import torch_models as tm  # noqa: E402
from safetensors_lite import save_file  # noqa: E402

BATCHES = (1, 8)


def median_ms(fn, warmup=3, runs=7, min_s=2.0, most=50):
    for _ in range(warmup):
        fn()
    times = []
    while len(times) < runs or (sum(times) < min_s * 1e3 and len(times) < most):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def prepare(name, out, write=True):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    torch.manual_seed(0)
    model = tm.build(name)
    if not write:
        return model, d
    save_file({k: v.detach().contiguous() for k, v in tm.state_entries(model)}, os.path.join(d, "weights.safetensors"))
    c, h, w = tm.REGISTRY[name].input_shape
    rng = np.random.default_rng(0)
    for b in BATCHES:
        np.save(os.path.join(d, f"input{b}.npy"), rng.random((b, c, h, w), dtype=np.float32))
    x = torch.from_numpy(np.load(os.path.join(d, "input1.npy")))
    torch.onnx.export(model, x, os.path.join(d, "model.onnx"), opset_version=13, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    return model, d


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--time-only", action="store_true", help="the files are written already (same seeds): only time")
    ap.add_argument("models", nargs="+")
    args = ap.parse_args()
    torch.set_num_threads(2)
    for name in args.models:
        model, d = prepare(name, args.out, write=not args.time_only)
        result = {}
        with torch.no_grad():
            for b in BATCHES:
                x = torch.from_numpy(np.load(os.path.join(d, f"input{b}.npy")))
                result[str(b)] = median_ms(lambda: model(x))
        with open(os.path.join(d, "torch.json"), "w") as f:
            json.dump(result, f)
        print(f"pytorch  {name:24s} b1 {result['1']:9.2f} ms   b8 {result['8']:9.2f} ms", flush=True)


if __name__ == "__main__":
    main()
