/**
 * CSV text to records, one pass over the characters (linear in the file's size): RFC 4180
 * quoting (`"a, b"`, `""` for a quote, newlines inside quotes), LF or CRLF line endings, a
 * UTF-8 byte-order mark, and the delimiter given or detected from the header line (`;` files
 * are common where the decimal separator is a comma). Each record comes with the 1-based line
 * it starts on, as an editor shows it, so a bad value can be named by its line.
 */
import { readFileSync } from 'node:fs';
import { typeError } from '../validate.js';

/** Tried in this order when no delimiter is given; the header line's most frequent one wins. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;

export interface CsvOptions {
  /** One character; default: detected from the header line (`,` `;` tab `|`), else `,`. */
  delimiter?: string;
  /** Called with the fraction of the text read so far, every 65,536 records and at the end. */
  onProgress?: (fraction: number) => void;
}

/** Receives each data record's fields (unquoted, not trimmed) and the line it starts on. */
export type RecordSink = (fields: string[], line: number) => void;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const PROGRESS_EVERY = 65_536;

export function checkDelimiter(delimiter: unknown): string {
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw typeError('delimiter', 'one character other than a quote or a line break', delimiter);
  }
  return delimiter;
}

/** The candidate that occurs most often outside quotes in the first line (ties: list order). */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best: string = DELIMITERS[0];
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * Parses `text`; returns the header's names (trimmed) and calls `sink` for every other
 * non-empty record. Throws a RangeError naming the line for an unclosed quote, text after a
 * closing quote, a record whose field count differs from the header's, a missing header or a
 * repeated column name.
 */
export function parseCsv(text: string, sink: RecordSink, options: CsvOptions = {}): { columns: string[]; delimiter: string } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = options.delimiter === undefined ? detectDelimiter(text) : checkDelimiter(options.delimiter);
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  let columns: string[] | undefined;
  let pos = 0;
  let line = 1;
  let records = 0;

  while (pos < n) {
    const start = line;
    const fields: string[] = [];
    // One record: fields up to an unquoted line end (or the end of the text).
    for (;;) {
      let field: string;
      if (text.charCodeAt(pos) === QUOTE) {
        let value = '';
        let from = pos + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) throw new RangeError(`line ${start}: a quoted field is never closed`);
          value += text.slice(from, close);
          for (let k = from; k < close; k++) if (text.charCodeAt(k) === LF) line++;
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            from = close + 2;
          } else {
            pos = close + 1;
            break;
          }
        }
        field = value;
        // Only spaces may separate the closing quote from the delimiter or the line end.
        while (text.charCodeAt(pos) === 32) pos++;
        const c = text.charCodeAt(pos);
        if (pos < n && c !== delim && c !== LF && c !== CR) {
          throw new RangeError(
            `line ${line}: unexpected ${JSON.stringify(text[pos])} after the closing quote of a field (write a quote inside a quoted field as "")`,
          );
        }
      } else {
        let end = pos;
        for (; end < n; end++) {
          const c = text.charCodeAt(end);
          if (c === delim || c === LF || c === CR) break;
        }
        field = text.slice(pos, end);
        pos = end;
      }
      fields.push(field);
      const c = text.charCodeAt(pos);
      if (pos < n && c === delim) {
        pos++;
        continue;
      }
      if (c === CR) pos++;
      if (text.charCodeAt(pos) === LF) pos++;
      line++;
      break;
    }
    // A blank line is no record (pandas' skip_blank_lines).
    if (fields.length === 1 && fields[0]!.trim() === '') continue;
    if (!columns) {
      columns = fields.map((f) => f.trim());
      checkHeader(columns);
      continue;
    }
    if (fields.length !== columns.length) {
      throw new RangeError(
        `line ${start}: expected ${columns.length} fields like the header, received ${fields.length} (delimiter ${JSON.stringify(delimiter)}; --delimiter sets another)`,
      );
    }
    sink(fields, start);
    if (++records % PROGRESS_EVERY === 0) options.onProgress?.(pos / n);
  }
  if (!columns) throw new RangeError('the CSV has no header row');
  options.onProgress?.(1);
  return { columns, delimiter };
}

function checkHeader(columns: string[]): void {
  const seen = new Map<string, number>();
  columns.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined)
      throw new RangeError(`line 1: the column name ${JSON.stringify(name)} appears twice (fields ${first + 1} and ${i + 1})`);
    seen.set(name, i);
  });
}

/** parseCsv over a UTF-8 file. */
export function readCsvFile(path: string, sink: RecordSink, options: CsvOptions = {}): { columns: string[]; delimiter: string } {
  return parseCsv(readFileSync(path, 'utf8'), sink, options);
}
