/**
 * A row-major matrix over one typed array: what the model and the fused kernel read. Built
 * once from plain rows, then used as is for every epoch (nothing is copied per epoch).
 */
import type { FloatArray } from '../../binding.js';
import { checkDtype, typeError, type Dtype, type LegacyDtype } from '../validate.js';
import { alignedArray } from './aligned.js';

export type { Dtype, LegacyDtype };

export interface Matrix {
  /** rows · cols elements, row i at [i · cols, (i + 1) · cols). */
  data: FloatArray;
  rows: number;
  cols: number;
}

/** Zero-filled, starting on a 64-byte boundary (lib/data/aligned.ts). */
export function allocate(dtype: Dtype, length: number): FloatArray {
  // Internal callers pass the checked spelling; anything else ('f32' from older code) would
  // otherwise silently allocate float64.
  if (dtype !== 'float32' && dtype !== 'float64') throw typeError('allocate: dtype', "one of 'float32', 'float64'", dtype);
  return alignedArray(dtype === 'float32' ? Float32Array : Float64Array, length);
}

export function dtypeOf(array: FloatArray): Dtype {
  return array instanceof Float32Array ? 'float32' : 'float64';
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (a missing value)';
  if (v === null) return 'null (a missing value)';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return String(v);
}

/** Throws unless `v` is a finite number; `where` names the row and column. */
function finiteAt(v: unknown, where: string): number {
  if (typeof v !== 'number') throw new TypeError(`${where} must be a number, received ${describe(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${where} must be finite, received ${v}`);
  return v;
}

/** A matrix from plain rows; every row must have the first row's length and only finite numbers. */
export function matrixFromRows(rows: readonly (readonly number[])[], dtype: Dtype | LegacyDtype = 'float64', name = 'X'): Matrix {
  const type = checkDtype('matrixFromRows: dtype', dtype);
  if (typeof name !== 'string') throw typeError('matrixFromRows: name', 'a string', name);
  if (!Array.isArray(rows)) throw new TypeError(`${name} must be an array of rows, received ${describe(rows)}`);
  if (rows.length === 0) throw new RangeError(`${name} must have at least one row, received none`);
  const first = rows[0];
  if (!Array.isArray(first)) throw new TypeError(`${name}[0] must be an array of numbers, received ${describe(first)}`);
  const cols = first.length;
  if (cols === 0) throw new RangeError(`${name} must have at least one column, received rows of length 0`);
  const data = allocate(type, rows.length * cols);
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) throw new TypeError(`${name}[${i}] must be an array of numbers, received ${describe(row)}`);
    if (row.length !== cols) {
      throw new RangeError(`${name}[${i}] has ${row.length} values but row 0 has ${cols}: every row needs the same number of columns`);
    }
    for (let j = 0; j < cols; j++) data[i * cols + j] = finiteAt(row[j], `${name}[${i}][${j}] (row ${i}, column ${j})`);
  });
  return { data, rows: rows.length, cols };
}

/** A target vector from plain numbers (finite only). */
export function vectorFrom(values: readonly number[] | FloatArray, dtype: Dtype | LegacyDtype = 'float64', name = 'y'): FloatArray {
  const type = checkDtype('vectorFrom: dtype', dtype);
  if (typeof name !== 'string') throw typeError('vectorFrom: name', 'a string', name);
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) {
    throw new TypeError(`${name} must be an array of numbers or a typed array, received ${describe(values)}`);
  }
  const out = allocate(type, values.length);
  for (let i = 0; i < values.length; i++) out[i] = finiteAt(values[i], `${name}[${i}] (row ${i})`);
  return out;
}

/**
 * Checks a training set before any training: the shape, matching rows, one dtype, and only
 * finite values (NaN and ±Infinity are named by row and column).
 */
export function checkTrainingSet(x: Matrix, y: FloatArray, dtype: Dtype, cols: number): void {
  if (typeof x !== 'object' || x === null || !(x.data instanceof Float32Array || x.data instanceof Float64Array)) {
    throw new TypeError(
      `X must be a Matrix { data, rows, cols } over a Float32Array or Float64Array (see matrixFromRows), received ${describe(x)}`,
    );
  }
  if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.data.length !== x.rows * x.cols) {
    throw new RangeError(`X must have rows · cols = ${x.rows} · ${x.cols} elements, received ${x.data.length}`);
  }
  if (x.rows === 0) throw new RangeError('X is empty: training needs at least one row');
  if (x.cols !== cols) throw new RangeError(`X has ${x.cols} columns but the model has ${cols} features`);
  if (dtypeOf(x.data) !== dtype) throw new TypeError(`X holds ${dtypeOf(x.data)} data but the model is ${dtype}`);
  if (!(y instanceof Float32Array || y instanceof Float64Array)) {
    throw new TypeError(`y must be a Float32Array or Float64Array (see vectorFrom), received ${describe(y)}`);
  }
  if (dtypeOf(y) !== dtype) throw new TypeError(`y holds ${dtypeOf(y)} data but the model is ${dtype}`);
  if (y.length !== x.rows) throw new RangeError(`y has ${y.length} rows but X has ${x.rows}: they must match`);
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) {
      const row = Math.floor(i / x.cols);
      throw new RangeError(`X[${row}][${i % x.cols}] (row ${row}, column ${i % x.cols}) must be finite, received ${x.data[i]}`);
    }
  }
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw new RangeError(`y[${i}] (row ${i}) must be finite, received ${y[i]}`);
  }
}
