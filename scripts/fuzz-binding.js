#!/usr/bin/env node
/**
 * Fuzzes every entry point of the native binding (binding.d.ts) with random and hostile
 * arguments: wrong types, lengths off by one, huge sizes, odd offsets, detached and shrunk
 * buffers, one buffer in two roles, bad hyperparameters, missing and extra fields, getters
 * that detach a buffer mid-read, Proxies; and prepared steps (plans) whose buffers are
 * detached, resized or replaced between two steps, and native training loops (trainLinreg).
 *
 *   node scripts/fuzz-binding.js [--seed N] [--calls N] [--seconds S]
 *
 * Needs dist/ (npx tsc -p .) and the addon (npx cmake-js compile, or ADAM_SIMD_BINARY).
 * Every call must either be accepted or throw a TypeError/RangeError (a FuzzGetterError that
 * the fuzzer's own getter threw may pass through), a rejected call must leave every byte of
 * every buffer as it was, and an accepted call whose arguments are valid must give the
 * reference's bits. Prints the seed and a summary; exits 1 on the first failure, printing
 * how to replay it.
 *
 * The WebAssembly backend (lib/wasm/) gets a share of the valid calls of its entry points,
 * each checked against the reference's bits: it validates nothing but linregLossGrad's
 * arguments (its callers, the optimizer classes and clipGradNorm, validate first), so hostile
 * calls are the binding's alone.
 */
import { parseArgs } from 'node:util';
import { seededRandom, shuffleInPlace } from '../dist/data/random.js';
import { loadNative } from '../dist/native.js';
import { optimizerDefinitions } from '../dist/optim/all.js';
import * as reference from '../dist/reference/index.js';
import { packScalars } from '../dist/scalars.js';
import { loadWasm, wasmBackend } from '../dist/wasm/index.js';
import { loadSchema } from './gen-schema.js';

const { values: flags } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    calls: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '120' },
  },
});
const seed = Number(flags.seed);
const maxCalls = Number(flags.calls);
const deadline = Date.now() + Number(flags.seconds) * 1000;

const load = loadNative();
if (!load.ok) {
  console.error(`fuzz-binding: the native addon did not load: ${load.reason}`);
  process.exit(2);
}
const root = load.binding;
const bindings = root.isas.map((isa) => root.forIsa(isa));
const wasm = wasmBackend();
if (!wasm) {
  const why = loadWasm();
  console.error(`fuzz-binding: the WebAssembly backend did not load: ${why.ok ? '' : why.reason}`);
  process.exit(2);
}
const wasmEntry = (fn) => (fn === 'linregLossGrad' ? wasm.linregLossGrad : wasm.kernels[fn]);

const random = seededRandom(seed);
const int = (n) => Math.floor(random() * n);
const pick = (list) => list[int(list.length)];
const chance = (p) => random() < p;

/** Thrown by the fuzzer's own getters: the binding may let it through unchanged. */
class FuzzGetterError extends Error {}

// ---------------------------------------------------------------- memory bookkeeping

/** Every buffer made for the current call, with the buffer that took over its memory if transferred. */
let buffers = [];
const movedTo = new Map();

function newBuffer(byteLength, kind) {
  let buffer;
  if (kind === 'shared') buffer = new SharedArrayBuffer(byteLength);
  else if (kind === 'resizable') buffer = new ArrayBuffer(byteLength, { maxByteLength: byteLength + 64 });
  else buffer = new ArrayBuffer(byteLength);
  buffers.push(buffer);
  return buffer;
}

const SPECIALS = [0, -0, 1, -1, 5e-324, 1e-45, -1e-40, 3.4e38, -3.4e38, 1e308, Infinity, -Infinity, NaN, 0.5, 1e-8];

function fillValue(positive) {
  const x = chance(0.15) ? pick(SPECIALS) : (random() * 2 - 1) * 2 ** (int(20) - 10);
  return positive ? Math.abs(x) : x;
}

/** A float view of `length` elements at a random (often odd) element offset in its own buffer. */
function floatArray(dtype, length, { kind = 'plain', positive = false } = {}) {
  const Float = dtype === 'f32' ? Float32Array : Float64Array;
  const offset = chance(0.6) ? int(5) : 0;
  const buffer = newBuffer((offset + length + int(3)) * Float.BYTES_PER_ELEMENT, kind);
  const view = new Float(buffer, offset * Float.BYTES_PER_ELEMENT, length);
  const whole = new Float(buffer);
  for (let i = 0; i < whole.length; i++) whole[i] = fillValue(positive);
  return view;
}

function detach(view) {
  if (!ArrayBuffer.isView(view)) return false;
  const buffer = view.buffer;
  if (buffer instanceof SharedArrayBuffer || buffer.byteLength === 0) return false;
  movedTo.set(buffer, structuredClone(buffer, { transfer: [buffer] }));
  return true;
}

function snapshot() {
  return buffers.map((b) => (b.byteLength === 0 ? new Uint8Array(0) : new Uint8Array(b.slice(0))));
}

/** The first buffer whose bytes changed since `before`, or -1 (a transferred buffer is followed to its new owner). */
function changedBuffer(before) {
  for (let k = 0; k < before.length; k++) {
    const now = movedTo.get(buffers[k]) ?? buffers[k];
    const bytes = new Uint8Array(now);
    const n = Math.min(bytes.length, before[k].length);
    for (let i = 0; i < n; i++) if (bytes[i] !== before[k][i]) return k;
  }
  return -1;
}

/** Bit equality where any NaN equals any NaN (native/NUMERICS.md: payloads are not part of the contract). */
function sameBits(a, b) {
  if (a.length !== b.length) return false;
  const wa = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const wb = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const size = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    for (let j = i * size; j < (i + 1) * size; j++) if (wa[j] !== wb[j]) return false;
  }
  return true;
}

const sameNumber = (a, b) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

// ---------------------------------------------------------------- valid calls

/** Valid scalars, at random, per optimizer: the relations between them (1 − β) are the fuzzer's. */
const VALID_SCALARS = {
  adam: () => {
    const beta1 = chance(0.1) ? 0 : random() * 0.999;
    const beta2 = chance(0.1) ? 0 : random() * 0.9999;
    return {
      beta1,
      oneMinusBeta1: 1 - beta1,
      beta2,
      oneMinusBeta2: 1 - beta2,
      stepSize: random() * 0.1,
      eps: chance(0.1) ? 0 : 1e-8,
      weightDecay: chance(0.5) ? 0 : random() * 0.1,
      decay: chance(0.5) ? 1 : 1 - random() * 0.01,
      amsgrad: chance(0.5),
      maximize: chance(0.3),
    };
  },
  sgd: () => ({
    lr: random() * 0.1,
    momentum: chance(0.3) ? 0 : random(),
    oneMinusDampening: chance(0.5) ? 1 : random(),
    weightDecay: chance(0.5) ? 0 : random() * 0.1,
    firstStep: chance(0.3),
    nesterov: chance(0.3),
    maximize: chance(0.3),
  }),
  adagrad: () => ({
    clr: random() * 0.1,
    eps: chance(0.1) ? 0 : 1e-10,
    weightDecay: chance(0.5) ? 0 : random() * 0.1,
    maximize: chance(0.3),
  }),
  rmsprop: () => {
    const alpha = chance(0.1) ? 0 : random();
    return {
      lr: random() * 0.1,
      alpha,
      oneMinusAlpha: 1 - alpha,
      eps: chance(0.1) ? 0 : 1e-8,
      weightDecay: chance(0.5) ? 0 : random() * 0.1,
      momentum: chance(0.3) ? 0 : random(),
      centered: chance(0.3),
      maximize: chance(0.3),
    };
  },
  lion: () => {
    const beta1 = chance(0.1) ? 0 : random() * 0.999;
    const beta2 = chance(0.1) ? 0 : random() * 0.999;
    return {
      lr: random() * 0.1,
      beta1,
      oneMinusBeta1: 1 - beta1,
      beta2,
      oneMinusBeta2: 1 - beta2,
      decay: chance(0.5) ? 1 : 1 - random() * 0.01,
    };
  },
};

