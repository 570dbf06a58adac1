/** Sequential.fit / evaluate: the seed's example learns, progress lines, validation, stopping, divergence. */
import { describe, expect, it } from 'vitest';
import { matrixFromRows, vectorFrom } from '../lib/data/matrix.js';
import { seededRandom } from '../lib/data/random.js';
import { Dense } from '../lib/nn/dense.js';
import { Sequential } from '../lib/nn/sequential.js';
import { SGD } from '../lib/optim/sgd.js';
import { DivergenceError } from '../lib/trainer/trainer.js';

/** §3.2 of the seed: X = rand(100, 3), y = X·[2, −1, 3] + 1.5. */
function seedData(dtype: 'float32' | 'float64' = 'float32') {
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

const seedModel = (dtype: 'float32' | 'float64' = 'float32') =>
  new Sequential(
    [new Dense({ units: 64, activation: 'relu', inputSize: 3 }), new Dense({ units: 64, activation: 'relu' }), new Dense({ units: 1 })],
    {
      seed: 0,
      dtype,
      backend: 'js',
    },
  );

describe('fit', () => {
  it('fits the seed example: the loss falls, and far below the variance of y', () => {
    const { x, y } = seedData();
    const model = seedModel();
    const lines: string[] = [];
    const before = model.evaluate(x, y);
    const history = model.fit(x, y, { epochs: 150, log: (l) => lines.push(l) });
    expect(history.epochs).toBe(150);
    expect(lines).toHaveLength(150);
    expect(lines[9]).toMatch(/^Epoch 10\/150 - loss: [\d.e-]+ - [\d.]+ ms$/);
    const after = model.evaluate(x, y);
    expect(history.loss[149]!).toBeLessThan(history.loss[0]! / 20);
    expect(after).toBeLessThan(before / 50);
    expect(after).toBeLessThan(0.05);
  });

  it('is reproducible for a seed and holds out the last rows with validationSplit', () => {
    const { x, y } = seedData('float64');
    const a = seedModel('float64');
    const b = seedModel('float64');
    const ha = a.fit(x, y, { epochs: 3, validationSplit: 0.2, verbose: 0 });
    const hb = b.fit(x, y, { epochs: 3, validationSplit: 0.2, verbose: 0 });
    expect(ha).toEqual(hb);
    expect(ha.valLoss).toHaveLength(3);
    const heldOut = { data: x.data.subarray(80 * 3), rows: 20, cols: 3 };
    expect(ha.valLoss[2]).toBe(a.evaluate(heldOut, y.subarray(80)));
    const lines: string[] = [];
    seedModel('float64').fit(x, y, { epochs: 1, validationData: [heldOut, y.subarray(80)], log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(/ - val_loss: [\d.e-]+ - /);
  });

  it('stops when onEpochEnd returns false, and trains with any optimizer', () => {
    const { x, y } = seedData();
    const model = seedModel();
    const seen: number[] = [];
    const history = model.fit(x, y, {
      epochs: 10,
      verbose: 0,
      optimizer: new SGD(model.params, { lr: 0.01 }),
      onEpochEnd: (e) => (seen.push(e), e < 3),
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(history.epochs).toBe(3);
  });

  it('a diverging loss throws DivergenceError and keeps the last finite parameters', () => {
    const { x, y } = seedData();
    const model = seedModel();
    y.fill(1e30);
    const trace: Float32Array[] = [];
    expect(() =>
      model.fit(x, y, { epochs: 5, verbose: 0, optimizer: { step: () => trace.push(Float32Array.from(model.allParams)) } }),
    ).toThrow(DivergenceError);
    expect(trace.length).toBe(0);
    y.fill(1);
    const sgd = new SGD(model.params, { lr: 1e6 });
    let error: unknown;
    try {
      model.fit(x, y, {
        epochs: 50,
        verbose: 0,
        optimizer: { step: (g) => (sgd.step(g), trace.push(Float32Array.from(model.allParams))) },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(/the loss became (NaN|Infinity) at epoch \d+/);
    expect([...model.allParams]).toEqual([...trace[trace.length - 1]!]);
  });

  it('rejects bad data before any step', () => {
    const { x, y } = seedData();
    const model = seedModel();
    const before = Float32Array.from(model.allParams);
    x.data[7] = Infinity;
    expect(() => model.fit(x, y, { verbose: 0 })).toThrow('fit: X[2][1] (row 2, column 1) must be finite, received Infinity');
    expect(() => model.fit(seedData().x, y.subarray(1), { verbose: 0 })).toThrow(/fit: y has 99 values but X has 100 rows/);
    expect(() => model.fit(seedData().x, y, { verbose: 0, validationSplit: 1 })).toThrow(/validationSplit/);
    expect([...model.allParams]).toEqual([...before]);
  });

  it('verbose 0 prints nothing; bad options and validation data are named before any step', () => {
    const { x, y } = seedData();
    const model = seedModel();
    const lines: string[] = [];
    model.fit(x, y, { epochs: 2, verbose: 0, log: (l) => lines.push(l) });
    expect(lines).toEqual([]);
    const before = Float32Array.from(model.allParams);
    const quiet = { verbose: 0 as const };
    expect(() => model.fit(x, y, { ...quiet, epochs: 0 })).toThrow(/fit: options.epochs/);
    expect(() => model.fit(x, y, { ...quiet, batchSize: 1.5 })).toThrow(/fit: options.batchSize/);
    expect(() => model.fit(x, y, { ...quiet, validationData: [x] as never })).toThrow('fit: options.validationData must be a pair [X, y]');
    expect(() => model.fit(x, y, { ...quiet, validationData: [x, y.subarray(2)] })).toThrow(
      /fit: validation: y has 98 values but X has 100 rows/,
    );
    expect(() => model.fit(x, y, { ...quiet, loss: 'hinge' })).toThrow(/fit: options.loss must be one of/);
    expect([...model.allParams]).toEqual([...before]);
  });
});
