/**
 * Arguments that change while the binding reads them: a getter on a later argument that
 * detaches an array read earlier, and list lengths that promise far more than they hold.
 */
import { describe, expect, it } from 'vitest';
import { nativeBinding } from './helpers/native-binding.js';

const binding = nativeBinding();

function detach(array: Float32Array): void {
  structuredClone(array.buffer, { transfer: [array.buffer] });
}

describe('binding entry points after a late getter', () => {
  it('sumSquares refuses an array a getter on a later element detached', () => {
    const first = new Float32Array(64).fill(2);
    const arrays: Float32Array[] = [first];
    Object.defineProperty(arrays, 1, {
      get() {
        detach(first);
        return new Float32Array(4);
      },
      enumerable: true,
    });
    let error: unknown;
    try {
      binding.sumSquares(arrays);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/sumSquares: arrays\[0\] was detached or resized/);
  });

  it('sumSquares refuses an array a getter on a later element shrank', () => {
    const buffer = new ArrayBuffer(256, { maxByteLength: 512 });
    const first = new Float32Array(buffer, 0, 64).fill(1);
    const arrays: Float32Array[] = [first];
    Object.defineProperty(arrays, 1, {
      get() {
        buffer.resize(16);
        return new Float32Array(4);
      },
      enumerable: true,
    });
    expect(() => binding.sumSquares(arrays)).toThrow(/arrays\[0\] was detached or resized/);
  });
});

describe('sparse tensor lists', () => {
  const scalars = {
    beta1: 0.9,
    oneMinusBeta1: 0.1,
    beta2: 0.999,
    oneMinusBeta2: 0.001,
    stepSize: 1e-3,
    eps: 1e-8,
    weightDecay: 0,
    decay: 1,
  };

  it('a list of 2^28 holes is a TypeError naming the first hole, not an abort', () => {
    expect(() => binding.adamStep(new Array(2 ** 28), scalars)).toThrow(TypeError);
    expect(() => binding.adamStep(new Array(2 ** 28), scalars)).toThrow(
      /adamStep: tensors\[0\] must be an object with a param field, received undefined/,
    );
  });

  it('one real tensor followed by 2^28 - 1 holes: refused at the first hole, nothing written', () => {
    const t = {
      param: new Float32Array(8).fill(1),
      grad: new Float32Array(8).fill(1),
      expAvg: new Float32Array(8),
      expAvgSq: new Float32Array(8),
    };
    const list = new Array(2 ** 28);
    list[0] = t;
    expect(() => binding.adamStep(list, scalars)).toThrow(/tensors\[1\] must be an object/);
    expect(Array.from(t.param)).toEqual(new Array(8).fill(1));
  });
});
