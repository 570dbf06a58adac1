#!/usr/bin/env node
// Does the TypeScript reference keep its speed when one process steps a small tensor and then
// large ones, as a user's model with tensors of several sizes does, and after both dtypes ran?
// One f32 Adam step at a time through dist/reference (build first: npx tsc -p tsconfig.json);
// prints ns/param per call, the last calls of each phase. `--f64-first` steps float64 first.
import { alignedArray } from '../../dist/data/aligned.js';
import { adamScalars } from '../../dist/scalars.js';
import { adamStep } from '../../dist/reference/index.js';

const scalars = adamScalars(
  { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false },
  10,
);

function phase(Type, size, calls) {
  const array = (scale) => {
    const a = alignedArray(Type, size);
    for (let i = 0; i < size; i++) a[i] = Math.abs(Math.sin(i)) * scale;
    return a;
  };
  const t = { name: 'w', param: array(1), grad: array(0.1), expAvg: array(0.01), expAvgSq: array(0.001) };
  const times = [];
  for (let k = 0; k < calls; k++) {
    const t0 = performance.now();
    adamStep([t], scalars);
    times.push((((performance.now() - t0) * 1e6) / size).toFixed(1));
  }
  console.log(`${Type.name.padEnd(12)} ${size.toLocaleString('en-US').padStart(9)}  ${times.slice(-8).join(' ')}`);
}

console.log(`node ${process.version}; ns/param per call (the last 8 calls of each phase)`);
if (process.argv.includes('--f64-first')) phase(Float64Array, 4096, 500);
phase(Float32Array, 4096, 2000);
phase(Float32Array, 262144, 12);
phase(Float32Array, 4194304, 8);
