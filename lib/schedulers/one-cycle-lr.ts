import { checkBoolean, checkKnownKeys, checkNumber, checkOneOf, orDefault, typeError } from '../validate.js';
import { checkOptimizer, checkOptions, LRScheduler, perGroup, setInitialLr } from './base.js';
import type { LrGroup, SchedulableOptimizer } from './types.js';

export type AnnealStrategy = 'cos' | 'linear';

export interface OneCycleLROptions {
  /** Peak lr: one number for every group, or one per group (required). */
  maxLr: number | readonly number[];
  /** Length of the cycle in steps; or give `epochs` and `stepsPerEpoch` instead. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent rising, in [0, 1) (≤ 0.5 with `threePhase`). Default 0.3. */
  pctStart?: number;
  /** Default 'cos'. */
  annealStrategy?: AnnealStrategy;
  /** Cycle `betas[0]` (or `momentum`) inversely to the lr. Default true, as in torch. */
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
  /** Initial lr = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** Final lr = initial lr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Rise, fall back to the initial lr, then anneal to the final lr (fast.ai's schedule). Default false. */
  threePhase?: boolean;
}

interface Point {
  lr: number;
  momentum: number;
}

interface Phase {
  endStep: number;
  start: 'initial' | 'max' | 'min';
  end: 'initial' | 'max' | 'min';
}

interface GroupSchedule {
  initial: Point;
  max: Point;
  min: Point;
}

const optionNames = [
  'maxLr',
  'totalSteps',
  'epochs',
  'stepsPerEpoch',
  'pctStart',
  'annealStrategy',
  'cycleMomentum',
  'baseMomentum',
  'maxMomentum',
  'divFactor',
  'finalDivFactor',
  'threePhase',
] as const;

