/**
 * Opening the store: a pg Pool wrapped in kysely, pointed at a configured server (`url`) or at
 * the embedded default (`embedded`). Both the poller and the graph commands open it this way.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type EmbeddedOptions, type EmbeddedServer, startEmbedded } from './embedded.js';
import { type StoreLogger, silentLogger } from './logger.js';
import type { Database } from './schema.js';
import { StoreError } from './store-error.js';

export type DatabaseTarget = { readonly url: string } | { readonly embedded: EmbeddedOptions };

export interface OpenDatabaseCommon {
  /** Maximum pooled connections; default 4 (one writer, a few readers). */
  readonly maxConnections?: number;
  /** Give up connecting after this long; default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * Close a pooled connection idle this long; default 600 000 ms. Longer than the poller's
   * 30-second cycle on purpose: a new connection costs a TCP handshake and a SCRAM-SHA-256 login
   * (4096 PBKDF2 rounds), several times the CPU of the insert it would carry.
   */
  readonly idleTimeoutMs?: number;
  /** Run `SELECT 1` before returning, so a wrong URL fails here; default true. */
  readonly verify?: boolean;
  readonly logger?: StoreLogger;
}

export type OpenDatabaseOptions = DatabaseTarget & OpenDatabaseCommon;

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly pool: pg.Pool;
  /** `host:port/database`, safe to log (no user, no password). */
  readonly target: string;
  /** The embedded server, when that is what was opened. */
  readonly embedded?: EmbeddedServer;
  /** Ends the pool. Leaves an embedded server running (see `embedded.ts`). Idempotent. */
  close(): Promise<void>;
}

// OIDs from pg_type: int8 (count(*), bigint columns) and numeric come back as text by default.
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Type parsers of our pools: bigint and numeric become numbers (kWh and counts fit in a double). */
export function storeTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, (v: string) => Number(v));
  types.setTypeParser(NUMERIC_OID, (v: string) => Number(v));
  return types;
}

/**
 * Opens the store. With `{ embedded }`, starts (or finds running) the embedded PostgreSQL first.
 * @throws StoreError 'store.unreachable' (server down, wrong host/port), 'store.auth' (login or
 *   database refused), 'store.config' (malformed URL), 'store.embedded' (embedded server failed).
 *   Messages name `host:port/database`, never the password.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const logger = options.logger ?? silentLogger;
  const embedded = 'embedded' in options ? await startEmbedded({ logger, ...options.embedded }) : undefined;
  const url = embedded ? embedded.url : (options as { url: string }).url;
  const target = describeTarget(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 600_000,
    // TCP keepalive notices a peer that vanished without a reset (cable pulled, host down).
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    types: storeTypes(),
  });
  // A connection that breaks emits 'error' on its client; with no listener that is an uncaught
  // exception. The pool listens while a client is idle; kysely does not while it holds one, so
  // every client gets its own listener (the query in flight still fails, and the pool discards
  // the broken client when it is released).
  pool.on('error', (e) => logger.warn({ target, reason: reasonOf(e) }, 'idle PostgreSQL connection lost'));
  pool.on('connect', (client) => {
    client.on('error', (e) => logger.debug({ target, reason: reasonOf(e) }, 'PostgreSQL connection lost'));
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= db.destroy();
    return closed;
  };
  if (options.verify ?? true) {
    try {
      await pool.query('SELECT 1');
    } catch (e) {
      await close().catch(() => undefined);
      throw toStoreError(e, target);
    }
  }
  return { db, pool, target, ...(embedded ? { embedded } : {}), close };
}

/**
 * `host:port/database` of a connection URL, without credentials.
 * @throws StoreError 'store.config' when `url` is not a postgres:// or postgresql:// URL.
 */
export function describeTarget(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new StoreError(
      'store.config',
      'the database URL is malformed (expected postgres://user:password@host:port/db)',
    );
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new StoreError(
      'store.config',
      `the database URL must start with postgres:// (got ${u.protocol}//)`,
    );
  }
  const host = u.searchParams.get('host') ?? (u.hostname === '' ? 'localhost' : u.hostname);
  const port = u.port === '' ? '5432' : u.port;
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default)';
  return `${host}:${port}/${database}`;
}

const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);
// SQLSTATE: class 08 connection exception; 57P01 admin shutdown, 57P02 crash shutdown,
// 57P03 cannot connect now (starting up or shutting down); 53300 too many connections.
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

