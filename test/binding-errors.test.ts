/**
 * Every bad input is rejected before anything is written: a TypeError or RangeError whose
 * message names the tensor or scalar and what was wrong, and every buffer of the call
 * byte-identical afterwards. Run on every ISA, since each has its own bound entry points.
 */
import { describe, expect, it } from 'vitest';
import type { AdagradTensor, AdamScalars, AdamTensor, Binding, FloatArray, SgdScalars, SgdTensor } from '../binding.js';
import { referenceKernels, type Kernels } from '../lib/reference/index.js';
import { packScalars, scalarKeys } from '../lib/scalars.js';
import { expectSameBits } from './helpers/bits.js';
import { nativeBinding } from './helpers/backends.js';
import { optimizers, stateFieldsOf, stepKernel, type OptimizerRow } from './helpers/optimizers.js';

const binding = nativeBinding();

type Dtype = 'f32' | 'f64';

/** Distinct non-zero values, so any write would show in the bytes. */
function filled(length: number, dtype: Dtype = 'f32', start = 1): FloatArray {
  const array = dtype === 'f32' ? new Float32Array(length) : new Float64Array(length);
  for (let i = 0; i < length; i++) array[i] = start + i / 8;
  return array;
}

function adamTensor(length: number, dtype: Dtype = 'f32', fields: Partial<AdamTensor> = {}): AdamTensor {
  return {
    param: filled(length, dtype, 1),
    grad: filled(length, dtype, 2),
    expAvg: filled(length, dtype, 3),
    expAvgSq: filled(length, dtype, 4),
    maxExpAvgSq: filled(length, dtype, 5),
    ...fields,
  };
}

function sgdTensor(length: number, fields: Partial<SgdTensor> = {}): SgdTensor {
  return { param: filled(length, 'f32', 1), grad: filled(length, 'f32', 2), momentumBuffer: filled(length, 'f32', 3), ...fields };
}

function adagradTensor(length: number, fields: Partial<AdagradTensor> = {}): AdagradTensor {
  return { param: filled(length, 'f32', 1), grad: filled(length, 'f32', 2), stateSum: filled(length, 'f32', 3), ...fields };
}

const adam: AdamScalars = {
  beta1: 0.9,
  oneMinusBeta1: 0.1,
  beta2: 0.999,
  oneMinusBeta2: 0.001,
  stepSize: 0.01,
  eps: 1e-8,
  weightDecay: 0.01,
  decay: 1,
};
const sgd: SgdScalars = { lr: 0.1, momentum: 0.9, oneMinusDampening: 1, weightDecay: 0 };
const adagrad = { clr: 0.1, eps: 1e-10, weightDecay: 0 };

function detached(array: FloatArray): FloatArray {
  structuredClone(array.buffer, { transfer: [array.buffer as ArrayBuffer] });
  return array;
}

/** ArrayBuffer's ES2024 resizable form (the project's TypeScript lib is ES2022). */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ArrayBuffer & { resize(byteLength: number): void };

/** A fixed-length view of 4 elements whose resizable buffer then shrinks under it (or a length-tracking view). */
function shrunk(tracking: boolean): Float32Array {
  const buffer = new ResizableArrayBuffer(16, { maxByteLength: 64 });
  const view = tracking ? new Float32Array(buffer) : new Float32Array(buffer, 0, 4);
  view.set([1, 2, 3, 4]);
  buffer.resize(8);
  return view;
}

/** A rejected call and what it must throw; every typed array it passes is checked afterwards. */
interface Rejection {
  name: string;
  error: typeof TypeError | typeof RangeError;
  message: RegExp;
  call: (b: Binding) => void;
}

/** Matches a message naming both regions, in either order. */
function sharing(a: string, b: string): RegExp {
  const [x, y] = [a, b].map((s) => s.replace(/[[\].()]/g, '\\$&'));
  return new RegExp(`(${x} and ${y}|${y} and ${x}) share memory`);
}

/** One f32 tensor of `row` under its longest path: param, grad and each state buffer its definition creates. */
function rowTensor(row: OptimizerRow, length: number, fields: Record<string, FloatArray> = {}): Record<string, FloatArray> {
  const tensor: Record<string, FloatArray> = { param: filled(length, 'f32', 1), grad: filled(length, 'f32', 2) };
  stateFieldsOf(row, row.longestPath).forEach((key, i) => (tensor[key] = filled(length, 'f32', 3 + i)));
  return { ...tensor, ...fields };
}

