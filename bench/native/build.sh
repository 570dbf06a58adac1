#!/usr/bin/env bash
# Builds bench/native/limits.cpp into build-bench-native/adam-limits (git-ignored), with the
# native build's numerics flags and the library's own kernel, dispatch and thread-pool
# sources (bench/profile/kernel-objects.sh): not part of the addon, so npm install and npm
# test never build it. bench/limits.js runs this when the binary is missing or older than
# its sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build-bench-native
source bench/profile/kernel-objects.sh
g++ "${flags[@]}" -c -o "$out/dispatch.o" native/src/dispatch.cpp
g++ "${flags[@]}" -Wall -Wextra -o "$out/adam-limits" bench/native/limits.cpp "$out/dispatch.o" "${kernel_objects[@]}"
