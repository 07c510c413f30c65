import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes } from './bytes.js';
import type { SkEvent } from './events.js';
import { SkLineParser, type SkLineParserOptions } from './parser.js';

const A = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
const B = 'FE80:0000:0000:0000:021D:1290:0005:747B';
const LLA = '001C6400601421A3';
const FRAME = '1081000102880105FF017201E70400000278';
const FRAME_BYTES = Uint8Array.from(Buffer.from(FRAME, 'hex'));

const bytes = (...parts: (string | Uint8Array)[]): Uint8Array =>
  concatBytes(parts.map((p) => (typeof p === 'string' ? asciiBytes(p) : p)));

function parse(input: Uint8Array | string, options?: SkLineParserOptions): SkEvent[] {
  const parser = new SkLineParser(options);
  return [...parser.push(typeof input === 'string' ? asciiBytes(input) : input), ...parser.flush()];
}

describe('SkLineParser: answers and events', () => {
  it('reads OK, OK <value>, FAIL, EVER, ESREG, the SKLL64 address and unknown lines', () => {
    expect(
      parse(
        `OK\r\nOK 01\r\nFAIL ER05\r\nEVER 1.2.10\r\nEAPPVER rohm-sk-bp35a1\r\nESREG 21\r\n${A}\r\nEADDR\r\n`,
      ),
    ).toEqual([
      { type: 'ok' },
      { type: 'ok', value: '01' },
      { type: 'fail', code: 'ER05' },
      { type: 'ever', version: '1.2.10' },
      { type: 'eappver', version: 'rohm-sk-bp35a1' },
      { type: 'esreg', value: '21' },
      { type: 'ipv6', address: A },
      { type: 'unknown', line: 'EADDR' },
    ]);
  });

  it('treats CR, LF and CRLF each as a line end (ROPT answers `OK 01\\r` on some firmware)', () => {
    expect(parse('ROPT\r\nOK 01\rEVENT 25 ' + A + '\nOK\r\n')).toEqual([
      { type: 'echo', command: 'ROPT', line: 'ROPT' },
      { type: 'ok', value: '01' },
      { type: 'event', num: 0x25, sender: A },
      { type: 'ok' },
    ]);
  });

  it('reads EINFO of both families', () => {
    expect(
      parse(`EINFO ${A} 001C6400601421A3 21 8888 FFFE\r\nEINFO ${A} 001C6400601421A3 3B 1234 ABCD 0\r\n`),
    ).toEqual([
      { type: 'einfo', ipv6: A, mac: LLA, channel: 0x21, panId: 0x8888, addr16: 'FFFE' },
      { type: 'einfo', ipv6: A, mac: LLA, channel: 0x3b, panId: 0x1234, addr16: 'ABCD', side: 0 },
    ]);
  });

  const TABLE = [0x01, 0x02, 0x05, 0x1f, 0x20, 0x21, 0x22, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x32, 0x33];
  it.each(TABLE)('reads EVENT %s in both layouts', (num) => {
    const hex = num.toString(16).toUpperCase().padStart(2, '0');
    const withParam = num === 0x21;
    const single = withParam ? `EVENT ${hex} ${A} 02` : `EVENT ${hex} ${A}`;
    const dual = withParam ? `EVENT ${hex} ${A} 0 01` : `EVENT ${hex} ${A} 1`;
    expect(parse(`${single}\r\n${dual}\r\n`)).toEqual([
      withParam ? { type: 'event', num, sender: A, param: 2 } : { type: 'event', num, sender: A },
      withParam
        ? { type: 'event', num, sender: A, side: 0, param: 1 }
        : { type: 'event', num, sender: A, side: 1 },
    ]);
  });

  it('reads EVENT C0 (BP35A1 wake-up) without a sender', () => {
    expect(parse('EVENT C0\r\n')).toEqual([{ type: 'event', num: 0xc0, sender: '' }]);
  });

  it('reads the EPANDESC block of both families as one event, emitted at PairID', () => {
    const single =
      'EVENT 20 ' +
      A +
      '\r\nEPANDESC\r\n  Channel:21\r\n  Channel Page:09\r\n  Pan ID:8888\r\n' +
      '  Addr:12345678ABCDEF01\r\n  LQI:E1\r\n  PairID:AABBCCDD\r\n';
    const parser = new SkLineParser();
    expect(parser.push(asciiBytes(single))).toEqual([
      { type: 'event', num: 0x20, sender: A },
      {
        type: 'epandesc',
        channel: 0x21,
        channelPage: 9,
        panId: 0x8888,
        addr: '12345678ABCDEF01',
        lqi: 0xe1,
        pairId: 'AABBCCDD',
      },
    ]);
    const dual =
      'EPANDESC\r\n  Channel:3B\r\n  Channel Page:09\r\n  Pan ID:0ABC\r\n  Addr:00112233445566FF\r\n' +
      '  LQI:7A\r\n  Side:0\r\n  PairID:01234567\r\n';
    expect(parser.push(asciiBytes(dual))).toEqual([
      {
        type: 'epandesc',
        channel: 0x3b,
        channelPage: 9,
        panId: 0xabc,
        addr: '00112233445566FF',
        lqi: 0x7a,
        side: 0,
        pairId: '01234567',
      },
    ]);
  });

  it('ends an EPANDESC block without PairID at the next line, or at flush()', () => {
    const block =
      'EPANDESC\r\n  Channel:21\r\n  Channel Page:09\r\n  Pan ID:8888\r\n  Addr:12345678ABCDEF01\r\n  LQI:E1\r\n';
    const parser = new SkLineParser();
    expect(parser.push(asciiBytes(block))).toEqual([]);
    const ev = {
      type: 'epandesc',
      channel: 0x21,
      channelPage: 9,
      panId: 0x8888,
      addr: '12345678ABCDEF01',
      lqi: 0xe1,
    };
    expect(parser.push(asciiBytes(`EVENT 22 ${A}\r\n`))).toEqual([
      ev,
      { type: 'event', num: 0x22, sender: A },
    ]);
    parser.push(asciiBytes(block));
    expect(parser.flush()).toEqual([ev]);
    expect(parser.flush()).toEqual([]);
  });

  it('reports an EPANDESC block that lacks keys, and passes unknown keys on', () => {
    const events = parse('EPANDESC\r\n  Channel:21\r\n  Colour:blue\r\n  PairID:AABBCCDD\r\n');
    expect(events[0]).toEqual({ type: 'unknown', line: '  Colour:blue' });
    expect(events[1]).toMatchObject({ type: 'error', code: 'sk.malformed' });
    expect((events[1] as { reason: string }).reason).toContain('Pan ID');
  });
});

