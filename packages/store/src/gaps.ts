/**
 * Queries behind "no lost data": which 30-minute slots lack a cumulative value (to fetch them
 * from the meter's history, EPC E2/E4 for a day or EC for a run of slots), and where each series
 * stopped.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, EnergyDirection } from './schema.js';

/**
 * The 30-minute boundaries `slot` with `from ≤ slot < to` that have no energy_interval row for
 * this meter and direction, oldest first. Boundaries are whole and half hours; Japan (UTC+9) has
 * no half-hour offset, so they are the same instants in UTC and in meter time.
 */
export async function missingIntervalSlots(
  db: Kysely<Database>,
  meter: string,
  direction: EnergyDirection,
  from: Date,
  to: Date,
): Promise<Date[]> {
  const result = await sql<{ slot: Date }>`
    SELECT s.slot
    FROM generate_series(
      to_timestamp(ceil(extract(epoch FROM ${from}::timestamptz) / 1800) * 1800),
      ${to}::timestamptz,
      interval '30 minutes'
    ) AS s(slot)
    WHERE s.slot < ${to}::timestamptz
      AND NOT EXISTS (
        SELECT 1 FROM energy_interval e
        WHERE e.meter = ${meter} AND e.direction = ${direction} AND e.slot = s.slot
      )
    ORDER BY s.slot`.execute(db);
  return result.rows.map((r) => r.slot);
}

/** The newest energy_interval slot of a meter and direction, or undefined when it has none. */
export async function latestIntervalSlot(
  db: Kysely<Database>,
  meter: string,
  direction: EnergyDirection,
): Promise<Date | undefined> {
  const row = await db
    .selectFrom('energy_interval')
    .select('slot')
    .where('meter', '=', meter)
    .where('direction', '=', direction)
    .orderBy('slot', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.slot;
}

/** Time-series tables and the column naming their source (meter or sensor). */
export const SAMPLE_TABLES = {
  power_sample: 'meter',
  energy_reading: 'meter',
  cpu_temperature: 'sensor',
  co2_sample: 'sensor',
  bme280_sample: 'sensor',
} as const;

export type SampleTable = keyof typeof SAMPLE_TABLES;

/**
 * The newest row of `table` for one meter or sensor (`key`), or undefined when there is none:
 * where to resume after a restart, and how stale a series is.
 */
export async function latestSample<T extends SampleTable>(
  db: Kysely<Database>,
  table: T,
  key: string,
): Promise<Selectable<Database[T]> | undefined> {
  const column = SAMPLE_TABLES[table];
  const row = await db
    .selectFrom(table as SampleTable)
    .selectAll()
    .where(sql.ref(column), '=', key)
    .orderBy('time', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row as Selectable<Database[T]> | undefined;
}
