/**
 * What goes wrong during a soak, and when. Two kinds of fault:
 *
 * - continuous ones, as the simulator's fault spec (`SOAK_FAULT_SPEC`): lost, corrupt and
 *   duplicated meter replies, `FAIL ER10` from SKSENDTO, extra reply delay, a PANA session
 *   lifetime of 6 h (EVENT 29 → re-authentication) of which some re-authentications fail
 *   (EVENT 24: the session must be rebuilt);
 * - timed events (`faultPlan`): the dongle rebooting by itself and being unplugged every day,
 *   the meter out of reach for hours, the database away for an hour, the path to the database
 *   silent for two hours (packets swallowed, no reset), the poller restarted after three hours
 *   down, the spool's disk full (and freed again) while the database is away, and the poller
 *   stopped while the database is silent (rows it holds must reach the spool, and the next run
 *   must replay them). Events never overlap (each one's effect can be told apart) and end
 *   at least an hour before the soak does, so their recovery is part of the run.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const SOAK_FAULT_SPEC =
  'drop=0.03,corrupt=0.02,duplicate=0.02,fail-er10=0.01,delay=0-1500,expire-every=6h,reauth-fail=0.2';

/** Every kind of timed event; a soak of any length has each at least once. */
export const SOAK_EVENT_KINDS = [
  'dongle-reset',
  'dongle-unplug',
  'meter-unreachable',
  'database-down',
  'database-silent',
  'poller-restart',
  'spool-disk-full',
  'stop-database-silent',
] as const;

export type SoakEventKind = (typeof SOAK_EVENT_KINDS)[number];

export interface SoakEvent {
  readonly kind: SoakEventKind;
  /** Offset from the start of the soak, simulated ms. */
  readonly atMs: number;
  /** How long the fault lasts (0 for a reset). */
  readonly durationMs: number;
}

/** Times of day (offsets within a day) tried in turn for the daily events. */
const RESET_CANDIDATES = [
  2 * HOUR + 17 * MIN,
  4 * HOUR + 41 * MIN,
  10 * HOUR + 53 * MIN,
  15 * HOUR + 5 * MIN,
  21 * HOUR + 29 * MIN,
];
const UNPLUG_CANDIDATES = [
  8 * HOUR + 43 * MIN,
  11 * HOUR + 7 * MIN,
  14 * HOUR + 19 * MIN,
  22 * HOUR + 31 * MIN,
  1 * HOUR + 13 * MIN,
];
/** Quiet time kept between two events. */
const GAP = 30 * MIN;

/**
 * The timed events of a soak of `days` (> 0, may be fractional ≥ 0.5), sorted by time. The
 * once-only events sit at fixed fractions of the run; the daily reset and unplug take the first
 * candidate time of their day that keeps clear of every other event.
 */
export function faultPlan(days: number): SoakEvent[] {
  if (!(days >= 0.5)) throw new RangeError(`a soak needs at least half a day, got ${days}`);
  const total = days * DAY;
  const at = (fraction: number) => Math.round((total * fraction) / MIN) * MIN;
  const events: SoakEvent[] = [
    { kind: 'meter-unreachable', atMs: at(0.28), durationMs: 3 * HOUR },
    { kind: 'database-down', atMs: at(0.5), durationMs: HOUR },
    { kind: 'database-silent', atMs: at(0.6), durationMs: 2 * HOUR },
    { kind: 'poller-restart', atMs: at(0.72), durationMs: 3 * HOUR },
    // The database away for an hour; the spool's disk full for its first half.
    { kind: 'spool-disk-full', atMs: at(0.43), durationMs: HOUR },
    // A stop while the database path is silent; the poller is back 30 minutes later.
    { kind: 'stop-database-silent', atMs: at(0.88), durationMs: 30 * MIN },
  ];
  if (days >= 3) events.push({ kind: 'meter-unreachable', atMs: at(0.9), durationMs: 2 * HOUR });
  const fits = (e: SoakEvent): boolean =>
    e.atMs >= HOUR &&
    e.atMs + e.durationMs <= total - HOUR &&
    events.every((o) => e.atMs + e.durationMs + GAP <= o.atMs || o.atMs + o.durationMs + GAP <= e.atMs);
  for (let d = 0; d < Math.ceil(days); d++) {
    const daily: [SoakEventKind, readonly number[], number][] = [
      ['dongle-reset', RESET_CANDIDATES, 0],
      // 2, 11, 20, 29 minutes: from a glitch to longer than a poll cycle and a half hour's EA/EB.
      ['dongle-unplug', UNPLUG_CANDIDATES, (2 + 9 * (d % 4)) * MIN],
    ];
    for (const [kind, candidates, durationMs] of daily) {
      for (let i = 0; i < candidates.length; i++) {
        const e = { kind, atMs: d * DAY + candidates[(d + i) % candidates.length]!, durationMs };
        if (fits(e)) {
          events.push(e);
          break;
        }
      }
    }
  }
  return events.sort((a, b) => a.atMs - b.atMs);
}