// SQLSTATE: 28P01 wrong password, 28000 role refused (pg_hba.conf), 3D000 no such database.
const REFUSAL_SQLSTATES = new Set(['28P01', '28000', '3D000']);

/**
 * True when the server answered but refused us (password, role, database): waiting will not
 * help, so unlike `isConnectionError` it is not a reason to spool.
 */
export function isRefusalError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && REFUSAL_SQLSTATES.has(code);
}

/**
 * True when `e` means the server is not reachable right now (down, restarting, network gone) as
 * opposed to a problem with the statement or the data. The writer spools on these.
 */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof StoreError) return e.code === 'store.unreachable';
  if (typeof e !== 'object' || e === null) return false;
  const { code, message, errors } = e as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (CONNECTION_ERRNOS.has(code) || CONNECTION_SQLSTATES.has(code) || code.startsWith('08')) return true;
  }
  if (Array.isArray(errors) && errors.some(isConnectionError)) return true; // AggregateError (IPv4+IPv6)
  if (typeof message === 'string') {
    return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection timeout/i.test(
      message,
    );
  }
  return false;
}

/** Maps a pg/network error to a one-line StoreError naming `target`; other errors pass through. */
export function toStoreError(e: unknown, target: string): unknown {
  if (e instanceof StoreError) return e;
  if (isConnectionError(e)) {
    return new StoreError('store.unreachable', `cannot reach PostgreSQL at ${target}: ${reasonOf(e)}`, {
      context: { target },
      cause: e,
    });
  }
  if (isRefusalError(e)) {
    return new StoreError('store.auth', `PostgreSQL at ${target} refused us: ${reasonOf(e)}`, {
      context: { target, sqlstate: (e as { code: string }).code },
      cause: e,
    });
  }
  return e;
}

function reasonOf(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof err.message === 'string' && err.message !== '') return err.message.split('\n')[0] ?? '';
  if (Array.isArray(err.errors) && err.errors.length > 0) return reasonOf(err.errors[0]);
  return typeof err.code === 'string' ? err.code : String(e);
}

export interface StallWatch {
  /** Connections cut so far. */
  readonly cut: number;
  /**
   * Cuts every connection still held, however briefly: for closing, once nothing should be
   * using the pool, so that ending it does not wait for a query that will never answer.
   */
  cutHeld(): void;
  stop(): void;
}

/** What `watchStalledConnections` needs of a pg client: the socket under it. */
interface PooledClient {
  readonly connection?: { readonly stream?: { destroy(): void } };
}

/**
 * Drops every pooled connection held longer than `afterMs` by cutting its socket. A database path
 * that goes silent without a reset (a cable pulled, a host gone, a NAT forgetting the flow)
 * otherwise holds a write until the kernel gives up retransmitting, about 15 minutes; cut, the
 * query fails as a connection error and the writer turns to the spool at once. Meant for pools
 * whose queries are all short (the poller's writes and gap lookups), not for migrations or
 * chart queries.
 */
export function watchStalledConnections(
  pool: pg.Pool,
  options: { readonly afterMs: number; readonly logger?: StoreLogger; readonly target?: string },
): StallWatch {
  const logger = options.logger ?? silentLogger;
  const held = new Map<PooledClient, number>();
  let cut = 0;
  const drop = (client: PooledClient, since: number, now: number): void => {
    held.delete(client);
    cut++;
    logger.warn(
      { target: options.target, heldMs: now - since },
      'PostgreSQL connection silent: dropping it so the rows go to the spool',
    );
    client.connection?.stream?.destroy();
  };
  const onAcquire = (client: PooledClient) => held.set(client, Date.now());
  const onRelease = (_err: unknown, client: PooledClient) => held.delete(client);
  pool.on('acquire', onAcquire);
  pool.on('release', onRelease);
  const check = setInterval(
    () => {
      const now = Date.now();
      for (const [client, since] of held) if (now - since >= options.afterMs) drop(client, since, now);
    },
    Math.max(50, Math.floor(options.afterMs / 4)),
  );
  check.unref();
  return {
    get cut() {
      return cut;
    },
    cutHeld() {
      const now = Date.now();
      for (const [client, since] of held) drop(client, since, now);
    },
    stop() {
      clearInterval(check);
      pool.off('acquire', onAcquire);
      pool.off('release', onRelease);
      held.clear();
    },
  };
}
