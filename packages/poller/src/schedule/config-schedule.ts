/**
 * The meter schedule a configuration asks for: the intervals of [schedule] (meterSchedule),
 * keilog's `[schedule] requests` (any EPC groups with their cycles), or,
 * with `[schedule] cron` / `--schedule`, E7+E8+E0+E3 at each minute the crontab expression
 * names, in one frame, with D3/D7/E1 still on their `meta` interval.
 */

import { meterSchedule, type ScheduleSeconds } from '../app/meter-poller.js';
import { EPC } from '../app/rows.js';
import { parseCron } from './cron.js';
import { parseRequests } from './requests.js';
import type { ScheduleEntry } from './schedule.js';

export interface ConfiguredSchedule extends ScheduleSeconds {
  /** Crontab expression (JST), or undefined for the intervals. */
  readonly cron?: string | undefined;
  /** keilog's requests (`E7 @ 30; E0,E3 @ 300`), replacing the intervals. */
  readonly requests?: string | undefined;
}

/** @throws CronError for an expression parseCron refuses (the config loader checked it already). */
export function scheduleFromConfig(s: ConfiguredSchedule): ScheduleEntry[] {
  if (s.cron === undefined) return s.requests === undefined ? meterSchedule(s) : parseRequests(s.requests);
  const cron = parseCron(s.cron);
  const meta = meterSchedule(s).find((e) => e.name === 'meta')!;
  return [
    {
      name: 'cron',
      epcs: [EPC.power, EPC.currents, EPC.normal, EPC.reverse],
      // Not used while `next` is set; the shortest a crontab schedule can be.
      periodMs: 60_000,
      next: (now) => cron.next(now),
    },
    meta,
  ];
}
