/** Gradient clipping, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_. */
import type { FloatArray } from '../binding.js';
import { BACKEND_NAMES, resolveBackend, type BackendName } from './backend.js';
import { checkFloatArray, checkKnownKeys, checkNumber, checkOneOf, checkPlainObject, typeError } from './validate.js';
import { isFloat32, round } from './reference/rounding.js';

/** Gradients as a named object (like `opt.step`'s argument) or a list. */
export type GradList = Readonly<Record<string, FloatArray>> | readonly FloatArray[];

function gradArrays(where: string, grads: unknown): FloatArray[] {
  if (grads === null || typeof grads !== 'object' || ArrayBuffer.isView(grads)) {
    throw typeError(where, 'an object or array of Float32Array/Float64Array gradients', grads);
  }
  const entries = Array.isArray(grads) ? grads.map((g, i) => [String(i), g] as const) : Object.entries(grads);
  const arrays = entries.map(([name, g]) => checkFloatArray(`${where}.${name}`, g));
  const first = arrays[0];
  const other = arrays.findIndex((a) => a.constructor !== first?.constructor);
  if (other >= 0)
    throw new TypeError(`${where}.${entries[other]![0]} must be a ${first!.constructor.name} like the first gradient (one dtype per call)`);
  return arrays;
}

/**
 * Scales the gradients in place so that their global L2 norm is at most `maxNorm`, and
 * returns the norm before clipping (as torch.nn.utils.clip_grad_norm_). The squares are
 * summed in float64 in the canonical order of native/NUMERICS.md (same bits on every backend
 * and ISA), so float32 gradients whose squares overflow float32 still get their finite norm,
 * returned rounded to the gradients' type.
 */
export function clipGradNorm(grads: GradList, maxNorm: number, options: { backend?: BackendName } = {}): number {
  const arrays = gradArrays('clipGradNorm: grads', grads);
  checkNumber('clipGradNorm: maxNorm', maxNorm, { min: 0 });
  const o = checkPlainObject('clipGradNorm: options', options);
  checkKnownKeys('clipGradNorm: options', o, ['backend']);
  const backend = o.backend === undefined ? undefined : checkOneOf('clipGradNorm: options.backend', o.backend, BACKEND_NAMES);
  if (arrays.length === 0) return 0;
  const kernels = resolveBackend(backend).kernels;
  const norm = round(Math.sqrt(kernels.sumSquares(arrays)), isFloat32(arrays[0]));
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) kernels.scale(arrays, coef);
  return norm;
}

/** Clamps every gradient element to [−clipValue, clipValue] in place (NaN stays NaN). */
export function clipGradValue(grads: GradList, clipValue: number): void {
  const arrays = gradArrays('clipGradValue: grads', grads);
  checkNumber('clipGradValue: clipValue', clipValue, { min: 0 });
  for (const g of arrays) {
    for (let i = 0; i < g.length; i++) g[i] = Math.min(Math.max(g[i]!, -clipValue), clipValue);
  }
}
