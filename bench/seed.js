#!/usr/bin/env node
/**
 * npm start's epoch against the plain JavaScript loop a reader of the seed article writes
 * (#14): the same data (X = rand(100, 3) from seed 42, y = X·[2, −1, 3] + 1.5, float64), the
 * same model (a linear regression, initialised from seed 1), the same math (full-batch MSE
 * gradient, Adam lr 0.01), the same 5,000 epochs. The library side is what lib/examples/seed.ts
 * runs: Trainer + LinearRegression + Adam, logEvery 1000 (its lines are discarded here). The
 * two alternate, `--rounds` times; each figure is the median.
 *
 *   npm run bench:seed [-- --rounds N]
 *
 * Writes bench/seed-results.json and regenerates bench/RESULTS.md.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Adam, LinearRegression, Trainer } from '../dist/index.js';
import { allocate } from '../dist/data/matrix.js';
import { seededRandom } from '../dist/data/random.js';
import { loadNative } from '../dist/native.js';
import { describeMachine } from './machine.js';
import { rewriteResultsMarkdown } from './results-md.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
const rounds = Number(flags.rounds);
const EPOCHS = 5000;
const LR = 0.01;
const ROWS = 100;
const TRUE_WEIGHTS = [2, -1, 3];
const cols = TRUE_WEIGHTS.length;

// lib/examples/seed.ts's data.
const random = seededRandom(42);
const x = { data: allocate('f64', ROWS * cols), rows: ROWS, cols };
const y = allocate('f64', ROWS);
for (let i = 0; i < ROWS; i++) {
  let t = 1.5;
  for (let j = 0; j < cols; j++) t += TRUE_WEIGHTS[j] * (x.data[i * cols + j] = random());
  y[i] = t;
}

function library() {
  const model = new LinearRegression(cols, { seed: 1 });
  const trainer = new Trainer(model, new Adam(model.params, { lr: LR }), { epochs: EPOCHS, logEvery: 1000, log: () => {} });
  const history = trainer.train(x, y);
  return history.loss.at(-1);
}

/** The seed article's loop in plain JavaScript: forward pass, MSE gradient, Adam on [w0, w1, w2, b]. */
function plainJs() {
  const init = new LinearRegression(cols, { seed: 1 });
  const p = Float64Array.from([...init.weights, init.bias]);
  const m = new Float64Array(cols + 1);
  const v = new Float64Array(cols + 1);
  const g = new Float64Array(cols + 1);
  const data = x.data;
  let loss = 0;
  for (let t = 1; t <= EPOCHS; t++) {
    g.fill(0);
    loss = 0;
    for (let i = 0; i < ROWS; i++) {
      let pred = p[cols];
      for (let j = 0; j < cols; j++) pred += p[j] * data[i * cols + j];
      const e = pred - y[i];
      loss += e * e;
      for (let j = 0; j < cols; j++) g[j] += (2 * e * data[i * cols + j]) / ROWS;
      g[cols] += (2 * e) / ROWS;
    }
    loss /= ROWS;
    for (let k = 0; k <= cols; k++) {
      m[k] = 0.9 * m[k] + 0.1 * g[k];
      v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k];
      const mHat = m[k] / (1 - 0.9 ** t);
      const vHat = v[k] / (1 - 0.999 ** t);
      p[k] -= (LR * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  }
  return loss;
}

function time(fn) {
  const t0 = process.hrtime.bigint();
  const loss = fn();
  return { usPerEpoch: Number(process.hrtime.bigint() - t0) / 1e3 / EPOCHS, loss };
}

const load = { before: loadavg()[0] };
for (let w = 0; w < 3; w++) { library(); plainJs(); } // warm-up: JIT and caches
const lib = [];
const js = [];
for (let r = 0; r < rounds; r++) {
  lib.push(time(library));
  js.push(time(plainJs));
}
load.after = loadavg()[0];
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const libraryUs = median(lib.map((s) => s.usPerEpoch));
const plainUs = median(js.map((s) => s.usPerEpoch));
const native = loadNative();
const results = {
  command: 'npm run bench:seed',
  date: new Date().toISOString(),
  machine: { ...describeMachine(native.ok ? native.binding.isas : []), loadAverage1min: load },
  isa: native.ok ? native.binding.isa : 'none',
  rounds,
  epochs: EPOCHS,
  libraryUsPerEpoch: libraryUs,
  plainJsUsPerEpoch: plainUs,
  speedup: plainUs / libraryUs,
  finalLoss: { library: lib[0].loss, plainJs: js[0].loss },
  target: { name: "npm start's epoch ≥ 3× faster than the plain JavaScript loop", goal: 3, met: plainUs / libraryUs >= 3 },
};
console.log(`npm start's epoch (Trainer + LinearRegression + Adam, ${results.isa}): ${libraryUs.toFixed(2)} µs; plain JavaScript loop: ${plainUs.toFixed(2)} µs`);
console.log(`library is ${results.speedup.toFixed(2)}× the speed of the plain loop (target ≥ 3×: ${results.target.met ? 'met' : 'missed'}); final losses ${results.finalLoss.library.toExponential(3)} and ${results.finalLoss.plainJs.toExponential(3)}`);
writeFileSync(join(here, 'seed-results.json'), `${JSON.stringify(results, null, 2)}\n`);
rewriteResultsMarkdown(here);
