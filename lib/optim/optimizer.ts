/**
 * The optimizer base: named parameters, parameter groups, state kept apart from
 * hyperparameters, validation of every step before any buffer is touched, and one kernel
 * call per group (and dtype) per step. Each optimizer is a small `OptimizerDefinition`.
 */
import type { FloatArray } from '../../binding.js';
import { resolveBackend, type Backend, type BackendName, type Kernels } from '../backend.js';
import { alignedArray } from '../data/aligned.js';
import { checkStepScalars, packScalars, type ScalarFamily } from '../scalars.js';
import { checkStateDict, STATE_FORMAT, STATE_VERSION, type StateDict } from './state-dict.js';
import { readStateFile, writeStateFile } from '../io/state-file.js';
import {
  checkBoolean,
  checkNumber,
  checkDisjoint,
  checkFloatArray,
  checkKnownKeys,
  checkOneOf,
  checkPlainObject,
  checkSameShape,
  describe,
  typeError,
} from '../validate.js';

export type Params<K extends string> = Record<K, FloatArray>;
export type Grads<K extends string> = Record<K, FloatArray>;

/** One parameter group: its parameters' names and its own hyperparameters (mutable between steps). */
export type ParamGroup<K extends string, O> = { readonly params: readonly K[] } & O;

/** Options common to every optimizer. */
export interface CommonOptions<K extends string, O> {
  /** Default: native when the addon loads, else the TypeScript reference (with one warning). */
  backend?: BackendName;
  /** Skip (and report) a step whose gradients hold NaN or ±Infinity: nothing changes. */
  skipNonFinite?: boolean;
  /**
   * Native backend: most threads a step is split across (default: every core; small steps
   * use fewer). Results are bit-identical for every count.
   */
  threads?: number;
  /** Parameter groups with their own hyperparameters; parameters in no group use the top-level ones. */
  groups?: ReadonlyArray<{ params: readonly K[] } & Partial<O>>;
}

export interface StepResult {
  /** True when `skipNonFinite` found a non-finite gradient and nothing was changed. */
  skipped: boolean;
  /** The number of steps taken so far. */
  step: number;
}

/** A state buffer of every parameter (e.g. Adam's `expAvg`), with its initial value. */
export interface StateBuffer {
  key: string;
  initial: number;
}

/** The object a kernel receives per parameter: binding.d.ts's tensor shapes. */
export interface TensorSlot {
  name: string;
  param: FloatArray;
  grad: FloatArray;
  [buffer: string]: FloatArray | string;
}

export interface StepContext {
  /** The step being taken, from 1. */
  step: number;
  /** True when this group's state buffers were created for this step (torch: state was empty). */
  fresh: boolean;
}

export interface OptimizerDefinition<O> {
  readonly name: string;
  readonly defaults: Readonly<O>;
  /** Every state buffer key this optimizer may create (for loading saved state). */
  readonly stateKeys: readonly string[];
  /** Throws a TypeError/RangeError naming `${where}.${option}`. */
  validate(options: O, where: string): void;
  /** The state buffers each parameter needs under these options. */
  buffers(options: O): readonly StateBuffer[];
  /** The kernel family (binding.d.ts: `${kernel}Step` and `${kernel}StepAsync`). */
  readonly kernel: ScalarFamily;
  /** This step's scalars for one group (lib/scalars.ts: the one place they are computed). */
  scalars(options: O, context: StepContext): object;
}

/** One kernel call: tensors of one group and one dtype, with contiguous neighbours merged. */
interface Call {
  group: number;
  tensors: TensorSlot[];
}

export abstract class Optimizer<K extends string, O extends { lr: number }> {
  /** Hyperparameters, per group; change them between steps (schedulers do). */
  readonly paramGroups: ParamGroup<K, O>[];
  readonly backend: Backend['name'];
  readonly skipNonFinite: boolean;
  readonly threads: number | undefined;

  protected readonly definition: OptimizerDefinition<O>;
  protected readonly params: Params<K>;
  private readonly kernels: Kernels;
  /** Per parameter: its state buffers, and the slot object handed to the kernels. */
  private readonly slots: Map<K, TensorSlot>;
  private steps = 0;
  /** Bumped whenever state buffers are (re)allocated: cached plans and validations expire. */
  private layoutVersion = 0;
  /** Frozen gradient objects (e.g. from createParameters) already validated, with their calls. */
  private readonly planned = new WeakMap<object, { version: number; calls: Call[] }>();
  private inFlight = false;
  /** Per group: the layout version and buffer keys last ensured. */
  private readonly ensured = new WeakMap<object, string>();
  /** Each group's packed scalars, reused step after step (the binding copies them per call). */
  private readonly packedScalars: Float64Array[] = [];

