// The WebAssembly backend (lib/wasm, built to dist/wasm): the generic kernels compiled to
// WebAssembly SIMD128, one thread. Three rows: the Adam class with backend: 'wasm' over
// createParameters() views, as a user runs it (state in module memory, stepped in place; the
// parameters and gradients copied in and the parameters out, a chunk at a time); the same
// with createParameters({ wasm: true }), nothing copied; and the backend's adamStep on the
// bench's own arrays, everything copied. The differences are what the copies cost. Timed only
// when built and loaded.
import { existsSync } from 'node:fs';
import { packScalars } from '../../dist/scalars.js';

export async function wasmImplementations(distDir, scalars, hyper) {
  const path = new URL('wasm/index.js', distDir);
  if (!existsSync(path)) return { missing: `${path.pathname} not built (run npx tsc -p .)` };
  const { loadWasm, wasmBackend } = await import(path.href);
  const wasm = wasmBackend();
  if (!wasm) return { missing: `the wasm module did not load: ${loadWasm().reason}` };
  const { Adam, createParameters } = await import(new URL('index.js', distDir).href);
  const packed = packScalars('adam', scalars); // as the optimizer classes pass them
  return {
    list: [
      ...[false, true].map((inModule) => ({
        id: inModule ? 'wasm-class-in-module' : 'wasm-class',
        label: inModule ? 'Adam class, wasm, params in module' : 'Adam class, wasm backend',
        family: 'wasm',
        threads: 1,
        setup: (tensors) => {
          const lengths = Object.fromEntries(tensors.map((t, i) => [`t${i}`, t.param.length]));
          const arena = createParameters(lengths, { wasm: inModule });
          tensors.forEach((t, i) => {
            arena.params[`t${i}`].set(t.param);
            arena.grads[`t${i}`].set(t.grad);
          });
          const opt = new Adam(arena.params, { lr: hyper.lr, betas: [hyper.beta1, hyper.beta2], eps: hyper.eps, backend: 'wasm' });
          return { step: () => opt.step(arena.grads) };
        },
      })),
      {
        id: 'wasm-copied',
        label: 'wasm adamStep, all copied',
        family: 'wasm',
        threads: 1,
        setup: (tensors) => ({ step: () => wasm.kernels.adamStep(tensors, packed) }),
      },
    ],
  };
}
