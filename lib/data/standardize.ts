/** Feature standardisation: (x − mean) / std per column, fitted once on the training set. */
import { allocate, dtypeOf, type Matrix } from './matrix.js';

export interface Scaler {
  mean: Float64Array;
  /** 1 for a constant column, so it maps to 0 instead of dividing by zero. */
  std: Float64Array;
}

export function fitScaler(x: Matrix): Scaler {
  const mean = new Float64Array(x.cols);
  const std = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) mean[j]! += x.data[i * x.cols + j]!;
  for (let j = 0; j < x.cols; j++) mean[j]! /= x.rows;
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) std[j]! += (x.data[i * x.cols + j]! - mean[j]!) ** 2;
  }
  for (let j = 0; j < x.cols; j++) std[j] = Math.sqrt(std[j]! / x.rows) || 1;
  return { mean, std };
}

export function applyScaler(scaler: Scaler, x: Matrix): Matrix {
  const data = allocate(dtypeOf(x.data), x.data.length);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) data[i * x.cols + j] = (x.data[i * x.cols + j]! - scaler.mean[j]!) / scaler.std[j]!;
  }
  return { data, rows: x.rows, cols: x.cols };
}

/** Weights and bias of a model trained on standardised features, in the original units. */
export function unscaleCoefficients(scaler: Scaler, weights: ArrayLike<number>, bias: number): { weights: number[]; bias: number } {
  const raw = Array.from(weights, (w, j) => w / scaler.std[j]!);
  let b = bias;
  raw.forEach((w, j) => (b -= w * scaler.mean[j]!));
  return { weights: raw, bias: b };
}
