/** A seeded held-out split: `train --validation 0.2` keeps a fifth of the rows out of training. */
import type { FloatArray } from '../../binding.js';
import { allocate, dtypeOf, type Matrix } from './matrix.js';
import { seededRandom, shuffleInPlace } from './random.js';

export interface Split {
  train: { x: Matrix; y: FloatArray };
  validation: { x: Matrix; y: FloatArray };
}

function gather(x: Matrix, y: FloatArray, rows: Uint32Array): { x: Matrix; y: FloatArray } {
  const dtype = dtypeOf(x.data);
  const data = allocate(dtype, rows.length * x.cols);
  const out = allocate(dtype, rows.length);
  rows.forEach((r, i) => {
    data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols);
    out[i] = y[r]!;
  });
  return { x: { data, rows: rows.length, cols: x.cols }, y: out };
}

/**
 * Shuffles the row order with `seed` (the same rows for the same seed everywhere) and puts
 * round(rows · fraction) rows into the validation set, the rest (in their original order)
 * into the training set. Both must get at least one row.
 */
export function holdOut(x: Matrix, y: FloatArray, fraction: number, seed: number): Split {
  if (!(typeof fraction === 'number' && fraction > 0 && fraction < 1))
    throw new RangeError(`validation fraction must be a number in (0, 1), received ${String(fraction)}`);
  const held = Math.round(x.rows * fraction);
  if (held < 1 || held >= x.rows)
    throw new RangeError(
      `a validation fraction of ${fraction} of ${x.rows} rows leaves ${held} validation and ${x.rows - held} training rows; each needs at least one`,
    );
  const order = new Uint32Array(x.rows);
  for (let i = 0; i < x.rows; i++) order[i] = i;
  shuffleInPlace(order, seededRandom(seed));
  const validation = order.slice(0, held).sort();
  const train = order.slice(held).sort();
  return { train: gather(x, y, train), validation: gather(x, y, validation) };
}
