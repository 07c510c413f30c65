import { type ErxudpLayout, formatEvent, type SkEvent } from '@b-route/echonet';
import type { DongleProfile } from './models.js';

/** How ERXUDP lines look right now (register SA2, WOPT mode). */
export interface ErxudpFormat {
  readonly layout: ErxudpLayout;
  readonly encoding: 'hex' | 'binary';
}

/**
 * Everything the dongle prints, in the profile's spelling: dual-stack stacks add the side (0 =
 * B-route) to EVENT, EPANDESC, EINFO and ERXUDP (BP35C0 command reference 4.x).
 */
export class DongleOutput {
  readonly #profile: DongleProfile;
  readonly #format: () => ErxudpFormat;
  readonly #listeners = new Set<(bytes: Uint8Array) => void>();

  constructor(profile: DongleProfile, format: () => ErxudpFormat) {
    this.#profile = profile;
    this.#format = format;
  }

  listen(listener: (bytes: Uint8Array) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  clear(): void {
    this.#listeners.clear();
  }

  emit(bytes: Uint8Array): void {
    for (const l of this.#listeners) l(bytes);
  }

  /** One event, CRLF-terminated unless `cr` (ROPT/WOPT answers of some firmware). */
  out(ev: SkEvent, lineEnd: 'crlf' | 'cr' = 'crlf'): void {
    this.emit(formatEvent(ev, { lineEnd }));
  }

  line(text: string): void {
    this.out({ type: 'unknown', line: text });
  }

  ok(value?: string, lineEnd: 'crlf' | 'cr' = 'crlf'): void {
    this.out(value === undefined ? { type: 'ok' } : { type: 'ok', value }, lineEnd);
  }

  fail(code: string): void {
    this.out({ type: 'fail', code });
  }

  /** `{ side: 0 }` on dual-stack stacks, nothing on single-hop ones. */
  side(side = 0): { side?: number } {
    return this.#profile.sideArgument ? { side } : {};
  }

  /** `EVENT <num> <sender> [side] [param]`. */
  event(num: number, sender: string, param?: number, side = 0): void {
    this.out({ type: 'event', num, sender, ...this.side(side), ...(param === undefined ? {} : { param }) });
  }

  /** A datagram received from `sender` (MAC `senderLla`), printed per the current format. */
  erxudp(fields: {
    sender: string;
    dest: string;
    port: number;
    senderLla: string;
    secured: number;
    rssi: string;
    data: Uint8Array;
  }): void {
    const { layout, encoding } = this.#format();
    this.out({
      type: 'erxudp',
      layout,
      encoding,
      sender: fields.sender,
      dest: fields.dest,
      rport: fields.port,
      lport: fields.port,
      senderLla: fields.senderLla,
      secured: fields.secured,
      ...this.side(),
      ...(layout === 'dual-stack-rssi' ? { rssi: fields.rssi } : {}),
      data: fields.data,
    });
  }
}
