/**
 * The test registry: one row per optimizer (torch's `optim_db`, optax's
 * `_OPTIMIZERS_UNDER_TEST`), which every generic suite iterates instead of naming
 * optimizers: native vs reference on every ISA and wasm, property-based agreement, binding
 * rejections, option errors, state files, threads and async, torch agreement, and (through
 * optimizer-cases.json and lib/optim/all.ts) scripts/isa-bits-check.ts and
 * scripts/fuzz-binding.js. A new optimizer needs its definition in lib/optim/all.ts, its
 * entry in optimizer-cases.json (grid, longest path, class options, state facts) and a row
 * here (definition, class, arbitrary, option errors, torch fixture and bound); the check at
 * the bottom fails every suite while a definition of lib/optim/all.ts has no row.
 *
 * State fields are never listed here: they come from the definition's `buffers()`.
 */
import fc from 'fast-check';
import type { Kernels } from '../../lib/reference/index.js';
import { Adagrad, adagrad } from '../../lib/optim/adagrad.js';
import { Adam, AdamW, adam, adamW } from '../../lib/optim/adam.js';
import { optimizerDefinitions } from '../../lib/optim/all.js';
import type { CommonOptions, Optimizer, OptimizerDefinition, Params } from '../../lib/optim/optimizer.js';
import { Lion, lion } from '../../lib/optim/lion.js';
import { RMSprop, rmsprop } from '../../lib/optim/rmsprop.js';
import { SGD, sgd } from '../../lib/optim/sgd.js';
import type { ScalarFamily } from '../../lib/scalars.js';
import { casesOf, expandGrid, optimizerCases } from './optimizer-cases.js';
import { adagradBound, adamBound, exactBound, rmspropBound, sgdBound, type BoundStep } from './torch-bounds.js';

/** Options a constructor rejects. `text` is the message after `${name}: options` (and after `paramGroups[0]` between steps). */
export interface OptionError {
  options: object;
  error: typeof TypeError | typeof RangeError;
  text: string;
}

/** Every optimizer's options have a learning rate (schedulers and the suites' lr changes set it). */
export type AnyOptions = { lr: number };

export interface OptimizerRow<O extends AnyOptions = AnyOptions> {
  /** The definition's name, also the key of its entry in optimizer-cases.json. */
  readonly name: string;
  readonly definition: OptimizerDefinition<O>;
  /** The class over any named parameters. */
  create<K extends string>(params: Params<K>, options?: Partial<O> & CommonOptions<K, O>): Optimizer<K, O>;
  /** Full options: the native-vs-reference grid, every combination (optimizer-cases.json). */
  readonly grid: readonly O[];
  /** Every option on, so each kernel takes its longest path (not always valid for the class). */
  readonly longestPath: O;
  /** A valid, non-default configuration for the suites that drive the class. */
  readonly options: Partial<O>;
  /** Full options over orders of magnitude, for property-based agreement. */
  readonly arbitrary: fc.Arbitrary<O>;
  readonly errors: readonly OptionError[];
  readonly nonNegativeState: readonly string[];
  readonly firstStepOverwrites: readonly string[];
  /** test/fixtures/<fixture> from generate_torch.py, and the running error bound it is held to. */
  readonly torch: { fixture: string; bound: BoundStep };
}

type RowParts<O extends AnyOptions> = Pick<OptimizerRow<O>, 'definition' | 'create' | 'arbitrary' | 'errors' | 'torch'>;

/** A row: the parts written here, the data from optimizer-cases.json over the definition's defaults. */
function row<O extends AnyOptions>(parts: RowParts<O>): OptimizerRow<O> {
  const { definition } = parts;
  const cases = casesOf(definition.name);
  return {
    ...parts,
    name: definition.name,
    grid: expandGrid(definition.defaults, cases.grid),
    longestPath: { ...definition.defaults, ...cases.longestPath },
    options: cases.options as Partial<O>,
    nonNegativeState: cases.nonNegativeState,
    firstStepOverwrites: cases.firstStepOverwrites,
  };
}

/** 10^u for u uniform in [minExp, maxExp]: hyperparameters spread over orders of magnitude. */
export const logUniform = (minExp: number, maxExp: number) => fc.double({ min: minExp, max: maxExp, noNaN: true }).map((u) => 10 ** u);
export const orZero = (arb: fc.Arbitrary<number>) => fc.oneof(fc.constant(0), arb);
export const unitOpen = (min: number, max: number) => fc.double({ min, max, noNaN: true });

