import type { SgdScalars, SgdTensor } from '../../binding.js';
import { unpackScalars } from '../scalars.js';
import { l2Grad } from './l2-grad.js';
import { isFloat32, round } from './rounding.js';

/**
 * One SGD step over every tensor, in place: the "SGD" lines of native/NUMERICS.md, one
 * rounded operation per line. Trusts its input: the caller has validated dtypes, lengths,
 * aliasing, scalar ranges and that a momentum buffer exists when momentum is not 0.
 */
export function sgdStep(tensors: readonly SgdTensor[], given: SgdScalars | Float64Array): void {
  const scalars = unpackScalars('sgd', given);
  const f32 = isFloat32(tensors[0]?.param);
  const lr = round(scalars.lr, f32);
  const momentum = round(scalars.momentum, f32);
  const oneMinusDampening = round(scalars.oneMinusDampening, f32);
  const weightDecay = round(scalars.weightDecay, f32);
  const useL2 = weightDecay !== 0;
  // Whether a momentum buffer is in play is decided on the value as given (the binding
  // requires the buffer for any non-zero momentum), not on its rounded value.
  const useMomentum = scalars.momentum !== 0;
  const firstStep = scalars.firstStep === true;
  const nesterov = scalars.nesterov === true;
  const maximize = scalars.maximize === true;

  for (const { param, grad, momentumBuffer } of tensors) {
    for (let i = 0; i < param.length; i++) {
      const p = param[i]!;
      let g = l2Grad(grad[i]!, p, maximize, useL2, weightDecay, f32);
      if (useMomentum) {
        const buf = firstStep ? g : round(round(momentum * momentumBuffer![i]!, f32) + round(oneMinusDampening * g, f32), f32);
        momentumBuffer![i] = buf;
        g = nesterov ? round(g + round(momentum * buf, f32), f32) : buf;
      }
      param[i] = round(p - round(lr * g, f32), f32);
    }
  }
}
