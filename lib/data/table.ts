/**
 * A table of numeric columns, built in one pass over CSV records or plain objects: every cell
 * is a number, a missing value (the tokens pandas reads as NaN, plus `-`) or bad (anything
 * else). Each column keeps its values (NaN where missing or bad), its counts of missing and
 * bad cells and where its first bad cell is, so that the caller can decide per column — use
 * it, leave it out, or name the bad cell — without a second pass over the data.
 */
import { readCsvFile, type CsvOptions } from './csv.js';
import { describe } from '../validate.js';

/** pandas' default `na_values` (read_csv), and `-`, which spreadsheets print for "none". */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '',
  'NA',
  'N/A',
  'n/a',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '<NA>',
  'NaN',
  '-NaN',
  'nan',
  '-nan',
  'NULL',
  'null',
  'None',
  '-1.#IND',
  '1.#IND',
  '-1.#QNAN',
  '1.#QNAN',
  '-',
]);

/**
 * Decimal numbers only. `Number()` also takes "" and blanks (as 0, but those are missing
 * tokens here), "Infinity" (refused as not finite) and "0x1F", "0b1", "0o7" (refused by
 * their second character); a regular expression per cell would cost a third of the reading.
 */
function decimal(s: string): number | undefined {
  const n = Number(s);
  if (!Number.isFinite(n)) return undefined;
  const second = s.charCodeAt(1) | 0x20; // lower case
  return s.charCodeAt(0) === 48 && (second === 0x78 || second === 0x62 || second === 0x6f) ? undefined : n;
}

export interface Column {
  name: string;
  /** One per row; NaN where the cell is missing or bad. */
  values: Float64Array;
  missing: number;
  bad: number;
  /** The first bad cell: the line (CSV) or row (records) it is on, and the value as written. */
  firstBad: { at: number; value: string } | undefined;
}

export interface Table {
  columns: Column[];
  rows: number;
  /** What `firstBad.at` counts: CSV lines (the header is line 1) or record rows (from 1). */
  place: 'line' | 'row';
}

const MISSING = Symbol('missing');
const BAD = Symbol('bad');

function cellValue(v: unknown): number | typeof MISSING | typeof BAD {
  if (typeof v === 'string') {
    const s = v.trim();
    if (MISSING_TOKENS.has(s)) return MISSING;
    return decimal(s) ?? BAD;
  }
  if (typeof v === 'number') return Number.isNaN(v) ? MISSING : Number.isFinite(v) ? v : BAD;
  return v === null || v === undefined ? MISSING : BAD;
}

/** Grows by doubling, so adding n rows costs O(n) in all. */
class ColumnBuilder {
  values = new Float64Array(1024);
  missing = 0;
  bad = 0;
  firstBad: Column['firstBad'];

  add(row: number, v: unknown, at: number): void {
    if (row === this.values.length) {
      const grown = new Float64Array(row * 2);
      grown.set(this.values);
      this.values = grown;
    }
    const n = cellValue(v);
    if (typeof n === 'number') {
      this.values[row] = n;
      return;
    }
    this.values[row] = NaN;
    if (n === MISSING) this.missing++;
    else if (this.bad++ === 0) this.firstBad = { at, value: typeof v === 'string' ? v.trim() : describe(v) };
  }

  finish(name: string, rows: number): Column {
    return { name, values: this.values.slice(0, rows), missing: this.missing, bad: this.bad, firstBad: this.firstBad };
  }
}

/** Reads a CSV file (header row required) into a table; see lib/data/csv.ts for the syntax. */
export function readCsv(path: string, options: CsvOptions = {}): Table {
  let builders: ColumnBuilder[] = [];
  let rows = 0;
  const { columns } = readCsvFile(
    path,
    (fields, line) => {
      if (rows === 0) builders = fields.map(() => new ColumnBuilder());
      for (let j = 0; j < fields.length; j++) builders[j]!.add(rows, fields[j], line);
      rows++;
    },
    options,
  );
  if (rows === 0) builders = columns.map(() => new ColumnBuilder());
  return { columns: columns.map((name, j) => builders[j]!.finish(name, rows)), rows, place: 'line' };
}

/** Records (JSON objects): the first record's keys are the columns; an absent key is missing. */
export function tableFromRecords(records: readonly Record<string, unknown>[]): Table {
  const names = records.length > 0 ? Object.keys(records[0]!) : [];
  const builders = names.map(() => new ColumnBuilder());
  records.forEach((r, i) => names.forEach((name, j) => builders[j]!.add(i, Object.hasOwn(r, name) ? r[name] : undefined, i + 1)));
  return { columns: names.map((name, j) => builders[j]!.finish(name, records.length)), rows: records.length, place: 'row' };
}

/** The error for a column with bad cells, naming the first one. */
export function badCellError(table: Table, column: Column): TypeError {
  const { at, value } = column.firstBad!;
  const more = column.bad > 1 ? ` (and ${column.bad - 1} more in this column)` : '';
  return new TypeError(
    `${table.place} ${at}, column ${JSON.stringify(column.name)}: expected a number or a missing-value token (empty, NA, N/A, n/a, #N/A, NaN, null, None, -), received ${JSON.stringify(value)}${more}`,
  );
}
