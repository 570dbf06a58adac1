/**
 * The backends the cross-implementation tests compare: the native addon bound to each ISA
 * this CPU runs (scalar first: the baseline), then the TypeScript reference.
 */
import type { Binding } from '../../binding.js';
import * as reference from '../../lib/reference/index.js';
import type { Backend } from './trajectory.js';

export { nativeBinding } from './native-binding.js';

/** One backend per ISA, worst to best (binding.isas order, so 'scalar' comes first). */
export function isaBackends(binding: Binding): Backend[] {
  return binding.isas.map((isa) => ({ label: isa, kernels: binding.forIsa(isa) }));
}

export const referenceBackend: Backend = { label: 'reference', kernels: reference };
