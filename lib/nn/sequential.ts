/**
 * A stack of Dense layers, as Keras' Sequential. Its parameters are views of one buffer
 * (createParameters), in layer order, so one optimizer call steps every layer; the forward
 * and backward passes run in one kernel call (native, or the bit-identical reference).
 */
import type { FloatArray, MlpArgs, MlpLossName } from '../../binding.js';
import { createParameters, type Arena } from '../arena.js';
import type { BackendName } from '../backend.js';
import { Adam } from '../optim/adam.js';
import { allocate, type Dtype, type LegacyDtype, type Matrix } from '../data/matrix.js';
import { seededRandom } from '../data/random.js';
import { ACTIVATIONS } from '../reference/mlp.js';
import { checkDtype, checkKnownKeys, checkNumber, checkOneOf, checkPlainObject, describe, typeError } from '../validate.js';
import { checkInputs, checkTargets, LOSSES, lossName, type NetworkShape } from './checks.js';
import type { TrainableModel } from '../trainer/model.js';
import { Dense } from './dense.js';
import { fit, type FitHistory, type FitOptions } from './fit.js';
import { initializeKernel } from './init.js';
import { checkWeights, readModel, saveModel } from './save.js';
import type { StateDict } from '../optim/state-dict.js';
import { mlpKernels, type MlpKernels } from './kernel.js';

export interface SequentialOptions {
  /** Seed of the kernel initialisers. Default 0. */
  seed?: number;
  /** Default 'float32', as Keras ('f32' / 'f64' are the deprecated spelling). */
  dtype?: Dtype | LegacyDtype;
  /** Kernels: default native when it loads, else the TypeScript reference. */
  backend?: BackendName;
}

export interface LossGradOptions {
  /** Default 'mse'. */
  loss?: MlpLossName | string;
  /** Huber threshold. Default 1. */
  delta?: number;
  /** Most threads of the native kernels, in [1, 1024]; the bits are the same for every count. */
  threads?: number;
  /** Kernels of this call (the bits are the same on both). Default the model's backend. */
  backend?: BackendName;
}

export type Weights = Readonly<Record<string, FloatArray>>;

const BACKENDS = ['native', 'js'] as const;

export class Sequential implements TrainableModel<Weights> {
  readonly layers: readonly Dense[];
  readonly dtype: Dtype;
  readonly seed: number;
  /** `dense0.kernel` (inputs × units, row-major as Keras), `dense0.bias`, `dense1.kernel`, … */
  readonly params: Weights;
  /** The parameters as one array, in the order of `params`. */
  readonly allParams: FloatArray;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly losses = LOSSES;
  private readonly spec: Uint32Array;
  private readonly kernels: MlpKernels;
  /** Flat array behind each grads record made by createGrads (so the kernel writes it directly). */
  private readonly flatGrads = new WeakMap<object, FloatArray>();
  private adam: Adam<string> | undefined;
  /** The optimizer state a loaded file held, if any (for an optimizer's loadStateDict). */
  optimizerState: StateDict | undefined;

