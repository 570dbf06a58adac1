// Time per epoch of full-batch linear-regression training on 100,000 × 32 float32:
// the fused native kernel (each ISA, on 1 thread doubling up to every core) + a native Adam step,
// against the bandwidth of reading X once (readOnce, split across the same threads), a plain
// JavaScript loop, the bit-exact TypeScript reference, and TensorFlow.js (CPU and WASM
// backends). Run: npx tsc -p . && node bench/linreg.js
// Writes bench/linreg-results.json and regenerates bench/RESULTS.md (its linear-regression
// section) from it and the last bench/results.json. `--label NAME` writes
// bench/linreg-results-NAME.json instead, for a run on another machine (RESULTS.md shows one
// section per results file). Where TF.js is not installed (a copy of the built package on a
// machine without node_modules), its rows are skipped and its target is "not measured".
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import { rewriteResultsMarkdown } from './results-md.js';
import { loadNative } from '../dist/native.js';
import { Adam } from '../dist/optim/adam.js';
import { linearParameters } from '../dist/model/linear-regression.js';
import { linregLossGrad as referenceLossGrad } from '../dist/reference/linreg.js';
import { seededRandom } from '../dist/data/random.js';
import { allocate } from '../dist/data/matrix.js';
import { loadWasm, wasmBackend } from '../dist/wasm/index.js';

const labelAt = process.argv.indexOf('--label');
const label = labelAt >= 0 ? process.argv[labelAt + 1] : null;
if (labelAt >= 0 && !/^[a-z0-9-]+$/.test(label ?? '')) throw new Error('--label needs a name of a-z, 0-9 and -');
const resultsFile = label ? `linreg-results-${label}.json` : 'linreg-results.json';
const tf = await import('@tensorflow/tfjs').then(
  async (m) => {
    await import('@tensorflow/tfjs-backend-wasm');
    return m;
  },
  () => null,
);

const ROWS = 100_000;
const COLS = 32;
const native = loadNative();
if (!native.ok) throw new Error(native.reason);

const random = seededRandom(1);
// X as the library allocates it (matrixFromRows, loaders, mini-batches): on a 64-byte boundary.
const x = allocate('float32', ROWS * COLS);
for (let i = 0; i < x.length; i++) x[i] = random() * 2 - 1;
// The same values in a plain Float32Array, where Node's allocator puts them (16 bytes past a line here).
const plainX = Float32Array.from(x);
const trueW = Array.from({ length: COLS }, () => random() * 4 - 2);
const y = new Float32Array(ROWS).map((_, i) => {
  let t = 0.5;
  for (let j = 0; j < COLS; j++) t += trueW[j] * x[i * COLS + j];
  return t;
});
const mb = x.byteLength / 1e6;

/** Seconds one call of `fn` takes. */
function seconds(fn) {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Median seconds per call over `repeats` timed calls after `warmup` untimed ones. */
function time(fn, repeats, warmup = 2) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  for (let i = 0; i < repeats; i++) samples.push(seconds(fn));
  return median(samples);
}

