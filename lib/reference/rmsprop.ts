import type { RmspropScalars, RmspropTensor } from '../../binding.js';
import { unpackScalars } from '../scalars.js';
import { l2Grad } from './l2-grad.js';
import { roundingFor } from './rounding.js';

/**
 * One RMSprop step over every tensor, in place: the "RMSprop" lines of native/NUMERICS.md,
 * one rounded operation per line. Trusts its input: the caller has validated dtypes,
 * lengths, aliasing, scalar ranges and that gradAvg (centered) and momentumBuffer
 * (momentum ≠ 0) exist when needed.
 */
export function rmspropStep(tensors: readonly RmspropTensor[], given: RmspropScalars | Float64Array): void {
  const scalars = unpackScalars('rmsprop', given);
  const round = roundingFor(tensors[0]?.param);
  const lr = round(scalars.lr);
  const alpha = round(scalars.alpha);
  const oneMinusAlpha = round(scalars.oneMinusAlpha);
  const eps = round(scalars.eps);
  const weightDecay = round(scalars.weightDecay);
  const momentum = round(scalars.momentum);
  const useL2 = weightDecay !== 0;
  const useMomentum = momentum !== 0;
  const centered = scalars.centered === true;
  const maximize = scalars.maximize === true;

  for (const { param, grad, squareAvg, gradAvg, momentumBuffer } of tensors) {
    for (let i = 0; i < param.length; i++) {
      const p = param[i]!;
      const g = l2Grad(grad[i]!, p, maximize, useL2, weightDecay, round);
      const sq = round(round(alpha * squareAvg[i]!) + round(oneMinusAlpha * round(g * g)));
      squareAvg[i] = sq;
      let avg: number;
      if (centered) {
        const ga = round(round(alpha * gradAvg![i]!) + round(oneMinusAlpha * g));
        gradAvg![i] = ga;
        avg = round(round(Math.sqrt(round(sq - round(ga * ga)))) + eps);
      } else {
        avg = round(round(Math.sqrt(sq)) + eps);
      }
      if (useMomentum) {
        const buf = round(round(momentum * momentumBuffer![i]!) + round(g / avg));
        momentumBuffer![i] = buf;
        param[i] = round(p - round(lr * buf));
      } else {
        param[i] = round(p - round(lr * round(g / avg)));
      }
    }
  }
}
