/**
 * Properties with no column of their own (keilog-style requests: E1, EA/EB, D0/D1, … where a
 * meter has them) → rows of extra.meter_property, so that nothing a poll answered is dropped.
 * E7, E8, E0 and E3 are stored in power_sample and energy_reading and not repeated here.
 */
import { toHex } from '@b-route/echonet';
import type { StoreEntry } from '@b-route/store';
import { EPC, type Readings } from './rows.js';

const STORED_ELSEWHERE: ReadonlySet<number> = new Set([EPC.power, EPC.currents, EPC.normal, EPC.reverse]);

/** JSON text of a decoded value: bytes as hex, bigints as strings. */
export function valueJson(value: unknown): string | null {
  if (value === undefined) return null;
  return JSON.stringify(value, (_k, v: unknown) =>
    v instanceof Uint8Array ? toHex(v) : typeof v === 'bigint' ? v.toString() : v,
  );
}

/** One row per answered property not stored elsewhere (a property the meter lacks is left out). */
export function meterPropertyEntries(meter: string, at: number, readings: Readings): StoreEntry[] {
  const out: StoreEntry[] = [];
  for (const [epc, r] of readings) {
    if (!r.edt || STORED_ELSEWHERE.has(epc)) continue;
    out.push({
      kind: 'extra.meter_property',
      row: { meter, time: new Date(at), epc, edt: toHex(r.edt), value: valueJson(r.value) },
    });
  }
  return out;
}
