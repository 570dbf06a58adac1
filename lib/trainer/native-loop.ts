/**
 * Epochs of a LinearRegression in one native call (binding.d.ts: trainLinreg): per batch —
 * the whole set, or the Trainer's seeded mini-batches — the fused loss/gradient pass, then
 * the optimizer's prepared step. The Trainer runs as many epochs per call as it can before
 * JavaScript must run (a log line, early stopping's verdict, the end); the bits are those of
 * stepping batch by batch.
 */
import type { Binding, FloatArray } from '../../binding.js';
import type { Matrix } from '../data/matrix.js';
import type { SeededRandom } from '../data/random.js';
import { LinearRegression } from '../model/linear-regression.js';
import { loadNative } from '../native.js';
import { Optimizer } from '../optim/optimizer.js';
import type { GradRecord, ModelLossOptions, TrainableModel } from './model.js';

export interface NativeEpochs {
  /** Every epoch's loss; when `diverged`, the last is the non-finite batch loss that ended the run. */
  losses: Float64Array;
  /** A batch's loss was not finite: its batch took no step, and the run ended there. */
  diverged: boolean;
  /** The parameters (weights, then bias) before the last step taken; null when none was. */
  previous: Float64Array | null;
}

/** How an epoch is batched: `size` rows a step (≥ the rows: full batch), shuffled by `random` when given. */
export interface Batching {
  size: number;
  random: SeededRandom | undefined;
}

/**
 * The most steps one call takes: their packed scalars (and the binding's converted copy) stay
 * a few MB however many epochs are asked for. An epoch of more batches runs batch by batch.
 */
export const MAX_STEPS_PER_CALL = 2 ** 18;

export type NativeLoop = (x: Matrix, y: FloatArray, epochs: number, batching: Batching) => NativeEpochs | null;

/**
 * A loop for this model and optimizer, or null when they cannot run natively (another model,
 * the reference backend, an optimizer that is not this library's). The loop answers null
 * when it cannot run this time (skipNonFinite, a buffer changed since the step was planned,
 * the next epoch's steps would not all fit their type, more than MAX_STEPS_PER_CALL batches):
 * the caller then takes the epoch itself, which names any problem. It may run fewer epochs
 * than asked, and advances `random` past the shuffles it made.
 */
export function nativeLoop<G extends GradRecord>(
  model: TrainableModel<G>,
  optimizer: unknown,
  grads: G,
  lossOptions: ModelLossOptions,
  kernelBackend: string,
): NativeLoop | null {
  if (
    !(model instanceof LinearRegression) ||
    !(optimizer instanceof Optimizer) ||
    kernelBackend !== 'native' ||
    optimizer.backend !== 'native'
  )
    return null;
  const native = loadNative();
  if (!native.ok) return null;
  const binding: Binding = native.binding;
  const linear = model as LinearRegression;
  const record = grads as unknown as Parameters<LinearRegression['lossGrad']>[2];
  const threads = lossOptions.threads === undefined ? undefined : { threads: lossOptions.threads };
  return (x, y, epochs, { size, random }) => {
    const batches = size >= x.rows ? 1 : Math.ceil(x.rows / size);
    if (batches > MAX_STEPS_PER_CALL) return null;
    const prepared = optimizer.prepareSteps(grads, Math.min(epochs, Math.floor(MAX_STEPS_PER_CALL / batches)) * batches);
    if (!prepared) return null;
    // Whole epochs only: a step whose scalars do not fit is left to step(), which refuses it.
    const whole = Math.floor(prepared.steps / batches);
    if (whole === 0) return null;
    const scalars = prepared.scalars.subarray(0, (prepared.scalars.length / prepared.steps) * whole * batches);
    const options = batches === 1 ? threads : { ...threads, batchSize: size, ...(random ? { randomState: random.state } : {}) };
    const result = binding.trainLinreg(prepared.plan, linear.lossGradArgs(x, y, record, lossOptions), scalars, options);
    if (result === false) return null;
    optimizer.advanceSteps(result.steps);
    if (random && result.randomState !== undefined) random.state = result.randomState;
    return { losses: result.losses, previous: result.previous, diverged: result.steps < result.losses.length * batches };
  };
}
