import { checkKnownKeys, checkNumber, orDefault } from '../validate.js';
import { checkOptions, LRScheduler } from './base.js';
import type { SchedulableOptimizer } from './types.js';

export interface LinearLROptions {
  /** Factor applied at epoch 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** Factor reached at epoch `totalIters` and kept after, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Epochs to go from `startFactor` to `endFactor`: a positive integer. Default 5. */
  totalIters?: number;
}

/**
 * torch.optim.lr_scheduler.LinearLR: scales the lr by a factor moving linearly from
 * `startFactor` to `endFactor` over `totalIters` epochs; the usual linear warm-up.
 */
export class LinearWarmup extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options: LinearLROptions = {}) {
    const o = checkOptions('LinearWarmup: options', options);
    checkKnownKeys('LinearWarmup: options', o, ['startFactor', 'endFactor', 'totalIters']);
    // startFactor 0 would divide by zero at epoch 1 of torch's recursive formula.
    const startFactor = checkNumber('LinearWarmup: options.startFactor', orDefault(o.startFactor, 1 / 3), { above: 0, max: 1 });
    const endFactor = checkNumber('LinearWarmup: options.endFactor', orDefault(o.endFactor, 1), { min: 0, max: 1 });
    const totalIters = checkNumber('LinearWarmup: options.totalIters', orDefault(o.totalIters, 5), { integer: true, min: 1 });
    super(optimizer);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  // torch's recursive form: each epoch multiplies the current lr by the ratio of consecutive factors.
  protected computeLrs(t: number): number[] {
    const { startFactor, endFactor, totalIters } = this;
    const lrs = this.currentLrs();
    if (t === 0) return lrs.map((lr) => lr * startFactor);
    if (t > totalIters) return lrs;
    const ratio = 1 + (endFactor - startFactor) / (totalIters * startFactor + (t - 1) * (endFactor - startFactor));
    return lrs.map((lr) => lr * ratio);
  }
}

/** torch's name for `LinearWarmup`. */
export const LinearLR = LinearWarmup;
export type LinearLR = LinearWarmup;
