/**
 * The charts drawn from a seeded PostgreSQL and read back from the PNG: size, not blank, each
 * series' colour where its data is and nowhere else, and Japanese text drawn as glyphs.
 */

import { DAY_MS, HOUR_MS } from '@b-route/core';
import { createTestDatabase, type TestDatabase } from '@b-route/store/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawPowerChart, drawTempChart } from './charts.js';
import { isGraphError } from './errors.js';
import { canvasModule, decodePng } from './render/canvas-module.js';
import { registerChartFont } from './render/fonts.js';
import { POWER_COLORS, SERIAL_COLORS, TEMP_COLORS } from './render/palette.js';
import {
  countColor,
  cropInk,
  distinctColors,
  headerRegion,
  maskMismatch,
  plotColumns,
  topTextBlock,
} from './test-support/png-inspect.js';
import { jstMidnight } from './time.js';

const METER = '001C6400601421A3';
const day = jstMidnight('2024-06-01');
const t0 = day.getTime();
const at = (h: number) => t0 + h * HOUR_MS;
const dayRange = { start: day, end: new Date(t0 + DAY_MS) };
const W = 1000;
const H = 600;

let pg: TestDatabase;

async function seedPowerOnly(from: Date, hours: number): Promise<void> {
  await sql`
    INSERT INTO power_sample (meter, time, power_w)
    SELECT ${METER}, t, 300 + (200 * sin(extract(epoch FROM t) / 600))::int
    FROM generate_series(${from.toISOString()}::timestamptz,
                         ${from.toISOString()}::timestamptz + ${`${hours} hours`}::interval - interval '10 seconds',
                         interval '10 seconds') AS t`.execute(pg.db);
}

beforeAll(async () => {
  pg = await createTestDatabase();
});

afterAll(async () => {
  await pg?.close();
});

describe('power chart from the database', () => {
  it('draws only power, only where it has data: no current, energy or bar colours', async () => {
    await seedPowerOnly(new Date(at(6)), 6);
    const { png, layout, data } = await drawPowerChart(pg.db, dayRange, { width: W, height: H });
    const img = await decodePng(png);
    expect([img.width, img.height]).toEqual([W, H]);
    expect(distinctColors(img)).toBeGreaterThan(50);
    expect(data.power).toHaveLength(6 * 360);

    const withData = plotColumns(layout, at(6), at(12));
    const without = plotColumns(layout, at(13), at(24));
    expect(countColor(img, POWER_COLORS.power, withData)).toBeGreaterThan(200);
    expect(countColor(img, POWER_COLORS.powerAverage, withData)).toBeGreaterThan(50);
    expect(countColor(img, POWER_COLORS.power, without)).toBe(0);
    expect(countColor(img, POWER_COLORS.powerAverage, without)).toBe(0);
    for (const absent of [
      'currentR',
      'currentT',
      'currentRAverage',
      'normalKwh',
      'reverseKwh',
      'bought',
      'sold',
    ] as const) {
      expect(countColor(img, POWER_COLORS[absent]), absent).toBe(0);
    }
    expect(Object.keys(layout.scales).sort()).toEqual(['power', 'x']);
    expect(layout.datasets).toEqual(['瞬時電力', '瞬時電力(移動平均)']);
  });

  it('draws every series with a legend entry each when all data exists', async () => {
    const d = day.toISOString();
    await sql`UPDATE power_sample SET current_r_a = 4.5, current_t_a = 2.5`.execute(pg.db);
    await sql`
      INSERT INTO energy_reading (meter, time, normal_kwh, reverse_kwh, coefficient, unit_kwh)
      SELECT ${METER}, ${d}::timestamptz + n * interval '1 minute', 1000 + n * 0.01, 20 + greatest(0, n - 720) * 0.001, 1, 0.1
      FROM generate_series(0, 1439) AS n`.execute(pg.db);
    await sql`
      INSERT INTO energy_interval (meter, direction, slot, kwh, count, source)
      SELECT ${METER}, dir, ${d}::timestamptz + n * interval '30 minutes',
             CASE dir WHEN 'normal' THEN 1000 + n * 0.3 ELSE 20 + greatest(0, n - 24) * 0.03 END, 0, 'history'
      FROM generate_series(0, 48) AS n, unnest(ARRAY['normal', 'reverse']) AS dir`.execute(pg.db);
    const { png, layout, data } = await drawPowerChart(pg.db, dayRange, { width: W, height: H });
    const img = await decodePng(png);
    const header = headerRegion(img, layout);
    const plot = plotColumns(layout, at(0), at(24));
    for (const name of Object.keys(POWER_COLORS) as (keyof typeof POWER_COLORS)[]) {
      expect(countColor(img, POWER_COLORS[name], plot), `${name} in the plot`).toBeGreaterThan(20);
      // Legend boxes: solid for lines and bars, a dotted outline for moving averages.
      expect(countColor(img, POWER_COLORS[name], header), `${name} in the legend`).toBeGreaterThan(8);
    }
    expect(Object.keys(layout.scales).sort()).toEqual(['bars', 'current', 'energy', 'power', 'x']);
    expect(data.boughtKwh).toBeCloseTo(48 * 0.3, 6);
    expect(data.soldKwh).toBeCloseTo(24 * 0.03, 6);
    // Bars: bought in 12:00–13:00 stands above zero, sold hangs below it; nothing bought before 00:00.
    expect(countColor(img, POWER_COLORS.sold, plotColumns(layout, at(0), at(11.9)))).toBe(0);
    expect(countColor(img, POWER_COLORS.sold, plotColumns(layout, at(12.1), at(24)))).toBeGreaterThan(100);
  });

  it('draws the Japanese title as glyphs: it matches the title drawn in the chart font, not tofu', async () => {
    const { png, data } = await drawPowerChart(pg.db, dayRange, { width: W, height: H });
    const img = await decodePng(png);
    const title = `電力 2024-06-01  買電 ${data.boughtKwh!.toFixed(2)} kWh  売電 ${data.soldKwh!.toFixed(2)} kWh`;
    const family = registerChartFont();
    const drawn = topTextBlock(img);
    // The same text drawn in the chart font at a few sub-pixel heights (Chart.js's is fractional);
    // and once more with the kanji replaced by a code point no font has, i.e. as tofu.
    const best = (text: string) =>
      Math.min(
        ...[0, 0.25, 0.5, 0.75].map((dy) => maskMismatch(drawn, textInk(text, `bold 18px ${family}`, dy))),
      );
    expect(drawn.width).toBeGreaterThan(200);
    expect(best(title)).toBeLessThan(0.05);
    expect(best(title.replace(/[電力買売]/g, '\u0378'))).toBeGreaterThan(0.2);
  });

  it('labels in English with --lang en', async () => {
    const { layout } = await drawPowerChart(pg.db, dayRange, {
      width: W,
      height: H,
      lang: 'en',
      window: null,
    });
    expect(layout.datasets).toContain('Power');
    expect(layout.datasets).not.toContain('Power (moving average)');
  });

  it('refuses an empty range instead of drawing a blank chart', async () => {
    const empty = { start: new Date(t0 - DAY_MS), end: day };
    await expect(drawPowerChart(pg.db, empty)).rejects.toSatisfy(
      (e) =>
        isGraphError(e, 'range.empty') &&
        /no data between 2024-05-31 00:00 and 2024-06-01 00:00/.test((e as Error).message),
    );
  });
});

