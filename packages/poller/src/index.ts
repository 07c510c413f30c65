export * from './sensors/bme280.js';
export * from './sensors/bme280-compensation.js';
export * from './sensors/bme280-open.js';
export * from './sensors/cpu-temperature.js';
export * from './sensors/errors.js';
export * from './sensors/mhz19.js';
export * from './sensors/mhz19-frame.js';
export * from './sensors/mhz19-open.js';
