export * from './bme280-compensation.js';
export * from './jst.js';
