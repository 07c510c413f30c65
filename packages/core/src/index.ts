export * from './backoff.js';
export * from './bme280-compensation.js';
export * from './jst.js';
export * from './mhz19-frame.js';
export * from './prng.js';
