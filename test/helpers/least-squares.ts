/**
 * The least-squares fit of y ≈ X·w + b by Householder QR in float64: the independent answer
 * training must reach, and the check of lib/model/least-squares.ts (which solves the normal
 * equations instead). QR works on [X | 1] itself, never on XᵀX, so its error grows with the
 * condition number κ of [X | 1], not with κ² as the normal equations' does (Golub & Van Loan,
 * "Matrix Computations", 5.3): a different algorithm with a smaller error, not a copy.
 * On the tests' data (κ about 20 for the synthetic sets, 5·10⁴ for the cars data in raw
 * units) its bound n·κ·ε is below 10⁻⁸ relative (test/least-squares.test.ts checks it), so
 * the training tests' tolerances (10⁻⁶ to 10⁻⁴, on coefficients of order 1) measure how far
 * training got, not the oracle.
 */
import type { FloatArray } from '../../binding.js';
import { seededRandom } from '../../lib/data/random.js';
import { gaussian } from '../../lib/data/random.js';
import { allocate, type Dtype, type Matrix } from '../../lib/data/matrix.js';

/** R of [X | 1] = QR (k × k, upper triangular, row-major) and Qᵀy's first k entries. */
export interface QrFactors {
  k: number;
  r: Float64Array;
  qty: Float64Array;
}

/** Householder QR of [X | 1] (the last column is the bias), with Qᵀ applied to y on the way. */
export function householderQr(x: Matrix, y: FloatArray): QrFactors {
  const n = x.rows;
  const k = x.cols + 1;
  if (n < k) throw new RangeError(`householderQr: needs at least ${k} rows, received ${n}`);
  // Column-major copies: each reflection works down whole columns.
  const a = Array.from({ length: k }, (_, j) => {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = j === x.cols ? 1 : x.data[i * x.cols + j]!;
    return column;
  });
  const sizes = a.map((column) => Math.hypot(...column));
  const b = Float64Array.from(y);
  for (let c = 0; c < k; c++) {
    const col = a[c]!;
    let norm = 0;
    for (let i = c; i < n; i++) norm = Math.hypot(norm, col[i]!);
    // What is left of a column that the ones before it span is rounding: below n·ε of its size.
    if (norm <= n * Number.EPSILON * sizes[c]!) throw new RangeError(`householderQr: column ${c} of [X | 1] depends on the ones before it`);
    // v = col[c..] + sign(col[c])·‖col[c..]‖·e₁: the sign that avoids cancellation in v[0].
    const alpha = col[c]! >= 0 ? -norm : norm;
    const v = col.slice(c);
    v[0] = v[0]! - alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i]! * v[i]!;
    // H = I − 2vvᵀ/(vᵀv), applied to this and every later column, and to b.
    const reflect = (target: Float64Array) => {
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i]! * target[c + i]!;
      const f = (2 * dot) / vv;
      for (let i = 0; i < v.length; i++) target[c + i] = target[c + i]! - f * v[i]!;
    };
    for (let j = c + 1; j < k; j++) reflect(a[j]!);
    reflect(b);
    col[c] = alpha;
    for (let i = c + 1; i < n; i++) col[i] = 0;
  }
  const r = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) r[i * k + j] = a[j]![i]!;
  return { k, r, qty: b.slice(0, k) };
}

export function leastSquares(x: Matrix, y: FloatArray): { weights: number[]; bias: number } {
  const { k, r, qty } = householderQr(x, y);
  // R·w = Qᵀy by back substitution; the residual's part of Qᵀy (rows k…n−1) is what no w fits.
  const solution = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = qty[i]!;
    for (let j = i + 1; j < k; j++) s -= r[i * k + j]! * solution[j]!;
    solution[i] = s / r[i * k + i]!;
  }
  return { weights: Array.from(solution.subarray(0, x.cols)), bias: solution[x.cols]! };
}

/**
 * κ₁(R) = ‖R‖₁·‖R⁻¹‖₁, which is κ₁ of [X | 1] up to a factor of at most k (R = QᵀA with Q
 * orthogonal preserves the 2-norm condition number; 1- and 2-norms differ by at most √k each).
 * R⁻¹ is formed column by column: k is a handful of features.
 */
export function conditionNumber({ k, r }: QrFactors): number {
  const inverse = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let i = k - 1; i >= 0; i--) {
      let s = i === c ? 1 : 0;
      for (let j = i + 1; j < k; j++) s -= r[i * k + j]! * inverse[j * k + c]!;
      inverse[i * k + c] = s / r[i * k + i]!;
    }
  }
  const norm1 = (m: Float64Array) => {
    let max = 0;
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let i = 0; i < k; i++) sum += Math.abs(m[i * k + j]!);
      max = Math.max(max, sum);
    }
    return max;
  };
  return norm1(r) * norm1(inverse);
}

/** y = X·w + b + noise·N(0, 1), X uniform in [0, scale). */
export function syntheticData(
  rows: number,
  w: number[],
  b: number,
  noise: number,
  seed: number,
  dtype: Dtype = 'float64',
  scale = 1,
): { x: Matrix; y: FloatArray } {
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
