import { describe, expect, it } from 'vitest';
import { EPC } from '../app/rows.js';
import { scheduleFromConfig } from './config-schedule.js';
import { nextDue } from './schedule.js';

const jst = (s: string) => new Date(`${s}+09:00`).getTime();
const base = { instantaneous: 30, cumulative: 300, meta: 3600 };

describe('scheduleFromConfig', () => {
  it('without cron: the intervals', () => {
    expect(scheduleFromConfig(base).map((e) => e.name)).toEqual(['instantaneous', 'cumulative', 'meta']);
  });

  it('--schedule "*/5 * * * *": E7, E8, E0, E3 every five minutes, meta with it on the hour, one frame', () => {
    const entries = scheduleFromConfig({ ...base, cron: '*/5 * * * *' });
    const a = nextDue(entries, jst('2026-12-06T10:00:10'));
    expect(a.at).toBe(jst('2026-12-06T10:05:00'));
    expect(a.epcs).toEqual([EPC.power, EPC.currents, EPC.normal, EPC.reverse]);
    const b = nextDue(entries, jst('2026-12-06T10:55:00'));
    expect(b.at).toBe(jst('2026-12-06T11:00:00'));
    expect(b.entries.map((e) => e.name)).toEqual(['cron', 'meta']);
    expect(b.epcs).toEqual([
      EPC.power,
      EPC.currents,
      EPC.normal,
      EPC.reverse,
      EPC.coefficient,
      EPC.digits,
      EPC.unit,
      EPC.fault,
    ]);
  });
});
