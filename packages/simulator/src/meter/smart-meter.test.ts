import { DAY_MS, HALF_HOUR_MS, HOUR_MS, MINUTE_MS } from '@b-route/core';
import {
  decodeFrame,
  decodeProperty,
  EOJ,
  ESV,
  encodeFrame,
  type Frame,
  fromHex,
  jstToDate,
  NODE_PROFILE_PROPERTIES as NP,
  METER_PROPERTIES as P,
} from '@b-route/echonet';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../clock.js';
import { type MeterLogger, SmartMeter, type SmartMeterOptions } from './smart-meter.js';
import { TruthRecorder } from './truth.js';

/** 2026-05-20 14:26:17 JST. */
const START = Date.UTC(2026, 4, 20, 5, 26, 17);
const TODAY = Date.UTC(2026, 4, 19, 15); // 00:00 JST
const FROM = 'FE80:0000:0000:0000:021D:1290:0005:747B';

function makeMeter(extra: Partial<SmartMeterOptions> = {}) {
  const clock = new SimClock({ start: START, speed: 0 });
  const meter = new SmartMeter({ clock, seed: 7, household: { solar: { peakW: 4500 } }, ...extra });
  return { clock, meter };
}

let tid = 0x100;
function request(esv: number, props: [number, Uint8Array?][], deoj: number = EOJ.smartMeter): Uint8Array {
  return encodeFrame({
    tid: ++tid,
    seoj: EOJ.controller,
    deoj,
    esv,
    properties: props.map(([epc, edt]) => ({ epc, edt: edt ?? new Uint8Array(0) })),
  });
}

function ask(meter: SmartMeter, esv: number, props: [number, Uint8Array?][], deoj?: number): Frame {
  const out = meter.handleFrame(request(esv, props, deoj), FROM);
  expect(out).toHaveLength(1);
  const f = decodeFrame(out[0]!);
  expect(f.tid).toBe(tid);
  return f;
}

function get(meter: SmartMeter, ...epcs: number[]): Frame {
  return ask(
    meter,
    ESV.Get,
    epcs.map((e) => [e]),
  );
}

function edtOf(f: Frame, epc: number): Uint8Array {
  const p = f.properties.find((x) => x.epc === epc);
  expect(p, `EPC ${epc.toString(16)}`).toBeDefined();
  return p!.edt;
}

function historyTime(ms: number, n: number) {
  const d = new Date(ms + 9 * HOUR_MS);
  return {
    time: {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: 0,
    },
    count: n,
  };
}

