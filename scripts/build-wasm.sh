#!/usr/bin/env bash
# Builds wasm/adam_simd.wasm, the WebAssembly backend (lib/wasm/): the generic kernels
# compiled against simd/wasm.h, with the numerics contract's flags (no FMA contraction, no
# fast-math), linked with wasi-libc for malloc/memcpy only (the module imports nothing).
# Needs Debian's clang and lld with the wasm32 sysroot:
#   apt-get install clang lld wasi-libc libc++-14-dev-wasm32 libclang-rt-14-dev-wasm32
# The output is committed (it ships in the npm package, and users need no toolchain);
# test/wasm-build.test.ts rebuilds it and checks the committed file is what these sources give.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-wasm/adam_simd.wasm}"
mkdir -p "$(dirname "$out")"
src=native/src
clang --target=wasm32-wasi -msimd128 -std=c++17 -O2 \
  -ffp-contract=off -fno-fast-math -fno-math-errno -fno-exceptions -fno-rtti -Wall -Wextra -Werror \
  -nostartfiles -Wl,--no-entry -Wl,--strip-all -Wl,-z,stack-size=1048576 \
  -ffile-prefix-map="$PWD"=. \
  -o "$out" \
  "$src/isa/wasm.cpp" "$src/wasm/exports.cpp" "$src/wasm/serial.cpp" "$src/wasm/new.cpp" "$src/linreg.cpp"
