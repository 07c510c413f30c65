/**
 * The JSON records `decode` writes, one per event, and how SK events and UDP payloads become them.
 * Every record is plain JSON data: bytes are upper-case hex strings, ports and PAN IDs 4 hex digits.
 */
import { type EchonetErrorCode, isEchonetError } from '../errors.js';
import { decodeFrame } from '../frame/codec.js';
import { describeFrame, type FrameDescription } from '../frame/describe.js';
import { toHex } from '../frame/hex.js';
import { hexNum } from '../sk/bytes.js';
import type { ErxudpLayout, SkEvent, SkEventOf } from '../sk/events.js';
import { redactCommand } from '../sk/redact.js';
import { eventName, FAIL_MEANINGS, UDP_SEND_RESULTS } from './event-names.js';

/** UDP port of ECHONET Lite (3610). */
export const ECHONET_PORT = 0x0e1a;
/** UDP port of PANA (716), the B-route authentication. */
export const PANA_PORT = 0x02cc;

/** A UDP payload that is neither ECHONET Lite nor PANA, or a PANA message (not decoded further). */
export interface RawPayload {
  readonly length: number;
  readonly hex: string;
}

/** What an ERXUDP (or the echo of SKSENDTO) carried, by port. */
export type PayloadFields =
  | { readonly echonet: FrameDescription }
  | { readonly pana: RawPayload }
  | { readonly udp: RawPayload };

export interface ErxudpFields {
  readonly layout: ErxudpLayout;
  readonly encoding: 'hex' | 'binary';
  readonly sender: string;
  readonly dest: string;
  readonly rport: string;
  readonly lport: string;
  readonly senderLla: string;
  readonly secured: number;
  readonly side?: number;
  readonly rssi?: string;
}

export interface SendtoFields {
  readonly handle: string;
  readonly address: string;
  readonly port: string;
  readonly secured: number;
  readonly side?: number;
}

export type DecodedRecord =
  | ({ readonly type: 'erxudp'; readonly line: number } & ErxudpFields & PayloadFields)
  | { readonly type: 'frame'; readonly line: number; readonly echonet: FrameDescription }
  | ({ readonly type: 'sendto'; readonly line: number } & SendtoFields & PayloadFields)
  | {
      readonly type: 'event';
      readonly line: number;
      /** Two hex digits, as the dongle prints it. */
      readonly num: string;
      readonly name: string;
      readonly sender: string;
      readonly side?: number;
      readonly param?: string;
      /** EVENT 21 only: what PARAM means. */
      readonly result?: string;
    }
  | { readonly type: 'ok'; readonly line: number; readonly value?: string }
  | { readonly type: 'fail'; readonly line: number; readonly code: string; readonly meaning?: string }
  | { readonly type: 'ever'; readonly line: number; readonly version: string }
  | { readonly type: 'eappver'; readonly line: number; readonly version: string }
  | {
      readonly type: 'einfo';
      readonly line: number;
      readonly ipv6: string;
      readonly mac: string;
      readonly channel: number;
      readonly panId: string;
      /** The fifth field: short address on single-hop dongles, side on dual-stack ones. */
      readonly addr16?: string;
      readonly side?: number;
    }
  | { readonly type: 'esreg'; readonly line: number; readonly value: string }
  | {
      readonly type: 'epandesc';
      readonly line: number;
      readonly channel: number;
      readonly channelPage: number;
      readonly panId: string;
      readonly addr: string;
      readonly lqi: number;
      readonly side?: number;
      readonly pairId?: string;
    }
  | { readonly type: 'ipv6'; readonly line: number; readonly address: string }
  /** The dongle's echo of a command (SKSENDTO echoes become `sendto`). Secrets are masked. */
  | { readonly type: 'echo'; readonly line: number; readonly command: string; readonly text: string }
  | {
      readonly type: 'error';
      readonly line: number;
      /** An `EchonetError` code (`frame.*`, `property.*`, `sk.*`). */
      readonly code: EchonetErrorCode;
      readonly reason: string;
      /** The start of the offending input, non-printable bytes as `\xNN`. */
      readonly input: string;
      /** The datagram whose payload did not decode. */
      readonly erxudp?: ErxudpFields & { readonly data: string };
      readonly sendto?: SendtoFields & { readonly data: string };
    };

export type DecodedRecordType = DecodedRecord['type'];

