/**
 * Mini-batch epochs in one native call (lib/trainer/native-loop.ts, binding.d.ts:
 * trainLinreg with options.batchSize / randomState) give exactly the bits of today's
 * batch-by-batch training (lib/trainer/batches.ts: the seeded shuffle, the row gather, a pass
 * and a step per batch) — losses, parameters, optimizer state, the random state — for every
 * dtype, optimizer, loss, batching, thread count and ISA, and refuse bad batching arguments
 * before writing anything. (Early stopping and divergence with mini-batches: native-loop.test.ts.)
 */
import { describe, expect, it, vi } from 'vitest';
import { Adam, SGD, type Optimizer } from '../lib/index.js';
import type { Dtype } from '../lib/data/matrix.js';
import { seededRandom, shuffleInPlace } from '../lib/data/random.js';
import { LinearRegression } from '../lib/model/linear-regression.js';
import { MiniBatches } from '../lib/trainer/batches.js';
import { MAX_STEPS_PER_CALL } from '../lib/trainer/native-loop.js';
import { StepLR } from '../lib/schedulers/step-lr.js';
import { Trainer } from '../lib/trainer/trainer.js';
import { adamScalars, packScalars, scalarKeys } from '../lib/scalars.js';
import type { IsaName } from '../binding.js';
import { expectSameBits } from './helpers/bits.js';
import { nativeBinding } from './helpers/native-binding.js';
import { optimizers as registry, type AnyOptions } from './helpers/optimizers.js';
import { syntheticData } from './helpers/least-squares.js';

const binding = nativeBinding();

type Params = LinearRegression['params'];
type Backend = 'native' | 'js';
type Made = Optimizer<'weights' | 'bias', AnyOptions>;
/** Every optimizer of the registry, with its suite options. */
const optimizers: Record<string, (p: Params, backend?: Backend) => Made> = Object.fromEntries(
  registry.map((row) => [row.name, (p: Params, backend: Backend = 'native') => row.create(p, { ...row.options, backend }) as Made]),
);
const stride: Record<string, number> = Object.fromEntries(registry.map((row) => [row.name, scalarKeys[row.definition.kernel].length]));

type Data = ReturnType<typeof syntheticData>;
interface Run {
  model: LinearRegression;
  optimizer: Made;
  losses: Float64Array;
}

/** Today's mini-batch training, batch by batch in JavaScript: what Trainer.epoch does. */
function byHand(
  dtype: Dtype,
  make: (p: Params) => Run['optimizer'],
  data: Data,
  o: { epochs: number; size: number; shuffle: boolean; loss: 'mse' | 'mae' | 'huber'; seed: number; threads?: number },
): Run {
  const model = new LinearRegression(data.x.cols, { dtype, seed: 5 });
  const optimizer = make(model.params);
  const grads = model.createGrads();
  const random = seededRandom(o.seed);
  const size = Math.min(o.size, data.x.rows);
  const lossOptions = { loss: o.loss, delta: 0.5, ...(o.threads === undefined ? {} : { threads: o.threads }) };
  const losses = new Float64Array(o.epochs);
  for (let e = 0; e < o.epochs; e++) {
    const step = (bx: Data['x'], by: Data['y']) => {
      const loss = model.lossGrad(bx, by, grads, lossOptions);
      optimizer.step(grads);
      return loss;
    };
    losses[e] =
      size === data.x.rows
        ? step(data.x, data.y)
        : new MiniBatches(data.x, data.y, size, dtype, binding.gatherRows).epoch(o.shuffle ? random : undefined, step);
  }
  return { model, optimizer, losses };
}

function expectSameRun(actual: Run, expected: Run): void {
  expectSameBits(actual.losses, expected.losses, 'losses');
  expectSameBits(actual.model.params.weights, expected.model.params.weights, 'weights');
  expectSameBits(actual.model.params.bias, expected.model.params.bias, 'bias');
  expect(actual.optimizer.stepCount).toBe(expected.optimizer.stepCount);
  for (const key of ['weights', 'bias'] as const) {
    for (const [name, buffer] of Object.entries(actual.optimizer.stateOf(key))) {
      expectSameBits(buffer, expected.optimizer.stateOf(key)[name]!, `state ${key}.${name}`);
    }
  }
}

