#!/usr/bin/env node
/**
 * Stands in for node-gyp when prebuildify runs (`--node-gyp scripts/cmake-js-gyp.js`):
 * prebuildify calls `<node-gyp> rebuild --target=V --devdir=D --arch=A --release|--debug`
 * in its working directory and then takes the .node from `<cwd>/build/Release`. This runs
 * `cmake-js rebuild` on the package's CMakeLists.txt with the output in `<cwd>/build`, so the
 * package's own build/ is never touched. A non-host platform or arch (prebuildify's --platform
 * reaches here as PREBUILD_PLATFORM) gets the matching toolchain file from cmake/. The Node-API
 * headers come from node-api-headers (package.json `binary`), so --target and --devdir are not
 * needed; a Windows build also gets its node.exe export list (.def) from there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch as hostArch, platform as hostPlatform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolchains = { 'linux-arm64': 'aarch64-linux-gnu.cmake', 'win32-x64': 'x86_64-w64-mingw32.cmake' };

const args = process.argv.slice(2);
if (args[0] !== 'rebuild') fail(`only "rebuild" is supported, got "${args.join(' ')}"`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const arch = option('arch') ?? hostArch();
const platform = process.env.PREBUILD_PLATFORM ?? hostPlatform();
const target = `${platform}-${arch}`;

const cmakeArgs = ['rebuild', '--directory', packageRoot, '--out', join(process.cwd(), 'build'), '--arch', arch];
if (args.includes('--debug')) cmakeArgs.push('--debug');
if (target !== `${hostPlatform()}-${hostArch()}`) {
  const toolchain = toolchains[target];
  if (!toolchain) fail(`no CMake toolchain file for cross-building to "${target}" (have: ${Object.keys(toolchains).join(', ')})`);
  cmakeArgs.push('--CDCMAKE_TOOLCHAIN_FILE=' + join(packageRoot, 'cmake', toolchain));
}
if (platform === 'win32') {
  const headers = createRequire(import.meta.url)('node-api-headers');
  cmakeArgs.push('--CDCMAKE_JS_NODELIB_DEF=' + headers.def_paths.node_api_def);
}

const cmakeJs = join(packageRoot, 'node_modules', 'cmake-js', 'bin', 'cmake-js');
if (!existsSync(cmakeJs)) fail(`cmake-js not found at ${cmakeJs}; run npm install`);
const run = spawnSync(process.execPath, [cmakeJs, ...cmakeArgs], { stdio: 'inherit' });
process.exit(run.status ?? 1);

function fail(message) {
  console.error(`cmake-js-gyp: ${message}`);
  process.exit(1);
}
