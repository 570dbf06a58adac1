import type { AdamScalars, AdamTensor } from '../../binding.js';
import { unpackScalars } from '../scalars.js';
import { l2Grad } from './l2-grad.js';
import { isFloat32, round } from './rounding.js';

/**
 * One Adam/AdamW step over every tensor, in place: the "Adam / AdamW" lines of
 * native/NUMERICS.md, one rounded operation per line. Trusts its input: the caller has
 * validated dtypes, lengths, aliasing and scalar ranges (as the native binding does).
 */
export function adamStep(tensors: readonly AdamTensor[], given: AdamScalars | Float64Array): void {
  const scalars = unpackScalars('adam', given);
  const f32 = isFloat32(tensors[0]?.param);
  // Each per-step scalar is rounded to the tensor's type once, and options are switched on
  // or off by the rounded value, exactly as the native kernels see them.
  const beta1 = round(scalars.beta1, f32);
  const oneMinusBeta1 = round(scalars.oneMinusBeta1, f32);
  const beta2 = round(scalars.beta2, f32);
  const oneMinusBeta2 = round(scalars.oneMinusBeta2, f32);
  const stepSize = round(scalars.stepSize, f32);
  const epsHat = round(scalars.eps, f32);
  const l2 = round(scalars.weightDecay, f32);
  const decay = round(scalars.decay, f32);
  const useL2 = l2 !== 0;
  const useDecay = decay !== 1;
  const amsgrad = scalars.amsgrad === true;
  const maximize = scalars.maximize === true;

  for (const { param, grad, expAvg, expAvgSq, maxExpAvgSq } of tensors) {
    for (let i = 0; i < param.length; i++) {
      let p = param[i]!;
      const g = l2Grad(grad[i]!, p, maximize, useL2, l2, f32);
      if (useDecay) p = round(p * decay, f32);
      const m = round(round(beta1 * expAvg[i]!, f32) + round(oneMinusBeta1 * g, f32), f32);
      const v = round(round(beta2 * expAvgSq[i]!, f32) + round(oneMinusBeta2 * round(g * g, f32), f32), f32);
      let s = v;
      if (amsgrad) {
        const vmax = maxExpAvgSq![i]!;
        s = vmax > v ? vmax : v;
        maxExpAvgSq![i] = s;
      }
      param[i] = round(p - round(stepSize * round(m / round(round(Math.sqrt(s), f32) + epsHat, f32), f32), f32), f32);
      expAvg[i] = m;
      expAvgSq[i] = v;
    }
  }
}
