/**
 * The backends the cross-implementation tests compare: the native addon bound to each ISA
 * this CPU runs (scalar first: the baseline), the WebAssembly build of the same kernels
 * (which runs on every machine), then the TypeScript reference.
 */
import type { Binding } from '../../binding.js';
import * as reference from '../../lib/reference/index.js';
import { loadWasm, wasmBackend } from '../../lib/wasm/index.js';
import type { Backend } from './trajectory.js';

export { nativeBinding } from './native-binding.js';

/** One backend per ISA, worst to best (binding.isas order, so 'scalar' comes first). */
export function isaBackends(binding: Binding): Backend[] {
  return binding.isas.map((isa) => ({ label: isa, kernels: binding.forIsa(isa) }));
}

export const referenceBackend: Backend = { label: 'reference', kernels: reference };

/** The wasm backend's kernels; throws (failing the suite) where the module does not load. */
function wasmKernels(): Backend['kernels'] {
  const wasm = wasmBackend();
  if (!wasm) throw new Error(`the WebAssembly backend did not load: ${JSON.stringify(loadWasm())}`);
  return wasm.kernels;
}

export const wasmTestBackend: Backend = { label: 'wasm', kernels: wasmKernels() };

/** Every compiled build of the generic kernels: each native ISA (isaBackends), then wasm. */
export function kernelBuilds(binding: Binding): Backend[] {
  return [...isaBackends(binding), wasmTestBackend];
}
