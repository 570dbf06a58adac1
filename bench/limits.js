#!/usr/bin/env node
// npm run bench:limits — f32 Adam at the sizes where fixed cost shows, against the hardware
// limit timed inside native code. In one run, round after round, each case times:
//   the pure C++ loop of bench/native/limits.cpp (the same-traffic kernel — the limit — and
//   the Adam kernel, repetitions inside one process, no Node-API layer);
//   adamTraffic called through Node-API (the limit bench/run.js uses, which carries the call cost);
//   the raw binding adamStep (packed scalars, as the optimizer classes pass them);
//   the Adam class over the user's own plain Float32Arrays (what a new user writes);
//   the Adam class over createParameters.
// Every figure is the median over rounds; "% of limit" is the median of the per-round ratios
// pure traffic / row (a burst of load from another tenant then slows both sides of a round).
// Writes bench/limits-results.json and regenerates bench/RESULTS.md. `--help` for options.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import { limitsTargets } from './limits-targets.js';
import { median } from './measure.js';
import { rewriteResultsMarkdown } from './results-md.js';
import { parseScriptOptions } from '../dist/cli/args.js';
import { alignedArray } from '../dist/data/aligned.js';
import { BYTES_PER_PARAM, HYPER, STEP, TensorSet, manySmall, singleTensor } from './workloads.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = fileURLToPath(new URL('.', import.meta.url));

const FULL = {
  cases: [
    [singleTensor(4096), 1],
    [manySmall(10000, 100), 1],
    [singleTensor(1000000), 1],
    [singleTensor(33554432), 1],
    [singleTensor(33554432), 2],
  ],
  rounds: 7,
  batchSeconds: 0.1,
};
// CI smoke size: proves every row runs, in a few seconds; its figures mean nothing.
const QUICK = {
  cases: [
    [singleTensor(4096), 1],
    [manySmall(100, 100), 1],
  ],
  rounds: 2,
  batchSeconds: 0.005,
};

const opts = parseScriptOptions({
  name: 'bench:limits',
  description: 'f32 Adam: pure C++ loop vs Node-called traffic kernel, raw binding, Adam class (plain arrays, createParameters)',
  options: [
    { flags: '--quick', description: 'smoke run (small cases, 2 short rounds); writes nothing' },
    { flags: '--rounds <n>', description: 'interleaved rounds per case (default 7)' },
    { flags: '--cases <ids>', description: 'comma-separated cases of the full run, e.g. 4096-t1,33554432-t2' },
  ],
});
const preset = opts.quick ? QUICK : FULL;
const rounds = opts.rounds === undefined ? preset.rounds : Number(opts.rounds);
if (!Number.isSafeInteger(rounds) || rounds < 1) fail(`--rounds: expected a positive integer, received "${opts.rounds}"`);

if (!existsSync(join(root, 'dist/index.js'))) fail('dist/ is missing: run `npx tsc -p .` first');
const { loadNative } = await import('../dist/native.js');
const { Adam, createParameters } = await import('../dist/index.js');
const { adamScalars, packScalars } = await import('../dist/scalars.js');
const native = loadNative();
if (!native.ok) fail(`the native addon did not load: ${native.reason}`);
const binding = native.binding;
const isa = binding.isa;
const packed = packScalars('adam', adamScalars(HYPER, STEP));
const adamOptions = { lr: HYPER.lr, betas: [HYPER.beta1, HYPER.beta2], eps: HYPER.eps };

const exe = buildPureLoop();
const machine = describeMachine(binding.isas);
const loadBefore = os.loadavg()[0];
console.log(`${machine.cpu}, ${machine.logicalCores} logical cores, Node ${machine.node}, ISA ${isa}, ${rounds} rounds`);

