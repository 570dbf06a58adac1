#!/usr/bin/env bash
# npm run test:sanitize: the addon built with clang 14's AddressSanitizer + UndefinedBehavior-
# Sanitizer (CMake option ADAM_SIMD_SANITIZE) into build-asan/, then the whole vitest suite run
# against it through lib/native.ts's ADAM_SIMD_BINARY testing hook. Passes only with zero
# sanitizer reports. Needs: clang, libclang-rt-14-dev.
set -euo pipefail
cd "$(dirname "$0")/.."

out=build-asan
addon=$PWD/$out/Release/adam_simd.node
log=$out/vitest.log

npx cmake-js compile --out "$out" --cc clang --cxx clang++ --CDADAM_SIMD_SANITIZE=ON
grep -q __asan_init <(nm -D "$addon") || { echo "test-sanitize: $addon is not instrumented" >&2; exit 1; }
npx tsc -p .

# node itself is not instrumented, so the ASan runtime must be loaded first, by hand.
runtime=$(clang++ -print-file-name=libclang_rt.asan-x86_64.so)
[[ -f $runtime ]] || { echo "test-sanitize: ASan runtime not found ($runtime); apt-get install libclang-rt-14-dev" >&2; exit 1; }
export LD_PRELOAD=$runtime
# Leak checking is off: Node's own exit-time allocations would be reported.
export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ADAM_SIMD_BINARY=$addon

loaded=$(node --input-type=module -e "import { loadNative } from './dist/native.js'; const n = loadNative(); console.log(n.ok ? n.path : n.reason)")
[[ $loaded == "$addon" ]] || { echo "test-sanitize: loadNative() gave '$loaded', not $addon" >&2; exit 1; }

status=0
npx vitest run 2>&1 | tee "$log" || status=$?
reports=$(grep -cE 'ERROR: AddressSanitizer|runtime error:|SUMMARY: (Address|UndefinedBehavior)Sanitizer' "$log" || true)
echo "test-sanitize: vitest exit $status, $reports sanitizer report(s) (log: $log)"
[[ $status -eq 0 && $reports -eq 0 ]]
