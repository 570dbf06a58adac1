/**
 * The `cars` table of vega-datasets (406 cars of 1970–1982): predict Miles_per_Gallon from
 * the engine and weight columns. Some rows lack the target or Horsepower; datasetFromRecords
 * drops them and reports how many.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dtype } from './matrix.js';
import { datasetFromRecords, type Dataset, type DataRecord } from './records.js';

export const CARS_TARGET = 'Miles_per_Gallon';
export const CARS_FEATURES = ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration'];

/** The path of cars.json inside the installed vega-datasets package (its exports hide data/). */
export function carsPath(): string {
  const main = createRequire(import.meta.url).resolve('vega-datasets');
  return join(dirname(main), '..', 'data', 'cars.json');
}

export function loadCars(dtype: Dtype = 'f64'): Dataset {
  const records = JSON.parse(readFileSync(carsPath(), 'utf8')) as DataRecord[];
  return datasetFromRecords(records, CARS_TARGET, CARS_FEATURES, dtype);
}
