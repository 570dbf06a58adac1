// CommonJS consumer of the installed package (see consumer-check.cjs).
require('./consumer-check.cjs')(require('adam-simd'), 'cjs');
