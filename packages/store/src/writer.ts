/**
 * Batched, idempotent writes with an on-disk spool while PostgreSQL is away.
 *
 * - Rows are buffered and written in one transaction per batch: when `maxBatch` rows are
 *   waiting, or `flushIntervalMs` after the first row of a batch, or on `flush()`/`close()`.
 * - Writing a row twice is harmless: sample tables use ON CONFLICT (primary key) DO NOTHING,
 *   so the first value stored for (meter|sensor, time) stays.
 * - energy_interval keeps the first value of a slot, except that a value the meter recorded
 *   itself ('history' from E2/E4/EC, 'fixed-time' from EA/EB) replaces one we derived from a
 *   poll of E0/E3 near the boundary ('poll'): the meter's own record is exact, a poll is read
 *   seconds after the boundary.
 * - meter rows are upserts: given fields overwrite, absent ones keep their value, last_seen only
 *   moves forward and first_seen only backward.
 * - A connection failure sends the batch to the spool; while the spool holds rows every new
 *   batch goes behind them, and replay (every `retryIntervalMs`) writes them back in order.
 * - A row the database rejects (a CHECK or NOT NULL violation, a bad value) is isolated by
 *   retrying the batch row by row, logged with its table and dropped, so it cannot block the
 *   rows behind it forever.
 */
import type { Kysely, Transaction } from 'kysely';
import { isConnectionError } from './db.js';
import { type StoreLogger, silentLogger } from './logger.js';
import type { MeterUpsert, RowKind, StoreEntry, StoreRows } from './rows.js';
import type { Database, EnergyIntervalSource, NewEnergyInterval, NewMeter } from './schema.js';
import type { Spool } from './spool.js';

/** Schedules `fn` after `ms`; returns a function that cancels it. Injected by tests. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

export const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

export interface StoreWriterOptions {
  readonly db: Kysely<Database>;
  /** Where rows go while the database is unreachable; without it they wait in memory. */
  readonly spool?: Spool;
  /** Rows per insert transaction; default 500. */
  readonly maxBatch?: number;
  /** Longest a row waits in memory before a write is attempted; default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** Delay between attempts to reach the database while it is away; default 5000 ms. */
  readonly retryIntervalMs?: number;
  /** Rows kept in memory without a spool (or when the spool fails) before the oldest go; default 50 000. */
  readonly maxBuffered?: number;
  /**
   * Longest `close()` waits for the database, real ms; then whatever is still only in memory
   * (the buffer and a batch the database has not confirmed) goes to the spool, so a stop bounded
   * by a hard exit loses nothing. Default 3000; only with a spool.
   */
  readonly closeDeadlineMs?: number;
  readonly timer?: SetTimer;
  readonly logger?: StoreLogger;
}

export interface FlushResult {
  /** Rows stored in the database by this flush (replayed spool rows included). */
  readonly written: number;
  /** Rows this flush put in the spool. */
  readonly spooled: number;
  /** Rows still in the spool afterwards. */
  readonly pending: number;
  /** Rows still in memory afterwards (database away and no usable spool). */
  readonly buffered: number;
}

export interface WriterStats {
  written: number;
  spooled: number;
  rejected: number;
  droppedFromMemory: number;
  /** Appends the spool refused (disk full, read-only); the rows stayed in memory. */
  spoolFailures: number;
}

const SOURCE_RANK: Readonly<Record<EnergyIntervalSource, number>> = { history: 2, 'fixed-time': 2, poll: 1 };