  protected constructor(definition: OptimizerDefinition<O>, params: Params<K>, options: Partial<O> & CommonOptions<K, O> = {}) {
    this.definition = definition;
    const where = `${definition.name}`;
    this.params = checkParams(`${where}: params`, params);
    const opts = checkPlainObject(`${where}: options`, options);
    const optionKeys = Object.keys(definition.defaults);
    checkKnownKeys(`${where}: options`, opts, [...optionKeys, 'backend', 'skipNonFinite', 'threads', 'groups']);
    const backendName = opts.backend === undefined ? undefined : checkOneOf(`${where}: options.backend`, opts.backend, ['native', 'js'] as const);
    this.skipNonFinite = opts.skipNonFinite === undefined ? false : checkBoolean(`${where}: options.skipNonFinite`, opts.skipNonFinite);
    this.threads = opts.threads === undefined ? undefined : checkNumber(`${where}: options.threads`, opts.threads, { min: 1, max: 1024, integer: true });

    const top = pick(opts, optionKeys) as Partial<O>;
    this.paramGroups = buildGroups(definition, Object.keys(params) as K[], top, opts.groups, where);
    // Name each group as the user wrote it: the top-level options or options.groups[i].
    const explicit = Array.isArray(opts.groups) ? opts.groups.length : 0;
    const firstExplicit = this.paramGroups.length - explicit;
    this.paramGroups.forEach((g, i) =>
      definition.validate(g, `${where}: ${i < firstExplicit ? 'options' : `options.groups[${i - firstExplicit}]`}`),
    );

    const backend = resolveBackend(backendName);
    this.backend = backend.name;
    this.kernels = backend.kernels;
    this.slots = new Map();
    for (const name of Object.keys(params) as K[]) {
      this.slots.set(name, { name, param: params[name], grad: params[name] });
    }
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** The first group's learning rate; setting it sets every group's. */
  get lr(): number {
    return this.paramGroups[0]!.lr;
  }

  set lr(value: number) {
    for (const g of this.paramGroups) g.lr = value;
  }

  /**
   * One optimization step: updates every parameter in place from `grads` (same names,
   * dtypes and lengths as the parameters). Validates everything first: a rejected call
   * changes nothing.
   */
  step(grads: Grads<K>): StepResult {
    const prepared = this.prepare(grads, `${this.definition.name}.step`);
    if (!prepared) return { skipped: true, step: this.steps };
    const binding = this.kernels as unknown as Record<string, (t: TensorSlot[], s: Float64Array, o?: object) => void>;
    const fn = binding[`${this.definition.kernel}Step`]!;
    for (const call of prepared.calls) fn(call.tensors, prepared.scalars[call.group]!, this.callOptions());
    return { skipped: false, step: (this.steps = prepared.step) };
  }

  /**
   * The same step off the JavaScript thread (native backend; the reference backend runs it
   * synchronously). The parameters, gradients and state must be over SharedArrayBuffers,
   * which cannot be transferred away mid-step (see createParameters({ shared: true })).
   * While it runs, other threads reading the parameters may see a mix of old and new
   * values, each element either wholly old or wholly new. A second step while one is in
   * flight is rejected.
   */
  async stepAsync(grads: Grads<K>): Promise<StepResult> {
    const prepared = this.prepare(grads, `${this.definition.name}.stepAsync`);
    if (!prepared) return { skipped: true, step: this.steps };
    const binding = this.kernels as unknown as Record<string, (t: TensorSlot[], s: Float64Array, o?: object) => Promise<void> | void>;
    const fn = binding[`${this.definition.kernel}StepAsync`] ?? binding[`${this.definition.kernel}Step`]!;
    // Validate (synchronously, in the binding) every call before the first one starts.
    this.inFlight = true;
    try {
      const running = prepared.calls.map((call) => fn(call.tensors, prepared.scalars[call.group]!, this.callOptions()));
      await Promise.all(running);
    } finally {
      this.inFlight = false;
    }
    return { skipped: false, step: (this.steps = prepared.step) };
  }

  private callOptions(): { threads?: number } | undefined {
    return this.threads === undefined ? undefined : { threads: this.threads };
  }

  /** Validates a step and plans its kernel calls; null when skipNonFinite skips it. */
  private prepare(grads: Grads<K>, where: string): { calls: Call[]; scalars: Float64Array[]; step: number } | null {
    if (this.inFlight) throw new Error(`${where}: a stepAsync() of this optimizer is still running; await it first`);
    this.paramGroups.forEach((group, i) => this.definition.validate(group, `${where}: paramGroups[${i}]`));
    const step = this.steps + 1;
    // Computed once per group, and checked before any state is created for this step.
    const computed = this.paramGroups.map((group) => this.definition.scalars(group, { step, fresh: false }));
    this.paramGroups.forEach((group, i) => {
      const hasFloat32 = () => group.params.some((n) => this.params[n] instanceof Float32Array);
      checkStepScalars(this.definition.kernel, computed[i]!, group, step, hasFloat32, `${where}: paramGroups[${i}]`);
    });
    const cached = typeof grads === 'object' && grads !== null ? this.planned.get(grads) : undefined;
    if (!cached || cached.version !== this.layoutVersion) this.validateGrads(grads, where);
    if (this.skipNonFinite && !allFinite(grads)) return null;

    const fresh = this.paramGroups.map((group) => this.ensureBuffers(group));
    let calls = cached && cached.version === this.layoutVersion ? cached.calls : undefined;
    if (!calls) {
      calls = this.planCalls(grads);
      if (Object.isFrozen(grads)) this.planned.set(grads, { version: this.layoutVersion, calls });
    }
    checkCallLengths(calls, where);
    // Packed (Float64Array in scalarKeys order): one read in the binding instead of one per scalar.
    // A group whose state was just created gets its scalars again with fresh: true (SGD's
    // first momentum step); no checked value depends on it.
    const scalars = this.paramGroups.map((group, i) => {
      const final = fresh[i] ? this.definition.scalars(group, { step, fresh: true }) : computed[i]!;
      return (this.packedScalars[i] = packScalars(this.definition.kernel, final, this.packedScalars[i]));
    });
    return { calls, scalars, step };
  }

  /**
   * One call per group and dtype. Neighbouring parameters whose param, grad and state
   * buffers all continue one another in memory (as createParameters lays them out) become
   * one tensor: the native call then costs the same for 10,000 small tensors as for one.
   */
  private planCalls(grads: Grads<K>): Call[] {
    const calls: Call[] = [];
    this.paramGroups.forEach((group, g) => {
      for (const slots of byDtype(group.params.map((n) => this.slots.get(n)!))) {
        const tensors: TensorSlot[] = [];
        for (const slot of slots) {
          const next = { ...slot, grad: grads[slot.name as K] } as TensorSlot;
          const last = tensors[tensors.length - 1];
          const merged = last && mergeSlots(last, next);
          if (merged) tensors[tensors.length - 1] = merged;
          else tensors.push(next);
        }
        calls.push({ group: g, tensors });
      }
    });
    return calls;
  }

  private validateGrads(grads: Grads<K>, where: string): void {
    const g = checkGradsObject(`${where}: grads`, grads);
    for (const key of Object.keys(g)) {
      if (!this.slots.has(key as K)) throw new TypeError(`${where}: grads has '${key}', which is not a parameter (parameters: ${[...this.slots.keys()].join(', ')})`);
    }
    const regions: { name: string; array: FloatArray; written: boolean }[] = [];
    for (const [name, slot] of this.slots) {
      if (!(name in g)) throw new TypeError(`${where}: grads.${name} is missing`);
      const grad = checkSameShape(`${where}: grads.${name}`, g[name], slot.param, `params.${name}`);
      regions.push({ name: `params.${name}`, array: slot.param, written: true }, { name: `grads.${name}`, array: grad, written: false });
      for (const [key, value] of Object.entries(this.stateOf(name))) regions.push({ name: `state.${name}.${key}`, array: value, written: true });
    }
    checkDisjoint(where, regions);
  }

  /**
   * Creates the buffers the group's current options need, one contiguous array per buffer
   * and dtype (so neighbouring tensors can be merged into one kernel call); true if any
   * were created.
   */
  private ensureBuffers(group: ParamGroup<K, O>): boolean {
    const buffers = this.definition.buffers(group);
    // Usually nothing is missing: answer that without visiting every parameter.
    const signature = `${this.layoutVersion}:${buffers.map((b) => b.key).join(',')}`;
    if (this.ensured.get(group) === signature) return false;
    let created = false;
    for (const { key, initial } of buffers) {
      for (const slots of byDtype(group.params.map((n) => this.slots.get(n)!))) {
        const missing = slots.filter((slot) => slot[key] === undefined);
        if (missing.length === 0) continue;
        allocateContiguous(missing, key, initial);
        created = true;
      }
    }
    if (created) this.layoutVersion++;
    this.ensured.set(group, `${this.layoutVersion}:${buffers.map((b) => b.key).join(',')}`);
    return created;
  }

  /** The state buffers of one parameter, by key (empty before the first step). */
  stateOf(name: K): Readonly<Record<string, FloatArray>> {
    const slot = this.slots.get(name);
    if (!slot) throw new TypeError(`${this.definition.name}.stateOf: '${String(name)}' is not a parameter`);
    const { name: _n, param: _p, grad: _g, ...buffers } = slot;
    return buffers as Record<string, FloatArray>;
  }

  /** Hyperparameters, step count and state buffers as plain data (buffers are copies). */
  stateDict(): StateDict<O> {
    const state: StateDict['state'] = {};
    for (const name of this.slots.keys()) {
      const buffers = Object.entries(this.stateOf(name));
      if (buffers.length > 0) state[name] = Object.fromEntries(buffers.map(([k, b]) => [k, b.slice()]));
    }
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      optimizer: this.definition.name,
      step: this.steps,
      paramGroups: this.paramGroups.map((g) => copyOptions({ ...g, params: [...g.params] })) as StateDict<O>['paramGroups'],
      state,
    };
  }

