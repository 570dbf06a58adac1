import { checkKnownKeys, checkNumber, orDefault } from '../validate.js';
import { checkOptions, LRScheduler } from './base.js';
import type { SchedulableOptimizer } from './types.js';

export interface StepLROptions {
  /** Epochs between decays: a positive integer (required). */
  stepSize: number;
  /** Multiplicative decay, > 0. Default 0.1. */
  gamma?: number;
}

/** torch.optim.lr_scheduler.StepLR: lr ← lr · gamma every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    const o = checkOptions('StepLR: options', options);
    checkKnownKeys('StepLR: options', o, ['stepSize', 'gamma']);
    const stepSize = checkNumber('StepLR: options.stepSize', o.stepSize, { integer: true, min: 1 });
    const gamma = checkNumber('StepLR: options.gamma', orDefault(o.gamma, 0.1), { above: 0 });
    super(optimizer);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  // Chained like torch's get_lr (multiplying the current lr), not the closed form base · gammaⁿ.
  protected computeLrs(epoch: number): number[] {
    const decays = epoch !== 0 && epoch % this.stepSize === 0;
    return this.currentLrs().map((lr) => (decays ? lr * this.gamma : lr));
  }
}
