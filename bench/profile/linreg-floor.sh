#!/usr/bin/env bash
# The profile behind the linear-regression part of bench/analysis.md: readOnce, the arithmetic
# floor of the numerics contract and the fused kernel, interleaved in one process, with X in
# L2 (2,000 rows), in L3 (100,000 rows: the bench's shape) and in DRAM (2,000,000 rows).
# Usage: bash bench/profile/linreg-floor.sh   (builds into build-profile/, git-ignored; output: results/linreg-floor*.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/profile/build.sh
profile_build linreg-floor-avx2 linreg-floor-avx512

echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; medians over interleaved calls"
for isa in avx2 avx512; do
  "$bin/linreg-floor-$isa" 2000 20000
  "$bin/linreg-floor-$isa" 100000 400
  "$bin/linreg-floor-$isa" 2000000 30
done
