/** LinearRegression.fromJSON/load/save and the `train --save` model file: every field validated. */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adam, Dense, LinearRegression, Sequential, Trainer, matrixFromRows, vectorFrom } from '../lib/index.js';
import { modelFileJson, parseModelFile, readModelFile, predictWithFile, writeModelFile } from '../lib/model/model-file.js';
import { expectSameBits } from './helpers/bits.js';

const dir = mkdtempSync(join(tmpdir(), 'adam-simd-model-file-'));

describe('LinearRegression.fromJSON', () => {
  const good = { dtype: 'float64', weights: [1.5, -2], bias: 0.25 };

  it('rebuilds the model bit for bit (f32 and f64)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const m = new LinearRegression(3, { dtype, seed: 4 });
      const back = LinearRegression.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
      expectSameBits(back.params.weights, m.params.weights);
      expect(back.bias).toBe(m.bias);
      expect(back.dtype).toBe(dtype);
    }
  });

  it('refuses strings, non-finite numbers, bad dtypes, unknown keys and values an f32 model cannot hold', () => {
    const bad: [unknown, RegExp][] = [
      [{ ...good, weights: ['1.5', -2] }, /^LinearRegression\.fromJSON: json\.weights\[0\] must be a number, received "1\.5"$/],
      [{ ...good, bias: '0.25' }, /json\.bias must be a number, received "0\.25"/],
      [{ ...good, bias: null }, /json\.bias must be a number, received null/],
      [{ ...good, weights: [1, NaN] }, /json\.weights\[1\] must be a finite number, received NaN/],
      [{ ...good, weights: [] }, /json\.weights must be a non-empty array of numbers/],
      [{ ...good, weights: 'abc' }, /json\.weights must be a non-empty array of numbers, received "abc"/],
      [{ ...good, dtype: 'f16' }, /json\.dtype must be one of 'float32', 'float64', received "f16"/],
      [{ ...good, extra: 1 }, /unknown option 'extra'/],
      [{ ...good, dtype: 'float32', weights: [0.1] }, /json\.weights\[0\] must be a float32 value \(the model is float32\), received 0\.1/],
      [[1, 2], /json must be a plain object, received an array/],
      [JSON.parse('{"__proto__": {"dtype": "f64"}, "weights": [1], "bias": 0}'), /unknown option '__proto__'/],
    ];
    for (const [json, message] of bad) expect(() => LinearRegression.fromJSON(json)).toThrow(message);
    expect(() => LinearRegression.fromJSON({ ...good, weights: ['1.5'] })).toThrow(TypeError);
    expect(() => LinearRegression.fromJSON({ ...good, weights: [Infinity] })).toThrow(RangeError);
  });

  it('save() writes atomically (no temp file left) and load() reads it back; load() names the file of a bad one', async () => {
    const m = new LinearRegression(2, { dtype: 'float32', seed: 9 });
    const path = join(dir, 'plain.json');
    await m.save(path);
    const back = LinearRegression.load(path);
    expectSameBits(back.params.weights, m.params.weights);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    writeFileSync(path, JSON.stringify({ dtype: 'float64', weights: ['x'], bias: 0 }));
    expect(() => LinearRegression.load(path)).toThrow(`${path}: LinearRegression.fromJSON: json.weights[0] must be a number, received "x"`);
  });
});