/**
 * Per step entry point: its tensor fields, which are written and which hold values ≥ 0,
 * which are required under given scalars, and each number's range, all from the schema
 * (native/schema/optimizers.json), which the binding is generated from.
 */
const SCHEMA = loadSchema();
// Every optimizer of the library (lib/optim/all.ts) must be fuzzed: its family needs a schema row and valid scalars here.
for (const { kernel } of optimizerDefinitions) {
  if (!SCHEMA.some((o) => o.family === kernel) || !VALID_SCALARS[kernel]) {
    console.error(
      `fuzz-binding: lib/optim/all.ts has an optimizer of the kernel family '${kernel}', which the schema or VALID_SCALARS lacks`,
    );
    process.exit(2);
  }
}
const OPTIMIZERS = Object.fromEntries(
  SCHEMA.map((o) => {
    const kinds = Object.fromEntries(o.scalars.map((s) => [s.key, s.kind]));
    // A field with neededWhen: when its flag is set, or its number is not 0.
    const needed = (f, s) =>
      f.neededWhen === undefined || (kinds[f.neededWhen] === 'flag' ? Boolean(s[f.neededWhen]) : s[f.neededWhen] !== 0);
    return [
      `${o.family}Step`,
      {
        fields: o.fields.map((f) => f.key),
        written: o.fields.filter((f) => f.written).map((f) => f.key),
        positive: o.fields.filter((f) => f.positive).map((f) => f.key),
        required: (s) => o.fields.filter((f) => needed(f, s)).map((f) => f.key),
        scalars: VALID_SCALARS[o.family],
        ranges: Object.fromEntries(o.scalars.filter((s) => s.kind === 'number').map((s) => [s.key, s.range])),
      },
    ];
  }),
);
OPTIMIZERS.adamTraffic = { ...OPTIMIZERS.adamStep, required: () => ['param', 'grad', 'expAvg', 'expAvgSq'] };

const STEP_ENTRY_POINTS = SCHEMA.map((o) => `${o.family}Step`);
const ENTRY_POINTS = [
  ...STEP_ENTRY_POINTS,
  ...STEP_ENTRY_POINTS.map((fn) => `${fn}Async`),
  'adamTraffic',
  'sumSquares',
  'scale',
  'linregLossGrad',
  'readOnce',
  'gatherRows',
  'forIsa',
  'byteMisalignment',
];
const WASM_ENTRY_POINTS = [...STEP_ENTRY_POINTS, 'sumSquares', 'scale', 'linregLossGrad'];

const LENGTHS = [0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 65];

/**
 * A call: `args` for the binding, `expect` ('valid' | 'reject' | 'either'), and `prepare`,
 * which copies the arguments just before the call and returns the check run after it (a
 * failure message or '').
 */
function makeCall(fn) {
  const dtype = chance(0.5) ? 'f32' : 'f64';
  const base = fn.replace(/Async$/, '');
  if (base in OPTIMIZERS) return optimizerCall(fn, base, dtype);
  if (fn === 'sumSquares' || fn === 'scale') return arraysCall(fn, dtype);
  if (fn === 'linregLossGrad') return linregCall(dtype);
  if (fn === 'gatherRows') return gatherCall(dtype);
  const noCheck = () => () => '';
  if (fn === 'readOnce') {
    const args = [floatArray(dtype, pick(LENGTHS))];
    if (chance(0.3)) args.push({ threads: 1 + int(4) });
    return { args, expect: 'valid', prepare: noCheck };
  }
  if (fn === 'byteMisalignment') {
    const array = floatArray(dtype, pick(LENGTHS));
    const check = (result) => (Number.isInteger(result) && result >= 0 && result < 64 ? '' : `byteMisalignment returned ${result}`);
    return { args: [array], expect: 'valid', prepare: () => check };
  }
  return { args: [pick(root.isas)], expect: 'valid', prepare: noCheck };
}

function copyArgs(value) {
  if (ArrayBuffer.isView(value)) return value.slice();
  if (Array.isArray(value)) return value.map(copyArgs);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyArgs(v)]));
  return value;
}

function compareArrays(actual, expected, where) {
  if (ArrayBuffer.isView(actual)) return sameBits(actual, expected) ? '' : `${where} differs from the reference`;
  if (Array.isArray(actual)) {
    for (let i = 0; i < actual.length; i++) {
      const m = compareArrays(actual[i], expected[i], `${where}[${i}]`);
      if (m) return m;
    }
  } else if (actual && typeof actual === 'object') {
    for (const k of Object.keys(expected)) {
      const m = compareArrays(actual[k], expected[k], `${where}.${k}`);
      if (m) return m;
    }
  }
  return '';
}

/** One to four tensors of one random length each (LENGTHS), every field of the optimizer, some named. */
function randomTensors(spec, dtype, kind) {
  const tensors = [];
  for (let t = int(4); t >= 0; t--) {
    const length = pick(LENGTHS);
    const tensor = chance(0.3) ? { name: `t${t}` } : {};
    for (const f of spec.fields) tensor[f] = floatArray(dtype, length, { kind, positive: spec.positive.includes(f) });
    tensors.push(tensor);
  }
  return tensors;
}

function optimizerCall(fn, base, dtype) {
  const spec = OPTIMIZERS[base];
  const async = fn.endsWith('Async');
  const kind = async ? 'shared' : pick(['plain', 'plain', 'shared']);
  const scalars = spec.scalars();
  const tensors = randomTensors(spec, dtype, kind);
  // A copy of the list, so that changes to the list itself leave `tensors` to the checks.
  const args = base === 'adamTraffic' ? [[...tensors]] : [[...tensors], scalars];
  if (chance(0.3)) args.push({ threads: 1 + int(4) });
  const run = reference[base];
  return {
    args,
    spec,
    scalars,
    tensors,
    kind,
    dtype,
    hasScalars: base !== 'adamTraffic',
    expect: 'valid',
    prepare: () => {
      const expected = copyArgs(args);
      return () => {
        if (!run) return ''; // adamTraffic has no reference: it moves bytes, it computes nothing
        run(expected[0], expected[1]);
        return compareArrays(tensors, expected[0], `${fn} tensors`);
      };
    },
  };
}

function arraysCall(fn, dtype) {
  const arrays = [];
  for (let k = int(4); k >= 0; k--) arrays.push(floatArray(dtype, pick(LENGTHS)));
  const factor = (random() * 2 - 1) * 2 ** (int(40) - 20); // finite in both types, as scale requires
  const args = fn === 'scale' ? [arrays, factor] : [arrays];
  return {
    args,
    arrays,
    dtype,
    expect: 'valid',
    prepare: () =>
      ((expected) => (result) => {
        if (fn === 'scale') {
          reference.scale(expected, factor);
          return compareArrays(arrays, expected, 'scale arrays');
        }
        const want = reference.sumSquares(expected);
        return sameNumber(result, want) ? '' : `sumSquares returned ${result}, the reference ${want}`;
      })(copyArgs(arrays)),
  };
}

