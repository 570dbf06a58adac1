// Shuffled mini-batches on 100,000 × 32 float32: what one epoch costs the Trainer at several
// batch sizes, and what building the batches costs. The rows of a shuffled batch are copied
// out of X in a random order: natively (gatherRows, as the Trainer does), by the JavaScript
// row loop the Trainer used before, and by the TypeScript reference of gatherRows; the three
// are called alternately over the same shuffled epoch. Then whole epochs three ways, in the
// same run: batch by batch from JavaScript (what the Trainer did before its native loop took
// mini-batches), the Trainer with onEpochEnd set (an epoch per trainLinreg call), and the
// Trainer with only a log line every K epochs (K epochs per call) — on that set and on a small
// one (1,000 × 4 float64), where the per-batch cost of calls is most of an epoch.
// Run: npx tsc -p . && node bench/minibatch.js
// Writes bench/minibatch-results.json and regenerates bench/RESULTS.md (its mini-batch section).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import { rewriteResultsMarkdown } from './results-md.js';
import { loadNative } from '../dist/native.js';
import { Adam } from '../dist/optim/adam.js';
import { LinearRegression } from '../dist/model/linear-regression.js';
import { Trainer } from '../dist/trainer/trainer.js';
import { MiniBatches } from '../dist/trainer/batches.js';
import { gatherRows as referenceGatherRows } from '../dist/reference/gather.js';
import { seededRandom, shuffleInPlace } from '../dist/data/random.js';
import { allocate } from '../dist/data/matrix.js';

const ROWS = 100_000;
const COLS = 32;
const GATHER_BATCH = 256;
const native = loadNative();
if (!native.ok) throw new Error(native.reason);
const { gatherRows } = native.binding;

const random = seededRandom(1);
const x = allocate('float32', ROWS * COLS);
for (let i = 0; i < x.length; i++) x[i] = random() * 2 - 1;
const y = allocate('float32', ROWS);
for (let i = 0; i < ROWS; i++) y[i] = x[i * COLS] - 0.5 * x[i * COLS + 1] + 0.1 * random();
const matrix = { data: x, rows: ROWS, cols: COLS };
const loadBefore = os.loadavg()[0];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// One shuffled epoch's batches of GATHER_BATCH rows, each copied into the same batch buffer.
const order = new Uint32Array(ROWS).map((_, i) => i);
shuffleInPlace(order, random);
const batch = allocate('float32', GATHER_BATCH * COLS);
function epochOfBatches(copy) {
  return () => {
    for (let start = 0; start < ROWS; start += GATHER_BATCH) {
      const rows = Math.min(GATHER_BATCH, ROWS - start);
      copy(order.subarray(start, start + rows), batch.subarray(0, rows * COLS));
    }
  };
}
const gathers = [
  { name: 'gatherRows (native), as the Trainer now builds a batch', run: epochOfBatches((idx, to) => gatherRows(x, COLS, idx, to)) },
  {
    name: 'JavaScript row loop (subarray + set), as the Trainer did before',
    run: epochOfBatches((idx, to) => {
      for (let r = 0; r < idx.length; r++) to.set(x.subarray(idx[r] * COLS, (idx[r] + 1) * COLS), r * COLS);
    }),
  },
  { name: 'gatherRows (TypeScript reference)', run: epochOfBatches((idx, to) => referenceGatherRows(x, COLS, idx, to)) },
];
const samples = gathers.map(() => []);
for (let k = 0; k < 2 + 15; k++) {
  gathers.forEach((g, i) => {
    const t = process.hrtime.bigint();
    g.run();
    if (k >= 2) samples[i].push(Number(process.hrtime.bigint() - t) / ROWS);
  });
}
const gatherFigures = gathers.map((g, i) => ({ name: g.name, nsPerRow: median(samples[i]) }));

