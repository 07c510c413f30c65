/**
 * The part of @b-route/echonet's `MeterClient` the poller uses. `MeterClient` fits as is; naming
 * it here keeps the application's dependency on the client small and explicit.
 */
import type { Readings } from './rows.js';

/** One INF/INFC property as the client's notification stream hands it over. */
export interface NotifiedProperty {
  readonly epc: number;
  readonly value: unknown;
}

export interface MeterNotificationLike {
  /** Sender object (0x028801 for the meter, 0x0EF001 for its node profile). */
  readonly seoj: number;
  readonly receivedAt: Date;
  readonly properties: ReadonlyArray<NotifiedProperty>;
}

/** A scan progress report; only `beacon` reports are stored. */
export type ScanProgressLike =
  | {
      readonly type: 'beacon';
      readonly channel: number;
      readonly channelPage: number;
      readonly panId: number;
      readonly addr: string;
      readonly lqi: number;
      readonly side?: number;
      readonly pairId?: string;
    }
  | { readonly type: 'start' | 'done' };

export interface RequestSignal {
  readonly signal?: AbortSignal;
}

export interface MeterPort {
  /** Session state: 'closed' | 'opening' | 'scanning' | 'joining' | 'ready' | 'reauthenticating' | 'recovering'. */
  readonly state: string;
  /** Frames dropped because they came from another sender than the joined meter (for the status line). */
  readonly stats?: { readonly foreignFrames?: number };
  /** The PAN of the current (or last) session; `mac` is the meter's EPANDESC Addr. */
  readonly pan: { readonly mac: string } | undefined;
  open(): Promise<void>;
  close(): Promise<void>;
  /** Every EPC in one frame (the client splits only when the meter refuses). */
  get(epcs: readonly number[], options?: RequestSignal): Promise<Readings>;
  /** SetC E5: which day E2/E4 return. */
  setHistoryDay1(day: number, options?: RequestSignal): Promise<void>;
  /** INF/INFC from now until `close()`. */
  notifications(): AsyncIterableIterator<MeterNotificationLike>;
  on(event: 'state', listener: (state: string, previous: string) => void): unknown;
  /** Scan progress; `beacon` carries the EPANDESC fields kept in `scan_log`. */
  on(event: 'scan', listener: (progress: ScanProgressLike) => void): unknown;
  off(event: 'state', listener: (state: string, previous: string) => void): unknown;
  off(event: 'scan', listener: (progress: ScanProgressLike) => void): unknown;
}
