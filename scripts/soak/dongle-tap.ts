/**
 * An independent listener on the simulated dongle's UART: it parses what the dongle prints
 * (echonet's SK line parser and frame codec) and keeps every smart-meter reply carrying E7
 * (instantaneous power) that reached the host intact. Those, and not everything the meter
 * computed, are the samples a poller could have stored: a reply lost on the air (drop fault,
 * session re-authenticating, meter out of reach, dongle rebooted or unplugged in between) or
 * corrupted never reaches the host as a reading.
 */
import { decodeFrame, EOJ, ESV, METER_PROPERTIES, SkLineParser } from '@b-route/echonet';

export interface DeliveredPower {
  /** Simulated time the reply's ERXUDP line was printed. */
  readonly at: number;
  readonly tid: number;
  readonly powerW: number | null;
}

export interface TapCounts {
  /** ERXUDP datagrams printed on port 0E1A. */
  datagrams: number;
  /** Datagrams whose ECHONET Lite frame does not decode (the corrupt fault). */
  corrupt: number;
  /** The same reply printed again (the duplicate fault). */
  duplicates: number;
  /**
   * A second answer to one request: the client sent it again before the first answer came
   * (an answer slowed past the client's timeout); the first answer is the one it takes.
   */
  answersToResends: number;
  /** `FAIL ER10` answers (the fail-er10 fault). */
  failEr10: number;
  /** INF notifications from the meter (EA/EB at each half hour). */
  notifications: number;
}

interface Source {
  onOutput(listener: (bytes: Uint8Array) => void): () => void;
}

/**
 * Answers with the TID of an answer seen less than this long ago answer the same request: a
 * duplicate (same bytes; printed 50–400 ms after the original, seen up to seconds later at high
 * speed, where one real millisecond is seconds of simulated time) or the answer to a resend.
 * TIDs only repeat otherwise after the client starts counting again on a new session.
 */
const SAME_REQUEST_WINDOW_MS = 60_000;

export class DongleTap {
  readonly delivered: DeliveredPower[] = [];
  readonly counts: TapCounts = {
    datagrams: 0,
    corrupt: 0,
    duplicates: 0,
    answersToResends: 0,
    failEr10: 0,
    notifications: 0,
  };
  readonly #parser = new SkLineParser();
  readonly #now: () => number;
  readonly #lastByTid = new Map<number, { at: number; hex: string }>();
  readonly #off: () => void;

  constructor(source: Source, now: () => number) {
    this.#now = now;
    this.#off = source.onOutput((bytes) => {
      for (const event of this.#parser.push(bytes)) {
        if (event.type === 'fail' && event.code === 'ER10') this.counts.failEr10++;
        if (event.type === 'erxudp' && event.lport === 0x0e1a) this.#datagram(event.data);
      }
    });
  }

  close(): void {
    this.#off();
  }

  #datagram(data: Uint8Array): void {
    this.counts.datagrams++;
    let frame: ReturnType<typeof decodeFrame>;
    try {
      frame = decodeFrame(data);
    } catch {
      this.counts.corrupt++;
      return;
    }
    if (frame.seoj !== EOJ.smartMeter) return;
    if (frame.esv === ESV.INF || frame.esv === ESV.INFC) {
      this.counts.notifications++;
      return;
    }
    if (frame.esv !== ESV.Get_Res && frame.esv !== ESV.Get_SNA) return;
    const e7 = frame.properties.find((p) => p.epc === METER_PROPERTIES.instantaneousPower.epc);
    if (!e7 || e7.edt.length === 0) return;
    const at = this.#now();
    const hex = Buffer.from(data).toString('hex');
    const last = this.#lastByTid.get(frame.tid);
    this.#lastByTid.set(frame.tid, { at, hex });
    if (last !== undefined && at - last.at < SAME_REQUEST_WINDOW_MS) {
      if (last.hex === hex) this.counts.duplicates++;
      else this.counts.answersToResends++;
      return;
    }
    this.delivered.push({ at, tid: frame.tid, powerW: METER_PROPERTIES.instantaneousPower.decode(e7.edt) });
  }
}
