/** Trainer: convergence to the direct least-squares solution, mini-batches, online fitting, divergence and bad input. */
import { describe, expect, it } from 'vitest';
import { Adam, AdamW, Adagrad, SGD } from '../lib/index.js';
import { matrixFromRows, vectorFrom } from '../lib/data/matrix.js';
import { LinearRegression } from '../lib/model/linear-regression.js';
import { StepLR } from '../lib/schedulers/step-lr.js';
import { DivergenceError, Trainer } from '../lib/trainer/trainer.js';
import type { IsaName } from '../binding.js';
import { expectSameBits } from './helpers/bits.js';
import { nativeBinding } from './helpers/native-binding.js';
import { leastSquares, syntheticData } from './helpers/least-squares.js';

const TRUE_W = [1.5, -2, 0.5, 3];
const TRUE_B = -0.75;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let j = 0; j < expected.length; j++) expect(Math.abs(actual[j]! - expected[j]!)).toBeLessThan(tolerance);
}

describe('full-batch training reaches the least-squares solution', () => {
  const { x, y } = syntheticData(200, TRUE_W, TRUE_B, 0.1, 7);
  const solution = leastSquares(x, y);

  it('Adam, float64: weights and bias within 1e-6 of the direct solve', () => {
    const model = new LinearRegression(4, { seed: 3 });
    new Trainer(model, new Adam(model.params, { lr: 0.01 }), { epochs: 8000 }).train(x, y);
    expectClose(model.weights, solution.weights, 1e-6);
    expect(Math.abs(model.bias - solution.bias)).toBeLessThan(1e-6);
    // the noise keeps the least-squares fit away from the generating coefficients
    expect(Math.abs(solution.bias - TRUE_B)).toBeGreaterThan(1e-6);
  });

  it.each([
    ['AdamW', (p: LinearRegression['params']) => new AdamW(p, { lr: 0.01, weightDecay: 0 })],
    ['SGD with momentum', (p: LinearRegression['params']) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
    ['Adagrad', (p: LinearRegression['params']) => new Adagrad(p, { lr: 0.5 })],
  ])('%s: within 1e-4', (_name, make) => {
    const model = new LinearRegression(4, { seed: 3 });
    new Trainer(model, make(model.params), { epochs: 6000 }).train(x, y);
    expectClose([...model.weights, model.bias], [...solution.weights, solution.bias], 1e-4);
  });

  it('standardised features: coefficients in raw units match the direct solve', () => {
    const raw = syntheticData(300, [0.002, -0.04], 5, 0.5, 11, 'float64', 1000);
    const direct = leastSquares(raw.x, raw.y);
    const model = new LinearRegression(2, { seed: 1 });
    const trainer = new Trainer(model, new Adam(model.params, { lr: 0.05 }), { epochs: 4000, standardize: true });
    trainer.train(raw.x, raw.y);
    const c = trainer.coefficients();
    expectClose([...c.weights, c.bias], [...direct.weights, direct.bias], 1e-6);
    expect(trainer.evaluate(raw.x, raw.y).r2).toBeGreaterThan(0.99);
  });
});

describe('the seed example', () => {
  it('y = X·[2, −1, 3] + 1.5 on 100 × 3 uniform rows: native Adam (lr 0.01, 5000 epochs) recovers the coefficients', () => {
    const { x, y } = syntheticData(100, [2, -1, 3], 1.5, 0, 42, 'float32');
    const model = new LinearRegression(3, { dtype: 'float32', seed: 1 });
    const lines: string[] = [];
    const trainer = new Trainer(model, new Adam(model.params, { lr: 0.01, backend: 'native' }), {
      epochs: 5000,
      logEvery: 1000,
      log: (l) => lines.push(l),
    });
    expect(trainer.backend).toBe('native');
    const history = trainer.train(x, y);
    expectClose(model.weights, [2, -1, 3], 1e-4);
    expect(Math.abs(model.bias - 1.5)).toBeLessThan(1e-4);
    expect(lines.map((l) => l.split(',')[0])).toEqual(['Epoch 1000', 'Epoch 2000', 'Epoch 3000', 'Epoch 4000', 'Epoch 5000']);
    expect(history.loss[4999]).toBeLessThan(history.loss[0]! * 1e-6);
  });
});

describe('native and TypeScript backends train to the same bits', () => {
  it.each(['mse', 'mae', 'huber'] as const)('f32 %s, shuffled mini-batches of 32, 50 epochs', (loss) => {
    const { x, y } = syntheticData(250, TRUE_W, TRUE_B, 0.3, 5, 'float32');
    const run = (backend: 'native' | 'js') => {
      const model = new LinearRegression(4, { dtype: 'float32', seed: 9 });
      const h = new Trainer(model, new Adam(model.params, { lr: 0.01, backend }), {
        epochs: 50,
        batchSize: 32,
        seed: 4,
        loss,
        delta: 0.5,
      }).train(x, y);
      return { model, loss: new Float64Array(h.loss) };
    };
    const native = run('native');
    const js = run('js');
    expectSameBits(native.model.params.weights, js.model.params.weights, 'weights');
    expectSameBits(native.model.params.bias, js.model.params.bias, 'bias');
    expectSameBits(native.loss, js.loss, 'loss history');
  });
});

describe('threads', () => {
  it('full batch over 25 blocks of rows (enough X for 3 threads): 1, 2 and 3 threads train to the reference bits', () => {
    const { x, y } = syntheticData(24 * 1024 + 100, TRUE_W, TRUE_B, 0.3, 21, 'float32');
    const run = (backend: 'native' | 'js', threads?: number) => {
      const model = new LinearRegression(4, { dtype: 'float32', seed: 2 });
      const trainer = new Trainer(model, new Adam(model.params, { lr: 0.05, backend }), { epochs: 20, backend, threads });
      return { model, loss: new Float64Array(trainer.train(x, y).loss) };
    };
    const js = run('js');
    for (const threads of [1, 2, 3]) {
      const native = run('native', threads);
      expectSameBits(native.model.params.weights, js.model.params.weights, `weights, ${threads} threads`);
      expectSameBits(native.model.params.bias, js.model.params.bias, `bias, ${threads} threads`);
      expectSameBits(native.loss, js.loss, `loss history, ${threads} threads`);
    }
  });

  it('an unknown or wrongly typed option is refused, naming it (not silently the default)', () => {
    const model = new LinearRegression(2, { seed: 1 });
    const opt = new Adam(model.params);
    expect(() => new Trainer(model, opt, { epoch: 10 } as never)).toThrow(
      /Trainer: options has an unknown option 'epoch' \(known options: epochs, /,
    );
    expect(() => new Trainer(model, opt, { epochs: '10' } as never)).toThrow(TypeError);
    expect(() => new Trainer(model, opt, { epochs: '10' } as never)).toThrow(/Trainer: options\.epochs must be a number, received "10"/);
    expect(() => new Trainer(model, opt, { shuffle: 1 } as never)).toThrow(/Trainer: options\.shuffle must be a boolean/);
    expect(() => new Trainer(model, opt, { earlyStopping: { patience: 3, minDelat: 1 } } as never)).toThrow(
      /options\.earlyStopping has an unknown option 'minDelat'/,
    );
    expect(() => new Trainer(model, opt, { onEpochEnd: 'print' } as never)).toThrow(/Trainer: options\.onEpochEnd must be a function/);
    expect(() => new Trainer(model, opt, { scheduler: {} } as never)).toThrow(/Trainer: options\.scheduler must be a scheduler/);
    expect(() => new Trainer(model, opt, { backend: 'gpu' } as never)).toThrow(
      /Trainer: options\.backend must be one of 'native', 'wasm', 'js'/,
    );
    expect(() => new Trainer(model, opt, null as never)).toThrow(/Trainer: options must be a plain object/);
  });

  it('a thread count outside [1, 1024] is refused before training', () => {
    const model = new LinearRegression(2, { seed: 1 });
    for (const threads of [0, 1.5, 1025]) {
      expect(() => new Trainer(model, new Adam(model.params), { threads })).toThrow(/options\.threads must be an integer/);
    }
  });
});

describe('every native ISA trains like the reference', () => {
  it('300 full-batch Adam epochs, f32 Huber: the loss kernel of each ISA vs the TypeScript Trainer', () => {
    const { x, y } = syntheticData(77, [0.5, -1, 2, 0.25, 3], 0.1, 0.2, 13, 'float32');
    const reference = new LinearRegression(5, { dtype: 'float32', seed: 4 });
    const history = new Trainer(reference, new Adam(reference.params, { lr: 0.02, backend: 'js' }), {
      epochs: 300,
      loss: 'huber',
      delta: 0.3,
    }).train(x, y);
    const binding = nativeBinding();
    for (const isa of binding.isas) {
      const b = binding.forIsa(isa as IsaName);
      const model = new LinearRegression(5, { dtype: 'float32', seed: 4 });
      const optimizer = new Adam(model.params, { lr: 0.02, backend: 'js' });
      const grads = { weights: new Float32Array(5), bias: new Float32Array(1) };
      const losses = new Float64Array(300);
      for (let e = 0; e < 300; e++) {
        losses[e] = b.linregLossGrad({
          x: x.data,
          rows: x.rows,
          cols: x.cols,
          y,
          ...model.params,
          gradWeights: grads.weights,
          gradBias: grads.bias,
          loss: 'huber',
          delta: 0.3,
        });
        optimizer.step(grads);
      }
      expectSameBits(losses, new Float64Array(history.loss), `${isa} losses`);
      expectSameBits(model.params.weights, reference.params.weights, `${isa} weights`);
      expectSameBits(model.params.bias, reference.params.bias, `${isa} bias`);
    }
  });
});

describe('parameter layout', () => {
  it('weights and bias are consecutive views of one buffer, so an optimizer steps them as one tensor', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const { weights, bias } = new LinearRegression(5, { dtype }).params;
      expect(bias.buffer).toBe(weights.buffer);
      expect(bias.byteOffset).toBe(weights.byteOffset + weights.byteLength);
      expect(bias.length).toBe(1);
    }
  });
});

