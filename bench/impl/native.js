// The native core through binding.forIsa(isa), for every ISA this CPU runs: the Adam kernel
// and its same-traffic baseline (adamTraffic: the same bytes read and written, no arithmetic).

import { availableParallelism } from 'node:os';
import { packScalars } from '../../dist/scalars.js';

/** Thread counts to time: one, and every core (the binding's default). */
export function nativeThreadCounts() {
  return [...new Set([1, availableParallelism()])];
}

export function nativeImplementations(binding, scalars) {
  const packed = packScalars('adam', scalars); // as the optimizer classes pass them
  const list = [];
  for (const isa of binding.isas) {
    const b = binding.forIsa(isa);
    for (const threads of nativeThreadCounts()) {
      list.push({
        id: `native-${isa}-t${threads}`,
        label: `native ${isa}`,
        family: 'native',
        isa,
        threads,
        setup: (tensors) => ({ step: () => b.adamStep(tensors, packed, { threads }) }),
      });
      list.push({
        id: `traffic-${isa}-t${threads}`,
        label: `traffic limit ${isa}`,
        family: 'traffic',
        isa,
        threads,
        setup: (tensors) => ({ step: () => b.adamTraffic(tensors, { threads }) }),
      });
    }
  }
  return list;
}
