// Time per epoch of training the seed's network shape (inputs → 64 → 64 → 1 relu, float32,
// Adam lr 0.001, MSE, shuffled mini-batches) on two workloads: the seed example (100 × 3,
// batch 32) and 100,000 × 32 (batch 256). Rows: adam-simd (each ISA, 1 thread and every
// core; the kernel path fit() takes, plus Sequential.fit itself), TF.js tf.sequential +
// model.fit (CPU and WASM), torch 1.13 on one thread (bench/mlp_torch.py, when `import torch`
// works), and the no-FMA arithmetic peak of each ISA (mlpPeak) timed in the same run.
// Run: npm run build:ts && node bench/mlp.js   → bench/mlp-results.json
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import { rewriteResultsMarkdown } from './results-md.js';
import { loadNative } from '../dist/native.js';
import { Adam } from '../dist/optim/adam.js';
import { Dense } from '../dist/nn/dense.js';
import { Sequential } from '../dist/nn/sequential.js';
import { allocate } from '../dist/data/matrix.js';
import { seededRandom, shuffleInPlace } from '../dist/data/random.js';

const native = loadNative();
if (!native.ok) throw new Error(native.reason);
const binding = native.binding;
const cores = os.availableParallelism();
const WORKLOADS = [
  { id: 'seed', rows: 100, cols: 3, batch: 32, epochs: 300 },
  { id: 'large', rows: 100_000, cols: 32, batch: 256, epochs: 2 },
];

function data(w) {
  const random = seededRandom(1);
  const x = allocate('float32', w.rows * w.cols);
  const y = allocate('float32', w.rows);
  for (let i = 0; i < w.rows; i++) {
    let t = 0;
    for (let j = 0; j < w.cols; j++) t += x[i * w.cols + j] = random();
    y[i] = t;
  }
  return { x: { data: x, rows: w.rows, cols: w.cols }, y };
}

const network = (cols) =>
  new Sequential(
    [new Dense({ units: 64, activation: 'relu', inputSize: cols }), new Dense({ units: 64, activation: 'relu' }), new Dense({ units: 1 })],
    { seed: 0 },
  );

/** Forward + backward flops of one epoch (dA of the first layer is not computed). */
function flops(w) {
  const macs = w.cols * 64 + 64 * 64 + 64;
  return 2 * w.rows * (3 * macs - w.cols * 64);
}

/** Best of 3 runs of `epochs` epochs, ms per epoch. */
function time(epochs, run) {
  run(1);
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    run(epochs);
    best = Math.min(best, (performance.now() - t) / epochs);
  }
  return best;
}

/** The loop fit() runs, on one ISA's kernels: gather a shuffled batch, mlpLossGrad, Adam step. */
function kernelLoop(w, d, kernels, threads) {
  const model = network(w.cols);
  const layers = Uint32Array.of(w.cols, 64, 1, 1, 64, 64, 1, 1, 64, 1, 0, 1);
  const arena = model.createGrads();
  const flat = new Float32Array(model.allParams.length);
  const adam = new Adam(model.params, { lr: 0.001, backend: 'native', threads });
  const bx = allocate('float32', w.batch * w.cols);
  const by = allocate('float32', w.batch);
  const order = new Uint32Array(w.rows);
  const random = seededRandom(2);
  const names = Object.keys(arena);
  return (epochs) => {
    for (let e = 0; e < epochs; e++) {
      for (let i = 0; i < w.rows; i++) order[i] = i;
      shuffleInPlace(order, random);
      for (let s = 0; s < w.rows; s += w.batch) {
        const rows = Math.min(w.batch, w.rows - s);
        const idx = order.subarray(s, s + rows);
        kernels.gatherRows(d.x.data, w.cols, idx, bx.subarray(0, rows * w.cols));
        kernels.gatherRows(d.y, 1, idx, by.subarray(0, rows));
        kernels.mlpLossGrad(
          { x: bx.subarray(0, rows * w.cols), rows, layers, params: model.allParams, grads: flat, y: by.subarray(0, rows) },
          { threads },
        );
        let o = 0;
        for (const n of names) {
          arena[n].set(flat.subarray(o, o + arena[n].length));
          o += arena[n].length;
        }
        adam.step(arena);
      }
    }
  };
}

