import { countToKwh, historyPoints } from '../frame/energy.js';
import { dateToJst, type JstDate, type JstDateTime, jstToDate } from '../frame/jst-time.js';
import { METER_PROPERTIES } from '../frame/meter-properties.js';
import {
  type BidirectionalReading,
  type EnergyReading,
  type HistoryWindow,
  MeterReader,
  need,
} from './meter-reader.js';
import type { RequestOptions } from './request-queue.js';

const P = METER_PROPERTIES;
type Def<N extends keyof typeof METER_PROPERTIES> = (typeof METER_PROPERTIES)[N];

/**
 * The history properties of class 0x0288: historical data 1 (E2/E4, one day of half hours,
 * chosen with E5), 2 (EC, up to 12 half hours both ways, window set with ED) and 3 (EE, up to
 * 10 minutes both ways, window set with EF). Each read sets its window first; two history reads
 * never interleave their set and get.
 */
export abstract class HistoryReader extends MeterReader {
  #history: Promise<unknown> = Promise.resolve();

  /** 0xE5: which day historical data 1 (E2/E4) returns, 0 = today, 1 = yesterday … 99. */
  setHistoryDay1(day: number, options?: RequestOptions): Promise<void> {
    return this.setRaw([{ epc: P.historyDay.epc, edt: P.historyDay.encode(day) }], options);
  }
  /** 0xE5 as set on the meter. */
  getHistoryDay1(options?: RequestOptions): Promise<number> {
    return this.one('historyDay', options);
  }
  /**
   * Historical data 1: the 48 half-hour readings of day `day` (0 today, 1 yesterday …), normal
   * (E2) or reverse (E4), kWh. Sets E5 then reads, without any other history request in between;
   * the calendar day comes from the meter's own date (0x98, same frame) when it has one.
   */
  getHistoricalCumulativeEnergy1(
    query: { day?: number; reverse?: boolean } = {},
    options?: RequestOptions,
  ): Promise<EnergyReading[]> {
    const def = query.reverse ? P.historyReverse : P.historyNormal;
    return this.#exclusive(async () => {
      await this.setHistoryDay1(query.day ?? 0, options);
      const { raw, scale } = await this.energyScale([def.epc, P.currentDate.epc], options);
      const date = raw.get(P.currentDate.epc);
      const today: JstDate = date ? P.currentDate.decode(date) : dateToJst(new Date(this.now()));
      return historyPoints(def.decode(need(raw, def.epc)), { ...scale, today }).map((p) => ({
        timestamp: p.slot,
        kwh: p.kwh,
      }));
    });
  }

  /** 0xED: newest half hour (floored to :00/:30) and number of points (1–12) for EC. */
  setHistory2Time(timestamp: Date, points = 12, options?: RequestOptions): Promise<void> {
    const time = floorJst(timestamp, 30);
    return this.setRaw(
      [{ epc: P.history2Request.epc, edt: P.history2Request.encode({ time, count: points }) }],
      options,
    );
  }
  /** 0xED as set on the meter. */
  async getHistory2Time(options?: RequestOptions): Promise<HistoryWindow> {
    const v = await this.one('history2Request', options);
    return { timestamp: v.time === null ? null : jstToDate({ ...v.time, second: 0 }), points: v.count };
  }
  /**
   * Historical data 2 (EC): up to 12 half-hourly readings in both directions, newest first,
   * ending at `timestamp` (default now, floored to the half hour).
   */
  getHistoricalCumulativeEnergy2(
    query: { timestamp?: Date; points?: number } = {},
    options?: RequestOptions,
  ): Promise<BidirectionalReading[]> {
    return this.#series('history2', options, () =>
      this.setHistory2Time(query.timestamp ?? new Date(this.now()), query.points ?? 12, options),
    );
  }

  /** 0xEF: newest minute and number of points (1–10) for EE. */
  setHistory3Time(timestamp: Date, points = 10, options?: RequestOptions): Promise<void> {
    const time = floorJst(timestamp, 1);
    return this.setRaw(
      [{ epc: P.history3Request.epc, edt: P.history3Request.encode({ time, count: points }) }],
      options,
    );
  }
  /** 0xEF as set on the meter. */
  async getHistory3Time(options?: RequestOptions): Promise<HistoryWindow> {
    const v = await this.one('history3Request', options);
    return { timestamp: v.time === null ? null : jstToDate({ ...v.time, second: 0 }), points: v.count };
  }
  /** Historical data 3 (EE): up to 10 one-minute readings both ways, newest first. */
  getHistoricalCumulativeEnergy3(
    query: { timestamp?: Date; points?: number } = {},
    options?: RequestOptions,
  ): Promise<BidirectionalReading[]> {
    return this.#series('history3', options, () =>
      this.setHistory3Time(query.timestamp ?? new Date(this.now()), query.points ?? 10, options),
    );
  }

  #series(
    name: 'history2' | 'history3',
    options: RequestOptions | undefined,
    setWindow: () => Promise<void>,
  ): Promise<BidirectionalReading[]> {
    const def: Def<'history2' | 'history3'> = P[name];
    return this.#exclusive(async () => {
      await setWindow();
      const { raw, scale } = await this.energyScale([def.epc], options);
      const series = def.decode(need(raw, def.epc));
      const kwh = (c: number | null) => countToKwh(c, scale.coefficient, scale.unitKwh);
      return series.points.map((p) => ({
        timestamp: jstToDate({ ...p.time, second: 0 }),
        normal: kwh(p.normal),
        reverse: kwh(p.reverse),
      }));
    });
  }

  /** Set-then-get pairs of the history properties must not interleave. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#history.then(fn, fn);
    this.#history = run.catch(() => undefined);
    return run;
  }
}

/** JST wall time of `d` floored to a multiple of `minutes`, seconds dropped. */
function floorJst(d: Date, minutes: number): JstDateTime {
  const t = dateToJst(d);
  return { ...t, minute: t.minute - (t.minute % minutes), second: 0 };
}
