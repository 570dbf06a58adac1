/**
 * Hyperparameters whose per-step scalars overflow the group's type are refused before any
 * buffer is touched, by both backends alike, with the user's option and the step named
 * (the native binding used to refuse with its internal name, scalars.stepSize, and the
 * reference backend wrote -Infinity into every parameter).
 */
import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, SGD } from '../lib/index.js';

const backends = ['native', 'js'] as const;

describe('per-step scalars that overflow are refused in user terms, by every backend', () => {
  for (const backend of backends) {
    it(`${backend}: Adam's step size lr / (1 − β1^t) · √(1 − β2^t) past float32`, () => {
      const w = new Float32Array([1, 2, 3]);
      const opt = new Adam({ w }, { backend, lr: 1e34, betas: [0.9999999, 0.999] });
      expect(() => opt.step({ w: new Float32Array([1, 1, 1]) })).toThrow(
        /^Adam\.step: paramGroups\[0\]\.lr = 1e\+34 is too large at step 1: lr \/ \(1 − betas\[0\]\^1\) · √\(1 − betas\[1\]\^1\) = 3\.16\d*e\+39, which is not finite as a float32 \(the group has Float32Array parameters\)$/,
      );
      expect(Array.from(w)).toEqual([1, 2, 3]);
      expect(opt.stepCount).toBe(0);
      expect(opt.stateOf('w')).toEqual({});
      // The same options are fine for float64 parameters.
      const d = new Float64Array([1, 2, 3]);
      new Adam({ d }, { backend, lr: 1e34, betas: [0.9999999, 0.999] }).step({ d: new Float64Array([1, 1, 1]) });
      expect(Array.from(d).every(Number.isFinite)).toBe(true);
    });

    it(`${backend}: Adam past float64, Adagrad's lr and SGD's weightDecay past float32`, () => {
      const d = new Float64Array(2);
      const adam = new Adam({ d }, { backend, lr: 1e302, betas: [0.9999999, 0] });
      expect(() => adam.step({ d: new Float64Array(2) })).toThrow(
        /^Adam\.step: paramGroups\[0\]\.lr = 1e\+302 is too large at step 1: .* = Infinity, which is not finite$/,
      );
      const w = new Float32Array([5]);
      const adagrad = new Adagrad({ w }, { backend, lr: 1e39 });
      expect(() => adagrad.step({ w: new Float32Array([1]) })).toThrow(
        /^Adagrad\.step: paramGroups\[0\]\.lr = 1e\+39 is too large at step 1: lr \/ \(1 \+ \(1 − 1\) · lrDecay\) = 1e\+39/,
      );
      const sgd = new SGD({ w }, { backend, lr: 0.1, weightDecay: 1e39 });
      expect(() => sgd.step({ w: new Float32Array([1]) })).toThrow(
        /^SGD\.step: paramGroups\[0\]\.weightDecay = 1e\+39 is too large at step 1/,
      );
      expect(w[0]).toBe(5);
      expect(d.every((x) => x === 0)).toBe(true);
    });
  }
});
