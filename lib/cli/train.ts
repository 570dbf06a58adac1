/** `adam-simd train`: fits a linear model on a CSV file (or the shipped cars table) and reports it. */
import type { FloatArray, LinregLossName } from '../../binding.js';
import { CARS_TARGET, carsPath } from '../data/cars.js';
import type { Dtype, Matrix } from '../data/matrix.js';
import { datasetFromTable, type Dataset } from '../data/records.js';
import { holdOut } from '../data/split.js';
import { applyScaler } from '../data/standardize.js';
import { readCsv } from '../data/table.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { LinearRegression } from '../model/linear-regression.js';
import { regressionMetrics } from '../model/metrics.js';
import { writeModelFile } from '../model/model-file.js';
import { Dense } from '../nn/dense.js';
import { Sequential } from '../nn/sequential.js';
import type { ActivationName } from '../reference/mlp.js';
import type { TrainableModel } from '../trainer/model.js';
import { Trainer } from '../trainer/trainer.js';
import { makeOptimizer, type OptimizerName } from './optimizers.js';
import { ProgressLine } from './progress.js';
import { lossSvg, sparkline, type Curve } from './plot.js';

export interface TrainOptions {
  target?: string;
  features?: string[];
  delimiter?: string;
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
  /** Units of each hidden layer: a Sequential network instead of a linear model. */
  hidden?: number[];
  /** Of the hidden layers (the output layer is linear). Default relu. */
  activation: ActivationName;
  /** Fraction of the rows held out (seeded by `seed`) to report validation metrics. */
  validation?: number;
  save?: string;
  plot?: string;
  progress: boolean;
}

/**
 * `file` is a CSV path, or `cars` for the shipped table (the target defaults to
 * Miles_per_Gallon; its numeric columns are the five engine and weight columns). The
 * progress bar covers reading.
 */
export function loadDataset(file: string, o: TrainOptions): Dataset {
  const cars = file === 'cars';
  const target = o.target ?? (cars ? CARS_TARGET : undefined);
  if (!target) throw new Error('--target <column> is required for a CSV file');
  const bar = new ProgressLine('reading  |{bar}| {percentage}%');
  if (o.progress) bar.start(100, 0);
  try {
    const table = readCsv(cars ? carsPath() : file, {
      delimiter: o.delimiter,
      onProgress: (f) => o.progress && bar.update(Math.round(f * 100)),
    });
    return datasetFromTable(table, target, o.features, o.dtype);
  } finally {
    if (o.progress) bar.stop();
  }
}

/** What was read: rows, features, the rows dropped and each column's missing cells, the columns left out. */
function describeData(data: Dataset): string[] {
  const lines = [
    `${data.x.rows} rows × ${data.features.length} features → ${data.target}` +
      (data.dropped ? ` (${data.dropped} row${data.dropped === 1 ? '' : 's'} with a missing value dropped)` : ''),
  ];
  if (data.missing.length) lines.push(`missing values: ${data.missing.map((m) => `${m.column} ${m.count}`).join(', ')}`);
  for (const l of data.leftOut) lines.push(`left out: ${l.column}: ${l.reason}`);
  return lines;
}

function metricsLine(name: string, predicted: FloatArray, y: FloatArray, note: string): string {
  const m = regressionMetrics(predicted, y);
  return `${name.padEnd(10)} MSE ${m.mse.toPrecision(5)}  MAE ${m.mae.toPrecision(5)}  R² ${m.r2.toFixed(4)}  (${y.length} rows${note})`;
}

