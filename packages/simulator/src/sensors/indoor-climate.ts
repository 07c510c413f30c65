import { DAY_MS, HOUR_MS } from '@b-route/core';
import { fractalNoise, smoothNoise } from '../random.js';
import { localTime } from './local-time.js';

/**
 * Weather inside a Japanese home, as a pure function of time and seed: a Tokyo-like seasonal
 * cycle (coldest late January, warmest early August), a daily swing, and passing pressure
 * systems. Shared by the virtual BME280 and the MH-Z19's temperature byte so that sensors in one
 * room agree.
 */
export interface IndoorClimateOptions {
  /** Seed of the weather. Default 1. */
  seed?: number;
  /** Local offset from UTC in minutes. Default 540 (JST). */
  utcOffsetMinutes?: number;
  /** Height of the sensor above sea level in metres (station pressure falls ~0.12 hPa/m). Default 40. */
  altitudeM?: number;
}

export interface ClimateSample {
  temperatureC: number;
  /** Station pressure (not reduced to sea level), hPa. */
  pressureHpa: number;
  /** Relative humidity, %. */
  humidityPct: number;
}

export type ClimateSource = (at: number) => ClimateSample;

const CH_OUTDOOR = 11;
const CH_INDOOR = 12;
const CH_PRESSURE = 13;
const CH_HUMIDITY = 14;

/** Build the climate of one home. */
export function indoorClimate(options: IndoorClimateOptions = {}): ClimateSource {
  const seed = options.seed ?? 1;
  const offset = options.utcOffsetMinutes ?? 540;
  const altitude = options.altitudeM ?? 40;
  // Barometric formula (ISA, troposphere): p = p0 (1 - 2.25577e-5 h)^5.25588.
  const altitudeFactor = (1 - 2.25577e-5 * altitude) ** 5.25588;

  return (at) => {
    const lt = localTime(at, offset);
    const hour = lt.minuteOfDay / 60;
    // 0 at the coldest day (~20 January), 1 at the warmest.
    const season = (1 - Math.cos((2 * Math.PI * (lt.dayOfYear - 20)) / 365)) / 2;

    // Outdoors: 5 °C .. 27 °C seasonal mean, ±4 °C daily (minimum ~05:00, maximum ~14:00).
    const daily = Math.sin((2 * Math.PI * (hour - 8)) / 24);
    const outdoor = 5 + 22 * season + 4 * daily + 3 * fractalNoise(seed, CH_OUTDOOR, at, 3 * DAY_MS);

    // Indoors: heated/cooled towards comfort, leaking a third of the outdoor swing.
    const comfort = 20 + 5 * season;
    const temperatureC =
      comfort +
      0.3 * (outdoor - (5 + 22 * season)) +
      0.8 * daily +
      0.4 * smoothNoise(seed, CH_INDOOR, at, HOUR_MS);

    // Pressure: synoptic systems ±10 hPa over days, semidiurnal atmospheric tide ±0.8 hPa.
    const seaLevel =
      1013.25 +
      10 * fractalNoise(seed, CH_PRESSURE, at, 2.5 * DAY_MS) +
      0.8 * Math.cos((2 * Math.PI * (hour - 10)) / 12);
    const pressureHpa = seaLevel * altitudeFactor;

    // Humidity: dry winters (~35 %), humid summers (~65 %), higher at night.
    const humidityPct = Math.min(
      95,
      Math.max(10, 35 + 30 * season - 4 * daily + 8 * fractalNoise(seed, CH_HUMIDITY, at, 1.5 * DAY_MS)),
    );

    return { temperatureC, pressureHpa, humidityPct };
  };
}