describe('Trainer: mini-batch epochs in one native call', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, make] of Object.entries(optimizers)) {
      for (const loss of ['mse', 'mae', 'huber'] as const) {
        it(`${dtype} ${name} ${loss}: shuffled batches of 32 of 100 rows, the bits of batch-by-batch training, a call per log line`, () => {
          const data = syntheticData(100, [2, -1, 3], 1.5, 0.1, 42, dtype);
          const expected = byHand(dtype, make, data, { epochs: 30, size: 32, shuffle: true, loss, seed: 8 });
          const model = new LinearRegression(3, { dtype, seed: 5 });
          const optimizer = make(model.params);
          const calls = vi.spyOn(binding, 'trainLinreg');
          const lines: string[] = [];
          const history = new Trainer(model, optimizer, {
            epochs: 30,
            batchSize: 32,
            seed: 8,
            loss,
            delta: 0.5,
            logEvery: 10,
            log: (l) => lines.push(l),
          }).train(data.x, data.y);
          // Epochs 1–10, 11–20, 21–30, four steps each (32, 32, 32, 4 rows).
          expect(calls.mock.calls.map(([, , scalars]) => scalars.length / stride[name]!)).toEqual([40, 40, 40]);
          expect(calls.mock.calls.map(([, , , options]) => options?.batchSize)).toEqual([32, 32, 32]);
          calls.mockRestore();
          expect(lines).toEqual([10, 20, 30].map((e) => `Epoch ${e}, Loss: ${expected.losses[e - 1]!.toPrecision(6)}`));
          expectSameRun({ model, optimizer, losses: new Float64Array(history.loss) }, expected);
          expect(optimizer.stepCount).toBe(120);
        });
      }
    }
  }

  const batchings = [
    { size: 25, shuffle: true, steps: 4 },
    { size: 25, shuffle: false, steps: 4 },
    { size: 32, shuffle: false, steps: 4 },
    { size: 1, shuffle: true, steps: 100 },
    { size: 99, shuffle: true, steps: 2 },
    { size: 100, shuffle: true, steps: 1 },
    { size: 150, shuffle: true, steps: 1 },
  ];
  for (const { size, shuffle, steps } of batchings) {
    it(`f32 Adam huber, batchSize ${size} of 100 rows, shuffle ${shuffle}: ${steps} steps an epoch, the bits of batch-by-batch training`, () => {
      const data = syntheticData(100, [0.5, 2, -1], 0.2, 0.3, 17, 'float32');
      const expected = byHand('float32', optimizers.Adam!, data, { epochs: 12, size, shuffle, loss: 'huber', seed: 3 });
      const model = new LinearRegression(3, { dtype: 'float32', seed: 5 });
      const optimizer = optimizers.Adam!(model.params);
      const calls = vi.spyOn(binding, 'trainLinreg');
      const history = new Trainer(model, optimizer, { epochs: 12, batchSize: size, shuffle, seed: 3, loss: 'huber', delta: 0.5 }).train(
        data.x,
        data.y,
      );
      expect(calls.mock.calls.map(([, , scalars]) => scalars.length / scalarKeys.adam.length)).toEqual([12 * steps]);
      // A full batch takes no shuffle, so it is given no random state.
      expect(calls.mock.calls[0]![3]?.randomState !== undefined).toBe(shuffle && steps > 1);
      calls.mockRestore();
      expectSameRun({ model, optimizer, losses: new Float64Array(history.loss) }, expected);
    });
  }

  it('the random state carries from call to call: an epoch a call gives the orders of one long run', () => {
    const data = syntheticData(64, [1, -2, 0.5], 0, 0.2, 4, 'float64');
    const expected = byHand('float64', optimizers.SGD!, data, { epochs: 50, size: 10, shuffle: true, loss: 'mse', seed: 99 });
    const model = new LinearRegression(3, { seed: 5 });
    const optimizer = optimizers.SGD!(model.params);
    const calls = vi.spyOn(binding, 'trainLinreg');
    const history = new Trainer(model, optimizer, { epochs: 50, batchSize: 10, seed: 99, onEpochEnd: () => undefined }).train(
      data.x,
      data.y,
    );
    // onEpochEnd runs after every epoch: one epoch per call.
    expect(calls.mock.calls.length).toBe(50);
    const states = calls.mock.calls.map(([, , , options]) => options!.randomState!);
    const random = seededRandom(99);
    const order = new Uint32Array(64);
    for (const state of states) {
      expect(state).toBe(random.state);
      shuffleInPlace(order, random);
    }
    calls.mockRestore();
    expectSameRun({ model, optimizer, losses: new Float64Array(history.loss) }, expected);
  });

  it(`at most ${MAX_STEPS_PER_CALL} steps a call (whole epochs): batches of 1 of 1,000 rows, 300 epochs in two calls, the bits of three calls of 100`, () => {
    const data = syntheticData(1000, [1, -1, 2], 0, 0.1, 6, 'float32');
    const run = (logEvery: number) => {
      const model = new LinearRegression(3, { dtype: 'float32', seed: 5 });
      const optimizer = new SGD(model.params, { lr: 1e-3 });
      const calls = vi.spyOn(binding, 'trainLinreg');
      const history = new Trainer(model, optimizer, { epochs: 300, batchSize: 1, seed: 1, logEvery, log: () => {} }).train(data.x, data.y);
      const epochsPerCall = calls.mock.calls.map(([, , scalars]) => scalars.length / scalarKeys.sgd.length / 1000);
      calls.mockRestore();
      return { model, optimizer, losses: new Float64Array(history.loss), epochsPerCall };
    };
    const capped = run(0);
    const perEpoch = Math.floor(MAX_STEPS_PER_CALL / 1000);
    expect(capped.epochsPerCall).toEqual([perEpoch, 300 - perEpoch]);
    const hundreds = run(100);
    expect(hundreds.epochsPerCall).toEqual([100, 100, 100]);
    expectSameRun(capped, hundreds);
  });

  it('partialFit on chunks of new rows, in batches of 8: one trainLinreg call each, the reference backend’s bits and losses', () => {
    const data = syntheticData(120, [1, -2, 0.5], 0.3, 0.2, 8, 'float64');
    const chunk = (k: number) => ({
      x: { data: data.x.data.subarray(k * 90, (k + 1) * 90), rows: 30, cols: 3 },
      y: data.y.subarray(k * 30, (k + 1) * 30),
    });
    const run = (backend: Backend) => {
      const model = new LinearRegression(3, { seed: 5 });
      const optimizer = optimizers.AdamW!(model.params, backend);
      const trainer = new Trainer(model, optimizer, { batchSize: 8, seed: 2, backend });
      const losses = new Float64Array(12);
      for (let pass = 0; pass < 3; pass++) for (let k = 0; k < 4; k++) losses[pass * 4 + k] = trainer.partialFit(chunk(k).x, chunk(k).y);
      return { model, optimizer, losses };
    };
    const calls = vi.spyOn(binding, 'trainLinreg');
    const native = run('native');
    expect(calls.mock.calls.map(([, , scalars]) => scalars.length / scalarKeys.adam.length)).toEqual(new Array(12).fill(4));
    calls.mockRestore();
    expectSameRun(native, run('js'));
  });

  it('1, 2 and 3 threads over batches of 25 blocks of rows: the bits of one-thread batch-by-batch training', () => {
    const w = Array.from({ length: 16 }, (_, j) => (j % 5) - 2);
    const data = syntheticData(20_000, w, 0.3, 0.3, 21, 'float32');
    // 6,500 rows × 16 columns: over 3 · 32,768 elements of x a batch, enough for 3 threads.
    const expected = byHand('float32', optimizers.Adam!, data, { epochs: 4, size: 6_500, shuffle: true, loss: 'mse', seed: 1, threads: 1 });
    for (const threads of [1, 2, 3]) {
      const model = new LinearRegression(16, { dtype: 'float32', seed: 5 });
      const optimizer = optimizers.Adam!(model.params);
      const calls = vi.spyOn(binding, 'trainLinreg');
      const history = new Trainer(model, optimizer, { epochs: 4, batchSize: 6_500, seed: 1, threads }).train(data.x, data.y);
      expect(calls.mock.calls.map(([, , , options]) => options?.threads)).toEqual([threads]);
      calls.mockRestore();
      expectSameRun({ model, optimizer, losses: new Float64Array(history.loss) }, expected);
    }
  });

  for (const batchSize of [16, undefined]) {
    it(`a StepLR scheduler, ${batchSize === undefined ? 'full batch' : 'batches of 16'}: an epoch a call, the scheduler stepped after each, the reference bits`, () => {
      const data = syntheticData(70, [1, 2, -1], 0.5, 0.2, 9, 'float32');
      const run = (backend: 'native' | 'js') => {
        const model = new LinearRegression(3, { dtype: 'float32', seed: 2 });
        const optimizer = new Adam(model.params, { lr: 0.05, backend });
        const scheduler = new StepLR(optimizer, { stepSize: 3, gamma: 0.5 });
        const history = new Trainer(model, optimizer, { epochs: 10, batchSize, seed: 4, scheduler, backend }).train(data.x, data.y);
        return { model, optimizer, losses: new Float64Array(history.loss) };
      };
      const calls = vi.spyOn(binding, 'trainLinreg');
      const native = run('native');
      const steps = batchSize === undefined ? 1 : 5;
      expect(calls.mock.calls.map(([, , scalars]) => scalars.length / scalarKeys.adam.length)).toEqual(new Array(10).fill(steps));
      calls.mockRestore();
      // Three halvings (after epochs 3, 6, 9): the schedule reached the steps.
      expect(native.optimizer.lr).toBe(0.05 / 8);
      expectSameRun(native, run('js'));
    });
  }

  it('every ISA this CPU runs × f32/f64 × every optimizer × every loss: the Trainer on that ISA gives the reference backend’s bits', () => {
    const data = {
      float32: syntheticData(90, [0.5, -1, 2], 0.1, 0.2, 13, 'float32'),
      float64: syntheticData(90, [0.5, -1, 2], 0.1, 0.2, 13, 'float64'),
    };
    const train = (dtype: Dtype, name: string, loss: 'mse' | 'mae' | 'huber', backend: Backend): Run => {
      const model = new LinearRegression(3, { dtype, seed: 4 });
      const optimizer = optimizers[name]!(model.params, backend);
      const history = new Trainer(model, optimizer, { epochs: 15, batchSize: 25, seed: 6, loss, delta: 0.3, backend }).train(
        data[dtype].x,
        data[dtype].y,
      );
      return { model, optimizer, losses: new Float64Array(history.loss) };
    };
    const names = Object.keys(optimizers);
    let runs = 0;
    for (const isa of binding.isas as IsaName[]) {
      // The library's plans and loop routed to this ISA's entry points (a native function
      // carries its ISA's kernels with it, whatever object it is called on).
      const onIsa = binding.forIsa(isa);
      const spies = (['adamPlan', 'sgdPlan', 'adagradPlan', 'trainLinreg'] as const).map((key) =>
        vi.spyOn(binding, key).mockImplementation(onIsa[key] as never),
      );
      const loops = spies[3]!;
      try {
        for (const dtype of ['float32', 'float64'] as const) {
          for (const name of names) {
            for (const loss of ['mse', 'mae', 'huber'] as const) {
              const before = loops.mock.calls.length;
              const native = train(dtype, name, loss, 'native');
              expect(loops.mock.calls.length, `${isa} ${dtype} ${name} ${loss}: trainLinreg calls`).toBe(before + 1);
              expectSameRun(native, train(dtype, name, loss, 'js'));
              runs++;
            }
          }
        }
      } finally {
        spies.forEach((spy) => spy.mockRestore());
      }
    }
    expect(runs).toBe(binding.isas.length * 2 * names.length * 3);
  });

  it('every ISA this CPU runs: trainLinreg of shuffled mini-batches on a plan of that ISA gives the reference bits and random state', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const data = syntheticData(77, [0.5, -1, 2], 0.1, 0.2, 13, dtype);
      const epochs = 40;
      const reference = new LinearRegression(3, { dtype, seed: 4 });
      const history = new Trainer(reference, new Adam(reference.params, { lr: 0.02, backend: 'js' }), {
        epochs,
        batchSize: 20,
        seed: 6,
        loss: 'huber',
        delta: 0.3,
        backend: 'js',
      }).train(data.x, data.y);
      const random = seededRandom(6);
      for (let e = 0; e < epochs; e++) shuffleInPlace(new Uint32Array(77), random);
      const hyper = { lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false };
      const keys = scalarKeys.adam.length;
      const scalars = new Float64Array(epochs * 4 * keys);
      for (let t = 1; t <= epochs * 4; t++) packScalars('adam', adamScalars(hyper, t), scalars, (t - 1) * keys);
      for (const isa of binding.isas) {
        const b = binding.forIsa(isa as IsaName);
        const model = new LinearRegression(3, { dtype, seed: 4 });
        const grads = model.createGrads();
        const Float = dtype === 'float32' ? Float32Array : Float64Array;
        const param = new Float(model.params.weights.buffer, model.params.weights.byteOffset, 4);
        const grad = new Float(grads.weights.buffer, grads.weights.byteOffset, 4);
        const plan = b.adamPlan([{ group: 0, tensors: [{ param, grad, expAvg: new Float(4), expAvgSq: new Float(4) }] }], 1);
        const result = b.trainLinreg(plan, model.lossGradArgs(data.x, data.y, grads, { loss: 'huber', delta: 0.3 }), scalars, {
          batchSize: 20,
          randomState: 6,
        });
        if (result === false) throw new Error('the plan changed');
        expect(result.steps).toBe(epochs * 4);
        expect(result.randomState).toBe(random.state);
        expectSameBits(result.losses, new Float64Array(history.loss), `${dtype} ${isa} losses`);
        expectSameBits(model.params.weights, reference.params.weights, `${dtype} ${isa} weights`);
        expectSameBits(model.params.bias, reference.params.bias, `${dtype} ${isa} bias`);
      }
    }
  });
});

