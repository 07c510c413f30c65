import {
  countToKwh,
  DONGLE_MODELS,
  type DongleModel,
  dateToJst,
  METER_PROPERTIES,
  MemoryPanCacheStore,
  MeterClient,
  type MeterClientOptions,
  MODEL_FAMILY,
  type SessionState,
} from '@b-route/echonet';
import { afterEach, describe, expect, it } from 'vitest';
import { SimDriver } from './sim-driver.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';
const START = Date.UTC(2026, 4, 20, 3, 0, 0); // 12:00 JST

let drivers: SimDriver[] = [];
afterEach(async () => {
  for (const d of drivers) await d.close();
  drivers = [];
});

function simulate(
  model: DongleModel,
  extra: Partial<ConstructorParameters<typeof SimDriver>[0]> = {},
): SimDriver {
  const d = new SimDriver({ model, rbid: RBID, password: PASSWORD, seed: 7, start: START, ...extra });
  drivers.push(d);
  return d;
}

function clientFor(
  d: SimDriver,
  options: Partial<MeterClientOptions> = {},
): { client: MeterClient; states: SessionState[] } {
  const client = new MeterClient({
    rbid: RBID,
    password: PASSWORD,
    device: d.device,
    clock: d.clock,
    ...options,
  });
  const states: SessionState[] = [];
  client.on('state', (s) => states.push(s));
  return { client, states };
}

