import { describe, expect, it } from 'vitest';
import { nextBoundary, nextDue, type ScheduleEntry } from './schedule.js';

const T0 = Date.parse('2026-11-22T00:00:00+09:00');
const entries: ScheduleEntry[] = [
  { name: 'instantaneous', epcs: [0xe7, 0xe8], periodMs: 30_000 },
  { name: 'cumulative', epcs: [0xe0, 0xe3], periodMs: 300_000 },
  { name: 'meta', epcs: [0xd3, 0xd7, 0xe1], periodMs: 3_600_000 },
];

describe('nextBoundary', () => {
  it('aligns to multiples of the period in meter local time', () => {
    expect(nextBoundary(30_000, T0 + 1)).toBe(T0 + 30_000);
    expect(nextBoundary(30_000, T0 + 29_999)).toBe(T0 + 30_000);
    expect(nextBoundary(30_000, T0 + 30_000)).toBe(T0 + 60_000);
    expect(nextBoundary(86_400_000, T0 + 5)).toBe(T0 + 86_400_000);
  });
  it('rejects nonsense periods', () => {
    expect(() => nextBoundary(0, T0)).toThrow(/invalid period/);
    expect(() => nextBoundary(Number.NaN, T0)).toThrow(/invalid period/);
  });
});

describe('nextDue', () => {
  it('fires only the short cycle between long boundaries', () => {
    const due = nextDue(entries, T0 + 31_000);
    expect(due.at).toBe(T0 + 60_000);
    expect(due.entries.map((e) => e.name)).toEqual(['instantaneous']);
    expect(due.epcs).toEqual([0xe7, 0xe8]);
  });
  it('puts everything due at once into one set, each EPC once', () => {
    const due = nextDue(
      [...entries, { name: 'again', epcs: [0xe7, 0xe0], periodMs: 600_000 }],
      T0 + 3_600_000 - 1,
    );
    expect(due.at).toBe(T0 + 3_600_000);
    expect(due.entries.map((e) => e.name)).toEqual(['instantaneous', 'cumulative', 'meta', 'again']);
    expect(due.epcs).toEqual([0xe7, 0xe8, 0xe0, 0xe3, 0xd3, 0xd7, 0xe1]);
  });
  it('never returns an instant in the past, even when called late', () => {
    const late = T0 + 3_600_000 + 12_345;
    expect(nextDue(entries, late).at).toBeGreaterThan(late);
  });
  it('refuses an empty schedule', () => {
    expect(() => nextDue([], T0)).toThrow(/no entries/);
  });
});