  /**
   * Restores a `stateDict()` (of an optimizer of the same class over the same parameter
   * names, groups, dtypes and lengths). Everything is checked first: a rejected state
   * leaves this optimizer unchanged.
   */
  loadStateDict(stateDict: StateDict<O>): void {
    const where = `${this.definition.name}.loadStateDict: state`;
    const optionKeys = Object.keys(this.definition.defaults);
    const d = checkStateDict(
      stateDict,
      {
        optimizer: this.definition.name,
        params: this.params,
        groupParams: this.paramGroups.map((g) => g.params),
        stateKeys: this.definition.stateKeys,
        validateGroup: (g, at) => this.definition.validate(g as unknown as O, at),
        optionKeys,
      },
      where,
    );
    d.paramGroups.forEach((saved, i) => Object.assign(this.paramGroups[i]!, copyOptions(pick(saved, optionKeys))));
    for (const [name, slot] of this.slots) for (const key of Object.keys(this.stateOf(name))) delete slot[key];
    for (const group of this.paramGroups) {
      for (const slots of byDtype(group.params.map((n) => this.slots.get(n)!))) {
        for (const key of this.definition.stateKeys) {
          const saved = slots.filter((slot) => d.state[slot.name]?.[key]);
          allocateContiguous(saved, key, 0);
          for (const slot of saved) (slot[key] as FloatArray).set(d.state[slot.name]![key]!);
        }
      }
    }
    this.layoutVersion++;
    this.steps = d.step;
  }

