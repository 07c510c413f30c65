/** Test support: a shared test PostgreSQL with a fresh database per test file, and a TCP relay that fails on demand. */

export * from './filling-disk.js';
export * from './legacy-schema.js';
export * from './power-row.js';
export * from './test-db.js';
export * from './test-proxy.js';