describe('SmartMeter: reading', () => {
  let m: ReturnType<typeof makeMeter>;
  beforeAll(() => {
    m = makeMeter();
  });

  it('answers a single Get with the power the household draws, echoing the TID', () => {
    const f = get(m.meter, 0xe7);
    expect(f).toMatchObject({ esv: ESV.Get_Res, seoj: EOJ.smartMeter, deoj: EOJ.controller });
    expect(P.instantaneousPower.decode(edtOf(f, 0xe7))).toBe(m.meter.household.powerAt(START));
  });

  it('answers a multi-property Get with one Get_Res carrying every value', () => {
    const epcs = [0x80, 0x82, 0x88, 0x8a, 0x97, 0x98, 0xd3, 0xd7, 0xe0, 0xe1, 0xe3, 0xe7, 0xe8, 0xea, 0xeb];
    const f = get(m.meter, ...epcs);
    expect(f.esv).toBe(ESV.Get_Res);
    expect(f.properties.map((p) => p.epc)).toEqual(epcs);
    const counts = m.meter.counters.countsAt(START)!;
    const sample = m.meter.household.sampleAt(START);
    expect(P.operationStatus.decode(edtOf(f, 0x80))).toBe('on');
    expect(P.standardVersion.decode(edtOf(f, 0x82))).toBe('F');
    expect(P.faultStatus.decode(edtOf(f, 0x88))).toBe(false);
    expect(P.manufacturerCode.decode(edtOf(f, 0x8a))).toBe('000016');
    expect(P.currentTime.decode(edtOf(f, 0x97))).toEqual({ hour: 14, minute: 26 });
    expect(P.currentDate.decode(edtOf(f, 0x98))).toEqual({ year: 2026, month: 5, day: 20 });
    expect(P.coefficient.decode(edtOf(f, 0xd3))).toBe(1);
    expect(P.effectiveDigits.decode(edtOf(f, 0xd7))).toBe(6);
    expect(P.cumulativeEnergyNormal.decode(edtOf(f, 0xe0))).toBe(counts.normal);
    expect(P.energyUnit.decode(edtOf(f, 0xe1))).toEqual({ code: 0x01, kwh: 0.1 });
    expect(P.cumulativeEnergyReverse.decode(edtOf(f, 0xe3))).toBe(counts.reverse);
    expect(P.instantaneousPower.decode(edtOf(f, 0xe7))).toBe(sample.powerW);
    expect(P.instantaneousCurrents.decode(edtOf(f, 0xe8))).toEqual({
      r: sample.currentR,
      t: sample.currentT,
    });
    const boundary = TODAY + 14 * HOUR_MS;
    expect(P.fixedTimeEnergyNormal.decode(edtOf(f, 0xea))).toEqual({
      time: { year: 2026, month: 5, day: 20, hour: 14, minute: 0, second: 0 },
      count: m.meter.counters.countsAt(boundary)!.normal,
    });
    expect(P.fixedTimeEnergyReverse.decode(edtOf(f, 0xeb)).count).toBe(
      m.meter.counters.countsAt(boundary)!.reverse,
    );
  });

  it('answers an unsupported EPC with Get_SNA at PDC 0 while the others carry values', () => {
    const f = get(m.meter, 0xe7, 0xc0, 0xe0);
    expect(f.esv).toBe(ESV.Get_SNA);
    expect(f.properties.map((p) => [p.epc, p.edt.length])).toEqual([
      [0xe7, 4],
      [0xc0, 0],
      [0xe0, 4],
    ]);
  });

  it('lists exactly what it supports in 9F and 9E, and answers exactly those', () => {
    const f = get(m.meter, 0x9d, 0x9e, 0x9f);
    const getMap = P.getPropertyMap.decode(edtOf(f, 0x9f));
    expect(getMap.sort((a, b) => a - b)).toEqual([...m.meter.meter.getEpcs]);
    expect(getMap).toHaveLength(28);
    expect(P.setPropertyMap.decode(edtOf(f, 0x9e))).toEqual([0xe5, 0xed, 0xef]);
    expect(P.statusChangePropertyMap.decode(edtOf(f, 0x9d))).toEqual([0x80, 0x81, 0x88]);
    for (let epc = 0x80; epc <= 0xff; epc++) {
      const r = get(m.meter, epc);
      if (getMap.includes(epc)) {
        expect(r.esv, `EPC ${epc.toString(16)}`).toBe(ESV.Get_Res);
        // Every value decodes with the echonet property table.
        expect(() => decodeProperty(EOJ.smartMeter, epc, r.properties[0]!.edt)).not.toThrow();
      } else {
        expect(r.esv, `EPC ${epc.toString(16)}`).toBe(ESV.Get_SNA);
        expect(r.properties[0]!.edt.length).toBe(0);
      }
    }
  });

  it('answers like the captured real meter, byte for byte in the header', () => {
    // fixtures/real-traffic.txt: 1081 0001 028801 05FF01 72 01 E7 04 xxxxxxxx
    const out = m.meter.handleFrame(fromHex('1081000105FF010288016201E700'), FROM);
    expect(out[0]!.length).toBe(18);
    expect(Buffer.from(out[0]!.subarray(0, 14)).toString('hex').toUpperCase()).toBe(
      '1081000102880105FF017201E704',
    );
  });

  it('answers the node profile: instance list, version, maps', () => {
    const f = ask(
      m.meter,
      ESV.Get,
      [[0xd6], [0x82], [0x8a], [0x9f], [0xd3], [0xd7], [0x83]],
      EOJ.nodeProfile,
    );
    expect(f).toMatchObject({ esv: ESV.Get_Res, seoj: EOJ.nodeProfile, deoj: EOJ.controller });
    expect(NP.instanceList.decode(edtOf(f, 0xd6))).toEqual([EOJ.smartMeter]);
    expect(NP.version.decode(edtOf(f, 0x82))).toEqual({ major: 1, minor: 10, messageFormats: 0x0100 });
    expect(NP.instanceCount.decode(edtOf(f, 0xd3))).toBe(1);
    expect(NP.classList.decode(edtOf(f, 0xd7))).toEqual([0x0288]);
    expect(edtOf(f, 0x83)).toHaveLength(17);
    expect(NP.getPropertyMap.decode(edtOf(f, 0x9f))).toContain(0xd6);
    // Instance 0 addresses every instance of the class.
    expect(ask(m.meter, ESV.Get, [[0xd6]], 0x0ef000).esv).toBe(ESV.Get_Res);
    expect(ask(m.meter, ESV.Get, [[0xe7]], 0x028800).seoj).toBe(EOJ.smartMeter);
  });

  it('answers INF_REQ with an INF carrying the values', () => {
    const f = ask(m.meter, ESV.INF_REQ, [[0xe7]]);
    expect(f.esv).toBe(ESV.INF);
    expect(P.instantaneousPower.decode(edtOf(f, 0xe7))).toBe(m.meter.household.powerAt(START));
    expect(ask(m.meter, ESV.INF_REQ, [[0xc0]]).esv).toBe(ESV.INF_SNA);
  });

  it('confirms an INFC with INFC_Res at PDC 0', () => {
    const f = ask(m.meter, ESV.INFC, [[0x80, Uint8Array.of(0x30)]]);
    expect(f.esv).toBe(ESV.INFC_Res);
    expect(f.properties).toEqual([{ epc: 0x80, edt: new Uint8Array(0) }]);
  });

  it('answers nothing for objects it lacks or for responses', () => {
    expect(m.meter.handleFrame(request(ESV.Get, [[0x80]], 0x013001), FROM)).toEqual([]);
    expect(m.meter.handleFrame(request(ESV.Get_Res, [[0x80, Uint8Array.of(0x30)]]), FROM)).toEqual([]);
  });
});