const adamOptions = fc.record({
  lr: logUniform(-6, 0),
  betas: fc.tuple(orZero(unitOpen(0, 0.999)), orZero(unitOpen(0.5, 0.99999))),
  eps: orZero(logUniform(-12, -2)),
  weightDecay: orZero(logUniform(-5, -1)),
  amsgrad: fc.boolean(),
  maximize: fc.boolean(),
});

const adamErrors: OptionError[] = [
  { options: { lr: -1 }, error: RangeError, text: '.lr must be a number ≥ 0, received -1' },
  { options: { betas: [0.9] }, error: TypeError, text: '.betas must be a pair [beta1, beta2]' },
  { options: { betas: [1, 0.999] }, error: RangeError, text: '.betas[0] must be a number ≥ 0 and < 1, received 1' },
  { options: { betas: [Number.NaN, 0.9] }, error: RangeError, text: '.betas[0] must be a finite number, received NaN' },
  { options: { betas: [0.9, 1] }, error: RangeError, text: '.betas[1] must be a number ≥ 0 and < 1, received 1' },
  { options: { eps: -1e-8 }, error: RangeError, text: '.eps must be a number ≥ 0, received -1e-8' },
  { options: { amsgrad: 1 }, error: TypeError, text: '.amsgrad must be a boolean, received 1' },
  { options: { maximize: 'no' }, error: TypeError, text: '.maximize must be a boolean, received "no"' },
];

