/** Regression metrics, in float64 whatever the data's type. */
import type { FloatArray } from '../../binding.js';
import { checkFloatArray } from '../validate.js';

export interface Metrics {
  mse: number;
  mae: number;
  /** 1 − SS_res / SS_tot (NaN when y is constant). */
  r2: number;
}

export function regressionMetrics(predicted: FloatArray, y: FloatArray): Metrics {
  checkFloatArray('regressionMetrics: predicted', predicted);
  checkFloatArray('regressionMetrics: y', y);
  if (predicted.length !== y.length)
    throw new RangeError(`regressionMetrics: predicted has ${predicted.length} values but y has ${y.length}`);
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let ssRes = 0;
  let abs = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const e = predicted[i]! - y[i]!;
    ssRes += e * e;
    abs += Math.abs(e);
    ssTot += (y[i]! - mean) ** 2;
  }
  return { mse: ssRes / n, mae: abs / n, r2: ssTot === 0 ? NaN : 1 - ssRes / ssTot };
}
