/**
 * Fits a model — a LinearRegression, a Sequential, anything with the TrainableModel interface —
 * with any optimizer: full batch by default (as in the seed), seeded mini-batches, online
 * partialFit, optional standardisation, early stopping, and a history of losses.
 */
import type { FloatArray } from '../../binding.js';
import { BACKEND_NAMES, type BackendName } from '../backend.js';
import { allocate, type Matrix } from '../data/matrix.js';
import { seededRandom, type SeededRandom } from '../data/random.js';
import { applyScaler, fitScaler, unscaleCoefficients, type Scaler } from '../data/standardize.js';
import { LinearRegression } from '../model/linear-regression.js';
import { lossKernel, type LossKernel } from '../model/loss-kernel.js';
import { regressionMetrics, type Metrics } from '../model/metrics.js';
import { MiniBatches } from './batches.js';
import type { GradRecord, ModelLossOptions, TrainableModel } from './model.js';
import { nativeLoop, type NativeLoop } from './native-loop.js';
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
  constructor(
    readonly epoch: number,
    readonly loss: number,
  ) {
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
  private readonly random: SeededRandom;
  private readonly lossOptions: ModelLossOptions;
  /** Made once: a frozen, contiguous record lets the optimizer reuse its validated plan every step. */
  private readonly grads: G;
  /** model.params in order, and their copies before the latest step (to undo the step that made the loss non-finite). */
  private readonly params: FloatArray[];
  private readonly lastGood: FloatArray[];
  private epochsDone = 0;
  private haveGood = false;
  /** Many epochs per native call, where the model and optimizer allow it. */
  private readonly loop: NativeLoop | null;

  constructor(
    readonly model: TrainableModel<G>,
    readonly optimizer: StepsParams<G>,
    options: TrainerOptions = {},
  ) {
    this.options = resolveOptions(options);
    const { loss, delta, threads } = this.options;
    if (!model.losses.includes(loss)) {
      throw new RangeError(
        `Trainer: options.loss must be one of ${model.losses.map((l) => `'${l}'`).join(', ')} for a ${model.constructor.name}, received '${loss}'`,
      );
    }
    const fromOptimizer = BACKEND_NAMES.includes(optimizer.backend as BackendName) ? (optimizer.backend as BackendName) : undefined;
    const backend = this.options.backend ?? fromOptimizer;
    this.kernel = lossKernel(backend);
    this.lossOptions = { loss, delta, ...(threads === undefined ? {} : { threads }), ...(backend === undefined ? {} : { backend }) };
    this.random = seededRandom(this.options.seed);
    this.grads = model.createGrads();
    this.params = Object.values(model.params);
    this.lastGood = this.params.map((p) => allocate(model.dtype, p.length));
    this.loop = nativeLoop(model, optimizer, this.grads, this.lossOptions, this.kernel.backend);
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
    for (let e = 1; e <= epochs; ) {
      // As many epochs at once as can pass before JavaScript must run: the next log line,
      // onEpochEnd or scheduler step, the first epoch early stopping could stop at, the end.
      const ahead = Math.min(
        epochs - e + 1,
        logEvery > 0 ? logEvery - ((e - 1) % logEvery) : Infinity,
        onEpochEnd || this.options.scheduler ? 1 : Infinity,
        earlyStopping ? earlyStopping.patience - sinceBest : Infinity,
      );
      for (const loss of this.epochs(data, y, ahead)) {
        history.loss.push(loss);
        history.epochs = e;
        if (logEvery > 0 && e % logEvery === 0) log(`Epoch ${e}, Loss: ${loss.toPrecision(6)}`);
        if (onEpochEnd?.({ epoch: e, loss }) === false) return history;
        e++;
        if (earlyStopping) {
          if (loss < best - (earlyStopping.minDelta ?? 0)) {
            best = loss;
            sinceBest = 0;
          } else if (++sinceBest >= earlyStopping.patience) {
            history.stoppedEarly = true;
            return history;
          }
        }
      }
    }
    return history;
  }

  /** One pass over (x, y) for online learning (natively where train() would be); returns its mean loss. */
  partialFit(x: Matrix, y: FloatArray): number {
    return this.epochs(this.prepare(x, y), y, 1)[0]!;
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
      throw new TypeError(
        `Trainer.coefficients: only a LinearRegression has coefficients, this model is a ${this.model.constructor.name} (see model.params)`,
      );
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

  /** Up to `count` epochs' losses: natively when the epochs can run there, else one epoch. */
  private epochs(x: Matrix, y: FloatArray, count: number): readonly number[] | Float64Array {
    const batching = { size: this.options.batchSize ?? x.rows, random: this.options.shuffle ? this.random : undefined };
    const run = this.loop ? this.loop(x, y, count, batching) : null;
    if (!run) return [this.epoch(x, y)];
    const { losses, previous, diverged } = run;
    const first = this.epochsDone + 1;
    this.epochsDone += losses.length;
    const last = losses[losses.length - 1]!;
    if (previous) {
      let offset = 0;
      for (const good of this.lastGood) {
        for (let i = 0; i < good.length; i++) good[i] = previous[offset++]!;
      }
      this.haveGood = true;
    }
    if (diverged) {
      if (this.haveGood) this.params.forEach((p, k) => p.set(this.lastGood[k]!));
      throw new DivergenceError(first + losses.length - 1, last);
    }
    // One epoch ran (a scheduler makes every chunk one epoch): its step, as epoch() takes it.
    this.options.scheduler?.step();
    return losses;
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
