// CSV ingestion: rows per second of reading a 1,000,000-row, 6-column file (the shape of
// issue 17's house prices, one cell in 1,000 missing) into a float64 training set, the way
// `adam-simd train` reads it: parse (lib/data/csv.ts), classify every cell into numeric
// columns (lib/data/table.ts), drop incomplete rows and build X and y (lib/data/records.ts).
// It used to be quadratic in rows (records.indexOf per row: 400,000 rows took 22.8 s); the
// time per row must not grow with the file, so it is also timed on a tenth of the file.
// Run: npx tsc -p . && node bench/csv.js [rows]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine } from './machine.js';
import { seededRandom } from '../dist/data/random.js';
import { readCsv } from '../dist/data/table.js';
import { datasetFromTable } from '../dist/data/records.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const REPEATS = 3;
const dir = mkdtempSync(join(tmpdir(), 'adam-simd-bench-csv-'));

function writeHouses(rows) {
  const random = seededRandom(7);
  const lines = ['area,rooms,age,dist,noise_db,price'];
  for (let i = 0; i < rows; i++) {
    const area = (40 + random() * 160).toFixed(2);
    const rooms = 1 + Math.floor(random() * 6);
    const age = random() < 0.001 ? 'NA' : String(Math.floor(random() * 80));
    const dist = (random() * 30).toFixed(3);
    const noise = (30 + random() * 50).toFixed(1);
    lines.push(`${area},${rooms},${age},${dist},${noise},${Math.round(3000 * area + 10000 * rooms - 2000 * dist)}`);
  }
  const path = join(dir, `houses-${rows}.csv`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function time(path) {
  const seconds = [];
  let data;
  for (let r = 0; r < REPEATS; r++) {
    const start = process.hrtime.bigint();
    data = datasetFromTable(readCsv(path), 'price', undefined, 'float64');
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  seconds.sort((a, b) => a - b);
  return { seconds: seconds[Math.floor(REPEATS / 2)], data };
}

try {
  console.log(describeMachine());
  for (const rows of [Math.round(ROWS / 10), ROWS]) {
    const path = writeHouses(rows);
    const { seconds, data } = time(path);
    const mb = statSync(path).size / 1e6;
    console.log(
      `csv ${rows} rows (${mb.toFixed(1)} MB) → ${data.x.rows} × ${data.x.cols} (${data.dropped} dropped): ${seconds.toFixed(3)} s, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s, ${(mb / seconds).toFixed(1)} MB/s (median of ${REPEATS})`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