describe('SkLineParser: ERXUDP layouts and payloads', () => {
  const single = (len: string) => `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 ${len} `;
  const dual = (len: string) => `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0 ${len} `;
  const rssi = (len: string) => `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} C4 1 0 ${len} `;
  const common = { sender: A, dest: B, rport: 0x0e1a, lport: 0x0e1a, senderLla: LLA, secured: 1 };

  it.each([
    ['single-hop', single, {}],
    ['dual-stack', dual, { side: 0 }],
    ['dual-stack-rssi', rssi, { side: 0, rssi: 'C4' }],
  ] as const)('reads the %s layout as hex and as binary', (layout, head, extra) => {
    const hex = head('0012') + FRAME + '\r\n';
    const bin = bytes(head('0012'), FRAME_BYTES, '\r\n');
    const expected = { type: 'erxudp', layout, ...common, ...extra, data: FRAME_BYTES };
    expect(parse(hex)).toEqual([{ ...expected, encoding: 'hex' }]);
    expect(parse(bin)).toEqual([{ ...expected, encoding: 'binary' }]);
    expect(parse(hex, { payload: 'hex' })).toEqual([{ ...expected, encoding: 'hex' }]);
    expect(parse(bin, { payload: 'binary' })).toEqual([{ ...expected, encoding: 'binary' }]);
  });

  it('reads a binary payload containing CR, LF, CRLF and hex-looking bytes by its length', () => {
    const data = Uint8Array.from([0x0d, 0x0a, 0x41, 0x0d, 0x0d, 0x0a, 0x0a, 0x20, 0x4f, 0x4b, 0x0d, 0x0a]);
    const events = parse(bytes(dual('000C'), data, '\r\nOK\r\n'));
    expect(events).toEqual([
      expect.objectContaining({ type: 'erxudp', encoding: 'binary', data }),
      { type: 'ok' },
    ]);
  });

  it('switches the payload reading with setPayload', () => {
    const parser = new SkLineParser({ payload: 'hex' });
    const bin = bytes(single('0002'), Uint8Array.from([0x31, 0x0d]), '\r\n');
    expect(parser.push(bin)[0]).toMatchObject({ type: 'error', code: 'sk.malformed' });
    parser.setPayload('binary');
    expect(parser.push(bin)).toEqual([
      expect.objectContaining({ encoding: 'binary', data: Uint8Array.from([0x31, 0x0d]) }),
    ]);
  });

  it('reports a hex payload of the wrong length and resumes at the next line', () => {
    const events = parse(single('0012') + '1081\r\nOK\r\n', { payload: 'hex' });
    expect(events).toEqual([
      expect.objectContaining({ type: 'error', code: 'sk.malformed' }),
      { type: 'ok' },
    ]);
  });

  it('reads an empty datagram (DATALEN 0000)', () => {
    expect(parse(single('0000') + '\r\n')).toEqual([
      { type: 'erxudp', layout: 'single-hop', encoding: 'hex', ...common, data: new Uint8Array(0) },
    ]);
  });

  it('reads every line of the real captures as a single-hop hex ERXUDP', () => {
    const text = readFileSync(new URL('../../../../fixtures/real-traffic.txt', import.meta.url), 'utf8');
    const lines = text.split('\n').filter((l) => l.startsWith('ERXUDP'));
    expect(lines.length).toBeGreaterThanOrEqual(14);
    for (const line of lines) {
      const words = line.trim().split(' ');
      const events = parse(line.trim() + '\r\n');
      expect(events).toEqual([
        {
          type: 'erxudp',
          layout: 'single-hop',
          encoding: 'hex',
          sender: words[1],
          dest: words[2],
          rport: 0x0e1a,
          lport: 0x0e1a,
          senderLla: words[5],
          secured: 1,
          data: Uint8Array.from(Buffer.from(words[8]!, 'hex')),
        },
      ]);
      const ev = events[0] as { data: Uint8Array };
      expect(ev.data.length).toBe(Number.parseInt(words[7]!, 16));
      expect(Array.from(ev.data.subarray(0, 2))).toEqual([0x10, 0x81]);
    }
  });
});

