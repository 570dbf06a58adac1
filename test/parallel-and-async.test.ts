import { describe, expect, it, vi } from 'vitest';
import { Adam, SGD, createParameters } from '../lib/index.js';
import { loadNative } from '../lib/native.js';
import { adamScalars, packScalars } from '../lib/scalars.js';
import { expectSameBits } from './helpers/bits.js';
import { optimizers } from './helpers/optimizers.js';

const native = loadNative();
if (!native.ok) throw new Error(`these tests need the native addon: ${native.reason}`);
const binding = native.binding;

function fill(a: Float32Array | Float64Array, seed: number): void {
  let s = seed;
  for (let i = 0; i < a.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    a[i] = (s / 2147483648 - 0.5) * (i % 13 === 0 ? 1e3 : 1);
  }
}

describe('threads', () => {
  for (const row of optimizers) {
    const make = (p: { w: Float32Array }, threads: number) => row.create(p, { ...row.options, threads });
    it(`${row.name}: 1 thread and 2 or 7 threads give identical bits on 300,001 elements`, () => {
      const runs = [1, 2, 7].map((threads) => {
        const p = { w: new Float32Array(300_001) };
        fill(p.w, 1);
        const opt = make(p, threads);
        const g = new Float32Array(300_001);
        for (let t = 0; t < 5; t++) {
          fill(g, 100 + t);
          opt.step({ w: g });
        }
        return p.w;
      });
      expectSameBits(runs[1]!, runs[0]!, '2 threads');
      expectSameBits(runs[2]!, runs[0]!, '7 threads');
    });
  }

  it('rejects a bad thread count', () => {
    expect(() => new Adam({ w: new Float32Array(1) }, { threads: 0 })).toThrow(
      /options\.threads must be an integer ≥ 1 and ≤ 1024, received 0/,
    );
    const t = { param: new Float32Array(1), grad: new Float32Array(1), expAvg: new Float32Array(1), expAvgSq: new Float32Array(1) };
    const s = { beta1: 0.9, oneMinusBeta1: 0.1, beta2: 0.999, oneMinusBeta2: 0.001, stepSize: 0.1, eps: 1e-8, weightDecay: 0, decay: 1 };
    expect(() => binding.adamStep([t], s, { threads: 1.5 })).toThrow(
      /adamStep: options\.threads must be an integer in \[1, 1024\], received 1\.5/,
    );
    expect(t.param[0]).toBe(0);
  });
});

describe('createParameters: one native call for many tensors', () => {
  it('10,000 arena tensors are planned once as one tensor, with the same bits as separate arrays', () => {
    const lengths = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`t${i}`, (i % 7) + 1])) as Record<string, number>;
    const arena = createParameters(lengths);
    fill(arena.allParams, 3);
    const separate = Object.fromEntries(Object.entries(arena.params).map(([k, v]) => [k, v.slice()]));
    const optArena = new Adam(arena.params, { lr: 0.01 });
    const optSeparate = new Adam(separate, { lr: 0.01 });
    const plans = vi.spyOn(binding, 'adamPlan');
    const runs = vi.spyOn(binding, 'runStep');
    for (let t = 0; t < 3; t++) {
      fill(arena.allGrads, 50 + t);
      optArena.step(arena.grads);
      // New gradient arrays every step: each slot's array is replaced, not the plan.
      optSeparate.step(Object.fromEntries(Object.entries(arena.grads).map(([k, v]) => [k, v.slice()])));
    }
    expect(plans).toHaveBeenCalledTimes(2);
    const [arenaPlan, separatePlan] = plans.mock.calls.map(([calls]) => calls);
    expect(arenaPlan).toHaveLength(1);
    expect(arenaPlan![0]!.tensors).toHaveLength(1);
    expect(arenaPlan![0]!.tensors[0]!.param.length).toBe(arena.allParams.length);
    expect(separatePlan![0]!.tensors).toHaveLength(10_000);
    expect(runs).toHaveBeenCalledTimes(6);
    plans.mockRestore();
    runs.mockRestore();
    for (const k of Object.keys(separate)) expectSameBits(arena.params[k]!, separate[k]!, k);
  });

  it('validates options', () => {
    expect(() => createParameters({})).toThrow(/must name at least one parameter/);
    expect(() => createParameters({ w: -1 })).toThrow(/lengths\.w must be an integer ≥ 0, received -1/);
    expect(() => createParameters({ w: 1 }, { dtype: 'int8' as 'float32' })).toThrow(/options\.dtype must be one of 'float32', 'float64'/);
    const a = createParameters({ w: 2, b: 1 }, { dtype: 'float64', shared: true });
    expect(a.params.w).toBeInstanceOf(Float64Array);
    expect(a.allParams.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Object.isFrozen(a.grads)).toBe(true);
  });
});

