/**
 * An independent listener on the simulated dongle's UART: it parses what the dongle prints
 * (echonet's SK line parser and frame codec) and keeps every smart-meter reply carrying E7
 * (instantaneous power) that reached the host intact. Those, and not everything the meter
 * computed, are the samples a poller could have stored: a reply lost on the air (drop fault,
 * session re-authenticating, meter out of reach, dongle rebooted or unplugged in between) or
 * corrupted never reaches the host as a reading.
 */
import {
  decodeFrame,
  EOJ,
  ESV,
  type Frame,
  METER_PROPERTIES,
  SkCommandReader,
  SkLineParser,
} from '@b-route/echonet';

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
   * An answer to a request already answered under another TID: the client sent the Get again
   * (its answer slowed past the client's timeout, or SKSENDTO's own answer did) with a new TID
   * before the first answer came; the client takes the first answer and forgets the request's
   * other TIDs, so this one can never become a row.
   */
  answersToResends: number;
  /** `FAIL ER10` answers (the fail-er10 fault). */
  failEr10: number;
  /** INF notifications from the meter (EA/EB at each half hour). */
  notifications: number;
}

interface Source {
  /** Dongle → host bytes. */
  onOutput(listener: (bytes: Uint8Array) => void): () => void;
  /** Host → dongle bytes: the SKSENDTO frames, to know which TIDs ask the same thing. */
  onInput(listener: (bytes: Uint8Array) => void): () => void;
}

/**
 * One request as the host put it on the air: a Get sent again (same object, same EPCs, right
 * after a send of it that had no answer yet) is the same request under a new TID, as
 * echonet's FrameSender resends (one frame in flight; a resend goes before any other job).
 */
interface SentRequest {
  readonly key: string;
  answered: boolean;
}

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
  readonly #commands = new SkCommandReader();
  readonly #now: () => number;
  /** The request each TID was last sent for, and the hex of the first answer to that TID. */
  readonly #byTid = new Map<number, { request: SentRequest; answer?: string }>();
  #lastGet: SentRequest | null = null;
  readonly #offs: (() => void)[];

  constructor(source: Source, now: () => number) {
    this.#now = now;
    this.#offs = [
      source.onInput((bytes) => {
        for (const input of this.#commands.push(bytes)) {
          if (input.type === 'command' && input.name === 'SKSENDTO' && input.data) this.#sent(input.data);
        }
      }),
      source.onOutput((bytes) => {
        for (const event of this.#parser.push(bytes)) {
          if (event.type === 'fail' && event.code === 'ER10') this.counts.failEr10++;
          if (event.type === 'erxudp' && event.lport === 0x0e1a) this.#datagram(event.data);
        }
      }),
    ];
  }

  close(): void {
    for (const off of this.#offs) off();
  }

  #sent(data: Uint8Array): void {
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch {
      return;
    }
    if (frame.deoj !== EOJ.smartMeter || frame.esv !== ESV.Get) {
      // INFC_Res does not interrupt a Get's resends; a SetC is another job.
      if (frame.esv !== ESV.INFC_Res) this.#lastGet = null;
      return;
    }
    const key = frame.properties.map((p) => p.epc).join(',');
    const last = this.#lastGet;
    const request = last && !last.answered && last.key === key ? last : { key, answered: false };
    this.#lastGet = request;
    this.#byTid.set(frame.tid, { request });
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
    const hex = Buffer.from(data).toString('hex');
    const sent = this.#byTid.get(frame.tid);
    // An answer to a TID the host never sent is nobody's answer (the client ignores it).
    if (sent === undefined) return;
    if (sent.answer !== undefined) {
      // The same TID answered again: the dongle's duplicate (however late it is printed), or
      // a corrupted copy that still decodes. Not a second sample either way.
      this.counts.duplicates++;
      return;
    }
    sent.answer = hex;
    if (sent.request.answered) {
      this.counts.answersToResends++;
      return;
    }
    sent.request.answered = true;
    this.delivered.push({
      at: this.#now(),
      tid: frame.tid,
      powerW: METER_PROPERTIES.instantaneousPower.decode(e7.edt),
    });
  }
}
