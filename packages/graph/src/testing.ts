/** Benchmark support (`@b-route/graph/testing`): query + render times on a seeded test database. */
export * from './bench.js';