export async function train(file: string, o: TrainOptions): Promise<void> {
  const data = loadDataset(file, o);
  describeData(data).forEach((l) => console.log(l));
  const split = o.validation === undefined ? undefined : holdOut(data.x, data.y, o.validation, o.seed);
  const fit = split ? split.train : { x: data.x, y: data.y };
  if (split) console.log(`validation: ${split.validation.y.length} rows held out (seed ${o.seed}), training on ${fit.y.length}`);

  const model: TrainableModel & (LinearRegression | Sequential) = o.hidden
    ? network(data.x.cols, o)
    : new LinearRegression(data.x.cols, { dtype: o.dtype, seed: o.seed });
  const shape =
    model instanceof Sequential ? `network ${[data.x.cols, ...o.hidden!.map((u) => `${u} ${o.activation}`), 1].join(' → ')}` : 'linear';
  if (model instanceof Sequential) console.log(`${shape} (${model.allParams.length} parameters)`);
  const optimizer = makeOptimizer(o.optimizer, model.params, o.lr);
  const bar = new ProgressLine('training |{bar}| {value}/{total} epochs | loss {loss}');
  if (o.progress) bar.start(o.epochs, 0, { loss: '-' });
  // The validation loss per epoch, with the training loss's definition (the model's own kernel),
  // after the epoch's steps (a full-batch epoch's training loss is the one before its step).
  const validationLoss: number[] = [];
  const scratch = model.createGrads();
  let validationX: Matrix | undefined;
  const trainer: Trainer = new Trainer(model, optimizer, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    loss: o.loss,
    delta: o.delta,
    standardize: o.standardize,
    seed: o.seed,
    threads: o.threads,
    onEpochEnd: ({ epoch, loss }) => {
      if (split) {
        // The trainer fits its scaler on the training rows before the first epoch.
        validationX ??= trainer.scaler ? applyScaler(trainer.scaler, split.validation.x) : split.validation.x;
        validationLoss.push(model.lossGrad(validationX, split.validation.y, scratch, { loss: o.loss, delta: o.delta }));
      }
      if (o.progress && (epoch % 50 === 0 || epoch === o.epochs)) bar.update(epoch, { loss: loss.toPrecision(5) });
    },
  });
  const start = process.hrtime.bigint();
  let history: ReturnType<typeof trainer.train>;
  try {
    history = trainer.train(fit.x, fit.y);
  } finally {
    if (o.progress) bar.stop();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;

  const c = model instanceof LinearRegression ? trainer.coefficients() : undefined;
  if (c) {
    const width = Math.max(9, ...data.features.map((f) => f.length));
    console.log(`\n${'feature'.padEnd(width)}  coefficient`);
    data.features.forEach((f, j) => console.log(`${f.padEnd(width)}  ${c.weights[j]!.toPrecision(6).padStart(12)}`));
    console.log(`${'(bias)'.padEnd(width)}  ${c.bias.toPrecision(6).padStart(12)}`);
  }
  const timing = `; ${history.epochs} epochs, ${((seconds / history.epochs) * 1e6).toFixed(1)} µs/epoch, ${trainer.backend} backend`;
  console.log('\n' + metricsLine('training', trainer.predict(fit.x), fit.y, timing));
  if (split) console.log(metricsLine('validation', trainer.predict(split.validation.x), split.validation.y, ', held out'));
  console.log(`loss ${history.loss[0]!.toPrecision(4)} ${sparkline(history.loss)} ${history.loss.at(-1)!.toPrecision(4)}  (log scale)`);
  if (o.plot) {
    const curves: Curve[] = [{ label: 'training', values: history.loss, color: '#1f77b4' }];
    if (split) curves.push({ label: 'validation', values: validationLoss, color: '#d62728' });
    await writeFileAtomic(
      o.plot,
      lossSvg(
        curves,
        `${data.target}: ${shape}, ${o.optimizer} lr ${o.lr}, ${fit.y.length} rows × ${data.features.length} features`,
        o.loss.toUpperCase(),
      ),
    );
    console.log(`loss curve written to ${o.plot}`);
  }
  if (o.save) {
    await writeModelFile(o.save, {
      target: data.target,
      features: data.features,
      loss: o.loss,
      scaler: trainer.scaler,
      model,
      ...(c ? { coefficients: c } : {}),
    });
    console.log(`model written to ${o.save}`);
  }
}

/** Dense layers of `hidden` units with the activation, then one linear output, as the seed's Keras model. */
function network(inputs: number, o: TrainOptions): Sequential {
  const layers = o.hidden!.map((units, l) => new Dense({ units, activation: o.activation, ...(l === 0 ? { inputSize: inputs } : {}) }));
  if (layers.length === 0) layers.push(new Dense({ units: 1, inputSize: inputs }));
  else layers.push(new Dense({ units: 1 }));
  return new Sequential(layers, { dtype: o.dtype, seed: o.seed });
}
