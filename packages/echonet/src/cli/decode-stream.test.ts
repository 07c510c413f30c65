import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes } from '../sk/bytes.js';
import { createDecoder } from './decode-stream.js';
import type { DecodedRecord } from './records.js';

const FIXTURE = new URL('../../../../fixtures/real-traffic.txt', import.meta.url);

const A = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
const B = 'FE80:0000:0000:0000:021D:1290:0005:747B';
const LLA = '001C6400601421A3';
/** Get_Res E7 = 632 W from the smart meter 028801 to the controller 05FF01 (real capture). */
const E7_632 = '1081000102880105FF017201E70400000278';
/** Get E7 from the controller to the meter, as the poller sends it. */
const GET_E7 = '1081000105FF010288016201E700';

const bytes = (...parts: (string | Uint8Array | number[])[]): Uint8Array =>
  concatBytes(parts.map((p) => (typeof p === 'string' ? asciiBytes(p) : Uint8Array.from(p))));
const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

function decode(input: Uint8Array | string, chunk?: number): DecodedRecord[] {
  const data = typeof input === 'string' ? asciiBytes(input) : input;
  const decoder = createDecoder();
  const out: DecodedRecord[] = [];
  const size = chunk ?? Math.max(1, data.length);
  for (let i = 0; i < data.length; i += size) out.push(...decoder.push(data.subarray(i, i + size)));
  out.push(...decoder.end());
  return out;
}

type Rec<T extends DecodedRecord['type']> = Extract<DecodedRecord, { type: T }>;
const only = <T extends DecodedRecord['type']>(records: DecodedRecord[], type: T): Rec<T>[] =>
  records.filter((r): r is Rec<T> => r.type === type);

describe('decode: the real captures in fixtures/real-traffic.txt', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const lines = text.split('\n');
  const records = decode(text);

  /** What each capture's comment says, in file order: EPC and decoded value. */
  const EXPECTED: [string, string, unknown][] = [
    ['Get_Res', 'D3', 1],
    ['Get_Res', 'D7', 6],
    ['Get_Res', 'E0', 65139],
    ['Get_Res', 'E7', 632],
    ['Get_Res', 'E8', { r: 3, t: 5 }],
    ['Get_Res', 'EA', { time: '2026-05-20T14:00:00+09:00', count: 65128 }],
    ['Get_Res', '80', 'on'],
    ['Get_Res', '82', 'F'],
    ['Get_SNA', '83', null],
    ['Get_Res', '8A', '000016'],
    ['Get_Res', '97', '14:26'],
    ['Get_Res', '98', '2026-05-20'],
    ['Get_Res', '9D', [0x80, 0x81, 0x88]],
    ['Get_Res', 'E7', 686],
  ];

  it('gives 14 ERXUDP records and nothing else: comments are skipped, no errors', () => {
    expect(records).toHaveLength(14);
    expect(only(records, 'erxudp')).toHaveLength(14);
  });

  it.each(EXPECTED.map((e, i) => [i, ...e] as const))('capture %i: %s %s = %j', (i, esv, epc, value) => {
    const r = records[i] as Rec<'erxudp'>;
    expect(r).toMatchObject({
      type: 'erxudp',
      layout: 'single-hop',
      encoding: 'hex',
      rport: '0E1A',
      lport: '0E1A',
      secured: 1,
    });
    if (!('echonet' in r)) throw new Error('no echonet payload');
    expect(r.echonet).toMatchObject({ tid: 1, seoj: '028801', deoj: '05FF01', esv });
    expect(r.echonet.properties).toHaveLength(1);
    expect(r.echonet.properties[0]).toMatchObject({ epc });
    expect(r.echonet.properties[0]!.value).toEqual(value);
    // `line` points at the ERXUDP line, whose comment names the same EPC
    expect(lines[r.line - 1]).toMatch(/^ERXUDP /);
    expect(lines[r.line - 2]).toMatch(new RegExp(`^# .*\\b${epc}\\b`));
  });

  it('decodes the first capture to the full documented shape', () => {
    expect(records[3]).toEqual({
      type: 'erxudp',
      line: 12,
      layout: 'single-hop',
      encoding: 'hex',
      sender: A,
      dest: B,
      rport: '0E1A',
      lport: '0E1A',
      senderLla: LLA,
      secured: 1,
      echonet: {
        tid: 1,
        seoj: '028801',
        deoj: '05FF01',
        esv: 'Get_Res',
        properties: [{ epc: 'E7', name: 'instantaneousPower', edt: '00000278', value: 632 }],
      },
    });
  });

  it('gives the same records whatever the chunking, with CRLF line ends too', () => {
    const crlf = text.replace(/\n/g, '\r\n');
    for (const size of [1, 3, 64, 1000]) {
      expect(decode(text, size)).toEqual(records);
      expect(decode(crlf, size)).toEqual(records);
    }
  });
});