/**
 * torch.optim.lr_scheduler.OneCycleLR (Smith's 1cycle policy), stepped once per batch. The
 * momentum runs opposite to the lr: `maxMomentum` at the initial and final lr, `baseMomentum` at the peak.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly annealStrategy: AnnealStrategy;
  readonly cycleMomentum: boolean;
  private readonly phases: readonly Phase[];
  private readonly schedules: readonly GroupSchedule[];

  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    const where = 'OneCycleLR: options';
    const o = checkOptions(where, options);
    checkKnownKeys(where, o, optionNames);
    const groups = checkOptimizer(optimizer);
    const totalSteps = totalStepsOf(o);
    const threePhase = checkBoolean(`${where}.threePhase`, orDefault(o.threePhase, false));
    const pctStart = checkNumber(`${where}.pctStart`, orDefault(o.pctStart, 0.3), threePhase ? { min: 0, max: 0.5 } : { min: 0, below: 1 });
    const annealStrategy = checkOneOf(`${where}.annealStrategy`, orDefault(o.annealStrategy, 'cos'), ['cos', 'linear'] as const);
    const cycleMomentum = checkBoolean(`${where}.cycleMomentum`, orDefault(o.cycleMomentum, true));
    const divFactor = checkNumber(`${where}.divFactor`, orDefault(o.divFactor, 25), { above: 0 });
    const finalDivFactor = checkNumber(`${where}.finalDivFactor`, orDefault(o.finalDivFactor, 1e4), { above: 0 });
    const maxLrs = perGroup(`${where}.maxLr`, o.maxLr, groups.length, 0);
    const maxMomenta = perGroup(`${where}.maxMomentum`, orDefault(o.maxMomentum, 0.95), groups.length, 0);
    const baseMomenta = perGroup(`${where}.baseMomentum`, orDefault(o.baseMomentum, 0.85), groups.length, 0);
    if (cycleMomentum) groups.forEach(checkHasMomentum);

    const schedules = groups.map((_, i) => {
      const initialLr = maxLrs[i]! / divFactor;
      const minLr = initialLr / finalDivFactor;
      // A huge maxLr over a tiny divFactor (or finalDivFactor) overflows, and anneal(∞, ∞) is NaN.
      if (!Number.isFinite(initialLr) || !Number.isFinite(minLr)) {
        throw new RangeError(
          `${where}: maxLr / divFactor / finalDivFactor must stay finite, received maxLr ${maxLrs[i]} (group ${i}), ` +
            `divFactor ${divFactor}, finalDivFactor ${finalDivFactor} (initial lr ${initialLr}, final lr ${minLr})`,
        );
      }
      return {
        initial: { lr: initialLr, momentum: maxMomenta[i]! },
        max: { lr: maxLrs[i]!, momentum: baseMomenta[i]! },
        min: { lr: minLr, momentum: maxMomenta[i]! },
      };
    });
    const phases = phasesOf(pctStart, totalSteps, threePhase);
    schedules.forEach((s, i) => setInitialLr(groups[i]!, s.initial.lr));
    if (cycleMomentum) groups.forEach((group, i) => setMomentum(group, maxMomenta[i]!));
    super(optimizer);
    this.totalSteps = totalSteps;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.schedules = schedules;
    this.phases = phases;
    this.initialStep();
  }

  protected computeLrs(stepNum: number): number[] {
    if (stepNum > this.totalSteps) {
      throw new RangeError(`OneCycleLR was stepped ${stepNum + 1} times but totalSteps is ${this.totalSteps}`);
    }
    return this.optimizer.paramGroups.map((group, g) => {
      const schedule = this.schedules[g]!;
      let startStep = 0;
      for (const [i, phase] of this.phases.entries()) {
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (phase.endStep - startStep);
          const from = schedule[phase.start];
          const to = schedule[phase.end];
          if (this.cycleMomentum) setMomentum(group, this.anneal(from.momentum, to.momentum, pct));
          return this.anneal(from.lr, to.lr, pct);
        }
        startStep = phase.endStep;
      }
      throw new Error('unreachable: the last phase always matches');
    });
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }
}

/** torch's phase boundaries, float arithmetic included, refused when a step would land in an empty phase. */
function phasesOf(pctStart: number, totalSteps: number, threePhase: boolean): Phase[] {
  const phases: Phase[] = threePhase
    ? [
        { endStep: pctStart * totalSteps - 1, start: 'initial', end: 'max' },
        { endStep: 2 * pctStart * totalSteps - 2, start: 'max', end: 'initial' },
        { endStep: totalSteps - 1, start: 'initial', end: 'min' },
      ]
    : [
        { endStep: pctStart * totalSteps - 1, start: 'initial', end: 'max' },
        { endStep: totalSteps - 1, start: 'max', end: 'min' },
      ];
  // A phase that ends where it starts gives its steps pct = 0/0 = NaN (lr and momentum). Only
  // the rising phase (and with threePhase the falling one) can be empty: when pctStart · totalSteps = 1.
  let startStep = 0;
  for (const phase of phases) {
    if (phase.endStep === startStep) {
      throw new RangeError(
        `OneCycleLR options: pctStart (${pctStart}) × totalSteps (${totalSteps}) = 1 leaves the rising phase ` +
          'no steps (its slope would be 0/0 = NaN); choose a pctStart or totalSteps whose product is not 1',
      );
    }
    startStep = phase.endStep;
  }
  return phases;
}

function totalStepsOf(o: Record<string, unknown>): number {
  if (o.totalSteps !== undefined) {
    return checkNumber('OneCycleLR: options.totalSteps', o.totalSteps, { integer: true, min: 1, max: Number.MAX_SAFE_INTEGER });
  }
  if (o.epochs === undefined || o.stepsPerEpoch === undefined) {
    throw new TypeError('OneCycleLR: options must give totalSteps, or both epochs and stepsPerEpoch');
  }
  const epochs = checkNumber('OneCycleLR: options.epochs', o.epochs, { integer: true, min: 1 });
  const stepsPerEpoch = checkNumber('OneCycleLR: options.stepsPerEpoch', o.stepsPerEpoch, { integer: true, min: 1 });
  // Past 2⁵³ step numbers stop being exact and phases can collapse.
  if (!Number.isSafeInteger(epochs * stepsPerEpoch)) {
    throw new RangeError(
      `OneCycleLR options: epochs (${epochs}) × stepsPerEpoch (${stepsPerEpoch}) must be at most ${Number.MAX_SAFE_INTEGER}`,
    );
  }
  return epochs * stepsPerEpoch;
}

function checkHasMomentum(group: LrGroup, i: number): void {
  if (!Array.isArray(group.betas) && typeof group.momentum !== 'number') {
    throw typeError(
      `optimizer.paramGroups[${i}]`,
      'a group with betas or momentum when OneCycleLR options.cycleMomentum is true (pass cycleMomentum: false)',
      group,
    );
  }
}

function setMomentum(group: LrGroup, momentum: number): void {
  if (Array.isArray(group.betas)) group.betas = [momentum, group.betas[1]!];
  else group.momentum = momentum;
}
