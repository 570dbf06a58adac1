#!/usr/bin/env bash
# How the blocks of a linear-regression pass are handed to threads (bench/analysis.md):
# pinned contiguous runs against runs handed out dynamically, each against readOnce.
# Usage: bash bench/profile/linreg-threads.sh [runs]   (builds into build-bench-profile/, git-ignored)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/profile/kernel-objects.sh

g++ "${flags[@]}" -o "$out/linreg-threads" bench/profile/linreg-threads.cpp "${kernel_objects[@]}"

echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; 100,000 × 32 f32, AVX-512, every core;" \
  "medians over 100 interleaved calls, one process per run"
for run in $(seq 1 "${1:-5}"); do "$out/linreg-threads" 100; done
