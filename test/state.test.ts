import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adam, SGD } from '../lib/index.js';
import { crc32 } from '../lib/optim/crc32.js';
import { expectSameBits } from './helpers/bits.js';
import { optimizers } from './helpers/optimizers.js';

function data(seed: number) {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  return { w: Float32Array.from({ length: 100 }, next), b: Float64Array.from({ length: 2 }, next) };
}
type P = ReturnType<typeof data>;
function gradAt(step: number): P {
  return data(1000 + step);
}

/** Each registry optimizer, with a second group whose hyperparameters must survive the load too. */
const makers = Object.fromEntries(
  optimizers.map((row) => [
    row.name,
    (p: P) => row.create(p, { ...row.options, groups: [{ params: ['b'], lr: 0.003, weightDecay: 0.1 } as never] }),
  ]),
);

const dir = mkdtempSync(join(tmpdir(), 'adam-simd-state-'));

describe('stop, save, load into a fresh optimizer, continue = never stopping (bit for bit)', () => {
  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: via stateDict and via a state file`, async () => {
      const straight = data(1);
      const opt = make(straight);
      for (let t = 1; t <= 60; t++) opt.step(gradAt(t));

      for (const via of ['dict', 'file'] as const) {
        const first = data(1);
        const before = make(first);
        for (let t = 1; t <= 25; t++) before.step(gradAt(t));
        const resumedParams = { w: first.w.slice(), b: first.b.slice() };
        const after = make(resumedParams);
        after.paramGroups[0]!.lr = 123; // overwritten by the load
        if (via === 'dict') {
          after.loadStateDict(before.stateDict() as never);
        } else {
          const file = join(dir, `${name}.state`);
          await before.saveState(file);
          await after.loadState(file);
        }
        expect(after.stepCount).toBe(25);
        expect(after.paramGroups).toEqual(before.paramGroups);
        for (let t = 26; t <= 60; t++) after.step(gradAt(t));
        expectSameBits(resumedParams.w, straight.w, `${via} w`);
        expectSameBits(resumedParams.b, straight.b, `${via} b`);
      }
    });
  }
});

describe('stateDict', () => {
  it('is plain data that does not alias the optimizer', () => {
    const p = data(2);
    const opt = new Adam(p);
    opt.step(gradAt(1));
    const s = opt.stateDict();
    expect(s).toMatchObject({ format: 'adam-simd.optimizer', version: 1, optimizer: 'Adam', step: 1 });
    expect(Object.keys(s.state.w!)).toEqual(['expAvg', 'expAvgSq']);
    s.state.w!.expAvg![0] = 42;
    s.paramGroups[0]!.betas[0] = 0.5;
    expect(opt.stateOf('w').expAvg![0]).not.toBe(42);
    expect(opt.paramGroups[0]!.betas[0]).toBe(0.9);
  });
});

describe('bad state is rejected and leaves the optimizer unchanged', () => {
  async function savedFile(): Promise<string> {
    const p = data(3);
    const opt = new Adam(p, { lr: 0.02 });
    for (let t = 1; t <= 3; t++) opt.step(gradAt(t));
    const file = join(dir, `good-${Math.random()}.state`);
    await opt.saveState(file);
    return file;
  }

  function fresh() {
    const p = data(4);
    const opt = new Adam(p, { lr: 0.07 });
    opt.step(gradAt(9));
    return {
      opt,
      snapshot: () =>
        JSON.stringify({ s: opt.stateDict(), step: opt.stepCount }, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)),
    };
  }

  async function expectRejected(bytes: Uint8Array | ((b: Uint8Array) => Uint8Array), message: RegExp) {
    const file = await savedFile();
    const original = new Uint8Array(readFileSync(file));
    const bad = typeof bytes === 'function' ? bytes(original) : bytes;
    writeFileSync(file, bad);
    const { opt, snapshot } = fresh();
    const before = snapshot();
    await expect(opt.loadState(file)).rejects.toThrow(message);
    expect(snapshot()).toBe(before);
  }

  /** Rewrites the trailing checksum so that only the intended defect remains. */
  function resealed(b: Uint8Array): Uint8Array {
    new DataView(b.buffer, b.byteOffset).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
    return b;
  }

  it('a truncated file', () => expectRejected((b) => b.slice(0, b.length - 10), /truncated or corrupted/));
  it('an empty file', () => expectRejected(new Uint8Array(0), /only 0 bytes/));
  it('a corrupted byte', () =>
    expectRejected((b) => {
      const c = b.slice();
      c[c.length - 20]! ^= 1;
      return c;
    }, /checksum does not match/));
  it('another format', () =>
    expectRejected((b) => {
      const c = b.slice();
      c[0] = 0x58;
      return c;
    }, /does not start with "ADAMSIMD"/));
  it('a newer version', () =>
    expectRejected((b) => {
      const c = b.slice();
      new DataView(c.buffer).setUint32(8, 2, true);
      return resealed(c);
    }, /version 2; this adam-simd reads version 1/));

  it('another optimizer, other names, other shapes', async () => {
    const p = data(5);
    const adam = new Adam(p);
    adam.step(gradAt(1));
    const saved = adam.stateDict();
    const { opt, snapshot } = fresh();
    const before = snapshot();
    const sgd = new SGD({ w: new Float32Array(100), b: new Float64Array(2) });
    expect(() => sgd.loadStateDict(saved as never)).toThrow(/is the state of Adam, not SGD/);
    const renamed = new Adam({ x: new Float32Array(100), b: new Float64Array(2) });
    expect(() => renamed.loadStateDict(saved as never)).toThrow(/paramGroups\[0\]\.params must be \[x, b\]/);
    const shorter = new Adam({ w: new Float32Array(99), b: new Float64Array(2) });
    expect(() => shorter.loadStateDict(saved as never)).toThrow(/state\.w\.expAvg has 100 elements but params\.w has 99/);
    const f64 = new Adam({ w: new Float64Array(100), b: new Float64Array(2) });
    expect(() => f64.loadStateDict(saved as never)).toThrow(/state\.w\.expAvg must be a Float64Array like params\.w/);
    expect(() => opt.loadStateDict({ ...saved, paramGroups: [{ ...saved.paramGroups[0]!, lr: -1 }] })).toThrow(
      /paramGroups\[0\]\.lr must be a number ≥ 0/,
    );
    expect(() => opt.loadStateDict({ ...saved, state: { w: { momentum: new Float32Array(100) } } })).toThrow(
      /state\.w\.momentum is not a state buffer of Adam/,
    );
    expect(snapshot()).toBe(before);
  });
});
