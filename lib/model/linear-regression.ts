/**
 * y ≈ X·w + b. The parameters are named typed arrays { weights, bias } (bias has length 1)
 * that any optimizer of this package steps in place.
 */
import type { FloatArray, LinregArgs } from '../../binding.js';
import { createParameters } from '../arena.js';
import { BACKEND_NAMES, type BackendName } from '../backend.js';
import { allocate, checkTrainingSet, dtypeOf, type Dtype, type LegacyDtype, type Matrix } from '../data/matrix.js';
import { gaussian, seededRandom } from '../data/random.js';
import type { ModelLossOptions, TrainableModel } from '../trainer/model.js';
import { lossKernel } from './loss-kernel.js';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic-write.js';
import {
  checkDtype,
  checkKnownKeys,
  checkNumber,
  checkNumberArray,
  checkOneOf,
  checkPlainObject,
  isPlainObject,
  rangeError,
  typeError,
} from '../validate.js';
import { parseModelFile } from './model-file.js';

export type LinearParams = Readonly<{ weights: FloatArray; bias: FloatArray }>;

export interface LinearRegressionOptions {
  /** Default 'float64' ('f32' / 'f64' are the deprecated spelling). */
  dtype?: Dtype | LegacyDtype;
  /** Seed of the standard-normal initialisation of weights and bias. Default 0. */
  seed?: number;
  /** Backend of predict(); default native when it loads. */
  backend?: BackendName;
}

export interface LinearRegressionJson {
  dtype: Dtype;
  weights: number[];
  bias: number;
}

export class LinearRegression implements TrainableModel<LinearParams> {
  readonly dtype: Dtype;
  /** Views of one buffer (createParameters), so an optimizer steps both in one native call. */
  readonly params: LinearParams;
  readonly outputSize = 1;
  readonly losses = ['mse', 'mae', 'huber'] as const;
  private readonly backend: BackendName | undefined;

  constructor(
    readonly features: number,
    options: LinearRegressionOptions = {},
  ) {
    checkNumber('LinearRegression: features', features, { min: 1, integer: true });
    const o = checkPlainObject('LinearRegression: options', options);
    checkKnownKeys('LinearRegression: options', o, ['dtype', 'seed', 'backend']);
    const dtype = o.dtype === undefined ? 'float64' : checkDtype('LinearRegression: options.dtype', o.dtype);
    this.dtype = dtype;
    this.backend = o.backend === undefined ? undefined : checkOneOf('LinearRegression: options.backend', o.backend, BACKEND_NAMES);
    const random = seededRandom(o.seed === undefined ? 0 : checkNumber('LinearRegression: options.seed', o.seed));
    this.params = linearParameters(dtype, features).params;
    const { weights, bias } = this.params;
    for (let j = 0; j < features; j++) weights[j] = gaussian(random);
    bias[0] = gaussian(random);
  }

  get weights(): FloatArray {
    return this.params.weights;
  }

  get bias(): number {
    return this.params.bias[0]!;
  }

  get inputSize(): number {
    return this.features;
  }

  /** Frozen and contiguous like params: an optimizer validates and plans its step once. */
  createGrads(): LinearParams {
    return linearParameters(this.dtype, this.features).grads;
  }

  checkTrainingData(x: Matrix, y: FloatArray): void {
    checkTrainingSet(x, y, this.dtype, this.features);
  }

  /**
   * Mean loss of the batch and its gradient, in one fused kernel call. The kernel checks its
   * arguments itself (a rejected call writes nothing), so a training step pays no second check.
   */
  lossGrad(x: Matrix, y: FloatArray, grads: LinearParams, options: ModelLossOptions): number {
    return lossKernel(options.backend ?? this.backend).lossGrad(
      this.lossGradArgs(x, y, grads, options),
      options.threads === undefined ? undefined : { threads: options.threads },
    );
  }

  /** The arguments of the loss/gradient kernel (binding.d.ts: linregLossGrad, trainLinreg). */
  lossGradArgs(x: Matrix, y: FloatArray, grads: LinearParams, options: ModelLossOptions): LinregArgs {
    const { weights, bias } = this.params;
    // options.loss is one of this.losses (the Trainer checks; the kernel refuses any other).
    return {
      x: x.data,
      rows: x.rows,
      cols: x.cols,
      y,
      weights,
      bias,
      gradWeights: grads.weights,
      gradBias: grads.bias,
      loss: options.loss,
      delta: options.delta,
    } as LinregArgs;
  }