describe('decode: a BP35A1 session transcript with every SK event kind', () => {
  const PASSWORD = '0123456789AB';
  const RBID = '00112233445566778899AABBCCDDEEFF';
  const PANA = '0000002880000002000000000000000000010000000000000000000000000000000000000000000000';
  const transcript = bytes(
    'SKVER\r\nEVER 1.2.10\r\nOK\r\n',
    `SKSETPWD C ${PASSWORD}\r\nOK\r\n`,
    `SKSETRBID ${RBID}\r\nOK\r\n`,
    `SKINFO\r\nEINFO ${B} 001D129000057476 21 8888 FFFE\r\nOK\r\n`,
    'SKSCAN 2 FFFFFFFF 6\r\nOK\r\n',
    `EVENT 20 ${A}\r\n`,
    'EPANDESC\r\n  Channel:21\r\n  Channel Page:09\r\n  Pan ID:8888\r\n',
    `  Addr:${LLA}\r\n  LQI:E1\r\n  PairID:AABBCCDD\r\n`,
    `EVENT 22 ${B}\r\n`,
    `SKLL64 ${LLA}\r\n${A}\r\n`,
    'SKSREG SFE\r\nESREG 01\r\nOK\r\n',
    'ROPT\r\nOK 01\r',
    `SKJOIN ${A}\r\nOK\r\n`,
    `EVENT 21 ${B} 02\r\n`,
    `ERXUDP ${A} ${B} 02CC 02CC ${LLA} 0 0029 ${PANA}\r\n`,
    `EVENT 25 ${A}\r\n`,
    `SKSENDTO 1 ${A} 0E1A 1 000E `,
    hexBytes(GET_E7),
    `EVENT 21 ${A} 00\r\nOK\r\n`,
    `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0012 ${E7_632}\r\n`,
    `SKSENDTO 1 ${A} 0E1A 1 0 000E\r\nFAIL ER05\r\n`,
    `EVENT 29 ${A}\r\nEVENT 25 ${A}\r\nEVENT 32 ${A}\r\nEVENT 33 ${A}\r\n`,
    `SKTERM\r\nOK\r\nEVENT 27 ${A}\r\n`,
  );
  const records = decode(transcript);

  it('gives one record per event, in input order, each with its line number', () => {
    expect(records.map((r) => `${r.line}:${r.type}`)).toEqual([
      '1:echo',
      '2:ever',
      '3:ok',
      '4:echo',
      '5:ok',
      '6:echo',
      '7:ok',
      '8:echo',
      '9:einfo',
      '10:ok',
      '11:echo',
      '12:ok',
      '13:event',
      '14:epandesc',
      '21:event',
      '22:echo',
      '23:ipv6',
      '24:echo',
      '25:esreg',
      '26:ok',
      '27:echo',
      '28:ok',
      '29:echo',
      '30:ok',
      '31:event',
      '32:erxudp',
      '33:event',
      '34:sendto',
      '34:event',
      '35:ok',
      '36:erxudp',
      '37:error',
      '38:fail',
      '39:event',
      '40:event',
      '41:event',
      '42:event',
      '43:echo',
      '44:ok',
      '45:event',
    ]);
  });

  it('names EVENT numbers after the SK command reference', () => {
    expect(only(records, 'event').map((e) => [e.num, e.name])).toEqual([
      ['20', 'beacon-received'],
      ['22', 'scan-done'],
      ['21', 'udp-send-done'],
      ['25', 'pana-connected'],
      ['21', 'udp-send-done'],
      ['29', 'session-expired'],
      ['25', 'pana-connected'],
      ['32', 'send-restricted'],
      ['33', 'send-unrestricted'],
      ['27', 'session-ended'],
    ]);
    expect(only(records, 'event')[2]).toEqual({
      type: 'event',
      line: 31,
      num: '21',
      name: 'udp-send-done',
      sender: B,
      param: '02',
      result: 'neighbour-solicitation',
    });
  });

  it('reads answers: EVER, EINFO, EPANDESC (at the line of EPANDESC), the SKLL64 address, ESREG, ROPT, FAIL', () => {
    expect(records.find((r) => r.type === 'ever')).toEqual({ type: 'ever', line: 2, version: '1.2.10' });
    expect(records.find((r) => r.type === 'einfo')).toEqual({
      type: 'einfo',
      line: 9,
      ipv6: B,
      mac: '001D129000057476',
      channel: 0x21,
      panId: '8888',
      addr16: 'FFFE',
    });
    expect(records.find((r) => r.type === 'epandesc')).toEqual({
      type: 'epandesc',
      line: 14,
      channel: 0x21,
      channelPage: 9,
      panId: '8888',
      addr: LLA,
      lqi: 0xe1,
      pairId: 'AABBCCDD',
    });
    expect(records.find((r) => r.type === 'ipv6')).toEqual({ type: 'ipv6', line: 23, address: A });
    expect(records.find((r) => r.type === 'esreg')).toEqual({ type: 'esreg', line: 25, value: '01' });
    expect(records.find((r) => r.type === 'ok' && r.value !== undefined)).toEqual({
      type: 'ok',
      line: 28,
      value: '01',
    });
    expect(records.find((r) => r.type === 'fail')).toEqual({
      type: 'fail',
      line: 38,
      code: 'ER05',
      meaning: expect.stringContaining('side argument'),
    });
  });

  it('reports the PANA datagram (port 02CC) as such', () => {
    expect(records.find((r) => r.line === 32)).toEqual({
      type: 'erxudp',
      line: 32,
      layout: 'single-hop',
      encoding: 'hex',
      sender: A,
      dest: B,
      rport: '02CC',
      lport: '02CC',
      senderLla: LLA,
      secured: 0,
      pana: { length: 0x29, hex: PANA },
    });
  });

  it('decodes the frame in the raw SKSENDTO echo, and the EVENT 21 glued to it', () => {
    expect(records.find((r) => r.type === 'sendto')).toEqual({
      type: 'sendto',
      line: 34,
      handle: '1',
      address: A,
      port: '0E1A',
      secured: 1,
      echonet: {
        tid: 1,
        seoj: '05FF01',
        deoj: '028801',
        esv: 'Get',
        properties: [{ epc: 'E7', name: 'instantaneousPower', edt: '', value: null }],
      },
    });
    expect(records.find((r) => r.line === 34 && r.type === 'event')).toMatchObject({
      num: '21',
      param: '00',
    });
  });

  it('keeps the B-route password and ID out of the output', () => {
    const out = records.map((r) => JSON.stringify(r)).join('\n');
    expect(out).not.toContain(PASSWORD);
    expect(out).not.toContain(RBID);
    expect(records[3]).toEqual({ type: 'echo', line: 4, command: 'SKSETPWD', text: 'SKSETPWD C ********' });
  });

  it('masks a secret even on a line the SK parser passes on as it is (inside an EPANDESC block)', () => {
    const out = decode(`EPANDESC\r\n  Channel:21\r\n  garbled SKSETPWD C ${PASSWORD}\r\nOK\r\n`);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
    expect(out[0]).toMatchObject({ type: 'error', line: 3, input: '  garbled SKSETPWD C ********' });
  });

  it('gives the same records whatever the chunking', () => {
    for (const size of [1, 2, 5, 17, 256]) expect(decode(transcript, size)).toEqual(records);
  });
});

