/**
 * The native training loop (lib/trainer/native-loop.ts, binding.d.ts: trainLinreg): many
 * epochs of a LinearRegression per native call (full batch here and, for early stopping and
 * divergence, mini-batches; test/native-loop-minibatch.test.ts has the rest) must give exactly the bits of
 * epoch-by-epoch training — losses, parameters, optimizer state, the epoch training stops
 * at — on every ISA and thread count, and must refuse what the per-epoch path refuses.
 */
import { describe, expect, it, vi } from 'vitest';
import { Adam, SGD, type Optimizer } from '../lib/index.js';
import { LinearRegression } from '../lib/model/linear-regression.js';
import { DivergenceError, Trainer } from '../lib/trainer/trainer.js';
import type { Dtype } from '../lib/data/matrix.js';
import { adamScalars, packScalars, scalarKeys } from '../lib/scalars.js';
import type { IsaName } from '../binding.js';
import { expectSameBits } from './helpers/bits.js';
import { optimizers, type AnyOptions } from './helpers/optimizers.js';
import { nativeBinding } from './helpers/native-binding.js';
import { syntheticData } from './helpers/least-squares.js';

const binding = nativeBinding();

type Make = (p: LinearRegression['params'], backend: 'native' | 'js') => Optimizer<'weights' | 'bias', AnyOptions>;

/** The same training epoch by epoch, by hand: the model's loss/gradient pass, then one step. */
function byHand(dtype: Dtype, make: Make, epochs: number, loss: 'mse' | 'mae' | 'huber', data: ReturnType<typeof syntheticData>) {
  const model = new LinearRegression(3, { dtype, seed: 5 });
  const optimizer = make(model.params, 'native');
  const grads = model.createGrads();
  const losses = new Float64Array(epochs);
  for (let e = 0; e < epochs; e++) {
    losses[e] = model.lossGrad(data.x, data.y, grads, { loss, delta: 0.5 });
    optimizer.step(grads);
  }
  return { model, optimizer, losses };
}