  /** Writes `stateDict()` to a versioned binary file with a checksum, atomically (lib/io/atomic-write.ts). */
  async saveState(path: string): Promise<void> {
    await writeStateFile(path, this.stateDict());
  }

  /**
   * Loads a file written by `saveState`. A truncated, corrupted or mismatched file (other
   * version, optimizer, names or shapes) is rejected with a clear error, changing nothing.
   */
  async loadState(path: string): Promise<void> {
    this.loadStateDict((await readStateFile(path)) as StateDict<O>);
  }
}

function checkParams<K extends string>(where: string, params: unknown): Params<K> {
  if (params === null || typeof params !== 'object' || Array.isArray(params) || ArrayBuffer.isView(params)) {
    throw typeError(where, 'an object of named Float32Array/Float64Array parameters', params);
  }
  const entries = Object.entries(params);
  if (entries.length === 0) throw new RangeError(`${where} must name at least one parameter`);
  for (const [name, value] of entries) checkFloatArray(`${where}.${name}`, value);
  checkDisjoint(where, entries.map(([name, array]) => ({ name: `params.${name}`, array: array as FloatArray, written: true })));
  return params as Params<K>;
}

function checkGradsObject(where: string, grads: unknown): Record<string, unknown> {
  if (grads === null || typeof grads !== 'object' || Array.isArray(grads) || ArrayBuffer.isView(grads)) {
    throw typeError(where, 'an object of named gradients', grads);
  }
  return grads as Record<string, unknown>;
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out;
}