function linregCall(dtype) {
  const rows = 1 + int(20);
  const cols = 1 + int(20);
  const a = {
    x: floatArray(dtype, rows * cols),
    rows,
    cols,
    y: floatArray(dtype, rows),
    weights: floatArray(dtype, cols),
    bias: floatArray(dtype, 1),
    gradWeights: floatArray(dtype, cols),
    gradBias: floatArray(dtype, 1),
  };
  if (chance(0.5)) a.predictions = floatArray(dtype, rows);
  const loss = pick([undefined, 'mse', 'mae', 'huber']);
  if (loss) a.loss = loss;
  if (loss === 'huber' || chance(0.2)) a.delta = 0.01 + random() * 2;
  return {
    args: chance(0.3) ? [a, { threads: 1 + int(4) }] : [a],
    linreg: a,
    dtype,
    expect: 'valid',
    prepare: () =>
      ((expected) => (result) => {
        const want = reference.linregLossGrad(expected);
        return sameNumber(result, want)
          ? compareArrays(a, expected, 'linregLossGrad args')
          : `linregLossGrad returned ${result}, the reference ${want}`;
      })(copyArgs(a)),
  };
}

/** Row indices: a Uint32Array at a random offset in its own buffer, each below `rows`. */
function indexArray(length, rows, kind = 'plain') {
  const offset = chance(0.5) ? int(3) : 0;
  const view = new Uint32Array(newBuffer((offset + length + int(2)) * 4, kind), offset * 4, length);
  for (let k = 0; k < length; k++) view[k] = int(rows);
  return view;
}

function gatherCall(dtype) {
  const rows = 1 + int(12);
  const cols = 1 + int(9);
  const count = int(16);
  const g = { source: floatArray(dtype, rows * cols), cols, indices: indexArray(count, rows), target: floatArray(dtype, count * cols) };
  const args = [g.source, g.cols, g.indices, g.target];
  return {
    args,
    gather: g,
    dtype,
    expect: 'valid',
    prepare: () =>
      ((expected) => () => {
        reference.gatherRows(...expected);
        return compareArrays(g.target, expected[3], 'gatherRows target');
      })(copyArgs(args)),
  };
}

// ---------------------------------------------------------------- hostile changes

const NOT_ARRAYS = () => [
  undefined,
  null,
  0,
  1.5,
  'param',
  true,
  {},
  [],
  [1, 2, 3],
  new Int32Array(4),
  new Uint8Array(8),
  new DataView(new ArrayBuffer(8)),
  new BigInt64Array(2),
  new ArrayBuffer(16),
  Symbol('x'),
  () => 0,
  10n,
];
const BAD_NUMBERS = {
  nonNegative: [-1, -1e-300, NaN, Infinity, -Infinity],
  unitOpen: [1, 1.5, -0.1, NaN, Infinity],
  unitAbove: [0, 1.5, -1, NaN, Infinity],
  unitClosed: [1.01, -0.5, NaN, -Infinity],
};
const NOT_NUMBERS = () => [undefined, null, '0.1', {}, [], true, 1n, Symbol('s'), { valueOf: () => 0.1 }];

/** A field's value without running a getter an earlier change installed (undefined then). */
function peek(object, key) {
  return Object.getOwnPropertyDescriptor(object, key)?.value;
}

/** Length of a tensor (its param's), or -1 when that is no longer a float array. */
function tensorLength(t) {
  const param = peek(t, 'param');
  return ArrayBuffer.isView(param) ? param.length : -1;
}

/** Replaces `array` with a view whose memory overlaps it (or is it). */
function overlapping(array) {
  if (chance(0.5) || array.length < 2) return array;
  const Float = array.constructor;
  const shift = 1 + int(array.length - 1);
  const room = (array.buffer.byteLength - array.byteOffset) / Float.BYTES_PER_ELEMENT - shift;
  return room >= array.length ? new Float(array.buffer, array.byteOffset + shift * Float.BYTES_PER_ELEMENT, array.length) : array;
}

const OPTIMIZER_MUTATIONS = [
  // A required field of the wrong type, or missing.
  (c) => {
    const t = pick(c.tensors);
    const f = pick(c.spec.required(c.scalars));
    t[f] = pick(NOT_ARRAYS());
    return 'reject';
  },
  // A field one element too long or too short.
  (c) => {
    const t = pick(c.tensors);
    const n = tensorLength(t);
    const f = pick(c.spec.required(c.scalars).filter((k) => k !== 'param'));
    if (n + 1 === 0) return c.expect;
    const wrong = floatArray(c.dtype, chance(0.5) ? n + 1 : Math.max(0, n - 1), { kind: c.kind });
    t[f] = wrong;
    return wrong.length === n ? c.expect : 'reject';
  },
  // A field of the other dtype.
  (c) => {
    const t = pick(c.tensors);
    const f = pick(c.spec.required(c.scalars));
    t[f] = floatArray(c.dtype === 'f32' ? 'f64' : 'f32', Math.max(tensorLength(t), 0), { kind: c.kind });
    return 'reject';
  },
  // A field's buffer detached before the call.
  (c) => {
    const t = pick(c.tensors);
    const f = pick(c.spec.required(c.scalars));
    return detach(peek(t, f)) ? 'reject' : c.expect; // a detached view is refused whatever its length
  },
  // A resizable buffer shrunk under a fixed-length view (before the call or in a getter).
  (c) => {
    const t = pick(c.tensors);
    const f = pick(c.spec.required(c.scalars));
    const n = tensorLength(t);
    if (n < 0) return c.expect;
    const view = floatArray(c.dtype, n, { kind: 'resizable' });
    const old = peek(t, f);
    if (ArrayBuffer.isView(old) && old.length === n && old.constructor === view.constructor) view.set(old);
    t[f] = view;
    const shrink = () => view.buffer.resize(Math.max(0, view.byteOffset + view.byteLength - 1 - int(4)));
    if (chance(0.5)) shrink();
    else lateGetter(c, shrink);
    return n > 0 ? 'reject' : 'either';
  },
  // One memory in two roles: a written field overlapping another field of the call.
  (c) => {
    const a = pick(c.tensors);
    const b = pick(c.tensors);
    const fa = pick(c.spec.required(c.scalars).filter((k) => c.spec.written.includes(k)));
    const fb = pick(c.spec.required(c.scalars));
    if (a === b && fa === fb) return c.expect;
    const source = peek(b, fb);
    if (!ArrayBuffer.isView(source)) return c.expect;
    const over = overlapping(source);
    if (over.length !== tensorLength(a)) return 'either';
    a[fa] = over;
    return over.length > 0 ? 'reject' : 'either';
  },
];

