/**
 * Tick positions and labels for a linear x axis in epoch milliseconds, aligned to JST wall-clock
 * boundaries (hours, midnights, first of the month). Chart.js's own linear ticks would fall on
 * multiples of the step in UTC, which are odd hours in JST for 2-hour steps; its time scale needs
 * a date adapter, which this package does not carry.
 */
import { DAY_MS, HOUR_MS, isJstMidnight, JST_OFFSET_MS, jstParts, MINUTE_MS } from '@b-route/core';

export interface JstTicks {
  readonly values: readonly number[];
  readonly stepMs: number;
  readonly format: (ms: number) => string;
}

const FIXED_STEPS = [
  10 * MINUTE_MS,
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
  2 * DAY_MS,
  7 * DAY_MS,
  14 * DAY_MS,
];
const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60, 120];
const AVG_MONTH_MS = 30.44 * DAY_MS;

/** Ticks between `startMs` and `endMs` inclusive, at most `maxTicks` of them (default 13). */
export function jstTicks(startMs: number, endMs: number, maxTicks = 13): JstTicks {
  for (const step of FIXED_STEPS) {
    const values = fixedTicks(startMs, endMs, step, maxTicks);
    if (values) return { values, stepMs: step, format: fixedFormatter(startMs, endMs, step) };
  }
  let months = MONTH_STEPS[MONTH_STEPS.length - 1]!;
  let values = monthTicks(startMs, endMs, months, Number.POSITIVE_INFINITY)!;
  for (const m of MONTH_STEPS) {
    const v = monthTicks(startMs, endMs, m, maxTicks);
    if (v) {
      months = m;
      values = v;
      break;
    }
  }
  return {
    values,
    stepMs: months * AVG_MONTH_MS,
    format: (ms) => {
      const p = jstParts(ms);
      return `${p.year}/${pad2(p.month)}`;
    },
  };
}

/** Multiples of `step` counted from JST midnight (weeks and longer: from the first midnight). */
function fixedTicks(startMs: number, endMs: number, step: number, maxTicks: number): number[] | undefined {
  const unit = Math.min(step, DAY_MS);
  const values: number[] = [];
  for (let t = Math.ceil((startMs + JST_OFFSET_MS) / unit) * unit - JST_OFFSET_MS; t <= endMs; t += step) {
    if (values.length === maxTicks) return undefined;
    values.push(t);
  }
  return values;
}

/** First-of-month JST boundaries every `months` months. */
function monthTicks(startMs: number, endMs: number, months: number, maxTicks: number): number[] | undefined {
  const first = jstParts(startMs);
  let index = first.year * 12 + first.month - 1;
  if (monthStart(index) < startMs) index += 1;
  const values: number[] = [];
  for (let t = monthStart(index); t <= endMs; index += months, t = monthStart(index)) {
    if (values.length === maxTicks) return undefined;
    values.push(t);
  }
  return values;
}

function monthStart(monthIndex: number): number {
  return Date.UTC(Math.floor(monthIndex / 12), monthIndex % 12, 1) - JST_OFFSET_MS;
}

function fixedFormatter(startMs: number, endMs: number, step: number): (ms: number) => string {
  const oneDay = endMs - startMs <= DAY_MS;
  return (ms) => {
    const p = jstParts(ms);
    if (step >= DAY_MS) return `${pad2(p.month)}/${pad2(p.day)}`;
    if (oneDay) {
      // The closing midnight of a one-day chart reads as 24:00, not as the next day's 00:00.
      if (ms === endMs && ms !== startMs && isJstMidnight(ms)) return '24:00';
      return `${pad2(p.hour)}:${pad2(p.minute)}`;
    }
    if (p.hour === 0 && p.minute === 0) return `${pad2(p.month)}/${pad2(p.day)}`;
    return `${pad2(p.hour)}:${pad2(p.minute)}`;
  };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
