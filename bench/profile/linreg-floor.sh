#!/usr/bin/env bash
# The profile behind the linear-regression part of bench/analysis.md: readOnce, the arithmetic
# floor of the numerics contract and the fused kernel, interleaved in one process, with X in
# L2 (2,000 rows), in L3 (100,000 rows: the bench's shape) and in DRAM (2,000,000 rows).
# Usage: bash bench/profile/linreg-floor.sh   (builds into build-bench-profile/, git-ignored)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build-bench-profile
mkdir -p "$out"
flags=(-std=c++17 -O3 -DNDEBUG -ffp-contract=off -fno-math-errno -fno-fast-math
       -DADAM_SIMD_HAVE_AVX2 -DADAM_SIMD_HAVE_AVX512)

g++ "${flags[@]}" -c -o "$out/scalar.o" native/src/isa/scalar.cpp
g++ "${flags[@]}" -mavx2 -c -o "$out/avx2.o" native/src/isa/avx2.cpp
g++ "${flags[@]}" -mavx512f -Wno-maybe-uninitialized -c -o "$out/avx512.o" native/src/isa/avx512.cpp
g++ "${flags[@]}" -mavx2 -DFLOOR_IS_AVX512=0 -o "$out/linreg-floor-avx2" bench/profile/linreg-floor.cpp \
  "$out/scalar.o" "$out/avx2.o" "$out/avx512.o"
g++ "${flags[@]}" -mavx512f -DFLOOR_IS_AVX512=1 -Wno-maybe-uninitialized -o "$out/linreg-floor-avx512" \
  bench/profile/linreg-floor.cpp "$out/scalar.o" "$out/avx2.o" "$out/avx512.o"

echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; medians over interleaved calls"
for isa in avx2 avx512; do
  "$out/linreg-floor-$isa" 2000 20000
  "$out/linreg-floor-$isa" 100000 400
  "$out/linreg-floor-$isa" 2000000 30
done
