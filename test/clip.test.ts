import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from '../lib/index.js';
import { expectSameBits } from './helpers/bits.js';

function grads() {
  return {
    a: Float32Array.from({ length: 70_001 }, (_, i) => Math.sin(i) * (i % 7)),
    b: Float32Array.from({ length: 5 }, (_, i) => i - 2),
  };
}

describe('clipGradNorm', () => {
  it('scales to maxNorm and returns the norm before clipping; native and reference agree bit for bit', () => {
    const native = grads();
    const js = grads();
    const normNative = clipGradNorm(native, 1, { backend: 'native' });
    const normJs = clipGradNorm(js, 1, { backend: 'js' });
    expect(normNative).toBe(normJs);
    expectSameBits(native.a, js.a, 'a');
    expectSameBits(native.b, js.b, 'b');

    const original = grads();
    let sum = 0;
    for (const g of [original.a, original.b]) for (const x of g) sum += x * x;
    expect(normNative).toBeCloseTo(Math.sqrt(sum), 1);
    let after = 0;
    for (const g of [native.a, native.b]) for (const x of g) after += x * x;
    expect(Math.sqrt(after)).toBeLessThanOrEqual(1 + 1e-5);
    expect(Math.sqrt(after)).toBeGreaterThan(0.999);
    expect(native.b[0]! / original.b[0]!).toBeCloseTo(1 / normNative, 6);
  });

  it('leaves gradients under the limit untouched and accepts a list', () => {
    const g = [new Float64Array([3, 4])];
    expect(clipGradNorm(g, 10)).toBe(5);
    expect(Array.from(g[0]!)).toEqual([3, 4]);
  });

  it('rejects bad arguments without touching the gradients', () => {
    const g = { a: new Float32Array([3, 4]) };
    expect(() => clipGradNorm(g, -1)).toThrow(/clipGradNorm: maxNorm must be a number ≥ 0, received -1/);
    expect(() => clipGradNorm({ a: new Float32Array(1), b: new Float64Array(1) }, 1)).toThrow(/grads\.b must be a Float32Array like the first gradient/);
    expect(() => clipGradNorm({ a: [1] as unknown as Float32Array }, 1)).toThrow(TypeError);
    expect(Array.from(g.a)).toEqual([3, 4]);
  });
});

describe('clipGradValue', () => {
  it('clamps every element to [-v, v], NaN stays NaN', () => {
    const g = { a: new Float32Array([-5, -0.5, 0, 0.5, 5, Number.NaN]) };
    clipGradValue(g, 1);
    expect(Array.from(g.a)).toEqual([-1, -0.5, 0, 0.5, 1, Number.NaN]);
    expect(() => clipGradValue(g, Number.NaN)).toThrow(/clipValue must be a finite number, received NaN/);
  });
});
