/**
 * Parameters and parameter groups: checked once at construction. A group's parameter list
 * is frozen (changing which tensors a group holds would need a new optimizer, as in torch);
 * its hyperparameters stay mutable, and a snapshot tells a step whether they changed.
 */
import type { FloatArray } from '../../binding.js';
import { checkDisjoint, checkFloatArray, checkKnownKeys, checkPlainObject, describe, typeError } from '../validate.js';
import type { OptimizerDefinition, ParamGroup, Params } from './definition.js';

export function checkParams<K extends string>(where: string, params: unknown): Params<K> {
  if (params === null || typeof params !== 'object' || Array.isArray(params) || ArrayBuffer.isView(params)) {
    throw typeError(where, 'an object of named Float32Array/Float64Array parameters', params);
  }
  const entries = Object.entries(params);
  if (entries.length === 0) throw new RangeError(`${where} must name at least one parameter`);
  for (const [name, value] of entries) checkFloatArray(`${where}.${name}`, value);
  checkDisjoint(
    where,
    entries.map(([name, array]) => ({ name: `params.${name}`, array: array as FloatArray, written: true })),
  );
  return params as Params<K>;
}

export function checkGradsObject(where: string, grads: unknown): Record<string, unknown> {
  if (grads === null || typeof grads !== 'object' || Array.isArray(grads) || ArrayBuffer.isView(grads)) {
    throw typeError(where, 'an object of named gradients', grads);
  }
  return grads as Record<string, unknown>;
}

export function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out;
}

/** The groups of an optimizer: explicit ones from options.groups, the rest in one group first. */
export function buildGroups<K extends string, O extends { lr: number }>(
  definition: OptimizerDefinition<O>,
  names: readonly K[],
  top: Partial<O>,
  groups: unknown,
  where: string,
): ParamGroup<K, O>[] {
  const base = { ...definition.defaults, ...top } as O;
  if (groups === undefined) return [group(names, base)];
  if (!Array.isArray(groups)) throw typeError(`${where}: options.groups`, 'an array of { params, ...options }', groups);
  const optionKeys = Object.keys(definition.defaults);
  const claimed = new Map<string, number>();
  const explicit = groups.map((raw, i) => {
    const at = `${where}: options.groups[${i}]`;
    const g = checkPlainObject(at, raw);
    checkKnownKeys(at, g, ['params', ...optionKeys]);
    if (!Array.isArray(g.params) || g.params.length === 0)
      throw typeError(`${at}.params`, 'a non-empty array of parameter names', g.params);
    for (const name of g.params) {
      if (typeof name !== 'string' || !names.includes(name as K)) {
        throw new TypeError(`${at}.params names ${describe(name)}, which is not a parameter (parameters: ${names.join(', ')})`);
      }
      if (claimed.has(name)) throw new RangeError(`${at}.params names '${name}', already in options.groups[${claimed.get(name)}]`);
      claimed.set(name, i);
    }
    return group(g.params as K[], { ...base, ...pick(g, optionKeys) } as O);
  });
  const rest = names.filter((n) => !claimed.has(n));
  return rest.length > 0 ? [group(rest, base), ...explicit] : explicit;
}

/** A group whose `params` can be neither reassigned nor edited: its options stay writable. */
function group<K extends string, O extends object>(params: readonly K[], options: O): ParamGroup<K, O> {
  const g = copyOptions(options) as ParamGroup<K, O>;
  Object.defineProperty(g, 'params', { value: Object.freeze([...params]), enumerable: true, writable: false, configurable: false });
  return g;
}

/** Copies array-valued options (e.g. betas) so groups never share them. */
export function copyOptions<O extends object>(options: O): O {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k] = Array.isArray(v) ? [...v] : v;
  return out as O;
}

/** A group's option values as last validated (arrays copied), to tell whether they changed. */
export function snapshotOptions(group: object, keys: readonly string[]): unknown[] {
  const g = group as Record<string, unknown>;
  return keys.map((k) => (Array.isArray(g[k]) ? [...(g[k] as unknown[])] : g[k]));
}

export function sameOptions(group: object, snapshot: readonly unknown[], keys: readonly string[]): boolean {
  const g = group as Record<string, unknown>;
  // Groups are built with their options in `keys` order (buildGroups): for-in then reads
  // each by its slot, where a lookup by name (a different name at one site) costs ~150
  // instructions, most of this check. Keys in any other order are looked up by name.
  let i = 0;
  for (const key in g) {
    if (i === keys.length || key !== keys[i]) break;
    if (!sameOption(g[key], snapshot[i])) return false;
    i++;
  }
  for (; i < keys.length; i++) if (!sameOption(g[keys[i]!], snapshot[i])) return false;
  return true;
}

function sameOption(now: unknown, then: unknown): boolean {
  if (now === then) return true;
  if (!Array.isArray(now) || !Array.isArray(then) || now.length !== then.length) return false;
  for (let j = 0; j < now.length; j++) if (!Object.is(now[j], then[j])) return false;
  return true;
}
