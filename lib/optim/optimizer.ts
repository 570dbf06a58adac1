/**
 * The optimizer base: named parameters, parameter groups, state kept apart from
 * hyperparameters, and a step validated before any buffer is touched. Each optimizer is a
 * small `OptimizerDefinition` (definition.ts).
 *
 * A native step is prepared once (prepared-step.ts) and re-checked cheaply on later steps:
 * hyperparameters are validated again only when they changed, gradients only when a
 * different array stands in a slot, and the binding re-checks that no buffer of the plan
 * was detached, transferred or resized. Anything else plans again, validating everything.
 */
import type { FloatArray, StepOptions, StepPlan } from '../../binding.js';
import { BACKEND_NAMES, resolveBackend, type Backend, type Kernels } from '../backend.js';
import { entryPoints } from '../generated/schema.js';
import { checkStepScalars, fitFloat32, packScalars, scalarKeys, type ScalarFamily } from '../scalars.js';
import { checkStateDict, STATE_FORMAT, STATE_VERSION, type StateDict } from './state-dict.js';
import { readStateFile, writeStateFile } from '../io/state-file.js';
import { checkBoolean, checkNumber, checkDisjoint, checkKnownKeys, checkOneOf, checkPlainObject, checkSameShape } from '../validate.js';
import type { CommonOptions, Grads, OptimizerDefinition, ParamGroup, Params, StepResult, TensorSlot } from './definition.js';
import { buildGroups, checkGradsObject, checkParams, copyOptions, pick, sameOptions, snapshotOptions } from './groups.js';
import { allocateContiguous, byDtype, checkCallLengths, planCalls, type Call, type StateAllocator } from './layout.js';
import { planBinding, PreparedStep, type PlanBinding } from './prepared-step.js';

export type {
  CommonOptions,
  Grads,
  OptimizerDefinition,
  ParamGroup,
  Params,
  StateBuffer,
  StepContext,
  StepResult,
  TensorSlot,
} from './definition.js';

/** A validated step, ready to run: a native plan, or the reference backend's calls. */
interface Prepared {
  step: number;
  /** Every group's scalars, packed one group after another. */
  scalars: Float64Array;
  plan: PreparedStep | null;
  calls: Call[] | null;
}

/**
 * Any optimizer's step entry point (binding.d.ts, OptimizerEntries), chosen by the
 * definition's family through the generated entryPoints table, so a family without an entry
 * point does not compile. Its tensors are typed `never`: a slot carries the fields its
 * definition's buffers() name, which the type system cannot tie to the family, and every
 * backend checks them.
 */
type KernelFn = (tensors: readonly never[], scalars: Float64Array, options?: StepOptions) => Promise<void> | void;

export abstract class Optimizer<K extends string, O extends { lr: number }> {
  /** Hyperparameters, per group; change them between steps (schedulers do). Each group's `params` is fixed. */
  readonly paramGroups: ParamGroup<K, O>[];
  readonly backend: Backend['name'];
  readonly skipNonFinite: boolean;
  readonly threads: number | undefined;

  protected readonly definition: OptimizerDefinition<O>;
  protected readonly params: Params<K>;
  private readonly kernels: Kernels;
  /** Where the backend keeps state (the wasm backend: in its own memory); undefined: ordinary arrays. */
  private readonly allocateState: StateAllocator | undefined;
  /** The binding's prepared-step entry points; undefined on the reference backend. */
  private readonly planner: PlanBinding | undefined;
  private readonly optionKeys: readonly string[];
  /** Per parameter: its state buffers, and the slot object handed to the kernels. */
  private readonly slots: Map<K, TensorSlot>;
  /** Per parameter: its length when the optimizer was made (a detached or shrunk buffer shows fewer). */
  private readonly lengths: Map<K, number>;
  private steps = 0;
  /** Bumped whenever state buffers are (re)allocated: plans and cached calls expire. */
  private layoutVersion = 0;
  /** Native: the last step's plan. */
  private prepared: PreparedStep | null = null;
  /** Reference backend: frozen gradient records (e.g. createParameters') already validated, with their calls. */
  private readonly planned = new WeakMap<object, { version: number; calls: Call[] }>();
  /** Per group: its options when last validated. */
  private readonly validated: unknown[][];
  private inFlight = false;
  /** Per group: the layout version at which its buffers were last ensured under its current options (-1: not since they changed). */
  private readonly ensured: number[];
  /** Every group's packed scalars (scalarKeys order), reused step after step: the binding copies them. */
  private readonly packed: Float64Array;
  private readonly packedGroups: Float64Array[];
  /** The names errors start with, built once (a step's fast path builds no string). */
  private readonly where: { step: string; stepAsync: string };
  /** Per entry point (this.where's values), per group: "<where>: paramGroups[i]". */
  private readonly groupWhere: ReadonlyMap<string, readonly string[]>;
  /** Per group: were its state buffers created for the step being prepared? (reused, like `packed`) */
  private readonly fresh: boolean[];
  /** Per group: does it hold Float32Array parameters? (asked only when a scalar does not fit a float32). */
  private readonly hasFloat32: readonly (() => boolean)[];

