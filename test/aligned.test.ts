/**
 * Arrays the library allocates (matrices, batches, createParameters, optimizer state) start on a 64-byte
 * boundary, found through the addon's byteMisalignment, which must report real addresses.
 */
import { describe, expect, it } from 'vitest';
import { createParameters } from '../lib/arena.js';
import { Adam } from '../lib/optim/adam.js';
import { alignedArray } from '../lib/data/aligned.js';
import { matrixFromRows } from '../lib/data/matrix.js';
import { nativeBinding } from './helpers/native-binding.js';

const binding = nativeBinding();

describe('byteMisalignment', () => {
  it('reports the address of the first element: views 4 bytes apart are 4 bytes further past a boundary', () => {
    const buffer = new ArrayBuffer(1024);
    const base = binding.byteMisalignment(new Float32Array(buffer));
    expect(base % 8).toBe(0); // every allocator gives at least 8-byte alignment
    for (let k = 0; k < 64; k++) {
      expect(binding.byteMisalignment(new Float32Array(buffer, 4 * k, 8))).toBe((base + 4 * k) % 64);
      expect(binding.byteMisalignment(new Float64Array(buffer, 8 * k, 8))).toBe((base + 8 * k) % 64);
    }
    const shared = new SharedArrayBuffer(256);
    const sharedBase = binding.byteMisalignment(new Float64Array(shared));
    expect(binding.byteMisalignment(new Float64Array(shared, 24, 2))).toBe((sharedBase + 24) % 64);
  });

  it('refuses anything but a Float32Array or Float64Array, naming the argument', () => {
    for (const bad of [undefined, 3, new Uint8Array(8), new ArrayBuffer(8), [1, 2]]) {
      expect(() => binding.byteMisalignment(bad as unknown as Float32Array)).toThrow(TypeError);
      expect(() => binding.byteMisalignment(bad as unknown as Float32Array)).toThrow(
        /byteMisalignment: array must be a Float32Array or Float64Array/,
      );
    }
  });
});

describe('aligned allocation', () => {
  it('alignedArray: the requested length, zero-filled, first element on a 64-byte boundary, plain or shared', () => {
    for (const Ctor of [Float32Array, Float64Array]) {
      for (const length of [1, 3, 16, 17, 1000, 100_000]) {
        for (const shared of [false, true]) {
          const a = alignedArray(Ctor, length, shared);
          expect(a).toBeInstanceOf(Ctor);
          expect(a.length).toBe(length);
          expect(a.buffer instanceof SharedArrayBuffer).toBe(shared);
          expect(a.every((v) => v === 0)).toBe(true);
          expect(binding.byteMisalignment(a)).toBe(0);
        }
      }
    }
  });

  it('an optimizer allocates its state on a cache line, also after loadStateDict', () => {
    const params = { w: new Float32Array(1001), b: new Float32Array(3) }; // plain arrays: anywhere
    const opt = new Adam(params, { amsgrad: true, backend: 'native' });
    opt.step({ w: new Float32Array(1001).fill(0.5), b: new Float32Array(3).fill(-1) });
    const first = opt.stateOf('w');
    expect(Object.keys(first).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq']);
    for (const array of Object.values(first)) expect(binding.byteMisalignment(array)).toBe(0);
    const before = Array.from(opt.stateOf('b').expAvg!);
    opt.loadStateDict(opt.stateDict());
    for (const array of Object.values(opt.stateOf('w'))) expect(binding.byteMisalignment(array)).toBe(0);
    expect(Array.from(opt.stateOf('b').expAvg!)).toEqual(before);
  });

  it('matrices and createParameters get aligned arrays', () => {
    const x = matrixFromRows(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      'float32',
    );
    expect(binding.byteMisalignment(x.data)).toBe(0);
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const { allParams, allGrads } = createParameters({ w: 100, b: 1 }, { dtype: 'float64', shared: true });
    expect(binding.byteMisalignment(allParams)).toBe(0);
    expect(binding.byteMisalignment(allGrads)).toBe(0);
    expect(allParams.length).toBe(101);
  });
});
