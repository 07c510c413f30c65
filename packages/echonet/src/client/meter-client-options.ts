import type { BackoffOptions } from '@b-route/core';
import { EchonetError } from '../errors.js';
import { EOJ } from '../frame/types.js';
import { type DongleFamily, type DongleModel, MODEL_FAMILY } from '../sk/family.js';
import type { TransportSpec } from '../transport/open-transport.js';
import { type Clock, systemClock } from './clock.js';
import { type Logger, silentLogger } from './logger.js';
import { FilePanCacheStore, MemoryPanCacheStore, type PanCacheStore } from './pan-cache.js';

export interface MeterClientOptions {
  /** B-route ID from the power company, 32 characters. Never logged. */
  readonly rbid: string;
  /** B-route password, 12 characters. Never logged. */
  readonly password: string;
  /**
   * The dongle: a serial device path (`/dev/ttyUSB0`), `tcp://host:port` (ser2net, Wi-Fi serial
   * bridges), a `Transport`, a duplex stream, or a function returning a fresh duplex per open.
   */
  readonly device: TransportSpec;
  /** Serial line speed. Default 115200 (8N1). */
  readonly baudRate?: number;
  /** Dongle family; default: read from the dongle's EINFO. */
  readonly family?: DongleFamily;
  /** Dongle model; sets the family (ignored when `family` is given). */
  readonly model?: DongleModel;
  /** SKRESET at every (re)initialisation. Default true. */
  readonly resetDongle?: boolean;
  /**
   * When ROPT says the dongle sends ERXUDP data in binary, switch it to ASCII hex with WOPT 01.
   * WOPT writes flash, which survives a limited number of writes. Default false: binary is
   * read as is.
   */
  readonly ensureAsciiPayload?: boolean;
  /** JSON file that keeps the last joined PAN (warm start without a scan). Default: memory only. */
  readonly panCachePath?: string;
  /** A PAN cache store of your own (wins over `panCachePath`). */
  readonly panCache?: PanCacheStore;
  /** SKSCAN durations tried in turn. Default [6, 7, 8]. */
  readonly scanDurations?: readonly number[];
  /** Wait for EVENT 25/24 after SKJOIN. Default 60 000 ms. */
  readonly joinTimeoutMs?: number;
  /** Wait for OK/FAIL after an SK command. Default 5 000 ms. */
  readonly commandTimeoutMs?: number;
  /** Wait for the meter's answer before sending again. Default 10 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Sends again of an unanswered frame; then the session is presumed lost and rejoined. Default 3. */
  readonly retries?: number;
  /** Least time between two frames to the meter. Default 1 000 ms. */
  readonly minRequestIntervalMs?: number;
  /** Most properties in one frame. Default 12. */
  readonly maxPropertiesPerFrame?: number;
  /**
   * A request waiting longer than this rejects with `request.timeout`. Default: none, a request
   * waits through re-authentication and recovery until the meter answers or the client closes.
   */
  readonly requestDeadlineMs?: number;
  /** Wait for EVENT 25 after EVENT 29 (re-authentication) before recovering. Default 60 000 ms. */
  readonly reauthTimeoutMs?: number;
  /** Backoff of the full re-initialisation. Default 2 s doubling to 5 min, ±20 % jitter, seed 1. */
  readonly backoff?: BackoffOptions;
  /** The meter object. Default 0x028801. */
  readonly meterEoj?: number;
  /** Notifications kept per `notifications()` reader that is behind. Default 100. */
  readonly notificationBuffer?: number;
  /** Time source. Default the system clock. */
  readonly clock?: Clock;
  /** pino-compatible logger; wire traffic at debug. Default: silent. */
  readonly logger?: Logger;
}

export type ResolvedOptions = Required<
  Omit<MeterClientOptions, 'family' | 'model' | 'panCachePath' | 'panCache' | 'requestDeadlineMs'>
> & {
  readonly family: DongleFamily | undefined;
  readonly panStore: PanCacheStore;
  readonly requestDeadlineMs: number | undefined;
};

/**
 * Options with defaults applied.
 * @throws EchonetError `config.invalid` for a missing device or credentials, or bad numbers.
 */
export function resolveOptions(o: MeterClientOptions): ResolvedOptions {
  if (typeof o.rbid !== 'string' || o.rbid.length !== 32) {
    throw new EchonetError('config.invalid', 'rbid must be the 32-character B-route ID');
  }
  if (typeof o.password !== 'string' || o.password.length < 1 || o.password.length > 32) {
    throw new EchonetError('config.invalid', 'password must be the B-route password (12 characters)');
  }
  if (o.device === undefined || o.device === '')
    throw new EchonetError('config.invalid', 'device is required');
  const scanDurations = o.scanDurations ?? [6, 7, 8];
  if (scanDurations.length === 0 || scanDurations.some((d) => !Number.isInteger(d) || d < 0 || d > 14)) {
    throw new EchonetError('config.invalid', 'scanDurations must be integers 0–14', {
      context: { scanDurations },
    });
  }
  return {
    rbid: o.rbid,
    password: o.password,
    device: o.device,
    baudRate: o.baudRate ?? 115_200,
    family: o.family ?? (o.model ? MODEL_FAMILY[o.model] : undefined),
    resetDongle: o.resetDongle ?? true,
    ensureAsciiPayload: o.ensureAsciiPayload ?? false,
    panStore:
      o.panCache ?? (o.panCachePath ? new FilePanCacheStore(o.panCachePath) : new MemoryPanCacheStore()),
    scanDurations,
    joinTimeoutMs: o.joinTimeoutMs ?? 60_000,
    commandTimeoutMs: o.commandTimeoutMs ?? 5_000,
    requestTimeoutMs: o.requestTimeoutMs ?? 10_000,
    retries: o.retries ?? 3,
    minRequestIntervalMs: o.minRequestIntervalMs ?? 1_000,
    maxPropertiesPerFrame: o.maxPropertiesPerFrame ?? 12,
    requestDeadlineMs: o.requestDeadlineMs,
    reauthTimeoutMs: o.reauthTimeoutMs ?? 60_000,
    backoff: o.backoff ?? {},
    meterEoj: o.meterEoj ?? EOJ.smartMeter,
    notificationBuffer: o.notificationBuffer ?? 100,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? silentLogger,
  };
}
