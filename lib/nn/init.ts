/** Seeded kernel initialisers, as Keras defines them. */
import type { FloatArray } from '../../binding.js';
import { gaussian, type Random } from '../data/random.js';
import type { InitializerName } from './dense.js';

/** Keras' truncated normal is redrawn beyond 2σ; this is the std of the unit normal so truncated. */
const TRUNCATED_STD = 0.8796256610342398;

export function initializeKernel(kernel: FloatArray, inputs: number, units: number, name: InitializerName, random: Random): void {
  if (name === 'zeros') {
    kernel.fill(0);
    return;
  }
  if (name === 'glorotUniform') {
    const limit = Math.sqrt(6 / (inputs + units));
    for (let p = 0; p < kernel.length; p++) kernel[p] = (2 * random() - 1) * limit;
    return;
  }
  const std = Math.sqrt(2 / inputs) / TRUNCATED_STD;
  for (let p = 0; p < kernel.length; p++) {
    let g: number;
    do g = gaussian(random);
    while (Math.abs(g) > 2);
    kernel[p] = g * std;
  }
}
