#!/usr/bin/env node
/**
 * Stands in for node-gyp when prebuildify runs (`--node-gyp scripts/cmake-js-gyp.js`):
 * prebuildify calls `<node-gyp> rebuild --target=V --devdir=D --arch=A --release|--debug`
 * in its working directory and then takes the .node from `<cwd>/build/Release`. This runs
 * `cmake-js rebuild` on the package's CMakeLists.txt with the output in `<cwd>/build`, so the
 * package's own build/ is never touched. A non-host arch gets the matching toolchain file
 * from cmake/. The Node-API headers come from node-api-headers (package.json `binary`), so
 * --target and --devdir are not needed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch as hostArch } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolchains = { arm64: 'aarch64-linux-gnu.cmake' };

const args = process.argv.slice(2);
if (args[0] !== 'rebuild') fail(`only "rebuild" is supported, got "${args.join(' ')}"`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const arch = option('arch') ?? hostArch();

const cmakeArgs = ['rebuild', '--directory', packageRoot, '--out', join(process.cwd(), 'build'), '--arch', arch];
if (args.includes('--debug')) cmakeArgs.push('--debug');
if (arch !== hostArch()) {
  const toolchain = toolchains[arch];
  if (!toolchain) fail(`no CMake toolchain file for cross-building to "${arch}" (have: ${Object.keys(toolchains).join(', ')})`);
  cmakeArgs.push('--CDCMAKE_TOOLCHAIN_FILE=' + join(packageRoot, 'cmake', toolchain));
}

const cmakeJs = join(packageRoot, 'node_modules', 'cmake-js', 'bin', 'cmake-js');
if (!existsSync(cmakeJs)) fail(`cmake-js not found at ${cmakeJs}; run npm install`);
const run = spawnSync(process.execPath, [cmakeJs, ...cmakeArgs], { stdio: 'inherit' });
process.exit(run.status ?? 1);

function fail(message) {
  console.error(`cmake-js-gyp: ${message}`);
  process.exit(1);
}
