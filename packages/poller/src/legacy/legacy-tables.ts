/**
 * The five tables of the original power-consumption and where their rows go. Each reads a batch
 * by id (created_at converted from the Pi's local time with `AT TIME ZONE`, done by PostgreSQL so
 * that the zone's own rules apply) and writes it with one statement per target table, every one
 * skipping rows already there, so a second import adds nothing.
 */
import type pg from 'pg';
import { convertPowerRow, slotOf } from './legacy-rows.js';

/** Sensor names as the poller gives them for the same hardware, so old and new rows meet. */
export interface LegacySensorNames {
  /** temp_log (CPU temperature): the host name. */
  readonly cpu: string;
  /** co2_log (MH-Z19): the serial device of [co2]. */
  readonly co2: string;
  /** bme280_log: bus and address of [bme280]. */
  readonly bme280: string;
}

export interface BatchContext {
  readonly meter: string;
  readonly sensors: LegacySensorNames;
}

export interface BatchResult {
  /** Rows added to each of our tables (rows already there are not counted). */
  readonly added: Readonly<Record<string, number>>;
  /** Rows left out entirely, with the reason of each (first few kept by the caller). */
  readonly bad: readonly { id: number; reason: string }[];
  /** Values left out of rows otherwise imported (unknown unit code, …). */
  readonly partial: readonly { id: number; reason: string }[];
}

