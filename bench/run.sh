#!/usr/bin/env bash
# cnnc's benchmark against onnxruntime-node and PyTorch, in one command:
#
#   bash bench/run.sh [MODEL...]      (default: the ten models of models/)
#
# For each model it writes seeded random weights, batch-1 and batch-8 inputs
# and an ONNX export under bench/out/MODEL/ (tools/torch_models.py builds the
# PyTorch module), then times PyTorch, onnxruntime-node and cnnc on the same
# weights and inputs, each on 2 threads, 3 warm-up runs and the median of at
# least 7 timed runs, more until 2 s have gone or 50 have run, in two
# rounds, and prints the better median of each and cnnc's ratio to the
# fastest peer. Run it on a
# quiet machine. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for this
# command only (they slow PyTorch's numpy-side setup, not its timing).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  models=(lenet5 alexnet vgg16 googlenet resnet18 torchvision_alexnet torchvision_vgg16
          torchvision_googlenet torchvision_resnet18 torchvision_resnet50)
fi
mkdir -p "$out"
if [ ! -d bench/node_modules/onnxruntime-node ]; then
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi
go build -o "$out/cnnc" ./cmd/cnnc

# One model at a time, the three runtimes back to back, so that the
# machine's slow spells fall on all three alike; and all of it twice
# (BENCH_ROUNDS), each runtime keeping its better median.
rounds=${BENCH_ROUNDS:-2}
rm -f "$out"/*/round*.json
for r in $(seq "$rounds"); do
  for m in "${models[@]}"; do
    d="$out/$m"
    only=()
    [ "$r" -gt 1 ] && only=(--time-only)
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/torch_bench.py --out "$out" "${only[@]}" "$m"
    node bench/ort_bench.mjs "$out" "$m"
    cnn=$(/usr/bin/python3 -c "import sys; sys.path.insert(0, 'tools'); import torch_models as t; print(t.REGISTRY['$m'].cnn)")
    for b in 1 8; do
      "$out/cnnc" bench --json --batch "$b" --min-time 2s --weights "$d/weights.safetensors" --data "$d/input$b.npy" "$cnn" > "$d/cnnc_b$b.json"
    done
    printf 'cnnc     %-24s b1 %9.2f ms   b8 %9.2f ms\n' "$m" \
      "$(/usr/bin/python3 -c "import json; print(json.load(open('$d/cnnc_b1.json'))['median_ms'])")" \
      "$(/usr/bin/python3 -c "import json; print(json.load(open('$d/cnnc_b8.json'))['median_ms'])")"
    for f in torch.json ort.json cnnc_b1.json cnnc_b8.json; do
      cp "$d/$f" "$d/round$r.$f"
    done
  done
done
echo
/usr/bin/python3 bench/report.py "$out" "${models[@]}"
