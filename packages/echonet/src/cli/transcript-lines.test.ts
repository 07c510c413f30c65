import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes } from '../sk/bytes.js';
import { type TranscriptLine, TranscriptLines } from './transcript-lines.js';

const A = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
const B = 'FE80:0000:0000:0000:021D:1290:0005:747B';
const LLA = '001C6400601421A3';

const bytes = (...parts: (string | Uint8Array | number[])[]): Uint8Array =>
  concatBytes(parts.map((p) => (typeof p === 'string' ? asciiBytes(p) : Uint8Array.from(p))));

/** Splits `input` fed in chunks of `size` bytes; lines shown as text for readability. */
function split(input: Uint8Array, size = input.length, maxLineLength?: number) {
  const splitter = new TranscriptLines(maxLineLength === undefined ? {} : { maxLineLength });
  const out: TranscriptLine[] = [];
  for (let i = 0; i < input.length; i += Math.max(1, size))
    out.push(...splitter.push(input.subarray(i, i + size)));
  out.push(...splitter.end());
  return out.map((l) =>
    l.kind === 'line' ? { line: l.line, text: Buffer.from(l.content).toString('latin1'), ended: l.ended } : l,
  );
}

describe('TranscriptLines', () => {
  it('numbers physical lines across CR, LF and CRLF, skipping blanks and comments', () => {
    const input = bytes('# header\r\nOK\r\n\r\nEVER 1.2.10\nOK 01\r  \n# x\nFAIL ER05');
    const expected = [
      { line: 2, text: 'OK', ended: true },
      { line: 4, text: 'EVER 1.2.10', ended: true },
      { line: 5, text: 'OK 01', ended: true },
      { line: 8, text: 'FAIL ER05', ended: true },
    ];
    expect(split(input)).toEqual(expected);
    // a CRLF split between two chunks is one line end, not two
    for (const size of [1, 2, 3, 7]) expect(split(input, size)).toEqual(expected);
  });

  it('strips log prefixes and keeps EPANDESC fields indented', () => {
    const input = bytes('[2026-05-20 14:26:00] RX: EPANDESC\n[2026-05-20 14:26:00] RX:   Channel:21\n< OK\n');
    expect(split(input)).toEqual([
      { line: 1, text: 'EPANDESC', ended: true },
      { line: 2, text: '  Channel:21', ended: true },
      { line: 3, text: 'OK', ended: true },
    ]);
  });

  it('reads a binary ERXUDP by DATALEN, stepping the line counter over CR/LF inside the data', () => {
    const data = [0x10, 0x81, 0x00, 0x0a, 0x0d, 0x0a, 0x0d, 0x41];
    const input = bytes(`ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0008 `, data, '\r\nOK\r\n');
    const header = `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0008 `;
    const expected = [
      { line: 1, text: header + Buffer.from(data).toString('latin1'), ended: true },
      // data holds LF, CRLF and a lone CR: three line ends an editor would show
      { line: 5, text: 'OK', ended: true },
    ];
    expect(split(input)).toEqual(expected);
    for (const size of [1, 5, 64]) expect(split(input, size)).toEqual(expected);
  });

  it('reads the SKSENDTO echo by DATALEN: raw data glued to the next line, or hex written by a log', () => {
    const raw = [0x10, 0x81, 0x00, 0x01];
    const glued = bytes(`SKSENDTO 1 ${A} 0E1A 1 0004 `, raw, `EVENT 21 ${A} 00\r\nOK\r\n`);
    const header = `SKSENDTO 1 ${A} 0E1A 1 0004 `;
    const expected = [
      { line: 1, text: header + Buffer.from(raw).toString('latin1'), ended: false },
      { line: 1, text: `EVENT 21 ${A} 00`, ended: true },
      { line: 2, text: 'OK', ended: true },
    ];
    expect(split(glued)).toEqual(expected);
    expect(split(glued, 1)).toEqual(expected);

    const logged = bytes(`TX: SKSENDTO 1 ${A} 0E1A 1 0004 10810001\nOK\n`);
    expect(split(logged)).toEqual([
      { line: 1, text: header + Buffer.from(raw).toString('latin1'), ended: true },
      { line: 2, text: 'OK', ended: true },
    ]);
    expect(split(logged, 1)).toEqual(split(logged));
  });

  it('reads the last line without a line end, and reports data cut off by the end of input', () => {
    expect(split(bytes(`ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0002 1081`))).toEqual([
      { line: 1, text: `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0002 1081`, ended: true },
    ]);
    const cut = split(bytes(`OK\nERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0012 `, [0x10, 0x81, 0x0a, 0x00]));
    expect(cut).toEqual([
      { line: 1, text: 'OK', ended: true },
      {
        kind: 'error',
        line: 2,
        code: 'sk.malformed',
        reason: 'input ends inside ERXUDP data (DATALEN 18)',
        input: expect.any(String),
      },
    ]);
  });

  it('reports an over-long line once and goes on with the next one', () => {
    const input = bytes('x'.repeat(1000), '\r\nOK\r\n');
    for (const size of [input.length, 100]) {
      expect(split(input, size, 300)).toEqual([
        {
          kind: 'error',
          line: 1,
          code: 'sk.overflow',
          reason: 'line longer than 300 bytes',
          input: `${'x'.repeat(120)}…`,
        },
        { line: 2, text: 'OK', ended: true },
      ]);
    }
  });

  it('masks B-route secrets in the input snippet of an error', () => {
    const input = bytes(`SKSETPWD C 0123456789AB ${'y'.repeat(400)}\n`);
    const [err] = split(input, input.length, 300);
    expect(err).toMatchObject({ kind: 'error' });
    expect(JSON.stringify(err)).not.toContain('0123456789AB');
  });
});
