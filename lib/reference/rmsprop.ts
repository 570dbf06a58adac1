import type { RmspropScalars, RmspropTensor } from '../../binding.js';
import { unpackScalars } from '../scalars.js';
import { l2Grad } from './l2-grad.js';
import { isFloat32, round } from './rounding.js';

/**
 * One RMSprop step over every tensor, in place: the "RMSprop" lines of native/NUMERICS.md,
 * one rounded operation per line. Trusts its input: the caller has validated dtypes,
 * lengths, aliasing, scalar ranges and that gradAvg (centered) and momentumBuffer
 * (momentum ≠ 0) exist when needed.
 */
export function rmspropStep(tensors: readonly RmspropTensor[], given: RmspropScalars | Float64Array): void {
  const scalars = unpackScalars('rmsprop', given);
  const f32 = isFloat32(tensors[0]?.param);
  const lr = round(scalars.lr, f32);
  const alpha = round(scalars.alpha, f32);
  const oneMinusAlpha = round(scalars.oneMinusAlpha, f32);
  const eps = round(scalars.eps, f32);
  const weightDecay = round(scalars.weightDecay, f32);
  const momentum = round(scalars.momentum, f32);
  const useL2 = weightDecay !== 0;
  const useMomentum = momentum !== 0;
  const centered = scalars.centered === true;
  const maximize = scalars.maximize === true;

  for (const { param, grad, squareAvg, gradAvg, momentumBuffer } of tensors) {
    for (let i = 0; i < param.length; i++) {
      const p = param[i]!;
      const g = l2Grad(grad[i]!, p, maximize, useL2, weightDecay, f32);
      const sq = round(round(alpha * squareAvg[i]!, f32) + round(oneMinusAlpha * round(g * g, f32), f32), f32);
      squareAvg[i] = sq;
      let avg: number;
      if (centered) {
        const ga = round(round(alpha * gradAvg![i]!, f32) + round(oneMinusAlpha * g, f32), f32);
        gradAvg![i] = ga;
        avg = round(round(Math.sqrt(round(sq - round(ga * ga, f32), f32)), f32) + eps, f32);
      } else {
        avg = round(round(Math.sqrt(sq), f32) + eps, f32);
      }
      if (useMomentum) {
        const buf = round(round(momentum * momentumBuffer![i]!, f32) + round(g / avg, f32), f32);
        momentumBuffer![i] = buf;
        param[i] = round(p - round(lr * buf, f32), f32);
      } else {
        param[i] = round(p - round(lr * round(g / avg, f32), f32), f32);
      }
    }
  }
}