export class StoreWriter {
  readonly stats: WriterStats = {
    written: 0,
    spooled: 0,
    rejected: 0,
    droppedFromMemory: 0,
    spoolFailures: 0,
  };
  private readonly db: Kysely<Database>;
  private readonly spool: Spool | undefined;
  private readonly maxBatch: number;
  private readonly flushIntervalMs: number;
  private readonly retryIntervalMs: number;
  private readonly maxBuffered: number;
  private readonly closeDeadlineMs: number;
  private readonly timer: SetTimer;
  private readonly logger: StoreLogger;
  private buffer: StoreEntry[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private cancelTimer: (() => void) | undefined;
  private timerImmediate = false;
  private reachable = true;
  private closed = false;
  /** A batch taken from the buffer whose transaction has not ended yet. */
  private inFlight: readonly StoreEntry[] | undefined;
  /** Set once close() gave up on the database and put the rest in the spool. */
  private abandoned = false;
  /** The last append to the spool failed. */
  private spoolFailing = false;

  constructor(options: StoreWriterOptions) {
    this.db = options.db;
    this.spool = options.spool;
    this.maxBatch = options.maxBatch ?? 500;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.retryIntervalMs = options.retryIntervalMs ?? 5000;
    this.maxBuffered = options.maxBuffered ?? 50_000;
    this.closeDeadlineMs = options.closeDeadlineMs ?? 3000;
    this.timer = options.timer ?? realTimer;
    this.logger = options.logger ?? silentLogger;
    if ((this.spool?.pendingRows ?? 0) > 0) this.schedule(0);
  }

  /** Whether the last attempt to reach the database succeeded. */
  get online(): boolean {
    return this.reachable;
  }

  /** Rows waiting in memory. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Queues one row. Never throws for database trouble; see the class comment. */
  add<K extends RowKind>(kind: K, row: StoreRows[K]): void {
    if (this.closed) throw new Error('StoreWriter.add after close()');
    this.buffer.push({ kind, row } as StoreEntry);
    if (this.buffer.length >= this.maxBatch) this.schedule(0);
    else this.schedule(this.flushIntervalMs);
  }

  /**
   * Writes what is buffered (and replays the spool); resolves when done. Database trouble does
   * not reject: the result says where the rows went.
   * @throws StoreError 'store.spool' only if the spool itself fails and the rows cannot be kept.
   */
  flush(): Promise<FlushResult> {
    const run = this.chain.then(() => this.flushOnce());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Final flush, then closes the spool's open segment; afterwards `add` throws. Rows the
   * database cannot take stay in the spool for the next run. A database that neither answers
   * nor fails within `closeDeadlineMs` is given up on: the rows still in memory go to the spool.
   */
  async close(): Promise<FlushResult> {
    this.closed = true;
    const flushing = this.flush();
    let result: FlushResult;
    if (!this.spool) {
      result = await flushing;
    } else {
      let cancel: (() => void) | undefined;
      const late = new Promise<'late'>((resolve) => {
        cancel = realTimer(() => resolve('late'), this.closeDeadlineMs);
      });
      const first = await Promise.race([flushing, late]).finally(() => cancel?.());
      if (first !== 'late') {
        result = first;
      } else {
        flushing.catch(() => undefined);
        result = await this.abandonToSpool(this.spool);
      }
    }
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (!this.abandoned) await this.spool?.close();
    if (result.buffered > 0) {
      this.logger.error(
        { rows: result.buffered, spool: this.spool?.dir },
        'database away and the spool refused them: rows in memory are lost with this stop',
      );
    }
    return result;
  }

  /** close() past its deadline: the buffer and the unconfirmed batch go to a final spool segment. */
  private async abandonToSpool(spool: Spool): Promise<FlushResult> {
    this.abandoned = true;
    const rows = [...(this.inFlight ?? []), ...this.buffer.splice(0)];
    this.inFlight = undefined;
    this.logger.warn(
      { rows: rows.length, deadlineMs: this.closeDeadlineMs },
      'database did not finish the last write in time: rows kept in the spool for the next start',
    );
    await spool.appendFinal(rows);
    this.stats.spooled += rows.length;
    return { written: 0, spooled: rows.length, pending: spool.pendingRows, buffered: 0 };
  }

  /** Arms the flush timer unless one is armed already (an immediate one replaces a delayed one). */
  private schedule(ms: number): void {
    if (this.closed && ms > 0) return;
    if (this.cancelTimer && (this.timerImmediate || ms > 0)) return;
    this.cancelTimer?.();
    this.timerImmediate = ms === 0;
    this.cancelTimer = this.timer(() => {
      this.cancelTimer = undefined;
      this.flush().catch((e: unknown) => this.logger.error({ err: e }, 'store flush failed'));
    }, ms);
  }

  private async flushOnce(): Promise<FlushResult> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    let written = 0;
    let spooled = 0;
    try {
      while (this.buffer.length > 0 || (this.spool?.pendingRows ?? 0) > 0) {
        if (this.spool && this.spool.pendingRows > 0) {
          // Rows behind a non-empty spool go into it, so the database sees everything in order.
          const batch = this.buffer.splice(0);
          // A spool that cannot take them (disk full) keeps them in memory, ahead of nothing
          // newer: the replay is still tried, and once it has emptied the spool they go
          // straight to the database.
          if (batch.length > 0 && (await this.toSpool(batch))) spooled += batch.length;
          const outcome = await this.spool.replay((entries) => this.write(entries), this.maxBatch);
          written += outcome.rows;
          if (this.abandoned) break;
          if (outcome.error !== undefined) {
            if (!isConnectionError(outcome.error)) throw outcome.error;
            this.markUnreachable(outcome.error);
            break;
          }
          this.markReachable(outcome.rows);
          continue;
        }
        const batch = this.buffer.splice(0, this.maxBatch);
        this.inFlight = batch;
        try {
          await this.write(batch);
          if (this.abandoned) break;
        } catch (e) {
          if (this.abandoned) break;
          if (!isConnectionError(e) || !this.spool) {
            this.buffer.unshift(...batch);
            if (!isConnectionError(e)) throw e;
            this.markUnreachable(e);
            break;
          }
          this.markUnreachable(e);
          if (!(await this.toSpool(batch))) break;
          spooled += batch.length;
          continue; // the rest of the buffer follows it into the spool
        }
        written += batch.length;
        this.markReachable(0);
      }
    } finally {
      this.inFlight = undefined;
      this.trimBuffer();
      if (this.buffer.length > 0 || (this.spool?.pendingRows ?? 0) > 0) this.schedule(this.retryIntervalMs);
    }
    return {
      written,
      spooled,
      pending: this.spool?.pendingRows ?? 0,
      buffered: this.buffer.length,
    };
  }

  private async toSpool(batch: StoreEntry[]): Promise<boolean> {
    try {
      await this.spool!.append(batch);
      this.stats.spooled += batch.length;
      if (this.spoolFailing) {
        this.spoolFailing = false;
        this.logger.info({ spool: this.spool!.dir }, 'spool writable again');
      }
      return true;
    } catch (e) {
      // Once per episode: a full disk fails every retry, and the log may be on that disk too.
      if (!this.spoolFailing) {
        this.spoolFailing = true;
        this.logger.error({ err: e, rows: batch.length }, 'cannot spool rows; keeping them in memory');
      }
      this.stats.spoolFailures += 1;
      this.buffer.unshift(...batch);
      return false;
    }
  }

  private trimBuffer(): void {
    const excess = this.buffer.length - this.maxBuffered;
    if (excess <= 0) return;
    this.buffer.splice(0, excess);
    this.stats.droppedFromMemory += excess;
    this.logger.error(
      { dropped: excess },
      'database away and no usable spool: dropped the oldest rows in memory',
    );
  }

  private markUnreachable(e: unknown): void {
    if (!this.reachable) return;
    this.reachable = false;
    this.logger.warn(
      { reason: (e as Error).message, spool: this.spool?.dir },
      this.spool
        ? 'database unreachable: spooling rows to disk'
        : 'database unreachable: holding rows in memory',
    );
  }

  private markReachable(replayed: number): void {
    if (this.reachable) return;
    this.reachable = true;
    this.logger.info({ replayed }, 'database reachable again');
  }

  /**
   * Stores entries in one transaction. Connection errors propagate; if the database rejects
   * the batch for its content, rows are retried one by one and the offending ones dropped.
   */
  private async write(entries: readonly StoreEntry[]): Promise<void> {
    try {
      await this.db.transaction().execute((trx) => insertAll(trx, entries));
      this.stats.written += entries.length;
      return;
    } catch (e) {
      // Once close() gave up, the pool is cut and destroyed under this batch: its failure
      // ("driver has already been destroyed") says nothing about the rows, which are spooled.
      if (isConnectionError(e) || this.abandoned) throw e;
      if (entries.length === 1) {
        this.reject(entries[0]!, e);
        return;
      }
    }
    for (const entry of entries) {
      try {
        await insertAll(this.db, [entry]);
        this.stats.written += 1;
      } catch (e) {
        if (isConnectionError(e) || this.abandoned) throw e;
        this.reject(entry, e);
      }
    }
  }

  private reject(entry: StoreEntry, e: unknown): void {
    this.stats.rejected += 1;
    const { code, message } = e as { code?: string; message?: string };
    this.logger.error(
      { table: entry.kind, sqlstate: code, reason: message },
      'database rejected a row; dropped it',
    );
  }
}

type Executor = Kysely<Database> | Transaction<Database>;

async function insertAll(db: Executor, entries: readonly StoreEntry[]): Promise<void> {
  const groups = new Map<RowKind, unknown[]>();
  for (const e of entries) {
    const list = groups.get(e.kind) ?? [];
    list.push(e.row);
    groups.set(e.kind, list);
  }
  for (const [kind, rows] of groups) {
    switch (kind) {
      case 'meter':
        for (const row of mergeMeters(rows as MeterUpsert[])) await upsertMeter(db, row);
        break;
      case 'energy_interval':
        await insertIntervals(db, rows as NewEnergyInterval[]);
        break;
      case 'scan_log':
        await db
          .insertInto('scan_log')
          .values(rows as StoreRows['scan_log'][])
          .execute();
        break;
      default:
        await db
          .insertInto(kind)
          .values(rows as StoreRows['power_sample'][])
          .onConflict((oc) => oc.doNothing())
          .execute();
    }
  }
}

async function insertIntervals(db: Executor, rows: NewEnergyInterval[]): Promise<void> {
  // One INSERT … ON CONFLICT DO UPDATE may not touch a key twice: settle duplicates here first,
  // with the same rule the statement applies.
  const best = new Map<string, NewEnergyInterval>();
  for (const r of rows) {
    const key = `${r.meter}|${r.direction}|${new Date(r.slot).getTime()}`;
    const held = best.get(key);
    if (!held || SOURCE_RANK[r.source] > SOURCE_RANK[held.source]) best.set(key, r);
  }
  await db
    .insertInto('energy_interval')
    .values([...best.values()])
    .onConflict((oc) =>
      oc
        .columns(['meter', 'direction', 'slot'])
        .doUpdateSet((eb) => ({
          kwh: eb.ref('excluded.kwh'),
          count: eb.ref('excluded.count'),
          source: eb.ref('excluded.source'),
        }))
        .where('energy_interval.source', '=', 'poll')
        .where('excluded.source', '<>', 'poll'),
    )
    .execute();
}

const METER_FIELDS = ['serial', 'manufacturer', 'coefficient', 'unit_kwh', 'digits'] as const;

/** Several sightings of one meter in a batch become one, later fields winning. */
function mergeMeters(rows: readonly MeterUpsert[]): MeterUpsert[] {
  const byMeter = new Map<string, MeterUpsert>();
  for (const r of rows) {
    const held = byMeter.get(r.meter);
    if (!held) {
      byMeter.set(r.meter, r);
      continue;
    }
    const merged: Record<string, unknown> = { ...held };
    for (const f of METER_FIELDS) if (r[f] !== undefined) merged[f] = r[f];
    merged.seen = new Date(r.seen) > new Date(held.seen) ? r.seen : held.seen;
    byMeter.set(r.meter, merged as unknown as MeterUpsert);
  }
  return [...byMeter.values()];
}

async function upsertMeter(db: Executor, row: MeterUpsert): Promise<void> {
  const given = METER_FIELDS.filter((f) => row[f] !== undefined);
  const values: Record<string, unknown> = { meter: row.meter, first_seen: row.seen, last_seen: row.seen };
  for (const f of given) values[f] = row[f];
  await db
    .insertInto('meter')
    .values(values as unknown as NewMeter)
    .onConflict((oc) =>
      oc.column('meter').doUpdateSet((eb) => {
        const set: Record<string, unknown> = {
          last_seen: eb.fn('greatest', ['meter.last_seen', 'excluded.last_seen']),
          first_seen: eb.fn('least', ['meter.first_seen', 'excluded.first_seen']),
        };
        for (const f of given) set[f] = eb.ref(`excluded.${f}`);
        return set as { last_seen: never };
      }),
    )
    .execute();
}
