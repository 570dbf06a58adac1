/** Adagrad with torch.optim.Adagrad's options. */
import { adagradScalars } from '../scalars.js';
import { checkBoolean, checkNumber } from '../validate.js';
import { Optimizer, type CommonOptions, type OptimizerDefinition, type Params } from './optimizer.js';

export interface AdagradOptions {
  /** Learning rate. Default 0.01. */
  lr: number;
  /** Learning-rate decay: step t uses lr / (1 + (t − 1) · lrDecay). Default 0. */
  lrDecay: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Initial value of the sum of squared gradients. Default 0. */
  initialAccumulatorValue: number;
  /** Added to the square root of the sum. Default 1e-10. */
  eps: number;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Exported for the list of every optimizer (all.ts). */
export const adagrad: OptimizerDefinition<AdagradOptions> = {
  name: 'Adagrad',
  stateKeys: ['stateSum'],
  defaults: { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false },
  validate(o, where) {
    checkNumber(`${where}.lr`, o.lr, { min: 0 });
    checkNumber(`${where}.lrDecay`, o.lrDecay, { min: 0 });
    checkNumber(`${where}.weightDecay`, o.weightDecay, { min: 0 });
    checkNumber(`${where}.initialAccumulatorValue`, o.initialAccumulatorValue, { min: 0 });
    checkNumber(`${where}.eps`, o.eps, { min: 0 });
    checkBoolean(`${where}.maximize`, o.maximize);
  },
  buffers(o) {
    return [{ key: 'stateSum', initial: o.initialAccumulatorValue }];
  },
  kernel: 'adagrad',
  scalars: (o, { step }) => adagradScalars(o, step),
};

/** Adagrad, as torch.optim.Adagrad. */
export class Adagrad<K extends string> extends Optimizer<K, AdagradOptions> {
  constructor(params: Params<K>, options?: Partial<AdagradOptions> & CommonOptions<K, AdagradOptions>) {
    super(adagrad, params, options);
  }
}
