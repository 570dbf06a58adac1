/**
 * The kernels a linear model trains with, from the native addon, its WebAssembly build or the
 * bit-identical TypeScript reference (same choice rules as the optimizers' backend): the fused
 * loss/gradient kernel, and the row gather that builds shuffled mini-batches.
 */
import type { Binding, LinregArgs, LinregOptions } from '../../binding.js';
import { chooseBackend, type BackendName } from '../backend.js';
import { gatherRows as referenceGatherRows } from '../reference/gather.js';
import { linregLossGrad as referenceLossGrad } from '../reference/linreg.js';

export type LossGradKernel = (args: LinregArgs, options?: LinregOptions) => number;

export interface LossKernel {
  backend: BackendName;
  lossGrad: LossGradKernel;
  gatherRows: Binding['gatherRows'];
}

/** The optimizers' backend rules (backend.ts's chooseBackend). The wasm backend gathers rows with the reference's gather (a copy either way). */
export function lossKernel(requested: BackendName | undefined): LossKernel {
  const choice = chooseBackend(requested);
  if (choice.name === 'native')
    return { backend: 'native', lossGrad: choice.binding.linregLossGrad, gatherRows: choice.binding.gatherRows };
  if (choice.name === 'wasm') return { backend: 'wasm', lossGrad: choice.wasm.linregLossGrad, gatherRows: referenceGatherRows };
  return { backend: 'js', lossGrad: referenceLossGrad, gatherRows: referenceGatherRows };
}
