/** Trainer options, their defaults and their checks. */
import type { MlpLossName } from '../../binding.js';
import type { BackendName } from '../backend.js';
import { lossName } from '../nn/checks.js';

export interface EarlyStopping {
  /** Epochs without an improvement of at least minDelta before stopping. */
  patience: number;
  minDelta?: number;
}

export interface EpochInfo {
  epoch: number;
  loss: number;
}

export interface TrainerOptions {
  /** Default 1000. */
  epochs?: number;
  /** Rows per step; default all rows (full batch, as in the seed). */
  batchSize?: number;
  /** Shuffle rows every epoch (mini-batches only). Default true. */
  shuffle?: boolean;
  /** Seed of the shuffling. Default 0. */
  seed?: number;
  /** Default 'mse'. A LinearRegression takes 'mse', 'mae', 'huber'; a Sequential also the cross-entropies (lib/nn/checks.ts). */
  loss?: MlpLossName;
  /** Huber threshold. Default 1. */
  delta?: number;
  /** Print the loss every this many epochs (0: never). Default 0. */
  logEvery?: number;
  /** Where logEvery prints. Default console.log. */
  log?: (line: string) => void;
  /** Called after each epoch; returning false stops training. */
  onEpochEnd?: (info: EpochInfo) => boolean | void;
  earlyStopping?: EarlyStopping;
  /** Standardise features with the mean and std of the first training set. Default false. */
  standardize?: boolean;
  /** Stepped once per epoch (torch-like schedulers). */
  scheduler?: { step(): unknown };
  /** Backend of the loss kernel; default the optimizer's, else native when it loads. */
  backend?: BackendName;
  /**
   * Most threads the native loss kernel splits a batch across, in [1, 1024]. Default: every
   * core (batches under 32,768 values of X per thread use fewer). Bit-identical for every count.
   */
  threads?: number;
}

type Optional = 'batchSize' | 'onEpochEnd' | 'earlyStopping' | 'scheduler' | 'backend' | 'threads';
export type ResolvedOptions = Required<Omit<TrainerOptions, Optional>> & Pick<TrainerOptions, Optional>;

function integer(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(`Trainer: options.${name} must be an integer ≥ ${min}, received ${String(v)}`);
  }
  return v;
}

function integerAtMost(name: string, v: unknown, min: number, max: number): number {
  const n = integer(name, v, min);
  if (n > max) throw new RangeError(`Trainer: options.${name} must be an integer in [${min}, ${max}], received ${n}`);
  return n;
}

export function resolveOptions(o: TrainerOptions): ResolvedOptions {
  const loss = o.loss === undefined ? 'mse' : lossName('Trainer: options.loss', o.loss);
  const delta = o.delta ?? 1;
  if (!(typeof delta === 'number' && Number.isFinite(delta) && delta > 0)) {
    throw new RangeError(`Trainer: options.delta must be a finite number > 0, received ${String(delta)}`);
  }
  if (o.earlyStopping) integer('earlyStopping.patience', o.earlyStopping.patience, 1);
  return {
    epochs: integer('epochs', o.epochs ?? 1000, 1),
    batchSize: o.batchSize === undefined ? undefined : integer('batchSize', o.batchSize, 1),
    shuffle: o.shuffle ?? true,
    seed: o.seed ?? 0,
    loss,
    delta,
    logEvery: integer('logEvery', o.logEvery ?? 0, 0),
    log: o.log ?? ((line) => console.log(line)),
    onEpochEnd: o.onEpochEnd,
    earlyStopping: o.earlyStopping,
    standardize: o.standardize ?? false,
    scheduler: o.scheduler,
    backend: o.backend,
    threads: o.threads === undefined ? undefined : integerAtMost('threads', o.threads, 1, 1024),
  };
}