/** Changes that keep a valid call valid: read-only aliasing, extra fields, forwarding Proxies. */
const HARMLESS_OPTIMIZER_MUTATIONS = [
  // Read-only memory in two roles (the same gradient for two tensors of one length): allowed.
  (c) => {
    const same = c.tensors.filter((t) => tensorLength(t) === tensorLength(c.tensors[0]));
    if (same.length < 2) return c.expect;
    const grad = peek(same[0], 'grad');
    if (!ArrayBuffer.isView(grad) || grad.length !== tensorLength(same[0])) return c.expect;
    same[1].grad = grad;
    return c.expect;
  },
  // Extra fields everywhere: ignored.
  (c) => {
    pick(c.tensors).extra = floatArray(c.dtype, 3);
    if (c.hasScalars) c.scalars.unused = NaN;
    pick(c.tensors).name = pick([42, 'x'.repeat(1000), undefined, {}]);
    return c.expect;
  },
  // Proxies that forward everything: the same values, so the same result.
  (c) => {
    const i = int(c.args[0].length);
    c.args[0][i] = new Proxy(c.args[0][i], {});
    if (c.hasScalars) c.args[1] = new Proxy(c.args[1], {});
    return c.expect;
  },
];

OPTIMIZER_MUTATIONS.push(
  // Scalars packed into a Float64Array in the binding's scalarKeys order: as valid as the
  // object, or refused when the length, the element type, a value or a flag is wrong.
  (c) => {
    if (!c.hasScalars) return c.expect;
    const keys = root.scalarKeys[c.fn.replace(/Step(Async)?$/, '')];
    const packed = Float64Array.from(keys, (k) => Number(c.scalars[k] ?? 0));
    c.args[1] = packed;
    const r = int(5);
    if (r === 0) return c.expect;
    if (r === 1) c.args[1] = packed.subarray(0, int(keys.length));
    else if (r === 2) c.args[1] = Float32Array.from(packed);
    else if (r === 3) {
      const [key, range] = pick(Object.entries(c.spec.ranges));
      packed[keys.indexOf(key)] = pick(BAD_NUMBERS[range]);
    } else {
      const flags = keys.filter((k) => !(k in c.spec.ranges));
      if (flags.length === 0) return c.expect; // Lion has no flags: the packed form as it is
      packed[keys.indexOf(pick(flags))] = pick([2, -1, 0.5, NaN]);
    }
    return 'reject';
  },
  // A hyperparameter out of its range, not a number, or missing.
  (c) => {
    if (!c.hasScalars) return c.expect;
    const [key, range] = pick(Object.entries(c.spec.ranges));
    if (chance(0.2)) delete c.scalars[key];
    else c.scalars[key] = chance(0.5) ? pick(BAD_NUMBERS[range]) : pick(NOT_NUMBERS());
    return 'reject';
  },
  // A getter that detaches a field read earlier (the binding re-checks every view at the end).
  (c) => {
    const victims = c.tensors
      .flatMap((t) => c.spec.required(c.scalars).map((f) => peek(t, f)))
      .filter((v) => ArrayBuffer.isView(v) && v.length > 0);
    if (victims.length === 0 || c.kind === 'shared') return c.expect;
    const victim = pick(victims);
    lateGetter(c, () => detach(victim));
    return 'reject';
  },
  // A getter on a later field or scalar that shrinks or detaches a field read earlier.
  (c) => {
    if (c.kind === 'shared') return c.expect; // async twins: such memory can be neither
    const t = c.tensors[c.tensors.length - 1];
    const fields = c.spec.required(c.scalars).filter((f) => f !== 'param');
    const victimOf = pick(c.tensors.slice(0, -1).concat([t]));
    const vf = victimOf === t ? 'param' : pick(c.spec.required(c.scalars));
    const victim = peek(victimOf, vf);
    if (!ArrayBuffer.isView(victim) || victim.length === 0) return c.expect;
    const copy = resizableCopy(victim);
    victimOf[vf] = copy;
    return getterThatBreaks(t, pick(fields), copy) ? 'reject' : c.expect;
  },
  // A getter that throws.
  (c) => {
    const t = pick(c.tensors);
    const f = pick(c.spec.required(c.scalars));
    Object.defineProperty(t, f, {
      get() {
        throw new FuzzGetterError('getter');
      },
      set() {},
      enumerable: true,
      configurable: true,
    });
    return 'reject';
  },
  // The tensor list itself: not an array, a Proxy, or with a hole or a non-object.
  (c) => {
    const list = c.args[0];
    if (!Array.isArray(list)) return 'reject';
    const r = int(4);
    if (r === 0) c.args[0] = pick([undefined, null, {}, 'tensors', list[0], new Float32Array(2), new Proxy(list, {})]);
    else if (r === 1) list[list.length + 1] = list[0];
    else if (r === 2) list.push(pick([null, 1, 'x', [], new Float32Array(2)]));
    else c.args[0] = { length: 2 ** 32 - 1, 0: list[0] };
    return 'reject';
  },
  // The options argument: bad thread counts (huge, fractional, zero, wrong type).
  (c) => {
    c.args[c.hasScalars ? 2 : 1] = { threads: pick([0, -1, 1.5, 1025, 2 ** 53, NaN, Infinity, '2', null]) };
    return 'reject';
  },
  // The async twins on a plain ArrayBuffer.
  (c) => {
    if (!c.async) return c.expect;
    const t = pick(c.tensors);
    const f = pick(c.spec.required(c.scalars));
    const view = floatArray(c.dtype, Math.max(tensorLength(t), 0));
    t[f] = view;
    return 'reject';
  },
);

/**
 * Replaces a scalar or the last tensor's grad by a getter that runs `action` the first time
 * it is read: whatever the binding reads before or after it, the call must be refused.
 */
function lateGetter(c, action) {
  const holder = c.hasScalars && chance(0.5) ? c.scalars : c.tensors[c.tensors.length - 1];
  const key = holder === c.scalars ? pick(Object.keys(c.spec.ranges)) : 'grad';
  let value = holder[key];
  let done = false;
  Object.defineProperty(holder, key, {
    get() {
      if (!done) action();
      done = true;
      return value;
    },
    set(v) {
      value = v;
    },
    enumerable: true,
    configurable: true,
  });
}

const ARRAYS_MUTATIONS = [
  (c) => {
    c.arrays[int(c.arrays.length)] = pick(NOT_ARRAYS());
    return 'reject';
  },
  (c) => {
    c.arrays.push(floatArray(c.dtype === 'f32' ? 'f64' : 'f32', 1 + int(5)));
    return 'reject';
  },
  (c) => {
    const victim = pick(c.arrays);
    if (!ArrayBuffer.isView(victim)) return c.expect;
    if (c.fn === 'scale' && victim.length > 0) {
      c.arrays.push(overlapping(victim));
      return 'reject';
    }
    c.arrays.push(victim); // read-only aliasing is allowed for sumSquares
    return c.fn === 'scale' ? 'either' : c.expect;
  },
  (c) => {
    return detach(pick(c.arrays)) ? 'reject' : c.expect;
  },
  (c) => {
    c.args[0] = pick([undefined, null, {}, 'x', new Float32Array(3), new Proxy([], {})]);
    return 'reject';
  },
  (c) => {
    if (c.fn !== 'scale') return c.expect;
    c.args[1] = chance(0.5) ? pick([undefined, null, '2', {}, 1n]) : pick([NaN, Infinity, -Infinity]);
    return typeof c.args[1] === 'number' ? 'either' : 'reject';
  },
];

/**
 * A getter that detaches or shrinks `victim` (an array the binding has read already) the first
 * time it runs: installed on `holder[key]`, read after it. Returns whether it can hurt the
 * call (false for a SharedArrayBuffer, which can be neither detached nor shrunk).
 */
