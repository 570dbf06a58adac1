// Time per epoch of full-batch linear-regression training on 100,000 × 32 float32:
// the fused native kernel (each ISA) + a native Adam step, against the bandwidth of reading
// X once (readOnce), a plain JavaScript loop, the bit-exact TypeScript reference, and
// TensorFlow.js (CPU and WASM backends). Run: npx tsc -p . && node bench/linreg.js
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadNative } from '../dist/native.js';
import { Adam } from '../dist/optim/adam.js';
import { linregLossGrad as referenceLossGrad } from '../dist/reference/linreg.js';
import { seededRandom } from '../dist/data/random.js';

const ROWS = 100_000;
const COLS = 32;
const native = loadNative();
if (!native.ok) throw new Error(native.reason);

const random = seededRandom(1);
const x = new Float32Array(ROWS * COLS).map(() => random() * 2 - 1);
const trueW = Array.from({ length: COLS }, () => random() * 4 - 2);
const y = new Float32Array(ROWS).map((_, i) => {
  let t = 0.5;
  for (let j = 0; j < COLS; j++) t += trueW[j] * x[i * COLS + j];
  return t;
});
const mb = x.byteLength / 1e6;

/** Median seconds per call over `repeats` timed calls after `warmup` untimed ones. */
function time(fn, repeats, warmup = 2) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  for (let i = 0; i < repeats; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const rows = [];
function report(name, seconds) {
  rows.push([name, (seconds * 1e3).toFixed(3), (mb / 1e3 / seconds).toFixed(1)]);
}

function fusedEpoch(lossGrad) {
  const params = { weights: new Float32Array(COLS), bias: new Float32Array(1) };
  const grads = { weights: new Float32Array(COLS), bias: new Float32Array(1) };
  const opt = new Adam(params, { lr: 0.01, backend: 'native' });
  const args = { x, rows: ROWS, cols: COLS, y, weights: params.weights, bias: params.bias, gradWeights: grads.weights, gradBias: grads.bias };
  return () => {
    lossGrad(args);
    opt.step(grads);
  };
}

for (const isa of native.binding.isas) {
  const b = native.binding.forIsa(isa);
  report(`readOnce (${isa}): reading X once`, time(() => b.readOnce(x), 30));
  report(`fused kernel + Adam step (${isa})`, time(fusedEpoch(b.linregLossGrad), 30));
}
report('TypeScript reference (bit-exact, f32 rounding)', time(fusedEpoch(referenceLossGrad), 3, 1));

// A plain JavaScript loop: the same maths with no rounding discipline (float64 accumulators).
{
  const w = new Float32Array(COLS);
  const gw = new Float64Array(COLS);
  report('plain JS loop (float64 accumulators)', time(() => {
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
  }, 10));
}

for (const backend of ['cpu', 'wasm']) {
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
  report(`TensorFlow.js ${backend} (matMul + autodiff + Adam)`, time(epoch, backend === 'cpu' ? 5 : 10, 1));
  tf.dispose([X, Y, W, B]);
}

console.log(`full-batch epoch, ${ROWS} × ${COLS} float32 (X = ${mb.toFixed(1)} MB), median; node ${process.version}`);
console.log('what'.padEnd(52) + 'ms/epoch'.padStart(10) + '  GB/s of X');
for (const [name, ms, gbs] of rows) console.log(name.padEnd(52) + ms.padStart(10) + gbs.padStart(12));
