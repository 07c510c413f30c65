import { describe, expect, it } from 'vitest';
import { ascii, asciiBytes } from './bytes.js';
import { LineFramer, nonPrintableError } from './line-framer.js';

/** Every line `takeLine` gives for `input`, or the first non-line answer. */
function lines(framer: LineFramer, input: string): (string | 'more' | 'overflow')[] {
  const out: (string | 'more' | 'overflow')[] = [];
  framer.feed(asciiBytes(input), () => {
    if (framer.next() === undefined) return false;
    const line = framer.takeLine();
    out.push(typeof line === 'string' ? line : ascii(line));
    return typeof line !== 'string';
  });
  return out;
}

describe('LineFramer', () => {
  it('splits at CR, LF and CRLF and skips empty lines', () => {
    expect(lines(new LineFramer(64), 'OK 01\rOK\r\n\r\nFAIL ER04\nSKV')).toEqual([
      'OK 01',
      'OK',
      'FAIL ER04',
      'more',
    ]);
  });

  it('reports an over-long line once, then resumes after its line end', () => {
    const framer = new LineFramer(16);
    expect(lines(framer, 'X'.repeat(17))).toEqual(['overflow']);
    expect(framer.overflow('line', asciiBytes('XX')).reason).toBe('line longer than 16 bytes');
    expect(lines(framer, 'XXXX\r\nOK\r\n')).toEqual(['OK']);
  });

  it('reads a line by length, waiting until all of it is here', () => {
    const framer = new LineFramer(32);
    framer.feed(asciiBytes('SKSENDTO 0004 '), () => false);
    expect(framer.takeCounted(18)).toBe('more');
    expect(framer.takeCounted(33)).toBe('overflow');
    framer.feed(asciiBytes('\r\n\0\x01EVENT'), () => false);
    expect(framer.takeCounted(18)).toEqual(asciiBytes('SKSENDTO 0004 \r\n\0\x01'));
    expect(ascii(framer.next()!)).toBe('EVENT');
  });

  it('turns a throwing step into a message and drops the pending input', () => {
    const framer = new LineFramer(64);
    expect(
      framer.feed(asciiBytes('OK\r\n'), () => {
        throw new Error('boom');
      }),
    ).toBe('boom');
    expect(framer.next()).toBeUndefined();
  });
});

describe('nonPrintableError', () => {
  it('names the first non-printable byte and its column', () => {
    expect(nonPrintableError(asciiBytes('OK'))).toBeUndefined();
    expect(nonPrintableError(asciiBytes('OK\x07 1'))).toEqual({
      type: 'error',
      code: 'sk.malformed',
      reason: 'non-printable byte 0x07 at column 2',
      raw: 'OK\\x07 1',
    });
  });
});
