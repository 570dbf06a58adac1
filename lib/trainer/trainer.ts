/**
 * Fits a LinearRegression with any optimizer: full batch by default (as in the seed),
 * seeded mini-batches, online partialFit, optional standardisation, early stopping, and a
 * history of losses. Gradients come from the fused loss kernel (native or reference).
 */
import type { FloatArray } from '../../binding.js';
import { allocate, checkTrainingSet, type Matrix } from '../data/matrix.js';
import { seededRandom, shuffleInPlace, type Random } from '../data/random.js';
import { applyScaler, fitScaler, unscaleCoefficients, type Scaler } from '../data/standardize.js';
import { linearParameters, type LinearRegression } from '../model/linear-regression.js';
import { lossKernel, type LossKernel } from '../model/loss-kernel.js';
import { regressionMetrics, type Metrics } from '../model/metrics.js';
import { resolveOptions, type ResolvedOptions, type TrainerOptions } from './options.js';

/** All the Trainer needs of an optimizer (Adam, AdamW, SGD, Adagrad of lib/optim fit). */
export interface StepsParams {
  step(grads: { weights: FloatArray; bias: FloatArray }): unknown;
  readonly backend?: string;
}

export interface History {
  /** Mean training loss per epoch (for mini-batches: the rows-weighted mean of batch losses). */
  loss: number[];
  epochs: number;
  stoppedEarly: boolean;
}

/** Thrown when the loss becomes NaN or ±Infinity; the model keeps its last finite-loss parameters. */
export class DivergenceError extends Error {
  constructor(readonly epoch: number, readonly loss: number) {
    super(
      `training diverged: the loss became ${loss} at epoch ${epoch}; the parameters that last gave a finite loss were restored. ` +
        'Try a lower learning rate (--lr), standardised features (--standardize) or a robust loss (huber).',
    );
    this.name = 'DivergenceError';
  }
}

export class Trainer {
  readonly options: ResolvedOptions;
  /** Fitted on the first training set when options.standardize is set. */
  scaler: Scaler | undefined;
  private readonly kernel: LossKernel;
  private readonly random: Random;
  /** Frozen and contiguous: the optimizer validates and plans its step once, not per epoch. */
  private readonly grads: Readonly<{ weights: FloatArray; bias: FloatArray }>;
  private readonly lastGood: { weights: FloatArray; bias: FloatArray };
  private epochsDone = 0;
  private haveGood = false;

  constructor(readonly model: LinearRegression, readonly optimizer: StepsParams, options: TrainerOptions = {}) {
    this.options = resolveOptions(options);
    const fromOptimizer = optimizer.backend === 'native' || optimizer.backend === 'js' ? optimizer.backend : undefined;
    this.kernel = lossKernel(this.options.backend ?? fromOptimizer);
    this.random = seededRandom(this.options.seed);
    this.grads = linearParameters(model.dtype, model.features).grads;
    this.lastGood = { weights: allocate(model.dtype, model.features), bias: allocate(model.dtype, 1) };
  }

  get backend(): string {
    return this.kernel.backend;
  }

  /** Trains for options.epochs epochs (or until early stopping / onEpochEnd says stop). */
  train(x: Matrix, y: FloatArray): History {
    const data = this.prepare(x, y);
    const history: History = { loss: [], epochs: 0, stoppedEarly: false };
    const { epochs, logEvery, log, onEpochEnd, earlyStopping } = this.options;
    let best = Infinity;
    let sinceBest = 0;
    for (let e = 1; e <= epochs; e++) {
      const loss = this.epoch(data, y);
      history.loss.push(loss);
      history.epochs = e;
      if (logEvery > 0 && e % logEvery === 0) log(`Epoch ${e}, Loss: ${loss.toPrecision(6)}`);
      if (onEpochEnd?.({ epoch: e, loss }) === false) break;
      if (earlyStopping) {
        if (loss < best - (earlyStopping.minDelta ?? 0)) {
          best = loss;
          sinceBest = 0;
        } else if (++sinceBest >= earlyStopping.patience) {
          history.stoppedEarly = true;
          break;
        }
      }
    }
    return history;
  }

  /** One pass over (x, y) for online learning; returns its mean loss. */
  partialFit(x: Matrix, y: FloatArray): number {
    return this.epoch(this.prepare(x, y), y);
  }

  /** Predictions for raw (unstandardised) features. */
  predict(x: Matrix): FloatArray {
    return this.model.predict(this.scaler ? applyScaler(this.scaler, x) : x);
  }

  evaluate(x: Matrix, y: FloatArray): Metrics {
    return regressionMetrics(this.predict(x), y);
  }

  /** Weights and bias in the units of the raw features (undoes standardisation). */
  coefficients(): { weights: number[]; bias: number } {
    const { weights } = this.model.params;
    return this.scaler ? unscaleCoefficients(this.scaler, weights, this.model.bias) : { weights: Array.from(weights), bias: this.model.bias };
  }

  private prepare(x: Matrix, y: FloatArray): Matrix {
    checkTrainingSet(x, y, this.model.dtype, this.model.features);
    if (!this.options.standardize) return x;
    this.scaler ??= fitScaler(x);
    return applyScaler(this.scaler, x);
  }

  private epoch(x: Matrix, y: FloatArray): number {
    const size = Math.min(this.options.batchSize ?? x.rows, x.rows);
    const epoch = ++this.epochsDone;
    let loss: number;
    if (size === x.rows) {
      loss = this.step(x, y, epoch);
    } else {
      loss = this.miniBatches(x, y, size, epoch);
    }
    this.options.scheduler?.step();
    return loss;
  }

  private miniBatches(x: Matrix, y: FloatArray, size: number, epoch: number): number {
    const order = new Uint32Array(x.rows);
    for (let i = 0; i < x.rows; i++) order[i] = i;
    if (this.options.shuffle) shuffleInPlace(order, this.random);
    const batchX = allocate(this.model.dtype, size * x.cols);
    const batchY = allocate(this.model.dtype, size);
    const { gatherRows } = this.kernel;
    let total = 0;
    for (let start = 0; start < x.rows; start += size) {
      const rows = Math.min(size, x.rows - start);
      const indices = order.subarray(start, start + rows);
      const bx = { data: batchX.subarray(0, rows * x.cols), rows, cols: x.cols };
      const by = batchY.subarray(0, rows);
      gatherRows(x.data, x.cols, indices, bx.data);
      gatherRows(y, 1, indices, by);
      total += this.step(bx, by, epoch) * rows;
    }
    return total / x.rows;
  }

  /** Loss and gradients of one batch, then one optimizer step (unless the loss is not finite). */
  private step(x: Matrix, y: FloatArray, epoch: number): number {
    const { weights, bias } = this.model.params;
    const loss = this.kernel.lossGrad({
      x: x.data,
      rows: x.rows,
      cols: x.cols,
      y,
      weights,
      bias,
      gradWeights: this.grads.weights,
      gradBias: this.grads.bias,
      loss: this.options.loss,
      delta: this.options.delta,
    }, this.options.threads === undefined ? undefined : { threads: this.options.threads });
    if (!Number.isFinite(loss)) {
      if (this.haveGood) {
        weights.set(this.lastGood.weights);
        bias.set(this.lastGood.bias);
      }
      throw new DivergenceError(epoch, loss);
    }
    this.lastGood.weights.set(weights);
    this.lastGood.bias.set(bias);
    this.haveGood = true;
    this.optimizer.step(this.grads);
    return loss;
  }
}
