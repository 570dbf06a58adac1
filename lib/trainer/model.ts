/**
 * What a Trainer needs of a model. LinearRegression and Sequential both implement it, so one
 * Trainer (mini-batches, seeded shuffle, partialFit, early stopping, schedulers, history)
 * trains either the same way.
 */
import type { FloatArray, MlpLossName } from '../../binding.js';
import type { BackendName } from '../backend.js';
import type { Dtype, Matrix } from '../data/matrix.js';

/** Named gradients (or parameters), as an optimizer's step takes them. */
export type GradRecord = Readonly<Record<string, FloatArray>>;

export interface ModelLossOptions {
  loss: MlpLossName;
  /** Huber threshold. */
  delta: number;
  /** Most threads of the native kernel; the bits are the same for every count. */
  threads?: number;
  /** Backend of this call's kernel; default the model's own. */
  backend?: BackendName;
}

export interface TrainableModel<G extends GradRecord = GradRecord> {
  readonly dtype: Dtype;
  /** Features per row of X. */
  readonly inputSize: number;
  /** Outputs per row (the targets per row, except class labels: one per row). */
  readonly outputSize: number;
  /** Every trained array by name; the Trainer snapshots them to undo a diverged step. */
  readonly params: GradRecord;
  /** The losses lossGrad computes. */
  readonly losses: readonly MlpLossName[];
  /** A gradient record with the names and lengths of params, for lossGrad to write. */
  createGrads(): G;
  /** Throws (naming the bad value) unless (X, y) is a training set of this model for `loss`. */
  checkTrainingData(x: Matrix, y: FloatArray, loss: MlpLossName): void;
  /** Mean loss of the batch; writes its gradient into grads. */
  lossGrad(x: Matrix, y: FloatArray, grads: G, options: ModelLossOptions): number;
  predict(x: Matrix): FloatArray;
}
