import { describe, expect, it } from 'vitest';
import { asciiBytes, escapeRaw, unescapeRaw } from './bytes.js';
import { findDataStart } from './data-start.js';

const A = 'FE80:0000:0000:0000:021C:6400:6014:21A3';

describe('findDataStart', () => {
  it('finds DATALEN at token 5 (single-hop) or 6 (dual-stack) of SKSENDTO', () => {
    const single = `SKSENDTO 1 ${A} 0E1A 1 0012 `;
    const dual = `SKSENDTO 1 ${A} 0E1A 1 0 0012 `;
    expect(findDataStart(asciiBytes(single + '\r\n'))).toEqual({
      status: 'found',
      word: 'SKSENDTO',
      dataStart: single.length,
      length: 18,
      position: 5,
    });
    expect(findDataStart(asciiBytes(dual))).toEqual({
      status: 'found',
      word: 'SKSENDTO',
      dataStart: dual.length,
      length: 18,
      position: 6,
    });
  });

  it('finds DATALEN at token 7, 8 or 9 of ERXUDP (a 4-hex RSSI or port never counts)', () => {
    const heads = [
      [`ERXUDP ${A} ${A} 0E1A 0E1A 001C6400601421A3 1 0012 `, 7],
      [`ERXUDP ${A} ${A} 0E1A 0E1A 001C6400601421A3 1 0 0012 `, 8],
      [`ERXUDP ${A} ${A} 0E1A 0E1A 001C6400601421A3 C4 1 0 0012 `, 9],
    ] as const;
    for (const [head, position] of heads) {
      expect(findDataStart(asciiBytes(head + '10'))).toMatchObject({
        status: 'found',
        position,
        dataStart: head.length,
      });
    }
  });

  it('waits while the header is incomplete and gives up at a line end or too many tokens', () => {
    expect(findDataStart(asciiBytes(`SKSENDTO 1 ${A} 0E1A 1 001`))).toEqual({ status: 'more' });
    expect(findDataStart(asciiBytes(`SKSENDTO 1 ${A} 0E1A 1 0012`))).toEqual({ status: 'more' });
    expect(findDataStart(asciiBytes(`SKSENDTO 1 ${A} 0E1A\r\n1 0012 `))).toEqual({ status: 'none' });
    expect(findDataStart(asciiBytes(`SKSENDTO 1 ${A} 0E1A 1 0 0 0012 `))).toEqual({ status: 'none' });
    expect(findDataStart(asciiBytes('EVENT 21 0012 0012 0012 0012 0012 '))).toEqual({ status: 'none' });
    expect(findDataStart(asciiBytes('SKSENDTO 1'), ['ERXUDP'])).toEqual({ status: 'none' });
  });
});

describe('escapeRaw', () => {
  it('is reversible for every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(escapeRaw(all)).toMatch(/^[\x20-\x7e]*$/);
    expect(unescapeRaw(escapeRaw(all))).toEqual(all);
  });
});
