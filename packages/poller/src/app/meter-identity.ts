/**
 * Who the meter is and how its counts turn into kWh: the EPANDESC address of the joined PAN,
 * manufacturer (8A), serial (8D), coefficient (D3), effective digits (D7) and unit (E1).
 * Identity and scale are asked in one frame at start and after every reconnection; the hourly
 * meta poll (D3/D7/E1) keeps the scale current.
 */
import type { MeterUpsert, StoreEntry } from '@b-route/store';
import type { MeterPort, RequestSignal } from './meter-port.js';
import {
  type EnergyScale,
  EPC,
  type MeterFacts,
  meterRow,
  type Readings,
  readingValue,
  scaleFrom,
} from './rows.js';

export const IDENTITY_EPCS: readonly number[] = [
  EPC.manufacturer,
  EPC.serial,
  EPC.coefficient,
  EPC.digits,
  EPC.unit,
];
const META_EPCS = new Set<number>([EPC.coefficient, EPC.digits, EPC.unit]);

export class MeterIdentity {
  #facts: MeterFacts | undefined;

  /** Known once the first identification answered with a unit. */
  get facts(): MeterFacts | undefined {
    return this.#facts;
  }

  /**
   * Asks identity and scale in one frame; returns the meter row to store.
   * @throws whatever `client.get` throws; Error when the client has no PAN or the meter gives no unit (E1).
   */
  async identify(client: MeterPort, now: () => number, options?: RequestSignal): Promise<MeterUpsert> {
    const readings = await client.get(IDENTITY_EPCS, options);
    const id = client.pan?.mac;
    if (id === undefined) throw new Error('the client has no PAN: not joined');
    const row = this.absorb(id, now(), readings);
    if (!row) throw new Error('the meter did not answer its unit of energy (EPC E1)');
    return row.row as MeterUpsert;
  }

  /**
   * Takes D3/D7/E1 out of any answer that carries them. Returns the meter row to store when the
   * answer had identity or scale properties, undefined otherwise (or when no unit is known yet).
   */
  absorb(id: string, at: number, readings: Readings): StoreEntry | undefined {
    const relevant = [...readings.keys()].some((epc) => META_EPCS.has(epc) || epc === EPC.serial);
    if (!relevant) return undefined;
    const previous = this.#facts?.id === id ? this.#facts : undefined;
    const scale: EnergyScale | undefined = scaleFrom(readings, previous?.scale);
    if (!scale) return undefined;
    const digits = readingValue<number>(readings, EPC.digits) ?? previous?.digits;
    this.#facts = { id, scale, ...(digits === undefined ? {} : { digits }) };
    return { kind: 'meter', row: meterRow(id, at, readings, scale) };
  }

  /** Facts for `id`, or undefined when they belong to another meter (or none yet). */
  factsFor(id: string | undefined): MeterFacts | undefined {
    return id !== undefined && this.#facts?.id === id ? this.#facts : undefined;
  }
}
