#!/usr/bin/env node
/**
 * Soak and leak check (not part of npm test): 1,000,000 native steps over small tensors,
 * then 1,000 optimizers created, stepped and dropped, with global.gc between checkpoints.
 * Prints RSS at each checkpoint and fails when it grows more than --max-growth-mb after
 * the warm-up checkpoint.
 *   node --expose-gc scripts/soak.js [--steps N] [--optimizers N] [--max-growth-mb M]
 * Needs dist/ and the addon (ADAM_SIMD_BINARY picks another build).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as library from '../dist/index.js';
import { optimizerDefinitions } from '../dist/optim/all.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '1000000' },
    optimizers: { type: 'string', default: '1000' },
    'max-growth-mb': { type: 'string', default: '16' },
  },
});
if (typeof global.gc !== 'function') {
  console.error('soak: run with node --expose-gc (npm run soak does)');
  process.exit(2);
}
const steps = Number(values.steps);
const optimizerCount = Number(values.optimizers);
const maxGrowth = Number(values['max-growth-mb']);

const mb = () => process.memoryUsage().rss / 2 ** 20;
const rows = [];
function checkpoint(label) {
  global.gc();
  const rss = mb();
  rows.push({ label, rss });
  console.log(`soak: ${label.padEnd(34)} RSS ${rss.toFixed(1)} MiB`);
}

// Every optimizer of the library (its class is exported under its definition's name), with
// the test registry's options for class-level suites (test/helpers/optimizer-cases.json).
const cases = JSON.parse(readFileSync(new URL('../test/helpers/optimizer-cases.json', import.meta.url), 'utf8'));
const makers = optimizerDefinitions.map(
  ({ name }) =>
    (p) =>
      new library[name](p, cases[name].options),
);

function tensors() {
  const params = { w: new Float32Array(64), b: new Float32Array(3) };
  const grads = { w: new Float32Array(64).fill(0.01), b: new Float32Array(3).fill(-0.02) };
  return { params, grads };
}

checkpoint('start');
const { params, grads } = tensors();
const long = makers.map((make) => make(params));
const checkEvery = steps / 10;
for (let s = 1; s <= steps; s++) {
  long[s % long.length].step(grads);
  if (s === checkEvery) checkpoint(`after ${s} steps (warm-up)`);
  else if (s % checkEvery === 0) checkpoint(`after ${s} steps`);
}
for (let k = 1; k <= optimizerCount; k++) {
  const t = tensors();
  const opt = makers[k % makers.length](t.params);
  for (let s = 0; s < 10; s++) opt.step(t.grads);
  if (k % (optimizerCount / 4) === 0) checkpoint(`after ${k} optimizers dropped`);
}

const warm = rows.find((r) => r.label.includes('warm-up')).rss;
const peak = Math.max(...rows.slice(rows.findIndex((r) => r.label.includes('warm-up'))).map((r) => r.rss));
const growth = peak - warm;
if (!Number.isFinite(params.w[0])) throw new Error('soak: the parameters went non-finite: the steps did not run as expected');
console.log(
  `soak: ${steps} steps and ${optimizerCount} optimizers: RSS grew ${growth.toFixed(1)} MiB after warm-up (bound ${maxGrowth} MiB)`,
);
if (growth > maxGrowth) {
  console.error('soak: FAIL: resident memory kept growing');
  process.exit(1);
}
