/**
 * Turns a table (a CSV file, JSON records) into a training set: picks the target and the
 * feature columns, drops the rows with a missing value in any of them (counting them, and
 * each column's missing cells), and rejects any other non-numeric value, naming its line, its
 * column and the value. When the features are chosen automatically, every column left out is
 * listed with the reason. Linear in the number of cells.
 */
import type { FloatArray } from '../../binding.js';
import { checkDtype, typeError, type LegacyDtype } from '../validate.js';
import { allocate, type Dtype, type Matrix } from './matrix.js';
import { badCellError, tableFromRecords, type Column, type Table } from './table.js';

export type DataRecord = Record<string, unknown>;

export interface Dataset {
  x: Matrix;
  y: FloatArray;
  features: string[];
  target: string;
  /** Rows dropped because the target or a feature was missing. */
  dropped: number;
  /** Missing cells of the target and each feature (columns with none are not listed). */
  missing: { column: string; count: number }[];
  /** Columns not used as features when they were chosen automatically, and why. */
  leftOut: { column: string; reason: string }[];
}

/** Finds columns by name, or throws naming the ones that are not there. */
export function columnsNamed(table: Table, names: readonly string[]): Column[] {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const absent = names.filter((n) => !byName.has(n));
  if (absent.length > 0) {
    const list = absent.map((n) => `"${n}"`).join(', ');
    throw new RangeError(
      `no column${absent.length > 1 ? 's' : ''} ${list}; the columns are: ${table.columns.map((c) => c.name).join(', ')}`,
    );
  }
  return names.map((n) => byName.get(n)!);
}

/** Why an automatically considered column is not a feature, or undefined if it is one. */
function leftOutReason(table: Table, c: Column): string | undefined {
  const numbers = table.rows - c.missing - c.bad;
  if (c.bad === 0) return numbers === 0 ? 'every value is missing' : undefined;
  // Mostly text: a label or name column. Mostly numbers: a bad cell, which is an error.
  if (c.bad >= numbers)
    return `not numeric (${c.bad} of ${table.rows} values are not numbers, e.g. ${JSON.stringify(c.firstBad!.value)} on ${table.place} ${c.firstBad!.at})`;
  throw badCellError(table, c);
}

export function datasetFromTable(table: Table, target: string, features: readonly string[] | undefined, dtype: Dtype): Dataset {
  if (table.rows === 0) throw new RangeError('the data has no rows');
  const [targetColumn] = columnsNamed(table, [target]);
  const leftOut: Dataset['leftOut'] = [];
  let chosen: Column[];
  if (features && features.length > 0) {
    if (features.includes(target)) throw new RangeError(`the target "${target}" cannot also be a feature`);
    chosen = columnsNamed(table, features);
  } else {
    chosen = table.columns.filter((c) => {
      if (c === targetColumn) return false;
      const reason = leftOutReason(table, c);
      if (reason) leftOut.push({ column: c.name, reason });
      return reason === undefined;
    });
    if (chosen.length === 0)
      throw new RangeError(
        `no numeric feature columns besides the target "${target}"${leftOut.length ? `: ${leftOut.map((l) => `${l.column} is ${l.reason}`).join('; ')}` : ''}`,
      );
  }
  for (const c of [targetColumn!, ...chosen]) if (c.bad > 0) throw badCellError(table, c);

  const used = [targetColumn!, ...chosen];
  const { keep, kept } = completeRows(used, table.rows);
  if (kept === 0) throw new RangeError(`every row has a missing value in "${target}" or a feature`);
  const x = matrixOfRows(chosen, keep, kept, dtype);
  const y = matrixOfRows([targetColumn!], keep, kept, dtype).data;
  return {
    x,
    y,
    features: chosen.map((c) => c.name),
    target,
    dropped: table.rows - kept,
    missing: used.filter((c) => c.missing > 0).map((c) => ({ column: c.name, count: c.missing })),
    leftOut,
  };
}

/** Which rows have a value in every one of `columns` (1) and which have a missing one (0). */
export function completeRows(columns: readonly Column[], rows: number): { keep: Uint8Array; kept: number } {
  const keep = new Uint8Array(rows).fill(1);
  let kept = rows;
  for (const c of columns) {
    for (let i = 0; i < rows; i++) {
      if (keep[i] && Number.isNaN(c.values[i]!)) {
        keep[i] = 0;
        kept--;
      }
    }
  }
  return { keep, kept };
}

/** The kept rows of `columns` as a row-major matrix of `dtype` (aligned, lib/data/matrix.ts). */
export function matrixOfRows(columns: readonly Column[], keep: Uint8Array, kept: number, dtype: Dtype): Matrix {
  const cols = columns.length;
  const data = allocate(dtype, kept * cols);
  for (let j = 0; j < cols; j++) {
    const values = columns[j]!.values;
    for (let i = 0, k = 0; i < keep.length; i++) if (keep[i]) data[k++ * cols + j] = values[i]!;
  }
  return { data, rows: kept, cols };
}

/** datasetFromTable over plain objects (JSON records); errors name the row (from 1). */
export function datasetFromRecords(
  records: readonly DataRecord[],
  target: string,
  features: readonly string[] | undefined,
  dtype: Dtype | LegacyDtype,
): Dataset {
  if (!Array.isArray(records)) throw typeError('datasetFromRecords: records', 'an array of objects', records);
  if (typeof target !== 'string') throw typeError('datasetFromRecords: target', 'a column name (a string)', target);
  if (features !== undefined && !(Array.isArray(features) && features.every((f) => typeof f === 'string'))) {
    throw typeError('datasetFromRecords: features', 'an array of column names (strings), or undefined', features);
  }
  return datasetFromTable(tableFromRecords(records), target, features, checkDtype('datasetFromRecords: dtype', dtype));
}
