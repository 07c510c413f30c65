export * from './errors.js';
export * from './frame/types.js';
export * from './sk/events.js';
export * from './sk/family.js';
