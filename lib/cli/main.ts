#!/usr/bin/env node
/** The `adam-simd` command. */
import { UsageError } from './args.js';
import { runCli } from './program.js';

runCli(process.argv.slice(2)).catch((error: unknown) => {
  // A usage mistake is printed as the parser words it ("error: unknown option '--foo'"); any other failure is the library's.
  console.error(error instanceof UsageError ? error.message : `adam-simd: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