describe('decode: dual-stack layouts, binary payloads, log prefixes', () => {
  it('reads the dual-stack ERXUDP with SIDE, and with the RSSI field of SA2=1', () => {
    const records = decode(
      `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0 0012 ${E7_632}\r\n` +
        `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 9C 1 0 0012 ${E7_632}\r\n` +
        `EVENT 21 ${A} 0 00\r\nEINFO ${B} 001D129000057476 3B 1234 ABCD 0\r\n` +
        'EPANDESC\r\n  Channel:3B\r\n  Channel Page:09\r\n  Pan ID:0ABC\r\n  Addr:00112233445566FF\r\n' +
        '  LQI:7A\r\n  Side:0\r\n  PairID:01234567\r\n',
    );
    expect(records[0]).toMatchObject({ type: 'erxudp', line: 1, layout: 'dual-stack', side: 0, secured: 1 });
    expect(records[0]).not.toHaveProperty('rssi');
    expect(records[1]).toMatchObject({
      type: 'erxudp',
      line: 2,
      layout: 'dual-stack-rssi',
      rssi: '9C',
      side: 0,
    });
    for (const r of records.slice(0, 2)) {
      expect(r).toMatchObject({ echonet: { esv: 'Get_Res', properties: [{ epc: 'E7', value: 632 }] } });
    }
    expect(records[2]).toMatchObject({ type: 'event', num: '21', side: 0, param: '00', result: 'success' });
    expect(records[3]).toMatchObject({ type: 'einfo', channel: 0x3b, panId: '1234', side: 0 });
    expect(records[4]).toMatchObject({
      type: 'epandesc',
      line: 5,
      panId: '0ABC',
      side: 0,
      pairId: '01234567',
    });
    expect(records).toHaveLength(5);
  });

  it('reads a binary payload (WOPT 00) holding CR and LF bytes, and keeps counting lines right', () => {
    // Get_Res E7 = 0x00000D0A = 3338 W, TID 0x000A: three line-end bytes inside the data
    const frame = '1081000A02880105FF017201E70400000D0A';
    const records = decode(
      bytes(`ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0012 `, hexBytes(frame), `\r\nEVENT 21 ${A} 00\r\n`),
    );
    expect(records[0]).toMatchObject({
      type: 'erxudp',
      line: 1,
      encoding: 'binary',
      echonet: { tid: 10, esv: 'Get_Res', properties: [{ epc: 'E7', edt: '00000D0A', value: 3338 }] },
    });
    // the data's LF and CRLF are two line ends an editor shows; the EVENT is on line 4
    expect(records[1]).toMatchObject({ type: 'event', line: 4, num: '21' });
    expect(records).toHaveLength(2);
  });

  it('reads lines behind log prefixes (timestamps, tags, direction markers)', () => {
    const records = decode(
      `[2026-05-20 14:26:00.123] RX: ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0012 ${E7_632}\n` +
        `2026-05-20T14:26:01Z < EVENT 21 ${A} 00\n` +
        `14:26:02.5 > SKSENDTO 1 ${A} 0E1A 1 000E ${GET_E7}\n` +
        '[x] RX: EPANDESC\n[x] RX:   Channel:21\n[x] RX: Channel Page:09\n[x] RX: Pan ID:8888\n' +
        `[x] RX: Addr:${LLA}\n[x] RX: LQI:E1\n[x] RX: PairID:AABBCCDD\n` +
        `<< ${E7_632}\n`,
    );
    expect(records.map((r) => `${r.line}:${r.type}`)).toEqual([
      '1:erxudp',
      '2:event',
      '3:sendto',
      '4:epandesc',
      '11:frame',
    ]);
    expect(records[2]).toMatchObject({ echonet: { esv: 'Get', properties: [{ epc: 'E7' }] } });
    expect(records[3]).toMatchObject({ addr: LLA, pairId: 'AABBCCDD' });
  });
});

