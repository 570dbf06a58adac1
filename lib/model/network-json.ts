/**
 * A Sequential network inside a `train --save` JSON file: its architecture (lib/nn/save.ts's
 * architectureOf) and every weight as JSON numbers, which round-trip float64 and float32
 * values exactly, so the loaded network predicts the same bits. (Sequential.save writes the
 * binary checksummed container instead; the CLI's file is one JSON file with its transform.)
 */
import { Dense } from '../nn/dense.js';
import { architectureOf, MODEL_KIND, MODEL_VERSION, type Architecture } from '../nn/save.js';
import { Sequential } from '../nn/sequential.js';
import { checkKnownKeys, checkNumber, checkNumberArray, checkOneOf, checkPlainObject, typeError } from '../validate.js';

export interface NetworkJson {
  architecture: Architecture;
  weights: Record<string, number[]>;
}

export function networkJson(model: Sequential): NetworkJson {
  return {
    architecture: architectureOf(model),
    weights: Object.fromEntries(Object.entries(model.params).map(([name, w]) => [name, Array.from(w)])),
  };
}

/** Checks the architecture (each layer through Dense's own checks) and every weight's name, length and value. */
export function networkFromJson(architecture: unknown, weights: unknown): Sequential {
  const a = checkPlainObject('architecture', architecture);
  checkKnownKeys('architecture', a, ['kind', 'version', 'dtype', 'seed', 'layers']);
  if (a.kind !== MODEL_KIND) throw typeError('architecture.kind', JSON.stringify(MODEL_KIND), a.kind);
  if (a.version !== MODEL_VERSION)
    throw new RangeError(`architecture.version is ${String(a.version)}; this adam-simd reads version ${MODEL_VERSION}`);
  const dtype = checkOneOf('architecture.dtype', a.dtype, ['float32', 'float64'] as const);
  const seed = checkNumber('architecture.seed', a.seed, { integer: true });
  if (!Array.isArray(a.layers) || a.layers.length === 0)
    throw typeError('architecture.layers', 'a non-empty array of Dense options', a.layers);
  const layers = a.layers.map((options: unknown, l: number) => {
    try {
      return new Dense(options as never);
    } catch (error) {
      throw new TypeError(`architecture.layers[${l}]: ${(error as Error).message}`);
    }
  });
  const model = new Sequential(layers, { dtype, seed });
  const w = checkPlainObject('weights', weights);
  const names = Object.keys(model.params);
  const stored = Object.keys(w);
  if (stored.length !== names.length || stored.some((n, i) => n !== names[i])) {
    throw new RangeError(`weights are [${stored.join(', ')}] but the architecture needs [${names.join(', ')}]`);
  }
  for (const name of names) {
    const p = model.params[name]!;
    p.set(checkNumberArray(`weights["${name}"]`, w[name], p.length, dtype === 'float32'));
  }
  return model;
}
