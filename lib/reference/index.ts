/**
 * The pure-TypeScript reference: every native kernel, following native/NUMERICS.md line by
 * line, so it produces the very same bits as every native ISA. Exported from the package
 * root as `reference` and used as the fallback backend when no native build loads.
 *
 * Like the native entry points it steps the given buffers in place; unlike them it does no
 * validation: callers (the optimizer classes) validate first.
 */
import type { Binding } from '../../binding.js';
import type { StepName } from '../generated/schema.js';
import { adagradStep } from './adagrad.js';
import { adamStep } from './adam.js';
import { lionStep } from './lion.js';
import { rmspropStep } from './rmsprop.js';
import { scale } from './scale.js';
import { sgdStep } from './sgd.js';
import { sumSquares } from './sum-squares.js';

export { adagradStep, adamStep, lionStep, rmspropStep, scale, sgdStep, sumSquares };
export { linregLossGrad } from './linreg.js';
export { mlpLossGrad, mlpForward } from './mlp.js';
export { gatherRows } from './gather.js';

/** The kernels both backends provide: the native binding and this reference satisfy it. */
export type Kernels = Pick<Binding, StepName | 'sumSquares' | 'scale'>;

/** The reference as one backend object (the type checks that it matches the binding). */
export const referenceKernels: Kernels = { adamStep, sgdStep, adagradStep, rmspropStep, lionStep, sumSquares, scale };
