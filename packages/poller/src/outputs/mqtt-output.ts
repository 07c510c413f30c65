/**
 * Readings to an MQTT broker, with Home Assistant discovery. State goes retained at QoS 1 to
 * `<base>/<meter>/<kind>`; the client's availability is `<base>/status`, `online` when connected
 * and a retained last-will `offline`. Discovery is sent on every connection and again whenever
 * Home Assistant announces itself (`<prefix>/status` → `online`), as HA's docs ask.
 * A batch is only delivered when the broker acknowledged every message (PUBACK); while the
 * broker is away the runner keeps the readings in this output's outbox, not mqtt.js's
 * unbounded in-memory queue.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { PollerLogger } from '../app/poller.js';
import {
  availabilityTopic,
  type DiscoveryOptions,
  discoveryFor,
  statePayload,
  stateTopic,
} from './ha-discovery.js';
import type { OutputRecord } from './output-record.js';
import type { OutputTarget } from './output-runner.js';

export interface MqttOutputOptions extends DiscoveryOptions {
  /** mqtt://host:1883 or mqtts://host:8883 (TLS). */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** PEM files for TLS: a private CA, and a client certificate and key. */
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Default true; false accepts any server certificate (self-signed, testing only). */
  readonly rejectUnauthorized?: boolean;
  /** Default `b-route-<pid>`. */
  readonly clientId?: string;
  /** Send Home Assistant discovery. Default true. */
  readonly discovery?: boolean;
  /** Wait between reconnection attempts. Default 5 000 ms. */
  readonly reconnectMs?: number;
  readonly logger: PollerLogger;
}

export function mqttOutput(options: MqttOutputOptions): OutputTarget & { readonly client: MqttClient } {
  const base = options.baseTopic ?? 'b-route';
  const prefix = options.prefix ?? 'homeassistant';
  const status = availabilityTopic(base);
  const log = options.logger;
  /** Discovery configs per device id, re-sent on each connection and HA birth message. */
  const discovered = new Map<string, { topic: string; payload: string }>();
  let wake: (() => void) | undefined;
  /** The last connection error logged as a warning; cleared on connection. */
  let lastError: string | undefined;
  const ownMeters = new Set<string>();
  const connectOptions: IClientOptions = {
    clientId: options.clientId ?? `b-route-${process.pid}`,
    reconnectPeriod: options.reconnectMs ?? 5_000,
    connectTimeout: 10_000,
    will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true },
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.caFile ? { ca: readFileSync(options.caFile) } : {}),
    ...(options.certFile ? { cert: readFileSync(options.certFile) } : {}),
    ...(options.keyFile ? { key: readFileSync(options.keyFile) } : {}),
    ...(options.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
  };
  const client = mqtt.connect(options.url, connectOptions);

  const sendDiscovery = async (): Promise<void> => {
    for (const d of discovered.values())
      await client.publishAsync(d.topic, d.payload, { qos: 1, retain: true });
  };

  client.on('connect', () => {
    lastError = undefined;
    log.info({ url: options.url }, 'mqtt connected');
    void (async () => {
      try {
        await client.publishAsync(status, 'online', { qos: 1, retain: true });
        if (options.discovery ?? true) {
          await client.subscribeAsync(`${prefix}/status`, { qos: 1 });
          await sendDiscovery();
        }
      } catch (err) {
        log.warn({ err }, 'mqtt: cannot announce');
      }
      wake?.();
    })();
  });
  client.on('message', (topic, payload) => {
    if (topic === `${prefix}/status` && payload.toString() === 'online') {
      log.info({ prefix }, 'home assistant restarted: sending discovery again');
      sendDiscovery().catch((err: unknown) => log.warn({ err }, 'mqtt: cannot resend discovery'));
    }
  });
  // mqtt.js emits 'error' for refused connections and TLS failures (an untrusted certificate, a
  // name mismatch), again on every reconnection attempt: each distinct reason is logged once as
  // a warning, saying why, until a connection succeeds; repeats go to debug.
  client.on('error', (err) => {
    if (err.message === lastError) {
      log.debug({ err }, 'mqtt error');
      return;
    }
    lastError = err.message;
    log.warn({ err, url: options.url }, `mqtt: cannot connect: ${err.message}`);
  });

  const ensureDiscovery = async (r: OutputRecord): Promise<void> => {
    if (!(options.discovery ?? true)) return;
    const d = discoveryFor(r, options);
    const key = d.topic;
    const payload = JSON.stringify(d.payload);
    if (discovered.get(key)?.payload === payload) return;
    discovered.set(key, { topic: d.topic, payload });
    await client.publishAsync(d.topic, payload, { qos: 1, retain: true });
  };

  return {
    name: 'mqtt',
    client,
    // Identity rows carry nothing an entity shows. A scan hears the beacons of neighbours'
    // meters too: link quality goes out only for a meter we read (or hold a session with), so
    // Home Assistant gets no device per neighbour.
    accepts: (r) => {
      if (r.kind === 'meter') return false;
      if (r.kind === 'link') return ownMeters.has(r.source);
      if (r.kind !== 'sensor') ownMeters.add(r.source);
      return true;
    },
    ready: () => client.connected,
    onReady: (w) => {
      wake = w;
    },
    async deliver(batch) {
      for (const r of batch) {
        // Never hand mqtt.js a message while disconnected: it would keep it in its own unbounded
        // offline queue and send it again on reconnect, besides our retry. At most the messages
        // of one batch in flight when the connection drops are sent twice.
        if (!client.connected) throw new Error('mqtt: not connected');
        await ensureDiscovery(r);
        await client.publishAsync(stateTopic(r, base), statePayload(r), { qos: 1, retain: true });
      }
    },
    async close() {
      if (client.connected)
        await client.publishAsync(status, 'offline', { qos: 1, retain: true }).catch(() => {});
      await client.endAsync();
    },
  };
}
