/**
 * Chooses the kernels an optimizer runs on: the native addon or the TypeScript reference.
 * Both implement the same `Kernels` interface and compute the same bits.
 */
import type { IsaName } from '../binding.js';
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

export function resolveBackend(requested: BackendName | undefined): Backend {
  if (requested === 'js') return reference();
  const native = loadNative();
  if (native.ok) return { name: 'native', kernels: native.binding };
  // An explicit request, or an explicit ISA, must not be silently replaced by the reference.
  if (requested === 'native' || native.forcedIsa) {
    throw new Error(`adam-simd: the native backend is unavailable: ${native.reason}`);
  }
  if (!warned) {
    warned = true;
    process.emitWarning(`native addon unavailable (${native.reason}); running on the TypeScript reference backend`, {
      type: 'AdamSimdWarning',
      code: 'ADAM_SIMD_NO_NATIVE',
    });
  }
  return reference();
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
}

/** What adam-simd runs on, on this machine. */
export function info(): Info {
  const native = loadNative();
  if (native.ok) {
    return { backend: 'native', isa: native.binding.isa, isas: [...native.binding.isas], binding: native.origin };
  }
  return { backend: 'js', isa: null, isas: [], binding: 'none', reason: native.reason };
}
