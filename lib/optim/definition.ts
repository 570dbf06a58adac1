/**
 * What an optimizer is made of: a small definition (defaults, validation, state buffers,
 * per-step scalars) that the `Optimizer` base class runs. Hyperparameters live in parameter
 * groups; state lives apart, per parameter.
 */
import type { FloatArray } from '../../binding.js';
import type { BackendName } from '../backend.js';
import type { ScalarFamily } from '../scalars.js';

export type Params<K extends string> = Record<K, FloatArray>;
export type Grads<K extends string> = Record<K, FloatArray>;

/** One parameter group: its parameters' names (fixed) and its own hyperparameters (mutable between steps). */
export type ParamGroup<K extends string, O> = { readonly params: readonly K[] } & O;

/** Options common to every optimizer. */
export interface CommonOptions<K extends string, O> {
  /** Default: native when the addon loads, else the TypeScript reference (with one warning). */
  backend?: BackendName;
  /** Skip (and report) a step whose gradients hold NaN or ±Infinity: nothing changes. */
  skipNonFinite?: boolean;
  /**
   * Native backend: most threads a step is split across (default: every core; small steps
   * use fewer). Results are bit-identical for every count.
   */
  threads?: number;
  /** Parameter groups with their own hyperparameters; parameters in no group use the top-level ones. */
  groups?: ReadonlyArray<{ params: readonly K[] } & Partial<O>>;
}

export interface StepResult {
  /** True when `skipNonFinite` found a non-finite gradient and nothing was changed. */
  skipped: boolean;
  /** The number of steps taken so far. */
  step: number;
}

/** A state buffer of every parameter (e.g. Adam's `expAvg`), with its initial value. */
export interface StateBuffer {
  key: string;
  initial: number;
}

/** The object a kernel receives per parameter: binding.d.ts's tensor shapes. */
export interface TensorSlot {
  name: string;
  param: FloatArray;
  grad: FloatArray;
  [buffer: string]: FloatArray | string;
}

export interface StepContext {
  /** The step being taken, from 1. */
  step: number;
  /** True when this group's state buffers were created for this step (torch: state was empty). */
  fresh: boolean;
}

export interface OptimizerDefinition<O> {
  readonly name: string;
  readonly defaults: Readonly<O>;
  /** Every state buffer key this optimizer may create (for loading saved state). */
  readonly stateKeys: readonly string[];
  /** Throws a TypeError/RangeError naming `${where}.${option}`. */
  validate(options: O, where: string): void;
  /** The state buffers each parameter needs under these options. */
  buffers(options: O): readonly StateBuffer[];
  /** The kernel family: binding.d.ts's `${kernel}Step`, `${kernel}StepAsync` and `${kernel}Plan`. */
  readonly kernel: ScalarFamily;
  /** This step's scalars for one group (lib/scalars.ts: the one place they are computed). */
  scalars(options: O, context: StepContext): object;
}
