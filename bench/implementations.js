// Every implementation a run times, in table order, filtered by --only.
import { arenaImplementations } from './impl/arena.js';
import { nativeImplementations } from './impl/native.js';
import { plainJsImplementation } from './impl/plain-js.js';
import { referenceImplementation } from './impl/reference.js';
import { tfjsImplementations } from './impl/tfjs.js';
import { wasmImplementations } from './impl/wasm.js';
import { HYPER, STEP } from './workloads.js';

export async function implementationsToRun({ binding, scalars, distDir, only }) {
  const skipped = [];
  const all = [...nativeImplementations(binding, scalars), ...(await arenaImplementations(distDir, binding, HYPER))];
  const wasm = await wasmImplementations(distDir, scalars, HYPER);
  if (wasm.missing) skipped.push({ id: 'wasm', reason: wasm.missing });
  else all.push(...wasm.list);
  const reference = await referenceImplementation(distDir, scalars);
  if (reference.missing) skipped.push({ id: 'reference', reason: reference.missing });
  else all.push(reference);
  all.push(plainJsImplementation(HYPER, STEP), ...tfjsImplementations(HYPER));

  if (!only) return { implementations: all, skipped };
  const wanted = new Set(only.split(','));
  const known = new Set(all.flatMap((i) => [i.id, i.family]));
  const unknown = [...wanted].filter((w) => !known.has(w));
  if (unknown.length > 0) {
    throw new RangeError(`--only: unknown implementation ${unknown.join(', ')}; expected some of ${[...known].join(', ')}`);
  }
  return { implementations: all.filter((i) => wanted.has(i.id) || wanted.has(i.family)), skipped };
}
