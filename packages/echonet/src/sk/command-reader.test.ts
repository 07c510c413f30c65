import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes } from './bytes.js';
import { type SkCommandInput, SkCommandReader } from './command-reader.js';
import { formatCommand, type SkCommand } from './commands.js';

const IP = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
const b = (...parts: (string | Uint8Array)[]): Uint8Array =>
  concatBytes(parts.map((p) => (typeof p === 'string' ? asciiBytes(p) : p)));

function read(...chunks: Uint8Array[]): SkCommandInput[] {
  const reader = new SkCommandReader();
  return chunks.flatMap((c) => reader.push(c));
}

const cmd = (name: string, args: string[], raw: string) => ({
  type: 'command',
  name,
  args,
  raw: asciiBytes(raw),
});

describe('SkCommandReader', () => {
  it('reads command lines ended by CRLF, CR or LF and skips empty lines', () => {
    expect(read(b('SKVER\r\nSKSREG S2 21\rSKINFO\n\r\n\r\nSKSCAN 2 FFFFFFFF 6 0\r\n'))).toEqual([
      cmd('SKVER', [], 'SKVER'),
      cmd('SKSREG', ['S2', '21'], 'SKSREG S2 21'),
      cmd('SKINFO', [], 'SKINFO'),
      cmd('SKSCAN', ['2', 'FFFFFFFF', '6', '0'], 'SKSCAN 2 FFFFFFFF 6 0'),
    ]);
  });

  it('reads SKSENDTO data by DATALEN: single-hop (DATALEN is token 5) and dual-stack (token 6)', () => {
    const data = Uint8Array.from([0x10, 0x81, 0x0d, 0x0a, 0x20, 0x0d, 0x00, 0xff]);
    const single = b(`SKSENDTO 1 ${IP} 0E1A 1 0008 `, data);
    const dual = b(`SKSENDTO 1 ${IP} 0E1A 1 0 0008 `, data);
    expect(read(b(single, dual, 'SKVER\r\n'))).toEqual([
      { type: 'command', name: 'SKSENDTO', args: ['1', IP, '0E1A', '1', '0008'], data, raw: single },
      { type: 'command', name: 'SKSENDTO', args: ['1', IP, '0E1A', '1', '0', '0008'], data, raw: dual },
      cmd('SKVER', [], 'SKVER'),
    ]);
  });

  it('gives the same commands for a split at every byte position', () => {
    const data = Uint8Array.from([0x0d, 0x0a, 0x0d, 0x0d, 0x0a, 0x53, 0x4b]);
    const input = b(
      'SKSETPWD C 0123456789AB\r\nSKSETRBID 00112233445566778899AABBCCDDEEFF\r\n',
      `SKSENDTO 1 ${IP} 0E1A 1 0 0007 `,
      data,
      `SKSENDTO 1 ${IP} 0E1A 1 0000 `,
      'ROPT\r\nWOPT 01\r\nSKTERM\r\n',
    );
    const whole = read(input);
    expect(whole.map((c) => c.type === 'command' && c.name)).toEqual([
      ...['SKSETPWD', 'SKSETRBID', 'SKSENDTO', 'SKSENDTO', 'ROPT', 'WOPT', 'SKTERM'],
    ]);
    expect(whole[3]).toMatchObject({ data: new Uint8Array(0) });
    for (let k = 0; k <= input.length; k++) {
      expect(read(input.subarray(0, k), input.subarray(k)), `split at ${k}`).toEqual(whole);
    }
    expect(read(...Array.from(input, (x) => Uint8Array.of(x)))).toEqual(whole);
  });

  it('reads what formatCommand writes, for both families', () => {
    const commands: SkCommand[] = [
      { name: 'SKSCAN', duration: 6 },
      { name: 'SKSENDTO', ipv6: IP, data: Uint8Array.from([0x0d, 0x0a, 0x10]) },
      { name: 'SKJOIN', ipv6: IP },
    ];
    for (const family of ['single-hop', 'dual-stack'] as const) {
      const got = read(...commands.map((c) => formatCommand(family, c)));
      expect(got.map((c) => c.type === 'command' && [c.name, c.args.length, c.data?.length])).toEqual([
        ['SKSCAN', family === 'dual-stack' ? 4 : 3, undefined],
        ['SKSENDTO', family === 'dual-stack' ? 6 : 5, 3],
        ['SKJOIN', 1, undefined],
      ]);
    }
  });

  it('passes on an SKSENDTO whose line ends before its data, for the dongle to answer FAIL', () => {
    expect(read(b(`SKSENDTO 1 ${IP} 0E1A 1\r\n`))).toEqual([
      cmd('SKSENDTO', ['1', IP, '0E1A', '1'], `SKSENDTO 1 ${IP} 0E1A 1`),
    ]);
  });

  it('reports non-printable bytes as sk.malformed, masking secrets', () => {
    const got = read(b(Uint8Array.of(0x00), 'SKSETPWD C 0123456789AB\r\nSKVER\r\n'));
    expect(got).toEqual([
      {
        type: 'error',
        code: 'sk.malformed',
        reason: 'non-printable byte 0x00 at column 0',
        raw: '\\x00SKSETPWD C ********',
      },
      cmd('SKVER', [], 'SKVER'),
    ]);
  });

  it('reports an over-long line as sk.overflow and resynchronises at the next line end', () => {
    const reader = new SkCommandReader({ maxLineLength: 64 });
    const got = [
      ...reader.push(asciiBytes('A'.repeat(100))),
      ...reader.push(asciiBytes('B'.repeat(100) + '\r\nSKVER\r\n')),
    ];
    expect(got).toEqual([
      {
        type: 'error',
        code: 'sk.overflow',
        reason: 'command line longer than 64 bytes',
        raw: 'A'.repeat(64),
      },
      cmd('SKVER', [], 'SKVER'),
    ]);
    const big = reader.push(b(`SKSENDTO 1 ${IP} 0E1A 1 0100 `, new Uint8Array(10), '\r\nSKINFO\r\n'));
    expect(big).toEqual([
      expect.objectContaining({ type: 'error', code: 'sk.overflow' }),
      cmd('SKINFO', [], 'SKINFO'),
    ]);
  });
});
