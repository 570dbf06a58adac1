/**
 * The network kernels, from the native addon or from the bit-identical TypeScript reference
 * (the optimizers' backend rules: 'native' throws when the addon does not load; undefined
 * means native when it loads, else the reference).
 */
import type { LinregOptions, MlpArgs } from '../../binding.js';
import type { BackendName } from '../backend.js';
import { loadNative } from '../native.js';
import { mlpForward, mlpLossGrad } from '../reference/mlp.js';

export interface MlpKernels {
  backend: BackendName;
  lossGrad: (args: MlpArgs, options?: LinregOptions) => number;
  forward: (args: MlpArgs, options?: LinregOptions) => void;
}

export function mlpKernels(requested: BackendName | undefined): MlpKernels {
  const reference: MlpKernels = { backend: 'js', lossGrad: mlpLossGrad, forward: mlpForward };
  if (requested === 'js') return reference;
  const native = loadNative();
  if (native.ok) return { backend: 'native', lossGrad: native.binding.mlpLossGrad, forward: native.binding.mlpForward };
  if (requested === 'native') throw new Error(`adam-simd: the native backend is unavailable: ${native.reason}`);
  return reference;
}
