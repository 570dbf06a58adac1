/** The optimizer named on the command line, over a model's parameters. */
import type { FloatArray } from '../../binding.js';
import { Adagrad } from '../optim/adagrad.js';
import { Adam, AdamW } from '../optim/adam.js';
import { Lion } from '../optim/lion.js';
import { RMSprop } from '../optim/rmsprop.js';
import { SGD } from '../optim/sgd.js';

export const OPTIMIZER_NAMES = ['adam', 'adamw', 'sgd', 'adagrad', 'rmsprop', 'lion'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Any model's named parameters: a LinearRegression's weights and bias, a Sequential's layers. */
export function makeOptimizer<K extends string>(name: OptimizerName, params: Readonly<Record<K, FloatArray>>, lr: number) {
  switch (name) {
    case 'adam':
      return new Adam(params, { lr });
    case 'adamw':
      return new AdamW(params, { lr });
    case 'sgd':
      return new SGD(params, { lr });
    case 'adagrad':
      return new Adagrad(params, { lr });
    case 'rmsprop':
      return new RMSprop(params, { lr });
    case 'lion':
      return new Lion(params, { lr });
  }
}