describe('stepAsync', () => {
  it('on SharedArrayBuffer parameters gives the same bits as step()', async () => {
    const a = createParameters({ w: 100_000, b: 3 }, { shared: true });
    const b = createParameters({ w: 100_000, b: 3 }, { shared: true });
    fill(a.allParams, 9);
    b.allParams.set(a.allParams);
    const optA = new Adam(a.params, { lr: 0.01 });
    const optB = new Adam(b.params, { lr: 0.01 });
    for (let t = 0; t < 4; t++) {
      fill(a.allGrads, 20 + t);
      b.allGrads.set(a.allGrads);
      expect(await optA.stepAsync(a.grads)).toEqual({ skipped: false, step: t + 1 });
      optB.step(b.grads);
    }
    expectSameBits(a.allParams, b.allParams, 'params');
  });

  it('reads the packed scalars during the call: overwriting them while the step runs changes nothing', async () => {
    // The optimizers reuse one packed-scalars array per group, step after step.
    const native = loadNative();
    if (!native.ok) throw new Error(native.reason);
    const make = () => {
      const a = createParameters({ w: 1_000_000 }, { shared: true });
      fill(a.allParams, 3);
      fill(a.allGrads, 4);
      const state = createParameters({ m: 1_000_000, v: 1_000_000 }, { shared: true });
      return { param: a.allParams, grad: a.allGrads, expAvg: state.params.m, expAvgSq: state.params.v };
    };
    const packed = packScalars(
      'adam',
      adamScalars({ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false }, 1),
    );
    const [got, expected] = [make(), make()];
    const running = native.binding.adamStepAsync([got], packed);
    const original = packed.slice();
    packed.fill(Number.NaN);
    await running;
    native.binding.adamStep([expected], original);
    expectSameBits(got.param, expected.param, 'param');
    expectSameBits(got.expAvgSq, expected.expAvgSq, 'expAvgSq');
  });

  it('rejects a second step while one is in flight, and plain ArrayBuffers', async () => {
    const a = createParameters({ w: 1_000_000 }, { shared: true });
    const opt = new Adam(a.params);
    const running = opt.stepAsync(a.grads);
    expect(() => opt.step(a.grads)).toThrow(/Adam\.step: a stepAsync\(\) of this optimizer is still running/);
    await expect(opt.stepAsync(a.grads)).rejects.toThrow(/still running/);
    await running;
    expect(opt.stepCount).toBe(1);

    const plain = createParameters({ w: 10 });
    const before = plain.allParams.slice();
    await expect(new Adam(plain.params).stepAsync(plain.grads)).rejects.toThrow(
      /is over a plain ArrayBuffer, which could be transferred to another thread while the step runs/,
    );
    expectSameBits(plain.allParams, before, 'untouched');
  });

  it('concurrent steps of different optimizers over disjoint buffers run in parallel correctly', async () => {
    const sizes = [200_000, 150_001, 99_999];
    const arenas = sizes.map((n) => createParameters({ w: n }, { shared: true }));
    const copies = sizes.map((n) => createParameters({ w: n }, { shared: true }));
    arenas.forEach((a, i) => {
      fill(a.allParams, i);
      fill(a.allGrads, 10 + i);
      copies[i]!.allParams.set(a.allParams);
      copies[i]!.allGrads.set(a.allGrads);
    });
    const opts = arenas.map((a) => new SGD(a.params, { lr: 0.1, momentum: 0.9 }));
    for (let t = 0; t < 3; t++) await Promise.all(opts.map((o, i) => o.stepAsync(arenas[i]!.grads)));
    copies.forEach((c, i) => {
      const o = new SGD(c.params, { lr: 0.1, momentum: 0.9 });
      for (let t = 0; t < 3; t++) o.step(c.grads);
      expectSameBits(arenas[i]!.allParams, c.allParams, `optimizer ${i}`);
    });
  });
});
