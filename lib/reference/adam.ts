import type { AdamScalars, AdamTensor } from '../../binding.js';
import { unpackScalars } from '../scalars.js';
import { l2Grad } from './l2-grad.js';
import { roundingFor } from './rounding.js';

/**
 * One Adam/AdamW step over every tensor, in place: the "Adam / AdamW" lines of
 * native/NUMERICS.md, one rounded operation per line. Trusts its input: the caller has
 * validated dtypes, lengths, aliasing and scalar ranges (as the native binding does).
 */
export function adamStep(tensors: readonly AdamTensor[], given: AdamScalars | Float64Array): void {
  const scalars = unpackScalars('adam', given);
  const round = roundingFor(tensors[0]?.param);
  // Each per-step scalar is rounded to the tensor's type once, and options are switched on
  // or off by the rounded value, exactly as the native kernels see them.
  const beta1 = round(scalars.beta1);
  const oneMinusBeta1 = round(scalars.oneMinusBeta1);
  const beta2 = round(scalars.beta2);
  const oneMinusBeta2 = round(scalars.oneMinusBeta2);
  const stepSize = round(scalars.stepSize);
  const epsHat = round(scalars.eps);
  const l2 = round(scalars.weightDecay);
  const decay = round(scalars.decay);
  const useL2 = l2 !== 0;
  const useDecay = decay !== 1;
  const amsgrad = scalars.amsgrad === true;
  const maximize = scalars.maximize === true;

  for (const { param, grad, expAvg, expAvgSq, maxExpAvgSq } of tensors) {
    for (let i = 0; i < param.length; i++) {
      let p = param[i]!;
      const g = l2Grad(grad[i]!, p, maximize, useL2, l2, round);
      if (useDecay) p = round(p * decay);
      const m = round(round(beta1 * expAvg[i]!) + round(oneMinusBeta1 * g));
      const v = round(round(beta2 * expAvgSq[i]!) + round(oneMinusBeta2 * round(g * g)));
      let s = v;
      if (amsgrad) {
        const vmax = maxExpAvgSq![i]!;
        s = vmax > v ? vmax : v;
        maxExpAvgSq![i] = s;
      }
      param[i] = round(p - round(stepSize * round(m / round(round(Math.sqrt(s)) + epsHat))));
      expAvg[i] = m;
      expAvgSq[i] = v;
    }
  }
}
