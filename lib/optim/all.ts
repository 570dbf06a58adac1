/**
 * Every optimizer definition, in one list: what code that must cover every optimizer
 * iterates (the test registry, test/helpers/optimizers.ts, checks it has a row for each;
 * scripts/fuzz-binding.js takes the kernel families and state buffers from it).
 */
import { adagrad } from './adagrad.js';
import { adam, adamW } from './adam.js';
import type { OptimizerDefinition } from './definition.js';
import { lion } from './lion.js';
import { rmsprop } from './rmsprop.js';
import { sgd } from './sgd.js';

export const optimizerDefinitions: readonly OptimizerDefinition<object>[] = [adam, adamW, sgd, adagrad, rmsprop, lion];