describe('decode: bare hex frames', () => {
  it('decodes one frame per line, with or without blanks, in either case', () => {
    const records = decode(
      `${E7_632}\n10 81 00 01 02 88 01 05 FF 01 72 01 E7 04 00 00 02 78\n${GET_E7.toLowerCase()}\n` +
        '1081000102880105FF017202E70400000278E804001E0032\n',
    );
    expect(records.map((r) => r.type)).toEqual(['frame', 'frame', 'frame', 'frame']);
    expect(records[0]).toEqual({
      type: 'frame',
      line: 1,
      echonet: {
        tid: 1,
        seoj: '028801',
        deoj: '05FF01',
        esv: 'Get_Res',
        properties: [{ epc: 'E7', name: 'instantaneousPower', edt: '00000278', value: 632 }],
      },
    });
    expect(records[1]).toEqual({ ...records[0], line: 2 });
    expect(records[2]).toMatchObject({ line: 3, echonet: { esv: 'Get', deoj: '028801' } });
    expect(records[3]).toMatchObject({
      echonet: {
        properties: [
          { epc: 'E7', value: 632 },
          { epc: 'E8', value: { r: 3, t: 5 } },
        ],
      },
    });
  });
});

describe('decode: malformed input becomes error records and decoding goes on', () => {
  const records = decode(
    [
      'hello world',
      '10810001028801',
      '1081000102880105FF017201E704000002',
      '1081000102880105FF017201E70400000278AB',
      '1081000102880105FF01720',
      `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0012 2081000102880105FF017201E70400000278`,
      `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0012 1081`,
      'EVENT ZZ',
      'OK \x01\x02',
      `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0012 ${E7_632}`,
      `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0010 1081000102880105FF017201E702FFFF`,
    ].join('\r\n'),
  );

  it('gives one record per line, errors with a code, a reason and the offending input', () => {
    expect(records.map((r) => `${r.line}:${r.type}:${r.type === 'error' ? r.code : ''}`)).toEqual([
      '1:error:sk.unexpected',
      '2:error:frame.truncated',
      '3:error:frame.pdc-overrun',
      '4:error:frame.trailing-bytes',
      '5:error:frame.invalid',
      '6:error:frame.ehd',
      '7:error:sk.malformed',
      '8:error:sk.malformed',
      '9:error:sk.malformed',
      '10:erxudp:',
      '11:erxudp:',
    ]);
    expect(records[0]).toEqual({
      type: 'error',
      line: 1,
      code: 'sk.unexpected',
      reason: expect.any(String),
      input: 'hello world',
    });
    for (const r of only(records, 'error')) {
      expect(r.reason.length).toBeGreaterThan(0);
      expect(r.input.length).toBeGreaterThan(0);
    }
  });

  it('keeps the ERXUDP fields on an error record whose payload is not ECHONET Lite', () => {
    expect(records[5]).toMatchObject({
      code: 'frame.ehd',
      reason: expect.stringContaining('EHD1 0x20'),
      erxudp: {
        sender: A,
        rport: '0E1A',
        layout: 'single-hop',
        data: '2081000102880105FF017201E70400000278',
      },
    });
  });

  it('decodes a frame whose property EDT is wrong, marking only that property', () => {
    expect(records[10]).toMatchObject({
      echonet: { properties: [{ epc: 'E7', edt: 'FFFF', error: { code: 'property.size' } }] },
    });
  });

  it('reports ERXUDP data cut off by the end of input', () => {
    expect(decode(bytes(`ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0012 `, [0x10, 0x81]))).toEqual([
      {
        type: 'error',
        line: 1,
        code: 'sk.malformed',
        reason: 'input ends inside ERXUDP data (DATALEN 18)',
        input: expect.stringContaining('ERXUDP'),
      },
    ]);
  });
});