/** A payload that failed to decode as what its port says it is. */
export interface PayloadError {
  readonly code: EchonetErrorCode;
  readonly reason: string;
}

/** Port 0E1A → ECHONET Lite frame, 02CC → PANA, anything else → raw UDP. */
export function decodePayload(port: number, data: Uint8Array): PayloadFields | PayloadError {
  if (port === PANA_PORT) return { pana: { length: data.length, hex: toHex(data) } };
  if (port !== ECHONET_PORT) return { udp: { length: data.length, hex: toHex(data) } };
  return decodeEchonet(data);
}

export function decodeEchonet(data: Uint8Array): { readonly echonet: FrameDescription } | PayloadError {
  try {
    return { echonet: describeFrame(decodeFrame(data)) };
  } catch (e) {
    if (isEchonetError(e)) return { code: e.code, reason: e.message };
    return { code: 'frame.invalid', reason: e instanceof Error ? e.message : String(e) };
  }
}

export function isPayloadError(p: PayloadFields | PayloadError): p is PayloadError {
  return 'reason' in p;
}

export function erxudpFields(ev: SkEventOf<'erxudp'>): ErxudpFields {
  return {
    layout: ev.layout,
    encoding: ev.encoding,
    sender: ev.sender,
    dest: ev.dest,
    rport: hexNum(ev.rport, 4),
    lport: hexNum(ev.lport, 4),
    senderLla: ev.senderLla,
    secured: ev.secured,
    ...(ev.side === undefined ? {} : { side: ev.side }),
    ...(ev.rssi === undefined ? {} : { rssi: ev.rssi }),
  };
}

/**
 * The record of one SK event (`erxudp` and SKSENDTO echoes are handled by the caller). Text taken
 * from the input goes through `redactCommand` once more: a secret must not reach the output even
 * from a line the parser passed on unmasked (an indented line inside an EPANDESC block, say).
 */
export function recordOfEvent(ev: Exclude<SkEvent, { type: 'erxudp' }>, line: number): DecodedRecord {
  switch (ev.type) {
    case 'event': {
      const result = ev.num === 0x21 && ev.param !== undefined ? UDP_SEND_RESULTS[ev.param] : undefined;
      return {
        type: 'event',
        line,
        num: hexNum(ev.num, 2),
        name: eventName(ev.num),
        sender: ev.sender,
        ...(ev.side === undefined ? {} : { side: ev.side }),
        ...(ev.param === undefined ? {} : { param: hexNum(ev.param, 2) }),
        ...(result === undefined ? {} : { result }),
      };
    }
    case 'ok':
      return { type: 'ok', line, ...(ev.value === undefined ? {} : { value: ev.value }) };
    case 'fail': {
      const meaning = FAIL_MEANINGS[ev.code];
      return { type: 'fail', line, code: ev.code, ...(meaning === undefined ? {} : { meaning }) };
    }
    case 'ever':
      return { type: 'ever', line, version: ev.version };
    case 'eappver':
      return { type: 'eappver', line, version: ev.version };
    case 'einfo':
      return {
        type: 'einfo',
        line,
        ipv6: ev.ipv6,
        mac: ev.mac,
        channel: ev.channel,
        panId: hexNum(ev.panId, 4),
        ...(ev.addr16 === undefined ? {} : { addr16: ev.addr16 }),
        ...(ev.side === undefined ? {} : { side: ev.side }),
      };
    case 'esreg':
      return { type: 'esreg', line, value: ev.value };
    case 'epandesc':
      return {
        type: 'epandesc',
        line,
        channel: ev.channel,
        channelPage: ev.channelPage,
        panId: hexNum(ev.panId, 4),
        addr: ev.addr,
        lqi: ev.lqi,
        ...(ev.side === undefined ? {} : { side: ev.side }),
        ...(ev.pairId === undefined ? {} : { pairId: ev.pairId }),
      };
    case 'ipv6':
      return { type: 'ipv6', line, address: ev.address };
    case 'echo':
      return { type: 'echo', line, command: ev.command, text: redactCommand(ev.line) };
    case 'unknown':
      return {
        type: 'error',
        line,
        code: 'sk.unexpected',
        reason: 'not an SK line, a bare ECHONET Lite frame (1081…) or a comment',
        input: redactCommand(ev.line),
      };
    case 'error':
      return { type: 'error', line, code: ev.code, reason: ev.reason, input: redactCommand(ev.raw) };
  }
}