function getterThatBreaks(holder, key, victim) {
  if (!ArrayBuffer.isView(victim) || victim.length === 0 || victim.buffer instanceof SharedArrayBuffer) return false;
  let value = holder[key];
  let done = false;
  const shrink = victim.buffer.resizable && chance(0.5);
  Object.defineProperty(holder, key, {
    get() {
      if (!done) {
        if (shrink) victim.buffer.resize(victim.byteOffset + victim.byteLength - 1 - int(Math.min(4, victim.byteLength - 1)));
        else detach(victim);
      }
      done = true;
      return value;
    },
    set(v) {
      value = v;
    },
    enumerable: true,
    configurable: true,
  });
  return true;
}

/** A copy of `array` in a resizable buffer (so a getter can shrink it), registered for the checks. */
function resizableCopy(array) {
  const view = floatArray(array instanceof Float32Array ? 'f32' : 'f64', array.length, { kind: 'resizable' });
  view.set(array);
  return view;
}

ARRAYS_MUTATIONS.push(
  // A getter on a later element that detaches or shrinks an earlier one.
  (c) => {
    if (c.arrays.length < 2) c.arrays.push(floatArray(c.dtype, pick(LENGTHS)));
    const later = 1 + int(c.arrays.length - 1);
    const earlier = int(later);
    if (chance(0.5) && ArrayBuffer.isView(c.arrays[earlier])) c.arrays[earlier] = resizableCopy(c.arrays[earlier]);
    return getterThatBreaks(c.arrays, later, c.arrays[earlier]) ? 'reject' : c.expect;
  },
);

const LINREG_MUTATIONS = [
  (c) => {
    const k = pick(['x', 'y', 'weights', 'bias', 'gradWeights', 'gradBias']);
    c.linreg[k] = pick(NOT_ARRAYS());
    return 'reject';
  },
  (c) => {
    c.linreg[pick(['rows', 'cols'])] = pick([0, -1, 1.5, NaN, Infinity, 2 ** 31, 2 ** 53, '3', undefined]);
    return 'reject';
  },
  (c) => {
    const k = pick(['rows', 'cols']);
    c.linreg[k] += chance(0.5) ? 1 : -1;
    return 'reject';
  },
  (c) => {
    c.linreg.rows = 2 ** 26;
    c.linreg.cols = 2 ** 26;
    return 'reject';
  },
  (c) => {
    const k = pick(['gradWeights', 'gradBias', 'predictions']);
    const from = pick(['x', 'y', 'weights', 'gradWeights', 'predictions']);
    if (!c.linreg[k] || !c.linreg[from] || k === from) return c.expect;
    const n = c.linreg[k].length;
    const src = c.linreg[from];
    if (src.length < n) return c.expect;
    c.linreg[k] = src.subarray(0, n);
    return 'reject';
  },
  (c) => {
    c.linreg.loss = pick(['MSE', 'l1', '', 3, {}]);
    return 'reject';
  },
  (c) => {
    c.linreg.loss = 'huber';
    c.linreg.delta = pick([0, -1, NaN, Infinity, undefined, '1']);
    return 'reject';
  },
  (c) => {
    const k = pick(['x', 'y', 'weights', 'gradWeights']);
    return detach(c.linreg[k]) ? 'reject' : c.expect;
  },
  (c) => {
    const victim = c.linreg.x;
    let done = false;
    let loss = 'mse';
    Object.defineProperty(c.linreg, 'loss', {
      get() {
        if (!done) detach(victim);
        done = true;
        return loss;
      },
      set(v) {
        loss = v;
      },
      enumerable: true,
      configurable: true,
    });
    return 'reject';
  },
  // The options argument: bad thread counts, and a getter that detaches x (options are
  // read first, so the detached x must then be refused).
  (c) => {
    c.args[1] = pick([3, 'all', { threads: pick([0, -1, 1.5, 1025, NaN, '2', null]) }]);
    return 'reject';
  },
  (c) => {
    const victim = c.linreg.x;
    c.args[1] = {
      get threads() {
        detach(victim);
        return 2;
      },
    };
    return 'reject';
  },
  // A getter on any field read after an array that detaches or shrinks that array.
  (c) => {
    const order = ['x', 'y', 'weights', 'bias', 'gradWeights', 'gradBias', 'predictions', 'loss', 'delta'];
    const at = 1 + int(order.length - 1);
    const victim = order[int(at)];
    if (!ArrayBuffer.isView(c.linreg[victim])) return c.expect; // a count, the loss, or absent
    if (chance(0.5)) c.linreg[victim] = resizableCopy(c.linreg[victim]);
    if (order[at] === 'delta') c.linreg.loss = 'huber';
    if (order[at] === 'delta' && c.linreg.delta === undefined) c.linreg.delta = 1;
    return getterThatBreaks(c.linreg, order[at], c.linreg[victim]) ? 'reject' : c.expect;
  },
  (c) => {
    c.args[0] = pick([undefined, null, 'x', [], new Proxy(c.linreg, {})]);
    return Array.isArray(c.args[0]) || c.args[0] === null || typeof c.args[0] !== 'object' ? 'reject' : c.expect;
  },
];

/** 'valid' when gatherRows(source, cols, indices, target) is a valid call, else 'reject'. */
function gatherVerdict([source, cols, indices, target]) {
  const rows = source.length / cols;
  const valid = Number.isInteger(rows) && target.length === indices.length * cols && indices.every((k) => k < rows);
  return valid ? 'valid' : 'reject';
}

const GATHER_MUTATIONS = [
  (c) => {
    c.args[pick([0, 2, 3])] = pick(NOT_ARRAYS());
    return 'reject';
  },
  (c) => {
    c.args[1] = pick([0, -1, 1.5, NaN, Infinity, 2 ** 53, '3', undefined, null]);
    return 'reject';
  },
  // cols off by one or a wrong target length: usually refused, but not always (no indices,
  // and rows that stay whole), so the verdict is worked out from the new arguments.
  (c) => {
    if (chance(0.5)) {
      c.args[1] += 1;
    } else {
      const n = c.gather.target.length;
      c.args[3] = floatArray(c.dtype, n === 0 || chance(0.5) ? n + 1 + int(2) : n - 1);
    }
    return gatherVerdict(c.args);
  },
  // An index past the last row (anywhere, the last one included): nothing may be written.
  (c) => {
    const { indices, source, cols } = c.gather;
    if (indices.length === 0) return c.expect;
    indices[int(indices.length)] = source.length / cols + int(3);
    return 'reject';
  },
  (c) => {
    c.args[2] = pick([new Int32Array(c.gather.indices), new Float32Array(c.gather.indices), Array.from(c.gather.indices)]);
    return 'reject';
  },
  (c) => {
    c.args[3] = floatArray(c.dtype === 'f32' ? 'f64' : 'f32', c.gather.target.length);
    return 'reject';
  },
  // The target over the source or over the indices.
  (c) => {
    const { source, indices, target } = c.gather;
    if (target.length === 0) return c.expect;
    const Float = target.constructor;
    const over = chance(0.5) ? source : indices;
    if (over.byteLength < target.byteLength) return c.expect;
    c.args[3] = new Float(over.buffer, over.byteOffset - (over.byteOffset % Float.BYTES_PER_ELEMENT), target.length);
    return 'reject';
  },
  (c) => {
    return detach(c.args[pick([0, 2, 3])]) ? 'reject' : c.expect;
  },
  // Positional arguments leave a getter no place to run: one that would detach an earlier
  // array, as cols' valueOf or a later array's Proxy, must be refused unrun.
  (c) => {
    const victim = c.args[0];
    const breaker = {
      valueOf() {
        detach(victim);
        return c.gather.cols;
      },
    };
    if (chance(0.5)) c.args[1] = breaker;
    else
      c.args[pick([2, 3])] = new Proxy(c.args[3], {
        get(t, k) {
          detach(victim);
          return Reflect.get(t, k);
        },
      });
    return 'reject';
  },
];

