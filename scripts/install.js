#!/usr/bin/env node
/**
 * The package's `install` script. A prebuild that loads needs nothing; otherwise the addon is
 * built from source with cmake-js. `npm install --build-from-source` skips the prebuild check.
 * When no prebuild matches and the source build fails (no compiler, no cmake), this prints
 * one warning and exits 0: the package then runs on its TypeScript reference backend, which
 * computes the same bits, so a missing toolchain must not fail the user's `npm install`.
 * A build the user explicitly asked for (--build-from-source) does fail loudly.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const buildFromSource = process.env.npm_config_build_from_source === 'true';

if (!buildFromSource && loadsInChildProcess()) process.exit(0);

const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const build = spawnSync(process.execPath, [cmakeJs, 'compile'], {
  stdio: buildFromSource ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
});
if (build.status === 0) process.exit(0);
if (buildFromSource) {
  console.error(`adam-simd: --build-from-source was requested and cmake-js compile failed (exit ${build.status})`);
  process.exit(1);
}
const log = `${build.stdout ?? ''}${build.stderr ?? ''}${build.error?.message ?? ''}`.trim().split('\n');
console.warn(
  [
    `adam-simd: WARNING: no prebuilt binary for ${process.platform}-${process.arch} and the source build failed; ` +
      'the package will run on its TypeScript reference backend (same results, slower).',
    '  To build the native addon, install cmake and a C++17 compiler, then run: npm rebuild adam-simd',
    '  Last lines of the build log:',
    ...log.slice(-5).map((line) => `    ${line}`),
  ].join('\n'),
);
process.exit(0);

/** In a child process, so that a binary that crashes on load cannot take the install down. */
function loadsInChildProcess() {
  const probe = `require(${JSON.stringify(require.resolve('node-gyp-build'))})(process.cwd())`;
  return spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore' }).status === 0;
}
