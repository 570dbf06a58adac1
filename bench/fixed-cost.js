#!/usr/bin/env node
/**
 * The fixed cost of a step (#14): what a user gets from the `Adam` class — on their own
 * plain Float32Arrays and over createParameters — against the hardware's limit, a pure
 * native loop timed inside native code (bench/native/limits.cpp: the same-traffic loop and
 * the Adam kernel, repeated inside one timed region, no Node-API call), and against the
 * same kernels called through Node-API (the raw binding). One thread, f32, best ISA; the
 * whole list is measured `--rounds` times in turn and each figure is the median of its rounds.
 *
 *   npm run bench:fixed-cost [-- --quick] [--rounds N]
 *
 * Writes bench/fixed-cost-results.json and regenerates bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Adam, createParameters } from '../dist/index.js';
import { loadNative } from '../dist/native.js';
import { adamScalars, packScalars } from '../dist/scalars.js';
import { describeMachine } from './machine.js';
import { measure } from './measure.js';
import { rewriteResultsMarkdown } from './results-md.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string', default: '3' } } });
const rounds = flags.quick ? 1 : Number(flags.rounds);
const budget = flags.quick ? { minTime: 0.05, maxCaseTime: 2, minReps: 3, maxReps: 50 } : { minTime: 0.4, maxCaseTime: 20, minReps: 7, maxReps: 400 };

const native = loadNative();
if (!native.ok) throw new Error(`bench/fixed-cost: the native addon did not load: ${native.reason}`);
const binding = native.binding;
const isa = binding.isa;

/** The pure native loop, built on demand by CMake (target adam_simd_limits). */
function limitsBinary() {
  const binary = join(root, 'build', 'adam_simd_limits');
  execFileSync('npx', ['cmake-js', 'build', '--target', 'adam_simd_limits'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(binary)) throw new Error(`bench/fixed-cost: ${binary} was not built`);
  return binary;
}

function pureLoop(binary, n, threads) {
  const reps = Math.max(2, Math.round((flags.quick ? 2e7 : 2e8) / n));
  const out = execFileSync(binary, [isa, 'f32', String(n), String(reps), String(threads), flags.quick ? '3' : '7'], { encoding: 'utf8' });
  return JSON.parse(out);
}

function filled(n, value) {
  return new Float32Array(n).fill(value);
}

function adamTensor(n) {
  return { param: filled(n, 1), grad: filled(n, 0.001), expAvg: filled(n, 0), expAvgSq: filled(n, 0) };
}

const packed = packScalars('adam', adamScalars({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false }, 10));

/** Adam on `count` separate plain arrays of `length`, or their createParameters arena. */
function adamCase(count, length, arena, threads = 1) {
  if (arena) {
    const lengths = Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${i}`, length]));
    const a = createParameters(lengths);
    a.allParams.fill(1);
    a.allGrads.fill(0.001);
    const opt = new Adam(a.params, { threads });
    return () => opt.step(a.grads);
  }
  const params = {};
  const grads = {};
  for (let i = 0; i < count; i++) {
    params[`t${i}`] = filled(length, 1);
    grads[`t${i}`] = filled(length, 0.001);
  }
  const opt = new Adam(params, { threads });
  return () => opt.step(grads);
}

/** The cases, each a step function over `elements` parameters. */
function cases(full) {
  const t4096 = adamTensor(4096);
  const list = [
    { id: 'traffic-node-4096', label: 'same-traffic loop through Node-API (adamTraffic)', elements: 4096, step: () => binding.adamTraffic([t4096], { threads: 1 }) },
    { id: 'binding-4096', label: 'raw binding adamStep', elements: 4096, step: () => binding.adamStep([t4096], packed, { threads: 1 }) },
    { id: 'adam-plain-4096', label: 'Adam class, one plain Float32Array', elements: 4096, step: adamCase(1, 4096, false) },
    { id: 'adam-arena-4096', label: 'Adam class, createParameters', elements: 4096, step: adamCase(1, 4096, true) },
    { id: 'adam-plain-10000x100', label: 'Adam class, 10,000 plain Float32Arrays of 100', elements: 1e6, step: adamCase(10_000, 100, false) },
    { id: 'adam-arena-10000x100', label: 'Adam class, createParameters of 10,000 × 100', elements: 1e6, step: adamCase(10_000, 100, true) },
    { id: 'adam-plain-1M', label: 'Adam class, one plain Float32Array of 1,000,000', elements: 1e6, step: adamCase(1, 1e6, false) },
  ];
  if (full) {
    const big = 1 << 25;
    for (const threads of [1, 2]) list.push({ id: `adam-arena-33.5M-t${threads}`, label: `Adam class, createParameters of 33.5M, ${threads} thread${threads > 1 ? 's' : ''}`, elements: big, threads, step: adamCase(1, big, true, threads) });
  }
  return list;
}

const load = { before: loadavg()[0] };
const binary = limitsBinary();
const limitSizes = [
  { n: 4096, threads: 1 },
  { n: 1e6, threads: 1 },
  ...(flags.quick ? [] : [{ n: 1 << 25, threads: 1 }, { n: 1 << 25, threads: 2 }]),
];
const list = cases(!flags.quick);
const samples = new Map(list.map((c) => [c.id, []]));
const limitSamples = new Map(limitSizes.map((l) => [`${l.n}-t${l.threads}`, []]));
for (let r = 0; r < rounds; r++) {
  for (const l of limitSizes) limitSamples.get(`${l.n}-t${l.threads}`).push(pureLoop(binary, l.n, l.threads));
  for (const c of list) samples.get(c.id).push(measure(c.step, budget).median);
}
load.after = loadavg()[0];

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const limit = (n, threads) => {
  const s = limitSamples.get(`${n}-t${threads}`);
  return { trafficNsPerParam: median(s.map((x) => x.trafficNsPerParam)), adamNsPerParam: median(s.map((x) => x.adamNsPerParam)) };
};
const rows = list.map((c) => {
  const nsPerParam = (median(samples.get(c.id)) * 1e9) / c.elements;
  const pure = limit(c.elements === 4096 ? 4096 : c.elements === 1e6 ? 1e6 : 1 << 25, c.threads ?? 1);
  return { id: c.id, label: c.label, elements: c.elements, threads: c.threads ?? 1, nsPerParam, percentOfTraffic: (100 * pure.trafficNsPerParam) / nsPerParam, percentOfKernel: (100 * pure.adamNsPerParam) / nsPerParam };
});
const row = (id) => rows.find((r) => r.id === id);
const oneMillion = row('adam-plain-1M').nsPerParam;
const targets = [
  { name: 'Adam, one plain 4,096 Float32Array: ≥ 60 % of the pure same-traffic loop', value: row('adam-plain-4096').percentOfTraffic, goal: 60, unit: '%', higherIsBetter: true },
  { name: 'Adam over createParameters, 4,096: ≥ 70 % of the pure same-traffic loop', value: row('adam-arena-4096').percentOfTraffic, goal: 70, unit: '%', higherIsBetter: true },
  { name: '10,000 plain arrays of 100: ≤ 2× one 1,000,000 tensor', value: row('adam-plain-10000x100').nsPerParam / oneMillion, goal: 2, unit: '×', higherIsBetter: false },
  { name: '10,000 × 100 over createParameters: ≤ 1.1× one 1,000,000 tensor', value: row('adam-arena-10000x100').nsPerParam / oneMillion, goal: 1.1, unit: '×', higherIsBetter: false },
  ...(flags.quick
    ? []
    : [1, 2].map((t) => ({ name: `33.5M over createParameters, ${t} thread${t > 1 ? 's' : ''}: ≥ 93 % of the pure same-traffic loop`, value: row(`adam-arena-33.5M-t${t}`).percentOfTraffic, goal: 93, unit: '%', higherIsBetter: true }))),
].map((t) => ({ ...t, met: t.higherIsBetter ? t.value >= t.goal : t.value <= t.goal }));

const results = {
  command: `npm run bench:fixed-cost${flags.quick ? ' -- --quick' : ''}`,
  date: new Date().toISOString(),
  machine: { ...describeMachine(binding.isas), loadAverage1min: load },
  isa,
  rounds,
  limits: limitSizes.map((l) => ({ ...l, ...limit(l.n, l.threads) })),
  rows,
  targets,
};
for (const r of rows) console.log(`${r.label.padEnd(56)} ${r.nsPerParam.toFixed(3).padStart(8)} ns/param  ${r.percentOfTraffic.toFixed(1).padStart(6)} % of the traffic loop  ${r.percentOfKernel.toFixed(1).padStart(6)} % of the kernel loop`);
for (const l of results.limits) console.log(`pure native loop, ${l.n} elements, ${l.threads} thread(s): traffic ${l.trafficNsPerParam.toFixed(3)} ns/param, Adam kernel ${l.adamNsPerParam.toFixed(3)} ns/param`);
for (const t of targets) console.log(`${t.met ? 'met   ' : 'missed'} ${t.name}: ${t.value.toFixed(2)} ${t.unit}`);
if (!flags.quick) {
  writeFileSync(join(here, 'fixed-cost-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  rewriteResultsMarkdown(here);
}
