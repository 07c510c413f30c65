import { METER_PROPERTIES } from '@b-route/echonet';
import { describe, expect, it } from 'vitest';
import {
  EPC,
  energyReadingEntry,
  fixedTimeEntry,
  historyEntries,
  meterRow,
  pollIntervalEntries,
  powerSampleEntry,
  type Readings,
  scaleFrom,
} from './rows.js';

const METER = '001C6400601421A3';
const AT = Date.UTC(2026, 4, 20, 5, 0, 12);
const P = METER_PROPERTIES;

/** Readings as the client returns them: the EDT the meter sent (null = not supported) and its decoded value. */
function readings(values: Array<[number, Uint8Array | null]>): Readings {
  const out = new Map<number, { edt: Uint8Array | null; value: unknown }>();
  for (const [epc, edt] of values) {
    const def = Object.values(P).find((d) => d.epc === epc)!;
    out.set(epc, { edt, value: edt ? def.decode(edt) : undefined });
  }
  return out;
}

describe('scaleFrom', () => {
  it('takes D3 and E1; a meter without D3 (Get_SNA) uses coefficient 1', () => {
    expect(
      scaleFrom(
        readings([
          [EPC.coefficient, P.coefficient.encode(10)],
          [EPC.unit, Uint8Array.of(0x02)],
        ]),
      ),
    ).toEqual({
      coefficient: 10,
      unitKwh: 0.01,
    });
    expect(
      scaleFrom(
        readings([
          [EPC.coefficient, null],
          [EPC.unit, Uint8Array.of(0x01)],
        ]),
      ),
    ).toEqual({
      coefficient: 1,
      unitKwh: 0.1,
    });
  });

  it('keeps what the answer does not carry, and knows nothing without any unit', () => {
    expect(scaleFrom(readings([[EPC.digits, Uint8Array.of(6)]]), { coefficient: 3, unitKwh: 0.1 })).toEqual({
      coefficient: 3,
      unitKwh: 0.1,
    });
    expect(scaleFrom(readings([[EPC.coefficient, P.coefficient.encode(2)]]))).toBeUndefined();
  });
});

describe('rows', () => {
  it('E7 + E8 → power_sample with signed power and both currents; T phase null on two-wire', () => {
    const r = readings([
      [EPC.power, P.instantaneousPower.encode(-420)],
      [EPC.currents, P.instantaneousCurrents.encode({ r: 12.3, t: null })],
    ]);
    expect(powerSampleEntry(METER, AT, r)).toEqual({
      kind: 'power_sample',
      row: { meter: METER, time: new Date(AT), power_w: -420, current_r_a: 12.3, current_t_a: null },
    });
    expect(
      powerSampleEntry(METER, AT, readings([[EPC.normal, P.cumulativeEnergyNormal.encode(5)]])),
    ).toBeUndefined();
  });

  it('E0 + E3 → energy_reading: counts, kWh = count × D3 × E1, and the scale used', () => {
    const r = readings([
      [EPC.normal, P.cumulativeEnergyNormal.encode(65139)],
      [EPC.reverse, P.cumulativeEnergyReverse.encode(null)],
    ]);
    expect(energyReadingEntry(METER, AT, r, { coefficient: 1, unitKwh: 0.1 })?.row).toEqual({
      meter: METER,
      time: new Date(AT),
      normal_count: 65139,
      reverse_count: null,
      normal_kwh: 6513.9,
      reverse_kwh: null,
      coefficient: 1,
      unit_kwh: 0.1,
    });
  });

  it('E0/E3 polled at a boundary → poll slot rows; a no-data count gives none', () => {
    const slot = Date.UTC(2026, 4, 20, 5, 0, 0);
    const r = readings([
      [EPC.normal, P.cumulativeEnergyNormal.encode(1234)],
      [EPC.reverse, P.cumulativeEnergyReverse.encode(null)],
    ]);
    expect(pollIntervalEntries(METER, slot, r, { coefficient: 10, unitKwh: 0.01 })).toEqual([
      {
        kind: 'energy_interval',
        row: {
          meter: METER,
          direction: 'normal',
          slot: new Date(slot),
          count: 1234,
          kwh: 123.4,
          source: 'poll',
        },
      },
    ]);
  });

  it('EA/EB → fixed-time rows at the JST time they carry', () => {
    const scale = { coefficient: 1, unitKwh: 0.1 };
    const time = { year: 2026, month: 5, day: 20, hour: 14, minute: 30, second: 0 };
    expect(fixedTimeEntry(METER, EPC.fixedReverse, { time, count: 17 }, scale)?.row).toEqual({
      meter: METER,
      direction: 'reverse',
      slot: new Date(Date.UTC(2026, 4, 20, 5, 30)),
      count: 17,
      kwh: 1.7,
      source: 'fixed-time',
    });
    expect(fixedTimeEntry(METER, EPC.fixedNormal, { time: null, count: 17 }, scale)).toBeUndefined();
    expect(fixedTimeEntry(METER, EPC.power, { time, count: 17 }, scale)).toBeUndefined();
  });

  it('E2 of day N → history rows for the 48 half hours of today − N (JST), no-data slots reported apart', () => {
    const counts = Array.from({ length: 48 }, (_, i) => (i < 46 ? 1000 + i : null));
    const { entries, empty } = historyEntries(
      METER,
      'normal',
      { day: 2, counts },
      { coefficient: 1, unitKwh: 0.1 },
      { year: 2026, month: 3, day: 1 },
    );
    expect(entries).toHaveLength(46);
    // Two days before 1 March 2026 is 27 February; 00:00 JST is 15:00 UTC the day before.
    expect(entries[0]!.row).toMatchObject({
      slot: new Date(Date.UTC(2026, 1, 26, 15, 0)),
      count: 1000,
      kwh: 100,
    });
    expect(entries[45]!.row).toMatchObject({
      slot: new Date(Date.UTC(2026, 1, 27, 13, 30)),
      source: 'history',
    });
    expect(empty).toEqual([new Date(Date.UTC(2026, 1, 27, 14, 0)), new Date(Date.UTC(2026, 1, 27, 14, 30))]);
  });

  it('meter row: serial, manufacturer, digits and scale when the answer has them', () => {
    const r = readings([
      [EPC.manufacturer, P.manufacturerCode.encode('000016')],
      [EPC.serial, P.productionNumber.encode('SM0123456789')],
      [EPC.digits, Uint8Array.of(6)],
    ]);
    expect(meterRow(METER, AT, r, { coefficient: 1, unitKwh: 0.1 })).toEqual({
      meter: METER,
      seen: new Date(AT),
      serial: 'SM0123456789',
      manufacturer: '000016',
      digits: 6,
      coefficient: 1,
      unit_kwh: 0.1,
    });
    expect(meterRow(METER, AT, readings([]))).toEqual({ meter: METER, seen: new Date(AT) });
  });
});