const rowScalars = (row: OptimizerRow): object => row.definition.scalars(row.longestPath, { step: 1, fresh: true });

/** Per optimizer and state buffer of its longest path: the buffer missing, too short, or the param's own memory. */
const stateRejections: Rejection[] = optimizers.flatMap((row) => {
  const family = row.definition.kernel;
  const step = (b: Binding, t: object) => stepKernel(b, family)([t], rowScalars(row));
  return stateFieldsOf(row, row.longestPath).flatMap((key): Rejection[] => [
    {
      name: `${row.name}: no ${key}`,
      error: TypeError,
      message: new RegExp(`${family}Step: tensors\\[0\\]\\.${key} must be a Float32Array or Float64Array, received undefined`),
      call: (b) => {
        const { [key]: _, ...t } = rowTensor(row, 4);
        step(b, t);
      },
    },
    {
      name: `${row.name}: a ${key} of the wrong length`,
      error: RangeError,
      message: new RegExp(`${family}Step: tensors\\[0\\]\\.${key} has 3 elements but param has 4`),
      call: (b) => step(b, rowTensor(row, 4, { [key]: filled(3) })),
    },
    {
      name: `${row.name}: ${key} in the param's memory`,
      error: RangeError,
      message: sharing('tensors[0].param', `tensors[0].${key}`),
      call: (b) => {
        const t = rowTensor(row, 4);
        t[key] = t.param!;
        step(b, t);
      },
    },
  ]);
});

