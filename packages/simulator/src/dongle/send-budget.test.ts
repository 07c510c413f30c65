import { describe, expect, it } from 'vitest';
import { airtimeMs, SendBudget } from './send-budget.js';

describe('SendBudget (ARIB STD-T108 hourly transmit time)', () => {
  it('prices a 14-byte Get at a few milliseconds on air', () => {
    expect(airtimeMs(14)).toBeCloseTo(5.92, 2);
  });

  it('starts the restriction on the send that exceeds the budget and lifts it when the window slides', () => {
    const b = new SendBudget({ budgetMs: 10, windowMs: 1000 });
    expect(b.record(0, 4)).toBe(false);
    expect(b.record(100, 4)).toBe(false);
    expect(b.restricted).toBe(false);
    expect(b.record(200, 4)).toBe(true); // 12 > 10
    expect(b.restricted).toBe(true);
    expect(b.used(200)).toBe(12);
    // Dropping the send at t=0 (window end 1000) brings usage to 8 ≤ 10.
    expect(b.liftAt(200)).toBe(1000);
    expect(b.check(999)).toBe(false);
    expect(b.check(1000)).toBe(true);
    expect(b.restricted).toBe(false);
    expect(b.used(1000)).toBe(8);
  });

  it('rejects a non-positive budget', () => {
    expect(() => new SendBudget({ budgetMs: 0 })).toThrow(RangeError);
  });
});
