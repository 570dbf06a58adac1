/**
 * The file `adam-simd train --save` writes: a LinearRegression (or, with --hidden, a Sequential
 * network: lib/model/network-json.ts) together with what it takes to
 * use it on new rows — the target's name, the feature columns in their order, and the
 * standardisation fitted on the training set (float64 means and stds; JSON numbers round-trip
 * exactly, so predictions from the file have the bits of the trainer's). Every field is
 * validated on reading; a file that does not pass is refused with the file and field named.
 */
import { readFileSync } from 'node:fs';
import type { FloatArray, LinregLossName } from '../../binding.js';
import type { Matrix } from '../data/matrix.js';
import { applyScaler, type Scaler } from '../data/standardize.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { checkKnownKeys, checkMatrix, checkNumber, checkNumberArray, checkOneOf, checkPlainObject, typeError } from '../validate.js';
import type { Sequential } from '../nn/sequential.js';
import { LinearRegression, type LinearRegressionJson } from './linear-regression.js';
import { networkFromJson, networkJson, type NetworkJson } from './network-json.js';

export const MODEL_FILE_KIND = 'adam-simd.LinearRegression';
export const NETWORK_FILE_KIND = 'adam-simd.Network';
export const MODEL_FILE_VERSION = 1;
const COMMON_KEYS = ['kind', 'version', 'target', 'features', 'loss', 'scaler'];
const KEYS = {
  [MODEL_FILE_KIND]: [...COMMON_KEYS, 'model', 'coefficients'],
  [NETWORK_FILE_KIND]: [...COMMON_KEYS, 'architecture', 'weights'],
};

export interface ModelFile {
  target: string;
  /** The columns the model reads, in the order of its weights. */
  features: string[];
  loss: LinregLossName;
  /** Applied to the raw features before the model (undefined: trained on raw features). */
  scaler: Scaler | undefined;
  model: LinearRegression | Sequential;
  /** A LinearRegression's weights and bias in the raw features' units (informative; predict uses model and scaler). */
  coefficients?: { weights: number[]; bias: number };
}

interface CommonJson {
  version: number;
  target: string;
  features: string[];
  loss: LinregLossName;
  scaler: { mean: number[]; std: number[] } | null;
}

export type ModelFileJson =
  | (CommonJson & { kind: typeof MODEL_FILE_KIND; model: LinearRegressionJson; coefficients: { weights: number[]; bias: number } })
  | (CommonJson & { kind: typeof NETWORK_FILE_KIND } & NetworkJson);

export function modelFileJson(file: ModelFile): ModelFileJson {
  const { target, features, loss, scaler, model, coefficients } = file;
  const common = {
    version: MODEL_FILE_VERSION,
    target,
    features,
    loss,
    scaler: scaler ? { mean: Array.from(scaler.mean), std: Array.from(scaler.std) } : null,
  };
  if (!(model instanceof LinearRegression)) return { kind: NETWORK_FILE_KIND, ...common, ...networkJson(model) };
  if (!coefficients) throw new TypeError('modelFileJson: a LinearRegression needs its coefficients');
  return { kind: MODEL_FILE_KIND, ...common, model: model.toJSON(), coefficients };
}

/** Atomic (lib/io/atomic-write.ts): a crash mid-save leaves the previous file whole. */
export async function writeModelFile(path: string, file: ModelFile): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(modelFileJson(file), null, 2) + '\n');
}

function columnNames(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw typeError(name, 'a non-empty array of column names', value);
  value.forEach((v, i) => {
    if (typeof v !== 'string' || v.length === 0) throw typeError(`${name}[${i}]`, 'a non-empty string', v);
    if (value.indexOf(v) !== i) throw new RangeError(`${name}[${i}]: the column "${v}" appears twice`);
  });
  return value as string[];
}

/** Checks every field of a parsed model file; errors are prefixed with `source` (the path). */
export function parseModelFile(json: unknown, source: string): ModelFile {
  try {
    const o = checkPlainObject('the model file', json);
    if (o.kind !== MODEL_FILE_KIND && o.kind !== NETWORK_FILE_KIND)
      throw typeError('kind', `"${MODEL_FILE_KIND}" or "${NETWORK_FILE_KIND}"`, o.kind);
    if (o.version !== MODEL_FILE_VERSION)
      throw new RangeError(`it has model file version ${String(o.version)}; this adam-simd reads version ${MODEL_FILE_VERSION}`);
    checkKnownKeys('the model file', o, KEYS[o.kind]);
    if (typeof o.target !== 'string' || o.target.length === 0) throw typeError('target', 'a non-empty string', o.target);
    const features = columnNames('features', o.features);
    if (features.includes(o.target)) throw new RangeError(`the target "${o.target}" is also listed as a feature`);
    const loss = checkOneOf('loss', o.loss, ['mse', 'mae', 'huber'] as const);
    const model = o.kind === MODEL_FILE_KIND ? LinearRegression.fromJSON(o.model) : networkFromJson(o.architecture, o.weights);
    if (model.inputSize !== features.length)
      throw new RangeError(`the model takes ${model.inputSize} inputs but features names ${features.length} columns`);
    if (model.outputSize !== 1) throw new RangeError(`the model has ${model.outputSize} outputs; a model file predicts one target`);
    let scaler: Scaler | undefined;
    if (o.scaler !== null) {
      const s = checkPlainObject('scaler', o.scaler);
      checkKnownKeys('scaler', s, ['mean', 'std']);
      const mean = checkNumberArray('scaler.mean', s.mean, features.length);
      const std = checkNumberArray('scaler.std', s.std, features.length);
      std.forEach((v, i) => checkNumber(`scaler.std[${i}]`, v, { above: 0 }));
      scaler = { mean: Float64Array.from(mean), std: Float64Array.from(std) };
    }
    if (o.kind === NETWORK_FILE_KIND) return { target: o.target, features, loss, scaler, model };
    const c = checkPlainObject('coefficients', o.coefficients);
    checkKnownKeys('coefficients', c, ['weights', 'bias']);
    const coefficients = {
      weights: checkNumberArray('coefficients.weights', c.weights, features.length),
      bias: checkNumber('coefficients.bias', c.bias),
    };
    return { target: o.target, features, loss, scaler, model, coefficients };
  } catch (error) {
    const e = error as Error;
    e.message = `${source} is not a valid adam-simd model file: ${e.message}`;
    throw e;
  }
}

/** Reads and validates a `train --save` file. */
export function readModelFile(path: string): ModelFile {
  if (typeof path !== 'string') throw typeError('readModelFile: path', 'a string', path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new SyntaxError(`${path} is not a valid adam-simd model file: ${error.message}`);
    throw error;
  }
  return parseModelFile(json, path);
}

/** Predictions for raw feature rows (columns in file.features' order): the scaler, then the model. */
export function predictWithFile(file: ModelFile, x: Matrix): FloatArray {
  if (typeof (file as { model?: { predict?: unknown } } | null)?.model?.predict !== 'function') {
    throw typeError('predictWithFile: file', 'a model file (from readModelFile)', file);
  }
  checkMatrix('predictWithFile: X', x);
  return file.model.predict(file.scaler ? applyScaler(file.scaler, x) : x);
}
