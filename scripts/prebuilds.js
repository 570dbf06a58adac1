#!/usr/bin/env node
/**
 * `npm run prebuilds`: Node-API prebuilds for linux-x64 (built here), linux-arm64
 * (cross-built with g++-aarch64-linux-gnu) and win32-x64 (cross-built with MinGW,
 * g++-mingw-w64-x86-64) into prebuilds/<platform>-<arch>/, where
 * node-gyp-build finds them at run time. prebuildify drives cmake-js through
 * scripts/cmake-js-gyp.js; each target builds in its own build-prebuild-<platform>-<arch>/ folder so a
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

/**
 * What each target's binary must contain: its best SIMD table, seen in the disassembly. Only
 * glibc Linux builds get a libc tag in their file name (node-gyp-build matches it there).
 */
const x64Tables = [/vsqrtp[sd]\s+%zmm/, /vdivp[sd]\s+%ymm/];
/**
 * What it must not contain. Windows x64 only aligns the stack to 16 bytes, and GCC cannot
 * realign it there (GCC bug 54412): an aligned 32/64-byte move to or from a stack slot would
 * crash at random. GCC 12 spills with unaligned moves; this keeps it so for the AVX-512 code,
 * which this machine cannot run under wine (npm run test:win32 covers scalar and AVX2).
 */
const alignedStackVectorMove = /vmov(?:ap[sd]|dqa(?:32|64)?|nt\w+)\s[^\n]*(?:%[yz]mm[^\n]*\(%r[sb]p|\(%r[sb]p[^\n]*%[yz]mm)/;
const targets = [
  {
    platform: 'linux',
    arch: 'x64',
    compiler: 'g++',
    apt: 'g++',
    stripBin: 'strip',
    objdump: 'objdump',
    tagLibc: true,
    mustContain: x64Tables,
  },
  {
    platform: 'linux',
    arch: 'arm64',
    compiler: 'aarch64-linux-gnu-g++',
    apt: 'g++-aarch64-linux-gnu',
    stripBin: 'aarch64-linux-gnu-strip',
    objdump: 'aarch64-linux-gnu-objdump',
    tagLibc: true,
    mustContain: [/fsqrt\s+v\d+\.4s/, /fdiv\s+v\d+\.2d/],
  },
  {
    platform: 'win32',
    arch: 'x64',
    compiler: 'x86_64-w64-mingw32-g++-posix', // cmake/x86_64-w64-mingw32.cmake says why -posix
    apt: 'g++-mingw-w64-x86-64',
    stripBin: 'x86_64-w64-mingw32-strip',
    objdump: 'x86_64-w64-mingw32-objdump',
    tagLibc: false,
    mustContain: x64Tables,
    mustNotContain: [alignedStackVectorMove],
  },
];

if (platform() !== 'linux' || hostArch() !== 'x64') {
  fail(
    `cross-building every target needs a linux-x64 host; this is ${platform()}-${hostArch()} (build from source there with: npx cmake-js compile)`,
  );
}

for (const target of targets) {
  const name = `${target.platform}-${target.arch}`;
  if (spawnSync(target.compiler, ['--version'], { stdio: 'ignore' }).status !== 0) {
    const why = `${target.compiler} is not installed, so prebuilds/${name} was not built (Debian: apt-get install ${target.apt})`;
    if (process.env.CI) fail(why);
    console.log(`prebuilds: skipped ${name}: ${why}`);
    continue;
  }
  const staging = join(packageRoot, `build-prebuild-${name}`);
  const dest = join(packageRoot, 'prebuilds', name);
  rmSync(dest, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const args = [
    prebuildify,
    '--napi',
    '--strip',
    ...(target.tagLibc ? ['--tag-libc'] : []),
    '--name',
    'adam_simd.napi',
    '--platform',
    target.platform,
    '--arch',
    target.arch,
    '--strip-bin',
    target.stripBin,
    '--node-gyp',
    shim,
    '--cwd',
    staging,
    '--out',
    packageRoot,
  ];
  console.log(`prebuilds: ${name}`);
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (run.status !== 0) fail(`prebuildify for ${name} exited with ${run.status}`);
  rmSync(staging, { recursive: true, force: true });
  for (const file of readdirSync(dest)) {
    const path = join(dest, file);
    const disassembly = execFileSync(target.objdump, ['-d', path], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const missing = target.mustContain.filter((pattern) => !pattern.test(disassembly));
    if (missing.length) fail(`${relative(packageRoot, path)} lacks ${missing.join(', ')}: its SIMD table was not compiled in`);
    const forbidden = (target.mustNotContain ?? []).filter((pattern) => pattern.test(disassembly));
    if (forbidden.length)
      fail(`${relative(packageRoot, path)} contains ${forbidden.join(', ')}: an aligned vector move on the 16-byte-aligned Windows stack`);
    console.log(
      `prebuilds: ${relative(packageRoot, path)} ${statSync(path).size} bytes (SIMD table checked: ${target.mustContain.join(', ')})`,
    );
  }
}

function fail(message) {
  console.error(`prebuilds: ${message}`);
  process.exit(1);
}
