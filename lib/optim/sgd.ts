/** Stochastic gradient descent with torch.optim.SGD's options (momentum, Nesterov, ...). */
import { sgdScalars } from '../scalars.js';
import { checkBoolean, checkNumber } from '../validate.js';
import { Optimizer, type CommonOptions, type OptimizerDefinition, type Params } from './optimizer.js';

export interface SgdOptions {
  /** Learning rate. Default 0.001 (torch's default). */
  lr: number;
  /** Momentum factor; 0 turns momentum off. Default 0. */
  momentum: number;
  /** Dampening of the momentum, in [0, 1]. Default 0. */
  dampening: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Exported for the list of every optimizer (all.ts). */
export const sgd: OptimizerDefinition<SgdOptions> = {
  name: 'SGD',
  stateKeys: ['momentumBuffer'],
  defaults: { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
  validate(o, where) {
    checkNumber(`${where}.lr`, o.lr, { min: 0 });
    checkNumber(`${where}.momentum`, o.momentum, { min: 0 });
    checkNumber(`${where}.dampening`, o.dampening, { min: 0, max: 1 });
    checkNumber(`${where}.weightDecay`, o.weightDecay, { min: 0 });
    checkBoolean(`${where}.nesterov`, o.nesterov);
    checkBoolean(`${where}.maximize`, o.maximize);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError(
        `${where}: nesterov needs momentum > 0 and dampening 0, received momentum ${o.momentum}, dampening ${o.dampening}`,
      );
    }
  },
  buffers(o) {
    return o.momentum !== 0 ? [{ key: 'momentumBuffer', initial: 0 }] : [];
  },
  kernel: 'sgd',
  scalars: (o, { fresh }) => sgdScalars(o, fresh),
};

/** SGD, as torch.optim.SGD. */
export class SGD<K extends string> extends Optimizer<K, SgdOptions> {
  constructor(params: Params<K>, options?: Partial<SgdOptions> & CommonOptions<K, SgdOptions>) {
    super(sgd, params, options);
  }
}
