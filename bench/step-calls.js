// Runs a fixed number of f32 Adam steps at 4,096 params, for instruction counts under
// callgrind (bench/callgrind.sh): `node bench/step-calls.js <form> <warmup> <steps>`, form
// one of adam-plain (the Adam class on the user's own Float32Arrays), adam-arena (over
// createParameters), binding (the raw adamStep, packed scalars) and seed (npm start's
// linear regression, lib/examples/seed-setup.ts: a "step" is one epoch of Trainer.train, which
// runs them in the native loop). Prints a checksum only.
import { Adam, createParameters } from '../dist/index.js';
import { loadNative } from '../dist/native.js';
import { adamScalars, packScalars } from '../dist/scalars.js';
import { seedData, seedTrainer } from '../dist/examples/seed-setup.js';
import { HYPER, STEP, TensorSet, singleTensor } from './workloads.js';

const SIZE = 4096;
const [form, warmup, steps] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const options = { lr: HYPER.lr, betas: [HYPER.beta1, HYPER.beta2], eps: HYPER.eps, threads: 1 };
const [t] = new TensorSet(singleTensor(SIZE)).tensors;

function stepper() {
  if (form === 'adam-plain') {
    const params = { w: Float32Array.from(t.param) };
    const grads = { w: Float32Array.from(t.grad) };
    const opt = new Adam(params, options);
    return { step: () => opt.step(grads), param: params.w };
  }
  if (form === 'adam-arena') {
    const a = createParameters({ w: SIZE });
    a.params.w.set(t.param);
    a.grads.w.set(t.grad);
    const opt = new Adam(a.params, options);
    return { step: () => opt.step(a.grads), param: a.params.w };
  }
  if (form === 'binding') {
    const native = loadNative();
    if (!native.ok) throw new Error(native.reason);
    const packed = packScalars('adam', adamScalars(HYPER, STEP));
    return { step: () => native.binding.adamStep([t], packed, { threads: 1 }), param: t.param };
  }
  if (form === 'seed') {
    // Trainer.train runs all its epochs in one call: warm-up and steps are a train() each.
    const { x, y } = seedData();
    return {
      train: (epochs) => {
        const { model, trainer } = seedTrainer({ log: () => {}, epochs });
        trainer.train(x, y);
        return model.weights;
      },
    };
  }
  throw new RangeError(`form: expected adam-plain, adam-arena, binding or seed, received "${form}"`);
}

if (!Number.isSafeInteger(warmup) || warmup < 0 || !Number.isSafeInteger(steps) || steps < 0) {
  throw new RangeError(`warmup and steps: expected integers ≥ 0, received "${process.argv[3]}" and "${process.argv[4]}"`);
}
const { step, train, param } = stepper();
if (train) {
  if (warmup > 0) train(warmup);
  console.log(`${form}: ${warmup} + ${steps} epochs, weights[0] = ${steps > 0 ? train(steps)[0] : 'none'}`);
} else {
  for (let k = 0; k < warmup + steps; k++) step();
  console.log(`${form}: ${warmup} + ${steps} steps, param[0] = ${param[0]}`);
}
