import { Duplex } from 'node:stream';
import { decodeFrame, encodeFrame } from '../frame/codec.js';
import { EOJ, ESV, type Frame } from '../frame/types.js';
import type { SkEvent } from '../sk/events.js';
import type { DongleFamily } from '../sk/family.js';
import { formatEvent } from '../sk/format-events.js';

/** A command as the peer received it. */
export interface Received {
  readonly name: string;
  readonly args: readonly string[];
  /** SKSENDTO payload. */
  readonly data?: Uint8Array;
}

export type Handler = (cmd: Received, peer: ScriptedDongle) => void;

export const METER_MAC = '001C6400601421A3';
export const METER_LLA = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
export const OWN_LLA = 'FE80:0000:0000:0000:021D:1290:0005:747B';
/** Credentials of the tests; the meter's pairing ID is the ID's last 8 characters. */
export const TEST_RBID = '00112233445566778899AABBCCDDEEFF';
export const TEST_PASSWORD = 'Pa55w0rdXyZq';

/**
 * A scripted SK dongle for unit tests of the client (not exported from the package): echoes
 * commands, answers them the way a healthy dongle does, and lets a test replace the answer of
 * any command. The meter behind it answers Gets from `values`. Output goes out on the next
 * macrotask, so the client's reads are asynchronous as with a real port.
 */
export class ScriptedDongle {
  readonly family: DongleFamily;
  readonly received: Received[] = [];
  readonly overrides = new Map<string, Handler>();
  /** Properties of the meter 0x028801 by EPC; missing ones answer Get_SNA with PDC 0. */
  readonly values = new Map<number, Uint8Array>();
  /** Answer Gets at all (false: the meter is silent). */
  meterAnswers = true;
  readonly stream: Duplex;
  #buffer = Buffer.alloc(0);

  constructor(family: DongleFamily = 'single-hop') {
    this.family = family;
    this.stream = new Duplex({
      read() {},
      write: (chunk: Buffer, _enc, cb) => {
        this.#take(chunk);
        cb();
      },
    });
  }

  /** Prints an event (or a raw line) to the client. */
  send(ev: SkEvent | string): void {
    const bytes = typeof ev === 'string' ? Buffer.from(`${ev}\r\n`, 'latin1') : formatEvent(ev);
    setImmediate(() => this.stream.push(bytes));
  }

  ok(value?: string): void {
    this.send(value === undefined ? { type: 'ok' } : { type: 'ok', value });
  }

  event(num: number, param?: number): void {
    const side = this.family === 'dual-stack' ? { side: 0 } : {};
    this.send({ type: 'event', num, sender: METER_LLA, ...side, ...(param === undefined ? {} : { param }) });
  }

  /** An ECHONET Lite datagram from the meter. */
  erxudp(frame: Frame | Uint8Array): void {
    const data = frame instanceof Uint8Array ? frame : encodeFrame(frame);
    const dual = this.family === 'dual-stack';
    this.send({
      type: 'erxudp',
      layout: dual ? 'dual-stack' : 'single-hop',
      encoding: 'hex',
      sender: METER_LLA,
      dest: OWN_LLA,
      rport: 0x0e1a,
      lport: 0x0e1a,
      senderLla: METER_MAC,
      secured: 1,
      ...(dual ? { side: 0 } : {}),
      data,
    });
  }

  names(): string[] {
    return this.received.map((r) => r.name);
  }

  #take(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const text = this.#buffer.toString('latin1');
      if (text.startsWith('SKSENDTO ')) {
        const words = text.split(' ');
        const lenIndex = this.family === 'dual-stack' ? 6 : 5;
        if (words.length <= lenIndex + 1) return;
        const length = Number.parseInt(words[lenIndex]!, 16);
        const header = words.slice(0, lenIndex + 1).join(' ').length + 1;
        if (this.#buffer.length < header + length) return;
        const data = new Uint8Array(this.#buffer.subarray(header, header + length));
        this.#buffer = this.#buffer.subarray(header + length);
        this.#handle({ name: 'SKSENDTO', args: words.slice(1, lenIndex + 1), data }, text.slice(0, header));
        continue;
      }
      const end = text.indexOf('\r\n');
      if (end === -1) return;
      this.#buffer = this.#buffer.subarray(end + 2);
      const [name = '', ...args] = text.slice(0, end).split(' ');
      this.#handle({ name, args }, text.slice(0, end));
    }
  }

  #handle(cmd: Received, line: string): void {
    this.received.push(cmd);
    if (cmd.name === 'SKSENDTO') {
      setImmediate(() => this.stream.push(Buffer.concat([Buffer.from(line, 'latin1'), cmd.data!])));
    } else {
      this.send({ type: 'echo', command: cmd.name, line });
    }
    (this.overrides.get(cmd.name) ?? defaultHandler)(cmd, this);
  }
}

/** A healthy dongle next to a meter that accepts the credentials. */
export const defaultHandler: Handler = (cmd, peer) => {
  const dual = peer.family === 'dual-stack';
  switch (cmd.name) {
    case 'SKVER':
      peer.send({ type: 'ever', version: '1.2.10' });
      return peer.ok();
    case 'SKINFO':
      peer.send({
        type: 'einfo',
        ipv6: OWN_LLA,
        mac: '001D12900005747B',
        channel: 0x21,
        panId: 0xffff,
        // five fields on both families: the side takes the short address's place on dual-stack
        ...(dual ? { side: 0 } : { addr16: 'FFFE' }),
      });
      return peer.ok();
    case 'ROPT':
      return peer.ok('01');
    case 'SKSCAN':
      peer.ok();
      peer.event(0x20);
      peer.send({
        type: 'epandesc',
        channel: 0x21,
        channelPage: 9,
        panId: 0x8888,
        addr: METER_MAC,
        lqi: 0xe1,
        ...(dual ? { side: 0 } : {}),
        pairId: TEST_RBID.slice(-8),
      });
      return peer.event(0x22);
    case 'SKLL64':
      return peer.send({ type: 'ipv6', address: METER_LLA });
    case 'SKJOIN':
      peer.ok();
      return peer.event(0x25);
    case 'SKTERM':
      peer.ok();
      return peer.event(0x27);
    case 'SKSENDTO':
      peer.event(0x21, 0);
      peer.ok();
      return meterAnswer(cmd.data!, peer);
    default:
      return peer.ok();
  }
};

/** The meter's answer to a Get or SetC. */
export function meterAnswer(data: Uint8Array, peer: ScriptedDongle): void {
  if (!peer.meterAnswers) return;
  let req: Frame;
  try {
    req = decodeFrame(data);
  } catch {
    return; // not ECHONET Lite: a meter ignores it
  }
  if (req.esv !== ESV.Get) return;
  const properties = req.properties.map((p) => ({
    epc: p.epc,
    edt: peer.values.get(p.epc) ?? new Uint8Array(0),
  }));
  const esv = properties.every((p) => p.edt.length > 0) ? ESV.Get_Res : ESV.Get_SNA;
  peer.erxudp({ tid: req.tid, seoj: EOJ.smartMeter, deoj: req.seoj, esv, properties });
}