/**
 * Applies at most one hostile change (so no later change can undo its verdict), with
 * harmless ones around it: the verdict is that change's.
 */
function mutate(fn, c) {
  c.fn = fn;
  c.async = fn.endsWith('Async');
  const list = c.spec
    ? OPTIMIZER_MUTATIONS
    : c.arrays
      ? ARRAYS_MUTATIONS
      : c.linreg
        ? LINREG_MUTATIONS
        : c.gather
          ? GATHER_MUTATIONS
          : null;
  if (!list) {
    if (chance(0.5)) return c.expect;
    if (chance(0.3)) return lateGetterUnread(fn, c);
    if (fn === 'readOnce' && chance(0.3)) {
      c.args[1] = pick([3, 'all', { threads: pick([0, 1.5, 1025, NaN, '2']) }]);
      return 'reject';
    }
    c.args[0] = pick([...NOT_ARRAYS(), 'sse', 'AVX2', '', 'neon', 'avx512 ']);
    if (fn === 'forIsa' && root.isas.includes(c.args[0])) return c.expect;
    return 'reject';
  }
  c.changes = [];
  const harmless = c.spec ? HARMLESS_OPTIMIZER_MUTATIONS : [];
  for (const change of harmless) if (chance(0.2)) change(c);
  if (chance(0.7)) {
    const k = int(list.length);
    c.changes.push(k);
    return list[k](c);
  }
  return c.expect;
}

/**
 * readOnce reads its options (the one getter it runs) before x; byteMisalignment and forIsa
 * run none. A getter or valueOf that detaches or shrinks an array they took must be refused,
 * or (readOnce's options, read first) leave an x the call then sees as it is.
 */
function lateGetterUnread(fn, c) {
  if (fn === 'readOnce') {
    const x = (c.args[0] = resizableCopy(c.args[0]));
    const shrink = chance(0.5);
    c.args[1] = {
      get threads() {
        if (shrink) x.buffer.resize(0);
        else detach(x);
        return 2;
      },
    };
    return x.length > 0 && !shrink ? 'reject' : 'either';
  }
  const victim = floatArray('f32', 4);
  c.args[0] = pick([
    {
      valueOf() {
        detach(victim);
        return 'scalar';
      },
    },
    new Proxy(victim, {
      get(t, k) {
        detach(victim);
        return Reflect.get(t, k);
      },
    }),
  ]);
  return 'reject';
}

// ---------------------------------------------------------------- prepared steps

const PLAN_FAMILIES = Object.fromEntries(SCHEMA.map((o) => [`${o.family}Step`, o.family]));

/**
 * A valid plan (<family>Plan, for every optimizer of the schema) stepped once, then one change before the
 * second step, as JavaScript can make between two steps: a buffer of the plan detached or
 * resized (runStep must answer false and write nothing), a gradient replaced by a fitting,
 * ill-fitting or aliasing array (replaceStepGrad must refuse what does not fit, changing
 * nothing), bad scalars (a TypeError/RangeError, nothing written). Every step that runs must
 * give the reference's bits with the gradients the plan then holds. Returns a failure message or ''.
 */
async function planScenario(binding) {
  const base = pick(Object.keys(PLAN_FAMILIES));
  const family = PLAN_FAMILIES[base];
  const spec = OPTIMIZERS[base];
  const dtype = chance(0.5) ? 'f32' : 'f64';
  const kind = pick(['plain', 'resizable', 'shared']);
  const scalars = spec.scalars();
  const packed = packScalars(family, scalars);
  const tensors = randomTensors(spec, dtype, kind);
  const expected = copyArgs(tensors);
  if (chance(0.2) && getterThatBreaks(tensors[tensors.length - 1], 'grad', tensors[0].param)) {
    // A getter read after tensors[0].param detaches or shrinks it: the plan must be refused.
    const before = snapshot();
    try {
      binding[`${family}Plan`]([{ group: 0, tensors: [...tensors] }], 1);
      return `${family}Plan accepted tensors a late getter had broken`;
    } catch (e) {
      if (!(e instanceof TypeError || e instanceof RangeError)) return `${family}Plan threw ${e?.constructor?.name}: ${e?.message}`;
    }
    return changedBuffer(before) >= 0 ? `${family}Plan wrote to a buffer` : '';
  }
  const plan = binding[`${family}Plan`]([{ group: 0, tensors: [...tensors] }], 1);
  if (binding.runStep(plan, packed) !== true) return `runStep refused an unchanged ${family} plan`;
  reference[base](expected, scalars);
  let message = compareArrays(tensors, expected, `${family} plan, first step`);
  if (message) return message;

  const t = int(tensors.length);
  const length = tensors[t].param.length;
  const field = pick(spec.fields);
  const change = pick(['none', 'detach', 'resize', 'replace', 'replace', 'scalars']);
  let shared = kind === 'shared'; // every array of the plan, as an asynchronous step needs
  let verdict = 'runs'; // or 'refused' (runStep false), 'either', 'throws'
  if (change === 'detach' && kind !== 'shared') {
    detach(tensors[t][field]);
    verdict = length > 0 ? 'refused' : 'either';
  } else if (change === 'resize' && kind === 'resizable') {
    const buffer = tensors[t][field].buffer;
    buffer.resize(chance(0.5) ? int(buffer.byteLength) : Math.min(buffer.maxByteLength, buffer.byteLength + 1 + int(32)));
    verdict = length > 0 ? 'refused' : 'either';
  } else if (change === 'replace') {
    const other = dtype === 'f32' ? 'f64' : 'f32';
    const [grad, fits] = pick([
      () => [floatArray(dtype, length, { kind: pick(['plain', 'shared']) }), 'yes'],
      () => [floatArray(dtype, length + 1), 'no'],
      () => [floatArray(other, length), length === 0 ? 'either' : 'no'],
      () => [tensors[int(tensors.length)].param.subarray(0, length), 'no'],
      () => [tensors[t][pick(spec.written)], length === 0 ? 'either' : 'no'],
    ])();
    const usable = grad.length === length && grad.constructor === tensors[t].param.constructor;
    const before = snapshot();
    const replaced = binding.replaceStepGrad(plan, t, grad);
    if (fits === 'yes' && !replaced) return `replaceStepGrad refused a fitting gradient for tensor ${t}`;
    if (fits === 'no' && replaced && (!usable || length > 0)) return `replaceStepGrad accepted an ill-fitting gradient for tensor ${t}`;
    if (changedBuffer(before) >= 0) return 'replaceStepGrad wrote to a buffer';
    if (replaced) {
      shared &&= grad.buffer instanceof SharedArrayBuffer;
      tensors[t].grad = grad;
      expected[t].grad = grad.slice();
    }
  } else if (change === 'scalars') {
    const before = snapshot();
    try {
      binding.runStep(plan, pick([new Float64Array(packed.length + 1), packed.subarray(1), Array.from(packed), new Float32Array(packed)]));
      return 'runStep accepted scalars of the wrong shape';
    } catch (e) {
      if (!(e instanceof TypeError)) return `runStep threw ${e?.constructor?.name} for bad scalars`;
    }
    if (changedBuffer(before) >= 0) return 'runStep wrote after refusing its scalars';
  }

  const before = snapshot();
  const async = shared && chance(0.5);
  let ran;
  if (async) {
    const running = binding.runStepAsync(plan, packed);
    ran = running !== false;
    if (ran) await running;
  } else {
    ran = binding.runStep(plan, packed);
  }
  if (!ran) {
    if (verdict === 'runs') return `${async ? 'runStepAsync' : 'runStep'} refused a plan after '${change}', which changes no buffer of it`;
    if (changedBuffer(before) >= 0) return `${async ? 'runStepAsync' : 'runStep'} answered false after '${change}' but a buffer changed`;
    return '';
  }
  if (verdict === 'refused') return `${async ? 'runStepAsync' : 'runStep'} ran a plan after '${change}' of tensor ${t}.${field}`;
  reference[base](expected, scalars);
  message = compareArrays(tensors, expected, `${family} plan, second step after '${change}'`);
  return message;
}

