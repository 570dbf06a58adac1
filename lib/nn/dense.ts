/** A fully connected layer, as Keras' Dense: h = activation(x·kernel + bias). */
import { ACTIVATIONS, type ActivationName } from '../reference/mlp.js';
import { checkBoolean, checkKnownKeys, checkNumber, checkOneOf, checkPlainObject } from '../validate.js';

export const INITIALIZERS = ['glorotUniform', 'heNormal', 'zeros'] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

export interface DenseOptions {
  units: number;
  /** Default 'linear'. */
  activation?: ActivationName;
  /** Default true. */
  useBias?: boolean;
  /** Of the kernel (the bias starts at zero, as in Keras). Default 'glorotUniform'. */
  kernelInitializer?: InitializerName;
  /** Features of the input: required on the first layer of a Sequential, ignored after. */
  inputSize?: number;
}

export class Dense {
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly inputSize: number | undefined;

  constructor(options: DenseOptions) {
    const o = checkPlainObject('Dense: options', options);
    checkKnownKeys('Dense: options', o, ['units', 'activation', 'useBias', 'kernelInitializer', 'inputSize']);
    this.units = checkNumber('Dense: options.units', o.units, { min: 1, integer: true });
    this.activation = o.activation === undefined ? 'linear' : checkOneOf('Dense: options.activation', o.activation, ACTIVATIONS);
    this.useBias = o.useBias === undefined ? true : checkBoolean('Dense: options.useBias', o.useBias);
    this.kernelInitializer =
      o.kernelInitializer === undefined
        ? 'glorotUniform'
        : checkOneOf('Dense: options.kernelInitializer', o.kernelInitializer, INITIALIZERS);
    this.inputSize =
      o.inputSize === undefined ? undefined : checkNumber('Dense: options.inputSize', o.inputSize, { min: 1, integer: true });
  }

  toJSON(): DenseOptions {
    return {
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      ...(this.inputSize === undefined ? {} : { inputSize: this.inputSize }),
    };
  }
}