describe.each(DONGLE_MODELS)('MeterClient on a simulated %s', (model) => {
  it('cold start scans and joins; a warm start joins the cached PAN without a scan', async () => {
    const d = simulate(model);
    const panCache = new MemoryPanCacheStore();
    const cold = clientFor(d, { panCache });
    const t0 = d.clock.now();
    await d.run(cold.client.open());
    const coldMs = d.clock.now() - t0;
    expect(cold.states).toEqual(['opening', 'scanning', 'joining', 'ready']);
    expect(cold.client.dongle?.family).toBe(MODEL_FAMILY[model]);
    expect(await panCache.load()).toMatchObject({
      channel: d.sim.radio.channel,
      panId: d.sim.radio.panId,
      mac: d.sim.radio.mac,
    });
    expect(typeof (await d.run(cold.client.getInstantaneousPower()))).toBe('number');
    await d.run(cold.client.close());

    const warm = clientFor(d, { panCache });
    const t1 = d.clock.now();
    await d.run(warm.client.open());
    expect(warm.states).toEqual(['opening', 'joining', 'ready']);
    expect(d.clock.now() - t1).toBeLessThan(coldMs);
    expect(typeof (await d.run(warm.client.getInstantaneousPower()))).toBe('number');
    await d.run(warm.client.close());
  });

  it('every getter returns what the meter holds, with one frame per concurrent batch', async () => {
    const d = simulate(model, {
      solar: true,
      meter: { oneMinuteEnergy: true, counters: { initialNormal: 123_456, initialReverse: 7_890 } },
    });
    const { client } = clientFor(d);
    await d.run(client.open());
    const truth = (epc: number) => d.sim.meter.meter.get(epc)!;
    const P = METER_PROPERTIES;
    const run = <T>(p: Promise<T>) => d.run(p);

    expect(await run(client.getOperationStatus())).toBe(true);
    expect(await run(client.getInstallationLocation())).toEqual(P.installationLocation.decode(truth(0x81)));
    expect(await run(client.getStandardVersion())).toBe(P.standardVersion.decode(truth(0x82)));
    expect(await run(client.getIdentificationNumber())).toBe(
      d.sim.meter.meter.get(0x83) ? P.identificationNumber.decode(truth(0x83)) : null,
    );
    expect(await run(client.getFaultStatus())).toBe(false);
    expect(await run(client.getManufacturerCode())).toBe(P.manufacturerCode.decode(truth(0x8a)));
    expect(await run(client.getProductionNumber())).toBe(P.productionNumber.decode(truth(0x8d)));
    const clock = await run(client.getCurrentDateTime());
    expect(Math.abs(clock.getTime() - d.clock.now())).toBeLessThan(120_000);
    expect(await run(client.getStatusChangePropertyMap())).toEqual(
      P.statusChangePropertyMap.decode(truth(0x9d)),
    );
    expect(await run(client.getSetPropertyMap())).toEqual(expect.arrayContaining([0xe5, 0xed, 0xef]));
    expect(await run(client.getGetPropertyMap())).toEqual(P.getPropertyMap.decode(truth(0x9f)));

    const coefficient = await run(client.getCoefficient());
    const unit = await run(client.getEnergyUnit());
    expect(coefficient).toBe(P.coefficient.decode(truth(0xd3)));
    expect(unit).toBe(P.energyUnit.decode(truth(0xe1)).kwh);
    expect(await run(client.getEffectiveDigits())).toBe(P.effectiveDigits.decode(truth(0xd7)));

    const sent = client.stats.framesSent;
    const [power, currents, normal, reverse] = await run(
      Promise.all([
        client.getInstantaneousPower(),
        client.getInstantaneousCurrent(),
        client.getCumulativeEnergy(),
        client.getCumulativeEnergy({ reverse: true }),
      ]),
    );
    expect(client.stats.framesSent - sent).toBe(1);
    expect(typeof power).toBe('number');
    expect(typeof currents.r).toBe('number');
    const kwh = (epc: number) => countToKwh(P.cumulativeEnergyNormal.decode(truth(epc)), coefficient, unit);
    expect(normal).toBeLessThanOrEqual(kwh(0xe0)!);
    expect(normal).toBeGreaterThanOrEqual(kwh(0xe0)! - coefficient * unit * 10);
    expect(reverse).toBeLessThanOrEqual(kwh(0xe3)!);

    const fixed = await run(client.getFixedTimeCumulativeEnergy());
    const fixedTruth = P.fixedTimeEnergyNormal.decode(truth(0xea));
    expect(fixed.kwh).toBe(countToKwh(fixedTruth.count, coefficient, unit));
    expect(fixed.timestamp?.getTime() ?? 0).toBeLessThanOrEqual(d.clock.now());
    expect((await run(client.getFixedTimeCumulativeEnergy({ reverse: true }))).timestamp).toEqual(
      fixed.timestamp,
    );
    const minute = await run(client.getOneMinuteCumulativeEnergy());
    const minuteTruth = P.oneMinuteEnergy.decode(truth(0xd0));
    expect(minute?.timestamp.getTime()).toBeLessThanOrEqual(d.clock.now());
    expect(minute?.normal).toBeGreaterThan(0);
    expect(minute?.normal).toBeLessThanOrEqual(countToKwh(minuteTruth.normal, coefficient, unit)!);

    await run(client.setHistoryDay1(3));
    expect(await run(client.getHistoryDay1())).toBe(3);
    const yesterday = await run(client.getHistoricalCumulativeEnergy1({ day: 1 }));
    expect(d.sim.meter.meter.historyDay).toBe(1);
    expect(yesterday).toHaveLength(48);
    const y = dateToJst(new Date(d.clock.now() - 86_400_000));
    expect(dateToJst(yesterday[0]!.timestamp)).toMatchObject({
      year: y.year,
      month: y.month,
      day: y.day,
      hour: 0,
      minute: 0,
    });
    const counts = P.historyNormal.decode(truth(0xe2)).counts;
    expect(yesterday.map((r) => r.kwh)).toEqual(counts.map((c) => countToKwh(c, coefficient, unit)));
    expect(yesterday.every((r, i) => r.kwh !== null && (i === 0 || r.kwh >= yesterday[i - 1]!.kwh!))).toBe(
      true,
    );
    const todayReverse = await run(client.getHistoricalCumulativeEnergy1({ reverse: true }));
    expect(todayReverse).toHaveLength(48);

    const at = new Date(d.clock.now() - 3 * 3600_000);
    await run(client.setHistory2Time(at, 6));
    const window2 = await run(client.getHistory2Time());
    expect(window2.points).toBe(6);
    expect(window2.timestamp!.getTime() % 1_800_000).toBe(0);
    const h2 = await run(client.getHistoricalCumulativeEnergy2({ timestamp: at }));
    expect(h2).toHaveLength(12);
    expect(h2[0]!.timestamp.getTime() - h2[1]!.timestamp.getTime()).toBe(1_800_000);
    expect(h2[0]!.normal).toBeGreaterThanOrEqual(h2[11]!.normal!);

    const at3 = new Date(d.clock.now() - 10 * 60_000);
    await run(client.setHistory3Time(at3, 5));
    expect((await run(client.getHistory3Time())).points).toBe(5);
    const h3 = await run(client.getHistoricalCumulativeEnergy3({ timestamp: at3 }));
    expect(h3).toHaveLength(10);
    expect(h3[0]!.timestamp.getTime() - h3[1]!.timestamp.getTime()).toBe(60_000);

    const generic = await run(client.get([0xe7, 0xd3, 0xe1]));
    expect(generic.get(0xe1)).toMatchObject({ name: 'energyUnit', value: { kwh: unit } });
    const named = await run(client.read(['coefficient', 'effectiveDigits']));
    expect(named).toEqual({ coefficient, effectiveDigits: P.effectiveDigits.decode(truth(0xd7)) });
    await run(client.close());
  });
});

