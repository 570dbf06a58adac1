/**
 * Correctness beyond bits: the float64 reference's gradients against central finite
 * differences of its own loss, for every activation, every loss, with and without bias;
 * and its exp/tanh/sigmoid/log against Math's to a few ulps.
 */
import { describe, expect, it } from 'vitest';
import type { MlpLossName } from '../binding.js';
import { matrixFromRows } from '../lib/data/matrix.js';
import { seededRandom } from '../lib/data/random.js';
import { Dense } from '../lib/nn/dense.js';
import { Sequential } from '../lib/nn/sequential.js';
import { exp64, log1p64, log64, sigmoid64, tanh64 } from '../lib/reference/mlp-math.js';
import type { ActivationName } from '../lib/reference/mlp.js';

describe('float64 transcendental functions', () => {
  const random = seededRandom(3);
  const points = Array.from({ length: 2000 }, () => (random() - 0.5) * 60);
  const close = (got: number, want: number, ulps: number) =>
    expect(Math.abs(got - want)).toBeLessThanOrEqual(ulps * Number.EPSILON * Math.max(Math.abs(want), Number.MIN_VALUE));

  it('exp64 agrees with Math.exp to 2 ulps on [−700, 40]', () => {
    for (const x of [...points.map((p) => p - 10), -700, -0.5, 0, 1e-9, 40]) close(exp64(x), Math.exp(x), 2);
    expect(exp64(-701)).toBe(0);
  });
  it('tanh64 and sigmoid64 agree with Math to 4 ulps, keep NaN, saturate', () => {
    for (const x of [...points, 1e-12, -1e-12, 0.3, -0.3]) {
      close(tanh64(x), Math.tanh(x), 4);
      close(sigmoid64(x), 1 / (1 + Math.exp(-x)), 4);
    }
    expect(tanh64(25)).toBe(1);
    expect(tanh64(-25)).toBe(-1);
    expect(tanh64(NaN)).toBeNaN();
    expect(sigmoid64(NaN)).toBeNaN();
  });
  it('log1p64 and log64 agree with Math to 2 ulps', () => {
    for (const u of [...points.map((p) => Math.abs(p) / 30), 1e-20, 1]) close(log1p64(u), Math.log1p(u), 2);
    for (const s of [1, 1.5, 2, 3, 10, 1000.25]) close(log64(s), Math.log(s), 2);
  });
});

interface Case {
  hidden: ActivationName;
  last: ActivationName;
  loss: MlpLossName;
  units: number;
  useBias: boolean;
}

function target(c: Case, rows: number, random: () => number): Float64Array {
  if (c.loss === 'sparseCategoricalCrossentropy') return Float64Array.from({ length: rows }, () => Math.floor(random() * c.units));
  if (c.loss === 'binaryCrossentropy') return Float64Array.from({ length: rows * c.units }, () => random());
  return Float64Array.from({ length: rows * c.units }, () => random() * 4 - 2);
}

function gradCheck(c: Case): void {
  const random = seededRandom(11);
  const rows = 7;
  const x = matrixFromRows(Array.from({ length: rows }, () => [random() * 2 - 1, random() * 2 - 1, random() * 2 - 1]));
  const y = target(c, rows, random);
  const model = new Sequential(
    [
      new Dense({ units: 5, activation: c.hidden, inputSize: 3, useBias: c.useBias }),
      new Dense({ units: 4, activation: c.hidden, kernelInitializer: 'heNormal' }),
      new Dense({ units: c.units, activation: c.last, useBias: c.useBias }),
    ],
    { seed: 5, dtype: 'float64', backend: 'js' },
  );
  for (const [name, p] of Object.entries(model.params)) if (name.endsWith('bias')) p.forEach((_, k) => (p[k] = random() - 0.5));
  const options = { loss: c.loss, delta: 0.3 };
  const grads = model.createGrads();
  model.lossGrad(x, y, grads, options);
  const scratch = model.createGrads();
  const h = 1e-6;
  let checked = 0;
  for (const [name, p] of Object.entries(model.params)) {
    for (let k = 0; k < p.length; k++) {
      const saved = p[k]!;
      p[k] = saved + h;
      const up = model.lossGrad(x, y, scratch, options);
      p[k] = saved - h;
      const down = model.lossGrad(x, y, scratch, options);
      p[k] = saved;
      const numeric = (up - down) / (2 * h);
      expect(grads[name]![k], `${name}[${k}]`).toBeCloseTo(numeric, 6);
      checked++;
    }
  }
  expect(checked).toBe(model.allParams.length);
}

describe('finite-difference gradient checks (float64 reference)', () => {
  for (const hidden of ['linear', 'relu', 'tanh', 'sigmoid'] as const) {
    for (const useBias of [true, false]) {
      it(`hidden ${hidden}, mse, ${useBias ? 'with' : 'without'} bias`, () =>
        gradCheck({ hidden, last: 'linear', loss: 'mse', units: 2, useBias }));
    }
  }
  it('tanh output, mae', () => gradCheck({ hidden: 'tanh', last: 'tanh', loss: 'mae', units: 2, useBias: true }));
  it('sigmoid output, huber', () => gradCheck({ hidden: 'tanh', last: 'sigmoid', loss: 'huber', units: 2, useBias: true }));
  it('binaryCrossentropy on a sigmoid output', () =>
    gradCheck({ hidden: 'tanh', last: 'sigmoid', loss: 'binaryCrossentropy', units: 3, useBias: true }));
  it('sparseCategoricalCrossentropy on logits', () =>
    gradCheck({ hidden: 'sigmoid', last: 'linear', loss: 'sparseCategoricalCrossentropy', units: 4, useBias: true }));
});
