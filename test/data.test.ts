/** Data loading: records with missing values, CSV files, and the shipped cars table. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adam } from '../lib/index.js';
import { CARS_FEATURES, carsPath, loadCars } from '../lib/data/cars.js';
import { datasetFromRecords, datasetFromTable } from '../lib/data/records.js';
import { readCsv } from '../lib/data/table.js';
import { LinearRegression } from '../lib/model/linear-regression.js';
import { Trainer } from '../lib/trainer/trainer.js';
import { leastSquares } from './helpers/least-squares.js';

describe('records to a training set', () => {
  it('drops rows with a missing target or feature and counts them', () => {
    const d = datasetFromRecords(
      [
        { a: '1', b: '2', y: '3' },
        { a: '', b: '2', y: '3' },
        { a: '4', b: 'NA', y: '1' },
        { a: '5', b: '6', y: null },
        { a: '7', b: '8', y: '9' },
      ],
      'y',
      undefined,
      'float64',
    );
    expect(d.dropped).toBe(3);
    expect(d.missing).toEqual([
      { column: 'y', count: 1 },
      { column: 'a', count: 1 },
      { column: 'b', count: 1 },
    ]);
    expect(d.features).toEqual(['a', 'b']);
    expect(Array.from(d.x.data)).toEqual([1, 2, 7, 8]);
    expect(Array.from(d.y)).toEqual([3, 9]);
  });

  it('names the row and column of a value that is not a number', () => {
    expect(() =>
      datasetFromRecords(
        [
          { a: '1', y: '2' },
          { a: 'x1', y: '3' },
        ],
        'y',
        ['a'],
        'float64',
      ),
    ).toThrow(/^row 2, column "a": expected a number or a missing-value token \(.*\), received "x1"$/);
    expect(() => datasetFromRecords([{ a: '1', y: '2' }], 'z', ['a'], 'float64')).toThrow(/no column "z"; the columns are: a, y/);
    expect(() => datasetFromRecords([], 'y', ['a'], 'float64')).toThrow(/no rows/);
  });

  it('reads a CSV file with a header row', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'adam-simd-data-')), 'd.csv');
    writeFileSync(path, 'x1,x2,y\n1,2,5\n2,,7\n3,1,4\n');
    const d = datasetFromTable(readCsv(path), 'y', undefined, 'float32');
    expect(d.x.data).toEqual(new Float32Array([1, 2, 3, 1]));
    expect(d.dropped).toBe(1);
  });
});

describe('the cars data set (shipped as data/cars.csv)', () => {
  const cars = loadCars('float64');

  it("holds vega-datasets' cars.json value for value (null as an empty cell)", () => {
    const json = JSON.parse(
      readFileSync(join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data', 'cars.json'), 'utf8'),
    ) as Record<string, unknown>[];
    const table = readCsv(carsPath());
    expect(table.rows).toBe(json.length);
    const names = Object.keys(json[0]!);
    expect(table.columns.map((c) => c.name)).toEqual(names);
    const fromJson = datasetFromRecords(json, 'Miles_per_Gallon', CARS_FEATURES, 'float64');
    expect({ x: Array.from(cars.x.data), y: Array.from(cars.y) }).toEqual({ x: Array.from(fromJson.x.data), y: Array.from(fromJson.y) });
    // The text columns too, cell by cell.
    const lines = readFileSync(carsPath(), 'utf8').trimEnd().split('\n').slice(1);
    lines.forEach((line, i) => expect(line.split(',')).toEqual(names.map((n) => (json[i]![n] === null ? '' : String(json[i]![n])))));
  });

  it('keeps the 392 complete rows of 406 (8 lack the target, 6 Horsepower)', () => {
    expect(cars.x.rows + cars.dropped).toBe(406);
    expect(cars.dropped).toBe(14);
    expect(cars.features).toEqual(CARS_FEATURES);
  });

  it('standardised Adam training reaches the direct least-squares fit of mpg', () => {
    const direct = leastSquares(cars.x, cars.y);
    const model = new LinearRegression(cars.x.cols, { seed: 0 });
    const trainer = new Trainer(model, new Adam(model.params, { lr: 0.05 }), { epochs: 6000, standardize: true });
    trainer.train(cars.x, cars.y);
    const c = trainer.coefficients();
    c.weights.forEach((w, j) => expect(Math.abs(w - direct.weights[j]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(direct.weights[j]!))));
    expect(Math.abs(c.bias - direct.bias)).toBeLessThan(1e-5);
    // heavier cars go fewer miles per gallon
    expect(c.weights[CARS_FEATURES.indexOf('Weight_in_lbs')]).toBeLessThan(0);
    expect(trainer.evaluate(cars.x, cars.y).r2).toBeGreaterThan(0.7);
  });
});
