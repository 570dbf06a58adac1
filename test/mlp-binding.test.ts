/** The native mlpLossGrad / mlpForward refuse bad calls with named errors and write nothing. */
import { describe, expect, it } from 'vitest';
import { nativeBinding } from './helpers/native-binding.js';

const binding = nativeBinding();

function call() {
  const layers = Uint32Array.of(2, 3, 1, 1, 3, 2, 0, 1); // 2 → 3 relu → 2 linear
  const params = Float32Array.from({ length: 2 * 3 + 3 + 3 * 2 + 2 }, (_, i) => (i % 5) / 5 - 0.4);
  const grads = new Float32Array(params.length).fill(7);
  return {
    x: Float32Array.of(1, 2, 3, 4),
    rows: 2,
    layers,
    params,
    grads,
    y: Float32Array.of(0, 1),
    loss: 'sparseCategoricalCrossentropy' as const,
  };
}

describe('mlpLossGrad validation', () => {
  it('accepts a good call and writes the gradients', () => {
    const args = call();
    expect(binding.mlpLossGrad(args)).toBeGreaterThan(0);
    expect(args.grads.some((g) => g !== 7)).toBe(true);
  });
  const cases: [string, (a: ReturnType<typeof call>) => unknown, RegExp][] = [
    ['a label out of range', (a) => (a.y[1] = 2), /args.y\[1\] must be a class label, an integer in \[0, 1\], received 2/],
    ['a fractional label', (a) => (a.y[0] = 0.5), /args.y\[0\] must be a class label/],
    ['layers that do not chain', (a) => (a.layers[4] = 4), /layer 1 has 4 inputs but layer 0 has 3 units/],
    ['a bad activation code', (a) => (a.layers[2] = 9), /activation must be 0 \(linear\), 1 \(relu\), 2 \(tanh\) or 3 \(sigmoid\)/],
    [
      'params of the wrong length',
      (a) => (a.params = new Float32Array(3)),
      /args.params must have the layers' weights = 17 elements, received 3/,
    ],
    ['x of the wrong length', (a) => (a.x = new Float32Array(5)), /args.x must have rows · inputs = 2 · 2 elements, received 5/],
    ['a dtype mix', (a) => (a.y = new Float64Array(2) as unknown as Float32Array), /args.y must be a Float32Array like args.x/],
    ['grads aliasing params', (a) => (a.grads = a.params), /share|overlap/],
  ];
  for (const [what, mutate, message] of cases) {
    it(`refuses ${what}`, () => {
      const args = call();
      mutate(args);
      const before = Float32Array.from(args.grads);
      expect(() => binding.mlpLossGrad(args)).toThrow(message);
      expect([...args.grads]).toEqual([...before]);
    });
  }
  it('needs a sigmoid last layer for binaryCrossentropy', () => {
    const args = { ...call(), loss: 'binaryCrossentropy' as const, y: new Float32Array(4) };
    expect(() => binding.mlpLossGrad(args)).toThrow(/needs a sigmoid last layer/);
  });
  it('mlpForward needs an output of rows · units', () => {
    const { x, rows, layers, params } = call();
    expect(() => binding.mlpForward({ x, rows, layers, params, output: new Float32Array(3) })).toThrow(
      /args.output must have rows · units = 4 elements, received 3/,
    );
  });
});
