import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, SGD, type Optimizer } from '../lib/index.js';
import type { FloatArray } from '../binding.js';
import { seededRandom as rng } from '../lib/data/random.js';
import { expectSameBits } from './helpers/bits.js';
import { optimizers, type AnyOptions } from './helpers/optimizers.js';

function model(seed: number) {
  const r = rng(seed);
  return {
    weights: Float32Array.from({ length: 257 }, () => r() * 2 - 1),
    bias: Float32Array.from({ length: 3 }, () => r() - 0.5),
    table: Float64Array.from({ length: 33 }, () => (r() - 0.5) * 10),
  };
}
type Model = ReturnType<typeof model>;

function grads(r: () => number, m: Model): Model {
  return {
    weights: m.weights.map(() => (r() - 0.5) * 0.2),
    bias: m.bias.map(() => (r() - 0.5) * 3),
    table: m.table.map(() => r() * 1e-3),
  };
}

/** Every backend; the reference last (the one the others are compared with). */
const BACKENDS = ['native', 'wasm', 'js'] as const;

type Factory = (
  m: Model,
  backend: (typeof BACKENDS)[number],
) => {
  step(g: Model): unknown;
  paramGroups: { lr: number }[];
  stateOf(name: keyof Model): Readonly<Record<string, FloatArray>>;
};

/** Every registry optimizer with its options, then configurations the registry does not try (groups, betas, maximize, dampening). */
const factories: Record<string, Factory> = {
  ...Object.fromEntries(optimizers.map((row): [string, Factory] => [row.name, (m, backend) => row.create(m, { ...row.options, backend })])),
  'Adam, L2 on weights only, amsgrad': (m, backend) =>
    new Adam(m, { lr: 0.01, amsgrad: true, backend, groups: [{ params: ['weights'], weightDecay: 0.1 }] }),
  'Adam maximize': (m, backend) => new Adam(m, { lr: 0.003, betas: [0.8, 0.99], maximize: true, backend }),
  'AdamW, no decay on bias': (m, backend) => new AdamW(m, { lr: 0.01, backend, groups: [{ params: ['bias'], weightDecay: 0 }] }),
  'SGD dampening': (m, backend) => new SGD(m, { lr: 0.05, momentum: 0.5, dampening: 0.3, maximize: true, backend }),
};

describe('optimizer classes: native, wasm and reference backends give identical bits', () => {
  for (const [label, make] of Object.entries(factories)) {
    it(`${label}: 150 steps with lr changes, mixed f32/f64 parameters`, () => {
      const models = BACKENDS.map(() => model(1));
      const opts = BACKENDS.map((backend, i) => make(models[i]!, backend));
      const r = rng(7);
      for (let step = 1; step <= 150; step++) {
        if (step === 60) for (const o of opts) o.paramGroups.forEach((g) => (g.lr *= 0.5));
        const g = grads(r, models[0]!);
        for (const o of opts) o.step(g);
      }
      const b = models[BACKENDS.length - 1]!;
      const optB = opts[BACKENDS.length - 1]!;
      BACKENDS.slice(0, -1).forEach((backend, i) => {
        const a = models[i]!;
        for (const name of ['weights', 'bias', 'table'] as const) {
          expectSameBits(a[name], b[name], `${backend} ${name}`);
          const sa = opts[i]!.stateOf(name);
          const sb = optB.stateOf(name);
          expect(Object.keys(sa).sort()).toEqual(Object.keys(sb).sort());
          for (const key of Object.keys(sa)) expectSameBits(sa[key]!, sb[key]!, `${backend} ${name}.${key}`);
        }
      });
      // The run really moved the parameters.
      expect(b.weights).not.toEqual(model(1).weights);
    });
  }
});