function buildGroups<K extends string, O extends { lr: number }>(
  definition: OptimizerDefinition<O>,
  names: readonly K[],
  top: Partial<O>,
  groups: unknown,
  where: string,
): ParamGroup<K, O>[] {
  const base = { ...definition.defaults, ...top } as O;
  if (groups === undefined) return [{ params: [...names], ...copyOptions(base) }];
  if (!Array.isArray(groups)) throw typeError(`${where}: options.groups`, 'an array of { params, ...options }', groups);
  const optionKeys = Object.keys(definition.defaults);
  const claimed = new Map<string, number>();
  const explicit = groups.map((raw, i) => {
    const at = `${where}: options.groups[${i}]`;
    const g = checkPlainObject(at, raw);
    checkKnownKeys(at, g, ['params', ...optionKeys]);
    if (!Array.isArray(g.params) || g.params.length === 0) throw typeError(`${at}.params`, 'a non-empty array of parameter names', g.params);
    for (const name of g.params) {
      if (typeof name !== 'string' || !names.includes(name as K)) {
        throw new TypeError(`${at}.params names ${describe(name)}, which is not a parameter (parameters: ${names.join(', ')})`);
      }
      if (claimed.has(name)) throw new RangeError(`${at}.params names '${name}', already in options.groups[${claimed.get(name)}]`);
      claimed.set(name, i);
    }
    return { ...copyOptions({ ...base, ...pick(g, optionKeys) } as O), params: [...g.params] as K[] } as ParamGroup<K, O>;
  });
  const rest = names.filter((n) => !claimed.has(n));
  return rest.length > 0 ? [{ params: rest, ...copyOptions(base) }, ...explicit] : explicit;
}

/** Copies array-valued options (e.g. betas) so groups never share them. */
function copyOptions<O extends object>(options: O): O {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k] = Array.isArray(v) ? [...v] : v;
  return out as O;
}

/** Slots grouped by dtype: one kernel call each (a call has a single dtype). */
function byDtype(slots: TensorSlot[]): TensorSlot[][] {
  const f32 = slots.filter((s) => s.param instanceof Float32Array);
  const f64 = slots.filter((s) => s.param instanceof Float64Array);
  return [f32, f64].filter((l) => l.length > 0);
}

/** Gives each slot a `key` buffer, all views of one new array, in slot order. */
function allocateContiguous(slots: readonly TensorSlot[], key: string, initial: number): void {
  if (slots.length === 0) return;
  const first = slots[0]!.param;
  const length = slots.reduce((n, s) => n + s.param.length, 0);
  // State follows its parameters onto shared memory, which stepAsync() requires.
  const shared = typeof SharedArrayBuffer !== 'undefined' && first.buffer instanceof SharedArrayBuffer;
  // On a cache line, like every array the library allocates (lib/data/aligned.ts).
  const storage: FloatArray = alignedArray(first instanceof Float64Array ? Float64Array : Float32Array, length, shared);
  if (initial !== 0) storage.fill(initial);
  let offset = 0;
  for (const slot of slots) {
    slot[key] = storage.subarray(offset, offset + slot.param.length);
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

/** A cached plan's views lose their length if a buffer is detached: refuse, write nothing. */
function checkCallLengths(calls: readonly Call[], where: string): void {
  for (const { tensors } of calls) {
    for (const t of tensors) {
      for (const key of Object.keys(t)) {
        if (key !== 'name' && (t[key] as FloatArray).length !== t.param.length) {
          throw new TypeError(`${where}: a buffer of ${t.name} was detached or resized since the last step`);
        }
      }
    }
  }
}

function allFinite(grads: Record<string, FloatArray>): boolean {
  for (const g of Object.values(grads)) {
    for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) return false;
  }
  return true;
}
