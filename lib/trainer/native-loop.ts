/**
 * Full-batch epochs of a LinearRegression in one native call (binding.d.ts: trainLinreg):
 * per epoch the fused loss/gradient pass, then the optimizer's prepared step. The Trainer
 * runs as many epochs per call as it can before JavaScript must run (a log line, early
 * stopping's verdict, the end); the bits are those of stepping epoch by epoch.
 */
import type { Binding, FloatArray } from '../../binding.js';
import type { Matrix } from '../data/matrix.js';
import { LinearRegression } from '../model/linear-regression.js';
import { loadNative } from '../native.js';
import { Optimizer } from '../optim/optimizer.js';
import type { GradRecord, ModelLossOptions, TrainableModel } from './model.js';

export interface NativeEpochs {
  /** Every epoch's loss; a non-finite last one ended the run (that epoch took no step). */
  losses: Float64Array;
  /** The parameters (weights, then bias) before the last step taken; null when none was. */
  previous: Float64Array | null;
}

export type NativeLoop = (x: Matrix, y: FloatArray, epochs: number) => NativeEpochs | null;

/**
 * A loop for this model and optimizer, or null when they cannot run natively (another model,
 * the reference backend, an optimizer that is not this library's). The loop answers null
 * when it cannot run this time (skipNonFinite, a buffer changed since the step was planned):
 * the caller then takes the epoch itself, which names any problem.
 */
export function nativeLoop<G extends GradRecord>(model: TrainableModel<G>, optimizer: unknown, grads: G, lossOptions: ModelLossOptions, kernelBackend: string): NativeLoop | null {
  if (!(model instanceof LinearRegression) || !(optimizer instanceof Optimizer) || kernelBackend !== 'native' || optimizer.backend !== 'native') return null;
  const native = loadNative();
  if (!native.ok) return null;
  const binding: Binding = native.binding;
  const linear = model as LinearRegression;
  const record = grads as unknown as Parameters<LinearRegression['lossGrad']>[2];
  const options = lossOptions.threads === undefined ? undefined : { threads: lossOptions.threads };
  return (x, y, epochs) => {
    const prepared = optimizer.prepareSteps(grads, epochs);
    if (!prepared) return null;
    const result = binding.trainLinreg(prepared.plan, linear.lossGradArgs(x, y, record, lossOptions), prepared.scalars, options);
    if (result === false) return null;
    const last = result.losses[result.losses.length - 1]!;
    optimizer.advanceSteps(result.losses.length - (Number.isFinite(last) ? 0 : 1));
    return result;
  };
}
