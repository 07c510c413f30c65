import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes } from './bytes.js';
import type { SkEvent } from './events.js';
import { SkLineParser } from './parser.js';

const A = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
const B = 'FE80:0000:0000:0000:021D:1290:0005:747B';
const LLA = '001C6400601421A3';

const bytes = (...parts: (string | Uint8Array)[]): Uint8Array =>
  concatBytes(parts.map((p) => (typeof p === 'string' ? asciiBytes(p) : p)));

function parse(input: Uint8Array | string): SkEvent[] {
  const parser = new SkLineParser();
  return [...parser.push(typeof input === 'string' ? asciiBytes(input) : input), ...parser.flush()];
}

describe('SkLineParser: bad input', () => {
  it('turns a line of garbage bytes into sk.malformed and goes on', () => {
    const events = parse(bytes(Uint8Array.from([0x00, 0xfe, 0x41, 0x5c, 0x07]), '\r\nOK\r\n'));
    expect(events).toEqual([
      {
        type: 'error',
        code: 'sk.malformed',
        reason: 'non-printable byte 0x00 at column 0',
        raw: '\\x00\\xFEA\\x5C\\x07',
      },
      { type: 'ok' },
    ]);
  });

  it('reports known keywords with wrong fields as sk.malformed', () => {
    for (const line of [
      'EVENT ZZ ' + A,
      'EVENT 21 ' + A + ' 0 00 7',
      'EINFO ' + A,
      'FAIL',
      'OK 1 2',
      'EVENT 25 ' + A + ' X',
    ]) {
      expect(parse(line + '\r\n'), line).toEqual([
        expect.objectContaining({ type: 'error', code: 'sk.malformed' }),
      ]);
    }
  });

  it('reports an over-long line as sk.overflow and resynchronises at the next line end', () => {
    const parser = new SkLineParser({ maxLineLength: 100 });
    const events = [
      ...parser.push(asciiBytes('X'.repeat(150))),
      ...parser.push(asciiBytes('Y'.repeat(300) + '\r\nOK\r\n')),
    ];
    expect(events).toEqual([expect.objectContaining({ type: 'error', code: 'sk.overflow' }), { type: 'ok' }]);
  });

  it('reports an ERXUDP whose DATALEN exceeds the line limit as sk.overflow', () => {
    const parser = new SkLineParser({ maxLineLength: 200 });
    const events = parser.push(
      asciiBytes(`ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0400 ${'AB'.repeat(10)}\r\nOK\r\n`),
    );
    expect(events).toEqual([expect.objectContaining({ type: 'error', code: 'sk.overflow' }), { type: 'ok' }]);
  });

  it('keeps an incomplete line until its end arrives', () => {
    const parser = new SkLineParser();
    expect(parser.push(asciiBytes('EVENT 2'))).toEqual([]);
    expect(parser.push(asciiBytes('5 ' + A))).toEqual([]);
    expect(parser.push(asciiBytes('\r'))).toEqual([{ type: 'event', num: 0x25, sender: A }]);
    expect(parser.push(asciiBytes('\n'))).toEqual([]);
  });
});

describe('secrets inside an EPANDESC block', () => {
  it('masks SKSETPWD/SKSETRBID in an unknown indented line', () => {
    const parser = new SkLineParser();
    const text =
      'EPANDESC\r\n  Channel:21\r\n  Foo SKSETPWD C 0123456789AB\r\n  Bar SKSETRBID 00112233445566778899AABBCCDDEEFF\r\n';
    const out = JSON.stringify(parser.push(new TextEncoder().encode(text)));
    expect(out).not.toContain('0123456789AB');
    expect(out).not.toContain('00112233445566778899AABBCCDDEEFF');
  });
});
