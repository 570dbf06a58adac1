/**
 * The WebAssembly backend as one object: the optimizer kernels, the linear model's pass and
 * the optimizers' state allocator, over one heap. Made once, on first use; null where the module does not load (loadWasm()
 * says why).
 */
import type { LinregArgs, LinregOptions } from '../../binding.js';
import type { StateAllocator } from '../optim/layout.js';
import type { Kernels } from '../reference/index.js';
import { Heap } from './heap.js';
import { wasmKernels } from './kernels.js';
import { wasmLinregLossGrad } from './linreg.js';
import { loadWasm } from './module.js';

export { loadWasm } from './module.js';

export interface WasmBackend {
  kernels: Kernels;
  linregLossGrad(args: LinregArgs, options?: LinregOptions): number;
  /** Arrays in module memory (optimizer state, createParameters({ wasm: true })), which steps use in place. */
  allocateState: StateAllocator;
}

let backend: WasmBackend | null | undefined;

export function wasmBackend(): WasmBackend | null {
  if (backend === undefined) {
    const load = loadWasm();
    const heap = load.ok ? new Heap(load.exports) : null;
    backend = heap && {
      kernels: wasmKernels(heap),
      linregLossGrad: wasmLinregLossGrad(heap),
      allocateState: (Float, length) => heap.allocState(Float, length),
    };
  }
  return backend;
}
