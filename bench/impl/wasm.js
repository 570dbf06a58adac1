// The WebAssembly backend (lib/wasm, built to dist/wasm): the generic kernels compiled to
// WebAssembly SIMD128, stepping the caller's arrays through its chunked copies (one thread),
// as an optimizer with backend: 'wasm' does. Timed only when it has been built and loads.
import { existsSync } from 'node:fs';
import { packScalars } from '../../dist/scalars.js';

export async function wasmImplementation(distDir, scalars) {
  const path = new URL('wasm/index.js', distDir);
  if (!existsSync(path)) return { missing: `${path.pathname} not built (run npx tsc -p .)` };
  const { loadWasm, wasmBackend } = await import(path.href);
  const wasm = wasmBackend();
  if (!wasm) return { missing: `the wasm module did not load: ${loadWasm().reason}` };
  const packed = packScalars('adam', scalars); // as the optimizer classes pass them
  return {
    id: 'wasm',
    label: 'wasm backend (SIMD128)',
    family: 'wasm',
    threads: 1,
    setup: (tensors) => ({ step: () => wasm.kernels.adamStep(tensors, packed) }),
  };
}