  constructor(layers: readonly Dense[], options: SequentialOptions = {}) {
    if (!Array.isArray(layers) || layers.length === 0)
      throw new TypeError(`Sequential: layers must be a non-empty array of Dense layers, received ${describe(layers)}`);
    layers.forEach((layer, l) => {
      if (!(layer instanceof Dense)) throw new TypeError(`Sequential: layers[${l}] must be a Dense layer, received ${describe(layer)}`);
    });
    const o = checkPlainObject('Sequential: options', options);
    checkKnownKeys('Sequential: options', o, ['seed', 'dtype', 'backend']);
    this.dtype = o.dtype === undefined ? 'float32' : checkDtype('Sequential: options.dtype', o.dtype);
    this.seed = o.seed === undefined ? 0 : checkNumber('Sequential: options.seed', o.seed, { integer: true });
    this.kernels = mlpKernels(o.backend === undefined ? undefined : checkOneOf('Sequential: options.backend', o.backend, BACKENDS));
    const first = layers[0]!.inputSize;
    if (first === undefined)
      throw new RangeError('Sequential: layers[0] needs inputSize (the number of input features), as Keras needs input_shape');
    this.layers = [...layers];
    this.inputSize = first;
    this.outputSize = layers[layers.length - 1]!.units;
    this.spec = new Uint32Array(4 * layers.length);
    const lengths: Record<string, number> = {};
    let inputs = first;
    layers.forEach((layer, l) => {
      if (l > 0 && layer.inputSize !== undefined && layer.inputSize !== inputs) {
        throw new RangeError(`Sequential: layers[${l}] has inputSize ${layer.inputSize} but layers[${l - 1}] has ${inputs} units`);
      }
      this.spec.set([inputs, layer.units, ACTIVATIONS.indexOf(layer.activation), layer.useBias ? 1 : 0], 4 * l);
      lengths[`dense${l}.kernel`] = inputs * layer.units;
      if (layer.useBias) lengths[`dense${l}.bias`] = layer.units;
      inputs = layer.units;
    });
    const arena = this.arena(lengths);
    this.params = arena.params;
    this.allParams = arena.allParams;
    const random = seededRandom(this.seed);
    layers.forEach((layer, l) => {
      const s = this.spec;
      initializeKernel(this.params[`dense${l}.kernel`]!, s[4 * l]!, s[4 * l + 1]!, layer.kernelInitializer, random);
    });
  }

  get backend(): BackendName {
    return this.kernels.backend;
  }

  /** Gradients with the names and lengths of `params`, views of one buffer (frozen). */
  createGrads(): Weights {
    const arena = this.arena(Object.fromEntries(Object.entries(this.params).map(([name, p]) => [name, p.length])));
    this.flatGrads.set(arena.grads, arena.allGrads);
    return arena.grads;
  }

  /** The last layer's outputs for every row of X (rows · units, row-major). */
  predict(x: Matrix, options: { threads?: number } = {}): FloatArray {
    const o = checkPlainObject('predict: options', options);
    checkKnownKeys('predict: options', o, ['threads']);
    checkInputs('predict', x, this.shape());
    const output = allocate(this.dtype, x.rows * this.outputSize);
    this.kernels.forward(this.args(x, { output }), this.threadOptions(o.threads));
    return output;
  }

  /**
   * Mean loss of the batch; writes its gradient into `grads` (names and lengths of params).
   * Everything is checked first: a rejected call writes nothing.
   */
  lossGrad(x: Matrix, y: FloatArray, grads: Record<string, FloatArray>, options: LossGradOptions = {}): number {
    const o = checkPlainObject('lossGrad: options', options);
    checkKnownKeys('lossGrad: options', o, ['loss', 'delta', 'threads', 'backend']);
    const loss = o.loss === undefined ? 'mse' : lossName('lossGrad: options.loss', o.loss);
    const delta = o.delta === undefined ? 1 : checkNumber('lossGrad: options.delta', o.delta, { above: 0 });
    const kernels = o.backend === undefined ? this.kernels : mlpKernels(checkOneOf('lossGrad: options.backend', o.backend, BACKENDS));
    this.checkData('lossGrad', x, y, loss);
    const flat = this.flatGrads.get(grads) ?? this.checkGrads(grads);
    const value = kernels.lossGrad(this.args(x, { y, grads: flat, loss, delta }), this.threadOptions(o.threads));
    if (!this.flatGrads.has(grads)) this.scatter(flat, grads);
    return value;
  }

  /**
   * Keras' fit: mini-batches of 32 by default, optimizer Adam lr 0.001 by default (one per
   * model, kept across calls so a second fit resumes its moments), loss 'mse' by default.
   */
  fit(x: Matrix, y: FloatArray, options: FitOptions = {}): FitHistory {
    return fit(this, () => (this.adam ??= new Adam(this.params, { lr: 0.001 })), x, y, options);
  }

