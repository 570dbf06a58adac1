// packScalars reads objects built in key order by slot and any other object by name: both
// must give every key's value (flags as 0/1, absent as 0) in scalarKeys order.
import { describe, expect, it } from 'vitest';
import { adamScalars, fitFloat32, packScalars, scalarKeys } from '../lib/scalars.js';

const hyper = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, decoupled: true, amsgrad: true, maximize: false };

function byName(keys: readonly string[], values: Record<string, unknown>): number[] {
  return keys.map((k) => Number(values[k] ?? 0));
}

describe('packScalars', () => {
  const inOrder = adamScalars(hyper, 7) as unknown as Record<string, unknown>;
  const keys = scalarKeys.adam;
  const expected = byName(keys, inOrder);

  it.each([
    ['in key order', inOrder],
    ['in reverse order', Object.fromEntries(Object.entries(inOrder).reverse())],
    ['in order with one key missing (read as 0)', Object.fromEntries(Object.entries(inOrder).filter(([k]) => k !== 'decay'))],
    ['in order with an extra key first', { extra: 5, ...inOrder }],
    [
      'in order with an extra key in the middle',
      Object.fromEntries(Object.entries(inOrder).flatMap((e, i) => (i === 3 ? [['extra', 5], e] : [e]))),
    ],
  ])('%s', (_, values) => {
    const into = new Float64Array(keys.length + 3).fill(-1);
    packScalars('adam', values, into, 2);
    expect(Array.from(into.subarray(2, 2 + keys.length))).toEqual(byName(keys, values as Record<string, unknown>));
    expect([into[0], into[1], into[2 + keys.length]]).toEqual([-1, -1, -1]);
  });

  it('packs flags as 0 and 1', () => {
    expect(Array.from(packScalars('adam', inOrder))).toEqual(expected);
    expect(expected[keys.indexOf('amsgrad')]).toBe(1);
    expect(expected[keys.indexOf('maximize')]).toBe(0);
  });
});

describe('fitFloat32', () => {
  it('is true only when every value in the range is finite as a float32', () => {
    const a = new Float64Array([1, 3e38, 0, -2]);
    expect(fitFloat32(a, 0, 4)).toBe(true);
    a[1] = 4e38; // finite in float64, Infinity as a float32
    expect(fitFloat32(a, 0, 4)).toBe(false);
    expect(fitFloat32(a, 2, 2)).toBe(true);
    a[3] = NaN;
    expect(fitFloat32(a, 2, 2)).toBe(false);
  });
});
