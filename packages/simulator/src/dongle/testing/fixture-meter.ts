import { decodeFrame, EOJ, ESV, encodeFrame, fromHex, type Property } from '@b-route/echonet';
import type { MeterEndpoint } from '../meter-endpoint.js';

/**
 * A meter with fixed answers, for tests of the dongle's own lines: Get → Get_Res with the EDTs
 * below (values of the real captures in fixtures/real-traffic.txt), Get_SNA with
 * PDC 0 for the EPCs it lacks. Not a model of a meter; the simulator's SmartMeter is.
 */
export const FIXTURE_EDT: Readonly<Record<number, string>> = {
  128: '30',
  130: '00004600',
  138: '000016',
  151: '0E1A',
  152: '07EA0514',
  157: '03808188',
  211: '00000001',
  215: '06',
  224: '0000FE73',
  225: '01',
  231: '00000278',
  232: '001E0032',
  234: '07EA05140E00000000FE68',
};

export interface FixtureMeterOptions {
  mac?: string;
  channel?: number;
  panId?: number;
  rbid: string;
  password: string;
}

export class FixtureMeter implements MeterEndpoint {
  readonly mac: string;
  readonly channel: number;
  readonly panId: number;
  readonly pairingId: string;
  readonly lqi = 0xe1;
  readonly rssiDbm = -60;
  /** Frames received, in order (what the dongle forwarded). */
  readonly received: Uint8Array[] = [];
  readonly #rbid: string;
  readonly #password: string;
  #notify: ((frame: Uint8Array) => void) | null = null;

  constructor(options: FixtureMeterOptions) {
    this.mac = options.mac ?? '001C6400601421A3';
    this.channel = options.channel ?? 0x2b;
    this.panId = options.panId ?? 0x8888;
    this.#rbid = options.rbid;
    this.#password = options.password;
    this.pairingId = options.rbid.slice(-8);
  }

  authenticate(rbid: string, password: string): boolean {
    return rbid === this.#rbid && password === this.#password;
  }

  receive(bytes: Uint8Array): Uint8Array[] {
    this.received.push(bytes);
    const req = decodeFrame(bytes);
    if (req.esv !== ESV.Get || req.deoj !== EOJ.smartMeter) return [];
    const props: Property[] = req.properties.map((p) => {
      const edt = FIXTURE_EDT[p.epc];
      return { epc: p.epc, edt: edt === undefined ? new Uint8Array(0) : fromHex(edt) };
    });
    const missing = req.properties.some((p) => FIXTURE_EDT[p.epc] === undefined);
    return [
      encodeFrame({
        tid: req.tid,
        seoj: EOJ.smartMeter,
        deoj: req.seoj,
        esv: missing ? ESV.Get_SNA : ESV.Get_Res,
        properties: props,
      }),
    ];
  }

  joined(): Uint8Array[] {
    // Node profile instance list notification: one instance, the smart meter.
    return [
      encodeFrame({
        tid: 0,
        seoj: EOJ.nodeProfile,
        deoj: EOJ.nodeProfile,
        esv: ESV.INF,
        properties: [{ epc: 0xd5, edt: fromHex('01028801') }],
      }),
    ];
  }

  onNotify(listener: (frame: Uint8Array) => void): () => void {
    this.#notify = listener;
    return () => {
      this.#notify = null;
    };
  }

  /** Sends an unsolicited frame (as the real meter's EA/EB INF). */
  notify(frame: Uint8Array): void {
    this.#notify?.(frame);
  }
}
