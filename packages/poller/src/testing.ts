/**
 * Test and benchmark support (`@b-route/poller/testing`): a rig with a real PostgreSQL and the
 * simulator on one clock, an in-memory row sink, manual-clock driving, and the poller benchmark.
 */
export * from './app/testing/bench.js';
export * from './app/testing/manual-clock.js';
export * from './app/testing/memory-sink.js';
export * from './app/testing/rig.js';
