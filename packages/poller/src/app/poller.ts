/**
 * The poller: one meter session, its polling loop, the INF stream, history backfill, and a loop
 * per sensor, all on one injected clock, writing to one sink. Every part is isolated: a sensor
 * that fails, a meter that is away or a database that is down never stops the others.
 *
 * Backfill runs at start, whenever the session is back to `ready` after a loss, when the
 * database is back after an outage (seen through `databaseOnline`, and retried every
 * `databaseRetryMs` while a pass finds it away), and a few minutes after every half hour as a
 * safety net (after the meter's EA/EB notification).
 */
import { HALF_HOUR_MS } from '@b-route/core';
import { type Clock, EOJ, type FixedTimeEnergy } from '@b-route/echonet';
import type { StoreLogger } from '@b-route/store';
import { nextBoundary, type ScheduleEntry } from '../schedule/schedule.js';
import { Backfill, type SlotFinder } from './backfill.js';
import { sleep, sleepUntil } from './clock.js';
import { MeterIdentity } from './meter-identity.js';
import { MeterPoller } from './meter-poller.js';
import type { MeterPort, ScanProgressLike } from './meter-port.js';
import { PlausibleSink } from './plausible-sink.js';
import { fixedTimeEntry } from './rows.js';
import { SensorLoop, type SensorSource } from './sensor-loop.js';
import { put, type RowSink } from './sink.js';

export type PollerLogger = StoreLogger & { child?(bindings: Record<string, unknown>): PollerLogger };

export interface PollerSensor {
  readonly source: SensorSource;
  readonly intervalMs: number;
}

export interface PollerOptions {
  /** The meter session; the poller opens it and closes it on `stop()`. Omit for sensors only. */
  readonly client?: MeterPort;
  readonly sink: RowSink;
  /** Where the backfill learns which slots are missing (`databaseSlotFinder(db, clock)`). */
  readonly slots?: SlotFinder;
  readonly clock: Clock;
  readonly logger: PollerLogger;
  /** Meter cycles; default `meterSchedule()` (E7+E8 30 s, E0+E3 5 min, D3/D7/E1 hourly). */
  readonly schedule?: readonly ScheduleEntry[];
  /** Fill missing 30-minute slots from E2/E4. Default true (needs `slots`). */
  readonly historyBackfill?: boolean;
  /** Days the meter keeps. Default 45. */
  readonly historyDays?: number;
  readonly sensors?: readonly PollerSensor[];
  /** First wait after a failed `open()`, doubling up to `openRetryMaxMs`. Default 5 s. */
  readonly openRetryMs?: number;
  /** Default 10 min. */
  readonly openRetryMaxMs?: number;
  /** Retry of a backfill that found the database away. Default 60 s. */
  readonly databaseRetryMs?: number;
  /** Whether the store reaches the database now (the writer's last attempt); watched every 30 s. */
  readonly databaseOnline?: () => boolean;
  /** Periodic backfill this long after each half hour. Default 3 min. */
  readonly safetyNetDelayMs?: number;
  /** An info line with the counters this often (on the hour for the default). Default 1 h. */
  readonly statusIntervalMs?: number;
}

export interface PollerStats {
  notifications: number;
  backfills: number;
  backfillRows: number;
}

export class Poller {
  readonly stats: PollerStats = { notifications: 0, backfills: 0, backfillRows: 0 };
  readonly identity = new MeterIdentity();
  readonly #values: PlausibleSink;
  /** The last backfill pass found the database away (logged once until a pass completes). */
  #backfillWaiting = false;
  readonly meterPoller: MeterPoller | undefined;
  readonly sensorLoops: readonly SensorLoop[];
  readonly #o: PollerOptions;
  readonly #log: PollerLogger;
  readonly #backfill: Backfill | undefined;
  readonly #abort = new AbortController();
  readonly #tasks: Promise<void>[] = [];
  /** The INF stream ends only when the session is closed; it adds no row once stopping. */
  #notificationsDone: Promise<void> = Promise.resolve();
  #started = false;
  #opened = false;
  #identified: Promise<void> | undefined;
  #resolveIdentified: (() => void) | undefined;
  #backfillRunning: Promise<void> | undefined;
  #backfillAgain = false;
  #databaseRetry: unknown;
  #stopping: Promise<void> | undefined;

