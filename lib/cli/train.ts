/** `adam-simd train`: fits a linear model on a CSV file (or the cars data set) and reports it. */
import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { LinregLossName } from '../../binding.js';
import { loadCars } from '../data/cars.js';
import { readCsv } from '../data/csv.js';
import type { Dtype } from '../data/matrix.js';
import { datasetFromRecords, type Dataset } from '../data/records.js';
import { LinearRegression } from '../model/linear-regression.js';
import { Trainer } from '../trainer/trainer.js';
import { makeOptimizer, type OptimizerName } from './optimizers.js';
import { lossSvg, sparkline } from './plot.js';

export interface TrainOptions {
  target?: string;
  features?: string[];
  optimizer: OptimizerName;
  lr: number;
  epochs: number;
  batchSize?: number;
  loss: LinregLossName;
  delta: number;
  standardize: boolean;
  seed: number;
  threads?: number;
  dtype: Dtype;
  save?: string;
  plot?: string;
  progress: boolean;
}

/** `file` is a CSV path, or `cars` for the vega-datasets table. */
export function loadDataset(file: string, o: TrainOptions): Dataset {
  if (file === 'cars') return loadCars(o.dtype);
  if (!o.target) throw new Error('--target <column> is required for a CSV file');
  return datasetFromRecords(readCsv(file), o.target, o.features, o.dtype);
}

export function train(file: string, o: TrainOptions): void {
  const data = loadDataset(file, o);
  console.log(`${data.x.rows} rows × ${data.features.length} features → ${data.target}` + (data.dropped ? ` (${data.dropped} rows with a missing value dropped)` : ''));
  const model = new LinearRegression(data.x.cols, { dtype: o.dtype, seed: o.seed });
  const optimizer = makeOptimizer(o.optimizer, model.params, o.lr);
  const bar = new cliProgress.SingleBar(
    { format: 'training |{bar}| {value}/{total} epochs | loss {loss}', hideCursor: true, noTTYOutput: o.progress, notTTYSchedule: 1000 },
    cliProgress.Presets.shades_classic,
  );
  if (o.progress) bar.start(o.epochs, 0, { loss: '-' });
  const trainer = new Trainer(model, optimizer, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    loss: o.loss,
    delta: o.delta,
    standardize: o.standardize,
    seed: o.seed,
    threads: o.threads,
    onEpochEnd: ({ epoch, loss }) => {
      if (o.progress && (epoch % 50 === 0 || epoch === o.epochs)) bar.update(epoch, { loss: loss.toPrecision(5) });
    },
  });
  const start = process.hrtime.bigint();
  let history;
  try {
    history = trainer.train(data.x, data.y);
  } finally {
    if (o.progress) bar.stop();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;

  const c = trainer.coefficients();
  const width = Math.max(9, ...data.features.map((f) => f.length));
  console.log(`\n${'feature'.padEnd(width)}  coefficient`);
  data.features.forEach((f, j) => console.log(`${f.padEnd(width)}  ${c.weights[j]!.toPrecision(6).padStart(12)}`));
  console.log(`${'(bias)'.padEnd(width)}  ${c.bias.toPrecision(6).padStart(12)}`);
  const m = trainer.evaluate(data.x, data.y);
  console.log(`\nMSE ${m.mse.toPrecision(5)}  MAE ${m.mae.toPrecision(5)}  R² ${m.r2.toFixed(4)}  (training set; ${history.epochs} epochs, ${((seconds / history.epochs) * 1e6).toFixed(1)} µs/epoch, ${trainer.backend} backend)`);
  console.log(`loss ${history.loss[0]!.toPrecision(4)} ${sparkline(history.loss)} ${history.loss.at(-1)!.toPrecision(4)}  (log scale)`);
  if (o.plot) {
    writeFileSync(o.plot, lossSvg(history.loss, `${o.loss.toUpperCase()} loss, ${o.optimizer} lr ${o.lr}: ${data.target}`));
    console.log(`loss curve written to ${o.plot}`);
  }
  if (o.save) {
    writeFileSync(o.save, JSON.stringify({ target: data.target, features: data.features, loss: o.loss, coefficients: c, model: model.toJSON(), scaler: trainer.scaler && { mean: Array.from(trainer.scaler.mean), std: Array.from(trainer.scaler.std) } }, null, 2) + '\n');
    console.log(`model written to ${o.save}`);
  }
}
