/**
 * Five-field crontab expressions (`*\/5 * * * *`), as the HEMS data collector's `--schedule`
 * takes them, evaluated in the meter's wall-clock time (JST, UTC+9, no DST) like every other
 * boundary of the schedule. Fields: minute 0–59, hour 0–23, day of month 1–31, month 1–12, day
 * of week 0–7 (0 and 7 Sunday); each `*`, `a`, `a-b`, with `/step`, comma lists. As in Vixie
 * cron, when both day fields are restricted a day matching either one is due. `@hourly`,
 * `@daily` (`@midnight`), `@weekly`, `@monthly`, `@yearly` (`@annually`) are accepted. Names
 * (jan, mon) are not. Pure.
 */
import { JST_OFFSET_MS, MINUTE_MS } from '@b-route/core';

export interface CronSchedule {
  /** The expression as given. */
  readonly source: string;
  /** The first matching minute strictly after `now` (ms since epoch). */
  next(now: number): number;
}

export class CronError extends Error {
  override readonly name = 'CronError';
}

const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/** @throws CronError naming the field and what it takes */
export function parseCron(expression: string): CronSchedule {
  const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) {
    throw new CronError(
      `"${expression}": a schedule is five fields (minute hour day month weekday), e.g. "*/5 * * * *"`,
    );
  }
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]!, expression));
  const [minutes, hours, days, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (weekdays.has(7)) weekdays.add(0);
  const domAny = parts[2] === '*';
  const dowAny = parts[4] === '*';
  const dayMatches = (dom: number, dow: number) => {
    if (domAny && dowAny) return true;
    if (domAny) return weekdays.has(dow);
    if (dowAny) return days.has(dom);
    return days.has(dom) || weekdays.has(dow);
  };
  return {
    source: expression,
    next(now: number): number {
      // Work in JST wall-clock, expressed as a UTC Date.
      let t = Math.floor((now + JST_OFFSET_MS) / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
      const limit = t + 8 * 366 * 24 * 60 * MINUTE_MS; // enough for 29 February on a Monday
      while (t < limit) {
        const d = new Date(t);
        if (!months.has(d.getUTCMonth() + 1)) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
          continue;
        }
        if (!dayMatches(d.getUTCDate(), d.getUTCDay())) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
          continue;
        }
        if (!hours.has(d.getUTCHours())) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
          continue;
        }
        if (!minutes.has(d.getUTCMinutes())) {
          t += MINUTE_MS;
          continue;
        }
        return t - JST_OFFSET_MS;
      }
      throw new CronError(`"${expression}" never matches`);
    },
  };
}

function parseField(text: string, field: (typeof FIELDS)[number], expression: string): Set<number> {
  const out = new Set<number>();
  const fail = (): never => {
    throw new CronError(
      `"${expression}": the ${field.name} field "${text}" must be *, a number ${field.min}–${field.max}, a range a-b, with an optional /step, or a comma list of those`,
    );
  };
  for (const item of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!m) fail();
    const step = m![4] === undefined ? 1 : Number(m![4]);
    let lo: number = field.min;
    let hi: number = field.max;
    if (m![1] !== '*') {
      lo = Number(m![2]);
      hi = m![3] === undefined ? (m![4] === undefined ? lo : field.max) : Number(m![3]);
    }
    if (step < 1 || lo < field.min || hi > field.max || lo > hi) fail();
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}
