#!/usr/bin/env bash
# What a fused activation costs: a 3x3 convolution of 128 channels on a
# 56x56 map, with each activation after it (fused into its store by the
# runtime), timed by `cnnc bench` in rounds that interleave the
# activations, so that the machine's slow spells fall on all alike. Prints
# each activation's best median over the rounds and its ratio to relu's.
#
#   bash bench/activations.sh            (BENCH_ROUNDS=3 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/activations
mkdir -p "$out"
go build -o "$out/cnnc" ./cmd/cnnc
acts=(none relu relu6 "hardtanh lower=-1 upper=1" "leakyrelu 0.2" hardswish hardsigmoid sigmoid tanh
      silu gelu "gelu tanh" mish elu selu softplus)
rounds=${BENCH_ROUNDS:-3}
declare -A best
for r in $(seq "$rounds"); do
  for a in "${acts[@]}"; do
    f="$out/$(echo "$a" | tr ' =' '__').cnn"
    body="conv 128 k3 p1"
    [ "$a" != none ] && body="$body; $a"
    echo "model m (input 128x56x56) < $body >" > "$f"
    ms=$("$out/cnnc" bench --json --runs 15 --min-time 1s "$f" | sed -n 's/.*"median_ms": *\([0-9.]*\).*/\1/p' | head -1)
    if [ -z "${best[$a]:-}" ] || awk -v a="$ms" -v b="${best[$a]}" 'BEGIN{exit !(a<b)}'; then
      best[$a]=$ms
    fi
  done
done
printf '%-28s %10s %8s\n' activation "median ms" "/ relu"
for a in "${acts[@]}"; do
  printf '%-28s %10.3f %8.3f\n' "$a" "${best[$a]}" "$(awk -v a="${best[$a]}" -v b="${best[relu]}" 'BEGIN{print a/b}')"
done
