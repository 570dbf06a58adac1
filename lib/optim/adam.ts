/** Adam (Kingma & Ba) with torch.optim.Adam's options; AdamW is the decoupled variant. */
import { adamScalars } from '../scalars.js';
import { checkBoolean, checkNumber, typeError } from '../validate.js';
import { Optimizer, type CommonOptions, type OptimizerDefinition, type Params } from './optimizer.js';

export interface AdamOptions {
  /** Learning rate α. Default 0.001. */
  lr: number;
  /** Decay rates (β1, β2) of the moment estimates, each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to √v̂ for numerical stability. Default 1e-8. */
  eps: number;
  /** Adam: L2 penalty added to the gradient. AdamW: decoupled decay of the parameter. */
  weightDecay: number;
  /** Use the maximum of past second moments (Reddi et al.). Default false. */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

function adamDefinition(name: 'Adam' | 'AdamW', decoupled: boolean, weightDecay: number): OptimizerDefinition<AdamOptions> {
  return {
    name,
    stateKeys: ['expAvg', 'expAvgSq', 'maxExpAvgSq'],
    defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay, amsgrad: false, maximize: false },
    validate(o, where) {
      checkNumber(`${where}.lr`, o.lr, { min: 0 });
      if (!Array.isArray(o.betas) || o.betas.length !== 2) throw typeError(`${where}.betas`, 'a pair [beta1, beta2]', o.betas);
      checkNumber(`${where}.betas[0]`, o.betas[0], { min: 0, below: 1 });
      checkNumber(`${where}.betas[1]`, o.betas[1], { min: 0, below: 1 });
      checkNumber(`${where}.eps`, o.eps, { min: 0 });
      checkNumber(`${where}.weightDecay`, o.weightDecay, { min: 0 });
      if (decoupled && o.lr * o.weightDecay > 1) {
        throw new RangeError(
          `${where}: lr × weightDecay must be ≤ 1 (AdamW multiplies parameters by 1 − lr × weightDecay), received ${o.lr} × ${o.weightDecay}`,
        );
      }
      checkBoolean(`${where}.amsgrad`, o.amsgrad);
      checkBoolean(`${where}.maximize`, o.maximize);
    },
    buffers(o) {
      const buffers = [
        { key: 'expAvg', initial: 0 },
        { key: 'expAvgSq', initial: 0 },
      ];
      return o.amsgrad ? [...buffers, { key: 'maxExpAvgSq', initial: 0 }] : buffers;
    },
    kernel: 'adam',
    scalars(o, { step }) {
      const [beta1, beta2] = o.betas;
      return adamScalars(
        { lr: o.lr, beta1, beta2, eps: o.eps, weightDecay: o.weightDecay, decoupled, amsgrad: o.amsgrad, maximize: o.maximize },
        step,
      );
    },
  };
}

/** The definitions, exported for the list of every optimizer (all.ts). */
export const adam = adamDefinition('Adam', false, 0);
export const adamW = adamDefinition('AdamW', true, 1e-2);

/**
 * Adam, as torch.optim.Adam: `new Adam({ weights, bias }, { lr: 1e-3 })`, then
 * `opt.step({ weights: dW, bias: db })` updates the parameters in place.
 */
export class Adam<K extends string> extends Optimizer<K, AdamOptions> {
  constructor(params: Params<K>, options?: Partial<AdamOptions> & CommonOptions<K, AdamOptions>) {
    super(adam, params, options);
  }
}

/** AdamW (Loshchilov & Hutter): decoupled weight decay, default 0.01, as torch.optim.AdamW. */
export class AdamW<K extends string> extends Optimizer<K, AdamOptions> {
  constructor(params: Params<K>, options?: Partial<AdamOptions> & CommonOptions<K, AdamOptions>) {
    super(adamW, params, options);
  }
}