describe('Trainer: many epochs per native call', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const row of optimizers) {
      const make: Make = (p, backend) => row.create(p, { ...row.options, backend });
      for (const loss of ['mse', 'mae', 'huber'] as const) {
        it(`${dtype} ${row.name} ${loss}: the bits of epoch-by-epoch training, in chunks that end at every log line`, () => {
          const data = syntheticData(100, [2, -1, 3], 1.5, 0.1, 42, dtype);
          const expected = byHand(dtype, make, 250, loss, data);
          const model = new LinearRegression(3, { dtype, seed: 5 });
          const optimizer = make(model.params, 'native');
          const calls = vi.spyOn(binding, 'trainLinreg');
          const lines: string[] = [];
          const history = new Trainer(model, optimizer, { epochs: 250, loss, delta: 0.5, logEvery: 100, log: (l) => lines.push(l) }).train(
            data.x,
            data.y,
          );
          // Epochs 1–100, 101–200, 201–250.
          const stride = scalarKeys[row.definition.kernel].length;
          expect(calls.mock.calls.map(([, , scalars]) => scalars.length / stride)).toEqual([100, 100, 50]);
          calls.mockRestore();
          expect(lines).toEqual([
            `Epoch 100, Loss: ${expected.losses[99]!.toPrecision(6)}`,
            `Epoch 200, Loss: ${expected.losses[199]!.toPrecision(6)}`,
          ]);
          expectSameBits(new Float64Array(history.loss), expected.losses, 'losses');
          expectSameBits(model.params.weights, expected.model.params.weights, 'weights');
          expectSameBits(model.params.bias, expected.model.params.bias, 'bias');
          expect(optimizer.stepCount).toBe(250);
          for (const [key, buffer] of Object.entries(optimizer.stateOf('weights'))) {
            expectSameBits(buffer, expected.optimizer.stateOf('weights')[key]!, `state ${key}`);
          }
        });
      }
    }
  }

  for (const batchSize of [undefined, 16]) {
    it(`${batchSize === undefined ? 'full batch' : 'batches of 16'}: early stopping stops at the same epoch with the same parameters as the reference backend`, () => {
      const data = syntheticData(100, [2, -1, 3], 1.5, 0.3, 3, 'float64');
      const run = (backend: 'native' | 'js') => {
        const model = new LinearRegression(3, { seed: 2 });
        const history = new Trainer(model, new Adam(model.params, { lr: 0.05, backend }), {
          epochs: 20_000,
          batchSize,
          backend,
          earlyStopping: { patience: 25, minDelta: 1e-9 },
        }).train(data.x, data.y);
        return { model, history };
      };
      const calls = vi.spyOn(binding, 'trainLinreg');
      const native = run('native');
      expect(calls.mock.calls.length).toBeGreaterThan(0);
      calls.mockRestore();
      const js = run('js');
      expect(native.history.stoppedEarly).toBe(true);
      expect(native.history.epochs).toBe(js.history.epochs);
      expect(native.history.epochs).toBeLessThan(20_000);
      expectSameBits(new Float64Array(native.history.loss), new Float64Array(js.history.loss), 'losses');
      expectSameBits(native.model.params.weights, js.model.params.weights, 'weights');
    });
  }

  // Full batch: a step too large; batches of 15 of 50 rows (4 steps an epoch): a smaller one
  // that still diverges after epoch 1, inside an epoch.
  for (const { batchSize, lr, scale } of [
    { batchSize: undefined, lr: 10, scale: 1000 },
    { batchSize: 15, lr: 0.03, scale: 10 },
  ]) {
    it(`${batchSize === undefined ? 'full batch' : 'batches of 15'}: a loss that becomes non-finite mid-chunk: the same epoch, error, steps and restored parameters as the reference backend`, () => {
      const data = syntheticData(50, [3, 4, 1], 1, 0, 2, 'float32', scale);
      const run = (backend: 'native' | 'js') => {
        const model = new LinearRegression(3, { dtype: 'float32', seed: 1 });
        const optimizer = new SGD(model.params, { lr, backend });
        let error: unknown;
        try {
          new Trainer(model, optimizer, { epochs: 1000, batchSize, backend }).train(data.x, data.y);
        } catch (e) {
          error = e;
        }
        return { model, optimizer, error: error as DivergenceError };
      };
      const native = run('native');
      const js = run('js');
      expect(native.error).toBeInstanceOf(DivergenceError);
      expect(native.error.epoch).toBeGreaterThan(1);
      expect(native.error.epoch).toBe(js.error.epoch);
      expect(native.error.message).toBe(js.error.message);
      expect(native.optimizer.stepCount).toBe(js.optimizer.stepCount);
      expectSameBits(native.model.params.weights, js.model.params.weights, 'restored weights');
      expectSameBits(native.model.params.bias, js.model.params.bias, 'restored bias');
    });
  }

  it('batches of 15 of 50 rows: the divergence above comes inside an epoch (its steps are not whole epochs)', () => {
    const data = syntheticData(50, [3, 4, 1], 1, 0, 2, 'float32', 10);
    const model = new LinearRegression(3, { dtype: 'float32', seed: 1 });
    const optimizer = new SGD(model.params, { lr: 0.03 });
    expect(() => new Trainer(model, optimizer, { epochs: 1000, batchSize: 15 }).train(data.x, data.y)).toThrow(DivergenceError);
    expect(optimizer.stepCount % 4).not.toBe(0);
  });

  it('1, 2 and 3 threads over 25 blocks of rows give the same bits', () => {
    const data = syntheticData(24 * 1024 + 100, [0.5, -1, 2], 0.3, 0.3, 21, 'float32');
    const run = (threads: number) => {
      const model = new LinearRegression(3, { dtype: 'float32', seed: 2 });
      new Trainer(model, new Adam(model.params, { lr: 0.05, threads }), { epochs: 30, threads }).train(data.x, data.y);
      return model.params.weights;
    };
    const one = run(1);
    expectSameBits(run(2), one, '2 threads');
    expectSameBits(run(3), one, '3 threads');
  });

  it('every ISA this CPU runs: trainLinreg on a plan of that ISA gives the reference bits', () => {
    const data = syntheticData(77, [0.5, -1, 2], 0.1, 0.2, 13, 'float32');
    const epochs = 300;
    const reference = new LinearRegression(3, { dtype: 'float32', seed: 4 });
    const history = new Trainer(reference, new Adam(reference.params, { lr: 0.02, backend: 'js' }), {
      epochs,
      loss: 'huber',
      delta: 0.3,
      backend: 'js',
    }).train(data.x, data.y);
    const hyper = { lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false };
    const scalars = new Float64Array(epochs * scalarKeys.adam.length);
    for (let t = 1; t <= epochs; t++) packScalars('adam', adamScalars(hyper, t), scalars, (t - 1) * scalarKeys.adam.length);
    for (const isa of binding.isas) {
      const b = binding.forIsa(isa as IsaName);
      const model = new LinearRegression(3, { dtype: 'float32', seed: 4 });
      const grads = model.createGrads();
      const param = new Float32Array(model.params.weights.buffer, model.params.weights.byteOffset, 4);
      const grad = new Float32Array(grads.weights.buffer, grads.weights.byteOffset, 4);
      const plan = b.adamPlan([{ group: 0, tensors: [{ param, grad, expAvg: new Float32Array(4), expAvgSq: new Float32Array(4) }] }], 1);
      const result = b.trainLinreg(plan, model.lossGradArgs(data.x, data.y, grads, { loss: 'huber', delta: 0.3 }), scalars);
      if (result === false) throw new Error('the plan changed');
      expectSameBits(result.losses, new Float64Array(history.loss), `${isa} losses`);
      expectSameBits(model.params.weights, reference.params.weights, `${isa} weights`);
      expectSameBits(model.params.bias, reference.params.bias, `${isa} bias`);
    }
  });
});

