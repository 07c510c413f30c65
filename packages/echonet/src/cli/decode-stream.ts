/**
 * The transform behind `decode`: transcript bytes in (split anywhere), JSON records out, in input
 * order. No I/O. Never throws: what cannot be decoded becomes an `error` record and decoding
 * goes on with the next line.
 *
 * Each logical line (see `transcript-lines.ts`) is either
 * - a bare ECHONET Lite frame in hex (`1081…`, blanks allowed) → a `frame` record, or
 * - SK text, read by the SK line parser → one record per event: an ERXUDP's payload is decoded
 *   by port (0E1A ECHONET Lite, 02CC PANA, anything else raw), the echo of SKSENDTO likewise.
 */
import { fromHex, toHex } from '../frame/hex.js';
import { ascii, concatBytes, hexNum, parseHexToken } from '../sk/bytes.js';
import type { SkEvent, SkEventOf } from '../sk/events.js';
import { SkLineParser } from '../sk/parser.js';
import { bareFrameHex } from './log-prefix.js';
import {
  type DecodedRecord,
  decodeEchonet,
  decodePayload,
  ECHONET_PORT,
  erxudpFields,
  isPayloadError,
  PANA_PORT,
  recordOfEvent,
  type SendtoFields,
} from './records.js';
import { snippet, type TranscriptLine, TranscriptLines } from './transcript-lines.js';

export interface Decoder {
  /** Feeds transcript bytes. Returns the records of the lines they complete. Never throws. */
  push(chunk: Uint8Array): DecodedRecord[];
  /** The end of input: decodes a last line without line end, closes an open EPANDESC block. */
  end(): DecodedRecord[];
}

export interface DecoderOptions {
  /** Longest physical line, log prefix and ERXUDP data included. Default 8192 bytes. */
  readonly maxLineLength?: number;
}

const CRLF = new Uint8Array([0x0d, 0x0a]);

export function createDecoder(options: DecoderOptions = {}): Decoder {
  const lines = new TranscriptLines(options);
  const parser = new SkLineParser({ payload: 'auto', maxLineLength: lines.lineLimit });
  /** Line of the `EPANDESC` that opened the block the parser is collecting. */
  let blockLine = 0;
  /** Line of the last input seen, for a failure that cannot be placed. */
  let lastLine = 1;

  const decodeLine = (tl: TranscriptLine, out: DecodedRecord[]): void => {
    lastLine = tl.line;
    if (tl.kind === 'error') {
      out.push({ type: 'error', line: tl.line, code: tl.code, reason: tl.reason, input: tl.input });
      return;
    }
    const text = ascii(tl.content);
    const hex = tl.ended ? bareFrameHex(text) : undefined;
    if (hex !== undefined) {
      out.push(frameRecord(hex, tl.line, tl.content));
      return;
    }
    const events = parser.push(tl.ended ? concatBytes([tl.content, CRLF]) : tl.content);
    for (const ev of events) {
      out.push(recordOf(ev, closesBlock(ev) ? blockLine : tl.line, tl.content));
    }
    if (text.trim() === 'EPANDESC') blockLine = tl.line;
  };

  const run = (produce: () => TranscriptLine[], finish: boolean): DecodedRecord[] => {
    const out: DecodedRecord[] = [];
    try {
      for (const tl of produce()) {
        try {
          decodeLine(tl, out);
        } catch (cause) {
          out.push(failure(tl.line, cause));
        }
      }
      if (finish) for (const ev of parser.flush()) out.push(recordOf(ev, blockLine, new Uint8Array(0)));
    } catch (cause) {
      out.push(failure(lastLine, cause));
    }
    return out;
  };

  return {
    push: (chunk) => run(() => lines.push(chunk), false),
    end: () => run(() => lines.end(), true),
  };
}

/**
 * The EPANDESC block's own event: the block record, or the error naming what the block lacks
 * (its `raw` is the block's lines joined by LF, escaped). It is placed at the `EPANDESC` line.
 */
function closesBlock(ev: SkEvent): boolean {
  return ev.type === 'epandesc' || (ev.type === 'error' && /^EPANDESC(?:\\x0A|$)/.test(ev.raw));
}

function failure(line: number, cause: unknown): DecodedRecord {
  return {
    type: 'error',
    line,
    code: 'sk.malformed',
    reason: `decoder failure: ${cause instanceof Error ? cause.message : String(cause)}`,
    input: '',
  };
}

function frameRecord(hex: string, line: number, content: Uint8Array): DecodedRecord {
  if (hex.length % 2 !== 0) {
    return {
      type: 'error',
      line,
      code: 'frame.invalid',
      reason: `bare frame has an odd number of hex digits (${hex.length})`,
      input: snippet(content),
    };
  }
  const decoded = decodeEchonet(fromHex(hex));
  if (isPayloadError(decoded)) {
    return { type: 'error', line, code: decoded.code, reason: decoded.reason, input: snippet(content) };
  }
  return { type: 'frame', line, echonet: decoded.echonet };
}

function recordOf(ev: SkEvent, line: number, content: Uint8Array): DecodedRecord {
  if (ev.type === 'erxudp') return erxudpRecord(ev, line, content);
  if (ev.type === 'echo' && ev.command === 'SKSENDTO')
    return sendtoRecord(ev, line) ?? recordOfEvent(ev, line);
  return recordOfEvent(ev, line);
}

/** ERXUDP: the port tells what the payload is (PANA wins when either port is 716). */
function erxudpRecord(ev: SkEventOf<'erxudp'>, line: number, content: Uint8Array): DecodedRecord {
  const fields = erxudpFields(ev);
  const port =
    ev.rport === PANA_PORT || ev.lport === PANA_PORT
      ? PANA_PORT
      : ev.rport === ECHONET_PORT || ev.lport === ECHONET_PORT
        ? ECHONET_PORT
        : ev.rport;
  const payload = decodePayload(port, ev.data);
  if (!isPayloadError(payload)) return { type: 'erxudp', line, ...fields, ...payload };
  return {
    type: 'error',
    line,
    code: payload.code,
    reason: payload.reason,
    input: snippet(content),
    erxudp: { ...fields, data: toHex(ev.data) },
  };
}

/**
 * The echo of `SKSENDTO <handle> <ipv6> <port> <sec> [side] <len> <data>` (the parser shows the
 * data as hex). Undefined when the fields are not what the command takes, or when the dongle did
 * not echo the data (real dongles end the echo after DATALEN, fixtures/sk-corpus.json): it stays
 * an `echo`.
 */
function sendtoRecord(ev: SkEventOf<'echo'>, line: number): DecodedRecord | undefined {
  const words = ev.line.split(' ');
  if (words.length !== 7 && words.length !== 8) return undefined;
  const [, handle, address, portText, secText] = words as [string, string, string, string, string];
  const port = parseHexToken(portText, 4);
  const secured = parseHexToken(secText, 1);
  const side = words.length === 8 ? parseHexToken(words[5], 1) : undefined;
  const data = words[words.length - 1]!;
  if (data === '') return undefined;
  if (port === undefined || secured === undefined || (words.length === 8 && side === undefined))
    return undefined;
  const fields: SendtoFields = {
    handle,
    address,
    port: hexNum(port, 4),
    secured,
    ...(side === undefined ? {} : { side }),
  };
  const bytes = fromHex(data);
  const payload = decodePayload(port, bytes);
  if (!isPayloadError(payload)) return { type: 'sendto', line, ...fields, ...payload };
  return {
    type: 'error',
    line,
    code: payload.code,
    reason: payload.reason,
    input: ev.line.slice(0, 120),
    sendto: { ...fields, data },
  };
}
