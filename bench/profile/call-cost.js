// The fixed cost of one adamStep call: one tensor of `size` params (default 4,096), stepped
// `calls` times with the scalars as an object (ten named properties) and packed in a
// Float64Array (binding.scalarKeys order, as the optimizer classes pass them). Prints the
// median µs per call of 9 batches each, alternating the forms. With `--only object|packed`
// it runs one form only, for callgrind (see call-cost.sh).
import { HYPER, STEP, TensorSet, singleTensor } from '../workloads.js';

const { adamScalars, packScalars } = await import(new URL('../../dist/scalars.js', import.meta.url).href);
const { loadNative } = await import(new URL('../../dist/native.js', import.meta.url).href);
const native = loadNative();
if (!native.ok) throw new Error(native.reason);
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : null;
const [size = 4096, calls = 20000] = args.map(Number);
const tensors = new TensorSet(singleTensor(size)).reset();
const object = adamScalars(HYPER, STEP);
const forms = { object, packed: packScalars('adam', object) };
const step = native.binding.adamStep;
const names = only ? [only] : ['object', 'packed'];
const times = Object.fromEntries(names.map((n) => [n, []]));
for (let batch = 0; batch < (only ? 1 : 9); batch++) {
  for (const name of names) {
    const scalars = forms[name];
    const t = process.hrtime.bigint();
    for (let k = 0; k < calls; k++) step(tensors, scalars);
    times[name].push(Number(process.hrtime.bigint() - t) / 1e3 / calls);
  }
}
const median = (v) => v.sort((a, b) => a - b)[v.length >> 1];
const summary = names.map((n) => `${n} ${median(times[n]).toFixed(3)} µs`).join(', ');
console.log(`isa ${native.binding.isa}, ${size} params, ${calls} calls per batch: ${summary} per call`);
