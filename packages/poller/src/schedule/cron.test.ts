import { describe, expect, it } from 'vitest';
import { CronError, parseCron } from './cron.js';

const jst = (s: string) => new Date(`${s}+09:00`).getTime();
const iso = (t: number) => new Date(t + 9 * 3600_000).toISOString().slice(0, 16);

describe('parseCron', () => {
  it('*/5 fires every five minutes on the JST clock, strictly after now', () => {
    const c = parseCron('*/5 * * * *');
    expect(iso(c.next(jst('2026-12-06T10:00:00')))).toBe('2026-12-06T10:05');
    expect(iso(c.next(jst('2026-12-06T10:03:59.999')))).toBe('2026-12-06T10:05');
    expect(iso(c.next(jst('2026-12-06T23:57:00')))).toBe('2026-12-07T00:00');
  });

  it('hours, ranges, lists and steps', () => {
    expect(iso(parseCron('30 9-17/4 * * *').next(jst('2026-12-06T10:00:00')))).toBe('2026-12-06T13:30');
    expect(iso(parseCron('0,15 0 * * *').next(jst('2026-12-06T00:10:00')))).toBe('2026-12-06T00:15');
    expect(iso(parseCron('@daily').next(jst('2026-12-06T00:00:00')))).toBe('2026-12-07T00:00');
    expect(iso(parseCron('@monthly').next(jst('2026-12-06T00:00:00')))).toBe('2027-01-01T00:00');
  });

  it('days: either day field matches when both are restricted (Vixie cron)', () => {
    // 2026-12-06 is a Sunday.
    expect(iso(parseCron('0 0 * * 1').next(jst('2026-12-06T12:00:00')))).toBe('2026-12-07T00:00');
    expect(iso(parseCron('0 0 * * 7').next(jst('2026-12-06T12:00:00')))).toBe('2026-12-13T00:00');
    expect(iso(parseCron('0 0 10 * 1').next(jst('2026-12-06T12:00:00')))).toBe('2026-12-07T00:00');
    expect(iso(parseCron('0 0 29 2 *').next(jst('2026-12-06T12:00:00')))).toBe('2028-02-29T00:00');
  });

  it.each([
    ['* * * *', /five fields/],
    ['60 * * * *', /minute field "60"/],
    ['*/0 * * * *', /minute field/],
    ['* * * jan *', /month field "jan"/],
    ['5-1 * * * *', /minute field "5-1"/],
  ])('refuses %s', (text, message) => {
    expect(() => parseCron(text)).toThrow(CronError);
    expect(() => parseCron(text)).toThrow(message);
  });

  it('a date that never comes is an error, not a hang', () => {
    expect(() => parseCron('0 0 31 2 *').next(0)).toThrow(/never matches/);
  });
});