describe('parameter groups', () => {
  it('a group without weight decay steps exactly like an optimizer without weight decay', () => {
    const m = model(3);
    const alone = { bias: m.bias.slice() };
    const grouped = new AdamW(m, { lr: 0.01, weightDecay: 0.5, groups: [{ params: ['bias'], weightDecay: 0 }] });
    const plain = new AdamW(alone, { lr: 0.01, weightDecay: 0 });
    const decayed = { weights: model(3).weights };
    const withDecay = new AdamW(decayed, { lr: 0.01, weightDecay: 0.5 });
    const r = rng(11);
    for (let i = 0; i < 20; i++) {
      const g = grads(r, m);
      grouped.step(g);
      plain.step({ bias: g.bias });
      withDecay.step({ weights: g.weights });
    }
    expectSameBits(m.bias, alone.bias, 'bias');
    expectSameBits(m.weights, decayed.weights, 'weights');
    expect(grouped.paramGroups.map((g) => [g.params, g.weightDecay])).toEqual([
      [['weights', 'table'], 0.5],
      [['bias'], 0],
    ]);
  });

  it('rejects unknown names, names in two groups and unknown options', () => {
    const m = model(4);
    expect(() => new Adam(m, { groups: [{ params: ['nope' as 'bias'] }] })).toThrow(
      /options\.groups\[0\]\.params names "nope", which is not a parameter/,
    );
    expect(() => new Adam(m, { groups: [{ params: ['bias'] }, { params: ['bias'] }] })).toThrow(RangeError);
    expect(() => new Adam(m, { groups: [{ params: ['bias'], momentum: 1 } as never] })).toThrow(/unknown option 'momentum'/);
  });
});

