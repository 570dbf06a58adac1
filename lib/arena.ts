/**
 * Parameters laid out for speed: every parameter a view into one buffer, and every
 * gradient a view into another, in the same order. An optimizer over such parameters
 * steps them all in one native call (its state buffers are laid out the same way), so
 * 10,000 small tensors cost about what one tensor of the same total size does.
 */
import { requireWasm } from './backend.js';
import { alignedArray } from './data/aligned.js';
import { checkBoolean, checkDtype, checkKnownKeys, checkNumber, checkPlainObject, type Dtype, type LegacyDtype } from './validate.js';

export interface ArenaOptions {
  /** Element type. Default 'float32' ('f32' / 'f64' are the deprecated spelling). */
  dtype?: Dtype | LegacyDtype;
  /**
   * Over SharedArrayBuffers: visible to worker threads, and required by stepAsync() on the
   * native backend (a shared buffer cannot be transferred away mid-step). Default false.
   */
  shared?: boolean;
  /**
   * In the WebAssembly backend's memory (over SharedArrayBuffers): an optimizer with
   * backend: 'wasm' then steps them with its state in place, copying nothing. Throws where
   * that backend does not load. Default false.
   */
  wasm?: boolean;
}

export type ArrayOf<D> = D extends 'float64' | 'f64' ? Float64Array : Float32Array;

export interface Arena<K extends string, A> {
  /** The parameters (zero-filled), by name; frozen, so names always map to the same views. */
  params: Readonly<Record<K, A>>;
  /** Their gradients, by the same names; pass this object to `opt.step` every step. */
  grads: Readonly<Record<K, A>>;
  /** All parameters as one array, in name order. */
  allParams: A;
  /** All gradients as one array, in name order. */
  allGrads: A;
}

/** `createParameters({ weights: 1000, bias: 1 })`: named, contiguous parameters and gradients. */
export function createParameters<K extends string, D extends Dtype | LegacyDtype = 'float32'>(
  lengths: Record<K, number>,
  options: ArenaOptions & { dtype?: D } = {},
): Arena<K, ArrayOf<D>> {
  const spec = checkPlainObject('createParameters: lengths', lengths);
  const opts = checkPlainObject('createParameters: options', options);
  checkKnownKeys('createParameters: options', opts, ['dtype', 'shared', 'wasm']);
  const dtype = opts.dtype === undefined ? 'float32' : checkDtype('createParameters: options.dtype', opts.dtype);
  const shared = opts.shared === undefined ? false : checkBoolean('createParameters: options.shared', opts.shared);
  const wasm = opts.wasm === undefined ? false : checkBoolean('createParameters: options.wasm', opts.wasm);
  const names = Object.keys(spec) as K[];
  if (names.length === 0) throw new RangeError('createParameters: lengths must name at least one parameter');
  const sizes = names.map((name) => checkNumber(`createParameters: lengths.${name}`, spec[name], { min: 0, integer: true }));
  const total = sizes.reduce((a, b) => a + b, 0);

  const Ctor = dtype === 'float64' ? Float64Array : Float32Array;
  // The wasm backend's memory is freed once every view of an allocation is collected: each is adopted.
  const inWasm = wasm ? requireWasm() : undefined;
  const allocate = (length: number) =>
    inWasm ? inWasm.allocateState(Ctor, length) : { storage: alignedArray(Ctor, length, shared), adopt: () => {} };
  const [p, g] = [allocate(total), allocate(total)];
  const allParams = p.storage;
  const allGrads = g.storage;
  const params: Record<string, Float32Array | Float64Array> = {};
  const grads: Record<string, Float32Array | Float64Array> = {};
  let offset = 0;
  names.forEach((name, i) => {
    params[name] = allParams.subarray(offset, offset + sizes[i]!);
    grads[name] = allGrads.subarray(offset, offset + sizes[i]!);
    p.adopt(params[name]);
    g.adopt(grads[name]);
    offset += sizes[i]!;
  });
  return {
    params: Object.freeze(params) as Readonly<Record<K, ArrayOf<D>>>,
    grads: Object.freeze(grads) as Readonly<Record<K, ArrayOf<D>>>,
    allParams: allParams as ArrayOf<D>,
    allGrads: allGrads as ArrayOf<D>,
  };
}
