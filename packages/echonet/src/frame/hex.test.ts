import { describe, expect, it } from 'vitest';
import { isEchonetError } from '../errors.js';
import { Cursor } from './cursor.js';
import { fromHex, toHex } from './hex.js';

describe('toHex / fromHex', () => {
  it('prints upper case and reads either case', () => {
    expect(toHex(Uint8Array.of(0x10, 0x81, 0x0a, 0xff))).toBe('10810AFF');
    expect(fromHex('10810aFf')).toEqual(Uint8Array.of(0x10, 0x81, 0x0a, 0xff));
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it.each(['ABC', '0G', '1 ', 'zz'])('rejects %j with frame.invalid', (bad) => {
    expect(() => fromHex(bad)).toThrow(expect.objectContaining({ code: 'frame.invalid' }));
  });
});

describe('Cursor', () => {
  it('reads big-endian integers of every width', () => {
    const c = new Cursor(fromHex('FF' + 'FFFE' + '028801' + '80000001' + '8001' + 'FFFFFFFE' + 'AABB'));
    expect(c.u8()).toBe(0xff);
    expect(c.u16()).toBe(0xfffe);
    expect(c.u24()).toBe(0x028801);
    expect(c.u32()).toBe(0x80000001);
    expect(c.i16()).toBe(-32767);
    expect(c.i32()).toBe(-2);
    expect(c.remaining).toBe(2);
    expect(c.bytes(2)).toEqual(Uint8Array.of(0xaa, 0xbb));
    expect(c.remaining).toBe(0);
    expect(c.offset).toBe(18);
  });

  it('throws frame.truncated with the offset on overrun and does not advance', () => {
    const c = new Cursor(Uint8Array.of(1, 2, 3));
    c.u8();
    try {
      c.u32('count');
      expect.unreachable();
    } catch (e) {
      expect(isEchonetError(e, 'frame.truncated')).toBe(true);
      expect((e as Error).message).toBe('truncated at offset 1: count needs 4 byte(s), 2 left');
    }
    expect(c.u16()).toBe(0x0203);
  });
});
