#!/usr/bin/env bash
# What X's alignment is worth to the linear-regression pass (bench/analysis.md): the fused
# kernel and readOnce on a 64-byte-aligned X and on the same X 16 bytes past a line.
# Usage: bash bench/profile/linreg-alignment.sh   (builds into build-bench-profile/, git-ignored)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/profile/kernel-objects.sh

g++ "${flags[@]}" -o "$out/linreg-alignment" bench/profile/linreg-alignment.cpp "${kernel_objects[@]}"

echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; medians over interleaved calls"
for isa in avx2 avx512; do
  "$out/linreg-alignment" 2000 20000 "$isa"
  "$out/linreg-alignment" 100000 400 "$isa"
done