  constructor(options: PollerOptions) {
    this.#o = options;
    this.#log = child(options.logger, 'poller');
    const { client, clock } = options;
    // Every meter value passes the plausibility check; sensor rows go straight to the store.
    this.#values = new PlausibleSink({
      sink: options.sink,
      digitsOf: (meter) => this.identity.factsFor(meter)?.digits,
      clock,
      logger: child(options.logger, 'poller:values'),
    });
    const sink = this.#values;
    this.meterPoller = client
      ? new MeterPoller({
          client,
          identity: this.identity,
          sink,
          implausible: (reason, detail) => this.#values.note(reason, detail),
          clock,
          logger: child(options.logger, 'poller:meter'),
          ...(options.schedule ? { schedule: options.schedule } : {}),
        })
      : undefined;
    this.#backfill =
      client && options.slots && (options.historyBackfill ?? true)
        ? new Backfill({
            client,
            identity: this.identity,
            sink,
            slots: options.slots,
            clock,
            logger: child(options.logger, 'poller:backfill'),
            ...(options.historyDays === undefined ? {} : { historyDays: options.historyDays }),
          })
        : undefined;
    this.sensorLoops = (options.sensors ?? []).map(
      (s) =>
        new SensorLoop({
          source: s.source,
          intervalMs: s.intervalMs,
          sink: options.sink,
          clock,
          logger: child(options.logger, `poller:${s.source.name}`),
        }),
    );
    this.#identified = new Promise((resolve) => {
      this.#resolveIdentified = resolve;
    });
  }

  /** Starts every loop in the background. */
  start(): void {
    if (this.#started) throw new Error('Poller.start() called twice');
    this.#started = true;
    const signal = this.#abort.signal;
    for (const loop of this.sensorLoops) this.#tasks.push(loop.run(signal));
    if (this.#o.client) this.#tasks.push(this.#meter(this.#o.client, signal));
    this.#tasks.push(this.#status(signal));
    if (this.#o.databaseOnline && this.#backfill)
      this.#tasks.push(this.#watchDatabase(this.#o.databaseOnline, signal));
  }

  /** Resolves once the meter is joined and identified (scale known); never when there is no meter. */
  whenIdentified(): Promise<void> {
    return this.#identified!;
  }

  /** Resolves when no backfill runs (the one under way, and a rerun it owes, are done). */
  async backfillIdle(): Promise<void> {
    while (this.#backfillRunning) await this.#backfillRunning;
  }

  /**
   * Asks for a backfill pass; a pass already running is followed by one more. Errors are logged.
   */
  requestBackfill(reason: string): void {
    if (!this.#backfill || this.#abort.signal.aborted) return;
    if (this.#backfillRunning) {
      this.#backfillAgain = true;
      return;
    }
    this.#backfillRunning = this.#runBackfill(this.#backfill, reason).finally(() => {
      this.#backfillRunning = undefined;
    });
  }

  /**
   * Stops every loop, then closes the meter session (SKTERM). `afterLoops` (e.g. the writer's
   * close) runs as soon as no loop can produce rows any more, alongside the session close.
   */
  stop(options: { afterLoops?: () => Promise<unknown> } = {}): Promise<void> {
    this.#stopping ??= (async () => {
      this.#abort.abort();
      this.#o.clock.clearTimeout(this.#databaseRetry);
      const closing = this.#o.client
        ?.close()
        .catch((err: unknown) => this.#log.warn({ err }, 'closing the meter session failed'));
      await Promise.allSettled(this.#tasks);
      await this.#backfillRunning?.catch(() => undefined);
      const after = options.afterLoops?.();
      await Promise.allSettled([closing, after, this.#notificationsDone]);
      if (after) await after;
    })();
    return this.#stopping;
  }

  async #meter(client: MeterPort, signal: AbortSignal): Promise<void> {
    // Every beacon of a scan (at start and in recovery) goes to scan_log: where the meter was
    // heard, on which channel and how well, which is what a user asks when a scan finds nothing.
    const onScan = (p: ScanProgressLike): void => {
      if (p.type !== 'beacon') return;
      this.#o.sink.add('scan_log', {
        time: new Date(this.#o.clock.now()),
        channel: p.channel,
        channel_page: p.channelPage,
        pan_id: p.panId,
        address: p.addr,
        lqi: p.lqi,
        pair_id: p.pairId ?? null,
        side: p.side ?? null,
      });
    };
    client.on('scan', onScan);
    try {
      await this.#meterSession(client, signal);
    } finally {
      client.off('scan', onScan);
    }
  }

  async #meterSession(client: MeterPort, signal: AbortSignal): Promise<void> {
    if (!(await this.#open(client, signal))) return;
    this.#opened = true;
    const onState = (state: string, previous: string): void => {
      if (state === 'ready' && previous !== 'ready' && this.#opened && !signal.aborted) {
        this.#log.info({ previous }, 'meter session back');
        void this.#identify(client, signal, 'reconnected');
      }
    };
    client.on('state', onState);
    try {
      this.#notificationsDone = this.#notifications(client, signal);
      const tasks = [this.meterPoller!.run(signal), this.#identify(client, signal, 'start')];
      if (this.#backfill) tasks.push(this.#safetyNet(signal));
      await Promise.all(tasks);
    } finally {
      client.off('state', onState);
    }
  }

  /** Opens the session, retrying with backoff until it works or the poller stops. */
  async #open(client: MeterPort, signal: AbortSignal): Promise<boolean> {
    const first = this.#o.openRetryMs ?? 5_000;
    const max = this.#o.openRetryMaxMs ?? 600_000;
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        await client.open();
        this.#log.info({ meter: client.pan?.mac }, 'meter session open');
        return true;
      } catch (err) {
        if (signal.aborted) return false;
        const delay = Math.min(max, first * 2 ** (attempt - 1));
        this.#log.error(
          { err, attempt, retryInS: Math.round(delay / 1000) },
          'cannot open the meter session',
        );
        try {
          await sleep(this.#o.clock, delay, signal);
        } catch {
          return false;
        }
      }
    }
    return false;
  }

  /** Identity and scale, retried until answered; then a backfill pass. */
  async #identify(client: MeterPort, signal: AbortSignal, reason: string): Promise<void> {
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        const row = await this.identity.identify(client, () => this.#o.clock.now(), { signal });
        put(this.#values, { kind: 'meter', row });
        this.#log.info(
          {
            meter: row.meter,
            serial: row.serial,
            manufacturer: row.manufacturer,
            coefficient: row.coefficient,
            unitKwh: row.unit_kwh,
            digits: row.digits,
          },
          'meter identified',
        );
        this.#resolveIdentified?.();
        this.requestBackfill(reason);
        return;
      } catch (err) {
        if (signal.aborted) return;
        this.#log.warn({ err, attempt }, 'meter identification failed; retrying');
        try {
          await sleep(this.#o.clock, Math.min(300_000, 10_000 * attempt), signal);
        } catch {
          return;
        }
      }
    }
  }

  /** INF/INFC from the meter: EA/EB become 'fixed-time' slot values. Ends when the client closes. */
  async #notifications(client: MeterPort, signal: AbortSignal): Promise<void> {
    const log = child(this.#o.logger, 'poller:inf');
    try {
      for await (const n of client.notifications()) {
        if (signal.aborted) break;
        if (n.seoj !== EOJ.smartMeter) continue;
        this.stats.notifications++;
        const meter = client.pan?.mac;
        const facts = this.identity.factsFor(meter);
        if (!meter || !facts) {
          log.debug({}, 'notification before the meter was identified; the backfill covers it');
          continue;
        }
        for (const p of n.properties) {
          if (p.value === undefined || p.value === null) continue;
          put(this.#values, fixedTimeEntry(meter, p.epc, p.value as FixedTimeEnergy, facts.scale));
        }
      }
    } catch (err) {
      if (!signal.aborted) log.warn({ err }, 'notification stream failed');
    }
  }

  /** A backfill pass a little after every half hour, until stopped. */
  async #safetyNet(signal: AbortSignal): Promise<void> {
    const delay = this.#o.safetyNetDelayMs ?? 3 * 60_000;
    const { clock } = this.#o;
    while (!signal.aborted) {
      const at = Math.floor((clock.now() - delay) / HALF_HOUR_MS + 1) * HALF_HOUR_MS + delay;
      try {
        await sleepUntil(clock, at, signal);
      } catch {
        return;
      }
      this.requestBackfill('periodic');
    }
  }

  /** A backfill pass when the database comes back after an outage. */
  async #watchDatabase(online: () => boolean, signal: AbortSignal): Promise<void> {
    let was = online();
    while (!signal.aborted) {
      try {
        await sleep(this.#o.clock, 30_000, signal);
      } catch {
        return;
      }
      const now = online();
      if (now && !was) this.requestBackfill('database back');
      was = now;
    }
  }

  /** What happened since start, every `statusIntervalMs`: enough to see at a glance that rows flow. */
  async #status(signal: AbortSignal): Promise<void> {
    const every = this.#o.statusIntervalMs ?? 3600_000;
    const { clock } = this.#o;
    while (!signal.aborted) {
      try {
        await sleepUntil(clock, nextBoundary(every, clock.now()), signal);
      } catch {
        return;
      }
      const meter = this.meterPoller?.stats;
      this.#log.info(
        {
          session: this.#o.client?.state,
          polls: meter?.polls,
          pollFailures: meter?.failures,
          meterRows: meter?.rows,
          notifications: this.stats.notifications,
          implausible: this.#values.stats,
          foreignFrames: this.#o.client?.stats?.foreignFrames,
          backfillRows: this.stats.backfillRows,
          sensors: Object.fromEntries(
            this.sensorLoops.map((l, i) => [this.#o.sensors![i]!.source.name, { ...l.stats }]),
          ),
        },
        'status',
      );
    }
  }

  async #runBackfill(backfill: Backfill, reason: string): Promise<void> {
    const signal = this.#abort.signal;
    do {
      this.#backfillAgain = false;
      try {
        const outcome = await backfill.run(signal);
        this.stats.backfills++;
        this.#log.debug({ reason, ...outcome }, 'backfill pass done');
        if (outcome.status === 'done') {
          this.stats.backfillRows += outcome.rows;
          this.#backfillWaiting = false;
        } else if (outcome.status === 'database-away') {
          // Once per outage: the retry every minute would otherwise log a line each time.
          if (!this.#backfillWaiting) this.#log.info({ reason }, 'database away: backfill waits for it');
          this.#backfillWaiting = true;
          this.#retryBackfillLater();
        }
      } catch (err) {
        if (signal.aborted) return;
        this.#log.warn({ err, reason }, 'backfill stopped; the next trigger resumes it');
      }
      reason = 'rerun';
    } while (this.#backfillAgain && !signal.aborted);
  }

  #retryBackfillLater(): void {
    const { clock } = this.#o;
    clock.clearTimeout(this.#databaseRetry);
    this.#databaseRetry = clock.setTimeout(
      () => this.requestBackfill('database retry'),
      this.#o.databaseRetryMs ?? 60_000,
    );
  }
}

function child(logger: PollerLogger, ns: string): PollerLogger {
  return logger.child ? logger.child({ ns }) : logger;
}
