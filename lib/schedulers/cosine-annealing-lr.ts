import { checkKnownKeys, checkNumber, orDefault } from '../validate.js';
import { checkOptions, LRScheduler } from './base.js';
import type { SchedulableOptimizer } from './types.js';

export interface CosineAnnealingLROptions {
  /** Half-period in epochs: a positive integer (required; torch's `T_max`). */
  tMax: number;
  /** Lowest lr, ≥ 0. Default 0. */
  etaMin?: number;
}

/**
 * torch.optim.lr_scheduler.CosineAnnealingLR (SGDR without restarts): the lr follows a
 * cosine from its base value to `etaMin` over `tMax` epochs, and back up over the next `tMax`.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingLROptions) {
    const o = checkOptions('CosineAnnealingLR: options', options);
    checkKnownKeys('CosineAnnealingLR: options', o, ['tMax', 'etaMin']);
    const tMax = checkNumber('CosineAnnealingLR: options.tMax', o.tMax, { integer: true, min: 1 });
    const etaMin = checkNumber('CosineAnnealingLR: options.etaMin', orDefault(o.etaMin, 0), { min: 0 });
    super(optimizer);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  // torch's recursive form, each epoch's lr derived from the previous one (so a manual lr
  // change carries through), with its special case at the bottom of each cycle where the
  // ratio of cosines would be 0/0.
  protected computeLrs(t: number): number[] {
    const { tMax, etaMin } = this;
    const lrs = this.currentLrs();
    if (t === 0) return lrs;
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      return lrs.map((lr, i) => lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax));
    return lrs.map((lr) => ratio * (lr - etaMin) + etaMin);
  }
}
