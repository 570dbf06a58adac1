/**
 * The exact least-squares fit of y ≈ X·w + b (normal equations, Gaussian elimination with
 * partial pivoting, float64): the answer gradient training should approach, for reports.
 */
import type { FloatArray } from '../../binding.js';
import type { Matrix } from '../data/matrix.js';
import { checkFloatArray, checkMatrix } from '../validate.js';

export function solveLeastSquares(x: Matrix, y: FloatArray): { weights: number[]; bias: number } {
  checkMatrix('solveLeastSquares: X', x);
  if (checkFloatArray('solveLeastSquares: y', y).length !== x.rows)
    throw new RangeError(`solveLeastSquares: y has ${y.length} rows but X has ${x.rows}`);
  const k = x.cols + 1; // unknowns: the weights, then the bias (a column of ones)
  const a = Array.from({ length: k }, () => new Float64Array(k + 1));
  const row = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) row[j] = x.data[i * x.cols + j]!;
    row[x.cols] = 1;
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
  const s = new Float64Array(k);
  for (let r = k - 1; r >= 0; r--) {
    let v = a[r]![k]!;
    for (let q = r + 1; q < k; q++) v -= a[r]![q]! * s[q]!;
    s[r] = v / a[r]![r]!;
  }
  return { weights: Array.from(s.subarray(0, x.cols)), bias: s[x.cols]! };
}
