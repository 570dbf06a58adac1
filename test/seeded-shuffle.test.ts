/**
 * The native seeded order (binding.d.ts: seededShuffle, native/src/binding/batch_rows.h) is
 * the TypeScript one (lib/data/random.ts: seededRandom + shuffleInPlace), permutation and
 * state after, for many seeds and sizes — the proof that trainLinreg's shuffled mini-batches
 * are the Trainer's (native/NUMERICS.md, "Mini-batch order").
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, shuffleInPlace } from '../lib/data/random.js';
import { nativeBinding } from './helpers/native-binding.js';

const binding = nativeBinding();

function identity(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** The first index where the orders differ, or -1 (a plain loop: toEqual is slow on millions). */
function firstDifference(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** States at the edges of uint32 and at the carries of the additive step, then scattered ones. */
const edgeStates = [0, 1, 2, 42, 0x6d2b79f5, 0x92d4860a, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe];

describe('seededShuffle is shuffleInPlace over seededRandom', () => {
  const sizes = [0, 1, 2, 3, 7, 16, 100, 1023, 4097];
  const scattered = seededRandom(20261203);
  const states = [...edgeStates, ...Array.from({ length: 150 }, () => Math.floor(scattered() * 2 ** 32))];

  it(`${states.length} states × sizes ${sizes.join(', ')}: the same permutation and the same state after`, () => {
    let compared = 0;
    for (const state of states) {
      for (const n of sizes) {
        const expected = identity(n);
        const random = seededRandom(state);
        shuffleInPlace(expected, random);
        const order = identity(n);
        const after = binding.seededShuffle(order, state);
        expect(firstDifference(order, expected), `state ${state}, ${n} rows`).toBe(-1);
        expect(after, `state after, state ${state}, ${n} rows`).toBe(random.state);
        compared++;
      }
    }
    expect(compared).toBe(states.length * sizes.length);
  });

  it('3,000,001 rows, where draw · (i + 1) needs more than 53 bits and is rounded: the same permutation', () => {
    const n = 3_000_001;
    const expected = identity(n);
    const random = seededRandom(7);
    shuffleInPlace(expected, random);
    const order = identity(n);
    expect(binding.seededShuffle(order, 7)).toBe(random.state);
    expect(firstDifference(order, expected)).toBe(-1);
  });

  it('epoch after epoch, the state carried on: the Trainer sequence of orders', () => {
    const random = seededRandom(3);
    let state = 3;
    const expected = identity(250);
    const order = identity(250);
    for (let epoch = 0; epoch < 40; epoch++) {
      // Each epoch starts from the rows in order, as batches.ts does.
      expected.set(identity(250));
      order.set(identity(250));
      shuffleInPlace(expected, random);
      state = binding.seededShuffle(order, state);
      expect(firstDifference(order, expected), `epoch ${epoch}`).toBe(-1);
      expect(state).toBe(random.state);
    }
  });

  it('seededRandom.state: reading it and setting it resumes the same sequence', () => {
    const a = seededRandom(11);
    for (let i = 0; i < 5; i++) a();
    const b = seededRandom(0);
    b.state = a.state;
    const fromA = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(fromA);
    // The seed is taken as a uint32, as ToUint32 does.
    expect(seededRandom(-1).state).toBe(0xffffffff);
    expect(seededRandom(2 ** 32 + 5).state).toBe(5);
  });
});

describe('seededShuffle refuses bad arguments, writing nothing', () => {
  it.each([
    [-1, RangeError, /seededShuffle: state must be an integer in \[0, 2\^32 − 1\] \(a seededRandom state\), received -1/],
    [2 ** 32, RangeError, /received 4294967296/],
    [1.5, RangeError, /received 1\.5/],
    [Number.NaN, RangeError, /received NaN/],
    ['1', TypeError, /seededShuffle: state must be an integer in \[0, 2\^32 − 1\]/],
    [undefined, TypeError, /seededShuffle: state must be/],
  ])('state %s: %s', (state, error, message) => {
    const order = identity(10);
    expect(() => binding.seededShuffle(order, state as number)).toThrow(error);
    expect(() => binding.seededShuffle(order, state as number)).toThrow(message);
    expect(order).toEqual(identity(10));
  });

  it('an order that is not a Uint32Array: TypeError naming it', () => {
    expect(() => binding.seededShuffle(new Int32Array(4) as unknown as Uint32Array, 1)).toThrow(TypeError);
    expect(() => binding.seededShuffle([0, 1, 2] as unknown as Uint32Array, 1)).toThrow(
      /seededShuffle: order must be a Uint32Array, received/,
    );
  });
});
