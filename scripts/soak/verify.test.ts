import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIntervals, matchSamples, readTruth, type StoredSlot, type TruthSlot } from './verify.js';

const T0 = Date.UTC(2026, 0, 5, 15, 0, 0);
const HALF = 30 * 60_000;

const truthSlot = (i: number): TruthSlot => ({
  slot: T0 + i * HALF,
  normal: 1000 + i,
  reverse: 20 + i,
  normalKwh: (1000 + i) / 10,
  reverseKwh: (20 + i) / 10,
});

describe('checkIntervals', () => {
  it('finds slots missing in one direction and values that differ from the meter', () => {
    const truth = [0, 1, 2].map(truthSlot);
    const stored: StoredSlot[] = truth.flatMap((t) => [
      { direction: 'normal' as const, slot: t.slot, count: t.normal, kwh: t.normalKwh, source: 'history' },
      {
        direction: 'reverse' as const,
        slot: t.slot,
        count: t.reverse,
        kwh: t.reverseKwh,
        source: 'fixed-time',
      },
    ]);
    stored.splice(3, 1); // reverse of slot 1
    stored[3] = { ...stored[3]!, count: 1003, kwh: 100.3, source: 'poll' }; // normal of slot 2, read late
    const check = checkIntervals(truth, stored);
    expect(check.expected).toBe(6);
    expect(check.present).toBe(5);
    expect(check.lost).toEqual([
      { slot: new Date(T0 + HALF).toISOString(), direction: 'reverse', expected: { count: 21, kwh: 2.1 } },
    ]);
    expect(check.mismatched).toHaveLength(1);
    expect(check.mismatched[0]).toMatchObject({
      direction: 'normal',
      expected: { count: 1002, kwh: 100.2 },
      stored: { count: 1003, source: 'poll' },
    });
    expect(check.bySource).toEqual({ history: 2, 'fixed-time': 2, poll: 1 });
  });
});

describe('matchSamples', () => {
  it('pairs each stored row with the reply just before it, even among equal values', () => {
    const delivered = [
      { at: 0, tid: 1, powerW: 200 },
      { at: 30_000, tid: 2, powerW: 200 }, // never stored
      { at: 60_000, tid: 3, powerW: 200 },
      { at: 90_000, tid: 4, powerW: 350 },
    ];
    const stored = [
      { time: 10, powerW: 200 },
      { time: 60_500, powerW: 200 },
      { time: 90_000, powerW: 350 },
      { time: 200_000, powerW: 999 }, // nothing delivered it
    ];
    const m = matchSamples(delivered, stored);
    expect(m.matched).toBe(3);
    expect(m.missing.map((d) => d.tid)).toEqual([2]);
    expect(m.unexplained).toEqual([{ time: 200_000, powerW: 999 }]);
  });

  it('takes a row stamped on a coarse clock tick just before the reply it came from', () => {
    const m = matchSamples([{ at: 5_760, tid: 9, powerW: 80 }], [{ time: 5_000, powerW: 80 }]);
    expect(m.matched).toBe(1);
  });
});

describe('readTruth', () => {
  it('reads power and half-hour records, keeping the last record of a slot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'soak-truth-'));
    try {
      const file = join(dir, 'truth.jsonl');
      const slot = new Date(T0).toISOString();
      await writeFile(
        file,
        [
          JSON.stringify({
            type: 'power',
            time: new Date(T0 + 5000).toISOString(),
            w: -300,
            r: -1.5,
            t: -1.5,
          }),
          JSON.stringify({ type: 'half-hour', slot, normal: 1, reverse: 2, normalKwh: 0.1, reverseKwh: 0.2 }),
          JSON.stringify({ type: 'power', time: new Date(T0 + 1000).toISOString(), w: 500, r: 2.5, t: 2.5 }),
          JSON.stringify({ type: 'half-hour', slot, normal: 1, reverse: 2, normalKwh: 0.1, reverseKwh: 0.2 }),
          '',
        ].join('\n'),
      );
      const truth = await readTruth(file);
      expect(truth.power).toEqual([
        { time: T0 + 1000, w: 500 },
        { time: T0 + 5000, w: -300 },
      ]);
      expect(truth.slots).toEqual([{ slot: T0, normal: 1, reverse: 2, normalKwh: 0.1, reverseKwh: 0.2 }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
