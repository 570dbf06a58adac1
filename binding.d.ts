/**
 * The typed contract of the native addon (native/src/binding/*.cpp): the module's exports
 * are a `Binding`. Loaded by lib/native.ts; users go through the optimizer classes instead.
 *
 * Every entry point validates the whole call before it touches memory: a rejected call
 * throws a TypeError or RangeError naming the tensor (`tensors[i] ("name").field`) or the
 * scalar, and writes nothing. All arrays of one call share one dtype, set by
 * `tensors[0].param` (or `arrays[0]`); every field of a tensor has its param's length; no
 * buffer that is written may share memory with any other buffer of the call. Views may be
 * over an ArrayBuffer or a SharedArrayBuffer, at any byteOffset. Zero-length tensors are a
 * no-op. Per-step scalars are computed by lib/scalars.ts (native/NUMERICS.md).
 */

export type FloatArray = Float32Array | Float64Array;
export type IsaName = 'scalar' | 'avx2' | 'avx512' | 'neon';

export interface AdamTensor {
  /** Used in error messages only. */
  name?: string;
  param: FloatArray;
  grad: FloatArray;
  expAvg: FloatArray;
  expAvgSq: FloatArray;
  /** Required when `amsgrad` is true. */
  maxExpAvgSq?: FloatArray;
}

export interface AdamScalars {
  beta1: number; // [0, 1)
  oneMinusBeta1: number; // (0, 1]
  beta2: number; // [0, 1)
  oneMinusBeta2: number; // (0, 1]
  stepSize: number; // ≥ 0: lr · sqrt(1 − β2ᵗ) / (1 − β1ᵗ)
  eps: number; // ≥ 0: eps · sqrt(1 − β2ᵗ)
  weightDecay: number; // ≥ 0: L2 coefficient, 0 = off
  decay: number; // [0, 1]: decoupled factor 1 − lr · weightDecay, 1 = off
  amsgrad?: boolean;
  maximize?: boolean;
}

export interface SgdTensor {
  name?: string;
  param: FloatArray;
  grad: FloatArray;
  /** Required when `momentum` is not 0. */
  momentumBuffer?: FloatArray;
}

export interface SgdScalars {
  lr: number; // ≥ 0
  momentum: number; // ≥ 0
  oneMinusDampening: number; // [0, 1]
  weightDecay: number; // ≥ 0
  /** The momentum buffer is set to the gradient instead of updated (torch's first step). */
  firstStep?: boolean;
  nesterov?: boolean;
  maximize?: boolean;
}

export interface AdagradTensor {
  name?: string;
  param: FloatArray;
  grad: FloatArray;
  stateSum: FloatArray;
}

export interface AdagradScalars {
  clr: number; // ≥ 0: lr / (1 + (t − 1) · lrDecay)
  eps: number; // ≥ 0
  weightDecay: number; // ≥ 0
  maximize?: boolean;
}

export interface RmspropTensor {
  name?: string;
  param: FloatArray;
  grad: FloatArray;
  squareAvg: FloatArray;
  /** Required when `centered` is true. */
  gradAvg?: FloatArray;
  /** Required when `momentum` is not 0. */
  momentumBuffer?: FloatArray;
}

export interface RmspropScalars {
  lr: number; // ≥ 0
  alpha: number; // [0, 1]
  oneMinusAlpha: number; // [0, 1]: 1 − alpha
  eps: number; // ≥ 0
  weightDecay: number; // ≥ 0: L2 coefficient, 0 = off
  momentum: number; // ≥ 0
  centered?: boolean;
  maximize?: boolean;
}

export interface LionTensor {
  name?: string;
  param: FloatArray;
  grad: FloatArray;
  expAvg: FloatArray;
}

export interface LionScalars {
  lr: number; // ≥ 0
  beta1: number; // [0, 1)
  oneMinusBeta1: number; // (0, 1]
  beta2: number; // [0, 1)
  oneMinusBeta2: number; // (0, 1]
  decay: number; // [0, 1]: decoupled factor 1 − lr · weightDecay, 1 = off
}

