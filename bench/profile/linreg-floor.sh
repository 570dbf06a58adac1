#!/usr/bin/env bash
# The profile behind the linear-regression part of bench/analysis.md: readOnce, the arithmetic
# floor of the numerics contract and the fused kernel, interleaved in one process, with X in
# L2 (2,000 rows), in L3 (100,000 rows: the bench's shape) and in DRAM (2,000,000 rows).
# Usage: bash bench/profile/linreg-floor.sh   (builds into build-bench-profile/, git-ignored)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/profile/kernel-objects.sh

g++ "${flags[@]}" -mavx2 -DFLOOR_IS_AVX512=0 -o "$out/linreg-floor-avx2" bench/profile/linreg-floor.cpp \
  "${kernel_objects[@]}"
g++ "${flags[@]}" -mavx512f -DFLOOR_IS_AVX512=1 -Wno-maybe-uninitialized -o "$out/linreg-floor-avx512" \
  bench/profile/linreg-floor.cpp "${kernel_objects[@]}"

echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; medians over interleaved calls"
for isa in avx2 avx512; do
  "$out/linreg-floor-$isa" 2000 20000
  "$out/linreg-floor-$isa" 100000 400
  "$out/linreg-floor-$isa" 2000000 30
done
