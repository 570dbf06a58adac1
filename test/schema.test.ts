/**
 * native/schema/optimizers.json is the one definition of each optimizer's scalars and tensor
 * fields. The files generated from it are committed, so this fails when one is stale; and the
 * built binding is checked against the schema itself: its scalar order, every range it
 * enforces, its flags and the optional fields it asks for.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../binding.js';
import { entryPoints, flagKeys, scalarKeys } from '../lib/generated/schema.js';
// @ts-expect-error: a plain JavaScript script without type declarations
import { generate, loadSchema, RANGES } from '../scripts/gen-schema.js';
import { nativeBinding } from './helpers/backends.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface ScalarSpec {
  key: string;
  kind: 'number' | 'flag';
  range?: keyof typeof RANGES;
}
interface FieldSpec {
  key: string;
  written?: boolean;
  neededWhen?: string;
}
interface OptimizerSpec {
  family: keyof typeof entryPoints;
  scalars: ScalarSpec[];
  fields: FieldSpec[];
}

const schema = loadSchema() as OptimizerSpec[];
const binding = nativeBinding();

describe('the generated files are what the schema generates', () => {
  const generated = generate() as Record<string, string>;
  for (const [path, text] of Object.entries(generated)) {
    it(`${path} (run npm run gen:schema after editing the schema)`, () => {
      expect(readFileSync(join(root, path), 'utf8') === text, `${path} is stale`).toBe(true);
    });
  }

  it('a change to the schema changes the generated header (the comparison above can fail)', () => {
    const raw = JSON.parse(readFileSync(join(root, 'native/schema/optimizers.json'), 'utf8'));
    raw.adam.scalars.reverse();
    const moved = generate(loadSchema(JSON.stringify(raw))) as Record<string, string>;
    expect(moved['native/src/generated/optimizers.h']).not.toBe(generated['native/src/generated/optimizers.h']);
    expect(moved['lib/generated/schema.ts']).not.toBe(generated['lib/generated/schema.ts']);
  });

  it('refuses a malformed schema by name', () => {
    const raw = JSON.parse(readFileSync(join(root, 'native/schema/optimizers.json'), 'utf8'));
    raw.sgd.scalars[1].range = 'positive';
    expect(() => loadSchema(JSON.stringify(raw))).toThrow(/sgd\.momentum: kind 'flag', or kind 'number' with range/);
    raw.sgd.scalars[1].range = 'nonNegative';
    raw.sgd.fields[2].neededWhen = 'dampening';
    expect(() => loadSchema(JSON.stringify(raw))).toThrow(/sgd\.momentumBuffer: neededWhen names no scalar/);
  });
});

/** Values inside every range: 0.5 lies in all four. */
function validPacked(o: OptimizerSpec): Float64Array {
  return Float64Array.from(o.scalars, (s) => (s.kind === 'flag' ? 0 : 0.5));
}

/** One tensor with every field (positive values, so square roots stay real). */
function tensor(o: OptimizerSpec, length = 3, omit?: string): Record<string, FloatArray> {
  return Object.fromEntries(o.fields.filter((f) => f.key !== omit).map((f, i) => [f.key, new Float32Array(length).fill(1 + i / 4)]));
}

const outside: Record<keyof typeof RANGES, number> = { nonNegative: -1, unitOpen: 1, unitClosed: 1.5, unitAbove: 0 };
const message = (range: keyof typeof RANGES) => (RANGES[range].text.startsWith('≥') ? RANGES[range].text : `in ${RANGES[range].text}`);

describe('the native binding follows the schema', () => {
  it('exports each optimizer of the schema, its scalar order, and nothing else', () => {
    expect(Object.keys(binding.scalarKeys)).toEqual(schema.map((o) => o.family));
    for (const o of schema) {
      expect(binding.scalarKeys[o.family]).toEqual(o.scalars.map((s) => s.key));
      expect(scalarKeys[o.family]).toEqual(o.scalars.map((s) => s.key));
      expect([...flagKeys[o.family]]).toEqual(o.scalars.filter((s) => s.kind === 'flag').map((s) => s.key));
      for (const name of Object.values(entryPoints[o.family])) expect(typeof binding[name]).toBe('function');
    }
  });

  for (const o of schema) {
    const step = binding[entryPoints[o.family].step] as unknown as (t: unknown[], s: Float64Array) => void;
    it(`${o.family}: every number is refused outside its range, every flag unless 0 or 1`, () => {
      expect(() => step([tensor(o)], validPacked(o))).not.toThrow();
      for (const [i, s] of o.scalars.entries()) {
        const packed = validPacked(o);
        const t = tensor(o);
        const before = t.param!.slice();
        if (s.kind === 'flag') {
          packed[i] = 2;
          expect(() => step([t], packed)).toThrow(
            new TypeError(`${o.family}Step: scalars.${s.key} must be 0 or 1 (a flag in packed scalars), received 2`),
          );
        } else {
          packed[i] = outside[s.range!];
          expect(() => step([t], packed)).toThrow(
            new RangeError(`${o.family}Step: scalars.${s.key} must be ${message(s.range!)}, received ${outside[s.range!]}`),
          );
        }
        expect(t.param).toEqual(before);
      }
    });

    for (const f of o.fields.filter((f) => f.neededWhen !== undefined)) {
      it(`${o.family}: ${f.key} is read exactly when ${f.neededWhen} is not 0`, () => {
        const needing = validPacked(o);
        needing[o.scalars.findIndex((s) => s.key === f.neededWhen)] = 1;
        expect(() => step([tensor(o, 3, f.key)], needing)).toThrow(TypeError);
        expect(() => step([tensor(o, 3, f.key)], needing)).toThrow(new RegExp(`tensors\\[0\\]\\.${f.key}`));
        const notNeeding = validPacked(o);
        notNeeding[o.scalars.findIndex((s) => s.key === f.neededWhen)] = 0;
        expect(() => step([tensor(o, 3, f.key)], notNeeding)).not.toThrow();
      });
    }

    it(`${o.family}: every required field is read, written ones may not alias`, () => {
      const packed = validPacked(o);
      for (const f of o.fields.filter((f) => f.neededWhen === undefined && f.key !== 'param')) {
        expect(() => step([tensor(o, 3, f.key)], packed)).toThrow(new RegExp(`tensors\\[0\\]\\.${f.key}`));
      }
      for (const f of o.fields.filter((f) => f.written && f.neededWhen === undefined && f.key !== 'param')) {
        const t = tensor(o);
        t[f.key] = t.param!;
        expect(() => step([t], packed)).toThrow(RangeError);
      }
    });
  }
});