  protected constructor(definition: OptimizerDefinition<O>, params: Params<K>, options: Partial<O> & CommonOptions<K, O> = {}) {
    this.definition = definition;
    const where = `${definition.name}`;
    this.params = checkParams(`${where}: params`, params);
    const opts = checkPlainObject(`${where}: options`, options);
    this.optionKeys = Object.keys(definition.defaults);
    this.where = { step: `${where}.step`, stepAsync: `${where}.stepAsync` };
    checkKnownKeys(`${where}: options`, opts, [...this.optionKeys, 'backend', 'skipNonFinite', 'threads', 'groups']);
    const backendName = opts.backend === undefined ? undefined : checkOneOf(`${where}: options.backend`, opts.backend, BACKEND_NAMES);
    this.skipNonFinite = opts.skipNonFinite === undefined ? false : checkBoolean(`${where}: options.skipNonFinite`, opts.skipNonFinite);
    this.threads =
      opts.threads === undefined ? undefined : checkNumber(`${where}: options.threads`, opts.threads, { min: 1, max: 1024, integer: true });

    const top = pick(opts, this.optionKeys) as Partial<O>;
    this.paramGroups = buildGroups(definition, Object.keys(params) as K[], top, opts.groups, where);
    // Name each group as the user wrote it: the top-level options or options.groups[i].
    const explicit = Array.isArray(opts.groups) ? opts.groups.length : 0;
    const firstExplicit = this.paramGroups.length - explicit;
    this.paramGroups.forEach((g, i) =>
      definition.validate(g, `${where}: ${i < firstExplicit ? 'options' : `options.groups[${i - firstExplicit}]`}`),
    );
    this.validated = this.paramGroups.map((g) => snapshotOptions(g, this.optionKeys));
    this.ensured = this.paramGroups.map(() => -1);

    const backend = resolveBackend(backendName);
    this.backend = backend.name;
    this.kernels = backend.kernels;
    this.allocateState = backend.allocateState;
    this.planner = planBinding(backend.kernels);
    this.slots = new Map();
    this.lengths = new Map();
    for (const name of Object.keys(params) as K[]) {
      this.slots.set(name, { name, param: params[name], grad: params[name] });
      this.lengths.set(name, params[name].length);
    }
    const width = scalarKeys[definition.kernel].length;
    this.packed = new Float64Array(width * this.paramGroups.length);
    this.packedGroups = this.paramGroups.map((_, i) => this.packed.subarray(i * width, (i + 1) * width));
    this.groupWhere = new Map(Object.values(this.where).map((w) => [w, this.paramGroups.map((_, i) => `${w}: paramGroups[${i}]`)]));
    this.fresh = this.paramGroups.map(() => false);
    this.hasFloat32 = this.paramGroups.map((g) => () => hasFloat32(g.params, this.params));
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
    const where = this.where.step;
    const prepared = this.prepare(grads, where);
    if (!prepared) return { skipped: true, step: this.steps };
    if (prepared.plan) {
      const planner = this.planner!;
      if (!planner.runStep(prepared.plan.handle, prepared.scalars)) {
        // A buffer was detached, transferred or resized since the plan was made: validate
        // and plan again, which names it (or, when all is fine after all, runs).
        const again = this.revalidate(grads, where);
        if (!planner.runStep(again.handle, prepared.scalars)) throw changedDuringStep(where);
      }
    } else {
      const fn: KernelFn = this.kernels[entryPoints[this.definition.kernel].step];
      for (const call of prepared.calls!) fn(call.tensors as never[], this.packedGroups[call.group]!, this.callOptions());
    }
    return { skipped: false, step: (this.steps = prepared.step) };
  }

