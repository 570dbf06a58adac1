/**
 * Lion (EvoLved Sign Momentum; Chen et al. 2023, "Symbolic Discovery of Optimization
 * Algorithms"), as its reference implementation: the update is the sign of an interpolation
 * of momentum and gradient, so every element moves by exactly lr; weight decay is decoupled.
 */
import { lionScalars } from '../scalars.js';
import { checkNumber, typeError } from '../validate.js';
import { Optimizer, type CommonOptions, type OptimizerDefinition, type Params } from './optimizer.js';

export interface LionOptions {
  /** Learning rate: every element moves by lr per step. Default 1e-4 (the paper: 3–10× smaller than AdamW's). */
  lr: number;
  /** (β1, β2), each in [0, 1): β1 interpolates the update, β2 is the momentum's decay. Default [0.9, 0.99]. */
  betas: [number, number];
  /** Decoupled decay: parameters are multiplied by 1 − lr · weightDecay each step. Default 0. */
  weightDecay: number;
}

/** Exported for the list of every optimizer (all.ts). */
export const lion: OptimizerDefinition<LionOptions> = {
  name: 'Lion',
  stateKeys: ['expAvg'],
  defaults: { lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0 },
  validate(o, where) {
    checkNumber(`${where}.lr`, o.lr, { min: 0 });
    if (!Array.isArray(o.betas) || o.betas.length !== 2) throw typeError(`${where}.betas`, 'a pair [beta1, beta2]', o.betas);
    checkNumber(`${where}.betas[0]`, o.betas[0], { min: 0, below: 1 });
    checkNumber(`${where}.betas[1]`, o.betas[1], { min: 0, below: 1 });
    checkNumber(`${where}.weightDecay`, o.weightDecay, { min: 0 });
    if (o.lr * o.weightDecay > 1) {
      throw new RangeError(
        `${where}: lr × weightDecay must be ≤ 1 (Lion multiplies parameters by 1 − lr × weightDecay), received ${o.lr} × ${o.weightDecay}`,
      );
    }
  },
  buffers: () => [{ key: 'expAvg', initial: 0 }],
  kernel: 'lion',
  scalars: (o) => lionScalars({ lr: o.lr, beta1: o.betas[0], beta2: o.betas[1], weightDecay: o.weightDecay }),
};

/** Lion, as the paper's reference implementation (Chen et al. 2023). */
export class Lion<K extends string> extends Optimizer<K, LionOptions> {
  constructor(params: Params<K>, options?: Partial<LionOptions> & CommonOptions<K, LionOptions>) {
    super(lion, params, options);
  }
}
