/**
 * The seed article's experiment, end to end (`npm start`): X = rand(100, 3),
 * y = X·[2, −1, 3] + 1.5, a LinearRegression trained full-batch with the native Adam
 * (lr 0.01, 5000 epochs: the article's lr 0.001 needs about 20,000 epochs to settle), the
 * loss every 1000 epochs, learned vs true coefficients, the least-squares solution, and the
 * time per epoch. The setup lives in seed-setup.ts, which bench/seed.js times too.
 */
import { solveLeastSquares } from '../model/least-squares.js';
import { loadNative } from '../native.js';
import { EPOCHS, LR, ROWS, TRUE_BIAS, TRUE_WEIGHTS, seedData, seedTrainer } from './seed-setup.js';

const { x, y } = seedData();
const native = loadNative();
console.log(
  `backend: native (${native.ok ? native.binding.isa : 'unavailable'}), float64, ${ROWS} × ${x.cols}, Adam lr ${LR}, ${EPOCHS} epochs, full batch`,
);
const { model, trainer } = seedTrainer();
const start = process.hrtime.bigint();
const history = trainer.train(x, y);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

const exact = solveLeastSquares(x, y);
const fmt = (v: number) => v.toFixed(6).padStart(11);
console.log('\n             learned        true  least squares');
TRUE_WEIGHTS.forEach((w, j) => console.log(`weight[${j}] ${fmt(model.weights[j]!)} ${fmt(w)} ${fmt(exact.weights[j]!)}`));
console.log(`bias      ${fmt(model.bias)} ${fmt(TRUE_BIAS)} ${fmt(exact.bias)}`);
console.log(
  `\nfinal loss ${history.loss.at(-1)!.toExponential(3)}; ${((seconds / EPOCHS) * 1e6).toFixed(1)} µs per epoch (${seconds.toFixed(3)} s in all)`,
);
