/**
 * What a learning-rate scheduler needs from an optimizer: torch's `optimizer.param_groups`
 * with a mutable `lr` per group. Structural, so any optimizer class (lib/optim/) or a plain
 * object fits.
 */
export interface LrGroup {
  lr: number;
  /** Adam-family first-moment coefficient; OneCycleLR cycles `betas[0]` when `cycleMomentum` is on. */
  betas?: readonly [number, number];
  /** SGD momentum; OneCycleLR cycles it when `cycleMomentum` is on and there are no `betas`. */
  momentum?: number;
}

export interface SchedulableOptimizer {
  readonly paramGroups: readonly LrGroup[];
}
