/**
 * The output sections of an empty configuration file in `baseDir`, written out by hand: the
 * independent check of `OUTPUT_CONFIG_SPEC`'s defaults for the config loader's tests.
 */
import type { OutputsConfig } from '../output-config.js';

export function outputDefaults(baseDir: string): OutputsConfig {
  return {
    outputs: { outboxDir: undefined, maxQueue: 200_000 },
    mqtt: {
      enabled: false,
      url: 'mqtt://localhost:1883',
      username: undefined,
      password: undefined,
      caFile: undefined,
      certFile: undefined,
      keyFile: undefined,
      insecure: false,
      clientId: undefined,
      baseTopic: 'b-route',
      discovery: true,
      discoveryPrefix: 'homeassistant',
    },
    prometheus: { enabled: false, port: 9464, host: '0.0.0.0', staleS: 300 },
    file: { enabled: false, path: `${baseDir}/readings.jsonl`, format: 'json' },
    stdout: { enabled: false, format: 'json' },
    keilog: { enabled: false, dir: `${baseDir}/keilog`, name: 'broute' },
    http: { enabled: false, url: undefined, token: undefined, timeoutS: 10, batch: 100 },
    pubsub: { enabled: false, project: undefined, topic: undefined, emulatorHost: undefined },
  };
}

/** [section, key, raw value, resulting property, value]: a valid setting of every output key. */
export const OUTPUT_VALID_CASES: [string, string, string, string, unknown][] = [
  ['outputs', 'outbox_dir', '/var/lib/b-route/outbox', 'outboxDir', '/var/lib/b-route/outbox'],
  ['outputs', 'max_queue', '1000', 'maxQueue', 1000],
  ['mqtt', 'enabled', 'on', 'enabled', true],
  ['mqtt', 'url', 'mqtts://broker.lan:8883', 'url', 'mqtts://broker.lan:8883'],
  ['mqtt', 'username', 'meter', 'username', 'meter'],
  ['mqtt', 'password', 's3cret', 'password', 's3cret'],
  ['mqtt', 'ca_file', '/etc/ssl/ca.pem', 'caFile', '/etc/ssl/ca.pem'],
  ['mqtt', 'cert_file', '/etc/ssl/c.pem', 'certFile', '/etc/ssl/c.pem'],
  ['mqtt', 'key_file', '/etc/ssl/k.pem', 'keyFile', '/etc/ssl/k.pem'],
  ['mqtt', 'insecure', 'on', 'insecure', true],
  ['mqtt', 'client_id', 'pi-meter', 'clientId', 'pi-meter'],
  ['mqtt', 'base_topic', 'home/meter', 'baseTopic', 'home/meter'],
  ['mqtt', 'discovery', 'off', 'discovery', false],
  ['mqtt', 'discovery_prefix', 'ha', 'discoveryPrefix', 'ha'],
  ['prometheus', 'enabled', 'on', 'enabled', true],
  ['prometheus', 'port', '9100', 'port', 9100],
  ['prometheus', 'host', '127.0.0.1', 'host', '127.0.0.1'],
  ['prometheus', 'stale_s', '600', 'staleS', 600],
  ['file', 'enabled', 'on', 'enabled', true],
  ['file', 'path', '/var/log/meter.csv', 'path', '/var/log/meter.csv'],
  ['file', 'format', 'csv', 'format', 'csv'],
  ['stdout', 'enabled', 'on', 'enabled', true],
  ['stdout', 'format', 'yaml', 'format', 'yaml'],
  ['keilog', 'enabled', 'on', 'enabled', true],
  ['keilog', 'dir', '/home/pi/keilog', 'dir', '/home/pi/keilog'],
  ['keilog', 'name', 'meter1', 'name', 'meter1'],
  ['http', 'enabled', 'on', 'enabled', true],
  ['http', 'url', 'https://example.org/upload', 'url', 'https://example.org/upload'],
  ['http', 'token', 'abc', 'token', 'abc'],
  ['http', 'timeout_s', '30', 'timeoutS', 30],
  ['http', 'batch', '500', 'batch', 500],
  ['pubsub', 'enabled', 'on', 'enabled', true],
  ['pubsub', 'project', 'my-project', 'project', 'my-project'],
  ['pubsub', 'topic', 'readings', 'topic', 'readings'],
  ['pubsub', 'emulator_host', 'localhost:8085', 'emulatorHost', 'localhost:8085'],
];
