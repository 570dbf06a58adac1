/** CSV syntax (lib/data/csv.ts) and the numeric table built from it (lib/data/table.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv } from '../lib/data/csv.js';
import { datasetFromTable } from '../lib/data/records.js';
import { MISSING_TOKENS, readCsv, tableFromRecords } from '../lib/data/table.js';

function parse(text: string, delimiter?: string): { columns: string[]; records: [string[], number][]; delimiter: string } {
  const records: [string[], number][] = [];
  const { columns, delimiter: used } = parseCsv(text, (f, line) => records.push([f, line]), { delimiter });
  return { columns, records, delimiter: used };
}

const dir = mkdtempSync(join(tmpdir(), 'adam-simd-csv-'));
let files = 0;
function csvFile(text: string | Buffer): string {
  const path = join(dir, `t${files++}.csv`);
  writeFileSync(path, text);
  return path;
}

describe('parseCsv', () => {
  it('reads quoted fields: delimiters, "" escapes and line breaks inside quotes, with each record\'s first line', () => {
    const r = parse('name,note,y\n"Smith, J.","said ""hi""",1\n"two\nlines",x,2\nplain,"",3\n');
    expect(r.columns).toEqual(['name', 'note', 'y']);
    expect(r.records).toEqual([
      [['Smith, J.', 'said "hi"', '1'], 2],
      [['two\nlines', 'x', '2'], 3],
      [['plain', '', '3'], 5],
    ]);
  });

  it('takes CRLF, a BOM, no final line break and blank lines', () => {
    const r = parse('\uFEFFa,b\r\n1,2\r\n\r\n3,"4\r\n5"\r\n6,7');
    expect(r.columns).toEqual(['a', 'b']);
    expect(r.records).toEqual([
      [['1', '2'], 2],
      [['3', '4\r\n5'], 4],
      [['6', '7'], 6],
    ]);
  });

  it('detects ; tab and | from the header line (outside quotes), and takes a given delimiter', () => {
    expect(detectDelimiter('a;b;c\n1,5;2;3')).toBe(';');
    expect(detectDelimiter('a\tb\n')).toBe('\t');
    expect(detectDelimiter('"x;y"|b|c\n')).toBe('|');
    expect(detectDelimiter('single\n1\n')).toBe(',');
    expect(parse('a;b\n1,5;2\n').records).toEqual([[['1,5', '2'], 2]]);
    expect(parse('a;b\n1;2\n', ',').records).toEqual([[['1;2'], 2]]);
  });

  it('names the line of a malformed record', () => {
    expect(() => parse('a,b\n1,2\n3\n')).toThrow(
      /^line 3: expected 2 fields like the header, received 1 \(delimiter ","; --delimiter sets another\)$/,
    );
    expect(() => parse('a,b\n1,"2\n\n')).toThrow(/^line 2: a quoted field is never closed$/);
    expect(() => parse('a,b\n"x\ny"z,2\n')).toThrow(/^line 3: unexpected "z" after the closing quote/);
    expect(() => parse('a,b,a\n1,2,3\n')).toThrow(/^line 1: the column name "a" appears twice \(fields 1 and 3\)$/);
    expect(() => parse('\n\n')).toThrow(/no header row/);
    expect(() => parse('a\n', '""')).toThrow(TypeError);
    expect(() => parse('a\n', '"')).toThrow(/^delimiter must be one character other than a quote or a line break, received "\\""$/);
  });

  it('reports progress up to 1', () => {
    const seen: number[] = [];
    parseCsv('a\n' + '1\n'.repeat(70_000), () => undefined, { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBe(2);
    expect(seen[0]).toBeGreaterThan(0.9);
    expect(seen[0]).toBeLessThan(1);
    expect(seen[1]).toBe(1);
  });
});

describe('numeric table and data set', () => {
  it('counts every pandas missing-value token and "-" as missing, per column, and drops those rows', () => {
    const tokens = [...MISSING_TOKENS];
    expect(tokens).toEqual(expect.arrayContaining(['', 'NA', 'N/A', 'n/a', '#N/A', 'NaN', 'null', '-', 'None']));
    const rows = tokens.map((t, i) => `${i},"${t}",${i * 2}`);
    const table = readCsv(csvFile(`a,b,y\n${rows.join('\n')}\n5,7,9\n 6 , 8 ,10\n`));
    expect(table.columns.map((c) => [c.name, c.missing, c.bad])).toEqual([
      ['a', 0, 0],
      ['b', tokens.length, 0],
      ['y', 0, 0],
    ]);
    const d = datasetFromTable(table, 'y', undefined, 'float64');
    expect(d.dropped).toBe(tokens.length);
    expect(d.missing).toEqual([{ column: 'b', count: tokens.length }]);
    expect(Array.from(d.x.data)).toEqual([5, 7, 6, 8]);
    expect(Array.from(d.y)).toEqual([9, 10]);
  });

  it('names the line (1-based, quoted line breaks counted), column and value of a bad cell in a numeric column', () => {
    const lines = ['area,rooms,age,price', ...Array.from({ length: 30 }, (_, i) => `${i},${i % 4},${i % 9},${3 * i}`)];
    lines[3] = '2,"2\n",n/a,6'; // a missing age (line 4, with a line break in the quoted rooms)
    lines[20] = '19,3,abc,57'; // line 22 in the file: the quoted field above took two lines
    const path = csvFile(lines.join('\n') + '\n');
    expect(() => datasetFromTable(readCsv(path), 'price', undefined, 'float64')).toThrow(
      /^line 22, column "age": expected a number or a missing-value token \(empty, NA, N\/A, n\/a, #N\/A, NaN, null, None, -\), received "abc"$/,
    );
    expect(() => datasetFromTable(readCsv(path), 'price', ['area', 'age'], 'float64')).toThrow(TypeError);
    // Chosen features without age: the bad cell is not read as a feature.
    expect(datasetFromTable(readCsv(path), 'price', ['area', 'rooms'], 'float64').x.rows).toBe(30);
  });

  it('refuses numbers JavaScript would read but a CSV does not mean: hex, Infinity, 1e999', () => {
    for (const v of ['0x10', '0B1', '0o7', 'Infinity', '-Infinity', '1e999', '1,5', '1 2', '1_000', '.']) {
      const path = csvFile(`a,y\n1,2\n3,4\n"${v}",5\n6,7\n`);
      expect(() => datasetFromTable(readCsv(path), 'y', undefined, 'float64')).toThrow(`line 4, column "a"`);
    }
    expect(Array.from(datasetFromTable(readCsv(csvFile('a,y\n+1.5,-.5\n2E3,1.\n')), 'y', undefined, 'float64').x.data)).toEqual([
      1.5, 2000,
    ]);
  });

  it("lists every column left out of automatic features and why; counts a bad cell's company", () => {
    const body = Array.from({ length: 6 }, (_, i) => `car ${i},${i},,${i % 2 ? 'x' : 1},${i * 3}`).join('\n');
    const d = datasetFromTable(readCsv(csvFile(`name,w,blank,mixed,y\n${body}\n`)), 'y', undefined, 'float32');
    expect(d.features).toEqual(['w']);
    expect(d.leftOut).toEqual([
      { column: 'name', reason: 'not numeric (6 of 6 values are not numbers, e.g. "car 0" on line 2)' },
      { column: 'blank', reason: 'every value is missing' },
      { column: 'mixed', reason: 'not numeric (3 of 6 values are not numbers, e.g. "x" on line 3)' },
    ]);
    expect(d.x.data).toBeInstanceOf(Float32Array);
    const mostly = Array.from({ length: 6 }, (_, i) => `${i === 1 || i === 4 ? '?' : i},${i}`).join('\n');
    expect(() => datasetFromTable(readCsv(csvFile(`a,y\n${mostly}\n`)), 'y', undefined, 'float64')).toThrow(
      /^line 3, column "a": .* received "\?" \(and 1 more in this column\)$/,
    );
    expect(() => datasetFromTable(readCsv(csvFile('name,y\nx,1\n')), 'y', undefined, 'float64')).toThrow(
      /^no numeric feature columns besides the target "y": name is not numeric/,
    );
  });

  it('reads ; tab, BOM and CRLF files to the same data set as the plain CSV', () => {
    const plain = datasetFromTable(readCsv(csvFile('a,b,y\n1,2,3\n4,5,6\n')), 'y', undefined, 'float64');
    for (const text of [
      'a;b;y\n1;2;3\n4;5;6\n',
      'a\tb\ty\n1\t2\t3\n4\t5\t6\n',
      '\uFEFFa,b,y\r\n1,2,3\r\n4,5,6\r\n',
      '"a","b","y"\n"1","2","3"\n"4","5","6"\n',
    ]) {
      const d = datasetFromTable(readCsv(csvFile(text)), 'y', undefined, 'float64');
      expect({ features: d.features, x: Array.from(d.x.data), y: Array.from(d.y) }).toEqual({
        features: plain.features,
        x: Array.from(plain.x.data),
        y: Array.from(plain.y),
      });
    }
    // A UTF-8 BOM written as bytes, as Excel does.
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,y\n1,2\n')]);
    expect(readCsv(csvFile(bom)).columns.map((c) => c.name)).toEqual(['a', 'y']);
  });

  it('records (JSON objects): numbers, null, NaN and absent keys are missing; other values are named by row', () => {
    const t = tableFromRecords([{ a: 1, y: 2 }, { a: null, y: 3 }, { a: NaN, y: 4 }, { y: 5 }, { a: '7', y: 8 }]);
    expect(t.columns.map((c) => c.missing)).toEqual([3, 0]);
    expect(Array.from(datasetFromTable(t, 'y', ['a'], 'float64').x.data)).toEqual([1, 7]);
    expect(() =>
      datasetFromTable(
        tableFromRecords([
          { a: 1, y: 1 },
          { a: true, y: 2 },
          { a: 3, y: 3 },
          { a: 4, y: 4 },
        ]),
        'y',
        ['a'],
        'float64',
      ),
    ).toThrow(/^row 2, column "a": .* received "true"$/);
  });
});
