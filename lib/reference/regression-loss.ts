/**
 * One element's regression loss term and gradient factor, shared by the linear-model and the
 * network references (native/NUMERICS.md: the same per-element formulas in both kernels).
 * For MSE the factor is err, not 2·err: the linear model applies the 2 once to each summed
 * gradient, the network to each element; each caller keeps its own order of that multiply.
 */
import type { LinregLossName } from '../../binding.js';
import type { Round } from './rounding.js';

/** Written by regressionTerm: reused by the caller, so the per-element loop allocates nothing. */
export interface Term {
  loss: number;
  grad: number;
}

/** err = prediction − target; halfDelta = r(0.5·delta), both already rounded (Huber only). */
export function regressionTerm(kind: LinregLossName, err: number, delta: number, halfDelta: number, r: Round, out: Term): void {
  if (kind === 'mse') {
    out.loss = r(err * err);
    out.grad = err;
  } else if (kind === 'mae') {
    out.loss = Math.abs(err);
    out.grad = err > 0 ? 1 : err < 0 ? -1 : err;
  } else {
    const a = Math.abs(err);
    out.loss = a < delta ? r(0.5 * r(err * err)) : r(delta * r(a - halfDelta));
    out.grad = err < -delta ? -delta : err > delta ? delta : err;
  }
}
