import { checkKnownKeys, checkNumber } from '../validate.js';
import { checkOptions, LRScheduler } from './base.js';
import type { SchedulableOptimizer } from './types.js';

export interface ExponentialLROptions {
  /** Multiplicative decay per epoch, > 0 (required, as in torch). */
  gamma: number;
}

/** torch.optim.lr_scheduler.ExponentialLR: lr ← lr · gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    const o = checkOptions('ExponentialLR: options', options);
    checkKnownKeys('ExponentialLR: options', o, ['gamma']);
    const gamma = checkNumber('ExponentialLR: options.gamma', o.gamma, { above: 0 });
    super(optimizer);
    this.gamma = gamma;
    this.initialStep();
  }

  // Chained like torch's get_lr: repeated products round differently from base · gammaⁿ.
  protected computeLrs(epoch: number): number[] {
    return this.currentLrs().map((lr) => (epoch === 0 ? lr : lr * this.gamma));
  }
}
