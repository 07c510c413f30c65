/**
 * The poller's store: PostgreSQL (configured URL or the embedded server) migrated to the current
 * schema, a batched writer, and the on-disk spool behind it.
 *
 * A database that is unreachable at start does not stop the poller: rows go straight to the
 * spool (in order) while the connection and the migration are retried, and the writer that
 * takes over replays them first. Nothing is written to a database that has not been migrated,
 * so a fresh server coming up late cannot reject rows for missing tables.
 */
import type { Clock } from '@b-route/echonet';
import type { Database, RowKind, StoreEntry, StoreRows } from '@b-route/store';
import {
  type DatabaseHandle,
  type DatabaseTarget,
  isStoreError,
  migrate,
  openDatabase,
  Spool,
  type SpoolOptions,
  type StallWatch,
  StoreError,
  StoreWriter,
  type StoreWriterOptions,
  watchStalledConnections,
} from '@b-route/store';
import type { Kysely } from 'kysely';
import { databaseSlotFinder, type SlotFinder } from './backfill.js';
import { sleep, timerOn } from './clock.js';
import type { PollerLogger } from './poller.js';
import type { RowSink } from './sink.js';

export interface OpenStoreOptions {
  readonly target: DatabaseTarget;
  readonly spool: SpoolOptions;
  readonly clock: Clock;
  readonly logger: PollerLogger;
  /** Between attempts to reach a database that was away at start. Default 30 s. */
  readonly retryMs?: number;
  /**
   * A connection held this long (real ms) is taken for a silent network path and cut, so that
   * the rows go to the spool instead of waiting for the kernel's TCP timeout. Default 60 000.
   */
  readonly stallAfterMs?: number;
  /** Writer tuning (batch size, flush interval); its timer runs on `clock`. */
  readonly writer?: Partial<Omit<StoreWriterOptions, 'db' | 'spool' | 'timer' | 'logger'>>;
}

