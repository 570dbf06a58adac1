#!/usr/bin/env bash
# The profile behind bench/analysis.md: sqrt/div throughput of this CPU, the Adam kernel timed
# without the Node-API layer, callgrind instruction counts of the kernel (AVX2: valgrind
# cannot execute AVX-512), and where the time of a many-small-tensors call goes.
# Usage: bash bench/profile/profile.sh   (builds into build-profile/, git-ignored; output: results/profile.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/profile/build.sh
profile_build sqrt-div-throughput adam-kernel-driver

echo "== sqrt and division throughput (16 independent chains)"
"$bin/sqrt-div-throughput"

echo; echo "== kernel alone, no Node-API (n = 4096: in L1/L2; n = 262144: in L3)"
for n in 4096 262144; do
  steps=$((400000000 / n))
  for isa in scalar avx2 avx512; do
    for kind in adam traffic; do "$bin/adam-kernel-driver" $isa $kind $n $steps; done
  done
done

echo; echo "== callgrind: instructions per parameter in the AVX2 kernel (n = 4096, 100 steps)"
for kind in adam traffic; do
  fn=$([ $kind = adam ] && echo '*avx2::adam_loop*' || echo '*avx2::adam_traffic*')
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$kind" --toggle-collect="$fn" \
    "$bin/adam-kernel-driver" avx2 $kind 4096 100 >/dev/null 2>"$out/valgrind.$kind.log"
  ir=$(callgrind_annotate "$out/callgrind.$kind" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
  echo "avx2 $kind: $ir instructions / (4096 × 100) = $(echo "scale=3; $ir / 409600" | bc) per parameter"
done

echo; echo "== AVX-512 Adam inner loop (objdump): instructions per 16-lane iteration"
objdump -d --no-show-raw-insn -C "$(find "$out" -name 'avx512.cpp.o' -path '*profile_kernels*')" |
  awk '/<void adam_simd::avx512::adam_loop<float, false, false, false, false>/,/^$/' |
  grep -E 'vsqrtps|vdivps|vmulps|vaddps|vsubps|vmovups|add |cmp |j[a-z]+ ' | awk '{ $1 = ""; print }' | head -40

echo; echo "== callgrind: one adamStep call over 1000 tensors × 100 (node + the built addon, 20 calls)"
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.many" \
  node bench/profile/many-small-call.js 1000 100 20 >/dev/null 2>"$out/valgrind.many.log"
callgrind_annotate --inclusive=yes "$out/callgrind.many" 2>/dev/null |
  grep -E 'adam_simd::\(anonymous namespace\)::adam_step|TensorList::field|TensorList::where|TensorList::TensorList|napi_get_named_property|napi_get_typedarray_info|check_disjoint|adam_simd::avx2::adam<float>' |
  awk '{ ir = $1; gsub(",", "", ir); name = $0; sub(/^[^?]*\?\?\?:/, "", name); sub(/\(.*/, "", name);
         printf "%14s Ir  %8.0f per tensor  %s\n", $1, ir / 20000, name }'