describe('the train --save model file', () => {
  const x = matrixFromRows([
    [1, 10],
    [2, 30],
    [3, 20],
    [4, 50],
    [5, 40],
  ]);
  const y = vectorFrom([3, 8, 6, 13, 11]);

  async function trained(standardize: boolean) {
    const model = new LinearRegression(2, { seed: 1 });
    const trainer = new Trainer(model, new Adam(model.params, { lr: 0.05 }), { epochs: 200, standardize });
    trainer.train(x, y);
    const path = join(dir, `model-${standardize}.json`);
    await writeModelFile(path, {
      target: 'y',
      features: ['a', 'b'],
      loss: 'mse',
      scaler: trainer.scaler,
      model,
      coefficients: trainer.coefficients(),
    });
    return { trainer, path };
  }

  it('predicts what the trainer predicts, bit for bit, with and without standardisation', async () => {
    for (const standardize of [false, true]) {
      const { trainer, path } = await trained(standardize);
      const file = readModelFile(path);
      expect(file.features).toEqual(['a', 'b']);
      expect(file.scaler !== undefined).toBe(standardize);
      expectSameBits(predictWithFile(file, x), trainer.predict(x));
    }
  });

  it('LinearRegression.load takes a file without standardisation and refuses one with it', async () => {
    const raw = await trained(false);
    expectSameBits(LinearRegression.load(raw.path).predict(x), raw.trainer.predict(x));
    const scaled = await trained(true);
    expect(() => LinearRegression.load(scaled.path)).toThrow(/was trained on standardised features: read it with readModelFile\(\)/);
  });

  it('refuses every malformed field, naming the file and the field', async () => {
    const { path } = await trained(true);
    const good = modelFileJson(readModelFile(path));
    const cases: [object, RegExp][] = [
      [{ ...good, kind: 'other' }, /kind must be "adam-simd\.LinearRegression" or "adam-simd\.Network", received "other"/],
      [{ ...good, version: 2 }, /model file version 2; this adam-simd reads version 1/],
      [{ ...good, features: ['a'] }, /the model takes 2 inputs but features names 1 columns/],
      [{ ...good, features: ['a', 'a'] }, /features\[1\]: the column "a" appears twice/],
      [{ ...good, features: ['a', 3] }, /features\[1\] must be a non-empty string, received 3/],
      [{ ...good, target: 'a' }, /the target "a" is also listed as a feature/],
      [{ ...good, loss: 'hinge' }, /loss must be one of 'mse', 'mae', 'huber'/],
      [{ ...good, scaler: { mean: [0, '1'], std: [1, 1] } }, /scaler\.mean\[1\] must be a number, received "1"/],
      [{ ...good, scaler: { mean: [0, 1], std: [1, 0] } }, /scaler\.std\[1\] must be a number > 0, received 0/],
      [{ ...good, scaler: { mean: [0], std: [1, 1] } }, /scaler\.mean must have 2 elements, received 1/],
      [{ ...good, coefficients: { weights: [1, 2], bias: 'NaN' } }, /coefficients\.bias must be a number, received "NaN"/],
      [{ ...good, model: { ...good.model, weights: [1, '2'] } }, /json\.weights\[1\] must be a number, received "2"/],
      [{ ...good, surprise: true }, /unknown option 'surprise'/],
    ];
    for (const [json, message] of cases) {
      expect(() => parseModelFile(json, 'm.json')).toThrow(/^m\.json is not a valid adam-simd model file: /);
      expect(() => parseModelFile(json, 'm.json')).toThrow(message);
    }
    const bad = join(dir, 'truncated.json');
    writeFileSync(bad, '{"kind": "adam-simd.Line');
    expect(() => readModelFile(bad)).toThrow(`${bad} is not a valid adam-simd model file`);
  });

  it('a network file (float32): same predictions after the JSON round trip; a weight no float32 can hold is refused', async () => {
    const net = new Sequential([new Dense({ units: 3, activation: 'relu', inputSize: 2 }), new Dense({ units: 1 })], {
      dtype: 'float32',
      seed: 3,
    });
    const path = join(dir, 'net.json');
    await writeModelFile(path, { target: 'y', features: ['a', 'b'], loss: 'mae', scaler: undefined, model: net });
    const file = readModelFile(path);
    expect(file.model).toBeInstanceOf(Sequential);
    expect(file.coefficients).toBeUndefined();
    const x32 = { data: Float32Array.from(x.data), rows: x.rows, cols: x.cols };
    expectSameBits(predictWithFile(file, x32), net.predict(x32));
    expect(() => LinearRegression.load(path)).toThrow(/holds a network, not a LinearRegression/);
    const json = modelFileJson(file) as unknown as { weights: Record<string, number[]>; architecture: { layers: object[] } };
    json.weights['dense0.kernel']![1] = 0.1;
    expect(() => parseModelFile(json, 'n.json')).toThrow(
      /^n\.json is not a valid adam-simd model file: weights\["dense0\.kernel"\]\[1\] must be a float32 value \(the model is float32\), received 0\.1$/,
    );
    json.weights['dense0.kernel']![1] = 0.5;
    const renamed = { ...json, weights: { ...json.weights, extra: [1] } };
    expect(() => parseModelFile(renamed, 'n.json')).toThrow(
      /weights are \[dense0\.kernel, dense0\.bias, dense1\.kernel, dense1\.bias, extra\] but the architecture needs/,
    );
    const twoOutputs = new Sequential([new Dense({ units: 2, inputSize: 2 })], { dtype: 'float32' });
    expect(() => parseModelFile(modelFileJson({ ...file, model: twoOutputs }), 'n.json')).toThrow(
      /the model has 2 outputs; a model file predicts one target/,
    );
  });
});