const rejections: Rejection[] = [
  // ---- wrong types ----
  {
    name: 'tensors not an array',
    error: TypeError,
    message: /adamStep: tensors must be an array, received an object/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep({ 0: t } as never, adam);
    },
  },
  {
    name: 'a tensor that is null',
    error: TypeError,
    message: /tensors\[1\] must be an object with a param field, received null/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t, null] as never, adam);
    },
  },
  {
    name: 'a plain array as param',
    error: TypeError,
    message: /tensors\[0\]\.param must be a Float32Array or Float64Array, received an array/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([{ ...t, param: [1, 2, 3, 4] as never }], adam);
    },
  },
  {
    name: 'an Int32Array grad, named in the message',
    error: TypeError,
    message: /tensors\[0\] \("w"\)\.grad must be a Float32Array or Float64Array, received Int32Array/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([{ ...t, name: 'w', grad: new Int32Array(4) as never }], adam);
    },
  },
  {
    name: 'an object as expAvg',
    error: TypeError,
    message: /tensors\[0\]\.expAvg must be a Float32Array or Float64Array, received an object/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([{ ...t, expAvg: { length: 4 } as never }], adam);
    },
  },
  {
    name: 'a Float64Array param in a Float32Array list',
    error: TypeError,
    message: /tensors\[1\]\.param must be a Float32Array like tensors\[0\]\.param, received Float64Array/,
    call: (b) => {
      const t = [adamTensor(4), adamTensor(4, 'f64')];
      b.adamStep(t, adam);
    },
  },
  {
    name: 'a Float64Array state in a Float32Array tensor',
    error: TypeError,
    message: /tensors\[0\]\.expAvgSq must be a Float32Array.*received Float64Array/,
    call: (b) => {
      const t = adamTensor(4, 'f32', { expAvgSq: filled(4, 'f64') });
      b.adamStep([t], adam);
    },
  },
  // ---- lengths ----
  {
    name: 'a grad longer than its param',
    error: RangeError,
    message: /tensors\[0\]\.grad has 5 elements but param has 4/,
    call: (b) => {
      const t = adamTensor(4, 'f32', { grad: filled(5) });
      b.adamStep([t], adam);
    },
  },
  {
    name: 'a state shorter than its param, in the second tensor',
    error: RangeError,
    message: /tensors\[1\] \("bias"\)\.expAvg has 3 elements but param has 4/,
    call: (b) => {
      const t = [adamTensor(4), { ...adamTensor(4, 'f32', { expAvg: filled(3) }), name: 'bias' }];
      b.adamStep(t, adam);
    },
  },
  // ---- the same memory in two roles ----
  {
    name: 'param and expAvg the same array',
    error: RangeError,
    message: sharing('tensors[0].param', 'tensors[0].expAvg'),
    call: (b) => {
      const t = adamTensor(4);
      t.expAvg = t.param;
      b.adamStep([t], adam);
    },
  },
  {
    name: 'param and grad the same memory',
    error: RangeError,
    message: sharing('tensors[0].param', 'tensors[0].grad'),
    call: (b) => {
      const t = adamTensor(4);
      t.grad = t.param.subarray(0);
      b.adamStep([t], adam);
    },
  },
  {
    name: 'param and expAvgSq overlapping by one element',
    error: RangeError,
    message: sharing('tensors[0].param', 'tensors[0].expAvgSq'),
    call: (b) => {
      const whole = filled(7);
      const t = adamTensor(4, 'f32', { param: whole.subarray(0, 4), expAvgSq: whole.subarray(3, 7) });
      b.adamStep([t], adam);
    },
  },
  {
    name: 'one state array in two tensors',
    error: RangeError,
    message: sharing('tensors[0].expAvg', 'tensors[1].expAvgSq'),
    call: (b) => {
      const t = [adamTensor(4), adamTensor(4)];
      t[1]!.expAvgSq = t[0]!.expAvg;
      b.adamStep(t, adam);
    },
  },
  {
    name: 'two params overlapping across tensors',
    error: RangeError,
    message: sharing('tensors[0].param', 'tensors[1].param'),
    call: (b) => {
      const whole = filled(8);
      const t = [adamTensor(5, 'f32', { param: whole.subarray(0, 5) }), adamTensor(4, 'f32', { param: whole.subarray(4, 8) })];
      b.adamStep(t, adam);
    },
  },
  {
    name: "maxExpAvgSq overlapping another tensor's grad",
    error: RangeError,
    message: sharing('tensors[0].grad', 'tensors[1].maxExpAvgSq'),
    call: (b) => {
      const t = [adamTensor(4), adamTensor(2)];
      t[1]!.maxExpAvgSq = t[0]!.grad.subarray(2);
      b.adamStep(t, { ...adam, amsgrad: true });
    },
  },
  // ---- buffers that are gone ----
  {
    name: 'a detached grad',
    error: TypeError,
    message: /tensors\[0\]\.grad is backed by a detached ArrayBuffer/,
    call: (b) => {
      const t = adamTensor(4);
      t.grad = detached(filled(4));
      b.adamStep([t], adam);
    },
  },
  {
    name: 'a detached param',
    error: TypeError,
    message: /tensors\[0\]\.param is backed by a detached ArrayBuffer/,
    call: (b) => {
      const t = adamTensor(4);
      t.param = detached(filled(4));
      b.adamStep([t], adam);
    },
  },
  {
    name: 'a grad whose resizable buffer shrank',
    error: RangeError,
    message: /tensors\[0\]\.grad has 0 elements but param has 4/,
    call: (b) => {
      const t = adamTensor(4, 'f32', { grad: shrunk(false) });
      b.adamStep([t], adam);
    },
  },
  {
    name: 'a length-tracking expAvg whose resizable buffer shrank',
    error: RangeError,
    message: /tensors\[0\]\.expAvg has 2 elements but param has 4/,
    call: (b) => {
      const t = adamTensor(4, 'f32', { expAvg: shrunk(true) });
      b.adamStep([t], adam);
    },
  },
  // ---- missing state, wrong lengths, aliasing: every optimizer's buffers (stateRejections) ----
  ...stateRejections,
  // ---- scalars ----
  {
    name: 'no scalars object',
    error: TypeError,
    message: /adamStep: scalars must be an object or a Float64Array, received undefined/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t], undefined as never);
    },
  },
  {
    name: 'a missing beta2',
    error: TypeError,
    message: /scalars\.beta2 must be a number, received undefined/,
    call: (b) => {
      const t = adamTensor(4);
      const { beta2: _, ...s } = adam;
      b.adamStep([t], s as never);
    },
  },
  {
    name: 'a string eps',
    error: TypeError,
    message: /scalars\.eps must be a number, received a string/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t], { ...adam, eps: '1e-8' as never });
    },
  },
  {
    name: 'a negative stepSize',
    error: RangeError,
    message: /scalars\.stepSize must be ≥ 0, received -0\.5/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t], { ...adam, stepSize: -0.5 });
    },
  },
  {
    name: 'beta1 = 1',
    error: RangeError,
    message: /scalars\.beta1 must be in \[0, 1\), received 1/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t], { ...adam, beta1: 1 });
    },
  },
  {
    name: 'a negative beta2',
    error: RangeError,
    message: /scalars\.beta2 must be in \[0, 1\), received -0\.25/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t], { ...adam, beta2: -0.25 });
    },
  },
  {
    name: 'oneMinusBeta1 = 0',
    error: RangeError,
    message: /scalars\.oneMinusBeta1 must be in \(0, 1\], received 0/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t], { ...adam, oneMinusBeta1: 0 });
    },
  },
  {
    name: 'decay above 1',
    error: RangeError,
    message: /scalars\.decay must be in \[0, 1\], received 1\.5/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t], { ...adam, decay: 1.5 });
    },
  },
  {
    name: 'a NaN eps',
    error: RangeError,
    message: /scalars\.eps must be finite.*received NaN/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t], { ...adam, eps: NaN });
    },
  },
  {
    name: 'an infinite weightDecay',
    error: RangeError,
    message: /scalars\.weightDecay must be finite.*received Infinity/,
    call: (b) => {
      const t = adamTensor(4, 'f64');
      b.adamStep([t], { ...adam, weightDecay: Infinity });
    },
  },
  {
    name: 'a stepSize that overflows float32 in a float32 call',
    error: RangeError,
    message: /scalars\.stepSize must be finite as a float32, received (1e\+39|9\.99)/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t], { ...adam, stepSize: 1e39 });
    },
  },
  {
    name: 'a non-boolean amsgrad',
    error: TypeError,
    message: /scalars\.amsgrad must be a boolean, received 1/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t], { ...adam, amsgrad: 1 as never });
    },
  },
  {
    name: 'a negative SGD lr',
    error: RangeError,
    message: /sgdStep: scalars\.lr must be ≥ 0, received -0\.1/,
    call: (b) => {
      const t = sgdTensor(4);
      b.sgdStep([t], { ...sgd, lr: -0.1 });
    },
  },
  {
    name: 'a NaN momentum',
    error: RangeError,
    message: /sgdStep: scalars\.momentum must be finite.*received NaN/,
    call: (b) => {
      const t = sgdTensor(4);
      b.sgdStep([t], { ...sgd, momentum: NaN });
    },
  },
  {
    name: 'oneMinusDampening above 1',
    error: RangeError,
    message: /sgdStep: scalars\.oneMinusDampening must be in \[0, 1\], received 1\.5/,
    call: (b) => {
      const t = sgdTensor(4);
      b.sgdStep([t], { ...sgd, oneMinusDampening: 1.5 });
    },
  },
  {
    name: 'an infinite Adagrad clr',
    error: RangeError,
    message: /adagradStep: scalars\.clr must be finite.*received Infinity/,
    call: (b) => {
      const t = adagradTensor(4);
      b.adagradStep([t], { ...adagrad, clr: Infinity });
    },
  },
  {
    name: 'a negative Adagrad eps',
    error: RangeError,
    message: /adagradStep: scalars\.eps must be ≥ 0, received -1/,
    call: (b) => {
      const t = adagradTensor(4);
      b.adagradStep([t], { ...adagrad, eps: -1 });
    },
  },
  // ---- packed scalars (Float64Array in binding.scalarKeys order) ----
  {
    name: 'packed scalars of the wrong length',
    error: TypeError,
    message:
      /adamStep: scalars must be an object or a Float64Array of 10 values \(beta1, oneMinusBeta1, .*maximize\), received Float64Array of length 9/,
    call: (b) => {
      const t = adamTensor(4);
      b.adamStep([t], packScalars('adam', adam).subarray(1));
    },
  },
  {
    name: 'packed scalars in a Float32Array',
    error: TypeError,
    message: /sgdStep: scalars must be an object or a Float64Array of 7 values .*received Float32Array of length 7/,
    call: (b) => {
      const t = sgdTensor(4);
      b.sgdStep([t], Float32Array.from(packScalars('sgd', sgd)) as never);
    },
  },
  {
    name: 'a packed NaN stepSize',
    error: RangeError,
    message: /adamStep: scalars\.stepSize must be finite, received NaN/,
    call: (b) => {
      const t = adamTensor(4);
      const p = packScalars('adam', adam);
      p[4] = NaN;
      b.adamStep([t], p);
    },
  },
  {
    name: 'a packed beta1 of 1',
    error: RangeError,
    message: /adamStep: scalars\.beta1 must be in \[0, 1\), received 1/,
    call: (b) => {
      const t = adamTensor(4);
      const p = packScalars('adam', adam);
      p[0] = 1;
      b.adamStep([t], p);
    },
  },
  {
    name: 'a packed flag that is not 0 or 1',
    error: TypeError,
    message: /adagradStep: scalars\.maximize must be 0 or 1 \(a flag in packed scalars\), received 0\.5/,
    call: (b) => {
      const t = adagradTensor(4);
      const p = packScalars('adagrad', adagrad);
      p[3] = 0.5;
      b.adagradStep([t], p);
    },
  },
  {
    name: 'a packed stepSize that overflows float32',
    error: RangeError,
    message: /adamStep: scalars\.stepSize must be finite as a float32, received 1e\+39/,
    call: (b) => {
      const t = adamTensor(4);
      const p = packScalars('adam', adam);
      p[4] = 1e39;
      b.adamStep([t], p);
    },
  },
  // ---- sumSquares and scale ----
  {
    name: 'sumSquares of a typed array instead of a list',
    error: TypeError,
    message: /sumSquares: arrays must be an array/,
    call: (b) => {
      const x = filled(4);
      b.sumSquares(x as never);
    },
  },
  {
    name: 'sumSquares of a plain array',
    error: TypeError,
    message: /sumSquares: arrays\[0\] must be a Float32Array or Float64Array, received an array/,
    call: (b) => {
      b.sumSquares([[1, 2]] as never);
    },
  },
  {
    name: 'sumSquares of mixed dtypes',
    error: TypeError,
    message: /sumSquares: arrays\[1\] must be a Float32Array.*received Float64Array/,
    call: (b) => {
      const x = [filled(4), filled(4, 'f64')];
      b.sumSquares(x);
    },
  },
  {
    name: 'scale of overlapping arrays',
    error: RangeError,
    message: sharing('arrays[0]', 'arrays[1]'),
    call: (b) => {
      const x = filled(8);
      b.scale([x, x.subarray(7)], 2);
    },
  },
  {
    name: 'scale by NaN',
    error: RangeError,
    message: /scale: factor must be finite/,
    call: (b) => {
      const x = filled(8);
      b.scale([x], NaN);
    },
  },
  {
    name: 'scale of float32 arrays by a factor beyond float32',
    error: RangeError,
    message: /scale: factor must be finite/,
    call: (b) => {
      const x = filled(8);
      b.scale([x], 1e39);
    },
  },
  {
    name: 'scale by a string',
    error: TypeError,
    message: /scale: factor must be a number/,
    call: (b) => {
      const x = filled(8);
      b.scale([x], '2' as never);
    },
  },
  {
    name: 'scale of a detached array',
    error: TypeError,
    message: /scale: arrays\[1\] is backed by a detached ArrayBuffer/,
    call: (b) => {
      const x = [filled(8), detached(filled(8))];
      b.scale(x, 2);
    },
  },
];

