/**
 * The TypeScript reference of the native mlpLossGrad / mlpForward: the exact operation order
 * of native/NUMERICS.md ("Neural networks"), so both give the same bits. Like the optimizer
 * kernels it trusts its caller (lib/nn validates every call first).
 */
import type { FloatArray, MlpArgs, MlpLossName } from '../../binding.js';
import { exp64, log1p64, log64, sigmoid64, tanh64 } from './mlp-math.js';
import { regressionTerm, type Term } from './regression-loss.js';
import { isFloat32, round } from './rounding.js';

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
function forwardLayer(a: FloatArray, rows: number, layer: Layer, params: FloatArray, h: FloatArray, f32: boolean): void {
  const { inputs, units, activation, kernel, bias } = layer;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < units; j++) {
      let acc = 0;
      for (let k = 0; k < inputs; k++) acc = round(acc + round(a[i * inputs + k]! * params[kernel + k * units + j]!, f32), f32);
      const z = bias >= 0 ? round(acc + params[bias + j]!, f32) : acc;
      h[i * units + j] = activate(activation, z, f32);
    }
  }
}

function activate(activation: number, z: number, f32: boolean): number {
  if (activation === RELU) return z < 0 ? 0 : z;
  if (activation === TANH) return round(tanh64(z), f32);
  if (activation === SIGMOID) return round(sigmoid64(z), f32);
  return z;
}

/** Every layer's outputs; the last is the network's. */
function forward(args: MlpArgs, layers: Layer[], f32: boolean): FloatArray[] {
  const Ctor = args.x.constructor as new (n: number) => FloatArray;
  const outputs: FloatArray[] = [];
  let a = args.x;
  for (const layer of layers) {
    const h = new Ctor(args.rows * layer.units);
    forwardLayer(a, args.rows, layer, args.params, h, f32);
    outputs.push(h);
    a = h;
  }
  return outputs;
}

export function mlpForward(args: MlpArgs): void {
  const layers = unpackLayers(args.layers);
  const outputs = forward(args, layers, isFloat32(args.x));
  args.output!.set(outputs[outputs.length - 1]!);
}

/**
 * The loss terms and the gradient at the last layer (dH, or dZ for the fused
 * cross-entropies, which then skip the activation backward). Returns the mean loss.
 */
function lossAndGradient(args: MlpArgs, last: Layer, h: FloatArray, logits: FloatArray, d: FloatArray, f32: boolean): number {
  const loss: MlpLossName = args.loss ?? 'mse';
  const y = args.y!;
  const rows = args.rows;
  const units = last.units;
  let total = 0;
  if (loss === 'sparseCategoricalCrossentropy') {
    const n = round(rows, f32);
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
      total = round(total + round(m + log64(s) - z[label]!, f32), f32);
      for (let j = 0; j < units; j++) d[i * units + j] = round(round(round(e[j]! / s, f32) - (j === label ? 1 : 0), f32) / n, f32);
    }
    return round(total / n, f32);
  }
  const n = round(rows * units, f32);
  if (loss === 'binaryCrossentropy') {
    for (let p = 0; p < rows * units; p++) {
      const z = logits[p]!;
      const t = y[p]!;
      total = round(total + round((z > 0 ? z : 0) - z * t + log1p64(exp64(-Math.abs(z))), f32), f32);
      d[p] = round(round(h[p]! - t, f32) / n, f32);
    }
    return round(total / n, f32);
  }
  const delta = round(args.delta ?? 1, f32);
  const halfDelta = round(0.5 * delta, f32);
  const term: Term = { loss: 0, grad: 0 };
  for (let p = 0; p < rows * units; p++) {
    regressionTerm(loss, round(h[p]! - y[p]!, f32), delta, halfDelta, f32, term);
    total = round(total + term.loss, f32);
    d[p] = round((loss === 'mse' ? round(2 * term.grad, f32) : term.grad) / n, f32);
  }
  return round(total / n, f32);
}

/** dZ from dH in place (NUMERICS.md, "Backward"). */
function activationBackward(activation: number, h: FloatArray, d: FloatArray, f32: boolean): void {
  for (let p = 0; p < d.length; p++) {
    const hp = h[p]!;
    if (activation === RELU) d[p] = hp > 0 ? d[p]! : 0;
    else if (activation === TANH) d[p] = round(d[p]! * round(1 - round(hp * hp, f32), f32), f32);
    else if (activation === SIGMOID) d[p] = round(d[p]! * round(hp * round(1 - hp, f32), f32), f32);
  }
}

export function mlpLossGrad(args: MlpArgs): number {
  const f32 = isFloat32(args.x);
  const layers = unpackLayers(args.layers);
  const outputs = forward(args, layers, f32);
  const last = layers.length - 1;
  const loss = args.loss ?? 'mse';
  const { rows, params } = args;
  const grads = args.grads!;
  const Ctor = args.x.constructor as new (n: number) => FloatArray;
  // Logits: the fused cross-entropies need z of a sigmoid last layer, recomputed unactivated.
  let logits = outputs[last]!;
  if (loss === 'binaryCrossentropy') {
    logits = new Ctor(outputs[last]!.length);
    forwardLayer(last === 0 ? args.x : outputs[last - 1]!, rows, { ...layers[last]!, activation: 0 }, params, logits, f32);
  }
  let d = new Ctor(rows * layers[last]!.units);
  const mean = lossAndGradient(args, layers[last]!, outputs[last]!, logits, d, f32);
  if (args.output) args.output.set(outputs[last]!);
  const fused = loss === 'binaryCrossentropy' || loss === 'sparseCategoricalCrossentropy';
  for (let l = last; l >= 0; l--) {
    const { inputs, units, activation, kernel, bias } = layers[l]!;
    if (!(l === last && fused)) activationBackward(activation, outputs[l]!, d, f32);
    const a = l === 0 ? args.x : outputs[l - 1]!;
    for (let k = 0; k < inputs; k++) {
      for (let j = 0; j < units; j++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s = round(s + round(a[i * inputs + k]! * d[i * units + j]!, f32), f32);
        grads[kernel + k * units + j] = s;
      }
    }
    if (bias >= 0) {
      for (let j = 0; j < units; j++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s = round(s + d[i * units + j]!, f32);
        grads[bias + j] = s;
      }
    }
    if (l === 0) break;
    const da = new Ctor(rows * inputs);
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < inputs; k++) {
        let s = 0;
        for (let j = 0; j < units; j++) s = round(s + round(d[i * units + j]! * params[kernel + k * units + j]!, f32), f32);
        da[i * inputs + k] = s;
      }
    }
    d = da;
  }
  return mean;
}
