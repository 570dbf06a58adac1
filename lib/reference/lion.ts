import type { LionScalars, LionTensor } from '../../binding.js';
import { unpackScalars } from '../scalars.js';
import { isFloat32, round } from './rounding.js';

/** torch.sign's values (native/NUMERICS.md, "Lion"): +1, −1, or +0 for ±0 and NaN. */
function torchSign(c: number): number {
  return c > 0 ? 1 : c < 0 ? -1 : 0;
}

/**
 * One Lion step over every tensor, in place: the "Lion" lines of native/NUMERICS.md, one
 * rounded operation per line. Trusts its input: the caller has validated dtypes, lengths,
 * aliasing and scalar ranges.
 */
export function lionStep(tensors: readonly LionTensor[], given: LionScalars | Float64Array): void {
  const scalars = unpackScalars('lion', given);
  const f32 = isFloat32(tensors[0]?.param);
  const lr = round(scalars.lr, f32);
  const beta1 = round(scalars.beta1, f32);
  const oneMinusBeta1 = round(scalars.oneMinusBeta1, f32);
  const beta2 = round(scalars.beta2, f32);
  const oneMinusBeta2 = round(scalars.oneMinusBeta2, f32);
  const decay = round(scalars.decay, f32);
  const decoupled = decay !== 1;

  for (const { param, grad, expAvg } of tensors) {
    for (let i = 0; i < param.length; i++) {
      const g = grad[i]!;
      const m = expAvg[i]!;
      const p = decoupled ? round(param[i]! * decay, f32) : param[i]!;
      const c = round(round(beta1 * m, f32) + round(oneMinusBeta1 * g, f32), f32);
      param[i] = round(p - round(lr * torchSign(c), f32), f32);
      expAvg[i] = round(round(beta2 * m, f32) + round(oneMinusBeta2 * g, f32), f32);
    }
  }
}
