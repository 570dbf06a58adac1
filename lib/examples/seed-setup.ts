/**
 * The seed article's linear regression as `npm start` runs it (lib/examples/seed.ts), in one
 * place so bench/seed.js times exactly that: the data (X = rand(100, 3), y = X·[2, −1, 3] +
 * 1.5, float64, seed 42) and the model, optimizer and Trainer of the example.
 */
import { Adam } from '../optim/adam.js';
import type { FloatArray } from '../../binding.js';
import { allocate, type Matrix } from '../data/matrix.js';
import { seededRandom } from '../data/random.js';
import { LinearRegression } from '../model/linear-regression.js';
import type { TrainerOptions } from '../trainer/options.js';
import { Trainer } from '../trainer/trainer.js';

export const TRUE_WEIGHTS = [2, -1, 3];
export const TRUE_BIAS = 1.5;
export const ROWS = 100;
export const EPOCHS = 5000;
export const LR = 0.01;

export function seedData(): { x: Matrix; y: FloatArray } {
  const random = seededRandom(42);
  const cols = TRUE_WEIGHTS.length;
  const x = { data: allocate('float64', ROWS * cols), rows: ROWS, cols };
  const y = allocate('float64', ROWS);
  for (let i = 0; i < ROWS; i++) {
    let t = TRUE_BIAS;
    for (let j = 0; j < cols; j++) t += TRUE_WEIGHTS[j]! * (x.data[i * cols + j] = random());
    y[i] = t;
  }
  return { x, y };
}

/** A fresh model (seed 1), native Adam (lr LR) and Trainer (EPOCHS epochs, the loss every 1000). */
export function seedTrainer(options: TrainerOptions = {}) {
  const model = new LinearRegression(TRUE_WEIGHTS.length, { seed: 1 });
  const trainer = new Trainer(model, new Adam(model.params, { lr: LR, backend: 'native' }), { epochs: EPOCHS, logEvery: 1000, ...options });
  return { model, trainer };
}
