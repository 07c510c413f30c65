/**
 * Query and draw: the two charts as functions of a database and a range. They refuse to draw an
 * empty range (a blank PNG says nothing) and turn database failures into GraphErrors.
 */
import { formatJstDateTime } from '@b-route/core';
import { isConnectionError, isRefusalError } from '@b-route/store';
import type { Kysely } from 'kysely';
import type { Database } from './db-types.js';
import { GraphError } from './errors.js';
import { isEmptyPowerData, type PowerData, queryPowerData } from './query/power.js';
import { queryTempData, type TempData } from './query/temp.js';
import type { ChartLayout } from './render/chart-canvas.js';
import type { ChartOptions } from './render/chart-style.js';
import { renderPowerChart } from './render/power-chart.js';
import { renderTempChart } from './render/temp-chart.js';
import type { TimeRange } from './time.js';

export interface DrawnChart<D> {
  readonly png: Buffer;
  readonly layout: ChartLayout;
  readonly data: D;
}

export interface PowerChartOptions extends ChartOptions {
  /** The meter (16 hex digits); default: the meter with the latest data in the range. */
  readonly meter?: string;
}

/**
 * @throws GraphError `range.empty` when the range holds no power, current or energy data;
 *   `db.unreachable` / `db.query` when the database fails; `font.missing`, `render.failed`.
 */
export async function drawPowerChart(
  db: Kysely<Database>,
  range: TimeRange,
  options: PowerChartOptions = {},
): Promise<DrawnChart<PowerData>> {
  const data = await withDb(() =>
    queryPowerData(db, range, options.meter === undefined ? {} : { meter: options.meter }),
  );
  if (isEmptyPowerData(data)) throw emptyRange(range, options.meter ? ` for meter ${options.meter}` : '');
  const { png, layout } = await renderPowerChart(data, options);
  return { png, layout, data };
}

export interface TempChartOptions extends ChartOptions {
  /** Serial sensor values to add, by name, or 'all' (see TempQueryOptions). */
  readonly serial?: readonly string[] | 'all';
}

/**
 * @throws GraphError `range.empty` when no sensor has data in the range; `db.unreachable` /
 *   `db.query`; `font.missing`, `render.failed`.
 */
export async function drawTempChart(
  db: Kysely<Database>,
  range: TimeRange,
  options: TempChartOptions = {},
): Promise<DrawnChart<TempData>> {
  const data = await withDb(() =>
    queryTempData(db, range, options.serial === undefined ? {} : { serial: options.serial }),
  );
  if (data.series.length === 0) throw emptyRange(range, '');
  const { png, layout } = await renderTempChart(data, options);
  return { png, layout, data };
}

function emptyRange(range: TimeRange, what: string): GraphError {
  return new GraphError(
    'range.empty',
    `no data between ${formatJstDateTime(range.start)} and ${formatJstDateTime(range.end)} (JST)${what}`,
    { context: { start: range.start.toISOString(), end: range.end.toISOString() } },
  );
}

async function withDb<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toGraphDbError(e);
  }
}

const STORE_CONNECTION_CODES = new Set(['store.unreachable', 'store.auth', 'store.embedded', 'store.config']);

/**
 * Trouble reaching the database, as far as a chart is concerned: what the store counts as a
 * connection error, a server that refused us, or a missing Unix socket (ENOENT: no server).
 */
function isConnectionFailure(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { code, name, errors } = e as { code?: unknown; name?: unknown; errors?: unknown };
  if (name === 'StoreError') return typeof code === 'string' && STORE_CONNECTION_CODES.has(code);
  if (isConnectionError(e) || isRefusalError(e) || code === 'ENOENT') return true;
  // pg tries IPv4 and IPv6 and reports both in an AggregateError.
  return Array.isArray(errors) && errors.some(isConnectionFailure);
}

/** A database failure as a GraphError: `db.unreachable` for connection trouble, else `db.query`. */
export function toGraphDbError(e: unknown): unknown {
  if (e instanceof GraphError) return e;
  const err = e as { code?: unknown; message?: unknown; name?: unknown; errors?: unknown };
  let reason = typeof err.message === 'string' && err.message !== '' ? err.message : '';
  if (reason === '' && Array.isArray(err.errors) && err.errors.length > 0)
    reason = String((err.errors[0] as Error).message);
  if (reason === '') reason = String(err.code ?? e);
  reason = reason.split('\n')[0]!;
  if (isConnectionFailure(e)) {
    // The store's own messages already name the server (host:port/database, no password).
    const message = err.name === 'StoreError' ? reason : `cannot reach the database: ${reason}`;
    return new GraphError('db.unreachable', message, { cause: e });
  }
  if (err.code === '42P01') {
    return new GraphError(
      'db.query',
      `the database has no B-route tables (${reason}): start the poller once, or apply migrations/init.sql`,
      { cause: e },
    );
  }
  return new GraphError('db.query', `database query failed: ${reason}`, { cause: e });
}
