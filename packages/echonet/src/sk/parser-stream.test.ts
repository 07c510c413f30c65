import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes } from './bytes.js';
import type { SkEvent } from './events.js';
import { SkLineParser } from './parser.js';
import { int, seededRandom } from './test-support.js';

const METER = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
const SELF = 'FE80:0000:0000:0000:021D:1290:0005:747B';
const LLA = '001C6400601421A3';
const GET = Uint8Array.from(Buffer.from('1081000105FF010288016201E700', 'hex'));
const RES = Uint8Array.from(Buffer.from('1081000102880105FF017201E7040000027B', 'hex'));
/** A payload whose bytes include CR, LF and a whole `OK\r\n`. */
const NASTY = Uint8Array.from([0x10, 0x81, 0x0d, 0x0a, 0x4f, 0x4b, 0x0d, 0x0a, 0x0d, 0x20, 0x0a, 0x00]);

const b = (...parts: (string | Uint8Array)[]): Uint8Array =>
  concatBytes(parts.map((p) => (typeof p === 'string' ? asciiBytes(p) : p)));

/** A session as a dongle with echo on sends it: setup, scan, join, requests, replies. */
function transcript(dual: boolean): Uint8Array {
  const s = dual ? ' 0' : '';
  const len = (d: Uint8Array) => d.length.toString(16).toUpperCase().padStart(4, '0');
  const hex = (d: Uint8Array) => Buffer.from(d).toString('hex').toUpperCase();
  const erxudp = (d: Uint8Array, binary: boolean) =>
    b(`ERXUDP ${METER} ${SELF} 0E1A 0E1A ${LLA} 1${s} ${len(d)} `, binary ? d : hex(d), '\r\n');
  return b(
    'SKVER\r\nEVER 1.2.10\r\nOK\r\n',
    `SKINFO\r\nEINFO ${SELF} 001D12900005747B 21 FFFF FFFE${s}\r\nOK\r\n`,
    'SKSETPWD C 0123456789AB\r\nOK\r\nSKSETRBID 00112233445566778899AABBCCDDEEFF\r\nOK\r\n',
    'ROPT\r\nOK 01\r',
    `SKSCAN 2 FFFFFFFF 6${s}\r\nOK\r\n`,
    `EVENT 20 ${METER}${s}\r\nEPANDESC\r\n  Channel:21\r\n  Channel Page:09\r\n  Pan ID:8888\r\n`,
    `  Addr:${LLA}\r\n  LQI:E1\r\n${dual ? '  Side:0\r\n' : ''}  PairID:CCDDEEFF\r\nEVENT 22 ${SELF}${s}\r\n`,
    `SKLL64 ${LLA}\r\n${METER}\r\nSKSREG S2 21\r\nOK\r\nSKSREG SFE\r\nESREG 1\r\nOK\r\n`,
    `SKJOIN ${METER}\r\nOK\r\nEVENT 21 ${METER}${s} 02\r\nERXUDP ${METER} ${SELF} 02CC 02CC ${LLA} 0${s} 0004 0001ABCD\r\n`,
    `EVENT 25 ${METER}${s}\r\n`,
    `SKSENDTO 1 ${METER} 0E1A 1${s} ${len(GET)} `,
    GET,
    `EVENT 21 ${METER}${s} 00\r\nOK\r\n`,
    erxudp(RES, false),
    'WOPT 00\r\nOK\r\n',
    `SKSENDTO 1 ${METER} 0E1A 1${s} ${len(NASTY)} `,
    NASTY,
    `EVENT 21 ${METER}${s} 00\r\nOK\r\n`,
    erxudp(NASTY, true),
    erxudp(RES, true),
    `EVENT 29 ${METER}${s}\r\nEVENT 25 ${METER}${s}\r\nEVENT 32 ${METER}${s}\nEVENT 33 ${METER}${s}\n`,
    'FAIL ER10\r\nSKTERM\r\nOK\r\n',
    `EVENT 27 ${METER}${s}\r\n`,
  );
}

function parseChunks(chunks: readonly Uint8Array[]): SkEvent[] {
  const parser = new SkLineParser();
  const out: SkEvent[] = [];
  for (const c of chunks) out.push(...parser.push(c));
  return [...out, ...parser.flush()];
}

describe.each([false, true])('SkLineParser over a whole session (dual-stack: %s)', (dual) => {
  const input = transcript(dual);
  const whole = parseChunks([input]);

  it('reads the session without errors or unknown lines', () => {
    expect(whole.filter((e) => e.type === 'error' || e.type === 'unknown')).toEqual([]);
    expect(whole.map((e) => e.type)).toEqual([
      ...['echo', 'ever', 'ok', 'echo', 'einfo', 'ok', 'echo', 'ok', 'echo', 'ok', 'echo', 'ok'],
      ...['echo', 'ok', 'event', 'epandesc', 'event', 'echo', 'ipv6', 'echo', 'ok', 'echo', 'esreg', 'ok'],
      ...['echo', 'ok', 'event', 'erxudp', 'event', 'echo', 'event', 'ok', 'erxudp', 'echo', 'ok'],
      ...[
        'echo',
        'event',
        'ok',
        'erxudp',
        'erxudp',
        'event',
        'event',
        'event',
        'event',
        'fail',
        'echo',
        'ok',
        'event',
      ],
    ]);
    const udp = whole.filter((e) => e.type === 'erxudp');
    expect(udp.map((e) => [e.encoding, e.layout, Array.from(e.data)])).toEqual([
      ['hex', dual ? 'dual-stack' : 'single-hop', [0x00, 0x01, 0xab, 0xcd]],
      ['hex', dual ? 'dual-stack' : 'single-hop', Array.from(RES)],
      ['binary', dual ? 'dual-stack' : 'single-hop', Array.from(NASTY)],
      ['binary', dual ? 'dual-stack' : 'single-hop', Array.from(RES)],
    ]);
    expect(JSON.stringify(whole)).not.toMatch(/0123456789AB|00112233445566778899/);
  });

  it('gives identical events when split into two chunks at every byte position', () => {
    for (let k = 0; k <= input.length; k++) {
      const events = parseChunks([input.subarray(0, k), input.subarray(k)]);
      if (JSON.stringify(events) !== JSON.stringify(whole)) expect(events, `split at ${k}`).toEqual(whole);
    }
  });

  it('gives identical events when fed one byte at a time, and in random chunks', () => {
    expect(parseChunks(Array.from(input, (x) => Uint8Array.of(x)))).toEqual(whole);
    const rng = seededRandom(dual ? 7 : 3);
    for (let round = 0; round < 50; round++) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < input.length; ) {
        const n = 1 + int(rng, 40);
        chunks.push(input.subarray(at, at + n));
        at += n;
      }
      expect(parseChunks(chunks)).toEqual(whole);
    }
  });
});
