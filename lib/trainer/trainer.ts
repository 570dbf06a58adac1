/**
 * Fits a model — a LinearRegression, a Sequential, anything with the TrainableModel interface —
 * with any optimizer: full batch by default (as in the seed), seeded mini-batches, online
 * partialFit, optional standardisation, early stopping, and a history of losses.
 */
import type { FloatArray } from '../../binding.js';
import { allocate, type Matrix } from '../data/matrix.js';
import { seededRandom, type Random } from '../data/random.js';
import { applyScaler, fitScaler, unscaleCoefficients, type Scaler } from '../data/standardize.js';
import { LinearRegression } from '../model/linear-regression.js';
import { lossKernel, type LossKernel } from '../model/loss-kernel.js';
import { regressionMetrics, type Metrics } from '../model/metrics.js';
import { MiniBatches } from './batches.js';
import type { GradRecord, ModelLossOptions, TrainableModel } from './model.js';
import { resolveOptions, type ResolvedOptions, type TrainerOptions } from './options.js';

/** All the Trainer needs of an optimizer (Adam, AdamW, SGD, Adagrad of lib/optim fit). */
export interface StepsParams<G extends GradRecord = GradRecord> {
  step(grads: G): unknown;
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

export class Trainer<G extends GradRecord = GradRecord> {
  readonly options: ResolvedOptions;
  /** Fitted on the first training set when options.standardize is set. */
  scaler: Scaler | undefined;
  /** Only its row gather: the model computes losses and gradients. */
  private readonly kernel: LossKernel;
  private readonly random: Random;
  private readonly lossOptions: ModelLossOptions;
  /** Made once: a frozen, contiguous record lets the optimizer reuse its validated plan every step. */
  private readonly grads: G;
  /** model.params in order, and their copies before the latest step (to undo the step that made the loss non-finite). */
  private readonly params: FloatArray[];
  private readonly lastGood: FloatArray[];
  private epochsDone = 0;
  private haveGood = false;

  constructor(readonly model: TrainableModel<G>, readonly optimizer: StepsParams<G>, options: TrainerOptions = {}) {
    this.options = resolveOptions(options);
    const { loss, delta, threads } = this.options;
    if (!model.losses.includes(loss)) {
      throw new RangeError(`Trainer: options.loss must be one of ${model.losses.map((l) => `'${l}'`).join(', ')} for a ${model.constructor.name}, received '${loss}'`);
    }
    const fromOptimizer = optimizer.backend === 'native' || optimizer.backend === 'js' ? optimizer.backend : undefined;
    const backend = this.options.backend ?? fromOptimizer;
    this.kernel = lossKernel(backend);
    this.lossOptions = { loss, delta, ...(threads === undefined ? {} : { threads }), ...(backend === undefined ? {} : { backend }) };
    this.random = seededRandom(this.options.seed);
    this.grads = model.createGrads();
    this.params = Object.values(model.params);
    this.lastGood = this.params.map((p) => allocate(model.dtype, p.length));
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

  /** Regression metrics of predict(x) against y. */
  evaluate(x: Matrix, y: FloatArray): Metrics {
    return regressionMetrics(this.predict(x), y);
  }

  /** Weights and bias of a LinearRegression in the units of the raw features (undoes standardisation). */
  coefficients(): { weights: number[]; bias: number } {
    const model = this.model as unknown;
    if (!(model instanceof LinearRegression)) {
      throw new TypeError(`Trainer.coefficients: only a LinearRegression has coefficients, this model is a ${this.model.constructor.name} (see model.params)`);
    }
    const { weights } = model.params;
    return this.scaler ? unscaleCoefficients(this.scaler, weights, model.bias) : { weights: Array.from(weights), bias: model.bias };
  }

  private prepare(x: Matrix, y: FloatArray): Matrix {
    this.model.checkTrainingData(x, y, this.options.loss);
    if (!this.options.standardize) return x;
    this.scaler ??= fitScaler(x);
    return applyScaler(this.scaler, x);
  }

  /**
   * One epoch: a step per batch (the whole set, or seeded shuffled mini-batches), then the
   * scheduler's step. Returns the rows-weighted mean of the batch losses.
   */
  private epoch(x: Matrix, y: FloatArray): number {
    const size = Math.min(this.options.batchSize ?? x.rows, x.rows);
    const epoch = ++this.epochsDone;
    const loss = size === x.rows ? this.step(x, y, epoch) : this.miniBatches(x, y, size, epoch);
    this.options.scheduler?.step();
    return loss;
  }

  private miniBatches(x: Matrix, y: FloatArray, size: number, epoch: number): number {
    const batches = new MiniBatches(x, y, size, this.model.dtype, this.kernel.gatherRows);
    return batches.epoch(this.options.shuffle ? this.random : undefined, (bx, by) => this.step(bx, by, epoch));
  }

  /** Loss and gradients of one batch, then one optimizer step (unless the loss is not finite). */
  private step(x: Matrix, y: FloatArray, epoch: number): number {
    const loss = this.model.lossGrad(x, y, this.grads, this.lossOptions);
    if (!Number.isFinite(loss)) {
      if (this.haveGood) this.params.forEach((p, k) => p.set(this.lastGood[k]!));
      throw new DivergenceError(epoch, loss);
    }
    this.params.forEach((p, k) => this.lastGood[k]!.set(p));
    this.haveGood = true;
    this.optimizer.step(this.grads);
    return loss;
  }
}
