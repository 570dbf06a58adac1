/**
 * Typed arrays that start on a 64-byte boundary, as PyTorch and NumPy allocate: a 64-byte
 * vector load (AVX-512) of such an array never straddles two cache lines, and with rows of
 * a multiple of 16 floats neither does any row of a matrix. An allocator hands JavaScript
 * memory at an arbitrary 16-byte offset, and JavaScript cannot see addresses, so the native
 * addon reports the offset and the view starts past it. Without the addon (the js backend,
 * where alignment buys nothing) the array is a plain one.
 */
import { loadNative } from '../native.js';
import { checkBoolean, checkNumber, typeError } from '../validate.js';

const LINE = 64;

export type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;

/** A zero-filled `Ctor` of `length` elements whose first element sits on a 64-byte boundary. */
export function alignedArray<C extends FloatCtor>(Ctor: C, length: number, shared = false): InstanceType<C> {
  if (Ctor !== Float32Array && Ctor !== Float64Array) throw typeError('alignedArray: Ctor', 'Float32Array or Float64Array', Ctor);
  checkNumber('alignedArray: length', length, { min: 0, integer: true });
  checkBoolean('alignedArray: shared', shared);
  const make = (elements: number) => {
    const bytes = elements * Ctor.BYTES_PER_ELEMENT;
    return new Ctor((shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)) as ArrayBuffer) as InstanceType<C>;
  };
  const native = loadNative();
  if (!native.ok) return make(length);
  const whole = make(length + LINE / Ctor.BYTES_PER_ELEMENT);
  const skip = (LINE - native.binding.byteMisalignment(whole)) % LINE;
  // Allocators return 8- or 16-byte aligned memory; anything else cannot be fixed by whole elements.
  if (skip % Ctor.BYTES_PER_ELEMENT !== 0) return make(length);
  const first = skip / Ctor.BYTES_PER_ELEMENT;
  return whole.subarray(first, first + length) as InstanceType<C>;
}
