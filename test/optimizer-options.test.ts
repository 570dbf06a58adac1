/**
 * Every registry optimizer's bad options (test/helpers/optimizers.ts, `errors`) on every
 * backend: the constructor throws the error naming `options.<option>`, and the same value
 * set on a parameter group between steps makes the next step throw naming
 * `paramGroups[0].<option>`, with parameters, state and step count unchanged.
 */
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../binding.js';
import { expectSameBits } from './helpers/bits.js';
import { optimizers } from './helpers/optimizers.js';

const BACKENDS = ['native', 'wasm', 'js'] as const;

function params() {
  return { w: Float32Array.from({ length: 21 }, (_, i) => Math.sin(i)), b: Float64Array.from({ length: 3 }, (_, i) => i - 1) };
}
const grads = () => ({
  w: Float32Array.from({ length: 21 }, (_, i) => Math.cos(i)),
  b: Float64Array.from({ length: 3 }, (_, i) => 0.5 - i),
});

function thrownBy(call: () => unknown): Error {
  try {
    call();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

for (const row of optimizers) {
  describe(`${row.name}: bad options are refused`, () => {
    for (const backend of BACKENDS) {
      for (const { options, error, text } of row.errors) {
        it(`${backend} ${JSON.stringify(options)}`, () => {
          const built = thrownBy(() => row.create(params(), { ...row.options, ...options, backend }));
          expect(built).toBeInstanceOf(error);
          expect(built.message).toContain(`${row.name}: options${text}`);

          const p = params();
          const opt = row.create(p, { ...row.options, backend });
          opt.step(grads());
          const before = [
            p.w.slice(),
            p.b.slice(),
            ...(['w', 'b'] as const).flatMap((n) => Object.values(opt.stateOf(n)).map((a: FloatArray) => a.slice())),
          ];
          Object.assign(opt.paramGroups[0]!, options);
          const stepped = thrownBy(() => opt.step(grads()));
          expect(stepped).toBeInstanceOf(error);
          expect(stepped.message).toContain(`${row.name}.step: paramGroups[0]${text}`);
          const after = [p.w, p.b, ...(['w', 'b'] as const).flatMap((n) => Object.values(opt.stateOf(n)))];
          expect(after.length).toBe(before.length);
          after.forEach((a, i) => expectSameBits(a, before[i]!, `array ${i}`));
          expect(opt.stepCount).toBe(1);
        });
      }
    }
  });
}
