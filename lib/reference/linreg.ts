/**
 * The TypeScript reference of the native linregLossGrad: the same validation and the exact
 * operation order of native/NUMERICS.md ("Linear regression"), so both give the same bits.
 */
import type { FloatArray, LinregArgs, LinregLossName, LinregOptions } from '../../binding.js';
import { regressionTerm, type Term } from './regression-loss.js';
import { isFloat32, round } from './rounding.js';

const FN = 'linregLossGrad';
/** Columns of a dot product are summed in blocks of this many. */
const COLUMN_BLOCK = 65536;
/** Rows are summed in blocks of this many; block sums are added in order (kLinregRowBlock). */
const ROW_BLOCK = 1024;
const PARTIALS = 16;

function foldTree(partial: number[], f32: boolean): number {
  for (let width = PARTIALS / 2; width >= 1; width /= 2) {
    for (let k = 0; k < width; k++) partial[k] = round(partial[k]! + partial[k + width]!, f32);
  }
  return partial[0]!;
}

/** X_i·w in the canonical column order (padding to 16 columns adds +0, so it is left out). */
function rowDot(x: FloatArray, offset: number, w: FloatArray, cols: number, f32: boolean, partial: number[]): number {
  let dot = 0;
  for (let c0 = 0; c0 < cols; c0 += COLUMN_BLOCK) {
    partial.fill(0);
    const end = Math.min(cols, c0 + COLUMN_BLOCK);
    for (let j = c0; j < end; j++) {
      const k = (j - c0) % PARTIALS;
      partial[k] = round(partial[k]! + round(x[offset + j]! * w[j]!, f32), f32);
    }
    dot = round(dot + foldTree(partial, f32), f32);
  }
  return dot;
}

export function linregLossGrad(args: LinregArgs, options?: LinregOptions): number {
  checkOptions(options);
  const { x, rows, cols, y, weights, gradWeights, gradBias, predictions, loss, delta: deltaIn } = checkArgs(args);
  const f32 = isFloat32(x);
  const bias = args.bias[0]!;
  const delta = round(deltaIn, f32);
  const halfDelta = round(0.5 * delta, f32);
  const sum = new Float64Array(cols);
  const blockSum = new Float64Array(cols);
  const partial = new Array<number>(PARTIALS).fill(0);
  const lossPartial = new Array<number>(PARTIALS);
  const gPartial = new Array<number>(PARTIALS);
  const term: Term = { loss: 0, grad: 0 };
  let lossTotal = 0;
  let gTotal = 0;

  for (let first = 0; first < rows; first += ROW_BLOCK) {
    blockSum.fill(0);
    lossPartial.fill(0);
    gPartial.fill(0);
    for (let i = first; i < Math.min(rows, first + ROW_BLOCK); i++) {
      const offset = i * cols;
      const pred = round(rowDot(x, offset, weights, cols, f32, partial) + bias, f32);
      if (predictions) predictions[i] = pred;
      regressionTerm(loss, round(pred - y[i]!, f32), delta, halfDelta, f32, term);
      const l = term.loss;
      const g = term.grad;
      const k = (i - first) % PARTIALS;
      lossPartial[k] = round(lossPartial[k]! + l, f32);
      gPartial[k] = round(gPartial[k]! + g, f32);
      for (let j = 0; j < cols; j++) blockSum[j] = round(blockSum[j]! + round(g * x[offset + j]!, f32), f32);
    }
    for (let j = 0; j < cols; j++) sum[j] = round(sum[j]! + blockSum[j]!, f32);
    lossTotal = round(lossTotal + foldTree(lossPartial, f32), f32);
    gTotal = round(gTotal + foldTree(gPartial, f32), f32);
  }

  const n = round(rows, f32);
  const k = loss === 'mse' ? 2 : 1;
  for (let j = 0; j < cols; j++) gradWeights[j] = round((k === 2 ? round(2 * sum[j]!, f32) : sum[j]!) / n, f32);
  gradBias[0] = round((k === 2 ? round(2 * gTotal, f32) : gTotal) / n, f32);
  return round(lossTotal / n, f32);
}

/** Benchmark baseline of the native readOnce: the sum of x (order unspecified). */
export function readOnce(x: FloatArray): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += x[i]!;
  return total;
}

