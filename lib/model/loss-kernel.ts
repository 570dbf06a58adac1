/**
 * The kernels a linear model trains with, from the native addon or from the bit-identical
 * TypeScript reference (same choice rules as the optimizers' backend): the fused
 * loss/gradient kernel, and the row gather that builds shuffled mini-batches.
 */
import type { Binding, LinregArgs, LinregOptions } from '../../binding.js';
import { nativeFor, type BackendName } from '../backend.js';
import { gatherRows as referenceGatherRows } from '../reference/gather.js';
import { linregLossGrad as referenceLossGrad } from '../reference/linreg.js';

export type LossGradKernel = (args: LinregArgs, options?: LinregOptions) => number;

export interface LossKernel {
  backend: BackendName;
  lossGrad: LossGradKernel;
  gatherRows: Binding['gatherRows'];
}

/** The optimizers' backend rules (backend.ts's nativeFor). */
export function lossKernel(requested: BackendName | undefined): LossKernel {
  const native = nativeFor(requested);
  if (native) return { backend: 'native', lossGrad: native.linregLossGrad, gatherRows: native.gatherRows };
  return { backend: 'js', lossGrad: referenceLossGrad, gatherRows: referenceGatherRows };
}
