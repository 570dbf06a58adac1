/**
 * The Trainer trains a Sequential exactly as it trains a LinearRegression: the same steps done
 * by hand (seeded shuffle, gathered mini-batches, lossGrad, optimizer step, scheduler step per
 * epoch) give the same bits, for one output, several outputs and class labels; partialFit,
 * early stopping, divergence and bad input behave as for the linear model.
 */
import { describe, expect, it } from 'vitest';
import type { FloatArray, MlpLossName } from '../binding.js';
import { matrixFromRows, vectorFrom, type Matrix } from '../lib/data/matrix.js';
import { seededRandom, shuffleInPlace } from '../lib/data/random.js';
import { applyScaler, fitScaler } from '../lib/data/standardize.js';
import { LinearRegression } from '../lib/model/linear-regression.js';
import { Dense } from '../lib/nn/dense.js';
import { Sequential } from '../lib/nn/sequential.js';
import type { ActivationName } from '../lib/reference/mlp.js';
import { Adam } from '../lib/optim/adam.js';
import { SGD } from '../lib/optim/sgd.js';
import { StepLR } from '../lib/schedulers/step-lr.js';
import { DivergenceError, Trainer } from '../lib/trainer/trainer.js';
import { expectSameBits } from './helpers/bits.js';

interface Case {
  loss: MlpLossName;
  units: number;
  last: ActivationName;
}

const cases: Case[] = [
  { loss: 'huber', units: 1, last: 'linear' },
  { loss: 'binaryCrossentropy', units: 2, last: 'sigmoid' },
  { loss: 'sparseCategoricalCrossentropy', units: 3, last: 'linear' },
];

const ROWS = 45;

function dataFor(c: Case) {
  const random = seededRandom(8);
  const rows = Array.from({ length: ROWS }, () => [random(), random(), random()]);
  const x = matrixFromRows(rows, 'float32');
  const y =
    c.loss === 'sparseCategoricalCrossentropy'
      ? vectorFrom(
          rows.map(([a, b]) => (a! > b! ? 0 : a! + b! > 1 ? 1 : 2)),
          'float32',
        )
      : c.loss === 'binaryCrossentropy'
        ? vectorFrom(
            rows.flatMap(([a, b, d]) => [a! > 0.5 ? 1 : 0, b! * d!]),
            'float32',
          )
        : vectorFrom(
            rows.map(([a, b, d]) => 2 * a! - b! + 3 * d! + 1.5),
            'float32',
          );
  return { x, y };
}

const network = (c: Case, backend: 'native' | 'js' = 'js') =>
  new Sequential(
    [
      new Dense({ units: 16, activation: 'relu', inputSize: 3 }),
      new Dense({ units: 8, activation: 'tanh' }),
      new Dense({ units: c.units, activation: c.last }),
    ],
    {
      seed: 4,
      dtype: 'float32',
      backend,
    },
  );

function gather(source: FloatArray, perRow: number, indices: Uint32Array): Float32Array {
  const out = new Float32Array(indices.length * perRow);
  indices.forEach((row, i) => out.set(source.subarray(row * perRow, (row + 1) * perRow), i * perRow));
  return out;
}

/** What the Trainer promises, written out: a seeded shuffle per epoch, batches in order, a scheduler step per epoch. */
function byHand(c: Case, x: Matrix, y: FloatArray, epochs: number, batchSize: number) {
  const model = network(c);
  const adam = new Adam(model.params, { lr: 0.01, backend: 'js' });
  const scheduler = new StepLR(adam, { stepSize: 2, gamma: 0.5 });
  const grads = model.createGrads();
  const random = seededRandom(5);
  const perRow = y.length / x.rows;
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = Uint32Array.from({ length: x.rows }, (_, i) => i);
    shuffleInPlace(order, random);
    let total = 0;
    for (let start = 0; start < x.rows; start += batchSize) {
      const indices = order.subarray(start, Math.min(x.rows, start + batchSize));
      const batch = { data: gather(x.data, x.cols, indices), rows: indices.length, cols: x.cols };
      total += model.lossGrad(batch, gather(y, perRow, indices), grads, { loss: c.loss, delta: 0.5 }) * indices.length;
      adam.step(grads);
    }
    scheduler.step();
    losses.push(total / x.rows);
  }
  return { model, losses };
}

