#!/usr/bin/env node
/**
 * `npm run prebuilds`: Node-API prebuilds for linux-x64 (built here) and linux-arm64
 * (cross-built with g++-aarch64-linux-gnu) into prebuilds/<platform>-<arch>/, where
 * node-gyp-build finds them at run time. prebuildify drives cmake-js through
 * scripts/cmake-js-gyp.js; each arch builds in its own build-prebuild-<arch>/ folder so a
 * cross build never lands in (or is cached by) the package's build/.
 *
 * (Not named `prebuild`: npm would run that as a hook before every `npm run build`.) A cross
 * target whose toolchain is not installed is skipped with one line; with CI=true it fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { arch as hostArch, platform } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const prebuildify = join(packageRoot, 'node_modules', 'prebuildify', 'bin.js');
const shim = join(packageRoot, 'scripts', 'cmake-js-gyp.js');

/** What each arch's binary must contain: its best SIMD table, seen in the disassembly. */
const targets = [
  { arch: 'x64', compiler: 'g++', stripBin: 'strip', objdump: 'objdump', mustContain: [/vsqrtp[sd]\s+%zmm/, /vdivp[sd]\s+%ymm/] },
  {
    arch: 'arm64',
    compiler: 'aarch64-linux-gnu-g++',
    stripBin: 'aarch64-linux-gnu-strip',
    objdump: 'aarch64-linux-gnu-objdump',
    mustContain: [/fsqrt\s+v\d+\.4s/, /fdiv\s+v\d+\.2d/],
  },
];

if (platform() !== 'linux' || hostArch() !== 'x64') {
  fail(`cross-building both arches needs a linux-x64 host; this is ${platform()}-${hostArch()} (build from source there with: npx cmake-js compile)`);
}

for (const target of targets) {
  if (spawnSync(target.compiler, ['--version'], { stdio: 'ignore' }).status !== 0) {
    const why = `${target.compiler} is not installed, so prebuilds/${platform()}-${target.arch} was not built (Debian: apt-get install g++-aarch64-linux-gnu)`;
    if (process.env.CI) fail(why);
    console.log(`prebuilds: skipped ${target.arch}: ${why}`);
    continue;
  }
  const staging = join(packageRoot, `build-prebuild-${target.arch}`);
  const dest = join(packageRoot, 'prebuilds', `${platform()}-${target.arch}`);
  rmSync(dest, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const args = [
    prebuildify, '--napi', '--strip', '--tag-libc',
    '--name', 'adam_simd.napi',
    '--arch', target.arch,
    '--strip-bin', target.stripBin,
    '--node-gyp', shim,
    '--cwd', staging,
    '--out', packageRoot,
  ];
  console.log(`prebuilds: ${target.arch}`);
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (run.status !== 0) fail(`prebuildify for ${target.arch} exited with ${run.status}`);
  rmSync(staging, { recursive: true, force: true });
  for (const file of readdirSync(dest)) {
    const path = join(dest, file);
    const disassembly = execFileSync(target.objdump, ['-d', path], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const missing = target.mustContain.filter((pattern) => !pattern.test(disassembly));
    if (missing.length) fail(`${relative(packageRoot, path)} lacks ${missing.join(', ')}: its SIMD table was not compiled in`);
    console.log(`prebuilds: ${relative(packageRoot, path)} ${statSync(path).size} bytes (SIMD table checked: ${target.mustContain.join(', ')})`);
  }
}

function fail(message) {
  console.error(`prebuilds: ${message}`);
  process.exit(1);
}
