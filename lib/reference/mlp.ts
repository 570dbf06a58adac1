/**
 * The TypeScript reference of the native mlpLossGrad / mlpForward: the exact operation order
 * of native/NUMERICS.md ("Neural networks"), so both give the same bits. Like the optimizer
 * kernels it trusts its caller (lib/nn validates every call first).
 */
import type { FloatArray, MlpArgs, MlpLossName } from '../../binding.js';
import { exp64, log1p64, log64, sigmoid64, tanh64 } from './mlp-math.js';
import { regressionTerm, type Term } from './regression-loss.js';
import { roundingFor, type Round } from './rounding.js';

export const ACTIVATIONS = ['linear', 'relu', 'tanh', 'sigmoid'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];
const RELU = 1;
const TANH = 2;
const SIGMOID = 3;

interface Layer {
  inputs: number;
  units: number;
  activation: number;
  kernel: number; // offset of W in params
  bias: number; // offset of b, or −1
}

/** The layers of a packed spec, with the offsets of their weights in params. */
export function unpackLayers(spec: Uint32Array): Layer[] {
  const layers: Layer[] = [];
  let offset = 0;
  for (let l = 0; l < spec.length / 4; l++) {
    const inputs = spec[4 * l]!;
    const units = spec[4 * l + 1]!;
    const kernel = offset;
    offset += inputs * units;
    const bias = spec[4 * l + 3] ? offset : -1;
    if (bias >= 0) offset += units;
    layers.push({ inputs, units, activation: spec[4 * l + 2]!, kernel, bias });
  }
  return layers;
}

/** h = act(A·W + b) for every row (NUMERICS.md, "Forward"). */
function forwardLayer(a: FloatArray, rows: number, layer: Layer, params: FloatArray, h: FloatArray, r: Round): void {
  const { inputs, units, activation, kernel, bias } = layer;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < units; j++) {
      let acc = 0;
      for (let k = 0; k < inputs; k++) acc = r(acc + r(a[i * inputs + k]! * params[kernel + k * units + j]!));
      const z = bias >= 0 ? r(acc + params[bias + j]!) : acc;
      h[i * units + j] = activate(activation, z, r);
    }
  }
}

function activate(activation: number, z: number, r: Round): number {
  if (activation === RELU) return z < 0 ? 0 : z;
  if (activation === TANH) return r(tanh64(z));
  if (activation === SIGMOID) return r(sigmoid64(z));
  return z;
}

/** Every layer's outputs; the last is the network's. */
function forward(args: MlpArgs, layers: Layer[], r: Round): FloatArray[] {
  const Ctor = args.x.constructor as new (n: number) => FloatArray;
  const outputs: FloatArray[] = [];
  let a = args.x;
  for (const layer of layers) {
    const h = new Ctor(args.rows * layer.units);
    forwardLayer(a, args.rows, layer, args.params, h, r);
    outputs.push(h);
    a = h;
  }
  return outputs;
}

export function mlpForward(args: MlpArgs): void {
  const layers = unpackLayers(args.layers);
  const outputs = forward(args, layers, roundingFor(args.x));
  args.output!.set(outputs[outputs.length - 1]!);
}

/**
 * The loss terms and the gradient at the last layer (dH, or dZ for the fused
 * cross-entropies, which then skip the activation backward). Returns the mean loss.
 */