interface Checked {
  x: FloatArray;
  rows: number;
  cols: number;
  y: FloatArray;
  weights: FloatArray;
  gradWeights: FloatArray;
  gradBias: FloatArray;
  predictions: FloatArray | undefined;
  loss: LinregLossName;
  delta: number;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function isFloatArray(v: unknown): v is FloatArray {
  return v instanceof Float32Array || v instanceof Float64Array;
}

/** The binding's check of { threads } (the reference runs on one thread whatever it says). */
export function checkOptions(options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${FN}: options must be an object { threads }`);
  }
  const threads: unknown = (options as LinregOptions).threads;
  if (threads === undefined) return;
  if (typeof threads !== 'number') throw new TypeError(`${FN}: options.threads must be an integer ≥ 1`);
  if (!(threads >= 1 && threads <= 1024 && Number.isInteger(threads))) {
    throw new RangeError(`${FN}: options.threads must be an integer in [1, 1024], received ${threads}`);
  }
}

/** The binding's checks, in its order and with its messages; nothing is written before they pass. */
export function checkArgs(args: LinregArgs): Checked {
  if (typeof args !== 'object' || args === null || Array.isArray(args) || ArrayBuffer.isView(args)) {
    throw new TypeError(`${FN}: args must be an object { x, rows, cols, y, weights, bias, gradWeights, gradBias }`);
  }
  const count = (key: 'rows' | 'cols'): number => {
    const v: unknown = args[key];
    if (typeof v !== 'number') throw new TypeError(`${FN}: args.${key} must be a number (an integer ≥ 1)`);
    if (!(v >= 1 && Number.isSafeInteger(v))) throw new RangeError(`${FN}: args.${key} must be an integer ≥ 1, received ${v}`);
    return v;
  };
  const rows = count('rows');
  const cols = count('cols');
  const x: unknown = args.x;
  if (!isFloatArray(x)) throw new TypeError(`${FN}: args.x must be a Float32Array or Float64Array, received ${describe(x)}`);
  if (x.length !== rows * cols) {
    throw new RangeError(`${FN}: args.x must have rows · cols = ${rows} · ${cols} elements, received ${x.length}`);
  }
  const written: FloatArray[] = [];
  const all: FloatArray[] = [x];
  const array = (key: keyof LinregArgs, length: number, lengthName: string, isWritten: boolean): FloatArray => {
    const v: unknown = args[key];
    if (!isFloatArray(v)) throw new TypeError(`${FN}: args.${key} must be a Float32Array or Float64Array, received ${describe(v)}`);
    if (v.constructor !== x.constructor) {
      throw new TypeError(`${FN}: args.${key} must be a ${x.constructor.name} like args.x, received ${v.constructor.name}`);
    }
    if (v.length !== length) {
      throw new RangeError(`${FN}: args.${key} must have ${lengthName} = ${length} elements, received ${v.length}`);
    }
    (isWritten ? written : all).push(v);
    return v;
  };
  const y = array('y', rows, 'rows', false);
  const weights = array('weights', cols, 'cols', false);
  array('bias', 1, '1', false);
  const gradWeights = array('gradWeights', cols, 'cols', true);
  const gradBias = array('gradBias', 1, '1', true);
  const predictions = args.predictions === undefined ? undefined : array('predictions', rows, 'rows', true);
  const loss: unknown = args.loss ?? 'mse';
  if (typeof loss !== 'string') throw new TypeError(`${FN}: args.loss must be 'mse', 'mae' or 'huber'`);
  if (loss !== 'mse' && loss !== 'mae' && loss !== 'huber') {
    throw new RangeError(`${FN}: args.loss must be 'mse', 'mae' or 'huber', received '${loss}'`);
  }
  let delta = 1;
  if (loss === 'huber') {
    const d: unknown = args.delta;
    if (typeof d !== 'number') throw new TypeError(`${FN}: args.delta must be a number > 0 (the Huber threshold)`);
    const asType = x instanceof Float32Array ? Math.fround(d) : d;
    if (!(Number.isFinite(asType) && asType > 0)) {
      throw new RangeError(`${FN}: args.delta must be finite and > 0 in the arrays' type, received ${d}`);
    }
    delta = d;
  }
  checkNoOverlap(written, [...all, ...written]);
  return { x, rows, cols, y, weights, gradWeights, gradBias, predictions, loss, delta };
}

function overlaps(a: FloatArray, b: FloatArray): boolean {
  if (a.buffer !== b.buffer || a.length === 0 || b.length === 0) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

function checkNoOverlap(written: FloatArray[], all: FloatArray[]): void {
  for (const [i, w] of all.entries()) {
    if (!written.includes(w)) continue;
    for (const [k, other] of all.entries()) {
      if (k !== i && overlaps(w, other)) {
        throw new RangeError(
          `${FN}: a written array (gradWeights, gradBias, predictions) shares memory with another argument; each must be its own`,
        );
      }
    }
  }
}