describe('mini-batches, online learning, schedulers, early stopping', () => {
  const { x, y } = syntheticData(500, TRUE_W, TRUE_B, 0.1, 21);
  const solution = leastSquares(x, y);

  it('the same seed gives the same bits; another seed another trajectory', () => {
    const run = (seed: number) => {
      const model = new LinearRegression(4, { seed: 2 });
      new Trainer(model, new Adam(model.params, { lr: 0.01 }), { epochs: 5, batchSize: 64, seed }).train(x, y);
      return model.params.weights;
    };
    expectSameBits(run(1), run(1));
    expect(Array.from(run(1))).not.toEqual(Array.from(run(2)));
  });

  it('mini-batch Adam with a StepLR schedule lands near the least-squares solution', () => {
    const model = new LinearRegression(4, { seed: 2 });
    const optimizer = new Adam(model.params, { lr: 0.02 });
    const scheduler = new StepLR(optimizer, { stepSize: 100, gamma: 0.3 });
    new Trainer(model, optimizer, { epochs: 600, batchSize: 50, scheduler }).train(x, y);
    expect(optimizer.lr).toBeCloseTo(0.02 * 0.3 ** 6, 12);
    expectClose([...model.weights, model.bias], [...solution.weights, solution.bias], 2e-3);
  });

  it('partialFit learns online, one chunk at a time', () => {
    const model = new LinearRegression(4, { seed: 2 });
    const trainer = new Trainer(model, new Adam(model.params, { lr: 0.01 }), { batchSize: 10 });
    const chunk = (k: number) => ({
      x: { data: x.data.subarray(k * 500, (k + 1) * 500), rows: 125, cols: 4 },
      y: y.subarray(k * 125, (k + 1) * 125),
    });
    const first = trainer.partialFit(chunk(0).x, chunk(0).y);
    let last = first;
    for (let pass = 0; pass < 60; pass++) for (let k = 0; k < 4; k++) last = trainer.partialFit(chunk(k).x, chunk(k).y);
    expect(last).toBeLessThan(first / 10);
    // within 50% of the best (mini-batch noise remains) any linear model can do on this data
    let bestMse = 0;
    for (let i = 0; i < x.rows; i++) {
      let p = solution.bias;
      for (let j = 0; j < 4; j++) p += solution.weights[j]! * x.data[i * 4 + j]!;
      bestMse += (p - y[i]!) ** 2 / x.rows;
    }
    expect(trainer.evaluate(x, y).mse).toBeLessThan(bestMse * 1.5);
  });

  it('early stopping ends a run that stopped improving', () => {
    const model = new LinearRegression(4, { seed: 2 });
    const h = new Trainer(model, new Adam(model.params, { lr: 0.01 }), {
      epochs: 100_000,
      earlyStopping: { patience: 20, minDelta: 1e-12 },
    }).train(x, y);
    expect(h.stoppedEarly).toBe(true);
    expect(h.epochs).toBeLessThan(100_000);
    expect(h.loss.length).toBe(h.epochs);
  });
});

