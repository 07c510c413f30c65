import { EchonetError } from '../errors.js';
import { propertyDef } from '../frame/describe.js';
import { countToKwh, type EnergyScale } from '../frame/energy.js';
import { jstToDate } from '../frame/jst-time.js';
import {
  DEFAULT_COEFFICIENT,
  METER_PROPERTIES,
  type MeterPropertyName,
  type MeterValue,
} from '../frame/meter-properties.js';
import type { PropertyDef } from '../frame/property-def.js';
import type { Property } from '../frame/types.js';
import type { RawValues, RequestOptions } from './request-queue.js';

/** A cumulative energy at an instant. */
export interface EnergyReading {
  readonly timestamp: Date;
  /** kWh (count × coefficient × unit); null when the meter has no data for the slot. */
  readonly kwh: number | null;
}

/** Cumulative energy in both directions at an instant (historical data 2 and 3). */
export interface BidirectionalReading {
  readonly timestamp: Date;
  readonly normal: number | null;
  readonly reverse: number | null;
}

/** The time (newest point) and number of points the meter returns for historical data 2/3. */
export interface HistoryWindow {
  /** `null` when the meter reports the window as not set yet (all FF). */
  readonly timestamp: Date | null;
  readonly points: number;
}

export interface Currents {
  /** R phase, A; null when the meter reports no data. */
  readonly r: number | null;
  /** T phase, A; null on single-phase two-wire service. */
  readonly t: number | null;
}

/** One property as `get()` returns it. */
export interface PropertyReading {
  readonly epc: number;
  /** Table name (`instantaneousPower`), or `unknown`. */
  readonly name: string;
  /** The EDT; null when the meter does not have the property. */
  readonly edt: Uint8Array | null;
  /** The decoded value (undefined for unknown EPCs and unsupported properties). */
  readonly value: unknown;
}

const P = METER_PROPERTIES;

/**
 * The meter's properties as typed methods: every getter of momonga and the rest of class
 * 0x0288. Energies are converted to kWh with the coefficient (D3, 1 when absent) and the unit
 * (E1), read once and asked in the same frame as the first energy. Subclasses provide the wire.
 */
export abstract class MeterReader {
  #scale: EnergyScale | undefined;

  /** Asks EPCs of the meter object (one frame with whatever else is asked meanwhile). */
  protected abstract getRaw(epcs: readonly number[], options?: RequestOptions): Promise<RawValues>;
  /** Writes properties of the meter object (SetC). */
  protected abstract setRaw(props: readonly Property[], options?: RequestOptions): Promise<void>;
  /** The EOJ of the meter object (for decoding). */
  protected abstract get meterEoj(): number;
  /** Epoch ms now, on the injected clock. */
  protected abstract now(): number;

  /** Forgets the coefficient and unit (another meter was joined). */
  protected forgetScale(): void {
    this.#scale = undefined;
  }

  /**
   * Reads properties by EPC, decoded where the table knows them.
   * @throws EchonetError `client.closed`, `request.aborted`, `property.size`/`property.range`.
   */
  async get(epcs: readonly number[], options?: RequestOptions): Promise<Map<number, PropertyReading>> {
    const raw = await this.getRaw(epcs, options);
    const out = new Map<number, PropertyReading>();
    for (const epc of epcs) {
      const edt = raw.get(epc) ?? null;
      const def = propertyDef(this.meterEoj, epc);
      out.set(epc, {
        epc,
        name: def?.name ?? 'unknown',
        edt,
        value: edt && def ? def.decode(edt) : undefined,
      });
    }
    return out;
  }

  /**
   * Reads properties by table name in one frame: `read(['instantaneousPower', 'cumulativeEnergyNormal'])`.
   * A property the meter lacks reads as null.
   */
  async read<N extends MeterPropertyName>(
    names: readonly N[],
    options?: RequestOptions,
  ): Promise<{ [K in N]: MeterValue<K> | null }> {
    const raw = await this.getRaw(
      names.map((n) => P[n].epc),
      options,
    );
    const out = {} as Record<N, unknown>;
    for (const n of names) {
      const edt = raw.get(P[n].epc);
      out[n] = edt ? (P[n] as PropertyDef).decode(edt) : null;
    }
    return out as { [K in N]: MeterValue<K> | null };
  }

  /** 0x80 operation status: true on, false off, null when the meter does not say. */
  async getOperationStatus(options?: RequestOptions): Promise<boolean | null> {
    const v = await this.#optional('operationStatus', options);
    return v === null ? null : v === 'on';
  }
  /** 0x81 installation location code (or the 17-byte form as hex). */
  getInstallationLocation(options?: RequestOptions): Promise<number | string> {
    return this.one('installationLocation', options);
  }
  /** 0x82 standard version of the Appendix, e.g. `F`. */
  getStandardVersion(options?: RequestOptions): Promise<string> {
    return this.one('standardVersion', options);
  }
  /** 0x83 identification number; null on meters without it. */
  getIdentificationNumber(options?: RequestOptions): Promise<string | null> {
    return this.#optional('identificationNumber', options);
  }
  /** 0x88 fault status: true when the meter reports a fault. */
  getFaultStatus(options?: RequestOptions): Promise<boolean> {
    return this.one('faultStatus', options);
  }
  /** 0x8A manufacturer code, 6 hex digits. */
  getManufacturerCode(options?: RequestOptions): Promise<string> {
    return this.one('manufacturerCode', options);
  }
  /** 0x8D production (serial) number; null on meters without it. */
  getProductionNumber(options?: RequestOptions): Promise<string | null> {
    return this.#optional('productionNumber', options);
  }
  /** 0x97 + 0x98 in one frame: the meter's clock (JST) as an instant. */
  async getCurrentDateTime(options?: RequestOptions): Promise<Date> {
    const v = await this.read(['currentDate', 'currentTime'], options);
    if (!v.currentDate || !v.currentTime) throw unsupported(v.currentDate ? 0x97 : 0x98);
    return jstToDate({ ...v.currentDate, ...v.currentTime, second: 0 });
  }
  /** 0x9D status-change announcement property map. */
  getStatusChangePropertyMap(options?: RequestOptions): Promise<number[]> {
    return this.one('statusChangePropertyMap', options);
  }
  /** 0x9E Set property map. */
  getSetPropertyMap(options?: RequestOptions): Promise<number[]> {
    return this.one('setPropertyMap', options);
  }
  /** 0x9F Get property map. */
  getGetPropertyMap(options?: RequestOptions): Promise<number[]> {
    return this.one('getPropertyMap', options);
  }

