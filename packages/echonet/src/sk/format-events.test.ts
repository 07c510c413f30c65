import { describe, expect, it } from 'vitest';
import { ascii, asciiBytes } from './bytes.js';
import type { SkEvent } from './events.js';
import { formatEvent, formatEvents } from './format-events.js';
import { SkLineParser } from './parser.js';
import { int, randomBytes, randomEvent, seededRandom } from './test-support.js';

const A = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
const B = 'FE80:0000:0000:0000:021D:1290:0005:747B';

function reparse(input: Uint8Array): SkEvent[] {
  const parser = new SkLineParser();
  return [...parser.push(input), ...parser.flush()];
}

describe('formatEvent', () => {
  it('prints the EPANDESC block with two-space indents, Side only when present', () => {
    const ev = {
      type: 'epandesc',
      channel: 0x21,
      channelPage: 9,
      panId: 0x8888,
      addr: '12345678ABCDEF01',
      lqi: 0xe1,
    } as const;
    expect(ascii(formatEvent({ ...ev, side: 0, pairId: 'AABBCCDD' }))).toBe(
      'EPANDESC\r\n  Channel:21\r\n  Channel Page:09\r\n  Pan ID:8888\r\n  Addr:12345678ABCDEF01\r\n  LQI:E1\r\n  Side:0\r\n  PairID:AABBCCDD\r\n',
    );
    expect(ascii(formatEvent(ev))).toBe(
      'EPANDESC\r\n  Channel:21\r\n  Channel Page:09\r\n  Pan ID:8888\r\n  Addr:12345678ABCDEF01\r\n  LQI:E1\r\n',
    );
    expect(reparse(formatEvent(ev))).toEqual([ev]);
  });

  it('prints EVENT, EINFO and OK with the dongle widths, and a CR-only line end on request', () => {
    expect(ascii(formatEvent({ type: 'event', num: 0x21, sender: A, side: 0, param: 0 }))).toBe(
      `EVENT 21 ${A} 0 00\r\n`,
    );
    expect(ascii(formatEvent({ type: 'event', num: 0x1f, sender: A }))).toBe(`EVENT 1F ${A}\r\n`);
    expect(ascii(formatEvent({ type: 'event', num: 0xc0, sender: '' }))).toBe('EVENT C0\r\n');
    expect(
      ascii(
        formatEvent({
          type: 'einfo',
          ipv6: A,
          mac: '001D129012345678',
          channel: 0x21,
          panId: 0x8888,
          addr16: 'FFFE',
        }),
      ),
    ).toBe(`EINFO ${A} 001D129012345678 21 8888 FFFE\r\n`);
    expect(ascii(formatEvent({ type: 'ok', value: '01' }, { lineEnd: 'cr' }))).toBe('OK 01\r');
  });

  it('prints a binary ERXUDP payload raw and a hex one as upper-case hex', () => {
    const base = {
      type: 'erxudp',
      layout: 'dual-stack-rssi',
      sender: A,
      dest: B,
      rport: 0x0e1a,
      lport: 0x0e1a,
    } as const;
    const ev = {
      ...base,
      senderLla: '001C6400601421A3',
      secured: 1,
      side: 0,
      rssi: 'C4',
      data: Uint8Array.of(0x0d, 0x0a, 0xab),
    };
    const bin = formatEvent({ ...ev, encoding: 'binary' });
    expect(Array.from(bin.subarray(-5))).toEqual([0x0d, 0x0a, 0xab, 0x0d, 0x0a]);
    expect(ascii(bin.subarray(0, -5))).toBe(`ERXUDP ${A} ${B} 0E1A 0E1A 001C6400601421A3 C4 1 0 0003 `);
    expect(ascii(formatEvent({ ...ev, encoding: 'hex' }))).toBe(
      `ERXUDP ${A} ${B} 0E1A 0E1A 001C6400601421A3 C4 1 0 0003 0D0AAB\r\n`,
    );
  });

  it('prints the SKSENDTO echo with its data raw, then CRLF; without data, CRLF after DATALEN', () => {
    const out = formatEvent({ type: 'echo', command: 'SKSENDTO', line: `SKSENDTO 1 ${A} 0E1A 1 0002 0D0A` });
    expect(Array.from(out.subarray(-5))).toEqual([0x20, 0x0d, 0x0a, 0x0d, 0x0a]);
    // RS-WSUHA-P (EVER 1.5.2), fixtures/sk-corpus.json: the data is not echoed
    const bare = formatEvent({ type: 'echo', command: 'SKSENDTO', line: `SKSENDTO 1 ${A} 0E1A 1 0 000E ` });
    expect(ascii(bare)).toBe(`SKSENDTO 1 ${A} 0E1A 1 0 000E \r\n`);
    expect(reparse(bare)).toEqual([
      { type: 'echo', command: 'SKSENDTO', line: `SKSENDTO 1 ${A} 0E1A 1 0 000E ` },
    ]);
  });

  it('turns an error event back into its raw bytes (garbage injection)', () => {
    const garbage = Uint8Array.of(0x00, 0x41, 0x5c, 0xff);
    const [ev] = reparse(Uint8Array.of(...garbage, 0x0d, 0x0a));
    expect(ev?.type).toBe('error');
    expect(Array.from(formatEvent(ev!))).toEqual([...garbage, 0x0d, 0x0a]);
  });
});

