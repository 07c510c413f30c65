import { DAY_MS, HALF_HOUR_MS, HOUR_MS, jstDayNumber, jstDayStart, MINUTE_MS } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { EnergyCounters } from './counters.js';
import { MeterHistory } from './history.js';
import { Household } from './household.js';

const TODAY = jstDayStart(jstDayNumber(Date.UTC(2026, 4, 20, 3)));
const NOW = TODAY + 14 * HOUR_MS + 26 * MINUTE_MS + 17_000; // 14:26:17 JST

function setup(days = 45) {
  const h = new Household({ seed: 9, solar: { peakW: 5000 } });
  const counters = new EnergyCounters((t) => h.powerAt(t), h.stepMs, TODAY - 45 * DAY_MS);
  return { counters, history: new MeterHistory(counters, { days }) };
}

describe('MeterHistory', () => {
  it('E2/E4 for yesterday are the counters at each half-hour boundary of that day', () => {
    const { counters, history } = setup();
    const y = history.day(NOW, 1);
    expect(y.start).toBe(TODAY - DAY_MS);
    expect(y.normal).toHaveLength(48);
    for (let i = 0; i < 48; i++) {
      const c = counters.countsAt(TODAY - DAY_MS + i * HALF_HOUR_MS)!;
      expect(y.normal[i]).toBe(c.normal);
      expect(y.reverse[i]).toBe(c.reverse);
    }
    expect(y.normal[47]!).toBeGreaterThan(y.normal[0]!);
    expect(y.reverse[47]!).toBeGreaterThan(y.reverse[0]!);
  });

  it("today's slots after now have no data, past ones do", () => {
    const { history } = setup();
    const d = history.day(NOW, 0);
    // 14:26 → slots 00:00 … 14:00 (29 slots) are past.
    expect(d.normal.slice(0, 29).every((c) => c !== null)).toBe(true);
    expect(d.normal.slice(29).every((c) => c === null)).toBe(true);
    expect(d.reverse.slice(29).every((c) => c === null)).toBe(true);
  });

  it('keeps 45 days: day 44 has data, day 45 and beyond have none', () => {
    const { history } = setup();
    expect(history.day(NOW, 44).normal.every((c) => c !== null)).toBe(true);
    expect(history.day(NOW, 45).normal.every((c) => c === null)).toBe(true);
    expect(history.day(NOW, 99).reverse.every((c) => c === null)).toBe(true);
    const short = setup(10).history;
    expect(short.day(NOW, 9).normal[0]).not.toBeNull();
    expect(short.day(NOW, 10).normal[0]).toBeNull();
  });

  it('series are newest first in the given step', () => {
    const { counters, history } = setup();
    const newest = TODAY + 14 * HOUR_MS;
    const s = history.series(NOW, newest, 12, HALF_HOUR_MS);
    expect(s.map((p) => p.time)).toEqual(Array.from({ length: 12 }, (_, i) => newest - i * HALF_HOUR_MS));
    for (const p of s) expect(p.normal).toBe(counters.countsAt(p.time)!.normal);
    for (let i = 1; i < s.length; i++) expect(s[i - 1]!.normal!).toBeGreaterThanOrEqual(s[i]!.normal!);
    const m = history.series(NOW, TODAY + 14 * HOUR_MS + 26 * MINUTE_MS, 10, MINUTE_MS);
    expect(m[0]!.time - m[1]!.time).toBe(MINUTE_MS);
    expect(m[0]!.normal).toBe(counters.countsAt(TODAY + 14 * HOUR_MS + 26 * MINUTE_MS)!.normal);
  });

  it('fixed-time values sit on the last half-hour boundary', () => {
    const { counters, history } = setup();
    const f = history.fixedTime(NOW);
    expect(f.time).toBe(TODAY + 14 * HOUR_MS);
    expect(f.counts).toEqual(counters.countsAt(TODAY + 14 * HOUR_MS));
  });

  it('accepts history 2/3 requests like a real meter', () => {
    const { history } = setup();
    const t = TODAY + 14 * HOUR_MS;
    expect(history.acceptsHalfHourRequest(NOW, t, 12)).toBe(true);
    expect(history.acceptsHalfHourRequest(NOW, t + 10 * MINUTE_MS, 12)).toBe(false); // not :00/:30
    expect(history.acceptsHalfHourRequest(NOW, t, 13)).toBe(false);
    expect(history.acceptsHalfHourRequest(NOW, t, 0)).toBe(false);
    expect(history.acceptsHalfHourRequest(NOW, t + HALF_HOUR_MS, 1)).toBe(false); // future
    expect(history.acceptsHalfHourRequest(NOW, TODAY - 44 * DAY_MS, 1)).toBe(true);
    expect(history.acceptsHalfHourRequest(NOW, TODAY - 44 * DAY_MS - HALF_HOUR_MS, 1)).toBe(false);
    expect(history.acceptsMinuteRequest(NOW, t + 26 * MINUTE_MS, 10)).toBe(true);
    expect(history.acceptsMinuteRequest(NOW, t + 27 * MINUTE_MS, 10)).toBe(false);
    expect(history.acceptsMinuteRequest(NOW, t, 11)).toBe(false);
  });
});
