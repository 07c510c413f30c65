export * from './jst.js';
