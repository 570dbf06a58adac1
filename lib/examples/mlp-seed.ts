/**
 * The seed article's §3.2, runnable (`node dist/examples/mlp-seed.js`): X = rand(100, 3),
 * y = X·[2, −1, 3] + 1.5, Sequential([Dense(64, relu, inputSize 3), Dense(64, relu),
 * Dense(1)]), Adam lr 0.001, MSE, fit 10 epochs as the article does, then on until the loss
 * settles; then the learned function against the truth on a few points.
 */
import { matrixFromRows, vectorFrom } from '../data/matrix.js';
import { seededRandom } from '../data/random.js';
import { Dense } from '../nn/dense.js';
import { Sequential } from '../nn/sequential.js';

const TRUE_WEIGHTS = [2, -1, 3];
const TRUE_BIAS = 1.5;
const truth = (row: readonly number[]) => row.reduce((t, v, j) => t + TRUE_WEIGHTS[j]! * v, TRUE_BIAS);

const random = seededRandom(42);
const rows = Array.from({ length: 100 }, () => [random(), random(), random()]);
const x = matrixFromRows(rows, 'float32');
const y = vectorFrom(rows.map(truth), 'float32');

const model = new Sequential(
  [new Dense({ units: 64, activation: 'relu', inputSize: 3 }), new Dense({ units: 64, activation: 'relu' }), new Dense({ units: 1 })],
  { seed: 0 },
);
console.log(`Sequential 3 → 64 → 64 → 1 (relu), float32, ${model.backend} kernels; Adam lr 0.001, MSE, batch 32\n`);
console.log('As in the article, 10 epochs:');
model.fit(x, y, { epochs: 10, loss: 'mse' });

const MORE = 490;
const started = performance.now();
const history = model.fit(x, y, { epochs: MORE, verbose: 0 });
const ms = performance.now() - started;
console.log(`\n${MORE} epochs more: loss ${history.loss[MORE - 1]!.toExponential(3)} (${(ms / MORE).toFixed(3)} ms per epoch)`);

const probe = [
  [0, 0, 0],
  [1, 1, 1],
  [0.5, 0.2, 0.8],
  [0.9, 0.1, 0.3],
];
const predicted = model.predict(matrixFromRows(probe, 'float32'));
console.log('\n          x            learned     true');
probe.forEach((p, i) =>
  console.log(`[${p.map((v) => v.toFixed(1)).join(', ')}]  ${predicted[i]!.toFixed(4).padStart(9)} ${truth(p).toFixed(4).padStart(8)}`),
);
