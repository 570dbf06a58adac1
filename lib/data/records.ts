/**
 * Turns records (CSV rows, JSON objects) into a training set: picks the target and feature
 * columns, drops rows with a missing value in any of them and counts them, and rejects any
 * other non-numeric value naming its row and column.
 */
import type { FloatArray } from '../../binding.js';
import { allocate, type Dtype, type Matrix } from './matrix.js';

export type DataRecord = Record<string, unknown>;

export interface Dataset {
  x: Matrix;
  y: FloatArray;
  features: string[];
  target: string;
  /** Rows dropped because the target or a feature was missing (empty, null, NA, NaN). */
  dropped: number;
}

const MISSING = new Set(['', 'na', 'nan', 'null', 'none', '?']);

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) || (typeof v === 'string' && MISSING.has(v.trim().toLowerCase()));
}

function numberAt(v: unknown, row: number, column: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
  if (!Number.isFinite(n)) {
    throw new TypeError(`row ${row + 1}, column "${column}": expected a number, received ${JSON.stringify(v)}`);
  }
  return n;
}

export function datasetFromRecords(records: readonly DataRecord[], target: string, features: readonly string[] | undefined, dtype: Dtype): Dataset {
  if (records.length === 0) throw new RangeError('the data has no rows');
  const columns = Object.keys(records[0]!);
  const need = (c: string): void => {
    if (!columns.includes(c)) throw new RangeError(`no column "${c}"; the columns are: ${columns.join(', ')}`);
  };
  need(target);
  const chosen = features && features.length > 0 ? [...features] : columns.filter((c) => c !== target && records.every((r) => isMissing(r[c]) || Number.isFinite(typeof r[c] === 'number' ? r[c] : Number(r[c]))));
  chosen.forEach(need);
  if (chosen.length === 0) throw new RangeError(`no numeric feature columns besides the target "${target}"`);
  if (chosen.includes(target)) throw new RangeError(`the target "${target}" cannot also be a feature`);

  const kept = records.filter((r) => !isMissing(r[target]) && chosen.every((c) => !isMissing(r[c])));
  if (kept.length === 0) throw new RangeError(`every row has a missing value in "${target}" or a feature`);
  const cols = chosen.length;
  const data = allocate(dtype, kept.length * cols);
  const y = allocate(dtype, kept.length);
  kept.forEach((r, i) => {
    const row = records.indexOf(r);
    y[i] = numberAt(r[target], row, target);
    chosen.forEach((c, j) => (data[i * cols + j] = numberAt(r[c], row, c)));
  });
  return { x: { data, rows: kept.length, cols }, y, features: chosen, target, dropped: records.length - kept.length };
}