  /**
   * The same step off the JavaScript thread (native backend; the reference backend runs it
   * synchronously). The parameters, gradients and state must be over SharedArrayBuffers,
   * which cannot be transferred away mid-step (see createParameters({ shared: true })).
   * While it runs, other threads reading the parameters may see a mix of old and new
   * values, each element either wholly old or wholly new. Until it settles, this optimizer
   * refuses another step and its state methods (stateDict, loadStateDict, saveState, loadState).
   */
  async stepAsync(grads: Grads<K>): Promise<StepResult> {
    const where = this.where.stepAsync;
    const prepared = this.prepare(grads, where);
    if (!prepared) return { skipped: true, step: this.steps };
    if (!prepared.plan) {
      const fn: KernelFn = this.kernels[entryPoints[this.definition.kernel].step];
      for (const call of prepared.calls!) fn(call.tensors as never[], this.packedGroups[call.group]!, this.callOptions());
      return { skipped: false, step: (this.steps = prepared.step) };
    }
    const planner = this.planner!;
    // Every call is validated before the one worker that runs them all is queued.
    const start = (plan: PreparedStep) => {
      try {
        return planner.runStepAsync(plan.handle, prepared.scalars);
      } catch (error) {
        // The binding names the array; the user called stepAsync, not runStepAsync.
        if (error instanceof TypeError && error.message.startsWith('runStepAsync: '))
          throw new TypeError(`${where}: ${error.message.slice(14)}`);
        throw error;
      }
    };
    let running = start(prepared.plan);
    if (running === false) {
      running = start(this.revalidate(grads, where));
      if (running === false) throw changedDuringStep(where);
    }
    this.inFlight = true;
    try {
      await running;
    } finally {
      this.inFlight = false;
    }
    return { skipped: false, step: (this.steps = prepared.step) };
  }

  /**
   * For a native training loop (the Trainer's): validates a step on `grads` as step() does
   * and returns its plan with the packed scalars of the next `count` steps — fewer when a
   * later step's scalars would not fit their type, so that step() refuses that step itself.
   * Null where no native loop can run the steps: the reference backend, or skipNonFinite
   * (which inspects each step's gradients). The loop reports the steps it took with
   * `advanceSteps`.
   * @internal
   */
  prepareSteps(grads: Grads<K>, count: number): { plan: StepPlan; scalars: Float64Array; steps: number } | null {
    if (!this.planner || this.skipNonFinite) return null;
    const prepared = this.prepare(grads, this.where.step)!;
    const width = this.packed.length;
    const perGroup = this.packedGroups[0]!.length;
    const scalars = new Float64Array(width * count);
    scalars.set(prepared.scalars);
    const { kernel } = this.definition;
    let steps = 1;
    taking: for (; steps < count; steps++) {
      const step = prepared.step + steps;
      const context = { step, fresh: false };
      for (let i = 0; i < this.paramGroups.length; i++) {
        const group = this.paramGroups[i]!;
        const s = this.definition.scalars(group, context);
        const at = steps * width + i * perGroup;
        packScalars(kernel, s, scalars, at);
        if (!fitFloat32(scalars, at, perGroup) && !fitsStepScalars(kernel, s, group, step, this.hasFloat32[i]!)) break taking;
      }
    }
    return { plan: prepared.plan!.handle, scalars: steps === count ? scalars : scalars.subarray(0, steps * width), steps };
  }

  /** Records `n` steps a native training loop took (prepareSteps). @internal */
  advanceSteps(n: number): void {
    this.steps += n;
  }

  private callOptions(): { threads?: number } | undefined {
    return this.threads === undefined ? undefined : { threads: this.threads };
  }

  private checkIdle(where: string): void {
    if (this.inFlight) throw new Error(`${where}: a stepAsync() of this optimizer is still running; await it first`);
  }

