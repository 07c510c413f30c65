import { HOUR_MS, MINUTE_MS } from '@b-route/core';
import { fractalNoise, smoothNoise } from '../random.js';
import { type ClimateSource, indoorClimate } from './indoor-climate.js';
import { localTime } from './local-time.js';

/**
 * A virtual CPU temperature source, shaped like a Raspberry Pi 4 in a case without a fan: the
 * SoC idles ~20 °C above the room and warms by up to ~25 °C more under load. Load follows a
 * seeded pattern (busier in the evening, short bursts). Readings come in steps of roughly half a
 * degree, as Raspberry Pi thermal zones report them.
 */
export interface VirtualCpuOptions {
  /** Simulated time, epoch ms. */
  clock: () => number;
  /** Seed of load and room. Default 1. */
  seed?: number;
  /** The room around the board. Default: `indoorClimate({ seed })`. */
  climate?: ClimateSource;
  /** Local offset from UTC in minutes. Default 540 (JST). */
  utcOffsetMinutes?: number;
  /** SoC temperature above the room when idle, °C. Default 20. */
  idleRiseC?: number;
  /** Extra rise at full load, °C. Default 25. */
  loadRiseC?: number;
  /** Step of the readout, °C. Default 0.5. */
  quantumC?: number;
}

/** Shape of `systeminformation.cpuTemperature()`'s answer, for plugging the simulator in its place. */
export interface CpuTemperatureData {
  main: number | null;
  cores: number[];
  max: number | null;
  socket?: number[];
  chipset?: number;
}

const CH_LOAD = 31;
const CH_BURST = 32;

export class VirtualCpu {
  /** When true, `cpuTemperature()` answers `main: null` (no thermal zone, as in a container). */
  unavailable = false;

  readonly #clock: () => number;
  readonly #climate: ClimateSource;
  readonly #seed: number;
  readonly #offset: number;
  readonly #idleRise: number;
  readonly #loadRise: number;
  readonly #quantum: number;

  constructor(options: VirtualCpuOptions) {
    this.#clock = options.clock;
    this.#seed = options.seed ?? 1;
    this.#climate = options.climate ?? indoorClimate({ seed: this.#seed });
    this.#offset = options.utcOffsetMinutes ?? 540;
    this.#idleRise = options.idleRiseC ?? 20;
    this.#loadRise = options.loadRiseC ?? 25;
    this.#quantum = options.quantumC ?? 0.5;
  }

  /** CPU load in [0, 1] at `at`. */
  loadAt(at: number): number {
    const hour = localTime(at, this.#offset).minuteOfDay / 60;
    const evening = Math.max(0, Math.cos((2 * Math.PI * (hour - 21)) / 24));
    const base = 0.15 + 0.25 * evening + 0.1 * fractalNoise(this.#seed, CH_LOAD, at, 2 * HOUR_MS);
    const burst = Math.max(0, smoothNoise(this.#seed, CH_BURST, at, 10 * MINUTE_MS) - 0.6) * 1.5;
    return Math.min(1, Math.max(0, base + burst));
  }

  /** Unquantised SoC temperature, °C. */
  groundTruth(at: number = this.#clock()): number {
    return this.#climate(at).temperatureC + this.#idleRise + this.#loadRise * this.loadAt(at);
  }

  /** The SoC temperature now, as the thermal zone reports it. */
  async read(): Promise<number> {
    return this.#quantise(this.groundTruth(this.#clock()));
  }

  /** Same reading in the shape of `systeminformation.cpuTemperature()`. */
  async cpuTemperature(): Promise<CpuTemperatureData> {
    if (this.unavailable) return { main: null, cores: [], max: null, socket: [] };
    const t = this.#quantise(this.groundTruth(this.#clock()));
    return { main: t, cores: [], max: t, socket: [] };
  }

  #quantise(celsius: number): number {
    return Math.round(Math.round(celsius / this.#quantum) * this.#quantum * 1000) / 1000;
  }
}