describe('Trainer on a Sequential', () => {
  for (const c of cases) {
    it(`${c.loss}, ${c.units} output(s): shuffled mini-batches and a scheduler give the bits of the same steps by hand, on every backend`, () => {
      const { x, y } = dataFor(c);
      const want = byHand(c, x, y, 5, 16);
      expect(want.losses[4]).toBeLessThan(want.losses[0]!);
      for (const [backend, threads] of [
        ['js', undefined],
        ['native', 1],
        ['native', 3],
      ] as const) {
        const model = network(c, backend);
        const adam = new Adam(model.params, { lr: 0.01, backend });
        const trainer = new Trainer(model, adam, {
          epochs: 5,
          batchSize: 16,
          seed: 5,
          loss: c.loss,
          delta: 0.5,
          scheduler: new StepLR(adam, { stepSize: 2, gamma: 0.5 }),
          threads,
        });
        expect(trainer.backend).toBe(backend);
        const history = trainer.train(x, y);
        expect(history.epochs).toBe(5);
        expectSameBits(Float64Array.from(history.loss), Float64Array.from(want.losses), `${backend} × ${threads} losses`);
        expectSameBits(model.allParams, want.model.allParams, `${backend} × ${threads} params`);
      }
    });
  }

  it('partialFit continues the same run: train(3 epochs) then partialFit equals train(4 epochs)', () => {
    const c = cases[0]!;
    const { x, y } = dataFor(c);
    const run = (epochs: number) => {
      const model = network(c);
      const trainer = new Trainer(model, new Adam(model.params, { lr: 0.01 }), { epochs, batchSize: 10, seed: 2, loss: 'mse' });
      return { model, trainer, history: trainer.train(x, y) };
    };
    const three = run(3);
    const last = three.trainer.partialFit(x, y);
    const four = run(4);
    expect(last).toBe(four.history.loss[3]);
    expectSameBits(three.model.allParams, four.model.allParams, 'params');
  });

  it('full batch by default, early stopping, and predictions through the standardiser', () => {
    const c = cases[0]!;
    const { x, y } = dataFor(c);
    const model = network(c);
    // lr 0: the loss never improves, so patience 3 stops after epoch 4.
    const history = new Trainer(model, new SGD(model.params, { lr: 0 }), { epochs: 100, earlyStopping: { patience: 3 } }).train(x, y);
    expect(history).toEqual({ loss: [history.loss[0], history.loss[0], history.loss[0], history.loss[0]], epochs: 4, stoppedEarly: true });
    expect(history.loss[0]).toBe(model.evaluate(x, y));
    const trainer = new Trainer(model, new Adam(model.params, { lr: 0.01 }), { epochs: 20, standardize: true });
    trainer.train(x, y);
    expectSameBits(trainer.predict(x), model.predict(applyScaler(fitScaler(x), x)), 'predictions');
    expect(trainer.evaluate(x, y).mse).toBeCloseTo(model.evaluate(applyScaler(fitScaler(x), x), y), 5);
  });

  it('a diverging loss restores the parameters that last gave a finite loss', () => {
    const c = cases[0]!;
    const { x, y } = dataFor(c);
    const model = network(c);
    const sgd = new SGD(model.params, { lr: 1e6 });
    const trace: Float32Array[] = [];
    const recording = { step: (g: typeof model.params) => (trace.push(Float32Array.from(model.allParams)), sgd.step(g)) };
    const trainer = new Trainer(model, recording, { epochs: 50, batchSize: 8 });
    expect(() => trainer.train(x, y)).toThrow(DivergenceError);
    expect(trace.length).toBeGreaterThan(0);
    expectSameBits(model.allParams, trace[trace.length - 1]!, 'restored params');
  });

  it('refuses a loss the model has no kernel for, bad data (naming the cell) and coefficients, changing nothing', () => {
    const linear = new LinearRegression(3);
    expect(() => new Trainer(linear, new Adam(linear.params), { loss: 'binaryCrossentropy' })).toThrow(
      "Trainer: options.loss must be one of 'mse', 'mae', 'huber' for a LinearRegression, received 'binaryCrossentropy'",
    );
    expect(() => new Trainer(linear, new Adam(linear.params), { loss: 'hinge' as 'mse' })).toThrow(/Trainer: options.loss must be one of/);
    const c = cases[2]!;
    const { x, y } = dataFor(c);
    const model = network(c);
    const before = Float32Array.from(model.allParams);
    const trainer = new Trainer(model, new Adam(model.params), { epochs: 2, batchSize: 8, loss: c.loss });
    const badLabels = Float32Array.from(y);
    badLabels[7] = 3;
    expect(() => trainer.train(x, badLabels)).toThrow(
      'train: y[7] (row 7) must be a class label, an integer in [0, 2] (the last layer has 3 units), received 3',
    );
    const badX = { ...x, data: Float32Array.from(x.data) };
    badX.data[5] = NaN;
    expect(() => trainer.partialFit(badX, y)).toThrow('train: X[1][2] (row 1, column 2) must be finite, received NaN');
    expect(() => trainer.train({ data: x.data.subarray(0, 12), rows: 3, cols: 4 }, y.subarray(0, 3))).toThrow(
      'train: X has 4 columns but the first layer takes 3 inputs',
    );
    expect(() => trainer.coefficients()).toThrow(
      'Trainer.coefficients: only a LinearRegression has coefficients, this model is a Sequential',
    );
    expectSameBits(model.allParams, before, 'params');
  });
});
