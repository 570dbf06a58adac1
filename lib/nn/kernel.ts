/**
 * The network kernels, from the native addon or from the bit-identical TypeScript reference
 * (the optimizers' backend rules, backend.ts's nativeFor).
 */
import type { LinregOptions, MlpArgs } from '../../binding.js';
import { nativeFor, type BackendName } from '../backend.js';
import { mlpForward, mlpLossGrad } from '../reference/mlp.js';

export interface MlpKernels {
  backend: BackendName;
  lossGrad: (args: MlpArgs, options?: LinregOptions) => number;
  forward: (args: MlpArgs, options?: LinregOptions) => void;
}

export function mlpKernels(requested: BackendName | undefined): MlpKernels {
  const native = nativeFor(requested);
  if (native) return { backend: 'native', lossGrad: native.mlpLossGrad, forward: native.mlpForward };
  return { backend: 'js', lossGrad: mlpLossGrad, forward: mlpForward };
}
