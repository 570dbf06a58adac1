/**
 * The seed article's experiment, end to end (`npm start`): X = rand(100, 3),
 * y = X·[2, −1, 3] + 1.5, a LinearRegression trained full-batch with the native Adam
 * (lr 0.01, 5000 epochs: the article's lr 0.001 needs about 20,000 epochs to settle), the
 * loss every 1000 epochs, learned vs true coefficients, the least-squares solution, and the
 * time per epoch.
 */
import { Adam } from '../optim/adam.js';
import { allocate } from '../data/matrix.js';
import { seededRandom } from '../data/random.js';
import { LinearRegression } from '../model/linear-regression.js';
import { solveLeastSquares } from '../model/least-squares.js';
import { Trainer } from '../trainer/trainer.js';
import { loadNative } from '../native.js';

const TRUE_WEIGHTS = [2, -1, 3];
const TRUE_BIAS = 1.5;
const ROWS = 100;
const EPOCHS = 5000;
const LR = 0.01;

const random = seededRandom(42);
const cols = TRUE_WEIGHTS.length;
const x = { data: allocate('f64', ROWS * cols), rows: ROWS, cols };
const y = allocate('f64', ROWS);
for (let i = 0; i < ROWS; i++) {
  let t = TRUE_BIAS;
  for (let j = 0; j < cols; j++) t += TRUE_WEIGHTS[j]! * (x.data[i * cols + j] = random());
  y[i] = t;
}

const native = loadNative();
console.log(`backend: native (${native.ok ? native.binding.isa : 'unavailable'}), float64, ${ROWS} × ${cols}, Adam lr ${LR}, ${EPOCHS} epochs, full batch`);
const model = new LinearRegression(cols, { seed: 1 });
const trainer = new Trainer(model, new Adam(model.params, { lr: LR, backend: 'native' }), { epochs: EPOCHS, logEvery: 1000 });
const start = process.hrtime.bigint();
const history = trainer.train(x, y);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

const exact = solveLeastSquares(x, y);
const fmt = (v: number) => v.toFixed(6).padStart(11);
console.log('\n             learned        true  least squares');
TRUE_WEIGHTS.forEach((w, j) => console.log(`weight[${j}] ${fmt(model.weights[j]!)} ${fmt(w)} ${fmt(exact.weights[j]!)}`));
console.log(`bias      ${fmt(model.bias)} ${fmt(TRUE_BIAS)} ${fmt(exact.bias)}`);
console.log(`\nfinal loss ${history.loss.at(-1)!.toExponential(3)}; ${((seconds / EPOCHS) * 1e6).toFixed(1)} µs per epoch (${seconds.toFixed(3)} s in all)`);
