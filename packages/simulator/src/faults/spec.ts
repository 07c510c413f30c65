/**
 * The `--faults` spec string: comma-separated `key=value` items.
 *
 * ```
 * drop=P            a meter reply (ECHONET Lite datagram) is lost, probability P (0–1)
 * corrupt=P         a meter reply arrives with a broken ECHONET Lite frame (bad EHD or truncated)
 * duplicate=P       a meter reply arrives twice
 * fail-er10=P       SKSENDTO answers FAIL ER10 and sends nothing
 * reauth-fail=P     a re-authentication fails (EVENT 29, then EVENT 24: the session is gone)
 * delay=MS | MS-MS  extra delay of every meter reply, fixed or uniform in a range (bare number = ms)
 * expire-every=DUR  PANA session lifetime (overrides register S16): EVENT 29 that often
 * reset-at=WHEN|…   the dongle reboots (forgets session, registers, credentials)
 * unplug-at=WHEN:DUR|…  the dongle disappears for DUR (TCP connection closed, PTY link removed)
 * unreachable=HH:MM-HH:MM|…  daily window (Japan time) in which the meter does not answer
 *
 * DUR  = number with unit ms, s, m or h (bare number = seconds): 90s, 30m, 2h, 3600
 * WHEN = DUR after the simulator starts, or HH:MM Japan time (the next occurrence)
 * ```
 * Example: `drop=0.05,delay=500-2000,expire-every=1h,reset-at=3h|05:30,unplug-at=2h:30s`.
 * For unplug-at the last `:` separates WHEN from DUR, so `03:00:30s` is 03:00 for 30 s.
 */
import { DAY_MS, jstMinuteOfDay, jstStartOfDay, MINUTE_MS } from '@b-route/core';

/** A moment: an offset from the simulator's start, or a Japan time of day (next occurrence). */
export type When =
  | { readonly kind: 'offset'; readonly ms: number }
  | { readonly kind: 'clock'; readonly minute: number };

/** A daily window in Japan time, minutes of the day; `to` < `from` wraps past midnight. */
export interface DailyWindow {
  readonly from: number;
  readonly to: number;
}

export interface FaultSettings {
  readonly drop: number;
  readonly corrupt: number;
  readonly duplicate: number;
  readonly failEr10: number;
  readonly reauthFail: number;
  /** Extra reply delay, uniform in [min, max] ms. */
  readonly delayMs: readonly [number, number];
  /** Session lifetime override, ms; null = register S16. */
  readonly expireEveryMs: number | null;
  readonly resetAt: readonly When[];
  readonly unplugAt: readonly { readonly at: When; readonly durationMs: number }[];
  readonly unreachable: readonly DailyWindow[];
}

export const NO_FAULTS: FaultSettings = {
  drop: 0,
  corrupt: 0,
  duplicate: 0,
  failEr10: 0,
  reauthFail: 0,
  delayMs: [0, 0],
  expireEveryMs: null,
  resetAt: [],
  unplugAt: [],
  unreachable: [],
};

const PROBABILITY_KEYS = {
  drop: 'drop',
  corrupt: 'corrupt',
  duplicate: 'duplicate',
  'fail-er10': 'failEr10',
  'reauth-fail': 'reauthFail',
} as const;

function bad(item: string, why: string): RangeError {
  return new RangeError(`--faults: ${item}: ${why}`);
}

function probability(item: string, text: string): number {
  const p = Number(text);
  if (text === '' || !Number.isFinite(p) || p < 0 || p > 1) throw bad(item, 'probability must be 0–1');
  return p;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `30m`, `2h`, `1500ms`; a bare number counts `bareUnit`. */
export function parseDuration(text: string, bareUnit: 'ms' | 's' = 's'): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? bareUnit]!);
}

