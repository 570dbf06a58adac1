/**
 * Loaded state is checked in full before anything is written, and cannot reach
 * Object.prototype: crafted files with a valid CRC ("__proto__" keys, NaN or negative second
 * moments, fractional or huge step counts) are refused, and getters on a state dict cannot
 * change a value after it was checked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam } from '../lib/index.js';
import { writeStateFile } from '../lib/io/state-file.js';
import type { StateDict } from '../lib/optim/state-dict.js';

const dir = mkdtempSync(join(tmpdir(), 'adam-simd-state-validation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function trained(lr = 0.01) {
  const params = { w: Float32Array.from({ length: 40 }, (_, i) => Math.sin(i)) };
  const opt = new Adam(params, { lr, backend: 'js' });
  for (let t = 1; t <= 3; t++) opt.step({ w: Float32Array.from({ length: 40 }, (_, i) => Math.cos(i * t)) });
  return opt;
}

/** The optimizer's whole observable state, for "unchanged" checks. */
function snapshot(opt: Adam<'w'>): string {
  return JSON.stringify({ s: opt.stateDict(), n: opt.stepCount }, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v));
}

/** Saves `edit(stateDict)` with a valid CRC and expects loadState to refuse it, changing nothing. */
async function expectFileRefused(edit: (s: StateDict) => StateDict, message: RegExp) {
  const file = join(dir, `crafted-${Math.random()}.state`);
  await writeStateFile(file, edit(trained().stateDict() as unknown as StateDict));
  const target = trained(0.07);
  const before = snapshot(target);
  await expect(target.loadState(file)).rejects.toThrow(message);
  expect(snapshot(target)).toBe(before);
}

/** An own, enumerable "__proto__" property, as JSON.parse makes one. */
function withProtoKey<T extends object>(object: T, value: unknown): T {
  Object.defineProperty(object, '__proto__', { value, enumerable: true, configurable: true, writable: true });
  return object;
}

describe('crafted state files with a valid CRC', () => {
  it('a "__proto__" parameter in the buffer list does not reach Object.prototype', async () => {
    try {
      await expectFileRefused(
        (s) => ({ ...s, state: withProtoKey({ ...s.state }, { expAvg: new Float32Array(40).fill(666) }) }),
        /reserved name|not a valid adam-simd state file/,
      );
      expect(Object.prototype).not.toHaveProperty('expAvg');
      // New optimizers still get their own fresh state.
      const w = new Float32Array(40);
      const fresh = new Adam({ w }, { backend: 'js' });
      fresh.step({ w: new Float32Array(40).fill(1) });
      expect(fresh.stateOf('w').expAvg![0]).toBeCloseTo(0.1, 6);
    } finally {
      delete (Object.prototype as Record<string, unknown>).expAvg;
    }
  });

  it('a "__proto__" key inside a parameter group is refused', async () => {
    await expectFileRefused(
      (s) => ({ ...s, paramGroups: [withProtoKey({ ...s.paramGroups[0]! }, { lr: 5 })] }),
      /reserved name "__proto__"/,
    );
  });

  it('non-finite or negative state values and bad step counts are refused', async () => {
    const setState = (key: string, i: number, x: number) => (s: StateDict) => {
      const w = { ...s.state.w! };
      w[key] = w[key]!.slice();
      w[key]![i] = x;
      return { ...s, state: { w } };
    };
    await expectFileRefused(setState('expAvg', 7, NaN), /state\.w\.expAvg\[7\] must be a finite number, received NaN/);
    await expectFileRefused(setState('expAvg', 0, -Infinity), /state\.w\.expAvg\[0\] must be a finite number, received -Infinity/);
    await expectFileRefused(setState('expAvgSq', 39, -0.5), /state\.w\.expAvgSq\[39\] must be a finite number ≥ 0, received -0\.5/);
    await expectFileRefused((s) => ({ ...s, step: 2.5 }), /state\.step must be an integer, received 2\.5/);
    await expectFileRefused((s) => ({ ...s, step: 2 ** 60 }), /state\.step must be an integer ≥ 0 and ≤ 9007199254740990/);
    await expectFileRefused((s) => ({ ...s, step: -1 }), /state\.step must be an integer ≥ 0/);
  });
});

describe('loadStateDict checks what it loads, and loads what it checked', () => {
  it('getters on the state dict and its groups are read once: the checked values are loaded', () => {
    const saved = trained().stateDict();
    const reads = { step: 0, lr: 0 };
    const group = { ...saved.paramGroups[0]! };
    Object.defineProperty(group, 'lr', { enumerable: true, get: () => (reads.lr++ === 0 ? 0.02 : -1) });
    const crafted = { ...saved, paramGroups: [group] };
    Object.defineProperty(crafted, 'step', { enumerable: true, get: () => (reads.step++ === 0 ? 3 : NaN) });
    const target = trained(0.07);
    target.loadStateDict(crafted as never);
    expect(target.stepCount).toBe(3);
    expect(target.paramGroups[0]!.lr).toBe(0.02);
  });

  it('a buffer faking its length or type with own properties is refused', () => {
    const saved = trained().stateDict();
    const short = new Float32Array(10);
    Object.defineProperty(short, 'length', { value: 40 });
    const target = trained(0.07);
    const before = snapshot(target);
    expect(() => target.loadStateDict({ ...saved, state: { w: { ...saved.state.w!, expAvg: short } } })).toThrow(
      /state\.w\.expAvg has 10 elements but params\.w has 40/,
    );
    const fake = Object.create(Float32Array.prototype) as Float32Array;
    expect(() => target.loadStateDict({ ...saved, state: { w: { ...saved.state.w!, expAvg: fake } } })).toThrow(
      /state\.w\.expAvg must be a Float32Array like params\.w/,
    );
    expect(() => target.loadStateDict({ ...saved, state: { constructor: saved.state.w! } } as never)).toThrow(
      /state has 'constructor', which is not a parameter/,
    );
    expect(snapshot(target)).toBe(before);
  });
});
