/**
 * Bit-level comparison of float arrays: the project's test oracle. Two arrays agree when
 * every element has the same bits, except that any NaN equals any NaN (payloads are not
 * part of native/NUMERICS.md).
 */
import { expect } from 'vitest';
import type { FloatArray } from '../../binding.js';

/** Index of the first element whose bits differ, or -1. */
export function firstBitDifference(a: FloatArray, b: FloatArray): number {
  if (a.constructor !== b.constructor) throw new TypeError(`dtype differs: ${a.constructor.name} vs ${b.constructor.name}`);
  if (a.length !== b.length) throw new RangeError(`length differs: ${a.length} vs ${b.length}`);
  const ua = bitsOf(a);
  const ub = bitsOf(b);
  const words = ua.length / a.length;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    for (let w = 0; w < words; w++) {
      if (ua[i * words + w] !== ub[i * words + w]) return i;
    }
  }
  return -1;
}

/** Asserts bit-identical arrays, reporting the first differing element and its bits. */
export function expectSameBits(actual: FloatArray, expected: FloatArray, label = 'array'): void {
  const i = firstBitDifference(actual, expected);
  if (i >= 0) {
    expect.fail(`${label}[${i}] differs: ${actual[i]} (0x${hex(actual, i)}) vs expected ${expected[i]} (0x${hex(expected, i)})`);
  }
}

function bitsOf(a: FloatArray): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4);
}

function hex(a: FloatArray, i: number): string {
  const u = bitsOf(a);
  if (a instanceof Float32Array) return u[i]!.toString(16).padStart(8, '0');
  // little-endian: high word second
  return u[2 * i + 1]!.toString(16).padStart(8, '0') + u[2 * i]!.toString(16).padStart(8, '0');
}
