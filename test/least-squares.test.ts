/**
 * The least-squares oracle of the training tests (test/helpers/least-squares.ts, Householder
 * QR) checked on its own, and lib's solver (solveLeastSquares, normal equations) checked
 * against it. Every tolerance is the textbook error bound of the algorithm, from the data's
 * condition number κ (Golub & Van Loan, "Matrix Computations", 5.3.7-5.3.8; Higham,
 * "Accuracy and Stability of Numerical Algorithms", 19-20): QR's error grows like κ·ε, the
 * normal equations' like κ²·ε, each times a modest factor of the size.
 */
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../binding.js';
import { loadCars } from '../lib/data/cars.js';
import { seededRandom } from '../lib/data/random.js';
import type { Matrix } from '../lib/data/matrix.js';
import { solveLeastSquares } from '../lib/model/least-squares.js';
import { conditionNumber, householderQr, leastSquares, syntheticData } from './helpers/least-squares.js';

const EPS = Number.EPSILON;

const flat = (s: { weights: number[]; bias: number }) => [...s.weights, s.bias];
const maxAbs = (v: number[]) => Math.max(...v.map(Math.abs));
/** max |a − b| relative to the largest entry of b. */
const relativeError = (a: number[], b: number[]) => maxAbs(a.map((v, i) => v - b[i]!)) / maxAbs(b);

/** The columns of [X | 1], y − [X | 1]·s and its norm. */
function residual(x: Matrix, y: FloatArray, s: number[]) {
  const r = Float64Array.from(y, (yi, i) => {
    let fit = s[x.cols]!;
    for (let j = 0; j < x.cols; j++) fit += x.data[i * x.cols + j]! * s[j]!;
    return yi - fit;
  });
  const column = (j: number) => Float64Array.from({ length: x.rows }, (_, i) => (j === x.cols ? 1 : x.data[i * x.cols + j]!));
  return { r, column };
}
const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

describe('the Householder QR oracle', () => {
  it('recovers the coefficients of noise-free data within c·n·κ·ε', () => {
    const w = [2, -1, 3];
    const { x, y } = syntheticData(100, w, 1.5, 0, 42);
    const kappa = conditionNumber(householderQr(x, y));
    // y lies in the range of [X | 1]: a backward-stable solve's relative error is below a small
    // multiple of n·κ·ε (the factor 4 covers κ₁ against κ₂).
    expect(relativeError(flat(leastSquares(x, y)), [...w, 1.5])).toBeLessThan(4 * x.rows * kappa * EPS);
  });

  it('leaves a residual orthogonal to every column of [X | 1] (the normal equations hold)', () => {
    const cars = loadCars('float64');
    const s = flat(leastSquares(cars.x, cars.y));
    const { r, column } = residual(cars.x, cars.y, s);
    expect(norm(r)).toBeGreaterThan(1); // a real misfit, so orthogonality is not trivially 0
    // The computed s is the exact solution for [X | 1] + ΔA, y + Δy with ‖ΔA‖ ≤ c·n·ε·‖A‖,
    // ‖Δy‖ ≤ c·n·ε·‖y‖, so |aⱼ·r| stays below c·n·ε·‖aⱼ‖·(‖r‖ + ‖A‖·‖s‖ + ‖y‖); c = 4.
    const columns = Array.from({ length: cars.x.cols + 1 }, (_, j) => column(j));
    const normA = Math.hypot(...columns.map(norm));
    const scale = norm(r) + normA * norm(s) + norm(cars.y);
    for (const a of columns) expect(Math.abs(dot(a, r))).toBeLessThan(4 * cars.x.rows * EPS * norm(a) * scale);
  });

  it('keeps the digits on nearly collinear columns, where κ²·ε ≈ 1 and the normal equations cannot', () => {
    // Column 2 is column 1 plus 1e-7 of noise: κ ≈ 1e8, so squaring it (XᵀX) leaves no digits.
    const random = seededRandom(5);
    const rows = 200;
    const data = new Float64Array(rows * 2);
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const u = random();
      data[i * 2] = u;
      data[i * 2 + 1] = u + 1e-7 * (random() - 0.5);
      y[i] = 1 * data[i * 2]! + 1 * data[i * 2 + 1]! + 0.5;
    }
    const x = { data, rows, cols: 2 };
    const kappa = conditionNumber(householderQr(x, y));
    expect(kappa * kappa * EPS).toBeGreaterThan(0.1);
    expect(relativeError(flat(leastSquares(x, y)), [1, 1, 0.5])).toBeLessThan(4 * rows * kappa * EPS);
  });

  it('rejects [X | 1] without full column rank, naming the dependent column', () => {
    // A column of 0.1s: the ones column of the bias is ten times it, up to 0.1's rounding.
    const x = { data: new Float64Array([0.1, 0.1, 0.1]), rows: 3, cols: 1 };
    expect(() => leastSquares(x, new Float64Array([1, 2, 3]))).toThrow(/column 1 of \[X \| 1\] depends on the ones before it/);
  });
});

describe('solveLeastSquares (normal equations) against the QR oracle', () => {
  it.each([
    ['synthetic, 200 × 4 uniform rows with noise', () => syntheticData(200, [0.5, -1.25, 2, 0.75], 0.3, 0.1, 7)],
    ['the cars data, raw units', () => loadCars('float64')],
  ])('%s: within k·κ²·ε', (_name, load) => {
    const { x, y } = load();
    const kappa = conditionNumber(householderQr(x, y));
    const k = x.cols + 1;
    // Forming XᵀX squares κ: relative error ≲ κ²·ε, times k for κ₁ against κ₂.
    expect(relativeError(flat(solveLeastSquares(x, y)), flat(leastSquares(x, y)))).toBeLessThan(k * kappa * kappa * EPS);
  });
});