describe('trainLinreg refuses what a step would', () => {
  function setup() {
    const data = syntheticData(20, [1, 2, 3], 0, 0, 1, 'float64');
    const model = new LinearRegression(3, { seed: 1 });
    const grads = model.createGrads();
    const optimizer = new Adam(model.params, { lr: 0.01 });
    const prepared = optimizer.prepareSteps(grads, 5)!;
    const args = model.lossGradArgs(data.x, data.y, grads, { loss: 'mse', delta: 1 });
    return { data, model, grads, optimizer, prepared, args };
  }

  it('optimizer state transferred since the plan was made: false, nothing written', () => {
    const { model, optimizer, prepared, args, grads } = setup();
    const before = [model.params.weights, grads.weights].map((a) => new Uint32Array(a.slice().buffer));
    const state = optimizer.stateOf('weights').expAvg!;
    structuredClone(state.buffer, { transfer: [state.buffer as ArrayBuffer] });
    expect(binding.trainLinreg(prepared.plan, args, prepared.scalars)).toBe(false);
    expect([model.params.weights, grads.weights].map((a) => new Uint32Array(a.slice().buffer))).toEqual(before);
  });

  it('a parameter transferred: TypeError naming it, nothing written', () => {
    const { model, prepared, args, grads } = setup();
    const before = new Uint32Array(grads.weights.slice().buffer);
    structuredClone(model.params.weights.buffer, { transfer: [model.params.weights.buffer as ArrayBuffer] });
    expect(() => binding.trainLinreg(prepared.plan, args, prepared.scalars)).toThrow(
      /trainLinreg: args\.weights is backed by a detached ArrayBuffer/,
    );
    expect(new Uint32Array(grads.weights.slice().buffer)).toEqual(before);
  });

  it('data or gradients in memory a step writes: RangeError naming it, nothing written', () => {
    const { model, optimizer, prepared, args } = setup();
    const expAvg = optimizer.stateOf('weights').expAvg!;
    const weights = model.params.weights.slice();
    expect(() => binding.trainLinreg(prepared.plan, { ...args, gradWeights: expAvg.subarray(0, 3) }, prepared.scalars)).toThrow(
      /trainLinreg: args\.gradWeights shares memory with the plan's parameters or state, which each step writes/,
    );
    const x = new Float64Array(expAvg.buffer, expAvg.byteOffset, 3);
    expect(() => binding.trainLinreg(prepared.plan, { ...args, x, rows: 1, y: new Float64Array(1) }, prepared.scalars)).toThrow(
      /trainLinreg: args\.x shares memory/,
    );
    expectSameBits(model.params.weights, weights, 'weights');
  });

  it('scalars that are not a whole number of steps: TypeError; a bad step among them: RangeError before any epoch', () => {
    const { model, prepared, args } = setup();
    const weights = model.params.weights.slice();
    expect(() => binding.trainLinreg(prepared.plan, args, prepared.scalars.subarray(1))).toThrow(
      /scalars must be a Float64Array of epochs × 10 values/,
    );
    const bad = prepared.scalars.slice();
    bad[3 * 10 + 4] = Number.POSITIVE_INFINITY; // step 4's stepSize
    expect(() => binding.trainLinreg(prepared.plan, args, bad)).toThrow(RangeError);
    expectSameBits(model.params.weights, weights, 'weights');
  });
});
