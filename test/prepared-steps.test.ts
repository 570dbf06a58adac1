/**
 * Prepared steps (lib/optim/prepared-step.ts, native/src/binding/plan.*): a step is
 * validated once and later steps re-check only what can change. These tests change things
 * between steps — detach, transfer, shrink, swap, alias — and require a clear error with
 * nothing written, or the same bits as a fresh, fully validated optimizer.
 */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { Adam, SGD, createParameters, type Optimizer } from '../lib/index.js';
import { loadNative } from '../lib/native.js';
import { expectSameBits } from './helpers/bits.js';

const native = loadNative();
if (!native.ok) throw new Error(`these tests need the native addon: ${native.reason}`);
const binding = native.binding;

function filled(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(seed * 7.3 + i * 0.37);
  return a;
}

/** Every array an optimizer can write, copied, to show a rejected step wrote nothing. */
function snapshot(params: Record<string, Float32Array>, opt: Optimizer<string, { lr: number }>): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (const [name, p] of Object.entries(params)) {
    if (p.length > 0) out.push(new Uint32Array(p.slice().buffer));
    for (const s of Object.values(opt.stateOf(name))) out.push(new Uint32Array(s.slice().buffer));
  }
  return out;
}

function detachByStructuredClone(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

function detachByPostMessage(buffer: ArrayBuffer): void {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(buffer, [buffer]);
  port1.close();
  port2.close();
}

describe('between two steps', () => {
  const mutations: {
    name: string;
    mutate: (p: { a: Float32Array; b: Float32Array }, g: { a: Float32Array; b: Float32Array }) => void;
    message: RegExp;
  }[] = [
    {
      name: 'a parameter transferred with structuredClone',
      mutate: (p) => detachByStructuredClone(p.b.buffer as ArrayBuffer),
      message: /params\.b was detached, transferred or resized/,
    },
    {
      name: 'a parameter transferred with postMessage',
      mutate: (p) => detachByPostMessage(p.b.buffer as ArrayBuffer),
      message: /params\.b was detached, transferred or resized/,
    },
    {
      name: 'a gradient transferred',
      mutate: (_p, g) => detachByPostMessage(g.a.buffer as ArrayBuffer),
      message: /grads\.a is backed by a detached ArrayBuffer/,
    },
  ];
  for (const { name, mutate, message } of mutations) {
    it(`${name}: TypeError, and nothing written`, () => {
      const params = { a: filled(64, 1), b: filled(33, 2) };
      const grads = { a: filled(64, 3), b: filled(33, 4) };
      const opt = new Adam(params, { lr: 0.01 });
      opt.step(grads);
      opt.step(grads);
      mutate(params, grads);
      const before = snapshot(params, opt);
      expect(() => opt.step(grads)).toThrow(TypeError);
      expect(() => opt.step(grads)).toThrow(message);
      expect(snapshot(params, opt)).toEqual(before);
      expect(opt.stepCount).toBe(2);
    });
  }

  it('state transferred away: TypeError naming it, and nothing written', () => {
    const params = { a: filled(64, 1) };
    const grads = { a: filled(64, 3) };
    const opt = new Adam(params, { lr: 0.01 });
    opt.step(grads);
    const before = new Uint32Array(params.a.slice().buffer);
    detachByPostMessage(opt.stateOf('a').expAvg!.buffer as ArrayBuffer);
    expect(() => opt.step(grads)).toThrow(/the expAvg buffer of a was detached, transferred or resized since the last step/);
    expect(new Uint32Array(params.a.slice().buffer)).toEqual(before);
  });

  it('a resizable buffer shrunk under a parameter: TypeError, and nothing written', () => {
    const buffer = new ArrayBuffer(64 * 4, { maxByteLength: 128 * 4 });
    const params = { a: new Float32Array(buffer, 0, 64) };
    params.a.set(filled(64, 1));
    const grads = { a: filled(64, 3) };
    const opt = new Adam(params, { lr: 0.01 });
    opt.step(grads);
    const state = snapshot(params, opt).slice(1);
    buffer.resize(32 * 4);
    const kept = new Uint32Array(buffer.slice(0));
    expect(() => opt.step(grads)).toThrow(
      /params\.a was detached, transferred or resized: it has 0 elements, 64 when the optimizer was made/,
    );
    expect(new Uint32Array(buffer.slice(0))).toEqual(kept);
    expect(snapshot(params, opt).slice(0)).toEqual(state);
    // Grown back, the same memory is the parameter's again and the step goes on.
    buffer.resize(64 * 4);
    expect(opt.step(grads).step).toBe(2);
  });

  it('a length-tracking gradient whose buffer grew: TypeError naming it, and nothing written', () => {
    const buffer = new ArrayBuffer(16 * 4, { maxByteLength: 64 * 4 });
    const params = { a: filled(16, 1) };
    const grads = { a: new Float32Array(buffer) };
    grads.a.set(filled(16, 2));
    const opt = new Adam(params, { lr: 0.01 });
    opt.step(grads);
    const before = snapshot(params, opt);
    buffer.resize(20 * 4);
    expect(() => opt.step(grads)).toThrow(/grads\.a has 20 elements but params\.a has 16/);
    expect(snapshot(params, opt)).toEqual(before);
  });

  it('a different gradient array in a slot is checked alone, and used', () => {
    const params = { a: filled(40, 1), b: filled(24, 2) };
    const twin = { a: params.a.slice(), b: params.b.slice() };
    const opt = new Adam(params, { lr: 0.01 });
    const fresh = new Adam(twin, { lr: 0.01 });
    const plans = vi.spyOn(binding, 'adamPlan');
    const replaced = vi.spyOn(binding, 'replaceStepGrad');
    const grads = { a: filled(40, 3), b: filled(24, 4) };
    const schedule: { a: Float32Array; b: Float32Array }[] = [];
    for (let t = 0; t < 4; t++) {
      grads.b = filled(24, 10 + t); // a new array in one slot each step
      schedule.push({ a: grads.a.slice(), b: grads.b.slice() });
      opt.step(grads);
    }
    // Planned on the first step only: each later step replaced the one slot that changed.
    expect(plans).toHaveBeenCalledTimes(1);
    expect(replaced).toHaveBeenCalledTimes(3);
    plans.mockRestore();
    replaced.mockRestore();
    for (const g of schedule) fresh.step(g);
    expectSameBits(params.a, twin.a, 'a');
    expectSameBits(params.b, twin.b, 'b');
  });

  it('a swapped gradient that is a parameter: RangeError, and nothing written', () => {
    const params = { a: filled(8, 1), b: filled(8, 2) };
    const opt = new Adam(params, { lr: 0.01 });
    opt.step({ a: filled(8, 3), b: filled(8, 4) });
    const before = snapshot(params, opt);
    expect(() => opt.step({ a: filled(8, 3), b: params.a })).toThrow(/params\.a and grads\.b share memory/);
    expect(snapshot(params, opt)).toEqual(before);
  });

  it('a new record with the same arrays and a name that is not a parameter: TypeError naming it', () => {
    const params = { a: filled(8, 1) };
    const grads = { a: filled(8, 3) };
    const opt = new Adam(params, { lr: 0.01 });
    opt.step(grads);
    const before = snapshot(params, opt);
    expect(() => opt.step({ ...grads, extra: filled(8, 5) } as typeof grads)).toThrow(/grads has 'extra', which is not a parameter/);
    expect(snapshot(params, opt)).toEqual(before);
  });

  it('hyperparameters changed between steps are validated again, and used', () => {
    const params = { w: filled(16, 1) };
    const twin = { w: params.w.slice() };
    const grads = { w: filled(16, 2) };
    const opt = new Adam(params, { lr: 0.01 });
    opt.step(grads);
    const before = snapshot(params, opt);
    opt.paramGroups[0]!.betas[1] = 1.5; // edited in place, not reassigned
    expect(() => opt.step(grads)).toThrow(/paramGroups\[0\]\.betas\[1\] must be/);
    expect(snapshot(params, opt)).toEqual(before);
    opt.paramGroups[0]!.betas[1] = 0.99;
    opt.paramGroups[0]!.lr = 0.05;
    opt.step(grads);
    const fresh = new Adam(twin, { lr: 0.01 });
    fresh.step(grads);
    fresh.paramGroups[0]!.betas = [0.9, 0.99];
    fresh.paramGroups[0]!.lr = 0.05;
    fresh.step(grads);
    expectSameBits(params.w, twin.w, 'w');
  });

  it('a group whose options now need a new state buffer is planned again (SGD momentum turned on)', () => {
    const params = { w: filled(16, 1) };
    const twin = { w: params.w.slice() };
    const grads = { w: filled(16, 2) };
    const opt = new SGD(params, { lr: 0.01 });
    const ref = new SGD(twin, { lr: 0.01, backend: 'js' });
    for (const o of [opt, ref]) {
      o.step(grads);
      o.paramGroups[0]!.momentum = 0.9;
      o.step(grads);
      o.step(grads);
    }
    expectSameBits(params.w, twin.w, 'w');
    expect(opt.stateOf('w').momentumBuffer).toBeDefined();
  });
});

describe('aliasing the plan catches by address', () => {
  it('two SharedArrayBuffer objects over the same memory are refused (#15.7), nothing written', async () => {
    const sab = new SharedArrayBuffer(16 * 4);
    const { port1, port2 } = new MessageChannel();
    const twin = new Promise<SharedArrayBuffer>((resolve) => port2.once('message', resolve));
    port1.postMessage(sab);
    const other = await twin;
    port1.close();
    port2.close();
    expect(other).not.toBe(sab);
    const params = { a: new Float32Array(sab, 0, 8), b: new Float32Array(other, 16, 8) };
    params.a.set(filled(8, 1));
    params.b.set(filled(8, 2));
    const opt = new Adam(params, { lr: 0.01 });
    const before = new Uint32Array(sab.slice(0));
    expect(() => opt.step({ a: filled(8, 3), b: filled(8, 4) })).toThrow(/share memory/);
    expect(new Uint32Array(sab.slice(0))).toEqual(before);
  });
});

describe('parameter groups', () => {
  it("a group's params cannot be edited or reassigned (#15.11)", () => {
    const opt = new Adam({ a: filled(4, 1), b: filled(4, 2) }, { lr: 0.01, groups: [{ params: ['b'], lr: 0.1 }] });
    expect(() => (opt.paramGroups[0]!.params as string[]).push('b')).toThrow(TypeError);
    expect(() => {
      (opt.paramGroups[1] as { params: readonly string[] }).params = ['a'];
    }).toThrow(TypeError);
    expect(opt.paramGroups.map((g) => [...g.params])).toEqual([['a'], ['b']]);
  });
});

describe('stepAsync', () => {
  it('refuses stateDict, saveState and loadStateDict until it settles (#15.6)', async () => {
    const arena = createParameters({ w: 4096 }, { shared: true });
    arena.allParams.set(filled(4096, 1));
    arena.allGrads.set(filled(4096, 2));
    const opt = new Adam(arena.params, { lr: 0.01 });
    opt.step(arena.grads);
    const saved = opt.stateDict();
    const running = opt.stepAsync(arena.grads);
    expect(() => opt.stateDict()).toThrow(/stateDict: a stepAsync\(\) of this optimizer is still running/);
    expect(() => opt.loadStateDict(saved)).toThrow(/loadStateDict: a stepAsync\(\) of this optimizer is still running/);
    await expect(opt.saveState('/nonexistent/never-written')).rejects.toThrow(
      /saveState: a stepAsync\(\) of this optimizer is still running/,
    );
    expect(() => opt.step(arena.grads)).toThrow(/step: a stepAsync\(\) of this optimizer is still running/);
    expect((await running).step).toBe(2);
    expect(opt.stateDict().step).toBe(2);
  });

  it('gives the bits of step() on every call of a multi-group, multi-dtype step', async () => {
    const make = () => {
      const arena32 = createParameters({ a: 100, b: 37 }, { shared: true });
      const arena64 = createParameters({ c: 50 }, { shared: true, dtype: 'float64' });
      arena32.allParams.set(filled(137, 1));
      arena64.allParams.set(Float64Array.from(filled(50, 2)));
      const params = { ...arena32.params, ...arena64.params };
      const grads = { ...arena32.grads, ...arena64.grads };
      arena32.allGrads.set(filled(137, 3));
      arena64.allGrads.set(Float64Array.from(filled(50, 4)));
      return { params, grads, opt: new Adam(params, { lr: 0.01, groups: [{ params: ['b'], lr: 0.02, amsgrad: true }] }) };
    };
    const sync = make();
    const async = make();
    for (let t = 0; t < 3; t++) {
      sync.opt.step(sync.grads);
      await async.opt.stepAsync(async.grads);
    }
    for (const k of ['a', 'b', 'c'] as const) expectSameBits(async.params[k], sync.params[k], k);
  });

  it('refused on its second group: no group is stepped, and the optimizer is not left busy (#15.5)', async () => {
    const shared = createParameters({ a: 64 }, { shared: true });
    shared.allParams.set(filled(64, 1));
    shared.allGrads.set(filled(64, 2));
    const plain = { b: filled(32, 3) };
    const opt = new Adam({ ...shared.params, ...plain }, { lr: 0.01, groups: [{ params: ['b'], lr: 0.02 }] });
    const grads = { ...shared.grads, b: filled(32, 4) };
    const before = [shared.params.a.slice(), plain.b.slice()];
    await expect(opt.stepAsync(grads)).rejects.toThrow(/Adam\.stepAsync: tensors\[\d+\] \("b"\)\.param is over a plain ArrayBuffer/);
    expectSameBits(shared.params.a, before[0]!, 'a (first group)');
    expectSameBits(plain.b, before[1]!, 'b (second group)');
    expect(opt.stepCount).toBe(0);
    expect(opt.step(grads).step).toBe(1); // not busy: the rejected step left nothing running
  });

  it('plain ArrayBuffer arrays: TypeError naming one, nothing written', async () => {
    const params = { w: filled(16, 1) };
    const opt = new Adam(params, { lr: 0.01 });
    const before = params.w.slice();
    await expect(opt.stepAsync({ w: filled(16, 2) })).rejects.toThrow(
      /Adam\.stepAsync: tensors\[0\] \("w"\)\.param is over a plain ArrayBuffer/,
    );
    expectSameBits(params.w, before, 'w');
    expect(opt.stepCount).toBe(0);
  });
});

describe("runStep refuses scalars that are not one Float64Array of every group's values, writing nothing", () => {
  const tensor = () => ({ param: filled(8, 1), grad: filled(8, 2), expAvg: new Float32Array(8), expAvgSq: new Float32Array(8) });
  it.each([
    ['an array', () => Array.from({ length: 10 }, () => 0.5)],
    ['a Float32Array of 10', () => new Float32Array(10)],
    ['a Float64Array of 9', () => new Float64Array(9)],
    ["a Float64Array of 20 (two groups' worth)", () => new Float64Array(20)],
    ['a DataView', () => new DataView(new ArrayBuffer(80))],
    ['undefined', () => undefined],
  ])('%s', (_, scalars) => {
    const t = tensor();
    const plan = binding.adamPlan([{ group: 0, tensors: [t] }], 1);
    const before = t.param.slice();
    expect(() => binding.runStep(plan, scalars() as never)).toThrow(
      new TypeError('runStep: scalars must be a Float64Array of 10 values (10 per group)'),
    );
    expectSameBits(t.param, before, 'param');
  });
});
