#!/usr/bin/env bash
# Builds wasm/adam_simd.wasm, the WebAssembly backend (lib/wasm/): the generic kernels
# compiled against simd/wasm.h, with the numerics contract's flags (no FMA contraction, no
# fast-math), linked with wasi-libc for malloc and memcpy (the module imports nothing).
# Needs Debian's clang and lld with the wasm32 sysroot:
#   apt-get install clang lld wasi-libc libc++-14-dev-wasm32 libclang-rt-14-dev-wasm32
#
# The module is committed: it ships in the npm package, so users need no toolchain, and the
# build is reproducible (same bytes from the same sources and clang). Next to it,
# wasm/SOURCES.sha256 lists every file it was built from (clang's own dependency list, plus
# this script) with its hash, and the module's; test/wasm-build.test.ts checks them, so a
# source changed without a rebuild fails the tests on any machine, toolchain or not.
#
#   scripts/build-wasm.sh          build, and write wasm/SOURCES.sha256
#   scripts/build-wasm.sh --check  build into a temporary file and fail unless it equals the
#                                  committed module (CI: the committed bytes are these sources')
set -euo pipefail
cd "$(dirname "$0")/.."
src=native/src
sources=("$src/isa/wasm.cpp" "$src/wasm/exports.cpp" "$src/wasm/serial.cpp" "$src/wasm/new.cpp" "$src/linreg.cpp")
# The memory is shared (a SharedArrayBuffer), so growing it leaves earlier views valid: the
# optimizers' state lives in it (lib/wasm/heap.ts) and must survive later allocations. Shared
# memory needs the atomics and bulk-memory features, which wasi-libc's objects were not built
# with; the module runs on one thread, so its non-atomic malloc is still right, and
# --no-check-features lets them link. -fno-threadsafe-statics: no thread, no guard calls.
flags=(--target=wasm32-wasi -msimd128 -matomics -mbulk-memory -std=c++17 -O2
       -ffp-contract=off -fno-fast-math -fno-math-errno -fno-exceptions -fno-rtti -fno-threadsafe-statics
       -Wall -Wextra -Werror)

build() {
  clang "${flags[@]}" -nostartfiles -Wl,--no-entry -Wl,--strip-all -Wl,-z,stack-size=1048576 \
    -Wl,--shared-memory -Wl,--max-memory=4294967296 -Wl,--no-check-features -o "$1" "${sources[@]}"
}

if [[ "${1:-}" == "--check" ]]; then
  tmp=$(mktemp --suffix=.wasm)
  trap 'rm -f "$tmp"' EXIT
  build "$tmp"
  if ! cmp -s "$tmp" wasm/adam_simd.wasm; then
    echo "build-wasm: wasm/adam_simd.wasm is not what these sources build; run npm run build:wasm and commit it" >&2
    exit 1
  fi
  echo "build-wasm: wasm/adam_simd.wasm is up to date"
  exit 0
fi

mkdir -p wasm
build wasm/adam_simd.wasm
# The project's own files each translation unit reads (-MM leaves out system headers).
deps=$(for s in "${sources[@]}"; do clang "${flags[@]}" -MM -MT x "$s"; done |
  sed -e 's/^x://' -e 's/\\$//' | tr ' ' '\n' | grep -v '^$' | xargs -n1 realpath --relative-to=. | sort -u)
sha256sum $deps scripts/build-wasm.sh wasm/adam_simd.wasm > wasm/SOURCES.sha256
echo "build-wasm: wasm/adam_simd.wasm ($(stat -c %s wasm/adam_simd.wasm) bytes) from $(echo "$deps" | wc -l) sources"
