/**
 * The checks of a batch against a network, before any kernel runs: shapes, dtype, finite
 * values (named by row and column), labels and targets the loss can take.
 */
import type { FloatArray, MlpLossName } from '../../binding.js';
import { dtypeOf, type Dtype, type Matrix } from '../data/matrix.js';
import { describe } from '../validate.js';

export const LOSSES = ['mse', 'mae', 'huber', 'binaryCrossentropy', 'sparseCategoricalCrossentropy'] as const;

/** Keras' snake_case names of the same losses. */
const ALIASES: Record<string, MlpLossName> = {
  mean_squared_error: 'mse',
  mean_absolute_error: 'mae',
  binary_crossentropy: 'binaryCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

export function lossName(where: string, value: unknown): MlpLossName {
  if (typeof value === 'string' && (LOSSES as readonly string[]).includes(value)) return value as MlpLossName;
  if (typeof value === 'string' && value in ALIASES) return ALIASES[value]!;
  throw new TypeError(
    `${where} must be one of ${LOSSES.map((l) => `'${l}'`).join(', ')} (or Keras' snake_case name), received ${describe(value)}`,
  );
}

export interface NetworkShape {
  inputs: number;
  units: number;
  lastActivation: string;
  dtype: Dtype;
}

export function checkInputs(where: string, x: Matrix, net: NetworkShape): void {
  if (typeof x !== 'object' || x === null || !(x.data instanceof Float32Array || x.data instanceof Float64Array)) {
    throw new TypeError(
      `${where}: X must be a Matrix { data, rows, cols } over a Float32Array or Float64Array (see matrixFromRows), received ${describe(x)}`,
    );
  }
  if (!Number.isInteger(x.rows) || x.rows < 1 || !Number.isInteger(x.cols) || x.data.length !== x.rows * x.cols) {
    throw new RangeError(`${where}: X must have rows · cols = ${x.rows} · ${x.cols} elements (rows ≥ 1), received ${x.data.length}`);
  }
  if (x.cols !== net.inputs)
    throw new RangeError(`${where}: X has ${x.cols} columns but the first layer takes ${net.inputs} inputs (inputSize)`);
  if (dtypeOf(x.data) !== net.dtype) throw new TypeError(`${where}: X holds ${dtypeOf(x.data)} data but the model is ${net.dtype}`);
  for (let p = 0; p < x.data.length; p++) {
    if (!Number.isFinite(x.data[p])) {
      const row = Math.floor(p / x.cols);
      throw new RangeError(`${where}: X[${row}][${p % x.cols}] (row ${row}, column ${p % x.cols}) must be finite, received ${x.data[p]}`);
    }
  }
}

/** The targets of `rows` rows for `loss`: rows · units values, or rows class labels. */
export function checkTargets(where: string, y: FloatArray, rows: number, loss: MlpLossName, net: NetworkShape): void {
  if (!(y instanceof Float32Array || y instanceof Float64Array)) {
    throw new TypeError(`${where}: y must be a Float32Array or Float64Array (see vectorFrom), received ${describe(y)}`);
  }
  if (dtypeOf(y) !== net.dtype) throw new TypeError(`${where}: y holds ${dtypeOf(y)} data but the model is ${net.dtype}`);
  const classes = loss === 'sparseCategoricalCrossentropy';
  const perRow = classes ? 1 : net.units;
  if (y.length !== rows * perRow) {
    throw new RangeError(
      `${where}: y has ${y.length} values but X has ${rows} rows` +
        (classes ? ': one class label per row' : ` and the last layer ${net.units} units: y needs rows · units = ${rows * perRow}`),
    );
  }
  if (loss === 'binaryCrossentropy' && net.lastActivation !== 'sigmoid') {
    throw new RangeError(
      `${where}: loss 'binaryCrossentropy' needs a last layer with activation 'sigmoid', this one has '${net.lastActivation}'`,
    );
  }
  if (classes && net.lastActivation !== 'linear') {
    throw new RangeError(
      `${where}: loss 'sparseCategoricalCrossentropy' takes the logits of a last layer with activation 'linear', this one has '${net.lastActivation}'`,
    );
  }
  for (let p = 0; p < y.length; p++) {
    const v = y[p]!;
    const row = Math.floor(p / perRow);
    const at = perRow === 1 ? `y[${p}] (row ${p})` : `y[${p}] (row ${row}, output ${p % perRow})`;
    if (!Number.isFinite(v)) throw new RangeError(`${where}: ${at} must be finite, received ${v}`);
    if (classes && !(Number.isInteger(v) && v >= 0 && v < net.units)) {
      throw new RangeError(
        `${where}: ${at} must be a class label, an integer in [0, ${net.units - 1}] (the last layer has ${net.units} units), received ${v}`,
      );
    }
    if (loss === 'binaryCrossentropy' && !(v >= 0 && v <= 1)) {
      throw new RangeError(`${where}: ${at} must be a probability in [0, 1] for 'binaryCrossentropy', received ${v}`);
    }
  }
}
