/**
 * Against a real mosquitto, with a real MQTT client subscribed as Home Assistant would be: the
 * discovery config obeys HA's rules, state follows the readings, availability and last will
 * work, discovery comes again on HA's birth message, a broker restart loses no reading, and TLS
 * with a private CA delivers while a server the CA did not sign is refused.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../app/testing/rig.js';
import { mqttOutput } from './mqtt-output.js';
import { OutputHub } from './output-hub.js';
import { haDiscoveryProblems, haStateProblems } from './testing/ha-rules.js';
import { type Mosquitto, mosquitto, mosquittoPath } from './testing/mosquitto.js';
import { ENTRIES, METER, powerRecords, until } from './testing/records.js';
import { makeTestCerts, opensslPath } from './testing/tls-certs.js';

const haveBroker = mosquittoPath() !== undefined;
if (!haveBroker)
  console.warn('mqtt-output.test: mosquitto not installed (scripts/setup.sh installs it): skipped');

interface Seen {
  topic: string;
  payload: string;
  retain: boolean;
}

describe.skipIf(!haveBroker)('mqttOutput against mosquitto', () => {
  let dir: string;
  let broker: Mosquitto;
  let ha: MqttClient;
  const seen: Seen[] = [];
  const logger = memoryLogger();
  let hub: OutputHub;
  let output: ReturnType<typeof mqttOutput>;
  const configTopic = `homeassistant/device/b_route_${METER.toLowerCase()}/config`;
  const of = (topic: string): Seen[] => seen.filter((s) => s.topic === topic);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outputs-mqtt-'));
    broker = await mosquitto(join(dir, 'broker'));
    await broker.start();
    // Home Assistant's side: a persistent session, so what is published while it is away
    // (and across the broker's restart) is queued for it.
    ha = mqtt.connect(broker.url, { clientId: 'ha-under-test', clean: false, reconnectPeriod: 100 });
    ha.on('message', (topic, payload, packet) =>
      seen.push({ topic, payload: payload.toString(), retain: packet.retain }),
    );
    await new Promise<void>((resolve) => ha.once('connect', () => resolve()));
    await ha.subscribeAsync(['homeassistant/#', 'b-route/#'], { qos: 1 });
    output = mqttOutput({ url: broker.url, clientId: 'b-route-under-test', reconnectMs: 100, logger });
    hub = await OutputHub.open({
      outputs: [{ target: output, runner: { retryMs: 50, retryMaxMs: 200 } }],
      outboxDir: join(dir, 'outbox'),
      logger,
    });
  });

  afterAll(async () => {
    await hub?.stop(500);
    await ha?.endAsync();
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes a discovery config Home Assistant accepts, with Energy-dashboard entities', async () => {
    // A neighbour's meter heard in a scan gets no device.
    hub.entry({
      kind: 'scan_log',
      row: {
        time: new Date(),
        channel: 33,
        channel_page: 9,
        pan_id: 1,
        address: 'NEIGHBOUR0000001',
        lqi: 40,
        pair_id: null,
        side: null,
      },
    });
    for (const e of ENTRIES) hub.entry(e);
    hub.session({ meter: METER, state: 'ready', time: new Date('2026-12-06T00:00:00Z') });
    await until(
      () => of(configTopic).length > 0 && of(`b-route/${METER}/session`).length > 0,
      10_000,
      'discovery',
    );
    const config = of(configTopic).at(-1)!;
    const payload = JSON.parse(config.payload) as {
      cmps: Record<string, Record<string, unknown>>;
      availability_topic: string;
    };
    expect(haDiscoveryProblems(payload)).toEqual([]);
    const { energy_import, energy_export, power } = payload.cmps;
    for (const e of [energy_import, energy_export]) {
      expect(e).toMatchObject({
        p: 'sensor',
        device_class: 'energy',
        state_class: 'total_increasing',
        unit_of_measurement: 'kWh',
      });
    }
    expect(power).toMatchObject({
      device_class: 'power',
      unit_of_measurement: 'W',
      state_class: 'measurement',
    });
    for (const k of ['lqi', 'rssi', 'session', 'fault'])
      expect(payload.cmps[k]?.entity_category).toBe('diagnostic');
    expect(payload.availability_topic).toBe('b-route/status');

    // Retained, so a Home Assistant that starts later finds it: a fresh client gets it at once.
    const late = await mqtt.connectAsync(broker.url, { clientId: 'late-ha' });
    const retained = new Promise<string>((resolve) =>
      late.on('message', (t, p) => t === configTopic && resolve(p.toString())),
    );
    await late.subscribeAsync(configTopic, { qos: 1 });
    expect(JSON.parse(await retained)).toEqual(payload);
    await late.endAsync();

    expect(seen.some((s) => s.topic.toLowerCase().includes('neighbour'))).toBe(false);
    const sensorConfig = of('homeassistant/device/b_route_sensor_bme280/config').at(-1);
    expect(haDiscoveryProblems(JSON.parse(sensorConfig!.payload))).toEqual([]);
  });

  it('publishes each reading retained on its state topic, and the values the templates pick', async () => {
    const power = JSON.parse(of(`b-route/${METER}/power`).at(-1)!.payload);
    expect(power).toEqual({
      instant_power_w: 512,
      current_r_a: 3.2,
      current_t_a: 2.1,
      timestamp: '2026-12-06T00:00:10.000Z',
    });
    expect(JSON.parse(of(`b-route/${METER}/energy`).at(-1)!.payload)).toMatchObject({
      cumulative_power_kwh: 12345.6,
      cumulative_export_kwh: 78.9,
    });
    expect(JSON.parse(of(`b-route/${METER}/interval/import`).at(-1)!.payload)).toMatchObject({
      interval_import_kwh: 0.25,
    });
    expect(JSON.parse(of(`b-route/${METER}/interval/export`).at(-1)!.payload)).toMatchObject({
      interval_export_kwh: 0.1,
    });
    expect(JSON.parse(of(`b-route/${METER}/link`).at(-1)!.payload)).toMatchObject({
      lqi: 120,
      rssi_dbm: -71.3,
    });
    expect(JSON.parse(of('b-route/sensor/bme280/sensor').at(-1)!.payload)).toMatchObject({
      temperature_c: 21.5,
    });
    expect(of('b-route/status').at(-1)!.payload).toBe('online');
  });

  it("shows the meter's fault status (EPC 88) as a diagnostic problem binary sensor, both ways", async () => {
    const faultTopic = `b-route/${METER}/fault`;
    const fault = (on: boolean, time: string) =>
      hub.entry({ kind: 'extra.meter_fault', row: { meter: METER, time: new Date(time), fault: on } });
    fault(false, '2026-12-06T01:00:00Z');
    await until(() => of(faultTopic).length > 0, 5_000, 'fault state');
    const config = JSON.parse(of(configTopic).at(-1)!.payload) as {
      cmps: Record<string, Record<string, unknown>>;
    };
    expect(haDiscoveryProblems(config)).toEqual([]);
    const entity = config.cmps.fault!;
    expect(entity).toMatchObject({
      p: 'binary_sensor',
      device_class: 'problem',
      entity_category: 'diagnostic',
      state_topic: faultTopic,
      payload_on: '1',
      payload_off: '0',
    });
    const off = of(faultTopic).at(-1)!;
    expect(haStateProblems(entity, off.payload)).toEqual([]);
    expect(JSON.parse(off.payload)).toEqual({ fault: 0, timestamp: '2026-12-06T01:00:00.000Z' });

    fault(true, '2026-12-06T02:00:00Z');
    await until(() => of(faultTopic).length > 1, 5_000, 'fault on');
    const on = of(faultTopic).at(-1)!.payload;
    expect(haStateProblems(entity, on)).toEqual([]);
    expect(JSON.parse(on)).toMatchObject({ fault: 1 });
    // The check is not vacuous: a value that is neither payload leaves HA's entity unknown.
    expect(haStateProblems(entity, JSON.stringify({ fault: true }))).not.toEqual([]);
  });

  it('sends discovery again when Home Assistant comes online', async () => {
    const before = of(configTopic).length;
    await ha.publishAsync('homeassistant/status', 'online', { qos: 1 });
    await until(() => of(configTopic).length > before, 5_000, 'discovery after HA birth');
  });

  it('loses no reading across a broker restart', async () => {
    const records = powerRecords(40, Date.parse('2026-12-06T01:00:00Z'));
    const outageLines = (): number =>
      logger.lines.filter((l) => l.msg === 'output unavailable: queueing').length;
    const outagesBefore = outageLines();
    for (const r of records.slice(0, 10)) hub.publish(r);
    const times = (): Set<string> =>
      new Set(of(`b-route/${METER}/power`).map((s) => JSON.parse(s.payload).timestamp as string));
    await until(() => records.slice(0, 10).every((r) => times().has(r.time)), 10_000, 'first readings');
    await broker.stop();
    await until(() => !output.client.connected, 5_000, 'publisher disconnected');
    for (const r of records.slice(10, 30)) hub.publish(r);
    await broker.start();
    for (const r of records.slice(30)) hub.publish(r);
    await until(() => records.every((r) => times().has(r.time)), 20_000, 'every reading after the restart');
    // The subscriber can see the last message before the publisher has its PUBACK and settles
    // the batch: wait for the outbox, not just the broker.
    await until(() => hub.stats()[0]!.pending === 0, 5_000, 'outbox emptied');
    const stats = hub.stats()[0]!;
    expect(stats.pending).toBe(0);
    expect(stats.delivered).toBe(stats.offered);
    // One outage, logged once (not once per retry).
    expect(outageLines() - outagesBefore).toBe(1);
  });

  it('leaves a retained offline as its last will when the connection dies', async () => {
    // Cut the TCP connection without DISCONNECT, as a power cut or a crash would.
    output.client.stream.destroy();
    await until(() => of('b-route/status').at(-1)?.payload === 'offline', 10_000, 'last will');
    await until(() => of('b-route/status').at(-1)?.payload === 'online', 10_000, 'back online');
    await hub.stop(500);
    // A clean stop leaves `offline` retained for whoever subscribes next.
    const late = await mqtt.connectAsync(broker.url, { clientId: 'late-status' });
    const status = new Promise<{ p: string; retain: boolean }>((resolve) =>
      late.on(
        'message',
        (t, p, packet) => t === 'b-route/status' && resolve({ p: p.toString(), retain: packet.retain }),
      ),
    );
    await late.subscribeAsync('b-route/status', { qos: 1 });
    expect(await status).toEqual({ p: 'offline', retain: true });
    await late.endAsync();
  });
});

describe.skipIf(!haveBroker)('mqttOutput with a user name and password', () => {
  it('delivers with the right password and holds everything with a wrong one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outputs-mqtt-auth-'));
    const broker = await mosquitto(join(dir, 'broker'), { users: { meter: 'right-pass' } });
    await broker.start();
    const logger = memoryLogger();
    const wrong = mqttOutput({
      url: broker.url,
      username: 'meter',
      password: 'wrong',
      clientId: 'bad',
      reconnectMs: 100,
      logger,
    });
    const right = mqttOutput({
      url: broker.url,
      username: 'meter',
      password: 'right-pass',
      clientId: 'good',
      reconnectMs: 100,
      logger,
    });
    const hub = await OutputHub.open({
      outputs: [
        { target: wrong, runner: { retryMs: 50, retryMaxMs: 100 } },
        { target: right, runner: { retryMs: 50, retryMaxMs: 100 } },
      ],
      logger,
    });
    try {
      for (const r of powerRecords(10)) hub.publish(r);
      await until(() => hub.stats()[1]!.delivered === 10, 10_000, 'delivery with the right password');
      await until(() => hub.stats()[0]!.failures > 2, 10_000, 'refusals');
      expect(hub.stats()[0]).toMatchObject({ delivered: 0, pending: 10, down: true });
    } finally {
      await hub.stop(100);
      await broker.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!haveBroker || !opensslPath())('mqttOutput over TLS', () => {
  it('delivers to a TLS listener trusting a private CA, and refuses a server the CA did not sign', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outputs-mqtt-tls-'));
    const certs = await makeTestCerts(dir);
    const broker = await mosquitto(join(dir, 'broker'), { tls: certs });
    await broker.start();
    const logger = memoryLogger();
    const trusted = mqttOutput({
      url: broker.url,
      caFile: certs.caFile,
      clientId: 'tls-good',
      reconnectMs: 100,
      logger,
    });
    const untrusted = mqttOutput({
      url: broker.url,
      caFile: certs.otherCaFile,
      clientId: 'tls-bad',
      reconnectMs: 100,
      logger,
    });
    const hub = await OutputHub.open({
      outputs: [
        { target: trusted, runner: { retryMs: 50, retryMaxMs: 100 } },
        { target: untrusted, runner: { retryMs: 50, retryMaxMs: 100 } },
      ],
      logger,
    });
    try {
      expect(broker.url).toMatch(/^mqtts:/);
      for (const r of powerRecords(5)) hub.publish(r);
      await until(() => hub.stats()[0]!.delivered === 5, 10_000, 'delivery over TLS');
      // A subscriber over TLS finds the retained discovery config and the last state.
      const ha = await mqtt.connectAsync(broker.url, { clientId: 'tls-ha', ca: readFileSync(certs.caFile) });
      const got = new Map<string, string>();
      ha.on('message', (t, p) => got.set(t, p.toString()));
      await ha.subscribeAsync(['homeassistant/#', `b-route/${METER}/power`], { qos: 1 });
      const configTopic = `homeassistant/device/b_route_${METER.toLowerCase()}/config`;
      await until(
        () => got.has(configTopic) && got.has(`b-route/${METER}/power`),
        5_000,
        'retained over TLS',
      );
      expect(haDiscoveryProblems(JSON.parse(got.get(configTopic)!))).toEqual([]);
      expect(JSON.parse(got.get(`b-route/${METER}/power`)!)).toHaveProperty('instant_power_w');
      await ha.endAsync();

      // The wrong CA: refused, said once in a warning naming the reason, readings held, no crash.
      await until(() => hub.stats()[1]!.failures > 2, 10_000, 'refusals');
      expect(hub.stats()[1]).toMatchObject({ delivered: 0, pending: 5, down: true });
      const warnings = logger.lines.filter((l) => String(l.msg).startsWith('mqtt: cannot connect'));
      expect(warnings.length).toBe(1);
      expect(String(warnings[0]!.msg)).toMatch(/certificate/i);
      expect(untrusted.client.connected).toBe(false);
    } finally {
      await hub.stop(100);
      await broker.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
