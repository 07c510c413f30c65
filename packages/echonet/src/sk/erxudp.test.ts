import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes } from './bytes.js';
import { decidePayload, erxudpFromHeader } from './erxudp.js';

const b = (...parts: (string | Uint8Array)[]): Uint8Array =>
  concatBytes(parts.map((p) => (typeof p === 'string' ? asciiBytes(p) : p)));

describe('decidePayload', () => {
  it('reads hex once 2×DATALEN hex digits and a line end are there', () => {
    expect(decidePayload(b('H 1081'), 2, 2, 'auto', 4096)).toEqual({ kind: 'more' });
    expect(decidePayload(b('H 1081\r'), 2, 2, 'auto', 4096)).toEqual({
      kind: 'hex',
      data: Uint8Array.of(0x10, 0x81),
      end: 6,
    });
  });

  it('reads binary once DATALEN bytes and a line end are there, even if they look like hex', () => {
    expect(decidePayload(b('H AB'), 2, 2, 'auto', 4096)).toEqual({ kind: 'more' });
    expect(decidePayload(b('H AB\r'), 2, 2, 'auto', 4096)).toEqual({
      kind: 'binary',
      data: asciiBytes('AB'),
      end: 4,
    });
    expect(decidePayload(b('H \r\n\r\n'), 2, 2, 'auto', 4096)).toEqual({
      kind: 'binary',
      data: asciiBytes('\r\n'),
      end: 4,
    });
  });

  it('rejects data that fits neither reading, and forced readings that do not fit', () => {
    expect(decidePayload(b('H 1Z8'), 2, 2, 'auto', 4096)).toMatchObject({
      kind: 'bad',
      code: 'sk.malformed',
    });
    expect(decidePayload(b('H 10\r'), 2, 2, 'hex', 4096)).toMatchObject({
      kind: 'bad',
      code: 'sk.malformed',
    });
    expect(decidePayload(b('H 1081\r'), 2, 2, 'binary', 4096)).toEqual({
      kind: 'binary',
      data: asciiBytes('10'),
      end: 4,
    });
  });

  it('calls a DATALEN beyond the line limit an overflow before any data arrives', () => {
    expect(decidePayload(b('H '), 2, 100, 'auto', 64)).toMatchObject({ kind: 'bad', code: 'sk.overflow' });
    expect(decidePayload(b('H '), 2, 40, 'hex', 64)).toMatchObject({ kind: 'bad', code: 'sk.overflow' });
    expect(decidePayload(b('H '), 2, 40, 'auto', 64)).toEqual({ kind: 'more' });
  });
});

describe('erxudpFromHeader', () => {
  const A = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
  const data = Uint8Array.of(1);

  it('tells the layout by the field count', () => {
    const words = ['ERXUDP', A, A, '0E1A', '02CC', 'LLA'];
    expect(erxudpFromHeader([...words, '1', '0001'], 'hex', data)).toMatchObject({
      layout: 'single-hop',
      lport: 716,
    });
    expect(erxudpFromHeader([...words, '1', '1', '0001'], 'hex', data)).toMatchObject({
      layout: 'dual-stack',
      side: 1,
    });
    expect(erxudpFromHeader([...words, 'B2', '0', '0', '0001'], 'hex', data)).toMatchObject({
      layout: 'dual-stack-rssi',
      rssi: 'B2',
      secured: 0,
      side: 0,
    });
  });

  it('explains a field that is not what its layout requires', () => {
    expect(erxudpFromHeader(['ERXUDP', A, A, 'PORT', '0E1A', 'LLA', '1', '0001'], 'hex', data)).toMatch(
      /port/,
    );
    expect(erxudpFromHeader(['ERXUDP', A, A, '0E1A', '0E1A', 'LLA', 'S', '0001'], 'hex', data)).toMatch(
      /SECURED/,
    );
    expect(erxudpFromHeader(['ERXUDP', A, '0001'], 'hex', data)).toMatch(/header fields/);
  });
});
