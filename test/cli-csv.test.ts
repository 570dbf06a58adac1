/**
 * The adam-simd binary (compiled from lib/ for this test) on CSV files the test writes: bad
 * cells, missing-value tokens, `;` BOM CRLF and quoted files, --delimiter, --validation with
 * the plot, and the train --save → predict round trip, bit for bit.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam, Dense, LinearRegression, Sequential, Trainer } from '../lib/index.js';
import { datasetFromTable } from '../lib/data/records.js';
import { holdOut } from '../lib/data/split.js';
import { readCsv } from '../lib/data/table.js';
import { expectSameBits } from './helpers/bits.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the package (ignored by git), so the compiled CLI finds the package root and data/.
const compiled = join(root, '.vitest', `cli-${process.pid}`);
const dir = mkdtempSync(join(tmpdir(), 'adam-simd-cli-csv-'));

beforeAll(() => {
  mkdirSync(compiled, { recursive: true });
  const tsc = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(root, 'tsconfig.json'),
      '--outDir',
      compiled,
      '--declaration',
      'false',
      '--sourceMap',
      'false',
    ],
    { encoding: 'utf8' },
  );
  if (tsc.status !== 0) throw new Error(`tsc failed: ${tsc.stdout}${tsc.stderr}`);
});
afterAll(() => rmSync(compiled, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(compiled, 'cli', 'main.js'), ...args], { encoding: 'utf8', timeout: 50_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The 2,000-row table: price from area, rooms, age, dist and noise, exactly linear. */
function houses(edit: (cells: string[][]) => void = () => undefined): string {
  const cells = Array.from({ length: 2000 }, (_, i) => {
    const area = 40 + (i % 97);
    const rooms = 1 + (i % 5);
    const age = (i * 7) % 60;
    const dist = ((i * 13) % 29) / 2;
    const noise = 40 + ((i * 3) % 31);
    return [area, rooms, age, dist, noise, 3 * area + 10 * rooms - 0.5 * age - 2 * dist - 0.25 * noise + 7].map(String);
  });
  edit(cells);
  return ['area,rooms,age,dist,noise_db,price', ...cells.map((r) => r.join(','))].join('\n') + '\n';
}

const fit = ['--standardize', '--lr', '0.1', '--epochs', '400', '--no-progress'];

describe('adam-simd train on CSV files', () => {
  it('a bad cell in a numeric column is an error naming line, column and value; nothing is trained', () => {
    const path = file(
      'bad-cell.csv',
      houses((c) => (c[699]![2] = 'abc')),
    );
    const r = cli('train', path, '--target', 'price', ...fit, '--save', join(dir, 'never.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'adam-simd: line 701, column "age": expected a number or a missing-value token (empty, NA, N/A, n/a, #N/A, NaN, null, None, -), received "abc"\n',
    );
    expect(r.stdout).toBe('');
  });

  it('missing-value tokens drop their rows, counted per column', () => {
    const path = file(
      'na.csv',
      houses((c) => {
        c[699]![2] = 'n/a';
        c[10]![2] = 'NA';
        c[11]![3] = '';
        c[12]![5] = '#N/A';
      }),
    );
    const r = cli('train', path, '--target', 'price', ...fit);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^1996 rows × 5 features → price \(4 rows with a missing value dropped\)\nmissing values: price 1, age 2, dist 1\n/,
    );
  });

  it('lists the columns left out of automatic features, and why', () => {
    const path = file(
      'left-out.csv',
      'id,name,x,y\n' + Array.from({ length: 20 }, (_, i) => `${i},"Car ${i}, blue",${i / 4},${i / 2 + 1}`).join('\n') + '\n',
    );
    const r = cli('train', path, '--target', 'y', ...fit);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '20 rows × 2 features → y\nleft out: name: not numeric (20 of 20 values are not numbers, e.g. "Car 0, blue" on line 2)\n',
    );
  });

  it('a ; file with a BOM, CRLF and quoted fields trains exactly like the plain CSV', () => {
    const plain = houses();
    const semicolon =
      '\uFEFF' +
      plain
        .split('\n')
        .map((line) =>
          line
            .split(',')
            .map((v, j) => (j === 1 ? `"${v}"` : v))
            .join(';'),
        )
        .join('\r\n');
    const a = cli('train', file('plain.csv', plain), '--target', 'price', ...fit, '--save', join(dir, 'plain.json'));
    const b = cli('train', file('semicolon.csv', semicolon), '--target', 'price', ...fit, '--save', join(dir, 'semicolon.json'));
    expect([a.status, b.status]).toEqual([0, 0]);
    expect(a.stdout).toMatch(/^2000 rows × 5 features → price\n/);
    const model = (p: string) => (JSON.parse(readFileSync(p, 'utf8')) as { model: unknown }).model;
    expect(model(join(dir, 'semicolon.json'))).toEqual(model(join(dir, 'plain.json')));
  });

  it('--delimiter overrides the detection; a bad one is refused', () => {
    // One comma and one ; in the header: detection takes the comma, the file means ;.
    const path = file('override.csv', 'w,h;y\n1;2\n2;4\n3;6\n');
    expect(cli('train', path, '--target', 'y', ...fit).stderr).toBe(
      'adam-simd: line 2: expected 2 fields like the header, received 1 (delimiter ","; --delimiter sets another)\n',
    );
    const r = cli('train', path, '--target', 'y', '--delimiter', ';', ...fit);
    expect(r.stdout).toMatch(/^3 rows × 1 features → y\n/);
    expect(cli('train', path, '--target', 'y', '--delimiter', ';;').stderr).toMatch(
      /option '--delimiter <char>' argument ';;' is invalid\. delimiter must be one character/,
    );
  });
});