describe('SmartMeter: history', () => {
  it('Set E5 then Get E2/E4 returns that day', () => {
    const { meter } = makeMeter();
    const set = ask(meter, ESV.SetC, [[0xe5, Uint8Array.of(1)]]);
    expect(set.esv).toBe(ESV.Set_Res);
    expect(set.properties).toEqual([{ epc: 0xe5, edt: new Uint8Array(0) }]);
    const f = get(meter, 0xe5, 0xe2, 0xe4);
    expect(P.historyDay.decode(edtOf(f, 0xe5))).toBe(1);
    const e2 = P.historyNormal.decode(edtOf(f, 0xe2));
    const e4 = P.historyReverse.decode(edtOf(f, 0xe4));
    expect(e2.day).toBe(1);
    for (let i = 0; i < 48; i++) {
      const c = meter.counters.countsAt(TODAY - DAY_MS + i * HALF_HOUR_MS)!;
      expect(e2.counts[i]).toBe(c.normal);
      expect(e4.counts[i]).toBe(c.reverse);
    }
  });

  it("today's future slots are no data; days the meter does not keep are all no data", () => {
    const { meter } = makeMeter();
    const today = P.historyNormal.decode(edtOf(get(meter, 0xe2), 0xe2));
    expect(today.counts.slice(0, 29).every((c) => c !== null)).toBe(true);
    expect(today.counts.slice(29).every((c) => c === null)).toBe(true);
    expect(ask(meter, ESV.SetC, [[0xe5, Uint8Array.of(60)]]).esv).toBe(ESV.Set_Res);
    const old = P.historyNormal.decode(edtOf(get(meter, 0xe2), 0xe2));
    expect(old).toEqual({ day: 60, counts: new Array(48).fill(null) });
    const refused = ask(meter, ESV.SetC, [[0xe5, Uint8Array.of(100)]]);
    expect(refused.esv).toBe(ESV.SetC_SNA);
    expect(refused.properties).toEqual([{ epc: 0xe5, edt: Uint8Array.of(100) }]);
  });

  it('EC follows ED: newest first in 30-minute steps', () => {
    const { meter } = makeMeter();
    const newest = TODAY - DAY_MS + 20 * HOUR_MS + 30 * MINUTE_MS;
    const set = ask(meter, ESV.SetC, [[0xed, P.history2Request.encode(historyTime(newest, 6))]]);
    expect(set.esv).toBe(ESV.Set_Res);
    const f = get(meter, 0xed, 0xec);
    expect(P.history2Request.decode(edtOf(f, 0xed))).toEqual(historyTime(newest, 6));
    const ec = P.history2.decode(edtOf(f, 0xec));
    expect(ec.points).toHaveLength(6);
    ec.points.forEach((p, i) => {
      const t = jstToDate(p.time).getTime();
      expect(t).toBe(newest - i * HALF_HOUR_MS);
      const c = meter.counters.countsAt(t)!;
      expect([p.normal, p.reverse]).toEqual([c.normal, c.reverse]);
    });
  });

  it('refuses an ED a real meter refuses (SetC_SNA) and keeps the previous one', () => {
    const { meter } = makeMeter();
    const ok = TODAY + 10 * HOUR_MS;
    expect(ask(meter, ESV.SetC, [[0xed, P.history2Request.encode(historyTime(ok, 12))]]).esv).toBe(
      ESV.Set_Res,
    );
    const bad = [
      P.history2Request.encode(historyTime(ok + 10 * MINUTE_MS, 12)), // not on :00/:30
      P.history2Request.encode(historyTime(TODAY + 15 * HOUR_MS, 12)), // future
      P.history2Request.encode(historyTime(TODAY - 50 * DAY_MS, 12)), // older than kept
      Uint8Array.of(0x07, 0xea, 0x05, 0x14, 0x0a, 0x00, 13), // n 13
      Uint8Array.of(0x07, 0xea, 0x02, 0x1e, 0x0a, 0x00, 1), // 30 February
      Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1), // not set
      Uint8Array.of(0x07, 0xea, 0x05, 0x14, 0x0a, 0x00), // short
    ];
    for (const edt of bad) {
      const f = ask(meter, ESV.SetC, [[0xed, edt]]);
      expect(f.esv).toBe(ESV.SetC_SNA);
      expect(f.properties[0]!.edt).toEqual(edt);
    }
    expect(P.history2Request.decode(edtOf(get(meter, 0xed), 0xed))).toEqual(historyTime(ok, 12));
  });

  it('EE follows EF in 1-minute steps; EC/EE default to the latest points before any Set', () => {
    const { meter } = makeMeter();
    const ec = P.history2.decode(edtOf(get(meter, 0xec), 0xec));
    expect(jstToDate(ec.time).getTime()).toBe(TODAY + 14 * HOUR_MS);
    expect(ec.points).toHaveLength(12);
    const ee0 = P.history3.decode(edtOf(get(meter, 0xee), 0xee));
    expect(jstToDate(ee0.time).getTime()).toBe(TODAY + 14 * HOUR_MS + 26 * MINUTE_MS);
    const newest = TODAY + 13 * HOUR_MS + 7 * MINUTE_MS;
    expect(ask(meter, ESV.SetC, [[0xef, P.history3Request.encode(historyTime(newest, 10))]]).esv).toBe(
      ESV.Set_Res,
    );
    expect(ask(meter, ESV.SetC, [[0xef, Uint8Array.of(0x07, 0xea, 0x05, 0x14, 0x0a, 0x00, 11)]]).esv).toBe(
      ESV.SetC_SNA,
    );
    const ee = P.history3.decode(edtOf(get(meter, 0xee), 0xee));
    expect(ee.points.map((p) => jstToDate(p.time).getTime())).toEqual(
      Array.from({ length: 10 }, (_, i) => newest - i * MINUTE_MS),
    );
    expect(ee.points[0]!.normal).toBe(meter.counters.countsAt(newest)!.normal);
  });

  it('refuses Sets of other properties and reports SetI failures only', () => {
    const { meter } = makeMeter();
    const f = ask(meter, ESV.SetC, [
      [0xe5, Uint8Array.of(2)],
      [0xe7, Uint8Array.of(0, 0, 0, 1)],
    ]);
    expect(f.esv).toBe(ESV.SetC_SNA);
    expect(f.properties).toEqual([
      { epc: 0xe5, edt: new Uint8Array(0) },
      { epc: 0xe7, edt: Uint8Array.of(0, 0, 0, 1) },
    ]);
    expect(meter.meter.historyDay).toBe(2);
    expect(meter.handleFrame(request(ESV.SetI, [[0xe5, Uint8Array.of(3)]]), FROM)).toEqual([]);
    expect(meter.meter.historyDay).toBe(3);
    expect(ask(meter, ESV.SetI, [[0x80, Uint8Array.of(0x31)]]).esv).toBe(ESV.SetI_SNA);
  });

  it('handles SetGet: set E5 and read E2 in one frame', () => {
    const { meter } = makeMeter();
    const bytes = encodeFrame({
      tid: 9,
      seoj: EOJ.controller,
      deoj: EOJ.smartMeter,
      esv: ESV.SetGet,
      properties: [{ epc: 0xe5, edt: Uint8Array.of(1) }],
      getProperties: [{ epc: 0xe2, edt: new Uint8Array(0) }],
    });
    const f = decodeFrame(meter.handleFrame(bytes, FROM)[0]!);
    expect(f.esv).toBe(ESV.SetGet_Res);
    expect(P.historyNormal.decode(f.getProperties![0]!.edt).day).toBe(1);
  });

  it('wraps E0 at 10^D7 from a configured initial count', () => {
    const { clock, meter } = makeMeter({ counters: { digits: 6, initialNormal: 999_998 } });
    expect(P.cumulativeEnergyNormal.decode(edtOf(get(meter, 0xe0), 0xe0))).toBe(999_998);
    clock.advance(6 * HOUR_MS);
    const e0 = P.cumulativeEnergyNormal.decode(edtOf(get(meter, 0xe0), 0xe0))!;
    expect(e0).toBeLessThan(999_998);
    const used = Math.floor(
      (meter.counters.energyWs(clock.now())!.normal - meter.counters.energyWs(START)!.normal) / 360_000,
    );
    expect(e0).toBe(999_998 + used - 1_000_000);
  });

  it('reports T = no data on two-wire service and omits what it is told to omit', () => {
    const { meter } = makeMeter({
      household: { wiring: 'two-wire' },
      omit: [0xd3],
      identity: { identificationNumber: null },
    });
    const f = get(meter, 0xe8, 0xd3, 0x83);
    expect(f.esv).toBe(ESV.Get_SNA);
    expect(P.instantaneousCurrents.decode(edtOf(f, 0xe8)).t).toBeNull();
    expect(edtOf(f, 0xd3)).toHaveLength(0);
    expect(edtOf(f, 0x83)).toHaveLength(0);
    const map = P.getPropertyMap.decode(edtOf(get(meter, 0x9f), 0x9f));
    expect(map).not.toContain(0xd3);
    expect(map).not.toContain(0x83);
  });
});

