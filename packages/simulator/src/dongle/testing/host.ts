import {
  type DongleFamily,
  EOJ,
  ESV,
  encodeFrame,
  formatCommand,
  type SkCommand,
  type SkEvent,
  SkLineParser,
} from '@b-route/echonet';
import type { SimClock } from '../../clock.js';
import type { VirtualDongle } from '../virtual-dongle.js';
import { renderTranscript } from './transcript.js';

/**
 * Drives a VirtualDongle the way a host program would, synchronously on a manual SimClock:
 * commands in (formatted by echonet's `formatCommand` for the dongle's family, or raw text),
 * simulated time moved by hand, everything the dongle printed kept as bytes and parsed events.
 */
export class DongleTestHost {
  readonly dongle: VirtualDongle;
  readonly clock: SimClock;
  readonly family: DongleFamily;
  readonly parser = new SkLineParser();
  readonly events: SkEvent[] = [];
  #chunks: Uint8Array[] = [];
  #mark = 0;

  constructor(dongle: VirtualDongle, clock: SimClock) {
    this.dongle = dongle;
    this.clock = clock;
    this.family = dongle.profile.family;
    dongle.onOutput((b) => {
      this.#chunks.push(b);
      this.events.push(...this.parser.push(b));
    });
  }

  /** Sends a command (or raw text, to which CRLF is appended), then lets `waitMs` pass. */
  send(cmd: SkCommand | string, waitMs = 0): this {
    this.dongle.write(
      typeof cmd === 'string' ? Buffer.from(`${cmd}\r\n`, 'latin1') : formatCommand(this.family, cmd),
    );
    this.wait(waitMs);
    return this;
  }

  /** Sends raw bytes as they are. */
  raw(bytes: Uint8Array | string, waitMs = 0): this {
    this.dongle.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    this.wait(waitMs);
    return this;
  }

  wait(ms: number): this {
    if (ms > 0) this.clock.advance(ms);
    return this;
  }

  /** Everything the dongle printed so far. */
  bytes(): Uint8Array {
    return Buffer.concat(this.#chunks);
  }

  /** The transcript since the previous `take()` (or the start). */
  take(): string {
    const all = this.bytes();
    const out = renderTranscript(all.subarray(this.#mark));
    this.#mark = all.length;
    return out;
  }

  /** Parsed events since index `from`. */
  eventsSince(from: number): SkEvent[] {
    return this.events.slice(from);
  }
}

/** A Get request from the controller to the smart meter. */
export function getRequest(tid: number, ...epcs: number[]): Uint8Array {
  return encodeFrame({
    tid,
    seoj: EOJ.controller,
    deoj: EOJ.smartMeter,
    esv: ESV.Get,
    properties: epcs.map((epc) => ({ epc, edt: new Uint8Array(0) })),
  });
}
