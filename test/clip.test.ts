import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from '../lib/index.js';
import * as reference from '../lib/reference/index.js';
import { kernelBuilds, nativeBinding } from './helpers/backends.js';
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
    expect(() => clipGradNorm({ a: new Float32Array(1), b: new Float64Array(1) }, 1)).toThrow(
      /grads\.b must be a Float32Array like the first gradient/,
    );
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

describe('float32 gradients whose squares overflow float32 (squares summed in float64)', () => {
  it('clipGradNorm([3e19, 4e19, 1, -2]) is the finite 5e19 and scales like torch, on both backends', () => {
    const [a, b] = [Math.fround(3e19), Math.fround(4e19)];
    // Canonical order: partials 0..3 hold a², 1, b², 4; the tree adds (a² + b²) + (1 + 4).
    const expected = Math.fround(Math.sqrt(a * a + b * b + (1 + 4)));
    const results = (['native', 'js'] as const).map((backend) => {
      const g = new Float32Array([3e19, 4e19, 1, -2]);
      const norm = clipGradNorm([g], 1, { backend });
      expect(norm).toBe(expected);
      expect(norm / 5e19).toBeCloseTo(1, 6);
      // torch: g · (maxNorm / (norm + 1e-6)) in float32.
      const coef = Math.fround(1 / (norm + 1e-6));
      expect(Array.from(g)).toEqual([3e19, 4e19, 1, -2].map((x) => Math.fround(Math.fround(x) * coef)));
      expect(g[0]).toBeCloseTo(0.6, 6);
      expect(g[1]).toBeCloseTo(0.8, 6);
      expect(g[2]).not.toBe(0);
      return g;
    });
    expectSameBits(results[0]!, results[1]!, 'native vs js');
  });

  it('sumSquares of huge float32 values is finite and the same bits on every ISA, wasm and the reference', () => {
    let s = 7;
    const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
    // 2 blocks + a ragged tail, values up to ±3e38: float32 squares would all overflow.
    const arrays = [70_001, 17, 65_536].map((n) => Float32Array.from({ length: n }, () => next() * 6e38));
    const want = reference.sumSquares(arrays);
    expect(Number.isFinite(want)).toBe(true);
    let naive = 0;
    for (const x of arrays) for (const v of x) naive += v * v;
    expect(want / naive).toBeCloseTo(1, 10);
    for (const { label, kernels } of kernelBuilds(nativeBinding())) {
      expect(Object.is(kernels.sumSquares(arrays), want), `${label} sumSquares`).toBe(true);
      arrays.forEach((x, i) => expect(Object.is(kernels.sumSquares([x]), reference.sumSquares([x])), `${label} arrays[${i}]`).toBe(true));
    }
  });
});
