// Shuffled mini-batches on 100,000 × 32 float32: what one epoch costs the Trainer at several
// batch sizes, and what building the batches costs. The rows of a shuffled batch are copied
// out of X in a random order: natively (gatherRows, as the Trainer does), by the JavaScript
// row loop the Trainer used before, and by the TypeScript reference of gatherRows; the three
// are called alternately over the same shuffled epoch. Run: npx tsc -p . && node bench/minibatch.js
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
const x = allocate('f32', ROWS * COLS);
for (let i = 0; i < x.length; i++) x[i] = random() * 2 - 1;
const y = allocate('f32', ROWS);
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
const batch = allocate('f32', GATHER_BATCH * COLS);
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

// Whole Trainer epochs (shuffled batches, native Adam, the library's default threads), timed
// from one onEpochEnd to the next: train()'s one-off validation of X is left out.
const epochFigures = [];
for (const batchSize of [32, 256, 4096, undefined]) {
  const model = new LinearRegression(COLS, { dtype: 'f32', seed: 3 });
  const epochs = batchSize === undefined ? 400 : batchSize === 32 ? 12 : 30;
  const ends = [];
  const onEpochEnd = () => {
    ends.push(process.hrtime.bigint());
  };
  const optimizer = new Adam(model.params, { lr: 1e-3, backend: 'native' });
  new Trainer(model, optimizer, { epochs, batchSize, seed: 2, logEvery: 0, onEpochEnd }).train(matrix, y);
  const times = ends.slice(2).map((t, i) => Number(t - ends[i + 1]) / 1e6); // the first two warm up
  const ms = median(times);
  const batches = Math.ceil(ROWS / (batchSize ?? ROWS));
  epochFigures.push({ batchSize: batchSize ?? ROWS, batches, msPerEpoch: ms, usPerBatch: (ms * 1e3) / batches });
}

console.log(`shuffled mini-batches, ${ROWS} × ${COLS} float32, median; node ${process.version}`);
console.log('\ncopying one shuffled epoch into batches of 256 rows'.padEnd(68) + 'ns/row');
for (const g of gatherFigures) console.log(`  ${g.name}`.padEnd(68) + g.nsPerRow.toFixed(1).padStart(6));
console.log('\nTrainer epoch (shuffled, native Adam)       ms/epoch   µs/batch');
for (const e of epochFigures) console.log(`  batch ${String(e.batchSize).padEnd(8)} ${String(e.batches).padStart(5)} batches ${e.msPerEpoch.toFixed(3).padStart(10)} ${e.usPerBatch.toFixed(2).padStart(10)}`);

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const results = {
  command: 'node bench/minibatch.js',
  date: new Date().toISOString(),
  machine: { ...describeMachine(native.binding.isas), loadAverage1min: { before: loadBefore, after: os.loadavg()[0] } },
  method: { rows: ROWS, cols: COLS, dtype: 'f32', gatherBatch: GATHER_BATCH, statistic: 'median', threads: 'library default' },
  gather: gatherFigures,
  epochs: epochFigures,
};
writeFileSync(new URL('minibatch-results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
if (rewriteResultsMarkdown(benchDir)) {
  console.log(`\nwrote bench/minibatch-results.json and bench/RESULTS.md`);
} else {
  console.log(`\nwrote bench/minibatch-results.json (no bench/results.json yet: RESULTS.md comes with npm run bench)`);
}
