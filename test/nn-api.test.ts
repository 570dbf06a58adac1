/** The Sequential / Dense API: names, layout, seeded initialisers, predict, and clear errors that change nothing. */
import { describe, expect, it } from 'vitest';
import { matrixFromRows, vectorFrom } from '../lib/data/matrix.js';
import { Dense } from '../lib/nn/dense.js';
import { Sequential } from '../lib/nn/sequential.js';
import { clipGradNorm } from '../lib/clip.js';
import { optimizers } from './helpers/optimizers.js';

const seedModel = (options = {}) =>
  new Sequential(
    [new Dense({ units: 64, activation: 'relu', inputSize: 3 }), new Dense({ units: 64, activation: 'relu' }), new Dense({ units: 1 })],
    {
      seed: 1,
      backend: 'js',
      ...options,
    },
  );

describe('Sequential', () => {
  it('names its parameters as Keras layers and lays them out in one buffer', () => {
    const model = seedModel();
    expect(Object.keys(model.params)).toEqual([
      'dense0.kernel',
      'dense0.bias',
      'dense1.kernel',
      'dense1.bias',
      'dense2.kernel',
      'dense2.bias',
    ]);
    expect(Object.values(model.params).map((p) => p.length)).toEqual([192, 64, 4096, 64, 64, 1]);
    expect(model.allParams).toBeInstanceOf(Float32Array);
    for (const p of Object.values(model.params)) expect(p.buffer).toBe(model.allParams.buffer);
    const grads = model.createGrads();
    expect(Object.isFrozen(grads)).toBe(true);
    expect(Object.values(grads).map((g) => g.length)).toEqual([192, 64, 4096, 64, 64, 1]);
  });

  it('initialises kernels Glorot-uniform within ±√(6/(in+out)), biases at zero, reproducibly per seed', () => {
    const model = seedModel();
    const limit = Math.sqrt(6 / (3 + 64));
    const k = model.params['dense0.kernel']!;
    expect(Math.max(...k)).toBeLessThanOrEqual(limit);
    expect(Math.min(...k)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...k) - Math.min(...k)).toBeGreaterThan(limit);
    expect([...model.params['dense0.bias']!].every((b) => b === 0)).toBe(true);
    expect([...seedModel().allParams]).toEqual([...model.allParams]);
    expect([...seedModel({ seed: 2 }).allParams]).not.toEqual([...model.allParams]);
  });

  it('accepts both dtype spellings and He-normal / zeros initialisers', () => {
    expect(seedModel({ dtype: 'float64' }).allParams).toBeInstanceOf(Float64Array);
    expect(seedModel({ dtype: 'float64' }).allParams).toBeInstanceOf(Float64Array);
    const he = new Sequential([new Dense({ units: 400, inputSize: 50, kernelInitializer: 'heNormal' })], { dtype: 'float64' });
    const k = he.params['dense0.kernel']!;
    const std = Math.sqrt(k.reduce((s, v) => s + v * v, 0) / k.length);
    expect(std).toBeGreaterThan(0.9 * Math.sqrt(2 / 50));
    expect(std).toBeLessThan(1.1 * Math.sqrt(2 / 50));
    expect(Math.max(...k.map(Math.abs))).toBeLessThanOrEqual((2 * Math.sqrt(2 / 50)) / 0.8796256610342398);
    const zeros = new Sequential([new Dense({ units: 2, inputSize: 2, kernelInitializer: 'zeros' })]);
    expect([...zeros.allParams]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('predicts h = act(x·W + b) with Keras kernel layout', () => {
    const model = new Sequential([new Dense({ units: 2, activation: 'relu', inputSize: 2 })], { dtype: 'float64', backend: 'js' });
    model.params['dense0.kernel']!.set([1, -1, 2, 3]); // W[0] = [1, -1], W[1] = [2, 3]
    model.params['dense0.bias']!.set([0.5, -10]);
    const out = model.predict(
      matrixFromRows([
        [1, 1],
        [2, 0],
      ]),
    );
    expect([...out]).toEqual([3.5, 0, 2.5, 0]);
  });

  it('rejects bad layers and options by name', () => {
    expect(() => new Sequential([new Dense({ units: 3 })])).toThrow(/layers\[0\] needs inputSize/);
    expect(() => new Sequential([new Dense({ units: 3, inputSize: 2 }), new Dense({ units: 1, inputSize: 4 })])).toThrow(
      /layers\[1\] has inputSize 4 but layers\[0\] has 3 units/,
    );
    expect(() => new Dense({ units: 0 })).toThrow(/options.units/);
    expect(() => new Dense({ units: 2, activation: 'gelu' as 'relu' })).toThrow(
      /options.activation must be one of 'linear', 'relu', 'tanh', 'sigmoid'/,
    );
    expect(() => seedModel({ dtype: 'int8' })).toThrow(/options.dtype/);
  });

  it('names bad data by row and column, and a rejected lossGrad writes nothing', () => {
    const model = seedModel({ dtype: 'float64' });
    const grads = model.createGrads();
    const flat = Object.values(grads);
    flat.forEach((g) => g.fill(7));
    const x = matrixFromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const y = vectorFrom([1, 2]);
    x.data[4] = NaN;
    expect(() => model.lossGrad(x, y, grads)).toThrow('lossGrad: X[1][1] (row 1, column 1) must be finite, received NaN');
    x.data[4] = 5;
    expect(() => model.lossGrad(matrixFromRows([[1, 2]]), vectorFrom([1]), grads)).toThrow(
      'X has 2 columns but the first layer takes 3 inputs',
    );
    expect(() => model.lossGrad(x, vectorFrom([1, 2, 3]), grads)).toThrow(/y has 3 values but X has 2 rows/);
    expect(() => model.lossGrad(x, y, grads, { loss: 'hinge' })).toThrow(/options.loss must be one of/);
    expect(() => model.lossGrad(x, y, grads, { loss: 'binaryCrossentropy' })).toThrow(/needs a last layer with activation 'sigmoid'/);
    expect(flat.every((g) => g.every((v) => v === 7))).toBe(true);
    expect(model.lossGrad(x, y, grads, { loss: 'mean_squared_error' })).toBeGreaterThan(0);
  });

  it('rejects class labels out of range', () => {
    const model = new Sequential([new Dense({ units: 3, inputSize: 2 })], { dtype: 'float64', backend: 'js' });
    const x = matrixFromRows([
      [1, 2],
      [3, 4],
    ]);
    const grads = model.createGrads();
    expect(() => model.lossGrad(x, vectorFrom([0, 3]), grads, { loss: 'sparseCategoricalCrossentropy' })).toThrow(
      'lossGrad: y[1] (row 1) must be a class label, an integer in [0, 2] (the last layer has 3 units), received 3',
    );
    expect(() => model.lossGrad(x, vectorFrom([0, 1.5]), grads, { loss: 'sparseCategoricalCrossentropy' })).toThrow(/y\[1\]/);
    const binary = new Sequential([new Dense({ units: 2, inputSize: 2, activation: 'sigmoid' })], { dtype: 'float64', backend: 'js' });
    expect(() => binary.lossGrad(x, vectorFrom([0, 1, 1, 1.25]), binary.createGrads(), { loss: 'binaryCrossentropy' })).toThrow(
      "lossGrad: y[3] (row 1, output 1) must be a probability in [0, 1] for 'binaryCrossentropy', received 1.25",
    );
  });

  it('clips and steps its gradients with any optimizer of the package, every layer in one call', () => {
    const model = seedModel({ dtype: 'float64' });
    const x = matrixFromRows([
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
      [0.9, 0.1, 0.5],
    ]);
    const y = vectorFrom([1, -1, 2]);
    const grads = model.createGrads();
    for (const row of optimizers) {
      const optimizer = row.create(model.params, row.options);
      model.lossGrad(x, y, grads);
      const squares = Object.values(grads).reduce((s, g) => s + g.reduce((t, v) => t + v * v, 0), 0);
      expect(clipGradNorm(grads, 0.01)).toBeCloseTo(Math.sqrt(squares), 12);
      const clipped = Math.sqrt(Object.values(grads).reduce((s, g) => s + g.reduce((t, v) => t + v * v, 0), 0));
      expect(clipped).toBeCloseTo(0.01, 6);
      const before = Object.fromEntries(Object.entries(model.params).map(([n, p]) => [n, Float64Array.from(p)]));
      optimizer.step(grads);
      // Every layer's weights moved (the first bias may see a zero gradient only where relu is off everywhere).
      for (const name of ['dense0.kernel', 'dense1.kernel', 'dense2.kernel', 'dense2.bias'])
        expect([...model.params[name]!], name).not.toEqual([...before[name]!]);
    }
  });

  it('writes into a grads record of its own arrays just as into createGrads()', () => {
    const model = seedModel({ dtype: 'float64' });
    const x = matrixFromRows([
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
    ]);
    const y = vectorFrom([1, -1]);
    const own = Object.fromEntries(Object.entries(model.params).map(([n, p]) => [n, new Float64Array(p.length)]));
    const made = model.createGrads();
    expect(model.lossGrad(x, y, own)).toBe(model.lossGrad(x, y, made));
    for (const name of Object.keys(made)) expect([...own[name]!]).toEqual([...made[name]!]);
    expect(() => model.lossGrad(x, y, { ...own, 'dense1.bias': new Float64Array(3) })).toThrow(
      "grads['dense1.bias'] must be a Float64Array of 64 elements",
    );
  });
});
