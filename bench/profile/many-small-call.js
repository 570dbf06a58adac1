// One adamStep call over many small tensors (default 1000 × 100), repeated: run under
// `valgrind --tool=callgrind` (see profile.sh) to see where a call's time goes when the
// kernel itself has little to do. Forces no ISA: under valgrind the CPU reports no AVX-512.
import { HYPER, STEP, TensorSet, manySmall } from '../workloads.js';

const { adamScalars } = await import(new URL('../../dist/scalars.js', import.meta.url).href);
const { loadNative } = await import(new URL('../../dist/native.js', import.meta.url).href);
const native = loadNative();
if (!native.ok) throw new Error(native.reason);
const [count, size, calls] = process.argv.slice(2).map(Number);
const tensors = new TensorSet(manySmall(count || 1000, size || 100)).reset();
const scalars = adamScalars(HYPER, STEP);
for (let k = 0; k < (calls || 20); k++) native.binding.adamStep(tensors, scalars);
console.log(`isa ${native.binding.isa}: ${calls || 20} adamStep calls over ${tensors.length} tensors`);
