#!/usr/bin/env node
/** The `adam-simd` command. */
import { buildProgram } from './program.js';

buildProgram()
  .parseAsync()
  .catch((error: unknown) => {
    console.error(`adam-simd: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