export type LinregLossName = 'mse' | 'mae' | 'huber';

/** One full-batch evaluation of the linear model y ≈ X·w + b; every array has x's dtype. */
export interface LinregArgs {
  /** Row-major, rows · cols elements. */
  x: FloatArray;
  rows: number; // integer ≥ 1
  cols: number; // integer ≥ 1
  y: FloatArray; // rows
  weights: FloatArray; // cols
  bias: FloatArray; // 1
  /** Written: ∂loss/∂w (cols) and ∂loss/∂b (1). */
  gradWeights: FloatArray;
  gradBias: FloatArray;
  /** Written when given: X·w + b (rows). */
  predictions?: FloatArray;
  /** Default 'mse'. Every loss is the mean over rows. */
  loss?: LinregLossName;
  /** Huber threshold, > 0; required when loss is 'huber'. */
  delta?: number;
}

export type MlpLossName = 'mse' | 'mae' | 'huber' | 'binaryCrossentropy' | 'sparseCategoricalCrossentropy';

/**
 * One batch through a stack of dense layers (native/NUMERICS.md, "Neural networks"); every
 * float array has x's dtype.
 */
export interface MlpArgs {
  /** Row-major, rows · layers[0] elements. */
  x: FloatArray;
  rows: number; // integer ≥ 1
  /**
   * Four integers per layer: inputs, units, activation (0 linear, 1 relu, 2 tanh, 3 sigmoid),
   * useBias (0 or 1). Layer l's inputs equal layer l−1's units.
   */
  layers: Uint32Array;
  /** Every layer's kernel (inputs × units, row-major) then its bias (units, if used), in layer order. */
  params: FloatArray;
  /** mlpLossGrad: written, the gradient of the mean loss, laid out as params. */
  grads?: FloatArray;
  /** mlpLossGrad: rows · units of the last layer, or rows labels for the softmax loss. */
  y?: FloatArray;
  /** Default 'mse'. */
  loss?: MlpLossName;
  /** Huber threshold, > 0; required when loss is 'huber'. */
  delta?: number;
  /** Written when given (mlpForward: required): the last layer's outputs, rows · units. */
  output?: FloatArray;
}

export interface LinregOptions {
  /**
   * Most threads to split the pass across (the calling thread included), an integer in
   * [1, 1024]. Default: every hardware thread. Under 32,768 elements of x per thread use
   * fewer, and never more than twice the hardware threads (the pool's cap; its threads exit
   * after 1 s unused). Results are bit-identical whatever the count: rows are summed in blocks of 1,024
   * whose sums are added in order (native/NUMERICS.md).
   */
  threads?: number;
}

/** One kernel call of a prepared step: a parameter group's tensors of one dtype. */
export interface PlanCall<Tensor> {
  group: number;
  tensors: readonly Tensor[];
}

/** A prepared step (an opaque native handle). */
export interface StepPlan {
  readonly __stepPlan: unique symbol;
}

export interface StepOptions {
  /**
   * Most threads to split the step across (the calling thread included), an integer in
   * [1, 1024]. Default: every hardware thread. Steps under 32,768 elements per thread use
   * fewer, and never more than twice the hardware threads (the pool's cap; its threads exit
   * after 1 s unused); results are bit-identical whatever the count (the kernels are element-wise).
   */
  threads?: number;
}

/**
 * The order of each optimizer's scalars in their packed form: a Float64Array with one value
 * per key (flags as 0 or 1). A step reads a packed array with one Node-API call instead of
 * one property read per scalar, which is most of the fixed cost of a small step.
 */
