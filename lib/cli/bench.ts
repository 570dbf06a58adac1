/** `adam-simd bench`: a short throughput check of the fused kernel against reading X once. */
import { allocate } from '../data/matrix.js';
import { seededRandom } from '../data/random.js';
import { loadNative } from '../native.js';

export function bench(rows: number, cols: number, repeats: number, threads?: number): void {
  const native = loadNative();
  if (!native.ok) throw new Error(`the native backend is unavailable: ${native.reason}`);
  const b = native.binding;
  const random = seededRandom(1);
  const x = allocate('float32', rows * cols).map(() => random());
  const args = {
    x,
    rows,
    cols,
    y: allocate('float32', rows).map(() => random()),
    weights: allocate('float32', cols),
    bias: allocate('float32', 1),
    gradWeights: allocate('float32', cols),
    gradBias: allocate('float32', 1),
  };
  const time = (f: () => void) => {
    f();
    const t = process.hrtime.bigint();
    for (let r = 0; r < repeats; r++) f();
    return Number(process.hrtime.bigint() - t) / 1e9 / repeats;
  };
  const gb = x.byteLength / 1e9;
  const options = threads === undefined ? undefined : { threads };
  const on = threads === undefined ? 'every core' : `at most ${threads} thread${threads === 1 ? '' : 's'}`;
  console.log(
    `f32 ${rows} × ${cols} (${(x.byteLength / 1e6).toFixed(1)} MB), ISA ${b.isa}, ${on}, mean of ${repeats} runs after one warm-up`,
  );
  const kernel = time(() => b.linregLossGrad(args, options));
  const read = time(() => b.readOnce(x, options));
  console.log(`linregLossGrad ${(kernel * 1e3).toFixed(3)} ms/epoch  ${(gb / kernel).toFixed(1)} GB/s of X`);
  console.log(`readOnce       ${(read * 1e3).toFixed(3)} ms        ${(gb / read).toFixed(1)} GB/s`);
}
