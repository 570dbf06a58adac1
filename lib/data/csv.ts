/** Reads a CSV file (header row required) into records for datasetFromRecords. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { DataRecord } from './records.js';

export function readCsv(path: string): DataRecord[] {
  const text = readFileSync(path, 'utf8');
  return parse(text, { columns: true, skip_empty_lines: true, trim: true }) as DataRecord[];
}
