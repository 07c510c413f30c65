/**
 * Configuration → the outputs it switches on. The only place output targets are built from
 * the ini sections; `createPoller` wires the result, the CLI and the soak pass the config.
 */
import { join } from 'node:path';
import type { PollerLogger } from '../app/poller.js';
import { httpPostOutput } from './http-post-output.js';
import { keilogOutput } from './keilog-output.js';
import { mqttOutput } from './mqtt-output.js';
import type { OutputsConfig } from './output-config.js';
import type { OutputSpec } from './output-hub.js';
import { pubsubOutput } from './pubsub-output.js';
import { streamOutput } from './stream-output.js';

export interface OutputsSetup {
  readonly outputs: OutputSpec[];
  readonly outboxDir: string;
  readonly maxQueue: number;
  readonly prometheus?: { readonly port: number; readonly host: string; readonly staleAfterS: number };
}

/** @throws Error when an enabled output lacks a required key (http url, pubsub project/topic). */
export function outputsFromConfig(
  config: OutputsConfig,
  dataDir: string,
  logger: PollerLogger,
): OutputsSetup {
  const outputs: OutputSpec[] = [];
  const child = (ns: string): PollerLogger => logger.child?.({ ns }) ?? logger;
  if (config.stdout.enabled) outputs.push({ target: streamOutput({ format: config.stdout.format }) });
  if (config.file.enabled)
    outputs.push({ target: streamOutput({ format: config.file.format, file: config.file.path }) });
  if (config.keilog.enabled)
    outputs.push({ target: keilogOutput({ dir: config.keilog.dir, name: config.keilog.name }) });
  if (config.mqtt.enabled) {
    const m = config.mqtt;
    outputs.push({
      target: mqttOutput({
        url: m.url,
        ...(m.username ? { username: m.username } : {}),
        ...(m.password ? { password: m.password } : {}),
        ...(m.caFile ? { caFile: m.caFile } : {}),
        ...(m.certFile ? { certFile: m.certFile } : {}),
        ...(m.keyFile ? { keyFile: m.keyFile } : {}),
        ...(m.insecure ? { rejectUnauthorized: false } : {}),
        ...(m.clientId ? { clientId: m.clientId } : {}),
        baseTopic: m.baseTopic,
        prefix: m.discoveryPrefix,
        discovery: m.discovery,
        logger: child('outputs:mqtt'),
      }),
    });
  }
  if (config.http.enabled) {
    if (!config.http.url) throw new Error('[http] url is not set: the receiver to POST readings to');
    outputs.push({
      target: httpPostOutput({
        url: config.http.url,
        ...(config.http.token ? { token: config.http.token } : {}),
        timeoutMs: config.http.timeoutS * 1000,
      }),
      runner: { batchSize: config.http.batch, deliverTimeoutMs: (config.http.timeoutS + 5) * 1000 },
    });
  }
  if (config.pubsub.enabled) {
    const p = config.pubsub;
    if (!p.project || !p.topic) throw new Error('[pubsub] project and topic must both be set');
    outputs.push({
      target: pubsubOutput({
        projectId: p.project,
        topic: p.topic,
        ...(p.emulatorHost ? { emulatorHost: p.emulatorHost } : {}),
      }),
    });
  }
  return {
    outputs,
    outboxDir: config.outputs.outboxDir ?? join(dataDir, 'outbox'),
    maxQueue: config.outputs.maxQueue,
    ...(config.prometheus.enabled
      ? {
          prometheus: {
            port: config.prometheus.port,
            host: config.prometheus.host,
            staleAfterS: config.prometheus.staleS,
          },
        }
      : {}),
  };
}
