/**
 * Copies the original power-consumption's tables into ours: from the store's own database (its
 * tables in schema `legacy`, where init.sql moved the colliding scan_log, or `public`) or from
 * another database. Batches of rows by id; each batch is written together with the last id it
 * covered in `legacy.import_progress`, in one transaction, so an interrupted import resumes where
 * it stopped and never leaves a batch half-written. Rows already imported are skipped by key, so
 * a second run adds nothing even without the progress table.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { LEGACY_TABLES, type LegacySensorNames, type LegacyTable } from './legacy-tables.js';

export interface LegacyImportOptions {
  /** Our database (migrated). */
  readonly target: pg.Pool;
  /** The original's database; the target when they are the same. */
  readonly source: pg.Pool;
  /** Names the source in the progress table (host/db, no password); 'same' when source = target. */
  readonly sourceKey: string;
  /** IANA zone the Pi's clock was set to (created_at is local time without zone). */
  readonly timezone: string;
  readonly meter: string;
  readonly sensors: LegacySensorNames;
  /** Rows per batch. Default 20000. */
  readonly batchRows?: number;
  /** Called after each batch. */
  readonly onProgress?: (table: string, done: number, total: number) => void;
}

export interface TableSummary {
  readonly table: string;
  /** Where it was read from (`legacy.scan_log`), or undefined when the source has no such table. */
  readonly from: string | undefined;
  /** Rows read by this run (rows imported by an earlier run are not read again). */
  readonly read: number;
  /** Rows added to each of our tables. */
  readonly added: Readonly<Record<string, number>>;
  readonly bad: number;
  /** Rows imported without some value (see `examples`). */
  readonly partial: number;
  /** The first few problems, `id 12: reason`. */
  readonly examples: readonly string[];
  /** Wall-clock seconds this table took. */
  readonly seconds: number;
}

const EXAMPLES = 5;

/** Where the source keeps `table`: legacy.<table> first, then public.<table>, if it has the original's layout. */
export async function findLegacyTable(source: pg.Pool, table: LegacyTable): Promise<string | undefined> {
  for (const schema of ['legacy', 'public']) {
    const { rows } = await source.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`,
      [schema, table.name, table.marker],
    );
    if (rows.length > 0) return `${schema}.${table.name}`;
  }
  return undefined;
}

/** The meter of the original's most recent scan (EPANDESC Addr), if it kept any. */
export async function legacyScannedMeter(source: pg.Pool): Promise<string | undefined> {
  const scan = LEGACY_TABLES.find((t) => t.name === 'scan_log')!;
  const from = await findLegacyTable(source, scan);
  if (!from) return undefined;
  const { rows } = await source.query<{ addr: string }>(
    `SELECT addr FROM ${from} WHERE addr ~* '^[0-9a-f]{16}$' ORDER BY created_at DESC, id DESC LIMIT 1`,
  );
  return rows[0]?.addr.toUpperCase();
}

export async function ensureProgressTable(target: pg.Pool): Promise<void> {
  await target.query(`CREATE SCHEMA IF NOT EXISTS legacy`);
  await target.query(`CREATE TABLE IF NOT EXISTS legacy.import_progress (
    source     text NOT NULL,
    table_name text NOT NULL,
    last_id    bigint NOT NULL,
    rows_read  bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, table_name))`);
}

/**
 * Imports every legacy table the source has.
 * @throws the first database error; batches committed before it stay, and a new run resumes
 *   after them.
 */
export async function importLegacy(options: LegacyImportOptions): Promise<TableSummary[]> {
  await ensureProgressTable(options.target);
  // power_log (a row a minute) beside the rest (a row every few minutes each): the two streams
  // write different tables, and the server's work, not the network, is what takes the time.
  const [power, ...rest] = LEGACY_TABLES;
  const others = (async () => {
    const out: TableSummary[] = [];
    for (const table of rest) out.push(await importTable(options, table));
    return out;
  })();
  const first = importTable(options, power!);
  const [a, b] = await Promise.allSettled([first, others]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, ...b.value];
}

async function importTable(options: LegacyImportOptions, table: LegacyTable): Promise<TableSummary> {
  const from = await findLegacyTable(options.source, table);
  const added: Record<string, number> = {};
  const summary = {
    table: table.name,
    from,
    read: 0,
    added,
    bad: 0,
    partial: 0,
    examples: [] as string[],
    seconds: 0,
  };
  if (!from) return summary;
  const started = performance.now();
  const { target, source } = options;
  const batchRows = options.batchRows ?? 20_000;
  const progress = await target.query<{ last_id: string | number }>(
    `SELECT last_id FROM legacy.import_progress WHERE source = $1 AND table_name = $2`,
    [options.sourceKey, table.name],
  );
  let lastId = Number(progress.rows[0]?.last_id ?? -1);
  const { rows: countRows } = await source.query<{ n: string | number }>(
    `SELECT count(*) AS n FROM ${from} WHERE id > $1`,
    [lastId],
  );
  const total = Number(countRows[0]!.n);
  // Unix seconds (float8, microseconds exact) travel both ways faster than Dates.
  const select = `SELECT id, extract(epoch FROM created_at AT TIME ZONE $1)::float8 AS epoch, ${table.columns}
    FROM ${from} WHERE id > $2 ORDER BY id LIMIT $3`;
  const ctx = { meter: options.meter, sensors: options.sensors };
  const fetch = (after: number) => source.query(select, [options.timezone, after, batchRows]);
  // The next batch is read while this one is written.
  let next = fetch(lastId);
  next.catch(() => undefined);
  for (;;) {
    const { rows } = await next;
    if (rows.length === 0) break;
    next = fetch(Number(rows[rows.length - 1]!.id));
    next.catch(() => undefined);
    const client = await target.connect();
    try {
      await client.query('BEGIN');
      const result = await table.write(client, rows, ctx);
      const batchLast = Number(rows[rows.length - 1]!.id);
      await client.query(
        `INSERT INTO legacy.import_progress (source, table_name, last_id, rows_read) VALUES ($1, $2, $3, $4)
         ON CONFLICT (source, table_name) DO UPDATE
           SET last_id = EXCLUDED.last_id, rows_read = legacy.import_progress.rows_read + EXCLUDED.rows_read, updated_at = now()`,
        [options.sourceKey, table.name, batchLast, rows.length],
      );
      await client.query('COMMIT');
      lastId = batchLast;
      summary.read += rows.length;
      for (const [k, n] of Object.entries(result.added)) added[k] = (added[k] ?? 0) + n;
      summary.bad += result.bad.length;
      summary.partial += result.partial.length;
      for (const p of [...result.bad, ...result.partial]) {
        if (summary.examples.length < EXAMPLES) summary.examples.push(`id ${p.id}: ${p.reason}`);
      }
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    options.onProgress?.(table.name, summary.read, total);
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