  /** 0xD3 coefficient for cumulative energies; 1 when the meter lacks D3. */
  async getCoefficient(options?: RequestOptions): Promise<number> {
    return (await this.energyScale([], options)).scale.coefficient;
  }
  /** 0xD7 number of effective digits of the cumulative energy counters. */
  getEffectiveDigits(options?: RequestOptions): Promise<number> {
    return this.one('effectiveDigits', options);
  }
  /** 0xE1 unit of the cumulative energies, kWh per count (0.1, 1, 10 …). */
  async getEnergyUnit(options?: RequestOptions): Promise<number> {
    return (await this.energyScale([], options)).scale.unitKwh;
  }
  /** 0xE0 (normal) / 0xE3 (`reverse: true`) cumulative energy, kWh. */
  async getCumulativeEnergy(
    query: { reverse?: boolean } = {},
    options?: RequestOptions,
  ): Promise<number | null> {
    const def = query.reverse ? P.cumulativeEnergyReverse : P.cumulativeEnergyNormal;
    const { raw, scale } = await this.energyScale([def.epc], options);
    return countToKwh(def.decode(need(raw, def.epc)), scale.coefficient, scale.unitKwh);
  }
  /** 0xE7 instantaneous power, W; negative while selling; null when the meter has no data. */
  getInstantaneousPower(options?: RequestOptions): Promise<number | null> {
    return this.one('instantaneousPower', options);
  }
  /** 0xE8 instantaneous currents, A. */
  getInstantaneousCurrent(options?: RequestOptions): Promise<Currents> {
    return this.one('instantaneousCurrents', options);
  }
  /** 0xEA (normal) / 0xEB (`reverse: true`) cumulative energy at the last 30-minute mark. */
  async getFixedTimeCumulativeEnergy(
    query: { reverse?: boolean } = {},
    options?: RequestOptions,
  ): Promise<{ timestamp: Date | null; kwh: number | null }> {
    const def = query.reverse ? P.fixedTimeEnergyReverse : P.fixedTimeEnergyNormal;
    const { raw, scale } = await this.energyScale([def.epc], options);
    const v = def.decode(need(raw, def.epc));
    return {
      timestamp: v.time ? jstToDate(v.time) : null,
      kwh: countToKwh(v.count, scale.coefficient, scale.unitKwh),
    };
  }
  /** 0xD0 one-minute cumulative energy (newer meters), kWh both ways; null when absent. */
  async getOneMinuteCumulativeEnergy(options?: RequestOptions): Promise<BidirectionalReading | null> {
    const { raw, scale } = await this.energyScale([P.oneMinuteEnergy.epc], options);
    const edt = raw.get(P.oneMinuteEnergy.epc);
    if (!edt) return null;
    const v = P.oneMinuteEnergy.decode(edt);
    if (!v.time) return null;
    const kwh = (c: number | null) => countToKwh(c, scale.coefficient, scale.unitKwh);
    return { timestamp: jstToDate(v.time), normal: kwh(v.normal), reverse: kwh(v.reverse) };
  }

  /** `epcs` plus D3/E1 when not yet known, in one frame. */
  protected async energyScale(
    epcs: readonly number[],
    options?: RequestOptions,
  ): Promise<{ raw: RawValues; scale: EnergyScale }> {
    const known = this.#scale;
    const ask = known ? epcs : [...epcs, P.coefficient.epc, P.energyUnit.epc];
    const raw = await this.getRaw(ask, options);
    if (known) return { raw, scale: known };
    const d3 = raw.get(P.coefficient.epc);
    const scale: EnergyScale = {
      coefficient: d3 ? P.coefficient.decode(d3) : DEFAULT_COEFFICIENT,
      unitKwh: P.energyUnit.decode(need(raw, P.energyUnit.epc)).kwh,
    };
    this.#scale = scale;
    return { raw, scale };
  }

  protected async one<N extends MeterPropertyName>(
    name: N,
    options?: RequestOptions,
  ): Promise<MeterValue<N>> {
    const def = P[name] as PropertyDef<MeterValue<N>>;
    return def.decode(need(await this.getRaw([def.epc], options), def.epc));
  }

  async #optional<N extends MeterPropertyName>(
    name: N,
    options?: RequestOptions,
  ): Promise<MeterValue<N> | null> {
    const def = P[name] as PropertyDef<MeterValue<N>>;
    const edt = (await this.getRaw([def.epc], options)).get(def.epc);
    return edt ? def.decode(edt) : null;
  }
}

/** The EDT of `epc`. @throws EchonetError `request.sna` when the meter does not have it. */
export function need(raw: RawValues, epc: number): Uint8Array {
  const edt = raw.get(epc);
  if (!edt) throw unsupported(epc);
  return edt;
}

function unsupported(epc: number): EchonetError {
  const hex = epc.toString(16).toUpperCase().padStart(2, '0');
  return new EchonetError('request.sna', `the meter does not support EPC 0x${hex}`, { context: { epc } });
}