/**
 * trainLinreg: a linear model whose weights and bias are one Adam tensor (as
 * LinearRegression lays them out), trained a few epochs in one call — full batch, or
 * mini-batches of a random size in row order or shuffled from a random state — against the
 * reference's shuffle, gather, loss pass and step per batch; or one change before the call — a
 * late getter on the arguments or on options.batchSize that detaches or shrinks an array
 * (must throw or answer false, nothing written), a state buffer of the plan detached (false,
 * nothing written), data in memory a step writes (RangeError), a bad batchSize or randomState
 * (TypeError/RangeError, nothing written). Returns a failure message or ''.
 */
function trainScenario(binding) {
  const dtype = chance(0.5) ? 'f32' : 'f64';
  const Float = dtype === 'f32' ? Float32Array : Float64Array;
  const rows = 1 + int(20);
  const cols = 1 + int(12);
  const kind = pick(['plain', 'resizable']);
  const param = floatArray(dtype, cols + 1, { kind });
  const grad = floatArray(dtype, cols + 1, { kind });
  const tensor = {
    param,
    grad,
    expAvg: floatArray(dtype, cols + 1, { kind }),
    expAvgSq: floatArray(dtype, cols + 1, { kind, positive: true }),
    maxExpAvgSq: floatArray(dtype, cols + 1, { kind, positive: true }),
  };
  const view = (a, from, n) => new Float(a.buffer, a.byteOffset + from * Float.BYTES_PER_ELEMENT, n);
  const args = {
    x: floatArray(dtype, rows * cols, { kind }),
    rows,
    cols,
    y: floatArray(dtype, rows, { kind }),
    weights: view(param, 0, cols),
    bias: view(param, cols, 1),
    gradWeights: view(grad, 0, cols),
    gradBias: view(grad, cols, 1),
    loss: pick(['mse', 'mae', 'huber']),
    delta: 0.01 + random() * 2,
  };
  const epochs = 1 + int(6);
  const change = pick(['none', 'none', 'none', 'getter', 'optionsGetter', 'detach', 'apart', 'badBatching']);
  const batching = change === 'optionsGetter' ? pick(['ordered', 'shuffled']) : pick(['full', 'ordered', 'shuffled', 'shuffled']);
  const options =
    batching === 'full' ? undefined : { batchSize: 1 + int(rows + 2), ...(batching === 'shuffled' ? { randomState: int(2 ** 32) } : {}) };
  const size = Math.min(options?.batchSize ?? rows, rows);
  const steps = epochs * Math.ceil(rows / size);
  const perStep = [];
  const packed = new Float64Array(steps * 10);
  for (let k = 0; k < steps; k++) {
    const s = OPTIMIZERS.adamStep.scalars();
    perStep.push(s);
    packScalars('adam', s, packed, k * 10);
  }
  const plan = binding.adamPlan([{ group: 0, tensors: [tensor] }], 1);
  const before = snapshot();
  if (change === 'badBatching') {
    const bad = chance(0.5)
      ? { batchSize: pick([0, -1, 1.5, NaN, Infinity, 2 ** 53, '3', null, {}]) }
      : { batchSize: size, randomState: pick([-1, 2 ** 32, 0.5, NaN, -Infinity, '1', null, {}, 1n]) };
    try {
      binding.trainLinreg(plan, args, packed, bad);
      return `trainLinreg accepted options ${JSON.stringify(bad, (_k, v) => (typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : v))}`;
    } catch (e) {
      if (!(e instanceof TypeError || e instanceof RangeError) || !/options\.(batchSize|randomState)/.test(e.message))
        return `trainLinreg threw ${e?.constructor?.name} for bad batching: ${e?.message}`;
    }
    return changedBuffer(before) >= 0 ? 'trainLinreg wrote after refusing bad batching' : '';
  }
  if (
    change === 'optionsGetter' &&
    getterThatBreaks(options, 'batchSize', pick([args.x, args.y, args.weights, tensor.expAvg, tensor.expAvgSq]))
  ) {
    let result;
    try {
      result = binding.trainLinreg(plan, args, packed, options);
    } catch (e) {
      if (!(e instanceof TypeError || e instanceof RangeError)) return `trainLinreg threw ${e?.constructor?.name}: ${e?.message}`;
      return changedBuffer(before) >= 0 ? 'trainLinreg wrote after refusing an array its options getter broke' : '';
    }
    if (result !== false) return 'trainLinreg ran after its options getter broke an array';
    return changedBuffer(before) >= 0 ? 'trainLinreg answered false but a buffer changed' : '';
  }
  if (change === 'getter' && getterThatBreaks(args, pick(['y', 'gradWeights', 'gradBias', 'loss']), pick([args.x, args.weights]))) {
    try {
      binding.trainLinreg(plan, args, packed, options);
      return 'trainLinreg accepted arguments a late getter had broken';
    } catch (e) {
      if (!(e instanceof TypeError || e instanceof RangeError)) return `trainLinreg threw ${e?.constructor?.name}: ${e?.message}`;
    }
    return changedBuffer(before) >= 0 ? 'trainLinreg wrote after refusing a broken argument' : '';
  }
  if (change === 'detach' && detach(pick([tensor.expAvg, tensor.expAvgSq, tensor.maxExpAvgSq]))) {
    if (binding.trainLinreg(plan, args, packed, options) !== false) return 'trainLinreg ran a plan whose state buffer was detached';
    return changedBuffer(before) >= 0 ? 'trainLinreg answered false but a buffer changed' : '';
  }
  if (change === 'apart') {
    try {
      binding.trainLinreg(
        plan,
        {
          ...args,
          y: view(tensor.expAvg, 0, Math.min(rows, cols + 1)),
          rows: Math.min(rows, cols + 1),
          x: floatArray(dtype, Math.min(rows, cols + 1) * cols),
        },
        packed,
      );
      return 'trainLinreg accepted y in memory a step writes';
    } catch (e) {
      if (!(e instanceof RangeError)) return `trainLinreg threw ${e?.constructor?.name} for y in written memory: ${e?.message}`;
    }
    return changedBuffer(before) >= 0 ? 'trainLinreg wrote after refusing y in written memory' : '';
  }
  // Expected: per batch (the Trainer's: lib/trainer/batches.ts) the reference pass, then (if
  // its loss is finite) the reference step; an epoch's loss is the rows-weighted mean.
  const expected = copyArgs(tensor);
  const expectedArgs = {
    ...copyArgs(args),
    weights: view(expected.param, 0, cols),
    bias: view(expected.param, cols, 1),
    gradWeights: view(expected.grad, 0, cols),
    gradBias: view(expected.grad, cols, 1),
  };
  const shuffler = options?.randomState === undefined ? undefined : seededRandom(options.randomState);
  const order = new Uint32Array(rows);
  const losses = [];
  let taken = 0;
  epochLoop: for (let e = 0; e < epochs; e++) {
    for (let i = 0; i < rows; i++) order[i] = i;
    if (shuffler && size < rows) shuffleInPlace(order, shuffler);
    let total = 0;
    let loss;
    for (let start = 0; start < rows; start += size) {
      const n = Math.min(size, rows - start);
      const batch = { ...expectedArgs, x: new Float(n * cols), y: new Float(n), rows: n };
      reference.gatherRows(expectedArgs.x, cols, order.subarray(start, start + n), batch.x);
      reference.gatherRows(expectedArgs.y, 1, order.subarray(start, start + n), batch.y);
      loss = reference.linregLossGrad(size === rows ? expectedArgs : batch);
      if (!Number.isFinite(loss)) {
        losses.push(loss);
        break epochLoop;
      }
      reference.adamStep([expected], perStep[taken++]);
      total += loss * n;
    }
    // A full batch is the pass on all rows, its loss as it is.
    losses.push(size === rows ? loss : total / rows);
  }
  let result;
  try {
    result = binding.trainLinreg(plan, args, packed, options);
  } catch (e) {
    // Scalars the fuzzer drew may not fit float32 (e.g. a stepSize that overflows): refused before any epoch.
    if (e instanceof RangeError && /scalars/.test(e.message))
      return changedBuffer(before) >= 0 ? 'trainLinreg wrote after refusing its scalars' : '';
    return `trainLinreg threw ${e?.constructor?.name}: ${e?.message}`;
  }
  if (result === false) return 'trainLinreg refused an unchanged plan';
  if (!sameBits(result.losses, Float64Array.from(losses)))
    return `trainLinreg losses differ from the reference (${result.losses} vs ${losses})`;
  if (result.steps !== taken) return `trainLinreg took ${result.steps} steps, the reference ${taken}`;
  if (result.randomState !== shuffler?.state)
    return `trainLinreg's random state after is ${result.randomState}, the reference's ${shuffler?.state}`;
  return compareArrays(tensor, expected, 'trainLinreg tensor');
}

