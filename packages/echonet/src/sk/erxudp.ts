/**
 * ERXUDP: the header fields per layout, and how the payload after DATALEN is read.
 *
 * Layouts (fields after the keyword; DATALEN position from `data-start.ts`):
 * - single-hop (BP35A1, RL7023 IPS): SENDER DEST RPORT LPORT SENDERLLA SECURED DATALEN DATA
 * - dual-stack (BP35C0/C2, RL7023 DSS): ... SENDERLLA SECURED SIDE DATALEN DATA
 * - dual-stack with SA2=1: ... SENDERLLA RSSI SECURED SIDE DATALEN DATA
 *
 * The payload is ASCII hex (2×DATALEN hex digits, then the line end) after `WOPT 01`, or raw
 * (DATALEN bytes that may contain CR/LF, then CRLF) after `WOPT 00`.
 */

import { isHexByte, isLineEnd, parseHexToken } from './bytes.js';
import type { ErxudpLayout, SkEvent } from './events.js';

/** How the parser reads ERXUDP payloads: decide per datagram, or force one encoding. */
export type PayloadMode = 'auto' | 'hex' | 'binary';

export const ERXUDP_LAYOUT_BY_POSITION: Readonly<Record<number, ErxudpLayout>> = {
  7: 'single-hop',
  8: 'dual-stack',
  9: 'dual-stack-rssi',
};

export type PayloadDecision =
  | { readonly kind: 'hex' | 'binary'; readonly data: Uint8Array; readonly end: number }
  | { readonly kind: 'more' }
  | { readonly kind: 'bad'; readonly code: 'sk.malformed' | 'sk.overflow'; readonly reason: string };

/**
 * Reads the payload that starts at `start` in `bytes` (DATALEN `length`). In `auto` mode:
 * hex if exactly 2×DATALEN hex digits are followed by a line end; binary if the byte after
 * DATALEN raw bytes is a line end (for DATALEN > 0 the two can never both hold; an empty payload
 * is reported as hex). `hex`/`binary` force one reading; forced binary does not require the CRLF.
 * A reading that would make the line longer than `maxLineLength` is not considered; when none
 * is left, that is an overflow, decided from DATALEN alone.
 */
export function decidePayload(
  bytes: Uint8Array,
  start: number,
  length: number,
  mode: PayloadMode,
  maxLineLength: number,
): PayloadDecision {
  const hexEnd = start + 2 * length;
  const binEnd = start + length;
  const avail = bytes.length;

  const hexFits = mode !== 'binary' && hexEnd <= maxLineLength;
  const binFits = mode !== 'hex' && binEnd <= maxLineLength;
  if (!hexFits && !binFits) {
    return { kind: 'bad', code: 'sk.overflow', reason: `ERXUDP DATALEN ${length} exceeds the line limit` };
  }

  let hexAlive = hexFits;
  for (let i = start; hexAlive && i < Math.min(avail, hexEnd); i++)
    if (!isHexByte(bytes[i])) hexAlive = false;
  if (hexAlive && avail > hexEnd && !isLineEnd(bytes[hexEnd])) hexAlive = false;
  let binAlive = binFits;
  if (binAlive && mode === 'auto' && avail > binEnd && !isLineEnd(bytes[binEnd])) binAlive = false;

  if (hexAlive && avail > hexEnd) {
    return { kind: 'hex', data: hexBytes(bytes, start, length), end: hexEnd };
  }
  if (binAlive && (mode === 'binary' ? avail >= binEnd : avail > binEnd && !hexAlive)) {
    return { kind: 'binary', data: bytes.slice(start, binEnd), end: binEnd };
  }
  if (hexAlive || binAlive) return { kind: 'more' };
  const expected =
    mode === 'hex'
      ? `${2 * length} hex digits`
      : mode === 'binary'
        ? `${length} bytes`
        : hexFits
          ? `${2 * length} hex digits or ${length} bytes`
          : `${length} bytes`;
  return {
    kind: 'bad',
    code: 'sk.malformed',
    reason: `ERXUDP data is not ${expected} followed by a line end`,
  };
}

function hexBytes(bytes: Uint8Array, start: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = Number.parseInt(String.fromCharCode(bytes[start + 2 * i]!, bytes[start + 2 * i + 1]!), 16);
  }
  return out;
}

/**
 * Builds the ERXUDP event from the header words (keyword first, DATALEN last). Addresses are kept
 * as spelled (published captures elide them with `X`); ports, SECURED, SIDE must be hex.
 * Returns a reason string when a field is not what its layout requires.
 */
export function erxudpFromHeader(
  words: readonly string[],
  encoding: 'hex' | 'binary',
  data: Uint8Array,
): SkEvent | string {
  const layout = ERXUDP_LAYOUT_BY_POSITION[words.length - 1];
  if (layout === undefined) return `ERXUDP with ${words.length - 1} header fields`;
  const [, sender, dest, rportText, lportText, senderLla] = words as readonly string[];
  const rest = words.slice(6, -1);
  const rssi = layout === 'dual-stack-rssi' ? rest.shift() : undefined;
  const secured = parseHexToken(rest[0], 1);
  const side = layout === 'single-hop' ? undefined : parseHexToken(rest[1], 1);
  const rport = parseHexToken(rportText, 4);
  const lport = parseHexToken(lportText, 4);
  if (!sender || !dest || !senderLla) return 'ERXUDP with an empty address field';
  if (rport === undefined || lport === undefined) return 'ERXUDP port is not 4 hex digits';
  if (secured === undefined) return 'ERXUDP SECURED is not one hex digit';
  if (layout !== 'single-hop' && side === undefined) return 'ERXUDP SIDE is not one hex digit';
  return {
    type: 'erxudp',
    layout,
    encoding,
    sender,
    dest,
    rport,
    lport,
    senderLla,
    secured,
    ...(side === undefined ? {} : { side }),
    ...(rssi === undefined ? {} : { rssi }),
    data,
  };
}
