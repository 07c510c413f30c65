/**
 * The inverse of the SK line parser: the exact bytes a dongle sends for an SkEvent. Used by the
 * simulator's virtual dongle. `new SkLineParser().push(formatEvent(ev))` gives back `ev` for every
 * event the parser can produce, with these exceptions: a `sk.overflow` error (its `raw` is only a
 * prefix), an EPANDESC without PairID (complete only at the next line or `flush()`), and a
 * binary ERXUDP with empty data (read back as hex in `auto` mode: the bytes are identical).
 */
import { toHex } from '../frame/hex.js';
import { asciiBytes, concatBytes, hexNum, hexToBytes, unescapeRaw } from './bytes.js';
import { findDataStart } from './data-start.js';
import type { SkEvent, SkEventOf } from './events.js';
import { PANDESC_KEYS } from './pandesc-block.js';

export interface FormatEventOptions {
  /**
   * Line end: `crlf` (default) or `cr`, which some firmware uses for the ROPT answer
   * (`OK 01\r`). Binary ERXUDP data and the SKSENDTO echo's data are never followed by `cr` alone.
   */
  readonly lineEnd?: 'crlf' | 'cr';
}

/**
 * Formats one event as the dongle prints it. Hex fields are upper case with the dongle's widths
 * (EVENT number 2, side 1, param 2, channel 2, PAN ID 4, LQI 2, ports 4, DATALEN 4); address
 * fields are written as stored. An `error` event becomes its raw bytes (`\xNN` unescaped) and a
 * line end, which lets the simulator inject garbage.
 */
export function formatEvent(ev: SkEvent, options: FormatEventOptions = {}): Uint8Array {
  const eol = options.lineEnd === 'cr' ? '\r' : '\r\n';
  const line = (text: string): Uint8Array => asciiBytes(text + eol);
  switch (ev.type) {
    case 'echo':
      return ev.command === 'SKSENDTO' ? sendtoEcho(ev.line, eol) : line(ev.line);
    case 'ok':
      return line(ev.value === undefined ? 'OK' : `OK ${ev.value}`);
    case 'fail':
      return line(`FAIL ${ev.code}`);
    case 'ever':
      return line(`EVER ${ev.version}`);
    case 'eappver':
      return line(`EAPPVER ${ev.version}`);
    case 'esreg':
      return line(`ESREG ${ev.value}`);
    case 'einfo': {
      const fifth = [ev.addr16, ev.side === undefined ? undefined : hexNum(ev.side, 1)].filter(
        (w) => w !== undefined,
      );
      return line(
        `EINFO ${ev.ipv6} ${ev.mac} ${hexNum(ev.channel, 2)} ${hexNum(ev.panId, 4)} ${fifth.join(' ')}`,
      );
    }
    case 'event': {
      const words = ['EVENT', hexNum(ev.num, 2)];
      if (ev.sender !== '') words.push(ev.sender);
      if (ev.side !== undefined) words.push(hexNum(ev.side, 1));
      if (ev.param !== undefined) words.push(hexNum(ev.param, 2));
      return line(words.join(' '));
    }
    case 'epandesc':
      return line(pandescLines(ev).join(eol));
    case 'ipv6':
      return line(ev.address);
    case 'erxudp':
      return erxudp(ev, eol);
    case 'unknown':
      return line(ev.line);
    case 'error':
      return concatBytes([unescapeRaw(ev.raw), asciiBytes(eol)]);
  }
}

/** Formats several events back to back, as one stream. */
export function formatEvents(events: readonly SkEvent[], options: FormatEventOptions = {}): Uint8Array {
  return concatBytes(events.map((ev) => formatEvent(ev, options)));
}

function pandescLines(ev: SkEventOf<'epandesc'>): string[] {
  const lines = ['EPANDESC'];
  for (const [key, field, width] of PANDESC_KEYS) {
    const value = ev[field];
    if (value === undefined) continue;
    lines.push(`  ${key}:${typeof value === 'number' ? hexNum(value, width) : value}`);
  }
  return lines;
}

/**
 * The echo of SKSENDTO. Real dongles end it with CRLF right after DATALEN's space (a `line` that
 * stops there); data shown as hex in `line` goes out raw, then the line end.
 */
function sendtoEcho(text: string, eol: string): Uint8Array {
  const bytes = asciiBytes(text);
  const start = findDataStart(bytes, ['SKSENDTO']);
  if (start.status !== 'found') return asciiBytes(text + eol);
  const data = hexToBytes(text.slice(start.dataStart));
  if (data === undefined || data.length !== start.length) return asciiBytes(text + eol);
  return concatBytes([bytes.subarray(0, start.dataStart), data, asciiBytes(eol)]);
}

function erxudp(ev: SkEventOf<'erxudp'>, eol: string): Uint8Array {
  const words = [ev.sender, ev.dest, hexNum(ev.rport, 4), hexNum(ev.lport, 4), ev.senderLla];
  if (ev.layout === 'dual-stack-rssi') words.push(ev.rssi ?? '00');
  words.push(hexNum(ev.secured, 1));
  if (ev.layout !== 'single-hop') words.push(hexNum(ev.side ?? 0, 1));
  words.push(hexNum(ev.data.length, 4));
  const header = `ERXUDP ${words.join(' ')} `;
  if (ev.encoding === 'hex') return asciiBytes(`${header}${toHex(ev.data)}${eol}`);
  return concatBytes([asciiBytes(header), ev.data, asciiBytes('\r\n')]);
}