const ROWS = [
  ['pure-traffic', 'pure C++ loop, same traffic (the limit)'],
  ['pure-adam', 'pure C++ loop, Adam kernel'],
  ['node-traffic', 'adamTraffic through Node-API (the old limit)'],
  ['binding', 'binding adamStep (packed scalars)'],
  ['adam-plain', 'Adam class, plain Float32Arrays'],
  ['adam-arena', 'Adam class, createParameters'],
];

const cases = [];
const caseId = (workload, threads) => `${workload.id}-t${threads}`;
const wanted = opts.cases?.split(',') ?? preset.cases.map(([w, t]) => caseId(w, t));
const unknown = wanted.filter((id) => !preset.cases.some(([w, t]) => caseId(w, t) === id));
if (unknown.length > 0)
  fail(`--cases: unknown ${unknown.join(', ')}; expected some of ${preset.cases.map(([w, t]) => caseId(w, t)).join(', ')}`);
for (const [workload, threads] of preset.cases) {
  if (wanted.includes(caseId(workload, threads))) cases.push(runCase(workload, threads));
}

const results = {
  command: `npm run bench:limits${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  date: new Date().toISOString(),
  machine: { ...machine, loadAverage1min: { before: loadBefore, after: os.loadavg()[0] } },
  method: { isa, dtype: 'f32', rounds, batchSeconds: preset.batchSeconds, bytesPerParam: BYTES_PER_PARAM, step: STEP, hyper: HYPER },
  cases,
};
results.targets = limitsTargets(cases);
for (const t of results.targets) console.log(`${t.met === null ? 'n/a ' : t.met ? 'met ' : 'MISS'}  ${t.name}: ${t.measured}`);
if (opts.quick) process.exit(0);
writeFileSync(join(benchDir, 'limits-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(rewriteResultsMarkdown(benchDir) ? 'wrote bench/limits-results.json and bench/RESULTS.md' : 'wrote bench/limits-results.json');

/** One workload at one thread count: every row, round after round, in a rotating order. */
function runCase(workload, threads) {
  const params = workload.count * workload.size;
  const id = caseId(workload, threads);
  const label = `${workload.label}, ${threads} thread${threads === 1 ? '' : 's'}`;
  // Traffic scrambles its arrays (p ← g, m ← p, v ← max(m, v)), so the Adam rows get their
  // own. The set stays referenced to the end of the case: its pristine copies, freed during
  // a timed batch, would cost V8's background sweeper a share of the 2 cores.
  const set = new TensorSet(workload);
  const stepped = set.tensors;
  const traffic = stepped.map((t) =>
    Object.fromEntries(Object.entries(t).map(([k, a]) => [k, typeof a === 'string' ? a : alignedArray(Float32Array, a.length).fill(0.5)])),
  );
  const user = plainUserArrays(stepped, threads);
  const arena = arenaOf(stepped, threads);
  const steps = {
    'node-traffic': () => binding.adamTraffic(traffic, { threads }),
    binding: () => binding.adamStep(stepped, packed, { threads }),
    'adam-plain': () => user.opt.step(user.grads),
    'adam-arena': () => arena.opt.step(arena.grads),
  };
  const batch = Object.fromEntries(Object.entries(steps).map(([k, step]) => [k, calibrate(step)]));
  let pureSteps = Math.max(1, Math.round(preset.batchSeconds / (params * 0.5e-9)));
  const samples = Object.fromEntries(ROWS.map(([k]) => [k, []]));
  const order = ['pure', ...Object.keys(steps)];
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < order.length; k++) {
      const which = order[(k + r) % order.length];
      if (which === 'pure') {
        const out = pureLoop(workload, threads, pureSteps);
        samples['pure-traffic'].push(median(out.traffic));
        samples['pure-adam'].push(median(out.adam));
        const slower = Math.max(median(out.traffic), median(out.adam));
        pureSteps = Math.max(1, Math.round(preset.batchSeconds / (params * slower * 1e-9)));
      } else {
        // One untimed step first: right after the pure loop's process has run, the first
        // pass over 33.5M params in this one ran at half speed (then at full speed again).
        steps[which]();
        samples[which].push((timeBatch(steps[which], batch[which]) / params) * 1e9);
      }
    }
  }
  const limit = samples['pure-traffic'];
  const nodeLimit = samples['node-traffic'];
  const rows = ROWS.map(([key, rowLabel]) => {
    const s = samples[key];
    const ns = median(s);
    return {
      id: key,
      label: rowLabel,
      nsPerParam: ns,
      minNsPerParam: Math.min(...s),
      gbPerS: BYTES_PER_PARAM / ns,
      pctOfLimit: median(s.map((x, r) => (limit[r] / x) * 100)),
      pctOfNodeLimit: median(s.map((x, r) => (nodeLimit[r] / x) * 100)),
      samples: s,
    };
  });
  const plainOffset = binding.byteMisalignment(Object.values(user.params)[0]);
  const result = {
    id,
    label,
    workload: workload.id,
    count: workload.count,
    size: workload.size,
    params,
    threads,
    plainMisalignmentBytes: plainOffset,
    rows,
  };
  console.log(`\n${label} (plain arrays ${plainOffset} bytes past a 64-byte line)`);
  for (const row of rows) {
    console.log(
      `  ${row.label.padEnd(46)} ${row.nsPerParam.toFixed(3).padStart(8)} ns/param  ${row.pctOfLimit.toFixed(1).padStart(6)} % of limit  ${row.pctOfNodeLimit.toFixed(1).padStart(6)} % of the Node-called one`,
    );
  }
  return result;
}

/** What a new user writes: their own Float32Arrays (wherever Node's allocator puts them), one record of gradients reused every step. */
function plainUserArrays(tensors, threads) {
  const params = Object.fromEntries(tensors.map((t, i) => [`t${i}`, Float32Array.from(t.param)]));
  const grads = Object.fromEntries(tensors.map((t, i) => [`t${i}`, Float32Array.from(t.grad)]));
  return { params, grads, opt: new Adam(params, { ...adamOptions, threads }) };
}

function arenaOf(tensors, threads) {
  const a = createParameters(Object.fromEntries(tensors.map((t, i) => [`t${i}`, t.param.length])));
  tensors.forEach((t, i) => {
    a.params[`t${i}`].set(t.param);
    a.grads[`t${i}`].set(t.grad);
  });
  return { grads: a.grads, opt: new Adam(a.params, { ...adamOptions, threads }) };
}

/** Steps per batch so a batch lasts about batchSeconds, after a warm-up that lets the JIT settle. */
function calibrate(step) {
  let perStep = Infinity;
  const started = performance.now();
  for (let k = 0; k < 3 || performance.now() - started < preset.batchSeconds * 1e3; k++) {
    const t0 = performance.now();
    step();
    perStep = Math.min(perStep, (performance.now() - t0) / 1e3);
  }
  return Math.max(1, Math.round(preset.batchSeconds / perStep));
}

/** Seconds per step over one batch. */
function timeBatch(step, count) {
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < count; k++) step();
  return Number(process.hrtime.bigint() - t0) / 1e9 / count;
}

function pureLoop(workload, threads, steps) {
  const args = [isa, 'f32', workload.count, workload.size, threads, steps, 3].map(String);
  return JSON.parse(execFileSync(exe, args, { encoding: 'utf8' }));
}

/** The pure loop, built by CMake (target adam_simd_limits: the addon's flags and kernel sources; ninja rebuilds what changed). */
function buildPureLoop() {
  execFileSync('npx', ['cmake-js', 'build', '--target', 'adam_simd_limits'], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
  const binary = join(root, 'build/adam_simd_limits');
  if (!existsSync(binary)) fail(`${binary} was not built`);
  return binary;
}

function fail(message) {
  console.error(`bench:limits: ${message}`);
  process.exit(2);
}
