/**
 * One element's regression loss term and gradient factor, shared by the linear-model and the
 * network references (native/NUMERICS.md: the same per-element formulas in both kernels).
 * For MSE the factor is err, not 2·err: the linear model applies the 2 once to each summed
 * gradient, the network to each element; each caller keeps its own order of that multiply.
 */
import type { LinregLossName } from '../../binding.js';
import { round } from './rounding.js';

/** Written by regressionTerm: reused by the caller, so the per-element loop allocates nothing. */
export interface Term {
  loss: number;
  grad: number;
}

/** err = prediction − target; halfDelta = round(0.5·delta, f32), both already rounded (Huber only). */
export function regressionTerm(kind: LinregLossName, err: number, delta: number, halfDelta: number, f32: boolean, out: Term): void {
  if (kind === 'mse') {
    out.loss = round(err * err, f32);
    out.grad = err;
  } else if (kind === 'mae') {
    out.loss = Math.abs(err);
    out.grad = err > 0 ? 1 : err < 0 ? -1 : err;
  } else {
    const a = Math.abs(err);
    out.loss = a < delta ? round(0.5 * round(err * err, f32), f32) : round(delta * round(a - halfDelta, f32), f32);
    out.grad = err < -delta ? -delta : err > delta ? delta : err;
  }
}