  /** Validates a step and readies its kernel calls; null when skipNonFinite skips it. */
  private prepare(grads: Grads<K>, where: string): Prepared | null {
    this.checkIdle(where);
    const groups = this.paramGroups;
    for (let i = 0; i < groups.length; i++) {
      if (sameOptions(groups[i]!, this.validated[i]!, this.optionKeys)) continue;
      this.definition.validate(groups[i]!, `${where}: paramGroups[${i}]`);
      this.validated[i] = snapshotOptions(groups[i]!, this.optionKeys);
      this.ensured[i] = -1;
    }
    const step = this.steps + 1;
    // Computed and packed once per group, and checked before any state is created for this
    // step (by name only when a value does not fit a float32: only then can the check refuse).
    const { kernel } = this.definition;
    const context = { step, fresh: false };
    for (let i = 0; i < groups.length; i++) {
      const computed = this.definition.scalars(groups[i]!, context);
      const packed = packScalars(kernel, computed, this.packedGroups[i]);
      if (!fitFloat32(packed, 0, packed.length)) {
        checkStepScalars(kernel, computed, groups[i]!, step, this.hasFloat32[i]!, this.groupWhere.get(where)![i]!);
      }
    }

    // The same gradient arrays as the plan holds (or a different one in a slot, which the
    // binding checks alone) need no other check; anything else is validated in full.
    const plan = this.prepared;
    const bound = plan !== null && plan.version === this.layoutVersion && plan.bind(this.planner!, grads);
    const cached = !this.planner && typeof grads === 'object' && grads !== null ? this.planned.get(grads) : undefined;
    const cachedCalls = cached && cached.version === this.layoutVersion ? cached.calls : undefined;
    if (!bound && !cachedCalls) this.validateGrads(grads, where);
    if (this.skipNonFinite && !allFinite(grads)) return null;

    const fresh = this.fresh;
    let anyFresh = false;
    for (let i = 0; i < groups.length; i++) anyFresh = (fresh[i] = this.ensureBuffers(i)) || anyFresh;
    let ready: PreparedStep | null = null;
    let calls: Call[] | null = null;
    if (this.planner) {
      ready = bound && plan!.version === this.layoutVersion ? plan : this.replan(grads, where);
    } else {
      calls = cachedCalls && cached!.version === this.layoutVersion ? cachedCalls : this.planCalls(grads);
      if (Object.isFrozen(grads)) this.planned.set(grads, { version: this.layoutVersion, calls });
      this.checkIntact(calls, where);
    }
    // A group whose state was just created gets its scalars again with fresh: true (SGD's
    // first momentum step); no checked value depends on it.
    for (let i = 0; anyFresh && i < groups.length; i++) {
      if (fresh[i]) packScalars(kernel, this.definition.scalars(groups[i]!, { step, fresh: true }), this.packedGroups[i]);
    }
    return { step, scalars: this.packed, plan: ready, calls };
  }

  private planCalls(grads: Grads<K>): Call[] {
    return planCalls(
      this.paramGroups.map((g) => g.params.map((n) => this.slots.get(n)!)),
      grads,
    );
  }

  /** Refuses parameters that lost elements: a buffer detached, transferred or shrunk since the optimizer was made. */
  private checkParamsIntact(where: string): void {
    for (const [name, slot] of this.slots) {
      const length = this.lengths.get(name)!;
      if (slot.param.length !== length) {
        throw new TypeError(
          `${where}: params.${name} was detached, transferred or resized: it has ${slot.param.length} elements, ${length} when the optimizer was made`,
        );
      }
    }
  }

  private checkIntact(calls: readonly Call[], where: string): void {
    this.checkParamsIntact(where);
    checkCallLengths(calls, where);
  }

  /** After a plan was refused: everything validated again, and a new plan. */
  private revalidate(grads: Grads<K>, where: string): PreparedStep {
    this.prepared = null;
    this.validateGrads(grads, where);
    return this.replan(grads, where);
  }

  /** A new native plan (the binding validates every call, and memory across calls by address). */
  private replan(grads: Grads<K>, where: string): PreparedStep {
    this.prepared = null;
    const calls = this.planCalls(grads);
    this.checkIntact(calls, where);
    this.prepared = new PreparedStep(
      this.planner!,
      this.definition.kernel,
      calls,
      this.paramGroups.length,
      grads,
      this.layoutVersion,
      this.callOptions(),
    );
    return this.prepared;
  }