function clockMinute(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

function when(item: string, text: string): When {
  const minute = clockMinute(text);
  if (minute !== null) return { kind: 'clock', minute };
  const ms = parseDuration(text);
  if (ms === null) throw bad(item, `"${text}" is neither a duration (90s, 30m, 2h) nor HH:MM`);
  return { kind: 'offset', ms };
}

/**
 * Parses a spec string (see the module comment). Empty string = no faults.
 * @throws RangeError naming the item that is wrong.
 */
export function parseFaultSpec(spec: string): FaultSettings {
  const out: { -readonly [K in keyof FaultSettings]: FaultSettings[K] } = { ...NO_FAULTS };
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw bad(item, 'expected key=value');
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key in PROBABILITY_KEYS) {
      out[PROBABILITY_KEYS[key as keyof typeof PROBABILITY_KEYS]] = probability(item, value);
      continue;
    }
    switch (key) {
      case 'delay': {
        const [a, b = a] = value.split('-');
        const lo = parseDuration(a ?? '', 'ms');
        const hi = parseDuration(b ?? '', 'ms');
        if (lo === null || hi === null || hi < lo)
          throw bad(item, 'expected MS or MIN-MAX (bare numbers are ms)');
        out.delayMs = [lo, hi];
        break;
      }
      case 'expire-every': {
        const ms = parseDuration(value);
        if (ms === null || ms < 1000) throw bad(item, 'expected a duration of at least 1s');
        out.expireEveryMs = ms;
        break;
      }
      case 'reset-at':
        out.resetAt = value.split('|').map((w) => when(item, w.trim()));
        break;
      case 'unplug-at':
        out.unplugAt = value.split('|').map((part) => {
          const p = part.trim();
          const colon = p.lastIndexOf(':');
          if (colon <= 0) throw bad(item, 'expected WHEN:DURATION, e.g. 2h:30s or 03:00:30s');
          const durationMs = parseDuration(p.slice(colon + 1));
          if (durationMs === null || durationMs <= 0) throw bad(item, `bad duration in "${p}"`);
          return { at: when(item, p.slice(0, colon)), durationMs };
        });
        break;
      case 'unreachable':
        out.unreachable = value.split('|').map((part) => {
          const [a, b] = part.trim().split('-');
          const from = clockMinute(a ?? '');
          const to = clockMinute(b ?? '');
          if (from === null || to === null || from === to) throw bad(item, 'expected HH:MM-HH:MM');
          return { from, to };
        });
        break;
      default:
        throw bad(item, `unknown fault "${key}"`);
    }
  }
  return out;
}

function fmtDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function fmtMinute(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function fmtWhen(w: When): string {
  return w.kind === 'clock' ? fmtMinute(w.minute) : fmtDuration(w.ms);
}

/** The spec string of `settings` (only what differs from no faults); parses back to the same. */
export function formatFaultSpec(settings: FaultSettings): string {
  const items: string[] = [];
  for (const [key, field] of Object.entries(PROBABILITY_KEYS)) {
    if (settings[field] > 0) items.push(`${key}=${settings[field]}`);
  }
  const [lo, hi] = settings.delayMs;
  if (hi > 0) items.push(lo === hi ? `delay=${lo}` : `delay=${lo}-${hi}`);
  if (settings.expireEveryMs !== null) items.push(`expire-every=${fmtDuration(settings.expireEveryMs)}`);
  if (settings.resetAt.length > 0) items.push(`reset-at=${settings.resetAt.map(fmtWhen).join('|')}`);
  if (settings.unplugAt.length > 0) {
    items.push(
      `unplug-at=${settings.unplugAt.map((u) => `${fmtWhen(u.at)}:${fmtDuration(u.durationMs)}`).join('|')}`,
    );
  }
  if (settings.unreachable.length > 0) {
    items.push(
      `unreachable=${settings.unreachable.map((w) => `${fmtMinute(w.from)}-${fmtMinute(w.to)}`).join('|')}`,
    );
  }
  return items.join(',');
}

/** The instant `w` stands for, for a simulator started at `start`. */
export function resolveWhen(w: When, start: number): number {
  if (w.kind === 'offset') return start + w.ms;
  const at = jstStartOfDay(start) + w.minute * MINUTE_MS;
  return at >= start ? at : at + DAY_MS;
}

/** True when `t` lies in one of the daily windows. */
export function inDailyWindow(windows: readonly DailyWindow[], t: number): boolean {
  const m = jstMinuteOfDay(t);
  return windows.some((w) => (w.from < w.to ? m >= w.from && m < w.to : m >= w.from || m < w.to));
}
