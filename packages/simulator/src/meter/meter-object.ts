import { floorTo, HALF_HOUR_MS, MINUTE_MS } from '@b-route/core';
import { dateToJst, EOJ, jstToDate, METER_PROPERTIES as P } from '@b-route/echonet';
import type { EnergyCounters } from './counters.js';
import type { EchonetObject } from './esv-handler.js';
import { MAX_POINTS_HALF_HOUR, MAX_POINTS_MINUTE, type MeterHistory } from './history.js';
import type { Household, PowerSample } from './household.js';

/**
 * The low-voltage smart electric energy meter object, class 0x0288 instance 1 (Appendix
 * §3.3.25): every property of protocol.md §5, read from the household model, the counters and
 * the histories at the simulated instant. Set is accepted for E5, ED and EF only.
 */
export interface MeterIdentity {
  /** 82: Appendix release letter. Default 'F' (the release of the captured real meter). */
  readonly release: string;
  /** 8A: manufacturer code, 6 hex digits. Default '000016'. */
  readonly manufacturerCode: string;
  /** 8D: production number, up to 12 ASCII characters. */
  readonly productionNumber: string;
  /** 83: identification number, 17 bytes as hex; null = not implemented (Get_SNA), like some real meters. */
  readonly identificationNumber: string | null;
  /** 81: installation location code. Default 0x00. */
  readonly installationLocation: number;
}

export interface MeterObjectDeps {
  readonly now: () => number;
  readonly household: Household;
  readonly counters: EnergyCounters;
  readonly history: MeterHistory;
  readonly identity: MeterIdentity;
  /** EPCs this meter does not implement (answered at PDC 0, left out of 9F/9E). */
  readonly omit?: readonly number[];
  /** Implement D0 (one-minute cumulative energy, newer releases). */
  readonly oneMinuteEnergy?: boolean;
  /** Called for every E7/E8 answer with the sample served (once per instant). */
  readonly onPowerServed?: (time: number, sample: PowerSample) => void;
}

interface HistoryRequestState {
  readonly time: number;
  readonly count: number;
}

/** 9D: properties whose change this meter announces (as in the captured real meter). */
const STATUS_CHANGE_EPCS = [0x80, 0x81, 0x88];
const GET_EPCS = [
  0x80, 0x81, 0x82, 0x83, 0x88, 0x8a, 0x8d, 0x97, 0x98, 0x9d, 0x9e, 0x9f, 0xd3, 0xd7, 0xe0, 0xe1, 0xe2, 0xe3,
  0xe4, 0xe5, 0xe7, 0xe8, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
];
const SET_EPCS = [0xe5, 0xed, 0xef];
/** E5 range of the spec (0 = today … 99); days the meter does not keep read as no data. */
const MAX_HISTORY_DAY = 99;

export class MeterObject implements EchonetObject {
  readonly eoj = EOJ.smartMeter;
  readonly getEpcs: readonly number[];
  readonly setEpcs: readonly number[];
  readonly #d: MeterObjectDeps;
  #fault = false;
  #historyDay = 0;
  #history2: HistoryRequestState | null = null;
  #history3: HistoryRequestState | null = null;
  #lastServed = Number.NaN;
  /** EDTs served as they are instead of the measured value (a fault switch). */
  readonly #raw = new Map<number, Uint8Array>();

  constructor(deps: MeterObjectDeps) {
    this.#d = deps;
    const omit = new Set(deps.omit ?? []);
    if (deps.identity.identificationNumber === null) omit.add(0x83);
    const get = deps.oneMinuteEnergy ? [...GET_EPCS, 0xd0] : GET_EPCS;
    this.getEpcs = get.filter((e) => !omit.has(e)).sort((a, b) => a - b);
    this.setEpcs = SET_EPCS.filter((e) => !omit.has(e));
  }

  /** 88 fault status. */
  get fault(): boolean {
    return this.#fault;
  }

  set fault(on: boolean) {
    this.#fault = on;
  }

  /** E5 as last set (0 = today). */
  get historyDay(): number {
    return this.#historyDay;
  }

  /** From now on, answers a Get of `epc` with `edt` as it is; undefined restores the measured value. */
  serveRaw(epc: number, edt: Uint8Array | undefined): void {
    if (edt) this.#raw.set(epc, edt);
    else this.#raw.delete(epc);
  }

