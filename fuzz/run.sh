#!/usr/bin/env bash
# Builds the libFuzzer kernel harness (fuzz/kernels.cpp) with clang and ASan/UBSan, each ISA
# file with its own flags as CMakeLists.txt does, and runs it from the seed corpus.
#   bash fuzz/run.sh [seconds, default 60]     (needs clang and libclang-rt-14-dev)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=build-fuzz/kernels
mkdir -p "$out/obj" "$out/corpus"
cxx=${CXX_FUZZ:-clang++}
common=(-std=c++17 -O1 -g -fno-omit-frame-pointer -ffp-contract=off -fno-math-errno -fno-fast-math
        -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all)
isa_sources=(native/src/isa/scalar.cpp)
defines=()
case "$(uname -m)" in
  x86_64 | amd64) defines=(-DADAM_SIMD_HAVE_AVX2 -DADAM_SIMD_HAVE_AVX512) ;;
  aarch64 | arm64) defines=(-DADAM_SIMD_HAVE_NEON); isa_sources+=(native/src/isa/neon.cpp) ;;
esac
objects=()
compile() { # source, extra flags...
  local src=$1 obj="$out/obj/$(basename "$1" .cpp).o"
  shift
  "$cxx" "${common[@]}" "${defines[@]}" "$@" -c "$src" -o "$obj"
  objects+=("$obj")
}
compile native/src/dispatch.cpp
compile native/src/linreg.cpp
compile native/src/parallel.cpp
for src in "${isa_sources[@]}"; do compile "$src"; done
if [[ " ${defines[*]} " == *AVX2* ]]; then
  compile native/src/isa/avx2.cpp -mavx2
  compile native/src/isa/avx512.cpp -mavx512f
fi
compile fuzz/kernels.cpp
"$cxx" -fsanitize=fuzzer,address,undefined "${objects[@]}" -o "$out/fuzz-kernels"
# The committed seeds stay untouched; what the run finds goes to the build folder.
"$out/fuzz-kernels" -max_total_time="$seconds" -print_final_stats=1 "$out/corpus" fuzz/corpus
