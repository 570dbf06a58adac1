/** RMSprop with torch.optim.RMSprop's options (Hinton's lecture 6e; centered as Graves 2013). */
import { rmspropScalars } from '../scalars.js';
import { checkBoolean, checkNumber } from '../validate.js';
import { Optimizer, type CommonOptions, type OptimizerDefinition, type Params } from './optimizer.js';

export interface RmspropOptions {
  /** Learning rate. Default 0.01. */
  lr: number;
  /** Smoothing constant of the running average of squared gradients, in [0, 1]. Default 0.99. */
  alpha: number;
  /** Added to the square root of the average. Default 1e-8. */
  eps: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Momentum factor; 0 turns momentum off. Default 0. */
  momentum: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment. Default false. */
  centered: boolean;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Exported for the list of every optimizer (all.ts). */
export const rmsprop: OptimizerDefinition<RmspropOptions> = {
  name: 'RMSprop',
  stateKeys: ['squareAvg', 'gradAvg', 'momentumBuffer'],
  defaults: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false },
  validate(o, where) {
    checkNumber(`${where}.lr`, o.lr, { min: 0 });
    checkNumber(`${where}.alpha`, o.alpha, { min: 0, max: 1 });
    checkNumber(`${where}.eps`, o.eps, { min: 0 });
    checkNumber(`${where}.weightDecay`, o.weightDecay, { min: 0 });
    checkNumber(`${where}.momentum`, o.momentum, { min: 0 });
    checkBoolean(`${where}.centered`, o.centered);
    checkBoolean(`${where}.maximize`, o.maximize);
  },
  // torch creates every buffer zero-filled on the first step, gradAvg only when centered and
  // momentumBuffer only when momentum > 0.
  buffers(o) {
    const buffers = [{ key: 'squareAvg', initial: 0 }];
    if (o.centered) buffers.push({ key: 'gradAvg', initial: 0 });
    if (o.momentum !== 0) buffers.push({ key: 'momentumBuffer', initial: 0 });
    return buffers;
  },
  kernel: 'rmsprop',
  scalars: (o) => rmspropScalars(o),
};

/** RMSprop, as torch.optim.RMSprop. */
export class RMSprop<K extends string> extends Optimizer<K, RmspropOptions> {
  constructor(params: Params<K>, options?: Partial<RmspropOptions> & CommonOptions<K, RmspropOptions>) {
    super(rmsprop, params, options);
  }
}