describe('divergence and bad input', () => {
  it('a loss that becomes non-finite stops training with advice; the last finite parameters are kept', () => {
    const { x, y } = syntheticData(50, [3, 4], 1, 0, 2, 'float32', 1000);
    const model = new LinearRegression(2, { dtype: 'float32', seed: 1 });
    const trainer = new Trainer(model, new SGD(model.params, { lr: 10 }), { epochs: 1000 });
    let error: unknown;
    try {
      trainer.train(x, y);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(/loss became (NaN|Infinity) at epoch \d+.*lower learning rate/);
    expect([...model.weights, model.bias].every(Number.isFinite)).toBe(true);
  });

  it('NaN in the data is named by row and column before any training', () => {
    const model = new LinearRegression(2, { seed: 1 });
    const before = Array.from(model.weights);
    const x = { data: new Float64Array([1, 2, 3, NaN]), rows: 2, cols: 2 };
    const trainer = new Trainer(model, new Adam(model.params), { epochs: 3 });
    expect(() => trainer.train(x, new Float64Array([1, 2]))).toThrow(/X\[1\]\[1\] \(row 1, column 1\) must be finite, received NaN/);
    expect(() => trainer.train({ data: new Float64Array(4), rows: 2, cols: 2 }, new Float64Array(3))).toThrow(/y has 3 rows but X has 2/);
    expect(() => trainer.train({ data: new Float64Array(0), rows: 0, cols: 2 }, new Float64Array(0))).toThrow(/X is empty/);
    expect(Array.from(model.weights)).toEqual(before);
  });

  it('matrixFromRows names missing and non-numeric cells', () => {
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow(/X\[1\] has 1 values but row 0 has 2/);
    expect(() =>
      matrixFromRows([
        [1, 2],
        [3, 'x' as unknown as number],
      ]),
    ).toThrow(/X\[1\]\[1\] \(row 1, column 1\) must be a number, received the string "x"/);
    expect(() => matrixFromRows([[1, null as unknown as number]])).toThrow(/row 0, column 1\) must be a number, received null/);
    expect(() => vectorFrom([1, Infinity])).toThrow(/y\[1\] \(row 1\) must be finite/);
    expect(
      matrixFromRows(
        [
          [1, 2],
          [3, 4],
        ],
        'float32',
      ),
    ).toEqual({ data: new Float32Array([1, 2, 3, 4]), rows: 2, cols: 2 });
  });
});

describe('the wasm backend', () => {
  it("a Trainer follows its optimizer onto wasm: the loss pass runs there, with the reference's bits", () => {
    const { x, y } = syntheticData(60, [1, -2, 0.5], 0.3, 0.1, 9, 'float32');
    const run = (backend: 'wasm' | 'js') => {
      const model = new LinearRegression(3, { dtype: 'float32', seed: 3 });
      const trainer = new Trainer(model, new Adam(model.params, { lr: 0.05, backend }), { epochs: 40 });
      return { trainer, model, loss: new Float64Array(trainer.train(x, y).loss) };
    };
    const wasm = run('wasm');
    const js = run('js');
    expect(wasm.trainer.backend).toBe('wasm');
    expectSameBits(wasm.loss, js.loss, 'losses');
    expectSameBits(wasm.model.params.weights, js.model.params.weights, 'weights');
  });
});
