/**
 * `--simulate`: the whole installation in this process — simulated clock, smart meter, Wi-SUN
 * dongle (attached in-process to a real `MeterClient`), MH-Z19, BME280 and CPU — so the poller
 * runs on any machine. The clock is the simulator's: with `--speed N` the poller, the client,
 * the meter and the sensors all live in the same accelerated time.
 */
import type { Duplex } from 'node:stream';
import { type DongleModel, MeterClient, type MeterClientOptions } from '@b-route/echonet';
import {
  attachInProcess,
  createMhz19Port,
  openVirtualI2cBus,
  SimClock,
  Simulator,
  type SimulatorOptions,
} from '@b-route/simulator';
import type { StoreLogger } from '@b-route/store';
import { Bme280, type Bme280Options } from '../sensors/bme280.js';
import { Mhz19 } from '../sensors/mhz19.js';
import { sleep } from './clock.js';
import type { SensorSource } from './sensor-loop.js';
import { bme280SensorName, bme280Source, co2Source, cpuSource } from './sensor-sources.js';

/** Credentials of the simulated meter (not secrets: they exist only in the simulator). */
export const SIMULATED_RBID = '00112233445566778899AABBCCDDEEFF';
export const SIMULATED_PASSWORD = 'SIMULATED000';

export interface SimulationOptions {
  /** Simulated ms per real ms. Default 1. */
  readonly speed?: number;
  /** Seed of the household, radio identity and sensors. Default 1. */
  readonly seed?: number;
  /** Dongle model. Default 'bp35a1'. */
  readonly model?: DongleModel;
  /** Simulated time at start (epoch ms). Default: now. */
  readonly start?: number;
  /** Append the meter's ground truth (JSON lines) here. */
  readonly truthFile?: string;
  /** Fault spec of the simulator (`drop=0.1,unplug-at=2h:30s`). */
  readonly faults?: string;
  /** More simulator options (picky meter, solar, notify …). */
  readonly simulator?: Partial<SimulatorOptions>;
  /** More client options (timeouts …). */
  readonly client?: Partial<MeterClientOptions>;
  /** MH-Z19 preheat, simulated ms. Default 180 000. */
  readonly co2WarmupMs?: number;
  /** BME280 driver options (oversampling, filter). */
  readonly bme280?: Omit<Bme280Options, 'now' | 'sleep'>;
  readonly logger?: StoreLogger;
}

export interface Simulation {
  readonly clock: SimClock;
  readonly sim: Simulator;
  readonly client: MeterClient;
  /** A fresh host-side stream of the dongle's UART (what `client` opens; `-i` uses it too). */
  openPort(): Duplex;
  readonly sensors: { readonly cpu: SensorSource; readonly co2: SensorSource; readonly bme280: SensorSource };
  /** Closes the client, the simulator and its clock. Idempotent. */
  close(): Promise<void>;
}

/**
 * Real milliseconds the simulated timeouts leave at least, so that event-loop delays (garbage
 * collection, a database write) at high speed are not taken for a silent meter.
 */
const REAL_SLACK_MS = 100;

/**
 * Builds the simulated installation and a `MeterClient` attached to its dongle.
 * @throws RangeError for bad options (see `Simulator`).
 */
export function createSimulation(options: SimulationOptions = {}): Simulation {
  const speed = options.speed ?? 1;
  // The simulator leaves its own clock unref'd; this one keeps the process alive while it runs.
  const clock = new SimClock({ speed, ...(options.start === undefined ? {} : { start: options.start }) });
  const sim = new Simulator({
    model: options.model ?? 'bp35a1',
    rbid: SIMULATED_RBID,
    password: SIMULATED_PASSWORD,
    seed: options.seed ?? 1,
    clock,
    ...(options.truthFile ? { truthFile: options.truthFile } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...options.simulator,
  });
  const attachment = attachInProcess(sim);
  const slack = (ms: number) => Math.max(ms, speed * REAL_SLACK_MS);
  const client = new MeterClient({
    rbid: SIMULATED_RBID,
    password: SIMULATED_PASSWORD,
    device: () => attachment.open(),
    clock,
    commandTimeoutMs: slack(5_000),
    requestTimeoutMs: slack(10_000),
    joinTimeoutMs: slack(60_000),
    reauthTimeoutMs: slack(60_000),
    ...(options.logger ? { logger: options.logger } : {}),
    ...options.client,
  });
  const now = () => clock.now();
  const logger = options.logger ?? { debug() {}, info() {}, warn() {}, error() {} };
  const bmeAddress = options.bme280?.address ?? 0x76;
  const sensors = {
    cpu: cpuSource({ sensor: 'simulator:cpu', reader: () => sim.sensors.cpu.cpuTemperature() }),
    co2: co2Source({
      sensor: 'simulator:mhz19',
      logger,
      open: async () => {
        const port = createMhz19Port(sim.sensors.mhz19);
        const sensor = new Mhz19(port.host, { now, warmupMs: options.co2WarmupMs ?? 180_000 });
        return { sensor, close: async () => port.close() };
      },
    }),
    bme280: bme280Source({
      sensor: `simulator:${bme280SensorName(1, bmeAddress)}`,
      logger,
      open: async () => {
        const bus = openVirtualI2cBus([[bmeAddress, sim.sensors.bme280]]);
        const sensor = await Bme280.open(bus, { ...options.bme280, now, sleep: (ms) => sleep(clock, ms) });
        return { sensor, close: () => bus.close() };
      },
    }),
  };
  let closing: Promise<void> | undefined;
  return {
    clock,
    sim,
    client,
    openPort: () => attachment.open(),
    sensors,
    close: () => {
      closing ??= (async () => {
        await client.close().catch(() => undefined);
        attachment.detach();
        await sim.close();
        clock.dispose();
      })();
      return closing;
    },
  };
}
