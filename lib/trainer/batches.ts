/**
 * Mini-batches of one data set, for both the Trainer and Sequential.fit: each epoch the rows
 * in order or seeded-shuffled, each batch gathered (by the backend's row gather) into buffers
 * made once, and the epoch's loss as the rows-weighted mean of the batch losses.
 */
import type { Binding, FloatArray } from '../../binding.js';
import { allocate, type Dtype, type Matrix } from '../data/matrix.js';
import { shuffleInPlace, type Random } from '../data/random.js';

export class MiniBatches {
  /** Targets per row: the outputs, or one class label (the caller has matched y to X). */
  private readonly perRow: number;
  private readonly order: Uint32Array;
  private readonly batchX: FloatArray;
  private readonly batchY: FloatArray;

  constructor(
    private readonly x: Matrix,
    private readonly y: FloatArray,
    private readonly size: number,
    dtype: Dtype,
    private readonly gatherRows: Binding['gatherRows'],
  ) {
    this.perRow = y.length / x.rows;
    this.order = new Uint32Array(x.rows);
    this.batchX = allocate(dtype, size * x.cols);
    this.batchY = allocate(dtype, size * this.perRow);
  }

  /** One pass over the rows (shuffled with `random` when given): step per batch, returns the mean loss. */
  epoch(random: Random | undefined, step: (x: Matrix, y: FloatArray) => number): number {
    const { x, y, size, perRow, order } = this;
    for (let i = 0; i < order.length; i++) order[i] = i;
    if (random) shuffleInPlace(order, random);
    let total = 0;
    for (let start = 0; start < x.rows; start += size) {
      const rows = Math.min(size, x.rows - start);
      const indices = order.subarray(start, start + rows);
      const bx = { data: this.batchX.subarray(0, rows * x.cols), rows, cols: x.cols };
      const by = this.batchY.subarray(0, rows * perRow);
      this.gatherRows(x.data, x.cols, indices, bx.data);
      this.gatherRows(y, perRow, indices, by);
      total += step(bx, by) * rows;
    }
    return total / x.rows;
  }
}