  /**
   * Writes the architecture and weights to `path` (atomically), with the state of
   * `options.optimizer` (default: the Adam of fit(), once it exists) unless it is false.
   */
  async save(path: string, options: { optimizer?: { stateDict(): StateDict } | false } = {}): Promise<void> {
    const o = checkPlainObject('Sequential.save: options', options);
    checkKnownKeys('Sequential.save: options', o, ['optimizer']);
    if (
      o.optimizer !== undefined &&
      o.optimizer !== false &&
      typeof (o.optimizer as { stateDict?: unknown } | null)?.stateDict !== 'function'
    ) {
      throw typeError('Sequential.save: options.optimizer', 'an optimizer (with stateDict()) or false', o.optimizer);
    }
    const optimizer = options.optimizer === false ? undefined : (options.optimizer ?? this.adam);
    await saveModel(this, path, optimizer?.stateDict() as StateDict | undefined);
  }

  /**
   * A model from a file of save(): the same architecture and weights, bit for bit. Saved
   * optimizer state is in `optimizerState`; fit()'s default Adam resumes from it.
   */
  static async load(path: string, options: { backend?: BackendName } = {}): Promise<Sequential> {
    const o = checkPlainObject('Sequential.load: options', options);
    checkKnownKeys('Sequential.load: options', o, ['backend']);
    const file = await readModel(path);
    const model = new Sequential(file.layers, { dtype: file.architecture.dtype, seed: file.architecture.seed, ...o });
    checkWeights(path, model, file.weights);
    if (file.optimizer?.optimizer === 'Adam') {
      const adam = new Adam(model.params, { lr: 0.001 });
      adam.loadStateDict(file.optimizer as StateDict<never>);
      model.adam = adam;
    }
    for (const [name, w] of Object.entries(file.weights)) model.params[name]!.set(w);
    model.optimizerState = file.optimizer;
    return model;
  }

  /** Mean loss over (X, y), as Keras' evaluate. */
  evaluate(x: Matrix, y: FloatArray, options: LossGradOptions = {}): number {
    return this.lossGrad(x, y, this.createGrads(), options);
  }

  /** The Trainer's check of a training set (named 'train' in its messages). */
  checkTrainingData(x: Matrix, y: FloatArray, loss: MlpLossName): void {
    this.checkData('train', x, y, loss);
  }

  /** Throws unless (X, y) fit this network and `loss`, naming `where` and the bad value. */
  checkData(where: string, x: Matrix, y: FloatArray, loss: MlpLossName): void {
    checkInputs(where, x, this.shape());
    checkTargets(where, y, x.rows, loss, this.shape());
  }

  private shape(): NetworkShape {
    return {
      inputs: this.inputSize,
      units: this.outputSize,
      lastActivation: this.layers[this.layers.length - 1]!.activation,
      dtype: this.dtype,
    };
  }

  private args(x: Matrix, rest: Partial<MlpArgs>): MlpArgs {
    return { x: x.data, rows: x.rows, layers: this.spec, params: this.allParams, ...rest };
  }

  private threadOptions(threads: unknown): { threads: number } | undefined {
    return threads === undefined ? undefined : { threads: checkNumber('options.threads', threads, { min: 1, max: 1024, integer: true }) };
  }

  private arena(lengths: Record<string, number>): Arena<string, FloatArray> {
    return createParameters(lengths, { dtype: this.dtype }) as Arena<string, FloatArray>;
  }

  /** A grads record not made by createGrads: checked, and written through a scratch array. */
  private checkGrads(grads: Record<string, FloatArray>): FloatArray {
    const g = checkPlainObject('lossGrad: grads', grads) as Record<string, unknown>;
    for (const [name, p] of Object.entries(this.params)) {
      const v = g[name];
      const Ctor = p.constructor as typeof Float32Array;
      if (!(v instanceof Ctor) || v.length !== p.length) {
        throw new TypeError(
          `lossGrad: grads['${name}'] must be a ${Ctor.name} of ${p.length} elements like params['${name}'] (see createGrads), received ${describe(v)}`,
        );
      }
    }
    return allocate(this.dtype, this.allParams.length);
  }

  private scatter(flat: FloatArray, grads: Record<string, FloatArray>): void {
    let offset = 0;
    for (const [name, p] of Object.entries(this.params)) {
      grads[name]!.set(flat.subarray(offset, offset + p.length));
      offset += p.length;
    }
  }
}
