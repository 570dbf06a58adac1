/**
 * The native network kernels against the TypeScript reference, bit for bit: every ISA this
 * CPU runs × 1, 2 and 3 threads × f32 and f64, over whole training runs (lossGrad, then an
 * Adam step, 12 steps) for every activation and loss, with odd widths so that vector tails
 * and uneven thread splits are exercised; and mlpForward against the reference forward.
 */
import { describe, expect, it } from 'vitest';
import type { Binding, FloatArray, MlpLossName } from '../binding.js';
import { matrixFromRows, vectorFrom } from '../lib/data/matrix.js';
import { seededRandom } from '../lib/data/random.js';
import { Dense } from '../lib/nn/dense.js';
import { Sequential } from '../lib/nn/sequential.js';
import { Adam } from '../lib/optim/adam.js';
import * as reference from '../lib/reference/mlp.js';
import type { ActivationName } from '../lib/reference/mlp.js';
import { expectSameBits } from './helpers/bits.js';
import { nativeBinding } from './helpers/native-binding.js';

const binding = nativeBinding();
type Kernel = Pick<Binding, 'mlpLossGrad' | 'mlpForward'>;
const backends: { label: string; kernel: Kernel; threads?: number }[] = [
  { label: 'reference', kernel: reference },
  ...binding.isas.flatMap((isa) => [1, 2, 3].map((threads) => ({ label: `${isa} × ${threads}`, kernel: binding.forIsa(isa), threads }))),
];

interface Case {
  hidden: ActivationName;
  last: ActivationName;
  loss: MlpLossName;
  units: number;
  widths: [number, number];
  rows: number;
}

const cases: Case[] = [
  { hidden: 'relu', last: 'linear', loss: 'mse', units: 1, widths: [64, 64], rows: 37 },
  // Enough work per call for the kernels to use all 3 threads (mlp.cpp, useful()).
  { hidden: 'relu', last: 'linear', loss: 'mse', units: 2, widths: [61, 64], rows: 701 },
  { hidden: 'tanh', last: 'linear', loss: 'huber', units: 3, widths: [19, 9], rows: 23 },
  { hidden: 'sigmoid', last: 'tanh', loss: 'mae', units: 2, widths: [33, 17], rows: 30 },
  { hidden: 'relu', last: 'sigmoid', loss: 'binaryCrossentropy', units: 5, widths: [40, 7], rows: 29 },
  { hidden: 'tanh', last: 'linear', loss: 'sparseCategoricalCrossentropy', units: 6, widths: [24, 11], rows: 31 },
];

function run(c: Case, dtype: 'f32' | 'f64', kernel: Kernel, threads: number | undefined) {
  const random = seededRandom(9);
  const inputs = 5;
  const x = matrixFromRows(
    Array.from({ length: c.rows }, () => Array.from({ length: inputs }, () => random() * 4 - 2)),
    dtype,
  );
  const Ctor = dtype === 'f32' ? Float32Array : Float64Array;
  const y: FloatArray =
    c.loss === 'sparseCategoricalCrossentropy'
      ? Ctor.from({ length: c.rows }, () => Math.floor(random() * c.units))
      : Ctor.from({ length: c.rows * c.units }, () => (c.loss === 'binaryCrossentropy' ? random() : random() * 6 - 3));
  const model = new Sequential(
    [
      new Dense({ units: c.widths[0], activation: c.hidden, inputSize: inputs }),
      new Dense({ units: c.widths[1], activation: c.hidden, useBias: false, kernelInitializer: 'heNormal' }),
      new Dense({ units: c.units, activation: c.last }),
    ],
    { seed: 3, dtype, backend: 'js' },
  );
  const grads = model.createGrads();
  const flat = new Ctor(model.allParams.length);
  const adam = new Adam(model.params, { lr: 0.01, backend: 'js' });
  const spec = (model as unknown as { spec: Uint32Array }).spec;
  const losses: number[] = [];
  const output = new Ctor(c.rows * c.units);
  for (let step = 0; step < 12; step++) {
    const args = { x: x.data, rows: c.rows, layers: spec, params: model.allParams, grads: flat, y, loss: c.loss, delta: 0.7, output };
    losses.push(kernel.mlpLossGrad(args, threads === undefined ? undefined : { threads }));
    let offset = 0;
    for (const g of Object.values(grads)) {
      g.set(flat.subarray(offset, offset + g.length));
      offset += g.length;
    }
    adam.step(grads);
  }
  const forward = new Ctor(c.rows * c.units);
  kernel.mlpForward(
    { x: x.data, rows: c.rows, layers: spec, params: model.allParams, output: forward },
    threads === undefined ? undefined : { threads },
  );
  return { losses: Ctor.from(losses), params: model.allParams, grads: flat, output, forward };
}

describe('native network kernels agree with the reference bit for bit', () => {
  for (const c of cases) {
    for (const dtype of ['f32', 'f64'] as const) {
      it(`${c.hidden}/${c.last}, ${c.loss}, ${dtype}`, () => {
        const want = run(c, dtype, reference, undefined);
        expect(Number.isFinite(want.losses[11])).toBe(true);
        expect(want.losses[11]).not.toBe(want.losses[0]);
        for (const b of backends.slice(1)) {
          const got = run(c, dtype, b.kernel, b.threads);
          expectSameBits(got.losses, want.losses, `${b.label} losses`);
          expectSameBits(got.params, want.params, `${b.label} params`);
          expectSameBits(got.grads, want.grads, `${b.label} grads`);
          expectSameBits(got.output, want.output, `${b.label} output`);
          expectSameBits(got.forward, want.forward, `${b.label} forward`);
        }
      });
    }
  }
});

/** §3.2's data: X = rand(100, 3), y = X·[2, −1, 3] + 1.5. */
function seedSet(dtype: 'f32' | 'f64') {
  const random = seededRandom(42);
  const rows = Array.from({ length: 100 }, () => [random(), random(), random()]);
  return {
    x: matrixFromRows(rows, dtype),
    y: vectorFrom(
      rows.map(([a, b, c]) => 2 * a! - b! + 3 * c! + 1.5),
      dtype,
    ),
  };
}

describe('Sequential.fit on the native kernels trains to the reference bits', () => {
  for (const dtype of ['f32', 'f64'] as const) {
    it(`the seed network, 4 shuffled epochs of batch 32 with validation, 1, 2 and 3 threads, ${dtype}`, () => {
      const { x, y } = seedSet(dtype);
      const train = (backend: 'native' | 'js', threads?: number) => {
        const model = new Sequential(
          [
            new Dense({ units: 64, activation: 'relu', inputSize: 3 }),
            new Dense({ units: 64, activation: 'tanh' }),
            new Dense({ units: 1 }),
          ],
          {
            seed: 2,
            dtype,
            backend,
          },
        );
        const adam = new Adam(model.params, { lr: 1e-3, backend });
        const history = model.fit(x, y, {
          epochs: 4,
          verbose: 0,
          validationSplit: 0.2,
          optimizer: adam,
          ...(threads === undefined ? {} : { threads }),
        });
        return { model, history };
      };
      const want = train('js');
      expect(want.history.loss[3]).toBeLessThan(want.history.loss[0]!);
      for (const threads of [1, 2, 3]) {
        const got = train('native', threads);
        expect(got.model.backend).toBe('native');
        expectSameBits(got.model.allParams, want.model.allParams, `${threads} threads params`);
        expectSameBits(Float64Array.from(got.history.valLoss), Float64Array.from(want.history.valLoss), `${threads} threads val_loss`);
      }
    });
  }
});
