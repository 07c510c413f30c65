export * from './attach/byte-endpoint.js';
export * from './attach/in-process.js';
export * from './attach/pty.js';
export * from './attach/tcp.js';
export * from './clock.js';
export { linkLocalToMac, macToLinkLocal } from './dongle/addresses.js';
export * from './dongle/flash.js';
export type { MeterEndpoint } from './dongle/meter-endpoint.js';
export * from './dongle/models.js';
export { scanChannelMs } from './dongle/scan.js';
export { airtimeMs, DEFAULT_SEND_BUDGET_MS, type SendBudgetOptions } from './dongle/send-budget.js';
export type { SessionState } from './dongle/session.js';
export type { DongleClock } from './dongle/timeline.js';
export * from './dongle/virtual-dongle.js';
export * from './faults/faults.js';
export * from './faults/spec.js';
export type { ApplianceRun, DayPlan } from './meter/appliances.js';
export * from './meter/counters.js';
export * from './meter/esv-handler.js';
export * from './meter/history.js';
export * from './meter/household.js';
export * from './meter/meter-object.js';
export * from './meter/node-profile-object.js';
export * from './meter/smart-meter.js';
export * from './meter/truth.js';
export * from './sensors/bme280.js';
export {
  type Bme280Trimming,
  DEFAULT_BME280_TRIMMING,
  encodeBme280Trimming,
} from './sensors/bme280-trimming.js';
export * from './sensors/cpu.js';
export * from './sensors/indoor-climate.js';
export * from './sensors/indoor-co2.js';
export * from './sensors/mhz19.js';
export * from './sensors/mhz19-port.js';
export * from './sensors/promisified-i2c-bus.js';
export * from './sensors/virtual-i2c-bus.js';
export * from './simulator.js';
