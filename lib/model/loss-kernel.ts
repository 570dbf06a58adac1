/**
 * The kernels a linear model trains with, from the native addon or from the bit-identical
 * TypeScript reference (same choice rules as the optimizers' backend): the fused
 * loss/gradient kernel, and the row gather that builds shuffled mini-batches.
 */
import type { Binding, LinregArgs, LinregOptions } from '../../binding.js';
import type { BackendName } from '../backend.js';
import { loadNative } from '../native.js';
import { gatherRows as referenceGatherRows } from '../reference/gather.js';
import { linregLossGrad as referenceLossGrad } from '../reference/linreg.js';

export type LossGradKernel = (args: LinregArgs, options?: LinregOptions) => number;

export interface LossKernel {
  backend: BackendName;
  lossGrad: LossGradKernel;
  gatherRows: Binding['gatherRows'];
}

/** 'native' throws when the addon does not load; undefined means native when it loads, else js. */
export function lossKernel(requested: BackendName | undefined): LossKernel {
  const reference: LossKernel = { backend: 'js', lossGrad: referenceLossGrad, gatherRows: referenceGatherRows };
  if (requested === 'js') return reference;
  const native = loadNative();
  if (native.ok) return { backend: 'native', lossGrad: native.binding.linregLossGrad, gatherRows: native.binding.gatherRows };
  if (requested === 'native') throw new Error(`adam-simd: the native backend is unavailable: ${native.reason}`);
  return reference;
}
