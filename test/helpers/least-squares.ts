/**
 * The least-squares fit of y ≈ X·w + b, solved directly (normal equations, Gaussian
 * elimination with partial pivoting) in float64: the independent answer training must reach.
 */
import type { FloatArray } from '../../binding.js';
import { seededRandom } from '../../lib/data/random.js';
import { gaussian } from '../../lib/data/random.js';
import { allocate, type Dtype, type Matrix } from '../../lib/data/matrix.js';

export function leastSquares(x: Matrix, y: FloatArray): { weights: number[]; bias: number } {
  const k = x.cols + 1; // the last unknown is the bias (a column of ones)
  const a = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (let i = 0; i < x.rows; i++) {
    const row = [...x.data.subarray(i * x.cols, (i + 1) * x.cols), 1];
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) a[p]![q]! += row[p]! * row[q]!;
      a[p]![k]! += row[p]! * y[i]!;
    }
  }
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    for (let r = c + 1; r < k; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let q = c; q <= k; q++) a[r]![q]! -= f * a[c]![q]!;
    }
  }
  const solution = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    let s = a[r]![k]!;
    for (let q = r + 1; q < k; q++) s -= a[r]![q]! * solution[q]!;
    solution[r] = s / a[r]![r]!;
  }
  return { weights: solution.slice(0, x.cols), bias: solution[x.cols]! };
}

/** y = X·w + b + noise·N(0, 1), X uniform in [0, scale). */
export function syntheticData(rows: number, w: number[], b: number, noise: number, seed: number, dtype: Dtype = 'float64', scale = 1): { x: Matrix; y: FloatArray } {
  const random = seededRandom(seed);
  const cols = w.length;
  const data = allocate(dtype, rows * cols);
  const y = allocate(dtype, rows);
  for (let i = 0; i < rows; i++) {
    let t = b;
    for (let j = 0; j < cols; j++) {
      data[i * cols + j] = random() * scale;
      t += w[j]! * data[i * cols + j]!;
    }
    y[i] = t + noise * gaussian(random);
  }
  return { x: { data, rows, cols }, y };
}