describe('defaults follow torch.optim', () => {
  it('has the torch defaults', () => {
    const p = { w: new Float32Array(2) };
    const { params: _a, ...adam } = new Adam(p).paramGroups[0]!;
    expect(adam).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(new AdamW(p).paramGroups[0]!.weightDecay).toBe(0.01);
    const { params: _b, ...sgd } = new SGD(p).paramGroups[0]!;
    expect(sgd).toEqual({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    const { params: _c, ...adagrad } = new Adagrad(p).paramGroups[0]!;
    expect(adagrad).toEqual({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
  });
});

describe('bad input is rejected with a clear error and changes nothing', () => {
  function snapshot(m: Model, opt: { stateOf(n: keyof Model): Readonly<Record<string, FloatArray>> }): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const name of ['weights', 'bias', 'table'] as const) {
      out.push(new Uint8Array(m[name].slice().buffer));
      for (const b of Object.values(opt.stateOf(name))) out.push(new Uint8Array(b.slice().buffer));
    }
    return out;
  }

  const cases: [string, (m: Model, opt: Optimizer<keyof Model, AnyOptions>) => void, RegExp, ErrorConstructor][] = [
    [
      'missing gradient',
      (_m, o) => o.step({ weights: new Float32Array(257), bias: new Float32Array(3) } as Model),
      /grads\.table is missing/,
      TypeError,
    ],
    [
      'unknown gradient',
      (m, o) => o.step({ ...grads(rng(1), m), extra: new Float32Array(1) } as Model),
      /grads has 'extra', which is not a parameter/,
      TypeError,
    ],
    [
      'wrong dtype',
      (m, o) => o.step({ ...grads(rng(1), m), bias: new Float64Array(3) } as unknown as Model),
      /grads\.bias must be a Float32Array like params\.bias, received Float64Array\(3\)/,
      TypeError,
    ],
    [
      'wrong length',
      (m, o) => o.step({ ...grads(rng(1), m), weights: new Float32Array(256) }),
      /grads\.weights has 256 elements but params\.weights has 257/,
      RangeError,
    ],
    [
      'gradient is the parameter',
      (m, o) => o.step({ ...grads(rng(1), m), bias: m.bias }),
      /params\.bias and grads\.bias share memory/,
      RangeError,
    ],
    ['not an object', (_m, o) => o.step(null as unknown as Model), /grads must be an object of named gradients, received null/, TypeError],
    [
      'plain array gradient',
      (m, o) => o.step({ ...grads(rng(1), m), bias: [1, 2, 3] as unknown as Float32Array }),
      /grads\.bias must be a Float32Array or Float64Array, received an array of length 3/,
      TypeError,
    ],
    [
      'negative lr set between steps',
      (m, o) => {
        o.paramGroups[0]!.lr = -0.1;
        o.step(grads(rng(1), m));
      },
      /paramGroups\[0\]\.lr must be a number ≥ 0, received -0\.1/,
      RangeError,
    ],
  ];

  // Bad options set between steps: test/optimizer-options.test.ts, from the registry.
  for (const row of optimizers)
    for (const backend of BACKENDS) {
      for (const [label, call, message, type] of cases) {
        it(`${row.name} ${backend}: ${label}`, () => {
          const m = model(5);
          const opt = row.create(m, { ...row.options, backend });
          opt.step(grads(rng(2), m));
          const before = snapshot(m, opt);
          let thrown: unknown;
          try {
            call(m, opt);
          } catch (e) {
            thrown = e;
          }
          expect(thrown).toBeInstanceOf(type);
          expect((thrown as Error).message).toMatch(message);
          expect(snapshot(m, opt)).toEqual(before);
          expect(opt.stepCount).toBe(1);
        });
      }
    }

  it('constructor arguments', () => {
    const p = { w: new Float32Array(3) };
    expect(() => new Adam({})).toThrow(/params must name at least one parameter/);
    expect(() => new Adam({ w: [1, 2] as unknown as Float32Array })).toThrow(
      /params\.w must be a Float32Array or Float64Array, received an array of length 2/,
    );
    expect(() => new Adam({ a: p.w, b: p.w.subarray(1) })).toThrow(/params\.a and params\.b share memory/);
    expect(() => new Adam(p, { lr: Number.POSITIVE_INFINITY })).toThrow(/options\.lr must be a finite number, received Infinity/);
    expect(() => new Adam(p, { betas: [0.9] as unknown as [number, number] })).toThrow(/options\.betas must be a pair \[beta1, beta2\]/);
    expect(() => new Adam(p, { backend: 'gpu' as 'js' })).toThrow(/options\.backend must be one of 'native', 'wasm', 'js', received "gpu"/);
  });
});

describe('skipNonFinite', () => {
  for (const row of optimizers)
    for (const backend of BACKENDS) {
      it(`${row.name} ${backend}: a step with a NaN or Infinity gradient changes nothing and says it was skipped`, () => {
        const m = model(6);
        const opt = row.create(m, { ...row.options, skipNonFinite: true, backend });
        expect(opt.step(grads(rng(3), m))).toEqual({ skipped: false, step: 1 });
        const state = () => Object.values(opt.stateOf('weights'));
        const before = { w: m.weights.slice(), state: state().map((a) => a.slice()) };
        expect(before.state.length).toBe(row.definition.buffers({ ...row.definition.defaults, ...row.options }).length);
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
          const g = grads(rng(4), m);
          g.table[17] = bad;
          expect(opt.step(g)).toEqual({ skipped: true, step: 1 });
        }
        expectSameBits(m.weights, before.w, 'weights');
        state().forEach((a, i) => expectSameBits(a, before.state[i]!, `state ${i}`));
        expect(opt.step(grads(rng(5), m))).toEqual({ skipped: false, step: 2 });
      });
    }

  it('without it, a NaN gradient propagates as in torch', () => {
    const p = { w: new Float32Array([1, 2]) };
    new Adam(p, { lr: 0.1 }).step({ w: new Float32Array([Number.NaN, 1]) });
    expect(Number.isNaN(p.w[0])).toBe(true);
    expect(p.w[1]).toBeCloseTo(1.9, 5);
  });
});

describe('hyperparameters', () => {
  it('opt.lr sets every group, and a changed lr takes effect at the next step', () => {
    const a = { w: new Float32Array([1]) };
    const opt = new SGD(a, { lr: 0.1, groups: [] });
    opt.lr = 0.5;
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.5]);
    opt.step({ w: new Float32Array([2]) });
    expect(a.w[0]).toBe(0);
  });
});