function peak(kernels) {
  kernels.mlpPeak(1e6);
  let best = 0;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const f = kernels.mlpPeak(2e7);
    best = Math.max(best, f / ((performance.now() - t) / 1000));
  }
  return best;
}

async function tfjs(w, d, backend) {
  const tf = await import('@tensorflow/tfjs');
  if (backend === 'wasm')
    await import('@tensorflow/tfjs-backend-wasm').then((m) =>
      m.setWasmPaths(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname),
    );
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 64, activation: 'relu', inputShape: [w.cols] }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
  const xs = tf.tensor2d(d.x.data, [w.rows, w.cols]);
  const ys = tf.tensor2d(d.y, [w.rows, 1]);
  const epochs = Math.max(1, Math.min(w.epochs, 30));
  await model.fit(xs, ys, { epochs: 1, batchSize: w.batch, verbose: 0 });
  const t = performance.now();
  await model.fit(xs, ys, { epochs, batchSize: w.batch, shuffle: true, verbose: 0 });
  const ms = (performance.now() - t) / epochs;
  tf.dispose([xs, ys]);
  model.dispose();
  return ms;
}

function torch(w) {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return { skipped: 'python3 -c "import torch" failed (apt-get install python3-torch)' };
  }
  const out = execFileSync(
    '/usr/bin/python3',
    [fileURLToPath(new URL('./mlp_torch.py', import.meta.url)), w.rows, w.cols, w.batch, Math.min(w.epochs, 30)].map(String),
    { encoding: 'utf8' },
  );
  return JSON.parse(out);
}

const results = {
  command: 'npm run build:ts && node bench/mlp.js',
  machine: describeMachine(),
  date: new Date().toISOString(),
  cores,
  workloads: [],
};
const peaks = Object.fromEntries(binding.isas.map((isa) => [isa, peak(binding.forIsa(isa))]));
for (const w of WORKLOADS) {
  const d = data(w);
  const rows = [];
  for (const isa of binding.isas) {
    for (const threads of [...new Set([1, cores])]) {
      const ms = time(w.epochs, kernelLoop(w, d, binding.forIsa(isa), threads));
      rows.push({ id: `adam-simd ${isa} × ${threads}`, ms, gflops: flops(w) / ms / 1e6, ofPeak: flops(w) / ms / 1e-3 / peaks[isa] });
    }
  }
  const model = network(w.cols);
  rows.push({
    id: `adam-simd Sequential.fit (${binding.isa})`,
    ms: time(w.epochs, (e) => model.fit(d.x, d.y, { epochs: e, batchSize: w.batch, verbose: 0 })),
  });
  for (const backend of ['cpu', 'wasm']) rows.push({ id: `TF.js ${backend} model.fit`, ms: await tfjs(w, d, backend) });
  const t = torch(w);
  rows.push(t.skipped ? { id: 'torch 1 thread', skipped: t.skipped } : { id: `torch ${t.torch} 1 thread`, ms: t.msPerEpoch });
  results.workloads.push({ ...w, flopsPerEpoch: flops(w), timings: rows });
  console.log(`\n${w.id}: ${w.rows} × ${w.cols}, batch ${w.batch}`);
  for (const r of rows)
    console.log(
      `  ${r.id.padEnd(36)} ${r.skipped ?? `${r.ms.toFixed(3).padStart(10)} ms/epoch${r.ofPeak ? `  ${r.gflops.toFixed(1)} GFlop/s, ${(100 * r.ofPeak).toFixed(0)} % of peak` : ''}`}`,
    );
}
results.peaks = peaks;
console.log(
  '\nno-FMA peak (GFlop/s, 1 thread):',
  Object.entries(peaks)
    .map(([k, v]) => `${k} ${(v / 1e9).toFixed(1)}`)
    .join(', '),
);
writeFileSync(new URL('./mlp-results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
const benchDir = fileURLToPath(new URL('.', import.meta.url));
console.log(
  rewriteResultsMarkdown(benchDir)
    ? 'wrote bench/mlp-results.json and bench/RESULTS.md'
    : 'wrote bench/mlp-results.json (no bench/results.json yet: RESULTS.md comes with npm run bench)',
);
