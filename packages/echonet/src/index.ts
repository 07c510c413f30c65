// Backoff and seededRandom live in @b-route/core; echonet's API has always offered them.
export { Backoff, type BackoffOptions, seededRandom } from '@b-route/core';
export * from './cli/decode-stream.js';
export * from './client/client-events.js';
export * from './client/clock.js';
export * from './client/fixed-pan.js';
export * from './client/history-reader.js';
export * from './client/logger.js';
export * from './client/meter-client.js';
export * from './client/meter-client-options.js';
export * from './client/meter-notification.js';
export * from './client/meter-reader.js';
export * from './client/pan-cache.js';
export type { RawValues, RequestOptions } from './client/request-queue.js';
export * from './client/session-machine.js';
export type { DongleInfo, ScanProgress } from './client/session-opener.js';
export * from './client/sk-link.js';
export * from './errors.js';
export * from './frame/codec.js';
export * from './frame/cursor.js';
export * from './frame/describe.js';
export * from './frame/energy.js';
export * from './frame/hex.js';
export * from './frame/jst-time.js';
export {
  type DayHistory,
  type FixedTimeEnergy,
  type HistoryPoint,
  type HistoryRequest,
  type HistorySeries,
  ONE_MINUTE_ENERGY,
  type OneMinuteEnergy,
  SLOTS_PER_DAY,
} from './frame/meter-history.js';
export * from './frame/meter-properties.js';
export * from './frame/node-profile.js';
export { COUNT_MAX, COUNT_NO_DATA, defineProperty, epcHex, type PropertyDef } from './frame/property-def.js';
export * from './frame/property-map.js';
export * from './frame/superclass-properties.js';
export * from './frame/types.js';
export * from './sk/command-reader.js';
export * from './sk/command-words.js';
export * from './sk/commands.js';
export * from './sk/detect.js';
export * from './sk/event-numbers.js';
export * from './sk/events.js';
export * from './sk/family.js';
export * from './sk/format-events.js';
export * from './sk/parser.js';
export * from './transport/duplex.js';
export * from './transport/open-transport.js';
export * from './transport/serial.js';
export * from './transport/tcp.js';
export * from './transport/transport.js';