describe('formatEvent is the inverse of SkLineParser', () => {
  it.each([11, 22, 33, 44])('round-trips random events of every type and layout (seed %i)', (seed) => {
    const rng = seededRandom(seed);
    const seen = new Set<string>();
    for (let i = 0; i < 1500; i++) {
      const ev = randomEvent(rng);
      seen.add(ev.type === 'erxudp' ? `erxudp:${ev.layout}:${ev.encoding}` : ev.type);
      const back = reparse(formatEvent(ev));
      if (back.length !== 1 || JSON.stringify(back[0]) !== JSON.stringify(ev)) expect(back).toEqual([ev]);
      expect(back[0]).toEqual(ev);
    }
    expect(seen.size).toBeGreaterThanOrEqual(15);
  });

  it('round-trips a stream of events back to back, however it is split', () => {
    const rng = seededRandom(5);
    const events = Array.from({ length: 400 }, () => randomEvent(rng));
    const garbage = {
      type: 'error',
      code: 'sk.malformed',
      reason: 'non-printable byte 0x00 at column 0',
      raw: '\\x00\\x01',
    } as const;
    events.push(garbage, { type: 'unknown', line: 'EPORT' });
    const input = formatEvents(events);
    expect(reparse(input)).toEqual(events);
    const parser = new SkLineParser();
    const out: SkEvent[] = [];
    for (let at = 0; at < input.length; ) {
      const n = 1 + int(rng, 30);
      out.push(...parser.push(input.subarray(at, at + n)));
      at += n;
    }
    expect(out).toEqual(events);
  });

  it('round-trips malformed lines of random garbage', () => {
    const rng = seededRandom(9);
    for (let i = 0; i < 300; i++) {
      const line = randomBytes(rng, 1 + int(rng, 60)).map((x) => (x === 0x0d || x === 0x0a ? 0x00 : x));
      const events = reparse(Uint8Array.of(...line, 0x0d, 0x0a));
      for (const ev of events) expect(reparse(formatEvent(ev))).toEqual([ev]);
    }
  });

  it('reads a binary ERXUDP with empty data back as hex: the bytes are the same', () => {
    const ev = {
      type: 'erxudp',
      layout: 'single-hop',
      encoding: 'binary',
      sender: A,
      dest: B,
      rport: 1,
      lport: 2,
      senderLla: 'X',
      secured: 0,
      data: new Uint8Array(0),
    } as const;
    expect(formatEvent(ev)).toEqual(formatEvent({ ...ev, encoding: 'hex' }));
    expect(reparse(formatEvent(ev))).toEqual([{ ...ev, encoding: 'hex' }]);
    expect(reparse(asciiBytes(ascii(formatEvent(ev))))).toHaveLength(1);
  });
});
