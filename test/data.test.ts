/** Data loading: records with missing values, CSV files, and the vega-datasets cars table. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adam } from '../lib/index.js';
import { CARS_FEATURES, loadCars } from '../lib/data/cars.js';
import { readCsv } from '../lib/data/csv.js';
import { datasetFromRecords } from '../lib/data/records.js';
import { LinearRegression } from '../lib/model/linear-regression.js';
import { Trainer } from '../lib/trainer/trainer.js';
import { leastSquares } from './helpers/least-squares.js';

describe('records to a training set', () => {
  it('drops rows with a missing target or feature and counts them', () => {
    const d = datasetFromRecords(
      [{ a: '1', b: '2', y: '3' }, { a: '', b: '2', y: '3' }, { a: '4', b: 'NA', y: '1' }, { a: '5', b: '6', y: null }, { a: '7', b: '8', y: '9' }],
      'y', undefined, 'f64',
    );
    expect(d.dropped).toBe(3);
    expect(d.features).toEqual(['a', 'b']);
    expect(Array.from(d.x.data)).toEqual([1, 2, 7, 8]);
    expect(Array.from(d.y)).toEqual([3, 9]);
  });

  it('names the row and column of a value that is not a number', () => {
    expect(() => datasetFromRecords([{ a: '1', y: '2' }, { a: 'x1', y: '3' }], 'y', ['a'], 'f64')).toThrow(/row 2, column "a": expected a number, received "x1"/);
    expect(() => datasetFromRecords([{ a: '1', y: '2' }], 'z', ['a'], 'f64')).toThrow(/no column "z"; the columns are: a, y/);
    expect(() => datasetFromRecords([], 'y', ['a'], 'f64')).toThrow(/no rows/);
  });

  it('reads a CSV file with a header row', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'adam-simd-data-')), 'd.csv');
    writeFileSync(path, 'x1,x2,y\n1,2,5\n2,,7\n3,1,4\n');
    const d = datasetFromRecords(readCsv(path), 'y', undefined, 'f32');
    expect(d.x.data).toEqual(new Float32Array([1, 2, 3, 1]));
    expect(d.dropped).toBe(1);
  });
});

describe('the cars data set (vega-datasets)', () => {
  const cars = loadCars('f64');

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
