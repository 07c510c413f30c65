import { describe, expect, it } from 'vitest';
import { RegisterBank } from './registers.js';

describe('RegisterBank', () => {
  const bank = () => new RegisterBank({ SFB: () => 1, SFD: () => 0x1234 });

  it('accepts short and padded names and prints fixed widths', () => {
    const b = bank();
    expect(b.read(b.lookup('S2')!)).toBe('21');
    expect(b.read(b.lookup('S02')!)).toBe('21');
    expect(b.read(b.lookup('S3')!)).toBe('FFFF');
    expect(b.read(b.lookup('S16')!)).toBe('00015180');
    expect(b.read(b.lookup('SFE')!)).toBe('1');
    expect(b.read(b.lookup('SFD')!)).toBe('0000000000001234');
    expect(b.read(b.lookup('SFB')!)).toBe('1');
  });

  it('checks formats and ranges like the dongle (ER06)', () => {
    const b = bank();
    expect(b.write(b.lookup('S2')!, '2B')).toEqual({ ok: true });
    expect(b.num('S02')).toBe(0x2b);
    expect(b.write(b.lookup('S2')!, '20')).toEqual({ ok: false, code: 'ER06' });
    expect(b.write(b.lookup('S2')!, 'XY')).toEqual({ ok: false, code: 'ER06' });
    expect(b.write(b.lookup('S16')!, '3B')).toEqual({ ok: false, code: 'ER06' }); // 59 s < 60
    expect(b.write(b.lookup('S16')!, '384')).toEqual({ ok: true });
    expect(b.write(b.lookup('SFE')!, '2')).toEqual({ ok: false, code: 'ER06' });
    expect(b.write(b.lookup('SFB')!, '0')).toEqual({ ok: false, code: 'ER06' });
    expect(b.write(b.lookup('S0A')!, 'CCDDEEF')).toEqual({ ok: false, code: 'ER06' });
    expect(b.write(b.lookup('S0A')!, 'CCDDEEFF')).toEqual({ ok: true });
    expect(b.read(b.lookup('S0A')!)).toBe('CCDDEEFF');
  });

  it('has SA2, which every model accepts (SKSREG SA2 1 answers OK on RS-WSUHA-P, RL7023 DSS and IPS)', () => {
    expect(bank().lookup('SA2')).not.toBeNull();
    expect(bank().lookup('S99')).toBeNull();
    expect(bank().lookup('X2')).toBeNull();
  });

  it('resets to defaults, keeping what it is told to keep', () => {
    const b = bank();
    b.set('SFE', 0);
    b.set('S02', 0x30);
    b.reset(['SFE']);
    expect(b.num('SFE')).toBe(0);
    expect(b.num('S02')).toBe(0x21);
  });
});
