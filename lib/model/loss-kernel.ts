/**
 * The fused loss/gradient kernel of a linear model, from the native addon or from the
 * bit-identical TypeScript reference (same choice rules as the optimizers' backend).
 */
import type { LinregArgs, LinregOptions } from '../../binding.js';
import type { BackendName } from '../backend.js';
import { loadNative } from '../native.js';
import { linregLossGrad as referenceLossGrad } from '../reference/linreg.js';

export type LossGradKernel = (args: LinregArgs, options?: LinregOptions) => number;

export interface LossKernel {
  backend: BackendName;
  lossGrad: LossGradKernel;
}

/** 'native' throws when the addon does not load; undefined means native when it loads, else js. */
export function lossKernel(requested: BackendName | undefined): LossKernel {
  if (requested === 'js') return { backend: 'js', lossGrad: referenceLossGrad };
  const native = loadNative();
  if (native.ok) return { backend: 'native', lossGrad: native.binding.linregLossGrad };
  if (requested === 'native') throw new Error(`adam-simd: the native backend is unavailable: ${native.reason}`);
  return { backend: 'js', lossGrad: referenceLossGrad };
}