describe('SmartMeter: optional D0', () => {
  it('answers D0 (one-minute cumulative energy) only when enabled, and lists it in 9F', () => {
    expect(get(makeMeter().meter, 0xd0).esv).toBe(ESV.Get_SNA);
    const { meter } = makeMeter({ oneMinuteEnergy: true });
    const f = get(meter, 0xd0, 0x9f);
    expect(f.esv).toBe(ESV.Get_Res);
    const minute = TODAY + 14 * HOUR_MS + 26 * MINUTE_MS;
    const c = meter.counters.countsAt(minute)!;
    expect(P.oneMinuteEnergy.decode(edtOf(f, 0xd0))).toEqual({
      time: { year: 2026, month: 5, day: 20, hour: 14, minute: 26, second: 0 },
      normal: c.normal,
      reverse: c.reverse,
    });
    expect(P.getPropertyMap.decode(edtOf(f, 0x9f))).toContain(0xd0);
  });
});

describe('SmartMeter: picky mode', () => {
  it('refuses a Get of more than maxPropertiesPerGet properties with Get_SNA, all PDC 0', () => {
    const { meter } = makeMeter({ maxPropertiesPerGet: 3 });
    const refused = get(meter, 0xe7, 0xe8, 0xe0, 0xe3);
    expect(refused.esv).toBe(ESV.Get_SNA);
    expect(refused.properties.map((p) => [p.epc, p.edt.length])).toEqual([
      [0xe7, 0],
      [0xe8, 0],
      [0xe0, 0],
      [0xe3, 0],
    ]);
    const ok = get(meter, 0xe7, 0xe8, 0xe0);
    expect(ok.esv).toBe(ESV.Get_Res);
    expect(ok.properties.every((p) => p.edt.length > 0)).toBe(true);
  });
});

