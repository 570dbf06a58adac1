import { checkNumber, checkPlainObject, typeError } from '../validate.js';
import type { LrGroup, SchedulableOptimizer } from './types.js';

/**
 * torch's `group['initial_lr']`, set once per group by the first scheduler built on it
 * (`setdefault`), so a second scheduler on the same optimizer shares the same base lrs.
 * Kept here rather than written into the caller's group objects.
 */
const initialLrs = new WeakMap<LrGroup, number>();

export function initialLrOf(group: LrGroup): number {
  let lr = initialLrs.get(group);
  if (lr === undefined) {
    lr = group.lr;
    initialLrs.set(group, lr);
  }
  return lr;
}

/** OneCycleLR overwrites `initial_lr` (torch does too). */
export function setInitialLr(group: LrGroup, lr: number): void {
  initialLrs.set(group, lr);
}

/** The optimizer's groups after checking each has a usable lr. */
export function checkOptimizer(optimizer: unknown): readonly LrGroup[] {
  if (typeof optimizer !== 'object' || optimizer === null) throw typeError('optimizer', 'an object with paramGroups', optimizer);
  const groups = (optimizer as { paramGroups?: unknown }).paramGroups;
  if (!Array.isArray(groups) || groups.length === 0) {
    throw typeError('optimizer.paramGroups', 'a non-empty array of groups with an lr', groups);
  }
  groups.forEach((group: unknown, i) => {
    if (typeof group !== 'object' || group === null) throw typeError(`optimizer.paramGroups[${i}]`, 'an object', group);
    checkNumber(`optimizer.paramGroups[${i}].lr`, (group as { lr?: unknown }).lr, { min: 0 });
  });
  return groups as LrGroup[];
}

/** The options object (absent means all defaults). */
export function checkOptions(name: string, options: unknown): Record<string, unknown> {
  return options === undefined ? {} : checkPlainObject(name, options);
}

/** A number for every group, or an array with one per group (torch's `_format_param`). */
export function perGroup(name: string, value: unknown, groups: number, min: number): number[] {
  if (!Array.isArray(value)) return new Array<number>(groups).fill(checkNumber(name, value, { min }));
  if (value.length !== groups) {
    throw new RangeError(`${name} must have one value per parameter group (${groups}), received ${value.length}`);
  }
  return value.map((v, i) => checkNumber(`${name}[${i}]`, v, { min }));
}

/**
 * torch's `LRScheduler` for the epoch-driven schedulers: construction performs step 0
 * (`last_epoch` -1 → 0), and every `step()` sets each group's lr to `computeLrs()`.
 */
export abstract class LRScheduler {
  readonly optimizer: SchedulableOptimizer;
  /** torch's `base_lrs`: each group's initial lr. */
  readonly baseLrs: readonly number[];
  /** torch's `last_epoch`: the number of `step()` calls since construction. */
  lastEpoch = -1;
  private lastLrs: number[] = [];

  /** Subclasses validate their options before calling this, so a rejected construction records nothing. */
  protected constructor(optimizer: SchedulableOptimizer) {
    this.baseLrs = checkOptimizer(optimizer).map(initialLrOf);
    this.optimizer = optimizer;
  }

  /** Subclasses call this at the end of their constructor, once their options are set. */
  protected initialStep(): void {
    this.step();
  }

  /** Advances one epoch and writes the new lr into every group. */
  step(): void {
    // Computed first: a scheduler that refuses the epoch (OneCycleLR past its end) changes nothing.
    const lrs = this.computeLrs(this.lastEpoch + 1);
    // A chained product (gamma > 1 for long enough) can overflow: refuse the epoch rather than
    // hand the optimizer an lr that it would reject only at its next step.
    const bad = lrs.findIndex((lr) => !Number.isFinite(lr));
    if (bad >= 0) {
      throw new RangeError(
        `${this.constructor.name}.step: epoch ${this.lastEpoch + 1} would set optimizer.paramGroups[${bad}].lr to ${lrs[bad]} (not finite)`,
      );
    }
    this.lastEpoch += 1;
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = lrs[i]!;
    });
    this.lastLrs = this.optimizer.paramGroups.map((group) => group.lr);
  }

  /** The lr of every group after the latest step (torch's `get_last_lr()`). */
  getLastLr(): number[] {
    return [...this.lastLrs];
  }

  /** The lrs for `epoch`, computed from the groups' current lrs as torch's `get_lr()` does. */
  protected abstract computeLrs(epoch: number): number[];

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((group) => group.lr);
  }
}
