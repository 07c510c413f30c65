import { describe, expect, it } from 'vitest';
import { faultPlan, SOAK_EVENT_KINDS, type SoakEventKind } from './fault-plan.js';
import { brokerOutageAt } from './run-soak.js';

const HOUR = 3_600_000;

describe('faultPlan', () => {
  it.each([1, 2, 7])(
    '%d day(s): every kind of event, none overlapping, all over an hour before the end',
    (days) => {
      const plan = faultPlan(days);
      expect(new Set(plan.map((e) => e.kind))).toEqual(new Set(SOAK_EVENT_KINDS));
      for (let i = 1; i < plan.length; i++) {
        const prev = plan[i - 1]!;
        expect(plan[i]!.atMs, `${plan[i]!.kind} after ${prev.kind}`).toBeGreaterThanOrEqual(
          prev.atMs + prev.durationMs + 30 * 60_000,
        );
      }
      for (const e of plan) {
        expect(e.atMs).toBeGreaterThanOrEqual(HOUR);
        expect(e.atMs + e.durationMs).toBeLessThanOrEqual(days * 24 * HOUR - HOUR);
      }
    },
  );

  it('a week: a reset and an unplug every day, the meter away twice, one database outage, one silent database path and one restart', () => {
    const plan = faultPlan(7);
    const count = (k: SoakEventKind) => plan.filter((e) => e.kind === k).length;
    expect(count('dongle-reset')).toBe(7);
    expect(count('dongle-unplug')).toBe(7);
    expect(count('meter-unreachable')).toBe(2);
    expect(count('database-down')).toBe(1);
    expect(count('database-silent')).toBe(1);
    expect(count('poller-restart')).toBe(1);
    expect(plan.find((e) => e.kind === 'database-down')!.durationMs).toBe(HOUR);
    expect(plan.find((e) => e.kind === 'poller-restart')!.durationMs).toBe(3 * HOUR);
  });

  it('refuses a run too short to hold the events', () => {
    expect(() => faultPlan(0.25)).toThrow(RangeError);
  });
});

describe('brokerOutageAt', () => {
  it('puts the two-hour broker outage clear of every long fault, on the one-day and the seven-day plan', () => {
    for (const days of [1, 7]) {
      const plan = faultPlan(days);
      const total = days * 24 * 3_600_000;
      const at = brokerOutageAt(plan, total, 2 * 3_600_000);
      expect(at + 2 * 3_600_000).toBeLessThanOrEqual(total);
      for (const e of plan.filter((x) => x.durationMs >= 20 * 60_000)) {
        const clear = at + 2 * 3_600_000 + 30 * 60_000 <= e.atMs || e.atMs + e.durationMs + 30 * 60_000 <= at;
        expect(clear, `${e.kind} at ${e.atMs / 3_600_000} h (days ${days})`).toBe(true);
      }
    }
  });
});