// Whole epochs (shuffled batches, native Adam, 1 thread), three ways, each timed between two
// points of one run so that train()'s one-off validation of X is left out: batch by batch
// from JavaScript (MiniBatches, the model's lossGrad and Adam.step per batch: the Trainer's
// path before trainLinreg took mini-batches, and still its path when the loop cannot run),
// from one onEpochEnd to the next (an epoch per native call), and from one log line to the
// next, K epochs apart (K epochs per native call). The three take turns, ROUNDS times, so a
// change in the shared machine's load falls on all three. The figure is the mean (time over
// epochs, all rounds): under load a median of single epochs keeps the ones no other process
// interrupted, which a median of K-epoch spans cannot, so medians would favour short calls.
const ROUNDS = 3;
function epochWays(data, labels, { dtype, batchSize, epochs, chunk }) {
  const rows = data.rows;
  // Intervals between consecutive marks, per epoch; the first of each run warms up.
  const perEpoch = (ends, k) =>
    ends
      .slice(1)
      .map((t, i) => Number(t - ends[i]) / 1e6 / k)
      .slice(1);
  const model = () => new LinearRegression(data.cols, { dtype, seed: 3 });
  const adam = (m) => new Adam(m.params, { lr: 1e-3, backend: 'native', threads: 1 });
  const lossOptions = { loss: 'mse', delta: 1, threads: 1 };
  const times = { batchByBatch: [], epochPerCall: [], manyEpochsPerCall: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const byHand = model();
    const optimizer = adam(byHand);
    const grads = byHand.createGrads();
    const random = seededRandom(2);
    const step = (bx, by) => {
      const loss = byHand.lossGrad(bx, by, grads, lossOptions);
      optimizer.step(grads);
      return loss;
    };
    const handEnds = [process.hrtime.bigint()];
    for (let e = 0; e < epochs + 1; e++) {
      if (batchSize >= rows)
        step(data, labels); // a full batch is the set itself, as in the Trainer
      else new MiniBatches(data, labels, batchSize, dtype, gatherRows).epoch(random, step);
      handEnds.push(process.hrtime.bigint());
    }
    times.batchByBatch.push(...perEpoch(handEnds, 1));

    const oneEnds = [];
    const m1 = model();
    const onEpochEnd = () => void oneEnds.push(process.hrtime.bigint());
    new Trainer(m1, adam(m1), { epochs: epochs + 1, batchSize, seed: 2, threads: 1, logEvery: 0, onEpochEnd }).train(data, labels);
    times.epochPerCall.push(...perEpoch(oneEnds, 1));

    const chunkEnds = [];
    const m2 = model();
    const log = () => void chunkEnds.push(process.hrtime.bigint());
    new Trainer(m2, adam(m2), {
      epochs: (Math.ceil(epochs / chunk) + 2) * chunk,
      batchSize,
      seed: 2,
      threads: 1,
      logEvery: chunk,
      log,
    }).train(data, labels);
    times.manyEpochsPerCall.push(...perEpoch(chunkEnds, chunk));
  }
  const batches = Math.ceil(rows / Math.min(batchSize, rows));
  const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
  const ms = {
    batchByBatch: mean(times.batchByBatch),
    epochPerCall: mean(times.epochPerCall),
    manyEpochsPerCall: mean(times.manyEpochsPerCall),
  };
  return {
    rows,
    cols: data.cols,
    dtype,
    batchSize: Math.min(batchSize, rows),
    batches,
    epochsPerCall: chunk,
    ...ms,
    usPerBatch: (ms.manyEpochsPerCall * 1e3) / batches,
  };
}

const epochFigures = [];
for (const batchSize of [32, 256, 4096, ROWS]) {
  const epochs = batchSize === ROWS ? 100 : batchSize === 32 ? 5 : 10;
  epochFigures.push(epochWays(matrix, y, { dtype: 'float32', batchSize, epochs, chunk: batchSize === ROWS ? 20 : 2 }));
}
// The small set: 1,000 × 4 float64, y a linear function of x plus noise.
const SMALL = { rows: 1000, cols: 4 };
const small = { data: allocate('float64', SMALL.rows * SMALL.cols), rows: SMALL.rows, cols: SMALL.cols };
for (let i = 0; i < small.data.length; i++) small.data[i] = random() * 2 - 1;
const smallY = allocate('float64', SMALL.rows);
for (let i = 0; i < SMALL.rows; i++) smallY[i] = 2 * small.data[i * 4] - small.data[i * 4 + 3] + 0.1 * random();
for (const batchSize of [10, 32, 128]) epochFigures.push(epochWays(small, smallY, { dtype: 'float64', batchSize, epochs: 200, chunk: 20 }));

console.log(`shuffled mini-batches, ${ROWS} × ${COLS} float32, median; node ${process.version}`);
console.log('\ncopying one shuffled epoch into batches of 256 rows'.padEnd(68) + 'ns/row');
for (const g of gatherFigures) console.log(`  ${g.name}`.padEnd(68) + g.nsPerRow.toFixed(1).padStart(6));
console.log('\nepoch (shuffled, native Adam, 1 thread), ms          batches  batch by batch  epoch a call  K epochs a call (K)  speed-up');
for (const e of epochFigures) {
  const set = `${e.rows} × ${e.cols} ${e.dtype}, batch ${e.batchSize}`;
  console.log(
    `  ${set.padEnd(36)} ${String(e.batches).padStart(6)} ${e.batchByBatch.toFixed(3).padStart(15)} ${e.epochPerCall.toFixed(3).padStart(13)} ${e.manyEpochsPerCall.toFixed(3).padStart(15)} (${e.epochsPerCall})` +
      `${(e.batchByBatch / e.manyEpochsPerCall).toFixed(2).padStart(9)}×`,
  );
}

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const results = {
  command: 'node bench/minibatch.js',
  date: new Date().toISOString(),
  machine: { ...describeMachine(native.binding.isas), loadAverage1min: { before: loadBefore, after: os.loadavg()[0] } },
  method: {
    rows: ROWS,
    cols: COLS,
    dtype: 'f32',
    gatherBatch: GATHER_BATCH,
    statistic: 'median (gather), mean (epochs)',
    epochThreads: 1,
    rounds: ROUNDS,
    optimizer: 'Adam lr 0.001, MSE',
  },
  gather: gatherFigures,
  epochs: epochFigures,
};
writeFileSync(new URL('minibatch-results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
if (rewriteResultsMarkdown(benchDir)) {
  console.log(`\nwrote bench/minibatch-results.json and bench/RESULTS.md`);
} else {
  console.log(`\nwrote bench/minibatch-results.json (no bench/results.json yet: RESULTS.md comes with npm run bench)`);
}
