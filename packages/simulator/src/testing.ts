/**
 * Test and benchmark support (`@b-route/simulator/testing`): a driver that runs a MeterClient
 * against an in-process simulator on a manual clock, and the client benchmark built on it.
 */
export * from './client-e2e/bench-client.js';
export * from './client-e2e/sim-driver.js';
