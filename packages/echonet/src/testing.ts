/**
 * Test support for programs built on the client (`@b-route/echonet/testing`): a clock that moves
 * only when told to, a scripted dongle that answers SK commands from a table, and a client wired
 * to both. Not part of the production entry point.
 */
export * from './client/manual-clock.js';
export * from './client/scripted-client.js';
export * from './client/scripted-dongle.js';
