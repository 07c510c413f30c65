/** Sample records and small helpers for the outputs' tests. */
import type { StoreEntry } from '@b-route/store';
import { type OutputRecord, toRecord } from '../output-record.js';

export const METER = 'C0F9450040ABCDEF';

/** A power sample every 30 s from `start`. */
export function powerRecords(n: number, start = Date.parse('2026-12-06T00:00:00Z')): OutputRecord[] {
  return Array.from({ length: n }, (_, i) =>
    toRecord({
      kind: 'power_sample',
      row: {
        meter: METER,
        time: new Date(start + i * 30_000),
        power_w: 400 + i,
        current_r_a: 2 + i / 10,
        current_t_a: 1.5,
      },
    }),
  );
}

export const ENTRIES: readonly StoreEntry[] = [
  {
    kind: 'power_sample',
    row: {
      meter: METER,
      time: new Date('2026-12-06T00:00:10Z'),
      power_w: 512,
      current_r_a: 3.2,
      current_t_a: 2.1,
    },
  },
  {
    kind: 'energy_reading',
    row: {
      meter: METER,
      time: new Date('2026-12-06T00:00:00Z'),
      normal_kwh: 12345.6,
      reverse_kwh: 78.9,
      normal_count: 123456,
      reverse_count: 789,
      coefficient: 1,
      unit_kwh: 0.1,
    },
  },
  {
    kind: 'energy_interval',
    row: {
      meter: METER,
      direction: 'normal',
      slot: new Date('2026-12-05T23:30:00Z'),
      kwh: 0.25,
      count: 25,
      source: 'fixed-time',
    },
  },
  {
    kind: 'energy_interval',
    row: {
      meter: METER,
      direction: 'reverse',
      slot: new Date('2026-12-05T23:30:00Z'),
      kwh: 0.1,
      count: 1,
      source: 'fixed-time',
    },
  },
  {
    kind: 'bme280_sample',
    row: {
      sensor: 'bme280',
      time: new Date('2026-12-06T00:00:20Z'),
      temperature_c: 21.5,
      pressure_hpa: 1013.2,
      humidity_pct: 45.5,
    },
  },
  {
    kind: 'scan_log',
    row: {
      time: new Date('2026-12-06T00:00:00Z'),
      channel: 33,
      channel_page: 9,
      pan_id: 0x1234,
      address: METER,
      lqi: 120,
      pair_id: null,
      side: null,
    },
  },
];

export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