describe('SkLineParser: echoes', () => {
  it('consumes the SKSENDTO echo data by length; the next line is glued to it', () => {
    const data = Uint8Array.from([0x10, 0x81, 0x0d, 0x0a, 0x45, 0x56, 0x0d]);
    for (const side of ['', ' 0']) {
      const head = `SKSENDTO 1 ${A} 0E1A 1${side} 0007 `;
      const input = bytes(head, data, `EVENT 21 ${A}${side} 00\r\nOK\r\n`);
      expect(parse(input)).toEqual([
        { type: 'echo', command: 'SKSENDTO', line: `${head}10810D0A45560D` },
        side === ''
          ? { type: 'event', num: 0x21, sender: A, param: 0 }
          : { type: 'event', num: 0x21, sender: A, side: 0, param: 0 },
        { type: 'ok' },
      ]);
    }
  });

  it('never shows the secrets in the echo of SKSETPWD / SKSETRBID', () => {
    const events = parse(
      'SKSETPWD C 0123456789AB\r\nOK\r\nSKSETRBID 00112233445566778899AABBCCDDEEFF\r\nOK\r\n',
    );
    expect(events).toEqual([
      { type: 'echo', command: 'SKSETPWD', line: 'SKSETPWD C ********' },
      { type: 'ok' },
      { type: 'echo', command: 'SKSETRBID', line: 'SKSETRBID ********' },
      { type: 'ok' },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/0123456789AB|CCDDEEFF/);
  });

  it('hides the secrets in error events of a garbled echo too', () => {
    const events = parse(bytes(Uint8Array.from([0xff, 0x00]), 'SKSETPWD C 0123456789AB\r\n'));
    expect(events).toEqual([expect.objectContaining({ type: 'error', code: 'sk.malformed' })]);
    expect(JSON.stringify(events)).not.toContain('0123456789AB');
  });

  it('reads any SK command word as an echo', () => {
    expect(
      parse('SKSCAN 2 FFFFFFFF 6 0\r\nSKFOO 1\r\nWOPT 01\r\n').map((e) => e.type === 'echo' && e.command),
    ).toEqual(['SKSCAN', 'SKFOO', 'WOPT']);
  });
});