function lossAndGradient(args: MlpArgs, last: Layer, h: FloatArray, logits: FloatArray, d: FloatArray, r: Round): number {
  const loss: MlpLossName = args.loss ?? 'mse';
  const y = args.y!;
  const rows = args.rows;
  const units = last.units;
  let total = 0;
  if (loss === 'sparseCategoricalCrossentropy') {
    const n = r(rows);
    const e = new Float64Array(units);
    for (let i = 0; i < rows; i++) {
      const z = logits.subarray(i * units, (i + 1) * units);
      let m = z[0]!;
      for (let j = 1; j < units; j++) m = z[j]! > m ? z[j]! : m;
      let s = 0;
      for (let j = 0; j < units; j++) {
        e[j] = exp64(z[j]! - m);
        s = s + e[j]!;
      }
      const label = y[i]!;
      total = r(total + r(m + log64(s) - z[label]!));
      for (let j = 0; j < units; j++) d[i * units + j] = r(r(r(e[j]! / s) - (j === label ? 1 : 0)) / n);
    }
    return r(total / n);
  }
  const n = r(rows * units);
  if (loss === 'binaryCrossentropy') {
    for (let p = 0; p < rows * units; p++) {
      const z = logits[p]!;
      const t = y[p]!;
      total = r(total + r((z > 0 ? z : 0) - z * t + log1p64(exp64(-Math.abs(z)))));
      d[p] = r(r(h[p]! - t) / n);
    }
    return r(total / n);
  }
  const delta = r(args.delta ?? 1);
  const halfDelta = r(0.5 * delta);
  const term: Term = { loss: 0, grad: 0 };
  for (let p = 0; p < rows * units; p++) {
    regressionTerm(loss, r(h[p]! - y[p]!), delta, halfDelta, r, term);
    total = r(total + term.loss);
    d[p] = r((loss === 'mse' ? r(2 * term.grad) : term.grad) / n);
  }
  return r(total / n);
}

/** dZ from dH in place (NUMERICS.md, "Backward"). */
function activationBackward(activation: number, h: FloatArray, d: FloatArray, r: Round): void {
  for (let p = 0; p < d.length; p++) {
    const hp = h[p]!;
    if (activation === RELU) d[p] = hp > 0 ? d[p]! : 0;
    else if (activation === TANH) d[p] = r(d[p]! * r(1 - r(hp * hp)));
    else if (activation === SIGMOID) d[p] = r(d[p]! * r(hp * r(1 - hp)));
  }
}

export function mlpLossGrad(args: MlpArgs): number {
  const r = roundingFor(args.x);
  const layers = unpackLayers(args.layers);
  const outputs = forward(args, layers, r);
  const last = layers.length - 1;
  const loss = args.loss ?? 'mse';
  const { rows, params } = args;
  const grads = args.grads!;
  const Ctor = args.x.constructor as new (n: number) => FloatArray;
  // Logits: the fused cross-entropies need z of a sigmoid last layer, recomputed unactivated.
  let logits = outputs[last]!;
  if (loss === 'binaryCrossentropy') {
    logits = new Ctor(outputs[last]!.length);
    forwardLayer(last === 0 ? args.x : outputs[last - 1]!, rows, { ...layers[last]!, activation: 0 }, params, logits, r);
  }
  let d = new Ctor(rows * layers[last]!.units);
  const mean = lossAndGradient(args, layers[last]!, outputs[last]!, logits, d, r);
  if (args.output) args.output.set(outputs[last]!);
  const fused = loss === 'binaryCrossentropy' || loss === 'sparseCategoricalCrossentropy';
  for (let l = last; l >= 0; l--) {
    const { inputs, units, activation, kernel, bias } = layers[l]!;
    if (!(l === last && fused)) activationBackward(activation, outputs[l]!, d, r);
    const a = l === 0 ? args.x : outputs[l - 1]!;
    for (let k = 0; k < inputs; k++) {
      for (let j = 0; j < units; j++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s = r(s + r(a[i * inputs + k]! * d[i * units + j]!));
        grads[kernel + k * units + j] = s;
      }
    }
    if (bias >= 0) {
      for (let j = 0; j < units; j++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s = r(s + d[i * units + j]!);
        grads[bias + j] = s;
      }
    }
    if (l === 0) break;
    const da = new Ctor(rows * inputs);
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < inputs; k++) {
        let s = 0;
        for (let j = 0; j < units; j++) s = r(s + r(d[i * units + j]! * params[kernel + k * units + j]!));
        da[i * inputs + k] = s;
      }
    }
    d = da;
  }
  return mean;
}
