/**
 * A Sequential on disk: its architecture as JSON and its weights bit for bit, optionally with
 * an optimizer's state, in the versioned, checksummed container of optimizer state files
 * (lib/io/state-file.ts: JSON header, raw buffers, CRC-32). A truncated, corrupted or
 * mismatched file is refused with an error naming the file and what is wrong.
 */
import type { FloatArray } from '../../binding.js';
import { readStateFile, writeStateFile } from '../io/state-file.js';
import { STATE_FORMAT, STATE_VERSION, type StateDict } from '../optim/state-dict.js';
import { Dense, type DenseOptions } from './dense.js';
import type { Sequential } from './sequential.js';

export const MODEL_KIND = 'adam-simd.Sequential';
export const MODEL_VERSION = 1;
const WEIGHTS = 'weights';
const OPTIMIZER_PREFIX = 'optimizer:';

export interface Architecture {
  kind: typeof MODEL_KIND;
  version: number;
  dtype: 'float32' | 'float64';
  seed: number;
  layers: DenseOptions[];
}

interface ModelGroup {
  params: string[];
  architecture: Architecture;
  optimizer?: Pick<StateDict, 'optimizer' | 'step' | 'paramGroups'>;
}

export function architectureOf(model: Sequential): Architecture {
  return { kind: MODEL_KIND, version: MODEL_VERSION, dtype: model.dtype, seed: model.seed, layers: model.layers.map((l) => l.toJSON()) };
}

export async function saveModel(model: Sequential, path: string, optimizer?: StateDict): Promise<void> {
  const group: ModelGroup = { params: Object.keys(model.params), architecture: architectureOf(model) };
  // Copies: the file is written from these buffers while training may go on.
  const state: StateDict['state'] = { [WEIGHTS]: Object.fromEntries(Object.entries(model.params).map(([k, w]) => [k, w.slice()])) };
  if (optimizer) {
    group.optimizer = { optimizer: optimizer.optimizer, step: optimizer.step, paramGroups: optimizer.paramGroups };
    for (const [name, buffers] of Object.entries(optimizer.state)) state[OPTIMIZER_PREFIX + name] = buffers;
  }
  await writeStateFile(path, {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    optimizer: MODEL_KIND,
    step: 0,
    paramGroups: [group as never],
    state,
  });
}

export interface LoadedModel {
  architecture: Architecture;
  layers: Dense[];
  weights: Record<string, FloatArray>;
  optimizer: StateDict | undefined;
}

/** Reads and checks a model file; the caller builds the model and checks weights against it. */
export async function readModel(path: string): Promise<LoadedModel> {
  const file = await readStateFile(path);
  const fail = (why: string) => new RangeError(`${path} is not a valid adam-simd model file: ${why}`);
  if (file.optimizer !== MODEL_KIND)
    throw fail(`it holds ${JSON.stringify(file.optimizer)} state, not a Sequential (an optimizer state file?)`);
  const group = file.paramGroups[0] as unknown as ModelGroup | undefined;
  const a = group?.architecture;
  if (!a || a.kind !== MODEL_KIND) throw fail('its architecture is missing');
  if (a.version !== MODEL_VERSION)
    throw new RangeError(`${path} has model version ${String(a.version)}; this adam-simd reads version ${MODEL_VERSION}`);
  if (!Array.isArray(a.layers) || a.layers.length === 0) throw fail('its architecture has no layers');
  const layers = a.layers.map((options, l) => {
    try {
      return new Dense(options);
    } catch (error) {
      throw fail(`layer ${l}: ${(error as Error).message}`);
    }
  });
  const weights = file.state[WEIGHTS];
  if (!weights) throw fail('it holds no weights');
  let optimizer: StateDict | undefined;
  if (group.optimizer) {
    const state: StateDict['state'] = {};
    for (const [key, buffers] of Object.entries(file.state))
      if (key.startsWith(OPTIMIZER_PREFIX)) state[key.slice(OPTIMIZER_PREFIX.length)] = buffers;
    optimizer = { format: STATE_FORMAT, version: STATE_VERSION, ...group.optimizer, state };
  }
  return { architecture: a, layers, weights, optimizer };
}

/** Every weight of the file against the model built from its architecture. */
export function checkWeights(path: string, model: Sequential, weights: Record<string, FloatArray>): void {
  const names = Object.keys(model.params);
  const stored = Object.keys(weights);
  if (stored.length !== names.length || stored.some((n, i) => n !== names[i])) {
    throw new RangeError(`${path}: the weights are [${stored.join(', ')}] but the architecture needs [${names.join(', ')}]`);
  }
  for (const name of names) {
    const w = weights[name]!;
    const p = model.params[name]!;
    if (w.constructor !== p.constructor || w.length !== p.length) {
      throw new RangeError(
        `${path}: weight '${name}' is a ${w.constructor.name} of ${w.length} elements but the architecture needs a ${p.constructor.name} of ${p.length}`,
      );
    }
  }
}