  get(epc: number): Uint8Array | undefined {
    if (!this.getEpcs.includes(epc)) return undefined;
    const raw = this.#raw.get(epc);
    if (raw) return raw;
    const d = this.#d;
    const now = d.now();
    const id = d.identity;
    switch (epc) {
      case 0x80:
        return P.operationStatus.encode('on');
      case 0x81:
        return P.installationLocation.encode(id.installationLocation);
      case 0x82:
        return P.standardVersion.encode(id.release);
      case 0x83:
        return P.identificationNumber.encode(id.identificationNumber ?? '');
      case 0x88:
        return P.faultStatus.encode(this.#fault);
      case 0x8a:
        return P.manufacturerCode.encode(id.manufacturerCode);
      case 0x8d:
        return P.productionNumber.encode(id.productionNumber);
      case 0x97: {
        const t = dateToJst(new Date(now));
        return P.currentTime.encode({ hour: t.hour, minute: t.minute });
      }
      case 0x98:
        return P.currentDate.encode(dateToJst(new Date(now)));
      case 0x9d:
        return P.statusChangePropertyMap.encode(STATUS_CHANGE_EPCS);
      case 0x9e:
        return P.setPropertyMap.encode([...this.setEpcs]);
      case 0x9f:
        return P.getPropertyMap.encode([...this.getEpcs]);
      case 0xd0: {
        const minute = floorTo(now, MINUTE_MS);
        const c = d.history.countsAt(now, minute);
        return P.oneMinuteEnergy.encode({
          time: dateToJst(new Date(minute)),
          normal: c?.normal ?? null,
          reverse: c?.reverse ?? null,
        });
      }
      case 0xd3:
        return P.coefficient.encode(d.counters.coefficient);
      case 0xd7:
        return P.effectiveDigits.encode(d.counters.digits);
      case 0xe0:
        return P.cumulativeEnergyNormal.encode(d.history.countsAt(now, now)?.normal ?? null);
      case 0xe1:
        return P.energyUnit.encode({ code: d.counters.unitCode, kwh: d.counters.unitKwh });
      case 0xe2:
        return P.historyNormal.encode({
          day: this.#historyDay,
          counts: d.history.day(now, this.#historyDay).normal,
        });
      case 0xe3:
        return P.cumulativeEnergyReverse.encode(d.history.countsAt(now, now)?.reverse ?? null);
      case 0xe4:
        return P.historyReverse.encode({
          day: this.#historyDay,
          counts: d.history.day(now, this.#historyDay).reverse,
        });
      case 0xe5:
        return P.historyDay.encode(this.#historyDay);
      case 0xe7:
        return P.instantaneousPower.encode(this.#serve(now).powerW);
      case 0xe8: {
        const s = this.#serve(now);
        return P.instantaneousCurrents.encode({ r: s.currentR, t: s.currentT });
      }
      case 0xea:
      case 0xeb: {
        const f = d.history.fixedTime(now);
        const count = f.counts === null ? null : epc === 0xea ? f.counts.normal : f.counts.reverse;
        const time = dateToJst(new Date(f.time));
        return (epc === 0xea ? P.fixedTimeEnergyNormal : P.fixedTimeEnergyReverse).encode({ time, count });
      }
      case 0xec:
        return P.history2.encode(this.#series(now, this.#history2Request(now), HALF_HOUR_MS));
      case 0xed: {
        const r = this.#history2Request(now);
        return P.history2Request.encode({ time: dateToJst(new Date(r.time)), count: r.count });
      }
      case 0xee:
        return P.history3.encode(this.#series(now, this.#history3Request(now), MINUTE_MS));
      case 0xef: {
        const r = this.#history3Request(now);
        return P.history3Request.encode({ time: dateToJst(new Date(r.time)), count: r.count });
      }
      default:
        return undefined;
    }
  }

  set(epc: number, edt: Uint8Array): boolean {
    if (!this.setEpcs.includes(epc)) return false;
    const now = this.#d.now();
    try {
      switch (epc) {
        case 0xe5: {
          const day = P.historyDay.decode(edt);
          if (day > MAX_HISTORY_DAY) return false;
          this.#historyDay = day;
          return true;
        }
        case 0xed: {
          const r = P.history2Request.decode(edt);
          // A real meter refuses an unset (all-FF) time in a Set: SetC_SNA.
          if (r.time === null) return false;
          const time = jstToDate(r.time).getTime();
          if (!this.#d.history.acceptsHalfHourRequest(now, time, r.count)) return false;
          this.#history2 = { time, count: r.count };
          return true;
        }
        case 0xef: {
          const r = P.history3Request.decode(edt);
          // A real meter refuses an unset (all-FF) time in a Set: SetC_SNA.
          if (r.time === null) return false;
          const time = jstToDate(r.time).getTime();
          if (!this.#d.history.acceptsMinuteRequest(now, time, r.count)) return false;
          this.#history3 = { time, count: r.count };
          return true;
        }
        default:
          return false;
      }
    } catch {
      // A wrong size or an impossible date: the meter refuses it (SetC_SNA).
      return false;
    }
  }

  /** Until ED is set, EC follows the last half-hour boundary with 12 points. */
  #history2Request(now: number): HistoryRequestState {
    return this.#history2 ?? { time: floorTo(now, HALF_HOUR_MS), count: MAX_POINTS_HALF_HOUR };
  }

  /** Until EF is set, EE follows the last whole minute with 10 points. */
  #history3Request(now: number): HistoryRequestState {
    return this.#history3 ?? { time: floorTo(now, MINUTE_MS), count: MAX_POINTS_MINUTE };
  }

  #series(now: number, r: HistoryRequestState, stepMs: number) {
    const points = this.#d.history.series(now, r.time, r.count, stepMs).map((p) => ({
      time: dateToJst(new Date(p.time)),
      normal: p.normal,
      reverse: p.reverse,
    }));
    return { time: dateToJst(new Date(r.time)), points };
  }

  #serve(now: number): PowerSample {
    const sample = this.#d.household.sampleAt(now);
    if (now !== this.#lastServed) {
      this.#lastServed = now;
      this.#d.onPowerServed?.(now, sample);
    }
    return sample;
  }
}