/** Every typed array reachable from `value`, so each can be checked after the call. */
function typedArraysIn(value: unknown, found: FloatArray[] = []): FloatArray[] {
  if (value instanceof Float32Array || value instanceof Float64Array) found.push(value);
  else if (Array.isArray(value)) for (const v of value) typedArraysIn(v, found);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) typedArraysIn(v, found);
  return found;
}

/** The view's bytes; for a view that shows none (shrunk under it, or detached), whatever its buffer still holds. */
function bytesOf(array: FloatArray): Uint8Array {
  if (array.byteLength > 0) return new Uint8Array(array.buffer, array.byteOffset, array.byteLength).slice();
  try {
    return new Uint8Array(array.buffer).slice();
  } catch {
    return new Uint8Array(0); // detached: no memory left to write
  }
}

describe.each(binding.isas)('%s: a rejected call throws a clear error and writes nothing', (isa) => {
  const kernels = binding.forIsa(isa);

  it.each(rejections.map((r) => [r.name, r] as const))('%s', (_, rejection) => {
    // Every typed array the call passes is recorded on its way into the binding.
    const recorded: { array: FloatArray; before: Uint8Array }[] = [];
    const spy: Binding = new Proxy(kernels, {
      get(target, key) {
        const entry = Reflect.get(target, key) as unknown;
        if (typeof entry !== 'function') return entry;
        return (...args: unknown[]) => {
          for (const array of typedArraysIn(args)) recorded.push({ array, before: bytesOf(array) });
          return (entry as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    let error: unknown;
    try {
      rejection.call(spy);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(rejection.error);
    expect((error as Error).message).toMatch(rejection.message);
    for (const { array, before } of recorded) expect(bytesOf(array)).toEqual(before);
  });
});

describe('calls the binding accepts', () => {
  it('zero-length tensors and empty lists are a no-op', () => {
    const empty = adamTensor(0);
    expect(() => binding.adamStep([empty], adam)).not.toThrow();
    expect(() => binding.adamStep([], adam)).not.toThrow();
    for (const row of optimizers)
      expect(() => stepKernel(binding, row.definition.kernel)([rowTensor(row, 0)], rowScalars(row))).not.toThrow();
    expect(binding.sumSquares([filled(0)])).toBe(0);
    expect(binding.sumSquares([])).toBe(0);
  });

  it("packed scalars: the order the binding exports is the library's, and each step matches the object form bit for bit", () => {
    expect(binding.scalarKeys).toEqual(scalarKeys);
    expect(Object.isFrozen(binding.scalarKeys) && Object.isFrozen(binding.scalarKeys.adam)).toBe(true);
    for (const row of optimizers) {
      const family = row.definition.kernel;
      // Every array of the tensor after one step of `kernels` with these scalars.
      const step = (kernels: Kernels, scalars: object): FloatArray[] => {
        const t = rowTensor(row, 9);
        stepKernel(kernels, family)([t], scalars);
        return Object.values(t);
      };
      const fromObject = step(binding, rowScalars(row));
      for (const backend of [binding, referenceKernels]) {
        const fromPacked = step(backend, packScalars(family, rowScalars(row)));
        fromPacked.forEach((array, i) => expectSameBits(array, fromObject[i]!, `${row.name} packed, array ${i}`));
      }
    }
  });

  it('a zero-length tensor next to others leaves them stepped as the reference steps them', () => {
    const got = [adamTensor(0), adamTensor(5), adamTensor(0)];
    const expected = [adamTensor(0), adamTensor(5), adamTensor(0)];
    binding.adamStep(got, adam);
    referenceKernels.adamStep(expected, adam);
    expectSameBits(got[1]!.param, expected[1]!.param, 'param');
    expect(got[1]!.param).not.toEqual(adamTensor(5).param);
  });

  it('one read-only grad shared by two tensors is allowed', () => {
    const grad = filled(6, 'f32', 2);
    const got = [adamTensor(6, 'f32', { grad }), adamTensor(6, 'f32', { grad })];
    const expected = [adamTensor(6), adamTensor(6)];
    binding.adamStep(got, adam);
    referenceKernels.adamStep(expected, adam);
    got.forEach((t, i) => expectSameBits(t.param, expected[i]!.param, `tensors[${i}].param`));
    expectSameBits(grad, filled(6, 'f32', 2), 'grad');
  });

  it('a scalar beyond float32 is accepted in a float64 call', () => {
    const got = adamTensor(3, 'f64');
    const expected = adamTensor(3, 'f64');
    binding.adamStep([got], { ...adam, stepSize: 1e39 });
    referenceKernels.adamStep([expected], { ...adam, stepSize: 1e39 });
    expectSameBits(got.param, expected.param, 'param');
    const x = filled(3, 'f64');
    binding.scale([x], 1e39);
    expect(x[0]).toBe(1e39);
  });
});
