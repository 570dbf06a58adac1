/**
 * Chooses the kernels an optimizer runs on: the native addon, the WebAssembly build of the
 * same kernels, or the TypeScript reference. All implement the same `Kernels` interface and
 * compute the same bits.
 */
import type { Binding, IsaName } from '../binding.js';
import { loadNative, type BindingOrigin } from './native.js';
import type { StateAllocator } from './optim/layout.js';
import { referenceKernels, type Kernels } from './reference/index.js';
import { loadWasm, wasmBackend, type WasmBackend } from './wasm/index.js';

export type { Kernels };

/**
 * 'native': the C++ core, or an error if it cannot load. 'wasm': the same kernels compiled to
 * WebAssembly SIMD (every optimizer, clipping and the linear model; networks run on the
 * reference), or an error if it cannot load. 'js': the TypeScript reference.
 * Leaving it out means native when it loads, else wasm, else the reference, with one warning.
 */
export type BackendName = 'native' | 'wasm' | 'js';

/** The backend names an option accepts. */
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'wasm', 'js'];

export interface Backend {
  name: BackendName;
  kernels: Kernels;
  /** Where the optimizers keep state for these kernels, when not in ordinary arrays. */
  allocateState?: StateAllocator;
}

let warned = false;

function reference(): Backend {
  return { name: 'js', kernels: referenceKernels };
}

/** The backend a request resolves to, with what it runs on. */
export type Choice = { name: 'native'; binding: Binding } | { name: 'wasm'; wasm: WasmBackend } | { name: 'js' };

/**
 * The backend for a request: 'js' never loads anything; 'native' (or a forced ISA) and
 * 'wasm' throw when theirs does not load; leaving it out steps down native → wasm →
 * reference with one process warning naming why each step was taken and the fix — the
 * package has no install script, so a platform without a prebuild would otherwise run
 * slower unnoticed. Every kernel family (optimizers, linear model, networks) chooses here.
 */
export function chooseBackend(requested: BackendName | undefined): Choice {
  if (requested === 'js') return { name: 'js' };
  if (requested === 'wasm') return { name: 'wasm', wasm: requireWasm() };
  const native = loadNative();
  if (native.ok) return { name: 'native', binding: native.binding };
  // An explicit request, or an explicit ISA, must not be silently replaced by another backend.
  if (requested === 'native' || native.forcedIsa) {
    throw new Error(`adam-simd: the native backend is unavailable: ${native.reason}; to fix: ${native.fix}`);
  }
  const wasm = wasmBackend();
  if (!warned) {
    warned = true;
    const load = loadWasm();
    const step = wasm
      ? 'running on the WebAssembly backend (same bits, slower than native; networks run on the TypeScript reference). ' +
        `To fix: ${native.fix}; or pass backend: 'wasm' to choose it without this warning`
      : `and the WebAssembly backend did not load (${load.ok ? '' : load.reason}); running on the TypeScript reference backend (same bits, slower). ` +
        `To fix: ${native.fix}; or pass backend: 'js' to choose the reference without this warning`;
    process.emitWarning(`native addon unavailable (${native.reason}); ${step}`, { type: 'AdamSimdWarning', code: 'ADAM_SIMD_NO_NATIVE' });
  }
  return wasm ? { name: 'wasm', wasm } : { name: 'js' };
}

/** The wasm backend, or an error naming why it does not load. */
export function requireWasm(): WasmBackend {
  const wasm = wasmBackend();
  if (wasm) return wasm;
  const load = loadWasm();
  throw new Error(`adam-simd: the WebAssembly backend is unavailable: ${load.ok ? '' : load.reason}`);
}

/** The addon when the request resolves to it, else undefined (the kernel families without a wasm build: networks). */
export function nativeFor(requested: BackendName | undefined): Binding | undefined {
  const choice = chooseBackend(requested);
  return choice.name === 'native' ? choice.binding : undefined;
}

export function resolveBackend(requested: BackendName | undefined): Backend {
  const choice = chooseBackend(requested);
  if (choice.name === 'native') return { name: 'native', kernels: choice.binding };
  if (choice.name === 'js') return reference();
  return { name: 'wasm', kernels: choice.wasm.kernels, allocateState: choice.wasm.allocateState };
}

export interface Info {
  /** The backend an optimizer gets by default. */
  backend: BackendName;
  /** The instruction set the native backend uses (null without it, on the wasm backend too). */
  isa: IsaName | null;
  /** Every instruction set this CPU can run (empty without the native backend). */
  isas: readonly IsaName[];
  /** Where the native binary came from, or 'none'. */
  binding: BindingOrigin | 'none';
  /** Why the native backend is unavailable, when it is. */
  reason?: string;
  /** How to make it available, when it is not. */
  fix?: string;
}

/** What adam-simd runs on, on this machine. */
export function info(): Info {
  const native = loadNative();
  if (native.ok) {
    return { backend: 'native', isa: native.binding.isa, isas: [...native.binding.isas], binding: native.origin };
  }
  const backend = loadWasm().ok ? 'wasm' : 'js';
  return { backend, isa: null, isas: [], binding: 'none', reason: native.reason, fix: native.fix };
}