describe('SmartMeter: notifications', () => {
  it('announces the instance list (D5) after a join', () => {
    const { meter } = makeMeter();
    const [frame] = meter.onJoined().map(decodeFrame);
    expect(frame).toMatchObject({ seoj: EOJ.nodeProfile, deoj: EOJ.nodeProfile, esv: ESV.INF });
    expect(NP.instanceListNotification.decode(edtOf(frame!, 0xd5))).toEqual([EOJ.smartMeter]);
  });

  it('sends EA/EB at each half-hour boundary as simulated time passes', () => {
    const { clock, meter } = makeMeter();
    const seen: Frame[] = [];
    meter.on('inf', (bytes) => seen.push(decodeFrame(bytes)));
    clock.advance(3 * MINUTE_MS + 42_000); // to 14:29:59
    expect(seen).toHaveLength(0);
    clock.advance(1000);
    clock.advance(2 * HOUR_MS);
    expect(seen).toHaveLength(5);
    seen.forEach((f, i) => {
      const boundary = TODAY + 14 * HOUR_MS + (i + 1) * HALF_HOUR_MS;
      expect(f).toMatchObject({ seoj: EOJ.smartMeter, deoj: EOJ.controller, esv: ESV.INF });
      const ea = P.fixedTimeEnergyNormal.decode(edtOf(f, 0xea));
      const eb = P.fixedTimeEnergyReverse.decode(edtOf(f, 0xeb));
      expect(jstToDate(ea.time!).getTime()).toBe(boundary);
      expect(ea.count).toBe(meter.counters.countsAt(boundary)!.normal);
      expect(eb.count).toBe(meter.counters.countsAt(boundary)!.reverse);
    });
    expect(new Set(seen.map((f) => f.tid)).size).toBe(5);
    meter.close();
    clock.advance(HOUR_MS);
    expect(seen).toHaveLength(5);
  });

  it('sends INFC when configured and clears it on INFC_Res', () => {
    const { clock, meter } = makeMeter({ notify: { confirmed: true, delayMs: 90_000, properties: [0xea] } });
    const seen: Frame[] = [];
    meter.on('inf', (bytes) => seen.push(decodeFrame(bytes)));
    clock.advance(4 * MINUTE_MS);
    expect(seen).toHaveLength(0); // 14:30 + 90 s delay not reached
    clock.advance(2 * MINUTE_MS);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.esv).toBe(ESV.INFC);
    expect(seen[0]!.properties.map((p) => p.epc)).toEqual([0xea]);
    expect(meter.pendingConfirmations).toEqual([seen[0]!.tid]);
    const ack = encodeFrame({
      tid: seen[0]!.tid,
      seoj: EOJ.controller,
      deoj: EOJ.smartMeter,
      esv: ESV.INFC_Res,
      properties: [{ epc: 0xea, edt: new Uint8Array(0) }],
    });
    expect(meter.handleFrame(ack, FROM)).toEqual([]);
    expect(meter.pendingConfirmations).toEqual([]);
  });
});

