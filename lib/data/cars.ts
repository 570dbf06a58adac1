/**
 * The `cars` table (406 cars of 1970–1982, StatLib's 1982 data set as vega-datasets publishes
 * it): predict Miles_per_Gallon from the engine and weight columns. The package ships it as
 * data/cars.csv (22 KB), so `adam-simd train cars` works from an installed package;
 * test/data.test.ts checks the CSV against vega-datasets' cars.json value for value. Some
 * rows lack the target or Horsepower; datasetFromTable drops them and reports how many.
 */
import { join } from 'node:path';
import { packageRoot } from '../package-root.cjs';
import type { Dtype } from './matrix.js';
import { datasetFromTable, type Dataset } from './records.js';
import { readCsv } from './table.js';

export const CARS_TARGET = 'Miles_per_Gallon';
export const CARS_FEATURES = ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration'];

/** The path of the shipped cars.csv. */
export function carsPath(): string {
  return join(packageRoot, 'data', 'cars.csv');
}

export function loadCars(dtype: Dtype = 'float64'): Dataset {
  return datasetFromTable(readCsv(carsPath()), CARS_TARGET, CARS_FEATURES, dtype);
}
