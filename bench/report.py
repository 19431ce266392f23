"""Print the table of cnnc's benchmark: each runtime's median (the better of
the rounds' in MODEL/roundR.*.json), and the ratio of cnnc's to the fastest
peer's (below 1: cnnc is faster).

    /usr/bin/python3 bench/report.py bench/out resnet18 ...
"""
import glob
import json
import os
import sys


def load(d, name):
    """The result in d/name, with each median the best of the rounds'."""
    rounds = sorted(glob.glob(os.path.join(d, "round*." + name))) or [os.path.join(d, name)]
    results = []
    for path in rounds:
        with open(path) as f:
            results.append(json.load(f))
    if "median_ms" in results[0]:
        return min(results, key=lambda r: r["median_ms"])
    return {b: min(r[b] for r in results) for b in results[0]}


def main():
    out, models = sys.argv[1], sys.argv[2:]
    print(f"{'model':24s} {'batch':>5s} {'cnnc ms':>9s} {'onnxrt ms':>9s} {'torch ms':>9s} {'cnnc/best':>9s} {'cnnc GFLOPS':>11s}")
    wins = total = 0
    for name in models:
        d = os.path.join(out, name)
        ort, torch = load(d, "ort.json"), load(d, "torch.json")
        for b in ("1", "8"):
            c = load(d, f"cnnc_b{b}.json")
            best = min(ort[b], torch[b])
            ratio = c["median_ms"] / best
            wins += ratio <= 1
            total += 1
            print(f"{name:24s} {b:>5s} {c['median_ms']:9.2f} {ort[b]:9.2f} {torch[b]:9.2f} {ratio:9.2f} {c['gflops']:11.1f}")
    print(f"\ncnnc is the fastest in {wins} of {total} (model, batch) pairs")


if __name__ == "__main__":
    main()
