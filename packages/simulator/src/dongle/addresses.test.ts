import { describe, expect, it } from 'vitest';
import { linkLocalToMac, macToLinkLocal, parseMac64, parseSkIpv6 } from './addresses.js';

describe('SK address spelling', () => {
  it('maps a MAC to its link-local address with the U/L bit inverted (real BP35A1 capture)', () => {
    // real-traffic.txt: SENDERLLA 001C6400601421A3 sends from FE80:…:021C:6400:6014:21A3
    expect(macToLinkLocal('001C6400601421A3')).toBe('FE80:0000:0000:0000:021C:6400:6014:21A3');
    expect(macToLinkLocal('021d129000_05747b'.replace('_', ''))).toBe(
      'FE80:0000:0000:0000:001D:1290:0005:747B',
    );
  });

  it('maps a link-local address back to the MAC', () => {
    expect(linkLocalToMac('FE80:0000:0000:0000:021C:6400:6014:21A3')).toBe('001C6400601421A3');
    expect(linkLocalToMac('2001:0DB8:0000:0000:021C:6400:6014:21A3')).toBeNull();
  });

  it('accepts only the full 8-group spelling and 16-digit MACs', () => {
    expect(parseSkIpv6('fe80:0000:0000:0000:021c:6400:6014:21a3')).toBe(
      'FE80:0000:0000:0000:021C:6400:6014:21A3',
    );
    expect(parseSkIpv6('FE80::21C:6400:6014:21A3')).toBeNull();
    expect(parseMac64('001c6400601421a3')).toBe('001C6400601421A3');
    expect(parseMac64('001C6400601421')).toBeNull();
  });
});
