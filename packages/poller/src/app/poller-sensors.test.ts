/**
 * The sensor loops of `-t -c -b` on the simulated home (virtual MH-Z19 behind an in-process
 * UART, virtual BME280 on a virtual I2C bus implementing i2c-bus's interface, virtual CPU),
 * through the real drivers, into real PostgreSQL: stored values equal the virtual sensors'
 * ground truth, and a failing sensor neither stops itself for good nor the meter polling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulation } from './simulate.js';
import { createRig, type Rig, untilSim } from './testing/rig.js';

const MIN = 60_000;

let rig: Rig;
beforeAll(async () => {
  rig = await createRig();
});
afterAll(() => rig.close());

describe('poller sensors', () => {
  it('CO2, BME280 and CPU rows equal the virtual sensors; a silent MH-Z19 is retried while the meter keeps being polled', async () => {
    const start = Date.UTC(2026, 4, 22, 0, 0, 30);
    const sim = createSimulation({
      speed: 240,
      seed: 21,
      start,
      bme280: { oversampling: { temperature: 16, pressure: 16, humidity: 16 } },
    });
    const { mhz19, bme280, cpu } = sim.sim.sensors;
    const meter = sim.sim.radio.mac;
    const db = rig.db.db;
    try {
      const run = await rig.start(sim.client, sim.clock, {
        sensors: [
          { source: sim.sensors.cpu, intervalMs: MIN },
          { source: sim.sensors.co2, intervalMs: MIN },
          { source: sim.sensors.bme280, intervalMs: MIN },
        ],
      });
      await untilSim(sim.clock, start + 10 * MIN);
      mhz19.faults.silent = true;
      const silentFrom = sim.clock.now();
      await untilSim(sim.clock, start + 25 * MIN);
      mhz19.faults.silent = false;
      const silentTo = sim.clock.now();
      await untilSim(sim.clock, start + 50 * MIN);
      await run.stop();

      const co2 = await db.selectFrom('co2_sample').selectAll().orderBy('time').execute();
      // Nothing during the 3-minute preheat, nothing while silent, readings before and after.
      expect(co2[0]!.time.getTime()).toBeGreaterThanOrEqual(start + 3 * MIN);
      expect(co2.filter((r) => r.time.getTime() > silentFrom + 5_000 && r.time.getTime() < silentTo)).toEqual(
        [],
      );
      expect(co2.filter((r) => r.time.getTime() < silentFrom).length).toBeGreaterThanOrEqual(5);
      expect(co2.filter((r) => r.time.getTime() > silentTo).length).toBeGreaterThanOrEqual(5);
      for (const r of co2) {
        const truth = mhz19.groundTruth(r.time.getTime());
        // The sensor answers whole ppm and °C; its answer left it a few simulated ms before the row's time.
        expect(Math.abs(r.ppm - truth.co2Ppm)).toBeLessThanOrEqual(1);
        expect(Math.abs(r.temperature_c! - truth.temperatureC)).toBeLessThanOrEqual(1);
        expect(r.sensor).toBe('simulator:mhz19');
      }
      const failures = rig.logger.lines.filter((l) => l.msg === 'co2 sensor reading failed');
      expect(failures.length).toBeGreaterThanOrEqual(2);
      expect(failures.map((l) => l.obj.failures)).toEqual(failures.map((_, i) => i + 1));
      expect(rig.logger.lines.some((l) => l.msg === 'co2 sensor recovered')).toBe(true);

      const bme = await db.selectFrom('bme280_sample').selectAll().orderBy('time').execute();
      expect(bme.length).toBeGreaterThanOrEqual(45);
      for (const r of bme) {
        const truth = bme280.groundTruth(r.time.getTime());
        expect(Math.abs(r.temperature_c - truth.temperatureC)).toBeLessThan(0.01);
        expect(Math.abs(r.pressure_hpa - truth.pressureHpa)).toBeLessThan(0.01);
        expect(Math.abs(r.humidity_pct - truth.humidityPct)).toBeLessThan(0.01);
        expect(r.sensor).toBe('simulator:i2c-1:0x76');
      }

      const temps = await db.selectFrom('cpu_temperature').selectAll().orderBy('time').execute();
      expect(temps.length).toBeGreaterThanOrEqual(45);
      // Each reading is on wall-clock minutes and is the thermal zone's 0.5 °C step of the truth.
      for (const r of temps) {
        expect(Math.abs(r.celsius - cpu.groundTruth(r.time.getTime()))).toBeLessThanOrEqual(0.26);
        expect(r.celsius * 2).toBe(Math.round(r.celsius * 2));
      }

      // The meter was polled all along, the silent CO2 sensor notwithstanding.
      const power = await db
        .selectFrom('power_sample')
        .select('time')
        .where('meter', '=', meter)
        .where('time', '>', new Date(silentFrom))
        .where('time', '<', new Date(silentTo))
        .execute();
      expect(power.length).toBeGreaterThanOrEqual(25);
    } finally {
      await sim.close();
    }
  });
});
