/**
 * The TypeScript reference of the native gatherRows: the same validation and the same bits.
 * Rows are copied as raw 32-bit words, as memcpy copies them: a float copied through a
 * JavaScript number may lose its NaN payload.
 */
import type { FloatArray } from '../../binding.js';
import { checkDisjoint, describe, isFloatArray, rangeError, typeError } from '../validate.js';

const FN = 'gatherRows';

function words(array: FloatArray): Uint32Array {
  return new Uint32Array(array.buffer, array.byteOffset, array.byteLength / 4);
}

/** Row indices[r] of source (row-major, cols per row) into row r of target, for every r. */
export function gatherRows(source: FloatArray, cols: number, indices: Uint32Array, target: FloatArray): void {
  if (!isFloatArray(source)) throw typeError(`${FN}: source`, 'a Float32Array or Float64Array', source);
  if (typeof cols !== 'number') throw typeError(`${FN}: cols`, 'a number (an integer ≥ 1)', cols);
  if (!(Number.isSafeInteger(cols) && cols >= 1)) throw rangeError(`${FN}: cols`, 'an integer ≥ 1', cols);
  if (source.length % cols !== 0) {
    throw new RangeError(`${FN}: source must hold whole rows of cols = ${cols} elements, received ${source.length} elements`);
  }
  if (!(indices instanceof Uint32Array)) throw typeError(`${FN}: indices`, 'a Uint32Array', indices);
  if (!isFloatArray(target)) throw typeError(`${FN}: target`, 'a Float32Array or Float64Array', target);
  if (target.constructor !== source.constructor) {
    throw new TypeError(`${FN}: target must be a ${source.constructor.name} like source, received ${target.constructor.name}`);
  }
  if (target.length !== indices.length * cols) {
    throw new RangeError(`${FN}: target must have indices.length · cols = ${indices.length} · ${cols} elements, received ${target.length}`);
  }
  checkDisjoint(FN, [
    { name: 'source', array: source, written: false },
    { name: 'indices', array: indices, written: false },
    { name: 'target', array: target, written: true },
  ]);
  const rows = source.length / cols;
  // Read once, as the binding does: indices over a SharedArrayBuffer may change meanwhile.
  const order = indices.slice();
  order.forEach((row, k) => {
    if (row >= rows) throw new RangeError(`${FN}: indices[${k}] must be a row of source (< ${rows}), received ${describe(row)}`);
  });
  const rowWords = (cols * source.BYTES_PER_ELEMENT) / 4;
  const from = words(source);
  const to = words(target);
  for (let k = 0; k < order.length; k++) to.set(from.subarray(order[k]! * rowWords, (order[k]! + 1) * rowWords), k * rowWords);
}
