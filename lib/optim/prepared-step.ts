/**
 * A prepared native step (binding.d.ts: adamPlan, runStep): the binding validated the
 * calls once; a later step re-checks only what JavaScript can change between steps. Here,
 * on the JavaScript side, that is which gradient array stands in each slot: the same arrays
 * as last step cost one identity comparison per parameter (none for a frozen gradient
 * record, e.g. createParameters'), and a different array in an unmerged slot is validated
 * alone by the binding. Anything else (a merged slot, a mismatch) answers false, and the
 * caller plans again, which validates everything and names what is wrong.
 */
import type { Binding, FloatArray, StepOptions, StepPlan } from '../../binding.js';
import { entryPoints, type PlanName } from '../generated/schema.js';
import type { ScalarFamily } from '../scalars.js';
import type { Call } from './layout.js';

export type PlanBinding = Pick<Binding, PlanName | 'runStep' | 'runStepAsync' | 'replaceStepGrad'>;

/** The binding's plan entry points, when the backend has them. */
export function planBinding(kernels: object): PlanBinding | undefined {
  return 'runStep' in kernels ? (kernels as PlanBinding) : undefined;
}

export class PreparedStep {
  readonly handle: StepPlan;
  /** The layout version the plan was made for (Optimizer bumps it when state is reallocated). */
  readonly version: number;
  private readonly names: readonly string[];
  /** Per name: the gradient array the plan holds. */
  private readonly grads: FloatArray[];
  /** Per name: its tensor's index in the plan, or -1 when merged with neighbours. */
  private readonly slots: Int32Array;
  /** A frozen gradient record known to hold exactly `grads`. */
  private frozen: object | null;
  /** The record last bound (its names checked then). */
  private record: object;

  constructor(
    binding: PlanBinding,
    family: ScalarFamily,
    calls: readonly Call[],
    groups: number,
    grads: Readonly<Record<string, FloatArray>>,
    version: number,
    options: StepOptions | undefined,
  ) {
    this.handle = binding[entryPoints[family].plan](calls as never, groups, options);
    this.version = version;
    const names: string[] = [];
    const slots: number[] = [];
    let tensor = 0;
    for (const call of calls) {
      for (const members of call.members) {
        for (const name of members) {
          names.push(name);
          slots.push(members.length === 1 ? tensor : -1);
        }
        tensor++;
      }
    }
    this.names = names;
    this.slots = Int32Array.from(slots);
    this.grads = names.map((n) => grads[n]!);
    this.frozen = Object.isFrozen(grads) ? grads : null;
    this.record = grads;
  }

  /** Puts `grads` in the plan; false when that needs a new plan. */
  bind(binding: PlanBinding, grads: Readonly<Record<string, unknown>>): boolean {
    if (typeof grads !== 'object' || grads === null) return false;
    if (grads === this.frozen) return true;
    const { names, grads: bound, slots } = this;
    // A record other than last step's may hold a name that is not a parameter, an error the
    // full validation reports. Last step's record is not enumerated again: listing the keys
    // of a large record costs more than the step.
    if (grads !== this.record && Object.keys(grads).length !== names.length) return false;
    for (let i = 0; i < names.length; i++) {
      const g = grads[names[i]!];
      if (g === bound[i]) continue;
      const slot = slots[i]!;
      if (slot < 0 || !(g instanceof Float32Array || g instanceof Float64Array)) return false;
      if (!binding.replaceStepGrad(this.handle, slot, g)) return false;
      bound[i] = g;
    }
    this.frozen = Object.isFrozen(grads) ? grads : null;
    this.record = grads;
    return true;
  }
}
