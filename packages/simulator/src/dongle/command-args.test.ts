import { describe, expect, it } from 'vitest';
import { checkJoin, checkScan, checkSendTo, checkSetPwd, checkSetRbid, checkWopt } from './command-args.js';
import { DONGLE_PROFILES } from './models.js';

const single = DONGLE_PROFILES.bp35a1;
const dual = DONGLE_PROFILES.bp35c2;
const ADDR = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
const DATA = new Uint8Array(14);

describe('SK argument checks', () => {
  it('SKSCAN: a side on single-hop or none on dual-stack is a wrong count (ER05)', () => {
    expect(checkScan(['2', 'FFFFFFFF', '6'], single)).toEqual({
      ok: true,
      value: { mode: 2, channelMask: 0xffffffff, duration: 6, side: 0 },
    });
    expect(checkScan(['2', 'FFFFFFFF', '6', '0'], single)).toEqual({ ok: false, code: 'ER05' });
    expect(checkScan(['2', 'FFFFFFFF', '6'], dual)).toEqual({ ok: false, code: 'ER05' });
    expect(checkScan(['2', 'FFFFFFFF', '6', '0'], dual).ok).toBe(true);
    expect(checkScan(['2', 'FFFFFFFF', '6', '2'], dual)).toEqual({ ok: false, code: 'ER06' });
    expect(checkScan(['2', 'FFFFFFFF', 'F'], single)).toEqual({ ok: false, code: 'ER06' });
    expect(checkScan(['1', 'FFFFFFFF', '6'], single)).toEqual({ ok: false, code: 'ER06' });
  });

  it('SKSENDTO: the misplaced field is read in the wrong slot (ER06)', () => {
    expect(checkSendTo(['1', ADDR, '0E1A', '1', '000E'], DATA, single).ok).toBe(true);
    // side "0" lands where DATALEN belongs
    expect(checkSendTo(['1', ADDR, '0E1A', '1', '0', '000E'], DATA, single)).toEqual({
      ok: false,
      code: 'ER06',
    });
    // DATALEN "000E" lands where SIDE belongs
    expect(checkSendTo(['1', ADDR, '0E1A', '1', '000E'], DATA, dual)).toEqual({ ok: false, code: 'ER06' });
    expect(checkSendTo(['1', ADDR, '0E1A', '1', '0', '000E'], DATA, dual)).toMatchObject({
      ok: true,
      value: { handle: 1, ipv6: ADDR, port: 0x0e1a, sec: 1, side: 0 },
    });
    expect(checkSendTo(['1', ADDR, '0E1A'], undefined, single)).toEqual({ ok: false, code: 'ER05' });
    expect(checkSendTo(['7', ADDR, '0E1A', '1', '000E'], DATA, single)).toEqual({ ok: false, code: 'ER06' });
    expect(checkSendTo(['1', 'FE80::1', '0E1A', '1', '000E'], DATA, single)).toEqual({
      ok: false,
      code: 'ER06',
    });
    expect(checkSendTo(['1', ADDR, '0E1A', '3', '000E'], DATA, single)).toEqual({ ok: false, code: 'ER06' });
  });

  it('credentials, join and WOPT', () => {
    expect(checkSetPwd(['C', 'ABCDEFGHIJKL'])).toEqual({ ok: true, value: 'ABCDEFGHIJKL' });
    expect(checkSetPwd(['B', 'ABCDEFGHIJKL'])).toEqual({ ok: false, code: 'ER06' });
    expect(checkSetPwd(['ABCDEFGHIJKL'])).toEqual({ ok: false, code: 'ER05' });
    expect(checkSetRbid(['0'.repeat(32)]).ok).toBe(true);
    expect(checkSetRbid(['0'.repeat(31)])).toEqual({ ok: false, code: 'ER06' });
    expect(checkJoin([ADDR]).ok).toBe(true);
    expect(checkJoin([])).toEqual({ ok: false, code: 'ER05' });
    expect(checkWopt(['01'])).toEqual({ ok: true, value: 1 });
    expect(checkWopt(['02'])).toEqual({ ok: false, code: 'ER06' });
  });
});