describe('MeterClient against the simulator: credentials, payload format, picky meters, restriction', () => {
  it('tells a wrong password (join.credentials) from a wrong ID (scan.failed)', async () => {
    const d = simulate('bp35c2');
    const wrongPassword = clientFor(d, { password: 'WRONGPASS123', scanDurations: [6] });
    await expect(d.run(wrongPassword.client.open())).rejects.toMatchObject({ code: 'join.credentials' });
    expect(wrongPassword.client.state).toBe('closed');
    const wrongId = clientFor(d, { rbid: `${RBID.slice(0, 24)}FFFFFFFF`, scanDurations: [6, 7] });
    await expect(d.run(wrongId.client.open())).rejects.toMatchObject({ code: 'scan.failed' });
  });

  it('reads binary ERXUDP as is and writes WOPT once only when asked (flash wear)', async () => {
    const d = simulate('bp35a1');
    const plain = clientFor(d);
    await d.run(plain.client.open());
    expect(plain.client.dongle?.payload).toBe('binary');
    expect(typeof (await d.run(plain.client.getInstantaneousPower()))).toBe('number');
    await d.run(plain.client.close());
    expect(d.sim.dongle.flashWrites).toBe(0);
    for (let i = 0; i < 2; i++) {
      const asked = clientFor(d, { ensureAsciiPayload: true });
      await d.run(asked.client.open());
      expect(asked.client.dongle?.payload).toBe('hex');
      expect(typeof (await d.run(asked.client.getInstantaneousPower()))).toBe('number');
      await d.run(asked.client.close());
    }
    expect(d.sim.dongle.flashWrites).toBe(1);
  });

  it('splits frames for a picky meter that refuses more than two properties at once', async () => {
    const d = simulate('rs-wsuha-p', { picky: 2 });
    const { client } = clientFor(d);
    await d.run(client.open());
    const values = await d.run(
      Promise.all([
        client.getInstantaneousPower(),
        client.getInstantaneousCurrent(),
        client.getCumulativeEnergy(),
        client.getCumulativeEnergy({ reverse: true }),
      ]),
    );
    expect(values.every((v) => v !== undefined)).toBe(true);
    // Refused (6 properties), halves refused (3 each), then pairs and singles: still all delivered.
    expect(client.stats.framesSent).toBeGreaterThan(3);
    await d.run(client.close());
  });

  it('waits out the send-time restriction (EVENT 32 … 33) instead of losing requests', async () => {
    const d = simulate('bp35c0', { sendBudgetMs: 600 });
    const { client } = clientFor(d);
    const restricted: boolean[] = [];
    client.on('state', () => restricted.push(client.session.restricted));
    await d.run(client.open());
    let polls = 0;
    let sawRestriction = false;
    const t0 = d.clock.now();
    while (d.clock.now() - t0 < 2 * 3_600_000) {
      await d.run(Promise.all([client.getInstantaneousPower(), client.getCumulativeEnergy()]));
      polls++;
      sawRestriction ||= client.session.restricted;
      await d.idle(30_000);
      sawRestriction ||= client.session.restricted;
    }
    expect(sawRestriction).toBe(true);
    expect(polls).toBeGreaterThan(10);
    expect(client.state).toBe('ready');
    await d.run(client.close());
  });

  it('never logs the B-route ID, its pairing part or the password, even at debug', async () => {
    const lines: string[] = [];
    const write = (obj: object, msg?: string) => lines.push(JSON.stringify({ ...obj, msg }));
    const logger = { debug: write, info: write, warn: write, error: write };
    for (const model of DONGLE_MODELS) {
      const d = simulate(model);
      const { client } = clientFor(d, { logger });
      await d.run(client.open());
      await d.run(client.getHistoricalCumulativeEnergy1({ day: 1 }));
      await d.run(client.close());
    }
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(200);
    expect(all).toContain('SKSETRBID ********');
    for (const secret of [RBID, RBID.slice(-8), PASSWORD]) expect(all.toUpperCase()).not.toContain(secret);
  });
});