export interface LegacyTable {
  readonly name: 'power_log' | 'temp_log' | 'co2_log' | 'bme280_log' | 'scan_log';
  /** Columns selected after `id` and `time`. */
  readonly columns: string;
  /** A column only this layout has (tells the original's scan_log from ours). */
  readonly marker: string;
  write(
    client: pg.ClientBase,
    rows: readonly Record<string, unknown>[],
    ctx: BatchContext,
  ): Promise<BatchResult>;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

async function insertCount(client: pg.ClientBase, text: string, values: unknown[]): Promise<number> {
  return (await client.query(text, values)).rowCount ?? 0;
}

const powerLog: LegacyTable = {
  name: 'power_log',
  columns:
    '"係数" AS coefficient, "積算電力量" AS count, "電力量単位" AS unit_code, "瞬時電力" AS power, "瞬時電流_r" AS current_r, "瞬時電流_t" AS current_t',
  marker: '積算電力量',
  async write(client, rows, ctx) {
    const bad: { id: number; reason: string }[] = [];
    const partial: { id: number; reason: string }[] = [];
    const s = {
      time: [] as number[],
      power: [] as (number | null)[],
      r: [] as (number | null)[],
      t: [] as (number | null)[],
    };
    const e = {
      time: [] as number[],
      kwh: [] as number[],
      count: [] as number[],
      coef: [] as number[],
      unit: [] as number[],
    };
    const slot = { slot: [] as number[], kwh: [] as number[], count: [] as number[] };
    for (const row of rows) {
      const id = Number(row.id);
      const time = row.epoch as number;
      const c = convertPowerRow({
        id,
        coefficient: num(row.coefficient),
        count: num(row.count),
        unitCode: num(row.unit_code),
        power: num(row.power),
        currentR: num(row.current_r),
        currentT: num(row.current_t),
      });
      if (!c.sample && !c.energy) {
        bad.push({ id, reason: c.problems.join('; ') || 'no value in the row' });
        continue;
      }
      if (c.problems.length > 0) partial.push({ id, reason: c.problems.join('; ') });
      if (c.sample) {
        s.time.push(time);
        s.power.push(c.sample.powerW);
        s.r.push(c.sample.currentRA);
        s.t.push(c.sample.currentTA);
      }
      if (c.energy) {
        e.time.push(time);
        e.kwh.push(c.energy.kwh);
        e.count.push(c.energy.count);
        e.coef.push(c.energy.coefficient);
        e.unit.push(c.energy.unitKwh);
        const at = slotOf(time);
        if (at) {
          slot.slot.push(at);
          slot.kwh.push(c.energy.kwh);
          slot.count.push(c.energy.count);
        }
      }
    }
    const samples = await insertCount(
      client,
      `INSERT INTO power_sample (meter, time, power_w, current_r_a, current_t_a)
         SELECT $1, to_timestamp(t), p, r, x FROM unnest($2::float8[], $3::int[], $4::real[], $5::real[]) AS u(t, p, r, x)
         ON CONFLICT DO NOTHING`,
      [ctx.meter, s.time, s.power, s.r, s.t],
    );
    const readings = await insertCount(
      client,
      `INSERT INTO energy_reading (meter, time, normal_kwh, normal_count, coefficient, unit_kwh)
         SELECT $1, to_timestamp(t), k, n, c, u FROM unnest($2::float8[], $3::numeric[], $4::bigint[], $5::int[], $6::numeric[]) AS u(t, k, n, c, u)
         ON CONFLICT DO NOTHING`,
      [ctx.meter, e.time, e.kwh, e.count, e.coef, e.unit],
    );
    // The value at each half-hour boundary, as the poller records from an E0 read near it
    // (source 'poll'); the meter's own history, fetched later by the poller, does not replace it.
    const slots = await insertCount(
      client,
      `INSERT INTO energy_interval (meter, direction, slot, kwh, count, source)
       SELECT DISTINCT ON (slot) $1, 'normal', to_timestamp(slot), kwh, count, 'poll'
       FROM unnest($2::float8[], $3::numeric[], $4::bigint[]) AS u(slot, kwh, count)
       ORDER BY slot
       ON CONFLICT DO NOTHING`,
      [ctx.meter, slot.slot, slot.kwh, slot.count],
    );
    return {
      added: { power_sample: samples, energy_reading: readings, energy_interval: slots },
      bad,
      partial,
    };
  },
};

/** A table with one target and every value NOT NULL there. */
function simple(
  name: 'temp_log' | 'co2_log' | 'bme280_log',
  columns: string,
  marker: string,
  required: readonly string[],
  target: string,
  insert: string,
  arrays: (rows: readonly Row[]) => unknown[],
  sensor: (ctx: BatchContext) => string,
): LegacyTable {
  return {
    name,
    columns,
    marker,
    async write(client, rows, ctx) {
      const bad: { id: number; reason: string }[] = [];
      const good: Row[] = [];
      for (const row of rows) {
        const missing = required.filter(
          (k) => row[k] === null || row[k] === undefined || Number.isNaN(Number(row[k])),
        );
        if (missing.length > 0) bad.push({ id: Number(row.id), reason: `no ${missing.join(', ')}` });
        else good.push(row);
      }
      const added = await insertCount(client, insert, [
        sensor(ctx),
        good.map((r) => r.epoch),
        ...arrays(good),
      ]);
      return { added: { [target]: added }, bad, partial: [] };
    },
  };
}

const tempLog = simple(
  'temp_log',
  'temp',
  'temp',
  ['temp'],
  'cpu_temperature',
  // /sys/class/thermal/thermal_zone0/temp is in m°C; its temp_graph.py divided by 1000.
  `INSERT INTO cpu_temperature (sensor, time, celsius)
   SELECT $1, to_timestamp(t), c / 1000.0 FROM unnest($2::float8[], $3::int[]) AS u(t, c) ON CONFLICT DO NOTHING`,
  (rows) => [rows.map((r) => num(r.temp))],
  (ctx) => ctx.sensors.cpu,
);

const co2Log = simple(
  'co2_log',
  'co2, temp',
  'co2',
  ['co2'],
  'co2_sample',
  // pressure (the MH-Z19's UhUl) and ss are diagnostic bytes with no column of ours.
  `INSERT INTO co2_sample (sensor, time, ppm, temperature_c)
   SELECT $1, to_timestamp(t), p, c FROM unnest($2::float8[], $3::int[], $4::real[]) AS u(t, p, c) ON CONFLICT DO NOTHING`,
  (rows) => [rows.map((r) => num(r.co2)), rows.map((r) => num(r.temp))],
  (ctx) => ctx.sensors.co2,
);

const bme280Log = simple(
  'bme280_log',
  'temp, pressure, humidity',
  'humidity',
  ['temp', 'pressure', 'humidity'],
  'bme280_sample',
  `INSERT INTO bme280_sample (sensor, time, temperature_c, pressure_hpa, humidity_pct)
   SELECT $1, to_timestamp(t), a, b, c FROM unnest($2::float8[], $3::float8[], $4::float8[], $5::float8[]) AS u(t, a, b, c) ON CONFLICT DO NOTHING`,
  (rows) => [
    rows.map((r) => num(r.temp)),
    rows.map((r) => num(r.pressure)),
    rows.map((r) => num(r.humidity)),
  ],
  (ctx) => ctx.sensors.bme280,
);

const scanLog: LegacyTable = {
  name: 'scan_log',
  columns: 'channel, channel_page, pan_id, addr, lqi, pair_id',
  marker: 'addr',
  async write(client, rows) {
    const bad: { id: number; reason: string }[] = [];
    const good: Row[] = [];
    for (const row of rows) {
      const missing = ['channel', 'channel_page', 'pan_id', 'addr', 'lqi'].filter((k) => row[k] === null);
      if (missing.length > 0) bad.push({ id: Number(row.id), reason: `no ${missing.join(', ')}` });
      else good.push(row);
    }
    // scan_log has no natural key: a row is there already when its time and address are.
    const added = await insertCount(
      client,
      `INSERT INTO scan_log (time, channel, channel_page, pan_id, address, lqi, pair_id)
       SELECT to_timestamp(u.t), u.channel, u.channel_page, u.pan_id, u.address, u.lqi, u.pair_id
       FROM unnest($1::float8[], $2::int[], $3::int[], $4::int[], $5::text[], $6::int[], $7::text[])
         AS u(t, channel, channel_page, pan_id, address, lqi, pair_id)
       WHERE NOT EXISTS (SELECT FROM scan_log s WHERE s.time = to_timestamp(u.t) AND s.address = u.address)`,
      [
        good.map((r) => r.epoch),
        ...['channel', 'channel_page', 'pan_id'].map((k) => good.map((r) => num(r[k]))),
        good.map((r) => String(r.addr).toUpperCase()),
        good.map((r) => num(r.lqi)),
        good.map((r) => (r.pair_id === '' ? null : r.pair_id)),
      ],
    );
    return { added: { scan_log: added }, bad, partial: [] };
  },
};

/** In the order they are imported. */
export const LEGACY_TABLES: readonly LegacyTable[] = [powerLog, tempLog, co2Log, bme280Log, scanLog];
