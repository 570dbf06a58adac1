/** Learning-rate schedulers with torch.optim.lr_scheduler's meaning, options (camelCase) and defaults. */
export type { LrGroup, SchedulableOptimizer } from './types.js';
export { LRScheduler } from './base.js';
export { StepLR, type StepLROptions } from './step-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { LinearLR, LinearWarmup, type LinearLROptions } from './linear-lr.js';
export { OneCycleLR, type AnnealStrategy, type OneCycleLROptions } from './one-cycle-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
