// Compiled by test/types.test.ts with `tsc --noEmit`: each @ts-expect-error line must be a
// type error, or the compilation (and the test) fails.
import { Adam } from '../../lib/index.js';

const weights = new Float32Array(3);
const bias = new Float32Array(1);
const opt = new Adam({ weights, bias }, { lr: 1e-3 });

opt.step({ weights, bias: new Float32Array(1) });
// @ts-expect-error a missing gradient is a compile error
opt.step({ weights });
// @ts-expect-error a misspelled gradient name is a compile error
opt.step({ weights, bais: bias });
// @ts-expect-error an unknown option is a compile error
new Adam({ weights }, { learningRate: 1 });
// @ts-expect-error a group naming an unknown parameter is a compile error
new Adam({ weights, bias }, { groups: [{ params: ['weight'] }] });
