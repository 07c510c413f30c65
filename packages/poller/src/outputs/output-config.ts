/**
 * The `[outputs]`, `[mqtt]`, `[prometheus]`, `[file]`, `[stdout]`, `[keilog]`, `[http]` and
 * `[pubsub]` sections of power_consumption.ini: each output is off until `enabled = on`.
 * PostgreSQL is not among them: it is always on and the record of truth.
 */
import { bool, choice, type Field, integer, path, text } from '@b-route/store';
import { TEXT_FORMATS, type TextFormat } from './formats.js';

const urlCheck =
  (schemes: readonly string[]) =>
  (raw: string): { ok: true; value: string } | { ok: false; detail?: string } => {
    try {
      const u = new URL(raw);
      if (schemes.includes(u.protocol.replace(/:$/, ''))) return { ok: true, value: raw };
    } catch {
      // falls through
    }
    return { ok: false };
  };

const secret = (allowed: string): Field<string | undefined> => text(undefined, allowed, undefined, true);

export const OUTPUT_CONFIG_SPEC = {
  outputs: {
    outbox_dir: path(undefined, 'a directory (empty: outbox in data_dir)'),
    max_queue: integer(200_000, 100, 10_000_000, 'an integer from 100 to 10000000 (records held per output)'),
  },
  mqtt: {
    enabled: bool(false),
    url: text(
      'mqtt://localhost:1883',
      'an mqtt://, mqtts://, ws:// or wss:// URL',
      urlCheck(['mqtt', 'mqtts', 'ws', 'wss']),
    ),
    username: text(undefined, 'a user name'),
    password: secret('the broker password (or set B_ROUTE_MQTT_PASSWORD)'),
    ca_file: path(undefined, 'a PEM file of the CA that signed the broker certificate'),
    cert_file: path(undefined, 'a PEM client certificate'),
    key_file: path(undefined, 'the PEM key of the client certificate'),
    insecure: bool(false),
    client_id: text(undefined, 'an MQTT client id (empty: b-route-<pid>)'),
    base_topic: text('b-route', 'a topic prefix'),
    discovery: bool(true),
    discovery_prefix: text('homeassistant', 'a topic prefix (Home Assistant: homeassistant)'),
  },
  prometheus: {
    enabled: bool(false),
    port: integer(9464, 0, 65_535, 'a TCP port from 0 to 65535'),
    host: text('0.0.0.0', 'an address to listen on'),
    stale_s: integer(300, 10, 86_400, 'an integer number of seconds ≥ 10'),
  },
  file: {
    enabled: bool(false),
    path: path('readings.jsonl', 'a file to append to'),
    format: choice<TextFormat>('json', TEXT_FORMATS),
  },
  stdout: {
    enabled: bool(false),
    format: choice<TextFormat>('json', TEXT_FORMATS),
  },
  keilog: {
    enabled: bool(false),
    dir: path('keilog', 'a directory for the daily files'),
    name: text('broute', 'the <name> of YYYYMMDD-<name>.txt'),
  },
  http: {
    enabled: bool(false),
    url: text(undefined, 'an http:// or https:// URL', urlCheck(['http', 'https'])),
    token: secret('a bearer token (or set B_ROUTE_HTTP_TOKEN)'),
    timeout_s: integer(10, 1, 300, 'an integer number of seconds from 1 to 300'),
    batch: integer(100, 1, 10_000, 'an integer from 1 to 10000 (records per POST)'),
  },
  pubsub: {
    enabled: bool(false),
    project: text(undefined, 'a Google Cloud project id'),
    topic: text(undefined, 'a Pub/Sub topic name'),
    emulator_host: text(undefined, 'host:port of the Pub/Sub emulator (empty: Google Cloud)'),
  },
} as const satisfies Record<string, Record<string, Field<unknown>>>;

export const OUTPUT_ENV_OVERRIDES = {
  B_ROUTE_MQTT_PASSWORD: ['mqtt', 'password'],
  B_ROUTE_HTTP_TOKEN: ['http', 'token'],
} as const;

/** The output sections as the loader returns them (camelCase keys). */
export interface OutputsConfig {
  outputs: {
    /** Default <dataDir>/outbox. */
    outboxDir: string | undefined;
    /** Records held per output while it is away. Default 200 000. */
    maxQueue: number;
  };
  mqtt: {
    enabled: boolean;
    /** Default mqtt://localhost:1883. */
    url: string;
    username: string | undefined;
    password: string | undefined;
    caFile: string | undefined;
    certFile: string | undefined;
    keyFile: string | undefined;
    /** Accept any server certificate. Default false. */
    insecure: boolean;
    clientId: string | undefined;
    /** Default 'b-route'. */
    baseTopic: string;
    /** Home Assistant discovery. Default true. */
    discovery: boolean;
    /** Default 'homeassistant'. */
    discoveryPrefix: string;
  };
  prometheus: {
    enabled: boolean;
    /** Default 9464. */
    port: number;
    /** Default 0.0.0.0. */
    host: string;
    /** /healthz fails when the last reading is older. Default 300. */
    staleS: number;
  };
  file: { enabled: boolean; path: string; format: TextFormat };
  stdout: { enabled: boolean; format: TextFormat };
  keilog: { enabled: boolean; dir: string; name: string };
  http: {
    enabled: boolean;
    url: string | undefined;
    token: string | undefined;
    /** Default 10. */
    timeoutS: number;
    /** Records per POST. Default 100. */
    batch: number;
  };
  pubsub: {
    enabled: boolean;
    project: string | undefined;
    topic: string | undefined;
    emulatorHost: string | undefined;
  };
}

/** The `--output` names: each switches on the section of the same name. */
export const OUTPUT_NAMES = ['stdout', 'file', 'mqtt', 'prometheus', 'keilog', 'http', 'pubsub'] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

/** Applies `--output` and `--format` to a loaded configuration. */
export function applyOutputFlags(
  config: OutputsConfig,
  flags: { readonly outputs: readonly OutputName[]; readonly format?: TextFormat | undefined },
): void {
  for (const name of flags.outputs) config[name].enabled = true;
  if (flags.format) {
    config.stdout.format = flags.format;
    config.file.format = flags.format;
  }
}