function median(values) {
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

/**
 * readOnce and each of `others` called in turn, `repeats` rounds after `warmup`: the median
 * of each, and for each of `others` the median of the per-round ratios readOnce / it. On a
 * shared machine a burst of noise then slows every side of a round instead of one kernel's
 * whole series.
 */
function timeInterleaved(read, others, repeats, warmup = 2) {
  for (let i = 0; i < warmup; i++) [read, ...others].forEach((fn) => fn());
  const reads = [];
  const times = others.map(() => []);
  const ratios = others.map(() => []);
  for (let i = 0; i < repeats; i++) {
    const r = seconds(read);
    reads.push(r);
    others.forEach((fn, k) => {
      const t = seconds(fn);
      times[k].push(t);
      ratios[k].push(r / t);
    });
  }
  return { read: median(reads), others: others.map((_, k) => ({ seconds: median(times[k]), ratio: median(ratios[k]) })) };
}

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const loadBefore = os.loadavg()[0];
const REPEATS = { native: 50, reference: 3, plain: 10, tfjsCpu: 5, tfjsWasm: 10 };

const figures = [];
function report(name, seconds, kind, isa = null, threads = 1) {
  const fixed = kind.startsWith('fixed');
  figures.push({ name, kind, isa, threads, ms: seconds * 1e3, gbPerS: fixed ? null : mb / 1e3 / seconds });
}

// One epoch as the Trainer runs it: parameters and gradients laid out by linearParameters
// (contiguous, gradients frozen), so the Adam step is one planned native call. With
// `step: false`, the loss kernel alone: the epoch less its optimizer step.
function fusedEpoch(lossGrad, options, data = x, step = true, backend = 'native') {
  const { params, grads } = linearParameters('float32', COLS);
  const opt = new Adam(params, { lr: 0.01, backend });
  const args = {
    x: data,
    rows: ROWS,
    cols: COLS,
    y,
    weights: params.weights,
    bias: params.bias,
    gradWeights: grads.weights,
    gradBias: grads.bias,
  };
  return () => {
    lossGrad(args, options);
    if (step) opt.step(grads);
  };
}

// One thread, doubling up to every core (1 and 2 on a 2-core machine; 1, 2, 4, 8 and 16 on
// 16 cores, where X may fit the cores' caches once it is split): readOnce splits X across
// the same threads, so each fused epoch has a baseline of the same traffic and parallelism.
const cores = os.availableParallelism();
const threadCounts = [];
for (let t = 1; t < cores; t *= 2) threadCounts.push(t);
threadCounts.push(cores);
for (const threads of threadCounts) {
  for (const isa of native.binding.isas) {
    const b = native.binding.forIsa(isa);
    const on = `${isa}, ${threads} thread${threads === 1 ? '' : 's'}`;
    const timed = timeInterleaved(
      () => b.readOnce(x, { threads }),
      [fusedEpoch(b.linregLossGrad, { threads }, x, false), fusedEpoch(b.linregLossGrad, { threads })],
      REPEATS.native,
    );
    const [kernel, epoch] = timed.others;
    report(`readOnce (${on}): reading X once`, timed.read, 'readOnce', isa, threads);
    report(`fused kernel + Adam step (${on})`, epoch.seconds, 'fused', isa, threads);
    figures.at(-1).pctOfReadOnceInterleaved = 100 * epoch.ratio;
    report('  same, less the Adam step (the loss kernel alone)', kernel.seconds, 'kernel', isa, threads);
    figures.at(-1).pctOfReadOnceInterleaved = 100 * kernel.ratio;
    if (threads === 1) {
      const misaligned = `${native.binding.byteMisalignment(plainX)} bytes past a line`;
      report(
        `  same, X in a plain Float32Array (${misaligned})`,
        time(fusedEpoch(b.linregLossGrad, { threads }, plainX), REPEATS.native),
        'fusedPlainX',
        isa,
        threads,
      );
    }
  }
}
// The fixed part of an epoch, which no kernel speed removes: an Adam step of the 33
// parameters right after X has streamed through the caches (as it runs in an epoch), and a
// linregLossGrad call on 16 rows (argument checks and Node-API reads, next to no arithmetic).
{
  const { params, grads } = linearParameters('float32', COLS);
  const opt = new Adam(params, { lr: 0.01, backend: 'native' });
  const steps = [];
  for (let i = 0; i < REPEATS.native + 2; i++) {
    native.binding.readOnce(x);
    const t = seconds(() => opt.step(grads));
    if (i >= 2) steps.push(t);
  }
  report('  fixed cost: the Adam step alone, after X streamed through', median(steps), 'fixedStep');
  const small = {
    x: x.subarray(0, 16 * COLS),
    rows: 16,
    cols: COLS,
    y: y.subarray(0, 16),
    weights: params.weights,
    bias: params.bias,
    gradWeights: grads.weights,
    gradBias: grads.bias,
  };
  report(
    '  fixed cost: linregLossGrad of 16 rows (the call itself)',
    time(() => native.binding.linregLossGrad(small), 2000, 200),
    'fixedCall',
  );
}
report('TypeScript reference (bit-exact, f32 rounding)', time(fusedEpoch(referenceLossGrad), REPEATS.reference, 1), 'reference');
// The WebAssembly backend, as a platform without a prebuild runs the epoch: its pass (X copied
// into the module's memory on every call) and an Adam step on it, one thread.
const wasm = wasmBackend();
if (wasm)
  report(
    'wasm backend: loss pass + Adam step (1 thread)',
    time(fusedEpoch(wasm.linregLossGrad, undefined, x, true, 'wasm'), REPEATS.plain),
    'wasm',
  );
else console.log(`the wasm backend did not load (${loadWasm().reason}): its row is skipped`);

// A plain JavaScript loop: the same maths with no rounding discipline (float64 accumulators).
{
  const w = new Float32Array(COLS);
  const gw = new Float64Array(COLS);
  report(
    'plain JS loop (float64 accumulators)',
    time(() => {
      gw.fill(0);
      let gb = 0;
      let loss = 0;
      for (let i = 0; i < ROWS; i++) {
        const o = i * COLS;
        let p = 0;
        for (let j = 0; j < COLS; j++) p += x[o + j] * w[j];
        const e = p - y[i];
        loss += e * e;
        gb += e;
        for (let j = 0; j < COLS; j++) gw[j] += e * x[o + j];
      }
      for (let j = 0; j < COLS; j++) gw[j] = (2 * gw[j]) / ROWS;
      return loss / ROWS + gb;
    }, REPEATS.plain),
    'plain',
  );
}

if (!tf) console.log('TF.js is not installed here: its rows are skipped');
for (const backend of tf ? ['cpu', 'wasm'] : []) {
  await tf.setBackend(backend);
  await tf.ready();
  const X = tf.tensor2d(x, [ROWS, COLS]);
  const Y = tf.tensor2d(y, [ROWS, 1]);
  const W = tf.variable(tf.zeros([COLS, 1]));
  const B = tf.variable(tf.zeros([1]));
  const opt = tf.train.adam(0.01);
  const epoch = () => {
    const loss = opt.minimize(() => X.matMul(W).add(B).sub(Y).square().mean(), true, [W, B]);
    loss.dataSync();
    loss.dispose();
  };
  report(
    `TensorFlow.js ${backend} (matMul + autodiff + Adam)`,
    time(epoch, backend === 'cpu' ? REPEATS.tfjsCpu : REPEATS.tfjsWasm, 1),
    'tfjs',
    backend,
  );
  tf.dispose([X, Y, W, B]);
}

console.log(`full-batch epoch, ${ROWS} × ${COLS} float32 (X = ${mb.toFixed(1)} MB), median; node ${process.version}`);
console.log('what'.padEnd(60) + 'ms/epoch'.padStart(10) + '  GB/s of X');
for (const f of figures)
  console.log(f.name.padEnd(60) + f.ms.toFixed(3).padStart(10) + (f.gbPerS === null ? '—' : f.gbPerS.toFixed(1)).padStart(12));

// Each fused epoch is compared with readOnce on its ISA and threads, call by call (the
// target's measure: the median of the per-pair ratios), with the fastest readOnce of any ISA
// and thread count and with the fastest on its own thread count (ratios of medians), with
// the plain loop and with the faster TF.js backend.
const of = (kind) => figures.filter((f) => f.kind === kind);
const fastest = (list) => Math.min(...list.map((f) => f.ms));
const readOnceMs = fastest(of('readOnce'));
const plainMs = of('plain')[0].ms;
const tfjsMs = of('tfjs').length ? fastest(of('tfjs')) : null;
const perIsa = of('fused').map((f) => ({
  isa: f.isa,
  threads: f.threads,
  fusedMs: f.ms,
  readOnceMs: of('readOnce').find((r) => r.isa === f.isa && r.threads === f.threads).ms,
  pctOfReadOnce: (100 * readOnceMs) / f.ms,
  pctOfReadOnceSameThreads: (100 * fastest(of('readOnce').filter((r) => r.threads === f.threads))) / f.ms,
  pctOfReadOnceInterleaved: f.pctOfReadOnceInterleaved,
  kernelPctOfReadOnceInterleaved: of('kernel').find((k) => k.isa === f.isa && k.threads === f.threads).pctOfReadOnceInterleaved,
  timesPlainLoop: plainMs / f.ms,
  timesTfjs: tfjsMs === null ? null : tfjsMs / f.ms,
}));
const best = perIsa.reduce((a, b) => (b.fusedMs < a.fusedMs ? b : a));
const bestName = `${best.isa}, ${best.threads} thread${best.threads === 1 ? '' : 's'}`;
const targets = [
  target(
    '≥ 90 % of the bandwidth of reading X once (readOnce on the same ISA and threads, call by call)',
    best.pctOfReadOnceInterleaved,
    90,
    '%',
    'points',
  ),
  target('≥ 10× the plain JS loop', best.timesPlainLoop, 10, '×', '×'),
  target('ahead of TF.js (faster backend)', best.timesTfjs, 1, '×', '×'),
];
console.log(
  '\nper ISA and threads: % of reading X once (kernel alone and epoch call by call; epoch against fastest of all, fastest on as many threads), × plain loop, × TF.js',
);
const pct = (v) => `${v.toFixed(1).padStart(6)} %`;
for (const r of perIsa)
  console.log(
    `${r.isa.padEnd(8)} ${String(r.threads).padStart(3)} ${pct(r.kernelPctOfReadOnceInterleaved)} ${pct(r.pctOfReadOnceInterleaved)} ${pct(r.pctOfReadOnce)} ${pct(r.pctOfReadOnceSameThreads)} ${r.timesPlainLoop.toFixed(1).padStart(7)}× ${(r.timesTfjs === null ? '—' : `${r.timesTfjs.toFixed(1)}×`).padStart(8)}`,
  );
for (const t of targets) console.log(`${t.met === null ? 'n/a   ' : t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.measured}`);

const results = {
  command: label ? `node bench/linreg.js --label ${label}` : 'node bench/linreg.js',
  date: new Date().toISOString(),
  machine: { ...describeMachine(native.binding.isas), loadAverage1min: { before: loadBefore, after: os.loadavg()[0] } },
  method: {
    rows: ROWS,
    cols: COLS,
    dtype: 'f32',
    megabytesOfX: mb,
    statistic: 'median of timed calls after warm-up',
    repeats: REPEATS,
    xMisalignmentBytes: native.binding.byteMisalignment(x),
    plainXMisalignmentBytes: native.binding.byteMisalignment(plainX),
  },
  figures,
  perIsa,
  best: bestName,
  targets,
};
writeFileSync(new URL(resultsFile, import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
if (rewriteResultsMarkdown(benchDir)) {
  console.log(`wrote bench/${resultsFile} and bench/RESULTS.md`);
} else {
  console.log(`wrote bench/${resultsFile} (no bench/results.json yet: RESULTS.md comes with npm run bench)`);
}

function target(name, value, goal, unit, shortfallUnit) {
  if (value === null) return { name, measured: 'not measured', met: null, shortfall: null };
  const met = value >= goal;
  const shortfall = unit === '%' ? `${(goal - value).toFixed(1)} ${shortfallUnit}` : `${(goal / value).toFixed(2)}${shortfallUnit}`;
  return {
    name,
    measured: `${value.toFixed(unit === '%' ? 1 : 2)}${unit === '%' ? ' %' : '×'} (${bestName})`,
    met,
    shortfall: met ? null : shortfall,
  };
}
