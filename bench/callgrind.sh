#!/usr/bin/env bash
# npm run bench:callgrind — instructions per f32 Adam step at 4,096 params (1 thread, AVX2:
# valgrind cannot run AVX-512), for the Adam class on plain Float32Arrays, over
# createParameters, and the raw binding adamStep. Load-independent: the fixed cost of a
# step, to compare before and after a change, split into the kernel (AVX2 adam loop) and
# the rest (the fixed cost); and per epoch of npm start's linear regression (form seed: the
# native training loop, its kernels being the Adam step's and the loss/gradient pass's).
# Each form runs twice under callgrind, with
# WARMUP + STEPS and WARMUP + 2·STEPS steps (bench/step-calls.js); the difference of the
# two totals over STEPS removes Node's start-up and the JIT's warm-up. Needs valgrind
# (apt-get install -y valgrind), dist/ and a built addon.
# Usage: bash bench/callgrind.sh [forms…]   (env WARMUP, default 2000; STEPS, default 3000)
# With no forms it runs all three and writes bench/callgrind-results.txt (RESULTS.md quotes it).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is not installed (apt-get install -y valgrind)" >&2; exit 2; }
warmup=${WARMUP:-2000}
steps=${STEPS:-3000}
out=build-bench-native
mkdir -p "$out"
forms=("$@")
[[ ${#forms[@]} -gt 0 ]] || forms=(adam-plain adam-arena binding seed)

total() {  # instructions of one run of bench/step-calls.js
  local file="$out/callgrind.$1.$2"
  # --smc-check=all-non-file: V8 writes and patches the code it runs (JIT), off the stack.
  # --predictable (one thread, no concurrent GC or compiler) and fixed seeds: the same
  # instructions on every run, so two runs differ only by the steps added.
  ADAM_SIMD_ISA=avx2 valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file="$file" \
    node --predictable --hash-seed=1 --random-seed=1 bench/step-calls.js "$1" "$warmup" "$2" >/dev/null 2>"$file.log"
  awk '/^(summary|totals):/ { print $2; exit }' "$file"
}

kernel() {  # instructions of that run inside the kernels themselves (avx2::adam and its loops; seed: and avx2::linreg_*)
  callgrind_annotate "$out/callgrind.$1.$2" 2>/dev/null |
    awk 'index($0, "adam_simd::avx2::adam<") || index($0, "adam_simd::avx2::adam_loop<") || index($0, "adam_simd::avx2::linreg_") { gsub(",", "", $1); s += $1 } END { print s + 0 }'
}

report=$out/callgrind-results.txt
{
  echo "bash bench/callgrind.sh ${*:-} (WARMUP=$warmup STEPS=$steps), $(date -u +%Y-%m-%dT%H:%M:%SZ), git $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- lib native || echo ' + local changes to lib/ or native/')"
  echo "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; node $(node --version), $(valgrind --version)"
  echo "instructions per step, 4,096 params, f32, 1 thread, avx2 ($warmup warm-up steps, then $steps and $((2 * steps))); seed: per epoch, 100 × 3 f64"
} >"$report"
for form in "${forms[@]}"; do
  a=$(total "$form" "$steps")
  b=$(total "$form" $((2 * steps)))
  k=$(( $(kernel "$form" $((2 * steps))) - $(kernel "$form" "$steps") ))
  awk -v f="$form" -v d=$((b - a)) -v k=$k -v s="$steps" 'BEGIN {
    printf "%-10s %8.0f instructions per %s: %6.0f in the kernel%s, %6.0f fixed cost\n", f, d / s, f == "seed" ? "epoch" : "step", k / s, f == "seed" ? "s" : "", (d - k) / s }' >>"$report"
done
cat "$report"
# The full default run is the one RESULTS.md quotes.
if [[ $# -eq 0 ]]; then
  cp "$report" bench/callgrind-results.txt
  node -e "import('./bench/results-md.js').then((m) => m.rewriteResultsMarkdown('bench/') && console.log('wrote bench/callgrind-results.txt and bench/RESULTS.md'))"
fi
