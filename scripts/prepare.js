#!/usr/bin/env node
// npm's prepare hook: a clone's `npm install` (and `npm pack`) compiles the TypeScript and
// the addon, as `npm run build` does. Everything the tools print goes to stderr, so that
// `npm pack --json` keeps stdout for its JSON. Consumers never run this: npm runs prepare
// only in the package's own folder.
import { spawnSync } from 'node:child_process';

for (const [command, ...args] of [
  ['npx', 'tsc', '-p', 'tsconfig.json'],
  ['npx', 'cmake-js', 'compile'],
]) {
  const run = spawnSync(command, args, { stdio: ['inherit', process.stderr, process.stderr] });
  if (run.status !== 0) {
    console.error(`prepare: ${command} ${args.join(' ')} failed (exit ${run.status ?? run.signal})`);
    process.exit(1);
  }
}
