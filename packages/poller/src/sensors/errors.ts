/**
 * The one error class of the sensor drivers. `context` carries what helps diagnose the wiring
 * (addresses, register values, the bytes received as hex), `cause` the underlying I/O error.
 */
export type SensorErrorCode =
  /** A frame arrived but its checksum does not match (line noise, wrong baud rate). */
  | 'sensor.checksum'
  /** No (complete) answer in time, or a conversion that never finished. */
  | 'sensor.timeout'
  /** The device at the address is not the chip the driver expects (e.g. a BMP280 where a BME280 should be). */
  | 'sensor.chip-id'
  /** The source exists in principle but gives no value on this machine (no CPU thermal zone). */
  | 'sensor.unavailable'
  /** The bus or port failed (I2C NACK, serial write error, port closed). */
  | 'sensor.io'
  /** An option is outside what the device supports. */
  | 'sensor.config';

export class SensorError extends Error {
  override readonly name = 'SensorError';
  readonly code: SensorErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: SensorErrorCode,
    message: string,
    options: { context?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = options.context ?? {};
  }

  /** True when the next poll can succeed without anyone touching the hardware. */
  isRetryable(): boolean {
    return this.code === 'sensor.checksum' || this.code === 'sensor.timeout' || this.code === 'sensor.io';
  }
}

export function isSensorError(e: unknown, code?: SensorErrorCode): e is SensorError {
  return e instanceof SensorError && (code === undefined || e.code === code);
}
