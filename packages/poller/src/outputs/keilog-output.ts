/**
 * keilog's file layout, for people moving from keilog: a daily raw log `YYYYMMDD-<name>.txt`
 * with `YYYY/MM/DD hh:mm:ss,BR,<EPC>,<value>,x` lines, and a daily summary
 * `sumYYYYMMDD-<name>.txt` with each value's 10-minute average as `YYYY/MM/DD hh:m0,BR,<EPC>,<average>`
 * (no seconds). Times and day boundaries are JST, as keilog writes them on a Japanese host.
 *
 * EPCs: E7 instantaneous power (W); E8 currents as `R/T` amperes (averaged per phase); E0 and
 * E3 cumulative import and export (kWh). Sensors use their name as the tag and the value's
 * name as the EPC column (`bme280,temperature_c`), as keilog does for its non-B-route sensors.
 * A 10-minute summary line is written once the first reading of a later 10 minutes arrives (or
 * at close, from what the bucket has).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { JST_OFFSET_MS } from '@b-route/core';
import type { OutputRecord } from './output-record.js';
import type { OutputTarget } from './output-runner.js';

export interface KeilogOutputOptions {
  readonly dir: string;
  /** The `<name>` of the file names. Default 'broute'. */
  readonly name?: string;
}

const TEN_MIN_MS = 600_000;
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function jstParts(t: number): { day: string; date: string; hm: string; s: string } {
  const d = new Date(t + JST_OFFSET_MS);
  const y = d.getUTCFullYear();
  const mo = pad(d.getUTCMonth() + 1);
  const da = pad(d.getUTCDate());
  return {
    day: `${y}${mo}${da}`,
    date: `${y}/${mo}/${da}`,
    hm: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    s: pad(d.getUTCSeconds()),
  };
}

interface Entry {
  readonly tag: string;
  readonly epc: string;
  /** One number, or R and T for E8. */
  readonly values: readonly number[];
}

function entries(r: OutputRecord): Entry[] {
  const v = r.values;
  const out: Entry[] = [];
  const n = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (r.kind === 'power') {
    if (n(v.instant_power_w)) out.push({ tag: 'BR', epc: 'E7', values: [v.instant_power_w] });
    if (n(v.current_r_a) && n(v.current_t_a))
      out.push({ tag: 'BR', epc: 'E8', values: [v.current_r_a, v.current_t_a] });
  } else if (r.kind === 'energy') {
    if (n(v.cumulative_power_kwh)) out.push({ tag: 'BR', epc: 'E0', values: [v.cumulative_power_kwh] });
    if (n(v.cumulative_export_kwh)) out.push({ tag: 'BR', epc: 'E3', values: [v.cumulative_export_kwh] });
  } else if (r.kind === 'sensor') {
    for (const [k, x] of Object.entries(v)) if (n(x)) out.push({ tag: r.source, epc: k, values: [x] });
  }
  return out;
}

const fmt = (x: number): string => String(Math.round(x * 1000) / 1000);

export function keilogOutput(options: KeilogOutputOptions): OutputTarget & { flushSummary(): Promise<void> } {
  const name = options.name ?? 'broute';
  /** `<bucket start>|<tag>|<epc>` → sums per component and count. */
  const buckets = new Map<
    string,
    { start: number; tag: string; epc: string; sums: number[]; count: number }
  >();
  let ready: Promise<unknown> | undefined;

  const writeSummaries = async (before: number): Promise<void> => {
    const byFile = new Map<string, string>();
    for (const [key, b] of [...buckets].sort((a, c) => a[1].start - c[1].start)) {
      if (b.start >= before) continue;
      buckets.delete(key);
      const p = jstParts(b.start);
      const avg = b.sums.map((s) => fmt(s / b.count)).join('/');
      const file = join(options.dir, `sum${p.day}-${name}.txt`);
      byFile.set(file, `${byFile.get(file) ?? ''}${p.date} ${p.hm},${b.tag},${b.epc},${avg}\n`);
    }
    for (const [file, text] of byFile) await appendFile(file, text);
  };

  return {
    name: `keilog:${options.dir}`,
    accepts: (r) => r.kind === 'power' || r.kind === 'energy' || r.kind === 'sensor',
    async deliver(batch) {
      ready ??= mkdir(options.dir, { recursive: true });
      await ready;
      const byFile = new Map<string, string>();
      let latestBucket = 0;
      for (const r of batch) {
        const t = Date.parse(r.time);
        const p = jstParts(t);
        const start = Math.floor(t / TEN_MIN_MS) * TEN_MIN_MS;
        latestBucket = Math.max(latestBucket, start);
        for (const e of entries(r)) {
          const file = join(options.dir, `${p.day}-${name}.txt`);
          const line = `${p.date} ${p.hm}:${p.s},${e.tag},${e.epc},${e.values.map(fmt).join('/')},x\n`;
          byFile.set(file, `${byFile.get(file) ?? ''}${line}`);
          const key = `${start}|${e.tag}|${e.epc}`;
          const b = buckets.get(key) ?? {
            start,
            tag: e.tag,
            epc: e.epc,
            sums: e.values.map(() => 0),
            count: 0,
          };
          e.values.forEach((x, i) => {
            b.sums[i] = (b.sums[i] ?? 0) + x;
          });
          b.count++;
          buckets.set(key, b);
        }
      }
      for (const [file, text] of byFile) await appendFile(file, text);
      await writeSummaries(latestBucket);
    },
    flushSummary: () => writeSummaries(Number.POSITIVE_INFINITY),
    async close() {
      await writeSummaries(Number.POSITIVE_INFINITY);
    },
  };
}