  private validateGrads(grads: Grads<K>, where: string): void {
    this.checkParamsIntact(where);
    const g = checkGradsObject(`${where}: grads`, grads);
    for (const key of Object.keys(g)) {
      if (!this.slots.has(key as K))
        throw new TypeError(`${where}: grads has '${key}', which is not a parameter (parameters: ${[...this.slots.keys()].join(', ')})`);
    }
    const regions: { name: string; array: FloatArray; written: boolean }[] = [];
    for (const [name, slot] of this.slots) {
      if (!(name in g)) throw new TypeError(`${where}: grads.${name} is missing`);
      const grad = checkSameShape(`${where}: grads.${name}`, g[name], slot.param, `params.${name}`);
      regions.push({ name: `params.${name}`, array: slot.param, written: true }, { name: `grads.${name}`, array: grad, written: false });
      for (const [key, value] of Object.entries(this.stateOf(name)))
        regions.push({ name: `state.${name}.${key}`, array: value, written: true });
    }
    checkDisjoint(where, regions);
  }

  /**
   * Creates the buffers the group's current options need, one contiguous array per buffer
   * and dtype (so neighbouring tensors can be merged into one kernel call); true if any
   * were created.
   */
  private ensureBuffers(index: number): boolean {
    // Usually nothing is missing: answer that without visiting every parameter.
    if (this.ensured[index] === this.layoutVersion) return false;
    const group = this.paramGroups[index]!;
    const buffers = this.definition.buffers(group);
    let created = false;
    for (const { key, initial } of buffers) {
      for (const slots of byDtype(group.params.map((n) => this.slots.get(n)!))) {
        const missing = slots.filter((slot) => slot[key] === undefined);
        if (missing.length === 0) continue;
        allocateContiguous(missing, key, initial, this.allocateState);
        created = true;
      }
    }
    if (created) this.layoutVersion++;
    this.ensured[index] = this.layoutVersion;
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
    this.checkIdle(`${this.definition.name}.stateDict`);
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
    this.checkIdle(`${this.definition.name}.loadStateDict`);
    const where = `${this.definition.name}.loadStateDict: state`;
    const d = checkStateDict(
      stateDict,
      {
        optimizer: this.definition.name,
        params: this.params,
        groupParams: this.paramGroups.map((g) => g.params),
        stateKeys: this.definition.stateKeys,
        validateGroup: (g, at) => this.definition.validate(g as unknown as O, at),
        optionKeys: this.optionKeys,
      },
      where,
    );
    d.paramGroups.forEach((saved, i) => Object.assign(this.paramGroups[i]!, copyOptions(pick(saved, this.optionKeys))));
    for (const [name, slot] of this.slots) for (const key of Object.keys(this.stateOf(name))) delete slot[key];
    for (const group of this.paramGroups) {
      for (const slots of byDtype(group.params.map((n) => this.slots.get(n)!))) {
        for (const key of this.definition.stateKeys) {
          const saved = slots.filter((slot) => d.state[slot.name]?.[key]);
          allocateContiguous(saved, key, 0, this.allocateState);
          for (const slot of saved) (slot[key] as FloatArray).set(d.state[slot.name]![key]!);
        }
      }
    }
    this.layoutVersion++;
    this.steps = d.step;
  }

  /** Writes `stateDict()` to a versioned binary file with a checksum, atomically (lib/io/atomic-write.ts). */
  async saveState(path: string): Promise<void> {
    this.checkIdle(`${this.definition.name}.saveState`);
    await writeStateFile(path, this.stateDict());
  }

  /**
   * Loads a file written by `saveState`. A truncated, corrupted or mismatched file (other
   * version, optimizer, names or shapes) is rejected with a clear error, changing nothing.
   */
  async loadState(path: string): Promise<void> {
    this.checkIdle(`${this.definition.name}.loadState`);
    this.loadStateDict((await readStateFile(path)) as StateDict<O>);
  }
}

function hasFloat32(names: readonly string[], params: Readonly<Record<string, FloatArray>>): boolean {
  return names.some((n) => params[n] instanceof Float32Array);
}

/** Whether checkStepScalars accepts these scalars (a RangeError is its only refusal). */
function fitsStepScalars(family: ScalarFamily, scalars: object, options: object, step: number, float32: () => boolean): boolean {
  try {
    checkStepScalars(family, scalars, options, step, float32, 'step');
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

function changedDuringStep(where: string): TypeError {
  return new TypeError(`${where}: a buffer of this step was detached, transferred or resized while the step was being prepared`);
}

function allFinite(grads: Record<string, FloatArray>): boolean {
  for (const g of Object.values(grads)) {
    for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) return false;
  }
  return true;
}
