import { checkKnownKeys, checkNumber, checkOneOf, orDefault, typeError } from '../validate.js';
import { checkOptimizer, checkOptions, perGroup } from './base.js';
import type { SchedulableOptimizer } from './types.js';

export interface ReduceLROnPlateauOptions {
  /** 'min': lower metric is better; 'max': higher is. Default 'min'. */
  mode?: 'min' | 'max';
  /** lr ← lr · factor on a plateau, in (0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing: a non-negative integer. Default 10. */
  patience?: number;
  /** Smallest improvement that counts, ≥ 0. Default 1e-4. */
  threshold?: number;
  /** 'rel': improvement relative to the best; 'abs': absolute. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again: a non-negative integer. Default 0. */
  cooldown?: number;
  /** Lower bound on the lr: one for every group or one per group, ≥ 0. Default 0. */
  minLr?: number | readonly number[];
  /** A reduction smaller than this is skipped, ≥ 0. Default 1e-8. */
  eps?: number;
}

const optionNames = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'] as const;

/** torch.optim.lr_scheduler.ReduceLROnPlateau: cut the lr when a metric stops improving. */
export class ReduceLROnPlateau {
  readonly optimizer: SchedulableOptimizer;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: readonly number[];
  readonly eps: number;
  /** The best metric so far (starts at the worst value: +∞ for 'min', −∞ for 'max'). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;

  constructor(optimizer: SchedulableOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const where = 'ReduceLROnPlateau: options';
    const o = checkOptions(where, options);
    checkKnownKeys(where, o, optionNames);
    const groups = checkOptimizer(optimizer);
    this.optimizer = optimizer;
    this.mode = checkOneOf(`${where}.mode`, orDefault(o.mode, 'min'), ['min', 'max'] as const);
    this.factor = checkNumber(`${where}.factor`, orDefault(o.factor, 0.1), { above: 0, below: 1 });
    this.patience = checkNumber(`${where}.patience`, orDefault(o.patience, 10), { integer: true, min: 0 });
    this.threshold = checkNumber(`${where}.threshold`, orDefault(o.threshold, 1e-4), { min: 0 });
    this.thresholdMode = checkOneOf(`${where}.thresholdMode`, orDefault(o.thresholdMode, 'rel'), ['rel', 'abs'] as const);
    this.cooldown = checkNumber(`${where}.cooldown`, orDefault(o.cooldown, 0), { integer: true, min: 0 });
    this.minLrs = perGroup(`${where}.minLr`, orDefault(o.minLr, 0), groups.length, 0);
    this.eps = checkNumber(`${where}.eps`, orDefault(o.eps, 1e-8), { min: 0 });
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Ends an epoch whose metric (e.g. validation loss) was `metric`. A NaN metric counts as no improvement. */
  step(metric: number): void {
    if (typeof metric !== 'number') throw typeError('metric', 'a number', metric);
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLrs();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }

  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((group) => group.lr);
  }

  private isBetter(metric: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? metric < best * (1 - threshold) : metric < best - threshold;
    return this.thresholdMode === 'rel' ? metric > best * (threshold + 1) : metric > best + threshold;
  }

  private reduceLrs(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const newLr = Math.max(group.lr * this.factor, this.minLrs[i]!);
      if (group.lr - newLr > this.eps) group.lr = newLr;
    });
  }
}
