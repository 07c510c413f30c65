/**
 * One complete, printable dongle line → one SkEvent. The streaming, the data-bearing lines
 * (ERXUDP, SKSENDTO echo) and the EPANDESC block live in `parser.ts` and `pandesc-block.ts`.
 */
import { asciiBytes, escapeRaw, parseHexToken } from './bytes.js';
import { isSkCommandWord } from './command-words.js';
import { erxudpFromHeader } from './erxudp.js';
import { EVENTS_WITH_PARAM } from './event-numbers.js';
import type { SkEvent } from './events.js';
import { redactCommand } from './redact.js';

/** `EPANDESC` opens a block of indented `Key:Value` lines; the parser collects them. */
export type LineResult = SkEvent | { readonly type: 'epandesc-start' };

/** 8 groups of 1–4 hex digits: the answer to SKLL64 (dongles print 4 digits per group). */
const IPV6_LINE = /^[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}$/;

export function malformed(reason: string, line: string): SkEvent {
  return { type: 'error', code: 'sk.malformed', reason, raw: redactCommand(escapeRaw(asciiBytes(line))) };
}

/** Parses a non-indented printable line (no line end). Never throws. */
export function parseLine(line: string): LineResult {
  const words = line.trim().split(/[ \t]+/);
  const keyword = words[0] ?? '';
  switch (keyword) {
    case 'OK':
      if (words.length === 1) return { type: 'ok' };
      if (words.length === 2) return { type: 'ok', value: words[1]! };
      return malformed('OK with more than one value', line);
    case 'FAIL':
      return words.length === 2
        ? { type: 'fail', code: words[1]! }
        : malformed('FAIL without one code', line);
    case 'EVER':
      return words.length === 2
        ? { type: 'ever', version: words[1]! }
        : malformed('EVER without one version', line);
    case 'EAPPVER':
      return words.length >= 2
        ? { type: 'eappver', version: words.slice(1).join(' ') }
        : malformed('EAPPVER without a version', line);
    case 'ESREG':
      return words.length === 2
        ? { type: 'esreg', value: words[1]! }
        : malformed('ESREG without one value', line);
    case 'EINFO':
      return parseEinfo(words, line);
    case 'EVENT':
      return parseEvent(words, line);
    case 'EPANDESC':
      return words.length === 1 ? { type: 'epandesc-start' } : malformed('EPANDESC with arguments', line);
    case 'ERXUDP':
      return parseDatalessErxudp(words, line);
  }
  if (isSkCommandWord(keyword)) return { type: 'echo', command: keyword, line: redactCommand(line) };
  if (words.length === 1 && IPV6_LINE.test(keyword)) return { type: 'ipv6', address: keyword };
  return { type: 'unknown', line: redactCommand(line) };
}

/**
 * `EINFO <ipv6> <mac64> <channel> <panid> <fifth>`: five fields on both families, and the fifth
 * tells them apart (as momonga's detect_device does):
 * - single-hop: the 16-bit short address, 4 hex digits (`FFFE` on a BP35A1, smdn's SkStackIP
 *   fixtures);
 * - dual-stack: the side, 1 digit (`… 39 9E08 0` from a BP35C2-based dongle answering EVER
 *   1.5.2, futomi/node-wisunrb README).
 * Six fields (`<addr16> <side>`) appear in no capture; they are still read, side and all.
 */
function parseEinfo(words: readonly string[], line: string): SkEvent {
  if (words.length !== 6 && words.length !== 7)
    return malformed(`EINFO with ${words.length - 1} fields`, line);
  const [, ipv6, mac, channelText, panIdText, fifth, sixth] = words as readonly string[];
  const channel = parseHexToken(channelText, 2);
  const panId = parseHexToken(panIdText, 4);
  if (channel === undefined || panId === undefined)
    return malformed('EINFO channel or PAN ID is not hex', line);
  const sideText = sixth ?? (fifth!.length === 1 ? fifth : undefined);
  const addr16 = sixth !== undefined || fifth!.length !== 1 ? fifth : undefined;
  const side = sideText === undefined ? undefined : parseHexToken(sideText, 1);
  if (sideText !== undefined && side === undefined) return malformed('EINFO side is not one hex digit', line);
  if (addr16 !== undefined && parseHexToken(addr16, 4) === undefined)
    return malformed('EINFO short address is not 1–4 hex digits', line);
  return {
    type: 'einfo',
    ipv6: ipv6!,
    mac: mac!,
    channel,
    panId,
    ...(addr16 === undefined ? {} : { addr16 }),
    ...(side === undefined ? {} : { side }),
  };
}

/**
 * `EVENT <num> <addr> [param]` (single-hop) or `EVENT <num> <addr> <side> [param]` (dual-stack).
 * After the sender: no word → neither; two words → side and param; one word → param if the
 * event number carries one (only 21, see EVENTS_WITH_PARAM), otherwise side. So `EVENT 21 <a> 00`
 * is single-hop with param 00 and `EVENT 25 <a> 0` is dual-stack side 0. `EVENT C0` (BP35A1
 * wake-up) has no sender: `sender` is then ''.
 */
function parseEvent(words: readonly string[], line: string): SkEvent {
  const num = parseHexToken(words[1], 2);
  if (num === undefined) return malformed('EVENT number is not 1–2 hex digits', line);
  const sender = words[2] ?? '';
  const extra = words.slice(3);
  if (extra.length > 2) return malformed(`EVENT with ${words.length - 1} fields`, line);
  let sideText: string | undefined;
  let paramText: string | undefined;
  if (extra.length === 2) [sideText, paramText] = extra;
  else if (extra.length === 1 && EVENTS_WITH_PARAM.has(num)) paramText = extra[0];
  else if (extra.length === 1) sideText = extra[0];
  const side = sideText === undefined ? undefined : parseHexToken(sideText, 1);
  const param = paramText === undefined ? undefined : parseHexToken(paramText, 2);
  if (sideText !== undefined && side === undefined) return malformed('EVENT side is not one hex digit', line);
  if (paramText !== undefined && param === undefined) return malformed('EVENT param is not hex', line);
  return {
    type: 'event',
    num,
    sender,
    ...(side === undefined ? {} : { side }),
    ...(param === undefined ? {} : { param }),
  };
}

/**
 * An ERXUDP line that ended before a DATALEN followed by a space. Only `DATALEN 0000` at the very
 * end is a valid (empty) datagram; anything else lost its data.
 */
function parseDatalessErxudp(words: readonly string[], line: string): SkEvent {
  if (words[words.length - 1] !== '0000') return malformed('ERXUDP line ends before its data', line);
  const ev = erxudpFromHeader(words, 'hex', new Uint8Array(0));
  return typeof ev === 'string' ? malformed(ev, line) : ev;
}
