import type { AdagradScalars, AdagradTensor } from '../../binding.js';
import { unpackScalars } from '../scalars.js';
import { l2Grad } from './l2-grad.js';
import { isFloat32, round } from './rounding.js';

/**
 * One Adagrad step over every tensor, in place: the "Adagrad" lines of native/NUMERICS.md,
 * one rounded operation per line. Trusts its input: the caller has validated dtypes,
 * lengths, aliasing and scalar ranges.
 */
export function adagradStep(tensors: readonly AdagradTensor[], given: AdagradScalars | Float64Array): void {
  const scalars = unpackScalars('adagrad', given);
  const f32 = isFloat32(tensors[0]?.param);
  const clr = round(scalars.clr, f32);
  const eps = round(scalars.eps, f32);
  const weightDecay = round(scalars.weightDecay, f32);
  const useL2 = weightDecay !== 0;
  const maximize = scalars.maximize === true;

  for (const { param, grad, stateSum } of tensors) {
    for (let i = 0; i < param.length; i++) {
      const p = param[i]!;
      const g = l2Grad(grad[i]!, p, maximize, useL2, weightDecay, f32);
      const sum = round(stateSum[i]! + round(g * g, f32), f32);
      param[i] = round(p - round(clr * round(g / round(round(Math.sqrt(sum), f32) + eps, f32), f32), f32), f32);
      stateSum[i] = sum;
    }
  }
}