export const optimizers: readonly OptimizerRow[] = [
  row({
    definition: adam,
    create: (params, options) => new Adam(params, options),
    arbitrary: adamOptions,
    errors: [
      ...adamErrors,
      {
        options: { weightDecay: Number.POSITIVE_INFINITY },
        error: RangeError,
        text: '.weightDecay must be a finite number, received Infinity',
      },
    ],
    torch: { fixture: 'adam.json', bound: adamBound(false) },
  }),
  row({
    definition: adamW,
    create: (params, options) => new AdamW(params, options),
    arbitrary: adamOptions,
    errors: [
      ...adamErrors,
      {
        options: { lr: 2, weightDecay: 1 },
        error: RangeError,
        text: ': lr × weightDecay must be ≤ 1 (AdamW multiplies parameters by 1 − lr × weightDecay), received 2 × 1',
      },
    ],
    torch: { fixture: 'adamw.json', bound: adamBound(true) },
  }),
  row({
    definition: sgd,
    create: (params, options) => new SGD(params, options),
    arbitrary: fc.record({
      lr: logUniform(-6, 0),
      momentum: orZero(unitOpen(0, 0.99)),
      dampening: orZero(unitOpen(0, 1)),
      weightDecay: orZero(logUniform(-5, -1)),
      nesterov: fc.boolean(),
      maximize: fc.boolean(),
    }),
    errors: [
      { options: { lr: Number.NaN }, error: RangeError, text: '.lr must be a finite number, received NaN' },
      { options: { momentum: -0.9 }, error: RangeError, text: '.momentum must be a number ≥ 0, received -0.9' },
      { options: { dampening: 1.5 }, error: RangeError, text: '.dampening must be a number ≥ 0 and ≤ 1, received 1.5' },
      { options: { weightDecay: '0' }, error: TypeError, text: '.weightDecay must be a number, received "0"' },
      {
        options: { momentum: 0, nesterov: true },
        error: RangeError,
        text: ': nesterov needs momentum > 0 and dampening 0, received momentum 0, dampening 0',
      },
      {
        options: { momentum: 0.9, dampening: 0.5, nesterov: true },
        error: RangeError,
        text: ': nesterov needs momentum > 0 and dampening 0, received momentum 0.9, dampening 0.5',
      },
    ],
    torch: { fixture: 'sgd.json', bound: sgdBound },
  }),
  row({
    definition: adagrad,
    create: (params, options) => new Adagrad(params, options),
    arbitrary: fc.record({
      lr: logUniform(-5, 0),
      lrDecay: orZero(logUniform(-4, -1)),
      weightDecay: orZero(logUniform(-5, -1)),
      initialAccumulatorValue: orZero(logUniform(-3, 1)),
      eps: orZero(logUniform(-12, -2)),
      maximize: fc.boolean(),
    }),
    errors: [
      { options: { lr: -0.1 }, error: RangeError, text: '.lr must be a number ≥ 0, received -0.1' },
      { options: { lrDecay: -1 }, error: RangeError, text: '.lrDecay must be a number ≥ 0, received -1' },
      {
        options: { initialAccumulatorValue: -0.5 },
        error: RangeError,
        text: '.initialAccumulatorValue must be a number ≥ 0, received -0.5',
      },
      { options: { eps: -1 }, error: RangeError, text: '.eps must be a number ≥ 0, received -1' },
      { options: { maximize: null }, error: TypeError, text: '.maximize must be a boolean, received null' },
    ],
    torch: { fixture: 'adagrad.json', bound: adagradBound },
  }),
  row({
    definition: rmsprop,
    create: (params, options) => new RMSprop(params, options),
    arbitrary: fc.record({
      lr: logUniform(-6, 0),
      alpha: orZero(unitOpen(0, 1)),
      eps: orZero(logUniform(-12, -2)),
      weightDecay: orZero(logUniform(-5, -1)),
      momentum: orZero(unitOpen(0, 0.99)),
      centered: fc.boolean(),
      maximize: fc.boolean(),
    }),
    errors: [
      { options: { lr: -0.1 }, error: RangeError, text: '.lr must be a number ≥ 0, received -0.1' },
      { options: { alpha: 1.5 }, error: RangeError, text: '.alpha must be a number ≥ 0 and ≤ 1, received 1.5' },
      { options: { eps: -1 }, error: RangeError, text: '.eps must be a number ≥ 0, received -1' },
      { options: { momentum: -0.9 }, error: RangeError, text: '.momentum must be a number ≥ 0, received -0.9' },
      { options: { centered: 1 }, error: TypeError, text: '.centered must be a boolean, received 1' },
      { options: { maximize: 'yes' }, error: TypeError, text: '.maximize must be a boolean, received "yes"' },
    ],
    torch: { fixture: 'rmsprop.json', bound: rmspropBound },
  }),
  row({
    definition: lion,
    create: (params, options) => new Lion(params, options),
    // lr and the lr a schedule changes it to stay ≤ 1, so lr · weightDecay ≤ 1 as the class requires.
    arbitrary: fc.record({
      lr: logUniform(-6, 0),
      betas: fc.tuple(orZero(unitOpen(0, 0.999)), orZero(unitOpen(0, 0.99999))),
      weightDecay: orZero(logUniform(-4, 0)),
    }),
    errors: [
      { options: { lr: -1 }, error: RangeError, text: '.lr must be a number ≥ 0, received -1' },
      { options: { betas: [0.9] }, error: TypeError, text: '.betas must be a pair [beta1, beta2]' },
      { options: { betas: [0.9, 1] }, error: RangeError, text: '.betas[1] must be a number ≥ 0 and < 1, received 1' },
      { options: { weightDecay: -0.1 }, error: RangeError, text: '.weightDecay must be a number ≥ 0, received -0.1' },
      {
        options: { lr: 0.5, weightDecay: 3 },
        error: RangeError,
        text: ': lr × weightDecay must be ≤ 1 (Lion multiplies parameters by 1 − lr × weightDecay), received 0.5 × 3',
      },
    ],
    torch: { fixture: 'lion.json', bound: exactBound },
  }),
];

/** The state buffers' keys of `o` under `options`, from its definition. */
export function stateFieldsOf(o: OptimizerRow, options: AnyOptions): string[] {
  return o.definition.buffers(options).map((b) => b.key);
}

/** A kernel entry point that steps a tensor list with one family's scalars (object or packed). */
export type StepKernel = (tensors: readonly object[], scalars: object) => void;

/** `${family}Step` of `kernels` (binding.d.ts names them so); throws when it has none. */
export function stepKernel(kernels: Kernels, family: ScalarFamily): StepKernel {
  const fn = (kernels as unknown as Record<string, StepKernel | undefined>)[`${family}Step`];
  if (typeof fn !== 'function') throw new Error(`these kernels have no ${family}Step`);
  return (tensors, scalars) => fn.call(kernels, tensors, scalars);
}

/** Every definition of the library has a row, every row a definition, every case entry a row. */
function checkCoverage(): void {
  const names = optimizers.map((o) => o.name);
  const defined = optimizerDefinitions.map((d) => d.name);
  const missing = defined.filter((n) => !names.includes(n));
  const extra = [...names, ...Object.keys(optimizerCases)].filter((n) => !defined.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `test registry out of step with lib/optim/all.ts: no row for [${missing.join(', ')}], rows or cases for no definition [${extra.join(', ')}]`,
    );
  }
}
checkCoverage();