describe('SmartMeter: robustness and truth', () => {
  it('ignores malformed frames, logging them, and never throws', () => {
    const warnings: string[] = [];
    const logger: MeterLogger = { debug() {}, warn: (_ctx, msg) => warnings.push(msg) };
    const { meter } = makeMeter({ logger });
    const junk = [
      new Uint8Array(0),
      fromHex('1081'),
      fromHex('1082000105FF010288016201E700'),
      fromHex('1081000105FF010288016202E700'),
      fromHex('1081000105FF01028801FF01E700'),
      fromHex('1081000105FF010288016201E7050000'),
      fromHex('1081000105FF010288016201E70000'),
    ];
    for (const bytes of junk) expect(meter.handleFrame(bytes, FROM)).toEqual([]);
    expect(warnings).toHaveLength(junk.length);
  });

  it('is deterministic: same seed, same answers; another seed, other answers', () => {
    const script = (seed: number) => {
      const clock = new SimClock({ start: START, speed: 0 });
      const meter = new SmartMeter({ clock, seed, household: { solar: { peakW: 4000 } } });
      const out: string[] = [];
      for (let i = 0; i < 20; i++) {
        const bytes = encodeFrame({
          tid: i,
          seoj: EOJ.controller,
          deoj: EOJ.smartMeter,
          esv: ESV.Get,
          properties: [0xe7, 0xe8, 0xe0, 0xe3, 0xea].map((epc) => ({ epc, edt: new Uint8Array(0) })),
        });
        out.push(Buffer.from(meter.handleFrame(bytes, FROM)[0]!).toString('hex'));
        clock.advance(37 * MINUTE_MS);
      }
      return out;
    };
    expect(script(5)).toEqual(script(5));
    expect(script(6)).not.toEqual(script(5));
  });

  it('records every power sample served and every half-hour count as JSON lines', () => {
    const lines: string[] = [];
    const { clock, meter } = makeMeter({ historyDays: 2, truth: new TruthRecorder((l) => lines.push(l)) });
    const backfill = lines.map((l) => JSON.parse(l));
    // Two kept days: yesterday's 48 slots and today's up to 14:00 (29).
    expect(backfill).toHaveLength(48 + 29);
    expect(backfill.every((r) => r.type === 'half-hour')).toBe(true);
    lines.length = 0;
    get(meter, 0xe7, 0xe8);
    clock.advance(4 * MINUTE_MS);
    get(meter, 0xe7);
    const records = lines.map((l) => JSON.parse(l));
    expect(records).toHaveLength(3);
    const [p1, slot, p2] = records;
    const s1 = meter.household.sampleAt(START);
    expect(p1).toEqual({
      type: 'power',
      time: new Date(START).toISOString(),
      jst: '2026-05-20T14:26:17+09:00',
      w: s1.powerW,
      r: s1.currentR,
      t: s1.currentT,
    });
    const boundary = TODAY + 14 * HOUR_MS + HALF_HOUR_MS;
    const c = meter.counters.countsAt(boundary)!;
    expect(slot).toEqual({
      type: 'half-hour',
      slot: new Date(boundary).toISOString(),
      jst: '2026-05-20T14:30:00+09:00',
      normal: c.normal,
      reverse: c.reverse,
      normalKwh: meter.counters.countToKwh(c.normal),
      reverseKwh: meter.counters.countToKwh(c.reverse),
    });
    expect(p2.w).toBe(meter.household.powerAt(START + 4 * MINUTE_MS));
  });
});

describe('SmartMeter: one answer, one instant', () => {
  it('takes E7 and E8 of one Get from the same sample and records it once, even when the clock ticks meanwhile', () => {
    // A real clock that moves 1 ms at every look, under 10 000× speed: 10 s of simulated time
    // pass between reading E7 and E8, more than the household's 10 s sample step.
    let realMs = 0;
    const real = { now: () => ++realMs, setTimeout: () => 0, clearTimeout: () => undefined };
    const clock = new SimClock({ start: START, speed: 10_000, real });
    const lines: string[] = [];
    const meter = new SmartMeter({
      clock,
      seed: 7,
      historyDays: 1,
      household: { solar: { peakW: 4500 } },
      truth: new TruthRecorder((l) => lines.push(l)),
    });
    lines.length = 0;
    const answer = get(meter, 0xe7, 0xe8);
    const power = lines.map((l) => JSON.parse(l)).filter((r) => r.type === 'power');
    expect(power).toHaveLength(1);
    const currents = P.instantaneousCurrents.decode(edtOf(answer, 0xe8));
    expect(power[0]).toMatchObject({
      w: P.instantaneousPower.decode(edtOf(answer, 0xe7)),
      r: currents.r,
      t: currents.t,
    });
  });
});
