/**
 * `@b-route/poller/simulate`: the poller's simulated installation (meter, dongle and sensors on
 * one accelerated clock), as `start --simulate`, the demo and the soak run it. A subpath of its
 * own, so that a poller on real hardware never loads the simulator.
 */
export * from './app/simulate.js';
