#!/usr/bin/env node
// npm run bench:seed — the README's main job against what a reader of the seed article
// writes. In one run, alternately: the `npm start` epoch (lib/examples/seed-setup.ts: the
// linear regression 100 × 3 float64, full batch, the library's LinearRegression, native Adam
// and Trainer, exactly as npm start builds them; only train() is timed, as npm start times
// it) and the plain JavaScript loop of the article (same data, same initial parameters, same
// maths: forward pass, MSE gradient, Adam on the 4 parameters in a Float64Array, same epochs).
// Reports µs per epoch of each (median of the repetitions) and their ratio (median of the
// per-repetition ratios), and checks that both reach the same losses. Writes
// bench/seed-results.json and regenerates bench/RESULTS.md; `--quick` is a smoke run.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import { median } from './measure.js';
import { rewriteResultsMarkdown } from './results-md.js';
import { parseScriptOptions } from '../dist/cli/args.js';
import { loadNative } from '../dist/native.js';
import { EPOCHS, LR, seedData, seedTrainer } from '../dist/examples/seed-setup.js';

const opts = parseScriptOptions({
  name: 'bench:seed',
  description: "µs per epoch: npm start (the library) vs the seed article's plain JavaScript loop",
  options: [
    { flags: '--quick', description: 'smoke run (2 repetitions); writes nothing' },
    { flags: '--reps <n>', description: 'timed repetitions of each (default 15)' },
  ],
});
const reps = Number(opts.reps ?? (opts.quick ? 2 : 15));
if (!Number.isSafeInteger(reps) || reps < 1) throw new RangeError(`--reps: expected a positive integer, received "${opts.reps}"`);

const native = loadNative();
if (!native.ok) throw new Error(`the native addon did not load: ${native.reason}`);
const { x, y } = seedData();
// Where the comparison of losses looks: every 1000th epoch, as npm start logs them. The loss
// falls to ~1e-25, where rounding differences dominate, so the check stops at 1e-12.
const CHECKPOINTS = [1, 1000, 2000, 3000];
const HYPER = { beta1: 0.9, beta2: 0.999, eps: 1e-8 }; // the library's (and torch's) defaults

function library() {
  const { model, trainer } = seedTrainer({ log: () => {} });
  const t0 = process.hrtime.bigint();
  const history = trainer.train(x, y);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, losses: history.loss, weights: [...model.weights, model.bias] };
}

/** The article's loop: its parameters start where the library's model starts (seed 1). */
function plain() {
  const start = seedTrainer().model;
  const t0 = process.hrtime.bigint();
  const run = plainLoop(x.data, y, x.rows, x.cols, [...start.weights, start.bias], EPOCHS, LR);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, losses: run.losses, weights: [...run.params] };
}

function plainLoop(xs, ys, rows, cols, init, epochs, lr) {
  const { beta1, beta2, eps } = HYPER;
  const p = Float64Array.from(init); // cols weights, then the bias
  const g = new Float64Array(cols + 1);
  const m = new Float64Array(cols + 1);
  const v = new Float64Array(cols + 1);
  const losses = new Array(epochs);
  for (let t = 1; t <= epochs; t++) {
    g.fill(0);
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      let pred = p[cols];
      for (let j = 0; j < cols; j++) pred += xs[i * cols + j] * p[j];
      const err = pred - ys[i];
      loss += err * err;
      for (let j = 0; j < cols; j++) g[j] += err * xs[i * cols + j];
      g[cols] += err;
    }
    losses[t - 1] = loss / rows;
    for (let k = 0; k <= cols; k++) {
      const grad = (2 * g[k]) / rows;
      m[k] = beta1 * m[k] + (1 - beta1) * grad;
      v[k] = beta2 * v[k] + (1 - beta2) * grad * grad;
      const mHat = m[k] / (1 - Math.pow(beta1, t));
      const vHat = v[k] / (1 - Math.pow(beta2, t));
      p[k] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  }
  return { losses, params: p };
}

const loadBefore = os.loadavg()[0];
library(); // warm-up: JIT and the native pool
plain();
const lib = [];
const js = [];
let last;
for (let r = 0; r < reps; r++) {
  // Alternate which goes first, so neither always runs just after the other.
  let a;
  let b;
  if (r % 2) {
    b = plain();
    a = library();
  } else {
    a = library();
    b = plain();
  }
  lib.push(a.seconds);
  js.push(b.seconds);
  last = { lib: a, js: b };
}

const agreement = CHECKPOINTS.map((epoch) => {
  const a = last.lib.losses[epoch - 1];
  const b = last.js.losses[epoch - 1];
  return { epoch, library: a, plain: b, relative: Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)) };
});
const maxWeightDiff = Math.max(...last.lib.weights.map((w, k) => Math.abs(w - last.js.weights[k])));
const sameLoss = agreement.every((c) => c.relative < 1e-6) && maxWeightDiff < 1e-9;
const usLib = (median(lib) / EPOCHS) * 1e6;
const usJs = (median(js) / EPOCHS) * 1e6;
const ratio = median(lib.map((s, r) => s / js[r]));
const results = {
  command: opts.quick ? 'npm run bench:seed -- --quick' : `npm run bench:seed${opts.reps ? ` -- --reps ${reps}` : ''}`,
  date: new Date().toISOString(),
  machine: { ...describeMachine(native.binding.isas), loadAverage1min: { before: loadBefore, after: os.loadavg()[0] } },
  method: { epochs: EPOCHS, reps, isa: native.binding.isa, statistic: 'median of repetitions; ratio: median of per-repetition ratios' },
  usPerEpoch: { library: usLib, plain: usJs },
  libraryOverPlain: ratio,
  samplesSeconds: { library: lib, plain: js },
  sanity: { sameLoss, agreement, maxWeightDiff, finalLoss: { library: last.lib.losses.at(-1), plain: last.js.losses.at(-1) } },
};

console.log(
  `${results.machine.cpu}, ${results.machine.logicalCores} cores, ISA ${native.binding.isa}; ${EPOCHS} epochs × ${reps} repetitions each, alternated`,
);
console.log(`npm start epoch (library):      ${usLib.toFixed(2)} µs`);
console.log(`plain JavaScript loop (seed):   ${usJs.toFixed(2)} µs`);
console.log(ratio >= 1 ? `the library is ${ratio.toFixed(2)}× slower` : `the library is ${(1 / ratio).toFixed(2)}× faster`);
for (const c of agreement)
  console.log(
    `loss at epoch ${c.epoch}: ${c.library.toExponential(9)} vs ${c.plain.toExponential(9)} (relative difference ${c.relative.toExponential(1)})`,
  );
console.log(`final parameters differ by at most ${maxWeightDiff.toExponential(1)}; ${sameLoss ? 'same losses' : 'LOSSES DIFFER'}`);
if (!sameLoss) process.exitCode = 1;
if (!opts.quick) {
  const benchDir = fileURLToPath(new URL('.', import.meta.url));
  writeFileSync(new URL('seed-results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log(rewriteResultsMarkdown(benchDir) ? 'wrote bench/seed-results.json and bench/RESULTS.md' : 'wrote bench/seed-results.json');
}
