/** Trainer options, their defaults and their checks. */
import type { MlpLossName } from '../../binding.js';
import type { BackendName } from '../backend.js';
import { BACKEND_NAMES } from '../backend.js';
import { lossName } from '../nn/checks.js';
import { checkBoolean, checkKnownKeys, checkNumber, checkOneOf, checkOptionalFunction, checkPlainObject, typeError } from '../validate.js';

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

/** The options a resolved Trainer may leave unset. */
export type OptionalTrainerOption = 'batchSize' | 'onEpochEnd' | 'earlyStopping' | 'scheduler' | 'backend' | 'threads';
export type ResolvedOptions = Required<Omit<TrainerOptions, OptionalTrainerOption>> & Pick<TrainerOptions, OptionalTrainerOption>;

const KNOWN: readonly (keyof TrainerOptions)[] = [
  'epochs',
  'batchSize',
  'shuffle',
  'seed',
  'loss',
  'delta',
  'logEvery',
  'log',
  'onEpochEnd',
  'earlyStopping',
  'standardize',
  'scheduler',
  'backend',
  'threads',
];

const at = (name: string) => `Trainer: options.${name}`;

/** Every option checked (a misspelled one is a TypeError, not silently the default) and defaulted. */
export function resolveOptions(options: TrainerOptions): ResolvedOptions {
  const o = checkPlainObject('Trainer: options', options) as TrainerOptions;
  checkKnownKeys('Trainer: options', o as Record<string, unknown>, KNOWN);
  const loss = o.loss === undefined ? 'mse' : lossName(at('loss'), o.loss);
  const delta = o.delta === undefined ? 1 : checkNumber(at('delta'), o.delta, { above: 0 });
  let earlyStopping: EarlyStopping | undefined;
  if (o.earlyStopping !== undefined) {
    const e = checkPlainObject(at('earlyStopping'), o.earlyStopping);
    checkKnownKeys(at('earlyStopping'), e, ['patience', 'minDelta']);
    earlyStopping = {
      patience: checkNumber(at('earlyStopping.patience'), e.patience, { min: 1, integer: true }),
      ...(e.minDelta === undefined ? {} : { minDelta: checkNumber(at('earlyStopping.minDelta'), e.minDelta, { min: 0 }) }),
    };
  }
  if (o.scheduler !== undefined && (typeof o.scheduler !== 'object' || o.scheduler === null || typeof o.scheduler.step !== 'function')) {
    throw typeError(at('scheduler'), 'a scheduler (an object with a step() method)', o.scheduler);
  }
  return {
    epochs: o.epochs === undefined ? 1000 : checkNumber(at('epochs'), o.epochs, { min: 1, integer: true }),
    batchSize: o.batchSize === undefined ? undefined : checkNumber(at('batchSize'), o.batchSize, { min: 1, integer: true }),
    shuffle: o.shuffle === undefined ? true : checkBoolean(at('shuffle'), o.shuffle),
    seed: o.seed === undefined ? 0 : checkNumber(at('seed'), o.seed),
    loss,
    delta,
    logEvery: o.logEvery === undefined ? 0 : checkNumber(at('logEvery'), o.logEvery, { min: 0, integer: true }),
    log: checkOptionalFunction<(line: string) => void>(at('log'), o.log) ?? ((line) => console.log(line)),
    onEpochEnd: checkOptionalFunction<TrainerOptions['onEpochEnd']>(at('onEpochEnd'), o.onEpochEnd),
    earlyStopping,
    standardize: o.standardize === undefined ? false : checkBoolean(at('standardize'), o.standardize),
    scheduler: o.scheduler,
    backend: o.backend === undefined ? undefined : checkOneOf(at('backend'), o.backend, BACKEND_NAMES),
    threads: o.threads === undefined ? undefined : checkNumber(at('threads'), o.threads, { min: 1, max: 1024, integer: true }),
  };
}
