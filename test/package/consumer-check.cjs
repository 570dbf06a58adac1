/**
 * Run inside a temp project that installed the packed tarball (scripts/test-package.js):
 * steps Adam (with AMSGrad and weight decay) on the installed package's native backend, its
 * WebAssembly backend and its TypeScript reference, requires the same bits, and requires info().binding to be what
 * the installer expects (EXPECT_BINDING). Prints one line; exits 1 on any mismatch.
 */
module.exports = function check(pkg, format) {
  const expected = process.env.EXPECT_BINDING;
  const info = pkg.info();
  const failures = [];
  if (info.binding !== expected) failures.push(`info().binding is ${info.binding}, expected ${expected} (${info.reason ?? info.isa})`);

  for (const Float of [Float32Array, Float64Array]) {
    const n = 37; // not a multiple of any vector width: the tail path runs too
    const init = Float.from({ length: n }, (_, i) => Math.sin(i + 1) * (i % 3 === 0 ? 1e-30 : 3));
    const grads = Array.from({ length: 3 }, (_, s) => Float.from({ length: n }, (_, i) => Math.cos(i * (s + 2)) * 0.5));
    const results = [];
    // The wasm backend ships in the package and loads everywhere, prebuild or not.
    for (const backend of [...(info.backend === 'native' ? ['native'] : []), 'wasm', 'js']) {
      const w = Float.from(init);
      const opt = new pkg.Adam({ w }, { lr: 0.01, weightDecay: 0.1, amsgrad: true, backend });
      for (const g of grads) opt.step({ w: g });
      results.push(w);
    }
    const bytes = results.map((a) => Buffer.from(a.buffer).toString('hex'));
    if (bytes.some((b) => b !== bytes[0])) failures.push(`${Float.name}: native, wasm and reference Adam differ`);
    if (results[0].every((x, i) => x === init[i])) failures.push(`${Float.name}: Adam did not change the parameters`);
  }

  const summary = `node ${process.version} ${format}: backend=${info.backend} isa=${info.isa} binding=${info.binding}`;
  if (failures.length) {
    console.log(`FAIL ${summary}\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`ok   ${summary}, Adam f32/f64 bit-identical on every backend`);
};