  /** X·w + b, with the dot products in the order of the training kernel (same bits). */
  predict(x: Matrix): FloatArray {
    if (x.cols !== this.features) throw new RangeError(`predict: X has ${x.cols} columns but the model has ${this.features} features`);
    if (dtypeOf(x.data) !== this.dtype) throw new TypeError(`predict: X holds ${dtypeOf(x.data)} data but the model is ${this.dtype}`);
    const predictions = allocate(this.dtype, x.rows);
    lossKernel(this.backend).lossGrad({
      x: x.data,
      rows: x.rows,
      cols: x.cols,
      y: allocate(this.dtype, x.rows),
      weights: this.params.weights,
      bias: this.params.bias,
      gradWeights: allocate(this.dtype, x.cols),
      gradBias: allocate(this.dtype, 1),
      predictions,
    });
    return predictions;
  }

  toJSON(): LinearRegressionJson {
    return { dtype: this.dtype, weights: Array.from(this.params.weights), bias: this.bias };
  }

  /**
   * A model from toJSON()'s object. Every field is checked: dtype 'float32' or 'float64' (or
   * 'f32' / 'f64', as files of older versions spell it), weights a
   * non-empty array of finite numbers (a string such as "1.5" is refused, not read as NaN),
   * bias a finite number, and for float32 each value exactly a float32 (what toJSON writes),
   * so loading never rounds silently. TypeError/RangeError name the field.
   */
  static fromJSON(json: unknown): LinearRegression {
    const o = checkPlainObject('LinearRegression.fromJSON: json', json);
    checkKnownKeys('LinearRegression.fromJSON: json', o, ['dtype', 'weights', 'bias']);
    const dtype = checkDtype('LinearRegression.fromJSON: json.dtype', o.dtype, 'silent');
    if (!Array.isArray(o.weights) || o.weights.length === 0)
      throw typeError('LinearRegression.fromJSON: json.weights', 'a non-empty array of numbers', o.weights);
    const weights = checkNumberArray('LinearRegression.fromJSON: json.weights', o.weights, undefined, dtype === 'float32');
    const bias = checkNumber('LinearRegression.fromJSON: json.bias', o.bias);
    if (dtype === 'float32' && Math.fround(bias) !== bias)
      throw rangeError('LinearRegression.fromJSON: json.bias', 'a float32 value (the model is float32)', bias);
    const model = new LinearRegression(weights.length, { dtype });
    model.params.weights.set(weights);
    model.params.bias[0] = bias;
    return model;
  }

  /** Writes toJSON() to `path` atomically (lib/io/atomic-write.ts): a crash leaves the old file or the new one. */
  async save(path: string): Promise<void> {
    await writeFileAtomic(path, JSON.stringify(this.toJSON()) + '\n');
  }

  /**
   * Reads a file written by save(), or the model of an `adam-simd train --save` file trained
   * without --standardize. A --standardize file is refused: its model expects standardised
   * features (readModelFile applies the file's scaler; so does `adam-simd predict`).
   */
  static load(path: string): LinearRegression {
    const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (isPlainObject(json) && typeof json.kind === 'string') {
      const file = parseModelFile(json, path);
      if (!(file.model instanceof LinearRegression))
        throw new RangeError(`${path} holds a network, not a LinearRegression: read it with readModelFile()`);
      if (file.scaler)
        throw new RangeError(
          `${path} was trained on standardised features: read it with readModelFile(), which applies its scaler, or run adam-simd predict`,
        );
      return file.model;
    }
    try {
      return LinearRegression.fromJSON(json);
    } catch (error) {
      (error as Error).message = `${path}: ${(error as Error).message}`;
      throw error;
    }
  }
}

/**
 * Weights then bias, contiguous (createParameters), with their gradients laid out the same
 * way: an optimizer steps the pair as one tensor, and a frozen grads object lets it reuse
 * its validated plan every step.
 */
export function linearParameters(dtype: Dtype, features: number) {
  return createParameters({ weights: features, bias: 1 }, { dtype });
}
