/**
 * Keras-like training of a Sequential: seeded shuffled mini-batches (32 rows by default),
 * a validation split or set, one progress line per epoch, any optimizer of the package.
 */
import type { FloatArray, MlpLossName } from '../../binding.js';
import type { Matrix } from '../data/matrix.js';
import { seededRandom } from '../data/random.js';
import { lossKernel } from '../model/loss-kernel.js';
import { MiniBatches } from '../trainer/batches.js';
import { DivergenceError } from '../trainer/trainer.js';
import { checkBoolean, checkKnownKeys, checkNumber, checkOptionalFunction, checkPlainObject, describe, typeError } from '../validate.js';
import { lossName } from './checks.js';
import type { Sequential, Weights } from './sequential.js';

export interface EpochLogs {
  loss: number;
  valLoss?: number;
  /** Wall time of the epoch's training, ms. */
  ms: number;
}

export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Default 32, as Keras. */
  batchSize?: number;
  /** Reshuffle the rows every epoch (seeded). Default true. */
  shuffle?: boolean;
  /** Seed of the shuffling. Default the model's seed. */
  seed?: number;
  /** The last fraction of the rows, held out before shuffling (as Keras), in [0, 1). */
  validationSplit?: number;
  validationData?: [Matrix, FloatArray];
  /** Called after every epoch; returning false stops training. */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => boolean | void;
  /** 1: a progress line per epoch (default), 0: silent. */
  verbose?: 0 | 1;
  /** Where progress lines go. Default console.log. */
  log?: (line: string) => void;
  /** Anything with step(grads). Default: the model's Adam, lr 0.001 (made on first use, kept across fits). */
  optimizer?: { step(grads: Weights): unknown };
  /** Default 'mse'. */
  loss?: MlpLossName | string;
  delta?: number;
  threads?: number;
}

const FIT_OPTIONS: readonly (keyof FitOptions)[] = [
  'epochs',
  'batchSize',
  'shuffle',
  'seed',
  'validationSplit',
  'validationData',
  'onEpochEnd',
  'verbose',
  'log',
  'optimizer',
  'loss',
  'delta',
  'threads',
];

export interface FitHistory {
  loss: number[];
  valLoss: number[];
  epochs: number;
}

function rowsOf(x: Matrix, y: FloatArray, start: number, end: number): [Matrix, FloatArray] {
  const perRow = y.length / x.rows;
  return [
    { data: x.data.subarray(start * x.cols, end * x.cols), rows: end - start, cols: x.cols },
    y.subarray(start * perRow, end * perRow),
  ];
}

export function fit(
  model: Sequential,
  defaultOptimizer: () => { step(grads: Weights): unknown },
  x: Matrix,
  y: FloatArray,
  options: FitOptions = {},
): FitHistory {
  const o = checkPlainObject('fit: options', options);
  checkKnownKeys('fit: options', o, FIT_OPTIONS);
  const epochs = o.epochs === undefined ? 1 : checkNumber('fit: options.epochs', o.epochs, { min: 1, integer: true });
  const batchSize = o.batchSize === undefined ? 32 : checkNumber('fit: options.batchSize', o.batchSize, { min: 1, integer: true });
  const shuffle = o.shuffle === undefined ? true : checkBoolean('fit: options.shuffle', o.shuffle);
  const split = o.validationSplit === undefined ? 0 : checkNumber('fit: options.validationSplit', o.validationSplit, { min: 0, below: 1 });
  const verbose = o.verbose === undefined ? 1 : checkNumber('fit: options.verbose', o.verbose, { min: 0, max: 1, integer: true });
  const log = checkOptionalFunction<FitOptions['log']>('fit: options.log', o.log) ?? ((line: string) => console.log(line));
  const onEpochEnd = checkOptionalFunction<FitOptions['onEpochEnd']>('fit: options.onEpochEnd', o.onEpochEnd);
  if (o.optimizer !== undefined && typeof (o.optimizer as { step?: unknown } | null)?.step !== 'function') {
    throw typeError('fit: options.optimizer', 'an optimizer (an object with a step(grads) method)', o.optimizer);
  }
  const lossOptions = {
    loss: o.loss === undefined ? 'mse' : lossName('fit: options.loss', o.loss),
    ...(o.delta === undefined ? {} : { delta: checkNumber('fit: options.delta', o.delta, { above: 0 }) }),
    ...(o.threads === undefined ? {} : { threads: checkNumber('fit: options.threads', o.threads, { min: 1, max: 1024, integer: true }) }),
  };
  if (o.validationData !== undefined && (!Array.isArray(o.validationData) || o.validationData.length !== 2)) {
    throw new TypeError(`fit: options.validationData must be a pair [X, y], received ${describe(o.validationData)}`);
  }
  // Everything is checked once, on the whole set, before the first step (lossGrad checks each batch again).
  const grads = model.createGrads();
  model.checkData('fit', x, y, lossOptions.loss);
  const held = Math.floor(x.rows * split);
  if (held > 0 && held === x.rows) throw new RangeError(`fit: options.validationSplit ${split} leaves no training rows of ${x.rows}`);
  const [trainX, trainY] = rowsOf(x, y, 0, x.rows - held);
  const validation = (o.validationData as FitOptions['validationData']) ?? (held > 0 ? rowsOf(x, y, x.rows - held, x.rows) : undefined);
  if (validation) model.checkData('fit: validation', validation[0], validation[1], lossOptions.loss);
  const optimizer = (o.optimizer as FitOptions['optimizer']) ?? defaultOptimizer();

  const batches = new MiniBatches(trainX, trainY, Math.min(batchSize, trainX.rows), model.dtype, lossKernel(model.backend).gatherRows);
  const random = seededRandom(o.seed === undefined ? model.seed : checkNumber('fit: options.seed', o.seed, { integer: true }));
  const history: FitHistory = { loss: [], valLoss: [], epochs: 0 };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = performance.now();
    const loss = batches.epoch(shuffle ? random : undefined, (bx, by) => {
      const batchLoss = model.lossGrad(bx, by, grads, lossOptions);
      // Stopped before the step: the parameters and the optimizer's state are those of the last finite batch.
      if (!Number.isFinite(batchLoss)) throw new DivergenceError(epoch, batchLoss);
      optimizer.step(grads);
      return batchLoss;
    });
    const logs: EpochLogs = { loss, ms: performance.now() - started };
    if (validation) logs.valLoss = model.evaluate(validation[0], validation[1], lossOptions);
    history.loss.push(logs.loss);
    if (logs.valLoss !== undefined) history.valLoss.push(logs.valLoss);
    history.epochs = epoch;
    if (verbose) {
      const val = logs.valLoss === undefined ? '' : ` - val_loss: ${logs.valLoss.toPrecision(6)}`;
      log(`Epoch ${epoch}/${epochs} - loss: ${logs.loss.toPrecision(6)}${val} - ${logs.ms.toFixed(2)} ms`);
    }
    if (onEpochEnd?.(epoch, logs) === false) break;
  }
  return history;
}
