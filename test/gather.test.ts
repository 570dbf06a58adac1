/**
 * gatherRows, the copy behind the Trainer's shuffled mini-batches: every native ISA's
 * binding and the TypeScript reference copy the same rows bit for bit (NaN payloads
 * included), and bad calls are refused, with the same error, before anything is written.
 */
import { describe, expect, it } from 'vitest';
import type { Binding, FloatArray, IsaName } from '../binding.js';
import { gatherRows as reference } from '../lib/reference/gather.js';
import { allocate, seededRandom, type Dtype } from './helpers/float-data.js';
import { nativeBinding } from './helpers/native-binding.js';

const binding = nativeBinding();
const gathers: [string, Binding['gatherRows']][] = [
  ...binding.isas.map((isa) => [isa, binding.forIsa(isa as IsaName).gatherRows] as [string, Binding['gatherRows']]),
  ['reference', reference],
];

function words(a: FloatArray): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4);
}

/** A rows × cols source whose words are random, quiet and signalling NaNs and −0 among them. */
function source(dtype: Dtype, rows: number, cols: number, seed: number): FloatArray {
  const random = seededRandom(seed);
  const x = allocate(dtype, rows * cols);
  const w = words(x);
  const specials = [0x7fa00001, 0xffc00123, 0x80000000, 0x7f800000];
  for (let i = 0; i < w.length; i++) w[i] = random() < 0.1 ? specials[i % specials.length]! : Math.floor(random() * 2 ** 32);
  return x;
}

describe('gatherRows copies rows bit for bit', () => {
  it.each(['f32', 'f64'] as const)('%s: any order, repeated rows, on every ISA and in the reference', (dtype) => {
    const rows = 37;
    for (const cols of [1, 2, 3, 16, 33]) {
      const x = source(dtype, rows, cols, cols);
      const indices = Uint32Array.from([36, 0, 5, 5, 17, 36, 1, 0, 22]);
      const expected = new Uint32Array(indices.length * cols * (dtype === 'f32' ? 1 : 2));
      const rowWords = expected.length / indices.length;
      indices.forEach((row, k) => expected.set(words(x).subarray(row * rowWords, (row + 1) * rowWords), k * rowWords));
      for (const [name, gather] of gathers) {
        const target = allocate(dtype, indices.length * cols);
        gather(x, cols, indices, target);
        expect(Array.from(words(target)), `${name}, ${cols} columns`).toEqual(Array.from(expected));
      }
    }
  });

  it('no indices: nothing to copy', () => {
    for (const [, gather] of gathers) expect(() => gather(allocate('f32', 6), 3, new Uint32Array(0), allocate('f32', 0))).not.toThrow();
  });

  it('reads the indices once: a view of a SharedArrayBuffer works like any other', () => {
    const x = source('f32', 4, 2, 1);
    const indices = new Uint32Array(new SharedArrayBuffer(12));
    indices.set([3, 1, 2]);
    for (const [name, gather] of gathers) {
      const target = allocate('f32', 6);
      gather(x, 2, indices, target);
      expect(Array.from(words(target)), name).toEqual([...words(x).subarray(6, 8), ...words(x).subarray(2, 4), ...words(x).subarray(4, 6)]);
    }
  });
});

describe('gatherRows refuses bad calls before writing anything', () => {
  const x = new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8]); // 3 rows of 3
  const shared = new ArrayBuffer(64);
  type Args = [unknown, unknown, unknown, unknown];
  const cases: [string, () => Args, RegExp, typeof TypeError | typeof RangeError][] = [
    [
      'source not a float array',
      () => [[0, 1, 2], 3, new Uint32Array([0]), new Float32Array(3)],
      /^gatherRows: source must be a Float32Array or Float64Array, received an array/,
      TypeError,
    ],
    [
      'cols not a number',
      () => [x, '3', new Uint32Array([0]), new Float32Array(3)],
      /^gatherRows: cols must be a number \(an integer ≥ 1\)/,
      TypeError,
    ],
    [
      'cols fractional',
      () => [x, 1.5, new Uint32Array([0]), new Float32Array(3)],
      /^gatherRows: cols must be an integer ≥ 1, received 1\.5/,
      RangeError,
    ],
    [
      'cols zero',
      () => [x, 0, new Uint32Array([0]), new Float32Array(3)],
      /^gatherRows: cols must be an integer ≥ 1, received 0/,
      RangeError,
    ],
    [
      'source not whole rows',
      () => [x, 2, new Uint32Array([0]), new Float32Array(2)],
      /^gatherRows: source must hold whole rows of cols = 2 elements, received 9 elements/,
      RangeError,
    ],
    [
      'indices an Int32Array',
      () => [x, 3, new Int32Array([0]), new Float32Array(3)],
      /^gatherRows: indices must be a Uint32Array, received Int32Array/,
      TypeError,
    ],
    [
      'target of another dtype',
      () => [x, 3, new Uint32Array([0]), new Float64Array(3)],
      /^gatherRows: target must be a Float32Array like source, received Float64Array/,
      TypeError,
    ],
    [
      'target too long',
      () => [x, 3, new Uint32Array([0]), new Float32Array(4)],
      /^gatherRows: target must have indices\.length · cols = 1 · 3 elements, received 4/,
      RangeError,
    ],
    [
      'the last index past the last row',
      () => [x, 3, new Uint32Array([2, 0, 3]), new Float32Array(9)],
      /^gatherRows: indices\[2\] must be a row of source \(< 3\), received 3/,
      RangeError,
    ],
    [
      'target over source',
      () => [x, 3, new Uint32Array([0]), x.subarray(6, 9)],
      /^gatherRows: (source and target|target and source) share memory/,
      RangeError,
    ],
    [
      'target over indices',
      () => [x, 3, new Uint32Array(shared, 0, 1), new Float32Array(shared, 0, 3)],
      /^gatherRows: (indices and target|target and indices) share memory/,
      RangeError,
    ],
  ];
  it.each(cases)('%s', (_, make, message, kind) => {
    for (const [name, gather] of gathers) {
      const args = make();
      const target = args[3] as FloatArray;
      const before = ArrayBuffer.isView(target) ? Array.from(target) : [];
      const sourceBefore = Array.from(x);
      expect(() => (gather as (...a: Args) => void)(...args), name).toThrow(kind);
      expect(() => (gather as (...a: Args) => void)(...args), name).toThrow(message);
      if (ArrayBuffer.isView(target)) expect(Array.from(target), `${name}: target`).toEqual(before);
      expect(Array.from(x), `${name}: source`).toEqual(sourceBefore);
    }
  });
});