describe('adam-simd train --validation, --plot', () => {
  it('reports training and validation metrics and draws both curves on a labelled log-scale chart', () => {
    const svg = join(dir, 'curves.svg');
    const r = cli('train', file('val.csv', houses()), '--target', 'price', ...fit, '--validation', '0.2', '--seed', '3', '--plot', svg);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^validation: 400 rows held out \(seed 3\), training on 1600$/m);
    expect(r.stdout).toMatch(/^training +MSE \S+ +MAE \S+ +R² \S+ +\(1600 rows; 400 epochs/m);
    expect(r.stdout).toMatch(/^validation MSE \S+ +MAE \S+ +R² \S+ +\(400 rows, held out\)$/m);
    const chart = readFileSync(svg, 'utf8');
    expect(chart.match(/<path d="M/g)).toHaveLength(2);
    for (const label of ['>training<', '>validation<', '>epoch<', '>MSE loss (log scale)<', 'price: linear, adam lr 0.1'])
      expect(chart).toContain(label);
    expect(cli('train', file('val2.csv', houses()), '--target', 'price', '--validation', '1.5').stderr).toMatch(
      /expected a fraction of the rows in \(0, 1\), such as 0\.2, received "1\.5"/,
    );
  });
});

describe('adam-simd predict', () => {
  it("train --save → predict reproduces the trainer's predictions bit for bit (standardised, held-out split)", () => {
    const data = file(
      'roundtrip.csv',
      houses((c) => (c[5]![1] = 'NA')),
    );
    const model = join(dir, 'roundtrip.json');
    const out = join(dir, 'predictions.csv');
    const args = ['--lr', '0.1', '--epochs', '300', '--seed', '5', '--validation', '0.25'];
    expect(
      cli('train', data, '--target', 'price', '--standardize', '--dtype', 'f32', '--no-progress', ...args, '--save', model).status,
    ).toBe(0);
    const r = cli('predict', model, data, '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^1999 predictions of price from 5 features \(1 row with a missing feature left empty\)\nagainst price in the CSV: MSE/,
    );

    // The same training by hand through the library.
    const set = datasetFromTable(readCsv(data), 'price', undefined, 'float32');
    const split = holdOut(set.x, set.y, 0.25, 5);
    const lr = new LinearRegression(5, { dtype: 'float32', seed: 5 });
    const trainer = new Trainer(lr, new Adam(lr.params, { lr: 0.1 }), { epochs: 300, standardize: true, seed: 5 });
    trainer.train(split.train.x, split.train.y);
    const expected = trainer.predict(set.x);

    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines[0]).toBe('predicted_price');
    expect(lines[6]).toBe(''); // data row 6 (line 7) lacks rooms
    expect(lines.length).toBe(2002); // header, 2000 rows, final newline
    const predicted = Float32Array.from(
      lines.slice(1, -1).filter((l) => l !== ''),
      Number,
    );
    expectSameBits(predicted, expected as Float32Array, 'predictions');
  });

  it("train --hidden → predict: the network's predictions bit for bit, and its file is validated", () => {
    const data = file('network.csv', houses());
    const model = join(dir, 'network.json');
    const out = join(dir, 'network-predictions.csv');
    const r = cli(
      'train',
      data,
      '--target',
      'price',
      '--standardize',
      '--hidden',
      '8,4',
      '--activation',
      'tanh',
      '--lr',
      '0.01',
      '--epochs',
      '20',
      '--batch-size',
      '64',
      '--seed',
      '2',
      '--no-progress',
      '--save',
      model,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('network 5 → 8 tanh → 4 tanh → 1 (89 parameters)');
    expect(r.stdout).not.toContain('coefficient');
    expect(cli('predict', model, data, '--out', out).status).toBe(0);

    const set = datasetFromTable(readCsv(data), 'price', undefined, 'float64');
    const net = new Sequential(
      [new Dense({ units: 8, activation: 'tanh', inputSize: 5 }), new Dense({ units: 4, activation: 'tanh' }), new Dense({ units: 1 })],
      { dtype: 'float64', seed: 2 },
    );
    const trainer = new Trainer(net, new Adam(net.params, { lr: 0.01 }), { epochs: 20, batchSize: 64, standardize: true, seed: 2 });
    trainer.train(set.x, set.y);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expectSameBits(Float64Array.from(lines.slice(1), Number), trainer.predict(set.x), 'network predictions');

    const json = JSON.parse(readFileSync(model, 'utf8')) as {
      weights: Record<string, unknown[]>;
      architecture: { layers: { units: unknown }[] };
    };
    json.weights['dense1.bias']![2] = '0.5';
    expect(cli('predict', file('net-string.json', JSON.stringify(json)), data).stderr).toMatch(
      /is not a valid adam-simd model file: weights\["dense1\.bias"\]\[2\] must be a number, received "0\.5"\n$/,
    );
    json.weights['dense1.bias']!.pop();
    expect(cli('predict', file('net-short.json', JSON.stringify(json)), data).stderr).toMatch(
      /weights\["dense1\.bias"\] must have 4 elements, received 3\n$/,
    );
    json.architecture.layers[1]!.units = 0;
    expect(cli('predict', file('net-layer.json', JSON.stringify(json)), data).stderr).toMatch(
      /architecture\.layers\[1\]: Dense: options\.units must be an integer ≥ 1, received 0\n$/,
    );
    expect(cli('train', data, '--target', 'price', '--hidden', '8,0').stderr).toMatch(
      /option '--hidden <units>' argument '8,0' is invalid/,
    );
  });

  it('refuses a CSV that lacks a feature column, naming it, and a bad cell in a feature', () => {
    const model = join(dir, 'small.json');
    expect(cli('train', file('small.csv', 'a,b,y\n1,2,3\n2,1,4\n3,5,9\n'), '--target', 'y', ...fit, '--save', model).status).toBe(0);
    const r = cli('predict', model, file('wrong.csv', 'a,c\n1,2\n'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `adam-simd: ${join(dir, 'wrong.csv')} lacks the model's feature column "b" (the model reads a, b; the CSV has a, c)\n`,
    );
    expect(cli('predict', model, file('bad.csv', 'a,b\n1,2\n1,x\n')).stderr).toMatch(/^adam-simd: line 3, column "b": .* received "x"\n$/);
    // Without --out the predictions go to stdout (pipeable), the summary to stderr.
    const piped = cli('predict', model, file('extra.csv', 'id;b;a\n7;2;1\n8;;2\n'));
    expect(piped.stdout).toMatch(/^predicted_y\n-?[\d.e+-]+\n\n$/);
    expect(piped.stderr).toBe('1 predictions of y from 2 features (1 row with a missing feature left empty)\nignored columns: id\n');
  });

  it('refuses a model file whose numbers are strings', () => {
    const model = join(dir, 'small.json');
    const json = JSON.parse(readFileSync(model, 'utf8')) as { model: { weights: unknown[] } };
    json.model.weights[1] = '2.5';
    const broken = file('broken.json', JSON.stringify(json));
    expect(cli('predict', broken, join(dir, 'small.csv')).stderr).toBe(
      `adam-simd: ${broken} is not a valid adam-simd model file: LinearRegression.fromJSON: json.weights[1] must be a number, received "2.5"\n`,
    );
  });
});

describe('progress', () => {
  it('the progress bar covers reading and training', () => {
    const r = cli('train', 'cars', '--epochs', '100', '--standardize');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^reading +\|.*\| 100%$/m);
    expect(r.stderr).toMatch(/^training \|.*\| 100\/100 epochs/m);
  });
});
