import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// npm runs `preX`/`postX` around `npm run X`: a script named so by accident (the old
// `prebuild`, a cross build) makes `npm run build` fail on a normal machine.
describe('package.json scripts', () => {
  it('has no script that npm would run as a hook of another', () => {
    const scripts = Object.keys(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts as object);
    const hooks = scripts.filter((name) => /^(pre|post)./.test(name) && scripts.includes(name.replace(/^(pre|post)/, '')));
    expect(hooks).toEqual([]);
  });
});
