// TensorFlow.js tf.train.adam, CPU and WASM backends. One timed step is one applyGradients
// call; variables and gradient tensors are created in setup, outside the timing.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let tfPromise;

async function loadTf() {
  tfPromise ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Nothing can be downloaded: the .wasm files come from the installed package.
    const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    wasm.setWasmPaths(`${wasmDir}/`);
    return tf;
  })();
  return tfPromise;
}

export function tfjsImplementations(hyper) {
  return ['cpu', 'wasm'].map((backend) => ({
    id: `tfjs-${backend}`,
    label: `TF.js ${backend}`,
    family: 'tfjs',
    threads: 1,
    setup: async (tensors) => {
      const tf = await loadTf();
      if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
      await tf.ready();
      const variables = tensors.map((t) => tf.variable(tf.tensor1d(t.param), true, `${t.name}_${backend}`));
      const grads = tensors.map((t) => tf.tensor1d(t.grad));
      const named = variables.map((v, k) => ({ name: v.name, tensor: grads[k] }));
      const optimizer = tf.train.adam(hyper.lr, hyper.beta1, hyper.beta2, hyper.eps);
      return {
        step: () => optimizer.applyGradients(named),
        dispose: () => {
          optimizer.dispose();
          tf.dispose([...variables, ...grads]);
        },
      };
    },
  }));
}
