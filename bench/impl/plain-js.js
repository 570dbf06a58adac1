// Adam as the seed article writes it, ported line by line to JavaScript on Float32Arrays:
// per element, bias-corrected moments through Math.pow and Math.sqrt, in float64 arithmetic
// stored back to float32. The naive baseline the native core is compared with.

export function plainJsImplementation(hyper, step) {
  return {
    id: 'plain-js',
    label: 'plain JS loop (seed style)',
    family: 'plain-js',
    threads: 1,
    setup: (tensors) => ({ step: () => tensors.forEach((t) => seedAdam(t, hyper, step)) }),
  };
}

function seedAdam({ param, grad, expAvg: m, expAvgSq: v }, { lr, beta1, beta2, eps }, t) {
  for (let i = 0; i < param.length; i++) {
    m[i] = beta1 * m[i] + (1 - beta1) * grad[i];
    v[i] = beta2 * v[i] + (1 - beta2) * grad[i] ** 2;
    const mHat = m[i] / (1 - Math.pow(beta1, t));
    const vHat = v[i] / (1 - Math.pow(beta2, t));
    param[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
  }
}
