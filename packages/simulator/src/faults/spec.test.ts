import { describe, expect, it } from 'vitest';
import {
  formatFaultSpec,
  inDailyWindow,
  NO_FAULTS,
  parseDuration,
  parseFaultSpec,
  resolveWhen,
} from './spec.js';

describe('fault spec', () => {
  it('parses every switch', () => {
    const s = parseFaultSpec(
      'drop=0.05,delay=2000,corrupt=0.02,duplicate=0.01,fail-er10=0.01,expire-every=3600,reauth-fail=0.1,' +
        'reset-at=3h|05:30,unplug-at=2h:30|03:00:45s,unreachable=01:00-01:30|23:50-00:10',
    );
    expect(s).toEqual({
      drop: 0.05,
      corrupt: 0.02,
      duplicate: 0.01,
      failEr10: 0.01,
      reauthFail: 0.1,
      delayMs: [2000, 2000],
      expireEveryMs: 3_600_000,
      resetAt: [
        { kind: 'offset', ms: 3 * 3_600_000 },
        { kind: 'clock', minute: 5 * 60 + 30 },
      ],
      unplugAt: [
        { at: { kind: 'offset', ms: 2 * 3_600_000 }, durationMs: 30_000 },
        { at: { kind: 'clock', minute: 180 }, durationMs: 45_000 },
      ],
      unreachable: [
        { from: 60, to: 90 },
        { from: 23 * 60 + 50, to: 10 },
      ],
    });
    expect(parseFaultSpec(formatFaultSpec(s))).toEqual(s);
  });

  it('reads delay ranges in ms and durations with units', () => {
    expect(parseFaultSpec('delay=500-1500').delayMs).toEqual([500, 1500]);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('abc')).toBeNull();
    expect(parseFaultSpec('')).toEqual(NO_FAULTS);
  });

  it('names the bad item', () => {
    expect(() => parseFaultSpec('drop=2')).toThrow(/drop=2: probability/);
    expect(() => parseFaultSpec('explode=1')).toThrow(/unknown fault "explode"/);
    expect(() => parseFaultSpec('unplug-at=2h')).toThrow(/WHEN:DURATION/);
    expect(() => parseFaultSpec('unreachable=25:00-01:00')).toThrow(/HH:MM-HH:MM/);
    expect(() => parseFaultSpec('delay=3000-1000')).toThrow(/MIN-MAX/);
  });

  it('resolves times of day in Japan time and daily windows across midnight', () => {
    const start = Date.UTC(2026, 4, 20, 0, 0); // 09:00 JST
    expect(resolveWhen({ kind: 'clock', minute: 10 * 60 }, start)).toBe(Date.UTC(2026, 4, 20, 1, 0));
    expect(resolveWhen({ kind: 'clock', minute: 8 * 60 }, start)).toBe(Date.UTC(2026, 4, 20, 23, 0));
    expect(resolveWhen({ kind: 'offset', ms: 5000 }, start)).toBe(start + 5000);
    const win = [{ from: 23 * 60 + 50, to: 10 }];
    expect(inDailyWindow(win, Date.UTC(2026, 4, 20, 14, 55))).toBe(true); // 23:55 JST
    expect(inDailyWindow(win, Date.UTC(2026, 4, 20, 15, 5))).toBe(true); // 00:05 JST
    expect(inDailyWindow(win, Date.UTC(2026, 4, 20, 15, 10))).toBe(false); // 00:10 JST
  });
});