describe('trainLinreg refuses bad batching, writing nothing', () => {
  function setup() {
    const data = syntheticData(20, [1, 2, 3], 0, 0, 1, 'float64');
    const model = new LinearRegression(3, { seed: 1 });
    const grads = model.createGrads();
    const optimizer = new Adam(model.params, { lr: 0.01 });
    const prepared = optimizer.prepareSteps(grads, 8)!;
    const args = model.lossGradArgs(data.x, data.y, grads, { loss: 'mse', delta: 1 });
    const bits = () =>
      [model.params.weights, model.params.bias, grads.weights, optimizer.stateOf('weights').expAvg!].map(
        (a) => new Uint32Array(a.slice().buffer),
      );
    return { prepared, args, bits };
  }

  it.each([
    [{ batchSize: '5' }, TypeError, /trainLinreg: options\.batchSize must be a number \(an integer ≥ 1\)/],
    [{ batchSize: 0 }, RangeError, /trainLinreg: options\.batchSize must be an integer ≥ 1, received 0/],
    [{ batchSize: 2.5 }, RangeError, /trainLinreg: options\.batchSize must be an integer ≥ 1, received 2\.5/],
    [{ batchSize: Number.NaN }, RangeError, /options\.batchSize must be an integer ≥ 1, received NaN/],
    [
      { batchSize: 5, randomState: -1 },
      RangeError,
      /trainLinreg: options\.randomState must be an integer in \[0, 2\^32 − 1\] \(a seededRandom state\), received -1/,
    ],
    [
      { batchSize: 5, randomState: 2 ** 32 },
      RangeError,
      /options\.randomState must be an integer in \[0, 2\^32 − 1\] \(a seededRandom state\), received 4294967296/,
    ],
    [{ batchSize: 5, randomState: 0.5 }, RangeError, /options\.randomState .* received 0\.5/],
    [{ batchSize: 5, randomState: null }, TypeError, /trainLinreg: options\.randomState must be an integer in \[0, 2\^32 − 1\]/],
    // 20 rows in batches of 3: 7 steps an epoch, and 8 steps are not whole epochs.
    [{ batchSize: 3 }, TypeError, /trainLinreg: scalars must be a Float64Array of epochs × 7 batches × 10 values/],
  ])('options %o: %s', (options, error, message) => {
    const { prepared, args, bits } = setup();
    const before = bits();
    expect(() => binding.trainLinreg(prepared.plan, args, prepared.scalars, options as never)).toThrow(error);
    expect(() => binding.trainLinreg(prepared.plan, args, prepared.scalars, options as never)).toThrow(message);
    expect(bits()).toEqual(before);
  });

  it('a bad step among the batches’ scalars: RangeError before any batch runs', () => {
    const { prepared, args, bits } = setup();
    const before = bits();
    const bad = prepared.scalars.slice();
    bad[6 * 10 + 4] = Number.POSITIVE_INFINITY; // step 7's stepSize: epoch 2, batch 3
    expect(() => binding.trainLinreg(prepared.plan, args, bad, { batchSize: 5, randomState: 1 })).toThrow(RangeError);
    expect(bits()).toEqual(before);
  });
});