export interface ScalarKeys {
  readonly adam: readonly ['beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'stepSize', 'eps', 'weightDecay', 'decay', 'amsgrad', 'maximize'];
  readonly sgd: readonly ['lr', 'momentum', 'oneMinusDampening', 'weightDecay', 'firstStep', 'nesterov', 'maximize'];
  readonly adagrad: readonly ['clr', 'eps', 'weightDecay', 'maximize'];
  readonly rmsprop: readonly ['lr', 'alpha', 'oneMinusAlpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'];
  readonly lion: readonly ['lr', 'beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'decay'];
}

export interface Binding {
  /** The instruction set in use: the best this CPU runs, or the one ADAM_SIMD_ISA forced. */
  readonly isa: IsaName;
  /** Every instruction set this CPU and build can run, worst to best. */
  readonly isas: readonly IsaName[];
  /** Order of the packed scalars each step also accepts (frozen). */
  readonly scalarKeys: ScalarKeys;

  /** `scalars`: the object, or the same values packed in `scalarKeys.adam` order. */
  adamStep(tensors: readonly AdamTensor[], scalars: AdamScalars | Float64Array, options?: StepOptions): void;
  sgdStep(tensors: readonly SgdTensor[], scalars: SgdScalars | Float64Array, options?: StepOptions): void;
  adagradStep(tensors: readonly AdagradTensor[], scalars: AdagradScalars | Float64Array, options?: StepOptions): void;
  rmspropStep(tensors: readonly RmspropTensor[], scalars: RmspropScalars | Float64Array, options?: StepOptions): void;
  lionStep(tensors: readonly LionTensor[], scalars: LionScalars | Float64Array, options?: StepOptions): void;

  /**
   * The same steps on a libuv worker thread; the promise resolves when done. Every array
   * must be over a SharedArrayBuffer (TypeError otherwise): a plain ArrayBuffer could be
   * transferred to another thread while the step writes into it. Validation happens
   * synchronously, before the promise is returned; the arrays stay referenced until it
   * settles.
   */
  adamStepAsync(tensors: readonly AdamTensor[], scalars: AdamScalars | Float64Array, options?: StepOptions): Promise<void>;
  sgdStepAsync(tensors: readonly SgdTensor[], scalars: SgdScalars | Float64Array, options?: StepOptions): Promise<void>;
  adagradStepAsync(tensors: readonly AdagradTensor[], scalars: AdagradScalars | Float64Array, options?: StepOptions): Promise<void>;
  rmspropStepAsync(tensors: readonly RmspropTensor[], scalars: RmspropScalars | Float64Array, options?: StepOptions): Promise<void>;
  lionStepAsync(tensors: readonly LionTensor[], scalars: LionScalars | Float64Array, options?: StepOptions): Promise<void>;

  /**
   * Prepared steps: validates the tensors of every call (one parameter group and one dtype
   * each, `group` indexing the packed scalars) once, as adamStep would, and returns a plan
   * for runStep. Optional fields a tensor has (maxExpAvgSq) are included whether or not the
   * first step's scalars need them. Written regions are compared by address across every
   * call, so two SharedArrayBuffer objects over the same memory are caught. `options.threads`
   * holds for every step of the plan.
   */
  adamPlan(calls: readonly PlanCall<AdamTensor>[], groups: number, options?: StepOptions): StepPlan;
  sgdPlan(calls: readonly PlanCall<SgdTensor>[], groups: number, options?: StepOptions): StepPlan;
  adagradPlan(calls: readonly PlanCall<AdagradTensor>[], groups: number, options?: StepOptions): StepPlan;
  rmspropPlan(calls: readonly PlanCall<RmspropTensor>[], groups: number, options?: StepOptions): StepPlan;
  lionPlan(calls: readonly PlanCall<LionTensor>[], groups: number, options?: StepOptions): StepPlan;
  /**
   * One step of every call of `plan`; `scalars` packs every group's scalars (groups ×
   * scalarKeys, in group order). Returns false, writing nothing, when a buffer of the plan
   * was detached, transferred or resized since it was made: plan again (which names it).
   * Bad scalars throw as adamStep's do, before anything is written.
   */
  runStep(plan: StepPlan, scalars: Float64Array): boolean;
  /**
   * The same on a libuv worker (every array over a SharedArrayBuffer, TypeError otherwise);
   * the plan refuses every call until the promise settles. False as runStep's.
   */
  runStepAsync(plan: StepPlan, scalars: Float64Array): Promise<void> | false;
  /**
   * Puts `grad` in tensor `slot` of the plan (the tensors of every call, in order). False,
   * changing nothing, when it does not fit (dtype, length, memory a step writes): plan again.
   */
  replaceStepGrad(plan: StepPlan, slot: number, grad: FloatArray): boolean;

  /** Σx² over all arrays in the canonical order of native/NUMERICS.md, accumulated in float64 for both dtypes. */
  sumSquares(arrays: readonly FloatArray[]): number;
  /** x ← x · factor, in place, in the arrays' type. */
  scale(arrays: readonly FloatArray[], factor: number): void;

  /** Benchmark baseline: the memory traffic of adamStep with no arithmetic. */
  adamTraffic(tensors: readonly AdamTensor[], options?: StepOptions): void;

  /**
   * Predictions, mean loss and gradients of a linear model in one pass over x, in the order
   * of native/NUMERICS.md ("Linear regression"). Returns the mean loss (in x's type).
   */
  linregLossGrad(args: LinregArgs, options?: LinregOptions): number;
  /**
   * Full-batch epochs of a linear regression in one call: per epoch, linregLossGrad(args)
   * (options: its threads), then one step of `plan` with that epoch's scalars (`scalars`:
   * epochs × groups × scalarKeys, every epoch's checked before the first runs). Stops after
   * the first non-finite loss, whose epoch takes no step. Returns every epoch's loss and the
   * parameters before the last step taken (weights, then bias; null when none was), or
   * false, writing nothing, when a buffer of the plan changed since it was made. args.x, y,
   * gradWeights and gradBias must not share memory with what a step writes; no predictions.
   */
  trainLinreg(plan: StepPlan, args: LinregArgs, scalars: Float64Array, options?: LinregOptions): { losses: Float64Array; previous: Float64Array | null } | false;
  /** Mean loss of the batch; writes args.grads (and args.output when given). */
  mlpLossGrad(args: MlpArgs, options?: LinregOptions): number;
  /** The network's outputs into args.output (no loss, no gradients). */
  mlpForward(args: MlpArgs, options?: LinregOptions): void;
  /** Benchmark baseline: `iterations` rounds of independent no-FMA vector multiplies and adds; returns the flops done. */
  mlpPeak(iterations: number, dtype?: 'f32' | 'f64'): number;
  /**
   * Benchmark baseline: reads x once (returns its sum, in no specified order), split across
   * threads like linregLossGrad.
   */
  readOnce(x: FloatArray, options?: LinregOptions): number;

  /**
   * Copies row `indices[r]` of `source` (row-major, `cols` elements a row) into row r of
   * `target`, bit for bit, for every r: a mini-batch in the order of a (shuffled) index list.
   * `target` has the dtype of `source` and `indices.length · cols` elements, and shares no
   * memory with the other two. Every index is checked before any row is written.
   */
  gatherRows(source: FloatArray, cols: number, indices: Uint32Array, target: FloatArray): void;

  /**
   * Bytes past the last 64-byte boundary where the array's first element lies (0–63), so
   * JavaScript can start arrays on a cache line (lib/data/aligned.ts): a 64-byte vector load
   * then never straddles two lines.
   */
  byteMisalignment(array: FloatArray): number;

  /**
   * The same entry points bound to another ISA this CPU runs (tests and benchmarks compare
   * ISAs in one process). Throws a RangeError for an ISA this CPU or build cannot run.
   */
  forIsa(isa: IsaName): Binding;
}