// ---------------------------------------------------------------- the loop

let current;
const stats = { calls: 0, accepted: 0, rejected: 0, checked: 0, byFn: {}, getterErrors: 0, plans: 0, trains: 0, wasm: 0 };

function fail(message, iteration) {
  console.error(`fuzz-binding: FAILURE at call ${iteration} (seed ${seed}): ${message} (hostile changes #${current?.changes ?? 'none'})`);
  console.error(`replay: node scripts/fuzz-binding.js --seed ${seed} --calls ${iteration + 1}`);
  process.exit(1);
}

console.log(`fuzz-binding: seed ${seed}, up to ${maxCalls} calls or ${flags.seconds} s, ISAs ${root.isas.join(', ')}`);
const started = process.hrtime.bigint();
for (let iteration = 0; iteration < maxCalls && (iteration % 256 !== 0 || Date.now() < deadline); iteration++) {
  buffers = [];
  movedTo.clear();
  const binding = pick(bindings);
  if (chance(0.05)) {
    current = null;
    stats.trains++;
    const message = trainScenario(binding);
    if (message) fail(`native training loop on ${binding.isa}: ${message}`, iteration);
    continue;
  }
  if (chance(0.15)) {
    current = null;
    stats.plans++;
    const message = await planScenario(binding);
    if (message) fail(`prepared step on ${binding.isa}: ${message}`, iteration);
    continue;
  }
  if (chance(0.1)) {
    const fn = pick(WASM_ENTRY_POINTS);
    const call = (current = makeCall(fn));
    const check = call.prepare();
    stats.wasm++;
    let result;
    try {
      result = wasmEntry(fn)(...call.args);
    } catch (e) {
      fail(`wasm ${fn} threw on a valid call: ${e?.message ?? e}`, iteration);
    }
    const message = check(result);
    if (message) fail(`${fn} on wasm: ${message}`, iteration);
    continue;
  }
  const fn = pick(ENTRY_POINTS);
  const call = (current = makeCall(fn));
  const expect = mutate(fn, call);
  const before = snapshot();
  // Copied only for valid calls: copying runs getters, and a hostile one would act early.
  const check = expect === 'valid' ? call.prepare() : null;
  stats.calls++;
  const perFn = (stats.byFn[fn] ??= { accepted: 0, rejected: 0 });
  let result;
  let error;
  try {
    result = binding[fn](...call.args);
    if (fn.endsWith('Async')) {
      if (!(result instanceof Promise)) fail(`${fn} accepted the call but returned ${typeof result}, not a Promise`, iteration);
      result = await result.catch((e) => fail(`${fn}'s promise rejected after a synchronous acceptance: ${e}`, iteration));
    }
  } catch (e) {
    error = e;
  }
  if (error) {
    stats.rejected++;
    perFn.rejected++;
    if (error instanceof FuzzGetterError) stats.getterErrors++;
    else if (!(error instanceof TypeError || error instanceof RangeError))
      fail(`${fn} threw ${error?.constructor?.name}: ${error?.message ?? error}`, iteration);
    else if (!/received|must|expected|has|share|detached|resized|changed|unknown|not/i.test(error.message))
      fail(`${fn}: unhelpful message: ${error.message}`, iteration);
    if (expect === 'valid') fail(`${fn} rejected a valid call: ${error.message}`, iteration);
    const k = changedBuffer(before);
    if (k >= 0) fail(`${fn} rejected the call (${error.message}) but buffer ${k} changed`, iteration);
  } else {
    stats.accepted++;
    perFn.accepted++;
    if (expect === 'reject') fail(`${fn} accepted a call it must reject`, iteration);
    if (expect === 'valid') {
      const message = check(result);
      if (message) fail(`${fn} on ${binding.isa}: ${message}`, iteration);
      stats.checked++;
    }
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(
  `fuzz-binding: ${stats.calls} calls in ${seconds.toFixed(1)} s (${Math.round(stats.calls / seconds)} calls/s): ` +
    `${stats.accepted} accepted (${stats.checked} checked against the reference), ${stats.rejected} rejected ` +
    `(${stats.getterErrors} by the fuzzer's own throwing getters); ${stats.plans} prepared steps changed between two steps, ${stats.trains} native training loops; ` +
    `${stats.wasm} valid wasm calls checked against the reference; ` +
    'no crash, no write on rejection',
);
for (const [fn, s] of Object.entries(stats.byFn))
  console.log(`  ${fn.padEnd(17)} ${String(s.accepted).padStart(7)} accepted ${String(s.rejected).padStart(7)} rejected`);
