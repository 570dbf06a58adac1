#!/usr/bin/env bash
# What the fused kernel's generality costs (bench/analysis.md): the real AVX-512 kernel and a
# lean 32-column MSE loop against readOnce, on X in 4 KB pages and in transparent huge pages.
# Usage: bash bench/profile/linreg-structure.sh [runs]   (builds into build-profile/, git-ignored; output: results/linreg-structure*.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/profile/build.sh
profile_build linreg-structure

echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; 100,000 × 32 f32, one thread;" \
  "medians over 150 interleaved calls, one process per run, each run pinned to each core in turn (taskset)"
for run in $(seq 1 "${1:-3}"); do
  for cpu in $(seq 0 $(($(nproc) - 1))); do
    echo "-- core $cpu"
    taskset -c "$cpu" "$bin/linreg-structure" 150
  done
done