describe('temperature chart from the database', () => {
  it('draws CPU and BME280 series where they have data and no CO2', async () => {
    const d = day.toISOString();
    await sql`
      INSERT INTO cpu_temperature (sensor, time, celsius)
      SELECT 'pi', t, 45 + 5 * sin(extract(epoch FROM t) / 900)
      FROM generate_series(${d}::timestamptz, ${d}::timestamptz + interval '24 hours' - interval '1 minute', interval '1 minute') AS t`.execute(
      pg.db,
    );
    await sql`
      INSERT INTO bme280_sample (sensor, time, temperature_c, pressure_hpa, humidity_pct)
      SELECT 'bme', t, 22 + sin(extract(epoch FROM t) / 3000), 1010 + cos(extract(epoch FROM t) / 5000), 50 + 10 * sin(extract(epoch FROM t) / 4000)
      FROM generate_series(${d}::timestamptz, ${d}::timestamptz + interval '12 hours', interval '1 minute') AS t`.execute(
      pg.db,
    );
    const { png, layout } = await drawTempChart(pg.db, dayRange, { width: W, height: H });
    const img = await decodePng(png);
    expect([img.width, img.height]).toEqual([W, H]);
    const morning = plotColumns(layout, at(0), at(12));
    const evening = plotColumns(layout, at(12.5), at(24));
    for (const kind of ['cpu', 'temperature', 'humidity', 'pressure'] as const) {
      expect(countColor(img, TEMP_COLORS[kind], morning), kind).toBeGreaterThan(100);
    }
    expect(countColor(img, TEMP_COLORS.cpu, evening)).toBeGreaterThan(100);
    for (const kind of ['temperature', 'humidity', 'pressure'] as const) {
      expect(countColor(img, TEMP_COLORS[kind], evening), kind).toBe(0);
    }
    expect(countColor(img, TEMP_COLORS.co2)).toBe(0);
    expect(countColor(img, TEMP_COLORS['co2-temperature'])).toBe(0);
    expect(Object.keys(layout.scales).sort()).toEqual(['humidity', 'pressure', 'temp', 'x']);
  });

  it('adds the CO2 axis and colour once the sensor has data', async () => {
    const d = day.toISOString();
    await sql`
      INSERT INTO co2_sample (sensor, time, ppm, temperature_c)
      SELECT '/dev/serial0', t, 600 + (extract(epoch FROM t)::bigint % 600)::int, NULL
      FROM generate_series(${d}::timestamptz + interval '18 hours', ${d}::timestamptz + interval '24 hours', interval '1 minute') AS t`.execute(
      pg.db,
    );
    const { png, layout } = await drawTempChart(pg.db, dayRange, { width: W, height: H });
    const img = await decodePng(png);
    expect(countColor(img, TEMP_COLORS.co2, plotColumns(layout, at(18), at(24)))).toBeGreaterThan(100);
    expect(countColor(img, TEMP_COLORS.co2, plotColumns(layout, at(0), at(17.5)))).toBe(0);
    expect(countColor(img, TEMP_COLORS['co2-temperature'])).toBe(0);
    expect(layout.scales.co2).toBeDefined();
  });

  it('adds serial sensor values when asked: °C on the temperature axis, another unit on its own axis', async () => {
    const d = day.toISOString();
    // node-1 prints lux=… (lx) all day and out=… (degC) from 06:00 to 12:00.
    await sql`
      INSERT INTO extra.sensor_reading (sensor, name, time, value, unit)
      SELECT 'node-1', 'lux', t, 500 + 400 * sin(extract(epoch FROM t) / 2000), 'lx'
      FROM generate_series(${d}::timestamptz, ${d}::timestamptz + interval '24 hours' - interval '1 minute', interval '1 minute') AS t
      UNION ALL
      SELECT 'node-1', 'out', t, 28 + 3 * cos(extract(epoch FROM t) / 2500), 'DEGC'
      FROM generate_series(${d}::timestamptz + interval '6 hours', ${d}::timestamptz + interval '12 hours', interval '1 minute') AS t`.execute(
      pg.db,
    );
    const without = await drawTempChart(pg.db, dayRange, { width: W, height: H });
    const plain = await decodePng(without.png);
    for (const c of SERIAL_COLORS) expect(countColor(plain, c), String(c)).toBe(0);
    expect(Object.keys(without.layout.scales).some((k) => k.startsWith('unit:'))).toBe(false);

    const { png, layout, data } = await drawTempChart(pg.db, dayRange, {
      width: W,
      height: H,
      serial: ['lux', 'out'],
    });
    const img = await decodePng(png);
    expect(data.series.filter((s) => s.kind === 'serial').map((s) => s.name)).toEqual(['lux', 'out']);
    expect(layout.datasets).toContain('lux (node-1) [lx]');
    expect(layout.datasets).toContain('out (node-1) [DEGC]');
    // lux: first colour, all day; out: second colour, only between 06:00 and 12:00.
    expect(countColor(img, SERIAL_COLORS[0]!, plotColumns(layout, at(0), at(24)))).toBeGreaterThan(100);
    expect(countColor(img, SERIAL_COLORS[1]!, plotColumns(layout, at(6), at(12)))).toBeGreaterThan(50);
    expect(countColor(img, SERIAL_COLORS[1]!, plotColumns(layout, at(13), at(24)))).toBe(0);
    expect(Object.keys(layout.scales).sort()).toEqual([
      'co2',
      'humidity',
      'pressure',
      'temp',
      'unit:lx',
      'x',
    ]);
    // The lux axis spans its values; the temperature axis now reaches up to out's 31 °C.
    expect(layout.scales['unit:lx']!.max).toBeGreaterThanOrEqual(899);
    expect(layout.scales.temp!.max).toBeGreaterThanOrEqual(30.9);
  });

  it('draws serial values alone on a day without other sensors; an unknown name is still no data', async () => {
    const next = new Date(t0 + 2 * DAY_MS);
    const range = { start: next, end: new Date(t0 + 3 * DAY_MS) };
    await sql`
      INSERT INTO extra.sensor_reading (sensor, name, time, value, unit)
      SELECT 'node-2', 'rain', t, 2, 'mm'
      FROM generate_series(${next.toISOString()}::timestamptz, ${next.toISOString()}::timestamptz + interval '23 hours', interval '10 minutes') AS t`.execute(
      pg.db,
    );
    const { png, layout } = await drawTempChart(pg.db, range, { width: W, height: H, serial: 'all' });
    expect(countColor(await decodePng(png), SERIAL_COLORS[0]!)).toBeGreaterThan(100);
    expect(Object.keys(layout.scales).sort()).toEqual(['unit:mm', 'x']);
    const err = await drawTempChart(pg.db, range, { serial: ['nosuch'] }).catch((e: unknown) => e);
    expect(isGraphError(err) && err.code).toBe('range.empty');
  });
});

function textInk(text: string, font: string, dy: number) {
  const c = canvasModule().createCanvas(W, 60);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, 60);
  ctx.fillStyle = '#333333';
  ctx.font = font;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, W / 2, 30 + dy);
  const { data } = ctx.getImageData(0, 0, W, 60);
  return cropInk(W, 60, (x, y) => {
    const i = (y * W + x) * 4;
    return data[i]! < 128 && data[i + 1]! < 128 && data[i + 2]! < 128;
  });
}
