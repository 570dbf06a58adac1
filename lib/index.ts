/**
 * adam-simd: SIMD Adam, AdamW, SGD, Adagrad, RMSprop and Lion for Node.js, bit-identical to a
 * pure-TypeScript reference. See README.md.
 */
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { SGD, type SgdOptions } from './optim/sgd.js';
export { Adagrad, type AdagradOptions } from './optim/adagrad.js';
export { RMSprop, type RmspropOptions } from './optim/rmsprop.js';
export { Lion, type LionOptions } from './optim/lion.js';
export type {
  Optimizer,
  Params,
  Grads,
  ParamGroup,
  CommonOptions,
  StepResult,
  OptimizerDefinition,
  StateBuffer,
  StepContext,
  TensorSlot,
} from './optim/optimizer.js';
export type { StateDict } from './optim/state-dict.js';
export { createParameters, type Arena, type ArenaOptions, type ArrayOf } from './arena.js';
export { clipGradNorm, clipGradValue, type GradList } from './clip.js';
export { info, type Info, type BackendName } from './backend.js';
export * as reference from './reference/index.js';
export * as scalars from './scalars.js';
export type {
  FloatArray,
  IsaName,
  Binding,
  ScalarKeys,
  AdamScalars,
  SgdScalars,
  AdagradScalars,
  RmspropScalars,
  LionScalars,
  AdamTensor,
  SgdTensor,
  AdagradTensor,
  RmspropTensor,
  LionTensor,
  LinregArgs,
  LinregOptions,
  LinregLossName,
  StepPlan,
  PlanCall,
  StepOptions,
  TrainLinregOptions,
} from '../binding.js';
export type { LegacyDtype } from './validate.js';
export type { BindingOrigin } from './native.js';
export * from './schedulers/index.js';
export { LinearRegression, type LinearRegressionOptions, type LinearRegressionJson, type LinearParams } from './model/linear-regression.js';
export { regressionMetrics, type Metrics } from './model/metrics.js';
export { readModelFile, predictWithFile, type ModelFile } from './model/model-file.js';
export { solveLeastSquares } from './model/least-squares.js';
export { Trainer, DivergenceError, type History, type StepsParams } from './trainer/trainer.js';
export type { Scaler } from './data/standardize.js';
export type { TrainerOptions, EarlyStopping, EpochInfo, ResolvedOptions, OptionalTrainerOption } from './trainer/options.js';
export type { TrainableModel, ModelLossOptions, GradRecord } from './trainer/model.js';
export { matrixFromRows, vectorFrom, type Matrix, type Dtype } from './data/matrix.js';
export { alignedArray, type FloatCtor } from './data/aligned.js';
export { Sequential, type SequentialOptions, type LossGradOptions, type Weights } from './nn/sequential.js';
export { Dense, INITIALIZERS, type DenseOptions, type InitializerName } from './nn/dense.js';
export type { FitOptions, FitHistory, EpochLogs } from './nn/fit.js';
export type { MlpArgs, MlpLossName } from '../binding.js';
