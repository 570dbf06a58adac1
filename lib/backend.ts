/**
 * Chooses the kernels an optimizer runs on: the native addon or the TypeScript reference.
 * Both implement the same `Kernels` interface and compute the same bits.
 */
import type { Binding, IsaName } from '../binding.js';
import { loadNative, type BindingOrigin } from './native.js';
import { referenceKernels, type Kernels } from './reference/index.js';

export type { Kernels };

/**
 * 'native': the C++ core, or an error if it cannot load. 'js': the TypeScript reference.
 * Leaving it out means native when it loads, else the reference with one warning.
 */
export type BackendName = 'native' | 'js';

export interface Backend {
  name: BackendName;
  kernels: Kernels;
}

let warned = false;

function reference(): Backend {
  return { name: 'js', kernels: referenceKernels };
}

/**
 * The addon for a requested backend, or undefined for the reference: 'js' never loads it,
 * 'native' (or a forced ISA) throws when it does not load, and leaving it out falls back to
 * the reference with one process warning naming the reason and the fix — the package has no
 * install script, so a platform without a prebuild would otherwise run slower unnoticed.
 * Every kernel family (optimizers, linear model, networks) chooses through here.
 */
export function nativeFor(requested: BackendName | undefined): Binding | undefined {
  if (requested === 'js') return undefined;
  const native = loadNative();
  if (native.ok) return native.binding;
  // An explicit request, or an explicit ISA, must not be silently replaced by the reference.
  if (requested === 'native' || native.forcedIsa) {
    throw new Error(`adam-simd: the native backend is unavailable: ${native.reason}; to fix: ${native.fix}`);
  }
  if (!warned) {
    warned = true;
    process.emitWarning(
      `native addon unavailable (${native.reason}); running on the TypeScript reference backend (same bits, slower). ` +
        `To fix: ${native.fix}; or pass backend: 'js' to choose the reference without this warning`,
      { type: 'AdamSimdWarning', code: 'ADAM_SIMD_NO_NATIVE' },
    );
  }
  return undefined;
}

export function resolveBackend(requested: BackendName | undefined): Backend {
  const binding = nativeFor(requested);
  return binding ? { name: 'native', kernels: binding } : reference();
}

export interface Info {
  /** The backend an optimizer gets by default. */
  backend: BackendName;
  /** The instruction set the native backend uses (null without it). */
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
  return { backend: 'js', isa: null, isas: [], binding: 'none', reason: native.reason, fix: native.fix };
}
