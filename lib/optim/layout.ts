/**
 * The memory layout of a step: the performance core of the optimizer.
 *
 * State buffers are allocated one contiguous array per (group, dtype, key), on a cache line,
 * and each parameter gets a view of it in the group's order. A step is one kernel call per
 * group and dtype; within a call, neighbouring parameters whose param, grad and state views
 * all continue one another in memory (as createParameters lays them out) are merged into
 * one tensor, so 10,000 small tensors cost a native step what one large tensor does.
 * The calls are planned when the layout or the gradient arrays change, not on every step
 * (prepared-step.ts).
 */
import type { FloatArray } from '../../binding.js';
import { alignedArray } from '../data/aligned.js';
import type { TensorSlot } from './definition.js';

/** One kernel call: tensors of one group and one dtype, with contiguous neighbours merged. */
export interface Call {
  group: number;
  tensors: TensorSlot[];
  /** Per tensor: the parameters it covers (more than one when merged). */
  members: string[][];
}

/** Slots grouped by dtype: one kernel call each (a call has a single dtype). */
export function byDtype(slots: TensorSlot[]): TensorSlot[][] {
  const f32 = slots.filter((s) => s.param instanceof Float32Array);
  const f64 = slots.filter((s) => s.param instanceof Float64Array);
  return [f32, f64].filter((l) => l.length > 0);
}

/** The calls of a step: per group (`groups[g]` lists its slots) and dtype, gradients from `grads`. */
export function planCalls(groups: readonly TensorSlot[][], grads: Readonly<Record<string, FloatArray>>): Call[] {
  const calls: Call[] = [];
  groups.forEach((slots, g) => {
    for (const sameDtype of byDtype(slots)) {
      const call: Call = { group: g, tensors: [], members: [] };
      for (const slot of sameDtype) {
        const next = { ...slot, grad: grads[slot.name]! } as TensorSlot;
        const last = call.tensors.length - 1;
        const merged = last >= 0 ? mergeSlots(call.tensors[last]!, next) : null;
        if (merged) {
          call.tensors[last] = merged;
          call.members[last]!.push(slot.name);
        } else {
          call.tensors.push(next);
          call.members.push([slot.name]);
        }
      }
      calls.push(call);
    }
  });
  return calls;
}

/**
 * Where a backend keeps state: `length` zeroed elements (on a cache line), and `adopt`,
 * to be called with every view made of them (the wasm backend frees its memory once they
 * are all collected). Without one, state is an ordinary array (alignedArray).
 */
export type StateAllocator = (
  Float: Float32ArrayConstructor | Float64ArrayConstructor,
  length: number,
) => { storage: FloatArray; adopt(view: FloatArray): void };

/** Gives each slot a `key` buffer, all views of one new array, in slot order. */
export function allocateContiguous(slots: readonly TensorSlot[], key: string, initial: number, allocate?: StateAllocator): void {
  if (slots.length === 0) return;
  const first = slots[0]!.param;
  const length = slots.reduce((n, s) => n + s.param.length, 0);
  const Float = first instanceof Float64Array ? Float64Array : Float32Array;
  // State follows its parameters onto shared memory, which stepAsync() requires.
  const shared = typeof SharedArrayBuffer !== 'undefined' && first.buffer instanceof SharedArrayBuffer;
  // On a cache line, like every array the library allocates (lib/data/aligned.ts).
  const own = allocate?.(Float, length);
  const storage: FloatArray = own ? own.storage : alignedArray(Float, length, shared);
  if (initial !== 0) storage.fill(initial);
  let offset = 0;
  for (const slot of slots) {
    const view = storage.subarray(offset, offset + slot.param.length);
    own?.adopt(view);
    slot[key] = view;
    offset += slot.param.length;
  }
}

/** `a` and `b` as one tensor, when each array of `b` continues the same array of `a`; else null. */
function mergeSlots(a: TensorSlot, b: TensorSlot): TensorSlot | null {
  const merged: TensorSlot = { name: `${a.name.split('…')[0]}…${b.name}`, param: a.param, grad: a.grad };
  for (const key of Object.keys(a)) {
    if (key === 'name') continue;
    const x = a[key] as FloatArray;
    const y = b[key] as FloatArray | undefined;
    if (!y || y.buffer !== x.buffer || y.byteOffset !== x.byteOffset + x.byteLength) return null;
    const Ctor = x.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => FloatArray;
    merged[key] = new Ctor(x.buffer, x.byteOffset, x.length + y.length);
  }
  return Object.keys(b).length === Object.keys(a).length ? merged : null;
}

/** A planned view loses its length if its buffer is detached or shrunk: refuse, write nothing. */
export function checkCallLengths(calls: readonly Call[], where: string): void {
  for (const { tensors } of calls) {
    for (const t of tensors) {
      for (const key of Object.keys(t)) {
        if (key !== 'name' && (t[key] as FloatArray).length !== t.param.length) {
          throw new TypeError(`${where}: the ${key} buffer of ${t.name} was detached, transferred or resized since the last step`);
        }
      }
    }
  }
}