describe('decode: the RS-WSUHA-P capture in fixtures/sk-corpus.json (EVER 1.5.2)', () => {
  const M = 'FE80:0000:0000:0000:C2F9:4500:4058:B5FB';
  const ME = 'FE80:0000:0000:0000:021D:1291:0004:E578';
  const capture = [
    `SKSENDTO 1 ${M} 0E1A 1 0 000E \r\n`,
    `EVENT 21 ${M} 0 00\r\n`,
    'OK\r\n',
    `SKSENDTOERXUDP ${M} ${ME} 0E1A 0E1A 0011223344556677 1 0 0012 1081525302880105FF017201E704000000E4\r\n`,
  ].join('');

  it.each([undefined, 1, 7])('keeps the reading of an ERXUDP that cut an echo short (chunk %s)', (chunk) => {
    const records = decode(capture, chunk);
    expect(records.map((r) => r.type)).toEqual(['echo', 'event', 'ok', 'echo', 'erxudp']);
    expect(only(records, 'echo')[0]).toMatchObject({ text: `SKSENDTO 1 ${M} 0E1A 1 0 000E ` });
    expect(only(records, 'erxudp')[0]).toMatchObject({
      side: 0,
      echonet: { tid: 0x5253, properties: [{ epc: 'E7', name: 'instantaneousPower', value: 228 }] },
    });
  });
});