export interface PollerStore {
  readonly sink: RowSink;
  readonly slots: SlotFinder;
  /** `host:port/database`, safe to log. */
  readonly target: string;
  /** Resolves once the database is open and migrated. */
  readonly ready: Promise<void>;
  /** The writer, once the database is ready. */
  readonly writer: StoreWriter | undefined;
  /** True while rows reach the database (false before it was reached, and while it is away). */
  readonly online: boolean;
  /** Database connections cut because they went silent (see `stallAfterMs`). */
  readonly stalledConnectionsCut: number;
  /** Rows waiting in the on-disk spool for the database. */
  readonly spoolRows: number;
  /** Flushes (to the database, else the spool) and closes. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the spool, then the database. Only an unreachable server is waited for; anything else
 * is the operator's to fix.
 * @throws StoreError 'store.auth', 'store.config', 'store.embedded', 'store.migration', 'store.spool'.
 */
export async function openStore(options: OpenStoreOptions): Promise<PollerStore> {
  const { clock, logger } = options;
  const spool = await Spool.open({ ...options.spool, logger });
  const connect = async (): Promise<DatabaseHandle> => {
    const handle = await openDatabase({ ...options.target, logger });
    try {
      const result = await migrate(handle.db, { logger });
      if (result.applied.length > 0)
        logger.info({ applied: result.applied, version: result.version }, 'database schema migrated');
      return handle;
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
  };
  const makeWriter = (db: Kysely<Database>): StoreWriter =>
    new StoreWriter({ ...options.writer, db, spool, timer: timerOn(clock), logger });

  let handle: DatabaseHandle | undefined;
  try {
    handle = await connect();
  } catch (e) {
    if (!isStoreError(e, 'store.unreachable')) {
      await spool.close();
      throw e;
    }
    logger.warn(
      { reason: e.message },
      'database unreachable at start: keeping rows in the spool until it is back',
    );
  }

  const sink = new SwitchableSink(spool);
  let slotFinder: SlotFinder | undefined;
  let target = 'unknown';
  let watch: StallWatch | undefined;
  const useDatabase = (h: DatabaseHandle): void => {
    handle = h;
    watch = watchStalledConnections(h.pool, {
      afterMs: options.stallAfterMs ?? 60_000,
      logger,
      target: h.target,
    });
    target = h.target;
    slotFinder = databaseSlotFinder(h.db, clock);
    sink.attach(makeWriter(h.db));
  };
  let stopRetry = false;
  let ready: Promise<void>;
  if (handle) {
    useDatabase(handle);
    ready = Promise.resolve();
  } else {
    ready = (async () => {
      for (;;) {
        await sleep(clock, options.retryMs ?? 30_000);
        if (stopRetry) throw new StoreError('store.unreachable', 'stopped before the database was reachable');
        try {
          useDatabase(await connect());
          logger.info({ target }, 'database reachable: replaying the spool');
          return;
        } catch (e) {
          if (!isStoreError(e, 'store.unreachable')) {
            logger.error({ err: e }, 'cannot use the database; rows stay in the spool');
          }
        }
      }
    })();
    ready.catch(() => undefined);
  }

  let closing: Promise<void> | undefined;
  return {
    sink,
    slots: {
      slotsToFill: (meter, direction, from, to) => {
        if (!slotFinder)
          return Promise.reject(new StoreError('store.unreachable', 'the database is not open yet'));
        return slotFinder.slotsToFill(meter, direction, from, to);
      },
    },
    get target() {
      return target;
    },
    ready,
    get writer() {
      return sink.writer;
    },
    get online() {
      return sink.writer?.online ?? false;
    },
    get stalledConnectionsCut() {
      return watch?.cut ?? 0;
    },
    get spoolRows() {
      return spool.pendingRows;
    },
    close: () => {
      closing ??= (async () => {
        stopRetry = true;
        await sink.close();
        // The loops have stopped and the writer is done (or gave up on a silent database):
        // a connection still held now waits for an answer that is not coming.
        watch?.cutHeld();
        watch?.stop();
        // A connection still being opened to a silent server ends only at its connect timeout;
        // the rows are safe by now, so the stop does not wait for it.
        if (handle && (await settlesWithin(handle.close(), POOL_END_WAIT_MS)) === 'late') {
          logger.warn(
            { target, waitMs: POOL_END_WAIT_MS },
            'database connections still opening: left to the exit',
          );
        }
      })();
      return closing;
    },
  };
}

/** Longest the close waits for the pool to end, real ms. */
const POOL_END_WAIT_MS = 1000;

async function settlesWithin(work: Promise<unknown>, ms: number): Promise<'done' | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const done = work.then(
    () => 'done' as const,
    () => 'done' as const,
  );
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Rows go to the spool until a writer is attached, then to the writer. The writer replays the
 * spool before anything handed to it (it queues new rows behind a non-empty spool), so the order
 * of rows is kept across the switch.
 */
class SwitchableSink implements RowSink {
  readonly #spool: Spool;
  #writer: StoreWriter | undefined;
  #pending: StoreEntry[] = [];
  #appending: Promise<void> = Promise.resolve();

  constructor(spool: Spool) {
    this.#spool = spool;
  }

  get writer(): StoreWriter | undefined {
    return this.#writer;
  }

  add<K extends RowKind>(kind: K, row: StoreRows[K]): void {
    if (this.#writer) {
      this.#writer.add(kind, row);
      return;
    }
    this.#pending.push({ kind, row } as StoreEntry);
    if (this.#pending.length === 1) queueMicrotask(() => void this.#toSpool().catch(() => undefined));
  }

  async flush(): Promise<{ pending: number; buffered: number }> {
    if (this.#writer) return this.#writer.flush();
    await this.#toSpool();
    return { pending: this.#spool.pendingRows, buffered: this.#pending.length };
  }

  attach(writer: StoreWriter): void {
    this.#writer = writer;
    this.#handOver();
    // An append still under way lands in the spool; replay it once it is there.
    void this.#appending
      .catch(() => undefined)
      .then(() => writer.flush())
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.#appending.catch(() => undefined);
    if (this.#writer) {
      await this.#writer.close();
      return;
    }
    await this.#toSpool();
    await this.#spool.close();
  }

  /** Rows not yet spooled go to the writer, in order. */
  #handOver(): void {
    const writer = this.#writer;
    if (!writer) return;
    for (const entry of this.#pending.splice(0)) {
      (writer.add as (kind: RowKind, row: unknown) => void)(entry.kind, entry.row);
    }
  }

  #toSpool(): Promise<void> {
    this.#appending = this.#appending
      .catch(() => undefined)
      .then(async () => {
        const batch = this.#pending.splice(0);
        if (batch.length === 0) return;
        try {
          await this.#spool.append(batch);
        } catch (e) {
          this.#pending.unshift(...batch);
          this.#handOver();
          throw e;
        }
      });
    return this.#appending;
  }
}
