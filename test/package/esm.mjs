// ESM consumer of the installed package (see consumer-check.cjs).
import * as pkg from 'adam-simd';
import check from './consumer-check.cjs';

check(pkg, 'esm');
