import { describe, expect, it } from 'vitest';
import { localTime } from './local-time.js';

describe('localTime', () => {
  it('places an instant on the JST calendar', () => {
    // 2024-03-04 00:30 JST = 2024-03-03 15:30 UTC, a Monday, day 63 of a leap year.
    const lt = localTime(Date.UTC(2024, 2, 3, 15, 30), 540);
    expect(lt.minuteOfDay).toBe(30);
    expect(lt.dayOfWeek).toBe(1);
    expect(lt.dayOfYear).toBe(63);
    expect(lt.day).toBe(Date.UTC(2024, 2, 4) / 86_400_000);
  });
});
